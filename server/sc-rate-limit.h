/* sc-rate-limit.h: a token bucket: BURST at once, then PER_SECOND on average. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double tokens;
  double burst;
  double per_second;
  gint64 last_us;
} ScTokenBucket;

void     sc_token_bucket_init (ScTokenBucket *bucket,
                               double         burst,
                               double         per_second,
                               gint64         now_us);
gboolean sc_token_bucket_take (ScTokenBucket *bucket,
                               gint64         now_us);
/* Microseconds until a token is there (0: one is). */
gint64   sc_token_bucket_wait_us (ScTokenBucket *bucket,
                                  gint64         now_us);
gboolean sc_token_bucket_full (ScTokenBucket *bucket,
                               gint64         now_us);

G_END_DECLS
