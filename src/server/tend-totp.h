/* tend-totp.h: RFC 6238 time-based one-time passwords, and base32
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEND_TOTP_STEP 30
#define TEND_TOTP_DIGITS 6

guint     tend_hotp_code      (const guint8 *secret,
                               gsize         secret_len,
                               guint64       counter,
                               guint         digits);
gboolean  tend_totp_verify    (const guint8 *secret,
                               gsize         secret_len,
                               const char   *code,
                               gint64        unix_time);
gboolean  tend_totp_verify_step (const guint8 *secret,
                                 gsize         secret_len,
                                 const char   *code,
                                 gint64        unix_time,
                                 gint64       *step);
char     *tend_base32_encode  (const guint8 *data,
                               gsize         len);
guint8   *tend_base32_decode  (const char   *text,
                               gsize        *len);

G_END_DECLS
