/* tend-video-module.h: video sessions, from a module loaded when first used
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The call controller and view (src/gui/video) and the media layer
 * (src/media: GStreamer, libnice) are built into libtend-video.so
 * (src/modules), not into `tend`; the window and the application reach
 * them through this table.  The module uses the program's own symbols
 * (the context, the sync controller, the store), which `tend` exports.
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_VIDEO_MODULE_VERSION 1

typedef struct
{
  guint        version;   /* TEND_VIDEO_MODULE_VERSION */
  /* GStreamer's start and the DTLS certificate, in the caller's thread. */
  gboolean   (*warm_up)        (GError          **error);
  /* A TendCallController for @appointment, started; "finished" when done. */
  GObject   *(*start)          (TendContext      *context,
                                TendAppointment  *appointment,
                                GError          **error);
  GtkWidget *(*get_view)       (GObject          *controller);
  const char *(*get_timer_text) (GObject         *controller);
  void       (*hang_up)        (GObject          *controller);
} TendVideoModule;

const TendVideoModule *tend_video_module_get (GError **error);

G_END_DECLS
