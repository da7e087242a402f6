/* cc-netlab-delay.c: the delay line of the namespace lab (tests/lab/netns). This
 * kernel has no netem, so the router namespace holds packets itself: nftables
 * hands every packet to and from the client to an NFQUEUE, and this program
 * gives each one its verdict (accept) DELAY ms after it arrived. It copies the
 * packets' metadata only (the kernel keeps the packets), and since the delay is
 * the same for every packet, a FIFO of (packet id, release time) is all it
 * needs: one ppoll() loop sleeps until the head's release time or the next
 * packet, whichever comes first.
 *
 *   cc-netlab-delay --queue N --delay-ms D [--limit PACKETS]
 *
 * Bounded: the kernel queue holds at most --limit packets, and so does the FIFO
 * (allocated once). The queue fails open: a packet that finds it full, or this
 * program's socket full, is accepted at once instead of dropped, so an overload
 * shows as less delay, never as loss the app would blame on a firewall. With the
 * nft rule's `bypass`, packets pass undelayed when no program listens. SIGTERM
 * and SIGINT release what is queued and end the program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sched.h>
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include <glib.h>

/* Enough for the lab: a test call of about 1.5 Mbit/s in 1200-byte packets is
 * some 160 packets a second each way; TCP bulk transfers are bounded by their
 * windows. 300 ms each way holds well under a thousand of either. */
#define DEFAULT_LIMIT 16384
/* The netlink socket's receive buffer: room for the metadata messages of a full
 * queue (each is charged about a kilobyte), so the kernel need not fail open. */
#define RECEIVE_BUFFER_BYTES (32 * 1024 * 1024)
/* SCHED_FIFO, low among real-time priorities: above every ordinary process. */
#define REALTIME_PRIORITY 10
/* A metadata message: headers and attributes, no payload. */
#define MESSAGE_BUFFER_BYTES 65536

typedef struct
{
  guint32 id;
  gint64  release_ns;
} Held;

typedef struct
{
  struct nfq_q_handle *queue;
  gint64               delay_ns;
  Held                *fifo;
  guint                limit;
  guint                head;
  guint                length;
  guint64              delayed;
  guint64              overflowed;
  guint                max_length;
  /* How late verdicts went out, past their release time: the line's own error. */
  gint64               late_sum_ns;
  gint64               late_max_ns;
  guint64              released;
} DelayLine;

static volatile sig_atomic_t quit;

static void
quit_handler (int signum)
{
  quit = 1;
}

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
accept_packet (DelayLine *line,
               guint32    id)
{
  if (nfq_set_verdict (line->queue, id, NF_ACCEPT, 0, NULL) < 0)
    g_printerr ("cc-netlab-delay: verdict for packet %u: %s\n", id, g_strerror (errno));
}

static int
packet_cb (struct nfq_q_handle *queue,
           struct nfgenmsg     *message,
           struct nfq_data     *data,
           void                *user_data)
{
  DelayLine *line = user_data;
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr (data);
  guint32 id;

  if (header == NULL)
    return 0;
  id = ntohl (header->packet_id);

  /* The kernel queue is no longer than the FIFO, so this is only a guard. */
  if (line->length == line->limit)
    {
      line->overflowed++;
      accept_packet (line, id);
      return 0;
    }

  line->fifo[(line->head + line->length) % line->limit] = (Held) { id, now_ns () + line->delay_ns };
  line->length++;
  line->delayed++;
  line->max_length = MAX (line->max_length, line->length);
  return 0;
}

static void
release_due (DelayLine *line,
             gint64     now)
{
  while (line->length > 0 && line->fifo[line->head].release_ns <= now)
    {
      if (now != G_MAXINT64)
        {
          gint64 late = now - line->fifo[line->head].release_ns;

          line->late_sum_ns += late;
          line->late_max_ns = MAX (line->late_max_ns, late);
          line->released++;
        }
      accept_packet (line, line->fifo[line->head].id);
      line->head = (line->head + 1) % line->limit;
      line->length--;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree Held *fifo = NULL;
  g_autofree char *buffer = NULL;
  struct nfq_handle *handle;
  struct sigaction action = { 0 };
  sigset_t blocked, unblocked;
  DelayLine line = { 0 };
  int queue_num = -1;
  int delay_ms = -1;
  int limit = DEFAULT_LIMIT;
  int one = 1;
  int fd;
  const GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_INT, &queue_num, "NFQUEUE number to bind", "N" },
    { "delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms, "How long to hold each packet", "MS" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Most packets held at once (16384); more pass undelayed", "PACKETS" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      queue_num < 0 || queue_num > 65535 || delay_ms < 0 || delay_ms > 60000 || limit < 1 || limit > 1000000)
    {
      g_printerr ("cc-netlab-delay: %s\n",
                  error ? error->message : "--queue 0-65535 and --delay-ms 0-60000 are required; --limit 1-1000000");
      return 64;
    }

  fifo = g_new (Held, limit);
  buffer = g_malloc (MESSAGE_BUFFER_BYTES);
  line.fifo = fifo;
  line.limit = limit;
  line.delay_ns = (gint64) delay_ms * 1000000;

  /* SIGTERM and SIGINT are blocked but while ppoll() waits, so none is lost
   * between checking `quit` and sleeping. */
  action.sa_handler = quit_handler;
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);
  sigemptyset (&blocked);
  sigaddset (&blocked, SIGTERM);
  sigaddset (&blocked, SIGINT);
  sigprocmask (SIG_BLOCK, &blocked, &unblocked);
  sigdelset (&unblocked, SIGTERM);
  sigdelset (&unblocked, SIGINT);

  handle = nfq_open ();
  if (handle == NULL)
    {
      g_printerr ("cc-netlab-delay: cannot open nfnetlink_queue: %s\n", g_strerror (errno));
      return 1;
    }
  line.queue = nfq_create_queue (handle, queue_num, packet_cb, &line);
  if (line.queue == NULL)
    {
      g_printerr ("cc-netlab-delay: cannot bind queue %d: %s\n", queue_num, g_strerror (errno));
      nfq_close (handle);
      return 1;
    }
  if (nfq_set_mode (line.queue, NFQNL_COPY_META, 0) < 0 ||
      nfq_set_queue_maxlen (line.queue, limit) < 0 ||
      nfq_set_queue_flags (line.queue, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO,
                           NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO) < 0)
    {
      g_printerr ("cc-netlab-delay: cannot configure queue %d: %s\n", queue_num, g_strerror (errno));
      nfq_destroy_queue (line.queue);
      nfq_close (handle);
      return 1;
    }

  /* Wake at the release time, not up to the default 50 µs of slack later, and
   * before the lab's servers and the app when the cores are busy (the loop
   * sleeps between packets, so this takes little from them). Best effort. */
  prctl (PR_SET_TIMERSLACK, 1UL);
  {
    struct sched_param param = { .sched_priority = REALTIME_PRIORITY };

    if (sched_setscheduler (0, SCHED_FIFO, &param) < 0)
      g_printerr ("cc-netlab-delay: no real-time priority (%s); delays may run late on a busy machine\n",
                  g_strerror (errno));
  }

  fd = nfq_fd (handle);
  nfnl_rcvbufsiz (nfq_nfnlh (handle), RECEIVE_BUFFER_BYTES);
  /* Should the socket overflow anyway, the kernel accepts the packets (fail
   * open); recv() need not report it. */
  setsockopt (fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

  g_print ("ready: queue %d, %d ms\n", queue_num, delay_ms);

  while (!quit)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      struct timespec timeout, *timeout_ptr = NULL;
      gint64 now = now_ns ();
      ssize_t len;

      release_due (&line, now);
      if (line.length > 0)
        {
          gint64 wait_ns = line.fifo[line.head].release_ns - now;

          timeout.tv_sec = wait_ns / 1000000000;
          timeout.tv_nsec = wait_ns % 1000000000;
          timeout_ptr = &timeout;
        }

      if (ppoll (&pfd, 1, timeout_ptr, &unblocked) < 0)
        {
          if (errno == EINTR)
            continue;
          g_printerr ("cc-netlab-delay: poll: %s\n", g_strerror (errno));
          break;
        }
      if (!(pfd.revents & POLLIN))
        continue;

      /* Take everything waiting, so packets that came together get the same
       * arrival time as nearly as the clock can tell. */
      while ((len = recv (fd, buffer, MESSAGE_BUFFER_BYTES, MSG_DONTWAIT)) > 0)
        nfq_handle_packet (handle, buffer, len);
      if (len < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ENOBUFS)
        {
          g_printerr ("cc-netlab-delay: recv: %s\n", g_strerror (errno));
          break;
        }
    }

  /* Leaving: what is held goes now rather than be dropped with the queue. */
  release_due (&line, G_MAXINT64);
  g_printerr ("cc-netlab-delay: queue %d: %" G_GUINT64_FORMAT " packets held %d ms (late by %.3f ms on average, "
              "%.3f ms at most), at most %u at once, %" G_GUINT64_FORMAT " passed undelayed (FIFO full)\n",
              queue_num, line.delayed, delay_ms,
              line.released > 0 ? line.late_sum_ns / 1e6 / line.released : 0.0, line.late_max_ns / 1e6,
              line.max_length, line.overflowed);
  nfq_destroy_queue (line.queue);
  nfq_close (handle);
  return 0;
}
