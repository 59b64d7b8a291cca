/* sc-bus-event.h: the events one showcast-server node sends another (through Redis,
 * sc-node-bus.h) about a pair whose two users are on different nodes. Each node holds
 * its own user and a stub for the other; these keep the two halves one pair.
 * docs/protocol.md ("Between nodes") lists them.
 *
 * On the wire each is one JSON object: "k" the kind, "from" the sending node, "to" the
 * user it is for, and the members of its kind. Nodes trust each other, but an event is
 * decoded with bounds all the same: one that does not fit is dropped whole. */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-protocol.h"

G_BEGIN_DECLS

typedef enum
{
  SC_BUS_PAIRED,     /* "paired": call, peer, peer_name, role, common — @to's half of a new pair */
  SC_BUS_RELAY,      /* "relay": call, msg — an offer, answer or candidate from @to's partner */
  SC_BUS_ENDED,      /* "ended": call, reason — the other half ended @to's call */
  SC_BUS_REQUEUE,    /* "requeue": — a match for @to could not be made; it waits again */
  SC_BUS_NO_RELAY,   /* "no-relay": call — @to's call failed and no TURN server could help */
  SC_BUS_N_KINDS
} ScBusKind;

typedef struct
{
  ScBusKind kind;
  char *from;               /* the sending node's name (set by the bus) */
  char *to;                 /* the user it is for: a user of the receiving node */
  char *call;               /* all but requeue */
  char *peer;               /* paired: the partner's id and name, and @to's role */
  char *peer_name;
  ScRole role;
  GStrv common;             /* paired: the interests the two share (NULL: none) */
  ScLeaveReason reason;     /* ended */
  ScMessage *message;       /* relay: an offer, answer or candidate */
} ScBusEvent;

ScBusEvent  *sc_bus_event_new         (ScBusKind          kind,
                                       const char        *to,
                                       const char        *call);
void         sc_bus_event_free        (ScBusEvent        *event);
const char  *sc_bus_kind_to_string    (ScBusKind          kind);
/* The wire form, without "from" (the bus adds its node's name). */
JsonObject  *sc_bus_event_to_json     (const ScBusEvent  *event);
/* NULL (and @error) for an object that is not exactly one event of a known kind with
 * every member it needs, each within its bounds. */
ScBusEvent  *sc_bus_event_from_json   (JsonObject        *object,
                                       GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScBusEvent, sc_bus_event_free)

G_END_DECLS
