/* fuzz-push.c: libFuzzer target for the request parsing and the push
 * handler's checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built only when meson's C compiler is clang (see meson.build and
 * README.md here).  Each input goes through what POST /v1/push does before
 * the database: the request JSON parser (depth and UTF-8 checks included),
 * reading the operations, and, for every role, the type policy and the
 * core codec.  Every accepted body must validate again after a round trip
 * through the codec (what the server stores is what the app reads back).
 * The input is also tried as a change-feed cursor and as an
 * X-Forwarded-For.  A crash, a leak,
 * undefined behaviour or a hang is a bug.
 */
#define G_LOG_DOMAIN "tend-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tend-server-config.h"
#include "tend-server-sync.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_round_trip (TendRecord *record)
{
  g_autofree char *body = tend_record_to_body_string (record);
  g_autoptr(TendRecord) again = tend_record_new (G_OBJECT_TYPE (record));
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_record_load_body_string (again, body, -1, &error));
  g_assert_no_error (error);
  g_assert_true (tend_record_validate (again, &error));
  g_assert_no_error (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *message = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) root = NULL;
  g_autofree TendPushOp *ops = NULL;
  g_autofree char *epoch = NULL;
  gint64 seq, horizon;
  guint n = 0;

  /* As an X-Forwarded-For from a trusted proxy: an address from the list,
   * or the proxy's own. */
  {
    static TendServerConfig *config;
    g_autofree char *address = NULL;

    if (config == NULL)
      {
        config = tend_server_config_new ();
        config->database = g_strdup ("dbname=unused");
        config->trusted_proxies = g_strdup ("127.0.0.1,10.0.0.0/8");
        g_assert_true (tend_server_config_check (config, NULL));
      }
    address = tend_server_client_address (config, "127.0.0.1", text);
    g_assert_true (g_hostname_is_ip_address (address));
  }

  /* As a cursor: decoded or refused, and re-encoded the same. */
  if (tend_sync_cursor_decode (text, &epoch, &seq, &horizon))
    {
      g_autofree char *back = tend_sync_cursor_encode (epoch, seq, horizon);
      g_autofree char *epoch2 = NULL;
      gint64 seq2, horizon2;

      g_assert_true (tend_sync_cursor_decode (back, &epoch2, &seq2, &horizon2));
      g_assert_cmpint (seq, ==, seq2);
      g_assert_cmpint (horizon, ==, horizon2);
    }

  root = tend_json_parse_request ((const char *) data, size, &message);
  if (root == NULL)
    {
      g_assert_nonnull (message);
      return 0;
    }
  ops = tend_push_read_ops (root, 500, &n, &message);
  if (ops == NULL)
    {
      g_assert_nonnull (message);
      return 0;
    }
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (g_uuid_string_is_valid (ops[i].id));
      for (TendRole role = 0; role < TEND_N_ROLES; role++)
        {
          g_autoptr(TendRecord) record = NULL;
          g_autofree char *why = NULL;
          const char *code = NULL;

          if (tend_push_prepare (&ops[i], role, &record, &code, &why))
            {
              g_assert_true (tend_sync_role_may_write (role, ops[i].type));
              g_assert_true ((record == NULL) == ops[i].deleted);
              if (record != NULL)
                {
                  TendPolicyActor actor = { .staff_id = ops[i].id, .role = role };
                  g_autoptr(GError) refused = NULL;

                  check_round_trip (record);
                  /* The record policy on any body, as a new record and as
                   * an edit of itself: refusals are errors, never crashes. */
                  if (!tend_record_policy_check_write (&actor, G_OBJECT_TYPE (record), NULL, record, &refused))
                    g_assert_nonnull (refused);
                  g_clear_error (&refused);
                  if (!tend_record_policy_check_write (&actor, G_OBJECT_TYPE (record), record, record, &refused))
                    g_assert_nonnull (refused);
                }
            }
          else
            g_assert_true (code != NULL && why != NULL);
        }
    }
  return 0;
}
