/* sc-conn-limits.h: how many TCP connections the server holds, in all and per remote
 * address, shared by every shard's acceptor (thread-safe).
 *
 * Why: every connection costs a descriptor and some memory before it has said anything.
 * Without caps, 1,100 idle connections from one host took every descriptor of a process
 * limited to 1,024 and locked every new user out (#22). A connection over a cap is
 * refused at accept (503 on plain HTTP), before libsoup reads a byte of it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _ScConnLimits ScConnLimits;

typedef struct
{
  guint open;                /* connections held now */
  guint64 refused_total;     /* refused: the server held its maximum */
  guint64 refused_address;   /* refused: that address held its maximum */
} ScConnLimitsStats;

/* 0: no cap. */
ScConnLimits *sc_conn_limits_new       (guint              max_total,
                                        guint              max_per_address);
ScConnLimits *sc_conn_limits_ref       (ScConnLimits      *limits);
void          sc_conn_limits_unref     (ScConnLimits      *limits);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScConnLimits, sc_conn_limits_unref)

/* Counts @socket's connection from @address (NULL: counted in all only) if the caps
 * allow it, until @socket is finalized; FALSE (nothing counted) if they do not. */
gboolean      sc_conn_limits_admit     (ScConnLimits      *limits,
                                        GSocket           *socket,
                                        const char        *address);
void          sc_conn_limits_get_stats (ScConnLimits      *limits,
                                        ScConnLimitsStats *stats);

G_END_DECLS
