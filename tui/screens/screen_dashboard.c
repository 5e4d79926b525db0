/*
 * screen_dashboard.c - "Việc cần làm", the screen kyso opens on: the due list (DOMAIN.md
 * §8), each check with its count and the article it serves; the subscribers counted by
 * kind and status; the units.  Enter on a line opens what it counts: a check's cases, the
 * roster filtered the same way, the units.  The two lists it opens live here too: the
 * cases of one check, and the units as a tree (where a unit is added).
 *
 * Every number comes from core (due_list, tally_*), which reads the counts the store keeps
 * as rows change: the first screen shows as quickly over a million subscribers as over
 * ten, and is read again each time the officer comes back to it.  Nothing here decides
 * what is due, and nothing is written but through core (unit_add).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/form.h"
#include "kyso/agency.h"
#include "kyso/due.h"
#include "kyso/subscriber.h"
#include "kyso/tally.h"
#include "kyso/text.h"
#include "screens/screens.h"
#include "widgets/ui.h"

/* Marks that say a line's state in text, so that it never rests on colour alone. */
#define MARK_CASES "!"
#define MARK_DONE "✓"

/* --- a list of rows: selection and scrolling ------------------------------------------- */

struct rows {
	int sel, top;
};

/* Keeps the selection within n rows and in a window of height rows. */
static void rows_show(struct rows *r, int n, int height)
{
	if (height < 1)
		height = 1;
	if (r->sel >= n)
		r->sel = n - 1;
	if (r->sel < 0)
		r->sel = 0;
	if (r->top > r->sel)
		r->top = r->sel;
	if (r->sel >= r->top + height)
		r->top = r->sel - height + 1;
	if (r->top > n - height)
		r->top = n - height;
	if (r->top < 0)
		r->top = 0;
}

/* The move a navigation key asks for in a list of n rows shown height at a time; 0 when
 * the key is not one. */
static int rows_delta(const struct ui_key *k, int n, int height)
{
	int wheel = ui_key_wheel(k);

	if (wheel)
		return wheel * 3;
	switch (k->code) {
	case KEY_UP: return -1;
	case KEY_DOWN: return 1;
	case KEY_PPAGE: return -(height > 1 ? height - 1 : 1);
	case KEY_NPAGE: return height > 1 ? height - 1 : 1;
	case KEY_HOME: return -n - 1;
	case KEY_END: return n + 1;
	}
	if (ui_key_is(k, 'k'))
		return -1;
	if (ui_key_is(k, 'j'))
		return 1;
	return 0;
}

/* The row of a list drawn from screen row y0 that a click at y hit; -1 for none. */
static int rows_at(const struct rows *r, int n, int y0, int height, int y)
{
	int i = r->top + (y - y0);

	return y >= y0 && y < y0 + height && i < n ? i : -1;
}

/* A click on the row already selected, or a double click, opens it. */
static int is_open_click(const struct ui_key *k, int was_selected)
{
	return was_selected || (k->mouse.bstate & BUTTON1_DOUBLE_CLICKED);
}

/* A left click at *y, *x that selects: the release that ends a press is not a second
 * click (it would open what the press just selected). */
static int is_click(const struct ui_key *k, int *y, int *x)
{
	return ui_key_click(k, y, x) && !(k->mouse.bstate & BUTTON1_RELEASED);
}

/* The width the lists use: all of a narrow terminal, no more than reads well on a wide
 * one. */
static int content_width(void)
{
	return ui_cols() < 100 ? ui_cols() : 100;
}

/* Three columns of numbers at the right of the content, NUMBER_W wide each: room for
 * "[1.000.000]", the brackets marking the count Enter opens. */
#define NUMBER_W 11

static int col_x(int col)
{
	return content_width() - 3 * (NUMBER_W + 1) - 1 + col * (NUMBER_W + 1);
}

static void draw_number(int y, int col, long n, attr_t attr, int is_chosen)
{
	char num[32], cell[40];
	int w;

	ui_number(n, num);
	snprintf(cell, sizeof(cell), is_chosen ? "[%s]" : "%s ", num);
	w = text_width(cell) < NUMBER_W ? text_width(cell) : NUMBER_W;
	ui_text(y, col_x(col), NUMBER_W - w, "", attr);
	ui_text(y, col_x(col) + NUMBER_W - w, w, cell,
		is_chosen ? attr | A_BOLD | A_UNDERLINE : attr);
}

/* A heading over a column of numbers, right-aligned with the digits. */
static void draw_right(int y, int col, const char *text, attr_t attr)
{
	int w = text_width(text);

	if (w > NUMBER_W - 1)
		w = NUMBER_W - 1;
	ui_text(y, col_x(col) + NUMBER_W - 1 - w, w, text, attr);
}

/* --- the cases of one check -------------------------------------------------------------- */

struct case_row {
	long long subscriber_id, token_id;
	char *name, *unit, *detail;
};

struct cases_screen {
	struct screen base;
	char check_id[32];
	char rule[24];
	long count;
	struct case_row *rows;
	size_t n;
	struct rows list;
};

static const struct ui_keyhelp cases_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "Enter", N_("Open"), 0, '\n', 1 },
	{ "F5", N_("Refresh"), KEY_F(5), 0, 1 },
	{ "Esc", N_("Back"), 0, UI_KEY_ESC, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "g", N_("Refresh"), 0, 'g', 0 },
	{ "j k ↑ ↓", N_("Move"), 0, 0, 0 },
	{ "PgUp PgDn Home End", N_("Move by a page, to the first or the last"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static void cases_clear(struct cases_screen *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->rows[i].name);
		free(c->rows[i].unit);
		free(c->rows[i].detail);
	}
	free(c->rows);
	c->rows = NULL;
	c->n = 0;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int take_cases(const struct due_check *check, void *ctx)
{
	struct cases_screen *c = ctx;
	size_t i;

	if (strcmp(check->id, c->check_id))
		return 0;
	snprintf(c->base.detail, sizeof(c->base.detail), "%s (%s)", check->title, _(check->rule));
	c->count = check->count;
	c->rows = calloc(check->nitems ? check->nitems : 1, sizeof(*c->rows));
	if (!c->rows)
		return 1;
	for (i = 0; i < check->nitems; i++) {
		struct case_row *r = &c->rows[c->n];

		r->subscriber_id = check->items[i].subscriber_id;
		r->token_id = check->items[i].token_id;
		r->name = dup_or_empty(check->items[i].name);
		r->unit = dup_or_empty(check->items[i].unit);
		r->detail = dup_or_empty(check->items[i].detail);
		c->n++;
		if (!r->name || !r->unit || !r->detail)
			break;
	}
	return 1;
}

static void cases_load(struct cases_screen *c)
{
	struct kyso_err err;

	cases_clear(c);
	c->count = 0;
	if (due_list(ui_db(), NULL, take_cases, c, &err))
		ui_error("%s", err.msg);
}

/* Rows under the list for the selected case in full: the columns cut long addresses. */
#define CASE_TEXT_ROWS 2

static int cases_height(void)
{
	/* the header row above; a blank row and the selected case's whole text below */
	return ui_body_rows() - 2 - CASE_TEXT_ROWS;
}

static void cases_draw(struct screen *s)
{
	struct cases_screen *c = (struct cases_screen *)s;
	int y0 = ui_body_top(), w = ui_cols(), height = cases_height(), i;
	int name_w = w * 28 / 100, unit_w = w * 22 / 100, detail_x = 1 + name_w + 1 + unit_w + 1;
	char line[1024], num[32];

	ui_text(y0, 0, w, "", ui_style(UI_HEADER));
	ui_text(y0, 1, name_w, _("Name"), ui_style(UI_HEADER));
	ui_text(y0, 2 + name_w, unit_w, _("Unit"), ui_style(UI_HEADER));
	ui_text(y0, detail_x, w - detail_x, _("What is wrong"), ui_style(UI_HEADER));
	rows_show(&c->list, (int)c->n, height);
	for (i = 0; i < height && c->list.top + i < (int)c->n; i++) {
		const struct case_row *r = &c->rows[c->list.top + i];
		int is_sel = c->list.top + i == c->list.sel;
		attr_t attr = is_sel ? ui_style(UI_SELECTED) : A_NORMAL;
		int y = y0 + 1 + i;

		ui_text(y, 0, w, "", attr);
		ui_text(y, 1, name_w, r->name, attr);
		ui_text(y, 2 + name_w, unit_w, r->unit, attr);
		ui_text(y, detail_x, w - detail_x, r->detail, attr);
	}
	/* The cases beyond the first DUE_ITEMS_MAX are counted, not listed: said under the
	 * list, where it shows however far the list is scrolled. */
	if (c->count > (long)c->n) {
		snprintf(line, sizeof(line), _("… and %s more"), ui_number(c->count - (long)c->n, num));
		ui_text(ui_body_bottom() - CASE_TEXT_ROWS, 1, w - 2, line, A_BOLD);
	}
	if (!c->n)
		ui_text(y0 + 1, 1, w - 2, _("Nothing to do here."), ui_style(UI_GOOD));
	if (c->n) {
		const struct case_row *r = &c->rows[c->list.sel];
		char **wrapped;
		int n;

		if (r->subscriber_id)
			snprintf(line, sizeof(line), "#%lld %s: %s", r->subscriber_id, r->name,
				 r->detail);
		else
			snprintf(line, sizeof(line), "%s: %s", r->name, r->detail);
		n = form_wrap(line, w - 2, &wrapped);
		for (i = 0; i < n && i < CASE_TEXT_ROWS; i++)
			ui_text(ui_body_bottom() - CASE_TEXT_ROWS + 1 + i, 1, w - 2, wrapped[i], A_BOLD);
		form_wrap_free(wrapped, n);
	}
}

static void cases_open_row(struct cases_screen *c)
{
	const struct case_row *r;

	if (!c->n)
		return;
	r = &c->rows[c->list.sel];
	/* a case about a token opens the token; one about a subscriber only, the subscriber */
	if (r->token_id)
		token_view_open(r->token_id);
	else if (r->subscriber_id)
		subscriber_view_open(r->subscriber_id);
	else
		ui_message(c->base.detail, r->detail);
}

static int cases_key(struct screen *s, const struct ui_key *k)
{
	struct cases_screen *c = (struct cases_screen *)s;
	int height = cases_height(), delta = rows_delta(k, (int)c->n, height), y, x;

	if (delta) {
		c->list.sel += delta;
		rows_show(&c->list, (int)c->n, height);
		return UI_HANDLED;
	}
	if (ui_key_is_enter(k)) {
		cases_open_row(c);
		return UI_HANDLED;
	}
	if (k->code == KEY_F(5) || ui_key_is(k, 'g')) {
		cases_load(c);
		return UI_HANDLED;
	}
	if (is_click(k, &y, &x)) {
		int i = rows_at(&c->list, (int)c->n, ui_body_top() + 1, height, y);

		if (i < 0)
			return UI_IGNORED;
		if (is_open_click(k, i == c->list.sel)) {
			c->list.sel = i;
			cases_open_row(c);
		}
		c->list.sel = i;
		return UI_HANDLED;
	}
	return UI_IGNORED;
}

static void cases_activate(struct screen *s)
{
	cases_load((struct cases_screen *)s);
}

static void cases_free(struct screen *s)
{
	cases_clear((struct cases_screen *)s);
	free(s);
}

static int cases_open(const char *check_id)
{
	struct cases_screen *c = calloc(1, sizeof(*c));

	if (!c) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	snprintf(c->check_id, sizeof(c->check_id), "%s", check_id);
	c->base.title = N_("Cases");
	c->base.keys = cases_keys;
	c->base.draw = cases_draw;
	c->base.key = cases_key;
	c->base.activate = cases_activate;
	c->base.free = cases_free;
	cases_load(c);
	ui_push(&c->base);
	return 0;
}

/* --- the units --------------------------------------------------------------------------- */

struct unit_row {
	long long id;
	int depth;
	char *name;
	long active, departed;
};

struct units_screen {
	struct screen base;
	struct unit_row *units;
	size_t n, cap;
	struct rows list;
};

static const struct ui_keyhelp units_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "Enter", N_("Roster of the unit"), 0, '\n', 1 },
	{ "a", N_("Add a unit"), 0, 'a', 1 },
	{ "F5 g", N_("Refresh"), KEY_F(5), 0, 0 },
	{ "Esc", N_("Back"), 0, UI_KEY_ESC, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "j k ↑ ↓", N_("Move"), 0, 0, 0 },
	{ "PgUp PgDn Home End", N_("Move by a page, to the first or the last"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static void units_clear(struct units_screen *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->units[i].name);
	free(u->units);
	u->units = NULL;
	u->n = u->cap = 0;
}

static int take_unit(const struct unit *unit, const struct tally *t, void *ctx)
{
	struct units_screen *u = ctx;
	struct unit_row *r;

	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 32;

		if (!(r = realloc(u->units, cap * sizeof(*r))))
			return 1;
		u->units = r;
		u->cap = cap;
	}
	r = &u->units[u->n];
	if (!(r->name = strdup(unit->name)))
		return 1;
	r->id = unit->id;
	r->depth = unit->depth;
	r->active = unit->subscribers;
	r->departed = tally_count(t, -1, status_filter_name(FILTER_DEPARTED));
	u->n++;
	return 0;
}

static void units_load(struct units_screen *u)
{
	long long keep = u->n ? u->units[u->list.sel].id : 0;
	struct kyso_err err;
	size_t i;

	units_clear(u);
	if (tally_units(ui_db(), take_unit, u, &err))
		ui_error("%s", err.msg);
	for (i = 0; i < u->n; i++)
		if (u->units[i].id == keep)
			u->list.sel = (int)i;
}

static int units_height(void)
{
	return ui_body_rows() - 1;
}

static void units_draw(struct screen *s)
{
	struct units_screen *u = (struct units_screen *)s;
	int y0 = ui_body_top(), w = content_width(), height = units_height(), i;

	ui_text(y0, 0, w, "", ui_style(UI_HEADER));
	ui_text(y0, 1, col_x(0) - 2, _("Unit"), ui_style(UI_HEADER));
	draw_right(y0, 0, _("Active"), ui_style(UI_HEADER));
	draw_right(y0, 1, _("Departed"), ui_style(UI_HEADER));
	if (!u->n) {
		ui_text(y0 + 1, 1, w - 2, _("No units yet: press a to add one."), A_NORMAL);
		return;
	}
	rows_show(&u->list, (int)u->n, height);
	for (i = 0; i < height && u->list.top + i < (int)u->n; i++) {
		const struct unit_row *r = &u->units[u->list.top + i];
		int is_sel = u->list.top + i == u->list.sel, y = y0 + 1 + i;
		int indent = 2 * (r->depth > 8 ? 8 : r->depth);
		attr_t attr = is_sel ? ui_style(UI_SELECTED) : A_NORMAL;

		ui_text(y, 0, w, "", attr);
		ui_text(y, 1 + indent, col_x(0) - 2 - indent, r->name, attr);
		draw_number(y, 0, r->active, attr, 0);
		draw_number(y, 1, r->departed, is_sel ? attr : ui_style(UI_DEPARTED), 0);
	}
}

static void units_open_roster(struct units_screen *u)
{
	if (u->n)
		roster_open(&(struct roster_filter){ .unit_id = u->units[u->list.sel].id,
						      .kind = -1 });
}

/* Asks for the name, then the unit it belongs under, and adds it through core.  A name
 * core refuses (taken, blank) is asked for again with what was typed. */
static void units_add(struct units_screen *u)
{
	struct kyso_err err;
	char **items = NULL, parent[32] = "", *name = NULL, *typed;
	long long id = 0;
	int choice, n = (int)u->n + 1, i;

	if (!ui_prompt(_("Add a unit"), _("Name:"), "", &name))
		return;
	if (!(items = calloc((size_t)n, sizeof(*items))))
		goto out;
	items[0] = strdup(_("(top level: under no other unit)"));
	for (i = 1; i < n; i++) {
		const struct unit_row *r = &u->units[i - 1];

		if (asprintf(&items[i], "%*s%s", 2 * (r->depth > 8 ? 8 : r->depth), "", r->name) < 0)
			items[i] = NULL;
		if (!items[i])
			goto out;
	}
	if (!items[0])
		goto out;
	for (;;) {
		choice = ui_choose(_("Under which unit?"), (const char *const *)items, n, 0);
		if (choice < 0)
			goto out;
		parent[0] = '\0';
		if (choice > 0)
			snprintf(parent, sizeof(parent), "#%lld", u->units[choice - 1].id);
		if (!unit_add(ui_db(), name, parent, NULL, &id, &err))
			break;
		ui_error("%s", err.msg);
		if (!ui_prompt(_("Add a unit"), _("Name:"), name, &typed))
			goto out;
		free(name);
		name = typed;
	}
	units_load(u);
	for (i = 0; i < (int)u->n; i++)
		if (u->units[i].id == id)
			u->list.sel = i;
	ui_status(_("Unit added: %s"), name);
out:
	for (i = 0; items && i < n; i++)
		free(items[i]);
	free(items);
	free(name);
}

static int units_key(struct screen *s, const struct ui_key *k)
{
	struct units_screen *u = (struct units_screen *)s;
	int height = units_height(), delta = rows_delta(k, (int)u->n, height), y, x;

	if (delta) {
		u->list.sel += delta;
		rows_show(&u->list, (int)u->n, height);
		return UI_HANDLED;
	}
	if (ui_key_is_enter(k)) {
		units_open_roster(u);
		return UI_HANDLED;
	}
	if (ui_key_is(k, 'a')) {
		units_add(u);
		return UI_HANDLED;
	}
	if (k->code == KEY_F(5) || ui_key_is(k, 'g')) {
		units_load(u);
		return UI_HANDLED;
	}
	if (is_click(k, &y, &x)) {
		int i = rows_at(&u->list, (int)u->n, ui_body_top() + 1, height, y);

		if (i < 0)
			return UI_IGNORED;
		if (is_open_click(k, i == u->list.sel)) {
			u->list.sel = i;
			units_open_roster(u);
		}
		u->list.sel = i;
		return UI_HANDLED;
	}
	return UI_IGNORED;
}

static void units_activate(struct screen *s)
{
	units_load((struct units_screen *)s);
}

static void units_free(struct screen *s)
{
	units_clear((struct units_screen *)s);
	free(s);
}

static int units_open(void)
{
	struct units_screen *u = calloc(1, sizeof(*u));

	if (!u) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	u->base.title = N_("Units");
	u->base.keys = units_keys;
	u->base.draw = units_draw;
	u->base.key = units_key;
	u->base.activate = units_activate;
	u->base.free = units_free;
	units_load(u);
	ui_push(&u->base);
	return 0;
}

/* --- the dashboard ----------------------------------------------------------------------- */

#define DASH_CHECKS 16

struct dash_check {
	char id[32];
	char rule[24];
	char title[256];
	int is_report;
	long count;
};

enum line_type {
	LINE_HEADING_DUE,
	LINE_CHECK,	/* index: the check */
	LINE_BLANK,
	LINE_HEADING_COUNTS,
	LINE_KIND,	/* index: enum subscriber_kind */
	LINE_ALL,
	LINE_UNITS
};

struct dash_line {
	enum line_type type;
	int index;
};

/* The columns of a count line: which count Enter opens. */
enum { COL_ACTIVE, COL_DEPARTED, COL_TOTAL };

struct dashboard {
	struct screen base;
	struct dash_check checks[DASH_CHECKS];
	int nchecks;
	struct tally tally;
	long units;
	struct dash_line lines[DASH_CHECKS + 12];
	int nlines;
	struct rows list;
	int column;
};

static const struct ui_keyhelp dash_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "Enter", N_("Open"), 0, '\n', 1 },
	{ "r", N_("Roster"), 0, 'r', 1 },
	{ "t", N_("Tokens"), 0, 't', 1 },
	{ "a", N_("Add"), 0, 'a', 1 },
	{ "i", N_("Import"), 0, 'i', 1 },
	{ "F5", N_("Refresh"), KEY_F(5), 0, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "L", N_("Language: Vietnamese or English"), 0, 'L', 0 },
	{ "/", N_("Search the roster"), 0, '/', 0 },
	{ "u", N_("Units"), 0, 'u', 0 },
	{ "b", N_("Reports to the department"), 0, 'b', 0 },
	{ "g", N_("Refresh"), 0, 'g', 0 },
	{ "← → h l", N_("On a count: choose active, departed or all"), 0, 0, 0 },
	{ "j k ↑ ↓", N_("Move"), 0, 0, 0 },
	{ "PgUp PgDn Home End", N_("Move by a page, to the first or the last"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static int take_check(const struct due_check *c, void *ctx)
{
	struct dashboard *d = ctx;
	struct dash_check *dc;

	if (d->nchecks == DASH_CHECKS)
		return 1;
	dc = &d->checks[d->nchecks++];
	snprintf(dc->id, sizeof(dc->id), "%s", c->id);
	snprintf(dc->rule, sizeof(dc->rule), "%s", c->rule);
	snprintf(dc->title, sizeof(dc->title), "%s", c->title);
	dc->is_report = c->is_report;
	dc->count = c->count;
	return 0;
}

static void add_line(struct dashboard *d, enum line_type type, int index)
{
	d->lines[d->nlines++] = (struct dash_line){ type, index };
}

static int is_selectable(const struct dash_line *l)
{
	return l->type == LINE_CHECK || l->type == LINE_KIND || l->type == LINE_ALL ||
	       l->type == LINE_UNITS;
}

/* Moves the selection by delta lines, over the headings; at an end it stays on the
 * nearest line that can be selected. */
static void dash_move(struct dashboard *d, int delta)
{
	int dir = delta < 0 ? -1 : 1, i = d->list.sel + delta;

	if (i < 0)
		i = 0;
	if (i >= d->nlines)
		i = d->nlines - 1;
	while (i >= 0 && i < d->nlines && !is_selectable(&d->lines[i]))
		i += dir;
	if (i < 0 || i >= d->nlines)
		for (i = dir < 0 ? 0 : d->nlines - 1; i >= 0 && i < d->nlines &&
						      !is_selectable(&d->lines[i]); i -= dir)
			;
	if (i >= 0 && i < d->nlines)
		d->list.sel = i;
}

static void dash_load(struct dashboard *d)
{
	struct dash_line was = d->nlines ? d->lines[d->list.sel] : (struct dash_line){ 0, 0 };
	struct kyso_db *db = ui_db();
	struct kyso_err err;
	int i;

	d->nchecks = 0;
	d->nlines = 0;
	if (due_list(db, NULL, take_check, d, &err) || tally_read(db, &d->tally, &err) ||
	    tally_unit_count(db, &d->units, &err))
		ui_error("%s", err.msg);
	add_line(d, LINE_HEADING_DUE, 0);
	for (i = 0; i < d->nchecks; i++)
		add_line(d, LINE_CHECK, i);
	add_line(d, LINE_BLANK, 0);
	add_line(d, LINE_HEADING_COUNTS, 0);
	for (i = KIND_PERSON; i <= KIND_DEVICE; i++)
		add_line(d, LINE_KIND, i);
	add_line(d, LINE_ALL, 0);
	add_line(d, LINE_BLANK, 0);
	add_line(d, LINE_UNITS, 0);
	/* The same line as before the refresh, else the first that can be chosen. */
	d->list.sel = 0;
	for (i = 0; i < d->nlines; i++)
		if (d->lines[i].type == was.type && d->lines[i].index == was.index &&
		    is_selectable(&d->lines[i]))
			d->list.sel = i;
	if (!is_selectable(&d->lines[d->list.sel]))
		dash_move(d, 1);
}

/* The statuses a column of the counts counts: the active, the departed, all. */
static const char *column_status(int col)
{
	static const enum status_filter columns[] = { FILTER_ACTIVE, FILTER_DEPARTED, FILTER_ALL };

	return status_filter_name(columns[col]);
}

static long count_of(const struct dashboard *d, int kind, int col)
{
	return tally_count(&d->tally, kind, column_status(col));
}

static void draw_check(const struct dashboard *d, const struct dash_check *c, int y,
		       attr_t base)
{
	int w = content_width(), rule_w = 0, i;
	attr_t attr = base ? base : ui_style(c->count ? UI_PROBLEM : UI_GOOD);
	char rule[128], fitted[96];

	/* A check that found nothing says so in words after its rule, where the title's
	 * column, narrow at 80 columns, cannot cut it off; the words line up after the
	 * widest rule, measured on screen ("Điều" is 4 columns and 7 bytes). */
	for (i = 0; i < d->nchecks; i++)
		if (text_width(_(d->checks[i].rule)) > rule_w)
			rule_w = text_width(_(d->checks[i].rule));
	snprintf(rule, sizeof(rule), "%s %s", text_fit(_(c->rule), rule_w, fitted, sizeof(fitted)),
		 c->count ? "" : _("done"));
	ui_text(y, 0, w, "", attr);
	ui_text(y, 1, 1, c->count ? MARK_CASES : MARK_DONE, attr | A_BOLD);
	ui_text(y, 3, col_x(0) - 4, c->title, attr);
	draw_number(y, 0, c->count, attr, 0);
	ui_text(y, col_x(1), w - col_x(1), rule, attr);
}

static void draw_counts(const struct dashboard *d, int kind, const char *label, int y,
			attr_t base, int is_sel)
{
	int col;

	ui_text(y, 0, content_width(), "", base);
	ui_text(y, 3, col_x(0) - 4, label, base);
	for (col = COL_ACTIVE; col <= COL_TOTAL; col++) {
		attr_t attr = base;

		if (!is_sel && col == COL_DEPARTED)
			attr = ui_style(UI_DEPARTED);
		draw_number(y, col, count_of(d, kind, col), attr, is_sel && col == d->column);
	}
}

static void draw_line(const struct dashboard *d, int i, int y)
{
	const struct dash_line *l = &d->lines[i];
	int is_sel = i == d->list.sel, w = content_width();
	attr_t sel = is_sel ? ui_style(UI_SELECTED) : 0, header = ui_style(UI_HEADER);

	switch (l->type) {
	case LINE_HEADING_DUE:
		ui_text(y, 0, w, "", header);
		ui_text(y, 1, col_x(0) - 2, _("To do"), header);
		draw_right(y, 0, _("Cases"), header);
		ui_text(y, col_x(1), w - col_x(1), _("Rule"), header);
		break;
	case LINE_CHECK:
		draw_check(d, &d->checks[l->index], y, sel);
		break;
	case LINE_HEADING_COUNTS:
		ui_text(y, 0, w, "", header);
		ui_text(y, 1, col_x(0) - 2, _("Subscribers"), header);
		draw_right(y, COL_ACTIVE, _("Active"), header);
		draw_right(y, COL_DEPARTED, _("Departed"), header);
		draw_right(y, COL_TOTAL, _("Total"), header);
		break;
	case LINE_KIND:
		draw_counts(d, l->index, subscriber_kind_label((enum subscriber_kind)l->index), y,
			    sel, is_sel);
		break;
	case LINE_ALL:
		draw_counts(d, -1, _("All subscribers"), y, sel | A_BOLD, is_sel);
		break;
	case LINE_UNITS:
		ui_text(y, 0, w, "", sel);
		ui_text(y, 1, col_x(0) - 2, _("Units"), sel | A_BOLD);
		draw_number(y, 0, d->units, sel, 0);
		break;
	case LINE_BLANK:
		break;
	}
}

static void dash_draw(struct screen *s)
{
	struct dashboard *d = (struct dashboard *)s;
	int y0 = ui_body_top(), height = ui_body_rows(), i;
	const struct dash_line *l = &d->lines[d->list.sel];

	rows_show(&d->list, d->nlines, height);
	/* The heading above the first line that can be chosen stays in view. */
	if (d->list.top > 0 && d->list.sel <= 1)
		d->list.top = 0;
	for (i = 0; i < height && d->list.top + i < d->nlines; i++)
		draw_line(d, d->list.top + i, y0 + i);
	if (l->type == LINE_KIND || l->type == LINE_ALL)
		ui_hint(_("← →: active, departed or all; Enter: the roster of those subscribers"));
	else if (l->type == LINE_CHECK && d->checks[l->index].count)
		ui_hint(_("Enter: the cases of this check; r: the roster; a: add a subscriber"));
	else
		ui_hint(_("Enter: open; r: the roster; i: import a roster file; F1: every key"));
}

static void dash_open_line(struct dashboard *d)
{
	const struct dash_line *l = &d->lines[d->list.sel];

	ui_hint(NULL);
	switch (l->type) {
	case LINE_CHECK:
		/* a report to send is done on the reports screen, whatever its count */
		if (d->checks[l->index].is_report)
			reports_open();
		else if (d->checks[l->index].count)
			cases_open(d->checks[l->index].id);
		else
			ui_status("%s", _("Nothing to do here."));
		break;
	case LINE_KIND:
	case LINE_ALL:
		roster_open(&(struct roster_filter){ .kind = l->type == LINE_KIND ? l->index : -1,
						      .status = column_status(d->column) });
		break;
	case LINE_UNITS:
		units_open();
		break;
	default:
		break;
	}
}

/* The column of a count line a click at x fell in; -1 for none. */
static int column_at(int x)
{
	int col;

	for (col = COL_ACTIVE; col <= COL_TOTAL; col++)
		if (x >= col_x(col) && x < col_x(col) + NUMBER_W)
			return col;
	return -1;
}

static void dash_switch_language(struct dashboard *d)
{
	const char *to = strcmp(ui_language(), "en") ? "en" : "vi";

	if (ui_set_language(to))
		return;
	dash_load(d);
	ui_status("%s", strcmp(to, "en") ? _("Language: Vietnamese") : _("Language: English"));
}

static int dash_click(struct dashboard *d, const struct ui_key *k, int y, int x)
{
	int i = rows_at(&d->list, d->nlines, ui_body_top(), ui_body_rows(), y), col;
	int was_selected = i == d->list.sel;

	if (i < 0 || !is_selectable(&d->lines[i]))
		return UI_IGNORED;
	d->list.sel = i;
	if ((d->lines[i].type == LINE_KIND || d->lines[i].type == LINE_ALL) &&
	    (col = column_at(x)) >= 0) {
		was_selected = was_selected && col == d->column;
		d->column = col;
	}
	if (is_open_click(k, was_selected))
		dash_open_line(d);
	return UI_HANDLED;
}

static int dash_key(struct screen *s, const struct ui_key *k)
{
	struct dashboard *d = (struct dashboard *)s;
	int delta = rows_delta(k, d->nlines, ui_body_rows()), y, x;

	if (delta) {
		dash_move(d, delta);
		return UI_HANDLED;
	}
	if (k->code == KEY_LEFT || ui_key_is(k, 'h')) {
		d->column = d->column > COL_ACTIVE ? d->column - 1 : COL_ACTIVE;
		return UI_HANDLED;
	}
	if (k->code == KEY_RIGHT || ui_key_is(k, 'l')) {
		d->column = d->column < COL_TOTAL ? d->column + 1 : COL_TOTAL;
		return UI_HANDLED;
	}
	if (ui_key_is_enter(k)) {
		dash_open_line(d);
		return UI_HANDLED;
	}
	if (is_click(k, &y, &x))
		return dash_click(d, k, y, x);
	ui_hint(NULL);
	if (ui_key_is(k, 'r'))
		roster_open(&(struct roster_filter){ .kind = -1 });
	else if (ui_key_is(k, 't'))
		tokens_open(NULL);
	else if (ui_key_is(k, '/'))
		roster_open(&(struct roster_filter){ .kind = -1, .search = "" });
	else if (ui_key_is(k, 'a'))
		subscriber_form_open(0, KIND_PERSON, 0);
	else if (ui_key_is(k, 'i')) {
		/* The import runs in dialogs over this screen: read what it changed. */
		import_open();
		dash_load(d);
	} else if (ui_key_is(k, 'u'))
		units_open();
	else if (ui_key_is(k, 'b'))
		reports_open();
	else if (ui_key_is(k, 'L'))
		dash_switch_language(d);
	else if (k->code == KEY_F(5) || ui_key_is(k, 'g')) {
		dash_load(d);
		ui_status("%s", _("Refreshed."));
	} else
		return UI_IGNORED;
	return UI_HANDLED;
}

static void dash_activate(struct screen *s)
{
	dash_load((struct dashboard *)s);
}

static void dash_free(struct screen *s)
{
	ui_hint(NULL);
	free(s);
}

int dashboard_open(void)
{
	struct dashboard *d = calloc(1, sizeof(*d));

	if (!d) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	d->base.title = N_("To do");
	d->base.keys = dash_keys;
	d->base.draw = dash_draw;
	d->base.key = dash_key;
	d->base.activate = dash_activate;
	d->base.free = dash_free;
	d->column = COL_TOTAL;
	dash_load(d);
	ui_push(&d->base);
	return 0;
}
