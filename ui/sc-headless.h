/* sc-headless.h: the scriptable front end. Commands come in as JSON lines on an input
 * stream (stdin), events go out as JSON lines on a FILE (stdout), flushed at once. */
#pragma once

#include <stdio.h>

#include <gio/gio.h>

#include "sc-core.h"
#include "sc-frontend.h"

G_BEGIN_DECLS

#define SC_HEADLESS_MAX_LINE (64 * 1024)

#define SC_TYPE_HEADLESS (sc_headless_get_type ())
G_DECLARE_FINAL_TYPE (ScHeadless, sc_headless, SC, HEADLESS, GObject)

ScHeadless *sc_headless_new   (ScCore       *core,
                               GInputStream *input,
                               FILE         *output);
void        sc_headless_start (ScHeadless   *self);

G_END_DECLS
