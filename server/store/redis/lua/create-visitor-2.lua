--[[
  Creates an anonymous visitor session: the token index and the visitor's hash, both expiring.

  KEYS[1] visitor token key (hash of the token -> visitor id)
  KEYS[2] visitor hash

  ARGV[1] visitor id
  ARGV[2] createdAt (epoch ms)
  ARGV[3] time to live (seconds)

  Returns 1.
]]
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
-- A fresh visitor never inherits fields from an earlier hash of the same id.
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'createdAt', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
