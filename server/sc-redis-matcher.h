/* sc-redis-matcher.h: the lobby's matching state in Redis, shared by every node.
 *
 * Pairing is one Lua script run atomically inside Redis: it samples at most 16 waiting
 * users (SRANDMEMBER), skips itself, users of dead nodes (whom it removes) and blocked
 * couples, prefers anyone but the partner just left, and either removes the chosen one
 * from the waiting set and returns it, or adds the caller. Two nodes can therefore never
 * hand out the same user, and the cost of a match does not depend on how many wait.
 * Only when none of the 16 may meet the caller and more wait does it look through the
 * rest (SSCAN, at most 1,000 more): a caller blocked by many must not wait beside a user
 * it may meet just because the draw missed them. That costs something only in a lobby
 * holding more than 16 users the caller may not meet, who then cannot meet each other
 * either (or they would have been paired).
 *
 * Keys: sc:waiting (set of ids), sc:u:ID (hash: node, name, last), sc:blocked:ID (set),
 * sc:node:NAME (a node's heartbeat, see sc-node-bus.h). */
#pragma once

#include "sc-matcher.h"
#include "sc-redis.h"

G_BEGIN_DECLS

#define SC_TYPE_REDIS_MATCHER (sc_redis_matcher_get_type ())
G_DECLARE_FINAL_TYPE (ScRedisMatcher, sc_redis_matcher, SC, REDIS_MATCHER, GObject)

ScMatcher *sc_redis_matcher_new (ScRedis    *redis,
                                 const char *node);

G_END_DECLS
