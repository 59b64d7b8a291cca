/* sc-log.c: see sc-log.h. */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "sc-log.h"

static gboolean log_verbose;
static FILE *log_stream;
static gboolean foreign_debug;  /* G_MESSAGES_DEBUG was set at start */

static const char *
level_name (GLogLevelFlags level)
{
  switch (level & G_LOG_LEVEL_MASK)
    {
    case G_LOG_LEVEL_ERROR: return "ERROR";
    case G_LOG_LEVEL_CRITICAL: return "CRITICAL";
    case G_LOG_LEVEL_WARNING: return "WARNING";
    case G_LOG_LEVEL_MESSAGE: return "MESSAGE";
    case G_LOG_LEVEL_INFO: return "INFO";
    case G_LOG_LEVEL_DEBUG: return "DEBUG";
    default: return "LOG";
    }
}

/* -v shows showcast's own info and debug lines, whatever G_MESSAGES_DEBUG says. */
static gboolean
verbose_for (const char *domain)
{
  return log_verbose && domain && g_str_has_prefix (domain, "showcast");
}

static GLogWriterOutput
sc_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  /* Other libraries' info and debug lines (libsoup logs every frame) only when
   * G_MESSAGES_DEBUG names them, as GLib does by default. */
  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) && !verbose_for (domain) &&
      g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%H:%M:%S.%f");
  stamp[12] = '\0';  /* milliseconds are enough */

  FILE *out = log_stream ? log_stream : stderr;
  fprintf (out, "%s %-8s %s: %s\n", stamp, level_name (level),
           domain ? domain : "showcast", message ? message : "");
  fflush (out);
  return G_LOG_WRITER_HANDLED;
}

/* The handler of g_log() calls, ahead of the writer. libsoup logs every WebSocket frame
 * it queues, sends and receives (three g_debug() a frame), and GLib formats each
 * message and turns it into structured fields before any writer can drop it: 7.5 % of
 * the server's CPU at saturation (perf), for lines nobody asked for. Other libraries'
 * debug and info lines are dropped here, before the structured step, unless
 * G_MESSAGES_DEBUG was set at start (then GLib's own rules apply, as before). */
static void
sc_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) && !foreign_debug &&
      !verbose_for (domain))
    return;
  g_log_default_handler (domain, level, message, data);
}

/**
 * sc_log_init:
 * @verbose: also write debug and info lines
 * @log_file: (nullable): append to this file instead of stderr
 */
gboolean
sc_log_init (gboolean verbose, const char *log_file, GError **error)
{
  log_verbose = verbose;
  if (log_file != NULL)
    {
      log_stream = fopen (log_file, "ae");
      if (log_stream == NULL)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "%s: %s", log_file, g_strerror (saved));
          return FALSE;
        }
    }
  foreign_debug = g_getenv ("G_MESSAGES_DEBUG") != NULL;
  g_log_set_default_handler (sc_log_handler, NULL);
  g_log_set_writer_func (sc_log_writer, NULL, NULL);
  return TRUE;
}
