/*
 * test_store.c - the store on a real SQLite file: opening and migrating, the agency and its
 * units, subscribers (add, validate, update, depart, list, search), the audit chain and the
 * roster import.  Every test gets a fresh folder from mkdtemp and builds its own data;
 * KYSO_TODAY is fixed so that "in the future" means the same thing on every run.
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
#include "kyso/audit.h"
#include "kyso/db.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/import.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"

#include "store_fixture.h"

#define IMPORT_HEADER "Họ và tên,Số CCCD,Chức vụ,Đơn vị,Email,Điện thoại\n"

/* Helpers ------------------------------------------------------------------------------ */

static void exec_sql(struct kyso_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
	}
}

/* The first column of the first row of sql, as text (into out) and as a number. */
static long long query_value(struct kyso_db *db, const char *sql, char *out, size_t outsz)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db->sql));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	v = sqlite3_column_int64(st, 0);
	if (out)
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static long count_rows(struct kyso_db *db, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return (long)query_value(db, sql, NULL, 0);
}

/* One line per problem, for failure messages. */
static const char *problems_text(const struct kyso_problems *p)
{
	static char text[4096];
	size_t i, o = 0;

	text[0] = '\0';
	for (i = 0; i < p->count && o < sizeof text; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "\n  row %ld, %s: %s",
				      p->items[i].row, p->items[i].column, p->items[i].message);
	return text;
}

static void expect_problem(const struct kyso_problems *p, long row, const char *column)
{
	size_t i;

	for (i = 0; i < p->count; i++)
		if (p->items[i].row == row && !strcmp(p->items[i].column, column))
			return;
	fail_msg("no problem at row %ld, column \"%s\"; got:%s", row, column, problems_text(p));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A subscriber of kind with a name and an e-mail, the two fields every kind needs. */
static void named(struct subscriber *s, enum subscriber_kind kind, const char *name,
		  const char *email)
{
	subscriber_init(s);
	s->kind = kind;
	s->name = dup_or_null(name);
	s->email = dup_or_null(email);
}

/* A person with what a person needs: name, position, citizen ID, e-mail. */
static void person(struct subscriber *s, const char *name, const char *id_number,
		   const char *email)
{
	named(s, KIND_PERSON, name, email);
	s->position = strdup("Chuyên viên");
	s->id_number = dup_or_null(id_number);
}

/* Adds s, failing the test with every problem when it is refused; returns the id. */
static long long add_ok(struct kyso_db *db, struct subscriber *s)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	if (subscriber_add(db, s, &problems, &err))
		fail_msg("subscriber_add(%s): %s%s", s->name, err.msg, problems_text(&problems));
	kyso_problems_free(&problems);
	assert_true(s->id > 0);
	return s->id;
}

static long long add_person(struct kyso_db *db, const char *name, const char *id_number,
			    const char *email)
{
	struct subscriber s;
	long long id;

	person(&s, name, id_number, email);
	id = add_ok(db, &s);
	subscriber_free(&s);
	return id;
}

/* Adds s expecting a refusal; problems receives why. */
static void add_refused(struct kyso_db *db, struct subscriber *s, struct kyso_problems *problems)
{
	struct kyso_err err = { 0 };

	kyso_problems_clear(problems);
	assert_int_equal(subscriber_add(db, s, problems, &err), KYSO_EINVAL);
	assert_int_equal(s->id, 0);
	assert_true(problems->count > 0);
}

/* Adds s expecting a refusal for exactly one problem, in column. */
static void add_refused_for(struct kyso_db *db, struct subscriber *s, const char *column)
{
	struct kyso_problems problems = { 0 };

	add_refused(db, s, &problems);
	if (problems.count != 1)
		fail_msg("%zu problems, expected one in %s:%s", problems.count, column,
			 problems_text(&problems));
	expect_problem(&problems, 0, column);
	kyso_problems_free(&problems);
}


static void depart_ok(struct kyso_db *db, long long id, const char *date, const char *reason)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	if (subscriber_depart(db, id, date, reason, NULL, 0, &problems, &err))
		fail_msg("subscriber_depart(#%lld): %s%s", id, err.msg, problems_text(&problems));
	kyso_problems_free(&problems);
}

static void get_ok(struct kyso_db *db, long long id, struct subscriber *out)
{
	struct kyso_err err = { 0 };

	if (subscriber_get(db, id, out, &err))
		fail_msg("subscriber_get(#%lld): %s", id, err.msg);
}

/* Adds s, reads it back and checks its kind and the fields given as (enum subscriber_field,
 * expected text) pairs, ended by SF_COUNT. */
static void add_expect_stored(struct kyso_db *db, struct subscriber *s, ...)
{
	struct subscriber got;
	va_list ap;
	int f;

	add_ok(db, s);
	get_ok(db, s->id, &got);
	assert_int_equal(got.kind, s->kind);
	va_start(ap, s);
	while ((f = va_arg(ap, int)) != SF_COUNT) {
		const char *want = va_arg(ap, const char *);
		char **slot = subscriber_field_slot(&got, (enum subscriber_field)f);

		if (!*slot || strcmp(*slot, want))
			fail_msg("%s is \"%s\", expected \"%s\"", subscriber_field_name(f),
				 *slot ? *slot : "(none)", want);
	}
	va_end(ap);
	subscriber_free(&got);
}

static long long unit_add_ok(struct kyso_db *db, const char *name, const char *parent)
{
	struct kyso_err err = { 0 };
	long long id = 0;

	if (unit_add(db, name, parent, NULL, &id, &err))
		fail_msg("unit_add(%s): %s", name, err.msg);
	assert_true(id > 0);
	return id;
}

/* Listing ------------------------------------------------------------------------------ */

struct listing {
	long long *ids;
	char **names;
	size_t n, cap;
};

static int collect(const struct subscriber_row *row, void *ctx)
{
	struct listing *l = ctx;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->ids = realloc(l->ids, l->cap * sizeof *l->ids);
		l->names = realloc(l->names, l->cap * sizeof *l->names);
		assert_non_null(l->ids);
		assert_non_null(l->names);
	}
	l->ids[l->n] = row->id;
	l->names[l->n++] = strdup(row->name);
	return 0;
}

static void listing_free(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->ids);
	memset(l, 0, sizeof *l);
}

static struct subscriber_query query(const char *search, long limit, long offset)
{
	struct subscriber_query q = { .search = search, .kind = -1, .order = ORDER_NAME,
				      .limit = limit, .offset = offset };
	return q;
}

static void list_ok(struct kyso_db *db, const struct subscriber_query *q, struct listing *out)
{
	struct kyso_err err = { 0 };

	memset(out, 0, sizeof *out);
	if (subscriber_list(db, q, collect, out, &err))
		fail_msg("subscriber_list(%s): %s", q->search ? q->search : "", err.msg);
}

static long count_ok(struct kyso_db *db, const char *search, const char *status)
{
	struct subscriber_query q = query(search, 0, 0);
	struct kyso_err err = { 0 };
	long n = -1;

	q.status = status;
	if (subscriber_count(db, &q, &n, &err))
		fail_msg("subscriber_count(%s): %s", search ? search : "", err.msg);
	return n;
}

/* The names a search lists (limit 0, and again with a limit: both ways of searching), in
 * order, must be names (NULL-terminated). */
static void expect_search(struct kyso_db *db, const char *search, const char *const *names)
{
	long limits[] = { 0, 10 };
	struct listing l;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		struct subscriber_query q = query(search, limits[k], 0);

		list_ok(db, &q, &l);
		for (i = 0; names[i] && i < l.n; i++)
			if (strcmp(l.names[i], names[i]))
				fail_msg("search \"%s\" (limit %ld): row %zu is \"%s\", expected \"%s\"",
					 search, limits[k], i, l.names[i], names[i]);
		if (names[i] || i != l.n) {
			size_t want = i;

			while (names[want])
				want++;
			fail_msg("search \"%s\" (limit %ld): %zu rows, expected %zu", search,
				 limits[k], l.n, want);
		}
		listing_free(&l);
	}
}

/* Opening and migrating ------------------------------------------------------------------ */

static void test_db_open_creates_private_file_and_folders(void **state)
{
	struct fixture *fx = *state;
	struct kyso_err err = { 0 };
	char path[400], dir[400];
	struct stat st;

	snprintf(path, sizeof path, "%s/data/kyso/kyso.db", fx->dir);
	if (db_open(path, &fx->db, &err))
		fail_msg("db_open: %s", err.msg);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(dir, sizeof dir, "%s/data/kyso", fx->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(dir, sizeof dir, "%s/data", fx->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* the write-ahead log holds the same private data */
	exec_sql(fx->db, "INSERT INTO setting(key, value) VALUES ('probe', 'x')");
	snprintf(path, sizeof path, "%s/data/kyso/kyso.db-wal", fx->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_db_open_sets_wal_foreign_keys_and_schema_version(void **state)
{
	struct kyso_db *db = db_of(state);
	char text[64];

	query_value(db, "PRAGMA journal_mode", text, sizeof text);
	assert_string_equal(text, "wal");
	assert_int_equal(query_value(db, "PRAGMA foreign_keys", NULL, 0), 1);
	assert_true(query_value(db, "PRAGMA busy_timeout", NULL, 0) >= 5000);
	assert_int_equal(query_value(db, "PRAGMA user_version", NULL, 0), db_schema_version());
	assert_true(db_schema_version() >= 1);
}

/* Issue 11.9: a long interface session reaches more places that keep a statement than
 * the cache once had room for (32); the cache must keep taking them, each still its own. */
static void test_statement_cache_never_refuses(void **state)
{
#define SQL8(n) "SELECT " #n "0", "SELECT " #n "1", "SELECT " #n "2", "SELECT " #n "3", \
		"SELECT " #n "4", "SELECT " #n "5", "SELECT " #n "6", "SELECT " #n "7"
	static const char *const sql[] = { SQL8(1), SQL8(2), SQL8(3), SQL8(4), SQL8(5),
					   SQL8(6), SQL8(7), SQL8(8), SQL8(9) };
#undef SQL8
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	sqlite3_stmt *st, *first = NULL;
	size_t i;
	int round;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
			assert_int_equal(db_cached(db, sql[i], &st, &err), 0);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			assert_string_equal((const char *)sqlite3_column_text(st, 0), sql[i] + 7);
			sqlite3_reset(st);
			if (i == 0 && round == 0)
				first = st;
			else if (i == 0)
				assert_ptr_equal(st, first); /* the same statement, kept */
		}
	}
}

static void test_db_open_twice_keeps_schema_and_data(void **state)
{
	struct fixture *fx = *state;
	struct kyso_err err = { 0 };
	struct kyso_db *second = NULL;
	struct agency a;

	assert_int_equal(agency_init(fx->db, &sample_agency, NULL, &err), 0);
	/* a second connection while the first is open, then a reopen after closing both */
	if (db_open(fx->path, &second, &err))
		fail_msg("second db_open: %s", err.msg);
	assert_int_equal(query_value(second, "PRAGMA user_version", NULL, 0), db_schema_version());
	db_close(second);
	db_close(fx->db);
	fx->db = NULL;
	if (db_open(fx->path, &fx->db, &err))
		fail_msg("reopen: %s", err.msg);
	assert_int_equal(query_value(fx->db, "PRAGMA user_version", NULL, 0), db_schema_version());
	assert_int_equal(agency_get(fx->db, &a, &err), 0);
	assert_string_equal(a.code, "SNNMT");
	agency_free(&a);
	assert_int_equal(count_rows(fx->db, "agency"), 1);
}

/* Agency ------------------------------------------------------------------------------- */

static void test_agency_init_lists_every_missing_field(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct agency empty = { .place = "Vĩnh Long" };

	assert_int_equal(agency_init(db, &empty, &problems, &err), KYSO_EINVAL);
	assert_int_equal(problems.count, 3);
	expect_problem(&problems, 0, "Agency");
	expect_problem(&problems, 0, "Code");
	expect_problem(&problems, 0, "E-mail domain");
	assert_int_equal(count_rows(db, "agency"), 0);
	assert_int_equal(count_rows(db, "audit"), 0);
	kyso_problems_free(&problems);
}

static void test_agency_init_refuses_bad_domain(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct agency a = sample_agency;

	a.email_domain = "vinhlong";
	assert_int_equal(agency_init(db, &a, &problems, &err), KYSO_EINVAL);
	assert_int_equal(problems.count, 1);
	expect_problem(&problems, 0, "E-mail domain");
	assert_non_null(strstr(problems.items[0].message, "vinhlong"));
	assert_int_equal(count_rows(db, "agency"), 0);
	kyso_problems_free(&problems);
}

static void test_agency_init_stores_clean_profile(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct agency a = sample_agency, got;

	a.name = "  Sở Nông nghiệp\xC2\xA0và Môi trường ";
	a.email_domain = "VinhLong.Gov.VN";
	assert_int_equal(agency_init(db, &a, NULL, &err), 0);
	assert_int_equal(agency_get(db, &got, &err), 0);
	assert_string_equal(got.name, "Sở Nông nghiệp và Môi trường");
	assert_string_equal(got.email_domain, DOMAIN);
	assert_int_equal(got.version, 1);
	agency_free(&got);
}

static void test_agency_second_init_is_a_conflict(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct agency other = sample_agency, got;

	other.name = "Sở Tài chính";
	other.code = "STC";
	assert_int_equal(agency_init(db, &other, NULL, &err), KYSO_ECONFLICT);
	assert_int_equal(agency_get(db, &got, &err), 0);
	assert_string_equal(got.code, "SNNMT");
	agency_free(&got);
	assert_int_equal(count_rows(db, "audit"), 1);
}

/* Units -------------------------------------------------------------------------------- */

static void test_unit_found_by_folded_name_and_by_id(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long id = unit_add_ok(db, "Phòng Tổ chức cán bộ", NULL), found;
	char ref[32];

	assert_int_equal(unit_find(db, "phong to chuc can bo", &found, &err), 0);
	assert_int_equal(found, id);
	assert_int_equal(unit_find(db, "PHÒNG TỔ CHỨC  CÁN BỘ ", &found, &err), 0);
	assert_int_equal(found, id);
	snprintf(ref, sizeof ref, "#%lld", id);
	assert_int_equal(unit_find(db, ref, &found, &err), 0);
	assert_int_equal(found, id);
	assert_int_equal(unit_find(db, ref + 1, &found, &err), 0);
	assert_int_equal(found, id);
	assert_int_equal(unit_find(db, "Phòng Kế toán", &found, &err), KYSO_ENOTFOUND);
}

static void test_unit_with_same_folded_name_is_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long id = 0;

	unit_add_ok(db, "Phòng Tổ chức cán bộ", NULL);
	assert_int_equal(unit_add(db, "phong to chuc can bo", NULL, NULL, &id, &err), KYSO_EINVAL);
	assert_int_equal(unit_add(db, "Phòng Tổ Chức Cán Bộ", NULL, NULL, &id, &err), KYSO_EINVAL);
	assert_int_equal(count_rows(db, "unit"), 1);
}

static void test_unit_cannot_move_under_itself_or_its_child(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long top = unit_add_ok(db, "Văn phòng Sở", NULL);
	long long child = unit_add_ok(db, "Tổ Hành chính", "Văn phòng Sở");
	long long grandchild = unit_add_ok(db, "Bộ phận Một cửa", "Tổ Hành chính");
	char sql[128];

	assert_int_equal(unit_edit(db, top, NULL, "Tổ Hành chính", NULL, 0, &err), KYSO_EINVAL);
	assert_int_equal(unit_edit(db, top, NULL, "Bộ phận Một cửa", NULL, 0, &err), KYSO_EINVAL);
	assert_int_equal(unit_edit(db, top, NULL, "Văn phòng Sở", NULL, 0, &err), KYSO_EINVAL);
	snprintf(sql, sizeof sql, "SELECT parent_id IS NULL FROM unit WHERE id = %lld", top);
	assert_int_equal(query_value(db, sql, NULL, 0), 1);
	/* a move that makes no cycle is allowed */
	assert_int_equal(unit_edit(db, grandchild, NULL, "", NULL, 0, &err), 0);
	snprintf(sql, sizeof sql, "SELECT parent_id IS NULL FROM unit WHERE id = %lld", grandchild);
	assert_int_equal(query_value(db, sql, NULL, 0), 1);
	assert_int_equal(unit_edit(db, top, NULL, "Bộ phận Một cửa", NULL, 0, &err), 0);
	snprintf(sql, sizeof sql, "SELECT parent_id FROM unit WHERE id = %lld", top);
	assert_int_equal(query_value(db, sql, NULL, 0), grandchild);
	snprintf(sql, sizeof sql, "SELECT parent_id FROM unit WHERE id = %lld", child);
	assert_int_equal(query_value(db, sql, NULL, 0), top);
}

static void test_unit_rename_to_taken_name_is_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long a = unit_add_ok(db, "Phòng Kế toán", NULL);
	long long found;

	unit_add_ok(db, "Phòng Tổ chức", NULL);
	assert_int_equal(unit_edit(db, a, "phong to chuc", NULL, NULL, 0, &err), KYSO_EINVAL);
	assert_int_equal(unit_find(db, "Phòng Kế toán", &found, &err), 0);
	assert_int_equal(found, a);
}

/* Adding subscribers ------------------------------------------------------------------- */

static void test_add_person_stores_normalised_fields(void **state)
{
	struct kyso_db *db = db_of(state);
	long long unit = unit_add_ok(db, "Phòng Tổ chức", NULL);
	struct subscriber s, got;

	subscriber_init(&s);
	s.name = strdup("  Nguye\xCC\x82\xCC\x83n  Va\xCC\x86n An ");
	s.position = strdup("Chuyên viên");
	s.unit = strdup("phong to chuc");
	s.id_number = strdup("079 123 456 789");
	s.id_issued_on = strdup("01/07/2021");
	s.birth_date = strdup("17/05/1990");
	s.email = strdup("An.Nguyen@VinhLong.gov.vn");
	s.phone = strdup("+84 913 456 789");
	add_ok(db, &s);

	get_ok(db, s.id, &got);
	assert_int_equal(got.kind, KIND_PERSON);
	assert_string_equal(got.name, "Nguyễn Văn An");
	assert_int_equal(got.unit_id, unit);
	assert_string_equal(got.id_number, "079123456789");
	assert_string_equal(got.id_issued_on, "2021-07-01");
	assert_string_equal(got.birth_date, "1990-05-17");
	assert_string_equal(got.email, "an.nguyen@vinhlong.gov.vn");
	assert_string_equal(got.phone, "0913456789");
	assert_string_equal(got.status, "active");
	assert_int_equal(got.version, 1);
	subscriber_free(&got);
	subscriber_free(&s);
}

static void test_add_organisation(void **state)
{
	struct subscriber s;

	named(&s, KIND_ORG, "Trung tâm Khuyến nông", "ttkn@" DOMAIN);
	s.tax_code = strdup("1500123456");
	s.budget_code = strdup("1234567");
	add_expect_stored(db_of(state), &s, SF_NAME, "Trung tâm Khuyến nông", SF_TAX_CODE,
			  "1500123456", SF_BUDGET_CODE, "1234567", SF_COUNT);
	subscriber_free(&s);
}

static void test_add_device(void **state)
{
	struct subscriber s;

	named(&s, KIND_DEVICE, "Cổng dịch vụ công", "dvc@" DOMAIN);
	s.identifier = strdup("DVC.VinhLong.gov.vn");
	s.purpose = strdup("Ký số kết quả thủ tục hành chính");
	add_expect_stored(db_of(state), &s, SF_IDENTIFIER, "dvc.vinhlong.gov.vn", SF_PURPOSE,
			  "Ký số kết quả thủ tục hành chính", SF_COUNT);
	subscriber_free(&s);
}

static void test_add_records_event_and_audit(void **state)
{
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Lê Thị Ánh", "079123456780", "anh.lt@" DOMAIN);
	char sql[128], kind[64];

	snprintf(sql, sizeof sql, "SELECT kind FROM event WHERE subscriber_id = %lld", id);
	query_value(db, sql, kind, sizeof kind);
	assert_string_equal(kind, EVENT_SUBSCRIBER_ADDED);
	query_value(db, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1", kind, sizeof kind);
	assert_string_equal(kind, "subscriber.add");
}

static void test_add_lists_every_problem_and_writes_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_problems problems = { 0 };
	long audit_before = count_rows(db, "audit");
	struct subscriber s;

	subscriber_init(&s);
	s.unit = strdup("Phòng không có");             /* no such unit */
	s.id_number = strdup("0791234567");            /* 10 digits */
	s.email = strdup("an@gmail.com");              /* outside the domain */
	s.phone = strdup("0913 45x 789");              /* a letter */
	s.birth_date = strdup("31/02/1990");           /* not a date */
	s.id_issued_on = strdup("01/01/2027");         /* after TODAY */
	/* and no name, no position */
	add_refused(db, &s, &problems);
	expect_problem(&problems, 0, "Full name");
	expect_problem(&problems, 0, "Position");
	expect_problem(&problems, 0, "Unit");
	expect_problem(&problems, 0, "Citizen ID");
	expect_problem(&problems, 0, "E-mail");
	expect_problem(&problems, 0, "Phone");
	expect_problem(&problems, 0, "Date of birth");
	expect_problem(&problems, 0, "ID issued on");
	if (problems.count != 8)
		fail_msg("%zu problems, expected 8:%s", problems.count, problems_text(&problems));
	assert_int_equal(count_rows(db, "subscriber"), 0);
	assert_int_equal(count_rows(db, "event"), 0);
	assert_int_equal(count_rows(db, "audit"), audit_before);
	kyso_problems_free(&problems);
	subscriber_free(&s);
}

/* A person needs name, citizen ID, position and e-mail; an organisation and a device
 * need name and e-mail (the forms ask for a tax code or a domain when one is written). */
static void test_add_requires_the_fields_of_each_kind(void **state)
{
	struct kyso_db *db = db_of(state);
	struct subscriber org, device, org_ok, device_ok;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	named(&org, KIND_ORG, "Trung tâm Khuyến nông", NULL);
	add_refused_for(db, &org, "E-mail");
	named(&device, KIND_DEVICE, "Cổng dịch vụ công", NULL);
	add_refused_for(db, &device, "E-mail");
	assert_int_equal(count_rows(db, "subscriber"), 0);
	named(&org_ok, KIND_ORG, "Trung tâm Khuyến nông", "ttkn@" DOMAIN);
	named(&device_ok, KIND_DEVICE, "Cổng dịch vụ công", "dvc@" DOMAIN);
	assert_int_equal(subscriber_add(db, &org_ok, &problems, &err), 0);
	assert_int_equal(subscriber_add(db, &device_ok, &problems, &err), 0);
	assert_int_equal(count_rows(db, "subscriber"), 2);
	kyso_problems_free(&problems);
	subscriber_free(&org);
	subscriber_free(&device);
	subscriber_free(&org_ok);
	subscriber_free(&device_ok);
}

static void test_duplicate_id_or_email_refused_until_the_holder_departs(void **state)
{
	struct kyso_db *db = db_of(state);
	long long first = add_person(db, "Nguyễn Văn An", "079123456789", "an.nv@" DOMAIN);
	struct subscriber same_id, same_email;

	person(&same_id, "Trần Thị Bình", "079123456789", "binh.tt@" DOMAIN);
	add_refused_for(db, &same_id, "Citizen ID");
	/* the e-mail is compared as stored: lower case */
	person(&same_email, "Lê Văn Cường", "079123456790", "AN.NV@" DOMAIN);
	add_refused_for(db, &same_email, "E-mail");
	assert_int_equal(count_rows(db, "subscriber"), 1);

	depart_ok(db, first, "20/11/2026", "left");
	add_ok(db, &same_id);
	add_ok(db, &same_email);
	assert_int_equal(count_rows(db, "subscriber"), 3);
	subscriber_free(&same_id);
	subscriber_free(&same_email);
}

/* Updating and departing --------------------------------------------------------------- */

static void test_update_with_stale_version_is_a_conflict(void **state)
{
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Nguyễn Văn An", "079123456789", "an.nv@" DOMAIN);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber mine, theirs, now;

	get_ok(db, id, &mine);
	get_ok(db, id, &theirs);
	free(theirs.position);
	theirs.position = strdup("Trưởng phòng");
	if (subscriber_update(db, &theirs, &problems, &err))
		fail_msg("first update: %s%s", err.msg, problems_text(&problems));
	assert_int_equal(theirs.version, 2);

	free(mine.position);
	mine.position = strdup("Phó phòng");
	assert_int_equal(subscriber_update(db, &mine, &problems, &err), KYSO_ECONFLICT);
	get_ok(db, id, &now);
	assert_string_equal(now.position, "Trưởng phòng");
	assert_int_equal(now.version, 2);
	assert_int_equal(count_rows(db, "event"), 2); /* added, edited once */
	kyso_problems_free(&problems);
	subscriber_free(&mine);
	subscriber_free(&theirs);
	subscriber_free(&now);
}

struct events {
	char kind[8][64];
	char on_date[8][11];
	int n;
};

static int collect_event(const struct event_row *ev, void *ctx)
{
	struct events *e = ctx;

	if (e->n < 8) {
		snprintf(e->kind[e->n], sizeof e->kind[0], "%s", ev->kind);
		snprintf(e->on_date[e->n], sizeof e->on_date[0], "%s", ev->on_date);
		e->n++;
	}
	return 0;
}

static void test_depart_keeps_the_record_and_adds_an_event(void **state)
{
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Nguyễn Văn An", "079123456789", "an.nv@" DOMAIN);
	struct kyso_err err = { 0 };
	struct events ev = { 0 };
	struct subscriber got;

	depart_ok(db, id, "20/11/2026", "transferred");
	get_ok(db, id, &got);
	assert_string_equal(got.name, "Nguyễn Văn An");
	assert_string_equal(got.id_number, "079123456789");
	assert_string_equal(got.status, "transferred");
	assert_string_equal(got.departed_on, "2026-11-20");
	assert_int_equal(got.version, 2);
	subscriber_free(&got);
	assert_int_equal(count_rows(db, "subscriber"), 1);

	assert_int_equal(event_list_subscriber(db, id, collect_event, &ev, &err), 0);
	/* In date order (issue 11.10): the departure happened on 20/11, before the day the
	 * subscriber was recorded (today, 25/11). */
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.kind[0], EVENT_SUBSCRIBER_DEPARTED);
	assert_string_equal(ev.on_date[0], "2026-11-20");
	assert_string_equal(ev.kind[1], EVENT_SUBSCRIBER_ADDED);
}

static void test_depart_refuses_future_date_and_second_departure(void **state)
{
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Nguyễn Văn An", "079123456789", "an.nv@" DOMAIN);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	assert_int_equal(subscriber_depart(db, id, "26/11/2026", "left", NULL, 0, &problems, &err),
			 KYSO_EINVAL);
	expect_problem(&problems, 0, "Date");
	kyso_problems_clear(&problems);
	depart_ok(db, id, TODAY, "retired");
	assert_int_equal(subscriber_depart(db, id, TODAY, "left", NULL, 0, &problems, &err),
			 KYSO_EINVAL);
	expect_problem(&problems, 0, "Status");
	assert_int_equal(count_rows(db, "event"), 2);
	kyso_problems_free(&problems);
}

/* Listing and search ------------------------------------------------------------------- */

static const char *const roster_names[] = {
	"Trần Văn Bình", "Lê Thị Ánh", "Đặng Văn Đức", "Nguyễn Văn An", "Phạm Văn Dũng",
	"Nguyễn Thị Hoa", "Trần Thị Nguyệt",
};
#define ROSTER_N (sizeof roster_names / sizeof roster_names[0])

/* The roster above, plus "Nguyễn Thị Lan" typed in NFD. */
static void add_small_roster(struct kyso_db *db)
{
	char id[16], email[64];
	size_t i;

	for (i = 0; i < ROSTER_N; i++) {
		snprintf(id, sizeof id, "0791000000%02zu", i);
		snprintf(email, sizeof email, "s%zu@" DOMAIN, i);
		add_person(db, roster_names[i], id, email);
	}
	add_person(db, "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Lan", "079100000099", "s99@" DOMAIN);
}

static void test_list_orders_people_by_given_name(void **state)
{
	static const char *const want[] = {
		"Nguyễn Văn An", "Lê Thị Ánh", "Trần Văn Bình", "Phạm Văn Dũng", "Đặng Văn Đức",
		"Nguyễn Thị Hoa", "Nguyễn Thị Lan", "Trần Thị Nguyệt", NULL,
	};
	struct kyso_db *db = db_of(state);

	add_small_roster(db);
	expect_search(db, NULL, want);
}

static void test_search_ignores_diacritics_and_normal_form(void **state)
{
	static const char *const duc[] = { "Đặng Văn Đức", NULL };
	static const char *const nguyen_thi[] = { "Nguyễn Thị Hoa", "Nguyễn Thị Lan", NULL };
	static const char *const none[] = { NULL };
	struct kyso_db *db = db_of(state);

	add_small_roster(db);
	expect_search(db, "dang van duc", duc);
	expect_search(db, "DANG", duc);
	expect_search(db, "Đặng Văn Đức", duc);
	expect_search(db, "nguyen thi", nguyen_thi);
	expect_search(db, "Nguye\xCC\x82\xCC\x83n  thi\xCC\xA3", nguyen_thi);
	expect_search(db, "nguyen thi nam", none);
	assert_int_equal(count_ok(db, "nguyen thi", NULL), 2);
	assert_int_equal(count_ok(db, "dang van duc", NULL), 1);
}

static void test_search_finds_citizen_id_email_and_phone(void **state)
{
	static const char *const duc[] = { "Đặng Văn Đức", NULL };
	static const char *const tam[] = { "Võ Văn Tám", NULL };
	struct kyso_db *db = db_of(state);
	struct subscriber s;

	add_small_roster(db);
	person(&s, "Võ Văn Tám", "079100000088", "vvt1985@" DOMAIN);
	s.phone = strdup("0913 456 789");
	add_ok(db, &s);
	subscriber_free(&s);
	expect_search(db, "079100000002", duc);
	expect_search(db, "s2@vinhlong", duc);
	expect_search(db, "vvt1985@", tam);
	expect_search(db, "0913456", tam);
}

/* subscriber.h: the search is "matched folded against name, ID, e-mail, phone", so a part
 * of an address finds its owner too, whichever way the search is answered. */
/* E-mail is searched by what it begins with, "@" telling the search it is one; a bare
 * user name is taken for words of names, citizen IDs and phones. */
static void test_search_finds_email_with_at_sign(void **state)
{
	static const char *const tam[] = { "Võ Văn Tám", NULL };
	static const char *const none[] = { NULL };
	struct kyso_db *db = db_of(state);

	add_person(db, "Võ Văn Tám", "079100000088", "vvt1985@" DOMAIN);
	add_person(db, "Lê Thị Ánh", "079100000089", "anh.lt@" DOMAIN);
	expect_search(db, "vvt1985@", tam);
	expect_search(db, "VVT1985@vinh", tam);
	expect_search(db, "vvt1985", none);
}

/* Text pasted from a word processor or a web page has no-break spaces between words. */
static void test_search_with_no_break_space_matches_like_a_space(void **state)
{
	static const char *const nguyen_thi[] = { "Nguyễn Thị Hoa", "Nguyễn Thị Lan", NULL };
	struct kyso_db *db = db_of(state);

	add_small_roster(db);
	expect_search(db, "Nguyễn\xC2\xA0Thị", nguyen_thi);
	assert_int_equal(count_ok(db, "Nguyễn\xC2\xA0Thị", NULL), 2);
}

/* A name as written, typographic apostrophe (U+2019) and all, finds its subscriber, with or
 * without a limit, and is counted. */
static void test_search_name_with_typographic_apostrophe(void **state)
{
	static const char *const lan[] = { "Ksor H\xE2\x80\x99Lan", NULL };
	struct kyso_db *db = db_of(state);

	add_small_roster(db);
	add_person(db, "Ksor H\xE2\x80\x99Lan", "079100000077", "lan.k@" DOMAIN);
	expect_search(db, "Ksor H\xE2\x80\x99Lan", lan);
	expect_search(db, "h\xE2\x80\x99lan", lan);
	assert_int_equal(count_ok(db, "h\xE2\x80\x99lan", NULL), 1);
}

/* The keyboard's apostrophe finds a name stored with the typographic one, and the other
 * way round, as "dang" finds "Đặng": the officer cannot see which one a file had. */
static void test_search_apostrophe_forms_are_equivalent(void **state)
{
	static const char *const lan[] = { "Ksor H\xE2\x80\x99Lan", NULL };
	static const char *const nga[] = { "Rmah H'Nga", NULL };
	struct kyso_db *db = db_of(state);

	add_person(db, "Ksor H\xE2\x80\x99Lan", "079100000077", "lan.k@" DOMAIN);
	add_person(db, "Rmah H'Nga", "079100000078", "nga.r@" DOMAIN);
	expect_search(db, "h'lan", lan);
	expect_search(db, "h\xE2\x80\x99nga", nga);
}

/* Pages of size `page` put end to end give the full list, for search and for none. */
static void expect_pages_match_full_list(struct kyso_db *db, const char *search, long page)
{
	struct subscriber_query all = query(search, 0, 0);
	struct listing full, part;
	size_t at = 0, i;

	list_ok(db, &all, &full);
	for (;;) {
		struct subscriber_query q = query(search, page, (long)at);

		list_ok(db, &q, &part);
		for (i = 0; i < part.n; i++)
			if (at + i >= full.n || part.ids[i] != full.ids[at + i])
				fail_msg("search \"%s\": page at %zu differs from the full list at %zu",
					 search ? search : "", at, at + i);
		at += part.n;
		listing_free(&part);
		if (i < (size_t)page)
			break;
	}
	assert_int_equal(at, full.n);
	assert_int_equal(count_ok(db, search, NULL), (long)full.n);
	listing_free(&full);
}

static void test_pages_are_consistent_with_the_full_list(void **state)
{
	struct kyso_db *db = db_of(state);

	add_small_roster(db);
	expect_pages_match_full_list(db, NULL, 3);
	expect_pages_match_full_list(db, "van", 2);
	expect_pages_match_full_list(db, "nguyen", 1);
}

static void test_count_follows_search_and_status(void **state)
{
	struct kyso_db *db = db_of(state);
	long long id;

	add_small_roster(db);
	assert_int_equal(count_ok(db, NULL, NULL), ROSTER_N + 1);
	/* Nguyệt does not begin with "nguyen" */
	assert_int_equal(count_ok(db, "nguyen", NULL), 3);
	id = add_person(db, "Võ Văn Tám", "079100000088", "tam@" DOMAIN);
	depart_ok(db, id, "01/11/2026", "left");
	assert_int_equal(count_ok(db, NULL, "active"), ROSTER_N + 1);
	assert_int_equal(count_ok(db, NULL, "departed"), 1);
	assert_int_equal(count_ok(db, NULL, "left"), 1);
	assert_int_equal(count_ok(db, NULL, "all"), ROSTER_N + 2);
}

/* The two ways of searching agree, on a roster large enough that both are used. */

#define LARGE_N 30000
#define PAGE 50

/* n generated people, in one transaction.  Nguyễn is a third of them; every 997th is
 * given the rare name Khuê, and every 997th (another) is "Ksor H’Lan", a Central Highlands
 * name written with the typographic apostrophe (U+2019) that word processors put in. */
static void add_large_roster(struct kyso_db *db, int n)
{
	static const char *const family[] = {
		"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
		"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
	};
	static const char *const middle[] = {
		"Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thị Thu", "Văn Hoàng",
	};
	static const char *const given[] = {
		"An", "Anh", "Bình", "Chi", "Dũng", "Đạt", "Hà", "Hải", "Hùng", "Hương", "Lan",
		"Linh", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
		"Tuấn", "Việt", "Yến",
	};
	struct kyso_err err = { 0 };
	char name[128], id[16], email[64], phone[16], position[] = "Chuyên viên";
	struct subscriber s;
	int i;

	assert_int_equal(db_begin(db, &err), 0);
	for (i = 0; i < n; i++) {
		const char *f = i % 3 == 0 ? family[0] : family[(i / 3) % 16];
		const char *g = i % 997 == 500 ? "Khuê" : given[(i * 7) % 24];

		if (i % 997 == 900)
			snprintf(name, sizeof name, "Ksor H\xE2\x80\x99Lan");
		else
			snprintf(name, sizeof name, "%s %s %s", f, middle[(i / 11) % 10], g);
		snprintf(id, sizeof id, "0790%08d", i);
		snprintf(email, sizeof email, "u%d@" DOMAIN, i);
		snprintf(phone, sizeof phone, "09%08d", i);
		subscriber_init(&s);
		s.name = name;
		s.position = position;
		s.id_number = id;
		s.email = email;
		s.phone = phone;
		if (subscriber_insert_tx(db, &s, EVENT_SUBSCRIBER_ADDED, NULL, &err))
			fail_msg("subscriber_insert_tx(%s): %s", name, err.msg);
	}
	assert_int_equal(db_commit(db, &err), 0);
}

/* The page q asks for equals the full list (the same query without limit and offset) cut
 * to the same rows; the full list has min_total to max_total rows. */
static void expect_query_agrees(struct kyso_db *db, const struct subscriber_query *q,
				size_t min_total, size_t max_total)
{
	struct subscriber_query all = *q;
	const char *search = q->search ? q->search : "";
	size_t offset = (size_t)q->offset, want, i;
	struct listing full, part;

	all.limit = 0;
	all.offset = 0;
	list_ok(db, &all, &full);
	list_ok(db, q, &part);
	if (full.n < min_total || full.n > max_total)
		fail_msg("search \"%s\" found %zu, expected %zu to %zu", search, full.n, min_total,
			 max_total);
	want = full.n > offset ? full.n - offset : 0;
	if (want > (size_t)q->limit)
		want = (size_t)q->limit;
	for (i = 0; i < want && i < part.n; i++)
		if (part.ids[i] != full.ids[offset + i])
			fail_msg("search \"%s\" offset %zu limit %ld: row %zu is #%lld (%s), the full "
				 "list has #%lld (%s)", search, offset, q->limit, i, part.ids[i],
				 part.names[i], full.ids[offset + i], full.names[offset + i]);
	if (part.n != want)
		fail_msg("search \"%s\" offset %zu limit %ld: %zu rows, the full list gives %zu",
			 search, offset, q->limit, part.n, want);
	listing_free(&full);
	listing_free(&part);
}

static void expect_page_agrees(struct kyso_db *db, const char *search, long offset,
			       size_t min_total, size_t max_total)
{
	struct subscriber_query q = query(search, PAGE, offset);

	expect_query_agrees(db, &q, min_total, max_total);
}

static void test_search_strategies_agree_on_large_roster(void **state)
{
	struct kyso_db *db = db_of(state);

	add_large_roster(db, LARGE_N);
	assert_int_equal(count_ok(db, NULL, NULL), LARGE_N);
	/* common: the page is found walking the name order */
	expect_page_agrees(db, "nguyen", 0, LARGE_N / 3, LARGE_N);
	expect_page_agrees(db, "nguyen", PAGE, LARGE_N / 3, LARGE_N);
	expect_page_agrees(db, "nguyen thi", 0, PAGE + 1, LARGE_N);
	/* rare: the index answers */
	expect_page_agrees(db, "khue", 0, 1, PAGE - 1);
	expect_page_agrees(db, "nguyen khue", 0, 1, PAGE - 1);
	/* citizen ID prefixes: 10,000 rows, then 100, then 10 */
	expect_page_agrees(db, "07900002", 0, 10000, 10000);
	expect_page_agrees(db, "0790000299", 0, 100, 100);
	expect_page_agrees(db, "07900001234", 0, 10, 10);
	/* nothing */
	expect_page_agrees(db, "xuyen", 0, 0, 0);
}

/* "Ksor H’Lan" has the typographic apostrophe (U+2019), which the index treats as a
 * space and the walk in name order as part of a word.  Whatever a search for it means,
 * both ways of answering must mean the same. */
static void test_search_strategies_agree_on_names_with_apostrophe(void **state)
{
	struct kyso_db *db = db_of(state);

	add_large_roster(db, LARGE_N);
	expect_page_agrees(db, "lan", 0, PAGE, LARGE_N);
	expect_page_agrees(db, "ksor h", 0, 30, 30);
	expect_page_agrees(db, "h\xE2\x80\x99lan", 0, 30, 30);
}

/* A common search that a filter makes rare: the walk in name order gives up after its
 * budget and the index answers instead; the rows the walk had already handed out must not
 * come out twice. */
#define BEYOND_BUDGET 65000

static void test_search_strategies_agree_when_a_filter_makes_matches_rare(void **state)
{
	struct kyso_db *db = db_of(state);
	struct subscriber_query first = query("nguyen", 5, 0), left = query("nguyen", PAGE, 0);
	struct listing early;
	size_t i;

	add_large_roster(db, BEYOND_BUDGET);
	list_ok(db, &first, &early);
	assert_int_equal(early.n, 5);
	for (i = 0; i < early.n; i++)
		depart_ok(db, early.ids[i], "01/11/2026", "left");
	listing_free(&early);
	left.status = "left";
	expect_query_agrees(db, &left, 5, 5);
	assert_int_equal(count_ok(db, "nguyen", "left"), 5);
}

/* The walk in name order starts where the first name holding every word can sort
 * (name_word.first_key).  A rename that brings a name holding the word earlier — a new
 * word, or only a tone, which moves the name without changing its folded form — must
 * move that start, or the walk would pass over the renamed row. */
static void rename_ok(struct kyso_db *db, long long id, const char *name)
{
	struct subscriber_change change = { SF_NAME, name };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	if (subscriber_edit(db, id, &change, 1, 0, &problems, &err))
		fail_msg("subscriber_edit(%s): %s", name, err.msg);
	kyso_problems_free(&problems);
}

static void test_walk_start_follows_renames(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct subscriber s;
	char id[16], email[64], position[] = "Chuyên viên";
	struct listing page;
	struct subscriber_query q = query("yen", PAGE, 0);
	int i;

	/* Enough Yến for the walk to be chosen, all after the An block. */
	assert_int_equal(db_begin(db, &err), 0);
	for (i = 0; i < 8000; i++) {
		subscriber_init(&s);
		s.name = i % 2 ? "Trần Thị Yến" : "Lê Văn An";
		s.position = position;
		snprintf(id, sizeof id, "0790%08d", i);
		snprintf(email, sizeof email, "w%d@" DOMAIN, i);
		s.id_number = id;
		s.email = email;
		if (subscriber_insert_tx(db, &s, EVENT_SUBSCRIBER_ADDED, NULL, &err))
			fail_msg("subscriber_insert_tx: %s", err.msg);
	}
	assert_int_equal(db_commit(db, &err), 0);
	expect_page_agrees(db, "yen", 0, 4000, 4000);

	/* Only the tone: Yên sorts before every Yến. */
	rename_ok(db, 2, "Trần Thị Yên");
	list_ok(db, &q, &page);
	assert_true(page.n > 0);
	assert_int_equal(page.ids[0], 2);
	listing_free(&page);
	expect_page_agrees(db, "yen", 0, 4000, 4000);

	/* A new word, in the An block, before all of them. */
	rename_ok(db, 1, "Lê Yến An");
	list_ok(db, &q, &page);
	assert_true(page.n > 0);
	assert_int_equal(page.ids[0], 1);
	listing_free(&page);
	expect_page_agrees(db, "yen", 0, 4001, 4001);
}

static void test_search_follows_a_renamed_subscriber(void **state)
{
	static const char *const renamed[] = { "Nguyễn Văn Bảo", NULL };
	static const char *const none[] = { NULL };
	struct kyso_db *db = db_of(state);
	long long id = add_person(db, "Nguyễn Văn An", "079123456789", "s1@" DOMAIN);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;

	get_ok(db, id, &s);
	free(s.name);
	s.name = strdup("Nguyễn Văn Bảo");
	if (subscriber_update(db, &s, &problems, &err))
		fail_msg("subscriber_update: %s%s", err.msg, problems_text(&problems));
	expect_search(db, "nguyen van an", none);
	expect_search(db, "bao", renamed);
	expect_search(db, "nguyen van", renamed);
	kyso_problems_free(&problems);
	subscriber_free(&s);
}

/* Audit -------------------------------------------------------------------------------- */

/* Three audit rows: agency.init (from the fixture), unit.add, subscriber.add. */
static void make_audit_trail(struct kyso_db *db)
{
	unit_add_ok(db, "Phòng Tổ chức", NULL);
	add_person(db, "Nguyễn Văn An", "079123456789", "an.nv@" DOMAIN);
	assert_int_equal(count_rows(db, "audit"), 3);
}

static void expect_audit(struct kyso_db *db, long bad_seq)
{
	struct kyso_err err = { 0 };
	struct audit_report report;

	if (audit_verify(db, &report, &err))
		fail_msg("audit_verify: %s", err.msg);
	if (report.bad_seq != bad_seq)
		fail_msg("audit_verify: bad_seq %ld (%s), expected %ld", report.bad_seq,
			 report.reason, bad_seq);
	if (bad_seq)
		assert_true(report.reason[0] != '\0');
}

static void test_audit_chain_verifies_after_changes(void **state)
{
	struct kyso_db *db = db_of(state);

	make_audit_trail(db);
	expect_audit(db, 0);
}

static void test_audit_detects_edited_row(void **state)
{
	struct kyso_db *db = db_of(state);

	make_audit_trail(db);
	exec_sql(db, "UPDATE audit SET payload = '{\"name\":\"Phòng khác\"}' WHERE seq = 2");
	expect_audit(db, 2);
}

static void test_audit_detects_deleted_row(void **state)
{
	struct kyso_db *db = db_of(state);

	make_audit_trail(db);
	exec_sql(db, "DELETE FROM audit WHERE seq = 2");
	expect_audit(db, 2);
}

static void test_audit_detects_deleted_last_row(void **state)
{
	struct kyso_db *db = db_of(state);

	make_audit_trail(db);
	exec_sql(db, "DELETE FROM audit WHERE seq = 3");
	expect_audit(db, 3);
}

/* Import ------------------------------------------------------------------------------- */

static const char *write_csv(void **state, const char *name, const char *text)
{
	static char path[512];
	struct fixture *fx = *state;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fx->dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

static const char good_roster[] =
	IMPORT_HEADER
	"Nguyễn Văn An,079123456781,Chuyên viên,Phòng Tổ chức,an.nv@" DOMAIN ",0913 456 781\n"
	"Trần Thị Bình,079123456782,Trưởng phòng,Phòng Kế toán,binh.tt@" DOMAIN ",0913456782\n"
	"Lê Văn Cường,079123456783,Phó phòng,Phòng Tổ chức,cuong.lv@" DOMAIN ",\n";

/* Row 3 has an 11-digit citizen ID (a leading 0 lost in Excel). */
static const char roster_with_bad_row[] =
	IMPORT_HEADER
	"Nguyễn Văn An,079123456781,Chuyên viên,Phòng Tổ chức,an.nv@" DOMAIN ",0913 456 781\n"
	"Trần Thị Bình,79123456782,Trưởng phòng,Phòng Kế toán,binh.tt@" DOMAIN ",0913456782\n"
	"Lê Văn Cường,079123456783,Phó phòng,Phòng Tổ chức,cuong.lv@" DOMAIN ",\n";

static int run_import(void **state, const char *csv, int dry_run, int skip_invalid,
		      struct import_result *res)
{
	struct import_options opt = { .dry_run = dry_run, .skip_invalid = skip_invalid };
	struct kyso_err err = { 0 };
	const char *path = write_csv(state, "roster.csv", csv);

	return roster_import(db_of(state), path, &opt, NULL, NULL, res, &err);
}

static void expect_counts(const struct import_result *res, long added, long updated,
			  long unchanged, long rejected, int committed)
{
	if (res->added != added || res->updated != updated || res->unchanged != unchanged ||
	    res->rejected != rejected || res->committed != committed)
		fail_msg("added %ld updated %ld unchanged %ld rejected %ld committed %d; expected "
			 "%ld %ld %ld %ld %d%s", res->added, res->updated, res->unchanged,
			 res->rejected, res->committed, added, updated, unchanged, rejected, committed,
			 problems_text(&res->problems));
}

static void test_import_adds_rows_and_units(void **state)
{
	struct kyso_db *db = db_of(state);
	struct import_result res;
	long long found;

	assert_int_equal(run_import(state, good_roster, 0, 0, &res), 0);
	expect_counts(&res, 3, 0, 0, 0, 1);
	assert_int_equal(res.units_added, 2);
	assert_true(res.batch > 0);
	import_result_free(&res);
	assert_int_equal(count_rows(db, "subscriber"), 3);
	assert_int_equal(count_rows(db, "unit"), 2);
	assert_int_equal(unit_find(db, "phong ke toan", &found, NULL), 0);
	assert_int_equal(count_ok(db, "binh", NULL), 1);
	expect_audit(db, 0);
}

static void test_import_same_file_twice_changes_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	struct import_result res;
	long events;

	assert_int_equal(run_import(state, good_roster, 0, 0, &res), 0);
	import_result_free(&res);
	events = count_rows(db, "event");
	assert_int_equal(run_import(state, good_roster, 0, 0, &res), 0);
	expect_counts(&res, 0, 0, 3, 0, 1);
	assert_int_equal(res.units_added, 0);
	import_result_free(&res);
	assert_int_equal(count_rows(db, "subscriber"), 3);
	assert_int_equal(count_rows(db, "unit"), 2);
	assert_int_equal(count_rows(db, "event"), events);
}

static void test_import_dry_run_reports_but_writes_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	long audit_before = count_rows(db, "audit");
	struct import_result res;

	assert_int_equal(run_import(state, good_roster, 1, 0, &res), 0);
	expect_counts(&res, 3, 0, 0, 0, 0);
	assert_int_equal(res.units_added, 2);
	import_result_free(&res);
	assert_int_equal(count_rows(db, "subscriber"), 0);
	assert_int_equal(count_rows(db, "unit"), 0);
	assert_int_equal(count_rows(db, "event"), 0);
	assert_int_equal(count_rows(db, "import_batch"), 0);
	assert_int_equal(count_rows(db, "audit"), audit_before);
}

static void test_import_one_bad_row_refuses_all(void **state)
{
	struct kyso_db *db = db_of(state);
	struct import_result res;

	assert_int_equal(run_import(state, roster_with_bad_row, 0, 0, &res), KYSO_EINVAL);
	expect_counts(&res, 2, 0, 0, 1, 0);
	assert_int_equal(res.problems.count, 1);
	expect_problem(&res.problems, 3, "Citizen ID");
	import_result_free(&res);
	assert_int_equal(count_rows(db, "subscriber"), 0);
	assert_int_equal(count_rows(db, "unit"), 0);
	assert_int_equal(count_rows(db, "event"), 0);
}

static void test_import_skip_invalid_imports_the_others(void **state)
{
	struct kyso_db *db = db_of(state);
	struct import_result res;

	assert_int_equal(run_import(state, roster_with_bad_row, 0, 1, &res), 0);
	expect_counts(&res, 2, 0, 0, 1, 1);
	expect_problem(&res.problems, 3, "Citizen ID");
	import_result_free(&res);
	assert_int_equal(count_rows(db, "subscriber"), 2);
	assert_int_equal(count_ok(db, "binh", NULL), 0);
}

/* The bad row is the only one in Phòng Kế toán: a rejected row leaves no unit behind. */
static void test_import_rejected_row_adds_no_unit(void **state)
{
	struct kyso_db *db = db_of(state);
	struct import_result res;
	long long found;
	long units_added;

	assert_int_equal(run_import(state, roster_with_bad_row, 0, 1, &res), 0);
	expect_counts(&res, 2, 0, 0, 1, 1);
	units_added = res.units_added;
	import_result_free(&res);
	assert_int_equal(units_added, 1);
	assert_int_equal(count_rows(db, "unit"), 1);
	assert_int_equal(unit_find(db, "Phòng Kế toán", &found, NULL), KYSO_ENOTFOUND);
}

static void test_import_problems_carry_file_line_and_column(void **state)
{
	/* The first record spans lines 2-3 (a line break inside a quoted cell), so the bad
	 * rows are lines 4, 5 and 6 of the file. */
	static const char csv[] =
		IMPORT_HEADER
		"Nguyễn Văn An,079123456781,\"Chuyên viên\nphụ trách CNTT\",Phòng Tổ chức,an.nv@" DOMAIN ",\n"
		"Trần Thị Bình,079123456782,Trưởng phòng,Phòng Kế toán,binh@gmail.com,\n"
		"Lê Văn Cường,079123456783,,Phòng Tổ chức,cuong.lv@" DOMAIN ",\n"
		"Phạm Thị Dung,079123456784,Kế toán viên,Phòng Kế toán,dung.pt@" DOMAIN ",0913 45\n";
	struct kyso_db *db = db_of(state);
	struct import_result res;
	struct subscriber got;
	long long id;

	assert_int_equal(run_import(state, csv, 0, 0, &res), KYSO_EINVAL);
	expect_counts(&res, 1, 0, 0, 3, 0);
	if (res.problems.count != 3)
		fail_msg("%zu problems, expected 3:%s", res.problems.count,
			 problems_text(&res.problems));
	expect_problem(&res.problems, 4, "E-mail");
	expect_problem(&res.problems, 5, "Position");
	expect_problem(&res.problems, 6, "Phone");
	import_result_free(&res);
	assert_int_equal(count_rows(db, "subscriber"), 0);

	/* with skip_invalid the good row is written, its line break cleaned away */
	assert_int_equal(run_import(state, csv, 0, 1, &res), 0);
	expect_counts(&res, 1, 0, 0, 3, 1);
	import_result_free(&res);
	id = query_value(db, "SELECT id FROM subscriber", NULL, 0);
	get_ok(db, id, &got);
	assert_string_equal(got.position, "Chuyên viên phụ trách CNTT");
	subscriber_free(&got);
}

#define DIR_TEST(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown)
#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown)
#define AGENCY_TEST(f) cmocka_unit_test_setup_teardown(f, setup_agency, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		DIR_TEST(test_db_open_creates_private_file_and_folders),
		DB_TEST(test_statement_cache_never_refuses),
		DB_TEST(test_db_open_sets_wal_foreign_keys_and_schema_version),
		DB_TEST(test_db_open_twice_keeps_schema_and_data),
		DB_TEST(test_agency_init_lists_every_missing_field),
		DB_TEST(test_agency_init_refuses_bad_domain),
		DB_TEST(test_agency_init_stores_clean_profile),
		AGENCY_TEST(test_agency_second_init_is_a_conflict),
		AGENCY_TEST(test_unit_found_by_folded_name_and_by_id),
		AGENCY_TEST(test_unit_with_same_folded_name_is_refused),
		AGENCY_TEST(test_unit_cannot_move_under_itself_or_its_child),
		AGENCY_TEST(test_unit_rename_to_taken_name_is_refused),
		AGENCY_TEST(test_add_person_stores_normalised_fields),
		AGENCY_TEST(test_add_organisation),
		AGENCY_TEST(test_add_device),
		AGENCY_TEST(test_add_records_event_and_audit),
		AGENCY_TEST(test_add_lists_every_problem_and_writes_nothing),
		AGENCY_TEST(test_add_requires_the_fields_of_each_kind),
		AGENCY_TEST(test_duplicate_id_or_email_refused_until_the_holder_departs),
		AGENCY_TEST(test_update_with_stale_version_is_a_conflict),
		AGENCY_TEST(test_depart_keeps_the_record_and_adds_an_event),
		AGENCY_TEST(test_depart_refuses_future_date_and_second_departure),
		AGENCY_TEST(test_list_orders_people_by_given_name),
		AGENCY_TEST(test_search_ignores_diacritics_and_normal_form),
		AGENCY_TEST(test_search_finds_citizen_id_email_and_phone),
		AGENCY_TEST(test_search_finds_email_with_at_sign),
		AGENCY_TEST(test_search_with_no_break_space_matches_like_a_space),
		AGENCY_TEST(test_search_name_with_typographic_apostrophe),
		AGENCY_TEST(test_search_apostrophe_forms_are_equivalent),
		AGENCY_TEST(test_pages_are_consistent_with_the_full_list),
		AGENCY_TEST(test_count_follows_search_and_status),
		AGENCY_TEST(test_search_strategies_agree_on_large_roster),
		AGENCY_TEST(test_search_strategies_agree_on_names_with_apostrophe),
		AGENCY_TEST(test_search_strategies_agree_when_a_filter_makes_matches_rare),
		AGENCY_TEST(test_search_follows_a_renamed_subscriber),
		AGENCY_TEST(test_walk_start_follows_renames),
		AGENCY_TEST(test_audit_chain_verifies_after_changes),
		AGENCY_TEST(test_audit_detects_edited_row),
		AGENCY_TEST(test_audit_detects_deleted_row),
		AGENCY_TEST(test_audit_detects_deleted_last_row),
		AGENCY_TEST(test_import_adds_rows_and_units),
		AGENCY_TEST(test_import_same_file_twice_changes_nothing),
		AGENCY_TEST(test_import_dry_run_reports_but_writes_nothing),
		AGENCY_TEST(test_import_one_bad_row_refuses_all),
		AGENCY_TEST(test_import_skip_invalid_imports_the_others),
		AGENCY_TEST(test_import_rejected_row_adds_no_unit),
		AGENCY_TEST(test_import_problems_carry_file_line_and_column),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
