/* tend-totp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HOTP (RFC 4226) with HMAC-SHA-1 from GLib's GHmac, and TOTP (RFC 6238)
 * over it: 30-second steps, 6 digits, one step of clock skew either way,
 * which is what authenticator apps expect from an otpauth:// URI with the
 * default parameters.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-totp.h"

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

guint
tend_hotp_code (const guint8 *secret,
                gsize         secret_len,
                guint64       counter,
                guint         digits)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, secret, secret_len);
  guint8 msg[8], digest[20];
  gsize digest_len = sizeof digest;
  guint32 binary, modulus = 1;
  guint offset;

  for (int i = 7; i >= 0; i--)
    {
      msg[i] = (guint8) (counter & 0xff);
      counter >>= 8;
    }
  g_hmac_update (hmac, msg, sizeof msg);
  g_hmac_get_digest (hmac, digest, &digest_len);

  offset = digest[19] & 0x0f;
  binary = ((guint32) (digest[offset] & 0x7f) << 24) | ((guint32) digest[offset + 1] << 16) |
           ((guint32) digest[offset + 2] << 8) | (guint32) digest[offset + 3];
  for (guint i = 0; i < digits; i++)
    modulus *= 10;
  return binary % modulus;
}

/**
 * tend_totp_verify_step:
 * @code: what the person typed (6 digits; spaces are ignored)
 * @step: (out) (optional): the time step whose code it is
 *
 * Accepts the code of the step of @unix_time and of the steps just before
 * and after it.  The comparison does not stop at the first matching step.
 * A code is meant to work once: the caller keeps the last accepted step
 * and refuses any step not after it.
 */
gboolean
tend_totp_verify_step (const guint8 *secret,
                       gsize         secret_len,
                       const char   *code,
                       gint64        unix_time,
                       gint64       *step)
{
  guint given = 0, n_digits = 0;
  gboolean ok = FALSE;
  gint64 now_step, matched = -1;

  if (code == NULL || secret == NULL || secret_len == 0 || unix_time < 0)
    return FALSE;
  for (const char *p = code; *p; p++)
    {
      if (*p == ' ')
        continue;
      if (!g_ascii_isdigit (*p) || ++n_digits > TEND_TOTP_DIGITS)
        return FALSE;
      given = given * 10 + (guint) (*p - '0');
    }
  if (n_digits != TEND_TOTP_DIGITS)
    return FALSE;

  now_step = unix_time / TEND_TOTP_STEP;
  for (gint64 s = now_step - 1; s <= now_step + 1; s++)
    if (s >= 0 && tend_hotp_code (secret, secret_len, (guint64) s, TEND_TOTP_DIGITS) == given)
      {
        ok = TRUE;
        matched = s;
      }
  if (ok && step != NULL)
    *step = matched;
  return ok;
}

/**
 * tend_totp_verify:
 *
 * tend_totp_verify_step() without the step.
 */
gboolean
tend_totp_verify (const guint8 *secret,
                  gsize         secret_len,
                  const char   *code,
                  gint64        unix_time)
{
  return tend_totp_verify_step (secret, secret_len, code, unix_time, NULL);
}

/* RFC 4648 base32, without padding (as otpauth:// URIs carry it). */
char *
tend_base32_encode (const guint8 *data,
                    gsize         len)
{
  GString *out = g_string_new (NULL);
  guint32 buffer = 0;
  guint bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

/**
 * tend_base32_decode:
 *
 * Case-insensitive; spaces and trailing '=' are ignored.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL when @text is
 *   not base32
 */
guint8 *
tend_base32_decode (const char *text,
                    gsize      *len)
{
  GByteArray *out = g_byte_array_new ();
  guint32 buffer = 0;
  guint bits = 0;

  for (const char *p = text; p != NULL && *p; p++)
    {
      const char *hit;
      guint8 byte;

      if (*p == ' ' || *p == '=')
        continue;
      hit = strchr (base32_alphabet, g_ascii_toupper (*p));
      if (hit == NULL || *hit == '\0')
        {
          g_byte_array_unref (out);
          return NULL;
        }
      buffer = (buffer << 5) | (guint32) (hit - base32_alphabet);
      bits += 5;
      if (bits >= 8)
        {
          byte = (guint8) ((buffer >> (bits - 8)) & 0xff);
          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }
  *len = out->len;
  if (out->len == 0)
    {
      g_byte_array_unref (out);
      return g_new0 (guint8, 1);
    }
  return g_byte_array_free (out, FALSE);
}
