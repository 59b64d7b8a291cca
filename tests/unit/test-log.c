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

static void
test_quiet (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("G_MESSAGES_DEBUG");
      write_lines (FALSE);
      return;
    }
  g_free (log_path ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_autofree char *text = read_lines ();
  g_assert_null (strstr (text, "foreign debug"));
  g_assert_null (strstr (text, "foreign info"));
  g_assert_null (strstr (text, "foreign structured debug"));
  g_assert_null (strstr (text, "own debug"));
  g_assert_nonnull (strstr (text, "MESSAGE  libsoup: foreign message"));
}

static void
test_verbose (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("G_MESSAGES_DEBUG");
      write_lines (TRUE);
      return;
    }
  g_free (log_path ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_autofree char *text = read_lines ();
  g_assert_nonnull (strstr (text, "DEBUG    showcast-test: own debug line"));
  g_assert_null (strstr (text, "foreign debug"));
  g_assert_null (strstr (text, "foreign structured debug"));
  g_assert_nonnull (strstr (text, "foreign message"));
}

/* G_MESSAGES_DEBUG still names the libraries whose debug lines are wanted. */
static void
test_messages_debug (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("G_MESSAGES_DEBUG", "libsoup", TRUE);
      write_lines (FALSE);
      return;
    }
  g_free (log_path ());
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_autofree char *text = read_lines ();
  g_assert_nonnull (strstr (text, "DEBUG    libsoup: foreign debug 1"));
  g_assert_nonnull (strstr (text, "INFO     libsoup: foreign info"));
  g_assert_nonnull (strstr (text, "foreign structured debug"));
  g_assert_null (strstr (text, "own debug"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/log/quiet", test_quiet);
  g_test_add_func ("/log/verbose", test_verbose);
  g_test_add_func ("/log/messages-debug", test_messages_debug);
  return g_test_run ();
}
