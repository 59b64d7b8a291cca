/* sc-call-factory.h: what the client core needs from the media side: capture that runs
 * from start to quit, and calls made on demand (ScPeerCall). ScWebrtcFactory is the
 * real one (ScSender and ScCall); the core's unit tests give it a fake.
 *
 * The core owns the ScMediaConfig and passes it each time: the video mode and the ICE
 * options may change between calls.
 */
#pragma once

#include <glib-object.h>

#include "sc-media-config.h"
#include "sc-peer-call.h"

G_BEGIN_DECLS

#define SC_TYPE_CALL_FACTORY (sc_call_factory_get_type ())
G_DECLARE_INTERFACE (ScCallFactory, sc_call_factory, SC, CALL_FACTORY, GObject)

struct _ScCallFactoryInterface
{
  GTypeInterface parent_iface;

  gboolean    (*start_capture)  (ScCallFactory       *self,
                                 const ScMediaConfig *config,
                                 GError             **error);
  ScPeerCall *(*new_call)       (ScCallFactory       *self,
                                 const ScMediaConfig *config,
                                 GError             **error);
  void        (*set_mic_muted)  (ScCallFactory       *self,
                                 gboolean             muted);
  void        (*set_camera_off) (ScCallFactory       *self,
                                 gboolean             off);
  void        (*stop_capture)   (ScCallFactory       *self);
};

/* Starts the camera, microphone and encoders; calls can be made after it succeeds. */
gboolean    sc_call_factory_start_capture  (ScCallFactory       *self,
                                            const ScMediaConfig *config,
                                            GError             **error);
/* (transfer full): a call ready for its match (see sc_call_new()) */
ScPeerCall *sc_call_factory_new_call       (ScCallFactory       *self,
                                            const ScMediaConfig *config,
                                            GError             **error);
void        sc_call_factory_set_mic_muted  (ScCallFactory       *self,
                                            gboolean             muted);
void        sc_call_factory_set_camera_off (ScCallFactory       *self,
                                            gboolean             off);
void        sc_call_factory_stop_capture   (ScCallFactory       *self);

G_END_DECLS
