/* tend-core.h: everything in the core layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-adjustment.h"
#include "tend-allocation.h"
#include "tend-appointment.h"
#include "tend-billing-codes.h"
#include "tend-billing-settings.h"
#include "tend-charge.h"
#include "tend-claim.h"
#include "tend-client.h"
#include "tend-error.h"
#include "tend-ledger.h"
#include "tend-money.h"
#include "tend-payer.h"
#include "tend-payment.h"
#include "tend-policy.h"
#include "tend-practice.h"
#include "tend-record.h"
#include "tend-role.h"
#include "tend-reminder.h"
#include "tend-remittance.h"
#include "tend-room.h"
#include "tend-series.h"
#include "tend-service.h"
#include "tend-service-fee.h"
#include "tend-staff.h"
#include "tend-table.h"
#include "tend-time.h"
#include "tend-waitlist-entry.h"
