/* tend-demo.h: plausible, deterministic demonstration data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_DEMO_DEFAULT_CLIENTS 2000
#define TEND_DEMO_MAX_CLIENTS     50000
#define TEND_DEMO_DEFAULT_SEED    42

/* What tend_demo_generate() always creates besides the clients. */
#define TEND_DEMO_N_CLINICIANS    8
#define TEND_DEMO_N_FRONT_DESK    2
#define TEND_DEMO_N_BILLERS       1
#define TEND_DEMO_N_ROOMS         4

/* Clients are written this many to a transaction. */
#define TEND_DEMO_BATCH_SIZE      1000

/* The most years of appointments tend_demo_generate() makes. */
#define TEND_DEMO_MAX_APPOINTMENT_YEARS 5

/**
 * TendDemoOptions:
 * @n_clients: how many clients to create (1 to %TEND_DEMO_MAX_CLIENTS)
 * @seed: the same seed always gives the same data
 * @password: (nullable): when set, the owner (Maya Okafor) can sign in to the
 *   app on this computer with it; the store opens straight to her
 * @appointment_years: how many years of appointments to make, ending three
 *   months after the reference day (2026-11-01); 0 (the default) for none,
 *   at most %TEND_DEMO_MAX_APPOINTMENT_YEARS
 *
 * Fill it with tend_demo_options_init() first, so fields added later get
 * their defaults.
 */
typedef struct
{
  guint       n_clients;
  guint32     seed;
  const char *password;
  guint       appointment_years;
} TendDemoOptions;

#define TEND_DEMO_DEFAULT_PASSWORD "riverbend-demo"

/**
 * TendDemoProgressFunc:
 * @done: clients written so far
 * @total: clients to write
 * @user_data: the data given to tend_demo_generate()
 *
 * Called after each committed batch, from the thread running
 * tend_demo_generate().  With appointments, @done and @total count the
 * clients and then the recurring series (each with its occurrences).
 */
typedef void (*TendDemoProgressFunc) (guint    done,
                                      guint    total,
                                      gpointer user_data);

void     tend_demo_options_init (TendDemoOptions       *opts);
gboolean tend_demo_generate     (TendStore             *store,
                                 const TendDemoOptions *opts,
                                 TendDemoProgressFunc   progress,
                                 gpointer               user_data,
                                 GCancellable          *cancellable,
                                 GError               **error);
char    *tend_demo_make_npi     (GRand                 *rand);
guint    tend_demo_count_clinicians (const TendDemoOptions *opts);
guint    tend_demo_count_rooms  (const TendDemoOptions *opts);

G_END_DECLS
