/* sc-websocket.c: one server-side WebSocket connection; see sc-websocket.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-websocket.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* After our close frame, how long the peer has to answer with its own. */
#define CLOSE_WAIT_US (5 * G_USEC_PER_SEC)
/* Bytes the peer has not taken: past this it reads nothing, and is dropped. Four offers
 * of the largest size: a peer that reads at all never lags this far (the kernel's send
 * buffer holds more before anything waits here). It was 4 MiB: 50 peers that never
 * read held 490 MiB (#22). */
#define MAX_UNSENT (256 * 1024)
/* One read's worth; also what one socket may have read in one turn of the loop, so a
 * peer that floods cannot hold the thread (the rest is read on the next turn). */
#define READ_SIZE (64 * 1024)

typedef struct
{
  GSource base;
  ScWebsocket *ws;
} WsSource;

struct _ScWebsocket
{
  GIOStream *stream;
  int fd;                    /* plain TCP: the socket's; -1 for TLS */
  GPollableInputStream *in;  /* TLS: the stream's */
  GPollableOutputStream *out;
  ScWebsocketCallbacks callbacks;
  gpointer user_data;

  ScPollerWatch *watch;      /* plain: the socket, in the shard's poller */
  GIOCondition watching;
  GSource *source;           /* TLS: the parent of the stream's two sources */
  GSource *in_source;
  GSource *out_source;       /* while something waits to be written */

  ScWsReader reader;
  GByteArray *partial;       /* the start of a frame, read and waiting for the rest */
  GByteArray *unsent;        /* what the socket did not take yet */
  gint64 close_deadline;     /* our close frame is out: the peer answers by then */
  gint64 message_timeout_us;
  gint64 message_started_us; /* the first byte of a message not yet whole came; 0 */
  gushort close_received;    /* its code (SC_WS_CLOSE_NO_STATUS: none), or 0 */
  gboolean close_sent;
  gboolean failed;           /* the socket failed or the peer went (no close frame) */
  gboolean broke_protocol;
  gboolean finished;         /* the socket closed: by finish() or free() */
};

/* The thread's read buffer and the buffer a burst's frames are built in: no
 * connection holds either while it waits. */
static GPrivate read_buffer_key = G_PRIVATE_INIT (g_free);
static GPrivate frames_key = G_PRIVATE_INIT ((GDestroyNotify) g_byte_array_unref);

static guint8 *
read_buffer (void)
{
  guint8 *buffer = g_private_get (&read_buffer_key);
  if (buffer == NULL)
    {
      buffer = g_malloc (READ_SIZE);
      g_private_set (&read_buffer_key, buffer);
    }
  return buffer;
}

static GByteArray *
frames_buffer (void)
{
  GByteArray *frames = g_private_get (&frames_key);
  if (frames == NULL)
    {
      frames = g_byte_array_sized_new (4096);
      g_private_set (&frames_key, frames);
    }
  g_byte_array_set_size (frames, 0);
  return frames;
}

static void
close_stream (ScWebsocket *ws)
{
  ws->finished = TRUE;
  if (ws->fd >= 0)
    g_io_stream_close (ws->stream, NULL, NULL);   /* a plain socket closes at once */
  else
    g_io_stream_close_async (ws->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static gboolean
reading (ScWebsocket *ws)
{
  return !ws->failed && !ws->broke_protocol && ws->close_received == 0;
}

/* ---- Writing ------------------------------------------------------------------------ */

static void
watch (ScWebsocket *ws, GIOCondition condition)
{
  if (ws->watch)
    {
      if (condition != ws->watching)
        sc_poller_modify (ws->watch, condition);
      ws->watching = condition;
      return;
    }
  if ((condition & G_IO_OUT) && ws->out_source == NULL)
    {
      ws->out_source = g_pollable_output_stream_create_source (ws->out, NULL);
      g_source_set_dummy_callback (ws->out_source);
      g_source_add_child_source (ws->source, ws->out_source);
    }
  else if (!(condition & G_IO_OUT) && ws->out_source)
    {
      g_source_remove_child_source (ws->source, ws->out_source);
      g_clear_pointer (&ws->out_source, g_source_unref);
    }
  if (!(condition & G_IO_IN) && ws->in_source)
    {
      g_source_remove_child_source (ws->source, ws->in_source);
      g_clear_pointer (&ws->in_source, g_source_unref);
    }
}

/* Has the connection looked at on the next turn of the loop (to finish it, mostly:
 * never from inside a caller's call). */
static void
poke (ScWebsocket *ws)
{
  if (ws->watch)
    sc_poller_poke (ws->watch);
  else
    g_source_set_ready_time (ws->source, 0);
}

static void
fail_later (ScWebsocket *ws)
{
  ws->failed = TRUE;
  poke (ws);
}

/* Writes @len bytes at @data; returns how many the socket took (0: none, it is full),
 * or -1 when it failed. */
static gssize
write_some (ScWebsocket *ws, const guint8 *data, gsize len)
{
  gssize n;
  if (ws->fd >= 0)
    {
      do
        n = send (ws->fd, data, len, MSG_NOSIGNAL);
      while (n < 0 && errno == EINTR);
      if (n >= 0)
        return n;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
      g_debug ("WebSocket write: %s", g_strerror (errno));
      return -1;
    }
  g_autoptr(GError) error = NULL;
  n = g_pollable_output_stream_write_nonblocking (ws->out, data, len, NULL, &error);
  if (n >= 0)
    return n;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return 0;
  g_debug ("WebSocket write: %s", error->message);
  return -1;
}

/* The watch follows the state: input while frames are read, output while something
 * waits. (A socket no longer read would stay readable and spin the loop.) */
static void
update_watch (ScWebsocket *ws)
{
  gboolean waiting = ws->unsent && ws->unsent->len > 0;
  watch (ws, (reading (ws) ? G_IO_IN : 0) | (waiting ? G_IO_OUT : 0));
}

/* Sends @frames (built in the thread's buffer) after whatever waits already. */
static void
send_frames (ScWebsocket *ws, GByteArray *frames)
{
  if (ws->failed || ws->finished)
    return;
  if (ws->unsent && ws->unsent->len > 0)
    {
      g_byte_array_append (ws->unsent, frames->data, frames->len);
      if (ws->unsent->len > MAX_UNSENT)
        {
          g_debug ("WebSocket peer reads nothing: %u bytes unsent", ws->unsent->len);
          fail_later (ws);
        }
      return;   /* goes when the socket takes the rest */
    }
  gssize n = write_some (ws, frames->data, frames->len);
  if (n < 0)
    {
      fail_later (ws);
      return;
    }
  if ((gsize) n < frames->len)
    {
      if (ws->unsent == NULL)
        ws->unsent = g_byte_array_new ();
      g_byte_array_append (ws->unsent, frames->data + n, frames->len - n);
      update_watch (ws);
    }
}

/* The socket can take more: what waited goes. */
static void
write_unsent (ScWebsocket *ws)
{
  if (ws->unsent == NULL || ws->failed)
    return;
  gssize n = write_some (ws, ws->unsent->data, ws->unsent->len);
  if (n < 0)
    {
      ws->failed = TRUE;
      return;
    }
  g_byte_array_remove_range (ws->unsent, 0, n);
  if (ws->unsent->len == 0)
    g_clear_pointer (&ws->unsent, g_byte_array_unref);
  update_watch (ws);
}

static void
send_close (ScWebsocket *ws, gushort code, const char *reason)
{
  if (ws->close_sent)
    return;
  ws->close_sent = TRUE;
  GByteArray *frames = frames_buffer ();
  sc_ws_close_append (frames, code, reason);
  send_frames (ws, frames);
}

/* ---- Reading ------------------------------------------------------------------------ */

static void
on_message (guint8 opcode, const guint8 *payload, gsize len, gpointer data)
{
  ScWebsocket *ws = data;
  switch (opcode)
    {
    case SC_WS_TEXT:
    case SC_WS_BINARY:
      /* After our close frame nothing the peer says counts. */
      if (!ws->close_sent)
        ws->callbacks.message (ws, opcode == SC_WS_TEXT, payload, len, ws->user_data);
      break;
    case SC_WS_PING:
      ws->callbacks.heartbeat (ws, ws->user_data);
      if (!ws->close_sent)
        {
          GByteArray *frames = frames_buffer ();
          sc_ws_frame_append (frames, SC_WS_PONG, payload, len);
          send_frames (ws, frames);
        }
      break;
    case SC_WS_PONG:
      ws->callbacks.heartbeat (ws, ws->user_data);
      break;
    case SC_WS_CLOSE:
      ws->close_received = len >= 2 ? (payload[0] << 8 | payload[1]) : SC_WS_CLOSE_NO_STATUS;
      /* The answer to a close frame is a close frame with its code. */
      send_close (ws, len >= 2 ? ws->close_received : 0, NULL);
      break;
    default:
      g_assert_not_reached ();   /* sc_ws_reader_parse() hands over nothing else */
    }
}

/* Reads once: returns the bytes read (0: nothing there now), or -1 when the peer went or
 * the socket failed. */
static gssize
read_some (ScWebsocket *ws, guint8 *buffer, gsize size)
{
  gssize n;
  if (ws->fd >= 0)
    {
      do
        n = recv (ws->fd, buffer, size, 0);
      while (n < 0 && errno == EINTR);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
      if (n < 0)
        g_debug ("WebSocket read: %s", g_strerror (errno));
    }
  else
    {
      g_autoptr(GError) error = NULL;
      n = g_pollable_input_stream_read_nonblocking (ws->in, buffer, size, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return 0;
      if (n < 0)
        g_debug ("WebSocket read: %s", error->message);
    }
  return n > 0 ? n : -1;
}

/* One read (READ_SIZE bytes at most: the loop comes back for more), its whole frames
 * parsed, the start of a frame kept. */
static void
read_frames (ScWebsocket *ws)
{
  guint8 *buffer = read_buffer ();
  gssize n = read_some (ws, buffer, READ_SIZE);
  if (n <= 0)
    {
      if (n < 0)
        ws->failed = TRUE;
      return;
    }

  guint8 *data = buffer;
  gsize len = n;
  if (ws->partial)
    {
      g_byte_array_append (ws->partial, buffer, n);
      data = ws->partial->data;
      len = ws->partial->len;
    }
  gushort code = 0;
  gssize used = sc_ws_reader_parse (&ws->reader, data, len, on_message, ws, &code);
  if (used < 0)
    {
      ws->broke_protocol = TRUE;
      send_close (ws, code, NULL);
      g_clear_pointer (&ws->partial, g_byte_array_unref);
      return;
    }
  if (!reading (ws))
    {
      g_clear_pointer (&ws->partial, g_byte_array_unref);   /* after a close frame */
      return;
    }
  if (ws->partial)
    {
      g_byte_array_remove_range (ws->partial, 0, used);
      if (ws->partial->len == 0)
        g_clear_pointer (&ws->partial, g_byte_array_unref);
    }
  else if ((gsize) used < len)
    {
      ws->partial = g_byte_array_sized_new (len - used);
      g_byte_array_append (ws->partial, data + used, len - used);
    }
  /* A message (a frame, or fragments) under way has message_timeout_us to finish: pings
   * between fragments, or a frame dripped a byte at a time, do not hold it open. */
  if (ws->partial == NULL && ws->reader.fragments == NULL)
    ws->message_started_us = 0;
  else if (ws->message_started_us == 0)
    ws->message_started_us = g_get_monotonic_time ();
}

/* ---- The socket's watch ---------------------------------------------------------------- */

static gboolean
is_over (ScWebsocket *ws)
{
  if (ws->failed)
    return TRUE;
  gboolean unsent = ws->unsent && ws->unsent->len > 0;
  /* A close frame came in and ours has gone back, or we failed a bad frame and said
   * why: nothing more is read, so nothing is waited for. */
  if (!reading (ws) && ws->close_sent && !unsent)
    return TRUE;
  return ws->close_deadline > 0 && g_get_monotonic_time () >= ws->close_deadline;
}

/* Reads, writes and finishes as @ready allows (0: only look). Returns FALSE once the
 * connection is over, closed called and @ws perhaps freed. */
static gboolean
handle (ScWebsocket *ws, GIOCondition ready)
{
  if ((ready & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && reading (ws))
    read_frames (ws);
  else if (ready & (G_IO_HUP | G_IO_ERR))
    ws->failed = TRUE;   /* not read any more: a hang-up can only end it */
  if (ready & G_IO_OUT)
    write_unsent (ws);

  if (is_over (ws))
    {
      /* Out of the poll set before the descriptor closes. */
      if (ws->watch)
        g_clear_pointer (&ws->watch, sc_poller_remove);
      else
        g_source_destroy (ws->source);
      close_stream (ws);
      gushort code = ws->close_received ? ws->close_received : SC_WS_CLOSE_ABNORMAL;
      ws->callbacks.closed (ws, code, ws->broke_protocol, ws->user_data);   /* may free */
      return FALSE;
    }
  update_watch (ws);
  return TRUE;
}

static void
on_ready (GIOCondition ready, gpointer data)
{
  handle (data, ready);
}

/* TLS: which of the stream's sources woke us is not known; a read when nothing is
 * there costs a WOULD_BLOCK. */
static gboolean
ws_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  ScWebsocket *ws = ((WsSource *) source)->ws;
  if (!handle (ws, G_IO_IN | G_IO_OUT))
    return G_SOURCE_REMOVE;
  gint64 wake = ws->close_deadline > 0 ? ws->close_deadline : -1;
  if (g_source_get_ready_time (source) != wake)
    g_source_set_ready_time (source, wake);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs ws_source_funcs = {
  .dispatch = ws_dispatch,
};

/* ---- The API ------------------------------------------------------------------------- */

ScWebsocket *
sc_websocket_new (GIOStream *stream, GSocket *socket, ScPoller *poller, gsize max_payload,
                  gint64 message_timeout_us, const ScWebsocketCallbacks *callbacks,
                  gpointer user_data)
{
  ScWebsocket *ws = g_new0 (ScWebsocket, 1);
  ws->message_timeout_us = message_timeout_us;
  ws->stream = g_object_ref (stream);
  ws->fd = socket ? g_socket_get_fd (socket) : -1;
  ws->callbacks = *callbacks;
  ws->user_data = user_data;
  sc_ws_reader_init (&ws->reader, max_payload);

  if (ws->fd >= 0)
    {
      g_autoptr(GError) error = NULL;
      ws->watching = G_IO_IN;
      ws->watch = sc_poller_add (poller, ws->fd, G_IO_IN, on_ready, ws, &error);
      if (ws->watch)
        return ws;
      /* epoll's limit on watches (max_user_watches): the socket's streams will do. */
      g_warning ("WebSocket connection: %s", error->message);
      ws->fd = -1;
    }
  ws->source = g_source_new (&ws_source_funcs, sizeof (WsSource));
  ((WsSource *) ws->source)->ws = ws;
  g_source_set_static_name (ws->source, "showcast TLS WebSocket");
  /* It runs no loop inside: no need for GLib to block it around each dispatch (which
   * in GLib 2.74 also wakes the loop). */
  g_source_set_can_recurse (ws->source, TRUE);
  ws->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  ws->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  ws->in_source = g_pollable_input_stream_create_source (ws->in, NULL);
  g_source_set_dummy_callback (ws->in_source);
  g_source_add_child_source (ws->source, ws->in_source);
  g_source_attach (ws->source, g_main_context_get_thread_default ());
  return ws;
}

void
sc_websocket_free (ScWebsocket *ws)
{
  if (ws == NULL)
    return;
  g_clear_pointer (&ws->watch, sc_poller_remove);
  if (ws->source)
    {
      g_source_destroy (ws->source);
      g_source_unref (ws->source);
    }
  g_clear_pointer (&ws->in_source, g_source_unref);
  g_clear_pointer (&ws->out_source, g_source_unref);
  if (!ws->finished)
    close_stream (ws);
  sc_ws_reader_clear (&ws->reader);
  g_clear_pointer (&ws->partial, g_byte_array_unref);
  g_clear_pointer (&ws->unsent, g_byte_array_unref);
  g_object_unref (ws->stream);
  g_free (ws);
}

gboolean
sc_websocket_is_open (ScWebsocket *ws)
{
  return !ws->finished && reading (ws) && !ws->close_sent;
}

void
sc_websocket_send_texts (ScWebsocket *ws, const char *const *texts, guint n)
{
  if (!sc_websocket_is_open (ws))
    return;
  GByteArray *frames = frames_buffer ();
  for (guint i = 0; i < n; i++)
    sc_ws_frame_append (frames, SC_WS_TEXT, texts[i], strlen (texts[i]));
  send_frames (ws, frames);
}

void
sc_websocket_ping (ScWebsocket *ws)
{
  if (!sc_websocket_is_open (ws))
    return;
  GByteArray *frames = frames_buffer ();
  sc_ws_frame_append (frames, SC_WS_PING, NULL, 0);
  send_frames (ws, frames);
}

void
sc_websocket_close (ScWebsocket *ws, gushort code, const char *reason)
{
  if (!sc_websocket_is_open (ws))
    return;
  send_close (ws, code, reason);
  ws->close_deadline = g_get_monotonic_time () + CLOSE_WAIT_US;
  if (!ws->failed && ws->source)
    g_source_set_ready_time (ws->source, ws->close_deadline);
}

void
sc_websocket_tick (ScWebsocket *ws, gint64 now)
{
  if (ws->message_started_us > 0 && now - ws->message_started_us >= ws->message_timeout_us &&
      sc_websocket_is_open (ws))
    {
      g_debug ("WebSocket message not finished in %" G_GINT64_FORMAT " s: closed",
               ws->message_timeout_us / G_USEC_PER_SEC);
      sc_websocket_close (ws, SC_WS_CLOSE_POLICY_VIOLATION, "message not finished in time");
      /* Nothing more is read: what came of that message does not count. */
      ws->broke_protocol = TRUE;
      sc_ws_reader_clear (&ws->reader);
      g_clear_pointer (&ws->partial, g_byte_array_unref);
      ws->message_started_us = 0;
      poke (ws);
    }
  if (ws->close_deadline > 0 && now >= ws->close_deadline && !ws->finished)
    poke (ws);
}
