/* tend-server-consent-pdf.h: a signed consent as a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *tend_consent_pdf_new (const char *practice_name,
                              const char *client_name,
                              const char *title,
                              const char *text,
                              const char *signed_name,
                              const char *signed_at,
                              const char *signed_address,
                              const char *signed_user_agent,
                              const char *text_sha256);

G_END_DECLS
