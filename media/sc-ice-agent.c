/* sc-ice-agent.c: see sc-ice-agent.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <gst/webrtc/webrtc.h>

#include "sc-call.h"
#include "sc-ice-agent.h"

/* Aggressive nomination.  webrtcbin 1.22 makes its libnice agent with regular nomination
 * and gives no way to choose: the controlling agent first finds a pair that works, then waits
 * for the next check slot to queue a second check carrying USE-CANDIDATE, and sends it one
 * slot later (measured here: 9–10 ms of a 20–25 ms ICE phase).  With aggressive nomination
 * every check carries USE-CANDIDATE, so the first pair that answers is selected at once.
 *
 * "nomination-mode" is construct-only, and the agent already exists.  libnice keeps the mode
 * in a plain field that it reads only when a check is sent or answered, so setting it through
 * the class's set_property before the agent has a stream is safe; a libnice without the
 * property, or without the value, is left as it is. */
static void
agent_nominate_aggressively (GObject *agent)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "nomination-mode");
  if (pspec == NULL || !G_IS_PARAM_SPEC_ENUM (pspec))
    return;
  GEnumValue *aggressive = g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class,
                                                     "aggressive");
  GObjectClass *owner = g_type_class_peek (pspec->owner_type);
  if (aggressive == NULL || owner == NULL || owner->set_property == NULL)
    return;

  g_auto(GValue) value = G_VALUE_INIT;
  g_value_init (&value, pspec->value_type);
  g_value_set_enum (&value, aggressive->value);
  owner->set_property (agent, pspec->param_id, &value, pspec);
}

gboolean
sc_ice_agent_configure (GstElement *webrtc, const ScMediaConfig *config, GError **error)
{
  g_autoptr(GObject) ice = NULL;
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  if (ice == NULL)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                           "webrtcbin has no ICE agent");
      return FALSE;
    }

  /* libnice as Debian builds it announces itself with UPnP (SSDP multicast) unless
   * told not to; showcast never wants that. */
  GObjectClass *ice_class = G_OBJECT_GET_CLASS (ice);
  if (g_object_class_find_property (ice_class, "agent"))
    {
      g_autoptr(GObject) agent = NULL;
      g_object_get (ice, "agent", &agent, NULL);
      if (agent && g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "upnp"))
        g_object_set (agent, "upnp", FALSE, NULL);
      if (agent && g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "stun-pacing-timer"))
        g_object_set (agent, "stun-pacing-timer", SC_ICE_PACING_MS, NULL);
      if (agent)
        agent_nominate_aggressively (agent);
    }
  /* ICE-TCP host candidates add a listener per call and no speed; TURN covers networks
   * that block UDP. */
  if (g_object_class_find_property (ice_class, "ice-tcp"))
    g_object_set (ice, "ice-tcp", FALSE, NULL);

  for (guint i = 0; config->ice_addresses && config->ice_addresses[i]; i++)
    {
      gboolean ok = FALSE;
      g_signal_emit_by_name (ice, "add-local-ip-address", config->ice_addresses[i], &ok);
      if (!ok)
        {
          g_set_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                       "“%s” is not a usable local address", config->ice_addresses[i]);
          return FALSE;
        }
    }

  /* Relay only: libnice offers and uses nothing but TURN relay candidates, so every
   * packet goes through the relay (strict NATs; and proving the relay works). */
  if (config->relay_only)
    g_object_set (webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY,
                  NULL);
  return TRUE;
}

void
sc_ice_agent_settle (GstElement *webrtc)
{
  g_autoptr(GObject) ice = NULL;
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  if (ice == NULL || !g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent"))
    return;
  g_autoptr(GObject) agent = NULL;
  g_object_get (ice, "agent", &agent, NULL);
  GParamSpec *pspec = agent ? g_object_class_find_property (G_OBJECT_GET_CLASS (agent),
                                                            "idle-timeout") : NULL;
  /* As short as libnice allows: 50 ms in 0.1.21. */
  if (pspec && G_IS_PARAM_SPEC_UINT (pspec))
    g_object_set (agent, "idle-timeout", G_PARAM_SPEC_UINT (pspec)->minimum, NULL);
}
