/*
 * test_text.c - Vietnamese text as officers type and paste it: precomposed and decomposed
 * (NFD) letters, no-break spaces, đ/Đ and the look-alike Ð, names sorted the Vietnamese way
 * (given name first, alphabet a ă â b c d đ e ê ...), and the width a name takes on screen.
 * NFD strings are written with explicit byte escapes so that no editor can recompose them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kyso/i18n.h"
#include "kyso/text.h"

/* "Nguyễn": e + combining circumflex (CC 82) + combining tilde (CC 83). */
#define NGUYEN_NFD "Nguye\xCC\x82\xCC\x83n"
#define NGUYEN_NFC "Nguy\xE1\xBB\x85n"
/* "Đặng Văn Đức" decomposed: a + dot below (CC A3) + breve (CC 86), a + breve, u + horn
 * (CC 9B) + acute (CC 81). */
#define DANG_VAN_DUC_NFD "\xC4\x90" "a\xCC\xA3\xCC\x86ng Va\xCC\x86n \xC4\x90u\xCC\x9B\xCC\x81" "c"

static int group_setup(void **state)
{
	(void)state;
	kyso_i18n_init("en");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	text_shutdown();
	return 0;
}

static void expect_transform(char *(*fn)(const char *), const char *in, const char *want)
{
	char *got = fn(in);

	if (!got)
		fail_msg("no result for \"%s\"", in);
	assert_string_equal(got, want);
	free(got);
}

/* Normalisation and cleaning --------------------------------------------------------- */

static void test_nfc_composes_decomposed_vietnamese(void **state)
{
	(void)state;
	expect_transform(text_nfc, NGUYEN_NFD " Th\xC3\xA0" "nh", NGUYEN_NFC " Th\xC3\xA0" "nh");
	expect_transform(text_nfc, "Tha\xCC\x80nh", "Th\xC3\xA0" "nh");
	/* already NFC, and plain ASCII, come back unchanged */
	expect_transform(text_nfc, NGUYEN_NFC, NGUYEN_NFC);
	expect_transform(text_nfc, "an.nguyen@vinhlong.gov.vn", "an.nguyen@vinhlong.gov.vn");
}

/* Decree 30 writes the agency in upper case: every Vietnamese letter has its capital,
 * decomposed input comes out NFC, and text without letters is unchanged. */
static void test_title_case_vietnamese(void **state)
{
	char *t;

	(void)state;
	t = text_title_case("nguyễn văn đức");
	assert_string_equal(t, "Nguyễn Văn Đức");
	free(t);
	/* decomposed in, NFC out; every word, the marks kept on their letters */
	t = text_title_case("e\xcc\x82\xcc\x81 u\xcc\x9bu o\xcc\x9b\xcc\x80");
	assert_string_equal(t, "Ế Ưu Ờ");
	free(t);
	t = text_title_case("TRẦN thị BÌNH");
	assert_string_equal(t, "Trần Thị Bình");
	free(t);
	assert_null(text_title_case(NULL));
	assert_false(text_has_upper("nguyễn văn đức"));
	assert_true(text_has_upper("nguyễn Văn đức"));
	assert_true(text_has_upper("đặng Đ"));
	assert_false(text_has_upper("0912 345"));
}

static void test_upper_vietnamese(void **state)
{
	char *u;

	(void)state;
	u = text_upper("Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long");
	assert_string_equal(u, "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH VĨNH LONG");
	free(u);
	u = text_upper("đặng thị ngọc ánh"); /* đ has its own capital Đ */
	assert_string_equal(u, "ĐẶNG THỊ NGỌC ÁNH");
	free(u);
	u = text_upper("Vie\xcc\x82\xcc\xa3t"); /* "Việt" as base + marks */
	assert_string_equal(u, "VIỆT");
	free(u);
	u = text_upper("UBND 2026 - Số: 05/BB");
	assert_string_equal(u, "UBND 2026 - SỐ: 05/BB");
	free(u);
	assert_null(text_upper(NULL));
}

static void test_nfc_refuses_invalid_utf8(void **state)
{
	(void)state;
	assert_null(text_nfc("Nguy\xE1\xBBn"));      /* a cut three-byte sequence */
	assert_null(text_nfc("L\xEA V\xE3n An"));     /* Windows-1258 / Latin-1 bytes */
	assert_null(text_nfc("\xC0\xAF"));             /* overlong '/' */
	assert_int_equal(text_is_utf8("L\xEA"), 0);
	assert_int_equal(text_is_utf8("L\xC3\xAA"), 1);
}

static void test_clean_collapses_spaces_including_no_break_space(void **state)
{
	(void)state;
	expect_transform(text_clean, "  L\xC3\xAA \t Th\xE1\xBB\x8B\xC2\xA0\xC2\xA0" "An \n",
			 "L\xC3\xAA Th\xE1\xBB\x8B An");
	expect_transform(text_clean, "\xC2\xA0" "Ph\xC3\xB2ng\xC2\xA0K\xE1\xBA\xBF to\xC3\xA1n\xC2\xA0",
			 "Ph\xC3\xB2ng K\xE1\xBA\xBF to\xC3\xA1n");
	expect_transform(text_clean, " \xC2\xA0 ", "");
	/* cleaning also normalises */
	expect_transform(text_clean, " " NGUYEN_NFD "  An ", NGUYEN_NFC " An");
	assert_null(text_clean("An \xFF"));
}

/* Folding for search ----------------------------------------------------------------- */

static void test_fold_removes_marks_and_maps_d_stroke(void **state)
{
	(void)state;
	expect_transform(text_fold, "Đặng Văn Đức", "dang van duc");
	expect_transform(text_fold, "ĐẶNG", "dang");
	expect_transform(text_fold, "Nguyễn Thị Ánh", "nguyen thi anh");
	expect_transform(text_fold, "Trương Ngọc Ưng", "truong ngoc ung");
}

static void test_fold_of_decomposed_equals_fold_of_precomposed(void **state)
{
	char *nfd, *nfc;

	(void)state;
	nfd = text_fold(DANG_VAN_DUC_NFD);
	nfc = text_fold("Đặng Văn Đức");
	assert_non_null(nfd);
	assert_non_null(nfc);
	assert_string_equal(nfd, nfc);
	assert_string_equal(nfd, "dang van duc");
	free(nfd);
	free(nfc);
	expect_transform(text_fold, NGUYEN_NFD, "nguyen");
}

static void test_fold_maps_eth_sent_for_d_stroke(void **state)
{
	(void)state;
	/* U+00D0 LATIN CAPITAL LETTER ETH, which some keyboards send for Đ */
	expect_transform(text_fold, "\xC3\x90\xC3\xB4ng", "dong");
	expect_transform(text_fold, "\xC3\xB0\xC3\xB4ng", "dong");
}

/* Sort keys -------------------------------------------------------------------------- */

/* memcmp order of two keys; a key that is a prefix of the other sorts first. */
static int key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Checks that names (NULL-terminated) come out of text_sort_key in the order given. */
static void expect_sorted(int is_person, const char *const *names)
{
	unsigned char *prev = NULL, *key;
	size_t prev_len = 0, len = 0;
	size_t i;

	for (i = 0; names[i]; i++) {
		key = text_sort_key(names[i], is_person, &len);
		if (!key)
			fail_msg("no sort key for \"%s\"", names[i]);
		if (prev && key_cmp(prev, prev_len, key, len) >= 0)
			fail_msg("\"%s\" should sort before \"%s\" (is_person %d)", names[i - 1],
				 names[i], is_person);
		free(prev);
		prev = key;
		prev_len = len;
	}
	free(prev);
}

static void test_sort_alphabet_a_breve_circumflex(void **state)
{
	static const char *const names[] = {
		"Nguyễn Văn An", "Nguyễn Văn Ăn", "Nguyễn Văn Ân", "Nguyễn Văn Bình", NULL,
	};

	(void)state;
	expect_sorted(1, names);
}

static void test_sort_alphabet_d_before_d_stroke(void **state)
{
	static const char *const names[] = { "Phạm Văn Dũng", "Phạm Văn Đạt", NULL };
	static const char *const later_letter[] = { "Trần Văn Dương", "Lê Văn Đông", NULL };

	(void)state;
	expect_sorted(1, names);
	/* đ is a letter after d, not a d with a mark: Dương < Đông whatever the family */
	expect_sorted(1, later_letter);
}

static void test_sort_alphabet_e_o_u_with_marks_are_later_letters(void **state)
{
	static const char *const e[] = { "Vũ Văn Ten", "Vũ Văn Tên", NULL };
	static const char *const o[] = { "Lý Văn Son", "Lý Văn Sôn", "Lý Văn Sơn", NULL };
	static const char *const u[] = { "Lê Văn Tuấn", "Lê Văn Tường", NULL };

	(void)state;
	expect_sorted(1, e);
	expect_sorted(1, o);
	expect_sorted(1, u);
}

static void test_sort_person_by_given_name_first(void **state)
{
	/* An < Ánh at the primary level (the h), so the family name does not count */
	static const char *const names[] = { "Trần Văn An", "Lê Thị Ánh", NULL };
	static const char *const prefix[] = { "Lê Văn An", "Lê Văn Anh", "Bùi Thị Ánh", NULL };

	(void)state;
	expect_sorted(1, names);
	expect_sorted(1, prefix);
}

static void test_sort_person_same_given_name_family_decides(void **state)
{
	static const char *const names[] = { "Lê Văn Hùng", "Trần Văn Hùng", NULL };
	static const char *const family_first[] = { "Đỗ Văn Hùng", "Lê Anh Hùng", NULL };

	(void)state;
	expect_sorted(1, names);
	/* the family name decides before the middle name: Đỗ < Lê although Văn > Anh */
	expect_sorted(1, family_first);
}

static void test_sort_person_same_given_and_family_middle_decides(void **state)
{
	static const char *const names[] = {
		"Lê Hùng", "Lê Đức Hùng", "Lê Văn Hùng", "Lê Văn Quốc Hùng", NULL,
	};

	(void)state;
	expect_sorted(1, names);
}

static void test_sort_other_names_as_written(void **state)
{
	/* The same two names as a person sort by given name, as written by family name. */
	static const char *const as_written[] = { "Lê Thị Ánh", "Trần Văn An", NULL };
	static const char *const orgs[] = {
		"Ban Quản lý dự án", "Dự án Đô thị", "Đài Phát thanh", "Sở Nội vụ", NULL,
	};

	(void)state;
	expect_sorted(0, as_written);
	expect_sorted(0, orgs);
}

static void test_sort_key_of_one_word_name(void **state)
{
	static const char *const names[] = { "An", "Bình", NULL };

	(void)state;
	expect_sorted(1, names);
}

/* Display width ---------------------------------------------------------------------- */

static void test_width_counts_columns_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_width(NGUYEN_NFC), 6);
	assert_int_equal(text_width(NGUYEN_NFD), 6);
	assert_int_equal(text_width("e\xCC\x82\xCC\x83"), 1); /* ễ decomposed */
	assert_int_equal(text_width("\xE4\xB8\xAD"), 2);       /* 中 */
	assert_int_equal(text_width("\xE4\xB8\xAD" "A"), 3);
	assert_int_equal(text_width(""), 0);
}

/* Fits s into width columns and checks the text and its width. */
static void expect_fit(const char *s, int width, const char *want)
{
	char out[128];

	text_fit(s, width, out, sizeof out);
	assert_string_equal(out, want);
	assert_int_equal(text_width(out), width);
}

static void test_fit_pads_short_text(void **state)
{
	(void)state;
	expect_fit("An", 5, "An   ");
	expect_fit(NGUYEN_NFC, 8, NGUYEN_NFC "  ");
	expect_fit(NGUYEN_NFD, 6, NGUYEN_NFD);
	expect_fit("", 3, "   ");
}

static void test_fit_cuts_with_ellipsis_at_exact_width(void **state)
{
	(void)state;
	expect_fit(NGUYEN_NFC " V\xC4\x83n An", 8, NGUYEN_NFC " \xE2\x80\xA6");
	expect_fit(NGUYEN_NFD " V\xC4\x83n An", 5, "Nguy\xE2\x80\xA6");
	expect_fit("abc", 1, "\xE2\x80\xA6");
}

static void test_fit_cuts_wide_characters_without_overshooting(void **state)
{
	(void)state;
	/* 中文字 is 6 columns: at 4 the second character does not fit beside the "…" */
	expect_fit("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", 4, "\xE4\xB8\xAD\xE2\x80\xA6 ");
	expect_fit("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", 5, "\xE4\xB8\xAD\xE6\x96\x87\xE2\x80\xA6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfc_composes_decomposed_vietnamese),
		cmocka_unit_test(test_nfc_refuses_invalid_utf8),
		cmocka_unit_test(test_clean_collapses_spaces_including_no_break_space),
		cmocka_unit_test(test_fold_removes_marks_and_maps_d_stroke),
		cmocka_unit_test(test_fold_of_decomposed_equals_fold_of_precomposed),
		cmocka_unit_test(test_fold_maps_eth_sent_for_d_stroke),
		cmocka_unit_test(test_sort_alphabet_a_breve_circumflex),
		cmocka_unit_test(test_sort_alphabet_d_before_d_stroke),
		cmocka_unit_test(test_sort_alphabet_e_o_u_with_marks_are_later_letters),
		cmocka_unit_test(test_sort_person_by_given_name_first),
		cmocka_unit_test(test_sort_person_same_given_name_family_decides),
		cmocka_unit_test(test_sort_person_same_given_and_family_middle_decides),
		cmocka_unit_test(test_sort_other_names_as_written),
		cmocka_unit_test(test_sort_key_of_one_word_name),
		cmocka_unit_test(test_width_counts_columns_not_bytes),
		cmocka_unit_test(test_fit_pads_short_text),
		cmocka_unit_test(test_fit_cuts_with_ellipsis_at_exact_width),
		cmocka_unit_test(test_fit_cuts_wide_characters_without_overshooting),
		cmocka_unit_test(test_upper_vietnamese),
		cmocka_unit_test(test_title_case_vietnamese),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
