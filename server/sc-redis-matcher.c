/* sc-redis-matcher.c: see sc-redis-matcher.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-redis-matcher.h"

/* The pairing script: one joining user (ARGV: id, node, its state — "0" within its
 * interest wait, "1" free: nothing to share, "2" waited out: takes anyone — language or
 * "", then its interests) against those waiting, atomically. Indexes, so that its cost
 * does not grow with the number waiting: sc:i:INTEREST and sc:l:LANGUAGE (the waiting
 * users who have it), sc:open (free or waited out), sc:expired (waited out: they take
 * anyone; their node picks for them again when the wait runs out, with "2"), and
 * sc:waiting (everyone waiting). Each user's hash sc:u:ID keeps its node, name, last
 * partner, interests ("\n"-joined) and language.
 *
 * 1. Among a sample (16) of each interest's waiting users, one sharing the most
 *    interests, drawn at random among equals. 2. One sharing the language. 3. For a free
 *    or waited-out user, an open one; for anyone, one who waited out; for one who waited
 *    out, anyone waiting. SRANDMEMBER's sample comes back in the set's hash order, not at
 *    random (one user of 60 came first in 44 of 200 draws), so 2 and 3 go through it in a
 *    random order (a Fisher–Yates shuffle done one step at a time); when none of the 16
 *    may meet the user and more wait there, it looks through up to 1,000 more (SSCAN) and
 *    takes one of those found at random. A just-parted partner is taken only when nobody
 *    else waits. */
static const char pick_script[] =
  "local user, lang = ARGV[1], ARGV[4]\n"
  "local expired = ARGV[3] == '2'\n"
  "local open = ARGV[3] ~= '0'\n"
  "local tags, mine = {}, {}\n"
  "for i = 5, #ARGV do tags[#tags + 1] = ARGV[i]; mine[ARGV[i]] = true end\n"
  "local ukey = 'sc:u:' .. user\n"
  "local function split(s)\n"
  "  local out = {}\n"
  "  if s then for t in string.gmatch(s, '[^\\n]+') do out[#out + 1] = t end end\n"
  "  return out\n"
  "end\n"
  "local function unindex(c, ctags, clang)\n"
  "  redis.call('SREM', 'sc:waiting', c)\n"
  "  redis.call('SREM', 'sc:open', c)\n"
  "  redis.call('SREM', 'sc:expired', c)\n"
  "  for _, t in ipairs(ctags) do redis.call('SREM', 'sc:i:' .. t, c) end\n"
  "  if clang and clang ~= '' then redis.call('SREM', 'sc:l:' .. clang, c) end\n"
  "end\n"
  "local old = redis.call('HMGET', ukey, 'tags', 'lang', 'last')\n"
  "unindex(user, split(old[1]), old[2])\n"
  "local last = old[3]\n"
  "redis.call('HSET', ukey, 'tags', table.concat(tags, '\\n'), 'lang', lang)\n"
  "local rematch, seen = nil, {}\n"
  "local function check(c)\n"
  "  if c == user or seen[c] then return nil end\n"
  "  seen[c] = true\n"
  "  local info = redis.call('HMGET', 'sc:u:' .. c, 'node', 'name', 'last', 'tags', 'lang')\n"
  "  local ctags = split(info[4])\n"
  "  if (not info[1]) or redis.call('EXISTS', 'sc:node:' .. info[1]) == 0 then\n"
  "    unindex(c, ctags, info[5])\n"
  "    return nil\n"
  "  end\n"
  "  if redis.call('SISMEMBER', 'sc:blocked:' .. user, c) == 1 then return nil end\n"
  "  local common = 0\n"
  "  for _, t in ipairs(ctags) do if mine[t] then common = common + 1 end end\n"
  "  local cexpired = redis.call('SISMEMBER', 'sc:expired', c) == 1\n"
  "  local copen = cexpired or redis.call('SISMEMBER', 'sc:open', c) == 1\n"
  "  if common == 0 and not (lang ~= '' and info[5] == lang) and not (open and copen) and\n"
  "     not expired and not cexpired then\n"
  "    return nil\n"
  "  end\n"
  "  local state = cexpired and '2' or (copen and '1' or '0')\n"
  "  local p = {c, info[1], info[2], info[4] or '', info[5] or '', state, common}\n"
  "  if c == last or info[3] == user then\n"
  "    if not rematch then rematch = p end\n"
  "    return nil\n"
  "  end\n"
  "  return p\n"
  "end\n"
  "local function take(p)\n"
  "  unindex(p[1], split(p[4]), p[5])\n"
  "  return {p[1], p[2], p[3], p[4], p[5], p[6]}\n"
  "end\n"
  "local best, nbest = nil, 0\n"
  "for _, t in ipairs(tags) do\n"
  "  for _, c in ipairs(redis.call('SRANDMEMBER', 'sc:i:' .. t, 16)) do\n"
  "    local p = check(c)\n"
  "    if p then\n"
  "      if (not best) or p[7] > best[7] then best, nbest = p, 1\n"
  "      elseif p[7] == best[7] then\n"
  "        nbest = nbest + 1\n"
  "        if math.random(nbest) == 1 then best = p end\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "end\n"
  "if best then return take(best) end\n"
  "local function first_of(set)\n"
  "  local cands = redis.call('SRANDMEMBER', set, 16)\n"
  "  for k = 1, #cands do\n"
  "    local j = math.random(k, #cands)\n"
  "    cands[k], cands[j] = cands[j], cands[k]\n"
  "    local p = check(cands[k])\n"
  "    if p then return p end\n"
  "  end\n"
  "  return nil\n"
  "end\n"
  "if lang ~= '' then\n"
  "  local p = first_of('sc:l:' .. lang)\n"
  "  if p then return take(p) end\n"
  "end\n"
  "local p = first_of('sc:expired')\n"
  "if p then return take(p) end\n"
  "local wide = (expired and 'sc:waiting') or (open and 'sc:open')\n"
  "if wide then\n"
  "  p = first_of(wide)\n"
  "  if p then return take(p) end\n"
  "  if redis.call('SCARD', wide) > 16 then\n"
  "    local found, cursor, looked = {}, '0', 0\n"
  "    repeat\n"
  "      local r = redis.call('SSCAN', wide, cursor, 'COUNT', 100)\n"
  "      cursor = r[1]\n"
  "      for _, c in ipairs(r[2]) do\n"
  "        seen[c] = nil\n"
  "        local q = check(c)\n"
  "        if q then found[#found + 1] = q end\n"
  "        looked = looked + 1\n"
  "      end\n"
  "    until cursor == '0' or looked >= 1000\n"
  "    if #found > 0 then return take(found[math.random(#found)]) end\n"
  "  end\n"
  "end\n"
  "if rematch and redis.call('SCARD', 'sc:waiting') == 1 then\n"
  "  return take(rematch)\n"
  "end\n"
  "redis.call('SADD', 'sc:waiting', user)\n"
  "if open then redis.call('SADD', 'sc:open', user) end\n"
  "if expired then redis.call('SADD', 'sc:expired', user) end\n"
  "for _, t in ipairs(tags) do redis.call('SADD', 'sc:i:' .. t, user) end\n"
  "if lang ~= '' then redis.call('SADD', 'sc:l:' .. lang, user) end\n"
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
  GHashTable *prefs;       /* id → ScMatchPrefs: this node's users' interests and language */
  GHashTable *expiries;    /* id → GSource id: a waiting user's interest wait */
  guint interest_wait_ms;
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

/* A user's state for the script: within its interest wait, free (nothing to share),
 * or waited out (takes anyone). */
typedef enum { STATE_KEEN = '0', STATE_FREE = '1', STATE_EXPIRED = '2' } JoinState;

typedef struct
{
  ScRedisMatcher *self;
  char *user;
  JoinState state;
  gboolean retried;
} Join;

static void pick (ScRedisMatcher *self, Join *join);

/* Adds @id to (or takes it out of) the waiting set and the indexes the pairing script
 * reads. */
static void
index_commands (ScRedisMatcher *self, const char *id, const char *const *interests,
                const char *language, JoinState state, gboolean add)
{
  const char *op = add ? "SADD" : "SREM";
  sc_redis_command (self->redis, NULL, NULL, op, "sc:waiting", id, NULL);
  if (state != STATE_KEEN || !add)
    sc_redis_command (self->redis, NULL, NULL, op, "sc:open", id, NULL);
  if (state == STATE_EXPIRED || !add)
    sc_redis_command (self->redis, NULL, NULL, op, "sc:expired", id, NULL);
  for (guint i = 0; interests && interests[i]; i++)
    {
      g_autofree char *key = g_strconcat ("sc:i:", interests[i], NULL);
      sc_redis_command (self->redis, NULL, NULL, op, key, id, NULL);
    }
  if (language && *language)
    {
      g_autofree char *key = g_strconcat ("sc:l:", language, NULL);
      sc_redis_command (self->redis, NULL, NULL, op, key, id, NULL);
    }
}

static void
cancel_expiry (ScRedisMatcher *self, const char *user)
{
  guint source = GPOINTER_TO_UINT (g_hash_table_lookup (self->expiries, user));
  if (source)
    {
      g_source_remove (source);
      g_hash_table_remove (self->expiries, user);
    }
}

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
  gboolean shaped = reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 6;
  for (guint i = 0; shaped && i < reply->elements; i++)
    shaped = reply->element[i]->type == REDIS_REPLY_STRING;
  if (shaped && g_hash_table_contains (self->waiting, join->user))
    {
      const char *partner = reply->element[0]->str;
      const char *node = reply->element[1]->str;
      g_auto(GStrv) their = g_strsplit (reply->element[3]->str, "\n", -1);
      const char *their_language = reply->element[4]->str;
      g_hash_table_remove (self->waiting, join->user);
      g_hash_table_remove (self->waiting, partner);   /* when it is ours too */
      cancel_expiry (self, join->user);
      cancel_expiry (self, partner);
      if (g_strcmp0 (node, self->node) != 0)
        {
          Peer *peer = g_new0 (Peer, 1);
          peer->name = g_strdup (reply->element[2]->str);
          peer->node = g_strdup (node);
          g_hash_table_replace (self->peers, g_strdup (partner), peer);
        }
      /* The partner's, from the script's answer ("" for none). */
      ScMatchPrefs theirs = { their[0] ? their : NULL, *their_language ? (char *) their_language : NULL };
      g_auto(GStrv) common = NULL;
      ScMatchReason reason = sc_match_reason (g_hash_table_lookup (self->prefs, join->user),
                                              theirs.interests || theirs.language ? &theirs : NULL,
                                              &common);
      /* Who offers is random, as in the local matcher. */
      if (g_random_boolean ())
        sc_matcher_emit_paired (SC_MATCHER (self), join->user, partner,
                                (const char *const *) common, reason);
      else
        sc_matcher_emit_paired (SC_MATCHER (self), partner, join->user,
                                (const char *const *) common, reason);
    }
  else if (shaped)
    {
      /* Paired in Redis, but the user left meanwhile: the partner goes back. */
      const char *partner = reply->element[0]->str;
      g_info ("%s left while being paired with %s; %s waits again", join->user, partner, partner);
      g_auto(GStrv) their = g_strsplit (reply->element[3]->str, "\n", -1);
      index_commands (self, partner, (const char *const *) their, reply->element[4]->str,
                      (JoinState) reply->element[5]->str[0], TRUE);
    }
  else if (reply == NULL)
    g_warning ("could not ask Redis for a partner of %s", join->user);
  g_free (join->user);
  g_free (join);
}

static void
pick (ScRedisMatcher *self, Join *join)
{
  ScMatchPrefs *p = g_hash_table_lookup (self->prefs, join->user);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, join->retried ? "EVAL" : "EVALSHA");
  g_ptr_array_add (argv, join->retried ? (char *) pick_script : self->script_sha);
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, join->user);
  g_ptr_array_add (argv, self->node);
  char state[2] = { (char) join->state, '\0' };
  g_ptr_array_add (argv, state);
  g_ptr_array_add (argv, p && p->language ? p->language : "");
  for (guint i = 0; p && p->interests && p->interests[i]; i++)
    g_ptr_array_add (argv, p->interests[i]);
  g_ptr_array_add (argv, NULL);
  sc_redis_commandv (self->redis, on_pick, join, (const char *const *) argv->pdata);
}

static void
start_pick (ScRedisMatcher *self, const char *user_id, JoinState state)
{
  Join *join = g_new0 (Join, 1);
  join->self = self;
  join->user = g_strdup (user_id);
  join->state = state;
  pick (self, join);
}

typedef struct
{
  ScRedisMatcher *self;
  char *user;
} Expiry;

static void
expiry_free (gpointer data)
{
  Expiry *e = data;
  g_free (e->user);
  g_free (e);
}

/* The user's interest wait ran out: it picks again, now taking anyone. */
static gboolean
on_expiry (gpointer data)
{
  Expiry *e = data;
  ScRedisMatcher *self = e->self;
  g_hash_table_remove (self->expiries, e->user);
  if (g_hash_table_contains (self->waiting, e->user))
    start_pick (self, e->user, STATE_EXPIRED);
  return G_SOURCE_REMOVE;
}

static void
sc_redis_matcher_join (ScMatcher *matcher, const char *user_id)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  g_hash_table_add (self->waiting, g_strdup (user_id));
  JoinState state = self->interest_wait_ms == 0 ? STATE_EXPIRED
                  : g_hash_table_contains (self->prefs, user_id) ? STATE_KEEN
                  : STATE_FREE;
  if (state != STATE_EXPIRED)
    {
      /* Everyone's: one with nothing to share may be waiting only for keen users, who
       * take it when it has waited this long. */
      cancel_expiry (self, user_id);
      Expiry *e = g_new0 (Expiry, 1);
      e->self = self;
      e->user = g_strdup (user_id);
      guint source = g_timeout_add_full (G_PRIORITY_DEFAULT, self->interest_wait_ms, on_expiry,
                                         e, expiry_free);
      g_hash_table_insert (self->expiries, g_strdup (user_id), GUINT_TO_POINTER (source));
    }
  start_pick (self, user_id, state);
}

static void
sc_redis_matcher_leave (ScMatcher *matcher, const char *user_id)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  cancel_expiry (self, user_id);
  if (g_hash_table_remove (self->waiting, user_id))
    {
      ScMatchPrefs *p = g_hash_table_lookup (self->prefs, user_id);
      index_commands (self, user_id, p ? (const char *const *) p->interests : NULL,
                      p ? p->language : NULL, STATE_EXPIRED, FALSE);
    }
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
  g_hash_table_remove (self->prefs, user_id);
}

static void
sc_redis_matcher_set_preferences (ScMatcher *matcher, const char *user_id,
                                  const char *const *interests, const char *language)
{
  ScRedisMatcher *self = SC_REDIS_MATCHER (matcher);
  /* Counted from the next join: a waiting user is taken out and put back. */
  gboolean waiting = g_hash_table_contains (self->waiting, user_id);
  if (waiting)
    sc_redis_matcher_leave (matcher, user_id);
  sc_match_prefs_store (self->prefs, user_id, interests, language);
  if (waiting)
    sc_redis_matcher_join (matcher, user_id);
}

static void
sc_redis_matcher_set_interest_wait (ScMatcher *matcher, guint ms)
{
  SC_REDIS_MATCHER (matcher)->interest_wait_ms = ms;
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
  iface->set_preferences = sc_redis_matcher_set_preferences;
  iface->set_interest_wait = sc_redis_matcher_set_interest_wait;
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
  g_hash_table_unref (self->prefs);
  GHashTableIter iter;
  gpointer source;
  g_hash_table_iter_init (&iter, self->expiries);
  while (g_hash_table_iter_next (&iter, NULL, &source))
    g_source_remove (GPOINTER_TO_UINT (source));
  g_hash_table_unref (self->expiries);
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
  self->prefs = sc_match_prefs_table_new ();
  self->expiries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->interest_wait_ms = SC_MATCHER_DEFAULT_INTEREST_WAIT_MS;
}

ScMatcher *
sc_redis_matcher_new (ScRedis *redis, const char *node)
{
  ScRedisMatcher *self = g_object_new (SC_TYPE_REDIS_MATCHER, NULL);
  self->redis = g_object_ref (redis);
  self->node = g_strdup (node);
  return SC_MATCHER (self);
}
