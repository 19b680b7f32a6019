/* tend-note-view.h: one note as read in the chart, with its signature and
 * addenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_NOTE_VIEW (tend_note_view_get_type ())
G_DECLARE_FINAL_TYPE (TendNoteView, tend_note_view, TEND, NOTE_VIEW, GtkWidget)

void        tend_note_view_set_store   (TendNoteView *self,
                                        TendStore    *store,
                                        GTimeZone    *zone);
gboolean    tend_note_view_show_note   (TendNoteView *self,
                                        TendClient   *client,
                                        const char   *note_id,
                                        guint         overdue_days,
                                        GError      **error);
const char *tend_note_view_get_note_id (TendNoteView *self);

G_END_DECLS
