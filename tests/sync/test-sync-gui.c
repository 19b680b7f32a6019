/* test-sync-gui.c: the app connected to a real tend-server (under Xvfb,
 * with a keyring): first run through "Practice Server", the header's
 * sync state, a local edit going out by itself, a conflict to resolve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include "gui-test-util.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "server-test-util.h"
#include "tend-call-controller.h"
#include "tend-chart.h"
#include "tend-chart-page.h"
#include "tend-clients-page.h"
#include "tend-conflict-window.h"
#include "tend-keyring.h"
#include "tend-move-window.h"
#include "tend-people-page.h"
#include "tend-policy-window.h"
#include "tend-portal-forms.h"
#include "tend-setup-page.h"
#include "tend-preferences-window.h"
#include "tend-sync-status.h"
#include "tend-totp-dialog.h"
#include "tend-totp.h"
#include "tend-window.h"

#define PASSWORD "correct horse battery"
#define OWNER    "owner@riverbend.example"

static TestPg *pg;
static TestServer *server;
static char *practice_id;

static gboolean
page_idle (gpointer data)
{
  return !tend_people_page_is_busy (data);
}

typedef struct { TendWindow *window; const char *page; } PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *w = data;
  return g_strcmp0 (tend_window_get_page (w->window), w->page) == 0;
}

static gboolean
has_error (gpointer data)
{
  return tend_setup_page_get_error (data) != NULL;
}

static gboolean
synced_once (gpointer data)
{
  TendSyncController *sync = data;

  return tend_sync_controller_get_runs (sync) > 0 && tend_sync_controller_get_state (sync) != TEND_SYNC_STATE_SYNCING;
}

static gint64
server_version (const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM record WHERE id = '%s'", id);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 v = PQntuples (res) == 1 ? g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : -1;

  PQclear (res);
  return v;
}

typedef struct { const char *id; gint64 version; } VersionWait;

static gboolean
server_has_version (gpointer data)
{
  VersionWait *w = data;

  g_main_context_iteration (NULL, FALSE);
  return server_version (w->id) >= w->version;
}

typedef struct { TendSyncController *sync; guint runs; } RunWait;

static gboolean
ran_again (gpointer data)
{
  RunWait *w = data;

  return tend_sync_controller_get_runs (w->sync) > w->runs &&
         tend_sync_controller_get_state (w->sync) != TEND_SYNC_STATE_SYNCING;
}

static gboolean
live_open (gpointer data)
{
  return tend_sync_controller_get_live_events (data) > 0;
}

typedef struct { TendSyncController *sync; guint events; } EventsWait;

static gboolean
live_event_after (gpointer data)
{
  EventsWait *w = data;

  return tend_sync_controller_get_live_events (w->sync) > w->events;
}

typedef struct { TendStore *store; const char *id; const char *preferred; } LocalWait;

static gboolean
local_has (gpointer data)
{
  LocalWait *w = data;
  g_autoptr(TendRecord) r = tend_store_load (w->store, TEND_TYPE_CLIENT, w->id, NULL);

  return r != NULL && g_strcmp0 (tend_record_get_string (r, "preferred_name"), w->preferred) == 0;
}

/* Another workstation, for the server to have something to send. */
static TendStore *
other_store (const char *dir,
             char      **client_id)
{
  g_autofree char *path = g_build_filename (dir, "other.db", NULL);
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Ana", "Ruiz");
  TendStore *store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  engine = tend_sync_engine_new (store, server->base);
  g_assert_true (tend_sync_engine_login (engine, OWNER, PASSWORD, NULL, NULL, &error));
  g_assert_true (tend_store_save (store, TEND_RECORD (client), &error));
  g_assert_true (tend_sync_engine_run (engine, NULL, NULL, &error));
  g_assert_no_error (error);
  *client_id = g_strdup (tend_record_get_id (TEND_RECORD (client)));
  g_object_set_data_full (G_OBJECT (store), "engine", g_steal_pointer (&engine), g_object_unref);
  return store;
}

static void
other_edit (TendStore  *store,
            const char *id,
            const char *field,
            const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) r = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);

  tend_record_set_string (r, field, value);
  g_assert_true (tend_store_save (store, r, &error));
  g_assert_true (tend_sync_engine_run (g_object_get_data (G_OBJECT (store), "engine"), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A new window on a store at @path that does not exist yet: the first-run
 * page, ready to connect. */
static TendSetupPage *
open_first_run (const char   *path,
                GSettings    *settings,
                TendContext **context,
                TendWindow  **window)
{
  PageWait wait;
  TendSetupPage *setup;

  *context = tend_context_new (path, settings);
  *window = g_object_new (TEND_TYPE_WINDOW, "context", *context, NULL);
  tend_context_load (*context);
  gtk_window_present (GTK_WINDOW (*window));
  wait = (PageWait) { *window, "setup" };
  spin_until (page_is, &wait, 20000);
  setup = find_widget (GTK_WIDGET (*window), TEND_TYPE_SETUP_PAGE);
  g_assert_nonnull (setup);
  return setup;
}

/* A new window on a store at @path, connected to the server as the owner
 * through the first-run page, once it has synced. */
static void
connect_as_owner (const char   *path,
                  GSettings    *settings,
                  TendContext **context,
                  TendWindow  **window)
{
  TendSetupPage *setup = open_first_run (path, settings, context, window);
  PageWait wait = { *window, "main" };

  tend_setup_page_fill_connect (setup, server->base, OWNER, PASSWORD);
  tend_setup_page_connect (setup);
  spin_until (page_is, &wait, 60000);
  spin_until (synced_once, tend_context_get_sync (*context), 30000);
}

static void
close_window (TendContext *context,
              TendWindow  *window,
              const char  *path)
{
  tend_sync_controller_stop (tend_context_get_sync (context));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (context);
  tend_keyring_clear_key (path, NULL, NULL);
  tend_keyring_clear_token (path, server->base, NULL, NULL);
}

static void
test_connect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(TendStore) other = NULL;
  g_autofree char *client_id = NULL;
  TendContext *context;
  TendWindow *window;
  TendSetupPage *setup;
  TendSyncController *sync;
  TendSyncStatus *status;
  TendStore *store;
  PageWait wait;

  other = other_store (dir, &client_id);
  setup = open_first_run (path, settings, &context, &window);

  /* A wrong password: said on the page, and nothing is left behind. */
  tend_setup_page_fill_connect (setup, server->base, OWNER, "not the password");
  tend_setup_page_connect (setup);
  spin_until (has_error, setup, 20000);
  g_assert_nonnull (strstr (tend_setup_page_get_error (setup), "again"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (tend_keyring_lookup_key (path, NULL, NULL));
  /* Plain http to another machine is refused before anything is sent. */
  tend_setup_page_fill_connect (setup, "http://tend.example.org", OWNER, PASSWORD);
  tend_setup_page_connect (setup);
  g_assert_nonnull (strstr (tend_setup_page_get_error (setup), "https://"));

  tend_setup_page_fill_connect (setup, server->base, OWNER, PASSWORD);
  gui_test_screenshot (GTK_WIDGET (window), "sync-connect-form");
  tend_setup_page_connect (setup);
  wait = (PageWait) { window, "main" };
  spin_until (page_is, &wait, 30000);
  g_assert_cmpstr (tend_window_get_page (window), ==, "main");
  store = tend_context_get_store (context);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Riverbend Counseling");
  g_assert_cmpint (tend_staff_get_role (tend_context_get_user (context)), ==, TEND_ROLE_OWNER);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 1);
  /* The lock screen takes the same password, checked here. */
  g_assert_true (tend_store_check_password (store, tend_record_get_id (TEND_RECORD (tend_context_get_user (context))),
                                            PASSWORD, NULL));

  sync = tend_context_get_sync (context);
  g_assert_nonnull (sync);
  spin_until (synced_once, sync, 20000);
  g_assert_cmpint (tend_sync_controller_get_state (sync), ==, TEND_SYNC_STATE_IDLE);
  status = find_widget (GTK_WIDGET (window), TEND_TYPE_SYNC_STATUS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_cmpstr (tend_sync_status_get_text (status), ==, "Up to date");
  gui_test_screenshot (GTK_WIDGET (window), "sync-main-up-to-date");

  /* An edit here goes out by itself a moment later. */
  {
    g_autoptr(TendRecord) r = tend_store_load (store, TEND_TYPE_CLIENT, client_id, NULL);
    VersionWait v = { client_id, 2 };

    tend_record_set_string (r, "pronouns", "she/her");
    g_assert_true (tend_store_save (store, r, &error));
    spin_until (server_has_version, &v, 20000);
    g_assert_cmpint (server_version (client_id), ==, 2);
  }

  /* A change on another computer arrives through the live channel, long
   * before the next minute's sync. */
  {
    LocalWait w = { store, client_id, "Annie" };
    gint64 t0 = g_get_monotonic_time ();
    guint events;

    /* The socket's first message (sent as it opens) has come. */
    spin_until (live_open, sync, 10000);
    events = tend_sync_controller_get_live_events (sync);

    other_edit (other, client_id, "preferred_name", "Annie");
    spin_until (local_has, &w, 10000);
    g_assert_true (local_has (&w));
    g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
    /* A run already under way may pull the change just before the socket's
     * message about it is read; the message must still come. */
    {
      EventsWait e = { sync, events };

      spin_until (live_event_after, &e, 10000);
    }
    g_assert_cmpuint (tend_sync_controller_get_live_events (sync), >, events);
  }

  /* The same field changed elsewhere and here: the header says so and the
   * conflict window shows it. */
  {
    g_autoptr(TendRecord) r = NULL;
    RunWait w = { sync, 0 };
    TendConflictWindow *conflicts;

    spin_until (synced_once, sync, 5000);
    other_edit (other, client_id, "email", "ana@elsewhere.example.org");
    r = tend_store_load (store, TEND_TYPE_CLIENT, client_id, NULL);
    tend_record_set_string (r, "email", "ana@here.example.org");
    g_assert_true (tend_store_save (store, r, &error));
    w.runs = tend_sync_controller_get_runs (sync);
    tend_sync_controller_sync_now (sync);
    spin_until (ran_again, &w, 20000);
    g_assert_cmpuint (tend_sync_controller_get_conflicts (sync), ==, 1);
    g_assert_cmpstr (tend_sync_status_get_text (status), ==, "1 conflict to resolve");
    conflicts = tend_conflict_window_new (store, sync);
    g_assert_cmpuint (tend_conflict_window_get_n_shown (conflicts), ==, 1);
    gtk_window_present (GTK_WINDOW (conflicts));
    gui_test_screenshot (GTK_WIDGET (conflicts), "sync-conflict-window");
    gtk_window_destroy (GTK_WINDOW (conflicts));
  }

  /* The owner adds a person who can then sign in, and whose staff record
   * reaches the server with the next sync. */
  {
    GtkWidget *holder = gtk_window_new ();
    TendPeoplePage *people = TEND_PEOPLE_PAGE (tend_people_page_new (context, tend_sync_controller_get_engine (sync)));
    g_autoptr(TendSyncEngine) newcomer = tend_sync_engine_new (store, server->base);
    g_autofree char *staff_sql = NULL;
    PGresult *res;

    gtk_window_set_default_size (GTK_WINDOW (holder), 640, 760);
    gtk_window_set_child (GTK_WINDOW (holder), GTK_WIDGET (people));
    gtk_window_present (GTK_WINDOW (holder));
    spin_until (page_idle, people, 20000);
    g_assert_cmpstr (tend_people_page_get_message (people), ==, NULL);
    g_assert_cmpuint (tend_people_page_get_n_accounts (people), ==, 1);
    gui_test_screenshot (holder, "sync-people-page");

    /* A short password is refused here, before anything is sent. */
    tend_people_page_add (people, "Cole", "Diaz", "cole@riverbend.example", TEND_ROLE_CLINICIAN, "short");
    g_assert_nonnull (tend_people_page_get_message (people));
    g_assert_cmpuint (tend_people_page_get_n_accounts (people), ==, 1);

    tend_people_page_add (people, "Cole", "Diaz", "cole@riverbend.example", TEND_ROLE_CLINICIAN, "a good first password");
    spin_until (page_idle, people, 20000);
    g_assert_cmpuint (tend_people_page_get_n_accounts (people), ==, 2);
    gui_test_screenshot (holder, "sync-people-added");
    g_assert_true (tend_sync_engine_login (newcomer, "cole@riverbend.example", "a good first password", NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (tend_sync_engine_get_staff_id (newcomer));
    {
      VersionWait v = { tend_sync_engine_get_staff_id (newcomer), 1 };

      spin_until (server_has_version, &v, 20000);
      g_assert_cmpint (server_version (v.id), >=, 1);
    }
    staff_sql = g_strdup_printf ("SELECT role FROM account WHERE email = 'cole@riverbend.example'");
    res = test_pg_exec (pg, staff_sql);
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "clinician");
    PQclear (res);
    gtk_window_destroy (GTK_WINDOW (holder));
  }

  close_window (context, window, path);
}

static void
on_search_progress_cb (TendContext *context,
                       GParamSpec  *pspec,
                       guint       *shown)
{
  if (tend_context_get_search_progress (context) >= 0)
    (*shown)++;
}

static gboolean
search_ready (gpointer data)
{
  TendContext *context = data;

  return tend_context_get_search_progress (context) < 0 &&
         tend_store_search_backlog (tend_context_get_store (context)) == 0;
}

/* A first sync of more than a page leaves the search index to be built
 * after the records: the app builds it in the background, says so on the
 * clients page meanwhile, and then finds clients by e-mail again. */
static void
test_search_after_first_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(TendStore) other = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GArray) hits = NULL;
  TendContext *context;
  TendWindow *window;
  TendSetupPage *setup;
  TendStore *store;
  PageWait wait;
  guint shown = 0;
  guint bulk = 1100;

  other = other_store (dir, &client_id);
  g_assert_true (tend_store_begin (other, &error));
  /* More with TEND_TEST_BULK=N, for a screenshot while the index builds. */
  if (g_getenv ("TEND_TEST_BULK") != NULL)
    bulk = MAX (bulk, (guint) g_ascii_strtoull (g_getenv ("TEND_TEST_BULK"), NULL, 10));
  for (guint i = 0; i < bulk; i++)
    {
      g_autofree char *family = g_strdup_printf ("Bulk%04u", i);
      g_autofree char *email = g_strdup_printf ("bulk%04u@example.org", i);
      g_autoptr(TendClient) c = tend_client_new ("Pat", family);

      tend_record_set_string (TEND_RECORD (c), "email", email);
      g_assert_true (tend_store_save (other, TEND_RECORD (c), &error));
    }
  g_assert_true (tend_store_commit (other, &error));
  g_assert_true (tend_sync_engine_run (g_object_get_data (G_OBJECT (other), "engine"), NULL, NULL, &error));
  g_assert_no_error (error);

  setup = open_first_run (path, settings, &context, &window);
  g_signal_connect (context, "notify::search-progress", G_CALLBACK (on_search_progress_cb), &shown);
  tend_setup_page_fill_connect (setup, server->base, OWNER, PASSWORD);
  tend_setup_page_connect (setup);
  wait = (PageWait) { window, "main" };
  spin_until (page_is, &wait, 60000);
  store = tend_context_get_store (context);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), >=, bulk + 1);
  if (tend_context_get_search_progress (context) >= 0)
    gui_test_screenshot (GTK_WIDGET (window), "sync-search-building");

  spin_until (search_ready, context, 60000);
  g_assert_cmpuint (shown, >, 0);          /* the build ran in the background */
  hits = tend_store_search_clients (store, "bulk0123@example", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);

  close_window (context, window, path);
}

static gint64
invitations_to (const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox o JOIN portal_account a ON lower (a.email) = lower (o.recipient)"
                                          " WHERE o.kind = 'portal-invite' AND o.recipient = '%s'", email);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static gboolean
invited (gpointer data)
{
  return invitations_to (data) > 0;
}

static GtkWidget *find_with_data (GtkWidget  *root,
                                  const char *key);
static GtkWidget *find_named (GtkWidget  *root,
                              const char *name);
static gboolean   share_target (GtkWidget *button);

/* The chart's Overview, connected to the server: Invite to Portal makes
 * the client's portal account and queues the invitation e-mail. */
static void
test_invite_to_portal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(TendStore) other = NULL;
  g_autofree char *client_id = NULL;
  TendContext *context;
  TendWindow *window;
  TendClientsPage *clients;
  TendChartPage *chart;
  GtkWidget *button;

  other = other_store (dir, &client_id);
  {
    g_autoptr(TendRecord) client = tend_store_load (other, TEND_TYPE_CLIENT, client_id, &error);

    tend_record_set_string (client, "email", "ana.ruiz@mail.example");
    g_assert_true (tend_store_save (other, client, &error));
    g_assert_true (tend_sync_engine_run (g_object_get_data (G_OBJECT (other), "engine"), NULL, NULL, &error));
    g_assert_no_error (error);
  }
  connect_as_owner (path, settings, &context, &window);

  clients = find_widget (GTK_WIDGET (window), TEND_TYPE_CLIENTS_PAGE);
  g_assert_nonnull (clients);
  g_assert_true (tend_clients_page_open_chart (clients, client_id));
  chart = tend_clients_page_get_chart_page (clients);
  button = find_named (GTK_WIDGET (chart), "invite-button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  gui_test_screenshot (GTK_WIDGET (window), "chart-invite-to-portal");
  g_assert_cmpint (invitations_to ("ana.ruiz@mail.example"), ==, 0);
  gtk_widget_activate (button);
  spin_until (invited, "ana.ruiz@mail.example", 20000);
  g_assert_cmpint (invitations_to ("ana.ruiz@mail.example"), ==, 1);

  close_window (context, window, path);
}

/* The portal as a client's browser reaches it: the session cookie and the
 * CSRF token it was given. */
typedef struct
{
  SoupSession *session;
  char        *cookie;
  char        *csrf;
} PortalClient;

static JsonNode *
portal_call (PortalClient *c,
             const char   *method,
             const char   *path,
             const char   *body,
             guint         expected)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  const char *set_cookie;
  g_autofree char *text = NULL;

  if (c->cookie != NULL)
    soup_message_headers_replace (headers, "Cookie", c->cookie);
  if (c->csrf != NULL)
    soup_message_headers_replace (headers, "X-CSRF-Token", c->csrf);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (c->session, msg, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (soup_message_get_status (msg) != expected)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected, soup_message_get_status (msg), text);
  set_cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
  if (set_cookie != NULL)
    {
      g_free (c->cookie);
      c->cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));
    }
  if (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL) ?: "",
                        "application/json"))
    return json_from_string (text, NULL);
  return NULL;
}

/* Signs in as the client's portal account with a code put in place as the
 * server keeps it (hashed), as if read from the e-mail. */
static void
portal_sign_in (PortalClient *c,
                const char   *client_id,
                const char   *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM portal_account WHERE client_id = '%s'", client_id);
  PGresult *res = test_pg_exec (pg, sql);
  g_autofree char *account = NULL;
  g_autofree char *insert = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpint (PQntuples (res), ==, 1);
  account = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  insert = g_strdup_printf ("INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                            " VALUES ('%s', 'code', sha256 (convert_to ('%s:424242', 'UTF8')), now () + interval '10 minutes')",
                            account, account);
  PQclear (test_pg_exec (pg, insert));
  c->session = soup_session_new ();
  body = g_strdup_printf ("{\"email\":\"%s\",\"code\":\"424242\"}", email);
  answer = portal_call (c, "POST", "/v1/portal/signin/verify", body, 200);
  c->csrf = g_strdup (test_json_string (answer, "csrf"));
  g_assert_nonnull (c->cookie);
  g_assert_nonnull (c->csrf);
}

static void
portal_client_clear (PortalClient *c)
{
  g_clear_object (&c->session);
  g_clear_pointer (&c->cookie, g_free);
  g_clear_pointer (&c->csrf, g_free);
}

/* The portal form in @list with @id, or NULL. */
static JsonObject *
find_by_id (JsonNode   *answer,
            const char *member,
            const char *id)
{
  JsonArray *list = json_node_get_array (test_json_get (answer, member));

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0)
        return o;
    }
  return NULL;
}

typedef struct { TendStore *store; const char *client_id; guint completed; } FormsWait;

static gboolean
forms_completed (gpointer data)
{
  FormsWait *w = data;
  g_autoptr(GPtrArray) forms = tend_chart_list_portal_forms (w->store, w->client_id, NULL);
  guint n = 0;

  for (guint i = 0; forms != NULL && i < forms->len; i++)
    n += g_strcmp0 (tend_record_get_string (g_ptr_array_index (forms, i), "status"), "completed") == 0;
  return n >= w->completed;
}

static gboolean
server_has_version_spin (const char *id,
                         gint64      version)
{
  VersionWait v = { id, version };

  spin_until (server_has_version, &v, 20000);
  return server_version (id) >= version;
}

/* Whether a label under @root shows @text. */
static gboolean
has_label_containing (GtkWidget  *root,
                      const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label_containing (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
find_review_button (gpointer data)
{
  return find_with_data (data, "review-button") != NULL;
}

static gboolean
none_waiting (gpointer data)
{
  return tend_portal_forms_get_n_waiting (data) == 0;
}

/* Scrolls the chart's page to show @widget (at the end of the Overview). */
static void
scroll_to_end_of (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;

  spin_for (200);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
}

static TendPortalForms *
chart_forms (TendClientsPage *clients,
             const char      *client_id)
{
  g_assert_true (tend_clients_page_open_chart (clients, client_id));
  return find_widget (GTK_WIDGET (tend_clients_page_get_chart_page (clients)), TEND_TYPE_PORTAL_FORMS);
}

/* The chart's Portal Forms, connected to the server: a consent (its text
 * reviewed and edited) and a questionnaire sent from the dialogs reach the
 * server; the client signs and answers them in the portal; the next sync
 * brings back the completed forms, the scored measure and the signed PDF;
 * Share with Client and Stop Sharing decide whether the portal serves a
 * document; a waiting form is withdrawn after asking. */
static void
test_portal_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(TendStore) other = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *consent_id = NULL;
  g_autofree char *auditc_id = NULL;
  g_autofree char *doc_id = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  PortalClient portal = { 0 };
  TendContext *context;
  TendWindow *window;
  TendClientsPage *clients;
  TendChartPage *chart;
  TendPortalForms *group;
  TendStore *store;
  GtkWidget *dialog, *button;
  GtkTextBuffer *buffer;
  GtkTextIter end;

  other = other_store (dir, &client_id);
  {
    g_autoptr(TendRecord) client = tend_store_load (other, TEND_TYPE_CLIENT, client_id, &error);
    TendSyncEngine *engine = g_object_get_data (G_OBJECT (other), "engine");

    tend_record_set_string (client, "email", "forms.client@mail.example");
    g_assert_true (tend_store_save (other, client, &error));
    g_assert_true (tend_sync_engine_run (engine, NULL, NULL, &error));
    g_assert_true (tend_sync_engine_invite_to_portal (engine, client_id, "forms.client@mail.example", "en", NULL, &error));
    g_assert_no_error (error);
  }
  connect_as_owner (path, settings, &context, &window);
  store = tend_context_get_store (context);
  clients = find_widget (GTK_WIDGET (window), TEND_TYPE_CLIENTS_PAGE);
  group = chart_forms (clients, client_id);
  chart = tend_clients_page_get_chart_page (clients);
  g_assert_nonnull (group);
  g_assert_cmpuint (tend_portal_forms_get_n_forms (group), ==, 0);
  g_assert_true (gtk_widget_get_visible (find_with_data (GTK_WIDGET (group), "send-consent-button")));
  g_assert_true (gtk_widget_get_visible (find_with_data (GTK_WIDGET (group), "assign-questionnaire-button")));

  /* A consent to telehealth: the default text in the person's language,
   * edited before sending; the record holds exactly what was shown. */
  dialog = tend_portal_forms_send_consent (group);
  adw_combo_row_set_selected (find_widget (dialog, ADW_TYPE_COMBO_ROW), 1);
  buffer = gtk_text_view_get_buffer (find_widget (dialog, GTK_TYPE_TEXT_VIEW));
  {
    GtkTextIter start;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    expected = tend_portal_forms_dup_default_consent ("telehealth", "Riverbend Counseling", NULL);
    g_assert_cmpstr (shown, ==, expected);
  }
  gui_test_screenshot (dialog, "portal-send-consent");
  gtk_text_buffer_insert (buffer, &end, "\nSessions are 50 minutes & start on time.", -1);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  g_assert_cmpuint (tend_portal_forms_get_n_forms (group), ==, 1);

  /* The AUDIT-C, whose answers differ from item to item. */
  dialog = tend_portal_forms_assign_questionnaire (group);
  gtk_check_button_set_active (g_ptr_array_index ((GPtrArray *) g_object_get_data (G_OBJECT (dialog), "checks"),
                                                  TEND_INSTRUMENT_AUDITC), TRUE);
  gui_test_screenshot (dialog, "portal-assign-questionnaire");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "assign");
  g_assert_cmpuint (tend_portal_forms_get_n_forms (group), ==, 2);
  g_assert_cmpuint (tend_portal_forms_get_n_waiting (group), ==, 2);
  scroll_to_end_of (GTK_WIDGET (group));
  gui_test_screenshot (GTK_WIDGET (window), "chart-portal-forms");
  g_assert_false (has_label_containing (GTK_WIDGET (chart), "Signed in the portal on"));

  forms = tend_chart_list_portal_forms (store, client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forms->len, ==, 2);
  for (guint i = 0; i < forms->len; i++)
    {
      TendRecord *f = g_ptr_array_index (forms, i);

      g_assert_cmpstr (tend_record_get_string (f, "status"), ==, "pending");
      g_assert_cmpstr (tend_record_get_string (f, "assigned_by"), ==, tend_store_get_actor_id (store));
      if (g_strcmp0 (tend_record_get_string (f, "kind"), "consent") == 0)
        {
          g_autofree char *edited = g_strconcat (expected, "\nSessions are 50 minutes & start on time.", NULL);

          consent_id = g_strdup (tend_record_get_id (f));
          g_assert_cmpstr (tend_record_get_string (f, "consent"), ==, "telehealth");
          g_assert_cmpstr (tend_record_get_string (f, "text"), ==, edited);
        }
      else
        {
          auditc_id = g_strdup (tend_record_get_id (f));
          g_assert_cmpstr (tend_record_get_string (f, "instrument"), ==, "auditc");
        }
    }
  g_assert_nonnull (consent_id);
  g_assert_nonnull (auditc_id);
  g_assert_true (server_has_version_spin (consent_id, 1));
  g_assert_true (server_has_version_spin (auditc_id, 1));

  /* The client, in the portal. */
  portal_sign_in (&portal, client_id, "forms.client@mail.example");
  {
    g_autoptr(JsonNode) list = portal_call (&portal, "GET", "/v1/portal/forms", NULL, 200);
    JsonObject *consent = find_by_id (list, "forms", consent_id);
    JsonObject *auditc = find_by_id (list, "forms", auditc_id);
    JsonArray *per_item;
    g_autofree char *sign = NULL;
    g_autofree char *sign_path = g_strdup_printf ("/v1/portal/forms/%s/sign", consent_id);
    g_autofree char *answer_path = g_strdup_printf ("/v1/portal/forms/%s/answers", auditc_id);
    g_autoptr(JsonNode) signed_form = NULL;
    g_autoptr(JsonNode) answered = NULL;

    g_assert_nonnull (consent);
    g_assert_nonnull (auditc);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (consent, "text"), "& start on time."));
    per_item = json_object_get_array_member (auditc, "item_options");
    g_assert_cmpuint (json_array_get_length (per_item), ==, tend_instrument_get_n_items (TEND_INSTRUMENT_AUDITC));
    for (guint i = 0; i < json_array_get_length (per_item); i++)
      g_assert_cmpuint (json_array_get_length (json_array_get_array_element (per_item, i)), ==,
                        tend_instrument_get_n_options (TEND_INSTRUMENT_AUDITC, i));
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (per_item, 1), 0), ==,
                     tend_instrument_get_option (TEND_INSTRUMENT_AUDITC, 1, 0));
    sign = g_strdup_printf ("{\"name\":\"Ana Ruiz\",\"text_sha256\":\"%s\"}",
                            json_object_get_string_member (consent, "text_sha256"));
    signed_form = portal_call (&portal, "POST", sign_path, sign, 200);
    answered = portal_call (&portal, "POST", answer_path, "{\"answers\":[1,2,0]}", 200);
  }

  /* Back in the chart at the next sync. */
  {
    FormsWait w = { store, client_id, 2 };
    g_autoptr(GPtrArray) measures = NULL;
    g_autoptr(GPtrArray) docs = NULL;

    tend_sync_controller_sync_now (tend_context_get_sync (context));
    spin_until (forms_completed, &w, 20000);
    g_assert_true (forms_completed (&w));
    measures = tend_chart_list_measures (store, client_id, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (measures->len, ==, 1);
    g_assert_cmpint (tend_measure_get_instrument (g_ptr_array_index (measures, 0)), ==, TEND_INSTRUMENT_AUDITC);
    g_assert_cmpuint (tend_measure_get_score (g_ptr_array_index (measures, 0)), ==, 3);
    docs = tend_chart_list_documents (store, client_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (docs->len, ==, 1);
    g_assert_cmpstr (tend_document_get_mime_type (g_ptr_array_index (docs, 0)), ==, "application/pdf");
    g_assert_cmpint (tend_record_get_int (g_ptr_array_index (docs, 0), "shared_with_client"), ==, 1);
    doc_id = g_strdup (tend_record_get_id (g_ptr_array_index (docs, 0)));
  }
  /* The open chart shows them completed without being opened again, and
   * the consent signed in Contacts (a tab reads when it is shown). */
  spin_until (none_waiting, group, 10000);
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (chart), "contacts");
  spin_for (50);
  g_assert_true (has_label_containing (GTK_WIDGET (chart), "Signed in the portal on"));
  g_assert_true (has_label_containing (GTK_WIDGET (chart), "as “Ana Ruiz”"));
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (chart), "overview");
  spin_for (50);
  g_assert_cmpuint (tend_portal_forms_get_n_waiting (group), ==, 0);
  g_assert_cmpuint (tend_portal_forms_get_n_forms (group), ==, 2);
  scroll_to_end_of (GTK_WIDGET (group));
  gui_test_screenshot (GTK_WIDGET (window), "chart-portal-forms-completed");

  /* Stop sharing the signed consent: the portal no longer serves it; share
   * it again: it does. */
  {
    g_autofree char *download = g_strdup_printf ("/v1/portal/documents/%s/download", doc_id);
    g_autoptr(JsonNode) listed = NULL;
    g_autoptr(JsonNode) refused = NULL;
    g_autoptr(JsonNode) again = NULL;
    g_autoptr(TendRecord) doc = NULL;
    gint64 version = server_version (doc_id);

    adw_view_stack_set_visible_child_name (tend_chart_page_get_views (chart), "documents");
    button = find_named (GTK_WIDGET (chart), "share-button");
    g_assert_nonnull (button);
    g_assert_false (share_target (button));
    gui_test_screenshot (GTK_WIDGET (window), "chart-documents-shared");
    g_signal_emit_by_name (button, "clicked");
    doc = tend_store_load (store, TEND_TYPE_DOCUMENT, doc_id, &error);
    g_assert_cmpint (tend_record_get_int (doc, "shared_with_client"), ==, 0);
    g_assert_true (server_has_version_spin (doc_id, version + 1));
    listed = portal_call (&portal, "GET", "/v1/portal/documents", NULL, 200);
    g_assert_null (find_by_id (listed, "documents", doc_id));
    refused = portal_call (&portal, "GET", download, NULL, 404);

    button = find_named (GTK_WIDGET (chart), "share-button");
    g_assert_true (share_target (button));
    g_signal_emit_by_name (button, "clicked");
    g_assert_true (server_has_version_spin (doc_id, version + 2));
    again = portal_call (&portal, "GET", "/v1/portal/documents", NULL, 200);
    g_assert_nonnull (find_by_id (again, "documents", doc_id));
    g_clear_pointer (&again, json_node_unref);
    again = portal_call (&portal, "GET", download, NULL, 200);
    adw_view_stack_set_visible_child_name (tend_chart_page_get_views (chart), "overview");
  }

  /* A waiting consent withdrawn, after asking: the client no longer sees it. */
  {
    g_autoptr(GPtrArray) now = NULL;
    g_autoptr(JsonNode) list = NULL;
    g_autofree char *id = NULL;
    g_autoptr(TendRecord) withdrawn = NULL;

    dialog = tend_portal_forms_send_consent (group);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
    now = tend_chart_list_portal_forms (store, client_id, &error);
    g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (now, 0), "status"), ==, "pending");
    g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (now, 0), "consent"), ==, "treatment");
    id = g_strdup (tend_record_get_id (g_ptr_array_index (now, 0)));
    g_assert_true (server_has_version_spin (id, 1));
    scroll_to_end_of (GTK_WIDGET (group));
  gui_test_screenshot (GTK_WIDGET (window), "chart-portal-forms-pending");
    dialog = tend_portal_forms_withdraw (group, id);
    gui_test_screenshot (dialog, "portal-withdraw-form");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "withdraw");
    withdrawn = tend_store_load (store, TEND_TYPE_PORTAL_FORM, id, &error);
    g_assert_cmpstr (tend_record_get_string (withdrawn, "status"), ==, "withdrawn");
    g_assert_true (server_has_version_spin (id, 2));
    list = portal_call (&portal, "GET", "/v1/portal/forms", NULL, 200);
    g_assert_null (find_by_id (list, "forms", id));
  }

  /* An intake form: sent, filled in by the client in the portal, reviewed
   * into the client record (the detail left unticked stays out); its
   * insurance details become a policy the reviewer confirms, with the
   * practice's payer of that name. */
  {
    g_autoptr(GPtrArray) now = NULL;
    g_autoptr(TendRecord) client = NULL;
    g_autoptr(TendRecord) reviewed = NULL;
    g_autofree char *id = NULL;
    g_autofree char *details_path = NULL;
    g_autoptr(JsonNode) filled = NULL;
    FormsWait w = { store, client_id, 3 };
    GPtrArray *checks;
    g_autoptr(TendPayer) payer = tend_payer_new ("Blue Shield", "BS001", "BL");
    g_autofree char *policy_id = NULL;
    g_autoptr(TendRecord) policy = NULL;
    TendPolicyWindow *policies = NULL;

    button = find_with_data (GTK_WIDGET (group), "send-intake-button");
    g_assert_true (gtk_widget_get_visible (button));
    g_signal_emit_by_name (button, "clicked");
    now = tend_chart_list_portal_forms (store, client_id, &error);
    g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (now, 0), "kind"), ==, "intake");
    id = g_strdup (tend_record_get_id (g_ptr_array_index (now, 0)));
    g_assert_true (server_has_version_spin (id, 1));
    details_path = g_strdup_printf ("/v1/portal/forms/%s/details", id);
    filled = portal_call (&portal, "POST", details_path,
                          "{\"details\":{\"phone_mobile\":\"+1 512 555 0100\",\"address.city\":\"Austin\","
                          "\"pronouns\":\"she/her\",\"insurance.payer\":\"blue shield\","
                          "\"insurance.member_number\":\"BS-77\"}}", 200);
    tend_sync_controller_sync_now (tend_context_get_sync (context));
    spin_until (forms_completed, &w, 20000);
    g_assert_true (forms_completed (&w));
    spin_until (find_review_button, group, 10000);
    button = find_with_data (GTK_WIDGET (group), "review-button");
    g_assert_nonnull (button);
    scroll_to_end_of (GTK_WIDGET (group));
    gui_test_screenshot (GTK_WIDGET (window), "chart-portal-forms-intake");

    g_assert_true (tend_store_save (store, TEND_RECORD (payer), &error));
    dialog = tend_portal_forms_review (group, id);
    checks = g_object_get_data (G_OBJECT (dialog), "checks");
    /* In the order the form asks: pronouns, mobile, city; the insurance is
     * not the client record's.  Keep the city out. */
    g_assert_cmpuint (checks->len, ==, 3);
    gui_test_screenshot (dialog, "portal-review-intake");
    g_assert_cmpstr (g_object_get_data (G_OBJECT (g_ptr_array_index (checks, 2)), "member"), ==, "address.city");
    gtk_check_button_set_active (g_ptr_array_index (checks, 2), FALSE);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
    client = tend_store_load (store, TEND_TYPE_CLIENT, client_id, &error);
    g_assert_cmpstr (tend_record_get_string (client, "phone_mobile"), ==, "+1 512 555 0100");
    g_assert_null (tend_record_get_string (client, "address.city"));
    g_assert_cmpstr (tend_record_get_string (client, "pronouns"), ==, "she/her");
    g_assert_null (tend_record_get_string (client, "insurance.payer"));
    /* The owner may write policies: the policy the insurance becomes is
     * open, its payer matched by name, for them to check and save. */
    {
      g_autoptr(GList) tops = gtk_window_list_toplevels ();

      for (GList *l = tops; l != NULL; l = l->next)
        if (TEND_IS_POLICY_WINDOW (l->data))
          policies = l->data;
    }
    g_assert_nonnull (policies);
    spin_for (200);
    gui_test_screenshot (GTK_WIDGET (policies), "intake-insurance-policy");
    g_assert_true (tend_policy_window_save (policies, &error));
    g_assert_no_error (error);
    policy_id = tend_record_derive_id ("tend-policy", id, "intake-insurance");
    policy = tend_store_load (store, TEND_TYPE_POLICY, policy_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tend_record_get_string (policy, "payer_id"), ==, tend_record_get_id (TEND_RECORD (payer)));
    g_assert_cmpstr (tend_record_get_string (policy, "member_id"), ==, "BS-77");
    g_assert_cmpstr (tend_record_get_string (policy, "client_id"), ==, client_id);
    gtk_window_destroy (GTK_WINDOW (policies));
    /* The server took it from the owner. */
    tend_sync_controller_sync_now (tend_context_get_sync (context));
    g_assert_true (server_has_version_spin (policy_id, 1));
    reviewed = tend_store_load (store, TEND_TYPE_PORTAL_FORM, id, &error);
    g_assert_cmpstr (tend_record_get_string (reviewed, "reviewed_by"), ==, tend_store_get_actor_id (store));
    g_assert_null (find_with_data (GTK_WIDGET (group), "review-button"));
    g_assert_true (server_has_version_spin (id, 3));
    g_assert_true (server_has_version_spin (client_id, 3));
  }

  /* At a phone's width. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  spin_for (400);
  scroll_to_end_of (GTK_WIDGET (group));
  gui_test_screenshot (GTK_WIDGET (window), "chart-portal-forms-360");
  dialog = tend_portal_forms_send_consent (group);
  adw_combo_row_set_selected (find_widget (dialog, ADW_TYPE_COMBO_ROW), 2);
  gtk_editable_set_text (GTK_EDITABLE (find_with_data (dialog, "party-row")), "Dr. Lee, family physician");
  gui_test_screenshot (dialog, "portal-send-consent-360");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  dialog = tend_portal_forms_assign_questionnaire (group);
  gui_test_screenshot (dialog, "portal-assign-questionnaire-360");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (chart), "documents");
  gui_test_screenshot (GTK_WIDGET (window), "chart-documents-360");

  portal_client_clear (&portal);
  close_window (context, window, path);
}

static gint64
video_invites_to (const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox WHERE kind = 'video-invite' AND recipient = '%s'",
                                          email);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static gboolean
invite_busy (gpointer data)
{
  const char *status = tend_call_view_get_invite_status (data);

  return status != NULL && g_str_has_suffix (status, "…");
}

static gboolean
invite_settled (gpointer data)
{
  const char *status = tend_call_view_get_invite_status (data);

  return status != NULL && !g_str_has_suffix (status, "…");
}

/* Clicks a join link button and waits for the answer; returns the status. */
static const char *
invite_and_wait (TendCallView *view,
                 gboolean      email)
{
  tend_call_view_activate_invite (view, email);
  spin_until (invite_busy, view, 5000);
  g_assert_true (invite_busy (view));
  spin_until (invite_settled, view, 20000);
  g_assert_true (invite_settled (view));
  return tend_call_view_get_invite_status (view);
}

static gboolean
session_on_server (gpointer data)
{
  return server_version (data) > 0;
}

/* The text on the clipboard, set by this process. */
static char *
clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  GValue value = G_VALUE_INIT;
  char *text = NULL;

  g_value_init (&value, G_TYPE_STRING);
  if (content != NULL && gdk_content_provider_get_value (content, &value, NULL))
    text = g_value_dup_string (&value);
  g_value_unset (&value);
  return text;
}

/* A telehealth session started from Tend: the host copies the client's
 * join link (the server's, for this session) and e-mails it to the
 * address on file; a client without one is told so plainly. */
static void
test_video_join_link (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(TendStore) other = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, 30);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 80);
  g_autoptr(TendAppointment) appointment = NULL;
  g_autoptr(TendCallController) controller = NULL;
  g_autoptr(TendCall) call = NULL;
  TendCallView *view;
  GtkWidget *call_window;
  TendContext *context;
  TendWindow *window;
  TendStore *store;

  g_assert_true (tend_media_init (&error));
  other = other_store (dir, &client_id);
  connect_as_owner (path, settings, &context, &window);

  store = tend_context_get_store (context);
  appointment = tend_appointment_new (tend_store_get_actor_id (store), start, end);
  tend_record_set_string (TEND_RECORD (appointment), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (appointment), "modality", "telehealth");
  g_assert_true (tend_store_save (store, TEND_RECORD (appointment), &error));
  g_assert_no_error (error);

  call = tend_call_new ();
  tend_call_set_video_source (call, "videotestsrc is-live=true");
  tend_call_set_audio_source (call, "audiotestsrc is-live=true");
  tend_call_set_audio_sink (call, "fakesink sync=false");
  tend_call_set_video_size (call, 320, 240, 15);
  controller = tend_call_controller_start_with_call (context, appointment, call, &error);
  g_assert_no_error (error);
  view = TEND_CALL_VIEW (tend_call_controller_get_view (controller));
  call_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (call_window), 400, 700);
  gtk_window_set_child (GTK_WINDOW (call_window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (call_window));
  spin_until (session_on_server, (gpointer) tend_record_get_id (TEND_RECORD (tend_call_controller_get_session (controller))),
              30000);

  /* Copied: the server's link for this session, with how long it lasts. */
  g_assert_true (g_str_has_prefix (invite_and_wait (view, FALSE), "Copied"));
  copied = clipboard_text (GTK_WIDGET (view));
  prefix = g_strconcat (server->base, "/video/join/", NULL);
  g_assert_nonnull (copied);
  g_assert_true (g_str_has_prefix (copied, prefix));

  /* No address on file: said plainly, nothing sent. */
  g_assert_nonnull (strstr (invite_and_wait (view, TRUE), "no e-mail address"));
  g_assert_cmpint (video_invites_to ("ana.ruiz@mail.example"), ==, 0);

  /* With one: e-mailed by the server. */
  other_edit (other, client_id, "email", "ana.ruiz@mail.example");
  g_assert_true (g_str_has_prefix (invite_and_wait (view, TRUE), "E-mailed"));
  g_assert_cmpint (video_invites_to ("ana.ruiz@mail.example"), ==, 1);
  gui_test_screenshot (call_window, "call-join-link");

  gtk_window_destroy (GTK_WINDOW (call_window));
  tend_call_controller_hang_up (controller);
  g_clear_object (&controller);
  close_window (context, window, path);
}

/* The widget under @root that carries @key's data, or NULL. */
static GtkWidget *
find_with_data (GtkWidget  *root,
                const char *key)
{
  if (g_object_get_data (G_OBJECT (root), key) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_data (child, key);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The widget named @name (gtk_widget_set_name ()) under @root. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether a document's Share button shares (TRUE) or stops sharing: its
 * action's target, ("id", share). */
static gboolean
share_target (GtkWidget *button)
{
  GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  const char *id = NULL;
  gboolean share = FALSE;

  g_assert_nonnull (target);
  g_variant_get (target, "(&sb)", &id, &share);
  return share;
}

typedef struct { GtkWidget *group; const char *prefix; } StatusWait;

static gboolean
status_is (gpointer data)
{
  StatusWait *w = data;

  return g_str_has_prefix (tend_totp_group_get_status (w->group), w->prefix);
}

static gboolean
dialog_idle (gpointer data)
{
  return !tend_totp_dialog_is_busy (data);
}

static char *
current_code (const char *secret32,
              int         steps_off)
{
  gsize len = 0;
  g_autofree guint8 *secret = tend_base32_decode (secret32, &len);

  g_assert_nonnull (secret);
  return g_strdup_printf ("%06u", tend_hotp_code (secret, len, (guint64) (g_get_real_time () / G_USEC_PER_SEC / TEND_TOTP_STEP + steps_off),
                                                  TEND_TOTP_DIGITS));
}

/* A clinician turns on two-step verification from Preferences, and off
 * again: a wrong password and a wrong code are said in the dialog, and the
 * server asks for a code at sign-in only while it is on. */
static void
test_two_step (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(JsonNode) added = NULL;
  g_autofree char *key = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong = NULL;
  TendContext *context;
  TendWindow *window;
  TendSetupPage *setup;
  TendTotpDialog *dialog;
  GtkWidget *prefs, *group;
  PageWait wait;
  StatusWait status;

  added = test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "twostep@riverbend.example",
                      "--name", "Tess Twostep", "--role", "clinician", NULL);
  setup = open_first_run (path, settings, &context, &window);
  tend_setup_page_fill_connect (setup, server->base, "twostep@riverbend.example", PASSWORD);
  tend_setup_page_connect (setup);
  wait = (PageWait) { window, "main" };
  spin_until (page_is, &wait, 30000);
  /* Signed in, with the session from the keyring, as when a person opens
   * Preferences some time after starting Tend. */
  spin_until (synced_once, tend_context_get_sync (context), 20000);

  prefs = GTK_WIDGET (tend_preferences_window_new (context));
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (prefs));
  group = find_with_data (prefs, "tend-totp-group");
  g_assert_nonnull (group);
  status = (StatusWait) { group, "Off" };
  spin_until (status_is, &status, 20000);
  g_assert_true (status_is (&status));

  /* On: the password again, then the key and a code from it. */
  tend_totp_group_activate (group);
  dialog = tend_totp_group_get_dialog (group);
  g_assert_nonnull (dialog);
  tend_totp_dialog_fill (dialog, "not the password", NULL);
  tend_totp_dialog_submit (dialog);
  spin_until (dialog_idle, dialog, 20000);
  g_assert_cmpstr (tend_totp_dialog_get_message (dialog), ==, "The password is not correct.");
  g_assert_null (tend_totp_dialog_dup_key (dialog));
  tend_totp_dialog_fill (dialog, PASSWORD, NULL);
  tend_totp_dialog_submit (dialog);
  spin_until (dialog_idle, dialog, 20000);
  key = tend_totp_dialog_dup_key (dialog);
  g_assert_nonnull (key);
  g_assert_cmpuint (strlen (key), ==, 32);
  gui_test_screenshot (GTK_WIDGET (dialog), "sync-two-step-key");
  wrong = current_code (key, 6);
  tend_totp_dialog_fill (dialog, NULL, "12345");
  tend_totp_dialog_submit (dialog);
  g_assert_nonnull (strstr (tend_totp_dialog_get_message (dialog), "six digits"));
  tend_totp_dialog_fill (dialog, NULL, wrong);
  tend_totp_dialog_submit (dialog);
  spin_until (dialog_idle, dialog, 20000);
  g_assert_nonnull (strstr (tend_totp_dialog_get_message (dialog), "not correct"));
  code = current_code (key, 0);
  tend_totp_dialog_fill (dialog, NULL, code);
  tend_totp_dialog_submit (dialog);
  status.prefix = "On";
  spin_until (status_is, &status, 20000);
  g_assert_true (status_is (&status));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "account");
  gui_test_screenshot (prefs, "sync-prefs-account");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* Signing in now asks for the code. */
  {
    g_autoptr(TendStore) scratch = NULL;
    g_autoptr(TendSyncEngine) engine = NULL;
    g_autofree char *scratch_path = g_build_filename (dir, "scratch.db", NULL);
    g_autoptr(GBytes) scratch_key = tend_keyring_generate_key ();

    scratch = tend_store_open (scratch_path, scratch_key, TEND_STORE_OPEN_CREATE, &error);
    g_assert_no_error (error);
    engine = tend_sync_engine_new (scratch, server->base);
    g_assert_false (tend_sync_engine_login (engine, "twostep@riverbend.example", PASSWORD, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    /* The code that turned it on is spent (a code works once): the next
     * step's code signs in. */
    g_assert_false (tend_sync_engine_login (engine, "twostep@riverbend.example", PASSWORD, code, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_free (code);
    code = current_code (key, 1);
    g_assert_true (tend_sync_engine_login (engine, "twostep@riverbend.example", PASSWORD, code, NULL, &error));
    g_assert_no_error (error);
  }
  /* As if a minute had passed: that code's step is new again. */
  PQclear (test_pg_exec (pg, "UPDATE account SET totp_last_step = totp_last_step - 2"
                             " WHERE email = 'twostep@riverbend.example'"));

  /* Off: the password and a current code. */
  tend_totp_group_activate (group);
  dialog = tend_totp_group_get_dialog (group);
  tend_totp_dialog_fill (dialog, PASSWORD, code);
  tend_totp_dialog_submit (dialog);
  status.prefix = "Off";
  spin_until (status_is, &status, 20000);
  g_assert_true (status_is (&status));

  gtk_window_destroy (GTK_WINDOW (prefs));
  close_window (context, window, path);
}

static gboolean
move_settled (gpointer data)
{
  return !tend_move_window_is_busy (data);
}

static gint64
records_of_type (const char *practice,
                 const char *type)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM record WHERE practice_id = '%s' AND type = '%s'"
                                          " AND NOT deleted", practice, type);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static TendWindow *
find_main_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (TEND_IS_WINDOW (w))
        return TEND_WINDOW (w);
    }
  return NULL;
}

/* The button under @root whose label is @label, or %NULL. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A practice set up on this computer without a server moves to one from
 * Preferences: the window shows the administrator's command with this
 * practice's ids; an account of another practice is refused with nothing
 * sent; the owner's own account sends everything, the window starts again
 * syncing, and the server holds one practice record, this one. */
static void
test_move_to_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-sync-gui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_autoptr(JsonNode) made = NULL;
  g_autofree char *command = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *owner_id = NULL;
  g_autofree char *cole_id = NULL;
  TendContext *context;
  TendWindow *window;
  TendWindow *fresh;
  TendSetupPage *setup;
  TendMoveWindow *move;
  TendStore *store;
  PageWait wait;

  setup = open_first_run (path, settings, &context, &window);
  tend_setup_page_fill (setup, "Harbor Therapy", "America/Chicago", "Mia", "Moss", PASSWORD);
  tend_setup_page_submit (setup);
  wait = (PageWait) { window, "main" };
  spin_until (page_is, &wait, 30000);
  g_assert_null (tend_context_get_sync (context));
  store = tend_context_get_store (context);
  for (int i = 0; i < 12; i++)
    {
      g_autofree char *given = g_strdup_printf ("Harbor%d", i);
      g_autoptr(TendClient) c = tend_client_new (given, "Client");

      g_assert_true (tend_store_save (store, TEND_RECORD (c), &error));
    }
  /* A colleague who had a password on this computer. */
  {
    g_autoptr(TendStaff) cole = tend_staff_new ("Cole", "Diaz", TEND_ROLE_CLINICIAN);

    tend_record_set_string (TEND_RECORD (cole), "email", "cole@harbor.example");
    g_assert_true (tend_store_save (store, TEND_RECORD (cole), &error));
    cole_id = g_strdup (tend_record_get_id (TEND_RECORD (cole)));
  }
  moved = g_strdup (tend_record_get_id (TEND_RECORD (tend_context_get_practice (context))));
  owner_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_context_get_user (context))));

  /* Preferences offers the move to the owner of a practice without a server. */
  {
    TendPreferencesWindow *prefs = tend_preferences_window_new (context);
    GtkWidget *button = find_button (GTK_WIDGET (prefs), "_Move to a Server…");

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_get_visible (button));
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  move = tend_move_window_new (context);
  gtk_window_set_transient_for (GTK_WINDOW (move), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (move));
  tend_move_window_fill (move, server->base, "mia@harbor.example", PASSWORD);
  command = tend_move_window_dup_command (move);
  g_assert_nonnull (strstr (command, moved));
  g_assert_nonnull (strstr (command, owner_id));
  g_assert_nonnull (strstr (command, "--owner-email 'mia@harbor.example'"));
  g_assert_nonnull (strstr (command, "--name 'Harbor Therapy'"));
  gui_test_screenshot (GTK_WIDGET (move), "move-form");

  /* Signed in as another practice's owner: refused, nothing sent. */
  tend_move_window_fill (move, server->base, OWNER, PASSWORD);
  tend_move_window_move (move);
  spin_until (move_settled, move, 30000);
  g_assert_nonnull (tend_move_window_get_error (move));
  g_assert_nonnull (strstr (tend_move_window_get_error (move), "Harbor Therapy"));
  g_assert_null (tend_context_get_sync (context));
  g_assert_null (tend_store_get_meta (store, "server_url"));
  g_assert_cmpint (records_of_type (moved, "client"), ==, 0);
  gui_test_screenshot (GTK_WIDGET (move), "move-refused");

  /* The administrator runs the command shown. */
  made = test_admin (pg, PASSWORD, "create-practice", "--practice", moved, "--staff-id", owner_id,
                     "--name", "Harbor Therapy", "--time-zone", "America/Chicago",
                     "--owner-email", "mia@harbor.example", "--owner-name", "Mia Moss", NULL);
  g_assert_cmpstr (test_json_string (made, "practice_id"), ==, moved);

  tend_move_window_fill (move, server->base, "mia@harbor.example", PASSWORD);
  tend_move_window_move (move);
  spin_until (move_settled, move, 60000);
  g_assert_null (tend_move_window_get_error (move));
  g_assert_true (tend_move_window_is_done (move));
  g_assert_cmpint (records_of_type (moved, "practice"), ==, 1);
  g_assert_cmpint (records_of_type (moved, "staff"), ==, 2);
  g_assert_cmpint (records_of_type (moved, "client"), ==, 12);
  g_assert_nonnull (tend_context_get_sync (context));

  /* The main window started again with the server; the move's window
   * stays over it with its outcome. */
  fresh = find_main_window ();
  g_assert_nonnull (fresh);
  g_assert_true (fresh != window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (move)) == GTK_WINDOW (fresh));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_widget (GTK_WIDGET (fresh), TEND_TYPE_SYNC_STATUS))));
  gui_test_screenshot (GTK_WIDGET (move), "move-done");
  spin_until (synced_once, tend_context_get_sync (context), 30000);
  g_assert_cmpint (tend_sync_controller_get_state (tend_context_get_sync (context)), ==, TEND_SYNC_STATE_IDLE);
  g_assert_cmpuint (tend_store_count_outbox (tend_context_get_store (context)), ==, 0);

  /* The colleague gets a sign-in for their own staff record. */
  {
    TendSyncEngine *engine = tend_sync_controller_get_engine (tend_context_get_sync (context));
    GtkWidget *holder = adw_preferences_window_new ();
    TendPeoplePage *people = TEND_PEOPLE_PAGE (tend_people_page_new (context, engine));
    g_autoptr(TendSyncEngine) newcomer = tend_sync_engine_new (store, server->base);

    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (holder), ADW_PREFERENCES_PAGE (people));
    gtk_window_present (GTK_WINDOW (holder));
    spin_until (page_idle, people, 20000);
    g_assert_cmpstr (tend_people_page_get_message (people), ==, NULL);
    g_assert_cmpuint (tend_people_page_get_n_accounts (people), ==, 1);
    g_assert_cmpuint (tend_people_page_get_n_unlinked (people), ==, 1);
    gui_test_screenshot (holder, "move-people-unlinked");
    g_assert_true (tend_people_page_give_sign_in (people, cole_id, "cole's first password"));
    spin_until (page_idle, people, 20000);
    g_assert_null (strstr (tend_people_page_get_message (people), "rror"));
    g_assert_cmpuint (tend_people_page_get_n_accounts (people), ==, 2);
    g_assert_cmpuint (tend_people_page_get_n_unlinked (people), ==, 0);
    g_assert_true (tend_sync_engine_login (newcomer, "cole@harbor.example", "cole's first password", NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (tend_sync_engine_get_staff_id (newcomer), ==, cole_id);
    g_assert_cmpint (records_of_type (moved, "staff"), ==, 2);
    gtk_window_destroy (GTK_WINDOW (holder));
  }

  gtk_window_destroy (GTK_WINDOW (move));
  close_window (context, fresh, path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonNode) practice = NULL;
  int rc;

  gui_test_init (&argc, &argv);
  adw_init ();
  g_assert_nonnull (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_test_add_func ("/sync-gui/connect", test_connect);
  g_test_add_func ("/sync-gui/move-to-server", test_move_to_server);
  g_test_add_func ("/sync-gui/search-after-first-sync", test_search_after_first_sync);
  g_test_add_func ("/sync-gui/two-step", test_two_step);
  g_test_add_func ("/sync-gui/invite-to-portal", test_invite_to_portal);
  g_test_add_func ("/sync-gui/portal-forms", test_portal_forms);
  g_test_add_func ("/sync-gui/video-join-link", test_video_join_link);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", OWNER,
                         "--owner-name", "Olga Owens", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  server = test_server_start (pg, NULL);
  rc = g_test_run ();
  test_server_stop (server);
  test_pg_stop (pg);
  return rc;
}
