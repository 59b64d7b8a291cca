/* sc-json-check.c: strict JSON, checked in one pass; see sc-json-check.h. */
#include "config.h"

#include "sc-json-check.h"

#include <string.h>

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static void
skip_space (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static int
hex_digit (char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u"; -1 if they are not. */
static int
read_u_escape (Cursor *c)
{
  if (c->end - c->p < 4)
    return -1;
  int value = 0;
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (c->p[i]);
      if (d < 0)
        return -1;
      value = value << 4 | d;
    }
  c->p += 4;
  return value;
}

/* A string, from its opening quote. No control characters unescaped; escapes as RFC
 * 8259 lists them; no \u0000 (it would cut the string short in C) and no surrogate
 * that is not one half of a pair. */
static gboolean
scan_string (Cursor *c)
{
  c->p++;   /* the quote */
  while (c->p < c->end)
    {
      unsigned char ch = (unsigned char) *c->p++;
      if (ch == '"')
        return TRUE;
      if (ch < 0x20)
        return FALSE;
      if (ch != '\\')
        continue;
      if (c->p == c->end)
        return FALSE;
      switch (*c->p++)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;
        case 'u':
          {
            int u = read_u_escape (c);
            if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
              return FALSE;
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
                  return FALSE;
                c->p += 2;
                int low = read_u_escape (c);
                if (low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
              }
          }
          break;
        default:
          return FALSE;
        }
    }
  return FALSE;   /* no closing quote */
}

static gboolean
scan_digits (Cursor *c)
{
  const char *start = c->p;
  while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
    c->p++;
  return c->p > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
scan_number (Cursor *c)
{
  if (*c->p == '-')
    c->p++;
  if (c->p < c->end && *c->p == '0')
    c->p++;
  else if (!scan_digits (c))
    return FALSE;
  if (c->p < c->end && *c->p == '.')
    {
      c->p++;
      if (!scan_digits (c))
        return FALSE;
    }
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
    {
      c->p++;
      if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
        c->p++;
      if (!scan_digits (c))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_word (Cursor *c, const char *word, gsize len)
{
  if ((gsize) (c->end - c->p) < len || memcmp (c->p, word, len) != 0)
    return FALSE;
  c->p += len;
  return TRUE;
}

/* A value that is not an object or an array. */
static gboolean
scan_scalar (Cursor *c)
{
  switch (*c->p)
    {
    case '"':
      return scan_string (c);
    case 't':
      return scan_word (c, "true", 4);
    case 'f':
      return scan_word (c, "false", 5);
    case 'n':
      return scan_word (c, "null", 4);
    default:
      return *c->p == '-' || (*c->p >= '0' && *c->p <= '9') ? scan_number (c) : FALSE;
    }
}

ScJsonCheck
sc_json_check (const char *data, gsize len, guint max_depth)
{
  g_return_val_if_fail (max_depth >= 1 && max_depth <= SC_JSON_CHECK_MAX_DEPTH, SC_JSON_BAD);
  if (data == NULL)
    return SC_JSON_BAD;

  /* The open containers, innermost last: no recursion, so no input reaches the stack. */
  char open[SC_JSON_CHECK_MAX_DEPTH];
  guint depth = 0;
  enum { VALUE, VALUE_OR_CLOSE, KEY, KEY_OR_CLOSE, COLON, AFTER_VALUE } want = VALUE;
  Cursor c = { data, data + len };

  for (;;)
    {
      skip_space (&c);
      if (c.p == c.end)
        return want == AFTER_VALUE && depth == 0 ? SC_JSON_OK : SC_JSON_BAD;
      char ch = *c.p;
      switch (want)
        {
        case VALUE_OR_CLOSE:
          if (ch == ']')
            {
              c.p++;
              depth--;
              want = AFTER_VALUE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case VALUE:
          if (ch == '{' || ch == '[')
            {
              if (depth == max_depth)
                return SC_JSON_DEEP;
              open[depth++] = ch;
              c.p++;
              want = ch == '{' ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
              break;
            }
          if (!scan_scalar (&c))
            return SC_JSON_BAD;
          want = AFTER_VALUE;
          break;
        case KEY_OR_CLOSE:
          if (ch == '}')
            {
              c.p++;
              depth--;
              want = AFTER_VALUE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case KEY:
          if (ch != '"' || !scan_string (&c))
            return SC_JSON_BAD;
          want = COLON;
          break;
        case COLON:
          if (ch != ':')
            return SC_JSON_BAD;
          c.p++;
          want = VALUE;
          break;
        case AFTER_VALUE:
          if (depth == 0)
            return SC_JSON_BAD;   /* something after the whole text */
          if (ch == ',')
            want = open[depth - 1] == '{' ? KEY : VALUE;
          else if (ch == (open[depth - 1] == '{' ? '}' : ']'))
            depth--;
          else
            return SC_JSON_BAD;
          c.p++;
          break;
        }
    }
}
