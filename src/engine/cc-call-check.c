/* cc-call-check.c: see cc-call-check.h.
 *
 * Agent 0 (controlling) calls agent 1 through the relay: both gather relay
 * candidates only (force-relay), exchange credentials and candidates in process,
 * and run ICE. Then agent 0 sends, for CC_CALL_STREAM_MS, an audio-like packet
 * every 20 ms (160 bytes: Opus at about 64 kbit/s) and two video-like packets
 * every 20 ms (1100 bytes each: about 880 kbit/s); agent 1 counts them, computes
 * the RFC 3550 interarrival jitter from their send times (both agents share this
 * process's clock), and echoes each audio packet so that agent 0 measures the
 * round trip.
 *
 * The ramp (the first call of a run that gets through, cc_call_check_set_ramp):
 * right after the stream, if it got through cleanly, agent 0 sends only video-
 * like packets, CC_CALL_RAMP_STEP_MS at each step of ramp_packets[] (1.76 and
 * 3.52 Mbit/s): more than a video call needs (CC_VIDEO_NEEDS_KBPS), so that a
 * path that carries it all has room to spare. What the path carries is the
 * ramp's bytes that arrived by the ramp's end plus the path's own one-way
 * trip (the stream's shortest) and CC_CALL_RAMP_SLACK_MS, over the ramp's
 * length: what a link's queue lets through later does not count (a real-time
 * packet that late is of no use). After a stream that lost packets the ramp
 * is not run: the path is full already, and the stream's own bitrate is the
 * measure.
 *
 * What the round trip means: both agents are on this device, so an echo
 * crosses this device's path to the relay four times (agent 0 → relay →
 * agent 1, and back the same way), twice what a call's media would, whose far
 * end is elsewhere. The call reports half the echo's time: the round trip
 * between this device and the relay through the network under test, the same
 * quantity the STUN checks and the media burst measure (README "What is
 * checked"). The jitter is that of the one-way trip agent 0 → relay → agent 1.
 *
 * TURN over TLS: libnice's TURN_TLS relay type does no real TLS (PITFALLS.md), so
 * the agent is given TURN over TCP to a bridge: a listener on 127.0.0.1 that
 * accepts exactly one connection — the agent's — is closed at once, and splices
 * that connection into a real TLS connection to the relay. It is the only
 * listening socket the app ever opens, on loopback, for a few milliseconds.
 *
 * Why one file of over 800 lines: a call is two ICE agents, the stream, the
 * ramp and the TLS bridge of one check, all on one per-call state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <nice/agent.h>
#include <stun/usages/timer.h>
#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-call-check.h"
#include "cc-releases.h"
#include "cc-secrets.h"
#include "cc-tcp-check.h"
#include "cc-util.h"

#define CC_CALL_TICK_MS       20
#define CC_CALL_AUDIO_BYTES   160
#define CC_CALL_VIDEO_BYTES   1100
#define CC_CALL_VIDEO_PER_TICK 2
#define CC_CALL_PACKETS_MAX   ((CC_CALL_STREAM_MS / CC_CALL_TICK_MS + 1) * (1 + CC_CALL_VIDEO_PER_TICK))
/* Late packets still count after the stream stops: for this long at least,
 * and for CC_CALL_DRAIN_FACTOR times the longest one-way trip measured (a
 * packet sent last is not lost because the path is long: on a satellite link
 * it is 0.6 s on its way), but never more than CC_CALL_DRAIN_MAX_MS. */
#define CC_CALL_DRAIN_MS      500
#define CC_CALL_DRAIN_FACTOR  1.5
#define CC_CALL_DRAIN_MAX_MS  2000
/* The drain ends this long before the check's deadline at the latest, so the
 * call reports what it measured rather than a timeout. */
#define CC_CALL_DRAIN_MARGIN_MS 100

/* Video-like packets per tick at each step of the ramp (1100 bytes each). */
static const guint ramp_packets[CC_CALL_RAMP_STEPS] = { 4, 8 };
/* The ramp runs when at most this share of the stream's packets is missing
 * at its end, counting those still on their way as arrived. */
#define CC_CALL_RAMP_MAX_MISSING 0.1
/* Late ramp packets still count for this long after the path's own trip:
 * this app's receiving moments may lag (a busy main loop). */
#define CC_CALL_RAMP_SLACK_MS 50

#define CC_CALL_MAGIC "CCAL"
#define CC_CALL_HEADER 17 /* magic 4, kind 1, sequence 4, send time 8 */

struct _CcCallCheck
{
  CcCheck              parent_instance;

  CcTransport          transport;
  char                *host;
  guint16              port;
  char                *username;
  char                *credential;

  GCancellable        *cancellable;
  gint64               started_us;
  CcCheck             *allocation;
  char                *proxy_ip;
  guint16              proxy_port;
  char                *proxy_username;   /* from the proxy URL, or NULL */
  char                *proxy_password;
  char                *relay_ip;
  guint16              relay_port;

  /* TURN over TLS: the listener, and every stream it bridges (local and TLS) */
  GSocketListener     *bridge_listener;
  GPtrArray           *bridge_streams;
  guint                bridge_accepted;

  NiceAgent           *agents[2];
  guint                streams[2];
  gboolean             gathered[2];
  gboolean             ready[2];
  gboolean             streaming;
  char                *pair_type;

  GSource             *tick;
  GSource             *drain;
  gint64               stream_start_us;
  guint                ticks_sent;
  guint                sequence;
  guint                sent;
  guint                sent_audio;
  guint8              *seen;
  guint                received;
  guint64              bytes_received;
  double               jitter_us;
  gint64               last_transit_us;
  gint64               max_transit_us;
  gboolean             have_transit;
  double               rtt_sum_ms;
  guint                rtt_count;
  gint64               min_transit_us;

  gboolean             ramp;
  gboolean             ramping;
  gint64               ramp_start_us;
  guint                ramp_ticks_sent;
  guint                ramp_sequence;
  guint64              ramp_bytes;   /* arrived in time (see the top) */
  double               capacity_kbps;
};

G_DEFINE_FINAL_TYPE (CcCallCheck, cc_call_check, CC_TYPE_CHECK)

static const char *
transport_label (CcTransport transport)
{
  switch (transport)
    {
    case CC_TRANSPORT_TCP: return "TCP";
    case CC_TRANSPORT_TLS: return "TLS";
    case CC_TRANSPORT_UDP:
    default: return "UDP";
    }
}

static void
write_header (guint8     *packet,
              char        kind,
              guint32     sequence,
              gint64      send_us)
{
  guint32 seq_be = GUINT32_TO_BE (sequence);
  guint64 time_be = GUINT64_TO_BE ((guint64) send_us);

  memcpy (packet, CC_CALL_MAGIC, 4);
  packet[4] = (guint8) kind;
  memcpy (packet + 5, &seq_be, 4);
  memcpy (packet + 9, &time_be, 8);
}

static gboolean
read_header (const char *buf,
             guint       len,
             char       *kind,
             guint32    *sequence,
             gint64     *send_us)
{
  guint32 seq_be;
  guint64 time_be;

  if (len < CC_CALL_HEADER || memcmp (buf, CC_CALL_MAGIC, 4) != 0)
    return FALSE;

  *kind = buf[4];
  memcpy (&seq_be, buf + 5, 4);
  memcpy (&time_be, buf + 9, 8);
  *sequence = GUINT32_FROM_BE (seq_be);
  *send_us = (gint64) GUINT64_FROM_BE (time_be);
  return TRUE;
}

/* Agents still releasing their allocations (main thread only). */
static guint agents_closing;

static void
cc_call_check_agent_closed_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_assert (agents_closing > 0);
  agents_closing--;
  g_object_unref (object);
  cc_releases_end ();
}

/* Releases the agent's relay allocations; takes @agent's reference, which
 * the callback drops. */
static void
cc_call_check_close_agent (NiceAgent *agent)
{
  agents_closing++;
  cc_releases_begin ();
  nice_agent_close_async (agent, cc_call_check_agent_closed_cb, NULL);
}

/* A close releases only the relays the agent has when it starts: one whose
 * allocation was still under way is granted later, and would keep the close
 * from ending (or, granted just before it ends, outlive the agent on the
 * relay). Such a relay gets a close of its own. */
static void
cc_call_check_closing_candidate_cb (NiceAgent     *agent,
                                    NiceCandidate *candidate,
                                    gpointer       user_data)
{
  if (candidate->type == NICE_CANDIDATE_TYPE_RELAYED)
    cc_call_check_close_agent (g_object_ref (agent));
}

guint
cc_call_check_get_agents_closing (void)
{
  return agents_closing;
}

/* A closing agent must go on reading its sockets: the relay's answers to the
 * deallocation arrive there. Without a receive callback libnice leaves a
 * readable socket unread (the main context polls it again at once, a busy
 * loop) and each release ends only by its retransmission timeout. What else
 * still arrives is dropped here. */
static void
cc_call_check_discard_cb (NiceAgent *agent,
                          guint      stream_id,
                          guint      component_id,
                          guint      len,
                          char      *buf,
                          gpointer   user_data)
{
}

static void
cc_call_check_stop (CcCallCheck *self)
{
  cc_source_clear (&self->tick);
  cc_source_clear (&self->drain);

  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    {
      NiceAgent *agent = g_steal_pointer (&self->agents[i]);

      if (agent == NULL)
        continue;
      g_signal_handlers_disconnect_by_data (agent, self);
      nice_agent_attach_recv (agent, self->streams[i], 1, g_main_context_get_thread_default (),
                              cc_call_check_discard_cb, NULL);
      g_signal_connect (agent, "new-candidate-full", G_CALLBACK (cc_call_check_closing_candidate_cb), NULL);
      cc_call_check_close_agent (agent);
    }

  if (self->bridge_listener != NULL)
    {
      g_socket_listener_close (self->bridge_listener);
      g_clear_object (&self->bridge_listener);
    }
  for (guint i = 0; self->bridge_streams != NULL && i < self->bridge_streams->len; i++)
    g_io_stream_close (self->bridge_streams->pdata[i], NULL, NULL);
  g_clear_pointer (&self->bridge_streams, g_ptr_array_unref);
}

/* However the check ends (also by a stopped run or its deadline), the call
 * stops then and its agents release their relays, not when it is finalized. */
static void
cc_call_check_finished (CcCheck *check)
{
  cc_call_check_stop (CC_CALL_CHECK (check));
}

static void
cc_call_check_fail (CcCallCheck *self,
                    CcError      code,
                    const char  *detail)
{
  cc_call_check_stop (self);
  cc_check_fail (CC_CHECK (self), code, detail);
}

static void
cc_call_check_finish (CcCallCheck *self)
{
  g_autofree char *detail = NULL;
  double loss, jitter_ms, rtt_ms, kbps;

  if (self->sent == 0 || self->received == 0)
    {
      detail = g_strdup_printf (_("ICE connected through the relay over %s, but none of the %u packets of the call got through."),
                                transport_label (self->transport), self->sent);
      cc_call_check_fail (self, CC_ERROR_CONNECTION_CUT, detail);
      return;
    }

  loss = 100.0 * (self->sent - MIN (self->received, self->sent)) / self->sent;
  jitter_ms = self->jitter_us / 1000.0;
  /* Half the echo: see the top of this file. */
  rtt_ms = self->rtt_count > 0 ? self->rtt_sum_ms / self->rtt_count / 2.0 : -1;
  kbps = self->bytes_received * 8.0 / CC_CALL_STREAM_MS;

  cc_check_set_metrics (CC_CHECK (self), rtt_ms, jitter_ms, loss);
  cc_check_set_bitrate_kbps (CC_CHECK (self), kbps);
  detail = g_strdup_printf (_("A %.0f s call through the relay over %s (ICE pair %s): %u of %u packets arrived, %.1f %% lost, %.0f ms round trip, %.1f ms jitter, %.0f kbit/s got through."),
                            CC_CALL_STREAM_MS / 1000.0, transport_label (self->transport),
                            self->pair_type ? self->pair_type : "relay",
                            MIN (self->received, self->sent), self->sent, loss, MAX (0, rtt_ms),
                            jitter_ms, kbps);
  if (self->ramping)
    {
      g_autofree char *with_ramp = NULL;

      self->capacity_kbps = self->ramp_bytes * 8.0 / CC_CALL_RAMP_MS;
      with_ramp = g_strdup_printf (_("%s Offered up to %.1f Mbit/s for %.0f s, the path carried about %.0f kbit/s."),
                                   detail, ramp_packets[CC_CALL_RAMP_STEPS - 1] * CC_CALL_VIDEO_BYTES * 8.0
                                           / CC_CALL_TICK_MS / 1000.0,
                                   CC_CALL_RAMP_MS / 1000.0, self->capacity_kbps);
      g_free (detail);
      detail = g_steal_pointer (&with_ramp);
    }
  cc_call_check_stop (self);
  cc_check_pass (CC_CHECK (self), detail);
}

static void cc_call_check_fail_no_relay (CcCallCheck *self);

static void
cc_call_check_allocation_done_cb (CcCheck     *allocation,
                                  GParamSpec  *pspec,
                                  CcCallCheck *self)
{
  if (!cc_check_is_done (allocation) || cc_check_is_done (CC_CHECK (self)))
    return;
  g_signal_handlers_disconnect_by_func (allocation, cc_call_check_allocation_done_cb, self);
  cc_call_check_fail_no_relay (self);
}

/* No relay address: the allocation check of the same relay knows why (it
 * ends before the call's own deadline, which is longer). */
static void
cc_call_check_fail_no_relay (CcCallCheck *self)
{
  g_autofree char *detail = NULL;
  CcError code = CC_ERROR_PROTOCOL_ERROR;

  if (self->allocation != NULL && !cc_check_is_done (self->allocation))
    {
      g_signal_connect_object (self->allocation, "notify::status",
                               G_CALLBACK (cc_call_check_allocation_done_cb), self, 0);
      return;
    }

  if (self->allocation != NULL && cc_check_get_status (self->allocation) == CC_STATUS_FAIL)
    {
      code = cc_check_get_error (self->allocation);
      detail = g_strdup_printf (_("The relay gave the call no address over %s: %s"),
                                transport_label (self->transport),
                                cc_check_get_detail (self->allocation) ? cc_check_get_detail (self->allocation) : "");
    }
  else if (self->allocation != NULL && cc_check_get_status (self->allocation) == CC_STATUS_PASS)
    {
      /* The relay grants this device addresses over this transport (its
       * own allocation check passed): the call's request did not get its
       * answer in time, which a slow or congested link does (on a 256 kbit/s
       * link, behind the previous call's queue). A quality finding, as when
       * ICE's checks are lost (below), not a broken relay. */
      detail = g_strdup_printf (_("The relay grants addresses over %s, but the call’s own request got no answer in time: the link is too slow or too busy to set up a call."),
                                transport_label (self->transport));
      cc_call_check_stop (self);
      cc_check_warn (CC_CHECK (self), CC_ERROR_NONE, detail);
      return;
    }
  else
    detail = g_strdup_printf (_("The relay gave the call no address over %s, although it grants allocations to this device’s own requests."),
                              transport_label (self->transport));

  cc_call_check_fail (self, code, detail);
}

static gboolean
cc_call_check_drain_cb (gpointer user_data)
{
  CcCallCheck *self = user_data;

  g_clear_pointer (&self->drain, g_source_unref);
  cc_call_check_finish (self);
  return G_SOURCE_REMOVE;
}

static void
send_packet (CcCallCheck *self,
             char         kind,
             guint        size)
{
  guint8 packet[CC_CALL_VIDEO_BYTES] = { 0 };

  g_assert (size <= sizeof packet && size >= CC_CALL_HEADER);
  if (self->sequence >= CC_CALL_PACKETS_MAX)
    return;

  write_header (packet, kind, self->sequence, g_get_monotonic_time ());
  self->sequence++;
  self->sent++;
  if (kind == 'a')
    self->sent_audio++;
  /* A full socket buffer is a lost packet, as it would be in a call. */
  nice_agent_send (self->agents[0], self->streams[0], 1, size, (const char *) packet);
}

static void     cc_call_check_start_drain   (CcCallCheck *self);
static gboolean cc_call_check_ramp_tick_cb  (gpointer     user_data);

/* Whether the stream got through cleanly so far: the packets still on their
 * way (sent within the longest one-way trip seen) count as arrived. */
static gboolean
stream_clean (CcCallCheck *self)
{
  guint per_tick = 1 + CC_CALL_VIDEO_PER_TICK;
  guint in_flight = per_tick * (guint) (self->max_transit_us / (CC_CALL_TICK_MS * 1000) + 1);

  return self->sent > 0 &&
         self->received + in_flight >= (1.0 - CC_CALL_RAMP_MAX_MISSING) * self->sent;
}

/* The stream keeps to a fixed grid of CC_CALL_TICK_MS from its start, as a
 * call's encoder does: a timer that fires late (a busy main loop) sends the
 * ticks it missed at once instead of dropping them, so the offered bitrate is
 * the call's, not the app's load. */
static gboolean
cc_call_check_tick_cb (gpointer user_data)
{
  CcCallCheck *self = user_data;
  gint64 elapsed_us = g_get_monotonic_time () - self->stream_start_us;
  guint due = MIN (elapsed_us / (CC_CALL_TICK_MS * 1000) + 1, CC_CALL_STREAM_MS / CC_CALL_TICK_MS);

  while (self->ticks_sent < due)
    {
      self->ticks_sent++;
      send_packet (self, 'a', CC_CALL_AUDIO_BYTES);
      for (guint i = 0; i < CC_CALL_VIDEO_PER_TICK; i++)
        send_packet (self, 'v', CC_CALL_VIDEO_BYTES);
    }

  if (elapsed_us >= CC_CALL_STREAM_MS * 1000 && self->ramp && !self->ramping && stream_clean (self))
    {
      self->ramping = TRUE;
      self->ramp_start_us = g_get_monotonic_time ();
      g_clear_pointer (&self->tick, g_source_unref);
      self->tick = cc_timeout_attach (CC_CALL_TICK_MS, cc_call_check_ramp_tick_cb, self,
                                      "[connection-check] call ramp");
      cc_call_check_ramp_tick_cb (self);
      return G_SOURCE_REMOVE;
    }

  if (elapsed_us >= CC_CALL_STREAM_MS * 1000)
    {
      cc_call_check_start_drain (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Late packets still count for a while: see CC_CALL_DRAIN_MS. */
static void
cc_call_check_start_drain (CcCallCheck *self)
{
  gint64 left_ms = (gint64) cc_check_get_timeout_ms (CC_CHECK (self)) - CC_CALL_DRAIN_MARGIN_MS
                   - (g_get_monotonic_time () - self->started_us) / 1000;
  guint drain_ms = CLAMP ((guint) (self->max_transit_us * CC_CALL_DRAIN_FACTOR / 1000),
                          CC_CALL_DRAIN_MS, CC_CALL_DRAIN_MAX_MS);

  drain_ms = (guint) CLAMP (left_ms, 0, (gint64) drain_ms);

  g_clear_pointer (&self->tick, g_source_unref);
  self->drain = cc_timeout_attach (drain_ms, cc_call_check_drain_cb, self,
                                   "[connection-check] call drain");
}

/* The ramp's grid, as the stream's (a late timer sends the ticks it missed). */
static gboolean
cc_call_check_ramp_tick_cb (gpointer user_data)
{
  CcCallCheck *self = user_data;
  gint64 elapsed_us = g_get_monotonic_time () - self->ramp_start_us;
  guint due = MIN (elapsed_us / (CC_CALL_TICK_MS * 1000) + 1, CC_CALL_RAMP_MS / CC_CALL_TICK_MS);

  while (self->ramp_ticks_sent < due)
    {
      guint step = self->ramp_ticks_sent * CC_CALL_TICK_MS / CC_CALL_RAMP_STEP_MS;

      self->ramp_ticks_sent++;
      for (guint i = 0; i < ramp_packets[MIN (step, CC_CALL_RAMP_STEPS - 1)]; i++)
        {
          guint8 packet[CC_CALL_VIDEO_BYTES] = { 0 };

          write_header (packet, 'r', self->ramp_sequence++, g_get_monotonic_time ());
          nice_agent_send (self->agents[0], self->streams[0], 1, sizeof packet, (const char *) packet);
        }
    }

  if (elapsed_us >= CC_CALL_RAMP_MS * 1000)
    {
      cc_call_check_start_drain (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
cc_call_check_recv_cb (NiceAgent *agent,
                       guint      stream_id,
                       guint      component_id,
                       guint      len,
                       char      *buf,
                       gpointer   user_data)
{
  CcCallCheck *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint32 sequence;
  gint64 send_us;
  char kind;

  if (!read_header (buf, len, &kind, &sequence, &send_us) || send_us > now)
    return;

  if (agent == self->agents[0])
    {
      /* An echo of an audio packet: the round trip. */
      if (kind == 'e')
        {
          self->rtt_sum_ms += (now - send_us) / 1000.0;
          self->rtt_count++;
        }
      return;
    }

  if (agent == self->agents[1] && kind == 'r')
    {
      gint64 window_end_us = self->ramp_start_us + CC_CALL_RAMP_MS * 1000 + self->min_transit_us +
                             CC_CALL_RAMP_SLACK_MS * 1000;

      if (self->ramping && now <= window_end_us)
        self->ramp_bytes += len;
      return;
    }

  if (agent != self->agents[1] || (kind != 'a' && kind != 'v') ||
      sequence >= CC_CALL_PACKETS_MAX || self->seen[sequence])
    return;

  self->seen[sequence] = 1;
  self->received++;
  self->bytes_received += len;

  /* RFC 3550 6.4.1: J += (|D| - J) / 16, D the change in transit time. */
  {
    gint64 transit = now - send_us;

    if (self->have_transit)
      {
        double d = ABS (transit - self->last_transit_us);
        self->jitter_us += (d - self->jitter_us) / 16.0;
      }
    self->last_transit_us = transit;
    self->max_transit_us = MAX (self->max_transit_us, transit);
    self->min_transit_us = self->have_transit ? MIN (self->min_transit_us, transit) : transit;
    self->have_transit = TRUE;
  }

  if (kind == 'a')
    {
      guint8 echo[CC_CALL_HEADER];

      write_header (echo, 'e', sequence, send_us);
      nice_agent_send (self->agents[1], self->streams[1], 1, sizeof echo, (const char *) echo);
    }
}

static void
cc_call_check_start_stream (CcCallCheck *self)
{
  NiceCandidate *local = NULL, *remote = NULL;

  if (self->streaming)
    return;
  self->streaming = TRUE;

  if (nice_agent_get_selected_pair (self->agents[0], self->streams[0], 1, &local, &remote))
    {
      char local_ip[NICE_ADDRESS_STRING_LEN], remote_ip[NICE_ADDRESS_STRING_LEN];

      nice_address_to_string (&local->addr, local_ip);
      nice_address_to_string (&remote->addr, remote_ip);
      self->pair_type = g_strdup_printf ("%s:%u ↔ %s:%u", local_ip, nice_address_get_port (&local->addr),
                                         remote_ip, nice_address_get_port (&remote->addr));
    }

  self->stream_start_us = g_get_monotonic_time ();
  self->ticks_sent = 0;
  self->tick = cc_timeout_attach (CC_CALL_TICK_MS, cc_call_check_tick_cb, self,
                                  "[connection-check] call stream");
  /* The first tick at the start of the grid. */
  cc_call_check_tick_cb (self);
}

/* Judging: ICE gave up. When this device's own allocation on the same relay
 * and transport succeeded, the relay grants addresses and answers: what got
 * lost on the way were the connectivity checks, which a slow or lossy link
 * does (and a firewall that lets the allocation through would not stop).
 * That is a quality finding, with no error class; otherwise it stays a
 * protocol error. */
static void
cc_call_check_judge_ice_failed (CcCallCheck *self)
{
  g_autofree char *detail = NULL;

  if (self->allocation != NULL && cc_check_get_status (self->allocation) == CC_STATUS_PASS)
    {
      detail = g_strdup_printf (_("Both ends got a relay address over %s, but the connectivity checks between them were lost on the way: the link is too slow or loses too many packets for a call."),
                                transport_label (self->transport));
      cc_call_check_stop (self);
      cc_check_warn (CC_CHECK (self), CC_ERROR_NONE, detail);
      return;
    }

  detail = g_strdup_printf (_("Both ends got a relay address over %s, but ICE found no working path between them through the relay."),
                            transport_label (self->transport));
  cc_call_check_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
}

static void
cc_call_check_state_changed_cb (NiceAgent *agent,
                                guint      stream_id,
                                guint      component_id,
                                guint      state,
                                gpointer   user_data)
{
  CcCallCheck *self = user_data;
  guint index = agent == self->agents[0] ? 0 : 1;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (state == NICE_COMPONENT_STATE_FAILED)
    {
      cc_call_check_judge_ice_failed (self);
      return;
    }

  if (state == NICE_COMPONENT_STATE_READY)
    self->ready[index] = TRUE;

  if (self->ready[0] && self->ready[1])
    cc_call_check_start_stream (self);
}

static guint
count_relayed (NiceAgent *agent,
               guint      stream)
{
  GSList *candidates = nice_agent_get_local_candidates (agent, stream, 1);
  guint relayed = 0;

  for (GSList *l = candidates; l != NULL; l = l->next)
    if (((NiceCandidate *) l->data)->type == NICE_CANDIDATE_TYPE_RELAYED)
      relayed++;

  g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
  return relayed;
}

static void
exchange (CcCallCheck *self,
          guint        from,
          guint        to)
{
  g_autofree char *ufrag = NULL;
  g_autofree char *pwd = NULL;
  GSList *candidates;

  nice_agent_get_local_credentials (self->agents[from], self->streams[from], &ufrag, &pwd);
  nice_agent_set_remote_credentials (self->agents[to], self->streams[to], ufrag, pwd);
  candidates = nice_agent_get_local_candidates (self->agents[from], self->streams[from], 1);
  nice_agent_set_remote_candidates (self->agents[to], self->streams[to], 1, candidates);
  g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
}

static void
cc_call_check_gathering_done_cb (NiceAgent *agent,
                                 guint      stream_id,
                                 gpointer   user_data)
{
  CcCallCheck *self = user_data;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  self->gathered[agent == self->agents[0] ? 0 : 1] = TRUE;
  if (!self->gathered[0] || !self->gathered[1])
    return;

  if (count_relayed (self->agents[0], self->streams[0]) == 0 ||
      count_relayed (self->agents[1], self->streams[1]) == 0)
    {
      cc_call_check_fail_no_relay (self);
      return;
    }

  /* The bridge's one connection is made: nothing else may connect. */
  if (self->bridge_listener != NULL)
    {
      g_socket_listener_close (self->bridge_listener);
      g_clear_object (&self->bridge_listener);
    }

  exchange (self, 0, 1);
  exchange (self, 1, 0);
}

static void
cc_call_check_start_agents (CcCallCheck *self,
                            const char  *relay_ip,
                            guint16      relay_port,
                            NiceRelayType relay_type)
{
  GMainContext *context = g_main_context_get_thread_default ();

  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    {
      NiceAgent *agent = nice_agent_new_full (context, NICE_COMPATIBILITY_RFC5245, NICE_AGENT_OPTION_NONE);

      self->agents[i] = agent;
      g_object_set (agent,
                    "controlling-mode", i == 0,
                    "force-relay", TRUE,
                    "ice-udp", TRUE,
                    "ice-tcp", FALSE,
                    "upnp", FALSE,
                    /* libnice gives up an Allocate over TCP after 2 s
                     * (STUN_TIMER_DEFAULT_RELIABLE_TIMEOUT): less than a
                     * TLS relay behind a satellite link needs (TCP, TLS and
                     * the 401 are three round trips of 0.6 s before the
                     * allocation's own), and less than this check waits. */
                    "stun-reliable-timeout",
                    (guint) MAX ((gint64) STUN_TIMER_DEFAULT_RELIABLE_TIMEOUT,
                                 (gint64) cc_check_get_timeout_ms (CC_CHECK (self)) - CC_CALL_STREAM_MS
                                 - CC_CALL_RAMP_MS),
                    NULL);
      /* libnice leaves loopback out of its own list of local addresses. */
      if (g_str_has_prefix (relay_ip, "127.") || g_str_equal (relay_ip, "::1"))
        {
          NiceAddress local;

          nice_address_init (&local);
          if (nice_address_set_from_string (&local, relay_ip))
            nice_agent_add_local_address (agent, &local);
        }
      /* TURN over TCP through the HTTP proxy a browser would use (CONNECT). */
      if (self->proxy_ip != NULL && relay_type == NICE_RELAY_TYPE_TURN_TCP &&
          self->transport == CC_TRANSPORT_TCP)
        g_object_set (agent,
                      "proxy-type", NICE_PROXY_TYPE_HTTP,
                      "proxy-ip", self->proxy_ip,
                      "proxy-port", (guint) self->proxy_port,
                      "proxy-username", self->proxy_username,
                      "proxy-password", self->proxy_password,
                      NULL);
      self->streams[i] = nice_agent_add_stream (agent, 1);
      nice_agent_set_relay_info (agent, self->streams[i], 1, relay_ip, relay_port,
                                 self->username, self->credential, relay_type);
      nice_agent_attach_recv (agent, self->streams[i], 1, context, cc_call_check_recv_cb, self);
      g_signal_connect (agent, "candidate-gathering-done",
                        G_CALLBACK (cc_call_check_gathering_done_cb), self);
      g_signal_connect (agent, "component-state-changed",
                        G_CALLBACK (cc_call_check_state_changed_cb), self);
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->agents); i++)
    if (!nice_agent_gather_candidates (self->agents[i], self->streams[i]))
      {
        cc_call_check_fail (self, CC_ERROR_PROTOCOL_ERROR, _("The ICE agent could not start gathering candidates."));
        return;
      }
}

/* TURN over TLS: the bridge. The agent opens one TCP connection to the relay
 * per local address; each accepted one gets its own TLS connection. */

/* Bounds the connections a bridge accepts (local addresses × two agents). */
#define CC_CALL_BRIDGE_MAX 16

typedef struct
{
  CcCallCheck *self;
  GIOStream   *local;
} BridgeData;

static void
cc_call_check_bridge_handshake_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  BridgeData *data = user_data;
  g_autoptr(CcCallCheck) self = data->self;
  g_autoptr(GIOStream) local = data->local;
  GIOStream *tls = G_IO_STREAM (object);
  g_autoptr(GError) error = NULL;

  g_free (data);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (tls), result, &error))
    {
      g_autofree char *detail = NULL;

      if (cc_check_is_done (CC_CHECK (self)) || self->bridge_streams == NULL)
        return;
      detail = g_strdup_printf (_("The TLS connection to the relay failed: %s"), error->message);
      cc_call_check_fail (self, CC_ERROR_TLS_FAILURE, detail);
      return;
    }
  if (cc_check_is_done (CC_CHECK (self)) || self->bridge_streams == NULL)
    return;

  g_io_stream_splice_async (local, tls, G_IO_STREAM_SPLICE_NONE,
                            G_PRIORITY_DEFAULT, self->cancellable, NULL, NULL);
}

static void
cc_call_check_bridge_connect_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  BridgeData *data = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;
  CcCallCheck *self = data->self;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection != NULL && !cc_check_is_done (CC_CHECK (self)) && self->bridge_streams != NULL)
    {
      identity = g_network_address_new (self->host, self->port);
      tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
    }

  if (tls == NULL)
    {
      if (error != NULL && !cc_check_is_done (CC_CHECK (self)) && self->bridge_streams != NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("The TLS connection to the relay failed: %s"),
                                                     error->message);
          cc_call_check_fail (self, CC_ERROR_TLS_FAILURE, detail);
        }
      g_object_unref (data->self);
      g_object_unref (data->local);
      g_free (data);
      return;
    }

  /* Small packets go out at once, as they would over UDP. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (data->local)), IPPROTO_TCP,
                       TCP_NODELAY, 1, NULL);
  /* The profile's CA, as for every other TLS connection. */
  if (cc_check_get_tls_database (CC_CHECK (self)) != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), cc_check_get_tls_database (CC_CHECK (self)));
  g_ptr_array_add (self->bridge_streams, g_object_ref (tls));
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, self->cancellable,
                                    cc_call_check_bridge_handshake_cb, data);
}

static void
cc_call_check_bridge_accept_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(CcCallCheck) self = user_data;
  g_autoptr(GSocketConnection) local = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autofree char *uri = NULL;
  BridgeData *data;

  local = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, NULL);
  if (local == NULL || cc_check_is_done (CC_CHECK (self)) || self->bridge_listener == NULL)
    return;

  g_ptr_array_add (self->bridge_streams, g_object_ref (local));
  if (++self->bridge_accepted < CC_CALL_BRIDGE_MAX)
    g_socket_listener_accept_async (self->bridge_listener, self->cancellable,
                                    cc_call_check_bridge_accept_cb, g_object_ref (self));

  client = g_socket_client_new ();
  if (cc_check_get_proxy_resolver (CC_CHECK (self)) != NULL)
    g_socket_client_set_proxy_resolver (client, cc_check_get_proxy_resolver (CC_CHECK (self)));
  data = g_new0 (BridgeData, 1);
  data->self = g_object_ref (self);
  data->local = G_IO_STREAM (g_steal_pointer (&local));
  /* An https URI, so that the system's proxy settings for HTTPS apply; the
   * handshake is done here, with the profile's CA. */
  uri = cc_tcp_check_proxy_uri (self->host, self->port);
  g_socket_client_connect_to_uri_async (client, uri, self->port, self->cancellable,
                                        cc_call_check_bridge_connect_cb, data);
}

static void
cc_call_check_start_bridge (CcCallCheck *self)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  self->bridge_listener = g_socket_listener_new ();
  self->bridge_streams = g_ptr_array_new_with_free_func (g_object_unref);
  if (!g_socket_listener_add_address (self->bridge_listener, any, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error))
    {
      cc_call_check_fail (self, CC_ERROR_PROTOCOL_ERROR, error->message);
      return;
    }

  g_socket_listener_accept_async (self->bridge_listener, self->cancellable,
                                  cc_call_check_bridge_accept_cb, g_object_ref (self));
  cc_call_check_start_agents (self, "127.0.0.1",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                              NICE_RELAY_TYPE_TURN_TCP);
}

static void
cc_call_check_resolve_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CcCallCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses;
  GInetAddress *chosen;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  cc_check_set_resolving (CC_CHECK (self), FALSE);
  if (cc_check_is_done (CC_CHECK (self)))
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  if (addresses == NULL)
    {
      cc_check_fail_error (CC_CHECK (self), error);
      return;
    }

  /* libnice wants a numeric address; IPv4 first, as the relay checks do. */
  chosen = cc_pick_address (addresses);
  self->relay_ip = g_inet_address_to_string (chosen);
  cc_check_set_address (CC_CHECK (self), self->relay_ip);
  g_resolver_free_addresses (addresses);

  if (self->transport == CC_TRANSPORT_TLS)
    {
      cc_call_check_start_bridge (self);
      return;
    }

  cc_call_check_start_agents (self, self->relay_ip, self->port,
                              self->transport == CC_TRANSPORT_TCP ? NICE_RELAY_TYPE_TURN_TCP
                                                                  : NICE_RELAY_TYPE_TURN_UDP);
}

static void
cc_call_check_resolve_relay (CcCallCheck *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  cc_check_set_resolving (CC_CHECK (self), TRUE);
  g_resolver_lookup_by_name_async (resolver, self->host, self->cancellable,
                                   cc_call_check_resolve_cb, g_object_ref (self));
}

static void
cc_call_check_proxy_address_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(CcCallCheck) self = user_data;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, NULL);

  if (cc_check_is_done (CC_CHECK (self)))
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  if (addresses == NULL)
    {
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROXY_FAILURE, _("The proxy’s name does not resolve."));
      return;
    }
  self->proxy_ip = g_inet_address_to_string (addresses->data);
  g_resolver_free_addresses (addresses);
  cc_call_check_resolve_relay (self);
}

static void
cc_call_check_proxy_lookup_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(CcCallCheck) self = user_data;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, NULL);
  g_autoptr(GUri) uri = NULL;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  /* Only an HTTP proxy can carry the agent's TURN over TCP. */
  if (proxies != NULL && proxies[0] != NULL && g_str_has_prefix (proxies[0], "http://"))
    uri = g_uri_parse (proxies[0], G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      cc_call_check_resolve_relay (self);
      return;
    }

  /* A proxy that wants a login gets the one in its URL (libnice sends it as
   * Basic in its CONNECT). */
  if (g_uri_get_user (uri) != NULL)
    {
      self->proxy_username = g_uri_unescape_string (g_uri_get_user (uri), NULL);
      self->proxy_password = g_uri_get_password (uri) ? g_uri_unescape_string (g_uri_get_password (uri), NULL)
                                                     : g_strdup ("");
      cc_secrets_add (self->proxy_password);
    }

  self->proxy_port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 80;
  if (g_hostname_is_ip_address (g_uri_get_host (uri)))
    {
      self->proxy_ip = g_strdup (g_uri_get_host (uri));
      cc_call_check_resolve_relay (self);
      return;
    }

  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();

    g_resolver_lookup_by_name_async (resolver, g_uri_get_host (uri), self->cancellable,
                                     cc_call_check_proxy_address_cb, g_object_ref (self));
  }
}

static void
cc_call_check_start (CcCheck      *check,
                     GCancellable *cancellable)
{
  CcCallCheck *self = CC_CALL_CHECK (check);

  g_set_object (&self->cancellable, cancellable);
  self->started_us = g_get_monotonic_time ();

  if (self->transport == CC_TRANSPORT_TCP)
    {
      GProxyResolver *proxy = cc_check_get_proxy_resolver (check);
      g_autofree char *uri = cc_tcp_check_proxy_uri (self->host, self->port);

      g_proxy_resolver_lookup_async (proxy ? proxy : g_proxy_resolver_get_default (), uri,
                                     cancellable, cc_call_check_proxy_lookup_cb, g_object_ref (self));
      return;
    }

  cc_call_check_resolve_relay (self);
}

static void
cc_call_check_timed_out (CcCheck *check)
{
  CcCallCheck *self = CC_CALL_CHECK (check);
  g_autofree char *detail = NULL;

  /* Judging: a call whose packets arrive, only slowly, is measured with
   * what arrived, not called a timeout. */
  if (self->streaming && self->received > 0)
    {
      cc_call_check_finish (self);
      return;
    }
  if (self->streaming)
    detail = g_strdup_printf (_("The call through the relay over %s started but did not finish in time."),
                              transport_label (self->transport));
  else if (self->gathered[0] && self->gathered[1])
    detail = g_strdup_printf (_("ICE through the relay over %s did not complete in time."),
                              transport_label (self->transport));
  else
    {
      cc_call_check_fail_no_relay (self);
      return;
    }
  cc_call_check_fail (self, CC_ERROR_TIMEOUT, detail);
}

static void
cc_call_check_dispose (GObject *object)
{
  CcCallCheck *self = CC_CALL_CHECK (object);

  cc_call_check_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->allocation);

  G_OBJECT_CLASS (cc_call_check_parent_class)->dispose (object);
}

static void
cc_call_check_finalize (GObject *object)
{
  CcCallCheck *self = CC_CALL_CHECK (object);

  g_free (self->host);
  g_free (self->username);
  cc_secrets_clear (&self->credential);
  g_free (self->relay_ip);
  g_free (self->proxy_ip);
  g_free (self->proxy_username);
  cc_secrets_clear (&self->proxy_password);
  g_free (self->pair_type);
  g_free (self->seen);

  G_OBJECT_CLASS (cc_call_check_parent_class)->finalize (object);
}

static void
cc_call_check_class_init (CcCallCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->dispose = cc_call_check_dispose;
  object_class->finalize = cc_call_check_finalize;
  check_class->start = cc_call_check_start;
  check_class->timed_out = cc_call_check_timed_out;
  check_class->finished = cc_call_check_finished;

  g_type_ensure (NICE_TYPE_AGENT);
}

static void
cc_call_check_init (CcCallCheck *self)
{
  self->seen = g_new0 (guint8, CC_CALL_PACKETS_MAX);
  self->capacity_kbps = -1;
}

CcCheck *
cc_call_check_new (CcTransport  transport,
                   const char  *host,
                   guint16      port,
                   const char  *username,
                   const char  *credential)
{
  CcCallCheck *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (username != NULL && credential != NULL, NULL);

  self = g_object_new (CC_TYPE_CALL_CHECK, NULL);
  self->transport = transport;
  self->host = g_strdup (host);
  self->port = port;
  self->username = g_strdup (username);
  self->credential = g_strdup (credential);
  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_ICE_CALL);
  cc_check_set_target_host_port (CC_CHECK (self), host, port);
  cc_check_set_transport (CC_CHECK (self), cc_transport_to_string (transport));

  return CC_CHECK (self);
}

void
cc_call_check_set_allocation (CcCallCheck *self,
                              CcCheck     *allocation)
{
  g_return_if_fail (CC_IS_CALL_CHECK (self));
  g_return_if_fail (allocation == NULL || CC_IS_CHECK (allocation));

  g_set_object (&self->allocation, allocation);
}

void
cc_call_check_set_ramp (CcCallCheck *self,
                        gboolean     ramp)
{
  g_return_if_fail (CC_IS_CALL_CHECK (self));

  self->ramp = ramp;
}

double
cc_call_check_get_capacity_kbps (CcCheck *check)
{
  return CC_IS_CALL_CHECK (check) ? CC_CALL_CHECK (check)->capacity_kbps : -1;
}

double
cc_call_check_get_throughput_kbps (CcCheck *check)
{
  double capacity = cc_call_check_get_capacity_kbps (check);

  return capacity >= 0 ? capacity : cc_check_get_bitrate_kbps (check);
}
