/* sc-redis.h: one Redis server for showcast-server's nodes, through hiredis's
 * asynchronous API on the GLib main loop (hiredis's own GLib adapter). The server never
 * blocks on Redis: every command answers in a callback.
 *
 * Two connections: one for commands, one subscribed to channels (a subscribed Redis
 * connection takes no other commands). Both reconnect by themselves, once a second;
 * "notify::connected" says when the command connection comes and goes, and channels
 * are subscribed again on every reconnection. */
#pragma once

#include <glib-object.h>
#include <hiredis/hiredis.h>

G_BEGIN_DECLS

#define SC_TYPE_REDIS (sc_redis_get_type ())
G_DECLARE_FINAL_TYPE (ScRedis, sc_redis, SC, REDIS, GObject)

/* @reply: NULL when the command failed (no connection, or it dropped). */
typedef void (*ScRedisReplyFunc) (ScRedis    *redis,
                                  redisReply *reply,
                                  gpointer    user_data);

/* @url: redis://HOST:PORT (default port 6379). Connects in the background. */
ScRedis  *sc_redis_new            (const char       *url,
                                   GError          **error);
gboolean  sc_redis_is_connected   (ScRedis          *self);
/* Arguments as in redisAsyncCommandArgv: strings, NULL-terminated. @callback may be NULL. */
void      sc_redis_command        (ScRedis          *self,
                                   ScRedisReplyFunc  callback,
                                   gpointer          user_data,
                                   const char       *first_arg,
                                   ...) G_GNUC_NULL_TERMINATED;
/* The same with the arguments in a NULL-terminated vector. */
void      sc_redis_commandv       (ScRedis           *self,
                                   ScRedisReplyFunc   callback,
                                   gpointer           user_data,
                                   const char *const *argv);
/* Messages on @channel arrive as the "message" signal (channel, payload). */
void      sc_redis_subscribe      (ScRedis          *self,
                                   const char       *channel);

G_END_DECLS
