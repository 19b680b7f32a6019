/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-x12.c: the 837P writer checked structurally and byte for byte, and the
 * 835 reader on well-formed, partial and malformed files */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "billing-fixture.h"

/* The test's own reader: segments split on "~", elements on "*". */
static GPtrArray *
segments_of (const char *text)
{
  g_auto(GStrv) raw = g_strsplit (text, "~", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; raw[i] != NULL; i++)
    {
      char *s = g_strstrip (raw[i]);
      if (*s != '\0')
        g_ptr_array_add (out, g_strsplit (s, "*", -1));
    }
  return out;
}

static const char *
e (GStrv  seg,
   guint  i)
{
  return i < g_strv_length (seg) ? seg[i] : "";
}

static gboolean
is (GStrv       seg,
    const char *id)
{
  return strcmp (seg[0], id) == 0;
}

/* Maximum lengths of 005010X222A1 elements this writer fills. */
static const struct { const char *seg; guint el; guint max; } limits[] = {
  { "NM1", 3, 60 }, { "NM1", 4, 35 }, { "NM1", 9, 80 }, { "N3", 1, 55 }, { "N3", 2, 55 },
  { "N4", 1, 30 }, { "N4", 2, 2 }, { "N4", 3, 15 }, { "REF", 2, 50 }, { "CLM", 1, 38 },
  { "CLM", 2, 18 }, { "SV1", 2, 18 }, { "SV1", 4, 15 }, { "SBR", 3, 50 }, { "PER", 2, 60 },
  { "PER", 4, 256 }, { "BHT", 3, 50 }, { "DTP", 3, 35 }, { "HI", 1, 30 }, { "PRV", 3, 50 },
  { "GS", 2, 15 }, { "GS", 3, 15 }, { "GS", 6, 9 },
};

/* Envelope, control numbers, segment count, loop order, required elements
 * and element lengths.  Returns the number of claims seen. */
static guint
check_837p (const char *text)
{
  g_autoptr(GPtrArray) segs = segments_of (text);
  guint n = segs->len, st = 0, claims = 0, lines = 0;
  const char *isa13, *gs06;
  int last_hl_level = 0;
  gboolean in_claim = FALSE;

  /* ISA: fixed width, 106 with the terminator. */
  g_assert_cmpuint (strchr (text, '~') - text + 1, ==, 106);
  g_assert_cmpuint (n, >=, 10);
  g_assert_true (is (segs->pdata[0], "ISA"));
  g_assert_cmpuint (g_strv_length (segs->pdata[0]), ==, 17);
  g_assert_cmpstr (e (segs->pdata[0], 12), ==, "00501");
  g_assert_cmpuint (strlen (e (segs->pdata[0], 6)), ==, 15);
  g_assert_cmpuint (strlen (e (segs->pdata[0], 8)), ==, 15);
  isa13 = e (segs->pdata[0], 13);
  g_assert_cmpuint (strlen (isa13), ==, 9);
  g_assert_true (is (segs->pdata[1], "GS"));
  g_assert_cmpstr (e (segs->pdata[1], 1), ==, "HC");
  g_assert_cmpstr (e (segs->pdata[1], 8), ==, "005010X222A1");
  gs06 = e (segs->pdata[1], 6);
  g_assert_cmpint (g_ascii_strtoll (gs06, NULL, 10), ==, g_ascii_strtoll (isa13, NULL, 10));
  g_assert_true (is (segs->pdata[2], "ST"));
  g_assert_cmpstr (e (segs->pdata[2], 1), ==, "837");
  g_assert_cmpstr (e (segs->pdata[2], 3), ==, "005010X222A1");
  g_assert_true (is (segs->pdata[3], "BHT"));
  g_assert_cmpstr (e (segs->pdata[3], 1), ==, "0019");
  g_assert_cmpstr (e (segs->pdata[3], 6), ==, "CH");
  /* 1000A, 1000B, then 2000A. */
  g_assert_true (is (segs->pdata[4], "NM1") && strcmp (e (segs->pdata[4], 1), "41") == 0);
  g_assert_true (is (segs->pdata[5], "PER"));
  g_assert_true (is (segs->pdata[6], "NM1") && strcmp (e (segs->pdata[6], 1), "40") == 0);
  st = 2;
  g_assert_true (is (segs->pdata[n - 3], "SE"));
  g_assert_cmpint (g_ascii_strtoll (e (segs->pdata[n - 3], 1), NULL, 10), ==, (gint64) (n - 3 - st + 1));
  g_assert_cmpstr (e (segs->pdata[n - 3], 2), ==, e (segs->pdata[st], 2));
  g_assert_true (is (segs->pdata[n - 2], "GE"));
  g_assert_cmpstr (e (segs->pdata[n - 2], 1), ==, "1");
  g_assert_cmpstr (e (segs->pdata[n - 2], 2), ==, gs06);
  g_assert_true (is (segs->pdata[n - 1], "IEA"));
  g_assert_cmpstr (e (segs->pdata[n - 1], 1), ==, "1");
  g_assert_cmpstr (e (segs->pdata[n - 1], 2), ==, isa13);

  for (guint i = 0; i < n; i++)
    {
      GStrv seg = segs->pdata[i];

      for (guint k = 0; seg[k] != NULL; k++)
        {
          /* No delimiter or non-ASCII inside an element. */
          for (const char *p = seg[k]; *p; p++)
            g_assert_true ((guchar) *p >= 0x20 && (guchar) *p < 0x7f && *p != '~');
          for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
            if (is (seg, limits[l].seg) && k == limits[l].el && strlen (seg[k]) > limits[l].max)
              g_error ("%s%02u is %zu characters, over %u", seg[0], k, strlen (seg[k]), limits[l].max);
        }
      if (g_strv_length (seg) > 1)
        g_assert_cmpstr (seg[g_strv_length (seg) - 1], !=, "");   /* no trailing empty element */

      if (is (seg, "HL"))
        {
          int level = atoi (e (seg, 3));

          /* 20, then 22 (subscriber) possibly followed by 23 (patient). */
          if (level == 20)
            g_assert_cmpint (last_hl_level, ==, 0);
          else if (level == 22)
            g_assert_cmpint (last_hl_level, >=, 20);
          else
            g_assert_cmpint (level, ==, 23);
          if (level == 23)
            g_assert_cmpint (last_hl_level, ==, 22);
          g_assert_cmpint (atoi (e (seg, 1)), >, 0);
          if (level == 22)
            {
              /* SBR, NM1*IL ... NM1*PR follow. */
              g_assert_true (is (segs->pdata[i + 1], "SBR"));
              g_assert_cmpuint (strlen (e (segs->pdata[i + 1], 9)), ==, 2);
              g_assert_true (is (segs->pdata[i + 2], "NM1") && strcmp (e (segs->pdata[i + 2], 1), "IL") == 0);
              g_assert_cmpstr (e (segs->pdata[i + 2], 8), ==, "MI");
            }
          if (level == 23)
            g_assert_true (is (segs->pdata[i + 1], "PAT"));
          last_hl_level = level;
          in_claim = FALSE;
        }
      else if (is (seg, "NM1") && strcmp (e (seg, 1), "85") == 0)
        {
          g_assert_cmpstr (e (seg, 8), ==, "XX");
          g_assert_cmpuint (strlen (e (seg, 9)), ==, 10);
        }
      else if (is (seg, "CLM"))
        {
          g_auto(GStrv) facility = g_strsplit (e (seg, 5), ":", -1);

          g_assert_cmpint (last_hl_level, >=, 22);
          g_assert_cmpstr (e (seg, 1), !=, "");
          g_assert_cmpstr (e (seg, 2), !=, "");
          g_assert_cmpuint (g_strv_length (facility), ==, 3);
          g_assert_cmpstr (facility[1], ==, "B");
          g_assert_true (is (segs->pdata[i + 1], "HI"));
          g_assert_true (g_str_has_prefix (e (segs->pdata[i + 1], 1), "ABK:"));
          claims++;
          in_claim = TRUE;
        }
      else if (is (seg, "LX"))
        {
          g_assert_true (in_claim);
          g_assert_true (is (segs->pdata[i + 1], "SV1"));
          g_assert_true (g_str_has_prefix (e (segs->pdata[i + 1], 1), "HC:"));
          g_assert_cmpstr (e (segs->pdata[i + 1], 3), ==, "UN");
          g_assert_cmpstr (e (segs->pdata[i + 1], 7), !=, "");
          g_assert_true (is (segs->pdata[i + 2], "DTP"));
          g_assert_cmpstr (e (segs->pdata[i + 2], 1), ==, "472");
          g_assert_cmpuint (strlen (e (segs->pdata[i + 2], 3)), ==, 8);
          lines++;
        }
    }
  g_assert_cmpuint (lines, >=, claims);
  return claims;
}

static void
test_837p_structure (void)
{
  TendX12Batch *batch = fx_batch ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = tend_x12_write_837p (batch, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (check_837p (text), ==, 2);
  /* The claim total is the exact sum of its lines: 150 + 150 + 25.50. */
  g_assert_nonnull (strstr (text, "CLM*TC00000001*325.5***11:B:1*Y*A*Y*Y~"));
  /* Diagnosis pointers follow the claim's HI order. */
  g_assert_nonnull (strstr (text, "HI*ABK:F411*ABF:F329~"));
  g_assert_nonnull (strstr (text, "SV1*HC:90834:95*150*UN*1*02**1:2~"));
  g_assert_nonnull (strstr (text, "SV1*HC:90785*25.5*UN*1*02**2~"));
  /* A dependent: subscriber loop without the patient's data, then 2000C. */
  g_assert_nonnull (strstr (text, "HL*3*1*22*1~\nSBR*P********CI~\nNM1*IL*1*RAMIREZ*ANA****MI*XK987654321~"));
  g_assert_nonnull (strstr (text, "HL*4*3*23*0~\nPAT*19~\nNM1*QC*1*RAMIREZ-O'NEIL*THEO~\nN3*77 FORE ST, APT 2~\nN4*PORTLAND*ME*04101~"));
  fx_batch_free (batch);
}

static void
test_837p_byte_stable (void)
{
  TendX12Batch *batch = fx_batch ();
  g_autofree char *a = tend_x12_write_837p (batch, NULL);
  g_autofree char *b = tend_x12_write_837p (batch, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "batch.837", NULL);
  g_autofree char *golden = NULL;

  g_assert_cmpstr (a, ==, b);
  if (g_getenv ("TEND_TEST_WRITE_837") != NULL)
    g_assert_true (g_file_set_contents (g_getenv ("TEND_TEST_WRITE_837"), a, -1, NULL));
  g_assert_true (g_file_get_contents (path, &golden, NULL, NULL));
  g_assert_cmpstr (a, ==, golden);
  fx_batch_free (batch);
}

static void
test_837p_refuses_incomplete (void)
{
  TendX12Batch *batch = fx_batch ();
  TendX12Claim *xc = g_ptr_array_index (batch->claims, 1);
  g_autoptr(GError) error = NULL;
  char *text;

  tend_record_set_string (TEND_RECORD (xc->client), "date_of_birth", NULL);
  text = tend_x12_write_837p (batch, &error);
  g_assert_null (text);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "TC00000002"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (xc->client), "date_of_birth", "2014-02-03");

  tend_record_set_string (TEND_RECORD (xc->client), "address.postal_code", NULL);
  g_assert_null (tend_x12_write_837p (batch, &error));
  g_assert_nonnull (strstr (error->message, "address"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (xc->client), "address.postal_code", "04101");

  tend_record_set_string (g_ptr_array_index (xc->charges, 0), "diagnoses", NULL);
  g_assert_null (tend_x12_write_837p (batch, &error));
  g_assert_nonnull (strstr (error->message, "diagnosis"));
  g_clear_error (&error);
  tend_record_set_string (g_ptr_array_index (xc->charges, 0), "diagnoses", "F90.0");

  tend_record_set_string (TEND_RECORD (batch->settings), "billing_npi", NULL);
  g_assert_null (tend_x12_write_837p (batch, &error));
  g_assert_nonnull (strstr (error->message, "NPI"));
  g_clear_error (&error);
  fx_batch_free (batch);
}

static void
test_837p_thousand_claims (void)
{
  TendX12Batch *batch = fx_batch ();
  g_autofree char *text = NULL;

  for (guint i = 2; i < 1000; i++)
    {
      TendX12Claim *xc = i % 2 ? fx_claim_child () : fx_claim_self ();
      g_autofree char *number = g_strdup_printf ("TC%08u", i + 1);

      tend_record_set_string (TEND_RECORD (xc->claim), "control_number", number);
      g_ptr_array_add (batch->claims, xc);
    }
  text = tend_x12_write_837p (batch, NULL);
  g_assert_cmpuint (check_837p (text), ==, 1000);
  fx_batch_free (batch);
}

static char *
load_835 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "remit.835", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_835_parse (void)
{
  g_autofree char *text = load_835 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRemittance) r = tend_x12_parse_835 (text, strlen (text), "USD", &error);
  TendRemitClaim *c;
  TendRemitService *s;

  g_assert_no_error (error);
  g_assert_cmpint (r->total_paid, ==, 38950);
  g_assert_cmpstr (r->trace_number, ==, "EFT0042");
  g_assert_cmpstr (r->paid_on, ==, "2026-04-15");
  g_assert_cmpstr (r->payer_name, ==, "BLUE HARBOR HEALTH");
  g_assert_cmpuint (r->claims->len, ==, 3);
  c = g_ptr_array_index (r->claims, 0);
  g_assert_cmpstr (c->control_number, ==, "TC00000001");
  g_assert_cmpint (c->charged, ==, 32550);
  g_assert_cmpint (c->paid, ==, 21950);
  g_assert_cmpint (c->patient_responsibility, ==, 2000);
  g_assert_cmpstr (c->payer_claim_number, ==, "PCN-1001");
  g_assert_cmpuint (c->services->len, ==, 3);
  s = g_ptr_array_index (c->services, 1);
  g_assert_cmpstr (s->procedure, ==, "90834");
  g_assert_cmpstr (s->modifiers, ==, "95");
  g_assert_cmpint (s->paid, ==, 10000);
  g_assert_cmpstr (s->service_date, ==, "2026-03-10");
  g_assert_cmpstr (s->line_control, ==, "c1000000-0000-4000-8000-000000000002");
  s = g_ptr_array_index (c->services, 0);
  g_assert_cmpuint (s->adjustments->len, ==, 2);
  g_assert_cmpstr (((TendRemitAdjustment *) g_ptr_array_index (s->adjustments, 1))->group, ==, "PR");
  g_assert_cmpint (((TendRemitAdjustment *) g_ptr_array_index (s->adjustments, 1))->amount, ==, 2000);
  s = g_ptr_array_index (c->services, 2);
  g_assert_null (s->line_control);
  g_assert_cmpint (s->paid, ==, 1950);
  c = g_ptr_array_index (r->claims, 2);
  g_assert_cmpuint (c->services->len, ==, 0);
  g_assert_cmpuint (c->adjustments->len, ==, 1);
}

static void
assert_refused (const char *text,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRemittance) r = tend_x12_parse_835 (text, strlen (text), "USD", &error);

  g_assert_null (r);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, 2);

  g_assert_nonnull (parts[1]);
  return g_strconcat (parts[0], to, parts[1], NULL);
}

static void
test_835_malformed (void)
{
  g_autofree char *text = load_835 ();
  g_autofree char *bad_count = replace (text, "SE*32*", "SE*31*");
  g_autofree char *bad_total = replace (text, "BPR*I*389.5*", "BPR*I*389.6*");
  g_autofree char *bad_amount = replace (text, "SVC*HC:90791*220*170**1", "SVC*HC:90791*220*1x0**1");
  g_autofree char *bad_cents = replace (text, "*19.5**1", "*19.505**1");
  g_autofree char *bad_iea = replace (text, "IEA*1*000000777", "IEA*1*000000778");
  g_autofree char *lines_off = replace (text, "SVC*HC:90834*150*100**1~\nDTM*472*20260303",
                                        "SVC*HC:90834*150*90**1~\nDTM*472*20260303");
  g_autofree char *not_835 = replace (text, "ST*835*", "ST*837*");
  g_autofree char *truncated = g_strndup (text, strstr (text, "SE*32") - text);

  assert_refused ("", "ISA");
  assert_refused ("hello, world", "ISA");
  assert_refused (bad_count, "segment count");
  assert_refused (bad_total, "add up");
  assert_refused (bad_amount, "amount");
  assert_refused (bad_cents, "amount");
  assert_refused (bad_iea, "IEA");
  assert_refused (lines_off, "lines do not add up");
  assert_refused (not_835, "835");
  assert_refused (truncated, "ends early");
}

/* Every cut and a byte changed at many offsets: an error or a remittance,
 * never a crash (the fuzz target goes further). */
static void
test_835_mutations (void)
{
  g_autofree char *text = load_835 ();
  gsize n = strlen (text);
  guint step = g_test_thorough () ? 1 : 7;

  for (gsize cut = 0; cut < n; cut += step)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TendRemittance) r = tend_x12_parse_835 (text, cut, "USD", &error);

      g_assert_true ((r == NULL) != (error == NULL));
    }
  for (gsize at = 0; at < n; at += step)
    {
      static const char junk[] = { '*', '~', ':', '9', '-', '.', 'Z', '\0', '\n' };
      g_autofree char *copy = g_strdup (text);
      g_autoptr(GError) error = NULL;
      g_autoptr(TendRemittance) r = NULL;

      copy[at] = junk[at % G_N_ELEMENTS (junk)];
      r = tend_x12_parse_835 (copy, n, "USD", &error);
      g_assert_true ((r == NULL) != (error == NULL));
    }
}

static void
test_parse_amount (void)
{
  gint64 v = 0;

  g_assert_true (tend_x12_parse_amount ("150", 2, &v));
  g_assert_cmpint (v, ==, 15000);
  g_assert_true (tend_x12_parse_amount ("-87.5", 2, &v));
  g_assert_cmpint (v, ==, -8750);
  g_assert_true (tend_x12_parse_amount (".25", 2, &v));
  g_assert_cmpint (v, ==, 25);
  g_assert_true (tend_x12_parse_amount ("1200", 0, &v));
  g_assert_cmpint (v, ==, 1200);
  g_assert_false (tend_x12_parse_amount ("1.005", 2, &v));
  g_assert_false (tend_x12_parse_amount ("1,00", 2, &v));
  g_assert_false (tend_x12_parse_amount ("-", 2, &v));
  g_assert_false (tend_x12_parse_amount (".", 2, &v));
  g_assert_false (tend_x12_parse_amount ("1.2.3", 2, &v));
  g_assert_false (tend_x12_parse_amount ("99999999999999999999", 2, &v));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/x12/837p/structure", test_837p_structure);
  g_test_add_func ("/x12/837p/byte-stable", test_837p_byte_stable);
  g_test_add_func ("/x12/837p/refuses-incomplete", test_837p_refuses_incomplete);
  g_test_add_func ("/x12/837p/thousand-claims", test_837p_thousand_claims);
  g_test_add_func ("/x12/835/parse", test_835_parse);
  g_test_add_func ("/x12/835/malformed", test_835_malformed);
  g_test_add_func ("/x12/835/mutations", test_835_mutations);
  g_test_add_func ("/x12/amount", test_parse_amount);
  return g_test_run ();
}
