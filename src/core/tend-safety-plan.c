/* tend-safety-plan.c: a client's safety plan (the Stanley-Brown structure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Safety Planning Intervention (Stanley and Brown): the client's own
 * warning signs, what they can do alone to cope, people and places that
 * take their mind off things, people they can ask for help, professionals
 * and agencies to contact, and how to make their surroundings safe, with
 * their reasons for living.  Each step is a list, kept as text with one item
 * per line, in the client's own words.  A plan is a living document: it is
 * revised (each save is a version, kept by the store's history), not
 * signed; the newest by date is the client's current plan.  When
 * shared_with_client is set, the client portal shows it to the client.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-error.h"
#include "tend-record-policy.h"
#include "tend-safety-plan.h"

struct _TendSafetyPlan
{
  TendRecord parent_instance;

  char    *client_id;
  char    *author_id;
  char    *plan_date;
  char    *warning_signs;
  char    *coping_strategies;
  char    *distractions;
  char    *help_contacts;
  char    *professionals;
  char    *means_safety;
  char    *reasons_for_living;
  char    *crisis_line;
  gboolean shared_with_client;
};

G_DEFINE_FINAL_TYPE (TendSafetyPlan, tend_safety_plan, TEND_TYPE_RECORD)

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendSafetyPlan, member), len, NULL, 0, 0 }

static const TendField safety_plan_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("author_id", N_("Author"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, author_id, 36),
  F ("plan_date", N_("Date"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, plan_date, 10),
  F ("warning_signs", N_("Warning signs"), TEND_FIELD_TEXT, 0, warning_signs, 4000),
  F ("coping_strategies", N_("Coping strategies"), TEND_FIELD_TEXT, 0, coping_strategies, 4000),
  F ("distractions", N_("People and places that distract"), TEND_FIELD_TEXT, 0, distractions, 4000),
  F ("help_contacts", N_("People to ask for help"), TEND_FIELD_TEXT, 0, help_contacts, 4000),
  F ("professionals", N_("Professionals and agencies"), TEND_FIELD_TEXT, 0, professionals, 4000),
  F ("means_safety", N_("Making the environment safe"), TEND_FIELD_TEXT, 0, means_safety, 4000),
  F ("reasons_for_living", N_("Reasons for living"), TEND_FIELD_TEXT, 0, reasons_for_living, 4000),
  F ("crisis_line", N_("Crisis line"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, crisis_line, 200),
  { "shared_with_client", N_("Shared with the client"), TEND_FIELD_BOOL, 0,
    G_STRUCT_OFFSET (TendSafetyPlan, shared_with_client), 0, NULL, 0, 0 },
};

#undef F

static const TendSafetyPlanStep steps[TEND_SAFETY_PLAN_N_STEPS] = {
  { "warning_signs", N_("1. Warning Signs"),
    N_("Thoughts, images, moods, situations or behaviors that a crisis may be developing") },
  { "coping_strategies", N_("2. Internal Coping Strategies"),
    N_("Things I can do to take my mind off my problems without contacting another person") },
  { "distractions", N_("3. People and Social Settings That Provide Distraction"),
    N_("Names and phone numbers, and places I can go") },
  { "help_contacts", N_("4. People I Can Ask for Help"),
    N_("Names and phone numbers") },
  { "professionals", N_("5. Professionals or Agencies I Can Contact During a Crisis"),
    N_("Clinicians, urgent care and emergency services, with phone numbers") },
  { "means_safety", N_("6. Making the Environment Safe"),
    N_("Steps to limit access to lethal means") },
  { "reasons_for_living", N_("The One Thing Most Important to Me"),
    N_("My reasons for living") },
};

const TendSafetyPlanStep *
tend_safety_plan_get_steps (void)
{
  return steps;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* A plan a client can act on in a crisis: their warning signs, and someone
 * to reach (besides the crisis line, which every plan has). */
static gboolean
tend_safety_plan_validate (TendRecord *record,
                           GError    **error)
{
  TendSafetyPlan *self = TEND_SAFETY_PLAN (record);

  if (is_blank (self->warning_signs))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Warning signs: a safety plan starts with the client’s own warning signs"));
      return FALSE;
    }
  if (is_blank (self->help_contacts) && is_blank (self->professionals))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("People to ask for help: name at least one person or professional to contact"));
      return FALSE;
    }
  return TRUE;
}

/* The portal: a client reads their plan once the clinician shares it, and
 * never writes it (it is made with them, in session). */
static gboolean
safety_plan_client_owns (TendPolicyActor *actor,
                         TendRecord      *record,
                         GError         **error)
{
  return TEND_SAFETY_PLAN (record)->shared_with_client && tend_policy_client_owns_member (actor, record, error);
}

static const char * const safety_plan_client_keep[] = {
  "plan_date", "warning_signs", "coping_strategies", "distractions", "help_contacts", "professionals",
  "means_safety", "reasons_for_living", "crisis_line", NULL
};

static const TendClientAccess safety_plan_client_access = {
  .owns = safety_plan_client_owns,
  .keep = safety_plan_client_keep,
};

/* Clinical, audited when viewed; written by those who write clinical
 * records (the clinician, the supervisor, an owner). */
static const TendRecordPolicy safety_plan_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .chart_client = "client_id",
  .client = &safety_plan_client_access,
};

static void
tend_safety_plan_class_init (TendSafetyPlanClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "safety_plan", safety_plan_fields, G_N_ELEMENTS (safety_plan_fields));
  tend_record_class_set_policy (record_class, &safety_plan_policy);
  record_class->validate = tend_safety_plan_validate;
}

static void
tend_safety_plan_init (TendSafetyPlan *self)
{
}

/**
 * tend_safety_plan_new:
 * @plan_date: YYYY-MM-DD, in the practice's zone
 *
 * A plan whose crisis line is the US 988 Suicide & Crisis Lifeline until the
 * clinician changes it.
 */
TendSafetyPlan *
tend_safety_plan_new (const char *client_id,
                      const char *author_id,
                      const char *plan_date)
{
  TendSafetyPlan *self = TEND_SAFETY_PLAN (tend_record_new (TEND_TYPE_SAFETY_PLAN));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "author_id", author_id);
  tend_record_set_string (TEND_RECORD (self), "plan_date", plan_date);
  tend_record_set_string (TEND_RECORD (self), "crisis_line", _("988 Suicide & Crisis Lifeline: call or text 988"));
  return self;
}

const char *
tend_safety_plan_get_client_id (TendSafetyPlan *self)
{
  g_return_val_if_fail (TEND_IS_SAFETY_PLAN (self), NULL);
  return self->client_id;
}

/**
 * tend_safety_plan_dup_items:
 * @step: a step's key ("warning_signs")
 *
 * Returns: (transfer full): the step's items, blank lines left out
 */
char **
tend_safety_plan_dup_items (TendSafetyPlan *self,
                            const char     *step)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (TEND_IS_SAFETY_PLAN (self), NULL);
  lines = g_strsplit (tend_record_get_string (TEND_RECORD (self), step) ?: "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (out, lines[i]);
    }
  return g_strv_builder_end (out);
}

/**
 * tend_safety_plan_dup_plain_text:
 *
 * The plan as the client reads it: each step's heading and its items,
 * then the crisis line (for the chart, the PDF and the portal).
 */
char *
tend_safety_plan_dup_plain_text (TendSafetyPlan *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TEND_IS_SAFETY_PLAN (self), NULL);
  for (guint i = 0; i < TEND_SAFETY_PLAN_N_STEPS; i++)
    {
      g_auto(GStrv) items = tend_safety_plan_dup_items (self, steps[i].key);

      g_string_append_printf (out, "%s\n", _(steps[i].title));
      if (items[0] == NULL)
        g_string_append_printf (out, "  %s\n", _("(none yet)"));
      for (guint j = 0; items[j] != NULL; j++)
        g_string_append_printf (out, "  • %s\n", items[j]);
      g_string_append_c (out, '\n');
    }
  /* TRANSLATORS: the crisis line at the end of a safety plan */
  g_string_append_printf (out, _("In an emergency: %s"), self->crisis_line != NULL ? self->crisis_line : "");
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
