--[[
  Appends visitors' and listeners' messages, each once per clientMsgId with the next seq of its
  conversation. The messages of one turn of a node's event loop come in one call (the hot path:
  one round trip and one script run for many messages); each is checked and answered on its own,
  in order, so a later one in the batch sees an earlier one (same conversation, same clientMsgId).

  KEYS, three for each message i (k = 3 * (i - 1)):
  KEYS[k+1]  conversation hash
  KEYS[k+2]  conversation message stream
  KEYS[k+3]  conversation dedup hash (sender:clientMsgId -> seq)

  ARGV, five for each message i (a = 5 * (i - 1)):
  ARGV[a+1]  from ('visitor' or 'listener')
  ARGV[a+2]  sender id
  ARGV[a+3]  text
  ARGV[a+4]  clientMsgId
  ARGV[a+5]  now as an ISO string

  Returns one reply per message:
  { 0, seq, visitor id, listener id or '' } for a new message (its text and time are the caller's),
  { 1, seq, visitor id, listener id or '', text, at } for a repeated clientMsgId (the original's),
  { -1, code } for a refusal: not_found, not_chatting (visitor), not_yours (listener),
  { -2 } when a command failed while storing it (what it wrote before the failure stays).
]]
local function append(k, a)
  local from, senderId, text, clientMsgId, at = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local conv = redis.call('HMGET', KEYS[k + 1], 'state', 'visitorId', 'listenerId')
  local state, visitorId, listenerId = conv[1], conv[2], conv[3] or ''
  if not state then return { -1, 'not_found' } end
  local fromVisitor = from == 'visitor'
  if fromVisitor and visitorId ~= senderId then return { -1, 'not_chatting' } end
  if not fromVisitor and listenerId ~= senderId then return { -1, 'not_yours' } end

  -- A retry answers the original even when the state moved on since, so no send is lost or doubled.
  local dedupField = from .. ':' .. clientMsgId
  local known = redis.call('HGET', KEYS[k + 3], dedupField)
  if known then
    local storedText, storedAt = '', ''
    local entry = redis.call('XRANGE', KEYS[k + 2], '0-' .. known, '0-' .. known)[1]
    if entry then
      local f = entry[2]
      for i = 1, #f, 2 do
        if f[i] == 'text' then storedText = f[i + 1] elseif f[i] == 'at' then storedAt = f[i + 1] end
      end
    end
    return { 1, tonumber(known), visitorId, listenerId, storedText, storedAt }
  end

  if fromVisitor and state ~= 'queued' and state ~= 'active' then return { -1, 'not_chatting' } end
  if not fromVisitor and state ~= 'active' then return { -1, 'not_yours' } end

  local seq = redis.call('HINCRBY', KEYS[k + 1], 'lastSeq', 1)
  redis.call('XADD', KEYS[k + 2], '0-' .. seq, 'from', from, 'text', text, 'at', at, 'cmid', clientMsgId)
  redis.call('HSET', KEYS[k + 3], dedupField, seq)
  return { 0, seq, visitorId, listenerId }
end

-- A command error inside one message (a damaged key, out of memory) fails that message alone:
-- Redis keeps what the messages before it wrote, so they must still get their answers.
local replies = {}
for i = 1, #KEYS / 3 do
  local ok, reply = pcall(append, 3 * (i - 1), 5 * (i - 1))
  replies[i] = ok and reply or { -2 }
end
return replies
