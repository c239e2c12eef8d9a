--[[
  Records a visitor's rating of an ended conversation, once. The comment stays with the
  conversation (and expires with it); statistics only get counts.

  KEYS[1] conversation hash
  KEYS[2] today's counters

  ARGV[1] visitor id
  ARGV[2] rating (1..5)
  ARGV[3] comment ('' for none)
  ARGV[4] now (epoch ms)
  ARGV[5] ttl of today's statistics (seconds)

  Returns 1.
  Errors: APP not_found (unknown or not this visitor's), APP not_ended, APP already_rated.
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'visitorId', 'rated')
if not conv[1] or conv[2] ~= ARGV[1] then return redis.error_reply('APP not_found') end
if conv[1] ~= 'ended' then return redis.error_reply('APP not_ended') end
if conv[3] == '1' then return redis.error_reply('APP already_rated') end

redis.call('HSET', KEYS[1], 'rated', '1', 'rating', ARGV[2], 'ratedAt', ARGV[4])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'feedbackComment', ARGV[3]) end
redis.call('HINCRBY', KEYS[2], 'feedback', 1)
redis.call('HINCRBY', KEYS[2], 'ratingSum', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
