/* sc-core-session.c: the client's server session: signing in, what the server says
 * (routed to the call's phases in sc-core.c), the connection and its reconnecting,
 * with a ticket that resumes the session where the server still holds it. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sc-core-private.h"

/* ---- Messages from the server ------------------------------------------------------- */

static void
send_sign_in (ScCore *self)
{
  g_autoptr(ScMessage) sign_in = sc_message_new (SC_MSG_SIGN_IN);
  sign_in->version = SC_PROTOCOL_VERSION;
  sign_in->name = g_strdup (self->wanted_name);
  sign_in->interests = g_strdupv (self->interests);
  sign_in->language = g_strdup (self->language);
  if (self->identity && self->nonce)
    {
      sign_in->key = sc_identity_public_key (self->identity);
      sign_in->signature = sc_identity_sign_in (self->identity, self->nonce, self->wanted_name);
    }
  sc_server_link_send (self->link, sign_in);
}

static void
handle_signed_in (ScCore *self, const ScMessage *msg)
{
  gboolean was_reconnecting = self->reconnecting;
  g_free (self->id);
  g_free (self->name);
  g_free (self->token);
  self->id = g_strdup (msg->id);
  self->name = g_strdup (msg->name);
  self->token = g_strdup (msg->token);

  if (!was_reconnecting)
    {
      self->state = SC_CORE_IDLE;
      ScEvent *event = sc_event_new (SC_EVENT_SIGNED_IN);
      event->signed_in.name = g_strdup (self->name);
      event->signed_in.id = g_strdup (self->id);
      core_emit (self, event);
      return;
    }

  self->reconnecting = FALSE;
  self->reconnect_attempt = 0;
  ScEvent *event = sc_event_new (SC_EVENT_RECONNECTED);
  event->reconnected.resumed = msg->resumed;
  core_emit (self, event);

  if (!msg->resumed)
    {
      /* A new session (the old one ended, or the server restarted): whatever was in
       * flight belonged to the old one. */
      g_queue_clear_full (&self->pending, (GDestroyNotify) sc_message_free);
      if (self->call_id)
        core_lose_call (self);
      self->state = SC_CORE_IDLE;
      /* The new session knows nothing of the user's interests and language. */
      if ((self->interests && self->interests[0]) || self->language)
        core_send_interests (self);
      return;
    }
  /* The same session: what waited goes out now, in order. */
  if (self->call_id && g_strcmp0 (msg->call, self->call_id) != 0)
    {
      /* Our call ended while we were away. Its peer-left is probably among the held
       * messages that follow; if not (it went to the dead socket), "waiting" says so. */
      self->resync_call = TRUE;
    }
  while (!g_queue_is_empty (&self->pending))
    {
      g_autoptr(ScMessage) pending = g_queue_pop_head (&self->pending);
      sc_server_link_send (self->link, pending);
    }
}

static gboolean
is_current_call (ScCore *self, const ScMessage *msg)
{
  return self->call != NULL && g_strcmp0 (self->call_id, msg->call) == 0;
}

void
core_on_server_message (ScServerLink *link, gpointer ptr, gpointer data)
{
  ScCore *self = data;
  const ScMessage *msg = ptr;

  if (self->state == SC_CORE_CLOSING || self->state == SC_CORE_CLOSED)
    return;

  switch (msg->type)
    {
    case SC_MSG_HELLO:
      g_free (self->nonce);
      self->nonce = g_strdup (msg->nonce);
      /* Opened with a ticket, the session comes back by itself (or "bad-ticket" says
       * to sign in after all). */
      if (self->state == SC_CORE_SIGNING_IN || (self->reconnecting && !self->used_ticket))
        send_sign_in (self);
      break;

    case SC_MSG_SIGNED_IN:
      handle_signed_in (self, msg);
      break;

    case SC_MSG_SESSION:
      g_free (self->token);
      self->token = g_strdup (msg->token);
      break;

    case SC_MSG_WAITING:
      if (self->resync_call && self->call_id)
        {
          /* Resumed, but our call was not the server's any more and no word of its end
           * came: it ended while we were away. */
          self->resync_call = FALSE;
          core_lose_call (self);
        }
      self->resync_call = FALSE;
      if (self->state == SC_CORE_MATCHED || self->state == SC_CORE_IN_CALL)
        break;   /* stale: a match has overtaken it */
      self->state = SC_CORE_WAITING;
      self->queue = msg->queue;
      {
        ScEvent *event = sc_event_new (SC_EVENT_WAITING);
        event->waiting.queue = msg->queue;
        core_emit (self, event);
      }
      break;

    case SC_MSG_COOLDOWN:
      /* We skipped faster than the server's limit: the call has ended all the same, and
       * the server puts us back in the lobby (with "waiting") after @ms. */
      {
        ScEvent *event = sc_event_new (SC_EVENT_COOLDOWN);
        event->cooldown.ms = msg->ms;
        core_emit (self, event);
      }
      break;

    case SC_MSG_MATCHED:
      /* After a resume the server repeats the pair, which we may know already. */
      if (g_strcmp0 (msg->call, self->call_id) == 0)
        break;
      if (self->resync_call && self->call_id)
        {
          /* Resumed into a call we never heard of: ours ended while we were away, and
           * its peer-left (and this matched) went to the dead socket. Its end comes
           * first, so every matched follows the end of the call before. */
          core_lose_call (self);
        }
      self->resync_call = FALSE;
      core_handle_matched (self, msg);
      break;

    case SC_MSG_OFFER:
    case SC_MSG_ANSWER:
      if (is_current_call (self, msg))
        core_handle_description (self, msg);
      break;

    case SC_MSG_CANDIDATE:
      if (is_current_call (self, msg))
        sc_peer_call_add_remote_candidate (self->call, msg->mline, msg->candidate);
      break;

    case SC_MSG_PEER_LEFT:
      if (g_strcmp0 (self->call_id, msg->call) == 0)
        core_handle_peer_left (self, msg);
      break;

    case SC_MSG_ERROR:
      if (g_strcmp0 (msg->code, "bad-ticket") == 0 && self->reconnecting)
        {
          /* The ticket did not take (expired on the way, or another node): sign in. */
          g_info ("the server refused the ticket; signing in again");
          self->used_ticket = FALSE;
          send_sign_in (self);
          break;
        }
      sc_core_report_error (self, msg->code, msg->message);
      if (self->state == SC_CORE_SIGNING_IN || self->reconnecting ||
          g_strcmp0 (msg->code, "replaced") == 0 || g_strcmp0 (msg->code, "banned") == 0)
        {
          /* Refused at sign-in (bad name, wrong version, a ban), or this session went on
           * elsewhere: nothing else can work, and reconnecting would fight the other. */
          self->exit_code = 1;
          sc_core_quit (self);
        }
      break;

    default:
      g_debug ("ignored %s from the server", sc_message_type_to_string (msg->type));
      break;
    }
}

void
core_on_server_protocol_error (ScServerLink *link, GError *error, gpointer data)
{
  g_warning ("bad message from the server: %s", error->message);
}

static void connect_now (ScCore *self, const char *ticket);
static void schedule_reconnect (ScCore *self);

void
core_on_server_closed (ScServerLink *link, gpointer data)
{
  ScCore *self = data;

  if (self->state == SC_CORE_CLOSING)
    {
      core_end_call (self);
      core_finish (self, self->exit_code);
      return;
    }
  if (self->state == SC_CORE_CLOSED)
    return;
  if (self->token == NULL)
    {
      /* Never signed in: there is no session to go back to. */
      core_end_call (self);
      sc_core_report_error (self, "server-lost", _("The connection to the server was lost."));
      core_finish (self, 1);
      return;
    }
  /* A running call is peer to peer and goes on; only signalling waits. */
  g_info ("the connection to the server dropped; reconnecting");
  self->reconnecting = TRUE;
  schedule_reconnect (self);
}

static void
connect_failed (ScCore *self, GError *error)
{
  if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *text = g_strdup_printf (
        _("The server at %s did not prove who it is (%s). If it uses a certificate of your "
          "own authority, pass it with --ca-file."), self->server_url, error->message);
      sc_core_report_error (self, "tls-failed", text);
      core_finish (self, 1);
    }
  else if (self->reconnecting)
    {
      g_info ("reconnect attempt %u failed: %s", self->reconnect_attempt, error->message);
      schedule_reconnect (self);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Cannot reach the server at %s: %s"),
                                               self->server_url, error->message);
      sc_core_report_error (self, "connect-failed", text);
      core_finish (self, 1);
    }
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(ScCore) self = data;
  g_autoptr(GError) error = NULL;

  if (!sc_server_link_connect_finish (SC_SERVER_LINK (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          self->state != SC_CORE_CLOSED)
        connect_failed (self, error);
      return;
    }

  /* Signing in waits for the server's hello, which carries the nonce to sign. */
  if (self->state == SC_CORE_CONNECTING)
    self->state = SC_CORE_SIGNING_IN;
}

static void
on_ticket (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(ScCore) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = sc_server_link_request_ticket_finish (SC_SERVER_LINK (source), result,
                                                                   &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->state == SC_CORE_CLOSED)
    return;
  if (g_error_matches (error, SC_SERVER_LINK_ERROR, SC_SERVER_LINK_ERROR_BAD_TOKEN))
    {
      /* The server does not know the session (it restarted with another secret, or
       * the token expired): sign in afresh on a plain connection. */
      g_info ("session token refused: signing in again");
      g_clear_pointer (&self->token, g_free);
      connect_now (self, NULL);
      return;
    }
  if (ticket == NULL)
    {
      connect_failed (self, error);
      return;
    }
  connect_now (self, ticket);
}

static void
connect_now (ScCore *self, const char *ticket)
{
  self->used_ticket = ticket != NULL;
  sc_server_link_connect_async (self->link, ticket, self->cancellable, on_connected,
                               g_object_ref (self));
}

static gboolean
reconnect_cb (gpointer data)
{
  ScCore *self = data;
  self->reconnect_source = 0;
  if (self->token)
    sc_server_link_request_ticket_async (self->link, self->token, self->cancellable,
                                        on_ticket, g_object_ref (self));
  else
    connect_now (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (ScCore *self)
{
  if (self->reconnect_source)
    return;
  self->reconnect_attempt++;
  guint base = RECONNECT_FIRST_MS;
  for (guint i = 1; i < self->reconnect_attempt && base < RECONNECT_MAX_MS; i++)
    base *= 2;
  base = MIN (base, RECONNECT_MAX_MS);
  guint delay = (guint) (base * g_random_double_range (0.75, 1.25));

  ScEvent *event = sc_event_new (SC_EVENT_RECONNECTING);
  event->reconnecting.attempt = self->reconnect_attempt;
  event->reconnecting.in_ms = delay;
  core_emit (self, event);
  self->reconnect_source = sc_clock_add_timeout (self->clock, delay, reconnect_cb, self);
}

/* Capture and encoders start with the program, so that the first call (and every
 * next one) finds them running; a camera or microphone that cannot be used is said at
 * once rather than at the first match. */
void
sc_core_start (ScCore *self)
{
  g_return_if_fail (self->state == SC_CORE_CONNECTING);
  g_autoptr(GError) error = NULL;
  if (!sc_call_factory_start_capture (self->factory, self->media, &error))
    {
      sc_core_report_error (self, "media", error->message);
      self->exit_code = 1;
      sc_core_quit (self);
      return;
    }
  self->capturing = TRUE;
  core_schedule_spare (self);
  connect_now (self, NULL);
}
