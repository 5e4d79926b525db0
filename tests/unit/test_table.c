/*
 * test_table.c - what a table's source uses to make its rows, without a terminal: a row
 * and its strings in one allocation (the texts copied, NULL kept, room for a sort key),
 * and the page a list's callback fills - stopping when full, and dropping what it held
 * when a row could not be made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/i18n.h"
#include "widgets/table.h"

struct sample_row {
	long long id;
	const char *name, *unit, *note;
	char data[];
};

static const size_t at[3] = { offsetof(struct sample_row, name), offsetof(struct sample_row, unit),
			      offsetof(struct sample_row, note) };

static void test_table_row_pack_copies_texts_after_the_key(void **state)
{
	const char *texts[3] = { "Nguyễn Thị Ánh", NULL, "" };
	struct sample_row *r;

	(void)state;
	r = table_row_pack(offsetof(struct sample_row, data), 4, texts, at, 3);
	assert_non_null(r);
	assert_int_equal(r->id, 0);
	memcpy(r->data, "KEY!", 4); /* the room asked for, before the strings */
	assert_string_equal(r->name, "Nguyễn Thị Ánh");
	assert_ptr_not_equal(r->name, texts[0]);
	assert_null(r->unit);
	assert_string_equal(r->note, "");
	assert_true(r->name >= r->data + 4);
	assert_memory_equal(r->data, "KEY!", 4);
	free(r);
}

static void test_table_page_stops_when_full_and_drops_on_failure(void **state)
{
	const char *texts[3] = { "a", "b", "c" };
	void *rows[2];
	struct table_page p = { rows, 0, 2, 0 };
	struct kyso_err err = { 0 };

	(void)state;
	assert_int_equal(table_page_add(&p, table_row_pack(sizeof(struct sample_row), 0, texts, at, 3)), 0);
	assert_int_not_equal(table_page_add(&p, table_row_pack(sizeof(struct sample_row), 0, texts, at, 3)), 0);
	assert_int_equal(table_page_end(&p, 0, &err), 2);
	free(rows[0]);
	free(rows[1]);
	p = (struct table_page){ rows, 0, 2, 0 };
	table_page_add(&p, table_row_pack(sizeof(struct sample_row), 0, texts, at, 3));
	assert_int_not_equal(table_page_add(&p, NULL), 0); /* a row that could not be made */
	assert_int_equal(table_page_end(&p, 0, &err), -1);
	assert_int_equal(p.n, 0); /* what it held is freed (the sanitizer checks) */
}

static int group_setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	kyso_i18n_init("en");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_row_pack_copies_texts_after_the_key),
		cmocka_unit_test(test_table_page_stops_when_full_and_drops_on_failure),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
