/* tend-demo.c: plausible, deterministic demonstration data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every value comes from one GRand seeded with the caller's seed, drawn in a
 * fixed order, and dates are computed from a fixed reference day: the same
 * seed gives the same practice, staff, rooms and clients (ids included) on
 * every machine and on every day.  The first N clients do not depend on how
 * many are asked for, so a small demo store is a prefix of a big one.
 *
 * Nothing here may reach a real person: e-mail addresses use domains
 * reserved for documentation (RFC 2606) and phone numbers the 555 exchange.
 */
#define G_LOG_DOMAIN "tend-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-demo.h"

/* Ages are computed on this day, not today, so the data never drifts. */
#define REFERENCE_YEAR  2026
#define REFERENCE_MONTH G_DATE_NOVEMBER
#define REFERENCE_DAY   1

static const char * const feminine_names[] = {
  "Maria", "Sofia", "Emma", "Olivia", "Ava", "Isabella", "Mia", "Charlotte",
  "Amelia", "Harper", "Evelyn", "Abigail", "Emily", "Elizabeth", "Sarah",
  "Hannah", "Grace", "Chloe", "Zoë", "Anna", "Lucía", "Valentina", "Camila",
  "Ximena", "Guadalupe", "Rosa", "Carmen", "Ana", "Beatriz", "Inês", "Chiara",
  "Giulia", "Francesca", "Aoife", "Siobhán", "Niamh", "Saoirse", "Ingrid",
  "Astrid", "Freya", "Signe", "Linnéa", "Maja", "Agnieszka", "Katarzyna",
  "Zofia", "Olga", "Natalia", "Svetlana", "Anastasia", "Yuki", "Haruka",
  "Sakura", "Aiko", "Mei", "Xiu", "Seo-yeon", "Min-ji", "Thu", "Linh", "Lan",
  "Mai", "Hoa", "Priya", "Ananya", "Aditi", "Kavya", "Lakshmi", "Fatima",
  "Aisha", "Amira", "Layla", "Yasmin", "Noor", "Mariam", "Leila", "Zainab",
  "Chiamaka", "Ngozi", "Amara", "Adaeze", "Abena", "Ama", "Nia", "Imani",
  "Aaliyah", "Keisha", "Tanisha", "Jasmine", "Destiny", "Brianna", "Kayla",
  "Ashley", "Jessica", "Jennifer", "Linda", "Patricia", "Barbara", "Susan",
  "Margaret", "Dorothy", "Nancy", "Karen", "Deborah", "Rebecca", "Rachel",
  "Leah", "Miriam", "Esther", "Talia", "Noa", "Shira", "Leilani", "Winona",
  "Aiyana", "Paj", "Nou", "Françoise", "Élodie", "Maëlle", "Renée", "Noémie",
  "Clémence", "Ilse", "Greta", "Heidi", "Anneliese", "Birgit", "Dagny",
};

static const char * const masculine_names[] = {
  "James", "John", "Robert", "Michael", "William", "David", "Richard",
  "Joseph", "Thomas", "Charles", "Christopher", "Daniel", "Matthew",
  "Anthony", "Mark", "Steven", "Andrew", "Joshua", "Kevin", "Brian", "Ethan",
  "Noah", "Liam", "Mason", "Logan", "Lucas", "Jackson", "Aiden", "Caleb",
  "Owen", "José", "Juan", "Luis", "Carlos", "Miguel", "Alejandro", "Diego",
  "Javier", "Mateo", "Santiago", "Jesús", "Andrés", "João", "Rafael",
  "Giovanni", "Marco", "Luca", "Matteo", "Seán", "Cian", "Pádraig", "Declan",
  "Søren", "Mads", "Anders", "Lars", "Bjørn", "Henrik", "Erik", "Olaf",
  "Björn", "Piotr", "Tomasz", "Krzysztof", "Jakub", "Dmitri", "Sergei",
  "Ivan", "Mikhail", "Hiroshi", "Kenji", "Takeshi", "Haruto", "Wei", "Jun",
  "Hao", "Ming", "Min-jun", "Seo-jun", "Ji-hoon", "Minh", "Đức", "Huy", "Bảo",
  "Quang", "Arjun", "Rohan", "Vikram", "Rahul", "Sanjay", "Omar", "Ahmed",
  "Mohammed", "Ali", "Yusuf", "Hassan", "Karim", "Tariq", "Chinedu", "Emeka",
  "Oluwaseun", "Kwame", "Kofi", "Tendai", "DeShawn", "Malik", "Jamal",
  "Darnell", "Terrence", "Andre", "Marcus", "Isaiah", "Elijah", "Jeremiah",
  "Ezra", "Levi", "Eli", "Noam", "Avi", "Chayton", "Tou", "Kou", "Fue",
  "François", "Étienne", "Loïc", "Jérôme", "Benoît", "André", "Günther",
  "Jürgen", "Lukas", "Felix", "Matthias",
};

static const char * const neutral_names[] = {
  "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery",
  "Quinn", "Rowan", "Sage", "River", "Skyler", "Emerson", "Finley", "Hayden",
  "Reese", "Parker", "Dakota", "Kai", "Ari", "Jules", "Robin", "Sasha",
  "Charlie", "Frankie", "Remy", "Noel", "Ash", "Eden", "Blake", "Cameron",
  "Drew", "Elliot", "Harley", "Jessie", "Kendall", "Lane", "Marley", "Oakley",
  "Peyton", "Shay", "Tatum", "Wren", "Ji-woo", "Haru", "Nikita", "Yael",
};

static const char * const family_names[] = {
  /* English, Scottish, Irish */
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
  "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin",
  "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
  "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
  "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart",
  "Morris", "Murphy", "Cook", "Rogers", "Cooper", "Peterson", "Reed",
  "Bailey", "Bell", "Kelly", "Howard", "Ward", "Richardson", "Wood",
  "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Myers", "Long",
  "Foster", "Sanders", "Ross", "Powell", "Sullivan", "Russell", "Jenkins",
  "Perry", "Butler", "Barnes", "Fisher", "Henderson", "Coleman", "Simmons",
  "Patterson", "Reynolds", "Hamilton", "Graham", "Wallace", "Cole", "West",
  "Hayes", "Gibson", "Ellis", "Stevens", "Murray", "Ford", "Marshall",
  "Owens", "Harrison", "O'Brien", "O'Connor", "O'Neill", "O'Sullivan",
  "McCarthy", "McDonald", "MacLeod", "Byrne", "Kennedy", "Quinn", "Doyle",
  "Gallagher", "Fitzgerald", "Nolan",
  /* Spanish, Portuguese */
  "García", "Rodríguez", "Martínez", "Hernández", "López", "González",
  "Pérez", "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez",
  "Díaz", "Cruz", "Morales", "Reyes", "Gutiérrez", "Ortiz", "Chávez",
  "Ramos", "Ruiz", "Mendoza", "Álvarez", "Castillo", "Jiménez", "Vásquez",
  "Romero", "Herrera", "Medina", "Aguilar", "Vargas", "Castro", "Guerrero",
  "Delgado", "Muñoz", "Peña", "Navarro", "Domínguez", "Salazar", "Soto",
  "Fuentes", "Silva", "Santos", "Oliveira", "Pereira", "Costa", "Ferreira",
  /* Nordic, German */
  "Larsen", "Hansen", "Johansson", "Lindqvist", "Nilsson", "Eriksen",
  "Sørensen", "Jørgensen", "Andersson", "Olsen", "Halvorsen", "Berg", "Lund",
  "Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann",
  "Koch", "Wagner", "Zimmermann", "Krüger", "Schröder", "Vogel", "Bauer",
  "Richter", "Klein", "Wolf", "Schultz", "Meyer", "Kraus",
  /* Polish, Czech, Slavic */
  "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski",
  "Zieliński", "Szymański", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
  "Novak", "Horvat", "Ivanov", "Petrov", "Smirnov", "Popov", "Volkov",
  "Kuznetsov", "Sokolov", "Dvořák", "Černý", "Procházka",
  /* Italian, French, Québécois */
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
  "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca",
  "Lefèvre", "Dubois", "Moreau", "Laurent", "Girard", "Bonnet", "Dupont",
  "Lambert", "Fontaine", "Rousseau", "Beaulieu", "Côté", "Gagnon",
  "Tremblay", "Bélanger",
  /* Vietnamese, Chinese, Korean, Japanese */
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng",
  "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Wang", "Li", "Zhang", "Liu", "Chen",
  "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo",
  "Lin", "He", "Kim", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang",
  "Lim", "Han", "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito",
  "Yamamoto", "Nakamura", "Kobayashi", "Sato", "Kato", "Yoshida", "Yamada",
  "Sasaki", "Matsumoto", "Inoue",
  /* Hmong */
  "Vang", "Xiong", "Yang", "Thao", "Lor", "Her", "Moua", "Vue", "Hang",
  "Khang", "Chang",
  /* South Asian */
  "Patel", "Shah", "Singh", "Kumar", "Sharma", "Gupta", "Reddy", "Rao",
  "Iyer", "Nair", "Menon", "Desai", "Mehta", "Joshi", "Chatterjee",
  "Banerjee", "Khan", "Chaudhry", "Hussain", "Ahmed", "Malik", "Qureshi",
  "Rahman", "Islam",
  /* Arab, Persian, Turkish */
  "Haddad", "Khoury", "Nasser", "Saleh", "Mansour", "Hamdan", "Aziz",
  "Farah", "Abadi", "Karimi", "Hosseini", "Rahimi", "Yılmaz", "Kaya",
  "Demir", "Şahin", "Öztürk", "Çelik",
  /* African */
  "Okafor", "Okeke", "Adeyemi", "Okonkwo", "Eze", "Nwosu", "Mensah",
  "Asante", "Boateng", "Owusu", "Diallo", "Traoré", "Ndiaye", "Kamau",
  "Otieno", "Mwangi", "Banda", "Moyo", "Dlamini", "Tesfaye", "Haile",
  "Abebe", "Mohamud", "Warsame", "Osman",
  /* Jewish */
  "Cohen", "Levy", "Goldberg", "Friedman", "Katz", "Rosenberg", "Schwartz",
  "Shapiro", "Kaplan", "Weiss",
  /* Ho-Chunk, Diné, Lakota and other Native families of the region */
  "Decorah", "Funmaker", "Greendeer", "Lonetree", "Whitewing", "Cloud",
  "Begay", "Yazzie", "Tsosie", "Littlewolf",
};

typedef struct
{
  const char *name;
  const char *nickname;
} Nickname;

static const Nickname nicknames[] = {
  { "Elizabeth", "Liz" }, { "William", "Will" }, { "Robert", "Rob" },
  { "Michael", "Mike" }, { "Christopher", "Chris" }, { "Daniel", "Dan" },
  { "Matthew", "Matt" }, { "Anthony", "Tony" }, { "Joseph", "Joe" },
  { "Richard", "Rick" }, { "Thomas", "Tom" }, { "James", "Jim" },
  { "Jennifer", "Jen" }, { "Katarzyna", "Kasia" }, { "Margaret", "Maggie" },
  { "Alejandro", "Álex" }, { "Francesca", "Frankie" }, { "Jessica", "Jess" },
  { "Rebecca", "Becca" }, { "Abigail", "Abby" }, { "Patricia", "Trish" },
  { "Dmitri", "Dima" }, { "Mikhail", "Misha" }, { "Anastasia", "Nastya" },
  { "Guadalupe", "Lupe" }, { "Oluwaseun", "Seun" }, { "Chiamaka", "Amaka" },
  { "Krzysztof", "Krzyś" }, { "Santiago", "Santi" }, { "Deborah", "Deb" },
  { "Isabella", "Bella" }, { "Jeremiah", "Jerry" }, { "Anneliese", "Liesl" },
  { "Pádraig", "Paddy" }, { "Giovanni", "Gianni" }, { "Dorothy", "Dot" },
  { "Alexander", "Sasha" }, { "Charles", "Charlie" }, { "Joshua", "Josh" },
  { "Andrew", "Drew" }, { "Zainab", "Zee" },
};

static const char * const relationships_adult[] = {
  "Spouse", "Partner", "Mother", "Father", "Sister", "Brother", "Friend",
  "Daughter", "Son", "Roommate", "Aunt", "Cousin",
};

static const char * const relationships_minor[] = {
  "Mother", "Father", "Mother", "Father", "Guardian", "Grandmother",
  "Stepmother", "Stepfather",
};

typedef struct
{
  const char *name;
  const char *zip;
  guint       weight;
} City;

static const City cities[] = {
  { "Madison", "53703", 16 }, { "Madison", "53704", 12 }, { "Madison", "53705", 8 },
  { "Madison", "53711", 9 }, { "Madison", "53713", 6 }, { "Madison", "53714", 6 },
  { "Madison", "53715", 4 }, { "Madison", "53716", 5 }, { "Madison", "53719", 5 },
  { "Madison", "53726", 3 }, { "Middleton", "53562", 6 }, { "Fitchburg", "53711", 5 },
  { "Sun Prairie", "53590", 6 }, { "Verona", "53593", 4 }, { "Monona", "53716", 3 },
  { "McFarland", "53558", 2 }, { "Waunakee", "53597", 3 }, { "Stoughton", "53589", 3 },
  { "Oregon", "53575", 2 }, { "DeForest", "53532", 2 }, { "Cottage Grove", "53527", 2 },
  { "Cross Plains", "53528", 1 }, { "Mount Horeb", "53572", 1 },
};

static const char * const streets[] = {
  "Williamson St", "Atwood Ave", "Monroe St", "University Ave", "E Johnson St",
  "W Johnson St", "Regent St", "Mineral Point Rd", "Old Sauk Rd",
  "Fish Hatchery Rd", "S Park St", "E Gorham St", "Jenifer St", "Spaight St",
  "Milwaukee St", "Packers Ave", "Sherman Ave", "Commercial Ave", "Odana Rd",
  "Raymond Rd", "Cottage Grove Rd", "Winnebago St", "Dayton St", "Mifflin St",
  "Jefferson St", "Chadbourne Ave", "Midvale Blvd", "Whitney Way",
  "Gammon Rd", "Segoe Rd", "Lakeside St", "Fordem Ave", "Schenk St",
  "Buckeye Rd", "Pflaum Rd", "Tokay Blvd", "Hammersley Rd", "Allied Dr",
  "Northport Dr", "Troy Dr", "Century Ave", "Parmenter St", "Main St",
  "Church St", "Maple St", "Oak St", "Elm St", "Lincoln Ave", "Prairie Ln",
  "Willow Way",
};

typedef struct
{
  const char *text;
  guint       weight;
} Weighted;

static const Weighted referral_sources[] = {
  { NULL, 15 },
  { "Self-referred", 18 },
  { "Primary care physician", 16 },
  { "Psychology Today", 12 },
  { "Insurance directory", 8 },
  { "Friend or family", 9 },
  { "School counselor", 4 },
  { "Employee assistance program", 5 },
  { "UW Health", 4 },
  { "SSM Health Dean Medical Group", 3 },
  { "Former client", 2 },
  { "Dane County Human Services", 2 },
  { "Journey Mental Health Center", 1 },
  { "Court-ordered", 1 },
};

/* Reserved for documentation (RFC 2606): demo mail can never reach anyone. */
static const Weighted email_domains[] = {
  { "example.com", 30 },
  { "example.net", 20 },
  { "example.org", 15 },
  { "mail.example.com", 12 },
  { "inbox.example.net", 10 },
  { "post.example.org", 8 },
  { "students.example.edu", 5 },
};

static const char * const area_codes[] = { "608", "414", "262" };

/* The roster: fixed, so screenshots and documentation can name people. */
typedef struct
{
  const char *given;
  const char *family;
  TendRole    role;
  const char *credentials;
  int         supervisor;   /* index into the roster, or -1 */
  guint       weight;       /* share of clients */
} StaffSpec;

static const StaffSpec roster[] = {
  { "Maya", "Okafor", TEND_ROLE_OWNER, "LCSW", -1, 8 },
  { "Daniel", "Lindqvist", TEND_ROLE_SUPERVISOR, "PsyD", -1, 11 },
  { "Priya", "Raman", TEND_ROLE_SUPERVISOR, "PhD", -1, 11 },
  { "Tomás", "Herrera", TEND_ROLE_CLINICIAN, "LPC", 1, 10 },
  { "Grace", "Whitewing", TEND_ROLE_CLINICIAN, "LMFT", -1, 14 },
  { "Samuel", "Adeyemi", TEND_ROLE_CLINICIAN, "LPC", -1, 15 },
  { "Hannah", "Kowalski", TEND_ROLE_CLINICIAN, "LCSW", -1, 15 },
  { "Ji-woo", "Park", TEND_ROLE_CLINICIAN, "LMFT", -1, 16 },
  { "Rosa", "Delgado", TEND_ROLE_FRONT_DESK, NULL, -1, 0 },
  { "Marcus", "Bell", TEND_ROLE_FRONT_DESK, NULL, -1, 0 },
  { "Linda", "Thao", TEND_ROLE_BILLER, NULL, -1, 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (roster) ==
                 TEND_DEMO_N_CLINICIANS + TEND_DEMO_N_FRONT_DESK + TEND_DEMO_N_BILLERS);

static const char * const room_names[] = { "Willow", "Birch", "Cedar", "Telehealth" };

G_STATIC_ASSERT (G_N_ELEMENTS (room_names) == TEND_DEMO_N_ROOMS);

typedef enum
{
  GENDER_FEMININE,
  GENDER_MASCULINE,
  GENDER_NEUTRAL,
} Gender;

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static gboolean
chance (GRand *rand,
        guint  percent)
{
  return (guint) g_rand_int_range (rand, 0, 100) < percent;
}

static const char *
pick_weighted (GRand          *rand,
               const Weighted *items,
               guint           n_items)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < n_items; i++)
    total += items[i].weight;
  r = (guint) g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < n_items; i++)
    {
      if (r < items[i].weight)
        return items[i].text;
      r -= items[i].weight;
    }
  g_assert_not_reached ();
}

/* A random version-4 UUID, but from the seeded generator. */
static char *
make_uuid (GRand *rand)
{
  guint32 a = g_rand_int (rand);
  guint32 b = (g_rand_int (rand) & 0xffff0fff) | 0x00004000;
  guint32 c = (g_rand_int (rand) & 0x3fffffff) | 0x80000000;
  guint32 d = g_rand_int (rand);

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          a, b >> 16, b & 0xffff, c >> 16, c & 0xffff, d);
}

/**
 * tend_demo_make_npi:
 * @rand: where the digits come from
 *
 * A ten-digit NPI that passes tend_npi_is_valid(): nine digits starting with
 * 1, then the Luhn check digit over them with the 80840 prefix.  Random
 * numbers can belong to real providers, so use them for demonstrations only.
 *
 * Returns: (transfer full): the NPI
 */
char *
tend_demo_make_npi (GRand *rand)
{
  char npi[11];
  guint sum = 24;  /* what the 80840 prefix contributes */

  npi[0] = '1';
  for (guint i = 1; i < 9; i++)
    npi[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
  /* From the rightmost payload digit, every other digit is doubled. */
  for (gint i = 8; i >= 0; i--)
    {
      guint d = (guint) (npi[i] - '0');

      if ((8 - i) % 2 == 0)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }
  npi[9] = (char) ('0' + (10 - sum % 10) % 10);
  npi[10] = '\0';
  g_assert (tend_npi_is_valid (npi));
  return g_strdup (npi);
}

/* C leaves the order of evaluation of arguments open: every draw from the
 * generator is its own statement, or the data would depend on the compiler. */
static char *
make_phone (GRand *rand)
{
  const char *area = PICK (rand, area_codes);
  int line = g_rand_int_range (rand, 0, 10000);

  return g_strdup_printf ("(%s) 555-%04d", area, line);
}

/* "Nguyễn" -> "nguyen", "O'Brien" -> "obrien": for e-mail addresses. */
static char *
ascii_fold (const char *text)
{
  g_autoptr(GString) pre = g_string_new (NULL);
  g_autofree char *ascii = NULL;
  GString *out = g_string_new (NULL);

  /* g_str_to_ascii() has no transliteration for the Vietnamese D with stroke. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x0110 || c == 0x0111)
        g_string_append_c (pre, 'd');
      else
        g_string_append_unichar (pre, c);
    }
  ascii = g_str_to_ascii (pre->str, "C");
  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static char *
make_email (GRand      *rand,
            const char *given,
            const char *family,
            guint       birth_year)
{
  g_autofree char *g = ascii_fold (given);
  g_autofree char *f = ascii_fold (family);
  const char *domain = pick_weighted (rand, email_domains, G_N_ELEMENTS (email_domains));

  switch (g_rand_int_range (rand, 0, 7))
    {
    case 0:
      return g_strdup_printf ("%s.%s@%s", g, f, domain);
    case 1:
      return g_strdup_printf ("%s%s@%s", g, f, domain);
    case 2:
      return g_strdup_printf ("%c%s@%s", g[0], f, domain);
    case 3:
      return g_strdup_printf ("%s%c%02d@%s", g, f[0], g_rand_int_range (rand, 1, 100), domain);
    case 4:
      return g_strdup_printf ("%s_%s%02u@%s", g, f, birth_year % 100, domain);
    case 5:
      return g_strdup_printf ("%s.%s@%s", f, g, domain);
    default:
      return g_strdup_printf ("%s.%s%d@%s", g, f, g_rand_int_range (rand, 1, 1000), domain);
    }
}

static const char *
pick_given (GRand  *rand,
            Gender *gender)
{
  guint r = (guint) g_rand_int_range (rand, 0, 100);

  if (r < 47)
    {
      *gender = GENDER_FEMININE;
      return PICK (rand, feminine_names);
    }
  if (r < 92)
    {
      *gender = GENDER_MASCULINE;
      return PICK (rand, masculine_names);
    }
  *gender = GENDER_NEUTRAL;
  return PICK (rand, neutral_names);
}

static char *
pick_family (GRand *rand)
{
  /* Some families keep both names. */
  if (chance (rand, 6))
    {
      const char *a = PICK (rand, family_names);
      const char *b = PICK (rand, family_names);

      if (strchr (a, ' ') == NULL && strchr (b, ' ') == NULL && strcmp (a, b) != 0)
        return g_strdup_printf ("%s-%s", a, b);
      return g_strdup (a);
    }
  return g_strdup (PICK (rand, family_names));
}

static const char *
pick_pronouns (GRand  *rand,
               Gender  gender)
{
  guint r = (guint) g_rand_int_range (rand, 0, 100);

  switch (gender)
    {
    case GENDER_FEMININE:
      return r < 80 ? "she/her" : r < 85 ? "they/them" : r < 87 ? "she/they" : NULL;
    case GENDER_MASCULINE:
      return r < 80 ? "he/him" : r < 85 ? "they/them" : r < 87 ? "he/they" : NULL;
    case GENDER_NEUTRAL:
    default:
      return r < 40 ? "they/them" : r < 60 ? "she/her" : r < 80 ? "he/him" : NULL;
    }
}

static const char *
pick_preferred (GRand      *rand,
                const char *given)
{
  for (guint i = 0; i < G_N_ELEMENTS (nicknames); i++)
    if (strcmp (nicknames[i].name, given) == 0 && chance (rand, 75))
      return nicknames[i].nickname;
  /* A chosen name. */
  {
    const char *chosen = PICK (rand, neutral_names);

    return strcmp (chosen, given) != 0 ? chosen : NULL;
  }
}

static guint
pick_age (GRand *rand)
{
  guint r = (guint) g_rand_int_range (rand, 0, 100);

  if (r < 5)
    return (guint) g_rand_int_range (rand, 6, 13);
  if (r < 14)
    return (guint) g_rand_int_range (rand, 13, 18);
  if (r < 30)
    return (guint) g_rand_int_range (rand, 18, 26);
  if (r < 62)
    return (guint) g_rand_int_range (rand, 26, 41);
  if (r < 88)
    return (guint) g_rand_int_range (rand, 41, 61);
  return (guint) g_rand_int_range (rand, 61, 86);
}

/* Someone exactly @age years old on the reference day. */
static char *
make_date_of_birth (GRand *rand,
                    guint  age,
                    guint *birth_year)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, REFERENCE_DAY, REFERENCE_MONTH, REFERENCE_YEAR);
  g_date_subtract_years (&date, age);
  g_date_subtract_days (&date, (guint) g_rand_int_range (rand, 0, 365));
  *birth_year = g_date_get_year (&date);
  return tend_date_to_string (&date);
}

static const City *
pick_city (GRand *rand)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    total += cities[i].weight;
  r = (guint) g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    {
      if (r < cities[i].weight)
        return &cities[i];
      r -= cities[i].weight;
    }
  g_assert_not_reached ();
}

static void
set_address (TendRecord *record,
             GRand      *rand)
{
  const City *city = pick_city (rand);
  int number = g_rand_int_range (rand, 100, 6000);
  const char *street = PICK (rand, streets);
  g_autofree char *line1 = g_strdup_printf ("%d %s", number, street);
  g_autofree char *line2 = NULL;

  if (chance (rand, 25))
    {
      int floor = g_rand_int_range (rand, 1, 6);
      int unit = g_rand_int_range (rand, 1, 20);

      line2 = g_strdup_printf ("Apt %d", floor * 100 + unit);
    }
  tend_record_set_string (record, "address.line1", line1);
  tend_record_set_string (record, "address.line2", line2);
  tend_record_set_string (record, "address.city", city->name);
  tend_record_set_string (record, "address.region", "WI");
  tend_record_set_string (record, "address.postal_code", city->zip);
  tend_record_set_string (record, "address.country", "US");
}

static gboolean
save_record (TendStore   *store,
             TendRecord  *record,
             GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (tend_store_save (store, record, &local))
    return TRUE;
  /* Only the field's label and the store's words: no values of the demo. */
  g_propagate_prefixed_error (error, g_steal_pointer (&local),
                              _("Could not write a demo %s record: "),
                              tend_record_get_type_name (record));
  return FALSE;
}

static gboolean
create_practice_and_staff (TendStore   *store,
                           GRand       *rand,
                           GPtrArray   *clinician_ids,
                           const char  *password,
                           GError     **error)
{
  g_autoptr(TendPractice) practice = NULL;
  g_autofree char *practice_id = make_uuid (rand);
  g_autofree char *npi = tend_demo_make_npi (rand);
  g_autofree char *tax_id = g_strdup_printf ("39-%07d", g_rand_int_range (rand, 1000000, 10000000));
  g_autoptr(GPtrArray) staff_ids = g_ptr_array_new_with_free_func (g_free);

  practice = tend_practice_new ("Riverbend Counseling Collective", "America/Chicago");
  tend_record_set_id (TEND_RECORD (practice), practice_id);
  tend_record_set_string (TEND_RECORD (practice), "phone", "(608) 555-0100");
  tend_record_set_string (TEND_RECORD (practice), "email", "frontdesk@riverbend-counseling.example");
  tend_record_set_string (TEND_RECORD (practice), "tax_id", tax_id);
  tend_record_set_string (TEND_RECORD (practice), "npi", npi);
  tend_record_set_string (TEND_RECORD (practice), "address.line1", "1402 Williamson St");
  tend_record_set_string (TEND_RECORD (practice), "address.line2", "Suite 200");
  tend_record_set_string (TEND_RECORD (practice), "address.city", "Madison");
  tend_record_set_string (TEND_RECORD (practice), "address.region", "WI");
  tend_record_set_string (TEND_RECORD (practice), "address.postal_code", "53703");
  tend_record_set_string (TEND_RECORD (practice), "address.country", "US");
  if (!save_record (store, TEND_RECORD (practice), error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (roster); i++)
    g_ptr_array_add (staff_ids, make_uuid (rand));

  for (guint i = 0; i < G_N_ELEMENTS (roster); i++)
    {
      const StaffSpec *spec = &roster[i];
      g_autoptr(TendStaff) staff = tend_staff_new (spec->given, spec->family, spec->role);
      TendRecord *record = TEND_RECORD (staff);
      g_autofree char *first = ascii_fold (spec->given);
      g_autofree char *email = g_strdup_printf ("%s@riverbend-counseling.example", first);
      g_autofree char *phone = g_strdup_printf ("(608) 555-01%02u", 10 + i);

      tend_record_set_id (record, g_ptr_array_index (staff_ids, i));
      tend_record_set_string (record, "email", email);
      tend_record_set_string (record, "phone", phone);
      if (spec->credentials != NULL)
        {
          g_autofree char *npi_i = tend_demo_make_npi (rand);
          int license_a = g_rand_int_range (rand, 1000, 10000);
          int license_b = g_rand_int_range (rand, 100, 200);
          g_autofree char *license = g_strdup_printf ("%04d-%03d", license_a, license_b);

          tend_record_set_string (record, "credentials", spec->credentials);
          tend_record_set_string (record, "npi", npi_i);
          tend_record_set_string (record, "license_number", license);
          g_ptr_array_add (clinician_ids, g_strdup (g_ptr_array_index (staff_ids, i)));
        }
      if (spec->supervisor >= 0)
        tend_record_set_string (record, "supervisor_id",
                                g_ptr_array_index (staff_ids, spec->supervisor));
      if (!save_record (store, record, error))
        return FALSE;
    }

  /* The first on the roster is the owner: the app opens as her. */
  if (password != NULL &&
      (!tend_store_set_password (store, g_ptr_array_index (staff_ids, 0), password, error) ||
       !tend_store_set_meta (store, "current_user_id", g_ptr_array_index (staff_ids, 0), error)))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (room_names); i++)
    {
      g_autoptr(TendRoom) room = tend_room_new (room_names[i]);
      g_autofree char *room_id = make_uuid (rand);
      gboolean is_virtual = strcmp (room_names[i], "Telehealth") == 0;

      tend_record_set_id (TEND_RECORD (room), room_id);
      tend_record_set_int (TEND_RECORD (room), "virtual", is_virtual);
      /* The largest room takes family sessions and small groups. */
      tend_record_set_int (TEND_RECORD (room), "capacity", i == 0 ? 8 : is_virtual ? 1 : 4);
      if (!save_record (store, TEND_RECORD (room), error))
        return FALSE;
    }
  return TRUE;
}

static const char *
pick_clinician (GRand     *rand,
                GPtrArray *clinician_ids)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < clinician_ids->len; i++)
    total += roster[i].weight;
  r = (guint) g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < clinician_ids->len; i++)
    {
      if (r < roster[i].weight)
        return g_ptr_array_index (clinician_ids, i);
      r -= roster[i].weight;
    }
  g_assert_not_reached ();
}

static TendClient *
make_client (GRand      *rand,
             guint       index,
             guint32     record_base,
             GPtrArray  *clinician_ids)
{
  g_autofree char *id = make_uuid (rand);
  g_autofree char *family = NULL;
  g_autofree char *dob = NULL;
  g_autofree char *record_number = NULL;
  TendClient *client;
  TendRecord *record;
  const char *given;
  const char *preferred = NULL;
  Gender gender;
  guint age, birth_year;
  guint r;

  given = pick_given (rand, &gender);
  family = pick_family (rand);
  client = tend_client_new (given, family);
  record = TEND_RECORD (client);
  tend_record_set_id (record, id);

  if (chance (rand, 15))
    {
      preferred = pick_preferred (rand, given);
      tend_record_set_string (record, "preferred_name", preferred);
      if (preferred != NULL && gender != GENDER_NEUTRAL && chance (rand, 30))
        gender = GENDER_NEUTRAL;
    }
  tend_record_set_string (record, "pronouns", pick_pronouns (rand, gender));

  age = pick_age (rand);
  dob = make_date_of_birth (rand, age, &birth_year);
  tend_record_set_string (record, "date_of_birth", dob);

  /* 7919 is prime to 900000, so i -> number is one-to-one: unique numbers
   * that do not give away the order clients were added in. */
  record_number = g_strdup_printf ("R%06u", 100000 + (guint) ((record_base + (guint64) index * 7919) % 900000));
  tend_record_set_string (record, "record_number", record_number);

  /* Children under 13 have no e-mail; most teenagers and adults do. */
  if ((age >= 18 && chance (rand, 94)) || (age >= 13 && age < 18 && chance (rand, 50)))
    {
      g_autofree char *email = make_email (rand, preferred != NULL && chance (rand, 50) ? preferred : given,
                                           family, birth_year);
      tend_record_set_string (record, "email", email);
    }

  if (age >= 13 && !chance (rand, 3))
    {
      g_autofree char *phone = make_phone (rand);

      r = (guint) g_rand_int_range (rand, 0, 100);
      tend_record_set_string (record, r < 90 ? "phone_mobile" : "phone_home", phone);
      if (r >= 95 || (age < 18 && r < 30))
        {
          g_autofree char *home = make_phone (rand);
          tend_record_set_string (record, "phone_home", home);
        }
    }
  else if (age < 13)
    {
      g_autofree char *home = make_phone (rand);
      tend_record_set_string (record, "phone_home", home);
    }

  if (age < 18 || chance (rand, 65))
    {
      const char *relation = age < 18 ? PICK (rand, relationships_minor) : PICK (rand, relationships_adult);
      Gender ec_gender;
      const char *ec_given = pick_given (rand, &ec_gender);
      g_autofree char *ec_family = (age < 18 || chance (rand, 50)) ? g_strdup (family) : pick_family (rand);
      g_autofree char *ec_name = g_strdup_printf ("%s %s", ec_given, ec_family);
      g_autofree char *ec_phone = make_phone (rand);

      tend_record_set_string (record, "emergency_contact.name", ec_name);
      tend_record_set_string (record, "emergency_contact.relationship", relation);
      tend_record_set_string (record, "emergency_contact.phone", ec_phone);
    }

  if (chance (rand, 92))
    set_address (record, rand);

  r = (guint) g_rand_int_range (rand, 0, 100);
  tend_record_set_string (record, "status", r < 70 ? "active" : r < 90 ? "inactive" : "discharged");
  tend_record_set_string (record, "primary_clinician_id", pick_clinician (rand, clinician_ids));
  tend_record_set_string (record, "referral_source",
                          pick_weighted (rand, referral_sources, G_N_ELEMENTS (referral_sources)));
  return client;
}

/**
 * tend_demo_options_init:
 * @opts: options to fill with the defaults
 *
 * %TEND_DEMO_DEFAULT_CLIENTS clients and seed %TEND_DEMO_DEFAULT_SEED.
 */
void
tend_demo_options_init (TendDemoOptions *opts)
{
  g_return_if_fail (opts != NULL);

  memset (opts, 0, sizeof *opts);
  opts->n_clients = TEND_DEMO_DEFAULT_CLIENTS;
  opts->seed = TEND_DEMO_DEFAULT_SEED;
}

/**
 * tend_demo_generate:
 * @store: an empty store (no practice yet)
 * @opts: (nullable): what to make, or %NULL for the defaults
 * @progress: (nullable) (scope call): called after each batch of clients
 * @user_data: data for @progress
 * @cancellable: (nullable): checked between batches
 * @error: return location for a #GError
 *
 * Fills @store with the practice “Riverbend Counseling Collective”, its
 * staff (%TEND_DEMO_N_CLINICIANS clinicians, %TEND_DEMO_N_FRONT_DESK
 * front-desk staff, %TEND_DEMO_N_BILLERS biller), %TEND_DEMO_N_ROOMS rooms
 * and @opts->n_clients clients.  The same seed always gives the same data.
 *
 * Every record goes through tend_store_save(), so it is validated, audited
 * and queued in the outbox like any other change, under the store's actor
 * (leave it unset: the system).  Clients are written
 * %TEND_DEMO_BATCH_SIZE to a transaction.
 *
 * On failure or cancellation the batches already committed stay: the store
 * is incomplete and is best deleted.
 *
 * Returns: %TRUE when everything was written
 */
gboolean
tend_demo_generate (TendStore             *store,
                    const TendDemoOptions *opts,
                    TendDemoProgressFunc   progress,
                    gpointer               user_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  TendDemoOptions defaults;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) clinician_ids = g_ptr_array_new_with_free_func (g_free);
  guint32 record_base;
  gint64 n_practices;
  guint done = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (opts == NULL)
    {
      tend_demo_options_init (&defaults);
      opts = &defaults;
    }

  if (opts->n_clients < 1 || opts->n_clients > TEND_DEMO_MAX_CLIENTS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("The number of demo clients must be between 1 and %u"), TEND_DEMO_MAX_CLIENTS);
      return FALSE;
    }

  n_practices = tend_store_count (store, TEND_TYPE_PRACTICE, error);
  if (n_practices < 0)
    return FALSE;
  if (n_practices > 0)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_CONFLICT,
                   _("The store at %s already has a practice. Demo data only goes into a new store: use a new store path."),
                   tend_store_get_path (store));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  rand = g_rand_new_with_seed (opts->seed);

  if (!tend_store_begin (store, error))
    return FALSE;
  if (!create_practice_and_staff (store, rand, clinician_ids, opts->password, error))
    {
      tend_store_rollback (store);
      return FALSE;
    }
  if (!tend_store_commit (store, error))
    return FALSE;

  record_base = (guint32) g_rand_int_range (rand, 0, 900000);

  while (done < opts->n_clients)
    {
      guint end = MIN (done + TEND_DEMO_BATCH_SIZE, opts->n_clients);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!tend_store_begin (store, error))
        return FALSE;
      for (guint i = done; i < end; i++)
        {
          g_autoptr(TendClient) client = make_client (rand, i, record_base, clinician_ids);

          if (!save_record (store, TEND_RECORD (client), error))
            {
              tend_store_rollback (store);
              return FALSE;
            }
        }
      if (!tend_store_commit (store, error))
        return FALSE;
      done = end;
      if (progress != NULL)
        progress (done, opts->n_clients, user_data);
    }

  return TRUE;
}
