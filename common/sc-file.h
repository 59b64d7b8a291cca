/* sc-file.h: opening the client's private files (its key, its log). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sc_file_open_private (const char  *path,
                          int          flags,
                          GError     **error);

G_END_DECLS
