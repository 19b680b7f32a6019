/* tend-context.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening the store means talking to the keyring over D-Bus and maybe
 * running migrations, and first-run set-up hashes a password with argon2id:
 * both happen in GTask threads so the window keeps drawing.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tend-context.h"
#include "tend-insurance.h"
#include "tend-keyring.h"
#include "tend-schedule.h"
#include "tend-sync-engine.h"

/* How often the schedule's upkeep runs while Tend is open (it also runs
 * when the store opens and after a series changes). */
#define UPKEEP_INTERVAL_S 3600
#define UPKEEP_FIRST_DELAY_S 5

struct _TendContext
{
  GObject           parent_instance;

  char             *store_path;
  GSettings        *settings;
  TendContextState  state;
  GError           *error;
  TendStore        *store;
  TendPractice     *practice;
  TendStaff        *user;
  GTimeZone        *zone;
  GCancellable     *cancellable;

  TendSyncController *sync;
  gint              connect_progress;   /* atomic: records received (connect) or sent (move) */

  GCancellable     *upkeep_cancellable;
  guint             upkeep_timeout;
  guint             upkeep_first;
  gboolean          upkeep_running;
  gint              insurance_converted;  /* set by the upkeep thread: policies were made */
  gboolean          upkeep_again;

  /* The search indexes after a big first sync (tend_store_search_build()) */
  GCancellable     *search_cancellable;
  gboolean          search_running;
  gint64            search_done;       /* under search_lock */
  gint64            search_total;
  GMutex            search_lock;
  guint             search_idle;
};

G_DEFINE_FINAL_TYPE (TendContext, tend_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE_PATH,
  PROP_SETTINGS,
  PROP_STATE,
  PROP_STORE,
  PROP_PRACTICE,
  PROP_USER,
  PROP_SEARCH_PROGRESS,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
on_upkeep_first_cb (gpointer user_data)
{
  TendContext *self = user_data;

  self->upkeep_first = 0;
  tend_context_request_upkeep (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_upkeep_timeout_cb (gpointer user_data)
{
  tend_context_request_upkeep (TEND_CONTEXT (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_state (TendContext      *self,
           TendContextState  state)
{
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (state == TEND_CONTEXT_STATE_READY)
    {
      if (self->sync != NULL)
        tend_sync_controller_start (self->sync);
      /* The first upkeep waits until the window has settled: it would
       * compete with the first frames for the processor. */
      if (self->upkeep_first == 0)
        self->upkeep_first = g_timeout_add_seconds (UPKEEP_FIRST_DELAY_S, on_upkeep_first_cb, self);
      if (self->upkeep_timeout == 0)
        self->upkeep_timeout = g_timeout_add_seconds (UPKEEP_INTERVAL_S, on_upkeep_timeout_cb, self);
      tend_context_request_search_build (self);
    }
}

static void
fail (TendContext *self,
      GError      *error)
{
  g_clear_error (&self->error);
  self->error = error;
  set_state (self, TEND_CONTEXT_STATE_ERROR);
}

static void
on_sync_changed_cb (TendContext *self)
{
  if (self->sync != NULL && tend_sync_controller_get_state (self->sync) == TEND_SYNC_STATE_IDLE)
    tend_context_request_search_build (self);
}

/* Reads the practice and the person working at this computer. */
static gboolean
adopt_store (TendContext *self,
             TendStore   *store,
             GError     **error)
{
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(TendRecord) user = NULL;
  g_autofree char *user_id = NULL;

  practice = tend_store_load_practice (store, error);
  if (practice == NULL)
    return FALSE;
  user_id = tend_store_get_meta (store, "current_user_id");
  if (user_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                           _("No user is set up on this computer"));
      return FALSE;
    }
  user = tend_store_load (store, TEND_TYPE_STAFF, user_id, error);
  if (user == NULL)
    return FALSE;

  tend_store_set_actor (store, user_id, tend_staff_get_role (TEND_STAFF (user)));

  g_set_object (&self->store, store);
  g_set_object (&self->practice, practice);
  if (self->sync != NULL)
    tend_sync_controller_stop (self->sync);
  g_clear_object (&self->sync);
  {
    g_autofree char *server = tend_store_get_meta (store, "server_url");
    g_autofree char *ca_file = tend_store_get_meta (store, "server_ca_file");

    if (server != NULL)
      {
        self->sync = tend_sync_controller_new (store, server, ca_file);
        /* A first sync may leave the search indexes to build. */
        g_signal_connect_object (self->sync, "changed", G_CALLBACK (on_sync_changed_cb), self, G_CONNECT_SWAPPED);
      }
  }
  g_set_object (&self->user, TEND_STAFF (user));
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = tend_practice_dup_zone (practice);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
  return TRUE;
}

/**
 * tend_context_switch_user:
 * @staff_id: whose password the lock screen just checked
 *
 * Makes @staff_id the person working at this computer, on a store without
 * a practice server (with one, this computer syncs as the person who signed
 * in to it, so another person must not read through that sign-in).  The
 * context stays ready; its user, and the store's actor, change.
 */
gboolean
tend_context_switch_user (TendContext *self,
                          const char  *staff_id,
                          GError     **error)
{
  g_autoptr(TendRecord) staff = NULL;
  g_autofree char *previous = NULL;

  g_return_val_if_fail (TEND_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (staff_id != NULL, FALSE);

  if (self->store == NULL || self->state != TEND_CONTEXT_STATE_READY)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_FAILED, _("Tend is not open yet"));
      return FALSE;
    }
  if (self->user != NULL && g_strcmp0 (tend_record_get_id (TEND_RECORD (self->user)), staff_id) == 0)
    return TRUE;
  if (self->sync != NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("This computer syncs with the practice server as one person: "
                             "another person signs in on their own computer"));
      return FALSE;
    }
  staff = tend_store_load (self->store, TEND_TYPE_STAFF, staff_id, error);
  if (staff == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("This person is not on the staff list"));
      return FALSE;
    }
  if (!tend_staff_get_active (TEND_STAFF (staff)))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("This person is no longer active on the staff list"));
      return FALSE;
    }
  previous = self->user != NULL ? g_strdup (tend_record_get_id (TEND_RECORD (self->user))) : NULL;
  if (!tend_store_set_meta (self->store, "current_user_id", staff_id, error))
    return FALSE;
  if (!adopt_store (self, self->store, error))
    {
      /* Back to who was there: the store's actor must not be left between. */
      if (previous != NULL)
        {
          tend_store_set_meta (self->store, "current_user_id", previous, NULL);
          adopt_store (self, self->store, NULL);
        }
      return FALSE;
    }
  tend_store_audit (self->store, "switch-user", "staff", staff_id, NULL);
  return TRUE;
}

/* Worker: the result is a TendStore, or NULL meaning "no database yet". */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GBytes) key = NULL;
  GError *error = NULL;
  TendStore *store;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  key = tend_keyring_lookup_key (path, cancellable, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (key == NULL)
    {
      /* Never make a new key for an existing file: that would lose it all. */
      g_task_return_new_error (task, TEND_STORE_ERROR, TEND_STORE_ERROR_KEY_MISSING,
                               _("The database at %s exists, but its key is not in your keyring."), path);
      return;
    }
  store = tend_store_open (path, key, TEND_STORE_OPEN_NONE, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  TendContext *self = TEND_CONTEXT (source);
  g_autoptr(TendStore) store = NULL;
  GError *error = NULL;

  store = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error);
      else
        g_error_free (error);
      return;
    }
  if (store == NULL)
    {
      set_state (self, TEND_CONTEXT_STATE_SETUP);
      return;
    }
  if (!adopt_store (self, store, &error))
    {
      if (g_error_matches (error, TEND_ERROR, TEND_ERROR_NOT_FOUND))
        {
          /* Set-up was interrupted after the database was made: finish it. */
          g_set_object (&self->store, store);
          g_error_free (error);
          set_state (self, TEND_CONTEXT_STATE_SETUP);
          return;
        }
      fail (self, error);
      return;
    }
  set_state (self, TEND_CONTEXT_STATE_READY);
}

/**
 * tend_context_load:
 *
 * Finds the key and opens the store; watch #TendContext:state.
 */
void
tend_context_load (TendContext *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEND_IS_CONTEXT (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_state (self, TEND_CONTEXT_STATE_LOADING);
  task = g_task_new (self, self->cancellable, load_cb, NULL);
  g_task_set_source_tag (task, tend_context_load);
  g_task_set_task_data (task, g_strdup (self->store_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

typedef struct
{
  char      *path;
  TendStore *existing;
  char      *practice_name;
  char      *time_zone;
  char      *given_name;
  char      *family_name;
  char      *email;
  TendRole   role;
  char      *password;
} SetupData;

static void
setup_data_free (SetupData *d)
{
  g_free (d->path);
  g_clear_object (&d->existing);
  g_free (d->practice_name);
  g_free (d->time_zone);
  g_free (d->given_name);
  g_free (d->family_name);
  g_free (d->email);
  if (d->password != NULL)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static void
setup_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SetupData *d = task_data;
  g_autoptr(TendPractice) practice = tend_practice_new (d->practice_name, d->time_zone);
  g_autoptr(TendStaff) staff = tend_staff_new (d->given_name, d->family_name, d->role);
  g_autoptr(TendStore) store = NULL;
  GError *error = NULL;

  tend_record_set_string (TEND_RECORD (staff), "email", d->email);

  /* Check everything before anything touches the disk or the keyring. */
  if (!tend_record_validate (TEND_RECORD (practice), &error) ||
      !tend_record_validate (TEND_RECORD (staff), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (d->existing != NULL)
    {
      g_autoptr(TendPractice) found = NULL;

      store = g_object_ref (d->existing);
      /* Set-up was interrupted after the practice was saved: keep its id
       * (other records may point at it) and take the new name and zone. */
      found = tend_store_load_practice (store, NULL);
      if (found != NULL)
        {
          tend_record_set_string (TEND_RECORD (found), "name", d->practice_name);
          tend_record_set_string (TEND_RECORD (found), "time_zone", d->time_zone);
          g_set_object (&practice, found);
        }
    }
  else
    {
      g_autoptr(GBytes) key = NULL;

      if (g_file_test (d->path, G_FILE_TEST_EXISTS))
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                                   _("A database already exists at %s"), d->path);
          return;
        }
      key = tend_keyring_generate_key ();
      /* The key goes to the keyring first: a database without its key is lost. */
      if (!tend_keyring_store_key (d->path, key, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      store = tend_store_open (d->path, key, TEND_STORE_OPEN_CREATE, &error);
      if (store == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (!tend_store_begin (store, &error) ||
      !tend_store_save (store, TEND_RECORD (practice), &error) ||
      !tend_store_save (store, TEND_RECORD (staff), &error) ||
      !tend_store_set_password (store, tend_record_get_id (TEND_RECORD (staff)), d->password, &error) ||
      !tend_store_set_meta (store, "current_user_id", tend_record_get_id (TEND_RECORD (staff)), &error) ||
      !tend_store_commit (store, &error))
    {
      tend_store_rollback (store);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

void
tend_context_setup_async (TendContext         *self,
                          const TendSetupInfo *info,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SetupData *d;

  g_return_if_fail (TEND_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tend_context_setup_async);
  d = g_new0 (SetupData, 1);
  d->path = g_strdup (self->store_path);
  d->existing = self->store != NULL ? g_object_ref (self->store) : NULL;
  d->practice_name = g_strdup (info->practice_name);
  d->time_zone = g_strdup (info->time_zone);
  d->given_name = g_strdup (info->given_name);
  d->family_name = g_strdup (info->family_name);
  d->email = g_strdup (info->email);
  d->role = info->role;
  d->password = g_strdup (info->password);
  g_task_set_task_data (task, d, (GDestroyNotify) setup_data_free);
  g_task_run_in_thread (task, setup_thread);
}

gboolean
tend_context_setup_finish (TendContext  *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_autoptr(TendStore) store = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  store = g_task_propagate_pointer (G_TASK (result), error);
  if (store == NULL)
    return FALSE;
  if (!adopt_store (self, store, error))
    return FALSE;
  set_state (self, TEND_CONTEXT_STATE_READY);
  return TRUE;
}

/* The schedule's upkeep (tend_schedule_maintain()) on a connection of its
 * own in a thread, as the system rather than the person signed in: series
 * rows for the rolling horizon, client reminders as sessions come near. */
static void
upkeep_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(TendStore) worker = NULL;
  GError *error = NULL;
  guint n = 0;

  worker = tend_store_open_worker (TEND_STORE (task_data), &error);
  if (worker == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  {
    /* Once per store, as the person signed in when they may write
     * policies: the client records' old insurance.* members whose payer
     * matches become policy records (tend-insurance.c).  A failure is
     * said and tried again at the next upkeep; it never stops the
     * schedule's. */
    g_autoptr(TendPolicy) probe = tend_policy_new (NULL, NULL, NULL);
    g_autoptr(GError) local = NULL;
    guint converted = 0;

    if (tend_store_check_write (worker, TEND_RECORD (probe), NULL) &&
        !tend_insurance_convert (worker, &converted, &local))
      g_warning ("Converting typed insurance into policies failed: %s", local->message);
    else if (converted > 0)
      g_atomic_int_set (&TEND_CONTEXT (source_object)->insurance_converted, 1);
  }
  tend_store_set_actor (worker, NULL, 0);
  if (!tend_schedule_maintain (worker, g_get_real_time (), &n, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
upkeep_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TendContext *self = TEND_CONTEXT (source);
  g_autoptr(GError) error = NULL;

  self->upkeep_running = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Only the error's text: it names no client.  The next run tries again. */
      g_warning ("Schedule upkeep failed: %s", error->message);
    }
  else if (self->store != NULL)
    {
      /* Rows made on the worker's connection: the views reload. */
      tend_store_notify_changed (self->store, "appointment");
      tend_store_notify_changed (self->store, "reminder");
      if (g_atomic_int_compare_and_exchange (&self->insurance_converted, 1, 0))
        tend_store_notify_changed (self->store, "policy");
    }
  if (self->upkeep_again)
    {
      self->upkeep_again = FALSE;
      tend_context_request_upkeep (self);
    }
}

/**
 * tend_context_request_upkeep:
 *
 * Runs the schedule's upkeep soon, in a thread: at most one at a time, and
 * a request during a run makes one more run after it.
 */
void
tend_context_request_upkeep (TendContext *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEND_IS_CONTEXT (self));

  if (self->store == NULL || self->state != TEND_CONTEXT_STATE_READY)
    return;
  /* Series rows and reminders are the schedule's: a computer whose person
   * may not change the schedule (a biller) leaves them to one that may,
   * rather than queue changes the server would refuse. */
  if (self->user != NULL && !tend_role_can (tend_staff_get_role (self->user), TEND_PERMISSION_MANAGE_SCHEDULE))
    return;
  if (self->upkeep_running)
    {
      self->upkeep_again = TRUE;
      return;
    }
  if (self->upkeep_cancellable == NULL)
    self->upkeep_cancellable = g_cancellable_new ();
  self->upkeep_running = TRUE;
  task = g_task_new (self, self->upkeep_cancellable, upkeep_cb, NULL);
  g_task_set_source_tag (task, tend_context_request_upkeep);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, upkeep_thread);
}

/**
 * tend_context_is_upkeep_running:
 *
 * Returns: whether the schedule's upkeep is running or due to run again
 */
gboolean
tend_context_is_upkeep_running (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), FALSE);
  return self->upkeep_running || self->upkeep_again;
}

/* The search indexes, built after a big first sync (see
 * tend-search-index.c) on a connection of their own, a chunk per
 * transaction, so the window and the sync write between chunks.  Stopped
 * when Tend closes; the next start goes on where it stopped. */
static gboolean
on_search_progress_idle_cb (gpointer user_data)
{
  TendContext *self = user_data;

  self->search_idle = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_PROGRESS]);
  return G_SOURCE_REMOVE;
}

static void
search_progress_cb (gint64   done,
                    gint64   total,
                    gpointer user_data)
{
  TendContext *self = user_data;

  g_mutex_lock (&self->search_lock);
  self->search_done = done;
  self->search_total = total;
  if (self->search_idle == 0)
    self->search_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_search_progress_idle_cb,
                                         g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->search_lock);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TendContext *self = source_object;
  g_autoptr(TendStore) worker = NULL;
  GError *error = NULL;

  worker = tend_store_open_worker (TEND_STORE (task_data), &error);
  if (worker == NULL ||
      !tend_store_search_build (worker, search_progress_cb, self, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TendContext *self = TEND_CONTEXT (source);
  g_autoptr(GError) error = NULL;

  self->search_running = FALSE;
  g_mutex_lock (&self->search_lock);
  self->search_done = self->search_total = 0;
  g_mutex_unlock (&self->search_lock);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The error's text names no client.  The next start tries again. */
      g_warning ("Building the search index failed: %s", error->message);
    }
  else if (self->store != NULL)
    {
      /* Searches made meanwhile were by family name only: they run again. */
      tend_store_notify_changed (self->store, "client");
      tend_store_notify_changed (self->store, "note");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_PROGRESS]);
}

/**
 * tend_context_request_search_build:
 *
 * Builds what the search indexes are missing (after a big first sync), in
 * a thread, when anything is; at most one build at a time.
 */
void
tend_context_request_search_build (TendContext *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEND_IS_CONTEXT (self));

  if (self->store == NULL || self->state != TEND_CONTEXT_STATE_READY || self->search_running)
    return;
  /* Two lookups in a one-row table: cheap enough for the main thread. */
  if (tend_store_search_indexed_upto (self->store, "client") < 0 &&
      tend_store_search_indexed_upto (self->store, "note") < 0)
    return;
  if (self->search_cancellable == NULL)
    self->search_cancellable = g_cancellable_new ();
  self->search_running = TRUE;
  task = g_task_new (self, self->search_cancellable, search_cb, NULL);
  g_task_set_source_tag (task, tend_context_request_search_build);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, search_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_PROGRESS]);
}

/**
 * tend_context_get_search_progress:
 *
 * Returns: how far the search indexes' build is, from 0 to 1, or -1 when
 *   none is running
 */
double
tend_context_get_search_progress (TendContext *self)
{
  double fraction;

  g_return_val_if_fail (TEND_IS_CONTEXT (self), -1);

  if (!self->search_running)
    return -1;
  g_mutex_lock (&self->search_lock);
  fraction = self->search_total > 0 ? (double) self->search_done / (double) self->search_total : 0;
  g_mutex_unlock (&self->search_lock);
  return CLAMP (fraction, 0, 1);
}

/* Connecting to a practice server */

typedef struct
{
  char        *path;
  char        *server;
  char        *ca_file;
  char        *email;
  char        *password;
  char        *totp;
  TendContext *self;       /* for the progress counter only */
  TendStore   *store;      /* moving: the open store, read through a worker connection */
  char        *user_id;    /* moving: the owner moving it */
  guint        refused;    /* moving: records the server refused */
} ConnectData;

static void
connect_data_free (ConnectData *d)
{
  g_free (d->path);
  g_free (d->server);
  g_free (d->ca_file);
  g_free (d->email);
  if (d->password != NULL)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d->totp);
  g_clear_object (&d->store);
  g_free (d->user_id);
  g_free (d);
}

/* What a connection or a move was given, trimmed, for its thread. */
static ConnectData *
connect_data_new (TendContext           *self,
                  const TendConnectInfo *info)
{
  ConnectData *d = g_new0 (ConnectData, 1);

  d->path = g_strdup (self->store_path);
  d->server = g_strstrip (g_strdup (info->server));
  d->ca_file = info->ca_file != NULL && *info->ca_file != '\0' ? g_strdup (info->ca_file) : NULL;
  d->email = g_strstrip (g_strdup (info->email));
  d->password = g_strdup (info->password);
  d->totp = info->totp != NULL && *info->totp != '\0' ? g_strdup (info->totp) : NULL;
  d->self = self;
  return d;
}

static void
connect_progress_cb (const TendSyncStats *stats,
                     gpointer             user_data)
{
  ConnectData *d = user_data;

  g_atomic_int_set (&d->self->connect_progress, (gint) (stats->applied + stats->merged + stats->skipped));
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectData *d = task_data;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;
  g_autoptr(TendRecord) staff = NULL;
  GError *error = NULL;
  const char *staff_id;

  if (!tend_sync_check_server_url (d->server, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_file_test (d->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS, _("A database already exists at %s"), d->path);
      return;
    }
  key = tend_keyring_generate_key ();
  if (!tend_keyring_store_key (d->path, key, cancellable, &error) ||
      (store = tend_store_open (d->path, key, TEND_STORE_OPEN_CREATE, &error)) == NULL)
    goto fail;
  engine = tend_sync_engine_new (store, d->server);
  tend_sync_engine_set_progress_func (engine, connect_progress_cb, d);
  if (!tend_sync_engine_set_ca_file (engine, d->ca_file, &error) ||
      !tend_sync_engine_login (engine, d->email, d->password, d->totp, cancellable, &error) ||
      !tend_keyring_store_token (d->path, d->server, tend_sync_engine_get_token (engine), cancellable, &error) ||
      !tend_store_set_meta (store, "server_url", d->server, &error) ||
      (d->ca_file != NULL && !tend_store_set_meta (store, "server_ca_file", d->ca_file, &error)) ||
      !tend_sync_engine_run (engine, NULL, cancellable, &error))
    goto fail;

  staff_id = tend_sync_engine_get_staff_id (engine);
  staff = staff_id != NULL ? tend_store_load (store, TEND_TYPE_STAFF, staff_id, NULL) : NULL;
  if (staff == NULL || tend_store_load_practice (store, NULL) == NULL)
    {
      g_set_error_literal (&error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                           _("The server has no practice or staff record for this account: ask the practice’s owner"));
      goto fail;
    }
  /* The lock screen takes the same password, checked here (argon2id). */
  if (!tend_store_set_password (store, staff_id, d->password, &error) ||
      !tend_store_set_meta (store, "current_user_id", staff_id, &error))
    goto fail;
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
  return;

fail:
  g_clear_object (&engine);
  g_clear_object (&store);
  /* Take back what the failed connection made: nothing half set up is left. */
  tend_store_remove_files (d->path);
  tend_keyring_clear_key (d->path, NULL, NULL);
  tend_keyring_clear_token (d->path, d->server, NULL, NULL);
  g_task_return_error (task, error);
}

/**
 * tend_context_connect_async:
 *
 * Sets this computer up from a practice server: a new encrypted store (its
 * key in the keyring), a session (its token in the keyring), and a first
 * full sync, whose progress tend_context_get_connect_progress() tells.
 * On failure or cancellation nothing is left behind.
 */
void
tend_context_connect_async (TendContext           *self,
                            const TendConnectInfo *info,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectData *d;

  g_return_if_fail (TEND_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tend_context_connect_async);
  d = connect_data_new (self, info);
  g_atomic_int_set (&self->connect_progress, 0);
  g_task_set_task_data (task, d, (GDestroyNotify) connect_data_free);
  g_task_run_in_thread (task, connect_thread);
}

gboolean
tend_context_connect_finish (TendContext  *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_autoptr(TendStore) store = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  store = g_task_propagate_pointer (G_TASK (result), error);
  if (store == NULL || !adopt_store (self, store, error))
    return FALSE;
  set_state (self, TEND_CONTEXT_STATE_READY);
  return TRUE;
}

/* Moving a practice that began without a server to one */

static void
move_progress_cb (const TendSyncStats *stats,
                  gpointer             user_data)
{
  ConnectData *d = user_data;

  g_atomic_int_set (&d->self->connect_progress, (gint) (stats->pushed + stats->rejected));
}

static void
move_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ConnectData *d = task_data;
  g_autoptr(TendStore) worker = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;
  TendSyncStats stats = { 0 };
  gboolean token_kept = FALSE;
  GError *error = NULL;

  if (!tend_sync_check_server_url (d->server, &error))
    goto fail;
  worker = tend_store_open_worker (d->store, &error);
  if (worker == NULL)
    goto fail;
  engine = tend_sync_engine_new (worker, d->server);
  tend_sync_engine_set_progress_func (engine, move_progress_cb, d);
  /* Signing in checks that the account's practice is this store's. */
  if (!tend_sync_engine_set_ca_file (engine, d->ca_file, &error) ||
      !tend_sync_engine_login (engine, d->email, d->password, d->totp, cancellable, &error))
    goto fail;
  /* The server's owner account must be the person moving it, so every
   * record they made and signed stays theirs. */
  if (g_strcmp0 (tend_sync_engine_get_staff_id (engine), d->user_id) != 0)
    {
      g_set_error_literal (&error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_OTHER_PRACTICE,
                           _("This account on the server is not yours: the practice must be created there "
                             "with your staff id, as the command shows"));
      goto fail;
    }
  if (!tend_keyring_store_token (d->path, d->server, tend_sync_engine_get_token (engine), cancellable, &error))
    goto fail;
  token_kept = TRUE;
  /* Everything this computer holds goes up.  Stopped part way, what went
   * stays on the server and moving again sends the rest. */
  if (!tend_sync_engine_run (engine, &stats, cancellable, &error))
    goto fail;
  if (!tend_store_set_meta (worker, "server_url", d->server, &error) ||
      (d->ca_file != NULL && !tend_store_set_meta (worker, "server_ca_file", d->ca_file, &error)))
    goto fail;
  d->refused = stats.rejected;
  g_task_return_boolean (task, TRUE);
  return;

fail:
  if (token_kept)
    tend_keyring_clear_token (d->path, d->server, NULL, NULL);
  g_task_return_error (task, error);
}

/**
 * tend_context_move_to_server_async:
 *
 * Moves the practice on this computer (no server yet) to a practice server
 * whose administrator created it with this practice's id and the current
 * person's staff id (`tend-server admin create-practice --practice ID
 * --staff-id ID`): signs in as that owner, sends every record, and from
 * then on this computer syncs.  Progress: tend_context_get_connect_progress()
 * counts the records sent.  On failure or cancellation this computer stays
 * as it was (without a server); records already sent stay on the server,
 * and moving again sends the rest.
 */
void
tend_context_move_to_server_async (TendContext           *self,
                                   const TendConnectInfo *info,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectData *d;

  g_return_if_fail (TEND_IS_CONTEXT (self));
  g_return_if_fail (info != NULL && info->server != NULL && info->email != NULL && info->password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tend_context_move_to_server_async);
  if (self->store == NULL || self->user == NULL)
    {
      g_task_return_new_error (task, TEND_ERROR, TEND_ERROR_FAILED, _("Tend is not open yet"));
      return;
    }
  if (self->sync != NULL)
    {
      g_task_return_new_error (task, TEND_ERROR, TEND_ERROR_FAILED,
                               _("This practice already syncs with a server"));
      return;
    }
  if (!tend_role_can (tend_staff_get_role (self->user), TEND_PERMISSION_MANAGE_PRACTICE))
    {
      g_task_return_new_error (task, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                               _("Only the practice’s owner moves it to a server"));
      return;
    }
  d = connect_data_new (self, info);
  d->store = g_object_ref (self->store);
  d->user_id = g_strdup (tend_record_get_id (TEND_RECORD (self->user)));
  g_atomic_int_set (&self->connect_progress, 0);
  g_task_set_task_data (task, d, (GDestroyNotify) connect_data_free);
  g_task_run_in_thread (task, move_thread);
}

/**
 * tend_context_move_to_server_finish:
 * @refused: (out) (optional): records the server refused (they stay in the
 *   outbox with its reason, as any refused change)
 *
 * Returns: %TRUE when the practice is on the server; this computer now
 *   syncs with it (tend_context_get_sync() is set)
 */
gboolean
tend_context_move_to_server_finish (TendContext  *self,
                                    GAsyncResult *result,
                                    guint        *refused,
                                    GError      **error)
{
  ConnectData *d;
  g_autoptr(TendStore) store = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  d = g_task_get_task_data (G_TASK (result));
  if (refused != NULL)
    *refused = d->refused;
  /* The same store, read again: with its server address it gets a sync
   * controller (the token is in the keyring). */
  store = g_object_ref (self->store);
  if (!adopt_store (self, store, error))
    return FALSE;
  tend_sync_controller_start (self->sync);
  return TRUE;
}

guint
tend_context_get_connect_progress (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), 0);
  return (guint) g_atomic_int_get (&self->connect_progress);
}

TendSyncController *
tend_context_get_sync (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->sync;
}

static void
tend_context_dispose (GObject *object)
{
  TendContext *self = TEND_CONTEXT (object);

  g_clear_handle_id (&self->upkeep_timeout, g_source_remove);
  g_clear_handle_id (&self->upkeep_first, g_source_remove);
  if (self->sync != NULL)
    tend_sync_controller_stop (self->sync);
  g_clear_object (&self->sync);
  g_cancellable_cancel (self->upkeep_cancellable);
  g_clear_object (&self->upkeep_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->practice);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (tend_context_parent_class)->dispose (object);
}

static void
tend_context_finalize (GObject *object)
{
  TendContext *self = TEND_CONTEXT (object);

  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_error (&self->error);
  g_mutex_clear (&self->search_lock);
  G_OBJECT_CLASS (tend_context_parent_class)->finalize (object);
}

static void
tend_context_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TendContext *self = TEND_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH: g_value_set_string (value, self->store_path); break;
    case PROP_SETTINGS:   g_value_set_object (value, self->settings); break;
    case PROP_STATE:      g_value_set_int (value, self->state); break;
    case PROP_STORE:      g_value_set_object (value, self->store); break;
    case PROP_PRACTICE:   g_value_set_object (value, self->practice); break;
    case PROP_USER:       g_value_set_object (value, self->user); break;
    case PROP_SEARCH_PROGRESS: g_value_set_double (value, tend_context_get_search_progress (self)); break;
    case PROP_SYNC:       g_value_set_object (value, self->sync); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_context_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TendContext *self = TEND_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH: self->store_path = g_value_dup_string (value); break;
    case PROP_SETTINGS:   self->settings = g_value_dup_object (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_context_class_init (TendContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_context_dispose;
  object_class->finalize = tend_context_finalize;
  object_class->get_property = tend_context_get_property;
  object_class->set_property = tend_context_set_property;

  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, TEND_CONTEXT_STATE_LOADING, TEND_CONTEXT_STATE_ERROR,
                      TEND_CONTEXT_STATE_LOADING, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEND_TYPE_STORE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE] =
    g_param_spec_object ("practice", NULL, NULL, TEND_TYPE_PRACTICE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, TEND_TYPE_STAFF, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* -1 when no build of the search indexes is running, else 0 to 1 */
  properties[PROP_SEARCH_PROGRESS] =
    g_param_spec_double ("search-progress", NULL, NULL, -1, 1, -1, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The practice server's controller; set when the store is read, and
   * when a practice moves to a server */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, TEND_TYPE_SYNC_CONTROLLER, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tend_context_init (TendContext *self)
{
  g_mutex_init (&self->search_lock);
}

/**
 * tend_context_new:
 * @store_path: (nullable): the database; %NULL for the default
 * @settings: the application's settings
 */
TendContext *
tend_context_new (const char *store_path,
                  GSettings  *settings)
{
  g_autofree char *fallback = NULL;

  if (store_path == NULL || *store_path == '\0')
    store_path = fallback = tend_keyring_default_db_path ();
  else
    store_path = fallback = g_canonicalize_filename (store_path, NULL);
  return g_object_new (TEND_TYPE_CONTEXT, "store-path", store_path, "settings", settings, NULL);
}

TendContextState
tend_context_get_state (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), TEND_CONTEXT_STATE_ERROR);
  return self->state;
}

const GError *
tend_context_get_error (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->error;
}

const char *
tend_context_get_store_path (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->store_path;
}

TendStore *
tend_context_get_store (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->store;
}

TendPractice *
tend_context_get_practice (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->practice;
}

TendStaff *
tend_context_get_user (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->user;
}

GSettings *
tend_context_get_settings (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->settings;
}

GTimeZone *
tend_context_get_zone (TendContext *self)
{
  g_return_val_if_fail (TEND_IS_CONTEXT (self), NULL);
  return self->zone;
}
