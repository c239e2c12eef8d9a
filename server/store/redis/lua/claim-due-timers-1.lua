--[[
  Leases the timers that are due: each moves to the lease end, so exactly one caller holds it and,
  unless that caller completes it (complete-timer-1.lua), it is claimed again once the lease ends
  (a handler that failed, or a node that died while handling it).

  KEYS[1] timers sorted set (member: timer key, score: due time)

  ARGV[1] now (epoch ms)
  ARGV[2] limit
  ARGV[3] lease end (epoch ms)

  Returns the claimed timer keys, earliest first.
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, key in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], key)
end
return due
