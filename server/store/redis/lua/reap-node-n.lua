--[[
  Forgets a server node that stopped heartbeating (or, forced, one that is stopping): what its
  sockets counted is taken back, and grace timers start as the sockets' disconnects would have
  started them: for every visitor it held who has a conversation, and for every listener left
  with no connection.

  KEYS[1]    set of known node ids
  KEYS[2]    the node's heartbeat key
  KEYS[3]    the node's visitor hash (visitor id -> open sockets)
  KEYS[4]    the node's listener hash (listener id -> open sockets)
  KEYS[5]    timers sorted set
  KEYS[5+i]  presence hash of the i-th listener in ARGV[8+i]

  ARGV[1]    node id
  ARGV[2]    force ('1': reap even with a live heartbeat)
  ARGV[3]    visitor grace timer key prefix
  ARGV[4]    when visitor grace periods end (epoch ms)
  ARGV[5]    listener grace timer key prefix
  ARGV[6]    when listener grace periods end (epoch ms)
  ARGV[7]    visitor hash key, the part before the visitor id
  ARGV[8]    visitor hash key, the part after the visitor id
  ARGV[8+i]  the listener ids of the node's listener hash, as read by the caller

  Returns { ids of the visitors it held, ids of listeners whose grace started }, or nil when the node is alive
  (and not forced) or already forgotten.
  Errors: STALE when the node's listeners changed since the caller read them.
]]
local force = ARGV[2] == '1'
if not force then
  if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return false end
  if redis.call('EXISTS', KEYS[2]) == 1 then return false end
end

local listeners = #KEYS - 5
if redis.call('HLEN', KEYS[4]) ~= listeners then return redis.error_reply('STALE listeners') end
local lost = {}
for i = 1, listeners do
  local userId = ARGV[8 + i]
  local held = tonumber(redis.call('HGET', KEYS[4], userId) or '')
  if not held then return redis.error_reply('STALE listeners') end
  local presence = KEYS[5 + i]
  if redis.call('EXISTS', presence) == 1 then
    local left = math.max(0, tonumber(redis.call('HGET', presence, 'connections') or '0') - held)
    redis.call('HSET', presence, 'connections', left)
    if left == 0 then
      redis.call('ZADD', KEYS[5], ARGV[6], ARGV[5] .. userId)
      lost[#lost + 1] = userId
    end
  end
end

local visitors = redis.call('HKEYS', KEYS[3])
for _, visitorId in ipairs(visitors) do
  local conversationId = redis.call('HGET', ARGV[7] .. visitorId .. ARGV[8], 'conversationId')
  if conversationId and conversationId ~= '' then redis.call('ZADD', KEYS[5], ARGV[4], ARGV[3] .. visitorId) end
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('SREM', KEYS[1], ARGV[1])
return { visitors, lost }
