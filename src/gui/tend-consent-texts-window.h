/* tend-consent-texts-window.h: the practice's consent texts, edited by the owner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_CONSENT_TEXTS_WINDOW (tend_consent_texts_window_get_type ())
G_DECLARE_FINAL_TYPE (TendConsentTextsWindow, tend_consent_texts_window, TEND, CONSENT_TEXTS_WINDOW, AdwWindow)

TendConsentTextsWindow *tend_consent_texts_window_new      (TendStore              *store);
void                    tend_consent_texts_window_select   (TendConsentTextsWindow *self,
                                                            guint                   consent,
                                                            guint                   language);
GtkTextBuffer          *tend_consent_texts_window_get_buffer (TendConsentTextsWindow *self);
gboolean                tend_consent_texts_window_save     (TendConsentTextsWindow *self,
                                                            GError                **error);

G_END_DECLS
