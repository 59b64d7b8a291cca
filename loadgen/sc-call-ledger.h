/* sc-call-ledger.h: the lobby's invariants as the clients see them.
 *
 * showcast-loadgen's clients write down what happens to each call from their side —
 * who was matched with whom, who ended it, who was told — and the ledger checks the
 * rules (docs/protocol.md) on the spot and at the end: nobody in two pairs at once,
 * never paired with oneself, never a blocked couple, every pair ended once and the
 * partner told exactly once. Clients are numbered; ids are the server's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScCallLedger ScCallLedger;

ScCallLedger *sc_call_ledger_new        (void);
void          sc_call_ledger_free       (ScCallLedger *ledger);

/* Client @client (id @self_id, in its session number @session) was matched in @call with
 * @peer_id. @busy: it believed itself still in another call, which nobody ended. */
void          sc_call_ledger_matched    (ScCallLedger *ledger,
                                         const char   *call,
                                         guint         client,
                                         guint         session,
                                         const char   *self_id,
                                         const char   *peer_id,
                                         gboolean      busy);
/* @client ended @call itself (next, leave, report, call-failed, a clean quit, or its
 * session ended: it dropped and did not come back in time, or was closed). */
void          sc_call_ledger_ended_by   (ScCallLedger *ledger,
                                         const char   *call,
                                         guint         client);
/* @client was told @call ended (peer-left, or on resuming that it ended while away). */
void          sc_call_ledger_told       (ScCallLedger *ledger,
                                         const char   *call,
                                         guint         client);
/* @reporter_id reported @reported_id, its partner in @call; from now on they must never
 * be paired — unless the report failed (the server said not-in-call for that call, as
 * when the partner's skip crossed the report: sc_call_ledger_report_failed). */
void          sc_call_ledger_reported   (ScCallLedger *ledger,
                                         guint         client,
                                         const char   *call,
                                         const char   *reporter_id,
                                         const char   *reported_id);
void          sc_call_ledger_report_failed (ScCallLedger *ledger,
                                            guint         client,
                                            const char   *call);

/* Checks what can only be judged at the end. @still_there(@client, @session) says
 * whether that session of that client is still alive and quiet. Returns the number of
 * violations, each described in @report. */
guint         sc_call_ledger_check      (ScCallLedger *ledger,
                                         gboolean    (*still_there) (guint client,
                                                                     guint session,
                                                                     const char *call,
                                                                     gpointer data),
                                         gpointer      data,
                                         GString      *report);
guint         sc_call_ledger_n_calls    (ScCallLedger *ledger);

G_END_DECLS
