/* cc-secrets.h: the strings nothing may print (TURN usernames and credentials),
 * and a GLib log writer that blanks them out. Third-party debug output can
 * carry them (libnice with NICE_DEBUG prints "user/pass" of every relay it is
 * given), so the app installs cc_secrets_log_writer before any logging and
 * the runner registers every login it is given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a secret is replaced with. */
#define CC_SECRETS_MASK "[hidden]"

/* Remembers @secret (copied; NULL and "" ignored) until the process ends. */
void              cc_secrets_add         (const char      *secret);
/* Overwrites @secret's bytes (in a way the compiler keeps) and frees it;
 * NULL is ignored. For every password and TURN credential the app holds. */
void              cc_secrets_free        (char            *secret);
/* cc_secrets_free (*@secret), then *@secret = NULL. */
void              cc_secrets_clear       (char           **secret);
/* @text with every remembered secret replaced by CC_SECRETS_MASK, or NULL
 * when it holds none. */
char             *cc_secrets_redact      (const char      *text);
/* A GLogWriterFunc: the default writer, with MESSAGE redacted. */
GLogWriterOutput  cc_secrets_log_writer  (GLogLevelFlags   log_level,
                                          const GLogField *fields,
                                          gsize            n_fields,
                                          gpointer         user_data);

G_END_DECLS
