/* tend-session-members.c: the appointment editor's couple, family and
 * group session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A preferences group under the editor's "What": the session type
 * (individual, couple, family, group) and, for the last three, the
 * clients besides the session's own client, each with a button that takes
 * them off, and an entry that finds more as the client row does.  What it
 * holds becomes the appointment's "participants" (tend_appointment_set_members ()),
 * members already listed keeping their attendance.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-client-list.h"
#include "tend-session-members.h"

struct _TendSessionMembers
{
  AdwPreferencesGroup parent_instance;

  TendStore   *store;
  GPtrArray   *others;        /* client ids, in the order added */
  GPtrArray   *member_rows;   /* GtkWidget, parallel to @others */
  AdwComboRow *type_row;
  AdwEntryRow *add_row;
  GtkPopover  *popover;
  GtkListBox  *results;
};

G_DEFINE_FINAL_TYPE (TendSessionMembers, tend_session_members, ADW_TYPE_PREFERENCES_GROUP)

enum {
  TYPE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update (TendSessionMembers *self);

static void
on_remove_clicked_cb (GtkButton          *button,
                      TendSessionMembers *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "client-id");

  for (guint i = 0; i < self->others->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->others, i), id) == 0)
      {
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->member_rows, i));
        g_ptr_array_remove_index (self->member_rows, i);
        g_ptr_array_remove_index (self->others, i);
        break;
      }
  update (self);
}

/**
 * tend_session_members_add:
 *
 * What choosing a client from the matches does: the client joins the
 * session (once).
 */
void
tend_session_members_add (TendSessionMembers *self,
                          const char         *client_id)
{
  g_autoptr(TendRecord) client = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  GtkWidget *row, *remove;

  g_return_if_fail (TEND_IS_SESSION_MEMBERS (self));
  for (guint i = 0; i < self->others->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->others, i), client_id) == 0)
      return;
  client = tend_store_load (self->store, TEND_TYPE_CLIENT, client_id, NULL);
  if (client == NULL)
    return;
  name = tend_client_dup_display_name (TEND_CLIENT (client));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (tend_client_get_record_number (TEND_CLIENT (client)) != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tend_client_get_record_number (TEND_CLIENT (client)));
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  label = g_strdup_printf (_("Take %s off the session"), name);
  gtk_widget_set_tooltip_text (remove, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (remove), "client-id", g_strdup (client_id), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  /* Above the entry: a group keeps its rows in the order added, so the
   * entry is taken out and put back under the new row. */
  g_object_ref (self->add_row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  g_object_unref (self->add_row);
  g_ptr_array_add (self->others, g_strdup (client_id));
  g_ptr_array_add (self->member_rows, row);
  update (self);
}

static void
on_result_activated_cb (GtkListBox         *box,
                        GtkListBoxRow      *row,
                        TendSessionMembers *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (row), "client-id"));

  gtk_popover_popdown (self->popover);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  tend_session_members_add (self, id);
}

/* The matches as the main client row shows them: name and record number. */
static void
on_add_text_changed_cb (TendSessionMembers *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->add_row));
  g_autoptr(GArray) rids = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  if (g_utf8_strlen (text, -1) < 2)
    {
      gtk_popover_popdown (self->popover);
      return;
    }
  rids = tend_store_search_clients (self->store, text, 8, NULL);
  for (guint i = 0; rids != NULL && i < rids->len; i++)
    {
      g_autoptr(TendRecord) r = tend_store_load_by_rid (self->store, TEND_TYPE_CLIENT, g_array_index (rids, gint64, i), NULL);
      g_autofree char *name = NULL;
      g_autofree char *markup = NULL;
      GtkWidget *row, *label;

      if (r == NULL)
        continue;
      name = tend_client_dup_display_name (TEND_CLIENT (r));
      markup = g_markup_printf_escaped ("%s  <span alpha='60%%'>%s</span>", name,
                                        tend_client_get_record_number (TEND_CLIENT (r)) != NULL
                                        ? tend_client_get_record_number (TEND_CLIENT (r)) : "");
      label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "client-id", g_strdup (tend_record_get_id (r)), g_free);
      gtk_list_box_append (self->results, row);
    }
  if (rids != NULL && rids->len > 0)
    gtk_popover_popup (self->popover);
  else
    gtk_popover_popdown (self->popover);
}

/* The members and the entry only for a session with several clients; a
 * word on how many a couple session has. */
static void
update (TendSessionMembers *self)
{
  TendSessionType type = adw_combo_row_get_selected (self->type_row);
  gboolean several = type != TEND_SESSION_INDIVIDUAL;
  guint n = self->others->len + 1;

  for (guint i = 0; i < self->member_rows->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->member_rows, i), several);
  gtk_widget_set_visible (GTK_WIDGET (self->add_row), several &&
                          (type != TEND_SESSION_COUPLE || n < 2) && n < TEND_APPOINTMENT_MAX_PARTICIPANTS);
  if (!several)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), NULL);
  else if (n < 2)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                           _("Add the other clients who take part. Each has their own attendance, "
                                             "charge and note."));
  else
    {
      /* TRANSLATORS: under the clients of a couple, family or group session */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u client in the session",
                                                            "%u clients in the session", n), n);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), text);
    }
}

static void
tend_session_members_dispose (GObject *object)
{
  TendSessionMembers *self = TEND_SESSION_MEMBERS (object);

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  G_OBJECT_CLASS (tend_session_members_parent_class)->dispose (object);
}

static void
tend_session_members_finalize (GObject *object)
{
  TendSessionMembers *self = TEND_SESSION_MEMBERS (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->others, g_ptr_array_unref);
  g_clear_pointer (&self->member_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_session_members_parent_class)->finalize (object);
}

static void
tend_session_members_class_init (TendSessionMembersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_session_members_dispose;
  object_class->finalize = tend_session_members_finalize;

  /**
   * TendSessionMembers::type-changed: another session type was chosen
   */
  signals[TYPE_CHANGED] = g_signal_new ("type-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
on_type_changed_cb (TendSessionMembers *self)
{
  update (self);
  g_signal_emit (self, signals[TYPE_CHANGED], 0);
}

static void
tend_session_members_init (TendSessionMembers *self)
{
  GtkStringList *types = gtk_string_list_new (NULL);

  self->others = g_ptr_array_new_with_free_func (g_free);
  self->member_rows = g_ptr_array_new ();
  for (TendSessionType t = 0; t < TEND_N_SESSION_TYPES; t++)
    gtk_string_list_append (types, tend_session_type_get_label (t));
  self->type_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->type_row), _("Session type"));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (types));
  g_object_unref (types);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (on_type_changed_cb), self);

  self->add_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("Add a client"));
  g_signal_connect_swapped (self->add_row, "changed", G_CALLBACK (on_add_text_changed_cb), self);
  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  g_signal_connect (self->results, "row-activated", G_CALLBACK (on_result_activated_cb), self);
  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->popover, FALSE);
  gtk_popover_set_has_arrow (self->popover, FALSE);
  gtk_popover_set_child (self->popover, GTK_WIDGET (self->results));
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self->add_row));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Clients in the Session"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->type_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  update (self);
}

TendSessionMembers *
tend_session_members_new (TendStore *store)
{
  TendSessionMembers *self = g_object_new (TEND_TYPE_SESSION_MEMBERS, NULL);

  self->store = g_object_ref (store);
  return self;
}

/* The type and the other clients of @appointment. */
void
tend_session_members_set_from (TendSessionMembers *self,
                               TendAppointment    *appointment)
{
  g_auto(GStrv) members = NULL;

  g_return_if_fail (TEND_IS_SESSION_MEMBERS (self));
  members = tend_appointment_dup_member_ids (appointment);
  for (guint i = 1; members[i] != NULL; i++)
    tend_session_members_add (self, members[i]);
  adw_combo_row_set_selected (self->type_row, tend_appointment_get_session_type (appointment));
  update (self);
}

TendSessionType
tend_session_members_get_session_type (TendSessionMembers *self)
{
  g_return_val_if_fail (TEND_IS_SESSION_MEMBERS (self), TEND_SESSION_INDIVIDUAL);
  return (TendSessionType) adw_combo_row_get_selected (self->type_row);
}

void
tend_session_members_set_session_type (TendSessionMembers *self,
                                       TendSessionType     type)
{
  g_return_if_fail (TEND_IS_SESSION_MEMBERS (self));
  adw_combo_row_set_selected (self->type_row, type);
}

guint
tend_session_members_get_n_others (TendSessionMembers *self)
{
  g_return_val_if_fail (TEND_IS_SESSION_MEMBERS (self), 0);
  return self->others->len;
}

/**
 * tend_session_members_apply:
 * @client_id: (nullable): the session's own client
 *
 * Makes @appointment the session this group shows: individual, or with
 * @client_id first and the others after.
 */
void
tend_session_members_apply (TendSessionMembers *self,
                            TendAppointment    *appointment,
                            const char         *client_id)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  TendSessionType type;

  g_return_if_fail (TEND_IS_SESSION_MEMBERS (self));
  type = tend_session_members_get_session_type (self);
  g_ptr_array_add (ids, (gpointer) client_id);
  for (guint i = 0; client_id != NULL && type != TEND_SESSION_INDIVIDUAL && i < self->others->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (self->others, i));
  g_ptr_array_add (ids, NULL);
  tend_appointment_set_members (appointment, type, client_id != NULL ? (const char * const *) ids->pdata : NULL);
  /* A session type chosen before a second client was added is kept for
   * the validation to speak of ("a couple session is with two clients"). */
  if (type != TEND_SESSION_INDIVIDUAL && self->others->len == 0 && client_id != NULL)
    tend_record_set_int (TEND_RECORD (appointment), "session_type", type);
}
