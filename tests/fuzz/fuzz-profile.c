/* fuzz-profile.c: libFuzzer target for the profile parser
 * (cc_profile_new_from_data): any bytes give either a profile whose facts hold
 * together or an error naming the source, never a crash, a leak or undefined
 * behaviour. Seeds: tests/fuzz/corpus/profile/ (the real profiles).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-profile.h"
#include "fuzz-common.h"

#define SOURCE_NAME "fuzz.conf"

static void
check_profile (CcProfile *profile)
{
  GPtrArray *list;

  g_assert_nonnull (cc_profile_get_name (profile));
  g_assert_nonnull (cc_profile_get_title (profile));
  g_assert_nonnull (cc_profile_get_media_ports (profile));

  list = cc_profile_get_websockets (profile);
  for (guint i = 0; i < list->len; i++)
    {
      CcProfileWebsocket *ws = list->pdata[i];

      g_assert_nonnull (ws->url);
      g_assert_nonnull (ws->host);
      g_assert_cmpuint (ws->port, >, 0);
    }

  list = cc_profile_get_turn_servers (profile);
  for (guint i = 0; i < list->len; i++)
    {
      CcProfileTurn *turn = list->pdata[i];

      g_assert_nonnull (turn->host);
      g_assert_cmpuint (turn->port, >, 0);
      g_assert_cmpuint (turn->tls_port, >, 0);
      g_assert_cmpuint (turn->transports, !=, 0);
    }

  list = cc_profile_get_stun_servers (profile);
  for (guint i = 0; i < list->len; i++)
    {
      CcProfileStun *stun = list->pdata[i];

      g_assert_nonnull (stun->host);
      g_assert_cmpuint (stun->port, >, 0);
      g_assert_cmpuint (stun->burst_count, >, 0);
      g_assert_cmpuint (stun->burst_interval_ms, >, 0);
    }

  list = cc_profile_get_domains (profile);
  for (guint i = 0; i < list->len; i++)
    {
      CcProfileDomain *domain = list->pdata[i];

      g_assert_nonnull (domain->pattern);
      g_assert_nonnull (domain->hosts);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CcProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  /* No base directory: a relative ca-file is looked up (and not found) in the
   * working directory, as for a profile given on the command line. */
  profile = cc_profile_new_from_data ((const char *) data, size, SOURCE_NAME, NULL, &error);

  if (profile != NULL)
    {
      g_assert_null (error);
      check_profile (profile);
    }
  else
    {
      g_assert_error (error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, SOURCE_NAME));
    }

  return 0;
}
