--[[
  Forgets a listener who is gone. A listener who reconnected on another node, or still holds
  conversations, is kept: the caller's view may be out of date.

  KEYS[1] presence hash
  KEYS[2] set of listener ids with a presence
  KEYS[3] the listener's conversation set

  ARGV[1] user id

  Returns 1 when removed, 0 when kept.
]]
if tonumber(redis.call('HGET', KEYS[1], 'connections') or '0') > 0 then return 0 end
if redis.call('SCARD', KEYS[3]) > 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1
