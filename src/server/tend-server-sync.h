/* tend-server-sync.h: the change feed, push, and who sees and writes what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-core.h"

G_BEGIN_DECLS

/* One operation of a push, pointing into the request's JSON. */
typedef struct
{
  const char *op_id;
  const char *type;
  const char *id;
  gint64      base_version;
  gboolean    deleted;
  JsonNode   *body;
} TendPushOp;

JsonNode   *tend_json_parse_request  (const char        *data,
                                      gsize              len,
                                      char             **message);
TendPushOp *tend_push_read_ops       (JsonNode          *root,
                                      guint              max_ops,
                                      guint             *n_ops,
                                      char             **message);
gboolean    tend_push_prepare        (const TendPushOp  *op,
                                      TendRole           role,
                                      TendRecord       **record,
                                      const char       **code,
                                      char             **message);

gboolean  tend_sync_role_may_read   (TendRole     role,
                                     const char  *type);
gboolean  tend_sync_role_may_write  (TendRole     role,
                                     const char  *type);
char    **tend_sync_readable_types  (TendRole     role);
char     *tend_sync_cursor_encode   (const char  *epoch,
                                     gint64       seq,
                                     gint64       horizon);
gboolean  tend_sync_cursor_decode   (const char  *cursor,
                                     char       **epoch,
                                     gint64      *seq,
                                     gint64      *horizon);

/* The portal's client writes (tend-server-sync.c). */
typedef struct _TendClientActor TendClientActor;
typedef struct _TendRequest TendRequest;
typedef struct _TendPgConn TendPgConn;

TendClientActor *tend_client_actor_new       (TendRequest      *req,
                                              TendPgConn       *conn,
                                              const char       *client_id);
void             tend_client_actor_free      (TendClientActor  *self);
TendPolicyActor *tend_client_actor_get_actor (TendClientActor  *self);
TendPgConn      *tend_client_actor_get_conn  (TendClientActor  *self);
TendRecord      *tend_client_actor_load      (TendClientActor  *self,
                                              GType             type,
                                              const char       *id,
                                              GError          **error);
gboolean         tend_client_actor_begin     (TendClientActor  *self,
                                              GError          **error);
gboolean         tend_client_actor_apply     (TendClientActor  *self,
                                              TendRecord       *record,
                                              const char      **code,
                                              char            **message,
                                              GError          **error);
gboolean         tend_client_actor_apply_as_server (TendClientActor *self,
                                                    TendRecord      *record,
                                                    GError         **error);
gboolean         tend_client_actor_commit    (TendClientActor  *self,
                                              GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendClientActor, tend_client_actor_free)

G_END_DECLS
