/* test-sync-gzip.c: compression on the wire, against a real tend-server
 *
 *  - a client that asks for gzip and one that does not, against the same
 *    server, both sync everything;
 *  - one that does not ask gets plain JSON; one that asks gets gzip that
 *    decompresses to the same JSON; a gzip push is applied; a damaged one,
 *    or another encoding, is refused with a clear 4xx and applies nothing;
 *  - a page damaged on the way (a relay flips a byte of a compressed
 *    answer) is a clear error, and nothing of it is applied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server-test-util.h"
#include "store-test-util.h"
#include "sync-test-peer.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"
#define OWNER    "owner@riverbend.example"

static TestPg *pg;
static TestServer *server;

static Peer *
peer_new (const char *base,
          gboolean    gzip)
{
  return peer_open (base, OWNER, PASSWORD, gzip);
}

/* Clients with long enough bodies that pages and pushes pass the
 * compression threshold. */
static void
add_clients (Peer       *p,
             const char *family,
             guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *given = g_strdup_printf ("Given%u", i);
      g_autoptr(TendClient) c = tend_client_new (given, family);

      tend_record_set_string (TEND_RECORD (c), "address.line1", "1200 Willow Creek Road, Apartment 4B");
      tend_record_set_string (TEND_RECORD (c), "referral_source", "Primary care physician");
      store_test_save (p->store, TEND_RECORD (c));
    }
}

static gint64
server_count (const char *family)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM record WHERE type = 'client' AND body LIKE '%%%s%%'",
                                          family);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static void
test_both_clients (void)
{
  g_autoptr(Peer) packed = peer_new (server->base, TRUE);
  g_autoptr(Peer) plain = peer_new (server->base, FALSE);

  sync_ok (packed);
  sync_ok (plain);
  add_clients (packed, "Packed", 40);
  add_clients (plain, "Plain", 40);
  sync_ok (packed);
  sync_ok (plain);
  sync_ok (packed);
  g_assert_cmpint (server_count ("Packed"), ==, 40);
  g_assert_cmpint (server_count ("Plain"), ==, 40);
  g_assert_cmpint (tend_store_count (packed->store, TEND_TYPE_CLIENT, NULL), ==,
                   tend_store_count (plain->store, TEND_TYPE_CLIENT, NULL));
  g_assert_cmpint (tend_store_count (packed->store, TEND_TYPE_CLIENT, NULL), >=, 80);
}

/* Raw HTTP, without libsoup's decoder: what is on the wire. */
typedef struct
{
  guint       status;
  GBytes     *body;
  char       *content_encoding;
  char       *accept_encoding;
} Raw;

static void
raw_free (Raw *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->content_encoding);
  g_free (r->accept_encoding);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static Raw *
raw_request (const char *method,
             const char *path,
             const char *token,
             const char *accept_encoding,
             const char *content_encoding,
             GBytes     *body)
{
  g_autoptr(SoupSession) session = test_session_new ();
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  Raw *r = g_new0 (Raw, 1);

  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  soup_message_headers_replace (headers, "Authorization", auth);
  if (accept_encoding != NULL)
    soup_message_headers_replace (headers, "Accept-Encoding", accept_encoding);
  if (content_encoding != NULL)
    soup_message_headers_replace (headers, "Content-Encoding", content_encoding);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  r->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->content_encoding = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                "Content-Encoding"));
  r->accept_encoding = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Accept-Encoding"));
  return r;
}

static JsonNode *
parse (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup (data, len);
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

static GBytes *
push_body (const char *family,
           guint       n)
{
  GString *s = g_string_new ("{\"ops\":[");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *given = g_strdup_printf ("Given%u", i);
      g_autoptr(TendClient) c = tend_client_new (given, family);
      g_autofree char *body = tend_record_to_body_string (TEND_RECORD (c));

      g_string_append_printf (s, "%s{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,"
                              "\"body\":%s}",
                              i > 0 ? "," : "", id, id, body);
    }
  g_string_append (s, "]}");
  return g_string_free_to_bytes (s);
}

static void
test_wire (void)
{
  g_autoptr(SoupSession) session = test_session_new ();
  g_autofree char *token = test_login (session, server, OWNER, PASSWORD);
  g_autoptr(Peer) p = peer_new (server->base, TRUE);
  g_autoptr(Raw) plain = NULL;
  g_autoptr(Raw) packed = NULL;
  g_autoptr(Raw) refused = NULL;
  g_autoptr(GBytes) unpacked = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  add_clients (p, "Wire", 30);
  sync_ok (p);

  /* Not asked: plain JSON, and the server says it takes gzip. */
  plain = raw_request ("GET", "/v1/changes?limit=100", token, NULL, NULL, NULL);
  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_null (plain->content_encoding);
  g_assert_cmpstr (plain->accept_encoding, ==, "gzip");
  g_assert_cmpuint (g_bytes_get_size (plain->body), >, TEND_GZIP_MIN_SIZE);
  a = parse (plain->body);

  /* Asked: gzip, smaller, the same JSON. */
  packed = raw_request ("GET", "/v1/changes?limit=100", token, "br;q=1.0, gzip;q=0.8", NULL, NULL);
  g_assert_cmpuint (packed->status, ==, 200);
  g_assert_cmpstr (packed->content_encoding, ==, "gzip");
  g_assert_cmpuint (g_bytes_get_size (packed->body), <, g_bytes_get_size (plain->body) / 2);
  unpacked = tend_gzip_decompress (g_bytes_get_data (packed->body, NULL), g_bytes_get_size (packed->body),
                                   G_MAXSIZE, &error);
  g_assert_no_error (error);
  b = parse (unpacked);
  g_assert_true (json_node_equal (a, b));

  /* gzip;q=0 is a no. */
  {
    g_autoptr(Raw) no = raw_request ("GET", "/v1/changes?limit=100", token, "gzip;q=0", NULL, NULL);

    g_assert_null (no->content_encoding);
  }

  /* A compressed push is applied. */
  {
    g_autoptr(GBytes) body = push_body ("GzipPush", 20);
    g_autoptr(GBytes) gz = tend_gzip_compress (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 1);
    g_autoptr(Raw) r = raw_request ("POST", "/v1/push", token, NULL, "gzip", gz);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), "\"applied\""));
    g_assert_cmpint (server_count ("GzipPush"), ==, 20);
  }

  /* A damaged one, or one cut short, is a 400 and applies nothing. */
  {
    g_autoptr(GBytes) body = push_body ("Damaged", 20);
    g_autoptr(GBytes) gz = tend_gzip_compress (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 1);
    guint8 *bytes = g_memdup2 (g_bytes_get_data (gz, NULL), g_bytes_get_size (gz));
    gsize len = g_bytes_get_size (gz);
    g_autoptr(GBytes) damaged = NULL;
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (gz, 0, len - 12);
    g_autoptr(Raw) r1 = NULL;
    g_autoptr(Raw) r2 = NULL;
    g_autoptr(JsonNode) e = NULL;

    bytes[len / 2] ^= 0x55;
    damaged = g_bytes_new_take (bytes, len);
    r1 = raw_request ("POST", "/v1/push", token, NULL, "gzip", damaged);
    g_assert_cmpuint (r1->status, ==, 400);
    e = parse (r1->body);
    g_assert_cmpstr (test_json_string (e, "error.code"), ==, "invalid_encoding");
    r2 = raw_request ("POST", "/v1/push", token, NULL, "gzip", cut);
    g_assert_cmpuint (r2->status, ==, 400);
    g_assert_cmpint (server_count ("Damaged"), ==, 0);
  }

  /* Another encoding: 415. */
  {
    g_autoptr(GBytes) body = push_body ("Brotli", 1);

    refused = raw_request ("POST", "/v1/push", token, NULL, "br", body);
    g_assert_cmpuint (refused->status, ==, 415);
    g_assert_cmpint (server_count ("Brotli"), ==, 0);
  }
}

/* A relay that flips a byte in the body of every compressed answer. */
typedef struct
{
  int       listen_fd;
  guint16   port;
  GThread  *thread;
} Spoiler;

typedef struct
{
  int from;
  int to;
  gboolean spoil;
} Pipe;

static gpointer
copy_thread (gpointer data)
{
  Pipe *p = data;
  GByteArray *head = g_byte_array_new ();
  gsize body_left = 0, body_at = 0;
  gboolean in_body = FALSE, gzip = FALSE;
  guint8 buf[16384];
  ssize_t n;

  while ((n = read (p->from, buf, sizeof buf)) > 0)
    {
      for (ssize_t i = 0; p->spoil && i < n; i++)
        {
          if (in_body)
            {
              if (gzip && body_at == 40)
                buf[i] ^= 0x5a;
              body_at++;
              if (--body_left == 0)
                in_body = FALSE;
              continue;
            }
          g_byte_array_append (head, &buf[i], 1);
          if (head->len >= 4 && memcmp (head->data + head->len - 4, "\r\n\r\n", 4) == 0)
            {
              g_autofree char *text = g_strndup ((char *) head->data, head->len);
              char *cl = g_strstr_len (text, -1, "Content-Length: ");

              gzip = g_strstr_len (text, -1, "Content-Encoding: gzip") != NULL;
              body_left = cl != NULL ? g_ascii_strtoull (cl + 16, NULL, 10) : 0;
              body_at = 0;
              in_body = body_left > 0;
              g_byte_array_set_size (head, 0);
            }
        }
      if (write (p->to, buf, (size_t) n) != n)
        break;
    }
  shutdown (p->to, SHUT_WR);
  g_byte_array_unref (head);
  return NULL;
}

static gpointer
spoiler_thread (gpointer data)
{
  Spoiler *s = data;
  int client;

  while ((client = accept (s->listen_fd, NULL, NULL)) >= 0)
    {
      struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (server->port) };
      int upstream = socket (AF_INET, SOCK_STREAM, 0);
      Pipe up = { client, upstream, FALSE }, down = { upstream, client, TRUE };
      GThread *t1, *t2;

      to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      g_assert_cmpint (connect (upstream, (struct sockaddr *) &to, sizeof to), ==, 0);
      t1 = g_thread_new ("spoil-up", copy_thread, &up);
      t2 = g_thread_new ("spoil-down", copy_thread, &down);
      g_thread_join (t1);
      g_thread_join (t2);
      close (upstream);
      close (client);
    }
  return NULL;
}

static Spoiler *
spoiler_start (void)
{
  Spoiler *s = g_new0 (Spoiler, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t len = sizeof addr;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  s->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (bind (s->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (s->listen_fd, 8), ==, 0);
  g_assert_cmpint (getsockname (s->listen_fd, (struct sockaddr *) &addr, &len), ==, 0);
  s->port = ntohs (addr.sin_port);
  s->thread = g_thread_new ("spoiler", spoiler_thread, s);
  return s;
}

static void
spoiler_stop (Spoiler *s)
{
  shutdown (s->listen_fd, SHUT_RDWR);
  g_thread_join (s->thread);
  close (s->listen_fd);
  g_free (s);
}

static void
test_damaged_page (void)
{
  g_autoptr(Peer) writer = peer_new (server->base, TRUE);
  Spoiler *spoiler = spoiler_start ();
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", spoiler->port);
  g_autoptr(Peer) p = peer_new (base, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  add_clients (writer, "Spoilt", 30);
  sync_ok (writer);

  g_assert_false (tend_sync_engine_run (p->engine, NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "damaged"));
  /* Nothing of the page: no record, no cursor. */
  g_assert_cmpint (tend_store_count (p->store, TEND_TYPE_CLIENT, NULL), ==, 0);
  cursor = tend_store_sync_dup_cursor (p->store);
  g_assert_null (cursor);
  spoiler_stop (spoiler);

  /* Straight to the server, the same store gets everything. */
  {
    g_autoptr(TendSyncEngine) direct = tend_sync_engine_new (p->store, server->base);

    tend_sync_engine_set_token (direct, tend_sync_engine_get_token (p->engine));
    g_clear_error (&error);
    g_assert_true (tend_sync_engine_run (direct, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (tend_store_count (p->store, TEND_TYPE_CLIENT, NULL), ==,
                     tend_store_count (writer->store, TEND_TYPE_CLIENT, NULL));
  }
}

/* An engine left to decide for itself does not compress with a server on
 * this computer: through the spoiler, which damages compressed answers
 * only, it gets every record. */
static void
test_this_computer_plain (void)
{
  g_autoptr(Peer) writer = peer_new (server->base, TRUE);
  Spoiler *spoiler = spoiler_start ();
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", spoiler->port);
  Peer *p = peer_open (base, OWNER, PASSWORD, -1);
  g_autoptr(GError) error = NULL;

  add_clients (writer, "Local", 30);
  sync_ok (writer);
  g_assert_true (tend_sync_engine_run (p->engine, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_store_count (p->store, TEND_TYPE_CLIENT, NULL), ==,
                   tend_store_count (writer->store, TEND_TYPE_CLIENT, NULL));
  peer_free (p);
  spoiler_stop (spoiler);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-gzip/both-clients", test_both_clients);
  g_test_add_func ("/sync-gzip/wire", test_wire);
  g_test_add_func ("/sync-gzip/damaged-page", test_damaged_page);
  g_test_add_func ("/sync-gzip/this-computer-plain", test_this_computer_plain);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", OWNER,
                         "--owner-name", "Olga Owens", NULL);
  server = test_server_start (pg, NULL);
  rc = g_test_run ();
  test_server_stop (server);
  test_pg_stop (pg);
  return rc;
}
