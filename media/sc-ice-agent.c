/* sc-ice-agent.c: see sc-ice-agent.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <string.h>

#include <gst/webrtc/webrtc.h>
#include <nice/agent.h>

#include "sc-call.h"
#include "sc-ice-agent.h"

/* The NiceAgent under webrtcbin's ICE object (a new reference), or NULL.  (libnice
 * 0.1.21 defines no autoptr for NiceAgent: callers hold it as a GObject.) */
static GObject *
nice_agent_of (GstElement *webrtc)
{
  g_autoptr(GObject) ice = NULL;
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  if (ice == NULL || !g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent"))
    return NULL;
  GObject *agent = NULL;
  g_object_get (ice, "agent", &agent, NULL);
  if (agent != NULL && !NICE_IS_AGENT (agent))
    g_clear_object (&agent);
  return agent;
}

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
  g_autoptr(GObject) agent = nice_agent_of (webrtc);
  if (agent)
    {
      g_object_set (agent, "upnp", FALSE, "stun-pacing-timer", SC_ICE_PACING_MS, NULL);
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
  g_autoptr(GObject) agent = nice_agent_of (webrtc);
  GParamSpec *pspec = agent ? g_object_class_find_property (G_OBJECT_GET_CLASS (agent),
                                                            "idle-timeout") : NULL;
  /* As short as libnice allows: 50 ms in 0.1.21. */
  if (pspec && G_IS_PARAM_SPEC_UINT (pspec))
    g_object_set (agent, "idle-timeout", G_PARAM_SPEC_UINT (pspec)->minimum, NULL);
}

static const char *
candidate_type_name (NiceCandidateType type)
{
  switch (type)
    {
    case NICE_CANDIDATE_TYPE_HOST: return "host";
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE: return "prflx";
    case NICE_CANDIDATE_TYPE_RELAYED: return "relay";
    default: return "host";
    }
}

/* webrtcbin's statistics would be the natural source, but GStreamer 1.22 gives every
 * relay candidate "relay-protocol" none (and swaps the "type" of the local and remote
 * candidate entries); libnice's own selected pair has what is needed.  A relay
 * candidate's TURN transport is private to libnice, but its priority says it: libnice
 * gives a relay reached over UDP the type preference 30 and one reached over TCP or
 * TLS 20 (RFC 8445 §5.1.2.2 asks for the UDP one to be preferred); the lab test with
 * UDP blocked checks that this still reads "tcp". */
#define SC_NICE_TYPE_PREF_RELAYED_UDP 30

gboolean
sc_ice_agent_get_path (GstElement *webrtc, ScIcePath *path)
{
  g_autoptr(GObject) agent = nice_agent_of (webrtc);
  if (agent == NULL)
    return FALSE;

  /* Bundled: one stream, the first libnice made for this webrtcbin (ids count from
   * 1); a few more are looked at in case a transceiver's stream came first. */
  NiceCandidate *local = NULL, *remote = NULL;
  for (guint stream = 1; stream <= 4; stream++)
    if (nice_agent_get_selected_pair (NICE_AGENT (agent), stream, 1, &local, &remote))
      break;
  if (local == NULL || remote == NULL)
    return FALSE;

  path->local = candidate_type_name (local->type);
  path->remote = candidate_type_name (remote->type);
  if (local->type == NICE_CANDIDATE_TYPE_RELAYED)
    path->protocol = (local->priority >> 24) == SC_NICE_TYPE_PREF_RELAYED_UDP ? "udp" : "tcp";
  else
    path->protocol = local->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp" : "tcp";
  return TRUE;
}

/* A TURN server reached over TCP or TLS. */
static gboolean
is_stream_relay (const char *uri)
{
  return g_str_has_prefix (uri, "turns://") ||
         (g_str_has_prefix (uri, "turn://") && strstr (uri, "transport=tcp") != NULL);
}

void
sc_ice_agent_split_servers (const char *const *uris, GStrv *now, GStrv *later)
{
  gboolean udp_relay = FALSE;
  for (guint i = 0; uris && uris[i]; i++)
    udp_relay |= g_str_has_prefix (uris[i], "turn://") && !is_stream_relay (uris[i]);

  g_autoptr(GStrvBuilder) first = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) held = g_strv_builder_new ();
  gboolean any_held = FALSE;
  for (guint i = 0; uris && uris[i]; i++)
    {
      if (udp_relay && is_stream_relay (uris[i]))
        {
          g_strv_builder_add (held, uris[i]);
          any_held = TRUE;
        }
      else
        g_strv_builder_add (first, uris[i]);
    }
  *now = g_strv_builder_end (first);
  *later = any_held ? g_strv_builder_end (held) : NULL;
}

static void
add_relay (NiceAgent *agent, const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD, &error);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || g_uri_get_port (parsed) <= 0)
    {
      g_warning ("TURN server %s not used: %s", uri, error ? error->message : "no host:port");
      return;
    }
  NiceRelayType type = g_str_equal (g_uri_get_scheme (parsed), "turns")
                       ? NICE_RELAY_TYPE_TURN_TLS : NICE_RELAY_TYPE_TURN_TCP;
  /* The streams libnice has made for this webrtcbin (bundled: one; ids count from 1). */
  for (guint stream = 1; stream <= 4; stream++)
    {
      g_autofree char *ufrag = NULL, *pwd = NULL;
      if (!nice_agent_get_local_credentials (agent, stream, &ufrag, &pwd))
        continue;
      if (!nice_agent_set_relay_info (agent, stream, NICE_COMPONENT_TYPE_RTP,
                                      g_uri_get_host (parsed), g_uri_get_port (parsed),
                                      g_uri_get_user (parsed), g_uri_get_password (parsed),
                                      type))
        g_warning ("TURN server %s:%d was refused by libnice", g_uri_get_host (parsed),
                   g_uri_get_port (parsed));
    }
}

void
sc_ice_agent_add_relays (GstElement *webrtc, const char *const *uris)
{
  g_autoptr(GObject) agent = nice_agent_of (webrtc);
  if (agent == NULL)
    return;
  for (guint i = 0; uris && uris[i]; i++)
    {
      g_debug ("no relay over UDP yet: TURN over TCP joins (%s)",
               strchr (uris[i], '@') ? strchr (uris[i], '@') + 1 : uris[i]);
      add_relay (NICE_AGENT (agent), uris[i]);
    }
}
