--[[
  Creates a staff account with a unique username (compared case-insensitively). In
  'first-supervisor' mode it only succeeds while no supervisor exists.

  KEYS[1] user hash
  KEYS[2] username index (lower-cased username -> user id)
  KEYS[3] set of user ids
  KEYS[4] set of supervisor ids

  ARGV[1] mode ('any' or 'first-supervisor')
  ARGV[2] lower-cased username
  ARGV[3] user id
  ARGV[4] role
  ARGV[5..] user hash fields and values

  Returns 1.
  Errors: APP already_set_up, APP username_taken, APP internal (id already used).
]]
if ARGV[1] == 'first-supervisor' and redis.call('SCARD', KEYS[4]) > 0 then
  return redis.error_reply('APP already_set_up')
end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return redis.error_reply('APP username_taken') end
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('APP internal') end

redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[3])
if ARGV[4] == 'supervisor' then redis.call('SADD', KEYS[4], ARGV[3]) end
return 1
