/* cc-resolver.h: the run's name resolver (README "Name lookups").
 *
 * A GResolver, so that libsoup and GSocketClient, which resolve through
 * g_resolver_get_default(), use it too: while a run is under way the runner
 * installs it as the default. It asks the nameservers of /etc/resolv.conf
 * itself, A and AAAA as separate UDP queries, and retransmits a query that got
 * no answer after a second (glibc waits five); it resolves each name once per
 * run, and every lookup of that name in the run gets the same addresses or the
 * same error. What it does not handle itself (names in /etc/hosts, single-label
 * names, truncated answers, a resolv.conf without nameservers, reverse and record
 * lookups) goes to the resolver that was the default before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CC_TYPE_RESOLVER (cc_resolver_get_type ())
G_DECLARE_FINAL_TYPE (CcResolver, cc_resolver, CC, RESOLVER, GResolver)

/* The one every run of this process uses unless told otherwise: reads
 * /etc/resolv.conf and /etc/hosts when a run begins. */
CcResolver  *cc_resolver_get_for_runs           (void);

/* @resolv_conf, @hosts: files in their usual format (NULL: the system's).
 * @fallback: what answers what this resolver leaves to the system (NULL: the
 * default resolver of the moment the first run begins). */
CcResolver  *cc_resolver_new                    (const char          *resolv_conf,
                                                 const char          *hosts,
                                                 GResolver           *fallback);
/* For tests: asks only @nameservers ("127.0.0.1:5353", "[::1]:53", "192.0.2.1"),
 * and no hosts file. */
CcResolver  *cc_resolver_new_for_nameservers    (const char * const  *nameservers,
                                                 GResolver           *fallback);

/* A run's scope. The first begin reads the configuration afresh, forgets earlier
 * answers and makes this the default resolver; the last end forgets the answers,
 * stops what is still asked and restores the previous default. Runs that overlap
 * share one scope (and so one answer per name). */
void         cc_resolver_begin_run              (CcResolver          *self);
void         cc_resolver_end_run                (CcResolver          *self);

/* Ask for AAAA records in lookups of both families even when this host has no
 * route to IPv6 (by default it asks only when it has one, as getaddrinfo()'s
 * AI_ADDRCONFIG does): for tests on loopback. */
void         cc_resolver_set_always_query_aaaa  (CcResolver          *self,
                                                 gboolean             always);

/* Datagrams sent so far (every query and retransmission): for tests. */
guint        cc_resolver_get_queries_sent       (CcResolver          *self);

G_END_DECLS
