/* tend-server-main.c: the tend-server program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>

#include "tend-server.h"
#include "tend-server-admin.h"

static gboolean
on_signal_cb (gpointer data)
{
  tend_server_stop (TEND_SERVER (data));
  return G_SOURCE_CONTINUE;
}

static void
on_stopped_cb (TendServer *server,
               GMainLoop  *loop)
{
  g_main_loop_quit (loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TendServerConfig) config = tend_server_config_new ();
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *config_file = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *database = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *trusted_proxies = NULL;
  gint64 token_lifetime = 0;
  int pool_size = 0, debug_delay = 0, max_queued = 0;
  int signin_threads = 0, signin_max_queued = 0, login_max_signins = 0;
  int login_max_failures = 0, login_max_failures_per_address = 0, header_timeout = 0, idle_timeout = 0;
  gint64 max_record_size = 0, max_page_bytes = 0, blob_quota = -1;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, "Read settings from FILE ([server] group)", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "Address and port (default 127.0.0.1:8080; port 0 picks one)", "HOST:PORT" },
    { "database", 'd', 0, G_OPTION_ARG_STRING, &database, "PostgreSQL connection string", "CONNINFO" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file, "Write the bound port to FILE", "FILE" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "TLS certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "TLS private key (PEM)", "FILE" },
    { "trusted-proxies", 0, 0, G_OPTION_ARG_STRING, &trusted_proxies,
      "Believe X-Forwarded-For from these addresses or ranges (comma-separated)", "ADDRESSES" },
    { "pool-size", 0, 0, G_OPTION_ARG_INT, &pool_size, "PostgreSQL connections and worker threads", "N" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT64, &token_lifetime, "Seconds a sign-in lasts", "SECONDS" },
    { "max-queued", 0, 0, G_OPTION_ARG_INT, &max_queued, "Requests waiting for a worker before 503", "N" },
    { "signin-threads", 0, 0, G_OPTION_ARG_INT, &signin_threads, "Threads that check passwords (their own pool)", "N" },
    { "signin-max-queued", 0, 0, G_OPTION_ARG_INT, &signin_max_queued, "Password checks waiting before 503", "N" },
    { "login-max-failures", 0, 0, G_OPTION_ARG_INT, &login_max_failures, "Failed sign-ins per account within the window", "N" },
    { "login-max-failures-per-address", 0, 0, G_OPTION_ARG_INT, &login_max_failures_per_address,
      "Failed sign-ins per remote address within the window", "N" },
    { "login-max-signins", 0, 0, G_OPTION_ARG_INT, &login_max_signins, "Successful sign-ins per account within the window", "N" },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout, "Seconds a request's headers may take to arrive", "SECONDS" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout, "Seconds a kept-alive connection may sit idle", "SECONDS" },
    { "max-record-size", 0, 0, G_OPTION_ARG_INT64, &max_record_size, "Largest record body a push may carry (bytes)", "BYTES" },
    { "max-page-bytes", 0, 0, G_OPTION_ARG_INT64, &max_page_bytes, "A /v1/changes page stops after this many bytes", "BYTES" },
    { "blob-quota", 0, 0, G_OPTION_ARG_INT64, &blob_quota, "Bytes of documents each practice may store", "BYTES" },
    { "debug-delay-ms", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &debug_delay, "Tests: hold each API request", "MS" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  if (argc > 1 && g_strcmp0 (argv[1], "admin") == 0)
    return tend_server_admin_main (argc - 1, argv + 1);

  context = g_option_context_new ("- the Tend central API server");
  g_option_context_set_description (context,
                                    "Administration: tend-server admin --help\n"
                                    "Flags given here override the config file.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tend-server: %s\n", error->message);
      return 2;
    }
  if (config_file != NULL && !tend_server_config_load_file (config, config_file, &error))
    {
      g_printerr ("tend-server: %s\n", error->message);
      return 2;
    }
#define OVERRIDE(field, value) \
  if (value != NULL) { g_free (config->field); config->field = g_steal_pointer (&value); }
  OVERRIDE (listen, listen);
  OVERRIDE (database, database);
  OVERRIDE (port_file, port_file);
  OVERRIDE (tls_cert, tls_cert);
  OVERRIDE (tls_key, tls_key);
  OVERRIDE (trusted_proxies, trusted_proxies);
#undef OVERRIDE
  if (pool_size > 0)
    config->pool_size = (guint) pool_size;
  if (token_lifetime > 0)
    config->token_lifetime_s = token_lifetime;
  if (max_queued > 0)
    config->max_queued = (guint) max_queued;
  if (signin_threads > 0)
    config->signin_threads = (guint) signin_threads;
  if (signin_max_queued > 0)
    config->signin_max_queued = (guint) signin_max_queued;
  if (login_max_failures > 0)
    config->login_max_failures = (guint) login_max_failures;
  if (login_max_failures_per_address > 0)
    config->login_max_failures_per_address = (guint) login_max_failures_per_address;
  if (login_max_signins > 0)
    config->login_max_signins = (guint) login_max_signins;
  if (header_timeout > 0)
    config->header_timeout_s = (guint) header_timeout;
  if (idle_timeout > 0)
    config->idle_timeout_s = (guint) idle_timeout;
  if (max_record_size > 0)
    config->max_record_size = (gsize) max_record_size;
  if (max_page_bytes > 0)
    config->max_page_bytes = (gsize) max_page_bytes;
  if (blob_quota >= 0)
    config->blob_quota = (guint64) blob_quota;
  if (debug_delay > 0)
    config->debug_delay_ms = (guint) debug_delay;
  if (!tend_server_config_check (config, &error))
    {
      g_printerr ("tend-server: %s\n", error->message);
      return 2;
    }

  /* A client that goes away mid-response must not kill the server. */
  signal (SIGPIPE, SIG_IGN);

  server = tend_server_new (g_steal_pointer (&config), &error);
  if (server == NULL || !tend_server_start (server, &error))
    {
      g_printerr ("tend-server: %s\n", error->message);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (server, "stopped", G_CALLBACK (on_stopped_cb), loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, server);
  g_unix_signal_add (SIGINT, on_signal_cb, server);
  g_main_loop_run (loop);
  g_message ("Stopped");
  return 0;
}
