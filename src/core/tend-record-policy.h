/* tend-record-policy.h: who may read and write each record type, declared
 * once per record class and evaluated alike by the store and the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"
#include "tend-role.h"

G_BEGIN_DECLS

typedef struct _TendPolicyActor  TendPolicyActor;
typedef struct _TendRecordPolicy TendRecordPolicy;

/**
 * TendPolicyActor:
 * @staff_id: (nullable): the person writing; %NULL only for the system
 *   (never for a request the server received)
 * @role: their role
 * @load: looks up another stored record a rule needs (the author's staff
 *   record, the appointment a charge is for), live or %NULL; %NULL with
 *   @error set on a failure of the store or database
 * @has_blob: whether the bytes with this SHA-256 are held (for the practice,
 *   on the server)
 * @user_data: for the callbacks
 *
 * The person a write is checked for, and how the rules reach the records
 * they need.  The store fills it from its signed-in person, the server from
 * the authenticated session: never from anything in the body.
 */
struct _TendPolicyActor
{
  const char *staff_id;
  TendRole    role;
  TendRecord *(*load)     (TendPolicyActor *actor,
                           GType            type,
                           const char      *id,
                           GError         **error);
  gboolean    (*has_blob) (TendPolicyActor *actor,
                           const char      *sha256,
                           GError         **error);
  gpointer    user_data;
  /* A client signed in to the portal (then @staff_id is %NULL and @role
   * means nothing): the type's @client access decides alone. */
  const char *client_id;
  /* Whether @staff_id may read the chart of @client_id now (their own
   * client, assigned, covering, supervising, or the glass broken): see
   * "Privacy between clinicians" in docs/architecture.md.  %FALSE with
   * @error unset: no; with @error set: the lookup failed.  %NULL: no
   * chart rule is checked (the system). */
  gboolean  (*may_read_chart) (TendPolicyActor *actor,
                               const char      *client_id,
                               GError         **error);
};

/**
 * TendClientAccess:
 * @owns: whether @record is the signed-in client's (@actor's client_id);
 *   %NULL: its "client_id" member names them
 * @keep: the body members the client reads (a list of what is kept)
 * @check: what the client may write (@stored the live record or %NULL for
 *   a new one, @record the new body; clients never delete); %NULL: the
 *   client only reads
 *
 * What a client reaches of a record type through the portal.  A type
 * without one is never shown to a client nor written for one.
 */
typedef struct
{
  gboolean           (*owns)  (TendPolicyActor *actor,
                               TendRecord      *record,
                               GError         **error);
  const char * const  *keep;
  gboolean           (*check) (TendPolicyActor *actor,
                               TendRecord      *stored,
                               TendRecord      *record,
                               GError         **error);
} TendClientAccess;

typedef enum
{
  TEND_READ_NONE,
  TEND_READ_REDACTED,  /* only the members the policy's @redacted_keep lists */
  TEND_READ_FULL,
} TendReadAccess;

/* No permission: for @read_redacted and @write_also. */
#define TEND_PERMISSION_NONE ((int) -1)

/**
 * TendRecordPolicy:
 * @read: the permission that reads the whole record
 * @read_redacted: a permission that reads only @redacted_keep, or
 *   %TEND_PERMISSION_NONE
 * @redacted_keep: the body members a redacted reader receives (a list of
 *   what is kept, so that a member added later is withheld until listed)
 * @write: the permission that writes (together with @read)
 * @write_also: a narrower extra writer, or %TEND_PERMISSION_NONE: it may
 *   write only what @check allows when told the write is by an extra writer
 * @clinical: clinical content (audited on view, never for the front desk)
 * @frozen_by: a member that, once set in the stored record, freezes it
 *   (a signature): only @frozen_except may still change, once
 * @frozen_except: members that may still be set on a frozen record, once
 * @unique: a member no two live records of the type share (the store has
 *   a unique index on it; the server checks it, or a record it took would
 *   stop every workstation's sync)
 * @check: record-level rules; @stored is the live stored record or %NULL,
 *   @record the new body or %NULL for a deletion
 * @client: (nullable): what a client reaches through the portal
 * @audience: for a type that only some of its readers receive (a
 *   conversation's messages): adds to @staff_ids the staff who may read
 *   @record; the server keeps the list with the record and sends it to
 *   nobody else.  %NULL: everyone with @read.
 * @chart_client: (nullable): for chart content (notes, plans, diagnoses,
 *   measures, safety plans, documents), the member naming the client whose
 *   chart holds the record.  A clinician or supervisor then reads and
 *   writes it only while they may read that client's chart
 *   (tend_record_policy_chart_restricted ()); the server's feed and the
 *   store's reads apply the same relation.
 *
 * Declared in a record class's class_init.  See docs/architecture.md.
 */
struct _TendRecordPolicy
{
  TendPermission       read;
  int                  read_redacted;
  const char * const  *redacted_keep;
  TendPermission       write;
  int                  write_also;
  gboolean             clinical;
  const char          *frozen_by;
  const char * const  *frozen_except;
  const char          *unique;
  gboolean           (*check) (TendPolicyActor *actor,
                               gboolean         extra_writer,
                               TendRecord      *stored,
                               TendRecord      *record,
                               GError         **error);
  gboolean           (*audience) (TendPolicyActor *actor,
                                  TendRecord      *record,
                                  GPtrArray       *staff_ids,
                                  GError         **error);
  const TendClientAccess *client;
  const char          *chart_client;
};

/* A type everyone with @read reads whole and everyone with @write writes,
 * with no rules of its own. */
#define TEND_RECORD_POLICY_PLAIN(read_perm, write_perm) \
  { .read = TEND_PERMISSION_##read_perm, .read_redacted = TEND_PERMISSION_NONE, \
    .write = TEND_PERMISSION_##write_perm, .write_also = TEND_PERMISSION_NONE }

void                    tend_record_class_set_policy      (TendRecordClass        *klass,
                                                           const TendRecordPolicy *policy);
const TendRecordPolicy *tend_record_type_get_policy       (GType                   type);

TendReadAccess          tend_record_policy_read_access    (GType                   type,
                                                           TendRole                role);
gboolean                tend_record_policy_is_clinical    (GType                   type);
gboolean                tend_record_policy_may_write_type (GType                   type,
                                                           TendRole                role);
gboolean                tend_record_policy_needs_stored   (GType                   type);
gboolean                tend_record_policy_check_write    (TendPolicyActor        *actor,
                                                           GType                   type,
                                                           TendRecord             *stored,
                                                           TendRecord             *record,
                                                           GError                **error);
gboolean                tend_record_policy_has_audience   (GType                   type);
const char             *tend_record_policy_chart_member   (GType                   type);
const char             *tend_record_policy_chart_client   (TendRecord             *record);
gboolean                tend_record_policy_chart_restricted (TendRole              role);
char                  **tend_record_policy_chart_types    (void);
char                  **tend_record_policy_audience       (TendPolicyActor        *actor,
                                                           TendRecord             *record,
                                                           GError                **error);
void                    tend_record_policy_redact         (TendRecord             *record);
char                   *tend_record_policy_redact_body    (GType                   type,
                                                           const char             *body);
char                  **tend_record_policy_readable_types (TendRole                role);
const char             *tend_record_policy_error_code     (const GError           *error);

/* The portal: a client's own records (see TendClientAccess). */
gboolean                tend_record_policy_client_may_read (TendPolicyActor       *actor,
                                                           TendRecord             *record,
                                                           GError                **error);
JsonNode               *tend_record_policy_client_view    (TendRecord             *record);

/* Helpers for the classes' rules. */
gboolean                tend_policy_only_changed          (TendRecord             *stored,
                                                           TendRecord             *record,
                                                           const char * const     *may_change);
gboolean                tend_policy_client_owns_member    (TendPolicyActor        *actor,
                                                           TendRecord             *record,
                                                           GError                **error);
gboolean                tend_policy_deny                  (GError                **error,
                                                           const char             *message);
gboolean                tend_policy_check_bytes_held      (TendPolicyActor        *actor,
                                                           const char             *stored_sha256,
                                                           const char             *sha256,
                                                           GError                **error);
gboolean                tend_policy_require_live          (TendPolicyActor        *actor,
                                                           GType                   type,
                                                           const char             *id,
                                                           const char             *message,
                                                           GError                **error);
TendRecord             *tend_policy_actor_load            (TendPolicyActor        *actor,
                                                           GType                   type,
                                                           const char             *id,
                                                           GError                **error);

/* JSON that survives being written and read again: see tend-record-policy.c. */
gboolean                tend_json_text_check              (const char             *data,
                                                           gsize                   length,
                                                           guint                   max_depth,
                                                           gsize                  *offset,
                                                           GError                **error);
gboolean                tend_json_node_check              (JsonNode               *node,
                                                           const char             *path,
                                                           GError                **error);

G_END_DECLS
