/*
 * test_form.c - the form widget as an officer uses it, without a terminal: Tab order that
 * skips hidden fields and text, typing and deleting Vietnamese letters, what counts as a
 * change (typing a letter and deleting it again does not), buttons pressed by Enter and
 * Space, problems put under their fields with the keys on the first bad one (also as core
 * names them, by the field's label), and the
 * wrapping of long messages by display width.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "widgets/form.h"
#include "kyso/i18n.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"

enum { F_NAME = 1, F_KIND, F_DATE, F_NOTE, F_SAVE, F_CANCEL };

static struct ui_key ch(wint_t c)
{
	struct ui_key k;

	memset(&k, 0, sizeof(k));
	k.ch = c;
	if (c >= 32 && c != 127) {
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(k.text, (wchar_t)c, &st);
		k.text[n == (size_t)-1 ? 0 : n] = '\0';
	}
	return k;
}

static struct ui_key code(int c)
{
	struct ui_key k;

	memset(&k, 0, sizeof(k));
	k.code = c;
	return k;
}

static int press(struct form *f, struct ui_key k)
{
	return form_key(f, &k);
}

/* Types s one character at a time, as the terminal delivers it. */
static void type(struct form *f, const char *s)
{
	mbstate_t st;
	wchar_t w;
	size_t n;

	memset(&st, 0, sizeof(st));
	while (*s && (n = mbrtowc(&w, s, strlen(s), &st)) > 0 && n < (size_t)-2) {
		assert_true(press(f, ch((wint_t)w)) & FORM_HANDLED);
		s += n;
	}
}

static struct form *sample(void)
{
	static const char *const kinds[] = { "Person", "Organisation" };
	struct form *f = form_new();

	assert_non_null(f);
	assert_true(form_add_note(f, "Intro", 0, 0) >= 0);
	assert_true(form_add_text(f, F_NAME, "Full name", "Lan", 0, 1) >= 0);
	assert_true(form_add_choice(f, F_KIND, "Kind", kinds, 2, 0, 0) >= 0);
	assert_true(form_add_date(f, F_DATE, "Date", NULL, 0) >= 0);
	assert_true(form_add_text(f, F_NOTE, "Note", NULL, 0, 0) >= 0);
	assert_true(form_add_button(f, F_SAVE, "Save") >= 0);
	assert_true(form_add_button(f, F_CANCEL, "Cancel") >= 0);
	return f;
}

static void test_form_focus_starts_on_first_field_not_the_note(void **state)
{
	struct form *f = sample();

	(void)state;
	assert_int_equal(form_focused(f), F_NAME);
	assert_true(form_is_typing(f));
	form_free(f);
}

static void test_form_tab_order_skips_hidden_and_wraps(void **state)
{
	struct form *f = sample();
	int order[] = { F_KIND, F_NOTE, F_SAVE, F_CANCEL, F_NAME };
	size_t i;

	(void)state;
	form_set_hidden(f, F_DATE, 1);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		press(f, ch(UI_KEY_TAB));
		assert_int_equal(form_focused(f), order[i]);
	}
	press(f, code(KEY_BTAB));
	assert_int_equal(form_focused(f), F_CANCEL);
	/* Up and Down stop at the ends. */
	press(f, code(KEY_DOWN));
	assert_int_equal(form_focused(f), F_CANCEL);
	form_free(f);
}

static void test_form_hiding_the_focused_field_moves_the_focus(void **state)
{
	struct form *f = sample();

	(void)state;
	form_set_hidden(f, F_NAME, 1);
	assert_int_equal(form_focused(f), F_KIND);
	form_free(f);
}

static void test_form_typing_vietnamese_and_backspace_by_letter(void **state)
{
	struct form *f = sample();

	(void)state;
	press(f, code(KEY_END));
	type(f, " Nguye\xCC\x82\xCC\x83"); /* e + circumflex + tilde: one letter, ễ */
	assert_string_equal(form_text(f, F_NAME), "Lan Nguye\xCC\x82\xCC\x83");
	press(f, code(KEY_BACKSPACE));
	assert_string_equal(form_text(f, F_NAME), "Lan Nguy");
	press(f, ch(UI_CTRL('U')));
	assert_string_equal(form_text(f, F_NAME), "");
	form_free(f);
}

static void test_form_q_and_j_are_text_in_a_field(void **state)
{
	struct form *f = sample();

	(void)state;
	press(f, code(KEY_END));
	assert_true(press(f, ch('q')) & FORM_CHANGED);
	assert_true(press(f, ch('j')) & FORM_CHANGED);
	assert_string_equal(form_text(f, F_NAME), "Lanqj");
	assert_int_equal(form_focused(f), F_NAME);
	/* On a choice, j moves and q is left to the frame (quit). */
	press(f, ch(UI_KEY_TAB));
	assert_false(form_is_typing(f));
	assert_int_equal(press(f, ch('q')), FORM_IGNORED);
	press(f, ch('j'));
	assert_int_equal(form_focused(f), F_DATE);
	form_free(f);
}

static void test_form_change_is_against_the_start(void **state)
{
	struct form *f = sample();

	(void)state;
	assert_false(form_is_changed(f));
	press(f, code(KEY_END));
	type(f, "x");
	assert_true(form_is_changed(f));
	press(f, code(KEY_BACKSPACE));
	assert_false(form_is_changed(f)); /* back as it was: nothing to lose */
	form_set_choice(f, F_KIND, 1, 1);
	assert_true(form_is_changed(f));
	form_set_unchanged(f);
	assert_false(form_is_changed(f));
	form_set_text(f, F_NOTE, "from a draft", 1);
	assert_true(form_is_changed(f));
	form_set_text(f, F_NOTE, "as stored", 0);
	assert_false(form_is_changed(f));
	f->is_forced_changed = 1;
	assert_true(form_is_changed(f));
	form_free(f);
}

static void test_form_enter_moves_on_and_presses_buttons(void **state)
{
	struct form *f = sample();
	int flags;

	(void)state;
	form_focus(f, F_NOTE);
	press(f, ch(UI_KEY_ENTER));
	assert_int_equal(form_focused(f), F_SAVE);
	flags = press(f, ch(UI_KEY_ENTER));
	assert_true(flags & FORM_PRESSED);
	assert_int_equal(form_pressed(f), F_SAVE);
	press(f, ch(UI_KEY_TAB));
	flags = press(f, ch(' '));
	assert_true(flags & FORM_PRESSED);
	assert_int_equal(form_pressed(f), F_CANCEL);
	/* Esc and the function keys belong to the screen. */
	assert_int_equal(press(f, ch(UI_KEY_ESC)), FORM_IGNORED);
	assert_int_equal(press(f, code(KEY_F(2))), FORM_IGNORED);
	form_free(f);
}

static void test_form_problems_go_under_fields_and_take_the_focus(void **state)
{
	struct form *f = sample();

	(void)state;
	form_focus(f, F_SAVE);
	form_add_problem(f, F_NOTE, "is too long");
	form_add_problem(f, F_DATE, "is not a real date");
	form_add_problem(f, F_DATE, "is in the future");
	form_add_problem(f, 99, "belongs to no field");
	form_set_hidden(f, F_KIND, 1);
	form_add_problem(f, F_KIND, "hidden field");
	assert_string_equal(form_field(f, F_DATE)->problem, "is not a real date\nis in the future");
	assert_string_equal(f->problem, "belongs to no field\nhidden field");
	assert_true(form_focus_problem(f));
	assert_int_equal(form_focused(f), F_DATE); /* the first in form order */
	/* Each problem line takes a row under its field. */
	assert_int_equal(form_height(f, 80), 12);
	form_clear_problems(f);
	assert_null(form_field(f, F_DATE)->problem);
	assert_null(f->problem);
	assert_false(form_focus_problem(f));
	form_free(f);
}

/* Core names each problem by the field's label; every one is shown at once, those of no
 * field on top with their column. */
static void test_form_show_problems_by_label_every_one_at_once(void **state)
{
	struct form *f = sample();
	struct kyso_problems p = { 0 };

	(void)state;
	kyso_problems_add(&p, 0, "Date", "%s", "is not a real date");
	kyso_problems_add(&p, 0, "Full name", "%s", "is required");
	kyso_problems_add(&p, 0, "State", "%s", "a lost token cannot be handed over");
	assert_int_equal(form_field_by_label(f, "Note"), F_NOTE);
	assert_int_equal(form_field_by_label(f, "Intro"), -1); /* a note is no field */
	form_show_problems(f, &p, NULL, NULL);
	assert_string_equal(form_field(f, F_DATE)->problem, "is not a real date");
	assert_string_equal(form_field(f, F_NAME)->problem, "is required");
	assert_string_equal(f->problem, "State: a lost token cannot be handed over");
	assert_int_equal(form_focused(f), F_NAME); /* the first bad field, in form order */
	kyso_problems_free(&p);
	form_free(f);
}

static void test_form_take_nfc_composes_and_blank_is_null(void **state)
{
	struct form *f = sample();
	char *name;

	(void)state;
	form_set_text(f, F_NAME, "A\xCC\x81nh", 1);
	name = form_take_nfc(f, F_NAME);
	assert_string_equal(name, "\xC3\x81nh");
	free(name);
	form_set_text(f, F_NAME, "   ", 1);
	assert_null(form_take_nfc(f, F_NAME));
	form_free(f);
}

static void test_form_wrap_by_display_width(void **state)
{
	char **lines;
	int n, i;

	(void)state;
	n = form_wrap("Nguyễn Thị Ngọc Ánh đã chuyển công tác", 12, &lines);
	for (i = 0; i < n; i++)
		assert_true(text_width(lines[i]) <= 12);
	assert_string_equal(lines[0], "Nguyễn Thị");
	form_wrap_free(lines, n);
	n = form_wrap("one\ntwo", 40, &lines);
	assert_int_equal(n, 2);
	assert_string_equal(lines[1], "two");
	form_wrap_free(lines, n);
	n = form_wrap("", 40, &lines);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0], "");
	form_wrap_free(lines, n);
}

static int group_setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	kyso_i18n_init("en");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	text_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_focus_starts_on_first_field_not_the_note),
		cmocka_unit_test(test_form_tab_order_skips_hidden_and_wraps),
		cmocka_unit_test(test_form_hiding_the_focused_field_moves_the_focus),
		cmocka_unit_test(test_form_typing_vietnamese_and_backspace_by_letter),
		cmocka_unit_test(test_form_q_and_j_are_text_in_a_field),
		cmocka_unit_test(test_form_change_is_against_the_start),
		cmocka_unit_test(test_form_enter_moves_on_and_presses_buttons),
		cmocka_unit_test(test_form_problems_go_under_fields_and_take_the_focus),
		cmocka_unit_test(test_form_show_problems_by_label_every_one_at_once),
		cmocka_unit_test(test_form_take_nfc_composes_and_blank_is_null),
		cmocka_unit_test(test_form_wrap_by_display_width),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
