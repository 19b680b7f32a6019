/* tend-series.h: a recurring appointment (RRULE, expanded with libical)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-appointment.h"

G_BEGIN_DECLS

#define TEND_TYPE_SERIES (tend_series_get_type ())
G_DECLARE_FINAL_TYPE (TendSeries, tend_series, TEND, SERIES, TendRecord)

TendSeries *tend_series_new                 (const char  *clinician_id,
                                             GDateTime   *first_start,
                                             guint        duration_minutes,
                                             const char  *time_zone,
                                             const char  *rrule);
const char *tend_series_get_rrule           (TendSeries  *self);
const char *tend_series_get_time_zone       (TendSeries  *self);
const char *tend_series_get_clinician_id    (TendSeries  *self);
const char *tend_series_get_client_id       (TendSeries  *self);
const char *tend_series_get_room_id         (TendSeries  *self);
guint       tend_series_get_duration        (TendSeries  *self);
GDateTime  *tend_series_dup_first_start     (TendSeries  *self);
GPtrArray  *tend_series_expand              (TendSeries  *self,
                                             GDateTime   *from,
                                             GDateTime   *to,
                                             GError     **error);
TendAppointment *tend_series_make_occurrence (TendSeries *self,
                                              GDateTime  *occurrence_start);
gboolean    tend_rrule_is_valid             (const char  *rrule,
                                             GError     **error);

G_END_DECLS
