/* nfq-delay: holds every packet of an NFQUEUE for a fixed time, then lets it go, in
 * the order it came: a link that is that much longer, for the network lab's distance
 * benchmark (tests/bench/bench_distance.py). This kernel has no netem; an iptables
 * NFQUEUE rule in a namespace the test made sends the packets here
 * (../shared/notes/network-lab.md).
 *
 *   nfq-delay QUEUE MILLISECONDS
 *
 * Runs until killed. Packets are never dropped here: a full hold (more than HOLD_MAX
 * waiting) lets the newest through at once, and the rule's --queue-bypass lets packets
 * through while the program is not running. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define HOLD_MAX 65536

typedef struct
{
  uint32_t id;
  uint64_t due_ns;
} Held;

static Held hold[HOLD_MAX];
static unsigned first, count;   /* a ring: hold[first], … count of them */
static uint64_t delay_ns;

static uint64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static int
on_packet (struct nfq_q_handle *queue, struct nfgenmsg *msg, struct nfq_data *data, void *unused)
{
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr (data);
  if (header == NULL)
    return 0;
  uint32_t id = ntohl (header->packet_id);
  if (count == HOLD_MAX)
    return nfq_set_verdict (queue, id, NF_ACCEPT, 0, NULL);
  Held *slot = &hold[(first + count) % HOLD_MAX];
  slot->id = id;
  slot->due_ns = now_ns () + delay_ns;
  count++;
  return 0;
}

static volatile sig_atomic_t stopping;

static void
on_signal (int sig)
{
  stopping = 1;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: nfq-delay QUEUE MILLISECONDS\n");
      return 2;
    }
  int queue_num = atoi (argv[1]);
  delay_ns = (uint64_t) strtoull (argv[2], NULL, 10) * 1000000u;

  struct nfq_handle *handle = nfq_open ();
  if (handle == NULL)
    {
      perror ("nfq-delay: nfq_open");
      return 1;
    }
  struct nfq_q_handle *queue = nfq_create_queue (handle, (uint16_t) queue_num, on_packet, NULL);
  if (queue == NULL)
    {
      perror ("nfq-delay: nfq_create_queue");
      return 1;
    }
  /* The verdict needs only the id: no packet bytes are copied to us. */
  nfq_set_mode (queue, NFQNL_COPY_META, 0);
  nfq_set_queue_maxlen (queue, 8192);
  signal (SIGTERM, on_signal);
  signal (SIGINT, on_signal);

  int fd = nfq_fd (handle);
  char buf[65536] __attribute__ ((aligned));
  /* Ready: the caller may add its rule now. */
  printf ("ready\n");
  fflush (stdout);
  while (!stopping)
    {
      int timeout_ms = -1;
      if (count > 0)
        {
          int64_t wait_ns = (int64_t) (hold[first].due_ns - now_ns ());
          timeout_ms = wait_ns > 0 ? (int) ((wait_ns + 999999) / 1000000) : 0;
        }
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      int ready = poll (&pfd, 1, timeout_ms);
      if (ready < 0 && errno != EINTR)
        {
          perror ("nfq-delay: poll");
          break;
        }
      if (ready > 0)
        {
          ssize_t n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);
          if (n > 0)
            nfq_handle_packet (handle, buf, (int) n);
        }
      uint64_t now = now_ns ();
      while (count > 0 && hold[first].due_ns <= now)
        {
          nfq_set_verdict (queue, hold[first].id, NF_ACCEPT, 0, NULL);
          first = (first + 1) % HOLD_MAX;
          count--;
        }
    }
  /* Whatever is held goes now. */
  while (count > 0)
    {
      nfq_set_verdict (queue, hold[first].id, NF_ACCEPT, 0, NULL);
      first = (first + 1) % HOLD_MAX;
      count--;
    }
  nfq_destroy_queue (queue);
  nfq_close (handle);
  return 0;
}
