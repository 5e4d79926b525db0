/*
 * test_change_mark.c - db_change_mark, what the interface reads to know that the store
 * changed under a screen: it moves after a change committed through the same connection
 * and after one committed through another (another kyso on the same file), and stays put
 * while nothing is written, reads included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_fixture.h"

static void add_unit(struct kyso_db *db, const char *name)
{
	struct kyso_err err = { 0 };
	long long id = 0;

	assert_int_equal(unit_add(db, name, NULL, NULL, &id, &err), 0);
	assert_true(id > 0);
}

static void test_mark_stays_while_nothing_is_written(void **state)
{
	struct kyso_db *db = db_of(state);
	long long before = db_change_mark(db);
	char *value;

	assert_true(before >= 0);
	value = setting_get(db, "language"); /* a read */
	free(value);
	assert_true(db_change_mark(db) == before);
	assert_true(db_change_mark(db) == before);
}

static void test_mark_moves_after_a_change_on_this_connection(void **state)
{
	struct kyso_db *db = db_of(state);
	long long before = db_change_mark(db);

	add_unit(db, "Phòng Kế hoạch");
	assert_true(db_change_mark(db) != before);
}

static void test_mark_moves_after_a_change_on_another_connection(void **state)
{
	struct fixture *fx = *state;
	struct kyso_err err = { 0 };
	struct kyso_db *other = NULL;
	long long before = db_change_mark(fx->db), after;

	assert_int_equal(db_open(fx->path, &other, &err), 0);
	add_unit(other, "Văn phòng Sở");
	after = db_change_mark(fx->db);
	assert_true(after != before);
	assert_true(db_change_mark(fx->db) == after);
	db_close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mark_stays_while_nothing_is_written, setup_agency,
						teardown),
		cmocka_unit_test_setup_teardown(test_mark_moves_after_a_change_on_this_connection,
						setup_agency, teardown),
		cmocka_unit_test_setup_teardown(test_mark_moves_after_a_change_on_another_connection,
						setup_agency, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
