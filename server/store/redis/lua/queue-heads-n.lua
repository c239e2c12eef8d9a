--[[
  The heads of some languages' queues with the conversations' records: one round trip for what
  was a read of the queues and then one of the conversations (routing reads these every round).

  KEYS[1]     set of the languages ever queued (read when ARGV[4] is '1')
  KEYS[2..n]  queues to read (none when ARGV[4] is '1')

  ARGV[1]  how many to read from each queue
  ARGV[2]  a conversation's hash is named ARGV[2] .. id .. ARGV[3]
  ARGV[3]
  ARGV[4]  '1': read the queue of every language in KEYS[1], named ARGV[5] .. language .. ARGV[6]
  ARGV[5]
  ARGV[6]

  The names built here share the store's prefix, which on Redis Cluster carries the hash tag
  that keeps every multi-key script in one slot (keys.ts).

  Returns { id, score, HGETALL of the conversation, ... } for each queue in turn, in queue order;
  the caller merges the queues (an entry whose conversation vanished has an empty hash).
]]
local limit = tonumber(ARGV[1])
local queues = {}
if ARGV[4] == '1' then
  for _, language in ipairs(redis.call('SMEMBERS', KEYS[1])) do queues[#queues + 1] = ARGV[5] .. language .. ARGV[6] end
else
  for i = 2, #KEYS do queues[#queues + 1] = KEYS[i] end
end

local out = {}
for _, queue in ipairs(queues) do
  local head = redis.call('ZRANGE', queue, 0, limit - 1, 'WITHSCORES')
  for i = 1, #head, 2 do
    out[#out + 1] = head[i]
    out[#out + 1] = head[i + 1]
    out[#out + 1] = redis.call('HGETALL', ARGV[2] .. head[i] .. ARGV[3])
  end
end
return out
