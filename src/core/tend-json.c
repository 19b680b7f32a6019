/* tend-json.c: JSON text that json-glib writes back unchanged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A record's JSON fields (a note's sections, a measure's answers) are
 * stored as json-glib writes them: the record writer parses each one and
 * writes it out again, so that the same content gives the same bytes
 * whatever spacing it came with (a signed note's content hash covers
 * them).  Most of them were written by json-glib a moment before, and
 * parsing them again was a tenth of a save's time.  This scanner tells,
 * without building anything, when a text is already what json-glib would
 * write; the writer then copies it.
 *
 * It says yes only to a narrow form that every json-glib version Tend
 * builds with writes back byte for byte: no space anywhere, an object or
 * a list at the top, member names neither empty nor repeated, integers
 * without a sign on 0 or a leading zero and short enough for 64 bits, no
 * fraction or exponent, strings of UTF-8 without control characters or
 * DEL, escaped only as \" \\ \b \f \n \r \t.  Anything else (a \u escape,
 * a double, a repeated name, deep nesting) is "not sure" and goes the slow
 * way, which is always right.  tests/core/test-json.c checks the yes
 * answers against json-glib itself.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <string.h>

#include "tend-json.h"

/* Deeper nesting, or objects with more members, are left to json-glib. */
#define MAX_DEPTH   32
#define MAX_MEMBERS 64
/* Digits of an integer that surely fits in 64 bits. */
#define MAX_DIGITS  18

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static gboolean scan_value (Scan *s,
                            guint depth);

/* A string at s->p ('"'); its inside (escapes as written) in @start, @len. */
static gboolean
scan_string (Scan        *s,
             const char **start,
             gsize       *len)
{
  const char *p = s->p + 1;

  *start = p;
  while (p < s->end)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        {
          *len = (gsize) (p - *start);
          s->p = p + 1;
          return TRUE;
        }
      if (c < 0x20 || c == 0x7f)
        return FALSE;
      if (c == '\\')
        {
          if (p + 1 >= s->end || p[1] == '\0' || strchr ("\"\\bfnrt", p[1]) == NULL)
            return FALSE;
          p += 2;
          continue;
        }
      p++;
    }
  return FALSE;
}

static gboolean
scan_number (Scan *s)
{
  const char *p = s->p;
  const char *digits;

  if (*p == '-')
    p++;
  digits = p;
  if (p >= s->end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    {
      /* "-0" is written "0". */
      if (p != s->p)
        return FALSE;
      p++;
    }
  else
    while (p < s->end && g_ascii_isdigit (*p))
      p++;
  if (p - digits > MAX_DIGITS)
    return FALSE;
  if (p < s->end && (*p == '.' || *p == 'e' || *p == 'E' || g_ascii_isdigit (*p)))
    return FALSE;
  s->p = p;
  return TRUE;
}

static gboolean
scan_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
scan_object (Scan  *s,
             guint  depth)
{
  const char *names[MAX_MEMBERS];
  gsize lengths[MAX_MEMBERS];
  guint n = 0;

  s->p++;
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      if (s->p >= s->end || *s->p != '"' || n == MAX_MEMBERS ||
          !scan_string (s, &names[n], &lengths[n]))
        return FALSE;
      /* An empty name: json-glib refuses it.  A repeated name: it keeps
       * one of them. */
      if (lengths[n] == 0)
        return FALSE;
      for (guint i = 0; i < n; i++)
        if (lengths[i] == lengths[n] && memcmp (names[i], names[n], lengths[n]) == 0)
          return FALSE;
      n++;
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      if (!scan_value (s, depth))
        return FALSE;
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return FALSE;
    }
}

static gboolean
scan_array (Scan  *s,
            guint  depth)
{
  s->p++;
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      if (!scan_value (s, depth))
        return FALSE;
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return FALSE;
    }
}

static gboolean
scan_value (Scan  *s,
            guint  depth)
{
  const char *start;
  gsize len;

  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{':
      return depth < MAX_DEPTH && scan_object (s, depth + 1);
    case '[':
      return depth < MAX_DEPTH && scan_array (s, depth + 1);
    case '"':
      return scan_string (s, &start, &len);
    case 't':
      return scan_word (s, "true");
    case 'f':
      return scan_word (s, "false");
    case 'n':
      return scan_word (s, "null");
    default:
      return scan_number (s);
    }
}

/**
 * tend_json_is_canonical:
 * @text: JSON text
 * @length: its length in bytes, or -1 when nul-terminated
 *
 * Whether @text is an object or a list exactly as json-glib's generator
 * writes it back after parsing it (see the top of this file).  %FALSE
 * means "not sure": the text may still be valid, or even canonical.
 *
 * Returns: %TRUE when parsing and writing @text again would give @text
 */
gboolean
tend_json_is_canonical (const char *text,
                        gssize      length)
{
  Scan s;

  g_return_val_if_fail (text != NULL, FALSE);

  if (length < 0)
    length = (gssize) strlen (text);
  if (length == 0 || (text[0] != '{' && text[0] != '[') ||
      !g_utf8_validate (text, length, NULL))
    return FALSE;
  s.p = text;
  s.end = text + length;
  return scan_value (&s, 0) && s.p == s.end;
}
