/*
 * test_check.c - the small rules input is held to: dates as officers write them, official
 * e-mail addresses and domains, phone numbers, citizen IDs.  No store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kyso/check.h"
#include "kyso/i18n.h"

#define DOMAIN "vinhlong.gov.vn"

static int group_setup(void **state)
{
	(void)state;
	kyso_i18n_init("en");
	return 0;
}

/* Dates ------------------------------------------------------------------------------ */

static void expect_date(const char *in, const char *want)
{
	char out[11] = "";

	if (date_parse(in, out) != 0)
		fail_msg("date_parse(\"%s\") refused it, expected %s", in, want);
	assert_string_equal(out, want);
}

static void expect_not_date(const char *in)
{
	char out[11] = "untouched";

	if (date_parse(in, out) == 0)
		fail_msg("date_parse(\"%s\") accepted it as %s", in, out);
}

static void test_date_parse_accepts_every_written_form(void **state)
{
	(void)state;
	expect_date("2024-03-05", "2024-03-05");
	expect_date("05/03/2024", "2024-03-05");
	expect_date("5/3/2024", "2024-03-05");
	expect_date("05-03-2024", "2024-03-05");
	expect_date("05.03.2024", "2024-03-05");
	expect_date("31/12/1999", "1999-12-31");
	/* as people type it (issue 11.10): months and days without their leading zero */
	expect_date("2026-3-5", "2026-03-05");
	expect_date("2026-03-5", "2026-03-05");
	expect_date("2026-12-7", "2026-12-07");
}

static void test_date_parse_knows_leap_years(void **state)
{
	(void)state;
	expect_date("29/02/2024", "2024-02-29");
	expect_date("29/02/2000", "2000-02-29");
	expect_not_date("29/02/2023");
	expect_not_date("29/02/1900");
	expect_not_date("2023-02-29");
}

static void test_date_parse_rejects_dates_not_in_the_calendar(void **state)
{
	(void)state;
	expect_not_date("31/02/1990");
	expect_not_date("31/04/2024");
	expect_not_date("00/01/2024");
	expect_not_date("2020-13-01");
	expect_not_date("2020-00-10");
}

static void test_date_parse_rejects_short_years_junk_and_empty(void **state)
{
	(void)state;
	expect_not_date("12/05/90");
	expect_not_date("2024-03-05x");
	expect_not_date("05/03/2024 ");
	expect_not_date("05/03/2024abc");
	expect_not_date("05/03-2024");
	expect_not_date("2024/03/05");
	expect_not_date("2024--5");
	expect_not_date("2024-3-");
	expect_not_date("2024-123-5");
	expect_not_date("ngày 5 tháng 3");
	expect_not_date("");
}

static void test_date_parse_of_null_is_refused(void **state)
{
	char out[11];

	(void)state;
	assert_int_equal(date_parse(NULL, out), -1);
}

static void test_date_display_writes_day_month_year(void **state)
{
	char out[11];

	(void)state;
	assert_string_equal(date_display("2024-03-05", out), "05/03/2024");
	assert_string_equal(date_display("1999-12-31", out), "31/12/1999");
	/* what is not ISO is shown as given */
	assert_string_equal(date_display("sometime", out), "sometime");
	assert_string_equal(date_display(NULL, out), "");
}

/* E-mail and domains ----------------------------------------------------------------- */

static void expect_email_ok(const char *email, const char *domain)
{
	char why[256] = "";

	if (check_email(email, domain, why, sizeof why) != 0)
		fail_msg("check_email(\"%s\", %s) refused it: %s", email, domain ? domain : "NULL",
			 why);
}

/* Refused, and the reason contains in_reason. */
static void expect_email_refused(const char *email, const char *domain, const char *in_reason)
{
	char why[256] = "";

	if (check_email(email, domain, why, sizeof why) == 0)
		fail_msg("check_email(\"%s\", %s) accepted it", email, domain ? domain : "NULL");
	if (!strstr(why, in_reason))
		fail_msg("check_email(\"%s\"): reason \"%s\" does not mention \"%s\"", email, why,
			 in_reason);
}

static void test_email_in_domain_or_sub_domain_is_accepted(void **state)
{
	(void)state;
	expect_email_ok("an.nguyen@" DOMAIN, DOMAIN);
	expect_email_ok("vt_ph-2@snnmt." DOMAIN, DOMAIN);
	expect_email_ok("an+so@a.b." DOMAIN, DOMAIN);
	/* no domain: syntax only */
	expect_email_ok("an@gmail.com", NULL);
}

static void test_email_outside_domain_is_refused_naming_the_domain(void **state)
{
	(void)state;
	expect_email_refused("an@gmail.com", DOMAIN, DOMAIN);
	/* ends like the domain but is not a sub-domain of it */
	expect_email_refused("an@x" DOMAIN, DOMAIN, DOMAIN);
	expect_email_refused("an@gov.vn", DOMAIN, DOMAIN);
}

static void test_email_syntax_errors_are_refused(void **state)
{
	(void)state;
	expect_email_refused("a@b", DOMAIN, "e-mail");
	expect_email_refused("a@b", NULL, "e-mail");
	expect_email_refused("an.vinhlong.gov.vn", DOMAIN, "e-mail");
	expect_email_refused("@" DOMAIN, DOMAIN, "e-mail");
	expect_email_refused("a@b@" DOMAIN, DOMAIN, "e-mail");
	expect_email_refused("an nguyen@" DOMAIN, DOMAIN, "e-mail");
	expect_email_refused("", DOMAIN, "e-mail");
}

static void test_email_double_dots_are_refused(void **state)
{
	(void)state;
	expect_email_refused("an..nguyen@" DOMAIN, DOMAIN, "e-mail");
	expect_email_refused("an@vinhlong..gov.vn", NULL, "e-mail");
	expect_email_refused(".an@" DOMAIN, DOMAIN, "e-mail");
	expect_email_refused("an.@" DOMAIN, DOMAIN, "e-mail");
}

static void test_domain_shape(void **state)
{
	(void)state;
	assert_int_equal(check_domain(DOMAIN), 0);
	assert_int_equal(check_domain("so-nnmt.vn"), 0);
	assert_int_equal(check_domain("localhost"), -1);
	assert_int_equal(check_domain("vinhlong..gov.vn"), -1);
	assert_int_equal(check_domain(".gov.vn"), -1);
	assert_int_equal(check_domain("gov.vn."), -1);
	assert_int_equal(check_domain("-a.gov.vn"), -1);
	assert_int_equal(check_domain("a-.gov.vn"), -1);
	assert_int_equal(check_domain("vinh long.gov.vn"), -1);
	assert_int_equal(check_domain("an@gov.vn"), -1);
	assert_int_equal(check_domain(""), -1);
	assert_int_equal(check_domain(NULL), -1);
}

/* Phone numbers ---------------------------------------------------------------------- */

static void expect_phone(const char *in, const char *want)
{
	char out[32] = "";

	if (phone_normalise(in, out, sizeof out) != 0)
		fail_msg("phone_normalise(\"%s\") refused it (read \"%s\")", in, out);
	assert_string_equal(out, want);
}

static void expect_not_phone(const char *in)
{
	char out[32] = "";

	if (phone_normalise(in, out, sizeof out) == 0)
		fail_msg("phone_normalise(\"%s\") accepted it as \"%s\"", in, out);
}

static void test_phone_country_code_becomes_leading_zero(void **state)
{
	(void)state;
	expect_phone("+84 913 456 789", "0913456789");
	expect_phone("+84913456789", "0913456789");
	expect_phone("84913456789", "0913456789");
}

/* Business cards and e-mail signatures often put the country code in brackets. */
static void test_phone_country_code_in_brackets(void **state)
{
	(void)state;
	expect_phone("(+84) 913-456-789", "0913456789");
	expect_phone("(84) 913 456 789", "0913456789");
}

static void test_phone_separators_are_dropped(void **state)
{
	(void)state;
	expect_phone("0913.456.789", "0913456789");
	expect_phone("0913 456 789", "0913456789");
	expect_phone("(0270) 3822 123", "02703822123");
}

/* "+84 0913 ..." keeps the trunk 0 after the country code, as many cards are written: the
 * result must be the ten-digit number, or a refusal, never "00913456789". */
static void test_phone_country_code_with_trunk_zero_is_not_doubled(void **state)
{
	char out[32] = "";
	int rc;

	(void)state;
	rc = phone_normalise("+84 0913 456 789", out, sizeof out);
	if (rc == 0)
		assert_string_equal(out, "0913456789");
}

static void test_phone_letters_and_wrong_lengths_are_refused(void **state)
{
	(void)state;
	expect_not_phone("0913 456 78a");
	expect_not_phone("tel 0913456789");
	expect_not_phone("091345");
	expect_not_phone("091345678901");
	expect_not_phone("913456789");
	expect_not_phone("");
}

/* Citizen IDs ------------------------------------------------------------------------ */

static void test_id_number_kinds(void **state)
{
	(void)state;
	assert_int_equal(check_id_number("079123456789"), 0);
	assert_int_equal(check_id_number("000000000001"), 0);
	assert_int_equal(check_id_number("381234567"), 1);
	assert_int_equal(check_id_number("79123456789"), -1);
	assert_int_equal(check_id_number("0791234567890"), -1);
	assert_int_equal(check_id_number("07912345678A"), -1);
	assert_int_equal(check_id_number("079 123 456 789"), -1);
	assert_int_equal(check_id_number(""), -1);
	assert_int_equal(check_id_number(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse_accepts_every_written_form),
		cmocka_unit_test(test_date_parse_knows_leap_years),
		cmocka_unit_test(test_date_parse_rejects_dates_not_in_the_calendar),
		cmocka_unit_test(test_date_parse_rejects_short_years_junk_and_empty),
		cmocka_unit_test(test_date_parse_of_null_is_refused),
		cmocka_unit_test(test_date_display_writes_day_month_year),
		cmocka_unit_test(test_email_in_domain_or_sub_domain_is_accepted),
		cmocka_unit_test(test_email_outside_domain_is_refused_naming_the_domain),
		cmocka_unit_test(test_email_syntax_errors_are_refused),
		cmocka_unit_test(test_email_double_dots_are_refused),
		cmocka_unit_test(test_domain_shape),
		cmocka_unit_test(test_phone_country_code_becomes_leading_zero),
		cmocka_unit_test(test_phone_country_code_in_brackets),
		cmocka_unit_test(test_phone_separators_are_dropped),
		cmocka_unit_test(test_phone_country_code_with_trunk_zero_is_not_doubled),
		cmocka_unit_test(test_phone_letters_and_wrong_lengths_are_refused),
		cmocka_unit_test(test_id_number_kinds),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
