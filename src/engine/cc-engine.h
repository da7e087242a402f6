/* cc-engine.h: the engine's umbrella header, for the CLI, the GUI and the tests.
 * The engine never includes GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-diagnosis.h"
#include "cc-dns-check.h"
#include "cc-error.h"
#include "cc-history.h"
#include "cc-history-entry.h"
#include "cc-https-check.h"
#include "cc-ice-servers.h"
#include "cc-network-check.h"
#include "cc-note-check.h"
#include "cc-profile.h"
#include "cc-report.h"
#include "cc-requirement.h"
#include "cc-resolver.h"
#include "cc-run-options.h"
#include "cc-runner.h"
#include "cc-secrets.h"
#include "cc-stun-check.h"
#include "cc-tcp-check.h"
#include "cc-tls-check.h"
#include "cc-tls-database.h"
#include "cc-tls-roots.h"
#include "cc-websocket-check.h"
