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
  char   *portal_url;          /* the portal's public address, for links in e-mails */
  GPtrArray *proxy_masks;      /* GInetAddressMask, from trusted_proxies */
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

char             *tend_server_client_address    (TendServerConfig  *config,
                                                 const char        *peer,
                                                 const char        *forwarded_for);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendServerConfig, tend_server_config_free)

G_END_DECLS
