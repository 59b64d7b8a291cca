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
 */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include "sc-local-matcher.h"

struct _ScLocalMatcher
{
  GObject parent_instance;

  GPtrArray *waiting;        /* of char* user ids, in join order */
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
              blocked (self, u, x) || blocked (self, v, y))
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

/* Exact plan for a small waiting set: of all ways to pair as many users as possible
 * (never a blocked couple), one with the fewest rematches of just-parted users. IDS is
 * in random order, and the first best option in that order is taken, so the choice
 * among equals is random. best[mask] is the least cost of the users in MASK, a user left
 * unpaired costing UNPAIRED and a rematch 1; choice[mask] is the partner of its lowest
 * user, or -1 when that user stays waiting. */
#define UNPAIRED 100
static void
plan_exact (ScLocalMatcher *self, char **ids, guint n, GPtrArray *pairs)
{
  guint full = (1u << n) - 1;
  g_autofree gint16 *best = g_new (gint16, full + 1);
  g_autofree gint8 *choice = g_new (gint8, full + 1);
  gboolean rematch[EXACT_MAX][EXACT_MAX];
  gboolean never[EXACT_MAX][EXACT_MAX];
  g_autofree gint *parted = parted_indices (self, ids, n);

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        rematch[i][j] = i != j && PARTED (parted, i, j);
        never[i][j] = i != j && blocked (self, ids[i], ids[j]);
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
      best[mask] = (gint16) (UNPAIRED + best[rest]);   /* i stays waiting */
      choice[mask] = -1;
      for (guint j = i + 1; j < n; j++)
        {
          if (!(rest & (1u << j)) || never[i][j])
            continue;
          gint cost = rematch[i][j] + best[rest & ~(1u << j)];
          if (cost < best[mask])
            {
              best[mask] = (gint16) cost;
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

static void plan_greedy (ScLocalMatcher *self, GPtrArray *pairs);

static void
run_pass (ScLocalMatcher *self)
{
  guint n = self->waiting->len;
  if (n < 2)
    return;

  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  if (n <= EXACT_MAX)
    {
      char *ids[EXACT_MAX];
      for (guint i = 0; i < n; i++)
        ids[i] = g_ptr_array_index (self->waiting, i);
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
    plan_greedy (self, pairs);

  /* Take the pairs out of the waiting set first, then announce them, so that signal
   * handlers never see a half-done pass. */
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < pairs->len; i++)
    g_hash_table_add (taken, g_ptr_array_index (pairs, i));
  for (guint i = self->waiting->len; i > 0; i--)
    if (g_hash_table_contains (taken, g_ptr_array_index (self->waiting, i - 1)))
      g_ptr_array_remove_index (self->waiting, i - 1);

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    sc_matcher_emit_paired (SC_MATCHER (self), g_ptr_array_index (pairs, i),
                            g_ptr_array_index (pairs, i + 1));
}

/* For bursts larger than EXACT_MAX: the most constrained users first, each with a
 * partner drawn uniformly from those it may meet. */
static void
plan_greedy (ScLocalMatcher *self, GPtrArray *pairs)
{
  guint n = self->waiting->len;
  char **ids = (char **) self->waiting->pdata;
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

      guint others = 0;
      guint only_other = 0;
      g_array_set_size (candidates, 0);
      for (guint y = 0; y < n; y++)
        {
          if (y == x || taken[y])
            continue;
          if (blocked (self, ids[x], ids[y]))
            continue;
          others++;
          only_other = y;
          if (!PARTED (parted, x, y))
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
  if (self->pass_source == 0 && self->waiting->len >= 2)
    self->pass_source = g_idle_add_full (G_PRIORITY_HIGH, pass_cb, self, NULL);
}

static void
sc_local_matcher_join (ScMatcher *matcher, const char *user_id)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  if (is_waiting (self, user_id))
    return;
  g_ptr_array_add (self->waiting, g_strdup (user_id));
  schedule_pass (self);
}

static void
sc_local_matcher_leave (ScMatcher *matcher, const char *user_id)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (matcher);
  guint index;
  if (g_ptr_array_find_with_equal_func (self->waiting, user_id, g_str_equal, &index))
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
sc_local_matcher_iface_init (ScMatcherInterface *iface)
{
  iface->join = sc_local_matcher_join;
  iface->leave = sc_local_matcher_leave;
  iface->parted = sc_local_matcher_parted;
  iface->forget = sc_local_matcher_forget;
  iface->block = sc_local_matcher_block;
  iface->flush = sc_local_matcher_flush;
  iface->waiting = sc_local_matcher_waiting;
}

static void
sc_local_matcher_finalize (GObject *object)
{
  ScLocalMatcher *self = SC_LOCAL_MATCHER (object);
  g_clear_handle_id (&self->pass_source, g_source_remove);
  g_ptr_array_unref (self->waiting);
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
  self->last_partner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ScMatcher *
sc_local_matcher_new (void)
{
  return g_object_new (SC_TYPE_LOCAL_MATCHER, NULL);
}
