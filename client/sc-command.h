/* sc-command.h: the one command table. Headless stdin lines ({"cmd":"next"}), typed
 * commands (/next) and key bindings all end in sc_command_run, so each command is
 * written once and behaves the same whichever way it was asked for. */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-core.h"

G_BEGIN_DECLS

#define SC_COMMAND_ERROR (sc_command_error_quark ())
GQuark sc_command_error_quark (void);

typedef enum {
  SC_COMMAND_ERROR_UNKNOWN,   /* "unknown-command" */
  SC_COMMAND_ERROR_BAD_ARGS,  /* "bad-command" */
} ScCommandError;

typedef gboolean (*ScCommandFunc) (ScCore      *core,
                                   JsonObject  *args,
                                   GError     **error);

/* How a typed command ("/video terminal") gives its argument. */
typedef enum {
  SC_TYPED_NONE,     /* no argument */
  SC_TYPED_REST,     /* the rest of the line, as a string (required) */
  SC_TYPED_REST_OPTIONAL, /* the rest of the line, as a string, if any */
  SC_TYPED_WORD,     /* one word, as a string (required) */
  SC_TYPED_SWITCH,   /* on/off, as a boolean (optional) */
} ScTypedKind;

typedef struct
{
  const char *name;
  const char *const *args;   /* the members it takes besides "cmd" */
  const char *usage;         /* a JSON line showing the arguments */
  const char *typed;         /* how it is typed, e.g. "/video window|terminal|off" */
  ScTypedKind typed_kind;
  const char *summary;       /* translatable: N_() in the table */
  ScCommandFunc run;
} ScCommand;

const ScCommand *sc_command_table  (guint       *n_commands);
const ScCommand *sc_command_lookup (const char  *name);
gboolean         sc_command_run    (ScCore      *core,
                                    JsonObject  *request,
                                    GError     **error);
const char      *sc_command_error_code (const GError *error);
JsonObject      *sc_command_parse_typed (const char  *line,
                                         GError     **error);

G_END_DECLS
