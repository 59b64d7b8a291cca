/* sc-matcher.h: the lobby's matching state behind a small interface.
 *
 * The lobby tells the matcher who waits, who stopped waiting and who just parted; the
 * matcher decides who is paired with whom and says so through the "paired" signal. The
 * in-process implementation is ScLocalMatcher; a shared one (Redis) implements the same
 * interface, which is why every call returns at once and results come as signals.
 *
 * Rules every implementation keeps: pairs are drawn at random; every user is in at most
 * one pair and never paired with themself; two users who blocked each other are never
 * paired; two users who just parted are not paired again while anyone else waits; when
 * two or more who may meet wait, they are paired at once.
 *
 * Interests and language (#27). Two waiting users may meet when they share an interest,
 * or share the language, or when neither has either ("free"), or when one of them has
 * waited longer than the interest wait (it takes anyone: so nobody waits more than the
 * interest wait for want of a partner who shares something, nor, without a language,
 * among users who all have one). Among those a user may meet, one sharing more
 * interests comes first, then one sharing the language, then anyone; among equals the
 * choice is random.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Why two were paired, for /metrics: they share an interest; else the language; else one
 * of them had waited out the interest wait (a fallback); else neither had anything to
 * share. */
typedef enum
{
  SC_MATCH_INTEREST,
  SC_MATCH_LANGUAGE,
  SC_MATCH_FALLBACK,
  SC_MATCH_ANYONE,
  SC_MATCH_N_REASONS
} ScMatchReason;

#define SC_MATCHER_DEFAULT_INTEREST_WAIT_MS 5000

#define SC_TYPE_MATCHER (sc_matcher_get_type ())
G_DECLARE_INTERFACE (ScMatcher, sc_matcher, SC, MATCHER, GObject)

struct _ScMatcherInterface
{
  GTypeInterface parent_iface;

  void  (*join)    (ScMatcher  *self,
                    const char *user_id);
  void  (*leave)   (ScMatcher  *self,
                    const char *user_id);
  void  (*parted)  (ScMatcher  *self,
                    const char *user_a,
                    const char *user_b);
  void  (*forget)  (ScMatcher  *self,
                    const char *user_id);
  void  (*block)   (ScMatcher  *self,
                    const char *user_a,
                    const char *user_b);
  void  (*flush)   (ScMatcher  *self);
  guint (*waiting) (ScMatcher  *self);

  /* Optional, for matchers shared by several nodes: the lobby introduces each signed-in
   * user (so other nodes can name it), and asks who a user of another node is. */
  void     (*introduce) (ScMatcher  *self,
                         const char *user_id,
                         const char *name);
  gboolean (*describe)  (ScMatcher  *self,
                         const char *user_id,
                         char      **name,
                         char      **node);

  /* What a user shares, normalised (sc-text.h); NULL or empty: nothing. Kept until
   * forget; it counts from the user's next join. */
  void (*set_preferences)   (ScMatcher         *self,
                             const char        *user_id,
                             const char *const *interests,
                             const char        *language);
  void (*set_interest_wait) (ScMatcher         *self,
                             guint              ms);
};

void  sc_matcher_join    (ScMatcher  *self,
                          const char *user_id);
void  sc_matcher_leave   (ScMatcher  *self,
                          const char *user_id);
void  sc_matcher_parted  (ScMatcher  *self,
                          const char *user_a,
                          const char *user_b);
void  sc_matcher_forget  (ScMatcher  *self,
                          const char *user_id);
void  sc_matcher_block   (ScMatcher  *self,
                          const char *user_a,
                          const char *user_b);
void  sc_matcher_flush   (ScMatcher  *self);
guint sc_matcher_waiting (ScMatcher  *self);
void     sc_matcher_introduce (ScMatcher  *self,
                               const char *user_id,
                               const char *name);
/* A user that is not this node's: its name and node, if the matcher knows them. */
gboolean sc_matcher_describe  (ScMatcher  *self,
                               const char *user_id,
                               char      **name,
                               char      **node);

void     sc_matcher_set_preferences   (ScMatcher         *self,
                                       const char        *user_id,
                                       const char *const *interests,
                                       const char        *language);
void     sc_matcher_set_interest_wait (ScMatcher         *self,
                                       guint              ms);

/* For implementations: announce a pair. The offerer is the first user. @common: the
 * interests the two share (NULL: none). */
void  sc_matcher_emit_paired (ScMatcher         *self,
                              const char        *offerer,
                              const char        *answerer,
                              const char *const *common,
                              ScMatchReason      reason);

/* For implementations: how many of @a's interests @b has too, and (@common not NULL) which,
 * in @a's order. */
guint sc_matcher_count_common (const char *const *a,
                               const char *const *b,
                               GStrv             *common);

/* For implementations: what a user shares, as a matcher keeps it. A user with neither
 * interests nor a language has no entry (NULL). */
typedef struct
{
  GStrv interests;           /* NULL: none */
  char *language;            /* NULL: none */
} ScMatchPrefs;

void          sc_match_prefs_free  (ScMatchPrefs      *prefs);
/* Sets @user_id's entry in @table (id → ScMatchPrefs, made by sc_match_prefs_table_new),
 * or removes it when there is nothing to share. */
GHashTable   *sc_match_prefs_table_new (void);
void          sc_match_prefs_store (GHashTable        *table,
                                    const char        *user_id,
                                    const char *const *interests,
                                    const char        *language);
/* Why two users (their entries, NULL for none) are paired, and (@common not NULL) the
 * interests they share. */
ScMatchReason sc_match_reason      (const ScMatchPrefs *a,
                                    const ScMatchPrefs *b,
                                    GStrv              *common);
const char *sc_match_reason_to_string (ScMatchReason reason);

G_END_DECLS
