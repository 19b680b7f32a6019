/* tend-time.h: instants are stored in UTC; the practice's zone is for display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *tend_time_now              (void);
char      *tend_time_to_iso8601       (GDateTime   *utc);
gboolean   tend_time_is_canonical     (const char  *text);
GDateTime *tend_time_parse_iso8601    (const char  *text,
                                       GError     **error);
gint64     tend_time_to_unix_usec     (GDateTime   *dt);
GDateTime *tend_time_from_unix_usec   (gint64       usec);
gboolean   tend_date_parse            (const char  *text,
                                       GDate       *date,
                                       GError     **error);
char      *tend_date_to_string        (const GDate *date);
GTimeZone *tend_time_zone_new         (const char  *identifier,
                                       GError     **error);
char      *tend_time_format_local     (GDateTime   *utc,
                                       GTimeZone   *zone);
char      *tend_date_format_local     (const GDate *date);
char      *tend_time_format_date      (GDateTime   *local);
char      *tend_time_format_date_time (GDateTime   *local);
char      *tend_date_format_entry     (const GDate *date);
gboolean   tend_date_parse_local      (const char  *text,
                                       GDate       *date,
                                       GError     **error);
guint      tend_date_age_on           (const GDate *birth,
                                       const GDate *today);

G_END_DECLS
