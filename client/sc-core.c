/* sc-core.c: see sc-core.h.
 *
 * Everything here runs on the main loop: the server link and the calls emit their
 * signals there. A call belongs to exactly one call id; anything that arrives for another id
 * (a late candidate from the previous peer, say) is dropped, so the next peer never
 * sees anything of the previous one.
 */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sc-core-private.h"

G_DEFINE_QUARK (sc-core-error-quark, sc_core_error)

const char *
sc_core_error_code (const GError *error)
{
  static const char *const codes[] = {
    [SC_CORE_ERROR_NOT_SIGNED_IN] = "not-signed-in",
    [SC_CORE_ERROR_NOT_IN_CALL] = "not-in-call",
    [SC_CORE_ERROR_CHAT_NOT_READY] = "chat-not-ready",
    [SC_CORE_ERROR_BAD_TEXT] = "bad-text",
    [SC_CORE_ERROR_CLOSING] = "closing",
    [SC_CORE_ERROR_BAD_MODE] = "bad-command",
    [SC_CORE_ERROR_BAD_INTERESTS] = "bad-interests",
  };
  if (error && error->domain == SC_CORE_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (codes))
    return codes[error->code];
  return "error";
}

G_DEFINE_FINAL_TYPE (ScCore, sc_core, G_TYPE_OBJECT)

enum { SIG_FINISHED, SIG_VIEW_REQUEST, N_SIGNALS };
static guint signals[N_SIGNALS];

const char *
sc_core_state_to_string (ScCoreState state)
{
  static const char *const names[] = {
    "connecting", "signing-in", "idle", "waiting", "matched", "in-call", "closing", "closed",
  };
  g_return_val_if_fail (state <= SC_CORE_CLOSED, "?");
  return names[state];
}

/* ---- Events ------------------------------------------------------------------------ */

void
core_emit (ScCore *self, ScEvent *event)
{
  event->t_ms = (sc_clock_now_us (self->clock) - self->start_us) / 1000;
  if (self->frontend)
    sc_frontend_handle_event (self->frontend, event);
  sc_event_free (event);
}

void
sc_core_report_error (ScCore *self, const char *code, const char *message)
{
  ScEvent *event = sc_event_new (SC_EVENT_ERROR);
  event->error.code = g_strdup (code);
  event->error.message = g_strdup (message);
  core_emit (self, event);
}

static void
peer_ref_set (ScCore *self, ScPeerRef *peer)
{
  peer->name = g_strdup (self->peer_name);
  peer->id = g_strdup (self->peer_id);
}

void
sc_core_get_status (ScCore *self, ScStatus *status)
{
  g_return_if_fail (SC_IS_CORE (self));
  *status = (ScStatus) { 0 };
  status->state = sc_core_state_to_string (self->state);
  status->server = g_strdup (self->server_url);
  status->name = g_strdup (self->name ? self->name : self->wanted_name);
  status->id = g_strdup (self->id);
  status->queue = self->queue;
  if (self->call_id)
    {
      status->in_call = TRUE;
      peer_ref_set (self, &status->peer);
      status->call = g_strdup (self->call_id);
      status->role = self->role;
      status->connected = self->call && sc_peer_call_is_connected (self->call);
      status->has_path = status->connected && sc_peer_call_get_path (self->call, &status->path);
      status->chat_open = self->call && sc_peer_call_is_channel_open (self->call);
    }
  status->mic_muted = self->media->mic_muted;
  status->camera_on = !self->media->camera_off;
  status->self_view = self->media->self_view;
  status->video_source = g_strdup (self->media->video_source);
  status->interests = self->interests ? g_strdupv (self->interests) : g_new0 (char *, 1);
  status->language = g_strdup (self->language);
  status->audio_source = g_strdup (self->media->audio_source);
  status->video = g_strdup (sc_core_get_video_mode (self));
  status->reconnecting = self->reconnecting;
}

const char *
sc_core_get_peer_name (ScCore *self)
{
  return self->peer_name;
}

gboolean
sc_core_get_chat_open (ScCore *self)
{
  return self->call && sc_peer_call_is_channel_open (self->call);
}

gboolean
sc_core_get_stats (ScCore *self, ScCallStats *stats)
{
  if (!self->have_stats)
    return FALSE;
  *stats = self->last_stats;
  return TRUE;
}

void
sc_core_report_status (ScCore *self)
{
  ScEvent *event = sc_event_new (SC_EVENT_STATUS);
  sc_core_get_status (self, &event->status);
  core_emit (self, event);
}

/* ---- Finishing --------------------------------------------------------------------- */

static void drop_spare (ScCore *self);

static void
stop_capture (ScCore *self)
{
  if (self->capturing)
    sc_call_factory_stop_capture (self->factory);
  self->capturing = FALSE;
}

void
core_finish (ScCore *self, int exit_code)
{
  if (self->state == SC_CORE_CLOSED)
    return;
  self->state = SC_CORE_CLOSED;
  self->exit_code = exit_code;
  sc_clock_clear_timeout (self->clock, &self->close_timeout);
  /* Finished for good, and main() returns soon after: every call (the calls made ahead
   * included) goes to the reaper now, so that sc_media_finish() waits for them. Left to
   * dispose, after main() had returned, a call still making its offer ran into exit()'s
   * OpenSSL clean-up and crashed (a client refusing an untrusted server, 1 run in 4). */
  core_end_call (self);
  drop_spare (self);
  stop_capture (self);
  core_emit (self, sc_event_new (SC_EVENT_BYE));
  g_signal_emit (self, signals[SIG_FINISHED], 0, exit_code);
}

/* ---- The call ---------------------------------------------------------------------- */

static gboolean
spare_missing (ScCore *self)
{
  return self->spare == NULL || (self->offer_ahead && self->spare_offer == NULL);
}

/* A skip's next call is made while the current one runs (or while we wait), not after
 * the match: building webrtcbin and starting its pipeline is off the critical path.
 * Two of them, since the server gives the role only with the match: a plain one for
 * the answerer (webrtcbin cannot take back an offer it has made), and one that has
 * already made its offer and gathered its candidates for the offerer, who then sends
 * them the moment it is matched. One call per idle turn, at low priority, so that
 * building never delays a call being set up. */
static gboolean
make_spare_cb (gpointer data)
{
  ScCore *self = data;
  if (!self->capturing || self->state == SC_CORE_CLOSING || self->state == SC_CORE_CLOSED)
    {
      self->spare_source = 0;
      return G_SOURCE_REMOVE;
    }
  g_autoptr(GError) error = NULL;
  if (self->spare == NULL)
    {
      self->spare = sc_call_factory_new_call (self->factory, self->media, &error);
      if (self->spare == NULL)
        {
          g_warning ("cannot prepare the next call: %s", error->message);
          self->spare_source = 0;
          return G_SOURCE_REMOVE;
        }
    }
  else if (self->offer_ahead && self->spare_offer == NULL)
    {
      g_autoptr(ScPeerCall) call = sc_call_factory_new_call (self->factory, self->media, &error);
      if (call == NULL || !sc_peer_call_prepare_offer (call, &error))
        {
          /* The plain spare still serves both roles. */
          g_warning ("cannot make an offer ahead of the match: %s", error->message);
          if (call)
            sc_peer_call_stop (call);
          self->offer_ahead = FALSE;
        }
      else
        self->spare_offer = g_steal_pointer (&call);
    }
  if (spare_missing (self))
    return G_SOURCE_CONTINUE;
  self->spare_source = 0;
  return G_SOURCE_REMOVE;
}

void
core_schedule_spare (ScCore *self)
{
  if (spare_missing (self) && self->spare_source == 0 && self->capturing)
    self->spare_source = g_idle_add_full (G_PRIORITY_LOW, make_spare_cb, self, NULL);
}

static void
drop_spare_call (ScPeerCall **call)
{
  if (*call)
    {
      sc_peer_call_stop (*call);
      g_clear_object (call);
    }
}

static void
drop_spare (ScCore *self)
{
  g_clear_handle_id (&self->spare_source, g_source_remove);
  drop_spare_call (&self->spare);
  drop_spare_call (&self->spare_offer);
}

static void
drop_held_chat (ScCore *self)
{
  guint n = g_queue_get_length (&self->held_chat);
  if (n == 0)
    return;
  g_queue_clear_full (&self->held_chat, g_free);
  if (self->state == SC_CORE_CLOSING || self->state == SC_CORE_CLOSED)
    return;
  g_autoptr(GError) error = g_error_new (
    SC_CORE_ERROR, SC_CORE_ERROR_CHAT_NOT_READY,
    g_dngettext (GETTEXT_PACKAGE, "The call ended before the chat connected: %u line was not sent.",
                 "The call ended before the chat connected: %u lines were not sent.", n), n);
  sc_core_report_error (self, sc_core_error_code (error), error->message);
}

void
core_end_call (ScCore *self)
{
  drop_held_chat (self);
  if (self->call)
    {
      g_signal_handlers_disconnect_by_data (self->call, self);
      sc_peer_call_stop (self->call);
      g_clear_object (&self->call);
    }
  g_clear_pointer (&self->call_id, g_free);
  g_clear_pointer (&self->peer_id, g_free);
  g_clear_pointer (&self->peer_name, g_free);
  self->have_stats = FALSE;
  core_schedule_spare (self);
}

/* Everything for the server goes through here: while reconnecting it waits (bounded)
 * and goes out once the session is back. */
static void
send_msg (ScCore *self, const ScMessage *msg)
{
  if (!self->reconnecting)
    {
      sc_server_link_send (self->link, msg);
      return;
    }
  if (self->pending.length >= PENDING_MAX)
    return;
  ScMessage *copy = sc_message_copy (msg);
  if (copy)
    g_queue_push_tail (&self->pending, copy);
}

static void
send_simple (ScCore *self, ScMessageType type)
{
  g_autoptr(ScMessage) msg = sc_message_new (type);
  send_msg (self, msg);
}

static void
on_local_description (ScPeerCall *call, const char *type, const char *sdp, gpointer data)
{
  ScCore *self = data;
  g_autoptr(ScMessage) msg = sc_message_new (g_str_equal (type, "offer") ? SC_MSG_OFFER
                                                                          : SC_MSG_ANSWER);
  msg->call = g_strdup (self->call_id);
  msg->sdp = g_strdup (sdp);
  send_msg (self, msg);
}

static void
on_local_candidate (ScPeerCall *call, guint mline, const char *candidate, gpointer data)
{
  ScCore *self = data;
  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_CANDIDATE);
  msg->call = g_strdup (self->call_id);
  msg->mline = mline;
  msg->candidate = g_strdup (candidate);
  send_msg (self, msg);
}

static void
on_call_connected (ScPeerCall *call, gpointer data)
{
  ScCore *self = data;
  self->state = SC_CORE_IN_CALL;
  ScEvent *event = sc_event_new (SC_EVENT_CONNECTED);
  event->connected.has_path = sc_peer_call_get_path (call, &event->connected.path);
  core_emit (self, event);
}

static void
on_first_frame (ScPeerCall *call, guint width, guint height, gpointer data)
{
  ScCore *self = data;
  ScEvent *event = sc_event_new (SC_EVENT_FIRST_FRAME);
  event->first_frame.width = width;
  event->first_frame.height = height;
  core_emit (self, event);
  core_schedule_spare (self);
}

static void
on_frame_delay (ScPeerCall *call, double ms, gpointer data)
{
  ScCore *self = data;
  ScEvent *event = sc_event_new (SC_EVENT_FRAME_DELAY);
  event->frame_delay.ms = ms;
  core_emit (self, event);
}

static void
on_first_audio (ScPeerCall *call, guint rate, guint channels, gpointer data)
{
  ScCore *self = data;
  ScEvent *event = sc_event_new (SC_EVENT_FIRST_AUDIO);
  event->first_audio.rate = rate;
  event->first_audio.channels = channels;
  core_emit (self, event);
}

static void
on_video_frame (ScPeerCall *call, gpointer frame, gpointer data)
{
  ScCore *self = data;
  if (self->frontend)
    sc_frontend_video_frame (self->frontend, frame);
}

static void
on_stats (ScPeerCall *call, gpointer ptr, gpointer data)
{
  ScCore *self = data;
  const ScCallStats *stats = ptr;
  self->last_stats = *stats;
  self->have_stats = TRUE;
  ScEvent *event = sc_event_new (SC_EVENT_STATS);
  event->stats = *stats;
  core_emit (self, event);
}

static gboolean send_chat (ScCore *self, const char *text, GError **error);

static void
on_channel_open (ScPeerCall *call, gpointer data)
{
  ScCore *self = data;
  core_emit (self, sc_event_new (SC_EVENT_CHAT_OPEN));

  char *text;
  while ((text = g_queue_pop_head (&self->held_chat)) != NULL)
    {
      g_autofree char *owned = text;
      g_autoptr(GError) error = NULL;
      if (!send_chat (self, owned, &error))
        sc_core_report_error (self, sc_core_error_code (error), error->message);
    }
}

static void
on_data_received (ScPeerCall *call, const char *data_text, gpointer data)
{
  ScCore *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sc_peer_chat_decode (data_text, strlen (data_text), &error);
  if (text == NULL || !sc_text_validate_chat (text, &error))
    {
      /* A stranger's malformed message is dropped, not shown. */
      g_info ("dropped a message from the peer: %s", error->message);
      return;
    }
  ScEvent *event = sc_event_new (SC_EVENT_CHAT);
  event->chat.from = g_strdup (self->peer_name);
  event->chat.text = g_strdup (text);
  core_emit (self, event);
}

/* The call is over because of the peer: told by the server, or found out here. Either
 * way we are (or are going) back in the lobby. */
static void
peer_gone (ScCore *self, ScLeaveReason reason)
{
  ScEvent *event = sc_event_new (SC_EVENT_PEER_LEFT);
  event->peer_left.reason = reason;
  peer_ref_set (self, &event->peer_left.peer);
  core_end_call (self);
  self->state = SC_CORE_WAITING;
  core_emit (self, event);
}

/* The call ended without the server's word: the peer is as good as gone. */
void
core_lose_call (ScCore *self)
{
  peer_gone (self, SC_LEAVE_LOST);
}

static void
on_call_failed (ScPeerCall *call, const char *message, gpointer data)
{
  ScCore *self = data;
  g_warning ("call %s failed: %s", self->call_id, message);
  sc_core_report_error (self, "call-failed", message);
  if (self->state != SC_CORE_MATCHED && self->state != SC_CORE_IN_CALL)
    return;
  /* A dead peer-to-peer link (ICE failure, no media any more) means the peer is gone as
   * far as we can tell: say so to the server, which ends the pair at once and tells the
   * partner "lost", and go back to the lobby. */
  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_CALL_FAILED);
  msg->call = g_strdup (self->call_id);
  send_msg (self, msg);
  core_lose_call (self);
}

static GStrv
ice_uris_for (ScCore *self, const ScMessage *matched)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;

  if (self->media->stun || self->media->turn)
    {
      /* Options on the command line replace what the server hands out. */
      const char *urls[] = { self->media->stun, self->media->turn };
      for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
        {
          if (urls[i] == NULL)
            continue;
          g_autofree char *uri = sc_ice_uri_from_url (urls[i], NULL, NULL, &error);
          if (uri)
            g_strv_builder_add (builder, uri);
          else
            g_warning ("%s", error->message);
          g_clear_error (&error);
        }
      return g_strv_builder_end (builder);
    }

  for (guint i = 0; i < matched->ice_servers->len; i++)
    {
      const ScIceServer *server = g_ptr_array_index (matched->ice_servers, i);
      for (guint j = 0; server->urls[j]; j++)
        {
          g_autofree char *uri = sc_ice_uri_from_url (server->urls[j], server->username,
                                                      server->credential, &error);
          if (uri)
            g_strv_builder_add (builder, uri);
          else
            g_warning ("ICE server from the server ignored: %s", error->message);
          g_clear_error (&error);
        }
    }
  return g_strv_builder_end (builder);
}

void
core_handle_matched (ScCore *self, const ScMessage *msg)
{
  core_end_call (self);

  g_auto(GStrv) ice_uris = ice_uris_for (self, msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *shown_name = sc_text_sanitize (msg->peer_name, SC_NAME_MAX_CHARS);

  self->call_id = g_strdup (msg->call);
  self->peer_id = g_strdup (msg->peer_id);
  self->peer_name = g_strdup (msg->peer_name);
  self->role = msg->role;
  self->state = SC_CORE_MATCHED;

  ScEvent *event = sc_event_new (SC_EVENT_MATCHED);
  peer_ref_set (self, &event->matched.peer);
  event->matched.call = g_strdup (self->call_id);
  event->matched.role = self->role;
  {
    /* The server's words: bounded and made safe to show like any name. */
    g_autoptr(GStrvBuilder) common = g_strv_builder_new ();
    for (guint i = 0; msg->interests && msg->interests[i] && i < SC_INTERESTS_MAX; i++)
      {
        g_autofree char *shown = sc_text_sanitize (msg->interests[i], SC_INTEREST_MAX_CHARS);
        if (*shown)
          g_strv_builder_add (common, shown);
      }
    event->matched.common = g_strv_builder_end (common);
  }
  core_emit (self, event);

  /* An offer made ahead has no STUN or TURN candidates: with those servers in use (they
   * come with each match), every call makes its offer after the match. */
  gboolean with_ice_servers = ice_uris && ice_uris[0];
  self->offer_ahead = !with_ice_servers && !self->media->relay_only;
  if (!self->offer_ahead)
    drop_spare_call (&self->spare_offer);
  if (self->role == SC_ROLE_OFFERER && self->spare_offer)
    self->call = g_steal_pointer (&self->spare_offer);
  else
    self->call = g_steal_pointer (&self->spare);
  g_clear_handle_id (&self->spare_source, g_source_remove);
  if (self->call == NULL)
    self->call = sc_call_factory_new_call (self->factory, self->media, &error);
  if (self->call)
    {
      g_signal_connect (self->call, "local-description", G_CALLBACK (on_local_description), self);
      g_signal_connect (self->call, "local-candidate", G_CALLBACK (on_local_candidate), self);
      g_signal_connect (self->call, "connected", G_CALLBACK (on_call_connected), self);
      g_signal_connect (self->call, "first-frame", G_CALLBACK (on_first_frame), self);
      g_signal_connect (self->call, "first-audio", G_CALLBACK (on_first_audio), self);
      g_signal_connect (self->call, "video-frame", G_CALLBACK (on_video_frame), self);
      g_signal_connect (self->call, "stats", G_CALLBACK (on_stats), self);
      g_signal_connect (self->call, "frame-delay", G_CALLBACK (on_frame_delay), self);
      /* Made ahead, the call may have an older choice. */
      sc_peer_call_set_self_view (self->call, self->media->self_view);
      if (self->have_video_target)
        sc_peer_call_set_video_target (self->call, &self->video_target);
      g_signal_connect (self->call, "channel-open", G_CALLBACK (on_channel_open), self);
      g_signal_connect (self->call, "data-received", G_CALLBACK (on_data_received), self);
      g_signal_connect (self->call, "failed", G_CALLBACK (on_call_failed), self);
    }
  if (self->call == NULL ||
      !sc_peer_call_start (self->call, self->role == SC_ROLE_OFFERER, shown_name,
                      (const char *const *) ice_uris, &error))
    {
      /* Without working media no call can succeed: say why and stop. */
      sc_core_report_error (self, "media", error->message);
      self->exit_code = 1;
      sc_core_quit (self);
    }
}

void
core_handle_description (ScCore *self, const ScMessage *msg)
{
  g_autoptr(GError) error = NULL;
  const char *type = msg->type == SC_MSG_OFFER ? "offer" : "answer";
  if (!sc_peer_call_set_remote_description (self->call, type, msg->sdp, &error))
    {
      sc_core_report_error (self, "bad-sdp", error->message);
      sc_core_next (self, NULL);
    }
}

void
core_handle_peer_left (ScCore *self, const ScMessage *msg)
{
  peer_gone (self, msg->reason);   /* the server has put us back in the lobby */
}

/* ---- Commands ----------------------------------------------------------------------- */

gboolean
sc_core_next (ScCore *self, GError **error)
{
  switch (self->state)
    {
    case SC_CORE_CONNECTING:
    case SC_CORE_SIGNING_IN:
      g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_NOT_SIGNED_IN,
                           _("Not signed in yet."));
      return FALSE;
    case SC_CORE_CLOSING:
    case SC_CORE_CLOSED:
      g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_CLOSING, _("Quitting."));
      return FALSE;
    case SC_CORE_WAITING:
      return TRUE;   /* already looking for someone */
    case SC_CORE_IDLE:
    case SC_CORE_MATCHED:
    case SC_CORE_IN_CALL:
      break;
    }
  /* Tell the server first: it pairs us again while the old call is torn down. The call
   * is named, so a skip that crosses the peer's own skip cannot end our next call. */
  g_autoptr(ScMessage) next = sc_message_new (SC_MSG_NEXT);
  next->call = g_strdup (self->call_id);
  send_msg (self, next);
  core_end_call (self);
  self->state = SC_CORE_WAITING;
  return TRUE;
}

/* Reports the peer of this call: the server ends the call and the two never meet
 * again. Like next, the client goes back to the lobby. */
gboolean
sc_core_report_peer (ScCore *self, const char *reason, GError **error)
{
  if (self->call_id == NULL)
    {
      g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_NOT_IN_CALL,
                           _("You are not in a call."));
      return FALSE;
    }
  if (reason && g_utf8_strlen (reason, -1) > SC_REPORT_REASON_MAX / 4)
    {
      g_set_error (error, SC_CORE_ERROR, SC_CORE_ERROR_BAD_TEXT,
                   _("The reason is longer than %d characters."), SC_REPORT_REASON_MAX / 4);
      return FALSE;
    }
  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_REPORT);
  msg->call = g_strdup (self->call_id);
  msg->report_reason = g_strdup (reason ? reason : "");
  send_msg (self, msg);

  ScEvent *event = sc_event_new (SC_EVENT_REPORTED);
  peer_ref_set (self, &event->reported.peer);
  core_emit (self, event);

  core_end_call (self);
  self->state = SC_CORE_WAITING;
  return TRUE;
}

static gboolean
send_chat (ScCore *self, const char *text, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *wire = sc_peer_chat_encode (text);
  if (!sc_peer_call_send_data (self->call, wire, &local))
    {
      g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_CHAT_NOT_READY, local->message);
      return FALSE;
    }
  ScEvent *event = sc_event_new (SC_EVENT_SAID);
  event->said.text = g_strdup (text);
  core_emit (self, event);
  return TRUE;
}

gboolean
sc_core_say (ScCore *self, const char *text, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!sc_text_validate_chat (text, &local))
    {
      g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_BAD_TEXT, local->message);
      return FALSE;
    }
  if (self->call == NULL)
    {
      g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_NOT_IN_CALL,
                           _("You are not in a call."));
      return FALSE;
    }
  if (!sc_peer_call_is_channel_open (self->call) || !g_queue_is_empty (&self->held_chat))
    {
      /* Held, in order, until the chat opens; "said" tells when it went. */
      if (g_queue_get_length (&self->held_chat) >= CHAT_HELD_MAX)
        {
          g_set_error (error, SC_CORE_ERROR, SC_CORE_ERROR_CHAT_NOT_READY,
                       _("The chat is not connected yet, and %u lines already wait for it."),
                       (guint) CHAT_HELD_MAX);
          return FALSE;
        }
      g_queue_push_tail (&self->held_chat, g_strdup (text));
      return TRUE;
    }
  return send_chat (self, text, error);
}

void
sc_core_set_mic_muted (ScCore *self, gboolean muted)
{
  self->media->mic_muted = muted;
  if (self->capturing)
    sc_call_factory_set_mic_muted (self->factory, muted);
  ScEvent *event = sc_event_new (SC_EVENT_MUTE);
  event->mute.on = muted;
  core_emit (self, event);
}

void
sc_core_set_camera_on (ScCore *self, gboolean on)
{
  self->media->camera_off = !on;
  if (self->capturing)
    sc_call_factory_set_camera_off (self->factory, !on);
  ScEvent *event = sc_event_new (SC_EVENT_CAMERA);
  event->camera.on = on;
  core_emit (self, event);
}

void
sc_core_set_self_view (ScCore *self, gboolean on)
{
  self->media->self_view = on;
  if (self->call)
    sc_peer_call_set_self_view (self->call, on);
  ScEvent *event = sc_event_new (SC_EVENT_SELF_VIEW);
  event->self_view.on = on;
  core_emit (self, event);
}

static GStrv
normalized_interests (const char *const *list, GError **error)
{
  g_autoptr(GError) local = NULL;
  GStrv out = sc_text_normalize_interests (list, &local);
  if (out == NULL)
    g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_BAD_INTERESTS, local->message);
  return out;
}

void
sc_core_set_preferences (ScCore *self, const char *const *interests, const char *language)
{
  g_return_if_fail (language == NULL || sc_text_is_language (language));
  g_strfreev (self->interests);
  self->interests = interests ? g_strdupv ((GStrv) interests) : g_new0 (char *, 1);
  g_free (self->language);
  self->language = g_strdup (language);
}

/* Tells the server what the user shares now (a new list, or a new session). */
void
core_send_interests (ScCore *self)
{
  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_INTERESTS);
  msg->interests = g_strdupv (self->interests);
  msg->language = g_strdup (self->language);
  sc_server_link_send (self->link, msg);
}

gboolean
sc_core_set_interests (ScCore *self, const char *const *interests, GError **error)
{
  GStrv list = normalized_interests (interests, error);
  if (list == NULL)
    return FALSE;
  g_strfreev (self->interests);
  self->interests = list;
  if (self->id && !self->reconnecting)
    core_send_interests (self);
  ScEvent *event = sc_event_new (SC_EVENT_INTERESTS);
  event->interests.list = g_strdupv (self->interests);
  core_emit (self, event);
  return TRUE;
}

gboolean
sc_core_get_self_view (ScCore *self)
{
  return self->media->self_view;
}

gboolean
sc_core_has_camera (ScCore *self)
{
  return !g_str_equal (self->media->video_source, "card");
}

gboolean
sc_core_has_microphone (ScCore *self)
{
  return !g_str_equal (self->media->audio_source, "none");
}

gboolean
sc_core_get_mic_muted (ScCore *self)
{
  return self->media->mic_muted;
}

gboolean
sc_core_get_camera_on (ScCore *self)
{
  return !self->media->camera_off;
}

/* The remote video's mode as users name it: window, terminal or off (or a custom
 * pipeline given on the command line, shown as "custom"). */
const char *
sc_core_get_video_mode (ScCore *self)
{
  switch (sc_media_config_get_video_output (self->media))
    {
    case SC_VIDEO_OUTPUT_WINDOW: return "window";
    case SC_VIDEO_OUTPUT_TERMINAL: return "terminal";
    case SC_VIDEO_OUTPUT_NONE: return "off";
    case SC_VIDEO_OUTPUT_PIPELINE: return "custom";
    }
  return "off";
}

gboolean
sc_core_set_video_mode (ScCore *self, const char *mode, GError **error)
{
  static const char *const modes[] = { "window", "terminal", "off", NULL };
  if (g_str_equal (mode, "cycle"))
    {
      /* terminal → window → off → terminal; a window only where there is a display. */
      gboolean display = g_getenv ("DISPLAY") || g_getenv ("WAYLAND_DISPLAY");
      const char *now = sc_core_get_video_mode (self);
      if (g_str_equal (now, "terminal"))
        mode = display ? "window" : "off";
      else if (g_str_equal (now, "window"))
        mode = "off";
      else
        mode = "terminal";
    }
  if (!g_strv_contains (modes, mode))
    {
      g_set_error (error, SC_CORE_ERROR, SC_CORE_ERROR_BAD_MODE,
                   _("Video mode must be window, terminal or off, not “%.32s”."), mode);
      return FALSE;
    }
  g_free (self->media->video_sink);
  self->media->video_sink = g_strdup (g_str_equal (mode, "off") ? "none" : mode);
  if (self->call)
    sc_peer_call_set_video_output (self->call, sc_media_config_get_video_output (self->media));
  /* The prepared call was made for the old mode. */
  drop_spare (self);
  core_schedule_spare (self);
  ScEvent *event = sc_event_new (SC_EVENT_VIDEO);
  event->video.mode = g_strdup (mode);
  core_emit (self, event);
  return TRUE;
}

void
sc_core_set_video_target (ScCore *self, const ScVideoTarget *target)
{
  self->video_target = *target;
  self->have_video_target = TRUE;
  if (self->call)
    sc_peer_call_set_video_target (self->call, target);
}

/* Answered with a "help" event listing every command of the one command table. */
void
sc_core_report_help (ScCore *self)
{
  guint n;
  const ScCommand *commands = sc_command_table (&n);
  ScEvent *event = sc_event_new (SC_EVENT_HELP);
  event->help.commands = g_array_sized_new (FALSE, FALSE, sizeof (ScHelpEntry), n);
  for (guint i = 0; i < n; i++)
    {
      ScHelpEntry entry = { commands[i].name, commands[i].usage, _(commands[i].summary) };
      g_array_append_val (event->help.commands, entry);
    }
  core_emit (self, event);
}

static gboolean
close_timeout_cb (gpointer data)
{
  ScCore *self = data;
  self->close_timeout = 0;
  g_debug ("the server did not acknowledge the close in time");
  core_finish (self, self->exit_code);
  return G_SOURCE_REMOVE;
}

/**
 * sc_core_quit:
 * Leaves cleanly: ends the call, tells the server (so the partner hears "left", not
 * "lost"), closes the socket and emits "bye" once the server has closed it too.
 */
void
sc_core_quit (ScCore *self)
{
  if (self->state == SC_CORE_CLOSING || self->state == SC_CORE_CLOSED)
    return;

  gboolean open = sc_server_link_is_open (self->link) && !self->reconnecting;
  self->state = SC_CORE_CLOSING;
  core_end_call (self);
  drop_spare (self);
  g_cancellable_cancel (self->cancellable);
  sc_clock_clear_timeout (self->clock, &self->reconnect_source);
  self->state = SC_CORE_CLOSING;
  if (!open)
    {
      core_finish (self, self->exit_code);
      return;
    }
  send_simple (self, SC_MSG_LEAVE);
  self->close_timeout = sc_clock_add_timeout (self->clock, CLOSE_TIMEOUT_MS, close_timeout_cb, self);
  sc_server_link_close (self->link);
}

ScCoreState
sc_core_get_state (ScCore *self)
{
  return self->state;
}

void
sc_core_set_frontend (ScCore *self, ScFrontend *frontend)
{
  self->frontend = frontend;
}

static void
sc_core_dispose (GObject *object)
{
  ScCore *self = SC_CORE (object);
  self->state = SC_CORE_CLOSED;
  core_end_call (self);
  drop_spare (self);
  stop_capture (self);
  g_clear_object (&self->factory);
  sc_clock_clear_timeout (self->clock, &self->close_timeout);
  sc_clock_clear_timeout (self->clock, &self->reconnect_source);
  g_queue_clear_full (&self->pending, (GDestroyNotify) sc_message_free);
  if (self->link)
    g_signal_handlers_disconnect_by_data (self->link, self);
  g_clear_object (&self->link);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sc_core_parent_class)->dispose (object);
}

static void
sc_core_finalize (GObject *object)
{
  ScCore *self = SC_CORE (object);
  g_free (self->server_url);
  g_free (self->wanted_name);
  g_strfreev (self->interests);
  g_free (self->language);
  g_free (self->id);
  g_free (self->name);
  g_free (self->token);
  g_free (self->nonce);
  sc_media_config_free (self->media);
  sc_identity_free (self->identity);
  G_OBJECT_CLASS (sc_core_parent_class)->finalize (object);
}

static void
sc_core_class_init (ScCoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_core_dispose;
  object_class->finalize = sc_core_finalize;

  /**
   * ScCore::finished:
   * @exit_code: 0 after a clean quit, non-zero after a failure
   *
   * The last thing the core does; "bye" has been reported.
   */
  signals[SIG_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * ScCore::view-request:
   * @what: "redraw", "scroll-up" or "scroll-down"
   *
   * A command for the front end's view alone (/redraw, /scroll): the panel acts on it;
   * the headless front end has no view and ignores it.
   */
  signals[SIG_VIEW_REQUEST] = g_signal_new ("view-request", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
sc_core_request_view (ScCore *self, const char *what)
{
  g_return_if_fail (SC_IS_CORE (self));
  g_signal_emit (self, signals[SIG_VIEW_REQUEST], 0, what);
}

static void
sc_core_init (ScCore *self)
{
  self->clock = sc_clock_get_system ();
  self->start_us = sc_clock_now_us (self->clock);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->pending);
  g_queue_init (&self->held_chat);
}

ScCore *
sc_core_new (ScServerLink *link, ScCallFactory *factory, const char *server_url,
             const char *name, const ScMediaConfig *media, ScIdentity *identity)
{
  g_return_val_if_fail (SC_IS_SERVER_LINK (link), NULL);
  g_return_val_if_fail (SC_IS_CALL_FACTORY (factory), NULL);
  ScCore *self = g_object_new (SC_TYPE_CORE, NULL);
  self->identity = identity;
  self->server_url = g_strdup (server_url);
  self->wanted_name = g_strdup (name);
  self->media = sc_media_config_copy (media);
  self->offer_ahead = !self->media->relay_only;
  self->factory = g_object_ref (factory);
  self->link = g_object_ref (link);
  g_signal_connect (self->link, "message", G_CALLBACK (core_on_server_message), self);
  g_signal_connect (self->link, "protocol-error", G_CALLBACK (core_on_server_protocol_error), self);
  g_signal_connect (self->link, "closed", G_CALLBACK (core_on_server_closed), self);
  return self;
}

void
sc_core_set_clock (ScCore *self, const ScClock *clock)
{
  g_return_if_fail (self->state == SC_CORE_CONNECTING && !self->capturing);
  self->clock = clock;
  self->start_us = sc_clock_now_us (clock);
}
