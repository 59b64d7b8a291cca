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

#define STEPS 10000
#define MAX_USERS 24

typedef struct
{
  FakeConn *conn;
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
      /* A batch of 1–4 actions, as happen within one main-loop iteration. */
      guint batch = g_test_rand_int_range (1, 5);
      for (guint k = 0; k < batch; k++, step++)
        {
          int action = g_test_rand_int_range (0, 100);
          if (models->len < 2 || (action < 15 && models->len < MAX_USERS))
            {
              Model *m = g_new0 (Model, 1);
              g_autofree char *n = g_strdup_printf ("user%u", name++);
              m->conn = fake_sign_in (lobby, n);
              g_ptr_array_add (models, m);
              g_hash_table_insert (by_id, m->conn->id, m);
            }
          else
            act (lobby, models, action);

          /* Read what the server said before the next action, as a client would. */
          g_autoptr(GPtrArray) before = absorb (models);
          g_assert_cmpuint (before->len, ==, 0);   /* nothing pairs before the pass */
        }


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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/matcher/random-steps", test_random_steps);
  return g_test_run ();
}
