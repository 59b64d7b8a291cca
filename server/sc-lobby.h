/* sc-lobby.h: users, pairs and the rules of showcast's lobby, without any sockets.
 *
 * The server turns each WebSocket into an ScLobbyUser (sc_lobby_connect), hands every
 * decoded message to sc_lobby_receive and reports the socket's end with
 * sc_lobby_disconnect. What the lobby wants to say to a user goes out through the send
 * function. Keeping the transport out makes every rule testable without a network.
 */
#pragma once

#include <glib-object.h>

#include "sc-matcher.h"
#include "sc-protocol.h"

G_BEGIN_DECLS

typedef struct _ScLobbyUser ScLobbyUser;

typedef void (*ScLobbySendFunc) (gpointer         transport,
                                 const ScMessage *msg,
                                 gpointer         user_data);
/* Asks the transport to close a connection (abuse, a ban, a newer sign-in). The lobby
 * has already let the user go: the transport must not pass it to the lobby again. */
typedef void (*ScLobbyCloseFunc) (gpointer        transport,
                                  const char     *reason,
                                  gpointer        user_data);
typedef gint64 (*ScLobbyClockFunc) (gpointer      user_data);

/* Limits (issue #4): a session's nexts and messages, and sign-ins from one address. */
#define SC_LIMIT_NEXT_BURST          5
#define SC_LIMIT_NEXT_PER_SECOND     1.0
#define SC_LIMIT_MESSAGE_BURST       20
#define SC_LIMIT_MESSAGE_PER_SECOND  10.0
#define SC_LIMIT_SIGN_IN_BURST       10
#define SC_LIMIT_SIGN_IN_PER_SECOND  0.5
#define SC_LIMIT_ABUSE_REFUSALS      20   /* refused in a row: the connection is closed */

typedef struct
{
  guint64 sessions_signed_in;
  guint64 matches;
  guint64 pairs_ended;
  guint64 nexts;
  guint64 relayed;
  guint64 dropped;
  guint64 rate_limited;
  guint64 closed_for_abuse;
  guint64 reports;
  guint64 bans;
} ScLobbyStats;

#define SC_TYPE_LOBBY (sc_lobby_get_type ())
G_DECLARE_FINAL_TYPE (ScLobby, sc_lobby, SC, LOBBY, GObject)

ScLobby     *sc_lobby_new            (ScMatcher        *matcher,
                                      ScLobbySendFunc   send,
                                      gpointer          user_data);
void         sc_lobby_set_ice_servers (ScLobby         *self,
                                       GPtrArray       *servers);
void         sc_lobby_set_allow_guests (ScLobby        *self,
                                        gboolean        allow);
/* A user reported by @reports distinct users is banned for @seconds. */
void         sc_lobby_set_ban_policy (ScLobby         *self,
                                      guint            reports,
                                      guint            seconds);

void         sc_lobby_set_close_func (ScLobby         *self,
                                      ScLobbyCloseFunc close,
                                      gpointer         user_data);
void         sc_lobby_set_clock      (ScLobby          *self,
                                      ScLobbyClockFunc  clock,
                                      gpointer          user_data);
/* @address: (nullable): where the connection comes from, for per-address limits */
ScLobbyUser *sc_lobby_connect        (ScLobby          *self,
                                      gpointer          transport,
                                      const char       *address);
void         sc_lobby_receive        (ScLobby          *self,
                                      ScLobbyUser      *user,
                                      const ScMessage  *msg);
void         sc_lobby_disconnect     (ScLobby          *self,
                                      ScLobbyUser      *user);
void         sc_lobby_send_error     (ScLobby          *self,
                                      ScLobbyUser      *user,
                                      const char       *code,
                                      const char       *message);

const char  *sc_lobby_user_get_id    (ScLobbyUser      *user);
guint        sc_lobby_get_n_users    (ScLobby          *self);
guint        sc_lobby_get_n_pairs    (ScLobby          *self);
guint        sc_lobby_get_n_waiting  (ScLobby          *self);
const ScLobbyStats *sc_lobby_get_stats (ScLobby        *self);

gboolean     sc_lobby_check_invariants (ScLobby        *self,
                                        GError        **error);

G_END_DECLS
