/* sc-command.c: see sc-command.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sc-command.h"
#include "sc-text.h"

G_DEFINE_QUARK (sc-command-error-quark, sc_command_error)

static gboolean
bad_args (GError **error, const char *command, const char *what)
{
  g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS, "%s: %s", command, what);
  return FALSE;
}

/* "on": true or false; absent means "the other way round" (TOGGLE). */
static gboolean
get_switch (JsonObject *args, const char *command, gboolean toggle, gboolean *out,
            GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, "on") : NULL;
  if (node == NULL)
    {
      *out = toggle;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad_args (error, command, _("\"on\" must be true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
cmd_next (ScCore *core, JsonObject *args, GError **error)
{
  return sc_core_next (core, error);
}

static gboolean
cmd_say (ScCore *core, JsonObject *args, GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, "text") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return bad_args (error, "say", _("needs \"text\": a string"));
  return sc_core_say (core, json_node_get_string (node), error);
}

/* A switch: "on" sets it, no argument turns it the other way. */
static gboolean
run_switch (JsonObject *args, const char *command, ScCore *core,
            gboolean (*get) (ScCore *), void (*set) (ScCore *, gboolean), GError **error)
{
  gboolean on;
  if (!get_switch (args, command, !get (core), &on, error))
    return FALSE;
  set (core, on);
  return TRUE;
}

static gboolean
cmd_mute (ScCore *core, JsonObject *args, GError **error)
{
  return run_switch (args, "mute", core, sc_core_get_mic_muted, sc_core_set_mic_muted, error);
}

static gboolean
cmd_camera (ScCore *core, JsonObject *args, GError **error)
{
  return run_switch (args, "camera", core, sc_core_get_camera_on, sc_core_set_camera_on, error);
}

static gboolean
cmd_self (ScCore *core, JsonObject *args, GError **error)
{
  return run_switch (args, "self", core, sc_core_get_self_view, sc_core_set_self_view, error);
}

static gboolean
cmd_video (ScCore *core, JsonObject *args, GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, "mode") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return bad_args (error, "video", _("needs \"mode\": window, terminal or off"));
  return sc_core_set_video_mode (core, json_node_get_string (node), error);
}

static gboolean
cmd_report (ScCore *core, JsonObject *args, GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, "reason") : NULL;
  if (node && (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING))
    return bad_args (error, "report", _("\"reason\" must be a string"));
  return sc_core_report_peer (core, node ? json_node_get_string (node) : NULL, error);
}

/* "list": an array of strings (headless), or the words typed after /interests. */
static gboolean
cmd_interests (ScCore *core, JsonObject *args, GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, "list") : NULL;
  g_auto(GStrv) list = NULL;
  if (node == NULL)
    list = g_new0 (char *, 1);   /* none: meet anyone */
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    list = sc_text_split_interests (json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      if (json_array_get_length (array) > SC_INTERESTS_MAX)
        {
          g_set_error (error, SC_CORE_ERROR, SC_CORE_ERROR_BAD_INTERESTS,
                       _("At most %d interests."), SC_INTERESTS_MAX);
          return FALSE;
        }
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
            {
              g_set_error_literal (error, SC_CORE_ERROR, SC_CORE_ERROR_BAD_INTERESTS,
                                   _("Interests are strings."));
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (e));
        }
      list = g_strv_builder_end (builder);
    }
  else
    return bad_args (error, "interests", _("\"list\" must be an array of strings"));
  return sc_core_set_interests (core, (const char *const *) list, error);
}

static gboolean
cmd_help (ScCore *core, JsonObject *args, GError **error)
{
  sc_core_report_help (core);
  return TRUE;
}

static gboolean
cmd_status (ScCore *core, JsonObject *args, GError **error)
{
  sc_core_report_status (core);
  return TRUE;
}

static gboolean
cmd_redraw (ScCore *core, JsonObject *args, GError **error)
{
  sc_core_request_view (core, "redraw");
  return TRUE;
}

static gboolean
cmd_scroll (ScCore *core, JsonObject *args, GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, "direction") : NULL;
  const char *direction = node && JSON_NODE_HOLDS_VALUE (node) &&
                          json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;
  if (g_strcmp0 (direction, "up") != 0 && g_strcmp0 (direction, "down") != 0)
    return bad_args (error, "scroll", _("needs \"direction\": up or down"));
  sc_core_request_view (core, g_str_equal (direction, "up") ? "scroll-up" : "scroll-down");
  return TRUE;
}

static gboolean
cmd_quit (ScCore *core, JsonObject *args, GError **error)
{
  sc_core_quit (core);
  return TRUE;
}

#define ARGS(...) ((const char *const[]) { __VA_ARGS__, NULL })

static const ScCommand commands[] = {
  { "next", NULL, "{\"cmd\":\"next\"}", "/next", SC_TYPED_NONE,
    N_("Leave this peer and meet the next one"), cmd_next },
  { "say", ARGS ("text"), "{\"cmd\":\"say\",\"text\":\"…\"}", "/say TEXT (or just type)",
    SC_TYPED_REST, N_("Send a chat message to the peer"), cmd_say },
  { "mute", ARGS ("on"), "{\"cmd\":\"mute\",\"on\":true}", "/mute [on|off]", SC_TYPED_SWITCH,
    N_("Mute or unmute the microphone; without an argument, switch"), cmd_mute },
  { "camera", ARGS ("on"), "{\"cmd\":\"camera\",\"on\":false}", "/camera [on|off]",
    SC_TYPED_SWITCH, N_("Turn the camera on or off; without an argument, switch"), cmd_camera },
  { "self", ARGS ("on"), "{\"cmd\":\"self\",\"on\":true}", "/self [on|off]", SC_TYPED_SWITCH,
    N_("Show or hide your own picture in a corner of the peer's; without an argument, "
       "switch"), cmd_self },
  { "video", ARGS ("mode"), "{\"cmd\":\"video\",\"mode\":\"terminal\"}",
    "/video window|terminal|off|cycle", SC_TYPED_WORD,
    N_("Show the peer's video in a window, in the terminal, or not at all"), cmd_video },
  { "report", ARGS ("reason"), "{\"cmd\":\"report\",\"reason\":\"…\"}", "/report [REASON]",
    SC_TYPED_REST_OPTIONAL, N_("Report this peer: the call ends and you never meet again"),
    cmd_report },
  { "interests", ARGS ("list"), "{\"cmd\":\"interests\",\"list\":[\"chess\"]}",
    "/interests [WORD …]", SC_TYPED_REST_OPTIONAL,
    N_("Meet people who share these first (up to 8; none: anyone), from the next match"),
    cmd_interests },
  { "help", NULL, "{\"cmd\":\"help\"}", "/help", SC_TYPED_NONE,
    N_("List the commands and keys"), cmd_help },
  { "status", NULL, "{\"cmd\":\"status\"}", "/status", SC_TYPED_NONE,
    N_("Report the whole current state"), cmd_status },
  { "scroll", ARGS ("direction"), "{\"cmd\":\"scroll\",\"direction\":\"up\"}",
    "/scroll up|down", SC_TYPED_WORD,
    N_("Scroll the chat back or forward a page (the panel's; nothing headless)"), cmd_scroll },
  { "redraw", NULL, "{\"cmd\":\"redraw\"}", "/redraw", SC_TYPED_NONE,
    N_("Paint the whole panel again (the panel's; nothing headless)"), cmd_redraw },
  { "quit", NULL, "{\"cmd\":\"quit\"}", "/quit", SC_TYPED_NONE,
    N_("Leave cleanly and exit"), cmd_quit },
};

const ScCommand *
sc_command_table (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}

const ScCommand *
sc_command_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

const char *
sc_command_error_code (const GError *error)
{
  if (error && error->domain == SC_COMMAND_ERROR)
    return error->code == SC_COMMAND_ERROR_UNKNOWN ? "unknown-command" : "bad-command";
  return sc_core_error_code (error);
}

/**
 * sc_command_run:
 * @request: {"cmd": NAME, …arguments}
 */
gboolean
sc_command_run (ScCore *core, JsonObject *request, GError **error)
{
  JsonNode *node = json_object_get_member (request, "cmd");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS,
                           _("A command is a JSON object with \"cmd\": a string."));
      return FALSE;
    }
  const char *name = json_node_get_string (node);
  const ScCommand *command = sc_command_lookup (name);
  if (command == NULL)
    {
      g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_UNKNOWN,
                   _("Unknown command “%.32s”."), name);
      return FALSE;
    }

  /* Strict: a misspelt argument is an error, not silently ignored. */
  g_autoptr(GList) members = json_object_get_members (request);
  for (GList *l = members; l; l = l->next)
    {
      if (g_str_equal (l->data, "cmd"))
        continue;
      if (command->args == NULL || !g_strv_contains (command->args, l->data))
        {
          g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS,
                       _("%s does not take “%.32s”."), command->name, (const char *) l->data);
          return FALSE;
        }
    }
  return command->run (core, request, error);
}

/**
 * sc_command_parse_typed:
 * @line: what the user typed: "/NAME [ARGUMENT]" runs a command, "//…" says a line that
 *   starts with "/", anything else is said to the peer
 *
 * Returns: (transfer full): the same request a headless script would send.
 */
JsonObject *
sc_command_parse_typed (const char *line, GError **error)
{
  g_autoptr(JsonObject) request = json_object_new ();

  if (line[0] != '/' || line[1] == '/')
    {
      json_object_set_string_member (request, "cmd", "say");
      json_object_set_string_member (request, "text", line[0] == '/' ? line + 1 : line);
      return g_steal_pointer (&request);
    }

  g_autofree char *copy = g_strdup (line + 1);
  char *rest = copy + strcspn (copy, " \t");
  if (*rest)
    *rest++ = '\0';
  g_strstrip (rest);

  const ScCommand *command = sc_command_lookup (copy);
  if (command == NULL)
    {
      g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_UNKNOWN,
                   _("Unknown command “/%.32s”; /help lists them."), copy);
      return NULL;
    }
  json_object_set_string_member (request, "cmd", command->name);

  switch (command->typed_kind)
    {
    case SC_TYPED_NONE:
      if (*rest)
        {
          g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS,
                       _("/%s takes no argument."), command->name);
          return NULL;
        }
      break;
    case SC_TYPED_REST_OPTIONAL:
      if (*rest)
        json_object_set_string_member (request, command->args[0], rest);
      break;
    case SC_TYPED_REST:
    case SC_TYPED_WORD:
      if (*rest == '\0' || (command->typed_kind == SC_TYPED_WORD && strpbrk (rest, " \t")))
        {
          g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS,
                       _("Usage: %s"), command->typed);
          return NULL;
        }
      json_object_set_string_member (request, command->args[0], rest);
      break;
    case SC_TYPED_SWITCH:
      if (g_str_equal (rest, "on") || g_str_equal (rest, "true"))
        json_object_set_boolean_member (request, command->args[0], TRUE);
      else if (g_str_equal (rest, "off") || g_str_equal (rest, "false"))
        json_object_set_boolean_member (request, command->args[0], FALSE);
      else if (*rest)
        {
          g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS,
                       _("Usage: %s"), command->typed);
          return NULL;
        }
      break;
    }
  return g_steal_pointer (&request);
}
