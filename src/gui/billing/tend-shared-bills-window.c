/* tend-shared-bills-window.c: a client's statements and superbills in the portal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reached from the client's ledger in Billing ("Shared in the Portal"):
 * share a statement or a superbill made from the ledger as it stands (the
 * same PDF as Billing's PDF menu saves, numbered the same way), see what
 * the client was given, and stop sharing (or share again).  The record and
 * its bytes reach the practice server at the next sync; the portal lists
 * and serves them to that client only while shared.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-billing.h"
#include "tend-billing-export.h"
#include "tend-shared-bills-window.h"

struct _TendSharedBillsWindow
{
  AdwWindow            parent_instance;

  TendStore           *store;
  char                *client_id;
  AdwPreferencesGroup *list;
  GPtrArray           *rows;      /* the list's rows, to remove on reload */
  AdwToastOverlay     *toasts;
};

G_DEFINE_FINAL_TYPE (TendSharedBillsWindow, tend_shared_bills_window, ADW_TYPE_WINDOW)

static void reload (TendSharedBillsWindow *self);

static void
toast (TendSharedBillsWindow *self,
       const char            *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static char *
bill_title (TendRecord *bill)
{
  const char *number = tend_record_get_string (bill, "number");

  /* TRANSLATORS: a statement's or superbill's number, as in "Statement ST-000012" */
  return g_strcmp0 (tend_record_get_string (bill, "kind"), "superbill") == 0
         ? g_strdup_printf (_("Superbill %s"), number) : g_strdup_printf (_("Statement %s"), number);
}

static char *
bill_subtitle (TendRecord *bill)
{
  const char *at = tend_record_get_string (bill, "shared_at");
  g_autoptr(GDateTime) utc = at != NULL ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%x") : g_strdup ("");

  /* TRANSLATORS: when a statement was shared with the client, and whether it still is */
  return tend_record_get_int (bill, "shared_with_client")
         ? g_strdup_printf (_("Shared on %s · The client can download it"), when)
         : g_strdup_printf (_("Shared on %s · No longer shared"), when);
}

static void
on_toggle_clicked_cb (GtkButton             *button,
                      TendSharedBillsWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "bill-id");
  gboolean share = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "share"));
  g_autoptr(GError) error = NULL;

  if (!tend_billing_set_bill_shared (self->store, id, share, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, share ? _("Shared with the client") : _("No longer shared"));
  reload (self);
}

static void
reload (TendSharedBillsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bills = tend_billing_list_shared_bills (self->store, self->client_id, &error);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->list, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  if (bills == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < bills->len; i++)
    {
      TendRecord *bill = bills->pdata[i];
      g_autofree char *title = bill_title (bill);
      g_autofree char *subtitle = bill_subtitle (bill);
      gboolean shared = tend_record_get_int (bill, "shared_with_client") != 0;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_button_new_with_mnemonic (shared ? _("Stop _Sharing") : _("Share _Again"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (toggle, "flat");
      gtk_widget_set_tooltip_text (toggle, shared ? _("The client will no longer see it in the portal")
                                                  : _("The client can download it from the portal"));
      g_object_set_data_full (G_OBJECT (toggle), "bill-id", g_strdup (tend_record_get_id (bill)), g_free);
      g_object_set_data (G_OBJECT (toggle), "share", GINT_TO_POINTER (!shared));
      g_object_set_data (G_OBJECT (toggle), "button-name", (gpointer) "toggle");
      g_signal_connect_object (toggle, "clicked", G_CALLBACK (on_toggle_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_preferences_group_add (self->list, row);
      g_ptr_array_add (self->rows, row);
    }
  adw_preferences_group_set_description (self->list, bills->len == 0 ? _("Nothing shared yet.") : NULL);
}

/**
 * tend_shared_bills_window_share:
 * @kind: %TEND_BILL_STATEMENT or %TEND_BILL_SUPERBILL
 *
 * Makes the client's statement or superbill from the ledger now, as
 * Billing's PDF menu does (numbered and audited alike), and shares it.
 */
gboolean
tend_shared_bills_window_share (TendSharedBillsWindow *self,
                                TendBillKind           kind,
                                GError               **error)
{
  g_autoptr(TendBill) bill = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(TendSharedBill) shared = NULL;

  g_return_val_if_fail (TEND_IS_SHARED_BILLS_WINDOW (self), FALSE);
  g_return_val_if_fail (kind == TEND_BILL_STATEMENT || kind == TEND_BILL_SUPERBILL, FALSE);

  bill = tend_billing_export_bill (self->store, kind, self->client_id, NULL, NULL, error);
  if (bill == NULL || (pdf = tend_bill_render_pdf (bill, error)) == NULL)
    return FALSE;
  shared = tend_billing_share_bill (self->store, self->client_id, kind == TEND_BILL_STATEMENT ? "statement" : "superbill",
                                    bill->number, bill->issued_on, bill->period_from, bill->period_to, pdf, error);
  if (shared == NULL)
    return FALSE;
  reload (self);
  return TRUE;
}

static void
on_share_clicked_cb (GtkButton             *button,
                     TendSharedBillsWindow *self)
{
  TendBillKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kind"));
  g_autoptr(GError) error = NULL;

  if (!tend_shared_bills_window_share (self, kind, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, kind == TEND_BILL_STATEMENT ? _("Statement shared with the client")
                                           : _("Superbill shared with the client"));
}

static void
build (TendSharedBillsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *make = adw_preferences_group_new ();
  g_autofree char *client = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, self->client_id);
  /* TRANSLATORS: the window's title, with the client's name */
  g_autofree char *title = g_strdup_printf (_("Shared with %s"), client != NULL ? client : "");
  const struct { TendBillKind kind; const char *title; const char *subtitle; const char *button; } kinds[] = {
    { TEND_BILL_STATEMENT, N_("Statement"), N_("This month’s charges and payments, and the balance due"), N_("Share _Statement") },
    { TEND_BILL_SUPERBILL, N_("Superbill"), N_("Sessions with codes and diagnoses, for the client’s insurer"), N_("Share Su_perbill") },
  };

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (make), _("Share in the Portal"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (make),
                                         _("Made from the ledger as it is now. The client downloads it from the portal once this computer has synced."));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *share = gtk_button_new_with_mnemonic (_(kinds[i].button));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(kinds[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(kinds[i].subtitle));
      gtk_widget_set_valign (share, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (share), "kind", GINT_TO_POINTER (kinds[i].kind));
      g_object_set_data (G_OBJECT (share), "button-name", (gpointer) (kinds[i].kind == TEND_BILL_STATEMENT ? "statement" : "superbill"));
      g_signal_connect_object (share, "clicked", G_CALLBACK (on_share_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), share);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (make), row);
    }
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (make));
  self->list = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->list, _("Shared"));
  adw_preferences_page_add (page, self->list);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (page));
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);
  reload (self);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *name,
             guint      *index)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "button-name"), name) == 0)
    {
      if (*index == 0)
        return widget;
      (*index)--;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, name, index);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
tend_shared_bills_window_finalize (GObject *object)
{
  TendSharedBillsWindow *self = TEND_SHARED_BILLS_WINDOW (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_shared_bills_window_parent_class)->finalize (object);
}

static void
tend_shared_bills_window_class_init (TendSharedBillsWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_shared_bills_window_finalize;
}

static void
tend_shared_bills_window_init (TendSharedBillsWindow *self)
{
  self->rows = g_ptr_array_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 600);
}

TendSharedBillsWindow *
tend_shared_bills_window_new (TendStore  *store,
                              const char *client_id)
{
  TendSharedBillsWindow *self = g_object_new (TEND_TYPE_SHARED_BILLS_WINDOW, NULL);

  self->store = g_object_ref (store);
  self->client_id = g_strdup (client_id);
  build (self);
  return self;
}

/**
 * tend_shared_bills_window_get_button:
 * @name: "statement", "superbill" (the share buttons) or "toggle" (a listed
 *   bill's Stop Sharing or Share Again, newest first)
 *
 * Returns: (transfer none) (nullable): the @index-th such button
 */
GtkWidget *
tend_shared_bills_window_get_button (TendSharedBillsWindow *self,
                                     const char            *name,
                                     guint                  index)
{
  g_return_val_if_fail (TEND_IS_SHARED_BILLS_WINDOW (self), NULL);
  return find_button (GTK_WIDGET (self), name, &index);
}

guint
tend_shared_bills_window_get_n_listed (TendSharedBillsWindow *self)
{
  g_return_val_if_fail (TEND_IS_SHARED_BILLS_WINDOW (self), 0);
  return self->rows->len;
}
