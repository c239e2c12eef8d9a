--[[
  Returns a live session with lastSeenAt moved to now and its expiry slid to the nearer of the
  idle and absolute limits; deletes it when either has passed.

  KEYS[1] session hash

  ARGV[1] now (epoch ms)
  ARGV[2] idle limit (ms)

  Returns the session HGETALL, or nil when unknown or expired.
]]
local s = redis.call('HMGET', KEYS[1], 'lastSeenAt', 'expiresAt')
if not s[1] or not s[2] then return false end
local now, idle, expiresAt = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(s[2])
if expiresAt <= now or tonumber(s[1]) + idle <= now then
  redis.call('DEL', KEYS[1])
  return false
end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.min(expiresAt - now, idle))
return redis.call('HGETALL', KEYS[1])
