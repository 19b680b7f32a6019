/* tend-server-private.h: what the request handlers share with TendServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tend-core.h"
#include "tend-pg.h"
#include "tend-server.h"
#include "tend-server-outbox.h"

G_BEGIN_DECLS

/* Who is asking: filled from the session before an authenticated handler runs. */
typedef struct
{
  char     *account_id;
  char     *practice_id;
  char     *staff_id;
  char     *email;
  char     *display_name;
  char     *token_hash;   /* "\x…" hex, as a bytea parameter */
  char     *guest_session_id;  /* a browser guest's video session (no account) */
  char     *guest_id;          /* that guest, across its rejoins */
  char     *guest_rejoin;      /* its rejoin token, on its first join only */
  TendRole  role;
} TendPrincipal;

typedef struct _TendRequest TendRequest;
typedef struct _TendPortalStreamInfo TendPortalStreamInfo;

/* Runs in a worker thread with a database connection of its own. */
typedef void (*TendHandler) (TendRequest *req,
                             TendPgConn  *conn);

typedef struct
{
  const char  *method;
  const char  *path;           /* ends with '/' for a prefix ("/v1/blobs/") */
  TendHandler  handler;
  gboolean     authenticated;
} TendRoute;

/*
 * Everything a handler may read is copied out of the SoupServerMessage on
 * the server's context before the request goes to a worker: the message
 * itself is only touched again on that context, to answer.
 */
struct _TendRequest
{
  TendServer         *server;
  SoupServerMessage  *msg;
  const TendRoute    *route;
  const TendServerConfig *config;
  const char         *epoch;
  char               *path;
  char               *remote;
  char               *authorization;
  SoupMessageHeaders *request_headers;   /* read-only here (the portal's cookies) */
  char               *gateway_signature;  /* X-Twilio-Signature */
  GHashTable         *query;
  GBytes             *body;
  char               *content_encoding;  /* the body's, as sent */
  gboolean            accepts_gzip;
  TendPrincipal       principal;
  gint64              started;

  guint               status;
  char               *response;     /* JSON text */
  GBytes             *response_bytes;  /* or bytes, of response_type */
  const char         *response_type;
  const char         *response_encoding;  /* of response_bytes: "gzip" or NULL */
  GPtrArray          *response_headers;   /* more headers: name, value, name... */
  char               *retry_after;
  gboolean            gone;         /* the client went away first */
  TendPortalStreamInfo *portal_stream;  /* set: answer with the portal's event stream */
};

void      tend_request_reply_take    (TendRequest  *req,
                                      guint         status,
                                      char         *json);
void      tend_request_reply_node    (TendRequest  *req,
                                      guint         status,
                                      JsonNode     *node);
void      tend_request_error         (TendRequest  *req,
                                      guint         status,
                                      const char   *code,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (4, 5);
void      tend_request_db_error      (TendRequest  *req,
                                      GError       *error);
JsonNode *tend_request_parse_body    (TendRequest  *req);
gboolean  tend_request_audit         (TendRequest  *req,
                                      TendPgConn   *conn,
                                      const char   *action,
                                      const char   *record_type,
                                      const char   *record_id,
                                      const char   *detail,
                                      GError      **error);
char     *tend_json_to_string        (JsonNode     *node);

/* tend-server-outbox.c: the senders, owned by TendServer */
typedef struct _TendOutbox TendOutbox;

TendOutbox *tend_server_get_outbox   (TendServer   *server);
TendOutbox *tend_outbox_new          (const TendServerConfig *config);
void        tend_outbox_start        (TendOutbox   *outbox);
void        tend_outbox_stop         (TendOutbox   *outbox);
void        tend_outbox_free         (TendOutbox   *outbox);
void        tend_outbox_wake         (TendOutbox   *outbox);
gboolean    tend_outbox_enqueue_at   (TendPgConn   *conn,
                                      const TendOutboxItem *item,
                                      gint64        not_before,
                                      GError      **error);
char       *tend_outbox_build_email  (const char   *from_address,
                                      const char   *practice_name,
                                      const char   *recipient,
                                      const char   *subject,
                                      const char   *body_text,
                                      const char   *body_html,
                                      const char   *message_id);

/* tend-server-reminders.c: changes the server itself makes to records */
TendRecord *tend_server_load_record   (GType         type,
                                       const char   *id,
                                       const char   *body);
gboolean    tend_server_lock_practice (TendPgConn   *conn,
                                       const char   *practice_id,
                                       GError      **error);
gboolean    tend_server_write_record  (TendPgConn   *conn,
                                       const char   *practice_id,
                                       TendRecord   *record,
                                       const char   *action,
                                       GError      **error);

/* tend-server-sync.c: the change feed's one read (GET /v1/changes and the
 * live channel) */
typedef struct
{
  gboolean  found;          /* the practice exists */
  gint64    practice_seq;   /* its counter, in the page's snapshot */
  gint64    horizon;
  gint64    last;           /* the sequence number of the page's last change */
  gboolean  has_more;
  guint     n_changes;
  GString  *changes;        /* the changes, as the members of a JSON array */
} TendFeedPage;

gboolean  tend_sync_feed_read   (TendPgConn          *conn,
                                 const TendPrincipal *principal,
                                 gint64               after,
                                 gint64               upto,
                                 guint64              limit,
                                 gsize                max_bytes,
                                 const char          *audit_action,
                                 TendFeedPage        *page,
                                 GError             **error);
void      tend_feed_page_clear  (TendFeedPage        *page);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TendFeedPage, tend_feed_page_clear)

/* tend-server-auth.c: the person a session's token belongs to, now */
gboolean  tend_session_principal_from_hash (TendPgConn    *conn,
                                            const char    *token_hash,
                                            TendPrincipal *principal,
                                            GError       **error);
void      tend_principal_clear             (TendPrincipal *principal);

/* tend-server-sms.c */
void  tend_sms_inbound_handler     (TendRequest *req,
                                    TendPgConn  *conn);
char *tend_sms_signature           (const char  *token,
                                    const char  *url,
                                    GHashTable  *form);

/* tend-server-encoding.c */
gboolean  tend_request_decode_body     (TendRequest  *req);
void      tend_request_add_header      (TendRequest  *req,
                                        const char   *name,
                                        const char   *value);
void      tend_request_encode_response (TendRequest  *req);

/* tend-server-outbox.c: GET /v1/outbox/metrics (owners) */
void  tend_outbox_metrics_handler  (TendRequest *req,
                                    TendPgConn  *conn);

/* Handlers, by module. */
void tend_session_login_handler    (TendRequest *req,
                                    TendPgConn  *conn);
void tend_session_logout_handler   (TendRequest *req,
                                    TendPgConn  *conn);
gboolean tend_session_authenticate (TendRequest *req,
                                    TendPgConn  *conn,
                                    GError     **error);
void tend_sync_chart_handler       (TendRequest *req,
                                    TendPgConn  *conn);
void tend_sync_changes_handler     (TendRequest *req,
                                    TendPgConn  *conn);
void tend_sync_push_handler        (TendRequest *req,
                                    TendPgConn  *conn);
void tend_totp_status_handler      (TendRequest *req,
                                    TendPgConn  *conn);
void tend_totp_begin_handler       (TendRequest *req,
                                    TendPgConn  *conn);
void tend_totp_confirm_handler     (TendRequest *req,
                                    TendPgConn  *conn);
void tend_totp_disable_handler     (TendRequest *req,
                                    TendPgConn  *conn);
void tend_accounts_list_handler    (TendRequest *req,
                                    TendPgConn  *conn);
void tend_accounts_create_handler  (TendRequest *req,
                                    TendPgConn  *conn);
void tend_accounts_update_handler  (TendRequest *req,
                                    TendPgConn  *conn);
void tend_blob_put_handler         (TendRequest *req,
                                    TendPgConn  *conn);
void tend_blob_get_handler         (TendRequest *req,
                                    TendPgConn  *conn);
void tend_video_invite_handler     (TendRequest *req,
                                    TendPgConn  *conn);
void tend_video_guest_handler      (TendRequest *req,
                                    TendPgConn  *conn);
void tend_video_join_page_handler  (TendRequest *req,
                                    TendPgConn  *conn);
void tend_video_asset_handler      (TendRequest *req,
                                    TendPgConn  *conn);
char *tend_video_mint_invite       (TendPgConn  *conn,
                                    const char  *practice_id,
                                    const char  *session_id,
                                    const char  *valid_from,
                                    const char  *valid_until,
                                    const char  *created_by,
                                    char       **out_from,
                                    char       **out_until,
                                    GError     **error);

/* tend-server-portal.c: the client portal's routes and static pages. */
extern const TendRoute tend_portal_routes[];
extern const guint     tend_portal_n_routes;
gboolean tend_portal_serve_static  (SoupServerMessage *msg,
                                    const char        *path);
gboolean tend_server_portal_message_notice (TendRequest     *req,
                                            TendPgConn      *conn,
                                            TendPolicyActor *actor,
                                            TendMessage     *message,
                                            GError         **error);

G_END_DECLS
