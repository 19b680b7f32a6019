/* test-video.c: the call view under Xvfb, with test sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two calls in this process, their signalling passed straight from one to
 * the other (the server's relay is tested in tests/server and tests/media),
 * and the view of the first in a window: it shows the self view and the
 * other's pictures, counts the time, mutes and turns the camera off with
 * its buttons (the other side sees it), lists a waiting guest whose Admit
 * asks the controller, and hangs up with its button.  With
 * TEND_TEST_SCREENSHOTS=DIR it saves the view.
 */
#include "config.h"

#include "gui-test-util.h"
#include "tend-call-controller.h"
#include "tend-video-module.h"

static TendCall *a, *b;

static void
on_signal_out_cb (TendCall   *from,
                  const char *peer_id,
                  const char *text,
                  gpointer    data)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  tend_call_receive (from == a ? b : a, from == a ? "a" : "b", node, NULL);
}

static TendCall *
test_call (void)
{
  TendCall *call = tend_call_new ();
  g_autoptr(GError) error = NULL;

  tend_call_set_video_source (call, "videotestsrc is-live=true pattern=smpte");
  tend_call_set_audio_source (call, "audiotestsrc is-live=true wave=sine");
  tend_call_set_audio_sink (call, "fakesink sync=false");
  tend_call_set_video_size (call, 320, 240, 15);
  tend_call_set_loopback (call, TRUE);
  g_signal_connect (call, "signal-out", G_CALLBACK (on_signal_out_cb), NULL);
  g_assert_true (tend_call_start (call, &error));
  g_assert_no_error (error);
  return call;
}

static gboolean
has_self_view (gpointer view)
{
  return tend_call_view_get_self_paintable (view) != NULL;
}

static gboolean
has_peer_picture (gpointer view)
{
  return tend_call_view_get_peer_paintable (view, "b") != NULL;
}

static gboolean
b_sees_muted (gpointer data)
{
  return tend_call_get_peer_muted (b, "a");
}

static gboolean
b_sees_camera_off (gpointer data)
{
  return tend_call_get_peer_camera_off (b, "a");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
timer_moved (gpointer view)
{
  return g_strcmp0 (tend_call_view_get_timer_text (view), "00:00") != 0;
}

static gboolean
ended (gpointer data)
{
  return tend_call_get_state (a) == TEND_CALL_STATE_ENDED && tend_call_get_state (b) == TEND_CALL_STATE_ENDED;
}

static void
on_admit_cb (TendCallView *view,
             const char   *guest_id,
             char        **admitted)
{
  *admitted = g_strdup (guest_id);
}

static void
on_finished_cb (TendCallController *controller,
                gboolean           *finished)
{
  *finished = TRUE;
}

/* The first button under @root whose tooltip is @tooltip. */
static GtkWidget *
button_with_tooltip (GtkWidget  *root,
                     const char *tooltip)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_widget_get_tooltip_text (c), tooltip) == 0)
        return c;
      if ((found = button_with_tooltip (c, tooltip)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_call_view (void)
{
  g_autoptr(TendCallController) controller = NULL;
  g_autoptr(GError) error = NULL;
  const TendVideoModule *video;
  g_autofree char *admitted = NULL;
  gboolean finished = FALSE;
  GtkWidget *window = adw_window_new ();
  GtkWidget *view;
  GtkWidget *admit;
  GtkWidget *row;

  a = test_call ();
  b = test_call ();
  controller = tend_call_controller_new_for_call (a);
  view = tend_call_controller_get_view (controller);
  /* The window reaches the same code through the module's table: the
   * program's loader opens the libtend-video.so this test links. */
  video = tend_video_module_get (&error);
  g_assert_no_error (error);
  g_assert_nonnull (video);
  g_assert_true (video->get_view (G_OBJECT (controller)) == view);
  tend_call_view_set_title (TEND_CALL_VIEW (view), "Test Client");
  g_signal_connect (view, "admit", G_CALLBACK (on_admit_cb), &admitted);
  g_signal_connect (controller, "finished", G_CALLBACK (on_finished_cb), &finished);
  adw_window_set_content (ADW_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 640);
  gtk_window_present (GTK_WINDOW (window));

  /* Waiting for the other: the self view shows at once. */
  spin_until (has_self_view, view, 10000);
  g_assert_nonnull (tend_call_view_get_self_paintable (TEND_CALL_VIEW (view)));

  tend_call_add_peer (b, "a", "Hana Host", FALSE);
  tend_call_add_peer (a, "b", "Cole League", TRUE);
  spin_until (has_peer_picture, view, 15000);
  g_assert_nonnull (tend_call_view_get_peer_paintable (TEND_CALL_VIEW (view), "b"));
  g_assert_cmpint (tend_call_get_state (a), ==, TEND_CALL_STATE_CONNECTED);

  /* A client waits; Admit asks for them. */
  tend_call_view_add_waiting (TEND_CALL_VIEW (view), "guest-1", "Test Client");
  row = find_widget (view, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);
  admit = find_widget (row, GTK_TYPE_BUTTON);
  g_assert_nonnull (admit);
  gui_test_screenshot (view, "video-call-view");
  gtk_widget_activate (admit);
  spin_until (is_set, &admitted, 3000);
  g_assert_cmpstr (admitted, ==, "guest-1");

  /* Mute and camera off, from the buttons, reach the other side. */
  gtk_widget_activate (button_with_tooltip (view, "Mute"));
  spin_until (b_sees_muted, NULL, 5000);
  g_assert_true (tend_call_get_muted (a));
  g_assert_true (tend_call_get_peer_muted (b, "a"));
  gtk_widget_activate (button_with_tooltip (view, "Turn Camera Off"));
  spin_until (b_sees_camera_off, NULL, 5000);
  g_assert_true (tend_call_get_peer_camera_off (b, "a"));

  /* The timer counts (from the connection). */
  spin_until (timer_moved, view, 5000);
  g_assert_cmpstr (tend_call_view_get_timer_text (TEND_CALL_VIEW (view)), !=, "00:00");

  /* Hang up ends both. */
  gtk_widget_activate (button_with_tooltip (view, "Hang Up"));
  spin_until (ended, NULL, 5000);
  g_assert_true (finished);
  g_assert_cmpint (tend_call_get_state (b), ==, TEND_CALL_STATE_ENDED);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&a);
  g_clear_object (&b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  gui_test_init (&argc, &argv);
  adw_init ();
  if (!tend_media_init (&error))
    g_error ("%s", error->message);
  tend_media_warm_up_wait ();
  g_test_add_func ("/gui/video/call-view", test_call_view);
  return g_test_run ();
}
