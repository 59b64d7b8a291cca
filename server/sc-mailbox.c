/* sc-mailbox.c: see sc-mailbox.h. A GSource that is ready while its queue is not
 * empty; posting to an empty queue wakes the context up. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-mailbox.h"

typedef struct
{
  ScMailboxJob job;
  gpointer data;
} Job;

typedef struct
{
  GSource source;
  GMutex lock;
  GArray *queue;      /* of Job, under lock */
  GArray *running;    /* of Job, the batch being run (dispatch only) */
  gint length;        /* atomic copy of queue->len, read without the lock */
} MailboxSource;

struct _ScMailbox
{
  MailboxSource *source;
  GMainContext *context;
};

static gboolean
mailbox_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  return g_atomic_int_get (&((MailboxSource *) source)->length) > 0;
}

static gboolean
mailbox_check (GSource *source)
{
  return g_atomic_int_get (&((MailboxSource *) source)->length) > 0;
}

static gboolean
mailbox_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  MailboxSource *box = (MailboxSource *) source;
  /* Take the whole batch; jobs posted while it runs wait for the next turn. */
  g_mutex_lock (&box->lock);
  GArray *batch = box->queue;
  box->queue = box->running;
  box->running = batch;
  g_atomic_int_set (&box->length, 0);
  g_mutex_unlock (&box->lock);

  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = &g_array_index (batch, Job, i);
      job->job (job->data);
    }
  g_array_set_size (batch, 0);
  return G_SOURCE_CONTINUE;
}

static void
mailbox_finalize (GSource *source)
{
  MailboxSource *box = (MailboxSource *) source;
  g_array_unref (box->queue);
  g_array_unref (box->running);
  g_mutex_clear (&box->lock);
}

static GSourceFuncs mailbox_funcs = {
  .prepare = mailbox_prepare,
  .check = mailbox_check,
  .dispatch = mailbox_dispatch,
  .finalize = mailbox_finalize,
};

ScMailbox *
sc_mailbox_new (GMainContext *context)
{
  ScMailbox *self = g_new0 (ScMailbox, 1);
  self->source = (MailboxSource *) g_source_new (&mailbox_funcs, sizeof (MailboxSource));
  g_mutex_init (&self->source->lock);
  self->source->queue = g_array_new (FALSE, FALSE, sizeof (Job));
  self->source->running = g_array_new (FALSE, FALSE, sizeof (Job));
  g_source_set_name ((GSource *) self->source, "showcast mailbox");
  self->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  g_source_attach ((GSource *) self->source, self->context);
  return self;
}

void
sc_mailbox_post (ScMailbox *self, ScMailboxJob job, gpointer data)
{
  MailboxSource *box = self->source;
  Job entry = { job, data };
  g_mutex_lock (&box->lock);
  g_array_append_val (box->queue, entry);
  gboolean first = box->queue->len == 1;
  g_atomic_int_set (&box->length, (gint) box->queue->len);
  g_mutex_unlock (&box->lock);
  /* The context's own thread needs no wake-up: it is not in poll(), and its next turn
   * finds the mailbox ready. */
  if (first && !g_main_context_is_owner (self->context))
    g_main_context_wakeup (self->context);
}

void
sc_mailbox_run_pending (ScMailbox *self)
{
  while (g_atomic_int_get (&self->source->length) > 0)
    mailbox_dispatch ((GSource *) self->source, NULL, NULL);
}

void
sc_mailbox_free (ScMailbox *self, ScMailboxJob drop)
{
  if (self == NULL)
    return;
  MailboxSource *box = self->source;
  g_source_destroy ((GSource *) box);
  g_mutex_lock (&box->lock);
  for (guint i = 0; drop && i < box->queue->len; i++)
    drop (g_array_index (box->queue, Job, i).data);
  g_array_set_size (box->queue, 0);
  g_mutex_unlock (&box->lock);
  g_source_unref ((GSource *) box);
  g_main_context_unref (self->context);
  g_free (self);
}
