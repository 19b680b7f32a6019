/* tend-schedule-grid.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One widget for the week view (a column per day) and the day view (a
 * column per clinician or room).  Positions come from wall-clock time in the
 * practice's zone, so a 09:00 session sits at 09:00 on both sides of a
 * daylight-saving change.  Overlapping appointments in a column share its
 * width side by side.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-schedule-grid.h"

#define HEADER_HEIGHT 44.0
#define GUTTER_WIDTH  60.0
#define MIN_COLUMN    96
#define NAT_COLUMN    150
#define SNAP_MINUTES  15

typedef struct
{
  GDate      day;
  char      *clinician_id;
  char      *room_id;
  GtkWidget *header;
  gboolean   has_hours;   /* the clinician's working hours are known */
  int        work_start;  /* minutes after midnight; start == end: not working */
  int        work_end;
} Column;

typedef struct
{
  TendAppointment *appointment;
  GtkWidget       *tile;
  guint            column;
  double           start_min;   /* minutes after local midnight */
  double           end_min;
  guint            lane;
  guint            n_lanes;
  /* What the tile shows.  The grid draws it in its own snapshot: a tile is
   * one button (focus, clicks, drags, tooltip, accessible label) with no
   * child widgets, as laying out an image and two labels per tile was most
   * of a busy day view's time. */
  char            *time_text;
  char            *name_text;
  const char      *icon_name;
  gboolean         inactive;
  PangoLayout     *time_layout;  /* made at the first snapshot, then kept */
  PangoLayout     *name_layout;
} Placed;

struct _TendScheduleGrid
{
  GtkWidget     parent_instance;

  GTimeZone    *zone;
  GArray       *columns;        /* Column */
  GPtrArray    *placed;         /* Placed */
  GPtrArray    *hour_labels;    /* GtkWidget */
  GPtrArray    *spare;          /* tiles not in use, still parented */
  GPtrArray    *spare_headers;  /* column headings not in use, likewise */
  guint         first_hour;
  guint         last_hour;
  double        hour_height;
  TendNameFunc  name_func;
  gpointer      name_data;
  GHashTable   *colors;         /* clinician id -> colour name, or NULL */
  GHashTable   *icons;          /* icon name -> GtkIconPaintable, at icon_scale */
  int           icon_scale;

  gboolean      dragging;
  double        drag_x1, drag_y1, drag_x2, drag_y2;
};

G_DEFINE_FINAL_TYPE (TendScheduleGrid, tend_schedule_grid, GTK_TYPE_WIDGET)

enum {
  APPOINTMENT_ACTIVATED,
  CREATE_REQUESTED,
  MOVE_REQUESTED,
  RESIZE_REQUESTED,
  N_SIGNALS
};

#define RESIZE_EDGE 8

static guint signals[N_SIGNALS];

static void
column_clear (Column *c)
{
  g_clear_pointer (&c->clinician_id, g_free);
  g_clear_pointer (&c->room_id, g_free);
  g_clear_pointer (&c->header, gtk_widget_unparent);
}

static void
placed_free (Placed *p)
{
  g_clear_pointer (&p->tile, gtk_widget_unparent);
  g_clear_object (&p->appointment);
  g_clear_object (&p->time_layout);
  g_clear_object (&p->name_layout);
  g_free (p->time_text);
  g_free (p->name_text);
  g_free (p);
}

static GtkWidget *create_tile (TendScheduleGrid *self);

/* Tiles are kept for the next set of appointments: building a button and
 * its labels costs far more than setting their text. */
static GtkWidget *
take_tile (TendScheduleGrid *self)
{
  if (self->spare->len > 0)
    {
      GtkWidget *tile = g_ptr_array_steal_index_fast (self->spare, self->spare->len - 1);

      gtk_widget_set_child_visible (tile, TRUE);
      return tile;
    }
  return create_tile (self);
}

static void
recycle_placed (TendScheduleGrid *self)
{
  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);

      gtk_widget_set_child_visible (p->tile, FALSE);
      g_ptr_array_add (self->spare, g_steal_pointer (&p->tile));
    }
  g_ptr_array_set_size (self->placed, 0);
}

static double
column_width (TendScheduleGrid *self,
              int               width)
{
  guint n = MAX (self->columns->len, 1);

  return MAX ((width - GUTTER_WIDTH) / n, 1.0);
}

static double
y_for_minutes (TendScheduleGrid *self,
               double            minutes)
{
  return HEADER_HEIGHT + (minutes - self->first_hour * 60.0) * self->hour_height / 60.0;
}

static GDateTime *
local_datetime (TendScheduleGrid *self,
                const GDate      *day,
                guint             minutes)
{
  return g_date_time_new (self->zone, g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day), (int) (minutes / 60), (int) (minutes % 60), 0);
}

static char *
format_time (GDateTime *dt)
{
  /* TRANSLATORS: a time of day on an appointment; see g_date_time_format() */
  return g_date_time_format (dt, _("%H:%M"));
}

static const char *
status_class (TendAppointmentStatus status)
{
  return tend_appointment_status_to_string (status);
}

static void on_tile_clicked_cb (GtkButton        *button,
                                TendScheduleGrid *self);
static gboolean on_tile_nudge_cb (GtkWidget *tile,
                                  GVariant  *args,
                                  gpointer   user_data);
static void on_tile_drag_begin_cb (GtkGestureDrag   *gesture,
                                   double            x,
                                   double            y,
                                   TendScheduleGrid *self);
static void on_tile_motion_cb (GtkEventControllerMotion *motion,
                               double                    x,
                               double                    y,
                               TendScheduleGrid         *self);
static void on_tile_drag_update_cb (GtkGestureDrag   *gesture,
                                    double            dx,
                                    double            dy,
                                    TendScheduleGrid *self);
static void on_tile_drag_end_cb (GtkGestureDrag   *gesture,
                                 double            dx,
                                 double            dy,
                                 TendScheduleGrid *self);

static gboolean
on_tile_query_tooltip_cb (GtkWidget  *tile,
                          int         x,
                          int         y,
                          gboolean    keyboard,
                          GtkTooltip *tooltip,
                          gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (tile), "tooltip");

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

#define TILE_ICON_SIZE    12
#define TILE_ICON_SPACING 4

/* A tile without its behaviour or its content: shared by the grid's tiles
 * (whose text the grid draws) and the legend's samples (which have an icon
 * and a label of their own), so the legend always looks like the grid. */
static GtkWidget *
tile_new (void)
{
  GtkWidget *button = gtk_button_new ();

  gtk_widget_add_css_class (button, "tend-tile");
  return button;
}

/* Each tile's look: its status's colour, video, blocked time, or struck
 * through when it will not take place; in the rooms view its clinician's
 * colour on the edge (@color, or %NULL).  The classes are set together,
 * and only when they change: a reused tile with the same look is not
 * restyled. */
static void
tile_set_look (GtkWidget             *button,
               TendAppointmentStatus  status,
               gboolean               blocked,
               gboolean               telehealth,
               const char            *color)
{
  g_autofree char *color_class = color != NULL ? g_strconcat ("clinician-", color, NULL) : NULL;
  g_autofree char *key = NULL;
  const char *classes[7];
  guint n = 0;

  classes[n++] = "tend-tile";
  classes[n++] = status_class (status);
  if (blocked)
    classes[n++] = "blocked";
  if (telehealth)
    classes[n++] = "telehealth";
  if (!tend_appointment_status_is_active (status))
    classes[n++] = "inactive";
  if (color_class != NULL)
    classes[n++] = color_class;
  classes[n] = NULL;
  key = g_strjoinv (" ", (char **) classes);
  if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "tend-look"), key) != 0)
    {
      gtk_widget_set_css_classes (button, classes);
      g_object_set_data_full (G_OBJECT (button), "tend-look", g_steal_pointer (&key), g_free);
    }
}

/**
 * tend_schedule_grid_legend_new:
 *
 * What the grid's colours and icons mean: a sample tile for each status,
 * for video sessions and for blocked time, made by the same code as the
 * grid's own tiles, and the shade of a clinician's hours off.
 *
 * Returns: (transfer floating): the legend, for a popover
 */
GtkWidget *
tend_schedule_grid_legend_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  static const struct { TendAppointmentStatus status; gboolean blocked, telehealth; const char *label; } samples[] = {
    { TEND_APPOINTMENT_SCHEDULED, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_CONFIRMED, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_ARRIVED, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_COMPLETED, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_NO_SHOW, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_CANCELLED, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_LATE_CANCELLED, FALSE, FALSE, NULL },
    { TEND_APPOINTMENT_SCHEDULED, FALSE, TRUE, N_("Video session") },
    { TEND_APPOINTMENT_SCHEDULED, TRUE, FALSE, N_("Blocked time") },
  };
  GtkWidget *off, *off_label, *off_row;

  gtk_widget_add_css_class (box, "tend-legend");
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      GtkWidget *tile = tile_new ();
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, TILE_ICON_SPACING);
      GtkWidget *icon = gtk_image_new_from_icon_name (tend_appointment_status_get_icon (samples[i].status));
      GtkWidget *name = gtk_label_new (samples[i].label != NULL ? _(samples[i].label)
                                                                : tend_appointment_status_get_label (samples[i].status));

      /* The icon and, where a tile has its time, the word (in the name's
       * bold, struck through when inactive, as the grid draws it). */
      gtk_image_set_pixel_size (GTK_IMAGE (icon), TILE_ICON_SIZE);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (name, "tend-tile-name");
      gtk_box_append (GTK_BOX (top), icon);
      gtk_box_append (GTK_BOX (top), name);
      gtk_widget_set_valign (top, GTK_ALIGN_START);
      gtk_button_set_child (GTK_BUTTON (tile), top);
      tile_set_look (tile, samples[i].status, samples[i].blocked, samples[i].telehealth, NULL);
      /* A picture of a tile, not a control. */
      gtk_widget_set_can_target (tile, FALSE);
      gtk_widget_set_focusable (tile, FALSE);
      gtk_box_append (GTK_BOX (box), tile);
    }

  off_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  off = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_size_request (off, 24, 24);
  gtk_widget_add_css_class (off, "tend-legend-off");
  off_label = gtk_label_new (_("Outside working hours"));
  gtk_label_set_xalign (GTK_LABEL (off_label), 0);
  gtk_box_append (GTK_BOX (off_row), off);
  gtk_box_append (GTK_BOX (off_row), off_label);
  gtk_widget_set_margin_top (off_row, 4);
  gtk_box_append (GTK_BOX (box), off_row);
  return box;
}

/* A clinician's colour on a column heading or a tile ("clinician-blue"),
 * replacing the one it had; %NULL for none. */
static void
set_color_class (GtkWidget  *widget,
                 const char *color)
{
  const char *old = g_object_get_data (G_OBJECT (widget), "tend-color-class");
  g_autofree char *class = color != NULL ? g_strconcat ("clinician-", color, NULL) : NULL;

  if (g_strcmp0 (old, class) == 0)
    return;
  if (old != NULL)
    gtk_widget_remove_css_class (widget, old);
  if (class != NULL)
    gtk_widget_add_css_class (widget, class);
  g_object_set_data_full (G_OBJECT (widget), "tend-color-class", g_steal_pointer (&class), g_free);
}

/* The widgets of a tile; filled (and refilled when reused) by bind_tile(). */
static GtkWidget *
create_tile (TendScheduleGrid *self)
{
  GtkWidget *button = tile_new ();

  g_signal_connect (button, "clicked", G_CALLBACK (on_tile_clicked_cb), self);
  gtk_widget_set_has_tooltip (button, TRUE);
  g_signal_connect (button, "query-tooltip", G_CALLBACK (on_tile_query_tooltip_cb), NULL);
  {
    GtkGesture *drag = gtk_gesture_drag_new ();

    g_signal_connect (drag, "drag-begin", G_CALLBACK (on_tile_drag_begin_cb), self);
    g_signal_connect (drag, "drag-update", G_CALLBACK (on_tile_drag_update_cb), self);
    g_signal_connect (drag, "drag-end", G_CALLBACK (on_tile_drag_end_cb), self);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
    gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (drag));
  }
  {
    GtkEventController *motion = gtk_event_controller_motion_new ();

    g_signal_connect (motion, "motion", G_CALLBACK (on_tile_motion_cb), self);
    gtk_widget_add_controller (button, motion);
  }
  {
    /* Shortcuts rather than a key handler, so the shortcuts window and its
     * test see them. */
    GtkEventController *keys = gtk_shortcut_controller_new ();
    static const struct { guint keyval; GdkModifierType mods; int minutes; } nudges[] = {
      { GDK_KEY_Up, GDK_ALT_MASK, -SNAP_MINUTES },
      { GDK_KEY_Down, GDK_ALT_MASK, SNAP_MINUTES },
      { GDK_KEY_Up, GDK_ALT_MASK | GDK_SHIFT_MASK, -24 * 60 },
      { GDK_KEY_Down, GDK_ALT_MASK | GDK_SHIFT_MASK, 24 * 60 },
    };

    for (guint k = 0; k < G_N_ELEMENTS (nudges); k++)
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                            gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (nudges[k].keyval, nudges[k].mods),
                                                                             gtk_callback_action_new (on_tile_nudge_cb, self, NULL),
                                                                             "i", nudges[k].minutes));
    gtk_widget_add_controller (button, keys);
  }
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  return button;
}

static void
bind_tile (TendScheduleGrid *self,
           Placed           *p)
{
  TendAppointment *a = p->appointment;
  GtkWidget *button = p->tile;
  TendAppointmentStatus status = tend_appointment_get_status (a);
  g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
  g_autoptr(GDateTime) end = tend_appointment_dup_end (a);
  g_autoptr(GDateTime) ls = g_date_time_to_timezone (start, self->zone);
  g_autoptr(GDateTime) le = g_date_time_to_timezone (end, self->zone);
  g_autofree char *to = format_time (le);
  g_autofree char *times = NULL;
  char *who = NULL;
  g_autofree char *accessible = NULL;

  if (tend_appointment_get_kind (a) == TEND_APPOINTMENT_KIND_BLOCKED)
    who = g_strdup (tend_appointment_get_title (a) != NULL ? tend_appointment_get_title (a) : _("Busy"));
  else if (tend_appointment_is_multi_client (a))
    {
      /* "Family (3): Ana Ruiz, Ben Ruiz, Lu Ruiz", cut where the tile ends. */
      g_auto(GStrv) members = tend_appointment_dup_member_ids (a);
      GString *text = g_string_new (NULL);

      /* TRANSLATORS: a couple, family or group session's tile: "Group (4)" */
      g_string_printf (text, _("%s (%u)"), tend_session_type_get_label (tend_appointment_get_session_type (a)),
                       g_strv_length (members));
      for (guint i = 0; self->name_func != NULL && members[i] != NULL; i++)
        {
          g_autofree char *name = self->name_func (members[i], self->name_data);

          if (name != NULL)
            g_string_append_printf (text, i == 0 ? ": %s" : ", %s", name);
        }
      who = g_string_free (text, FALSE);
    }
  else if (self->name_func != NULL && tend_appointment_get_client_id (a) != NULL)
    who = self->name_func (tend_appointment_get_client_id (a), self->name_data);
  if (who == NULL)
    who = g_strdup (_("Session"));

  /* The start is what a glance needs; the range is in the tooltip. */
  p->time_text = format_time (ls);
  p->name_text = who;
  p->icon_name = tend_appointment_status_get_icon (status);
  p->inactive = !tend_appointment_status_is_active (status);
  times = g_strdup_printf ("%s – %s", p->time_text, to);
  /* In the rooms view the columns are rooms: the edge says whose session. */
  tile_set_look (button, status, tend_appointment_get_kind (a) == TEND_APPOINTMENT_KIND_BLOCKED,
                 tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH,
                 self->colors != NULL && self->columns->len > 0 &&
                 g_array_index (self->columns, Column, 0).room_id != NULL
                 ? g_hash_table_lookup (self->colors, tend_appointment_get_clinician_id (a)) : NULL);

  /* Screen readers get the whole story, not the colour: the button is the
   * tile for them (focusable, a button with this label), whoever draws it. */
  accessible = g_strdup_printf ("%s, %s, %s", who, times, tend_appointment_status_get_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  /* The tooltip text is handed out on demand: setting a tooltip on every
   * tile costs more than everything else a tile needs. */
  g_object_set_data_full (G_OBJECT (button), "tooltip", g_steal_pointer (&accessible), g_free);
  g_object_set_data_full (G_OBJECT (button), "appointment-id",
                          g_strdup (tend_record_get_id (TEND_RECORD (a))), g_free);
}

static void
on_tile_clicked_cb (GtkButton        *button,
                    TendScheduleGrid *self)
{
  g_signal_emit (self, signals[APPOINTMENT_ACTIVATED], 0,
                 g_object_get_data (G_OBJECT (button), "appointment-id"));
}

static int
compare_placed (gconstpointer a,
                gconstpointer b)
{
  const Placed *pa = *(Placed * const *) a, *pb = *(Placed * const *) b;

  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  if (pa->start_min != pb->start_min)
    return pa->start_min < pb->start_min ? -1 : 1;
  return pa->end_min > pb->end_min ? -1 : pa->end_min < pb->end_min ? 1 : 0;
}

/* Overlapping appointments in a column form a cluster; each gets the first
 * free lane, and the whole cluster shares the column width. */
static void
assign_lanes (TendScheduleGrid *self)
{
  guint i = 0;

  g_ptr_array_sort (self->placed, compare_placed);
  while (i < self->placed->len)
    {
      Placed *first = g_ptr_array_index (self->placed, i);
      double cluster_end = first->end_min;
      guint j = i, n_lanes = 0;
      g_autoptr(GArray) lane_end = g_array_new (FALSE, FALSE, sizeof (double));

      while (j < self->placed->len)
        {
          Placed *p = g_ptr_array_index (self->placed, j);
          guint lane;

          if (p->column != first->column || p->start_min >= cluster_end)
            break;
          for (lane = 0; lane < lane_end->len; lane++)
            if (g_array_index (lane_end, double, lane) <= p->start_min)
              break;
          if (lane == lane_end->len)
            g_array_append_val (lane_end, p->end_min);
          else
            g_array_index (lane_end, double, lane) = p->end_min;
          p->lane = lane;
          cluster_end = MAX (cluster_end, p->end_min);
          n_lanes = MAX (n_lanes, lane + 1);
          j++;
        }
      for (guint k = i; k < j; k++)
        ((Placed *) g_ptr_array_index (self->placed, k))->n_lanes = n_lanes;
      i = j;
    }
}

static gboolean
tile_rect (TendScheduleGrid *self,
           Placed           *p,
           int               width,
           graphene_rect_t  *rect)
{
  double cw = column_width (self, width);
  double top = y_for_minutes (self, MAX (p->start_min, self->first_hour * 60.0));
  double bottom = y_for_minutes (self, MIN (p->end_min, self->last_hour * 60.0));
  double lane_w = (cw - 6) / MAX (p->n_lanes, 1);

  if (bottom <= top)
    return FALSE;
  graphene_rect_init (rect, GUTTER_WIDTH + p->column * cw + 2 + p->lane * lane_w, top + 1,
                      MAX (lane_w - 2, 1), MAX (bottom - top - 2, 1));
  return TRUE;
}

static void
tend_schedule_grid_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  TendScheduleGrid *self = TEND_SCHEDULE_GRID (widget);
  guint n = MAX (self->columns->len, 1);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) GUTTER_WIDTH + (int) n * MIN_COLUMN;
      *natural = (int) GUTTER_WIDTH + (int) n * NAT_COLUMN;
    }
  else
    {
      *minimum = *natural = (int) (HEADER_HEIGHT + (self->last_hour - self->first_hour) * self->hour_height);
    }
}

static void
allocate_child (GtkWidget             *child,
                const graphene_rect_t *r)
{
  GtkAllocation a = { (int) r->origin.x, (int) r->origin.y, (int) r->size.width, (int) r->size.height };
  int min_h;

  /* Children are told their size; GTK wants them measured first.  One
   * measure, for the height at the width they get, is enough (half the
   * label layouts of measuring both ways without a size). */
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, a.width, &min_h, NULL, NULL, NULL);
  gtk_widget_size_allocate (child, &a, -1);
}

static void
tend_schedule_grid_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  TendScheduleGrid *self = TEND_SCHEDULE_GRID (widget);
  double cw = column_width (self, width);

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      graphene_rect_t r;

      graphene_rect_init (&r, GUTTER_WIDTH + i * cw, 0, cw, HEADER_HEIGHT);
      allocate_child (c->header, &r);
    }
  for (guint h = 0; h < self->hour_labels->len; h++)
    {
      graphene_rect_t r;

      graphene_rect_init (&r, 0, y_for_minutes (self, (self->first_hour + h) * 60.0) - 8,
                          GUTTER_WIDTH - 8, 16);
      allocate_child (g_ptr_array_index (self->hour_labels, h), &r);
    }
  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);
      graphene_rect_t r;

      if (tile_rect (self, p, width, &r))
        {
          gtk_widget_set_child_visible (p->tile, TRUE);
          allocate_child (p->tile, &r);
        }
      else
        gtk_widget_set_child_visible (p->tile, FALSE);
    }
}

/* The status's icon, looked up once per grid (and again when the theme or
 * the scale changes). */
static GdkPaintable *
tile_icon (TendScheduleGrid *self,
           const char       *name)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  GtkIconPaintable *icon;

  if (self->icons == NULL || scale != self->icon_scale)
    {
      g_clear_pointer (&self->icons, g_hash_table_unref);
      self->icons = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
      self->icon_scale = scale;
    }
  icon = g_hash_table_lookup (self->icons, name);
  if (icon == NULL)
    {
      icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                         name, NULL, TILE_ICON_SIZE, scale, gtk_widget_get_direction (GTK_WIDGET (self)), 0);
      g_hash_table_insert (self->icons, (gpointer) name, icon);
    }
  return GDK_PAINTABLE (icon);
}

/* A tile's content, as its icon and two labels laid it out before: the icon
 * and the start time (a caption) in the first row, the name (bold, struck
 * through when it will not take place) under them, each ellipsized to the
 * tile's width, in the tile's own colour.  The layouts are made once per
 * placed appointment and kept; only their width follows the tile's. */
static void
snapshot_tile_content (TendScheduleGrid *self,
                       GtkSnapshot      *snapshot,
                       Placed           *p)
{
  GtkWidget *tile = p->tile;
  GtkStyleContext *style = gtk_widget_get_style_context (tile);
  gboolean rtl = gtk_widget_get_direction (tile) == GTK_TEXT_DIR_RTL;
  GtkAllocation alloc;
  GtkBorder border, padding;
  GdkRGBA color;
  int x, y, w, text_w, time_h, name_h, row;

  if (!gtk_widget_get_child_visible (tile))
    return;
  gtk_widget_get_allocation (tile, &alloc);
  gtk_style_context_get_border (style, &border);
  gtk_style_context_get_padding (style, &padding);
  gtk_style_context_get_color (style, &color);
  x = alloc.x + border.left + padding.left;
  y = alloc.y + border.top + padding.top;
  w = alloc.width - border.left - border.right - padding.left - padding.right;
  if (w <= 0)
    return;
  text_w = MAX (w - TILE_ICON_SIZE - TILE_ICON_SPACING, 0);

  if (p->time_layout == NULL)
    {
      PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (gtk_widget_get_pango_context (tile)));
      PangoAttrList *attrs = pango_attr_list_new ();

      /* The hour labels are captions: the time is set in their font. */
      p->time_layout = gtk_widget_create_pango_layout (tile, p->time_text);
      if (self->hour_labels->len > 0)
        pango_layout_set_font_description (p->time_layout,
                                           pango_context_get_font_description (gtk_widget_get_pango_context (g_ptr_array_index (self->hour_labels, 0))));
      pango_layout_set_ellipsize (p->time_layout, PANGO_ELLIPSIZE_END);
      p->name_layout = gtk_widget_create_pango_layout (tile, p->name_text);
      pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
      pango_layout_set_font_description (p->name_layout, font);
      if (p->inactive)
        pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
      pango_layout_set_attributes (p->name_layout, attrs);
      pango_layout_set_ellipsize (p->name_layout, PANGO_ELLIPSIZE_END);
      pango_attr_list_unref (attrs);
      pango_font_description_free (font);
    }
  if (pango_layout_get_width (p->time_layout) != text_w * PANGO_SCALE)
    pango_layout_set_width (p->time_layout, text_w * PANGO_SCALE);
  if (pango_layout_get_width (p->name_layout) != w * PANGO_SCALE)
    pango_layout_set_width (p->name_layout, w * PANGO_SCALE);
  pango_layout_set_alignment (p->time_layout, rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_alignment (p->name_layout, rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (p->time_layout, NULL, &time_h);
  pango_layout_get_pixel_size (p->name_layout, NULL, &name_h);
  row = MAX (TILE_ICON_SIZE, time_h);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rtl ? x + w - TILE_ICON_SIZE : x,
                                                          y + (row - TILE_ICON_SIZE) / 2));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (tile_icon (self, p->icon_name)), snapshot,
                                            TILE_ICON_SIZE, TILE_ICON_SIZE, &color, 1);
  gtk_snapshot_restore (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rtl ? x : x + TILE_ICON_SIZE + TILE_ICON_SPACING,
                                                          y + (row - time_h) / 2));
  gtk_snapshot_append_layout (snapshot, p->time_layout, &color);
  gtk_snapshot_restore (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + row));
  gtk_snapshot_append_layout (snapshot, p->name_layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
tend_schedule_grid_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TendScheduleGrid *self = TEND_SCHEDULE_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double cw = column_width (self, width);
  GdkRGBA fg, line, faint, off, accent = { 0.21, 0.52, 0.89, 0.18 }, now_color = { 0.88, 0.11, 0.14, 1 };
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  GDate today;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  line = fg;
  line.alpha = 0.15;
  faint = fg;
  faint.alpha = 0.06;
  off = fg;
  off.alpha = 0.10;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      GDateWeekday wd = g_date_get_weekday (&c->day);

      if (c->has_hours)
        {
          /* Shade the clinician's hours off, so a free-looking 15:00 that
           * would be refused does not look free. */
          double top = y_for_minutes (self, self->first_hour * 60.0), bottom = y_for_minutes (self, self->last_hour * 60.0);
          double from = c->work_start < c->work_end ? y_for_minutes (self, c->work_start) : bottom;
          double to = c->work_start < c->work_end ? y_for_minutes (self, c->work_end) : bottom;

          from = CLAMP (from, top, bottom);
          to = CLAMP (to, top, bottom);
          if (from > top)
            gtk_snapshot_append_color (snapshot, &off, &GRAPHENE_RECT_INIT (GUTTER_WIDTH + i * cw, top, cw, from - top));
          if (to < bottom)
            gtk_snapshot_append_color (snapshot, &off, &GRAPHENE_RECT_INIT (GUTTER_WIDTH + i * cw, to, cw, bottom - to));
        }
      else if (wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY)
        gtk_snapshot_append_color (snapshot, &faint,
                                   &GRAPHENE_RECT_INIT (GUTTER_WIDTH + i * cw, HEADER_HEIGHT, cw, height - HEADER_HEIGHT));
      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (GUTTER_WIDTH + i * cw, 0, 1, height));
    }
  for (guint h = self->first_hour; h <= self->last_hour; h++)
    {
      double y = y_for_minutes (self, h * 60.0);

      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (GUTTER_WIDTH, y, width - GUTTER_WIDTH, 1));
      if (h < self->last_hour)
        gtk_snapshot_append_color (snapshot, &faint,
                                   &GRAPHENE_RECT_INIT (GUTTER_WIDTH, y + self->hour_height / 2, width - GUTTER_WIDTH, 1));
    }

  if (self->dragging)
    {
      guint col;
      double top = MIN (self->drag_y1, self->drag_y2), bottom = MAX (self->drag_y1, self->drag_y2);

      if (tend_schedule_grid_time_at (self, self->drag_x1, self->drag_y1, &col, NULL))
        gtk_snapshot_append_color (snapshot, &accent,
                                   &GRAPHENE_RECT_INIT (GUTTER_WIDTH + col * cw + 2, top, cw - 4, bottom - top));
    }

  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);

      gtk_widget_snapshot_child (widget, p->tile, snapshot);
      snapshot_tile_content (self, snapshot, p);
    }
  for (guint i = 0; i < self->columns->len; i++)
    gtk_widget_snapshot_child (widget, g_array_index (self->columns, Column, i).header, snapshot);
  for (guint h = 0; h < self->hour_labels->len; h++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->hour_labels, h), snapshot);

  /* The current time, across today's column. */
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      double minutes = g_date_time_get_hour (now) * 60.0 + g_date_time_get_minute (now);

      if (g_date_compare (&c->day, &today) == 0 &&
          minutes >= self->first_hour * 60.0 && minutes <= self->last_hour * 60.0)
        gtk_snapshot_append_color (snapshot, &now_color,
                                   &GRAPHENE_RECT_INIT (GUTTER_WIDTH + i * cw, y_for_minutes (self, minutes) - 1, cw, 2));
    }
}

static void
on_drag_begin_cb (GtkGestureDrag   *gesture,
                  double            x,
                  double            y,
                  TendScheduleGrid *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* On a tile, a drag moves that appointment (its own gesture), not this. */
  if (x < GUTTER_WIDTH || y < HEADER_HEIGHT ||
      (picked != NULL && picked != GTK_WIDGET (self) &&
       gtk_widget_get_ancestor (picked, GTK_TYPE_BUTTON) != NULL))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragging = TRUE;
  self->drag_x1 = self->drag_x2 = x;
  self->drag_y1 = self->drag_y2 = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_update_cb (GtkGestureDrag   *gesture,
                   double            dx,
                   double            dy,
                   TendScheduleGrid *self)
{
  self->drag_x2 = self->drag_x1 + dx;
  self->drag_y2 = self->drag_y1 + dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end_cb (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                TendScheduleGrid *self)
{
  if (!self->dragging)
    return;
  self->dragging = FALSE;
  tend_schedule_grid_drag (self, self->drag_x1, self->drag_y1, self->drag_x1 + dx, self->drag_y1 + dy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tend_schedule_grid_dispose (GObject *object)
{
  TendScheduleGrid *self = TEND_SCHEDULE_GRID (object);

  if (self->placed != NULL)
    g_ptr_array_set_size (self->placed, 0);
  if (self->spare != NULL)
    {
      for (guint i = 0; i < self->spare->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->spare, i));
      g_ptr_array_set_size (self->spare, 0);
    }
  if (self->spare_headers != NULL)
    {
      for (guint i = 0; i < self->spare_headers->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->spare_headers, i));
      g_ptr_array_set_size (self->spare_headers, 0);
    }
  if (self->hour_labels != NULL)
    {
      for (guint i = 0; i < self->hour_labels->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->hour_labels, i));
      g_ptr_array_set_size (self->hour_labels, 0);
    }
  if (self->columns != NULL)
    g_array_set_size (self->columns, 0);
  G_OBJECT_CLASS (tend_schedule_grid_parent_class)->dispose (object);
}

static void
tend_schedule_grid_finalize (GObject *object)
{
  TendScheduleGrid *self = TEND_SCHEDULE_GRID (object);

  g_clear_pointer (&self->colors, g_hash_table_unref);
  g_clear_pointer (&self->icons, g_hash_table_unref);
  g_clear_pointer (&self->placed, g_ptr_array_unref);
  g_clear_pointer (&self->spare, g_ptr_array_unref);
  g_clear_pointer (&self->spare_headers, g_ptr_array_unref);
  g_clear_pointer (&self->hour_labels, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_array_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_schedule_grid_parent_class)->finalize (object);
}

/* Fonts and icons come from the settings: the tiles' layouts and icons are
 * made again at the next snapshot. */
static void
tend_schedule_grid_system_setting_changed (GtkWidget        *widget,
                                           GtkSystemSetting  setting)
{
  TendScheduleGrid *self = TEND_SCHEDULE_GRID (widget);

  g_clear_pointer (&self->icons, g_hash_table_unref);
  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);

      g_clear_object (&p->time_layout);
      g_clear_object (&p->name_layout);
    }
  GTK_WIDGET_CLASS (tend_schedule_grid_parent_class)->system_setting_changed (widget, setting);
  gtk_widget_queue_draw (widget);
}

static void
tend_schedule_grid_class_init (TendScheduleGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_schedule_grid_dispose;
  object_class->finalize = tend_schedule_grid_finalize;
  widget_class->measure = tend_schedule_grid_measure;
  widget_class->size_allocate = tend_schedule_grid_size_allocate;
  widget_class->snapshot = tend_schedule_grid_snapshot;
  widget_class->system_setting_changed = tend_schedule_grid_system_setting_changed;

  /**
   * TendScheduleGrid::appointment-activated:
   * @id: the appointment's id
   */
  signals[APPOINTMENT_ACTIVATED] =
    g_signal_new ("appointment-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TendScheduleGrid::create-requested:
   * @column: the column dragged in
   * @start: the start, snapped to a quarter hour
   * @end: the end
   */
  signals[CREATE_REQUESTED] =
    g_signal_new ("create-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_DATE_TIME, G_TYPE_DATE_TIME);

  /**
   * TendScheduleGrid::move-requested:
   * @id: the appointment dragged
   * @column: the column it was dropped in
   * @start: its new start
   */
  signals[MOVE_REQUESTED] =
    g_signal_new ("move-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_DATE_TIME);

  /**
   * TendScheduleGrid::resize-requested:
   * @id: the appointment whose bottom edge was dragged
   * @end: its new end
   */
  signals[RESIZE_REQUESTED] =
    g_signal_new ("resize-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DATE_TIME);

  gtk_widget_class_set_css_name (widget_class, "schedulegrid");
}

static void
tend_schedule_grid_init (TendScheduleGrid *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->zone = g_time_zone_new_utc ();
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, (GDestroyNotify) column_clear);
  self->placed = g_ptr_array_new_with_free_func ((GDestroyNotify) placed_free);
  self->hour_labels = g_ptr_array_new ();
  self->spare = g_ptr_array_new ();
  self->spare_headers = g_ptr_array_new ();
  self->hour_height = 56;
  tend_schedule_grid_set_hours (self, 7, 21);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
tend_schedule_grid_new (void)
{
  return g_object_new (TEND_TYPE_SCHEDULE_GRID, NULL);
}

void
tend_schedule_grid_set_zone (TendScheduleGrid *self,
                             GTimeZone        *zone)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  g_return_if_fail (zone != NULL);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = g_time_zone_ref (zone);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * tend_schedule_grid_set_clinician_colors:
 * @colors: (nullable): staff id -> colour name (tend_staff_get_color())
 *
 * Each clinician's colour: under their column's heading in the day view,
 * and on the edge of their sessions in the rooms view.
 */
void
tend_schedule_grid_set_clinician_colors (TendScheduleGrid *self,
                                         GHashTable       *colors)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  if (colors != NULL)
    g_hash_table_ref (colors);
  g_clear_pointer (&self->colors, g_hash_table_unref);
  self->colors = colors;
}

void
tend_schedule_grid_set_name_func (TendScheduleGrid *self,
                                  TendNameFunc      func,
                                  gpointer          user_data)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  self->name_func = func;
  self->name_data = user_data;
}

void
tend_schedule_grid_set_hours (TendScheduleGrid *self,
                              guint             first_hour,
                              guint             last_hour)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  g_return_if_fail (first_hour < last_hour && last_hour <= 24);

  for (guint i = 0; i < self->hour_labels->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->hour_labels, i));
  g_ptr_array_set_size (self->hour_labels, 0);

  self->first_hour = first_hour;
  self->last_hour = last_hour;
  for (guint h = first_hour; h < last_hour; h++)
    {
      g_autoptr(GDateTime) t = g_date_time_new_utc (2000, 1, 1, (int) h, 0, 0);
      g_autofree char *text = format_time (t);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_set_parent (label, GTK_WIDGET (self));
      g_ptr_array_add (self->hour_labels, label);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

double
tend_schedule_grid_get_hour_height (TendScheduleGrid *self)
{
  g_return_val_if_fail (TEND_IS_SCHEDULE_GRID (self), 0);
  return self->hour_height;
}

void
tend_schedule_grid_clear_columns (TendScheduleGrid *self)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  recycle_placed (self);
  /* Headings are kept for the next columns (switching weeks reuses them). */
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);

      gtk_widget_set_child_visible (c->header, FALSE);
      g_ptr_array_add (self->spare_headers, g_steal_pointer (&c->header));
    }
  g_array_set_size (self->columns, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * tend_schedule_grid_add_column:
 * @day: the local day the column shows
 * @clinician_id: (nullable): only this clinician's appointments, or all
 * @title: the column's heading
 */
void
tend_schedule_grid_add_column (TendScheduleGrid *self,
                               GDate            *day,
                               const char       *clinician_id,
                               const char       *title)
{
  Column c = { 0 };

  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));

  c.day = *day;
  c.clinician_id = g_strdup (clinician_id);
  if (self->spare_headers->len > 0)
    {
      c.header = g_ptr_array_steal_index_fast (self->spare_headers, self->spare_headers->len - 1);
      gtk_label_set_text (GTK_LABEL (c.header), title);
      gtk_widget_set_child_visible (c.header, TRUE);
    }
  else
    {
      c.header = gtk_label_new (title);
      gtk_label_set_ellipsize (GTK_LABEL (c.header), PANGO_ELLIPSIZE_END);
      gtk_label_set_justify (GTK_LABEL (c.header), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (c.header, "tend-column-title");
      gtk_widget_set_parent (c.header, GTK_WIDGET (self));
    }
  set_color_class (c.header, self->colors != NULL && clinician_id != NULL
                             ? g_hash_table_lookup (self->colors, clinician_id) : NULL);
  g_array_append_val (self->columns, c);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
tend_schedule_grid_get_n_columns (TendScheduleGrid *self)
{
  g_return_val_if_fail (TEND_IS_SCHEDULE_GRID (self), 0);
  return self->columns->len;
}

/**
 * tend_schedule_grid_add_room_column:
 * @room_id: only appointments in this room
 *
 * A column for the rooms view: who is in each room that day.
 */
void
tend_schedule_grid_add_room_column (TendScheduleGrid *self,
                                    GDate            *day,
                                    const char       *room_id,
                                    const char       *title)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  g_return_if_fail (room_id != NULL);

  tend_schedule_grid_add_column (self, day, NULL, title);
  g_array_index (self->columns, Column, self->columns->len - 1).room_id = g_strdup (room_id);
}

/**
 * tend_schedule_grid_set_column_hours:
 * @start: when the clinician starts that day, in minutes after midnight
 * @end: when they stop; equal to @start when they do not work that day
 *
 * Shades the rest of the column's day as outside working hours.
 */
void
tend_schedule_grid_set_column_hours (TendScheduleGrid *self,
                                     guint             column,
                                     int               start,
                                     int               end)
{
  Column *c;

  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));
  g_return_if_fail (column < self->columns->len);

  c = &g_array_index (self->columns, Column, column);
  c->has_hours = TRUE;
  c->work_start = start;
  c->work_end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * tend_schedule_grid_get_column_hours:
 * @start: (out): minutes after midnight
 * @end: (out): likewise; equal to @start on a day off
 *
 * Returns: whether the column's working hours are known
 */
gboolean
tend_schedule_grid_get_column_hours (TendScheduleGrid *self,
                                     guint             column,
                                     int              *start,
                                     int              *end)
{
  Column *c;

  g_return_val_if_fail (TEND_IS_SCHEDULE_GRID (self), FALSE);
  g_return_val_if_fail (column < self->columns->len, FALSE);

  c = &g_array_index (self->columns, Column, column);
  *start = c->work_start;
  *end = c->work_end;
  return c->has_hours;
}

/**
 * tend_schedule_grid_get_column_clinician:
 *
 * Returns: (nullable): the clinician a column shows, or %NULL for everyone
 */
const char *
tend_schedule_grid_get_column_clinician (TendScheduleGrid *self,
                                         guint             column)
{
  g_return_val_if_fail (TEND_IS_SCHEDULE_GRID (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);
  return g_array_index (self->columns, Column, column).clinician_id;
}

/**
 * tend_schedule_grid_set_appointments:
 * @appointments: (element-type TendAppointment): what to show; each goes in
 *   every column whose day (and clinician, if the column has one) it falls on
 */
void
tend_schedule_grid_set_appointments (TendScheduleGrid *self,
                                     GPtrArray        *appointments)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));

  recycle_placed (self);
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (appointments, i);
      g_autoptr(GDateTime) s = tend_appointment_dup_start (a);
      g_autoptr(GDateTime) e = tend_appointment_dup_end (a);
      g_autoptr(GDateTime) ls = NULL;
      g_autoptr(GDateTime) le = NULL;

      if (s == NULL || e == NULL)
        continue;
      ls = g_date_time_to_timezone (s, self->zone);
      le = g_date_time_to_timezone (e, self->zone);

      for (guint c = 0; c < self->columns->len; c++)
        {
          Column *col = &g_array_index (self->columns, Column, c);
          Placed *p;

          if (g_date_time_get_year (ls) != (int) g_date_get_year (&col->day) ||
              g_date_time_get_month (ls) != (int) g_date_get_month (&col->day) ||
              g_date_time_get_day_of_month (ls) != (int) g_date_get_day (&col->day))
            continue;
          if (col->clinician_id != NULL &&
              g_strcmp0 (col->clinician_id, tend_appointment_get_clinician_id (a)) != 0)
            continue;
          if (col->room_id != NULL &&
              g_strcmp0 (col->room_id, tend_appointment_get_room_id (a)) != 0)
            continue;

          p = g_new0 (Placed, 1);
          p->appointment = g_object_ref (a);
          p->column = c;
          p->start_min = g_date_time_get_hour (ls) * 60.0 + g_date_time_get_minute (ls);
          /* An end on a later day runs to the bottom of the column. */
          p->end_min = g_date_time_get_day_of_month (le) == g_date_time_get_day_of_month (ls)
                       ? g_date_time_get_hour (le) * 60.0 + g_date_time_get_minute (le) : 24 * 60.0;
          p->tile = take_tile (self);
          bind_tile (self, p);
          g_ptr_array_add (self->placed, p);
        }
    }
  assign_lanes (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * tend_schedule_grid_get_tile_bounds:
 *
 * Where an appointment is drawn, in the grid's coordinates.
 */
gboolean
tend_schedule_grid_get_tile_bounds (TendScheduleGrid *self,
                                    const char       *appointment_id,
                                    graphene_rect_t  *bounds)
{
  g_return_val_if_fail (TEND_IS_SCHEDULE_GRID (self), FALSE);

  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);

      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (p->appointment)), appointment_id) == 0)
        return tile_rect (self, p, gtk_widget_get_width (GTK_WIDGET (self)), bounds);
    }
  return FALSE;
}

/**
 * tend_schedule_grid_time_at:
 * @column: (out) (optional): the column under (@x, @y)
 * @time: (out) (optional) (transfer full): the local time there, snapped
 *   down to a quarter hour
 *
 * Returns: %FALSE outside the columns' time area
 */
gboolean
tend_schedule_grid_time_at (TendScheduleGrid  *self,
                            double             x,
                            double             y,
                            guint             *column,
                            GDateTime        **time)
{
  double cw;
  guint col;
  double minutes;
  guint snapped;

  g_return_val_if_fail (TEND_IS_SCHEDULE_GRID (self), FALSE);

  cw = column_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
  if (x < GUTTER_WIDTH || y < HEADER_HEIGHT || self->columns->len == 0)
    return FALSE;
  col = (guint) ((x - GUTTER_WIDTH) / cw);
  if (col >= self->columns->len)
    return FALSE;
  minutes = self->first_hour * 60.0 + (y - HEADER_HEIGHT) * 60.0 / self->hour_height;
  minutes = CLAMP (minutes, self->first_hour * 60.0, self->last_hour * 60.0 - SNAP_MINUTES);
  snapped = ((guint) minutes / SNAP_MINUTES) * SNAP_MINUTES;

  if (column != NULL)
    *column = col;
  if (time != NULL)
    *time = local_datetime (self, &g_array_index (self->columns, Column, col).day, snapped);
  return TRUE;
}

/**
 * tend_schedule_grid_move:
 * @appointment_id: the tile dragged
 * @dx: how far it was dragged, horizontally
 * @dy: how far it was dragged, vertically
 *
 * What dragging a tile does: asks to move the appointment so that its top
 * lands on the quarter hour nearest where it was dropped, in the column it
 * was dropped in (another day, or another clinician in the day view).  A
 * drag of under a quarter hour's height moves nothing (it was a click).
 */
void
tend_schedule_grid_move (TendScheduleGrid *self,
                         const char       *appointment_id,
                         double            dx,
                         double            dy)
{
  graphene_rect_t r;
  g_autoptr(GDateTime) start = NULL;
  double quarter;
  guint column;

  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));

  quarter = self->hour_height / 4;
  if (ABS (dy) < quarter / 2 && ABS (dx) < column_width (self, gtk_widget_get_width (GTK_WIDGET (self))) / 2)
    return;
  if (!tend_schedule_grid_get_tile_bounds (self, appointment_id, &r))
    return;
  /* Round to the nearest quarter, not down: a drop just above 10:00 is 10:00. */
  if (!tend_schedule_grid_time_at (self, r.origin.x + r.size.width / 2 + dx,
                                   r.origin.y - 1 + dy + quarter / 2, &column, &start))
    return;
  g_signal_emit (self, signals[MOVE_REQUESTED], 0, appointment_id, column, start);
}

/**
 * tend_schedule_grid_nudge:
 * @minutes: how far to move it (negative: earlier)
 *
 * What the keyboard does to a focused tile: Alt+Up and Alt+Down move it a
 * quarter hour, Alt+Shift+Up and Alt+Shift+Down a day.  Asks to move it
 * like a drag does.
 */
void
tend_schedule_grid_nudge (TendScheduleGrid *self,
                          const char       *appointment_id,
                          int               minutes)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));

  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);

      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (p->appointment)), appointment_id) == 0)
        {
          g_autoptr(GDateTime) start = tend_appointment_dup_start (p->appointment);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (start, self->zone);
          g_autoptr(GDateTime) moved = NULL;

          /* Whole days move by the calendar, so 09:00 stays 09:00 over a DST change. */
          if (minutes % (24 * 60) == 0)
            moved = g_date_time_add_days (local, minutes / (24 * 60));
          else
            moved = g_date_time_add_minutes (local, minutes);
          g_signal_emit (self, signals[MOVE_REQUESTED], 0, appointment_id, p->column, moved);
          return;
        }
    }
}

static gboolean
on_tile_nudge_cb (GtkWidget *tile,
                  GVariant  *args,
                  gpointer   user_data)
{
  tend_schedule_grid_nudge (TEND_SCHEDULE_GRID (user_data), g_object_get_data (G_OBJECT (tile), "appointment-id"),
                            g_variant_get_int32 (args));
  return TRUE;
}

static void
on_tile_drag_begin_cb (GtkGestureDrag   *gesture,
                       double            x,
                       double            y,
                       TendScheduleGrid *self)
{
  GtkWidget *tile = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  /* Grabbing the bottom edge changes the length; anywhere else moves it. */
  g_object_set_data (G_OBJECT (tile), "resizing",
                     GINT_TO_POINTER (y >= gtk_widget_get_height (tile) - RESIZE_EDGE));
}

static void
on_tile_motion_cb (GtkEventControllerMotion *motion,
                   double                    x,
                   double                    y,
                   TendScheduleGrid         *self)
{
  GtkWidget *tile = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion));

  gtk_widget_set_cursor_from_name (tile, y >= gtk_widget_get_height (tile) - RESIZE_EDGE ? "ns-resize" : NULL);
}

/**
 * tend_schedule_grid_resize:
 * @dy: how far the bottom edge was dragged
 *
 * Asks to change the appointment's end to the quarter hour nearest where
 * its bottom edge was dropped; never shorter than a quarter hour.
 */
void
tend_schedule_grid_resize (TendScheduleGrid *self,
                           const char       *appointment_id,
                           double            dy)
{
  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));

  for (guint i = 0; i < self->placed->len; i++)
    {
      Placed *p = g_ptr_array_index (self->placed, i);

      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (p->appointment)), appointment_id) == 0)
        {
          double minutes = (p->end_min - p->start_min) + dy * 60.0 / self->hour_height;
          int snapped = (int) ((minutes + SNAP_MINUTES / 2.0) / SNAP_MINUTES) * SNAP_MINUTES;
          g_autoptr(GDateTime) start = tend_appointment_dup_start (p->appointment);
          g_autoptr(GDateTime) end = NULL;

          snapped = MAX (snapped, SNAP_MINUTES);
          if (ABS (dy) < self->hour_height / 8)
            return;
          end = g_date_time_add_minutes (start, snapped);
          g_signal_emit (self, signals[RESIZE_REQUESTED], 0, appointment_id, end);
          return;
        }
    }
}

static void
on_tile_drag_update_cb (GtkGestureDrag   *gesture,
                        double            dx,
                        double            dy,
                        TendScheduleGrid *self)
{
  /* Past a few pixels it is a move: the button must not also click. */
  if (ABS (dx) > 8 || ABS (dy) > 8)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_tile_drag_end_cb (GtkGestureDrag   *gesture,
                     double            dx,
                     double            dy,
                     TendScheduleGrid *self)
{
  GtkWidget *tile = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (tile), "resizing")))
    tend_schedule_grid_resize (self, g_object_get_data (G_OBJECT (tile), "appointment-id"), dy);
  else
    tend_schedule_grid_move (self, g_object_get_data (G_OBJECT (tile), "appointment-id"), dx, dy);
}

/**
 * tend_schedule_grid_drag:
 *
 * What a drag from (@x1, @y1) to (@x2, @y2) does: asks to create an
 * appointment in the column where it started, from the quarter hour under
 * its top to the quarter hour after its bottom (a click makes 50 minutes).
 */
void
tend_schedule_grid_drag (TendScheduleGrid *self,
                         double            x1,
                         double            y1,
                         double            x2,
                         double            y2)
{
  g_autoptr(GDateTime) a = NULL;
  g_autoptr(GDateTime) b = NULL;
  g_autoptr(GDateTime) end = NULL;
  guint col, col2;

  g_return_if_fail (TEND_IS_SCHEDULE_GRID (self));

  if (!tend_schedule_grid_time_at (self, x1, MIN (y1, y2), &col, &a) ||
      !tend_schedule_grid_time_at (self, x1, MAX (y1, y2), &col2, &b))
    return;
  if (ABS (y2 - y1) < self->hour_height / 8)
    end = g_date_time_add_minutes (a, 50);
  else
    end = g_date_time_add_minutes (b, SNAP_MINUTES);
  g_signal_emit (self, signals[CREATE_REQUESTED], 0, col, a, end);
}
