/* tend-gzip.c: gzip of whole buffers, through GIO's zlib converters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <string.h>

#include "tend-error.h"
#include "tend-gzip.h"

/* Runs @conv over all of @data; NULL with @error when the input is not
 * complete, has bytes after its end, or the output passes @max_size. */
static GBytes *
convert_all (GConverter  *conv,
             const guint8 *data,
             gsize         len,
             gsize         max_size,
             GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (MIN (len, max_size) / 2 + 256);
  gsize pos = 0;

  for (;;)
    {
      guint8 buf[64 * 1024];
      gsize read = 0, written = 0;
      GConverterResult r = g_converter_convert (conv, data + pos, len - pos, buf, sizeof buf,
                                                G_CONVERTER_INPUT_AT_END, &read, &written, error);

      if (r == G_CONVERTER_ERROR)
        return NULL;
      pos += read;
      g_byte_array_append (out, buf, (guint) written);
      if (out->len > max_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "The body is larger than %" G_GSIZE_FORMAT " bytes once decompressed", max_size);
          return NULL;
        }
      if (r == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, "The compressed body is cut short");
          return NULL;
        }
    }
  if (pos != len)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, "The compressed body has bytes after its end");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * tend_gzip_compress:
 * @level: zlib's, 1 (fastest) to 9
 *
 * Returns: (transfer full): @data in the gzip format
 */
GBytes *
tend_gzip_compress (const void *data,
                    gsize       len,
                    int         level)
{
  g_autoptr(GZlibCompressor) conv = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, level);

  /* Compressing a buffer in memory cannot fail. */
  return convert_all (G_CONVERTER (conv), data, len, G_MAXSIZE, NULL);
}

/**
 * tend_gzip_decompress:
 * @max_size: the most bytes the result may have (a small body must not
 *   become gigabytes)
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error:
 *   %G_IO_ERROR_MESSAGE_TOO_LARGE past @max_size, %G_IO_ERROR_INVALID_DATA
 *   for a body that is not gzip or is damaged (its CRC is checked),
 *   %TEND_ERROR_INVALID for one cut short or with bytes after its end
 */
GBytes *
tend_gzip_decompress (const void *data,
                      gsize       len,
                      gsize       max_size,
                      GError    **error)
{
  g_autoptr(GZlibDecompressor) conv = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

  return convert_all (G_CONVERTER (conv), data, len, max_size, error);
}

/**
 * tend_gzip_accepted:
 * @accept_encoding: (nullable): an Accept-Encoding header's value
 *
 * Whether it accepts gzip: named (or "*") with a quality above zero.
 */
gboolean
tend_gzip_accepted (const char *accept_encoding)
{
  g_auto(GStrv) items = NULL;
  gboolean star = FALSE;

  if (accept_encoding == NULL)
    return FALSE;
  items = g_strsplit (accept_encoding, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], ";", 2);
      const char *name = g_strstrip (parts[0]);
      gboolean zero = FALSE;

      if (parts[1] != NULL)
        {
          const char *q = strstr (parts[1], "q=");

          zero = q != NULL && g_ascii_strtod (q + 2, NULL) <= 0;
        }
      if (g_ascii_strcasecmp (name, "gzip") == 0 || g_ascii_strcasecmp (name, "x-gzip") == 0)
        return !zero;
      if (strcmp (name, "*") == 0)
        star = !zero;
    }
  return star;
}
