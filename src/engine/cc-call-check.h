/* cc-call-check.h: a short call between two ICE agents (libnice) of this app
 * that may only use relay candidates of one TURN server, over one transport:
 * after ICE completes, a stream shaped like a call's audio and video flows for a
 * few seconds, and round trip, jitter, loss and the bitrate that got through are
 * measured; the first call that gets through then ramps up briefly to find what
 * the path carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-profile.h"

G_BEGIN_DECLS

/* How long the call-shaped stream flows. */
#define CC_CALL_STREAM_MS 3000

/* The ramp (a call given cc_call_check_set_ramp()): after the stream, when
 * it got through cleanly, the call offers more for CC_CALL_RAMP_STEPS steps
 * of CC_CALL_RAMP_STEP_MS (see cc-call-check.c) to find whether the path
 * carries what a video call needs, with room to spare. */
#define CC_CALL_RAMP_STEPS    2
#define CC_CALL_RAMP_STEP_MS  500
#define CC_CALL_RAMP_MS       (CC_CALL_RAMP_STEPS * CC_CALL_RAMP_STEP_MS)

/* What a call needs to get through. Video: Whereby's own bandwidth test
 * (BandwidthTester in Whereby's browser SDK, the `whereby-sfu#bw-test-v1`
 * session) warns when the SFU sees less than 1.5 Mbit/s of available bitrate
 * or more than 3 % loss either way. Audio only: the test call's own audio
 * stream, Opus at 64 kbit/s with its packets (RFC 7587 §3.1.1 recommends
 * 28-40 kbit/s for fullband speech, less for narrower bands). */
#define CC_VIDEO_NEEDS_KBPS 1500.0
#define CC_AUDIO_NEEDS_KBPS   64.0

#define CC_TYPE_CALL_CHECK (cc_call_check_get_type ())
G_DECLARE_FINAL_TYPE (CcCallCheck, cc_call_check, CC, CALL_CHECK, CcCheck)

CcCheck *cc_call_check_new (CcTransport  transport,
                            const char  *host,
                            guint16      port,
                            const char  *username,
                            const char  *credential);

/* The TURN Allocate check of the same relay and transport: when the relay
 * gives the call no address, its error class and detail say why (libnice does
 * not tell). */
void     cc_call_check_set_allocation (CcCallCheck *self,
                                       CcCheck     *allocation);

/* Whether the call ramps up after its stream (the first call of a run that
 * gets through: the transport a browser would use). */
void     cc_call_check_set_ramp (CcCallCheck *self,
                                 gboolean     ramp);
/* What the ramp found the path to carry, in kbit/s; -1 when no ramp ran (not
 * asked for, or the stream itself already lost packets: then the bitrate the
 * stream got through is the measure). */
double   cc_call_check_get_capacity_kbps (CcCheck *check);
/* What the call got through: the ramp's capacity where measured, else the
 * stream's bitrate; -1 when neither was measured. */
double   cc_call_check_get_throughput_kbps (CcCheck *check);

/* How many test calls' agents are still releasing their relay allocations. */
guint    cc_call_check_get_agents_closing (void);

G_END_DECLS
