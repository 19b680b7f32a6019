/* tend-record.h: the synced-record machinery every entity uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TEND_FIELD_STRING,     /* one line of text */
  TEND_FIELD_TEXT,       /* several lines */
  TEND_FIELD_EMAIL,
  TEND_FIELD_PHONE,
  TEND_FIELD_DATE,       /* YYYY-MM-DD */
  TEND_FIELD_DATETIME,   /* RFC 3339 with an offset, kept in UTC */
  TEND_FIELD_UUID,       /* a reference to another record */
  TEND_FIELD_ENUM,       /* one of a list of nicks, stored as its index */
  TEND_FIELD_INT,
  TEND_FIELD_BOOL,
  TEND_FIELD_TIME_ZONE,  /* an IANA identifier */
  TEND_FIELD_CURRENCY,   /* ISO 4217 */
  TEND_FIELD_NPI,        /* US National Provider Identifier, Luhn-checked */
  TEND_FIELD_TIME_OF_DAY,/* HH:MM, 24-hour, in the practice's zone */
  TEND_FIELD_UUID_LIST,  /* a JSON array of record ids (kept space-separated) */
  TEND_FIELD_JSON,       /* a JSON object or array, kept as compact JSON text;
                          * the class's validate() checks its shape */
} TendFieldKind;

typedef enum
{
  TEND_FIELD_REQUIRED = 1 << 0,
} TendFieldFlags;

/**
 * TendField:
 * @name: the JSON name; a dot nests it in an object ("emergency_contact.phone")
 * @label: a translatable label (N_()) used in error messages
 * @kind: what the field holds
 * @flags: #TendFieldFlags
 * @offset: where the value lives in the instance struct (a char *, int,
 *   gint64 or gboolean depending on @kind)
 * @max_length: for text kinds, the longest accepted value in characters (0: default)
 * @choices: for %TEND_FIELD_ENUM, the %NULL-terminated list of nicks
 * @min: for %TEND_FIELD_INT, the smallest accepted value
 * @max: for %TEND_FIELD_INT, the largest accepted value
 *
 * One entry of a record class's field table.  The codec, validation and
 * accessors are all driven by the table, so a new entity is a struct and a
 * table, not another hand-written parser.
 */
typedef struct
{
  const char          *name;
  const char          *label;
  TendFieldKind        kind;
  TendFieldFlags       flags;
  gsize                offset;
  guint                max_length;
  const char * const  *choices;
  gint64               min;
  gint64               max;
} TendField;

#define TEND_TYPE_RECORD (tend_record_get_type ())
G_DECLARE_DERIVABLE_TYPE (TendRecord, tend_record, TEND, RECORD, GObject)

struct _TendRecordClass
{
  GObjectClass parent_class;

  const char      *type_name;
  const TendField *fields;
  guint            n_fields;

  /* Rules across fields, after each field passed on its own. */
  gboolean (*validate) (TendRecord  *self,
                        GError     **error);

  /* Private: each field by name, and the objects dotted names live in. */
  GHashTable      *names;

  /* Who may read and write records of this class, and the rules a write
   * must keep (tend-record-policy.h); set by tend_record_class_set_policy(). */
  const struct _TendRecordPolicy *policy;

  /* New records get a version 8 id (time-ordered, as version 7): the ids
   * derived from them (a series' occurrences, a session's charges) begin
   * with the same 48 bits (tend_record_derive_ordered_id ()). */
  gboolean         orders_derived_ids;

  gpointer padding[5];
};

void             tend_record_class_set_fields     (TendRecordClass *klass,
                                                   const char      *type_name,
                                                   const TendField *fields,
                                                   guint            n_fields);

TendRecord      *tend_record_new                  (GType            type);
const char      *tend_record_get_type_name        (TendRecord      *self);
const char      *tend_record_get_id               (TendRecord      *self);
void             tend_record_set_id               (TendRecord      *self,
                                                   const char      *id);
gint64           tend_record_get_version          (TendRecord      *self);
void             tend_record_set_version          (TendRecord      *self,
                                                   gint64           version);
gboolean         tend_record_get_deleted          (TendRecord      *self);
void             tend_record_set_deleted          (TendRecord      *self,
                                                   gboolean         deleted);
gint64           tend_record_get_updated_at       (TendRecord      *self);
void             tend_record_set_updated_at       (TendRecord      *self,
                                                   gint64           unix_usec);

const TendField *tend_record_find_field           (TendRecord      *self,
                                                   const char      *name);
const char      *tend_record_get_string           (TendRecord      *self,
                                                   const char      *name);
void             tend_record_set_string           (TendRecord      *self,
                                                   const char      *name,
                                                   const char      *value);
gint64           tend_record_get_int              (TendRecord      *self,
                                                   const char      *name);
void             tend_record_set_int              (TendRecord      *self,
                                                   const char      *name,
                                                   gint64           value);

gboolean         tend_record_validate             (TendRecord      *self,
                                                   GError         **error);
gboolean         tend_record_validate_field       (TendRecord      *self,
                                                   const char      *name,
                                                   GError         **error);

JsonNode        *tend_record_serialize_body       (TendRecord      *self);
char            *tend_record_to_body_string       (TendRecord      *self);
gboolean         tend_record_load_body            (TendRecord      *self,
                                                   JsonNode        *body,
                                                   GError         **error);
gboolean         tend_record_load_body_string     (TendRecord      *self,
                                                   const char      *body,
                                                   gssize           length,
                                                   GError         **error);
JsonNode        *tend_record_to_json              (TendRecord      *self);
TendRecord      *tend_record_new_from_json        (JsonNode        *node,
                                                   GError         **error);
TendRecord      *tend_record_copy                 (TendRecord      *self);

GType            tend_record_type_from_name       (const char      *type_name);
const char * const *tend_record_list_type_names   (void);

char           **tend_record_dup_strv             (TendRecord      *self,
                                                   const char      *name);
void             tend_record_set_strv             (TendRecord      *self,
                                                   const char      *name,
                                                   const char * const *values);

gboolean         tend_time_of_day_parse           (const char      *text,
                                                   guint           *minutes);
gboolean         tend_npi_is_valid                (const char      *npi);
gboolean         tend_email_is_valid              (const char      *email);
char            *tend_phone_digits                (const char      *phone);

char            *tend_uuid_from_sha1            (GChecksum       *sum);
char            *tend_uuid_new_time_ordered     (void);
gboolean         tend_uuid_orders_derived       (const char      *id);
char            *tend_record_derive_ordered_id  (const char      *kind,
                                                 const char      *owner,
                                                 const char      *detail);
char            *tend_record_derive_id          (const char      *kind,
                                                 const char      *owner,
                                                 const char      *detail);
JsonNode        *tend_record_dup_json             (TendRecord      *self,
                                                   const char      *name);
void             tend_record_set_json             (TendRecord      *self,
                                                   const char      *name,
                                                   JsonNode        *value);
void             tend_record_keep_only            (TendRecord      *self,
                                                   const char * const *keep);
char            *tend_record_compute_content_sha256 (TendRecord    *self,
                                                     const char * const *excluded);

G_END_DECLS
