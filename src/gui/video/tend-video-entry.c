/* tend-video-entry.c: what libtend-video.so offers the program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The module's one entry point (src/gui/tend-video-module.h): the call
 * controller behind plain GObject pointers, so the program needs neither
 * its type nor GStreamer's headers.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <gmodule.h>

#include "tend-call-controller.h"
#include "tend-video-module.h"

static gboolean
video_warm_up (GError **error)
{
  if (!tend_media_init (error))
    return FALSE;
  tend_media_warm_up ();
  return TRUE;
}

static GObject *
video_start (TendContext      *context,
             TendAppointment  *appointment,
             GError          **error)
{
  return G_OBJECT (tend_call_controller_start (context, appointment, error));
}

static GtkWidget *
video_get_view (GObject *controller)
{
  return tend_call_controller_get_view (TEND_CALL_CONTROLLER (controller));
}

static const char *
video_get_timer_text (GObject *controller)
{
  return tend_call_view_get_timer_text (TEND_CALL_VIEW (video_get_view (controller)));
}

static void
video_hang_up (GObject *controller)
{
  tend_call_controller_hang_up (TEND_CALL_CONTROLLER (controller));
}

G_MODULE_EXPORT const TendVideoModule tend_video_module = {
  TEND_VIDEO_MODULE_VERSION,
  video_warm_up,
  video_start,
  video_get_view,
  video_get_timer_text,
  video_hang_up,
};
