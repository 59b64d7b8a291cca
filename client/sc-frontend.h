/* sc-frontend.h: the one interface between the client core and what the user sees.
 *
 * The core calls handle_event for everything that happens; a front end sends commands
 * back through the command table (sc-command.h). The headless front end (JSON lines)
 * and the terminal panel implement the same interface, so both see the same events.
 */
#pragma once

#include <glib-object.h>

#include "sc-event.h"
#include "sc-video-frame.h"

G_BEGIN_DECLS

#define SC_TYPE_FRONTEND (sc_frontend_get_type ())
G_DECLARE_INTERFACE (ScFrontend, sc_frontend, SC, FRONTEND, GObject)

struct _ScFrontendInterface
{
  GTypeInterface parent_iface;

  void (*handle_event) (ScFrontend         *self,
                        const ScEvent      *event);
  /* Optional: a remote picture for terminal video, many times a second. */
  void (*video_frame)  (ScFrontend         *self,
                        const ScVideoFrame *frame);
};

void sc_frontend_handle_event (ScFrontend         *self,
                               const ScEvent      *event);
void sc_frontend_video_frame  (ScFrontend         *self,
                               const ScVideoFrame *frame);

G_END_DECLS
