/* test-panel.c: the terminal panel's models, without a terminal: chat layout by display
 * width, the input line, key bindings, typed commands, and the video renderer. */
#include "config.h"

#include <curses.h>
#include <string.h>

#include "sc-chat-view.h"
#include "sc-command.h"
#include "sc-input-line.h"
#include "sc-protocol.h"
#include "sc-keymap.h"
#include "sc-term-video.h"
#include "sc-text-width.h"

static GDateTime *
noon (void)
{
  return g_date_time_new_local (2026, 11, 22, 12, 0, 0);
}

static void
test_widths (void)
{
  g_assert_cmpuint (sc_text_width ("abc"), ==, 3);
  g_assert_cmpuint (sc_text_width ("日本語"), ==, 6);
  g_assert_cmpuint (sc_text_width ("🦊"), ==, 2);
  g_assert_cmpuint (sc_text_width ("e\u0301"), ==, 1);     /* combining accent */
  g_assert_cmpuint (sc_text_fit ("日本語", 5), ==, strlen ("日本"));
  g_assert_cmpuint (sc_text_fit ("日本語", 1), ==, 0);
}

static void
assert_rows_fit (GPtrArray *rows, guint width)
{
  for (guint i = 0; i < rows->len; i++)
    {
      ScChatRow *row = g_ptr_array_index (rows, i);
      if (sc_text_width (row->text) > width)
        g_error ("row %u is %u cells wide, over %u: %s", i, sc_text_width (row->text), width, row->text);
    }
}

static void
test_chat_wrap (void)
{
  g_autoptr(ScChatView) view = sc_chat_view_new (100);
  g_autoptr(GDateTime) t = noon ();
  sc_chat_view_add_at (view, t, SC_CHAT_PEER, "bob", "the quick brown fox jumps over the lazy dog");

  GPtrArray *rows = sc_chat_view_layout (view, 24);
  assert_rows_fit (rows, 24);
  g_assert_cmpuint (rows->len, ==, 4);
  ScChatRow *first = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (first->text, ==, "12:00 bob: the quick");
  g_assert_cmpuint (first->prefix_len, ==, strlen ("12:00 bob: "));
  /* Continuation rows are indented under the text and break at spaces. */
  g_assert_cmpstr (((ScChatRow *) g_ptr_array_index (rows, 1))->text, ==, "           brown fox");
  g_assert_cmpstr (((ScChatRow *) g_ptr_array_index (rows, 2))->text, ==, "           jumps over");
  g_assert_cmpstr (((ScChatRow *) g_ptr_array_index (rows, 3))->text, ==, "           the lazy dog");

  /* Wide characters wrap by cells, never split, never overflow. */
  g_autoptr(ScChatView) wide = sc_chat_view_new (100);
  sc_chat_view_add_at (wide, t, SC_CHAT_PEER, "李", "日本語のテキストと🦊🦊🦊がとても長く続きます");
  for (guint width = 14; width < 40; width++)
    {
      GPtrArray *r = sc_chat_view_layout (wide, width);
      assert_rows_fit (r, width);
      GString *all = g_string_new (NULL);
      for (guint i = 0; i < r->len; i++)
        {
          g_autofree char *row = g_strdup (((ScChatRow *) g_ptr_array_index (r, i))->text);
          g_string_append (all, g_strstrip (row));
        }
      g_assert_nonnull (strstr (all->str, "🦊"));
      g_string_free (all, TRUE);
    }

  /* A peer's escape sequences never reach a row: ESC and other controls are gone. */
  g_autoptr(ScChatView) evil = sc_chat_view_new (100);
  sc_chat_view_add_at (evil, t, SC_CHAT_PEER, "x\033[2J", "\033]0;title\007hi\r\n\033[31m");
  rows = sc_chat_view_layout (evil, 60);
  for (guint i = 0; i < rows->len; i++)
    for (const char *p = ((ScChatRow *) g_ptr_array_index (rows, i))->text; *p; p++)
      g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);

  /* Scrollback is bounded. */
  g_autoptr(ScChatView) small = sc_chat_view_new (3);
  for (int i = 0; i < 10; i++)
    sc_chat_view_add_at (small, t, SC_CHAT_SYSTEM, NULL, "line");
  g_assert_cmpuint (sc_chat_view_n_entries (small), ==, 3);

  /* The separator spans the width and names the peer. */
  g_autoptr(ScChatView) sep = sc_chat_view_new (3);
  sc_chat_view_add_at (sep, t, SC_CHAT_SEPARATOR, NULL, "carol");
  rows = sc_chat_view_layout (sep, 30);
  g_assert_cmpuint (sc_text_width (((ScChatRow *) g_ptr_array_index (rows, 0))->text), ==, 30);
  g_assert_nonnull (strstr (((ScChatRow *) g_ptr_array_index (rows, 0))->text, " carol "));
}

static void
type (ScInputLine *line, const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    g_assert_true (sc_input_line_insert (line, g_utf8_get_char (p)));
}

static char *
text_of (ScInputLine *line)
{
  return sc_input_line_text (line);
}

static void
test_input_line (void)
{
  g_autoptr(ScInputLine) line = sc_input_line_new ();
  type (line, "helo");
  sc_input_line_left (line);
  type (line, "l");
  g_autofree char *a = text_of (line);
  g_assert_cmpstr (a, ==, "hello");
  sc_input_line_home (line);
  sc_input_line_delete (line);
  type (line, "H");
  sc_input_line_end (line);
  type (line, " 世界");
  sc_input_line_backspace (line);
  g_autofree char *b = text_of (line);
  g_assert_cmpstr (b, ==, "Hello 世");

  /* The visible part keeps the cursor in view, in cells. */
  guint col;
  g_autofree char *visible = sc_input_line_visible (line, 5, &col);
  g_assert_cmpuint (col, <, 5);
  g_assert_cmpuint (sc_text_width (visible), <=, 5);

  /* History: up and down, and the draft comes back. */
  sc_input_line_commit (line);
  type (line, "second");
  sc_input_line_commit (line);
  type (line, "draft");
  sc_input_line_history_up (line);
  g_autofree char *c = text_of (line);
  g_assert_cmpstr (c, ==, "second");
  sc_input_line_history_up (line);
  g_autofree char *d = text_of (line);
  g_assert_cmpstr (d, ==, "Hello 世");
  sc_input_line_history_down (line);
  sc_input_line_history_down (line);
  g_autofree char *e = text_of (line);
  g_assert_cmpstr (e, ==, "draft");

  /* Bounded: past the limit, typing is refused. */
  g_autoptr(ScInputLine) full = sc_input_line_new ();
  for (guint i = 0; i < SC_INPUT_MAX_CHARS; i++)
    g_assert_true (sc_input_line_insert (full, 'x'));
  g_assert_false (sc_input_line_insert (full, 'x'));
}

static void
test_keymap (void)
{
  ScKey key;
  g_assert_true (sc_key_parse ("C-n", &key));
  g_assert_false (key.is_key);
  g_assert_cmpint (key.code, ==, 14);
  g_assert_true (sc_key_parse ("F1", &key));
  g_assert_true (key.is_key);
  g_assert_cmpint (key.code, ==, KEY_F (1));
  g_assert_true (sc_key_parse ("PageUp", &key));
  g_assert_cmpint (key.code, ==, KEY_PPAGE);
  g_assert_false (sc_key_parse ("C-", &key));
  g_assert_false (sc_key_parse ("F13", &key));
  g_assert_false (sc_key_parse ("Hyper-x", &key));

  g_autoptr(ScKeymap) map = sc_keymap_new ();
  g_assert_cmpstr (sc_keymap_lookup (map, (ScKey) { 14, FALSE }), ==, "next");
  g_assert_cmpstr (sc_keymap_lookup (map, (ScKey) { KEY_F (1), TRUE }), ==, "help");
  g_assert_cmpstr (sc_keymap_lookup (map, (ScKey) { 17, FALSE }), ==, "quit");
  g_assert_cmpstr (sc_keymap_lookup (map, (ScKey) { 3, FALSE }), ==, "quit");

  /* The config file rebinds, adds and removes. */
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (file,
      "[keys]\nC-n=\nC-k=next\nF5=video terminal\n", -1, G_KEY_FILE_NONE, NULL));
  g_autoptr(GError) error = NULL;
  g_assert_true (sc_keymap_load (map, file, "keys", &error));
  g_assert_null (sc_keymap_lookup (map, (ScKey) { 14, FALSE }));
  g_assert_cmpstr (sc_keymap_lookup (map, (ScKey) { 11, FALSE }), ==, "next");
  g_assert_cmpstr (sc_keymap_lookup (map, (ScKey) { KEY_F (5), TRUE }), ==, "video terminal");

  g_autoptr(GKeyFile) bad = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (bad, "[keys]\nSuper-x=next\n", -1, G_KEY_FILE_NONE, NULL));
  g_assert_false (sc_keymap_load (map, bad, "keys", &error));
  g_assert_nonnull (error);
}

typedef struct { const char *typed; const char *json; const char *error_code; } TypedCase;

static void
test_typed_commands (void)
{
  const TypedCase cases[] = {
    { "hello there", "{\"cmd\":\"say\",\"text\":\"hello there\"}", NULL },
    { "//not a command", "{\"cmd\":\"say\",\"text\":\"/not a command\"}", NULL },
    { "/next", "{\"cmd\":\"next\"}", NULL },
    { "/mute", "{\"cmd\":\"mute\"}", NULL },
    { "/mute off", "{\"cmd\":\"mute\",\"on\":false}", NULL },
    { "/camera on", "{\"cmd\":\"camera\",\"on\":true}", NULL },
    { "/video terminal", "{\"cmd\":\"video\",\"mode\":\"terminal\"}", NULL },
    { "/say  spaced  ", "{\"cmd\":\"say\",\"text\":\"spaced\"}", NULL },
    { "/help", "{\"cmd\":\"help\"}", NULL },
    { "/quit", "{\"cmd\":\"quit\"}", NULL },
    { "/next now", NULL, "bad-command" },
    { "/video", NULL, "bad-command" },
    { "/video two words", NULL, "bad-command" },
    { "/mute maybe", NULL, "bad-command" },
    { "/fly", NULL, "unknown-command" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) request = sc_command_parse_typed (cases[i].typed, &error);
      if (cases[i].json)
        {
          g_assert_no_error (error);
          g_autofree char *json = sc_json_object_to_string (request);
          g_assert_cmpstr (json, ==, cases[i].json);
        }
      else
        {
          g_assert_null (request);
          g_assert_cmpstr (sc_command_error_code (error), ==, cases[i].error_code);
        }
    }
}

static ScVideoFrame *
make_frame (guint w, guint h, ScVideoFormat format)
{
  guint bpp = format == SC_VIDEO_FORMAT_RGB ? 3 : 1;
  guint8 *data = g_malloc0 ((gsize) w * h * bpp);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = data + ((gsize) y * w + x) * bpp;
        if (format == SC_VIDEO_FORMAT_RGB)
          {
            p[0] = (guint8) (x * 40);
            p[1] = (guint8) (y * 40);
            p[2] = 200;
          }
        else
          p[0] = (guint8) ((x + y) % 216);
      }
  ScVideoFrame *frame = g_new0 (ScVideoFrame, 1);
  *frame = (ScVideoFrame) { w, h, w * bpp, format, g_bytes_new_take (data, (gsize) w * h * bpp) };
  return frame;
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;
  for (const char *p = strstr (haystack, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_term_video (void)
{
  g_autoptr(ScTermVideo) video = sc_term_video_new ();
  sc_term_video_set_area (video, 1, 0, 4, 2);   /* 4×2 cells = 4×4 pixels */
  g_autoptr(ScVideoFrame) frame = make_frame (4, 4, SC_VIDEO_FORMAT_RGB);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_cmpuint (sc_term_video_render (video, frame, out), ==, 8);
  g_assert_cmpuint (count (out->str, "▀"), ==, 8);
  g_assert_true (g_str_has_prefix (out->str, "\0337\033[2;1H"));   /* saves, then row 2 */
  g_assert_true (g_str_has_suffix (out->str, "\033[0m\0338"));     /* restores */
  /* Pixel (1,0) is (40,0,200) on top; pixel (1,1) is (40,40,200) below. */
  g_assert_nonnull (strstr (out->str, "\033[38;2;40;0;200m"));
  g_assert_nonnull (strstr (out->str, "\033[48;2;40;40;200m"));

  /* The same frame again changes nothing, so nothing is written. */
  g_string_truncate (out, 0);
  g_assert_cmpuint (sc_term_video_render (video, frame, out), ==, 0);
  g_assert_cmpuint (out->len, ==, 0);

  /* After invalidation everything is drawn again. */
  sc_term_video_invalidate (video);
  g_assert_cmpuint (sc_term_video_render (video, frame, out), ==, 8);

  /* 256 colours: the cube index becomes xterm colour 16 + index. */
  g_autoptr(ScTermVideo) v256 = sc_term_video_new ();
  sc_term_video_set_area (v256, 0, 0, 4, 2);
  g_autoptr(ScVideoFrame) cube = make_frame (4, 4, SC_VIDEO_FORMAT_CUBE6);
  g_string_truncate (out, 0);
  sc_term_video_render (v256, cube, out);
  g_assert_nonnull (strstr (out->str, "\033[38;5;17m"));    /* (1,0): index 1 */
  g_assert_null (strstr (out->str, "38;2;"));

  /* A smaller frame is centred; the rest is black. A frame whose data is short is
   * refused rather than read past. */
  g_autoptr(ScTermVideo) big = sc_term_video_new ();
  sc_term_video_set_area (big, 0, 0, 8, 4);
  g_string_truncate (out, 0);
  g_assert_cmpuint (sc_term_video_render (big, frame, out), ==, 32);
  ScVideoFrame broken = *frame;
  broken.height = 100;
  sc_term_video_invalidate (big);
  g_assert_cmpuint (sc_term_video_render (big, &broken, out), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/panel/widths", test_widths);
  g_test_add_func ("/panel/chat-wrap", test_chat_wrap);
  g_test_add_func ("/panel/input-line", test_input_line);
  g_test_add_func ("/panel/keymap", test_keymap);
  g_test_add_func ("/panel/typed-commands", test_typed_commands);
  g_test_add_func ("/panel/term-video", test_term_video);
  return g_test_run ();
}
