/* tend-chart-access.h: a clinician's access to a client's chart beyond
 * their own clients (assigned, covering, or the glass broken)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_CHART_ACCESS_ASSIGNED,
  TEND_CHART_ACCESS_COVERING,
  TEND_CHART_ACCESS_EMERGENCY,
} TendChartAccessKind;

/* How long the glass stays broken, at most. */
#define TEND_CHART_ACCESS_EMERGENCY_HOURS 24

#define TEND_TYPE_CHART_ACCESS (tend_chart_access_get_type ())
G_DECLARE_FINAL_TYPE (TendChartAccess, tend_chart_access, TEND, CHART_ACCESS, TendRecord)

TendChartAccess     *tend_chart_access_new            (TendChartAccessKind  kind,
                                                       const char          *client_id,
                                                       const char          *staff_id,
                                                       const char          *granted_by,
                                                       const char          *until,
                                                       const char          *reason);
TendChartAccess     *tend_chart_access_new_emergency  (const char          *client_id,
                                                       const char          *staff_id,
                                                       const char          *reason);
TendChartAccessKind  tend_chart_access_get_kind       (TendChartAccess     *self);
const char          *tend_chart_access_get_client_id  (TendChartAccess     *self);
const char          *tend_chart_access_get_staff_id   (TendChartAccess     *self);
const char          *tend_chart_access_get_granted_by (TendChartAccess     *self);
const char          *tend_chart_access_get_granted_at (TendChartAccess     *self);
const char          *tend_chart_access_get_until      (TendChartAccess     *self);
const char          *tend_chart_access_get_reason     (TendChartAccess     *self);
gboolean             tend_chart_access_is_live        (TendChartAccess     *self,
                                                       GDateTime           *now);
void                 tend_chart_access_end            (TendChartAccess     *self);

G_END_DECLS
