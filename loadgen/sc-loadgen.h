/* sc-loadgen.h: many signalling-only showcast clients in one process (libsoup).
 *
 * Each virtual client signs in as a guest, waits, is matched, exchanges a small fake
 * offer and answer (no media), stays for the hold time and presses next. In chaos mode
 * clients instead do random things — next, leave, report, drop the connection without a
 * goodbye and come back (resuming the session with a ticket), quit and sign in afresh —
 * and every client writes down what it sees in an ScCallLedger, which checks the
 * lobby's invariants from the clients' side. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GStrv servers;        /* ws:// URLs; client i uses servers[(first_client + i) % n] */
  guint clients;
  guint first_client;   /* index of this process's first client (--processes) */
  guint duration_s;
  gint hold_ms;         /* -1: random 500–1500 ms */
  gboolean chaos;
  guint grace_s;        /* chaos: the servers' --grace; some absences outlast it */
  gboolean idle;        /* sign in, leave the lobby, hold the connection: idle sessions */
  guint32 seed;
  guint ramp_per_s;     /* connections opened per second at the start (0: all at once) */
  gboolean quiet;
  double interests_share;   /* this share of clients sign in with three interests, drawn
                             * from a Zipf law over interest_tags tags (#27's load) */
  guint interest_tags;
} ScLoadgenOptions;

typedef struct
{
  guint64 matches;          /* pairs, each counted once (by its offerer) */
  double seconds;
  double p50_ms, p99_ms;    /* lobby → matched */
  guint64 errors;
  guint64 rematches;        /* matched with the partner just left */
  guint64 calls_seen;
  guint violations;         /* chaos: broken invariants, from the clients' side */
  guint64 drops, resumes, fresh_sessions, reports, nexts, leaves, quits;
  guint connected;          /* clients signed in at the end */
  GArray *latencies;        /* double ms, lobby → matched, sorted; the caller frees it */
} ScLoadgenResult;

/* Runs the load on the thread-default main context; returns FALSE on a set-up error. */
gboolean sc_loadgen_run (const ScLoadgenOptions *options,
                         ScLoadgenResult        *result,
                         GString                *report,
                         GError                **error);

G_END_DECLS
