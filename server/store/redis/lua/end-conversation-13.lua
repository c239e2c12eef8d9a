--[[
  Ends a queued or active conversation: leaves the queue (counted abandoned) or frees the listener
  (duration recorded), appends the 'ended' system message, optionally blocks the visitor, and
  makes the transcript expire after the retention period; drops the long-wait timer. Ending an ended one changes nothing but
  the wrap-up (kept if none was saved yet: a listener writes it after the visitor left) and the
  block.

  KEYS[1]  conversation hash
  KEYS[2]  conversation message stream
  KEYS[3]  conversation dedup hash
  KEYS[4]  queue of the conversation's language
  KEYS[5]  total waiting counter
  KEYS[6]  presence hash of the conversation's listener (unused when it has none)
  KEYS[7]  conversation set of that listener (unused when it has none)
  KEYS[8]  set of active conversations
  KEYS[9]  set of flagged conversations
  KEYS[10] today's counters
  KEYS[11] today's durations list
  KEYS[12] visitor hash
  KEYS[13] cluster timers (sorted set)

  ARGV[1]  conversation id
  ARGV[2]  listener id as read by the caller ('' for none)
  ARGV[3]  language as read by the caller
  ARGV[4]  listener id of the caller ('' when not a listener)
  ARGV[5]  visitor id of the caller ('' when not the visitor)
  ARGV[6]  ended by ('visitor', 'listener' or 'system')
  ARGV[7]  reason ('' for none)
  ARGV[8]  outcome topics as JSON ('' for no outcome)
  ARGV[9]  outcome risk
  ARGV[10] outcome note ('' for none)
  ARGV[11] block the visitor until (epoch ms, '' for no block)
  ARGV[12] now (epoch ms)
  ARGV[13] now as an ISO string
  ARGV[14] system message text
  ARGV[15] transcript retention (ms)
  ARGV[16] ttl of today's statistics (seconds)
  ARGV[17] the conversation's long-wait timer

  Returns { previous state, previous listener id or '', seq of the system message or 0, conversation HGETALL }.
  Errors: STALE, APP not_found, APP not_yours, APP not_chatting.
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'listenerId', 'language', 'visitorId', 'answeredAt', 'assignedAt')
if not conv[1] then return redis.error_reply('APP not_found') end
local state, listenerId = conv[1], conv[2] or ''
if listenerId ~= ARGV[2] or conv[3] ~= ARGV[3] then return redis.error_reply('STALE changed') end
if ARGV[4] ~= '' and listenerId ~= ARGV[4] then return redis.error_reply('APP not_yours') end
if ARGV[5] ~= '' and conv[4] ~= ARGV[5] then return redis.error_reply('APP not_chatting') end

local function saveOutcome()
  if ARGV[8] == '' or redis.call('HEXISTS', KEYS[1], 'outcomeRisk') == 1 then return end
  redis.call('HSET', KEYS[1], 'outcomeTopics', ARGV[8], 'outcomeRisk', ARGV[9])
  if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'outcomeNote', ARGV[10]) end
  redis.call('HINCRBY', KEYS[10], 'risk:' .. ARGV[9], 1)
  redis.call('EXPIRE', KEYS[10], ARGV[16])
end

local function blockVisitor()
  if ARGV[11] ~= '' and redis.call('HGET', KEYS[12], 'id') == conv[4] then
    redis.call('HSET', KEYS[12], 'blockedUntil', ARGV[11])
  end
end

if state == 'ended' then
  saveOutcome()
  blockVisitor()
  return { state, listenerId, 0, redis.call('HGETALL', KEYS[1]) }
end

local now = tonumber(ARGV[12])
if state == 'queued' then
  if redis.call('ZREM', KEYS[4], ARGV[1]) == 1 then redis.call('DECR', KEYS[5]) end
  redis.call('HINCRBY', KEYS[10], 'abandoned', 1)
else
  redis.call('SREM', KEYS[8], ARGV[1])
  redis.call('SREM', KEYS[7], ARGV[1])
  if redis.call('EXISTS', KEYS[6]) == 1 then
    redis.call('HSET', KEYS[6], 'load', redis.call('SCARD', KEYS[7]))
  end
  -- Measured from the first answer: a requeue in between is part of the same conversation.
  local since = tonumber(conv[5] or conv[6] or ARGV[12])
  redis.call('RPUSH', KEYS[11], math.max(0, math.floor((now - since) / 1000)))
  redis.call('EXPIRE', KEYS[11], ARGV[16])
end
redis.call('HINCRBY', KEYS[10], 'ended', 1)
redis.call('EXPIRE', KEYS[10], ARGV[16])
redis.call('SREM', KEYS[9], ARGV[1])
redis.call('ZREM', KEYS[13], ARGV[17])

redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[12], 'endedBy', ARGV[6])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'reason', ARGV[7]) end
saveOutcome()
blockVisitor()

local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
redis.call('XADD', KEYS[2], '0-' .. seq, 'from', 'system', 'text', ARGV[14], 'at', ARGV[13], 'code', 'ended')
redis.call('PEXPIRE', KEYS[1], ARGV[15])
redis.call('PEXPIRE', KEYS[2], ARGV[15])
redis.call('PEXPIRE', KEYS[3], ARGV[15])
return { state, listenerId, seq, redis.call('HGETALL', KEYS[1]) }
