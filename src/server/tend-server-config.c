/* tend-server-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The key file has one group, [server], with the same names as the long
 * command-line flags (see data/tend-server.conf.sample); flags given on the
 * command line win over the file.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tend-core.h"
#include "tend-server-config.h"
#include "tend-server-ice.h"

TendServerConfig *
tend_server_config_new (void)
{
  TendServerConfig *config = g_new0 (TendServerConfig, 1);

  config->listen = g_strdup ("127.0.0.1:8080");
  config->pool_size = 8;
  config->token_lifetime_s = 12 * 60 * 60;
  config->max_body_size = 8 * 1024 * 1024;
  config->login_max_failures = 5;
  /* Higher: a practice's staff often share one public address. */
  config->login_max_failures_per_address = 20;
  config->login_window_s = 15 * 60;
  config->max_page = 1000;
  config->max_ops = 500;
  config->shutdown_timeout_s = 30;
  config->max_queued = 4096;
  /* Hashing is the costliest thing a request can ask for: by default it
   * may take at most half the processors (see tend-server.c). */
  config->signin_threads = MAX (1, g_get_num_processors () / 2);
  config->signin_max_queued = 64;
  config->login_max_signins = 30;
  config->header_timeout_s = 20;
  config->idle_timeout_s = 120;
  /* The largest record a real practice makes is a long note: see
   * docs/deploy.md for the measurement behind this. */
  config->max_record_size = 1024 * 1024;
  config->max_page_bytes = 4 * 1024 * 1024;
  config->blob_quota = G_GUINT64_CONSTANT (20) * 1024 * 1024 * 1024;
  config->smtp_port = 587;
  config->smtp_tls = g_strdup ("starttls");
  config->outbox_senders = 2;
  config->outbox_max_attempts = 8;
  config->outbox_retry_s = 60;
  config->outbox_poll_ms = 2000;
  config->outbox_batch = 50;
  config->reminders = TRUE;
  config->quiet_hours = g_strdup ("21:00-08:00");
  config->quiet_start_min = 21 * 60;
  config->quiet_end_min = 8 * 60;
  /* Longer than any session, short enough that a leaked one soon dies. */
  config->turn_ttl_s = 12 * 60 * 60;
  return config;
}

void
tend_server_config_free (TendServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->listen);
  g_free (config->database);
  g_free (config->port_file);
  g_free (config->tls_cert);
  g_free (config->tls_key);
  g_free (config->trusted_proxies);
  g_clear_pointer (&config->proxy_masks, g_ptr_array_unref);
  g_free (config->smtp_host);
  g_free (config->smtp_tls);
  g_free (config->smtp_user);
  g_free (config->smtp_password_file);
  g_free (config->smtp_from);
  g_free (config->smtp_ca_file);
  g_free (config->sms_url);
  g_free (config->sms_account_sid);
  g_free (config->sms_token_file);
  g_free (config->sms_from);
  g_free (config->sms_webhook_url);
  g_free (config->quiet_hours);
  g_free (config->portal_url);
  g_free (config->stun_uri);
  g_free (config->turn_uri);
  g_free (config->turn_secret_file);
  if (config->turn_secret != NULL)
    explicit_bzero (config->turn_secret, strlen (config->turn_secret));
  g_free (config->turn_secret);
  if (config->smtp_password != NULL)
    explicit_bzero (config->smtp_password, strlen (config->smtp_password));
  g_free (config->smtp_password);
  if (config->sms_token != NULL)
    explicit_bzero (config->sms_token, strlen (config->sms_token));
  g_free (config->sms_token);
  g_free (config);
}

static void
take_string (GKeyFile   *file,
             const char *key,
             char      **out)
{
  g_autofree char *value = g_key_file_get_string (file, "server", key, NULL);

  if (value != NULL)
    {
      g_free (*out);
      *out = g_strstrip (g_steal_pointer (&value));
    }
}

static gboolean
take_uint (GKeyFile   *file,
           const char *key,
           guint64     min,
           guint64     max,
           guint64    *out,
           GError    **error)
{
  g_autofree char *value = g_key_file_get_string (file, "server", key, NULL);
  guint64 n;

  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (g_strstrip (value), 10, min, max, &n, NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "%s: expected a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                   key, min, max);
      return FALSE;
    }
  *out = n;
  return TRUE;
}

static gboolean
take_bool (GKeyFile   *file,
           const char *key,
           gboolean   *out,
           GError    **error)
{
  g_autoptr(GError) bool_error = NULL;
  gboolean value = g_key_file_get_boolean (file, "server", key, &bool_error);

  if (bool_error == NULL)
    *out = value;
  else if (!g_error_matches (bool_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s: expected true or false", key);
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_server_config_load_file:
 *
 * Reads the [server] group of @path over @config's current values.
 */
gboolean
tend_server_config_load_file (TendServerConfig *config,
                              const char       *path,
                              GError          **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  guint64 pool = config->pool_size, lifetime = (guint64) config->token_lifetime_s;
  guint64 body = config->max_body_size, failures = config->login_max_failures;
  guint64 address_failures = config->login_max_failures_per_address;
  guint64 window = config->login_window_s, page = config->max_page, ops = config->max_ops;
  guint64 timeout = config->shutdown_timeout_s, queued = config->max_queued;
  guint64 signin_threads = config->signin_threads, signin_queued = config->signin_max_queued;
  guint64 signins = config->login_max_signins, header_timeout = config->header_timeout_s;
  guint64 idle_timeout = config->idle_timeout_s, record = config->max_record_size;
  guint64 page_bytes = config->max_page_bytes, quota = config->blob_quota;
  guint64 smtp_port = config->smtp_port, senders = config->outbox_senders;
  guint64 attempts = config->outbox_max_attempts, retry = config->outbox_retry_s;
  guint64 poll = config->outbox_poll_ms, batch = config->outbox_batch, rate = config->outbox_rate;
  guint64 turn_ttl = config->turn_ttl_s;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  take_string (file, "listen", &config->listen);
  take_string (file, "database", &config->database);
  take_string (file, "port-file", &config->port_file);
  take_string (file, "tls-cert", &config->tls_cert);
  take_string (file, "tls-key", &config->tls_key);
  take_string (file, "trusted-proxies", &config->trusted_proxies);
  take_string (file, "smtp-host", &config->smtp_host);
  take_string (file, "smtp-tls", &config->smtp_tls);
  take_string (file, "smtp-user", &config->smtp_user);
  take_string (file, "smtp-password-file", &config->smtp_password_file);
  take_string (file, "smtp-from", &config->smtp_from);
  take_string (file, "smtp-ca-file", &config->smtp_ca_file);
  take_string (file, "sms-url", &config->sms_url);
  take_string (file, "sms-account-sid", &config->sms_account_sid);
  take_string (file, "sms-token-file", &config->sms_token_file);
  take_string (file, "sms-from", &config->sms_from);
  take_string (file, "sms-webhook-url", &config->sms_webhook_url);
  take_string (file, "quiet-hours", &config->quiet_hours);
  take_string (file, "portal-url", &config->portal_url);
  take_string (file, "stun-uri", &config->stun_uri);
  take_string (file, "turn-uri", &config->turn_uri);
  take_string (file, "turn-secret-file", &config->turn_secret_file);
  if (!take_bool (file, "reminders", &config->reminders, error) ||
      !take_bool (file, "turn-relay-only", &config->turn_relay_only, error) ||
      !take_uint (file, "pool-size", 1, 256, &pool, error) ||
      !take_uint (file, "token-lifetime", 1, 90 * 24 * 3600, &lifetime, error) ||
      !take_uint (file, "max-body-size", 1024, 1024 * 1024 * 1024, &body, error) ||
      !take_uint (file, "login-max-failures", 1, 1000, &failures, error) ||
      !take_uint (file, "login-max-failures-per-address", 1, 100000, &address_failures, error) ||
      !take_uint (file, "login-window", 1, 24 * 3600, &window, error) ||
      !take_uint (file, "max-page", 1, 100000, &page, error) ||
      !take_uint (file, "max-ops", 1, 100000, &ops, error) ||
      !take_uint (file, "shutdown-timeout", 0, 3600, &timeout, error) ||
      !take_uint (file, "max-queued", 1, 1000000, &queued, error) ||
      !take_uint (file, "signin-threads", 1, 64, &signin_threads, error) ||
      !take_uint (file, "signin-max-queued", 1, 100000, &signin_queued, error) ||
      !take_uint (file, "login-max-signins", 1, 100000, &signins, error) ||
      !take_uint (file, "header-timeout", 1, 3600, &header_timeout, error) ||
      !take_uint (file, "idle-timeout", 1, 24 * 3600, &idle_timeout, error) ||
      !take_uint (file, "max-record-size", 1024, 1024 * 1024 * 1024, &record, error) ||
      !take_uint (file, "max-page-bytes", 1024, 1024 * 1024 * 1024, &page_bytes, error) ||
      !take_uint (file, "blob-quota", 0, G_MAXINT64, &quota, error) ||
      !take_uint (file, "smtp-port", 1, 65535, &smtp_port, error) ||
      !take_uint (file, "outbox-senders", 1, 32, &senders, error) ||
      !take_uint (file, "outbox-max-attempts", 1, 100, &attempts, error) ||
      !take_uint (file, "outbox-retry", 1, 24 * 3600, &retry, error) ||
      !take_uint (file, "outbox-poll-interval-ms", 50, 3600 * 1000, &poll, error) ||
      !take_uint (file, "outbox-batch", 1, 1000, &batch, error) ||
      !take_uint (file, "outbox-rate", 0, 100000, &rate, error) ||
      !take_uint (file, "turn-credential-lifetime", 60, 7 * 24 * 3600, &turn_ttl, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  config->pool_size = (guint) pool;
  config->token_lifetime_s = (gint64) lifetime;
  config->max_body_size = (gsize) body;
  config->login_max_failures = (guint) failures;
  config->login_max_failures_per_address = (guint) address_failures;
  config->login_window_s = (guint) window;
  config->max_page = (guint) page;
  config->max_ops = (guint) ops;
  config->shutdown_timeout_s = (guint) timeout;
  config->max_queued = (guint) queued;
  config->signin_threads = (guint) signin_threads;
  config->signin_max_queued = (guint) signin_queued;
  config->login_max_signins = (guint) signins;
  config->header_timeout_s = (guint) header_timeout;
  config->idle_timeout_s = (guint) idle_timeout;
  config->max_record_size = (gsize) record;
  config->max_page_bytes = (gsize) page_bytes;
  config->blob_quota = quota;
  config->smtp_port = (guint) smtp_port;
  config->outbox_senders = (guint) senders;
  config->outbox_max_attempts = (guint) attempts;
  config->outbox_retry_s = (guint) retry;
  config->outbox_poll_ms = (guint) poll;
  config->outbox_batch = (guint) batch;
  config->outbox_rate = (guint) rate;
  config->turn_ttl_s = (guint) turn_ttl;
  return TRUE;
}

/**
 * tend_server_parse_listen:
 *
 * "127.0.0.1:8080", "[::1]:8080", "localhost:0".
 */
gboolean
tend_server_parse_listen (const char *listen,
                          char      **host,
                          guint16    *port,
                          GError    **error)
{
  const char *colon = listen != NULL ? strrchr (listen, ':') : NULL;
  g_autofree char *h = NULL;
  guint64 p;

  if (colon == NULL || colon == listen ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &p, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "listen: expected HOST:PORT (for example 127.0.0.1:8080), not “%s”",
                   listen != NULL ? listen : "");
      return FALSE;
    }
  h = g_strndup (listen, colon - listen);
  if (h[0] == '[' && h[strlen (h) - 1] == ']')
    {
      char *inner = g_strndup (h + 1, strlen (h) - 2);

      g_free (h);
      h = inner;
    }
  if (g_strcmp0 (h, "localhost") == 0)
    {
      g_free (h);
      h = g_strdup ("127.0.0.1");
    }
  if (!g_hostname_is_ip_address (h))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "listen: “%s” is not an IP address", h);
      return FALSE;
    }
  *host = g_steal_pointer (&h);
  *port = (guint16) p;
  return TRUE;
}

static int
parse_hh_mm (const char *text)
{
  guint64 h, m;
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);

  if (g_strv_length (parts) != 2 || strlen (parts[0]) == 0 || strlen (parts[0]) > 2 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &h, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &m, NULL))
    return -1;
  return (int) (h * 60 + m);
}

/**
 * tend_server_parse_quiet_hours:
 * @text: "21:00-08:00" (wrapping midnight), "12:00-13:00", or "none"
 *
 * Sets -1 in both for none.
 */
gboolean
tend_server_parse_quiet_hours (const char *text,
                               int        *start_min,
                               int        *end_min,
                               GError    **error)
{
  g_auto(GStrv) parts = NULL;

  *start_min = *end_min = -1;
  if (text == NULL || *text == '\0' || g_ascii_strcasecmp (text, "none") == 0)
    return TRUE;
  parts = g_strsplit (text, "-", -1);
  if (g_strv_length (parts) != 2 ||
      (*start_min = parse_hh_mm (g_strstrip (parts[0]))) < 0 ||
      (*end_min = parse_hh_mm (g_strstrip (parts[1]))) < 0 ||
      *start_min == *end_min)
    {
      *start_min = *end_min = -1;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "quiet-hours: expected HH:MM-HH:MM (for example 21:00-08:00) or none, not “%s”", text);
      return FALSE;
    }
  return TRUE;
}

/* A secret alone in a file (trailing newline dropped), which must not be
 * readable by every user. */
static gboolean
read_secret (const char *key,
             const char *path,
             char      **out,
             GError    **error)
{
  g_autofree char *text = NULL;
  GStatBuf st;

  if (path == NULL)
    return TRUE;
  if (g_stat (path, &st) == 0 && (st.st_mode & (S_IROTH | S_IWOTH)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "%s: %s can be read by every user on this machine (mode %03o): "
                   "make it readable by the server's user only (chmod 600)",
                   key, path, (guint) (st.st_mode & 0777));
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, NULL, error))
    {
      g_prefix_error (error, "%s: ", key);
      return FALSE;
    }
  g_strchomp (text);
  if (*out != NULL)
    explicit_bzero (*out, strlen (*out));
  g_free (*out);
  *out = g_steal_pointer (&text);
  return TRUE;
}

gboolean
tend_server_is_e164 (const char *number)
{
  gsize n;

  if (number == NULL || number[0] != '+' || number[1] < '1' || number[1] > '9')
    return FALSE;
  for (n = 1; number[n] != '\0'; n++)
    if (!g_ascii_isdigit (number[n]))
      return FALSE;
  return n >= 8 && n <= 16;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (g_strcmp0 (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

/* The outbox's settings: what is set must be whole and make sense. */
static gboolean
check_outbox (TendServerConfig *config,
              GError          **error)
{
  if (!tend_server_parse_quiet_hours (config->quiet_hours, &config->quiet_start_min, &config->quiet_end_min, error))
    return FALSE;
  if (config->smtp_host != NULL)
    {
      if (g_strcmp0 (config->smtp_tls, "starttls") != 0 && g_strcmp0 (config->smtp_tls, "tls") != 0 &&
          g_strcmp0 (config->smtp_tls, "none") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "smtp-tls: expected starttls, tls or none, not “%s”", config->smtp_tls);
          return FALSE;
        }
      if (config->smtp_from == NULL || !tend_email_is_valid (config->smtp_from))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "smtp-from: an e-mail address to send from is needed with smtp-host");
          return FALSE;
        }
      if (strpbrk (config->smtp_host, "/:@ \r\n") != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "smtp-host: expected a host name or address, without a scheme or port");
          return FALSE;
        }
      if (g_strcmp0 (config->smtp_tls, "none") == 0 && config->smtp_user != NULL && !is_loopback_host (config->smtp_host))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "smtp-tls=none with smtp-user would send the password in clear: "
                               "use starttls or tls, or a relay on this machine");
          return FALSE;
        }
      if ((config->smtp_user == NULL) != (config->smtp_password_file == NULL))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "SMTP authentication needs both smtp-user and smtp-password-file");
          return FALSE;
        }
      if (!read_secret ("smtp-password-file", config->smtp_password_file, &config->smtp_password, error))
        return FALSE;
    }
  if (config->sms_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (config->sms_url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          !(g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ||
            (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 && is_loopback_host (g_uri_get_host (uri)))))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "sms-url: expected an https:// URL (http:// only to this machine)");
          return FALSE;
        }
      if (config->sms_account_sid == NULL || config->sms_token_file == NULL || !tend_server_is_e164 (config->sms_from))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "The SMS gateway needs sms-account-sid, sms-token-file and sms-from "
                               "(a number in E.164, such as +15551230000)");
          return FALSE;
        }
      if (strpbrk (config->sms_account_sid, "/?#% \r\n") != NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "sms-account-sid: letters and digits only");
          return FALSE;
        }
      if (!read_secret ("sms-token-file", config->sms_token_file, &config->sms_token, error))
        return FALSE;
    }
  return TRUE;
}

/* Video calls' STUN and TURN servers (tend-server-ice.c). */
static gboolean
check_ice (TendServerConfig *config,
           GError          **error)
{
  if (config->stun_uri != NULL && !tend_ice_check_uri ("stun-uri", config->stun_uri, FALSE, error))
    return FALSE;
  if (config->turn_uri == NULL && config->turn_relay_only)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "turn-relay-only needs turn-uri: without a relay no call could connect");
      return FALSE;
    }
  if (config->turn_uri == NULL)
    return TRUE;
  if (!tend_ice_check_uri ("turn-uri", config->turn_uri, TRUE, error))
    return FALSE;
  if (config->turn_secret_file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "turn-uri needs turn-secret-file: the secret shared with the TURN server "
                           "(coturn's static-auth-secret)");
      return FALSE;
    }
  if (!read_secret ("turn-secret-file", config->turn_secret_file, &config->turn_secret, error))
    return FALSE;
  if (*config->turn_secret == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "turn-secret-file: the file is empty");
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_server_config_check:
 *
 * What must hold before the server starts: a database, a listen address,
 * and TLS unless the address is loopback (health data never crosses a
 * network in the clear).
 */
gboolean
tend_server_config_check (TendServerConfig *config,
                          GError          **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) addr = NULL;
  guint16 port;

  if (config->database == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "No database: give --database CONNINFO or database= in the config file");
      return FALSE;
    }
  if (!tend_server_parse_listen (config->listen, &host, &port, error) ||
      !check_outbox (config, error) || !check_ice (config, error))
    return FALSE;
  if ((config->tls_cert == NULL) != (config->tls_key == NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "TLS needs both a certificate (tls-cert) and its key (tls-key)");
      return FALSE;
    }
  if (config->tls_key != NULL)
    {
      GStatBuf st;

      /* The key is the server's identity: every local user being able to
       * read it is a mistake worth stopping for, not a warning in a log. */
      if (g_stat (config->tls_key, &st) == 0 && (st.st_mode & (S_IROTH | S_IWOTH)) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       "tls-key: %s can be read by every user on this machine (mode %03o): "
                       "make it readable by the server's user only (chmod 600)",
                       config->tls_key, (guint) (st.st_mode & 0777));
          return FALSE;
        }
    }
  g_clear_pointer (&config->proxy_masks, g_ptr_array_unref);
  config->proxy_masks = g_ptr_array_new_with_free_func (g_object_unref);
  if (config->trusted_proxies != NULL)
    {
      g_auto(GStrv) items = g_strsplit_set (config->trusted_proxies, ", ", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          GInetAddressMask *mask;

          if (*items[i] == '\0')
            continue;
          mask = g_inet_address_mask_new_from_string (items[i], NULL);
          if (mask == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "trusted-proxies: “%s” is not an address or a range like 10.0.0.0/8", items[i]);
              return FALSE;
            }
          g_ptr_array_add (config->proxy_masks, mask);
        }
    }
  addr = g_inet_address_new_from_string (host);
  if (config->tls_cert == NULL && !g_inet_address_get_is_loopback (addr))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Refusing plain HTTP on %s, which is not a loopback address: "
                   "configure tls-cert and tls-key, or listen on 127.0.0.1 behind a TLS reverse proxy",
                   host);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_trusted_proxy (TendServerConfig *config,
                  const char       *address)
{
  g_autoptr(GInetAddress) addr = address != NULL ? g_inet_address_new_from_string (address) : NULL;

  if (addr == NULL || config->proxy_masks == NULL)
    return FALSE;
  for (guint i = 0; i < config->proxy_masks->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (config->proxy_masks, i), addr))
      return TRUE;
  return FALSE;
}

/**
 * tend_server_client_address:
 * @peer: the address the connection comes from
 * @forwarded_for: (nullable): the request's X-Forwarded-For
 *
 * The address a request is counted against (the sign-in limit per
 * address).  X-Forwarded-For is believed only from a trusted proxy
 * (trusted-proxies), and read from the right: each hop appends the address
 * it saw, so the first one from the right that is not itself a trusted
 * proxy is the client; what a client wrote at the left is not believed.
 * A list that does not parse counts as the proxy itself.
 *
 * Returns: (transfer full): the client's address
 */
char *
tend_server_client_address (TendServerConfig *config,
                            const char       *peer,
                            const char       *forwarded_for)
{
  g_auto(GStrv) hops = NULL;

  if (peer == NULL)
    return g_strdup ("unknown");
  if (forwarded_for == NULL || !is_trusted_proxy (config, peer))
    return g_strdup (peer);
  hops = g_strsplit (forwarded_for, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      const char *hop = g_strstrip (hops[i - 1]);

      if (!g_hostname_is_ip_address (hop))
        break;
      if (!is_trusted_proxy (config, hop))
        return g_strdup (hop);
    }
  return g_strdup (peer);
}
