/* sc-lobby-invariants.c: the lobby's invariants, checked after every change with
 * --check-invariants (tests, chaos runs) and by the unit tests. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-lobby-private.h"

/**
 * sc_lobby_check_invariants:
 * Checks that the users and pairs agree: every pair has two distinct PAIRED members
 * that point back to it, every PAIRED user is in a live pair, and the number of
 * WAITING users is what the matcher holds. For tests and debugging.
 */
gboolean
sc_lobby_check_invariants (ScLobby *self, GError **error)
{
  GHashTableIter iter;
  gpointer value;
  guint waiting = 0, paired = 0;

  g_hash_table_iter_init (&iter, self->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ScLobbyPair *pair = value;
      g_autofree char *key = lobby_blocked_key (pair->offerer->id, pair->answerer->id);
      if (g_hash_table_contains (self->blocked, key))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pair %s joins a blocked couple",
                       pair->call);
          return FALSE;
        }
      if (pair->offerer == pair->answerer || pair->offerer->pair != pair ||
          pair->answerer->pair != pair || pair->offerer->state != USER_PAIRED ||
          pair->answerer->state != USER_PAIRED)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pair %s is inconsistent",
                       pair->call);
          return FALSE;
        }
    }

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ScLobbyUser *user = value;
      if (user->state == USER_WAITING)
        waiting++;
      if (user->state == USER_PAIRED)
        {
          paired++;
          if (user->pair == NULL ||
              g_hash_table_lookup (self->pairs, user->pair->call) != user->pair)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "user %s is paired in no live pair", user->id);
              return FALSE;
            }
        }
      else if (user->pair != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "user %s is not paired but points to a pair", user->id);
          return FALSE;
        }
    }

  g_hash_table_iter_init (&iter, self->detached);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    {
      ScLobbyUser *user = value;
      if (user->transport != NULL || user->state == USER_WAITING ||
          g_hash_table_lookup (self->users, user->id) != user ||
          g_hash_table_contains (self->connected, user))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "detached user %s is inconsistent", user->id);
          return FALSE;
        }
    }
  if (g_hash_table_size (self->users) > g_hash_table_size (self->connected) +
                                         g_hash_table_size (self->detached))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%u sessions but only %u connected and %u detached",
                   g_hash_table_size (self->users), g_hash_table_size (self->connected),
                   g_hash_table_size (self->detached));
      return FALSE;
    }

  guint stubs = 0;
  g_hash_table_iter_init (&iter, self->pairs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ScLobbyPair *pair = value;
      stubs += (pair->offerer->remote_node != NULL) + (pair->answerer->remote_node != NULL);
      if (pair->offerer->remote_node && pair->answerer->remote_node)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pair %s has no user of ours",
                       pair->call);
          return FALSE;
        }
    }
  if (paired + stubs != 2 * g_hash_table_size (self->pairs))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%u paired users in %u pairs",
                   paired, g_hash_table_size (self->pairs));
      return FALSE;
    }
  if (waiting != sc_matcher_waiting (self->matcher))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%u users wait but the matcher holds %u", waiting,
                   sc_matcher_waiting (self->matcher));
      return FALSE;
    }
  return TRUE;
}

