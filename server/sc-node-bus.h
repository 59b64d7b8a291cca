/* sc-node-bus.h: showcast-server nodes talking to each other through Redis.
 *
 * Each node keeps a heartbeat key, sc:node:NAME, alive (it expires SC_NODE_TTL_S after
 * the last refresh, which comes every second), and listens on its own channel,
 * sc:bus:NAME. Events are typed (sc-bus-event.h) from one lobby to another: a pair
 * across nodes, signalling for a user over there, the end of such a pair. Nodes trust
 * each other, but events are still decoded with bounds. Signal "event"
 * (const ScBusEvent *) for each well-formed event on this node's channel. */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-bus-event.h"
#include "sc-redis.h"

G_BEGIN_DECLS

#define SC_NODE_TTL_S 5

#define SC_TYPE_NODE_BUS (sc_node_bus_get_type ())
G_DECLARE_FINAL_TYPE (ScNodeBus, sc_node_bus, SC, NODE_BUS, GObject)

typedef void (*ScNodeAliveFunc) (ScNodeBus  *bus,
                                 const char *node,
                                 gboolean    alive,
                                 gpointer    user_data);

ScNodeBus  *sc_node_bus_new       (ScRedis         *redis,
                                   const char      *node);
const char *sc_node_bus_get_node  (ScNodeBus       *self);
/* Publishes @event to @node's channel, from this node. */
void        sc_node_bus_send      (ScNodeBus         *self,
                                   const char        *node,
                                   const ScBusEvent  *event);
/* Is @node's heartbeat still there? Answers FALSE only when Redis says it is gone. */
void        sc_node_bus_check     (ScNodeBus       *self,
                                   const char      *node,
                                   ScNodeAliveFunc  callback,
                                   gpointer         user_data);

G_END_DECLS
