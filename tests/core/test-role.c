/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-role.c: who may do what */
#include "config.h"

#include "tend-core.h"

#define N_PERMISSIONS (TEND_PERMISSION_VIEW_DIAGNOSES + 1)

/* Rows: owner, clinician, supervisor, front_desk, biller. */
static const gboolean expected[N_PERMISSIONS][TEND_N_ROLES] = {
  /* VIEW_DEMOGRAPHICS */ { TRUE,  TRUE,  TRUE,  TRUE,  TRUE  },
  /* EDIT_DEMOGRAPHICS */ { TRUE,  TRUE,  TRUE,  TRUE,  FALSE },
  /* VIEW_CLINICAL     */ { TRUE,  TRUE,  TRUE,  FALSE, FALSE },
  /* EDIT_CLINICAL     */ { TRUE,  TRUE,  TRUE,  FALSE, FALSE },
  /* COSIGN            */ { TRUE,  FALSE, TRUE,  FALSE, FALSE },
  /* MANAGE_BILLING    */ { TRUE,  FALSE, FALSE, FALSE, TRUE  },
  /* RECORD_PAYMENTS   */ { TRUE,  FALSE, FALSE, TRUE,  TRUE  },
  /* MANAGE_SCHEDULE   */ { TRUE,  TRUE,  TRUE,  TRUE,  FALSE },
  /* MANAGE_STAFF      */ { TRUE,  FALSE, FALSE, FALSE, FALSE },
  /* MANAGE_PRACTICE   */ { TRUE,  FALSE, FALSE, FALSE, FALSE },
  /* VIEW_AUDIT        */ { TRUE,  FALSE, FALSE, FALSE, FALSE },
  /* VIEW_DIAGNOSES    */ { TRUE,  TRUE,  TRUE,  FALSE, TRUE  },
};

static void
test_matrix (void)
{
  for (guint p = 0; p < N_PERMISSIONS; p++)
    for (guint r = 0; r < TEND_N_ROLES; r++)
      {
        gboolean can = tend_role_can ((TendRole) r, (TendPermission) p);

        if (can != expected[p][r])
          g_error ("role %s, permission %u: got %d, expected %d",
                   tend_role_to_string ((TendRole) r), p, can, expected[p][r]);
      }
}

/* The rules the product depends on, spelled out. */
static void
test_key_rules (void)
{
  g_assert_false (tend_role_can (TEND_ROLE_FRONT_DESK, TEND_PERMISSION_VIEW_CLINICAL));
  g_assert_false (tend_role_can (TEND_ROLE_FRONT_DESK, TEND_PERMISSION_EDIT_CLINICAL));
  g_assert_true (tend_role_can (TEND_ROLE_FRONT_DESK, TEND_PERMISSION_EDIT_DEMOGRAPHICS));
  g_assert_false (tend_role_can (TEND_ROLE_BILLER, TEND_PERMISSION_EDIT_DEMOGRAPHICS));
  g_assert_false (tend_role_can (TEND_ROLE_BILLER, TEND_PERMISSION_VIEW_CLINICAL));
  g_assert_true (tend_role_can (TEND_ROLE_BILLER, TEND_PERMISSION_MANAGE_BILLING));
  g_assert_true (tend_role_can (TEND_ROLE_SUPERVISOR, TEND_PERMISSION_COSIGN));
  g_assert_false (tend_role_can (TEND_ROLE_CLINICIAN, TEND_PERMISSION_COSIGN));

  for (guint r = 0; r < TEND_N_ROLES; r++)
    {
      g_assert_cmpint (tend_role_can ((TendRole) r, TEND_PERMISSION_MANAGE_STAFF), ==, r == TEND_ROLE_OWNER);
      g_assert_true (tend_role_can ((TendRole) r, TEND_PERMISSION_VIEW_DEMOGRAPHICS));
    }
}

static void
test_string_round_trip (void)
{
  const char * const *nicks = tend_role_get_nicks ();
  TendRole role = TEND_ROLE_BILLER;

  g_assert_cmpuint (g_strv_length ((char **) nicks), ==, TEND_N_ROLES);
  for (guint r = 0; r < TEND_N_ROLES; r++)
    {
      const char *s = tend_role_to_string ((TendRole) r);
      TendRole back = TEND_N_ROLES;

      g_assert_nonnull (s);
      g_assert_cmpstr (s, ==, nicks[r]);
      g_assert_true (tend_role_from_string (s, &back));
      g_assert_cmpint (back, ==, r);
      g_assert_nonnull (tend_role_get_label ((TendRole) r));
      g_assert_cmpstr (tend_role_get_label ((TendRole) r), !=, "");
    }
  g_assert_cmpstr (tend_role_to_string (TEND_ROLE_FRONT_DESK), ==, "front_desk");
  g_assert_cmpstr (tend_role_to_string (TEND_ROLE_OWNER), ==, "owner");

  g_assert_false (tend_role_from_string ("janitor", &role));
  g_assert_false (tend_role_from_string ("Owner", &role));
  g_assert_false (tend_role_from_string ("", &role));
  g_assert_false (tend_role_from_string (NULL, &role));
  g_assert_cmpint (role, ==, TEND_ROLE_BILLER);   /* untouched */
  g_assert_true (tend_role_from_string ("owner", NULL));
}

/* A staff record's role nick is the same vocabulary. */
static void
test_staff_role_nicks (void)
{
  for (guint r = 0; r < TEND_N_ROLES; r++)
    {
      g_autoptr(TendStaff) staff = tend_staff_new ("Maya", "Okafor", (TendRole) r);

      g_assert_cmpstr (tend_record_get_string (TEND_RECORD (staff), "role"), ==,
                       tend_role_to_string ((TendRole) r));
      g_assert_cmpint (tend_staff_get_role (staff), ==, r);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/role/matrix", test_matrix);
  g_test_add_func ("/role/key-rules", test_key_rules);
  g_test_add_func ("/role/string-round-trip", test_string_round_trip);
  g_test_add_func ("/role/staff-nicks", test_staff_role_nicks);

  return g_test_run ();
}
