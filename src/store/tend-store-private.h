/* tend-store-private.h: for the store's own files, tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

extern const char * const tend_store_migrations[];
extern const guint tend_store_n_migrations;

/* Stop migrating at @target (tests build stores at every older version). */
TendStore *tend_store_open_at_version      (const char  *path,
                                            GBytes      *key,
                                            guint        target,
                                            GError     **error);
/* The baseline for benchmarks only: the same library and schema, no key. */
TendStore *tend_store_open_plaintext       (const char  *path,
                                            GError     **error);
gboolean   tend_store_exec                 (TendStore   *self,
                                            const char  *sql,
                                            GError     **error);
gboolean   tend_store_set_max_pages        (TendStore   *self,
                                            gint64       pages,
                                            GError     **error);
char      *tend_store_key_id               (GBytes      *key);
/* What names sort by: accents dropped, case folded (NFKD, casefold). */
char      *tend_store_sort_key             (const char  *text);

G_END_DECLS
