/* sc-local-matcher.h: the in-process ScMatcher, for one server on one machine. */
#pragma once

#include "sc-matcher.h"

G_BEGIN_DECLS

#define SC_TYPE_LOCAL_MATCHER (sc_local_matcher_get_type ())
G_DECLARE_FINAL_TYPE (ScLocalMatcher, sc_local_matcher, SC, LOCAL_MATCHER, GObject)

ScMatcher *sc_local_matcher_new (void);

G_END_DECLS
