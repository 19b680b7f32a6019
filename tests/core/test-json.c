/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json.c: tend_json_is_canonical () says yes only to text that
 * json-glib, parsing it and writing it again, gives back byte for byte */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tend-core.h"

/* What the record writer did with every JSON field before the scanner:
 * json-glib's parse, then its generator (NULL when it does not parse). */
static char *
json_glib_round_trip (const char *text,
                      gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  if (!json_parser_load_from_data (parser, text, length, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  json_generator_set_root (gen, json_parser_get_root (parser));
  return json_generator_to_data (gen, NULL);
}

/* The property: a yes is never wrong. */
static void
assert_sound (const char *text,
              gssize      length)
{
  if (tend_json_is_canonical (text, length))
    {
      g_autofree char *again = json_glib_round_trip (text, length);

      if (length < 0)
        length = (gssize) strlen (text);
      if (again == NULL || strlen (again) != (gsize) length || memcmp (again, text, length) != 0)
        g_error ("said canonical, but json-glib writes %s for %.*s", again != NULL ? again : "(nothing)",
                 (int) length, text);
    }
}

static void
test_canonical (void)
{
  static const char * const yes[] = {
    "{}",
    "[]",
    "{\"a\":1}",
    "[1,-2,0,123456789012345678,-123456789012345678]",
    "{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false,\"e\":[]}",
    "{\"subjective\":\"Slept better. \\\"Less\\\" worry\\\\.\\nSecond line\\tand a tab\",\"plan\":\"\"}",
    "[\"\\b\\f\\r\"]",
    "{\"nombre\":\"Jos\xc3\xa9 Mu\xc3\xb1oz \xf0\x9f\x99\x82 \xe2\x80\xa8 / end\"}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      g_autofree char *again = json_glib_round_trip (yes[i], -1);

      g_test_message ("%s", yes[i]);
      g_assert_true (tend_json_is_canonical (yes[i], -1));
      g_assert_cmpstr (again, ==, yes[i]);
    }
}

static void
test_not_sure (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new ("{");
  static const char * const no[] = {
    "",
    " {}",
    "{} ",
    "{ }",
    "{\"a\": 1}",
    "{\"a\":1 }",
    "[1, 2]",
    "{\"a\":1,\"a\":2}",                /* repeated name */
    "{\"\":1}",                         /* json-glib refuses an empty name */
    "{\"a\":1.5}",
    "{\"a\":1.0}",
    "{\"a\":1e3}",
    "{\"a\":-0}",
    "{\"a\":01}",
    "{\"a\":+1}",
    "{\"a\":1234567890123456789}",      /* beyond what surely fits */
    "{\"a\":\"\\u0041\"}",
    "{\"a\":\"\\u001f\"}",
    "{\"a\":\"\\/\"}",
    "{\"a\":\"tab\there\"}",            /* a raw control character */
    "{\"a\":\"\x1f\"}",
    "{\"a\":\"\x7f\"}",
    "{\"a\":\"\xc3\x28\"}",             /* not UTF-8 */
    "\"a string\"",
    "5",
    "true",
    "null",
    "[1,]",
    "[,1]",
    "{\"a\"}",
    "{\"a\":}",
    "{a:1}",
    "[tru]",
    "[nul]",
    "[-]",
    "[\"open",
    "[1",
    "{\"a\":1",
    "[]]",
    "{}{}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    {
      g_test_message ("%s", no[i]);
      g_assert_false (tend_json_is_canonical (no[i], -1));
    }
  /* A nul inside the given length. */
  g_assert_false (tend_json_is_canonical ("[\"a\0b\"]", 7));
  /* Only the given length counts. */
  g_assert_true (tend_json_is_canonical ("[1]garbage", 3));
  g_assert_false (tend_json_is_canonical ("[1]garbage", 4));

  for (guint i = 0; i < 33; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 33; i++)
    g_string_append_c (deep, ']');
  g_assert_false (tend_json_is_canonical (deep->str, -1));
  for (guint i = 0; i < 65; i++)
    g_string_append_printf (wide, "%s\"m%u\":%u", i > 0 ? "," : "", i, i);
  g_string_append_c (wide, '}');
  g_assert_false (tend_json_is_canonical (wide->str, -1));
}

/* Random trees as the app makes them (json-glib's builder and generator),
 * strings drawn from quotes, backslashes, controls, DEL, UTF-8 and plain
 * letters, numbers large and small, doubles too. */
static JsonNode *
random_node (GRand *rand,
             guint  depth)
{
  static const char * const pieces[] = {
    "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f", "\x7f",
    "\xc3\xa9", "\xf0\x9f\x99\x82", "\xe2\x80\xa8", "0", "{", "]", ":", ",",
  };
  guint kind = (guint) g_rand_int_range (rand, depth >= 4 ? 2 : 0, 9);
  JsonNode *node;

  switch (kind)
    {
    case 0:
      {
        JsonObject *object = json_object_new ();
        guint n = (guint) g_rand_int_range (rand, 0, 6);

        for (guint i = 0; i < n; i++)
          {
            g_autofree char *name = g_strdup_printf ("%s%u", pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))], i);

            json_object_set_member (object, name, random_node (rand, depth + 1));
          }
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }
    case 1:
      {
        JsonArray *array = json_array_new ();
        guint n = (guint) g_rand_int_range (rand, 0, 6);

        for (guint i = 0; i < n; i++)
          json_array_add_element (array, random_node (rand, depth + 1));
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }
    case 2:
    case 3:
      {
        g_autoptr(GString) s = g_string_new (NULL);
        guint n = (guint) g_rand_int_range (rand, 0, 12);

        for (guint i = 0; i < n; i++)
          g_string_append (s, g_rand_int_range (rand, 0, 3) == 0
                              ? pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))] : "word");
        return json_node_init_string (json_node_alloc (), s->str);
      }
    case 4:
      return json_node_init_int (json_node_alloc (),
                                 g_rand_boolean (rand) ? g_rand_int_range (rand, -1000, 1000)
                                                       : (gint64) g_rand_int (rand) * (gint64) g_rand_int (rand));
    case 5:
      return json_node_init_double (json_node_alloc (), g_rand_double_range (rand, -1e6, 1e6));
    case 6:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 7:
      return json_node_init_null (json_node_alloc ());
    default:
      return json_node_init_int (json_node_alloc (), 0);
    }
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  guint canonical = 0, total = 0;

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;
      gsize length;

      do
        {
          g_clear_pointer (&root, json_node_unref);
          root = random_node (rand, 0);
        }
      while (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root));
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, &length);
      total++;
      canonical += tend_json_is_canonical (text, (gssize) length);
      assert_sound (text, (gssize) length);

      /* The same text with one byte changed, added or taken out. */
      for (guint m = 0; m < 4 && length > 0; m++)
        {
          g_autoptr(GString) mutant = g_string_new_len (text, (gssize) length);
          guint at = (guint) g_rand_int_range (rand, 0, (gint32) length);
          static const char bytes[] = "{}[]\",:\\ 0-1e.tfn\x7f\xc3";
          char c = bytes[g_rand_int_range (rand, 0, sizeof bytes - 1)];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0: mutant->str[at] = c; break;
            case 1: g_string_insert_c (mutant, at, c); break;
            default: g_string_erase (mutant, at, 1); break;
            }
          assert_sound (mutant->str, (gssize) mutant->len);
        }
    }
  /* Most of what json-glib writes is recognised (those without doubles,
   * \u escapes or repeated names), or the scanner would save nothing. */
  g_test_message ("%u of %u canonical", canonical, total);
  g_assert_cmpuint (canonical, >, total / 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/canonical", test_canonical);
  g_test_add_func ("/json/not-sure", test_not_sure);
  g_test_add_func ("/json/random", test_random);
  return g_test_run ();
}
