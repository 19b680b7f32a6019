/* tend-video-module.c: video sessions, from a module loaded when first used
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-video-module.h"

/**
 * tend_video_module_get:
 *
 * Loads libtend-video.so the first time (from any thread).
 *
 * Returns: (nullable): its functions, or %NULL with an error a person can
 *   read
 */
const TendVideoModule *
tend_video_module_get (GError **error)
{
  g_autoptr(GError) local = NULL;
  const TendVideoModule *module = tend_module_lookup ("video", "tend_video_module", &local);

  if (module != NULL && module->version != TEND_VIDEO_MODULE_VERSION)
    {
      g_set_error (&local, TEND_ERROR, TEND_ERROR_FAILED, "version %u, not %u", module->version, TEND_VIDEO_MODULE_VERSION);
      module = NULL;
    }
  if (module == NULL)
    {
      g_warning ("The video module cannot be loaded: %s", local->message);
      g_set_error (error, TEND_ERROR, TEND_ERROR_FAILED,
                   _("Video sessions cannot start: this installation of Tend is incomplete (%s)."), local->message);
    }
  return module;
}
