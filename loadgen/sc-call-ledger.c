/* sc-call-ledger.c: see sc-call-ledger.h. */
#define G_LOG_DOMAIN "showcast-loadgen"

#include "config.h"

#include <string.h>

#include "sc-call-ledger.h"

typedef struct
{
  guint client;
  guint session;
  char *id;
  char *peer;
  guint told;
  gboolean ended;
} Side;

typedef struct
{
  char *call;
  Side side[2];
  guint n;
} Record;

typedef struct
{
  guint client;
  char *call;
  char *reporter;
  char *reported;
  gboolean failed;
} Report;

struct _ScCallLedger
{
  GHashTable *calls;          /* call → Record */
  GPtrArray *reports;         /* of Report, in order */
  GPtrArray *suspects;        /* of char* "reporter\nreported" matched after a report */
  GString *early;             /* violations seen on the spot */
  guint n_early;
};

static void
record_free (Record *r)
{
  for (guint i = 0; i < r->n; i++)
    {
      g_free (r->side[i].id);
      g_free (r->side[i].peer);
    }
  g_free (r->call);
  g_free (r);
}

static void
report_free (Report *r)
{
  g_free (r->call);
  g_free (r->reporter);
  g_free (r->reported);
  g_free (r);
}

ScCallLedger *
sc_call_ledger_new (void)
{
  ScCallLedger *ledger = g_new0 (ScCallLedger, 1);
  ledger->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) record_free);
  ledger->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) report_free);
  ledger->suspects = g_ptr_array_new_with_free_func (g_free);
  ledger->early = g_string_new (NULL);
  return ledger;
}

void
sc_call_ledger_free (ScCallLedger *ledger)
{
  g_hash_table_unref (ledger->calls);
  g_ptr_array_unref (ledger->reports);
  g_ptr_array_unref (ledger->suspects);
  g_string_free (ledger->early, TRUE);
  g_free (ledger);
}

static void
violation (ScCallLedger *ledger, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
violation (ScCallLedger *ledger, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  ledger->n_early++;
  if (ledger->n_early <= 20)
    {
      g_string_append (ledger->early, "  ");
      g_string_append_vprintf (ledger->early, format, args);
      g_string_append_c (ledger->early, '\n');
    }
  va_end (args);
}

static Side *
side_of (Record *r, guint client)
{
  for (guint i = 0; i < r->n; i++)
    if (r->side[i].client == client)
      return &r->side[i];
  return NULL;
}

void
sc_call_ledger_matched (ScCallLedger *ledger, const char *call, guint client, guint session,
                        const char *self_id, const char *peer_id, gboolean busy)
{
  if (busy)
    violation (ledger, "client %u (%s) matched in %s while still in another call", client,
               self_id, call);
  if (g_strcmp0 (self_id, peer_id) == 0)
    violation (ledger, "client %u (%s) paired with itself in %s", client, self_id, call);

  Record *r = g_hash_table_lookup (ledger->calls, call);
  if (r == NULL)
    {
      r = g_new0 (Record, 1);
      r->call = g_strdup (call);
      g_hash_table_insert (ledger->calls, r->call, r);
    }
  if (side_of (r, client))
    return;   /* told again after a resume: the same pair */
  if (r->n == 2)
    {
      violation (ledger, "call %s has a third member, client %u (%s)", call, client, self_id);
      return;
    }
  Side *s = &r->side[r->n++];
  s->client = client;
  s->session = session;
  s->id = g_strdup (self_id);
  s->peer = g_strdup (peer_id);

  for (guint i = 0; i < ledger->reports->len; i++)
    {
      Report *rep = g_ptr_array_index (ledger->reports, i);
      if (g_strcmp0 (rep->reporter, self_id) == 0 && g_strcmp0 (rep->reported, peer_id) == 0)
        g_ptr_array_add (ledger->suspects, g_strdup_printf ("%u", i));
    }
}

void
sc_call_ledger_ended_by (ScCallLedger *ledger, const char *call, guint client)
{
  Record *r = call ? g_hash_table_lookup (ledger->calls, call) : NULL;
  Side *s = r ? side_of (r, client) : NULL;
  if (s)
    s->ended = TRUE;
}

void
sc_call_ledger_told (ScCallLedger *ledger, const char *call, guint client)
{
  Record *r = g_hash_table_lookup (ledger->calls, call);
  Side *s = r ? side_of (r, client) : NULL;
  if (s)
    {
      s->told++;
      return;
    }
  /* A call whose "matched" went to a socket that died: the end of it can still be
   * held for the session and arrive on resuming. Valid if it has room for us. */
  if (r && r->n == 2)
    {
      violation (ledger, "client %u told that call %s ended, which it was never in", client, call);
      return;
    }
  if (r == NULL)
    {
      r = g_new0 (Record, 1);
      r->call = g_strdup (call);
      g_hash_table_insert (ledger->calls, r->call, r);
    }
  s = &r->side[r->n++];
  s->client = client;
  s->session = G_MAXUINT;   /* unknown */
  s->told = 1;
}

void
sc_call_ledger_reported (ScCallLedger *ledger, guint client, const char *call,
                         const char *reporter_id, const char *reported_id)
{
  Report *rep = g_new0 (Report, 1);
  rep->client = client;
  rep->call = g_strdup (call);
  rep->reporter = g_strdup (reporter_id);
  rep->reported = g_strdup (reported_id);
  g_ptr_array_add (ledger->reports, rep);
}

/* Matched by call, not by order: a report that succeeded is never acknowledged, so a
 * refusal says nothing about which of several reports it answers unless it names one. */
void
sc_call_ledger_report_failed (ScCallLedger *ledger, guint client, const char *call)
{
  for (guint i = ledger->reports->len; i > 0; i--)
    {
      Report *rep = g_ptr_array_index (ledger->reports, i - 1);
      if (rep->client == client && g_strcmp0 (rep->call, call) == 0 && !rep->failed)
        {
          rep->failed = TRUE;
          return;
        }
    }
  violation (ledger, "client %u: told its report in call %s failed, but it sent none there",
             client, call ? call : "(none named)");
}

guint
sc_call_ledger_n_calls (ScCallLedger *ledger)
{
  return g_hash_table_size (ledger->calls);
}

guint
sc_call_ledger_check (ScCallLedger *ledger,
                      gboolean (*still_there) (guint, guint, const char *, gpointer),
                      gpointer data, GString *report)
{
  guint n = ledger->n_early;
  g_string_append (report, ledger->early->str);

#define LATE(...) G_STMT_START { \
    if (n++ < 20) { g_string_append (report, "  "); \
                    g_string_append_printf (report, __VA_ARGS__); \
                    g_string_append_c (report, '\n'); } } G_STMT_END

  for (guint i = 0; i < ledger->suspects->len; i++)
    {
      Report *rep = g_ptr_array_index (ledger->reports,
                                       (guint) g_ascii_strtoull (g_ptr_array_index (ledger->suspects, i),
                                                                 NULL, 10));
      if (!rep->failed)
        LATE ("%s was paired with %s, whom it had reported", rep->reporter, rep->reported);
    }

  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, ledger->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Record *r = value;
      for (guint i = 0; i < r->n; i++)
        if (r->side[i].told > 1)
          LATE ("call %s: client %u told %u times that it ended", r->call, r->side[i].client,
                r->side[i].told);
      if (r->n < 2)
        continue;   /* the other side's matched went to a socket that died */
      Side *a = &r->side[0], *b = &r->side[1];
      if (a->id && b->id && (g_strcmp0 (a->peer, b->id) != 0 || g_strcmp0 (b->peer, a->id) != 0))
        LATE ("call %s: the two sides disagree on who is in it", r->call);
      if (a->told + b->told > 1)
        LATE ("call %s ended twice: both sides were told", r->call);
      for (guint k = 0; k < 2; k++)
        {
          Side *me = &r->side[k], *other = &r->side[1 - k];
          gboolean there = still_there (other->client, other->session, r->call, data);
          if (me->ended && !other->ended && there && other->told != 1)
            LATE ("call %s: client %u ended it but client %u was told %u times", r->call,
                  me->client, other->client, other->told);
          if (!me->ended && !other->ended && other->told > 0)
            LATE ("call %s: client %u told it ended, though nobody ended it", r->call,
                  other->client);
        }
    }
#undef LATE
  return n;
}
