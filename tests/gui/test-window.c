/* test-window.c: the application shell under Xvfb, with a real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gui-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tend-application.h"
#include "tend-billing.h"
#include "tend-appointment-editor.h"
#include "tend-calendar-page.h"
#include "tend-chart.h"
#include "tend-chart-page.h"
#include "tend-note-editor.h"
#include "tend-note-session-group.h"
#include "tend-date-row.h"
#include "tend-messages-page.h"
#include "tend-schedule.h"
#include "tend-clients-page.h"
#include "tend-context.h"
#include "tend-keyring.h"
#include "tend-lock-page.h"
#include "tend-preferences-window.h"
#include "tend-hours-group.h"
#include "tend-record-form.h"
#include "tend-practice-page.h"
#include "tend-rooms-page.h"
#include "tend-billing-setup-window.h"
#include "tend-setup-assistant.h"
#include "tend-staff-page.h"
#include "tend-setup-page.h"
#include "tend-store-private.h"
#include "tend-window.h"

typedef struct
{
  char        *dir;
  char        *path;
  GSettings   *settings;
} Fixture;

typedef struct { TendWindow *window; const char *page; } PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *w = data;
  return g_strcmp0 (tend_window_get_page (w->window), w->page) == 0;
}

static void
wait_for_page (TendWindow *window,
               const char *page)
{
  PageWait w = { window, page };

  spin_until (page_is, &w, 20000);
  g_assert_cmpstr (tend_window_get_page (window), ==, page);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tend-gui-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "practice", "tend.db", NULL);
  f->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_set_uint (f->settings, "idle-lock-minutes", 10);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tend_keyring_clear_key (f->path, NULL, NULL);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_clear_object (&f->settings);
}

static TendWindow *
open_window (Fixture      *f,
             TendContext **context_out)
{
  TendContext *context = tend_context_new (f->path, f->settings);
  TendWindow *window = g_object_new (TEND_TYPE_WINDOW, "context", context, NULL);

  tend_context_load (context);
  gtk_window_present (GTK_WINDOW (window));
  *context_out = context;
  return window;
}

static TendSetupPage *
find_setup_page (TendWindow *window)
{
  GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (window));

  /* The pages are deep in the template: find by type. */
  GQueue queue = G_QUEUE_INIT;
  g_queue_push_tail (&queue, w);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (TEND_IS_SETUP_PAGE (cur))
        {
          g_queue_clear (&queue);
          return TEND_SETUP_PAGE (cur);
        }
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return NULL;
}

static gboolean
context_ready (gpointer data)
{
  return tend_context_get_state (TEND_CONTEXT (data)) == TEND_CONTEXT_STATE_READY;
}

/* First run creates the store and the key, then later starts go straight in. */
static void
do_first_run (Fixture *f)
{
  TendContext *context;
  TendWindow *window = open_window (f, &context);
  TendSetupPage *setup;
  g_autoptr(GBytes) key = NULL;

  wait_for_page (window, "setup");
  setup = find_setup_page (window);
  g_assert_nonnull (setup);

  /* A short password is refused on the page and nothing is created. */
  tend_setup_page_fill (setup, "Lakeside Therapy", "America/Chicago", "Ana", "Reyes", "short");
  tend_setup_page_submit (setup);
  spin_for (100);
  g_assert_nonnull (tend_setup_page_get_error (setup));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (tend_window_get_page (window), ==, "setup");

  tend_setup_page_fill (setup, "Lakeside Therapy", "America/Chicago", "Ana", "Reyes", "correct horse");
  tend_setup_page_submit (setup);
  wait_for_page (window, "main");

  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  key = tend_keyring_lookup_key (f->path, NULL, NULL);
  g_assert_nonnull (key);
  g_assert_cmpuint (g_bytes_get_size (key), ==, 32);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Lakeside Therapy");
  g_assert_cmpstr (tend_practice_get_time_zone (tend_context_get_practice (context)), ==, "America/Chicago");
  g_assert_cmpint (tend_staff_get_role (tend_context_get_user (context)), ==, TEND_ROLE_OWNER);
  /* The practice's next steps open by themselves, over the window. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint assistants = 0;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

        if (TEND_IS_SETUP_ASSISTANT (w))
          {
            g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window));
            g_assert_cmpuint (tend_setup_assistant_get_n_done (TEND_SETUP_ASSISTANT (w)), ==, 1);
            assistants++;
          }
      }
    g_assert_cmpuint (assistants, ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (context);
  spin_for (20);
}

/* The Calendar and Messages sections, made after the first frame. */
static gboolean
has_later_sections (gpointer data)
{
  return tend_window_get_messages_page (TEND_WINDOW (data)) != NULL &&
         find_widget (data, TEND_TYPE_CALENDAR_PAGE) != NULL;
}

/* A set-up practice, reopened: the main window, ready, every section made. */
static TendWindow *
open_ready (Fixture      *f,
            TendContext **context)
{
  TendWindow *window;

  do_first_run (f);
  window = open_window (f, context);
  wait_for_page (window, "main");
  spin_until (has_later_sections, window, 5000);
  return window;
}

static void
increment (guint *count)
{
  (*count)++;
}

static gboolean
upkeep_done (gpointer data)
{
  return !tend_context_is_upkeep_running (data);
}

/* Closes the window and checks that nothing keeps the context alive (once
 * the schedule's upkeep thread, which holds it, is done). */
static void
close_and_check (TendWindow  *window,
                 TendContext *context)
{
  spin_until (upkeep_done, context, 20000);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (20);
  g_assert_finalize_object (context);
}

static void
test_first_run_and_restart (Fixture       *f,
                            gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;

  do_first_run (f);

  /* Second start: no setup, no passphrase: the key comes from the keyring. */
  window = open_window (f, &context);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  spin_until (context_ready, context, 20000);
  wait_for_page (window, "main");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Lakeside Therapy");

  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (20);
  g_assert_null (window);
  g_assert_finalize_object (context);
}

static gboolean
section_is_clients (gpointer data)
{
  return g_strcmp0 (tend_window_get_section (TEND_WINDOW (data)), "clients") == 0;
}

static void
test_navigation (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const sections[] = { "calendar", "messages", "billing", "clients" };
  TendContext *context;
  TendWindow *window;
  GtkWidget *messages;

  window = open_ready (f, &context);
  /* The Calendar and Messages sections were made after the first frame
   * without being shown (so the unread count can show beside Messages). */
  g_assert_cmpstr (tend_window_get_section (window), ==, "clients");
  messages = tend_window_get_messages_page (window);
  g_assert_true (TEND_IS_MESSAGES_PAGE (messages));
  g_assert_true (gtk_widget_get_root (messages) == GTK_ROOT (window));
  g_assert_cmpstr (tend_window_get_section (window), ==, "clients");

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", sections[i]));
      spin_for (10);
      g_assert_cmpstr (tend_window_get_section (window), ==, sections[i]);
    }
  /* The choice is remembered. */
  g_assert_cmpstr (g_settings_get_string (f->settings, "last-section"), ==, "clients");

  /* Ctrl+F goes to the clients and puts the cursor in the search. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "billing");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  spin_until (section_is_clients, window, 2000);
  g_assert_cmpstr (tend_window_get_section (window), ==, "clients");
  g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (window))));

  close_and_check (window, context);
}

static gboolean
not_locked (gpointer data)
{
  return !tend_window_get_locked (TEND_WINDOW (data));
}

static void
test_lock_and_unlock (Fixture       *f,
                      gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendLockPage *lock;

  window = open_ready (f, &context);
  /* Built only when first needed. */
  g_assert_null (find_widget (window, TEND_TYPE_LOCK_PAGE));

  /* Idle for less than the setting: still open. */
  g_settings_set_uint (f->settings, "idle-lock-minutes", 2);
  tend_window_pretend_idle (window, 60);
  g_assert_false (tend_window_get_locked (window));

  /* Idle past it: locked, and the sections are out of reach. */
  tend_window_pretend_idle (window, 121);
  g_assert_true (tend_window_get_locked (window));
  lock = find_widget (window, TEND_TYPE_LOCK_PAGE);
  g_assert_nonnull (lock);
  g_assert_cmpstr (tend_window_get_page (window), ==, "lock");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "calendar");
  spin_for (10);
  g_assert_cmpstr (tend_window_get_page (window), ==, "lock");
  g_assert_cmpstr (tend_window_get_section (window), ==, "clients");

  /* A wrong password keeps it locked. */
  tend_lock_page_submit (lock, "not the password");
  spin_for (1500);
  g_assert_true (tend_window_get_locked (window));
  g_assert_cmpstr (tend_window_get_page (window), ==, "lock");

  tend_lock_page_submit (lock, "correct horse");
  spin_until (not_locked, window, 10000);
  g_assert_false (tend_window_get_locked (window));
  g_assert_cmpstr (tend_window_get_page (window), ==, "main");

  /* 0 means never. */
  g_settings_set_uint (f->settings, "idle-lock-minutes", 0);
  tend_window_pretend_idle (window, 100000);
  g_assert_false (tend_window_get_locked (window));

  /* The manual lock (Ctrl+L). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  g_assert_true (tend_window_get_locked (window));

  close_and_check (window, context);
}

static gboolean
view_is (gpointer data)
{
  gpointer *pair = data;
  return g_strcmp0 (tend_clients_page_get_view (pair[0]), pair[1]) == 0;
}

/* The search entry waits before it searches, longer on a loaded machine:
 * wait for the count rather than a fixed time. */
static gboolean
model_has_n (gpointer data)
{
  gpointer *pair = data;
  return g_list_model_get_n_items (pair[0]) == GPOINTER_TO_UINT (pair[1]);
}

static void
wait_for_n (GListModel *model,
            guint       n)
{
  gpointer pair[2] = { model, GUINT_TO_POINTER (n) };

  spin_until (model_has_n, pair, 3000);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const char * const names[][2] = {
    { "Zebediah", "Quuxworth" }, { "Maria", "Lopez" }, { "Mario", "Lanza" },
    { "José", "Ortega" }, { "Ann", "Smith" }, { "Annabel", "Smythe" },
  };
  TendContext *context;
  TendWindow *window;
  TendClientsPage *page;
  GListModel *model;
  TendStore *store;
  gpointer pair[2];

  window = open_ready (f, &context);
  page = find_widget (window, TEND_TYPE_CLIENTS_PAGE);
  pair[0] = page;

  /* The empty state before there is anyone. */
  g_assert_cmpstr (tend_clients_page_get_view (page), ==, "empty");

  store = tend_context_get_store (context);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TendClient) c = tend_client_new (names[i][0], names[i][1]);
      g_autoptr(GError) error = NULL;
      gboolean saved;

      tend_record_set_string (TEND_RECORD (c), "phone_mobile", i == 0 ? "(608) 555-0199" : "(414) 555-0100");
      saved = tend_store_save (store, TEND_RECORD (c), &error);

      g_assert_no_error (error);
      g_assert_true (saved);
    }

  model = tend_clients_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (names));
  g_assert_cmpstr (tend_clients_page_get_view (page), ==, "list");

  tend_clients_page_set_query (page, "ma");
  pair[1] = "list";
  wait_for_n (model, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  tend_clients_page_set_query (page, "jose");
  wait_for_n (model, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(TendClient) c = g_list_model_get_item (model, 0);
    g_assert_cmpstr (tend_client_get_legal_given (c), ==, "José");
  }

  tend_clients_page_set_query (page, "5550199");
  spin_for (300);
  wait_for_n (model, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  tend_clients_page_set_query (page, "nobody-like-this");
  pair[1] = "no-results";
  spin_until (view_is, pair, 2000);
  g_assert_cmpstr (tend_clients_page_get_view (page), ==, "no-results");

  tend_clients_page_set_query (page, "");
  wait_for_n (model, G_N_ELEMENTS (names));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (names));

  close_and_check (window, context);
}

static const char *
error_title (TendWindow *window)
{
  AdwStatusPage *page = NULL;
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, window);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (ADW_IS_STATUS_PAGE (cur) && g_strcmp0 (adw_status_page_get_icon_name (ADW_STATUS_PAGE (cur)), "dialog-warning-symbolic") == 0)
        page = ADW_STATUS_PAGE (cur);
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return page != NULL ? adw_status_page_get_title (page) : NULL;
}

static char *
checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* Failures a person can meet get a page that says so, and the file is left alone. */
static void
test_error_pages (Fixture       *f,
                  gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *parent = g_path_get_dirname (f->path);
  g_autoptr(GBytes) key = tend_keyring_generate_key ();

  /* A database whose key is not in the keyring. */
  g_mkdir_with_parents (parent, 0700);
  g_assert_true (g_file_set_contents (f->path, "SQLite format 3\0 not really", 28, NULL));
  before = checksum_file (f->path);

  window = open_window (f, &context);
  wait_for_page (window, "error");
  g_assert_cmpstr (error_title (window), ==, "Database Key Missing");
  close_and_check (window, context);

  /* A key that does not open it: damaged or wrong, never overwritten. */
  g_assert_true (tend_keyring_store_key (f->path, key, NULL, NULL));
  window = open_window (f, &context);
  wait_for_page (window, "error");
  g_assert_true (g_strcmp0 (error_title (window), "Wrong Database Key") == 0 ||
                 g_strcmp0 (error_title (window), "Database Damaged") == 0);

  /* Try Again reopens, and fails the same way without touching the file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry", NULL));
  spin_for (200);
  wait_for_page (window, "error");
  close_and_check (window, context);

  after = checksum_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_window_finalizes (Fixture       *f,
                       gconstpointer  data)
{
  TendContext *context = tend_context_new (f->path, f->settings);
  TendWindow *window = g_object_new (TEND_TYPE_WINDOW, "context", context, NULL);

  g_object_ref_sink (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_finalize_object (context);
}

static gboolean
widget_is_drawable (GtkWidget *w)
{
  return gtk_widget_get_mapped (w) && gtk_widget_get_width (w) > 0 && gtk_widget_get_height (w) > 0;
}

/* The idle-lock setting is shown and edited in Preferences. */
static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendPreferencesWindow *prefs;
  GtkSpinButton *spin;

  window = open_ready (f, &context);

  prefs = tend_preferences_window_new (context);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
  spin_for (300);

  spin = find_widget ((TendWindow *) prefs, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_true (widget_is_drawable (GTK_WIDGET (spin)));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 10);
  gtk_spin_button_set_value (spin, 25);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "idle-lock-minutes"), ==, 25);

  /* Working hours: Monday mornings only. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TendRecord) stored = NULL;
    TendStore *store = tend_context_get_store (context);
    const char *user_id = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
    guint a = 0, b = 0;

    for (guint d = 1; d <= 7; d++)
      tend_preferences_window_set_day_hours (prefs, d, NULL, NULL);
    tend_preferences_window_set_day_hours (prefs, 1, "09:00", "12:00");
    g_assert_true (tend_preferences_window_save_hours (prefs, &error));
    g_assert_no_error (error);
    stored = tend_store_load (store, TEND_TYPE_STAFF, user_id, &error);
    g_assert_true (tend_staff_get_working_hours (TEND_STAFF (stored), 1, &a, &b));
    g_assert_cmpuint (a, ==, 9 * 60);
    g_assert_cmpuint (b, ==, 12 * 60);
    g_assert_false (tend_staff_get_working_hours (TEND_STAFF (stored), 2, &a, &b));
    g_clear_object (&stored);

    /* An end before the start is refused and nothing changes. */
    tend_preferences_window_set_day_hours (prefs, 1, "12:00", "09:00");
    g_assert_false (tend_preferences_window_save_hours (prefs, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_clear_error (&error);
    stored = tend_store_load (store, TEND_TYPE_STAFF, user_id, &error);
    g_assert_true (tend_staff_get_working_hours (TEND_STAFF (stored), 1, &a, &b));
    g_assert_cmpuint (a, ==, 9 * 60);
    g_clear_object (&stored);

    /* Anyone may keep their own hours, but not raise their own role. */
    tend_store_set_actor (store, user_id, TEND_ROLE_CLINICIAN);
    tend_preferences_window_set_day_hours (prefs, 1, "08:00", "12:00");
    g_assert_true (tend_preferences_window_save_hours (prefs, &error));
    g_assert_no_error (error);
    stored = tend_store_load (store, TEND_TYPE_STAFF, user_id, &error);
    tend_record_set_string (stored, "role", "biller");
    g_assert_false (tend_store_save (store, stored, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    tend_store_set_actor (store, user_id, TEND_ROLE_OWNER);
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  close_and_check (window, context);
}

static void
set_text (TendRecordForm *form,
          const char     *field,
          const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tend_record_form_get_row (form, field)), text);
}

static gboolean
staff_page_idle (gpointer data)
{
  return !tend_staff_page_get_busy (data);
}

static gboolean
other_window_for (gpointer data)
{
  const char *staff_id = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (TEND_IS_WINDOW (w) && tend_context_get_user (tend_window_get_context (TEND_WINDOW (w))) != NULL &&
          g_strcmp0 (tend_record_get_id (TEND_RECORD (tend_context_get_user (tend_window_get_context (TEND_WINDOW (w))))),
                     staff_id) == 0 &&
          g_strcmp0 (tend_window_get_page (TEND_WINDOW (w)), "main") == 0)
        return TRUE;
    }
  return FALSE;
}

/* An owner without a server sets up the practice in Tend: a clinician with
 * everything billing and supervision need, their password on this
 * computer, and a room; the lock screen then asks who is using Tend, and
 * the clinician unlocks it as themselves. */
static void
test_practice_setup (Fixture       *f,
                     gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendPreferencesWindow *prefs;
  TendStaffPage *staff_page;
  TendRoomsPage *rooms_page;
  TendRecordForm *form;
  TendStore *store;
  TendLockPage *lock;
  TendSetupAssistant *assistant;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *sam_id = NULL;
  g_autofree char *ana_id = NULL;
  guint a = 0, b = 0;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  /* Reopened, the assistant waits in the main menu, and follows the store. */
  assistant = tend_window_show_setup_assistant (window);
  g_assert_cmpuint (tend_setup_assistant_get_n_done (assistant), ==, 1);
  g_assert_true (tend_setup_assistant_is_done (assistant, TEND_SETUP_STEP_PRACTICE));
  g_assert_false (tend_setup_assistant_is_done (assistant, TEND_SETUP_STEP_STAFF));
  ana_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_context_get_user (context))));
  prefs = tend_preferences_window_new (context);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
  spin_for (200);
  staff_page = find_widget ((TendWindow *) prefs, TEND_TYPE_STAFF_PAGE);
  rooms_page = find_widget ((TendWindow *) prefs, TEND_TYPE_ROOMS_PAGE);
  g_assert_nonnull (staff_page);
  g_assert_nonnull (rooms_page);
  form = tend_staff_page_get_form (staff_page);
  g_assert_cmpuint (tend_record_form_get_n_listed (form), ==, 1);

  /* A new clinician; a bad NPI is refused on its row and nothing is saved. */
  tend_record_form_edit (form, NULL);
  set_text (form, "given_name", "Sam");
  set_text (form, "family_name", "Lee");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "role")), 1 + TEND_ROLE_CLINICIAN);
  set_text (form, "credentials", "LCSW");
  set_text (form, "license_number", "LCSW-88213");
  set_text (form, "license_expires", "2027-06-30");
  set_text (form, "npi", "1234567890");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "supervisor_id")), 1);
  /* Item 0 of the colour is "Automatic"; item 2 the palette's second. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "color")), 2);
  for (guint d = 1; d <= 7; d++)
    tend_hours_group_set_day (TEND_HOURS_GROUP (tend_staff_page_get_hours (staff_page)), d, NULL, NULL);
  tend_hours_group_set_day (TEND_HOURS_GROUP (tend_staff_page_get_hours (staff_page)), 1, "09:00", "17:00");
  g_assert_false (tend_staff_page_save (staff_page, &error));
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "npi");
  g_clear_error (&error);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_STAFF, NULL), ==, 1);

  set_text (form, "npi", "1234567893");
  g_assert_true (tend_staff_page_save (staff_page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tend_record_form_get_n_listed (form), ==, 2);
  sam_id = g_strdup (tend_record_get_id (tend_record_form_get_record (form)));
  {
    g_autoptr(TendRecord) sam = tend_store_load (store, TEND_TYPE_STAFF, sam_id, &error);

    g_assert_nonnull (sam);
    g_assert_cmpint (tend_staff_get_role (TEND_STAFF (sam)), ==, TEND_ROLE_CLINICIAN);
    g_assert_cmpstr (tend_record_get_string (sam, "npi"), ==, "1234567893");
    g_assert_cmpstr (tend_record_get_string (sam, "license_expires"), ==, "2027-06-30");
    g_assert_cmpstr (tend_staff_get_supervisor_id (TEND_STAFF (sam)), ==, ana_id);
    g_assert_cmpstr (tend_record_get_string (sam, "color"), ==, tend_staff_color_names ()[1]);
    g_assert_true (tend_staff_get_working_hours (TEND_STAFF (sam), 1, &a, &b));
    g_assert_cmpuint (a, ==, 9 * 60);
    g_assert_cmpuint (b, ==, 17 * 60);
    g_assert_false (tend_staff_get_working_hours (TEND_STAFF (sam), 2, &a, &b));
  }

  /* No supervisor, and the automatic colour: both optional. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "supervisor_id")), 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "color")), 0);
  g_assert_true (tend_staff_page_save (staff_page, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TendRecord) sam = tend_store_load (store, TEND_TYPE_STAFF, sam_id, &error);

    g_assert_null (tend_staff_get_supervisor_id (TEND_STAFF (sam)));
    g_assert_null (tend_record_get_string (sam, "color"));
  }

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "staff");
  gtk_window_set_default_size (GTK_WINDOW (prefs), 720, 900);
  gui_test_screenshot (GTK_WIDGET (prefs), "staff-page-wide");
  gtk_window_set_default_size (GTK_WINDOW (prefs), 360, 640);
  gui_test_screenshot (GTK_WIDGET (prefs), "staff-page-narrow");

  /* Their password on this computer: too short is refused, then set. */
  tend_staff_page_set_password (staff_page, "short");
  spin_until (staff_page_idle, staff_page, 10000);
  accounts = tend_store_list_local_accounts (store, &error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  tend_staff_page_set_password (staff_page, "sam's password");
  spin_until (staff_page_idle, staff_page, 10000);
  accounts = tend_store_list_local_accounts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_true (tend_store_check_password (store, sam_id, "sam's password", &error));
  g_assert_no_error (error);

  /* A room, and a second one of the same name refused. */
  form = tend_rooms_page_get_form (rooms_page);
  tend_record_form_edit (form, NULL);
  set_text (form, "name", "Room 2");
  set_text (form, "capacity", "4");
  g_assert_true (tend_rooms_page_save (rooms_page, &error));
  g_assert_no_error (error);
  tend_record_form_edit (form, NULL);
  set_text (form, "name", "Room 2");
  g_assert_false (tend_rooms_page_save (rooms_page, &error));
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "name");
  g_clear_error (&error);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_ROOM, NULL), ==, 1);
  g_assert_true (tend_setup_assistant_is_done (assistant, TEND_SETUP_STEP_STAFF));
  g_assert_true (tend_setup_assistant_is_done (assistant, TEND_SETUP_STEP_ROOMS));
  g_assert_cmpuint (tend_setup_assistant_get_n_done (assistant), ==, 3);
  /* Services open the billing set-up on its services page. */
  {
    GtkWindow *services = tend_setup_assistant_open_step (assistant, TEND_SETUP_STEP_SERVICES);

    g_assert_true (TEND_IS_BILLING_SETUP_WINDOW (services));
    g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (services)), ==, "services");
    gui_test_screenshot (GTK_WIDGET (assistant), "setup-assistant");
    gtk_window_destroy (services);
  }
  gtk_window_destroy (GTK_WINDOW (assistant));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "rooms");
  gui_test_screenshot (GTK_WIDGET (prefs), "rooms-page-narrow");

  /* The practice's details and how clients may message it: a time zone
   * that is not one is refused on its row; the rest is saved. */
  {
    TendPracticePage *practice_page = find_widget ((TendWindow *) prefs, TEND_TYPE_PRACTICE_PAGE);
    g_autoptr(TendPractice) stored = NULL;

    g_assert_nonnull (practice_page);
    form = tend_practice_page_get_form (practice_page);
    set_text (form, "time_zone", "Mars/Olympus_Mons");
    g_assert_false (tend_practice_page_save (practice_page, &error));
    g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "time_zone");
    g_clear_error (&error);
    set_text (form, "time_zone", "America/Chicago");
    set_text (form, "address.line1", "12 Lake Street");
    set_text (form, "address.city", "Evanston");
    set_text (form, "npi", "1245319599");
    set_text (form, "messaging.client_notice", "Not for emergencies: call 988 or 911.");
    /* Conversations clients start: to their clinician until the owner
     * chooses otherwise (item 0 is "Choose…"); turned off here. */
    {
      AdwComboRow *start = ADW_COMBO_ROW (tend_record_form_get_row (form, "messaging.client_start"));

      g_assert_cmpuint (adw_combo_row_get_selected (start), ==, 1);
      adw_combo_row_set_selected (start, 3);
    }
    g_assert_true (tend_practice_page_save (practice_page, &error));
    g_assert_no_error (error);
    stored = tend_store_load_practice (store, &error);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "address.city"), ==, "Evanston");
    g_assert_cmpstr (tend_practice_get_client_notice (stored), ==, "Not for emergencies: call 988 or 911.");
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "messaging.client_start"), ==, "off");
    /* The context's practice follows. */
    g_assert_cmpstr (tend_practice_get_client_notice (tend_context_get_practice (context)), ==,
                     "Not for emergencies: call 988 or 911.");
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "practice");
    gui_test_screenshot (GTK_WIDGET (prefs), "practice-page-narrow");
  }
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The lock screen asks who is using Tend; Sam unlocks as Sam. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  lock = find_widget (window, TEND_TYPE_LOCK_PAGE);
  g_assert_true (tend_lock_page_choose_user (lock, sam_id));
  gui_test_screenshot (GTK_WIDGET (window), "lock-who-is-using-tend");
  tend_lock_page_submit (lock, "correct horse");   /* Ana's, not Sam's */
  spin_for (1500);
  g_assert_true (tend_window_get_locked (window));
  g_assert_cmpstr (tend_record_get_id (TEND_RECORD (tend_context_get_user (context))), ==, ana_id);
  tend_lock_page_submit (lock, "sam's password");
  spin_until (other_window_for, sam_id, 10000);
  g_assert_true (other_window_for (sam_id));
  g_assert_cmpint (tend_staff_get_role (tend_context_get_user (context)), ==, TEND_ROLE_CLINICIAN);
  g_assert_cmpstr (tend_store_get_actor_id (store), ==, sam_id);
  /* A clinician manages no staff: the store refuses it. */
  {
    g_autoptr(TendRecord) ana = tend_store_load (store, TEND_TYPE_STAFF, ana_id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (ana);
    tend_record_set_string (ana, "role", "biller");
    g_assert_false (tend_store_save (store, ana, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    g_assert_false (tend_store_set_password (store, ana_id, "a new password", &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }

  /* The old window is gone; the new one closes the context. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

        if (TEND_IS_WINDOW (w))
          window = TEND_WINDOW (w);
      }
  }
  close_and_check (window, context);
}

static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, root);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (GTK_IS_BUTTON (cur) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (cur)), label) == 0)
        {
          g_queue_clear (&queue);
          return cur;
        }
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return NULL;
}

/* The front desk's list of today: one click checks a client in. */
static void
test_front_desk_check_in (Fixture       *f,
                          gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendStore *store;
  g_autoptr(TendClient) client = tend_client_new ("Rosa", "Delgado");
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(TendRecord) after = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *button;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);

  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  now = g_date_time_new_now (tend_context_get_zone (context));
  /* Later today, or at 23:00 when the test runs late in the evening. */
  start = g_date_time_new (tend_context_get_zone (context), g_date_time_get_year (now), g_date_time_get_month (now),
                           g_date_time_get_day_of_month (now), MIN (g_date_time_get_hour (now) + 1, 22), 0, 0);
  end = g_date_time_add_minutes (start, 50);
  a = tend_appointment_new (tend_record_get_id (TEND_RECORD (tend_context_get_user (context))), start, end);
  tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_store_save (store, TEND_RECORD (a), &error));
  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "calendar");
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  g_assert_nonnull (calendar);
  tend_calendar_page_set_view (calendar, "agenda");
  spin_for (50);
  g_assert_cmpuint (tend_calendar_page_get_n_shown (calendar), ==, 1);

  button = find_button_with_label (GTK_WIDGET (tend_calendar_page_get_agenda (calendar)), "_Check In");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  spin_for (100);

  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tend_appointment_get_status (TEND_APPOINTMENT (after)), ==, TEND_APPOINTMENT_ARRIVED);
  g_assert_nonnull (tend_record_get_string (after, "checked_in_at"));
  /* The list now says so, and offers no second check-in. */
  g_assert_null (find_button_with_label (GTK_WIDGET (tend_calendar_page_get_agenda (calendar)), "_Check In"));

  /* The week view shows it too. */
  tend_calendar_page_set_view (calendar, "week");
  spin_for (50);
  g_assert_cmpuint (tend_calendar_page_get_n_shown (calendar), ==, 1);

  close_and_check (window, context);
}

static GtkWindow *find_toplevel (GType type);

static gboolean
lists (GPtrArray       *appointments,
       TendAppointment *a)
{
  for (guint i = 0; i < appointments->len; i++)
    if (g_strcmp0 (tend_record_get_id (g_ptr_array_index (appointments, i)), tend_record_get_id (TEND_RECORD (a))) == 0)
      return TRUE;
  return FALSE;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static TendAppointment *
book (TendContext *context,
      TendStore   *store,
      const char  *clinician,
      const char  *client,
      int          days,
      int          hour,
      gboolean     video)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (tend_context_get_zone (context));
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) start = g_date_time_new (tend_context_get_zone (context), g_date_time_get_year (day),
                                                g_date_time_get_month (day), g_date_time_get_day_of_month (day),
                                                hour, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 45);
  g_autoptr(GError) error = NULL;
  TendAppointment *a = tend_appointment_new (clinician, start, end);

  tend_record_set_string (TEND_RECORD (a), "client_id", client);
  tend_record_set_string (TEND_RECORD (a), "service_code", "90834");
  if (video)
    tend_record_set_string (TEND_RECORD (a), "modality", "telehealth");
  g_assert_true (tend_store_save (store, TEND_RECORD (a), &error));
  g_assert_no_error (error);
  return a;
}

static TendAppointmentStatus
status_of (TendStore       *store,
           TendAppointment *a)
{
  g_autoptr(TendRecord) r = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), NULL);

  return tend_appointment_get_status (TEND_APPOINTMENT (r));
}

static void
count_buttons (GtkWidget  *root,
               const char *label,
               guint      *n_label,
               guint      *n_suggested)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_mapped (c))
        continue;
      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        (*n_label)++;
      if (gtk_widget_has_css_class (c, "suggested-action"))
        (*n_suggested)++;
      count_buttons (c, label, n_label, n_suggested);
    }
}

static gint64
charged (TendStore      *store,
         const char     *client,
         TendChargeKind  kind)
{
  g_autoptr(GPtrArray) charges = tend_billing_list_charges (store, client, FALSE, NULL);
  gint64 total = 0;

  for (guint i = 0; charges != NULL && i < charges->len; i++)
    if (tend_charge_get_kind (g_ptr_array_index (charges, i)) == kind)
      total += tend_charge_get_amount (g_ptr_array_index (charges, i));
  return total;
}

/* The front desk's day: it starts on today's list; check-in is offered
 * for today's in-person sessions only, one of them suggested; check-in,
 * no-show and cancellation each have Undo; past sessions without an
 * outcome are listed until one is chosen, and then they are charged. */
static void
test_front_desk_day (Fixture       *f,
                     gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendStore *store;
  g_autoptr(TendStaff) desk = tend_staff_new ("Dana", "Frost", TEND_ROLE_FRONT_DESK);
  g_autoptr(TendClient) client = tend_client_new ("Rosa", "Delgado");
  g_autoptr(TendBillingSettings) settings = tend_billing_settings_new ();
  g_autoptr(TendService) service = tend_service_new ("90834", "Therapy, 45 min", 45, 15000);
  g_autoptr(TendAppointment) today_a = NULL;
  g_autoptr(TendAppointment) today_b = NULL;
  g_autoptr(TendAppointment) video = NULL;
  g_autoptr(TendAppointment) tomorrow = NULL;
  g_autoptr(TendAppointment) past_a = NULL;
  g_autoptr(TendAppointment) past_b = NULL;
  g_autoptr(TendAppointment) past_c = NULL;
  g_autoptr(TendAppointment) past_d = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *me, *client_id;
  guint n_check_in = 0, n_suggested = 0;
  int hour;
  GtkWidget *button;
  TendAppointmentEditor *editor;

  /* The owner sets the practice up: fees, a front desk, the day's book. */
  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  me = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
  tend_record_set_int (TEND_RECORD (settings), "no_show_fee", 7500);
  g_assert_true (tend_store_save (store, TEND_RECORD (settings), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (service), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (desk), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  g_assert_no_error (error);
  client_id = tend_record_get_id (TEND_RECORD (client));
  now = g_date_time_new_now (tend_context_get_zone (context));
  /* Later today, or late in the evening when the test runs late. */
  hour = MIN (g_date_time_get_hour (now) + 1, 21);
  today_a = book (context, store, me, client_id, 0, hour, FALSE);
  today_b = book (context, store, me, client_id, 0, hour + 1, FALSE);
  video = book (context, store, me, client_id, 0, hour + 2 > 23 ? 23 : hour + 2, TRUE);
  tomorrow = book (context, store, me, client_id, 1, 10, FALSE);
  past_a = book (context, store, me, client_id, -1, 10, FALSE);
  past_b = book (context, store, me, client_id, -2, 10, FALSE);
  past_c = book (context, store, me, client_id, -3, 10, FALSE);
  past_d = book (context, store, me, client_id, -4, 10, FALSE);
  /* The telehealth session today is the owner's to start by video. */
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  g_assert_true (tend_calendar_page_can_start_video (calendar, video));
  g_assert_false (tend_calendar_page_can_start_video (calendar, today_a));
  g_assert_false (tend_calendar_page_can_start_video (calendar, tomorrow));
  /* Shown (on its own, this test starts on Clients). */
  tend_window_show_section (window, "calendar");
  tend_calendar_page_set_view (calendar, "agenda");
  spin_for (100);
  {
    guint n_video = 0, n_video_suggested = 0;

    count_buttons (GTK_WIDGET (calendar), "Start _Video Session", &n_video, &n_video_suggested);
    g_assert_cmpuint (n_video, ==, 1);
  }
  g_assert_true (tend_store_set_meta (store, "current_user_id", tend_record_get_id (TEND_RECORD (desk)), &error));
  g_assert_no_error (error);
  close_and_check (window, context);

  /* The front desk opens Tend: today's list. */
  window = open_window (f, &context);
  wait_for_page (window, "main");
  store = tend_context_get_store (context);
  g_assert_cmpint (tend_staff_get_role (tend_context_get_user (context)), ==, TEND_ROLE_FRONT_DESK);
  g_assert_cmpstr (tend_window_get_section (window), ==, "calendar");
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  g_assert_cmpstr (tend_calendar_page_get_view (calendar), ==, "agenda");
  spin_for (100);

  /* Two in-person sessions today: two Check In buttons, one suggested
   * action in the whole view; none for the video session or tomorrow. */
  count_buttons (GTK_WIDGET (calendar), "_Check In", &n_check_in, &n_suggested);
  g_assert_cmpuint (n_check_in, ==, 2);
  g_assert_cmpuint (n_suggested, ==, 1);
  g_assert_true (tend_calendar_page_can_check_in (calendar, today_a));
  g_assert_false (tend_calendar_page_can_check_in (calendar, video));
  g_assert_false (tend_calendar_page_can_check_in (calendar, tomorrow));
  g_assert_false (tend_calendar_page_can_check_in (calendar, past_a));
  /* Not the front desk's session to hold: no Start Video Session. */
  g_assert_false (tend_calendar_page_can_start_video (calendar, video));
  {
    guint n_video = 0, n_video_suggested = 0;

    count_buttons (GTK_WIDGET (calendar), "Start _Video Session", &n_video, &n_video_suggested);
    g_assert_cmpuint (n_video, ==, 0);
  }

  /* Check-in, then Undo. */
  button = find_button_with_label (GTK_WIDGET (tend_calendar_page_get_agenda (calendar)), "_Check In");
  g_signal_emit_by_name (button, "clicked");
  spin_for (100);
  g_assert_cmpint (status_of (store, today_a), ==, TEND_APPOINTMENT_ARRIVED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (calendar), "calendar.undo-status", NULL));
  spin_for (100);
  g_assert_cmpint (status_of (store, today_a), ==, TEND_APPOINTMENT_SCHEDULED);
  {
    g_autoptr(TendRecord) r = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (today_a)), NULL);

    g_assert_null (tend_record_get_string (r, "checked_in_at"));
  }

  /* A cancellation in the editor, then Undo. */
  g_signal_emit_by_name (tend_calendar_page_get_grid (calendar), "appointment-activated",
                         tend_record_get_id (TEND_RECORD (today_b)));
  editor = TEND_APPOINTMENT_EDITOR (find_toplevel (TEND_TYPE_APPOINTMENT_EDITOR));
  g_assert_nonnull (editor);
  g_assert_true (tend_appointment_editor_cancel_appointment (editor, "Client unwell", FALSE));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_cmpint (status_of (store, today_b), ==, TEND_APPOINTMENT_CANCELLED);
  g_assert_true (tend_calendar_page_undo_status (calendar, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (store, today_b), ==, TEND_APPOINTMENT_SCHEDULED);

  /* The four past sessions need attention, until an outcome is chosen.
   * Folded, three rows and "Show All 4" keep today's list in sight. */
  due = tend_calendar_page_list_needing_attention (calendar);
  g_assert_cmpuint (due->len, ==, 4);
  g_assert_true (lists (due, past_a));
  g_assert_true (lists (due, past_b));
  g_assert_false (lists (due, tomorrow));
  {
    GtkListBox *attention = tend_calendar_page_get_attention (calendar);
    GtkListBoxRow *fold;

    g_assert_cmpuint (count_rows (attention), ==, 4);
    fold = gtk_list_box_get_row_at_index (attention, 3);
    g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (fold)), ==, "attention-fold");
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (fold)), ==, "Show All 4");
    g_signal_emit_by_name (fold, "activated");
    spin_for (50);
    g_assert_cmpuint (count_rows (attention), ==, 5);
    fold = gtk_list_box_get_row_at_index (attention, 4);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (fold)), ==, "Show Fewer");
    gui_test_screenshot (GTK_WIDGET (window), "front-desk-attention-unfolded");
    g_signal_emit_by_name (fold, "activated");
    spin_for (50);
    g_assert_cmpuint (count_rows (attention), ==, 4);
  }
  g_assert_cmpint (charged (store, client_id, TEND_CHARGE_SESSION), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (calendar), "calendar.outcome", "(ss)",
                                             tend_record_get_id (TEND_RECORD (past_a)), "completed"));
  spin_for (100);
  g_assert_cmpint (status_of (store, past_a), ==, TEND_APPOINTMENT_COMPLETED);
  g_assert_cmpint (charged (store, client_id, TEND_CHARGE_SESSION), ==, 15000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (calendar), "calendar.outcome", "(ss)",
                                             tend_record_get_id (TEND_RECORD (past_b)), "no_show"));
  spin_for (100);
  g_assert_cmpint (status_of (store, past_b), ==, TEND_APPOINTMENT_NO_SHOW);
  g_assert_cmpint (charged (store, client_id, TEND_CHARGE_NO_SHOW), ==, 7500);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tend_calendar_page_list_needing_attention (calendar);
  g_assert_false (lists (due, past_a));
  g_assert_false (lists (due, past_b));
  /* Two left: both shown, nothing to unfold. */
  g_assert_cmpuint (count_rows (tend_calendar_page_get_attention (calendar)), ==, 2);

  /* Undoing the no-show schedules it again; the front desk cannot void
   * the fee it made, and is told so. */
  g_assert_false (tend_calendar_page_undo_status (calendar, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (status_of (store, past_b), ==, TEND_APPOINTMENT_SCHEDULED);

  close_and_check (window, context);
}

static void
assert_start (TendCalendarPage *calendar,
              GTimeZone        *zone,
              int               now_day,
              int               now_hour,
              int               now_minute,
              int               want_day,
              int               want_hour)
{
  g_autoptr(GDateTime) now = g_date_time_new (zone, 2030, 1, now_day, now_hour, now_minute, 0);
  g_autoptr(GDateTime) start = tend_calendar_page_default_start (calendar, now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);

  g_assert_cmpint (g_date_time_get_day_of_month (local), ==, want_day);
  g_assert_cmpint (g_date_time_get_hour (local), ==, want_hour);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 0);
}

/* A new booking starts at the clinician's next working hour, never in the
 * night; the week shades the hours off; a chosen client brings their own
 * clinician. */
static void
test_booking_defaults (Fixture       *f,
                       gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendStore *store;
  GTimeZone *zone;
  g_autoptr(TendRecord) me = NULL;
  g_autoptr(TendStaff) cleo = tend_staff_new ("Cleo", "Ward", TEND_ROLE_CLINICIAN);
  g_autoptr(TendClient) client = tend_client_new ("Ada", "Byrne");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  TendAppointmentEditor *editor;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  zone = tend_context_get_zone (context);
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);

  /* Without working hours: 09:00 to 17:00 on weekdays.  Monday 7 January
   * 2030 at 22:00 is Tuesday at 09:00; Friday evening is Monday. */
  assert_start (calendar, zone, 7, 22, 0, 8, 9);
  assert_start (calendar, zone, 11, 18, 30, 14, 9);
  assert_start (calendar, zone, 8, 10, 20, 8, 11);

  /* Tuesdays 10 to 16, Thursdays 8 to 12 only. */
  me = tend_store_load (store, TEND_TYPE_STAFF, tend_record_get_id (TEND_RECORD (tend_context_get_user (context))), &error);
  g_assert_no_error (error);
  tend_record_set_string (me, "working_hours.tue.start", "10:00");
  tend_record_set_string (me, "working_hours.tue.end", "16:00");
  tend_record_set_string (me, "working_hours.thu.start", "08:00");
  tend_record_set_string (me, "working_hours.thu.end", "12:00");
  g_assert_true (tend_store_save (store, me, &error));
  g_assert_no_error (error);
  spin_for (100);
  assert_start (calendar, zone, 7, 22, 0, 8, 10);   /* Monday night: Tuesday at 10 */
  assert_start (calendar, zone, 8, 11, 20, 8, 12);  /* Tuesday 11:20: noon */
  assert_start (calendar, zone, 8, 15, 30, 10, 8);  /* too late Tuesday: Thursday at 8 */

  /* The week shades the hours off: Monday all day, Tuesday outside 10-16. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "calendar");
  tend_calendar_page_set_view (calendar, "week");
  spin_for (50);
  {
    TendScheduleGrid *grid = tend_calendar_page_get_grid (calendar);
    int from = -1, to = -1;

    g_assert_true (tend_schedule_grid_get_column_hours (grid, 0, &from, &to));
    g_assert_cmpint (from, ==, to);
    g_assert_true (tend_schedule_grid_get_column_hours (grid, 1, &from, &to));
    g_assert_cmpint (from, ==, 10 * 60);
    g_assert_cmpint (to, ==, 16 * 60);
    g_assert_true (tend_schedule_grid_get_column_hours (grid, 3, &from, &to));
    g_assert_cmpint (from, ==, 8 * 60);
    g_assert_cmpint (to, ==, 12 * 60);
  }

  /* The client's own clinician, once the client is chosen. */
  g_assert_true (tend_store_save (store, TEND_RECORD (cleo), &error));
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", tend_record_get_id (TEND_RECORD (cleo)));
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    start = tend_calendar_page_default_start (calendar, now);
  }
  end = g_date_time_add_minutes (start, 50);
  editor = tend_appointment_editor_new (context, start, end, tend_record_get_id (me));
  g_assert_cmpstr (tend_appointment_editor_get_clinician_id (editor), ==, tend_record_get_id (me));
  tend_appointment_editor_choose_client (editor, tend_record_get_id (TEND_RECORD (client)));
  g_assert_cmpstr (tend_appointment_editor_get_clinician_id (editor), ==, tend_record_get_id (TEND_RECORD (cleo)));
  gtk_window_destroy (GTK_WINDOW (editor));

  close_and_check (window, context);
}

/* The first widget of @type under @root whose label (or tooltip) is @text. */
static GtkWidget *
find_labelled (GtkWidget  *root,
               GType       type,
               const char *text)
{
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, root);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (G_TYPE_CHECK_INSTANCE_TYPE (cur, type) &&
          ((GTK_IS_CHECK_BUTTON (cur) && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (cur)), text) == 0) ||
           (GTK_IS_LABEL (cur) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (cur)), text) == 0) ||
           g_strcmp0 (gtk_widget_get_tooltip_text (cur), text) == 0))
        {
          g_queue_clear (&queue);
          return cur;
        }
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return NULL;
}

static gboolean
grid_has_clinician (TendScheduleGrid *grid,
                    const char       *id)
{
  for (guint i = 0; i < tend_schedule_grid_get_n_columns (grid); i++)
    if (g_strcmp0 (tend_schedule_grid_get_column_clinician (grid, i), id) == 0)
      return TRUE;
  return FALSE;
}

/* The day view shows the clinicians ticked in its filter, remembered in
 * the settings; the last one shown cannot be unticked; the legend has a
 * sample tile for every status, video and blocked time. */
static void
test_day_view_filter (Fixture       *f,
                      gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendScheduleGrid *grid;
  TendStore *store;
  GSettings *settings;
  g_autoptr(TendStaff) cleo = tend_staff_new ("Cleo", "Ward", TEND_ROLE_CLINICIAN);
  g_autoptr(TendStaff) dan = tend_staff_new ("Dan", "Ruiz", TEND_ROLE_CLINICIAN);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hidden = NULL;
  GtkWidget *filter, *legend, *check, *dan_check;
  guint n_all, n_tiles = 0;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  settings = tend_context_get_settings (context);
  g_assert_true (tend_store_save (store, TEND_RECORD (cleo), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (dan), &error));
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "calendar");
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  tend_calendar_page_set_view (calendar, "day");
  spin_for (100);
  grid = tend_calendar_page_get_grid (calendar);
  n_all = tend_schedule_grid_get_n_columns (grid);
  g_assert_cmpuint (n_all, >=, 3);
  g_assert_true (grid_has_clinician (grid, tend_record_get_id (TEND_RECORD (cleo))));

  /* Each column's heading carries its clinician's colour. */
  tend_record_set_string (TEND_RECORD (cleo), "color", "green");
  g_assert_true (tend_store_save (store, TEND_RECORD (cleo), &error));
  g_assert_no_error (error);
  spin_for (100);
  tend_calendar_page_reload (calendar);
  g_assert_true (gtk_widget_has_css_class (find_labelled (GTK_WIDGET (grid), GTK_TYPE_LABEL, "Cleo Ward"),
                                           "clinician-green"));
  {
    g_autofree char *dan_class = g_strconcat ("clinician-", tend_staff_get_color (dan), NULL);

    g_assert_true (gtk_widget_has_css_class (find_labelled (GTK_WIDGET (grid), GTK_TYPE_LABEL, "Dan Ruiz"), dan_class));
  }

  filter = find_labelled (GTK_WIDGET (calendar), GTK_TYPE_MENU_BUTTON, "Clinicians shown");
  g_assert_nonnull (filter);
  g_assert_true (gtk_widget_get_visible (filter));
  legend = find_labelled (GTK_WIDGET (calendar), GTK_TYPE_MENU_BUTTON, "Legend");
  g_assert_nonnull (legend);

  /* Unticking Cleo leaves her column out, and is remembered. */
  check = find_labelled (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter))),
                         GTK_TYPE_CHECK_BUTTON, "Cleo Ward");
  g_assert_nonnull (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  spin_for (50);
  g_assert_cmpuint (tend_schedule_grid_get_n_columns (grid), ==, n_all - 1);
  g_assert_false (grid_has_clinician (grid, tend_record_get_id (TEND_RECORD (cleo))));
  hidden = g_settings_get_strv (settings, "day-view-hidden-clinicians");
  g_assert_true (g_strv_contains ((const char * const *) hidden, tend_record_get_id (TEND_RECORD (cleo))));
  g_assert_cmpuint (g_strv_length (hidden), ==, 1);

  /* The setting is the truth: set elsewhere (another window, dconf), the
   * view and the other toolbar's checks follow. */
  {
    const char *both[] = { tend_record_get_id (TEND_RECORD (cleo)), tend_record_get_id (TEND_RECORD (dan)), NULL };

    g_settings_set_strv (settings, "day-view-hidden-clinicians", both);
  }
  spin_for (50);
  g_assert_cmpuint (tend_schedule_grid_get_n_columns (grid), ==, n_all - 2);
  dan_check = find_labelled (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter))),
                             GTK_TYPE_CHECK_BUTTON, "Dan Ruiz");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (dan_check)));

  /* The last one shown cannot be unticked. */
  for (guint i = 0; i < n_all; i++)
    {
      g_autoptr(GPtrArray) staff = tend_store_list (store, TEND_TYPE_STAFF, NULL);

      for (guint j = 0; j < staff->len; j++)
        tend_calendar_page_set_clinician_shown (calendar, tend_record_get_id (g_ptr_array_index (staff, j)), FALSE);
    }
  spin_for (50);
  g_assert_cmpuint (tend_schedule_grid_get_n_columns (grid), >=, 1);

  /* Show All brings every column back. */
  gtk_widget_activate (find_button_with_label (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter))),
                                               "Show _All"));
  spin_for (50);
  g_assert_cmpuint (tend_schedule_grid_get_n_columns (grid), ==, n_all);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (gtk_widget_get_sensitive (check));

  if (g_getenv ("TEND_TEST_SCREENSHOTS") != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
      gtk_popover_popup (gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter)));
      gui_test_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter))), "calendar-day-filter");
      gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter)));
      gtk_popover_popup (gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend)));
      gui_test_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend))), "calendar-legend");
      gtk_popover_popdown (gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend)));
    }

  /* The filter is the day view's own; the legend is for every grid. */
  tend_calendar_page_set_view (calendar, "week");
  g_assert_false (gtk_widget_get_visible (filter));
  g_assert_true (gtk_widget_get_visible (legend));
  tend_calendar_page_set_view (calendar, "agenda");
  g_assert_false (gtk_widget_get_visible (legend));

  {
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend)));
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *cur = g_queue_pop_head (&queue);

        if (GTK_IS_BUTTON (cur) && gtk_widget_has_css_class (cur, "tend-tile"))
          {
            n_tiles++;
            g_assert_false (gtk_widget_get_can_target (cur));
          }
        for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
  }
  g_assert_cmpuint (n_tiles, ==, TEND_N_APPOINTMENT_STATUSES + 2);
  g_assert_nonnull (find_labelled (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend))), GTK_TYPE_LABEL,
                                   "Late cancellation"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend))), GTK_TYPE_LABEL,
                                   "Video session"));
  g_assert_nonnull (find_labelled (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (legend))), GTK_TYPE_LABEL,
                                   "Outside working hours"));

  g_settings_reset (settings, "day-view-hidden-clinicians");
  close_and_check (window, context);
}

/* Dates are typed the locale's way (or ISO) or picked from a calendar;
 * times typed with or without the leading zero, or set with spinners. */
static void
test_date_and_time_rows (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *date_row = tend_date_row_new ("Date");
  GtkWidget *time_row = tend_time_row_new ("Start");
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) picked = g_date_time_new_local (2027, 5, 9, 0, 0, 0);
  GtkMenuButton *picker;
  GtkWidget *calendar;
  int minutes = 0;

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), date_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), time_row);
  gtk_window_set_child (GTK_WINDOW (window), group);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (50);

  tend_date_row_set_date (date_row, "1987-03-14");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, "03/14/1987");
  g_assert_true (tend_date_row_get_date (date_row, &iso, &error));
  g_assert_cmpstr (iso, ==, "1987-03-14");
  g_clear_pointer (&iso, g_free);
  gtk_editable_set_text (GTK_EDITABLE (date_row), "3/4/2026");
  g_assert_true (tend_date_row_get_date (date_row, &iso, &error));
  g_assert_cmpstr (iso, ==, "2026-03-04");
  g_clear_pointer (&iso, g_free);
  gtk_editable_set_text (GTK_EDITABLE (date_row), "");
  g_assert_true (tend_date_row_get_date (date_row, &iso, &error));
  g_assert_null (iso);
  gtk_editable_set_text (GTK_EDITABLE (date_row), "next Tuesday");
  g_assert_false (tend_date_row_get_date (date_row, &iso, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);

  /* Picked from the calendar: the row shows it, and the popover closes. */
  picker = GTK_MENU_BUTTON (find_widget (date_row, GTK_TYPE_MENU_BUTTON));
  gtk_menu_button_popup (picker);
  spin_for (50);
  calendar = find_widget (gtk_menu_button_get_popover (picker), GTK_TYPE_CALENDAR);
  g_assert_nonnull (calendar);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), picked);
  g_signal_emit_by_name (calendar, "day-selected");
  spin_for (50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, "05/09/2027");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (picker))));

  tend_time_row_set_time (time_row, 9 * 60 + 30);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (time_row)), ==, "09:30");
  gtk_editable_set_text (GTK_EDITABLE (time_row), "9:05");
  g_assert_true (tend_time_row_get_time (time_row, &minutes, &error));
  g_assert_cmpint (minutes, ==, 9 * 60 + 5);
  gtk_editable_set_text (GTK_EDITABLE (time_row), "24:00");
  g_assert_false (tend_time_row_get_time (time_row, &minutes, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);

  /* The spinners start from the typed time_row and write back what they set. */
  gtk_editable_set_text (GTK_EDITABLE (time_row), "10:15");
  picker = GTK_MENU_BUTTON (find_widget (time_row, GTK_TYPE_MENU_BUTTON));
  gtk_menu_button_popup (picker);
  spin_for (50);
  {
    GtkWidget *hours = find_widget (gtk_menu_button_get_popover (picker), GTK_TYPE_SPIN_BUTTON);

    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (hours)), ==, 10);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (hours), 14);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (time_row)), ==, "14:15");
  gtk_popover_popdown (gtk_menu_button_get_popover (picker));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The editor books a session, and refuses a double booking with a reason
 * a person can act on, saving nothing. */
static void
test_editor_conflict (Fixture       *f,
                      gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendStore *store;
  TendAppointmentEditor *editor;
  g_autoptr(TendClient) client = tend_client_new ("Ines", "Moreau");
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GError) error = NULL;
  const char *user_id;
  gint64 before;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  user_id = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
  tend_record_set_string (TEND_RECORD (client), "email", "ines@example.org");
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));

  /* Five days ahead: inside the window in which reminders are made. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now (tend_context_get_zone (context));
    g_autoptr(GDateTime) day = g_date_time_add_days (now, 5);

    start = g_date_time_new (tend_context_get_zone (context), g_date_time_get_year (day),
                             g_date_time_get_month (day), g_date_time_get_day_of_month (day), 10, 0, 0);
  }
  end = g_date_time_add_minutes (start, 50);

  editor = tend_appointment_editor_new (context, start, end, user_id);
  g_object_ref_sink (editor);
  tend_appointment_editor_set_client (editor, tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_appointment_editor_save (editor));
  g_assert_null (tend_appointment_editor_get_problem (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_APPOINTMENT, NULL), ==, 1);
  /* A reminder by e-mail is recorded for the server to send. */
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_REMINDER, NULL), ==, 1);

  /* The same clinician at the same time: refused, with the reason shown. */
  before = tend_store_count_outbox (store);
  editor = tend_appointment_editor_new (context, start, end, user_id);
  g_object_ref_sink (editor);
  tend_appointment_editor_set_client (editor, tend_record_get_id (TEND_RECORD (client)));
  g_assert_false (tend_appointment_editor_save (editor));
  g_assert_nonnull (tend_appointment_editor_get_problem (editor));
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_APPOINTMENT, NULL), ==, 1);
  g_assert_cmpint (tend_store_count_outbox (store), ==, before);
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  /* Without a client a session is not saved either. */
  editor = tend_appointment_editor_new (context, end, end, user_id);
  g_object_ref_sink (editor);
  g_assert_false (tend_appointment_editor_save (editor));
  g_assert_nonnull (tend_appointment_editor_get_problem (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  close_and_check (window, context);
}

/* Moving one session of a weekly series "and the following ones" moves
 * those and leaves the earlier ones where they were. */
static void
test_editor_series_following (Fixture       *f,
                              gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendStore *store;
  TendAppointmentEditor *editor;
  g_autoptr(TendClient) client = tend_client_new ("Tomas", "Lind");
  g_autoptr(TendSeries) series = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) horizon = NULL;
  g_autoptr(GDateTime) second = NULL;
  g_autoptr(TendRecord) occurrence = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *occurrence_id = NULL;
  GTimeZone *zone;
  const char *user_id;
  const char *ids[2] = { NULL, NULL };
  guint at_ten = 0, at_eleven = 0;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  zone = tend_context_get_zone (context);
  user_id = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
  ids[0] = user_id;
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));

  first = g_date_time_new (zone, 2027, 3, 1, 10, 0, 0);  /* a Monday */
  series = tend_series_new (user_id, first, 50, g_time_zone_get_identifier (zone), "FREQ=WEEKLY;COUNT=4");
  tend_record_set_string (TEND_RECORD (series), "client_id", tend_record_get_id (TEND_RECORD (client)));
  horizon = g_date_time_add_days (first, 60);
  g_assert_true (tend_schedule_save_series (store, series, g_date_time_to_unix (horizon) * G_USEC_PER_SEC, &error));
  g_assert_no_error (error);

  second = g_date_time_add_weeks (first, 1);
  occurrence_id = tend_appointment_occurrence_id (tend_record_get_id (TEND_RECORD (series)), second);
  occurrence = tend_store_load (store, TEND_TYPE_APPOINTMENT, occurrence_id, &error);
  g_assert_no_error (error);

  editor = tend_appointment_editor_new_for (context, TEND_APPOINTMENT (occurrence));
  g_object_ref_sink (editor);
  /* A time that is not one is refused, saying how to type one. */
  tend_appointment_editor_set_start_time (editor, "25:00");
  g_assert_false (tend_appointment_editor_save_scope (editor, TEND_SERIES_EDIT_FOLLOWING));
  g_assert_nonnull (strstr (tend_appointment_editor_get_problem (editor), "type it like 09:30"));
  tend_appointment_editor_set_start_time (editor, "11:00");
  g_assert_true (tend_appointment_editor_save_scope (editor, TEND_SERIES_EDIT_FOLLOWING));
  g_assert_null (tend_appointment_editor_get_problem (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  after = tend_schedule_list (store, g_date_time_to_unix (first) * G_USEC_PER_SEC,
                              g_date_time_to_unix (horizon) * G_USEC_PER_SEC, ids, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < after->len; i++)
    {
      g_autoptr(GDateTime) s = tend_appointment_dup_start (g_ptr_array_index (after, i));
      g_autoptr(GDateTime) local = g_date_time_to_timezone (s, zone);

      if (!tend_appointment_is_active (g_ptr_array_index (after, i)))
        continue;
      if (g_date_time_get_hour (local) == 10)
        at_ten++;
      else if (g_date_time_get_hour (local) == 11)
        at_eleven++;
    }
  g_assert_cmpuint (at_ten, ==, 1);
  g_assert_cmpuint (at_eleven, ==, 3);

  close_and_check (window, context);
}

/* Cancelling needs a reason, and the freed time is offered to the waitlist. */
static void
test_editor_cancel_and_waitlist (Fixture       *f,
                                 gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendStore *store;
  TendAppointmentEditor *editor;
  g_autoptr(TendClient) booked = tend_client_new ("Nadia", "Haddad");
  g_autoptr(TendClient) waiting = tend_client_new ("Owen", "Price");
  g_autoptr(TendWaitlistEntry) entry = NULL;
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(TendRecord) after = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GError) error = NULL;
  const char *user_id;
  const char *clinicians[2] = { NULL, NULL };
  GPtrArray *matches;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  user_id = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
  clinicians[0] = user_id;
  g_assert_true (tend_store_save (store, TEND_RECORD (booked), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (waiting), &error));
  entry = tend_waitlist_entry_new (tend_record_get_id (TEND_RECORD (waiting)));
  tend_record_set_strv (TEND_RECORD (entry), "clinician_ids", clinicians);
  g_assert_true (tend_store_save (store, TEND_RECORD (entry), &error));

  start = g_date_time_new (tend_context_get_zone (context), 2027, 4, 6, 14, 0, 0);
  end = g_date_time_add_minutes (start, 50);
  a = tend_appointment_new (user_id, start, end);
  tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (booked)));
  g_assert_true (tend_store_save (store, TEND_RECORD (a), &error));
  g_assert_no_error (error);

  editor = tend_appointment_editor_new_for (context, a);
  g_object_ref_sink (editor);
  /* No reason, no cancellation. */
  g_assert_false (tend_appointment_editor_cancel_appointment (editor, "  ", FALSE));
  g_assert_nonnull (tend_appointment_editor_get_problem (editor));
  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_cmpint (tend_appointment_get_status (TEND_APPOINTMENT (after)), ==, TEND_APPOINTMENT_SCHEDULED);
  g_clear_object (&after);

  /* The Status row offers only what may follow: no "completed" before
   * arrival; confirming works. */
  g_assert_false (tend_appointment_editor_choose_status (editor, TEND_APPOINTMENT_COMPLETED));
  g_assert_true (tend_appointment_editor_choose_status (editor, TEND_APPOINTMENT_CONFIRMED));
  g_assert_true (tend_appointment_editor_save (editor));
  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_cmpint (tend_appointment_get_status (TEND_APPOINTMENT (after)), ==, TEND_APPOINTMENT_CONFIRMED);
  g_clear_object (&after);

  g_assert_true (tend_appointment_editor_cancel_appointment (editor, "Client is unwell", TRUE));
  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_cmpint (tend_appointment_get_status (TEND_APPOINTMENT (after)), ==, TEND_APPOINTMENT_LATE_CANCELLED);
  g_assert_cmpstr (tend_record_get_string (after, "cancel_reason"), ==, "Client is unwell");

  matches = tend_appointment_editor_get_waitlist_matches (editor);
  g_assert_nonnull (matches);
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpstr (tend_waitlist_entry_get_client_id (g_ptr_array_index (matches, 0)), ==,
                   tend_record_get_id (TEND_RECORD (waiting)));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  close_and_check (window, context);
}

/* Whether a visible warning icon is somewhere under @root. */
static gboolean
has_warning_icon (GtkWidget *root)
{
  if (GTK_IS_IMAGE (root) && gtk_widget_get_visible (root) && gtk_widget_has_css_class (root, "warning") &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (root)), "dialog-warning-symbolic") == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_warning_icon (c))
      return TRUE;
  return FALSE;
}

/* A reminder tend-server could not send shows on the appointment, with the
 * server's reason; one that was sent says when. */
static void
test_editor_reminder_status (Fixture       *f,
                             gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendStore *store;
  TendAppointmentEditor *editor;
  g_autoptr(TendClient) client = tend_client_new ("Iris", "Vega");
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(TendAppointment) b = NULL;
  g_autoptr(TendReminder) failed = NULL;
  g_autoptr(TendReminder) sent = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) send_at = NULL;
  g_autoptr(GError) error = NULL;
  const char *user_id, *subtitle;
  GtkWidget *row;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  user_id = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
  tend_record_set_string (TEND_RECORD (client), "email", "iris@example.org");
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  start = g_date_time_new (tend_context_get_zone (context), 2027, 5, 4, 10, 0, 0);
  end = g_date_time_add_minutes (start, 50);
  a = tend_appointment_new (user_id, start, end);
  tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_store_save (store, TEND_RECORD (a), &error));
  g_assert_no_error (error);

  /* None yet (too far ahead): no row. */
  editor = tend_appointment_editor_new_for (context, a);
  g_object_ref_sink (editor);
  g_assert_null (tend_appointment_editor_get_reminder_row (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  /* As tend-server writes it back after the relay refused it for good. */
  send_at = g_date_time_add_hours (start, -24);
  failed = tend_reminder_new (tend_record_get_id (TEND_RECORD (a)), tend_record_get_id (TEND_RECORD (client)),
                              "email", send_at);
  tend_record_set_string (TEND_RECORD (failed), "status", "failed");
  tend_record_set_string (TEND_RECORD (failed), "status_reason", "SMTP 550: Mailbox unavailable");
  g_assert_true (tend_store_save (store, TEND_RECORD (failed), &error));
  g_assert_no_error (error);
  editor = tend_appointment_editor_new_for (context, a);
  g_object_ref_sink (editor);
  row = tend_appointment_editor_get_reminder_row (editor);
  g_assert_nonnull (row);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "SMTP 550: Mailbox unavailable"));
  g_assert_true (has_warning_icon (row));
  gtk_window_present (GTK_WINDOW (editor));
  gui_test_screenshot (GTK_WIDGET (editor), "appointment-reminder-failed");
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  /* Sent: said so, no warning. */
  {
    g_autoptr(GDateTime) end_b = g_date_time_add_minutes (end, 50);

    b = tend_appointment_new (user_id, end, end_b);
  }
  tend_record_set_string (TEND_RECORD (b), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_store_save (store, TEND_RECORD (b), &error));
  g_clear_pointer (&send_at, g_date_time_unref);
  send_at = g_date_time_add_hours (end, -24);
  sent = tend_reminder_new (tend_record_get_id (TEND_RECORD (b)), tend_record_get_id (TEND_RECORD (client)),
                            "sms", send_at);
  tend_record_set_string (TEND_RECORD (sent), "status", "sent");
  tend_record_set_string (TEND_RECORD (sent), "sent_at", "2027-05-03T10:00:05Z");
  g_assert_true (tend_store_save (store, TEND_RECORD (sent), &error));
  editor = tend_appointment_editor_new_for (context, b);
  g_object_ref_sink (editor);
  row = tend_appointment_editor_get_reminder_row (editor);
  g_assert_nonnull (row);
  g_assert_false (has_warning_icon (row));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Sent "));
  gtk_window_destroy (GTK_WINDOW (editor));
  g_object_unref (editor);

  close_and_check (window, context);
}

/* Moving an appointment keeps its length, refuses a double booking and can
 * be undone. */
static void
test_move_and_undo (Fixture       *f,
                    gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendStore *store;
  g_autoptr(TendClient) client = tend_client_new ("Lea", "Novak");
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(TendAppointment) b = NULL;
  g_autoptr(TendRecord) after = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) taken = NULL;
  g_autoptr(GError) error = NULL;
  GTimeZone *zone;
  const char *user_id;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  zone = tend_context_get_zone (context);
  user_id = tend_record_get_id (TEND_RECORD (tend_context_get_user (context)));
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));

  start = g_date_time_new (zone, 2027, 5, 4, 9, 0, 0);
  {
    g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
    g_autoptr(GDateTime) b_start = g_date_time_new (zone, 2027, 5, 4, 13, 0, 0);
    g_autoptr(GDateTime) b_end = g_date_time_add_minutes (b_start, 50);

    a = tend_appointment_new (user_id, start, end);
    b = tend_appointment_new (user_id, b_start, b_end);
  }
  tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (client)));
  tend_record_set_string (TEND_RECORD (b), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_store_save (store, TEND_RECORD (a), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (b), &error));

  later = g_date_time_new (zone, 2027, 5, 4, 11, 30, 0);
  g_assert_true (tend_calendar_page_move_appointment (calendar, tend_record_get_id (TEND_RECORD (a)), NULL, later, &error));
  g_assert_no_error (error);
  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_cmpint (tend_appointment_get_start_usec (TEND_APPOINTMENT (after)), ==, g_date_time_to_unix (later) * G_USEC_PER_SEC);
  g_assert_cmpint (tend_appointment_get_end_usec (TEND_APPOINTMENT (after)) - tend_appointment_get_start_usec (TEND_APPOINTMENT (after)),
                   ==, 50 * G_TIME_SPAN_MINUTE);
  g_clear_object (&after);

  /* Onto the other appointment: refused, nothing moves. */
  taken = g_date_time_new (zone, 2027, 5, 4, 13, 15, 0);
  g_assert_false (tend_calendar_page_move_appointment (calendar, tend_record_get_id (TEND_RECORD (a)), NULL, taken, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  g_clear_error (&error);
  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_cmpint (tend_appointment_get_start_usec (TEND_APPOINTMENT (after)), ==, g_date_time_to_unix (later) * G_USEC_PER_SEC);
  g_clear_object (&after);

  /* Undo puts the last successful move back. */
  g_assert_true (tend_calendar_page_undo_move (calendar, &error));
  g_assert_no_error (error);
  after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
  g_assert_cmpint (tend_appointment_get_start_usec (TEND_APPOINTMENT (after)), ==, g_date_time_to_unix (start) * G_USEC_PER_SEC);
  g_clear_object (&after);

  /* Longer: the end moves, the start stays; undone like a move. */
  {
    g_autoptr(GDateTime) new_end = g_date_time_add_minutes (start, 75);

    g_assert_true (tend_calendar_page_resize_appointment (calendar, tend_record_get_id (TEND_RECORD (a)), new_end, &error));
    g_assert_no_error (error);
    after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
    g_assert_cmpint (tend_appointment_get_end_usec (TEND_APPOINTMENT (after)), ==, g_date_time_to_unix (new_end) * G_USEC_PER_SEC);
    g_assert_cmpint (tend_appointment_get_start_usec (TEND_APPOINTMENT (after)), ==, g_date_time_to_unix (start) * G_USEC_PER_SEC);
    g_clear_object (&after);
    g_assert_true (tend_calendar_page_undo_move (calendar, &error));
    after = tend_store_load (store, TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (a)), &error);
    g_assert_cmpint (tend_appointment_get_end_usec (TEND_APPOINTMENT (after)) - tend_appointment_get_start_usec (TEND_APPOINTMENT (after)),
                     ==, 50 * G_TIME_SPAN_MINUTE);
    g_clear_object (&after);
  }

  close_and_check (window, context);
}

/* A database from a newer Tend is refused with its own page, untouched. */
static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %u", tend_store_get_latest_version () + 1);
  TendStore *store;
  TendContext *context;
  TendWindow *window;

  store = tend_store_open (f->path, key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tend_store_exec (store, sql, &error));
  g_assert_true (tend_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_assert_finalize_object (store);
  g_assert_true (tend_keyring_store_key (f->path, key, NULL, &error));
  before = checksum_file (f->path);

  window = open_window (f, &context);
  wait_for_page (window, "error");
  g_assert_cmpstr (error_title (window), ==, "Database From a Newer Tend");
  close_and_check (window, context);

  after = checksum_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* Without any Secret Service there is no key: a page says so, in a child
 * process whose session bus address leads nowhere. */
static void
test_no_keyring (Fixture       *f,
                 gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *parent = g_path_get_dirname (f->path);
      TendContext *context;
      TendWindow *window;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tend-test-bus", TRUE);
      g_mkdir_with_parents (parent, 0700);
      g_assert_true (g_file_set_contents (f->path, "not opened", -1, NULL));
      window = open_window (f, &context);
      wait_for_page (window, "error");
      g_assert_cmpstr (error_title (window), ==, "No Keyring Available");
      gtk_window_destroy (GTK_WINDOW (window));
      g_object_unref (context);
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The shortcuts window is built by GtkApplication from the resource: check
 * that it loads and names the shortcuts the window installs. */
static void
test_help_overlay (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *overlay;

  gtk_builder_add_from_resource (builder, RESOURCE_PREFIX "/gtk/help-overlay.ui", &error);
  g_assert_no_error (error);
  overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (overlay);
}

/* The schedule's upkeep runs in a thread as the store opens and on
 * request: a series saved for three weeks grows to the horizon, the views
 * hear of it, and a session within the window gets its reminder. */
static void
test_upkeep (Fixture       *f,
             gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendStore *store;
  g_autoptr(TendClient) client = tend_client_new ("Ada", "Byrne");
  g_autoptr(TendSeries) series = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) horizon = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint changed = 0;

  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  spin_until (upkeep_done, context, 20000);
  tend_record_set_string (TEND_RECORD (client), "email", "ada@example.org");
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now (tend_context_get_zone (context));
    g_autoptr(GDateTime) day = g_date_time_add_days (now, 3);

    first = g_date_time_new (tend_context_get_zone (context), g_date_time_get_year (day),
                             g_date_time_get_month (day), g_date_time_get_day_of_month (day), 9, 0, 0);
  }
  horizon = g_date_time_add_weeks (first, 2);
  series = tend_series_new (tend_record_get_id (TEND_RECORD (tend_context_get_user (context))), first, 50,
                            g_time_zone_get_identifier (tend_context_get_zone (context)), "FREQ=WEEKLY");
  tend_record_set_string (TEND_RECORD (series), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_schedule_save_series (store, series, tend_time_to_unix_usec (horizon), &error));
  g_assert_no_error (error);
  rows = tend_store_list (store, TEND_TYPE_APPOINTMENT, NULL);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  g_signal_connect_swapped (store, "changed", G_CALLBACK (increment), &changed);
  tend_context_request_upkeep (context);
  g_assert_true (tend_context_is_upkeep_running (context));
  spin_until (upkeep_done, context, 20000);
  g_assert_false (tend_context_is_upkeep_running (context));
  g_assert_cmpuint (changed, >, 0);
  g_signal_handlers_disconnect_by_func (store, increment, &changed);

  rows = tend_store_list (store, TEND_TYPE_APPOINTMENT, NULL);
  g_assert_cmpuint (rows->len, >=, 57);
  /* The first two sessions are within 14 days and more than a day away. */
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_REMINDER, NULL), ==, 2);

  close_and_check (window, context);
}

/* GTK's way with a key press, as far as shortcuts go: the shortcut
 * controllers from the window down to the focus (capture), then back up
 * (bubble); the first shortcut whose trigger matches and whose action runs
 * takes it.  With @activate FALSE, only finds it. */
static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     mods)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods);
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) == gdk_keyval_to_lower (keyval) &&
           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
  return FALSE;
}

static GtkShortcut *
run_shortcuts (GtkWidget           *widget,
               GtkPropagationPhase  phase,
               guint                keyval,
               GdkModifierType      mods,
               gboolean             activate)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  if (!gtk_widget_is_sensitive (widget))
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c) || gtk_event_controller_get_propagation_phase (c) != phase)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), j);

          if (!trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, mods))
            continue;
          if (!activate ||
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                            widget, gtk_shortcut_get_arguments (shortcut)))
            return g_steal_pointer (&shortcut);
        }
    }
  return NULL;
}

static GtkShortcut *
press (GtkWindow  *window,
       const char *accelerator,
       gboolean    activate)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  guint keyval;
  GdkModifierType mods;
  GtkShortcut *found = NULL;

  g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &mods));
  for (GtkWidget *w = focus != NULL ? focus : GTK_WIDGET (window); w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_add (path, w);
  for (guint i = path->len; found == NULL && i > 0; i--)
    found = run_shortcuts (path->pdata[i - 1], GTK_PHASE_CAPTURE, keyval, mods, activate);
  if (found == NULL)
    found = run_shortcuts (path->pdata[0], GTK_PHASE_TARGET, keyval, mods, activate);
  for (guint i = 0; found == NULL && i < path->len; i++)
    found = run_shortcuts (path->pdata[i], GTK_PHASE_BUBBLE, keyval, mods, activate);
  return found;
}

static void
focus_sidebar (TendWindow *window)
{
  GtkListBox *list = NULL;
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, window);
  while (list == NULL && !g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (GTK_IS_LIST_BOX (cur) && gtk_widget_has_css_class (cur, "navigation-sidebar"))
        list = GTK_LIST_BOX (cur);
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  g_queue_clear (&queue);
  g_assert_nonnull (list);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (list))));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      /* The list of toplevels keeps it. */
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static GtkWidget *
find_tile (GtkWidget  *grid,
           const char *appointment_id)
{
  for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (c), "appointment-id"), appointment_id) == 0)
      return c;
  return NULL;
}

static gint64
start_of (TendStore  *store,
          const char *id)
{
  g_autoptr(TendRecord) record = tend_store_load (store, TEND_TYPE_APPOINTMENT, id, NULL);
  g_autoptr(GDateTime) start = tend_appointment_dup_start (TEND_APPOINTMENT (record));

  return g_date_time_to_unix (start);
}

static gboolean
shows_help (gpointer data)
{
  GtkWidget *help = GTK_WIDGET (gtk_application_window_get_help_overlay (data));

  return help != NULL && gtk_widget_get_visible (help);
}

/* Every accelerator the shortcuts window lists does what it says with the
 * focus on the sidebar (or, for the focused appointment's, on it), and
 * still after the window was locked and unlocked. */
static void
test_shortcuts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TendApplication) app = tend_application_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *app_store = g_build_filename (f->dir, "app", "tend.db", NULL);
  g_autoptr(TendClient) client = tend_client_new ("Ines", "Navarro");
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(GSList) objects = NULL;
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendStore *store;
  const char *id;
  guint n_checked = 0;

  /* The application's accelerators (Ctrl+Q, Ctrl+comma, the shortcuts
   * window's own) come with a TendApplication: one of its own, on a store
   * of its own, that never runs. */
  g_setenv ("TEND_STORE_PATH", app_store, TRUE);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  do_first_run (f);
  context = tend_context_new (f->path, f->settings);
  window = g_object_new (TEND_TYPE_WINDOW, "application", app, "context", context, NULL);
  tend_context_load (context);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_page (window, "main");
  spin_until (has_later_sections, window, 5000);
  store = tend_context_get_store (context);
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);

  /* A session on Wednesday of next week at 10:00, for the tile's keys. */
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now (tend_context_get_zone (context));
    g_autoptr(GDateTime) day = g_date_time_add_days (now, 7 + (3 - g_date_time_get_day_of_week (now)));
    g_autoptr(GDateTime) start = g_date_time_new (tend_context_get_zone (context), g_date_time_get_year (day),
                                                  g_date_time_get_month (day), g_date_time_get_day_of_month (day),
                                                  10, 0, 0);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);

    a = tend_appointment_new (tend_record_get_id (TEND_RECORD (tend_context_get_user (context))), start, end);
  }
  tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_store_save (store, TEND_RECORD (a), &error));
  g_assert_no_error (error);
  id = tend_record_get_id (TEND_RECORD (a));

  gtk_builder_add_from_resource (builder, RESOURCE_PREFIX "/gtk/help-overlay.ui", &error);
  g_assert_no_error (error);
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accels = NULL;
      g_autofree char *title = NULL;
      g_auto(GStrv) each = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accels, "title", &title, NULL);
      each = g_strsplit (accels, " ", -1);
      for (guint i = 0; each[i] != NULL; i++)
        {
          const char *accel = each[i];
          GDate before, after;
          g_autoptr(GtkShortcut) shortcut = NULL;

          g_test_message ("%s: %s", title, accel);
          /* Sections and the calendar's keys work from any section; the
           * steps and the moves, in the calendar. */
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s",
                                      g_str_has_suffix (accel, "Left") || g_str_has_suffix (accel, "Right") ||
                                      g_str_has_suffix (accel, "Up") || g_str_has_suffix (accel, "Down")
                                      ? "calendar" : "messages");
          tend_calendar_page_set_view (calendar, "week");
          gtk_widget_activate_action (GTK_WIDGET (calendar), "calendar.today", NULL);
          if (g_strcmp0 (accel, "<Control>t") == 0)
            gtk_widget_activate_action (GTK_WIDGET (calendar), "calendar.next", NULL);
          spin_for (20);
          tend_calendar_page_get_date (calendar, &before);
          focus_sidebar (window);

          if (g_str_has_suffix (accel, "Up") || g_str_has_suffix (accel, "Down"))
            {
              gint64 was = start_of (store, id);
              gint64 step = (strstr (accel, "Shift") != NULL ? 24 * 60 : 15) * 60;
              GtkWidget *tile;

              /* Moves the focused appointment: focus it first, a week on. */
              g_assert_true (press (GTK_WINDOW (window), "<Alt>Right", TRUE) != NULL);
              spin_for (50);
              tile = find_tile (GTK_WIDGET (tend_calendar_page_get_grid (calendar)), id);
              g_assert_nonnull (tile);
              g_assert_true (gtk_widget_grab_focus (tile));
              shortcut = press (GTK_WINDOW (window), accel, TRUE);
              g_assert_nonnull (shortcut);
              spin_for (50);
              g_assert_cmpint (start_of (store, id), ==, was + (g_str_has_suffix (accel, "Up") ? -step : step));
              n_checked++;
              continue;
            }

          if (g_strcmp0 (accel, "<Control>q") == 0)
            {
              /* Quitting would end the test: that it is there and is Quit. */
              shortcut = press (GTK_WINDOW (window), accel, FALSE);
              g_assert_nonnull (shortcut);
              g_assert_true (GTK_IS_NAMED_ACTION (gtk_shortcut_get_action (shortcut)));
              g_assert_cmpstr (gtk_named_action_get_action_name (GTK_NAMED_ACTION (gtk_shortcut_get_action (shortcut))),
                               ==, "app.quit");
              g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "quit"));
              n_checked++;
              continue;
            }

          shortcut = press (GTK_WINDOW (window), accel, TRUE);
          g_assert_nonnull (shortcut);
          spin_for (50);
          tend_calendar_page_get_date (calendar, &after);
          if (g_strcmp0 (accel, "<Control>f") == 0)
            {
              spin_until (section_is_clients, window, 2000);
              g_assert_cmpstr (tend_window_get_section (window), ==, "clients");
              g_assert_true (GTK_IS_TEXT (gtk_root_get_focus (GTK_ROOT (window))));
            }
          else if (g_strcmp0 (accel, "<Control>l") == 0)
            {
              TendLockPage *lock = find_widget (window, TEND_TYPE_LOCK_PAGE);

              g_assert_true (tend_window_get_locked (window));
              /* Locked, the sections are out of reach... */
              g_assert_null (press (GTK_WINDOW (window), "<Alt>1", TRUE));
              tend_lock_page_submit (lock, "correct horse");
              spin_until (not_locked, window, 10000);
              g_assert_false (tend_window_get_locked (window));
              /* ...and unlocked, with the focus nowhere, they work again. */
              g_assert_nonnull (press (GTK_WINDOW (window), "<Control>3", TRUE));
              g_assert_cmpstr (tend_window_get_section (window), ==, "calendar");
              g_assert_cmpstr (tend_calendar_page_get_view (calendar), ==, "month");
              g_assert_nonnull (press (GTK_WINDOW (window), "<Alt>2", TRUE));
              g_assert_cmpstr (tend_window_get_section (window), ==, "clients");
            }
          else if (g_strcmp0 (accel, "<Control>comma") == 0)
            {
              GtkWindow *prefs = find_toplevel (TEND_TYPE_PREFERENCES_WINDOW);

              g_assert_nonnull (prefs);
              gtk_window_destroy (prefs);
            }
          else if (g_strcmp0 (accel, "<Control>question") == 0)
            {
              spin_until (shows_help, window, 2000);
              g_assert_true (shows_help (window));
              gtk_widget_set_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), FALSE);
            }
          else if (g_str_has_prefix (accel, "<Alt>") && g_ascii_isdigit (accel[5]))
            {
              static const char * const sections[] = { "calendar", "clients", "messages", "billing" };

              g_assert_cmpstr (tend_window_get_section (window), ==, sections[accel[5] - '1']);
            }
          else if (g_strcmp0 (accel, "<Control>n") == 0)
            {
              GtkWindow *editor = find_toplevel (TEND_TYPE_APPOINTMENT_EDITOR);

              g_assert_nonnull (editor);
              g_assert_cmpstr (tend_window_get_section (window), ==, "calendar");
              gtk_window_destroy (editor);
            }
          else if (g_strcmp0 (accel, "<Control>t") == 0)
            {
              GDate today;
              g_autoptr(GDateTime) now = g_date_time_new_now (tend_context_get_zone (context));

              g_date_clear (&today, 1);
              g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                              g_date_time_get_year (now));
              g_assert_cmpstr (tend_window_get_section (window), ==, "calendar");
              g_assert_cmpint (g_date_compare (&after, &today), ==, 0);
            }
          else if (g_strcmp0 (accel, "<Alt>Left") == 0 || g_strcmp0 (accel, "<Alt>Right") == 0)
            {
              g_assert_cmpint (g_date_days_between (&before, &after), ==, accel[5] == 'L' ? -7 : 7);
            }
          else if (g_str_has_prefix (accel, "<Control>") && g_ascii_isdigit (accel[9]))
            {
              static const char * const views[] = { "day", "week", "month", "agenda", "rooms" };

              g_assert_cmpstr (tend_window_get_section (window), ==, "calendar");
              g_assert_cmpstr (tend_calendar_page_get_view (calendar), ==, views[accel[9] - '1']);
            }
          else
            g_error ("The shortcuts window lists %s (%s), which this test does not know", accel, title);
          n_checked++;
        }
    }
  /* All of them: 5 general, 4 sections, 13 in the calendar. */
  g_assert_cmpuint (n_checked, ==, 22);

  gtk_window_destroy (GTK_WINDOW (window));
  spin_until (upkeep_done, context, 20000);
  spin_for (20);
  g_assert_finalize_object (context);
  g_unsetenv ("TEND_STORE_PATH");
}

static void
count_all_buttons (GtkWidget  *root,
                   const char *label,
                   guint      *n)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        (*n)++;
      count_all_buttons (c, label, n);
    }
}

/* The member's button @label in the day's list (the row titled @name). */
static GtkWidget *
member_button (TendCalendarPage *calendar,
               const char       *name,
               const char       *label)
{
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, tend_calendar_page_get_agenda (calendar));
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *cur = g_queue_pop_head (&queue);

      if (ADW_IS_ACTION_ROW (cur) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (cur)), name) == 0)
        {
          g_queue_clear (&queue);
          return find_button_with_label (cur, label);
        }
      for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return NULL;
}

static TendAppointment *
load_appointment (TendStore  *store,
                  const char *id)
{
  return TEND_APPOINTMENT (tend_store_load (store, TEND_TYPE_APPOINTMENT, id, NULL));
}

/* A couple session: the front desk books Ana and Ben with their clinician
 * in the editor, checks each in from today's list (with Undo), Ben does not
 * come; the clinician completes it: Ana's session charge and Ben's no-show
 * fee, each their own. */
static void
test_couple_session (Fixture       *f,
                     gconstpointer  data)
{
  TendContext *context;
  TendWindow *window;
  TendCalendarPage *calendar;
  TendStore *store;
  TendAppointmentEditor *editor;
  g_autoptr(TendStaff) desk = tend_staff_new ("Dana", "Frost", TEND_ROLE_FRONT_DESK);
  g_autoptr(TendStaff) maya = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);
  g_autoptr(TendClient) ana = tend_client_new ("Ana", "Ruiz");
  g_autoptr(TendClient) ben = tend_client_new ("Ben", "Ortiz");
  g_autoptr(TendBillingSettings) settings = tend_billing_settings_new ();
  g_autoptr(TendService) service = tend_service_new ("90847", "Couple therapy", 50, 15000);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(TendAppointment) appt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ana_charge = NULL, *ben_fee = NULL, *ben_session = NULL;
  const char *ana_id, *ben_id, *maya_id;
  guint n = 0;
  GtkWidget *button;

  /* The owner: fees, the staff, two clients of Maya's. */
  window = open_ready (f, &context);
  store = tend_context_get_store (context);
  tend_record_set_int (TEND_RECORD (settings), "no_show_fee", 7500);
  g_assert_true (tend_store_save (store, TEND_RECORD (settings), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (service), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (desk), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (maya), &error));
  maya_id = tend_record_get_id (TEND_RECORD (maya));
  tend_record_set_string (TEND_RECORD (ana), "primary_clinician_id", maya_id);
  tend_record_set_string (TEND_RECORD (ben), "primary_clinician_id", maya_id);
  g_assert_true (tend_store_save (store, TEND_RECORD (ana), &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (ben), &error));
  g_assert_no_error (error);
  ana_id = tend_record_get_id (TEND_RECORD (ana));
  ben_id = tend_record_get_id (TEND_RECORD (ben));
  g_assert_true (tend_store_set_meta (store, "current_user_id", tend_record_get_id (TEND_RECORD (desk)), &error));
  close_and_check (window, context);

  /* The front desk books the couple session for later today. */
  window = open_window (f, &context);
  wait_for_page (window, "main");
  store = tend_context_get_store (context);
  g_assert_cmpint (tend_staff_get_role (tend_context_get_user (context)), ==, TEND_ROLE_FRONT_DESK);
  now = g_date_time_new_now (tend_context_get_zone (context));
  start = g_date_time_new (tend_context_get_zone (context), g_date_time_get_year (now), g_date_time_get_month (now),
                           g_date_time_get_day_of_month (now), MIN (g_date_time_get_hour (now) + 1, 22), 0, 0);
  end = g_date_time_add_minutes (start, 50);
  editor = tend_appointment_editor_new (context, start, end, maya_id);
  tend_appointment_editor_choose_client (editor, ana_id);
  /* The service follows the session type: group, individual (the default
   * individual session), couple; the length with it. */
  g_assert_cmpstr (tend_appointment_editor_get_service_code (editor), ==, "90834");
  tend_session_members_set_session_type (tend_appointment_editor_get_members (editor), TEND_SESSION_GROUP);
  g_assert_cmpstr (tend_appointment_editor_get_service_code (editor), ==, "90853");
  tend_session_members_set_session_type (tend_appointment_editor_get_members (editor), TEND_SESSION_INDIVIDUAL);
  g_assert_cmpstr (tend_appointment_editor_get_service_code (editor), ==, "90834");
  tend_session_members_set_session_type (tend_appointment_editor_get_members (editor), TEND_SESSION_FAMILY);
  g_assert_cmpstr (tend_appointment_editor_get_service_code (editor), ==, "90847");
  /* A service chosen by hand stays, whatever the type. */
  {
    TendAppointmentEditor *other = tend_appointment_editor_new (context, start, end, maya_id);

    tend_appointment_editor_choose_client (other, ana_id);
    adw_combo_row_set_selected (tend_appointment_editor_get_service_row (other), 2);
    g_assert_cmpstr (tend_appointment_editor_get_service_code (other), ==, "90837");
    tend_session_members_set_session_type (tend_appointment_editor_get_members (other), TEND_SESSION_GROUP);
    g_assert_cmpstr (tend_appointment_editor_get_service_code (other), ==, "90837");
    tend_session_members_set_session_type (tend_appointment_editor_get_members (other), TEND_SESSION_INDIVIDUAL);
    g_assert_cmpstr (tend_appointment_editor_get_service_code (other), ==, "90837");
    gtk_window_destroy (GTK_WINDOW (other));
  }
  /* A couple is two: once Ben is added, no third. */
  tend_session_members_set_session_type (tend_appointment_editor_get_members (editor), TEND_SESSION_COUPLE);
  g_assert_cmpstr (tend_appointment_editor_get_service_code (editor), ==, "90847");
  tend_session_members_add (tend_appointment_editor_get_members (editor), ben_id);
  g_assert_cmpuint (tend_session_members_get_n_others (tend_appointment_editor_get_members (editor)), ==, 1);
  gtk_window_set_default_size (GTK_WINDOW (editor), 520, 900);
  gtk_window_present (GTK_WINDOW (editor));
  gui_test_screenshot (GTK_WIDGET (editor), "group-editor-wide");
  gtk_window_set_default_size (GTK_WINDOW (editor), 360, 900);
  gui_test_screenshot (GTK_WIDGET (editor), "group-editor-narrow");
  g_assert_true (tend_appointment_editor_save (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  spin_for (50);

  all = tend_store_list (store, TEND_TYPE_APPOINTMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  appt = g_object_ref (g_ptr_array_index (all, 0));
  id = g_strdup (tend_record_get_id (TEND_RECORD (appt)));
  g_assert_cmpint (tend_appointment_get_session_type (appt), ==, TEND_SESSION_COUPLE);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (appt), "service_code"), ==, "90847");
  g_assert_true (tend_appointment_has_member (appt, ben_id));
  /* Opened again: the couple's service is the one its type gives, so it
   * still follows the type; a service chosen by hand would not. */
  {
    TendAppointmentEditor *again = tend_appointment_editor_new_for (context, appt);

    g_assert_cmpstr (tend_appointment_editor_get_service_code (again), ==, "90847");
    tend_session_members_set_session_type (tend_appointment_editor_get_members (again), TEND_SESSION_GROUP);
    g_assert_cmpstr (tend_appointment_editor_get_service_code (again), ==, "90853");
    gtk_window_destroy (GTK_WINDOW (again));
  }
  g_assert_cmpstr (tend_appointment_get_client_id (appt), ==, ana_id);

  /* Today's list: the session once, a Check In for each of them. */
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  tend_calendar_page_set_view (calendar, "agenda");
  spin_for (100);
  g_assert_cmpuint (tend_calendar_page_get_n_shown (calendar), ==, 1);
  count_all_buttons (GTK_WIDGET (tend_calendar_page_get_agenda (calendar)), "_Check In", &n);
  g_assert_cmpuint (n, ==, 2);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gui_test_screenshot (GTK_WIDGET (window), "group-today-before-wide");

  /* Ana arrives: the session is checked in; Undo takes it back. */
  button = member_button (calendar, "Ana Ruiz", "_Check In");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  spin_for (100);
  g_clear_object (&appt);
  appt = load_appointment (store, id);
  g_assert_cmpint (tend_appointment_get_attendance (appt, ana_id), ==, TEND_ATTENDANCE_ATTENDED);
  g_assert_cmpint (tend_appointment_get_status (appt), ==, TEND_APPOINTMENT_ARRIVED);
  g_assert_true (tend_calendar_page_undo_attendance (calendar, &error));
  g_assert_no_error (error);
  g_clear_object (&appt);
  appt = load_appointment (store, id);
  g_assert_cmpint (tend_appointment_get_attendance (appt, ana_id), ==, TEND_ATTENDANCE_EXPECTED);
  g_assert_cmpint (tend_appointment_get_status (appt), ==, TEND_APPOINTMENT_SCHEDULED);
  spin_for (100);
  button = member_button (calendar, "Ana Ruiz", "_Check In");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  spin_for (100);
  /* Ben does not come. */
  button = member_button (calendar, "Ben Ortiz", "_No-Show");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  spin_for (100);
  g_clear_object (&appt);
  appt = load_appointment (store, id);
  g_assert_cmpint (tend_appointment_get_attendance (appt, ana_id), ==, TEND_ATTENDANCE_ATTENDED);
  g_assert_cmpint (tend_appointment_get_attendance (appt, ben_id), ==, TEND_ATTENDANCE_NO_SHOW);
  g_assert_null (member_button (calendar, "Ben Ortiz", "_Check In"));
  gui_test_screenshot (GTK_WIDGET (window), "group-today-wide");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gui_test_screenshot (GTK_WIDGET (window), "group-today-narrow");
  tend_calendar_page_set_view (calendar, "day");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gui_test_screenshot (GTK_WIDGET (window), "group-day-wide");
  g_assert_true (tend_store_set_meta (store, "current_user_id", maya_id, &error));
  close_and_check (window, context);

  /* Maya, the clinician, completes the session: one charge per member. */
  window = open_window (f, &context);
  wait_for_page (window, "main");
  store = tend_context_get_store (context);
  g_assert_cmpint (tend_staff_get_role (tend_context_get_user (context)), ==, TEND_ROLE_CLINICIAN);
  calendar = find_widget (window, TEND_TYPE_CALENDAR_PAGE);
  g_assert_true (tend_calendar_page_record_outcome (calendar, id, TEND_APPOINTMENT_COMPLETED, &error));
  g_assert_no_error (error);
  g_clear_object (&appt);
  appt = load_appointment (store, id);
  g_assert_cmpint (tend_appointment_get_status (appt), ==, TEND_APPOINTMENT_COMPLETED);
  ana_charge = tend_charge_id_for_member (appt, TEND_CHARGE_SESSION, ana_id);
  ben_fee = tend_charge_id_for_member (appt, TEND_CHARGE_NO_SHOW, ben_id);
  ben_session = tend_charge_id_for_member (appt, TEND_CHARGE_SESSION, ben_id);
  {
    g_autoptr(TendRecord) a = tend_store_load (store, TEND_TYPE_CHARGE, ana_charge, NULL);
    g_autoptr(TendRecord) b = tend_store_load (store, TEND_TYPE_CHARGE, ben_fee, NULL);
    g_autoptr(TendRecord) c = tend_store_load (store, TEND_TYPE_CHARGE, ben_session, NULL);

    g_assert_nonnull (a);
    g_assert_cmpstr (tend_record_get_string (a, "client_id"), ==, ana_id);
    g_assert_cmpint (tend_charge_get_amount (TEND_CHARGE (a)), ==, 15000);
    g_assert_nonnull (b);
    g_assert_cmpstr (tend_record_get_string (b, "client_id"), ==, ben_id);
    g_assert_cmpint (tend_charge_get_kind (TEND_CHARGE (b)), ==, TEND_CHARGE_NO_SHOW);
    g_assert_cmpint (tend_charge_get_amount (TEND_CHARGE (b)), ==, 7500);
    g_assert_null (c);
  }

  /* Maya writes Ana's note of the session.  Ben is Ana's partner on file
   * but without her consent to share: he is "group member" in the
   * participants, and his name typed into the note is replaced before
   * signing, in the editor, with nothing signed yet. */
  {
    g_autoptr(TendRelatedPerson) partner = tend_related_person_new (ana_id, "Ben Ortiz", TEND_RELATED_PARTNER);
    g_autoptr(TendClinicalNote) stored = NULL;
    g_autoptr(TendGroupNote) rule = NULL;
    g_autofree char *said = NULL;
    g_autofree char *kept = NULL;
    g_autofree char *named = NULL;
    GtkWidget *chart_window = gtk_window_new ();
    TendChartPage *page = TEND_CHART_PAGE (tend_chart_page_new ());
    GtkWidget *note_editor;
    AdwEntryRow *participants;
    GtkTextBuffer *buffer;
    GtkTextIter s, e;

    /* Yesterday's session of the two, held: a note documents a past one. */
    {
      g_autoptr(GDateTime) y_start = g_date_time_add_days (start, -1);
      g_autoptr(GDateTime) y_end = g_date_time_add_minutes (y_start, 50);
      g_autoptr(GDateTime) y_now = g_date_time_add_minutes (y_start, 5);

      g_clear_object (&appt);
      appt = tend_appointment_new (maya_id, y_start, y_end);
      tend_appointment_set_members (appt, TEND_SESSION_COUPLE, (const char *[]) { ana_id, ben_id, NULL });
      g_assert_true (tend_appointment_set_status (appt, TEND_APPOINTMENT_ARRIVED, NULL, y_now, &error));
      g_assert_true (tend_appointment_set_status (appt, TEND_APPOINTMENT_COMPLETED, NULL, y_end, &error));
      g_assert_true (tend_schedule_save_appointment (store, appt, tend_context_get_zone (context), &error));
      g_assert_no_error (error);
    }
    tend_record_set_string (TEND_RECORD (partner), "linked_client_id", ben_id);
    g_assert_true (tend_store_save (store, TEND_RECORD (partner), &error));
    g_assert_no_error (error);
    tend_chart_page_set_store (page, store, NULL);
    gtk_window_set_child (GTK_WINDOW (chart_window), GTK_WIDGET (page));
    gtk_window_set_default_size (GTK_WINDOW (chart_window), 1280, 800);
    gtk_window_present (GTK_WINDOW (chart_window));
    g_assert_true (tend_chart_page_set_client (page, ana_id, &error));
    note_editor = tend_chart_page_new_note (page, TEND_NOTE_TEMPLATE_SOAP, &error);
    g_assert_no_error (error);
    g_assert_nonnull (note_editor);
    participants = tend_note_session_group_get_participants_row (
      tend_note_editor_get_session_group (TEND_NOTE_EDITOR (note_editor)));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (participants)), ==, "Ana Ruiz, group member");
    buffer = tend_note_editor_get_buffer (TEND_NOTE_EDITOR (note_editor), "subjective");
    gtk_text_buffer_set_text (buffer, "Ana said Ben Ortiz interrupted; Ben left early. Benign.", -1);
    gtk_editable_set_text (GTK_EDITABLE (participants), "Ana Ruiz, Ben Ortiz");
    g_signal_emit_by_name (find_button_with_label (note_editor, "_Sign…"), "clicked");
    spin_for (50);
    gtk_text_buffer_get_bounds (buffer, &s, &e);
    said = gtk_text_buffer_get_text (buffer, &s, &e, FALSE);
    g_assert_cmpstr (said, ==, "Ana said group member interrupted; group member left early. Benign.");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (participants)), ==, "Ana Ruiz, group member");
    gui_test_screenshot (chart_window, "group-note-replaced-wide");
    stored = TEND_CLINICAL_NOTE (tend_store_load (store, TEND_TYPE_CLINICAL_NOTE,
                                                  tend_record_get_id (TEND_RECORD (tend_note_editor_get_note (TEND_NOTE_EDITOR (note_editor)))),
                                                  &error));
    g_assert_nonnull (stored);
    g_assert_false (tend_clinical_note_is_signed (stored));
    kept = tend_clinical_note_dup_section (stored, "subjective");
    g_assert_cmpstr (kept, ==, said);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "participants"), ==, "Ana Ruiz, group member");

    /* With Ana's consent recorded, Ben may be named. */
    tend_related_person_set_consent (partner, "2026-01-05", maya_id, NULL);
    g_assert_true (tend_store_save (store, TEND_RECORD (partner), &error));
    g_assert_no_error (error);
    rule = tend_chart_load_group_note (store, ana_id, appt, &error);
    g_assert_no_error (error);
    named = tend_group_note_dup_participants (rule);
    g_assert_cmpstr (named, ==, "Ana Ruiz, Ben Ortiz");
    gtk_window_destroy (GTK_WINDOW (chart_window));
    spin_for (20);
  }
  close_and_check (window, context);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();
  g_assert_nonnull (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/gui/window/finalizes", test_window_finalizes);
  ADD ("/gui/window/first-run-and-restart", test_first_run_and_restart);
  ADD ("/gui/window/navigation", test_navigation);
  ADD ("/gui/window/lock-and-unlock", test_lock_and_unlock);
  ADD ("/gui/window/search", test_search);
  ADD ("/gui/window/error-pages", test_error_pages);
  ADD ("/gui/window/preferences", test_preferences);
  ADD ("/gui/window/practice-setup", test_practice_setup);
  ADD ("/gui/window/help-overlay", test_help_overlay);
  ADD ("/gui/window/no-keyring", test_no_keyring);
  ADD ("/gui/window/too-new", test_too_new);
  ADD ("/gui/window/front-desk-check-in", test_front_desk_check_in);
  ADD ("/gui/window/editor-conflict", test_editor_conflict);
  ADD ("/gui/window/editor-series-following", test_editor_series_following);
  ADD ("/gui/window/editor-cancel-and-waitlist", test_editor_cancel_and_waitlist);
  ADD ("/gui/window/editor-reminder-status", test_editor_reminder_status);
  ADD ("/gui/window/move-and-undo", test_move_and_undo);
  ADD ("/gui/window/upkeep", test_upkeep);
  ADD ("/gui/window/shortcuts", test_shortcuts);
  ADD ("/gui/window/front-desk-day", test_front_desk_day);
  ADD ("/gui/window/couple-session", test_couple_session);
  ADD ("/gui/window/booking-defaults", test_booking_defaults);
  ADD ("/gui/window/day-view-filter", test_day_view_filter);
  ADD ("/gui/window/date-and-time-rows", test_date_and_time_rows);
#undef ADD

  return g_test_run ();
}
