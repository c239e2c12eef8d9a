--[[
  Moves the expiry of an anonymous visitor and of their token index, so an ongoing chat keeps its
  visitor. Keys that are gone stay gone; a token index of another visitor is left alone.

  KEYS[1] visitor token key (hash of the token -> visitor id)
  KEYS[2] visitor hash

  ARGV[1] visitor id
  ARGV[2] time to live (seconds)

  Returns 1.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
