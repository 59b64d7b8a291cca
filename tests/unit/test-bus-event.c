/* The events between nodes (server/sc-bus-event.c): each kind survives the wire, and
 * anything that does not fit is refused whole. */
#include "config.h"

#include "sc-bus-event.h"

static ScBusEvent *
round_trip (const ScBusEvent *event)
{
  g_autoptr(JsonObject) object = sc_bus_event_to_json (event);
  json_object_set_string_member (object, "from", "node-1");
  g_autoptr(GError) error = NULL;
  ScBusEvent *back = sc_bus_event_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (back->kind, ==, event->kind);
  g_assert_cmpstr (back->from, ==, "node-1");
  g_assert_cmpstr (back->to, ==, event->to);
  g_assert_cmpstr (back->call, ==, event->call);
  return back;
}

static void
test_kinds (void)
{
  g_autoptr(ScBusEvent) paired = sc_bus_event_new (SC_BUS_PAIRED, "u1", "c1");
  paired->peer = g_strdup ("u2");
  paired->peer_name = g_strdup ("Zoë ✓");
  paired->role = SC_ROLE_ANSWERER;
  g_autoptr(ScBusEvent) p = round_trip (paired);
  g_assert_cmpstr (p->peer, ==, "u2");
  g_assert_cmpstr (p->peer_name, ==, "Zoë ✓");
  g_assert_cmpint (p->role, ==, SC_ROLE_ANSWERER);

  g_autoptr(ScBusEvent) relay = sc_bus_event_new (SC_BUS_RELAY, "u1", "c1");
  relay->message = sc_message_new (SC_MSG_CANDIDATE);
  relay->message->call = g_strdup ("c1");
  relay->message->candidate = g_strdup ("candidate:1 1 UDP 1 127.0.0.1 9 typ host");
  g_autoptr(ScBusEvent) r = round_trip (relay);
  g_assert_cmpint (r->message->type, ==, SC_MSG_CANDIDATE);
  g_assert_cmpstr (r->message->candidate, ==, relay->message->candidate);

  const ScLeaveReason reasons[] = { SC_LEAVE_NEXT, SC_LEAVE_LEFT, SC_LEAVE_LOST };
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autoptr(ScBusEvent) ended = sc_bus_event_new (SC_BUS_ENDED, "u1", "c1");
      ended->reason = reasons[i];
      g_autoptr(ScBusEvent) e = round_trip (ended);
      g_assert_cmpint (e->reason, ==, reasons[i]);
    }

  const ScBusKind bare[] = { SC_BUS_REQUEUE, SC_BUS_NO_RELAY };
  for (guint i = 0; i < G_N_ELEMENTS (bare); i++)
    {
      g_autoptr(ScBusEvent) event = sc_bus_event_new (bare[i], "u1",
                                                      bare[i] == SC_BUS_REQUEUE ? NULL : "c1");
      sc_bus_event_free (round_trip (event));
    }
}

static const char *const refused[] = {
  "{}",
  "{\"k\":\"paired\",\"to\":\"u1\",\"call\":\"c1\",\"peer\":\"u2\",\"peer_name\":\"x\",\"role\":\"offerer\"}",  /* no from */
  "{\"k\":\"exploded\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\"}",
  "{\"k\":\"ended\",\"from\":\"n\",\"to\":\"u1\",\"reason\":\"next\"}",                       /* no call */
  "{\"k\":\"ended\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\"}",                            /* no reason */
  "{\"k\":\"ended\",\"from\":\"n\",\"to\":\"\",\"call\":\"c1\",\"reason\":\"next\"}",           /* empty user */
  "{\"k\":\"ended\",\"from\":\"n\",\"to\":7,\"call\":\"c1\",\"reason\":\"next\"}",
  "{\"k\":\"paired\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\",\"peer\":\"u2\",\"peer_name\":\"x\",\"role\":\"host\"}",
  "{\"k\":\"paired\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\",\"peer_name\":\"x\",\"role\":\"offerer\"}",
  "{\"k\":\"relay\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\",\"msg\":\"{\\\"type\\\":\\\"next\\\"}\"}",
  "{\"k\":\"relay\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\",\"msg\":\"not json\"}",
  "{\"k\":\"relay\",\"from\":\"n\",\"to\":\"u1\",\"call\":\"c1\"}",
};

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = sc_json_parse_object (refused[i], strlen (refused[i]),
                                                           65536, 8, &error);
      g_assert_no_error (error);
      g_autoptr(ScBusEvent) event = sc_bus_event_from_json (object, &error);
      if (event != NULL)
        g_error ("accepted: %s", refused[i]);
      g_assert_nonnull (error);
    }

  /* A user id over the protocol's bound. */
  g_autofree char *long_id = g_strnfill (SC_ID_MAX_BYTES + 1, 'u');
  g_autoptr(JsonObject) object = json_object_new ();
  json_object_set_string_member (object, "k", "requeue");
  json_object_set_string_member (object, "from", "n");
  json_object_set_string_member (object, "to", long_id);
  g_autoptr(GError) error = NULL;
  g_assert_null (sc_bus_event_from_json (object, &error));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bus-event/kinds", test_kinds);
  g_test_add_func ("/bus-event/refused", test_refused);
  return g_test_run ();
}
