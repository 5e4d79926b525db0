/*
 * test_cert.c - certificates recorded by hand on a real SQLite file: serials normalised
 * (hex, upper case, no separators) and unique; the token's subscriber; validity limits
 * (5 years new, 3 renewed); a revoked status needs its date; events dated as the notice
 * says; a revocation closes a lost token's revocation follow-up; states as of a day.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/cert.h"
#include "kyso/subscriber.h"
#include "kyso/token.h"

#include "store_fixture.h"
#include "token_fixture.h"

static long long add_person(struct kyso_db *db, const char *name, const char *email)
{
	return fixture_subscriber(db, KIND_PERSON, name, email);
}

static long long add_token(struct kyso_db *db, const char *serial, long long subscriber)
{
	return fixture_token(db, serial, subscriber, "2025-01-10");
}

static long long add_ok(struct kyso_db *db, const struct cert_new *c)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long id = 0;

	if (cert_add(db, c, &id, &problems, &err))
		fail_msg("cert_add(%s): %s (%s: %s)", c->serial, err.msg,
			 problems.count ? problems.items[0].column : "",
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	return id;
}

static long long query_int(struct kyso_db *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *query_text(struct kyso_db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static long long written(struct kyso_db *db)
{
	return query_int(db, "SELECT (SELECT count(*) FROM certificate) * 1000000 + "
			     "(SELECT count(*) FROM event) * 1000 + (SELECT count(*) FROM audit) + "
			     "(SELECT coalesce(sum(version), 0) FROM certificate) * 7");
}

/* Refused with every problem: count problems, one of them holding needle; nothing written. */
static void add_refused(struct kyso_db *db, const struct cert_new *c, size_t count,
			const char *needle)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long before = written(db), id = 7;
	size_t i;
	int seen = 0;

	assert_int_equal(cert_add(db, c, &id, &problems, &err), KYSO_EINVAL);
	assert_int_equal(id, 0);
	assert_int_equal(written(db), before);
	for (i = 0; i < problems.count; i++)
		seen |= strstr(problems.items[i].message, needle) != NULL;
	if (!seen || (count && problems.count != count))
		fail_msg("%zu problems (wanted %zu), none with \"%s\"; first: %s", problems.count,
			 count, needle, problems.count ? problems.items[0].message : "-");
	kyso_problems_free(&problems);
}

static void test_add_on_a_token_takes_its_subscriber(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long tok = add_token(db, "TK-1", an), id;
	struct cert_new c = { .serial = "5a:3f:00:9B", .token_id = tok, .not_before = "2025-01-10",
			      .not_after = "2028-01-09", .subject = "CN=Nguyễn Văn An" };
	struct kyso_err err = { 0 };
	struct cert got;
	char *s;

	id = add_ok(db, &c);
	assert_int_equal(cert_get(db, id, &got, &err), 0);
	assert_string_equal(got.serial, "5A3F009B");
	assert_int_equal(got.subscriber_id, an);
	assert_string_equal(got.subscriber_name, "Nguyễn Văn An");
	assert_string_equal(got.token_serial, "TK-1");
	assert_string_equal(got.issuance, CERT_NEW);
	assert_string_equal(got.status, "valid");
	assert_string_equal(got.source, "manual");
	assert_int_equal(got.version, 1);
	cert_free(&got);
	/* the event is dated as the certificate, and names it and its token */
	s = query_text(db, "SELECT on_date || ' ' || certificate_id || ' ' || token_id FROM event "
			   "WHERE kind = 'cert.issued'");
	assert_non_null(s);
	assert_string_equal(s, "2025-01-10 1 1");
	free(s);
	assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE action = 'cert.add'"), 1);
	/* the token knows when its certificates end */
	s = query_text(db, "SELECT cert_end_on FROM token");
	assert_string_equal(s, "2028-01-10");
	free(s);
	assert_int_equal(cert_find(db, "5A 3F 00 9b", &id, &err), 0);
	assert_int_equal(id, 1);
	assert_int_equal(cert_find(db, "ZZ", &id, &err), KYSO_ENOTFOUND);
	assert_int_equal(cert_find(db, "00", &id, &err), KYSO_ENOTFOUND);
}

static void test_serial_must_be_hex_and_unique(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	struct cert_new c = { .serial = "AB12", .subscriber_id = an, .not_before = "2025-01-10",
			      .not_after = "2026-01-09" };

	add_ok(db, &c);
	c.serial = "ab:12";
	add_refused(db, &c, 1, "is recorded already");
	c.serial = "XY-12";
	add_refused(db, &c, 1, "is not a certificate serial");
	c.serial = NULL;
	add_refused(db, &c, 1, "is required");
}

static void test_token_of_another_subscriber_is_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long binh = add_person(db, "Đặng Thị Bình", "binhdt@" DOMAIN);
	struct cert_new c = { .serial = "01", .token_id = add_token(db, "TK-2", an),
			      .subscriber_id = binh, .not_before = "2025-01-10",
			      .not_after = "2026-01-09" };

	add_refused(db, &c, 1, "belongs to subscriber");
	c.token_id = 999;
	add_refused(db, &c, 1, "there is no token #999");
	c = (struct cert_new){ .serial = "02", .not_before = "2025-01-10", .not_after = "2026-01-09" };
	add_refused(db, &c, 1, "is required (or the token it is on)");
	c.subscriber_id = 999;
	add_refused(db, &c, 1, "there is no subscriber #999");
}

static void test_validity_limits(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	struct cert_new c = { .serial = "10", .subscriber_id = an, .not_before = "2021-03-01",
			      .not_after = "2026-03-01" };

	add_ok(db, &c); /* exactly five years */
	c.serial = "11";
	c.not_after = "2026-03-02";
	add_refused(db, &c, 1, "more than 5 years");
	c.issuance = CERT_RENEW;
	c.not_after = "2024-03-02";
	add_refused(db, &c, 1, "more than 3 years");
	c.not_after = "2024-03-01";
	add_ok(db, &c);
	c.serial = "12";
	c.not_after = "2021-03-01";
	add_refused(db, &c, 1, "is not after the start");
	c.not_before = "2027-01-01"; /* issued in the future */
	c.not_after = "2028-01-01";
	add_refused(db, &c, 1, "is in the future");
	c = (struct cert_new){ .serial = "13", .subscriber_id = an, .issuance = "again",
			       .status = "lost", .not_after = "someday" };
	/* issuance, status, valid from, valid to: all at once */
	add_refused(db, &c, 4, "must be new, renew or change");
}

static void test_revoked_status_needs_its_date(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	struct cert_new c = { .serial = "20", .subscriber_id = an, .not_before = "2025-01-10",
			      .not_after = "2027-01-09", .status = "revoked" };
	char *s;

	add_refused(db, &c, 1, "is required");
	c.revoked_on = "2024-12-31";
	add_refused(db, &c, 1, "is before 10/01/2025");
	c.status = NULL;
	add_refused(db, &c, 1, "the status is valid");
	c.status = "revoked";
	c.revoked_on = "2026-03-05";
	c.revocation_reason = "Nghỉ hưu";
	add_ok(db, &c);
	s = query_text(db, "SELECT group_concat(kind || '@' || on_date, ' ') FROM "
			   "(SELECT * FROM event WHERE kind LIKE 'cert.%' ORDER BY id)");
	assert_string_equal(s, "cert.issued@2025-01-10 cert.revoked@2026-03-05");
	free(s);
	s = query_text(db, "SELECT notice_on FROM certificate");
	assert_string_equal(s, "2026-03-05"); /* the notice defaults to the day */
	free(s);
}

static void test_renewal_and_change_are_their_own_events(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	struct cert_new c = { .serial = "30", .subscriber_id = an, .not_before = "2025-01-10",
			      .not_after = "2027-01-09", .issuance = CERT_RENEW };
	char *s;

	add_ok(db, &c);
	c.serial = "31";
	c.issuance = CERT_CHANGE;
	c.not_before = "2025-06-01";
	add_ok(db, &c);
	s = query_text(db, "SELECT group_concat(kind || '@' || on_date, ' ') FROM "
			   "(SELECT * FROM event WHERE kind LIKE 'cert.%' ORDER BY id)");
	assert_string_equal(s, "cert.renewed@2025-01-10 cert.changed@2025-06-01");
	free(s);
}

static void test_revoke_closes_lost_tokens_revocation(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long tok = add_token(db, "TK-3", an), id, before;
	struct cert_new c = { .serial = "40", .token_id = tok, .not_before = "2025-01-10",
			      .not_after = "2028-01-09" };
	struct token_act lose = { .action = TOKEN_ACT_LOSE, .date = "2026-05-02",
				  .circumstances = "Rơi mất khi đi công tác" };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct cert got;
	char *s;

	id = add_ok(db, &c);
	assert_int_equal(token_apply(db, tok, &lose, NULL, &problems, &err), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM follow_up WHERE kind = "
				       "'revocation_request' AND closed_on IS NULL"), 1);
	before = written(db);
	assert_int_equal(cert_revoke(db, id, "2026-05-20", "Mất thiết bị", "2026-05-22", 5,
				     &problems, &err), KYSO_ECONFLICT);
	assert_int_equal(written(db), before);
	assert_int_equal(cert_revoke(db, id, "2024-01-01", NULL, NULL, 0, &problems, &err),
			 KYSO_EINVAL);
	assert_int_equal(written(db), before);
	kyso_problems_free(&problems);
	assert_int_equal(cert_revoke(db, id, "2026-05-20", "Mất thiết bị", "2026-05-22", 1,
				     &problems, &err), 0);
	assert_int_equal(cert_get(db, id, &got, &err), 0);
	assert_string_equal(got.status, "revoked");
	assert_string_equal(got.revoked_on, "2026-05-20");
	assert_string_equal(got.notice_on, "2026-05-22");
	assert_string_equal(got.revocation_reason, "Mất thiết bị");
	assert_int_equal(got.version, 2);
	cert_free(&got);
	assert_int_equal(query_int(db, "SELECT count(*) FROM follow_up WHERE kind = "
				       "'revocation_request' AND closed_on = '2026-05-20'"), 1);
	s = query_text(db, "SELECT on_date FROM event WHERE kind = 'cert.revoked'");
	assert_string_equal(s, "2026-05-20");
	free(s);
	s = query_text(db, "SELECT cert_end_on FROM token");
	assert_string_equal(s, "2026-05-20");
	free(s);
	assert_int_equal(query_int(db, "SELECT count(*) FROM audit WHERE action = 'cert.revoke'"), 1);
	/* twice is refused */
	assert_int_equal(cert_revoke(db, id, "2026-05-21", NULL, NULL, 0, &problems, &err),
			 KYSO_EINVAL);
	assert_non_null(strstr(problems.items[0].message, "revoked already"));
	kyso_problems_free(&problems);
	assert_int_equal(cert_revoke(db, 99, "2026-05-21", NULL, NULL, 0, NULL, &err),
			 KYSO_ENOTFOUND);
}

struct listed {
	char text[512];
};

static int collect(const struct cert_row *r, void *ctx)
{
	struct listed *l = ctx;
	size_t n = strlen(l->text);

	snprintf(l->text + n, sizeof l->text - n, "%s:%s ", r->serial, r->state);
	return 0;
}

static void list_is(struct kyso_db *db, const struct cert_query *q, const char *want)
{
	struct listed l = { "" };
	struct kyso_err err = { 0 };

	assert_int_equal(cert_list(db, q, collect, &l, &err), 0);
	assert_string_equal(l.text, want);
}

static void test_states_as_of_a_day(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	long long tok = add_token(db, "TK-4", an), id;
	struct cert_new c = { .subscriber_id = an, .not_before = "2024-01-01" };
	struct cert_query q = { 0 };
	struct kyso_err err = { 0 };

	c.serial = "A1"; /* expired before today (2026-11-25) */
	c.not_after = "2026-11-24";
	add_ok(db, &c);
	c.serial = "A2"; /* expiring: within 60 days */
	c.not_after = "2027-01-24";
	c.token_id = tok;
	add_ok(db, &c);
	c.serial = "A3"; /* valid */
	c.not_after = "2027-06-30";
	c.token_id = 0;
	id = add_ok(db, &c);
	assert_int_equal(cert_revoke(db, id, "2026-10-01", NULL, NULL, 0, NULL, &err), 0);
	c.serial = "A4";
	c.not_after = "2028-12-31";
	add_ok(db, &c);

	list_is(db, &q, "A4:valid A3:revoked A2:expiring A1:expired ");
	q.at = "2026-09-30"; /* before the revocation; A1 ends within 60 days */
	list_is(db, &q, "A4:valid A3:valid A2:valid A1:expiring ");
	q.at = "2023-12-31";
	q.state = "not_yet";
	list_is(db, &q, "A4:not_yet A3:not_yet A2:not_yet A1:not_yet ");
	q = (struct cert_query){ .state = "expiring" };
	list_is(db, &q, "A2:expiring ");
	q = (struct cert_query){ .token_id = tok };
	list_is(db, &q, "A2:expiring ");
	q = (struct cert_query){ .limit = 1 };
	list_is(db, &q, "A4:valid ");
	assert_int_equal(setting_set(db, SETTING_CERT_WARN_DAYS, "10", NULL), 0);
	q = (struct cert_query){ .state = "expiring" };
	list_is(db, &q, "");
	q.at = "2026-02-30";
	assert_int_equal(cert_list(db, &q, collect, &(struct listed){ "" }, &err), KYSO_EINVAL);
}

static void test_secrets_are_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	long long an = add_person(db, "Nguyễn Văn An", "annv@" DOMAIN);
	struct cert_new c = { .serial = "50", .subscriber_id = an, .not_before = "2025-01-10",
			      .not_after = "2026-01-09", .note = "Mật khẩu là 13572468" };

	add_refused(db, &c, 1, "password or PIN");
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup_agency, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_add_on_a_token_takes_its_subscriber),
		TEST(test_serial_must_be_hex_and_unique),
		TEST(test_token_of_another_subscriber_is_refused),
		TEST(test_validity_limits),
		TEST(test_revoked_status_needs_its_date),
		TEST(test_renewal_and_change_are_their_own_events),
		TEST(test_revoke_closes_lost_tokens_revocation),
		TEST(test_states_as_of_a_day),
		TEST(test_secrets_are_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
