/* test-server-config.c: tend-server's settings, without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "tend-server-config.h"

static TendServerConfig *
config_with_proxies (const char *proxies)
{
  TendServerConfig *config = tend_server_config_new ();
  g_autoptr(GError) error = NULL;

  config->database = g_strdup ("dbname=unused");
  config->trusted_proxies = g_strdup (proxies);
  g_assert_true (tend_server_config_check (config, &error));
  g_assert_no_error (error);
  return config;
}

static void
check (TendServerConfig *config,
       const char       *peer,
       const char       *forwarded_for,
       const char       *expected)
{
  g_autofree char *address = tend_server_client_address (config, peer, forwarded_for);

  g_assert_cmpstr (address, ==, expected);
}

/* X-Forwarded-For is believed from trusted proxies only, from the right. */
static void
test_client_address (void)
{
  g_autoptr(TendServerConfig) none = config_with_proxies (NULL);
  g_autoptr(TendServerConfig) proxies = config_with_proxies ("127.0.0.1, 10.0.0.0/8,::1");

  /* No proxy trusted: the header is anybody's to write. */
  check (none, "127.0.0.1", "203.0.113.5", "127.0.0.1");
  check (none, "198.51.100.7", NULL, "198.51.100.7");
  check (none, NULL, "203.0.113.5", "unknown");

  /* From a trusted proxy: the last hop it saw. */
  check (proxies, "127.0.0.1", "203.0.113.5", "203.0.113.5");
  check (proxies, "::1", "2001:db8::5", "2001:db8::5");
  /* What the client wrote at the left is not believed. */
  check (proxies, "127.0.0.1", "192.0.2.66, 203.0.113.5", "203.0.113.5");
  /* Trusted hops on the way are skipped. */
  check (proxies, "127.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5");
  /* Only proxies: the nearest. */
  check (proxies, "127.0.0.1", "10.1.2.3", "127.0.0.1");
  /* Not an address where the proxy's hop should be: counted as the proxy. */
  check (proxies, "127.0.0.1", "203.0.113.5, unknown", "127.0.0.1");
  check (proxies, "127.0.0.1", "", "127.0.0.1");
  /* A peer that is not a proxy is itself, whatever it sends. */
  check (proxies, "198.51.100.7", "203.0.113.5", "198.51.100.7");
}

static void
test_bad_proxies (void)
{
  g_autoptr(TendServerConfig) config = tend_server_config_new ();
  g_autoptr(GError) error = NULL;

  config->database = g_strdup ("dbname=unused");
  config->trusted_proxies = g_strdup ("10.0.0.0/8, proxy.example.org");
  g_assert_false (tend_server_config_check (config, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "proxy.example.org"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/config/client-address", test_client_address);
  g_test_add_func ("/server/config/bad-proxies", test_bad_proxies);
  return g_test_run ();
}
