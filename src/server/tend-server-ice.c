/* tend-server-ice.c: the STUN and TURN servers a video call may use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A call between a clinic and a client's home usually connects directly;
 * behind some firewalls it needs a relay (TURN).  The practice configures
 * one STUN and one TURN server (stun-uri, turn-uri); the TURN server shares
 * a secret with tend-server (turn-secret-file) and tend-server gives each
 * participant, when they enter a session's room, credentials that only
 * last turn-credential-lifetime seconds: the "TURN REST API" convention
 * that coturn implements (use-auth-secret): the user name is the expiry
 * time in Unix seconds and, after a colon, who it is for; the password is
 * base64 (HMAC-SHA1 (secret, user name)).  The secret itself never leaves
 * the server.  Browsers take the list as RTCPeerConnection's iceServers;
 * Tend's calls turn it into webrtcbin's URIs (tend_call_set_ice_servers_json).
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-ice.h"

/**
 * tend_ice_check_uri:
 * @key: the setting's name, for the message
 * @uri: "stun:host:port" (@turn %FALSE) or "turn:host:port" with an
 *   optional "?transport=udp" or "?transport=tcp" (@turn %TRUE)
 *
 * The forms RFC 7064 and RFC 7065 give, which browsers accept as they are.
 */
gboolean
tend_ice_check_uri (const char *key,
                    const char *uri,
                    gboolean    turn,
                    GError    **error)
{
  const char *scheme = turn ? "turn:" : "stun:";
  const char *rest, *query;
  g_autofree char *hostport = NULL;
  const char *colon;
  guint64 port;

  if (uri == NULL || !g_str_has_prefix (uri, scheme))
    goto bad;
  rest = uri + strlen (scheme);
  query = strchr (rest, '?');
  if (query != NULL && (!turn || (g_strcmp0 (query, "?transport=udp") != 0 && g_strcmp0 (query, "?transport=tcp") != 0)))
    goto bad;
  hostport = query != NULL ? g_strndup (rest, query - rest) : g_strdup (rest);
  colon = strrchr (hostport, ':');
  if (colon == NULL || colon == hostport ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL) ||
      strpbrk (hostport, "/@ \r\n") != NULL)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               turn ? "%s: expected turn:HOST:PORT, optionally with ?transport=udp or ?transport=tcp, not “%s”"
                    : "%s: expected stun:HOST:PORT, not “%s”",
               key, uri != NULL ? uri : "");
  return FALSE;
}

/**
 * tend_turn_credential:
 *
 * Returns: (transfer full): base64 (HMAC-SHA1 (@secret, @username))
 */
char *
tend_turn_credential (const char *secret,
                      const char *username)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  guint8 digest[20];
  gsize length = sizeof digest;

  g_hmac_update (hmac, (const guchar *) username, -1);
  g_hmac_get_digest (hmac, digest, &length);
  return g_base64_encode (digest, length);
}

/**
 * tend_ice_add_servers:
 * @builder: inside an object
 * @who: whom the TURN user name is for (a staff id, or "guest"): coturn
 *   logs it, so it is never a name or an address
 * @now_unix: the time the credentials start from
 *
 * Adds "ice_servers": [...] in the form of RTCPeerConnection's iceServers,
 * empty when none are configured (then only direct connections work), and
 * "ice_transport_policy": RTCPeerConnection's iceTransportPolicy, "relay"
 * when turn-relay-only is set (no participant learns another's address),
 * else "all".
 */
void
tend_ice_add_servers (JsonBuilder      *builder,
                      TendServerConfig *config,
                      const char       *who,
                      gint64            now_unix)
{
  json_builder_set_member_name (builder, "ice_servers");
  json_builder_begin_array (builder);
  if (config != NULL && config->stun_uri != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "urls");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, config->stun_uri);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  if (config != NULL && config->turn_uri != NULL && config->turn_secret != NULL)
    {
      g_autofree char *username = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", now_unix + (gint64) config->turn_ttl_s,
                                                   who != NULL ? who : "guest");
      g_autofree char *credential = tend_turn_credential (config->turn_secret, username);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "urls");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, config->turn_uri);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, username);
      json_builder_set_member_name (builder, "credential");
      json_builder_add_string_value (builder, credential);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ice_transport_policy");
  json_builder_add_string_value (builder, config != NULL && config->turn_relay_only ? "relay" : "all");
}
