/* sc-terminal-guard.h: gives the terminal back in a usable state however the program
 * ends. The normal path is the panel's endwin(); this adds the paths that skip it: a
 * crash (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) restores the saved terminal modes
 * and leaves the alternate screen, then lets the signal do what it does. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void sc_terminal_guard_install (int fd);
void sc_terminal_guard_restore (void);

G_END_DECLS
