/* lobby-fixture.h: a lobby whose users are fake transports that keep every message the
 * lobby sends them, decoded with the real protocol code. Shared by the lobby tests. */
#pragma once

#include <string.h>

#include "sc-local-matcher.h"
#include "sc-lobby.h"

typedef struct
{
  ScLobbyUser *user;
  GPtrArray *inbox;   /* of ScMessage, oldest first */
  char *id;
  char *token;        /* from the last signed-in or session message */
  gboolean gone;
} FakeConn;

/* The lobby's clock in tests: behavioural helpers move it a second on per message, so
 * rate limits never interfere; the rate-limit tests move it themselves. */
static gint64 fake_now_us = 1000000;
static gboolean fake_clock_auto = TRUE;

G_GNUC_UNUSED static gint64
fake_clock (gpointer data)
{
  return fake_now_us;
}

G_GNUC_UNUSED static void
fake_send (gpointer transport, const ScMessage *msg, gpointer data)
{
  FakeConn *conn = transport;
  g_autofree char *text = sc_message_encode (msg);
  g_autoptr(GError) error = NULL;
  ScMessage *copy = sc_message_decode (text, strlen (text), SC_FROM_SERVER, &error);
  g_assert_no_error (error);
  g_assert_false (conn->gone);
  if (copy->type == SC_MSG_SIGNED_IN)
    {
      g_free (conn->id);
      conn->id = g_strdup (copy->id);
    }
  if (copy->token)
    {
      g_free (conn->token);
      conn->token = g_strdup (copy->token);
    }
  g_ptr_array_add (conn->inbox, copy);
}

/* A lobby configured for tests: guests may sign in (the product's default is keys
 * only), and with @check its invariants are checked after every change. */
G_GNUC_UNUSED static ScLobby *
fake_lobby_new (ScMatcher *matcher, gboolean check)
{
  ScLobby *lobby = sc_lobby_new (matcher, fake_send, NULL);
  ScLobbyConfig config;
  sc_lobby_config_init (&config);
  config.allow_guests = TRUE;
  config.check_invariants = check;
  sc_lobby_configure (lobby, &config);
  return lobby;
}

/* A connection opened with @ticket (NULL: none). */
G_GNUC_UNUSED static FakeConn *
fake_connect_with (ScLobby *lobby, const char *ticket)
{
  FakeConn *conn = g_new0 (FakeConn, 1);
  conn->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_message_free);
  conn->user = sc_lobby_connect (lobby, conn, NULL, ticket);
  return conn;
}

G_GNUC_UNUSED static FakeConn *
fake_connect (ScLobby *lobby)
{
  return fake_connect_with (lobby, NULL);
}

G_GNUC_UNUSED static void
fake_receive (ScLobby *lobby, FakeConn *conn, ScMessage *msg)
{
  if (fake_clock_auto)
    fake_now_us += G_USEC_PER_SEC;
  sc_lobby_receive (lobby, conn->user, msg);
  sc_message_free (msg);
}

G_GNUC_UNUSED static FakeConn *
fake_sign_in (ScLobby *lobby, const char *name)
{
  FakeConn *conn = fake_connect (lobby);
  ScMessage *msg = sc_message_new (SC_MSG_SIGN_IN);
  msg->version = SC_PROTOCOL_VERSION;
  msg->name = g_strdup (name);
  fake_receive (lobby, conn, msg);
  g_assert_cmpuint (conn->inbox->len, >=, 2);
  g_assert_cmpint (((ScMessage *) g_ptr_array_index (conn->inbox, 0))->type, ==, SC_MSG_HELLO);
  ScMessage *reply = g_ptr_array_index (conn->inbox, 1);
  g_assert_cmpint (reply->type, ==, SC_MSG_SIGNED_IN);
  return conn;
}

G_GNUC_UNUSED static void
fake_send_simple (ScLobby *lobby, FakeConn *conn, ScMessageType type)
{
  fake_receive (lobby, conn, sc_message_new (type));
}

G_GNUC_UNUSED static void
fake_disconnect (ScLobby *lobby, FakeConn *conn)
{
  sc_lobby_disconnect (lobby, conn->user);
  conn->gone = TRUE;
}

/* The connection drops without a goodbye: the session waits for its grace period. */
G_GNUC_UNUSED static void
fake_drop (ScLobby *lobby, FakeConn *conn)
{
  sc_lobby_detach (lobby, conn->user);
  conn->gone = TRUE;
}

G_GNUC_UNUSED static void
fake_free (FakeConn *conn)
{
  g_ptr_array_unref (conn->inbox);
  g_free (conn->token);
  g_free (conn->id);
  g_free (conn);
}

/* Messages of TYPE in the inbox since index FROM. */
G_GNUC_UNUSED static guint
count_type (FakeConn *conn, ScMessageType type, guint from)
{
  guint n = 0;
  for (guint i = from; i < conn->inbox->len; i++)
    n += ((ScMessage *) g_ptr_array_index (conn->inbox, i))->type == type;
  return n;
}

G_GNUC_UNUSED static ScMessage *
last_of (FakeConn *conn, ScMessageType type)
{
  for (guint i = conn->inbox->len; i > 0; i--)
    {
      ScMessage *m = g_ptr_array_index (conn->inbox, i - 1);
      if (m->type == type)
        return m;
    }
  return NULL;
}

/* Disconnects and frees each connection of a NULL-terminated list. */
G_GNUC_UNUSED G_GNUC_NULL_TERMINATED static void
fake_end_all (ScLobby *lobby, FakeConn *first, ...)
{
  va_list ap;
  va_start (ap, first);
  for (FakeConn *conn = first; conn; conn = va_arg (ap, FakeConn *))
    {
      fake_disconnect (lobby, conn);
      fake_free (conn);
    }
  va_end (ap);
}
