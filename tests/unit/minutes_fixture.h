/*
 * minutes_fixture.h - what the register's and the minutes' unit tests share on top of
 * store_fixture.h: people on the roster, token changes that must succeed, and counting
 * rows.  Static, as store_fixture.h is.
 */
#ifndef KYSO_TESTS_MINUTES_FIXTURE_H
#define KYSO_TESTS_MINUTES_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "kyso/subscriber.h"
#include "kyso/token.h"

/* Adds a person (position "Chuyên viên", in unit when not NULL); returns the id. */
static inline long long fx_add_person(struct kyso_db *db, const char *name, const char *email,
				      const char *id_number, const char *unit)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;
	long long id;

	subscriber_init(&s);
	s.name = strdup(name);
	s.email = strdup(email);
	s.position = strdup("Chuyên viên");
	s.id_number = strdup(id_number);
	s.unit = unit ? strdup(unit) : NULL;
	if (subscriber_add(db, &s, &problems, &err))
		fail_msg("subscriber_add(%s): %s", name, err.msg);
	id = s.id;
	subscriber_free(&s);
	kyso_problems_free(&problems);
	return id;
}

/* Applies a to token; the test fails when it is refused.  Returns the step. */
static inline long long fx_apply(struct kyso_db *db, long long token, struct token_act a)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long step = 0;

	if (token_apply(db, token, &a, &step, &problems, &err))
		fail_msg("token_apply(%s): %s (%s)", a.action, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	return step;
}

/* The first column of the first row of sql. */
static inline long long fx_count(struct kyso_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

#endif
