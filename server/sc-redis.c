/* sc-redis.c: see sc-redis.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include <hiredis/async.h>
#include <hiredis/adapters/glib.h>

#include "sc-redis.h"

#define RECONNECT_MS 1000

typedef struct
{
  ScRedis *redis;           /* unowned */
  redisAsyncContext *ac;
  GSource *source;
  gboolean connected;
  gboolean subscriber;
  guint retry;
} Link;

struct _ScRedis
{
  GObject parent_instance;
  char *host;
  int port;
  Link cmd;
  Link sub;
  GPtrArray *channels;
  gboolean closing;        /* being disposed: no callback may run any more */
};

G_DEFINE_FINAL_TYPE (ScRedis, sc_redis, G_TYPE_OBJECT)

enum { PROP_0, PROP_CONNECTED, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIG_MESSAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  ScRedis *redis;
  ScRedisReplyFunc callback;
  gpointer user_data;
} Pending;

static void link_open (Link *link);

static gboolean
retry_cb (gpointer data)
{
  Link *link = data;
  link->retry = 0;
  link_open (link);
  return G_SOURCE_REMOVE;
}

static void
link_lost (Link *link)
{
  gboolean was = link->connected;
  link->connected = FALSE;
  link->ac = NULL;   /* hiredis frees the context after the disconnect callback */
  if (link->source)
    {
      g_source_destroy (link->source);
      g_clear_pointer (&link->source, g_source_unref);
    }
  if (was && !link->subscriber)
    {
      g_warning ("lost the connection to Redis at %s:%d; retrying", link->redis->host,
                 link->redis->port);
      g_object_notify_by_pspec (G_OBJECT (link->redis), props[PROP_CONNECTED]);
    }
  if (link->retry == 0)
    link->retry = g_timeout_add (RECONNECT_MS, retry_cb, link);
}

static void on_sub_reply (redisAsyncContext *ac, void *r, void *data);

static void
on_connect (const redisAsyncContext *ac, int status)
{
  Link *link = ac->data;
  if (link == NULL)
    return;
  if (status != REDIS_OK)
    {
      g_debug ("Redis connect failed: %s", ac->errstr);
      link_lost (link);
      return;
    }
  link->connected = TRUE;
  if (link->subscriber)
    {
      for (guint i = 0; i < link->redis->channels->len; i++)
        redisAsyncCommand (link->ac, on_sub_reply, link, "SUBSCRIBE %s",
                           (const char *) g_ptr_array_index (link->redis->channels, i));
      return;
    }
  g_message ("connected to Redis at %s:%d", link->redis->host, link->redis->port);
  g_object_notify_by_pspec (G_OBJECT (link->redis), props[PROP_CONNECTED]);
}

static void
on_disconnect (const redisAsyncContext *ac, int status)
{
  /* NULL when we freed the context ourselves (link_close): hiredis 0.14 cannot unset
   * a disconnect callback once set, so it still calls us. */
  if (ac->data)
    link_lost (ac->data);
}

static void
link_open (Link *link)
{
  redisAsyncContext *ac = redisAsyncConnect (link->redis->host, link->redis->port);
  if (ac == NULL || ac->err)
    {
      g_debug ("Redis: %s", ac ? ac->errstr : "out of memory");
      if (ac)
        redisAsyncFree (ac);
      if (link->retry == 0)
        link->retry = g_timeout_add (RECONNECT_MS, retry_cb, link);
      return;
    }
  ac->data = link;
  link->ac = ac;
  link->source = redis_source_new (ac);
  g_source_attach (link->source, NULL);
  redisAsyncSetConnectCallback (ac, on_connect);
  redisAsyncSetDisconnectCallback (ac, on_disconnect);
}

static void
on_reply (redisAsyncContext *ac, void *r, void *data)
{
  Pending *pending = data;
  redisReply *reply = r;
  if (pending->redis->closing)
    {
      /* hiredis fails every pending command while the context is freed; their owners may
       * be gone already. What they held is left to the process's exit. */
      g_free (pending);
      return;
    }
  /* NOSCRIPT is expected once per Redis start: the caller sends the script itself. */
  if (reply && reply->type == REDIS_REPLY_ERROR && !g_str_has_prefix (reply->str, "NOSCRIPT"))
    g_warning ("Redis: %s", reply->str);
  if (pending->callback)
    pending->callback (pending->redis, reply, pending->user_data);
  g_free (pending);
}

void
sc_redis_command (ScRedis *self, ScRedisReplyFunc callback, gpointer user_data,
                  const char *first_arg, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  sc_redis_commandv (self, callback, user_data, (const char *const *) args->pdata);
}

void
sc_redis_commandv (ScRedis *self, ScRedisReplyFunc callback, gpointer user_data,
                   const char *const *argv)
{
  if (!self->cmd.connected)
    {
      if (callback)
        callback (self, NULL, user_data);
      return;
    }
  guint argc = g_strv_length ((GStrv) argv);
  g_autofree size_t *lens = g_new (size_t, argc);
  for (guint i = 0; i < argc; i++)
    lens[i] = strlen (argv[i]);
  Pending *pending = g_new0 (Pending, 1);
  pending->redis = self;
  pending->callback = callback;
  pending->user_data = user_data;
  if (redisAsyncCommandArgv (self->cmd.ac, on_reply, pending, (int) argc, (const char **) argv,
                             lens) != REDIS_OK)
    {
      g_free (pending);
      if (callback)
        callback (self, NULL, user_data);
    }
}

static void
on_sub_reply (redisAsyncContext *ac, void *r, void *data)
{
  Link *link = data;
  redisReply *reply = r;
  if (reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3)
    return;
  redisReply *kind = reply->element[0];
  if (kind->type == REDIS_REPLY_STRING && g_str_equal (kind->str, "message") &&
      reply->element[1]->type == REDIS_REPLY_STRING &&
      reply->element[2]->type == REDIS_REPLY_STRING)
    g_signal_emit (link->redis, signals[SIG_MESSAGE], 0, reply->element[1]->str,
                   reply->element[2]->str);
}

void
sc_redis_subscribe (ScRedis *self, const char *channel)
{
  g_ptr_array_add (self->channels, g_strdup (channel));
  if (self->sub.connected)
    redisAsyncCommand (self->sub.ac, on_sub_reply, &self->sub, "SUBSCRIBE %s", channel);
}

gboolean
sc_redis_is_connected (ScRedis *self)
{
  return self->cmd.connected;
}

static void
sc_redis_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_CONNECTED)
    g_value_set_boolean (value, SC_REDIS (object)->cmd.connected);
}

static void
link_close (Link *link)
{
  g_clear_handle_id (&link->retry, g_source_remove);
  if (link->ac)
    {
      /* Frees the context; our disconnect callback, still called, sees no link and
       * does not reconnect. */
      link->ac->data = NULL;
      redisAsyncFree (link->ac);
      link->ac = NULL;
    }
  if (link->source)
    {
      g_source_destroy (link->source);
      g_clear_pointer (&link->source, g_source_unref);
    }
  link->connected = FALSE;
}

static void
sc_redis_dispose (GObject *object)
{
  ScRedis *self = SC_REDIS (object);
  self->closing = TRUE;
  link_close (&self->cmd);
  link_close (&self->sub);
  G_OBJECT_CLASS (sc_redis_parent_class)->dispose (object);
}

static void
sc_redis_finalize (GObject *object)
{
  ScRedis *self = SC_REDIS (object);
  g_free (self->host);
  g_ptr_array_unref (self->channels);
  G_OBJECT_CLASS (sc_redis_parent_class)->finalize (object);
}

static void
sc_redis_class_init (ScRedisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_redis_dispose;
  object_class->finalize = sc_redis_finalize;
  object_class->get_property = sc_redis_get_property;
  props[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  signals[SIG_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                                       G_TYPE_STRING);
}

static void
sc_redis_init (ScRedis *self)
{
  self->channels = g_ptr_array_new_with_free_func (g_free);
  self->cmd.redis = self->sub.redis = self;
  self->sub.subscriber = TRUE;
}

ScRedis *
sc_redis_new (const char *url, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "redis") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not redis://HOST:PORT", url);
      return NULL;
    }
  ScRedis *self = g_object_new (SC_TYPE_REDIS, NULL);
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 6379;
  link_open (&self->cmd);
  link_open (&self->sub);
  return self;
}
