/* cc-network-check.h: the preflight. Is there a network at all (GNetworkMonitor,
 * a default route), does it look like a captive portal, and which proxy would a
 * browser use for the signaling server (GProxyResolver)?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

#define CC_TYPE_NETWORK_CHECK (cc_network_check_get_type ())
G_DECLARE_FINAL_TYPE (CcNetworkCheck, cc_network_check, CC, NETWORK_CHECK, CcCheck)

/* @probe_url: the URL whose proxy is looked up (the signaling server's https:// URL). */
CcCheck    *cc_network_check_new              (const char     *probe_url);
/* "full", "limited", "portal", "local" or "none"; valid once the check ended. */
const char *cc_network_check_get_connectivity (CcNetworkCheck *self);
/* "none" or the proxy URI a connection would use (without credentials). */
const char *cc_network_check_get_proxy        (CcNetworkCheck *self);

/* After the run: every other check says nothing got out, whatever the system
 * claimed. Fails the check (`unreachable`) and reports connectivity "none". */
void        cc_network_check_note_offline     (CcNetworkCheck *self);

G_END_DECLS
