/* sc-term-probe.c: see sc-term-probe.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sc-term-probe.h"

static const char *const names[] = {
  [SC_TERM_GRAPHICS_AUTO] = "auto",
  [SC_TERM_GRAPHICS_BLOCKS] = "blocks",
  [SC_TERM_GRAPHICS_SIXEL] = "sixel",
  [SC_TERM_GRAPHICS_KITTY] = "kitty",
};

gboolean
sc_term_graphics_from_string (const char *text, ScTermGraphics *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (text && g_str_equal (text, names[i]))
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sc_term_graphics_to_string (ScTermGraphics mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (names), "?");
  return names[mode];
}

char *
sc_term_probe_queries (const char *shm_name)
{
  g_autofree char *shm_query = NULL;
  if (shm_name)
    {
      g_autofree char *name = g_base64_encode ((const guint8 *) shm_name, strlen (shm_name));
      shm_query = g_strdup_printf ("\033_Gi=32,s=1,v=1,a=q,t=s,f=24;%s\033\\", name);
    }
  return g_strconcat ("\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\",   /* kitty graphics */
                      shm_query ? shm_query : "",     /* kitty reading our shared memory */
                      "\033[>q"                       /* XTVERSION */
                      "\033[16t"                      /* cell size in pixels */
                      "\033[14t"                      /* text area in pixels */
                      "\033[?1;1;0S"                  /* sixel colour registers */
                      "\033[c",                       /* DA1, last */
                      NULL);
}

/* Up to @max numbers separated by ';' in data[*i..len) ending at a final byte in
 * @finals: returns the final byte, or 0 (and leaves *i) if there is no such sequence. */
static guint8
read_params (const guint8 *data, gsize len, gsize *i, guint *params, guint max, guint *n,
             const char *finals)
{
  gsize j = *i;
  *n = 0;
  guint value = 0;
  gboolean have = FALSE;
  for (; j < len && j - *i < 64; j++)
    {
      guint8 c = data[j];
      if (c >= '0' && c <= '9')
        {
          value = MIN (value * 10 + (c - '0'), 1000000u);
          have = TRUE;
        }
      else if (c == ';' || c == ':')
        {
          if (*n < max)
            params[(*n)++] = value;
          value = 0;
          have = FALSE;
        }
      else if (strchr (finals, c) && c != '\0')
        {
          if ((have || *n > 0) && *n < max)
            params[(*n)++] = value;
          *i = j + 1;
          return c;
        }
      else
        return 0;
    }
  return 0;
}

gboolean
sc_term_probe_parse (const guint8 *data, gsize len, ScTermReplies *replies)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] != 0x1b)
        continue;
      guint8 kind = data[i + 1];
      if (kind == '_' || kind == 'P')
        {
          /* APC (kitty) or DCS (XTVERSION): up to ESC \, bounded. */
          gsize end = i + 2;
          while (end + 1 < len && end - i < 512 && !(data[end] == 0x1b && data[end + 1] == '\\'))
            end++;
          if (end + 1 >= len || data[end] != 0x1b)
            continue;
          const guint8 *body = data + i + 2;
          gsize body_len = end - (i + 2);
          if (kind == '_' && body_len >= 1 && body[0] == 'G')
            {
              /* "Gi=31;OK": the terminal draws kitty images; an error means it parsed
               * the query, which a terminal without them does not. */
              gboolean ok = g_strstr_len ((const char *) body, body_len, ";OK") != NULL;
              if (ok && g_strstr_len ((const char *) body, body_len, "i=31"))
                replies->kitty = TRUE;
              if (g_strstr_len ((const char *) body, body_len, "i=32"))
                {
                  replies->kitty_shm_answered = TRUE;
                  replies->kitty_shm = ok;
                }
            }
          else if (kind == 'P' && body_len >= 2 && body[0] == '>' && body[1] == '|')
            {
              gsize n = 0;
              for (gsize k = 2; k < body_len && n + 1 < sizeof replies->name; k++)
                if (body[k] >= 0x20 && body[k] < 0x7f)
                  replies->name[n++] = (char) body[k];
              replies->name[n] = '\0';
            }
          i = end + 1;
          continue;
        }
      if (kind != '[')
        continue;
      gsize j = i + 2;
      guint params[16], n;
      if (j < len && data[j] == '?')
        {
          j++;
          guint8 final = read_params (data, len, &j, params, G_N_ELEMENTS (params), &n, "cS");
          if (final == 'c')
            {
              replies->da1 = TRUE;
              for (guint k = 1; k < n; k++)   /* the first is the terminal's class */
                if (params[k] == 4)
                  replies->sixel = TRUE;
            }
          else if (final == 'S' && n >= 3 && params[0] == 1 && params[1] == 0)
            replies->colour_registers = params[2];
          if (final)
            i = j - 1;
          continue;
        }
      guint8 final = read_params (data, len, &j, params, G_N_ELEMENTS (params), &n, "t");
      if (final == 't' && n == 3 && params[1] > 0 && params[2] > 0 && params[1] < 10000 &&
          params[2] < 10000)
        {
          if (params[0] == 6)
            replies->cell_height = params[1], replies->cell_width = params[2];
          else if (params[0] == 4)
            replies->window_height = params[1], replies->window_width = params[2];
        }
      if (final)
        i = j - 1;
    }
  return replies->da1;
}

void
sc_term_probe_wrap_tmux (const char *sequence, gsize len, GString *out)
{
  g_string_append (out, "\033Ptmux;");
  for (gsize i = 0; i < len; i++)
    {
      if (sequence[i] == '\033')
        g_string_append_c (out, '\033');
      g_string_append_c (out, sequence[i]);
    }
  g_string_append (out, "\033\\");
}

static void
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      data += n;
      len -= (gsize) n;
    }
}

gboolean
sc_term_probe_complete (const ScTermReplies *replies, gboolean asked_shm)
{
  return replies->da1 && !(asked_shm && replies->kitty && !replies->kitty_shm_answered);
}

/* Sends @queries and reads answers until the terminal has said all (DA1, and kitty's
 * shared-memory answer if it was asked) or @deadline (monotonic µs). */
static void
ask (int fd, int out_fd, const char *queries, gsize len, gint64 deadline, ScTermReplies *replies)
{
  gboolean asked_shm = g_strstr_len (queries, (gssize) len, "i=32") != NULL;
  write_all (out_fd, queries, len);
  guint8 buffer[4096];
  gsize have = 0;
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      if (now >= deadline || have == sizeof buffer)
        break;
      struct pollfd p = { fd, POLLIN, 0 };
      int r = poll (&p, 1, (int) ((deadline - now + 999) / 1000));
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      ssize_t n = read (fd, buffer + have, sizeof buffer - have);
      if (n <= 0)
        break;
      have += (gsize) n;
      memset (replies, 0, sizeof *replies);
      sc_term_probe_parse (buffer, have, replies);
      if (sc_term_probe_complete (replies, asked_shm))
        break;
    }
}

void
sc_term_probe_run (int fd, int out_fd, guint budget_ms, ScTermReplies *replies)
{
  memset (replies, 0, sizeof *replies);
  struct termios saved, raw;
  if (tcgetattr (fd, &saved) != 0)
    return;
  raw = saved;
  /* No line editing, no echo, and no signals: an answer holding a ^C byte (a terminal
   * answering garbage) must not end the program. */
  raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_cc[VMIN] = 0;
  raw.c_cc[VTIME] = 0;
  tcsetattr (fd, TCSANOW, &raw);

  /* One pixel in shared memory: a terminal on this machine can read it. */
  g_autofree char *shm_name = g_strdup_printf ("/showcast-probe-%d", (int) getpid ());
  int shm = shm_open (shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (shm >= 0)
    {
      static const guint8 pixel[3] = { 0, 0, 0 };
      if (write (shm, pixel, sizeof pixel) != sizeof pixel)
        g_clear_pointer (&shm_name, g_free);
      close (shm);
    }
  else
    g_clear_pointer (&shm_name, g_free);
  g_autofree char *queries = sc_term_probe_queries (shm_name);
  gint64 deadline = g_get_monotonic_time () + (gint64) budget_ms * 1000;
  ask (fd, out_fd, queries, strlen (queries), deadline, replies);

  if (g_str_has_prefix (replies->name, "tmux"))
    {
      /* tmux answers for itself; the terminal around it answers only if tmux passes
       * our questions on. */
      g_autofree char *plain = sc_term_probe_queries (NULL);
      g_autoptr(GString) wrapped = g_string_new (NULL);
      sc_term_probe_wrap_tmux (plain, strlen (plain), wrapped);
      ScTermReplies outer = { 0 };
      ask (fd, out_fd, wrapped->str, wrapped->len, deadline, &outer);
      if (outer.da1 && !g_str_has_prefix (outer.name, "tmux") && (outer.sixel || outer.kitty))
        {
          *replies = outer;
          replies->through_tmux = TRUE;
          replies->kitty_shm = FALSE;
        }
    }
  /* Late answers and whatever else came are not keys for the panel. */
  tcflush (fd, TCIFLUSH);
  tcsetattr (fd, TCSANOW, &saved);
  if (shm_name)
    shm_unlink (shm_name);   /* the terminal may have done so already */
}

ScTermGraphics
sc_term_probe_choose (const ScTermReplies *replies)
{
  if (replies->kitty)
    return SC_TERM_GRAPHICS_KITTY;
  /* Sixel images need a palette: fewer than 16 registers is no picture worth drawing. */
  if (replies->sixel && (replies->colour_registers == 0 || replies->colour_registers >= 16))
    return SC_TERM_GRAPHICS_SIXEL;
  return SC_TERM_GRAPHICS_BLOCKS;
}
