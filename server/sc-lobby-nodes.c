/* sc-lobby-nodes.c: a pair whose two users are on different nodes (sc-lobby.c's
 * header): each node holds its own half, and the halves talk through the node bus in
 * typed events (sc-bus-event.h). A node whose heartbeat is gone takes its users' halves
 * with it. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-lobby-private.h"

/* Sends @event (taken) to @node. */
void
lobby_bus_send (ScLobby *self, const char *node, ScBusEvent *event)
{
  if (self->bus)
    sc_node_bus_send (self->bus, node, event);
  sc_bus_event_free (event);
}

static void
on_bus_event (ScNodeBus *bus, const ScBusEvent *event, gpointer data)
{
  ScLobby *self = data;
  ScLobbyUser *user = g_hash_table_lookup (self->users, event->to);
  gboolean in_call = user && user->state == USER_PAIRED && event->call &&
                     g_strcmp0 (user->pair->call, event->call) == 0 &&
                     lobby_partner_of (user)->remote_node;

  switch (event->kind)
    {
    case SC_BUS_PAIRED:
      if (user == NULL || user->state != USER_WAITING || user->transport == NULL)
        {
          /* Gone, or no longer waiting: that pair is over before it began. */
          ScBusEvent *ended = sc_bus_event_new (SC_BUS_ENDED, event->peer, event->call);
          ended->reason = SC_LEAVE_LOST;
          lobby_bus_send (self, event->from, ended);
          break;
        }
      {
        ScLobbyUser *stub = lobby_stub_new (event->peer, event->peer_name, event->from);
        gboolean offers = event->role == SC_ROLE_OFFERER;
        sc_matcher_leave (self->matcher, user->id);
        ScLobbyPair *pair = lobby_pair_new (self, event->call, offers ? user : stub,
                                            offers ? stub : user);
        pair->common = event->common && event->common[0] ? g_strdupv (event->common) : NULL;
        lobby_record_wait (self, user);
        lobby_send_matched (self, user);
      }
      break;
    case SC_BUS_RELAY:
      if (in_call)
        {
          self->stats.relayed++;
          lobby_send_msg (self, user, event->message);
        }
      break;
    case SC_BUS_NO_RELAY:
      if (in_call)
        lobby_tell_no_relay (self, user);   /* "ended" follows */
      break;
    case SC_BUS_ENDED:
      if (in_call)
        lobby_end_half (self, user, event->reason);
      break;
    case SC_BUS_REQUEUE:
      if (user && user->state == USER_WAITING)
        sc_matcher_join (self->matcher, user->id);
      break;
    default:
      break;
    }
  lobby_check (self);
}

/* The half of @pair that is another node's user, or NULL for a pair of two of ours. */
static ScLobbyUser *
pair_stub (ScLobbyPair *pair)
{
  if (pair->offerer->remote_node)
    return pair->offerer;
  return pair->answerer->remote_node ? pair->answerer : NULL;
}

/* Is the node of each remote partner still alive? Asked every second (sc_lobby_tick). */
static void
on_node_checked (ScNodeBus *bus, const char *node, gboolean alive, gpointer data)
{
  ScLobby *self = data;
  if (alive)
    return;
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, self->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ScLobbyPair *pair = value;
      ScLobbyUser *stub = pair_stub (pair);
      if (stub && g_str_equal (stub->remote_node, node))
        g_ptr_array_add (ours, stub == pair->offerer ? pair->answerer : pair->offerer);
    }
  if (ours->len > 0)
    g_message ("node %s is gone: %u partners here are told they are lost", node, ours->len);
  for (guint i = 0; i < ours->len; i++)
    lobby_end_half (self, g_ptr_array_index (ours, i), SC_LEAVE_LOST);
  lobby_check (self);
}

void
lobby_check_remote_nodes (ScLobby *self)
{
  if (self->bus == NULL)
    return;
  g_autoptr(GHashTable) nodes = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, self->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ScLobbyUser *stub = pair_stub (value);
      if (stub)
        g_hash_table_add (nodes, stub->remote_node);
    }
  g_hash_table_iter_init (&iter, nodes);
  gpointer node;
  while (g_hash_table_iter_next (&iter, &node, NULL))
    sc_node_bus_check (self->bus, node, on_node_checked, self);
}

void
sc_lobby_set_bus (ScLobby *self, ScNodeBus *bus)
{
  if (self->bus)
    g_signal_handlers_disconnect_by_data (self->bus, self);
  g_set_object (&self->bus, bus);
  if (bus)
    g_signal_connect (bus, "event", G_CALLBACK (on_bus_event), self);
}

