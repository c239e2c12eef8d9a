--[[
  Sets a listener's status, only when they have a presence (never creates a partial one).

  KEYS[1] presence hash

  ARGV[1] status ('available' or 'away')

  Returns the presence HGETALL, or nil when there is no presence.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
return redis.call('HGETALL', KEYS[1])
