/* fuzz-common.h: libFuzzer's entry points, for the targets of tests/fuzz. Each
 * target defines LLVMFuzzerTestOneInput; fuzz-common.c, linked into every
 * target, defines LLVMFuzzerInitialize.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

G_END_DECLS
