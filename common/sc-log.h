/* sc-log.h: one log format for both programs: time, level, domain, message, on stderr
 * or in a file. Never on stdout (headless events) and never on a drawn screen. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sc_log_init (gboolean     verbose,
                      const char  *log_file,
                      GError     **error);

G_END_DECLS
