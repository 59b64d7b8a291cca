/* sc-call-statistics.c: connection quality from webrtcbin's statistics, once a
 * second, and a peer that has gone silent. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-call-private.h"

/* ---- Statistics --------------------------------------------------------------------- */

static double
stat_number (const GstStructure *s, const char *field)
{
  const GValue *v = gst_structure_get_value (s, field);
  if (v == NULL)
    return 0;
  switch (G_VALUE_TYPE (v))
    {
    case G_TYPE_UINT64: return (double) g_value_get_uint64 (v);
    case G_TYPE_INT64: return (double) g_value_get_int64 (v);
    case G_TYPE_UINT: return g_value_get_uint (v);
    case G_TYPE_INT: return g_value_get_int (v);
    case G_TYPE_DOUBLE: return g_value_get_double (v);
    default: return 0;
    }
}

/* Packets lost on their way to us. GStreamer 1.22's inbound-rtp has no "packets-lost"
 * (its remote-inbound-rtp does, but that is the peer's count of what we sent); the
 * count is in the RTP source's own statistics nested in it. Newer versions put it in
 * inbound-rtp itself, which is then preferred. */
static double
inbound_packets_lost (const GstStructure *inbound)
{
  if (gst_structure_has_field (inbound, "packets-lost"))
    return stat_number (inbound, "packets-lost");
  const GValue *source = gst_structure_get_value (inbound, "gst-rtpsource-stats");
  if (source == NULL || !GST_VALUE_HOLDS_STRUCTURE (source))
    return 0;
  return stat_number (gst_value_get_structure (source), "packets-lost");
}

static gboolean
add_stat (GQuark field, const GValue *value, gpointer data)
{
  StatsTotals *totals = data;
  GstWebRTCStatsType type;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  const GstStructure *s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL))
    return TRUE;

  switch (type)
    {
    case GST_WEBRTC_STATS_INBOUND_RTP:
      totals->bytes_in += (guint64) stat_number (s, "bytes-received");
      totals->packets_in += (guint64) stat_number (s, "packets-received");
      totals->packets_lost += (gint64) inbound_packets_lost (s);
      break;
    case GST_WEBRTC_STATS_OUTBOUND_RTP:
      totals->bytes_out += (guint64) stat_number (s, "bytes-sent");
      break;
    case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
      if (gst_structure_has_field (s, "round-trip-time"))
        totals->rtt_ms = MAX (totals->rtt_ms, stat_number (s, "round-trip-time") * 1000.0);
      break;
    default:
      break;
    }
  return TRUE;
}

static void
on_stats (GstPromise *promise, gpointer data)
{
  g_autoptr(ScCall) self = call_promise_answered (promise, data);
  if (self == NULL || gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED)
    return;
  const GstStructure *reply = gst_promise_get_reply (promise);
  if (reply == NULL)
    return;

  CallEvent *ev = call_event_new (self, EV_STATS);
  ev->stats.rtt_ms = -1;
  ev->stats.at_us = g_get_monotonic_time ();
  gst_structure_foreach (reply, add_stat, &ev->stats);
  call_post (ev);
}

static gboolean
stats_tick (gpointer data)
{
  ScCall *self = data;
  GstPromise *promise = call_promise_new (self, on_stats);
  g_signal_emit_by_name (self->webrtc, "get-stats", NULL, promise);
  gst_promise_unref (promise);
  return G_SOURCE_CONTINUE;
}

void
call_start_stats (ScCall *self)
{
  if (self->stats_source)
    return;
  GSource *source = g_timeout_source_new (STATS_INTERVAL_MS);
  g_source_set_callback (source, stats_tick, self, NULL);
  self->stats_source = g_source_attach (source, self->context);
  g_source_unref (source);
  /* No reading at once: the call has just connected, and get-stats holds webrtcbin's
   * lock while it walks every RTP session, just when the first packets want webrtcbin
   * to announce their streams (measured: the answerer's first video packet then took
   * 11 ms, p50, to become a stream). The first tick takes the baseline. */
}

void
call_report_stats (ScCall *self, const StatsTotals *now)
{
  StatsTotals last = self->last_stats;
  self->last_stats = *now;
  if (last.at_us == 0)
    return;   /* the first reading only sets the baseline */

  double seconds = (now->at_us - last.at_us) / 1e6;
  if (seconds <= 0)
    return;
  if (now->packets_in > last.packets_in)
    self->media_seen_us = now->at_us;
  else if (self->connected && !self->silence_reported &&
           now->at_us - self->media_seen_us >= PEER_SILENCE_MS * 1000)
    {
      self->silence_reported = TRUE;
      g_signal_emit (self, call_signals[SIG_FAILED], 0, "nothing has come from the peer for 4 s");
      return;
    }
  double lost = MAX (0, (double) (now->packets_lost - last.packets_lost));
  double got = now->packets_in >= last.packets_in ? (double) (now->packets_in - last.packets_in) : 0;
  ScCallStats stats = {
    .rtt_ms = now->rtt_ms,
    .kbps_in = now->bytes_in >= last.bytes_in ? (now->bytes_in - last.bytes_in) * 8 / seconds / 1000 : 0,
    .kbps_out = now->bytes_out >= last.bytes_out ? (now->bytes_out - last.bytes_out) * 8 / seconds / 1000 : 0,
    .loss_percent = lost + got > 0 ? 100.0 * lost / (lost + got) : 0,
  };
  g_signal_emit (self, call_signals[SIG_STATS], 0, &stats);
}
