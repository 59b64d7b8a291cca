/* sc-server-config.h: showcast-server's command line, read and checked in one place:
 * every option (README.md and docs/showcast-server.1 list them), with its default and
 * its bounds. main.c only builds the server from what this gives. */
#pragma once

#include <gio/gio.h>

#include "sc-lobby.h"

G_BEGIN_DECLS

typedef struct
{
  char *listen;                    /* ADDRESS:PORT (127.0.0.1:8080) */
  guint port;                      /* of listen */
  char *node_name;                 /* default HOST:PORT */
  char *redis_url;                 /* NULL: this process's own lobby */
  char *tls_cert;                  /* with tls_key: wss:// and https:// */
  char *tls_key;
  char *secret_file;               /* session tokens' secret, shared by the nodes */
  char *log_file;
  gboolean verbose;
  gboolean version;                /* print the version and exit */
  guint threads;                   /* connection threads; 0: the default (1) */
  gint max_connections;            /* -1: the open-file limit less 64 */
  guint max_connections_per_address;
  guint http_timeout_s;
  guint message_timeout_s;
  guint ping_interval_s;
  guint interest_wait_s;     /* --interest-wait, for the matcher */
  guint silence_timeout_s;
  ScLobbyConfig lobby;             /* points into the three below */
  GPtrArray *ice_servers;          /* of ScIceServer: --stun */
  GStrv turn_urls;
  char *turn_secret;
} ScServerConfig;

/* Reads the command line into @config (defaults for what it does not give). FALSE, with
 * @error saying which option and why, for anything out of bounds or inconsistent. */
gboolean sc_server_config_parse (ScServerConfig  *config,
                                 int             *argc,
                                 char          ***argv,
                                 GError         **error);
void     sc_server_config_clear (ScServerConfig  *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScServerConfig, sc_server_config_clear)

G_END_DECLS
