/* tend-money.h: amounts of money as integer minor units with a currency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Never a floating-point number: 12.34 USD is { 1234, "USD" }. */
typedef struct
{
  gint64 minor;
  char   currency[4];
} TendMoney;

TendMoney tend_money_init          (gint64           minor,
                                    const char      *currency);
guint     tend_money_get_exponent  (const char      *currency);
gboolean  tend_money_is_currency   (const char      *code);
gboolean  tend_money_add           (TendMoney       *sum,
                                    const TendMoney *a,
                                    const TendMoney *b,
                                    GError         **error);
char     *tend_money_format        (const TendMoney *money);
char     *tend_money_format_entry  (const TendMoney *money);
gboolean  tend_money_parse         (const char      *text,
                                    const char      *currency,
                                    TendMoney       *out,
                                    GError         **error);

G_END_DECLS
