/* tend-server-blobs.c: PUT and GET /v1/blobs/{sha256}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents (scanned intake forms, letters) are stored by the SHA-256 of
 * their bytes, per practice.  PUT checks the hash and is idempotent: the
 * same bytes again answer 200 and store nothing.  Records name blobs by
 * hash, so a blob is found through a record the caller may read; when the
 * document record types arrive, GET will also check that the caller's role
 * may read a record that names the blob.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tend-server-private.h"
#include "tend-server-sync.h"

#define PREFIX "/v1/blobs/"

/* The lower-case hex SHA-256 in the path, or NULL after answering 400. */
static const char *
path_hash (TendRequest *req)
{
  const char *hash = req->path + strlen (PREFIX);

  if (strlen (hash) != 64 || strspn (hash, "0123456789abcdef") != 64)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "The path must end with the content's SHA-256, 64 lower-case hex digits");
      return NULL;
    }
  return hash;
}

void
tend_blob_put_handler (TendRequest *req,
                       TendPgConn  *conn)
{
  const char *hash = path_hash (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[sizeof digest * 2 + 1];
  g_autoptr(PGresult) used = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *quota_text = NULL;
  gsize len = 0;
  const char *data;
  gboolean created;

  if (hash == NULL)
    return;
  data = req->body != NULL ? g_bytes_get_data (req->body, &len) : "";
  crypto_hash_sha256 (digest, (const guint8 *) data, len);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  if (strcmp (hex, hash) != 0)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "hash_mismatch",
                          "The body's SHA-256 is not the one in the path");
      return;
    }
  size_text = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
  quota_text = g_strdup_printf ("%" G_GUINT64_FORMAT, req->config->blob_quota);
  /* The practice's documents may hold blob-quota bytes (0: no limit).
   * Checked and stored under a lock of the practice's own (not the row
   * lock writers of records take), so two uploads at once cannot both
   * pass the last free bytes. */
  if (!tend_pg_run (conn, "BEGIN", &error))
    goto db_error;
  {
    const char *params[] = { req->principal.practice_id, hash, size_text, quota_text };

    used = tend_pg_exec (conn,
                         "SELECT pg_advisory_xact_lock (7428118, hashtext ($1)),"
                         " EXISTS (SELECT 1 FROM blob WHERE practice_id = $1::uuid AND sha256 = $2),"
                         " $4::bigint > 0 AND (SELECT coalesce (sum (size), 0) FROM blob WHERE practice_id = $1::uuid)"
                         "                     + $3::bigint > $4::bigint",
                         4, params, &error);
  }
  if (used == NULL)
    goto db_error;
  if (!tend_pg_get_bool (used, 0, 1) && tend_pg_get_bool (used, 0, 2))
    {
      tend_pg_rollback (conn);
      tend_request_error (req, SOUP_STATUS_INSUFFICIENT_STORAGE, "quota_exceeded",
                          "The practice's documents would pass its quota of %" G_GUINT64_FORMAT
                          " bytes: remove documents or ask the server's administrator for more room",
                          req->config->blob_quota);
      return;
    }
  {
    const char *params[] = { req->principal.practice_id, hash, size_text, data };
    const int lengths[] = { 0, 0, 0, (int) len };
    const int formats[] = { 0, 0, 0, 1 };

    res = tend_pg_exec_full (conn,
                             "INSERT INTO blob (practice_id, sha256, size, data) VALUES ($1, $2, $3::bigint, $4::bytea)"
                             " ON CONFLICT (practice_id, sha256) DO NOTHING",
                             4, params, lengths, formats, 0, &error);
  }
  if (res == NULL)
    goto db_error;
  created = g_strcmp0 (PQcmdTuples (res), "1") == 0;
  if (!tend_request_audit (req, conn, created ? "blob-put" : "blob-put-again", "blob", hash, NULL, &error) ||
      !tend_pg_run (conn, "COMMIT", &error))
    goto db_error;
  tend_request_reply_take (req, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
                           g_strdup_printf ("{\"sha256\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}", hash, len));
  return;

db_error:
  tend_pg_rollback (conn);
  tend_request_db_error (req, error);
}

void
tend_blob_get_handler (TendRequest *req,
                       TendPgConn  *conn)
{
  const char *hash = path_hash (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;

  if (hash == NULL)
    return;
  /* Only the bytes a live record the caller receives names: a document
   * (to a role that reads documents) or a message's attachment (to the
   * conversation's members).  The same answer (404) as for a hash nobody
   * has, so nothing is learnt by asking. */
  {
    const char *params[] = { req->principal.practice_id, hash, req->principal.staff_id,
                             tend_sync_role_may_read (req->principal.role, "document") ? "true" : "false",
                             tend_record_policy_chart_restricted (req->principal.role) ? "true" : "false" };

    /* Binary result: the bytes as they are.  A document's only to those on
     * its client's chart (a clinician's own clients...: chart_reach ()). */
    res = tend_pg_exec_full (conn, "SELECT data FROM blob b WHERE b.practice_id = $1 AND b.sha256 = $2"
                                   " AND (($4::boolean AND EXISTS (SELECT 1 FROM record r WHERE r.practice_id = $1"
                                   "             AND r.type = 'document' AND NOT r.deleted AND r.body::jsonb ->> 'sha256' = $2"
                                   "             AND (NOT $5::boolean OR r.chart_client IN (SELECT chart_reach ($1::uuid, $3::uuid)))))"
                                   "  OR EXISTS (SELECT 1 FROM record r WHERE r.practice_id = $1 AND r.type = 'message'"
                                   "             AND NOT r.deleted AND $3::uuid = ANY (r.audience)"
                                   "             AND r.body::jsonb -> 'attachments' @> jsonb_build_array (jsonb_build_object ('sha256', $2))))",
                             5, params, NULL, NULL, 1, &error);
  }
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQntuples (res) != 1)
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No document or attachment has this hash");
      return;
    }
  if (!tend_request_audit (req, conn, "blob-get", "blob", hash, NULL, &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  req->status = SOUP_STATUS_OK;
  req->response_type = "application/octet-stream";
  req->response_bytes = g_bytes_new (PQgetvalue (res, 0, 0), (gsize) PQgetlength (res, 0, 0));
}
