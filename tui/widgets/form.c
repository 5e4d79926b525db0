/*
 * form.c - the form widget (form.h): fields laid out one per row, a label column and a
 * value column, each problem under its field, buttons sharing the last row.
 *
 * The layout is computed again at every draw from the width given, so that the form
 * follows a resize and problems added since the last draw.  The form never reaches the
 * store and never decides what is valid: it shows what its owner says.
 */
#include <stdlib.h>
#include <string.h>

#include "widgets/form.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"

#define DATE_WIDTH 12 /* "dd/mm/yyyy" and room for the cursor */

struct form *form_new(void)
{
	return calloc(1, sizeof(struct form));
}

static void field_clear(struct form_field *fl)
{
	int i;

	line_editor_free(fl->ed);
	free(fl->initial);
	for (i = 0; i < fl->nitems; i++)
		free(fl->items[i]);
	free(fl->items);
	free(fl->text);
	free(fl->problem);
}

void form_free(struct form *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		field_clear(&f->fields[i]);
	free(f->fields);
	free(f->problem);
	free(f);
}

static const char *label_of(const struct form *f, const struct form_field *fl);

static int is_input(const struct form_field *fl)
{
	return fl->type == FORM_TEXT || fl->type == FORM_DATE || fl->type == FORM_CHOICE;
}

static int is_text(const struct form_field *fl)
{
	return fl->type == FORM_TEXT || fl->type == FORM_DATE;
}

static int takes_focus(const struct form_field *fl)
{
	return !fl->is_hidden && fl->type != FORM_NOTE;
}

/* A new field at the end, zeroed; NULL when out of memory. */
static struct form_field *grow(struct form *f)
{
	struct form_field *fl;

	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 16;
		struct form_field *fields = realloc(f->fields, (size_t)cap * sizeof(*fields));

		if (!fields)
			return NULL;
		f->fields = fields;
		f->cap = cap;
	}
	fl = &f->fields[f->n];
	memset(fl, 0, sizeof(*fl));
	fl->id = -1;
	fl->drawn_y = -1;
	return fl;
}

/* Gives the keys to field i: the one that had them lets its selection go, a text field
 * that gets them has its text selected (typing replaces it, form.h). */
static void give_focus(struct form *f, int i)
{
	struct form_field *was = f->n > 0 ? &f->fields[f->focus] : NULL;

	if (was && was->ed && f->focus != i)
		line_editor_select_none(was->ed);
	f->focus = i;
	f->is_free_scroll = 0;
	if (f->fields[i].ed)
		line_editor_select_all(f->fields[i].ed);
}

/* The first field to take the keys becomes the focus. */
static int added(struct form *f)
{
	int i = f->n++;

	if ((i == f->focus || !takes_focus(&f->fields[f->focus])) && takes_focus(&f->fields[i]))
		give_focus(f, i);
	return i;
}

static int add_editor(struct form *f, enum form_type type, int id, const char *label,
		      const char *initial, int max_chars, int is_required)
{
	struct form_field *fl = grow(f);

	if (!fl)
		return -1;
	fl->type = type;
	fl->id = id;
	fl->label = label;
	fl->is_required = is_required;
	fl->ed = line_editor_new(initial);
	fl->initial = strdup(fl->ed ? line_editor_text(fl->ed) : "");
	if (!fl->ed || !fl->initial) {
		field_clear(fl);
		return -1;
	}
	if (max_chars > 0)
		line_editor_set_max(fl->ed, (size_t)max_chars);
	return added(f);
}

int form_add_text(struct form *f, int id, const char *label, const char *initial,
		  int max_chars, int is_required)
{
	return add_editor(f, FORM_TEXT, id, label, initial, max_chars, is_required);
}

int form_add_date(struct form *f, int id, const char *label, const char *initial,
		  int is_required)
{
	return add_editor(f, FORM_DATE, id, label, initial, 10, is_required);
}

int form_add_choice(struct form *f, int id, const char *label, const char *const *items,
		    int n, int current, int items_are_msgids)
{
	struct form_field *fl = grow(f);
	int i;

	if (!fl)
		return -1;
	fl->type = FORM_CHOICE;
	fl->id = id;
	fl->label = label;
	fl->items_are_msgids = items_are_msgids;
	fl->items = calloc((size_t)(n > 0 ? n : 1), sizeof(*fl->items));
	if (!fl->items)
		return -1;
	for (i = 0; i < n; i++)
		if (!(fl->items[fl->nitems++] = strdup(items[i] ? items[i] : ""))) {
			field_clear(fl);
			return -1;
		}
	fl->choice = fl->initial_choice = current >= 0 && current < n ? current : 0;
	return added(f);
}

int form_add_button(struct form *f, int id, const char *label)
{
	struct form_field *fl = grow(f);

	if (!fl)
		return -1;
	fl->type = FORM_BUTTON;
	fl->id = id;
	fl->label = label;
	return added(f);
}

int form_add_note(struct form *f, const char *text, int is_msgid, int indent)
{
	struct form_field *fl = grow(f);

	if (!fl || !(fl->text = strdup(text ? text : "")))
		return -1;
	fl->type = FORM_NOTE;
	fl->is_msgid = is_msgid;
	fl->indent = indent;
	return added(f);
}

/* Fields ----------------------------------------------------------------------------- */

struct form_field *form_field(struct form *f, int id)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].id == id && f->fields[i].type != FORM_NOTE)
			return &f->fields[i];
	return NULL;
}

const char *form_text(struct form *f, int id)
{
	struct form_field *fl = form_field(f, id);

	return fl && fl->ed ? line_editor_text(fl->ed) : "";
}

char *form_take_nfc(struct form *f, int id)
{
	struct form_field *fl = form_field(f, id);
	const char *text = fl && fl->ed ? line_editor_text(fl->ed) : "";

	if (text[strspn(text, " \t")] == '\0')
		return NULL;
	return line_editor_take_nfc(fl->ed);
}

void form_set_text(struct form *f, int id, const char *text, int mark_changed)
{
	struct form_field *fl = form_field(f, id);
	char *copy;

	if (!fl || !fl->ed || line_editor_set_text(fl->ed, text))
		return;
	if (mark_changed) {
		fl->ed->is_changed = 1;
		return;
	}
	if ((copy = strdup(line_editor_text(fl->ed)))) {
		free(fl->initial);
		fl->initial = copy;
	}
}

int form_choice(struct form *f, int id)
{
	struct form_field *fl = form_field(f, id);

	return fl ? fl->choice : -1;
}

void form_set_choice(struct form *f, int id, int choice, int mark_changed)
{
	struct form_field *fl = form_field(f, id);

	if (!fl || choice < 0 || choice >= fl->nitems)
		return;
	fl->choice = choice;
	if (!mark_changed)
		fl->initial_choice = choice;
}

/* Moves the focus off a field that can no longer take it. */
static void refocus(struct form *f)
{
	int i;

	if (f->n == 0 || takes_focus(&f->fields[f->focus]))
		return;
	for (i = f->focus + 1; i < f->n; i++)
		if (takes_focus(&f->fields[i])) {
			give_focus(f, i);
			return;
		}
	for (i = f->focus - 1; i >= 0; i--)
		if (takes_focus(&f->fields[i])) {
			give_focus(f, i);
			return;
		}
}

void form_set_hidden(struct form *f, int id, int is_hidden)
{
	struct form_field *fl = form_field(f, id);

	if (!fl)
		return;
	fl->is_hidden = is_hidden;
	refocus(f);
}

int form_is_changed(const struct form *f)
{
	int i;

	if (f->is_forced_changed)
		return 1;
	for (i = 0; i < f->n; i++) {
		const struct form_field *fl = &f->fields[i];

		if (fl->ed && strcmp(line_editor_text(fl->ed), fl->initial))
			return 1;
		if (fl->type == FORM_CHOICE && fl->choice != fl->initial_choice)
			return 1;
	}
	return 0;
}

void form_set_unchanged(struct form *f)
{
	int i;

	f->is_forced_changed = 0;
	for (i = 0; i < f->n; i++) {
		struct form_field *fl = &f->fields[i];
		char *copy;

		fl->initial_choice = fl->choice;
		if (fl->ed && (copy = strdup(line_editor_text(fl->ed)))) {
			free(fl->initial);
			fl->initial = copy;
		}
	}
}

int form_is_typing(const struct form *f)
{
	return f->n > 0 && is_text(&f->fields[f->focus]) && !f->fields[f->focus].is_hidden;
}

void form_focus(struct form *f, int id)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].id == id && takes_focus(&f->fields[i])) {
			give_focus(f, i);
			return;
		}
}

int form_focused(const struct form *f)
{
	return f->n > 0 ? f->fields[f->focus].id : -1;
}

int form_pressed(const struct form *f)
{
	return f->pressed;
}

/* Problems --------------------------------------------------------------------------- */

static void append_line(char **to, const char *line)
{
	char *joined;

	if (*to) {
		if (asprintf(&joined, "%s\n%s", *to, line) < 0)
			return;
		free(*to);
		*to = joined;
	} else {
		*to = strdup(line);
	}
}

void form_clear_problems(struct form *f)
{
	int i;

	for (i = 0; i < f->n; i++) {
		free(f->fields[i].problem);
		f->fields[i].problem = NULL;
	}
	free(f->problem);
	f->problem = NULL;
}

void form_add_problem(struct form *f, int id, const char *message)
{
	struct form_field *fl = id >= 0 ? form_field(f, id) : NULL;

	/* A problem of a field not shown would go unseen: it joins the general ones. */
	if (fl && !fl->is_hidden)
		append_line(&fl->problem, message);
	else
		append_line(&f->problem, message);
}

int form_focus_problem(struct form *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->fields[i].problem && takes_focus(&f->fields[i])) {
			give_focus(f, i);
			return 1;
		}
	/* Only problems of no field: the first field, so that the top (where they are) shows. */
	for (i = 0; f->problem && i < f->n; i++)
		if (takes_focus(&f->fields[i])) {
			give_focus(f, i);
			break;
		}
	return 0;
}

int form_field_by_label(struct form *f, const char *label)
{
	int i;

	for (i = 0; i < f->n; i++) {
		const struct form_field *fl = &f->fields[i];

		if (is_input(fl) && fl->id >= 0 && !strcmp(label_of(f, fl), label))
			return fl->id;
	}
	return -1;
}

void form_show_problems(struct form *f, const struct kyso_problems *problems,
			int (*field_of)(const char *column, void *ctx), void *ctx)
{
	size_t i;

	form_clear_problems(f);
	for (i = 0; i < problems->count; i++) {
		const struct kyso_problem *p = &problems->items[i];
		int id = field_of ? field_of(p->column, ctx) : form_field_by_label(f, p->column);
		struct form_field *fl = id >= 0 ? form_field(f, id) : NULL;
		char line[640];

		if (fl && !fl->is_hidden) {
			form_add_problem(f, id, p->message);
			continue;
		}
		snprintf(line, sizeof(line), "%s%s%s", p->column, *p->column ? ": " : "",
			 p->message);
		form_add_problem(f, -1, line);
	}
	form_focus_problem(f);
}

/* Wrapping --------------------------------------------------------------------------- */

int form_wrap(const char *text, int width, char ***lines)
{
	const char *p = text ? text : "";
	char **out = NULL;
	int n = 0, cap = 0;

	if (width < 4)
		width = 4;
	for (;;) {
		const char *end = p, *cut = NULL;
		int w = 0;

		while (*end && *end != '\n') {
			char ch[8];
			int len = 1, cw;

			while (len < 7 && (end[len] & 0xC0) == 0x80)
				len++;
			memcpy(ch, end, (size_t)len);
			ch[len] = '\0';
			cw = text_width(ch);
			if (w + cw > width)
				break;
			w += cw;
			if (*end == ' ')
				cut = end;
			end += len;
		}
		if (*end && *end != '\n' && cut && cut > p)
			end = cut;
		if (end == p && *end && *end != '\n') /* one character wider than the line */
			while (*++end && (*end & 0xC0) == 0x80)
				;
		if (n == cap) {
			char **more;

			cap = cap ? cap * 2 : 4;
			if (!(more = realloc(out, (size_t)cap * sizeof(*out))))
				break;
			out = more;
		}
		if (!(out[n] = strndup(p, (size_t)(end - p))))
			break;
		n++;
		p = end;
		if (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
	}
	*lines = out;
	return n;
}

void form_wrap_free(char **lines, int n)
{
	while (n-- > 0)
		free(lines[n]);
	free(lines);
}

/* Layout and drawing ------------------------------------------------------------------ */

struct frame {
	int y, x, h, w;	  /* the rectangle */
	int label_w;	  /* columns of the label column */
	int value_x;	  /* first column of the values, from x */
	int value_w;
	attr_t attr;
	int draw;	  /* 0: lay out only */
};

static const char *label_of(const struct form *f, const struct form_field *fl)
{
	if (fl->label)
		return _(fl->label);
	return f->label_fn ? f->label_fn(fl->id) : "";
}

static void measure(const struct form *f, struct frame *fr)
{
	int i, lw = 0;

	for (i = 0; i < f->n; i++) {
		const struct form_field *fl = &f->fields[i];
		int w;

		if (fl->is_hidden || !is_input(fl))
			continue;
		w = text_width(label_of(f, fl)) + (fl->is_required ? 2 : 0);
		if (w > lw)
			lw = w;
	}
	lw += 2;
	if (lw > fr->w * 2 / 5)
		lw = fr->w * 2 / 5;
	if (lw < 6)
		lw = 6;
	fr->label_w = lw;
	fr->value_x = 1 + lw;
	fr->value_w = fr->w - fr->value_x - 1;
	if (fr->value_w < 4)
		fr->value_w = 4;
}

/* The screen row of layout row r, or -1 when it is not in view. */
static int screen_row(const struct form *f, const struct frame *fr, int r)
{
	return r >= f->top && r < f->top + fr->h ? fr->y + r - f->top : -1;
}

/* Draws lines of text (a problem's "! " mark on the first) from layout row r; returns
 * the rows taken. */
static int draw_lines(const struct form *f, const struct frame *fr, int r, int x, int width,
		      const char *text, const char *mark, attr_t attr)
{
	char **lines;
	int n = form_wrap(text, width - (mark ? 2 : 0), &lines), i;

	for (i = 0; fr->draw && i < n; i++) {
		int y = screen_row(f, fr, r + i);

		if (y < 0)
			continue;
		if (mark)
			ui_text(y, fr->x + x, 2, i == 0 ? mark : "", attr);
		ui_text_raw(y, fr->x + x + (mark ? 2 : 0), width - (mark ? 2 : 0), lines[i], attr);
	}
	form_wrap_free(lines, n);
	return n;
}

static void draw_input(struct form *f, const struct frame *fr, struct form_field *fl, int y,
		       int has_focus)
{
	char label[256];
	attr_t la = fl->problem ? ui_style(UI_PROBLEM) : fr->attr;
	int vx = fr->x + fr->value_x, fw = fr->value_w;

	snprintf(label, sizeof(label), "%s%s", label_of(f, fl), fl->is_required ? " *" : "");
	ui_text(y, fr->x + 1, fr->label_w - 1, label, la | (has_focus ? A_BOLD : 0));
	fl->drawn_y = y;
	fl->drawn_x = vx;
	if (fl->type == FORM_CHOICE) {
		const char *item = fl->nitems ? fl->items[fl->choice] : "";
		attr_t a = ui_style(has_focus ? UI_FOCUS : UI_FIELD);

		if (fw > 40)
			fw = 40;
		ui_text(y, vx, fw - 2, fl->items_are_msgids ? _(item) : item, a);
		ui_text(y, vx + fw - 2, 2, " \xE2\x96\xBC", a); /* ▼: a list opens here */
	} else {
		if (fl->type == FORM_DATE && fw > DATE_WIDTH) {
			fw = DATE_WIDTH;
			ui_text_raw(y, vx + fw + 1, fr->value_w - fw - 1, _("dd/mm/yyyy"),
				    fr->attr | A_DIM);
		}
		ui_edit_draw(fl->ed, y, vx, fw, has_focus);
		if (fl->is_refusing)
			ui_restyle(y, vx, fw, ui_style(UI_REFUSED));
	}
	fl->drawn_w = fw;
}

/* The columns the buttons from field i on take in a row, two apart. */
static int buttons_width(struct form *f, int i)
{
	char text[128];
	int w = 0;

	for (; i < f->n && f->fields[i].type == FORM_BUTTON; i++) {
		if (f->fields[i].is_hidden)
			continue;
		snprintf(text, sizeof(text), "[ %s ]", label_of(f, &f->fields[i]));
		w += text_width(text) + (w ? 2 : 0);
	}
	return w;
}

/* Lays the form out (and draws it when fr->draw); returns the rows it takes. */
static int lay_out(struct form *f, struct frame *fr)
{
	int r = 0, i, bx = 0, prev_button = 0;

	if (f->problem) {
		r += draw_lines(f, fr, r, 1, fr->w - 2, f->problem, "! ", ui_style(UI_PROBLEM));
		r++;
	}
	for (i = 0; i < f->n; i++) {
		struct form_field *fl = &f->fields[i];
		int has_focus = i == f->focus, y;

		fl->drawn_y = -1;
		if (fl->is_hidden) {
			fl->row = r;
			fl->span = 0;
			continue;
		}
		if (fl->type == FORM_BUTTON) {
			char text[128];
			int tw;

			if (!prev_button) {
				r += r > 0; /* a blank row before the buttons */
				/* Under the values; from the left edge when they would not fit
				 * on one line there (long labels, 80 columns). */
				bx = fr->value_x;
				if (bx + buttons_width(f, i) > fr->w)
					bx = 1;
			}
			snprintf(text, sizeof(text), "[ %s ]", label_of(f, fl));
			tw = text_width(text);
			if (prev_button && bx + tw > fr->w) {
				r++;
				bx = 1;
			}
			fl->row = r;
			fl->span = 1;
			y = screen_row(f, fr, r);
			if (fr->draw && y >= 0) {
				ui_text_raw(y, fr->x + bx, fr->w - bx, text,
					    has_focus ? ui_style(UI_SELECTED) | A_BOLD
						      : fr->attr | A_BOLD);
				fl->drawn_y = y;
				fl->drawn_x = fr->x + bx;
				fl->drawn_w = tw;
			}
			bx += tw + 2;
			prev_button = 1;
			continue;
		}
		if (prev_button)
			r++;
		prev_button = 0;
		fl->row = r;
		if (fl->type == FORM_NOTE) {
			const char *text = fl->is_msgid ? _(fl->text) : fl->text;

			fl->span = draw_lines(f, fr, r, 1 + fl->indent, fr->w - 2 - fl->indent,
					      text, NULL, fr->attr);
			r += fl->span;
			continue;
		}
		y = screen_row(f, fr, r);
		if (fr->draw && y >= 0)
			draw_input(f, fr, fl, y, has_focus);
		fl->span = 1;
		if (fl->problem)
			fl->span += draw_lines(f, fr, r + 1, fr->value_x, fr->value_w, fl->problem,
					       "! ", ui_style(UI_PROBLEM));
		r += fl->span;
	}
	return r + prev_button;
}

/* Scrolls so that the focused field and its problems are in view. */
static void follow_focus(struct form *f, int h, int total)
{
	const struct form_field *fl = f->n ? &f->fields[f->focus] : NULL;
	int first = 0;

	if (fl && !f->is_free_scroll) {
		int i;

		/* at the first field, show what is above it too (the general problems) */
		for (i = 0; i < f->focus && !takes_focus(&f->fields[i]); i++)
			;
		first = i == f->focus ? 0 : fl->row;
		if (first < f->top)
			f->top = first;
		if (fl->row + fl->span > f->top + h)
			f->top = fl->row + fl->span - h;
		if (fl->row < f->top)
			f->top = fl->row;
	}
	if (f->top > total - h)
		f->top = total - h;
	if (f->top < 0)
		f->top = 0;
}

int form_height(struct form *f, int w)
{
	struct frame fr = { 0, 0, 0, w, 0, 0, 0, A_NORMAL, 0 };

	measure(f, &fr);
	return lay_out(f, &fr);
}

void form_draw(struct form *f, int y, int x, int h, int w, attr_t attr)
{
	struct frame fr = { y, x, h, w, 0, 0, 0, attr, 0 };
	int total;

	if (h <= 0 || w <= 4)
		return;
	f->w = w;
	measure(f, &fr);
	total = lay_out(f, &fr);
	follow_focus(f, h, total);
	fr.draw = 1;
	lay_out(f, &fr);
	/* Marks that there is more above or below, with words' worth of arrows. */
	if (f->top > 0)
		ui_text(y, x + w - 1, 1, "\xE2\x86\x91", ui_style(UI_HEADER)); /* ↑ */
	if (total > f->top + h)
		ui_text(y + h - 1, x + w - 1, 1, "\xE2\x86\x93", ui_style(UI_HEADER)); /* ↓ */
}

/* Keys -------------------------------------------------------------------------------- */

/* Moves the focus by delta fields that take keys; wrap goes round the ends. */
static int move_focus(struct form *f, int delta, int wrap)
{
	int i = f->focus, step = delta > 0 ? 1 : -1, left = delta > 0 ? delta : -delta;
	int last = f->focus, guard = f->n * (left + 1) + 1;

	while (left > 0 && guard-- > 0) {
		i += step;
		if (i < 0 || i >= f->n) {
			if (!wrap)
				break;
			i = i < 0 ? f->n - 1 : 0;
		}
		if (takes_focus(&f->fields[i])) {
			last = i;
			left--;
		}
	}
	if (last != f->focus)
		give_focus(f, last);
	return FORM_HANDLED;
}

static int open_choice(struct form *f, struct form_field *fl)
{
	const char **shown = calloc((size_t)(fl->nitems ? fl->nitems : 1), sizeof(*shown));
	int i, picked;

	if (!shown)
		return FORM_HANDLED;
	for (i = 0; i < fl->nitems; i++)
		shown[i] = fl->items_are_msgids ? _(fl->items[i]) : fl->items[i];
	picked = ui_choose(label_of(f, fl), shown, fl->nitems, fl->choice);
	free(shown);
	if (picked < 0)
		return FORM_HANDLED;
	/* Picked: the next field is what the officer fills next. */
	if (picked == fl->choice)
		return move_focus(f, 1, 0) | FORM_HANDLED;
	fl->choice = picked;
	return move_focus(f, 1, 0) | FORM_HANDLED | FORM_CHANGED;
}

/* Enter, Space or a click on the field with the keys. */
static int activate(struct form *f)
{
	struct form_field *fl = &f->fields[f->focus];

	if (fl->type == FORM_CHOICE)
		return open_choice(f, fl);
	if (fl->type == FORM_BUTTON) {
		f->pressed = fl->id;
		return FORM_HANDLED | FORM_PRESSED;
	}
	return FORM_IGNORED;
}

static int click(struct form *f, int y, int x, int is_double)
{
	int i;

	for (i = 0; i < f->n; i++) {
		struct form_field *fl = &f->fields[i];

		if (fl->drawn_y != y || !takes_focus(fl))
			continue;
		if (fl->type == FORM_BUTTON && (x < fl->drawn_x || x >= fl->drawn_x + fl->drawn_w))
			continue;
		give_focus(f, i);
		if (is_text(fl)) {
			/* a click puts the cursor where it fell: no selection */
			line_editor_select_none(fl->ed);
			if (x >= fl->drawn_x && x < fl->drawn_x + fl->drawn_w)
				line_editor_click(fl->ed, fl->drawn_w, x - fl->drawn_x);
			return FORM_HANDLED;
		}
		if (fl->type == FORM_BUTTON || x >= fl->drawn_x || is_double)
			return activate(f);
		return FORM_HANDLED;
	}
	return FORM_IGNORED;
}

/* A key typed into a date that a date cannot hold: a letter, a space, a mark.  Digits
 * and the separators dd/mm/yyyy, dd-mm-yyyy and dd.mm.yyyy are taken; so are keys that
 * edit (they carry no text). */
static int is_refused_by_date(const struct ui_key *k)
{
	return k->code == 0 && !k->alt && k->text[0] &&
	       !(k->ch < 128 && strchr("0123456789/-.", (int)k->ch));
}

/* The field shows that it refused the key and the status line says why: a key is never
 * dropped in silence. */
static int refuse(struct form_field *fl, const char *why)
{
	fl->is_refusing = 1;
	ui_error("%s", why);
	return FORM_HANDLED;
}

int form_key(struct form *f, const struct ui_key *k)
{
	struct form_field *fl;
	int wheel, y, x, le, i;

	if (f->n == 0)
		return FORM_IGNORED;
	for (i = 0; i < f->n; i++)
		f->fields[i].is_refusing = 0;
	fl = &f->fields[f->focus];
	if ((wheel = ui_key_wheel(k))) {
		f->top += wheel * 3;
		if (f->top < 0)
			f->top = 0;
		f->is_free_scroll = 1;
		return FORM_HANDLED;
	}
	if (ui_key_click(k, &y, &x))
		return click(f, y, x, (k->mouse.bstate & BUTTON1_DOUBLE_CLICKED) != 0);
	if (ui_key_is(k, UI_KEY_TAB))
		return move_focus(f, 1, 1);
	if (k->code == KEY_BTAB)
		return move_focus(f, -1, 1);
	if (k->code == KEY_DOWN)
		return move_focus(f, 1, 0);
	if (k->code == KEY_UP)
		return move_focus(f, -1, 0);
	if (k->code == KEY_NPAGE || k->code == KEY_PPAGE) {
		int page = LINES / 2 > 1 ? LINES / 2 : 1;

		return move_focus(f, k->code == KEY_NPAGE ? page : -page, 0);
	}
	if (ui_key_is_enter(k)) {
		if (is_text(fl))
			return move_focus(f, 1, 0);
		return activate(f);
	}
	if (!is_text(fl)) {
		if (ui_key_is(k, ' '))
			return activate(f);
		if (ui_key_is(k, 'j'))
			return move_focus(f, 1, 0);
		if (ui_key_is(k, 'k'))
			return move_focus(f, -1, 0);
		if (k->code == KEY_HOME || k->code == KEY_END)
			return move_focus(f, k->code == KEY_HOME ? -f->n : f->n, 0);
		return FORM_IGNORED;
	}
	if (fl->type == FORM_DATE && is_refused_by_date(k))
		return refuse(fl, _("A date is typed dd/mm/yyyy: digits and / - . only"));
	le = ui_edit_key(fl->ed, k);
	if (le == LE_IGNORED)
		return FORM_IGNORED;
	if (le & LE_FULL)
		refuse(fl, fl->type == FORM_DATE
				   ? _("The date is complete: Backspace or Ctrl-U to type another")
				   : _("The field is full"));
	f->is_free_scroll = 0;
	return FORM_HANDLED | (le & LE_CHANGED ? FORM_CHANGED : 0);
}
