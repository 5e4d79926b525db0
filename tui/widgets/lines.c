/*
 * lines.c - the read-only page of a detail screen (lines.h): lines laid out again at each
 * draw from the width given, scrolled by row, with links chosen by Tab or a click.  It
 * knows nothing of what the lines say and never reaches the store.
 */
#include <stdlib.h>
#include <string.h>

#include "widgets/form.h"
#include "kyso/text.h"
#include "widgets/lines.h"

struct line {
	enum lines_kind kind;
	char *label, *text;
	int style;
	long long link;
	int row, span; /* as last laid out */
};

struct lines {
	struct line *v;
	int n, cap;
	int top;		/* first row shown */
	int rows;		/* rows the lines took at the last draw */
	int chosen;		/* index of the chosen link; -1: none */
	long long chosen_link;	/* kept across lines_clear */
	int follow;		/* bring the chosen link into view at the next draw */
};

struct lines *lines_new(void)
{
	struct lines *l = calloc(1, sizeof(*l));

	if (l)
		l->chosen = -1;
	return l;
}

void lines_clear(struct lines *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].label);
		free(l->v[i].text);
	}
	l->n = 0;
	l->chosen = -1;
}

void lines_free(struct lines *l)
{
	if (!l)
		return;
	lines_clear(l);
	free(l->v);
	free(l);
}

static struct line *add(struct lines *l, enum lines_kind kind, const char *label,
			const char *text, int style)
{
	struct line *ln;

	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		struct line *v = realloc(l->v, (size_t)cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	ln = &l->v[l->n];
	memset(ln, 0, sizeof(*ln));
	ln->kind = kind;
	ln->style = style;
	ln->label = strdup(label ? label : "");
	ln->text = strdup(text ? text : "");
	if (!ln->label || !ln->text) {
		free(ln->label);
		free(ln->text);
		return NULL;
	}
	l->n++;
	return ln;
}

void lines_add(struct lines *l, enum lines_kind kind, const char *label, const char *text,
	       int style)
{
	add(l, kind, label, text, style);
}

void lines_add_link(struct lines *l, long long link, const char *text, int style)
{
	struct line *ln = add(l, LINES_LINK, NULL, text, style);

	if (!ln)
		return;
	ln->link = link;
	/* the link chosen before the page was read again, else the first */
	if (l->chosen < 0 || link == l->chosen_link)
		l->chosen = l->n - 1;
}

long long lines_link(const struct lines *l)
{
	return l->chosen >= 0 ? l->v[l->chosen].link : 0;
}

/* Lays the lines out in width columns; draws those in view when draw.  Returns the rows. */
static int lay_out(struct lines *l, int width, int draw)
{
	int top = ui_body_top(), height = ui_body_rows(), r = 0, i, lw = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == LINES_FIELD && text_width(l->v[i].label) > lw)
			lw = text_width(l->v[i].label);
	lw += 2;
	if (lw > width / 3)
		lw = width / 3;
	for (i = 0; i < l->n; i++) {
		struct line *ln = &l->v[i];
		int x = ln->kind == LINES_FIELD ? 1 + lw : ln->kind == LINES_EVENT ? 13
			: ln->kind == LINES_CHANGE ? 15
			: ln->kind == LINES_LINK || ln->kind == LINES_TEXT ? 3 : 1;
		int tw = width - x - 1, is_chosen = i == l->chosen, j, n;
		attr_t attr = is_chosen ? ui_style(UI_SELECTED) : ui_style(ln->style);
		char **wrapped;

		n = form_wrap(ln->text, tw, &wrapped);
		ln->row = r;
		ln->span = n;
		for (j = 0; draw && j < n; j++) {
			int y = top + r + j - l->top;

			if (r + j < l->top || r + j >= l->top + height)
				continue;
			if (is_chosen)
				ui_text(y, 0, width, j == 0 ? " ›" : "", attr);
			if (j == 0 && ln->kind == LINES_FIELD)
				ui_text(y, 1, lw - 1, ln->label, A_BOLD);
			if (j == 0 && ln->kind == LINES_EVENT)
				ui_text(y, 1, 10, ln->label, A_NORMAL);
			ui_text_raw(y, x, tw, wrapped[j], attr | (ln->kind == LINES_EVENT ? A_BOLD : 0));
		}
		form_wrap_free(wrapped, n);
		r += n;
	}
	return r;
}

static void clamp(struct lines *l)
{
	int max = l->rows - ui_body_rows();

	if (l->top > max)
		l->top = max;
	if (l->top < 0)
		l->top = 0;
}

void lines_draw(struct lines *l)
{
	l->rows = lay_out(l, ui_cols(), 0);
	if (l->follow && l->chosen >= 0) {
		const struct line *ln = &l->v[l->chosen];

		if (ln->row < l->top)
			l->top = ln->row;
		if (ln->row + ln->span > l->top + ui_body_rows())
			l->top = ln->row + ln->span - ui_body_rows();
	}
	l->follow = 0;
	clamp(l);
	lay_out(l, ui_cols(), 1);
	if (l->top > 0)
		ui_text(ui_body_top(), ui_cols() - 1, 1, "\xE2\x86\x91", ui_style(UI_HEADER));
	if (l->rows > l->top + ui_body_rows())
		ui_text(ui_body_bottom(), ui_cols() - 1, 1, "\xE2\x86\x93", ui_style(UI_HEADER));
}

/* The next link after (dir 1) or before (dir -1) the chosen one, round the ends. */
static int choose_next(struct lines *l, int dir)
{
	int i, k;

	for (k = 1; k <= l->n; k++) {
		i = ((l->chosen < 0 ? (dir > 0 ? -1 : 0) : l->chosen) + dir * k + l->n * 2) % l->n;
		if (l->v[i].kind == LINES_LINK) {
			l->chosen = i;
			l->chosen_link = l->v[i].link;
			l->follow = 1;
			return LINES_MOVED;
		}
	}
	return LINES_IGNORED;
}

static int click(struct lines *l, const struct ui_key *k, int y)
{
	int row = y - ui_body_top() + l->top, i;

	if (y < ui_body_top() || y > ui_body_bottom())
		return LINES_IGNORED;
	for (i = 0; i < l->n; i++) {
		struct line *ln = &l->v[i];

		if (ln->kind != LINES_LINK || row < ln->row || row >= ln->row + ln->span)
			continue;
		if (i == l->chosen || (k->mouse.bstate & BUTTON1_DOUBLE_CLICKED))
			return LINES_MOVED | LINES_OPEN;
		l->chosen = i;
		l->chosen_link = ln->link;
		return LINES_MOVED;
	}
	return LINES_IGNORED;
}

int lines_key(struct lines *l, const struct ui_key *k)
{
	int page = ui_body_rows() > 2 ? ui_body_rows() - 1 : 1, wheel = ui_key_wheel(k), y, x;

	if (wheel)
		l->top += wheel * 3;
	else if (k->code == KEY_DOWN || ui_key_is(k, 'j'))
		l->top++;
	else if (k->code == KEY_UP || ui_key_is(k, 'k'))
		l->top--;
	else if (k->code == KEY_NPAGE || ui_key_is(k, ' '))
		l->top += page;
	else if (k->code == KEY_PPAGE)
		l->top -= page;
	else if (k->code == KEY_HOME)
		l->top = 0;
	else if (k->code == KEY_END)
		l->top = l->rows;
	else if (ui_key_is(k, UI_KEY_TAB))
		return choose_next(l, 1);
	else if (k->code == KEY_BTAB)
		return choose_next(l, -1);
	else if (ui_key_is_enter(k))
		return l->chosen >= 0 ? LINES_OPEN : LINES_IGNORED;
	else if (ui_key_click(k, &y, &x) && !(k->mouse.bstate & BUTTON1_RELEASED))
		return click(l, k, y);
	else
		return LINES_IGNORED;
	clamp(l);
	return LINES_MOVED;
}
