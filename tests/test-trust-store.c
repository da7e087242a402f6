/* test-trust-store.c: the system's trust store is parsed once per process, not
 * once per TLS connection (issue #13: with glib-networking 2.74 every
 * connection whose database is GnuTLS's own parses the ~140 system roots again,
 * and a run of the built-in profile peaked at 82 MB).
 *
 * Counted where the parsing happens: this program defines GnuTLS's
 * gnutls_x509_trust_list_add_system_trust(), so glib-networking's calls land
 * here first (the executable's symbols come before the libraries' in the
 * dynamic linker's search), and passes them on to the real one. Two whole runs
 * against the lab, one with the profile's CA file and one with the system store
 * alone (as the built-in profile runs), must parse it exactly once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-test-util.h"

/* A whole run ends within this, or the test fails as a hang. */
#define RUN_LIMIT_US (30 * G_USEC_PER_SEC)

static gint system_trust_loads;

/* Declared here, not from <gnutls/gnutls.h>: the test does not link GnuTLS. */
int gnutls_x509_trust_list_add_system_trust (void         *list,
                                             unsigned int  tl_flags,
                                             unsigned int  tl_vflags);

int
gnutls_x509_trust_list_add_system_trust (void         *list,
                                         unsigned int  tl_flags,
                                         unsigned int  tl_vflags)
{
  static int (*real) (void *, unsigned int, unsigned int);

  if (real == NULL)
    real = (int (*) (void *, unsigned int, unsigned int)) dlsym (RTLD_NEXT, "gnutls_x509_trust_list_add_system_trust");
  g_assert_nonnull (real);

  g_atomic_int_inc (&system_trust_loads);
  return real (list, tl_flags, tl_vflags);
}

/* How many TLS handshakes of @runner's run passed, and how many found the
 * certificate untrusted: evidence that connections were made at all. */
static void
count_tls (CcRunner *runner,
           guint    *passed,
           guint    *untrusted)
{
  g_autoptr(GPtrArray) checks = cc_test_runner_checks (runner);

  *passed = *untrusted = 0;
  for (guint i = 0; i < checks->len; i++)
    {
      CcCheck *check = checks->pdata[i];

      if (cc_check_get_tls_root (check) == NULL && cc_check_get_error (check) != CC_ERROR_TLS_UNTRUSTED)
        continue;
      if (cc_check_get_status (check) == CC_STATUS_PASS)
        (*passed)++;
      else if (cc_check_get_error (check) == CC_ERROR_TLS_UNTRUSTED)
        (*untrusted)++;
    }
}

static CcRunner *
run_profile (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = cc_profile_new_from_file (path, &error);
  g_autoptr(CcRunner) runner = NULL;
  CcTestRun wait = { 0 };
  gint64 limit = g_get_monotonic_time () + RUN_LIMIT_US;

  g_assert_no_error (error);
  runner = cc_runner_new (profile);
  cc_runner_set_timeout_ms (runner, 3000);
  cc_runner_set_hold_seconds (runner, 0);
  cc_runner_run_async (runner, NULL, cc_test_run_done_cb, &wait);
  while (!wait.done)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
    }
  g_assert_no_error (wait.error);

  return g_steal_pointer (&runner);
}

static void
test_parsed_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLab) lab = cc_lab_new (&error);
  g_autofree char *template = NULL;
  g_autofree char *with_ca = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *system_only = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(CcRunner) first = NULL;
  g_autoptr(CcRunner) second = NULL;
  guint passed;
  guint untrusted;

  g_assert_no_error (error);
  template = g_test_build_filename (G_TEST_DIST, "profiles", "lab-ok.conf.in", NULL);
  with_ca = cc_lab_write_file (lab, "ok.conf", template, &error);
  g_assert_no_error (error);

  /* The same profile without its CA: every handshake is verified against the
   * system store alone, which does not know the lab's CA. */
  g_assert_true (g_file_get_contents (with_ca, &contents, NULL, NULL));
  text = g_string_new (contents);
  g_assert_cmpint (g_string_replace (text, "\nca-file=", "\n#ca-file=", 0), ==, 1);
  system_only = g_build_filename (cc_lab_get_dir (lab), "system-only.conf", NULL);
  g_assert_true (g_file_set_contents (system_only, text->str, -1, NULL));

  g_assert_cmpint (g_atomic_int_get (&system_trust_loads), ==, 0);

  first = run_profile (with_ca);
  count_tls (first, &passed, &untrusted);
  g_assert_cmpuint (passed, >=, 3);
  g_assert_cmpuint (untrusted, ==, 0);

  second = run_profile (system_only);
  count_tls (second, &passed, &untrusted);
  g_assert_cmpuint (untrusted, >=, 3);

  /* Zero would mean the count above does not see GnuTLS's calls. */
  g_assert_cmpint (g_atomic_int_get (&system_trust_loads), ==, 1);
  g_assert_cmpuint (cc_tls_database_get_system_loads (), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/trust-store/parsed-once", test_parsed_once);

  return g_test_run ();
}
