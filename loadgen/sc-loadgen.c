/* sc-loadgen.c: see sc-loadgen.h. Everything runs on one main loop: a virtual client is
 * a small state machine driven by its socket's messages and one timer. */
#define G_LOG_DOMAIN "showcast-loadgen"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "sc-call-ledger.h"
#include "sc-loadgen.h"
#include "sc-protocol.h"
#include "sc-url.h"

#define FAKE_SDP "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
/* After a chaos run, for those away to come back and the grace periods to run out:
 * the longest absence (the grace and 3 s) and 3 s more. */
#define SETTLE_S(grace_s) ((grace_s) + 6)
#define NEXT_GAP_US (1100 * 1000)   /* chaos clients keep under the server's next limit */
#define CLIENTS_PER_SESSION 32
/* The calls a probe names (see vc_leave, vc_report): never a real call id. */
#define LEAVE_PROBE "leave-probe"
#define REPORT_PROBE "report-probe"

typedef enum { VC_OFF, VC_CONNECTING, VC_SIGNING_IN, VC_IDLE, VC_WAITING, VC_PAIRED } VcState;

typedef struct _Loadgen Loadgen;

/* What a client said and heard last, kept without formatting (the CPU per message is
 * the load generator's budget), printed for the clients a violation names. */
#define HISTORY 24
typedef struct
{
  gint64 t_us;
  gint8 dir;              /* '>' sent, '<' received, 'x' dropped its connection */
  gint8 type;             /* ScMessageType, or -1 */
  char call[20];
} HistoryEntry;

typedef struct
{
  Loadgen *lg;
  guint index;
  const char *url;
  SoupSession *soup;      /* shared with a few other clients */
  SoupWebsocketConnection *ws;
  VcState state;
  char *id;
  char *token;
  guint session;          /* serial of the client's sessions */
  gboolean used_ticket;
  gboolean resuming;      /* this connection follows a drop */
  gboolean resync;        /* resumed without our call: it ended while away */
  gboolean left;          /* sent leave, and no next since: a "waiting" now predates it */
  guint leaves_in_flight; /* leaves sent that the server has not said it handled yet */
  char *report_unsettled; /* the call of a report sent, its outcome not heard yet */
  char *report_forgotten; /* such a report when its socket died; its "not-in-call" may
                           * still come, held for the session and sent on resuming */
  char *call;
  char *peer;
  char *last_peer;
  gboolean offerer;
  gint64 lobby_since_us;
  gint64 last_next_us;
  guint timer;
  HistoryEntry history[HISTORY];
  guint history_at;       /* entries written, ever */
  GString *snapshot;      /* the history when it first looked busy in two calls */
} Vc;

struct _Loadgen
{
  const ScLoadgenOptions *opt;
  double *zipf_cdf;       /* --interests: the tags' cumulative probabilities */
  GPtrArray *sessions;    /* of SoupSession, one per CLIENTS_PER_SESSION clients */
  Vc *vcs;
  GRand *rand;
  ScCallLedger *ledger;
  GArray *latencies;      /* double ms */
  ScLoadgenResult *res;
  GMainLoop *loop;
  gboolean measuring;
  gboolean stopping;      /* no new actions */
  gint64 start_us;
  guint next_to_open;
  guint ramp_source;
};

/* Three different tags, each drawn from the Zipf law (a few popular, a long tail). */
static GStrv
draw_interests (Loadgen *lg)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint drawn[3];
  guint n = 0;
  for (guint tries = 0; n < 3 && tries < 30; tries++)
    {
      double u = g_rand_double (lg->rand);
      guint lo = 0, hi = lg->opt->interest_tags - 1;
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          if (lg->zipf_cdf[mid] < u)
            lo = mid + 1;
          else
            hi = mid;
        }
      gboolean again = FALSE;
      for (guint i = 0; i < n; i++)
        again = again || drawn[i] == lo;
      if (again)
        continue;
      drawn[n++] = lo;
      g_autofree char *tag = g_strdup_printf ("tag%u", lo);
      g_strv_builder_add (builder, tag);
    }
  return g_strv_builder_end (builder);
}

static void
vc_note (Vc *vc, char dir, gint type, const char *call)
{
  HistoryEntry *e = &vc->history[vc->history_at++ % HISTORY];
  e->t_us = g_get_monotonic_time ();
  e->dir = dir;
  e->type = (gint8) type;
  g_strlcpy (e->call, call ? call : "", sizeof e->call);
}

static void
vc_print_history (Vc *vc, gint64 start_us, GString *out)
{
  g_string_append_printf (out, "  client %u's last messages (ms since start; view now: %s):\n",
                          vc->index, vc->call ? vc->call : "-");
  guint first = vc->history_at > HISTORY ? vc->history_at - HISTORY : 0;
  for (guint i = first; i < vc->history_at; i++)
    {
      HistoryEntry *e = &vc->history[i % HISTORY];
      g_string_append_printf (out, "    %8.1f %c %s %s\n", (e->t_us - start_us) / 1000.0, e->dir,
                              e->type >= 0 ? sc_message_type_to_string (e->type) : "",
                              e->call);
    }
}

/* The client is about to be judged in two calls at once: what led there, kept. */
static void
vc_snapshot (Vc *vc)
{
  if (vc->snapshot)
    return;
  vc->snapshot = g_string_new (NULL);
  vc_print_history (vc, vc->lg->start_us, vc->snapshot);
}

static void vc_connect (Vc *vc, const char *ticket);
static void vc_reconnect (Vc *vc);
static void vc_schedule_action (Vc *vc);

static void
vc_send (Vc *vc, const ScMessage *msg)
{
  if (vc->ws == NULL || soup_websocket_connection_get_state (vc->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  g_autofree char *text = sc_message_encode (msg);
  vc_note (vc, '>', msg->type, msg->call);
  /* GLib formats a debug line before deciding to drop it: only with -v. */
  if (!vc->lg->opt->quiet && msg->type != SC_MSG_OFFER && msg->type != SC_MSG_ANSWER &&
      msg->type != SC_MSG_CANDIDATE)
    g_debug ("client %u -> %s", vc->index, text);
  soup_websocket_connection_send_text (vc->ws, text);
}

static void
vc_send_call_msg (Vc *vc, ScMessageType type)
{
  g_autoptr(ScMessage) msg = sc_message_new (type);
  msg->call = g_strdup (vc->call);
  if (type == SC_MSG_OFFER || type == SC_MSG_ANSWER)
    msg->sdp = g_strdup (FAKE_SDP);
  if (type == SC_MSG_CANDIDATE)
    msg->candidate = g_strdup ("");
  if (type == SC_MSG_REPORT)
    msg->report_reason = g_strdup ("chaos");
  vc_send (vc, msg);
}

static void
vc_set_timer (Vc *vc, guint ms, GSourceFunc func)
{
  g_clear_handle_id (&vc->timer, g_source_remove);
  vc->timer = g_timeout_add (ms, func, vc);
}

/* The call ends on our side (we skipped, left, reported, quit or lost the session). */
static void
vc_end_call (Vc *vc)
{
  if (vc->call == NULL)
    return;
  sc_call_ledger_ended_by (vc->lg->ledger, vc->call, vc->index);
  g_free (vc->last_peer);
  vc->last_peer = g_steal_pointer (&vc->peer);
  g_clear_pointer (&vc->call, g_free);
}

/* Returns TRUE if @call was the one we were in; FALSE if we had ended it ourselves
 * already (our next, leave or report crossed the partner's), and our own action has
 * decided where we are. */
static gboolean
vc_told_call_ended (Vc *vc, const char *call)
{
  sc_call_ledger_told (vc->lg->ledger, call, vc->index);
  if (vc->call == NULL || g_strcmp0 (call, vc->call) != 0)
    return FALSE;
  g_free (vc->last_peer);
  vc->last_peer = g_steal_pointer (&vc->peer);
  g_clear_pointer (&vc->call, g_free);
  return TRUE;
}

static void
vc_next (Vc *vc)
{
  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_NEXT);
  msg->call = g_strdup (vc->call);
  vc_end_call (vc);
  vc_send (vc, msg);
  vc->state = VC_WAITING;
  vc->left = FALSE;
  vc->lobby_since_us = vc->last_next_us = g_get_monotonic_time ();
  vc->lg->res->nexts++;
}

/* A report of the call @name, which is never a call: answered "not-in-call" naming it,
 * in order, once the server has handled what we sent before it. */
static void
vc_send_probe (Vc *vc, const char *name)
{
  g_autoptr(ScMessage) probe = sc_message_new (SC_MSG_REPORT);
  probe->call = g_strdup (name);
  probe->report_reason = g_strdup ("");
  vc_send (vc, probe);
}

/* Leaves the lobby (and our call, if any), and learns when the server has done so.
 *
 * Why the probe: the server tells a leaver nothing, so a "matched" that crossed our
 * leave looks the same as one that follows our next next: on a busy machine a match
 * made just before the leave arrived more than 300 ms later, after that next, and was
 * taken for a live call that the leave had ended (#22: "matched while still in another
 * call", and its partner "told it ended, though nobody ended it"). The server handles a
 * client's messages in order and answers in order: a report of a call we are not in is
 * answered "not-in-call" naming it, right after the leave has been handled. Until then
 * every "matched" and "waiting" predates the leave. */
static void
vc_leave (Vc *vc)
{
  vc_end_call (vc);
  g_autoptr(ScMessage) leave = sc_message_new (SC_MSG_LEAVE);
  vc_send (vc, leave);
  vc_send_probe (vc, LEAVE_PROBE);
  vc->state = VC_IDLE;
  vc->left = TRUE;
  vc->leaves_in_flight++;
}

/* A report whose answer died with its socket: whether the server took it (and keeps
 * the two apart) cannot be known, so the ledger does not hold them to it. */
static void
vc_forget_report (Vc *vc)
{
  if (vc->report_unsettled == NULL)
    return;
  sc_call_ledger_report_failed (vc->lg->ledger, vc->index, vc->report_unsettled);
  g_free (vc->report_forgotten);
  vc->report_forgotten = g_steal_pointer (&vc->report_unsettled);
}

/* Reports the partner of our call, and learns the outcome: a report that crossed the
 * end of its call is answered "not-in-call" (the two may meet again); one that took is
 * answered nothing. The probe after it (as vc_leave's) is answered right after the
 * report has been handled: with no "not-in-call" for the report before it, it took. */
static void
vc_report (Vc *vc)
{
  vc_forget_report (vc);
  sc_call_ledger_reported (vc->lg->ledger, vc->index, vc->call, vc->id, vc->peer);
  vc_send_call_msg (vc, SC_MSG_REPORT);
  vc->report_unsettled = g_strdup (vc->call);
  vc_send_probe (vc, REPORT_PROBE);
  vc_end_call (vc);
}

static gboolean
hold_done (gpointer data)
{
  Vc *vc = data;
  vc->timer = 0;
  if (!vc->lg->stopping && vc->state == VC_PAIRED)
    vc_next (vc);
  return G_SOURCE_REMOVE;
}

/* Not chaos: the call is "set up"; stay for the hold time, then next. */
static void
vc_call_ready (Vc *vc)
{
  if (vc->lg->opt->chaos)
    return;
  gint hold = vc->lg->opt->hold_ms;
  if (hold < 0)
    hold = g_rand_int_range (vc->lg->rand, 500, 1501);
  if (hold == 0)
    vc_next (vc);
  else
    vc_set_timer (vc, hold, hold_done);
}

/* ---- Messages ------------------------------------------------------------------------ */

static void
handle_signed_in (Vc *vc, const ScMessage *msg)
{
  g_free (vc->id);
  vc->id = g_strdup (msg->id);
  g_free (vc->token);
  vc->token = g_strdup (msg->token);
  if (msg->resumed)
    {
      vc->lg->res->resumes++;
      if (vc->call && g_strcmp0 (vc->call, msg->call) != 0)
        vc->resync = TRUE;
    }
  else
    {
      if (vc->call)
        vc_end_call (vc);   /* our session ended while we were away */
      vc->left = FALSE;
      vc->session++;
      vc->lg->res->fresh_sessions++;
      vc->lobby_since_us = g_get_monotonic_time ();
    }
  vc->resuming = FALSE;
  vc->leaves_in_flight = 0;   /* a new connection: what it says postdates everything */
  vc_forget_report (vc);
  if (msg->resumed && msg->call)
    {
      /* The session is in a call, and its "matched" follows: again, or for the first
       * time if the one sent just before our drop died with the old socket (then we
       * had thought ourselves in the lobby). The server's word decides: taken for
       * idle, that "matched" looked like one crossing a leave we never sent, and the
       * call stayed up on the server while we thought it over (a later next without a
       * call then ended whatever call we were in by then). */
      vc->state = VC_PAIRED;
      vc->left = FALSE;
    }
  else if (vc->state < VC_IDLE)
    vc->state = vc->call ? VC_PAIRED : VC_IDLE;
  if (vc->lg->opt->idle)
    {
      /* Out of the lobby at once: a signed-in session that does nothing. */
      g_autoptr(ScMessage) leave = sc_message_new (SC_MSG_LEAVE);
      vc_send (vc, leave);
      vc->state = VC_IDLE;
      vc->left = TRUE;
      return;
    }
  if (vc->lg->opt->chaos && !vc->lg->stopping)
    vc_schedule_action (vc);
}

static void
handle_matched (Vc *vc, const ScMessage *msg)
{
  Loadgen *lg = vc->lg;
  if (g_strcmp0 (msg->call, vc->call) == 0)
    return;   /* repeated after a resume */
  gint64 now = g_get_monotonic_time ();
  if (vc->resync && vc->call)
    vc_told_call_ended (vc, vc->call);   /* resumed into this call: the old one ended */
  vc->resync = FALSE;
  if (vc->call)
    vc_snapshot (vc);
  sc_call_ledger_matched (lg->ledger, msg->call, vc->index, vc->session, vc->id, msg->peer_id,
                          vc->call != NULL);
  if (lg->measuring)
    {
      if (msg->role == SC_ROLE_OFFERER)
        lg->res->matches++;
      if (vc->lobby_since_us > 0)
        {
          double ms = (now - vc->lobby_since_us) / 1000.0;
          g_array_append_val (lg->latencies, ms);
        }
      if (g_strcmp0 (msg->peer_id, vc->last_peer) == 0)
        lg->res->rematches++;
    }
  g_free (vc->call);
  g_free (vc->peer);
  vc->call = g_strdup (msg->call);
  vc->peer = g_strdup (msg->peer_id);
  vc->offerer = msg->role == SC_ROLE_OFFERER;
  if (vc->state == VC_IDLE || vc->leaves_in_flight > 0)
    {
      /* Matched just before our leave reached the server (whatever we did since): the
       * leave ends this call. */
      vc_end_call (vc);
      return;
    }
  vc->state = VC_PAIRED;
  vc->lobby_since_us = 0;
  if (vc->offerer)
    vc_send_call_msg (vc, SC_MSG_OFFER);
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *bytes, gpointer data)
{
  Vc *vc = data;
  Loadgen *lg = vc->lg;
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScMessage) msg = sc_message_decode (text, len, SC_FROM_SERVER, &error);
  if (msg == NULL)
    {
      lg->res->errors++;
      g_warning ("client %u: bad message from the server: %s", vc->index, error->message);
      return;
    }

  vc_note (vc, '<', msg->type, msg->call);
  if (!lg->opt->quiet && msg->type != SC_MSG_OFFER && msg->type != SC_MSG_ANSWER &&
      msg->type != SC_MSG_CANDIDATE)
    g_debug ("client %u (view %s) <- %.*s", vc->index, vc->call ? vc->call : "-", (int) MIN (len, 160), text);
  switch (msg->type)
    {
    case SC_MSG_HELLO:
      if (!vc->used_ticket)
        {
          g_autoptr(ScMessage) sign_in = sc_message_new (SC_MSG_SIGN_IN);
          sign_in->version = SC_PROTOCOL_VERSION;
          sign_in->name = g_strdup_printf ("lg%u", vc->index);
          if (lg->zipf_cdf && g_rand_double (lg->rand) < lg->opt->interests_share)
            sign_in->interests = draw_interests (lg);
          vc_send (vc, sign_in);
          vc->state = VC_SIGNING_IN;
        }
      break;
    case SC_MSG_SIGNED_IN:
      handle_signed_in (vc, msg);
      break;
    case SC_MSG_SESSION:
      g_free (vc->token);
      vc->token = g_strdup (msg->token);
      break;
    case SC_MSG_WAITING:
      if (vc->resync && vc->call)
        vc_told_call_ended (vc, vc->call);
      else if (vc->call)
        {
          vc_snapshot (vc);
          sc_call_ledger_matched (lg->ledger, vc->call, vc->index, vc->session, vc->id, "?",
                                  TRUE);   /* back in the lobby without being told */
        }
      vc->resync = FALSE;
      /* Sent before our leave reached the server (the partner had ended our call, and
       * the server had put us back in the lobby): we stay out. Taking it for a wait
       * made the match that may follow look live, though our leave ended it. */
      if (vc->left || vc->leaves_in_flight > 0)
        break;
      vc->state = VC_WAITING;
      if (vc->lobby_since_us == 0)
        vc->lobby_since_us = g_get_monotonic_time ();
      break;
    case SC_MSG_MATCHED:
      handle_matched (vc, msg);
      break;
    case SC_MSG_OFFER:
      if (g_strcmp0 (msg->call, vc->call) == 0)
        {
          vc_send_call_msg (vc, SC_MSG_ANSWER);
          vc_send_call_msg (vc, SC_MSG_CANDIDATE);
          vc_call_ready (vc);
        }
      break;
    case SC_MSG_ANSWER:
      if (g_strcmp0 (msg->call, vc->call) == 0)
        {
          vc_send_call_msg (vc, SC_MSG_CANDIDATE);
          vc_call_ready (vc);
        }
      break;
    case SC_MSG_PEER_LEFT:
      /* The server puts us back in the lobby only if we were still in that call. After
       * our own leave we stay out (a peer-left crossing it must not make us think we
       * wait: a match that follows would look live while the leave ends it). */
      if (vc_told_call_ended (vc, msg->call))
        {
          vc->state = VC_WAITING;
          if (!lg->opt->chaos)
            g_clear_handle_id (&vc->timer, g_source_remove);
          vc->lobby_since_us = g_get_monotonic_time ();
        }
      break;
    case SC_MSG_ERROR:
      if (g_strcmp0 (msg->code, "not-in-call") == 0 && g_strcmp0 (msg->call, LEAVE_PROBE) == 0)
        {
          /* That leave is handled: what follows postdates it (unless another is out). */
          if (vc->leaves_in_flight > 0)
            vc->leaves_in_flight--;
          break;
        }
      if (g_strcmp0 (msg->code, "not-in-call") == 0 && g_strcmp0 (msg->call, REPORT_PROBE) == 0)
        {
          g_clear_pointer (&vc->report_unsettled, g_free);   /* its outcome is known */
          break;
        }
      lg->res->errors++;
      if (g_strcmp0 (msg->code, "not-in-call") == 0 &&
          g_strcmp0 (msg->call, vc->report_forgotten) == 0)
        g_clear_pointer (&vc->report_forgotten, g_free);   /* written down already */
      else if (g_strcmp0 (msg->code, "not-in-call") == 0)
        {
          sc_call_ledger_report_failed (lg->ledger, vc->index, msg->call);
          if (g_strcmp0 (msg->call, vc->report_unsettled) == 0)
            g_clear_pointer (&vc->report_unsettled, g_free);   /* known: it failed */
        }
      else if (!lg->opt->quiet)
        g_message ("client %u: error %s: %s", vc->index, msg->code, msg->message);
      break;
    default:
      break;
    }
}

/* ---- Connections ---------------------------------------------------------------------- */

static void
vc_forget_ws (Vc *vc)
{
  if (vc->ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (vc->ws, vc);
  g_clear_object (&vc->ws);
}

static gboolean
reconnect_cb (gpointer data)
{
  Vc *vc = data;
  vc->timer = 0;
  vc_reconnect (vc);
  return G_SOURCE_REMOVE;
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer data)
{
  Vc *vc = data;
  /* Not asked for: the server closed us (or the socket died). Come back as a real
   * client would. */
  vc_forget_ws (vc);
  vc->state = VC_OFF;
  vc->resuming = TRUE;
  vc->lg->res->errors++;
  vc_set_timer (vc, 1000, reconnect_cb);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Vc *vc = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source),
                                                                       result, &error);
  if (ws == NULL)
    {
      vc->lg->res->errors++;
      if (!vc->lg->opt->quiet)
        g_message ("client %u: cannot connect: %s", vc->index, error->message);
      vc->state = VC_OFF;
      vc_set_timer (vc, 1000, reconnect_cb);
      return;
    }
  vc->ws = ws;
  soup_websocket_connection_set_max_incoming_payload_size (ws, SC_MSG_SDP_MAX_BYTES + 4096);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), vc);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), vc);
}

static void
vc_connect (Vc *vc, const char *ticket)
{
  g_autofree char *url = ticket ? sc_url_with_ticket (vc->url, ticket) : g_strdup (vc->url);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  vc->used_ticket = ticket != NULL;
  vc->state = VC_CONNECTING;
  soup_session_websocket_connect_async (vc->soup, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_connected, vc);
}

static void
on_ticket (GObject *source, GAsyncResult *result, gpointer data)
{
  Vc *vc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  SoupMessage *request = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  guint status = request ? soup_message_get_status (request) : 0;
  if (body && status == SOUP_STATUS_OK)
    {
      gsize len;
      const char *text = g_bytes_get_data (body, &len);
      g_autofree char *ticket = sc_url_parse_ticket_reply (text, len);
      if (ticket)
        {
          vc_connect (vc, ticket);
          return;
        }
    }
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_clear_pointer (&vc->token, g_free);   /* the session is unknown: sign in afresh */
      vc_connect (vc, NULL);
      return;
    }
  vc->lg->res->errors++;
  vc_set_timer (vc, 1000, reconnect_cb);
}

/* Back after a drop: a ticket for the session if there is a token, else sign in. */
static void
vc_reconnect (Vc *vc)
{
  vc->resuming = TRUE;
  if (vc->token == NULL)
    {
      vc_connect (vc, NULL);
      return;
    }
  g_autofree char *url = sc_url_ticket_endpoint (vc->url);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strconcat ("Bearer ", vc->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (vc->soup, msg, G_PRIORITY_DEFAULT, NULL, on_ticket, vc);
}

/* The connection dies without a goodbye: the server sees no close frame. */
static void
vc_drop (Vc *vc, guint back_in_ms)
{
  if (vc->ws)
    {
      GIOStream *stream = soup_websocket_connection_get_io_stream (vc->ws);
      g_signal_handlers_disconnect_by_data (vc->ws, vc);
      g_io_stream_close (stream, NULL, NULL);
      g_clear_object (&vc->ws);
    }
  vc->state = VC_OFF;
  vc_note (vc, 'x', -1, vc->call);
  g_debug ("client %u drops its connection, back in %u ms", vc->index, back_in_ms);
  vc->lg->res->drops++;
  vc_set_timer (vc, back_in_ms, reconnect_cb);
}

static gboolean
fresh_sign_in_cb (gpointer data)
{
  Vc *vc = data;
  vc->timer = 0;
  g_clear_pointer (&vc->token, g_free);
  vc->resuming = FALSE;
  vc_connect (vc, NULL);
  return G_SOURCE_REMOVE;
}

/* A clean quit (leave, close frame), then a new session a moment later. */
static void
vc_quit_and_return (Vc *vc, guint back_in_ms)
{
  vc_end_call (vc);
  if (vc->ws)
    {
      g_autoptr(ScMessage) leave = sc_message_new (SC_MSG_LEAVE);
      vc_send (vc, leave);
      SoupWebsocketConnection *ws = g_object_ref (vc->ws);
      vc_forget_ws (vc);
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (ws);
    }
  vc->state = VC_OFF;
  vc->lg->res->quits++;
  vc_set_timer (vc, back_in_ms, fresh_sign_in_cb);
}

/* ---- Chaos ------------------------------------------------------------------------------ */

static gboolean
chaos_action (gpointer data)
{
  Vc *vc = data;
  Loadgen *lg = vc->lg;
  vc->timer = 0;
  if (lg->stopping || vc->state < VC_IDLE)
    return G_SOURCE_REMOVE;

  guint roll = g_rand_int_range (lg->rand, 0, 100);
  gboolean may_next = g_get_monotonic_time () - vc->last_next_us >= NEXT_GAP_US;
  /* One absence in seven outlasts the servers' grace period: the session ends. */
  gint32 grace_ms = (gint32) lg->opt->grace_s * 1000;
  guint away = g_rand_int_range (lg->rand, 0, 100) < 15
               ? g_rand_int_range (lg->rand, grace_ms + 1000, grace_ms + 3001)
                                                         : g_rand_int_range (lg->rand, 200, 3001);

  if (vc->state == VC_IDLE)
    {
      if (may_next)
        vc_next (vc);
    }
  else if (roll < 5)
    {
      vc_drop (vc, away);
      return G_SOURCE_REMOVE;
    }
  else if (roll < 8)
    {
      vc_quit_and_return (vc, g_rand_int_range (lg->rand, 200, 2001));
      return G_SOURCE_REMOVE;
    }
  else if (roll < 12)
    {
      vc_leave (vc);
      lg->res->leaves++;
    }
  else if (vc->state == VC_PAIRED && roll < 16)
    {
      vc_report (vc);
      vc->state = VC_WAITING;
      vc->lobby_since_us = g_get_monotonic_time ();
      lg->res->reports++;
    }
  else if (vc->state == VC_PAIRED && roll < 60 && may_next)
    vc_next (vc);
  vc_schedule_action (vc);
  return G_SOURCE_REMOVE;
}

static void
vc_schedule_action (Vc *vc)
{
  vc_set_timer (vc, g_rand_int_range (vc->lg->rand, 300, 1501), chaos_action);
}

/* ---- The run ------------------------------------------------------------------------------ */

static gboolean
ramp_cb (gpointer data)
{
  Loadgen *lg = data;
  guint batch = lg->opt->ramp_per_s ? MAX (1, lg->opt->ramp_per_s / 100) : lg->opt->clients;
  for (guint i = 0; i < batch && lg->next_to_open < lg->opt->clients; i++)
    {
      Vc *vc = &lg->vcs[lg->next_to_open++];
      vc->lobby_since_us = g_get_monotonic_time ();
      vc_connect (vc, NULL);
    }
  if (lg->next_to_open < lg->opt->clients)
    return G_SOURCE_CONTINUE;
  lg->ramp_source = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
run_for (Loadgen *lg, guint ms)
{
  g_timeout_add (ms, quit_loop, lg->loop);
  g_main_loop_run (lg->loop);
}

static gboolean
still_there (guint client, guint session, const char *call, gpointer data)
{
  Loadgen *lg = data;
  Vc *vc = &lg->vcs[client];
  return vc->session == session && vc->ws != NULL && vc->state >= VC_IDLE;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

gboolean
sc_loadgen_run (const ScLoadgenOptions *opt, ScLoadgenResult *res, GString *report,
                GError **error)
{
  if (opt->servers == NULL || opt->servers[0] == NULL || opt->clients == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "need at least one server and one client");
      return FALSE;
    }
  Loadgen lg = { .opt = opt, .res = res };
  memset (res, 0, sizeof *res);
  /* libsoup's session walks lists of its connections and messages on every request:
   * thousands of clients on one session spend their time there. */
  lg.sessions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < opt->clients; i += CLIENTS_PER_SESSION)
    g_ptr_array_add (lg.sessions,
                     soup_session_new_with_options ("max-conns", G_MAXINT, "max-conns-per-host",
                                                    G_MAXINT, "timeout", 30,
                                                    /* Loopback load: no proxy. The default
                                                     * resolver (libproxy) reads its files on
                                                     * every connection, behind one lock. */
                                                    "proxy-resolver", NULL, NULL));
  lg.rand = g_rand_new_with_seed (opt->seed);
  if (opt->interests_share > 0 && opt->interest_tags > 0)
    {
      /* Zipf with exponent 1: tag k (from 1) is drawn in proportion to 1/k. */
      lg.zipf_cdf = g_new (double, opt->interest_tags);
      double sum = 0;
      for (guint k = 0; k < opt->interest_tags; k++)
        lg.zipf_cdf[k] = (sum += 1.0 / (k + 1));
      for (guint k = 0; k < opt->interest_tags; k++)
        lg.zipf_cdf[k] /= sum;
    }
  lg.ledger = sc_call_ledger_new ();
  lg.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  lg.loop = g_main_loop_new (NULL, FALSE);
  lg.vcs = g_new0 (Vc, opt->clients);
  guint n_servers = g_strv_length (opt->servers);
  for (guint i = 0; i < opt->clients; i++)
    {
      lg.vcs[i].lg = &lg;
      lg.vcs[i].index = opt->first_client + i;
      lg.vcs[i].soup = g_ptr_array_index (lg.sessions, i / CLIENTS_PER_SESSION);
      lg.vcs[i].url = opt->servers[(opt->first_client + i) % n_servers];
    }

  lg.measuring = TRUE;
  gint64 start = lg.start_us = g_get_monotonic_time ();
  lg.ramp_source = g_timeout_add (10, ramp_cb, &lg);
  ramp_cb (&lg);
  run_for (&lg, opt->duration_s * 1000);
  lg.measuring = FALSE;
  lg.stopping = TRUE;
  res->seconds = (g_get_monotonic_time () - start) / 1e6;
  g_clear_handle_id (&lg.ramp_source, g_source_remove);

  if (opt->chaos)
    {
      /* No more actions; those away come back; grace periods run out. Then judge. */
      for (guint i = 0; i < opt->clients; i++)
        if (lg.vcs[i].state >= VC_IDLE)
          g_clear_handle_id (&lg.vcs[i].timer, g_source_remove);
      run_for (&lg, SETTLE_S (opt->grace_s) * 1000);
      res->violations = sc_call_ledger_check (lg.ledger, still_there, &lg, report);
      /* What the clients a violation names said and heard last. */
      if (res->violations > 0)
        {
          g_autoptr(GHashTable) named = g_hash_table_new (NULL, NULL);
          g_autoptr(GRegex) client_re = g_regex_new ("client (\\d+)", 0, 0, NULL);
          g_autoptr(GMatchInfo) match = NULL;
          g_autofree char *text = g_strdup (report->str);
          g_regex_match (client_re, text, 0, &match);
          while (g_match_info_matches (match))
            {
              g_autofree char *n = g_match_info_fetch (match, 1);
              guint index = (guint) g_ascii_strtoull (n, NULL, 10);
              if (index >= opt->first_client && index < opt->first_client + opt->clients &&
                  g_hash_table_add (named, GUINT_TO_POINTER (index + 1)))
                {
                  Vc *named_vc = &lg.vcs[index - opt->first_client];
                  if (named_vc->snapshot)
                    g_string_append_printf (report, "  client %u when it first looked in two "
                                            "calls:\n%s", index, named_vc->snapshot->str);
                  vc_print_history (named_vc, start, report);
                }
              g_match_info_next (match, NULL);
            }
        }
    }
  for (guint i = 0; i < opt->clients; i++)
    if (lg.vcs[i].ws && lg.vcs[i].state >= VC_IDLE)
      res->connected++;
  res->calls_seen = sc_call_ledger_n_calls (lg.ledger);

  if (lg.latencies->len > 0)
    {
      g_array_sort (lg.latencies, compare_double);
      res->p50_ms = g_array_index (lg.latencies, double, lg.latencies->len / 2);
      res->p99_ms = g_array_index (lg.latencies, double, MIN (lg.latencies->len - 1,
                                                               lg.latencies->len * 99 / 100));
    }

  /* Leave cleanly. */
  for (guint i = 0; i < opt->clients; i++)
    {
      Vc *vc = &lg.vcs[i];
      g_clear_handle_id (&vc->timer, g_source_remove);
      if (vc->ws)
        {
          SoupWebsocketConnection *ws = g_object_ref (vc->ws);
          vc_forget_ws (vc);
          if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_object_unref (ws);
        }
    }
  run_for (&lg, 300);
  for (guint i = 0; i < lg.sessions->len; i++)
    soup_session_abort (g_ptr_array_index (lg.sessions, i));

  for (guint i = 0; i < opt->clients; i++)
    {
      Vc *vc = &lg.vcs[i];
      g_free (vc->id);
      g_free (vc->token);
      g_free (vc->call);
      g_free (vc->peer);
      g_free (vc->last_peer);
      g_free (vc->report_unsettled);
      g_free (vc->report_forgotten);
      if (vc->snapshot)
        g_string_free (vc->snapshot, TRUE);
    }
  g_free (lg.vcs);
  g_main_loop_unref (lg.loop);
  res->latencies = lg.latencies;
  sc_call_ledger_free (lg.ledger);
  g_rand_free (lg.rand);
  g_free (lg.zipf_cdf);
  g_ptr_array_unref (lg.sessions);
  return TRUE;
}
