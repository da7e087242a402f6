/* fuzz-engine-io.c: libFuzzer target for the signaling check's reading of the
 * first WebSocket message (cc_websocket_is_engine_io_open): any bytes, as a
 * server may send them, without a terminating NUL. Seeds:
 * tests/fuzz/corpus/engine-io/ (open packets as Engine.IO v4 servers send them,
 * and near misses).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-websocket-check.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gboolean open = cc_websocket_is_engine_io_open ((const char *) data, size);

  /* Whatever else it holds, an open packet starts with "0{". */
  if (open)
    g_assert_true (size >= 2 && data[0] == '0' && data[1] == '{');

  return 0;
}
