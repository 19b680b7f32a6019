/* tend-view-switcher.c: a view switcher that fits any width
 *
 * A chart has eight pages: their wide switcher needs some 1,300 px and
 * even the narrow one (icons over labels) is far wider than a phone.
 * This shows the wide switcher where it fits, then the narrow one, then a
 * menu button naming the page shown that lists the others, so the page
 * around it never needs more than the menu button's width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-fit-bin.h"
#include "tend-view-switcher.h"

struct _TendViewSwitcher
{
  GtkWidget      parent_instance;

  AdwViewStack  *stack;
  AdwSqueezer   *squeezer;
  GtkWidget     *wide;
  GtkWidget     *narrow;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (TendViewSwitcher, tend_view_switcher, GTK_TYPE_WIDGET)

static void
update_menu_label (TendViewSwitcher *self)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->stack);
  const char *title = child != NULL ? adw_view_stack_page_get_title (adw_view_stack_get_page (self->stack, child)) : NULL;

  gtk_menu_button_set_label (self->menu_button, title != NULL ? title : "");
}

/* The menu is made as it opens: which pages show depends on the role and
 * the record, and can change while the switcher is up. */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  TendViewSwitcher *self = TEND_VIEW_SWITCHER (user_data);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GListModel) pages = G_LIST_MODEL (adw_view_stack_get_pages (self->stack));

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);
      g_autoptr(GMenuItem) item = NULL;

      if (!adw_view_stack_page_get_visible (page) || adw_view_stack_page_get_name (page) == NULL)
        continue;
      item = g_menu_item_new (adw_view_stack_page_get_title (page), NULL);
      g_menu_item_set_action_and_target (item, "switcher.show", "s", adw_view_stack_page_get_name (page));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TendViewSwitcher *self = TEND_VIEW_SWITCHER (widget);

  adw_view_stack_set_visible_child_name (self->stack, g_variant_get_string (parameter, NULL));
}

static void
tend_view_switcher_dispose (GObject *object)
{
  TendViewSwitcher *self = TEND_VIEW_SWITCHER (object);

  if (self->stack != NULL)
    g_signal_handlers_disconnect_by_data (self->stack, self);
  if (self->squeezer != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->squeezer));
      self->squeezer = NULL;
    }
  g_clear_object (&self->stack);
  G_OBJECT_CLASS (tend_view_switcher_parent_class)->dispose (object);
}

static void
tend_view_switcher_class_init (TendViewSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_view_switcher_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "switcher.show", "s", show_action);
}

static void
tend_view_switcher_init (TendViewSwitcher *self)
{
  self->squeezer = ADW_SQUEEZER (adw_squeezer_new ());
  adw_squeezer_set_homogeneous (self->squeezer, FALSE);
  adw_squeezer_set_transition_type (self->squeezer, ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  /* On natural widths: the wide forms' minimum is nothing (TendFitBin). */
  adw_squeezer_set_switch_threshold_policy (self->squeezer, ADW_FOLD_THRESHOLD_POLICY_NATURAL);
  gtk_widget_set_parent (GTK_WIDGET (self->squeezer), GTK_WIDGET (self));

  self->wide = adw_view_switcher_new ();
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (self->wide), ADW_VIEW_SWITCHER_POLICY_WIDE);
  adw_squeezer_add (self->squeezer, tend_fit_bin_new (self->wide));
  self->narrow = adw_view_switcher_new ();
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (self->narrow), ADW_VIEW_SWITCHER_POLICY_NARROW);
  adw_squeezer_add (self->squeezer, tend_fit_bin_new (self->narrow));

  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_widget_set_halign (GTK_WIDGET (self->menu_button), GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Choose the page"));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_cb, self, NULL);
  adw_squeezer_add (self->squeezer, GTK_WIDGET (self->menu_button));
}

/**
 * tend_view_switcher_new:
 * @stack: the pages to switch between
 *
 * Returns: (transfer floating): a switcher for @stack
 */
GtkWidget *
tend_view_switcher_new (AdwViewStack *stack)
{
  TendViewSwitcher *self;

  g_return_val_if_fail (ADW_IS_VIEW_STACK (stack), NULL);

  self = g_object_new (TEND_TYPE_VIEW_SWITCHER, NULL);
  self->stack = g_object_ref (stack);
  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (self->wide), stack);
  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (self->narrow), stack);
  g_signal_connect_swapped (stack, "notify::visible-child", G_CALLBACK (update_menu_label), self);
  update_menu_label (self);
  return GTK_WIDGET (self);
}

/**
 * tend_view_switcher_get_mode:
 *
 * Returns: which form shows: "wide", "narrow" or "menu"
 */
const char *
tend_view_switcher_get_mode (TendViewSwitcher *self)
{
  GtkWidget *child;

  g_return_val_if_fail (TEND_IS_VIEW_SWITCHER (self), NULL);

  child = adw_squeezer_get_visible_child (self->squeezer);
  if (child != NULL && child == gtk_widget_get_parent (self->wide))
    return "wide";
  if (child != NULL && child == gtk_widget_get_parent (self->narrow))
    return "narrow";
  return "menu";
}
