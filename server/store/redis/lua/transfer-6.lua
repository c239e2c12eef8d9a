--[[
  Hands an active conversation from one listener to another and appends the 'transferred'
  system message. The receiving listener must have an open connection, speak the language and
  have room; an away status does not stop a hand-over, as with a manual accept.

  KEYS[1] conversation hash
  KEYS[2] conversation message stream
  KEYS[3] presence hash of the current listener
  KEYS[4] conversation set of the current listener
  KEYS[5] presence hash of the receiving listener
  KEYS[6] conversation set of the receiving listener

  ARGV[1] conversation id
  ARGV[2] current listener id
  ARGV[3] receiving listener id
  ARGV[4] system message text
  ARGV[5] now (epoch ms)
  ARGV[6] now as an ISO string

  Returns { previous state, previous listener id, seq of the system message, conversation HGETALL,
  0 (not a first answer), nil (no history), the receiving listener's display name }: the layout
  of assign's reply, so announcing the hand-over needs no read of their account.
  Errors: APP not_found, APP not_chatting (not active), APP not_yours, APP not_available, APP at_capacity.
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'listenerId', 'language')
if not conv[1] then return redis.error_reply('APP not_found') end
if conv[1] ~= 'active' then return redis.error_reply('APP not_chatting') end
if conv[2] ~= ARGV[2] then return redis.error_reply('APP not_yours') end
if ARGV[3] == ARGV[2] then return redis.error_reply('APP not_available') end

local p = redis.call('HMGET', KEYS[5], 'status', 'connections', 'maxConcurrent', 'languages', 'displayName')
if not p[1] or tonumber(p[2] or '0') <= 0 then return redis.error_reply('APP not_available') end
local speaks = false
for _, language in ipairs(cjson.decode(p[4] or '[]')) do
  if language == conv[3] then speaks = true end
end
if not speaks then return redis.error_reply('APP not_available') end
local load = redis.call('SCARD', KEYS[6])
if load >= tonumber(p[3] or '0') then return redis.error_reply('APP at_capacity') end

redis.call('HSET', KEYS[1], 'listenerId', ARGV[3], 'assignedAt', ARGV[5])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[1])
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HSET', KEYS[3], 'load', redis.call('SCARD', KEYS[4]))
end
redis.call('HSET', KEYS[5], 'load', load + 1, 'lastAssignedAt', ARGV[5])

local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
redis.call('XADD', KEYS[2], '0-' .. seq, 'from', 'system', 'text', ARGV[4], 'at', ARGV[6], 'code', 'transferred')
return { conv[1], conv[2], seq, redis.call('HGETALL', KEYS[1]), 0, false, p[5] or '' }
