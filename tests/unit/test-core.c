/* test-core.c: the client core's phases, with its seams filled by fakes (core-fakes.h):
 * signing in, a match, skips that cross, chat lines held until the chat opens, a call
 * that fails, reconnecting and resuming, a refused skip, quitting. No sockets, no
 * pipelines, no waiting: the fake clock moves only when a test moves it. */
#include <glib.h>

#include "core-fakes.h"
#include "sc-command.h"

typedef struct
{
  FakeLink *link;
  FakeFactory *factory;
  FakeFrontend *frontend;
  FakeClock clock;
  ScCore *core;
  int finished;                /* the exit code of "finished", or -1 */
} Fixture;

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
on_finished (ScCore *core, int exit_code, gpointer data)
{
  Fixture *f = data;
  g_assert_cmpint (f->finished, ==, -1);   /* once */
  f->finished = exit_code;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->link = g_object_new (FAKE_TYPE_LINK, NULL);
  f->factory = g_object_new (FAKE_TYPE_FACTORY, NULL);
  f->frontend = g_object_new (FAKE_TYPE_FRONTEND, NULL);
  fake_clock_init (&f->clock);
  g_autoptr(ScMediaConfig) media = sc_media_config_new ();
  f->core = sc_core_new (SC_SERVER_LINK (f->link), SC_CALL_FACTORY (f->factory),
                         "ws://test.invalid/", "alice", media, NULL);
  sc_core_set_clock (f->core, &f->clock.clock);
  sc_core_set_frontend (f->core, SC_FRONTEND (f->frontend));
  f->finished = -1;
  g_signal_connect (f->core, "finished", G_CALLBACK (on_finished), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  iterate ();
  /* Every call the core ever made (those made ahead included) was stopped, and the
   * capture with them. */
  for (guint i = 0; i < f->factory->calls->len; i++)
    g_assert_true (FAKE_CALL (g_ptr_array_index (f->factory->calls, i))->stopped);
  g_assert_false (f->factory->capturing);
  g_clear_object (&f->link);
  g_clear_object (&f->factory);
  g_clear_object (&f->frontend);
  fake_clock_clear (&f->clock);
}

static void
assert_events (Fixture *f, const char *expected)
{
  g_autofree char *events = fake_frontend_take (f->frontend);
  g_assert_cmpstr (events, ==, expected);
}

/* Started, connected, greeted, signed in as a guest and waiting in the lobby. */
static void
sign_in (Fixture *f)
{
  sc_core_start (f->core);
  g_assert_true (f->factory->capturing);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_CONNECTING);
  iterate ();
  g_assert_cmpuint (f->link->connects, ==, 1);
  g_assert_null (f->link->last_ticket);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_SIGNING_IN);
  fake_link_expect_nothing (f->link);   /* the hello comes first */

  fake_link_hear (f->link, "{\"type\":\"hello\",\"version\":1,\"nonce\":\"n1\",\"guests\":true}");
  const ScMessage *sign_in = fake_link_expect (f->link, SC_MSG_SIGN_IN);
  g_assert_cmpstr (sign_in->name, ==, "alice");
  g_assert_null (sign_in->key);        /* a guest */
  fake_link_hear (f->link, "{\"type\":\"signed-in\",\"version\":1,\"id\":\"u1\",\"name\":\"alice\","
                           "\"token\":\"tok1\",\"resumed\":false}");
  fake_link_hear (f->link, "{\"type\":\"waiting\",\"queue\":1}");
  assert_events (f, "signed-in|waiting 1");
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_WAITING);
  iterate ();   /* the calls made ahead */
}

static FakeCall *
match (Fixture *f, const char *call, const char *role, const char *peer)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"matched\",\"call\":\"%s\",\"role\":\"%s\",\"peer\":{\"id\":\"id-%s\","
    "\"name\":\"%s\"},\"ice_servers\":[]}", call, role, peer, peer);
  fake_link_hear (f->link, json);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_MATCHED);
  g_assert_cmpuint (fake_factory_live_calls (f->factory), ==, 1);
  FakeCall *fake = fake_factory_current (f->factory);
  g_assert_nonnull (fake);
  g_assert_cmpstr (fake->peer_name, ==, peer);
  g_assert_cmpint (fake->offerer, ==, g_str_equal (role, "offerer"));
  g_autofree char *expected = g_strdup_printf ("matched %s %s", call, peer);
  assert_events (f, expected);
  return fake;
}

static void
hear_candidate (Fixture *f, const char *call, const char *candidate)
{
  g_autofree char *json = g_strdup_printf (
    "{\"type\":\"candidate\",\"call\":\"%s\",\"mline\":0,\"candidate\":\"%s\"}", call, candidate);
  fake_link_hear (f->link, json);
}

static void
test_sign_in (Fixture *f, gconstpointer data)
{
  sign_in (f);
  /* Made ahead of the first match: one plain call and one with its offer ready. */
  g_assert_cmpuint (f->factory->calls->len, ==, 2);
  g_assert_true (FAKE_CALL (g_ptr_array_index (f->factory->calls, 1))->offer_prepared);
  g_assert_cmpuint (fake_factory_live_calls (f->factory), ==, 0);

  ScStatus status = { 0 };
  sc_core_get_status (f->core, &status);
  g_assert_cmpstr (status.state, ==, "waiting");
  g_assert_cmpstr (status.id, ==, "u1");
  g_assert_cmpuint (status.queue, ==, 1);
  g_assert_false (status.in_call);
  sc_status_clear (&status);
}

static void
test_refused_capture (Fixture *f, gconstpointer data)
{
  f->factory->refuse_capture = TRUE;
  sc_core_start (f->core);
  iterate ();
  assert_events (f, "error media|bye");
  g_assert_cmpint (f->finished, ==, 1);
  g_assert_cmpuint (f->link->connects, ==, 0);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_CLOSED);
}

static void
test_refused_sign_in (Fixture *f, gconstpointer data)
{
  sc_core_start (f->core);
  iterate ();
  fake_link_hear (f->link, "{\"type\":\"hello\",\"version\":1,\"nonce\":\"n1\",\"guests\":false}");
  fake_link_expect (f->link, SC_MSG_SIGN_IN);
  fake_link_hear (f->link, "{\"type\":\"error\",\"code\":\"guests-not-allowed\","
                           "\"message\":\"sign in with a key\"}");
  /* Nothing else can work: the client leaves, and goes when the server has closed. */
  fake_link_expect (f->link, SC_MSG_LEAVE);
  iterate ();
  assert_events (f, "error guests-not-allowed|bye");
  g_assert_cmpint (f->finished, ==, 1);
}

static void
test_match_and_connect (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *call = match (f, "c1", "offerer", "bob");
  /* The offerer takes the call whose offer was made ahead. */
  g_assert_true (call->offer_prepared);
  fake_call_describe (call, "offer", "v=0 offer");
  const ScMessage *offer = fake_link_expect (f->link, SC_MSG_OFFER);
  g_assert_cmpstr (offer->call, ==, "c1");
  g_assert_cmpstr (offer->sdp, ==, "v=0 offer");

  fake_link_hear (f->link, "{\"type\":\"answer\",\"call\":\"c1\",\"sdp\":\"v=0 answer\"}");
  hear_candidate (f, "c1", "candidate:1 1 UDP 1 127.0.0.1 5000 typ host");
  hear_candidate (f, "c0", "candidate:2 1 UDP 1 127.0.0.1 5001 typ host");   /* not ours */
  g_assert_cmpuint (call->remote->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (call->remote, 0), ==, "answer:v=0 answer");
  g_assert_cmpstr (g_ptr_array_index (call->remote, 1), ==,
                   "candidate:0:candidate:1 1 UDP 1 127.0.0.1 5000 typ host");

  fake_call_connect (call);
  assert_events (f, "connected");
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_IN_CALL);
  ScStatus status = { 0 };
  sc_core_get_status (f->core, &status);
  g_assert_true (status.in_call && status.connected && status.has_path);
  g_assert_cmpstr (status.peer.name, ==, "bob");
  g_assert_cmpstr (status.call, ==, "c1");
  g_assert_cmpstr (status.path.local, ==, "host");
  sc_status_clear (&status);
}

static void
test_answerer (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *call = match (f, "c1", "answerer", "bob");
  g_assert_false (call->offer_prepared);   /* the plain call made ahead */
  fake_link_hear (f->link, "{\"type\":\"offer\",\"call\":\"c1\",\"sdp\":\"v=0 offer\"}");
  g_assert_cmpstr (g_ptr_array_index (call->remote, 0), ==, "offer:v=0 offer");
  fake_call_describe (call, "answer", "v=0 answer");
  const ScMessage *answer = fake_link_expect (f->link, SC_MSG_ANSWER);
  g_assert_cmpstr (answer->call, ==, "c1");

  /* An SDP the call cannot take ends this call: the client skips. */
  fake_link_hear (f->link, "{\"type\":\"peer-left\",\"call\":\"c1\",\"reason\":\"next\"}");
  assert_events (f, "peer-left next");
  iterate ();
  FakeCall *second = match (f, "c2", "answerer", "carol");
  second->refuse_sdp = TRUE;
  fake_link_hear (f->link, "{\"type\":\"offer\",\"call\":\"c2\",\"sdp\":\"garbage\"}");
  assert_events (f, "error bad-sdp");
  g_assert_cmpstr (fake_link_expect (f->link, SC_MSG_NEXT)->call, ==, "c2");
  g_assert_true (second->stopped);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_WAITING);
}

static void
test_crossing_skips (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *first = match (f, "c1", "offerer", "bob");
  fake_call_connect (first);
  assert_events (f, "connected");

  /* Both skip at once: ours goes out naming the call, theirs comes back about it. */
  g_assert_true (sc_core_next (f->core, NULL));
  const ScMessage *next = fake_link_expect (f->link, SC_MSG_NEXT);
  g_assert_cmpstr (next->call, ==, "c1");
  g_assert_true (first->stopped);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_WAITING);
  fake_link_hear (f->link, "{\"type\":\"peer-left\",\"call\":\"c1\",\"reason\":\"next\"}");
  assert_events (f, "");   /* our own skip already ended it: no second ending */

  iterate ();
  FakeCall *second = match (f, "c2", "answerer", "carol");
  g_assert_true (second != first);
  /* Late words about the old call never reach the new one. */
  hear_candidate (f, "c1", "candidate:9 1 UDP 1 127.0.0.1 5009 typ host");
  fake_link_hear (f->link, "{\"type\":\"offer\",\"call\":\"c1\",\"sdp\":\"v=0 old\"}");
  fake_link_hear (f->link, "{\"type\":\"peer-left\",\"call\":\"c1\",\"reason\":\"next\"}");
  g_assert_cmpuint (second->remote->len, ==, 0);
  g_assert_false (second->stopped);
  assert_events (f, "");
  /* The server repeating the pair (after a resume) changes nothing. */
  fake_link_hear (f->link, "{\"type\":\"matched\",\"call\":\"c2\",\"role\":\"answerer\","
                           "\"peer\":{\"id\":\"id-carol\",\"name\":\"carol\"},\"ice_servers\":[]}");
  assert_events (f, "");
  g_assert_true (fake_factory_current (f->factory) == second);

  /* A skip that crosses the peer's own the other way: theirs first. */
  fake_link_hear (f->link, "{\"type\":\"peer-left\",\"call\":\"c2\",\"reason\":\"next\"}");
  assert_events (f, "peer-left next");
  g_assert_true (second->stopped);
  g_assert_true (sc_core_next (f->core, NULL));   /* already looking: nothing to send */
  fake_link_expect_nothing (f->link);
  g_assert_cmpuint (fake_factory_live_calls (f->factory), ==, 0);
}

static void
test_held_chat (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sign_in (f);
  g_assert_false (sc_core_say (f->core, "too early", &error));
  g_assert_error (error, SC_CORE_ERROR, SC_CORE_ERROR_NOT_IN_CALL);
  g_clear_error (&error);

  FakeCall *call = match (f, "c1", "answerer", "bob");
  /* Said the moment the stranger appears: held, in order, and sent when the chat opens. */
  g_assert_true (sc_core_say (f->core, "hi", NULL));
  g_assert_true (sc_core_say (f->core, "there", NULL));
  g_assert_cmpuint (call->data_sent->len, ==, 0);
  assert_events (f, "");
  fake_call_connect (call);
  fake_call_open_channel (call);
  assert_events (f, "connected|chat-open|said hi|said there");
  g_assert_cmpuint (call->data_sent->len, ==, 2);
  g_autofree char *first = sc_peer_chat_decode (g_ptr_array_index (call->data_sent, 0),
                                                strlen (g_ptr_array_index (call->data_sent, 0)),
                                                NULL);
  g_assert_cmpstr (first, ==, "hi");

  /* Once open, a line goes at once; one from the peer is shown under its name. */
  g_assert_true (sc_core_say (f->core, "how are you", NULL));
  g_autofree char *wire = sc_peer_chat_encode ("fine");
  fake_call_receive (call, wire);
  fake_call_receive (call, "{\"type\":\"chat\",\"text\":\"\"}");   /* dropped: empty */
  fake_call_receive (call, "not json");                           /* dropped */
  /* Control characters arrive as sent; the panel removes them when it draws the line
   * (sc_text_sanitize), the headless front end escapes them in JSON. */
  fake_call_receive (call, "{\"type\":\"chat\",\"text\":\"\\u001b[2J\"}");
  assert_events (f, "said how are you|chat bob: fine|chat bob: \033[2J");

  /* Bounded: a call that never connects does not collect a script's whole output. */
  g_assert_true (sc_core_next (f->core, NULL));
  fake_link_hear (f->link, "{\"type\":\"waiting\",\"queue\":1}");
  assert_events (f, "waiting 1");
  match (f, "c2", "answerer", "carol");
  for (guint i = 0; i < 8; i++)
    g_assert_true (sc_core_say (f->core, "line", NULL));
  g_assert_false (sc_core_say (f->core, "one too many", &error));
  g_assert_error (error, SC_CORE_ERROR, SC_CORE_ERROR_CHAT_NOT_READY);
  assert_events (f, "");
  /* The call ends before its chat opened: the user is told how many lines did not go. */
  fake_link_hear (f->link, "{\"type\":\"peer-left\",\"call\":\"c2\",\"reason\":\"left\"}");
  assert_events (f, "error chat-not-ready|peer-left left");
}

static void
test_call_fails (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *call = match (f, "c1", "offerer", "bob");
  fake_call_connect (call);
  assert_events (f, "connected");
  g_test_expect_message ("showcast-client", G_LOG_LEVEL_WARNING, "call c1 failed: *");
  fake_call_fail (call, "nothing has come from the peer for 4 s");
  g_test_assert_expected_messages ();
  /* The server is told, so that the partner hears "lost" and the two are kept apart;
   * the user is back in the lobby. */
  g_assert_cmpstr (fake_link_expect (f->link, SC_MSG_CALL_FAILED)->call, ==, "c1");
  assert_events (f, "error call-failed|peer-left lost");
  g_assert_true (call->stopped);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_WAITING);
  fake_link_hear (f->link, "{\"type\":\"peer-left\",\"call\":\"c1\",\"reason\":\"lost\"}");
  assert_events (f, "");
}

static void
test_reconnect_resume (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *call = match (f, "c1", "offerer", "bob");
  fake_call_connect (call);
  fake_call_open_channel (call);
  assert_events (f, "connected|chat-open");

  /* The connection to the server drops: the call is peer to peer and goes on. */
  fake_link_drop (f->link);
  assert_events (f, "reconnecting");
  g_assert_false (call->stopped);
  g_assert_true (sc_core_say (f->core, "still here", NULL));
  g_assert_cmpuint (call->data_sent->len, ==, 1);
  assert_events (f, "said still here");
  /* What is for the server meanwhile waits (the fake link refuses sends while closed). */
  fake_call_describe (call, "offer", "v=0 renegotiated");

  /* The first attempt fails (the server is not back yet); the second waits longer. */
  f->link->refuse_connect = TRUE;
  fake_clock_advance (&f->clock, 1250);   /* 1 s ± 25 % */
  iterate ();
  assert_events (f, "reconnecting");
  g_assert_cmpuint (f->link->connects, ==, 1);
  g_assert_cmpuint (fake_clock_pending (&f->clock), ==, 1);
  f->link->refuse_connect = FALSE;
  fake_clock_advance (&f->clock, 1400);   /* 2 s - 25 %: not yet */
  iterate ();
  g_assert_cmpuint (f->link->connects, ==, 1);
  fake_clock_advance (&f->clock, 1200);   /* 2 s + 25 % */
  iterate ();
  g_assert_cmpuint (f->link->connects, ==, 2);
  g_assert_cmpstr (f->link->last_token, ==, "tok1");
  g_assert_cmpstr (f->link->last_ticket, ==, "ticket-for-tok1");

  /* Opened with a ticket, the session comes back without signing in again. */
  fake_link_hear (f->link, "{\"type\":\"hello\",\"version\":1,\"nonce\":\"n2\",\"guests\":true}");
  fake_link_expect_nothing (f->link);
  fake_link_hear (f->link, "{\"type\":\"signed-in\",\"version\":1,\"id\":\"u1\",\"name\":\"alice\","
                           "\"token\":\"tok2\",\"resumed\":true,\"call\":\"c1\"}");
  assert_events (f, "reconnected resumed");
  const ScMessage *held = fake_link_expect (f->link, SC_MSG_OFFER);
  g_assert_cmpstr (held->sdp, ==, "v=0 renegotiated");
  g_assert_false (call->stopped);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_IN_CALL);

  /* Dropped again; this time the server has forgotten the session (it restarted with
   * another secret): the client signs in afresh, and the old call is over. */
  fake_link_drop (f->link);
  assert_events (f, "reconnecting");
  f->link->refuse_token = TRUE;
  fake_clock_advance (&f->clock, 1250);
  iterate ();
  g_assert_cmpstr (f->link->last_token, ==, "tok2");
  g_assert_cmpuint (f->link->connects, ==, 3);
  g_assert_null (f->link->last_ticket);
  fake_link_hear (f->link, "{\"type\":\"hello\",\"version\":1,\"nonce\":\"n3\",\"guests\":true}");
  fake_link_expect (f->link, SC_MSG_SIGN_IN);
  fake_link_hear (f->link, "{\"type\":\"signed-in\",\"version\":1,\"id\":\"u9\",\"name\":\"alice\","
                           "\"token\":\"tok3\",\"resumed\":false}");
  assert_events (f, "reconnected new|peer-left lost");
  g_assert_true (call->stopped);
}

static void
test_resumed_without_call (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *call = match (f, "c1", "offerer", "bob");
  fake_call_connect (call);
  assert_events (f, "connected");
  fake_link_drop (f->link);
  fake_clock_advance (&f->clock, 1250);
  iterate ();
  fake_link_hear (f->link, "{\"type\":\"hello\",\"version\":1,\"nonce\":\"n2\",\"guests\":true}");
  /* Resumed, but the server's pair is another one: ours ended while we were away, and
   * its peer-left went to the dead socket. The next matched ends it first. */
  fake_link_hear (f->link, "{\"type\":\"signed-in\",\"version\":1,\"id\":\"u1\",\"name\":\"alice\","
                           "\"token\":\"tok2\",\"resumed\":true}");
  g_assert_false (call->stopped);
  fake_link_hear (f->link, "{\"type\":\"matched\",\"call\":\"c7\",\"role\":\"answerer\","
                           "\"peer\":{\"id\":\"id-dan\",\"name\":\"dan\"},\"ice_servers\":[]}");
  g_assert_true (call->stopped);
  assert_events (f, "reconnecting|reconnected resumed|peer-left lost|matched c7 dan");
  g_assert_cmpuint (fake_factory_live_calls (f->factory), ==, 1);
}

static void
test_refused_next (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_assert_false (sc_core_next (f->core, &error));   /* not signed in yet */
  g_assert_error (error, SC_CORE_ERROR, SC_CORE_ERROR_NOT_SIGNED_IN);
  sign_in (f);
  FakeCall *call = match (f, "c1", "offerer", "bob");
  g_assert_true (sc_core_next (f->core, NULL));
  fake_link_expect (f->link, SC_MSG_NEXT);
  /* Skipping faster than the server allows: the call has ended all the same (the
   * partner heard "next"), and the user waits out the cooldown in the lobby. */
  fake_link_hear (f->link, "{\"type\":\"cooldown\",\"ms\":2000}");
  assert_events (f, "cooldown 2000");
  g_assert_true (call->stopped);
  g_assert_cmpuint (fake_factory_live_calls (f->factory), ==, 0);
  g_assert_cmpint (sc_core_get_state (f->core), ==, SC_CORE_WAITING);
  /* A next meanwhile changes nothing and sends nothing. */
  g_assert_true (sc_core_next (f->core, NULL));
  fake_link_expect_nothing (f->link);
  fake_link_hear (f->link, "{\"type\":\"waiting\",\"queue\":3}");
  assert_events (f, "waiting 3");
  match (f, "c2", "offerer", "carol");
}

static void
test_quit (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *call = match (f, "c1", "offerer", "bob");
  sc_core_quit (f->core);
  /* The server hears "leave" (the partner is told "left", not "lost"), then the close. */
  fake_link_expect (f->link, SC_MSG_LEAVE);
  g_assert_true (call->stopped);
  g_assert_false (f->link->open);
  g_assert_cmpint (f->finished, ==, -1);
  iterate ();   /* the server closes too */
  g_assert_cmpint (f->finished, ==, 0);
  assert_events (f, "bye");
  g_assert_cmpuint (fake_clock_pending (&f->clock), ==, 0);
}

static void
test_quit_unanswered (Fixture *f, gconstpointer data)
{
  sign_in (f);
  f->link->open = TRUE;
  /* A server that never closes its side: the client goes after its own time limit. */
  g_signal_handlers_block_matched (f->link, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->core);
  sc_core_quit (f->core);
  iterate ();
  g_assert_cmpint (f->finished, ==, -1);
  fake_clock_advance (&f->clock, 1999);
  g_assert_cmpint (f->finished, ==, -1);
  fake_clock_advance (&f->clock, 1);
  g_assert_cmpint (f->finished, ==, 0);
  g_signal_handlers_unblock_matched (f->link, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->core);
}

static void
test_mute_and_camera (Fixture *f, gconstpointer data)
{
  sign_in (f);
  sc_core_set_mic_muted (f->core, TRUE);
  sc_core_set_camera_on (f->core, FALSE);
  g_assert_true (f->factory->mic_muted);
  g_assert_true (f->factory->camera_off);
  g_assert_true (sc_core_get_mic_muted (f->core));
  g_assert_false (sc_core_get_camera_on (f->core));
  assert_events (f, "mute|camera");
}

static void
test_self_view (Fixture *f, gconstpointer data)
{
  sign_in (f);
  FakeCall *first = match (f, "c1", "offerer", "bob");
  g_assert_cmpint (first->self_view, ==, TRUE);   /* on by default */
  /* The command table's "self", as {"cmd":"self"}, /self and F5 reach it. */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) off = json_object_new ();
  json_object_set_string_member (off, "cmd", "self");
  json_object_set_boolean_member (off, "on", FALSE);
  g_assert_true (sc_command_run (f->core, off, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first->self_view, ==, FALSE);
  assert_events (f, "self off");
  ScStatus status = { 0 };
  sc_core_get_status (f->core, &status);
  g_assert_false (status.self_view);
  sc_status_clear (&status);
  /* The next call, made ahead while it was on, starts with it off. */
  g_assert_true (sc_core_next (f->core, NULL));
  fake_link_hear (f->link, "{\"type\":\"waiting\",\"queue\":1}");
  assert_events (f, "waiting 1");
  FakeCall *second = match (f, "c2", "answerer", "carol");
  g_assert_cmpint (second->self_view, ==, FALSE);
  /* Typed without an argument, it switches. */
  g_autoptr(JsonObject) typed = sc_command_parse_typed ("/self", &error);
  g_assert_no_error (error);
  g_assert_true (sc_command_run (f->core, typed, NULL));
  g_assert_cmpint (second->self_view, ==, TRUE);
  assert_events (f, "self on");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  struct { const char *path; void (*func) (Fixture *, gconstpointer); } tests[] = {
    { "/core/sign-in", test_sign_in },
    { "/core/refused-capture", test_refused_capture },
    { "/core/refused-sign-in", test_refused_sign_in },
    { "/core/match-and-connect", test_match_and_connect },
    { "/core/answerer", test_answerer },
    { "/core/crossing-skips", test_crossing_skips },
    { "/core/held-chat", test_held_chat },
    { "/core/call-fails", test_call_fails },
    { "/core/reconnect-resume", test_reconnect_resume },
    { "/core/resumed-without-call", test_resumed_without_call },
    { "/core/refused-next", test_refused_next },
    { "/core/quit", test_quit },
    { "/core/quit-unanswered", test_quit_unanswered },
    { "/core/mute-and-camera", test_mute_and_camera },
    { "/core/self-view", test_self_view },
  };
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].func, fixture_tear_down);
  return g_test_run ();
}
