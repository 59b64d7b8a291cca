/* sc-bus-event.c: see sc-bus-event.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sc-bus-event.h"

#define NODE_MAX_BYTES 256
#define PEER_NAME_MAX_BYTES 256

static const char *const kind_names[SC_BUS_N_KINDS] = {
  "paired", "relay", "ended", "requeue", "no-relay",
};

const char *
sc_bus_kind_to_string (ScBusKind kind)
{
  g_return_val_if_fail (kind < SC_BUS_N_KINDS, "?");
  return kind_names[kind];
}

ScBusEvent *
sc_bus_event_new (ScBusKind kind, const char *to, const char *call)
{
  ScBusEvent *event = g_new0 (ScBusEvent, 1);
  event->kind = kind;
  event->to = g_strdup (to);
  event->call = g_strdup (call);
  return event;
}

void
sc_bus_event_free (ScBusEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->from);
  g_free (event->to);
  g_free (event->call);
  g_free (event->peer);
  g_free (event->peer_name);
  g_strfreev (event->common);
  g_clear_pointer (&event->message, sc_message_free);
  g_free (event);
}

JsonObject *
sc_bus_event_to_json (const ScBusEvent *event)
{
  JsonObject *object = json_object_new ();
  json_object_set_string_member (object, "k", sc_bus_kind_to_string (event->kind));
  json_object_set_string_member (object, "to", event->to);
  if (event->call)
    json_object_set_string_member (object, "call", event->call);
  switch (event->kind)
    {
    case SC_BUS_PAIRED:
      json_object_set_string_member (object, "peer", event->peer);
      json_object_set_string_member (object, "peer_name", event->peer_name);
      json_object_set_string_member (object, "role", sc_role_to_string (event->role));
      {
        JsonArray *common = json_array_new ();
        for (guint i = 0; event->common && event->common[i]; i++)
          json_array_add_string_element (common, event->common[i]);
        json_object_set_array_member (object, "common", common);
      }
      break;
    case SC_BUS_RELAY:
      {
        g_autofree char *text = sc_message_encode (event->message);
        json_object_set_string_member (object, "msg", text);
        break;
      }
    case SC_BUS_ENDED:
      json_object_set_string_member (object, "reason", sc_leave_reason_to_string (event->reason));
      break;
    default:
      break;
    }
  return object;
}

/* A string member of at most @max bytes, or NULL. */
static const char *
member_string (JsonObject *object, const char *member, gsize max)
{
  JsonNode *node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  const char *s = json_node_get_string (node);
  return strlen (s) <= max ? s : NULL;
}

static ScBusEvent *
invalid (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bus event: %s", what);
  return NULL;
}

ScBusEvent *
sc_bus_event_from_json (JsonObject *object, GError **error)
{
  const char *kind_name = member_string (object, "k", 16);
  const char *from = member_string (object, "from", NODE_MAX_BYTES);
  const char *to = member_string (object, "to", SC_ID_MAX_BYTES);
  const char *call = member_string (object, "call", SC_ID_MAX_BYTES);
  if (kind_name == NULL || from == NULL || to == NULL || *to == '\0')
    return invalid (error, "no kind, sender or user");

  ScBusKind kind = SC_BUS_N_KINDS;
  for (guint i = 0; i < SC_BUS_N_KINDS; i++)
    if (g_str_equal (kind_name, kind_names[i]))
      kind = i;
  if (kind == SC_BUS_N_KINDS)
    return invalid (error, "unknown kind");
  if (kind != SC_BUS_REQUEUE && (call == NULL || *call == '\0'))
    return invalid (error, "no call");

  g_autoptr(ScBusEvent) event = sc_bus_event_new (kind, to, kind == SC_BUS_REQUEUE ? NULL : call);
  event->from = g_strdup (from);
  switch (kind)
    {
    case SC_BUS_PAIRED:
      {
        const char *peer = member_string (object, "peer", SC_ID_MAX_BYTES);
        const char *peer_name = member_string (object, "peer_name", PEER_NAME_MAX_BYTES);
        const char *role = member_string (object, "role", 16);
        if (peer == NULL || *peer == '\0' || peer_name == NULL || role == NULL ||
            !(g_str_equal (role, "offerer") || g_str_equal (role, "answerer")))
          return invalid (error, "paired without peer, name or role");
        event->peer = g_strdup (peer);
        event->peer_name = g_strdup (peer_name);
        event->role = g_str_equal (role, "offerer") ? SC_ROLE_OFFERER : SC_ROLE_ANSWERER;
        /* Optional (nodes from before interests send none), bounded as on the wire. */
        JsonNode *common = json_object_get_member (object, "common");
        if (common && JSON_NODE_HOLDS_ARRAY (common))
          {
            JsonArray *array = json_node_get_array (common);
            if (json_array_get_length (array) > SC_INTERESTS_WIRE_MAX)
              return invalid (error, "too many interests in common");
            g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonNode *e = json_array_get_element (array, i);
                if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
                    strlen (json_node_get_string (e)) > SC_INTEREST_WIRE_BYTES ||
                    !g_utf8_validate (json_node_get_string (e), -1, NULL))
                  return invalid (error, "an interest in common that is not one");
                g_strv_builder_add (builder, json_node_get_string (e));
              }
            event->common = g_strv_builder_end (builder);
          }
        else if (common)
          return invalid (error, "common is not a list");
        break;
      }
    case SC_BUS_RELAY:
      {
        const char *text = member_string (object, "msg", SC_MSG_SDP_MAX_BYTES + 1024);
        ScMessage *message = text ? sc_message_decode (text, strlen (text), SC_FROM_CLIENT,
                                                       NULL) : NULL;
        if (message == NULL || !(message->type == SC_MSG_OFFER || message->type == SC_MSG_ANSWER ||
                                 message->type == SC_MSG_CANDIDATE))
          {
            g_clear_pointer (&message, sc_message_free);
            return invalid (error, "relay of no offer, answer or candidate");
          }
        event->message = message;
        break;
      }
    case SC_BUS_ENDED:
      {
        const char *reason = member_string (object, "reason", 16);
        if (reason == NULL)
          return invalid (error, "ended without a reason");
        event->reason = g_str_equal (reason, "next") ? SC_LEAVE_NEXT
                        : g_str_equal (reason, "left") ? SC_LEAVE_LEFT : SC_LEAVE_LOST;
        break;
      }
    default:
      break;
    }
  return g_steal_pointer (&event);
}
