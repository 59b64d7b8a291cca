/* sc-lobby-private.h: what the lobby's files share (sc-lobby.c: users, pairs, the one
 * end-of-call path, messages; sc-lobby-nodes.c: pairs across nodes; sc-lobby-resume.c:
 * tickets and resuming; sc-lobby-invariants.c: the checks). Not for anyone else. */
#pragma once

#include "sc-auth.h"
#include "sc-lobby.h"
#include "sc-node-bus.h"
#include "sc-rate-limit.h"
#include "sc-session-token.h"

G_BEGIN_DECLS

#define MAX_TRACKED_ADDRESSES 10000
#define MAX_TICKETS           100000
#define OUTBOX_MAX_MESSAGES   256     /* a detached session's held messages */

typedef enum {
  USER_NEW,
  USER_IDLE,
  USER_WAITING,
  USER_PAIRED,
} UserState;

typedef struct _ScLobbyPair ScLobbyPair;

struct _ScLobbyUser
{
  gpointer transport;        /* NULL while detached */
  char *address;
  char *nonce;               /* sent in hello, signed in a key sign-in */
  char *id;
  char *name;
  UserState state;
  ScLobbyPair *pair;
  ScTokenBucket messages;
  ScTokenBucket nexts;
  guint refusals;            /* refused in a row */
  guint call_signals;        /* offers, answers and candidates sent for the current call */
  gint64 last_refusal_note_us;

  char *session;             /* the session id in its tokens */
  gboolean guest;
  gint64 token_issued_us;
  gint64 detached_us;        /* when the connection dropped; 0 while attached */
  gint64 waiting_since_us;   /* when it last entered the lobby */
  gboolean wants_lobby;      /* detached, and due back in the lobby on return */
  gint64 cooldown_until_us;  /* skipped over the next limit: back in the lobby then; 0 */
  GQueue outbox;             /* of ScMessage: what was said to it while detached */
  char *remote_node;         /* a stub: a user of that node, partner of one of ours */
  GStrv interests;           /* normalised (sc-text.h); NULL: none */
  char *language;            /* NULL: none */
};

typedef struct
{
  ScSessionClaims *claims;
  gint64 expires_us;
} Ticket;

struct _ScLobbyPair
{
  char *call;
  ScLobbyUser *offerer;
  ScLobbyUser *answerer;
  GStrv common;              /* the interests the two share; NULL: none */
};

struct _ScLobby
{
  GObject parent_instance;

  ScMatcher *matcher;
  ScLobbySendFunc send;
  gpointer send_data;
  ScLobbyCloseFunc close;
  gpointer close_data;
  ScLobbyClockFunc clock;
  gpointer clock_data;
  GHashTable *sign_ins;       /* address → ScTokenBucket */
  gboolean allow_guests;
  GHashTable *reporters;      /* reported id → set of reporter ids */
  GHashTable *banned_until;   /* id → gint64* monotonic µs */
  GHashTable *blocked;        /* "a\nb" (a < b): pairs that must never meet */
  guint ban_after;
  guint ban_seconds;
  GPtrArray *ice_servers;     /* of ScIceServer */
  GStrv turn_urls;            /* with turn_secret: TURN credentials for every match */
  char *turn_secret;
  ScTokenSigner *signer;
  gint64 grace_us;
  gint64 realtime_offset_us;  /* wall clock minus the lobby's clock */
  GHashTable *tickets;        /* ticket → Ticket */
  GHashTable *detached;       /* ScLobbyUser set: sessions in their grace period */
  gboolean check_invariants;
  guint64 invariant_violations;
  guint sign_in_burst;        /* per address; 0: no limit */
  ScNodeBus *bus;             /* NULL: this node is alone */
  gboolean session_limits;    /* per-session rate limits (off only for benchmarks) */

  GHashTable *users;          /* id → ScLobbyUser (signed in); owns the users */
  GHashTable *connected;      /* ScLobbyUser set, signed in or not */
  GHashTable *pairs;          /* call id → ScLobbyPair; owns the pairs */
  GHashTable *cooling;        /* ScLobbyUser set: in a cooldown (few at a time) */
  ScLobbyWakeFunc wake;
  gpointer wake_data;
  ScLobbyStats stats;
};

G_GNUC_INTERNAL void lobby_check (ScLobby *self);
G_GNUC_INTERNAL void lobby_end_half (ScLobby *self, ScLobbyUser *user, ScLeaveReason reason);
G_GNUC_INTERNAL ScLobbyPair *lobby_pair_new (ScLobby *self, const char *call, ScLobbyUser *offerer, ScLobbyUser *answerer);
G_GNUC_INTERNAL ScLobbyUser *lobby_partner_of (ScLobbyUser *user);
G_GNUC_INTERNAL void lobby_record_wait (ScLobby *self, ScLobbyUser *user);
G_GNUC_INTERNAL void lobby_send_matched (ScLobby *self, ScLobbyUser *user);
G_GNUC_INTERNAL void lobby_send_msg (ScLobby *self, ScLobbyUser *user, const ScMessage *msg);
G_GNUC_INTERNAL ScLobbyUser *lobby_stub_new (const char *id, const char *name, const char *node);
G_GNUC_INTERNAL void lobby_tell_no_relay (ScLobby *self, ScLobbyUser *user);
G_GNUC_INTERNAL void lobby_close_connection (ScLobby *self, ScLobbyUser *user, const char *reason);
G_GNUC_INTERNAL void lobby_enter_lobby (ScLobby *self, ScLobbyUser *user);
G_GNUC_INTERNAL gint64 lobby_now_us (ScLobby *self);
G_GNUC_INTERNAL gboolean lobby_refuse_banned (ScLobby *self, ScLobbyUser *user, const char *id);
G_GNUC_INTERNAL void lobby_send_signed_in (ScLobby *self, ScLobbyUser *user, gboolean resumed);
G_GNUC_INTERNAL gboolean lobby_sign_in_allowed (ScLobby *self, const char *address);
G_GNUC_INTERNAL void lobby_start_session (ScLobby *self, ScLobbyUser *user, char *id, char *name, gboolean guest);
G_GNUC_INTERNAL void lobby_user_free (ScLobbyUser *user);
G_GNUC_INTERNAL gint64 lobby_wall_now_s (ScLobby *self);
G_GNUC_INTERNAL char *lobby_blocked_key (const char *a, const char *b);
G_GNUC_INTERNAL void lobby_bus_send (ScLobby *self, const char *node, ScBusEvent *event);
G_GNUC_INTERNAL void lobby_check_remote_nodes (ScLobby *self);
G_GNUC_INTERNAL ScLobbyUser *lobby_resume (ScLobby *self, ScLobbyUser *fresh, const ScSessionClaims *claims);

G_END_DECLS
