/* sc-matcher.c: see sc-matcher.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-matcher.h"

G_DEFINE_INTERFACE (ScMatcher, sc_matcher, G_TYPE_OBJECT)

enum { PAIRED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
sc_matcher_default_init (ScMatcherInterface *iface)
{
  /**
   * ScMatcher::paired:
   * @offerer: id of the user who makes the WebRTC offer
   * @answerer: id of the other user
   *
   * @common: the interests the two share (may be empty)
   * @reason: an #ScMatchReason
   *
   * Both users have left the waiting set when this is emitted.
   */
  signals[PAIRED] = g_signal_new ("paired", G_TYPE_FROM_INTERFACE (iface),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRV,
                                  G_TYPE_UINT);
}

void
sc_matcher_join (ScMatcher *self, const char *user_id)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  SC_MATCHER_GET_IFACE (self)->join (self, user_id);
}

void
sc_matcher_leave (ScMatcher *self, const char *user_id)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  SC_MATCHER_GET_IFACE (self)->leave (self, user_id);
}

void
sc_matcher_parted (ScMatcher *self, const char *user_a, const char *user_b)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  SC_MATCHER_GET_IFACE (self)->parted (self, user_a, user_b);
}

void
sc_matcher_forget (ScMatcher *self, const char *user_id)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  SC_MATCHER_GET_IFACE (self)->forget (self, user_id);
}

/* For good: the two are never paired again, whatever else happens. */
void
sc_matcher_block (ScMatcher *self, const char *user_a, const char *user_b)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  SC_MATCHER_GET_IFACE (self)->block (self, user_a, user_b);
}

void
sc_matcher_flush (ScMatcher *self)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  SC_MATCHER_GET_IFACE (self)->flush (self);
}

guint
sc_matcher_waiting (ScMatcher *self)
{
  g_return_val_if_fail (SC_IS_MATCHER (self), 0);
  return SC_MATCHER_GET_IFACE (self)->waiting (self);
}

void
sc_matcher_introduce (ScMatcher *self, const char *user_id, const char *name)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  if (SC_MATCHER_GET_IFACE (self)->introduce)
    SC_MATCHER_GET_IFACE (self)->introduce (self, user_id, name);
}

gboolean
sc_matcher_describe (ScMatcher *self, const char *user_id, char **name, char **node)
{
  g_return_val_if_fail (SC_IS_MATCHER (self), FALSE);
  if (SC_MATCHER_GET_IFACE (self)->describe == NULL)
    return FALSE;
  return SC_MATCHER_GET_IFACE (self)->describe (self, user_id, name, node);
}

void
sc_matcher_set_preferences (ScMatcher *self, const char *user_id, const char *const *interests,
                            const char *language)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  if (SC_MATCHER_GET_IFACE (self)->set_preferences)
    SC_MATCHER_GET_IFACE (self)->set_preferences (self, user_id, interests, language);
}

void
sc_matcher_set_interest_wait (ScMatcher *self, guint ms)
{
  g_return_if_fail (SC_IS_MATCHER (self));
  if (SC_MATCHER_GET_IFACE (self)->set_interest_wait)
    SC_MATCHER_GET_IFACE (self)->set_interest_wait (self, ms);
}

void
sc_matcher_emit_paired (ScMatcher *self, const char *offerer, const char *answerer,
                        const char *const *common, ScMatchReason reason)
{
  static const char *const none[] = { NULL };
  g_signal_emit (self, signals[PAIRED], 0, offerer, answerer, common ? common : none,
                 (guint) reason);
}

guint
sc_matcher_count_common (const char *const *a, const char *const *b, GStrv *common)
{
  g_autoptr(GStrvBuilder) builder = common ? g_strv_builder_new () : NULL;
  guint n = 0;
  for (guint i = 0; a && a[i]; i++)
    if (b && g_strv_contains (b, a[i]))
      {
        n++;
        if (builder)
          g_strv_builder_add (builder, a[i]);
      }
  if (common)
    *common = g_strv_builder_end (builder);
  return n;
}

void
sc_match_prefs_free (ScMatchPrefs *prefs)
{
  g_strfreev (prefs->interests);
  g_free (prefs->language);
  g_free (prefs);
}

GHashTable *
sc_match_prefs_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) sc_match_prefs_free);
}

void
sc_match_prefs_store (GHashTable *table, const char *user_id, const char *const *interests,
                      const char *language)
{
  gboolean some = interests && interests[0];
  if (!some && language == NULL)
    {
      g_hash_table_remove (table, user_id);
      return;
    }
  ScMatchPrefs *prefs = g_new0 (ScMatchPrefs, 1);
  prefs->interests = some ? g_strdupv ((GStrv) interests) : NULL;
  prefs->language = g_strdup (language);
  g_hash_table_replace (table, g_strdup (user_id), prefs);
}

ScMatchReason
sc_match_reason (const ScMatchPrefs *a, const ScMatchPrefs *b, GStrv *common)
{
  guint n = sc_matcher_count_common (a ? (const char *const *) a->interests : NULL,
                                     b ? (const char *const *) b->interests : NULL, common);
  if (n)
    return SC_MATCH_INTEREST;
  if (a && b && a->language && g_strcmp0 (a->language, b->language) == 0)
    return SC_MATCH_LANGUAGE;
  return a || b ? SC_MATCH_FALLBACK : SC_MATCH_ANYONE;
}

const char *
sc_match_reason_to_string (ScMatchReason reason)
{
  static const char *const names[] = { "interest", "language", "fallback", "anyone" };
  g_return_val_if_fail (reason < SC_MATCH_N_REASONS, "?");
  return names[reason];
}
