/* test-protocol.c: every message type survives encode → decode, and every kind of bad
 * input is refused with the right error code, never accepted and never a crash. */
#include "config.h"

#include <string.h>

#include "sc-protocol.h"
#include "sc-url.h"

static ScMessage *
roundtrip (const ScMessage *msg, ScDirection from)
{
  g_autofree char *text = sc_message_encode (msg);
  g_autoptr(GError) error = NULL;
  ScMessage *back = sc_message_decode (text, strlen (text), from, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (back->type, ==, msg->type);
  return back;
}

static void
test_roundtrip (void)
{
  g_autoptr(ScMessage) sign_in = sc_message_new (SC_MSG_SIGN_IN);
  sign_in->version = 1;
  sign_in->name = g_strdup ("Zoë 🦊");
  g_autoptr(ScMessage) a = roundtrip (sign_in, SC_FROM_CLIENT);
  g_assert_cmpstr (a->name, ==, "Zoë 🦊");
  g_assert_cmpuint (a->version, ==, 1);
  g_assert_null (a->interests);
  g_assert_null (a->language);

  /* Interests and language (#27): with the sign-in, and on their own. */
  g_autoptr(ScMessage) keen = sc_message_new (SC_MSG_SIGN_IN);
  keen->version = 1;
  keen->name = g_strdup ("keen");
  keen->interests = g_strsplit ("chess,échecs", ",", -1);
  keen->language = g_strdup ("fr");
  g_autoptr(ScMessage) k = roundtrip (keen, SC_FROM_CLIENT);
  g_assert_cmpuint (g_strv_length (k->interests), ==, 2);
  g_assert_cmpstr (k->interests[1], ==, "échecs");
  g_assert_cmpstr (k->language, ==, "fr");
  g_autoptr(ScMessage) list = sc_message_new (SC_MSG_INTERESTS);
  list->interests = g_new0 (char *, 1);
  g_autoptr(ScMessage) decoded_list = roundtrip (list, SC_FROM_CLIENT);
  g_assert_cmpuint (g_strv_length (decoded_list->interests), ==, 0);

  g_autoptr(ScMessage) matched = sc_message_new (SC_MSG_MATCHED);
  matched->call = g_strdup ("c1");
  matched->peer_id = g_strdup ("u2");
  matched->peer_name = g_strdup ("bob");
  matched->role = SC_ROLE_ANSWERER;
  const char *urls[] = { "stun:127.0.0.1:3478", NULL };
  const char *turn[] = { "turn:127.0.0.1:3478?transport=udp", "turn:[::1]:3478", NULL };
  g_ptr_array_add (matched->ice_servers, sc_ice_server_new (urls, NULL, NULL));
  g_ptr_array_add (matched->ice_servers, sc_ice_server_new (turn, "1700000000:u2", "c2VjcmV0"));
  g_autoptr(ScMessage) m = roundtrip (matched, SC_FROM_SERVER);
  g_assert_cmpstr (m->call, ==, "c1");
  g_assert_cmpstr (m->peer_id, ==, "u2");
  g_assert_cmpstr (m->peer_name, ==, "bob");
  g_assert_cmpint (m->role, ==, SC_ROLE_ANSWERER);
  g_assert_cmpuint (m->ice_servers->len, ==, 2);
  ScIceServer *t = g_ptr_array_index (m->ice_servers, 1);
  g_assert_cmpstr (t->urls[1], ==, "turn:[::1]:3478");
  g_assert_cmpstr (t->username, ==, "1700000000:u2");
  g_assert_cmpstr (t->credential, ==, "c2VjcmV0");
  g_assert_cmpuint (g_strv_length (m->interests), ==, 0);   /* "common": [] */
  const char *old = "{\"type\":\"matched\",\"call\":\"c\",\"role\":\"offerer\","
                    "\"peer\":{\"id\":\"u\",\"name\":\"n\"},\"ice_servers\":[]}";
  g_autoptr(ScMessage) before = sc_message_decode (old, strlen (old), SC_FROM_SERVER, NULL);
  g_assert_nonnull (before);   /* a server from before interests: none in common */
  g_assert_cmpuint (g_strv_length (before->interests), ==, 0);

  g_autoptr(ScMessage) cand = sc_message_new (SC_MSG_CANDIDATE);
  cand->call = g_strdup ("c1");
  cand->mline = 0;
  cand->candidate = g_strdup ("candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host");
  g_autoptr(ScMessage) c = roundtrip (cand, SC_FROM_CLIENT);
  g_assert_cmpstr (c->candidate, ==, cand->candidate);

  g_autoptr(ScMessage) offer = sc_message_new (SC_MSG_OFFER);
  offer->call = g_strdup ("c1");
  offer->sdp = g_strdup ("v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\n");
  g_autoptr(ScMessage) o = roundtrip (offer, SC_FROM_SERVER);
  g_assert_cmpstr (o->sdp, ==, offer->sdp);

  g_autoptr(ScMessage) left = sc_message_new (SC_MSG_PEER_LEFT);
  left->call = g_strdup ("c1");
  left->reason = SC_LEAVE_LOST;
  g_autoptr(ScMessage) l = roundtrip (left, SC_FROM_SERVER);
  g_assert_cmpint (l->reason, ==, SC_LEAVE_LOST);

  g_autoptr(ScMessage) err = sc_message_new_error ("bad-name", "The name is empty.");
  g_autoptr(ScMessage) e = roundtrip (err, SC_FROM_SERVER);
  g_assert_cmpstr (e->code, ==, "bad-name");
  g_assert_null (e->call);
  g_autoptr(ScMessage) refusal = sc_message_new_error ("not-in-call", "Not in that call.");
  refusal->call = g_strdup ("c9");
  g_autoptr(ScMessage) r = roundtrip (refusal, SC_FROM_SERVER);
  g_assert_cmpstr (r->call, ==, "c9");

  g_autoptr(ScMessage) waiting = sc_message_new (SC_MSG_WAITING);
  waiting->queue = 7;
  g_autoptr(ScMessage) w = roundtrip (waiting, SC_FROM_SERVER);
  g_assert_cmpuint (w->queue, ==, 7);

  g_autoptr(ScMessage) next = sc_message_new (SC_MSG_NEXT);
  g_autoptr(ScMessage) n = roundtrip (next, SC_FROM_CLIENT);
  g_assert_cmpint (n->type, ==, SC_MSG_NEXT);

  g_autoptr(ScMessage) signed_in = sc_message_new (SC_MSG_SIGNED_IN);
  signed_in->version = 1;
  signed_in->id = g_strdup ("u1");
  signed_in->name = g_strdup ("alice");
  signed_in->token = g_strdup ("st1.abc.def");
  signed_in->resumed = TRUE;
  signed_in->call = g_strdup ("c9");
  g_autoptr(ScMessage) si = roundtrip (signed_in, SC_FROM_SERVER);
  g_assert_cmpstr (si->token, ==, "st1.abc.def");
  g_assert_true (si->resumed);
  g_assert_cmpstr (si->call, ==, "c9");
  g_autoptr(ScMessage) si_copy = sc_message_copy (signed_in);
  g_assert_cmpstr (si_copy->call, ==, "c9");

  g_autoptr(ScMessage) session = sc_message_new (SC_MSG_SESSION);
  session->token = g_strdup ("st1.new.mac");
  g_autoptr(ScMessage) se = roundtrip (session, SC_FROM_SERVER);
  g_assert_cmpstr (se->token, ==, "st1.new.mac");

  g_autoptr(ScMessage) failed = sc_message_new (SC_MSG_CALL_FAILED);
  failed->call = g_strdup ("c9");
  g_autoptr(ScMessage) f = roundtrip (failed, SC_FROM_CLIENT);
  g_assert_cmpstr (f->call, ==, "c9");
}

typedef struct
{
  const char *input;
  ScDirection from;
  const char *code;
} BadCase;

static const BadCase bad_cases[] = {
  { "", SC_FROM_CLIENT, "bad-json" },
  { "not json", SC_FROM_CLIENT, "bad-json" },
  { "[1,2]", SC_FROM_CLIENT, "bad-json" },
  { "\"string\"", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\"", SC_FROM_CLIENT, "bad-json" },
  { "{}", SC_FROM_CLIENT, "bad-message" },
  /* Interests: a list of strings, bounded on the wire (the server then says bad-interests
   * for more than 8 or longer than 24 characters). */
  { "{\"type\":\"interests\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"interests\",\"list\":\"chess\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"interests\",\"list\":[1]}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"interests\",\"list\":[[\"x\"]]}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"interests\",\"list\":[null]}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"interests\",\"list\":[],\"extra\":1}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"interests\",\"list\":[],\"language\":3}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":1,\"name\":\"a\",\"interests\":{}}", SC_FROM_CLIENT,
    "bad-message" },
  { "{\"type\":\"interests\",\"list\":[]}", SC_FROM_SERVER, "wrong-direction" },
  { "{\"type\":5}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":null}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"dance\"}", SC_FROM_CLIENT, "unknown-type" },
  { "{\"type\":\"call-failed\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"call-failed\",\"call\":\"c1\"}", SC_FROM_SERVER, "wrong-direction" },
  { "{\"type\":\"session\",\"token\":\"x\"}", SC_FROM_CLIENT, "wrong-direction" },
  { "{\"type\":\"signed-in\",\"version\":1,\"id\":\"u\",\"name\":\"n\"}", SC_FROM_SERVER, "bad-message" },
  { "{\"type\":\"matched\"}", SC_FROM_CLIENT, "wrong-direction" },
  { "{\"type\":\"sign-in\",\"version\":1,\"name\":\"x\"}", SC_FROM_SERVER, "wrong-direction" },
  { "{\"type\":\"sign-in\",\"version\":1}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":\"1\",\"name\":\"x\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":-1,\"name\":\"x\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":1.5,\"name\":\"x\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":1,\"name\":[]}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":1,\"name\":\"x\",\"admin\":true}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"next\",\"extra\":1}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"candidate\",\"call\":\"c\",\"mline\":0}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"candidate\",\"call\":\"c\",\"mline\":999,\"candidate\":\"\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"offer\",\"call\":\"\",\"sdp\":\"v=0\"}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"offer\",\"call\":\"c\",\"sdp\":{}}", SC_FROM_CLIENT, "bad-message" },
  { "{\"type\":\"next\",\"a\":[[[[[[[[1]]]]]]]]}", SC_FROM_CLIENT, "too-deep" },
  { "{\"type\":\"peer-left\",\"call\":\"c\",\"reason\":\"bored\"}", SC_FROM_SERVER, "bad-message" },
  { "{\"type\":\"matched\",\"call\":\"c\",\"role\":\"offerer\",\"peer\":{\"id\":\"u\",\"name\":\"n\"},"
    "\"ice_servers\":[{\"urls\":[\"http://x\"]}]}", SC_FROM_SERVER, "bad-message" },
  { "{\"type\":\"matched\",\"call\":\"c\",\"role\":\"offerer\",\"peer\":{\"id\":\"u\",\"name\":\"n\"},"
    "\"ice_servers\":[{\"urls\":[]}]}", SC_FROM_SERVER, "bad-message" },
  { "{\"type\":\"matched\",\"call\":\"c\",\"role\":\"boss\",\"peer\":{\"id\":\"u\",\"name\":\"n\"},"
    "\"ice_servers\":[]}", SC_FROM_SERVER, "bad-message" },
  { "{\"type\":\"sign-in\",\"version\":1,\"name\":\"\xff\xfe\"}", SC_FROM_CLIENT, "bad-json" },
  /* Strict JSON only (RFC 8259): json-glib alone accepts each of these. */
  { "{'type':'next'}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\"/*\"*/}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\"} // done", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\"}{}", SC_FROM_CLIENT, "bad-json" },
  { "{type:\"next\"}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":01}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":.5}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":NaN}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":\"\\x41\"}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":\"\\u0000\"}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":\"\\ud800\"}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":\"\\udc00\\ud800\"}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\",\"x\":\"tab\there\"}", SC_FROM_CLIENT, "bad-json" },
  /* Brackets hidden from a quote counter by a single quote or a comment are depth. */
  { "{\"type\":\"next\",\"x\":[[[[[[[[1]]]]]]]],\"y\":'\"'}", SC_FROM_CLIENT, "too-deep" },
  { "{\"type\":\"next\",\"y\":'\"',\"x\":[[[[[[[[1]]]]]]]]}", SC_FROM_CLIENT, "bad-json" },
  { "{\"type\":\"next\" /*\"*/, \"x\":[[[[[[[[1]]]]]]]]}", SC_FROM_CLIENT, "bad-json" },
};

static void
test_bad_input (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const BadCase *c = &bad_cases[i];
      g_autoptr(ScMessage) msg = sc_message_decode (c->input, strlen (c->input), c->from, &error);
      if (msg != NULL || g_strcmp0 (sc_protocol_error_code (error), c->code) != 0)
        g_error ("case %u (%s): expected %s, got %s", i, c->input, c->code,
                 msg ? "a message" : sc_protocol_error_code (error));
    }
}

static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;

  /* An embedded NUL is refused even inside a string. */
  const char nul[] = "{\"type\":\"next\"}\0junk";
  g_assert_null (sc_message_decode (nul, sizeof nul - 1, SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "bad-json");
  g_clear_error (&error);

  /* A candidate message over 4 KiB is too large even though the frame limit is 64 KiB. */
  g_autofree char *pad = g_strnfill (5000, 'a');
  g_autofree char *big = g_strdup_printf ("{\"type\":\"candidate\",\"call\":\"c\",\"mline\":0,"
                                          "\"candidate\":\"%s\"}", pad);
  g_assert_null (sc_message_decode (big, strlen (big), SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "too-large");
  g_clear_error (&error);

  /* An offer may be large, up to 64 KiB. */
  g_autofree char *sdp = g_strnfill (60000, 'v');
  g_autofree char *offer = g_strdup_printf ("{\"type\":\"offer\",\"call\":\"c\",\"sdp\":\"%s\"}", sdp);
  g_autoptr(ScMessage) ok = sc_message_decode (offer, strlen (offer), SC_FROM_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);

  g_autofree char *sdp2 = g_strnfill (70000, 'v');
  g_autofree char *huge = g_strdup_printf ("{\"type\":\"offer\",\"call\":\"c\",\"sdp\":\"%s\"}", sdp2);
  g_assert_null (sc_message_decode (huge, strlen (huge), SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "too-large");
  g_clear_error (&error);

  /* Deep nesting is refused before json-glib's recursive parser sees it. */
  GString *deep = g_string_new ("{\"type\":\"next\",\"x\":");
  for (int i = 0; i < 30000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (sc_message_decode (deep->str, deep->len, SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "too-deep");
  g_string_free (deep, TRUE);
  g_clear_error (&error);

  /* The same behind a single-quoted string (json-glib would take it): refused at the
   * quote, before any of it is nested. */
  deep = g_string_new ("{\"type\":\"next\",\"y\":'\"',\"x\":");
  for (int i = 0; i < 30000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (sc_message_decode (deep->str, deep->len, SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "bad-json");
  g_string_free (deep, TRUE);
  g_clear_error (&error);

  /* An empty message with no buffer at all (a WebSocket message joined from empty
   * fragments), and with one. */
  g_assert_null (sc_message_decode (NULL, 0, SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "bad-json");
  g_clear_error (&error);
  g_assert_null (sc_message_decode ("", 0, SC_FROM_CLIENT, &error));
  g_assert_cmpstr (sc_protocol_error_code (error), ==, "bad-json");
  g_clear_error (&error);

  /* What strict JSON allows still decodes: escapes, a surrogate pair, numbers, space. */
  const char *strict = " {\"type\" : \"sign-in\", \"version\":1, \"name\":"
                       "\"\\u00e9\\ud83d\\ude00\\n\\\"\\/\"}\r\n";
  g_autoptr(ScMessage) strict_msg = sc_message_decode (strict, strlen (strict), SC_FROM_CLIENT,
                                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (strict_msg->name, ==, "\xc3\xa9\xf0\x9f\x98\x80\n\"/");

  /* Every control character a string may hold is written escaped (json-glib 1.6 wrote
   * U+001F raw, which strict JSON refuses), and reads back the same. */
  {
    g_autoptr(ScMessage) controls = sc_message_new (SC_MSG_ERROR);
    controls->code = g_strdup ("x");
    GString *all = g_string_new (NULL);
    for (char c = 1; c < 0x20; c++)
      g_string_append_c (all, c);
    controls->message = g_string_free (all, FALSE);
    g_autofree char *text = sc_message_encode (controls);
    for (const char *p = text; *p; p++)
      g_assert_cmpint ((guchar) *p, >=, 0x20);
    g_autoptr(ScMessage) back = sc_message_decode (text, strlen (text), SC_FROM_SERVER, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back->message, ==, controls->message);
  }

  /* Brackets inside strings do not count as depth. */
  const char *quoted = "{\"type\":\"sign-in\",\"version\":1,\"name\":\"[[[[[[[[{{{{\"}";
  g_autoptr(ScMessage) q = sc_message_decode (quoted, strlen (quoted), SC_FROM_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (q->name, ==, "[[[[[[[[{{{{");
}

static void
test_random_bytes (void)
{
  /* Random mutations of valid messages: always a message or an error, never a crash. */
  const char *seeds[] = {
    "{\"type\":\"sign-in\",\"version\":1,\"name\":\"alice\"}",
    "{\"type\":\"candidate\",\"call\":\"c1\",\"mline\":0,\"candidate\":\"candidate:1 1 UDP 1 127.0.0.1 1 typ host\"}",
    "{\"type\":\"matched\",\"call\":\"c\",\"role\":\"offerer\",\"peer\":{\"id\":\"u\",\"name\":\"n\"},\"ice_servers\":[{\"urls\":[\"stun:127.0.0.1:1\"]}]}",
  };
  for (guint round = 0; round < 20000; round++)
    {
      const char *seed = seeds[round % G_N_ELEMENTS (seeds)];
      g_autofree char *buf = g_strdup (seed);
      gsize len = strlen (buf);
      guint flips = g_test_rand_int_range (1, 4);
      for (guint f = 0; f < flips; f++)
        buf[g_test_rand_int_range (0, (gint32) len)] = (char) g_test_rand_int_range (1, 256);
      g_autoptr(GError) error = NULL;
      g_autoptr(ScMessage) msg = sc_message_decode (buf, len, round & 1 ? SC_FROM_CLIENT : SC_FROM_SERVER,
                                                    &error);
      g_assert_true ((msg == NULL) != (error == NULL));
      if (msg)
        {
          g_autofree char *again = sc_message_encode (msg);
          g_assert_nonnull (again);
        }
    }
}

static void
test_peer_chat (void)
{
  g_autofree char *wire = sc_peer_chat_encode ("hi \"there\" \x1b[2J ✓");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sc_peer_chat_decode (wire, strlen (wire), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "hi \"there\" \x1b[2J ✓");

  const char *bad[] = { "{\"type\":\"chat\"}", "{\"type\":\"chat\",\"text\":1}",
                        "{\"type\":\"file\",\"text\":\"x\"}", "{\"type\":1,\"text\":\"x\"}",
                        "{\"type\":\"chat\",\"text\":\"x\",\"html\":\"<b>\"}", "nope" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autofree char *t = sc_peer_chat_decode (bad[i], strlen (bad[i]), &e);
      g_assert_null (t);
      g_assert_nonnull (e);
    }
}

/* The server's addresses as clients build them, and the ticket reply as they read it. */
static void
test_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = sc_url_normalize ("ws://127.0.0.1:8080", &error);
  g_assert_cmpstr (plain, ==, "ws://127.0.0.1:8080/ws");
  g_autofree char *v6 = sc_url_normalize ("wss://[::1]:443/", &error);
  g_assert_cmpstr (v6, ==, "wss://[::1]:443/ws");
  g_assert_null (sc_url_normalize ("http://127.0.0.1:8080", &error));
  g_clear_error (&error);

  g_autofree char *endpoint = sc_url_ticket_endpoint (v6);
  g_assert_cmpstr (endpoint, ==, "https://[::1]:443/session/ticket");
  g_autofree char *with = sc_url_with_ticket (plain, "tAbc123");
  g_assert_cmpstr (with, ==, "ws://127.0.0.1:8080/ws?ticket=tAbc123");

  const char *good = "{\"ticket\":\"tAbc123\",\"expires_in\":30}";
  g_autofree char *ticket = sc_url_parse_ticket_reply (good, strlen (good));
  g_assert_cmpstr (ticket, ==, "tAbc123");
  const char *const bad[] = {
    "{\"ticket\":\"a&b=c\"}", "{\"ticket\":\"\"}", "{\"ticket\":5}", "[]", "not json",
    "{\"ticket\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (sc_url_parse_ticket_reply (bad[i], strlen (bad[i])));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protocol/roundtrip", test_roundtrip);
  g_test_add_func ("/protocol/bad-input", test_bad_input);
  g_test_add_func ("/protocol/limits", test_limits);
  g_test_add_func ("/protocol/random-bytes", test_random_bytes);
  g_test_add_func ("/protocol/peer-chat", test_peer_chat);
  g_test_add_func ("/protocol/urls", test_urls);
  return g_test_run ();
}
