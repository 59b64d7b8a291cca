/* sc-event.c: see sc-event.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include "sc-event.h"
#include "sc-protocol.h"

ScEvent *
sc_event_new (const char *name)
{
  ScEvent *event = g_new0 (ScEvent, 1);
  event->name = g_strdup (name);
  event->fields = json_object_new ();
  return event;
}

void
sc_event_free (ScEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->name);
  json_object_unref (event->fields);
  g_free (event);
}

void
sc_event_set_string (ScEvent *event, const char *key, const char *value)
{
  json_object_set_string_member (event->fields, key, value ? value : "");
}

void
sc_event_set_int (ScEvent *event, const char *key, gint64 value)
{
  json_object_set_int_member (event->fields, key, value);
}

void
sc_event_set_bool (ScEvent *event, const char *key, gboolean value)
{
  json_object_set_boolean_member (event->fields, key, value);
}

void
sc_event_set_object (ScEvent *event, const char *key, JsonObject *value)
{
  json_object_set_object_member (event->fields, key, json_object_ref (value));
}

const char *
sc_event_get_string (const ScEvent *event, const char *key)
{
  JsonNode *node = json_object_get_member (event->fields, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* {"event":NAME,"t":MS, …fields}: "event" and "t" first, for people reading logs. */
char *
sc_event_to_json (const ScEvent *event)
{
  g_autoptr(JsonObject) line = json_object_new ();
  json_object_set_string_member (line, "event", event->name);
  json_object_set_int_member (line, "t", event->t_ms);

  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  json_object_iter_init (&iter, event->fields);
  while (json_object_iter_next (&iter, &key, &value))
    json_object_set_member (line, key, json_node_copy (value));
  return sc_json_object_to_string (line);
}
