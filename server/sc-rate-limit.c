/* sc-rate-limit.c: see sc-rate-limit.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-rate-limit.h"

void
sc_token_bucket_init (ScTokenBucket *bucket, double burst, double per_second, gint64 now_us)
{
  bucket->tokens = burst;
  bucket->burst = burst;
  bucket->per_second = per_second;
  bucket->last_us = now_us;
}

static void
refill (ScTokenBucket *bucket, gint64 now_us)
{
  if (now_us > bucket->last_us)
    {
      bucket->tokens = MIN (bucket->burst,
                            bucket->tokens + (now_us - bucket->last_us) / 1e6 * bucket->per_second);
      bucket->last_us = now_us;
    }
}

/* TRUE, and one token less, if a token is there. */
gboolean
sc_token_bucket_take (ScTokenBucket *bucket, gint64 now_us)
{
  refill (bucket, now_us);
  if (bucket->tokens < 1.0)
    return FALSE;
  bucket->tokens -= 1.0;
  return TRUE;
}

gboolean
sc_token_bucket_full (ScTokenBucket *bucket, gint64 now_us)
{
  refill (bucket, now_us);
  return bucket->tokens >= bucket->burst;
}

gint64
sc_token_bucket_wait_us (ScTokenBucket *bucket, gint64 now_us)
{
  refill (bucket, now_us);
  if (bucket->tokens >= 1.0 || bucket->per_second <= 0)
    return 0;
  return (gint64) ((1.0 - bucket->tokens) / bucket->per_second * G_USEC_PER_SEC + 0.5);
}
