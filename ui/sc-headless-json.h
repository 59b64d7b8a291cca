/* sc-headless-json.h: the one encoder of the client's events (sc-event.h) as the
 * headless interface's JSON lines: {"event":NAME,"t":MS, …fields}. README.md's "The
 * headless interface" documents every name and field; they do not change. */
#pragma once

#include "sc-event.h"

G_BEGIN_DECLS

char *sc_headless_event_to_json (const ScEvent *event);

G_END_DECLS
