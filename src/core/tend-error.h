/* tend-error.h: the error domain shared by every layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEND_ERROR (tend_error_quark ())

/**
 * TendError:
 * @TEND_ERROR_INVALID: input failed validation; the message names the field
 * @TEND_ERROR_NOT_FOUND: the record does not exist
 * @TEND_ERROR_PERMISSION_DENIED: the current role may not do this
 * @TEND_ERROR_CONFLICT: the record changed underneath the caller
 * @TEND_ERROR_FAILED: anything else
 * @TEND_ERROR_IMMUTABLE: the record is signed and can no longer change
 * @TEND_ERROR_NO_CHART_ACCESS: the person is not on this client's chart
 *   (not their client, not assigned, covering or supervising): they may
 *   break the glass
 */
typedef enum
{
  TEND_ERROR_INVALID,
  TEND_ERROR_NOT_FOUND,
  TEND_ERROR_PERMISSION_DENIED,
  TEND_ERROR_CONFLICT,
  TEND_ERROR_FAILED,
  TEND_ERROR_IMMUTABLE,
  TEND_ERROR_NO_CHART_ACCESS,
} TendError;

GQuark tend_error_quark (void);

G_END_DECLS
