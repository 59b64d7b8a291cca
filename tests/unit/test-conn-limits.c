/* test-conn-limits.c: the caps on connections held (sc-conn-limits.c): in all and per
 * address, each connection counted until its socket is finalized, on any thread. */
#include "config.h"

#include "sc-conn-limits.h"

static GSocket *
new_socket (void)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  return socket;
}

static void
test_caps (void)
{
  g_autoptr(ScConnLimits) limits = sc_conn_limits_new (5, 2);
  ScConnLimitsStats st;
  GSocket *held[5] = { NULL };

  held[0] = new_socket ();
  held[1] = new_socket ();
  g_assert_true (sc_conn_limits_admit (limits, held[0], "192.0.2.1"));
  g_assert_true (sc_conn_limits_admit (limits, held[1], "192.0.2.1"));
  g_autoptr(GSocket) third = new_socket ();
  g_assert_false (sc_conn_limits_admit (limits, third, "192.0.2.1"));   /* per address */
  for (int i = 2; i < 5; i++)
    {
      held[i] = new_socket ();
      g_assert_true (sc_conn_limits_admit (limits, held[i], i == 4 ? NULL : "192.0.2.2"));
    }
  g_assert_false (sc_conn_limits_admit (limits, third, "192.0.2.3"));   /* in all */
  sc_conn_limits_get_stats (limits, &st);
  g_assert_cmpuint (st.open, ==, 5);
  g_assert_cmpuint (st.refused_address, ==, 1);
  g_assert_cmpuint (st.refused_total, ==, 1);

  /* A connection that goes makes room, for its address too. */
  g_clear_object (&held[0]);
  sc_conn_limits_get_stats (limits, &st);
  g_assert_cmpuint (st.open, ==, 4);
  g_assert_true (sc_conn_limits_admit (limits, third, "192.0.2.1"));
  for (int i = 1; i < 5; i++)
    g_clear_object (&held[i]);
  sc_conn_limits_get_stats (limits, &st);
  g_assert_cmpuint (st.open, ==, 1);
}

static gpointer
drop_on_thread (gpointer data)
{
  g_object_unref (data);
  return NULL;
}

/* The last reference may go on a connection thread, after the server let go of the
 * limits: the count is still right, and nothing is freed twice or leaked (ASan). */
static void
test_threads (void)
{
  ScConnLimits *limits = sc_conn_limits_new (0, 0);
  GSocket *sockets[64];
  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      sockets[i] = new_socket ();
      g_assert_true (sc_conn_limits_admit (limits, sockets[i], i % 2 ? "198.51.100.7" : NULL));
    }
  ScConnLimitsStats st;
  sc_conn_limits_get_stats (limits, &st);
  g_assert_cmpuint (st.open, ==, 64);
  GThread *threads[64];
  for (guint i = 0; i < 32; i++)
    threads[i] = g_thread_new ("drop", drop_on_thread, sockets[i]);
  for (guint i = 0; i < 32; i++)
    g_thread_join (threads[i]);
  sc_conn_limits_get_stats (limits, &st);
  g_assert_cmpuint (st.open, ==, 32);
  sc_conn_limits_unref (limits);   /* the server goes first */
  for (guint i = 32; i < 64; i++)
    threads[i] = g_thread_new ("drop", drop_on_thread, sockets[i]);
  for (guint i = 32; i < 64; i++)
    g_thread_join (threads[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/conn-limits/caps", test_caps);
  g_test_add_func ("/conn-limits/threads", test_threads);
  return g_test_run ();
}
