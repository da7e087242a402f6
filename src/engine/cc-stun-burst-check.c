/* cc-stun-burst-check.c: STUN Binding requests at a fixed pace, like a call's
 * audio packets, each sent once; the answers give round-trip time, RFC 3550
 * jitter and loss. The burst plans itself inside the check's time limit and
 * ends with its numbers before the deadline; reaching the server must still fit
 * the ordinary per-check limit. Once some requests have been answered, an ICMP
 * error or the server closing the stream only ends the burst early: the rest
 * counts as lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <stun/usages/bind.h>

#include "cc-stun-burst-check.h"
#include "cc-util.h"

/* A libnice StunAgent remembers this many outstanding transactions. */
#define BURST_PER_AGENT        STUN_AGENT_MAX_SAVED_IDS
/* After the last burst request, late answers still count for twice the
 * longest round trip answered so far, at least BURST_GRACE_MIN_MS (a late
 * packet on a fast path, as a call's jitter buffer would still take it) and at
 * most BURST_GRACE_MS (a round trip longer than this makes a call unusable
 * anyway; also the wait when nothing has been answered yet). Like the test
 * call's drain: on a lossy path the requests that were lost are not waited
 * for a whole second. */
#define BURST_GRACE_MS         1000
#define BURST_GRACE_MIN_MS     500
#define BURST_GRACE_RTT_FACTOR 2
/* The burst ends itself this long before the check's deadline, so it reports
 * its numbers rather than racing the base class's timeout. */
#define BURST_DEADLINE_MARGIN_MS 50
/* The least time a burst gets to reach its server, whatever the limit. */
#define BURST_MIN_CONNECT_MS 500

typedef struct
{
  gint64 sent_us;
  double rtt_ms;          /* < 0 until answered */
} BurstSlot;

struct _CcStunBurstCheck
{
  CcStunCheck  parent_instance;

  guint        count;
  guint        interval_ms;

  gint64       started_us;
  GPtrArray   *agents;
  GHashTable  *ids;              /* transaction id (GBytes) → slot index + 1 */
  GArray      *slots;            /* BurstSlot */
  GSource     *timer;
  GSource     *connect_deadline; /* reaching the server must fit the plain limit */
  guint        received;
  double       max_rtt_ms;       /* the longest round trip answered */
  gint64       start_us;
  gint64       send_until_us;
  gint64       end_us;
  gboolean     waiting;          /* all sent, waiting for stragglers */
};

G_DEFINE_FINAL_TYPE (CcStunBurstCheck, cc_stun_burst_check, CC_TYPE_STUN_CHECK)

static void
cc_stun_burst_check_conclude (CcStunBurstCheck *self)
{
  CcStunCheck *check = CC_STUN_CHECK (self);
  guint sent = self->slots->len;
  double sum = 0, jitter = 0, previous = -1, loss, mean;
  g_autofree char *detail = NULL;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (self->received == 0)
    {
      CcStunChannel *channel = cc_stun_check_get_channel (check);

      detail = g_strdup_printf (_("None of %u packets sent over %s port %u got an answer."),
                                sent, cc_stun_check_get_path_words (check), cc_stun_check_get_port (check));
      cc_check_fail (CC_CHECK (self),
                     cc_stun_channel_got_garbage (channel) ? CC_ERROR_PROTOCOL_ERROR : CC_ERROR_TIMEOUT,
                     detail);
      return;
    }

  for (guint i = 0; i < sent; i++)
    {
      BurstSlot *slot = &g_array_index (self->slots, BurstSlot, i);

      if (slot->rtt_ms < 0)
        continue;
      sum += slot->rtt_ms;
      /* RFC 3550 §6.4.1: J += (|D(i-1,i)| - J) / 16, D being the difference in
       * transit time, which for round trips is the difference of RTTs. */
      if (previous >= 0)
        jitter += (fabs (slot->rtt_ms - previous) - jitter) / 16.0;
      previous = slot->rtt_ms;
    }

  mean = sum / self->received;
  loss = 100.0 * (sent - self->received) / sent;
  cc_check_set_metrics (CC_CHECK (self), mean, jitter, loss);
  detail = g_strdup_printf (_("%u of %u packets answered over %s port %u: %.1f %% loss, round trip %.1f ms, jitter %.1f ms."),
                            self->received, sent, cc_stun_check_get_path_words (check),
                            cc_stun_check_get_port (check), loss, mean, jitter);
  cc_check_pass (CC_CHECK (self), detail);
}

static gboolean
cc_stun_burst_check_grace_cb (gpointer user_data)
{
  g_autoptr(CcStunBurstCheck) self = g_object_ref (user_data);

  g_clear_pointer (&self->timer, g_source_unref);
  cc_stun_burst_check_conclude (self);
  return G_SOURCE_REMOVE;
}

static void
cc_stun_burst_check_schedule (CcStunBurstCheck *self,
                              gint64            at_us,
                              GSourceFunc       func)
{
  gint64 delay_us = MAX (0, at_us - g_get_monotonic_time ());

  cc_source_clear (&self->timer);
  self->timer = cc_timeout_attach ((delay_us + 999) / 1000, func, self,
                                   "[connection-check] STUN burst");
}

/* Sends request number slots->len, then plans the next one (on the schedule
 * start + i × interval, so timer lateness does not add up) or the wait for
 * stragglers. */
static gboolean
cc_stun_burst_check_send_cb (gpointer user_data)
{
  /* A failed send may end the check, and its owner drop it. */
  g_autoptr(CcStunBurstCheck) self = g_object_ref (user_data);
  guint index = self->slots->len;
  guint8 request[CC_STUN_BUFFER_SIZE];
  StunAgent *agent;
  StunMessage msg;
  StunTransactionId id;
  BurstSlot slot = { 0, -1 };
  gint64 next_us, now;
  gsize len;

  g_clear_pointer (&self->timer, g_source_unref);

  if (index % BURST_PER_AGENT == 0)
    {
      agent = g_new0 (StunAgent, 1);
      stun_agent_init (agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389, 0);
      g_ptr_array_add (self->agents, agent);
    }
  agent = self->agents->pdata[index / BURST_PER_AGENT];

  len = stun_usage_bind_create (agent, &msg, request, sizeof request);
  g_assert (len > 0);

  stun_message_id (&msg, id);
  g_hash_table_insert (self->ids, g_bytes_new (id, sizeof id), GUINT_TO_POINTER (index + 1));
  slot.sent_us = g_get_monotonic_time ();
  g_array_append_val (self->slots, slot);
  cc_stun_channel_send (cc_stun_check_get_channel (CC_STUN_CHECK (self)), request, len);

  if (cc_check_is_done (CC_CHECK (self)))
    return G_SOURCE_REMOVE;

  now = g_get_monotonic_time ();
  next_us = self->start_us + (gint64) (index + 1) * self->interval_ms * 1000;
  if (index + 1 < self->count && next_us <= self->send_until_us)
    cc_stun_burst_check_schedule (self, next_us, cc_stun_burst_check_send_cb);
  else if (self->received == self->slots->len)
    cc_stun_burst_check_conclude (self);
  else
    {
      gint64 grace_ms = self->received == 0
                        ? BURST_GRACE_MS
                        : CLAMP ((gint64) ceil (BURST_GRACE_RTT_FACTOR * self->max_rtt_ms),
                                 BURST_GRACE_MIN_MS, BURST_GRACE_MS);

      self->waiting = TRUE;
      cc_stun_burst_check_schedule (self, MIN (now + grace_ms * 1000, self->end_us),
                                    cc_stun_burst_check_grace_cb);
    }

  return G_SOURCE_REMOVE;
}

/* Plans the burst inside the time left: the last send leaves a wait for
 * stragglers of BURST_GRACE_MS, or half of the time left if that is shorter,
 * and everything ends before the base class's deadline. */
static void
cc_stun_burst_check_begin (CcStunCheck *check)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (check);
  gint64 now = g_get_monotonic_time ();
  gint64 limit_ms = (gint64) cc_check_get_timeout_ms (CC_CHECK (self)) - BURST_DEADLINE_MARGIN_MS;
  gint64 available;

  cc_source_clear (&self->connect_deadline);
  self->start_us = now;
  self->end_us = MAX (now, self->started_us + limit_ms * 1000);
  available = self->end_us - now;
  self->send_until_us = self->end_us - MIN (BURST_GRACE_MS * 1000, available / 2);

  cc_stun_burst_check_send_cb (self);
}

static void
cc_stun_burst_check_message (CcStunCheck  *check,
                             const guint8 *data,
                             gsize         length,
                             gint64        received_us)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (check);
  g_autoptr(GBytes) key = NULL;
  g_auto(CcStunReply) reply = { 0, };
  gpointer value;
  guint index;
  BurstSlot *slot;

  key = g_bytes_new (data + STUN_MESSAGE_TRANS_ID_POS, sizeof (StunTransactionId));
  if (!g_hash_table_lookup_extended (self->ids, key, NULL, &value))
    return;

  index = GPOINTER_TO_UINT (value) - 1;
  if (cc_stun_parse_reply (self->agents->pdata[index / BURST_PER_AGENT], CC_STUN_USAGE_BURST,
                           data, length, &reply) != CC_STUN_REPLY_SUCCESS)
    return;

  cc_stun_check_note_stun (check);
  slot = &g_array_index (self->slots, BurstSlot, index);
  if (slot->rtt_ms < 0)
    {
      slot->rtt_ms = MAX (0, received_us - slot->sent_us) / 1000.0;
      self->max_rtt_ms = MAX (self->max_rtt_ms, slot->rtt_ms);
      self->received++;
    }

  /* Every request sent and answered: nothing left to wait for. */
  if (self->waiting && self->received == self->slots->len)
    cc_stun_burst_check_conclude (self);
}

static void
cc_stun_burst_check_channel_failed (CcStunCheck  *check,
                                    const GError *error)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (check);

  if (self->received > 0)
    {
      /* An ICMP error after answers: the rest is counted as lost. */
      if (cc_stun_check_get_transport_kind (check) == CC_TRANSPORT_UDP)
        return;
      if (g_error_matches (error, CC_ERROR, CC_ERROR_CONNECTION_CUT))
        {
          cc_stun_burst_check_conclude (self);
          return;
        }
    }

  CC_STUN_CHECK_CLASS (cc_stun_burst_check_parent_class)->channel_failed (check, error);
}

static gboolean
cc_stun_burst_check_connect_deadline_cb (gpointer user_data)
{
  CcStunBurstCheck *self = user_data;

  /* (The burst's start clears this deadline: it fires only before it.) */
  g_clear_pointer (&self->connect_deadline, g_source_unref);
  cc_check_expire (CC_CHECK (self));
  return G_SOURCE_REMOVE;
}

static void
cc_stun_burst_check_start (CcCheck      *check,
                           GCancellable *cancellable)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (check);
  gint64 connect_ms;

  self->started_us = g_get_monotonic_time ();

  /* A burst's time limit includes its sending time; reaching the server must
   * still fit the ordinary per-check limit, or a path that drops everything
   * would take the whole burst's time to be reported. */
  connect_ms = (gint64) cc_check_get_timeout_ms (check)
               - (gint64) self->count * self->interval_ms - BURST_GRACE_MS;
  self->connect_deadline = cc_timeout_attach (MAX (connect_ms, BURST_MIN_CONNECT_MS),
                                              cc_stun_burst_check_connect_deadline_cb, self,
                                              "[connection-check] burst connect deadline");

  CC_CHECK_CLASS (cc_stun_burst_check_parent_class)->start (check, cancellable);
}

static void
cc_stun_burst_check_timed_out (CcCheck *check)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (check);

  if (self->received > 0)
    cc_stun_burst_check_conclude (self);
  else
    cc_stun_check_fail_unanswered (CC_STUN_CHECK (self), self->slots->len);
}

static void
cc_stun_burst_check_finished (CcCheck *check)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (check);

  cc_source_clear (&self->timer);
  cc_source_clear (&self->connect_deadline);

  CC_CHECK_CLASS (cc_stun_burst_check_parent_class)->finished (check);
}

static void
cc_stun_burst_check_dispose (GObject *object)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (object);

  cc_source_clear (&self->timer);
  cc_source_clear (&self->connect_deadline);

  G_OBJECT_CLASS (cc_stun_burst_check_parent_class)->dispose (object);
}

static void
cc_stun_burst_check_finalize (GObject *object)
{
  CcStunBurstCheck *self = CC_STUN_BURST_CHECK (object);

  g_ptr_array_unref (self->agents);
  g_hash_table_unref (self->ids);
  g_array_unref (self->slots);

  G_OBJECT_CLASS (cc_stun_burst_check_parent_class)->finalize (object);
}

static void
cc_stun_burst_check_class_init (CcStunBurstCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);
  CcStunCheckClass *stun_class = CC_STUN_CHECK_CLASS (klass);

  object_class->dispose = cc_stun_burst_check_dispose;
  object_class->finalize = cc_stun_burst_check_finalize;
  check_class->start = cc_stun_burst_check_start;
  check_class->timed_out = cc_stun_burst_check_timed_out;
  check_class->finished = cc_stun_burst_check_finished;
  stun_class->begin = cc_stun_burst_check_begin;
  stun_class->message = cc_stun_burst_check_message;
  stun_class->channel_failed = cc_stun_burst_check_channel_failed;
}

static void
cc_stun_burst_check_init (CcStunBurstCheck *self)
{
  self->agents = g_ptr_array_new_with_free_func (g_free);
  self->ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  self->slots = g_array_new (FALSE, FALSE, sizeof (BurstSlot));
  self->count = 100;
  self->interval_ms = 10;
}

void
cc_stun_burst_check_set_burst (CcStunBurstCheck *self,
                               guint             count,
                               guint             interval_ms)
{
  g_return_if_fail (CC_IS_STUN_BURST_CHECK (self));
  g_return_if_fail (count > 0 && interval_ms > 0);

  self->count = count;
  self->interval_ms = interval_ms;
}
