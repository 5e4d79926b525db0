/*
 * test_tally.c - the counts the dashboard shows come from subscriber_tally, kept by
 * subscriber_insert_tx (a new subscriber) and by triggers (the other changes): after
 * adds, edits of kind, unit and e-mail, departures and an import, every count by kind,
 * status and unit equals what the roster itself counts (subscriber_count, which reads
 * the rows), and the units come in unit_list's order with its numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/db.h"
#include "kyso/import.h"
#include "kyso/subscriber.h"
#include "kyso/tally.h"

#include "store_fixture.h"

/* Helpers ------------------------------------------------------------------------------ */

static long long unit_ok(struct kyso_db *db, const char *name, const char *parent)
{
	struct kyso_err err = { 0 };
	long long id = 0;

	if (unit_add(db, name, parent, NULL, &id, &err))
		fail_msg("unit_add(%s): %s", name, err.msg);
	return id;
}

static long long add_ok(struct kyso_db *db, enum subscriber_kind kind, const char *name,
			const char *unit, const char *email)
{
	static int serial;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;
	char id_number[24], tax_code[16];

	subscriber_init(&s);
	s.kind = kind;
	s.name = strdup(name);
	s.email = strdup(email);
	s.unit = unit ? strdup(unit) : NULL;
	serial++;
	if (kind == KIND_PERSON) {
		snprintf(id_number, sizeof id_number, "0860900%05d", serial);
		s.id_number = strdup(id_number);
		s.position = strdup("Chuyên viên");
	} else {
		snprintf(tax_code, sizeof tax_code, "15%08d", serial);
		s.tax_code = strdup(tax_code);
	}
	if (subscriber_add(db, &s, &problems, &err))
		fail_msg("subscriber_add(%s): %s (%s)", name, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	subscriber_free(&s);
	return s.id;
}

static void edit_ok(struct kyso_db *db, long long id, int field, const char *value)
{
	struct subscriber_change change = { field, value };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	if (subscriber_edit(db, id, &change, 1, 0, &problems, &err))
		fail_msg("subscriber_edit(#%lld, %s): %s (%s)", id, value, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
}

static void depart_ok(struct kyso_db *db, long long id, const char *reason)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	if (subscriber_depart(db, id, "2026-11-01", reason, NULL, 0, &problems, &err))
		fail_msg("subscriber_depart(#%lld): %s", id, err.msg);
	kyso_problems_free(&problems);
}

static long roster_count(struct kyso_db *db, long long unit_id, int kind, const char *status)
{
	struct subscriber_query q = { .unit_id = unit_id, .kind = kind, .status = status };
	struct kyso_err err = { 0 };
	long n = -1;

	if (subscriber_count(db, &q, &n, &err))
		fail_msg("subscriber_count: %s", err.msg);
	return n;
}

static const char *const statuses[] = { NULL, "all", "active", "departed", "left",
					"transferred", "retired" };
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

/* Every count of t equals the roster's own count of the same filter (unit 0: all). */
static void counts_agree(struct kyso_db *db, long long unit_id, const struct tally *t)
{
	size_t s;
	int kind;

	for (kind = -1; kind <= KIND_DEVICE; kind++)
		for (s = 0; s < NSTATUSES; s++) {
			long want = roster_count(db, unit_id, kind, statuses[s]);
			long got = tally_count(t, kind, statuses[s]);

			if (got != want)
				fail_msg("unit %lld, kind %d, status %s: the tally says %ld, the rows %ld",
					 unit_id, kind, statuses[s] ? statuses[s] : "NULL", got, want);
		}
}

/* What unit_list gives, to compare with tally_units. */
struct unit_seen {
	long long id[32];
	int depth[32];
	long subscribers[32];
	struct tally t[32];
	size_t n;
};

static int seen_unit(const struct unit *u, void *ctx)
{
	struct unit_seen *s = ctx;

	assert_true(s->n < 32);
	s->id[s->n] = u->id;
	s->depth[s->n] = u->depth;
	s->subscribers[s->n++] = u->subscribers;
	return 0;
}

static int seen_tally_unit(const struct unit *u, const struct tally *t, void *ctx)
{
	struct unit_seen *s = ctx;

	s->t[s->n] = *t;
	return seen_unit(u, ctx);
}

/* The whole tally agrees with the rows: in total, and unit by unit in unit_list's order. */
static void tally_agrees(struct kyso_db *db)
{
	struct unit_seen listed = { 0 }, tallied = { 0 };
	struct kyso_err err = { 0 };
	struct tally t;
	long units;
	size_t i;

	assert_int_equal(tally_read(db, &t, &err), 0);
	counts_agree(db, 0, &t);
	assert_int_equal(tally_unit_count(db, &units, &err), 0);
	/* unit_list is only asked when there are units: with none it hands qsort a NULL
	 * array, which UBSan refuses. */
	if (units)
		assert_int_equal(unit_list(db, seen_unit, &listed, &err), 0);
	assert_int_equal(tally_units(db, seen_tally_unit, &tallied, &err), 0);
	assert_int_equal(tallied.n, listed.n);
	for (i = 0; i < listed.n; i++) {
		assert_int_equal(tallied.id[i], listed.id[i]);
		assert_int_equal(tallied.depth[i], listed.depth[i]);
		assert_int_equal(tallied.subscribers[i], listed.subscribers[i]);
		counts_agree(db, tallied.id[i], &tallied.t[i]);
	}
	assert_int_equal(units, (long)listed.n);
}

/* A roster in units: a tree two levels deep, each kind, in and out of units. */
static void sample_roster(struct kyso_db *db, long long ids[6])
{
	unit_ok(db, "Văn phòng Sở", NULL);
	unit_ok(db, "Chi cục Thủy lợi", NULL);
	unit_ok(db, "Phòng Kỹ thuật", "Chi cục Thủy lợi");
	unit_ok(db, "Ấp Bình Hòa", "Chi cục Thủy lợi");
	unit_ok(db, "Ban Quản lý cảng cá", NULL);
	ids[0] = add_ok(db, KIND_PERSON, "Đặng Văn Đức", "Văn phòng Sở", "ducdv@" DOMAIN);
	ids[1] = add_ok(db, KIND_PERSON, "Nguyễn Thị Ánh", "Phòng Kỹ thuật", "anhnt@" DOMAIN);
	ids[2] = add_ok(db, KIND_PERSON, "Trần Văn Bảy", NULL, "bay@sxd." DOMAIN);
	ids[3] = add_ok(db, KIND_ORG, "Trung tâm Dịch vụ nông nghiệp", "Chi cục Thủy lợi",
			"ttdv@" DOMAIN);
	ids[4] = add_ok(db, KIND_DEVICE, "Máy chủ thư điện tử", "Văn phòng Sở", "mail@" DOMAIN);
	ids[5] = add_ok(db, KIND_PERSON, "Lê Thị Yến", "Ấp Bình Hòa", "yenlt@" DOMAIN);
}

/* Tests -------------------------------------------------------------------------------- */

static void test_empty_store_counts_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct tally t;
	long units = -1;

	assert_int_equal(tally_read(db, &t, &err), 0);
	assert_int_equal(tally_count(&t, -1, NULL), 0);
	assert_int_equal(tally_unit_count(db, &units, &err), 0);
	assert_int_equal(units, 0);
	tally_agrees(db);
}

static void test_adds_are_counted_by_kind_status_and_unit(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long ids[6];
	struct tally t;

	sample_roster(db, ids);
	assert_int_equal(tally_read(db, &t, &err), 0);
	assert_int_equal(tally_count(&t, -1, NULL), 6);
	assert_int_equal(tally_count(&t, KIND_PERSON, "active"), 4);
	assert_int_equal(tally_count(&t, KIND_ORG, "all"), 1);
	assert_int_equal(tally_count(&t, KIND_DEVICE, "active"), 1);
	assert_int_equal(tally_count(&t, -1, "departed"), 0);
	tally_agrees(db);
}

static void test_edits_of_kind_unit_and_email_move_the_counts(void **state)
{
	struct kyso_db *db = db_of(state);
	long long ids[6];

	sample_roster(db, ids);
	edit_ok(db, ids[3], SF_KIND, "device");
	tally_agrees(db);
	edit_ok(db, ids[0], SF_UNIT, "Ban Quản lý cảng cá");
	tally_agrees(db);
	edit_ok(db, ids[2], SF_UNIT, "Phòng Kỹ thuật"); /* from no unit into one */
	tally_agrees(db);
	edit_ok(db, ids[1], SF_UNIT, ""); /* out of every unit */
	tally_agrees(db);
	edit_ok(db, ids[5], SF_EMAIL, "yen.lt@sxd." DOMAIN);
	tally_agrees(db);
}

static void test_departures_move_counts_to_their_reason(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long ids[6];
	struct tally t;

	sample_roster(db, ids);
	depart_ok(db, ids[0], "left");
	depart_ok(db, ids[1], "transferred");
	depart_ok(db, ids[4], "retired");
	assert_int_equal(tally_read(db, &t, &err), 0);
	assert_int_equal(tally_count(&t, -1, "active"), 3);
	assert_int_equal(tally_count(&t, -1, "departed"), 3);
	assert_int_equal(tally_count(&t, KIND_PERSON, "left"), 1);
	assert_int_equal(tally_count(&t, KIND_DEVICE, "retired"), 1);
	assert_int_equal(tally_count(&t, -1, "unknown"), 0);
	tally_agrees(db);
}

/* A file that adds subscribers into a new unit and an existing one, and moves one. */
static void test_an_import_is_counted(void **state)
{
	struct fixture *fx = *state;
	struct kyso_db *db = fx->db;
	struct import_options opt = { 0 };
	struct import_result res;
	struct kyso_err err = { 0 };
	struct subscriber anh;
	char path[400];
	long long ids[6];
	FILE *f;

	sample_roster(db, ids);
	assert_int_equal(subscriber_get(db, ids[1], &anh, &err), 0);
	snprintf(path, sizeof path, "%s/roster.csv", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "Họ và tên,Số CCCD,Chức vụ,Đơn vị,Email\n"
		"Phạm Văn Cường,086090100001,Chuyên viên,Phòng Thanh tra,cuongpv@" DOMAIN "\n"
		"Võ Thị Hà,086190100002,Kế toán,Văn phòng Sở,havt@" DOMAIN "\n"
		/* the sample's Nguyễn Thị Ánh (matched by citizen ID) moves unit */
		"Nguyễn Thị Ánh,%s,Chuyên viên,Phòng Thanh tra,anhnt@" DOMAIN "\n",
		anh.id_number);
	subscriber_free(&anh);
	assert_int_equal(fclose(f), 0);
	if (roster_import(db, path, &opt, NULL, NULL, &res, &err))
		fail_msg("roster_import: %s (%s)", err.msg,
			 res.problems.count ? res.problems.items[0].message : "");
	assert_int_equal(res.added, 2);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.units_added, 1);
	import_result_free(&res);
	tally_agrees(db);
}

/* A dry run writes nothing, so the counts stay as they were. */
static void test_a_dry_run_leaves_the_counts(void **state)
{
	struct fixture *fx = *state;
	struct kyso_db *db = fx->db;
	struct import_options opt = { .dry_run = 1 };
	struct import_result res;
	struct kyso_err err = { 0 };
	struct tally before, after;
	char path[400];
	FILE *f;

	add_ok(db, KIND_PERSON, "Đặng Văn Đức", NULL, "ducdv@" DOMAIN);
	assert_int_equal(tally_read(db, &before, &err), 0);
	snprintf(path, sizeof path, "%s/roster.csv", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Họ và tên,Số CCCD,Chức vụ,Email\n"
	      "Phạm Văn Cường,086090100001,Chuyên viên,cuongpv@" DOMAIN "\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(roster_import(db, path, &opt, NULL, NULL, &res, &err), 0);
	assert_int_equal(res.added, 1);
	import_result_free(&res);
	assert_int_equal(tally_read(db, &after, &err), 0);
	assert_memory_equal(&before, &after, sizeof before);
	tally_agrees(db);
}

static int stop_after_first(const struct unit *u, const struct tally *t, void *ctx)
{
	(void)u;
	(void)t;
	++*(int *)ctx;
	return 1;
}

static void test_units_callback_can_stop(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long ids[6];
	int calls = 0;

	sample_roster(db, ids);
	assert_int_equal(tally_units(db, stop_after_first, &calls, &err), 0);
	assert_int_equal(calls, 1);
}

#define AGENCY_TEST(f) cmocka_unit_test_setup_teardown(f, setup_agency, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		AGENCY_TEST(test_empty_store_counts_nothing),
		AGENCY_TEST(test_adds_are_counted_by_kind_status_and_unit),
		AGENCY_TEST(test_edits_of_kind_unit_and_email_move_the_counts),
		AGENCY_TEST(test_departures_move_counts_to_their_reason),
		AGENCY_TEST(test_an_import_is_counted),
		AGENCY_TEST(test_a_dry_run_leaves_the_counts),
		AGENCY_TEST(test_units_callback_can_stop),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
