/*
 * test_due.c - the due list on a real SQLite file: every check is reported in a fixed
 * order, also with a count of 0; e-mail addresses outside the agency's domain (Art. 5.1.b)
 * follow a change of domain, accept sub-domains, never treat characters of the domain as
 * wildcards, and are capped in items but not in count; a missing focal-point officer
 * (Art. 9.4) is reported until one is recorded.  The count comes from the tally and the
 * items through indexes: whichever way they are found, they are the roster's first cases
 * in name order, and no statement reads every subscriber.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kyso/agency.h"
#include "kyso/cert.h"
#include "kyso/db.h"
#include "kyso/due.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "kyso/token.h"

#include "store_fixture.h"
#include "token_fixture.h"

/* Helpers ------------------------------------------------------------------------------ */

/* Adds a person with what a person needs; returns the id. */
static long long add_person(struct kyso_db *db, const char *name, const char *email)
{
	static int serial;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;
	char id_number[24];

	subscriber_init(&s);
	snprintf(id_number, sizeof id_number, "0860900%05d", ++serial);
	s.name = strdup(name);
	s.email = strdup(email);
	s.position = strdup("Chuyên viên");
	s.id_number = strdup(id_number);
	if (subscriber_add(db, &s, &problems, &err))
		fail_msg("subscriber_add(%s): %s (%zu problems: %s)", name, err.msg, problems.count,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	subscriber_free(&s);
	return s.id;
}

static void depart_ok(struct kyso_db *db, long long id)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	if (subscriber_depart(db, id, "2026-11-01", "left", NULL, 0, &problems, &err))
		fail_msg("subscriber_depart(#%lld): %s", id, err.msg);
	kyso_problems_free(&problems);
}

/* Changes the agency's profile through agency_update, as `kyso agency edit` does. */
static void edit_agency(struct kyso_db *db, const char *domain, const char *focal)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct agency a;

	if (agency_get(db, &a, &err))
		fail_msg("agency_get: %s", err.msg);
	if (domain) {
		free(a.email_domain);
		a.email_domain = strdup(domain);
	}
	if (focal) {
		free(a.focal_name);
		a.focal_name = strdup(focal);
	}
	if (agency_update(db, &a, &problems, &err))
		fail_msg("agency_update: %s (%s)", err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	agency_free(&a);
}

/* What due_list gave, copied out of the callback. */
struct seen_check {
	char id[32], rule[16], title[128];
	long count;
	size_t nitems;
	long long ids[DUE_ITEMS_MAX];
	long long tokens[DUE_ITEMS_MAX];
	char name[DUE_ITEMS_MAX][128];
	char detail[DUE_ITEMS_MAX][256];
	char command[DUE_ITEMS_MAX][256];
};

/* The checks the list runs (more may be added: report_due, report_late). */
#define CHECKS_MAX 16

struct seen {
	struct seen_check checks[CHECKS_MAX];
	size_t n;
	size_t stop_after; /* 0: never stop */
};

static int collect(const struct due_check *c, void *ctx)
{
	struct seen *s = ctx;
	struct seen_check *sc;
	size_t i;

	assert_true(s->n < CHECKS_MAX);
	sc = &s->checks[s->n++];
	snprintf(sc->id, sizeof sc->id, "%s", c->id);
	snprintf(sc->rule, sizeof sc->rule, "%s", c->rule);
	snprintf(sc->title, sizeof sc->title, "%s", c->title ? c->title : "");
	sc->count = c->count;
	sc->nitems = c->nitems;
	assert_true(c->nitems <= DUE_ITEMS_MAX);
	assert_true((long)c->nitems <= c->count);
	for (i = 0; i < c->nitems; i++) {
		assert_non_null(c->items[i].detail);
		sc->ids[i] = c->items[i].subscriber_id;
		sc->tokens[i] = c->items[i].token_id;
		snprintf(sc->name[i], sizeof sc->name[i], "%s",
			 c->items[i].name ? c->items[i].name : "");
		snprintf(sc->detail[i], sizeof sc->detail[i], "%s", c->items[i].detail);
		/* every case says the command that clears it (issue 11.10) */
		assert_non_null(c->items[i].command);
		assert_true(!strncmp(c->items[i].command, "kyso ", 5));
		snprintf(sc->command[i], sizeof sc->command[i], "%s", c->items[i].command);
	}
	return s->stop_after && s->n == s->stop_after;
}

static void due_ok(struct kyso_db *db, const char *at, struct seen *out)
{
	struct kyso_err err = { 0 };

	memset(out, 0, sizeof *out);
	if (due_list(db, at, collect, out, &err))
		fail_msg("due_list: %s", err.msg);
}

static const struct seen_check *find_check(const struct seen *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->checks[i].id, id))
			return &s->checks[i];
	fail_msg("due_list did not report %s", id);
	return NULL;
}

/* The e-mail check's count after the addresses of the given subscribers were set (through
 * SQL, past validation, as another tool or an old version could have written them). */
static long outside_count(struct kyso_db *db)
{
	struct seen s;

	due_ok(db, NULL, &s);
	return find_check(&s, "email_outside_domain")->count;
}

static void set_email(struct kyso_db *db, long long id, const char *email)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db->sql, "UPDATE subscriber SET email = ? WHERE id = ?",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void set_domain_past_validation(struct kyso_db *db, const char *domain)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db->sql, "UPDATE agency SET email_domain = ?", -1,
					    &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Tests -------------------------------------------------------------------------------- */

/* The checks in the order DESIGN.md §5 and the list give them. */
static const char *const check_order[] = {
	"cert_expiring", "pin_due", "pin_overdue", "new_holder_pin", "departed_unaccounted",
	"token_not_returned", "lost_without_revocation", "loan_expired", "token_locked",
	"minutes_missing", "email_outside_domain", "report_due", "report_late", "no_focal_point",
};
#define NCHECKS (sizeof check_order / sizeof check_order[0])

static void test_every_check_is_reported_in_order_even_when_zero(void **state)
{
	struct seen s;
	size_t i;

	edit_agency(db_of(state), NULL, "Lê Văn Bình");
	due_ok(db_of(state), NULL, &s);
	assert_int_equal(s.n, NCHECKS);
	for (i = 0; i < NCHECKS; i++) {
		assert_string_equal(s.checks[i].id, check_order[i]);
		assert_int_equal(s.checks[i].count, 0);
		assert_int_equal(s.checks[i].nitems, 0);
		assert_true(s.checks[i].title[0]);
		assert_true(!strncmp(s.checks[i].rule, "Art. ", 5));
	}
	assert_string_equal(find_check(&s, "email_outside_domain")->rule, "Art. 5.1.b");
	assert_string_equal(find_check(&s, "no_focal_point")->rule, "Art. 9.4");
	assert_string_equal(find_check(&s, "pin_overdue")->rule, "Art. 13.3");
	assert_string_equal(find_check(&s, "departed_unaccounted")->rule, "Art. 14.4");
	assert_string_equal(find_check(&s, "token_not_returned")->rule, "Art. 5.3.c");
	assert_string_equal(find_check(&s, "lost_without_revocation")->rule, "Art. 13.5");
	assert_string_equal(find_check(&s, "loan_expired")->rule, "Art. 14.3");
	assert_string_equal(find_check(&s, "cert_expiring")->rule, "Art. 5.3.b");
	assert_string_equal(find_check(&s, "report_late")->rule, "Art. 9.6, 15.3");
}

static void test_agency_not_set_up_has_no_focal_point(void **state)
{
	const struct seen_check *c;
	struct seen s;

	due_ok(db_of(state), NULL, &s);
	assert_int_equal(s.n, NCHECKS);
	assert_int_equal(find_check(&s, "email_outside_domain")->count, 0);
	c = find_check(&s, "no_focal_point");
	assert_int_equal(c->count, 1);
	assert_int_equal(c->nitems, 1);
	assert_int_equal(c->ids[0], 0);
	assert_non_null(strstr(c->detail[0], "not set up"));
}

static void test_focal_point_reported_until_recorded(void **state)
{
	const struct seen_check *c;
	struct seen s;

	due_ok(db_of(state), NULL, &s);
	c = find_check(&s, "no_focal_point");
	assert_int_equal(c->count, 1);
	assert_int_equal(c->nitems, 1);
	assert_int_equal(c->ids[0], 0);
	assert_string_equal(c->name[0], "Sở Nông nghiệp và Môi trường");
	assert_non_null(strstr(c->detail[0], "focal-point"));

	edit_agency(db_of(state), NULL, "Lê Văn Bình");
	due_ok(db_of(state), NULL, &s);
	c = find_check(&s, "no_focal_point");
	assert_int_equal(c->count, 0);
	assert_int_equal(c->nitems, 0);
}

static void test_addresses_in_domain_and_sub_domain_are_not_listed(void **state)
{
	struct kyso_db *db = db_of(state);

	add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN);
	add_person(db, "Nguyễn Thị Ánh", "anhnt@sxd." DOMAIN);
	add_person(db, "Trần Văn Bảy", "bay@a.b." DOMAIN);
	assert_int_equal(outside_count(db), 0);
}

static void test_domain_change_lists_every_active_subscriber(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct seen_check *c;
	long long duc, anh, bay;
	struct seen s;

	duc = add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN);
	anh = add_person(db, "Nguyễn Thị Ánh", "anhnt@sxd." DOMAIN);
	bay = add_person(db, "Trần Văn Bảy", "bay@" DOMAIN);
	depart_ok(db, bay);
	edit_agency(db, "other.gov.vn", NULL);

	due_ok(db, NULL, &s);
	c = find_check(&s, "email_outside_domain");
	assert_int_equal(c->count, 2); /* the departed one is not counted */
	assert_int_equal(c->nitems, 2);
	/* name order: by given name, Ánh before Đức */
	assert_int_equal(c->ids[0], anh);
	assert_int_equal(c->ids[1], duc);
	assert_string_equal(c->name[0], "Nguyễn Thị Ánh");
	assert_non_null(strstr(c->detail[0], "anhnt@sxd." DOMAIN));
	assert_non_null(strstr(c->detail[0], "other.gov.vn"));

	/* an address in a sub-domain of the new domain is accepted */
	set_email(db, duc, "ducdv@stc.other.gov.vn");
	assert_int_equal(outside_count(db), 1);
	edit_agency(db, DOMAIN, NULL);
	assert_int_equal(outside_count(db), 1);
}

static void test_missing_address_is_listed_and_said(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct seen_check *c;
	long long duc, anh;
	struct seen s;

	duc = add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN);
	anh = add_person(db, "Nguyễn Thị Ánh", "anhnt@" DOMAIN);
	set_email(db, duc, NULL);
	set_email(db, anh, "");
	due_ok(db, NULL, &s);
	c = find_check(&s, "email_outside_domain");
	assert_int_equal(c->count, 2);
	assert_string_equal(c->detail[0], "no e-mail address");
	assert_string_equal(c->detail[1], "no e-mail address");
}

static void test_domain_must_match_whole_labels(void **state)
{
	static const struct {
		const char *email;
		int outside;
	} cases[] = {
		{ "a@" DOMAIN, 0 },
		{ "a@sxd." DOMAIN, 0 },
		{ "a@x" DOMAIN, 1 },          /* a suffix, not a sub-domain */
		{ "a@" DOMAIN ".evil.com", 1 },
		{ "a@sxd-" DOMAIN, 1 },
		{ "a@.", 1 },
		{ "a@." DOMAIN, 1 },          /* no label before the domain */
		{ "a." DOMAIN, 1 },           /* no '@' at all */
		{ DOMAIN, 1 },
		{ "a@b@" DOMAIN, 1 },         /* the host is what follows the first '@' */
		{ "a@gmail.com", 1 },
	};
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN);
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		set_email(db, id, cases[i].email);
		if (outside_count(db) != cases[i].outside)
			fail_msg("%s: expected %s the domain", cases[i].email,
				 cases[i].outside ? "outside" : "inside");
	}
}

static void test_domain_characters_are_not_wildcards(void **state)
{
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN);

	/* check_domain refuses '_' and '%', so the domain is written past validation: the
	 * test is of the SQL, which must compare characters, never match patterns. */
	set_domain_past_validation(db, "vinh_long.gov.vn");
	set_email(db, id, "a@vinhxlong.gov.vn");
	assert_int_equal(outside_count(db), 1);
	set_email(db, id, "a@vinh_long.gov.vn");
	assert_int_equal(outside_count(db), 0);

	set_domain_past_validation(db, "%.gov.vn");
	set_email(db, id, "a@" DOMAIN);
	assert_int_equal(outside_count(db), 1);
	set_email(db, id, "a@%.gov.vn");
	assert_int_equal(outside_count(db), 0);

	set_domain_past_validation(db, DOMAIN);
	set_email(db, id, "a@x" DOMAIN);
	assert_int_equal(outside_count(db), 1);
}

static int collect_id(const struct subscriber_row *row, void *ctx)
{
	long long *ids = ctx;
	size_t i = 0;

	while (ids[i])
		i++;
	ids[i] = row->id;
	return 0;
}

static void test_items_are_capped_but_count_is_full(void **state)
{
	enum { N = DUE_ITEMS_MAX + 25 };
	struct subscriber_query q = { .kind = -1, .status = "active", .order = ORDER_NAME };
	static const char *const given[] = { "An", "Ánh", "Bảy", "Bình", "Cường", "Dũng", "Đức",
					     "Hà", "Lan", "Yến" };
	struct kyso_db *db = db_of(state);
	long long listed[N + 1] = { 0 };
	struct kyso_err err = { 0 };
	const struct seen_check *c;
	char name[96], email[64];
	struct seen s;
	int i;

	for (i = 0; i < N; i++) {
		snprintf(name, sizeof name, "Nguyễn Văn %s %c", given[(i * 7) % 10], 'A' + i % 26);
		snprintf(email, sizeof email, "p%03d@" DOMAIN, i);
		add_person(db, name, email);
	}
	assert_int_equal(subscriber_list(db, &q, collect_id, listed, &err), 0);
	edit_agency(db, "other.gov.vn", NULL);

	due_ok(db, NULL, &s);
	c = find_check(&s, "email_outside_domain");
	assert_int_equal(c->count, N);
	assert_int_equal(c->nitems, DUE_ITEMS_MAX);
	for (i = 0; i < DUE_ITEMS_MAX; i++)
		if (c->ids[i] != listed[i])
			fail_msg("item %d is #%lld; the roster in name order has #%lld there", i,
				 c->ids[i], listed[i]);
}

/* The roster in name order, and which of its rows have an address outside: the items
 * must be the first DUE_ITEMS_MAX of those, in that order. */
static void items_are_first_outside(struct kyso_db *db, const struct seen_check *c,
				    const char *outside_host)
{
	struct subscriber_query q = { .kind = -1, .status = "active", .order = ORDER_NAME };
	struct kyso_err err = { 0 };
	long long *listed = calloc(4096, sizeof(*listed));
	sqlite3_stmt *st;
	size_t i, n = 0;

	assert_non_null(listed);
	assert_int_equal(subscriber_list(db, &q, collect_id, listed, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(db->sql, "SELECT email LIKE '%@' || ? FROM subscriber "
					    "WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	for (i = 0; listed[i] && n < c->nitems; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, outside_host, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, listed[i]);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (!sqlite3_column_int(st, 0))
			continue;
		if (c->ids[n] != listed[i])
			fail_msg("item %zu is #%lld; the roster's next outside address is #%lld", n,
				 c->ids[n], listed[i]);
		n++;
	}
	sqlite3_finalize(st);
	free(listed);
	assert_int_equal(n, c->nitems);
}

/* Adds n persons named given (the same name for all: ties go by id). */
static void add_many(struct kyso_db *db, const char *name, int n, const char *prefix)
{
	char email[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(email, sizeof email, "%s%04d@" DOMAIN, prefix, i);
		add_person(db, name, email);
	}
}

static void move_to_host(struct kyso_db *db, const char *where, const char *host)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE subscriber SET email = replace(email, '@%s', '@%s') "
		 "WHERE %s", DOMAIN, host, where);
	assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* Few cases among many subscribers: found through the index on the e-mail host, capped. */
static void test_few_cases_are_capped_in_name_order(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct seen_check *c;
	struct seen s;

	add_many(db, "Nguyễn Văn Bình", 150, "b");
	add_many(db, "Trần Thị Ánh", 150, "a");
	add_many(db, "Lê Văn Yến", 150, "y");
	move_to_host(db, "id % 3 = 0", "gmail.com"); /* 150 of 450, spread over the order */
	due_ok(db, NULL, &s);
	c = find_check(&s, "email_outside_domain");
	assert_int_equal(c->count, 150);
	assert_int_equal(c->nitems, DUE_ITEMS_MAX);
	items_are_first_outside(db, c, "gmail.com");
}

/* Many cases, all at the end of the name order: the walk of the order gives up and the
 * host index finds them; the items are the same. */
static void test_many_cases_late_in_name_order(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct seen_check *c;
	struct seen s;

	add_many(db, "Trần Thị Ánh", 1000, "a");
	add_many(db, "Lê Văn Yến", 1000, "y");
	move_to_host(db, "name = 'Lê Văn Yến'", "yahoo.com");
	due_ok(db, NULL, &s);
	c = find_check(&s, "email_outside_domain");
	assert_int_equal(c->count, 1000);
	assert_int_equal(c->nitems, DUE_ITEMS_MAX);
	items_are_first_outside(db, c, "yahoo.com");
}

/* Statements due_list ran, to read their plans. */
struct ran {
	char *sql[64];
	size_t n;
};

static int on_statement(unsigned type, void *ctx, void *p, void *x)
{
	struct ran *r = ctx;
	const char *sql = sqlite3_sql(p);

	(void)type;
	(void)x;
	if (r->n < 64 && sql)
		r->sql[r->n++] = strdup(sql);
	return 0;
}

/* A plan that reads every subscriber, through the table or an index. */
static int reads_every_subscriber(struct kyso_db *db, const char *sql)
{
	char explain[4096];
	sqlite3_stmt *st;
	int every = 0;

	snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db->sql, explain, -1, &st, NULL) != SQLITE_OK)
		return 0; /* not a query (SAVEPOINT, RELEASE) */
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);

		if (!strcmp(detail, "SCAN subscriber") || !strncmp(detail, "SCAN subscriber ", 16))
			every = 1;
	}
	sqlite3_finalize(st);
	return every;
}

/* With addresses as validation lets them in, the check reads the tally and the rows of
 * the hosts outside only: no plan of any statement it runs reads every subscriber. */
static void test_check_reads_no_subscriber_it_does_not_list(void **state)
{
	struct kyso_db *db = db_of(state);
	struct ran r = { 0 };
	size_t i;
	struct seen s;

	add_many(db, "Trần Thị Ánh", 40, "a");
	add_many(db, "Lê Văn Yến", 40, "y");
	move_to_host(db, "id % 20 = 0", "gmail.com");
	/* an address without '@' that the tally files under the domain itself */
	move_to_host(db, "id = 3", "");
	assert_int_equal(sqlite3_exec(db->sql, "UPDATE subscriber SET email = '" DOMAIN "' "
				      "WHERE id = 5", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_trace_v2(db->sql, SQLITE_TRACE_STMT, on_statement, &r);
	due_ok(db, NULL, &s);
	sqlite3_trace_v2(db->sql, 0, NULL, NULL);
	assert_int_equal(find_check(&s, "email_outside_domain")->count, 4 + 2);
	assert_true(r.n > 0);
	for (i = 0; i < r.n; i++) {
		if (reads_every_subscriber(db, r.sql[i]))
			fail_msg("reads every subscriber: %s", r.sql[i]);
		free(r.sql[i]);
	}
}

static void test_bad_date_is_refused_before_any_check(void **state)
{
	struct kyso_err err = { 0 };
	struct seen s = { 0 };

	assert_int_equal(due_list(db_of(state), "2026-02-30", collect, &s, &err), KYSO_EINVAL);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(err.msg, "2026-02-30"));
	assert_int_equal(due_list(db_of(state), "tomorrow", collect, &s, &err), KYSO_EINVAL);
	due_ok(db_of(state), "2027-01-31", &s);
	assert_int_equal(s.n, NCHECKS);
	due_ok(db_of(state), "31/01/2027", &s);
	assert_int_equal(s.n, NCHECKS);
}

static void test_callback_can_stop_the_list(void **state)
{
	struct kyso_err err = { 0 };
	struct seen s = { 0 };

	s.stop_after = 1;
	assert_int_equal(due_list(db_of(state), NULL, collect, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.checks[0].id, check_order[0]);
}

static void test_due_list_writes_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	struct seen s;
	int before;

	add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN);
	edit_agency(db, "other.gov.vn", NULL);
	before = sqlite3_total_changes(db->sql);
	due_ok(db, NULL, &s);
	assert_int_equal(sqlite3_total_changes(db->sql), before);
}


/* Tokens and certificates ------------------------------------------------------------------- */


static long long act(struct kyso_db *db, long long token, struct token_act a)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long step = 0;

	if (!a.party_name) {
		a.party_name = "Trần Văn Cường";
		a.party_position = "Văn thư";
	}
	if (!a.ref)
		a.ref = "12/QĐ";
	if (!a.authorised_by)
		a.authorised_by = "Lê Văn Bình";
	if (!a.circumstances)
		a.circumstances = "Để quên";
	if (token_apply(db, token, &a, &step, &problems, &err))
		fail_msg("token_apply(%s): %s (%s)", a.action, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	return step;
}

static long long add_cert(struct kyso_db *db, const char *serial, long long token,
			  const char *from, const char *to)
{
	struct cert_new c = { .serial = serial, .token_id = token, .not_before = from,
			      .not_after = to };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long id = 0;

	if (cert_add(db, &c, &id, &problems, &err))
		fail_msg("cert_add(%s): %s (%s)", serial, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	return id;
}

/* Minutes for a step, as document.c records them. */
static void minutes_for(struct kyso_db *db, long long step)
{
	static int number;
	char sql[512];
	long long doc;
	struct kyso_err err = { 0 };

	snprintf(sql, sizeof sql, "INSERT INTO document(kind, form_set, year, number, symbol, "
		 "doc_date, title, content, sha256, actor, created_at) VALUES ('minutes_lost', "
		 "'nd68', 2026, %d, 'BB', '2026-11-01', 't', '{}', 'x', 'test', 'x')", ++number);
	assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL), SQLITE_OK);
	doc = sqlite3_last_insert_rowid(db->sql);
	assert_int_equal(token_steps_set_document_tx(db, &step, 1, doc, &err), 0);
}

static const struct seen_check *check_at(struct kyso_db *db, const char *at, const char *id,
					  struct seen *s)
{
	due_ok(db, at, s);
	return find_check(s, id);
}

static void test_pin_due_and_overdue(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long late, soon, edge, lost;
	const struct seen_check *c;
	struct seen s;

	late = fixture_token(db, "PIN-LATE", an, "2026-05-01");  /* due 01/11/2026 */
	soon = fixture_token(db, "PIN-SOON", an, "2026-01-01");
	assert_int_equal(token_pin_confirm(db, &soon, 1, "2026-06-10", NULL, NULL, NULL), 0);
	edge = fixture_token(db, "PIN-EDGE", an, "2026-01-01");
	assert_int_equal(token_pin_confirm(db, &edge, 1, "2026-06-26", NULL, NULL, NULL), 0);
	fixture_token(db, "PIN-FRESH", an, "2026-11-01");
	lost = fixture_token(db, "PIN-LOST", an, "2026-01-01");
	act(db, lost, (struct token_act){ .action = TOKEN_ACT_LOSE, .date = "2026-02-01" });

	c = check_at(db, NULL, "pin_overdue", &s);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], late);
	assert_int_equal(c->ids[0], an);
	assert_non_null(strstr(c->detail[0], "PIN-LATE"));
	assert_non_null(strstr(c->detail[0], "no PIN change recorded since it came on 01/05/2026"));
	assert_non_null(strstr(c->detail[0], "it was due on 01/11/2026, 24 day(s) ago"));
	/* due within 30 days: 10/12/2026, and 26/12/2026 at the edge (25/11 + 30 + 1) */
	c = find_check(&s, "pin_due");
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], soon);
	assert_non_null(strstr(c->detail[0], "PIN last changed on 10/06/2026; change it by 10/12/2026"));
	c = check_at(db, "2026-11-26", "pin_due", &s);
	assert_int_equal(c->count, 2); /* 26/12 is now within 30 days */
	/* on the due day itself it is due, not overdue */
	c = check_at(db, "2026-12-10", "pin_overdue", &s);
	assert_int_equal(c->count, 1);
	c = check_at(db, "2026-12-11", "pin_overdue", &s);
	assert_int_equal(c->count, 2);
	/* the warning days are a setting */
	assert_int_equal(setting_set(db, SETTING_PIN_WARN_DAYS, "10", NULL), 0);
	c = check_at(db, NULL, "pin_due", &s);
	assert_int_equal(c->count, 0);
	/* a confirmed change clears it */
	assert_int_equal(token_pin_confirm(db, &late, 1, "2026-11-20", NULL, NULL, NULL), 0);
	c = check_at(db, NULL, "pin_overdue", &s);
	assert_int_equal(c->count, 0);
}

static void test_new_holder_pin_until_confirmed(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), tok;
	const struct seen_check *c;
	struct seen s;

	tok = fixture_token(db, "NH-1", an, "2026-05-01");
	act(db, tok, (struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-11-02" });
	c = check_at(db, NULL, "new_holder_pin", &s);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], tok);
	assert_string_equal(c->detail[0], "token NH-1 was handed over to Trần Văn Cường on "
			    "02/11/2026; the new holder has not changed the PIN yet");
	/* the handover did not restart the clock: still overdue */
	assert_int_equal(find_check(&s, "pin_overdue")->count, 1);
	assert_int_equal(token_pin_confirm(db, &tok, 1, "2026-11-20", NULL, NULL, NULL), 0);
	c = check_at(db, NULL, "new_holder_pin", &s);
	assert_int_equal(c->count, 0);
	assert_int_equal(find_check(&s, "pin_overdue")->count, 0);
}

static void test_departure_with_two_tokens(void **state)
{
	struct kyso_db *db = db_of(state);
	long long clerk = add_person(db, "Lê Thị Văn", "vanlt@" DOMAIN), own, kept, org;
	struct token_new agency_token = { .serial = "AG-1", .keeper_subscriber_id = clerk,
					  .received_on = "2026-06-01" };
	const struct seen_check *c;
	struct seen s;

	org = fixture_subscriber(db, KIND_ORG, "Sở Nông nghiệp và Môi trường", "snnmt@" DOMAIN);
	agency_token.subscriber_id = org;
	own = fixture_token(db, "OWN-1", clerk, "2026-06-01");
	assert_int_equal(token_add(db, &agency_token, &kept, NULL, NULL), 0);
	depart_ok(db, clerk);

	c = check_at(db, NULL, "departed_unaccounted", &s);
	assert_int_equal(c->count, 2);
	assert_int_equal(c->ids[0], clerk);
	assert_int_equal(c->ids[1], clerk);
	assert_true((c->tokens[0] == own && c->tokens[1] == kept) ||
		    (c->tokens[0] == kept && c->tokens[1] == own));
	assert_non_null(strstr(c->detail[0], "departed on 01/11/2026; token "));
	assert_non_null(strstr(c->detail[c->tokens[0] == kept ? 0 : 1],
			       "AG-1 of Sở Nông nghiệp và Môi trường (In use)"));
	act(db, kept, (struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-11-02" });
	c = check_at(db, NULL, "departed_unaccounted", &s);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], own);
	act(db, own, (struct token_act){ .action = TOKEN_ACT_RETURN, .date = "2026-11-03" });
	c = check_at(db, NULL, "departed_unaccounted", &s);
	assert_int_equal(c->count, 0);
}

static void test_token_not_returned_within_five_working_days(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long revoked_tok = fixture_token(db, "RV-1", an, "2025-01-10");
	long long expired_tok = fixture_token(db, "EX-1", an, "2025-01-10");
	long long fine_tok = fixture_token(db, "OK-1", an, "2025-01-10"), cert;
	struct kyso_err err = { 0 };
	const struct seen_check *c;
	struct seen s;
	size_t i;

	cert = add_cert(db, "AA01", revoked_tok, "2025-01-10", "2027-01-09");
	/* revoked Monday 16/11, notice Tuesday 17/11: back by Tuesday 24/11 */
	assert_int_equal(cert_revoke(db, cert, "2026-11-16", "Nghỉ việc", "2026-11-17", 0, NULL, &err),
			 0);
	/* expired Friday 20/11: back by Friday 27/11 */
	add_cert(db, "BB02", expired_tok, "2024-11-21", "2026-11-20");
	/* an old expired certificate and a current one: nothing to hand back */
	add_cert(db, "CC03", fine_tok, "2023-01-01", "2025-12-31");
	add_cert(db, "CC04", fine_tok, "2026-01-01", "2027-12-31");

	c = check_at(db, NULL, "token_not_returned", &s);
	assert_int_equal(c->count, 2);
	for (i = 0; i < c->nitems; i++) {
		if (c->tokens[i] == revoked_tok)
			assert_string_equal(c->detail[i],
					    "certificate AA01 revoked on 16/11/2026 (notice of 17/11/2026); "
					    "token RV-1 was due back by 24/11/2026: 1 working day(s) late");
		else
			assert_string_equal(c->detail[i],
					    "certificate BB02 expired on 20/11/2026; hand token EX-1 back "
					    "by 27/11/2026");
	}
	/* before the revocation nothing was due */
	c = check_at(db, "2026-11-15", "token_not_returned", &s);
	assert_int_equal(c->count, 0);
	act(db, revoked_tok, (struct token_act){ .action = TOKEN_ACT_RETURN, .date = "2026-11-25" });
	c = check_at(db, NULL, "token_not_returned", &s);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], expired_tok);
}

static void test_lost_without_revocation_says_what_is_missing(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), tok, step;
	const struct seen_check *c;
	struct seen s;

	tok = fixture_token(db, "LOST-1", an, "2026-01-10");
	step = act(db, tok, (struct token_act){ .action = TOKEN_ACT_LOSE, .date = "2026-11-20" });
	c = check_at(db, NULL, "lost_without_revocation", &s);
	assert_int_equal(c->count, 1);
	assert_string_equal(c->detail[0], "token LOST-1 lost on 20/11/2026: no revocation request "
			    "sent and no lost-token minutes");
	assert_int_equal(find_check(&s, "minutes_missing")->count, 0); /* counted here only */
	act(db, tok, (struct token_act){ .action = TOKEN_ACT_REVOCATION_ASKED, .date = "2026-11-21" });
	c = check_at(db, NULL, "lost_without_revocation", &s);
	assert_int_equal(c->count, 1);
	assert_string_equal(c->detail[0], "token LOST-1 lost on 20/11/2026: no lost-token minutes");
	minutes_for(db, step);
	c = check_at(db, NULL, "lost_without_revocation", &s);
	assert_int_equal(c->count, 0);
}

static void test_loan_expired_and_locked(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), lent, locked;
	const struct seen_check *c;
	struct seen s;

	lent = fixture_token(db, "LOAN-1", an, "2026-01-10");
	act(db, lent, (struct token_act){ .action = TOKEN_ACT_LEND, .date = "2026-11-10",
					  .until_on = "2026-11-20", .ref = "05/GP" });
	c = check_at(db, "2026-11-20", "loan_expired", &s);
	assert_int_equal(c->count, 0);
	c = check_at(db, NULL, "loan_expired", &s);
	assert_int_equal(c->count, 1);
	assert_string_equal(c->detail[0], "token LOAN-1 lent to Trần Văn Cường until 20/11/2026 "
			    "(permission 05/GP): 5 day(s) past its end");
	act(db, lent, (struct token_act){ .action = TOKEN_ACT_LOAN_END, .date = "2026-11-24" });
	c = check_at(db, NULL, "loan_expired", &s);
	assert_int_equal(c->count, 0);

	locked = fixture_token(db, "LOCK-1", an, "2026-01-10");
	act(db, locked, (struct token_act){ .action = TOKEN_ACT_LOCK, .date = "2026-11-15" });
	c = check_at(db, NULL, "token_locked", &s);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], locked);
	assert_non_null(strstr(c->detail[0], "locked since 15/11/2026 (10 day(s))"));
	act(db, locked, (struct token_act){ .action = TOKEN_ACT_RECOVER, .date = "2026-11-24" });
	c = check_at(db, NULL, "token_locked", &s);
	assert_int_equal(c->count, 0);
}

static void test_minutes_missing_for_handover_and_return(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), a, b, step;
	const struct seen_check *c;
	struct seen s;
	const struct token_transition *tr;
	size_t n, i;

	/* the actions the check reads are the table's, losses aside */
	tr = token_transitions(&n);
	for (i = 0; i < n; i++)
		if (tr[i].document)
			assert_true(!strcmp(tr[i].action, TOKEN_ACT_HANDOVER) ||
				    !strcmp(tr[i].action, TOKEN_ACT_RETURN) ||
				    !strcmp(tr[i].action, TOKEN_ACT_REUSE) ||
				    !strcmp(tr[i].action, TOKEN_ACT_LOSE));
	a = fixture_token(db, "MIN-A", an, "2026-01-10");
	b = fixture_token(db, "MIN-B", an, "2026-01-10");
	step = act(db, a, (struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-11-02" });
	act(db, b, (struct token_act){ .action = TOKEN_ACT_RETURN, .date = "2026-11-03" });
	act(db, a, (struct token_act){ .action = TOKEN_ACT_LOCK, .date = "2026-11-04" });
	c = check_at(db, NULL, "minutes_missing", &s);
	assert_int_equal(c->count, 2);
	for (i = 0; i < c->nitems; i++) {
		assert_true(strstr(c->detail[i], "Handed over of token MIN-A on 02/11/2026 has no "
					       "minutes yet") ||
			    strstr(c->detail[i], "Returned of token MIN-B on 03/11/2026 has no minutes "
					       "yet"));
		/* the command writes them, to the documents folder */
		assert_true(strstr(c->command[i], "kyso minutes handover --serial MIN-A -o ") ||
			    strstr(c->command[i], "kyso minutes return --serial MIN-B -o "));
		assert_non_null(strstr(c->command[i], "kyso-documents"));
	}
	minutes_for(db, step);
	c = check_at(db, NULL, "minutes_missing", &s);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->tokens[0], b);
}

static void test_cert_expiring_without_renewal(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long binh = add_person(db, "Đặng Thị Bình", "binhdt@" DOMAIN);
	long long t1 = fixture_token(db, "CE-1", an, "2025-01-10"), t2 = fixture_token(db, "CE-2", binh, "2025-01-10");
	const struct seen_check *c;
	struct seen s;

	add_cert(db, "E1", t1, "2024-01-10", "2027-01-09");   /* in 45 days */
	add_cert(db, "E2", t2, "2024-01-10", "2027-01-20");   /* in 56 days */
	add_cert(db, "E3", t2, "2024-01-10", "2027-06-30");   /* not within 60 days */
	c = check_at(db, NULL, "cert_expiring", &s);
	assert_int_equal(c->count, 1); /* E2 has a later certificate on the same token */
	assert_int_equal(c->ids[0], an);
	assert_int_equal(c->tokens[0], t1);
	assert_string_equal(c->detail[0], "certificate E1 on token CE-1 expires on 09/01/2027, in "
			    "45 day(s); no renewal recorded");
	/* recorded renewal: nothing to do */
	add_cert(db, "E4", t1, "2026-11-20", "2029-11-19");
	c = check_at(db, NULL, "cert_expiring", &s);
	assert_int_equal(c->count, 0);
	/* the warning days are a setting */
	assert_int_equal(setting_set(db, SETTING_CERT_WARN_DAYS, "365", NULL), 0);
	c = check_at(db, NULL, "cert_expiring", &s);
	assert_int_equal(c->count, 1); /* E3, the last of its token's */
	assert_int_equal(c->ids[0], binh);
	depart_ok(db, binh);
	c = check_at(db, NULL, "cert_expiring", &s);
	assert_int_equal(c->count, 0); /* a departed subscriber renews nothing */
}

/* Many cases against the roster: the items are the roster's first in name order, whichever
 * way they were found (a walk of the name order, or every case through the heap). */
static void items_are_first_in_name_order(struct kyso_db *db, const struct seen_check *c)
{
	struct subscriber_query q = { .kind = -1, .order = ORDER_NAME };
	struct kyso_err err = { 0 };
	long long *listed = calloc(4096, sizeof(*listed));
	size_t i, n = 0;

	assert_int_equal(subscriber_list(db, &q, collect_id, listed, &err), 0);
	for (i = 0; listed[i] && n < c->nitems; i++) {
		long long has = 0;
		char sql[128];
		sqlite3_stmt *st;

		snprintf(sql, sizeof sql, "SELECT count(*) FROM token WHERE subscriber_id = %lld AND "
			 "serial LIKE 'MANY%%'", listed[i]);
		assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
		if (sqlite3_step(st) == SQLITE_ROW)
			has = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (!has)
			continue;
		if (c->ids[n] != listed[i])
			fail_msg("item %zu is #%lld; the roster's next case is #%lld", n, c->ids[n],
				 listed[i]);
		n++;
	}
	free(listed);
	assert_int_equal(n, c->nitems);
}

static void overdue_tokens_for(struct kyso_db *db, int every)
{
	sqlite3_stmt *st;
	int i = 0;
	char serial[32];

	assert_int_equal(sqlite3_prepare_v2(db->sql, "SELECT id FROM subscriber ORDER BY id", -1,
					    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (i++ % every == 0) {
			snprintf(serial, sizeof serial, "MANY-%d", i);
			fixture_token(db, serial, sqlite3_column_int64(st, 0), "2026-01-10");
		}
	sqlite3_finalize(st);
}

static void test_many_overdue_pins_walk_the_name_order(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct seen_check *c;
	struct seen s;

	add_many(db, "Trần Thị Ánh", 80, "a");
	add_many(db, "Lê Văn Yến", 80, "y");
	add_many(db, "Nguyễn Văn Bình", 80, "b");
	overdue_tokens_for(db, 1); /* 240 of 240: the walk */
	c = check_at(db, NULL, "pin_overdue", &s);
	assert_int_equal(c->count, 240);
	assert_int_equal(c->nitems, DUE_ITEMS_MAX);
	items_are_first_in_name_order(db, c);
}

static void test_few_overdue_pins_through_the_index(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct seen_check *c;
	struct seen s;

	add_many(db, "Trần Thị Ánh", 150, "a");
	add_many(db, "Lê Văn Yến", 150, "y");
	overdue_tokens_for(db, 3); /* 100 of 300: the heap */
	c = check_at(db, NULL, "pin_overdue", &s);
	assert_int_equal(c->count, 100);
	items_are_first_in_name_order(db, c);
}

/* Tables the token checks must reach through an index, and how a plan reads a whole one. */
static int scans_a_table(struct kyso_db *db, const char *sql, char *what, size_t whatsz)
{
	static const char *const whole[] = { "SCAN t", "SCAN c", "SCAN f", "SCAN st", "SCAN token",
					     "SCAN certificate", "SCAN follow_up", "SCAN token_step" };
	char explain[4096];
	sqlite3_stmt *st;
	size_t i;
	int bad = 0;

	snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db->sql, explain, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW && !bad) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);

		/* the PIN clock through the state would read every token in use */
		if (strstr(sql, "received_on) <") && strstr(detail, "token_state") &&
		    !strstr(sql, ":sub")) {
			snprintf(what, whatsz, "%s", detail);
			bad = 1;
		}

		for (i = 0; i < sizeof whole / sizeof whole[0] && !bad; i++) {
			size_t n = strlen(whole[i]);

			/* "SCAN t" alone reads every row; "SCAN t USING INDEX x" only x's rows,
			 * which a partial index keeps to the cases */
			if (!strncmp(detail, whole[i], n) && (detail[n] == '\0' ||
							       (detail[n] == ' ' &&
								!strstr(detail, "INDEX")))) {
				snprintf(what, whatsz, "%s", detail);
				bad = 1;
			}
		}
	}
	sqlite3_finalize(st);
	return bad;
}

static void test_token_checks_read_through_indexes(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), t;
	struct ran r = { 0 };
	struct seen s;
	char what[256];
	size_t i;

	/* one case of every check, and many tokens that are none */
	add_many(db, "Trần Thị Ánh", 60, "a");
	overdue_tokens_for(db, 1);
	sqlite3_exec(db->sql, "UPDATE token SET pin_changed_on = '2026-11-01'", NULL, NULL, NULL);
	t = fixture_token(db, "ONE-1", an, "2026-01-10");
	act(db, t, (struct token_act){ .action = TOKEN_ACT_LOCK, .date = "2026-11-01" });
	t = fixture_token(db, "ONE-2", an, "2026-01-10");
	act(db, t, (struct token_act){ .action = TOKEN_ACT_LOSE, .date = "2026-11-01" });
	t = fixture_token(db, "ONE-3", an, "2026-01-10");
	act(db, t, (struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-11-01" });
	act(db, t, (struct token_act){ .action = TOKEN_ACT_LEND, .date = "2026-11-02",
				       .until_on = "2026-11-03", .party_name = "Võ Văn Mượn" });
	add_cert(db, "F1", t, "2024-01-01", "2026-12-01");
	sqlite3_trace_v2(db->sql, SQLITE_TRACE_STMT, on_statement, &r);
	due_ok(db, NULL, &s);
	sqlite3_trace_v2(db->sql, 0, NULL, NULL);
	for (i = 0; i < NCHECKS - 4; i++) /* the token and certificate checks */
		if (strcmp(check_order[i], "departed_unaccounted") &&
		    strcmp(check_order[i], "token_not_returned") &&
		    strcmp(check_order[i], "minutes_missing") && strcmp(check_order[i], "pin_due"))
			if (find_check(&s, check_order[i])->count < 1)
				fail_msg("%s found %ld", check_order[i], find_check(&s, check_order[i])->count);
	for (i = 0; i < r.n; i++) {
		if (scans_a_table(db, r.sql[i], what, sizeof what))
			fail_msg("%s: %s", what, r.sql[i]);
		free(r.sql[i]);
	}
}

#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown)
#define AGENCY_TEST(f) cmocka_unit_test_setup_teardown(f, setup_agency, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		AGENCY_TEST(test_every_check_is_reported_in_order_even_when_zero),
		DB_TEST(test_agency_not_set_up_has_no_focal_point),
		AGENCY_TEST(test_focal_point_reported_until_recorded),
		AGENCY_TEST(test_addresses_in_domain_and_sub_domain_are_not_listed),
		AGENCY_TEST(test_domain_change_lists_every_active_subscriber),
		AGENCY_TEST(test_missing_address_is_listed_and_said),
		AGENCY_TEST(test_domain_must_match_whole_labels),
		AGENCY_TEST(test_domain_characters_are_not_wildcards),
		AGENCY_TEST(test_items_are_capped_but_count_is_full),
		AGENCY_TEST(test_few_cases_are_capped_in_name_order),
		AGENCY_TEST(test_many_cases_late_in_name_order),
		AGENCY_TEST(test_check_reads_no_subscriber_it_does_not_list),
		AGENCY_TEST(test_bad_date_is_refused_before_any_check),
		AGENCY_TEST(test_callback_can_stop_the_list),
		AGENCY_TEST(test_due_list_writes_nothing),
		AGENCY_TEST(test_pin_due_and_overdue),
		AGENCY_TEST(test_new_holder_pin_until_confirmed),
		AGENCY_TEST(test_departure_with_two_tokens),
		AGENCY_TEST(test_token_not_returned_within_five_working_days),
		AGENCY_TEST(test_lost_without_revocation_says_what_is_missing),
		AGENCY_TEST(test_loan_expired_and_locked),
		AGENCY_TEST(test_minutes_missing_for_handover_and_return),
		AGENCY_TEST(test_cert_expiring_without_renewal),
		AGENCY_TEST(test_many_overdue_pins_walk_the_name_order),
		AGENCY_TEST(test_few_overdue_pins_through_the_index),
		AGENCY_TEST(test_token_checks_read_through_indexes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
