/*
 * test_line_editor.c - the text field as an officer types into it: Vietnamese names typed
 * precomposed or decomposed, deleted and walked letter by letter, pasted with line breaks
 * and stray control bytes, cut to a length, and shown in a narrow field with wide (CJK)
 * characters and combining marks.  No terminal: the editor is pure logic.
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
#include "widgets/line_editor.h"

/* "ễ": precomposed U+1EC5, or e + combining circumflex (CC 82) + combining tilde (CC 83). */
#define E_NFC "\xE1\xBB\x85"
#define E_NFD "e\xCC\x82\xCC\x83"
#define NGUYEN_NFC "Nguy" E_NFC "n"
#define NGUYEN_NFD "Nguy" E_NFD "n"
/* "Thị": i + dot below (CC A3); "Ánh": A + acute (CC 81). */
#define THI_NFD "Thi\xCC\xA3"
#define ANH_NFD "A\xCC\x81nh"
/* 日本語, three characters two columns wide each. */
#define NICHI "\xE6\x97\xA5"
#define HON "\xE6\x9C\xAC"
#define GO "\xE8\xAA\x9E"
/* The flag of Viet Nam: two regional indicators, V (F0 9F 87 BB) and N (F0 9F 87 B3). */
#define FLAG_VN "\xF0\x9F\x87\xBB\xF0\x9F\x87\xB3"

static struct line_editor *editor_with(const char *text)
{
	struct line_editor *ed = line_editor_new(text);

	assert_non_null(ed);
	return ed;
}

static void press(struct line_editor *ed, enum le_key key, int times)
{
	while (times-- > 0)
		assert_true(line_editor_key(ed, key) & LE_HANDLED);
}

/* Types s one code point at a time, as a terminal delivers keys. */
static void type_each(struct line_editor *ed, const char *s)
{
	char one[5];
	size_t n;

	while (*s) {
		for (n = 1; ((unsigned char)s[n] & 0xC0) == 0x80; n++)
			;
		memcpy(one, s, n);
		one[n] = '\0';
		assert_true(line_editor_insert(ed, one) & LE_CHANGED);
		s += n;
	}
}

/* The cursor positions a walk to the right stops at, from Home. */
static void expect_stops(struct line_editor *ed, const size_t *stops, size_t count)
{
	size_t i;

	press(ed, LE_KEY_HOME, 1);
	for (i = 0; i < count; i++) {
		assert_int_equal(ed->cursor, stops[i]);
		press(ed, LE_KEY_RIGHT, 1);
	}
	assert_int_equal(ed->cursor, stops[count - 1]);
}

/* Typing --------------------------------------------------------------------------------- */

static void test_typing_precomposed_vietnamese_keeps_the_letters(void **state)
{
	struct line_editor *ed = editor_with(NULL);

	(void)state;
	assert_false(ed->is_changed);
	type_each(ed, NGUYEN_NFC);
	assert_string_equal(line_editor_text(ed), NGUYEN_NFC);
	assert_int_equal(ed->cursor, strlen(NGUYEN_NFC));
	assert_true(ed->is_changed);
	line_editor_free(ed);
}

static void test_typing_decomposed_marks_join_the_letter_before(void **state)
{
	struct line_editor *ed = editor_with(NULL);

	(void)state;
	type_each(ed, "Nguye");
	type_each(ed, "\xCC\x82");
	type_each(ed, "\xCC\x83");
	assert_string_equal(line_editor_text(ed), "Nguy" E_NFD);
	press(ed, LE_KEY_LEFT, 1);
	assert_int_equal(ed->cursor, 4); /* before the e, not between its marks */
	line_editor_free(ed);
}

static void test_mark_typed_before_a_letter_joins_the_letter_before_cursor(void **state)
{
	struct line_editor *ed = editor_with("Lan");

	(void)state;
	press(ed, LE_KEY_LEFT, 1);
	assert_true(line_editor_insert(ed, "\xCC\x81") & LE_CHANGED); /* acute on the a */
	assert_string_equal(line_editor_text(ed), "La\xCC\x81n");
	assert_int_equal(ed->cursor, 4);
	press(ed, LE_KEY_BACKSPACE, 1);
	assert_string_equal(line_editor_text(ed), "Ln");
	line_editor_free(ed);
}

/* Deleting ------------------------------------------------------------------------------- */

/* Puts text in a field, steps `lefts` letters back from the end and presses key. */
static void expect_key(const char *text, int lefts, enum le_key key, const char *want,
		       size_t want_cursor)
{
	struct line_editor *ed = editor_with(text);

	press(ed, LE_KEY_LEFT, lefts);
	assert_int_equal(line_editor_key(ed, key), LE_HANDLED | LE_CHANGED);
	assert_string_equal(line_editor_text(ed), want);
	assert_int_equal(ed->cursor, want_cursor);
	assert_true(ed->is_changed);
	line_editor_free(ed);
}

static void test_backspace_removes_precomposed_e_circumflex_tilde_whole(void **state)
{
	(void)state;
	expect_key(NGUYEN_NFC, 1, LE_KEY_BACKSPACE, "Nguyn", 4);
}

static void test_backspace_removes_decomposed_e_circumflex_tilde_whole(void **state)
{
	(void)state;
	expect_key(NGUYEN_NFD, 1, LE_KEY_BACKSPACE, "Nguyn", 4);
}

static void test_delete_removes_the_letter_after_cursor(void **state)
{
	(void)state;
	expect_key(NGUYEN_NFD, 2, LE_KEY_DELETE, "Nguyn", 4);
	expect_key(NGUYEN_NFC, 2, LE_KEY_DELETE, "Nguyn", 4);
}

static void test_backspace_at_start_and_delete_at_end_change_nothing(void **state)
{
	struct line_editor *ed = editor_with("An");

	(void)state;
	assert_int_equal(line_editor_key(ed, LE_KEY_DELETE), LE_HANDLED);
	press(ed, LE_KEY_HOME, 1);
	assert_int_equal(line_editor_key(ed, LE_KEY_BACKSPACE), LE_HANDLED);
	assert_string_equal(line_editor_text(ed), "An");
	assert_false(ed->is_changed);
	line_editor_free(ed);
}

static void test_backspace_keeps_flag_pairs_whole(void **state)
{
	struct line_editor *ed = editor_with(FLAG_VN FLAG_VN);

	(void)state;
	press(ed, LE_KEY_BACKSPACE, 1);
	assert_string_equal(line_editor_text(ed), FLAG_VN);
	line_editor_free(ed);
}

/* Moving --------------------------------------------------------------------------------- */

static void test_left_right_step_over_nguyen_letter_by_letter(void **state)
{
	const size_t nfd_stops[] = { 0, 1, 2, 3, 4, 9, 10 };
	const size_t nfc_stops[] = { 0, 1, 2, 3, 4, 7, 8 };
	struct line_editor *ed = editor_with(NGUYEN_NFD);

	(void)state;
	expect_stops(ed, nfd_stops, 7);
	press(ed, LE_KEY_LEFT, 2);
	assert_int_equal(ed->cursor, 4);
	assert_int_equal(line_editor_set_text(ed, NGUYEN_NFC), 0);
	expect_stops(ed, nfc_stops, 7);
	line_editor_free(ed);
}

static void test_home_and_end(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD);

	(void)state;
	assert_int_equal(ed->cursor, strlen(NGUYEN_NFD));
	assert_int_equal(line_editor_key(ed, LE_KEY_HOME), LE_HANDLED);
	assert_int_equal(ed->cursor, 0);
	press(ed, LE_KEY_END, 1);
	assert_int_equal(ed->cursor, strlen(NGUYEN_NFD));
	assert_false(ed->is_changed);
	line_editor_free(ed);
}

static void test_word_left_and_right_stop_at_word_edges(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD " " THI_NFD " " ANH_NFD);
	size_t thi = strlen(NGUYEN_NFD " "), anh = strlen(NGUYEN_NFD " " THI_NFD " ");

	(void)state;
	press(ed, LE_KEY_WORD_LEFT, 1);
	assert_int_equal(ed->cursor, anh);
	press(ed, LE_KEY_WORD_LEFT, 1);
	assert_int_equal(ed->cursor, thi);
	press(ed, LE_KEY_WORD_LEFT, 2);
	assert_int_equal(ed->cursor, 0);
	press(ed, LE_KEY_WORD_RIGHT, 1);
	assert_int_equal(ed->cursor, strlen(NGUYEN_NFD));
	press(ed, LE_KEY_WORD_RIGHT, 1);
	assert_int_equal(ed->cursor, anh - 1);
	press(ed, LE_KEY_WORD_RIGHT, 2);
	assert_int_equal(ed->cursor, strlen(line_editor_text(ed)));
	line_editor_free(ed);
}

/* Clearing ------------------------------------------------------------------------------- */

static void test_ctrl_u_clears_to_the_start(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD " " THI_NFD);

	(void)state;
	press(ed, LE_KEY_WORD_LEFT, 1);
	assert_int_equal(line_editor_key(ed, LE_KEY_CTRL_U), LE_HANDLED | LE_CHANGED);
	assert_string_equal(line_editor_text(ed), THI_NFD);
	assert_int_equal(ed->cursor, 0);
	line_editor_free(ed);
}

static void test_ctrl_k_clears_to_the_end(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD " " THI_NFD);

	(void)state;
	press(ed, LE_KEY_HOME, 1);
	press(ed, LE_KEY_WORD_RIGHT, 1);
	assert_int_equal(line_editor_key(ed, LE_KEY_CTRL_K), LE_HANDLED | LE_CHANGED);
	assert_string_equal(line_editor_text(ed), NGUYEN_NFD);
	assert_int_equal(line_editor_key(ed, LE_KEY_CTRL_K), LE_HANDLED);
	line_editor_free(ed);
}

static void test_ctrl_w_deletes_the_word_before_cursor(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD " " THI_NFD " " ANH_NFD);

	(void)state;
	press(ed, LE_KEY_CTRL_W, 1);
	assert_string_equal(line_editor_text(ed), NGUYEN_NFD " " THI_NFD " ");
	press(ed, LE_KEY_CTRL_W, 1); /* the space and the word before it */
	assert_string_equal(line_editor_text(ed), NGUYEN_NFD " ");
	press(ed, LE_KEY_LEFT, 2);   /* inside Nguyễn, after "Nguy" + ễ */
	press(ed, LE_KEY_CTRL_W, 1);
	assert_string_equal(line_editor_text(ed), "n ");
	assert_int_equal(ed->cursor, 0);
	line_editor_free(ed);
}

/* Pasting and limits --------------------------------------------------------------------- */

static void test_paste_turns_line_breaks_into_spaces_and_drops_controls(void **state)
{
	struct line_editor *ed = editor_with(NULL);

	(void)state;
	assert_int_equal(line_editor_insert(ed, "L\xC3\xAA\r\nV\xC4\x83n\x07\nAn\tB\x1b[0m"),
			 LE_HANDLED | LE_CHANGED);
	assert_string_equal(line_editor_text(ed), "L\xC3\xAA V\xC4\x83n An\tB[0m");
	assert_int_equal(line_editor_insert(ed, "\x01\x02\x7f"), LE_HANDLED);
	assert_string_equal(line_editor_text(ed), "L\xC3\xAA V\xC4\x83n An\tB[0m");
	line_editor_free(ed);
}

static void test_paste_of_invalid_bytes_shows_replacement_character(void **state)
{
	struct line_editor *ed = editor_with(NULL);

	(void)state;
	line_editor_insert(ed, "Nguy\xEAn"); /* Latin-1, not UTF-8 */
	assert_string_equal(line_editor_text(ed), "Nguy\xEF\xBF\xBDn");
	assert_true(text_is_utf8(line_editor_text(ed)));
	line_editor_free(ed);
}

static void test_max_length_counts_letters_not_bytes(void **state)
{
	struct line_editor *ed = editor_with(NULL);

	(void)state;
	line_editor_set_max(ed, 5);
	assert_int_equal(line_editor_insert(ed, NGUYEN_NFD), LE_HANDLED | LE_CHANGED | LE_FULL);
	assert_string_equal(line_editor_text(ed), "Nguy" E_NFD);
	assert_int_equal(line_editor_insert(ed, "n"), LE_HANDLED | LE_FULL);
	assert_string_equal(line_editor_text(ed), "Nguy" E_NFD);
	press(ed, LE_KEY_HOME, 1);
	assert_int_equal(line_editor_insert(ed, E_NFC), LE_HANDLED | LE_FULL);
	assert_int_equal(ed->cursor, 0);
	line_editor_free(ed);
}

static void test_max_length_still_lets_a_mark_join_its_letter(void **state)
{
	struct line_editor *ed = editor_with(NULL);

	(void)state;
	line_editor_set_max(ed, 3);
	type_each(ed, "Le");
	type_each(ed, "\xCC\x82");
	assert_string_equal(line_editor_text(ed), "Le\xCC\x82");
	line_editor_free(ed);
}

static void test_large_paste_of_100_kb_is_kept_whole(void **state)
{
	const char *name = NGUYEN_NFD " " THI_NFD "\n";
	size_t unit = strlen(name), count = 100 * 1024 / unit + 1, i;
	char *paste = malloc(unit * count + 1), *nfc, out[64];
	struct line_editor *ed = editor_with("A");

	(void)state;
	assert_non_null(paste);
	for (i = 0; i < count; i++)
		memcpy(paste + i * unit, name, unit);
	paste[unit * count] = '\0';
	assert_int_equal(line_editor_insert(ed, paste), LE_HANDLED | LE_CHANGED);
	assert_int_equal(strlen(line_editor_text(ed)), 1 + unit * count);
	assert_int_equal(line_editor_view(ed, 20, out, sizeof out, NULL), 19);
	press(ed, LE_KEY_BACKSPACE, 2);
	assert_int_equal(strlen(line_editor_text(ed)), 1 + unit * count - strlen("\xCC\xA3 i"));
	nfc = line_editor_take_nfc(ed);
	assert_non_null(nfc);
	assert_true(strlen(nfc) < strlen(line_editor_text(ed)));
	free(nfc);
	free(paste);
	line_editor_free(ed);
}

/* Display -------------------------------------------------------------------------------- */

/* Lays the field out width columns wide: want is what the screen shows (always exactly
 * width columns), cursor_col where the terminal cursor goes. */
static void expect_view(struct line_editor *ed, int width, const char *want, int cursor_col)
{
	char out[64];
	int col = -1;

	assert_int_equal(line_editor_view(ed, width, out, sizeof out, &col), cursor_col);
	assert_int_equal(col, cursor_col);
	assert_string_equal(out, want);
	assert_int_equal(text_width(out), width);
}

static void test_view_scrolls_a_long_name_to_keep_cursor_visible(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD " " THI_NFD " Minh Khai");

	(void)state;
	expect_view(ed, 10, "Minh Khai ", 9);
	press(ed, LE_KEY_HOME, 1);
	expect_view(ed, 10, NGUYEN_NFD " " THI_NFD, 0);
	press(ed, LE_KEY_WORD_RIGHT, 3); /* after "Minh": column 15, beyond the field */
	expect_view(ed, 10, " " THI_NFD " Minh ", 9);
	line_editor_free(ed);
}

static void test_view_measures_wide_characters_and_marks(void **state)
{
	struct line_editor *ed = editor_with("ab" NICHI HON E_NFD);

	(void)state;
	expect_view(ed, 10, "ab" NICHI HON E_NFD "   ", 7);
	line_editor_free(ed);
}

static void test_view_never_starts_with_half_a_wide_character(void **state)
{
	struct line_editor *ed = editor_with("a" NICHI HON GO);

	(void)state;
	expect_view(ed, 4, GO "  ", 2);
	press(ed, LE_KEY_HOME, 1);
	expect_view(ed, 4, "a" NICHI " ", 0);
	line_editor_free(ed);
}

static void test_view_shows_tab_as_one_space(void **state)
{
	struct line_editor *ed = editor_with("a\tb");

	(void)state;
	expect_view(ed, 5, "a b  ", 3);
	line_editor_free(ed);
}

static void test_click_puts_cursor_on_the_letter_under_the_mouse(void **state)
{
	struct line_editor *ed = editor_with("a" NICHI HON E_NFD "b");
	char out[64];

	(void)state;
	line_editor_view(ed, 20, out, sizeof out, NULL);
	assert_int_equal(line_editor_click(ed, 20, 0), LE_HANDLED);
	assert_int_equal(ed->cursor, 0);
	line_editor_click(ed, 20, 2); /* right half of 日 */
	assert_int_equal(ed->cursor, 1);
	line_editor_click(ed, 20, 5);
	assert_int_equal(ed->cursor, 7);
	line_editor_click(ed, 20, 6);
	assert_int_equal(ed->cursor, 7 + strlen(E_NFD));
	line_editor_click(ed, 20, 15);
	assert_int_equal(ed->cursor, strlen(line_editor_text(ed)));
	line_editor_free(ed);
}

static void test_click_in_a_scrolled_field_counts_from_its_left_edge(void **state)
{
	struct line_editor *ed = editor_with(NGUYEN_NFD " " THI_NFD " Minh Khai");
	char out[64];

	(void)state;
	line_editor_view(ed, 10, out, sizeof out, NULL); /* shows "Minh Khai " */
	line_editor_click(ed, 10, 0);
	assert_string_equal(line_editor_text(ed) + ed->cursor, "Minh Khai");
	expect_view(ed, 10, "Minh Khai ", 0);
	line_editor_free(ed);
}

/* Text out ------------------------------------------------------------------------------- */

static void test_nfc_copy_of_decomposed_input_is_nfc(void **state)
{
	struct line_editor *ed = editor_with(NULL);
	char *nfc;

	(void)state;
	type_each(ed, NGUYEN_NFD);
	nfc = line_editor_take_nfc(ed);
	assert_non_null(nfc);
	assert_string_equal(nfc, NGUYEN_NFC);
	assert_string_equal(line_editor_text(ed), NGUYEN_NFD);
	free(nfc);
	line_editor_free(ed);
}

static void test_set_text_loads_without_marking_changed(void **state)
{
	struct line_editor *ed = editor_with("x");

	(void)state;
	line_editor_insert(ed, "y");
	assert_true(ed->is_changed);
	assert_int_equal(line_editor_set_text(ed, "L\xC3\xAA\nAn"), 0);
	assert_string_equal(line_editor_text(ed), "L\xC3\xAA An");
	assert_false(ed->is_changed);
	assert_int_equal(line_editor_key(ed, (enum le_key)99), LE_IGNORED);
	line_editor_free(ed);
}

/* Selection ------------------------------------------------------------------------------ */

/* A prefilled date selected as the field gets the keys: the first keystroke replaces it,
 * so that 05/12/2026 typed over 25/11/2026 is 05/12/2026, not a full field refusing it. */
static void test_typing_over_a_selection_replaces_the_whole_text(void **state)
{
	struct line_editor *ed = editor_with("25/11/2026");
	int flags;

	(void)state;
	line_editor_set_max(ed, 10);
	line_editor_select_all(ed);
	assert_true(ed->is_selected);
	flags = line_editor_insert(ed, "0");
	assert_true(flags & LE_CHANGED);
	assert_false(flags & LE_FULL);
	assert_false(ed->is_selected);
	assert_string_equal(line_editor_text(ed), "0");
	type_each(ed, "5/12/2026");
	assert_string_equal(line_editor_text(ed), "05/12/2026");
	assert_int_equal(ed->cursor, 10);
	assert_true(ed->is_changed);
	line_editor_free(ed);
}

/* Without the selection the same keystrokes are refused by the limit: the reported bug. */
static void test_typing_into_a_full_field_without_selection_is_refused(void **state)
{
	struct line_editor *ed = editor_with("25/11/2026");

	(void)state;
	line_editor_set_max(ed, 10);
	assert_true(line_editor_insert(ed, "0") & LE_FULL);
	assert_string_equal(line_editor_text(ed), "25/11/2026");
	line_editor_free(ed);
}

static void test_decomposed_text_typed_over_a_selection_replaces_it(void **state)
{
	struct line_editor *ed = editor_with("Tr\xE1\xBA\xA7n");

	(void)state;
	line_editor_select_all(ed);
	type_each(ed, NGUYEN_NFD);
	assert_string_equal(line_editor_text(ed), NGUYEN_NFD);
	line_editor_free(ed);
}

static void test_backspace_delete_and_ctrl_u_clear_a_selection(void **state)
{
	static const enum le_key keys[] = { LE_KEY_BACKSPACE, LE_KEY_DELETE, LE_KEY_CTRL_U,
					    LE_KEY_CTRL_K, LE_KEY_CTRL_W };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct line_editor *ed = editor_with(NGUYEN_NFC " V\xC4\x83n");

		line_editor_select_all(ed);
		assert_true(line_editor_key(ed, keys[i]) & LE_CHANGED);
		assert_string_equal(line_editor_text(ed), "");
		assert_false(ed->is_selected);
		line_editor_free(ed);
	}
}

static void test_moving_drops_the_selection_and_keeps_the_text(void **state)
{
	struct line_editor *ed = editor_with("25/11/2026");

	(void)state;
	line_editor_select_all(ed);
	assert_int_equal(line_editor_key(ed, LE_KEY_LEFT), LE_HANDLED);
	assert_false(ed->is_selected);
	assert_int_equal(ed->cursor, 0); /* Left leaves from the start of the selection */
	line_editor_insert(ed, "x");
	assert_string_equal(line_editor_text(ed), "x25/11/2026");

	line_editor_select_all(ed);
	press(ed, LE_KEY_RIGHT, 1);
	assert_int_equal(ed->cursor, strlen("x25/11/2026"));
	line_editor_select_all(ed);
	press(ed, LE_KEY_HOME, 1);
	assert_false(ed->is_selected);
	assert_int_equal(ed->cursor, 0);
	press(ed, LE_KEY_DELETE, 1); /* now one letter, not the whole text */
	assert_string_equal(line_editor_text(ed), "25/11/2026");
	line_editor_free(ed);
}

static void test_a_click_or_new_text_drops_the_selection(void **state)
{
	struct line_editor *ed = editor_with("Minh Khai");
	char out[64];

	(void)state;
	line_editor_view(ed, 20, out, sizeof(out), NULL);
	line_editor_select_all(ed);
	line_editor_click(ed, 20, 2);
	assert_false(ed->is_selected);
	assert_int_equal(ed->cursor, 2);
	line_editor_select_all(ed);
	assert_int_equal(line_editor_set_text(ed, "Lan"), 0);
	assert_false(ed->is_selected);
	line_editor_insert(ed, "h");
	assert_string_equal(line_editor_text(ed), "Lanh");
	line_editor_free(ed);
}

static void test_an_empty_field_has_nothing_to_select(void **state)
{
	struct line_editor *ed = editor_with("");
	int from = -1, to = -1;

	(void)state;
	line_editor_select_all(ed);
	assert_false(ed->is_selected);
	assert_int_equal(line_editor_selection_cols(ed, 10, &from, &to), 0);
	line_editor_free(ed);
}

/* The selection is drawn over the letters, measured by display width, not the padding. */
static void test_selection_columns_cover_the_letters_shown(void **state)
{
	struct line_editor *ed = editor_with(NICHI HON "a");
	char out[64];
	int from = -1, to = -1;

	(void)state;
	line_editor_select_all(ed);
	line_editor_view(ed, 10, out, sizeof(out), NULL);
	assert_int_equal(line_editor_selection_cols(ed, 10, &from, &to), 1);
	assert_int_equal(from, 0);
	assert_int_equal(to, 5);
	line_editor_free(ed);
	ed = editor_with("0123456789abcdef");
	line_editor_select_all(ed);
	line_editor_view(ed, 8, out, sizeof(out), NULL);
	assert_int_equal(line_editor_selection_cols(ed, 8, &from, &to), 1);
	assert_int_equal(to, 7); /* scrolled to the end; the cursor's column is left free */
	line_editor_free(ed);
}

/* A control character alone (nothing to type) leaves the selected text as it was. */
static void test_a_control_character_does_not_replace_a_selection(void **state)
{
	struct line_editor *ed = editor_with("Lan");

	(void)state;
	line_editor_select_all(ed);
	assert_false(line_editor_insert(ed, "\x01") & LE_CHANGED);
	assert_string_equal(line_editor_text(ed), "Lan");
	assert_true(ed->is_selected);
	line_editor_free(ed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_precomposed_vietnamese_keeps_the_letters),
		cmocka_unit_test(test_typing_decomposed_marks_join_the_letter_before),
		cmocka_unit_test(test_mark_typed_before_a_letter_joins_the_letter_before_cursor),
		cmocka_unit_test(test_backspace_removes_precomposed_e_circumflex_tilde_whole),
		cmocka_unit_test(test_backspace_removes_decomposed_e_circumflex_tilde_whole),
		cmocka_unit_test(test_delete_removes_the_letter_after_cursor),
		cmocka_unit_test(test_backspace_at_start_and_delete_at_end_change_nothing),
		cmocka_unit_test(test_backspace_keeps_flag_pairs_whole),
		cmocka_unit_test(test_left_right_step_over_nguyen_letter_by_letter),
		cmocka_unit_test(test_home_and_end),
		cmocka_unit_test(test_word_left_and_right_stop_at_word_edges),
		cmocka_unit_test(test_ctrl_u_clears_to_the_start),
		cmocka_unit_test(test_ctrl_k_clears_to_the_end),
		cmocka_unit_test(test_ctrl_w_deletes_the_word_before_cursor),
		cmocka_unit_test(test_paste_turns_line_breaks_into_spaces_and_drops_controls),
		cmocka_unit_test(test_paste_of_invalid_bytes_shows_replacement_character),
		cmocka_unit_test(test_max_length_counts_letters_not_bytes),
		cmocka_unit_test(test_max_length_still_lets_a_mark_join_its_letter),
		cmocka_unit_test(test_large_paste_of_100_kb_is_kept_whole),
		cmocka_unit_test(test_view_scrolls_a_long_name_to_keep_cursor_visible),
		cmocka_unit_test(test_view_measures_wide_characters_and_marks),
		cmocka_unit_test(test_view_never_starts_with_half_a_wide_character),
		cmocka_unit_test(test_view_shows_tab_as_one_space),
		cmocka_unit_test(test_click_puts_cursor_on_the_letter_under_the_mouse),
		cmocka_unit_test(test_click_in_a_scrolled_field_counts_from_its_left_edge),
		cmocka_unit_test(test_nfc_copy_of_decomposed_input_is_nfc),
		cmocka_unit_test(test_set_text_loads_without_marking_changed),
		cmocka_unit_test(test_typing_over_a_selection_replaces_the_whole_text),
		cmocka_unit_test(test_typing_into_a_full_field_without_selection_is_refused),
		cmocka_unit_test(test_decomposed_text_typed_over_a_selection_replaces_it),
		cmocka_unit_test(test_backspace_delete_and_ctrl_u_clear_a_selection),
		cmocka_unit_test(test_moving_drops_the_selection_and_keeps_the_text),
		cmocka_unit_test(test_a_click_or_new_text_drops_the_selection),
		cmocka_unit_test(test_an_empty_field_has_nothing_to_select),
		cmocka_unit_test(test_selection_columns_cover_the_letters_shown),
		cmocka_unit_test(test_a_control_character_does_not_replace_a_selection),
	};
	int failed;

	kyso_i18n_init("en"); /* the locale the screens run in, for wcwidth */
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	text_shutdown();
	return failed;
}
