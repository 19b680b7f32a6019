/* tend-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"
#include "tend-setup-assistant.h"

G_BEGIN_DECLS

#define TEND_TYPE_WINDOW (tend_window_get_type ())
G_DECLARE_FINAL_TYPE (TendWindow, tend_window, TEND, WINDOW, AdwApplicationWindow)

TendWindow  *tend_window_new              (AdwApplication *application,
                                           TendContext    *context);
TendContext *tend_window_get_context      (TendWindow     *self);
const char  *tend_window_get_page         (TendWindow     *self);
const char  *tend_window_get_section      (TendWindow     *self);
void         tend_window_show_conversation (TendWindow    *self,
                                           const char    *conversation_id);
void         tend_window_show_section     (TendWindow     *self,
                                           const char     *name);
void         tend_window_lock             (TendWindow     *self);
TendSetupAssistant *tend_window_show_setup_assistant (TendWindow *self);
void         tend_window_show_call        (TendWindow         *self,
                                           GObject            *call);
GObject     *tend_window_get_call         (TendWindow     *self);
GtkWidget   *tend_window_get_messages_page (TendWindow    *self);
gboolean     tend_window_get_locked       (TendWindow     *self);
void         tend_window_pretend_idle     (TendWindow     *self,
                                           guint           seconds);

G_END_DECLS
