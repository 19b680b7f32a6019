/* gui-test-util.h: waiting on the main loop and finding widgets, for the
 * GUI tests (tests/gui and tests/sync)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

/* libadwaita before 1.8 measures a message dialog's large heading at widths
 * narrower than the heading, and GTK warns "Trying to measure GtkLabel 0x...
 * for width of N, but it needs at least M" (libadwaita issue 1025, fixed by
 * commit 34d32f5e in 1.8).  Debian 13's libadwaita 1.7 has it; the dialog is
 * laid out right, only the warning is wrong.  gtk_test_init () makes every
 * warning abort the test, in GLib's default log writer: this one, about a
 * label inside an AdwMessageDialog, on those versions only, is printed by
 * the standard-streams writer instead, which does not abort. */
static inline gboolean
gui_test_is_adw_1025 (GLogLevelFlags  level,
                      const char     *domain,
                      const char     *message)
{
  void *label = NULL;

  return adw_get_major_version () == 1 && adw_get_minor_version () < 8 &&
         (level & G_LOG_LEVEL_WARNING) != 0 && g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
         sscanf (message, "Trying to measure GtkLabel %p", &label) == 1 &&
         GTK_IS_LABEL (label) && gtk_widget_get_ancestor (label, ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static inline GLogWriterOutput
gui_test_log_writer (GLogLevelFlags   level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }
  if (gui_test_is_adw_1025 (level, domain, message))
    return g_log_writer_standard_streams (level, fields, n_fields, data);
  return g_log_writer_default (level, fields, n_fields, data);
}

/* gtk_test_init (), with the one exception above. */
static inline void
gui_test_init (int    *argc,
               char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  g_log_set_writer_func (gui_test_log_writer, NULL, NULL);
}

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

/* With TEND_TEST_SCREENSHOTS=DIR, saves what @widget shows as DIR/NAME.png. */
static inline void
gui_test_screenshot (GtkWidget  *widget,
                     const char *name)
{
  const char *dir = g_getenv ("TEND_TEST_SCREENSHOTS");
  GdkPaintable *paintable;
  GskRenderNode *node;
  GdkTexture *texture;
  GtkSnapshot *snapshot;
  char *file;
  int w, h;

  if (dir == NULL)
    return;
  /* Most GUI tests run without a TendApplication, which is what loads the
   * stylesheet: load it for the pictures, so they show what a person sees. */
  {
    static gboolean styled;

    if (!styled)
      {
        GtkCssProvider *css = gtk_css_provider_new ();

        gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
        gtk_style_context_add_provider_for_display (gtk_widget_get_display (widget), GTK_STYLE_PROVIDER (css),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
        g_object_unref (css);
        styled = TRUE;
      }
  }
  spin_for (300);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    {
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, w, h));
      file = g_strdup_printf ("%s/%s.png", dir, name);
      g_mkdir_with_parents (dir, 0700);
      gdk_texture_save_to_png (texture, file);
      g_free (file);
      g_object_unref (texture);
      gsk_render_node_unref (node);
    }
  g_object_unref (paintable);
}

/* Runs @sql on the store's file at @path through a second connection keyed
 * with @key, as something outside the app would change it under the store. */
static inline void
gui_test_raw_exec (const char *path,
                   GBytes     *key,
                   const char *sql)
{
  static const char hexdigits[] = "0123456789abcdef";
  const guint8 *bytes = g_bytes_get_data (key, NULL);
  GString *pragma = g_string_new ("PRAGMA key = \"x'");
  sqlite3 *db = NULL;

  for (gsize i = 0; i < g_bytes_get_size (key); i++)
    {
      g_string_append_c (pragma, hexdigits[bytes[i] >> 4]);
      g_string_append_c (pragma, hexdigits[bytes[i] & 0xf]);
    }
  g_string_append (pragma, "'\"");
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma->str, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA busy_timeout = 5000", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_string_free (pragma, TRUE);
}
