/* sc-peer-call.c: the ScPeerCall interface: its signals and dispatch. */
#include "sc-peer-call.h"

G_DEFINE_INTERFACE (ScPeerCall, sc_peer_call, G_TYPE_OBJECT)

static guint peer_call_signals[SC_PEER_CALL_N_SIGNALS];

static void
sc_peer_call_default_init (ScPeerCallInterface *iface)
{
  GType type = G_TYPE_FROM_INTERFACE (iface);
  struct {
    ScPeerCallSignal id;
    const char *name;
    guint n_params;
    GType params[2];
  } table[] = {
    { SC_PEER_CALL_SIG_LOCAL_DESCRIPTION, "local-description", 2, { G_TYPE_STRING, G_TYPE_STRING } },
    { SC_PEER_CALL_SIG_LOCAL_CANDIDATE, "local-candidate", 2, { G_TYPE_UINT, G_TYPE_STRING } },
    { SC_PEER_CALL_SIG_CONNECTED, "connected", 0, { 0 } },
    { SC_PEER_CALL_SIG_FIRST_FRAME, "first-frame", 2, { G_TYPE_UINT, G_TYPE_UINT } },
    { SC_PEER_CALL_SIG_FIRST_AUDIO, "first-audio", 2, { G_TYPE_UINT, G_TYPE_UINT } },
    /* (ScVideoFrame *), valid during the emission */
    { SC_PEER_CALL_SIG_VIDEO_FRAME, "video-frame", 1, { G_TYPE_POINTER } },
    /* (ScCallStats *), valid during the emission */
    { SC_PEER_CALL_SIG_STATS, "stats", 1, { G_TYPE_POINTER } },
    { SC_PEER_CALL_SIG_FRAME_DELAY, "frame-delay", 1, { G_TYPE_DOUBLE } },
    { SC_PEER_CALL_SIG_CHANNEL_OPEN, "channel-open", 0, { 0 } },
    { SC_PEER_CALL_SIG_DATA_RECEIVED, "data-received", 1, { G_TYPE_STRING } },
    { SC_PEER_CALL_SIG_FAILED, "failed", 1, { G_TYPE_STRING } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    peer_call_signals[table[i].id] =
      g_signal_newv (table[i].name, type, G_SIGNAL_RUN_LAST, NULL, NULL, NULL, NULL,
                     G_TYPE_NONE, table[i].n_params, table[i].params);
}

guint
sc_peer_call_signal_id (ScPeerCallSignal signal)
{
  g_return_val_if_fail (signal < SC_PEER_CALL_N_SIGNALS, 0);
  /* Implementations ask from their class_init, which may run before the interface's
   * default_init has: make sure it has. */
  gpointer iface = g_type_default_interface_ref (SC_TYPE_PEER_CALL);
  g_type_default_interface_unref (iface);
  return peer_call_signals[signal];
}

#define IFACE(self) SC_PEER_CALL_GET_IFACE (self)

gboolean
sc_peer_call_prepare_offer (ScPeerCall *self, GError **error)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->prepare_offer (self, error);
}

gboolean
sc_peer_call_start (ScPeerCall *self, gboolean offerer, const char *peer_name,
                    const char *const *ice_uris, GError **error)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->start (self, offerer, peer_name, ice_uris, error);
}

gboolean
sc_peer_call_set_remote_description (ScPeerCall *self, const char *type, const char *sdp,
                                     GError **error)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->set_remote_description (self, type, sdp, error);
}

void
sc_peer_call_add_remote_candidate (ScPeerCall *self, guint mline, const char *candidate)
{
  g_return_if_fail (SC_IS_PEER_CALL (self));
  IFACE (self)->add_remote_candidate (self, mline, candidate);
}

gboolean
sc_peer_call_send_data (ScPeerCall *self, const char *text, GError **error)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->send_data (self, text, error);
}

void
sc_peer_call_set_video_output (ScPeerCall *self, ScVideoOutput output)
{
  g_return_if_fail (SC_IS_PEER_CALL (self));
  IFACE (self)->set_video_output (self, output);
}

void
sc_peer_call_set_video_target (ScPeerCall *self, const ScVideoTarget *target)
{
  g_return_if_fail (SC_IS_PEER_CALL (self));
  IFACE (self)->set_video_target (self, target);
}

void
sc_peer_call_set_self_view (ScPeerCall *self, gboolean on)
{
  g_return_if_fail (SC_IS_PEER_CALL (self));
  IFACE (self)->set_self_view (self, on);
}

void
sc_peer_call_stop (ScPeerCall *self)
{
  g_return_if_fail (SC_IS_PEER_CALL (self));
  IFACE (self)->stop (self);
}

gboolean
sc_peer_call_is_connected (ScPeerCall *self)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->is_connected (self);
}

gboolean
sc_peer_call_is_channel_open (ScPeerCall *self)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->is_channel_open (self);
}

gboolean
sc_peer_call_get_path (ScPeerCall *self, ScIcePath *path)
{
  g_return_val_if_fail (SC_IS_PEER_CALL (self), FALSE);
  return IFACE (self)->get_path (self, path);
}
