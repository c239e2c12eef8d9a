--[[
  Uncounts a visitor socket on its node (never below zero: a reaped node counts nothing) and
  starts the visitor's grace timer; its handler checks whether the visitor is back anywhere.

  KEYS[1] the node's visitor hash (visitor id -> open sockets on that node)
  KEYS[2] timers sorted set

  ARGV[1] visitor id
  ARGV[2] the visitor's grace timer key
  ARGV[3] when the grace period ends (epoch ms)

  Returns 1.
]]
local held = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if held > 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
elseif held == 1 then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
