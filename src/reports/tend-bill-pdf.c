/* tend-bill-pdf.c: invoices, statements and superbills with cairo and pango
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * US Letter, a letterhead on every page, one line per ledger entry (cut
 * with an ellipsis, never wrapped, so every page holds the same number of
 * lines and "Page n of m" is known before drawing), the totals after the
 * last line.  Dates and money are formatted for the locale; no clock is
 * read, so the same bill gives the same pages.
 */
#define G_LOG_DOMAIN "tend-reports"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "tend-bill-pdf.h"

#define PAGE_W   612.0
#define PAGE_H   792.0
#define MARGIN    48.0
#define ROW_H     17.0
#define BODY_TOP 305.0
#define FOOT_H    60.0

typedef struct
{
  const TendBill *bill;
  cairo_t        *cr;
  const char     *currency;
  guint           page;
  guint           n_pages;
  double          rule_y;   /* under the letterhead */
} Ctx;

typedef enum
{
  ALIGN_LEFT,
  ALIGN_RIGHT,
} Align;

static void
text_at (Ctx        *c,
         double      x,
         double      y,
         double      width,
         const char *font,
         Align       align,
         const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (c->cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align == ALIGN_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  cairo_move_to (c->cr, x, y);
  pango_cairo_show_layout (c->cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
}

/* A paragraph that wraps instead of being cut; returns its height. */
static double
wrapped_at (Ctx        *c,
            double      x,
            double      y,
            double      width,
            const char *font,
            const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (c->cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int height = 0;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  cairo_move_to (c->cr, x, y);
  pango_cairo_show_layout (c->cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &height);
  pango_font_description_free (desc);
  g_object_unref (layout);
  return height;
}

static char *
money (Ctx    *c,
       gint64  minor)
{
  TendMoney m = tend_money_init (minor, c->currency);

  return tend_money_format (&m);
}

static char *
date_text (const char *iso)
{
  GDate d;

  if (iso == NULL || !tend_date_parse (iso, &d, NULL))
    return g_strdup (iso != NULL ? iso : "");
  return tend_date_format_local (&d);
}

static const char *
str (gpointer    record,
     const char *field)
{
  return record != NULL ? tend_record_get_string (TEND_RECORD (record), field) : NULL;
}

static const char *
tax_id (const TendBill *b)
{
  return str (b->settings, "tax_id") != NULL ? str (b->settings, "tax_id") : str (b->practice, "tax_id");
}

static const char *
billing_npi (const TendBill *b)
{
  return str (b->settings, "billing_npi") != NULL ? str (b->settings, "billing_npi") : str (b->practice, "npi");
}

static const char *
title_of (TendBillKind kind)
{
  switch (kind)
    {
    case TEND_BILL_INVOICE:   return _("Invoice");
    case TEND_BILL_STATEMENT: return _("Statement");
    case TEND_BILL_SUPERBILL: return _("Superbill");
    default:                  return "";
    }
}

static void
draw_letterhead (Ctx *c)
{
  const TendBill *b = c->bill;
  g_autofree char *issued = date_text (b->issued_on);
  g_autofree char *city_line = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *number = NULL;
  g_autofree char *dated = NULL;
  double y = MARGIN;

  cairo_set_source_rgb (c->cr, 0.13, 0.33, 0.45);
  y += wrapped_at (c, MARGIN, y, 290, "Sans Bold 15", tend_practice_get_name (b->practice)) + 4;
  cairo_set_source_rgb (c->cr, 0.2, 0.2, 0.2);
  if (str (b->practice, "address.line1") != NULL)
    {
      text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, str (b->practice, "address.line1"));
      y += 13;
    }
  if (str (b->practice, "address.line2") != NULL)
    {
      text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, str (b->practice, "address.line2"));
      y += 13;
    }
  city_line = g_strdup_printf ("%s %s %s", str (b->practice, "address.city") ?: "",
                               str (b->practice, "address.region") ?: "", str (b->practice, "address.postal_code") ?: "");
  text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, g_strstrip (city_line));
  y += 13;
  contact = g_strdup (str (b->practice, "phone"));
  if (contact != NULL)
    {
      text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, contact);
      y += 13;
    }
  if (str (b->practice, "email") != NULL)
    {
      text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, str (b->practice, "email"));
      y += 13;
    }
  if (tax_id (b) != NULL)
    {
      /* TRANSLATORS: the practice's employer identification number */
      g_autofree char *t = g_strdup_printf (_("Tax ID: %s"), tax_id (b));
      text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, t);
      y += 13;
    }
  if (b->kind == TEND_BILL_SUPERBILL && billing_npi (b) != NULL)
    {
      g_autofree char *t = g_strdup_printf (_("Practice NPI: %s"), billing_npi (b));
      text_at (c, MARGIN, y, 320, "Sans 9", ALIGN_LEFT, t);
      y += 13;
    }

  /* The document, on the right. */
  cairo_set_source_rgb (c->cr, 0.13, 0.33, 0.45);
  text_at (c, PAGE_W - MARGIN - 220, MARGIN, 220, "Sans Bold 20", ALIGN_RIGHT, title_of (b->kind));
  cairo_set_source_rgb (c->cr, 0.2, 0.2, 0.2);
  /* TRANSLATORS: an invoice or statement number, "No. INV-000123" */
  number = g_strdup_printf (_("No. %s"), b->number);
  text_at (c, PAGE_W - MARGIN - 220, MARGIN + 30, 220, "Sans 10", ALIGN_RIGHT, number);
  dated = g_strdup_printf (_("Date: %s"), issued);
  text_at (c, PAGE_W - MARGIN - 220, MARGIN + 45, 220, "Sans 10", ALIGN_RIGHT, dated);
  if (b->period_from != NULL && b->period_to != NULL)
    {
      g_autofree char *from = date_text (b->period_from);
      g_autofree char *to = date_text (b->period_to);
      /* TRANSLATORS: the dates a statement covers */
      g_autofree char *period = g_strdup_printf (_("Period: %s – %s"), from, to);

      text_at (c, PAGE_W - MARGIN - 220, MARGIN + 60, 220, "Sans 10", ALIGN_RIGHT, period);
    }
  if (b->kind == TEND_BILL_INVOICE)
    {
      GDate d;

      if (tend_date_parse (b->issued_on, &d, NULL))
        {
          g_autofree char *due = NULL;
          g_autofree char *line = NULL;

          g_date_add_days (&d, (guint) tend_record_get_int (TEND_RECORD (b->settings), "payment_terms_days"));
          due = tend_date_format_local (&d);
          line = g_strdup_printf (_("Due: %s"), due);
          text_at (c, PAGE_W - MARGIN - 220, MARGIN + (b->period_from != NULL ? 75 : 60), 220, "Sans Bold 10", ALIGN_RIGHT, line);
        }
    }

  cairo_set_source_rgb (c->cr, 0.13, 0.33, 0.45);
  cairo_set_line_width (c->cr, 1.5);
  c->rule_y = MAX (y + 8, 150);
  cairo_move_to (c->cr, MARGIN, c->rule_y);
  cairo_line_to (c->cr, PAGE_W - MARGIN, c->rule_y);
  cairo_stroke (c->cr);
  cairo_set_source_rgb (c->cr, 0.1, 0.1, 0.1);
}

static void
draw_client (Ctx *c)
{
  const TendBill *b = c->bill;
  g_autofree char *name = tend_client_dup_display_name (b->client);
  double y = c->rule_y + 10;

  text_at (c, MARGIN, y, 250, "Sans Bold 9", ALIGN_LEFT,
           b->kind == TEND_BILL_SUPERBILL ? _("Patient") : _("Bill to"));
  y += 14;
  text_at (c, MARGIN, y, 250, "Sans 10", ALIGN_LEFT, name);
  y += 14;
  if (str (b->client, "address.line1") != NULL)
    {
      g_autofree char *city = g_strdup_printf ("%s %s %s", str (b->client, "address.city") ?: "",
                                               str (b->client, "address.region") ?: "",
                                               str (b->client, "address.postal_code") ?: "");
      text_at (c, MARGIN, y, 250, "Sans 9", ALIGN_LEFT, str (b->client, "address.line1"));
      y += 13;
      text_at (c, MARGIN, y, 250, "Sans 9", ALIGN_LEFT, g_strstrip (city));
      y += 13;
    }
  if (b->kind == TEND_BILL_SUPERBILL && str (b->client, "date_of_birth") != NULL)
    {
      g_autofree char *dob = date_text (str (b->client, "date_of_birth"));
      g_autofree char *t = g_strdup_printf (_("Date of birth: %s"), dob);

      text_at (c, MARGIN, y, 250, "Sans 9", ALIGN_LEFT, t);
      y += 13;
    }
  if (str (b->client, "record_number") != NULL)
    {
      g_autofree char *t = g_strdup_printf (_("Account: %s"), str (b->client, "record_number"));
      text_at (c, MARGIN, y, 250, "Sans 9", ALIGN_LEFT, t);
    }

  /* Superbill: the clinicians with their NPIs, and the diagnoses. */
  if (b->kind == TEND_BILL_SUPERBILL)
    {
      g_autoptr(GPtrArray) seen = g_ptr_array_new ();
      g_autoptr(GString) dx = g_string_new (NULL);
      double ry = c->rule_y + 10;

      text_at (c, 320, ry, 244, "Sans Bold 9", ALIGN_LEFT, _("Rendering provider"));
      ry += 14;
      for (guint i = 0; i < b->entries->len; i++)
        {
          TendLedgerEntry *e = g_ptr_array_index (b->entries, i);
          TendStaff *s = e->clinician_id != NULL && b->clinicians != NULL
                         ? g_hash_table_lookup (b->clinicians, e->clinician_id) : NULL;

          if (e->diagnoses != NULL && e->kind == TEND_LEDGER_CHARGE && !e->is_void)
            {
              g_auto(GStrv) codes = g_strsplit (e->diagnoses, " ", -1);

              for (guint k = 0; codes[k] != NULL; k++)
                {
                  g_autofree char *needle = g_strdup_printf (" %s ", codes[k]);
                  g_autofree char *hay = g_strdup_printf (" %s ", dx->str);

                  if (strstr (hay, needle) == NULL)
                    g_string_append_printf (dx, "%s%s", dx->len > 0 ? " " : "", codes[k]);
                }
            }
          if (s == NULL || g_ptr_array_find (seen, s, NULL) || ry > BODY_TOP - 50)
            continue;
          g_ptr_array_add (seen, s);
          {
            g_autofree char *who = tend_staff_dup_display_name (s);
            g_autofree char *line = g_strdup_printf (_("%s — NPI %s"), who,
                                                     str (s, "npi") != NULL ? str (s, "npi") : _("none"));
            text_at (c, 320, ry, 244, "Sans 9", ALIGN_LEFT, line);
            ry += 13;
          }
        }
      ry += 4;
      text_at (c, 320, ry, 244, "Sans Bold 9", ALIGN_LEFT, _("Diagnoses (ICD-10)"));
      ry += 14;
      text_at (c, 320, ry, 244, "Sans 9", ALIGN_LEFT, dx->str);
    }
}

typedef struct
{
  const char *title;
  double      x;
  double      width;
  Align       align;
} Column;

static const Column *
columns (TendBillKind kind,
         guint       *n)
{
  static Column plain[5], superbill[7];

  plain[0] = (Column) { _("Date"), MARGIN, 70, ALIGN_LEFT };
  plain[1] = (Column) { _("Code"), MARGIN + 74, 70, ALIGN_LEFT };
  plain[2] = (Column) { _("Description"), MARGIN + 148, 210, ALIGN_LEFT };
  plain[3] = (Column) { _("Amount"), PAGE_W - MARGIN - 170, 80, ALIGN_RIGHT };
  plain[4] = (Column) { _("Balance"), PAGE_W - MARGIN - 84, 84, ALIGN_RIGHT };
  superbill[0] = (Column) { _("Date"), MARGIN, 62, ALIGN_LEFT };
  superbill[1] = (Column) { _("CPT"), MARGIN + 64, 66, ALIGN_LEFT };
  superbill[2] = (Column) { _("Description"), MARGIN + 132, 150, ALIGN_LEFT };
  superbill[3] = (Column) { _("POS"), MARGIN + 284, 28, ALIGN_LEFT };
  superbill[4] = (Column) { _("ICD-10"), MARGIN + 314, 80, ALIGN_LEFT };
  superbill[5] = (Column) { _("Units"), MARGIN + 394, 40, ALIGN_RIGHT };
  superbill[6] = (Column) { _("Amount"), PAGE_W - MARGIN - 76, 76, ALIGN_RIGHT };
  if (kind == TEND_BILL_SUPERBILL)
    {
      *n = G_N_ELEMENTS (superbill);
      return superbill;
    }
  *n = G_N_ELEMENTS (plain);
  return plain;
}

static char *
description_of (const TendLedgerEntry *e)
{
  const char *d = e->description != NULL ? e->description : "";

  switch (e->kind)
    {
    case TEND_LEDGER_PAYMENT:
      /* TRANSLATORS: a ledger line, "Payment (Card)" */
      return g_strdup_printf (_("Payment (%s)"), d);
    case TEND_LEDGER_REFUND:
      return g_strdup_printf (_("Refund (%s)"), d);
    case TEND_LEDGER_CREDIT:
      return g_strdup (_("Credit"));
    case TEND_LEDGER_ADJUSTMENT:
      return g_strdup (d);
    case TEND_LEDGER_CHARGE:
    default:
      if (e->is_void)
        return g_strdup_printf (_("%s (void)"), d);
      return g_strdup (d);
    }
}

/* Payments and credits print as negative amounts; PR adjustments move money
 * between payers and are not printed on the client's bill. */
static gboolean
printed (const TendBill        *b,
         const TendLedgerEntry *e)
{
  if (e->kind == TEND_LEDGER_ADJUSTMENT && e->code != NULL && g_str_has_prefix (e->code, "PR"))
    return FALSE;
  return TRUE;
}

static gint64
signed_amount (const TendLedgerEntry *e)
{
  if (e->is_void)
    return 0;
  switch (e->kind)
    {
    case TEND_LEDGER_CHARGE:
    case TEND_LEDGER_REFUND:
      return e->amount;
    case TEND_LEDGER_PAYMENT:
    case TEND_LEDGER_CREDIT:
    case TEND_LEDGER_ADJUSTMENT:
    default:
      return -e->amount;
    }
}

static void
draw_header_row (Ctx   *c,
                 double y)
{
  guint n;
  const Column *cols = columns (c->bill->kind, &n);

  cairo_set_source_rgb (c->cr, 0.92, 0.94, 0.96);
  cairo_rectangle (c->cr, MARGIN - 4, y - 3, PAGE_W - 2 * MARGIN + 8, ROW_H + 2);
  cairo_fill (c->cr);
  cairo_set_source_rgb (c->cr, 0.1, 0.1, 0.1);
  for (guint i = 0; i < n; i++)
    text_at (c, cols[i].x, y, cols[i].width, "Sans Bold 9", cols[i].align, cols[i].title);
}

static void
draw_row (Ctx                   *c,
          double                 y,
          const TendLedgerEntry *e)
{
  guint n;
  const Column *cols = columns (c->bill->kind, &n);
  g_autofree char *date = date_text (e->date);
  g_autofree char *desc = description_of (e);
  g_autofree char *amt = money (c, signed_amount (e));

  text_at (c, cols[0].x, y, cols[0].width, "Sans 9", ALIGN_LEFT, date);
  text_at (c, cols[1].x, y, cols[1].width, "Sans 9", ALIGN_LEFT, e->kind == TEND_LEDGER_CHARGE ? e->code : "");
  text_at (c, cols[2].x, y, cols[2].width, "Sans 9", ALIGN_LEFT, desc);
  if (c->bill->kind == TEND_BILL_SUPERBILL)
    {
      g_autofree char *units = e->kind == TEND_LEDGER_CHARGE ? g_strdup_printf ("%" G_GINT64_FORMAT, e->units) : NULL;

      text_at (c, cols[3].x, y, cols[3].width, "Sans 9", ALIGN_LEFT, e->place_of_service);
      text_at (c, cols[4].x, y, cols[4].width, "Sans 9", ALIGN_LEFT, e->kind == TEND_LEDGER_CHARGE ? e->diagnoses : "");
      text_at (c, cols[5].x, y, cols[5].width, "Sans 9", ALIGN_RIGHT, units);
      text_at (c, cols[6].x, y, cols[6].width, "Sans 9", ALIGN_RIGHT, amt);
    }
  else
    {
      g_autofree char *bal = money (c, e->balance);

      text_at (c, cols[3].x, y, cols[3].width, "Sans 9", ALIGN_RIGHT, amt);
      text_at (c, cols[4].x, y, cols[4].width, "Sans 9", ALIGN_RIGHT, bal);
    }
}

static void
draw_footer (Ctx *c)
{
  /* TRANSLATORS: "Page 1 of 3" */
  g_autofree char *page = g_strdup_printf (_("Page %u of %u"), c->page, c->n_pages);

  cairo_set_source_rgb (c->cr, 0.4, 0.4, 0.4);
  text_at (c, MARGIN, PAGE_H - MARGIN + 10, PAGE_W - 2 * MARGIN, "Sans 8", ALIGN_RIGHT, page);
  if (c->bill->kind == TEND_BILL_SUPERBILL)
    text_at (c, MARGIN, PAGE_H - MARGIN + 10, 380, "Sans 8", ALIGN_LEFT,
             _("Give this to your insurer to claim a reimbursement."));
  cairo_set_source_rgb (c->cr, 0.1, 0.1, 0.1);
}

static void
draw_totals (Ctx    *c,
             double  y)
{
  const TendBill *b = c->bill;
  gint64 charges = 0, paid = 0;
  double x = PAGE_W - MARGIN - 250;
  struct { const char *label; gint64 v; gboolean bold; } rows[4];
  guint n = 0;

  for (guint i = 0; i < b->entries->len; i++)
    {
      TendLedgerEntry *e = g_ptr_array_index (b->entries, i);

      /* What each line does to the client's balance, so the totals add up
       * to the balance due exactly. */
      if (e->effect >= 0)
        charges += e->effect;
      else
        paid -= e->effect;
    }
  if (b->kind == TEND_BILL_STATEMENT || b->opening_balance != 0)
    rows[n++] = (typeof (rows[0])) { _("Previous balance"), b->opening_balance, FALSE };
  rows[n++] = (typeof (rows[0])) { _("Total charges"), charges, FALSE };
  rows[n++] = (typeof (rows[0])) { _("Payments and credits"), -paid, FALSE };
  rows[n++] = (typeof (rows[0])) { _("Balance due"), b->balance_due, TRUE };

  cairo_set_source_rgb (c->cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (c->cr, 0.8);
  cairo_move_to (c->cr, x, y);
  cairo_line_to (c->cr, PAGE_W - MARGIN, y);
  cairo_stroke (c->cr);
  cairo_set_source_rgb (c->cr, 0.1, 0.1, 0.1);
  y += 6;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *v = money (c, rows[i].v);
      const char *font = rows[i].bold ? "Sans Bold 11" : "Sans 10";

      text_at (c, x, y, 160, font, ALIGN_LEFT, rows[i].label);
      text_at (c, PAGE_W - MARGIN - 100, y, 100, font, ALIGN_RIGHT, v);
      y += rows[i].bold ? 20 : 16;
    }
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * tend_bill_render_pdf:
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
tend_bill_render_pdf (const TendBill *bill,
                      GError        **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  Ctx c = { bill, NULL, NULL, 0, 0, 150 };
  guint per_first, per_page, r = 0;
  double totals_h = 90;

  g_return_val_if_fail (bill != NULL && bill->practice != NULL && bill->client != NULL, NULL);
  g_return_val_if_fail (bill->entries != NULL && bill->number != NULL && bill->issued_on != NULL, NULL);

  c.currency = tend_practice_get_currency (bill->practice);
  for (guint i = 0; i < bill->entries->len; i++)
    if (printed (bill, g_ptr_array_index (bill->entries, i)))
      g_ptr_array_add (rows, g_ptr_array_index (bill->entries, i));

  per_first = per_page = (guint) ((PAGE_H - FOOT_H - BODY_TOP - ROW_H) / ROW_H);
  c.n_pages = 1;
  if (rows->len > per_first || (double) rows->len * ROW_H + totals_h > PAGE_H - FOOT_H - BODY_TOP - ROW_H)
    c.n_pages = 1 + (rows->len + (guint) (totals_h / ROW_H) - per_first + per_page - 1) / per_page;
  if (c.n_pages < 1)
    c.n_pages = 1;

  surface = cairo_pdf_surface_create_for_stream (append_to_bytes, out, PAGE_W, PAGE_H);
  {
    g_autofree char *title = g_strdup_printf ("%s %s", title_of (bill->kind), bill->number);

    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Tend");
    /* A fixed date keeps the bytes stable for one input. */
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
  }
  c.cr = cairo_create (surface);

  for (c.page = 1; c.page <= c.n_pages; c.page++)
    {
      double y = BODY_TOP;

      draw_letterhead (&c);
      draw_client (&c);
      draw_header_row (&c, y);
      y += ROW_H + 4;
      for (guint k = 0; k < per_page && r < rows->len; k++, r++)
        {
          draw_row (&c, y, g_ptr_array_index (rows, r));
          y += ROW_H;
        }
      if (r >= rows->len && c.page == c.n_pages)
        draw_totals (&c, y + 6);
      draw_footer (&c);
      cairo_show_page (c.cr);
    }
  cairo_destroy (c.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_FAILED, _("Could not make the PDF: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
tend_bill_write_pdf (const TendBill *bill,
                     const char     *path,
                     GError        **error)
{
  g_autoptr(GBytes) pdf = tend_bill_render_pdf (bill, error);

  if (pdf == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), error);
}
