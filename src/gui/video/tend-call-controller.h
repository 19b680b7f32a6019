/* tend-call-controller.h: one video session from the app: its record, its
 * call, its signalling and its view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-call-view.h"
#include "tend-context.h"
#include "tend-video-link.h"

G_BEGIN_DECLS

#define TEND_TYPE_CALL_CONTROLLER (tend_call_controller_get_type ())
G_DECLARE_FINAL_TYPE (TendCallController, tend_call_controller, TEND, CALL_CONTROLLER, GObject)

TendCallController *tend_call_controller_start     (TendContext        *context,
                                                    TendAppointment    *appointment,
                                                    GError            **error);
TendCallController *tend_call_controller_start_with_call (TendContext    *context,
                                                          TendAppointment *appointment,
                                                          TendCall       *call,
                                                          GError        **error);
TendCallController *tend_call_controller_new_for_call (TendCall        *call);
GtkWidget          *tend_call_controller_get_view  (TendCallController *self);
TendCall           *tend_call_controller_get_call  (TendCallController *self);
TendVideoSession   *tend_call_controller_get_session (TendCallController *self);
void                tend_call_controller_hang_up   (TendCallController *self);

G_END_DECLS
