/* tend-note-templates-page.c: the practice's own note templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list of the practice's templates, and the one being edited: its name
 * and its sections in order, each free text, checkboxes, one choice from a
 * list (with its options, one per line), or the place of the risk
 * assessment or the mental status exam; each with help text and a required
 * switch, moved up and down and removed.  Templates are archived, never
 * deleted from here: notes name them (and keep their own copy).  Shown to
 * those who may change templates (supervisors and the owner); the store
 * and tend-server refuse anyone else.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-note-templates-page.h"

typedef struct
{
  TendNoteSectionKind  kind;
  char                *key;
  GtkWidget           *row;       /* AdwExpanderRow */
  AdwEntryRow         *title;     /* NULL for the risk assessment and the MSE */
  AdwEntryRow         *help;
  GtkSwitch           *required;
  GtkTextBuffer       *options;   /* checkboxes and choice sections */
} SectionUi;

struct _TendNoteTemplatesPage
{
  AdwPreferencesPage    parent_instance;

  TendStore            *store;
  GtkWidget            *list;          /* the templates */
  AdwPreferencesGroup  *editor_group;
  AdwEntryRow          *name_row;
  GtkWidget            *sections_list; /* a row per section */
  GtkWidget            *error_label;
  GtkWidget            *archive_button;
  GPtrArray            *sections;      /* SectionUi */
  TendPracticeTemplate *current;       /* NULL: a new template */
};

G_DEFINE_FINAL_TYPE (TendNoteTemplatesPage, tend_note_templates_page, ADW_TYPE_PREFERENCES_PAGE)

static void
section_ui_free (SectionUi *ui)
{
  g_free (ui->key);
  g_free (ui);
}

static void
show_error (TendNoteTemplatesPage *self,
            const char            *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
toast (TendNoteTemplatesPage *self,
       const char            *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The sections as they stand in the editor. */
static GPtrArray *
collect_defs (TendNoteTemplatesPage *self)
{
  GPtrArray *defs = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);

  for (guint i = 0; i < self->sections->len; i++)
    {
      SectionUi *ui = g_ptr_array_index (self->sections, i);
      g_auto(GStrv) options = NULL;
      g_autofree char *title = NULL;

      if (ui->options != NULL)
        {
          g_autofree char *text = buffer_text (ui->options);
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
          g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

          /* One option a line; blank lines are not options. */
          for (guint l = 0; lines[l] != NULL; l++)
            if (*g_strstrip (lines[l]) != '\0')
              g_strv_builder_add (b, lines[l]);
          options = g_strv_builder_end (b);
        }
      if (ui->title != NULL)
        title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (ui->title))));
      g_ptr_array_add (defs, tend_note_section_def_new (ui->key, title,
                                                        gtk_editable_get_text (GTK_EDITABLE (ui->help)),
                                                        gtk_switch_get_active (ui->required), ui->kind,
                                                        (const char * const *) options));
    }
  return defs;
}

static void
update_row_title (SectionUi *ui)
{
  const char *title = ui->title != NULL ? gtk_editable_get_text (GTK_EDITABLE (ui->title))
                                        : tend_note_section_kind_get_label (ui->kind);
  /* The forms' rows are titled with their name already. */
  const char *kind = ui->title != NULL ? tend_note_section_kind_get_label (ui->kind) : _("Tend’s own form");
  g_autofree char *subtitle = gtk_switch_get_active (ui->required)
    /* TRANSLATORS: a section's kind, and that it is required: "Checkboxes · Required" */
    ? g_strdup_printf (_("%s · Required"), kind)
    : g_strdup (kind);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ui->row), *title != '\0' ? title : _("Untitled section"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (ui->row), subtitle);
}

static void rebuild_sections (TendNoteTemplatesPage *self,
                              GPtrArray             *defs,
                              int                    expand);

static guint
index_of_button (TendNoteTemplatesPage *self,
                 GtkWidget             *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_EXPANDER_ROW);

  for (guint i = 0; i < self->sections->len; i++)
    if (((SectionUi *) g_ptr_array_index (self->sections, i))->row == row)
      return i;
  return G_MAXUINT;
}

static void
on_up_clicked_cb (GtkWidget             *button,
                  TendNoteTemplatesPage *self)
{
  tend_note_templates_page_move_section (self, index_of_button (self, button), -1);
}

static void
on_down_clicked_cb (GtkWidget             *button,
                    TendNoteTemplatesPage *self)
{
  tend_note_templates_page_move_section (self, index_of_button (self, button), 1);
}

static void
on_remove_clicked_cb (GtkWidget             *button,
                      TendNoteTemplatesPage *self)
{
  tend_note_templates_page_remove_section (self, index_of_button (self, button));
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static SectionUi *
section_ui_new (TendNoteTemplatesPage *self,
                TendNoteSectionDef    *def)
{
  SectionUi *ui = g_new0 (SectionUi, 1);
  GtkWidget *required_row = adw_action_row_new ();
  GtkWidget *tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *tools_row = gtk_list_box_row_new ();
  GtkWidget *up = icon_button ("go-up-symbolic", _("Move Up"));
  GtkWidget *down = icon_button ("go-down-symbolic", _("Move Down"));
  GtkWidget *remove = gtk_button_new_with_mnemonic (_("_Remove Section"));

  ui->kind = def->kind;
  ui->key = g_strdup (def->key);
  ui->row = adw_expander_row_new ();
  if (def->kind < TEND_NOTE_SECTION_RISK)
    {
      ui->title = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ui->title), _("Title"));
      gtk_editable_set_text (GTK_EDITABLE (ui->title), def->title != NULL ? def->title : "");
      g_signal_connect_swapped (ui->title, "changed", G_CALLBACK (update_row_title), ui);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (ui->row), GTK_WIDGET (ui->title));
    }
  ui->help = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (ui->help), _("Help text (what to write)"));
  gtk_editable_set_text (GTK_EDITABLE (ui->help), def->help != NULL ? def->help : "");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (ui->row), GTK_WIDGET (ui->help));

  ui->required = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (ui->required, def->required);
  gtk_widget_set_valign (GTK_WIDGET (ui->required), GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (required_row), _("Required before signing"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (required_row), GTK_WIDGET (ui->required));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (required_row), GTK_WIDGET (ui->required));
  g_signal_connect_swapped (ui->required, "notify::active", G_CALLBACK (update_row_title), ui);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (ui->row), required_row);

  if (def->kind == TEND_NOTE_SECTION_CHECKBOXES || def->kind == TEND_NOTE_SECTION_CHOICE)
    {
      GtkWidget *options_row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *label = gtk_label_new (_("Options, one per line"));
      GtkWidget *view = gtk_text_view_new ();
      g_autofree char *text = def->options != NULL ? g_strjoinv ("\n", def->options) : g_strdup ("");

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
      gtk_widget_set_size_request (view, -1, 72);
      gtk_widget_add_css_class (view, "card");
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Options, one per line"), -1);
      ui->options = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
      gtk_text_buffer_set_text (ui->options, text, -1);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), view);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 8);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (options_row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (options_row), FALSE);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (ui->row), options_row);
    }

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "error");
  gtk_widget_set_hexpand (remove, TRUE);
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  g_signal_connect (up, "clicked", G_CALLBACK (on_up_clicked_cb), self);
  g_signal_connect (down, "clicked", G_CALLBACK (on_down_clicked_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (tools), up);
  gtk_box_append (GTK_BOX (tools), down);
  gtk_box_append (GTK_BOX (tools), remove);
  gtk_widget_set_margin_start (tools, 12);
  gtk_widget_set_margin_end (tools, 12);
  gtk_widget_set_margin_top (tools, 6);
  gtk_widget_set_margin_bottom (tools, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (tools_row), tools);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (tools_row), FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (ui->row), tools_row);
  update_row_title (ui);
  return ui;
}

/* Shows @defs in place of the sections there are, with section @expand
 * open (-1: none). */
static void
rebuild_sections (TendNoteTemplatesPage *self,
                  GPtrArray             *defs,
                  int                    expand)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->sections_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->sections_list), child);
  g_ptr_array_set_size (self->sections, 0);
  for (guint i = 0; i < defs->len; i++)
    {
      SectionUi *ui = section_ui_new (self, g_ptr_array_index (defs, i));

      g_ptr_array_add (self->sections, ui);
      gtk_list_box_append (GTK_LIST_BOX (self->sections_list), ui->row);
      if ((int) i == expand)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (ui->row), TRUE);
    }
}

static void
on_template_activated_cb (GtkListBox            *list,
                          GtkListBoxRow         *row,
                          TendNoteTemplatesPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "template-id");

  if (id != NULL)
    tend_note_templates_page_edit (self, id);
}

static void
reload_list (TendNoteTemplatesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tend_store_list (self->store, TEND_TYPE_PRACTICE_TEMPLATE, &error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  if (all == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The templates could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
      return;
    }
  for (guint i = 0; i < all->len; i++)
    {
      TendPracticeTemplate *t = g_ptr_array_index (all, i);
      g_autoptr(GPtrArray) defs = tend_practice_template_dup_sections (t);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u section", "%u sections", defs->len),
                                                defs->len);
      g_autofree char *subtitle = tend_practice_template_is_archived (t)
        /* TRANSLATORS: "3 sections · archived" */
        ? g_strdup_printf (_("%s · archived"), count) : g_strdup (count);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tend_practice_template_get_name (t));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "template-id", g_strdup (tend_record_get_id (TEND_RECORD (t))), g_free);
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
    }
  if (all->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No templates yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Add one: it is offered under New Note beside the built-in templates."));
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
    }
}

static void
show_current (TendNoteTemplatesPage *self)
{
  g_autoptr(GPtrArray) defs = NULL;

  show_error (self, NULL);
  if (self->current == NULL)
    {
      g_autoptr(TendPracticeTemplate) fresh = tend_practice_template_new ("");

      defs = tend_practice_template_dup_sections (fresh);
      adw_preferences_group_set_title (self->editor_group, _("New Template"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
      gtk_widget_set_visible (self->archive_button, FALSE);
      rebuild_sections (self, defs, 0);
      return;
    }
  {
    /* TRANSLATORS: the heading while a template is changed, with its name */
    g_autofree char *heading = g_strdup_printf (_("Template “%s”"), tend_practice_template_get_name (self->current));

    adw_preferences_group_set_title (self->editor_group, heading);
  }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tend_practice_template_get_name (self->current));
  gtk_widget_set_visible (self->archive_button, TRUE);
  gtk_button_set_label (GTK_BUTTON (self->archive_button),
                        tend_practice_template_is_archived (self->current) ? _("_Restore") : _("_Archive"));
  gtk_widget_set_tooltip_text (self->archive_button,
                               tend_practice_template_is_archived (self->current)
                               ? _("Offer the template for new notes again")
                               : _("No longer offer the template for new notes; notes written from it keep it"));
  defs = tend_practice_template_dup_sections (self->current);
  rebuild_sections (self, defs, -1);
}

static void
on_add_template_clicked_cb (TendNoteTemplatesPage *self)
{
  g_clear_object (&self->current);
  show_current (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
on_save_clicked_cb (TendNoteTemplatesPage *self)
{
  /* The message is shown under the sections. */
  tend_note_templates_page_save (self, NULL);
}

static void
on_archive_clicked_cb (TendNoteTemplatesPage *self)
{
  if (self->current != NULL)
    tend_note_templates_page_set_archived (self, !tend_practice_template_is_archived (self->current), NULL);
}

static void
add_section_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  const char *nick = g_variant_get_string (parameter, NULL);

  for (guint k = 0; k < TEND_N_NOTE_SECTION_KINDS; k++)
    if (strcmp (nick, tend_note_section_kind_to_string ((TendNoteSectionKind) k)) == 0)
      tend_note_templates_page_add_section (TEND_NOTE_TEMPLATES_PAGE (widget), (TendNoteSectionKind) k);
}

static void
tend_note_templates_page_dispose (GObject *object)
{
  TendNoteTemplatesPage *self = TEND_NOTE_TEMPLATES_PAGE (object);

  g_clear_object (&self->current);
  g_clear_object (&self->store);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_note_templates_page_parent_class)->dispose (object);
}

static void
tend_note_templates_page_class_init (TendNoteTemplatesPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_note_templates_page_dispose;
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "templates.add-section", "s", add_section_action);
}

static void
tend_note_templates_page_init (TendNoteTemplatesPage *self)
{
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_ui_free);
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "note-templates");
  /* Short: it is a button of the window's view switcher, seven of them
   * across a 360 px phone; the page's heading says "Note Templates". */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), C_("preferences page", "Notes"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "x-office-document-symbolic");
}

static GtkWidget *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

GtkWidget *
tend_note_templates_page_new (TendStore *store)
{
  TendNoteTemplatesPage *self = g_object_new (TEND_TYPE_NOTE_TEMPLATES_PAGE, NULL);
  GtkWidget *list_group = adw_preferences_group_new ();
  GtkWidget *sections_group = adw_preferences_group_new ();
  GtkWidget *add = gtk_button_new ();
  GtkWidget *add_section = gtk_menu_button_new ();
  GtkWidget *name_list = boxed_list ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Template"));
  g_autoptr(GMenu) kinds = g_menu_new ();

  self->store = g_object_ref (store);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (list_group), _("Note Templates"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (list_group),
                                         _("The practice’s own templates, offered under New Note beside the built-in ones. "
                                           "A note keeps the template as it was when written."));
  gtk_button_set_child (GTK_BUTTON (add), g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                                        "icon-name", "list-add-symbolic",
                                                        "label", _("_Add Template"),
                                                        "use-underline", TRUE, NULL));
  gtk_widget_add_css_class (add, "flat");
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_template_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (list_group), add);
  self->list = boxed_list ();
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_template_activated_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list_group), self->list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (list_group));

  self->editor_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Template name"));
  gtk_list_box_append (GTK_LIST_BOX (name_list), GTK_WIDGET (self->name_row));
  adw_preferences_group_add (self->editor_group, name_list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->editor_group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (sections_group), _("Sections"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (sections_group),
                                         _("In the order the note shows them. The risk assessment and the mental status "
                                           "exam are on every note; add them here to place them or to require them."));
  for (guint k = 0; k < TEND_N_NOTE_SECTION_KINDS; k++)
    {
      g_autofree char *action = g_strdup_printf ("templates.add-section('%s')",
                                                 tend_note_section_kind_to_string ((TendNoteSectionKind) k));

      g_menu_append (kinds, tend_note_section_kind_get_label ((TendNoteSectionKind) k), action);
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (add_section), G_MENU_MODEL (kinds));
  gtk_menu_button_set_child (GTK_MENU_BUTTON (add_section), g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                                                          "icon-name", "list-add-symbolic",
                                                                          "label", _("Add _Section"),
                                                                          "use-underline", TRUE, NULL));
  gtk_widget_add_css_class (add_section, "flat");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (sections_group), add_section);
  self->sections_list = boxed_list ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (sections_group), self->sections_list);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_margin_top (self->error_label, 12);
  gtk_widget_set_visible (self->error_label, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (sections_group), self->error_label);

  self->archive_button = gtk_button_new_with_mnemonic (_("_Archive"));
  gtk_widget_add_css_class (self->archive_button, "pill");
  g_signal_connect_swapped (self->archive_button, "clicked", G_CALLBACK (on_archive_clicked_cb), self);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->archive_button);
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (buttons, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (sections_group), buttons);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (sections_group));

  reload_list (self);
  show_current (self);
  return GTK_WIDGET (self);
}

/**
 * tend_note_templates_page_edit:
 * @template_id: (nullable): a template, or %NULL for a new one
 */
void
tend_note_templates_page_edit (TendNoteTemplatesPage *self,
                               const char            *template_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = NULL;

  g_return_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self));
  g_clear_object (&self->current);
  if (template_id != NULL)
    {
      record = tend_store_load (self->store, TEND_TYPE_PRACTICE_TEMPLATE, template_id, &error);
      if (record == NULL)
        {
          show_current (self);
          show_error (self, error != NULL ? error->message : _("The template is no longer there."));
          return;
        }
      self->current = TEND_PRACTICE_TEMPLATE (g_steal_pointer (&record));
    }
  show_current (self);
}

void
tend_note_templates_page_add_section (TendNoteTemplatesPage *self,
                                      TendNoteSectionKind    kind)
{
  g_autoptr(GPtrArray) defs = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self));
  g_return_if_fail (kind < TEND_N_NOTE_SECTION_KINDS);
  defs = collect_defs (self);
  if (kind == TEND_NOTE_SECTION_RISK || kind == TEND_NOTE_SECTION_MSE)
    {
      key = g_strdup (tend_note_section_kind_to_string (kind));
      for (guint i = 0; i < defs->len; i++)
        if (strcmp (((TendNoteSectionDef *) g_ptr_array_index (defs, i))->key, key) == 0)
          {
            /* Once per note: open the one there is. */
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (((SectionUi *) g_ptr_array_index (self->sections, i))->row),
                                           TRUE);
            return;
          }
    }
  else
    key = tend_note_section_key_new (defs);
  g_ptr_array_add (defs, tend_note_section_def_new (key, NULL, NULL, FALSE, kind, NULL));
  rebuild_sections (self, defs, (int) defs->len - 1);
  {
    SectionUi *ui = g_ptr_array_index (self->sections, self->sections->len - 1);

    if (ui->title != NULL)
      gtk_widget_grab_focus (GTK_WIDGET (ui->title));
  }
}

/**
 * tend_note_templates_page_move_section:
 * @delta: -1 up, 1 down
 */
void
tend_note_templates_page_move_section (TendNoteTemplatesPage *self,
                                       guint                  index,
                                       int                    delta)
{
  g_autoptr(GPtrArray) defs = NULL;
  gpointer moved;
  int to;

  g_return_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self));
  to = (int) index + delta;
  if (index >= self->sections->len || to < 0 || to >= (int) self->sections->len)
    return;
  defs = collect_defs (self);
  moved = defs->pdata[index];
  defs->pdata[index] = defs->pdata[to];
  defs->pdata[to] = moved;
  rebuild_sections (self, defs, to);
}

void
tend_note_templates_page_remove_section (TendNoteTemplatesPage *self,
                                         guint                  index)
{
  g_autoptr(GPtrArray) defs = NULL;

  g_return_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self));
  if (index >= self->sections->len)
    return;
  defs = collect_defs (self);
  g_ptr_array_remove_index (defs, index);
  rebuild_sections (self, defs, -1);
}

guint
tend_note_templates_page_get_n_sections (TendNoteTemplatesPage *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), 0);
  return self->sections->len;
}

AdwEntryRow *
tend_note_templates_page_get_name_row (TendNoteTemplatesPage *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), NULL);
  return self->name_row;
}

static SectionUi *
section_at (TendNoteTemplatesPage *self,
            guint                  index)
{
  return index < self->sections->len ? g_ptr_array_index (self->sections, index) : NULL;
}

AdwEntryRow *
tend_note_templates_page_get_title_row (TendNoteTemplatesPage *self,
                                        guint                  index)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), NULL);
  return section_at (self, index) != NULL ? section_at (self, index)->title : NULL;
}

GtkSwitch *
tend_note_templates_page_get_required_switch (TendNoteTemplatesPage *self,
                                              guint                  index)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), NULL);
  return section_at (self, index) != NULL ? section_at (self, index)->required : NULL;
}

GtkTextBuffer *
tend_note_templates_page_get_options (TendNoteTemplatesPage *self,
                                      guint                  index)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), NULL);
  return section_at (self, index) != NULL ? section_at (self, index)->options : NULL;
}

/**
 * tend_note_templates_page_save:
 *
 * Saves the template as the editor shows it; what is wrong is shown under
 * the sections (and returned) and nothing is written.
 */
gboolean
tend_note_templates_page_save (TendNoteTemplatesPage *self,
                               GError               **error)
{
  g_autoptr(GPtrArray) defs = NULL;
  g_autoptr(TendPracticeTemplate) t = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), FALSE);
  defs = collect_defs (self);
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (self->current != NULL)
    {
      /* A copy, so a refused save leaves the template as stored. */
      g_autofree char *body = tend_record_to_body_string (TEND_RECORD (self->current));

      t = TEND_PRACTICE_TEMPLATE (tend_record_new (TEND_TYPE_PRACTICE_TEMPLATE));
      tend_record_set_id (TEND_RECORD (t), tend_record_get_id (TEND_RECORD (self->current)));
      tend_record_set_version (TEND_RECORD (t), tend_record_get_version (TEND_RECORD (self->current)));
      tend_record_load_body_string (TEND_RECORD (t), body, -1, NULL);
    }
  else
    t = tend_practice_template_new (name);
  tend_record_set_string (TEND_RECORD (t), "name", *name != '\0' ? name : NULL);
  tend_practice_template_set_sections (t, defs);
  if (!tend_store_save (self->store, TEND_RECORD (t), &local))
    {
      show_error (self, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_set_object (&self->current, t);
  reload_list (self);
  show_current (self);
  toast (self, _("Template saved"));
  return TRUE;
}

/**
 * tend_note_templates_page_set_archived:
 *
 * Archives the template being edited (no longer offered for new notes) or
 * restores it.  Unsaved edits of its sections are saved with it.
 */
gboolean
tend_note_templates_page_set_archived (TendNoteTemplatesPage *self,
                                       gboolean               archived,
                                       GError               **error)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), FALSE);
  if (self->current == NULL)
    return TRUE;
  tend_practice_template_set_archived (self->current, archived);
  if (!tend_note_templates_page_save (self, error))
    {
      tend_practice_template_set_archived (self->current, !archived);
      return FALSE;
    }
  toast (self, archived ? _("Template archived") : _("Template restored"));
  return TRUE;
}

/**
 * tend_note_templates_page_get_current:
 *
 * Returns: (transfer none) (nullable): the template being edited, as saved
 */
TendPracticeTemplate *
tend_note_templates_page_get_current (TendNoteTemplatesPage *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_TEMPLATES_PAGE (self), NULL);
  return self->current;
}
