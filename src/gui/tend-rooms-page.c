/* tend-rooms-page.c: the practice's rooms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Offices (and a virtual room for video sessions, if the practice books
 * those by room).  Rooms are deactivated, never deleted: past appointments
 * name them.  Owners only (the store and tend-server refuse anyone else).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-rooms-page.h"

struct _TendRoomsPage
{
  AdwPreferencesPage parent_instance;

  TendRecordForm    *form;
};

G_DEFINE_FINAL_TYPE (TendRoomsPage, tend_rooms_page, ADW_TYPE_PREFERENCES_PAGE)

static void
describe_room (TendRecordForm *form,
               TendRecord     *record,
               char          **title,
               char          **subtitle)
{
  gint64 capacity = tend_record_get_int (record, "capacity");
  g_autofree char *seats = capacity > 0
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d person", "%d people", (gulong) capacity), (int) capacity)
    : NULL;

  *title = g_strdup (tend_record_get_string (record, "name"));
  *subtitle = g_strjoin (" · ",
                         tend_record_get_int (record, "virtual") ? _("virtual") : _("office"),
                         seats != NULL ? seats : _("capacity not set"),
                         tend_record_get_int (record, "active") ? NULL : _("inactive"),
                         NULL);
}

/* Rooms are chosen by name in the calendar: two alike would be confused. */
static const char *
check_room (TendRecordForm *form,
            TendRecord     *record,
            GError        **error)
{
  g_autoptr(GPtrArray) rooms = tend_store_list (tend_record_form_get_store (form), TEND_TYPE_ROOM, NULL);
  const char *name = tend_record_get_string (record, "name");

  for (guint i = 0; rooms != NULL && i < rooms->len; i++)
    if (g_utf8_collate (tend_record_get_string (rooms->pdata[i], "name") ?: "", name ?: "") == 0 &&
        g_strcmp0 (tend_record_get_id (rooms->pdata[i]), tend_record_get_id (record)) != 0)
      {
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     _("Room name: there is a room called “%s” already; pick it above to change it"), name);
        return "name";
      }
  return NULL;
}

gboolean
tend_rooms_page_save (TendRoomsPage *self,
                      GError       **error)
{
  GtkWidget *window;

  g_return_val_if_fail (TEND_IS_ROOMS_PAGE (self), FALSE);
  if (!tend_record_form_save (self->form, error))
    return FALSE;
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (_("Saved")));
  return TRUE;
}

static void
on_save_clicked_cb (TendRoomsPage *self)
{
  /* The message is on the row at fault. */
  tend_rooms_page_save (self, NULL);
}

static void
on_add_clicked_cb (TendRoomsPage *self)
{
  tend_record_form_edit (self->form, NULL);
  gtk_widget_grab_focus (tend_record_form_get_row (self->form, "name"));
}

static void
tend_rooms_page_dispose (GObject *object)
{
  TendRoomsPage *self = TEND_ROOMS_PAGE (object);

  g_clear_pointer (&self->form, tend_record_form_free);
  G_OBJECT_CLASS (tend_rooms_page_parent_class)->dispose (object);
}

static void
tend_rooms_page_class_init (TendRoomsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_rooms_page_dispose;
}

static void
tend_rooms_page_init (TendRoomsPage *self)
{
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "rooms");
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Rooms"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "go-home-symbolic");
}

GtkWidget *
tend_rooms_page_new (TendStore *store)
{
  TendRoomsPage *self = g_object_new (TEND_TYPE_ROOMS_PAGE, NULL);
  GtkWidget *list = adw_preferences_group_new ();
  GtkWidget *form = adw_preferences_group_new ();
  GtkWidget *add = gtk_button_new ();
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Room"));
  TendRecordForm *f = tend_record_form_new (store, TEND_TYPE_ROOM);

  self->form = f;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (list), _("Rooms"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (list),
                                         _("Pick a room to change it, or add one."));
  gtk_button_set_child (GTK_BUTTON (add), g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                                        "icon-name", "list-add-symbolic",
                                                        "label", _("_Add Room"),
                                                        "use-underline", TRUE, NULL));
  gtk_widget_add_css_class (add, "flat");
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (list), add);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (list));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (form));
  tend_record_form_add_list (f, ADW_PREFERENCES_GROUP (list), describe_room);

  /* TRANSLATORS: the heading while a room is changed, with its name */
  tend_record_form_set_heading (f, ADW_PREFERENCES_GROUP (form), _("New Room"), _("Room “%s”"), "name");
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (form), "name", TEND_FORM_TEXT, _("Room name"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (form), "capacity", TEND_FORM_INT, _("Capacity (people)"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (form), "virtual", TEND_FORM_SWITCH, _("Virtual room (video sessions)"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (form), "active", TEND_FORM_SWITCH, _("Active (offered for bookings)"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (form), "notes", TEND_FORM_TEXT, _("Notes"));
  tend_record_form_set_check (f, check_room);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form), save);
  tend_record_form_reload (f);
  tend_record_form_edit (f, NULL);
  return GTK_WIDGET (self);
}

TendRecordForm *
tend_rooms_page_get_form (TendRoomsPage *self)
{
  g_return_val_if_fail (TEND_IS_ROOMS_PAGE (self), NULL);
  return self->form;
}
