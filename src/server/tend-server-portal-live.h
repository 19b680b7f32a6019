/* tend-server-portal-live.h: the portal's live stream (Server-Sent Events)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tend-pg.h"

G_BEGIN_DECLS

typedef struct _TendPortalLive TendPortalLive;
typedef struct _TendPortalStreamInfo TendPortalStreamInfo;

/* A portal session's stream, as the request that opened it found it. */
struct _TendPortalStreamInfo
{
  char   *practice_id;
  char   *client_id;
  char   *account_id;
  char   *token_hash;         /* the session's, checked again before each event */
  char   *related_person_id;  /* a guardian's session: checked again too */
  gint64  expires_s;          /* the session's expiry (Unix time) when it opened */
  gint64  seq;                /* the practice's change counter then */
};

void             tend_portal_stream_info_free (TendPortalStreamInfo *info);

TendPortalLive  *tend_portal_live_new        (TendPgPool           *pool,
                                              GMainContext         *context);
void             tend_portal_live_free       (TendPortalLive       *live);
void             tend_portal_live_open       (TendPortalLive       *live,
                                              SoupServerMessage    *msg,
                                              TendPortalStreamInfo *info);
void             tend_portal_live_changed    (TendPortalLive       *live,
                                              const char           *practice_id);
void             tend_portal_live_changed_all (TendPortalLive      *live);
void             tend_portal_live_close_all  (TendPortalLive       *live);
guint            tend_portal_live_count      (TendPortalLive       *live);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendPortalStreamInfo, tend_portal_stream_info_free)

G_END_DECLS
