/* tend-chart-pdf.c: the chart export, written with cairo and pango
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * US Letter, flowing text broken between pages line by line, a running head
 * (practice, client, "Confidential") and page numbers.  Everything in the
 * bundle is printed as stored: signed notes with their signer, time and
 * content hash, so the paper copy can be checked against the record.
 */
#define G_LOG_DOMAIN "tend-reports"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "tend-chart-pdf.h"

#define PAGE_WIDTH   612.0   /* US Letter, in points */
#define PAGE_HEIGHT  792.0
#define MARGIN        54.0
#define HEAD_SPACE    28.0

typedef struct
{
  cairo_surface_t      *surface;
  cairo_t              *cr;
  PangoFontDescription *body;
  PangoFontDescription *small;
  PangoFontDescription *h1;
  PangoFontDescription *h2;
  PangoFontDescription *h3;
  char                 *running_head;
  double                y;
  int                   page;
  GTimeZone            *zone;         /* the practice's, or this computer's */
} Writer;

static void
draw_page_furniture (Writer *w)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (w->cr);
  g_autofree char *page = g_strdup_printf (_("Page %d"), w->page);
  int width, height;

  cairo_save (w->cr);
  cairo_set_source_rgb (w->cr, 0.35, 0.35, 0.35);
  pango_layout_set_font_description (layout, w->small);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, w->running_head, -1);
  cairo_move_to (w->cr, MARGIN, MARGIN - HEAD_SPACE);
  pango_cairo_show_layout (w->cr, layout);

  cairo_set_line_width (w->cr, 0.5);
  cairo_move_to (w->cr, MARGIN, MARGIN - 8);
  cairo_line_to (w->cr, PAGE_WIDTH - MARGIN, MARGIN - 8);
  cairo_stroke (w->cr);

  pango_layout_set_text (layout, page, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (w->cr, PAGE_WIDTH - MARGIN - width, PAGE_HEIGHT - MARGIN + 12);
  pango_layout_set_width (layout, -1);
  pango_cairo_show_layout (w->cr, layout);
  cairo_restore (w->cr);
}

static void
new_page (Writer *w)
{
  if (w->page > 0)
    cairo_show_page (w->cr);
  w->page++;
  w->y = MARGIN;
  draw_page_furniture (w);
}

/* Writes @text (plain, not markup) at @indent, breaking between pages
 * between lines.  @space_before is skipped at the top of a page. */
static void
write_text (Writer                     *w,
            const char                 *text,
            const PangoFontDescription *font,
            double                      indent,
            double                      space_before)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoLayoutIter *iter;

  if (text == NULL || *text == '\0')
    return;
  if (w->y > MARGIN)
    w->y += space_before;
  layout = pango_cairo_create_layout (w->cr);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN - indent) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      double line_height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      line_height = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      if (w->y + line_height > PAGE_HEIGHT - MARGIN)
        new_page (w);
      cairo_move_to (w->cr, MARGIN + indent + (double) logical.x / PANGO_SCALE, w->y + baseline);
      pango_cairo_show_layout_line (w->cr, pango_layout_iter_get_line_readonly (iter));
      w->y += line_height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* A heading is never left alone at the bottom of a page. */
static void
write_heading (Writer                     *w,
               const char                 *text,
               const PangoFontDescription *font,
               double                      space_before)
{
  if (w->y + space_before + 60 > PAGE_HEIGHT - MARGIN)
    new_page (w);
  write_text (w, text, font, 0, space_before);
  w->y += 2;
}

static void
write_rule (Writer *w)
{
  w->y += 6;
  cairo_save (w->cr);
  cairo_set_source_rgb (w->cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (w->cr, 0.5);
  cairo_move_to (w->cr, MARGIN, w->y);
  cairo_line_to (w->cr, PAGE_WIDTH - MARGIN, w->y);
  cairo_stroke (w->cr);
  cairo_restore (w->cr);
  w->y += 4;
}

static char *
format_date (const char *iso_date)
{
  GDate d;

  if (iso_date == NULL)
    return g_strdup ("—");
  if (!tend_date_parse (iso_date, &d, NULL))
    return g_strdup (iso_date);
  return tend_date_format_local (&d);
}

/* An instant, in the practice's zone. */
static char *
format_time (Writer     *w,
             const char *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  if (dt == NULL)
    return g_strdup ("—");
  return tend_time_format_local (dt, w->zone);
}

/* "Label: value" lines, skipping empty values. */
static void
write_field (Writer     *w,
             const char *label,
             const char *value)
{
  g_autofree char *line = NULL;

  if (value == NULL || *value == '\0')
    return;
  /* TRANSLATORS: a field in the exported chart, "Date of birth: 4/17/1990" */
  line = g_strdup_printf (_("%s: %s"), label, value);
  write_text (w, line, w->body, 0, 1);
}

static void
write_client (Writer          *w,
              TendChartBundle *bundle)
{
  TendRecord *c = TEND_RECORD (bundle->client);
  g_autofree char *name = g_strdup_printf ("%s %s", tend_client_get_legal_given (bundle->client),
                                           tend_client_get_legal_family (bundle->client));
  g_autofree char *dob = tend_client_get_date_of_birth (bundle->client) != NULL
                         ? format_date (tend_client_get_date_of_birth (bundle->client)) : NULL;
  g_autofree char *range = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *from = bundle->from != NULL ? format_date (bundle->from) : NULL;
  g_autofree char *to = bundle->to != NULL ? format_date (bundle->to) : NULL;
  g_autofree char *address = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  write_text (w, _("Clinical record"), w->h1, 0, 0);
  w->y += 4;
  write_field (w, _("Client"), name);
  write_field (w, _("Preferred name"), tend_client_get_preferred_name (bundle->client));
  write_field (w, _("Pronouns"), tend_client_get_pronouns (bundle->client));
  write_field (w, _("Date of birth"), dob);
  write_field (w, _("Record number"), tend_client_get_record_number (bundle->client));
  address = g_strjoin (", ", tend_record_get_string (c, "address.line1") ? tend_record_get_string (c, "address.line1") : "",
                       tend_record_get_string (c, "address.city") ? tend_record_get_string (c, "address.city") : "",
                       tend_record_get_string (c, "address.region") ? tend_record_get_string (c, "address.region") : "",
                       NULL);
  if (g_strcmp0 (address, ", , ") != 0)
    write_field (w, _("Address"), address);
  write_field (w, _("Phone"), tend_client_get_phone (bundle->client));
  write_field (w, _("Email"), tend_client_get_email (bundle->client));
  write_field (w, _("Primary clinician"),
               tend_client_get_primary_clinician (bundle->client) != NULL
               ? tend_chart_bundle_name_of (bundle, tend_client_get_primary_clinician (bundle->client)) : NULL);
  /* The client's policies (the one record of their insurance). */
  for (guint i = 0; i < bundle->policies->len; i++)
    {
      TendRecord *policy = g_ptr_array_index (bundle->policies, i);
      const char *payer = g_hash_table_lookup (bundle->payer_names, tend_record_get_string (policy, "payer_id") ?: "");
      const char *priority = tend_record_get_string (policy, "priority");
      const char *group = tend_record_get_string (policy, "group_number");
      const char *until = tend_record_get_string (policy, "effective_to");
      g_autofree char *until_text = until != NULL ? format_date (until) : NULL;
      GString *value = g_string_new (payer != NULL ? payer : "—");

      /* TRANSLATORS: after the payer's name in the exported chart */
      g_string_append_printf (value, _(", member %s"), tend_record_get_string (policy, "member_id"));
      if (group != NULL)
        /* TRANSLATORS: after the member ID in the exported chart */
        g_string_append_printf (value, _(", group %s"), group);
      if (until_text != NULL)
        /* TRANSLATORS: when a policy's coverage ends, in the exported chart */
        g_string_append_printf (value, _(", until %s"), until_text);
      write_field (w, g_strcmp0 (priority, "secondary") == 0 ? _("Secondary insurance")
                      : g_strcmp0 (priority, "tertiary") == 0 ? _("Tertiary insurance") : _("Primary insurance"),
                   value->str);
      g_string_free (value, TRUE);
    }

  if (from != NULL || to != NULL)
    /* TRANSLATORS: the span of an exported chart, "Notes and measures from 1/5/2026 to 3/2/2026" */
    range = g_strdup_printf (_("Notes and measures from %s to %s"), from != NULL ? from : _("the first record"),
                             to != NULL ? to : _("today"));
  else
    range = g_strdup (_("The whole record"));
  write_text (w, range, w->body, 0, 8);
  generated = tend_time_format_local (bundle->generated_at, local);
  write_field (w, _("Exported"), generated);
}

static void
write_diagnoses (Writer          *w,
                 TendChartBundle *bundle)
{
  write_heading (w, _("Diagnoses"), w->h2, 16);
  if (bundle->diagnoses->len == 0)
    write_text (w, _("None recorded."), w->body, 0, 2);
  for (guint i = 0; i < bundle->diagnoses->len; i++)
    {
      TendDiagnosis *dx = g_ptr_array_index (bundle->diagnoses, i);
      g_autofree char *onset = format_date (tend_diagnosis_get_onset (dx));
      g_autofree char *resolved = tend_diagnosis_get_resolved (dx) != NULL ? format_date (tend_diagnosis_get_resolved (dx)) : NULL;
      g_autofree char *line = NULL;
      const char *rank = tend_diagnosis_get_rank (dx) == TEND_DIAGNOSIS_PRIMARY ? _("primary") : _("secondary");

      if (resolved != NULL)
        /* TRANSLATORS: code, description, rank, onset, resolved */
        line = g_strdup_printf (_("%s %s (%s; onset %s; resolved %s)"), tend_diagnosis_get_code (dx),
                                tend_diagnosis_get_description (dx), rank, onset, resolved);
      else
        /* TRANSLATORS: code, description, rank, onset */
        line = g_strdup_printf (_("%s %s (%s; onset %s)"), tend_diagnosis_get_code (dx),
                                tend_diagnosis_get_description (dx), rank, onset);
      write_text (w, line, w->body, 0, 2);
    }
}

static void
write_signature (Writer          *w,
                 TendChartBundle *bundle,
                 TendRecord      *record,
                 double           indent)
{
  g_autofree char *at = NULL;
  g_autofree char *line = NULL;
  const char *hash = tend_record_get_string (record, "content_sha256");

  if (g_strcmp0 (tend_record_get_string (record, "status"), "signed") != 0)
    {
      write_text (w, _("Unsigned draft"), w->small, indent, 3);
      return;
    }
  at = format_time (w, tend_record_get_string (record, "signed_at"));
  /* TRANSLATORS: signer, time, SHA-256 of the content */
  line = g_strdup_printf (_("Signed by %s on %s · SHA-256 %s"),
                          tend_chart_bundle_name_of (bundle, tend_record_get_string (record, "signed_by")), at, hash);
  write_text (w, line, w->small, indent, 3);
  if (tend_record_find_field (record, "cosigned_by") != NULL &&
      tend_record_get_string (record, "cosigned_by") != NULL)
    {
      g_autofree char *cat = format_time (w, tend_record_get_string (record, "cosigned_at"));
      g_autofree char *cline = g_strdup_printf (_("Co-signed by %s on %s"),
                                                tend_chart_bundle_name_of (bundle, tend_record_get_string (record, "cosigned_by")),
                                                cat);
      write_text (w, cline, w->small, indent, 1);
    }
}

static void
write_plans (Writer          *w,
             TendChartBundle *bundle)
{
  if (bundle->plans->len == 0)
    return;
  write_heading (w, _("Treatment plans"), w->h2, 16);
  for (guint i = 0; i < bundle->plans->len; i++)
    {
      TendTreatmentPlan *plan = g_ptr_array_index (bundle->plans, i);
      g_autofree char *text = tend_treatment_plan_dup_plain_text (plan);
      g_autofree char *review = format_date (tend_treatment_plan_get_review_date (plan));

      write_field (w, _("Review date"), review);
      write_text (w, text, w->body, 0, 2);
      write_signature (w, bundle, TEND_RECORD (plan), 0);
    }
}

/* The current safety plan, as the client reads it. */
static void
write_safety_plan (Writer          *w,
                   TendChartBundle *bundle)
{
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;

  if (bundle->safety_plan == NULL)
    return;
  write_heading (w, _("Safety plan"), w->h2, 16);
  date = format_date (tend_record_get_string (TEND_RECORD (bundle->safety_plan), "plan_date"));
  write_field (w, _("Date"), date);
  write_field (w, _("Made with"),
               tend_chart_bundle_name_of (bundle, tend_record_get_string (TEND_RECORD (bundle->safety_plan), "author_id")));
  text = tend_safety_plan_dup_plain_text (bundle->safety_plan);
  write_text (w, text, w->body, 0, 2);
}

/* The conversations with the client, when the export asked for them: each
 * message with its time, who wrote it, and what the record keeps of edits,
 * withdrawals and attachments. */
static void
write_messages (Writer          *w,
                TendChartBundle *bundle)
{
  g_autofree char *client = NULL;

  if (bundle->conversations->len == 0)
    return;
  client = tend_client_dup_display_name (bundle->client);
  write_heading (w, _("Messages with the client"), w->h2, 16);
  for (guint i = 0; i < bundle->conversations->len; i++)
    {
      TendConversation *c = g_ptr_array_index (bundle->conversations, i);
      GPtrArray *messages = g_hash_table_lookup (bundle->messages, tend_record_get_id (TEND_RECORD (c)));

      write_text (w, tend_conversation_get_subject (c) != NULL ? tend_conversation_get_subject (c)
                                                              : _("Conversation"), w->h3, 0, 1);
      for (guint k = 0; messages != NULL && k < messages->len; k++)
        {
          TendMessage *m = g_ptr_array_index (messages, k);
          g_autofree char *at = format_time (w, tend_message_get_sent_at (m));
          const char *who = tend_message_is_from_client (m) ? client
                            : tend_chart_bundle_name_of (bundle, tend_message_get_author_id (m));
          g_autoptr(GPtrArray) files = tend_message_dup_attachments (m);
          g_autofree char *head = NULL;

          /* TRANSLATORS: a message in the exported chart: its time and its author */
          head = g_strdup_printf (_("%s · %s"), at, who);
          if (tend_message_is_withdrawn (m))
            {
              g_autofree char *old = head;

              /* TRANSLATORS: after a message's time and author */
              head = g_strdup_printf (_("%s · withdrawn by its author"), old);
            }
          else if (tend_message_is_edited (m))
            {
              g_autofree char *old = head;

              /* TRANSLATORS: after a message's time and author */
              head = g_strdup_printf (_("%s · edited"), old);
            }
          write_text (w, head, w->small, 0, 0);
          write_text (w, tend_message_get_text (m) != NULL ? tend_message_get_text (m) : "", w->body, 10, 1);
          for (guint a = 0; files != NULL && a < files->len; a++)
            {
              TendAttachment *file = g_ptr_array_index (files, a);
              /* TRANSLATORS: a file attached to a message, in the exported chart */
              g_autofree char *line = g_strdup_printf (_("Attachment: %s"), file->name != NULL ? file->name : "—");

              write_text (w, line, w->small, 10, 1);
            }
        }
    }
}

static void
write_measures (Writer          *w,
                TendChartBundle *bundle)
{
  if (bundle->measures->len == 0)
    return;
  write_heading (w, _("Measures"), w->h2, 16);
  for (guint i = 0; i < bundle->measures->len; i++)
    {
      TendMeasure *m = g_ptr_array_index (bundle->measures, i);
      g_autofree char *date = format_date (tend_measure_get_date (m));
      TendInstrument inst = tend_measure_get_instrument (m);
      g_autofree char *line = NULL;
      g_autofree char *result = tend_measure_dup_result (m);

      /* TRANSLATORS: date, measure, score, maximum, severity or screen result */
      line = g_strdup_printf (_("%s  %s: %u of %u, %s"), date, tend_instrument_get_title (inst),
                              tend_measure_get_score (m), tend_instrument_get_max_score (inst), result);
      if (tend_measure_has_risk (m))
        {
          g_autofree char *flagged = g_strdup_printf (_("%s — item 9 positive"), line);
          write_text (w, flagged, w->body, 0, 1);
        }
      else
        write_text (w, line, w->body, 0, 1);
    }
}

/* What the signature covers, all of it: the risk assessment and MSE too,
 * and a practice template's sections as the note keeps them; in a note of
 * a group session (@group), the other members as "group member" unless
 * the client may hear their name. */
static void
write_note_body (Writer           *w,
                 TendClinicalNote *note,
                 TendGroupNote    *group,
                 double            indent)
{
  g_autoptr(GPtrArray) parts = tend_clinical_note_dup_parts (note);

  for (guint i = 0; i < parts->len; i++)
    {
      TendNotePart *part = g_ptr_array_index (parts, i);
      g_autofree char *text = group != NULL ? tend_group_note_redact (group, part->text) : g_strdup (part->text);

      if (part->heading != NULL)
        write_text (w, part->heading, w->h3, indent, 5);
      write_text (w, text, w->body, indent, 1);
    }
}

static gboolean
write_notes (Writer           *w,
             TendChartBundle  *bundle,
             GCancellable     *cancellable,
             TendProgressFunc  progress,
             gpointer          progress_data,
             GError          **error)
{
  write_heading (w, _("Notes"), w->h2, 16);
  if (bundle->notes->len == 0)
    write_text (w, _("None in this period."), w->body, 0, 2);
  for (guint i = 0; i < bundle->notes->len; i++)
    {
      TendClinicalNote *note = g_ptr_array_index (bundle->notes, i);
      TendRecord *r = TEND_RECORD (note);
      g_autofree char *date = format_date (tend_clinical_note_get_service_date (note));
      g_autofree char *title = NULL;
      g_autofree char *meta = NULL;
      g_autofree char *kind = tend_clinical_note_dup_template_name (note);
      GPtrArray *addenda;
      TendGroupNote *group = g_hash_table_lookup (bundle->group_notes, tend_record_get_id (r));
      gint64 minutes = tend_record_get_int (r, "duration_minutes");
      const char *modality = tend_clinical_note_get_modality_label (note);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* TRANSLATORS: date, then the kind of note: "3/2/2026 — SOAP note" */
      title = g_strdup_printf (_("%s — %s"), date, kind);
      write_rule (w);
      write_heading (w, title, w->h3, 6);
      if (minutes > 0)
        /* TRANSLATORS: author, minutes, modality, service code */
        meta = g_strdup_printf (_("%s · %d min · %s · %s"),
                                tend_chart_bundle_name_of (bundle, tend_clinical_note_get_author_id (note)),
                                (int) minutes, modality,
                                tend_record_get_string (r, "service_code") ? tend_record_get_string (r, "service_code") : "—");
      else
        meta = g_strdup_printf ("%s · %s", tend_chart_bundle_name_of (bundle, tend_clinical_note_get_author_id (note)),
                                modality);
      if (tend_record_get_string (r, "place_of_service") != NULL)
        {
          /* TRANSLATORS: place of service, a two-digit code */
          g_autofree char *with_pos = g_strdup_printf (_("%s · POS %s"), meta, tend_record_get_string (r, "place_of_service"));

          g_free (meta);
          meta = g_steal_pointer (&with_pos);
        }
      write_text (w, meta, w->small, 0, 1);
      if (tend_record_get_string (r, "participants") != NULL)
        {
          /* TRANSLATORS: who took part in the session */
          g_autofree char *said = group != NULL ? tend_group_note_redact (group, tend_record_get_string (r, "participants"))
                                                : g_strdup (tend_record_get_string (r, "participants"));
          g_autofree char *who = g_strdup_printf (_("Participants: %s"), said);

          write_text (w, who, w->small, 0, 1);
        }
      write_note_body (w, note, group, 0);
      write_signature (w, bundle, r, 0);

      addenda = g_hash_table_lookup (bundle->addenda, tend_record_get_id (r));
      for (guint k = 0; addenda != NULL && k < addenda->len; k++)
        {
          TendClinicalNote *add = g_ptr_array_index (addenda, k);
          g_autofree char *signed_at = format_time (w, tend_clinical_note_get_signed_at (add));
          g_autofree char *head = g_strdup_printf (_("Addendum, %s"), signed_at);

          write_text (w, head, w->h3, 18, 6);
          write_note_body (w, add, group, 18);
          write_signature (w, bundle, TEND_RECORD (add), 18);
        }
      if (progress != NULL)
        progress ((double) (i + 1) / bundle->notes->len, progress_data);
    }
  return TRUE;
}

static void
writer_clear (Writer *w)
{
  g_clear_pointer (&w->cr, cairo_destroy);
  g_clear_pointer (&w->surface, cairo_surface_destroy);
  g_clear_pointer (&w->body, pango_font_description_free);
  g_clear_pointer (&w->small, pango_font_description_free);
  g_clear_pointer (&w->h1, pango_font_description_free);
  g_clear_pointer (&w->h2, pango_font_description_free);
  g_clear_pointer (&w->h3, pango_font_description_free);
  g_clear_pointer (&w->running_head, g_free);
  g_clear_pointer (&w->zone, g_time_zone_unref);
}

/**
 * tend_chart_pdf_write:
 * @path: where to write; the file is created readable by its owner only,
 *   and removed again if writing fails or is cancelled
 * @progress: (nullable) (scope call): told how far the notes are
 *
 * Blocking: run it in a thread (the GUI does, with a GTask).
 */
gboolean
tend_chart_pdf_write (TendChartBundle  *bundle,
                      const char       *path,
                      GCancellable     *cancellable,
                      TendProgressFunc  progress,
                      gpointer          progress_data,
                      GError          **error)
{
  Writer w = { 0 };
  g_autofree char *client_name = NULL;
  cairo_status_t status;
  gboolean ok;
  int fd;

  g_return_val_if_fail (bundle != NULL && bundle->client != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Health data: owner-only from the first byte. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);

  w.zone = bundle->zone != NULL ? g_time_zone_ref (bundle->zone) : g_time_zone_new_local ();
  w.surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_TITLE, _("Clinical record"));
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_CREATOR, "Tend " PACKAGE_VERSION);
  w.cr = cairo_create (w.surface);
  w.body = pango_font_description_from_string ("DejaVu Sans 9.5");
  w.small = pango_font_description_from_string ("DejaVu Sans 7.5");
  w.h1 = pango_font_description_from_string ("DejaVu Sans Bold 16");
  w.h2 = pango_font_description_from_string ("DejaVu Sans Bold 12.5");
  w.h3 = pango_font_description_from_string ("DejaVu Sans Bold 10");
  client_name = tend_client_dup_display_name (bundle->client);
  /* TRANSLATORS: the running head of each page: practice, client */
  w.running_head = g_strdup_printf (_("%s · %s · Confidential health record"),
                                    bundle->practice_name != NULL ? bundle->practice_name : "Tend", client_name);

  new_page (&w);
  write_client (&w, bundle);
  write_diagnoses (&w, bundle);
  write_plans (&w, bundle);
  write_safety_plan (&w, bundle);
  write_messages (&w, bundle);
  write_measures (&w, bundle);
  ok = write_notes (&w, bundle, cancellable, progress, progress_data, error);

  cairo_show_page (w.cr);
  cairo_surface_finish (w.surface);
  status = cairo_surface_status (w.surface);
  writer_clear (&w);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s: %s"), path,
                   cairo_status_to_string (status));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (path);
  return ok;
}

