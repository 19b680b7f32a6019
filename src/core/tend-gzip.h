/* tend-gzip.h: gzip of whole buffers, for bodies on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The level the sync uses both ways: chosen by measurement on a 2-core
 * machine (bench/README.md, "Compression on the wire"). */
#define TEND_GZIP_LEVEL 3
/* Bodies shorter than this go as they are: an empty change-feed page
 * would only cost the CPU. */
#define TEND_GZIP_MIN_SIZE 1024

GBytes   *tend_gzip_compress          (const void   *data,
                                       gsize         len,
                                       int           level);
GBytes   *tend_gzip_decompress        (const void   *data,
                                       gsize         len,
                                       gsize         max_size,
                                       GError      **error);
gboolean  tend_gzip_accepted          (const char   *accept_encoding);

G_END_DECLS
