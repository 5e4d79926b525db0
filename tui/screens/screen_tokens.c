/*
 * screen_tokens.c - the token list: a table paged from the store (only the rows on
 * screen are read), a search that narrows it as the officer types (serial, subscriber,
 * keeper; without diacritics), filters by state, unit and keeper or holder, and the
 * tokens counted by state above it.  Space marks tokens for what is done to several at
 * once: PIN changes confirmed with one date (p, Art. 13.3), and a return to the
 * department in one set of minutes (R).  Also the form that adds a token.
 *
 * Pages are read by position (token_list's limit and offset, in serial order): an agency
 * holds thousands of tokens at most, so that a page deep in the list costs next to
 * nothing.  Nothing is written here but through core (token_add, token_pin_confirm,
 * token_apply_tx).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/check.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"
#include "widgets/listbar.h"
#include "screens/screens.h"
#include "widgets/table.h"
#include "screens/token_ui.h"

/* One row as the table holds it: its place in the list and the strings in one block. */
struct token_line {
	long long id;
	long pos;
	int pin_pending;
	const char *serial, *model, *state, *subscriber, *unit, *keeper, *holder, *loan_until,
		*pin_due_on, *kind, *loan_ref;
	char data[];
};

enum column { COL_MARK, COL_SERIAL, COL_SUBSCRIBER, COL_KEEPER, COL_STATE, COL_PIN, COL_KIND,
	      COL_UNIT, COL_MODEL, NCOLUMNS };

/* At 80 columns the mark, serial, subscriber, keeper, state and PIN due date; at 120 the
 * unit, the kind and the model too. */
static const struct table_column columns[NCOLUMNS] = {
	[COL_MARK] = { "", 1, 1, 0, 0 },
	[COL_SERIAL] = { N_("Serial"), 10, 14, 1, 0 },
	[COL_SUBSCRIBER] = { N_("Subscriber"), 12, 18, 3, 0 },
	[COL_KEEPER] = { N_("Keeper"), 12, 18, 3, 0 },
	[COL_STATE] = { N_("State"), 9, 12, 0, 0 },
	[COL_PIN] = { N_("PIN due"), 12, 12, 0, 0 },
	[COL_KIND] = { N_("Kind"), 9, 10, 0, 2 },
	[COL_UNIT] = { N_("Unit"), 12, 16, 2, 1 },
	[COL_MODEL] = { N_("Model"), 8, 10, 0, 3 },
};

/* The state filter: token_query's value (NULL: any), and the label when it is not a
 * state's own. */
static const char *const state_values[] = { NULL, "active", TOKEN_IN_USE, TOKEN_LOCKED,
					    TOKEN_LOST, TOKEN_FOUND, TOKEN_DAMAGED, TOKEN_RETURNED };
#define NSTATES (int)(sizeof(state_values) / sizeof(state_values[0]))

enum zone { ZONE_STATE, ZONE_UNIT, ZONE_KEEPER, NZONES };

struct tokens_screen {
	struct screen base;
	struct table *table;
	struct line_editor *search;
	int is_searching;
	int state;		/* index in state_values */
	long long unit_id;
	char unit_name[256];
	char *keeper;		/* words of the keeper's or holder's name; NULL: any */
	long total;
	long long *marked;	/* ids of the marked tokens */
	size_t nmarked;
	char counts[512];	/* "In use 12 · Locked 1 · ...", the whole store */
	char hint[160];		/* the status line's hint while tokens are marked */
	int search_y;
	struct listbar_zone zones[NZONES];
};

static const struct ui_keyhelp tokens_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "/", N_("Search"), 0, '/', 1 },
	{ "F3", N_("State"), KEY_F(3), 0, 1 },
	{ "F4", N_("Unit"), KEY_F(4), 0, 1 },
	{ "F6", N_("Keeper"), KEY_F(6), 0, 1 },
	{ "F7", N_("Add"), KEY_F(7), 0, 1 },
	{ "p", N_("PIN"), 0, 'p', 1 },
	{ "R", N_("Return"), 0, 'R', 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "Enter", N_("Open the selected token (or click it once more)"), 0, '\n', 0 },
	{ "Space", N_("Mark or unmark the token (for p and R)"), 0, ' ', 0 },
	{ "p", N_("Confirm PIN changes of the marked tokens, one date for all (Art. 13.3)"), 0, 0, 0 },
	{ "R", N_("Return the marked tokens to the department, in one minutes"), 0, 0, 0 },
	{ "a", N_("Add a token"), 0, 'a', 0 },
	{ "↑ ↓ j k", N_("Move the selection (or click a row; the wheel scrolls)"), 0, 0, 0 },
	{ "PgUp PgDn Home End", N_("A page up or down, the first or the last token"), 0, 0, 0 },
	{ "Esc", N_("Clear the search; with none, back"), 0, UI_KEY_ESC, 0 },
	UI_KEYHELP_END,
};

/* --- the rows ----------------------------------------------------------------------------- */

static struct token_line *line_copy(const struct token_row *r, long pos)
{
	static const size_t at[11] = {
		offsetof(struct token_line, serial), offsetof(struct token_line, model),
		offsetof(struct token_line, state), offsetof(struct token_line, subscriber),
		offsetof(struct token_line, unit), offsetof(struct token_line, keeper),
		offsetof(struct token_line, holder), offsetof(struct token_line, loan_until),
		offsetof(struct token_line, pin_due_on), offsetof(struct token_line, kind),
		offsetof(struct token_line, loan_ref),
	};
	const char *texts[11] = { r->serial, r->model, r->state, r->subscriber_name, r->unit,
				  r->keeper_name, r->holder_name, r->loan_until, r->pin_due_on,
				  token_kind_label(r->kind), r->loan_ref };
	struct token_line *c = table_row_pack(offsetof(struct token_line, data), 0, texts, at, 11);

	if (!c)
		return NULL;
	c->id = r->id;
	c->pos = pos;
	c->pin_pending = r->pin_pending;
	return c;
}

static struct token_query query_of(const struct tokens_screen *ts)
{
	const char *search = line_editor_text(ts->search);
	struct token_query q = {
		.state = state_values[ts->state],
		.unit_id = ts->unit_id,
		.holder = ts->keeper,
		.search = text_is_blank(search) ? NULL : search,
	};

	return q;
}

/* The rows a page collects, and the position of the first. */
struct page {
	struct table_page rows;
	long pos;
};

static int take_row(const struct token_row *row, void *ctx)
{
	struct page *p = ctx;

	return table_page_add(&p->rows, line_copy(row, p->pos + p->rows.n));
}

/* The rows at positions [offset, offset + n), in list order. */
static int read_rows(struct tokens_screen *ts, long offset, int n, void **rows)
{
	struct token_query q = query_of(ts);
	struct page page = { { rows, 0, n, 0 }, offset };
	struct kyso_err err = { 0 };

	q.limit = n;
	q.offset = offset;
	return table_page_end(&page.rows, n > 0 ? token_list(ui_db(), &q, take_row, &page, &err) : 0,
			      &err);
}

/* Rows next to from (table.h): by position, the nearest first. */
static int fetch_rows(void *ctx, const void *from, int dir, int n, void **rows)
{
	struct tokens_screen *ts = ctx;
	const struct token_line *f = from;
	long start, end;
	int m, i;

	if (dir >= 0) {
		start = !f ? 0 : dir > 0 ? f->pos + 1 : f->pos;
		return read_rows(ts, start, n, rows);
	}
	end = f ? f->pos : ts->total;
	if (end < 0) {
		struct token_query q = query_of(ts);
		struct kyso_err err;

		if (token_count(ui_db(), &q, &ts->total, &err)) {
			ui_error("%s", err.msg);
			return -1;
		}
		end = ts->total;
	}
	start = end - n > 0 ? end - n : 0;
	if ((m = read_rows(ts, start, (int)(end - start), rows)) < 0)
		return -1;
	for (i = 0; i < m / 2; i++) { /* nearest first */
		void *x = rows[i];

		rows[i] = rows[m - 1 - i];
		rows[m - 1 - i] = x;
	}
	return m;
}

static void free_row(void *ctx, void *row)
{
	(void)ctx;
	free(row);
}

static long long row_id(const void *row)
{
	return ((const struct token_line *)row)->id;
}

static int is_marked(const struct tokens_screen *ts, long long id)
{
	size_t i;

	for (i = 0; i < ts->nmarked; i++)
		if (ts->marked[i] == id)
			return 1;
	return 0;
}

static int holds_pin_clock(const struct token_line *r)
{
	return !strcmp(r->state, TOKEN_IN_USE) || !strcmp(r->state, TOKEN_LOCKED);
}

static int is_overdue(const struct token_line *r)
{
	char today[11];

	db_today(today);
	return holds_pin_clock(r) && (r->pin_pending || token_pin_overdue(r->pin_due_on, today));
}

/* The keeper, and who holds it while lent (Art. 14.3). */
static const char *keeper_text(const struct token_line *r, char *buf, size_t size)
{
	char date[11];

	if (!r->loan_until)
		return r->keeper ? r->keeper : "—";
	snprintf(buf, size, _("%s; lent to %s until %s, permission %s"),
		 r->keeper ? r->keeper : "—", r->holder ? r->holder : "—",
		 ui_date(r->loan_until, date), r->loan_ref ? r->loan_ref : "—");
	return buf;
}

/* The PIN's due date: "!" marks one that is overdue, or a new holder's PIN still to change. */
static const char *pin_text(const struct token_line *r, char *buf, size_t size)
{
	char date[11];

	if (!holds_pin_clock(r))
		return "—";
	if (r->pin_pending)
		return _("! new holder");
	snprintf(buf, size, "%s%s", is_overdue(r) ? "! " : "", ui_date(r->pin_due_on, date));
	return buf;
}

static const char *cell(void *ctx, const void *row, int col, int width, char *buf, size_t size)
{
	const struct token_line *r = row;
	struct tokens_screen *ts = ctx;

	(void)width;
	switch (col) {
	case COL_MARK: return is_marked(ts, r->id) ? "*" : "";
	case COL_SERIAL: return r->serial;
	case COL_SUBSCRIBER: return r->subscriber ? r->subscriber : "";
	case COL_KEEPER: return keeper_text(r, buf, size);
	case COL_STATE: return token_state_label(r->state);
	case COL_PIN: return pin_text(r, buf, size);
	case COL_KIND: return r->kind ? r->kind : "";
	case COL_UNIT: return r->unit ? r->unit : "";
	case COL_MODEL: return r->model ? r->model : "";
	}
	return "";
}

/* Colour marks the state; the words in the state and PIN columns carry it. */
static enum ui_style row_style(void *ctx, const void *row)
{
	const struct token_line *r = row;

	(void)ctx;
	if (!strcmp(r->state, TOKEN_RETURNED))
		return UI_DEPARTED;
	if (!strcmp(r->state, TOKEN_LOST) || is_overdue(r))
		return UI_PROBLEM;
	return UI_NORMAL;
}

static const struct table_source source = { fetch_rows, free_row, row_id, cell, row_style };

/* --- the query ----------------------------------------------------------------------------- */

static void recount(struct tokens_screen *ts)
{
	struct token_query q = query_of(ts);
	struct kyso_err err;

	if (token_count(ui_db(), &q, &ts->total, &err)) {
		ts->total = -1;
		ui_error("%s", err.msg);
	}
	table_set_total(ts->table, ts->total);
}

static void requery(struct tokens_screen *ts)
{
	ts->total = -1;
	recount(ts);
	table_top(ts->table);
}

/* "In use 12 · Locked 1 · Lost 1 · ...": every token of the store by state. */
static void count_states(struct tokens_screen *ts)
{
	size_t len = 0;
	int i;

	ts->counts[0] = '\0';
	for (i = 2; i < NSTATES; i++) {
		struct kyso_err err;
		long n = 0;
		char num[32];

		if (token_count(ui_db(), &(struct token_query){ .state = state_values[i] }, &n, &err))
			continue;
		len += (size_t)snprintf(ts->counts + len, sizeof(ts->counts) - len, "%s%s %s",
					len ? " · " : "", token_state_label(state_values[i]),
					ui_number(n, num));
		if (len >= sizeof(ts->counts))
			break;
	}
}

/* --- filters -------------------------------------------------------------------------------- */

static const char *state_label(int i)
{
	return i == 0 ? _("Any state") : i == 1 ? _("Active") : token_state_label(state_values[i]);
}

static void choose_state(struct tokens_screen *ts)
{
	const char *items[NSTATES];
	int i, picked;

	for (i = 0; i < NSTATES; i++)
		items[i] = state_label(i);
	picked = ui_choose(_("Show the tokens that are"), items, NSTATES, ts->state);
	if (picked < 0 || picked == ts->state)
		return;
	ts->state = picked;
	requery(ts);
}

static void choose_unit(struct tokens_screen *ts)
{
	long long id;

	if (unit_pick(_("Show the tokens of the subscribers of"), ts->unit_id, &id, ts->unit_name,
		      sizeof(ts->unit_name)) <= 0 || id == ts->unit_id)
		return;
	ts->unit_id = id;
	requery(ts);
}

static void choose_keeper(struct tokens_screen *ts)
{
	char *typed = NULL;

	if (!ui_prompt(_("Keeper or holder"), _("Name (empty: anyone):"), ts->keeper ? ts->keeper : "",
		       &typed))
		return;
	free(ts->keeper);
	ts->keeper = typed && !text_is_blank(typed) ? typed : NULL;
	if (!ts->keeper)
		free(typed);
	requery(ts);
}

/* --- drawing ------------------------------------------------------------------------------- */

static void draw_filters(struct tokens_screen *ts, int y)
{
	struct listbar_zone *z = ts->zones;

	z[ZONE_STATE] = (struct listbar_zone){ _("State:"), state_label(ts->state), ts->state > 0, 0, 0 };
	z[ZONE_UNIT] = (struct listbar_zone){ _("Unit:"), ts->unit_id ? ts->unit_name : _("All units"),
					      ts->unit_id > 0, 0, 0 };
	z[ZONE_KEEPER] = (struct listbar_zone){ _("Keeper:"), ts->keeper ? ts->keeper : _("anyone"),
						ts->keeper != NULL, 0, 0 };
	listbar_filters(y, z, NZONES, ZONE_UNIT);
}

static void tokens_draw(struct screen *s)
{
	struct tokens_screen *ts = (struct tokens_screen *)s;
	int top = ui_body_top(), table_y = top + 3;
	const struct token_line *r;
	char pos[80];

	if (ts->is_searching)
		ui_hint(_("Type to search (serial, subscriber, keeper); Enter or ↓: to the list; Esc: clear"));
	else if (ts->nmarked) {
		snprintf(ts->hint, sizeof(ts->hint),
			 _("%zu marked   p: PIN changed   R: return   Space: unmark"), ts->nmarked);
		ui_hint(ts->hint);
	} else
		ui_hint(_("Enter: open  /: search  a: add  Space: mark  p: PIN changed  R: return"));
	listbar_position(ts->table, ts->total, 0, pos, sizeof(pos));
	listbar_search(top, ts->search, ts->is_searching, _("press / and type a serial or a name"), pos);
	ts->search_y = top;
	draw_filters(ts, top + 1);
	ui_text(top + 2, 1, ui_cols() - 2, ts->counts, A_NORMAL);
	/* The last line: the selected token's loan in full, which its column cannot hold. */
	table_draw(ts->table, table_y, 0, ui_body_bottom() - table_y, ui_cols());
	if ((r = table_selected(ts->table)) && r->loan_until) {
		char line[768], date[11];

		snprintf(line, sizeof(line), _("%s: lent to %s until %s, permission %s"), r->serial,
			 r->holder ? r->holder : "—", ui_date(r->loan_until, date),
			 r->loan_ref ? r->loan_ref : "—");
		ui_text(ui_body_bottom(), 1, ui_cols() - 2, line, ui_style(UI_PROBLEM));
	}
	if (!table_rows(ts->table))
		ui_text(table_y + 2, 2, ui_cols() - 4,
			ts->total == 0 && !ts->state && !ts->unit_id && !ts->keeper &&
					text_is_blank(line_editor_text(ts->search))
				? _("No tokens yet: a (or F7) adds one.")
				: _("No token matches the search and filters."),
			A_NORMAL);
}

/* --- several at once ------------------------------------------------------------------------ */

static void toggle_mark(struct tokens_screen *ts)
{
	const struct token_line *r = table_selected(ts->table);
	size_t i;
	long long *more;

	if (!r)
		return;
	for (i = 0; i < ts->nmarked; i++)
		if (ts->marked[i] == r->id) {
			ts->marked[i] = ts->marked[--ts->nmarked];
			return;
		}
	if (!(more = realloc(ts->marked, (ts->nmarked + 1) * sizeof(*more))))
		return;
	ts->marked = more;
	ts->marked[ts->nmarked++] = r->id;
	table_key(ts->table, &(struct ui_key){ .code = KEY_DOWN });
}

/* The marked tokens, else the selected one; how many in *n (ids owned by ts or by one). */
static const long long *chosen(struct tokens_screen *ts, size_t *n, long long *one)
{
	const struct token_line *r = table_selected(ts->table);

	if (ts->nmarked) {
		*n = ts->nmarked;
		return ts->marked;
	}
	*n = r ? 1 : 0;
	*one = r ? r->id : 0;
	return one;
}

static void several(struct tokens_screen *ts, int is_return)
{
	struct kyso_err err = { 0 };
	long long one;
	size_t n;
	const long long *ids = chosen(ts, &n, &one);
	struct flow *fl;

	if (!n)
		return;
	fl = is_return ? token_return_flow(ids, n, &err) : token_pin_flow(ids, n, &err);
	if (!fl)
		ui_error("%s", err.msg);
}

/* --- keys ------------------------------------------------------------------------------------ */

static void add_token(void)
{
	struct kyso_err err = { 0 };

	if (!token_add_flow(&err))
		ui_error("%s", err.msg);
}

static void set_searching(struct tokens_screen *ts, int on)
{
	ts->is_searching = on;
	ts->base.is_typing = on;
}

static int common_key(struct tokens_screen *ts, const struct ui_key *k)
{
	int y, x, z;

	if (k->code == KEY_F(4))
		choose_unit(ts);
	else if (k->code == KEY_F(3))
		choose_state(ts);
	else if (k->code == KEY_F(6))
		choose_keeper(ts);
	else if (k->code == KEY_F(7))
		add_token();
	else if (ui_key_click(k, &y, &x) && y == ts->search_y)
		set_searching(ts, 1);
	else if (ui_key_click(k, &y, &x) && y == ts->search_y + 1) {
		z = listbar_zone_at(ts->zones, NZONES, x);
		if (z == ZONE_STATE)
			choose_state(ts);
		else if (z == ZONE_UNIT)
			choose_unit(ts);
		else if (z == ZONE_KEEPER)
			choose_keeper(ts);
	} else
		return UI_IGNORED;
	return UI_HANDLED;
}

static int search_key(struct tokens_screen *ts, const struct ui_key *k)
{
	int changed, flags = listbar_search_key(ts->search, ts->search_y, k, &ts->is_searching,
						&changed);

	ts->base.is_typing = ts->is_searching;
	if (changed)
		requery(ts);
	return flags;
}

static int list_key(struct tokens_screen *ts, const struct ui_key *k)
{
	const struct token_line *r;
	int t;

	if (ui_key_is(k, '/'))
		set_searching(ts, 1);
	else if (ui_key_is(k, 'a'))
		add_token();
	else if (ui_key_is(k, ' '))
		toggle_mark(ts);
	else if (ui_key_is(k, 'p'))
		several(ts, 0);
	else if (ui_key_is(k, 'R'))
		several(ts, 1);
	else if (ui_key_is_esc(k) && *line_editor_text(ts->search)) {
		line_editor_set_text(ts->search, "");
		requery(ts);
	} else {
		t = table_key(ts->table, k);
		if ((t & TABLE_OPEN) && (r = table_selected(ts->table)))
			token_view_open(r->id);
		return t ? UI_HANDLED : UI_IGNORED;
	}
	return UI_HANDLED;
}

static int tokens_key(struct screen *s, const struct ui_key *k)
{
	struct tokens_screen *ts = (struct tokens_screen *)s;

	if (ts->is_searching && search_key(ts, k))
		return UI_HANDLED;
	if (common_key(ts, k))
		return UI_HANDLED;
	if (ts->is_searching && k->code == 0)
		return UI_IGNORED;
	return list_key(ts, k);
}

/* Back on top: a token may have been added or changed.  (The marks a recorded PIN change
 * or return used were dropped by its flow: forget_marks.) */
static void tokens_activate(struct screen *s)
{
	struct tokens_screen *ts = (struct tokens_screen *)s;

	unit_pick_name(ts->unit_id, ts->unit_name, sizeof(ts->unit_name));
	count_states(ts);
	recount(ts);
	table_refresh(ts->table);
}

static void tokens_free(struct screen *s)
{
	struct tokens_screen *ts = (struct tokens_screen *)s;

	table_free(ts->table);
	line_editor_free(ts->search);
	free(ts->keeper);
	free(ts->marked);
	free(ts);
}

int tokens_open(const struct tokens_filter *filter)
{
	struct tokens_screen *ts = calloc(1, sizeof(*ts));
	int i;

	if (!ts) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	ts->base.title = N_("Tokens");
	ts->base.keys = tokens_keys;
	ts->base.draw = tokens_draw;
	ts->base.key = tokens_key;
	ts->base.activate = tokens_activate;
	ts->base.free = tokens_free;
	ts->total = -1;
	for (i = 1; filter && filter->state && i < NSTATES; i++)
		if (!strcmp(filter->state, state_values[i]))
			ts->state = i;
	ts->unit_id = filter ? filter->unit_id : 0;
	ts->search = line_editor_new(filter ? filter->search : NULL);
	ts->table = table_new(columns, NCOLUMNS, &source, ts);
	if (!ts->search || !ts->table) {
		tokens_free(&ts->base);
		ui_error("%s", _("out of memory"));
		return -1;
	}
	line_editor_set_max(ts->search, 100);
	unit_pick_name(ts->unit_id, ts->unit_name, sizeof(ts->unit_name));
	count_states(ts);
	ui_push(&ts->base);
	requery(ts);
	return 0;
}

/* --- adding a token -------------------------------------------------------------------------- */

static const char *const kind_items[] = { N_("USB token"), N_("SIM PKI"), N_("Centralised signing") };

static int add_save(struct flow *fl)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	int kind = form_choice(fl->form, TF_KIND), rc;
	struct token_new t = {
		.serial = flow_text(fl, TF_SERIAL),
		.kind = kind >= 0 && kind <= TOKEN_KIND_REMOTE ? (enum token_kind)kind : TOKEN_KIND_USB,
		.model = flow_text(fl, TF_MODEL), .subscriber_id = fl->picks[PICK_SUBSCRIBER],
		.keeper_name = flow_text(fl, TF_KEEPER_NAME),
		.keeper_position = flow_text(fl, TF_KEEPER_POSITION),
		.keeper_subscriber_id = fl->picks[PICK_KEEPER],
		.received_on = flow_date(fl, TF_RECEIVED), .pin_changed_on = flow_date(fl, TF_PIN_CHANGED),
		.note = flow_text(fl, TF_NOTE),
	};
	long long id = 0;

	rc = token_add(ui_db(), &t, &id, &problems, &err);
	if (rc == KYSO_EINVAL) {
		/* a subscriber typed but not picked: say how to pick one */
		if (!fl->picks[PICK_SUBSCRIBER] && !text_is_blank(form_text(fl->form, TF_SUBSCRIBER)))
			kyso_problems_add(&problems, 0, _("Subscriber"), "%s",
					  _("press Enter on the field to pick the subscriber from the roster"));
		flow_problems(fl, &problems, NULL, NULL);
	} else if (rc) {
		ui_error("%s", err.msg);
	}
	kyso_problems_free(&problems);
	if (rc)
		return UI_HANDLED;
	ui_status(_("Token added (#%lld)."), id);
	flow_done(fl);
	ui_pop();
	token_view_open(id);
	return UI_HANDLED;
}

struct flow *token_add_flow(struct kyso_err *err)
{
	struct flow *fl = flow_new(N_("New token"), DRAFT_TOKEN_ADD, err);
	char today[11], shown[11];
	int bad = 0;

	if (!fl)
		return NULL;
	db_today(today);
	fl->save = add_save;
	fl->hint = N_("Enter on the subscriber: pick from the roster   F3 on the keeper: the roster   F2: save");
	bad |= form_add_text(fl->form, TF_SERIAL, N_("Serial"), NULL, 64, 1) < 0;
	bad |= form_add_choice(fl->form, TF_KIND, N_("Kind"), kind_items, 3, 0, 1) < 0;
	bad |= form_add_text(fl->form, TF_MODEL, N_("Model"), NULL, 0, 0) < 0;
	bad |= form_add_text(fl->form, TF_SUBSCRIBER, N_("Subscriber"), NULL, 0, 1) < 0;
	bad |= form_add_text(fl->form, TF_KEEPER_NAME, N_("Keeper"), NULL, 0, 0) < 0;
	bad |= form_add_text(fl->form, TF_KEEPER_POSITION, N_("Keeper's position"), NULL, 0, 0) < 0;
	bad |= form_add_note(fl->form, N_("A person's token is kept by the person; an organisation's or a device's needs a keeper named (the clerk, the administrator)."), 1, 2) < 0;
	bad |= form_add_date(fl->form, TF_RECEIVED, N_("Received on"), date_display(today, shown), 0) < 0;
	bad |= form_add_date(fl->form, TF_PIN_CHANGED, N_("Last PIN change"), NULL, 0) < 0;
	bad |= form_add_text(fl->form, TF_NOTE, N_("Note"), NULL, 0, 0) < 0;
	bad |= form_add_button(fl->form, TF_SAVE, N_("Save")) < 0;
	bad |= form_add_button(fl->form, TF_CANCEL, N_("Cancel")) < 0;
	return flow_push_built(fl, bad, err);
}

/* --- several tokens: the list they share ------------------------------------------------------ */

/* A flow over the tokens ids, listed on top ("ABC123, DEF456"). */
static struct flow *several_new(const char *title, const char *draft, const long long *ids,
				size_t n, struct kyso_err *err)
{
	struct flow *fl = flow_new(title, draft, err);
	char *list = NULL;
	size_t i, len = 0;

	if (!fl)
		return NULL;
	for (i = 0; i < n; i++)
		if (flow_add_token_id(fl, ids[i], err))
			goto fail;
	if (!(list = calloc(n, 80) ))
		goto oom;
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(list + len, n * 80 - len, "%s%.70s", i ? ", " : "",
					fl->tokens[i].serial);
	snprintf(fl->base.detail, sizeof(fl->base.detail), _("%zu token(s)"), n);
	if (form_add_note(fl->form, list, 0, 0) < 0)
		goto oom;
	free(list);
	return fl;
oom:
	kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
fail:
	free(list);
	flow_free(fl);
	return NULL;
}

/* The marks were for what was just recorded: the list below drops them. */
static void forget_marks(struct flow *fl)
{
	if (fl->base.below && fl->base.below->draw == tokens_draw)
		((struct tokens_screen *)fl->base.below)->nmarked = 0;
}

/* --- PIN changes (Art. 13.3) ------------------------------------------------------------------ */

static int pin_save(struct flow *fl)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long *ids = calloc(fl->ntokens, sizeof(*ids));
	const char *date = flow_date(fl, TF_DATE);
	char shown[11], iso[11];
	size_t i, n = fl->ntokens;
	int rc;

	for (i = 0; ids && i < n; i++)
		ids[i] = fl->tokens[i].id;
	rc = ids ? token_pin_confirm(ui_db(), ids, n, date, flow_text(fl, TF_DECLARED_BY), &problems,
				     &err)
		 : kyso_fail(&err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (rc == KYSO_EINVAL)
		flow_problems(fl, &problems, NULL, NULL);
	else if (rc)
		ui_error("%s", err.msg);
	else
		ui_status(_("PIN change confirmed for %zu token(s) on %s."), n,
			  date && !date_parse(date, iso) ? date_display(iso, shown) : "");
	free(ids);
	kyso_problems_free(&problems);
	if (rc)
		return UI_HANDLED;
	flow_done(fl);
	forget_marks(fl);
	return UI_LEAVE;
}

struct flow *token_pin_flow(const long long *ids, size_t n, struct kyso_err *err)
{
	struct flow *fl = several_new(N_("PIN changed"), DRAFT_TOKEN_PIN, ids, n, err);
	char today[11], shown[11];
	int bad = 0;

	if (!fl)
		return NULL;
	db_today(today);
	fl->is_dialog = 1;
	fl->base.is_overlay = 1;
	fl->save = pin_save;
	bad |= form_add_note(fl->form, N_("Art. 13.3: the holders declared a new PIN; the officer confirms it, and the clock starts again."), 1, 0) < 0;
	bad |= form_add_date(fl->form, TF_DATE, N_("Date"), date_display(today, shown), 1) < 0;
	bad |= form_add_text(fl->form, TF_DECLARED_BY, N_("Declared by"), NULL, 0, 0) < 0;
	bad |= form_add_note(fl->form, N_("(empty: each token's keeper)"), 1, 2) < 0;
	bad |= form_add_button(fl->form, TF_SAVE, N_("Confirm")) < 0;
	bad |= form_add_button(fl->form, TF_CANCEL, N_("Cancel")) < 0;
	if ((fl = flow_push_built(fl, bad, err)))
		form_focus(fl->form, TF_DATE); /* the date is what is asked, once for all */
	return fl;
}

/* --- a return of several tokens, in one minutes ------------------------------------------------ */

static int return_save(struct flow *fl)
{
	long long *ids = calloc(fl->ntokens, sizeof(*ids));
	char serial[128], date[11] = "";
	const char *doc;
	size_t i, n = fl->ntokens;

	if (!ids) {
		ui_error("%s", _("out of memory"));
		return UI_HANDLED;
	}
	if (flow_apply_one(fl, TOKEN_ACT_RETURN, NULL, date, sizeof(date))) {
		free(ids);
		return UI_HANDLED;
	}
	for (i = 0; i < n; i++)
		ids[i] = fl->tokens[i].id;
	doc = flow_minutes_doc(fl, TOKEN_ACT_RETURN, ids, n, serial, sizeof(serial));
	ui_status(_("Return recorded for %zu token(s)."), n);
	flow_done(fl);
	forget_marks(fl);
	ui_pop();
	/* one minutes for them all (Mẫu 08 / Mẫu 14) */
	if (doc)
		minutes_offer(doc, ids, n, date);
	free(ids);
	if (ui_top() && ui_top()->activate)
		ui_top()->activate(ui_top());
	return UI_HANDLED;
}

struct flow *token_return_flow(const long long *ids, size_t n, struct kyso_err *err)
{
	struct flow *fl = several_new(N_("Return to the department"), DRAFT_TOKEN_RETURN, ids, n, err);
	int bad = 0;

	if (!fl)
		return NULL;
	fl->save = return_save;
	snprintf(fl->action, sizeof(fl->action), "%s", TOKEN_ACT_RETURN);
	bad |= act_fields_add(fl, TOKEN_ACT_RETURN, 0, 0) != 0;
	bad |= form_add_button(fl->form, TF_SAVE, N_("Record")) < 0;
	bad |= form_add_button(fl->form, TF_CANCEL, N_("Cancel")) < 0;
	return flow_push_built(fl, bad, err);
}
