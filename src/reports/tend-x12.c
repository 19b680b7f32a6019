/* tend-x12.c: ANSI X12 837P (005010X222A1) writer and 835 (005010X221A1) reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The writer makes one interchange (ISA/IEA) with one functional group
 * (GS/GE) and one transaction (ST/SE) holding every claim of the batch:
 * submitter (1000A), receiver (1000B), the billing provider (2000A/2010AA),
 * then per claim its subscriber (2000B/2010BA), payer (2010BB), the patient
 * when not the subscriber (2000C/2010CA), the claim (2300 CLM, HI) with the
 * rendering clinician (2310B) and its lines (2400 LX/SV1/DTP/REF).  Values
 * are upper-case ASCII with the delimiters taken out, cut to the element's
 * maximum length.  Everything it stamps (dates, control numbers) comes from
 * the batch, so the same input gives the same bytes.
 */
#define G_LOG_DOMAIN "tend-reports"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-x12.h"

#define SEG '~'
#define ELE '*'
#define SUB ':'

typedef struct
{
  GString *out;
  guint    n_segments;   /* in the transaction, ST to SE */
} Writer;

void
tend_x12_claim_free (TendX12Claim *claim)
{
  if (claim == NULL)
    return;
  g_clear_object (&claim->claim);
  g_clear_object (&claim->client);
  g_clear_object (&claim->policy);
  g_clear_object (&claim->payer);
  g_clear_object (&claim->rendering);
  g_clear_pointer (&claim->charges, g_ptr_array_unref);
  g_free (claim);
}

/* Upper-case ASCII without the separators, at most @max characters. */
static char *
clean (const char *value,
       guint       max)
{
  g_autofree char *ascii = NULL;
  GString *s;

  if (value == NULL)
    return g_strdup ("");
  ascii = g_str_to_ascii (value, "C");
  s = g_string_new (NULL);
  for (const char *p = ascii; *p && s->len < max; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == SEG || c == ELE || c == SUB || c == '^' || (guchar) c < 0x20 || (guchar) c > 0x7e)
        c = ' ';
      if (c == ' ' && (s->len == 0 || s->str[s->len - 1] == ' '))
        continue;
      g_string_append_c (s, c);
    }
  while (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

static char *
digits_only (const char *value)
{
  GString *s = g_string_new (NULL);

  for (const char *p = value; p != NULL && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

/* X12 decimal: no trailing zeros, no currency, "150", "87.5", "0.01". */
static char *
amount (gint64 minor,
        guint  exponent)
{
  gint64 scale = 1;
  GString *s = g_string_new (minor < 0 ? "-" : "");
  guint64 v = minor < 0 ? (guint64) (-minor) : (guint64) minor;
  guint64 frac;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;
  g_string_append_printf (s, "%" G_GUINT64_FORMAT, v / (guint64) scale);
  frac = v % (guint64) scale;
  if (frac != 0)
    {
      char buf[24];
      guint n;

      g_snprintf (buf, sizeof buf, "%0*" G_GUINT64_FORMAT, (int) exponent, frac);
      n = (guint) strlen (buf);
      while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
      g_string_append_printf (s, ".%s", buf);
    }
  return g_string_free (s, FALSE);
}

/* Writes one segment; trailing empty elements are dropped, as X12 requires. */
static void
segment (Writer     *w,
         const char *id,
         ...)
{
  const char *elements[32];
  guint n = 0, last = 0;
  va_list args;
  const char *e;

  va_start (args, id);
  while ((e = va_arg (args, const char *)) != (const char *) -1 && n < G_N_ELEMENTS (elements))
    {
      elements[n++] = e;
      if (e != NULL && *e != '\0')
        last = n;
    }
  va_end (args);
  g_string_append (w->out, id);
  for (guint i = 0; i < last; i++)
    {
      g_string_append_c (w->out, ELE);
      if (elements[i] != NULL)
        g_string_append (w->out, elements[i]);
    }
  g_string_append_c (w->out, SEG);
  g_string_append_c (w->out, '\n');
  w->n_segments++;
}

#define END ((const char *) -1)

static gboolean
missing (GError    **error,
         const char *claim_number,
         const char *what)
{
  if (claim_number != NULL)
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                 _("Claim %s cannot be sent: %s"), claim_number, what);
  else
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                 _("The claims cannot be sent: %s"), what);
  return FALSE;
}

static const char *
str (gpointer    record,
     const char *field)
{
  return tend_record_get_string (TEND_RECORD (record), field);
}

static void
write_address (Writer     *w,
               gpointer    record)
{
  g_autofree char *l1 = clean (str (record, "address.line1"), 55);
  g_autofree char *l2 = clean (str (record, "address.line2"), 55);
  g_autofree char *city = clean (str (record, "address.city"), 30);
  g_autofree char *region = clean (str (record, "address.region"), 2);
  g_autofree char *zip = digits_only (str (record, "address.postal_code"));

  if (*l1 == '\0')
    return;
  segment (w, "N3", l1, l2, END);
  segment (w, "N4", city, region, zip, END);
}

static char *
d8 (const char *date)
{
  GString *s = g_string_new (NULL);

  for (const char *p = date; p != NULL && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static gboolean
write_claim (Writer              *w,
             const TendX12Batch  *batch,
             TendX12Claim        *xc,
             guint               *hl,
             GError             **error)
{
  const char *number = str (xc->claim, "control_number");
  gboolean self = tend_policy_get_relationship (xc->policy) == TEND_RELATIONSHIP_SELF;
  guint exponent = tend_money_get_exponent (tend_practice_get_currency (batch->practice));
  static const char * const priority_codes[] = { "P", "S", "T" };
  static const char * const relationship_codes[] = { "18", "01", "19", "G8" };
  static const char * const sex_codes[] = { "U", "F", "M" };
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *total = NULL;
  gint64 sum = 0;
  guint parent_hl;

  if (xc->charges->len == 0)
    return missing (error, number, _("it has no lines"));
  if (xc->charges->len > 50)
    return missing (error, number, _("a claim holds at most 50 lines"));
  if (str (xc->client, "date_of_birth") == NULL)
    return missing (error, number, _("the client’s date of birth is missing"));
  /* 2010BA (the client as subscriber) and 2010CA require the address. */
  if (str (xc->client, "address.line1") == NULL || str (xc->client, "address.city") == NULL ||
      str (xc->client, "address.region") == NULL || str (xc->client, "address.postal_code") == NULL)
    return missing (error, number, _("the client’s address is incomplete"));
  if (!self && (str (xc->policy, "subscriber.date_of_birth") == NULL))
    return missing (error, number, _("the subscriber’s date of birth is missing"));

  /* The claim's diagnoses: every line's, in order of first use, at most 12. */
  for (guint i = 0; i < xc->charges->len; i++)
    {
      g_auto(GStrv) dx = NULL;
      const char *list = str (g_ptr_array_index (xc->charges, i), "diagnoses");

      if (list == NULL)
        return missing (error, number, _("a line has no diagnosis"));
      if (str (g_ptr_array_index (xc->charges, i), "service_code") == NULL)
        return missing (error, number, _("a line has no service code"));
      dx = g_strsplit (list, " ", -1);
      for (guint k = 0; dx[k] != NULL; k++)
        {
          gboolean seen = FALSE;

          for (guint j = 0; j < codes->len; j++)
            seen |= g_strcmp0 (g_ptr_array_index (codes, j), dx[k]) == 0;
          if (!seen)
            g_ptr_array_add (codes, g_strdup (dx[k]));
        }
      sum += tend_charge_get_amount (g_ptr_array_index (xc->charges, i));
    }
  if (codes->len > 12)
    return missing (error, number, _("more than 12 diagnoses; split the claim"));

  /* 2000B subscriber */
  parent_hl = ++(*hl);
  {
    g_autofree char *h = g_strdup_printf ("%u", parent_hl);
    g_autofree char *group = clean (str (xc->policy, "group_number"), 50);
    int prio = (int) tend_record_get_int (TEND_RECORD (xc->policy), "priority");
    g_autofree char *filing = clean (str (xc->payer, "claim_filing"), 2);

    segment (w, "HL", h, "1", "22", self ? "0" : "1", END);
    segment (w, "SBR", priority_codes[CLAMP (prio, 0, 2)], self ? "18" : "", group, "", "", "", "", "", filing, END);
  }
  /* 2010BA subscriber name */
  {
    g_autofree char *family = clean (self ? str (xc->client, "legal_family") : str (xc->policy, "subscriber.family"), 60);
    g_autofree char *given = clean (self ? str (xc->client, "legal_given") : str (xc->policy, "subscriber.given"), 35);
    g_autofree char *member = clean (str (xc->policy, "member_id"), 80);

    segment (w, "NM1", "IL", "1", family, given, "", "", "", "MI", member, END);
    if (self)
      {
        g_autofree char *dob = d8 (str (xc->client, "date_of_birth"));

        write_address (w, xc->client);
        segment (w, "DMG", "D8", dob, "U", END);
      }
    else
      {
        g_autofree char *dob = d8 (str (xc->policy, "subscriber.date_of_birth"));
        int sex = (int) tend_record_get_int (TEND_RECORD (xc->policy), "subscriber.sex");

        segment (w, "DMG", "D8", dob, sex_codes[CLAMP (sex, 0, 2)], END);
      }
  }
  /* 2010BB payer */
  {
    g_autofree char *name = clean (str (xc->payer, "name"), 60);
    g_autofree char *code = clean (str (xc->payer, "payer_code"), 80);

    segment (w, "NM1", "PR", "2", name, "", "", "", "", "PI", code, END);
  }
  /* 2000C / 2010CA patient, when not the subscriber */
  if (!self)
    {
      g_autofree char *h = g_strdup_printf ("%u", ++(*hl));
      g_autofree char *p = g_strdup_printf ("%u", parent_hl);
      g_autofree char *family = clean (str (xc->client, "legal_family"), 60);
      g_autofree char *given = clean (str (xc->client, "legal_given"), 35);
      g_autofree char *dob = d8 (str (xc->client, "date_of_birth"));
      int rel = (int) tend_record_get_int (TEND_RECORD (xc->policy), "relationship");

      segment (w, "HL", h, p, "23", "0", END);
      segment (w, "PAT", relationship_codes[CLAMP (rel, 0, 3)], END);
      segment (w, "NM1", "QC", "1", family, given, END);
      write_address (w, xc->client);
      segment (w, "DMG", "D8", dob, "U", END);
    }

  /* 2300 claim */
  {
    g_autofree char *clm01 = clean (number, 38);
    const char *pos = str (g_ptr_array_index (xc->charges, 0), "place_of_service");
    g_autofree char *facility = g_strdup_printf ("%s%cB%c1", pos != NULL ? pos : "11", SUB, SUB);
    const char *hi[12] = { NULL, };
    char *hi_text[12] = { NULL, };

    total = amount (sum, exponent);
    segment (w, "CLM", clm01, total, "", "", facility, "Y", "A", "Y", "Y", END);
    for (guint i = 0; i < codes->len; i++)
      {
        g_autofree char *x = tend_icd10_code_for_x12 (g_ptr_array_index (codes, i));

        /* ABK: the principal diagnosis; ABF: the others. */
        hi_text[i] = g_strdup_printf ("%s%c%s", i == 0 ? "ABK" : "ABF", SUB, x);
        hi[i] = hi_text[i];
      }
    segment (w, "HI", hi[0], hi[1], hi[2], hi[3], hi[4], hi[5], hi[6], hi[7], hi[8], hi[9], hi[10], hi[11], END);
    for (guint i = 0; i < 12; i++)
      g_free (hi_text[i]);
  }
  /* 2310B rendering provider: the clinician, when they have an NPI. */
  if (xc->rendering != NULL && str (xc->rendering, "npi") != NULL)
    {
      g_autofree char *family = clean (str (xc->rendering, "family_name"), 60);
      g_autofree char *given = clean (str (xc->rendering, "given_name"), 35);

      segment (w, "NM1", "82", "1", family, given, "", "", "", "XX", str (xc->rendering, "npi"), END);
    }

  /* 2400 lines */
  for (guint i = 0; i < xc->charges->len; i++)
    {
      TendCharge *c = g_ptr_array_index (xc->charges, i);
      g_autofree char *lx = g_strdup_printf ("%u", i + 1);
      g_auto(GStrv) mods = g_strsplit (str (c, "modifiers") != NULL ? str (c, "modifiers") : "", " ", 4);
      g_auto(GStrv) dx = g_strsplit (str (c, "diagnoses"), " ", 4);
      GString *proc = g_string_new ("HC");
      GString *ptr = g_string_new (NULL);
      g_autofree char *proc_s = NULL;
      g_autofree char *ptr_s = NULL;
      g_autofree char *line_amount = amount (tend_charge_get_amount (c), exponent);
      g_autofree char *units = g_strdup_printf ("%" G_GINT64_FORMAT, tend_record_get_int (TEND_RECORD (c), "units"));
      g_autofree char *date = d8 (str (c, "service_date"));
      const char *line_pos = str (c, "place_of_service");
      const char *claim_pos = str (g_ptr_array_index (xc->charges, 0), "place_of_service");

      g_string_append_printf (proc, "%c%s", SUB, str (c, "service_code"));
      for (guint m = 0; mods[m] != NULL; m++)
        if (*mods[m] != '\0')
          g_string_append_printf (proc, "%c%s", SUB, mods[m]);
      for (guint k = 0; dx[k] != NULL; k++)
        for (guint j = 0; j < codes->len; j++)
          if (g_strcmp0 (g_ptr_array_index (codes, j), dx[k]) == 0)
            g_string_append_printf (ptr, "%s%u", ptr->len > 0 ? ":" : "", j + 1);
      proc_s = g_string_free (proc, FALSE);
      ptr_s = g_string_free (ptr, FALSE);

      segment (w, "LX", lx, END);
      /* SV105: the line's place of service only where it differs from the claim's. */
      segment (w, "SV1", proc_s, line_amount, "UN", units,
               g_strcmp0 (line_pos, claim_pos) != 0 ? line_pos : "", "", ptr_s, END);
      segment (w, "DTP", "472", "D8", date, END);
      segment (w, "REF", "6R", tend_record_get_id (TEND_RECORD (c)), END);
    }
  return TRUE;
}

/**
 * tend_x12_write_837p:
 *
 * Returns: (transfer full): the interchange, segments ending in "~" and a
 *   newline, or %NULL with @error naming what is missing and on which claim
 */
char *
tend_x12_write_837p (const TendX12Batch *batch,
                     GError            **error)
{
  TendBillingSettings *s = batch->settings;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *receiver = NULL;
  g_autofree char *isa13 = NULL;
  g_autofree char *gs06 = NULL;
  g_autofree char *yymmdd = NULL;
  g_autofree char *ccyymmdd = NULL;
  g_autofree char *hhmm = NULL;
  g_autofree char *practice = NULL;
  g_autofree char *tax_id = NULL;
  g_autofree char *receiver_name = NULL;
  const char *npi;
  Writer w = { out, 0 };
  guint hl = 1;

  g_return_val_if_fail (batch != NULL && batch->practice != NULL && batch->settings != NULL, NULL);
  g_return_val_if_fail (batch->created != NULL && batch->claims != NULL, NULL);

  npi = str (s, "billing_npi") != NULL ? str (s, "billing_npi") : str (batch->practice, "npi");
  tax_id = digits_only (str (s, "tax_id") != NULL ? str (s, "tax_id") : str (batch->practice, "tax_id"));
  if (npi == NULL)
    return missing (error, NULL, _("the practice has no billing NPI")), NULL;
  if (strlen (tax_id) != 9)
    return missing (error, NULL, _("the practice has no nine-digit tax ID")), NULL;
  if (str (batch->practice, "address.line1") == NULL || str (batch->practice, "address.postal_code") == NULL)
    return missing (error, NULL, _("the practice’s address is incomplete")), NULL;
  if (str (s, "submitter_id") == NULL || str (s, "receiver_id") == NULL)
    return missing (error, NULL, _("set the submitter and receiver IDs the clearinghouse gave you")), NULL;
  if (batch->interchange < 1 || batch->interchange > 999999999)
    return missing (error, NULL, _("the interchange control number is out of range")), NULL;
  if (batch->claims->len == 0)
    return missing (error, NULL, _("there are no claims")), NULL;

  at = g_date_time_to_utc (batch->created);
  yymmdd = g_date_time_format (at, "%y%m%d");
  ccyymmdd = g_date_time_format (at, "%Y%m%d");
  hhmm = g_date_time_format (at, "%H%M");
  sender = clean (str (s, "submitter_id"), 15);
  receiver = clean (str (s, "receiver_id"), 15);
  isa13 = g_strdup_printf ("%09" G_GINT64_FORMAT, batch->interchange);
  gs06 = g_strdup_printf ("%" G_GINT64_FORMAT, batch->interchange);
  practice = clean (tend_practice_get_name (batch->practice), 60);
  receiver_name = clean (str (s, "receiver_name") != NULL ? str (s, "receiver_name") : str (s, "receiver_id"), 60);

  /* ISA is fixed width: 106 characters with its terminator. */
  g_string_append_printf (out, "ISA*00*%-10s*00*%-10s*ZZ*%-15s*ZZ*%-15s*%s*%s*^*00501*%s*0*%s*%c%c\n",
                          "", "", sender, receiver, yymmdd, hhmm, isa13, batch->test ? "T" : "P", SUB, SEG);
  g_string_append_printf (out, "GS*HC*%s*%s*%s*%s*%s*X*005010X222A1%c\n", sender, receiver, ccyymmdd, hhmm, gs06, SEG);

  w.n_segments = 0;
  segment (&w, "ST", "837", "0001", "005010X222A1", END);
  segment (&w, "BHT", "0019", "00", isa13, ccyymmdd, hhmm, "CH", END);
  /* 1000A submitter, 1000B receiver */
  segment (&w, "NM1", "41", "2", practice, "", "", "", "", "46", sender, END);
  {
    g_autofree char *phone = digits_only (str (batch->practice, "phone"));

    if (*phone != '\0')
      segment (&w, "PER", "IC", practice, "TE", phone, END);
    else
      segment (&w, "PER", "IC", practice, "EM", str (batch->practice, "email") != NULL ? str (batch->practice, "email") : "", END);
  }
  segment (&w, "NM1", "40", "2", receiver_name, "", "", "", "", "46", receiver, END);
  /* 2000A / 2010AA billing provider */
  segment (&w, "HL", "1", "", "20", "1", END);
  if (str (s, "taxonomy") != NULL)
    {
      g_autofree char *taxonomy = clean (str (s, "taxonomy"), 50);
      segment (&w, "PRV", "BI", "PXC", taxonomy, END);
    }
  segment (&w, "NM1", "85", "2", practice, "", "", "", "", "XX", npi, END);
  write_address (&w, batch->practice);
  segment (&w, "REF", "EI", tax_id, END);

  for (guint i = 0; i < batch->claims->len; i++)
    if (!write_claim (&w, batch, g_ptr_array_index (batch->claims, i), &hl, error))
      return NULL;

  {
    g_autofree char *count = g_strdup_printf ("%u", w.n_segments + 1);
    segment (&w, "SE", count, "0001", END);
  }
  g_string_append_printf (out, "GE*1*%s%c\n", gs06, SEG);
  g_string_append_printf (out, "IEA*1*%s%c\n", isa13, SEG);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* 835 */

/**
 * tend_x12_parse_amount:
 *
 * Parses an X12 decimal ("150", "-87.5", ".25") into minor units, refusing
 * more decimals than the currency has and anything that is not a number.
 */
gboolean
tend_x12_parse_amount (const char *text,
                       guint       exponent,
                       gint64     *minor)
{
  gboolean neg = FALSE, dot = FALSE, any = FALSE;
  guint decimals = 0;
  gint64 v = 0;

  if (text == NULL || *text == '\0' || strlen (text) > 18)
    return FALSE;
  if (*text == '-')
    {
      neg = TRUE;
      text++;
    }
  for (const char *p = text; *p; p++)
    {
      if (*p == '.' && !dot)
        {
          dot = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (dot && ++decimals > exponent)
        return FALSE;
      v = v * 10 + (*p - '0');
      any = TRUE;
    }
  if (!any)
    return FALSE;
  for (; decimals < exponent; decimals++)
    v *= 10;
  *minor = neg ? -v : v;
  return TRUE;
}

typedef struct
{
  GPtrArray *segments;   /* GStrv: element 0 is the segment id */
  char       sub;
} Parsed;

static G_GNUC_PRINTF (3, 4) gpointer
parse_error (GError    **error,
             guint       segment_no,
             const char *format,
             ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (segment_no > 0)
    /* TRANSLATORS: "This is not a valid 835 file (segment 12): ..." */
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("This is not a valid 835 file (segment %u): %s"), segment_no, msg);
  else
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("This is not a valid 835 file: %s"), msg);
  return NULL;
}

static const char *
el (GStrv seg,
    guint i)
{
  return i < g_strv_length (seg) && seg[i][0] != '\0' ? seg[i] : NULL;
}

static gboolean
split_segments (const char *data,
                gsize       length,
                Parsed     *p,
                GError    **error)
{
  char ele, term;
  g_autofree char *text = NULL;
  g_auto(GStrv) raw = NULL;
  char sep[2];

  /* Skip a byte-order mark and leading white space. */
  while (length > 0 && (g_ascii_isspace (*data) || (guchar) *data >= 0x80))
    {
      data++;
      length--;
    }
  if (length < 106 || strncmp (data, "ISA", 3) != 0)
    return parse_error (error, 0, _("it does not start with an ISA segment")) != NULL;
  if (memchr (data, '\0', length) != NULL)
    return parse_error (error, 0, _("it holds binary data")) != NULL;
  ele = data[3];
  p->sub = data[104];
  term = data[105];
  if (g_ascii_isalnum (ele) || g_ascii_isalnum (term) || ele == term || p->sub == ele || p->sub == term)
    return parse_error (error, 1, _("its delimiters are not usable")) != NULL;
  text = g_strndup (data, length);
  sep[0] = term;
  sep[1] = '\0';
  raw = g_strsplit (text, sep, -1);
  p->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; raw[i] != NULL; i++)
    {
      char e[2] = { ele, '\0' };
      char *s = g_strstrip (raw[i]);

      if (*s == '\0')
        continue;
      g_ptr_array_add (p->segments, g_strsplit (s, e, 64));
    }
  return TRUE;
}

/**
 * tend_x12_parse_835:
 * @currency: the practice's currency (for the number of decimals)
 *
 * Reads one 835 interchange.  Checks the envelope (ISA/GS/ST ... SE/GE/IEA,
 * control numbers and the SE segment count) and that the claim payments add
 * up to the total paid (less provider-level adjustments); any fault gives
 * %TEND_ERROR_INVALID with where it is, and nothing.
 *
 * Returns: (transfer full): the remittance, or %NULL
 */
TendRemittance *
tend_x12_parse_835 (const char *data,
                    gsize       length,
                    const char *currency,
                    GError    **error)
{
  g_autoptr(TendRemittance) r = tend_remittance_new ();
  Parsed p = { NULL, ':' };
  guint exponent = tend_money_get_exponent (currency);
  g_autoptr(GPtrArray) segments = NULL;
  TendRemitClaim *claim = NULL;
  TendRemitService *service = NULL;
  const char *isa13 = NULL, *gs06 = NULL, *st02 = NULL;
  gboolean in_st = FALSE, seen_st = FALSE, seen_bpr = FALSE, seen_iea = FALSE;
  guint st_start = 0;
  gint64 claims_paid = 0;

  g_return_val_if_fail (data != NULL, NULL);
  if (!split_segments (data, length, &p, error))
    return NULL;
  segments = p.segments;

  for (guint i = 0; i < p.segments->len; i++)
    {
      GStrv seg = g_ptr_array_index (p.segments, i);
      const char *id = seg[0];
      guint n = i + 1;

      if (seen_iea)
        return parse_error (error, n, _("there is data after IEA"));
      if (strcmp (id, "ISA") == 0)
        {
          if (i != 0 || g_strv_length (seg) < 17)
            return parse_error (error, n, _("a misplaced or short ISA segment"));
          isa13 = seg[13];
        }
      else if (strcmp (id, "GS") == 0)
        {
          if (g_strcmp0 (el (seg, 1), "HP") != 0)
            return parse_error (error, n, _("the functional group is not a health care payment (HP)"));
          gs06 = el (seg, 6);
        }
      else if (strcmp (id, "ST") == 0)
        {
          if (seen_st)
            return parse_error (error, n, _("Tend reads one transaction per file"));
          if (g_strcmp0 (el (seg, 1), "835") != 0)
            return parse_error (error, n, _("the transaction is not an 835"));
          in_st = seen_st = TRUE;
          st_start = i;
          st02 = el (seg, 2);
        }
      else if (!in_st && strcmp (id, "GE") != 0 && strcmp (id, "IEA") != 0)
        return parse_error (error, n, _("segment %s outside the transaction"), id);
      else if (strcmp (id, "BPR") == 0)
        {
          const char *date = el (seg, 16);

          if (!tend_x12_parse_amount (el (seg, 2), exponent, &r->total_paid))
            return parse_error (error, n, _("the total paid is not an amount"));
          if (date != NULL)
            {
              if (strlen (date) != 8)
                return parse_error (error, n, _("the payment date is not CCYYMMDD"));
              g_free (r->paid_on);
              r->paid_on = g_strdup_printf ("%.4s-%.2s-%.2s", date, date + 4, date + 6);
              if (!tend_date_parse (r->paid_on, &(GDate) { 0 }, NULL))
                return parse_error (error, n, _("the payment date is not a real date"));
            }
          seen_bpr = TRUE;
        }
      else if (strcmp (id, "TRN") == 0)
        {
          g_free (r->trace_number);
          r->trace_number = g_strdup (el (seg, 2));
        }
      else if (strcmp (id, "N1") == 0 && g_strcmp0 (el (seg, 1), "PR") == 0)
        {
          g_free (r->payer_name);
          r->payer_name = g_strdup (el (seg, 2));
          if (el (seg, 4) != NULL)
            {
              g_free (r->payer_code);
              r->payer_code = g_strdup (el (seg, 4));
            }
        }
      else if (strcmp (id, "CLP") == 0)
        {
          if (!seen_bpr)
            return parse_error (error, n, _("a claim before the BPR segment"));
          if (el (seg, 1) == NULL || el (seg, 2) == NULL)
            return parse_error (error, n, _("a claim payment without its claim number or status"));
          claim = tend_remit_claim_new ();
          g_ptr_array_add (r->claims, claim);
          service = NULL;
          claim->control_number = g_strdup (el (seg, 1));
          claim->status_code = atoi (el (seg, 2));
          if (!tend_x12_parse_amount (el (seg, 3), exponent, &claim->charged) ||
              !tend_x12_parse_amount (el (seg, 4), exponent, &claim->paid) ||
              (el (seg, 5) != NULL && !tend_x12_parse_amount (el (seg, 5), exponent, &claim->patient_responsibility)))
            return parse_error (error, n, _("a claim amount is not an amount"));
          claim->payer_claim_number = g_strdup (el (seg, 7));
          claims_paid += claim->paid;
        }
      else if (strcmp (id, "SVC") == 0)
        {
          char sub[2] = { p.sub, '\0' };
          g_auto(GStrv) proc = NULL;
          GString *mods = g_string_new (NULL);

          if (claim == NULL)
            {
              g_string_free (mods, TRUE);
              return parse_error (error, n, _("a service line outside a claim"));
            }
          if (el (seg, 1) == NULL)
            {
              g_string_free (mods, TRUE);
              return parse_error (error, n, _("a service line without its procedure"));
            }
          proc = g_strsplit (el (seg, 1), sub, 8);
          service = tend_remit_service_new ();
          g_ptr_array_add (claim->services, service);
          service->procedure = g_strdup (proc[1] != NULL ? proc[1] : proc[0]);
          for (guint k = 2; proc[1] != NULL && proc[k] != NULL; k++)
            g_string_append_printf (mods, "%s%s", mods->len > 0 ? " " : "", proc[k]);
          service->modifiers = mods->len > 0 ? g_string_free (mods, FALSE) : (g_string_free (mods, TRUE), NULL);
          if (!tend_x12_parse_amount (el (seg, 2), exponent, &service->charged) ||
              !tend_x12_parse_amount (el (seg, 3), exponent, &service->paid))
            return parse_error (error, n, _("a service line amount is not an amount"));
          if (el (seg, 5) != NULL)
            {
              gint64 units;

              if (!tend_x12_parse_amount (el (seg, 5), 0, &units) || units < 0 || units > 999)
                return parse_error (error, n, _("the units are not a whole number"));
              service->units = units;
            }
        }
      else if (strcmp (id, "CAS") == 0)
        {
          GPtrArray *into = service != NULL ? service->adjustments : claim != NULL ? claim->adjustments : NULL;
          const char *group = el (seg, 1);

          if (into == NULL)
            return parse_error (error, n, _("an adjustment outside a claim"));
          if (group == NULL || strlen (group) != 2)
            return parse_error (error, n, _("an adjustment without its group code"));
          for (guint k = 2; k + 1 < g_strv_length (seg) && k <= 17; k += 3)
            {
              gint64 amt;

              if (el (seg, k) == NULL && el (seg, k + 1) == NULL)
                continue;
              if (!tend_carc_is_valid (el (seg, k)) || !tend_x12_parse_amount (el (seg, k + 1), exponent, &amt))
                return parse_error (error, n, _("an adjustment without a valid reason and amount"));
              g_ptr_array_add (into, tend_remit_adjustment_new (group, el (seg, k), amt));
            }
        }
      else if (strcmp (id, "DTM") == 0 && service != NULL && g_strcmp0 (el (seg, 1), "472") == 0)
        {
          const char *date = el (seg, 2);

          if (date == NULL || strlen (date) != 8)
            return parse_error (error, n, _("a service date is not CCYYMMDD"));
          g_free (service->service_date);
          service->service_date = g_strdup_printf ("%.4s-%.2s-%.2s", date, date + 4, date + 6);
        }
      else if (strcmp (id, "REF") == 0 && service != NULL && g_strcmp0 (el (seg, 1), "6R") == 0)
        {
          g_free (service->line_control);
          service->line_control = g_strdup (el (seg, 2));
        }
      else if (strcmp (id, "LX") == 0)
        {
          service = NULL;
        }
      else if (strcmp (id, "PLB") == 0)
        {
          /* PLB03-04, 05-06...: reason composite and amount pairs. */
          for (guint k = 3; el (seg, k) != NULL; k += 2)
            {
              gint64 amt;

              if (!tend_x12_parse_amount (el (seg, k + 1), exponent, &amt))
                return parse_error (error, n, _("a provider adjustment amount is not an amount"));
              r->provider_adjustments += amt;
            }
        }
      else if (strcmp (id, "SE") == 0)
        {
          gint64 count;

          if (!tend_x12_parse_amount (el (seg, 1), 0, &count) || count != (gint64) (i - st_start + 1))
            return parse_error (error, n, _("the transaction’s segment count (SE) is wrong"));
          if (g_strcmp0 (el (seg, 2), st02) != 0)
            return parse_error (error, n, _("SE and ST control numbers differ"));
          in_st = FALSE;
          claim = NULL;
          service = NULL;
        }
      else if (strcmp (id, "GE") == 0)
        {
          if (in_st || g_strcmp0 (el (seg, 2), gs06) != 0)
            return parse_error (error, n, _("GE does not close its GS"));
        }
      else if (strcmp (id, "IEA") == 0)
        {
          if (in_st || isa13 == NULL || g_strcmp0 (el (seg, 2), isa13) != 0)
            return parse_error (error, n, _("IEA does not close its ISA"));
          seen_iea = TRUE;
        }
    }

  if (!seen_st || !seen_bpr)
    return parse_error (error, 0, _("it has no payment (ST 835 with BPR)"));
  if (!seen_iea || in_st)
    return parse_error (error, 0, _("it ends early (no SE or IEA): the file may be cut short"));
  if (claims_paid - r->provider_adjustments != r->total_paid)
    return parse_error (error, 0, _("the claim payments do not add up to the total paid"));
  for (guint i = 0; i < r->claims->len; i++)
    {
      TendRemitClaim *c = g_ptr_array_index (r->claims, i);
      gint64 lines = 0;

      for (guint k = 0; k < c->services->len; k++)
        lines += ((TendRemitService *) g_ptr_array_index (c->services, k))->paid;
      if (c->services->len > 0 && lines != c->paid)
        return parse_error (error, 0, _("claim %s: its lines do not add up to its payment"), c->control_number);
    }
  return g_steal_pointer (&r);
}
