/* test-messages-page.c: the Messages page on a demo store, wide and at
 * phone width; screenshots in $TEND_TEST_SCREENSHOTS when it is set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test-util.h"
#include "tend-chart-page.h"
#include "tend-demo.h"
#include "tend-document-window.h"
#include "tend-keyring.h"
#include "tend-messages.h"
#include "tend-messages-page.h"
#include "tend-store.h"
#include "tend-sync-store.h"

typedef struct
{
  char             *dir;
  TendStore        *store;
  GtkWidget        *window;
  TendMessagesPage *page;
  char             *me;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autofree char *path = NULL;
  TendDemoOptions opts;

  f->dir = g_dir_make_tmp ("tend-messages-page-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "tend.db", NULL);
  f->store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tend_demo_options_init (&opts);
  opts.n_clients = 30;
  opts.appointment_years = 1;
  g_assert_true (tend_demo_generate (f->store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Signed in as the member of the newest demo conversation. */
  conversations = tend_messages_list_conversations (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, >, 10);
  {
    TendConversationSummary *s = conversations->pdata[0];
    g_auto(GStrv) members = tend_conversation_dup_members (s->conversation);
    g_autoptr(TendRecord) staff = tend_store_load (f->store, TEND_TYPE_STAFF, members[0], &error);

    g_assert_no_error (error);
    f->me = g_strdup (members[0]);
    tend_store_set_actor (f->store, f->me, tend_staff_get_role (TEND_STAFF (staff)));
  }

  f->window = adw_window_new ();
  f->page = tend_messages_page_new ();
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  tend_messages_page_set_store (f->page, f->store, zone);
  gtk_window_present (GTK_WINDOW (f->window));
  spin_for (200);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin_for (50);
  g_assert_finalize_object (f->store);
  for (const char *const *s = (const char *const[]) { "tend.db", "tend.db-wal", "tend.db-shm", "tend.db.keyid", NULL }; *s; s++)
    {
      g_autofree char *p = g_build_filename (f->dir, *s, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->me);
}

static gboolean
page_idle (gpointer page)
{
  return !tend_messages_page_is_busy (page);
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

/* Every widget of @root inside the window's width. */
static void
assert_inside (GtkWidget *window,
               GtkWidget *root)
{
  graphene_rect_t bounds;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_child_visible (c) || !gtk_widget_get_visible (c) || !gtk_widget_get_mapped (c))
        continue;
      if (gtk_widget_compute_bounds (c, window, &bounds))
        {
          if (bounds.origin.x < -1 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 1)
            g_error ("%s is outside the window: x %.0f, width %.0f of %d", G_OBJECT_TYPE_NAME (c),
                     bounds.origin.x, bounds.size.width, gtk_widget_get_width (window));
        }
      if (!GTK_IS_SCROLLED_WINDOW (root) && !GTK_IS_VIEWPORT (c) && !GTK_IS_LIST_VIEW (root))
        assert_inside (window, c);
    }
}

static void
test_wide (Fixture       *f,
           gconstpointer  data)
{
  GtkListBox *list = tend_messages_page_get_list (f->page);
  GtkListBoxRow *row;
  g_autoptr(GError) error = NULL;
  guint before, unread_before;

  g_assert_cmpuint (n_rows (list), >, 10);
  g_assert_false (tend_messages_page_is_folded (f->page));
  /* The list is read in a thread: the page stays as it was until then. */
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");

    tend_messages_page_set_store (f->page, f->store, zone);
  }
  g_assert_true (tend_messages_page_is_busy (f->page));
  g_assert_cmpuint (n_rows (list), >, 10);
  spin_until (page_idle, f->page, 10000);
  g_assert_false (tend_messages_page_is_busy (f->page));
  g_assert_cmpuint (n_rows (list), >, 10);
  unread_before = tend_messages_page_get_unread (f->page);
  g_assert_cmpuint (unread_before, ==, (guint) tend_messages_count_unread (f->store, NULL));
  gui_test_screenshot (f->window, "messages-wide-list");

  row = gtk_list_box_get_row_at_index (list, 0);
  g_signal_emit_by_name (list, "row-activated", row);
  spin_for (200);
  before = tend_messages_page_get_n_shown (f->page);
  g_assert_cmpuint (before, >, 0);
  /* Reading the newest conversation marked it read. */
  g_assert_cmpuint (tend_messages_page_get_unread (f->page), <=, unread_before);

  tend_messages_page_type (f->page, "Thanks, I'll take the 4 pm.\nSee you Thursday.");
  tend_messages_page_send (f->page);
  spin_for (200);
  g_assert_cmpuint (tend_messages_page_get_n_shown (f->page), ==, before + 1);
  g_assert_cmpint (tend_store_count_outbox (f->store), >, 0);
  gui_test_screenshot (f->window, "messages-wide-conversation");
  assert_inside (f->window, f->window);
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A real two-page PDF, made with cairo. */
static GBytes *
two_page_pdf (void)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_bytes, out, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (int i = 0; i < 2; i++)
    {
      cairo_move_to (cr, 72, 100);
      cairo_set_font_size (cr, 24);
      cairo_show_text (cr, i == 0 ? "Release of information, page 1" : "Page 2");
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

/* The first button under @root whose tooltip is @tooltip, after @after. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip,
             guint      *skip)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_widget_get_tooltip_text (c), tooltip) == 0 && (*skip)-- == 0)
        return c;
      if ((found = find_button (c, tooltip, skip)) != NULL)
        return found;
    }
  return NULL;
}

/* The document window opened last, or NULL. */
static TendDocumentWindow *
document_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i - 1);

      if (TEND_IS_DOCUMENT_WINDOW (w))
        return TEND_DOCUMENT_WINDOW (w);
    }
  return NULL;
}

static gboolean
view_idle (gpointer view)
{
  return !tend_document_view_is_busy (view);
}

/* Opens the @index-th attachment button and waits for its window. */
static TendDocumentWindow *
open_attachment (Fixture *f,
                 guint    index)
{
  guint skip = index;
  GtkWidget *button = find_button (GTK_WIDGET (f->page), "Open this file", &skip);
  TendDocumentWindow *window;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  /* Decrypted in a thread: the window follows. */
  g_assert_true (tend_messages_page_is_busy (f->page));
  spin_until (page_idle, f->page, 10000);
  window = document_window ();
  g_assert_nonnull (window);
  spin_until (view_idle, tend_document_window_get_view (window), 10000);
  spin_for (100);
  return window;
}

/* Attachments Tend can show open in a window of their own (a PDF's pages,
 * an image); bytes that do not read as what they claim show why. */
static void
test_attachments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conversations = tend_messages_list_conversations (f->store, NULL, &error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_outgoing_file_free);
  g_autoptr(GBytes) pdf = two_page_pdf ();
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) broken = g_bytes_new_static ("%PDF-1.4 this is not really a PDF", 33);
  g_autoptr(TendMessage) sent = NULL;
  TendConversationSummary *s = conversations->pdata[0];
  const char *conversation_id = tend_record_get_id (TEND_RECORD (s->conversation));
  TendDocumentWindow *window;
  TendDocumentView *view;

  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
    g_autoptr(GdkTexture) texture = NULL;

    gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
    texture = gdk_texture_new_for_pixbuf (pixbuf);
    png = gdk_texture_save_to_png_bytes (texture);
  }
  g_ptr_array_add (files, tend_outgoing_file_new ("release.pdf", "application/pdf", pdf));
  g_ptr_array_add (files, tend_outgoing_file_new ("insurance-card.png", "image/png", png));
  g_ptr_array_add (files, tend_outgoing_file_new ("scan.pdf", "application/pdf", broken));
  sent = tend_messages_send (f->store, conversation_id, "The signed release, the card, and a scan.", files, &error);
  g_assert_no_error (error);
  tend_messages_page_open_conversation (f->page, conversation_id);
  spin_for (300);

  window = open_attachment (f, 0);
  view = tend_document_window_get_view (window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "release.pdf");
  g_assert_null (tend_document_view_get_error (view));
  g_assert_cmpuint (tend_document_view_get_n_pages (view), ==, 2);
  gui_test_screenshot (GTK_WIDGET (window), "attachment-pdf");
  /* Zooming renders again, still two pages. */
  tend_document_view_zoom (view, 1.25);
  g_assert_true (tend_document_view_is_busy (view));
  spin_until (view_idle, view, 10000);
  g_assert_cmpuint (tend_document_view_get_n_pages (view), ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_attachment (f, 1);
  view = tend_document_window_get_view (window);
  g_assert_null (tend_document_view_get_error (view));
  g_assert_cmpuint (tend_document_view_get_n_pages (view), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_attachment (f, 2);
  view = tend_document_window_get_view (window);
  g_assert_cmpuint (tend_document_view_get_n_pages (view), ==, 0);
  g_assert_nonnull (tend_document_view_get_error (view));
  g_assert_true (g_str_has_prefix (tend_document_view_get_error (view), "This PDF cannot be read"));
  gui_test_screenshot (GTK_WIDGET (window), "attachment-unreadable");
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (50);

  /* Another conversation opened while a file is being decrypted: that
   * read is cancelled, and no window opens for it. */
  {
    guint skip = 0;
    GtkWidget *button = find_button (GTK_WIDGET (f->page), "Open this file", &skip);
    TendConversationSummary *other = conversations->pdata[1];

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    g_assert_true (tend_messages_page_is_busy (f->page));
    tend_messages_page_open_conversation (f->page, tend_record_get_id (TEND_RECORD (other->conversation)));
    spin_until (page_idle, f->page, 10000);
    spin_for (100);
    g_assert_null (document_window ());
  }
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  GtkListBox *list = tend_messages_page_get_list (f->page);
  int min = 0;

  gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  spin_for (300);
  g_assert_true (tend_messages_page_is_folded (f->page));
  assert_inside (f->window, f->window);
  gui_test_screenshot (f->window, "messages-narrow-list");

  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 2));
  spin_for (400);
  g_assert_cmpuint (tend_messages_page_get_n_shown (f->page), >, 0);
  assert_inside (f->window, f->window);
  gui_test_screenshot (f->window, "messages-narrow-conversation");
}

static void
collect_checks (GtkWidget *root,
                GPtrArray *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_CHECK_BUTTON (c) && g_object_get_data (G_OBJECT (c), "staff-id") != NULL)
        g_ptr_array_add (out, c);
      collect_checks (c, out);
    }
}

static GtkWidget *
find_labelled_button (GtkWidget  *root,
                      const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        return c;
      if ((found = find_labelled_button (c, label)) != NULL)
        return found;
    }
  return NULL;
}

/* Whether a label under @root shows @text. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_visible (c) && strstr (gtk_label_get_text (GTK_LABEL (c)), text) != NULL)
        return TRUE;
      if (shows_text (c, text))
        return TRUE;
    }
  return FALSE;
}

/* Add People…: the dialog offers colleagues not in the conversation (for
 * a clinical one, only roles that read clinical records); adding one
 * changes the conversation record and shows "… added …" in the thread. */
static void
test_add_people (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conversations = tend_messages_list_conversations (f->store, NULL, &error);
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(TendRecord) after = NULL;
  g_autoptr(TendRecord) added_staff = NULL;
  g_autofree char *added_name = NULL;
  g_autofree char *expected = NULL;
  TendConversation *clinical = NULL, *plain = NULL;
  GtkWindow *dialog;
  GtkWidget *add;
  g_autofree char *added_id = NULL;
  guint before;

  g_assert_no_error (error);
  for (guint i = 0; i < conversations->len; i++)
    {
      TendConversationSummary *s = conversations->pdata[i];

      if (tend_conversation_is_with_client (s->conversation))
        continue;
      if (tend_conversation_is_clinical (s->conversation) && clinical == NULL)
        clinical = s->conversation;
      else if (!tend_conversation_is_clinical (s->conversation) && plain == NULL)
        plain = s->conversation;
    }
  g_assert_nonnull (clinical);
  g_assert_nonnull (plain);

  /* Clinical: nobody offered whose role does not read clinical records. */
  tend_messages_page_open_conversation (f->page, tend_record_get_id (TEND_RECORD (clinical)));
  spin_for (200);
  dialog = tend_messages_page_add_people (f->page);
  g_assert_nonnull (dialog);
  spin_for (200);
  gui_test_screenshot (GTK_WIDGET (dialog), "messages-add-people-clinical");
  collect_checks (GTK_WIDGET (dialog), checks);
  for (guint i = 0; i < checks->len; i++)
    {
      const char *id = g_object_get_data (checks->pdata[i], "staff-id");
      g_autoptr(TendRecord) staff = tend_store_load (f->store, TEND_TYPE_STAFF, id, &error);

      g_assert_no_error (error);
      g_assert_true (tend_role_can (tend_staff_get_role (TEND_STAFF (staff)), TEND_PERMISSION_VIEW_CLINICAL));
      g_assert_false (tend_conversation_has_member (clinical, id));
    }
  gtk_window_destroy (dialog);
  spin_for (50);

  /* Not clinical: add the first colleague offered. */
  tend_messages_page_open_conversation (f->page, tend_record_get_id (TEND_RECORD (plain)));
  spin_for (300);
  before = tend_messages_page_get_n_shown (f->page);
  dialog = tend_messages_page_add_people (f->page);
  spin_for (200);
  g_ptr_array_set_size (checks, 0);
  collect_checks (GTK_WIDGET (dialog), checks);
  g_assert_cmpuint (checks->len, >, 0);
  /* The dialog's widgets go with it: the id is copied. */
  added_id = g_strdup (g_object_get_data (checks->pdata[0], "staff-id"));
  g_assert_false (tend_conversation_has_member (plain, added_id));
  gtk_check_button_set_active (checks->pdata[0], TRUE);
  gui_test_screenshot (GTK_WIDGET (dialog), "messages-add-people");
  /* It fits a phone-width screen. */
  {
    int min = 0;

    gtk_widget_measure (GTK_WIDGET (dialog), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 360);
    gtk_window_set_default_size (dialog, 360, 640);
    spin_for (200);
    assert_inside (GTK_WIDGET (dialog), GTK_WIDGET (dialog));
    gui_test_screenshot (GTK_WIDGET (dialog), "messages-add-people-narrow");
  }
  added_staff = tend_store_load (f->store, TEND_TYPE_STAFF, added_id, &error);
  g_assert_no_error (error);
  added_name = tend_staff_dup_display_name (TEND_STAFF (added_staff));
  add = find_labelled_button (GTK_WIDGET (dialog), "_Add");
  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  spin_for (300);

  after = tend_store_load (f->store, TEND_TYPE_CONVERSATION, tend_record_get_id (TEND_RECORD (plain)), &error);
  g_assert_no_error (error);
  g_assert_true (tend_conversation_has_member (TEND_CONVERSATION (after), added_id));
  g_assert_cmpint (tend_store_count_outbox (f->store), >, 0);
  /* One more row: the line saying who was added, at the end. */
  g_assert_cmpuint (tend_messages_page_get_n_shown (f->page), ==, before + 1);
  expected = g_strdup_printf ("You added %s", added_name);
  g_assert_true (shows_text (GTK_WIDGET (f->page), expected));
  g_assert_true (shows_text (GTK_WIDGET (f->page), added_name));
  gui_test_screenshot (f->window, "messages-added-line");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  spin_for (400);
  assert_inside (f->window, f->window);
  gui_test_screenshot (f->window, "messages-added-line-narrow");
}

/* A conversation a client started in the portal, as sync brings it: named
 * after the client, "Started by the client", their message in it. */
static void
test_client_started (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = tend_store_list (f->store, TEND_TYPE_CLIENT, &error);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = tend_time_to_iso8601 (now);
  g_autofree char *cid = g_uuid_string_random ();
  g_autofree char *mid = g_uuid_string_random ();
  g_autofree char *conversation = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  GtkListBox *list = tend_messages_page_get_list (f->page);
  const char *client_id;

  g_assert_no_error (error);
  client_id = tend_record_get_id (clients->pdata[0]);
  name = tend_store_dup_display_name (f->store, TEND_TYPE_CLIENT, client_id);
  conversation = g_strdup_printf ("{\"members\":[\"%s\"],\"client_id\":\"%s\",\"with_client\":true,"
                                  "\"started_by_client\":true,\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                                  f->me, client_id, client_id, at);
  message = g_strdup_printf ("{\"conversation_id\":\"%s\",\"from_client\":true,\"sent_at\":\"%s\","
                             "\"text\":\"Could we move Thursday’s session to Friday afternoon? "
                             "Work changed my shift.\"}", cid, at);
  g_ptr_array_add (changes, tend_sync_change_new ("conversation", cid, 1, FALSE, conversation));
  g_ptr_array_add (changes, tend_sync_change_new ("message", mid, 1, FALSE, message));
  g_assert_true (tend_store_sync_apply_page (f->store, changes, "test-cursor", FALSE, NULL, &error));
  g_assert_no_error (error);
  spin_for (300);

  /* The newest, unread, named after the client. */
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0);

    g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "conversation-id"), ==, cid);
    g_assert_true (shows_text (GTK_WIDGET (row), name));
  }
  gui_test_screenshot (f->window, "messages-client-started-list");
  tend_messages_page_open_conversation (f->page, cid);
  spin_for (300);
  g_assert_cmpuint (tend_messages_page_get_n_shown (f->page), ==, 1);
  line = g_strdup_printf ("You · Started by the client");
  g_assert_true (shows_text (GTK_WIDGET (f->page), line));
  g_assert_true (shows_text (GTK_WIDGET (f->page), "Work changed my shift."));
  gui_test_screenshot (f->window, "messages-client-started");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  spin_for (400);
  assert_inside (f->window, f->window);
  gui_test_screenshot (f->window, "messages-client-started-narrow");
}

/* A conversation about a client is listed in that client's chart, and
 * opens in Messages. */
static void
test_in_chart (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  TendConversationSummary *about = NULL;
  GtkWidget *chart, *window;
  gboolean found = FALSE;
  GQueue queue = G_QUEUE_INIT;

  list = tend_messages_list_conversations (f->store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len && about == NULL; i++)
    if (tend_conversation_get_client_id (((TendConversationSummary *) list->pdata[i])->conversation) != NULL)
      about = list->pdata[i];
  g_assert_nonnull (about);

  chart = tend_chart_page_new ();
  window = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");

    tend_chart_page_set_store (TEND_CHART_PAGE (chart), f->store, zone);
  }
  g_assert_true (tend_chart_page_set_client (TEND_CHART_PAGE (chart), tend_conversation_get_client_id (about->conversation),
                                             &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (200);

  /* A row that opens the conversation through app.show-conversation. */
  g_queue_push_tail (&queue, chart);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *w = g_queue_pop_head (&queue);

      if (GTK_IS_ACTIONABLE (w) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "app.show-conversation") == 0)
        {
          GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (w));

          found |= target != NULL && g_strcmp0 (g_variant_get_string (target, NULL),
                                                 tend_record_get_id (TEND_RECORD (about->conversation))) == 0;
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  g_assert_true (found);
  gui_test_screenshot (window, "messages-in-chart");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();
  g_test_add ("/messages-page/wide", Fixture, NULL, fixture_set_up, test_wide, fixture_tear_down);
  g_test_add ("/messages-page/narrow", Fixture, NULL, fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/messages-page/attachments", Fixture, NULL, fixture_set_up, test_attachments, fixture_tear_down);
  g_test_add ("/messages-page/add-people", Fixture, NULL, fixture_set_up, test_add_people, fixture_tear_down);
  g_test_add ("/messages-page/client-started", Fixture, NULL, fixture_set_up, test_client_started, fixture_tear_down);
  g_test_add ("/messages-page/in-chart", Fixture, NULL, fixture_set_up, test_in_chart, fixture_tear_down);
  return g_test_run ();
}
