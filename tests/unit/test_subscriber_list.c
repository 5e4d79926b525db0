/*
 * test_subscriber_list.c - paging the roster by key (core/subscriber_list.c), the way the
 * roster screen does: forward and backward, in each order, with filters and searches.
 * Whatever way a page is found (the name walk group by group, the index's matches sorted,
 * a plain list), the pages put together must be the full list, in order, each row once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kyso/event.h"
#include "kyso/subscriber.h"
#include "store_fixture.h"

#define ROSTER_N 1200
#define PAGE 7            /* small, so that pages end in every group and at every tie */
#define BIG_PAGE 97
#define ROSTER_MANY_NUMBERS 5200 /* more than DIGITS_MANY citizen IDs begin with 0790 */

/* One row as a page gives it, with what the next page needs. */
struct seen_row {
	long long id, unit_id;
	char status[16];
	unsigned char key[256];
	int key_len;
};

struct rows {
	struct seen_row *v;
	size_t n, cap;
};

static int collect(const struct subscriber_row *r, void *ctx)
{
	struct rows *rows = ctx;
	struct seen_row *s;

	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? rows->cap * 2 : 256;
		rows->v = realloc(rows->v, rows->cap * sizeof *rows->v);
		assert_non_null(rows->v);
	}
	s = &rows->v[rows->n++];
	memset(s, 0, sizeof *s);
	s->id = r->id;
	s->unit_id = r->unit_id;
	snprintf(s->status, sizeof s->status, "%s", r->status);
	assert_true(r->sort_key_len > 0 && r->sort_key_len <= (int)sizeof s->key);
	memcpy(s->key, r->sort_key, (size_t)r->sort_key_len);
	s->key_len = r->sort_key_len;
	return 0;
}

static void list_ok(struct kyso_db *db, const struct subscriber_query *q, struct rows *out)
{
	struct kyso_err err = { 0 };

	if (subscriber_list(db, q, collect, out, &err))
		fail_msg("subscriber_list: %s", err.msg);
}

/* A roster with units, organisations, departures and many people of one name (ties in
 * the sort key that only the id orders). */
static void add_roster(struct kyso_db *db, long long units[4], int n)
{
	static const char *const unit_names[] = {
		"Văn phòng Sở", "Phòng Tổ chức", "Chi cục Thủy sản", "Ban Quản lý cảng cá",
	};
	static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Đặng", "Phạm", "Võ" };
	static const char *const middle[] = { "Văn", "Thị", "Ngọc", "Quốc", "Thị Thu" };
	static const char *const given[] = { "An", "Ánh", "Bảo", "Dung", "Hưởng", "Khuê",
					     "Lan", "Mỹ", "Ðông", "Yến", "Ất", "Ưng" };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	char name[128], id[16], phone[16];
	struct subscriber s;
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(unit_add(db, unit_names[i], NULL, NULL, &units[i], &err), 0);
	assert_int_equal(db_begin(db, &err), 0);
	for (i = 0; i < n; i++) {
		subscriber_init(&s);
		if (i % 41 == 7) {
			s.kind = KIND_ORG;
			snprintf(name, sizeof name, "Hợp tác xã %s %d", given[i % 12], i % 9);
		} else {
			snprintf(name, sizeof name, "%s %s %s", family[(i / 3) % 6],
				 middle[(i / 7) % 5], given[(i * 5) % 12]);
		}
		snprintf(id, sizeof id, "0790%08d", i);
		snprintf(phone, sizeof phone, "09%08d", i);
		s.name = name;
		s.id_number = s.kind == KIND_PERSON ? id : NULL;
		s.phone = phone;
		s.unit_id = i % 5 == 4 ? 0 : units[i % 5];
		if (subscriber_insert_tx(db, &s, EVENT_SUBSCRIBER_ADDED, NULL, &err))
			fail_msg("subscriber_insert_tx(%s): %s", name, err.msg);
	}
	assert_int_equal(db_commit(db, &err), 0);
	for (i = 1; i <= n; i += 37) {
		static const char *const reasons[] = { "left", "retired", "transferred" };

		if (subscriber_depart(db, i, "2026-11-01", reasons[i % 3], NULL, 0, &problems, &err))
			fail_msg("subscriber_depart(#%d): %s", i, err.msg);
	}
	kyso_problems_free(&problems);
}

/* The query for the page after (backward: before) row r of q; r must outlive it (not a
 * row of the list the page is collected into, which moves as it grows). */
static struct subscriber_query page_after(const struct subscriber_query *q,
					  const struct seen_row *r, int backward, long page)
{
	struct subscriber_query p = *q;

	p.limit = page;
	p.backward = backward;
	if (r) {
		p.after_key = r->key;
		p.after_key_len = r->key_len;
		p.after_id = r->id;
		p.after_unit_id = r->unit_id;
		p.after_status = r->status;
	}
	return p;
}

static const char *describe(const struct subscriber_query *q)
{
	static char buf[160];
	static const char *const orders[] = { "name", "unit", "status" };

	snprintf(buf, sizeof buf, "order %s, search \"%s\", unit %lld, kind %d, status %s",
		 orders[q->order], q->search ? q->search : "", q->unit_id, q->kind,
		 q->status ? q->status : "any");
	return buf;
}

/* Pages of q one after another, forward then backward from the end, give the full list;
 * a page that starts at a row (its id minus one) starts there. */
static void expect_paging_agrees(struct kyso_db *db, const struct subscriber_query *q,
				 size_t min_rows, long page)
{
	struct subscriber_query all = *q;
	struct rows full = { 0 }, got = { 0 };
	size_t i, before;

	all.limit = 0;
	list_ok(db, &all, &full);
	if (full.n < min_rows)
		fail_msg("%s: %zu rows, expected at least %zu", describe(q), full.n, min_rows);

	for (;;) {
		struct seen_row last = got.n ? got.v[got.n - 1] : (struct seen_row){ 0 };
		struct subscriber_query p = page_after(q, got.n ? &last : NULL, 0, page);

		before = got.n;
		list_ok(db, &p, &got);
		if (got.n - before > (size_t)page)
			fail_msg("%s: a page of %zu rows", describe(q), got.n - before);
		if (got.n - before < (size_t)page)
			break;
	}
	if (got.n != full.n)
		fail_msg("%s: forward pages give %zu rows, the full list %zu", describe(q), got.n,
			 full.n);
	for (i = 0; i < full.n; i++)
		if (got.v[i].id != full.v[i].id)
			fail_msg("%s: forward row %zu is #%lld, the full list has #%lld",
				 describe(q), i, got.v[i].id, full.v[i].id);

	got.n = 0;
	for (;;) {
		struct seen_row last = got.n ? got.v[got.n - 1] : (struct seen_row){ 0 };
		struct subscriber_query p = page_after(q, got.n ? &last : NULL, 1, page);

		before = got.n;
		list_ok(db, &p, &got);
		if (got.n - before < (size_t)page)
			break;
	}
	if (got.n != full.n)
		fail_msg("%s: backward pages give %zu rows, the full list %zu", describe(q), got.n,
			 full.n);
	for (i = 0; i < full.n; i++)
		if (got.v[i].id != full.v[full.n - 1 - i].id)
			fail_msg("%s: backward row %zu is #%lld, expected #%lld", describe(q), i,
				 got.v[i].id, full.v[full.n - 1 - i].id);

	for (i = 0; i < full.n; i += full.n / 5 + 1) {
		struct seen_row at = full.v[i];
		struct subscriber_query p;

		at.id--;
		p = page_after(q, &at, 0, page);
		got.n = 0;
		list_ok(db, &p, &got);
		if (!got.n || got.v[0].id != full.v[i].id)
			fail_msg("%s: the page starting at row %zu (#%lld) starts at #%lld",
				 describe(q), i, full.v[i].id, got.n ? got.v[0].id : 0);
	}
	free(full.v);
	free(got.v);
}

static void test_keyset_pages_agree_with_the_full_list(void **state)
{
	struct kyso_db *db = db_of(state);
	long long units[4];
	static const char *const searches[] = { NULL, "nguyen", "khue", "dang thi", "an",
						"0790000", "hop tac" };
	enum subscriber_order order;
	size_t k;

	add_roster(db, units, ROSTER_N);
	for (order = ORDER_NAME; order <= ORDER_STATUS; order++) {
		for (k = 0; k < sizeof searches / sizeof searches[0]; k++) {
			struct subscriber_query q = { .search = searches[k], .kind = -1,
						      .order = order };

			expect_paging_agrees(db, &q, 1, PAGE);
			q.unit_id = units[2];
			expect_paging_agrees(db, &q, 0, PAGE);
			q.unit_id = 0;
			q.status = "departed";
			expect_paging_agrees(db, &q, 0, PAGE);
			q.status = "active";
			q.kind = KIND_PERSON;
			expect_paging_agrees(db, &q, 0, PAGE);
		}
	}
}

/* The first digits that thousands of citizen IDs share: the walk reads the rows in each
 * order instead of sorting the index's matches; the pages agree all the same. */
static void test_keyset_pages_agree_for_common_number_beginnings(void **state)
{
	struct kyso_db *db = db_of(state);
	long long units[4];
	static const char *const searches[] = { "0", "07900", "07900000512" };
	enum subscriber_order order;
	size_t k;

	add_roster(db, units, ROSTER_MANY_NUMBERS);
	for (order = ORDER_NAME; order <= ORDER_STATUS; order++)
		for (k = 0; k < sizeof searches / sizeof searches[0]; k++) {
			struct subscriber_query q = { .search = searches[k], .kind = -1,
						      .order = order };

			expect_paging_agrees(db, &q, 1, BIG_PAGE);
			q.unit_id = units[1];
			expect_paging_agrees(db, &q, 1, BIG_PAGE);
		}
}

/* No search: counts come from the store's tally and agree with the list. */
static void test_count_agrees_with_the_list(void **state)
{
	struct kyso_db *db = db_of(state);
	long long units[4];
	static const char *const statuses[] = { NULL, "active", "departed", "left", "retired" };
	struct kyso_err err = { 0 };
	size_t k;

	add_roster(db, units, ROSTER_N);
	for (k = 0; k < sizeof statuses / sizeof statuses[0]; k++) {
		struct subscriber_query q = { .kind = -1, .status = statuses[k],
					      .unit_id = k % 2 ? units[1] : 0 };
		struct rows all = { 0 };
		long n = -1;

		list_ok(db, &q, &all);
		assert_int_equal(subscriber_count(db, &q, &n, &err), 0);
		assert_int_equal(n, (long)all.n);
		q.search = "nguyen";
		all.n = 0;
		list_ok(db, &q, &all);
		assert_int_equal(subscriber_count(db, &q, &n, &err), 0);
		assert_int_equal(n, (long)all.n);
		free(all.v);
	}
}

/* The end of the list is one page back from the end, not a walk from the top. */
static void test_backward_without_key_gives_the_last_rows(void **state)
{
	struct kyso_db *db = db_of(state);
	long long units[4];
	struct subscriber_query q = { .kind = -1, .order = ORDER_UNIT };
	struct rows full = { 0 }, last = { 0 };
	size_t i;

	add_roster(db, units, ROSTER_N);
	list_ok(db, &q, &full);
	q.limit = PAGE;
	q.backward = 1;
	list_ok(db, &q, &last);
	assert_int_equal(last.n, PAGE);
	for (i = 0; i < PAGE; i++)
		assert_int_equal(last.v[i].id, full.v[full.n - 1 - i].id);
	/* the subscribers of no unit come last in unit order */
	assert_int_equal(last.v[0].unit_id, 0);
	free(full.v);
	free(last.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keyset_pages_agree_with_the_full_list,
						setup_agency, teardown),
		cmocka_unit_test_setup_teardown(test_keyset_pages_agree_for_common_number_beginnings,
						setup_agency, teardown),
		cmocka_unit_test_setup_teardown(test_count_agrees_with_the_list, setup_agency,
						teardown),
		cmocka_unit_test_setup_teardown(test_backward_without_key_gives_the_last_rows,
						setup_agency, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
