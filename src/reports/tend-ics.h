/* tend-ics.h: appointments to and from iCalendar (RFC 5545)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-core.h"

G_BEGIN_DECLS

/* An imported file larger than this is refused before it is parsed. */
#define TEND_ICS_MAX_BYTES  (20 * 1024 * 1024)
/* More events than this in one file, or more appointments made from them
 * (recurring events expanded), is refused. */
#define TEND_ICS_MAX_EVENTS 100000

/**
 * TendIcsNameKind:
 * @TEND_ICS_NAME_CLIENT: a client's id
 * @TEND_ICS_NAME_STAFF: a staff member's id
 * @TEND_ICS_NAME_ROOM: a room's id
 *
 * What kind of record a #TendIcsLookupFunc is asked to name.
 */
typedef enum
{
  TEND_ICS_NAME_CLIENT,
  TEND_ICS_NAME_STAFF,
  TEND_ICS_NAME_ROOM,
} TendIcsNameKind;

/**
 * TendIcsLookupFunc:
 * @kind: what @id refers to
 * @id: the record's id
 * @user_data: the context's @lookup_data
 *
 * Returns: (transfer full) (nullable): the display name, or %NULL when unknown
 */
typedef char *(*TendIcsLookupFunc) (TendIcsNameKind  kind,
                                    const char      *id,
                                    gpointer         user_data);

/**
 * TendIcsContext:
 * @practice_name: (nullable): names the calendar (X-WR-CALNAME)
 * @time_zone: the practice's IANA zone; times are written in it
 * @lookup: (nullable): names clients, staff and rooms by id
 * @lookup_data: passed to @lookup
 * @privacy: %TRUE (the default) writes no client name, no note and no other
 *   free text: sessions are "Session" with the client's initials
 * @attendee_time_zone: (nullable): for an invitation to a client in another
 *   zone: single appointments are written in that zone
 * @now: (nullable): the DTSTAMP of every event; %NULL for the current time
 *
 * Fill it with tend_ics_context_init() first, so fields added later get
 * their defaults.
 */
typedef struct
{
  const char        *practice_name;
  const char        *time_zone;
  TendIcsLookupFunc  lookup;
  gpointer           lookup_data;
  gboolean           privacy;
  const char        *attendee_time_zone;
  GDateTime         *now;

  /*< private >*/
  gpointer           padding[6];
} TendIcsContext;

/**
 * TendIcsImportOptions:
 * @clinician_id: whose blocked time the imported events become
 * @time_zone: the practice's IANA zone: floating times and all-day events are
 *   read in it
 * @from: (nullable): only events that end after this instant; %NULL for no
 *   lower bound
 * @to: (nullable): only events that start before this instant; %NULL for a
 *   year from now (recurring events without an end are expanded up to it)
 * @keep_titles: %FALSE (the default): imported busy time gets no title, so a
 *   personal calendar's event names do not enter the practice's records;
 *   %TRUE: the title is the event's SUMMARY
 *
 * Fill it with tend_ics_import_options_init() first.
 */
typedef struct
{
  const char *clinician_id;
  const char *time_zone;
  GDateTime  *from;
  GDateTime  *to;
  gboolean    keep_titles;

  /*< private >*/
  gpointer    padding[6];
} TendIcsImportOptions;

void       tend_ics_context_init         (TendIcsContext             *ctx);
void       tend_ics_import_options_init  (TendIcsImportOptions       *opts);

char      *tend_ics_export               (GPtrArray                  *appointments,
                                          GPtrArray                  *series,
                                          const TendIcsContext       *ctx,
                                          GError                    **error);
GPtrArray *tend_ics_import               (const char                 *data,
                                          gsize                       length,
                                          const TendIcsImportOptions *opts,
                                          GError                    **error);
char      *tend_ics_import_id            (const char                 *clinician_id,
                                          const char                 *source_uid);

G_END_DECLS
