--[[
  Refreshes what routing knows of a listener's account (after a supervisor changed it), only when
  they have a presence: never creates a partial one.

  KEYS[1] presence hash

  ARGV[1] display name
  ARGV[2] languages as JSON
  ARGV[3] max concurrent conversations

  Returns the presence HGETALL, or nil when there is no presence.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'displayName', ARGV[1], 'languages', ARGV[2], 'maxConcurrent', ARGV[3])
return redis.call('HGETALL', KEYS[1])
