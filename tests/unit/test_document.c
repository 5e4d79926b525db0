/*
 * test_document.c - the register of documents on a real SQLite file: numbers run per
 * year and read "05/BB-SNNMT" (a leading zero below 10); a number is found with or
 * without its symbol, in the latest year holding it unless a year is named; recording
 * links the token steps it records, writes an event on each token's timeline and an
 * audit row that keeps the chain intact; a taken number is refused and changes nothing;
 * the list is newest first with the tokens' serials; the form set follows the setting;
 * SHA-256 is OpenSSL's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/audit.h"
#include "kyso/document.h"
#include "kyso/subscriber.h"
#include "kyso/token.h"
#include "kyso/hash.h"

#include "store_fixture.h"
#include "minutes_fixture.h"

#define SHA_A "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" /* "abc" */

/* Records a document numbered number in year (inside its own transaction); returns the
 * code of document_record_tx. */
static int record(struct kyso_db *db, int year, long number, const long long *steps,
		  size_t nsteps, long long *id)
{
	struct kyso_err err = { 0 };
	char date[11];
	struct document d = {
		.kind = (char *)DOC_MINUTES_HANDOVER, .form_set = (char *)FORM_SET_ND68,
		.year = year, .number = number, .symbol = (char *)"BB-SNNMT", .doc_date = date,
		.title = (char *)"Biên bản bàn giao", .content = (char *)"{\"format\":1}",
		.file_name = (char *)"bb.docx", .sha256 = (char *)SHA_A,
	};
	int rc;

	snprintf(date, sizeof date, "%04d-02-05", year);
	assert_int_equal(db_begin(db, &err), 0);
	rc = document_record_tx(db, &d, steps, nsteps, &err);
	if (rc)
		db_rollback(db);
	else
		assert_int_equal(db_commit(db, &err), 0);
	if (id)
		*id = d.id;
	return rc;
}

static long next_number(struct kyso_db *db, int year)
{
	struct kyso_err err = { 0 };
	long n = 0;

	assert_int_equal(document_next_number_tx(db, year, &n, &err), 0);
	return n;
}

static void test_numbers_run_per_year(void **state)
{
	struct kyso_db *db = db_of(state);

	assert_int_equal(next_number(db, 2026), 1);
	assert_int_equal(record(db, 2026, 1, NULL, 0, NULL), 0);
	assert_int_equal(record(db, 2026, 2, NULL, 0, NULL), 0);
	assert_int_equal(next_number(db, 2026), 3);
	/* Another year starts again at 1. */
	assert_int_equal(next_number(db, 2025), 1);
	assert_int_equal(next_number(db, 2027), 1);
}

static void test_number_text_has_leading_zero(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(document_number_text(5, "BB-SNNMT", out, sizeof out), "05/BB-SNNMT");
	assert_string_equal(document_number_text(12, "BB-SNNMT", out, sizeof out), "12/BB-SNNMT");
	assert_string_equal(document_number_text(105, "BB-SNNMT", out, sizeof out),
			    "105/BB-SNNMT");
}

static void test_taken_number_is_refused(void **state)
{
	struct kyso_db *db = db_of(state);
	long long docs, audit;

	assert_int_equal(record(db, 2026, 1, NULL, 0, NULL), 0);
	docs = fx_count(db, "SELECT count(*) FROM document");
	audit = fx_count(db, "SELECT count(*) FROM audit");
	assert_int_equal(record(db, 2026, 1, NULL, 0, NULL), KYSO_ECONFLICT);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM document"), docs);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM audit"), audit);
}

static void test_find_by_number(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long a, b, c, id;

	assert_int_equal(record(db, 2025, 5, NULL, 0, &a), 0);
	assert_int_equal(record(db, 2026, 5, NULL, 0, &b), 0);
	assert_int_equal(record(db, 2026, 6, NULL, 0, &c), 0);

	/* The latest year holding it, with or without the symbol, any case. */
	assert_int_equal(document_find(db, "05/BB-SNNMT", 0, &id, &err), 0);
	assert_int_equal(id, b);
	assert_int_equal(document_find(db, "5", 0, &id, &err), 0);
	assert_int_equal(id, b);
	assert_int_equal(document_find(db, "06/bb-snnmt", 0, &id, &err), 0);
	assert_int_equal(id, c);
	assert_int_equal(document_find(db, "05/BB-SNNMT", 2025, &id, &err), 0);
	assert_int_equal(id, a);

	assert_int_equal(document_find(db, "05/BB-OTHER", 0, &id, &err), KYSO_ENOTFOUND);
	assert_non_null(strstr(err.msg, "05/BB-OTHER"));
	assert_int_equal(document_find(db, "06/BB-SNNMT", 2025, &id, &err), KYSO_ENOTFOUND);
	assert_int_equal(document_find(db, "abc", 0, &id, &err), KYSO_EINVAL);
	assert_int_equal(document_find(db, "05/", 0, &id, &err), KYSO_EINVAL);
	assert_int_equal(document_find(db, "-5", 0, &id, &err), KYSO_EINVAL);
}

/* A token of a new subscriber, handed to a successor: returns the handover step. */
static long long handed_token(struct kyso_db *db, const char *serial, long long owner,
			      long long *token)
{
	struct token_new tn = { .serial = serial, .subscriber_id = owner,
				.received_on = "2025-01-10" };
	struct kyso_err err = { 0 };

	if (token_add(db, &tn, token, NULL, &err))
		fail_msg("token_add: %s", err.msg);
	return fx_apply(db, *token,
			(struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-02-05",
					    .party_name = "Trần Văn Cường",
					    .party_position = "Văn thư", .ref = "12/QĐ-SNNMT" });
}

struct seen_step {
	long long document_id;
	char number[64];
};

static int take_step(const struct token_step *s, void *ctx)
{
	struct seen_step *seen = ctx;

	seen->document_id = s->document_id;
	snprintf(seen->number, sizeof seen->number, "%s",
		 s->document_number ? s->document_number : "");
	return 0;
}

static void test_record_links_steps_events_audit(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct audit_report report;
	struct seen_step seen = { 0 };
	long long owner, tok[2], steps[2], id;
	char sql[256];
	struct document d;

	owner = fx_add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN, "086090001001", NULL);
	steps[0] = handed_token(db, "TK-0001", owner, &tok[0]);
	steps[1] = handed_token(db, "TK-0002", owner, &tok[1]);
	assert_int_equal(record(db, 2026, 5, steps, 2, &id), 0);

	assert_int_equal(token_step_get(db, steps[1], take_step, &seen, &err), 0);
	assert_int_equal(seen.document_id, id);
	assert_string_equal(seen.number, "05/BB-SNNMT");

	/* One event per token on the subscriber's timeline, dated as the document. */
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM event WHERE kind = 'document.written' AND document_id = %lld "
		 "AND subscriber_id = %lld AND on_date = '2026-02-05' AND token_id IN (%lld, %lld)",
		 id, owner, tok[0], tok[1]);
	assert_int_equal(fx_count(db, sql), 2);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit WHERE action = 'document.record' "
		 "AND subject = 'document:%lld' AND payload LIKE '%%05/BB-SNNMT%%'", id);
	assert_int_equal(fx_count(db, sql), 1);
	assert_int_equal(audit_verify(db, &report, &err), 0);
	assert_int_equal(report.bad_seq, 0);

	assert_int_equal(document_get(db, id, &d, &err), 0);
	assert_string_equal(d.kind, DOC_MINUTES_HANDOVER);
	assert_int_equal(d.number, 5);
	assert_int_equal(d.year, 2026);
	assert_string_equal(d.symbol, "BB-SNNMT");
	assert_string_equal(d.sha256, SHA_A);
	assert_string_equal(d.content, "{\"format\":1}");
	assert_string_equal(d.actor, "test");
	document_free(&d);
	assert_int_equal(document_get(db, id + 100, &d, &err), KYSO_ENOTFOUND);

	/* A step that does not exist refuses the whole record. */
	steps[0] = 9999;
	assert_int_equal(record(db, 2026, 6, steps, 1, NULL), KYSO_ENOTFOUND);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM document"), 1);
}

struct listed {
	char text[512];
};

static int list_row(const struct document_row *r, void *ctx)
{
	struct listed *l = ctx;
	size_t n = strlen(l->text);

	snprintf(l->text + n, sizeof l->text - n, "%d/%ld:%s;", r->year, r->number,
		 r->serials ? r->serials : "");
	return 0;
}

static void test_list_newest_first(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct listed l = { "" };
	long long owner, tok[2], steps[2];

	owner = fx_add_person(db, "Đặng Văn Đức", "ducdv@" DOMAIN, "086090001001", NULL);
	steps[0] = handed_token(db, "TK-0002", owner, &tok[0]);
	steps[1] = handed_token(db, "TK-0001", owner, &tok[1]);
	assert_int_equal(record(db, 2025, 9, NULL, 0, NULL), 0);
	assert_int_equal(record(db, 2026, 1, steps, 2, NULL), 0);
	assert_int_equal(record(db, 2026, 2, NULL, 0, NULL), 0);
	assert_int_equal(document_list(db, NULL, 0, list_row, &l, &err), 0);
	assert_string_equal(l.text, "2026/2:;2026/1:TK-0001,TK-0002;2025/9:;");
	l.text[0] = '\0';
	assert_int_equal(document_list(db, DOC_MINUTES_LOST, 0, list_row, &l, &err), 0);
	assert_string_equal(l.text, "");
	assert_int_equal(document_list(db, NULL, 1, list_row, &l, &err), 0);
	assert_string_equal(l.text, "2026/2:;");
}

static void test_default_form_set_follows_setting(void **state)
{
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	char buf[16];

	assert_string_equal(document_default_form_set(db, buf), FORM_SET_ND68);
	assert_int_equal(setting_set(db, SETTING_FORM_SET, FORM_SET_TT185, &err), 0);
	assert_string_equal(document_default_form_set(db, buf), FORM_SET_TT185);
	assert_int_equal(setting_set(db, SETTING_FORM_SET, "nd99", &err), 0);
	assert_string_equal(document_default_form_set(db, buf), FORM_SET_ND68);
	assert_int_equal(document_form_set_check("tt185"), 0);
	assert_int_equal(document_form_set_check("TT185"), -1);
	assert_int_equal(document_form_set_check(NULL), -1);
}

static void test_sha256(void **state)
{
	struct fixture *fx = *state;
	struct kyso_err err = { 0 };
	char path[400], out[65];
	FILE *f;

	assert_int_equal(sha256_bytes("abc", 3, out), 0);
	assert_string_equal(out, SHA_A);
	snprintf(path, sizeof path, "%s/abc.txt", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("abc", f);
	fclose(f);
	assert_int_equal(sha256_file(path, out, &err), 0);
	assert_string_equal(out, SHA_A);
	snprintf(path, sizeof path, "%s/missing", fx->dir);
	assert_int_equal(sha256_file(path, out, &err), KYSO_EIO);
	assert_non_null(strstr(err.msg, "missing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_numbers_run_per_year, setup_agency, teardown),
		cmocka_unit_test(test_number_text_has_leading_zero),
		cmocka_unit_test_setup_teardown(test_taken_number_is_refused, setup_agency, teardown),
		cmocka_unit_test_setup_teardown(test_find_by_number, setup_agency, teardown),
		cmocka_unit_test_setup_teardown(test_record_links_steps_events_audit, setup_agency,
						teardown),
		cmocka_unit_test_setup_teardown(test_list_newest_first, setup_agency, teardown),
		cmocka_unit_test_setup_teardown(test_default_form_set_follows_setting, setup_agency,
						teardown),
		cmocka_unit_test_setup_teardown(test_sha256, setup_dir, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
