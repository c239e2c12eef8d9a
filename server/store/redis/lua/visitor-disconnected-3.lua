--[[
  Uncounts a visitor socket on its node (never below zero: a reaped node counts nothing) and,
  when the visitor has a conversation, starts their grace timer; its handler checks whether the
  visitor is back anywhere. A visitor who never started a chat has nothing to keep: most page
  visits end that way, and a timer each would only be work when it fires.

  KEYS[1] the node's visitor hash (visitor id -> open sockets on that node)
  KEYS[2] timers sorted set
  KEYS[3] visitor hash

  ARGV[1] visitor id
  ARGV[2] the visitor's grace timer key
  ARGV[3] when the grace period ends (epoch ms)

  Returns 1 when the grace timer was started, else 0.
]]
local held = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if held > 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
elseif held == 1 then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
local conversationId = redis.call('HGET', KEYS[3], 'conversationId')
if not conversationId or conversationId == '' then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
