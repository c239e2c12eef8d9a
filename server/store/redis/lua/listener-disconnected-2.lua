--[[
  Counts a closed socket of a listener on one node. When that node no longer counts the listener
  (it was reaped as dead meanwhile, see reap-node-n.lua), nothing changes: no socket is uncounted
  twice and the total never goes below zero.

  KEYS[1] presence hash
  KEYS[2] the node's listener hash (listener id -> open sockets on that node)

  ARGV[1] user id

  Returns the presence HGETALL, or nil when there is no presence.
]]
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held > 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
elseif held == 1 then
  redis.call('HDEL', KEYS[2], ARGV[1])
end
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if held > 0 then
  local connections = tonumber(redis.call('HGET', KEYS[1], 'connections') or '0')
  redis.call('HSET', KEYS[1], 'connections', math.max(0, connections - 1))
end
return redis.call('HGETALL', KEYS[1])
