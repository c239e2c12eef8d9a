--[[
  Counts a visitor socket on the node that holds it and cancels the visitor's grace timer.

  KEYS[1] the node's visitor hash (visitor id -> open sockets on that node)
  KEYS[2] timers sorted set

  ARGV[1] visitor id
  ARGV[2] the visitor's grace timer key

  Returns 1.
]]
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
