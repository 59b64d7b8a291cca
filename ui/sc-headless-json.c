/* sc-headless-json.c: see sc-headless-json.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <json-glib/json-glib.h>

#include "sc-core.h"
#include "sc-headless-json.h"
#include "sc-protocol.h"

static void
set_string (JsonObject *object, const char *key, const char *value)
{
  json_object_set_string_member (object, key, value ? value : "");
}

static void
set_list (JsonObject *object, const char *key, const char *const *list)
{
  JsonArray *array = json_array_new ();
  for (guint i = 0; list && list[i]; i++)
    json_array_add_string_element (array, list[i]);
  json_object_set_array_member (object, key, array);
}

static void
set_peer (JsonObject *object, const ScPeerRef *peer)
{
  JsonObject *p = json_object_new ();
  set_string (p, "name", peer->name);
  set_string (p, "id", peer->id);
  json_object_set_object_member (object, "peer", p);
}

static void
set_path (JsonObject *object, const ScIcePath *path)
{
  JsonObject *p = json_object_new ();
  set_string (p, "local", path->local);
  set_string (p, "remote", path->remote);
  set_string (p, "protocol", path->protocol);
  json_object_set_object_member (object, "path", p);
}

/* Tenths: figures meant for people and scripts, not for precision. */
static double
tenths (double value)
{
  return (gint64) (value * 10 + 0.5) / 10.0;
}

static void
set_status (JsonObject *o, const ScStatus *st)
{
  set_string (o, "state", st->state);
  set_string (o, "server", st->server);
  set_string (o, "name", st->name);
  if (st->id)
    set_string (o, "id", st->id);
  if (g_strcmp0 (st->state, sc_core_state_to_string (SC_CORE_WAITING)) == 0)
    json_object_set_int_member (o, "queue", st->queue);
  if (st->in_call)
    {
      set_peer (o, &st->peer);
      set_string (o, "call", st->call);
      set_string (o, "role", sc_role_to_string (st->role));
      json_object_set_boolean_member (o, "connected", st->connected);
      if (st->has_path)
        set_path (o, &st->path);
      json_object_set_boolean_member (o, "chat_open", st->chat_open);
    }
  json_object_set_boolean_member (o, "mic_muted", st->mic_muted);
  json_object_set_boolean_member (o, "camera_on", st->camera_on);
  json_object_set_boolean_member (o, "self_view", st->self_view);
  set_string (o, "video_source", st->video_source);
  set_list (o, "interests", (const char *const *) st->interests);
  if (st->language)
    set_string (o, "language", st->language);
  set_string (o, "audio_source", st->audio_source);
  set_string (o, "video", st->video);
  json_object_set_boolean_member (o, "reconnecting", st->reconnecting);
}

char *
sc_headless_event_to_json (const ScEvent *e)
{
  g_autoptr(JsonObject) o = json_object_new ();
  /* "event" and "t" first, for people reading logs. */
  json_object_set_string_member (o, "event", sc_event_kind_to_string (e->kind));
  json_object_set_int_member (o, "t", e->t_ms);
  switch (e->kind)
    {
    case SC_EVENT_SIGNED_IN:
      set_string (o, "name", e->signed_in.name);
      set_string (o, "id", e->signed_in.id);
      break;
    case SC_EVENT_WAITING:
      json_object_set_int_member (o, "queue", e->waiting.queue);
      break;
    case SC_EVENT_COOLDOWN:
      json_object_set_int_member (o, "ms", e->cooldown.ms);
      break;
    case SC_EVENT_MATCHED:
      set_peer (o, &e->matched.peer);
      set_string (o, "call", e->matched.call);
      set_string (o, "role", sc_role_to_string (e->matched.role));
      set_list (o, "common", (const char *const *) e->matched.common);
      break;
    case SC_EVENT_INTERESTS:
      set_list (o, "list", (const char *const *) e->interests.list);
      break;
    case SC_EVENT_CONNECTED:
      if (e->connected.has_path)
        set_path (o, &e->connected.path);
      break;
    case SC_EVENT_FIRST_FRAME:
      json_object_set_int_member (o, "width", e->first_frame.width);
      json_object_set_int_member (o, "height", e->first_frame.height);
      break;
    case SC_EVENT_FIRST_AUDIO:
      json_object_set_int_member (o, "rate", e->first_audio.rate);
      json_object_set_int_member (o, "channels", e->first_audio.channels);
      break;
    case SC_EVENT_CHAT:
      set_string (o, "from", e->chat.from);
      set_string (o, "text", e->chat.text);
      break;
    case SC_EVENT_SAID:
      set_string (o, "text", e->said.text);
      break;
    case SC_EVENT_PEER_LEFT:
      set_string (o, "reason", sc_leave_reason_to_string (e->peer_left.reason));
      break;
    case SC_EVENT_REPORTED:
      set_peer (o, &e->reported.peer);
      break;
    case SC_EVENT_STATS:
      if (e->stats.rtt_ms >= 0)
        json_object_set_int_member (o, "rtt_ms", (gint64) (e->stats.rtt_ms + 0.5));
      json_object_set_int_member (o, "kbps_in", (gint64) (e->stats.kbps_in + 0.5));
      json_object_set_int_member (o, "kbps_out", (gint64) (e->stats.kbps_out + 0.5));
      json_object_set_double_member (o, "loss", tenths (e->stats.loss_percent));
      break;
    case SC_EVENT_FRAME_DELAY:
      json_object_set_double_member (o, "ms", tenths (e->frame_delay.ms));
      break;
    case SC_EVENT_MUTE:
      json_object_set_boolean_member (o, "on", e->mute.on);
      break;
    case SC_EVENT_CAMERA:
      json_object_set_boolean_member (o, "on", e->camera.on);
      break;
    case SC_EVENT_SELF_VIEW:
      json_object_set_boolean_member (o, "on", e->self_view.on);
      break;
    case SC_EVENT_VIDEO:
      set_string (o, "mode", e->video.mode);
      break;
    case SC_EVENT_HELP:
      {
        JsonArray *list = json_array_new ();
        for (guint i = 0; e->help.commands && i < e->help.commands->len; i++)
          {
            const ScHelpEntry *entry = &g_array_index (e->help.commands, ScHelpEntry, i);
            JsonObject *item = json_object_new ();
            set_string (item, "cmd", entry->cmd);
            set_string (item, "usage", entry->usage);
            set_string (item, "summary", entry->summary);
            json_array_add_object_element (list, item);
          }
        json_object_set_array_member (o, "commands", list);
        break;
      }
    case SC_EVENT_STATUS:
      set_status (o, &e->status);
      break;
    case SC_EVENT_RECONNECTING:
      json_object_set_int_member (o, "attempt", e->reconnecting.attempt);
      json_object_set_int_member (o, "in_ms", e->reconnecting.in_ms);
      break;
    case SC_EVENT_RECONNECTED:
      json_object_set_boolean_member (o, "resumed", e->reconnected.resumed);
      break;
    case SC_EVENT_ERROR:
      set_string (o, "code", e->error.code);
      set_string (o, "message", e->error.message);
      break;
    case SC_EVENT_CHAT_OPEN:
    case SC_EVENT_BYE:
    case SC_EVENT_N_KINDS:
      break;
    }
  return sc_json_object_to_string (o);
}
