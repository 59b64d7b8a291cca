/* sc-command.c: see sc-command.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sc-command.h"

G_DEFINE_QUARK (sc-command-error-quark, sc_command_error)

static gboolean
bad_args (GError **error, const char *command, const char *what)
{
  g_set_error (error, SC_COMMAND_ERROR, SC_COMMAND_ERROR_BAD_ARGS, "%s: %s", command, what);
  return FALSE;
}

static gboolean
get_bool (JsonObject *args, const char *command, const char *key, gboolean *out,
          GError **error)
{
  JsonNode *node = args ? json_object_get_member (args, key) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return bad_args (error, command, _("needs \"on\": true or false"));
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

static gboolean
cmd_mute (ScCore *core, JsonObject *args, GError **error)
{
  gboolean on;
  if (!get_bool (args, "mute", "on", &on, error))
    return FALSE;
  sc_core_set_mic_muted (core, on);
  return TRUE;
}

static gboolean
cmd_camera (ScCore *core, JsonObject *args, GError **error)
{
  gboolean on;
  if (!get_bool (args, "camera", "on", &on, error))
    return FALSE;
  sc_core_set_camera_on (core, on);
  return TRUE;
}

static gboolean
cmd_status (ScCore *core, JsonObject *args, GError **error)
{
  sc_core_report_status (core);
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
  { "next", NULL, "{\"cmd\":\"next\"}", N_("Leave this peer and meet the next one"), cmd_next },
  { "say", ARGS ("text"), "{\"cmd\":\"say\",\"text\":\"…\"}",
    N_("Send a chat message to the peer"), cmd_say },
  { "mute", ARGS ("on"), "{\"cmd\":\"mute\",\"on\":true}",
    N_("Mute (true) or unmute (false) the microphone"), cmd_mute },
  { "camera", ARGS ("on"), "{\"cmd\":\"camera\",\"on\":false}",
    N_("Turn the camera on (true) or off (false)"), cmd_camera },
  { "status", NULL, "{\"cmd\":\"status\"}", N_("Report the whole current state"), cmd_status },
  { "quit", NULL, "{\"cmd\":\"quit\"}", N_("Leave cleanly and exit"), cmd_quit },
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
