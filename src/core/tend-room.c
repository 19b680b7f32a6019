/* tend-room.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-record-policy.h"
#include "tend-room.h"

struct _TendRoom
{
  TendRecord parent_instance;

  char    *name;
  char    *notes;
  gint64   capacity;
  gboolean active;
  gboolean telehealth;
};

G_DEFINE_FINAL_TYPE (TendRoom, tend_room, TEND_TYPE_RECORD)

static const TendField room_fields[] = {
  { "name", N_("Room name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendRoom, name), 80, NULL, 0, 0 },
  { "capacity", N_("Capacity"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendRoom, capacity), 0, NULL, 1, 200 },
  { "active", N_("Active"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendRoom, active), 0, NULL, 0, 0 },
  { "virtual", N_("Virtual room"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendRoom, telehealth), 0, NULL, 0, 0 },
  { "notes", N_("Notes"), TEND_FIELD_TEXT, 0, G_STRUCT_OFFSET (TendRoom, notes), 2000, NULL, 0, 0 },
};

static const TendRecordPolicy room_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_PRACTICE);

static void
tend_room_class_init (TendRoomClass *klass)
{
  tend_record_class_set_fields (TEND_RECORD_CLASS (klass), "room",
                                room_fields, G_N_ELEMENTS (room_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &room_policy);
}

static void
tend_room_init (TendRoom *self)
{
  self->capacity = 1;
  self->active = TRUE;
}

TendRoom *
tend_room_new (const char *name)
{
  TendRoom *self = TEND_ROOM (tend_record_new (TEND_TYPE_ROOM));

  tend_record_set_string (TEND_RECORD (self), "name", name);
  return self;
}

const char *
tend_room_get_name (TendRoom *self)
{
  g_return_val_if_fail (TEND_IS_ROOM (self), NULL);
  return self->name;
}
