/* sc-media.h: process-wide media set-up, once, before any call exists. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sc_media_init (int *argc, char ***argv, GError **error);
/* Makes the process's DTLS certificates now, in the background, instead of inside the
 * first call's negotiation (GStreamer's RSA key: 50–300 ms here). */
void     sc_media_prepare (void);
/* Waits for what sc_media_prepare() started and for calls still being torn down; call
 * before leaving main(). */
void     sc_media_finish (void);

G_END_DECLS
