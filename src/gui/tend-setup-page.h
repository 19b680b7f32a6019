/* tend-setup-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_SETUP_PAGE (tend_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (TendSetupPage, tend_setup_page, TEND, SETUP_PAGE, GtkWidget)

void tend_setup_page_set_context (TendSetupPage *self,
                                  TendContext   *context);
void tend_setup_page_fill        (TendSetupPage *self,
                                  const char    *practice,
                                  const char    *time_zone,
                                  const char    *given_name,
                                  const char    *family_name,
                                  const char    *password);
void tend_setup_page_submit      (TendSetupPage *self);
void tend_setup_page_fill_connect (TendSetupPage *self,
                                   const char    *server,
                                   const char    *email,
                                   const char    *password);
void tend_setup_page_connect     (TendSetupPage *self);
const char *tend_setup_page_get_error (TendSetupPage *self);

G_END_DECLS
