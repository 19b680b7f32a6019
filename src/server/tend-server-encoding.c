/* tend-server-encoding.c: gzip on the wire, both ways
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client that sends "Accept-Encoding: gzip" gets answers of
 * TEND_GZIP_MIN_SIZE bytes or more compressed (change-feed pages, push
 * answers, a document's bytes when that makes them smaller); one that does
 * not gets them as they are.  Every answer says "Accept-Encoding: gzip"
 * (RFC 7694), so a client knows it may compress what it sends (pushes,
 * document uploads); such a body is decompressed after the caller is
 * authenticated, at most max_body_size bytes of it.  Both run in the
 * worker thread, not on the server's context.  Headers a handler adds
 * (tend_request_add_header()) go with the answer.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-private.h"

/* Before the handler: the request's body as sent, decompressed.  FALSE
 * after answering. */
gboolean
tend_request_decode_body (TendRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = NULL;
  gsize len = 0;
  const void *data;

  if (req->content_encoding == NULL || g_ascii_strcasecmp (req->content_encoding, "identity") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (req->content_encoding, "gzip") != 0)
    {
      tend_request_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding",
                          "A body may be sent as it is or with Content-Encoding: gzip");
      return FALSE;
    }
  data = req->body != NULL ? g_bytes_get_data (req->body, &len) : NULL;
  plain = tend_gzip_decompress (data, len, req->config->max_body_size, &error);
  if (plain == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        tend_request_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body_too_large", "%s", error->message);
      else
        tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_encoding",
                            "The body is not valid gzip (damaged or cut short)");
      return FALSE;
    }
  g_clear_pointer (&req->body, g_bytes_unref);
  req->body = g_steal_pointer (&plain);
  return TRUE;
}

/* After the handler: the answer compressed, when the client accepts it and
 * it is worth it. */
void
tend_request_encode_response (TendRequest *req)
{
  g_autoptr(GBytes) packed = NULL;
  gsize len = 0;
  const char *data;

  if (!req->accepts_gzip || req->status < 200 || req->status >= 300)
    return;
  if (req->response != NULL)
    len = strlen (req->response), data = req->response;
  else if (req->response_bytes != NULL)
    data = g_bytes_get_data (req->response_bytes, &len);
  else
    return;
  if (len < TEND_GZIP_MIN_SIZE)
    return;
  packed = tend_gzip_compress (data, len, TEND_GZIP_LEVEL);
  /* Bytes compressed already (a JPEG, a PDF's streams) go as they are. */
  if (g_bytes_get_size (packed) > len - len / 10)
    return;
  if (req->response != NULL)
    {
      req->response_type = "application/json";
      g_clear_pointer (&req->response, g_free);
    }
  g_clear_pointer (&req->response_bytes, g_bytes_unref);
  req->response_bytes = g_steal_pointer (&packed);
  req->response_encoding = "gzip";
}

/* A header for the answer, whatever its body. */
void
tend_request_add_header (TendRequest *req,
                         const char  *name,
                         const char  *value)
{
  if (req->response_headers == NULL)
    req->response_headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (req->response_headers, g_strdup (name));
  g_ptr_array_add (req->response_headers, g_strdup (value));
}
