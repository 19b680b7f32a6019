/* tend-totp-dialog.h: two-step verification, turned on and off by the
 * person signed in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-sync-engine.h"

G_BEGIN_DECLS

#define TEND_TYPE_TOTP_DIALOG (tend_totp_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendTotpDialog, tend_totp_dialog, TEND, TOTP_DIALOG, AdwWindow)

TendTotpDialog *tend_totp_dialog_new         (TendSyncEngine *engine,
                                              gboolean        enabled);
void            tend_totp_dialog_submit      (TendTotpDialog *self);
void            tend_totp_dialog_fill        (TendTotpDialog *self,
                                              const char     *password,
                                              const char     *code);
char           *tend_totp_dialog_dup_key     (TendTotpDialog *self);
const char     *tend_totp_dialog_get_message (TendTotpDialog *self);
gboolean        tend_totp_dialog_is_busy     (TendTotpDialog *self);

GtkWidget      *tend_totp_group_new          (TendSyncEngine *engine);
const char     *tend_totp_group_get_status   (GtkWidget      *group);
void            tend_totp_group_activate     (GtkWidget      *group);
TendTotpDialog *tend_totp_group_get_dialog   (GtkWidget      *group);

G_END_DECLS
