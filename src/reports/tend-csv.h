/* tend-csv.h: report tables as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-core.h"

G_BEGIN_DECLS

char *tend_csv_from_table (const TendTable *table);

G_END_DECLS
