/* bench-push.c: pushes checked by the record policy, in batches of 500
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a throwaway PostgreSQL and a real tend-server (as the server tests
 * do), signs an app store in as the owner, makes N records of each kind in
 * the store, then times the push of each kind on its own (500 operations a
 * request, the engine's default): clients (no record-level rule), draft
 * notes (the author rule and a lookup of the stored record) and the same
 * notes signed (the author's staff record looked up for the co-signature
 * routing, the freeze), and prints operations per second for each.
 *
 *   bench-push [N]     (default 5000)
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include <stdio.h>

#include "bench-util.h"
#include "server-test-util.h"
#include "store-test-util.h"
#include "tend-chart.h"
#include "tend-sync-engine.h"

#define PASSWORD "bench password 1"
#define OWNER    "owner@bench.example"

static TestServer *server;

static void
push_timed (TendSyncEngine *engine,
            const char     *what,
            guint           n)
{
  g_autoptr(GError) error = NULL;
  TendSyncStats stats = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  double s;
  g_autofree char *key = g_strdup_printf ("push_%s_ops_per_s", what);

  if (!tend_sync_engine_run (engine, &stats, NULL, &error))
    g_error ("sync: %s", error->message);
  s = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  if (stats.pushed != n || stats.rejected != 0)
    g_error ("%s: pushed %u, rejected %u of %u", what, stats.pushed, stats.rejected, n);
  printf ("%s: %.0f\n", key, n / s);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  TestPg *pg;
  StoreFixture f;
  TendStore *store;
  TendSyncEngine *engine;
  const char *me;

  g_setenv ("TEND_SERVER_BIN", TEND_SERVER_BIN, FALSE);
  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Bench Practice", "--time-zone",
                         "America/Chicago", "--owner-email", OWNER, "--owner-name", "Owen Bench", NULL);
  server = test_server_start (pg, NULL);
  store_test_setup (&f, NULL);
  store = store_test_open (&f);
  engine = tend_sync_engine_new (store, server->base);
  if (!tend_sync_engine_login (engine, OWNER, PASSWORD, NULL, NULL, &error))
    g_error ("login: %s", error->message);
  if (!tend_sync_engine_run (engine, NULL, NULL, &error))
    g_error ("sync: %s", error->message);
  me = tend_sync_engine_get_staff_id (engine);

  tend_store_begin (store, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *given = g_strdup_printf ("Given%u", i);
      g_autoptr(TendClient) c = tend_client_new (given, "Bench");

      if (!tend_store_save (store, TEND_RECORD (c), &error))
        g_error ("%s", error->message);
      if (client_id == NULL)
        client_id = g_strdup (tend_record_get_id (TEND_RECORD (c)));
    }
  tend_store_commit (store, NULL);
  push_timed (engine, "clients", n);

  tend_store_begin (store, NULL);
  for (guint i = 0; i < n; i++)
    {
      TendClinicalNote *note = tend_clinical_note_new (client_id, me, TEND_NOTE_TEMPLATE_SOAP);

      tend_clinical_note_set_section (note, "subjective", "Slept better this week; fewer worries at work.");
      tend_clinical_note_set_section (note, "plan", "Continue weekly sessions.");
      if (!tend_store_save (store, TEND_RECORD (note), &error))
        g_error ("%s", error->message);
      g_ptr_array_add (notes, note);
    }
  tend_store_commit (store, NULL);
  push_timed (engine, "draft_notes", n);

  tend_store_set_actor (store, me, TEND_ROLE_OWNER);
  tend_store_begin (store, NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *id = tend_record_get_id (g_ptr_array_index (notes, i));
      g_autoptr(TendClinicalNote) signed_note = tend_chart_sign_note (store, id, &error);

      if (signed_note == NULL)
        g_error ("%s", error->message);
    }
  tend_store_commit (store, NULL);
  push_timed (engine, "signed_notes", n);

  g_object_unref (engine);
  g_object_unref (store);
  store_test_teardown (&f, NULL);
  test_server_stop (server);
  test_pg_stop (pg);
  return 0;
}
