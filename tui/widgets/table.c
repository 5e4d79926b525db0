/*
 * table.c - the paged table (see table.h).  It holds the rows on screen and nothing else:
 * every move asks the source for the few rows next to those, so that the thousandth page
 * costs what the first does.  It never keeps rows it does not show.
 */
#include <stdlib.h>
#include <string.h>

#include "widgets/table.h"

#define MAX_COLUMNS 16
#define WHEEL_ROWS 3

struct table {
	const struct table_column *columns;
	int ncolumns;
	const struct table_source *src;
	void *ctx;
	void **rows; /* on screen, top first */
	int nrows, cap;
	int height;  /* rows the window holds, as last drawn */
	int sel;     /* the selected row's index in rows */
	long first;  /* the position of rows[0] in the list; -1: not known */
	long after;  /* rows after the last on screen; -1: not known */
	long total;  /* -1: not known */
	int top_y, x, w; /* where the first row was last drawn, for clicks */
};

struct table *table_new(const struct table_column *columns, int n,
			const struct table_source *src, void *ctx)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->columns = columns;
	t->ncolumns = n < MAX_COLUMNS ? n : MAX_COLUMNS;
	t->src = src;
	t->ctx = ctx;
	/* Until the first draw says how many rows fit: a screenful at most. */
	t->height = LINES > 4 ? LINES - 4 : 20;
	t->first = t->after = t->total = -1;
	t->top_y = -1;
	return t;
}

static void drop_all(struct table *t)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		t->src->free_row(t->ctx, t->rows[i]);
	t->nrows = 0;
	t->sel = 0;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	drop_all(t);
	free(t->rows);
	free(t);
}

static int reserve(struct table *t, int n)
{
	void **v;

	if (n <= t->cap)
		return 0;
	if (!(v = realloc(t->rows, sizeof(*v) * (size_t)n))) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	t->rows = v;
	t->cap = n;
	return 0;
}

/* Positions follow from the total when one end's is known. */
static void derive(struct table *t)
{
	if (t->total < 0)
		return;
	if (t->first >= 0) {
		t->after = t->total - t->first - t->nrows;
		if (t->after < 0)
			t->after = 0;
	} else if (t->after >= 0) {
		t->first = t->total - t->after - t->nrows;
		if (t->first < 0)
			t->first = 0;
	}
}

/* Up to n rows next to from into a new array *out (nearest first); their number, or -1. */
static int fetch(struct table *t, const void *from, int dir, int n, void ***out)
{
	void **v;
	int m;

	*out = NULL;
	if (n <= 0)
		return 0;
	if (!(v = calloc((size_t)n, sizeof(*v)))) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	m = t->src->fetch(t->ctx, from, dir, n, v);
	if (m < 0) {
		free(v);
		return -1;
	}
	*out = v;
	return m;
}

static void drop_top(struct table *t, int m)
{
	int i;

	if (m <= 0)
		return;
	if (m > t->nrows)
		m = t->nrows;
	for (i = 0; i < m; i++)
		t->src->free_row(t->ctx, t->rows[i]);
	memmove(t->rows, t->rows + m, sizeof(*t->rows) * (size_t)(t->nrows - m));
	t->nrows -= m;
	t->sel = t->sel - m < 0 ? 0 : t->sel - m;
	if (t->first >= 0)
		t->first += m;
}

static void drop_bottom(struct table *t, int m)
{
	if (m <= 0)
		return;
	if (m > t->nrows)
		m = t->nrows;
	while (m-- > 0) {
		t->src->free_row(t->ctx, t->rows[--t->nrows]);
		if (t->after >= 0)
			t->after++;
	}
	if (t->sel >= t->nrows)
		t->sel = t->nrows > 0 ? t->nrows - 1 : 0;
}

/* Up to n rows after the last on screen, appended; how many came, or -1. */
static int grow_down(struct table *t, int n)
{
	void **v;
	int m;

	if (!t->nrows || n <= 0)
		return 0;
	if ((m = fetch(t, t->rows[t->nrows - 1], 1, n, &v)) < 0 || reserve(t, t->nrows + m)) {
		if (v)
			while (m-- > 0)
				t->src->free_row(t->ctx, v[m]);
		free(v);
		return -1;
	}
	memcpy(t->rows + t->nrows, v, sizeof(*v) * (size_t)m);
	t->nrows += m;
	free(v);
	if (m < n)
		t->after = 0;
	else if (t->after >= 0)
		t->after = t->after >= m ? t->after - m : -1;
	return m;
}

/* Up to n rows before the first on screen, prepended; how many came, or -1. */
static int grow_up(struct table *t, int n)
{
	void **v;
	int m, i;

	if (!t->nrows || n <= 0)
		return 0;
	if ((m = fetch(t, t->rows[0], -1, n, &v)) < 0 || reserve(t, t->nrows + m)) {
		if (v)
			while (m-- > 0)
				t->src->free_row(t->ctx, v[m]);
		free(v);
		return -1;
	}
	memmove(t->rows + m, t->rows, sizeof(*t->rows) * (size_t)t->nrows);
	for (i = 0; i < m; i++) /* nearest first: the farthest goes on top */
		t->rows[m - 1 - i] = v[i];
	t->nrows += m;
	t->sel += m;
	free(v);
	if (m < n)
		t->first = 0;
	else if (t->first >= 0)
		t->first = t->first >= m ? t->first - m : -1;
	return m;
}

/* Replaces the rows with v (m of them, top first). */
static int replace(struct table *t, void **v, int m)
{
	drop_all(t);
	if (reserve(t, m)) {
		while (m-- > 0)
			t->src->free_row(t->ctx, v[m]);
		return -1;
	}
	if (m > 0)
		memcpy(t->rows, v, sizeof(*v) * (size_t)m);
	t->nrows = m;
	return 0;
}

/* Back to the window's height: rows dropped so that the selection stays in view, or
 * fetched where the list goes on. */
static void fit(struct table *t)
{
	int excess = t->nrows - t->height;

	if (excess > 0) {
		int top = t->sel - (t->height - 1);

		top = top < 0 ? 0 : top > excess ? excess : top;
		drop_top(t, top);
		drop_bottom(t, excess - top);
	} else if (excess < 0 && t->nrows) {
		if (grow_down(t, -excess) >= 0 && t->nrows < t->height)
			grow_up(t, t->height - t->nrows);
	}
	derive(t);
}

int table_top(struct table *t)
{
	void **v;
	int m = fetch(t, NULL, 1, t->height, &v);

	if (m < 0 || replace(t, v, m)) {
		free(v);
		return -1;
	}
	free(v);
	t->sel = 0;
	t->first = 0;
	t->after = m < t->height ? 0 : -1;
	derive(t);
	return 0;
}

int table_end(struct table *t)
{
	void **v;
	int m = fetch(t, NULL, -1, t->height, &v), i;

	if (m < 0)
		return -1;
	for (i = 0; i < m / 2; i++) { /* nearest first: the last row came first */
		void *x = v[i];

		v[i] = v[m - 1 - i];
		v[m - 1 - i] = x;
	}
	if (replace(t, v, m)) {
		free(v);
		return -1;
	}
	free(v);
	t->sel = m > 0 ? m - 1 : 0;
	t->after = 0;
	t->first = m < t->height ? 0 : -1;
	derive(t);
	return 0;
}

int table_refresh(struct table *t)
{
	long long id;
	void **v;
	int m, i;

	if (!t->nrows)
		return table_top(t);
	id = t->src->row_id(t->rows[t->sel]);
	if ((m = fetch(t, t->rows[0], 0, t->height, &v)) < 0)
		return -1;
	if (m == 0) {
		free(v);
		return table_end(t);
	}
	if (replace(t, v, m)) {
		free(v);
		return -1;
	}
	free(v);
	if (m < t->height) {
		t->after = 0;
		grow_up(t, t->height - m);
	} else {
		t->after = -1;
	}
	for (i = 0; i < t->nrows; i++)
		if (t->src->row_id(t->rows[i]) == id)
			break;
	if (i < t->nrows)
		t->sel = i;
	else if (t->sel >= t->nrows)
		t->sel = t->nrows - 1;
	derive(t);
	return 0;
}

void table_set_total(struct table *t, long total)
{
	t->total = total;
	derive(t);
}

long table_position(const struct table *t)
{
	return t->nrows && t->first >= 0 ? t->first + t->sel : -1;
}

const void *table_selected(const struct table *t)
{
	return t->nrows ? t->rows[t->sel] : NULL;
}

int table_rows(const struct table *t)
{
	return t->nrows;
}

/* --- moving ------------------------------------------------------------------------------ */

static int move_down(struct table *t, int k)
{
	int want;

	if (!t->nrows)
		return TABLE_IGNORED;
	want = t->sel + k;
	if (want >= t->nrows && grow_down(t, want - (t->nrows - 1)) < 0)
		return TABLE_MOVED;
	t->sel = want < t->nrows ? want : t->nrows - 1;
	if (t->nrows > t->height)
		drop_top(t, t->nrows - t->height);
	derive(t);
	return TABLE_MOVED;
}

static int move_up(struct table *t, int k)
{
	int want, got;

	if (!t->nrows)
		return TABLE_IGNORED;
	want = t->sel - k;
	if (want < 0) {
		got = grow_up(t, -want);
		want += got > 0 ? got : 0;
	}
	t->sel = want < 0 ? 0 : want;
	if (t->nrows > t->height)
		drop_bottom(t, t->nrows - t->height);
	derive(t);
	return TABLE_MOVED;
}

/* The window moves a page; the selection keeps its row on screen (the last or the first
 * row once the list ends). */
static int page_down(struct table *t)
{
	int got, row = t->sel;

	if (!t->nrows)
		return TABLE_IGNORED;
	got = grow_down(t, t->height);
	if (got <= 0) {
		t->sel = t->nrows - 1;
	} else {
		drop_top(t, t->nrows - t->height);
		t->sel = row < t->nrows ? row : t->nrows - 1;
	}
	derive(t);
	return TABLE_MOVED;
}

static int page_up(struct table *t)
{
	int got, row = t->sel;

	if (!t->nrows)
		return TABLE_IGNORED;
	got = grow_up(t, t->height);
	if (got <= 0) {
		t->sel = 0;
	} else {
		drop_bottom(t, t->nrows - t->height);
		t->sel = row < t->nrows ? row : t->nrows - 1;
	}
	derive(t);
	return TABLE_MOVED;
}

static int click(struct table *t, const struct ui_key *k, int y, int x)
{
	int i = y - t->top_y;

	if (t->top_y < 0 || i < 0 || i >= t->nrows || x < t->x || x >= t->x + t->w)
		return TABLE_IGNORED;
	/* A click on the selected row, or a double click, opens it. */
	if (i == t->sel || (k->mouse.bstate & BUTTON1_DOUBLE_CLICKED)) {
		t->sel = i;
		return TABLE_MOVED | TABLE_OPEN;
	}
	t->sel = i;
	return TABLE_MOVED;
}

int table_key(struct table *t, const struct ui_key *k)
{
	int y, x, wheel;

	if ((wheel = ui_key_wheel(k)) != 0)
		return wheel > 0 ? move_down(t, WHEEL_ROWS) : move_up(t, WHEEL_ROWS);
	if (ui_key_click(k, &y, &x))
		return (k->mouse.bstate & BUTTON1_RELEASED) ? TABLE_IGNORED : click(t, k, y, x);
	if (k->code == KEY_DOWN || ui_key_is(k, 'j'))
		return move_down(t, 1);
	if (k->code == KEY_UP || ui_key_is(k, 'k'))
		return move_up(t, 1);
	if (k->code == KEY_NPAGE)
		return page_down(t);
	if (k->code == KEY_PPAGE)
		return page_up(t);
	if (k->code == KEY_HOME) {
		table_top(t);
		return TABLE_MOVED;
	}
	if (k->code == KEY_END) {
		table_end(t);
		return TABLE_MOVED;
	}
	if (ui_key_is_enter(k))
		return t->nrows ? TABLE_OPEN : TABLE_MOVED;
	return TABLE_IGNORED;
}

/* --- drawing ------------------------------------------------------------------------------ */

/* Which columns show in w columns and how wide (0: left out), from the left at xs. */
static void layout(const struct table *t, int w, int *xs, int *ws)
{
	int c, p, used = 0, shown = 0, spare, grow = 0, max_priority = 0;

	for (c = 0; c < t->ncolumns; c++) {
		const struct table_column *col = &t->columns[c];

		ws[c] = 0;
		if (col->priority > max_priority)
			max_priority = col->priority;
		if (col->priority == 0) {
			ws[c] = col->width;
			used += col->width;
			shown++;
		}
	}
	/* The others join in priority order while they fit, one gap of a column each. */
	for (p = 1; p <= max_priority; p++)
		for (c = 0; c < t->ncolumns; c++) {
			const struct table_column *col = &t->columns[c];

			if (col->priority != p)
				continue;
			if (used + col->min_width + shown > w)
				goto placed;
			ws[c] = col->min_width;
			used += col->min_width;
			shown++;
		}
placed:
	/* Narrower than the essential columns want: take from those that grow, then from
	 * any, down to their minimum. */
	while (used + shown - 1 > w) {
		int best = -1;

		for (c = 0; c < t->ncolumns; c++)
			if (ws[c] > t->columns[c].min_width &&
			    (best < 0 || ws[c] - t->columns[c].min_width >
					     ws[best] - t->columns[best].min_width))
				best = c;
		if (best < 0)
			break;
		ws[best]--;
		used--;
	}
	spare = w - used - (shown - 1);
	for (c = 0; c < t->ncolumns; c++)
		if (ws[c])
			grow += t->columns[c].grow;
	if (spare > 0 && grow > 0) {
		int given = 0, last = -1;

		for (c = 0; c < t->ncolumns; c++)
			if (ws[c] && t->columns[c].grow) {
				int add = spare * t->columns[c].grow / grow;

				ws[c] += add;
				given += add;
				last = c;
			}
		if (last >= 0)
			ws[last] += spare - given;
	}
	for (c = 0, used = 0; c < t->ncolumns; c++) {
		xs[c] = used;
		if (ws[c])
			used += ws[c] + 1;
	}
}

void table_draw(struct table *t, int y, int x, int h, int w)
{
	int xs[MAX_COLUMNS], ws[MAX_COLUMNS];
	int c, i, rows = h - 1 > 0 ? h - 1 : 0;
	char buf[1024];

	if (rows != t->height) {
		t->height = rows;
		fit(t);
	}
	layout(t, w, xs, ws);
	ui_clear_span(y, x, w, ui_style(UI_HEADER));
	/* An untitled column stays blank: gettext("") is the catalogue's header. */
	for (c = 0; c < t->ncolumns; c++)
		if (ws[c] && *t->columns[c].title)
			ui_text(y, x + xs[c], ws[c], _(t->columns[c].title), ui_style(UI_HEADER));
	t->top_y = y + 1;
	t->x = x;
	t->w = w;
	for (i = 0; i < t->nrows && i < rows; i++) {
		attr_t attr = ui_style(i == t->sel ? UI_SELECTED : t->src->style(t->ctx, t->rows[i]));

		ui_clear_span(y + 1 + i, x, w, attr);
		for (c = 0; c < t->ncolumns; c++)
			if (ws[c])
				ui_text(y + 1 + i, x + xs[c], ws[c],
					t->src->cell(t->ctx, t->rows[i], c, ws[c], buf, sizeof(buf)),
					attr);
	}
}

/* --- for sources ------------------------------------------------------------------------- */

void *table_row_pack(size_t size, size_t extra, const char *const *texts,
		     const size_t *offsets, int n)
{
	size_t len = size + extra;
	char *row, *p;
	int i;

	for (i = 0; i < n; i++)
		len += texts[i] ? strlen(texts[i]) + 1 : 0;
	if (!(row = calloc(1, len)))
		return NULL;
	p = row + size + extra;
	for (i = 0; i < n; i++) {
		size_t l;

		if (!texts[i])
			continue;
		l = strlen(texts[i]) + 1;
		memcpy(p, texts[i], l);
		memcpy(row + offsets[i], &(const char *){ p }, sizeof(const char *));
		p += l;
	}
	return row;
}

int table_page_add(struct table_page *p, void *row)
{
	if (!row) {
		p->failed = 1;
		return 1;
	}
	p->rows[p->n++] = row;
	return p->n >= p->max;
}

int table_page_end(struct table_page *p, int rc, const struct kyso_err *err)
{
	if (!rc && !p->failed)
		return p->n;
	while (p->n > 0)
		free(p->rows[--p->n]);
	ui_error("%s", rc ? err->msg : _("out of memory"));
	return -1;
}
