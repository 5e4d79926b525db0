/*
 * test_err.c - problem lists (core/err.c): a problem that cannot be kept for want of
 * memory still counts, so that the operation that found it refuses (issue 12.6).  The
 * binary is linked with -Wl,--wrap=realloc (Makefile): realloc can be made to fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kyso/err.h"
#include "kyso/settings.h"

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static int realloc_fails;

void *__wrap_realloc(void *p, size_t n)
{
	return realloc_fails ? NULL : __real_realloc(p, n);
}

static void test_a_problem_not_kept_still_counts(void **state)
{
	struct kyso_problems p = { 0 };

	(void)state;
	kyso_problems_add(&p, 3, "Email", "first");
	assert_int_equal(kyso_problems_found(&p), 1);
	while (p.count < p.cap)
		kyso_problems_add(&p, 3, "Email", "room left");
	realloc_fails = 1;
	kyso_problems_add(&p, 4, "Phone", "no room");
	realloc_fails = 0;
	assert_int_equal(p.count, p.cap);	/* not kept ... */
	assert_int_equal(p.lost, 1);
	assert_int_equal(kyso_problems_found(&p), p.count + 1); /* ... but found */
	kyso_problems_clear(&p);
	assert_int_equal(kyso_problems_found(&p), 0);
	kyso_problems_free(&p);
	assert_int_equal(kyso_problems_found(NULL), 0);
}

/* A check that finds a bad value while memory has run out still refuses it. */
static void test_a_check_refuses_when_its_problem_cannot_be_kept(void **state)
{
	struct kyso_problems p = { 0 };

	(void)state;
	realloc_fails = 1;
	assert_true(settings_check("pin_interval_months", "eleventy", &p) > 0);
	realloc_fails = 0;
	assert_int_equal(p.count, 0);
	assert_int_equal(kyso_problems_found(&p), 1);
	kyso_problems_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_problem_not_kept_still_counts),
		cmocka_unit_test(test_a_check_refuses_when_its_problem_cannot_be_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
