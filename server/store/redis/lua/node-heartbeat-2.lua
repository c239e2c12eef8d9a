--[[
  Keeps a server node alive for a while and makes it known, so a sweep notices when it stops.

  KEYS[1] set of known node ids
  KEYS[2] the node's heartbeat key

  ARGV[1] node id
  ARGV[2] time to live (ms)

  Returns 1 when the node was not known (its first beat, or it had been reaped as dead), else 0.
]]
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return redis.call('SADD', KEYS[1], ARGV[1])
