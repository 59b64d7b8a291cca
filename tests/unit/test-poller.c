/* test-poller.c: sockets behind one epoll descriptor (sc-poller.c): readiness is told
 * to the right watch, a poke calls it on the next turn, and a watch removed (by
 * itself, or by another watch's call in the same turn, with its own event already
 * taken from epoll) is never called again; under AddressSanitizer, nothing is used
 * after it is freed and nothing leaks. */
#include "config.h"

#include <sys/socket.h>
#include <unistd.h>

#include "sc-poller.h"

#define PAIRS 8

typedef struct
{
  ScPollerWatch *watch;
  int fds[2];                /* [0] watched, [1] the other end */
  guint calls;
  GIOCondition last;
  int remove_other;          /* index of a pair whose watch this one removes, or -1 */
  gboolean remove_self;
} Pair;

static Pair pairs[PAIRS];

static void
on_ready (GIOCondition ready, gpointer data)
{
  Pair *pair = data;
  g_assert_nonnull (pair->watch);   /* never called once removed */
  pair->calls++;
  pair->last = ready;
  if (ready & G_IO_IN)
    {
      char buf[16];
      g_assert_cmpint (read (pair->fds[0], buf, sizeof buf), >=, 0);   /* 0: hung up */
    }
  if (pair->remove_other >= 0 && pairs[pair->remove_other].watch)
    g_clear_pointer (&pairs[pair->remove_other].watch, sc_poller_remove);
  if (pair->remove_self)
    g_clear_pointer (&pair->watch, sc_poller_remove);
}

static void
turn (void)
{
  /* A few turns: what was removed is freed one turn later. */
  for (int i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_poller (void)
{
  g_autoptr(GError) error = NULL;
  ScPoller *poller = sc_poller_new (NULL, &error);
  g_assert_no_error (error);

  for (int i = 0; i < PAIRS; i++)
    {
      g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pairs[i].fds), ==, 0);
      pairs[i].remove_other = -1;
      pairs[i].watch = sc_poller_add (poller, pairs[i].fds[0], G_IO_IN, on_ready, &pairs[i],
                                      &error);
      g_assert_no_error (error);
    }

  /* Only the pair written to is called, with G_IO_IN. */
  g_assert_cmpint (write (pairs[3].fds[1], "x", 1), ==, 1);
  turn ();
  for (int i = 0; i < PAIRS; i++)
    g_assert_cmpuint (pairs[i].calls, ==, i == 3 ? 1 : 0);
  g_assert_cmpuint (pairs[3].last, ==, G_IO_IN);

  /* Asking for output: a socket with room is ready at once. */
  sc_poller_modify (pairs[2].watch, G_IO_IN | G_IO_OUT);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (pairs[2].calls, ==, 1);
  g_assert_true (pairs[2].last & G_IO_OUT);
  sc_poller_modify (pairs[2].watch, G_IO_IN);
  turn ();
  g_assert_cmpuint (pairs[2].calls, ==, 1);

  /* A poke: called once, with nothing ready, on the next turn. */
  sc_poller_poke (pairs[5].watch);
  sc_poller_poke (pairs[5].watch);
  g_assert_cmpuint (pairs[5].calls, ==, 0);
  turn ();
  g_assert_cmpuint (pairs[5].calls, ==, 1);
  g_assert_cmpuint (pairs[5].last, ==, 0);

  /* Both ready in one turn: whichever is called first removes the other, which is
   * then not called although its event was already taken. */
  pairs[0].remove_other = 1;
  pairs[1].remove_other = 0;
  g_assert_cmpint (write (pairs[0].fds[1], "a", 1), ==, 1);
  g_assert_cmpint (write (pairs[1].fds[1], "b", 1), ==, 1);
  turn ();
  g_assert_cmpuint (pairs[0].calls + pairs[1].calls, ==, 1);
  g_assert_true ((pairs[0].watch == NULL) != (pairs[1].watch == NULL));

  /* Removing itself, then poked and written to: never called again. */
  pairs[6].remove_self = TRUE;
  g_assert_cmpint (write (pairs[6].fds[1], "c", 1), ==, 1);
  turn ();
  g_assert_cmpuint (pairs[6].calls, ==, 1);
  g_assert_null (pairs[6].watch);
  g_assert_cmpint (write (pairs[6].fds[1], "d", 1), ==, 1);
  turn ();
  g_assert_cmpuint (pairs[6].calls, ==, 1);

  /* A hang-up of the other end is told even when only input was asked for. */
  close (pairs[7].fds[1]);
  pairs[7].fds[1] = -1;
  pairs[7].remove_self = TRUE;
  turn ();
  g_assert_cmpuint (pairs[7].calls, ==, 1);
  g_assert_true (pairs[7].last & (G_IO_HUP | G_IO_IN));

  /* A watch removed just before the poller goes is freed with it. */
  g_clear_pointer (&pairs[4].watch, sc_poller_remove);
  for (int i = 0; i < PAIRS; i++)
    {
      g_clear_pointer (&pairs[i].watch, sc_poller_remove);
      close (pairs[i].fds[0]);
      if (pairs[i].fds[1] >= 0)
        close (pairs[i].fds[1]);
    }
  sc_poller_free (poller);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/poller/watches", test_poller);
  return g_test_run ();
}
