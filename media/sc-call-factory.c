/* sc-call-factory.c: the ScCallFactory interface's dispatch. */
#include "sc-call-factory.h"

G_DEFINE_INTERFACE (ScCallFactory, sc_call_factory, G_TYPE_OBJECT)

static void
sc_call_factory_default_init (ScCallFactoryInterface *iface)
{
}

#define IFACE(self) SC_CALL_FACTORY_GET_IFACE (self)

gboolean
sc_call_factory_start_capture (ScCallFactory *self, const ScMediaConfig *config, GError **error)
{
  g_return_val_if_fail (SC_IS_CALL_FACTORY (self), FALSE);
  return IFACE (self)->start_capture (self, config, error);
}

ScPeerCall *
sc_call_factory_new_call (ScCallFactory *self, const ScMediaConfig *config, GError **error)
{
  g_return_val_if_fail (SC_IS_CALL_FACTORY (self), NULL);
  return IFACE (self)->new_call (self, config, error);
}

void
sc_call_factory_set_mic_muted (ScCallFactory *self, gboolean muted)
{
  g_return_if_fail (SC_IS_CALL_FACTORY (self));
  IFACE (self)->set_mic_muted (self, muted);
}

void
sc_call_factory_set_camera_off (ScCallFactory *self, gboolean off)
{
  g_return_if_fail (SC_IS_CALL_FACTORY (self));
  IFACE (self)->set_camera_off (self, off);
}

void
sc_call_factory_stop_capture (ScCallFactory *self)
{
  g_return_if_fail (SC_IS_CALL_FACTORY (self));
  IFACE (self)->stop_capture (self);
}
