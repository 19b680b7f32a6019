/* tend-practice-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A note template the practice makes in Tend ("note_template" on the
 * wire): a name and an ordered list of sections, each free text, a set of
 * checkboxes or one choice from a list (with its options), or the place of
 * the risk assessment or the mental status exam; each with help text and a
 * required flag.  A note written from it keeps a copy of the definition
 * (tend_practice_template_dup_definition ()), so editing the template later
 * never changes what a note showed or what its signature covers.  Templates
 * are archived, not deleted: notes name them by id.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-error.h"
#include "tend-practice-template.h"
#include "tend-record-policy.h"

#define MAX_SECTIONS  60
#define MAX_OPTIONS   40
#define MAX_KEY       40
#define MAX_TITLE     120
#define MAX_HELP      500

struct _TendPracticeTemplate
{
  TendRecord parent_instance;

  char     *name;
  char     *sections;
  gboolean  archived;
};

G_DEFINE_FINAL_TYPE (TendPracticeTemplate, tend_practice_template, TEND_TYPE_RECORD)

static const char * const kind_nicks[] = { "text", "checkboxes", "choice", "risk", "mse", NULL };

static const TendField template_fields[] = {
  { "name", N_("Template name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED,
    G_STRUCT_OFFSET (TendPracticeTemplate, name), 80, NULL, 0, 0 },
  { "sections", N_("Sections"), TEND_FIELD_JSON, TEND_FIELD_REQUIRED,
    G_STRUCT_OFFSET (TendPracticeTemplate, sections), 200000, NULL, 0, 0 },
  { "archived", N_("Archived"), TEND_FIELD_BOOL, 0,
    G_STRUCT_OFFSET (TendPracticeTemplate, archived), 0, NULL, 0, 0 },
};

void
tend_note_section_def_free (TendNoteSectionDef *def)
{
  if (def == NULL)
    return;
  g_free (def->key);
  g_free (def->title);
  g_free (def->help);
  g_strfreev (def->options);
  g_free (def);
}

/**
 * tend_note_section_def_new:
 * @help: (nullable):
 * @options: (nullable): for checkboxes and choice sections
 *
 * Returns: (transfer full): a section (not checked: see
 *   tend_note_section_defs_parse ())
 */
TendNoteSectionDef *
tend_note_section_def_new (const char          *key,
                           const char          *title,
                           const char          *help,
                           gboolean             required,
                           TendNoteSectionKind  kind,
                           const char * const  *options)
{
  TendNoteSectionDef *def = g_new0 (TendNoteSectionDef, 1);

  def->key = g_strdup (key);
  def->title = g_strdup (title);
  def->help = help != NULL && *help != '\0' ? g_strdup (help) : NULL;
  def->required = required;
  def->kind = kind;
  def->options = options != NULL ? g_strdupv ((char **) options) : NULL;
  return def;
}

const char *
tend_note_section_kind_to_string (TendNoteSectionKind kind)
{
  g_return_val_if_fail (kind < TEND_N_NOTE_SECTION_KINDS, NULL);
  return kind_nicks[kind];
}

const char *
tend_note_section_kind_get_label (TendNoteSectionKind kind)
{
  switch (kind)
    {
    case TEND_NOTE_SECTION_TEXT:       return _("Free text");
    case TEND_NOTE_SECTION_CHECKBOXES: return _("Checkboxes");
    case TEND_NOTE_SECTION_CHOICE:     return _("One choice from a list");
    case TEND_NOTE_SECTION_RISK:       return _("Risk assessment");
    case TEND_NOTE_SECTION_MSE:        return _("Mental status exam");
    case TEND_N_NOTE_SECTION_KINDS:
    default:                           return "";
    }
}

static gboolean
bad_section (GError    **error,
             guint       index,
             const char *what)
{
  /* TRANSLATORS: "Sections: section 3: the title is empty" */
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Sections: section %u: %s"), index + 1, what);
  return FALSE;
}

static const char *
string_member (JsonObject *obj,
               const char *name,
               gboolean   *wrong_type)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *wrong_type = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
is_key (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > MAX_KEY)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (key[i]) && !g_ascii_isdigit (key[i]) && key[i] != '_')
      return FALSE;
  return TRUE;
}

/* One line of text, neither blank nor longer than @max characters. */
static gboolean
is_line (const char *text,
         gsize       max)
{
  g_autofree char *copy = g_strdup (text);

  return g_utf8_validate (text, -1, NULL) && *g_strstrip (copy) != '\0' &&
         g_utf8_strlen (text, -1) <= (glong) max && strchr (text, '\n') == NULL && strchr (text, '\r') == NULL;
}

static TendNoteSectionDef *
parse_one (JsonNode   *node,
           guint       index,
           GHashTable *keys,
           GError    **error)
{
  g_autoptr(TendNoteSectionDef) def = g_new0 (TendNoteSectionDef, 1);
  static const char * const members[] = { "key", "title", "help", "required", "kind", "options", NULL };
  JsonObject *obj;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  const char *kind;
  const char *key;
  const char *title;
  const char *help;
  gboolean wrong = FALSE;
  gboolean found = FALSE;
  gboolean with_options;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_section (error, index, _("expected an object"));
      return NULL;
    }
  obj = json_node_get_object (node);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (members, name))
      {
        g_autofree char *what = g_strdup_printf (_("“%s” is not a member of a section"), name);

        bad_section (error, index, what);
        return NULL;
      }

  kind = string_member (obj, "kind", &wrong);
  for (guint k = 0; kind != NULL && kind_nicks[k] != NULL; k++)
    if (strcmp (kind, kind_nicks[k]) == 0)
      {
        def->kind = (TendNoteSectionKind) k;
        found = TRUE;
      }
  if (!found)
    {
      bad_section (error, index, _("the kind must be text, checkboxes, choice, risk or mse"));
      return NULL;
    }

  key = string_member (obj, "key", &wrong);
  if (key == NULL || wrong || !is_key (key))
    {
      bad_section (error, index, _("the key must be 1 to 40 lower-case letters, digits or underscores"));
      return NULL;
    }
  if ((def->kind == TEND_NOTE_SECTION_RISK) != (strcmp (key, "risk") == 0) ||
      (def->kind == TEND_NOTE_SECTION_MSE) != (strcmp (key, "mse") == 0))
    {
      bad_section (error, index, _("the keys “risk” and “mse” belong to the risk assessment and the mental status exam"));
      return NULL;
    }
  if (g_hash_table_contains (keys, key))
    {
      bad_section (error, index, _("another section has the same key"));
      return NULL;
    }
  g_hash_table_add (keys, g_strdup (key));
  def->key = g_strdup (key);

  title = string_member (obj, "title", &wrong);
  if (wrong || (title == NULL && def->kind < TEND_NOTE_SECTION_RISK) || (title != NULL && !is_line (title, MAX_TITLE)))
    {
      bad_section (error, index, _("the title must be one line of 1 to 120 characters"));
      return NULL;
    }
  /* The forms are named by Tend, in the reader's language. */
  def->title = g_strdup (title != NULL ? title : tend_note_section_kind_get_label (def->kind));

  help = string_member (obj, "help", &wrong);
  if (wrong || (help != NULL && (!g_utf8_validate (help, -1, NULL) || g_utf8_strlen (help, -1) > MAX_HELP)))
    {
      bad_section (error, index, _("the help text must be text of at most 500 characters"));
      return NULL;
    }
  def->help = help != NULL && *help != '\0' ? g_strdup (help) : NULL;

  value = json_object_get_member (obj, "required");
  if (value != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        {
          bad_section (error, index, _("“required” must be true or false"));
          return NULL;
        }
      def->required = json_node_get_boolean (value);
    }

  with_options = def->kind == TEND_NOTE_SECTION_CHECKBOXES || def->kind == TEND_NOTE_SECTION_CHOICE;
  value = json_object_get_member (obj, "options");
  if (!with_options && value != NULL)
    {
      bad_section (error, index, _("only checkboxes and choice sections have options"));
      return NULL;
    }
  if (with_options)
    {
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) options = NULL;
      JsonArray *array;
      guint n;

      if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value) ||
          (n = json_array_get_length (array = json_node_get_array (value))) == 0 || n > MAX_OPTIONS)
        {
          bad_section (error, index, _("checkboxes and choice sections need 1 to 40 options"));
          return NULL;
        }
      for (guint o = 0; o < n; o++)
        {
          JsonNode *opt = json_array_get_element (array, o);
          const char *text = JSON_NODE_HOLDS_VALUE (opt) && json_node_get_value_type (opt) == G_TYPE_STRING
                             ? json_node_get_string (opt) : NULL;

          if (text == NULL || !is_line (text, MAX_TITLE))
            {
              bad_section (error, index, _("each option must be one line of 1 to 120 characters"));
              return NULL;
            }
          g_strv_builder_add (b, text);
        }
      options = g_strv_builder_end (b);
      for (guint o = 0; options[o] != NULL; o++)
        for (guint p = o + 1; options[p] != NULL; p++)
          if (strcmp (options[o], options[p]) == 0)
            {
              bad_section (error, index, _("two options are the same"));
              return NULL;
            }
      def->options = g_steal_pointer (&options);
    }
  return g_steal_pointer (&def);
}

/**
 * tend_note_section_defs_parse:
 * @node: a template's "sections" (a JSON array)
 *
 * Checks a list of sections: 1 to 60 of them, each with a known kind, a
 * key unique in the list, a title, and options exactly for checkboxes and
 * choice sections; the risk assessment and the MSE at most once each.
 *
 * Returns: (transfer full) (element-type TendNoteSectionDef) (nullable):
 *   the sections, or %NULL with %TEND_ERROR_INVALID naming what is wrong
 */
GPtrArray *
tend_note_section_defs_parse (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Sections: expected a list of sections"));
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0 || n > MAX_SECTIONS)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Sections: a template has 1 to 60 sections"));
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      TendNoteSectionDef *def = parse_one (json_array_get_element (array, i), i, keys, error);

      if (def == NULL)
        return NULL;
      g_ptr_array_add (defs, def);
    }
  return g_steal_pointer (&defs);
}

/**
 * tend_note_section_defs_to_json:
 * @defs: (element-type TendNoteSectionDef):
 *
 * Returns: (transfer full): the sections as a template stores them (members
 *   that say nothing, such as a false "required", are left out)
 */
JsonNode *
tend_note_section_defs_to_json (GPtrArray *defs)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < defs->len; i++)
    {
      TendNoteSectionDef *def = g_ptr_array_index (defs, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "key", def->key);
      json_object_set_string_member (obj, "kind", kind_nicks[def->kind]);
      if (def->title != NULL && def->kind < TEND_NOTE_SECTION_RISK)
        json_object_set_string_member (obj, "title", def->title);
      if (def->help != NULL && *def->help != '\0')
        json_object_set_string_member (obj, "help", def->help);
      if (def->required)
        json_object_set_boolean_member (obj, "required", TRUE);
      if (def->options != NULL &&
          (def->kind == TEND_NOTE_SECTION_CHECKBOXES || def->kind == TEND_NOTE_SECTION_CHOICE))
        {
          JsonArray *options = json_array_new ();

          for (guint o = 0; def->options[o] != NULL; o++)
            json_array_add_string_element (options, def->options[o]);
          json_object_set_array_member (obj, "options", options);
        }
      json_array_add_object_element (array, obj);
    }
  json_node_take_array (node, array);
  return node;
}

/**
 * tend_note_section_key_new:
 * @defs: (element-type TendNoteSectionDef): the sections already there
 *
 * Returns: (transfer full): a key none of @defs has ("s1", "s2"...): a
 *   section keeps its key when its title changes, so a draft keeps its text
 */
char *
tend_note_section_key_new (GPtrArray *defs)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *key = g_strdup_printf ("s%u", n);
      gboolean taken = FALSE;

      for (guint i = 0; i < defs->len && !taken; i++)
        taken = strcmp (((TendNoteSectionDef *) g_ptr_array_index (defs, i))->key, key) == 0;
      if (!taken)
        return g_steal_pointer (&key);
    }
}

static gboolean
tend_practice_template_validate (TendRecord *record,
                                 GError    **error)
{
  g_autoptr(JsonNode) node = tend_record_dup_json (record, "sections");
  g_autoptr(GPtrArray) defs = tend_note_section_defs_parse (node, error);

  return defs != NULL;
}

/* Templates are practice-wide: the forms every clinician's notes are written
 * on.  Whoever writes notes reads them (clinicians, supervisors, the owner);
 * the front desk and billers, who never write notes, do not receive them.
 * Who may co-sign (supervisors and the owner) may change them: they set the
 * practice's documentation standard, and a clinician's edit would change the
 * form under every colleague's next note.  Archived rather than deleted, but
 * a writer may delete a template no note was written from (a note keeps its
 * own copy in any case). */
static const TendRecordPolicy practice_template_policy = TEND_RECORD_POLICY_PLAIN (VIEW_CLINICAL, COSIGN);

static void
tend_practice_template_class_init (TendPracticeTemplateClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "note_template", template_fields, G_N_ELEMENTS (template_fields));
  tend_record_class_set_policy (record_class, &practice_template_policy);
  record_class->validate = tend_practice_template_validate;
}

static void
tend_practice_template_init (TendPracticeTemplate *self)
{
}

/**
 * tend_practice_template_new:
 *
 * Returns: (transfer full): a template with one required free-text section
 */
TendPracticeTemplate *
tend_practice_template_new (const char *name)
{
  TendPracticeTemplate *self = TEND_PRACTICE_TEMPLATE (tend_record_new (TEND_TYPE_PRACTICE_TEMPLATE));
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);

  tend_record_set_string (TEND_RECORD (self), "name", name);
  g_ptr_array_add (defs, tend_note_section_def_new ("s1", _("Notes"), NULL, TRUE, TEND_NOTE_SECTION_TEXT, NULL));
  tend_practice_template_set_sections (self, defs);
  return self;
}

const char *
tend_practice_template_get_name (TendPracticeTemplate *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE_TEMPLATE (self), NULL);
  return self->name;
}

gboolean
tend_practice_template_is_archived (TendPracticeTemplate *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE_TEMPLATE (self), FALSE);
  return self->archived;
}

void
tend_practice_template_set_archived (TendPracticeTemplate *self,
                                     gboolean              archived)
{
  g_return_if_fail (TEND_IS_PRACTICE_TEMPLATE (self));
  self->archived = archived;
}

/**
 * tend_practice_template_dup_sections:
 *
 * Returns: (transfer full) (element-type TendNoteSectionDef): the sections,
 *   empty when the stored list is not valid
 */
GPtrArray *
tend_practice_template_dup_sections (TendPracticeTemplate *self)
{
  g_autoptr(JsonNode) node = NULL;
  GPtrArray *defs;

  g_return_val_if_fail (TEND_IS_PRACTICE_TEMPLATE (self), NULL);
  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  defs = tend_note_section_defs_parse (node, NULL);
  return defs != NULL ? defs : g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);
}

/**
 * tend_practice_template_set_sections:
 * @defs: (element-type TendNoteSectionDef):
 */
void
tend_practice_template_set_sections (TendPracticeTemplate *self,
                                     GPtrArray            *defs)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (TEND_IS_PRACTICE_TEMPLATE (self));
  node = tend_note_section_defs_to_json (defs);
  tend_record_set_json (TEND_RECORD (self), "sections", node);
}

/**
 * tend_practice_template_dup_definition:
 *
 * Returns: (transfer full): what a note written from this template keeps
 *   of it, {"name": ..., "sections": [...]}
 */
JsonNode *
tend_practice_template_dup_definition (TendPracticeTemplate *self)
{
  JsonObject *obj = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (TEND_IS_PRACTICE_TEMPLATE (self), NULL);
  json_object_set_string_member (obj, "name", self->name);
  json_object_set_member (obj, "sections", tend_record_dup_json (TEND_RECORD (self), "sections"));
  json_node_take_object (node, obj);
  return node;
}
