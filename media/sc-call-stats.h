/* sc-call-stats.h: connection quality of a call, from webrtcbin's statistics, as rates
 * over the last interval. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double rtt_ms;        /* < 0: not known yet */
  double kbps_in;
  double kbps_out;
  double loss_percent;  /* of packets expected in the interval */
} ScCallStats;

G_END_DECLS
