/* sc-mailbox.h: jobs handed from any thread to the thread that runs a GMainContext.
 *
 * The server's connection threads and its lobby thread talk only through mailboxes:
 * a job runs on the receiving context, jobs from one sender run in the order posted,
 * and a burst of jobs costs one wake-up and one main-loop turn, not one each. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScMailbox ScMailbox;
typedef void (*ScMailboxJob) (gpointer data);

/* Attaches the mailbox to @context (its jobs run there). */
ScMailbox *sc_mailbox_new     (GMainContext *context);
/* Thread-safe. @job (@data) runs once on the mailbox's context; it owns @data. */
void       sc_mailbox_post    (ScMailbox    *box,
                               ScMailboxJob  job,
                               gpointer      data);
/* Runs the jobs waiting, now, on the calling thread: the context's own, or any once
 * that thread has stopped (shutting down). */
void       sc_mailbox_run_pending (ScMailbox *box);
/* Detaches and frees the mailbox; @drop (may be NULL) is called with the data of each
 * job not yet run. Call from the context's thread, or once that thread has stopped. */
void       sc_mailbox_free    (ScMailbox    *box,
                               ScMailboxJob  drop);

G_END_DECLS
