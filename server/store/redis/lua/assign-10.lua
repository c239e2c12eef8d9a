--[[
  Gives a queued conversation to a listener and appends the 'assigned' system message.

  KEYS[1]  conversation hash
  KEYS[2]  conversation message stream
  KEYS[3]  queue of the conversation's language
  KEYS[4]  total waiting counter
  KEYS[5]  listener presence hash
  KEYS[6]  listener's conversation set
  KEYS[7]  set of active conversations
  KEYS[8]  today's counters
  KEYS[9]  today's waits list
  KEYS[10] recent waits sorted set

  ARGV[1]  conversation id
  ARGV[2]  listener id
  ARGV[3]  the conversation's language as read by the caller
  ARGV[4]  manual ('1': the listener's status may be away)
  ARGV[5]  now (epoch ms)
  ARGV[6]  now as an ISO string
  ARGV[7]  system message text
  ARGV[8]  ttl of today's statistics (seconds)
  ARGV[9]  recent waits older than this score are trimmed (exclusive range bound)

  Returns { previous state, previous listener id or '', seq of the system message, conversation HGETALL,
  1 when this was the conversation's first answer else 0 }.
  Errors: STALE, APP not_found, APP already_taken, APP not_available, APP at_capacity.
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'language', 'startedAt', 'answeredAt', 'listenerId')
if not conv[1] then return redis.error_reply('APP not_found') end
if conv[2] ~= ARGV[3] then return redis.error_reply('STALE changed') end
if conv[1] ~= 'queued' then return redis.error_reply('APP already_taken') end

local p = redis.call('HMGET', KEYS[5], 'status', 'connections', 'maxConcurrent', 'languages')
if not p[1] or tonumber(p[2] or '0') <= 0 then return redis.error_reply('APP not_available') end
if ARGV[4] ~= '1' and p[1] ~= 'available' then return redis.error_reply('APP not_available') end
local speaks = false
for _, language in ipairs(cjson.decode(p[4] or '[]')) do
  if language == ARGV[3] then speaks = true end
end
if not speaks then return redis.error_reply('APP not_available') end
local load = redis.call('SCARD', KEYS[6])
if load >= tonumber(p[3] or '0') then return redis.error_reply('APP at_capacity') end

if redis.call('ZREM', KEYS[3], ARGV[1]) == 1 then redis.call('DECR', KEYS[4]) end
redis.call('HSET', KEYS[1], 'state', 'active', 'listenerId', ARGV[2], 'assignedAt', ARGV[5])
redis.call('HDEL', KEYS[1], 'releasedBy')
-- Only the first answer counts, so a conversation that comes back from a requeue is not counted twice.
if not conv[4] then
  local wait = math.max(0, math.floor((tonumber(ARGV[5]) - tonumber(conv[3])) / 1000))
  redis.call('HSET', KEYS[1], 'answeredAt', ARGV[5])
  redis.call('HINCRBY', KEYS[8], 'answered', 1)
  redis.call('EXPIRE', KEYS[8], ARGV[8])
  redis.call('RPUSH', KEYS[9], wait)
  redis.call('EXPIRE', KEYS[9], ARGV[8])
  redis.call('ZADD', KEYS[10], ARGV[5], ARGV[1] .. ':' .. wait)
  redis.call('ZREMRANGEBYSCORE', KEYS[10], '-inf', ARGV[9])
end
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('HSET', KEYS[5], 'load', load + 1, 'lastAssignedAt', ARGV[5])

local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
redis.call('XADD', KEYS[2], '0-' .. seq, 'from', 'system', 'text', ARGV[7], 'at', ARGV[6], 'code', 'assigned')
return { conv[1], conv[5] or '', seq, redis.call('HGETALL', KEYS[1]), conv[4] and 0 or 1 }
