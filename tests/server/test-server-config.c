/* test-server-config.c: tend-server's settings, without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tend-server-config.h"
#include "tend-server-ice.h"

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

static void
expect_refused (const char *text,
                const char *says)
{
  g_autoptr(TendServerConfig) config = tend_server_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("tend-conf-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  if (tend_server_config_load_file (config, path, &error))
    {
      config->database = g_strdup ("dbname=unused");
      g_assert_false (tend_server_config_check (config, &error));
    }
  g_assert_nonnull (error);
  if (strstr (error->message, says) == NULL)
    g_error ("expected “%s” in: %s", says, error->message);
  g_unlink (path);
}

/* A secret alone in a temporary file, readable by every user for now. */
static char *
secret_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *secret = NULL;
  int fd = g_file_open_tmp ("tend-secret-XXXXXX", &secret, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (secret, contents, -1, &error));
  g_chmod (secret, 0644);
  return secret;
}

/* @text names @secret: refused while others can read it, then loaded and
 * checked into @config once it is the owner's alone.  Returns the config
 * file's path. */
static char *
load_with_secret (TendServerConfig *config,
                  const char       *text,
                  const char       *secret)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  expect_refused (text, "chmod 600");
  g_chmod (secret, 0600);
  fd = g_file_open_tmp ("tend-conf-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_true (tend_server_config_load_file (config, path, &error));
  config->database = g_strdup ("dbname=unused");
  g_assert_true (tend_server_config_check (config, &error));
  g_assert_no_error (error);
  return path;
}

/* The outbox's settings: what would send badly is refused at start. */
static void
test_outbox_settings (void)
{
  g_autoptr(TendServerConfig) config = tend_server_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  expect_refused ("[server]\nquiet-hours=9pm-8am\n", "quiet-hours");
  expect_refused ("[server]\nsmtp-host=smtp.example.org\n", "smtp-from");
  expect_refused ("[server]\nsmtp-host=smtp.example.org\nsmtp-from=a@example.org\nsmtp-tls=maybe\n", "smtp-tls");
  expect_refused ("[server]\nsmtp-host=smtp.example.org:25\nsmtp-from=a@example.org\n", "smtp-host");
  expect_refused ("[server]\nsmtp-host=smtp.example.org\nsmtp-from=a@example.org\nsmtp-tls=none\n"
                  "smtp-user=u\nsmtp-password-file=/nonexistent\n", "in clear");
  expect_refused ("[server]\nsms-url=http://gateway.example.org\nsms-account-sid=AC1\n"
                  "sms-token-file=/nonexistent\nsms-from=+15550001111\n", "https://");
  expect_refused ("[server]\nsms-url=https://api.twilio.com\nsms-account-sid=AC1\n"
                  "sms-token-file=/nonexistent\nsms-from=5550001111\n", "E.164");
  expect_refused ("[server]\noutbox-senders=0\n", "outbox-senders");

  /* A secret every user can read is refused; one only the owner reads is taken. */
  secret = secret_file ("hunter2\n");
  text = g_strdup_printf ("[server]\nsmtp-host=localhost\nsmtp-from=a@example.org\nsmtp-user=u\n"
                          "smtp-password-file=%s\nquiet-hours=22:30-07:00\n", secret);
  path = load_with_secret (config, text, secret);
  g_assert_cmpstr (config->smtp_password, ==, "hunter2");
  g_assert_cmpint (config->quiet_start_min, ==, 22 * 60 + 30);
  g_assert_cmpint (config->quiet_end_min, ==, 7 * 60);
  g_unlink (secret);
  g_unlink (path);
}

/* Video's STUN and TURN settings, and the TURN REST credentials. */
static void
test_ice_settings (void)
{
  g_autoptr(TendServerConfig) config = tend_server_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autofree char *credential = NULL;

  expect_refused ("[server]\nstun-uri=stun.example.org:3478\n", "stun-uri");
  expect_refused ("[server]\nstun-uri=stun:stun.example.org\n", "stun-uri");
  expect_refused ("[server]\nstun-uri=stun:stun.example.org:3478?transport=udp\n", "stun-uri");
  expect_refused ("[server]\nturn-uri=turn:turn.example.org:99999\nturn-secret-file=/nonexistent\n", "turn-uri");
  expect_refused ("[server]\nturn-uri=turn:user@turn.example.org:3478\nturn-secret-file=/nonexistent\n", "turn-uri");
  expect_refused ("[server]\nturn-uri=turn:turn.example.org:3478?transport=sctp\nturn-secret-file=/nonexistent\n",
                  "turn-uri");
  expect_refused ("[server]\nturn-uri=turn:turn.example.org:3478\n", "turn-secret-file");
  expect_refused ("[server]\nturn-credential-lifetime=5\n", "turn-credential-lifetime");
  /* Relay only, with no relay: no call could connect. */
  expect_refused ("[server]\nturn-relay-only=true\n", "turn-relay-only");
  expect_refused ("[server]\nturn-relay-only=sometimes\n", "turn-relay-only");

  /* HMAC-SHA1 of RFC 2104's usual example, in base64. */
  credential = tend_turn_credential ("key", "The quick brown fox jumps over the lazy dog");
  g_assert_cmpstr (credential, ==, "3nybhbi3iqa8ino29wqQcBydtNk=");

  /* The secret must be the server user's alone, and is then taken. */
  secret = secret_file ("shared-with-coturn\n");
  text = g_strdup_printf ("[server]\nstun-uri=stun:turn.example.org:3478\n"
                          "turn-uri=turn:turn.example.org:3478?transport=udp\n"
                          "turn-secret-file=%s\nturn-credential-lifetime=600\n", secret);
  path = load_with_secret (config, text, secret);
  g_assert_cmpstr (config->turn_secret, ==, "shared-with-coturn");

  /* What a participant is given: the servers, a user name that expires
   * and says whom it is for, and the HMAC; never the secret. */
  json_builder_begin_object (b);
  tend_ice_add_servers (b, config, "guest", 1800000000);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  g_free (credential);
  credential = tend_turn_credential ("shared-with-coturn", "1800000600:guest");
  {
    g_autofree char *expected = g_strdup_printf ("{\"ice_servers\":[{\"urls\":[\"stun:turn.example.org:3478\"]},"
                                                 "{\"urls\":[\"turn:turn.example.org:3478?transport=udp\"],"
                                                 "\"username\":\"1800000600:guest\",\"credential\":\"%s\"}],"
                                                 "\"ice_transport_policy\":\"all\"}",
                                                 credential);

    g_assert_cmpstr (json, ==, expected);
  }
  g_assert_null (strstr (json, "shared-with-coturn"));
  /* turn-relay-only: every participant is told to use the relay alone. */
  g_unlink (path);
  g_free (path);
  g_free (text);
  text = g_strdup_printf ("[server]\nturn-uri=turn:turn.example.org:3478\nturn-secret-file=%s\nturn-relay-only=true\n",
                          secret);
  g_chmod (secret, 0644);
  path = load_with_secret (config, text, secret);
  g_assert_true (config->turn_relay_only);
  {
    g_autoptr(JsonBuilder) relay_b = json_builder_new ();
    g_autoptr(JsonNode) relay_root = NULL;

    json_builder_begin_object (relay_b);
    tend_ice_add_servers (relay_b, config, "guest", 1800000000);
    json_builder_end_object (relay_b);
    relay_root = json_builder_get_root (relay_b);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (relay_root), "ice_transport_policy"), ==,
                     "relay");
  }
  g_unlink (secret);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/config/client-address", test_client_address);
  g_test_add_func ("/server/config/bad-proxies", test_bad_proxies);
  g_test_add_func ("/server/config/outbox", test_outbox_settings);
  g_test_add_func ("/server/config/ice", test_ice_settings);
  return g_test_run ();
}
