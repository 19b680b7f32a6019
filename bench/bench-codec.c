/* bench-codec.c: the core codec's check of a client body as the server
 * sends it (what a sync does for every record it receives), and the load
 * of an appointment body (what every calendar reload does per tile)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "bench-util.h"
#include "tend-core.h"
#include "tend-sync-store.h"

static double
per_call_us (JsonNode   *body,
             const char *type,
             guint       n)
{
  gint64 t0 = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    if (!tend_sync_check_body (type, "0b9a9d2e-55f4-4c1e-9a43-4f3a2b1c0d9e", body, NULL))
      g_error ("the %s body does not check", type);
  return (g_get_monotonic_time () - t0) / (double) n;
}

static JsonNode *
body_of (TendRecord *record)
{
  g_autofree char *text = tend_record_to_body_string (record);

  return json_from_string (text, NULL);
}

int
main (void)
{
  g_autoptr(TendClient) c = tend_client_new ("Given77777", "Family77777");
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(JsonNode) client = NULL;
  g_autoptr(JsonNode) appointment = NULL;
  TendRecord *r = TEND_RECORD (c);

  /* The client of bench-sync: about 430 bytes of JSON. */
  tend_record_set_string (r, "preferred_name", "Pref77777");
  tend_record_set_string (r, "pronouns", "they/them");
  tend_record_set_string (r, "date_of_birth", "1984-05-17");
  tend_record_set_string (r, "email", "client77777@example.org");
  tend_record_set_string (r, "phone_mobile", "(608) 555-0142");
  tend_record_set_string (r, "address.line1", "1200 Willow Creek Road, Apt 4B");
  tend_record_set_string (r, "address.city", "Madison");
  tend_record_set_string (r, "address.region", "WI");
  tend_record_set_string (r, "address.postal_code", "53703");
  tend_record_set_string (r, "emergency_contact.name", "Jordan Family77777");
  tend_record_set_string (r, "emergency_contact.phone", "(608) 555-0199");
  tend_record_set_string (r, "referral_source", "Primary care physician");
  client = body_of (r);

  a = TEND_APPOINTMENT (tend_record_new (TEND_TYPE_APPOINTMENT));
  tend_record_set_string (TEND_RECORD (a), "client_id", "6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01");
  tend_record_set_string (TEND_RECORD (a), "clinician_id", "6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a02");
  tend_record_set_string (TEND_RECORD (a), "start", "2026-11-02T15:00:00Z");
  tend_record_set_string (TEND_RECORD (a), "end", "2026-11-02T15:50:00Z");
  appointment = body_of (TEND_RECORD (a));

  per_call_us (client, "client", 20000);   /* warm-up */
  printf ("codec_check_client_us: %.2f\n", per_call_us (client, "client", 200000));
  printf ("codec_check_appointment_us: %.2f\n", per_call_us (appointment, "appointment", 200000));
  return 0;
}
