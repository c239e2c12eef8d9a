--[[
  Ends every session of a user. Takes a variable number of keys: the caller lists the user's
  session ids as it read them, and the script refuses when the index changed since.

  KEYS[1]    the user's set of session ids
  KEYS[2..n] session hashes, in the order of ARGV[2..n]

  ARGV[1]    user id
  ARGV[2..n] session ids

  Returns the ids of the sessions that still existed.
  Errors: STALE (a session was added or removed since the caller read the index).
]]
if redis.call('SCARD', KEYS[1]) ~= #KEYS - 1 then return redis.error_reply('STALE changed') end
local deleted = {}
for i = 2, #KEYS do
  if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 0 then return redis.error_reply('STALE changed') end
end
for i = 2, #KEYS do
  if redis.call('HGET', KEYS[i], 'userId') == ARGV[1] then
    redis.call('DEL', KEYS[i])
    table.insert(deleted, ARGV[i])
  end
end
redis.call('DEL', KEYS[1])
return deleted
