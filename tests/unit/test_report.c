/*
 * test_report.c - the reports (core/report.c, core/report_read.c): periods as typed, the
 * numbers of a small history written down by hand (a first half counted after the second
 * half changed things still gives the first half's numbers), the roster at a period's
 * end, the record and marking one sent, and which reports the due list asks for.
 *
 * The history is written straight into the tables (tokens, their steps, certificates,
 * their events) with the dates each fact has, so that every number below can be checked
 * against the list of facts in history_build's comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kyso/report.h"
#include "kyso/subscriber.h"
#include "store_fixture.h"

/* --- periods ----------------------------------------------------------------------------- */

static void test_period_halves_year_and_range(void **state)
{
	struct kyso_err err = { 0 };
	struct report_period p;

	(void)state;
	assert_int_equal(report_period_parse("2026-H1", "2026-11-25", &p, &err), 0);
	assert_int_equal(p.kind, REPORT_H1);
	assert_string_equal(p.from, "2026-01-01");
	assert_string_equal(p.to, "2026-06-30");
	assert_string_equal(p.end, "2026-06-30");
	assert_string_equal(p.label, "2026-H1");
	assert_int_equal(report_period_parse("2025-h2", "2026-11-25", &p, &err), 0);
	assert_int_equal(p.kind, REPORT_H2);
	assert_string_equal(p.from, "2025-07-01");
	assert_string_equal(p.end, "2025-12-31");
	assert_string_equal(p.label, "2025-H2");
	/* A year not over yet is counted up to today (the annual report is due in November). */
	assert_int_equal(report_period_parse("2026", "2026-11-25", &p, &err), 0);
	assert_int_equal(p.kind, REPORT_YEAR);
	assert_string_equal(p.to, "2026-12-31");
	assert_string_equal(p.end, "2026-11-25");
	assert_int_equal(report_period_parse("2026-01-01..2026-11-15", "2026-11-25", &p, &err), 0);
	assert_int_equal(p.kind, REPORT_RANGE);
	assert_string_equal(p.end, "2026-11-15");
	assert_string_equal(p.label, "2026-01-01..2026-11-15");
	assert_int_equal(report_period_parse("15/01/2026..30/06/2026", "2026-11-25", &p, &err), 0);
	assert_string_equal(p.from, "2026-01-15");
	assert_string_equal(p.to, "2026-06-30");
}

static void expect_refused(const char *text, const char *needle)
{
	struct kyso_err err = { 0 };
	struct report_period p;

	assert_int_equal(report_period_parse(text, "2026-11-25", &p, &err), KYSO_EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("\"%s\": \"%s\" does not say \"%s\"", text, err.msg, needle);
}

static void test_period_errors_say_what_is_wrong(void **state)
{
	(void)state;
	expect_refused("2026-H3", "is not a period");
	expect_refused("26", "is not a period");
	expect_refused("H1-2026", "is not a period");
	expect_refused("", "no period given");
	expect_refused("2026-02-30..2026-03-01", "\"2026-02-30\" is not a real date");
	expect_refused("2026-01-01..soon", "\"soon\" is not a real date");
	expect_refused("2026-05-01..2026-04-01", "before it begins");
	expect_refused("2027", "begins after today");
	expect_refused("2027-H1", "begins after today");
	expect_refused("1850", "is not a year");
}

/* --- a small history ------------------------------------------------------------------------ */

static void exec_sql(struct kyso_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static long long add_person(struct kyso_db *db, const char *on, const char *name,
			    const char *unit, const char *cccd, const char *mail, int kind)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;

	setenv("KYSO_TODAY", on, 1);
	subscriber_init(&s);
	s.kind = (enum subscriber_kind)kind;
	s.name = strdup(name);
	s.unit = strdup(unit);
	s.email = strdup(mail);
	if (kind == KIND_PERSON) {
		s.id_number = strdup(cccd);
		s.position = strdup("Chuyên viên");
	}
	if (subscriber_add(db, &s, &problems, &err))
		fail_msg("subscriber_add %s: %s (%s)", name, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	subscriber_free(&s);
	setenv("KYSO_TODAY", TODAY, 1);
	return s.id;
}

/* The subscribers' ids, for the expected rows. */
struct history {
	long long p1, p2, o1, p3, p4;
};

/* Units A "Phòng Tổ chức" and B "Phòng Kế hoạch".
 *   P1 person, A, added 10/01/2026.   tokens T1 (received 10/01, PIN 01/02, locked 01/05,
 *                                      recovered 03/05) and T5 (received 01/11/2025).
 *                                      certificate C1 new 10/01/2026-09/01/2028.
 *   P2 person, A, added 10/01/2026, moved to B on 01/09/2026.
 *                                      token T2 (received 10/01 with a PIN change declared
 *                                      on 15/02, handed over 15/07, PIN 01/10); C2 new
 *                                      01/01/2025-30/09/2026 and C5 renewal
 *                                      20/09/2026-19/09/2029.
 *   O1 org, B, added 12/01/2026.       token T3 (received 12/01, lost 02/04); C3 new
 *                                      01/06/2024-31/05/2026.
 *   P3 person, B, added 01/03/2026, departed 20/05/2026.
 *                                      token T4 (received 01/03, handed back 25/05); C4
 *                                      new 01/03/2026-28/02/2029, revoked 22/05/2026.
 *   P4 person, A, added 05/08/2026.
 */
static void history_build(struct kyso_db *db, struct history *h)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber_change move = { SF_UNIT, "Phòng Kế hoạch" };
	char sql[4096];
	long long unit;

	assert_int_equal(unit_add(db, "Phòng Tổ chức", NULL, NULL, &unit, &err), 0);
	assert_int_equal(unit_add(db, "Phòng Kế hoạch", NULL, NULL, &unit, &err), 0);
	h->p1 = add_person(db, "2026-01-10", "Nguyễn Văn An", "Phòng Tổ chức", "086090000001",
			   "an@" DOMAIN, KIND_PERSON);
	h->p2 = add_person(db, "2026-01-10", "Trần Thị Bình", "Phòng Tổ chức", "086090000002",
			   "binh@" DOMAIN, KIND_PERSON);
	h->o1 = add_person(db, "2026-01-12", "Trung tâm Dữ liệu", "Phòng Kế hoạch", NULL,
			   "ttdl@" DOMAIN, KIND_ORG);
	h->p3 = add_person(db, "2026-03-01", "Lê Văn Cường", "Phòng Kế hoạch", "086090000003",
			   "cuong@" DOMAIN, KIND_PERSON);
	h->p4 = add_person(db, "2026-08-05", "Phạm Thị Dung", "Phòng Tổ chức", "086090000004",
			   "dung@" DOMAIN, KIND_PERSON);
	setenv("KYSO_TODAY", "2026-09-01", 1);
	assert_int_equal(subscriber_edit(db, h->p2, &move, 1, 0, &problems, &err), 0);
	setenv("KYSO_TODAY", "2026-05-20", 1);
	assert_int_equal(subscriber_depart(db, h->p3, "2026-05-20", "left", NULL, 0, &problems,
					   &err), 0);
	setenv("KYSO_TODAY", TODAY, 1);
	kyso_problems_free(&problems);

	snprintf(sql, sizeof(sql),
		 "INSERT INTO token(id, serial, serial_key, subscriber_id, state, state_on, "
		 "  received_on, pin_changed_on, created_at, updated_at) VALUES "
		 " (1, 'T1', 'T1', %lld, 'in_use', '2026-05-03', '2026-01-10', '2026-02-01', 'x', 'x'),"
		 " (2, 'T2', 'T2', %lld, 'in_use', '2026-07-15', '2026-01-10', '2026-10-01', 'x', 'x'),"
		 " (3, 'T3', 'T3', %lld, 'lost', '2026-04-02', '2026-01-12', NULL, 'x', 'x'),"
		 " (4, 'T4', 'T4', %lld, 'returned', '2026-05-25', '2026-03-01', NULL, 'x', 'x'),"
		 " (5, 'T5', 'T5', %lld, 'in_use', '2025-11-01', '2025-11-01', NULL, 'x', 'x');",
		 h->p1, h->p2, h->o1, h->p3, h->p1);
	exec_sql(db, sql);
	exec_sql(db, "INSERT INTO token_step(token_id, on_date, action, from_state, to_state, "
		     "  keeper_name, party_name, actor, at) VALUES "
		     " (5, '2025-11-01', 'receive', NULL, 'in_use', 'Nguyễn Văn An', NULL, 't', 'x'),"
		     " (1, '2026-01-10', 'receive', NULL, 'in_use', 'Nguyễn Văn An', NULL, 't', 'x'),"
		     " (2, '2026-01-10', 'receive', NULL, 'in_use', 'Trần Thị Bình', NULL, 't', 'x'),"
		     " (3, '2026-01-12', 'receive', NULL, 'in_use', 'Văn thư', NULL, 't', 'x'),"
		     " (1, '2026-02-01', 'pin', 'in_use', 'in_use', 'Nguyễn Văn An', NULL, 't', 'x'),"
		     " (4, '2026-03-01', 'receive', NULL, 'in_use', 'Lê Văn Cường', NULL, 't', 'x'),"
		     " (3, '2026-04-02', 'lose', 'in_use', 'lost', 'Văn thư', NULL, 't', 'x'),"
		     " (1, '2026-05-01', 'lock', 'in_use', 'locked', 'Nguyễn Văn An', NULL, 't', 'x'),"
		     " (1, '2026-05-03', 'recover', 'locked', 'in_use', 'Nguyễn Văn An', NULL, 't', 'x'),"
		     " (4, '2026-05-25', 'return', 'in_use', 'returned', 'Lê Văn Cường', NULL, 't', 'x'),"
		     " (2, '2026-07-15', 'handover', 'in_use', 'in_use', 'Hồ Văn Em', 'Hồ Văn Em', 't', 'x'),"
		     " (2, '2026-10-01', 'pin', 'in_use', 'in_use', 'Hồ Văn Em', NULL, 't', 'x');"
		     /* each step's event, as token.c writes it */
		     "INSERT INTO event(at, on_date, actor, kind, subscriber_id, token_id) "
		     "  SELECT 'x', st.on_date, 't', 'token.' || st.action, tk.subscriber_id, tk.id "
		     "  FROM token_step st JOIN token tk ON tk.id = st.token_id "
		     "  WHERE st.action <> 'receive' ORDER BY st.id;");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO certificate(id, subscriber_id, token_id, serial, issuance, not_before, "
		 "  not_after, status, revoked_on, created_at, updated_at) VALUES "
		 " (1, %lld, 1, 'C1', 'new', '2026-01-10', '2028-01-09', 'valid', NULL, 'x', 'x'),"
		 " (2, %lld, 2, 'C2', 'new', '2025-01-01', '2026-09-30', 'valid', NULL, 'x', 'x'),"
		 " (3, %lld, 3, 'C3', 'new', '2024-06-01', '2026-05-31', 'valid', NULL, 'x', 'x'),"
		 " (4, %lld, 4, 'C4', 'new', '2026-03-01', '2029-02-28', 'revoked', '2026-05-22', 'x', 'x'),"
		 " (5, %lld, 2, 'C5', 'renew', '2026-09-20', '2029-09-19', 'valid', NULL, 'x', 'x');"
		 "INSERT INTO event(at, on_date, actor, kind, subscriber_id, certificate_id) VALUES "
		 " ('x', '2025-01-01', 't', 'cert.issued', %lld, 2),"
		 " ('x', '2026-01-10', 't', 'cert.issued', %lld, 1),"
		 " ('x', '2026-03-01', 't', 'cert.issued', %lld, 4),"
		 " ('x', '2026-05-22', 't', 'cert.revoked', %lld, 4),"
		 " ('x', '2026-09-20', 't', 'cert.renewed', %lld, 5);",
		 h->p1, h->p2, h->o1, h->p3, h->p2, h->p2, h->p1, h->p3, h->p3, h->p2);
	exec_sql(db, sql);
	/* T2's holder declared a PIN change on 15/02 when it came (token_add's
	 * pin_changed_on): its clock at the end of June starts there, not at its arrival. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO event(at, on_date, actor, kind, subscriber_id, token_id, detail) "
		 "VALUES ('x', '2026-01-10', 't', 'token.receive', %lld, 2, "
		 "'{\"serial\":\"T2\",\"pin_changed_on\":\"2026-02-15\"}')", h->p2);
	exec_sql(db, sql);
}

static void compute(struct kyso_db *db, const char *period, struct report_summary *s)
{
	struct kyso_err err = { 0 };
	struct report_period p;

	assert_int_equal(report_period_parse(period, NULL, &p, &err), 0);
	if (report_compute(db, &p, s, &err))
		fail_msg("report_compute %s: %s", period, err.msg);
}

/* The numbers in the order of enum report_number. */
static void expect_numbers(const char *what, const struct report_numbers *got,
			   const long want[REPORT_NUMBERS])
{
	int i, bad = 0;

	for (i = 0; i < REPORT_NUMBERS; i++)
		if (got->n[i] != want[i]) {
			print_error("%s: %s is %ld, expected %ld\n", what,
				    report_number_key((enum report_number)i), got->n[i], want[i]);
			bad = 1;
		}
	if (bad)
		fail_msg("%s: numbers differ", what);
}

static const struct report_unit *unit_named(const struct report_summary *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nunits; i++)
		if (s->units[i].name && !strcmp(s->units[i].name, name))
			return &s->units[i];
	fail_msg("no unit %s in the summary", name);
	return NULL;
}

/*                         subs tok  val  exp' exp  rev  iss  ren  chg  rvk  rec  lost ho   back pin  due  over */
static const long h1_total[] = { 3, 3, 2, 1, 1, 1, 2, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1 };
static const long h1_a[] = { 2, 3, 2, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1 };
static const long h1_b[] = { 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0 };
static const long h1_org[] = { 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 };
/* The year, counted on 25/11/2026: P2 and its token and certificates are in B now. */
static const long y_total[] = { 4, 3, 2, 0, 2, 1, 2, 1, 0, 1, 1, 1, 1, 1, 2, 0, 2 };
static const long y_a[] = { 2, 2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2 };
static const long y_b[] = { 2, 1, 1, 0, 2, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0 };

static void test_first_half_counted_after_the_second_still_gives_its_numbers(void **state)
{
	struct report_summary s;
	struct history h;

	history_build(db_of(state), &h);
	compute(db_of(state), "2026-H1", &s);
	assert_string_equal(s.expiring_until, "2026-12-31");
	expect_numbers("H1 total", &s.total, h1_total);
	expect_numbers("H1 Phòng Tổ chức", &unit_named(&s, "Phòng Tổ chức")->num, h1_a);
	expect_numbers("H1 Phòng Kế hoạch", &unit_named(&s, "Phòng Kế hoạch")->num, h1_b);
	expect_numbers("H1 organisations", &s.by_kind[KIND_ORG], h1_org);
	/* Both units today, in their Vietnamese order, and no row for "no unit". */
	assert_int_equal(s.nunits, 2);
	assert_string_equal(s.units[0].name, "Phòng Kế hoạch");
	report_summary_free(&s);
}

static void test_year_not_over_is_counted_to_today(void **state)
{
	struct report_summary s;
	struct history h;

	history_build(db_of(state), &h);
	compute(db_of(state), "2026", &s);
	assert_string_equal(s.period.end, TODAY);
	assert_string_equal(s.expiring_until, "2027-12-31");
	expect_numbers("year total", &s.total, y_total);
	expect_numbers("year Phòng Tổ chức", &unit_named(&s, "Phòng Tổ chức")->num, y_a);
	expect_numbers("year Phòng Kế hoạch", &unit_named(&s, "Phòng Kế hoạch")->num, y_b);
	report_summary_free(&s);
}

static void test_json_has_exactly_the_keys(void **state)
{
	static const char *const keys[] = {
		"subscribers_active", "tokens_in_use", "certs_valid", "certs_expiring",
		"certs_expired", "certs_revoked", "issued", "renewed", "changed", "revoked",
		"recovered", "lost", "handed_over", "handed_back", "pin_changes_done", "pin_due",
		"pin_overdue", "by_unit",
	};
	struct report_summary s;
	struct history h;
	const char *key;
	json_t *o, *v;
	size_t i = 0;

	history_build(db_of(state), &h);
	compute(db_of(state), "2026-H1", &s);
	o = report_summary_json(&s);
	assert_int_equal(json_object_size(o), sizeof(keys) / sizeof(keys[0]));
	json_object_foreach(o, key, v)
		assert_string_equal(key, keys[i++]);
	assert_int_equal(json_integer_value(json_object_get(o, "subscribers_active")), 3);
	v = json_object_get(json_object_get(o, "by_unit"), "Phòng Tổ chức");
	assert_int_equal(json_object_size(v), REPORT_NUMBERS);
	assert_int_equal(json_integer_value(json_object_get(v, "tokens_in_use")), 3);
	json_decref(o);
	report_summary_free(&s);
}

struct roster_seen {
	int n;
	char units[8][64];
};

static int take_roster(const struct report_roster_row *row, void *ctx)
{
	struct roster_seen *rs = ctx;

	if (rs->n < 8) {
		snprintf(rs->units[rs->n], 64, "%s", row->unit ? row->unit : "");
	}
	rs->n++;
	return 0;
}

static void test_roster_is_the_one_at_the_end(void **state)
{
	struct kyso_err err = { 0 };
	struct roster_seen rs = { 0 };
	struct report_reader *r;
	struct report_sizes sz;
	struct report_period p;
	struct history h;

	history_build(db_of(state), &h);
	assert_int_equal(report_period_parse("2026-H1", NULL, &p, &err), 0);
	assert_int_equal(report_reader_open(db_of(state), &p, &r, &err), 0);
	assert_int_equal(report_reader_roster(r, take_roster, &rs, &err), 0);
	assert_int_equal(report_reader_sizes(r, &sz, &err), 0);
	report_reader_close(r);
	/* An, Bình, Trung tâm Dữ liệu (by given name); Bình still in Phòng Tổ chức. */
	assert_int_equal(rs.n, 3);
	assert_int_equal(sz.roster, 3);
	assert_string_equal(rs.units[1], "Phòng Tổ chức");
	assert_int_equal(sz.losses, 1);
	assert_int_equal(sz.handovers, 0);
	/* Nothing of the reader is left behind. */
	assert_int_equal(sqlite3_exec(db_of(state)->sql, "SELECT * FROM temp.rp_sub", NULL, NULL,
				      NULL), SQLITE_ERROR);
}

/* A unit renamed since the period's end is known by then only by the old name its
 * subscriber's edit keeps: that name gets a row of its own, after today's units, and a
 * subscriber without a unit the last row.
 *   "Phòng Cũ" (renamed "Phòng Văn thư" on 01/09/2026), "Phòng Mới".
 *   Q1 person, Phòng Cũ, added 10/01/2026, moved to Phòng Mới 01/08; token U1 in use.
 *   Q2 org, Phòng Cũ, added 10/01/2026.
 *   Q3 person, no unit, added 10/01/2026; token U2 in use. */
static void test_units_only_the_history_knows_and_no_unit(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber_change move = { SF_UNIT, "Phòng Mới" };
	struct report_summary s;
	long long old_unit, unit, q1, q3;
	char sql[512];

	assert_int_equal(unit_add(db, "Phòng Cũ", NULL, NULL, &old_unit, &err), 0);
	assert_int_equal(unit_add(db, "Phòng Mới", NULL, NULL, &unit, &err), 0);
	q1 = add_person(db, "2026-01-10", "Nguyễn Văn An", "Phòng Cũ", "086090000001",
			"an@" DOMAIN, KIND_PERSON);
	add_person(db, "2026-01-10", "Trung tâm Dữ liệu", "Phòng Cũ", NULL, "ttdl@" DOMAIN,
		   KIND_ORG);
	q3 = add_person(db, "2026-01-10", "Trần Thị Bình", "", "086090000002", "binh@" DOMAIN,
			KIND_PERSON);
	setenv("KYSO_TODAY", "2026-08-01", 1);
	assert_int_equal(subscriber_edit(db, q1, &move, 1, 0, &problems, &err), 0);
	setenv("KYSO_TODAY", "2026-09-01", 1);
	assert_int_equal(unit_edit(db, old_unit, "Phòng Văn thư", NULL, NULL, 0, &err), 0);
	setenv("KYSO_TODAY", TODAY, 1);
	kyso_problems_free(&problems);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO token(id, serial, serial_key, subscriber_id, state, state_on, "
		 "  received_on, created_at, updated_at) VALUES "
		 " (1, 'U1', 'U1', %lld, 'in_use', '2026-01-10', '2026-01-10', 'x', 'x'),"
		 " (2, 'U2', 'U2', %lld, 'in_use', '2026-01-10', '2026-01-10', 'x', 'x');",
		 q1, q3);
	exec_sql(db, sql);

	compute(db, "2026-H1", &s);
	/* Today's units in their order, the old name, then no unit. */
	assert_int_equal(s.nunits, 4);
	assert_string_equal(s.units[0].name, "Phòng Mới");
	assert_string_equal(s.units[1].name, "Phòng Văn thư");
	assert_string_equal(s.units[2].name, "Phòng Cũ");
	assert_null(s.units[3].name);
	assert_int_equal(s.units[0].num.n[RN_SUBSCRIBERS_ACTIVE], 0);
	assert_int_equal(s.units[1].num.n[RN_SUBSCRIBERS_ACTIVE], 1);
	assert_int_equal(s.units[2].num.n[RN_SUBSCRIBERS_ACTIVE], 1);
	assert_int_equal(s.units[2].num.n[RN_TOKENS_IN_USE], 1);
	assert_int_equal(s.units[3].num.n[RN_SUBSCRIBERS_ACTIVE], 1);
	assert_int_equal(s.units[3].num.n[RN_TOKENS_IN_USE], 1);
	assert_int_equal(s.by_kind[KIND_ORG].n[RN_SUBSCRIBERS_ACTIVE], 1);
	assert_int_equal(s.total.n[RN_SUBSCRIBERS_ACTIVE], 3);
	report_summary_free(&s);

	/* Counted today, An is in Phòng Mới: no row for the old name. */
	compute(db, "2026", &s);
	assert_int_equal(s.nunits, 3);
	assert_int_equal(s.units[0].num.n[RN_SUBSCRIBERS_ACTIVE], 1);
	assert_int_equal(s.units[0].num.n[RN_TOKENS_IN_USE], 1);
	assert_null(s.units[2].name);
	report_summary_free(&s);
}

/* --- the record ------------------------------------------------------------------------------ */

static const char sha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void test_recorded_report_reads_back_the_same_after_edits(void **state)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber_change move = { SF_UNIT, "Phòng Tổ chức" };
	struct report_summary s, back, again;
	struct history h;

	history_build(db_of(state), &h);
	compute(db_of(state), "2026-H1", &s);
	assert_int_equal(report_record(db_of(state), &s, "bc.xlsx", sha, &err), 0);
	assert_true(s.id > 0);
	/* Later edits change what a new count gives, not the record. */
	assert_int_equal(subscriber_depart(db_of(state), h.p1, "2026-03-01", "left", NULL, 0,
					   &problems, &err), 0);
	assert_int_equal(subscriber_edit(db_of(state), h.o1, &move, 1, 0, &problems, &err), 0);
	compute(db_of(state), "2026-H1", &again);
	assert_int_equal(again.total.n[RN_SUBSCRIBERS_ACTIVE], 2);
	assert_int_equal(report_load(db_of(state), s.id, &back, &err), 0);
	expect_numbers("record total", &back.total, h1_total);
	expect_numbers("record Phòng Tổ chức", &unit_named(&back, "Phòng Tổ chức")->num, h1_a);
	expect_numbers("record organisations", &back.by_kind[KIND_ORG], h1_org);
	assert_int_equal(back.nunits, s.nunits);
	assert_string_equal(back.period.label, "2026-H1");
	assert_string_equal(back.period.end, "2026-06-30");
	assert_string_equal(back.generated_on, TODAY);
	assert_string_equal(back.agency.name, sample_agency.name);
	assert_string_equal(back.sha256, sha);
	assert_null(back.sent_on);
	kyso_problems_free(&problems);
	report_summary_free(&s);
	report_summary_free(&back);
	report_summary_free(&again);
}

static int count_rows(const struct report_row *row, void *ctx)
{
	(void)row;
	(*(int *)ctx)++;
	return 0;
}

static void test_mark_sent_checks_and_conflicts(void **state)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct report_summary s, back;
	int n = 0;

	compute(db_of(state), "2026-H1", &s);
	assert_int_equal(report_record(db_of(state), &s, "bc.xlsx", sha, &err), 0);
	assert_int_equal(report_mark_sent(db_of(state), s.id, "2026-12-01", "", 0, &problems, &err),
			 KYSO_EINVAL);
	assert_int_equal(problems.count, 2); /* after today; no dispatch number */
	kyso_problems_clear(&problems);
	assert_int_equal(report_mark_sent(db_of(state), s.id, "2026-11-20", "12/SNNMT-VP", 0,
					  &problems, &err), KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "before the report was made"));
	kyso_problems_clear(&problems);
	assert_int_equal(report_mark_sent(db_of(state), s.id + 1, TODAY, "1", 0, &problems, &err),
			 KYSO_ENOTFOUND);
	assert_int_equal(report_mark_sent(db_of(state), s.id, "25/11/2026", " 125/SNNMT-VP ", 1,
					  &problems, &err), 0);
	assert_int_equal(report_mark_sent(db_of(state), s.id, TODAY, "126/SNNMT-VP", 1, &problems,
					  &err), KYSO_ECONFLICT);
	assert_int_equal(report_load(db_of(state), s.id, &back, &err), 0);
	assert_string_equal(back.sent_on, TODAY);
	assert_string_equal(back.dispatch, "125/SNNMT-VP");
	assert_int_equal(back.version, 2);
	assert_int_equal(report_list(db_of(state), count_rows, &n, &err), 0);
	assert_int_equal(n, 1);
	kyso_problems_free(&problems);
	report_summary_free(&s);
	report_summary_free(&back);
}

/* --- the due list ------------------------------------------------------------------------------ */

struct due_seen {
	int n;
	char labels[4][32];
};

static int take_due(const struct report_due *d, void *ctx)
{
	struct due_seen *ds = ctx;

	if (ds->n < 4)
		snprintf(ds->labels[ds->n], 32, "%s", d->period.label);
	ds->n++;
	return 0;
}

static struct due_seen due_at(struct kyso_db *db, const char *at, int late)
{
	struct kyso_err err = { 0 };
	struct due_seen ds = { 0 };
	long count = -1;

	assert_int_equal(report_due_list(db, at, late, take_due, &ds, &count, &err), 0);
	assert_int_equal(count, ds.n);
	return ds;
}

static void test_due_and_late_reports(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct report_summary s;
	struct due_seen ds;

	/* An empty store asks for nothing; nor for the second half of 2025, due by 15/01,
	 * before kyso kept the roster (from 20/01). */
	assert_int_equal(due_at(db, TODAY, 1).n, 0);
	add_person(db, "2026-01-20", "Nguyễn Văn An", "", "086090000001", "an@" DOMAIN,
		   KIND_PERSON);
	ds = due_at(db, TODAY, 1);
	assert_int_equal(ds.n, 2);
	assert_string_equal(ds.labels[0], "2026-H1");
	assert_string_equal(ds.labels[1], "2026");
	assert_int_equal(due_at(db, TODAY, 0).n, 0);
	/* The second half is due from 16/12 (30 days before 15/01). */
	ds = due_at(db, "2026-12-20", 0);
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.labels[0], "2026-H2");
	assert_int_equal(due_at(db, "2026-12-15", 0).n, 0);
	/* The annual report, made on 22/11 and sent, covers the year; the first half is
	 * still late. */
	setenv("KYSO_TODAY", "2026-11-22", 1);
	compute(db, "2026", &s);
	assert_int_equal(report_record(db, &s, "bc.xlsx", sha, &err), 0);
	assert_int_equal(due_at(db, TODAY, 1).n, 2); /* made, not sent */
	assert_int_equal(report_mark_sent(db, s.id, "2026-11-22", "7/SNNMT", 0, &problems, &err), 0);
	setenv("KYSO_TODAY", TODAY, 1);
	ds = due_at(db, TODAY, 1);
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.labels[0], "2026-H1");
	/* A deadline turned off asks for nothing. */
	assert_int_equal(setting_set(db, SETTING_REPORT_H1_DEADLINE, "off", &err), 0);
	assert_int_equal(due_at(db, TODAY, 1).n, 0);
	kyso_problems_free(&problems);
	report_summary_free(&s);
}

#define DB_TEST(t) cmocka_unit_test_setup_teardown(t, setup_agency, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period_halves_year_and_range),
		cmocka_unit_test(test_period_errors_say_what_is_wrong),
		DB_TEST(test_first_half_counted_after_the_second_still_gives_its_numbers),
		DB_TEST(test_year_not_over_is_counted_to_today),
		DB_TEST(test_json_has_exactly_the_keys),
		DB_TEST(test_roster_is_the_one_at_the_end),
		DB_TEST(test_units_only_the_history_knows_and_no_unit),
		DB_TEST(test_recorded_report_reads_back_the_same_after_edits),
		DB_TEST(test_mark_sent_checks_and_conflicts),
		DB_TEST(test_due_and_late_reports),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
