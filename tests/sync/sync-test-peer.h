/* sync-test-peer.h: an app store signed in to a test tend-server, for the
 * sync suite's programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "store-test-util.h"
#include "tend-sync-engine.h"

typedef struct
{
  StoreFixture    f;
  TendStore      *store;
  TendSyncEngine *engine;
} Peer;

/* A new encrypted store signed in as @email.  @gzip: whether the engine
 * asks for compression, set before it signs in (-1: the engine's default). */
static G_GNUC_UNUSED Peer *
peer_open (const char *base,
           const char *email,
           const char *password,
           int         gzip)
{
  Peer *p = g_new0 (Peer, 1);
  g_autoptr(GError) error = NULL;

  store_test_setup (&p->f, NULL);
  p->store = store_test_open (&p->f);
  p->engine = tend_sync_engine_new (p->store, base);
  if (gzip >= 0)
    tend_sync_engine_set_compression (p->engine, gzip != 0);
  g_assert_true (tend_sync_engine_login (p->engine, email, password, NULL, NULL, &error));
  g_assert_no_error (error);
  return p;
}

static G_GNUC_UNUSED void
peer_free (Peer *p)
{
  g_clear_object (&p->engine);
  g_clear_object (&p->store);
  store_test_teardown (&p->f, NULL);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* One sync, which must succeed. */
static G_GNUC_UNUSED TendSyncStats
sync_ok (Peer *p)
{
  g_autoptr(GError) error = NULL;
  TendSyncStats stats = { 0 };

  tend_sync_engine_run (p->engine, &stats, NULL, &error);
  g_assert_no_error (error);
  return stats;
}

/* A store signed in as @email after its first sync, with its person at the
 * keyboard (as the app sets it once the first sync brings their staff
 * record), so the store's rules apply to them. */
static G_GNUC_UNUSED Peer *
peer_open_as_self (const char *base,
                   const char *email,
                   const char *password)
{
  Peer *p = peer_open (base, email, password, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) staff = NULL;

  sync_ok (p);
  staff = tend_store_load (p->store, TEND_TYPE_STAFF, tend_sync_engine_get_staff_id (p->engine), &error);
  g_assert_no_error (error);
  tend_store_set_actor (p->store, tend_record_get_id (staff), tend_staff_get_role (TEND_STAFF (staff)));
  return p;
}
