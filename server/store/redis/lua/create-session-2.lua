--[[
  Stores a staff session and indexes it under its user. The user's index lives at least as long
  as its longest session, so ids of sessions that expired on their own disappear with it.

  KEYS[1] session hash
  KEYS[2] the user's set of session ids

  ARGV[1]   session id
  ARGV[2]   time to live (ms)
  ARGV[3..] session hash fields and values

  Returns 1.
]]
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return 1
