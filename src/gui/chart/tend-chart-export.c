/* tend-chart-export.c: a client's chart written as a PDF, in a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tend_chart_collect () (which audits the export first) and
 * tend_chart_pdf_write () run in a GTask thread on a connection of the
 * store's own (tend_store_open_worker ()); the progress reaches the
 * chart's header on the main thread.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-chart.h"
#include "tend-chart-export.h"
#include "tend-chart-pdf.h"

/* The header whose progress bar follows the export: shared by the job and
 * the progress updates on their way to the main thread, and only ever
 * dereferenced there. */
typedef struct
{
  GWeakRef header;
} Target;

static void
target_clear (gpointer data)
{
  Target *target = data;

  g_weak_ref_clear (&target->header);
}

typedef struct
{
  TendStore *worker;
  char      *client_id;
  char      *from;
  char      *to;
  char      *path;
  gboolean   messages;  /* with the conversations with the client */
  Target    *target;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->worker);
  g_free (job->client_id);
  g_free (job->from);
  g_free (job->to);
  g_free (job->path);
  g_atomic_rc_box_release_full (job->target, target_clear);
  g_free (job);
}

typedef struct
{
  Target *target;
  double  fraction;
} Progress;

static gboolean
progress_idle_cb (gpointer data)
{
  Progress *p = data;
  g_autoptr(GObject) header = g_weak_ref_get (&p->target->header);

  if (header != NULL)
    tend_chart_header_set_progress (TEND_CHART_HEADER (header), p->fraction);
  g_atomic_rc_box_release_full (p->target, target_clear);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* In the thread: hands the fraction to the main thread. */
static void
export_progress_cb (double   fraction,
                    gpointer user_data)
{
  ExportJob *job = user_data;
  Progress *p = g_new0 (Progress, 1);

  p->target = g_atomic_rc_box_acquire (job->target);
  p->fraction = fraction;
  g_idle_add (progress_idle_cb, p);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(TendChartBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  bundle = tend_chart_collect (job->worker, job->client_id, job->from, job->to, &error);
  if (bundle == NULL ||
      (job->messages && !tend_chart_collect_messages (job->worker, bundle, &error)) ||
      !tend_chart_pdf_write (bundle, job->path, cancellable, export_progress_cb, job, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * tend_chart_export_async:
 * @source_object: what the result is reported for (the chart page)
 * @from: (nullable): first date, YYYY-MM-DD
 * @to: (nullable): last date
 * @messages: whether the conversations with the client are included
 * @progress: (nullable): the header whose progress bar follows the writing
 *
 * Writes @client_id's chart to @file as a PDF, in a thread, on a
 * connection of its own.
 */
void
tend_chart_export_async (gpointer             source_object,
                         TendStore           *store,
                         const char          *client_id,
                         GFile               *file,
                         const char          *from,
                         const char          *to,
                         gboolean             messages,
                         TendChartHeader     *progress,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  ExportJob *job = g_new0 (ExportJob, 1);

  g_task_set_source_tag (task, tend_chart_export_async);
  job->worker = tend_store_open_worker (store, &error);
  job->client_id = g_strdup (client_id);
  job->from = g_strdup (from);
  job->to = g_strdup (to);
  job->path = g_file_get_path (file);
  job->messages = messages;
  job->target = g_atomic_rc_box_new0 (Target);
  g_weak_ref_init (&job->target->header, progress);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  if (job->worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, export_thread);
}

gboolean
tend_chart_export_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
