/* tend-demo-messages.c: a few months of a practice's secure messages, for
 * the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff conversations (one-to-one and group; some clinical, about a
 * client) and client threads, their messages spread over the three months
 * before the demo's "now", and read markers: older conversations read by
 * everyone, the newest ones unread by someone.  Written as the system (no
 * person signed in), like the rest of the demo.
 */
#define G_LOG_DOMAIN "tend-cli"

#include "config.h"

#include <string.h>

#include "tend-demo.h"
#include "tend-demo-messages.h"
#include "tend-message.h"
#include "tend-staff.h"
#include "tend-time.h"

typedef struct
{
  const char *subject;
  gboolean    clinical;
  gboolean    about_client;
  gboolean    with_client;
  gboolean    group;
  const char * const *lines;
} Script;

static const char * const coverage[] = {
  "Could you cover my 4 pm on Thursday? My daughter has a school event.",
  "Yes, happy to. Anything I should know?",
  "Nothing urgent. The usual check-in; the notes from last week are signed.",
  "Great, thank you!",
  NULL
};
static const char * const late[] = {
  "Your 2 pm just called: running about 10 minutes late, traffic on the bridge.",
  "Thanks for letting me know.",
  NULL
};
static const char * const case_consult[] = {
  "Could we talk about this client at supervision? The PHQ-9 went up four points in two weeks.",
  "Yes. Bring the last three notes and the safety plan.",
  "Will do. No current ideation, but sleep is worse and work stress is up.",
  "Good that you caught it early. Consider moving to weekly for a month.",
  "Agreed, I'll offer Tuesdays.",
  NULL
};
static const char * const group_plan[] = {
  "Reminder: team meeting moves to Wednesday at 12:30 this week.",
  "Noted.",
  "Can we add the new intake form to the agenda?",
  "Added. Lunch is on the practice.",
  NULL
};
static const char * const insurance[] = {
  "The payer denied two claims for missing referral numbers. Do you have them?",
  "One is in the scanned letter in the chart; I'll ask the client for the other.",
  "Thanks. I'll hold the resubmission until Friday.",
  NULL
};
static const char * const client_thread[] = {
  "Hi, is it possible to move Thursday's session to the afternoon?",
  "Hello! Thursday at 3 pm is open. Shall I book it?",
  "Yes please, thank you.",
  "Done. See you Thursday at 3.",
  NULL
};

static const Script scripts[] = {
  { "Thursday coverage", FALSE, FALSE, FALSE, FALSE, coverage },
  { NULL, FALSE, FALSE, FALSE, FALSE, late },
  { "Supervision: next steps", TRUE, TRUE, FALSE, FALSE, case_consult },
  { "Team meeting", FALSE, FALSE, FALSE, TRUE, group_plan },
  { "Claim denials", FALSE, TRUE, FALSE, FALSE, insurance },
  { "Rescheduling", FALSE, TRUE, TRUE, FALSE, client_thread },
};

#define ROUNDS 10

static char *
iso_at (gint64 usec)
{
  g_autoptr(GDateTime) dt = tend_time_from_unix_usec (usec);

  return tend_time_to_iso8601 (dt);
}

/**
 * tend_demo_messages_write:
 * @now: the demo's present, Unix microseconds
 *
 * Writes the conversations in the caller's transaction (or in their own).
 */
gboolean
tend_demo_messages_write (TendStore  *store,
                          guint32     seed,
                          gint64      now,
                          GError    **error)
{
  g_autoptr(GPtrArray) staff = tend_store_list (store, TEND_TYPE_STAFF, error);
  g_autoptr(GPtrArray) clinical = g_ptr_array_new ();
  g_autoptr(GPtrArray) everyone = g_ptr_array_new ();
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x6d657373);

  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    {
      TendStaff *s = staff->pdata[i];

      g_ptr_array_add (everyone, (gpointer) tend_record_get_id (TEND_RECORD (s)));
      if (tend_role_can (tend_staff_get_role (s), TEND_PERMISSION_VIEW_CLINICAL))
        g_ptr_array_add (clinical, (gpointer) tend_record_get_id (TEND_RECORD (s)));
    }
  if (clinical->len < 2)
    return TRUE;
  clients = tend_store_list (store, TEND_TYPE_CLIENT, error);
  if (clients == NULL)
    return FALSE;
  if (!tend_store_begin (store, error))
    return FALSE;

  for (guint round = 0; round < ROUNDS; round++)
    for (guint k = 0; k < G_N_ELEMENTS (scripts); k++)
      {
        const Script *sc = &scripts[k];
        GPtrArray *pool = sc->clinical || sc->about_client ? clinical : everyone;
        g_autoptr(GPtrArray) members = g_ptr_array_new ();
        g_autoptr(TendConversation) c = NULL;
        g_autofree char *created = NULL;
        /* Spread over 90 days, the newest round in the last few hours. */
        gint64 start = now - (gint64) (ROUNDS - 1 - round) * 9 * G_TIME_SPAN_DAY
                       - (gint64) g_rand_int_range (rand, 6, 30) * G_TIME_SPAN_HOUR;
        gint64 at = start;
        const char *last_sent = NULL;
        g_autofree char *last_text = NULL;
        guint n = sc->group ? MIN (pool->len, 4) : 2;
        guint first = (guint) g_rand_int_range (rand, 0, (gint32) pool->len);
        TendClient *client = clients->len > 0 ? clients->pdata[g_rand_int_range (rand, 0, (gint32) clients->len)] : NULL;

        if (sc->with_client)
          n = 1;
        for (guint m = 0; m < n && m < pool->len; m++)
          g_ptr_array_add (members, pool->pdata[(first + m) % pool->len]);
        /* Front desk messages (late, rescheduling) come from the desk when
         * there is one. */
        if ((k == 1 || sc->with_client) && everyone->len > clinical->len)
          for (guint s = 0; s < staff->len; s++)
            if (tend_staff_get_role (staff->pdata[s]) == TEND_ROLE_FRONT_DESK)
              {
                members->pdata[0] = (gpointer) tend_record_get_id (staff->pdata[s]);
                break;
              }
        /* Each person once; a one-to-one keeps two people. */
        for (guint a = 0; a < members->len; a++)
          for (guint b = a + 1; b < members->len; b++)
            if (strcmp (members->pdata[a], members->pdata[b]) == 0)
              g_ptr_array_remove_index (members, b--);
        for (guint m = 0; !sc->with_client && members->len < 2 && m < pool->len; m++)
          if (!g_ptr_array_find_with_equal_func (members, pool->pdata[m], g_str_equal, NULL))
            g_ptr_array_add (members, pool->pdata[m]);
        g_ptr_array_add (members, NULL);

        c = tend_conversation_new (members->pdata[0], (const char * const *) members->pdata);
        created = iso_at (start);
        tend_record_set_string (TEND_RECORD (c), "created_at", created);
        tend_record_set_string (TEND_RECORD (c), "subject", sc->subject);
        tend_record_set_int (TEND_RECORD (c), "clinical", sc->clinical);
        tend_record_set_int (TEND_RECORD (c), "with_client", sc->with_client);
        if ((sc->about_client || sc->with_client) && client != NULL)
          tend_record_set_string (TEND_RECORD (c), "client_id", tend_record_get_id (TEND_RECORD (client)));
        else
          tend_record_set_int (TEND_RECORD (c), "with_client", FALSE);
        if (!tend_store_save (store, TEND_RECORD (c), error))
          goto fail;

        for (guint line = 0; sc->lines[line] != NULL; line++)
          {
            g_autoptr(TendMessage) msg = NULL;
            g_autofree char *sent = NULL;
            const char *author;
            gboolean from_client = sc->with_client && client != NULL && line % 2 == 0;

            /* At most five lines of an hour each: still before "now". */
            at += (gint64) g_rand_int_range (rand, 2, 60) * G_TIME_SPAN_MINUTE;
            author = from_client ? NULL : members->pdata[(line + (sc->with_client ? 1 : 0)) % (members->len - 1)];
            msg = tend_message_new (tend_record_get_id (TEND_RECORD (c)), author, sc->lines[line]);
            if (from_client)
              tend_record_set_int (TEND_RECORD (msg), "from_client", TRUE);
            sent = iso_at (at);
            tend_record_set_string (TEND_RECORD (msg), "sent_at", sent);
            if (!tend_store_save (store, TEND_RECORD (msg), error))
              goto fail;
            g_free (last_text);
            last_text = g_strdup (sent);
            last_sent = last_text;
          }

        /* Everyone has read all but the newest round. */
        for (guint m = 0; last_sent != NULL && m + 1 < members->len; m++)
          {
            g_autoptr(TendReadMarker) marker = NULL;
            g_autofree char *read_at = NULL;

            if (round == ROUNDS - 1 && m > 0)
              continue;
            marker = tend_read_marker_new (tend_record_get_id (TEND_RECORD (c)), members->pdata[m]);
            read_at = iso_at (MIN (now, at + 5 * G_TIME_SPAN_MINUTE));
            tend_record_set_string (TEND_RECORD (marker), "read_upto", last_sent);
            tend_record_set_string (TEND_RECORD (marker), "read_at", read_at);
            if (!tend_store_save (store, TEND_RECORD (marker), error))
              goto fail;
          }
      }
  return tend_store_commit (store, error);

fail:
  tend_store_rollback (store);
  return FALSE;
}
