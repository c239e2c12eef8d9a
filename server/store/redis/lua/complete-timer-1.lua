--[[
  Removes a handled timer, unless it was rescheduled (or cancelled and scheduled again) since it
  was claimed: then its due time is no longer the lease end, and the new schedule stands.

  KEYS[1] timers sorted set

  ARGV[1] timer key
  ARGV[2] lease end the claim set (epoch ms)

  Returns 1 when removed, 0 when kept.
]]
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
