/* test-totp.c: RFC 6238 and RFC 4648 vectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "tend-totp.h"

/* RFC 6238 appendix B, SHA-1 rows: the 20-byte ASCII secret, 8 digits. */
static void
test_rfc6238_vectors (void)
{
  static const guint8 secret[] = "12345678901234567890";
  static const struct { gint64 time; guint code; } vectors[] = {
    { 59, 94287082 },
    { 1111111109, 7081804 },
    { 1111111111, 14050471 },
    { 1234567890, 89005924 },
    { 2000000000, 69279037 },
    { G_GINT64_CONSTANT (20000000000), 65353130 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    g_assert_cmpuint (tend_hotp_code (secret, 20, (guint64) (vectors[i].time / 30), 8), ==, vectors[i].code);
}

/* RFC 4226 appendix D: HOTP values for counters 0..9. */
static void
test_rfc4226_vectors (void)
{
  static const guint8 secret[] = "12345678901234567890";
  static const guint codes[] = { 755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    g_assert_cmpuint (tend_hotp_code (secret, 20, i, 6), ==, codes[i]);
}

static void
test_verify_window (void)
{
  static const guint8 secret[] = "12345678901234567890";
  gint64 now = 1234567890;
  char code[8];

  /* This step, and one either side. */
  for (int skew = -1; skew <= 1; skew++)
    {
      g_snprintf (code, sizeof code, "%06u", tend_hotp_code (secret, 20, (guint64) (now / 30 + skew), 6));
      g_assert_true (tend_totp_verify (secret, 20, code, now));
    }
  g_snprintf (code, sizeof code, "%06u", tend_hotp_code (secret, 20, (guint64) (now / 30 + 2), 6));
  g_assert_false (tend_totp_verify (secret, 20, code, now));
  g_snprintf (code, sizeof code, "%06u", tend_hotp_code (secret, 20, (guint64) (now / 30 - 2), 6));
  g_assert_false (tend_totp_verify (secret, 20, code, now));

  g_snprintf (code, sizeof code, "%06u", tend_hotp_code (secret, 20, (guint64) (now / 30), 6));
  {
    g_autofree char *spaced = g_strdup_printf ("%.3s %s", code, code + 3);

    g_assert_true (tend_totp_verify (secret, 20, spaced, now));
  }
  g_assert_false (tend_totp_verify (secret, 20, "", now));
  g_assert_false (tend_totp_verify (secret, 20, "12345", now));
  g_assert_false (tend_totp_verify (secret, 20, "1234567", now));
  g_assert_false (tend_totp_verify (secret, 20, "12a456", now));
  g_assert_false (tend_totp_verify (secret, 20, NULL, now));
}

static void
test_base32 (void)
{
  /* RFC 4648 section 10, without the padding. */
  static const struct { const char *plain; const char *encoded; } vectors[] = {
    { "", "" }, { "f", "MY" }, { "fo", "MZXQ" }, { "foo", "MZXW6" }, { "foob", "MZXW6YQ" },
    { "fooba", "MZXW6YTB" }, { "foobar", "MZXW6YTBOI" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *enc = tend_base32_encode ((const guint8 *) vectors[i].plain, strlen (vectors[i].plain));
      g_autofree guint8 *dec = NULL;
      g_autofree char *lower = g_ascii_strdown (vectors[i].encoded, -1);
      gsize len = 0;

      g_assert_cmpstr (enc, ==, vectors[i].encoded);
      dec = tend_base32_decode (lower, &len);
      g_assert_nonnull (dec);
      g_assert_cmpmem (dec, len, vectors[i].plain, strlen (vectors[i].plain));
    }
  {
    gsize len;

    g_assert_null (tend_base32_decode ("MZ1W", &len));
    g_assert_null (tend_base32_decode ("MZ!W", &len));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/totp/rfc6238", test_rfc6238_vectors);
  g_test_add_func ("/server/totp/rfc4226", test_rfc4226_vectors);
  g_test_add_func ("/server/totp/window", test_verify_window);
  g_test_add_func ("/server/totp/base32", test_base32);
  return g_test_run ();
}
