/* tend-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-error.h"
#include "tend-json.h"
#include "tend-money.h"
#include "tend-record.h"
#include "tend-record-policy.h"
#include "tend-time.h"

typedef struct
{
  char       *id;
  gint64      version;
  gint64      updated_at;
  gboolean    deleted;
  /* Fields this version does not know, kept so a newer peer's data survives a round trip. */
  JsonObject *extra;
} TendRecordPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TendRecord, tend_record, G_TYPE_OBJECT)

#define DEFAULT_MAX_STRING 200
#define DEFAULT_MAX_TEXT   200000
#define FIELD_PTR(self, f) ((gpointer) (((guint8 *) (self)) + (f)->offset))

static gboolean
kind_is_text (TendFieldKind kind)
{
  return kind != TEND_FIELD_ENUM && kind != TEND_FIELD_INT && kind != TEND_FIELD_BOOL;
}

static guint
field_max_length (const TendField *f)
{
  if (f->max_length > 0)
    return f->max_length;
  return f->kind == TEND_FIELD_TEXT ? DEFAULT_MAX_TEXT : DEFAULT_MAX_STRING;
}

static G_GNUC_PRINTF (3, 4) gboolean
field_error (GError         **error,
             const TendField *f,
             const char      *format,
             ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  /* "Date of birth: “2025-02-30” is not a real date" */
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, "%s: %s", _(f->label), msg);
  return FALSE;
}

gboolean
tend_npi_is_valid (const char *npi)
{
  /* Luhn over the 80840 prefix and the first nine digits (CMS's rule). */
  guint sum = 24; /* the prefix 80840 contributes 24 */
  gboolean dbl = TRUE;

  if (npi == NULL || strlen (npi) != 10)
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (!g_ascii_isdigit (npi[i]))
      return FALSE;
  for (gint i = 8; i >= 0; i--)
    {
      guint d = (guint) (npi[i] - '0');

      if (dbl)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
      dbl = !dbl;
    }
  return (10 - (sum % 10)) % 10 == (guint) (npi[9] - '0');
}

gboolean
tend_email_is_valid (const char *email)
{
  const char *at, *dot;

  if (email == NULL || strlen (email) > 254)
    return FALSE;
  for (const char *p = email; *p; p++)
    if (g_ascii_isspace (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>' || (guchar) *p < 0x20)
      return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at, "..") == NULL;
}

char *
tend_phone_digits (const char *phone)
{
  GString *s = g_string_new (NULL);

  for (const char *p = phone; p != NULL && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static gboolean
phone_is_valid (const char *phone)
{
  g_autofree char *digits = tend_phone_digits (phone);
  gsize n = strlen (digits);

  for (const char *p = phone; *p; p++)
    if (!g_ascii_isdigit (*p) && strchr ("+ ()-./x", *p) == NULL)
      return FALSE;
  return n >= 7 && n <= 15;
}

/* Checks one text value of a field; the value is already normalised. */
static gboolean
check_text_value (const TendField *f,
                  const char      *value,
                  GError         **error)
{
  gsize n_chars = 0;
  gboolean control = FALSE;

  if (!g_utf8_validate (value, -1, NULL))
    return field_error (error, f, _("the text is not valid UTF-8"));
  /* One pass for the length and for C0 and C1 controls and DEL (a newline,
   * an escape sequence or a bell has no place in a name, and would corrupt a
   * one-line export); ASCII without a table lookup. */
  for (const guchar *p = (const guchar *) value; *p != '\0'; n_chars++)
    {
      if (*p < 0x80)
        {
          control |= *p < 0x20 || *p == 0x7f;
          p++;
        }
      else
        {
          control |= g_unichar_iscntrl (g_utf8_get_char ((const char *) p));
          p = (const guchar *) g_utf8_next_char (p);
        }
    }
  if (n_chars > field_max_length (f))
    return field_error (error, f, _("longer than %u characters"), field_max_length (f));
  if (control && f->kind != TEND_FIELD_TEXT)
    return field_error (error, f, _("must be a single line"));

  switch (f->kind)
    {
    case TEND_FIELD_EMAIL:
      if (!tend_email_is_valid (value))
        return field_error (error, f, _("“%s” is not an email address"), value);
      break;
    case TEND_FIELD_PHONE:
      if (!phone_is_valid (value))
        return field_error (error, f, _("“%s” is not a phone number"), value);
      break;
    case TEND_FIELD_DATE:
      {
        GDate d;
        g_autoptr(GError) local = NULL;

        if (!tend_date_parse (value, &d, &local))
          return field_error (error, f, "%s", local->message);
      }
      break;
    case TEND_FIELD_DATETIME:
      {
        g_autoptr(GError) local = NULL;
        g_autoptr(GDateTime) dt = NULL;

        if (tend_time_is_canonical (value))
          break;
        dt = tend_time_parse_iso8601 (value, &local);
        if (dt == NULL)
          return field_error (error, f, "%s", local->message);
      }
      break;
    case TEND_FIELD_UUID:
      if (!g_uuid_string_is_valid (value))
        return field_error (error, f, _("“%s” is not a record identifier"), value);
      break;
    case TEND_FIELD_TIME_ZONE:
      {
        g_autoptr(GTimeZone) tz = tend_time_zone_new (value, NULL);

        if (tz == NULL)
          return field_error (error, f, _("“%s” is not a known time zone"), value);
      }
      break;
    case TEND_FIELD_CURRENCY:
      if (!tend_money_is_currency (value))
        return field_error (error, f, _("“%s” is not a supported currency"), value);
      break;
    case TEND_FIELD_NPI:
      if (!tend_npi_is_valid (value))
        return field_error (error, f, _("“%s” is not a valid 10-digit NPI"), value);
      break;
    case TEND_FIELD_TIME_OF_DAY:
      if (!tend_time_of_day_parse (value, NULL))
        return field_error (error, f, _("“%s” is not a time of day (like 09:30 or 17:00)"), value);
      break;
    case TEND_FIELD_UUID_LIST:
      {
        g_auto(GStrv) ids = g_strsplit (value, " ", -1);

        for (guint i = 0; ids[i] != NULL; i++)
          if (!g_uuid_string_is_valid (ids[i]))
            return field_error (error, f, _("“%s” is not a record identifier"), ids[i]);
      }
      break;
    case TEND_FIELD_JSON:
      {
        g_autoptr(JsonParser) parser = NULL;
        JsonNode *root;

        /* An object or list as json-glib writes it is valid as it is. */
        if (tend_json_is_canonical (value, -1))
          break;
        parser = json_parser_new_immutable ();
        if (!json_parser_load_from_data (parser, value, -1, NULL) ||
            (root = json_parser_get_root (parser)) == NULL ||
            (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root)))
          return field_error (error, f, _("expected a JSON object or list"));
      }
      break;
    case TEND_FIELD_STRING:
    case TEND_FIELD_TEXT:
    case TEND_FIELD_ENUM:
    case TEND_FIELD_INT:
    case TEND_FIELD_BOOL:
    default:
      break;
    }
  return TRUE;
}

/* Trims, lowercases e-mail, and turns "" into NULL. */
static char *
normalise_text (const TendField *f,
                const char      *value)
{
  g_autofree char *v = NULL;

  if (value == NULL)
    return NULL;
  v = g_strdup (value);
  if (f->kind != TEND_FIELD_TEXT)
    g_strstrip (v);
  if (*v == '\0')
    return NULL;
  if (f->kind == TEND_FIELD_EMAIL || f->kind == TEND_FIELD_UUID || f->kind == TEND_FIELD_UUID_LIST)
    {
      char *lower = g_utf8_strdown (v, -1);
      g_free (v);
      v = lower;
    }
  if (f->kind == TEND_FIELD_CURRENCY)
    {
      char *upper = g_ascii_strup (v, -1);
      g_free (v);
      v = upper;
    }
  if (f->kind == TEND_FIELD_DATETIME && !tend_time_is_canonical (v))
    {
      g_autoptr(GDateTime) dt = tend_time_parse_iso8601 (v, NULL);

      if (dt != NULL)
        {
          g_free (v);
          v = tend_time_to_iso8601 (dt);
        }
    }
  return g_steal_pointer (&v);
}

static gboolean
validate_one (TendRecord      *self,
              const TendField *f,
              GError         **error)
{
  gpointer slot = FIELD_PTR (self, f);

  if (kind_is_text (f->kind))
    {
      const char *value = *(char **) slot;

      if (value == NULL)
        {
          if (f->flags & TEND_FIELD_REQUIRED)
            return field_error (error, f, _("required"));
          return TRUE;
        }
      return check_text_value (f, value, error);
    }
  if (f->kind == TEND_FIELD_ENUM)
    {
      int v = *(int *) slot;

      if (v < 0 || v >= (int) g_strv_length ((char **) f->choices))
        return field_error (error, f, _("not one of the allowed values"));
    }
  if (f->kind == TEND_FIELD_INT)
    {
      gint64 v = *(gint64 *) slot;

      if (v < f->min || v > f->max)
        {
          /* Formatted apart: xgettext cannot see through G_GINT64_FORMAT. */
          g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, f->min);
          g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, f->max);

          /* TRANSLATORS: after a field name, "Capacity: must be between 1 and 500" */
          return field_error (error, f, _("must be between %s and %s"), min, max);
        }
    }
  return TRUE;
}

static void
tend_record_finalize (GObject *object)
{
  TendRecord *self = TEND_RECORD (object);
  TendRecordPrivate *priv = tend_record_get_instance_private (self);
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (self);

  for (guint i = 0; i < klass->n_fields; i++)
    if (kind_is_text (klass->fields[i].kind))
      g_clear_pointer ((char **) FIELD_PTR (self, &klass->fields[i]), g_free);

  g_clear_pointer (&priv->id, g_free);
  g_clear_pointer (&priv->extra, json_object_unref);

  G_OBJECT_CLASS (tend_record_parent_class)->finalize (object);
}

static void
tend_record_class_init (TendRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_record_finalize;
}

static void
tend_record_init (TendRecord *self)
{
}

/**
 * tend_record_class_set_fields:
 *
 * Called from a subclass's class_init with its static field table.
 */
/* In TendRecordClass.names for the objects dotted names live in. */
static const TendField object_marker;

void
tend_record_class_set_fields (TendRecordClass *klass,
                              const char      *type_name,
                              const TendField *fields,
                              guint            n_fields)
{
  klass->type_name = type_name;
  klass->fields = fields;
  klass->n_fields = n_fields;

  /* Looked up for every member of every body loaded: a table rather than a
   * walk of the fields with strcmp(). */
  klass->names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_fields; i++)
    {
      const char *name = fields[i].name;

      g_hash_table_insert (klass->names, (gpointer) name, (gpointer) &fields[i]);
      for (const char *dot = strchr (name, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
        {
          g_autofree char *parent = g_strndup (name, (gsize) (dot - name));

          if (!g_hash_table_contains (klass->names, parent))
            g_hash_table_insert (klass->names, (gpointer) g_intern_string (parent), (gpointer) &object_marker);
        }
    }
}

/* The time-ordered layout with version @version (7, or 8 for the records
 * whose derived ids follow theirs). */
static char *
new_time_ordered (guint version)
{
  static GMutex lock;
  static guint64 last_ms;
  static guint32 counter;
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint32 seq, r1 = g_random_int (), r2 = g_random_int ();

  g_mutex_lock (&lock);
  if (ms <= last_ms)
    {
      /* The same millisecond (or the clock went back): count on, and
       * borrow the next millisecond when the 12 bits run out. */
      ms = last_ms;
      if (++counter > 0xfff)
        {
          ms++;
          counter = g_random_int () & 0x7ff;
        }
    }
  else
    counter = g_random_int () & 0x7ff;
  last_ms = ms;
  seq = counter;
  g_mutex_unlock (&lock);

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          (guint32) (ms >> 16), (guint) (ms & 0xffff),
                          (guint) ((version << 12) | seq),
                          (guint) (0x8000 | (r1 >> 18)), (guint) (r1 & 0xffff), r2);
}

/**
 * tend_uuid_new_time_ordered:
 *
 * A new UUID in the version 7 layout (RFC 9562): 48 bits of Unix time in
 * milliseconds, then 12 bits that count up within a millisecond (from a
 * random start), then 62 random bits.  Ids made one after the other sort
 * one after the other, so the indexes on record ids grow at their right
 * edge instead of taking a write on a random page for every new record
 * (see bench/README.md, bench-demo).  An id tells when it was made, as a
 * record's updated_at already does; never use one as a secret (tokens
 * come from libsodium on the server).
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_uuid_new_time_ordered (void)
{
  return new_time_ordered (7);
}

/**
 * tend_uuid_orders_derived:
 * @id: a record id
 *
 * Whether the ids derived from @id begin with @id's first 48 bits
 * (tend_record_derive_ordered_id ()): ids of version 8, which Tend gives
 * new series and appointments (#TendRecordClass.orders_derived_ids).
 * Every other id (version 4, 5 or 7: the records made before, on any
 * computer) keeps the derivation it had, tend_record_derive_id ().  The
 * choice depends on nothing but @id, so every computer makes it alike.
 *
 * Returns: %TRUE for a version 8 id
 */
gboolean
tend_uuid_orders_derived (const char *id)
{
  return id != NULL && strlen (id) == 36 && id[14] == '8';
}

/**
 * tend_record_new:
 * @type: a subtype of #TendRecord
 *
 * Returns: (transfer full): a new record with a fresh id
 *   (tend_uuid_new_time_ordered(); version 8 for the classes whose derived
 *   ids follow theirs, tend_uuid_orders_derived()), version 0
 */
TendRecord *
tend_record_new (GType type)
{
  TendRecord *self;
  TendRecordPrivate *priv;

  g_return_val_if_fail (g_type_is_a (type, TEND_TYPE_RECORD), NULL);

  self = g_object_new (type, NULL);
  priv = tend_record_get_instance_private (self);
  priv->id = new_time_ordered (TEND_RECORD_GET_CLASS (self)->orders_derived_ids ? 8 : 7);
  return self;
}

const char *
tend_record_get_type_name (TendRecord *self)
{
  g_return_val_if_fail (TEND_IS_RECORD (self), NULL);
  return TEND_RECORD_GET_CLASS (self)->type_name;
}

const char *
tend_record_get_id (TendRecord *self)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_val_if_fail (TEND_IS_RECORD (self), NULL);
  return priv->id;
}

void
tend_record_set_id (TendRecord *self,
                    const char *id)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_if_fail (TEND_IS_RECORD (self));
  g_return_if_fail (id != NULL && g_uuid_string_is_valid (id));
  g_free (priv->id);
  priv->id = g_ascii_strdown (id, -1);
}

gint64
tend_record_get_version (TendRecord *self)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_val_if_fail (TEND_IS_RECORD (self), 0);
  return priv->version;
}

void
tend_record_set_version (TendRecord *self,
                         gint64      version)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_if_fail (TEND_IS_RECORD (self));
  priv->version = version;
}

gboolean
tend_record_get_deleted (TendRecord *self)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_val_if_fail (TEND_IS_RECORD (self), FALSE);
  return priv->deleted;
}

void
tend_record_set_deleted (TendRecord *self,
                         gboolean    deleted)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_if_fail (TEND_IS_RECORD (self));
  priv->deleted = !!deleted;
}

gint64
tend_record_get_updated_at (TendRecord *self)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_val_if_fail (TEND_IS_RECORD (self), 0);
  return priv->updated_at;
}

void
tend_record_set_updated_at (TendRecord *self,
                            gint64      unix_usec)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_if_fail (TEND_IS_RECORD (self));
  priv->updated_at = unix_usec;
}

const TendField *
tend_record_find_field (TendRecord *self,
                        const char *name)
{
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (self);
  const TendField *f = g_hash_table_lookup (klass->names, name);

  return f == &object_marker ? NULL : f;
}

/**
 * tend_record_get_string:
 *
 * Returns: (nullable): the text value of a text field, or the nick of an
 *   enum field; %NULL when unset
 */
const char *
tend_record_get_string (TendRecord *self,
                        const char *name)
{
  const TendField *f;

  g_return_val_if_fail (TEND_IS_RECORD (self), NULL);
  f = tend_record_find_field (self, name);
  g_return_val_if_fail (f != NULL, NULL);

  if (f->kind == TEND_FIELD_ENUM)
    {
      int v = *(int *) FIELD_PTR (self, f);
      return v >= 0 && v < (int) g_strv_length ((char **) f->choices) ? f->choices[v] : NULL;
    }
  g_return_val_if_fail (kind_is_text (f->kind), NULL);
  return *(char **) FIELD_PTR (self, f);
}

/**
 * tend_record_set_string:
 *
 * Sets a text field (trimmed; empty clears it) or an enum field by nick.  No
 * validation happens here: call tend_record_validate() before saving (the
 * store does).  An unknown enum nick is kept as an invalid value so that
 * validation reports it.
 */
/* The choice's index, or -1. */
static int
enum_index (const TendField *f,
            const char      *value)
{
  for (int i = 0; value != NULL && f->choices[i] != NULL; i++)
    if (strcmp (f->choices[i], value) == 0)
      return i;
  return -1;
}

void
tend_record_set_string (TendRecord *self,
                        const char *name,
                        const char *value)
{
  const TendField *f;

  g_return_if_fail (TEND_IS_RECORD (self));
  f = tend_record_find_field (self, name);
  g_return_if_fail (f != NULL);

  if (f->kind == TEND_FIELD_ENUM)
    {
      *(int *) FIELD_PTR (self, f) = enum_index (f, value);
      return;
    }
  g_return_if_fail (kind_is_text (f->kind));
  g_free (*(char **) FIELD_PTR (self, f));
  *(char **) FIELD_PTR (self, f) = normalise_text (f, value);
}

gint64
tend_record_get_int (TendRecord *self,
                     const char *name)
{
  const TendField *f;

  g_return_val_if_fail (TEND_IS_RECORD (self), 0);
  f = tend_record_find_field (self, name);
  g_return_val_if_fail (f != NULL, 0);

  switch (f->kind)
    {
    case TEND_FIELD_INT:  return *(gint64 *) FIELD_PTR (self, f);
    case TEND_FIELD_BOOL: return *(gboolean *) FIELD_PTR (self, f);
    case TEND_FIELD_ENUM: return *(int *) FIELD_PTR (self, f);
    default:
      g_return_val_if_reached (0);
    }
}

void
tend_record_set_int (TendRecord *self,
                     const char *name,
                     gint64      value)
{
  const TendField *f;

  g_return_if_fail (TEND_IS_RECORD (self));
  f = tend_record_find_field (self, name);
  g_return_if_fail (f != NULL);

  switch (f->kind)
    {
    case TEND_FIELD_INT:  *(gint64 *) FIELD_PTR (self, f) = value; break;
    case TEND_FIELD_BOOL: *(gboolean *) FIELD_PTR (self, f) = value != 0; break;
    case TEND_FIELD_ENUM: *(int *) FIELD_PTR (self, f) = (int) value; break;
    default:
      g_return_if_reached ();
    }
}

/**
 * tend_record_validate:
 *
 * Checks every field, then the class's rules across fields.
 *
 * Returns: %TRUE if valid; otherwise %FALSE with a #TEND_ERROR_INVALID error
 *   whose message starts with the field's label
 */
gboolean
tend_record_validate (TendRecord *self,
                      GError    **error)
{
  TendRecordClass *klass;
  TendRecordPrivate *priv = tend_record_get_instance_private (self);

  g_return_val_if_fail (TEND_IS_RECORD (self), FALSE);
  klass = TEND_RECORD_GET_CLASS (self);

  if (priv->id == NULL || !g_uuid_string_is_valid (priv->id))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The record has no valid identifier"));
      return FALSE;
    }
  if (priv->deleted)
    return TRUE;  /* a tombstone carries no body to check */

  for (guint i = 0; i < klass->n_fields; i++)
    if (!validate_one (self, &klass->fields[i], error))
      return FALSE;

  if (klass->validate != NULL)
    return klass->validate (self, error);
  return TRUE;
}

gboolean
tend_record_validate_field (TendRecord *self,
                            const char *name,
                            GError    **error)
{
  const TendField *f = tend_record_find_field (self, name);

  g_return_val_if_fail (f != NULL, FALSE);
  return validate_one (self, f, error);
}

/* Finds or creates the object a dotted name lives in. */
static JsonObject *
object_for_path (JsonObject  *root,
                 const char  *name,
                 const char **leaf,
                 gboolean     create)
{
  g_auto(GStrv) parts = NULL;
  JsonObject *obj = root;
  guint n;

  /* Most fields are top-level members: no splitting for them. */
  if (strchr (name, '.') == NULL)
    {
      *leaf = name;
      return root;
    }
  /* One dot (address.city), the usual case: no allocation. */
  if (strchr (strchr (name, '.') + 1, '.') == NULL && strchr (name, '.') - name < 64 && !create)
    {
      char parent[64];
      gsize len = (gsize) (strchr (name, '.') - name);
      JsonNode *child;

      memcpy (parent, name, len);
      parent[len] = '\0';
      child = json_object_get_member (obj, parent);
      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        return NULL;
      *leaf = name + len + 1;
      return json_node_get_object (child);
    }
  parts = g_strsplit (name, ".", -1);
  n = g_strv_length (parts);
  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (obj, parts[i]);

      if (child == NULL || JSON_NODE_HOLDS_NULL (child))
        {
          if (!create)
            return NULL;
          json_object_set_object_member (obj, parts[i], json_object_new ());
          child = json_object_get_member (obj, parts[i]);
        }
      if (!JSON_NODE_HOLDS_OBJECT (child))
        return NULL;
      obj = json_node_get_object (child);
    }
  *leaf = name + (strrchr (name, '.') ? (gsize) (strrchr (name, '.') - name) + 1 : 0);
  return obj;
}

/* Puts back what tend_record_load_body() kept, never over a known field. */
static void
merge_unknown (JsonObject *dst,
               JsonObject *extra)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, extra);
  while (json_object_iter_next (&iter, &member, &value))
    {
      JsonNode *have = json_object_get_member (dst, member);

      if (have == NULL)
        json_object_set_member (dst, member, json_node_copy (value));
      else if (JSON_NODE_HOLDS_OBJECT (have) && JSON_NODE_HOLDS_OBJECT (value))
        merge_unknown (json_node_get_object (have), json_node_get_object (value));
    }
}

/**
 * tend_record_serialize_body:
 *
 * Returns: (transfer full): the record's fields as a JSON object, unset
 *   fields left out, in the order of the field table (stable output)
 */
JsonNode *
tend_record_serialize_body (TendRecord *self)
{
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (self);
  TendRecordPrivate *priv = tend_record_get_instance_private (self);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonNode *node;

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];
      gpointer slot = FIELD_PTR (self, f);
      const char *leaf;
      JsonObject *obj;

      if (kind_is_text (f->kind) && *(char **) slot == NULL)
        continue;
      obj = object_for_path (root, f->name, &leaf, TRUE);
      switch (f->kind)
        {
        case TEND_FIELD_ENUM:
          {
            int v = *(int *) slot;
            if (v >= 0 && v < (int) g_strv_length ((char **) f->choices))
              json_object_set_string_member (obj, leaf, f->choices[v]);
          }
          break;
        case TEND_FIELD_INT:
          json_object_set_int_member (obj, leaf, *(gint64 *) slot);
          break;
        case TEND_FIELD_BOOL:
          json_object_set_boolean_member (obj, leaf, *(gboolean *) slot);
          break;
        case TEND_FIELD_UUID_LIST:
          {
            g_auto(GStrv) ids = g_strsplit (*(char **) slot, " ", -1);
            JsonArray *array = json_array_new ();

            for (guint k = 0; ids[k] != NULL; k++)
              json_array_add_string_element (array, ids[k]);
            json_object_set_array_member (obj, leaf, array);
          }
          break;
        case TEND_FIELD_JSON:
          {
            g_autoptr(JsonParser) parser = json_parser_new_immutable ();

            if (json_parser_load_from_data (parser, *(char **) slot, -1, NULL))
              json_object_set_member (obj, leaf, json_node_copy (json_parser_get_root (parser)));
          }
          break;
        case TEND_FIELD_STRING:
        case TEND_FIELD_TEXT:
        case TEND_FIELD_EMAIL:
        case TEND_FIELD_PHONE:
        case TEND_FIELD_DATE:
        case TEND_FIELD_DATETIME:
        case TEND_FIELD_UUID:
        case TEND_FIELD_TIME_ZONE:
        case TEND_FIELD_CURRENCY:
        case TEND_FIELD_NPI:
        default:
          json_object_set_string_member (obj, leaf, *(char **) slot);
          break;
        }
    }

  if (priv->extra != NULL)
    merge_unknown (root, priv->extra);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

/* A string as json-glib's generator writes it: quote, backslash and the
 * control characters escaped (\b \t \n \f \r by name, the others and
 * DEL as \u00xx), everything else, UTF-8 included, as it is.  (json-glib
 * 1.6 leaves U+001F unescaped, which is not valid JSON; it is escaped here.)
 * Returns whether @s held U+001F or DEL, which json-glib's versions write
 * differently. */
static gboolean
append_json_string (GString    *out,
                    const char *s)
{
  gboolean unsure = FALSE;
  static const char hex[] = "0123456789abcdef";
  const char *run = s;

  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      char named = 0;

      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
        continue;
      unsure |= c == 0x1f || c == 0x7f;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': named = '"'; break;
        case '\\': named = '\\'; break;
        case '\b': named = 'b'; break;
        case '\t': named = 't'; break;
        case '\n': named = 'n'; break;
        case '\f': named = 'f'; break;
        case '\r': named = 'r'; break;
        default: break;
        }
      if (named != 0)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, named);
        }
      else
        {
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
  return unsure;
}

/* Writes `,"leaf":value` (no comma first, when *@first) for @f, or
 * nothing when the tree leaves the member out (a choice out of range, a
 * JSON field that is not JSON).  Sets *@unsure as append_json_string (). */
static void
append_member (TendRecord      *self,
               const TendField *f,
               const char      *leaf,
               GString         *out,
               gboolean        *first,
               gboolean        *unsure)
{
  gpointer slot = FIELD_PTR (self, f);
  gsize mark = out->len;

  if (f->kind == TEND_FIELD_ENUM &&
      (*(int *) slot < 0 || *(int *) slot >= (int) g_strv_length ((char **) f->choices)))
    return;
  if (!*first)
    g_string_append_c (out, ',');
  append_json_string (out, leaf);
  g_string_append_c (out, ':');
  switch (f->kind)
    {
    case TEND_FIELD_ENUM:
      append_json_string (out, f->choices[*(int *) slot]);
      break;
    case TEND_FIELD_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, *(gint64 *) slot);
      break;
    case TEND_FIELD_BOOL:
      g_string_append (out, *(gboolean *) slot ? "true" : "false");
      break;
    case TEND_FIELD_UUID_LIST:
      {
        const char *list = *(char **) slot;

        /* As g_strsplit (list, " ", -1): "" is no element. */
        g_string_append_c (out, '[');
        if (*list != '\0')
          {
            g_auto(GStrv) ids = g_strsplit (list, " ", -1);

            for (guint k = 0; ids[k] != NULL; k++)
              {
                if (k > 0)
                  g_string_append_c (out, ',');
                *unsure |= append_json_string (out, ids[k]);
              }
          }
        g_string_append_c (out, ']');
      }
      break;
    case TEND_FIELD_JSON:
      {
        /* Parsed and written again, as the tree does: the stored text
         * is json-glib's, whatever spacing the field was given.  Text
         * already in that form (most of it: json-glib wrote it) is copied. */
        g_autoptr(JsonParser) parser = NULL;

        if (tend_json_is_canonical (*(char **) slot, -1))
          {
            g_string_append (out, *(char **) slot);
            break;
          }
        parser = json_parser_new_immutable ();

        if (!json_parser_load_from_data (parser, *(char **) slot, -1, NULL) ||
            json_parser_get_root (parser) == NULL)
          {
            /* Left out, as the tree leaves it out. */
            g_string_truncate (out, mark);
            return;
          }
        {
          g_autoptr(JsonGenerator) gen = json_generator_new ();

          json_generator_set_root (gen, json_parser_get_root (parser));
          json_generator_to_gstring (gen, out);
        }
      }
      break;
    case TEND_FIELD_STRING:
    case TEND_FIELD_TEXT:
    case TEND_FIELD_EMAIL:
    case TEND_FIELD_PHONE:
    case TEND_FIELD_DATE:
    case TEND_FIELD_DATETIME:
    case TEND_FIELD_UUID:
    case TEND_FIELD_TIME_ZONE:
    case TEND_FIELD_CURRENCY:
    case TEND_FIELD_NPI:
    default:
      *unsure |= append_json_string (out, *(char **) slot);
      break;
    }
  *first = FALSE;
}

/* Whether the tree makes a member (or, for a dotted name, the object it
 * lives in) for @f: every field but unset text. */
static gboolean
field_is_set (TendRecord      *self,
              const TendField *f)
{
  return !kind_is_text (f->kind) || *(char **) FIELD_PTR (self, f) != NULL;
}

/* The length of @name's object part ("address" of "address.city"), or 0
 * for a top-level name. */
static gsize
parent_length (const char *name)
{
  const char *dot = strchr (name, '.');

  return dot != NULL ? (gsize) (dot - name) : 0;
}

/* The body written straight from the field table, without a JsonNode per
 * field (the save path writes one for every record it stores).  Same
 * members, same order, same text as json_to_string () of
 * tend_record_serialize_body (): an object a dotted name lives in comes
 * where the tree makes it, at its first field that is set, and holds all
 * of its fields (tests/core/test-record.c compares the two for every
 * record type).  Not for records with unknown members kept or names of
 * more than one dot: returns %FALSE for those, which the tree writes.
 * The top-level members named in @excluded are left out.  With @exact,
 * also returns %FALSE when a string held a character json-glib's versions
 * write differently (the text is then json-glib's to write: a content hash
 * must not change with the writer).  After %FALSE, @out holds a partial
 * text to throw away. */
static gboolean
write_flat_body (TendRecord         *self,
                 const char * const *excluded,
                 gboolean            exact,
                 GString            *out)
{
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (self);
  TendRecordPrivate *priv = tend_record_get_instance_private (self);
  gboolean first = TRUE;
  gboolean unsure = FALSE;

  if (priv->extra != NULL)
    return FALSE;
  for (guint i = 0; i < klass->n_fields; i++)
    {
      gsize len = parent_length (klass->fields[i].name);

      if (len > 0 && strchr (klass->fields[i].name + len + 1, '.') != NULL)
        return FALSE;
    }

  g_string_append_c (out, '{');
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];
      gsize len = parent_length (f->name);
      gboolean made = FALSE;
      gboolean inner_first = TRUE;

      if (!field_is_set (self, f))
        continue;
      if (len == 0)
        {
          if (excluded == NULL || !g_strv_contains (excluded, f->name))
            append_member (self, f, f->name, out, &first, &unsure);
          continue;
        }

      /* A dotted name: its object was made at an earlier field, or is
       * made here with every field it holds. */
      for (guint k = 0; k < i && !made; k++)
        made = parent_length (klass->fields[k].name) == len &&
               strncmp (klass->fields[k].name, f->name, len) == 0 &&
               field_is_set (self, &klass->fields[k]);
      if (made)
        continue;
      {
        g_autofree char *parent = g_strndup (f->name, len);

        if (excluded != NULL && g_strv_contains (excluded, parent))
          continue;
        if (!first)
          g_string_append_c (out, ',');
        first = FALSE;
        unsure |= append_json_string (out, parent);
      }
      g_string_append (out, ":{");
      for (guint k = i; k < klass->n_fields; k++)
        {
          const TendField *g = &klass->fields[k];

          if (parent_length (g->name) == len && strncmp (g->name, f->name, len) == 0 &&
              field_is_set (self, g))
            append_member (self, g, g->name + len + 1, out, &inner_first, &unsure);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');
  return !(exact && unsure);
}

char *
tend_record_to_body_string (TendRecord *self)
{
  GString *out = g_string_sized_new (512);
  g_autoptr(JsonNode) node = NULL;

  if (write_flat_body (self, NULL, FALSE, out))
    return g_string_free (out, FALSE);
  g_string_free (out, TRUE);
  node = tend_record_serialize_body (self);
  return json_to_string (node, FALSE);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Is @path a field's name, or an object a dotted field name lives in? */
static gboolean
is_known_member (TendRecordClass *klass,
                 const char      *path)
{
  return g_hash_table_contains (klass->names, path);
}

/* The members of @obj (at the dotted @prefix, or the root for %NULL) that no
 * field covers, looking inside the objects that hold fields, so that a newer
 * peer's "emergency_contact.email" survives as well as its "consent".
 * Returns %NULL when there are none. */
static JsonObject *
collect_unknown (TendRecordClass *klass,
                 const char      *prefix,
                 JsonObject      *obj)
{
  JsonObject *unknown = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &member, &value))
    {
      g_autofree char *joined = prefix != NULL ? g_strconcat (prefix, ".", member, NULL) : NULL;
      const char *path = joined != NULL ? joined : member;
      JsonNode *keep = NULL;

      if (!is_known_member (klass, path))
        keep = json_node_copy (value);
      else if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *inner = collect_unknown (klass, path, json_node_get_object (value));

          if (inner != NULL)
            {
              keep = json_node_new (JSON_NODE_OBJECT);
              json_node_take_object (keep, inner);
            }
        }
      if (keep == NULL)
        continue;
      if (unknown == NULL)
        unknown = json_object_new ();
      json_object_set_member (unknown, member, keep);
    }
  return unknown;
}

/**
 * tend_record_load_body:
 * @body: a JSON object
 *
 * Replaces every field from @body, refusing wrong JSON types, then validates.
 * On failure the record is left as it was.
 */
gboolean
tend_record_load_body (TendRecord *self,
                       JsonNode   *body,
                       GError    **error)
{
  TendRecordClass *klass;
  TendRecordPrivate *priv = tend_record_get_instance_private (self);
  g_autoptr(TendRecord) scratch = NULL;
  TendRecordPrivate *spriv;
  JsonObject *root;

  g_return_val_if_fail (TEND_IS_RECORD (self), FALSE);
  klass = TEND_RECORD_GET_CLASS (self);

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("The %s record’s body is not a JSON object"), klass->type_name);
      return FALSE;
    }
  root = json_node_get_object (body);

  /* Parse into a scratch copy so a failure half-way leaves @self untouched. */
  scratch = g_object_new (G_OBJECT_TYPE (self), NULL);
  spriv = tend_record_get_instance_private (scratch);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];
      gpointer slot = FIELD_PTR (scratch, f);
      const char *leaf;
      JsonObject *obj = object_for_path (root, f->name, &leaf, FALSE);
      JsonNode *node = obj != NULL ? json_object_get_member (obj, leaf) : NULL;

      if (strchr (f->name, '.') != NULL)
        {
          /* The parent must be an object (or absent/null). */
          char parent[64];
          gsize len = MIN ((gsize) (strchr (f->name, '.') - f->name), sizeof parent - 1);
          JsonNode *pnode;

          memcpy (parent, f->name, len);
          parent[len] = '\0';
          pnode = json_object_get_member (root, parent);

          if (pnode != NULL && !JSON_NODE_HOLDS_NULL (pnode) && !JSON_NODE_HOLDS_OBJECT (pnode))
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("“%s” must be a JSON object"), parent);
              return FALSE;
            }
        }

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      switch (f->kind)
        {
        case TEND_FIELD_ENUM:
          if (!node_is_string (node))
            return field_error (error, f, _("expected a string"));
          *(int *) slot = enum_index (f, json_node_get_string (node));
          if (*(int *) slot < 0)
            return field_error (error, f, _("“%s” is not one of the allowed values"),
                                json_node_get_string (node));
          break;
        case TEND_FIELD_INT:
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
            return field_error (error, f, _("expected a whole number"));
          *(gint64 *) slot = json_node_get_int (node);
          break;
        case TEND_FIELD_BOOL:
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return field_error (error, f, _("expected true or false"));
          *(gboolean *) slot = json_node_get_boolean (node);
          break;
        case TEND_FIELD_UUID_LIST:
          {
            JsonArray *array;
            GString *joined = g_string_new (NULL);
            guint n;

            if (!JSON_NODE_HOLDS_ARRAY (node))
              {
                g_string_free (joined, TRUE);
                return field_error (error, f, _("expected a list of record identifiers"));
              }
            array = json_node_get_array (node);
            n = json_array_get_length (array);
            for (guint k = 0; k < n; k++)
              {
                JsonNode *element = json_array_get_element (array, k);

                if (!node_is_string (element) || strchr (json_node_get_string (element), ' ') != NULL)
                  {
                    g_string_free (joined, TRUE);
                    return field_error (error, f, _("expected a list of record identifiers"));
                  }
                if (joined->len > 0)
                  g_string_append_c (joined, ' ');
                g_string_append (joined, json_node_get_string (element));
              }
            g_free (*(char **) slot);
            *(char **) slot = normalise_text (f, joined->str);
            g_string_free (joined, TRUE);
          }
          break;
        case TEND_FIELD_JSON:
          if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
            return field_error (error, f, _("expected a JSON object or list"));
          /* Kept as text and written out again: its numbers must survive. */
          if (!tend_json_node_check (node, f->name, error))
            return FALSE;
          g_free (*(char **) slot);
          *(char **) slot = json_to_string (node, FALSE);
          break;
        case TEND_FIELD_STRING:
        case TEND_FIELD_TEXT:
        case TEND_FIELD_EMAIL:
        case TEND_FIELD_PHONE:
        case TEND_FIELD_DATE:
        case TEND_FIELD_DATETIME:
        case TEND_FIELD_UUID:
        case TEND_FIELD_TIME_ZONE:
        case TEND_FIELD_CURRENCY:
        case TEND_FIELD_NPI:
        default:
          if (!node_is_string (node))
            return field_error (error, f, _("expected a string"));
          g_free (*(char **) slot);
          *(char **) slot = normalise_text (f, json_node_get_string (node));
          break;
        }
    }

  spriv->id = g_strdup (priv->id != NULL ? priv->id : "00000000-0000-4000-8000-000000000000");
  if (!tend_record_validate (scratch, error))
    return FALSE;

  /* Keep what we do not understand for the next peer, if it can be written
   * out again as it came (tend-record-policy.c). */
  spriv->extra = collect_unknown (klass, NULL, root);
  if (spriv->extra != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, spriv->extra);
      while (json_object_iter_next (&iter, &member, &value))
        if (!tend_json_node_check (value, member, error))
          return FALSE;
    }

  /* Swap the parsed fields into @self. */
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];

      if (kind_is_text (f->kind))
        {
          char **dst = (char **) FIELD_PTR (self, f);
          char **src = (char **) FIELD_PTR (scratch, f);
          char *tmp = *dst;

          *dst = *src;
          *src = tmp;
        }
      else if (f->kind == TEND_FIELD_INT)
        *(gint64 *) FIELD_PTR (self, f) = *(gint64 *) FIELD_PTR (scratch, f);
      else if (f->kind == TEND_FIELD_BOOL)
        *(gboolean *) FIELD_PTR (self, f) = *(gboolean *) FIELD_PTR (scratch, f);
      else
        *(int *) FIELD_PTR (self, f) = *(int *) FIELD_PTR (scratch, f);
    }
  g_clear_pointer (&priv->extra, json_object_unref);
  priv->extra = g_steal_pointer (&spriv->extra);
  return TRUE;
}

gboolean
tend_record_load_body_string (TendRecord *self,
                              const char *body,
                              gssize      length,
                              GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;

  if (!json_parser_load_from_data (parser, body, length, &local))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("The record is not valid JSON: %s"), local->message);
      return FALSE;
    }
  return tend_record_load_body (self, json_parser_get_root (parser), error);
}

/**
 * tend_record_to_json:
 *
 * Returns: (transfer full): the wire form
 *   `{"type", "id", "version", "deleted", "updated_at", "body"}`
 */
JsonNode *
tend_record_to_json (TendRecord *self)
{
  TendRecordPrivate *priv = tend_record_get_instance_private (self);
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, tend_record_get_type_name (self));
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, priv->id);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, priv->version);
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, priv->deleted);
  if (priv->updated_at != 0)
    {
      g_autoptr(GDateTime) dt = tend_time_from_unix_usec (priv->updated_at);
      g_autofree char *iso = dt != NULL ? tend_time_to_iso8601 (dt) : NULL;

      json_builder_set_member_name (b, "updated_at");
      json_builder_add_string_value (b, iso);
    }
  json_builder_set_member_name (b, "body");
  if (priv->deleted)
    json_builder_add_null_value (b);
  else
    json_builder_add_value (b, tend_record_serialize_body (self));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/**
 * tend_record_new_from_json:
 * @node: the wire form (see tend_record_to_json())
 *
 * Returns: (transfer full) (nullable): the record, or %NULL with a
 *   #TEND_ERROR_INVALID error saying what is wrong
 */
TendRecord *
tend_record_new_from_json (JsonNode *node,
                           GError  **error)
{
  g_autoptr(TendRecord) self = NULL;
  TendRecordPrivate *priv;
  JsonObject *obj;
  JsonNode *m;
  const char *type_name, *id;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("A record must be a JSON object"));
      return NULL;
    }
  obj = json_node_get_object (node);

  m = json_object_get_member (obj, "type");
  if (m == NULL || !node_is_string (m))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The record has no “type”"));
      return NULL;
    }
  type_name = json_node_get_string (m);
  type = tend_record_type_from_name (type_name);
  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("“%s” is not a known record type"), type_name);
      return NULL;
    }

  m = json_object_get_member (obj, "id");
  id = m != NULL && node_is_string (m) ? json_node_get_string (m) : NULL;
  if (id == NULL || !g_uuid_string_is_valid (id))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The record’s “id” is not a UUID"));
      return NULL;
    }

  self = g_object_new (type, NULL);
  priv = tend_record_get_instance_private (self);
  priv->id = g_ascii_strdown (id, -1);

  m = json_object_get_member (obj, "version");
  if (m != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_INT64 ||
          json_node_get_int (m) < 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("The record’s “version” must be a whole number of at least 0"));
          return NULL;
        }
      priv->version = json_node_get_int (m);
    }

  m = json_object_get_member (obj, "deleted");
  if (m != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_BOOLEAN)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("The record’s “deleted” must be true or false"));
          return NULL;
        }
      priv->deleted = json_node_get_boolean (m);
    }

  m = json_object_get_member (obj, "updated_at");
  if (m != NULL && !JSON_NODE_HOLDS_NULL (m))
    {
      g_autoptr(GDateTime) dt = node_is_string (m) ? tend_time_parse_iso8601 (json_node_get_string (m), NULL) : NULL;

      if (dt == NULL)
        {
          /* Name the member: the parser's own message does not. */
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("The record’s “updated_at” must be a date and time"));
          return NULL;
        }
      priv->updated_at = tend_time_to_unix_usec (dt);
    }

  if (priv->deleted)
    return g_steal_pointer (&self);

  m = json_object_get_member (obj, "body");
  if (!tend_record_load_body (self, m, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * tend_record_copy:
 *
 * Returns: (transfer full): a deep copy, same id and version
 */
TendRecord *
tend_record_copy (TendRecord *self)
{
  g_autoptr(JsonNode) node = tend_record_to_json (self);

  return tend_record_new_from_json (node, NULL);
}

/**
 * tend_record_dup_strv:
 *
 * Returns: (transfer full): the ids of a %TEND_FIELD_UUID_LIST field (empty
 *   when unset)
 */
char **
tend_record_dup_strv (TendRecord *self,
                      const char *name)
{
  const TendField *f;
  const char *value;

  g_return_val_if_fail (TEND_IS_RECORD (self), NULL);
  f = tend_record_find_field (self, name);
  g_return_val_if_fail (f != NULL && f->kind == TEND_FIELD_UUID_LIST, NULL);

  value = *(char **) FIELD_PTR (self, f);
  if (value == NULL)
    return g_new0 (char *, 1);
  return g_strsplit (value, " ", -1);
}

void
tend_record_set_strv (TendRecord         *self,
                      const char         *name,
                      const char * const *values)
{
  g_autofree char *joined = NULL;

  g_return_if_fail (TEND_IS_RECORD (self));
  joined = values != NULL ? g_strjoinv (" ", (char **) values) : NULL;
  tend_record_set_string (self, name, joined);
}

/* "09:30" -> 570; a strict HH:MM, 00:00 to 23:59 (24:00 means end of day). */
gboolean
tend_time_of_day_parse (const char *text,
                        guint      *minutes)
{
  guint h, m;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  h = (guint) (text[0] - '0') * 10 + (guint) (text[1] - '0');
  m = (guint) (text[3] - '0') * 10 + (guint) (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  if (minutes != NULL)
    *minutes = h * 60 + m;
  return TRUE;
}

/**
 * tend_uuid_from_sha1:
 * @sum: a SHA-1 checksum of a name (not yet read out)
 *
 * A name-based UUID (version 5 layout) from the first 16 bytes of @sum's
 * digest: how every derived record id is made (occurrences, reminders,
 * charges, imported busy time), so two computers make the same id.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_uuid_from_sha1 (GChecksum *sum)
{
  guint8 d[20];
  gsize len = sizeof d;

  g_checksum_get_digest (sum, d, &len);
  d[6] = (guint8) ((d[6] & 0x0f) | 0x50);
  d[8] = (guint8) ((d[8] & 0x3f) | 0x80);
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
                          d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
}

/**
 * tend_record_derive_id:
 * @kind: what the id is for ("tend-occurrence", "tend-reminder")
 *
 * A name-based (version 5 style, SHA-1) UUID of @kind, @owner and @detail:
 * records that several workstations make on their own for the same thing
 * (a series' occurrence, a session's reminder) get the same id everywhere,
 * so sync merges them instead of doubling them.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_record_derive_id (const char *kind,
                       const char *owner,
                       const char *detail)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);

  g_checksum_update (sum, (const guchar *) kind, -1);
  g_checksum_update (sum, (const guchar *) ":", 1);
  g_checksum_update (sum, (const guchar *) owner, -1);
  g_checksum_update (sum, (const guchar *) "@", 1);
  g_checksum_update (sum, (const guchar *) detail, -1);
  return tend_uuid_from_sha1 (sum);
}

/**
 * tend_record_derive_ordered_id:
 * @kind: what the id is for ("tend-occurrence", "tend-charge")
 * @owner: the id it is derived from
 *
 * Like tend_record_derive_id () (the same on every computer for the same
 * @kind, @owner and @detail), but the id begins with @owner's first 48
 * bits (for a time-ordered @owner, when it was made) and has version 8;
 * the other 74 bits come from the SHA-1 of the name.  The rows derived
 * from one record then sit next to each other, and next to those of the
 * records made just before and after it: a store's index on ids takes a
 * series' occurrences, or a session's charges, on the page it wrote last
 * instead of one page anywhere per row (bench/README.md, bench-demo).
 * Callers use it only when tend_uuid_orders_derived (@owner).
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_record_derive_ordered_id (const char *kind,
                               const char *owner,
                               const char *detail)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *hashed = NULL;
  g_autofree char *prefix = NULL;

  g_return_val_if_fail (owner != NULL && strlen (owner) == 36, NULL);
  g_checksum_update (sum, (const guchar *) kind, -1);
  g_checksum_update (sum, (const guchar *) ":", 1);
  g_checksum_update (sum, (const guchar *) owner, -1);
  g_checksum_update (sum, (const guchar *) "@", 1);
  g_checksum_update (sum, (const guchar *) detail, -1);
  hashed = tend_uuid_from_sha1 (sum);
  prefix = g_ascii_strdown (owner, 13);
  /* @owner's "xxxxxxxx-xxxx", version 8, then the hash's 74 bits past
   * its version nibble (its variant bits already say RFC 9562). */
  return g_strdup_printf ("%s-8%s", prefix, hashed + 15);
}

/**
 * tend_record_dup_json:
 *
 * Returns: (transfer full) (nullable): the value of a %TEND_FIELD_JSON field,
 *   parsed, or %NULL when unset
 */
JsonNode *
tend_record_dup_json (TendRecord *self,
                      const char *name)
{
  g_autoptr(JsonParser) parser = NULL;
  const TendField *f;
  const char *value;

  g_return_val_if_fail (TEND_IS_RECORD (self), NULL);
  f = tend_record_find_field (self, name);
  g_return_val_if_fail (f != NULL && f->kind == TEND_FIELD_JSON, NULL);

  value = *(char **) FIELD_PTR (self, f);
  if (value == NULL)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, value, -1, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/**
 * tend_record_set_json:
 * @value: (nullable): an object or array; %NULL clears the field
 */
void
tend_record_set_json (TendRecord *self,
                      const char *name,
                      JsonNode   *value)
{
  const TendField *f;

  g_return_if_fail (TEND_IS_RECORD (self));
  f = tend_record_find_field (self, name);
  g_return_if_fail (f != NULL && f->kind == TEND_FIELD_JSON);

  g_free (*(char **) FIELD_PTR (self, f));
  *(char **) FIELD_PTR (self, f) = value != NULL ? json_to_string (value, FALSE) : NULL;
}

/**
 * tend_record_keep_only:
 * @keep: (array zero-terminated=1): the members kept (a dotted name keeps
 *   that field only)
 *
 * Clears every text field not listed in @keep and drops the members no
 * field covers: what a redacted reader receives (tend-record-policy.c).
 * Numbers, flags and choices are not content and stay.
 */
void
tend_record_keep_only (TendRecord         *self,
                       const char * const *keep)
{
  TendRecordClass *klass;
  TendRecordPrivate *priv;

  g_return_if_fail (TEND_IS_RECORD (self));
  klass = TEND_RECORD_GET_CLASS (self);
  priv = tend_record_get_instance_private (self);
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];

      if (kind_is_text (f->kind) && !g_strv_contains (keep, f->name))
        g_clear_pointer ((char **) FIELD_PTR (self, f), g_free);
    }
  g_clear_pointer (&priv->extra, json_object_unref);
}

/**
 * tend_record_compute_content_sha256:
 * @excluded: (array zero-terminated=1): top-level members left out (the
 *   signature itself: status, signer, time, hash, co-signature)
 *
 * The hash that signs a record: SHA-256 over its type, id and body (fields
 * in table order, so stable) without @excluded, as lowercase hex.
 *
 * Returns: (transfer full): 64 hex digits
 */
char *
tend_record_compute_content_sha256 (TendRecord         *self,
                                    const char * const *excluded)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *canonical = NULL;
  JsonObject *obj;
  GString *flat;

  g_return_val_if_fail (TEND_IS_RECORD (self), NULL);

  /* The text json-glib's tree gives, written straight where it can be
   * (a signed note is hashed twice on its way to the store). */
  flat = g_string_new (NULL);
  g_string_append (flat, tend_record_get_type_name (self));
  g_string_append_c (flat, '\n');
  g_string_append (flat, tend_record_get_id (self));
  g_string_append_c (flat, '\n');
  if (tend_record_get_id (self) != NULL && write_flat_body (self, excluded, TRUE, flat))
    {
      char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) flat->str, flat->len);

      g_string_free (flat, TRUE);
      return sum;
    }
  g_string_free (flat, TRUE);

  body = tend_record_serialize_body (self);
  obj = json_node_get_object (body);
  for (guint i = 0; excluded != NULL && excluded[i] != NULL; i++)
    if (json_object_has_member (obj, excluded[i]))
      json_object_remove_member (obj, excluded[i]);
  text = json_to_string (body, FALSE);
  canonical = g_strconcat (tend_record_get_type_name (self), "\n", tend_record_get_id (self), "\n", text, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
}
