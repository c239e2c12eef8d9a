--[[
  Gives queued conversations to listeners, in order, each with its 'assigned' system message.
  Stops at the first refusal, keeping the assignments made before it: routing plans from a
  snapshot, and once one step of the plan is refused the rest is stale too. A single assignment
  (a listener's accept) is a batch of one. An assigned conversation's long-wait timer is dropped.

  KEYS, eleven for each assignment i (k = 11 * (i - 1)):
  KEYS[k+1]  conversation hash
  KEYS[k+2]  conversation message stream
  KEYS[k+3]  queue of the conversation's language
  KEYS[k+4]  total waiting counter
  KEYS[k+5]  listener presence hash
  KEYS[k+6]  listener's conversation set
  KEYS[k+7]  set of active conversations
  KEYS[k+8]  today's counters
  KEYS[k+9]  today's waits list
  KEYS[k+10] recent waits sorted set
  KEYS[k+11] cluster timers (sorted set)

  ARGV[1]  now (epoch ms)
  ARGV[2]  now as an ISO string
  ARGV[3]  system message text
  ARGV[4]  ttl of today's statistics (seconds)
  ARGV[5]  recent waits older than this score are trimmed (exclusive range bound)
  then five for each assignment i (a = 5 + 5 * (i - 1)):
  ARGV[a+1]  conversation id
  ARGV[a+2]  listener id
  ARGV[a+3]  the conversation's language as read by the caller
  ARGV[a+4]  manual ('1': the listener's status may be away)
  ARGV[a+5]  the conversation's long-wait timer

  Returns { refusal, reply of each assignment made }: refusal is '' when all were made, else the
  first one's error (STALE changed, APP not_found, APP already_taken, APP not_available,
  APP at_capacity). A reply is { previous state, previous listener id or '', seq of the system
  message, conversation HGETALL, 1 when this was the conversation's first answer else 0, the whole
  message stream (XRANGE), the listener's display name from their presence; so announcing the
  assignment needs no second read }.
]]
local now, nowIso, text, statsTtl, trimBelow = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

local function assign(k, a)
  local id, listenerId, language, manual, longWait = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local conv = redis.call('HMGET', KEYS[k + 1], 'state', 'language', 'startedAt', 'answeredAt', 'listenerId')
  if not conv[1] then return 'APP not_found' end
  if conv[2] ~= language then return 'STALE changed' end
  if conv[1] ~= 'queued' then return 'APP already_taken' end

  local p = redis.call('HMGET', KEYS[k + 5], 'status', 'connections', 'maxConcurrent', 'languages', 'displayName')
  if not p[1] or tonumber(p[2] or '0') <= 0 then return 'APP not_available' end
  if manual ~= '1' and p[1] ~= 'available' then return 'APP not_available' end
  local speaks = false
  for _, spoken in ipairs(cjson.decode(p[4] or '[]')) do
    if spoken == language then speaks = true end
  end
  if not speaks then return 'APP not_available' end
  local load = redis.call('SCARD', KEYS[k + 6])
  if load >= tonumber(p[3] or '0') then return 'APP at_capacity' end

  if redis.call('ZREM', KEYS[k + 3], id) == 1 then redis.call('DECR', KEYS[k + 4]) end
  redis.call('ZREM', KEYS[k + 11], longWait)
  redis.call('HSET', KEYS[k + 1], 'state', 'active', 'listenerId', listenerId, 'assignedAt', now)
  redis.call('HDEL', KEYS[k + 1], 'releasedBy')
  -- Only the first answer counts, so a conversation that comes back from a requeue is not counted twice.
  if not conv[4] then
    local wait = math.max(0, math.floor((tonumber(now) - tonumber(conv[3])) / 1000))
    redis.call('HSET', KEYS[k + 1], 'answeredAt', now)
    redis.call('HINCRBY', KEYS[k + 8], 'answered', 1)
    redis.call('EXPIRE', KEYS[k + 8], statsTtl)
    redis.call('RPUSH', KEYS[k + 9], wait)
    redis.call('EXPIRE', KEYS[k + 9], statsTtl)
    redis.call('ZADD', KEYS[k + 10], now, id .. ':' .. wait)
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 10], '-inf', trimBelow)
  end
  redis.call('SADD', KEYS[k + 7], id)
  redis.call('SADD', KEYS[k + 6], id)
  redis.call('HSET', KEYS[k + 5], 'load', load + 1, 'lastAssignedAt', now)

  local seq = redis.call('HINCRBY', KEYS[k + 1], 'lastSeq', 1)
  redis.call('XADD', KEYS[k + 2], '0-' .. seq, 'from', 'system', 'text', text, 'at', nowIso, 'code', 'assigned')
  return nil, { conv[1], conv[5] or '', seq, redis.call('HGETALL', KEYS[k + 1]), conv[4] and 0 or 1,
    redis.call('XRANGE', KEYS[k + 2], '-', '+'), p[5] or '' }
end

local replies = { '' }
for i = 1, #KEYS / 11 do
  local refusal, reply = assign(11 * (i - 1), 5 + 5 * (i - 1))
  if refusal then
    replies[1] = refusal
    break
  end
  replies[#replies + 1] = reply
end
return replies
