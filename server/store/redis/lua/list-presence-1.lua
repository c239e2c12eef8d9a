--[[
  Every listener's presence in one round trip (routing reads them all when somebody waits).

  KEYS[1]  set of the listener ids with a presence
  ARGV[1]  a presence hash is named ARGV[1] .. user id .. ARGV[2]
  ARGV[2]

  The names built here share the store's prefix, which on Redis Cluster carries the hash tag
  that keeps every multi-key script in one slot (keys.ts).

  Returns { HGETALL of each presence, ... } in the set's order (an empty one for a vanished hash).
]]
local out = {}
for _, userId in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. userId .. ARGV[2])
end
return out
