/* sc-redis-matcher.c: see sc-redis-matcher.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-redis-matcher.h"

/* SRANDMEMBER's sample comes back in the set's hash order, not at random (one user of
 * 60 came first in 44 of 200 draws): the script goes through it in a random order (a
 * Fisher–Yates shuffle done one step at a time, so a caller met by the first costs one
 * draw), so the first user in it who may meet the caller is a random one. When none of
 * the 16 may, and more wait, it looks through up to 1,000 more (SSCAN) and takes one of
 * those found at random. */
static const char pick_script[] =
  "local user = ARGV[1]\n"
  "local last = redis.call('HGET', 'sc:u:' .. user, 'last')\n"
  "local rematch = nil\n"
  "local function check(c)\n"
  "  if c == user then return nil end\n"
  "  local info = redis.call('HMGET', 'sc:u:' .. c, 'node', 'name', 'last')\n"
  "  if (not info[1]) or redis.call('EXISTS', 'sc:node:' .. info[1]) == 0 then\n"
  "    redis.call('SREM', 'sc:waiting', c)\n"
  "    return nil\n"
  "  end\n"
  "  if redis.call('SISMEMBER', 'sc:blocked:' .. user, c) == 1 then return nil end\n"
  "  if c == last or info[3] == user then\n"
  "    if not rematch then rematch = {c, info[1], info[2]} end\n"
  "    return nil\n"
  "  end\n"
  "  return {c, info[1], info[2]}\n"
  "end\n"
  "local function take(p)\n"
  "  redis.call('SREM', 'sc:waiting', p[1])\n"
  "  return p\n"
  "end\n"
  "local cands = redis.call('SRANDMEMBER', 'sc:waiting', 16)\n"
  "for k = 1, #cands do\n"
  "  local j = math.random(k, #cands)\n"
  "  cands[k], cands[j] = cands[j], cands[k]\n"
  "  local p = check(cands[k])\n"
  "  if p then return take(p) end\n"
  "end\n"
  "if redis.call('SCARD', 'sc:waiting') > 16 then\n"
  "  local found, cursor, looked = {}, '0', 0\n"
  "  repeat\n"
  "    local r = redis.call('SSCAN', 'sc:waiting', cursor, 'COUNT', 100)\n"
  "    cursor = r[1]\n"
  "    for _, c in ipairs(r[2]) do\n"
  "      local p = check(c)\n"
  "      if p then found[#found + 1] = p end\n"
  "      looked = looked + 1\n"
  "    end\n"
  "  until cursor == '0' or looked >= 1000\n"
  "  if #found > 0 then return take(found[math.random(#found)]) end\n"
  "end\n"
  "if rematch and redis.call('SCARD', 'sc:waiting') == 1 then\n"
  "  return take(rematch)\n"
  "end\n"
  "redis.call('SADD', 'sc:waiting', user)\n"
  "return false\n";

typedef struct
{
  char *name;
  char *node;
} Peer;

struct _ScRedisMatcher
{
  GObject parent_instance;
  ScRedis *redis;
  char *node;
  char *script_sha;
  GHashTable *waiting;     /* this node's users in the lobby (their join is in flight or done) */
  GHashTable *peers;       /* id → Peer: users of other nodes we were paired with */
};

static void sc_redis_matcher_iface_init (ScMatcherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScRedisMatcher, sc_redis_matcher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_MATCHER, sc_redis_matcher_iface_init))

static void
peer_free (Peer *peer)
{
  g_free (peer->name);
  g_free (peer->node);
  g_free (peer);
}

typedef struct
{
  ScRedisMatcher *self;
  char *user;
  gboolean retried;
} Join;

static void pick (ScRedisMatcher *self, Join *join);

static void
on_pick (ScRedis *redis, redisReply *reply, gpointer data)
{
  Join *join = data;
  ScRedisMatcher *self = join->self;

  if (reply && reply->type == REDIS_REPLY_ERROR && !join->retried &&
      g_str_has_prefix (reply->str, "NOSCRIPT"))
    {
      join->retried = TRUE;   /* Redis restarted, or never saw the script: send it whole */
      pick (self, join);
      return;
    }
  if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
      reply->element[0]->type == REDIS_REPLY_STRING &&
      reply->element[1]->type == REDIS_REPLY_STRING &&
      reply->element[2]->type == REDIS_REPLY_STRING &&
      g_hash_table_contains (self->waiting, join->user))
    {
      const char *partner = reply->element[0]->str;
      const char *node = reply->element[1]->str;
      g_hash_table_remove (self->waiting, join->user);
      g_hash_table_remove (self->waiting, partner);   /* when it is ours too */
      if (g_strcmp0 (node, self->node) != 0)
        {
          Peer *peer = g_new0 (Peer, 1);
          peer->name = g_strdup (reply->element[2]->str);
          peer->node = g_strdup (node);
          g_hash_table_replace (self->peers, g_strdup (partner), peer);
        }
      /* Who offers is random, as in the local matcher. */
      if (g_random_boolean ())
        sc_matcher_emit_paired (SC_MATCHER (self), join->user, partner);
      else
        sc_matcher_emit_paired (SC_MATCHER (self), partner, join->user);
    }
  else if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
           reply->element[0]->type == REDIS_REPLY_STRING)
    {
      /* Paired in Redis, but the user left meanwhile: the partner goes back. */
      const char *partner = reply->element[0]->str;
      g_info ("%s left while being paired with %s; %s waits again", join->user, partner, partner);
      sc_redis_command (self->redis, NULL, NULL, "SADD", "sc:waiting", partner, NULL);
    }
  else if (reply == NULL)
    g_warning ("could not ask Redis for a partner of %s", join->user);
  g_free (join->user);
  g_free (join);
}

static void
pick (ScRedisMatcher *self, Join *join)
{
  if (join->retried)
    sc_redis_command (self->redis, on_pick, join, "EVAL", pick_script, "0", join->user, self->node,
                      NULL);
  else
    sc_redis_command (self->redis, on_pick, join, "EVALSHA", self->script_sha, "0", join->user,
                      self->node, NULL);
}

static void
sc_redis_matcher_join (ScMatcher *matcher, const char *user_id)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  g_hash_table_add (self->waiting, g_strdup (user_id));
  Join *join = g_new0 (Join, 1);
  join->self = self;
  join->user = g_strdup (user_id);
  pick (self, join);
}

static void
sc_redis_matcher_leave (ScMatcher *matcher, const char *user_id)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  if (g_hash_table_remove (self->waiting, user_id))
    sc_redis_command (self->redis, NULL, NULL, "SREM", "sc:waiting", user_id, NULL);
}

static void
sc_redis_matcher_parted (ScMatcher *matcher, const char *a, const char *b)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  g_autofree char *ka = g_strconcat ("sc:u:", a, NULL);
  g_autofree char *kb = g_strconcat ("sc:u:", b, NULL);
  sc_redis_command (self->redis, NULL, NULL, "HSET", ka, "last", b, NULL);
  sc_redis_command (self->redis, NULL, NULL, "HSET", kb, "last", a, NULL);
  g_hash_table_remove (self->peers, a);
  g_hash_table_remove (self->peers, b);
}

static void
sc_redis_matcher_forget (ScMatcher *matcher, const char *user_id)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  sc_redis_matcher_leave (matcher, user_id);
  g_autofree char *key = g_strconcat ("sc:u:", user_id, NULL);
  sc_redis_command (self->redis, NULL, NULL, "DEL", key, NULL);
}

static void
sc_redis_matcher_block (ScMatcher *matcher, const char *a, const char *b)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  g_autofree char *ka = g_strconcat ("sc:blocked:", a, NULL);
  g_autofree char *kb = g_strconcat ("sc:blocked:", b, NULL);
  sc_redis_command (self->redis, NULL, NULL, "SADD", ka, b, NULL);
  sc_redis_command (self->redis, NULL, NULL, "SADD", kb, a, NULL);
}

static void
sc_redis_matcher_flush (ScMatcher *matcher)
{
  /* Pairing happens in Redis as users join; there is nothing pending here. */
}

static guint
sc_redis_matcher_waiting (ScMatcher *matcher)
{
  return g_hash_table_size (SC_REDIS_MATCHER (matcher)->waiting);
}

static void
sc_redis_matcher_introduce (ScMatcher *matcher, const char *user_id, const char *name)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  g_autofree char *key = g_strconcat ("sc:u:", user_id, NULL);
  sc_redis_command (self->redis, NULL, NULL, "HSET", key, "node", self->node, "name", name, NULL);
}

static gboolean
sc_redis_matcher_describe (ScMatcher *matcher, const char *user_id, char **name, char **node)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  Peer *peer = g_hash_table_lookup (self->peers, user_id);
  if (peer == NULL)
    return FALSE;
  *name = g_strdup (peer->name);
  *node = g_strdup (peer->node);
  g_hash_table_remove (self->peers, user_id);
  return TRUE;
}

static void
sc_redis_matcher_iface_init (ScMatcherInterface *iface)
{
  iface->join = sc_redis_matcher_join;
  iface->leave = sc_redis_matcher_leave;
  iface->parted = sc_redis_matcher_parted;
  iface->forget = sc_redis_matcher_forget;
  iface->block = sc_redis_matcher_block;
  iface->flush = sc_redis_matcher_flush;
  iface->waiting = sc_redis_matcher_waiting;
  iface->introduce = sc_redis_matcher_introduce;
  iface->describe = sc_redis_matcher_describe;
}

static void
sc_redis_matcher_finalize (GObject *object)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (object);
  g_clear_object (&self->redis);
  g_free (self->node);
  g_free (self->script_sha);
  g_hash_table_unref (self->waiting);
  g_hash_table_unref (self->peers);
  G_OBJECT_CLASS (sc_redis_matcher_parent_class)->finalize (object);
}

static void
sc_redis_matcher_class_init (ScRedisMatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sc_redis_matcher_finalize;
}

static void
sc_redis_matcher_init (ScRedisMatcher *self)
{
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) peer_free);
  self->script_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, pick_script, -1);
}

ScMatcher *
sc_redis_matcher_new (ScRedis *redis, const char *node)
{
  ScRedisMatcher *self = g_object_new (SC_TYPE_REDIS_MATCHER, NULL);
  self->redis = g_object_ref (redis);
  self->node = g_strdup (node);
  return SC_MATCHER (self);
}
