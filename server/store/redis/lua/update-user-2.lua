--[[
  Applies a patch to an existing account and keeps the supervisor set in line with its role.
  The username never changes here, so the username index stays as it is.

  KEYS[1] user hash
  KEYS[2] set of supervisor ids

  ARGV[1]   user id
  ARGV[2..] changed fields and values

  Returns the user HGETALL, or nil when the user does not exist.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if #ARGV > 1 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 2))
  local role = redis.call('HGET', KEYS[1], 'role')
  if role == 'supervisor' then
    redis.call('SADD', KEYS[2], ARGV[1])
  else
    redis.call('SREM', KEYS[2], ARGV[1])
  end
end
return redis.call('HGETALL', KEYS[1])
