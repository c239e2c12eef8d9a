--[[
  Removes and returns the timers that are due, so each is claimed by exactly one caller.

  KEYS[1] timers sorted set (member: timer key, score: due time)

  ARGV[1] now (epoch ms)
  ARGV[2] limit

  Returns the claimed timer keys, earliest first.
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
