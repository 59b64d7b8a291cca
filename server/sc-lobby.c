/* sc-lobby.c: see sc-lobby.h.
 *
 * A user is in one of four states: NEW (connected, not signed in), IDLE (signed in, in
 * no queue and no call), WAITING (in the matcher) or PAIRED (in exactly one pair). Every
 * way a call can end — next, leave, report, call-failed, a closed socket, the end of a
 * grace period — goes through end_pair(), which does nothing the second time, so a pair
 * ends once and the partner hears of it once.
 *
 * A signed-in user is a session. When its connection drops without a goodbye the
 * session is *detached*, not ended: it keeps its pair (never its place in the queue,
 * since nobody could answer a match), what is said to it waits in its outbox, and a new
 * connection opened with a ticket for it picks it up where it was. After the grace
 * period it ends like a closed socket. A connection is only ever the session's current
 * one or nothing: a replaced connection has been told to close and is forgotten, so its
 * late close cannot touch the session.
 *
 * With several nodes (a shared matcher and an ScNodeBus), a pair may join a user of this
 * node with one of another. The other side is then a *stub*: an ScLobbyUser with a
 * remote_node, owned by the pair, never in the users table. What is sent to a stub goes
 * to its node as a bus event; the end of such a pair is one "ended" event, so each node
 * ends its half once. A node whose heartbeat expires takes its users' halves with it.
 *
 * The lobby's rooms: this file (users, pairs, matching, the one end-of-call path, what
 * users say, limits, configuration), sc-lobby-nodes.c (pairs across nodes),
 * sc-lobby-resume.c (tickets and resuming), sc-lobby-invariants.c (the checks), and
 * sc-lobby-private.h, which they share.
 */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-lobby-private.h"
#include "sc-text.h"
#include "sc-turn-credentials.h"

const double sc_lobby_wait_bounds[SC_WAIT_BUCKETS] = {
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60,
};

G_DEFINE_FINAL_TYPE (ScLobby, sc_lobby, G_TYPE_OBJECT)


void
lobby_user_free (ScLobbyUser *user)
{
  g_queue_clear_full (&user->outbox, (GDestroyNotify) sc_message_free);
  g_free (user->remote_node);
  g_free (user->session);
  g_free (user->address);
  g_free (user->nonce);
  g_free (user->id);
  g_free (user->name);
  g_strfreev (user->interests);
  g_free (user->language);
  g_free (user);
}

static void
pair_free (ScLobbyPair *pair)
{
  /* A pair owns its stub (the side on another node), if it has one. */
  if (pair->offerer && pair->offerer->remote_node)
    lobby_user_free (pair->offerer);
  if (pair->answerer && pair->answerer->remote_node)
    lobby_user_free (pair->answerer);
  g_free (pair->call);
  g_strfreev (pair->common);
  g_free (pair);
}

static char *
new_id (const char *prefix)
{
  return g_strdup_printf ("%s%08x%08x", prefix, g_random_int (), g_random_int ());
}

static void
ticket_free (Ticket *ticket)
{
  sc_session_claims_free (ticket->claims);
  g_free (ticket);
}

/* To a detached session, messages wait (a bounded number: a session whose outbox
 * overflows misses the rest, and finds out from the state it gets on return). */

void
lobby_send_msg (ScLobby *self, ScLobbyUser *user, const ScMessage *msg)
{
  if (user->remote_node)
    {
      /* Signalling for the partner over there: its node delivers it. */
      ScBusEvent *event = sc_bus_event_new (SC_BUS_RELAY, user->id, msg->call);
      event->message = sc_message_copy (msg);
      lobby_bus_send (self, user->remote_node, event);
    }
  else if (user->transport)
    self->send (user->transport, msg, self->send_data);
  else if (user->outbox.length < OUTBOX_MAX_MESSAGES)
    {
      ScMessage *copy = sc_message_copy (msg);
      if (copy)
        g_queue_push_tail (&user->outbox, copy);
    }
  else
    g_debug ("outbox of %s full: %s dropped", user->id, sc_message_type_to_string (msg->type));
}

void
sc_lobby_send_error (ScLobby *self, ScLobbyUser *user, const char *code, const char *message)
{
  g_autoptr(ScMessage) msg = sc_message_new_error (code, message);
  lobby_send_msg (self, user, msg);
}

/* A call of @user's could not connect, and this lobby has no TURN server to offer: say
 * what is missing (#23). */
void
lobby_tell_no_relay (ScLobby *self, ScLobbyUser *user)
{
  sc_lobby_send_error (self, user, "no-relay",
                       "The call could not connect: no way through between your networks, "
                       "and this server offers no relay (TURN) to go around that.");
}

ScLobbyUser *
lobby_partner_of (ScLobbyUser *user)
{
  ScLobbyPair *pair = user->pair;
  return pair->offerer == user ? pair->answerer : pair->offerer;
}

void
lobby_enter_lobby (ScLobby *self, ScLobbyUser *user)
{
  if (user->transport == NULL)
    {
      /* Detached: nobody could answer a match. It goes in when it comes back. */
      user->state = USER_IDLE;
      user->wants_lobby = TRUE;
      return;
    }
  user->wants_lobby = FALSE;
  user->state = USER_WAITING;
  user->waiting_since_us = lobby_now_us (self);
  sc_matcher_join (self->matcher, user->id);

  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_WAITING);
  msg->queue = sc_matcher_waiting (self->matcher);
  lobby_send_msg (self, user, msg);
}

/* A skip over the next limit (#22): the call has ended already — leaving is never
 * refused, or the pair would be half-ended — but the return to matching waits until
 * the limit allows another skip, and the user is told how long. */
static void
start_cooldown (ScLobby *self, ScLobbyUser *user, gint64 wait_us)
{
  gint64 until = lobby_now_us (self) + wait_us;
  user->state = USER_IDLE;
  user->cooldown_until_us = until;
  g_hash_table_add (self->cooling, user);
  self->stats.cooldowns++;

  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_COOLDOWN);
  msg->ms = (guint) MIN ((wait_us + 999) / 1000, 60000);
  lobby_send_msg (self, user, msg);
  if (self->wake)
    self->wake (until, self->wake_data);
}

static void
stop_cooldown (ScLobby *self, ScLobbyUser *user)
{
  user->cooldown_until_us = 0;
  g_hash_table_remove (self->cooling, user);
}

/* The one way a pair ends. @leaver is the user whose action ended it; the partner is
 * told why and goes back to the lobby. The leaver is left IDLE: the caller decides
 * where it goes next. */
static void
end_pair (ScLobby *self, ScLobbyUser *leaver, ScLeaveReason reason)
{
  if (leaver->state != USER_PAIRED || leaver->pair == NULL)
    return;

  ScLobbyPair *pair = leaver->pair;
  ScLobbyUser *partner = lobby_partner_of (leaver);

  g_info ("call %s ends: %s (%s) %s", pair->call, leaver->id, leaver->name,
          sc_leave_reason_to_string (reason));

  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_PEER_LEFT);
  msg->call = g_strdup (pair->call);
  msg->reason = reason;

  leaver->pair = partner->pair = NULL;
  leaver->state = partner->state = USER_IDLE;
  sc_matcher_parted (self->matcher, leaver->id, partner->id);
  self->stats.pairs_ended++;

  if (partner->remote_node)
    {
      /* The partner's node ends its half and tells it. */
      ScBusEvent *event = sc_bus_event_new (SC_BUS_ENDED, partner->id, msg->call);
      event->reason = reason;
      lobby_bus_send (self, partner->remote_node, event);
      g_hash_table_remove (self->pairs, msg->call);   /* frees the stub */
      return;
    }
  g_hash_table_remove (self->pairs, msg->call);
  lobby_send_msg (self, partner, msg);
  lobby_enter_lobby (self, partner);
}

/* The other side of @user's pair, on another node, ended it (or its node died): the
 * stub goes, @user is told and goes back to the lobby. */
void
lobby_end_half (ScLobby *self, ScLobbyUser *user, ScLeaveReason reason)
{
  ScLobbyPair *pair = user->pair;
  ScLobbyUser *stub = lobby_partner_of (user);
  g_info ("call %s ends: %s (%s, node %s) %s", pair->call, stub->id, stub->name,
          stub->remote_node, sc_leave_reason_to_string (reason));

  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_PEER_LEFT);
  msg->call = g_strdup (pair->call);
  msg->reason = reason;
  user->pair = NULL;
  user->state = USER_IDLE;
  sc_matcher_parted (self->matcher, user->id, stub->id);
  self->stats.pairs_ended++;
  g_hash_table_remove (self->pairs, msg->call);   /* frees the stub */
  lobby_send_msg (self, user, msg);
  lobby_enter_lobby (self, user);
}


void
lobby_record_wait (ScLobby *self, ScLobbyUser *user)
{
  double waited = (lobby_now_us (self) - user->waiting_since_us) / 1e6;
  guint b = 0;
  while (b < SC_WAIT_BUCKETS && waited > sc_lobby_wait_bounds[b])
    b++;
  self->stats.wait_buckets[b]++;
  self->stats.wait_count++;
  self->stats.wait_sum_s += waited;
}

/* Tells @user (PAIRED) about its pair: who, which call, which role. */
void
lobby_send_matched (ScLobby *self, ScLobbyUser *user)
{
  ScLobbyPair *pair = user->pair;
  ScLobbyUser *peer = lobby_partner_of (user);
  g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_MATCHED);
  msg->call = g_strdup (pair->call);
  msg->role = pair->offerer == user ? SC_ROLE_OFFERER : SC_ROLE_ANSWERER;
  msg->peer_id = g_strdup (peer->id);
  msg->peer_name = g_strdup (peer->name);
  msg->interests = pair->common ? g_strdupv (pair->common) : g_new0 (char *, 1);
  for (guint i = 0; self->ice_servers && i < self->ice_servers->len; i++)
    g_ptr_array_add (msg->ice_servers,
                     sc_ice_server_copy (g_ptr_array_index (self->ice_servers, i)));
  if (self->turn_urls)
    {
      g_autofree char *username = NULL, *credential = NULL;
      sc_turn_credentials (self->turn_secret, user->id,
                           lobby_wall_now_s (self) + SC_TURN_CREDENTIAL_LIFETIME_S,
                           &username, &credential);
      g_ptr_array_add (msg->ice_servers,
                       sc_ice_server_new ((const char *const *) self->turn_urls, username,
                                          credential));
    }
  lobby_send_msg (self, user, msg);
}

ScLobbyUser *
lobby_stub_new (const char *id, const char *name, const char *node)
{
  ScLobbyUser *stub = g_new0 (ScLobbyUser, 1);
  stub->id = g_strdup (id);
  stub->name = g_strdup (name);
  stub->remote_node = g_strdup (node);
  stub->state = USER_PAIRED;
  g_queue_init (&stub->outbox);
  return stub;
}

ScLobbyPair *
lobby_pair_new (ScLobby *self, const char *call, ScLobbyUser *offerer, ScLobbyUser *answerer)
{
  ScLobbyPair *pair = g_new0 (ScLobbyPair, 1);
  pair->call = call ? g_strdup (call) : new_id ("c");
  pair->offerer = offerer;
  pair->answerer = answerer;
  g_hash_table_insert (self->pairs, pair->call, pair);
  offerer->pair = answerer->pair = pair;
  offerer->state = answerer->state = USER_PAIRED;
  offerer->call_signals = answerer->call_signals = 0;
  g_info ("call %s: %s (%s) offers to %s (%s)", pair->call, offerer->id, offerer->name,
          answerer->id, answerer->name);
  return pair;
}

/* The user @id as this node sees it: ours, or (with a shared matcher) a stub for a user
 * of another node, or NULL. */
static ScLobbyUser *
resolve (ScLobby *self, const char *id)
{
  ScLobbyUser *user = g_hash_table_lookup (self->users, id);
  if (user)
    return user;
  g_autofree char *name = NULL, *node = NULL;
  if (self->bus && sc_matcher_describe (self->matcher, id, &name, &node))
    return lobby_stub_new (id, name, node);
  return NULL;
}

static void
on_paired (ScMatcher *matcher, const char *offerer_id, const char *answerer_id,
           const char *const *common, guint reason, gpointer data)
{
  ScLobby *self = data;
  ScLobbyUser *offerer = resolve (self, offerer_id);
  ScLobbyUser *answerer = resolve (self, answerer_id);
  gboolean ok = offerer && answerer && offerer != answerer &&
                !(offerer->remote_node && answerer->remote_node);
  for (guint side = 0; ok && side < 2; side++)
    {
      ScLobbyUser *u = side ? answerer : offerer;
      ok = u->remote_node || (u->state == USER_WAITING && u->transport != NULL);
    }

  /* A matcher only pairs waiting users, but a shared matcher answers late: lobby_check rather
   * than trust. Whoever still waits goes back into the queue. */
  if (!ok)
    {
      g_info ("matcher paired %s and %s, who cannot be paired now", offerer_id, answerer_id);
      for (guint side = 0; side < 2; side++)
        {
          ScLobbyUser *u = side ? answerer : offerer;
          if (u == NULL || (side == 1 && u == offerer))
            continue;
          if (u->remote_node)
            {
              lobby_bus_send (self, u->remote_node, sc_bus_event_new (SC_BUS_REQUEUE, u->id, NULL));
              lobby_user_free (u);
            }
          else if (u->state == USER_WAITING)
            sc_matcher_join (self->matcher, u->id);
        }
      return;
    }

  ScLobbyPair *pair = lobby_pair_new (self, NULL, offerer, answerer);
  pair->common = common && common[0] ? g_strdupv ((GStrv) common) : NULL;
  self->stats.matches++;
  if (reason < SC_MATCH_N_REASONS)
    self->stats.matches_by_reason[reason]++;
  for (guint side = 0; side < 2; side++)
    {
      ScLobbyUser *me = side ? answerer : offerer;
      ScLobbyUser *peer = side ? offerer : answerer;
      if (me->remote_node)
        {
          /* Its node sets up its half and tells it. */
          ScBusEvent *event = sc_bus_event_new (SC_BUS_PAIRED, me->id, pair->call);
          event->peer = g_strdup (peer->id);
          event->peer_name = g_strdup (peer->name);
          event->role = side ? SC_ROLE_ANSWERER : SC_ROLE_OFFERER;
          event->common = pair->common ? g_strdupv (pair->common) : NULL;
          lobby_bus_send (self, me->remote_node, event);
          continue;
        }
      sc_matcher_leave (self->matcher, me->id);   /* no longer waiting here either */
      lobby_record_wait (self, me);
      lobby_send_matched (self, me);
    }
}

/* ---- The lobby's clock --------------------------------------------------------------- */

gint64
lobby_now_us (ScLobby *self)
{
  return self->clock ? self->clock (self->clock_data) : g_get_monotonic_time ();
}


/* With invariant checking on (tests, chaos runs), every change is followed by a full
 * lobby_check; a violation is logged and counted, never fatal. */
void
lobby_check (ScLobby *self)
{
  g_autoptr(GError) error = NULL;
  if (self->check_invariants && !sc_lobby_check_invariants (self, &error))
    {
      self->invariant_violations++;
      g_critical ("lobby invariant broken: %s", error->message);
    }
}

ScLobbyUser *
sc_lobby_connect (ScLobby *self, gpointer transport, const char *address, const char *ticket)
{
  ScLobbyUser *user = g_new0 (ScLobbyUser, 1);
  gint64 now = lobby_now_us (self);
  user->transport = transport;
  user->address = g_strdup (address);
  user->state = USER_NEW;
  sc_token_bucket_init (&user->messages, SC_LIMIT_MESSAGE_BURST, SC_LIMIT_MESSAGE_PER_SECOND, now);
  sc_token_bucket_init (&user->nexts, SC_LIMIT_NEXT_BURST, SC_LIMIT_NEXT_PER_SECOND, now);
  user->nonce = sc_auth_new_nonce ();
  g_queue_init (&user->outbox);
  g_hash_table_add (self->connected, user);

  /* The first thing a client hears: the nonce a key sign-in signs. */
  g_autoptr(ScMessage) hello = sc_message_new (SC_MSG_HELLO);
  hello->version = SC_PROTOCOL_VERSION;
  hello->nonce = g_strdup (user->nonce);
  hello->guests = self->allow_guests;
  lobby_send_msg (self, user, hello);

  if (ticket == NULL)
    return user;

  /* One use only: the ticket is gone whatever happens next. */
  Ticket *entry = NULL;
  g_autofree char *key = NULL;
  if (!g_hash_table_steal_extended (self->tickets, ticket, (gpointer *) &key,
                                    (gpointer *) &entry) || entry->expires_us <= now)
    {
      if (entry)
        ticket_free (entry);
      sc_lobby_send_error (self, user, "bad-ticket",
                           "That ticket is unknown, used or expired; sign in instead.");
      return user;
    }
  ScLobbyUser *resumed = lobby_resume (self, user, entry->claims);
  ticket_free (entry);
  lobby_check (self);
  return resumed;
}

/* Ends a signed-in session, attached or detached: its call ends (the partner hears
 * "lost") and the user is freed. */
static void
end_session (ScLobby *self, ScLobbyUser *user)
{
  g_hash_table_remove (self->connected, user);
  g_hash_table_remove (self->cooling, user);
  g_hash_table_remove (self->detached, user);
  if (user->state == USER_PAIRED)
    end_pair (self, user, SC_LEAVE_LOST);
  sc_matcher_forget (self->matcher, user->id);
  g_info ("%s (%s): session ended", user->id, user->name);
  g_hash_table_remove (self->users, user->id);   /* frees the user */
}

/* Lets @user go at once (its call ends, its partner hears "lost"), then asks the
 * transport, if it still has one, to close the connection. @user is freed when this
 * returns. */
void
lobby_close_connection (ScLobby *self, ScLobbyUser *user, const char *reason)
{
  g_message ("closing %s (%s): %s", user->id ? user->id : "a connection",
             user->address ? user->address : "?", reason);
  gpointer transport = user->transport;
  if (user->id)
    end_session (self, user);
  else
    sc_lobby_disconnect (self, user);
  if (self->close && transport)
    self->close (transport, reason, self->close_data);
}

/* Over a limit: say so (at most once a second), and close the connection only when
 * the client goes on regardless. Returns FALSE: the message is not handled. */
static gboolean
refuse (ScLobby *self, ScLobbyUser *user, const char *what)
{
  gint64 now = lobby_now_us (self);
  self->stats.rate_limited++;
  if (++user->refusals >= SC_LIMIT_ABUSE_REFUSALS)
    {
      self->stats.closed_for_abuse++;
      lobby_close_connection (self, user, "went on past the rate limit");
      return FALSE;
    }
  if (now - user->last_refusal_note_us >= G_USEC_PER_SEC)
    {
      g_autofree char *text = g_strdup_printf ("Too many %s; slow down (the connection is "
                                               "closed if this goes on).", what);
      sc_lobby_send_error (self, user, "rate-limited", text);
      user->last_refusal_note_us = now;
    }
  return FALSE;
}

/* Sign-ins from one address; the table forgets addresses whose bucket is full again. */
gboolean
lobby_sign_in_allowed (ScLobby *self, const char *address)
{
  if (address == NULL || self->sign_in_burst == 0)
    return TRUE;
  gint64 now = lobby_now_us (self);
  ScTokenBucket *bucket = g_hash_table_lookup (self->sign_ins, address);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->sign_ins) >= MAX_TRACKED_ADDRESSES)
        {
          GHashTableIter iter;
          gpointer value;
          g_hash_table_iter_init (&iter, self->sign_ins);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            if (sc_token_bucket_full (value, now))
              g_hash_table_iter_remove (&iter);
        }
      bucket = g_new (ScTokenBucket, 1);
      sc_token_bucket_init (bucket, self->sign_in_burst,
                            self->sign_in_burst * (SC_LIMIT_SIGN_IN_PER_SECOND / SC_LIMIT_SIGN_IN_BURST),
                            now);
      g_hash_table_insert (self->sign_ins, g_strdup (address), bucket);
    }
  return sc_token_bucket_take (bucket, now);
}

gint64
lobby_wall_now_s (ScLobby *self)
{
  return (lobby_now_us (self) + self->realtime_offset_us) / G_USEC_PER_SEC;
}

static char *
issue_token (ScLobby *self, ScLobbyUser *user)
{
  g_autoptr(ScSessionClaims) claims =
    sc_session_claims_new (user->session, user->id, user->name, user->guest,
                           lobby_wall_now_s (self) + SC_SESSION_TOKEN_LIFETIME_S);
  user->token_issued_us = lobby_now_us (self);
  return sc_token_signer_issue (self->signer, claims);
}

void
lobby_send_signed_in (ScLobby *self, ScLobbyUser *user, gboolean resumed)
{
  g_autoptr(ScMessage) reply = sc_message_new (SC_MSG_SIGNED_IN);
  reply->version = SC_PROTOCOL_VERSION;
  reply->id = g_strdup (user->id);
  reply->name = g_strdup (user->name);
  reply->token = issue_token (self, user);
  reply->resumed = resumed;
  if (user->state == USER_PAIRED)
    reply->call = g_strdup (user->pair->call);
  lobby_send_msg (self, user, reply);
}

/* A banned id is told for how long and its connection closed. */
gboolean
lobby_refuse_banned (ScLobby *self, ScLobbyUser *user, const char *id)
{
  gint64 *until = g_hash_table_lookup (self->banned_until, id);
  if (until == NULL || *until <= lobby_now_us (self))
    return FALSE;
  g_autofree char *text = g_strdup_printf (
    "You are banned from this server for another %" G_GINT64_FORMAT " minutes after "
    "reports from other users.", (*until - lobby_now_us (self)) / (60 * G_USEC_PER_SEC) + 1);
  sc_lobby_send_error (self, user, "banned", text);
  lobby_close_connection (self, user, "banned");
  return TRUE;
}

/* @user (a NEW connection) becomes a new session for @id and goes into the lobby. */
void
lobby_start_session (ScLobby *self, ScLobbyUser *user, char *id, char *name, gboolean guest)
{
  user->id = id;
  user->name = name;
  user->guest = guest;
  user->session = new_id ("s");
  user->state = USER_IDLE;
  g_hash_table_insert (self->users, user->id, user);
  sc_matcher_introduce (self->matcher, user->id, user->name);
  sc_matcher_set_preferences (self->matcher, user->id, (const char *const *) user->interests,
                              user->language);
  self->stats.sessions_signed_in++;
  g_info ("%s signed in as \"%s\"", user->id, user->name);

  lobby_send_signed_in (self, user, FALSE);
  lobby_enter_lobby (self, user);
}

/* Interests normalised into @out, and the language checked; or an error sent and FALSE. */
static gboolean
lobby_check_preferences (ScLobby *self, ScLobbyUser *user, const char *const *interests,
                         const char *language, GStrv *out)
{
  g_autoptr(GError) error = NULL;
  *out = sc_text_normalize_interests (interests, &error);
  if (*out == NULL)
    {
      sc_lobby_send_error (self, user, "bad-interests", error->message);
      return FALSE;
    }
  if (language && !sc_text_is_language (language))
    {
      g_clear_pointer (out, g_strfreev);
      sc_lobby_send_error (self, user, "bad-language",
                           "A language is two or three lower-case letters (ISO 639), such as \"de\".");
      return FALSE;
    }
  return TRUE;
}

static void
handle_sign_in (ScLobby *self, ScLobbyUser *user, const ScMessage *msg)
{
  if (user->state != USER_NEW)
    {
      sc_lobby_send_error (self, user, "already-signed-in", "This connection is signed in already.");
      return;
    }
  if (!lobby_sign_in_allowed (self, user->address))
    {
      sc_lobby_send_error (self, user, "rate-limited",
                           "Too many sign-ins from your address; try again in a little while.");
      self->stats.rate_limited++;
      self->stats.closed_for_abuse++;
      lobby_close_connection (self, user, "too many sign-ins from one address");
      return;
    }
  if (msg->version != SC_PROTOCOL_VERSION)
    {
      g_autofree char *text = g_strdup_printf ("This server speaks protocol version %d, not %u.",
                                               SC_PROTOCOL_VERSION, msg->version);
      sc_lobby_send_error (self, user, "unsupported-version", text);
      return;
    }

  g_autoptr(GError) error = NULL;
  g_autofree char *name = sc_text_validate_name (msg->name, &error);
  if (name == NULL)
    {
      sc_lobby_send_error (self, user, "bad-name", error->message);
      return;
    }

  g_auto(GStrv) interests = NULL;
  if (!lobby_check_preferences (self, user, (const char *const *) msg->interests, msg->language,
                                &interests))
    return;

  g_autofree char *id = NULL;
  if (msg->key)
    {
      /* The signature covers the name as sent, before trimming. */
      id = sc_auth_verify_sign_in (msg->key, msg->signature, user->nonce, msg->name, &error);
      if (id == NULL)
        {
          sc_lobby_send_error (self, user, error->code == SC_AUTH_ERROR_BAD_KEY ? "bad-key"
                                                                              : "bad-signature",
                               error->message);
          return;
        }
      /* One identity, one live connection: the newer one wins. */
      ScLobbyUser *older = g_hash_table_lookup (self->users, id);
      if (older)
        {
          g_info ("%s signed in again; its older connection is closed", id);
          sc_lobby_send_error (self, older, "replaced", "You signed in again elsewhere.");
          lobby_close_connection (self, older, "signed in again elsewhere");
        }
    }
  else if (!self->allow_guests)
    {
      sc_lobby_send_error (self, user, "guests-not-allowed",
                           "This server signs in with keys only; guests are not allowed.");
      return;
    }
  else
    id = new_id ("g");

  if (lobby_refuse_banned (self, user, id))
    return;
  user->interests = interests && interests[0] ? g_steal_pointer (&interests) : NULL;
  user->language = g_strdup (msg->language);
  lobby_start_session (self, user, g_steal_pointer (&id), g_steal_pointer (&name), msg->key == NULL);
}

/* A new list of interests, for the next match. */
static void
handle_interests (ScLobby *self, ScLobbyUser *user, const ScMessage *msg)
{
  g_auto(GStrv) interests = NULL;
  if (!lobby_check_preferences (self, user, (const char *const *) msg->interests, msg->language,
                                &interests))
    return;
  g_strfreev (user->interests);
  user->interests = interests && interests[0] ? g_steal_pointer (&interests) : NULL;
  if (msg->language)
    {
      g_free (user->language);
      user->language = g_strdup (msg->language);
    }
  sc_matcher_set_preferences (self->matcher, user->id, (const char *const *) user->interests,
                              user->language);
  g_info ("%s's interests: %u", user->id, user->interests ? g_strv_length (user->interests) : 0);
}

static void
handle_relay (ScLobby *self, ScLobbyUser *user, const ScMessage *msg)
{
  if (user->state != USER_PAIRED || g_strcmp0 (user->pair->call, msg->call) != 0)
    {
      /* Normal right after a call ends: the peer's last candidates cross the
       * peer-left message. Dropped, never forwarded to anyone. */
      g_debug ("dropped %s from %s for call %s, which it is not in",
               sc_message_type_to_string (msg->type), user->id, msg->call);
      self->stats.dropped++;
      return;
    }
  self->stats.relayed++;
  lobby_send_msg (self, lobby_partner_of (user), msg);
}

char *
lobby_blocked_key (const char *a, const char *b)
{
  return strcmp (a, b) < 0 ? g_strconcat (a, "\n", b, NULL) : g_strconcat (b, "\n", a, NULL);
}

/* @a and @b are never paired again: one reported the other, or their call could not
 * connect.  Two users whose networks let no call through (two symmetric NATs and no
 * relay) would otherwise be rematched with each other as soon as the call failed, for
 * as long as nobody else waited, each time a 7 s wait for ICE to give up (#23). */
static void
keep_apart (ScLobby *self, const char *a, const char *b)
{
  sc_matcher_block (self->matcher, a, b);
  g_hash_table_add (self->blocked, lobby_blocked_key (a, b));
}

/* @reporter reports the partner of its current call: the call ends (the partner sees a
 * skip, so nobody learns they were reported), the two never meet again, and a user
 * reported by ban_after distinct users is banned for ban_seconds. */
static void
handle_report (ScLobby *self, ScLobbyUser *reporter, const ScMessage *msg)
{
  if (reporter->state != USER_PAIRED || g_strcmp0 (reporter->pair->call, msg->call) != 0)
    {
      /* The report crossed the end of its call: say which, since the reporter may
       * have sent another since. */
      g_autoptr(ScMessage) refusal = sc_message_new_error ("not-in-call",
                                                           "You can report only the peer of your current call.");
      refusal->call = g_strdup (msg->call);
      lobby_send_msg (self, reporter, refusal);
      return;
    }
  ScLobbyUser *reported = lobby_partner_of (reporter);
  g_autofree char *reported_id = g_strdup (reported->id);
  self->stats.reports++;
  g_message ("%s reported %s: %.80s", reporter->id, reported_id, msg->report_reason);

  keep_apart (self, reporter->id, reported_id);
  end_pair (self, reporter, SC_LEAVE_NEXT);
  lobby_enter_lobby (self, reporter);

  GHashTable *by = g_hash_table_lookup (self->reporters, reported_id);
  if (by == NULL)
    {
      by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->reporters, g_strdup (reported_id), by);
    }
  g_hash_table_add (by, g_strdup (reporter->id));
  if (self->ban_after > 0 && g_hash_table_size (by) >= self->ban_after)
    {
      gint64 *until = g_new (gint64, 1);
      *until = lobby_now_us (self) + (gint64) self->ban_seconds * G_USEC_PER_SEC;
      g_hash_table_replace (self->banned_until, g_strdup (reported_id), until);
      g_hash_table_remove (self->reporters, reported_id);
      self->stats.bans++;
      g_message ("%s banned for %u s", reported_id, self->ban_seconds);
      ScLobbyUser *banned = g_hash_table_lookup (self->users, reported_id);
      if (banned)
        {
          sc_lobby_send_error (self, banned, "banned",
                               "You are banned from this server after reports from other users.");
          lobby_close_connection (self, banned, "banned");
        }
    }
}

void
sc_lobby_receive_bad (ScLobby *self, ScLobbyUser *user, const char *code, const char *message)
{
  g_return_if_fail (SC_IS_LOBBY (self));
  /* It counts against the session's limits like any message: a flood of them is
   * refused, noted once a second, and closed after SC_LIMIT_ABUSE_REFUSALS in a row. */
  if (self->session_limits && !sc_token_bucket_take (&user->messages, lobby_now_us (self)))
    {
      refuse (self, user, "messages");
      return;
    }
  sc_lobby_send_error (self, user, code, message);
}

/* Does @msg end @user's own current call? Such a message is never refused by a limit:
 * the sender has hung up already, and a refusal would leave its partner in a call with
 * nobody (#22). Each can end one call, and calls come only as fast as matches. */
static gboolean
ends_own_call (ScLobbyUser *user, const ScMessage *msg)
{
  if (user->state != USER_PAIRED)
    return FALSE;
  switch (msg->type)
    {
    case SC_MSG_NEXT:
      return msg->call == NULL || g_strcmp0 (msg->call, user->pair->call) == 0;
    case SC_MSG_LEAVE:
      return TRUE;
    case SC_MSG_CALL_FAILED:
    case SC_MSG_REPORT:
      return g_strcmp0 (msg->call, user->pair->call) == 0;
    default:
      return FALSE;
    }
}

/* Is @msg signalling for @user's own current call? Such messages are bounded per call
 * (SC_LIMIT_SIGNALS_PER_CALL), not per second: a browser trickles a candidate per
 * address, per transport and, before BUNDLE is agreed, per m-line — 20 and more in a
 * burst — and a refused answer left its partner's ICE at "checking" for good, while
 * the browser, which had the partner's offer, said connected (#23). The number of calls
 * bounds them over time, as the next limit bounds calls. */
static gboolean
signals_own_call (ScLobbyUser *user, const ScMessage *msg)
{
  return user->state == USER_PAIRED && g_strcmp0 (msg->call, user->pair->call) == 0 &&
         (msg->type == SC_MSG_OFFER || msg->type == SC_MSG_ANSWER ||
          msg->type == SC_MSG_CANDIDATE);
}

void
sc_lobby_receive (ScLobby *self, ScLobbyUser *user, const ScMessage *msg)
{
  g_return_if_fail (SC_IS_LOBBY (self));

  gint64 now = lobby_now_us (self);
  gboolean leaves = ends_own_call (user, msg);
  if (self->session_limits && signals_own_call (user, msg))
    {
      if (++user->call_signals > SC_LIMIT_SIGNALS_PER_CALL)
        {
          refuse (self, user, "signalling messages for one call");
          return;
        }
    }
  else if (self->session_limits && !sc_token_bucket_take (&user->messages, now) && !leaves)
    {
      refuse (self, user, "messages");
      return;
    }
  if (msg->type == SC_MSG_NEXT && user->cooldown_until_us > 0)
    {
      /* Skipped already, and on the way back: nothing more to do. */
      user->refusals = 0;
      return;
    }
  gboolean cool = FALSE;
  if (self->session_limits && msg->type == SC_MSG_NEXT && !sc_token_bucket_take (&user->nexts, now))
    {
      if (!leaves)
        {
          refuse (self, user, "nexts");
          return;
        }
      cool = TRUE;   /* the call ends now; matching waits for the limit */
    }
  user->refusals = 0;

  if (msg->type == SC_MSG_SIGN_IN)
    {
      handle_sign_in (self, user, msg);
      return;
    }
  if (user->state == USER_NEW)
    {
      sc_lobby_send_error (self, user, "not-signed-in", "Sign in first.");
      return;
    }

  switch (msg->type)
    {
    case SC_MSG_NEXT:
      self->stats.nexts++;
      if (msg->call && user->state == USER_PAIRED && g_strcmp0 (msg->call, user->pair->call) != 0)
        {
          /* A skip of a call that has ended already (the partner skipped first): the
           * user is in a new call it has not seen yet. Skipping that one too would
           * throw away a match nobody chose to leave. */
          g_debug ("%s skipped call %s, which has ended; its new call stays", user->id, msg->call);
          self->stats.dropped++;
          break;
        }
      if (user->state == USER_PAIRED)
        end_pair (self, user, SC_LEAVE_NEXT);
      if (user->state == USER_IDLE && cool)
        start_cooldown (self, user, sc_token_bucket_wait_us (&user->nexts, now));
      else if (user->state == USER_IDLE)
        lobby_enter_lobby (self, user);
      break;

    case SC_MSG_LEAVE:
      stop_cooldown (self, user);
      if (user->state == USER_PAIRED)
        end_pair (self, user, SC_LEAVE_LEFT);
      else if (user->state == USER_WAITING)
        sc_matcher_leave (self->matcher, user->id);
      user->state = USER_IDLE;
      break;

    case SC_MSG_OFFER:
    case SC_MSG_ANSWER:
    case SC_MSG_CANDIDATE:
      handle_relay (self, user, msg);
      break;

    case SC_MSG_REPORT:
      handle_report (self, user, msg);
      break;

    case SC_MSG_INTERESTS:
      handle_interests (self, user, msg);
      break;

    case SC_MSG_CALL_FAILED:
      /* The peer-to-peer link died (ICE failure, or no media): the partner is as good
       * as lost. The partner may say the same at the same moment; the second word about
       * a call that has ended is dropped. */
      if (user->state == USER_PAIRED && g_strcmp0 (user->pair->call, msg->call) == 0)
        {
          ScLobbyUser *partner = lobby_partner_of (user);
          self->stats.calls_failed++;
          keep_apart (self, user->id, partner->id);
          if (self->turn_urls == NULL)
            {
              /* Both are told, whoever's ICE gave up first: the other hears "lost"
               * and may never see its own call fail. */
              self->stats.calls_failed_no_relay++;
              lobby_tell_no_relay (self, user);
              if (partner->remote_node)
                lobby_bus_send (self, partner->remote_node,
                          sc_bus_event_new (SC_BUS_NO_RELAY, partner->id, user->pair->call));
              else
                lobby_tell_no_relay (self, partner);
            }
          end_pair (self, user, SC_LEAVE_LOST);
          lobby_enter_lobby (self, user);
        }
      else
        self->stats.dropped++;
      break;

    default:
      /* The decoder only lets client-to-server types through. */
      sc_lobby_send_error (self, user, "wrong-direction", "That message is not for the server.");
      break;
    }
  lobby_check (self);
}

void
sc_lobby_disconnect (ScLobby *self, ScLobbyUser *user)
{
  g_return_if_fail (SC_IS_LOBBY (self));
  if (!g_hash_table_steal (self->connected, user))
    return;
  if (user->id != NULL)
    end_session (self, user);
  else
    lobby_user_free (user);
}

void
sc_lobby_detach (ScLobby *self, ScLobbyUser *user)
{
  g_return_if_fail (SC_IS_LOBBY (self));
  if (user->id == NULL || self->grace_us <= 0)
    {
      sc_lobby_disconnect (self, user);
      return;
    }
  if (!g_hash_table_steal (self->connected, user))
    return;

  g_info ("%s (%s) lost its connection; the session waits %" G_GINT64_FORMAT " s",
          user->id, user->name, self->grace_us / G_USEC_PER_SEC);
  user->transport = NULL;
  user->detached_us = lobby_now_us (self);
  if (user->state == USER_WAITING)
    {
      sc_matcher_leave (self->matcher, user->id);
      user->state = USER_IDLE;
      user->wants_lobby = TRUE;
    }
  g_hash_table_add (self->detached, user);
  self->stats.detached++;
  lobby_check (self);
}

/* ---- Time ------------------------------------------------------------------------------ */

gint64
sc_lobby_wake (ScLobby *self)
{
  g_return_val_if_fail (SC_IS_LOBBY (self), -1);
  gint64 now = lobby_now_us (self), next = -1;
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) due = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->cooling);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ScLobbyUser *user = key;
      if (user->cooldown_until_us <= now)
        g_ptr_array_add (due, user);
      else if (next < 0 || user->cooldown_until_us < next)
        next = user->cooldown_until_us;
    }
  for (guint i = 0; i < due->len; i++)
    {
      ScLobbyUser *user = g_ptr_array_index (due, i);
      stop_cooldown (self, user);
      if (user->state == USER_IDLE)
        lobby_enter_lobby (self, user);
    }
  if (due->len > 0)
    lobby_check (self);
  return next;
}

void
sc_lobby_tick (ScLobby *self)
{
  gint64 now = lobby_now_us (self);
  GHashTableIter iter;
  gpointer key, value;

  sc_lobby_wake (self);

  /* Sessions whose grace ran out end now, like a closed socket. */
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->detached);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (now - ((ScLobbyUser *) key)->detached_us >= self->grace_us)
      g_ptr_array_add (expired, key);
  for (guint i = 0; i < expired->len; i++)
    {
      ScLobbyUser *user = g_ptr_array_index (expired, i);
      g_info ("%s (%s) did not come back in time", user->id, user->name);
      self->stats.grace_expired++;
      end_session (self, user);
    }

  g_hash_table_iter_init (&iter, self->tickets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Ticket *) value)->expires_us <= now)
      g_hash_table_iter_remove (&iter);

  /* Tokens are refreshed at half their life, so a live session always has one. */
  g_hash_table_iter_init (&iter, self->connected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ScLobbyUser *user = key;
      if (user->id == NULL ||
          now - user->token_issued_us < SC_SESSION_TOKEN_LIFETIME_S / 2 * G_USEC_PER_SEC)
        continue;
      g_autoptr(ScMessage) msg = sc_message_new (SC_MSG_SESSION);
      msg->token = issue_token (self, user);
      lobby_send_msg (self, user, msg);
    }
  lobby_check_remote_nodes (self);
  lobby_check (self);
}

const char *
sc_lobby_user_get_id (ScLobbyUser *user)
{
  return user->id;
}

guint
sc_lobby_get_n_users (ScLobby *self)
{
  return g_hash_table_size (self->users);
}

guint
sc_lobby_get_n_pairs (ScLobby *self)
{
  return g_hash_table_size (self->pairs);
}

guint
sc_lobby_get_n_waiting (ScLobby *self)
{
  return sc_matcher_waiting (self->matcher);
}

const ScLobbyStats *
sc_lobby_get_stats (ScLobby *self)
{
  return &self->stats;
}

void
sc_lobby_config_init (ScLobbyConfig *config)
{
  *config = (ScLobbyConfig) {
    .allow_guests = FALSE,
    .ban_after = 3,
    .ban_seconds = 24 * 3600,
    .grace_s = SC_SESSION_GRACE_S,
    .sign_in_burst = SC_LIMIT_SIGN_IN_BURST,
    .session_limits = TRUE,
  };
}

void
sc_lobby_configure (ScLobby *self, const ScLobbyConfig *config)
{
  g_return_if_fail (SC_IS_LOBBY (self));
  self->allow_guests = config->allow_guests;
  self->ban_after = config->ban_after;
  self->ban_seconds = config->ban_seconds;
  self->grace_us = (gint64) config->grace_s * G_USEC_PER_SEC;
  self->sign_in_burst = config->sign_in_burst;
  self->session_limits = config->session_limits;
  self->check_invariants = config->check_invariants;
  g_clear_pointer (&self->ice_servers, g_ptr_array_unref);
  if (config->ice_servers)
    self->ice_servers = g_ptr_array_ref (config->ice_servers);
  g_clear_pointer (&self->turn_urls, g_strfreev);
  g_clear_pointer (&self->turn_secret, g_free);
  if (config->turn_urls && config->turn_urls[0] && config->turn_secret)
    {
      self->turn_urls = g_strdupv ((GStrv) config->turn_urls);
      self->turn_secret = g_strdup (config->turn_secret);
    }
}

void
sc_lobby_set_close_func (ScLobby *self, ScLobbyCloseFunc close, gpointer user_data)
{
  self->close = close;
  self->close_data = user_data;
}

void
sc_lobby_set_wake_func (ScLobby *self, ScLobbyWakeFunc wake, gpointer user_data)
{
  self->wake = wake;
  self->wake_data = user_data;
}

void
sc_lobby_set_clock (ScLobby *self, ScLobbyClockFunc clock, gpointer user_data)
{
  gint64 wall = lobby_now_us (self) + self->realtime_offset_us;
  self->clock = clock;
  self->clock_data = user_data;
  self->realtime_offset_us = wall - lobby_now_us (self);
}

void
sc_lobby_set_token_signer (ScLobby *self, ScTokenSigner *signer)
{
  sc_token_signer_free (self->signer);
  self->signer = signer;
}

guint64
sc_lobby_get_invariant_violations (ScLobby *self)
{
  return self->invariant_violations;
}

guint
sc_lobby_get_n_detached (ScLobby *self)
{
  return g_hash_table_size (self->detached);
}

static void
sc_lobby_dispose (GObject *object)
{
  ScLobby *self = SC_LOBBY (object);
  if (self->matcher)
    g_signal_handlers_disconnect_by_data (self->matcher, self);
  if (self->bus)
    g_signal_handlers_disconnect_by_data (self->bus, self);
  g_clear_object (&self->bus);
  g_clear_object (&self->matcher);
  G_OBJECT_CLASS (sc_lobby_parent_class)->dispose (object);
}

static void
sc_lobby_finalize (GObject *object)
{
  ScLobby *self = SC_LOBBY (object);
  GHashTableIter iter;
  gpointer user;

  /* Users that never signed in are owned by the connected set only. */
  g_hash_table_iter_init (&iter, self->connected);
  while (g_hash_table_iter_next (&iter, &user, NULL))
    if (((ScLobbyUser *) user)->id == NULL)
      lobby_user_free (user);
  g_hash_table_unref (self->connected);
  g_hash_table_unref (self->pairs);
  g_hash_table_unref (self->users);
  g_hash_table_unref (self->sign_ins);
  g_hash_table_unref (self->reporters);
  g_hash_table_unref (self->banned_until);
  g_hash_table_unref (self->tickets);
  g_hash_table_unref (self->detached);
  g_hash_table_unref (self->cooling);
  g_hash_table_unref (self->blocked);
  sc_token_signer_free (self->signer);
  g_strfreev (self->turn_urls);
  g_free (self->turn_secret);
  g_clear_pointer (&self->ice_servers, g_ptr_array_unref);
  G_OBJECT_CLASS (sc_lobby_parent_class)->finalize (object);
}

static void
sc_lobby_class_init (ScLobbyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_lobby_dispose;
  object_class->finalize = sc_lobby_finalize;
}

static void
sc_lobby_init (ScLobby *self)
{
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lobby_user_free);
  self->connected = g_hash_table_new (NULL, NULL);
  self->pairs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pair_free);
  self->sign_ins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->reporters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
  self->banned_until = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tickets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) ticket_free);
  self->detached = g_hash_table_new (NULL, NULL);
  self->cooling = g_hash_table_new (NULL, NULL);
  self->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->signer = sc_token_signer_new_random ();
  ScLobbyConfig defaults;
  sc_lobby_config_init (&defaults);
  sc_lobby_configure (self, &defaults);
  self->realtime_offset_us = g_get_real_time () - g_get_monotonic_time ();
}

ScLobby *
sc_lobby_new (ScMatcher *matcher, ScLobbySendFunc send, gpointer user_data)
{
  ScLobby *self = g_object_new (SC_TYPE_LOBBY, NULL);
  self->matcher = g_object_ref (matcher);
  self->send = send;
  self->send_data = user_data;
  g_signal_connect (matcher, "paired", G_CALLBACK (on_paired), self);
  return self;
}
