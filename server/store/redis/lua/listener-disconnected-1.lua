--[[
  Counts a closed socket of a listener, never below zero.

  KEYS[1] presence hash

  Returns the presence HGETALL, or nil when there is no presence.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if tonumber(redis.call('HGET', KEYS[1], 'connections') or '0') > 0 then
  redis.call('HINCRBY', KEYS[1], 'connections', -1)
else
  redis.call('HSET', KEYS[1], 'connections', 0)
end
return redis.call('HGETALL', KEYS[1])
