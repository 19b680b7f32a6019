/* tend-related-people.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart's Related People (Contacts): a client's guardians, family and
 * others, each with their relationship, how to reach them, whether they
 * are the legal guardian, and the client's consent to share with them.
 * Add and edit in a dialog that marks what is wrong before it lets the
 * person save; removal asks first.  Who may change them is
 * the related_person record policy (src/core/tend-related-person.c), asked
 * here without writing (tend_store_check_write ()) so the buttons appear
 * only for those the store would let through.  With a practice server, a
 * minor's legal guardian with an e-mail address gets "Invite to Portal":
 * their portal account acts for the client, which the server checks again
 * at every request.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-related-people.h"
#include "tend-time.h"

struct _TendRelatedPeople
{
  GtkWidget  parent_instance;

  TendStore          *store;
  TendSyncController *sync;
  char               *client_id;
  gboolean            can_edit;
  guint               n_people;
  GCancellable       *invite_cancellable;

  GtkWidget          *group;
  GtkWidget          *add_button;
  GtkListBox         *list;
};

G_DEFINE_FINAL_TYPE (TendRelatedPeople, tend_related_people, GTK_TYPE_WIDGET)

/* Helpers */

static GtkWindow *
parent_window (TendRelatedPeople *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static AdwToastOverlay *
toast_overlay (TendRelatedPeople *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  return overlay != NULL ? ADW_TOAST_OVERLAY (overlay) : NULL;
}

static void
toast (TendRelatedPeople *self,
       AdwToast          *t)
{
  AdwToastOverlay *overlay = toast_overlay (self);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, t);
  else
    g_object_unref (g_object_ref_sink (t));
}

static void
show_error (TendRelatedPeople *self,
            const char        *heading,
            const GError      *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
today_local (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

static char *
format_date (const char *iso)
{
  GDate day;

  if (iso == NULL || !tend_date_parse (iso, &day, NULL))
    return g_strdup (iso != NULL ? iso : "");
  return tend_date_format_local (&day);
}

static TendRelatedPerson *
load_person (TendRelatedPeople *self,
             const char        *id,
             GError           **error)
{
  g_autoptr(TendRecord) record = tend_store_load (self->store, TEND_TYPE_RELATED_PERSON, id, error);

  if (record == NULL)
    return NULL;
  if (tend_record_get_deleted (record))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The record no longer exists"));
      return NULL;
    }
  return TEND_RELATED_PERSON (g_steal_pointer (&record));
}

static TendClient *
load_client (TendRelatedPeople *self)
{
  g_autoptr(TendRecord) client = tend_store_load (self->store, TEND_TYPE_CLIENT, self->client_id, NULL);

  return client != NULL && !tend_record_get_deleted (client) ? TEND_CLIENT (g_steal_pointer (&client)) : NULL;
}

/* A minor's legal guardian with an e-mail address, with a server to send
 * the invitation through. */
static gboolean
may_invite (TendRelatedPeople *self,
            TendRelatedPerson *person,
            TendClient        *client)
{
  GDate today;

  if (self->sync == NULL || tend_sync_controller_get_engine (self->sync) == NULL || client == NULL ||
      !self->can_edit || tend_record_get_string (TEND_RECORD (person), "email") == NULL)
    return FALSE;
  today_local (&today);
  return tend_related_person_may_act_for (person, client, &today, NULL);
}

/* "Parent · Legal guardian · May be told: attendance (since 30/11/2026)" */
static char *
describe (TendRelatedPerson *person)
{
  TendRecord *r = TEND_RECORD (person);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *detail = tend_record_get_string (r, "relationship_detail");
  const char *contact[] = { tend_record_get_string (r, "phone"), tend_record_get_string (r, "email") };

  if (detail != NULL)
    /* TRANSLATORS: a relationship and what it is exactly: "Other (aunt)" */
    g_ptr_array_add (parts, g_strdup_printf (_("%s (%s)"),
                                             tend_related_kind_get_label (tend_related_person_get_relationship (person)),
                                             detail));
  else
    g_ptr_array_add (parts, g_strdup (tend_related_kind_get_label (tend_related_person_get_relationship (person))));
  if (tend_related_person_is_legal_guardian (person) &&
      tend_related_person_get_relationship (person) != TEND_RELATED_LEGAL_GUARDIAN)
    g_ptr_array_add (parts, g_strdup (_("Legal guardian")));
  for (guint i = 0; i < G_N_ELEMENTS (contact); i++)
    if (contact[i] != NULL)
      g_ptr_array_add (parts, g_strdup (contact[i]));
  if (tend_related_person_has_consent (person))
    {
      g_autofree char *since = format_date (tend_record_get_string (r, "consent.date"));
      const char *scope = tend_record_get_string (r, "consent.scope");

      if (scope != NULL)
        /* TRANSLATORS: what the client agreed may be shared, and since when: "May be told: attendance (since 30/11/2026)" */
        g_ptr_array_add (parts, g_strdup_printf (_("May be told: %s (since %s)"), scope, since));
      else
        /* TRANSLATORS: a date */
        g_ptr_array_add (parts, g_strdup_printf (_("Consent to share since %s"), since));
    }
  else
    g_ptr_array_add (parts, g_strdup (_("No consent to share on file")));
  g_ptr_array_add (parts, NULL);
  /* TRANSLATORS: between the parts of a related person's description */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

/* The dialog */

typedef struct
{
  TendRelatedPeople *self;
  TendRelatedPerson *person;   /* the stored one, or NULL for a new one */
  GtkWidget *name;
  GtkWidget *relationship;
  GtkWidget *detail;
  GtkWidget *phone;
  GtkWidget *email;
  GtkWidget *address;
  GtkWidget *guardian;
  GtkWidget *consent;
  GtkWidget *consent_date;
  GtkWidget *consent_scope;
  GtkWidget *problem;
} Editor;

static void
editor_free (Editor *e)
{
  g_clear_object (&e->self);
  g_clear_object (&e->person);
  g_free (e);
}

static const char *
entry_text (GtkWidget *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  while (text != NULL && g_ascii_isspace (*text))
    text++;
  return text != NULL && *text != '\0' ? text : NULL;
}

/* The record as the dialog says, or NULL with @error naming what is wrong. */
static TendRecord *
editor_build (Editor  *e,
              GError **error)
{
  g_autoptr(TendRecord) r = NULL;
  guint kind = adw_combo_row_get_selected (ADW_COMBO_ROW (e->relationship));
  gboolean consent = gtk_switch_get_active (GTK_SWITCH (e->consent));
  const char *date = entry_text (e->consent_date);
  struct { const char *member; GtkWidget *row; } texts[] = {
    { "name", e->name }, { "relationship_detail", e->detail }, { "phone", e->phone },
    { "email", e->email }, { "address", e->address },
  };

  if (e->person != NULL)
    r = tend_record_copy (TEND_RECORD (e->person));
  else
    r = TEND_RECORD (tend_related_person_new (e->self->client_id, "", TEND_RELATED_OTHER));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *text = g_strdup (entry_text (texts[i].row));

      tend_record_set_string (r, texts[i].member, text != NULL ? g_strchomp (text) : NULL);
    }
  tend_record_set_string (r, "relationship", tend_related_kind_to_string (MIN (kind, TEND_N_RELATED - 1)));
  tend_record_set_int (r, "legal_guardian", gtk_switch_get_active (GTK_SWITCH (e->guardian)) ? 1 : 0);
  if (consent && date == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Consent to share: the date the client consented, as YYYY-MM-DD"));
      return NULL;
    }
  if (!consent)
    tend_related_person_set_consent (TEND_RELATED_PERSON (r), NULL, NULL, NULL);
  else
    {
      const char *was = e->person != NULL ? tend_record_get_string (TEND_RECORD (e->person), "consent.date") : NULL;
      const char *by = e->person != NULL ? tend_record_get_string (TEND_RECORD (e->person), "consent.recorded_by") : NULL;

      /* A consent kept as it was keeps who recorded it; a new date is
       * recorded by whoever is signed in. */
      if (g_strcmp0 (was, date) != 0 || by == NULL)
        by = tend_store_get_actor_id (e->self->store);
      tend_related_person_set_consent (TEND_RELATED_PERSON (r), date, by, entry_text (e->consent_scope));
    }
  if (!tend_record_validate (r, error))
    return NULL;
  return g_steal_pointer (&r);
}

static void
editor_update (Editor *e)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) r = NULL;
  GtkWidget *dialog = gtk_widget_get_ancestor (e->name, ADW_TYPE_MESSAGE_DIALOG);
  gboolean consent = gtk_switch_get_active (GTK_SWITCH (e->consent));

  gtk_widget_set_sensitive (e->consent_date, consent);
  gtk_widget_set_sensitive (e->consent_scope, consent);
  r = entry_text (e->name) != NULL ? editor_build (e, &error) : NULL;
  gtk_label_set_text (GTK_LABEL (e->problem), error != NULL ? error->message : "");
  gtk_widget_set_visible (e->problem, error != NULL);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", r != NULL);
}

/* A legal guardian by relationship is one: the switch follows. */
static void
on_relationship_changed_cb (Editor *e)
{
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (e->relationship)) == TEND_RELATED_LEGAL_GUARDIAN)
    gtk_switch_set_active (GTK_SWITCH (e->guardian), TRUE);
  editor_update (e);
}

static void
on_editor_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       Editor           *e)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) r = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;
  r = editor_build (e, &error);
  if (r == NULL || !tend_store_save (e->self->store, r, &error))
    {
      show_error (e->self, e->person != NULL ? _("The Related Person Could Not Be Changed")
                                             : _("The Related Person Could Not Be Added"), error);
      return;
    }
  tend_related_people_refresh (e->self);
  {
    /* TRANSLATORS: a person's name */
    g_autofree char *text = g_strdup_printf (e->person != NULL ? _("%s changed") : _("%s added"),
                                             tend_record_get_string (r, "name"));

    toast (e->self, adw_toast_new (text));
  }
}

static GtkWidget *
entry_row (GtkWidget  *list,
           const char *title,
           const char *value,
           Editor     *e)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  g_signal_connect_swapped (row, "changed", G_CALLBACK (editor_update), e);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static GtkWidget *
switch_row (GtkWidget  *list,
            const char *title,
            const char *subtitle,
            gboolean    active,
            Editor     *e)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (sw), active);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (editor_update), e);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return sw;
}

static GtkWidget *
boxed_list (GtkWidget *box)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), list);
  return list;
}

/* Signals */

static void
on_add_clicked_cb (TendRelatedPeople *self)
{
  tend_related_people_edit (self, NULL);
}

static void
on_row_activated_cb (AdwActionRow      *row,
                     TendRelatedPeople *self)
{
  tend_related_people_edit (self, g_object_get_data (G_OBJECT (row), "person-id"));
}

static void
on_remove_response_cb (AdwMessageDialog  *dialog,
                       const char        *response,
                       TendRelatedPeople *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") == 0 &&
      !tend_related_people_remove (self, g_object_get_data (G_OBJECT (dialog), "person-id"), &error))
    show_error (self, _("The Related Person Could Not Be Removed"), error);
}

static void
on_remove_clicked_cb (GtkButton         *button,
                      TendRelatedPeople *self)
{
  tend_related_people_confirm_remove (self, g_object_get_data (G_OBJECT (button), "person-id"));
}

typedef struct
{
  TendSyncEngine *engine;
  char           *client_id;
  char           *person_id;
  char           *email;
  char           *language;
} Invite;

static void
invite_free (Invite *invite)
{
  g_object_unref (invite->engine);
  g_free (invite->client_id);
  g_free (invite->person_id);
  g_free (invite->email);
  g_free (invite->language);
  g_free (invite);
}

static void
invite_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Invite *invite = data;
  GError *error = NULL;

  if (tend_sync_engine_invite_guardian_to_portal (invite->engine, invite->client_id, invite->person_id,
                                                  invite->email, invite->language, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
invite_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TendRelatedPeople *self = TEND_RELATED_PEOPLE (source);
  Invite *invite = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->invite_cancellable);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Invitation Was Not Sent"), error);
    }
  else
    {
      /* TRANSLATORS: an e-mail address */
      g_autofree char *text = g_strdup_printf (_("Invitation sent to %s"), invite->email);

      toast (self, adw_toast_new (text));
    }
  tend_related_people_refresh (self);
}

static void
on_invite_clicked_cb (GtkButton         *button,
                      TendRelatedPeople *self)
{
  g_autoptr(TendRelatedPerson) person = load_person (self, g_object_get_data (G_OBJECT (button), "person-id"), NULL);
  g_autoptr(TendClient) client = load_client (self);
  g_autoptr(GTask) task = NULL;
  const char *language;
  Invite *invite;

  if (person == NULL || self->invite_cancellable != NULL || !may_invite (self, person, client))
    return;
  language = tend_record_get_string (TEND_RECORD (client), "language");
  invite = g_new0 (Invite, 1);
  invite->engine = g_object_ref (tend_sync_controller_get_engine (self->sync));
  invite->client_id = g_strdup (self->client_id);
  invite->person_id = g_strdup (tend_record_get_id (TEND_RECORD (person)));
  invite->email = g_strdup (tend_record_get_string (TEND_RECORD (person), "email"));
  invite->language = g_strdup (g_strcmp0 (language, "es") == 0 ? "es" : "en");
  self->invite_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->invite_cancellable, invite_done_cb, NULL);
  g_task_set_task_data (task, invite, (GDestroyNotify) invite_free);
  g_task_run_in_thread (task, invite_thread);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
}

static void
on_store_changed_cb (TendStore         *store,
                     const char        *type_name,
                     const char        *id,
                     TendRelatedPeople *self)
{
  if (g_strcmp0 (type_name, "related_person") == 0)
    tend_related_people_refresh (self);
}

/* Parent class overrides */

static void
tend_related_people_dispose (GObject *object)
{
  TendRelatedPeople *self = TEND_RELATED_PEOPLE (object);

  if (self->invite_cancellable != NULL)
    g_cancellable_cancel (self->invite_cancellable);
  g_clear_object (&self->invite_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_RELATED_PEOPLE);
  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (tend_related_people_parent_class)->dispose (object);
}

static void
tend_related_people_finalize (GObject *object)
{
  TendRelatedPeople *self = TEND_RELATED_PEOPLE (object);

  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tend_related_people_parent_class)->finalize (object);
}

static void
tend_related_people_class_init (TendRelatedPeopleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_related_people_dispose;
  object_class->finalize = tend_related_people_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-related-people.ui");
  gtk_widget_class_bind_template_child (widget_class, TendRelatedPeople, group);
  gtk_widget_class_bind_template_child (widget_class, TendRelatedPeople, add_button);
  gtk_widget_class_bind_template_child (widget_class, TendRelatedPeople, list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tend_related_people_init (TendRelatedPeople *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * tend_related_people_new:
 * @sync: (nullable): the practice server, for portal invitations
 *
 * Returns: (transfer floating): the Related People group of @client_id's chart
 */
GtkWidget *
tend_related_people_new (TendStore          *store,
                         TendSyncController *sync,
                         const char         *client_id)
{
  TendRelatedPeople *self = g_object_new (TEND_TYPE_RELATED_PEOPLE, NULL);

  self->store = g_object_ref (store);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  self->client_id = g_strdup (client_id);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  tend_related_people_refresh (self);
  return GTK_WIDGET (self);
}

void
tend_related_people_refresh (TendRelatedPeople *self)
{
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) client = NULL;
  GtkWidget *child;

  g_return_if_fail (TEND_IS_RELATED_PEOPLE (self));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  {
    /* Asked of the policy without writing: may this person add one here? */
    g_autoptr(TendRelatedPerson) probe = tend_related_person_new (self->client_id, "?", TEND_RELATED_OTHER);

    self->can_edit = tend_store_check_write (self->store, TEND_RECORD (probe), NULL);
  }
  gtk_widget_set_visible (self->add_button, self->can_edit);
  people = tend_chart_list_related_people (self->store, self->client_id, &error);
  self->n_people = people != NULL ? people->len : 0;
  if (people == NULL || people->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     people == NULL ? _("Related people could not be read") : _("No one recorded yet"));
      if (error != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->list, row);
      return;
    }
  client = load_client (self);
  for (guint i = 0; i < people->len; i++)
    {
      TendRelatedPerson *person = g_ptr_array_index (people, i);
      const char *id = tend_record_get_id (TEND_RECORD (person));
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = describe (person);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tend_related_person_get_name (person));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      g_object_set_data_full (G_OBJECT (row), "person-id", g_strdup (id), g_free);
      if (self->can_edit)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated_cb), self, 0);
          if (may_invite (self, person, client))
            {
              GtkWidget *invite = gtk_button_new_with_mnemonic (_("_Invite to Portal"));

              gtk_widget_set_valign (invite, GTK_ALIGN_CENTER);
              gtk_widget_set_tooltip_text (invite, _("E-mail the guardian an invitation to act for the client in the portal"));
              gtk_widget_set_sensitive (invite, self->invite_cancellable == NULL);
              g_object_set_data_full (G_OBJECT (invite), "person-id", g_strdup (id), g_free);
              g_object_set_data (G_OBJECT (row), "invite-button", invite);   /* for tests */
              g_signal_connect_object (invite, "clicked", G_CALLBACK (on_invite_clicked_cb), self, 0);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), invite);
            }
          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (remove, "flat");
          gtk_widget_set_tooltip_text (remove, _("Remove"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
          g_object_set_data_full (G_OBJECT (remove), "person-id", g_strdup (id), g_free);
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      gtk_list_box_append (self->list, row);
    }
}

guint
tend_related_people_get_n_people (TendRelatedPeople *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PEOPLE (self), 0);
  return self->n_people;
}

/* Whether the signed-in person may add, change and remove them. */
gboolean
tend_related_people_can_edit (TendRelatedPeople *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PEOPLE (self), FALSE);
  return self->can_edit;
}

/* Whether the row of @id offers "Invite to Portal". */
gboolean
tend_related_people_may_invite (TendRelatedPeople *self,
                                const char        *id)
{
  g_autoptr(TendRelatedPerson) person = NULL;
  g_autoptr(TendClient) client = NULL;

  g_return_val_if_fail (TEND_IS_RELATED_PEOPLE (self), FALSE);
  person = load_person (self, id, NULL);
  client = load_client (self);
  return person != NULL && may_invite (self, person, client);
}

/**
 * tend_related_people_edit:
 * @id: (nullable): the person to change, %NULL to add one
 *
 * Presents the dialog that adds or changes a related person.
 *
 * Returns: (transfer none) (nullable): the dialog (for tests)
 */
GtkWidget *
tend_related_people_edit (TendRelatedPeople *self,
                          const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  TendRecord *r;
  GtkWidget *dialog, *box, *list;
  Editor *e;

  g_return_val_if_fail (TEND_IS_RELATED_PEOPLE (self), NULL);
  e = g_new0 (Editor, 1);
  e->self = g_object_ref (self);
  if (id != NULL && (e->person = load_person (self, id, &error)) == NULL)
    {
      editor_free (e);
      show_error (self, _("The Related Person Could Not Be Changed"), error);
      return NULL;
    }
  r = e->person != NULL ? TEND_RECORD (e->person) : NULL;
  for (guint i = 0; i < TEND_N_RELATED; i++)
    gtk_string_list_append (kinds, tend_related_kind_get_label (i));

  dialog = adw_message_dialog_new (parent_window (self), id != NULL ? _("Change Related Person") : _("Add Related Person"),
                                   NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = boxed_list (box);
  e->name = entry_row (list, _("Name"), r != NULL ? tend_record_get_string (r, "name") : NULL, e);
  e->relationship = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (e->relationship), _("Relationship"));
  adw_combo_row_set_model (ADW_COMBO_ROW (e->relationship), G_LIST_MODEL (kinds));
  adw_combo_row_set_selected (ADW_COMBO_ROW (e->relationship),
                              r != NULL ? tend_related_person_get_relationship (e->person) : TEND_RELATED_PARENT);
  gtk_list_box_append (GTK_LIST_BOX (list), e->relationship);
  e->detail = entry_row (list, _("Relationship detail (optional)"),
                         r != NULL ? tend_record_get_string (r, "relationship_detail") : NULL, e);
  e->guardian = switch_row (list, _("Legal Guardian"), _("May consent for the client"),
                            r != NULL && tend_related_person_is_legal_guardian (e->person), e);

  list = boxed_list (box);
  e->phone = entry_row (list, _("Phone"), r != NULL ? tend_record_get_string (r, "phone") : NULL, e);
  e->email = entry_row (list, _("Email"), r != NULL ? tend_record_get_string (r, "email") : NULL, e);
  e->address = entry_row (list, _("Address"), r != NULL ? tend_record_get_string (r, "address") : NULL, e);

  list = boxed_list (box);
  e->consent = switch_row (list, _("Consent to Share"), _("The client agreed that the practice may talk with this person"),
                           r != NULL && tend_related_person_has_consent (e->person), e);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
    const char *date = r != NULL ? tend_record_get_string (r, "consent.date") : NULL;

    e->consent_date = entry_row (list, _("Consented on (YYYY-MM-DD)"), date != NULL ? date : today, e);
  }
  e->consent_scope = entry_row (list, _("What may be shared"), r != NULL ? tend_record_get_string (r, "consent.scope") : NULL, e);

  e->problem = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (e->problem), TRUE);
  gtk_label_set_xalign (GTK_LABEL (e->problem), 0);
  gtk_widget_add_css_class (e->problem, "error");
  gtk_widget_set_visible (e->problem, FALSE);
  gtk_box_append (GTK_BOX (box), e->problem);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "save", id != NULL ? _("_Save") : _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "editor", e, (GDestroyNotify) editor_free);
  g_object_set_data (G_OBJECT (dialog), "name", e->name);            /* for tests */
  g_object_set_data (G_OBJECT (dialog), "relationship", e->relationship);
  g_object_set_data (G_OBJECT (dialog), "email", e->email);
  g_object_set_data (G_OBJECT (dialog), "guardian", e->guardian);
  g_object_set_data (G_OBJECT (dialog), "consent", e->consent);
  g_object_set_data (G_OBJECT (dialog), "consent-scope", e->consent_scope);
  g_object_set_data (G_OBJECT (dialog), "problem", e->problem);
  g_signal_connect_swapped (e->relationship, "notify::selected", G_CALLBACK (on_relationship_changed_cb), e);
  g_signal_connect (dialog, "response", G_CALLBACK (on_editor_response_cb), e);
  editor_update (e);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_related_people_confirm_remove:
 *
 * Asks before removing the related person @id.  A consent is recorded in
 * the name of whoever took it, so a removal is asked about rather than
 * undone: putting the record back would be a new write in the name of
 * whoever undid it.
 *
 * Returns: (transfer none) (nullable): the question (for tests)
 */
GtkWidget *
tend_related_people_confirm_remove (TendRelatedPeople *self,
                                    const char        *id)
{
  g_autoptr(TendRelatedPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (TEND_IS_RELATED_PEOPLE (self), NULL);
  person = load_person (self, id, &error);
  if (person == NULL)
    {
      show_error (self, _("The Related Person Could Not Be Removed"), error);
      return NULL;
    }
  /* TRANSLATORS: a person's name */
  heading = g_strdup_printf (_("Remove %s?"), tend_related_person_get_name (person));
  dialog = adw_message_dialog_new (parent_window (self), heading,
                                   _("Their contact details and the client’s consent to share with them are removed "
                                     "from the chart. The record’s history keeps them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "person-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_related_people_remove:
 *
 * Removes the related person @id (a tombstone, synced).
 */
gboolean
tend_related_people_remove (TendRelatedPeople *self,
                            const char        *id,
                            GError           **error)
{
  g_autoptr(TendRelatedPerson) person = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (TEND_IS_RELATED_PEOPLE (self), FALSE);
  person = load_person (self, id, error);
  if (person == NULL)
    return FALSE;
  /* TRANSLATORS: a person's name */
  text = g_strdup_printf (_("%s removed"), tend_related_person_get_name (person));
  if (!tend_store_delete (self->store, TEND_RECORD (person), error))
    return FALSE;
  tend_related_people_refresh (self);
  toast (self, adw_toast_new (text));
  return TRUE;
}
