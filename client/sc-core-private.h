/* sc-core-private.h: what the two rooms of ScCore share: sc-core.c (the call's phases,
 * events, commands) and sc-core-session.c (the server session: signing in, what the
 * server says, reconnecting and resuming). Not for anyone else. */
#pragma once

#include "sc-call-factory.h"
#include "sc-clock.h"
#include "sc-command.h"
#include "sc-core.h"
#include "sc-ice-uri.h"
#include "sc-protocol.h"
#include "sc-server-link.h"
#include "sc-text.h"

G_BEGIN_DECLS

/* How long a clean quit waits for the server to acknowledge the close. */
#define CLOSE_TIMEOUT_MS 2000
/* Reconnecting: about 1, 2, 4 … 30 s between attempts, each ±25 % at random so that
 * clients dropped together do not come back together. */
#define RECONNECT_FIRST_MS 1000
#define RECONNECT_MAX_MS 30000
/* Messages for the server kept while reconnecting (a skip, a late candidate). */
#define PENDING_MAX 256
/* Chat lines typed after the match but before the chat is connected: held and sent
 * when it opens (people say "hi" the moment the stranger appears). Bounded: a call
 * that never connects must not collect a script's or a stuck key's whole output. */
#define CHAT_HELD_MAX 8

struct _ScCore
{
  GObject parent_instance;

  gint64 start_us;
  ScCoreState state;
  char *server_url;
  char *wanted_name;
  GStrv interests;           /* normalised; empty: none */
  char *language;            /* NULL: none */
  ScIdentity *identity;          /* NULL: a guest */
  ScMediaConfig *media;
  ScFrontend *frontend;          /* unowned: the program owns both */
  ScServerLink *link;          /* to the server (ScSignalling, or a test's fake) */
  GCancellable *cancellable;

  char *id;                      /* from signed-in */
  char *name;

  ScCallFactory *factory;        /* capture and calls (ScWebrtcFactory, or a test's fake) */
  gboolean capturing;            /* capture runs: from start to finish */
  const ScClock *clock;
  ScPeerCall *spare;                 /* the next call, made ahead of its match */
  ScPeerCall *spare_offer;           /* and one whose offer is made, for the offerer's role */
  gboolean offer_ahead;          /* whether to make spare_offer (no STUN/TURN seen) */
  ScCallStats last_stats;        /* the call's latest connection quality */
  gboolean have_stats;
  guint spare_source;
  ScPeerCall *call;                  /* the current call, or NULL */
  char *call_id;
  char *peer_id;
  char *peer_name;
  ScRole role;
  guint queue;
  GQueue held_chat;              /* of char *: lines waiting for this call's chat */

  ScVideoTarget video_target;
  gboolean have_video_target;

  guint close_timeout;
  int exit_code;

  /* The session, and getting it back when the connection drops. */
  char *token;                   /* from signed-in and session; NULL before */
  char *nonce;                   /* of the current connection's hello */
  gboolean reconnecting;
  guint reconnect_attempt;
  guint reconnect_source;
  gboolean used_ticket;          /* the current connection was opened with a ticket */
  gboolean resync_call;          /* resumed without our call: it ended while away */
  GQueue pending;                /* of ScMessage, sent once the session is back */
};

G_GNUC_INTERNAL void core_emit (ScCore *self, ScEvent *event);
G_GNUC_INTERNAL void core_end_call (ScCore *self);
G_GNUC_INTERNAL void core_finish (ScCore *self, int exit_code);
G_GNUC_INTERNAL void core_handle_description (ScCore *self, const ScMessage *msg);
G_GNUC_INTERNAL void core_handle_matched (ScCore *self, const ScMessage *msg);
G_GNUC_INTERNAL void core_handle_peer_left (ScCore *self, const ScMessage *msg);
G_GNUC_INTERNAL void core_lose_call (ScCore *self);
G_GNUC_INTERNAL void core_schedule_spare (ScCore *self);
G_GNUC_INTERNAL void core_on_server_closed (ScServerLink *link, gpointer data);
G_GNUC_INTERNAL void core_on_server_message (ScServerLink *link, gpointer ptr, gpointer data);
G_GNUC_INTERNAL void core_on_server_protocol_error (ScServerLink *link, GError *error, gpointer data);

G_GNUC_INTERNAL void core_send_interests (ScCore *self);

G_END_DECLS
