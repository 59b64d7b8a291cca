/* sc-protocol.h: the showcast signalling protocol (docs/protocol.md), shared by client
 * and server: message types, strict decoding of untrusted bytes, encoding.
 *
 * Every message is one JSON object in one WebSocket text frame, with a "type" member.
 * Decoding checks the direction, the size, the nesting depth, that every required member
 * is present with the right type and length, and that no unknown member is present.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SC_MSG_MAX_BYTES       (4 * 1024)   /* any message but offer/answer */
#define SC_MSG_SDP_MAX_BYTES   (64 * 1024)  /* offer and answer */
#define SC_MSG_MAX_DEPTH       4
#define SC_ID_MAX_BYTES        64
#define SC_CANDIDATE_MAX_BYTES 1024
#define SC_ICE_SERVERS_MAX     8
#define SC_ICE_URLS_MAX        4
#define SC_REPORT_REASON_MAX   400
#define SC_TOKEN_MAX_BYTES     512
/* Interests on the wire: at most this many strings of at most this many bytes (the
 * server then holds a user to sc-text.h's 8 of 1–24 characters, and says bad-interests). */
#define SC_INTERESTS_WIRE_MAX  32
#define SC_INTEREST_WIRE_BYTES 256
#define SC_LANGUAGE_MAX_BYTES  16

#define SC_PROTOCOL_ERROR (sc_protocol_error_quark ())
GQuark sc_protocol_error_quark (void);

/* Each error code has a stable string form (sc_protocol_error_code), used as the
 * "code" of an error message and of the client's error event. */
typedef enum {
  SC_PROTOCOL_ERROR_BAD_JSON,
  SC_PROTOCOL_ERROR_TOO_LARGE,
  SC_PROTOCOL_ERROR_TOO_DEEP,
  SC_PROTOCOL_ERROR_UNKNOWN_TYPE,
  SC_PROTOCOL_ERROR_BAD_MESSAGE,
  SC_PROTOCOL_ERROR_WRONG_DIRECTION,
} ScProtocolError;

const char *sc_protocol_error_code (const GError *error);

typedef enum {
  SC_FROM_CLIENT = 1 << 0,
  SC_FROM_SERVER = 1 << 1,
} ScDirection;

typedef enum {
  SC_MSG_HELLO,      /* server → client, first: version, nonce, guests */
  SC_MSG_SIGN_IN,    /* client → server: version, name [, key, signature] [, interests] [, language] */
  SC_MSG_SIGNED_IN,  /* server → client: version, id, name, token, resumed [, call] */
  SC_MSG_WAITING,    /* server → client: queue */
  SC_MSG_MATCHED,    /* server → client: call, peer_id, peer_name, role, ice_servers, common */
  SC_MSG_OFFER,      /* both ways, relayed: call, sdp */
  SC_MSG_ANSWER,     /* both ways, relayed: call, sdp */
  SC_MSG_CANDIDATE,  /* both ways, relayed: call, mline, candidate */
  SC_MSG_NEXT,       /* client → server [: call, the call it skips] */
  SC_MSG_LEAVE,      /* client → server */
  SC_MSG_REPORT,     /* client → server: call, reason */
  SC_MSG_PEER_LEFT,  /* server → client: call, reason */
  SC_MSG_ERROR,      /* server → client: code, message */
  SC_MSG_SESSION,    /* server → client: token (a fresh session token) */
  SC_MSG_CALL_FAILED, /* client → server: call (the peer-to-peer link died) */
  SC_MSG_COOLDOWN,   /* server → client: ms (skipping fast: back in the lobby then) */
  SC_MSG_INTERESTS,  /* client → server: interests (as "list") [, language], for the next match */
  SC_MSG_N_TYPES
} ScMessageType;

typedef enum {
  SC_ROLE_OFFERER,
  SC_ROLE_ANSWERER,
} ScRole;

typedef enum {
  SC_LEAVE_NEXT,   /* the peer pressed next */
  SC_LEAVE_LEFT,   /* the peer left on purpose */
  SC_LEAVE_LOST,   /* the peer's connection went away */
} ScLeaveReason;

typedef struct {
  GStrv urls;         /* "stun:HOST:PORT", "turn:HOST:PORT[?transport=udp|tcp]" */
  char *username;     /* nullable */
  char *credential;   /* nullable */
} ScIceServer;

ScIceServer *sc_ice_server_new  (const char *const *urls,
                                 const char        *username,
                                 const char        *credential);
ScIceServer *sc_ice_server_copy (const ScIceServer *server);
void         sc_ice_server_free (ScIceServer       *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScIceServer, sc_ice_server_free)

typedef struct {
  ScMessageType type;
  guint version;
  char *id;
  char *name;
  guint queue;
  guint ms;                 /* cooldown */
  char *call;
  char *peer_id;
  char *peer_name;
  ScRole role;
  GPtrArray *ice_servers;   /* of ScIceServer; never NULL for MATCHED */
  char *sdp;
  guint mline;
  char *candidate;          /* "" marks the end of candidates */
  ScLeaveReason reason;
  char *code;               /* error */
  char *message;            /* error */
  char *nonce;              /* hello */
  gboolean guests;          /* hello: guest sign-in allowed */
  char *key;                /* sign-in: base64 Ed25519 public key; NULL for a guest */
  char *signature;          /* sign-in: base64 signature of the sign-in payload */
  char *report_reason;      /* report */
  char *token;              /* signed-in, session: the session token (opaque to clients) */
  gboolean resumed;         /* signed-in: an earlier session goes on (call: its call) */
  GStrv interests;          /* sign-in, interests ("list"): as sent; matched: "common".
                             * NULL: not given (matched: decoded as empty) */
  char *language;           /* sign-in: two or three letters, or NULL */
} ScMessage;

ScMessage  *sc_message_new    (ScMessageType    type);
void        sc_message_free   (ScMessage       *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScMessage, sc_message_free)

ScMessage  *sc_message_decode (const char      *data,
                               gsize            len,
                               ScDirection      from,
                               GError         **error);
char       *sc_message_encode (const ScMessage *msg);

ScMessage  *sc_message_new_error (const char *code,
                                  const char *message);
ScMessage  *sc_message_copy   (const ScMessage *msg);

const char *sc_message_type_to_string   (ScMessageType type);
const char *sc_role_to_string           (ScRole role);
const char *sc_leave_reason_to_string   (ScLeaveReason reason);

/* Bounded JSON parsing for every untrusted JSON input (signalling, data channel,
 * headless stdin). json-glib has no depth limit and recurses, so depth is checked
 * before parsing. Returns the root object. */
JsonObject *sc_json_parse_object (const char  *data,
                                  gsize        len,
                                  gsize        max_bytes,
                                  guint        max_depth,
                                  GError     **error);
char       *sc_json_object_to_string (JsonObject *object);

/* Peer-to-peer messages on the data channel: {"type":"chat","text":"…"}. */
#define SC_PEER_MSG_MAX_BYTES (8 * 1024)
char       *sc_peer_chat_encode (const char  *text);
char       *sc_peer_chat_decode (const char  *data,
                                 gsize        len,
                                 GError     **error);

G_END_DECLS
