/* tend-server-portal-strings.c: the client portal's words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every word the portal's page shows is here, in English, marked for
 * gettext: xgettext finds them (po/POTFILES.in), translators translate them
 * in po/LANG.po with the rest of Tend.  GET /portal/i18n.js is made from this
 * table: window.TEND_STRINGS = {"en": {KEY: TEXT, …}, "es": {…}} (each
 * language's text from its catalogue, tend-server-catalog.c) and
 * window.TEND_LANG, the language the request's Accept-Language prefers
 * among those; portal.js takes the person's own choice (the switcher,
 * kept in the browser) before it.  {name} in a text is filled in by the
 * page.  The context is "portal" (the page's words are not the app's,
 * whose same English may be translated otherwise), and "portal
 * appointment status" for an appointment's status ("Completed").
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tend-server-catalog.h"
#include "tend-server-portal.h"

typedef struct
{
  const char *key;
  const char *text;
} PortalString;

static const PortalString strings[] = {
  { "title", NC_("portal", "Client portal") },
  { "skip", NC_("portal", "Skip to content") },
  { "language", NC_("portal", "Language") },
  { "nav.appointments", NC_("portal", "Appointments") },
  { "nav.messages", NC_("portal", "Messages") },
  { "nav.new", NC_("portal", "new") },
  { "nav.forms", NC_("portal", "Forms") },
  { "nav.documents", NC_("portal", "Documents") },
  { "nav.account", NC_("portal", "Account") },
  { "signin.title", NC_("portal", "Sign in") },
  { "signin.intro", NC_("portal", "Enter your e-mail address. We will send you a code to sign in.") },
  { "signin.email", NC_("portal", "E-mail address") },
  { "signin.send", NC_("portal", "Send me a code") },
  { "signin.sent", NC_("portal", "If this address is registered with the practice, a code is on its way. It expires in 10 minutes.") },
  { "signin.code", NC_("portal", "Six-digit code") },
  { "signin.verify", NC_("portal", "Sign in") },
  { "signin.again", NC_("portal", "Use another address") },
  { "signin.bad-email", NC_("portal", "Enter an e-mail address, like name@example.com.") },
  { "signin.bad-code", NC_("portal", "That code is not right, has expired or was used. Check it, or ask for a new one.") },
  { "signin.locked", NC_("portal", "Too many wrong codes. Ask for a new code.") },
  { "signin.link-bad", NC_("portal", "This sign-in link has expired or was used already. Ask for a code instead.") },
  { "signin.slow-down", NC_("portal", "Too many attempts. Wait a few minutes and try again.") },
  { "appointments.title", NC_("portal", "Appointments") },
  { "appointments.none", NC_("portal", "You have no upcoming appointments.") },
  { "appointments.with", NC_("portal", "With {name}") },
  { "appointments.video", NC_("portal", "Video session") },
  { "appointments.join", NC_("portal", "Join video") },
  { "appointments.join-not_started", NC_("portal", "Your clinician has not started the video session yet. Try again in a moment.") },
  { "appointments.join-not_open", NC_("portal", "The video session opens ten minutes before the appointment.") },
  { "appointments.join-ended", NC_("portal", "This video session is over.") },
  { "appointments.confirm", NC_("portal", "Confirm") },
  { "appointments.cancel", NC_("portal", "Cancel appointment") },
  { "appointments.confirmed", NC_("portal", "Appointment confirmed.") },
  { "appointments.cancelled", NC_("portal", "Appointment cancelled.") },
  { "appointments.cancel-title", NC_("portal", "Cancel this appointment?") },
  { "appointments.cancel-free", NC_("portal", "There is no fee: it is more than {hours} hours away.") },
  { "appointments.cancel-late", NC_("portal", "This is less than {hours} hours before the appointment: the practice charges a late-cancellation fee of {fee}.") },
  { "appointments.cancel-late-nofee", NC_("portal", "This is less than {hours} hours before the appointment: it counts as a late cancellation.") },
  { "appointments.reason", NC_("portal", "Reason (optional)") },
  { "appointments.cancel-yes", NC_("portal", "Yes, cancel it") },
  { "appointments.cancel-no", NC_("portal", "Keep the appointment") },
  { "appointments.move", NC_("portal", "Ask for another time") },
  { "appointments.move-title", NC_("portal", "Ask for another time") },
  { "appointments.move-choose", NC_("portal", "Times the practice offers") },
  { "appointments.move-send", NC_("portal", "Send the request") },
  { "appointments.move-close", NC_("portal", "Close") },
  { "appointments.move-pick", NC_("portal", "Choose a time first.") },
  { "appointments.move-sent", NC_("portal", "Request sent. The practice will confirm the new time; until then your appointment stays as it is.") },
  { "appointments.no-slots", NC_("portal", "No other times are free in the next two weeks. Send the practice a message instead.") },
  { "status.scheduled", NC_("portal appointment status", "Scheduled") },
  { "status.confirmed", NC_("portal appointment status", "Confirmed") },
  { "status.arrived", NC_("portal appointment status", "Arrived") },
  { "status.completed", NC_("portal appointment status", "Completed") },
  { "status.no_show", NC_("portal appointment status", "Missed") },
  { "status.cancelled", NC_("portal appointment status", "Cancelled") },
  { "status.late_cancelled", NC_("portal appointment status", "Cancelled late") },
  { "messages.title", NC_("portal", "Messages") },
  { "messages.emergency", NC_("portal", "Not for emergencies: call 988 or 911.") },
  { "messages.none", NC_("portal", "The practice has not started a conversation with you yet.") },
  { "messages.untitled", NC_("portal", "Conversation with the practice") },
  { "messages.write", NC_("portal", "Your message") },
  { "messages.send", NC_("portal", "Send") },
  { "messages.sent", NC_("portal", "Message sent.") },
  { "messages.you", NC_("portal", "You") },
  { "messages.practice", NC_("portal", "The practice") },
  { "messages.withdrawn", NC_("portal", "This message was withdrawn.") },
  { "messages.empty", NC_("portal", "Write a message first.") },
  { "messages.none-start", NC_("portal", "You have no conversations with the practice yet.") },
  { "messages.new", NC_("portal", "Write to the practice") },
  { "messages.new-title", NC_("portal", "New conversation") },
  { "messages.subject", NC_("portal", "Subject (optional)") },
  { "messages.new-text", NC_("portal", "Message") },
  { "messages.start", NC_("portal", "Send to the practice") },
  { "messages.cancel", NC_("portal", "Cancel") },
  { "messages.started", NC_("portal", "Message sent. The practice will answer here.") },
  { "messages.start-off", NC_("portal", "The practice does not take new conversations here. Answer one the practice started, or call the practice.") },
  { "forms.title", NC_("portal", "Forms") },
  { "forms.none", NC_("portal", "There are no forms for you.") },
  { "forms.open", NC_("portal", "Open") },
  { "forms.waiting", NC_("portal", "Waiting for you") },
  { "forms.done", NC_("portal", "Completed") },
  { "forms.sign-intro", NC_("portal", "Read the text. To sign, type your full name and select Sign.") },
  { "forms.name", NC_("portal", "Your full name") },
  { "forms.agree", NC_("portal", "I have read this and agree") },
  { "forms.sign", NC_("portal", "Sign") },
  { "forms.signed", NC_("portal", "Signed. Thank you.") },
  { "forms.signed-as", NC_("portal", "Signed as {name}") },
  { "forms.submit", NC_("portal", "Send answers") },
  { "forms.answered", NC_("portal", "Answers sent. Thank you.") },
  { "forms.answer-all", NC_("portal", "Answer every question first.") },
  { "forms.need-name", NC_("portal", "Type your name and tick the box to sign.") },
  { "forms.back", NC_("portal", "Back to forms") },
  { "forms.plan-intro", NC_("portal", "This is your treatment plan as your clinician signed it. If you agree with it, type your full name and select Sign.") },
  { "forms.plan-agree", NC_("portal", "I have read my treatment plan and agree with it") },
  { "forms.plan-label", NC_("portal", "Treatment plan to sign") },
  { "forms.plan-changed", NC_("portal", "Your clinician changed this treatment plan after asking you to sign it. Ask them for the new one.") },
  { "intake.intro", NC_("portal", "Fill in what is new or has changed. The practice checks it before it goes into your record.") },
  { "intake.contact", NC_("portal", "How to reach you") },
  { "intake.emergency", NC_("portal", "Emergency contact") },
  { "intake.insurance", NC_("portal", "Insurance") },
  { "intake.preferred_name", NC_("portal", "Name you go by") },
  { "intake.pronouns", NC_("portal", "Pronouns") },
  { "intake.email", NC_("portal", "E-mail address") },
  { "intake.phone_mobile", NC_("portal", "Mobile phone") },
  { "intake.phone_home", NC_("portal", "Home phone") },
  { "intake.address.line1", NC_("portal", "Street address") },
  { "intake.address.line2", NC_("portal", "Apartment, suite or unit") },
  { "intake.address.city", NC_("portal", "City") },
  { "intake.address.region", NC_("portal", "State or region") },
  { "intake.address.postal_code", NC_("portal", "ZIP or postal code") },
  { "intake.emergency_contact.name", NC_("portal", "Their name") },
  { "intake.emergency_contact.relationship", NC_("portal", "How they are related to you") },
  { "intake.emergency_contact.phone", NC_("portal", "Their phone") },
  { "intake.insurance.payer", NC_("portal", "Insurance company") },
  { "intake.insurance.member_number", NC_("portal", "Member ID") },
  { "intake.insurance.group_number", NC_("portal", "Group number") },
  { "intake.insurance.subscriber", NC_("portal", "Policyholder’s name") },
  { "intake.insurance.subscriber_relationship", NC_("portal", "Your relationship to the policyholder") },
  { "intake.submit", NC_("portal", "Send details") },
  { "intake.sent", NC_("portal", "Details sent. The practice will check them. Thank you.") },
  { "intake.empty", NC_("portal", "Fill in at least one detail first.") },
  { "documents.title", NC_("portal", "Documents") },
  { "documents.none", NC_("portal", "The practice has not shared any documents with you.") },
  { "documents.download", NC_("portal", "Download {title}") },
  { "documents.statement", NC_("portal", "Statement {number}") },
  { "documents.superbill", NC_("portal", "Superbill {number}") },
  { "documents.shared", NC_("portal", "Shared on {date}") },
  { "safety.title", NC_("portal", "Your Safety Plan") },
  { "safety.made", NC_("portal", "Made with your clinician on {date}") },
  { "safety.warning_signs", NC_("portal", "1. Warning signs") },
  { "safety.coping_strategies", NC_("portal", "2. Things I can do on my own") },
  { "safety.distractions", NC_("portal", "3. People and places that take my mind off things") },
  { "safety.help_contacts", NC_("portal", "4. People I can ask for help") },
  { "safety.professionals", NC_("portal", "5. Professionals and agencies I can contact in a crisis") },
  { "safety.means_safety", NC_("portal", "6. Making my surroundings safe") },
  { "safety.reasons_for_living", NC_("portal", "The one thing most important to me") },
  { "safety.none", NC_("portal", "Nothing written yet.") },
  { "safety.emergency", NC_("portal", "In an emergency: {line}") },
  { "account.title", NC_("portal", "Account") },
  { "account.signed-in-as", NC_("portal", "Signed in as") },
  { "account.signout", NC_("portal", "Sign out") },
  { "acting.for", NC_("portal", "Acting for {client}.") },
  { "acting.as", NC_("portal", "You are signed in as {guardian}, {relationship}.") },
  { "acting.legal_guardian", NC_("portal", "legal guardian") },
  { "acting.parent", NC_("portal", "parent and legal guardian") },
  { "account.signout-all", NC_("portal", "Sign out on every device") },
  { "error.network", NC_("portal", "The portal cannot be reached. Check your connection and try again.") },
  { "error.generic", NC_("portal", "Something went wrong. Try again.") },
  { "error.session", NC_("portal", "Your session has ended. Sign in again.") },
  { "error.conflict", NC_("portal", "The practice changed this a moment ago. The page has been refreshed.") },
};

static const char * const languages[] = { "en", "es" };

static const char *
context_of (const char *key)
{
  return g_str_has_prefix (key, "status.") ? "portal appointment status" : "portal";
}

/* The catalogue of each language but English, read once (NULL: none;
 * the words stay English). */
static TendCatalog *
catalog_for (guint language)
{
  static TendCatalog *catalogs[G_N_ELEMENTS (languages)];
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      const char *localedir = g_getenv ("TEND_LOCALEDIR") != NULL ? g_getenv ("TEND_LOCALEDIR") : LOCALEDIR;

      for (guint i = 1; i < G_N_ELEMENTS (languages); i++)
        {
          g_autofree char *path = g_build_filename (localedir, languages[i], "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
          g_autoptr(GError) error = NULL;

          catalogs[i] = tend_catalog_load (path, &error);
          if (catalogs[i] == NULL)
            g_warning ("The portal's words stay English for “%s”: %s", languages[i], error->message);
        }
      g_once_init_leave (&loaded, 1);
    }
  return catalogs[language];
}

/* The language @accept_language (an Accept-Language header) prefers among
 * the portal's; English when it names none of them. */
static const char *
preferred_language (const char *accept_language)
{
  GSList *list = accept_language != NULL ? soup_header_parse_quality_list (accept_language, NULL) : NULL;
  const char *chosen = NULL;

  for (GSList *l = list; l != NULL && chosen == NULL; l = l->next)
    for (guint i = 0; i < G_N_ELEMENTS (languages) && chosen == NULL; i++)
      {
        const char *tag = l->data;
        gsize n = strlen (languages[i]);

        if (g_ascii_strncasecmp (tag, languages[i], n) == 0 && (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_'))
          chosen = languages[i];
      }
  soup_header_free_list (list);
  return chosen != NULL ? chosen : languages[0];
}

/**
 * tend_portal_strings_script:
 * @accept_language: (nullable): the request's Accept-Language
 *
 * Returns: (transfer full): the text of /portal/i18n.js
 */
char *
tend_portal_strings_script (const char *accept_language)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *json = NULL;

  json_builder_begin_object (b);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      TendCatalog *catalog = l == 0 ? NULL : catalog_for (l);

      json_builder_set_member_name (b, languages[l]);
      json_builder_begin_object (b);
      for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
        {
          json_builder_set_member_name (b, strings[i].key);
          json_builder_add_string_value (b, tend_catalog_pgettext (catalog, context_of (strings[i].key), strings[i].text));
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return g_strdup_printf ("// The portal's words (tend-server-portal-strings.c), from the gettext catalogues.\n"
                          "'use strict';\nwindow.TEND_STRINGS = %s;\nwindow.TEND_LANG = '%s';\n",
                          json, preferred_language (accept_language));
}
