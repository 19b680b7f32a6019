/* tend-call-view.h: a video session's call, shown beside the chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-call.h"

G_BEGIN_DECLS

#define TEND_TYPE_CALL_VIEW (tend_call_view_get_type ())
G_DECLARE_FINAL_TYPE (TendCallView, tend_call_view, TEND, CALL_VIEW, GtkBox)

GtkWidget   *tend_call_view_new            (TendCall     *call);
TendCall    *tend_call_view_get_call       (TendCallView *self);
void         tend_call_view_set_title      (TendCallView *self,
                                            const char   *title);
void         tend_call_view_show_error     (TendCallView *self,
                                            const char   *message);
void         tend_call_view_add_waiting    (TendCallView *self,
                                            const char   *guest_id,
                                            const char   *name);
void         tend_call_view_remove_waiting (TendCallView *self,
                                            const char   *guest_id);
void         tend_call_view_set_can_invite (TendCallView *self,
                                            gboolean      can_invite);
void         tend_call_view_set_invite_state (TendCallView *self,
                                              gboolean      busy,
                                              const char   *message,
                                              gboolean      is_error);
const char  *tend_call_view_get_invite_status (TendCallView *self);
void         tend_call_view_activate_invite (TendCallView *self,
                                             gboolean      email);
const char  *tend_call_view_get_timer_text (TendCallView *self);
GdkPaintable *tend_call_view_get_self_paintable (TendCallView *self);
GdkPaintable *tend_call_view_get_peer_paintable (TendCallView *self,
                                                 const char   *peer_id);
GdkTexture  *tend_sample_to_texture        (GstSample    *sample);

G_END_DECLS
