/* test-matcher.c: 10,000 random sign-ins, nexts, leaves and disconnects against the
 * real lobby and in-process matcher. After every batch the invariants are checked from
 * the clients' side (their messages) and the server's (sc_lobby_check_invariants):
 *   - nobody is in two pairs, and a pair's two members name each other;
 *   - nobody is paired with themself;
 *   - two users who just parted are paired again only when every pairing of the users
 *     waiting at that moment needs as many rematches (checked by brute force);
 *   - when two or more wait, they are paired (at most one is left waiting).
 */
#include "config.h"

#include "lobby-fixture.h"
#include "sc-text.h"

#define STEPS 10000
#define MAX_USERS 24

typedef struct
{
  FakeConn *conn;
  GStrv interests;       /* as signed in with (interests tests) */
  char *language;
  guint seen;            /* inbox messages already looked at */
  char *partner;         /* current partner id, from "matched" */
  char *last_partner;    /* the partner of the last call that ended */
  gboolean waiting;      /* from "waiting" / "matched" / own leave */
} Model;

static GHashTable *by_id;   /* id → Model */

static void
model_free (Model *m)
{
  g_free (m->partner);
  g_free (m->last_partner);
  g_strfreev (m->interests);
  g_free (m->language);
  if (m->conn)
    fake_free (m->conn);
  g_free (m);
}

static void
end_partnership (Model *m)
{
  if (m->partner)
    {
      g_free (m->last_partner);
      m->last_partner = g_steal_pointer (&m->partner);
    }
}

/* Reads the new messages of every user; returns the pairs formed, two ids each. */
static GPtrArray *
absorb (GPtrArray *models)
{
  GPtrArray *formed = g_ptr_array_new ();
  for (guint i = 0; i < models->len; i++)
    {
      Model *m = g_ptr_array_index (models, i);
      for (; m->seen < m->conn->inbox->len; m->seen++)
        {
          ScMessage *msg = g_ptr_array_index (m->conn->inbox, m->seen);
          switch (msg->type)
            {
            case SC_MSG_MATCHED:
              if (m->partner != NULL)
                g_error ("%s matched with %s while in a call with %s", m->conn->id,
                         msg->peer_id, m->partner);
              if (g_str_equal (msg->peer_id, m->conn->id))
                g_error ("%s was paired with themself", m->conn->id);
              m->partner = g_strdup (msg->peer_id);
              m->waiting = FALSE;
              if (strcmp (m->conn->id, msg->peer_id) < 0)
                {
                  g_ptr_array_add (formed, m->conn->id);
                  g_ptr_array_add (formed, m->partner);
                }
              break;
            case SC_MSG_PEER_LEFT:
              end_partnership (m);
              break;
            case SC_MSG_WAITING:
              m->waiting = TRUE;
              break;
            case SC_MSG_ERROR:
              g_error ("unexpected error to %s: %s", m->conn->id, msg->message);
              break;
            default:
              break;
            }
        }
    }
  return formed;
}

static gboolean
parted (Model *a, Model *b)
{
  return g_strcmp0 (a->last_partner, b->conn->id) == 0 ||
         g_strcmp0 (b->last_partner, a->conn->id) == 0;
}

/* The fewest rematches over every way of pairing all of WAITING[FROM…] (one left over
 * when the count is odd), by plain recursion: an independent check of the matcher. */
static guint
least_rematches (GPtrArray *waiting, guint from)
{
  guint n = waiting->len - from;
  if (n <= 1)
    return 0;
  Model *first = g_ptr_array_index (waiting, from);
  guint best = G_MAXUINT;
  if (n % 2 == 1)
    best = least_rematches (waiting, from + 1);   /* first stays waiting */
  for (guint j = from + 1; j < waiting->len; j++)
    {
      Model *other = g_ptr_array_index (waiting, j);
      /* Pair first with other: move other next to first, recurse, move back. */
      g_ptr_array_index (waiting, j) = g_ptr_array_index (waiting, from + 1);
      g_ptr_array_index (waiting, from + 1) = other;
      guint cost = parted (first, other) + least_rematches (waiting, from + 2);
      g_ptr_array_index (waiting, from + 1) = g_ptr_array_index (waiting, j);
      g_ptr_array_index (waiting, j) = other;
      best = MIN (best, cost);
    }
  return best;
}

static void
act (ScLobby *lobby, GPtrArray *models, int action)
{
  guint index = g_test_rand_int_range (0, (gint32) models->len);
  Model *m = g_ptr_array_index (models, index);
  if (action < 65)
    {
      /* next: ends the call (if any), back to the lobby */
      end_partnership (m);
      fake_send_simple (lobby, m->conn, SC_MSG_NEXT);
    }
  else if (action < 80)
    {
      end_partnership (m);
      fake_send_simple (lobby, m->conn, SC_MSG_LEAVE);
      m->waiting = FALSE;
    }
  else
    {
      fake_disconnect (lobby, m->conn);
      g_hash_table_remove (by_id, m->conn->id);
      /* Its partner hears "lost" in absorb(); keep nothing of it. */
      g_ptr_array_remove_index_fast (models, index);
    }
}

static const char *const pool[] = { "chess", "cats", "jazz", "go", "rust", "tea" };

static FakeConn *
sign_in_with (ScLobby *lobby, const char *name, const char *const *interests, const char *language)
{
  FakeConn *conn = fake_connect (lobby);
  ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
  msg->version = SC_PROTOCOL_VERSION;
  msg->name = g_strdup (name);
  msg->interests = g_strdupv ((GStrv) interests);
  msg->language = g_strdup (language);
  fake_receive (lobby, conn, msg);
  ScMessage *reply = g_ptr_array_index (conn->inbox, 1);
  g_assert_cmpint (reply->type, ==, SC_MSG_SIGNED_IN);
  return conn;
}

/* A new user signed in: by name only, or (@keen) with 0–3 interests from the pool
 * (duplicates too: the server drops them) and a language or none. */
static Model *
new_user (ScLobby *lobby, guint number, gboolean keen)
{
  Model *m = g_new0 (Model, 1);
  g_autofree char *name = g_strdup_printf ("user%u", number);
  if (!keen)
    {
      m->conn = fake_sign_in (lobby, name);
      return m;
    }
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  guint n = g_test_rand_int_range (0, 4);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (b, pool[g_test_rand_int_range (0, G_N_ELEMENTS (pool))]);
  g_auto(GStrv) given = g_strv_builder_end (b);
  m->interests = sc_text_normalize_interests ((const char *const *) given, NULL);
  int l = g_test_rand_int_range (0, 4);
  m->language = l == 0 ? g_strdup ("en") : l == 1 ? g_strdup ("de") : NULL;
  m->conn = sign_in_with (lobby, name, (const char *const *) given, m->language);
  return m;
}

/* A batch of 1–4 random actions (sign-ins, nexts, leaves, disconnects), as happen within
 * one main-loop iteration; what the server says is read after each, as a client would,
 * and nothing may pair before the pass. Returns how many actions it took. */
static guint
run_batch (ScLobby *lobby, GPtrArray *models, guint *names, gboolean keen)
{
  guint batch = g_test_rand_int_range (1, 5);
  for (guint k = 0; k < batch; k++)
    {
      int action = g_test_rand_int_range (0, 100);
      if (models->len < 2 || (action < 15 && models->len < MAX_USERS))
        {
          Model *m = new_user (lobby, (*names)++, keen);
          g_ptr_array_add (models, m);
          g_hash_table_insert (by_id, m->conn->id, m);
        }
      else
        act (lobby, models, action);
      g_autoptr(GPtrArray) before = absorb (models);
      g_assert_cmpuint (before->len, ==, 0);
    }
  return batch;
}

static void
test_random_steps (void)
{
  g_autoptr(ScMatcher) matcher = sc_local_matcher_new ();
  g_autoptr(ScLobby) lobby = fake_lobby_new (matcher, FALSE);
  sc_lobby_set_clock (lobby, fake_clock, NULL);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint rematches = 0, matches = 0, name = 0;

  for (guint step = 0; step < STEPS; )
    {
      step += run_batch (lobby, models, &name, FALSE);

      /* Who waits when the matching pass runs. */
      g_autoptr(GPtrArray) waiting = g_ptr_array_new ();
      for (guint i = 0; i < models->len; i++)
        if (((Model *) g_ptr_array_index (models, i))->waiting)
          g_ptr_array_add (waiting, g_ptr_array_index (models, i));
      guint waiting_before = waiting->len;
      guint least = least_rematches (waiting, 0);
      guint pass_rematches = 0;

      sc_matcher_flush (matcher);
      g_autoptr(GPtrArray) formed = absorb (models);

      for (guint i = 0; i + 1 < formed->len; i += 2)
        {
          Model *x = g_hash_table_lookup (by_id, g_ptr_array_index (formed, i));
          Model *y = g_hash_table_lookup (by_id, g_ptr_array_index (formed, i + 1));
          g_assert_nonnull (x);
          g_assert_nonnull (y);
          g_assert_cmpstr (y->partner, ==, x->conn->id);   /* they name each other */
          matches++;
          gboolean rematch = g_strcmp0 (x->last_partner, y->conn->id) == 0 ||
                             g_strcmp0 (y->last_partner, x->conn->id) == 0;
          rematches += rematch;
          pass_rematches += rematch;
        }
      if (pass_rematches != least)
        for (guint w = 0; w < waiting->len; w++)
          {
            Model *wm = g_ptr_array_index (waiting, w);
            g_printerr ("# %s partner=%s last=%s formed=%u\n", wm->conn->id, wm->partner,
                        wm->last_partner, formed->len);
          }
      if (pass_rematches != least)
        g_error ("%u rematches among %u waiting users where %u would do", pass_rematches,
                 waiting_before, least);

      guint waiting_after = 0;
      for (guint i = 0; i < models->len; i++)
        waiting_after += ((Model *) g_ptr_array_index (models, i))->waiting;
      if (waiting_after > 1 || waiting_after != sc_lobby_get_n_waiting (lobby))
        for (guint w = 0; w < models->len; w++)
          {
            Model *wm = g_ptr_array_index (models, w);
            g_printerr ("# %s waiting=%d partner=%s last=%s (matcher holds %u, before %u)\n",
                        wm->conn->id, wm->waiting, wm->partner, wm->last_partner,
                        sc_lobby_get_n_waiting (lobby), waiting_before);
          }
      g_assert_cmpuint (waiting_after, <=, 1);
      g_assert_cmpuint (waiting_after, ==, sc_lobby_get_n_waiting (lobby));

      g_autoptr(GError) error = NULL;
      if (!sc_lobby_check_invariants (lobby, &error))
        g_error ("step %u: %s", step, error->message);
    }

  g_test_message ("%u matches, %u unavoidable rematches", matches, rematches);
  g_assert_cmpuint (matches, >, STEPS / 4);
  g_hash_table_unref (by_id);
}

/* ---- Interests and language (#27) ------------------------------------------------- */

static guint
common_of (Model *a, Model *b)
{
  return sc_matcher_count_common ((const char *const *) a->interests,
                                  (const char *const *) b->interests, NULL);
}

static gboolean
may_meet (Model *a, Model *b)
{
  gboolean open_a = g_strv_length (a->interests) == 0 && a->language == NULL;
  gboolean open_b = g_strv_length (b->interests) == 0 && b->language == NULL;
  return common_of (a, b) > 0 || (a->language && g_strcmp0 (a->language, b->language) == 0) ||
         (open_a && open_b);
}

/* The plan's tier of a pair (sc-local-matcher.c): lower is better. */
static guint
tier_of (Model *a, Model *b)
{
  guint c = common_of (a, b);
  return c ? 8 - MIN (c, 8) : (a->language && g_strcmp0 (a->language, b->language) == 0) ? 8 : 9;
}

/* The same random steps with users who give 0–3 interests from a small pool and a
 * language or none, and an interest wait too long to run out: every pair made may meet
 * (shares an interest or the language, or neither has any), matched names exactly the
 * interests they share, nobody waits beside someone they may meet (but the one they just
 * left), and nobody is left waiting whom a partner would have preferred. */
static void
test_interest_steps (void)
{
  g_autoptr(ScMatcher) matcher = sc_local_matcher_new ();
  sc_matcher_set_interest_wait (matcher, 600 * 1000);
  g_autoptr(ScLobby) lobby = fake_lobby_new (matcher, FALSE);
  sc_lobby_set_clock (lobby, fake_clock, NULL);
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint matches = 0, by_interest = 0, name = 0;

  for (guint step = 0; step < STEPS; )
    {
      step += run_batch (lobby, models, &name, TRUE);

      sc_matcher_flush (matcher);
      g_autoptr(GPtrArray) formed = absorb (models);
      for (guint i = 0; i + 1 < formed->len; i += 2)
        {
          Model *x = g_hash_table_lookup (by_id, g_ptr_array_index (formed, i));
          Model *y = g_hash_table_lookup (by_id, g_ptr_array_index (formed, i + 1));
          g_assert_true (may_meet (x, y));
          matches++;
          by_interest += common_of (x, y) > 0;
          /* matched says what they share, in either's words. */
          ScMessage *m = last_of (x->conn, SC_MSG_MATCHED);
          g_assert_cmpuint (g_strv_length (m->interests), ==, common_of (x, y));
          for (guint k = 0; m->interests[k]; k++)
            g_assert_true (g_strv_contains ((const char *const *) y->interests, m->interests[k]));
        }
      /* Nobody waits beside someone they may meet, unless it is the one they just left;
       * nobody waits whom someone paired in this pass would have liked better. */
      for (guint i = 0; i < models->len; i++)
        {
          Model *a = g_ptr_array_index (models, i);
          if (!a->waiting)
            continue;
          for (guint j = 0; j < models->len; j++)
            {
              Model *b = g_ptr_array_index (models, j);
              if (b == a || parted (a, b))
                continue;
              if (b->waiting)
                g_assert_false (may_meet (a, b));
            }
          for (guint f = 0; f < formed->len; f++)
            {
              Model *x = g_hash_table_lookup (by_id, g_ptr_array_index (formed, f));
              Model *y = g_hash_table_lookup (by_id, g_ptr_array_index (formed, f ^ 1));
              if (may_meet (x, a) && !parted (x, a) && !parted (x, y))
                g_assert_cmpuint (tier_of (x, y), <=, tier_of (x, a));
            }
        }
      g_autoptr(GError) error = NULL;
      if (!sc_lobby_check_invariants (lobby, &error))
        g_error ("step %u: %s", step, error->message);
    }
  g_test_message ("%u matches, %u by a shared interest", matches, by_interest);
  g_assert_cmpuint (matches, >, STEPS / 8);
  g_assert_cmpuint (by_interest, >, 0);
  const ScLobbyStats *st = sc_lobby_get_stats (lobby);
  g_assert_cmpuint (st->matches_by_reason[SC_MATCH_INTEREST], ==, by_interest);
  g_assert_cmpuint (st->matches_by_reason[SC_MATCH_FALLBACK], ==, 0);
  g_hash_table_unref (by_id);
}

static gboolean
quit_loop (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Two users who share nothing wait for each other only the interest wait, then meet, as
 * a fallback; a third who shares an interest with the first, arriving before that, is
 * taken instead. */
static void
test_interest_wait (void)
{
  g_autoptr(ScMatcher) matcher = sc_local_matcher_new ();
  sc_matcher_set_interest_wait (matcher, 100);
  g_autoptr(ScLobby) lobby = fake_lobby_new (matcher, TRUE);
  static const char *const chess[] = { "Chess", NULL };
  static const char *const cats[] = { "cats", NULL };
  FakeConn *a = sign_in_with (lobby, "a", chess, NULL);
  FakeConn *b = sign_in_with (lobby, "b", cats, NULL);
  sc_matcher_flush (matcher);
  g_assert_cmpuint (count_type (a, SC_MSG_MATCHED, 0), ==, 0);
  g_assert_cmpuint (count_type (b, SC_MSG_MATCHED, 0), ==, 0);
  FakeConn *c = sign_in_with (lobby, "c", (const char *const[]) { "chess", "go", NULL }, "de");
  sc_matcher_flush (matcher);
  g_assert_cmpuint (count_type (a, SC_MSG_MATCHED, 0), ==, 1);
  g_assert_cmpstr (last_of (a, SC_MSG_MATCHED)->peer_id, ==, c->id);
  g_assert_cmpstr (last_of (a, SC_MSG_MATCHED)->interests[0], ==, "chess");
  FakeConn *d = sign_in_with (lobby, "d", NULL, NULL);
  sc_matcher_flush (matcher);
  g_assert_cmpuint (count_type (b, SC_MSG_MATCHED, 0), ==, 0);   /* b still hopes */

  gint64 start = g_get_monotonic_time ();
  gboolean done = FALSE;
  g_timeout_add (5000, quit_loop, &done);
  while (!done && count_type (b, SC_MSG_MATCHED, 0) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count_type (b, SC_MSG_MATCHED, 0), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 50 * 1000);
  g_assert_cmpstr (last_of (b, SC_MSG_MATCHED)->peer_id, ==, d->id);
  g_assert_cmpuint (g_strv_length (last_of (b, SC_MSG_MATCHED)->interests), ==, 0);
  const ScLobbyStats *st = sc_lobby_get_stats (lobby);
  g_assert_cmpuint (st->matches_by_reason[SC_MATCH_INTEREST], ==, 1);
  g_assert_cmpuint (st->matches_by_reason[SC_MATCH_FALLBACK], ==, 1);
  fake_end_all (lobby, a, b, c, d, NULL);
}

/* One with nothing to share waits among keen users (who share a language with each
 * other, not with it): when its own wait runs out it takes one of them, before that
 * user's wait would have — nobody waits for ever for having no language. */
static void
test_waited_out_takes_anyone (void)
{
  g_autoptr(ScMatcher) matcher = sc_local_matcher_new ();
  sc_matcher_set_interest_wait (matcher, 2000);
  g_autoptr(ScLobby) lobby = fake_lobby_new (matcher, TRUE);
  FakeConn *x = sign_in_with (lobby, "x", NULL, NULL);
  gboolean done = FALSE;
  g_timeout_add (1000, quit_loop, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  FakeConn *e = sign_in_with (lobby, "e", NULL, "en");
  gint64 joined = g_get_monotonic_time ();
  sc_matcher_flush (matcher);
  g_assert_cmpuint (count_type (x, SC_MSG_MATCHED, 0), ==, 0);
  done = FALSE;
  g_timeout_add (5000, quit_loop, &done);
  while (!done && count_type (e, SC_MSG_MATCHED, 0) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count_type (e, SC_MSG_MATCHED, 0), ==, 1);
  /* x's wait (about 1 s after e came), not e's own (2 s). */
  g_assert_cmpint (g_get_monotonic_time () - joined, <, 1800 * 1000);
  g_assert_cmpuint (sc_lobby_get_stats (lobby)->matches_by_reason[SC_MATCH_FALLBACK], ==, 1);
  fake_end_all (lobby, x, e, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/matcher/random-steps", test_random_steps);
  g_test_add_func ("/matcher/interest-steps", test_interest_steps);
  g_test_add_func ("/matcher/interest-wait", test_interest_wait);
  g_test_add_func ("/matcher/waited-out-takes-anyone", test_waited_out_takes_anyone);
  return g_test_run ();
}
