--[[
  Appends a visitor's or listener's message once per clientMsgId, with the next seq.

  KEYS[1] conversation hash
  KEYS[2] conversation message stream
  KEYS[3] conversation dedup hash (sender:clientMsgId -> seq)

  ARGV[1] from ('visitor' or 'listener')
  ARGV[2] sender id
  ARGV[3] text
  ARGV[4] clientMsgId
  ARGV[5] now as an ISO string

  Returns { duplicate (1 or 0), seq, visitor id, listener id or '', text, at } where text and at
  are the original's for a duplicate.
  Errors: APP not_found, APP not_chatting (visitor), APP not_yours (listener).
]]
local conv = redis.call('HMGET', KEYS[1], 'state', 'visitorId', 'listenerId')
local state, visitorId, listenerId = conv[1], conv[2], conv[3] or ''
if not state then return redis.error_reply('APP not_found') end
local fromVisitor = ARGV[1] == 'visitor'
if fromVisitor and visitorId ~= ARGV[2] then return redis.error_reply('APP not_chatting') end
if not fromVisitor and listenerId ~= ARGV[2] then return redis.error_reply('APP not_yours') end

-- A retry answers the original even when the state moved on since, so no send is lost or doubled.
local dedupField = ARGV[1] .. ':' .. ARGV[4]
local known = redis.call('HGET', KEYS[3], dedupField)
if known then
  local text, at = '', ''
  local entry = redis.call('XRANGE', KEYS[2], '0-' .. known, '0-' .. known)[1]
  if entry then
    local f = entry[2]
    for i = 1, #f, 2 do
      if f[i] == 'text' then text = f[i + 1] elseif f[i] == 'at' then at = f[i + 1] end
    end
  end
  return { 1, tonumber(known), visitorId, listenerId, text, at }
end

if fromVisitor and state ~= 'queued' and state ~= 'active' then
  return redis.error_reply('APP not_chatting')
end
if not fromVisitor and state ~= 'active' then return redis.error_reply('APP not_yours') end

local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
redis.call('XADD', KEYS[2], '0-' .. seq, 'from', ARGV[1], 'text', ARGV[3], 'at', ARGV[5], 'cmid', ARGV[4])
redis.call('HSET', KEYS[3], dedupField, seq)
return { 0, seq, visitorId, listenerId, ARGV[3], ARGV[5] }
