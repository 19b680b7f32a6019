/* tend-schedule-grid.h: columns of time (days of a week, or clinicians of a
 * day) with appointments placed on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_SCHEDULE_GRID (tend_schedule_grid_get_type ())
G_DECLARE_FINAL_TYPE (TendScheduleGrid, tend_schedule_grid, TEND, SCHEDULE_GRID, GtkWidget)

/* Looks up display names: (client or staff or room id) -> name. */
typedef char *(*TendNameFunc) (const char *id,
                               gpointer    user_data);

GtkWidget  *tend_schedule_grid_new               (void);
GtkWidget  *tend_schedule_grid_legend_new        (void);
void        tend_schedule_grid_set_zone          (TendScheduleGrid *self,
                                                  GTimeZone        *zone);
void        tend_schedule_grid_set_name_func     (TendScheduleGrid *self,
                                                  TendNameFunc      func,
                                                  gpointer          user_data);
void        tend_schedule_grid_set_clinician_colors (TendScheduleGrid *self,
                                                  GHashTable       *colors);
void        tend_schedule_grid_clear_columns     (TendScheduleGrid *self);
void        tend_schedule_grid_add_column        (TendScheduleGrid *self,
                                                  GDate            *day,
                                                  const char       *clinician_id,
                                                  const char       *title);
void        tend_schedule_grid_add_room_column   (TendScheduleGrid *self,
                                                  GDate            *day,
                                                  const char       *room_id,
                                                  const char       *title);
guint       tend_schedule_grid_get_n_columns     (TendScheduleGrid *self);
void        tend_schedule_grid_set_column_hours  (TendScheduleGrid *self,
                                                  guint             column,
                                                  int               start,
                                                  int               end);
gboolean    tend_schedule_grid_get_column_hours  (TendScheduleGrid *self,
                                                  guint             column,
                                                  int              *start,
                                                  int              *end);
const char *tend_schedule_grid_get_column_clinician (TendScheduleGrid *self,
                                                  guint             column);
void        tend_schedule_grid_set_appointments  (TendScheduleGrid *self,
                                                  GPtrArray        *appointments);
void        tend_schedule_grid_set_hours         (TendScheduleGrid *self,
                                                  guint             first_hour,
                                                  guint             last_hour);
double      tend_schedule_grid_get_hour_height   (TendScheduleGrid *self);
gboolean    tend_schedule_grid_get_tile_bounds   (TendScheduleGrid *self,
                                                  const char       *appointment_id,
                                                  graphene_rect_t  *bounds);
gboolean    tend_schedule_grid_time_at           (TendScheduleGrid *self,
                                                  double            x,
                                                  double            y,
                                                  guint            *column,
                                                  GDateTime       **time);
void        tend_schedule_grid_move              (TendScheduleGrid *self,
                                                  const char       *appointment_id,
                                                  double            dx,
                                                  double            dy);
void        tend_schedule_grid_resize            (TendScheduleGrid *self,
                                                  const char       *appointment_id,
                                                  double            dy);
void        tend_schedule_grid_nudge             (TendScheduleGrid *self,
                                                  const char       *appointment_id,
                                                  int               minutes);
void        tend_schedule_grid_drag              (TendScheduleGrid *self,
                                                  double            x1,
                                                  double            y1,
                                                  double            x2,
                                                  double            y2);

G_END_DECLS
