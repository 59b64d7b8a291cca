/* sc-conn-limits.c: caps on the connections held; see sc-conn-limits.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-conn-limits.h"

struct _ScConnLimits
{
  gint ref;                  /* atomic: the server's, and one per counted socket */
  GMutex lock;
  guint max_total;
  guint max_per_address;
  GHashTable *per_address;   /* address → count (GUINT_TO_POINTER), only while > 0 */
  ScConnLimitsStats stats;
};

typedef struct
{
  ScConnLimits *limits;
  char *address;
} Counted;

ScConnLimits *
sc_conn_limits_new (guint max_total, guint max_per_address)
{
  ScConnLimits *limits = g_new0 (ScConnLimits, 1);
  limits->ref = 1;
  g_mutex_init (&limits->lock);
  limits->max_total = max_total;
  limits->max_per_address = max_per_address;
  limits->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return limits;
}

ScConnLimits *
sc_conn_limits_ref (ScConnLimits *limits)
{
  g_atomic_int_inc (&limits->ref);
  return limits;
}

void
sc_conn_limits_unref (ScConnLimits *limits)
{
  if (!g_atomic_int_dec_and_test (&limits->ref))
    return;
  g_hash_table_unref (limits->per_address);
  g_mutex_clear (&limits->lock);
  g_free (limits);
}

/* The socket is gone (on whichever thread let go of it last): it no longer counts. */
/* A GWeakNotify. */
static void
on_socket_finalized (gpointer data, GObject *where_the_socket_was)
{
  Counted *counted = data;
  ScConnLimits *limits = counted->limits;

  g_mutex_lock (&limits->lock);
  limits->stats.open--;
  if (counted->address)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (limits->per_address, counted->address));
      if (n <= 1)
        g_hash_table_remove (limits->per_address, counted->address);
      else
        g_hash_table_insert (limits->per_address, g_strdup (counted->address),
                             GUINT_TO_POINTER (n - 1));
    }
  g_mutex_unlock (&limits->lock);
  g_free (counted->address);
  sc_conn_limits_unref (limits);
  g_free (counted);
}

gboolean
sc_conn_limits_admit (ScConnLimits *limits, GSocket *socket, const char *address)
{
  g_mutex_lock (&limits->lock);
  if (limits->max_total > 0 && limits->stats.open >= limits->max_total)
    {
      limits->stats.refused_total++;
      g_mutex_unlock (&limits->lock);
      return FALSE;
    }
  guint n = address ? GPOINTER_TO_UINT (g_hash_table_lookup (limits->per_address, address)) : 0;
  if (address && limits->max_per_address > 0 && n >= limits->max_per_address)
    {
      limits->stats.refused_address++;
      g_mutex_unlock (&limits->lock);
      return FALSE;
    }
  limits->stats.open++;
  if (address)
    g_hash_table_insert (limits->per_address, g_strdup (address), GUINT_TO_POINTER (n + 1));
  g_mutex_unlock (&limits->lock);

  Counted *counted = g_new0 (Counted, 1);
  counted->limits = sc_conn_limits_ref (limits);
  counted->address = g_strdup (address);
  g_object_weak_ref (G_OBJECT (socket), on_socket_finalized, counted);
  return TRUE;
}

void
sc_conn_limits_get_stats (ScConnLimits *limits, ScConnLimitsStats *stats)
{
  g_mutex_lock (&limits->lock);
  *stats = limits->stats;
  g_mutex_unlock (&limits->lock);
}
