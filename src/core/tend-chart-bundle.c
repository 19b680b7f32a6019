/* tend-chart-bundle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include "tend-chart-bundle.h"

TendChartBundle *
tend_chart_bundle_new (void)
{
  TendChartBundle *bundle = g_new0 (TendChartBundle, 1);

  bundle->diagnoses = g_ptr_array_new_with_free_func (g_object_unref);
  bundle->plans = g_ptr_array_new_with_free_func (g_object_unref);
  bundle->measures = g_ptr_array_new_with_free_func (g_object_unref);
  bundle->notes = g_ptr_array_new_with_free_func (g_object_unref);
  bundle->addenda = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  bundle->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bundle->group_notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tend_group_note_unref);
  bundle->policies = g_ptr_array_new_with_free_func (g_object_unref);
  bundle->payer_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bundle->conversations = g_ptr_array_new_with_free_func (g_object_unref);
  bundle->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  bundle->generated_at = g_date_time_new_now_utc ();
  return bundle;
}

void
tend_chart_bundle_free (TendChartBundle *bundle)
{
  if (bundle == NULL)
    return;
  g_clear_object (&bundle->client);
  g_free (bundle->practice_name);
  g_free (bundle->from);
  g_free (bundle->to);
  g_ptr_array_unref (bundle->diagnoses);
  g_hash_table_unref (bundle->group_notes);
  g_ptr_array_unref (bundle->plans);
  g_clear_object (&bundle->safety_plan);
  g_ptr_array_unref (bundle->measures);
  g_ptr_array_unref (bundle->notes);
  g_hash_table_unref (bundle->addenda);
  g_hash_table_unref (bundle->names);
  g_ptr_array_unref (bundle->policies);
  g_hash_table_unref (bundle->payer_names);
  g_ptr_array_unref (bundle->conversations);
  g_hash_table_unref (bundle->messages);
  g_clear_pointer (&bundle->zone, g_time_zone_unref);
  g_date_time_unref (bundle->generated_at);
  g_free (bundle);
}

/* Never NULL: an unknown id prints as a dash rather than leaking the id. */
const char *
tend_chart_bundle_name_of (TendChartBundle *bundle,
                           const char      *staff_id)
{
  const char *name = staff_id != NULL ? g_hash_table_lookup (bundle->names, staff_id) : NULL;

  return name != NULL ? name : "—";
}
