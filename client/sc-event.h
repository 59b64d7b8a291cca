/* sc-event.h: what the client core tells a front end, typed: a kind and, for each kind,
 * a struct of its fields. The terminal panel draws them; the headless front end is the
 * one place that turns them into JSON lines (ui/sc-headless.c), whose names and fields
 * are the stable interface in README.md ("The headless interface"). */
#pragma once

#include <glib.h>

#include "sc-call-stats.h"
#include "sc-ice-agent.h"
#include "sc-protocol.h"

G_BEGIN_DECLS

typedef enum
{
  SC_EVENT_SIGNED_IN,      /* "signed-in" */
  SC_EVENT_WAITING,        /* "waiting" */
  SC_EVENT_COOLDOWN,       /* "cooldown" */
  SC_EVENT_MATCHED,        /* "matched" */
  SC_EVENT_CONNECTED,      /* "connected" */
  SC_EVENT_FIRST_FRAME,    /* "first-frame" */
  SC_EVENT_FIRST_AUDIO,    /* "first-audio" */
  SC_EVENT_CHAT_OPEN,      /* "chat-open" */
  SC_EVENT_CHAT,           /* "chat" */
  SC_EVENT_SAID,           /* "said" */
  SC_EVENT_PEER_LEFT,      /* "peer-left" */
  SC_EVENT_REPORTED,       /* "reported" */
  SC_EVENT_STATS,          /* "stats" */
  SC_EVENT_FRAME_DELAY,    /* "frame-delay" */
  SC_EVENT_MUTE,           /* "mute" */
  SC_EVENT_CAMERA,         /* "camera" */
  SC_EVENT_SELF_VIEW,      /* "self" */
  SC_EVENT_VIDEO,          /* "video" */
  SC_EVENT_HELP,           /* "help" */
  SC_EVENT_STATUS,         /* "status" */
  SC_EVENT_RECONNECTING,   /* "reconnecting" */
  SC_EVENT_RECONNECTED,    /* "reconnected" */
  SC_EVENT_ERROR,          /* "error" */
  SC_EVENT_BYE,            /* "bye" */
  SC_EVENT_INTERESTS,      /* "interests" */
  SC_EVENT_N_KINDS
} ScEventKind;

typedef struct
{
  char *name;
  char *id;
} ScPeerRef;

/* The whole state of the client, as "status" reports it. */
typedef struct
{
  const char *state;          /* sc_core_state_to_string() */
  char *server;
  char *name;
  char *id;                   /* NULL before signing in */
  guint queue;                /* when waiting */
  gboolean in_call;           /* the rest of this block only then */
  ScPeerRef peer;
  char *call;
  ScRole role;
  gboolean connected;
  gboolean has_path;
  ScIcePath path;
  gboolean chat_open;
  gboolean mic_muted;         /* always */
  gboolean camera_on;
  gboolean self_view;
  char *video_source;         /* what is sent: "device:NAME", "card" (no camera), "test"… */
  char *audio_source;         /* "device:NAME", "none" (no microphone), "test"… */
  char *video;
  gboolean reconnecting;
  GStrv interests;            /* what counts from the next match (never NULL) */
  char *language;             /* NULL: none */
} ScStatus;

/* One command as "help" lists it (pointers into the command table). */
typedef struct
{
  const char *cmd;
  const char *usage;
  const char *summary;        /* translated */
} ScHelpEntry;

typedef struct
{
  ScEventKind kind;
  gint64 t_ms;                /* milliseconds since the client started */
  union
  {
    struct { char *name; char *id; } signed_in;
    struct { guint queue; } waiting;
    struct { guint ms; } cooldown;
    struct { ScPeerRef peer; char *call; ScRole role; GStrv common; } matched;   /* common: shown-safe */
    struct { gboolean has_path; ScIcePath path; } connected;
    struct { guint width; guint height; } first_frame;
    struct { guint rate; guint channels; } first_audio;
    struct { char *from; char *text; } chat;
    struct { char *text; } said;
    struct { ScLeaveReason reason; ScPeerRef peer; } peer_left;   /* peer: for the panel */
    struct { ScPeerRef peer; } reported;
    ScCallStats stats;        /* rtt_ms < 0: not known yet */
    struct { double ms; } frame_delay;
    struct { gboolean on; } mute;
    struct { gboolean on; } camera;
    struct { gboolean on; } self_view;
    struct { char *mode; } video;
    struct { GArray *commands; } help;   /* of ScHelpEntry */
    ScStatus status;
    struct { guint attempt; guint in_ms; } reconnecting;
    struct { gboolean resumed; } reconnected;
    struct { char *code; char *message; } error;
    struct { GStrv list; } interests;   /* as normalised, for the next match */
  };
} ScEvent;

/* Frees a status's strings (sc_core_get_status). */
void        sc_status_clear         (ScStatus      *status);
ScEvent    *sc_event_new            (ScEventKind    kind);
void        sc_event_free           (ScEvent       *event);
const char *sc_event_kind_to_string (ScEventKind    kind);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScEvent, sc_event_free)

G_END_DECLS
