--[[
  Deletes one staff session and its entry in the user's index.

  KEYS[1] session hash
  KEYS[2] the user's set of session ids

  ARGV[1] session id
  ARGV[2] user id as read by the caller

  Returns 1 when a session was deleted, else 0.
  Errors: STALE (the session belongs to someone else than the caller read).
]]
local owner = redis.call('HGET', KEYS[1], 'userId')
if owner and owner ~= ARGV[2] then return redis.error_reply('STALE changed') end
redis.call('SREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
