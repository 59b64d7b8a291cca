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
#include "sc-node-bus.h"
#include "sc-protocol.h"
#include "sc-session-token.h"

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
/* The lobby has something to do at @at_us (its clock): call sc_lobby_wake() then. */
typedef void (*ScLobbyWakeFunc)   (gint64         at_us,
                                   gpointer       user_data);

/* Sessions (issue #4): how long a token lives (it is refreshed at half its life on a live
 * connection), how long a WebSocket ticket lives, and the default grace period of a
 * session whose connection dropped. */
#define SC_SESSION_TOKEN_LIFETIME_S  3600
#define SC_TICKET_LIFETIME_S         30
#define SC_SESSION_GRACE_S           10

/* Limits (issue #4): a session's nexts and messages, and sign-ins from one address. */
#define SC_LIMIT_NEXT_BURST          5
#define SC_LIMIT_NEXT_PER_SECOND     1.0
#define SC_LIMIT_MESSAGE_BURST       20
#define SC_LIMIT_MESSAGE_PER_SECOND  10.0
#define SC_LIMIT_SIGN_IN_BURST       10
#define SC_LIMIT_SIGN_IN_PER_SECOND  0.5
#define SC_LIMIT_ABUSE_REFUSALS      20   /* refused in a row: the connection is closed */
#define SC_LIMIT_SIGNALS_PER_CALL    100  /* offer, answer, candidates for one's own call */

/* Upper bounds (seconds) of the lobby-wait histogram's buckets; the last is +Inf. */
#define SC_WAIT_BUCKETS 12
extern const double sc_lobby_wait_bounds[SC_WAIT_BUCKETS];

typedef struct
{
  guint64 wait_buckets[SC_WAIT_BUCKETS + 1];   /* not cumulative; last: +Inf */
  guint64 wait_count;
  double wait_sum_s;
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
  guint64 calls_failed;
  guint64 calls_failed_no_relay;   /* of those, on a lobby with no TURN server to hand out */
  guint64 detached;
  guint64 tickets;
  guint64 resumed;          /* within the grace period: the session went on */
  guint64 resumed_new;      /* after it: a new session for the same identity */
  guint64 grace_expired;
  guint64 cooldowns;        /* skips over the next limit: the call ended, matching waited */
  guint64 matches_by_reason[SC_MATCH_N_REASONS];   /* pairs this node made, by why */
} ScLobbyStats;

#define SC_TYPE_LOBBY (sc_lobby_get_type ())
G_DECLARE_FINAL_TYPE (ScLobby, sc_lobby, SC, LOBBY, GObject)

ScLobby     *sc_lobby_new            (ScMatcher        *matcher,
                                      ScLobbySendFunc   send,
                                      gpointer          user_data);
/* What the operator decides (showcast-server's options, sc-server-config.h). */
typedef struct
{
  gboolean allow_guests;           /* sign-ins without a key (default: keys only) */
  guint ban_after;                 /* distinct reporters that ban a user (3; 0: never) */
  guint ban_seconds;               /* how long a ban lasts (a day) */
  guint grace_s;                   /* a dropped connection's session is kept (10; 0: none) */
  guint sign_in_burst;             /* sign-ins and tickets from one address: a burst of
                                    * this many, then as many every 20 s (10; 0: none) */
  gboolean session_limits;         /* per-session message and next limits (on; off only
                                    * to measure capacity with few clients) */
  gboolean check_invariants;       /* check them after every change (tests) */
  GPtrArray *ice_servers;          /* of ScIceServer, handed to every match (STUN); the
                                    * lobby takes a reference */
  const char *const *turn_urls;    /* with turn_secret: time-limited TURN credentials for
                                    * every match, one server reached in several ways */
  const char *turn_secret;         /* coturn's static-auth-secret */
} ScLobbyConfig;

/* The defaults, as a lobby starts with them. */
void         sc_lobby_config_init    (ScLobbyConfig        *config);
void         sc_lobby_configure      (ScLobby              *self,
                                      const ScLobbyConfig  *config);

void         sc_lobby_set_close_func (ScLobby         *self,
                                      ScLobbyCloseFunc close,
                                      gpointer         user_data);
void         sc_lobby_set_clock      (ScLobby          *self,
                                      ScLobbyClockFunc  clock,
                                      gpointer          user_data);
/* Without one, cooldowns end at the next sc_lobby_tick() (about a second late). */
void         sc_lobby_set_wake_func  (ScLobby          *self,
                                      ScLobbyWakeFunc   wake,
                                      gpointer          user_data);
/* Does what is due now (cooldowns that ended); returns when it has more to do
 * (its clock), or -1. */
gint64       sc_lobby_wake           (ScLobby          *self);
/* Takes ownership of @signer (the default signs with a random secret). */
void         sc_lobby_set_token_signer (ScLobby        *self,
                                        ScTokenSigner  *signer);
/* Several nodes: pairs may span nodes, talking through @bus (the matcher must be shared,
 * such as ScRedisMatcher). */
void         sc_lobby_set_bus        (ScLobby          *self,
                                      ScNodeBus        *bus);
guint64      sc_lobby_get_invariant_violations (ScLobby *self);

/* @address: (nullable): where the connection comes from, for per-address limits.
 * @ticket: (nullable): the one-time ticket the WebSocket was opened with.
 * Returns the connection's user — with a good ticket, the session it resumes — or
 * NULL when the lobby has already asked the transport to close it. */
ScLobbyUser *sc_lobby_connect        (ScLobby          *self,
                                      gpointer          transport,
                                      const char       *address,
                                      const char       *ticket);
void         sc_lobby_receive        (ScLobby          *self,
                                      ScLobbyUser      *user,
                                      const ScMessage  *msg);
/* A message from @user that could not be decoded (@code, @message: the error it gets
 * back). Counted against the session's message limit like any other. */
void         sc_lobby_receive_bad    (ScLobby          *self,
                                      ScLobbyUser      *user,
                                      const char       *code,
                                      const char       *message);
/* The connection closed on purpose (a close frame): the session ends now. */
void         sc_lobby_disconnect     (ScLobby          *self,
                                      ScLobbyUser      *user);
/* The connection dropped (no close frame, or silence): the session waits for the
 * grace period, then ends. */
void         sc_lobby_detach         (ScLobby          *self,
                                      ScLobbyUser      *user);
/* A one-time ticket (valid SC_TICKET_LIFETIME_S) to open a WebSocket for the session
 * of @token, which any node with the same secret accepts. */
char        *sc_lobby_issue_ticket   (ScLobby          *self,
                                      const char       *token,
                                      const char       *address,
                                      GError          **error);
/* Called about once a second: ends sessions whose grace ran out, forgets expired
 * tickets, refreshes tokens. */
void         sc_lobby_tick           (ScLobby          *self);
void         sc_lobby_send_error     (ScLobby          *self,
                                      ScLobbyUser      *user,
                                      const char       *code,
                                      const char       *message);

const char  *sc_lobby_user_get_id    (ScLobbyUser      *user);
guint        sc_lobby_get_n_users    (ScLobby          *self);
guint        sc_lobby_get_n_pairs    (ScLobby          *self);
guint        sc_lobby_get_n_waiting  (ScLobby          *self);
guint        sc_lobby_get_n_detached (ScLobby          *self);
const ScLobbyStats *sc_lobby_get_stats (ScLobby        *self);

gboolean     sc_lobby_check_invariants (ScLobby        *self,
                                        GError        **error);

G_END_DECLS
