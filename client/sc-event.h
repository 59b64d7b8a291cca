/* sc-event.h: what the client core tells a front end. An event is a name and a JSON
 * object of fields; the headless front end prints it as one JSON line, the terminal
 * front end draws it. Names and fields are the stable interface in README.md. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;
  gint64 t_ms;         /* milliseconds since the client started */
  JsonObject *fields;
} ScEvent;

ScEvent *sc_event_new        (const char *name);
void     sc_event_free       (ScEvent    *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScEvent, sc_event_free)

void     sc_event_set_string (ScEvent    *event,
                              const char *key,
                              const char *value);
void     sc_event_set_int    (ScEvent    *event,
                              const char *key,
                              gint64      value);
void     sc_event_set_bool   (ScEvent    *event,
                              const char *key,
                              gboolean    value);
void     sc_event_set_object (ScEvent    *event,
                              const char *key,
                              JsonObject *value);
const char *sc_event_get_string (const ScEvent *event,
                                 const char    *key);
char    *sc_event_to_json    (const ScEvent *event);

G_END_DECLS
