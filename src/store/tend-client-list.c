/* tend-client-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Holds only the matching row ids; each TendClient is loaded when the view
 * asks for it (an indexed lookup, microseconds), so 50,000 clients cost 400 KB.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <string.h>

#include "tend-client-list.h"
#include "tend-store-private.h"

#define SEARCH_LIMIT 500
#define CACHE_MAX    2048

struct _TendClientList
{
  GObject     parent_instance;

  TendStore  *store;
  char       *query;
  GArray     *rids;
  GHashTable *cache;   /* rid -> TendClient */
  gboolean    truncated;
  char       *status;        /* "active", "inactive", "discharged" or NULL */
  char       *clinician_id;  /* or NULL */
  TendClientSort sort;
  guint       first;         /* > 0: list only this many until tend_client_list_load_all () */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TendClientList, tend_client_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_N_ITEMS,
  PROP_FIRST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The rids the filters and sort allow, in the sort's order. */
static GArray *
filtered_rids (TendClientList *self,
               GError        **error)
{
  static const char * const sql[] = {
    "SELECT rid FROM client WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)"
    " AND (?2 IS NULL OR primary_clinician_id = ?2) ORDER BY sort_key, rid",
    "SELECT rid FROM client WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)"
    " AND (?2 IS NULL OR primary_clinician_id = ?2) ORDER BY record_number IS NULL, record_number, rid",
    "SELECT rid FROM client WHERE deleted = 0 AND (?1 IS NULL OR status = ?1)"
    " AND (?2 IS NULL OR primary_clinician_id = ?2) ORDER BY rid DESC",
  };
  sqlite3_stmt *stmt = tend_store_prepare_cached (self->store, sql[self->sort], error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->clinician_id, -1, SQLITE_TRANSIENT);
  return tend_store_collect_rids (self->store, stmt, error);
}

/* The first rows in name order, for a window's first frame: listing all of
 * 50,000 clients (an index walk, about 8 ms) waits until after it. */
static GArray *
first_rids (TendClientList *self,
            GError        **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (self->store,
                                                  "SELECT rid FROM client WHERE deleted = 0"
                                                  " ORDER BY deleted, sort_key, rid LIMIT ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->first);
  return tend_store_collect_rids (self->store, stmt, error);
}

static gboolean
has_filter (TendClientList *self)
{
  return self->status != NULL || self->clinician_id != NULL || self->sort != TEND_CLIENT_SORT_NAME;
}

static void
reload (TendClientList *self)
{
  g_autoptr(GError) error = NULL;
  guint old_n = self->rids->len;
  GArray *rids;

  if (self->query != NULL && *self->query != '\0')
    {
      /* Matches in name order, keeping those the filters allow. */
      rids = tend_store_search_clients (self->store, self->query, has_filter (self) ? 0 : SEARCH_LIMIT + 1, &error);
      if (rids != NULL && has_filter (self))
        {
          g_autoptr(GArray) allowed = filtered_rids (self, &error);
          g_autoptr(GHashTable) set = g_hash_table_new (g_int64_hash, g_int64_equal);
          guint kept = 0;

          for (guint i = 0; allowed != NULL && i < allowed->len; i++)
            g_hash_table_add (set, &g_array_index (allowed, gint64, i));
          for (guint i = 0; i < rids->len; i++)
            if (g_hash_table_contains (set, &g_array_index (rids, gint64, i)))
              g_array_index (rids, gint64, kept++) = g_array_index (rids, gint64, i);
          g_array_set_size (rids, kept);
        }
    }
  else if (has_filter (self))
    rids = filtered_rids (self, &error);
  else if (self->first > 0)
    rids = first_rids (self, &error);
  else
    rids = tend_store_list_client_rids (self->store, &error);

  if (rids == NULL)
    {
      /* The message carries no health data: only the database's words. */
      g_warning ("Could not list clients: %s", error->message);
      rids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  self->truncated = self->query != NULL && *self->query != '\0' && rids->len > SEARCH_LIMIT;
  if (self->truncated)
    g_array_set_size (rids, SEARCH_LIMIT);

  /* The rest of a list whose start is unchanged (the whole list after the
   * first rows): only the new rows are announced, so the view keeps the
   * rows it has built. */
  if (rids->len > old_n && old_n > 0 &&
      memcmp (rids->data, self->rids->data, old_n * sizeof (gint64)) == 0)
    {
      g_array_unref (self->rids);
      self->rids = rids;
      g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, rids->len - old_n);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }
  g_array_unref (self->rids);
  self->rids = rids;
  g_hash_table_remove_all (self->cache);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, rids->len);
  if (old_n != rids->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_store_changed_cb (TendStore      *store,
                     const char     *type_name,
                     const char     *id,
                     TendClientList *self)
{
  if (g_strcmp0 (type_name, "client") == 0)
    reload (self);
}

static GType
list_get_item_type (GListModel *model)
{
  return TEND_TYPE_CLIENT;
}

static guint
list_get_n_items (GListModel *model)
{
  return TEND_CLIENT_LIST (model)->rids->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  TendClientList *self = TEND_CLIENT_LIST (model);
  g_autoptr(GError) error = NULL;
  TendRecord *client;
  gint64 rid;

  if (position >= self->rids->len)
    return NULL;
  rid = g_array_index (self->rids, gint64, position);
  client = g_hash_table_lookup (self->cache, &rid);
  if (client != NULL)
    return g_object_ref (client);

  client = tend_store_load_by_rid (self->store, TEND_TYPE_CLIENT, rid, &error);
  if (client == NULL)
    {
      g_warning ("Could not load a client: %s", error->message);
      return NULL;
    }
  if (g_hash_table_size (self->cache) >= CACHE_MAX)
    g_hash_table_remove_all (self->cache);
  g_hash_table_insert (self->cache, g_memdup2 (&rid, sizeof rid), g_object_ref (client));
  return client;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
tend_client_list_constructed (GObject *object)
{
  TendClientList *self = TEND_CLIENT_LIST (object);

  G_OBJECT_CLASS (tend_client_list_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  reload (self);
}

static void
tend_client_list_dispose (GObject *object)
{
  TendClientList *self = TEND_CLIENT_LIST (object);

  g_clear_object (&self->store);
  if (self->cache != NULL)
    g_hash_table_remove_all (self->cache);
  G_OBJECT_CLASS (tend_client_list_parent_class)->dispose (object);
}

static void
tend_client_list_finalize (GObject *object)
{
  TendClientList *self = TEND_CLIENT_LIST (object);

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->rids, g_array_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->clinician_id, g_free);
  G_OBJECT_CLASS (tend_client_list_parent_class)->finalize (object);
}

static void
tend_client_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TendClientList *self = TEND_CLIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rids->len);
      break;
    case PROP_FIRST:
      g_value_set_uint (value, self->first);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_client_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TendClientList *self = TEND_CLIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      tend_client_list_set_query (self, g_value_get_string (value));
      break;
    case PROP_FIRST:
      self->first = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_client_list_class_init (TendClientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tend_client_list_constructed;
  object_class->dispose = tend_client_list_dispose;
  object_class->finalize = tend_client_list_finalize;
  object_class->get_property = tend_client_list_get_property;
  object_class->set_property = tend_client_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEND_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* > 0: the plain list (no search, no filter) holds only its first this
   * many rows until tend_client_list_load_all (). */
  properties[PROP_FIRST] =
    g_param_spec_uint ("first", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tend_client_list_init (TendClientList *self)
{
  self->rids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

TendClientList *
tend_client_list_new (TendStore *store)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return g_object_new (TEND_TYPE_CLIENT_LIST, "store", store, NULL);
}

/**
 * tend_client_list_new_first:
 * @first: how many rows to list until tend_client_list_load_all ()
 *
 * A list for a window's first frame: its plain listing (no search, no
 * filter) holds only the first @first clients by name, which is quick,
 * until tend_client_list_load_all () after that frame.
 */
TendClientList *
tend_client_list_new_first (TendStore *store,
                            guint      first)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return g_object_new (TEND_TYPE_CLIENT_LIST, "store", store, "first", first, NULL);
}

/* Lists every client from now on (announcing only the rows added). */
void
tend_client_list_load_all (TendClientList *self)
{
  g_return_if_fail (TEND_IS_CLIENT_LIST (self));

  if (self->first == 0)
    return;
  self->first = 0;
  reload (self);
}

/* Whether the list holds every row it should (not only the first ones). */
gboolean
tend_client_list_is_complete (TendClientList *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT_LIST (self), TRUE);
  return self->first == 0 || self->rids->len < self->first ||
         (self->query != NULL && *self->query != '\0') || has_filter (self);
}

const char *
tend_client_list_get_query (TendClientList *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT_LIST (self), NULL);
  return self->query;
}

void
tend_client_list_set_query (TendClientList *self,
                            const char     *query)
{
  g_return_if_fail (TEND_IS_CLIENT_LIST (self));

  /* No query and an empty one are the same list: do not reload it. */
  if (g_strcmp0 (self->query != NULL ? self->query : "", query != NULL ? query : "") == 0)
    return;
  g_free (self->query);
  self->query = g_strdup (query);
  if (self->store != NULL)
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

guint
tend_client_list_get_limit (TendClientList *self)
{
  return SEARCH_LIMIT;
}

gboolean
tend_client_list_is_truncated (TendClientList *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT_LIST (self), FALSE);
  return self->truncated;
}

/**
 * tend_client_list_set_filter:
 * @status: (nullable): "active", "inactive", "discharged", or %NULL for all
 * @clinician_id: (nullable): one clinician's clients, or %NULL for all
 * @sort: the order without a search (a search lists matches by name)
 */
void
tend_client_list_set_filter (TendClientList *self,
                             const char     *status,
                             const char     *clinician_id,
                             TendClientSort  sort)
{
  g_return_if_fail (TEND_IS_CLIENT_LIST (self));
  if (g_strcmp0 (status, self->status) == 0 && g_strcmp0 (clinician_id, self->clinician_id) == 0 &&
      sort == self->sort)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_free (self->clinician_id);
  self->clinician_id = g_strdup (clinician_id);
  self->sort = sort;
  reload (self);
}
