/* sc-rtp-format.c: see sc-rtp-format.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <stdlib.h>

#include "sc-rtp-format.h"

GstCaps *
sc_rtp_format_caps (ScRtpKind kind, gint pt, guint32 ssrc)
{
  GstCaps *caps = kind == SC_RTP_VIDEO
    ? gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "video",
                           "encoding-name", G_TYPE_STRING, "VP8",
                           "clock-rate", G_TYPE_INT, 90000,
                           "payload", G_TYPE_INT, pt, NULL)
    : gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                           "encoding-name", G_TYPE_STRING, "OPUS",
                           "clock-rate", G_TYPE_INT, 48000,
                           "encoding-params", G_TYPE_STRING, "2",
                           "payload", G_TYPE_INT, pt, NULL);
  if (ssrc != 0)
    gst_caps_set_simple (caps, "ssrc", G_TYPE_UINT, ssrc, NULL);
  return caps;
}

/* "VP8/90000" or "opus/48000/2" (the part of an a=rtpmap after the payload type). */
static gboolean
rtpmap_names (const char *rtpmap, ScRtpKind kind)
{
  g_auto(GStrv) parts = g_strsplit (rtpmap, "/", 3);
  if (parts[0] == NULL || parts[1] == NULL)
    return FALSE;
  if (kind == SC_RTP_VIDEO)
    return g_ascii_strcasecmp (parts[0], "VP8") == 0 && g_str_equal (parts[1], "90000");
  return g_ascii_strcasecmp (parts[0], "opus") == 0 && g_str_equal (parts[1], "48000") &&
         (parts[2] == NULL || g_str_equal (parts[2], "2"));
}

gint
sc_rtp_format_offered_pt (const GstSDPMessage *sdp, ScRtpKind kind)
{
  const char *want = kind == SC_RTP_VIDEO ? "video" : "audio";
  for (guint i = 0; i < gst_sdp_message_medias_len (sdp); i++)
    {
      const GstSDPMedia *media = gst_sdp_message_get_media (sdp, i);
      if (g_strcmp0 (gst_sdp_media_get_media (media), want) != 0)
        continue;
      /* In the order of preference the m-line gives. */
      for (guint f = 0; f < gst_sdp_media_formats_len (media); f++)
        {
          const char *format = gst_sdp_media_get_format (media, f);
          for (guint a = 0; a < gst_sdp_media_attributes_len (media); a++)
            {
              const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, a);
              if (g_strcmp0 (attr->key, "rtpmap") != 0 || attr->value == NULL)
                continue;
              char *end = NULL;
              long pt = strtol (attr->value, &end, 10);
              if (end == attr->value || *end != ' ' || pt < 0 || pt > 127 ||
                  pt != strtol (format, NULL, 10))
                continue;
              if (rtpmap_names (end + 1, kind))
                return (gint) pt;
            }
        }
      return -1;   /* the first m-line of that kind is the one showcast's stream takes */
    }
  return -1;
}
