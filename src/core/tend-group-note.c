/* tend-group-note.c: what one member's note of a couple, family or group
 * session may say of the other members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A note is one client's chart content, and a chart is released to that
 * client (or their guardian, or a payer) on request: it must not disclose
 * who else was in the room.  A note written for one member of a
 * multi-client session names the other members only as "group member",
 * unless the other member is a related person of this client (a
 * related_person record of the client whose linked_client_id is that
 * member) with the client's consent to share on file: a couple where each
 * partner consented, a parent and child.
 *
 * The store gathers the names and related people (tend_chart_load_group_note ());
 * the chart prefills a new note's participants from here, the note editor
 * puts "group member" in place of another member's name before signing,
 * and the chart's PDF does the same for what it prints.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-group-note.h"

struct _TendGroupNote
{
  gatomicrefcount ref;
  char           *client_id;
  GStrv           member_ids;   /* the session's clients, its own client first */
  GHashTable     *names;        /* member id (lower case) -> display name */
  GHashTable     *consented;    /* member ids (lower case) this client consented to name */
};

static char *
key_of (const char *id)
{
  return g_ascii_strdown (id, -1);
}

/**
 * tend_group_note_new:
 * @appointment: the session the note documents
 * @client_id: whose note it is (a member of @appointment)
 *
 * Returns: (transfer full): the rule for @client_id's note; with no names
 *   added, every other member is "group member"
 */
TendGroupNote *
tend_group_note_new (TendAppointment *appointment,
                     const char      *client_id)
{
  TendGroupNote *self;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (appointment), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  self = g_new0 (TendGroupNote, 1);
  g_atomic_ref_count_init (&self->ref);
  self->client_id = key_of (client_id);
  self->member_ids = tend_appointment_dup_member_ids (appointment);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->consented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

TendGroupNote *
tend_group_note_ref (TendGroupNote *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
tend_group_note_unref (TendGroupNote *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_free (self->client_id);
  g_strfreev (self->member_ids);
  g_hash_table_unref (self->names);
  g_hash_table_unref (self->consented);
  g_free (self);
}

static gboolean
is_member (TendGroupNote *self,
           const char    *id)
{
  for (guint i = 0; self->member_ids[i] != NULL; i++)
    if (g_ascii_strcasecmp (self->member_ids[i], id) == 0)
      return TRUE;
  return FALSE;
}

/**
 * tend_group_note_add_name:
 *
 * How a member (the note's own client too) is named: their display name.
 */
void
tend_group_note_add_name (TendGroupNote *self,
                          const char    *member_id,
                          const char    *display_name)
{
  g_return_if_fail (self != NULL);
  if (member_id == NULL || display_name == NULL || *display_name == '\0')
    return;
  g_hash_table_replace (self->names, key_of (member_id), g_strstrip (g_strdup (display_name)));
}

/**
 * tend_group_note_add_related:
 * @related: one of the note's client's related people
 *
 * A live related person of the note's client, linked to a member of the
 * session, with the client's consent to share on file, makes that member
 * one the note may name.  Anything else is ignored.
 */
void
tend_group_note_add_related (TendGroupNote     *self,
                             TendRelatedPerson *related)
{
  const char *linked;

  g_return_if_fail (self != NULL);
  g_return_if_fail (TEND_IS_RELATED_PERSON (related));
  linked = tend_related_person_get_linked_client (related);
  if (linked == NULL || tend_record_get_deleted (TEND_RECORD (related)) ||
      !tend_related_person_has_consent (related) ||
      g_ascii_strcasecmp (tend_related_person_get_client_id (related), self->client_id) != 0 ||
      !is_member (self, linked))
    return;
  g_hash_table_add (self->consented, key_of (linked));
}

/**
 * tend_group_note_may_name:
 *
 * Returns: whether the note may name @member_id: the note's own client,
 *   or a member this client consented to share with
 */
gboolean
tend_group_note_may_name (TendGroupNote *self,
                          const char    *member_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  if (member_id == NULL)
    return FALSE;
  key = key_of (member_id);
  return strcmp (key, self->client_id) == 0 || g_hash_table_contains (self->consented, key);
}

/**
 * tend_group_note_dup_participants:
 *
 * Returns: (transfer full): the note's participants line: the client's
 *   name, the members they consented to name, then the others counted as
 *   group members ("Ana López, Ben López, 2 group members")
 */
char *
tend_group_note_dup_participants (TendGroupNote *self)
{
  GString *out = g_string_new (NULL);
  guint hidden = 0;

  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; self->member_ids[i] != NULL; i++)
    {
      g_autofree char *key = key_of (self->member_ids[i]);
      const char *name = g_hash_table_lookup (self->names, key);

      if (strcmp (key, self->client_id) == 0 && name != NULL)
        {
          if (out->len > 0)
            g_string_prepend (out, ", ");
          g_string_prepend (out, name);
        }
      else if (strcmp (key, self->client_id) != 0 && name != NULL && g_hash_table_contains (self->consented, key))
        g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", name);
      else if (strcmp (key, self->client_id) != 0)
        hidden++;
    }
  if (hidden == 1)
    g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", _("group member"));
  else if (hidden > 1)
    {
      /* TRANSLATORS: the other clients of a group session, not named in a
       * client's note; the singular is "group member" alone */
      g_autofree char *counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group member",
                                                               "%u group members", hidden), hidden);

      g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", counted);
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_group_note_dup_hidden_names:
 *
 * Returns: (transfer full): the display names of the members the note must
 *   not name, in the session's order
 */
char **
tend_group_note_dup_hidden_names (TendGroupNote *self)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; self->member_ids[i] != NULL; i++)
    {
      const char *name;

      if (tend_group_note_may_name (self, self->member_ids[i]))
        continue;
      {
        g_autofree char *key = key_of (self->member_ids[i]);

        name = g_hash_table_lookup (self->names, key);
      }
      if (name != NULL)
        g_strv_builder_add (out, name);
    }
  return g_strv_builder_end (out);
}

/* One thing to put "group member" in place of. */
typedef struct
{
  char    *text;
  glong    chars;
  gboolean exact;   /* a single name: its case as written */
} Needle;

static void
needle_clear (gpointer data)
{
  g_free (((Needle *) data)->text);
}

static gint
by_length_desc (gconstpointer a,
                gconstpointer b)
{
  const Needle *x = a, *y = b;

  return (y->chars > x->chars) - (y->chars < x->chars);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Whether a word (the whole of @word) is part of a name the note may say. */
static gboolean
in_shown_name (TendGroupNote *self,
               const char    *word)
{
  for (guint i = 0; self->member_ids[i] != NULL; i++)
    {
      g_autofree char *key = key_of (self->member_ids[i]);
      const char *name = g_hash_table_lookup (self->names, key);
      g_auto(GStrv) words = NULL;

      if (name == NULL || !tend_group_note_may_name (self, self->member_ids[i]))
        continue;
      words = g_strsplit_set (name, " \t-", -1);
      for (guint k = 0; words[k] != NULL; k++)
        if (strcmp (words[k], word) == 0)
          return TRUE;
    }
  return FALSE;
}

static GArray *
collect_needles (TendGroupNote *self)
{
  GArray *needles = g_array_new (FALSE, TRUE, sizeof (Needle));
  g_auto(GStrv) hidden = tend_group_note_dup_hidden_names (self);

  g_array_set_clear_func (needles, needle_clear);
  for (guint i = 0; hidden[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (hidden[i], " \t", -1);
      Needle whole = { g_utf8_casefold (hidden[i], -1), g_utf8_strlen (hidden[i], -1), FALSE };

      g_array_append_val (needles, whole);
      /* A first or last name on its own, unless the client's own name (or
       * a name they may say) has it: a family shares a surname. */
      for (guint k = 0; words[k] != NULL; k++)
        {
          Needle part;

          if (g_utf8_strlen (words[k], -1) < 2 || in_shown_name (self, words[k]))
            continue;
          part.text = g_strdup (words[k]);
          part.chars = g_utf8_strlen (words[k], -1);
          part.exact = TRUE;
          g_array_append_val (needles, part);
        }
    }
  g_array_sort (needles, by_length_desc);
  return needles;
}

/* Whether @needle is at @p (a word start), and where it ends. */
static const char *
match_at (const char   *p,
          const Needle *needle)
{
  const char *end = p;
  gunichar after;

  for (glong n = 0; n < needle->chars; n++)
    {
      if (*end == '\0')
        return NULL;
      end = g_utf8_next_char (end);
    }
  after = *end != '\0' ? g_utf8_get_char (end) : 0;
  if (after != 0 && is_word_char (after))
    return NULL;
  if (needle->exact)
    return strncmp (p, needle->text, (gsize) (end - p)) == 0 && strlen (needle->text) == (gsize) (end - p) ? end : NULL;
  {
    g_autofree char *folded = g_utf8_casefold (p, end - p);

    return strcmp (folded, needle->text) == 0 ? end : NULL;
  }
}

/**
 * tend_group_note_redact:
 * @text: (nullable): what the note says
 *
 * Puts "group member" in place of each member the note must not name:
 * their whole name (in any case), and their first or last name alone
 * (as written) where no name the note may say has it.
 *
 * Returns: (transfer full) (nullable): the text, changed or not; %NULL for
 *   %NULL
 */
char *
tend_group_note_redact (TendGroupNote *self,
                        const char    *text)
{
  g_autoptr(GArray) needles = NULL;
  GString *out;
  const char *p;
  gunichar before = 0;

  g_return_val_if_fail (self != NULL, NULL);
  if (text == NULL)
    return NULL;
  needles = collect_needles (self);
  if (needles->len == 0 || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  out = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0')
    {
      const char *end = NULL;

      if (before == 0 || !is_word_char (before))
        for (guint i = 0; end == NULL && i < needles->len; i++)
          end = match_at (p, &g_array_index (needles, Needle, i));
      if (end != NULL)
        {
          g_string_append (out, _("group member"));
          before = g_utf8_get_char (g_utf8_prev_char (end));
          p = end;
          continue;
        }
      before = g_utf8_get_char (p);
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}
