/* tend-server-config.h: tend-server's settings, from a key file and flags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char   *listen;              /* "host:port"; port 0 picks a free one */
  char   *database;            /* libpq conninfo */
  char   *port_file;           /* written with the bound port once listening */
  char   *tls_cert;            /* PEM files; required unless on loopback */
  char   *tls_key;
  guint   pool_size;           /* PostgreSQL connections and worker threads */
  gint64  token_lifetime_s;
  gsize   max_body_size;
  guint   login_max_failures;  /* per account ... */
  guint   login_max_failures_per_address; /* ... and per remote address ... */
  guint   login_window_s;      /* ... within this many seconds */
  guint   max_page;            /* largest accepted `limit` of /v1/changes */
  guint   max_ops;             /* most operations in one push */
  guint   shutdown_timeout_s;  /* how long a graceful stop waits for requests */
  guint   max_queued;          /* requests waiting for a worker before 503 */
  guint   debug_delay_ms;      /* tests only: hold every API request this long */
  guint   signin_threads;      /* password hashing threads (their own pool) */
  guint   signin_max_queued;   /* hashing requests waiting before 503 */
  guint   login_max_signins;   /* successful sign-ins per account within the window */
  guint   header_timeout_s;    /* a request's headers must arrive within this */
  guint   idle_timeout_s;      /* a keep-alive connection may sit idle this long */
  gsize   max_record_size;     /* bytes of one pushed record's JSON body */
  gsize   max_page_bytes;      /* a /v1/changes page stops after this many bytes */
  guint64 blob_quota;          /* bytes of documents one practice may hold */
  char   *trusted_proxies;     /* addresses or CIDR ranges, comma-separated */
  GPtrArray *proxy_masks;      /* GInetAddressMask, from trusted_proxies */

  /* The outbox (tend-server-outbox.c): e-mail through an SMTP relay ... */
  char   *smtp_host;           /* NULL: e-mail is not sent (it waits) */
  guint   smtp_port;
  char   *smtp_tls;            /* "starttls" (required), "tls" (implicit) or "none" */
  char   *smtp_user;
  char   *smtp_password_file;  /* the password, alone in a file */
  char   *smtp_from;           /* the envelope and From: address */
  char   *smtp_ca_file;        /* PEM: trust this authority (a self-hosted relay) */
  /* ... and text messages through a Twilio-compatible REST gateway */
  char   *sms_url;             /* base URL, e.g. https://api.twilio.com; NULL: SMS wait */
  char   *sms_account_sid;
  char   *sms_token_file;      /* the auth token, alone in a file */
  char   *sms_from;            /* the sending number, E.164 */
  char   *sms_webhook_url;     /* the public URL the gateway posts replies to (signed) */
  guint   outbox_senders;      /* sending threads, each with its own connections */
  guint   outbox_max_attempts; /* then a message is failed for good */
  guint   outbox_retry_s;      /* first retry after this, doubling each time */
  guint   outbox_poll_ms;      /* how often the senders look for due work */
  guint   outbox_batch;        /* messages claimed at once by a sender */
  guint   outbox_rate;         /* most messages a second this instance sends; 0: no limit */
  /* Reminders (tend-server-reminders.c) */
  gboolean reminders;          /* send due reminder records */
  char   *quiet_hours;         /* "21:00-08:00" in each practice's zone; NULL: none */
  char   *portal_url;          /* where the confirm/cancel links point ("https://host/portal/") */

  char   *stun_uri;            /* "stun:host:port" for video calls; NULL: none */
  char   *turn_uri;            /* "turn:host:port[?transport=udp]"; NULL: no relay */
  char   *turn_secret_file;    /* the secret shared with the TURN server (coturn's static-auth-secret) */
  guint   turn_ttl_s;          /* how long the TURN credentials a participant gets last */
  gboolean turn_relay_only;    /* calls go through the TURN relay only: no peer learns another's address */
  /* Secrets read from the files above at start (never logged) */
  char   *smtp_password;
  char   *sms_token;
  char   *turn_secret;
  int     quiet_start_min;     /* parsed quiet_hours, minutes after midnight; -1: none */
  int     quiet_end_min;
} TendServerConfig;

TendServerConfig *tend_server_config_new        (void);
void              tend_server_config_free       (TendServerConfig  *config);
gboolean          tend_server_config_load_file  (TendServerConfig  *config,
                                                 const char        *path,
                                                 GError           **error);
gboolean          tend_server_config_check      (TendServerConfig  *config,
                                                 GError           **error);
gboolean          tend_server_parse_listen      (const char        *listen,
                                                 char             **host,
                                                 guint16           *port,
                                                 GError           **error);

gboolean          tend_server_parse_quiet_hours (const char        *text,
                                                 int               *start_min,
                                                 int               *end_min,
                                                 GError           **error);

gboolean          tend_server_is_e164           (const char        *number);

char             *tend_server_client_address    (TendServerConfig  *config,
                                                 const char        *peer,
                                                 const char        *forwarded_for);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendServerConfig, tend_server_config_free)

G_END_DECLS
