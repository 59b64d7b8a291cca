/* sc-frontend.c: see sc-frontend.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include "sc-frontend.h"

G_DEFINE_INTERFACE (ScFrontend, sc_frontend, G_TYPE_OBJECT)

static void
sc_frontend_default_init (ScFrontendInterface *iface)
{
}

void
sc_frontend_handle_event (ScFrontend *self, const ScEvent *event)
{
  g_return_if_fail (SC_IS_FRONTEND (self));
  SC_FRONTEND_GET_IFACE (self)->handle_event (self, event);
}

void
sc_frontend_video_frame (ScFrontend *self, const ScVideoFrame *frame)
{
  g_return_if_fail (SC_IS_FRONTEND (self));
  ScFrontendInterface *iface = SC_FRONTEND_GET_IFACE (self);
  if (iface->video_frame)
    iface->video_frame (self, frame);
}
