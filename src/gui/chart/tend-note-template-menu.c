/* tend-note-template-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The practice's own note templates that are not archived, by name, as a
 * menu section whose items activate @action with "practice:<id>" (the
 * built-in templates use their nicks with the same action).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-note-template-menu.h"

#define PREFIX "practice:"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  TendPracticeTemplate *x = *(TendPracticeTemplate * const *) a;
  TendPracticeTemplate *y = *(TendPracticeTemplate * const *) b;
  g_autofree char *kx = g_utf8_collate_key (tend_practice_template_get_name (x), -1);
  g_autofree char *ky = g_utf8_collate_key (tend_practice_template_get_name (y), -1);

  return g_strcmp0 (kx, ky);
}

/**
 * tend_note_template_list_active:
 *
 * Returns: (transfer full) (element-type TendPracticeTemplate) (nullable):
 *   the templates a note can be written from (not archived), by name
 */
GPtrArray *
tend_note_template_list_active (TendStore  *store,
                                GError    **error)
{
  g_autoptr(GPtrArray) all = tend_store_list (store, TEND_TYPE_PRACTICE_TEMPLATE, error);
  GPtrArray *active;

  if (all == NULL)
    return NULL;
  active = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    if (!tend_practice_template_is_archived (g_ptr_array_index (all, i)))
      g_ptr_array_add (active, g_object_ref (g_ptr_array_index (all, i)));
  g_ptr_array_sort (active, compare_names);
  return active;
}

/**
 * tend_note_template_menu_new:
 * @action: the detailed action's name, taking a string
 *
 * Returns: (transfer full): a section with one item per active template
 *   (empty when there are none, or when they cannot be read: the built-in
 *   templates still work then)
 */
GMenu *
tend_note_template_menu_new (TendStore  *store,
                             const char *action)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = tend_note_template_list_active (store, &error);

  if (templates == NULL)
    {
      g_debug ("Practice templates not listed: %s", error->message);
      return menu;
    }
  for (guint i = 0; i < templates->len; i++)
    {
      TendRecord *t = g_ptr_array_index (templates, i);
      g_autofree char *target = g_strconcat (PREFIX, tend_record_get_id (t), NULL);
      g_autoptr(GMenuItem) item = g_menu_item_new (tend_practice_template_get_name (TEND_PRACTICE_TEMPLATE (t)), NULL);

      g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (target));
      g_menu_append_item (menu, item);
    }
  return menu;
}

/**
 * tend_note_template_menu_get_id:
 *
 * Returns: (nullable): the template id in an item's target, or %NULL for a
 *   built-in template's nick
 */
const char *
tend_note_template_menu_get_id (const char *target)
{
  return target != NULL && g_str_has_prefix (target, PREFIX) ? target + strlen (PREFIX) : NULL;
}
