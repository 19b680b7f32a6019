/* tend-core.h: everything in the core layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-appointment.h"
#include "tend-chart-bundle.h"
#include "tend-client.h"
#include "tend-clinical-note.h"
#include "tend-diagnosis.h"
#include "tend-document.h"
#include "tend-error.h"
#include "tend-icd10.h"
#include "tend-measure.h"
#include "tend-money.h"
#include "tend-practice.h"
#include "tend-record.h"
#include "tend-role.h"
#include "tend-reminder.h"
#include "tend-room.h"
#include "tend-series.h"
#include "tend-staff.h"
#include "tend-time.h"
#include "tend-treatment-plan.h"
#include "tend-waitlist-entry.h"
