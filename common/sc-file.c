/* sc-file.c: see sc-file.h. */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <errno.h>
#include <fcntl.h>

#include "sc-file.h"

static int
fail (const char *what, GError **error)
{
  int saved = errno;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", what,
               g_strerror (saved));
  return -1;
}

/**
 * sc_file_open_private:
 * Opens @path with @flags (plus O_CLOEXEC), creating it with mode 0600 and its folder
 * with mode 0700 where they are missing. Returns the descriptor, or -1 with @error set.
 */
int
sc_file_open_private (const char *path, int flags, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return fail (dir, error);
  int fd = open (path, flags | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail (path, error);
  return fd;
}
