/* sc-webrtc-factory.c: ScCallFactory over ScSender and ScCall. */
#include "sc-webrtc-factory.h"

#include "sc-call.h"
#include "sc-sender.h"

struct _ScWebrtcFactory
{
  GObject parent_instance;
  ScSender *sender;   /* NULL until capture starts, and after it stops */
};

static void call_factory_iface_init (ScCallFactoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScWebrtcFactory, sc_webrtc_factory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_CALL_FACTORY, call_factory_iface_init))

static gboolean
webrtc_start_capture (ScCallFactory *factory, const ScMediaConfig *config, GError **error)
{
  ScWebrtcFactory *self = SC_WEBRTC_FACTORY (factory);
  g_return_val_if_fail (self->sender == NULL, FALSE);
  g_autoptr(ScSender) sender = sc_sender_new (config, error);
  if (sender == NULL || !sc_sender_start (sender, error))
    return FALSE;
  self->sender = g_steal_pointer (&sender);
  return TRUE;
}

static ScPeerCall *
webrtc_new_call (ScCallFactory *factory, const ScMediaConfig *config, GError **error)
{
  ScWebrtcFactory *self = SC_WEBRTC_FACTORY (factory);
  g_return_val_if_fail (self->sender != NULL, NULL);
  return SC_PEER_CALL (sc_call_new (config, self->sender, error));
}

static void
webrtc_set_mic_muted (ScCallFactory *factory, gboolean muted)
{
  ScWebrtcFactory *self = SC_WEBRTC_FACTORY (factory);
  if (self->sender)
    sc_sender_set_mic_muted (self->sender, muted);
}

static void
webrtc_set_camera_off (ScCallFactory *factory, gboolean off)
{
  ScWebrtcFactory *self = SC_WEBRTC_FACTORY (factory);
  if (self->sender)
    sc_sender_set_camera_off (self->sender, off);
}

static void
webrtc_stop_capture (ScCallFactory *factory)
{
  ScWebrtcFactory *self = SC_WEBRTC_FACTORY (factory);
  if (self->sender)
    sc_sender_stop (self->sender);
  g_clear_object (&self->sender);
}

static void
call_factory_iface_init (ScCallFactoryInterface *iface)
{
  iface->start_capture = webrtc_start_capture;
  iface->new_call = webrtc_new_call;
  iface->set_mic_muted = webrtc_set_mic_muted;
  iface->set_camera_off = webrtc_set_camera_off;
  iface->stop_capture = webrtc_stop_capture;
}

static void
sc_webrtc_factory_dispose (GObject *object)
{
  webrtc_stop_capture (SC_CALL_FACTORY (object));
  G_OBJECT_CLASS (sc_webrtc_factory_parent_class)->dispose (object);
}

static void
sc_webrtc_factory_class_init (ScWebrtcFactoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sc_webrtc_factory_dispose;
}

static void
sc_webrtc_factory_init (ScWebrtcFactory *self)
{
}

ScCallFactory *
sc_webrtc_factory_new (void)
{
  return g_object_new (SC_TYPE_WEBRTC_FACTORY, NULL);
}
