/* sc-json-check.h: is a text strict JSON (RFC 8259), no deeper than a limit?
 *
 * Why before json-glib: json-glib 1.6 (Debian 12) parses a superset of JSON — single-
 * quoted strings, comments, bare words — and recurses once per level of nesting. A
 * bracket counter that knows only double-quoted strings is fooled by '"' or a comment
 * holding a quote, and 32,000 levels then reach the recursive parser (~6 ms of CPU and
 * 2–4 MiB of stack each). This one pass, with no recursion and no allocation, accepts
 * exactly RFC 8259's grammar, so what json-glib is handed is JSON and shallow. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SC_JSON_OK,
  SC_JSON_BAD,     /* not strict JSON (or empty, or a \u0000 or lone surrogate) */
  SC_JSON_DEEP,    /* objects and arrays nest deeper than the limit */
} ScJsonCheck;

/* The deepest limit sc_json_check() takes. */
#define SC_JSON_CHECK_MAX_DEPTH 32

/* Checks @len bytes at @data (need not be NUL-terminated; may be NULL when @len is 0).
 * @max_depth: 1..SC_JSON_CHECK_MAX_DEPTH levels of objects and arrays. UTF-8 is not
 * checked here. */
ScJsonCheck sc_json_check (const char *data,
                           gsize       len,
                           guint       max_depth);

G_END_DECLS
