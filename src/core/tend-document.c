/* tend-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-document.h"
#include "tend-error.h"

struct _TendDocument
{
  TendRecord parent_instance;

  char   *client_id;
  char   *title;
  char   *mime_type;
  gint64  size;
  char   *sha256;
  char   *added_by;
  char   *added_at;
  gboolean shared_with_client;
};

G_DEFINE_FINAL_TYPE (TendDocument, tend_document, TEND_TYPE_RECORD)

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendDocument, member), len, NULL, 0, 0 }

static const TendField document_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("title", N_("Title"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, title, 200),
  F ("mime_type", N_("File type"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, mime_type, 100),
  { "size", N_("Size"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendDocument, size), 0, NULL, 0, TEND_DOCUMENT_MAX_SIZE },
  F ("sha256", N_("Contents hash"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, sha256, 64),
  F ("added_by", N_("Added by"), TEND_FIELD_UUID, 0, added_by, 36),
  F ("added_at", N_("Added"), TEND_FIELD_DATETIME, 0, added_at, 40),
  { "shared_with_client", N_("Shared with the client"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendDocument, shared_with_client), 0, NULL, 0, 0 },
};

#undef F

static const char * const supported_types[] = {
  "application/pdf", "image/png", "image/jpeg", NULL
};

gboolean
tend_document_mime_type_is_supported (const char *mime_type)
{
  return mime_type != NULL && g_strv_contains (supported_types, mime_type);
}

static gboolean
tend_document_validate (TendRecord *record,
                        GError    **error)
{
  TendDocument *self = TEND_DOCUMENT (record);

  if (!tend_document_mime_type_is_supported (self->mime_type))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("File type: %s files cannot be attached (PDF, PNG and JPEG can)"), self->mime_type);
      return FALSE;
    }
  if (strlen (self->sha256) != 64 || strspn (self->sha256, "0123456789abcdef") != 64)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Contents hash: expected 64 lowercase hexadecimal digits"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
document_check (TendPolicyActor *actor,
                gboolean         extra_writer,
                TendRecord      *stored,
                TendRecord      *record,
                GError         **error)
{
  if (record == NULL)
    return TRUE;
  return tend_policy_check_bytes_held (actor, stored != NULL ? tend_document_get_sha256 (TEND_DOCUMENT (stored)) : NULL,
                                       tend_document_get_sha256 (TEND_DOCUMENT (record)), error);
}

/* The portal: a client downloads the documents the practice shared with
 * them (letters, signed forms), and nothing else. */
static gboolean
document_client_owns (TendPolicyActor *actor,
                      TendRecord      *record,
                      GError         **error)
{
  return TEND_DOCUMENT (record)->shared_with_client && tend_policy_client_owns_member (actor, record, error);
}

static const char * const document_client_keep[] = { "title", "mime_type", "size", "sha256", "added_at", NULL };

static const TendClientAccess document_client_access = {
  .owns = document_client_owns,
  .keep = document_client_keep,
};

static const TendRecordPolicy document_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .chart_client = "client_id",
  .check = document_check,
  .client = &document_client_access,
};

static void
tend_document_class_init (TendDocumentClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "document", document_fields, G_N_ELEMENTS (document_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &document_policy);
  record_class->validate = tend_document_validate;
}

static void
tend_document_init (TendDocument *self)
{
}

/**
 * tend_document_new:
 * @contents: the file's bytes (hashed and measured here, not kept)
 *
 * Returns: (transfer full): the document record
 */
TendDocument *
tend_document_new (const char *client_id,
                   const char *title,
                   const char *mime_type,
                   GBytes     *contents)
{
  TendDocument *self = TEND_DOCUMENT (tend_record_new (TEND_TYPE_DOCUMENT));
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (contents, &size);

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "title", title);
  tend_record_set_string (TEND_RECORD (self), "mime_type", mime_type);
  self->size = (gint64) size;
  self->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  return self;
}

#define GETTER(field) \
  const char *tend_document_get_##field (TendDocument *self) \
  { \
    g_return_val_if_fail (TEND_IS_DOCUMENT (self), NULL); \
    return self->field; \
  }

GETTER (client_id)
GETTER (title)
GETTER (mime_type)
GETTER (sha256)

#undef GETTER

gint64
tend_document_get_size (TendDocument *self)
{
  g_return_val_if_fail (TEND_IS_DOCUMENT (self), 0);
  return self->size;
}
