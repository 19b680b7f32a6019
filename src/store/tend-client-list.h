/* tend-client-list.h: a GListModel of clients, for search as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_CLIENT_SORT_NAME,
  TEND_CLIENT_SORT_RECORD_NUMBER,
  TEND_CLIENT_SORT_NEWEST,
} TendClientSort;

#define TEND_TYPE_CLIENT_LIST (tend_client_list_get_type ())
G_DECLARE_FINAL_TYPE (TendClientList, tend_client_list, TEND, CLIENT_LIST, GObject)

TendClientList *tend_client_list_new          (TendStore      *store);
TendClientList *tend_client_list_new_first    (TendStore      *store,
                                               guint           first);
void            tend_client_list_load_all     (TendClientList *self);
gboolean        tend_client_list_is_complete  (TendClientList *self);
const char     *tend_client_list_get_query    (TendClientList *self);
void            tend_client_list_set_query    (TendClientList *self,
                                               const char     *query);
guint           tend_client_list_get_limit    (TendClientList *self);
gboolean        tend_client_list_is_truncated (TendClientList *self);
void            tend_client_list_set_filter   (TendClientList *self,
                                               const char     *status,
                                               const char     *clinician_id,
                                               TendClientSort  sort);

G_END_DECLS
