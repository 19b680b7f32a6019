/* tend-server-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One language's gettext catalogue (a .mo file, as msgfmt writes it),
 * read into memory and looked up by context and msgid, for text the
 * server makes in the language of the person it is for rather than in
 * its own.  Why not gettext itself: its language is the process's
 * (LANGUAGE, setlocale) or, with uselocale () and newlocale (), the
 * thread's, and either way only a locale the system has generated can be
 * chosen (a server or container often has C.UTF-8 alone, and then
 * dgettext answers in English without a word); a catalogue read here
 * needs no locale and no process state, and is read-only once loaded, so
 * any thread may look up in it.
 *
 * The format: a header (magic, revision, count N, offsets of the original
 * and translated string tables), then N (length, offset) pairs in each
 * table, the originals sorted (msgfmt sorts them), so a binary search
 * finds a msgid.  A msgid with a context is "CONTEXT\004MSGID"; plural
 * forms follow the first after a NUL, so the first form is what this
 * returns (the server's texts have no plurals).
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-catalog.h"

#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U

struct _TendCatalog
{
  GBytes       *bytes;
  const guint8 *data;
  gsize         size;
  gboolean      swapped;
  guint32       n;
  guint32       originals;
  guint32       translations;
};

static guint32
word (TendCatalog *catalog,
      gsize        offset)
{
  guint32 v;

  memcpy (&v, catalog->data + offset, sizeof v);
  return catalog->swapped ? GUINT32_SWAP_LE_BE (v) : v;
}

/* Entry @i of the table at @table: its string, or %NULL when the file
 * does not hold it whole (with its NUL). */
static const char *
entry (TendCatalog *catalog,
       guint32      table,
       guint32      i)
{
  gsize at = (gsize) table + (gsize) i * 8;
  guint32 length, offset;

  length = word (catalog, at);
  offset = word (catalog, at + 4);
  if ((gsize) offset + length >= catalog->size || catalog->data[offset + length] != '\0')
    return NULL;
  return (const char *) catalog->data + offset;
}

/**
 * tend_catalog_load:
 * @path: a .mo file
 *
 * Returns: (transfer full): the catalogue, or %NULL with @error set when
 *   the file cannot be read or is not a catalogue
 */
TendCatalog *
tend_catalog_load (const char *path,
                   GError    **error)
{
  g_autoptr(TendCatalog) catalog = g_new0 (TendCatalog, 1);
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  guint32 magic;

  if (file == NULL)
    return NULL;
  catalog->bytes = g_mapped_file_get_bytes (file);
  catalog->data = g_bytes_get_data (catalog->bytes, &catalog->size);
  if (catalog->size < 28)
    goto invalid;
  memcpy (&magic, catalog->data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    goto invalid;
  catalog->swapped = magic == MO_MAGIC_SWAPPED;
  catalog->n = word (catalog, 8);
  catalog->originals = word (catalog, 12);
  catalog->translations = word (catalog, 16);
  if ((guint64) catalog->originals + (guint64) catalog->n * 8 > catalog->size ||
      (guint64) catalog->translations + (guint64) catalog->n * 8 > catalog->size)
    goto invalid;
  return g_steal_pointer (&catalog);

invalid:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is not a gettext catalogue", path);
  return NULL;
}

void
tend_catalog_free (TendCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_clear_pointer (&catalog->bytes, g_bytes_unref);
  g_free (catalog);
}

/**
 * tend_catalog_pgettext:
 * @catalog: (nullable): a catalogue, or %NULL for none
 * @context: (nullable): the msgid's context
 *
 * Returns: the translation of @msgid in @context, or @msgid itself when
 *   the catalogue has none (or is %NULL)
 */
const char *
tend_catalog_pgettext (TendCatalog *catalog,
                       const char  *context,
                       const char  *msgid)
{
  g_autofree char *key = NULL;
  guint32 low = 0, high;

  if (catalog == NULL)
    return msgid;
  key = context != NULL ? g_strconcat (context, "\004", msgid, NULL) : g_strdup (msgid);
  high = catalog->n;
  while (low < high)
    {
      guint32 mid = low + (high - low) / 2;
      const char *original = entry (catalog, catalog->originals, mid);
      int order;

      if (original == NULL)
        return msgid;
      order = strcmp (key, original);
      if (order == 0)
        {
          const char *translation = entry (catalog, catalog->translations, mid);

          return translation != NULL && *translation != '\0' ? translation : msgid;
        }
      if (order < 0)
        high = mid;
      else
        low = mid + 1;
    }
  return msgid;
}
