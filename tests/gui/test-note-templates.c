/* test-note-templates.c: the practice's own note templates in the app: made
 * on the Note Templates page (sections added, reordered, required,
 * options, archived), offered under New Note, and a note written from one
 * (checkboxes, a choice, a required section refused on the section, signed
 * with the password, shown in the chart) at 1280 and at 360 px
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gui-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tend-chart.h"
#include "tend-chart-page.h"
#include "tend-keyring.h"
#include "tend-note-editor.h"
#include "tend-note-templates-page.h"
#include "tend-objective-progress.h"

#define CLINICIAN_PASSWORD "cleo signs her notes"

typedef struct
{
  char      *dir;
  GBytes    *key;
  TendStore *store;
  char      *clinician_id;
  char      *supervisor_id;
  char      *client_id;
} Fixture;

static char *
save_staff (TendStore  *store,
            const char *given,
            TendRole    role)
{
  g_autoptr(TendStaff) staff = tend_staff_new (given, "Tester", role);
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_save (store, TEND_RECORD (staff), &error));
  return g_strdup (tend_record_get_id (TEND_RECORD (staff)));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autofree char *path = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Rowan", "Hale");

  f->dir = g_dir_make_tmp ("tend-gui-templates-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "tend.db", NULL);
  f->key = g_bytes_ref (key);
  f->store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->clinician_id = save_staff (f->store, "Cleo", TEND_ROLE_CLINICIAN);
  f->supervisor_id = save_staff (f->store, "Sue", TEND_ROLE_SUPERVISOR);
  g_assert_true (tend_store_set_password (f->store, f->clinician_id, CLINICIAN_PASSWORD, &error));
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", f->clinician_id);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (client), &error));
  f->client_id = g_strdup (tend_record_get_id (TEND_RECORD (client)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GDir *d;
  const char *name;

  spin_for (20);
  g_clear_object (&f->store);
  g_clear_pointer (&f->key, g_bytes_unref);
  d = g_dir_open (f->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);

      g_remove (p);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->clinician_id);
  g_free (f->supervisor_id);
  g_free (f->client_id);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *hit;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        return c;
      if ((hit = find_button (c, label)) != NULL)
        return hit;
    }
  return NULL;
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_visible (c) && strstr (gtk_label_get_text (GTK_LABEL (c)), text) != NULL)
        return TRUE;
      if (has_label (c, text))
        return TRUE;
    }
  return FALSE;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Scrolls the editor so that @widget is near the top, for a screenshot. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t at;

  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &at));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), at.y - 120);
  spin_for (100);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
note_signed (gpointer data)
{
  gpointer *pair = data;
  g_autoptr(TendRecord) stored = tend_store_load (pair[0], TEND_TYPE_CLINICAL_NOTE, pair[1], NULL);

  return stored != NULL && tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (stored));
}

/* The page, as a supervisor: a template made, its sections reordered and
 * required, saved, then archived and restored.  Screenshots at 1280 and
 * 360 px with TEND_TEST_SCREENSHOTS=DIR. */
static void
test_page (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) defs = NULL;
  GtkWidget *window = adw_preferences_window_new ();
  TendNoteTemplatesPage *page;
  TendPracticeTemplate *saved;
  TendNoteSectionDef *def;

  tend_store_set_actor (f->store, f->supervisor_id, TEND_ROLE_SUPERVISOR);
  page = TEND_NOTE_TEMPLATES_PAGE (tend_note_templates_page_new (f->store));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (100);
  g_assert_true (has_label (GTK_WIDGET (page), "No templates yet"));

  /* A new template starts with one free-text section. */
  g_assert_cmpuint (tend_note_templates_page_get_n_sections (page), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (tend_note_templates_page_get_name_row (page)), "Couples session");
  gtk_editable_set_text (GTK_EDITABLE (tend_note_templates_page_get_title_row (page, 0)), "Session focus");
  gtk_switch_set_active (tend_note_templates_page_get_required_switch (page, 0), TRUE);
  tend_note_templates_page_add_section (page, TEND_NOTE_SECTION_CHECKBOXES);
  gtk_editable_set_text (GTK_EDITABLE (tend_note_templates_page_get_title_row (page, 1)), "Interventions");
  gtk_text_buffer_set_text (tend_note_templates_page_get_options (page, 1),
                            "Gottman repair\nEmotion coaching\n\n  Psychoeducation  \n", -1);
  gtk_switch_set_active (tend_note_templates_page_get_required_switch (page, 1), TRUE);
  tend_note_templates_page_add_section (page, TEND_NOTE_SECTION_CHOICE);
  gtk_editable_set_text (GTK_EDITABLE (tend_note_templates_page_get_title_row (page, 2)), "Engagement");
  tend_note_templates_page_add_section (page, TEND_NOTE_SECTION_RISK);
  g_assert_null (tend_note_templates_page_get_title_row (page, 3));
  /* Adding the risk assessment again opens the one there is. */
  tend_note_templates_page_add_section (page, TEND_NOTE_SECTION_RISK);
  g_assert_cmpuint (tend_note_templates_page_get_n_sections (page), ==, 4);

  /* A choice without options is refused, saying which section. */
  g_assert_false (tend_note_templates_page_save (page, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Sections: section 3: checkboxes and choice sections need 1 to 40 options");
  g_assert_true (has_label (GTK_WIDGET (page), "section 3: checkboxes and choice sections need"));
  g_clear_error (&error);
  all = tend_store_list (f->store, TEND_TYPE_PRACTICE_TEMPLATE, &error);
  g_assert_cmpuint (all->len, ==, 0);
  g_clear_pointer (&all, g_ptr_array_unref);

  gtk_text_buffer_set_text (tend_note_templates_page_get_options (page, 2), "Good\nFair\nPoor", -1);
  /* The risk assessment before the engagement, as the practice writes it. */
  tend_note_templates_page_move_section (page, 3, -1);
  g_assert_null (tend_note_templates_page_get_title_row (page, 2));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_note_templates_page_get_title_row (page, 3))), ==,
                   "Engagement");
  spin_for (200);
  gui_test_screenshot (window, "templates-page-1280");
  g_assert_true (tend_note_templates_page_save (page, &error));
  g_assert_no_error (error);

  all = tend_store_list (f->store, TEND_TYPE_PRACTICE_TEMPLATE, &error);
  g_assert_cmpuint (all->len, ==, 1);
  saved = g_ptr_array_index (all, 0);
  g_assert_cmpstr (tend_practice_template_get_name (saved), ==, "Couples session");
  defs = tend_practice_template_dup_sections (saved);
  g_assert_cmpuint (defs->len, ==, 4);
  def = g_ptr_array_index (defs, 0);
  g_assert_cmpstr (def->title, ==, "Session focus");
  g_assert_true (def->required);
  def = g_ptr_array_index (defs, 1);
  g_assert_cmpint (def->kind, ==, TEND_NOTE_SECTION_CHECKBOXES);
  g_assert_cmpuint (g_strv_length (def->options), ==, 3);
  g_assert_cmpstr (def->options[2], ==, "Psychoeducation");
  g_assert_cmpint (((TendNoteSectionDef *) g_ptr_array_index (defs, 2))->kind, ==, TEND_NOTE_SECTION_RISK);
  def = g_ptr_array_index (defs, 3);
  g_assert_cmpint (def->kind, ==, TEND_NOTE_SECTION_CHOICE);
  g_assert_false (def->required);
  g_assert_true (has_label (GTK_WIDGET (page), "4 sections"));

  /* Removing a section and saving again; then archived, not deleted. */
  tend_note_templates_page_remove_section (page, 3);
  g_assert_true (tend_note_templates_page_save (page, &error));
  g_clear_pointer (&defs, g_ptr_array_unref);
  defs = tend_practice_template_dup_sections (tend_note_templates_page_get_current (page));
  g_assert_cmpuint (defs->len, ==, 3);
  g_assert_true (tend_note_templates_page_set_archived (page, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (has_label (GTK_WIDGET (page), "3 sections · archived"));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = tend_store_list (f->store, TEND_TYPE_PRACTICE_TEMPLATE, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_true (tend_practice_template_is_archived (g_ptr_array_index (all, 0)));
  g_assert_true (tend_note_templates_page_set_archived (page, FALSE, &error));

  /* The same page on a phone. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 740);
  gtk_window_unmaximize (GTK_WINDOW (window));
  spin_for (300);
  g_assert_cmpint (gtk_widget_get_width (window), <=, 400);
  gui_test_screenshot (window, "templates-page-360");

  /* A clinician's store refuses the template (the page is not offered). */
  {
    g_autoptr(TendRecord) t = g_object_ref (g_ptr_array_index (all, 0));

    tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
    tend_record_set_string (t, "name", "Mine now");
    g_assert_false (tend_store_save (f->store, t, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    g_assert_false (tend_record_policy_may_write_type (TEND_TYPE_PRACTICE_TEMPLATE, TEND_ROLE_CLINICIAN));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static TendPracticeTemplate *
save_template (Fixture *f)
{
  TendPracticeTemplate *t = tend_practice_template_new ("Couples session");
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (defs, tend_note_section_def_new ("focus", "Session focus", "What the couple brought today", TRUE,
                                                    TEND_NOTE_SECTION_TEXT, NULL));
  g_ptr_array_add (defs, tend_note_section_def_new ("interventions", "Interventions", "Check each one used", TRUE,
                                                    TEND_NOTE_SECTION_CHECKBOXES,
                                                    (const char *[]) { "Gottman repair", "Emotion coaching",
                                                                       "Psychoeducation", NULL }));
  g_ptr_array_add (defs, tend_note_section_def_new ("engagement", "Engagement", NULL, FALSE,
                                                    TEND_NOTE_SECTION_CHOICE,
                                                    (const char *[]) { "Good", "Fair", "Poor", NULL }));
  g_ptr_array_add (defs, tend_note_section_def_new ("risk", NULL, NULL, FALSE, TEND_NOTE_SECTION_RISK, NULL));
  tend_practice_template_set_sections (t, defs);
  tend_store_set_actor (f->store, f->supervisor_id, TEND_ROLE_SUPERVISOR);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (t), &error));
  g_assert_no_error (error);
  return t;
}

static gboolean
menu_has (GMenuModel *model,
          const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) && g_strcmp0 (text, label) == 0)
        return TRUE;
      if (section != NULL && menu_has (section, label))
        return TRUE;
    }
  return FALSE;
}

static GtkMenuButton *
find_menu_button (GtkWidget  *root,
                  const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkMenuButton *hit;

      if (GTK_IS_MENU_BUTTON (c) && g_strcmp0 (gtk_menu_button_get_label (GTK_MENU_BUTTON (c)), label) == 0)
        return GTK_MENU_BUTTON (c);
      if ((hit = find_menu_button (c, label)) != NULL)
        return hit;
    }
  return NULL;
}

/* Cleo writes a note from the practice's template in the chart: the
 * sections as the template has them, a required checkboxes section
 * refused on the section itself, signed with her password, shown in the
 * chart as written. */
static void
test_write_note (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TendPracticeTemplate) t = save_template (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClinicalNote) stored = NULL;
  g_autofree char *note_id = NULL;
  GtkWidget *window = gtk_window_new ();
  TendChartPage *page = TEND_CHART_PAGE (tend_chart_page_new ());
  GtkMenuButton *new_note;
  TendNoteEditor *ed;
  GtkWidget *editor;
  AdwMessageDialog *dialog;
  gpointer pair[2];

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  tend_chart_page_set_store (page, f->store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tend_chart_page_set_client (page, f->client_id, &error));
  g_assert_no_error (error);
  spin_for (100);

  /* Offered under New Note, after the built-in templates (the Notes tab
   * reads when it is shown). */
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (page), "notes");
  spin_for (100);
  new_note = find_menu_button (GTK_WIDGET (page), "New Note");
  g_assert_nonnull (new_note);
  g_assert_true (menu_has (gtk_menu_button_get_menu_model (new_note), "SOAP note"));
  g_assert_true (menu_has (gtk_menu_button_get_menu_model (new_note), "Couples session"));

  editor = tend_chart_page_new_practice_note (page, tend_record_get_id (TEND_RECORD (t)), &error);
  g_assert_no_error (error);
  ed = TEND_NOTE_EDITOR (editor);
  spin_for (100);
  note_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_note_editor_get_note (ed))));
  g_assert_true (has_label (editor, "Couples session"));
  g_assert_true (has_label (editor, "What the couple brought today"));
  g_assert_nonnull (tend_note_editor_get_buffer (ed, "focus"));
  g_assert_nonnull (tend_note_editor_get_choice_row (ed, "engagement"));
  g_assert_nonnull (tend_note_editor_get_check_button (ed, "interventions", 2));
  g_assert_null (tend_note_editor_get_check_button (ed, "interventions", 3));

  gtk_text_buffer_set_text (tend_note_editor_get_buffer (ed, "focus"), "Repair after the argument about money.", -1);
  adw_combo_row_set_selected (tend_note_editor_get_choice_row (ed, "engagement"), 2);   /* Fair */
  spin_for (600);

  /* Interventions is required and empty: said on the section, nothing signed. */
  gtk_widget_activate (find_button (editor, "_Sign…"));
  spin_until (dialog_shown, NULL, 3000);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Note Cannot Be Signed Yet");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Fill in these parts before signing: Interventions");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_for (50);
  g_assert_true (gtk_widget_get_visible (tend_note_editor_get_missing_label (ed, "interventions")));
  g_assert_false (gtk_widget_get_visible (tend_note_editor_get_missing_label (ed, "focus")));
  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_false (tend_clinical_note_is_signed (stored));
  {
    g_autofree char *kept = tend_clinical_note_dup_section (stored, "engagement");

    g_assert_cmpstr (kept, ==, "Fair");
  }
  g_clear_object (&stored);
  scroll_to (GTK_WIDGET (tend_note_editor_get_check_button (ed, "interventions", 0)));
  gui_test_screenshot (window, "template-note-missing-1280");

  gtk_check_button_set_active (tend_note_editor_get_check_button (ed, "interventions", 0), TRUE);
  gtk_check_button_set_active (tend_note_editor_get_check_button (ed, "interventions", 2), TRUE);
  spin_for (600);
  gui_test_screenshot (window, "template-note-1280");

  /* The same note in a window 360 px wide. */
  g_assert_true (tend_note_editor_flush (ed, &error));
  {
    GtkWidget *narrow = gtk_window_new ();
    GtkWidget *second = tend_note_editor_new (f->store, note_id, NULL, &error);
    int min = 0;

    g_assert_no_error (error);
    gtk_window_set_child (GTK_WINDOW (narrow), second);
    gtk_widget_measure (second, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 360);
    gtk_window_set_default_size (GTK_WINDOW (narrow), 360, 740);
    gtk_window_present (GTK_WINDOW (narrow));
    spin_for (300);
    g_assert_cmpint (gtk_widget_get_width (narrow), ==, 360);
    /* What was checked is shown checked again. */
    g_assert_true (gtk_check_button_get_active (tend_note_editor_get_check_button (TEND_NOTE_EDITOR (second),
                                                                                  "interventions", 2)));
    g_assert_false (gtk_check_button_get_active (tend_note_editor_get_check_button (TEND_NOTE_EDITOR (second),
                                                                                   "interventions", 1)));
    gui_test_screenshot (narrow, "template-note-360");
    scroll_to (GTK_WIDGET (tend_note_editor_get_check_button (TEND_NOTE_EDITOR (second), "interventions", 0)));
    gui_test_screenshot (narrow, "template-note-360-sections");
    gtk_window_destroy (GTK_WINDOW (narrow));
    spin_for (50);
  }

  gtk_widget_activate (find_button (editor, "_Sign…"));
  spin_until (dialog_shown, NULL, 3000);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign This Note?");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW)), CLINICIAN_PASSWORD);
  adw_message_dialog_response (dialog, "sign");
  gtk_window_destroy (GTK_WINDOW (dialog));
  pair[0] = f->store;
  pair[1] = note_id;
  spin_until (note_signed, pair, 10000);

  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error));
  g_assert_true (tend_clinical_note_is_signed (stored));
  {
    g_auto(GStrv) checked = tend_clinical_note_dup_section_checked (stored, "interventions");

    g_assert_cmpuint (g_strv_length (checked), ==, 2);
    g_assert_cmpstr (checked[0], ==, "Gottman repair");
    g_assert_cmpstr (checked[1], ==, "Psychoeducation");
  }

  /* The chart shows the note as written, under the template's name. */
  g_assert_true (tend_chart_page_open_note (page, note_id, &error));
  spin_for (100);
  g_assert_true (has_label (GTK_WIDGET (page), "Couples session"));
  g_assert_true (has_label (GTK_WIDGET (page), "• Gottman repair\n• Psychoeducation"));
  g_assert_true (has_label (GTK_WIDGET (page), "Fair"));
  gui_test_screenshot (window, "template-note-signed");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Progress on the plan's objectives: marked in a note's editor, stored in
 * the note, and shown per objective in the chart's plan view, latest
 * first. */
static void
test_objective_progress (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TendTreatmentPlan) plan = NULL;
  g_autoptr(JsonNode) problems = json_from_string (
    "[{\"problem\":\"Insomnia\",\"goals\":[{\"goal\":\"Sleep better\",\"objectives\":["
    "{\"objective\":\"Sleep seven hours on five nights a week\",\"target_date\":\"2026-06-01\"},"
    "{\"objective\":\"No screens after ten\"}]}],\"interventions\":[\"CBT-I\"]}]", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClinicalNote) stored = NULL;
  GtkWidget *window = gtk_window_new ();
  TendChartPage *page = TEND_CHART_PAGE (tend_chart_page_new ());
  TendNoteProgressGroup *progress;
  TendObjectiveProgress *view;
  GtkWidget *editor;
  TendNoteEditor *ed;
  g_autofree char *first_id = NULL;

  tend_store_set_actor (f->store, f->clinician_id, TEND_ROLE_CLINICIAN);
  plan = tend_treatment_plan_new (f->client_id, f->clinician_id);
  tend_record_set_json (TEND_RECORD (plan), "problems", problems);
  g_assert_true (tend_store_save (f->store, TEND_RECORD (plan), &error));
  g_assert_no_error (error);

  tend_chart_page_set_store (page, f->store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tend_chart_page_set_client (page, f->client_id, &error));

  /* Two sessions: the first marks both objectives, the second one. */
  for (guint n = 0; n < 2; n++)
    {
      editor = tend_chart_page_new_note (page, TEND_NOTE_TEMPLATE_DAP, &error);
      g_assert_no_error (error);
      ed = TEND_NOTE_EDITOR (editor);
      spin_for (50);
      progress = tend_note_editor_get_progress_group (ed);
      g_assert_nonnull (progress);
      g_assert_cmpuint (tend_note_progress_group_get_n_objectives (progress), ==, 2);
      gtk_text_buffer_set_text (tend_note_editor_get_buffer (ed, "data"), "Sleep diary reviewed.", -1);
      adw_combo_row_set_selected (tend_note_progress_group_get_status_row (progress, 0), n == 0 ? 2 : 3);
      gtk_editable_set_text (GTK_EDITABLE (tend_note_progress_group_get_comment_row (progress, 0)),
                             n == 0 ? "Four nights of seven" : "Five nights, goal reached");
      if (n == 0)
        adw_combo_row_set_selected (tend_note_progress_group_get_status_row (progress, 1), 4);   /* regressed */
      spin_for (600);
      if (n == 0)
        {
          scroll_to (GTK_WIDGET (progress));
          gui_test_screenshot (window, "note-progress-1280");
          first_id = g_strdup (tend_record_get_id (TEND_RECORD (tend_note_editor_get_note (ed))));
        }
      g_assert_true (tend_note_editor_save (ed, &error));
      g_assert_no_error (error);
    }

  stored = TEND_CLINICAL_NOTE (tend_store_load (f->store, TEND_TYPE_CLINICAL_NOTE, first_id, &error));
  {
    g_autoptr(GPtrArray) marks = tend_clinical_note_dup_objectives (stored);
    TendObjectiveMark *mark;

    g_assert_cmpuint (marks->len, ==, 2);
    mark = g_ptr_array_index (marks, 0);
    g_assert_cmpstr (mark->objective, ==, "Sleep seven hours on five nights a week");
    g_assert_cmpint (mark->status, ==, TEND_OBJECTIVE_PROGRESSING);
    g_assert_cmpstr (mark->comment, ==, "Four nights of seven");
    g_assert_cmpstr (mark->plan_id, ==, tend_record_get_id (TEND_RECORD (plan)));
    g_assert_cmpint (((TendObjectiveMark *) g_ptr_array_index (marks, 1))->status, ==, TEND_OBJECTIVE_REGRESSED);
  }

  /* The plan view: each objective's marks, latest first. */
  g_assert_true (tend_chart_page_set_client (page, f->client_id, &error));
  /* The Treatment Plan tab reads when it is shown. */
  adw_view_stack_set_visible_child_name (tend_chart_page_get_views (page), "plan");
  spin_for (100);
  view = find_widget (page, TEND_TYPE_OBJECTIVE_PROGRESS);
  g_assert_nonnull (view);
  g_assert_cmpuint (tend_objective_progress_get_n_marks (view, 0), ==, 2);
  g_assert_cmpuint (tend_objective_progress_get_n_marks (view, 1), ==, 1);
  g_assert_true (has_label (GTK_WIDGET (view), "Met"));
  adw_expander_row_set_expanded (find_widget (view, ADW_TYPE_EXPANDER_ROW), TRUE);
  spin_for (200);
  gui_test_screenshot (window, "plan-objective-progress-1280");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 740);
  spin_for (300);
  gui_test_screenshot (window, "plan-objective-progress-360");

  /* The notes cannot be read (their table renamed away under the store, as
   * a damaged file would make it fail): the tab shows the read error with
   * Retry, not a plan without its progress; Retry, once they can be read
   * again, brings the progress back. */
  {
    g_autofree char *path = g_build_filename (f->dir, "tend.db", NULL);
    GtkWidget *plan_tab = adw_view_stack_get_child_by_name (tend_chart_page_get_views (page), "plan");
    AdwStatusPage *status;
    GtkWidget *retry;

    gui_test_raw_exec (path, f->key, "ALTER TABLE note RENAME TO note_away;");
    g_assert_true (tend_chart_page_set_client (page, f->client_id, &error));
    g_assert_no_error (error);
    adw_view_stack_set_visible_child_name (tend_chart_page_get_views (page), "plan");
    spin_for (100);
    status = find_widget (plan_tab, ADW_TYPE_STATUS_PAGE);
    g_assert_nonnull (status);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
    g_assert_cmpstr (adw_status_page_get_title (status), ==, "This Part of the Chart Could Not Be Read");
    g_assert_nonnull (g_strstr_len (adw_status_page_get_description (status), -1, "note"));
    view = find_widget (plan_tab, TEND_TYPE_OBJECTIVE_PROGRESS);
    g_assert_true (view == NULL || !gtk_widget_get_mapped (GTK_WIDGET (view)));
    retry = find_button (GTK_WIDGET (status), "_Retry");
    g_assert_nonnull (retry);

    gui_test_raw_exec (path, f->key, "ALTER TABLE note_away RENAME TO note;");
    gtk_widget_activate (retry);
    spin_for (300);
    g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (status)));
    view = find_widget (plan_tab, TEND_TYPE_OBJECTIVE_PROGRESS);
    g_assert_nonnull (view);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
    g_assert_cmpuint (tend_objective_progress_get_n_marks (view, 0), ==, 2);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();
  g_test_add ("/note-templates/page", Fixture, NULL, fixture_set_up, test_page, fixture_tear_down);
  g_test_add ("/note-templates/write-note", Fixture, NULL, fixture_set_up, test_write_note, fixture_tear_down);
  g_test_add ("/note-progress/editor-and-plan", Fixture, NULL, fixture_set_up, test_objective_progress,
              fixture_tear_down);
  return g_test_run ();
}
