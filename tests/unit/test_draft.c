/*
 * test_draft.c - drafts of forms an interrupted interface left: saved, listed, loaded and
 * deleted on a real SQLite file; Vietnamese text typed precomposed or decomposed comes
 * back byte for byte; a draft outlives the connection that wrote it; a draft is taken
 * once only.  NFD strings are written with byte escapes so that no editor recomposes them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kyso/draft.h"

#include "store_fixture.h"

/* "Nguyễn Thị Ngọc Ánh" precomposed, and the same letters decomposed (e + circumflex +
 * tilde; i + dot below; o + dot below; A + acute). */
#define NAME_NFC "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B Ng\xE1\xBB\x8D" "c \xC3\x81nh"
#define NAME_NFD "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Ngo\xCC\xA3" "c A\xCC\x81nh"

struct seen {
	int count;
	long long ids[8];
	char forms[8][16];
};

static int collect(const struct draft *d, void *ctx)
{
	struct seen *s = ctx;

	if (s->count < 8) {
		s->ids[s->count] = d->id;
		snprintf(s->forms[s->count], sizeof(s->forms[0]), "%s", d->form);
	}
	s->count++;
	return 0;
}

static long long save(struct kyso_db *db, const char *form, long long subscriber_id,
		      long version, const char *name)
{
	struct kyso_err err = { 0 };
	struct draft d;
	long long id;

	draft_init(&d);
	d.form = strdup(form);
	d.subscriber_id = subscriber_id;
	d.base_version = version;
	assert_int_equal(draft_set(&d, "kind", "person"), 0);
	assert_int_equal(draft_set(&d, "name", name), 0);
	assert_int_equal(draft_set(&d, "email", ""), 0);
	assert_int_equal(draft_save(db, &d, &err), 0);
	assert_true(d.id > 0);
	assert_string_equal(d.actor, "test");
	assert_non_null(d.saved_at);
	id = d.id;
	draft_free(&d);
	return id;
}

static void test_draft_set_replaces_and_keeps_order(void **state)
{
	struct draft d;

	(void)state;
	draft_init(&d);
	assert_int_equal(draft_set(&d, "name", "a"), 0);
	assert_int_equal(draft_set(&d, "email", NULL), 0);
	assert_int_equal(draft_set(&d, "name", "b"), 0);
	assert_int_equal(d.nfields, 2);
	assert_string_equal(d.fields[0].name, "name");
	assert_string_equal(draft_get(&d, "name"), "b");
	assert_string_equal(draft_get(&d, "email"), "");
	assert_null(draft_get(&d, "phone"));
	draft_free(&d);
	assert_int_equal(d.nfields, 0);
}

static void test_draft_saved_then_loaded_as_typed(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct draft d;
	long long id = save(db, DRAFT_SUBSCRIBER, 7, 3, NAME_NFD);

	assert_int_equal(draft_load(db, id, &d, &err), 0);
	assert_string_equal(d.form, DRAFT_SUBSCRIBER);
	assert_int_equal(d.subscriber_id, 7);
	assert_int_equal(d.base_version, 3);
	/* Decomposed stays decomposed: the draft is what was typed, not what is stored. */
	assert_string_equal(draft_get(&d, "name"), NAME_NFD);
	assert_string_equal(draft_get(&d, "kind"), "person");
	assert_string_equal(draft_get(&d, "email"), "");
	assert_string_equal(d.actor, "test");
	draft_free(&d);
}

static void test_draft_vietnamese_round_trips_exactly(void **state)
{
	static const char *const texts[] = {
		NAME_NFC, NAME_NFD, "Đặng Văn Ổn", "Phòng Kỹ thuật \"A\" \\ /", "tab\there", "",
	};
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct draft d, back;
	size_t i;
	char name[24];

	draft_init(&d);
	d.form = strdup(DRAFT_SETUP);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		snprintf(name, sizeof(name), "f%zu", i);
		assert_int_equal(draft_set(&d, name, texts[i]), 0);
	}
	assert_int_equal(draft_save(db, &d, &err), 0);
	assert_int_equal(draft_load(db, d.id, &back, &err), 0);
	assert_int_equal(back.nfields, sizeof(texts) / sizeof(texts[0]));
	for (i = 0; i < back.nfields; i++) {
		snprintf(name, sizeof(name), "f%zu", i);
		assert_string_equal(back.fields[i].name, name);
		assert_int_equal(strlen(back.fields[i].value), strlen(texts[i]));
		assert_memory_equal(back.fields[i].value, texts[i], strlen(texts[i]));
	}
	assert_int_equal(back.subscriber_id, 0);
	assert_int_equal(back.base_version, 0);
	draft_free(&back);
	draft_free(&d);
}

static void test_draft_invalid_utf8_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct seen seen = { 0 };
	struct draft d;

	draft_init(&d);
	d.form = strdup(DRAFT_SUBSCRIBER);
	assert_int_equal(draft_set(&d, "name", "bad \xC3 byte"), 0);
	assert_int_equal(draft_save(db, &d, &err), KYSO_EINVAL);
	assert_non_null(strstr(err.msg, "name"));
	draft_free(&d);
	assert_int_equal(draft_list(db, collect, &seen, &err), 0);
	assert_int_equal(seen.count, 0);
}

static void test_draft_listed_oldest_first_and_deleted_once(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct seen seen = { 0 };
	struct draft d;
	long long a = save(db, DRAFT_SUBSCRIBER, 0, 0, NAME_NFC);
	long long b = save(db, DRAFT_DEPART, 4, 2, "");

	assert_int_equal(draft_list(db, collect, &seen, &err), 0);
	assert_int_equal(seen.count, 2);
	assert_int_equal(seen.ids[0], a);
	assert_int_equal(seen.ids[1], b);
	assert_string_equal(seen.forms[1], DRAFT_DEPART);

	assert_int_equal(draft_delete(db, a, &err), 0);
	/* A second kyso that offered the same draft finds it gone. */
	assert_int_equal(draft_delete(db, a, &err), KYSO_ENOTFOUND);
	assert_int_equal(draft_load(db, a, &d, &err), KYSO_ENOTFOUND);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(draft_list(db, collect, &seen, &err), 0);
	assert_int_equal(seen.count, 1);
	assert_int_equal(seen.ids[0], b);
}

static void test_draft_survives_close_and_reopen(void **state)
{
	struct fixture *fx = *state;
	struct kyso_err err = { 0 };
	struct seen seen = { 0 };
	struct draft d;
	long long id = save(fx->db, DRAFT_SUBSCRIBER, 12, 5, NAME_NFD);

	db_close(fx->db);
	fx->db = NULL;
	assert_int_equal(db_open(fx->path, &fx->db, &err), 0);
	assert_int_equal(draft_list(fx->db, collect, &seen, &err), 0);
	assert_int_equal(seen.count, 1);
	assert_int_equal(draft_load(fx->db, id, &d, &err), 0);
	assert_int_equal(d.subscriber_id, 12);
	assert_int_equal(d.base_version, 5);
	assert_string_equal(draft_get(&d, "name"), NAME_NFD);
	draft_free(&d);
}

static int stop_at_first(const struct draft *d, void *ctx)
{
	(void)d;
	(*(int *)ctx)++;
	return 1;
}

static void test_draft_list_stops_when_asked(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	int calls = 0;

	save(db, DRAFT_SUBSCRIBER, 0, 0, "a");
	save(db, DRAFT_SUBSCRIBER, 0, 0, "b");
	assert_int_equal(draft_list(db, stop_at_first, &calls, &err), 0);
	assert_int_equal(calls, 1);
}

#define DB_TEST(f) cmocka_unit_test_setup_teardown(f, setup_db, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draft_set_replaces_and_keeps_order),
		DB_TEST(test_draft_saved_then_loaded_as_typed),
		DB_TEST(test_draft_vietnamese_round_trips_exactly),
		DB_TEST(test_draft_invalid_utf8_refused),
		DB_TEST(test_draft_listed_oldest_first_and_deleted_once),
		DB_TEST(test_draft_survives_close_and_reopen),
		DB_TEST(test_draft_list_stops_when_asked),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
