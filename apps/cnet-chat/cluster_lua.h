/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The Lua scripts through which cluster.c changes what the instances
 * share in Redis: each changes the keys and publishes the event in one
 * atomic step. Included by cluster.c alone. */
#ifndef CNET_CHAT_CLUSTER_LUA_H
#define CNET_CHAT_CLUSTER_LUA_H

/* Keys, under the prefix P ("cnet-chat:<db>:"):
 *   node:<n>   this run of node n (its incarnation), for a lease
 *   nodes      the nodes that have claimed their name
 *   users:<n>  n's users: key -> "<seq>\n<nick>"
 *   nick:<k>   the node holding the nickname with key k, for a lease
 *   seq        the join counter
 * Channels: P room (every event), P to:<n> (n's own). Events are fields
 * joined by LF, the first one their kind:
 *   J node key seq nick | Q node key how | N node oldkey newkey nick
 *   S node line | G node how key... | P node key from text
 *   Y (node key seq nick)...  */

/* A node gone: its users' claims and its list, announced as G. */
#define LUA_GONE                                                            \
  "local function gone(P, n, how)\n"                                        \
  "  local uk = P..'users:'..n\n"                                           \
  "  local msg = {'G', n, how}\n"                                           \
  "  for _, k in ipairs(redis.call('HKEYS', uk)) do\n"                      \
  "    local ck = P..'nick:'..k\n"                                          \
  "    if redis.call('GET', ck) == n then redis.call('DEL', ck) end\n"      \
  "    msg[#msg + 1] = k\n"                                                 \
  "  end\n"                                                                 \
  "  redis.call('DEL', uk)\n"                                               \
  "  redis.call('SREM', P..'nodes', n)\n"                                   \
  "  redis.call('PUBLISH', P..'room', table.concat(msg, '\\n'))\n"          \
  "  return #msg - 3\n"                                                     \
  "end\n"

/* ARGV: P node incarnation ttl (key nick)...: claims the node's name and
 * makes its list the users given; replies 'held', or 'ok' and each key
 * with its seq (0: the nickname is someone else's now). */
static const char lua_announce[] =
    "local P, node, inc, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]\n"
    "local nk = P..'node:'..node\n"
    "local cur = redis.call('GET', nk)\n"
    "if cur and cur ~= inc then return {'held'} end\n"
    "redis.call('SET', nk, inc, 'PX', ttl)\n"
    "redis.call('SADD', P..'nodes', node)\n"
    "local uk = P..'users:'..node\n"
    "local want, old = {}, {}\n"
    "for i = 5, #ARGV, 2 do want[ARGV[i]] = true end\n"
    "local have = redis.call('HGETALL', uk)\n"
    "for i = 1, #have, 2 do\n"
    "  local k = have[i]\n"
    "  if want[k] then old[k] = have[i + 1] else\n"
    "    redis.call('HDEL', uk, k)\n"
    "    if redis.call('GET', P..'nick:'..k) == node then\n"
    "      redis.call('DEL', P..'nick:'..k) end\n"
    "    redis.call('PUBLISH', P..'room', 'Q\\n'..node..'\\n'..k..'\\nleft')\n"
    "  end\n"
    "end\n"
    "local out = {'ok'}\n"
    "for i = 5, #ARGV, 2 do\n"
    "  local k, nick = ARGV[i], ARGV[i + 1]\n"
    "  local ck = P..'nick:'..k\n"
    "  local owner = redis.call('GET', ck)\n"
    "  local seq = 0\n"
    "  if owner and owner ~= node then\n"
    "    if old[k] then\n"
    "      redis.call('HDEL', uk, k)\n"
    "      redis.call('PUBLISH', P..'room', 'Q\\n'..node..'\\n'..k..'\\nleft')\n"
    "    end\n"
    "  else\n"
    "    redis.call('SET', ck, node, 'PX', ttl)\n"
    "    if old[k] then\n"
    "      local s, n = string.match(old[k], '^(%d+)\\n(.*)$')\n"
    "      seq = tonumber(s)\n"
    "      if n ~= nick then\n"
    "        redis.call('HSET', uk, k, s..'\\n'..nick)\n"
    "        redis.call('PUBLISH', P..'room',\n"
    "                   'N\\n'..node..'\\n'..k..'\\n'..k..'\\n'..nick)\n"
    "      end\n"
    "    else\n"
    "      seq = redis.call('INCR', P..'seq')\n"
    "      redis.call('HSET', uk, k, seq..'\\n'..nick)\n"
    "      redis.call('PUBLISH', P..'room',\n"
    "                 'J\\n'..node..'\\n'..k..'\\n'..seq..'\\n'..nick)\n"
    "    end\n"
    "  end\n"
    "  out[#out + 1] = k\n"
    "  out[#out + 1] = seq\n"
    "end\n"
    "return out\n";

/* ARGV: P node: publishes who is on the other live nodes, as Y, on the
 * node's own channel. */
static const char lua_sync[] =
    "local P = ARGV[1]\n"
    "local parts = {'Y'}\n"
    "for _, n in ipairs(redis.call('SMEMBERS', P..'nodes')) do\n"
    "  if n ~= ARGV[2] and redis.call('EXISTS', P..'node:'..n) == 1 then\n"
    "    local all = redis.call('HGETALL', P..'users:'..n)\n"
    "    for i = 1, #all, 2 do\n"
    "      local s, nick = string.match(all[i + 1], '^(%d+)\\n(.*)$')\n"
    "      parts[#parts + 1] = n\n"
    "      parts[#parts + 1] = all[i]\n"
    "      parts[#parts + 1] = s\n"
    "      parts[#parts + 1] = nick\n"
    "    end\n"
    "  end\n"
    "end\n"
    "redis.call('PUBLISH', P..'to:'..ARGV[2], table.concat(parts, '\\n'))\n"
    "return 1\n";

/* ARGV: P node incarnation ttl key nick: the seq, 0 (taken) or -1 (the
 * node's claim is gone). */
static const char lua_claim[] =
    "local P, node = ARGV[1], ARGV[2]\n"
    "if redis.call('GET', P..'node:'..node) ~= ARGV[3] then return -1 end\n"
    "local ck = P..'nick:'..ARGV[5]\n"
    "if redis.call('EXISTS', ck) == 1 then return 0 end\n"
    "redis.call('SET', ck, node, 'PX', ARGV[4])\n"
    "local seq = redis.call('INCR', P..'seq')\n"
    "redis.call('HSET', P..'users:'..node, ARGV[5], seq..'\\n'..ARGV[6])\n"
    "redis.call('PUBLISH', P..'room',\n"
    "           'J\\n'..node..'\\n'..ARGV[5]..'\\n'..seq..'\\n'..ARGV[6])\n"
    "return seq\n";

/* ARGV: P node incarnation ttl oldkey newkey nick: as lua_claim. */
static const char lua_rename[] =
    "local P, node = ARGV[1], ARGV[2]\n"
    "if redis.call('GET', P..'node:'..node) ~= ARGV[3] then return -1 end\n"
    "local uk = P..'users:'..node\n"
    "local was = redis.call('HGET', uk, ARGV[5])\n"
    "if not was then return -1 end\n"
    "local s = string.match(was, '^(%d+)\\n')\n"
    "if ARGV[6] ~= ARGV[5] then\n"
    "  local ck = P..'nick:'..ARGV[6]\n"
    "  if redis.call('EXISTS', ck) == 1 then return 0 end\n"
    "  redis.call('SET', ck, node, 'PX', ARGV[4])\n"
    "  local ok = P..'nick:'..ARGV[5]\n"
    "  if redis.call('GET', ok) == node then redis.call('DEL', ok) end\n"
    "  redis.call('HDEL', uk, ARGV[5])\n"
    "end\n"
    "redis.call('HSET', uk, ARGV[6], s..'\\n'..ARGV[7])\n"
    "redis.call('PUBLISH', P..'room',\n"
    "           'N\\n'..node..'\\n'..ARGV[5]..'\\n'..ARGV[6]..'\\n'..ARGV[7])\n"
    "return tonumber(s)\n";

/* ARGV: P node key how. */
static const char lua_leave[] =
    "local P, node, k = ARGV[1], ARGV[2], ARGV[3]\n"
    "if redis.call('HDEL', P..'users:'..node, k) == 0 then return 0 end\n"
    "local ck = P..'nick:'..k\n"
    "if redis.call('GET', ck) == node then redis.call('DEL', ck) end\n"
    "redis.call('PUBLISH', P..'room', 'Q\\n'..node..'\\n'..k..'\\n'..ARGV[4])\n"
    "return 1\n";

/* ARGV: P node incarnation ttl: 1, or 0 when the claim is not ours. */
static const char lua_renew[] =
    "local P, node, ttl = ARGV[1], ARGV[2], ARGV[4]\n"
    "local nk = P..'node:'..node\n"
    "if redis.call('GET', nk) ~= ARGV[3] then return 0 end\n"
    "redis.call('PEXPIRE', nk, ttl)\n"
    "for _, k in ipairs(redis.call('HKEYS', P..'users:'..node)) do\n"
    "  local ck = P..'nick:'..k\n"
    "  if redis.call('GET', ck) == node then redis.call('PEXPIRE', ck, ttl) end\n"
    "end\n"
    "return 1\n";

/* ARGV: P: every node whose claim has expired is gone; replies each with
 * its count of users. */
static const char lua_reap[] =
    LUA_GONE
    "local P = ARGV[1]\n"
    "local out = {}\n"
    "for _, n in ipairs(redis.call('SMEMBERS', P..'nodes')) do\n"
    "  if redis.call('EXISTS', P..'node:'..n) == 0 then\n"
    "    out[#out + 1] = n\n"
    "    out[#out + 1] = gone(P, n, 'is gone')\n"
    "  end\n"
    "end\n"
    "return out\n";

/* ARGV: P node incarnation: the node leaves, with its users. */
static const char lua_bye[] =
    LUA_GONE
    "local P, node = ARGV[1], ARGV[2]\n"
    "local nk = P..'node:'..node\n"
    "if redis.call('GET', nk) ~= ARGV[3] then return 0 end\n"
    "redis.call('DEL', nk)\n"
    "return gone(P, node, 'shut down')\n";

#endif
