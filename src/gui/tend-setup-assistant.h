/* tend-setup-assistant.h: what a new practice sets up, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_SETUP_ASSISTANT (tend_setup_assistant_get_type ())
G_DECLARE_FINAL_TYPE (TendSetupAssistant, tend_setup_assistant, TEND, SETUP_ASSISTANT, AdwWindow)

/* The steps, in the order a practice takes them. */
typedef enum
{
  TEND_SETUP_STEP_PRACTICE,
  TEND_SETUP_STEP_STAFF,
  TEND_SETUP_STEP_ROOMS,
  TEND_SETUP_STEP_SERVICES,
  TEND_SETUP_STEP_PAYERS,
  TEND_SETUP_STEP_FIRST_BOOKING,
  TEND_SETUP_N_STEPS
} TendSetupStep;

TendSetupAssistant *tend_setup_assistant_new        (TendContext        *context);
gboolean            tend_setup_assistant_is_done    (TendSetupAssistant *self,
                                                     TendSetupStep       step);
guint               tend_setup_assistant_get_n_done (TendSetupAssistant *self);
GtkWindow          *tend_setup_assistant_open_step  (TendSetupAssistant *self,
                                                     TendSetupStep       step);
gboolean            tend_setup_assistant_is_complete (TendContext       *context);

G_END_DECLS
