/* sc-feed.h: one encoded stream going into one call's pipeline. A source pad of no
 * element, linked to the call's payloader, into which the sender pushes each encoded
 * frame on its own streaming thread (the encoder's, the microphone's).
 *
 * Why not an appsrc: an appsrc queues what it is given and pushes it from a thread of
 * its own, one wake-up per frame and per audio packet; on this machine a wake-up costs
 * 0.1–0.2 ms of CPU (issue #6). A feed has no queue and no thread; the push runs the
 * payloader, webrtcbin's RTP session, SRTP and the send on the caller's thread.
 *
 * The first push sends stream-start, caps and a time segment; a change of caps is sent
 * before the buffer it comes with. Each buffer is stamped with the call pipeline's
 * running time at the moment of its push, as an appsrc with do-timestamp would.
 * Pushes from several threads are serialised. A push into a pipeline going down
 * returns GST_FLOW_FLUSHING. Upstream events from the payloader (a keyframe request)
 * reach probes on sc_feed_get_pad().
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define SC_TYPE_FEED (sc_feed_get_type ())
G_DECLARE_FINAL_TYPE (ScFeed, sc_feed, SC, FEED, GObject)

/* Links a new feed to @peer, a sink pad inside @pipeline (whose clock and base time
 * stamp the buffers). */
ScFeed        *sc_feed_new     (GstElement  *pipeline,
                                GstPad      *peer,
                                GError     **error);
/* Pushes @sample's buffer (its memory shared, not copied) with @sample's caps. */
GstFlowReturn  sc_feed_push    (ScFeed      *self,
                                GstSample   *sample);
GstPad        *sc_feed_get_pad (ScFeed      *self);

G_END_DECLS
