/* test-mailbox.c: jobs posted from many threads run on the receiving context, each
 * sender's in order, none lost, none run twice; pending jobs can be run or dropped at
 * shutdown. */
#include "config.h"

#include <string.h>
#include <glib-object.h>

#include "sc-mailbox.h"

#define SENDERS 4
#define JOBS 20000

typedef struct
{
  guint sender;
  guint seq;
} Item;

static guint next_seq[SENDERS];
static guint ran;
static gboolean wrong_thread, out_of_order;
static GThread *main_thread;

static void
run_item (gpointer data)
{
  Item *item = data;
  if (g_thread_self () != main_thread)
    wrong_thread = TRUE;
  if (item->seq != next_seq[item->sender])
    out_of_order = TRUE;
  next_seq[item->sender] = item->seq + 1;
  ran++;
  g_free (item);
}

static gpointer
sender (gpointer data)
{
  ScMailbox *box = g_object_get_data (G_OBJECT (data), "box");
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data), "id"));
  for (guint i = 0; i < JOBS; i++)
    {
      Item *item = g_new (Item, 1);
      item->sender = id;
      item->seq = i;
      sc_mailbox_post (box, run_item, item);
      if (i % 1000 == 0)
        g_usleep (100);   /* let the receiver drain now and then: empty-queue wake-ups */
    }
  return NULL;
}

static void
test_many_senders (void)
{
  main_thread = g_thread_self ();
  ScMailbox *box = sc_mailbox_new (NULL);
  GThread *threads[SENDERS];
  GObject *args[SENDERS];
  for (guint i = 0; i < SENDERS; i++)
    {
      args[i] = g_object_new (G_TYPE_OBJECT, NULL);
      g_object_set_data (args[i], "box", box);
      g_object_set_data (args[i], "id", GUINT_TO_POINTER (i));
      threads[i] = g_thread_new ("sender", sender, args[i]);
    }
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (ran < SENDERS * JOBS && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < SENDERS; i++)
    {
      g_thread_join (threads[i]);
      g_object_unref (args[i]);
    }
  g_assert_cmpuint (ran, ==, SENDERS * JOBS);
  g_assert_false (wrong_thread);
  g_assert_false (out_of_order);
  for (guint i = 0; i < SENDERS; i++)
    g_assert_cmpuint (next_seq[i], ==, JOBS);
  /* Nothing left: the source is not ready. */
  g_assert_false (g_main_context_iteration (NULL, FALSE));
  sc_mailbox_free (box, NULL);
}

static guint dropped;

static void
count_drop (gpointer data)
{
  dropped++;
  g_free (data);
}

static void
test_shutdown (void)
{
  main_thread = g_thread_self ();
  memset (next_seq, 0, sizeof next_seq);
  ran = 0;
  g_autoptr(GMainContext) context = g_main_context_new ();
  ScMailbox *box = sc_mailbox_new (context);
  for (guint i = 0; i < 3; i++)
    {
      Item *item = g_new (Item, 1);
      item->sender = 0;
      item->seq = i;
      sc_mailbox_post (box, run_item, item);
    }
  /* Run now, on this thread, without the context's loop. */
  sc_mailbox_run_pending (box);
  g_assert_cmpuint (ran, ==, 3);
  g_assert_false (out_of_order);
  /* Left over at the end: handed to the drop function, not run. */
  for (guint i = 0; i < 5; i++)
    sc_mailbox_post (box, run_item, g_new0 (Item, 1));
  sc_mailbox_free (box, count_drop);
  g_assert_cmpuint (dropped, ==, 5);
  g_assert_cmpuint (ran, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mailbox/many-senders", test_many_senders);
  g_test_add_func ("/mailbox/shutdown", test_shutdown);
  return g_test_run ();
}
