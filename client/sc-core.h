/* sc-core.h: the client's engine: signs in, waits in the lobby, runs one call at a time
 * and reports everything to a front end as events (sc-event.h). Front ends act on it
 * only through the command table (sc-command.h), which calls the functions below.
 *
 * Phases: CONNECTING → SIGNING_IN → WAITING ⇄ MATCHED → IN_CALL, and CLOSING → CLOSED
 * from anywhere. IDLE is signed in but out of the lobby (after a leave).
 */
#pragma once

#include <glib-object.h>

#include "sc-call-factory.h"
#include "sc-clock.h"
#include "sc-event.h"
#include "sc-frontend.h"
#include "sc-identity.h"
#include "sc-media-config.h"
#include "sc-server-link.h"

G_BEGIN_DECLS

typedef enum {
  SC_CORE_CONNECTING,
  SC_CORE_SIGNING_IN,
  SC_CORE_IDLE,
  SC_CORE_WAITING,
  SC_CORE_MATCHED,
  SC_CORE_IN_CALL,
  SC_CORE_CLOSING,
  SC_CORE_CLOSED,
} ScCoreState;

#define SC_CORE_ERROR (sc_core_error_quark ())
GQuark sc_core_error_quark (void);

/* Each has a stable string (sc_core_error_code) used as an error event's code. */
typedef enum {
  SC_CORE_ERROR_NOT_SIGNED_IN,
  SC_CORE_ERROR_NOT_IN_CALL,
  SC_CORE_ERROR_CHAT_NOT_READY,
  SC_CORE_ERROR_BAD_TEXT,
  SC_CORE_ERROR_CLOSING,
  SC_CORE_ERROR_BAD_MODE,
  SC_CORE_ERROR_BAD_INTERESTS,
} ScCoreError;

const char *sc_core_error_code (const GError *error);

#define SC_TYPE_CORE (sc_core_get_type ())
G_DECLARE_FINAL_TYPE (ScCore, sc_core, SC, CORE, GObject)

/* The core's seams: @link, its line to the server (ScSignalling); @factory, capture
 * and calls (ScWebrtcFactory); the clock (sc_core_set_clock). The program passes the
 * real ones, the core's unit tests fakes. @server_url is only for what the user reads.
 * @identity: (nullable) (transfer full): NULL signs in as a guest */
ScCore     *sc_core_new            (ScServerLink        *link,
                                    ScCallFactory       *factory,
                                    const char          *server_url,
                                    const char          *name,
                                    const ScMediaConfig *media,
                                    ScIdentity          *identity);
/* Before sc_core_start(); the system clock otherwise. @clock must outlive the core. */
void        sc_core_set_clock      (ScCore              *self,
                                    const ScClock       *clock);
void        sc_core_set_frontend   (ScCore              *self,
                                    ScFrontend          *frontend);
void        sc_core_start          (ScCore              *self);

gboolean    sc_core_next           (ScCore              *self,
                                    GError             **error);
gboolean    sc_core_say            (ScCore              *self,
                                    const char          *text,
                                    GError             **error);
void        sc_core_set_mic_muted  (ScCore              *self,
                                    gboolean             muted);
void        sc_core_set_camera_on  (ScCore              *self,
                                    gboolean             on);
gboolean    sc_core_get_mic_muted  (ScCore              *self);
/* The self-view: your own picture in a corner of the peer's (window and terminal). */
/* What the user shares, for matching (#27), before the core starts (sent with the
 * sign-in): interests as sc_text_normalize_interests() made them, and the language as
 * sc_text_is_language() accepts it, or NULL. The command line checks both first. */
void        sc_core_set_preferences (ScCore             *self,
                                     const char *const  *interests,
                                     const char         *language);
/* New interests, from the next match: told to the server at once when signed in. */
gboolean    sc_core_set_interests  (ScCore              *self,
                                    const char *const   *interests,
                                    GError             **error);
void        sc_core_set_self_view  (ScCore              *self,
                                    gboolean             on);
gboolean    sc_core_get_self_view  (ScCore              *self);
/* FALSE when there is none: the peer sees a card, or hears nothing (sc-devices.h). */
gboolean    sc_core_has_camera     (ScCore              *self);
gboolean    sc_core_has_microphone (ScCore              *self);
gboolean    sc_core_get_camera_on  (ScCore              *self);
gboolean    sc_core_set_video_mode (ScCore              *self,
                                    const char          *mode,
                                    GError             **error);
const char *sc_core_get_video_mode (ScCore              *self);
void        sc_core_set_video_target (ScCore            *self,
                                      const ScVideoTarget *target);
void        sc_core_report_help    (ScCore              *self);
gboolean    sc_core_report_peer    (ScCore              *self,
                                    const char          *reason,
                                    GError             **error);
void        sc_core_report_status  (ScCore              *self);
void        sc_core_report_error   (ScCore              *self,
                                    const char          *code,
                                    const char          *message);
void        sc_core_quit           (ScCore              *self);
/* Asks the front end to redraw or scroll its view (ScCore::view-request). */
void        sc_core_request_view   (ScCore              *self,
                                    const char          *what);

ScCoreState sc_core_get_state      (ScCore              *self);
/* The state front ends draw, read from the core rather than mirrored from events. */
const char *sc_core_get_peer_name  (ScCore              *self);   /* NULL: no call */
gboolean    sc_core_get_chat_open  (ScCore              *self);
/* The current call's latest connection quality; FALSE before its first reading. */
gboolean    sc_core_get_stats      (ScCore              *self,
                                    ScCallStats         *stats);
/* Everything "status" reports; free the strings with sc_status_clear(). */
void        sc_core_get_status     (ScCore              *self,
                                    ScStatus            *status);
const char *sc_core_state_to_string (ScCoreState         state);

G_END_DECLS
