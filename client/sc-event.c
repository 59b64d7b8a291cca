/* sc-event.c: see sc-event.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include "sc-event.h"

static const char *const kind_names[SC_EVENT_N_KINDS] = {
  "signed-in", "waiting", "cooldown", "matched", "connected", "first-frame", "first-audio",
  "chat-open", "chat", "said", "peer-left", "reported", "stats", "frame-delay", "mute",
  "camera", "self", "video", "help", "status", "reconnecting", "reconnected", "error", "bye", "interests",
};

const char *
sc_event_kind_to_string (ScEventKind kind)
{
  g_return_val_if_fail (kind < SC_EVENT_N_KINDS, "?");
  return kind_names[kind];
}

ScEvent *
sc_event_new (ScEventKind kind)
{
  ScEvent *event = g_new0 (ScEvent, 1);
  event->kind = kind;
  return event;
}

static void
peer_ref_clear (ScPeerRef *peer)
{
  g_clear_pointer (&peer->name, g_free);
  g_clear_pointer (&peer->id, g_free);
}

void
sc_status_clear (ScStatus *status)
{
  g_clear_pointer (&status->server, g_free);
  g_clear_pointer (&status->name, g_free);
  g_clear_pointer (&status->id, g_free);
  g_clear_pointer (&status->peer.name, g_free);
  g_clear_pointer (&status->peer.id, g_free);
  g_clear_pointer (&status->call, g_free);
  g_clear_pointer (&status->video, g_free);
  g_clear_pointer (&status->video_source, g_free);
  g_clear_pointer (&status->interests, g_strfreev);
  g_clear_pointer (&status->language, g_free);
  g_clear_pointer (&status->audio_source, g_free);
}

void
sc_event_free (ScEvent *event)
{
  if (event == NULL)
    return;
  switch (event->kind)
    {
    case SC_EVENT_SIGNED_IN:
      g_free (event->signed_in.name);
      g_free (event->signed_in.id);
      break;
    case SC_EVENT_MATCHED:
      peer_ref_clear (&event->matched.peer);
      g_free (event->matched.call);
      g_strfreev (event->matched.common);
      break;
    case SC_EVENT_INTERESTS:
      g_strfreev (event->interests.list);
      break;
    case SC_EVENT_CHAT:
      g_free (event->chat.from);
      g_free (event->chat.text);
      break;
    case SC_EVENT_SAID:
      g_free (event->said.text);
      break;
    case SC_EVENT_PEER_LEFT:
      peer_ref_clear (&event->peer_left.peer);
      break;
    case SC_EVENT_REPORTED:
      peer_ref_clear (&event->reported.peer);
      break;
    case SC_EVENT_VIDEO:
      g_free (event->video.mode);
      break;
    case SC_EVENT_HELP:
      g_clear_pointer (&event->help.commands, g_array_unref);
      break;
    case SC_EVENT_STATUS:
      sc_status_clear (&event->status);
      break;
    case SC_EVENT_ERROR:
      g_free (event->error.code);
      g_free (event->error.message);
      break;
    default:
      break;
    }
  g_free (event);
}
