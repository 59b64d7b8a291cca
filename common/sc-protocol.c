/* sc-protocol.c: see sc-protocol.h and docs/protocol.md.
 *
 * One table (message_specs) says, for every message type, who may send it, how large it
 * may be, which members it may carry, and how to decode and encode it. Nothing here
 * trusts its input: every failure is a GError, never an assertion.
 */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <string.h>

#include "sc-protocol.h"
#include "sc-json-check.h"

G_DEFINE_QUARK (sc-protocol-error-quark, sc_protocol_error)

static const char *const error_codes[] = {
  [SC_PROTOCOL_ERROR_BAD_JSON] = "bad-json",
  [SC_PROTOCOL_ERROR_TOO_LARGE] = "too-large",
  [SC_PROTOCOL_ERROR_TOO_DEEP] = "too-deep",
  [SC_PROTOCOL_ERROR_UNKNOWN_TYPE] = "unknown-type",
  [SC_PROTOCOL_ERROR_BAD_MESSAGE] = "bad-message",
  [SC_PROTOCOL_ERROR_WRONG_DIRECTION] = "wrong-direction",
};

const char *
sc_protocol_error_code (const GError *error)
{
  if (error != NULL && error->domain == SC_PROTOCOL_ERROR &&
      error->code >= 0 && (gsize) error->code < G_N_ELEMENTS (error_codes))
    return error_codes[error->code];
  return "bad-message";
}

static const char *const role_names[] = { "offerer", "answerer", NULL };
static const char *const reason_names[] = { "next", "left", "lost", NULL };

const char *
sc_role_to_string (ScRole role)
{
  return role_names[role == SC_ROLE_ANSWERER];
}

const char *
sc_leave_reason_to_string (ScLeaveReason reason)
{
  g_return_val_if_fail (reason <= SC_LEAVE_LOST, "lost");
  return reason_names[reason];
}

/* ---- ICE servers ---------------------------------------------------------------- */

ScIceServer *
sc_ice_server_new (const char *const *urls, const char *username, const char *credential)
{
  ScIceServer *server = g_new0 (ScIceServer, 1);
  server->urls = g_strdupv ((GStrv) urls);
  server->username = g_strdup (username);
  server->credential = g_strdup (credential);
  return server;
}

ScIceServer *
sc_ice_server_copy (const ScIceServer *server)
{
  return sc_ice_server_new ((const char *const *) server->urls, server->username,
                            server->credential);
}

void
sc_ice_server_free (ScIceServer *server)
{
  if (server == NULL)
    return;
  g_strfreev (server->urls);
  g_free (server->username);
  g_free (server->credential);
  g_free (server);
}

/* ---- Messages ------------------------------------------------------------------- */

ScMessage *
sc_message_new (ScMessageType type)
{
  ScMessage *msg = g_new0 (ScMessage, 1);
  msg->type = type;
  if (type == SC_MSG_MATCHED)
    msg->ice_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_ice_server_free);
  return msg;
}

void
sc_message_free (ScMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->id);
  g_free (msg->name);
  g_free (msg->call);
  g_free (msg->peer_id);
  g_free (msg->peer_name);
  g_clear_pointer (&msg->ice_servers, g_ptr_array_unref);
  g_free (msg->sdp);
  g_free (msg->candidate);
  g_free (msg->code);
  g_free (msg->message);
  g_free (msg->nonce);
  g_free (msg->key);
  g_free (msg->signature);
  g_free (msg->report_reason);
  g_free (msg->token);
  g_strfreev (msg->interests);
  g_free (msg->language);
  g_free (msg);
}

ScMessage *
sc_message_new_error (const char *code, const char *message)
{
  ScMessage *msg = sc_message_new (SC_MSG_ERROR);
  msg->code = g_strdup (code);
  msg->message = g_strdup (message);
  return msg;
}

/* A deep copy. Every message the encoder writes decodes again, so this is simply both;
 * it is used rarely (messages held for a user who is reconnecting). */
ScMessage *
sc_message_copy (const ScMessage *msg)
{
  g_autofree char *text = sc_message_encode (msg);
  g_autoptr(GError) error = NULL;
  ScMessage *copy = sc_message_decode (text, strlen (text), SC_FROM_CLIENT | SC_FROM_SERVER,
                                       &error);
  if (copy == NULL)
    g_critical ("cannot copy a %s message: %s", sc_message_type_to_string (msg->type),
                error->message);
  return copy;
}

/* ---- Member readers: each checks presence, JSON type and bounds ------------------ */

static gboolean
bad (GError **error, const char *member, const char *what)
{
  g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_MESSAGE,
               "member \"%s\" %s", member, what);
  return FALSE;
}

static gboolean
read_string (JsonObject *o, const char *member, gsize min_len, gsize max_len,
             char **out, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);
  if (node == NULL)
    return bad (error, member, "is missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return bad (error, member, "must be a string");

  const char *s = json_node_get_string (node);
  gsize len = strlen (s);
  if (len < min_len)
    return bad (error, member, "is empty");
  if (len > max_len)
    return bad (error, member, "is too long");
  if (!g_utf8_validate (s, len, NULL))
    return bad (error, member, "is not valid UTF-8");
  *out = g_strdup (s);
  return TRUE;
}

static gboolean
read_optional_string (JsonObject *o, const char *member, gsize max_len, char **out,
                      GError **error)
{
  if (!json_object_has_member (o, member))
    return TRUE;
  return read_string (o, member, 0, max_len, out, error);
}

/* An array of at most @max_items strings of at most @max_len bytes each. */
static gboolean
read_string_list (JsonObject *o, const char *member, guint max_items, gsize max_len,
                  GStrv *out, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);
  if (node == NULL)
    return bad (error, member, "is missing");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bad (error, member, "must be an array of strings");
  JsonArray *array = json_node_get_array (node);
  guint n = json_array_get_length (array);
  if (n > max_items)
    return bad (error, member, "has too many entries");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        return bad (error, member, "must be an array of strings");
      const char *str = json_node_get_string (e);
      if (strlen (str) > max_len)
        return bad (error, member, "holds a string that is too long");
      if (!g_utf8_validate (str, -1, NULL))
        return bad (error, member, "holds a string that is not valid UTF-8");
      g_strv_builder_add (builder, str);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static void
add_string_list (JsonBuilder *b, const char *member, const char *const *list)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; list && list[i]; i++)
    json_builder_add_string_value (b, list[i]);
  json_builder_end_array (b);
}

static gboolean
read_uint (JsonObject *o, const char *member, guint max, guint *out, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);
  if (node == NULL)
    return bad (error, member, "is missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return bad (error, member, "must be a whole number");
  gint64 v = json_node_get_int (node);
  if (v < 0 || v > (gint64) max)
    return bad (error, member, "is out of range");
  *out = (guint) v;
  return TRUE;
}

static gboolean
read_bool (JsonObject *o, const char *member, gboolean *out, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);
  if (node == NULL)
    return bad (error, member, "is missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad (error, member, "must be true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_enum (JsonObject *o, const char *member, const char *const *names, guint *out,
           GError **error)
{
  g_autofree char *s = NULL;
  if (!read_string (o, member, 1, 32, &s, error))
    return FALSE;
  for (guint i = 0; names[i]; i++)
    {
      if (g_str_equal (names[i], s))
        {
          *out = i;
          return TRUE;
        }
    }
  return bad (error, member, "has an unknown value");
}

static gboolean
check_members (JsonObject *o, const char *const *allowed, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    {
      if (g_str_equal (l->data, "type"))
        continue;
      if (allowed == NULL || !g_strv_contains (allowed, l->data))
        {
          g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_MESSAGE,
                       "unknown member \"%.32s\"", (const char *) l->data);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- Per-type decoders and encoders ---------------------------------------------- */

static gboolean
decode_hello (JsonObject *o, ScMessage *m, GError **error)
{
  return read_uint (o, "version", G_MAXUINT16, &m->version, error) &&
         read_string (o, "nonce", 1, 64, &m->nonce, error) &&
         read_bool (o, "guests", &m->guests, error);
}

static void
encode_hello (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, m->version);
  json_builder_set_member_name (b, "nonce");
  json_builder_add_string_value (b, m->nonce);
  json_builder_set_member_name (b, "guests");
  json_builder_add_boolean_value (b, m->guests);
}

static gboolean
decode_sign_in (JsonObject *o, ScMessage *m, GError **error)
{
  /* The name is checked for printability by the server (sc_text_validate_name), which
   * can then say exactly what is wrong with it; key and signature by sc-auth. */
  if (!read_uint (o, "version", G_MAXUINT16, &m->version, error) ||
      !read_string (o, "name", 0, 256, &m->name, error) ||
      !read_optional_string (o, "key", 64, &m->key, error) ||
      !read_optional_string (o, "signature", 128, &m->signature, error) ||
      !read_optional_string (o, "language", SC_LANGUAGE_MAX_BYTES, &m->language, error))
    return FALSE;
  if (json_object_has_member (o, "interests") &&
      !read_string_list (o, "interests", SC_INTERESTS_WIRE_MAX, SC_INTEREST_WIRE_BYTES,
                         &m->interests, error))
    return FALSE;
  if ((m->key == NULL) != (m->signature == NULL))
    return bad (error, m->key ? "signature" : "key", "must come with the other");
  return TRUE;
}

static void
encode_sign_in (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, m->version);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, m->name);
  if (m->key && m->signature)
    {
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, m->key);
      json_builder_set_member_name (b, "signature");
      json_builder_add_string_value (b, m->signature);
    }
  if (m->interests && m->interests[0])
    add_string_list (b, "interests", (const char *const *) m->interests);
  if (m->language)
    {
      json_builder_set_member_name (b, "language");
      json_builder_add_string_value (b, m->language);
    }
}

static gboolean
decode_interests (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string_list (o, "list", SC_INTERESTS_WIRE_MAX, SC_INTEREST_WIRE_BYTES,
                           &m->interests, error) &&
         read_optional_string (o, "language", SC_LANGUAGE_MAX_BYTES, &m->language, error);
}

static void
encode_interests (const ScMessage *m, JsonBuilder *b)
{
  add_string_list (b, "list", (const char *const *) m->interests);
  if (m->language)
    {
      json_builder_set_member_name (b, "language");
      json_builder_add_string_value (b, m->language);
    }
}

static void
encode_signed_in (const ScMessage *m, JsonBuilder *b);

static gboolean
decode_signed_in (JsonObject *o, ScMessage *m, GError **error)
{
  return read_uint (o, "version", G_MAXUINT16, &m->version, error) &&
         read_string (o, "id", 1, SC_ID_MAX_BYTES, &m->id, error) &&
         read_string (o, "name", 1, 256, &m->name, error) &&
         read_string (o, "token", 1, SC_TOKEN_MAX_BYTES, &m->token, error) &&
         read_bool (o, "resumed", &m->resumed, error) &&
         (json_object_has_member (o, "call")
            ? read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) : TRUE);
}

static void
encode_signed_in (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, m->version);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, m->name);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, m->id);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, m->token ? m->token : "");
  json_builder_set_member_name (b, "resumed");
  json_builder_add_boolean_value (b, m->resumed);
  if (m->call)
    {
      json_builder_set_member_name (b, "call");
      json_builder_add_string_value (b, m->call);
    }
}

static gboolean
decode_session (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string (o, "token", 1, SC_TOKEN_MAX_BYTES, &m->token, error);
}

static void
encode_session (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, m->token);
}

static gboolean
decode_next (JsonObject *o, ScMessage *m, GError **error)
{
  return json_object_has_member (o, "call")
           ? read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) : TRUE;
}

static void
encode_next (const ScMessage *m, JsonBuilder *b)
{
  if (m->call)
    {
      json_builder_set_member_name (b, "call");
      json_builder_add_string_value (b, m->call);
    }
}

static gboolean
decode_call_only (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error);
}

static void
encode_call_only (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "call");
  json_builder_add_string_value (b, m->call);
}

static gboolean
decode_waiting (JsonObject *o, ScMessage *m, GError **error)
{
  return read_uint (o, "queue", G_MAXINT32, &m->queue, error);
}

static void
encode_waiting (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "queue");
  json_builder_add_int_value (b, m->queue);
}

/* A cooldown is at most a minute: more is not a skip limit any more. */
#define COOLDOWN_MAX_MS 60000

static gboolean
decode_cooldown (JsonObject *o, ScMessage *m, GError **error)
{
  return read_uint (o, "ms", COOLDOWN_MAX_MS, &m->ms, error);
}

static void
encode_cooldown (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "ms");
  json_builder_add_int_value (b, m->ms);
}

static gboolean
decode_ice_server (JsonNode *node, ScMessage *m, GError **error)
{
  static const char *const members[] = { "urls", "username", "credential", NULL };
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, "ice_servers", "must hold objects");
  JsonObject *o = json_node_get_object (node);
  if (!check_members (o, members, error))
    return FALSE;

  JsonNode *urls_node = json_object_get_member (o, "urls");
  if (urls_node == NULL || !JSON_NODE_HOLDS_ARRAY (urls_node))
    return bad (error, "urls", "must be an array");
  JsonArray *urls = json_node_get_array (urls_node);
  guint n = json_array_get_length (urls);
  if (n == 0 || n > SC_ICE_URLS_MAX)
    return bad (error, "urls", "must hold 1 to 4 URLs");

  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *u = json_array_get_element (urls, i);
      if (!JSON_NODE_HOLDS_VALUE (u) || json_node_get_value_type (u) != G_TYPE_STRING)
        return bad (error, "urls", "must hold strings");
      const char *url = json_node_get_string (u);
      if (strlen (url) > 256 || !g_utf8_validate (url, -1, NULL) ||
          !(g_str_has_prefix (url, "stun:") || g_str_has_prefix (url, "turn:") ||
            g_str_has_prefix (url, "turns:")))
        return bad (error, "urls", "must hold stun:, turn: or turns: URLs");
      g_strv_builder_add (builder, url);
    }

  g_autofree char *username = NULL;
  g_autofree char *credential = NULL;
  if (!read_optional_string (o, "username", 256, &username, error) ||
      !read_optional_string (o, "credential", 256, &credential, error))
    return FALSE;

  g_auto(GStrv) strv = g_strv_builder_end (builder);
  g_ptr_array_add (m->ice_servers,
                   sc_ice_server_new ((const char *const *) strv, username, credential));
  return TRUE;
}

static gboolean
decode_matched (JsonObject *o, ScMessage *m, GError **error)
{
  static const char *const peer_members[] = { "id", "name", NULL };
  guint role = 0;

  if (!read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) ||
      !read_enum (o, "role", role_names, &role, error))
    return FALSE;
  m->role = role;

  JsonNode *peer = json_object_get_member (o, "peer");
  if (peer == NULL || !JSON_NODE_HOLDS_OBJECT (peer))
    return bad (error, "peer", "must be an object");
  JsonObject *po = json_node_get_object (peer);
  if (!check_members (po, peer_members, error) ||
      !read_string (po, "id", 1, SC_ID_MAX_BYTES, &m->peer_id, error) ||
      !read_string (po, "name", 1, 256, &m->peer_name, error))
    return FALSE;

  JsonNode *servers = json_object_get_member (o, "ice_servers");
  if (servers == NULL || !JSON_NODE_HOLDS_ARRAY (servers))
    return bad (error, "ice_servers", "must be an array");
  JsonArray *array = json_node_get_array (servers);
  if (json_array_get_length (array) > SC_ICE_SERVERS_MAX)
    return bad (error, "ice_servers", "has too many entries");
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!decode_ice_server (json_array_get_element (array, i), m, error))
      return FALSE;
  /* From servers before interests: none in common. */
  if (!json_object_has_member (o, "common"))
    {
      m->interests = g_new0 (char *, 1);
      return TRUE;
    }
  return read_string_list (o, "common", SC_INTERESTS_WIRE_MAX, SC_INTEREST_WIRE_BYTES,
                           &m->interests, error);
}

static void
encode_matched (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "call");
  json_builder_add_string_value (b, m->call);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, sc_role_to_string (m->role));
  json_builder_set_member_name (b, "peer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, m->peer_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, m->peer_name);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "ice_servers");
  json_builder_begin_array (b);
  for (guint i = 0; m->ice_servers && i < m->ice_servers->len; i++)
    {
      const ScIceServer *s = g_ptr_array_index (m->ice_servers, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "urls");
      json_builder_begin_array (b);
      for (guint j = 0; s->urls && s->urls[j]; j++)
        json_builder_add_string_value (b, s->urls[j]);
      json_builder_end_array (b);
      if (s->username)
        {
          json_builder_set_member_name (b, "username");
          json_builder_add_string_value (b, s->username);
        }
      if (s->credential)
        {
          json_builder_set_member_name (b, "credential");
          json_builder_add_string_value (b, s->credential);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_string_list (b, "common", (const char *const *) m->interests);
}

static gboolean
decode_sdp (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) &&
         read_string (o, "sdp", 1, SC_MSG_SDP_MAX_BYTES, &m->sdp, error);
}

static void
encode_sdp (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "call");
  json_builder_add_string_value (b, m->call);
  json_builder_set_member_name (b, "sdp");
  json_builder_add_string_value (b, m->sdp);
}

static gboolean
decode_candidate (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) &&
         read_uint (o, "mline", 64, &m->mline, error) &&
         read_string (o, "candidate", 0, SC_CANDIDATE_MAX_BYTES, &m->candidate, error);
}

static void
encode_candidate (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "call");
  json_builder_add_string_value (b, m->call);
  json_builder_set_member_name (b, "mline");
  json_builder_add_int_value (b, m->mline);
  json_builder_set_member_name (b, "candidate");
  json_builder_add_string_value (b, m->candidate ? m->candidate : "");
}

static gboolean
decode_report (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) &&
         read_string (o, "reason", 0, SC_REPORT_REASON_MAX, &m->report_reason, error);
}

static void
encode_report (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "call");
  json_builder_add_string_value (b, m->call);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, m->report_reason ? m->report_reason : "");
}

static gboolean
decode_peer_left (JsonObject *o, ScMessage *m, GError **error)
{
  guint reason = 0;
  if (!read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error) ||
      !read_enum (o, "reason", reason_names, &reason, error))
    return FALSE;
  m->reason = reason;
  return TRUE;
}

static void
encode_peer_left (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "call");
  json_builder_add_string_value (b, m->call);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, sc_leave_reason_to_string (m->reason));
}

static gboolean
decode_error (JsonObject *o, ScMessage *m, GError **error)
{
  return read_string (o, "code", 1, 64, &m->code, error) &&
         read_string (o, "message", 0, 1024, &m->message, error) &&
         (!json_object_has_member (o, "call") ||
          read_string (o, "call", 1, SC_ID_MAX_BYTES, &m->call, error));
}

static void
encode_error (const ScMessage *m, JsonBuilder *b)
{
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, m->code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, m->message ? m->message : "");
  if (m->call)
    {
      /* The call the refused message named, so a client can tell which it was. */
      json_builder_set_member_name (b, "call");
      json_builder_add_string_value (b, m->call);
    }
}

typedef struct {
  const char *name;
  guint from;                      /* ScDirection flags */
  gsize max_bytes;
  const char *const *members;      /* allowed besides "type"; NULL: none */
  gboolean (*decode) (JsonObject *o, ScMessage *m, GError **error);
  void (*encode) (const ScMessage *m, JsonBuilder *b);
} MessageSpec;

#define MEMBERS(...) ((const char *const[]) { __VA_ARGS__, NULL })

static const MessageSpec message_specs[SC_MSG_N_TYPES] = {
  [SC_MSG_HELLO] = { "hello", SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                     MEMBERS ("version", "nonce", "guests"), decode_hello, encode_hello },
  [SC_MSG_SIGN_IN] = { "sign-in", SC_FROM_CLIENT, SC_MSG_MAX_BYTES,
                       MEMBERS ("version", "name", "key", "signature", "interests", "language"),
                       decode_sign_in, encode_sign_in },
  [SC_MSG_SIGNED_IN] = { "signed-in", SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                         MEMBERS ("version", "id", "name", "token", "resumed", "call"),
                         decode_signed_in, encode_signed_in },
  [SC_MSG_WAITING] = { "waiting", SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                       MEMBERS ("queue"), decode_waiting, encode_waiting },
  [SC_MSG_MATCHED] = { "matched", SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                       MEMBERS ("call", "role", "peer", "ice_servers", "common"),
                       decode_matched, encode_matched },
  [SC_MSG_OFFER] = { "offer", SC_FROM_CLIENT | SC_FROM_SERVER, SC_MSG_SDP_MAX_BYTES,
                     MEMBERS ("call", "sdp"), decode_sdp, encode_sdp },
  [SC_MSG_ANSWER] = { "answer", SC_FROM_CLIENT | SC_FROM_SERVER, SC_MSG_SDP_MAX_BYTES,
                      MEMBERS ("call", "sdp"), decode_sdp, encode_sdp },
  [SC_MSG_CANDIDATE] = { "candidate", SC_FROM_CLIENT | SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                         MEMBERS ("call", "mline", "candidate"),
                         decode_candidate, encode_candidate },
  [SC_MSG_NEXT] = { "next", SC_FROM_CLIENT, SC_MSG_MAX_BYTES, MEMBERS ("call"), decode_next,
                    encode_next },
  [SC_MSG_LEAVE] = { "leave", SC_FROM_CLIENT, SC_MSG_MAX_BYTES, NULL, NULL, NULL },
  [SC_MSG_REPORT] = { "report", SC_FROM_CLIENT, SC_MSG_MAX_BYTES, MEMBERS ("call", "reason"),
                      decode_report, encode_report },
  [SC_MSG_PEER_LEFT] = { "peer-left", SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                         MEMBERS ("call", "reason"), decode_peer_left, encode_peer_left },
  [SC_MSG_ERROR] = { "error", SC_FROM_SERVER, SC_MSG_MAX_BYTES,
                     MEMBERS ("code", "message", "call"), decode_error, encode_error },
  [SC_MSG_SESSION] = { "session", SC_FROM_SERVER, SC_MSG_MAX_BYTES, MEMBERS ("token"),
                       decode_session, encode_session },
  [SC_MSG_CALL_FAILED] = { "call-failed", SC_FROM_CLIENT, SC_MSG_MAX_BYTES, MEMBERS ("call"),
                           decode_call_only, encode_call_only },
  [SC_MSG_COOLDOWN] = { "cooldown", SC_FROM_SERVER, SC_MSG_MAX_BYTES, MEMBERS ("ms"),
                        decode_cooldown, encode_cooldown },
  [SC_MSG_INTERESTS] = { "interests", SC_FROM_CLIENT, SC_MSG_MAX_BYTES, MEMBERS ("list", "language"),
                         decode_interests, encode_interests },
};

const char *
sc_message_type_to_string (ScMessageType type)
{
  g_return_val_if_fail (type < SC_MSG_N_TYPES, "?");
  return message_specs[type].name;
}

/* ---- Bounded JSON ---------------------------------------------------------------- */

/* json-glib's parser, builder and generator are GObjects: making and finalising three of
 * them for every message was 4-5 % of the server's time at saturation. Each thread keeps
 * one of each for as long as it lives; none is used reentrantly (they hold nothing of a
 * message once it is parsed or written, apart from the parser's last tree). */
static GPrivate thread_parser = G_PRIVATE_INIT (g_object_unref);
static GPrivate thread_builder = G_PRIVATE_INIT (g_object_unref);
static GPrivate thread_generator = G_PRIVATE_INIT (g_object_unref);

static gpointer
thread_json_object (GPrivate *key, GType type)
{
  gpointer object = g_private_get (key);
  if (object == NULL)
    {
      object = g_object_new (type, NULL);
      g_private_set (key, object);
    }
  return object;
}

static JsonBuilder *
start_builder (void)
{
  JsonBuilder *b = thread_json_object (&thread_builder, JSON_TYPE_BUILDER);
  json_builder_reset (b);
  return b;
}

/* json-glib 1.6's generator escapes control characters U+0001–U+001E but writes U+001F
 * as the raw byte, which strict JSON (RFC 8259, our own decoder, a browser's
 * JSON.parse) refuses. A 0x1F byte in UTF-8 is always that character, and JSON's
 * structure never holds one: it can only be inside a string, where it is escaped here. */
static char *
escape_unit_separator (char *text, gsize len)
{
  if (memchr (text, 0x1F, len) == NULL)
    return text;
  GString *out = g_string_sized_new (len + 16);
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == 0x1F)
        g_string_append (out, "\\u001f");
      else
        g_string_append_c (out, text[i]);
    }
  g_free (text);
  return g_string_free (out, FALSE);
}

static char *
node_to_string (JsonNode *root)
{
  JsonGenerator *gen = thread_json_object (&thread_generator, JSON_TYPE_GENERATOR);
  json_generator_set_root (gen, root);
  gsize len = 0;
  char *text = json_generator_to_data (gen, &len);
  json_generator_set_root (gen, NULL);
  return escape_unit_separator (text, len);
}

/* The builder's tree, as a string; the builder lets go of it. */
static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_builder_reset (b);
  return node_to_string (root);
}

JsonObject *
sc_json_parse_object (const char *data, gsize len, gsize max_bytes, guint max_depth,
                      GError **error)
{
  if (len > max_bytes)
    {
      g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_TOO_LARGE,
                   "message of %" G_GSIZE_FORMAT " bytes is over the limit of %"
                   G_GSIZE_FORMAT, len, max_bytes);
      return NULL;
    }
  /* An empty message may come with no buffer at all (a WebSocket message joined from
   * empty fragments): nothing below may be handed NULL. */
  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_JSON,
                           "message is empty");
      return NULL;
    }
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_JSON,
                           "message is not UTF-8 text");
      return NULL;
    }
  switch (sc_json_check (data, len, max_depth))
    {
    case SC_JSON_OK:
      break;
    case SC_JSON_DEEP:
      g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_TOO_DEEP,
                   "message nests deeper than %u levels", max_depth);
      return NULL;
    case SC_JSON_BAD:
    default:
      g_set_error_literal (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_JSON,
                           "message is not strict JSON (RFC 8259)");
      return NULL;
    }

  /* Strict JSON, shallow: json-glib only builds the tree. */
  JsonParser *parser = thread_json_object (&thread_parser, JSON_TYPE_PARSER);
  g_autoptr(GError) parse_error = NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_JSON, "invalid JSON: %s",
                   parse_error ? parse_error->message : "refused by the parser");
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_JSON,
                           "message is not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

char *
sc_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return node_to_string (node);
}

/* ---- Decode and encode ----------------------------------------------------------- */

ScMessage *
sc_message_decode (const char *data, gsize len, ScDirection from, GError **error)
{
  g_autoptr(JsonObject) o = sc_json_parse_object (data, len, SC_MSG_SDP_MAX_BYTES,
                                                  SC_MSG_MAX_DEPTH, error);
  if (o == NULL)
    return NULL;

  JsonNode *type_node = json_object_get_member (o, "type");
  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node) ||
      json_node_get_value_type (type_node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_MESSAGE,
                           "member \"type\" is missing or not a string");
      return NULL;
    }

  const char *type_name = json_node_get_string (type_node);
  for (guint t = 0; t < SC_MSG_N_TYPES; t++)
    {
      const MessageSpec *spec = &message_specs[t];
      if (!g_str_equal (spec->name, type_name))
        continue;

      if (!(spec->from & from))
        {
          g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_WRONG_DIRECTION,
                       "\"%s\" may not be sent this way", spec->name);
          return NULL;
        }
      if (len > spec->max_bytes)
        {
          g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_TOO_LARGE,
                       "\"%s\" of %" G_GSIZE_FORMAT " bytes is over the limit of %"
                       G_GSIZE_FORMAT, spec->name, len, spec->max_bytes);
          return NULL;
        }
      if (!check_members (o, spec->members, error))
        return NULL;

      g_autoptr(ScMessage) msg = sc_message_new (t);
      if (spec->decode && !spec->decode (o, msg, error))
        return NULL;
      return g_steal_pointer (&msg);
    }

  g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_UNKNOWN_TYPE,
               "unknown message type \"%.32s\"", type_name);
  return NULL;
}

char *
sc_message_encode (const ScMessage *msg)
{
  g_return_val_if_fail (msg != NULL && msg->type < SC_MSG_N_TYPES, NULL);
  const MessageSpec *spec = &message_specs[msg->type];

  JsonBuilder *b = start_builder ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, spec->name);
  if (spec->encode)
    spec->encode (msg, b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

/* ---- Peer-to-peer data channel messages ------------------------------------------ */

char *
sc_peer_chat_encode (const char *text)
{
  JsonBuilder *b = start_builder ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "chat");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  return builder_to_string (b);
}

char *
sc_peer_chat_decode (const char *data, gsize len, GError **error)
{
  static const char *const members[] = { "text", NULL };
  g_autoptr(JsonObject) o = sc_json_parse_object (data, len, SC_PEER_MSG_MAX_BYTES, 2, error);
  if (o == NULL)
    return NULL;

  g_autofree char *type = NULL;
  if (!read_string (o, "type", 1, 32, &type, error))
    return NULL;
  if (!g_str_equal (type, "chat"))
    {
      g_set_error (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_UNKNOWN_TYPE,
                   "unknown peer message type \"%.32s\"", type);
      return NULL;
    }
  char *text = NULL;
  if (!check_members (o, members, error) ||
      !read_string (o, "text", 1, SC_PEER_MSG_MAX_BYTES, &text, error))
    return NULL;
  return text;
}
