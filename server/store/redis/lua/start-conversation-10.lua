--[[
  Creates a queued conversation for a visitor, with an optional first message as seq 1 and an
  optional long-wait timer (dropped by assign and end).

  KEYS[1] visitor hash
  KEYS[2] the visitor's current conversation hash (the new one's when the visitor has none)
  KEYS[3] new conversation hash
  KEYS[4] new conversation message stream
  KEYS[5] new conversation dedup hash
  KEYS[6] queue of the conversation's language
  KEYS[7] set of queued languages
  KEYS[8] total waiting counter
  KEYS[9] today's counters
  KEYS[10] cluster timers (sorted set)

  ARGV[1]  conversation id
  ARGV[2]  visitor id
  ARGV[3]  the visitor's current conversation id as read by the caller ('' for none)
  ARGV[4]  language
  ARGV[5]  topic ('' for none)
  ARGV[6]  age range ('' for none)
  ARGV[7]  urgent ('1' or '0')
  ARGV[8]  now (epoch ms)
  ARGV[9]  queue score
  ARGV[10] max queued
  ARGV[11] ttl of today's counters (seconds)
  ARGV[12] first message text ('' for none)
  ARGV[13] first message clientMsgId ('' for none)
  ARGV[14] now as an ISO string
  ARGV[15] the conversation's long-wait timer ('' for none)
  ARGV[16] when that timer is due (epoch ms)

  Returns { position in the queue, seq of the first message or 0, conversation HGETALL }.
  Errors: STALE (current conversation changed since read), APP already_active, APP blocked,
  APP queue_full, APP internal (id already used).
]]
local visitorExists = redis.call('EXISTS', KEYS[1]) == 1
if visitorExists then
  local current = redis.call('HGET', KEYS[1], 'conversationId') or ''
  if current ~= ARGV[3] then return redis.error_reply('STALE changed') end
  if current ~= '' then
    local state = redis.call('HGET', KEYS[2], 'state')
    if state == 'queued' or state == 'active' then return redis.error_reply('APP already_active') end
  end
  local blockedUntil = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil') or '0')
  if blockedUntil > tonumber(ARGV[8]) then return redis.error_reply('APP blocked') end
end
if redis.call('EXISTS', KEYS[3]) == 1 then return redis.error_reply('APP internal') end
if tonumber(redis.call('GET', KEYS[8]) or '0') >= tonumber(ARGV[10]) then
  return redis.error_reply('APP queue_full')
end

local fields = {
  'id', ARGV[1], 'visitorId', ARGV[2], 'language', ARGV[4], 'urgent', ARGV[7], 'state', 'queued',
  'startedAt', ARGV[8], 'queuedAt', ARGV[8], 'queueScore', ARGV[9], 'lastSeq', '0',
}
if ARGV[5] ~= '' then table.insert(fields, 'topic'); table.insert(fields, ARGV[5]) end
if ARGV[6] ~= '' then table.insert(fields, 'ageRange'); table.insert(fields, ARGV[6]) end
redis.call('HSET', KEYS[3], unpack(fields))

local firstSeq = 0
if ARGV[12] ~= '' then
  firstSeq = redis.call('HINCRBY', KEYS[3], 'lastSeq', 1)
  local entry = { 'from', 'visitor', 'text', ARGV[12], 'at', ARGV[14] }
  if ARGV[13] ~= '' then
    table.insert(entry, 'cmid'); table.insert(entry, ARGV[13])
    redis.call('HSET', KEYS[5], 'visitor:' .. ARGV[13], firstSeq)
  end
  redis.call('XADD', KEYS[4], '0-' .. firstSeq, unpack(entry))
end

redis.call('ZADD', KEYS[6], ARGV[9], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[4])
redis.call('INCR', KEYS[8])
redis.call('HINCRBY', KEYS[9], 'started', 1)
redis.call('EXPIRE', KEYS[9], ARGV[11])
if visitorExists then redis.call('HSET', KEYS[1], 'conversationId', ARGV[1]) end
if ARGV[15] ~= '' then redis.call('ZADD', KEYS[10], ARGV[16], ARGV[15]) end
return { redis.call('ZRANK', KEYS[6], ARGV[1]) + 1, firstSeq, redis.call('HGETALL', KEYS[3]) }
