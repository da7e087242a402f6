/* cc-stun-check-private.h: what the STUN usages (binding, TURN allocate, burst)
 * share through their base class, CcStunCheck: the class structure with the
 * hooks a usage fills in, its channel to the server (cc-stun-channel.h), and
 * the verdicts and wording all usages give alike. For the usages' files only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check-private.h"
#include "cc-stun-channel.h"
#include "cc-stun-check.h"
#include "cc-stun-parse.h"

G_BEGIN_DECLS

struct _CcStunCheckClass
{
  CcCheckClass parent_class;

  /* The channel is open: send the first request(s). */
  void (*begin)          (CcStunCheck  *self);
  /* One whole STUN message from the server, while the check runs. */
  void (*message)        (CcStunCheck  *self,
                          const guint8 *data,
                          gsize         length,
                          gint64        received_us);
  /* The open channel failed (CcStunChannelErrorFunc). The default ends the
   * check with @error. */
  void (*channel_failed) (CcStunCheck  *self,
                          const GError *error);
};

CcStunChannel *cc_stun_check_get_channel        (CcStunCheck  *self);
CcTransport    cc_stun_check_get_transport_kind (CcStunCheck  *self);
guint16        cc_stun_check_get_port           (CcStunCheck  *self);
/* "UDP", "TCP" or "TLS", for the details. */
const char    *cc_stun_check_get_path_words     (CcStunCheck  *self);

/* Reads @data as the answer to @agent's request for @usage. An answer to none
 * of our requests (a late answer to a retransmission, bad integrity, a broken
 * FINGERPRINT) is remembered for the deadline and gives FALSE; any other STUN
 * ends the retransmissions and gives TRUE, with @reply filled in. */
gboolean       cc_stun_check_take_answer        (CcStunCheck  *self,
                                                 StunAgent    *agent,
                                                 CcStunUsage   usage,
                                                 const guint8 *data,
                                                 gsize         length,
                                                 CcStunReply  *reply);
/* A usage that reads the answers itself says that one was STUN for us. */
void           cc_stun_check_note_stun          (CcStunCheck  *self);
/* The round trip of the current transaction, answered at @received_us. */
double         cc_stun_check_transaction_rtt    (CcStunCheck  *self,
                                                 gint64        received_us);
/* Takes @detail; adds, when the request was sent more than once, that its
 * round trip is only an upper bound. */
char          *cc_stun_check_note_retransmission (CcStunCheck *self,
                                                  char        *detail);
/* The verdict at the deadline with @sent requests unanswered: something that
 * is not STUN, STUN for others, or nothing came back. */
void           cc_stun_check_fail_unanswered    (CcStunCheck  *self,
                                                 guint         sent);

G_END_DECLS
