/* server-test-util.h: a throwaway PostgreSQL cluster, a real tend-server,
 * and a libsoup client to talk to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char     *dir;
  char     *bindir;
  char        *conninfo;
  gboolean     as_root;
  GSubprocess *postmaster;
} TestPg;

typedef struct
{
  GSubprocess *proc;
  guint16      port;
  char        *base;      /* "http://127.0.0.1:PORT" */
  char        *port_file;
  char        *log_file;  /* the server's standard error */
} TestServer;

typedef struct
{
  guint     status;
  char     *body;
  JsonNode *json;
  char     *retry_after;
  GBytes   *raw;
} TestResponse;

TestPg       *test_pg_start            (void);
void          test_pg_stop             (TestPg        *pg);
PGresult     *test_pg_exec             (TestPg        *pg,
                                        const char    *sql);

TestServer   *test_server_start        (TestPg        *pg,
                                        ...) G_GNUC_NULL_TERMINATED;
void          test_server_stop         (TestServer    *server);
GPid          test_server_get_pid      (TestServer    *server);
char         *test_server_get_log      (TestServer    *server);

JsonNode     *test_admin               (TestPg        *pg,
                                        const char    *password,
                                        ...) G_GNUC_NULL_TERMINATED;

SoupSession  *test_session_new         (void);
/* Every request of @session carries this header from now on (NULL: not). */
void          test_session_set_header  (SoupSession   *session,
                                        const char    *name,
                                        const char    *value);
TestResponse *test_request             (SoupSession   *session,
                                        TestServer    *server,
                                        const char    *method,
                                        const char    *path,
                                        const char    *token,
                                        const char    *body);
TestResponse *test_request_bytes       (SoupSession   *session,
                                        TestServer    *server,
                                        const char    *method,
                                        const char    *path,
                                        const char    *token,
                                        GBytes        *body);
void          test_response_free       (TestResponse  *response);
const char   *test_json_string         (JsonNode      *node,
                                        const char    *path);
gint64        test_json_int            (JsonNode      *node,
                                        const char    *path);
JsonNode     *test_json_get            (JsonNode      *node,
                                        const char    *path);
char         *test_login               (SoupSession   *session,
                                        TestServer    *server,
                                        const char    *email,
                                        const char    *password);
/* One operation pushed; returns its result's status ("applied",
 * "rejected", "conflict"), and its code in @code when rejected. */
char         *test_push_one            (SoupSession   *session,
                                        TestServer    *server,
                                        const char    *token,
                                        const char    *type,
                                        const char    *id,
                                        gint64         base_version,
                                        const char    *body,
                                        char         **code);

/* A client of the live WebSocket that keeps every text message. */
typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *messages;   /* text */
  GError                  *error;
  guint                    status;
  gboolean                 done;
  gboolean                 closed;
} TestLive;

TestLive     *test_live_connect        (SoupSession   *session,
                                        TestServer    *server,
                                        const char    *token);
TestLive     *test_ws_connect          (SoupSession   *session,
                                        TestServer    *server,
                                        const char    *path,
                                        const char    *token);
void          test_live_send           (TestLive      *live,
                                        const char    *format,
                                        ...) G_GNUC_PRINTF (2, 3);
JsonNode     *test_live_wait_type      (TestLive      *live,
                                        const char    *type,
                                        guint          timeout_ms);
guint         test_live_count_type     (TestLive      *live,
                                        const char    *type);
void          test_live_free           (TestLive      *live);
void          test_spin                (guint          ms);

/* A helper process on loopback (tests/server/smtp-sink.py, sms-gateway.py)
 * that writes its port to a file and keeps what it receives as files in
 * its own temporary folder. */
typedef struct
{
  GSubprocess *proc;
  char        *folder;
  guint16      port;
} TestHelper;

TestHelper   *test_helper_start        (const char    *script,
                                        ...) G_GNUC_NULL_TERMINATED;
void          test_helper_stop         (TestHelper    *helper);
GPtrArray    *test_helper_files        (TestHelper    *helper,
                                        const char    *prefix);
guint         test_helper_wait_files   (TestHelper    *helper,
                                        const char    *prefix,
                                        guint          n,
                                        guint          timeout_ms);
void          test_remove_folder       (const char    *folder);

/* coturn on loopback (the TURN REST convention: it checks credentials
 * made with @secret, the secret tend-server shares), relaying between
 * loopback peers, in a temporary folder of its own; its log is kept for
 * the test to read. */
typedef struct
{
  GSubprocess *proc;
  char        *folder;
  char        *log;          /* coturn's log file */
  char        *secret_file;  /* the secret, alone in a file only its owner reads */
  char        *stun_uri;
  char        *turn_uri;
} TestTurn;

TestTurn     *test_turn_start          (const char    *secret);
char         *test_turn_write_config   (TestTurn      *turn,
                                        guint          credential_lifetime_s,
                                        const char    *extra);
void          test_turn_stop           (TestTurn      *turn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestResponse, test_response_free)

G_END_DECLS
