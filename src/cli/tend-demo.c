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

#include "tend-billing.h"
#include "tend-demo.h"
#include "tend-demo-messages.h"
#include "tend-demo-chart.h"
#include "tend-schedule.h"
#include "tend-store-private.h"

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
  int         hours;        /* index into hour_patterns, or -1 */
} StaffSpec;

/* Working hours in minutes after local midnight, Monday first; a day whose
 * start is not before its end is a day off. */
typedef struct
{
  guint16 start[7];
  guint16 end[7];
} Hours;

#define H(h) ((guint16) ((h) * 60))
static const Hours hour_patterns[] = {
  /* Monday to Friday, 08:00 to 18:00 */
  { { H (8), H (8), H (8), H (8), H (8), 0, 0 }, { H (18), H (18), H (18), H (18), H (18), 0, 0 } },
  /* Monday to Thursday, 09:00 to 19:00 */
  { { H (9), H (9), H (9), H (9), 0, 0, 0 }, { H (19), H (19), H (19), H (19), 0, 0, 0 } },
  /* Monday to Friday, 09:00 to 17:00 */
  { { H (9), H (9), H (9), H (9), H (9), 0, 0 }, { H (17), H (17), H (17), H (17), H (17), 0, 0 } },
  /* Tuesday to Friday, 10:00 to 19:00, and Saturday mornings */
  { { 0, H (10), H (10), H (10), H (10), H (9), 0 }, { 0, H (19), H (19), H (19), H (19), H (13), 0 } },
  /* Monday to Friday, 08:00 to 16:00, and Saturday mornings */
  { { H (8), H (8), H (8), H (8), H (8), H (9), 0 }, { H (16), H (16), H (16), H (16), H (16), H (12), 0 } },
  /* The owner sees clients Monday to Thursday, 09:00 to 15:00 */
  { { H (9), H (9), H (9), H (9), 0, 0, 0 }, { H (15), H (15), H (15), H (15), 0, 0, 0 } },
};
#undef H

/* What a clinician who is not on the roster works: one of the first five. */
#define N_COMMON_PATTERNS 5

static const StaffSpec roster[] = {
  { "Maya", "Okafor", TEND_ROLE_OWNER, "LCSW", -1, 8, 5 },
  { "Daniel", "Lindqvist", TEND_ROLE_SUPERVISOR, "PsyD", -1, 11, 0 },
  { "Priya", "Raman", TEND_ROLE_SUPERVISOR, "PhD", -1, 11, 2 },
  { "Tomás", "Herrera", TEND_ROLE_CLINICIAN, "LPC", 1, 10, 1 },
  { "Grace", "Whitewing", TEND_ROLE_CLINICIAN, "LMFT", -1, 14, 3 },
  { "Samuel", "Adeyemi", TEND_ROLE_CLINICIAN, "LPC", -1, 15, 0 },
  { "Hannah", "Kowalski", TEND_ROLE_CLINICIAN, "LCSW", -1, 15, 4 },
  { "Ji-woo", "Park", TEND_ROLE_CLINICIAN, "LMFT", -1, 16, 1 },
  { "Rosa", "Delgado", TEND_ROLE_FRONT_DESK, NULL, -1, 0, -1 },
  { "Marcus", "Bell", TEND_ROLE_FRONT_DESK, NULL, -1, 0, -1 },
  { "Linda", "Thao", TEND_ROLE_BILLER, NULL, -1, 0, -1 },
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

/* The demo's made-up clock for its ids: one millisecond per id from
 * 2024-01-01, started again by each tend_demo_generate (); the clients'
 * ids from DEMO_CLIENT_CLOCK on, so that the clients of a small demo are
 * the first clients of a bigger one with the same seed, ids included,
 * whatever number of staff each has. */
#define DEMO_ID_EPOCH_MS G_GUINT64_CONSTANT (1704067200000)
#define DEMO_CLIENT_CLOCK (1 << 22)
static gint demo_id_clock;

/* A time-ordered UUID (version 7 layout, as tend_uuid_new_time_ordered ()
 * makes for every new record) from the demo's clock and the seeded
 * generator, so the same seed gives the same ids and ids made one after
 * the other sort one after the other (the indexes on them grow at their
 * right edge).  Draws from @rand as the version-4 ids it replaces did. */
static char *
make_uuid_version (GRand *rand,
                   guint  version)
{
  guint64 ms = DEMO_ID_EPOCH_MS + (guint) g_atomic_int_add (&demo_id_clock, 1);
  guint32 a G_GNUC_UNUSED = g_rand_int (rand);
  guint32 b = g_rand_int (rand);
  guint32 c = (g_rand_int (rand) & 0x3fffffff) | 0x80000000;
  guint32 d = g_rand_int (rand);

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          (guint32) (ms >> 16), (guint) (ms & 0xffff), (version << 12) | (b & 0x0fff),
                          c >> 16, c & 0xffff, d);
}

static char *
make_uuid (GRand *rand)
{
  return make_uuid_version (rand, 7);
}

/* A series' id: version 8, as the application gives a new series, so its
 * occurrences' ids (and their charges') begin with its 48 bits of clock
 * (tend_record_derive_ordered_id ()) and go in at the right edge of their
 * id indexes, as the series come. */
static char *
make_series_id (GRand *rand)
{
  return make_uuid_version (rand, 8);
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

static void
set_working_hours (TendRecord *record,
                   guint       pattern)
{
  static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  const Hours *h = &hour_patterns[pattern];

  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *start_name = NULL;
      g_autofree char *end_name = NULL;
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;

      if (h->start[d] >= h->end[d])
        continue;
      start_name = g_strdup_printf ("working_hours.%s.start", days[d]);
      end_name = g_strdup_printf ("working_hours.%s.end", days[d]);
      start = g_strdup_printf ("%02u:%02u", h->start[d] / 60u, h->start[d] % 60u);
      end = g_strdup_printf ("%02u:%02u", h->end[d] / 60u, h->end[d] % 60u);
      tend_record_set_string (record, start_name, start);
      tend_record_set_string (record, end_name, end);
    }
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
                           GPtrArray   *room_ids,
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
      if (spec->hours >= 0)
        set_working_hours (record, (guint) spec->hours);
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
      g_ptr_array_add (room_ids, g_steal_pointer (&room_id));
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

/* Appointments
 *
 * A practice with thousands of clients needs many clinicians: with
 * appointments, the practice is staffed for its caseload (the roster, then
 * more clinicians, and an office for most of them).  Each active client is
 * in an episode of weekly or fortnightly sessions that began up to
 * ACTIVE_WEEKS_MAX weeks before the reference day and goes on; most
 * inactive and discharged clients had one earlier, of 6 to 20 sessions.
 * Slots are chosen where the clinician (and, in person, a room) is free for
 * every week of the episode, inside the clinician's hours and never at
 * noon (lunch, and the staff meeting on Wednesdays), so nothing is
 * double-booked.  What comes from chance comes from a generator of its own,
 * seeded from the same seed, so the clients are the same as without
 * appointments except for their primary clinician.
 */

#define DEMO_ZONE "America/Chicago"
/* Episodes of active clients began up to this many weeks before the reference day. */
#define ACTIVE_WEEKS_MAX 36
/* Sessions a week a clinician carries at the busiest time, on average. */
#define SESSIONS_PER_CLINICIAN 31
/* Offices per hundred clinicians (a few are on telehealth at any time). */
#define ROOMS_PER_100_CLINICIANS 75
/* Appointment rows (about) per transaction: with their notes and measures,
 * about 200,000 saves, some 250 MB of pages, within WRITE_CACHE_KIB.  Each
 * commit writes every page its transaction touched, and the indexes on
 * random ids (the appointments' and charges' own: derived from the series
 * and the session, tend_record_derive_id ()) are touched all over; the
 * fewer the commits, the fewer times each of their pages is written (see
 * bench/README.md, bench-demo). */
#define APPOINTMENT_BATCH 120000

/* Clients billed in a transaction: about 190,000 saves with two years. */
#define BILLING_BATCH 2500

/* Episodes (or, an eighth of it, clients billed) between reports of
 * progress and checks for Cancel inside a transaction. */
#define PROGRESS_STEP 256

/* The page cache while writing, in KiB: the transactions above touch up to
 * about 300 MB of pages, which stay in memory until their commit. */
#define WRITE_CACHE_KIB 524288
/* ... and while building the indexes at the end (finish ()). */
#define FINISH_CACHE_KIB 262144
/* Mixed into the seed for the appointments' own generator. */
#define SCHEDULE_SEED_SALT 0x5c4ed01eU

static const char * const tree_names[] = {
  "Aspen", "Maple", "Linden", "Alder", "Hazel", "Rowan", "Juniper", "Spruce",
  "Hemlock", "Sycamore", "Magnolia", "Poplar", "Larch", "Beech", "Hickory",
  "Walnut", "Chestnut", "Sequoia", "Tamarack", "Buckeye",
};

static const char * const cancel_reasons[] = {
  "Client illness", "Schedule conflict", "Transportation", "Family emergency",
  "Weather", "Work conflict", "Childcare", "Travel", "Clinician illness",
  "Rescheduled by client",
};

static const char * const late_cancel_reasons[] = {
  "Cancelled less than 24 hours ahead", "Sick child", "Car trouble", "Called in unwell",
};

typedef struct
{
  guint    client;      /* index of the client */
  guint    clinician;   /* index into Plan.clinician_ids */
  int      room;        /* index into Plan.room_ids, or -1: telehealth */
  guint16  start_week;
  guint16  count;       /* sessions, or 0: goes on */
  guint8   weekday;     /* 1 = Monday */
  guint8   hour;
  guint8   period;      /* weeks between sessions */
  guint8   minutes;
  guint8   until : 1;   /* ends with UNTIL rather than COUNT */
} Episode;

typedef struct
{
  GRand     *rand;
  GTimeZone *zone;
  GDate      first_monday;    /* of the first week */
  guint      n_weeks;
  guint      ref_week;        /* the first week after the reference day */
  guint      words;           /* 64-bit words in a bitmap of weeks */
  GPtrArray *clinician_ids;   /* the roster's clinicians, then the others */
  GArray    *patterns;        /* guint per clinician: hour_patterns */
  GArray    *lunch;           /* gboolean per clinician: a lunch block */
  guint      total_weight;
  guint64   *clinician_busy;  /* [clinician][hour of the week][word] */
  GPtrArray *room_ids;        /* offices (physical rooms) */
  char      *telehealth_id;
  guint64   *room_busy;       /* [room][hour of the week][word] */
  GPtrArray *client_ids;      /* every client, in order */
  GArray    *episodes;
  GArray    *active;          /* guint: clients with an open episode */
  guint      unplaced;
  gint64     now;             /* the end of the reference day */
  gint64     end;             /* the end of the window */
  GPtrArray *supervisors;     /* per clinician: the supervisor's id, or NULL */
  TendDemoChart *chart;       /* notes, measures, diagnoses, plans */
  guint      n_notes;
} Plan;

static void
plan_free (Plan *plan)
{
  g_clear_pointer (&plan->rand, g_rand_free);
  g_clear_pointer (&plan->zone, g_time_zone_unref);
  g_clear_pointer (&plan->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&plan->patterns, g_array_unref);
  g_clear_pointer (&plan->lunch, g_array_unref);
  g_clear_pointer (&plan->clinician_busy, g_free);
  g_clear_pointer (&plan->room_ids, g_ptr_array_unref);
  g_clear_pointer (&plan->telehealth_id, g_free);
  g_clear_pointer (&plan->room_busy, g_free);
  g_clear_pointer (&plan->client_ids, g_ptr_array_unref);
  g_clear_pointer (&plan->episodes, g_array_unref);
  g_clear_pointer (&plan->active, g_array_unref);
  g_clear_pointer (&plan->supervisors, g_ptr_array_unref);
  g_clear_pointer (&plan->chart, tend_demo_chart_free);
  g_free (plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Plan, plan_free)

/**
 * tend_demo_count_clinicians:
 * @opts: (nullable): the options, or %NULL for the defaults
 *
 * Returns: how many clinicians tend_demo_generate() makes with @opts
 */
guint
tend_demo_count_clinicians (const TendDemoOptions *opts)
{
  guint64 need;

  if (opts == NULL || opts->appointment_years == 0)
    return TEND_DEMO_N_CLINICIANS;
  /* 70% active clients; 45% of them weekly, the others fortnightly. */
  need = ((guint64) opts->n_clients * 70 * 725 + (guint64) SESSIONS_PER_CLINICIAN * 100000 - 1) /
         ((guint64) SESSIONS_PER_CLINICIAN * 100000);
  return MAX (TEND_DEMO_N_CLINICIANS, (guint) need);
}

/**
 * tend_demo_count_rooms:
 * @opts: (nullable): the options, or %NULL for the defaults
 *
 * Returns: how many rooms (the telehealth room included)
 *   tend_demo_generate() makes with @opts
 */
guint
tend_demo_count_rooms (const TendDemoOptions *opts)
{
  guint offices;

  if (opts == NULL || opts->appointment_years == 0)
    return TEND_DEMO_N_ROOMS;
  offices = (tend_demo_count_clinicians (opts) * ROOMS_PER_100_CLINICIANS + 99) / 100;
  return MAX (TEND_DEMO_N_ROOMS - 1, offices) + 1;
}

static gint64
local_usec (GTimeZone   *zone,
            const GDate *date,
            guint        minutes)
{
  g_autoptr(GDateTime) dt = g_date_time_new (zone, (int) g_date_get_year (date), (int) g_date_get_month (date),
                                             (int) g_date_get_day (date), (int) (minutes / 60), (int) (minutes % 60), 0);

  return tend_time_to_unix_usec (dt);
}

static Plan *
plan_new (const TendDemoOptions *opts)
{
  Plan *plan = g_new0 (Plan, 1);
  GDate window_end, reference;

  plan->rand = g_rand_new_with_seed (opts->seed ^ SCHEDULE_SEED_SALT);
  plan->zone = g_time_zone_new_identifier (DEMO_ZONE);
  /* The window ends on the first Monday of February after the reference
   * day, 2027-02-01, and starts that many 52-week years earlier. */
  g_date_clear (&window_end, 1);
  g_date_set_dmy (&window_end, 1, G_DATE_FEBRUARY, REFERENCE_YEAR + 1);
  plan->n_weeks = 52 * opts->appointment_years;
  plan->first_monday = window_end;
  g_date_subtract_days (&plan->first_monday, 7 * plan->n_weeks);
  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, REFERENCE_DAY, REFERENCE_MONTH, REFERENCE_YEAR);
  g_date_add_days (&reference, 1);
  plan->ref_week = (guint) (g_date_days_between (&plan->first_monday, &reference) + 6) / 7;
  plan->now = local_usec (plan->zone, &reference, 0);
  plan->end = local_usec (plan->zone, &window_end, 0);
  plan->words = (plan->n_weeks + 63) / 64;
  plan->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  plan->patterns = g_array_new (FALSE, FALSE, sizeof (guint));
  plan->lunch = g_array_new (FALSE, FALSE, sizeof (gboolean));
  plan->room_ids = g_ptr_array_new_with_free_func (g_free);
  plan->client_ids = g_ptr_array_new_with_free_func (g_free);
  plan->episodes = g_array_new (FALSE, FALSE, sizeof (Episode));
  plan->active = g_array_new (FALSE, FALSE, sizeof (guint));
  plan->supervisors = g_ptr_array_new_with_free_func (g_free);
  plan->chart = tend_demo_chart_new (opts->seed, plan->now);
  return plan;
}

static guint
clinician_weight (guint index)
{
  return index < TEND_DEMO_N_CLINICIANS ? roster[index].weight : 12;
}

/* The staff beyond the roster and the offices beyond the first three,
 * written in the practice's transaction. */
static gboolean
plan_staff_and_rooms (Plan                  *plan,
                      TendStore             *store,
                      const TendDemoOptions *opts,
                      GPtrArray             *roster_clinicians,
                      GPtrArray             *rooms,
                      GError               **error)
{
  static const char * const credentials[] = { "LCSW", "LPC", "LMFT", "PsyD", "PhD", "LPC", "LCSW", "LMFT" };
  guint n_clinicians = tend_demo_count_clinicians (opts);
  guint n_offices = tend_demo_count_rooms (opts) - 1;
  GRand *rand = plan->rand;

  for (guint i = 0; i < roster_clinicians->len; i++)
    {
      guint pattern = (guint) roster[i].hours;
      gboolean lunch = i % 3 == 1;

      g_ptr_array_add (plan->clinician_ids, g_strdup (g_ptr_array_index (roster_clinicians, i)));
      g_ptr_array_add (plan->supervisors, roster[i].supervisor >= 0
                       ? g_strdup (g_ptr_array_index (roster_clinicians, roster[i].supervisor)) : NULL);
      g_array_append_val (plan->patterns, pattern);
      g_array_append_val (plan->lunch, lunch);
    }
  for (guint i = roster_clinicians->len; i < n_clinicians; i++)
    {
      Gender gender;
      const char *given = pick_given (rand, &gender);
      g_autofree char *family = pick_family (rand);
      g_autoptr(TendStaff) staff = tend_staff_new (given, family, TEND_ROLE_CLINICIAN);
      TendRecord *record = TEND_RECORD (staff);
      g_autofree char *id = make_uuid (rand);
      g_autofree char *first = ascii_fold (given);
      g_autofree char *last = ascii_fold (family);
      g_autofree char *email = g_strdup_printf ("%s.%s.%u@riverbend-counseling.example", first, last, i);
      g_autofree char *phone = g_strdup_printf ("(608) 555-%04u", 2000 + i % 8000);
      g_autofree char *npi = tend_demo_make_npi (rand);
      int license_a = g_rand_int_range (rand, 1000, 10000);
      int license_b = g_rand_int_range (rand, 100, 200);
      g_autofree char *license = g_strdup_printf ("%04d-%03d", license_a, license_b);
      guint pattern = (guint) g_rand_int_range (rand, 0, N_COMMON_PATTERNS);
      gboolean lunch = chance (rand, 25);

      tend_record_set_id (record, id);
      tend_record_set_string (record, "email", email);
      tend_record_set_string (record, "phone", phone);
      tend_record_set_string (record, "credentials", PICK (rand, credentials));
      tend_record_set_string (record, "npi", npi);
      tend_record_set_string (record, "license_number", license);
      /* Newer clinicians are supervised by one of the two supervisors. */
      if (chance (rand, 30))
        tend_record_set_string (record, "supervisor_id",
                                g_ptr_array_index (roster_clinicians, chance (rand, 50) ? 1 : 2));
      set_working_hours (record, pattern);
      if (!save_record (store, record, error))
        return FALSE;
      g_ptr_array_add (plan->supervisors, g_strdup (tend_staff_get_supervisor_id (staff)));
      g_ptr_array_add (plan->clinician_ids, g_steal_pointer (&id));
      g_array_append_val (plan->patterns, pattern);
      g_array_append_val (plan->lunch, lunch);
    }
  for (guint i = 0; i < n_clinicians; i++)
    plan->total_weight += clinician_weight (i);

  /* Willow, Birch and Cedar, then more offices; the telehealth room apart. */
  for (guint i = 0; i < rooms->len; i++)
    {
      if (i == TEND_DEMO_N_ROOMS - 1)
        plan->telehealth_id = g_strdup (g_ptr_array_index (rooms, i));
      else
        g_ptr_array_add (plan->room_ids, g_strdup (g_ptr_array_index (rooms, i)));
    }
  for (guint i = plan->room_ids->len; i < n_offices; i++)
    {
      guint k = i - (TEND_DEMO_N_ROOMS - 1);
      guint numbered = k - (guint) G_N_ELEMENTS (tree_names);
      /* Then by floor: "Room 101" */
      g_autofree char *name = k < G_N_ELEMENTS (tree_names)
                              ? g_strdup (tree_names[k])
                              : g_strdup_printf ("Room %u%02u", 1 + numbered / 40, 1 + numbered % 40);
      g_autoptr(TendRoom) room = tend_room_new (name);
      g_autofree char *id = make_uuid (rand);

      tend_record_set_id (TEND_RECORD (room), id);
      tend_record_set_int (TEND_RECORD (room), "capacity", 4);
      if (!save_record (store, TEND_RECORD (room), error))
        return FALSE;
      g_ptr_array_add (plan->room_ids, g_steal_pointer (&id));
    }

  plan->clinician_busy = g_new0 (guint64, (gsize) n_clinicians * 168 * plan->words);
  plan->room_busy = g_new0 (guint64, (gsize) plan->room_ids->len * 168 * plan->words);
  return TRUE;
}

/* Is the hour starting at @hour on @weekday (1 = Monday) bookable? */
static gboolean
bookable (guint pattern,
          guint weekday,
          guint hour)
{
  const Hours *h = &hour_patterns[pattern];

  if (h->start[weekday - 1] >= h->end[weekday - 1])
    return FALSE;
  if (weekday <= 5 && hour == 12)
    return FALSE;  /* lunch, and the staff meeting on Wednesdays */
  return hour * 60 >= h->start[weekday - 1] && (hour + 1) * 60 <= h->end[weekday - 1];
}

static gboolean
fits (const guint64 *busy,
      const guint64 *mask,
      guint          words)
{
  for (guint w = 0; w < words; w++)
    if ((busy[w] & mask[w]) != 0)
      return FALSE;
  return TRUE;
}

static void
occupy (guint64       *busy,
        const guint64 *mask,
        guint          words)
{
  for (guint w = 0; w < words; w++)
    busy[w] |= mask[w];
}

/* The weeks of an episode as a bitmap; returns FALSE when it has none. */
static gboolean
episode_mask (Plan    *plan,
              guint    start,
              guint    count,
              guint    period,
              guint64 *mask)
{
  guint n = 0;

  memset (mask, 0, plan->words * sizeof (guint64));
  for (guint w = start; w < plan->n_weeks && (count == 0 || n < count); w += period, n++)
    mask[w / 64] |= G_GUINT64_CONSTANT (1) << (w % 64);
  return n > 0;
}

/* Finds a clinician (@preferred first) and an hour free for every week of
 * @mask, and an office when @e is in person (or makes it telehealth). */
static gboolean
place (Plan          *plan,
       Episode       *e,
       guint          preferred,
       const guint64 *mask)
{
  guint n = plan->clinician_ids->len;
  guint offset = (guint) g_rand_int_range (plan->rand, 0, 168);

  for (guint t = 0; t < n; t++)
    {
      guint c = (preferred + t) % n;
      guint pattern = g_array_index (plan->patterns, guint, c);

      for (guint j = 0; j < 168; j++)
        {
          guint hw = (offset + j) % 168;
          guint64 *busy = plan->clinician_busy + ((gsize) c * 168 + hw) * plan->words;

          if (!bookable (pattern, hw / 24 + 1, hw % 24) || !fits (busy, mask, plan->words))
            continue;
          e->clinician = c;
          e->weekday = (guint8) (hw / 24 + 1);
          e->hour = (guint8) (hw % 24);
          if (e->room >= 0)
            {
              guint rooms = plan->room_ids->len;

              e->room = -1;
              for (guint k = 0; k < rooms; k++)
                {
                  guint r = (c + k) % rooms;
                  guint64 *room_busy = plan->room_busy + ((gsize) r * 168 + hw) * plan->words;

                  if (fits (room_busy, mask, plan->words))
                    {
                      occupy (room_busy, mask, plan->words);
                      e->room = (int) r;
                      break;
                    }
                }
            }
          occupy (busy, mask, plan->words);
          return TRUE;
        }
    }
  return FALSE;
}

static guint
pick_any_clinician (Plan *plan)
{
  guint r = (guint) g_rand_int_range (plan->rand, 0, (gint32) plan->total_weight);

  for (guint i = 0; i < plan->clinician_ids->len; i++)
    {
      if (r < clinician_weight (i))
        return i;
      r -= clinician_weight (i);
    }
  g_assert_not_reached ();
}

/* Plans the episode of client @index (if any) and sets its clinician. */
static void
plan_client (Plan       *plan,
             guint       index,
             TendClient *client)
{
  g_autofree guint64 *mask = g_new0 (guint64, plan->words);
  gboolean active = tend_client_get_status (client) == TEND_CLIENT_STATUS_ACTIVE;
  guint preferred = pick_any_clinician (plan);
  Episode e = { 0 };
  gboolean placed = FALSE;

  g_ptr_array_add (plan->client_ids, g_strdup (tend_record_get_id (TEND_RECORD (client))));
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id",
                          g_ptr_array_index (plan->clinician_ids, preferred));
  if (!active && !chance (plan->rand, 60))
    return;

  e.client = index;
  e.period = chance (plan->rand, 45) ? 1 : 2;
  e.minutes = chance (plan->rand, 75) ? 50 : 60;
  e.room = chance (plan->rand, 30) ? -1 : 0;
  if (active)
    {
      guint first = plan->ref_week > ACTIVE_WEEKS_MAX ? plan->ref_week - ACTIVE_WEEKS_MAX : 0;

      e.start_week = (guint16) (first + (guint) g_rand_int_range (plan->rand, 0, (gint32) (plan->ref_week + 2 - first)));
      /* A full caseload: start a week or two later (the waitlist). */
      for (guint delay = 0; !placed && delay < 6 && e.start_week + delay < plan->n_weeks; delay++)
        {
          e.start_week += delay > 0;
          placed = episode_mask (plan, e.start_week, 0, e.period, mask) && place (plan, &e, preferred, mask);
        }
    }
  else
    {
      guint span;

      e.count = (guint16) g_rand_int_range (plan->rand, 6, 21);
      span = (e.count - 1u) * e.period + 1;
      e.until = chance (plan->rand, 50);
      if (span + 1 < plan->ref_week)
        {
          e.start_week = (guint16) g_rand_int_range (plan->rand, 0, (gint32) (plan->ref_week - span));
          placed = episode_mask (plan, e.start_week, e.count, e.period, mask) && place (plan, &e, preferred, mask);
        }
    }
  if (!placed)
    {
      plan->unplaced += active;
      return;
    }
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id",
                          g_ptr_array_index (plan->clinician_ids, e.clinician));
  if (active)
    g_array_append_val (plan->active, index);
  g_array_append_val (plan->episodes, e);
}

static GDateTime *
week_time (Plan  *plan,
           guint  week,
           guint  weekday,
           guint  minutes)
{
  GDate day = plan->first_monday;

  g_date_add_days (&day, 7 * week + (weekday - 1));
  return g_date_time_new (plan->zone, (int) g_date_get_year (&day), (int) g_date_get_month (&day),
                          (int) g_date_get_day (&day), (int) (minutes / 60), (int) (minutes % 60), 0);
}

static gboolean
set_status (TendAppointment       *a,
            TendAppointmentStatus  status,
            const char            *reason,
            GDateTime             *start,
            gint64                 offset_usec,
            GError               **error)
{
  g_autoptr(GDateTime) when = g_date_time_add (start, offset_usec);

  return tend_appointment_set_status (a, status, reason, when, error);
}

/* Gives an occurrence its history: sets @changed when it then differs from
 * what the series makes. */
static gboolean
decide_status (Plan             *plan,
               TendAppointment  *a,
               GDateTime        *start,
               guint             week,
               gboolean         *changed,
               GError          **error)
{
  GRand *rand = plan->rand;
  guint r = (guint) g_rand_int_range (rand, 0, 1000);
  gint64 minute = G_TIME_SPAN_MINUTE;

  *changed = TRUE;

  if (tend_appointment_get_start_usec (a) < plan->now)
    {
      if (r < 70)
        return set_status (a, TEND_APPOINTMENT_CANCELLED, PICK (rand, cancel_reasons), start,
                           -g_rand_int_range (rand, 20, 120) * G_TIME_SPAN_HOUR, error);
      if (r < 100)
        return set_status (a, TEND_APPOINTMENT_NO_SHOW, NULL, start, 15 * minute, error);
      if (r < 120)
        return set_status (a, TEND_APPOINTMENT_LATE_CANCELLED, PICK (rand, late_cancel_reasons), start,
                           -g_rand_int_range (rand, 2, 20) * G_TIME_SPAN_HOUR, error);
      {
        gint64 length = tend_appointment_get_end_usec (a) - tend_appointment_get_start_usec (a);

        return set_status (a, TEND_APPOINTMENT_ARRIVED, NULL, start, -g_rand_int_range (rand, 1, 12) * minute, error) &&
               set_status (a, TEND_APPOINTMENT_COMPLETED, NULL, start, length + g_rand_int_range (rand, 0, 9) * minute, error);
      }
    }
  if (r < 30)
    {
      g_autoptr(GDateTime) reference = tend_time_from_unix_usec (plan->now);

      return set_status (a, TEND_APPOINTMENT_CANCELLED, PICK (rand, cancel_reasons), reference,
                         -g_rand_int_range (rand, 1, 72) * G_TIME_SPAN_HOUR, error);
    }
  if (week == plan->ref_week && r < 300)
    {
      g_autoptr(GDateTime) reference = tend_time_from_unix_usec (plan->now);

      return set_status (a, TEND_APPOINTMENT_CONFIRMED, NULL, reference,
                         -g_rand_int_range (rand, 1, 48) * G_TIME_SPAN_HOUR, error);
    }
  *changed = FALSE;
  return TRUE;
}

static guint
week_of (Plan      *plan,
         GDateTime *start)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, plan->zone);
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local), (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  return (guint) g_date_days_between (&plan->first_monday, &day) / 7;
}

/* One episode: its series, with the occurrences that have a history (or an
 * intake) written first, so that saving the series makes only the rest. */
static gboolean
write_episode (Plan       *plan,
               TendStore  *store,
               Episode    *e,
               guint      *n_rows,
               GError    **error)
{
  g_autoptr(GDateTime) first = week_time (plan, e->start_week, e->weekday, e->hour * 60u);
  g_autoptr(GDateTime) end = tend_time_from_unix_usec (plan->end);
  g_autofree char *id = make_series_id (plan->rand);
  g_autofree char *rule = NULL;
  g_autoptr(TendSeries) series = NULL;
  g_autoptr(GPtrArray) starts = NULL;
  g_autoptr(GPtrArray) completed = g_ptr_array_new_with_free_func (g_object_unref);
  TendRecord *record;

  if (e->count == 0)
    rule = g_strdup (e->period == 1 ? "FREQ=WEEKLY" : "FREQ=WEEKLY;INTERVAL=2");
  else if (!e->until)
    rule = g_strdup_printf ("FREQ=WEEKLY;%sCOUNT=%u", e->period == 1 ? "" : "INTERVAL=2;", e->count);
  else
    {
      /* The end of the last session's day, as an instant. */
      g_autoptr(GDateTime) last = week_time (plan, e->start_week + (e->count - 1u) * e->period, e->weekday, 23 * 60 + 59);
      g_autoptr(GDateTime) last_utc = g_date_time_to_utc (last);
      g_autofree char *stamp = g_date_time_format (last_utc, "%Y%m%dT%H%M00Z");

      rule = g_strdup_printf ("FREQ=WEEKLY;%sUNTIL=%s", e->period == 1 ? "" : "INTERVAL=2;", stamp);
    }

  series = tend_series_new (g_ptr_array_index (plan->clinician_ids, e->clinician), first, e->minutes, DEMO_ZONE, rule);
  record = TEND_RECORD (series);
  tend_record_set_id (record, id);
  tend_record_set_string (record, "client_id", g_ptr_array_index (plan->client_ids, e->client));
  tend_record_set_string (record, "service_code", e->minutes == 50 ? "90834" : "90837");
  tend_record_set_string (record, "modality", e->room >= 0 ? "in_person" : "telehealth");
  tend_record_set_string (record, "room_id", e->room >= 0 ? g_ptr_array_index (plan->room_ids, e->room)
                                                          : plan->telehealth_id);

  starts = tend_series_expand (series, first, end, error);
  if (starts == NULL)
    return FALSE;
  for (guint k = 0; k < starts->len; k++)
    {
      GDateTime *start = g_ptr_array_index (starts, k);
      g_autoptr(TendAppointment) a = tend_series_make_occurrence (series, start);
      /* The first session of an episode is the intake. */
      gboolean edited = k == 0, changed = FALSE;

      if (edited)
        {
          g_autoptr(GDateTime) intake_end = g_date_time_add_minutes (start, 60);

          tend_record_set_string (TEND_RECORD (a), "service_code", "90791");
          tend_appointment_set_times (a, start, intake_end);
        }
      if (!decide_status (plan, a, start, week_of (plan, start), &changed, error))
        return FALSE;
      if ((edited || changed) && !tend_store_save (store, TEND_RECORD (a), error))
        return FALSE;
      /* Its charge (a completed session, a missed one the practice
       * charges for), now rather than read back for billing. */
      if ((edited || changed) && g_date_time_to_unix (start) < plan->now / G_USEC_PER_SEC &&
          !tend_billing_sync_appointment (store, a, error))
        return FALSE;
      if (tend_appointment_get_status (a) == TEND_APPOINTMENT_COMPLETED)
        g_ptr_array_add (completed, g_object_ref (a));
    }
  if (!tend_demo_chart_write_episode (plan->chart, store, g_ptr_array_index (plan->client_ids, e->client),
                                      g_ptr_array_index (plan->clinician_ids, e->clinician),
                                      g_ptr_array_index (plan->supervisors, e->clinician),
                                      completed, &plan->n_notes, error))
    return FALSE;
  *n_rows += starts->len;
  return tend_schedule_save_series (store, series, plan->end, error);
}

/* Is @day the Wednesday of a week the practice keeps no staff meeting:
 * Thanksgiving week, or around Christmas and New Year? */
static gboolean
holiday_week (GDateTime *day)
{
  int month = g_date_time_get_month (day), dom = g_date_time_get_day_of_month (day);

  /* Thanksgiving is the fourth Thursday of November: its Wednesday falls on the 21st to 27th. */
  if (month == 11 && dom >= 21 && dom <= 27)
    return TRUE;
  return (month == 12 && dom >= 22) || (month == 1 && dom <= 2);
}

/* A clinician's staff meeting, and lunch for some. */
static gboolean
write_blocked (Plan       *plan,
               TendStore  *store,
               guint       c,
               guint      *n_rows,
               GError    **error)
{
  const char *clinician = g_ptr_array_index (plan->clinician_ids, c);
  const Hours *hours = &hour_patterns[g_array_index (plan->patterns, guint, c)];
  g_autoptr(GDateTime) end = tend_time_from_unix_usec (plan->end);

  for (guint kind = 0; kind < 2; kind++)
    {
      g_autoptr(GDateTime) first = NULL;
      g_autoptr(TendSeries) series = NULL;
      g_autoptr(GPtrArray) starts = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GString) rule = g_string_new ("FREQ=WEEKLY;BYDAY=");

      if (kind == 0)
        {
          g_string_append (rule, "WE");
          first = week_time (plan, 0, 3, 12 * 60);
        }
      else
        {
          static const char * const days[] = { "MO", "TU", "WE", "TH", "FR" };
          guint first_day = 0;

          if (!g_array_index (plan->lunch, gboolean, c))
            continue;
          for (guint d = 0; d < 5; d++)
            if (d != 2 && hours->start[d] < hours->end[d])
              {
                if (first_day == 0)
                  first_day = d + 1;
                else
                  g_string_append_c (rule, ',');
                g_string_append (rule, days[d]);
              }
          if (first_day == 0)
            continue;
          first = week_time (plan, 0, first_day, 12 * 60);
        }
      id = make_series_id (plan->rand);
      series = tend_series_new (clinician, first, 60, DEMO_ZONE, rule->str);
      tend_record_set_id (TEND_RECORD (series), id);
      tend_record_set_string (TEND_RECORD (series), "kind", "blocked");
      tend_record_set_string (TEND_RECORD (series), "note", kind == 0 ? "Staff meeting" : "Lunch");

      starts = tend_series_expand (TEND_SERIES (series), first, end, error);
      if (starts == NULL)
        return FALSE;
      for (guint k = 0; kind == 0 && k < starts->len; k++)
        {
          GDateTime *start = g_ptr_array_index (starts, k);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (start, plan->zone);
          g_autoptr(TendAppointment) a = NULL;

          if (!holiday_week (local))
            continue;
          a = tend_series_make_occurrence (series, start);
          if (!set_status (a, TEND_APPOINTMENT_CANCELLED, "No staff meeting in a holiday week", start,
                           -14 * G_TIME_SPAN_DAY, error) ||
              !tend_store_save (store, TEND_RECORD (a), error))
            return FALSE;
        }
      *n_rows += starts->len;
      if (!tend_schedule_save_series (store, series, plan->end, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_waitlist (Plan       *plan,
                TendStore  *store,
                guint       n_clients,
                GError    **error)
{
  guint n = CLAMP (n_clients / 400, 3, 125);

  for (guint i = 0; i < n && plan->active->len > 0; i++)
    {
      guint client = g_array_index (plan->active, guint, g_rand_int_range (plan->rand, 0, (gint32) plan->active->len));
      g_autoptr(TendWaitlistEntry) entry = tend_waitlist_entry_new (g_ptr_array_index (plan->client_ids, client));
      TendRecord *record = TEND_RECORD (entry);
      g_autofree char *id = make_uuid (plan->rand);
      guint r = (guint) g_rand_int_range (plan->rand, 0, 100);

      tend_record_set_id (record, id);
      /* Weekday evenings, mornings, or any time on some days. */
      if (r < 35)
        {
          tend_record_set_int (record, "weekdays", 31);
          tend_record_set_string (record, "earliest", "16:00");
        }
      else if (r < 60)
        {
          tend_record_set_int (record, "weekdays", 31);
          tend_record_set_string (record, "latest", "12:00");
        }
      else
        tend_record_set_int (record, "weekdays", g_rand_int_range (plan->rand, 1, 128));
      r = (guint) g_rand_int_range (plan->rand, 0, 100);
      tend_record_set_string (record, "modality", r < 60 ? "any" : r < 85 ? "in_person" : "telehealth");
      if (chance (plan->rand, 40))
        {
          const char *ids[] = { g_ptr_array_index (plan->clinician_ids, pick_any_clinician (plan)), NULL };

          tend_record_set_strv (record, "clinician_ids", ids);
        }
      if (chance (plan->rand, 30))
        tend_record_set_string (record, "note", "Would like an earlier time than now");
      if (!save_record (store, record, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_appointments (Plan                 *plan,
                    TendStore            *store,
                    guint                 n_clients,
                    TendDemoProgressFunc  progress,
                    gpointer              user_data,
                    GCancellable         *cancellable,
                    GError              **error)
{
  guint n_clinicians = plan->clinician_ids->len;
  /* Billing counts as many steps as there are clients (write_billing ()). */
  guint total = n_clients + n_clinicians + plan->episodes->len + n_clients;
  guint done = n_clients, rows = 0, committed = 0;

  if (!tend_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < n_clinicians + plan->episodes->len; i++)
    {
      gboolean ok = i < n_clinicians
                    ? write_blocked (plan, store, i, &rows, error)
                    : write_episode (plan, store, &g_array_index (plan->episodes, Episode, i - n_clinicians), &rows, error);

      if (!ok)
        {
          tend_store_rollback (store);
          return FALSE;
        }
      done++;
      if (rows - committed >= APPOINTMENT_BATCH || i + 1 == n_clinicians + plan->episodes->len)
        {
          if (!tend_store_commit (store, error))
            return FALSE;
          committed = rows;
          if (progress != NULL)
            progress (done, total, user_data);
          if (g_cancellable_set_error_if_cancelled (cancellable, error) || !tend_store_begin (store, error))
            return FALSE;
        }
      else if (done % PROGRESS_STEP == 0)
        {
          /* Within a transaction: Cancel takes back what it had written. */
          if (progress != NULL)
            progress (done, total, user_data);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              tend_store_rollback (store);
              return FALSE;
            }
        }
    }
  if (!write_waitlist (plan, store, n_clients, error))
    {
      tend_store_rollback (store);
      return FALSE;
    }
  return tend_store_commit (store, error);
}

/* A million rows touch every page of six indexes in turn: with SQLCipher's
 * 2 MB page cache each insert decrypts and re-encrypts pages it has just
 * evicted.  WRITE_CACHE_KIB while writing (this connection only), then as it was. */
static gboolean
write_appointments_cached (Plan                 *plan,
                           TendStore            *store,
                           guint                 n_clients,
                           TendDemoProgressFunc  progress,
                           gpointer              user_data,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autofree char *restore = tend_store_grow_cache (store, WRITE_CACHE_KIB);
  gboolean ok;

  ok = write_appointments (plan, store, n_clients, progress, user_data, cancellable, error);
  tend_store_restore_cache (store, restore);
  return ok;
}

/* Billing: a catalogue, fees, payers and policies, then a charge for every
 * session the demo completed (and each missed one the practice charges for),
 * payments for most of what clients owe, and claims for the insured: sent,
 * and answered by a remittance when old enough. */

static const struct
{
  const char *code;
  const char *text;   /* the practice's own words, not the CPT descriptor */
  guint       minutes;
  gint64      fee;
  gboolean    add_on;
} demo_services[] = {
  { "90791", "Intake assessment", 60, 22000, FALSE },
  { "90792", "Intake assessment with medical review", 60, 26000, FALSE },
  { "90832", "Therapy, half hour", 30, 9500, FALSE },
  { "90834", "Therapy, 45 minutes", 45, 14000, FALSE },
  { "90837", "Therapy, full hour", 60, 18000, FALSE },
  { "90839", "Crisis session, first hour", 60, 21000, FALSE },
  { "90840", "Crisis session, each further half hour", 30, 9000, TRUE },
  { "90846", "Family session without the client", 50, 14000, FALSE },
  { "90847", "Family session with the client", 50, 15000, FALSE },
  { "90853", "Group session", 90, 6000, FALSE },
  { "90785", "Interactive complexity", 0, 2500, TRUE },
  { "99404", "Preventive counselling, one hour", 60, 15000, FALSE },
};

static const char * const demo_diagnoses[] = { "F41.1", "F32.1", "F43.23", "F33.1", "F90.0", "F42.2", "F43.10", "F41.0" };

static gboolean
demo_billing_setup (TendStore   *store,
                    GRand       *rand,
                    GPtrArray   *payer_ids,
                    GError     **error)
{
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, error);
  g_autoptr(TendBillingSettings) settings = tend_billing_settings_new ();
  g_autoptr(GPtrArray) staff = NULL;
  g_autofree char *tax = NULL;
  static const struct { const char *name, *code, *filing, *city, *zip; } payers[] = {
    { "Lakeshore Health Plan", "LKSHR", "CI", "Milwaukee", "53202" },
    { "Badger Mutual Insurance", "BDGR1", "BL", "Madison", "53711" },
    { "Wisconsin Medicaid", "WIMCD", "MC", "Madison", "53703" },
  };

  if (practice == NULL)
    return FALSE;
  tax = tend_phone_digits (tend_record_get_string (TEND_RECORD (practice), "tax_id"));
  tend_record_set_int (TEND_RECORD (settings), "no_show_fee", 7500);
  tend_record_set_int (TEND_RECORD (settings), "late_cancel_fee", 5000);
  tend_record_set_string (TEND_RECORD (settings), "tax_id", tax);
  tend_record_set_string (TEND_RECORD (settings), "billing_npi", tend_record_get_string (TEND_RECORD (practice), "npi"));
  tend_record_set_string (TEND_RECORD (settings), "taxonomy", "101YM0800X");
  tend_record_set_string (TEND_RECORD (settings), "submitter_id", "RIVERBEND01");
  tend_record_set_string (TEND_RECORD (settings), "receiver_id", "DEMOCLEAR");
  tend_record_set_string (TEND_RECORD (settings), "receiver_name", "Demo Clearinghouse");
  if (!save_record (store, TEND_RECORD (settings), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (demo_services); i++)
    {
      g_autoptr(TendService) s = tend_service_new (demo_services[i].code, demo_services[i].text,
                                                   demo_services[i].minutes, demo_services[i].fee);

      tend_record_set_int (TEND_RECORD (s), "add_on", demo_services[i].add_on);
      if (!save_record (store, TEND_RECORD (s), error))
        return FALSE;
    }
  /* The owner charges more for a full hour. */
  staff = tend_store_list (store, TEND_TYPE_STAFF, error);
  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < staff->len; i++)
    if (tend_staff_get_role (staff->pdata[i]) == TEND_ROLE_OWNER)
      {
        g_autoptr(TendServiceFee) fee = tend_service_fee_new ("90837", tend_record_get_id (staff->pdata[i]), 20000);

        if (!save_record (store, TEND_RECORD (fee), error))
          return FALSE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (payers); i++)
    {
      g_autoptr(TendPayer) p = tend_payer_new (payers[i].name, payers[i].code, payers[i].filing);
      g_autofree char *id = make_uuid (rand);

      tend_record_set_id (TEND_RECORD (p), id);
      tend_record_set_string (TEND_RECORD (p), "address.line1", "PO Box 8000");
      tend_record_set_string (TEND_RECORD (p), "address.city", payers[i].city);
      tend_record_set_string (TEND_RECORD (p), "address.region", "WI");
      tend_record_set_string (TEND_RECORD (p), "address.postal_code", payers[i].zip);
      if (!save_record (store, TEND_RECORD (p), error))
        return FALSE;
      g_ptr_array_add (payer_ids, g_steal_pointer (&id));
    }
  return TRUE;
}

/* Some clients are insured (a policy, their own or a parent's), a few pay a
 * sliding-scale share: the policy saved, @client changed, for the caller
 * to save (before it is first saved, so each client is saved once). */
static gboolean
demo_bill_policy (TendStore   *store,
                  GRand       *rand,
                  GPtrArray   *payer_ids,
                  TendRecord  *client,
                  GError     **error)
{
  guint r = (guint) g_rand_int_range (rand, 0, 100);

  if (r < 25)
    {
      const char *dob = tend_record_get_string (client, "date_of_birth");
      g_autoptr(TendPolicy) policy = tend_policy_new (tend_record_get_id (client),
                                                      g_ptr_array_index (payer_ids, r % payer_ids->len), "X");
      g_autofree char *member = g_strdup_printf ("%c%c%09d", 'A' + r % 26, 'K' + r % 7,
                                                 g_rand_int_range (rand, 100000000, 999999999));
      g_autofree char *group = g_strdup_printf ("G%05d", g_rand_int_range (rand, 10000, 99999));

      tend_record_set_string (TEND_RECORD (policy), "member_id", member);
      tend_record_set_string (TEND_RECORD (policy), "group_number", group);
      tend_record_set_string (TEND_RECORD (policy), "effective_from", "2020-01-01");
      /* Minors are on a parent's plan. */
      if (dob != NULL && strcmp (dob, "2008-11-01") > 0)
        {
          g_autofree char *parent_dob = g_strdup_printf ("%d-%02d-%02d", g_rand_int_range (rand, 1970, 1992),
                                                         g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));

          tend_record_set_int (TEND_RECORD (policy), "relationship", TEND_RELATIONSHIP_CHILD);
          tend_record_set_string (TEND_RECORD (policy), "subscriber.given", r % 2 ? "Jordan" : "Sam");
          tend_record_set_string (TEND_RECORD (policy), "subscriber.family", tend_record_get_string (client, "legal_family"));
          tend_record_set_string (TEND_RECORD (policy), "subscriber.date_of_birth", parent_dob);
        }
      if (!save_record (store, TEND_RECORD (policy), error))
        return FALSE;
      /* An insurer needs the address on the claim. */
      if (tend_record_get_string (client, "address.line1") == NULL)
        set_address (client, rand);
    }
  else if (r < 35)
    tend_record_set_int (client, "billing.fee_percent", 40 + 10 * (r % 5));
  return TRUE;
}

static const char *
demo_date_plus (const char *date,
                guint       days,
                char        out[11])
{
  GDate d;

  tend_date_parse (date, &d, NULL);
  g_date_add_days (&d, days);
  g_snprintf (out, 11, "%04u-%02u-%02u", g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d));
  return out;
}

static gboolean
demo_pay (TendStore   *store,
          GRand       *rand,
          const char  *client_id,
          const char  *charge_id,
          gint64       amount,
          const char  *date,
          GError     **error)
{
  static const TendPaymentMethod methods[] = {
    TEND_PAYMENT_CARD, TEND_PAYMENT_CARD, TEND_PAYMENT_CARD, TEND_PAYMENT_CASH, TEND_PAYMENT_CHEQUE, TEND_PAYMENT_TRANSFER
  };
  g_autoptr(TendPayment) p = tend_payment_new (client_id, TEND_PAYMENT_PAYMENT,
                                               methods[g_rand_int_range (rand, 0, G_N_ELEMENTS (methods))],
                                               amount, date);
  g_autoptr(TendAllocation) a = tend_allocation_new (tend_record_get_id (TEND_RECORD (p)), charge_id, amount);

  return save_record (store, TEND_RECORD (p), error) && save_record (store, TEND_RECORD (a), error);
}

/* What one client's sessions up to the reference day cost (their charges,
 * made as the sessions were written): diagnoses on the insured ones (the
 * chart would give them), and payments for most of what the client owes.
 * The charges are read as tend_billing_list_charges () lists them, but
 * only the columns a payment needs: nine in ten are the client's own and
 * are not edited, and parsing each one's body back was a tenth of
 * billing; an insured one is loaded whole to be edited. */
static gboolean
demo_bill_charges (TendStore   *store,
                   GRand       *rand,
                   const char  *client_id,
                   const char  *today,
                   GError     **error)
{
  typedef struct
  {
    char   *id;
    char    date[11];
    gboolean insured;
    gint64  amount;
  } Owed;
  g_autoptr(GArray) charges = g_array_new (FALSE, FALSE, sizeof (Owed));
  sqlite3_stmt *stmt;
  const char *code = NULL;
  gboolean ok = TRUE;
  int rc;

  /* The charges were made as the sessions were written (write_episode ()). */
  stmt = tend_store_prepare_cached (store, "SELECT id, service_date, responsibility = 'insurance', amount FROM charge"
                                           " WHERE client_id = ?1 AND deleted = 0 ORDER BY service_date, rid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Owed o = { g_strdup ((const char *) sqlite3_column_text (stmt, 0)), "", sqlite3_column_int (stmt, 2) != 0,
                 sqlite3_column_int64 (stmt, 3) };

      g_strlcpy (o.date, (const char *) sqlite3_column_text (stmt, 1), sizeof o.date);
      g_array_append_val (charges, o);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    ok = tend_store_take_db_error (store, rc, error);
  for (guint i = 0; ok && i < charges->len; i++)
    {
      Owed *c = &g_array_index (charges, Owed, i);
      char paid_on[11];
      guint lag = (guint) g_rand_int_range (rand, 0, 15);

      if (c->insured)
        {
          g_autoptr(TendRecord) charge = tend_store_load (store, TEND_TYPE_CHARGE, c->id, error);

          if (code == NULL)
            code = demo_diagnoses[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_diagnoses))];
          ok = charge != NULL;
          if (ok)
            {
              tend_record_set_string (charge, "diagnoses", code);
              ok = save_record (store, charge, error);
            }
          continue;
        }
      /* Recent charges are often still open; older ones mostly paid. */
      demo_date_plus (c->date, lag, paid_on);
      if (strcmp (paid_on, today) < 0 && g_rand_int_range (rand, 0, 100) < 88)
        ok = demo_pay (store, rand, client_id, c->id, c->amount, paid_on, error);
    }
  for (guint i = 0; i < charges->len; i++)
    g_free (g_array_index (charges, Owed, i).id);
  return ok;
}

/* One client's claims by month of service: sent 10 days after the month;
 * answered after 30 more days (most paid: 70 % paid, 10 % the client's, the
 * rest written off; one in twenty denied).  @n_claims counts the practice's
 * claims so far (trace numbers, batches of 40). */
static gboolean
demo_bill_claims (TendStore   *store,
                  GRand       *rand,
                  const char  *client_id,
                  const char  *today,
                  guint       *n_claims,
                  GError     **error)
{
  g_autoptr(GPtrArray) claims = NULL;
  gboolean ok = TRUE;

  claims = tend_billing_create_claims (store, client_id, error);
  if (claims == NULL)
    return FALSE;
  for (guint j = 0; ok && j < claims->len; j++)
    {
      TendRecord *claim = claims->pdata[j];
      guint i = (*n_claims)++;
      g_autoptr(TendClaim) c = NULL;
      g_autoptr(TendClient) cl = NULL;
      g_autoptr(TendPolicy) po = NULL;
      g_autoptr(TendPayer) pa = NULL;
      g_autoptr(GPtrArray) lines = NULL;
      g_autoptr(TendRemittance) r = NULL;
      TendRemitClaim *rc;
      TendRemitResult result = { 0, };
      const char *first;
      char sent[11], answered[11], month_end[11];
      const char *ids[2] = { tend_record_get_id (claim), NULL };
      gboolean denied = g_rand_int_range (rand, 0, 100) < 5;

      ok = tend_billing_load_claim (store, ids[0], &c, &cl, &po, &pa, &lines, error);
      if (!ok || lines->len == 0)
        continue;
      first = tend_record_get_string (g_ptr_array_index (lines, 0), "service_date");
      g_snprintf (month_end, sizeof month_end, "%.8s28", first);
      demo_date_plus (month_end, 13, sent);
      if (strcmp (sent, today) >= 0)
        continue;
      ok = tend_billing_mark_submitted (store, ids, 1 + i / 40, error);
      if (ok)
        {
          /* Sent on the day the demo says, not today. */
          g_autoptr(TendRecord) stamped = tend_store_load (store, TEND_TYPE_CLAIM, ids[0], error);
          g_autofree char *at = g_strdup_printf ("%sT15:00:00Z", sent);

          ok = stamped != NULL;
          if (ok)
            {
              tend_record_set_string (stamped, "submitted_at", at);
              ok = save_record (store, stamped, error);
            }
        }
      demo_date_plus (sent, 30, answered);
      if (!ok || strcmp (answered, today) >= 0)
        continue;

      r = tend_remittance_new ();
      r->trace_number = g_strdup_printf ("DEMO%06u", i + 1);
      r->paid_on = g_strdup (answered);
      rc = tend_remit_claim_new ();
      g_ptr_array_add (r->claims, rc);
      rc->control_number = g_strdup (tend_record_get_string (claim, "control_number"));
      rc->status_code = denied ? 4 : 1;
      for (guint k = 0; k < lines->len; k++)
        {
          TendCharge *line = g_ptr_array_index (lines, k);
          TendRemitService *s = tend_remit_service_new ();
          gint64 amount = tend_charge_get_amount (line);
          gint64 paid = denied ? 0 : amount * 70 / 100;
          gint64 patient = denied ? 0 : amount * 10 / 100;

          s->procedure = g_strdup (tend_record_get_string (TEND_RECORD (line), "service_code"));
          s->charged = amount;
          s->paid = paid;
          s->line_control = g_strdup (tend_record_get_id (TEND_RECORD (line)));
          if (amount - paid - patient > 0)
            g_ptr_array_add (s->adjustments, tend_remit_adjustment_new ("CO", denied ? "50" : "45", amount - paid - patient));
          if (patient > 0)
            g_ptr_array_add (s->adjustments, tend_remit_adjustment_new ("PR", "2", patient));
          g_ptr_array_add (rc->services, s);
          rc->charged += amount;
          rc->paid += paid;
          rc->patient_responsibility += patient;
        }
      r->total_paid = rc->paid;
      ok = tend_billing_post_remittance (store, r, &result, error);
      tend_remit_result_clear (&result);
      /* Most clients pay their share within a few weeks. */
      for (guint k = 0; ok && !denied && k < lines->len; k++)
        {
          char paid_on[11];

          if (g_rand_int_range (rand, 0, 100) < 65 &&
              strcmp (demo_date_plus (answered, (guint) g_rand_int_range (rand, 3, 25), paid_on), today) < 0)
            ok = demo_pay (store, rand, client_id, tend_record_get_id (g_ptr_array_index (lines, k)),
                           tend_charge_get_amount (g_ptr_array_index (lines, k)) * 10 / 100, paid_on, error);
        }
    }
  return ok;
}

/* Billing, one client at a time (their charges, payments and claims; the
 * policies were written with the clients, the charges with the sessions),
 * BILLING_BATCH clients to a transaction, in the order the clients were
 * written: every query is on the client's own rows, so the time per client
 * does not grow with the practice, and as the clients' ids are
 * time-ordered (make_uuid ()), the rows each client's queries read were
 * written together and the indexes on client ids (payments, claims) grow
 * at their right edge.  Progress counts clients from @done0. */
static gboolean
write_billing (TendStore             *store,
               GRand                 *rand,
               GPtrArray             *client_ids,
               gint64                 now_usec,
               guint                  done0,
               guint                  total,
               TendDemoProgressFunc   progress,
               gpointer               user_data,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_usec / G_USEC_PER_SEC);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *restore = NULL;
  guint n_claims = 0;
  gboolean ok;

  /* Big transactions of small rows: a larger page cache, as for appointments. */
  restore = tend_store_grow_cache (store, WRITE_CACHE_KIB);
  ok = TRUE;
  for (guint i = 0; ok && i < client_ids->len; i += BILLING_BATCH)
    {
      ok = !g_cancellable_set_error_if_cancelled (cancellable, error) && tend_store_begin (store, error);
      if (!ok)
        break;
      for (guint k = i; ok && k < MIN (i + BILLING_BATCH, client_ids->len); k++)
        {
          const char *client_id = g_ptr_array_index (client_ids, k);

          ok = demo_bill_charges (store, rand, client_id, today, error) &&
               demo_bill_claims (store, rand, client_id, today, &n_claims, error);
          if (ok && k > i && (k - i) % (PROGRESS_STEP / 8) == 0)
            {
              if (progress != NULL)
                progress (done0 + k, total, user_data);
              ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
            }
        }
      if (!ok)
        {
          tend_store_rollback (store);
          break;
        }
      ok = tend_store_commit (store, error);
      if (ok && progress != NULL)
        progress (done0 + MIN (i + BILLING_BATCH, client_ids->len), total, user_data);
    }
  tend_store_restore_cache (store, restore);
  return ok;
}

/* Indexes the demo never reads while it writes, whose keys come in no
 * order (times, dates, and the outbox's and audit log's (record_type,
 * record_id), which interleave every type): set aside while writing and
 * made at the end in one sort each (tend-deferred-index.c).  Not those it
 * reads (appointment_client, charge_client, charge_claim, policy_client,
 * payment_payer, allocation_charge...), nor any named by INDEXED BY
 * (note_client, note_addendum, note_unsigned).  Nor those whose keys
 * arrive in order, because the demo writes one client after the other,
 * in the order of their time-ordered ids, and each client's series,
 * sessions, notes and payments get ids in the order made: series_id,
 * appointment_id, client_id and payment_id grow at the index's right
 * edge (appointment_series, note_appointment, charge_appointment,
 * measure_client, payment_client, allocation_payment), and those that
 * hold a few rows (note_cosign: supervisees' notes; audit_detail: none):
 * kept as they go, each costs a little per row, where making it at the
 * end read its whole table again (at 50,000 clients, 0.3 to 0.9 GB each;
 * bench/README.md, bench-demo). */
static const char * const deferred_indexes[] = {
  "outbox_record", "audit_record",
  "appointment_clinician", "appointment_room", "appointment_start",
  "charge_date", "payment_date",
  NULL
};

/* How long each phase took, for G_MESSAGES_DEBUG=tend-cli (no record
 * content: names of phases and seconds only).  @since is the phase's start,
 * moved on to now. */
static gboolean
phase_done (const char *phase,
            gint64     *since)
{
  gint64 now = g_get_monotonic_time ();

  g_debug ("demo: %s took %.1f s", phase, (double) (now - *since) / G_USEC_PER_SEC);
  *since = now;
  return TRUE;
}

/* The indexes and search indexes the demo left behind
 * (tend_store_index_defer (), tend_store_search_defer ()), built in one
 * pass each. */
static gboolean
finish (TendStore     *store,
        gint64        *since,
        GCancellable  *cancellable,
        GError       **error)
{
  /* A smaller page cache while building: CREATE INDEX's sort holds its
   * runs in memory too (temp_store = MEMORY), and with the writing's cache
   * on top the largest practices peaked near 1 GB. */
  return tend_store_exec (store, "PRAGMA cache_size = " G_STRINGIFY (-FINISH_CACHE_KIB), error) &&
         tend_store_index_build (store, cancellable, error) &&
         phase_done ("the deferred indexes", since) &&
         tend_store_search_build (store, NULL, NULL, cancellable, error) &&
         phase_done ("the search indexes", since);
}

/**
 * tend_demo_options_init:
 * @opts: options to fill with the defaults
 *
 * %TEND_DEMO_DEFAULT_CLIENTS clients, seed %TEND_DEMO_DEFAULT_SEED and no
 * appointments.
 */
void
tend_demo_options_init (TendDemoOptions *opts)
{
  g_return_if_fail (opts != NULL);

  memset (opts, 0, sizeof *opts);
  opts->n_clients = TEND_DEMO_DEFAULT_CLIENTS;
  opts->seed = TEND_DEMO_DEFAULT_SEED;
}

static gboolean
generate (TendStore             *store,
          const TendDemoOptions *opts,
          TendDemoProgressFunc   progress,
          gpointer               user_data,
          GCancellable          *cancellable,
          GError               **error);

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
 * With @opts->appointment_years, the clinicians get working hours and the
 * practice as many more clinicians and offices as its caseload needs
 * (tend_demo_count_clinicians(), tend_demo_count_rooms()); then every
 * active client, and some former ones, get a weekly or fortnightly series
 * with a free slot of a clinician (and a free office, or telehealth), over
 * that many years ending three months after the reference day: the series
 * and their occurrences go through tend_schedule_save_series(), those
 * occurrences with a history (completed, cancelled, no-show, an intake)
 * first, with their statuses set by tend_appointment_set_status().  Each
 * clinician has a staff meeting on Wednesdays at noon, some a lunch block,
 * and a few clients are on the waitlist.  About 120,000 appointments (with
 * their notes, measures and charges) go in a transaction.  Nothing is
 * double-booked.  Billing's catalogue and payers are written before the
 * clients, a policy for some clients with the client, the charge of each
 * past session with the session (tend_billing_sync_appointment()); then,
 * one client at a time, 2,500 clients to a transaction: payments, claims
 * and remittances.  The search indexes are built once at the end
 * (tend_store_search_defer(), tend_store_search_build()), as are the
 * indexes it does not read while writing (tend_store_index_defer(),
 * tend_store_index_build(); a store left without them by a stop is given
 * them back when next opened), and the store runs with synchronous =
 * NORMAL and a large page cache meanwhile.
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
  g_autofree char *restore = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A store being filled is deleted if the computer stops: it needs no
   * flush to disk at every commit (WAL keeps it consistent without). */
  if (!tend_store_exec (store, "PRAGMA synchronous = NORMAL", error))
    return FALSE;
  /* A rollback journal instead of the WAL while it is filled: a page
   * added to the file (most of what the demo writes: rows in id order,
   * indexes growing at their right edge) is written once, to the file,
   * where the WAL writes it twice (to the WAL, then at the checkpoint).
   * Each transaction stays all or nothing, Cancel's ROLLBACK included; a
   * journal left by a kill is rolled back when the store is next opened,
   * and opening puts the WAL back (tend_store_open ()).  With another
   * connection open the store stays in WAL mode, which is only slower. */
  if (!tend_store_exec (store, "PRAGMA journal_mode = TRUNCATE", error))
    return FALSE;
  /* The large page cache for all of it: the clients' transactions, and the
   * indexes and search indexes built at the end (CREATE INDEX sorts in
   * runs of the cache's size). */
  restore = tend_store_grow_cache (store, WRITE_CACHE_KIB);
  ok = generate (store, opts, progress, user_data, cancellable, error);
  tend_store_restore_cache (store, restore);
  tend_store_exec (store, "PRAGMA journal_mode = WAL", NULL);
  tend_store_exec (store, "PRAGMA synchronous = FULL", NULL);
  return ok;
}

static gboolean
generate (TendStore             *store,
                    const TendDemoOptions *opts,
                    TendDemoProgressFunc   progress,
                    gpointer               user_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  TendDemoOptions defaults;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) clinician_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) room_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Plan) plan = NULL;
  g_autoptr(GRand) billing_rand = NULL;
  g_autoptr(GPtrArray) payer_ids = g_ptr_array_new_with_free_func (g_free);
  guint32 record_base;
  gint64 n_practices;
  gint64 since = g_get_monotonic_time ();
  guint done = 0, base;

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
  if (opts->appointment_years > TEND_DEMO_MAX_APPOINTMENT_YEARS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Demo appointments can cover at most %u years"), TEND_DEMO_MAX_APPOINTMENT_YEARS);
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
  g_atomic_int_set (&demo_id_clock, 0);

  if (!tend_store_begin (store, error))
    return FALSE;
  if (!create_practice_and_staff (store, rand, clinician_ids, room_ids, opts->password, error))
    {
      tend_store_rollback (store);
      return FALSE;
    }
  if (opts->appointment_years > 0)
    {
      plan = plan_new (opts);
      if (!plan_staff_and_rooms (plan, store, opts, clinician_ids, room_ids, error))
        {
          tend_store_rollback (store);
          return FALSE;
        }
    }
  if (!tend_store_commit (store, error))
    return FALSE;

  /* Billing's catalogue, fees and payers come first: the clients' policies
   * are written with the clients, and each session's charge with the
   * session.  Billing draws from a generator of its own. */
  if (plan != NULL)
    {
      billing_rand = g_rand_new_with_seed (opts->seed ^ 0x5eed0b11u);
      if (!tend_store_begin (store, error))
        return FALSE;
      if (!demo_billing_setup (store, billing_rand, payer_ids, error))
        {
          tend_store_rollback (store);
          return FALSE;
        }
      if (!tend_store_commit (store, error))
        return FALSE;
    }

  record_base = (guint32) g_rand_int_range (rand, 0, 900000);

  /* The client and note search indexes are built once at the end
   * (finish ()): indexing each row as it is saved writes a segment of the
   * full-text index per row. */
  if (!tend_store_search_defer (store, error) ||
      !tend_store_index_defer (store, deferred_indexes, error))
    return FALSE;
  g_atomic_int_set (&demo_id_clock, DEMO_CLIENT_CLOCK);

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

          if (plan != NULL)
            plan_client (plan, i, client);
          tend_demo_chart_add_intake (opts->seed, client);
          if ((plan != NULL && !demo_bill_policy (store, billing_rand, payer_ids, TEND_RECORD (client), error)) ||
              !save_record (store, TEND_RECORD (client), error))
            {
              tend_store_rollback (store);
              return FALSE;
            }
        }
      if (!tend_store_commit (store, error))
        return FALSE;
      done = end;
      if (progress != NULL)
        /* With appointments, the series to come are estimated until planned. */
        progress (done, plan != NULL ? opts->n_clients + plan->clinician_ids->len + opts->n_clients * 88 / 100 + opts->n_clients
                                     : opts->n_clients, user_data);
    }

  phase_done ("the practice, staff and clients", &since);
  if (plan == NULL)
    return finish (store, &since, cancellable, error);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!write_appointments_cached (plan, store, opts->n_clients, progress, user_data, cancellable, error))
    return FALSE;
  phase_done ("the sessions", &since);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  base = opts->n_clients + plan->clinician_ids->len + plan->episodes->len;
  return write_billing (store, billing_rand, plan->client_ids, plan->now, base, base + opts->n_clients,
                        progress, user_data, cancellable, error) &&
         phase_done ("billing", &since) &&
         tend_demo_messages_write (store, opts->seed, plan->now, error) &&
         phase_done ("the messages", &since) &&
         finish (store, &since, cancellable, error);
}
