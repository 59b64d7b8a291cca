/* sc-webrtc-factory.h: the real ScCallFactory: one ScSender for the process's capture
 * and encoders, and an ScCall (webrtcbin) for each call. */
#pragma once

#include "sc-call-factory.h"

G_BEGIN_DECLS

#define SC_TYPE_WEBRTC_FACTORY (sc_webrtc_factory_get_type ())
G_DECLARE_FINAL_TYPE (ScWebrtcFactory, sc_webrtc_factory, SC, WEBRTC_FACTORY, GObject)

ScCallFactory *sc_webrtc_factory_new (void);

G_END_DECLS
