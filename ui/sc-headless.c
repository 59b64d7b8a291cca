/* sc-headless.c: see sc-headless.h.
 *
 * Input is read in chunks and split into lines here rather than with GDataInputStream,
 * whose line reader has no length limit: a line longer than SC_HEADLESS_MAX_LINE is
 * skipped whole and answered with one error event.
 */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sc-command.h"
#include "sc-headless.h"
#include "sc-headless-json.h"
#include "sc-protocol.h"

#define READ_CHUNK 4096

struct _ScHeadless
{
  GObject parent_instance;

  ScCore *core;              /* unowned: the program owns both */
  GInputStream *input;
  FILE *output;
  GCancellable *cancellable;
  GByteArray *line;
  gboolean discarding;       /* inside an over-long line */
  guint8 chunk[READ_CHUNK];
};

static void sc_headless_frontend_init (ScFrontendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScHeadless, sc_headless, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_FRONTEND,
                                                      sc_headless_frontend_init))

static void
sc_headless_handle_event (ScFrontend *frontend, const ScEvent *event)
{
  ScHeadless *self = SC_HEADLESS (frontend);
  g_autofree char *line = sc_headless_event_to_json (event);
  fputs (line, self->output);
  fputc ('\n', self->output);
  fflush (self->output);
}

static void
sc_headless_frontend_init (ScFrontendInterface *iface)
{
  iface->handle_event = sc_headless_handle_event;
}

static gboolean
is_blank (const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

static void
run_line (ScHeadless *self, const guint8 *data, gsize len)
{
  if (is_blank (data, len))
    return;

  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = sc_json_parse_object ((const char *) data, len,
                                                        SC_HEADLESS_MAX_LINE, 4, &error);
  if (request == NULL)
    {
      sc_core_report_error (self->core, "bad-json", error->message);
      return;
    }
  if (!sc_command_run (self->core, request, &error))
    sc_core_report_error (self->core, sc_command_error_code (error), error->message);
}

static void
take_input (ScHeadless *self, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      const guint8 *newline = memchr (data, '\n', len);
      gsize part = newline ? (gsize) (newline - data) : len;

      if (!self->discarding)
        {
          if (self->line->len + part > SC_HEADLESS_MAX_LINE)
            {
              self->discarding = TRUE;
              g_byte_array_set_size (self->line, 0);
            }
          else
            g_byte_array_append (self->line, data, part);
        }

      if (newline == NULL)
        return;

      if (self->discarding)
        {
          self->discarding = FALSE;
          g_autofree char *text = g_strdup_printf (_("Input line longer than %d bytes ignored."),
                                                   SC_HEADLESS_MAX_LINE);
          sc_core_report_error (self->core, "line-too-long", text);
        }
      else
        {
          /* Copy: running a command may emit events, but never re-enters input. */
          g_autoptr(GByteArray) line = g_byte_array_sized_new (self->line->len);
          g_byte_array_append (line, self->line->data, self->line->len);
          g_byte_array_set_size (self->line, 0);
          run_line (self, line->data, line->len);
        }
      data = newline + 1;
      len -= part + 1;
    }
}

static void read_more (ScHeadless *self);

static void
read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  ScHeadless *self = data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (n <= 0)
    {
      /* End of input: a script that is done, or a closed pipe. A last line without
       * a newline still counts. */
      if (n < 0)
        g_warning ("reading commands: %s", error->message);
      if (self->line->len > 0 && !self->discarding)
        take_input (self, (const guint8 *) "\n", 1);
      sc_core_quit (self->core);
      g_object_unref (self);
      return;
    }
  take_input (self, self->chunk, (gsize) n);
  read_more (self);
  g_object_unref (self);
}

static void
read_more (ScHeadless *self)
{
  if (sc_core_get_state (self->core) == SC_CORE_CLOSED)
    return;
  g_input_stream_read_async (self->input, self->chunk, sizeof self->chunk, G_PRIORITY_DEFAULT,
                             self->cancellable, read_cb, g_object_ref (self));
}

void
sc_headless_start (ScHeadless *self)
{
  read_more (self);
}

static void
sc_headless_dispose (GObject *object)
{
  ScHeadless *self = SC_HEADLESS (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->input);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sc_headless_parent_class)->dispose (object);
}

static void
sc_headless_finalize (GObject *object)
{
  g_byte_array_unref (SC_HEADLESS (object)->line);
  G_OBJECT_CLASS (sc_headless_parent_class)->finalize (object);
}

static void
sc_headless_class_init (ScHeadlessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_headless_dispose;
  object_class->finalize = sc_headless_finalize;
}

static void
sc_headless_init (ScHeadless *self)
{
  self->cancellable = g_cancellable_new ();
  self->line = g_byte_array_new ();
}

ScHeadless *
sc_headless_new (ScCore *core, GInputStream *input, FILE *output)
{
  ScHeadless *self = g_object_new (SC_TYPE_HEADLESS, NULL);
  self->core = core;
  self->input = g_object_ref (input);
  self->output = output;
  return self;
}
