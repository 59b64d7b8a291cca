/* test-lobby.c: the lobby's rules, one scenario at a time, through fake transports. */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "lobby-fixture.h"
#include "sc-auth.h"

typedef struct
{
  ScMatcher *matcher;
  ScLobby *lobby;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->matcher = sc_local_matcher_new ();
  f->lobby = fake_lobby_new (f->matcher, TRUE);
  sc_lobby_set_clock (f->lobby, fake_clock, NULL);
  fake_clock_auto = TRUE;
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (sc_lobby_check_invariants (f->lobby, &error));
  g_assert_cmpuint (sc_lobby_get_invariant_violations (f->lobby), ==, 0);
  g_clear_object (&f->lobby);
  g_clear_object (&f->matcher);
}

static void
pair_two (Fixture *f, FakeConn **a, FakeConn **b)
{
  *a = fake_sign_in (f->lobby, "alice");
  *b = fake_sign_in (f->lobby, "bob");
  sc_matcher_flush (f->matcher);
  ScMessage *ma = last_of (*a, SC_MSG_MATCHED), *mb = last_of (*b, SC_MSG_MATCHED);
  g_assert_nonnull (ma);
  g_assert_nonnull (mb);
  g_assert_cmpstr (ma->call, ==, mb->call);
  g_assert_cmpstr (ma->peer_id, ==, (*b)->id);
  g_assert_cmpstr (mb->peer_id, ==, (*a)->id);
  g_assert_cmpstr (ma->peer_name, ==, "bob");
  g_assert_true (ma->role != mb->role);
}

static void
test_sign_in_and_wait (Fixture *f, gconstpointer data)
{
  FakeConn *a = fake_sign_in (f->lobby, "  alice ");
  ScMessage *signed_in = g_ptr_array_index (a->inbox, 1);
  g_assert_cmpstr (signed_in->name, ==, "alice");
  g_assert_true (g_str_has_prefix (signed_in->id, "g"));   /* a guest */
  ScMessage *waiting = g_ptr_array_index (a->inbox, 2);
  g_assert_cmpint (waiting->type, ==, SC_MSG_WAITING);
  g_assert_cmpuint (waiting->queue, ==, 1);
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (count_type (a, SC_MSG_MATCHED, 0), ==, 0);

  /* Same name twice is fine: ids differ. */
  FakeConn *b = fake_sign_in (f->lobby, "alice");
  g_assert_cmpstr (a->id, !=, b->id);
  fake_free (a);
  fake_free (b);
}

static void
test_sign_in_errors (Fixture *f, gconstpointer data)
{
  FakeConn *c = fake_connect (f->lobby);

  fake_send_simple (f->lobby, c, SC_MSG_NEXT);
  g_assert_cmpstr (last_of (c, SC_MSG_ERROR)->code, ==, "not-signed-in");

  const char *bad_names[] = { "", "   ", "a\x1b[2Jb", "0123456789012345678901234567890123" };
  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
      msg->version = SC_PROTOCOL_VERSION;
      msg->name = g_strdup (bad_names[i]);
      fake_receive (f->lobby, c, msg);
      g_assert_cmpstr (last_of (c, SC_MSG_ERROR)->code, ==, "bad-name");
    }

  ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
  msg->version = 99;
  msg->name = g_strdup ("x");
  fake_receive (f->lobby, c, msg);
  g_assert_cmpstr (last_of (c, SC_MSG_ERROR)->code, ==, "unsupported-version");
  g_assert_cmpuint (sc_lobby_get_n_users (f->lobby), ==, 0);

  FakeConn *d = fake_sign_in (f->lobby, "dora");
  msg = sc_message_new (SC_MSG_SIGN_IN);
  msg->version = SC_PROTOCOL_VERSION;
  msg->name = g_strdup ("again");
  fake_receive (f->lobby, d, msg);
  g_assert_cmpstr (last_of (d, SC_MSG_ERROR)->code, ==, "already-signed-in");

  fake_disconnect (f->lobby, c);
  fake_free (c);
  fake_free (d);
}

/* next, leave and disconnect each end the pair once and tell the partner once, with
 * the right reason; the partner goes back to the lobby by itself. */
static void
test_every_way_of_leaving (Fixture *f, gconstpointer data)
{
  const struct { int how; ScLeaveReason reason; } ways[] = {
    { 0, SC_LEAVE_NEXT }, { 1, SC_LEAVE_LEFT }, { 2, SC_LEAVE_LOST },
  };

  for (guint w = 0; w < G_N_ELEMENTS (ways); w++)
    {
      FakeConn *a, *b;
      pair_two (f, &a, &b);
      guint64 ended = sc_lobby_get_stats (f->lobby)->pairs_ended;
      guint mark_a = a->inbox->len, mark_b = b->inbox->len;

      if (ways[w].how == 0)
        fake_send_simple (f->lobby, a, SC_MSG_NEXT);
      else if (ways[w].how == 1)
        fake_send_simple (f->lobby, a, SC_MSG_LEAVE);
      else
        fake_disconnect (f->lobby, a);

      /* The same way again, and the others after it, change nothing. */
      if (ways[w].how != 2)
        {
          fake_send_simple (f->lobby, a, SC_MSG_LEAVE);
          fake_disconnect (f->lobby, a);
          fake_disconnect (f->lobby, a);
        }
      else
        fake_disconnect (f->lobby, a);

      g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->pairs_ended, ==, ended + 1);
      g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 1);
      g_assert_cmpint (last_of (b, SC_MSG_PEER_LEFT)->reason, ==, ways[w].reason);
      g_assert_cmpuint (count_type (a, SC_MSG_PEER_LEFT, mark_a), ==, 0);
      g_assert_cmpuint (count_type (b, SC_MSG_WAITING, mark_b), ==, 1);
      g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 0);

      /* b waits alone now. */
      sc_matcher_flush (f->matcher);
      fake_disconnect (f->lobby, b);
      fake_free (a);
      fake_free (b);
    }
}

static void
test_relay (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  const char *call = last_of (a, SC_MSG_MATCHED)->call;

  ScMessage *offer = sc_message_new (SC_MSG_OFFER);
  offer->call = g_strdup (call);
  offer->sdp = g_strdup ("v=0\r\n");
  fake_receive (f->lobby, a, offer);
  g_assert_cmpstr (last_of (b, SC_MSG_OFFER)->sdp, ==, "v=0\r\n");
  g_assert_null (last_of (a, SC_MSG_OFFER));

  /* Signalling for another call is dropped, not forwarded to anyone. */
  FakeConn *c = fake_sign_in (f->lobby, "carol");
  guint mark_a = a->inbox->len, mark_b = b->inbox->len;
  ScMessage *cand = sc_message_new (SC_MSG_CANDIDATE);
  cand->call = g_strdup (call);
  cand->candidate = g_strdup ("candidate:x");
  fake_receive (f->lobby, c, cand);   /* carol is not in that call */
  cand = sc_message_new (SC_MSG_CANDIDATE);
  cand->call = g_strdup ("c-made-up");
  cand->candidate = g_strdup ("candidate:y");
  fake_receive (f->lobby, a, cand);
  g_assert_cmpuint (a->inbox->len, ==, mark_a);
  g_assert_cmpuint (b->inbox->len, ==, mark_b);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->dropped, ==, 2);

  /* After the call ends, its late candidates are dropped too. */
  g_autofree char *old_call = g_strdup (call);
  fake_send_simple (f->lobby, a, SC_MSG_NEXT);
  sc_matcher_flush (f->matcher);
  mark_b = b->inbox->len;
  guint mark_c = c->inbox->len;
  cand = sc_message_new (SC_MSG_CANDIDATE);
  cand->call = g_strdup (old_call);
  cand->candidate = g_strdup ("candidate:late");
  fake_receive (f->lobby, a, cand);
  g_assert_cmpuint (count_type (b, SC_MSG_CANDIDATE, mark_b), ==, 0);
  g_assert_cmpuint (count_type (c, SC_MSG_CANDIDATE, mark_c), ==, 0);

  fake_free (a);
  fake_free (b);
  fake_free (c);
}

/* The id of the user CONN is in a call with now, from its own messages. */
static const char *
current_partner (FakeConn *conn)
{
  for (guint i = conn->inbox->len; i > 0; i--)
    {
      ScMessage *m = g_ptr_array_index (conn->inbox, i - 1);
      if (m->type == SC_MSG_MATCHED)
        return m->peer_id;
      if (m->type == SC_MSG_PEER_LEFT || m->type == SC_MSG_WAITING)
        return NULL;
    }
  return NULL;
}

static void
test_no_instant_rematch (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  FakeConn *c = fake_sign_in (f->lobby, "carol");
  sc_matcher_flush (f->matcher);
  FakeConn *all[] = { a, b, c };

  /* Three users, one pair, one waiting. Whoever skips, the new pair is made with the
   * one who was waiting: the two who just parted never meet again at once. */
  for (guint round = 0; round < 60; round++)
    {
      FakeConn *waiting = NULL, *paired[2];
      guint n = 0;
      for (guint i = 0; i < 3; i++)
        if (current_partner (all[i]) == NULL)
          waiting = all[i];
        else
          paired[n++] = all[i];
      g_assert_nonnull (waiting);
      g_assert_cmpuint (n, ==, 2);

      FakeConn *skipper = paired[g_test_rand_int_range (0, 2)];
      fake_send_simple (f->lobby, skipper, SC_MSG_NEXT);
      sc_matcher_flush (f->matcher);

      g_assert_nonnull (current_partner (waiting));
      g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);
      g_assert_cmpuint (sc_lobby_get_n_waiting (f->lobby), ==, 1);
      const char *p0 = current_partner (paired[0]);
      g_assert_true (p0 == NULL || g_str_equal (p0, waiting->id));
    }

  /* With only two users left, they meet again at once. */
  fake_disconnect (f->lobby, c);
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);
  fake_free (a);
  fake_free (b);
  fake_free (c);
}

static void
on_close (gpointer transport, const char *reason, gpointer data)
{
  FakeConn *conn = transport;
  conn->gone = TRUE;   /* the lobby has let the user go already */
}

static ScMessage *
candidate_for (const char *call)
{
  ScMessage *m = sc_message_new (SC_MSG_CANDIDATE);
  m->call = g_strdup (call);
  m->candidate = g_strdup ("candidate:1 1 UDP 1 127.0.0.1 1 typ host");
  return m;
}

/* @skipper, paired with the one other user, skips (and is rematched) @n times in a row
 * at one instant. */
static void
skip_at_once (Fixture *f, FakeConn *skipper, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      fake_send_simple (f->lobby, skipper, SC_MSG_NEXT);
      sc_matcher_flush (f->matcher);
    }
}

/* next: a burst of 5, then one a second. A next over the limit that ends a call is
 * never refused (#22: a refusal left the pair half-ended): the partner hears "next" at
 * once, and the skipper's return to matching waits ("cooldown") until the limit allows
 * another skip. A next over the limit that ends nothing is refused, as any message. */
static void
test_rate_limit_next (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  fake_clock_auto = FALSE;
  guint64 nexts_before = sc_lobby_get_stats (f->lobby)->nexts;
  guint b_left = count_type (b, SC_MSG_PEER_LEFT, 0);

  skip_at_once (f, a, 6);
  /* Six calls ended, each heard by the partner as a skip; no refusal. */
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->nexts - nexts_before, ==, 6);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, 0) - b_left, ==, 6);
  g_assert_cmpint (last_of (b, SC_MSG_PEER_LEFT)->reason, ==, SC_LEAVE_NEXT);
  g_assert_null (last_of (a, SC_MSG_ERROR));
  g_assert_false (a->gone);
  /* The sixth: a cooldown of the second the bucket needs, out of the lobby meanwhile. */
  g_assert_cmpint (((ScMessage *) g_ptr_array_index (a->inbox, a->inbox->len - 1))->type, ==,
                   SC_MSG_COOLDOWN);
  g_assert_cmpuint (last_of (a, SC_MSG_COOLDOWN)->ms, ==, 1000);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->cooldowns, ==, 1);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 0);
  guint a_seen = a->inbox->len;

  /* More nexts during the cooldown change nothing and are not refusals. */
  fake_now_us += 300 * 1000;
  fake_send_simple (f->lobby, a, SC_MSG_NEXT);
  g_assert_cmpint (sc_lobby_wake (f->lobby), ==, fake_now_us + 700 * 1000);
  g_assert_cmpuint (a->inbox->len, ==, a_seen);

  /* When it ends the skipper is back in the lobby, and meets b again. */
  fake_now_us += 700 * 1000;
  g_assert_cmpint (sc_lobby_wake (f->lobby), ==, -1);
  g_assert_cmpint (((ScMessage *) g_ptr_array_index (a->inbox, a_seen))->type, ==, SC_MSG_WAITING);
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);

  /* From the lobby (ending no call), a next over the limit is refused. */
  fake_send_simple (f->lobby, a, SC_MSG_NEXT);   /* the token that came back */
  fake_send_simple (f->lobby, a, SC_MSG_NEXT);   /* from the lobby: nothing to end */
  g_assert_cmpstr (last_of (a, SC_MSG_ERROR)->code, ==, "rate-limited");
  fake_free (a);
  fake_free (b);
}

/* A user who leaves during a cooldown stays out of the lobby; one whose session ends
 * is forgotten by it. */
static void
test_cooldown_leave (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  fake_clock_auto = FALSE;
  skip_at_once (f, a, 6);
  g_assert_nonnull (last_of (a, SC_MSG_COOLDOWN));
  fake_send_simple (f->lobby, a, SC_MSG_LEAVE);
  fake_now_us += 2 * G_USEC_PER_SEC;
  guint a_seen = a->inbox->len;
  g_assert_cmpint (sc_lobby_wake (f->lobby), ==, -1);
  g_assert_cmpuint (a->inbox->len, ==, a_seen);   /* no "waiting": it left */

  /* b skips into a cooldown too, then goes: nothing of it is left to wake. */
  fake_send_simple (f->lobby, a, SC_MSG_NEXT);
  sc_matcher_flush (f->matcher);
  skip_at_once (f, b, 6);
  g_assert_nonnull (last_of (b, SC_MSG_COOLDOWN));
  fake_disconnect (f->lobby, b);
  fake_now_us += 2 * G_USEC_PER_SEC;
  g_assert_cmpint (sc_lobby_wake (f->lobby), ==, -1);
  g_assert_true (sc_lobby_check_invariants (f->lobby, NULL));
  fake_free (a);
  fake_free (b);
}

/* Messages: a burst of 20, then 10 a second; one error note a second, and the
 * connection closed only if the client keeps going. Signalling for one's own call is
 * bounded per call instead (100), never by the second: a browser's burst of candidates
 * must all reach the partner (#23). */
static void
test_rate_limit_messages (Fixture *f, gconstpointer data)
{
  sc_lobby_set_close_func (f->lobby, on_close, f->lobby);
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  const char *call = last_of (a, SC_MSG_MATCHED)->call;
  fake_clock_auto = FALSE;
  fake_now_us += 10 * G_USEC_PER_SEC;   /* a full bucket */

  /* 60 candidates at once for the call: all relayed, the bucket untouched. */
  guint b_before = count_type (b, SC_MSG_CANDIDATE, 0);
  guint errors_before = count_type (a, SC_MSG_ERROR, 0);
  for (int i = 0; i < 60; i++)
    fake_receive (f->lobby, a, candidate_for (call));
  g_assert_cmpuint (count_type (b, SC_MSG_CANDIDATE, 0) - b_before, ==, 60);
  g_assert_cmpuint (count_type (a, SC_MSG_ERROR, 0), ==, errors_before);

  /* Messages that are not: a burst of 20 (candidates for a call that has ended are
   * dropped, and count). */
  guint64 dropped = sc_lobby_get_stats (f->lobby)->dropped;
  for (int i = 0; i < 20; i++)
    fake_receive (f->lobby, a, candidate_for ("c-ended"));
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->dropped - dropped, ==, 20);
  fake_receive (f->lobby, a, candidate_for ("c-ended"));
  fake_receive (f->lobby, a, candidate_for ("c-ended"));
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->dropped - dropped, ==, 20);
  g_assert_cmpuint (count_type (a, SC_MSG_ERROR, 0) - errors_before, ==, 1);   /* one note */
  g_assert_false (a->gone);

  /* Slowing down is enough: 100 ms later one more goes through. */
  fake_now_us += 100 * 1000;
  fake_receive (f->lobby, a, candidate_for ("c-ended"));
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->dropped - dropped, ==, 21);

  /* The call's own signalling goes on past the bucket, up to 100 in the call. */
  for (int i = 60; i < SC_LIMIT_SIGNALS_PER_CALL; i++)
    fake_receive (f->lobby, a, candidate_for (call));
  g_assert_cmpuint (count_type (b, SC_MSG_CANDIDATE, 0) - b_before, ==, SC_LIMIT_SIGNALS_PER_CALL);
  fake_receive (f->lobby, a, candidate_for (call));
  g_assert_cmpuint (count_type (b, SC_MSG_CANDIDATE, 0) - b_before, ==, SC_LIMIT_SIGNALS_PER_CALL);

  /* Going on regardless: closed after 20 refusals in a row; the partner hears "lost". */
  for (int i = 0; i < SC_LIMIT_ABUSE_REFUSALS && !a->gone; i++)
    fake_receive (f->lobby, a, candidate_for (call));
  g_assert_true (a->gone);
  g_assert_cmpint (last_of (b, SC_MSG_PEER_LEFT)->reason, ==, SC_LEAVE_LOST);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->closed_for_abuse, ==, 1);
  fake_free (a);
  fake_free (b);
}

static FakeConn *
connect_from (ScLobby *lobby, const char *address)
{
  FakeConn *conn = g_new0 (FakeConn, 1);
  conn->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_message_free);
  conn->user = sc_lobby_connect (lobby, conn, address, NULL);
  return conn;
}

/* Sign-ins from one address: a burst of 10, then one every 2 s; others are unaffected. */
static void
test_rate_limit_sign_in (Fixture *f, gconstpointer data)
{
  sc_lobby_set_close_func (f->lobby, on_close, f->lobby);
  fake_clock_auto = FALSE;
  GPtrArray *conns = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_free);
  for (int i = 0; i < 11; i++)
    {
      FakeConn *c = connect_from (f->lobby, "127.0.0.7");
      g_ptr_array_add (conns, c);
      ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
      msg->version = SC_PROTOCOL_VERSION;
      msg->name = g_strdup ("flood");
      fake_receive (f->lobby, c, msg);
      if (i < 10)
        g_assert_cmpint (((ScMessage *) g_ptr_array_index (c->inbox, 1))->type, ==, SC_MSG_SIGNED_IN);
      else
        {
          g_assert_cmpstr (last_of (c, SC_MSG_ERROR)->code, ==, "rate-limited");
          g_assert_true (c->gone);
        }
    }
  FakeConn *other = connect_from (f->lobby, "127.0.0.8");
  g_ptr_array_add (conns, other);
  ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
  msg->version = SC_PROTOCOL_VERSION;
  msg->name = g_strdup ("someone else");
  fake_receive (f->lobby, other, msg);
  g_assert_cmpint (((ScMessage *) g_ptr_array_index (other->inbox, 1))->type, ==, SC_MSG_SIGNED_IN);

  for (guint i = 0; i < conns->len; i++)
    {
      FakeConn *c = g_ptr_array_index (conns, i);
      if (!c->gone)
        fake_disconnect (f->lobby, c);
    }
  g_ptr_array_unref (conns);
}

static void
send_report (ScLobby *lobby, FakeConn *conn)
{
  ScMessage *m = sc_message_new (SC_MSG_REPORT);
  m->call = g_strdup (last_of (conn, SC_MSG_MATCHED)->call);
  m->report_reason = g_strdup ("rude");
  fake_receive (lobby, conn, m);
}

/* A report ends the call (the reported one sees a skip) and the two never meet again,
 * not even when they are the only ones waiting. */
static void
test_report_blocks (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  guint mark_b = b->inbox->len;
  send_report (f->lobby, a);
  g_assert_cmpint (last_of (b, SC_MSG_PEER_LEFT)->reason, ==, SC_LEAVE_NEXT);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 1);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->reports, ==, 1);

  for (int i = 0; i < 5; i++)
    {
      sc_matcher_flush (f->matcher);
      g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 0);
      fake_send_simple (f->lobby, a, SC_MSG_NEXT);
    }
  g_assert_cmpuint (sc_lobby_get_n_waiting (f->lobby), ==, 2);

  /* A third user is paired with one of them at once. */
  FakeConn *c = fake_sign_in (f->lobby, "carol");
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);
  g_assert_cmpstr (last_of (c, SC_MSG_MATCHED)->peer_id, !=, NULL);

  /* Reporting outside a call is refused: the one carol did not get waits. */
  ScMessage *m = sc_message_new (SC_MSG_REPORT);
  m->call = g_strdup ("c-none");
  m->report_reason = g_strdup ("");
  FakeConn *waiting = g_str_equal (last_of (c, SC_MSG_MATCHED)->peer_id, a->id) ? b : a;
  fake_receive (f->lobby, waiting, m);
  g_assert_cmpstr (last_of (waiting, SC_MSG_ERROR)->code, ==, "not-in-call");
  /* The refusal names the call, so a client with several reports out knows which. */
  g_assert_cmpstr (last_of (waiting, SC_MSG_ERROR)->call, ==, "c-none");
  fake_free (a);
  fake_free (b);
  fake_free (c);
}

static gint64 ban_clock_us;

static gint64
ban_clock (gpointer data)
{
  return ban_clock_us;
}

/* Signs in with a real Ed25519 key over the nonce of the connection's hello. */
static FakeConn *
keyed_sign_in (ScLobby *lobby, const guint8 *pk, const guint8 *sk, const char *name)
{
  FakeConn *conn = fake_connect (lobby);
  ScMessage *hello = g_ptr_array_index (conn->inbox, 0);
  g_assert_cmpint (hello->type, ==, SC_MSG_HELLO);
  g_autofree char *payload = sc_auth_payload (hello->nonce, name);
  guint8 sig[crypto_sign_BYTES];
  crypto_sign_detached (sig, NULL, (const guint8 *) payload, strlen (payload), sk);
  ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
  msg->version = SC_PROTOCOL_VERSION;
  msg->name = g_strdup (name);
  msg->key = g_base64_encode (pk, crypto_sign_PUBLICKEYBYTES);
  msg->signature = g_base64_encode (sig, sizeof sig);
  sc_lobby_receive (lobby, conn->user, msg);
  sc_message_free (msg);
  return conn;
}

/* Reported by three different users: banned, closed now, refused at sign-in with a
 * clear message while the ban lasts, welcome again after it. */
static void
test_ban (Fixture *f, gconstpointer data)
{
  sc_lobby_set_close_func (f->lobby, on_close, f->lobby);
  ScLobbyConfig config;
  sc_lobby_config_init (&config);
  config.allow_guests = config.check_invariants = TRUE;
  config.ban_after = 3;
  config.ban_seconds = 600;
  sc_lobby_configure (f->lobby, &config);
  sc_lobby_set_clock (f->lobby, ban_clock, NULL);
  ban_clock_us = 1000 * G_USEC_PER_SEC;
  g_assert_true (sc_auth_init ());
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair (pk, sk);

  FakeConn *x = keyed_sign_in (f->lobby, pk, sk, "troll");
  g_assert_nonnull (x->id);
  GPtrArray *reporters = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_free);
  for (int i = 0; i < 3; i++)
    {
      ban_clock_us += 10 * G_USEC_PER_SEC;   /* never rate limited */
      FakeConn *r = fake_sign_in (f->lobby, "reporter");
      g_ptr_array_add (reporters, r);
      sc_matcher_flush (f->matcher);
      g_assert_cmpstr (last_of (r, SC_MSG_MATCHED)->peer_id, ==, x->id);
      send_report (f->lobby, r);
      g_assert_true (x->gone == (i == 2));
      fake_send_simple (f->lobby, r, SC_MSG_LEAVE);   /* so the next reporter meets the troll */
    }
  g_assert_cmpstr (last_of (x, SC_MSG_ERROR)->code, ==, "banned");
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->bans, ==, 1);

  /* Back with the same key during the ban: refused, saying why and for how long. */
  ban_clock_us += 60 * G_USEC_PER_SEC;
  FakeConn *again = keyed_sign_in (f->lobby, pk, sk, "troll");
  ScMessage *err = last_of (again, SC_MSG_ERROR);
  g_assert_cmpstr (err->code, ==, "banned");
  g_assert_nonnull (strstr (err->message, "10 minutes"));
  g_assert_true (again->gone);
  g_assert_null (last_of (again, SC_MSG_SIGNED_IN));

  /* After the ban: welcome. */
  ban_clock_us += 600 * G_USEC_PER_SEC;
  FakeConn *later = keyed_sign_in (f->lobby, pk, sk, "troll");
  g_assert_nonnull (last_of (later, SC_MSG_SIGNED_IN));

  fake_disconnect (f->lobby, later);
  fake_free (later);
  fake_free (again);
  fake_free (x);
  for (guint i = 0; i < reporters->len; i++)
    fake_disconnect (f->lobby, g_ptr_array_index (reporters, i));
  g_ptr_array_unref (reporters);
}

/* ---- Sessions: tokens, tickets, grace, resuming ------------------------------------- */

static char *
ticket_for (Fixture *f, FakeConn *conn)
{
  g_autoptr(GError) error = NULL;
  char *ticket = sc_lobby_issue_ticket (f->lobby, conn->token, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ticket);
  return ticket;
}

static ScMessage *
nth (FakeConn *conn, guint i)
{
  g_assert_cmpuint (i, <, conn->inbox->len);
  return g_ptr_array_index (conn->inbox, i);
}

/* Dropped mid-call and back within the grace period: the pair is kept, the partner
 * hears nothing, and what the partner sent meanwhile is delivered on return. */
static void
test_resume_within_grace (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  g_autofree char *call = g_strdup (last_of (a, SC_MSG_MATCHED)->call);
  guint mark_b = b->inbox->len;

  fake_drop (f->lobby, a);
  g_assert_cmpuint (sc_lobby_get_n_detached (f->lobby), ==, 1);
  fake_receive (f->lobby, b, candidate_for (call));   /* held for a */
  fake_now_us += 8 * G_USEC_PER_SEC;
  sc_lobby_tick (f->lobby);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 0);

  g_autofree char *ticket = ticket_for (f, a);
  FakeConn *a2 = fake_connect_with (f->lobby, ticket);
  g_assert_cmpint (nth (a2, 0)->type, ==, SC_MSG_HELLO);
  ScMessage *signed_in = nth (a2, 1);
  g_assert_cmpint (signed_in->type, ==, SC_MSG_SIGNED_IN);
  g_assert_true (signed_in->resumed);
  g_assert_cmpstr (signed_in->id, ==, a->id);
  g_assert_cmpstr (signed_in->call, ==, call);
  g_assert_cmpint (nth (a2, 2)->type, ==, SC_MSG_MATCHED);   /* the pair, again */
  g_assert_cmpstr (nth (a2, 2)->call, ==, call);
  g_assert_cmpstr (nth (a2, 2)->peer_id, ==, b->id);
  g_assert_cmpint (nth (a2, 3)->type, ==, SC_MSG_CANDIDATE);
  g_assert_cmpstr (nth (a2, 3)->call, ==, call);
  g_assert_cmpuint (a2->inbox->len, ==, 4);
  g_assert_cmpuint (sc_lobby_get_n_detached (f->lobby), ==, 0);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);

  /* Signalling flows both ways again; the grace deadline no longer applies. */
  fake_receive (f->lobby, a2, candidate_for (call));
  g_assert_cmpint (last_of (b, SC_MSG_CANDIDATE)->type, ==, SC_MSG_CANDIDATE);
  fake_now_us += 60 * G_USEC_PER_SEC;
  sc_lobby_tick (f->lobby);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 0);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->resumed, ==, 1);

  /* The ticket was for one use. */
  FakeConn *again = fake_connect_with (f->lobby, ticket);
  g_assert_cmpstr (last_of (again, SC_MSG_ERROR)->code, ==, "bad-ticket");
  g_assert_null (last_of (again, SC_MSG_SIGNED_IN));

  fake_disconnect (f->lobby, again);
  fake_disconnect (f->lobby, a2);
  fake_disconnect (f->lobby, b);
  fake_free (again);
  fake_free (a);
  fake_free (a2);
  fake_free (b);
}

/* Not back in time: the partner hears "lost" exactly once, when the grace period ends;
 * coming back later gives a new session with the same identity, in the lobby. */
static void
test_grace_expiry (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  guint mark_b = b->inbox->len;

  fake_drop (f->lobby, a);
  fake_now_us += (SC_SESSION_GRACE_S - 1) * G_USEC_PER_SEC;
  sc_lobby_tick (f->lobby);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 0);
  fake_now_us += 1 * G_USEC_PER_SEC;
  sc_lobby_tick (f->lobby);
  sc_lobby_tick (f->lobby);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 1);
  g_assert_cmpint (last_of (b, SC_MSG_PEER_LEFT)->reason, ==, SC_LEAVE_LOST);
  g_assert_cmpuint (count_type (b, SC_MSG_WAITING, mark_b), ==, 1);
  g_assert_cmpuint (sc_lobby_get_n_users (f->lobby), ==, 1);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->grace_expired, ==, 1);

  g_autofree char *ticket = ticket_for (f, a);
  FakeConn *a2 = fake_connect_with (f->lobby, ticket);
  ScMessage *signed_in = last_of (a2, SC_MSG_SIGNED_IN);
  g_assert_false (signed_in->resumed);
  g_assert_null (signed_in->call);
  g_assert_cmpstr (signed_in->id, ==, a->id);
  g_assert_nonnull (last_of (a2, SC_MSG_WAITING));

  /* b waited alone, so the two meet again at once. */
  sc_matcher_flush (f->matcher);
  g_assert_nonnull (last_of (a2, SC_MSG_MATCHED));

  fake_disconnect (f->lobby, a2);
  fake_disconnect (f->lobby, b);
  fake_free (a);
  fake_free (a2);
  fake_free (b);
}

/* The partner skips while the user is away: on return it hears of it, in order, and
 * goes back to the lobby. A user waiting in the lobby leaves the queue while away and
 * goes back on return. */
static void
test_away_while_partner_leaves (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  g_autofree char *call = g_strdup (last_of (a, SC_MSG_MATCHED)->call);

  fake_drop (f->lobby, a);
  fake_send_simple (f->lobby, b, SC_MSG_NEXT);
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 0);
  g_assert_cmpuint (sc_lobby_get_n_waiting (f->lobby), ==, 1);   /* b only */

  g_autofree char *ticket = ticket_for (f, a);
  FakeConn *a2 = fake_connect_with (f->lobby, ticket);
  ScMessage *signed_in = nth (a2, 1);
  g_assert_true (signed_in->resumed);
  g_assert_null (signed_in->call);
  g_assert_cmpint (nth (a2, 2)->type, ==, SC_MSG_PEER_LEFT);
  g_assert_cmpstr (nth (a2, 2)->call, ==, call);
  g_assert_cmpint (nth (a2, 2)->reason, ==, SC_LEAVE_NEXT);
  g_assert_cmpint (nth (a2, 3)->type, ==, SC_MSG_WAITING);
  g_assert_cmpuint (count_type (a2, SC_MSG_PEER_LEFT, 0), ==, 1);

  /* Waiting, then away: out of the queue, so nobody is matched with a ghost. */
  fake_drop (f->lobby, b);
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (sc_lobby_get_n_waiting (f->lobby), ==, 1);   /* a2 */
  FakeConn *c = fake_sign_in (f->lobby, "carol");
  sc_matcher_flush (f->matcher);
  g_assert_cmpstr (last_of (c, SC_MSG_MATCHED)->peer_id, ==, a2->id);
  g_autofree char *ticket_b = ticket_for (f, b);
  FakeConn *b2 = fake_connect_with (f->lobby, ticket_b);
  g_assert_true (last_of (b2, SC_MSG_SIGNED_IN)->resumed);
  g_assert_nonnull (last_of (b2, SC_MSG_WAITING));
  g_assert_cmpuint (sc_lobby_get_n_waiting (f->lobby), ==, 1);

  fake_disconnect (f->lobby, a2);
  fake_disconnect (f->lobby, b2);
  fake_disconnect (f->lobby, c);
  fake_free (a);
  fake_free (a2);
  fake_free (b);
  fake_free (b2);
  fake_free (c);
}

/* A reconnect while the old socket still looks open: the old connection is told and
 * closed (the transport forgets it, so its late close reaches nobody), the session and
 * its pair go on. A stale ticket of a session replaced by a fresh sign-in of the same
 * key cannot evict the newer session. */
static void
test_takeover_and_stale_session (Fixture *f, gconstpointer data)
{
  sc_lobby_set_close_func (f->lobby, on_close, f->lobby);
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  guint mark_b = b->inbox->len;

  g_autofree char *ticket = ticket_for (f, a);
  FakeConn *a2 = fake_connect_with (f->lobby, ticket);
  g_assert_true (a->gone);
  g_assert_cmpstr (last_of (a, SC_MSG_ERROR)->code, ==, "replaced");
  g_assert_true (last_of (a2, SC_MSG_SIGNED_IN)->resumed);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);
  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 0);

  /* Key identity: a fresh sign-in replaces the session; the old session's token then
   * gets a ticket but resuming with it is refused, and the new session is untouched. */
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair (pk, sk);
  FakeConn *k1 = keyed_sign_in (f->lobby, pk, sk, "kim");
  g_autofree char *old_token = g_strdup (k1->token);
  FakeConn *k2 = keyed_sign_in (f->lobby, pk, sk, "kim");
  g_assert_true (k1->gone);
  g_autoptr(GError) error = NULL;
  g_autofree char *stale = sc_lobby_issue_ticket (f->lobby, old_token, NULL, &error);
  g_assert_no_error (error);
  FakeConn *k3 = fake_connect_with (f->lobby, stale);
  g_assert_cmpstr (last_of (k3, SC_MSG_ERROR)->code, ==, "replaced");
  g_assert_true (k3->gone);
  g_assert_false (k2->gone);
  g_assert_cmpuint (sc_lobby_get_n_users (f->lobby), ==, 3);

  fake_disconnect (f->lobby, a2);
  fake_disconnect (f->lobby, b);
  fake_disconnect (f->lobby, k2);
  fake_free (a);
  fake_free (a2);
  fake_free (b);
  fake_free (k1);
  fake_free (k2);
  fake_free (k3);
}

/* The partner leaves while our old socket still looks alive: its peer-left goes to that
 * socket, which is in fact dead. Resuming on a new one (taking over) must say where the
 * session is now, in the lobby, or the client never learns that its call ended. */
static void
test_takeover_after_lost_news (Fixture *f, gconstpointer data)
{
  sc_lobby_set_close_func (f->lobby, on_close, f->lobby);
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  g_autofree char *call = g_strdup (last_of (a, SC_MSG_MATCHED)->call);

  fake_send_simple (f->lobby, b, SC_MSG_LEAVE);
  g_assert_cmpstr (last_of (a, SC_MSG_PEER_LEFT)->call, ==, call);   /* lost, in truth */

  g_autofree char *ticket = ticket_for (f, a);
  FakeConn *a2 = fake_connect_with (f->lobby, ticket);
  g_assert_true (a->gone);
  ScMessage *signed_in = last_of (a2, SC_MSG_SIGNED_IN);
  g_assert_true (signed_in->resumed);
  g_assert_null (signed_in->call);
  g_assert_nonnull (last_of (a2, SC_MSG_WAITING));
  g_assert_null (last_of (a2, SC_MSG_MATCHED));

  fake_disconnect (f->lobby, a2);
  fake_disconnect (f->lobby, b);
  fake_free (a);
  fake_free (a2);
  fake_free (b);
}

/* Tickets: only for a good token, one use, short-lived. Tokens: forged, foreign or
 * expired ones are refused; a live session gets a fresh one at half its life. */
static void
test_tokens_and_tickets (Fixture *f, gconstpointer data)
{
  FakeConn *a = fake_sign_in (f->lobby, "alice");
  g_autoptr(GError) error = NULL;
  g_assert_true (g_str_has_prefix (a->token, "st1."));

  /* Forged: one character of the payload changed. */
  g_autofree char *forged = g_strdup (a->token);
  forged[6] = forged[6] == 'A' ? 'B' : 'A';
  g_assert_null (sc_lobby_issue_ticket (f->lobby, forged, NULL, &error));
  g_assert_nonnull (strstr (error->message, "token"));
  g_clear_error (&error);
  g_assert_null (sc_lobby_issue_ticket (f->lobby, "st1.garbage", NULL, &error));
  g_clear_error (&error);

  /* Another server's secret. */
  g_autoptr(ScTokenSigner) other = sc_token_signer_new_random ();
  g_autoptr(ScSessionClaims) claims = sc_session_claims_new ("s1", "g1", "eve", TRUE,
                                                             G_MAXINT32);
  g_autofree char *foreign = sc_token_signer_issue (other, claims);
  g_assert_null (sc_lobby_issue_ticket (f->lobby, foreign, NULL, &error));
  g_clear_error (&error);
  g_autoptr(ScSessionClaims) back = sc_token_signer_verify (other, foreign, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "eve");
  g_assert_true (back->guest);

  /* An unused ticket expires. */
  g_autofree char *ticket = ticket_for (f, a);
  fake_now_us += (SC_TICKET_LIFETIME_S + 1) * G_USEC_PER_SEC;
  FakeConn *late = fake_connect_with (f->lobby, ticket);
  g_assert_cmpstr (last_of (late, SC_MSG_ERROR)->code, ==, "bad-ticket");

  /* Refreshed at half its life; the old token expires at its end. */
  g_autofree char *first = g_strdup (a->token);
  fake_now_us += SC_SESSION_TOKEN_LIFETIME_S / 2 * G_USEC_PER_SEC;
  sc_lobby_tick (f->lobby);
  g_assert_nonnull (last_of (a, SC_MSG_SESSION));
  g_assert_cmpstr (a->token, !=, first);
  fake_now_us += SC_SESSION_TOKEN_LIFETIME_S / 2 * G_USEC_PER_SEC;
  g_assert_null (sc_lobby_issue_ticket (f->lobby, first, NULL, &error));
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);
  g_free (ticket_for (f, a));

  fake_disconnect (f->lobby, late);
  fake_disconnect (f->lobby, a);
  fake_free (a);
  fake_free (late);
}

/* call-failed (ICE failure seen by a client) ends the pair at once: the partner hears
 * "lost" once, even when both sides say so; and the two are not paired again (#23:
 * two networks no call crosses were rematched every 7 s), though each meets others. */
static void
test_call_failed (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  g_autofree char *call = g_strdup (last_of (a, SC_MSG_MATCHED)->call);
  guint mark_a = a->inbox->len, mark_b = b->inbox->len;

  ScMessage *failed = sc_message_new (SC_MSG_CALL_FAILED);
  failed->call = g_strdup (call);
  fake_receive (f->lobby, a, failed);
  failed = sc_message_new (SC_MSG_CALL_FAILED);
  failed->call = g_strdup (call);
  fake_receive (f->lobby, b, failed);

  g_assert_cmpuint (count_type (b, SC_MSG_PEER_LEFT, mark_b), ==, 1);
  g_assert_cmpint (last_of (b, SC_MSG_PEER_LEFT)->reason, ==, SC_LEAVE_LOST);
  g_assert_cmpuint (count_type (a, SC_MSG_PEER_LEFT, mark_a), ==, 0);
  g_assert_cmpuint (count_type (a, SC_MSG_WAITING, mark_a), ==, 1);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->calls_failed, ==, 1);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->calls_failed_no_relay, ==, 1);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->pairs_ended, ==, 1);
  /* No TURN on this lobby: both are told what is missing, once. */
  g_assert_cmpuint (count_type (a, SC_MSG_ERROR, mark_a), ==, 1);
  g_assert_cmpuint (count_type (b, SC_MSG_ERROR, mark_b), ==, 1);
  g_assert_cmpstr (last_of (a, SC_MSG_ERROR)->code, ==, "no-relay");
  g_assert_cmpstr (last_of (b, SC_MSG_ERROR)->code, ==, "no-relay");

  /* Both wait, alone together: no match. */
  sc_matcher_flush (f->matcher);
  g_assert_cmpuint (count_type (a, SC_MSG_MATCHED, mark_a), ==, 0);
  g_assert_cmpuint (count_type (b, SC_MSG_MATCHED, mark_b), ==, 0);
  g_assert_cmpuint (sc_matcher_waiting (f->matcher), ==, 2);

  /* A third meets one of them. */
  FakeConn *c = fake_sign_in (f->lobby, "carol");
  sc_matcher_flush (f->matcher);
  g_assert_nonnull (last_of (c, SC_MSG_MATCHED));
  g_assert_cmpuint (count_type (a, SC_MSG_MATCHED, mark_a) + count_type (b, SC_MSG_MATCHED, mark_b),
                    ==, 1);

  fake_end_all (f->lobby, a, b, c, NULL);
}

/* With a TURN server the lobby hands out, a failed call is not counted as one that had
 * no relay. */
static void
test_call_failed_with_relay (Fixture *f, gconstpointer data)
{
  const char *urls[] = { "turn:192.0.2.1:3478?transport=udp", "turn:192.0.2.1:3478?transport=tcp",
                         NULL };
  ScLobbyConfig config;
  sc_lobby_config_init (&config);
  config.allow_guests = config.check_invariants = TRUE;
  config.turn_urls = urls;
  config.turn_secret = "secret";
  sc_lobby_configure (f->lobby, &config);
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  /* Both URLs in one ICE server entry, with credentials. */
  const ScMessage *matched = last_of (a, SC_MSG_MATCHED);
  g_assert_cmpuint (matched->ice_servers->len, ==, 1);
  const ScIceServer *turn = g_ptr_array_index (matched->ice_servers, 0);
  g_assert_cmpuint (g_strv_length (turn->urls), ==, 2);
  g_assert_cmpstr (turn->urls[1], ==, urls[1]);
  g_assert_nonnull (turn->username);
  g_assert_nonnull (turn->credential);

  ScMessage *failed = sc_message_new (SC_MSG_CALL_FAILED);
  failed->call = g_strdup (matched->call);
  fake_receive (f->lobby, a, failed);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->calls_failed, ==, 1);
  g_assert_cmpuint (sc_lobby_get_stats (f->lobby)->calls_failed_no_relay, ==, 0);
  g_assert_null (last_of (a, SC_MSG_ERROR));
  g_assert_null (last_of (b, SC_MSG_ERROR));

  fake_disconnect (f->lobby, a);
  fake_disconnect (f->lobby, b);
  fake_free (a);
  fake_free (b);
}

/* The partner goes first (leave here; a skip alike) while the user skips: the user's
 * skip names a call that has ended, and must not end the new call it has been put in
 * meanwhile. */
static void
test_crossing_skips (Fixture *f, gconstpointer data)
{
  FakeConn *a, *b;
  pair_two (f, &a, &b);
  g_autofree char *old_call = g_strdup (last_of (a, SC_MSG_MATCHED)->call);
  FakeConn *c = fake_sign_in (f->lobby, "carol");
  sc_matcher_flush (f->matcher);

  fake_send_simple (f->lobby, b, SC_MSG_LEAVE);     /* b first: a hears "left" */
  sc_matcher_flush (f->matcher);
  ScMessage *m = last_of (a, SC_MSG_MATCHED);
  g_assert_cmpstr (m->call, !=, old_call);           /* a is with carol now */
  g_assert_cmpstr (m->peer_id, ==, c->id);
  guint mark_c = c->inbox->len;

  ScMessage *stale = sc_message_new (SC_MSG_NEXT);   /* a's skip, sent before it knew */
  stale->call = g_strdup (old_call);
  fake_receive (f->lobby, a, stale);
  g_assert_cmpuint (count_type (c, SC_MSG_PEER_LEFT, mark_c), ==, 0);
  g_assert_cmpuint (sc_lobby_get_n_pairs (f->lobby), ==, 1);

  /* Naming the current call, or no call, skips as always. */
  ScMessage *real = sc_message_new (SC_MSG_NEXT);
  real->call = g_strdup (m->call);
  fake_receive (f->lobby, a, real);
  g_assert_cmpuint (count_type (c, SC_MSG_PEER_LEFT, mark_c), ==, 1);

  fake_end_all (f->lobby, a, b, c, NULL);
}

/* Two nodes that share the secret file accept each other's tokens: a ticket from node 2
 * for a session of node 1 gives a new session with the same identity there. */
static void
test_shared_secret (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "showcast-test-secret", NULL);
  g_assert_true (g_file_set_contents (path, "0123456789abcdef0123456789abcdef!", -1, NULL));
  g_autoptr(GError) error = NULL;
  sc_lobby_set_token_signer (f->lobby, sc_token_signer_new_from_file (path, &error));
  g_assert_no_error (error);
  g_autoptr(ScMatcher) matcher2 = sc_local_matcher_new ();
  g_autoptr(ScLobby) node2 = fake_lobby_new (matcher2, FALSE);
  sc_lobby_set_token_signer (node2, sc_token_signer_new_from_file (path, &error));
  g_assert_no_error (error);
  g_autoptr(ScLobby) stranger = fake_lobby_new (matcher2, FALSE);

  FakeConn *a = fake_sign_in (f->lobby, "alice");
  g_assert_null (sc_lobby_issue_ticket (stranger, a->token, NULL, &error));
  g_clear_error (&error);
  g_autofree char *ticket = sc_lobby_issue_ticket (node2, a->token, NULL, &error);
  g_assert_no_error (error);
  FakeConn *there = fake_connect_with (node2, ticket);
  ScMessage *signed_in = last_of (there, SC_MSG_SIGNED_IN);
  g_assert_nonnull (signed_in);
  g_assert_false (signed_in->resumed);
  g_assert_cmpstr (signed_in->id, ==, a->id);

  /* Too short a secret is refused with a clear message. */
  g_assert_true (g_file_set_contents (path, "short", -1, NULL));
  g_assert_null (sc_token_signer_new_from_file (path, &error));
  g_assert_nonnull (strstr (error->message, "at least 32"));
  g_unlink (path);

  fake_disconnect (node2, there);
  fake_disconnect (f->lobby, a);
  fake_free (there);
  fake_free (a);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/lobby/sign-in-and-wait", test_sign_in_and_wait);
  ADD ("/lobby/sign-in-errors", test_sign_in_errors);
  ADD ("/lobby/every-way-of-leaving", test_every_way_of_leaving);
  ADD ("/lobby/relay", test_relay);
  ADD ("/lobby/no-instant-rematch", test_no_instant_rematch);
  ADD ("/lobby/rate-limit-next", test_rate_limit_next);
  ADD ("/lobby/cooldown-leave", test_cooldown_leave);
  ADD ("/lobby/rate-limit-messages", test_rate_limit_messages);
  ADD ("/lobby/rate-limit-sign-in", test_rate_limit_sign_in);
  ADD ("/lobby/report-blocks", test_report_blocks);
  ADD ("/lobby/ban", test_ban);
  ADD ("/lobby/resume-within-grace", test_resume_within_grace);
  ADD ("/lobby/takeover-after-lost-news", test_takeover_after_lost_news);
  ADD ("/lobby/grace-expiry", test_grace_expiry);
  ADD ("/lobby/away-while-partner-leaves", test_away_while_partner_leaves);
  ADD ("/lobby/takeover-and-stale-session", test_takeover_and_stale_session);
  ADD ("/lobby/tokens-and-tickets", test_tokens_and_tickets);
  ADD ("/lobby/call-failed", test_call_failed);
  ADD ("/lobby/call-failed-with-relay", test_call_failed_with_relay);
  ADD ("/lobby/crossing-skips", test_crossing_skips);
  ADD ("/lobby/shared-secret", test_shared_secret);
  return g_test_run ();
}
