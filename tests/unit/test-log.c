/* test-log.c: which lines the log keeps. Each case runs in a subprocess of its own,
 * because a program installs its log writer once. */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "sc-log.h"

/* The parent's process id in the name: the normal and the sanitizer builds' tests may
 * run at once. The subprocess inherits it through the environment. */
static char *
log_path (void)
{
  const char *path = g_getenv ("SC_TEST_LOG_PATH");
  if (path != NULL)
    return g_strdup (path);
  g_autofree char *name = g_strdup_printf ("showcast-test-log-%d.txt", (int) getpid ());
  char *fresh = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_setenv ("SC_TEST_LOG_PATH", fresh, TRUE);
  return fresh;
}

/* Logs one line of each kind into a fresh file and exits. */
static void
write_lines (gboolean verbose)
{
  g_autofree char *path = log_path ();
  g_unlink (path);
  g_autoptr(GError) error = NULL;
  g_assert_true (sc_log_init (verbose, path, &error));
  g_log ("libsoup", G_LOG_LEVEL_DEBUG, "foreign debug %d", 1);
  g_log ("libsoup", G_LOG_LEVEL_INFO, "foreign info");
  g_log ("showcast-test", G_LOG_LEVEL_DEBUG, "own debug %s", "line");
  g_log ("libsoup", G_LOG_LEVEL_MESSAGE, "foreign message");
  g_log_structured ("libsoup", G_LOG_LEVEL_DEBUG, "MESSAGE", "foreign structured debug");
}

static char *
read_lines (void)
{
  g_autofree char *path = log_path ();
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_unlink (path);
  return text;
}

/* One way of starting the log, and what the file must and must not hold. */
typedef struct
{
  gboolean verbose;
  const char *messages_debug;     /* G_MESSAGES_DEBUG, or NULL for unset */
  const char *present[5];
  const char *absent[5];
} LogCase;

static const LogCase cases[] = {
  { FALSE, NULL,
    { "MESSAGE  libsoup: foreign message" },
    { "foreign debug", "foreign info", "foreign structured debug", "own debug" } },
  { TRUE, NULL,
    { "DEBUG    showcast-test: own debug line", "foreign message" },
    { "foreign debug", "foreign structured debug" } },
  /* G_MESSAGES_DEBUG still names the libraries whose debug lines are wanted. */
  { FALSE, "libsoup",
    { "DEBUG    libsoup: foreign debug 1", "INFO     libsoup: foreign info",
      "foreign structured debug" },
    { "own debug" } },
};

static void
test_case (gconstpointer data)
{
  const LogCase *c = data;
  if (g_test_subprocess ())
    {
      if (c->messages_debug)
        g_setenv ("G_MESSAGES_DEBUG", c->messages_debug, TRUE);
      else
        g_unsetenv ("G_MESSAGES_DEBUG");
      write_lines (c->verbose);
      return;
    }
  g_free (log_path ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_autofree char *text = read_lines ();
  for (guint i = 0; i < G_N_ELEMENTS (c->present) && c->present[i]; i++)
    g_assert_nonnull (strstr (text, c->present[i]));
  for (guint i = 0; i < G_N_ELEMENTS (c->absent) && c->absent[i]; i++)
    g_assert_null (strstr (text, c->absent[i]));
}

int
main (int argc, char **argv)
{
  static const char *const names[] = { "/log/quiet", "/log/verbose", "/log/messages-debug" };
  G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (cases));
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (names[i], &cases[i], test_case);
  return g_test_run ();
}
