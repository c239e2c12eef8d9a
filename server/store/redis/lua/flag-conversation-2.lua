--[[
  Flags an active conversation for supervisors; the first flag time is kept when the level changes.

  KEYS[1] conversation hash
  KEYS[2] set of flagged conversations

  ARGV[1] conversation id
  ARGV[2] listener id
  ARGV[3] level ('support' or 'urgent')
  ARGV[4] now (epoch ms)

  Returns the conversation HGETALL.
  Errors: APP not_found, APP not_chatting (not active), APP not_yours.
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'listenerId')
if not conv[1] then return redis.error_reply('APP not_found') end
if conv[1] ~= 'active' then return redis.error_reply('APP not_chatting') end
if conv[2] ~= ARGV[2] then return redis.error_reply('APP not_yours') end

redis.call('HSET', KEYS[1], 'flag', ARGV[3])
redis.call('HSETNX', KEYS[1], 'flaggedAt', ARGV[4])
redis.call('SADD', KEYS[2], ARGV[1])
return redis.call('HGETALL', KEYS[1])
