/* sc-call-negotiation.c: the descriptions and candidates of a call: the offer or answer
 * made (its fingerprint corrected), the peer's taken (its payload types adopted, its
 * certificate fingerprint kept to check against the DTLS handshake), trickled
 * candidates, and the check itself. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-call-private.h"

/* webrtcbin 1.22 does not compare the certificate the peer shows in the DTLS handshake
 * with the fingerprint in its description, which is what keeps someone on the path from
 * standing in for the peer (RFC 8122, RFC 8827). So the call does, before it counts as
 * connected and sends anything. */
gboolean
call_peer_certificate_matches (ScCall *self)
{
  GstElement *decoder = g_atomic_pointer_get (&self->dtls_decoder);
  g_autofree char *pem = NULL;
  if (decoder)
    g_object_get (decoder, "peer-pem", &pem, NULL);
  g_autofree char *seen = pem ? sc_dtls_certificate_fingerprint (pem, NULL) : NULL;
  if (seen && self->remote_fingerprint && g_str_equal (seen, self->remote_fingerprint))
    return TRUE;
  g_warning ("the peer's DTLS certificate (%s) is not the one announced (%s)",
             seen ? seen : "none", self->remote_fingerprint ? self->remote_fingerprint : "none");
  return FALSE;
}

/* FALSE after posting a failure; on success *reply may be NULL (an empty reply). */
static gboolean
promise_ok (ScCall *self, GstPromise *promise, const char *what,
            const GstStructure **reply)
{
  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED)
    {
      call_post_failure (self, "%s was not answered", what);
      return FALSE;
    }
  *reply = gst_promise_get_reply (promise);
  if (*reply && gst_structure_has_field (*reply, "error"))
    {
      g_autoptr(GError) error = NULL;
      gst_structure_get (*reply, "error", G_TYPE_ERROR, &error, NULL);
      call_post_failure (self, "%s failed: %s", what, error ? error->message : "unknown error");
      return FALSE;
    }
  return TRUE;
}

/* webrtcbin 1.22 hashes every base64 line of the certificate property for the
 * description's fingerprint: given a PEM that holds the key too, as every certificate of
 * our own does, it announces a hash of certificate and key. The right one replaces it. */
static void
correct_fingerprints (GstSDPMessage *sdp)
{
  const char *ours = sc_dtls_certificate_get_fingerprint ();
  if (ours == NULL)
    return;
  g_autofree char *value = g_strdup_printf ("sha-256 %s", ours);
  for (guint i = 0; i < gst_sdp_message_attributes_len (sdp); i++)
    if (g_str_equal (gst_sdp_message_get_attribute (sdp, i)->key, "fingerprint"))
      {
        GstSDPAttribute attribute;
        gst_sdp_attribute_set (&attribute, "fingerprint", value);
        gst_sdp_message_replace_attribute (sdp, i, &attribute);
      }
  for (guint m = 0; m < gst_sdp_message_medias_len (sdp); m++)
    {
      GstSDPMedia *media = (GstSDPMedia *) gst_sdp_message_get_media (sdp, m);
      for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++)
        if (g_str_equal (gst_sdp_media_get_attribute (media, i)->key, "fingerprint"))
          {
            GstSDPAttribute attribute;
            gst_sdp_attribute_set (&attribute, "fingerprint", value);
            gst_sdp_media_replace_attribute (media, i, &attribute);
          }
    }
}

static void
on_local_description_set (GstPromise *promise, gpointer data)
{
  g_autoptr(ScCall) self = call_promise_answered (promise, data);
  if (self == NULL)
    return;
  const GstStructure *reply = NULL;
  promise_ok (self, promise, "applying our own description", &reply);
}

static void
publish_local_description (ScCall *self, const GstStructure *reply, const char *type)
{
  GstWebRTCSessionDescription *desc = NULL;
  gst_structure_get (reply, type, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL);
  if (desc == NULL)
    {
      call_post_failure (self, "webrtcbin made no %s", type);
      return;
    }
  correct_fingerprints (desc->sdp);
  /* With a promise, like every task (see call_promise_new): the call may have been
   * stopped, and webrtcbin closed, since the offer or answer was made. */
  GstPromise *promise = call_promise_new (self, on_local_description_set);
  g_signal_emit_by_name (self->webrtc, "set-local-description", desc, promise);
  gst_promise_unref (promise);

  CallEvent *ev = call_event_new (self, EV_LOCAL_DESCRIPTION);
  ev->text = g_strdup (type);
  ev->text2 = gst_sdp_message_as_text (desc->sdp);
  call_post (ev);
  gst_webrtc_session_description_free (desc);
}

static void
on_offer_created (GstPromise *promise, gpointer data)
{
  g_autoptr(ScCall) self = call_promise_answered (promise, data);
  if (self == NULL)
    return;
  const GstStructure *reply = NULL;
  if (promise_ok (self, promise, "creating the offer", &reply) && reply)
    publish_local_description (self, reply, "offer");
}

static void
on_answer_created (GstPromise *promise, gpointer data)
{
  g_autoptr(ScCall) self = call_promise_answered (promise, data);
  if (self == NULL)
    return;
  const GstStructure *reply = NULL;
  if (promise_ok (self, promise, "creating the answer", &reply) && reply)
    publish_local_description (self, reply, "answer");
}

static void
on_remote_description_set (GstPromise *promise, gpointer data)
{
  g_autoptr(ScCall) self = call_promise_answered (promise, data);
  if (self == NULL)
    return;
  const GstStructure *reply = NULL;
  if (!promise_ok (self, promise, "applying the peer's description", &reply))
    return;

  /* The answerer answers once the offer is in place. */
  if (!self->offerer)
    {
      GstPromise *answer = call_promise_new (self, on_answer_created);
      g_signal_emit_by_name (self->webrtc, "create-answer", NULL, answer);
      gst_promise_unref (answer);
    }
}

void
call_create_offer (ScCall *self)
{
  self->offer_requested = TRUE;
  GstPromise *promise = call_promise_new (self, on_offer_created);
  g_signal_emit_by_name (self->webrtc, "create-offer", NULL, promise);
  gst_promise_unref (promise);   /* webrtcbin holds its own reference while it works */
}

/* An answer takes the offer's payload types (sc-rtp-format.h). */
static void
take_offered_payload_types (ScCall *self, const GstSDPMessage *offer)
{
  static const ScRtpKind kinds[] = { SC_RTP_VIDEO, SC_RTP_AUDIO };
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gint pt = sc_rtp_format_offered_pt (offer, kinds[i]);
      gint now = g_atomic_int_get (kinds[i] == SC_RTP_VIDEO ? &self->video_pt : &self->audio_pt);
      if (pt < 0 || pt == now)
        continue;
      g_debug ("the offer sends %s as %d: answering with it", kinds[i] == SC_RTP_VIDEO
               ? "VP8" : "Opus", pt);
      call_set_send_format (self, kinds[i], pt);
      if (kinds[i] == SC_RTP_AUDIO && self->audio_receiver)
        {
          g_autoptr(GstCaps) caps = sc_rtp_format_caps (SC_RTP_AUDIO, pt, 0);
          g_object_set (self->audio_receiver, "codec-preferences", caps, NULL);
          self->audio_pt = pt;
        }
    }
}

/* The certificate fingerprint the peer's description announces ("sha-256 AB:CD:…",
 * RFC 8122), for the session or for its media: there must be one, and only one value.
 * NULL otherwise. */
static gboolean
take_fingerprint (const char *value, char **found)
{
  g_auto(GStrv) parts = g_strsplit (value, " ", 2);
  if (g_strv_length (parts) != 2 || g_ascii_strcasecmp (parts[0], "sha-256") != 0)
    return TRUE;   /* another hash: not one we check, not wrong either */
  g_autofree char *hash = g_ascii_strup (g_strstrip (parts[1]), -1);
  if (*found && !g_str_equal (*found, hash))
    return FALSE;
  if (*found == NULL)
    *found = g_steal_pointer (&hash);
  return TRUE;
}

char *
call_remote_fingerprint (const GstSDPMessage *sdp)
{
  g_autofree char *found = NULL;
  for (guint i = 0; i < gst_sdp_message_attributes_len (sdp); i++)
    {
      const GstSDPAttribute *attribute = gst_sdp_message_get_attribute (sdp, i);
      if (g_str_equal (attribute->key, "fingerprint") && attribute->value &&
          !take_fingerprint (attribute->value, &found))
        return NULL;
    }
  for (guint m = 0; m < gst_sdp_message_medias_len (sdp); m++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (sdp, m);
      for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++)
        {
          const GstSDPAttribute *attribute = gst_sdp_media_get_attribute (media, i);
          if (g_str_equal (attribute->key, "fingerprint") && attribute->value &&
              !take_fingerprint (attribute->value, &found))
            return NULL;
        }
    }
  return g_steal_pointer (&found);
}

gboolean
sc_call_set_remote_description (ScCall *self, const char *type, const char *sdp,
                                GError **error)
{
  g_return_val_if_fail (SC_IS_CALL (self), FALSE);

  const char *expected = self->offerer ? "answer" : "offer";
  if (!g_str_equal (type, expected) || self->remote_requested)
    {
      g_set_error (error, SC_CALL_ERROR, SC_CALL_ERROR_SDP,
                   "unexpected %s from the peer", type);
      return FALSE;
    }

  GstSDPMessage *message = NULL;
  if (gst_sdp_message_new_from_text (sdp, &message) != GST_SDP_OK || message == NULL)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_SDP,
                           "the peer's session description is not valid SDP");
      if (message)
        gst_sdp_message_free (message);
      return FALSE;
    }
  g_debug ("remote %s:\n%s", type, sdp);
  if (!self->offerer)
    take_offered_payload_types (self, message);
  g_autofree char *fingerprint = call_remote_fingerprint (message);
  if (fingerprint == NULL)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_SDP,
                           "the peer's session description has no single SHA-256 "
                           "certificate fingerprint");
      gst_sdp_message_free (message);
      return FALSE;
    }
  g_free (self->remote_fingerprint);
  self->remote_fingerprint = g_steal_pointer (&fingerprint);
  GstWebRTCSessionDescription *desc = gst_webrtc_session_description_new (
    self->offerer ? GST_WEBRTC_SDP_TYPE_ANSWER : GST_WEBRTC_SDP_TYPE_OFFER, message);

  GstPromise *promise = call_promise_new (self, on_remote_description_set);
  call_mark (self, MARK_REMOTE_DESCRIPTION, g_get_monotonic_time ());
  g_signal_emit_by_name (self->webrtc, "set-remote-description", desc, promise);
  gst_promise_unref (promise);
  gst_webrtc_session_description_free (desc);
  self->remote_requested = TRUE;

  /* webrtcbin runs its operations in order: candidates queued behind the description
   * are applied after it. */
  for (guint i = 0; i < self->pending_candidates->len; i++)
    {
      CandidateEntry *entry = g_ptr_array_index (self->pending_candidates, i);
      g_signal_emit_by_name (self->webrtc, "add-ice-candidate", entry->mline, entry->candidate);
    }
  g_ptr_array_set_size (self->pending_candidates, 0);
  return TRUE;
}

void
sc_call_add_remote_candidate (ScCall *self, guint mline, const char *candidate)
{
  g_return_if_fail (SC_IS_CALL (self));

  if (candidate == NULL || *candidate == '\0')
    return;   /* end of candidates: nothing to do for webrtcbin */
  if (!self->remote_requested)
    {
      CandidateEntry *entry = g_new0 (CandidateEntry, 1);
      entry->mline = mline;
      entry->candidate = g_strdup (candidate);
      if (self->pending_candidates->len < 64)
        g_ptr_array_add (self->pending_candidates, entry);
      else
        call_candidate_entry_free (entry);
      return;
    }
  g_debug ("remote candidate %u: %s", mline, candidate);
  g_signal_emit_by_name (self->webrtc, "add-ice-candidate", mline, candidate);
}
