/*
 * test_token.c - tokens on a real SQLite file: every allowed transition of the table,
 * driven from the table itself (the state after, the follow-up opened, the follow-ups
 * closed by that very step); a sample of forbidden ones, refused with the reason and
 * nothing written; custody (handover, loans); the PIN clock (a handover does not restart
 * it, the new holder's confirmation does, several at once, all or none); a departure
 * with two tokens; serials compared without case or separators; passwords and PINs kept
 * out of every text; a stale version refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/calendar.h"
#include "kyso/check.h"
#include "kyso/subscriber.h"
#include "kyso/token.h"

#include "store_fixture.h"
#include "token_fixture.h"

/* Helpers ------------------------------------------------------------------------------ */


static long long add_person(struct kyso_db *db, const char *name, const char *email)
{
	return fixture_subscriber(db, KIND_PERSON, name, email);
}

/* Applies a and fails the test when it is refused. */
static long long apply_ok(struct kyso_db *db, long long id, const struct token_act *a)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long step = 0;

	if (token_apply(db, id, a, &step, &problems, &err))
		fail_msg("token_apply(%s): %s (%s: %s)", a->action, err.msg,
			 problems.count ? problems.items[0].column : "",
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	assert_true(step > 0);
	return step;
}

/* Everything an action may take, filled, on date. */
static struct token_act full_act(const char *action, const char *date)
{
	return (struct token_act){
		.action = action, .date = date, .party_name = "Trần Văn Cường",
		.party_position = "Văn thư", .ref = "12/QĐ-SNNMT", .authorised_by = "Lê Văn Bình",
		.until_on = "2026-12-31", .circumstances = "Để quên trên xe buýt",
		.place = "Vĩnh Long", .discovered = "Khi cần ký văn bản", .reason = "expired",
		.password_handed = 1,
	};
}

static void act_ok(struct kyso_db *db, long long id, const char *action, const char *date)
{
	struct token_act a = full_act(action, date);

	apply_ok(db, id, &a);
}

static long long query_int(struct kyso_db *db, const char *sql, long long arg)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static long open_follow_ups(struct kyso_db *db, long long token, const char *kind)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM follow_up WHERE token_id = ? AND "
		 "closed_on IS NULL AND kind = '%s'", kind);
	return (long)query_int(db, sql, token);
}

/* A checksum of every row of the tables a token change writes. */
static long long written(struct kyso_db *db)
{
	return query_int(db, "SELECT (SELECT count(*) FROM token_step) * 1000000 + "
			     "(SELECT count(*) FROM event) * 10000 + (SELECT count(*) FROM audit) * 100 "
			     "+ (SELECT count(*) FROM follow_up) + (SELECT coalesce(sum(version), 0) "
			     "FROM token)", 0);
}

static struct token get_ok(struct kyso_db *db, long long id)
{
	struct kyso_err err = { 0 };
	struct token t;

	if (token_get(db, id, &t, &err))
		fail_msg("token_get: %s", err.msg);
	return t;
}

static void assert_state(struct kyso_db *db, long long id, const char *state)
{
	struct token t = get_ok(db, id);

	if (strcmp(t.state, state))
		fail_msg("token #%lld is %s, expected %s", id, t.state, state);
	token_free(&t);
}

/* Refused with KYSO_EINVAL, nothing written, and a problem holding needle. */
static void refused(struct kyso_db *db, long long id, const struct token_act *a,
		    const char *needle)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long before = written(db);
	size_t i;
	int rc = token_apply(db, id, a, NULL, &problems, &err), seen = 0;

	if (rc != KYSO_EINVAL)
		fail_msg("%s was not refused (rc %d)", a->action, rc);
	assert_int_equal(written(db), before);
	for (i = 0; i < problems.count; i++)
		seen |= strstr(problems.items[i].message, needle) != NULL ||
			strstr(problems.items[i].column, needle) != NULL;
	if (!seen)
		fail_msg("%s: no problem says \"%s\" (first: %s: %s)", a->action, needle,
			 problems.count ? problems.items[0].column : "-",
			 problems.count ? problems.items[0].message : "-");
	kyso_problems_free(&problems);
}

/* The transition table, driven from itself --------------------------------------------- */

/* Brings a new token of subscriber into state, each step on the next day from
 * 2026-02-01; returns the token and the next free day in *day. */
static long long token_in(struct kyso_db *db, long long subscriber, const char *state,
			  const char *serial, int *day)
{
	long long id = fixture_token(db, serial, subscriber, "2026-01-15");
	char date[11];

	*day = 1;
#define NEXT() (snprintf(date, sizeof date, "2026-02-%02d", (*day)++), date)
	if (!strcmp(state, TOKEN_LOCKED) || !strcmp(state, TOKEN_DAMAGED))
		act_ok(db, id, TOKEN_ACT_LOCK, NEXT());
	if (!strcmp(state, TOKEN_DAMAGED))
		act_ok(db, id, TOKEN_ACT_DAMAGE, NEXT());
	if (!strcmp(state, TOKEN_LOST) || !strcmp(state, TOKEN_FOUND))
		act_ok(db, id, TOKEN_ACT_LOSE, NEXT());
	if (!strcmp(state, TOKEN_FOUND))
		act_ok(db, id, TOKEN_ACT_FIND, NEXT());
#undef NEXT
	assert_state(db, id, state);
	return id;
}

/* Opens one follow-up of each kind in the list, as earlier steps would have. */
static void open_each(struct kyso_db *db, long long token, const char *kinds)
{
	char *copy = strdup(kinds), *save = NULL, *k, sql[256];

	for (k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		snprintf(sql, sizeof sql, "INSERT INTO follow_up(kind, token_id, opened_on) "
			 "VALUES ('%s', %lld, '2026-02-01')", k, token);
		assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	free(copy);
}

static void test_every_allowed_transition(void **state)
{
	struct kyso_db *db = db_of(state);
	const struct token_transition *tr;
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	size_t n, i, tested = 0;

	tr = token_transitions(&n);
	assert_true(n >= 20);
	for (i = 0; i < n; i++) {
		char serial[32], date[11];
		struct token_act a = full_act(tr[i].action, NULL);
		struct token t;
		long long id, step;
		int day;

		if (!tr[i].from) /* receive: token_add's step */
			continue;
		snprintf(serial, sizeof serial, "TT-%02zu", i);
		id = token_in(db, owner, tr[i].from, serial, &day);
		if (!strcmp(tr[i].action, TOKEN_ACT_LOAN_END)) {
			snprintf(date, sizeof date, "2026-02-%02d", day++);
			act_ok(db, id, TOKEN_ACT_LEND, date);
		}
		if (tr[i].closes)
			open_each(db, id, tr[i].closes);
		snprintf(date, sizeof date, "2026-02-%02d", day++);
		a.date = date;
		step = apply_ok(db, id, &a);
		t = get_ok(db, id);
		if (strcmp(t.state, tr[i].to))
			fail_msg("%s from %s gave %s, the table says %s", tr[i].action, tr[i].from,
				 t.state, tr[i].to);
		/* the step and its event say what happened */
		assert_int_equal(query_int(db, "SELECT count(*) FROM token_step WHERE id = ? AND "
					       "from_state IS NOT NULL", step), 1);
		assert_int_equal(query_int(db, "SELECT count(*) FROM event WHERE token_id = ? AND kind "
					       "LIKE 'token.%'", id),
				 query_int(db, "SELECT count(*) FROM token_step WHERE token_id = ?", id));
		if (tr[i].opens)
			assert_int_equal(query_int(db, "SELECT count(*) FROM follow_up WHERE step_id = ? "
						       "AND closed_on IS NULL", step), 1);
		if (tr[i].closes) {
			char *copy = strdup(tr[i].closes), *save = NULL, *k;

			for (k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save))
				if (!tr[i].opens || strcmp(k, tr[i].opens))
					if (open_follow_ups(db, id, k))
						fail_msg("%s from %s left %s open", tr[i].action,
							 tr[i].from, k);
			free(copy);
			assert_true(query_int(db, "SELECT count(*) FROM follow_up WHERE "
						  "closed_by_step = ?", step) > 0);
		}
		if (strcmp(tr[i].to, tr[i].from))
			assert_string_equal(t.state_on, date);
		token_free(&t);
		tested++;
	}
	assert_int_equal(tested, n - 1);
}

static void test_table_names_document_and_rule_for_each_row(void **state)
{
	const struct token_transition *tr;
	size_t n, i;

	(void)state;
	tr = token_transitions(&n);
	for (i = 0; i < n; i++) {
		assert_non_null(tr[i].rule);
		assert_true(!strncmp(tr[i].rule, "Art. ", 5));
		assert_non_null(tr[i].to);
		assert_true(strcmp(token_state_label(tr[i].to), "") != 0);
		assert_true(strcmp(token_action_label(tr[i].action), tr[i].action) != 0);
	}
	/* the documents the regulation asks for */
	for (i = 0; i < n; i++) {
		if (!strcmp(tr[i].action, TOKEN_ACT_HANDOVER) || !strcmp(tr[i].action, TOKEN_ACT_REUSE))
			assert_string_equal(tr[i].document, DOC_MINUTES_HANDOVER);
		if (!strcmp(tr[i].action, TOKEN_ACT_LOSE))
			assert_string_equal(tr[i].document, DOC_MINUTES_LOST);
		if (!strcmp(tr[i].action, TOKEN_ACT_RETURN))
			assert_string_equal(tr[i].document, DOC_MINUTES_RETURN);
	}
}

/* Forbidden transitions ------------------------------------------------------------------- */

static void test_forbidden_transitions_say_why_and_write_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), lost, returned, used;
	struct token_act a;
	int day;

	lost = token_in(db, owner, TOKEN_LOST, "F-LOST", &day);
	a = full_act(TOKEN_ACT_HANDOVER, "2026-03-01");
	refused(db, lost, &a,
		"a token in state Lost cannot be handed over; handover needs In use or Locked");
	a = full_act(TOKEN_ACT_LEND, "2026-03-01");
	refused(db, lost, &a, "a loan needs In use");

	used = token_in(db, owner, TOKEN_IN_USE, "F-USED", &day);
	a = full_act(TOKEN_ACT_FIND, "2026-03-01");
	refused(db, used, &a, "finding needs Lost");
	a = full_act(TOKEN_ACT_RECOVER, "2026-03-01");
	refused(db, used, &a, "recovery needs Locked");
	a = full_act(TOKEN_ACT_REUSE, "2026-03-01");
	refused(db, used, &a, "reuse needs Found");
	a = full_act(TOKEN_ACT_RECEIVE, "2026-03-01");
	refused(db, used, &a, "is not a change kyso can record");
	a = full_act("explode", "2026-03-01");
	refused(db, used, &a, "is not a change kyso can record");

	returned = token_in(db, owner, TOKEN_IN_USE, "F-RET", &day);
	act_ok(db, returned, TOKEN_ACT_RETURN, "2026-03-01");
	a = full_act(TOKEN_ACT_PIN, "2026-03-02");
	refused(db, returned, &a, "a token in state Returned cannot be given a PIN change");
	a = full_act(TOKEN_ACT_LOSE, "2026-03-02");
	refused(db, returned, &a, "a loss needs In use, Locked or Damaged");
}

static void test_every_problem_is_listed_at_once(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct token_act a = { .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-13-01",
			       .note = "mật khẩu: 12345678" };

	id = fixture_token(db, "P-1", owner, "2026-01-15");
	assert_int_equal(token_apply(db, id, &a, NULL, &problems, &err), KYSO_EINVAL);
	/* date, successor, position, designation, note */
	assert_true(problems.count >= 5);
	kyso_problems_free(&problems);
	a = (struct token_act){ .action = TOKEN_ACT_LEND, .date = "2026-02-01" };
	assert_int_equal(token_apply(db, id, &a, NULL, &problems, &err), KYSO_EINVAL);
	assert_int_equal(problems.count, 4); /* borrower, permission, permitted by, until */
	kyso_problems_free(&problems);
}

static void test_dates_are_checked(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_act a;

	id = fixture_token(db, "D-1", owner, "2026-03-10");
	a = full_act(TOKEN_ACT_LOCK, "2026-11-26");
	refused(db, id, &a, "is in the future");
	a = full_act(TOKEN_ACT_LOCK, "2026-03-09");
	refused(db, id, &a, "is before the token became In use (10/03/2026)");
	a = full_act(TOKEN_ACT_LOCK, "30/02/2026");
	refused(db, id, &a, "is not a real date");
	act_ok(db, id, TOKEN_ACT_LEND, "2026-04-01");
	a = full_act(TOKEN_ACT_LOAN_END, "2026-03-20");
	refused(db, id, &a, "is before the token's last recorded change (01/04/2026)");
	a = full_act(TOKEN_ACT_LOCK, "05/04/2026"); /* dd/mm/yyyy is read too */
	apply_ok(db, id, &a);
	assert_state(db, id, TOKEN_LOCKED);
	/* no date: today, unless the caller requires one */
	a = (struct token_act){ .action = TOKEN_ACT_RECOVER };
	apply_ok(db, id, &a);
	{
		struct token t = get_ok(db, id);

		assert_string_equal(t.state_on, TODAY);
		token_free(&t);
	}
	a = (struct token_act){ .action = TOKEN_ACT_LOCK, .require_date = 1 };
	refused(db, id, &a, "is required");
}

/* Custody --------------------------------------------------------------------------------- */

static void test_handover_moves_custody_records_password_and_keeps_the_clock(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id, step;
	struct token_act a = { .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-06-10",
			       .party_name = "Trần Văn Cường", .party_position = "Văn thư",
			       .ref = "45/QĐ-SNNMT" };
	struct token t;

	id = fixture_token(db, "H-1", owner, "2026-01-15");
	assert_int_equal(token_pin_confirm(db, &id, 1, "2026-03-01", NULL, NULL, NULL), 0);
	step = apply_ok(db, id, &a);
	t = get_ok(db, id);
	assert_string_equal(t.keeper_name, "Trần Văn Cường");
	assert_string_equal(t.holder_name, "Trần Văn Cường");
	assert_string_equal(t.keeper_position, "Văn thư");
	assert_int_equal(t.pin_pending, 1);
	assert_string_equal(t.pin_changed_on, "2026-03-01"); /* the clock did not restart */
	assert_string_equal(t.pin_due_on, "2026-09-01");
	token_free(&t);
	assert_int_equal(query_int(db, "SELECT password_handed FROM token_step WHERE id = ?", step), 1);
	assert_int_equal(open_follow_ups(db, id, FOLLOW_NEW_HOLDER_PIN), 1);
	/* the new holder confirms a change: the clock restarts, the follow-up closes */
	assert_int_equal(token_pin_confirm(db, &id, 1, "2026-06-20", "Trần Văn Cường", NULL, NULL), 0);
	t = get_ok(db, id);
	assert_int_equal(t.pin_pending, 0);
	assert_string_equal(t.pin_changed_on, "2026-06-20");
	assert_string_equal(t.pin_due_on, "2026-12-20");
	token_free(&t);
	assert_int_equal(open_follow_ups(db, id, FOLLOW_NEW_HOLDER_PIN), 0);
	/* the step names who declared it */
	assert_int_equal(query_int(db, "SELECT count(*) FROM token_step WHERE token_id = ? AND "
				       "action = 'pin' AND party_name = 'Trần Văn Cường'", id), 1);
}

static void test_new_holder_pin_cannot_predate_the_handover(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_act a;

	id = fixture_token(db, "H-2", owner, "2026-01-15");
	act_ok(db, id, TOKEN_ACT_HANDOVER, "2026-06-10");
	a = (struct token_act){ .action = TOKEN_ACT_PIN, .date = "2026-06-01" };
	refused(db, id, &a, "is before the handover to the new holder (10/06/2026)");
}

static void test_handover_to_the_keeper_is_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_act a = full_act(TOKEN_ACT_HANDOVER, "2026-02-01");

	id = fixture_token(db, "H-3", owner, "2026-01-15");
	a.party_name = "nguyen van an"; /* the keeper, written without marks */
	refused(db, id, &a, "keeps the token already");
	a.party_name = NULL;
	a.party_subscriber_id = owner; /* by id: the name comes from the roster */
	refused(db, id, &a, "keeps the token already");
}

/* Art. 14.4: a handover the officer did not confirm went with its password is refused. */
static void test_handover_needs_the_password_confirmed(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_act a = full_act(TOKEN_ACT_HANDOVER, "2026-02-01");

	id = fixture_token(db, "H-4", owner, "2026-01-15");
	a.password_handed = 0;
	refused(db, id, &a, "password was handed over");
	a.password_handed = 1;
	apply_ok(db, id, &a);
}

static void test_handover_designator_defaults_to_head_of_agency(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id, step;
	struct token_act a = full_act(TOKEN_ACT_HANDOVER, "2026-02-01");
	struct kyso_problems problems = { 0 };
	struct agency ag;

	assert_int_equal(agency_get(db, &ag, NULL), 0);
	free(ag.head_name);
	ag.head_name = strdup("Phạm Văn Giám");
	assert_int_equal(agency_update(db, &ag, &problems, NULL), 0);
	agency_free(&ag);
	kyso_problems_free(&problems);
	id = fixture_token(db, "H-4", owner, "2026-01-15");
	a.authorised_by = NULL;
	step = apply_ok(db, id, &a);
	assert_int_equal(query_int(db, "SELECT count(*) FROM token_step WHERE id = ? AND "
				       "authorised_by = 'Phạm Văn Giám'", step), 1);
}

static void test_loans_need_permission_and_end(void **state)
{
	struct kyso_db *db = db_of(state);
	long long org = fixture_subscriber(db, KIND_ORG, "Sở Nông nghiệp", "snn@" DOMAIN), id;
	struct token_new tn = { .serial = "ORG-1", .subscriber_id = org, .keeper_name = "Lê Thị Văn",
				.keeper_position = "Văn thư", .received_on = "2026-01-15" };
	struct token_act a;
	struct token t;

	assert_int_equal(token_add(db, &tn, &id, NULL, NULL), 0);
	a = full_act(TOKEN_ACT_LEND, "2026-02-01");
	a.party_name = "Lê Thị Văn";
	refused(db, id, &a, "keeps the token: a loan is to someone else");
	a = full_act(TOKEN_ACT_LOAN_END, "2026-02-01");
	refused(db, id, &a, "the token is not lent");
	a = full_act(TOKEN_ACT_LEND, "2026-02-01");
	a.until_on = "2026-01-31";
	refused(db, id, &a, "is before the loan begins");
	a = full_act(TOKEN_ACT_LEND, "2026-02-01");
	apply_ok(db, id, &a);
	t = get_ok(db, id);
	assert_string_equal(t.keeper_name, "Lê Thị Văn");
	assert_string_equal(t.holder_name, "Trần Văn Cường");
	assert_string_equal(t.loan_ref, "12/QĐ-SNNMT");
	assert_string_equal(t.loan_by, "Lê Văn Bình");
	assert_string_equal(t.loan_until, "2026-12-31");
	token_free(&t);
	assert_int_equal(query_int(db, "SELECT count(*) FROM follow_up WHERE token_id = ? AND kind = "
				       "'loan_return' AND due_on = '2026-12-31' AND closed_on IS NULL", id), 1);
	a = full_act(TOKEN_ACT_LEND, "2026-02-02");
	a.party_name = "Võ Văn Khác";
	refused(db, id, &a, "the token is lent already");
	act_ok(db, id, TOKEN_ACT_LOAN_END, "2026-02-05");
	t = get_ok(db, id);
	assert_string_equal(t.holder_name, "Lê Thị Văn");
	assert_null(t.loan_until);
	token_free(&t);
	assert_int_equal(open_follow_ups(db, id, FOLLOW_LOAN), 0);
}

static void test_reuse_refused_after_revocation(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_act a;
	char sql[512];
	int day;

	id = token_in(db, owner, TOKEN_FOUND, "R-1", &day);
	/* a certificate revoked before the loss does not count */
	snprintf(sql, sizeof sql, "INSERT INTO certificate(subscriber_id, token_id, serial, "
		 "not_before, not_after, status, revoked_on, created_at, updated_at) VALUES "
		 "(%lld, %lld, 'AA01', '2025-01-01', '2028-01-01', 'revoked', '2026-01-20', 'x', 'x')",
		 owner, id);
	assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "INSERT INTO certificate(subscriber_id, token_id, serial, "
		 "not_before, not_after, status, revoked_on, created_at, updated_at) VALUES "
		 "(%lld, %lld, 'BB02', '2026-01-01', '2029-01-01', 'revoked', '2026-02-03', 'x', 'x')",
		 owner, id);
	assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL), SQLITE_OK);
	a = full_act(TOKEN_ACT_REUSE, "2026-02-10");
	refused(db, id, &a, "found after revocation: hand it back");
	assert_int_equal(sqlite3_exec(db->sql, "DELETE FROM certificate WHERE serial = 'BB02'", NULL,
				      NULL, NULL), SQLITE_OK);
	apply_ok(db, id, &a);
	assert_state(db, id, TOKEN_IN_USE);
}

static void test_lost_token_opens_revocation_and_ends_loan(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token t;

	id = fixture_token(db, "L-1", owner, "2026-01-15");
	act_ok(db, id, TOKEN_ACT_LEND, "2026-02-01");
	act_ok(db, id, TOKEN_ACT_LOSE, "2026-02-03");
	t = get_ok(db, id);
	assert_null(t.loan_until);
	assert_null(t.pin_due_on); /* a lost token keeps no PIN clock */
	token_free(&t);
	assert_int_equal(open_follow_ups(db, id, FOLLOW_LOAN), 0);
	assert_int_equal(open_follow_ups(db, id, FOLLOW_REVOCATION), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM token_step WHERE token_id = ? AND "
				       "action = 'lose' AND circumstances = 'Để quên trên xe buýt' AND "
				       "place = 'Vĩnh Long' AND discovered IS NOT NULL", id), 1);
	act_ok(db, id, TOKEN_ACT_REVOCATION_ASKED, "2026-02-04");
	assert_int_equal(open_follow_ups(db, id, FOLLOW_REVOCATION), 0);
	assert_state(db, id, TOKEN_LOST);
}

/* The PIN clock ------------------------------------------------------------------------------ */

static void test_pin_confirm_is_all_or_none(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), ids[3];
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long before;
	struct token t;

	ids[0] = fixture_token(db, "PIN-1", owner, "2026-01-15");
	ids[1] = fixture_token(db, "PIN-2", owner, "2026-05-01");
	ids[2] = fixture_token(db, "PIN-3", owner, "2026-01-15");
	before = written(db);
	/* PIN-2 was received after the date given: nothing is confirmed */
	assert_int_equal(token_pin_confirm(db, ids, 3, "2026-04-01", NULL, &problems, &err),
			 KYSO_EINVAL);
	assert_int_equal(written(db), before);
	assert_int_equal(problems.count, 1);
	assert_non_null(strstr(problems.items[0].column, "PIN-2"));
	assert_non_null(strstr(err.msg, "1 of 3"));
	kyso_problems_free(&problems);
	/* a token named twice */
	ids[1] = ids[0];
	assert_int_equal(token_pin_confirm(db, ids, 2, "2026-06-01", NULL, &problems, &err),
			 KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "twice"));
	kyso_problems_free(&problems);
	ids[1] = ids[2];
	assert_int_equal(token_pin_confirm(db, ids, 2, "2026-06-01", NULL, &problems, &err), 0);
	t = get_ok(db, ids[1]);
	assert_string_equal(t.pin_changed_on, "2026-06-01");
	assert_string_equal(t.pin_due_on, "2026-12-01");
	token_free(&t);
	/* the date is required */
	assert_int_equal(token_pin_confirm(db, ids, 1, NULL, NULL, &problems, &err), KYSO_EINVAL);
	kyso_problems_free(&problems);
	/* and never moves the clock back */
	assert_int_equal(token_pin_confirm(db, ids, 1, "2026-05-01", NULL, &problems, &err),
			 KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "last PIN change"));
	kyso_problems_free(&problems);
}

static void test_pin_interval_is_a_setting(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token t;

	id = fixture_token(db, "PIN-S", owner, "2026-08-31");
	t = get_ok(db, id);
	assert_null(t.pin_changed_on);
	assert_string_equal(t.pin_due_on, "2027-02-28"); /* from receipt; the month's last day */
	token_free(&t);
	assert_int_equal(token_pin_interval_months(db), 6);
	assert_int_equal(token_pin_warn_days(db), 30);
	assert_int_equal(setting_set(db, SETTING_PIN_INTERVAL_MONTHS, "3", NULL), 0);
	t = get_ok(db, id);
	assert_string_equal(t.pin_due_on, "2026-11-30");
	token_free(&t);
	/* a value written past kyso that breaks the rule is not used */
	assert_int_equal(setting_set(db, SETTING_PIN_INTERVAL_MONTHS, "40", NULL), 0);
	assert_int_equal(token_pin_interval_months(db), 6);
}

/* Departure (Art. 14.4) ------------------------------------------------------------------- */

static void test_departure_with_two_tokens(void **state)
{
	struct kyso_db *db = db_of(state);
	long long clerk = add_person(db, "Lê Thị Văn", "vanlt@" DOMAIN);
	long long org = fixture_subscriber(db, KIND_ORG, "Sở Nông nghiệp", "snn@" DOMAIN);
	struct token_new agency_token = { .serial = "AG-01", .subscriber_id = org,
					  .keeper_subscriber_id = clerk,
					  .received_on = "2026-01-10" };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long own, kept, other;
	long n;
	struct token t;

	own = fixture_token(db, "OWN-01", clerk, "2026-01-10");
	assert_int_equal(token_add(db, &agency_token, &kept, NULL, NULL), 0);
	t = get_ok(db, kept);
	assert_string_equal(t.keeper_name, "Lê Thị Văn"); /* from the roster */
	assert_int_equal(t.keeper_subscriber_id, clerk);
	token_free(&t);
	other = fixture_token(db, "LOST-01", clerk, "2026-01-10");
	act_ok(db, other, TOKEN_ACT_LOSE, "2026-02-01"); /* lost: accounted for */

	assert_int_equal(subscriber_depart(db, clerk, "2026-10-01", "transferred", NULL, 0,
					   &problems, &err), 0);
	assert_int_equal(token_unaccounted(db, clerk, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(open_follow_ups(db, own, FOLLOW_DEPARTURE), 1);
	assert_int_equal(open_follow_ups(db, kept, FOLLOW_DEPARTURE), 1);
	assert_int_equal(open_follow_ups(db, other, FOLLOW_DEPARTURE), 0);

	act_ok(db, kept, TOKEN_ACT_HANDOVER, "2026-10-02");
	assert_int_equal(token_unaccounted(db, clerk, &n, &err), 0);
	assert_int_equal(n, 1);
	act_ok(db, own, TOKEN_ACT_RETURN, "2026-10-03");
	assert_int_equal(token_unaccounted(db, clerk, &n, &err), 0);
	assert_int_equal(n, 0);
	kyso_problems_free(&problems);
}

static void test_refused_departure_opens_nothing(void **state)
{
	struct kyso_db *db = db_of(state);
	long long clerk = add_person(db, "Lê Thị Văn", "vanlt@" DOMAIN);
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	fixture_token(db, "OWN-02", clerk, "2026-01-10");
	assert_int_equal(subscriber_depart(db, clerk, "2026-10-01", "left", NULL, 99, &problems,
					   &err), KYSO_ECONFLICT);
	assert_int_equal(query_int(db, "SELECT count(*) FROM follow_up", 0), 0);
	kyso_problems_free(&problems);
}

/* Registry --------------------------------------------------------------------------------- */

static void test_serials_are_unique_without_case_or_separators(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id, found;
	struct token_new t = { .serial = "ab 12-34", .subscriber_id = owner };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	id = fixture_token(db, "AB-1234", owner, NULL);
	assert_int_equal(token_add(db, &t, &found, &problems, &err), KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "is recorded already"));
	kyso_problems_free(&problems);
	assert_int_equal(token_find(db, "ab1234", &found, &err), 0);
	assert_int_equal(found, id);
	assert_int_equal(token_find(db, " AB 1234 ", &found, &err), 0);
	assert_int_equal(found, id);
	assert_int_equal(token_find(db, "XYZ", &found, &err), KYSO_ENOTFOUND);
	assert_non_null(strstr(err.msg, "XYZ"));
}

static void test_add_lists_every_problem(void **state)
{
	struct kyso_db *db = db_of(state);
	long long org = fixture_subscriber(db, KIND_ORG, "Sở Nông nghiệp", "snn@" DOMAIN), id;
	struct token_new t = { .serial = "  ", .subscriber_id = org, .kind = (enum token_kind)7,
			       .received_on = "2099-01-01", .pin_changed_on = "hôm qua",
			       .note = "PIN là 123456" };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	assert_int_equal(token_add(db, &t, &id, &problems, &err), KYSO_EINVAL);
	/* serial, kind, keeper (an organisation's token), received, PIN date, note */
	assert_int_equal(problems.count, 6);
	assert_int_equal(query_int(db, "SELECT count(*) FROM token", 0), 0);
	kyso_problems_free(&problems);
	t = (struct token_new){ .serial = "X1", .subscriber_id = 999 };
	assert_int_equal(token_add(db, &t, &id, &problems, &err), KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "no subscriber #999"));
	kyso_problems_free(&problems);
}

static void test_a_departed_subscriber_gets_no_new_token(void **state)
{
	struct kyso_db *db = db_of(state);
	long long p = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_new t = { .serial = "X2", .subscriber_id = p };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };

	assert_int_equal(subscriber_depart(db, p, "2026-10-01", "left", NULL, 0, &problems, &err), 0);
	assert_int_equal(token_add(db, &t, &id, &problems, &err), KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "has departed"));
	kyso_problems_free(&problems);
}

static void test_stale_version_is_a_conflict(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id, before;
	struct token_act a = full_act(TOKEN_ACT_LOCK, "2026-02-01");
	struct kyso_err err = { 0 };
	struct token t;

	id = fixture_token(db, "V-1", owner, "2026-01-15");
	t = get_ok(db, id);
	assert_int_equal(t.version, 1);
	token_free(&t);
	a.expect_version = 1;
	apply_ok(db, id, &a);
	before = written(db);
	a = full_act(TOKEN_ACT_RECOVER, "2026-02-02");
	a.expect_version = 1;
	assert_int_equal(token_apply(db, id, &a, NULL, NULL, &err), KYSO_ECONFLICT);
	assert_non_null(strstr(err.msg, "version 2, yours 1"));
	assert_int_equal(written(db), before);
	a.expect_version = 2;
	apply_ok(db, id, &a);
}

/* Passwords and PINs ------------------------------------------------------------------------ */

/* A PIN change is overdue once its day has passed, on that day it is only due; a state
 * without the clock (no day) is never overdue. */
static void test_pin_overdue(void **state)
{
	char due[11];

	(void)state;
	token_pin_due(TOKEN_IN_USE, "2026-05-31", "2026-01-10", 6, due);
	assert_string_equal(due, "2026-11-30");
	assert_false(token_pin_overdue(due, "2026-11-29"));
	assert_false(token_pin_overdue(due, "2026-11-30"));
	assert_true(token_pin_overdue(due, "2026-12-01"));
	token_pin_due(TOKEN_LOST, "2026-01-31", "2026-01-10", 6, due);
	assert_string_equal(due, "");
	assert_false(token_pin_overdue(due, "2027-12-01"));
	assert_false(token_pin_overdue(NULL, "2027-12-01"));
}

static void test_secret_detection(void **state)
{
	static const char *const secrets[] = {
		"mật khẩu: 12345678", "Mật khẩu là abc@123", "mat khau 123456", "MẬT KHẨU=Xyz789",
		"PIN: 1234", "pin=87654321", "Mã PIN là 246810", "PIN 135790", "password: hunter2",
		"Password is S3cret!x", "passcode 998877", "mk: 112233", "mật khẩu mới là 99887766",
		"Bàn giao token, mật khẩu mặc định 12345678", "pin12345678", "pass: qwerty12",
		"mật khẩu \"trang123\"", "Mật khẩu của token là vinhlong",
		/* decomposed (NFD) Vietnamese */
		"ma\xcc\xa3\xcc\x82t kha\xcc\x89u: 12345678",
	};
	static const char *const clean[] = {
		"Đã bàn giao mật khẩu cho người nhận", "PIN đã đổi ngày 12/05/2026",
		"Mật khẩu đã được đổi", "Thay pin cho máy", "password handed over",
		"Đổi mật khẩu 6 tháng một lần", "PIN changed on 12/05/2026", "passport 0123456",
		"Người nhận đổi PIN ngay", "Ghi chú bình thường", "spinning 1234", "",
		"mật khẩu 12/05/2026", "the password is changed",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (!text_has_secret(secrets[i]))
			fail_msg("not seen as a secret: %s", secrets[i]);
	for (i = 0; i < sizeof clean / sizeof clean[0]; i++)
		if (text_has_secret(clean[i]))
			fail_msg("seen as a secret: %s", clean[i]);
	assert_false(text_has_secret(NULL));
}

static void test_secrets_are_refused_everywhere_and_never_stored(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id;
	struct token_new t = { .serial = "S-1", .subscriber_id = owner, .note = "mật khẩu: 86421357" };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct token_act a;

	assert_int_equal(token_add(db, &t, &id, &problems, &err), KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "password or PIN"));
	assert_null(strstr(problems.items[0].message, "86421357")); /* never repeated */
	kyso_problems_free(&problems);
	id = fixture_token(db, "S-1", owner, "2026-01-15");
	a = full_act(TOKEN_ACT_HANDOVER, "2026-02-01");
	a.note = "mật khẩu là 86421357";
	refused(db, id, &a, "password or PIN");
	a = full_act(TOKEN_ACT_LOSE, "2026-02-01");
	a.circumstances = "Mất cùng tờ giấy ghi PIN: 86421357";
	refused(db, id, &a, "password or PIN");
	assert_int_equal(query_int(db, "SELECT count(*) FROM token_step WHERE note LIKE '%86421357%' "
				       "OR circumstances LIKE '%86421357%'", 0), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE payload LIKE '%86421357%'", 0),
			 0);
}

/* Lists ------------------------------------------------------------------------------------- */

static int collect_serial(const struct token_row *r, void *ctx)
{
	char *out = ctx;

	strcat(out, r->serial);
	strcat(out, " ");
	return 0;
}

static void list_is(struct kyso_db *db, const struct token_query *q, const char *want)
{
	char got[512] = "";
	struct kyso_err err = { 0 };
	long n = -1;

	assert_int_equal(token_list(db, q, collect_serial, got, &err), 0);
	assert_string_equal(got, want);
	long spaces = 0;
	const char *c;

	assert_int_equal(token_count(db, q, &n, &err), 0);
	for (c = want; *c; c++)
		spaces += *c == ' ';
	if (q->limit == 0)
		assert_int_equal(n, spaces);
}

static void test_list_filters_and_search(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long binh = add_person(db, "Đặng Thị Bình", "binhdt@" DOMAIN);
	long long b, c;
	struct token_query q = { 0 };
	long n;

	fixture_token(db, "C-003", an, "2026-01-15");
	b = fixture_token(db, "A-001", binh, "2026-01-15");
	c = fixture_token(db, "B-002", an, "2026-01-15");
	act_ok(db, c, TOKEN_ACT_LOSE, "2026-02-01");
	act_ok(db, b, TOKEN_ACT_LEND, "2026-02-01"); /* to Trần Văn Cường */

	list_is(db, &q, "A-001 B-002 C-003 ");
	q.state = "active";
	list_is(db, &q, "A-001 C-003 ");
	q.state = TOKEN_LOST;
	list_is(db, &q, "B-002 ");
	q = (struct token_query){ .subscriber_id = an };
	list_is(db, &q, "B-002 C-003 ");
	q = (struct token_query){ .holder = "cuong" };
	list_is(db, &q, "A-001 ");
	q = (struct token_query){ .search = "dang binh" };
	list_is(db, &q, "A-001 ");
	q = (struct token_query){ .search = "c003" };
	list_is(db, &q, "C-003 ");
	q = (struct token_query){ .search = "nguyen", .limit = 1 };
	list_is(db, &q, "B-002 ");
	q = (struct token_query){ .keeper_id = an };
	list_is(db, &q, "B-002 C-003 ");
	q = (struct token_query){ .search = "nobody" };
	assert_int_equal(token_count(db, &q, &n, NULL), 0);
	assert_int_equal(n, 0);
}

/* History ------------------------------------------------------------------------------------ */

struct history {
	char actions[256];
	int password_said;
};

static int collect_step(const struct token_step *s, void *ctx)
{
	struct history *h = ctx;

	strcat(h->actions, s->action);
	strcat(h->actions, " ");
	if (s->password_handed == 1)
		h->password_said++;
	return 0;
}

static void test_history_and_document_links(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id, step, last;
	struct kyso_err err = { 0 };
	struct history h = { "", 0 };
	char sql[256];

	id = fixture_token(db, "HIS-1", owner, "2026-01-15");
	act_ok(db, id, TOKEN_ACT_LOCK, "2026-02-01");
	act_ok(db, id, TOKEN_ACT_RECOVER, "2026-02-02");
	step = apply_ok(db, id, &(struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1,
						    .date = "2026-02-03", .party_name = "Trần Cường",
						    .party_position = "Văn thư", .ref = "1/QĐ" });
	assert_int_equal(token_steps(db, id, collect_step, &h, &err), 0);
	assert_string_equal(h.actions, "receive lock recover handover ");
	assert_int_equal(h.password_said, 1);
	assert_int_equal(token_last_step(db, id, TOKEN_ACT_HANDOVER, &last, &err), 0);
	assert_int_equal(last, step);
	assert_int_equal(token_last_step(db, id, TOKEN_ACT_LOSE, &last, &err), 0);
	assert_int_equal(last, 0);
	snprintf(sql, sizeof sql, "INSERT INTO document(id, kind, form_set, year, number, symbol, "
		 "doc_date, title, content, sha256, actor, created_at) VALUES (7, '%s', 'nd68', 2026, "
		 "5, 'BB-SNNMT', '2026-02-03', 't', '{}', 'x', 'test', 'x')", DOC_MINUTES_HANDOVER);
	assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(token_steps_set_document_tx(db, &step, 1, 7, &err), 0);
	assert_int_equal(query_int(db, "SELECT document_id FROM token_step WHERE id = ?", step), 7);
	last = 987654;
	assert_int_equal(token_steps_set_document_tx(db, &last, 1, 7, &err), KYSO_ENOTFOUND);
}

static int grab_number(const struct token_step *s, void *ctx)
{
	snprintf(ctx, 32, "%s", s->document_number ? s->document_number : "");
	return 0;
}

static void test_step_names_its_document_number(void **state)
{
	struct kyso_db *db = db_of(state);
	long long owner = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN), id, step;
	struct kyso_err err = { 0 };
	char number[32] = "";

	id = fixture_token(db, "DOC-1", owner, "2026-01-15");
	step = apply_ok(db, id, &(struct token_act){ .action = TOKEN_ACT_RETURN,
						    .date = "2026-02-03" });
	assert_int_equal(sqlite3_exec(db->sql, "INSERT INTO document(id, kind, form_set, year, "
				      "number, symbol, doc_date, title, content, sha256, actor, "
				      "created_at) VALUES (3, 'minutes_return', 'nd68', 2026, 5, "
				      "'BB-SNNMT', '2026-02-03', 't', '{}', 'x', 'test', 'x')", NULL,
				      NULL, NULL), SQLITE_OK);
	assert_int_equal(token_steps_set_document_tx(db, &step, 1, 3, &err), 0);
	assert_int_equal(token_step_get(db, step, grab_number, number, &err), 0);
	assert_string_equal(number, "05/BB-SNNMT");
	assert_int_equal(token_step_get(db, 4242, grab_number, number, &err), KYSO_ENOTFOUND);
}

/* Calendar ------------------------------------------------------------------------------------ */

static void test_calendar(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(calendar_add_months("2026-08-31", 6, out), 0);
	assert_string_equal(out, "2027-02-28");
	assert_int_equal(calendar_add_months("2027-08-31", 6, out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(calendar_add_months("2026-01-15", -2, out), 0);
	assert_string_equal(out, "2025-11-15");
	/* the first day whose clock of 6 months reaches the day given */
	assert_int_equal(calendar_months_before("2027-03-01", 6, out), 0);
	assert_string_equal(out, "2026-09-01");
	assert_int_equal(calendar_months_before("2027-08-31", 6, out), 0);
	assert_string_equal(out, "2027-03-01");
	assert_int_equal(calendar_months_before("2027-02-28", 6, out), 0);
	assert_string_equal(out, "2026-08-28");
	assert_int_equal(calendar_weekday("2026-11-25"), 2); /* a Wednesday */
	/* Friday + 5 working days = the next Friday */
	assert_int_equal(calendar_add_working_days("2026-11-27", 5, out), 0);
	assert_string_equal(out, "2026-12-04");
	assert_int_equal(calendar_add_working_days("2026-11-28", 1, out), 0); /* Saturday */
	assert_string_equal(out, "2026-11-30");
	assert_int_equal(calendar_working_days_between("2026-11-27", "2026-12-04"), 5);
	assert_int_equal(calendar_days_between("2026-02-27", "2026-03-01"), 2);
	assert_int_equal(calendar_add_days("2024-02-28", 1, out), 0);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(calendar_add_days("2026-02-30", 1, out), -1);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup_agency, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_every_allowed_transition),
		cmocka_unit_test(test_table_names_document_and_rule_for_each_row),
		TEST(test_forbidden_transitions_say_why_and_write_nothing),
		TEST(test_every_problem_is_listed_at_once),
		TEST(test_dates_are_checked),
		TEST(test_handover_moves_custody_records_password_and_keeps_the_clock),
		TEST(test_new_holder_pin_cannot_predate_the_handover),
		TEST(test_handover_to_the_keeper_is_refused),
		TEST(test_handover_needs_the_password_confirmed),
		TEST(test_handover_designator_defaults_to_head_of_agency),
		TEST(test_loans_need_permission_and_end),
		TEST(test_reuse_refused_after_revocation),
		TEST(test_lost_token_opens_revocation_and_ends_loan),
		TEST(test_pin_confirm_is_all_or_none),
		TEST(test_pin_interval_is_a_setting),
		TEST(test_departure_with_two_tokens),
		TEST(test_refused_departure_opens_nothing),
		TEST(test_serials_are_unique_without_case_or_separators),
		TEST(test_add_lists_every_problem),
		TEST(test_a_departed_subscriber_gets_no_new_token),
		TEST(test_stale_version_is_a_conflict),
		cmocka_unit_test(test_pin_overdue),
		cmocka_unit_test(test_secret_detection),
		TEST(test_secrets_are_refused_everywhere_and_never_stored),
		TEST(test_list_filters_and_search),
		TEST(test_history_and_document_links),
		TEST(test_step_names_its_document_number),
		cmocka_unit_test(test_calendar),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
