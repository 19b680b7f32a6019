/* gui-test-util.h: waiting on the main loop and finding widgets, for the
 * GUI tests (tests/gui and tests/sync)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

/* Runs the main loop for @ms milliseconds. */
static inline void
spin_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

/* Runs the main loop until @done says so, or @timeout_ms has passed. */
static inline void
spin_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

/* The first widget of @type under @root (breadth first), or %NULL. */
static inline gpointer
find_widget (gpointer root,
             GType    type)
{
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, root);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (G_TYPE_CHECK_INSTANCE_TYPE (cur, type))
        {
          g_queue_clear (&queue);
          return cur;
        }
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return NULL;
}
