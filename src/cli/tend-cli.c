/* tend-cli.c: the command-line companion, for administrators and scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit status: 0 on success, 1 when the command failed, 2 for a usage error.
 * Messages go to stderr; results (which can be health data, on purpose: the
 * person running this holds the database key) go to stdout, never to logs.
 */
#define G_LOG_DOMAIN "tend-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tend-chart.h"
#include "tend-chart-pdf.h"
#include "tend-billing-export.h"
#include "tend-demo.h"
#include "tend-ics.h"
#include "tend-keyring.h"
#include "tend-messages.h"
#include "tend-process.h"
#include "tend-schedule.h"
#include "tend-store.h"
#include "tend-sync-engine.h"

#define EXIT_OK    0
#define EXIT_ERROR 1
#define EXIT_USAGE 2

#define DEFAULT_SEARCH_LIMIT 50
#define MAX_SEARCH_LIMIT     1000000

/* The options every command takes. */
static char *opt_store = NULL;
static char *opt_key_file = NULL;

static const GOptionEntry global_entries[] = {
  { "store", 0, 0, G_OPTION_ARG_FILENAME, &opt_store,
    N_("The database file (default: the one the Tend application uses)"), N_("PATH") },
  { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_key_file,
    N_("Take the database key from FILE (64 hexadecimal digits) instead of the keyring"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  const char *name;
  const char *parameters;   /* after the options in the usage line */
  const char *brief;        /* N_(): one line in the list of commands */
  const char *summary;      /* N_(): the top of the command's --help */
  int       (*run) (int    argc,
                    char **argv);
} Command;

/* A store this run opened, and what this run created to open it (so a
 * failed `demo` can take it all back). */
typedef struct
{
  TendStore *store;
  char      *path;
  gboolean   created;            /* the database file is new */
  gboolean   key_in_keyring;     /* a new key went into the keyring */
  gboolean   key_file_written;   /* a new key went into --key-file */
  gboolean   read_only;          /* set before open_store (): nothing is written */
} CliStore;

static void
cli_store_clear (CliStore *cs)
{
  g_clear_object (&cs->store);
  g_clear_pointer (&cs->path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliStore, cli_store_clear)

static void
print_error (const char *command,
             GError     *error)
{
  g_printerr ("tend-cli %s: %s\n", command, error->message);
}

static int
usage_error (GOptionContext *context,
             const char     *command,
             const char     *message)
{
  g_printerr ("tend-cli %s: %s\n", command, message);
  g_printerr (_("Try “tend-cli %s --help” for more information.\n"), command);
  return EXIT_USAGE;
}

static GOptionContext *
command_context (const Command      *command,
                 const GOptionEntry *entries)
{
  g_autofree char *prgname = g_strdup_printf ("tend-cli %s", command->name);
  GOptionContext *context;

  /* So that --help says "tend-cli search [OPTION…] TEXT". */
  g_set_prgname (prgname);
  context = g_option_context_new (command->parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);
  return context;
}

/* Parses the options; on a usage error prints it and returns FALSE. */
static gboolean
parse_options (GOptionContext *context,
               const Command  *command,
               int            *argc,
               char         ***argv,
               int            *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (context, command->name, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_unsigned (const char *command,
                const char *option,
                const char *text,
                guint64     min,
                guint64     max,
                guint64    *out)
{
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, &error))
    {
      g_autofree char *min_text = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
      g_autofree char *max_text = g_strdup_printf ("%" G_GUINT64_FORMAT, max);
      /* TRANSLATORS: "--clients: “abc” is not a whole number from 1 to 50000" */
      g_autofree char *message = g_strdup_printf (_("--%s: “%s” is not a whole number from %s to %s"),
                                                  option, text, min_text, max_text);

      g_printerr ("tend-cli %s: %s\n", command, message);
      g_printerr (_("Try “tend-cli %s --help” for more information.\n"), command);
      return FALSE;
    }
  return TRUE;
}

static char *
store_path (void)
{
  /* The keyring finds the key by this path: the same file must always be
   * named the same way, whatever the working directory. */
  if (opt_store != NULL)
    return g_canonicalize_filename (opt_store, NULL);
  return tend_keyring_default_db_path ();
}

/* Takes back what open_store() created: the database, its key. */
static void
discard_new_store (CliStore *cs)
{
  g_clear_object (&cs->store);
  if (cs->created)
    tend_store_remove_files (cs->path);
  if (cs->key_in_keyring)
    {
      g_autoptr(GError) error = NULL;

      if (!tend_keyring_clear_key (cs->path, NULL, &error))
        g_printerr (_("tend-cli: could not remove the unused key from the keyring: %s\n"), error->message);
    }
  if (cs->key_file_written)
    g_unlink (opt_key_file);
  cs->created = cs->key_in_keyring = cs->key_file_written = FALSE;
}

/*
 * Finds the key (--key-file, or the keyring) and opens the store.  With
 * @create, a missing store is created, with a new key that goes to the
 * key file when one is named and does not exist yet, or else to the keyring.
 */
static gboolean
open_store (CliStore  *cs,
            gboolean   create,
            GError   **error)
{
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GError) local = NULL;
  gboolean exists;

  cs->path = store_path ();
  exists = g_file_test (cs->path, G_FILE_TEST_EXISTS);

  if (!exists && !create)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no Tend store at %s. Create one with “tend-cli demo”, or name another with --store."),
                   cs->path);
      return FALSE;
    }
  if (exists && !g_file_test (cs->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s is not a database file."), cs->path);
      return FALSE;
    }

  if (opt_key_file != NULL)
    {
      if (g_file_test (opt_key_file, G_FILE_TEST_EXISTS))
        {
          key = tend_keyring_read_key_file (opt_key_file, error);
          if (key == NULL)
            return FALSE;
        }
      else if (!exists)
        {
          key = tend_keyring_generate_key ();
          if (!tend_keyring_write_key_file (opt_key_file, key, error))
            return FALSE;
          cs->key_file_written = TRUE;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The key file %s does not exist: the store at %s cannot be opened without its key."),
                       opt_key_file, cs->path);
          return FALSE;
        }
    }
  else
    {
      key = tend_keyring_lookup_key (cs->path, NULL, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (key == NULL && exists)
        {
          g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_KEY_MISSING,
                       _("The keyring holds no key for the store at %s. Without its key the store cannot be opened; if the key was saved to a file, give it with --key-file."),
                       cs->path);
          return FALSE;
        }
      if (key == NULL)
        {
          /* Into the keyring before the store exists: a store whose key
           * could not be kept would be lost at once. */
          key = tend_keyring_generate_key ();
          if (!tend_keyring_store_key (cs->path, key, NULL, error))
            return FALSE;
          cs->key_in_keyring = TRUE;
        }
    }

  cs->store = tend_store_open (cs->path, key,
                               create ? TEND_STORE_OPEN_CREATE
                                      : cs->read_only ? TEND_STORE_OPEN_READ_ONLY : TEND_STORE_OPEN_NONE,
                               &local);
  if (cs->store == NULL)
    {
      cs->created = !exists;
      discard_new_store (cs);
      if (g_error_matches (local, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY) && opt_key_file != NULL)
        g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY,
                     _("The key in %s does not open the store at %s: it is the wrong key, or the store is damaged."),
                     opt_key_file, cs->path);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  cs->created = !exists;
  return TRUE;
}

/* demo */

static char *opt_clients = NULL;
static char *opt_seed = NULL;
static char *opt_password = NULL;
static char *opt_years = NULL;

static const GOptionEntry demo_entries[] = {
  { "clients", 0, 0, G_OPTION_ARG_STRING, &opt_clients,
    N_("How many clients to create (default: 2000, at most 50000)"), N_("N") },
  { "seed", 0, 0, G_OPTION_ARG_STRING, &opt_seed,
    N_("The same seed always gives the same data (default: 42)"), N_("S") },
  { "years", 0, 0, G_OPTION_ARG_STRING, &opt_years,
    N_("Years of appointments to create, ending three months from now (default: 0, at most 5)"), N_("N") },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password,
    N_("The password the practice owner signs in to Tend with (default: riverbend-demo)"), N_("PASSWORD") },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  TendStore       *store;
  TendDemoOptions  opts;
  GCancellable    *cancellable;
  GMainLoop       *loop;
  gboolean         show_progress;
  gboolean         ok;
  GError          *error;
} DemoJob;

static void
demo_progress_cb (guint    done,
                  guint    total,
                  gpointer user_data)
{
  /* \r and clear-to-end-of-line: one line that updates in place. */
  g_printerr ("\r\033[K");
  g_printerr (_("Writing clients: %u of %u (%u%%)"), done, total, (guint) ((guint64) done * 100 / total));
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
demo_thread (gpointer user_data)
{
  DemoJob *job = user_data;

  job->ok = tend_demo_generate (job->store, &job->opts,
                                job->show_progress ? demo_progress_cb : NULL, job,
                                job->cancellable, &job->error);
  g_idle_add (quit_loop_cb, job->loop);
  return NULL;
}

static gboolean
on_interrupt_cb (gpointer user_data)
{
  DemoJob *job = user_data;

  if (!g_cancellable_is_cancelled (job->cancellable))
    g_printerr (_("\nStopping…\n"));
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
run_demo (int    argc,
          char **argv);

static int
run_search (int    argc,
            char **argv);

static int
run_verify_audit (int    argc,
                  char **argv);

static int
run_info (int    argc,
          char **argv);

static int
run_export (int    argc,
            char **argv);

static int
run_import (int    argc,
            char **argv);

static int
run_sync (int    argc,
          char **argv);

static int
run_messages (int    argc,
              char **argv);

static int
run_send (int    argc,
          char **argv);

static const Command commands[] = {
  { "demo", "", N_("Create a store filled with demonstration data"),
    N_("Create a store (if there is none) and fill it with a demonstration practice: staff, rooms and fictional clients."), run_demo },
  { "search", N_("TEXT"), N_("Find clients by name, phone, e-mail or record number"),
    N_("Print the clients that match TEXT (any part of a name, phone, e-mail or record number): record number, name, date of birth and phone, separated by tabs. Each search is recorded in the audit log."), run_search },
  { "verify-audit", "", N_("Check that the audit log was not tampered with"),
    N_("Check the hash chain of the audit log."), run_verify_audit },
  { "info", "", N_("Describe the store"),
    N_("Describe the store: its schema and cipher versions and how many records it holds."), run_info },
  /* TRANSLATORS: "ics", "chart", "837p"... are words to type, the formats: leave them as they are */
  { "export", N_("ics|chart|837p|invoice|statement|superbill|report"), N_("Write appointments, a chart, claims, bills or reports"),
    N_("“export ics” writes the practice’s appointments, blocked time and recurring series as an iCalendar (.ics) file that calendar programs can show or subscribe to. Unless --full-detail is given, sessions show only “Session” and the client’s initials: no names, notes or other text. “export chart --client ID --out FILE” writes a client’s clinical record (or, with --from and --to, the notes and measures of those dates) as a PDF, for a records request. “export 837p”, “invoice”, “statement”, “superbill” and “report” write claims, bills and billing reports. Each export is recorded in the audit log."), run_export },
  /* TRANSLATORS: "ics" and "835" are words to type; FILE names what follows them */
  { "import", N_("ics|835 FILE"), N_("Read busy time from another calendar, or a remittance"),
    N_("Read an iCalendar (.ics) file from another calendar and add its busy times to a clinician’s schedule as blocked time. Importing the same file again updates what it added. Either every event is imported or, on any error, none."), run_import },
  { "sync", "", N_("Sync the store with the practice server"),
    N_("Sign in to the practice server, send the changes made in this store and receive the others, then print what moved. The password is read from --password-file, or from the first line of standard input."), run_sync },
  { "messages", "", N_("List the conversations and unread messages"),
    N_("Print the store’s person’s conversations, the most recently active first: id, unread messages, newest activity (UTC) and title, separated by tabs. Nothing of the messages’ text is printed."), run_messages },
  /* TRANSLATORS: TEXT names what follows */
  { "send", N_("TEXT"), N_("Post a message"),
    N_("Post TEXT as the store’s person, in the conversation --conversation ID, or in a new one with the staff --to ID (repeatable; “all” for everyone active: a practice-wide announcement), with --subject. It is sent at the next sync."), run_send },
};

static int
run_demo (int    argc,
          char **argv)
{
  const Command *command = &commands[0];
  g_autoptr(GOptionContext) context = command_context (command, demo_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  DemoJob job = { 0 };
  GThread *thread;
  guint sigint_id, sigterm_id;
  gint64 started;
  double seconds;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage_error (context, command->name, _("demo takes no arguments"));

  tend_demo_options_init (&job.opts);
  if (opt_clients != NULL)
    {
      guint64 v;

      if (!parse_unsigned (command->name, "clients", opt_clients, 1, TEND_DEMO_MAX_CLIENTS, &v))
        return EXIT_USAGE;
      job.opts.n_clients = (guint) v;
    }
  if (opt_seed != NULL)
    {
      guint64 v;

      if (!parse_unsigned (command->name, "seed", opt_seed, 0, G_MAXUINT32, &v))
        return EXIT_USAGE;
      job.opts.seed = (guint32) v;
    }

  if (opt_years != NULL)
    {
      guint64 v;

      if (!parse_unsigned (command->name, "years", opt_years, 0, TEND_DEMO_MAX_APPOINTMENT_YEARS, &v))
        return EXIT_USAGE;
      job.opts.appointment_years = (guint) v;
    }
  job.opts.password = opt_password != NULL ? opt_password : TEND_DEMO_DEFAULT_PASSWORD;
  if (g_utf8_strlen (job.opts.password, -1) < 8)
    {
      g_printerr (_("tend-cli demo: --password: use at least 8 characters\n"));
      return EXIT_USAGE;
    }

  if (!open_store (&cs, TRUE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  /* Generation runs in a thread so that Ctrl+C can stop it between two
   * batches, and the half-made store can be removed. */
  cancellable = g_cancellable_new ();
  loop = g_main_loop_new (NULL, FALSE);
  job.store = cs.store;
  job.cancellable = cancellable;
  job.loop = loop;
  job.show_progress = isatty (STDERR_FILENO);
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt_cb, &job);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt_cb, &job);

  started = g_get_monotonic_time ();
  thread = g_thread_new ("tend-demo", demo_thread, &job);
  g_main_loop_run (loop);
  g_thread_join (thread);
  seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (job.show_progress)
    g_printerr ("\r\033[K");

  if (!job.ok)
    {
      gboolean created = cs.created;

      print_error (command->name, job.error);
      if (created)
        {
          discard_new_store (&cs);
          g_printerr (_("tend-cli demo: the new store was removed.\n"));
        }
      g_clear_error (&job.error);
      return EXIT_ERROR;
    }

  g_print (ngettext ("Created %u clinicians, %d front-desk staff, %d biller, %u rooms and %u client in %.1f s\n",
                     "Created %u clinicians, %d front-desk staff, %d biller, %u rooms and %u clients in %.1f s\n",
                     job.opts.n_clients),
           tend_demo_count_clinicians (&job.opts), TEND_DEMO_N_FRONT_DESK, TEND_DEMO_N_BILLERS,
           tend_demo_count_rooms (&job.opts), job.opts.n_clients, seconds);
  if (job.opts.appointment_years > 0)
    {
      g_autoptr(GError) count_error = NULL;
      gint64 n = tend_store_count (cs.store, TEND_TYPE_APPOINTMENT, &count_error);

      g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, MAX (n, 0));

      g_print (ngettext ("With %s appointments over %u year\n",
                         "With %s appointments over %u years\n", job.opts.appointment_years),
               number, job.opts.appointment_years);
    }
  g_print (_("Store: %s\n"), cs.path);
  g_print (_("Tend opens it as Maya Okafor (owner); her password is “%s”.\n"), job.opts.password);
  if (cs.key_in_keyring)
    g_print (_("Its key is in your keyring.\n"));
  else if (cs.key_file_written)
    g_print (_("Its key is in %s.\n"), opt_key_file);
  return EXIT_OK;
}

/* search */

static char *opt_limit = NULL;

static const GOptionEntry search_entries[] = {
  { "limit", 0, 0, G_OPTION_ARG_STRING, &opt_limit,
    N_("Print at most N clients (default: 50; 0: all)"), N_("N") },
  G_OPTION_ENTRY_NULL
};

static void
print_field (const char *value,
             char        end)
{
  if (value != NULL)
    fputs (value, stdout);
  putchar (end);
}

static int
run_search (int    argc,
            char **argv)
{
  const Command *command = &commands[1];
  g_autoptr(GOptionContext) context = command_context (command, search_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 limit = DEFAULT_SEARCH_LIMIT;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, argv[i]);
    }
  if (text->len == 0)
    return usage_error (context, command->name, _("what to search for is missing (TEXT)"));
  if (opt_limit != NULL && !parse_unsigned (command->name, "limit", opt_limit, 0, MAX_SEARCH_LIMIT, &limit))
    return EXIT_USAGE;

  if (!open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  /* Recorded before anything is shown: no audit row, no data.  The search
   * text itself stays out of the log, which must hold no health data. */
  if (!tend_store_audit (cs.store, "cli-search", NULL, NULL, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  rids = tend_store_search_clients (cs.store, text->str, (guint) limit, &error);
  if (rids == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  /* Text with no letters or digits lists everyone, without a limit. */
  if (limit > 0 && rids->len > limit)
    g_array_set_size (rids, (guint) limit);

  for (guint i = 0; i < rids->len; i++)
    {
      g_autoptr(TendRecord) record = tend_store_load_by_rid (cs.store, TEND_TYPE_CLIENT,
                                                             g_array_index (rids, gint64, i), &error);
      TendClient *client;
      g_autofree char *name = NULL;

      if (record == NULL)
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      client = TEND_CLIENT (record);
      name = tend_client_dup_display_name (client);
      /* UTF-8 as stored, not converted to the locale's character set. */
      print_field (tend_client_get_record_number (client), '\t');
      print_field (name, '\t');
      print_field (tend_client_get_date_of_birth (client), '\t');
      print_field (tend_client_get_phone (client), '\n');
    }
  if (fflush (stdout) != 0)
    {
      g_printerr (_("tend-cli %s: could not write the results: %s\n"), command->name, g_strerror (errno));
      return EXIT_ERROR;
    }
  return EXIT_OK;
}

/* verify-audit */

static int
run_verify_audit (int    argc,
                  char **argv)
{
  const Command *command = &commands[2];
  g_autoptr(GOptionContext) context = command_context (command, NULL);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 n_rows = 0, first_bad = 0;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage_error (context, command->name, _("verify-audit takes no arguments"));

  /* Only reads: the store is opened read-only. */
  cs.read_only = TRUE;
  if (!open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  if (tend_store_verify_audit (cs.store, &n_rows, &first_bad, &error))
    {
      g_autofree char *n_text = g_strdup_printf ("%" G_GINT64_FORMAT, n_rows);

      g_print (ngettext ("Audit log intact: %s entry\n", "Audit log intact: %s entries\n",
                         (gulong) n_rows), n_text);
      return EXIT_OK;
    }
  if (error != NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  {
    g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, first_bad);

    g_print (_("Audit log tampered with at entry %s\n"), seq_text);
  }
  return EXIT_ERROR;
}

/* info */

static int
run_info (int    argc,
          char **argv)
{
  const Command *command = &commands[3];
  g_autoptr(GOptionContext) context = command_context (command, NULL);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *cipher = NULL;
  g_autoptr(TendPractice) practice = NULL;
  static const struct
  {
    const char *label;
    GType     (*get_type) (void);
  } counts[] = {
    { N_("Practices"), tend_practice_get_type },
    { N_("Staff"), tend_staff_get_type },
    { N_("Rooms"), tend_room_get_type },
    { N_("Clients"), tend_client_get_type },
    { N_("Appointments"), tend_appointment_get_type },
    { N_("Recurring series"), tend_series_get_type },
    { N_("Waitlist entries"), tend_waitlist_entry_get_type },
    { N_("Reminders"), tend_reminder_get_type },
    { N_("Notes"), tend_clinical_note_get_type },
    { N_("Diagnoses"), tend_diagnosis_get_type },
    { N_("Treatment plans"), tend_treatment_plan_get_type },
    { N_("Measures"), tend_measure_get_type },
    { N_("Documents"), tend_document_get_type },
  };
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage_error (context, command->name, _("info takes no arguments"));

  /* Only reads: the store is opened read-only. */
  cs.read_only = TRUE;
  if (!open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  cipher = tend_store_dup_cipher_version (cs.store);
  g_print (_("Store: %s\n"), cs.path);
  g_print (_("Key: %s\n"), opt_key_file != NULL ? opt_key_file : _("in the keyring"));
  g_print (_("Schema version: %u (this version of Tend: %u)\n"),
           tend_store_get_schema_version (cs.store), tend_store_get_latest_version ());
  g_print (_("Cipher: SQLCipher %s\n"), cipher != NULL ? cipher : _("(unknown)"));

  practice = tend_store_load_practice (cs.store, NULL);
  if (practice != NULL)
    g_print (_("Practice: %s\n"), tend_practice_get_name (practice));

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      gint64 n = tend_store_count (cs.store, counts[i].get_type (), &error);
      g_autofree char *n_text = NULL;

      if (n < 0)
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      n_text = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      /* TRANSLATORS: a count, e.g. "Clients: 2000" */
      g_print (_("%s: %s\n"), _(counts[i].label), n_text);
    }
  g_print (_("Outbox: %u changes waiting to sync\n"), tend_store_count_outbox (cs.store));
  return EXIT_OK;
}

/* export ics, import ics */

#define EXPORT_DAYS_BEFORE 30
#define EXPORT_DAYS_AFTER  365

static char *opt_clinician = NULL;
static char *opt_from = NULL;
static char *opt_to = NULL;
static char *opt_output = NULL;
static char *opt_time_zone = NULL;
static gboolean opt_full_detail = FALSE;
static gboolean opt_keep_titles = FALSE;
static char *opt_client = NULL;

static const GOptionEntry export_entries[] = {
  { "clinician", 0, 0, G_OPTION_ARG_STRING, &opt_clinician,
    N_("Only this clinician’s schedule, by id or e-mail address (default: the whole practice)"), N_("CLINICIAN") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    N_("The first day to export, YYYY-MM-DD (default: 30 days ago)"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to,
    N_("The last day to export, YYYY-MM-DD (default: a year from today)"), N_("DATE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    N_("Write to FILE, readable by its owner only (default: standard output)"), N_("FILE") },
  { "time-zone", 0, 0, G_OPTION_ARG_STRING, &opt_time_zone,
    N_("Write times in ZONE, for someone elsewhere, e.g. Europe/London (default: the practice’s zone)"), N_("ZONE") },
  { "full-detail", 0, 0, G_OPTION_ARG_NONE, &opt_full_detail,
    N_("Include client names, notes and titles (health data: keep the file safe)"), NULL },
  { "client", 0, 0, G_OPTION_ARG_STRING, &opt_client,
    N_("export chart: the client, by id or record number"), N_("CLIENT") },
  { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt_output,
    N_("The same as --output"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static const GOptionEntry import_entries[] = {
  { "clinician", 0, 0, G_OPTION_ARG_STRING, &opt_clinician,
    N_("Whose busy time it is, by id or e-mail address (required)"), N_("CLINICIAN") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    N_("Ignore events before this day, YYYY-MM-DD (default: 30 days ago)"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to,
    N_("Ignore events after this day, YYYY-MM-DD (default: a year from today)"), N_("DATE") },
  { "keep-titles", 0, 0, G_OPTION_ARG_NONE, &opt_keep_titles,
    N_("Keep the events’ titles (default: blocked time without a title, so private event names stay private)"), NULL },
  G_OPTION_ENTRY_NULL
};

/* The format word after the command: only "ics" so far. */
static gboolean
check_format (GOptionContext *context,
              const Command  *command,
              int             argc,
              char          **argv,
              int            *status)
{
  if (argc < 2)
    {
      *status = usage_error (context, command->name, _("the format is missing (ics)"));
      return FALSE;
    }
  if (strcmp (argv[1], "ics") != 0 && !(strcmp (argv[1], "chart") == 0 && strcmp (command->name, "export") == 0))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a format tend-cli knows (ics)"), argv[1]);

      *status = usage_error (context, command->name, message);
      return FALSE;
    }
  return TRUE;
}

/* A staff member by id, or by e-mail address (any case). */
static TendStaff *
find_staff (TendStore   *store,
            const char  *id_or_email,
            GError     **error)
{
  g_autoptr(GPtrArray) staff = NULL;

  if (g_uuid_string_is_valid (id_or_email))
    {
      g_autofree char *id = g_ascii_strdown (id_or_email, -1);
      g_autoptr(GError) local = NULL;
      g_autoptr(TendRecord) record = tend_store_load (store, TEND_TYPE_STAFF, id, &local);

      if (record != NULL && !tend_record_get_deleted (record))
        return TEND_STAFF (g_steal_pointer (&record));
      if (record == NULL && !g_error_matches (local, TEND_ERROR, TEND_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  else
    {
      staff = tend_store_list (store, TEND_TYPE_STAFF, error);
      if (staff == NULL)
        return NULL;
      for (guint i = 0; i < staff->len; i++)
        {
          const char *email = tend_record_get_string (staff->pdata[i], "email");

          if (email != NULL && g_ascii_strcasecmp (email, id_or_email) == 0)
            return g_object_ref (staff->pdata[i]);
        }
    }
  g_set_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
               _("No staff member has the id or e-mail address “%s”."), id_or_email);
  return NULL;
}

/* Local midnight of @date in @zone. */
static gint64
day_start (const GDate *date,
           GTimeZone   *zone)
{
  g_autoptr(GDateTime) dt = g_date_time_new (zone, g_date_get_year (date), g_date_get_month (date),
                                             g_date_get_day (date), 0, 0, 0);

  return tend_time_to_unix_usec (dt);
}

/*
 * --from and --to as instants: local days in the practice's zone, --to
 * included.  Without them, from 30 days ago to a year from today.  Returns
 * FALSE after a usage error.
 */
static gboolean
parse_range (const Command *command,
             GTimeZone     *zone,
             gint64        *from,
             gint64        *to)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  GDate today, day;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));

  day = today;
  if (opt_from != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!tend_date_parse (opt_from, &day, &error))
        {
          g_printerr ("tend-cli %s: --from: %s\n", command->name, error->message);
          return FALSE;
        }
    }
  else
    g_date_subtract_days (&day, EXPORT_DAYS_BEFORE);
  *from = day_start (&day, zone);

  day = today;
  if (opt_to != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!tend_date_parse (opt_to, &day, &error))
        {
          g_printerr ("tend-cli %s: --to: %s\n", command->name, error->message);
          return FALSE;
        }
      g_date_add_days (&day, 1);
    }
  else
    g_date_add_days (&day, EXPORT_DAYS_AFTER);
  *to = day_start (&day, zone);

  if (*to <= *from)
    {
      g_printerr (_("tend-cli %s: --to must not be before --from\n"), command->name);
      return FALSE;
    }
  return TRUE;
}

static char *
lookup_name_cb (TendIcsNameKind  kind,
                const char      *id,
                gpointer         user_data)
{
  switch (kind)
    {
    case TEND_ICS_NAME_CLIENT: return tend_store_dup_display_name (user_data, TEND_TYPE_CLIENT, id);
    case TEND_ICS_NAME_STAFF:  return tend_store_dup_display_name (user_data, TEND_TYPE_STAFF, id);
    case TEND_ICS_NAME_ROOM:   return tend_store_dup_display_name (user_data, TEND_TYPE_ROOM, id);
    default:                   return NULL;
    }
}

/* A client by id or by record number. */
static char *
find_client_id (TendStore   *store,
                const char  *id_or_number,
                GError     **error)
{
  g_autoptr(GArray) rids = NULL;

  if (g_uuid_string_is_valid (id_or_number))
    {
      g_autofree char *id = g_ascii_strdown (id_or_number, -1);
      g_autoptr(TendRecord) record = tend_store_load (store, TEND_TYPE_CLIENT, id, NULL);

      if (record != NULL && !tend_record_get_deleted (record))
        return g_strdup (id);
    }
  rids = tend_store_search_clients (store, id_or_number, 20, error);
  if (rids == NULL)
    return NULL;
  for (guint i = 0; i < rids->len; i++)
    {
      g_autoptr(TendRecord) record = tend_store_load_by_rid (store, TEND_TYPE_CLIENT, g_array_index (rids, gint64, i), NULL);

      if (record != NULL && g_strcmp0 (tend_record_get_string (record, "record_number"), id_or_number) == 0)
        return g_strdup (tend_record_get_id (record));
    }
  g_set_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
               _("No client has the id or record number “%s”."), id_or_number);
  return NULL;
}

static int
run_export_chart (GOptionContext *context,
                  const Command  *command,
                  int             argc,
                  char          **argv)
{
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendChartBundle) bundle = NULL;
  g_autofree char *client_id = NULL;
  GDate d;

  if (argc > 2)
    return usage_error (context, command->name, _("export chart takes no other arguments"));
  if (opt_client == NULL)
    return usage_error (context, command->name, _("export chart needs --client"));
  if (opt_output == NULL)
    return usage_error (context, command->name, _("export chart needs --out FILE"));
  if ((opt_from != NULL && !tend_date_parse (opt_from, &d, &error)) ||
      (opt_to != NULL && !tend_date_parse (opt_to, &d, &error)))
    return usage_error (context, command->name, error->message);
  if (opt_from != NULL && opt_to != NULL && strcmp (opt_to, opt_from) < 0)
    return usage_error (context, command->name, _("--to must not be before --from"));

  if (!open_store (&cs, FALSE, &error) ||
      (client_id = find_client_id (cs.store, opt_client, &error)) == NULL ||
      (bundle = tend_chart_collect (cs.store, client_id, opt_from, opt_to, &error)) == NULL ||
      !tend_chart_pdf_write (bundle, opt_output, NULL, NULL, NULL, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  g_print (ngettext ("Wrote a chart with %u note to %s\n", "Wrote a chart with %u notes to %s\n", bundle->notes->len),
           bundle->notes->len, opt_output);
  return EXIT_OK;
}

static int run_export_billing (int argc, char **argv);
static int run_import_835 (int argc, char **argv);

static gboolean
is_billing_format (const char *word)
{
  static const char * const formats[] = { "837p", "invoice", "statement", "superbill", "report", NULL };

  return word != NULL && g_strv_contains (formats, word);
}

static int
run_export (int    argc,
            char **argv)
{
  const Command *command = &commands[4];
  g_autoptr(GOptionContext) context = command_context (command, export_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(TendStaff) clinician = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;
  TendIcsContext ctx;
  gint64 from, to;
  int status;

  if (argc > 1 && is_billing_format (argv[1]))
    return run_export_billing (argc, argv);
  if (!parse_options (context, command, &argc, &argv, &status) ||
      !check_format (context, command, argc, argv, &status))
    return status;
  if (strcmp (argv[1], "chart") == 0)
    return run_export_chart (context, command, argc, argv);
  if (argc > 2)
    return usage_error (context, command->name, _("export ics takes no other arguments"));
  if (opt_time_zone != NULL)
    {
      g_autoptr(GTimeZone) tz = tend_time_zone_new (opt_time_zone, &error);

      if (tz == NULL)
        return usage_error (context, command->name, error->message);
    }

  if (!open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  practice = tend_store_load_practice (cs.store, &error);
  if (practice == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  zone = tend_practice_dup_zone (practice);
  if (!parse_range (command, zone, &from, &to))
    return EXIT_USAGE;
  if (opt_clinician != NULL)
    {
      clinician = find_staff (cs.store, opt_clinician, &error);
      if (clinician == NULL)
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
    }

  /* Recorded before anything is written: no audit row, no data. */
  if (!tend_store_audit (cs.store, opt_full_detail ? "export-ics-full-detail" : "export-ics",
                         clinician != NULL ? "staff" : NULL,
                         clinician != NULL ? tend_record_get_id (TEND_RECORD (clinician)) : NULL, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  {
    const char *ids[] = { clinician != NULL ? tend_record_get_id (TEND_RECORD (clinician)) : NULL, NULL };

    appointments = tend_schedule_list (cs.store, from, to, clinician != NULL ? ids : NULL, &error);
  }
  if (appointments == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  /* The series the occurrences belong to, each once. */
  for (guint i = 0; i < appointments->len; i++)
    {
      const char *series_id = tend_appointment_get_series_id (appointments->pdata[i]);
      g_autoptr(TendRecord) record = NULL;

      if (series_id == NULL || g_hash_table_contains (seen, series_id))
        continue;
      g_hash_table_add (seen, (gpointer) series_id);
      record = tend_store_load (cs.store, TEND_TYPE_SERIES, series_id, NULL);
      if (record != NULL && !tend_record_get_deleted (record))
        g_ptr_array_add (series, g_steal_pointer (&record));
    }

  tend_ics_context_init (&ctx);
  ctx.practice_name = tend_practice_get_name (practice);
  ctx.time_zone = tend_practice_get_time_zone (practice) != NULL ? tend_practice_get_time_zone (practice) : "UTC";
  ctx.lookup = lookup_name_cb;
  ctx.lookup_data = cs.store;
  ctx.privacy = !opt_full_detail;
  ctx.attendee_time_zone = opt_time_zone;
  text = tend_ics_export (appointments, series, &ctx, &error);
  if (text == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  if (opt_output != NULL)
    {
      /* Health data, even in private mode (times, initials): owner only. */
      if (!g_file_set_contents_full (opt_output, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      g_print (ngettext ("Wrote %u appointment to %s\n", "Wrote %u appointments to %s\n", appointments->len),
               appointments->len, opt_output);
      return EXIT_OK;
    }
  if (fputs (text, stdout) < 0 || fflush (stdout) != 0)
    {
      g_printerr (_("tend-cli %s: could not write the results: %s\n"), command->name, g_strerror (errno));
      return EXIT_ERROR;
    }
  return EXIT_OK;
}

/* Reads @path, refusing what is too large to be a calendar before reading it. */
static char *
read_calendar_file (const char  *path,
                    gsize       *length,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  char *data = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local);
  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, local->code, _("Could not read %s: %s"), path, local->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("%s is not a file."), path);
      return NULL;
    }
  if (g_file_info_get_size (info) > TEND_ICS_MAX_BYTES)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("%s is larger than %u MB: too large for a calendar Tend imports."),
                   path, TEND_ICS_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &data, length, NULL, &local))
    {
      g_set_error (error, G_IO_ERROR, local->code, _("Could not read %s: %s"), path, local->message);
      return NULL;
    }
  return data;
}

static int
run_import (int    argc,
            char **argv)
{
  const Command *command = &commands[5];
  g_autoptr(GOptionContext) context = command_context (command, import_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(TendStaff) clinician = NULL;
  g_autoptr(GPtrArray) busy = NULL;
  g_autoptr(GDateTime) from_dt = NULL;
  g_autoptr(GDateTime) to_dt = NULL;
  g_autofree char *data = NULL;
  TendIcsImportOptions opts;
  const char *path;
  const char *clinician_id;
  gsize length = 0;
  guint added = 0, updated = 0;
  gint64 from, to;
  int status;

  if (argc > 1 && g_strcmp0 (argv[1], "835") == 0)
    return run_import_835 (argc, argv);
  if (!parse_options (context, command, &argc, &argv, &status) ||
      !check_format (context, command, argc, argv, &status))
    return status;
  if (argc < 3)
    return usage_error (context, command->name, _("the file to import is missing (FILE)"));
  if (argc > 3)
    return usage_error (context, command->name, _("import ics takes one file"));
  if (opt_clinician == NULL)
    return usage_error (context, command->name, _("--clinician is required: whose busy time is it?"));
  path = argv[2];

  if (!open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  practice = tend_store_load_practice (cs.store, &error);
  if (practice == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  zone = tend_practice_dup_zone (practice);
  if (!parse_range (command, zone, &from, &to))
    return EXIT_USAGE;
  clinician = find_staff (cs.store, opt_clinician, &error);
  if (clinician == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  clinician_id = tend_record_get_id (TEND_RECORD (clinician));

  data = read_calendar_file (path, &length, &error);
  if (data == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  from_dt = tend_time_from_unix_usec (from);
  to_dt = tend_time_from_unix_usec (to);
  tend_ics_import_options_init (&opts);
  opts.clinician_id = clinician_id;
  opts.time_zone = tend_practice_get_time_zone (practice) != NULL ? tend_practice_get_time_zone (practice) : "UTC";
  opts.from = from_dt;
  opts.to = to_dt;
  opts.keep_titles = opt_keep_titles;
  busy = tend_ics_import (data, length, &opts, &error);
  if (busy == NULL)
    {
      /* TRANSLATORS: "tend-cli import: leave.ics: Line 12, event “…”: the event has no start (DTSTART)" */
      g_printerr (_("tend-cli %s: %s: %s\nNothing was imported.\n"), command->name, path, error->message);
      return EXIT_ERROR;
    }

  /* All or nothing: one transaction.  Each event's appointment has an id
   * derived from the event (tend_ics_import_id()), so an event imported
   * before is found and updated. */
  if (!tend_store_begin (cs.store, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  for (guint i = 0; i < busy->len; i++)
    {
      TendRecord *record = busy->pdata[i];
      g_autoptr(GError) local = NULL;
      g_autoptr(TendRecord) existing = tend_store_load (cs.store, TEND_TYPE_APPOINTMENT,
                                                        tend_record_get_id (record), &local);

      if (existing == NULL && !g_error_matches (local, TEND_ERROR, TEND_ERROR_NOT_FOUND))
        {
          g_propagate_error (&error, g_steal_pointer (&local));
          break;
        }
      if (!tend_store_save (cs.store, record, &error))
        break;
      if (existing != NULL && !tend_record_get_deleted (existing))
        updated++;
      else
        added++;
    }
  if (error == NULL)
    tend_store_audit (cs.store, "import-ics", "staff", clinician_id, &error);
  if (error != NULL || !tend_store_commit (cs.store, &error))
    {
      tend_store_rollback (cs.store);
      g_printerr (_("tend-cli %s: %s\nNothing was imported.\n"), command->name, error->message);
      return EXIT_ERROR;
    }

  g_print (ngettext ("Read %u busy time from %s\n", "Read %u busy times from %s\n", busy->len), busy->len, path);
  /* TRANSLATORS: counts, one to a line: "Added: 12" */
  g_print (_("Added: %u\n"), added);
  g_print (_("Updated: %u\n"), updated);
  return EXIT_OK;
}

/* Billing: export 837p|invoice|statement|superbill|report, import 835 */

static char **opt_claims = NULL;
static gboolean opt_create_claims = FALSE;
static gboolean opt_test_file = FALSE;

static const GOptionEntry billing_export_entries[] = {
  { "client", 0, 0, G_OPTION_ARG_STRING, &opt_client,
    N_("The client, by id or record number (invoice, statement, superbill)"), N_("CLIENT") },
  { "claim", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_claims,
    N_("Send this claim, by id (837p; repeat for several; default: every draft)"), N_("CLAIM") },
  { "create-claims", 0, 0, G_OPTION_ARG_NONE, &opt_create_claims,
    N_("First put insurance charges that are on no claim onto new draft claims (837p)"), NULL },
  { "test", 0, 0, G_OPTION_ARG_NONE, &opt_test_file,
    N_("Mark the 837p as a test file for the clearinghouse"), NULL },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    N_("The first day, YYYY-MM-DD"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to,
    N_("The last day, YYYY-MM-DD (default: today)"), N_("DATE") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
    N_("Write to FILE, readable by its owner only (required for PDFs; default: standard output)"), N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static gboolean
write_output (const char  *command,
              const char  *data,
              gsize        length,
              GError     **error)
{
  if (opt_output != NULL)
    /* Health and billing data: owner only. */
    return g_file_set_contents_full (opt_output, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("could not write the results: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static int
run_export_billing (int    argc,
                    char **argv)
{
  const Command *command = &commands[4];
  g_autoptr(GOptionContext) context = command_context (command, billing_export_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  const char *format;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  format = argv[1];
  if (strcmp (format, "report") == 0 ? argc != 3 : argc != 2)
    return usage_error (context, command->name,
                        strcmp (format, "report") == 0
                        ? _("name one report: revenue, outstanding, unbilled or claims")
                        : _("too many arguments"));
  if (!open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }

  if (strcmp (format, "837p") == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *text = NULL;
      guint n = 0;

      if (opt_create_claims)
        {
          g_autoptr(GPtrArray) made = tend_billing_create_claims (cs.store, NULL, &error);

          if (made == NULL)
            {
              print_error (command->name, error);
              return EXIT_ERROR;
            }
          g_printerr (ngettext ("Created %u draft claim\n", "Created %u draft claims\n", made->len), made->len);
        }
      text = tend_billing_export_837p (cs.store, (const char * const *) opt_claims, now, opt_test_file, &n, &error);
      if (text == NULL || !write_output (command->name, text, strlen (text), &error))
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      g_printerr (ngettext ("Sent %u claim; it is now submitted\n", "Sent %u claims; they are now submitted\n", n), n);
      return EXIT_OK;
    }

  if (strcmp (format, "report") == 0)
    {
      g_autoptr(TendTable) table = tend_billing_export_report (cs.store, argv[2], opt_from, opt_to, &error);
      g_autofree char *csv = NULL;

      if (table == NULL)
        {
          print_error (command->name, error);
          return g_error_matches (error, TEND_ERROR, TEND_ERROR_INVALID) ? EXIT_USAGE : EXIT_ERROR;
        }
      csv = tend_csv_from_table (table);
      if (!tend_store_audit (cs.store, "export-report", NULL, NULL, &error) ||
          !write_output (command->name, csv, strlen (csv), &error))
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      return EXIT_OK;
    }

  /* invoice, statement, superbill */
  {
    TendBillKind kind = strcmp (format, "invoice") == 0 ? TEND_BILL_INVOICE :
                        strcmp (format, "statement") == 0 ? TEND_BILL_STATEMENT : TEND_BILL_SUPERBILL;
    g_autofree char *client_id = NULL;
    g_autoptr(TendBill) bill = NULL;

    if (opt_client == NULL)
      return usage_error (context, command->name, _("--client is required"));
    if (opt_output == NULL)
      return usage_error (context, command->name, _("--output is required for a PDF"));
    client_id = find_client_id (cs.store, opt_client, &error);
    if (client_id == NULL ||
        (bill = tend_billing_export_bill (cs.store, kind, client_id, opt_from, opt_to, &error)) == NULL)
      {
        print_error (command->name, error);
        return EXIT_ERROR;
      }
    if (!tend_bill_write_pdf (bill, opt_output, &error) || g_chmod (opt_output, 0600) != 0)
      {
        if (error == NULL)
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strerror (errno));
        print_error (command->name, error);
        return EXIT_ERROR;
      }
    g_print (_("Wrote %s to %s\n"), bill->number, opt_output);
    return EXIT_OK;
  }
}

#define MAX_835_BYTES (20 * 1024 * 1024)

static int
run_import_835 (int    argc,
                char **argv)
{
  const Command *command = &commands[5];
  g_autoptr(GOptionContext) context = command_context (command, NULL);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autofree char *data = NULL;
  TendRemitResult result = { 0, };
  gsize length = 0;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return usage_error (context, command->name, _("import 835 takes one FILE"));
  {
    GStatBuf st;

    if (g_stat (argv[2], &st) == 0 && st.st_size > MAX_835_BYTES)
      {
        g_printerr (_("tend-cli %s: %s is larger than %u MB: too large for a remittance\n"),
                    command->name, argv[2], MAX_835_BYTES / (1024 * 1024));
        return EXIT_ERROR;
      }
  }
  if (!g_file_get_contents (argv[2], &data, &length, &error) || !open_store (&cs, FALSE, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  if (!tend_billing_import_835 (cs.store, data, length, &result, &error))
    {
      print_error (command->name, error);
      tend_remit_result_clear (&result);
      g_printerr (_("Nothing was posted.\n"));
      return EXIT_ERROR;
    }
  practice = tend_store_load_practice (cs.store, NULL);
  {
    const char *currency = practice != NULL ? tend_practice_get_currency (practice) : "USD";
    TendMoney paid = tend_money_init (result.posted, currency);
    TendMoney adjusted = tend_money_init (result.adjusted, currency);
    TendMoney moved = tend_money_init (result.moved_to_client, currency);
    g_autofree char *p = tend_money_format (&paid);
    g_autofree char *a = tend_money_format (&adjusted);
    g_autofree char *m = tend_money_format (&moved);

    /* TRANSLATORS: "Posted 12 lines of 5 claims: $1,200.00 paid, $300.00 adjusted, $80.00 moved to clients" */
    g_print (_("Posted %u lines of %u claims: %s paid, %s adjusted, %s moved to clients\n"),
             result.lines_posted, result.claims_matched, p, a, m);
  }
  if (result.unmatched->len > 0)
    {
      g_print (ngettext ("%u item needs a person:\n", "%u items need a person:\n", result.unmatched->len),
               result.unmatched->len);
      for (guint i = 0; i < result.unmatched->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (result.unmatched, i));
    }
  tend_remit_result_clear (&result);
  return EXIT_OK;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n  tend-cli %s\n\n%s\n", _("Usage:"), _("COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *synopsis = g_strdup_printf ("%s %s", commands[i].name,
                                                   commands[i].parameters[0] != '\0' ? _(commands[i].parameters) : "");

      fprintf (out, "  %-16s %s\n", synopsis, _(commands[i].brief));
    }
  fprintf (out, "\n%s\n", _("Every command takes --store PATH and --key-file FILE; “tend-cli COMMAND --help” tells more."));
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  tend_process_use_malloc (argv);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("tend-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }
  name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      if (strcmp (name, "help") == 0 && argc > 2)
        {
          for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
            if (strcmp (commands[i].name, argv[2]) == 0)
              {
                char *help_argv[] = { argv[2], (char *) "--help", NULL };

                return commands[i].run (2, help_argv);
              }
        }
      print_usage (stdout);
      return EXIT_OK;
    }
  if (strcmp (name, "--version") == 0)
    {
      g_print ("tend-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("tend-cli: “%s” is not a command.\n\n"), name);
  print_usage (stderr);
  return EXIT_USAGE;
}

/* sync */

static char *opt_server = NULL;
static char *opt_email = NULL;
static char *opt_password_file = NULL;
static char *opt_totp = NULL;
static char *opt_ca_file = NULL;
static char *opt_compression = NULL;

static const GOptionEntry sync_entries[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server,
    N_("The practice server’s address, like https://tend.example.org"), N_("URL") },
  { "email", 0, 0, G_OPTION_ARG_STRING, &opt_email,
    N_("The e-mail address you sign in with"), N_("ADDRESS") },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_password_file,
    N_("Read the password from the first line of FILE"), N_("FILE") },
  { "totp", 0, 0, G_OPTION_ARG_STRING, &opt_totp,
    N_("The six-digit code of your authenticator, when your account has one"), N_("CODE") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file,
    N_("Trust the certificates in FILE for this server (a self-hosted practice’s own authority)"), N_("FILE") },
  { "compression", 0, 0, G_OPTION_ARG_STRING, &opt_compression,
    N_("Compress on the wire: auto (not with a server on this computer), always (a tunnel through this computer to a server elsewhere) or never"),
    N_("WHEN") },
  G_OPTION_ENTRY_NULL
};

static int
run_sync (int    argc,
          char **argv)
{
  const Command *command = &commands[6];
  g_autoptr(GOptionContext) context = command_context (command, sync_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;
  char *password = NULL;
  TendSyncStats stats = { 0 };
  g_autofree char *backlog_text = NULL;
  gint64 backlog;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage_error (context, command->name, _("sync takes no arguments"));
  if (opt_server == NULL || opt_email == NULL)
    return usage_error (context, command->name, _("--server and --email are needed"));

  if (opt_compression != NULL && strcmp (opt_compression, "auto") != 0 &&
      strcmp (opt_compression, "always") != 0 && strcmp (opt_compression, "never") != 0)
    return usage_error (context, command->name, _("--compression is auto, always or never"));
  if (!tend_sync_check_server_url (opt_server, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  password = tend_read_secret_line (opt_password_file, &error);
  /* A new workstation starts from an empty store. */
  if (password == NULL || !open_store (&cs, TRUE, &error))
    {
      tend_secret_free (password);
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  engine = tend_sync_engine_new (cs.store, opt_server);
  if (g_strcmp0 (opt_compression, "always") == 0 || g_strcmp0 (opt_compression, "never") == 0)
    tend_sync_engine_set_compression (engine, strcmp (opt_compression, "always") == 0);
  if (!tend_sync_engine_set_ca_file (engine, opt_ca_file, &error) ||
      !tend_sync_engine_login (engine, opt_email, password, opt_totp, NULL, &error))
    {
      tend_secret_free (password);
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  tend_secret_free (password);
  if (!tend_sync_engine_run (engine, &stats, NULL, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  /* TRANSLATORS: a summary of one sync; each %u is a count */
  g_print (_("Sent %u, refused %u; received %u, merged %u, already here %u; conflicts to resolve %u; waiting %u\n"),
           stats.pushed, stats.rejected, stats.applied, stats.merged, stats.skipped, stats.conflicts,
           tend_store_sync_count_waiting (cs.store));
  /* A big first sync leaves the search indexes to be built after the rows:
   * build them now, so the store this leaves behind is complete. */
  if ((backlog = tend_store_search_backlog (cs.store)) > 0)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!tend_store_search_build (cs.store, NULL, NULL, NULL, &error))
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      backlog_text = g_strdup_printf ("%" G_GINT64_FORMAT, backlog);
      /* TRANSLATORS: %s is a count of records, %.1f seconds */
      g_print (_("Search index: %s records added in %.1f s\n"), backlog_text, (g_get_monotonic_time () - t0) / 1e6);
    }
  return stats.conflicts > 0 || stats.rejected > 0 ? EXIT_ERROR : EXIT_OK;
}

/* Messaging: as the person the store belongs to (its current user). */

static gboolean
act_as_current_user (TendStore  *store,
                     GError    **error)
{
  g_autofree char *user_id = tend_store_get_meta (store, "current_user_id");
  g_autoptr(TendRecord) user = NULL;

  if (user_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                           _("The store has no person of its own yet: sign in with “sync” or set it up in Tend first"));
      return FALSE;
    }
  user = tend_store_load (store, TEND_TYPE_STAFF, user_id, error);
  if (user == NULL)
    return FALSE;
  tend_store_set_actor (store, user_id, tend_staff_get_role (TEND_STAFF (user)));
  return TRUE;
}

static int
run_messages (int    argc,
              char **argv)
{
  const Command *command = &commands[7];
  g_autoptr(GOptionContext) context = command_context (command, NULL);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage_error (context, command->name, _("messages takes no arguments"));
  cs.read_only = TRUE;
  if (!open_store (&cs, FALSE, &error) || !act_as_current_user (cs.store, &error) ||
      (list = tend_messages_list_conversations (cs.store, NULL, &error)) == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  for (guint i = 0; i < list->len; i++)
    {
      TendConversationSummary *s = list->pdata[i];
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (s->last_usec / G_USEC_PER_SEC);
      g_autofree char *when = at != NULL ? g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
      const char *subject = tend_conversation_get_subject (s->conversation);

      g_print ("%s\t%u\t%s\t%s\n", tend_record_get_id (TEND_RECORD (s->conversation)), s->unread, when,
               subject != NULL ? subject : "");
    }
  return EXIT_OK;
}

static char *opt_conversation = NULL;
static char **opt_to_staff = NULL;
static char *opt_subject = NULL;

static const GOptionEntry send_entries[] = {
  { "conversation", 0, 0, G_OPTION_ARG_STRING, &opt_conversation,
    N_("Post in this conversation"), N_("ID") },
  { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_to_staff,
    N_("Start a conversation with this member of staff (repeatable; “all”: everyone active)"), N_("ID") },
  { "subject", 0, 0, G_OPTION_ARG_STRING, &opt_subject,
    N_("The new conversation’s subject"), N_("TEXT") },
  G_OPTION_ENTRY_NULL
};

static int
run_send (int    argc,
          char **argv)
{
  const Command *command = &commands[8];
  g_autoptr(GOptionContext) context = command_context (command, send_entries);
  g_auto(CliStore) cs = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(TendConversation) started = NULL;
  g_autoptr(TendMessage) message = NULL;
  g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  const char *conversation_id = opt_conversation;
  int status;

  if (!parse_options (context, command, &argc, &argv, &status))
    return status;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, argv[i]);
    }
  if (text->len == 0)
    return usage_error (context, command->name, _("the message is missing (TEXT)"));
  if ((opt_conversation == NULL) == (opt_to_staff == NULL))
    return usage_error (context, command->name, _("give either --conversation or --to"));
  if (!open_store (&cs, FALSE, &error) || !act_as_current_user (cs.store, &error))
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  for (guint i = 0; opt_to_staff != NULL && opt_to_staff[i] != NULL; i++)
    {
      if (strcmp (opt_to_staff[i], "all") == 0)
        {
          g_autoptr(GPtrArray) staff = tend_store_list (cs.store, TEND_TYPE_STAFF, &error);

          if (staff == NULL)
            {
              print_error (command->name, error);
              return EXIT_ERROR;
            }
          for (guint j = 0; j < staff->len; j++)
            if (tend_staff_get_active (staff->pdata[j]))
              g_ptr_array_add (to, g_strdup (tend_record_get_id (staff->pdata[j])));
        }
      else if (!g_uuid_string_is_valid (opt_to_staff[i]))
        return usage_error (context, command->name, _("--to takes a staff id (see “info”) or “all”"));
      else
        g_ptr_array_add (to, g_strdup (opt_to_staff[i]));
    }
  if (to->len > 0)
    {
      g_ptr_array_add (to, NULL);
      started = tend_messages_start (cs.store, (const char * const *) to->pdata, opt_subject, NULL, FALSE, FALSE, &error);
      if (started == NULL)
        {
          print_error (command->name, error);
          return EXIT_ERROR;
        }
      conversation_id = tend_record_get_id (TEND_RECORD (started));
    }
  message = tend_messages_send (cs.store, conversation_id, text->str, NULL, &error);
  if (message == NULL)
    {
      print_error (command->name, error);
      return EXIT_ERROR;
    }
  g_print ("%s\n", conversation_id);
  return EXIT_OK;
}
