/* test-demo.c: tend_demo_generate(), in-process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tend-demo.h"
#include "tend-schedule.h"
#include "tend-store-private.h"

typedef struct
{
  char      *dir;
  TendStore *store;
} Fixture;

static GBytes *
test_key (void)
{
  static const guint8 key[TEND_STORE_KEY_SIZE] = {
    0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
    0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
  };

  return g_bytes_new_static (key, sizeof key);
}

static TendStore *
open_store (Fixture    *f,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = test_key ();
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  TendStore *store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

static void
generate (TendStore *store,
          guint      n_clients,
          guint32    seed)
{
  g_autoptr(GError) error = NULL;
  TendDemoOptions opts;

  tend_demo_options_init (&opts);
  opts.n_clients = n_clients;
  opts.seed = seed;
  g_assert_true (tend_demo_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
generate_with_appointments (TendStore *store,
                            guint      n_clients,
                            guint32    seed,
                            guint      years)
{
  g_autoptr(GError) error = NULL;
  TendDemoOptions opts;

  tend_demo_options_init (&opts);
  opts.n_clients = n_clients;
  opts.seed = seed;
  opts.appointment_years = years;
  g_assert_true (tend_demo_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gint64
query_int (TendStore  *store,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, &error);
  gint64 v;

  g_assert_no_error (error);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: no row", sql);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tend-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = open_store (f, "demo.db");
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static GPtrArray *
list (TendStore *store,
      GType      type)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = tend_store_list (store, type, &error);

  g_assert_no_error (error);
  return all;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  /* g_ptr_array_sort() passes pointers to the elements. */
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static int
compare_rids (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* "id body" of every record of @type, by id: what two stores are compared by. */
static char *
dump (TendStore *store,
      GType      type)
{
  g_autoptr(GPtrArray) all = list (store, type);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < all->len; i++)
    {
      TendRecord *r = g_ptr_array_index (all, i);
      g_autofree char *body = tend_record_to_body_string (r);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s", tend_record_get_id (r), body));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

static void
test_npi (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *npi = tend_demo_make_npi (rand);

      g_assert_cmpuint (strlen (npi), ==, 10);
      g_assert_true (tend_npi_is_valid (npi));
    }
  /* A published example NPI (CMS): the check digit is 3. */
  g_assert_true (tend_npi_is_valid ("1234567893"));
}

static void
test_practice_and_staff (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GPtrArray) rooms = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint roles[TEND_N_ROLES] = { 0 };
  guint supervisees = 0, virtual_rooms = 0;

  generate (f->store, 50, 5);

  practice = tend_store_load_practice (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_practice_get_name (practice), ==, "Riverbend Counseling Collective");
  g_assert_cmpstr (tend_practice_get_time_zone (practice), ==, "America/Chicago");
  g_assert_true (tend_npi_is_valid (tend_record_get_string (TEND_RECORD (practice), "npi")));
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (practice), "address.region"), ==, "WI");
  g_assert_nonnull (tend_record_get_string (TEND_RECORD (practice), "tax_id"));
  g_assert_nonnull (tend_record_get_string (TEND_RECORD (practice), "phone"));

  staff = list (f->store, TEND_TYPE_STAFF);
  g_assert_cmpuint (staff->len, ==, TEND_DEMO_N_CLINICIANS + TEND_DEMO_N_FRONT_DESK + TEND_DEMO_N_BILLERS);
  for (guint i = 0; i < staff->len; i++)
    g_hash_table_insert (by_id, (gpointer) tend_record_get_id (g_ptr_array_index (staff, i)),
                         g_ptr_array_index (staff, i));
  for (guint i = 0; i < staff->len; i++)
    {
      TendStaff *s = g_ptr_array_index (staff, i);
      TendRole role = tend_staff_get_role (s);
      const char *credentials = tend_staff_get_credentials (s);

      roles[role]++;
      if (role == TEND_ROLE_FRONT_DESK || role == TEND_ROLE_BILLER)
        g_assert_null (credentials);
      else
        {
          g_assert_true (g_strv_contains ((const char * const[]) { "LCSW", "LPC", "LMFT", "PsyD", "PhD", NULL },
                                          credentials));
          g_assert_true (tend_npi_is_valid (tend_record_get_string (TEND_RECORD (s), "npi")));
        }
      if (tend_staff_get_supervisor_id (s) != NULL)
        {
          TendStaff *sup = g_hash_table_lookup (by_id, tend_staff_get_supervisor_id (s));

          g_assert_nonnull (sup);
          g_assert_cmpint (tend_staff_get_role (sup), ==, TEND_ROLE_SUPERVISOR);
          supervisees++;
        }
    }
  g_assert_cmpuint (roles[TEND_ROLE_OWNER], ==, 1);
  g_assert_cmpuint (roles[TEND_ROLE_SUPERVISOR], ==, 2);
  g_assert_cmpuint (roles[TEND_ROLE_OWNER] + roles[TEND_ROLE_SUPERVISOR] + roles[TEND_ROLE_CLINICIAN], ==,
                    TEND_DEMO_N_CLINICIANS);
  g_assert_cmpuint (roles[TEND_ROLE_FRONT_DESK], ==, TEND_DEMO_N_FRONT_DESK);
  g_assert_cmpuint (roles[TEND_ROLE_BILLER], ==, TEND_DEMO_N_BILLERS);
  g_assert_cmpuint (supervisees, ==, 1);

  rooms = list (f->store, TEND_TYPE_ROOM);
  g_assert_cmpuint (rooms->len, ==, TEND_DEMO_N_ROOMS);
  for (guint i = 0; i < rooms->len; i++)
    {
      TendRecord *room = g_ptr_array_index (rooms, i);
      gboolean is_virtual = tend_record_get_int (room, "virtual") != 0;

      g_assert_true (g_strv_contains ((const char * const[]) { "Willow", "Birch", "Cedar", "Telehealth", NULL },
                                      tend_room_get_name (TEND_ROOM (room))));
      g_assert_cmpint (is_virtual, ==, g_str_equal (tend_room_get_name (TEND_ROOM (room)), "Telehealth"));
      virtual_rooms += is_virtual;
    }
  g_assert_cmpuint (virtual_rooms, ==, 1);
}

static gboolean
is_record_number (const char *s)
{
  if (s == NULL || strlen (s) != 7 || s[0] != 'R')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
test_clients (Fixture       *f,
              gconstpointer  data)
{
  static const char * const domains[] = {
    "@example.com", "@example.net", "@example.org", "@mail.example.com",
    "@inbox.example.net", "@post.example.org", "@students.example.edu", NULL
  };
  const guint n = 2000;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) clinicians = g_hash_table_new (g_str_hash, g_str_equal);
  guint active = 0, inactive = 0, discharged = 0, preferred = 0, email = 0, ec = 0;
  guint with_diacritics = 0, hyphenated = 0, they = 0, with_phone = 0;
  GDate reference;

  generate (f->store, n, 9);
  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, 1, G_DATE_NOVEMBER, 2026);

  staff = list (f->store, TEND_TYPE_STAFF);
  for (guint i = 0; i < staff->len; i++)
    if (tend_staff_get_credentials (g_ptr_array_index (staff, i)) != NULL)
      g_hash_table_add (clinicians, (gpointer) tend_record_get_id (g_ptr_array_index (staff, i)));
  g_assert_cmpuint (g_hash_table_size (clinicians), ==, TEND_DEMO_N_CLINICIANS);

  clients = list (f->store, TEND_TYPE_CLIENT);
  g_assert_cmpuint (clients->len, ==, n);
  for (guint i = 0; i < clients->len; i++)
    {
      TendClient *c = g_ptr_array_index (clients, i);
      const char *rn = tend_client_get_record_number (c);
      const char *mail = tend_client_get_email (c);
      const char *phone = tend_client_get_phone (c);
      const char *family = tend_client_get_legal_family (c);
      int age = tend_client_get_age (c, &reference);

      g_assert_true (is_record_number (rn));
      g_assert_true (g_hash_table_add (numbers, (gpointer) rn));
      g_assert_cmpint (age, >=, 6);
      g_assert_cmpint (age, <=, 85);
      g_assert_true (g_hash_table_contains (clinicians, tend_client_get_primary_clinician (c)));
      /* Children always have a (home) phone; a few adults have none. */
      if (age < 13)
        g_assert_nonnull (phone);
      if (phone != NULL)
        {
          /* "(608) 555-0142" */
          g_assert_cmpuint (strlen (phone), ==, 14);
          g_assert_true (g_str_has_prefix (phone, "(608) 555-") || g_str_has_prefix (phone, "(414) 555-") ||
                         g_str_has_prefix (phone, "(262) 555-"));
          with_phone++;
        }
      if (mail != NULL)
        {
          gboolean reserved = FALSE;

          for (guint d = 0; domains[d] != NULL; d++)
            reserved |= g_str_has_suffix (mail, domains[d]);
          g_assert_true (reserved);
          g_assert_true (tend_email_is_valid (mail));
          email++;
        }
      if (age < 13)
        g_assert_null (mail);
      if (age < 18)
        g_assert_nonnull (tend_record_get_string (TEND_RECORD (c), "emergency_contact.name"));
      if (tend_record_get_string (TEND_RECORD (c), "emergency_contact.name") != NULL)
        ec++;
      if (tend_client_get_preferred_name (c) != NULL)
        preferred++;
      if (g_strcmp0 (tend_client_get_pronouns (c), "they/them") == 0)
        they++;
      if (strchr (family, '-') != NULL)
        hyphenated++;
      if (!g_str_is_ascii (family) || !g_str_is_ascii (tend_client_get_legal_given (c)))
        with_diacritics++;
      switch (tend_client_get_status (c))
        {
        case TEND_CLIENT_STATUS_ACTIVE: active++; break;
        case TEND_CLIENT_STATUS_INACTIVE: inactive++; break;
        case TEND_CLIENT_STATUS_DISCHARGED: discharged++; break;
        default: g_assert_not_reached ();
        }
    }

  /* The shares asked for, with room for chance. */
  g_assert_cmpuint (active * 100 / n, >=, 65);
  g_assert_cmpuint (active * 100 / n, <=, 75);
  g_assert_cmpuint (inactive * 100 / n, >=, 16);
  g_assert_cmpuint (inactive * 100 / n, <=, 24);
  g_assert_cmpuint (discharged * 100 / n, >=, 7);
  g_assert_cmpuint (discharged * 100 / n, <=, 13);
  g_assert_cmpuint (preferred * 100 / n, >=, 10);
  g_assert_cmpuint (preferred * 100 / n, <=, 20);
  g_assert_cmpuint (email * 100 / n, >=, 80);
  g_assert_cmpuint (email * 100 / n, <=, 90);
  g_assert_cmpuint (ec * 100 / n, >=, 64);
  g_assert_cmpuint (ec * 100 / n, <=, 76);
  g_assert_cmpuint (with_phone * 100 / n, >=, 95);
  g_assert_cmpuint (hyphenated, >, 0);
  g_assert_cmpuint (with_diacritics, >, n / 50);
  g_assert_cmpuint (they, >, 0);
}

static void
test_deterministic (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TendStore) same = open_store (f, "same.db");
  g_autoptr(TendStore) other = open_store (f, "other.db");
  g_autoptr(TendStore) bigger = open_store (f, "bigger.db");
  GType types[] = { TEND_TYPE_PRACTICE, TEND_TYPE_STAFF, TEND_TYPE_ROOM, TEND_TYPE_CLIENT };

  generate (f->store, 300, 7);
  generate (same, 300, 7);
  generate (other, 300, 8);
  generate (bigger, 700, 7);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *a = dump (f->store, types[i]);
      g_autofree char *b = dump (same, types[i]);
      g_autofree char *c = dump (other, types[i]);

      g_assert_cmpstr (a, ==, b);
      g_assert_cmpstr (a, !=, c);
    }

  /* A small demo is the start of a bigger one with the same seed. */
  {
    g_autoptr(GPtrArray) small = list (f->store, TEND_TYPE_CLIENT);

    for (guint i = 0; i < small->len; i++)
      {
        TendRecord *r = g_ptr_array_index (small, i);
        g_autoptr(GError) error = NULL;
        g_autoptr(TendRecord) twin = tend_store_load (bigger, TEND_TYPE_CLIENT, tend_record_get_id (r), &error);
        g_autofree char *body_r = NULL;
        g_autofree char *body_twin = NULL;

        g_assert_no_error (error);
        body_r = tend_record_to_body_string (r);
        body_twin = tend_record_to_body_string (twin);
        g_assert_cmpstr (body_r, ==, body_twin);
      }
  }

  /* The ids are time-ordered (version 7): the clients', in the order they
   * were written, one after the other. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) rids = tend_store_list_client_rids (bigger, &error);
    g_autofree char *prev = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (rids->len, ==, 700);
    /* Listed by name: in the order written, by row id. */
    g_array_sort (rids, compare_rids);
    for (guint i = 0; i < rids->len; i++)
      {
        g_autoptr(TendRecord) r = tend_store_load_by_rid (bigger, TEND_TYPE_CLIENT, g_array_index (rids, gint64, i), &error);
        const char *id;

        g_assert_no_error (error);
        id = tend_record_get_id (r);
        g_assert_cmpint (id[14], ==, '7');
        if (prev != NULL)
          g_assert_cmpstr (prev, <, id);
        g_free (prev);
        prev = g_strdup (id);
      }
  }
}

static void
test_refuses_used_store (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TendDemoOptions opts;

  generate (f->store, 20, 1);
  tend_demo_options_init (&opts);
  opts.n_clients = 20;
  g_assert_false (tend_demo_generate (f->store, &opts, NULL, NULL, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "new store path"));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, 20);
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_PRACTICE, NULL), ==, 1);
}

static void
test_invalid_count (Fixture       *f,
                    gconstpointer  data)
{
  TendDemoOptions opts;

  tend_demo_options_init (&opts);
  g_assert_cmpuint (opts.n_clients, ==, 2000);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      opts.n_clients = i == 0 ? 0 : TEND_DEMO_MAX_CLIENTS + 1;
      g_assert_false (tend_demo_generate (f->store, &opts, NULL, NULL, NULL, &error));
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    }
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_PRACTICE, NULL), ==, 0);
}

typedef struct
{
  GCancellable *cancellable;
  GArray       *calls;
} ProgressData;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  ProgressData *p = user_data;

  g_assert_cmpuint (total, ==, 2500);
  g_array_append_val (p->calls, done);
  if (done >= 2000)
    g_cancellable_cancel (p->cancellable);
}

static void
test_progress_and_cancel (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  ProgressData p = { cancellable, calls };
  TendDemoOptions opts;

  tend_demo_options_init (&opts);
  opts.n_clients = 2500;
  g_assert_false (tend_demo_generate (f->store, &opts, progress_cb, &p, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (calls, guint, 1), ==, 2000);
  /* Committed batches stay. */
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, 2000);
}

/* Cancels at the first report from inside the appointments' transaction
 * (past the clients), or from inside billing's (past every episode: the
 * last n_clients steps of the total are billing's); reports never go back. */
typedef struct
{
  GCancellable *cancellable;
  guint         n_clients;
  gboolean      in_billing;
  guint         last;
  guint         cancelled_at;
} CancelData;

static void
cancel_cb (guint    done,
           guint    total,
           gpointer user_data)
{
  CancelData *c = user_data;

  g_assert_cmpuint (done, >=, c->last);
  g_assert_cmpuint (done, <=, total);
  c->last = done;
  if (c->cancelled_at == 0 && done > c->n_clients &&
      (!c->in_billing || done > total - c->n_clients))
    {
      c->cancelled_at = done;
      g_cancellable_cancel (c->cancellable);
    }
}

/* Cancel inside the transactions of appointments (progress every 256
 * episodes) and of billing (every 32 clients): the open transaction is
 * taken back whole, what was committed before stays. */
static void
test_cancel_while_writing (Fixture       *f,
                           gconstpointer  data)
{
  gboolean in_billing = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TendDemoOptions opts;
  CancelData c = { cancellable, in_billing ? 100 : 300, in_billing, 0, 0 };

  tend_demo_options_init (&opts);
  opts.n_clients = c.n_clients;
  opts.appointment_years = 1;
  g_assert_false (tend_demo_generate (f->store, &opts, cancel_cb, &c, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (c.cancelled_at, >, c.n_clients);
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, c.n_clients);
  if (!in_billing)
    {
      /* The first transaction of appointments was still open. */
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM appointment"), ==, 0);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM series"), ==, 0);
    }
  else
    {
      /* Every appointment committed, with its charge, and the clients
       * with their policies; the billing of the first clients (one
       * transaction: payments, claims) taken back.  The catalogue,
       * written before the clients, stays. */
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM appointment"), >, 1000);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM service"), >, 0);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM charge"), >, 500);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM policy"), >, 0);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM payment"), ==, 0);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM claim"), ==, 0);
    }
  /* Whatever was committed has its outbox entries and audit rows. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit_log WHERE action IN ('create', 'update')"), ==,
                   query_int (f->store, "SELECT count(*) FROM outbox"));
}

static void
kill_cb (guint    done,
         guint    total,
         gpointer user_data)
{
  /* Inside the first transaction of appointments (progress every 256
   * episodes), with the clients committed before it. */
  if (done > GPOINTER_TO_UINT (user_data))
    raise (SIGKILL);
}

/* The demo writes with a rollback journal instead of the WAL: killed in
 * the middle of a transaction, it leaves a hot journal, and the next open
 * rolls the transaction back, puts the WAL back and makes the indexes the
 * demo had set aside; what was committed is whole (outbox, audit chain). */
static void
test_killed_while_writing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = test_key ();
  g_autofree char *path = g_build_filename (f->dir, "killed.db", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autoptr(TendStore) store = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *check = NULL;
  guint n_clients = 300;
  GStatBuf st;
  int status = 0;
  pid_t pid;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      TendStore *child = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, NULL);
      TendDemoOptions opts;

      if (child == NULL)
        _exit (3);
      tend_demo_options_init (&opts);
      opts.n_clients = n_clients;
      opts.appointment_years = 1;
      tend_demo_generate (child, &opts, kill_cb, GUINT_TO_POINTER (n_clients), NULL, NULL);
      _exit (4);  /* not killed: the test fails */
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  /* A rollback journal, not a WAL, holds the open transaction. */
  g_assert_cmpint (g_stat (journal, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);

  store = tend_store_open (path, key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  {
    sqlite3_stmt *stmt = tend_store_prepare_cached (store, "PRAGMA journal_mode", &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    stmt = tend_store_prepare_cached (store, "PRAGMA integrity_check", &error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpstr (check, ==, "ok");
  /* The clients were committed; the appointments' transaction is gone. */
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, n_clients);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM appointment"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM series"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log WHERE action IN ('create', 'update')"), ==,
                   query_int (store, "SELECT count(*) FROM outbox"));
  g_assert_true (tend_store_verify_audit (store, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The indexes set aside while writing are back. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM deferred_index"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'outbox_record'"), ==, 1);
}

/* Both plans of tend_store_search_clients() (sort the matches, or walk the
 * name index) must give the same rows in the same order. */
static void
test_search_order (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const queries[] = { "a", "e", "ma", "mar", "ngu", "o", "608", "555", "r1", "zz", "le" };
  static const guint limits[] = { 0, 1, 30, 500 };

  generate (f->store, 3000, 13);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) all = tend_store_search_clients (f->store, queries[q], 0, &error);
      g_autofree char *prev = NULL;

      g_assert_no_error (error);
      for (guint i = 0; i < all->len; i++)
        {
          gint64 rid = g_array_index (all, gint64, i);
          g_autoptr(TendRecord) r = tend_store_load_by_rid (f->store, TEND_TYPE_CLIENT, rid, &error);
          TendClient *c = TEND_CLIENT (r);
          const char *first = tend_client_get_preferred_name (c) ? tend_client_get_preferred_name (c)
                                                                 : tend_client_get_legal_given (c);
          /* As the sort_key column. */
          g_autofree char *name = g_strdup_printf ("%s %s", tend_client_get_legal_family (c), first);
          g_autofree char *key = tend_store_sort_key (name);

          g_assert_no_error (error);
          if (prev != NULL)
            g_assert_cmpint (strcmp (prev, key), <=, 0);
          g_free (prev);
          prev = g_steal_pointer (&key);
        }
      for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
        {
          g_autoptr(GArray) some = tend_store_search_clients (f->store, queries[q], limits[l], &error);
          guint expect = limits[l] == 0 ? all->len : MIN (limits[l], all->len);

          g_assert_no_error (error);
          g_assert_cmpuint (some->len, ==, expect);
          g_assert_cmpmem (some->data, some->len * sizeof (gint64), all->data, expect * sizeof (gint64));
        }
    }
}

/* Appointments */

static void
test_appointments_deterministic (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(TendStore) same = open_store (f, "same.db");
  g_autoptr(TendStore) other = open_store (f, "other.db");
  GType types[] = {
    TEND_TYPE_STAFF, TEND_TYPE_ROOM, TEND_TYPE_CLIENT, TEND_TYPE_APPOINTMENT, TEND_TYPE_SERIES,
    TEND_TYPE_WAITLIST_ENTRY,
  };

  generate_with_appointments (f->store, 200, 3, 1);
  generate_with_appointments (same, 200, 3, 1);
  generate_with_appointments (other, 200, 4, 1);

  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_APPOINTMENT, NULL), >, 2000);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *a = dump (f->store, types[i]);
      g_autofree char *b = dump (same, types[i]);
      g_autofree char *c = dump (other, types[i]);

      g_assert_cmpstr (a, ==, b);
      g_assert_cmpstr (a, !=, c);
    }
}

/* Nothing double-booked, nothing outside hours: every appointment, asked
 * through tend_schedule_find_conflicts(), and the same in SQL. */
static void
test_appointments_no_double_booking (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint active = 0;

  generate_with_appointments (f->store, 200, 11, 1);
  practice = tend_store_load_practice (f->store, &error);
  zone = tend_practice_dup_zone (practice);

  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM appointment a JOIN appointment b"
                              " ON a.clinician_id = b.clinician_id AND a.id < b.id"
                              " WHERE a.deleted = 0 AND b.deleted = 0"
                              " AND a.status NOT IN ('cancelled', 'late_cancelled', 'no_show')"
                              " AND b.status NOT IN ('cancelled', 'late_cancelled', 'no_show')"
                              " AND a.start_s < b.end_s AND b.start_s < a.end_s"), ==, 0);
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM appointment a JOIN appointment b"
                              " ON a.room_id = b.room_id AND a.id < b.id"
                              " JOIN room r ON r.id = a.room_id AND json_extract(r.body, '$.virtual') = 0"
                              " WHERE a.deleted = 0 AND b.deleted = 0"
                              " AND a.start_s < b.end_s AND b.start_s < a.end_s"), ==, 0);
  /* Clients are not in two places at once either. */
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM appointment a JOIN appointment b"
                              " ON a.client_id = b.client_id AND a.id < b.id"
                              " WHERE a.deleted = 0 AND b.deleted = 0"
                              " AND a.start_s < b.end_s AND b.start_s < a.end_s"), ==, 0);

  all = tend_store_list (f->store, TEND_TYPE_APPOINTMENT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (all, i);
      g_autoptr(GPtrArray) found = NULL;

      if (!tend_appointment_is_active (a))
        continue;
      found = tend_schedule_find_conflicts (f->store, a, zone, &error);
      g_assert_no_error (error);
      if (found->len > 0)
        {
          g_autofree char *body = tend_record_to_body_string (TEND_RECORD (a));

          g_error ("%u conflicts (first: kind %d) for %s", found->len,
                   ((TendConflict *) g_ptr_array_index (found, 0))->kind, body);
        }
      active++;
    }
  g_assert_cmpuint (active, >, 1500);
}

static void
test_appointments_realistic (Fixture       *f,
                             gconstpointer  data)
{
  TendDemoOptions opts;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  gint64 sessions, past, cancelled, late, no_show, completed, telehealth, intakes, n_series, n_session_series;
  gint64 n_bad, n_audit, n_bad_audit;
  guint clinicians = 0;

  tend_demo_options_init (&opts);
  g_assert_cmpuint (opts.appointment_years, ==, 0);
  opts.n_clients = 300;
  opts.seed = 5;
  opts.appointment_years = 2;
  g_assert_true (tend_demo_generate (f->store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The practice, staffed for its caseload; clinicians have hours. */
  staff = tend_store_list (f->store, TEND_TYPE_STAFF, &error);
  for (guint i = 0; i < staff->len; i++)
    if (tend_staff_get_credentials (g_ptr_array_index (staff, i)) != NULL)
      {
        g_assert_true (tend_staff_has_working_hours (g_ptr_array_index (staff, i)));
        clinicians++;
      }
  g_assert_cmpuint (clinicians, ==, tend_demo_count_clinicians (&opts));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_ROOM, NULL), ==, tend_demo_count_rooms (&opts));
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_WAITLIST_ENTRY, NULL), >=, 3);

#define Q(where) query_int (f->store, "SELECT count(*) FROM appointment WHERE deleted = 0 AND " where)
  sessions = Q ("client_id IS NOT NULL");
  past = Q ("client_id IS NOT NULL AND start_s < unixepoch('2026-11-02T06:00:00Z')");
  completed = Q ("client_id IS NOT NULL AND status = 'completed'");
  cancelled = Q ("client_id IS NOT NULL AND status = 'cancelled' AND start_s < unixepoch('2026-11-02T06:00:00Z')");
  late = Q ("client_id IS NOT NULL AND status = 'late_cancelled'");
  no_show = Q ("client_id IS NOT NULL AND status = 'no_show'");
  telehealth = Q ("client_id IS NOT NULL AND json_extract(body, '$.modality') = 'telehealth'");
  intakes = Q ("json_extract(body, '$.service_code') = '90791'");
  g_assert_cmpint (sessions, >, 3000);
  g_assert_cmpint (past, ==, completed + cancelled + late + no_show);
  g_assert_cmpint (cancelled * 100 / past, >=, 5);
  g_assert_cmpint (cancelled * 100 / past, <=, 9);
  g_assert_cmpint (no_show * 1000 / past, >=, 20);
  g_assert_cmpint (no_show * 1000 / past, <=, 40);
  g_assert_cmpint (late, >, 0);
  g_assert_cmpint (telehealth * 100 / sessions, >=, 20);
  g_assert_cmpint (telehealth * 100 / sessions, <=, 40);
  /* What has not happened yet is only scheduled, confirmed or cancelled. */
  g_assert_cmpint (Q ("start_s >= unixepoch('2026-11-02T06:00:00Z') AND status NOT IN ('scheduled', 'confirmed', 'cancelled')"), ==, 0);
  g_assert_cmpint (Q ("status = 'confirmed'"), >, 0);
  /* Sessions are 50 or 60 minutes: 90834, 90837, and a 90791 intake first. */
  n_bad = Q ("client_id IS NOT NULL AND NOT ((end_s - start_s = 3000 AND json_extract(body, '$.service_code') = '90834')"
             " OR (end_s - start_s = 3600 AND json_extract(body, '$.service_code') IN ('90837', '90791')))");
  g_assert_cmpint (n_bad, ==, 0);
  g_assert_cmpint (Q ("json_extract(body, '$.service_code') = '90834'") * 2, >, sessions);
  /* Completed sessions were checked in. */
  g_assert_cmpint (Q ("status = 'completed' AND json_extract(body, '$.checked_in_at') IS NULL"), ==, 0);
  g_assert_cmpint (Q ("status IN ('cancelled', 'late_cancelled') AND json_extract(body, '$.cancel_reason') IS NULL"), ==, 0);
  /* Staff meeting on Wednesdays at noon for every clinician, in Chicago. */
  g_assert_cmpint (Q ("json_extract(body, '$.kind') = 'blocked' AND json_extract(body, '$.note') = 'Staff meeting'"), ==,
                   (gint64) clinicians * 104);
  g_assert_cmpint (Q ("json_extract(body, '$.note') = 'Staff meeting'"
                      " AND strftime('%w %H:%M', start_s - (CASE WHEN start_s BETWEEN unixepoch('2025-03-09T08:00:00Z')"
                      " AND unixepoch('2025-11-02T07:00:00Z') OR start_s BETWEEN unixepoch('2026-03-08T08:00:00Z')"
                      " AND unixepoch('2026-11-01T07:00:00Z') THEN 18000 ELSE 21600 END), 'unixepoch') != '3 12:00'"), ==, 0);
  /* Two years: from 2025-02-03 to 2027-02-01. */
  g_assert_cmpint (query_int (f->store, "SELECT min(start_s) >= unixepoch('2025-02-03T06:00:00Z') FROM appointment"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT max(start_s) < unixepoch('2027-02-01T06:00:00Z') FROM appointment"), ==, 1);
#undef Q

  /* Every active client has a series, and every series its rows and horizon. */
  n_series = tend_store_count (f->store, TEND_TYPE_SERIES, NULL);
  n_session_series = query_int (f->store, "SELECT count(*) FROM series WHERE client_id IS NOT NULL");
  g_assert_cmpint (intakes, ==, n_session_series);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM client WHERE status = 'active' AND id NOT IN"
                                        " (SELECT client_id FROM series WHERE client_id IS NOT NULL)"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM series_horizon"), ==, n_series);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM client c WHERE status = 'active' AND primary_clinician_id !="
                                        " (SELECT clinician_id FROM series s WHERE s.client_id = c.id)"), ==, 0);
  /* Extending to the same horizon makes nothing new. */
  {
    gint64 before = query_int (f->store, "SELECT count(*) FROM appointment");
    g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 ("2027-02-01T06:00:00Z", NULL);

    g_assert_true (tend_schedule_extend_horizon (f->store, tend_time_to_unix_usec (end), &error));
    g_assert_no_error (error);
    g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM appointment"), ==, before);
  }

  /* Billing: each past session completed, missed or cancelled late has
   * its one charge (made as it was written), of its kind, and every
   * charge is one of theirs; some clients are insured. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM appointment a WHERE a.deleted = 0 AND a.client_id IS NOT NULL"
                                        " AND a.status IN ('completed', 'no_show', 'late_cancelled')"
                                        " AND (SELECT count(*) FROM charge c WHERE c.appointment_id = a.id AND c.deleted = 0) != 1"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM charge c WHERE c.deleted = 0 AND NOT EXISTS"
                                        " (SELECT 1 FROM appointment a WHERE a.id = c.appointment_id AND a.client_id = c.client_id"
                                        "  AND a.status = CASE json_extract(c.body, '$.kind') WHEN 'session' THEN 'completed'"
                                        "  WHEN 'no_show' THEN 'no_show' WHEN 'late_cancel' THEN 'late_cancelled' END)"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM charge"), ==, completed + no_show + late);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM policy"), >, 30);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM charge WHERE responsibility = 'insurance'"), >, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM payment"), >, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM claim"), >, 0);

  /* Every write is in the outbox and the audit log, and the chain holds. */
  n_audit = query_int (f->store, "SELECT count(*) FROM audit_log WHERE action IN ('create', 'update')");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox"), ==, n_audit);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox WHERE record_type = 'appointment'"), >=,
                   query_int (f->store, "SELECT count(*) FROM appointment"));
  g_assert_true (tend_store_verify_audit (f->store, NULL, &n_bad_audit, &error));
  g_assert_no_error (error);
}

static void
test_appointments_invalid_years (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TendDemoOptions opts;

  tend_demo_options_init (&opts);
  opts.n_clients = 10;
  opts.appointment_years = TEND_DEMO_MAX_APPOINTMENT_YEARS + 1;
  g_assert_false (tend_demo_generate (f->store, &opts, NULL, NULL, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_PRACTICE, NULL), ==, 0);
  /* The counts the command line prints. */
  opts.appointment_years = 0;
  g_assert_cmpuint (tend_demo_count_clinicians (&opts), ==, TEND_DEMO_N_CLINICIANS);
  g_assert_cmpuint (tend_demo_count_rooms (&opts), ==, TEND_DEMO_N_ROOMS);
  opts.n_clients = 50000;
  opts.appointment_years = 2;
  g_assert_cmpuint (tend_demo_count_clinicians (&opts), >, 500);
  g_assert_cmpuint (tend_demo_count_rooms (&opts), >, 300);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/npi", test_npi);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/demo/practice-and-staff", test_practice_and_staff);
  ADD ("/demo/clients", test_clients);
  ADD ("/demo/deterministic", test_deterministic);
  ADD ("/demo/refuses-used-store", test_refuses_used_store);
  ADD ("/demo/invalid-count", test_invalid_count);
  ADD ("/demo/progress-and-cancel", test_progress_and_cancel);
  g_test_add ("/demo/cancel-while-scheduling", Fixture, GUINT_TO_POINTER (FALSE), fixture_setup,
              test_cancel_while_writing, fixture_teardown);
  g_test_add ("/demo/cancel-while-billing", Fixture, GUINT_TO_POINTER (TRUE), fixture_setup,
              test_cancel_while_writing, fixture_teardown);
  ADD ("/demo/killed-while-writing", test_killed_while_writing);
  ADD ("/demo/search-order", test_search_order);
  ADD ("/demo/appointments/deterministic", test_appointments_deterministic);
  ADD ("/demo/appointments/no-double-booking", test_appointments_no_double_booking);
  ADD ("/demo/appointments/realistic", test_appointments_realistic);
  ADD ("/demo/appointments/invalid-years", test_appointments_invalid_years);
#undef ADD
  return g_test_run ();
}
