/* core-fakes.h: the client core's seams filled with fakes, for test-core.c.
 *
 * - FakeLink (ScServerLink): keeps what the core sends, decoded with the real protocol
 *   code as the server would; the test makes the server speak with fake_link_hear(),
 *   which goes through the same strict decoder as a real server's words.
 * - FakeFactory and FakeCall (ScCallFactory, ScPeerCall): keep what the core asks of
 *   its calls; the test emits the calls' signals (connected, channel-open, …).
 * - FakeClock (ScClock): time moves only when the test says; due timers fire then.
 * - FakeFrontend (ScFrontend): keeps every event.
 */
#pragma once

#include <string.h>

#include "sc-core.h"
#include "sc-frontend.h"

/* ---- FakeLink ---------------------------------------------------------------------- */

#define FAKE_TYPE_LINK (fake_link_get_type ())
G_DECLARE_FINAL_TYPE (FakeLink, fake_link, FAKE, LINK, GObject)

struct _FakeLink
{
  GObject parent_instance;
  gboolean open;
  gboolean refuse_connect;     /* the next connects fail, as with the server down */
  gboolean refuse_token;       /* ticket requests say the token is unknown */
  guint connects;              /* connections opened */
  char *last_ticket;           /* of the latest connection; NULL: a plain one */
  char *last_token;            /* of the latest ticket request */
  GPtrArray *sent;             /* of ScMessage, as the server decoded them */
  guint read;                  /* sent[read..] not yet taken by fake_link_take() */
};

static void fake_link_iface_init (ScServerLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeLink, fake_link, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_SERVER_LINK, fake_link_iface_init))

static void
fake_link_request_ticket_async (ScServerLink *link, const char *token, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  FakeLink *self = FAKE_LINK (link);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_free (self->last_token);
  self->last_token = g_strdup (token);
  if (self->refuse_connect)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
  else if (self->refuse_token)
    g_task_return_new_error (task, SC_SERVER_LINK_ERROR, SC_SERVER_LINK_ERROR_BAD_TOKEN,
                             "unknown token");
  else
    g_task_return_pointer (task, g_strdup_printf ("ticket-for-%s", token), g_free);
}

static char *
fake_link_request_ticket_finish (ScServerLink *link, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_link_connect_async (ScServerLink *link, const char *ticket, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  FakeLink *self = FAKE_LINK (link);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  if (self->refuse_connect)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
      return;
    }
  self->open = TRUE;
  self->connects++;
  g_free (self->last_ticket);
  self->last_ticket = g_strdup (ticket);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fake_link_connect_finish (ScServerLink *link, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
fake_link_is_open (ScServerLink *link)
{
  return FAKE_LINK (link)->open;
}

static void
fake_link_send (ScServerLink *link, const ScMessage *msg)
{
  FakeLink *self = FAKE_LINK (link);
  g_assert_true (self->open);
  g_autofree char *text = sc_message_encode (msg);
  g_autoptr(GError) error = NULL;
  ScMessage *copy = sc_message_decode (text, strlen (text), SC_FROM_CLIENT, &error);
  g_assert_no_error (error);
  g_ptr_array_add (self->sent, copy);
}

static gboolean
emit_closed_cb (gpointer data)
{
  g_signal_emit (data, sc_server_link_signal_id (SC_SERVER_LINK_SIG_CLOSED), 0);
  return G_SOURCE_REMOVE;
}

/* The server answers a close with its own, a moment later. */
static void
fake_link_close (ScServerLink *link)
{
  FakeLink *self = FAKE_LINK (link);
  if (!self->open)
    return;
  self->open = FALSE;
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_closed_cb, g_object_ref (self), g_object_unref);
}

static void
fake_link_iface_init (ScServerLinkInterface *iface)
{
  iface->request_ticket_async = fake_link_request_ticket_async;
  iface->request_ticket_finish = fake_link_request_ticket_finish;
  iface->connect_async = fake_link_connect_async;
  iface->connect_finish = fake_link_connect_finish;
  iface->is_open = fake_link_is_open;
  iface->send = fake_link_send;
  iface->close = fake_link_close;
}

static void
fake_link_finalize (GObject *object)
{
  FakeLink *self = FAKE_LINK (object);
  g_ptr_array_unref (self->sent);
  g_free (self->last_ticket);
  g_free (self->last_token);
  G_OBJECT_CLASS (fake_link_parent_class)->finalize (object);
}

static void
fake_link_class_init (FakeLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_link_finalize;
}

static void
fake_link_init (FakeLink *self)
{
  self->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_message_free);
}

/* The server says @json (one protocol message, checked by the real decoder). */
G_GNUC_UNUSED static void
fake_link_hear (FakeLink *self, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScMessage) msg = sc_message_decode (json, strlen (json), SC_FROM_SERVER, &error);
  g_assert_no_error (error);
  g_signal_emit (self, sc_server_link_signal_id (SC_SERVER_LINK_SIG_MESSAGE), 0, msg);
}

/* The connection drops (a dead network, a server that went away). */
G_GNUC_UNUSED static void
fake_link_drop (FakeLink *self)
{
  g_assert_true (self->open);
  self->open = FALSE;
  g_signal_emit (self, sc_server_link_signal_id (SC_SERVER_LINK_SIG_CLOSED), 0);
}

/* The oldest message the core sent that the test has not taken yet, or NULL. */
G_GNUC_UNUSED static const ScMessage *
fake_link_take (FakeLink *self)
{
  if (self->read >= self->sent->len)
    return NULL;
  return g_ptr_array_index (self->sent, self->read++);
}

/* Takes the next message, which must be of @type. */
G_GNUC_UNUSED static const ScMessage *
fake_link_expect (FakeLink *self, ScMessageType type)
{
  const ScMessage *msg = fake_link_take (self);
  g_assert_nonnull (msg);
  g_assert_cmpstr (sc_message_type_to_string (msg->type), ==, sc_message_type_to_string (type));
  return msg;
}

G_GNUC_UNUSED static void
fake_link_expect_nothing (FakeLink *self)
{
  const ScMessage *msg = fake_link_take (self);
  g_assert_null (msg ? sc_message_type_to_string (msg->type) : NULL);
}

/* ---- FakeCall ---------------------------------------------------------------------- */

#define FAKE_TYPE_CALL (fake_call_get_type ())
G_DECLARE_FINAL_TYPE (FakeCall, fake_call, FAKE, CALL, GObject)

struct _FakeCall
{
  GObject parent_instance;
  gboolean offer_prepared;
  gboolean started;
  gboolean offerer;
  char *peer_name;
  GStrv ice_uris;
  GPtrArray *remote;           /* of char *: "offer:SDP", "answer:SDP", "candidate:N:C" */
  GPtrArray *data_sent;        /* of char *: what went on the chat channel */
  gboolean connected;
  gboolean channel_open;
  gboolean refuse_sdp;         /* set_remote_description fails */
  gint self_view;              /* -1: never set; else the last set_self_view */
  gboolean stopped;
};

static void fake_call_iface_init (ScPeerCallInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeCall, fake_call, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_PEER_CALL, fake_call_iface_init))

static gboolean
fake_call_prepare_offer (ScPeerCall *call, GError **error)
{
  FAKE_CALL (call)->offer_prepared = TRUE;
  return TRUE;
}

static gboolean
fake_call_start (ScPeerCall *call, gboolean offerer, const char *peer_name,
                 const char *const *ice_uris, GError **error)
{
  FakeCall *self = FAKE_CALL (call);
  g_assert_false (self->started);
  g_assert_false (self->stopped);
  self->started = TRUE;
  self->offerer = offerer;
  self->peer_name = g_strdup (peer_name);
  self->ice_uris = g_strdupv ((GStrv) ice_uris);
  return TRUE;
}

static gboolean
fake_call_set_remote_description (ScPeerCall *call, const char *type, const char *sdp,
                                  GError **error)
{
  FakeCall *self = FAKE_CALL (call);
  g_assert_false (self->stopped);
  if (self->refuse_sdp)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an SDP");
      return FALSE;
    }
  g_ptr_array_add (self->remote, g_strdup_printf ("%s:%s", type, sdp));
  return TRUE;
}

static void
fake_call_add_remote_candidate (ScPeerCall *call, guint mline, const char *candidate)
{
  FakeCall *self = FAKE_CALL (call);
  g_assert_false (self->stopped);
  g_ptr_array_add (self->remote, g_strdup_printf ("candidate:%u:%s", mline, candidate));
}

static gboolean
fake_call_send_data (ScPeerCall *call, const char *text, GError **error)
{
  FakeCall *self = FAKE_CALL (call);
  g_assert_false (self->stopped);
  if (!self->channel_open)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "not open");
      return FALSE;
    }
  g_ptr_array_add (self->data_sent, g_strdup (text));
  return TRUE;
}

static void
fake_call_set_video_output (ScPeerCall *call, ScVideoOutput output)
{
}

static void
fake_call_set_video_target (ScPeerCall *call, const ScVideoTarget *target)
{
}

static void
fake_call_set_self_view (ScPeerCall *call, gboolean on)
{
  FAKE_CALL (call)->self_view = on;
}

static void
fake_call_stop (ScPeerCall *call)
{
  FakeCall *self = FAKE_CALL (call);
  g_assert_false (self->stopped);
  self->stopped = TRUE;
}

static gboolean
fake_call_is_connected (ScPeerCall *call)
{
  return FAKE_CALL (call)->connected;
}

static gboolean
fake_call_is_channel_open (ScPeerCall *call)
{
  return FAKE_CALL (call)->channel_open;
}

static gboolean
fake_call_get_path (ScPeerCall *call, ScIcePath *path)
{
  if (!FAKE_CALL (call)->connected)
    return FALSE;
  *path = (ScIcePath) { "host", "host", "udp" };
  return TRUE;
}

static void
fake_call_iface_init (ScPeerCallInterface *iface)
{
  iface->prepare_offer = fake_call_prepare_offer;
  iface->start = fake_call_start;
  iface->set_remote_description = fake_call_set_remote_description;
  iface->add_remote_candidate = fake_call_add_remote_candidate;
  iface->send_data = fake_call_send_data;
  iface->set_video_output = fake_call_set_video_output;
  iface->set_video_target = fake_call_set_video_target;
  iface->set_self_view = fake_call_set_self_view;
  iface->stop = fake_call_stop;
  iface->is_connected = fake_call_is_connected;
  iface->is_channel_open = fake_call_is_channel_open;
  iface->get_path = fake_call_get_path;
}

static void
fake_call_finalize (GObject *object)
{
  FakeCall *self = FAKE_CALL (object);
  g_free (self->peer_name);
  g_strfreev (self->ice_uris);
  g_ptr_array_unref (self->remote);
  g_ptr_array_unref (self->data_sent);
  G_OBJECT_CLASS (fake_call_parent_class)->finalize (object);
}

static void
fake_call_class_init (FakeCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_call_finalize;
}

static void
fake_call_init (FakeCall *self)
{
  self->remote = g_ptr_array_new_with_free_func (g_free);
  self->data_sent = g_ptr_array_new_with_free_func (g_free);
  self->self_view = -1;
}

/* The call's side of things, as webrtcbin would report it. */
G_GNUC_UNUSED static void
fake_call_connect (FakeCall *self)
{
  self->connected = TRUE;
  g_signal_emit (self, sc_peer_call_signal_id (SC_PEER_CALL_SIG_CONNECTED), 0);
}

G_GNUC_UNUSED static void
fake_call_open_channel (FakeCall *self)
{
  self->channel_open = TRUE;
  g_signal_emit (self, sc_peer_call_signal_id (SC_PEER_CALL_SIG_CHANNEL_OPEN), 0);
}

G_GNUC_UNUSED static void
fake_call_describe (FakeCall *self, const char *type, const char *sdp)
{
  g_signal_emit (self, sc_peer_call_signal_id (SC_PEER_CALL_SIG_LOCAL_DESCRIPTION), 0, type, sdp);
}

G_GNUC_UNUSED static void
fake_call_fail (FakeCall *self, const char *reason)
{
  g_signal_emit (self, sc_peer_call_signal_id (SC_PEER_CALL_SIG_FAILED), 0, reason);
}

G_GNUC_UNUSED static void
fake_call_receive (FakeCall *self, const char *wire)
{
  g_signal_emit (self, sc_peer_call_signal_id (SC_PEER_CALL_SIG_DATA_RECEIVED), 0, wire);
}

/* ---- FakeFactory ------------------------------------------------------------------- */

#define FAKE_TYPE_FACTORY (fake_factory_get_type ())
G_DECLARE_FINAL_TYPE (FakeFactory, fake_factory, FAKE, FACTORY, GObject)

struct _FakeFactory
{
  GObject parent_instance;
  gboolean capturing;
  gboolean refuse_capture;     /* as with a camera that cannot be opened */
  gboolean mic_muted;
  gboolean camera_off;
  GPtrArray *calls;            /* of FakeCall, every call made, oldest first */
};

static void fake_factory_iface_init (ScCallFactoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeFactory, fake_factory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_CALL_FACTORY, fake_factory_iface_init))

static gboolean
fake_factory_start_capture (ScCallFactory *factory, const ScMediaConfig *config, GError **error)
{
  FakeFactory *self = FAKE_FACTORY (factory);
  g_assert_false (self->capturing);
  if (self->refuse_capture)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such camera");
      return FALSE;
    }
  self->capturing = TRUE;
  return TRUE;
}

static ScPeerCall *
fake_factory_new_call (ScCallFactory *factory, const ScMediaConfig *config, GError **error)
{
  FakeFactory *self = FAKE_FACTORY (factory);
  g_assert_true (self->capturing);
  FakeCall *call = g_object_new (FAKE_TYPE_CALL, NULL);
  g_ptr_array_add (self->calls, g_object_ref (call));
  return SC_PEER_CALL (call);
}

static void
fake_factory_set_mic_muted (ScCallFactory *factory, gboolean muted)
{
  FAKE_FACTORY (factory)->mic_muted = muted;
}

static void
fake_factory_set_camera_off (ScCallFactory *factory, gboolean off)
{
  FAKE_FACTORY (factory)->camera_off = off;
}

static void
fake_factory_stop_capture (ScCallFactory *factory)
{
  FAKE_FACTORY (factory)->capturing = FALSE;
}

static void
fake_factory_iface_init (ScCallFactoryInterface *iface)
{
  iface->start_capture = fake_factory_start_capture;
  iface->new_call = fake_factory_new_call;
  iface->set_mic_muted = fake_factory_set_mic_muted;
  iface->set_camera_off = fake_factory_set_camera_off;
  iface->stop_capture = fake_factory_stop_capture;
}

static void
fake_factory_finalize (GObject *object)
{
  g_ptr_array_unref (FAKE_FACTORY (object)->calls);
  G_OBJECT_CLASS (fake_factory_parent_class)->finalize (object);
}

static void
fake_factory_class_init (FakeFactoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_factory_finalize;
}

static void
fake_factory_init (FakeFactory *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The calls that are started and not stopped: the core runs at most one. */
G_GNUC_UNUSED static guint
fake_factory_live_calls (FakeFactory *self)
{
  guint n = 0;
  for (guint i = 0; i < self->calls->len; i++)
    {
      FakeCall *call = g_ptr_array_index (self->calls, i);
      n += call->started && !call->stopped;
    }
  return n;
}

/* The call the core started last (started and not stopped), or NULL. */
G_GNUC_UNUSED static FakeCall *
fake_factory_current (FakeFactory *self)
{
  for (guint i = self->calls->len; i > 0; i--)
    {
      FakeCall *call = g_ptr_array_index (self->calls, i - 1);
      if (call->started && !call->stopped)
        return call;
    }
  return NULL;
}

/* ---- FakeClock --------------------------------------------------------------------- */

typedef struct
{
  guint id;
  gint64 due_us;
  guint interval_ms;
  GSourceFunc func;
  gpointer data;
} FakeTimer;

typedef struct
{
  ScClock clock;               /* first: the core sees this */
  gint64 now_us;
  guint next_id;
  GArray *timers;              /* of FakeTimer */
} FakeClock;

static gint64
fake_clock_now_us (const ScClock *clock)
{
  return ((const FakeClock *) clock)->now_us;
}

static guint
fake_clock_add_timeout (const ScClock *clock, guint ms, GSourceFunc func, gpointer data)
{
  FakeClock *self = (FakeClock *) clock;
  FakeTimer timer = { ++self->next_id, self->now_us + (gint64) ms * 1000, ms, func, data };
  g_array_append_val (self->timers, timer);
  return timer.id;
}

static void
fake_clock_remove (const ScClock *clock, guint id)
{
  FakeClock *self = (FakeClock *) clock;
  for (guint i = 0; i < self->timers->len; i++)
    if (g_array_index (self->timers, FakeTimer, i).id == id)
      {
        g_array_remove_index (self->timers, i);
        return;
      }
  g_assert_not_reached ();   /* removing a timer that is gone is a bug in the core */
}

G_GNUC_UNUSED static void
fake_clock_init (FakeClock *self)
{
  self->clock = (ScClock) { fake_clock_now_us, fake_clock_add_timeout, fake_clock_remove };
  self->now_us = 1000000;
  self->next_id = 0;
  self->timers = g_array_new (FALSE, FALSE, sizeof (FakeTimer));
}

G_GNUC_UNUSED static void
fake_clock_clear (FakeClock *self)
{
  g_clear_pointer (&self->timers, g_array_unref);
}

G_GNUC_UNUSED static guint
fake_clock_pending (FakeClock *self)
{
  return self->timers->len;
}

/* Moves time on by @ms, firing every timer that falls due on the way, in order. */
G_GNUC_UNUSED static void
fake_clock_advance (FakeClock *self, guint ms)
{
  gint64 end = self->now_us + (gint64) ms * 1000;
  for (;;)
    {
      gint found = -1;
      for (guint i = 0; i < self->timers->len; i++)
        {
          FakeTimer *t = &g_array_index (self->timers, FakeTimer, i);
          if (t->due_us <= end &&
              (found < 0 || t->due_us < g_array_index (self->timers, FakeTimer, found).due_us))
            found = (gint) i;
        }
      if (found < 0)
        break;
      FakeTimer timer = g_array_index (self->timers, FakeTimer, found);
      g_array_remove_index (self->timers, found);
      self->now_us = MAX (self->now_us, timer.due_us);
      if (timer.func (timer.data) == G_SOURCE_CONTINUE)
        {
          timer.due_us = self->now_us + (gint64) timer.interval_ms * 1000;
          g_array_append_val (self->timers, timer);
        }
    }
  self->now_us = end;
}

/* ---- FakeFrontend ------------------------------------------------------------------ */

#define FAKE_TYPE_FRONTEND (fake_frontend_get_type ())
G_DECLARE_FINAL_TYPE (FakeFrontend, fake_frontend, FAKE, FRONTEND, GObject)

struct _FakeFrontend
{
  GObject parent_instance;
  GPtrArray *texts;            /* a line for each event: its kind and main text */
  guint read;
};

static void fake_frontend_iface_init (ScFrontendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeFrontend, fake_frontend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_FRONTEND, fake_frontend_iface_init))

static void
fake_frontend_handle_event (ScFrontend *frontend, const ScEvent *event)
{
  FakeFrontend *self = FAKE_FRONTEND (frontend);
  const char *kind = sc_event_kind_to_string (event->kind);
  char *line;
  switch (event->kind)
    {
    case SC_EVENT_CHAT:
      line = g_strdup_printf ("chat %s: %s", event->chat.from, event->chat.text);
      break;
    case SC_EVENT_SAID:
      line = g_strdup_printf ("said %s", event->said.text);
      break;
    case SC_EVENT_ERROR:
      line = g_strdup_printf ("error %s", event->error.code);
      break;
    case SC_EVENT_MATCHED:
      line = g_strdup_printf ("matched %s %s", event->matched.call, event->matched.peer.name);
      break;
    case SC_EVENT_PEER_LEFT:
      line = g_strdup_printf ("peer-left %s", sc_leave_reason_to_string (event->peer_left.reason));
      break;
    case SC_EVENT_WAITING:
      line = g_strdup_printf ("waiting %u", event->waiting.queue);
      break;
    case SC_EVENT_COOLDOWN:
      line = g_strdup_printf ("cooldown %u", event->cooldown.ms);
      break;
    case SC_EVENT_SELF_VIEW:
      line = g_strdup_printf ("self %s", event->self_view.on ? "on" : "off");
      break;
    case SC_EVENT_RECONNECTED:
      line = g_strdup_printf ("reconnected %s", event->reconnected.resumed ? "resumed" : "new");
      break;
    default:
      line = g_strdup (kind);
      break;
    }
  g_ptr_array_add (self->texts, line);
}

static void
fake_frontend_iface_init (ScFrontendInterface *iface)
{
  iface->handle_event = fake_frontend_handle_event;
}

static void
fake_frontend_finalize (GObject *object)
{
  g_ptr_array_unref (FAKE_FRONTEND (object)->texts);
  G_OBJECT_CLASS (fake_frontend_parent_class)->finalize (object);
}

static void
fake_frontend_class_init (FakeFrontendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_frontend_finalize;
}

static void
fake_frontend_init (FakeFrontend *self)
{
  self->texts = g_ptr_array_new_with_free_func (g_free);
}

/* Every event since the last call, one line each joined by "|", e.g.
 * "matched c1 bob|said hi". */
G_GNUC_UNUSED static char *
fake_frontend_take (FakeFrontend *self)
{
  GString *all = g_string_new (NULL);
  for (; self->read < self->texts->len; self->read++)
    {
      if (all->len)
        g_string_append_c (all, '|');
      g_string_append (all, g_ptr_array_index (self->texts, self->read));
    }
  return g_string_free (all, FALSE);
}
