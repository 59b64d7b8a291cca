/* sc-node-bus.c: see sc-node-bus.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include "sc-node-bus.h"
#include "sc-protocol.h"

#define EVENT_MAX_BYTES (SC_MSG_SDP_MAX_BYTES * 2)

struct _ScNodeBus
{
  GObject parent_instance;
  ScRedis *redis;
  char *node;
  char *channel;
  char *heartbeat_key;
  guint heartbeat;
};

G_DEFINE_FINAL_TYPE (ScNodeBus, sc_node_bus, G_TYPE_OBJECT)

enum { SIG_EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
beat (gpointer data)
{
  ScNodeBus *self = data;
  g_autofree char *ttl = g_strdup_printf ("%d", SC_NODE_TTL_S);
  sc_redis_command (self->redis, NULL, NULL, "SET", self->heartbeat_key, "1", "EX", ttl, NULL);
  return G_SOURCE_CONTINUE;
}

static void
on_connected (GObject *redis, GParamSpec *pspec, gpointer data)
{
  if (sc_redis_is_connected (SC_REDIS (redis)))
    beat (data);
}

static void
on_message (ScRedis *redis, const char *channel, const char *payload, gpointer data)
{
  ScNodeBus *self = data;
  if (g_strcmp0 (channel, self->channel) != 0)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = sc_json_parse_object (payload, strlen (payload),
                                                       EVENT_MAX_BYTES, SC_MSG_MAX_DEPTH, &error);
  g_autoptr(ScBusEvent) event = object ? sc_bus_event_from_json (object, &error) : NULL;
  if (event == NULL)
    {
      g_warning ("bad event on %s: %s", channel, error->message);
      return;
    }
  g_signal_emit (self, signals[SIG_EVENT], 0, event);
}

void
sc_node_bus_send (ScNodeBus *self, const char *node, const ScBusEvent *event)
{
  g_autoptr(JsonObject) object = sc_bus_event_to_json (event);
  json_object_set_string_member (object, "from", self->node);
  g_autofree char *text = sc_json_object_to_string (object);
  g_autofree char *channel = g_strconcat ("sc:bus:", node, NULL);
  sc_redis_command (self->redis, NULL, NULL, "PUBLISH", channel, text, NULL);
}

typedef struct
{
  ScNodeBus *self;
  char *node;
  ScNodeAliveFunc callback;
  gpointer user_data;
} Check;

static void
on_exists (ScRedis *redis, redisReply *reply, gpointer data)
{
  Check *check = data;
  gboolean alive = !(reply && reply->type == REDIS_REPLY_INTEGER && reply->integer == 0);
  check->callback (check->self, check->node, alive, check->user_data);
  g_object_unref (check->self);
  g_free (check->node);
  g_free (check);
}

void
sc_node_bus_check (ScNodeBus *self, const char *node, ScNodeAliveFunc callback, gpointer user_data)
{
  Check *check = g_new0 (Check, 1);
  check->self = g_object_ref (self);
  check->node = g_strdup (node);
  check->callback = callback;
  check->user_data = user_data;
  g_autofree char *key = g_strconcat ("sc:node:", node, NULL);
  sc_redis_command (self->redis, on_exists, check, "EXISTS", key, NULL);
}

const char *
sc_node_bus_get_node (ScNodeBus *self)
{
  return self->node;
}

static void
sc_node_bus_dispose (GObject *object)
{
  ScNodeBus *self = SC_NODE_BUS (object);
  g_clear_handle_id (&self->heartbeat, g_source_remove);
  if (self->redis)
    g_signal_handlers_disconnect_by_data (self->redis, self);
  g_clear_object (&self->redis);
  G_OBJECT_CLASS (sc_node_bus_parent_class)->dispose (object);
}

static void
sc_node_bus_finalize (GObject *object)
{
  ScNodeBus *self = SC_NODE_BUS (object);
  g_free (self->node);
  g_free (self->channel);
  g_free (self->heartbeat_key);
  G_OBJECT_CLASS (sc_node_bus_parent_class)->finalize (object);
}

static void
sc_node_bus_class_init (ScNodeBusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_node_bus_dispose;
  object_class->finalize = sc_node_bus_finalize;
  signals[SIG_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
sc_node_bus_init (ScNodeBus *self)
{
}

ScNodeBus *
sc_node_bus_new (ScRedis *redis, const char *node)
{
  ScNodeBus *self = g_object_new (SC_TYPE_NODE_BUS, NULL);
  self->redis = g_object_ref (redis);
  self->node = g_strdup (node);
  self->channel = g_strconcat ("sc:bus:", node, NULL);
  self->heartbeat_key = g_strconcat ("sc:node:", node, NULL);
  g_signal_connect (redis, "message", G_CALLBACK (on_message), self);
  g_signal_connect (redis, "notify::connected", G_CALLBACK (on_connected), self);
  sc_redis_subscribe (redis, self->channel);
  self->heartbeat = g_timeout_add_seconds (1, beat, self);
  beat (self);
  return self;
}
