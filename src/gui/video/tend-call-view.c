/* tend-call-view.c: a video session's call, shown beside the chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The other participants' pictures (a grid: one to three), the self view
 * in a corner, the waiting room (a browser client waits there until the
 * clinician admits them), a timer from the moment someone connected, a
 * connection quality indicator from the call's statistics, and the
 * controls: mute, camera off, devices, hang up.  Frames come from the
 * call as RGBA samples and are shown as memory textures (GTK 4.8 has no
 * GStreamer sink).  The view only shows and asks: TendVideoSession does
 * what hanging up or admitting means.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/video/video.h>

#include "tend-call-view.h"

struct _TendCallView
{
  GtkBox       parent_instance;

  TendCall    *call;
  GtkLabel    *title;
  GtkLabel    *timer;
  GtkImage    *quality_icon;
  GtkLabel    *quality_label;
  GtkGrid     *grid;
  GtkLabel    *status;
  GtkPicture  *self_view;
  GtkWidget   *self_frame;
  GtkLabel    *error;
  GtkWidget   *waiting_group;
  GtkWidget   *waiting_list;
  GtkWidget   *invite_group;
  GtkWidget   *invite_buttons;
  GtkWidget   *copy_button;
  GtkWidget   *mail_button;
  GtkLabel    *invite_status;
  GtkToggleButton *mute;
  GtkToggleButton *camera;
  GtkDropDown *camera_choice;
  GtkDropDown *microphone_choice;
  GtkDropDown *speaker_choice;
  GListStore  *cameras;
  GListStore  *microphones;
  GListStore  *speakers;
  GHashTable  *tiles;          /* peer id -> GtkOverlay (tile) */
  GHashTable  *waiting;        /* guest id -> row */
  guint        tick_id;
  char        *timer_text;
};

G_DEFINE_FINAL_TYPE (TendCallView, tend_call_view, GTK_TYPE_BOX)

enum {
  HANG_UP,
  ADMIT,
  INVITE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/**
 * tend_sample_to_texture:
 * @sample: an RGBA video frame
 *
 * Returns: (transfer full) (nullable): the frame as a texture
 */
GdkTexture *
tend_sample_to_texture (GstSample *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  GstMapInfo map;
  g_autoptr(GBytes) bytes = NULL;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps) ||
      GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_RGBA ||
      !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;
  bytes = g_bytes_new (map.data, MIN (map.size, (gsize) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) * GST_VIDEO_INFO_HEIGHT (&info)));
  gst_buffer_unmap (buffer, &map);
  return gdk_memory_texture_new (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                                 GDK_MEMORY_R8G8B8A8, bytes, GST_VIDEO_INFO_PLANE_STRIDE (&info, 0));
}

/* Tiles */

static GtkWidget *
tile_new (TendCallView *self,
          const char   *peer_id)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *caption = gtk_label_new (NULL);
  const char *label = tend_call_get_peer_label (self->call, peer_id);

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_hexpand (picture, TRUE);
  gtk_widget_set_vexpand (picture, TRUE);
  gtk_widget_add_css_class (overlay, "tend-call-tile");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  gtk_widget_set_halign (caption, GTK_ALIGN_START);
  gtk_widget_set_valign (caption, GTK_ALIGN_END);
  gtk_widget_set_margin_start (caption, 6);
  gtk_widget_set_margin_bottom (caption, 6);
  gtk_widget_add_css_class (caption, "osd");
  gtk_label_set_text (GTK_LABEL (caption), label != NULL ? label : _("Participant"));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), caption);
  g_object_set_data (G_OBJECT (overlay), "picture", picture);
  g_object_set_data (G_OBJECT (overlay), "caption", caption);
  return overlay;
}

static void
lay_out_tiles (TendCallView *self)
{
  GHashTableIter iter;
  gpointer value;
  guint i = 0;
  guint n = g_hash_table_size (self->tiles);

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GtkWidget *tile = value;

      if (gtk_widget_get_parent (tile) != NULL)
        gtk_grid_remove (self->grid, tile);
      gtk_grid_attach (self->grid, tile, n <= 1 ? 0 : (int) (i % 2), n <= 1 ? 0 : (int) (i / 2), 1, 1);
      i++;
    }
}

static void
update_tile (TendCallView *self,
             const char   *peer_id)
{
  GtkWidget *tile = g_hash_table_lookup (self->tiles, peer_id);
  GtkLabel *caption;
  const char *label = tend_call_get_peer_label (self->call, peer_id);
  g_autoptr(GString) text = g_string_new (label != NULL ? label : _("Participant"));

  if (tile == NULL)
    return;
  caption = g_object_get_data (G_OBJECT (tile), "caption");
  if (tend_call_get_peer_muted (self->call, peer_id))
    g_string_append_printf (text, " · %s", _("Muted"));
  if (tend_call_get_peer_camera_off (self->call, peer_id))
    {
      g_string_append_printf (text, " · %s", _("Camera off"));
      gtk_picture_set_paintable (g_object_get_data (G_OBJECT (tile), "picture"), NULL);
    }
  gtk_label_set_text (caption, text->str);
}

static void
update_status (TendCallView *self)
{
  TendCallState state = tend_call_get_state (self->call);
  const char *text = NULL;

  switch (state)
    {
    case TEND_CALL_STATE_NEW:
    case TEND_CALL_STATE_CONNECTING:
      text = g_hash_table_size (self->tiles) == 0 ? _("Waiting for others to join…") : _("Connecting…");
      break;
    case TEND_CALL_STATE_RECONNECTING:
      text = _("Reconnecting…");
      break;
    case TEND_CALL_STATE_ENDED:
      text = _("The session has ended");
      break;
    case TEND_CALL_STATE_CONNECTED:
    default:
      break;
    }
  gtk_label_set_text (self->status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL);
}

/* Call signals */

static void
on_frame_cb (TendCall     *call,
             const char   *peer_id,
             GstSample    *sample,
             TendCallView *self)
{
  g_autoptr(GdkTexture) texture = tend_sample_to_texture (sample);
  GtkWidget *tile;

  if (texture == NULL)
    return;
  if (peer_id == NULL)
    {
      if (!tend_call_get_camera_off (call))
        gtk_picture_set_paintable (self->self_view, GDK_PAINTABLE (texture));
      return;
    }
  tile = g_hash_table_lookup (self->tiles, peer_id);
  if (tile != NULL && !tend_call_get_peer_camera_off (call, peer_id))
    gtk_picture_set_paintable (g_object_get_data (G_OBJECT (tile), "picture"), GDK_PAINTABLE (texture));
}

static void
on_peer_added_cb (TendCall     *call,
                  const char   *peer_id,
                  TendCallView *self)
{
  GtkWidget *tile = tile_new (self, peer_id);

  g_hash_table_replace (self->tiles, g_strdup (peer_id), g_object_ref_sink (tile));
  lay_out_tiles (self);
  update_status (self);
}

static void
on_peer_removed_cb (TendCall     *call,
                    const char   *peer_id,
                    TendCallView *self)
{
  GtkWidget *tile = g_hash_table_lookup (self->tiles, peer_id);

  if (tile != NULL)
    {
      gtk_grid_remove (self->grid, tile);
      g_hash_table_remove (self->tiles, peer_id);
      lay_out_tiles (self);
    }
  update_status (self);
}

static void
on_peer_changed_cb (TendCall     *call,
                    const char   *peer_id,
                    TendCallView *self)
{
  update_tile (self, peer_id);
}

static void
on_state_cb (TendCall     *call,
             GParamSpec   *pspec,
             TendCallView *self)
{
  update_status (self);
}

static void
on_call_error_cb (TendCall     *call,
                  GError       *error,
                  TendCallView *self)
{
  tend_call_view_show_error (self, error->message);
}

static gboolean
on_tick_cb (gpointer data)
{
  TendCallView *self = data;
  gint64 since = tend_call_get_connected_at (self->call);
  gint64 until = tend_call_get_ended_at (self->call);
  gint64 seconds;
  const char *icon = NULL;
  const char *label = "";

  if (since == 0)
    since = tend_call_get_started_at (self->call);
  seconds = since == 0 ? 0 : ((until != 0 ? until : g_get_real_time ()) - since) / G_USEC_PER_SEC;
  g_free (self->timer_text);
  if (seconds >= 3600)
    self->timer_text = g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60),
                                        (int) (seconds % 60));
  else
    self->timer_text = g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
  gtk_label_set_text (self->timer, self->timer_text);

  switch (tend_call_get_quality (self->call))
    {
    case TEND_CALL_QUALITY_GOOD:
      icon = "network-cellular-signal-excellent-symbolic";
      label = _("Good connection");
      break;
    case TEND_CALL_QUALITY_FAIR:
      icon = "network-cellular-signal-ok-symbolic";
      label = _("Fair connection");
      break;
    case TEND_CALL_QUALITY_POOR:
      icon = "network-cellular-signal-weak-symbolic";
      label = _("Poor connection");
      break;
    case TEND_CALL_QUALITY_UNKNOWN:
    default:
      break;
    }
  gtk_image_set_from_icon_name (self->quality_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->quality_icon), icon != NULL);
  gtk_label_set_text (self->quality_label, label);
  return G_SOURCE_CONTINUE;
}

/* Controls */

static void
on_mute_toggled_cb (GtkToggleButton *button,
                    TendCallView    *self)
{
  gboolean muted = gtk_toggle_button_get_active (button);

  tend_call_set_muted (self->call, muted);
  gtk_button_set_icon_name (GTK_BUTTON (button), muted ? "microphone-sensitivity-muted-symbolic"
                                                       : "audio-input-microphone-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), muted ? _("Unmute") : _("Mute"));
}

static void
on_camera_toggled_cb (GtkToggleButton *button,
                      TendCallView    *self)
{
  gboolean off = gtk_toggle_button_get_active (button);

  tend_call_set_camera_off (self->call, off);
  gtk_button_set_icon_name (GTK_BUTTON (button), off ? "camera-disabled-symbolic" : "camera-video-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), off ? _("Turn Camera On") : _("Turn Camera Off"));
  if (off)
    gtk_picture_set_paintable (self->self_view, NULL);
}

static void
on_hang_up_clicked_cb (GtkButton    *button,
                       TendCallView *self)
{
  g_signal_emit (self, signals[HANG_UP], 0);
}

static void
on_admit_clicked_cb (GtkButton    *button,
                     TendCallView *self)
{
  g_signal_emit (self, signals[ADMIT], 0, g_object_get_data (G_OBJECT (button), "guest-id"));
}

static char *
device_name (GstDevice *device)
{
  return device != NULL ? gst_device_get_display_name (device) : g_strdup (_("Default"));
}

static void
fill_devices (GListStore *store,
              const char *klass)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices;

  g_list_store_remove_all (store);
  gst_device_monitor_add_filter (monitor, klass, NULL);
  if (!gst_device_monitor_start (monitor))
    return;
  devices = gst_device_monitor_get_devices (monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    g_list_store_append (store, l->data);
  g_list_free_full (devices, g_object_unref);
  gst_device_monitor_stop (monitor);
}

static void
on_devices_shown_cb (GtkPopover   *popover,
                     TendCallView *self)
{
  fill_devices (self->cameras, "Video/Source");
  fill_devices (self->microphones, "Audio/Source");
  fill_devices (self->speakers, "Audio/Sink");
}

static void
on_device_chosen_cb (GtkDropDown  *drop_down,
                     GParamSpec   *pspec,
                     TendCallView *self)
{
  GstDevice *device = gtk_drop_down_get_selected_item (drop_down);
  g_autoptr(GError) error = NULL;

  if (device == NULL)
    return;
  if (drop_down == self->speaker_choice)
    {
      tend_call_set_audio_output_device (self->call, device);
      return;
    }
  if (drop_down == self->camera_choice)
    tend_call_set_video_device (self->call, device);
  else
    tend_call_set_audio_device (self->call, device);
  if (!tend_call_restart_capture (self->call, &error))
    tend_call_view_show_error (self, error->message);
}

static void
on_invite_clicked_cb (GtkButton    *button,
                      TendCallView *self)
{
  g_signal_emit (self, signals[INVITE], 0, (gboolean) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "invite-email")));
}

static GtkWidget *
device_row (const char   *title,
            GListStore   *store,
            GtkDropDown **out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (title);
  g_autoptr(GtkExpression) expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                      G_CALLBACK (device_name), NULL, NULL);
  GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (store)), g_steal_pointer (&expression));

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), drop_down);
  *out = GTK_DROP_DOWN (drop_down);
  return box;
}

static GtkWidget *
round_button (const char *icon,
              const char *tooltip,
              gboolean    toggle)
{
  GtkWidget *button = toggle ? gtk_toggle_button_new () : gtk_button_new ();

  gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_size_request (button, 48, 48);
  return button;
}

static void
build (TendCallView *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *devices = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *hang_up = round_button ("call-stop-symbolic", _("Hang Up"), FALSE);
  GtkWidget *self_frame = gtk_frame_new (NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);
  gtk_widget_set_size_request (GTK_WIDGET (self), 340, -1);
  gtk_widget_add_css_class (GTK_WIDGET (self), "tend-call-view");

  self->title = GTK_LABEL (gtk_label_new (_("Video Session")));
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-4");
  gtk_label_set_ellipsize (self->title, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->title), GTK_ALIGN_START);
  self->quality_icon = GTK_IMAGE (gtk_image_new ());
  self->quality_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->quality_label), "dim-label");
  self->timer = GTK_LABEL (gtk_label_new ("00:00"));
  gtk_widget_add_css_class (GTK_WIDGET (self->timer), "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->timer), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Time in the session"), -1);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->quality_icon));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->quality_label));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->timer));
  gtk_box_append (GTK_BOX (self), header);

  self->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->error));

  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_homogeneous (self->grid, TRUE);
  gtk_grid_set_column_homogeneous (self->grid, TRUE);
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_grid_set_column_spacing (self->grid, 6);
  gtk_widget_set_vexpand (GTK_WIDGET (self->grid), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->grid), 320, 240);
  gtk_widget_add_css_class (GTK_WIDGET (self->grid), "card");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->grid));
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "title-3");
  gtk_widget_set_halign (GTK_WIDGET (self->status), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->status), GTK_ALIGN_CENTER);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->status));
  self->self_view = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->self_view, TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->self_view), 120, 90);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->self_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your camera"), -1);
  gtk_frame_set_child (GTK_FRAME (self_frame), GTK_WIDGET (self->self_view));
  gtk_widget_set_halign (self_frame, GTK_ALIGN_END);
  gtk_widget_set_valign (self_frame, GTK_ALIGN_END);
  gtk_widget_set_margin_end (self_frame, 8);
  gtk_widget_set_margin_bottom (self_frame, 8);
  self->self_frame = self_frame;
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self_frame);
  gtk_box_append (GTK_BOX (self), overlay);

  self->waiting_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->waiting_group), _("Waiting Room"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->waiting_group),
                                         _("Admit the client when you are ready."));
  gtk_widget_set_visible (self->waiting_group, FALSE);
  gtk_box_append (GTK_BOX (self), self->waiting_group);

  /* The client's way in: a single-use link, copied or e-mailed. */
  {
    GtkWidget *copy = gtk_button_new_with_mnemonic (_("_Copy Join Link"));
    GtkWidget *mail = gtk_button_new_with_mnemonic (_("_E-mail Join Link"));
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    self->invite_group = adw_preferences_group_new ();
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->invite_group), _("Invite the Client"));
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->invite_group),
                                           _("A link the client opens in a browser: no account or app needed. "
                                             "It works once, until the appointment ends."));
    self->invite_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    gtk_box_set_homogeneous (GTK_BOX (self->invite_buttons), TRUE);
    gtk_widget_set_tooltip_text (copy, _("Make a join link and copy it, to paste in a message"));
    gtk_widget_set_tooltip_text (mail, _("Make a join link and e-mail it to the client’s address on file"));
    g_object_set_data (G_OBJECT (copy), "invite-email", GINT_TO_POINTER (FALSE));
    g_object_set_data (G_OBJECT (mail), "invite-email", GINT_TO_POINTER (TRUE));
    g_signal_connect (copy, "clicked", G_CALLBACK (on_invite_clicked_cb), self);
    g_signal_connect (mail, "clicked", G_CALLBACK (on_invite_clicked_cb), self);
    gtk_box_append (GTK_BOX (self->invite_buttons), copy);
    gtk_box_append (GTK_BOX (self->invite_buttons), mail);
    self->copy_button = copy;
    self->mail_button = mail;
    self->invite_status = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_wrap (self->invite_status, TRUE);
    gtk_label_set_xalign (self->invite_status, 0);
    gtk_widget_add_css_class (GTK_WIDGET (self->invite_status), "caption");
    gtk_widget_set_visible (GTK_WIDGET (self->invite_status), FALSE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->invite_status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Join link status"), -1);
    gtk_box_append (GTK_BOX (box), self->invite_buttons);
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->invite_status));
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->invite_group), box);
    gtk_widget_set_visible (self->invite_group, FALSE);
    gtk_box_append (GTK_BOX (self), self->invite_group);
  }

  self->mute = GTK_TOGGLE_BUTTON (round_button ("audio-input-microphone-symbolic", _("Mute"), TRUE));
  self->camera = GTK_TOGGLE_BUTTON (round_button ("camera-video-symbolic", _("Turn Camera Off"), TRUE));
  g_signal_connect (self->mute, "toggled", G_CALLBACK (on_mute_toggled_cb), self);
  g_signal_connect (self->camera, "toggled", G_CALLBACK (on_camera_toggled_cb), self);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (devices), "emblem-system-symbolic");
  gtk_widget_set_tooltip_text (devices, _("Camera, Microphone and Speaker"));
  gtk_widget_add_css_class (devices, "circular");
  gtk_box_append (GTK_BOX (popover_box), device_row (_("Camera"), self->cameras, &self->camera_choice));
  gtk_box_append (GTK_BOX (popover_box), device_row (_("Microphone"), self->microphones, &self->microphone_choice));
  gtk_box_append (GTK_BOX (popover_box), device_row (_("Speaker"), self->speakers, &self->speaker_choice));
  gtk_popover_set_child (GTK_POPOVER (popover), popover_box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (devices), popover);
  g_signal_connect (popover, "show", G_CALLBACK (on_devices_shown_cb), self);
  g_signal_connect (self->camera_choice, "notify::selected", G_CALLBACK (on_device_chosen_cb), self);
  g_signal_connect (self->microphone_choice, "notify::selected", G_CALLBACK (on_device_chosen_cb), self);
  g_signal_connect (self->speaker_choice, "notify::selected", G_CALLBACK (on_device_chosen_cb), self);
  gtk_widget_add_css_class (hang_up, "destructive-action");
  g_signal_connect (hang_up, "clicked", G_CALLBACK (on_hang_up_clicked_cb), self);
  gtk_widget_set_halign (controls, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->mute));
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->camera));
  gtk_box_append (GTK_BOX (controls), devices);
  gtk_box_append (GTK_BOX (controls), hang_up);
  gtk_box_append (GTK_BOX (self), controls);
}

/* GObject */

static void
tend_call_view_dispose (GObject *object)
{
  TendCallView *self = TEND_CALL_VIEW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_object (&self->cameras);
  g_clear_object (&self->microphones);
  g_clear_object (&self->speakers);
  G_OBJECT_CLASS (tend_call_view_parent_class)->dispose (object);
}

static void
tend_call_view_finalize (GObject *object)
{
  TendCallView *self = TEND_CALL_VIEW (object);

  g_free (self->timer_text);
  G_OBJECT_CLASS (tend_call_view_parent_class)->finalize (object);
}

static void
tend_call_view_class_init (TendCallViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_call_view_dispose;
  object_class->finalize = tend_call_view_finalize;

  signals[HANG_UP] = g_signal_new ("hang-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The clinician admits a guest from the waiting room. */
  signals[ADMIT] = g_signal_new ("admit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The host asks for the client's join link (@email: mailed as well). */
  signals[INVITE] = g_signal_new ("invite", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
tend_call_view_init (TendCallView *self)
{
  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cameras = g_list_store_new (GST_TYPE_DEVICE);
  self->microphones = g_list_store_new (GST_TYPE_DEVICE);
  self->speakers = g_list_store_new (GST_TYPE_DEVICE);
  build (self);
}

/* Public API */

/**
 * tend_call_view_new:
 * @call: a call, started or not
 *
 * Returns: (transfer floating): the view of @call
 */
GtkWidget *
tend_call_view_new (TendCall *call)
{
  TendCallView *self = g_object_new (TEND_TYPE_CALL_VIEW, NULL);
  g_auto(GStrv) peers = tend_call_dup_peer_ids (call);

  self->call = g_object_ref (call);
  g_signal_connect (call, "frame", G_CALLBACK (on_frame_cb), self);
  g_signal_connect (call, "peer-added", G_CALLBACK (on_peer_added_cb), self);
  g_signal_connect (call, "peer-removed", G_CALLBACK (on_peer_removed_cb), self);
  g_signal_connect (call, "peer-changed", G_CALLBACK (on_peer_changed_cb), self);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_state_cb), self);
  g_signal_connect (call, "error", G_CALLBACK (on_call_error_cb), self);
  for (guint i = 0; peers[i] != NULL; i++)
    on_peer_added_cb (call, peers[i], self);
  gtk_toggle_button_set_active (self->mute, tend_call_get_muted (call));
  gtk_toggle_button_set_active (self->camera, tend_call_get_camera_off (call));
  update_status (self);
  self->tick_id = g_timeout_add (500, on_tick_cb, self);
  on_tick_cb (self);
  return GTK_WIDGET (self);
}

TendCall *
tend_call_view_get_call (TendCallView *self)
{
  g_return_val_if_fail (TEND_IS_CALL_VIEW (self), NULL);
  return self->call;
}

/* The client's name, usually. */
void
tend_call_view_set_title (TendCallView *self,
                          const char   *title)
{
  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  gtk_label_set_text (self->title, title);
}

/* @message: (nullable): what went wrong; %NULL hides it */
void
tend_call_view_show_error (TendCallView *self,
                           const char   *message)
{
  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  gtk_label_set_text (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
}

/* A guest (the client, from the browser) waits to be admitted. */
void
tend_call_view_add_waiting (TendCallView *self,
                            const char   *guest_id,
                            const char   *name)
{
  GtkWidget *row;
  GtkWidget *button;

  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  if (g_hash_table_contains (self->waiting, guest_id))
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : _("Client"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Waiting to join"));
  button = gtk_button_new_with_mnemonic (_("_Admit"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "guest-id", g_strdup (guest_id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_admit_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->waiting_group), row);
  g_hash_table_insert (self->waiting, g_strdup (guest_id), row);
  gtk_widget_set_visible (self->waiting_group, TRUE);
}

void
tend_call_view_remove_waiting (TendCallView *self,
                               const char   *guest_id)
{
  GtkWidget *row;

  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  row = g_hash_table_lookup (self->waiting, guest_id);
  if (row == NULL)
    return;
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->waiting_group), row);
  g_hash_table_remove (self->waiting, guest_id);
  gtk_widget_set_visible (self->waiting_group, g_hash_table_size (self->waiting) > 0);
}

const char *
tend_call_view_get_timer_text (TendCallView *self)
{
  g_return_val_if_fail (TEND_IS_CALL_VIEW (self), NULL);
  return gtk_label_get_text (self->timer);
}

/* Returns: (transfer none) (nullable): what the self view shows */
GdkPaintable *
tend_call_view_get_self_paintable (TendCallView *self)
{
  g_return_val_if_fail (TEND_IS_CALL_VIEW (self), NULL);
  return gtk_picture_get_paintable (self->self_view);
}

/* Returns: (transfer none) (nullable): what a peer's tile shows */
GdkPaintable *
tend_call_view_get_peer_paintable (TendCallView *self,
                                   const char   *peer_id)
{
  GtkWidget *tile;

  g_return_val_if_fail (TEND_IS_CALL_VIEW (self), NULL);
  tile = g_hash_table_lookup (self->tiles, peer_id);
  return tile != NULL ? gtk_picture_get_paintable (g_object_get_data (G_OBJECT (tile), "picture")) : NULL;
}

/* Whether the host may make a join link here (a session with a client, on
 * the practice server). */
void
tend_call_view_set_can_invite (TendCallView *self,
                               gboolean      can_invite)
{
  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  gtk_widget_set_visible (self->invite_group, can_invite);
}

/* While a link is being made the buttons wait; then @message (nullable)
 * says what happened, as an error or not. */
void
tend_call_view_set_invite_state (TendCallView *self,
                                 gboolean      busy,
                                 const char   *message,
                                 gboolean      is_error)
{
  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  gtk_widget_set_sensitive (self->invite_buttons, !busy);
  gtk_label_set_text (self->invite_status, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->invite_status), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->invite_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->invite_status), "error");
}

/* For tests: the invite status shown, or NULL. */
const char *
tend_call_view_get_invite_status (TendCallView *self)
{
  g_return_val_if_fail (TEND_IS_CALL_VIEW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->invite_status)) ? gtk_label_get_text (self->invite_status) : NULL;
}

/* For tests: clicks "Copy Join Link" (@email FALSE) or "E-mail Join Link"
 * as a person would (nothing happens while they are insensitive). */
void
tend_call_view_activate_invite (TendCallView *self,
                                gboolean      email)
{
  g_return_if_fail (TEND_IS_CALL_VIEW (self));
  gtk_widget_activate (email ? self->mail_button : self->copy_button);
}
