/* tend-chart-page.c: a client's chart: the header and its tabs, a note,
 * the note editor or a document in their place, and the PDF export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page owns the client and hands it, with the store and the practice's
 * time zone, to the header and to each tab (ui/chart/tend-chart-page.ui):
 * each reads its own records and shows its own read errors.  A tab that
 * changed what others show emits "changed", and the page reads the client
 * and the whole chart again.  Everything is read through tend-chart.h,
 * which checks the signed-in role and audits: the pages a role may not see
 * are hidden here as well, but the store is what refuses.  The PDF export,
 * document import and PDF rendering run in GTask threads.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-break-glass-dialog.h"
#include "tend-chart.h"
#include "tend-chart-audit-tab.h"
#include "tend-chart-contacts-tab.h"
#include "tend-chart-diagnoses-tab.h"
#include "tend-chart-export.h"
#include "tend-chart-documents-tab.h"
#include "tend-chart-header.h"
#include "tend-chart-measures-tab.h"
#include "tend-chart-notes-tab.h"
#include "tend-chart-overview-tab.h"
#include "tend-chart-page.h"
#include "tend-chart-plan-tab.h"
#include "tend-chart-util.h"
#include "tend-document-pane.h"
#include "tend-export-dialog.h"
#include "tend-note-editor.h"
#include "tend-note-template-menu.h"
#include "tend-note-view.h"
#include "tend-view-switcher.h"

enum { PAGE_OVERVIEW, PAGE_NOTES, PAGE_DIAGNOSES, PAGE_PLAN, PAGE_MEASURES, PAGE_DOCUMENTS, PAGE_CONTACTS, PAGE_AUDIT,
       N_PAGES };

struct _TendChartPage
{
  GtkWidget              parent_instance;

  TendStore             *store;
  GTimeZone             *zone;
  char                  *client_id;
  TendClient            *client;
  guint                  overdue_days;     /* drafts older than this are flagged */
  GCancellable          *export_cancellable;
  gboolean               export_messages;  /* the next export includes messages with the client */
  char                  *export_from;      /* the dates chosen, while the file is chosen */
  char                  *export_to;
  TendSyncController    *sync;             /* the practice server, when connected */
  TendChartTab          *tabs[N_PAGES];
  GtkWidget             *editor;           /* (nullable) in the mode stack, while editing */

  AdwToastOverlay       *toasts;
  GtkStack              *mode;             /* chart, note, editor, document */
  GtkBox                *top_box;
  TendChartHeader       *header;
  AdwViewStack          *views;
  TendChartOverviewTab  *overview_tab;
  TendChartNotesTab     *notes_tab;
  TendChartDiagnosesTab *diagnoses_tab;
  TendChartPlanTab      *plan_tab;
  TendChartMeasuresTab  *measures_tab;
  TendChartDocumentsTab *documents_tab;
  TendChartContactsTab  *contacts_tab;
  TendChartAuditTab     *audit_tab;
  TendNoteView          *note_view;
  TendDocumentPane      *document_pane;
};

G_DEFINE_FINAL_TYPE (TendChartPage, tend_chart_page, GTK_TYPE_WIDGET)

enum {
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (TendChartPage *self,
            const char    *heading,
            const GError  *error)
{
  tend_chart_ui_show_error (GTK_WIDGET (self), heading, error);
}

static void
toast (TendChartPage *self,
       const char    *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

/* The header and every tab read the client's chart again. */
static void
refresh (TendChartPage *self)
{
  if (self->client == NULL)
    return;
  tend_chart_tab_set_client (TEND_CHART_TAB (self->header), self->client);
  for (guint i = 0; i < N_PAGES; i++)
    tend_chart_tab_set_client (self->tabs[i], self->client);
}

/* Who is on the chart changed here: said, sent to the server at once (with
 * a server, a chart newly reached comes back with that sync), shown. */
static void
access_changed (TendChartPage *self,
                const char    *message)
{
  toast (self, message);
  if (self->sync != NULL)
    tend_sync_controller_sync_now (self->sync);
  refresh (self);
}

/* Export */

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TendChartPage *self = TEND_CHART_PAGE (source);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->export_cancellable);
  if (!tend_chart_page_export_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Chart Could Not Be Exported"), error);
      else
        toast (self, _("Export cancelled"));
      return;
    }
  toast (self, _("Chart exported"));
}

static void
on_export_file_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            TendChartPage   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  tend_chart_page_export_async (self, file, self->export_from, self->export_to, self->export_cancellable,
                                on_export_done_cb, NULL);
}

static void
choose_export_file (TendChartPage *self,
                    const char    *from,
                    const char    *to)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export the Chart as PDF"),
                                                               tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  g_autofree char *display = tend_client_dup_display_name (self->client);
  /* TRANSLATORS: a file name: "Chart - Ann Smith.pdf" */
  g_autofree char *name = g_strdup_printf (_("Chart - %s.pdf"), display);

  g_free (self->export_from);
  self->export_from = g_strdup (from);
  g_free (self->export_to);
  self->export_to = g_strdup (to);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_file_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_dialog_response_cb (TendExportDialog *dialog,
                              const char       *response,
                              TendChartPage    *self)
{
  const char *from = tend_export_dialog_get_from (dialog);
  const char *to = tend_export_dialog_get_to (dialog);
  g_autoptr(GError) error = NULL;
  GDate d;

  if (g_strcmp0 (response, "cancel") == 0)
    return;
  tend_chart_page_set_export_messages (self, tend_export_dialog_get_messages (dialog));
  if (g_strcmp0 (response, "range") == 0)
    {
      if ((*from != '\0' && !tend_date_parse (from, &d, &error)) ||
          (*to != '\0' && !tend_date_parse (to, &d, &error)))
        {
          show_error (self, _("The Chart Could Not Be Exported"), error);
          return;
        }
      choose_export_file (self, *from != '\0' ? from : NULL, *to != '\0' ? to : NULL);
    }
  else if (g_strcmp0 (response, "all") == 0)
    choose_export_file (self, NULL, NULL);
}

/* Actions and callbacks */

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  dialog = tend_export_dialog_new (tend_chart_ui_parent_window (widget), self->export_messages);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[BACK], 0);
}

static void
new_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *name = g_variant_get_string (parameter, NULL);
  const char *practice = tend_note_template_menu_get_id (name);
  TendNoteTemplate t;

  if (practice != NULL ? tend_chart_page_new_practice_note (self, practice, &error) == NULL
                       : (!tend_note_template_from_string (name, &t) || tend_chart_page_new_note (self, t, &error) == NULL))
    show_error (self, _("The Note Could Not Be Created"), error);
}

/* A row of a list of notes. */
static void
open_note_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tend_chart_page_open_note (self, g_variant_get_string (parameter, NULL), &error))
    show_error (self, _("The Note Could Not Be Opened"), error);
}

/* A row of the Documents tab. */
static void
open_document_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tend_chart_page_open_document (self, g_variant_get_string (parameter, NULL), &error))
    show_error (self, _("The Document Could Not Be Opened"), error);
}

/* The Undo of the Diagnoses tab's "marked resolved" toast. */
static void
unresolve_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(TendRecord) dx = NULL;
  g_autoptr(GError) error = NULL;

  dx = tend_store_load (self->store, TEND_TYPE_DIAGNOSIS, g_variant_get_string (parameter, NULL), &error);
  if (dx != NULL)
    tend_record_set_string (dx, "resolved", NULL);
  if (dx == NULL || !tend_store_save (self->store, dx, &error))
    {
      show_error (self, _("The Diagnosis Could Not Be Changed"), error);
      return;
    }
  refresh (self);
}

static void
on_break_glass_response_cb (TendBreakGlassDialog *dialog,
                            const char           *response,
                            TendChartPage        *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendChartAccess) access = NULL;

  if (g_strcmp0 (response, "break") != 0)
    return;
  access = tend_chart_break_glass (self->store, self->client_id, tend_break_glass_dialog_get_reason (dialog), &error);
  if (access == NULL)
    {
      show_error (self, _("The Glass Could Not Be Broken"), error);
      return;
    }
  access_changed (self, _("Emergency access recorded"));
}

/* From a tab or the header of a chart the person is not on. */
static void
break_glass_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  g_autofree char *client_name = NULL;
  const char *clinician = NULL;
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  client_name = tend_client_dup_display_name (self->client);
  if (tend_client_get_primary_clinician (self->client) != NULL)
    clinician = tend_chart_ui_staff_name (self->store, names, tend_client_get_primary_clinician (self->client));
  dialog = tend_break_glass_dialog_new (tend_chart_ui_parent_window (widget), client_name, clinician);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_break_glass_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_back_to_chart_cb (TendChartPage *self)
{
  gtk_stack_set_visible_child_name (self->mode, "chart");
  tend_document_pane_close (self->document_pane);
  refresh (self);
}

static void
on_draft_discarded_cb (TendChartPage *self)
{
  on_back_to_chart_cb (self);
  toast (self, _("Draft discarded"));
}

/* Opens a draft in the note editor, in place of the chart. */
static void
open_editor (TendChartPage *self,
             const char    *note_id)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *editor = tend_note_editor_new (self->store, note_id, self->zone, &error);

  if (editor == NULL)
    {
      show_error (self, _("The Note Could Not Be Opened"), error);
      return;
    }
  if (self->editor != NULL)
    gtk_stack_remove (self->mode, self->editor);
  self->editor = editor;
  gtk_stack_add_named (self->mode, editor, "editor");
  g_signal_connect_object (editor, "done", G_CALLBACK (on_back_to_chart_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "signed", G_CALLBACK (on_back_to_chart_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "discarded", G_CALLBACK (on_draft_discarded_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->mode, "editor");
  tend_note_editor_focus (TEND_NOTE_EDITOR (editor));
}

static void
on_note_edit_cb (TendNoteView  *view,
                 const char    *note_id,
                 TendChartPage *self)
{
  open_editor (self, note_id);
}

/* A tab changed what others show (or the client record itself): the
 * client is read again, and the whole chart with it. */
static void
on_tab_changed_cb (TendChartPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) client = NULL;

  if (self->client_id == NULL)
    return;
  client = tend_store_load (self->store, TEND_TYPE_CLIENT, self->client_id, &error);
  if (client != NULL)
    g_set_object (&self->client, TEND_CLIENT (client));
  else
    show_error (self, _("The Client Could Not Be Read Again"), error);
  refresh (self);
}

/* A document that arrives with a sync (a consent the client signed in the
 * portal) or whose sharing changed is listed at once; a consent signed in
 * the portal shows in Contacts. */
static void
on_store_changed_cb (TendStore     *store,
                     const char    *type_name,
                     const char    *id,
                     TendChartPage *self)
{
  if (self->client != NULL && g_strcmp0 (type_name, "document") == 0)
    tend_chart_tab_invalidate (self->tabs[PAGE_DOCUMENTS]);
  else if (self->client != NULL && g_strcmp0 (type_name, "portal_form") == 0)
    {
      tend_chart_tab_invalidate (self->tabs[PAGE_CONTACTS]);
      /* A treatment plan's co-signature by the client, from the portal. */
      tend_chart_tab_invalidate (self->tabs[PAGE_PLAN]);
    }
}

/* Parent class overrides */

static void
tend_chart_page_dispose (GObject *object)
{
  TendChartPage *self = TEND_CHART_PAGE (object);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->sync);
  self->editor = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_CHART_PAGE);
  tend_chart_ui_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_chart_page_parent_class)->dispose (object);
}

static void
tend_chart_page_finalize (GObject *object)
{
  TendChartPage *self = TEND_CHART_PAGE (object);

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->export_from, g_free);
  g_clear_pointer (&self->export_to, g_free);
  G_OBJECT_CLASS (tend_chart_page_parent_class)->finalize (object);
}

static void
tend_chart_page_class_init (TendChartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_chart_page_dispose;
  object_class->finalize = tend_chart_page_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  g_type_ensure (TEND_TYPE_CHART_HEADER);
  g_type_ensure (TEND_TYPE_CHART_OVERVIEW_TAB);
  g_type_ensure (TEND_TYPE_CHART_NOTES_TAB);
  g_type_ensure (TEND_TYPE_CHART_DIAGNOSES_TAB);
  g_type_ensure (TEND_TYPE_CHART_PLAN_TAB);
  g_type_ensure (TEND_TYPE_CHART_MEASURES_TAB);
  g_type_ensure (TEND_TYPE_CHART_DOCUMENTS_TAB);
  g_type_ensure (TEND_TYPE_CHART_CONTACTS_TAB);
  g_type_ensure (TEND_TYPE_CHART_AUDIT_TAB);
  g_type_ensure (TEND_TYPE_NOTE_VIEW);
  g_type_ensure (TEND_TYPE_DOCUMENT_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, mode);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, top_box);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, header);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, views);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, overview_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, notes_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, diagnoses_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, plan_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, measures_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, documents_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, contacts_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, audit_tab);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, note_view);
  gtk_widget_class_bind_template_child (widget_class, TendChartPage, document_pane);
  gtk_widget_class_bind_template_callback (widget_class, on_tab_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_to_chart_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_note_edit_cb);

  gtk_widget_class_install_action (widget_class, "chart.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "chart.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "chart.cancel-export", NULL, cancel_export_action);
  gtk_widget_class_install_action (widget_class, "chart.new-note", "s", new_note_action);
  gtk_widget_class_install_action (widget_class, "chart.open-note", "s", open_note_action);
  gtk_widget_class_install_action (widget_class, "chart.open-document", "s", open_document_action);
  gtk_widget_class_install_action (widget_class, "chart.unresolve", "s", unresolve_action);
  gtk_widget_class_install_action (widget_class, "chart.break-glass", NULL, break_glass_action);

  /**
   * TendChartPage::back: the person asked to return to the client list
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_chart_page_init (TendChartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->overdue_days = 3;
  self->tabs[PAGE_OVERVIEW] = TEND_CHART_TAB (self->overview_tab);
  self->tabs[PAGE_NOTES] = TEND_CHART_TAB (self->notes_tab);
  self->tabs[PAGE_DIAGNOSES] = TEND_CHART_TAB (self->diagnoses_tab);
  self->tabs[PAGE_PLAN] = TEND_CHART_TAB (self->plan_tab);
  self->tabs[PAGE_MEASURES] = TEND_CHART_TAB (self->measures_tab);
  self->tabs[PAGE_DOCUMENTS] = TEND_CHART_TAB (self->documents_tab);
  self->tabs[PAGE_CONTACTS] = TEND_CHART_TAB (self->contacts_tab);
  self->tabs[PAGE_AUDIT] = TEND_CHART_TAB (self->audit_tab);
  /* The switcher fits any width; it is made for the stack, so in code. */
  gtk_box_append (self->top_box, tend_view_switcher_new (self->views));
}

/* Public API */

GtkWidget *
tend_chart_page_new (void)
{
  return g_object_new (TEND_TYPE_CHART_PAGE, NULL);
}

void
tend_chart_page_set_store (TendChartPage *self,
                           TendStore     *store,
                           GTimeZone     *zone)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  tend_note_view_set_store (self->note_view, store, self->zone);
  g_object_set (self->header, "store", store, "zone", self->zone, NULL);
  for (guint i = 0; i < N_PAGES; i++)
    g_object_set (self->tabs[i], "store", store, "zone", self->zone, NULL);
}

/**
 * tend_chart_page_set_client:
 *
 * Shows a client's chart (recording the open in the audit log).
 */
gboolean
tend_chart_page_set_client (TendChartPage *self,
                            const char    *client_id,
                            GError       **error)
{
  g_autoptr(TendRecord) client = NULL;
  TendRole role = TEND_ROLE_OWNER;
  gboolean visible[N_PAGES];

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  client = tend_store_load (self->store, TEND_TYPE_CLIENT, client_id, error);
  if (client == NULL || !tend_chart_open (self->store, client_id, error))
    return FALSE;
  g_set_object (&self->client, TEND_CLIENT (client));
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  tend_chart_notes_tab_reset (self->notes_tab);
  tend_store_get_actor_role (self->store, &role);
  for (guint i = 0; i < N_PAGES; i++)
    visible[i] = tend_role_can (role, TEND_PERMISSION_VIEW_CLINICAL);
  visible[PAGE_OVERVIEW] = visible[PAGE_CONTACTS] = TRUE;
  visible[PAGE_DIAGNOSES] = tend_role_can (role, TEND_PERMISSION_VIEW_DIAGNOSES);
  visible[PAGE_AUDIT] = tend_role_can (role, TEND_PERMISSION_VIEW_AUDIT);
  for (guint i = 0; i < N_PAGES; i++)
    adw_view_stack_page_set_visible (adw_view_stack_get_page (self->views, GTK_WIDGET (self->tabs[i])), visible[i]);
  adw_view_stack_set_visible_child_name (self->views, "overview");
  gtk_stack_set_visible_child_name (self->mode, "chart");
  refresh (self);
  return TRUE;
}

/**
 * tend_chart_page_set_sync:
 * @sync: (nullable): the practice server the store syncs with
 *
 * With a server, the Overview offers to invite the client to the portal,
 * Documents to share with them and a signed treatment plan to ask them
 * to co-sign it.
 */
void
tend_chart_page_set_sync (TendChartPage      *self,
                          TendSyncController *sync)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  g_set_object (&self->sync, sync);
  tend_chart_overview_tab_set_sync (self->overview_tab, sync);
  tend_chart_contacts_tab_set_sync (self->contacts_tab, sync);
  tend_chart_documents_tab_set_sharing (self->documents_tab, sync != NULL);
  tend_chart_plan_tab_set_portal (self->plan_tab, sync != NULL);
}

const char *
tend_chart_page_get_client_id (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->client_id;
}

AdwViewStack *
tend_chart_page_get_views (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->views;
}

/* "chart", "note", "editor" or "document" */
const char *
tend_chart_page_get_mode (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->mode);
}

gboolean
tend_chart_page_has_risk_alert (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  return tend_chart_header_has_risk_alert (self->header);
}

guint
tend_chart_page_get_n_note_rows (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), 0);
  return tend_chart_notes_tab_get_n_rows (self->notes_tab);
}

/**
 * tend_chart_page_search_notes:
 *
 * Searches the client's notes as typing in the Notes tab's search does
 * (empty text: the list again).
 */
void
tend_chart_page_search_notes (TendChartPage *self,
                              const char    *text)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  tend_chart_notes_tab_search (self->notes_tab, text);
}

GtkWidget *
tend_chart_page_get_editor (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->editor;
}

GtkWidget *
tend_chart_page_get_measure_graph (TendChartPage  *self,
                                   TendInstrument  instrument)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  g_return_val_if_fail (instrument < TEND_N_INSTRUMENTS, NULL);
  return tend_chart_measures_tab_get_graph (self->measures_tab, instrument);
}

static GtkWidget *start_note (TendChartPage    *self,
                              TendClinicalNote *note,
                              GError          **error);

/**
 * tend_chart_page_new_note:
 *
 * Starts a note from a template, linked to and prefilled from the client's
 * latest past session that has no note yet, and opens it in the editor.
 *
 * Returns: (transfer none) (nullable): the editor
 */
GtkWidget *
tend_chart_page_new_note (TendChartPage    *self,
                          TendNoteTemplate  template_,
                          GError          **error)
{
  g_autoptr(TendClinicalNote) note = NULL;
  const char *author = tend_store_get_actor_id (self->store);

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  if (author == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED, _("Sign in to write notes."));
      return NULL;
    }
  note = tend_clinical_note_new (self->client_id, author, template_);
  return start_note (self, note, error);
}

/**
 * tend_chart_page_new_practice_note:
 * @template_id: one of the practice's note templates
 *
 * tend_chart_page_new_note () from a practice template: the note keeps a
 * copy of the template as it is now.
 *
 * Returns: (transfer none) (nullable): the editor
 */
GtkWidget *
tend_chart_page_new_practice_note (TendChartPage *self,
                                   const char    *template_id,
                                   GError       **error)
{
  g_autoptr(TendRecord) template_ = NULL;
  g_autoptr(TendClinicalNote) note = NULL;
  const char *author = tend_store_get_actor_id (self->store);

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  if (author == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED, _("Sign in to write notes."));
      return NULL;
    }
  template_ = tend_store_load (self->store, TEND_TYPE_PRACTICE_TEMPLATE, template_id, error);
  if (template_ == NULL)
    return NULL;
  note = tend_clinical_note_new_from_practice_template (self->client_id, author, TEND_PRACTICE_TEMPLATE (template_));
  return start_note (self, note, error);
}

/* Links @note to the client's latest past session without a note,
 * prefills it from there, saves it and opens it in the editor. */
static GtkWidget *
start_note (TendChartPage    *self,
            TendClinicalNote *note,
            GError          **error)
{
  g_autoptr(GPtrArray) past = NULL;
  g_autoptr(TendGroupNote) group = NULL;

  past = tend_chart_list_sessions (self->store, self->client_id, g_get_real_time (), FALSE, 10, error);
  if (past == NULL)
    return NULL;
  for (guint i = 0; i < past->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (past, i);
      g_autoptr(TendClinicalNote) existing = NULL;
      g_autoptr(TendVideoSession) video = NULL;
      g_autoptr(GError) local = NULL;

      /* A video session that was held counts as the session held. */
      if (tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH)
        video = tend_chart_find_video_session (self->store, tend_record_get_id (TEND_RECORD (a)), NULL);
      if (tend_appointment_get_status (a) != TEND_APPOINTMENT_COMPLETED &&
          tend_appointment_get_status (a) != TEND_APPOINTMENT_ARRIVED &&
          (video == NULL || !tend_video_session_is_ended (video)))
        continue;
      existing = tend_chart_find_note_for_appointment (self->store, tend_record_get_id (TEND_RECORD (a)), &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (existing == NULL)
        {
          tend_clinical_note_prefill_from_appointment (note, TEND_RECORD (a), self->zone);
          /* What was held, not what was booked. */
          if (video != NULL)
            tend_clinical_note_prefill_from_video_session (note, video, self->zone);
          group = tend_chart_load_group_note (self->store, self->client_id, a, error);
          if (group == NULL && error != NULL && *error != NULL)
            return NULL;
          break;
        }
    }
  /* The client took part; the clinician adds anyone else.  In a couple,
   * family or group session the others are "group member" unless this
   * client consented to name them (tend-group-note.c). */
  if (group != NULL)
    {
      g_autofree char *who = tend_group_note_dup_participants (group);

      tend_record_set_string (TEND_RECORD (note), "participants", who);
    }
  else if (self->client != NULL)
    {
      g_autofree char *name = tend_client_dup_display_name (self->client);

      tend_record_set_string (TEND_RECORD (note), "participants", name);
    }
  if (!tend_chart_save_note (self->store, note, error))
    return NULL;
  open_editor (self, tend_record_get_id (TEND_RECORD (note)));
  return self->editor;
}

/**
 * tend_chart_page_open_note:
 *
 * Shows one note (audited as a view), its signature and its addenda.
 */
gboolean
tend_chart_page_open_note (TendChartPage *self,
                           const char    *note_id,
                           GError       **error)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  if (!tend_note_view_show_note (self->note_view, self->client, note_id, self->overdue_days, error))
    return FALSE;
  gtk_stack_set_visible_child_name (self->mode, "note");
  return TRUE;
}

/**
 * tend_chart_page_attach_file:
 *
 * Reads @file in a thread (checking a PDF with poppler) and attaches it to
 * the chart; an error is shown in a dialog.
 */
void
tend_chart_page_attach_file (TendChartPage *self,
                             GFile         *file)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  tend_chart_documents_tab_attach_file (self->documents_tab, file);
}

gboolean
tend_chart_page_is_attaching (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  return tend_chart_documents_tab_is_attaching (self->documents_tab);
}

/* The message of the last attach error shown, or %NULL. */
const char *
tend_chart_page_get_last_error (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return tend_chart_documents_tab_get_last_error (self->documents_tab);
}

/* Opens a document as a click on its row does. */
gboolean
tend_chart_page_open_document (TendChartPage *self,
                               const char    *document_id,
                               GError       **error)
{
  g_autoptr(TendDocument) doc = NULL;
  GBytes *bytes;

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  bytes = tend_chart_read_document (self->store, document_id, &doc, error);
  if (bytes == NULL)
    return FALSE;
  tend_document_pane_show (self->document_pane, bytes, tend_document_get_mime_type (doc), tend_document_get_title (doc));
  gtk_stack_set_visible_child_name (self->mode, "document");
  return TRUE;
}

/* How many page images the document view shows (0 while rendering). */
guint
tend_chart_page_get_n_document_pages (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), 0);
  return tend_document_pane_get_n_pages (self->document_pane);
}

/* From the unsigned-note-days setting. */
void
tend_chart_page_set_overdue_days (TendChartPage *self,
                                  guint          days)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  self->overdue_days = MAX (days, 1);
  for (guint i = 0; i < N_PAGES; i++)
    tend_chart_tab_set_overdue_days (self->tabs[i], days);
}

/**
 * tend_chart_page_export_async:
 * @from: (nullable): first date, YYYY-MM-DD
 * @to: (nullable): last date
 *
 * Writes the chart as a PDF in a thread, on a connection of its own, with
 * progress shown under the header and a Cancel button.
 */
void
tend_chart_page_export_async (TendChartPage      *self,
                              GFile              *file,
                              const char         *from,
                              const char         *to,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  tend_chart_header_show_progress (self->header, TRUE);
  tend_chart_export_async (self, self->store, self->client_id, file, from, to, self->export_messages, self->header,
                           cancellable, callback, user_data);
}

gboolean
tend_chart_page_export_finish (TendChartPage *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  tend_chart_header_show_progress (self->header, FALSE);
  return tend_chart_export_finish (result, error);
}

/**
 * tend_chart_page_set_export_messages:
 *
 * Whether the next export includes the conversations with the client (the
 * export dialog's check box).
 */
void
tend_chart_page_set_export_messages (TendChartPage *self,
                                     gboolean       include)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  self->export_messages = include;
}
