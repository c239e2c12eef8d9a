--[[
  Counts a new socket of a listener, on their presence and on the node that holds it, and
  refreshes their profile. A new presence starts 'available'; an existing one keeps its status.
  The load is recounted from the listener's conversation set, so it is right even after the
  presence was forgotten.

  KEYS[1] presence hash
  KEYS[2] set of listener ids with a presence
  KEYS[3] the listener's conversation set
  KEYS[4] the node's listener hash (listener id -> open sockets on that node)

  ARGV[1] user id
  ARGV[2] display name
  ARGV[3] languages as JSON
  ARGV[4] max concurrent conversations
  ARGV[5] now (epoch ms)

  Returns the presence HGETALL.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'status', 'available', 'connections', 1, 'lastAssignedAt', 0)
else
  redis.call('HINCRBY', KEYS[1], 'connections', 1)
end
redis.call('HSET', KEYS[1], 'displayName', ARGV[2], 'languages', ARGV[3], 'maxConcurrent', ARGV[4],
  'load', redis.call('SCARD', KEYS[3]), 'connectedAt', ARGV[5])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[4], ARGV[1], 1)
return redis.call('HGETALL', KEYS[1])
