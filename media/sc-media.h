/* sc-media.h: process-wide media set-up, once, before any call exists. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sc_media_init (int *argc, char ***argv, GError **error);

G_END_DECLS
