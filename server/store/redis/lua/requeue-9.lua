--[[
  Puts an active conversation back at the front of its queue (queuedAt = startedAt - advance, see
  server/store/queue-order.ts) and appends a system message ('transferred' or 'listener_lost').
  A listener who gave it back on purpose ('transferred') is remembered, so routing does not offer
  it to them again; a lost connection is not held against them: they may be the only one who
  speaks the language. An optional long-wait timer starts again: the visitor waits again.

  KEYS[1] conversation hash
  KEYS[2] conversation message stream
  KEYS[3] queue of the conversation's language
  KEYS[4] set of queued languages
  KEYS[5] total waiting counter
  KEYS[6] listener presence hash
  KEYS[7] listener's conversation set
  KEYS[8] set of active conversations
  KEYS[9] cluster timers (sorted set)

  ARGV[1] conversation id
  ARGV[2] listener id
  ARGV[3] the conversation's language as read by the caller
  ARGV[4] system message code
  ARGV[5] system message text
  ARGV[6] now as an ISO string
  ARGV[7] requeue advance in ms
  ARGV[8] score band added for non-urgent conversations
  ARGV[9] the conversation's long-wait timer ('' for none)
  ARGV[10] when that timer is due (epoch ms)

  Returns { previous state, previous listener id, seq of the system message, conversation HGETALL }.
  Errors: STALE, APP not_found, APP not_chatting (not active), APP not_yours.
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'language', 'listenerId', 'urgent', 'startedAt')
if not conv[1] then return redis.error_reply('APP not_found') end
if conv[2] ~= ARGV[3] then return redis.error_reply('STALE changed') end
if conv[1] ~= 'active' then return redis.error_reply('APP not_chatting') end
if conv[3] ~= ARGV[2] then return redis.error_reply('APP not_yours') end

local queuedAt = tonumber(conv[5]) - tonumber(ARGV[7])
local score = queuedAt
if conv[4] ~= '1' then score = score + tonumber(ARGV[8]) end
redis.call('HSET', KEYS[1], 'state', 'queued', 'queuedAt', queuedAt, 'queueScore', score)
if ARGV[4] == 'transferred' then redis.call('HSET', KEYS[1], 'releasedBy', ARGV[2]) end
redis.call('HDEL', KEYS[1], 'listenerId', 'assignedAt')
redis.call('ZADD', KEYS[3], score, ARGV[1])
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('INCR', KEYS[5])
redis.call('SREM', KEYS[8], ARGV[1])
redis.call('SREM', KEYS[7], ARGV[1])
if ARGV[9] ~= '' then redis.call('ZADD', KEYS[9], ARGV[10], ARGV[9]) end
if redis.call('EXISTS', KEYS[6]) == 1 then
  redis.call('HSET', KEYS[6], 'load', redis.call('SCARD', KEYS[7]))
end

local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
redis.call('XADD', KEYS[2], '0-' .. seq, 'from', 'system', 'text', ARGV[5], 'at', ARGV[6], 'code', ARGV[4])
return { conv[1], conv[3], seq, redis.call('HGETALL', KEYS[1]) }
