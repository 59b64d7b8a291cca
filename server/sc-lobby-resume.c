/* sc-lobby-resume.c: tickets, and a session picked up again on a new connection
 * (sc-lobby.c's header: a dropped connection detaches its session for the grace period). */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-lobby-private.h"

char *
sc_lobby_issue_ticket (ScLobby *self, const char *token, const char *address, GError **error)
{
  if (!lobby_sign_in_allowed (self, address))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "too many sign-ins from your address; try again in a little while");
      self->stats.rate_limited++;
      return NULL;
    }
  g_autoptr(ScSessionClaims) claims = sc_token_signer_verify (self->signer, token,
                                                              lobby_wall_now_s (self), error);
  if (claims == NULL)
    return NULL;

  gint64 now = lobby_now_us (self);
  if (g_hash_table_size (self->tickets) >= MAX_TICKETS)
    {
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, self->tickets);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Ticket *) value)->expires_us <= now)
          g_hash_table_iter_remove (&iter);
      if (g_hash_table_size (self->tickets) >= MAX_TICKETS)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "the server is busy");
          return NULL;
        }
    }
  g_autofree char *random = sc_auth_new_nonce ();   /* 32 random bytes, base64 */
  GString *ticket = g_string_new ("t");
  for (const char *c = random; *c && ticket->len < 40; c++)
    if (g_ascii_isalnum (*c))
      g_string_append_c (ticket, *c);

  Ticket *entry = g_new0 (Ticket, 1);
  entry->claims = g_steal_pointer (&claims);
  entry->expires_us = now + SC_TICKET_LIFETIME_S * G_USEC_PER_SEC;
  g_hash_table_replace (self->tickets, g_strdup (ticket->str), entry);
  self->stats.tickets++;
  return g_string_free (ticket, FALSE);
}

/* @fresh (a NEW connection) takes over the detached or still attached session @old:
 * @old gets @fresh's transport, @fresh is freed. Returns @old. */
static ScLobbyUser *
take_over (ScLobby *self, ScLobbyUser *old, ScLobbyUser *fresh)
{
  if (old->transport)
    {
      /* The old socket is told and forgotten: its late close can no longer touch the
       * session (the transport has let go of the user). */
      g_info ("%s resumed on a new connection; the old one is closed", old->id);
      g_autoptr(ScMessage) msg = sc_message_new_error ("replaced",
                                                       "This session goes on on a new connection.");
      self->send (old->transport, msg, self->send_data);
      gpointer transport = old->transport;
      old->transport = NULL;
      g_hash_table_remove (self->connected, old);
      if (self->close)
        self->close (transport, "session resumed elsewhere", self->close_data);
    }
  g_hash_table_remove (self->detached, old);
  g_hash_table_remove (self->connected, fresh);
  old->transport = fresh->transport;
  g_free (old->address);
  old->address = g_strdup (fresh->address);
  g_free (old->nonce);
  old->nonce = g_strdup (fresh->nonce);
  old->detached_us = 0;
  old->refusals = 0;
  g_hash_table_add (self->connected, old);
  lobby_user_free (fresh);
  return old;
}

ScLobbyUser *
lobby_resume (ScLobby *self, ScLobbyUser *fresh, const ScSessionClaims *claims)
{
  if (lobby_refuse_banned (self, fresh, claims->user))
    return NULL;

  ScLobbyUser *old = g_hash_table_lookup (self->users, claims->user);
  if (old && g_strcmp0 (old->session, claims->session) != 0)
    {
      /* The identity signed in afresh since: the newer session wins, the stale one
       * cannot evict it. */
      sc_lobby_send_error (self, fresh, "replaced", "You signed in again elsewhere.");
      lobby_close_connection (self, fresh, "resumed a replaced session");
      return NULL;
    }
  if (old == NULL)
    {
      /* The session is over (grace expired, or another node or process held it): a new
       * one with the same identity, back in the lobby. */
      g_info ("%s came back after its session ended", claims->user);
      lobby_start_session (self, fresh, g_strdup (claims->user), g_strdup (claims->name),
                     claims->guest);
      self->stats.resumed_new++;
      return fresh;
    }

  ScLobbyUser *user = take_over (self, old, fresh);
  self->stats.resumed++;
  g_info ("%s (%s) resumed its session", user->id, user->name);
  lobby_send_signed_in (self, user, TRUE);
  /* The pair again: a "matched" sent just as the old socket died may never have
   * arrived. A client that knows the call already ignores it. */
  if (user->state == USER_PAIRED)
    lobby_send_matched (self, user);
  while (!g_queue_is_empty (&user->outbox))
    {
      g_autoptr(ScMessage) msg = g_queue_pop_head (&user->outbox);
      lobby_send_msg (self, user, msg);
    }
  if (user->state == USER_IDLE && user->wants_lobby)
    lobby_enter_lobby (self, user);
  else if (user->state == USER_WAITING)
    {
      /* Waiting already: the old socket was still ours when its call ended, and the
       * peer-left sent to it may have died with it. "waiting" says where the session
       * is, so the client knows its call is over. */
      g_autoptr(ScMessage) waiting = sc_message_new (SC_MSG_WAITING);
      waiting->queue = sc_matcher_waiting (self->matcher);
      lobby_send_msg (self, user, waiting);
    }
  return user;
}

