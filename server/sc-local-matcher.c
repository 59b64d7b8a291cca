/* sc-local-matcher.c: the in-process matcher.
 *
 * Joins are not paired one by one: a join schedules one matching pass at high priority,
 * which runs after the event that caused it has been handled completely. When a call
 * ends, both users re-enter the lobby in the same event, so the pass sees them together
 * and can keep them apart if anyone else waits (no instant rematch).
 *
 * The rules can pull apart: one user may have just parted from everyone else who waits.
 * Pairing comes first (two or more waiting are always paired, so at most one is left),
 * and among the ways to do that the pass takes one with the fewest rematches of users
 * who just parted; so a rematch happens only when no pairing of the waiting users avoids
 * it. Up to EXACT_MAX waiting users (the normal case: outside bursts one waits) this is
 * exact, by dynamic programming over subsets in random order; bursts beyond that are
 * paired greedily, most constrained user first, with a trade to avoid a last rematch.
 *
 * Interests and language (#27; the rules are in sc-matcher.h). A pass does not look at
 * everyone waiting: users who still wait after a pass cannot meet each other, so a pass
 * takes only the users that changed since the last one (joined, or whose interest wait
 * ran out) and those they may meet, found through indexes: the waiting users by
 * interest, by language, the open ones (nothing to share, or waited out) and the ones
 * who waited out (they take anyone); a user who waited out takes anyone, so it also
 * draws a few of all who wait. Its cost follows how many could meet, not how many wait.
 * Among the ways to pair them the cost adds, below the rematches, a tier per pair: more
 * shared interests first, then a shared language.
 */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include "sc-local-matcher.h"


typedef struct
{
  gint64 since_us;           /* when it joined */
  gboolean free;             /* nothing to share: meets anyone else so placed at once */
  gboolean expired;          /* waited the interest wait out: meets anyone */
} Waiter;

/* Users drawn from all who wait for one who waited out (it takes anyone). */
#define EXPIRED_SAMPLE 16

typedef struct
{
  char *id;
  gint64 since_us;           /* the join it is for */
  gint64 deadline_us;
} Expiry;

struct _ScLocalMatcher
{
  GObject parent_instance;

  GPtrArray *waiting;        /* of char* user ids, in join order */
  GHashTable *waiters;       /* user id → Waiter, for each waiting user */
  GHashTable *prefs;         /* user id → ScMatchPrefs */
  GHashTable *by_interest;   /* interest → set of waiting user ids */
  GHashTable *by_language;   /* language → set of waiting user ids */
  GHashTable *open;          /* set of waiting user ids, free or expired */
  GHashTable *expired;       /* set of waiting user ids that waited out */
  GPtrArray *dirty;          /* of char*: joined or turned open since the last pass */
  GQueue expiries;           /* of Expiry, by deadline (one wait for all: join order) */
  guint expiry_source;
  gint64 interest_wait_us;
  GHashTable *last_partner;  /* user id → id of the user they last parted from */
  GHashTable *blocked;       /* "a\nb" (a < b) set: never paired */
  guint pass_source;
};

static void sc_local_matcher_iface_init (ScMatcherInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScLocalMatcher, sc_local_matcher, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_MATCHER,
                                                      sc_local_matcher_iface_init))

static gboolean
just_parted (ScLocalMatcher *self, const char *a, const char *b)
{
  return g_strcmp0 (g_hash_table_lookup (self->last_partner, a), b) == 0 ||
         g_strcmp0 (g_hash_table_lookup (self->last_partner, b), a) == 0;
}

/* For each of IDS, the index in IDS of the user it last parted from, or -1. A pass asks
 * "did these two just part?" of every couple it considers: with one lookup per user here,
 * it compares integers instead of hashing and comparing ids (which had been 6 % of the
 * server's time at saturation, bursts of a few dozen users joining at once). */
static gint *
parted_indices (ScLocalMatcher *self, char **ids, guint n)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index, ids[i], GUINT_TO_POINTER (i + 1));

  gint *parted = g_new (gint, n);
  for (guint i = 0; i < n; i++)
    {
      const char *last = g_hash_table_lookup (self->last_partner, ids[i]);
      parted[i] = last != NULL ? (gint) GPOINTER_TO_UINT (g_hash_table_lookup (index, last)) - 1
                               : -1;
    }
  return parted;
}

#define PARTED(parted, i, j) ((parted)[i] == (gint) (j) || (parted)[j] == (gint) (i))

static char *
pair_key (const char *a, const char *b)
{
  return strcmp (a, b) < 0 ? g_strconcat (a, "\n", b, NULL) : g_strconcat (b, "\n", a, NULL);
}

static gboolean
blocked (ScLocalMatcher *self, const char *a, const char *b)
{
  if (g_hash_table_size (self->blocked) == 0)
    return FALSE;
  g_autofree char *key = pair_key (a, b);
  return g_hash_table_contains (self->blocked, key);
}

static gboolean
is_waiting (ScLocalMatcher *self, const char *user_id)
{
  return g_ptr_array_find_with_equal_func (self->waiting, user_id, g_str_equal, NULL);
}

static void
expiry_free (Expiry *e)
{
  g_free (e->id);
  g_free (e);
}

/* What two users share: interests counted, the language compared. */
typedef struct
{
  guint common;
  gboolean language;
} Shared;

static Shared
shared (const ScMatchPrefs *a, const ScMatchPrefs *b)
{
  Shared s = { 0, FALSE };
  if (a == NULL || b == NULL)
    return s;
  s.common = sc_matcher_count_common ((const char *const *) a->interests,
                                      (const char *const *) b->interests, NULL);
  s.language = a->language && b->language && g_str_equal (a->language, b->language);
  return s;
}

/* The pair's tier in a plan's cost: 0–7 by shared interests (more is better), 8 for a
 * shared language, 9 for neither. */
static guint
tier (Shared s)
{
  return s.common ? 8 - MIN (s.common, 8) : s.language ? 8 : 9;
}

/* Sharing nothing, may these two meet? Both free, or either waited out. */
static gboolean
waiters_may_meet (const Waiter *a, const Waiter *b)
{
  return a && b && ((a->free && b->free) || a->expired || b->expired);
}

/* May @a and @b (both waiting, never a blocked couple: checked apart) meet now? */
static gboolean
may_meet (ScLocalMatcher *self, const char *a, const char *b)
{
  Shared s = shared (g_hash_table_lookup (self->prefs, a), g_hash_table_lookup (self->prefs, b));
  if (s.common || s.language)
    return TRUE;
  return waiters_may_meet (g_hash_table_lookup (self->waiters, a),
                           g_hash_table_lookup (self->waiters, b));
}

static void
set_add (GHashTable *index, const char *key, const char *id)
{
  GHashTable *set = g_hash_table_lookup (index, key);
  if (set == NULL)
    {
      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (index, g_strdup (key), set);
    }
  g_hash_table_add (set, g_strdup (id));
}

static void
set_remove (GHashTable *index, const char *key, const char *id)
{
  GHashTable *set = g_hash_table_lookup (index, key);
  if (set && g_hash_table_remove (set, id) && g_hash_table_size (set) == 0)
    g_hash_table_remove (index, key);
}

static void
index_user (ScLocalMatcher *self, const char *id, gboolean add)
{
  ScMatchPrefs *p = g_hash_table_lookup (self->prefs, id);
  for (guint i = 0; p && p->interests && p->interests[i]; i++)
    (add ? set_add : set_remove) (self->by_interest, p->interests[i], id);
  if (p && p->language)
    (add ? set_add : set_remove) (self->by_language, p->language, id);
  Waiter *w = g_hash_table_lookup (self->waiters, id);
  if (add && w && (w->free || w->expired))
    g_hash_table_add (self->open, g_strdup (id));
  if (add && w && w->expired)
    g_hash_table_add (self->expired, g_strdup (id));
  if (!add)
    {
      g_hash_table_remove (self->open, id);
      g_hash_table_remove (self->expired, id);
    }
}

typedef struct
{
  guint index;        /* into the waiting set */
  guint constraint;   /* how many just-parted partners wait too */
  guint32 tiebreak;
} PassEntry;

static int
compare_entries (gconstpointer pa, gconstpointer pb)
{
  const PassEntry *a = pa, *b = pb;
  if (a->constraint != b->constraint)
    return a->constraint > b->constraint ? -1 : 1;
  return a->tiebreak < b->tiebreak ? -1 : a->tiebreak > b->tiebreak;
}

/* PAIRS holds the pairs decided so far, two owned ids each. Finds one (u, v) such that
 * (u, x) and (v, y) may meet, rewrites it so, and appends (v, y). */
static gboolean
trade_partners (ScLocalMatcher *self, GPtrArray *pairs, const char *x, const char *y)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      for (guint flip = 0; flip < 2; flip++)
        {
          const char *u = g_ptr_array_index (pairs, i + flip);
          const char *v = g_ptr_array_index (pairs, i + 1 - flip);
          if (just_parted (self, u, x) || just_parted (self, v, y) ||
              blocked (self, u, x) || blocked (self, v, y) ||
              !may_meet (self, u, x) || !may_meet (self, v, y))
            continue;
          char *moved = g_strdup (v);
          g_free (g_ptr_array_index (pairs, i + 1 - flip));
          g_ptr_array_index (pairs, i + 1 - flip) = g_strdup (x);
          g_ptr_array_add (pairs, moved);
          g_ptr_array_add (pairs, g_strdup (y));
          return TRUE;
        }
    }
  return FALSE;
}

#define EXACT_MAX 12

/* Exact plan for a small set: of all ways to pair as many users as possible (only
 * couples who may meet, never a blocked one), one with the fewest rematches of
 * just-parted users, and among those the best tiers. IDS is in random order, and the
 * first best option in that order is taken, so the choice among equals is random.
 * best[mask] is the least cost of the users in MASK, a user left unpaired costing
 * UNPAIRED, a rematch REMATCH and a pair its tier; choice[mask] is the partner of its
 * lowest user, or -1 when that user stays waiting. */
#define UNPAIRED 100000
#define REMATCH 1000
static void
plan_exact (ScLocalMatcher *self, char **ids, guint n, GPtrArray *pairs)
{
  guint full = (1u << n) - 1;
  g_autofree gint32 *best = g_new (gint32, full + 1);
  g_autofree gint8 *choice = g_new (gint8, full + 1);
  gint32 cost[EXACT_MAX][EXACT_MAX];
  gboolean never[EXACT_MAX][EXACT_MAX];
  g_autofree gint *parted = parted_indices (self, ids, n);
  ScMatchPrefs *prefs[EXACT_MAX];
  Waiter *waiter[EXACT_MAX];
  for (guint i = 0; i < n; i++)
    {
      prefs[i] = g_hash_table_lookup (self->prefs, ids[i]);
      waiter[i] = g_hash_table_lookup (self->waiters, ids[i]);
    }

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        Shared sh = shared (prefs[i], prefs[j]);
        gboolean may = sh.common || sh.language || waiters_may_meet (waiter[i], waiter[j]);
        never[i][j] = never[j][i] = !may || blocked (self, ids[i], ids[j]);
        cost[i][j] = cost[j][i] = (PARTED (parted, i, j) ? REMATCH : 0) + (gint32) tier (sh);
      }

  for (guint mask = 0; mask <= full; mask++)
    {
      if (mask == 0)
        {
          best[mask] = 0;
          choice[mask] = -1;
          continue;
        }
      guint i = __builtin_ctz (mask);
      guint rest = mask & ~(1u << i);
      best[mask] = UNPAIRED + best[rest];   /* i stays waiting */
      choice[mask] = -1;
      for (guint j = i + 1; j < n; j++)
        {
          if (!(rest & (1u << j)) || never[i][j])
            continue;
          gint32 c = cost[i][j] + best[rest & ~(1u << j)];
          if (c < best[mask])
            {
              best[mask] = c;
              choice[mask] = (gint8) j;
            }
        }
    }

  for (guint mask = full; mask != 0; )
    {
      guint i = __builtin_ctz (mask);
      gint j = choice[mask];
      if (j < 0)
        {
          mask &= ~(1u << i);
          continue;
        }
      gboolean swap = g_random_boolean ();   /* who offers is random too */
      g_ptr_array_add (pairs, g_strdup (ids[swap ? j : (gint) i]));
      g_ptr_array_add (pairs, g_strdup (ids[swap ? (gint) i : j]));
      mask &= ~((1u << i) | (1u << j));
    }
}

static void plan_greedy (ScLocalMatcher *self, char **ids, guint n, GPtrArray *pairs);

static void
add_set (GHashTable *into, GHashTable *set)
{
  if (set == NULL)
    return;
  GHashTableIter iter;
  gpointer id;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_hash_table_add (into, id);
}

static void sc_local_matcher_leave (ScMatcher *matcher, const char *user_id);

static void
run_pass (ScLocalMatcher *self)
{
  /* Who may be paired now: the users that changed, and those they may meet. */
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) dirty = g_steal_pointer (&self->dirty);
  self->dirty = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < dirty->len; k++)
    {
      const char *x = g_ptr_array_index (dirty, k);
      Waiter *w = g_hash_table_lookup (self->waiters, x);
      if (w == NULL)
        continue;
      g_hash_table_add (set, (gpointer) x);
      ScMatchPrefs *p = g_hash_table_lookup (self->prefs, x);
      for (guint i = 0; p && p->interests && p->interests[i]; i++)
        add_set (set, g_hash_table_lookup (self->by_interest, p->interests[i]));
      if (p && p->language)
        add_set (set, g_hash_table_lookup (self->by_language, p->language));
      add_set (set, self->expired);
      if (w->free || w->expired)
        add_set (set, self->open);
      if (w->expired)
        {
          /* Everyone when few wait; else EXPIRED_SAMPLE in a row from a random place, so
           * that each is drawn as often as any other. */
          guint n = self->waiting->len;
          guint take = MIN (EXPIRED_SAMPLE, n);
          guint from = n > take ? (guint) g_random_int_range (0, (gint32) n) : 0;
          for (guint draw = 0; draw < take; draw++)
            g_hash_table_add (set, g_ptr_array_index (self->waiting, (from + draw) % n));
        }
    }
  guint n = g_hash_table_size (set);
  if (n < 2)
    return;

  /* In join order (the greedy plan's tiebreaks are random anyway; the exact one
   * shuffles), as pointers to ids that live until the pairs are taken out. */
  g_autofree char **ids = (char **) g_hash_table_get_keys_as_array (set, NULL);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  if (n <= EXACT_MAX)
    {
      for (guint i = n - 1; i > 0; i--)   /* Fisher–Yates */
        {
          guint j = g_random_int_range (0, (gint32) i + 1);
          char *t = ids[i];
          ids[i] = ids[j];
          ids[j] = t;
        }
      plan_exact (self, ids, n, pairs);
    }
  else
    plan_greedy (self, ids, n, pairs);

  /* Why each pair, while both are still known as waiters; then take the pairs out of
   * the waiting set, then announce them, so that signal handlers never see a half-done
   * pass. */
  guint n_pairs = pairs->len / 2;
  g_autofree ScMatchReason *reasons = g_new (ScMatchReason, n_pairs + 1);
  g_autoptr(GPtrArray) commons = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < n_pairs; i++)
    {
      GStrv common = NULL;
      reasons[i] = sc_match_reason (g_hash_table_lookup (self->prefs, g_ptr_array_index (pairs, 2 * i)),
                                    g_hash_table_lookup (self->prefs,
                                                         g_ptr_array_index (pairs, 2 * i + 1)),
                                    &common);
      g_ptr_array_add (commons, common);
    }
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&set, g_hash_table_unref);
  for (guint i = 0; i < pairs->len; i++)
    sc_local_matcher_leave (SC_MATCHER (self), g_ptr_array_index (pairs, i));

  for (guint i = 0; i < n_pairs; i++)
    sc_matcher_emit_paired (SC_MATCHER (self), g_ptr_array_index (pairs, 2 * i),
                            g_ptr_array_index (pairs, 2 * i + 1),
                            (const char *const *) g_ptr_array_index (commons, i), reasons[i]);
}

/* For sets larger than EXACT_MAX (bursts): the most constrained users first, each with
 * a partner drawn uniformly from the best tier of those it may meet. */
static void
plan_greedy (ScLocalMatcher *self, char **ids, guint n, GPtrArray *pairs)
{
  g_autofree gint *parted = parted_indices (self, ids, n);

  /* How many of the others each user just parted from: the one it left, and whoever
   * left it (a couple who left each other counts once for each). */
  g_autofree guint *constraint = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      gint p = parted[i];
      if (p < 0 || p == (gint) i)
        continue;
      constraint[i]++;
      if (parted[p] != (gint) i)
        constraint[p]++;
    }

  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (PassEntry), n);
  for (guint i = 0; i < n; i++)
    {
      PassEntry e = { i, constraint[i], g_random_int () };
      g_array_append_val (order, e);
    }
  g_array_sort (order, compare_entries);

  g_autofree gboolean *taken = g_new0 (gboolean, n);
  g_autoptr(GArray) candidates = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  for (guint k = 0; k < n; k++)
    {
      guint x = g_array_index (order, PassEntry, k).index;
      if (taken[x])
        continue;

      ScMatchPrefs *px = g_hash_table_lookup (self->prefs, ids[x]);
      Waiter *wx = g_hash_table_lookup (self->waiters, ids[x]);
      guint others = 0;
      guint only_other = 0;
      guint best_tier = G_MAXUINT;
      g_array_set_size (candidates, 0);
      for (guint y = 0; y < n; y++)
        {
          if (y == x || taken[y])
            continue;
          Shared sh = shared (px, g_hash_table_lookup (self->prefs, ids[y]));
          Waiter *wy = g_hash_table_lookup (self->waiters, ids[y]);
          if (!(sh.common || sh.language || waiters_may_meet (wx, wy)))
            continue;
          if (blocked (self, ids[x], ids[y]))
            continue;
          others++;
          only_other = y;
          if (PARTED (parted, x, y))
            continue;
          guint t = tier (sh);
          if (t < best_tier)
            {
              best_tier = t;
              g_array_set_size (candidates, 0);
            }
          if (t == best_tier)
            g_array_append_val (candidates, y);
        }
      /* Only x and the user it just parted from are left. Others did wait at the start
       * of this pass, so trade partners with a pair made in it if that keeps all four
       * apart from whom they just left; only if no trade works (nobody else waited, in
       * effect) do the two meet again. */
      if (candidates->len == 0 && others == 1)
        {
          if (trade_partners (self, pairs, ids[x], ids[only_other]))
            {
              taken[x] = taken[only_other] = TRUE;
              continue;
            }
          g_array_append_val (candidates, only_other);
        }
      if (candidates->len == 0)
        continue;

      guint y = g_array_index (candidates, guint,
                               g_random_int_range (0, (gint32) candidates->len));
      taken[x] = taken[y] = TRUE;
      /* Who offers is drawn at random too. */
      gboolean swap = g_random_boolean ();
      g_ptr_array_add (pairs, g_strdup (ids[swap ? y : x]));
      g_ptr_array_add (pairs, g_strdup (ids[swap ? x : y]));
    }
}

static gboolean
pass_cb (gpointer data)
{
  ScLocalMatcher *self = data;
  self->pass_source = 0;
  run_pass (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pass (ScLocalMatcher *self)
{
  if (self->pass_source == 0 && self->dirty->len > 0 && self->waiting->len >= 2)
    self->pass_source = g_idle_add_full (G_PRIORITY_HIGH, pass_cb, self, NULL);
}

static void schedule_expiry (ScLocalMatcher *self);

/* Interest waits that ran out: those users take anyone now, and a pass looks at them
 * again. */
static gboolean
expiry_cb (gpointer data)
{
  ScLocalMatcher *self = data;
  self->expiry_source = 0;
  gint64 now = g_get_monotonic_time ();
  Expiry *e;
  while ((e = g_queue_peek_head (&self->expiries)) && e->deadline_us <= now)
    {
      g_queue_pop_head (&self->expiries);
      Waiter *w = g_hash_table_lookup (self->waiters, e->id);
      if (w && !w->expired && w->since_us == e->since_us)
        {
          w->expired = TRUE;
          g_hash_table_add (self->open, g_strdup (e->id));
          g_hash_table_add (self->expired, g_strdup (e->id));
          g_ptr_array_add (self->dirty, g_strdup (e->id));
        }
      expiry_free (e);
    }
  schedule_pass (self);
  schedule_expiry (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_expiry (ScLocalMatcher *self)
{
  Expiry *e = g_queue_peek_head (&self->expiries);
  if (self->expiry_source || e == NULL)
    return;
  gint64 in_us = MAX (e->deadline_us - g_get_monotonic_time (), 0);
  self->expiry_source = g_timeout_add_full (G_PRIORITY_HIGH, (guint) ((in_us + 999) / 1000),
                                            expiry_cb, self, NULL);
}

static void
sc_local_matcher_join (ScMatcher *matcher, const char *user_id)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  if (is_waiting (self, user_id))
    return;
  g_ptr_array_add (self->waiting, g_strdup (user_id));
  Waiter *w = g_new0 (Waiter, 1);
  w->since_us = g_get_monotonic_time ();
  w->free = !g_hash_table_contains (self->prefs, user_id);
  w->expired = self->interest_wait_us == 0;
  g_hash_table_insert (self->waiters, g_strdup (user_id), w);
  index_user (self, user_id, TRUE);
  g_ptr_array_add (self->dirty, g_strdup (user_id));
  if (!w->expired)
    {
      /* Everyone's: one with nothing to share may be waiting only for keen users, who
       * take it when it has waited this long. */
      Expiry *e = g_new0 (Expiry, 1);
      e->id = g_strdup (user_id);
      e->since_us = w->since_us;
      e->deadline_us = w->since_us + self->interest_wait_us;
      g_queue_push_tail (&self->expiries, e);
      schedule_expiry (self);
    }
  schedule_pass (self);
}

static void
sc_local_matcher_leave (ScMatcher *matcher, const char *user_id)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  guint index;
  if (!g_ptr_array_find_with_equal_func (self->waiting, user_id, g_str_equal, &index))
    return;
  index_user (self, user_id, FALSE);
  g_hash_table_remove (self->waiters, user_id);
  g_ptr_array_remove_index (self->waiting, index);
}

static void
sc_local_matcher_parted (ScMatcher *matcher, const char *a, const char *b)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  g_hash_table_replace (self->last_partner, g_strdup (a), g_strdup (b));
  g_hash_table_replace (self->last_partner, g_strdup (b), g_strdup (a));
}

static void
sc_local_matcher_forget (ScMatcher *matcher, const char *user_id)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  sc_local_matcher_leave (matcher, user_id);
  g_hash_table_remove (self->last_partner, user_id);
  g_hash_table_remove (self->prefs, user_id);
}

static void
sc_local_matcher_block (ScMatcher *matcher, const char *a, const char *b)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  g_hash_table_add (self->blocked, pair_key (a, b));
}

static void
sc_local_matcher_flush (ScMatcher *matcher)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  g_clear_handle_id (&self->pass_source, g_source_remove);
  run_pass (self);
}

static guint
sc_local_matcher_waiting (ScMatcher *matcher)
{
  return SC_LOCAL_MATCHER (matcher)->waiting->len;
}

static void
sc_local_matcher_set_preferences (ScMatcher *matcher, const char *user_id,
                                  const char *const *interests, const char *language)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  /* Counted from the next join: a waiting user is taken out and put back. */
  gboolean waiting = is_waiting (self, user_id);
  if (waiting)
    sc_local_matcher_leave (matcher, user_id);
  sc_match_prefs_store (self->prefs, user_id, interests, language);
  if (waiting)
    sc_local_matcher_join (matcher, user_id);
}

static void
sc_local_matcher_set_interest_wait (ScMatcher *matcher, guint ms)
{
  SC_LOCAL_MATCHER (matcher)->interest_wait_us = (gint64) ms * 1000;
}

static void
sc_local_matcher_iface_init (ScMatcherInterface *iface)
{
  iface->join = sc_local_matcher_join;
  iface->leave = sc_local_matcher_leave;
  iface->parted = sc_local_matcher_parted;
  iface->forget = sc_local_matcher_forget;
  iface->block = sc_local_matcher_block;
  iface->flush = sc_local_matcher_flush;
  iface->waiting = sc_local_matcher_waiting;
  iface->set_preferences = sc_local_matcher_set_preferences;
  iface->set_interest_wait = sc_local_matcher_set_interest_wait;
}

static void
sc_local_matcher_finalize (GObject *object)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (object);
  g_clear_handle_id (&self->pass_source, g_source_remove);
  g_clear_handle_id (&self->expiry_source, g_source_remove);
  g_queue_clear_full (&self->expiries, (GDestroyNotify) expiry_free);
  g_ptr_array_unref (self->waiting);
  g_ptr_array_unref (self->dirty);
  g_hash_table_unref (self->waiters);
  g_hash_table_unref (self->prefs);
  g_hash_table_unref (self->by_interest);
  g_hash_table_unref (self->by_language);
  g_hash_table_unref (self->open);
  g_hash_table_unref (self->expired);
  g_hash_table_unref (self->last_partner);
  g_hash_table_unref (self->blocked);
  G_OBJECT_CLASS (sc_local_matcher_parent_class)->finalize (object);
}

static void
sc_local_matcher_class_init (ScLocalMatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sc_local_matcher_finalize;
}

static void
sc_local_matcher_init (ScLocalMatcher *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_free);
  self->dirty = g_ptr_array_new_with_free_func (g_free);
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->prefs = sc_match_prefs_table_new ();
  self->by_interest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
  self->by_language = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
  self->open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->expired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->expiries);
  self->interest_wait_us = (gint64) SC_MATCHER_DEFAULT_INTEREST_WAIT_MS * 1000;
  self->last_partner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ScMatcher *
sc_local_matcher_new (void)
{
  return g_object_new (SC_TYPE_LOCAL_MATCHER, NULL);
}
