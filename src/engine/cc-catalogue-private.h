/* cc-catalogue-private.h: what one requirement is, as one entry (for the
 * engine only). An entry says how the requirement gets its checks from the
 * profile, what its failure means for a call, what IT has to allow, what it
 * says when it passes, and how it weighs in the verdict. Each entry lives in
 * its own file, cc-catalogue-<id>.c; cc-catalogue.c lists them in the
 * checklist's order and holds what several entries share. The runner
 * (cc-runner.c) and the diagnosis (cc-diagnosis.c) are generic: they ask the
 * entry, never compare kinds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-catalogue.h"
#include "cc-check.h"
#include "cc-ice-servers.h"
#include "cc-profile.h"
#include "cc-requirement.h"

G_BEGIN_DECLS

/* How a requirement weighs in the verdict (DESIGN.md, "Verdict"). */
typedef enum
{
  CC_WEIGHT_NONE       = 0,
  /* Its failure alone blocks calls; a warning degrades them. */
  CC_WEIGHT_BLOCKS     = 1 << 0,
  /* One of the paths audio and video can take: calls are blocked when every
   * such path fails. */
  CC_WEIGHT_MEDIA_PATH = 1 << 1,
  /* Its failure or warning degrades calls. */
  CC_WEIGHT_DEGRADES   = 1 << 2,
} CcWeight;

typedef struct _CcCatalogueBuild CcCatalogueBuild;

/* What an entry's build function gets: the run's profile and settings, and
 * the runner's way of adding a check. */
struct _CcCatalogueBuild
{
  CcProfile  *profile;
  GPtrArray  *ice_servers;   /* CcIceServer, or NULL */
  guint       hold_seconds;
  /* Adds @check (taking it) to @kind's requirement, with @extra_ms on top of
   * the per-check timeout (a burst's sending time, a WebSocket's hold). */
  void      (*add)          (CcCatalogueBuild  *build,
                             CcRequirementKind  kind,
                             CcCheck           *check,
                             CcCheckRole        role,
                             guint              extra_ms);
  gpointer    runner;
  /* TURN allocation checks made so far, by "transport host port": the test
   * calls of later entries point at them (cc_catalogue_add_call ()). */
  GHashTable *allocations;
};

typedef struct
{
  CcRequirementKind  kind;
  /* The JSON report's id (DESIGN.md), and the translatable title. */
  const char        *id;
  const char        *title;
  CcWeight           weight;
  /* Where several requirements could be the verdict's reason, the lowest rank
   * is named. */
  guint              reason_rank;
  /* Its paths are UDP: a web proxy cannot carry them. */
  gboolean           udp;

  void        (*build)        (CcCatalogueBuild *build);
  /* What a failure (or warning) means for a call; translated. */
  const char *(*impact)       (CcRequirement    *req,
                               CcStatus          status);
  /* The one-line summary of a pass. */
  char       *(*pass_summary) (CcRequirement    *req);
  /* The sentence asking IT, and the line of the request for IT
   * (cc_diagnosis_it_allow ()); NULL when there is nothing to allow. */
  char       *(*it_request)   (CcRequirement    *req,
                               CcProfile        *profile);
  char       *(*it_allow)     (CcRequirement    *req,
                               CcProfile        *profile);

  /* Optional. Judges the requirement before the general rules do (it may
   * change @status); returns FALSE to leave it to them. */
  gboolean    (*judge)        (CcRequirement    *req,
                               CcStatus         *status,
                               char            **summary,
                               char            **hint);
  /* Optional. The hint of a warning or failure where the general one (impact,
   * cause, request for IT) would name the wrong remedy; NULL for that one. */
  char       *(*problem_hint) (CcRequirement    *req,
                               CcStatus          status,
                               CcCheck          *primary);
  /* Optional. A hint for a pass (what was not tested); NULL for none. */
  char       *(*pass_hint)    (CcRequirement    *req,
                               CcProfile        *profile);
} CcCatalogueEntry;

extern const CcCatalogueEntry cc_catalogue_internet;
extern const CcCatalogueEntry cc_catalogue_signaling;
extern const CcCatalogueEntry cc_catalogue_turn_udp;
extern const CcCatalogueEntry cc_catalogue_turn_tcp;
extern const CcCatalogueEntry cc_catalogue_media_udp;
extern const CcCatalogueEntry cc_catalogue_domains;
extern const CcCatalogueEntry cc_catalogue_https_inspection;

const CcCatalogueEntry *cc_catalogue_get_entry (CcRequirementKind kind);

/* For the entries' build functions. */
CcCheck     *cc_catalogue_dns_check         (CcCatalogueBuild *build,
                                             const char       *host);
/* A TURN allocation check, with the login from --ice-servers where one is given. */
CcCheck     *cc_catalogue_allocate_check    (CcCatalogueBuild *build,
                                             const char       *host,
                                             guint16           port,
                                             CcTransport       transport);
/* With a login, a short call through the relay over @transport, added to
 * @kind; its allocation check says why when the relay gives no address. */
void         cc_catalogue_add_call          (CcCatalogueBuild  *build,
                                             CcRequirementKind  kind,
                                             const char        *host,
                                             guint16            port,
                                             CcTransport        transport);
void         cc_catalogue_add_burst         (CcCatalogueBuild  *build,
                                             CcRequirementKind  kind,
                                             CcCheckRole        role,
                                             const char        *host,
                                             guint16            port,
                                             CcTransport        transport,
                                             guint              count,
                                             guint              interval_ms);

/* For the entries' words: comma-separated lists from the profile. */
char        *cc_catalogue_domains_with_role (CcProfile        *profile,
                                             CcDomainRole      role);
char        *cc_catalogue_turn_hosts        (CcProfile        *profile,
                                             CcTransport       transports);
char        *cc_catalogue_turn_ports        (CcProfile        *profile,
                                             CcTransport       transports);
char        *cc_catalogue_websocket_hosts   (CcProfile        *profile);
char        *cc_catalogue_websocket_ports   (CcProfile        *profile);
char        *cc_catalogue_stun_hosts        (CcProfile        *profile);
/* Adds @item (not copied) to @list unless it is there; joins with ", ". */
void         cc_catalogue_list_add          (GPtrArray        *list,
                                             const char       *item);
char        *cc_catalogue_list_join         (GPtrArray        *list);
/* "host, host and the domains *.a, *.b" — or only the one that is not empty. */
char        *cc_catalogue_hosts_and_domains (const char       *hosts,
                                             const char       *domains);

G_END_DECLS
