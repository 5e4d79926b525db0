/*
 * screen_roster.c - the roster: a table of subscribers over the whole store, a search
 * that narrows it as the officer types (without diacritics: "dang thi" finds "Đặng Thị"),
 * filters by unit, kind and status, and three orders (name the Vietnamese way, unit,
 * status).  The line above the table says which filters and order are on; the search
 * line says where the selected row stands ("1.234/56.789").
 *
 * It must stay instant over a million subscribers: the table holds only the rows on
 * screen and fetches the rows next to them by key (table.c, subscriber_list), and the
 * number of matches of a search is counted by a thread with its own connection
 * (roster_count.c) while the officer goes on typing.  It never loads the whole roster
 * and never writes: adding, editing and departing belong to the subscriber screens.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"
#include "widgets/listbar.h"
#include "screens/roster_count.h"
#include "screens/screens.h"
#include "widgets/table.h"
#include "widgets/ui.h"

/* One row as the table holds it: the strings and the sort key in one allocation. */
struct roster_row {
	long long id, unit_id;
	enum subscriber_kind kind;
	const char *name, *unit, *position, *id_number, *email, *phone, *status, *departed_on;
	const unsigned char *key;
	int key_len;
	char data[];
};

enum column { COL_NAME, COL_KIND, COL_UNIT, COL_POSITION, COL_ID_NUMBER, COL_EMAIL, COL_PHONE,
	      COL_STATUS, NCOLUMNS };

/* At 80 columns name, unit, position and status (65 columns and their gaps, the rest
 * shared out); at 120 all eight. */
static const struct table_column columns[NCOLUMNS] = {
	[COL_NAME] = { N_("Full name"), 16, 24, 3, 0 },
	[COL_KIND] = { N_("Kind"), 10, 10, 0, 4 },
	[COL_UNIT] = { N_("Unit"), 12, 18, 2, 0 },
	[COL_POSITION] = { N_("Position"), 10, 12, 1, 0 },
	[COL_ID_NUMBER] = { N_("Citizen ID"), 12, 12, 0, 1 },
	[COL_EMAIL] = { N_("E-mail"), 16, 16, 1, 2 },
	[COL_PHONE] = { N_("Phone"), 10, 10, 0, 3 },
	[COL_STATUS] = { N_("Status"), 8, 11, 0, 0 },
};


static const char *const order_labels[] = { N_("Name"), N_("Unit"), N_("Status") };
static const char *const kind_short[] = { N_("Person"), N_("Organisation"), N_("Device") };

/* What a click on the filter line opens. */
enum zone { ZONE_UNIT, ZONE_KIND, ZONE_STATUS, ZONE_SORT, NZONES };

struct roster {
	struct screen base;
	struct table *table;
	struct line_editor *search;
	int is_searching;	/* the search field has the keys */
	long long unit_id;	/* filter: 0 for any unit */
	char unit_name[256];	/* its name, for the filter line */
	int kind;		/* filter: -1 for any kind */
	int status;		/* filter: an enum status_filter (0: any) */
	enum subscriber_order order;
	struct kyso_db *db;	/* the roster's own connection (see roster_open) */
	struct roster_count *counter;
	long total;		/* rows matching; -1 while counted */
	int count_failed;
	int search_y;		/* the search line's row, for clicks */
	struct listbar_zone zones[NZONES];
};

static const struct ui_keyhelp roster_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "/", N_("Search"), 0, '/', 1 },
	{ "F3", N_("Kind"), KEY_F(3), 0, 1 },
	{ "F4", N_("Unit"), KEY_F(4), 0, 1 },
	{ "F6", N_("Status"), KEY_F(6), 0, 1 },
	{ "F7", N_("Add"), KEY_F(7), 0, 1 },
	{ "F8", N_("Sort"), KEY_F(8), 0, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "Enter", N_("Open the selected subscriber (or click it once more)"), 0, '\n', 0 },
	{ "a", N_("Add a subscriber (in the unit filtered on)"), 0, 'a', 0 },
	{ "d", N_("Record the selected subscriber's departure"), 0, 'd', 0 },
	{ "↑ ↓ j k", N_("Move the selection (or click a row; the wheel scrolls)"), 0, 0, 0 },
	{ "PgUp PgDn", N_("A page up or down"), 0, 0, 0 },
	{ "Home End", N_("The first or the last subscriber"), 0, 0, 0 },
	{ "Esc", N_("Clear the search; with none, back"), 0, UI_KEY_ESC, 0 },
	UI_KEYHELP_END
};

/* --- the rows ---------------------------------------------------------------------------- */

static struct roster_row *row_copy(const struct subscriber_row *r)
{
	static const size_t at[8] = {
		offsetof(struct roster_row, name), offsetof(struct roster_row, unit),
		offsetof(struct roster_row, position), offsetof(struct roster_row, id_number),
		offsetof(struct roster_row, email), offsetof(struct roster_row, phone),
		offsetof(struct roster_row, status), offsetof(struct roster_row, departed_on),
	};
	const char *texts[8] = { r->name, r->unit, r->position, r->id_number,
				 r->email, r->phone, r->status, r->departed_on };
	int key_len = r->sort_key_len > 0 && r->sort_key ? r->sort_key_len : 0;
	struct roster_row *c = table_row_pack(offsetof(struct roster_row, data), (size_t)key_len,
					      texts, at, 8);

	if (!c)
		return NULL;
	c->id = r->id;
	c->unit_id = r->unit_id;
	c->kind = r->kind;
	c->key_len = key_len;
	if (key_len)
		memcpy(c->data, r->sort_key, (size_t)key_len);
	c->key = (const unsigned char *)c->data;
	return c;
}

static struct subscriber_query query_of(const struct roster *r)
{
	struct subscriber_query q = {
		.search = line_editor_text(r->search),
		.unit_id = r->unit_id,
		.kind = r->kind,
		.status = r->status ? status_filter_name((enum status_filter)r->status) : NULL,
		.order = r->order,
	};

	return q;
}

static int take_row(const struct subscriber_row *row, void *ctx)
{
	return table_page_add(ctx, row_copy(row));
}

static int fetch_rows(void *ctx, const void *from, int dir, int n, void **rows)
{
	struct roster *r = ctx;
	const struct roster_row *f = from;
	struct subscriber_query q = query_of(r);
	struct table_page page = { rows, 0, n, 0 };
	struct kyso_err err = { 0 };
	int rc;

	q.limit = n;
	q.backward = dir < 0;
	if (f) {
		q.after_key = f->key;
		q.after_key_len = f->key_len;
		/* dir 0: from the row itself, as the row after the one before its id */
		q.after_id = dir == 0 ? f->id - 1 : f->id;
		q.after_unit_id = f->unit_id;
		q.after_status = f->status;
	}
	rc = subscriber_list(r->db, &q, take_row, &page, &err);
	return table_page_end(&page, rc, &err);
}

static void free_row(void *ctx, void *row)
{
	(void)ctx;
	free(row);
}

static long long row_id(const void *row)
{
	return ((const struct roster_row *)row)->id;
}

static int is_departed(const struct roster_row *row)
{
	return subscriber_departed(row->status);
}

/* A departed row says so in words (its reason), with the date when there is room. */
static const char *status_text(const struct roster_row *row, int width, char *buf, size_t size)
{
	const char *label = subscriber_status_label(row->status);
	char date[16];

	if (!is_departed(row) || !row->departed_on)
		return label;
	ui_date(row->departed_on, date);
	if (text_width(label) + 1 + text_width(date) > width)
		return label;
	snprintf(buf, size, "%s %s", label, date);
	return buf;
}

static const char *cell(void *ctx, const void *r, int col, int width, char *buf, size_t size)
{
	const struct roster_row *row = r;

	(void)ctx;
	switch (col) {
	case COL_NAME:
		return row->name;
	case COL_KIND:
		return row->kind <= KIND_DEVICE ? _(kind_short[row->kind]) : "";
	case COL_UNIT:
		return row->unit ? row->unit : "";
	case COL_POSITION:
		return row->position ? row->position : "";
	case COL_ID_NUMBER:
		return row->id_number ? row->id_number : "";
	case COL_EMAIL:
		return row->email ? row->email : "";
	case COL_PHONE:
		return row->phone ? row->phone : "";
	case COL_STATUS:
		return status_text(row, width, buf, size);
	}
	return "";
}

static enum ui_style row_style(void *ctx, const void *r)
{
	(void)ctx;
	return is_departed(r) ? UI_DEPARTED : UI_NORMAL;
}

static const struct table_source source = { fetch_rows, free_row, row_id, cell, row_style };

/* --- the query --------------------------------------------------------------------------- */

/* The total for the table: at once from the store's counts without a search, else from
 * the counting thread (tick picks it up). */
static void recount(struct roster *r)
{
	struct subscriber_query q = query_of(r);
	struct kyso_err err = { 0 };
	long n;

	r->total = -1;
	r->count_failed = 0;
	table_set_total(r->table, -1);
	if (!text_is_blank(q.search)) {
		roster_count_ask(r->counter, &q);
		return;
	}
	roster_count_drop(r->counter);
	if (subscriber_count(r->db, &q, &n, &err)) {
		r->count_failed = 1;
		ui_error("%s", err.msg);
		return;
	}
	r->total = n;
	table_set_total(r->table, n);
}

/* The query changed: the first rows, and a new count. */
static void requery(struct roster *r)
{
	table_top(r->table);
	recount(r);
}

/* --- choosing filters ---------------------------------------------------------------------- */

static void load_unit_name(struct roster *r)
{
	unit_pick_name(r->unit_id, r->unit_name, sizeof(r->unit_name));
}

static void choose_unit(struct roster *r)
{
	long long id;

	if (unit_pick(_("Show the subscribers of"), r->unit_id, &id, r->unit_name,
		      sizeof(r->unit_name)) <= 0 || id == r->unit_id)
		return;
	r->unit_id = id;
	requery(r);
}

static void choose_kind(struct roster *r)
{
	const char *items[4];
	int picked;

	items[0] = _("All kinds");
	items[1] = subscriber_kind_label(KIND_PERSON);
	items[2] = subscriber_kind_label(KIND_ORG);
	items[3] = subscriber_kind_label(KIND_DEVICE);
	picked = ui_choose(_("Show the subscribers of kind"), items, 4, r->kind + 1);
	if (picked < 0 || picked - 1 == r->kind)
		return;
	r->kind = picked - 1;
	requery(r);
}

static void choose_status(struct roster *r)
{
	const char *items[STATUS_FILTERS];
	int i, picked;

	for (i = 0; i < STATUS_FILTERS; i++)
		items[i] = status_filter_label((enum status_filter)i);
	picked = ui_choose(_("Show the subscribers who are"), items, STATUS_FILTERS, r->status);
	if (picked < 0 || picked == r->status)
		return;
	r->status = picked;
	requery(r);
}

static void choose_order(struct roster *r)
{
	const char *items[3];
	int i, picked;

	for (i = 0; i < 3; i++)
		items[i] = _(order_labels[i]);
	picked = ui_choose(_("Sort by"), items, 3, (int)r->order);
	if (picked < 0 || picked == (int)r->order)
		return;
	r->order = (enum subscriber_order)picked;
	requery(r);
}

/* --- drawing ------------------------------------------------------------------------------- */

static void draw_search_line(struct roster *r, int y)
{
	char pos[80];

	/* the count of a search arrives a moment later: "…" until then */
	listbar_position(r->table, r->total, r->count_failed, pos, sizeof(pos));
	listbar_search(y, r->search, r->is_searching,
		       _("press / and type a name, citizen ID or phone"), pos);
	r->search_y = y;
}

/* "Unit: … · Kind: … · Status: … · Sort: …", each part a place to click; the unit's name
 * takes what room is left. */
static void draw_filter_line(struct roster *r, int y)
{
	struct listbar_zone *z = r->zones;

	z[ZONE_UNIT] = (struct listbar_zone){ _("Unit:"), r->unit_id > 0 ? r->unit_name : _("All units"),
					      r->unit_id > 0, 0, 0 };
	z[ZONE_KIND] = (struct listbar_zone){ _("Kind:"),
					      r->kind >= 0 ? subscriber_kind_label((enum subscriber_kind)r->kind)
							   : _("All kinds"),
					      r->kind >= 0, 0, 0 };
	z[ZONE_STATUS] = (struct listbar_zone){ _("Status:"), status_filter_label((enum status_filter)r->status),
						r->status > 0, 0, 0 };
	z[ZONE_SORT] = (struct listbar_zone){ _("Sort:"), _(order_labels[r->order]), 0, 0, 0 };
	listbar_filters(y, z, NZONES, ZONE_UNIT);
}

static void draw_empty(const struct roster *r, int y)
{
	const char *why = !text_is_blank(line_editor_text(r->search)) || r->unit_id > 0 ||
				  r->kind >= 0 || r->status > 0
			  ? _("No subscriber matches the search and filters.")
			  : _("No subscribers yet: a (or F7) adds one.");

	ui_text(y, 2, ui_cols() - 4, why, A_NORMAL);
}

static void roster_draw(struct screen *s)
{
	struct roster *r = (struct roster *)s;
	int top = ui_body_top(), table_y = top + 2;

	ui_hint(r->is_searching
			? _("Type to search (no diacritics needed); Enter or ↓: to the list; Esc: clear")
			: _("Enter: open  /: search  a: add  d: depart  F8: sort  Esc: back"));
	draw_search_line(r, top);
	draw_filter_line(r, top + 1);
	table_draw(r->table, table_y, 0, ui_body_bottom() - table_y + 1, ui_cols());
	if (!table_rows(r->table))
		draw_empty(r, table_y + 2);
}

/* --- keys ---------------------------------------------------------------------------------- */

static void set_searching(struct roster *r, int on)
{
	r->is_searching = on;
	r->base.is_typing = on;
}

static const struct roster_row *selected(const struct roster *r)
{
	return table_selected(r->table);
}

static int open_selected(struct roster *r)
{
	const struct roster_row *row = selected(r);

	if (row)
		subscriber_view_open(row->id);
	return UI_HANDLED;
}

/* Keys every mode shares: the function keys and clicks on the lines above the table. */
static int common_key(struct roster *r, const struct ui_key *k)
{
	int y, x, z;

	if (k->code == KEY_F(4))
		choose_unit(r);
	else if (k->code == KEY_F(3))
		choose_kind(r);
	else if (k->code == KEY_F(6))
		choose_status(r);
	else if (k->code == KEY_F(8))
		choose_order(r);
	else if (k->code == KEY_F(7))
		subscriber_form_open(0, KIND_PERSON, r->unit_id);
	else if (ui_key_click(k, &y, &x) && y == r->search_y)
		set_searching(r, 1);
	else if (ui_key_click(k, &y, &x) && y == r->search_y + 1) {
		z = listbar_zone_at(r->zones, NZONES, x);
		if (z == ZONE_UNIT)
			choose_unit(r);
		else if (z == ZONE_KIND)
			choose_kind(r);
		else if (z == ZONE_STATUS)
			choose_status(r);
		else if (z == ZONE_SORT)
			choose_order(r);
	} else
		return UI_IGNORED;
	return UI_HANDLED;
}

static void clear_search(struct roster *r)
{
	if (!*line_editor_text(r->search))
		return;
	line_editor_set_text(r->search, "");
	requery(r);
}

/* Keys while the search field has them (listbar.h). */
static int search_key(struct roster *r, const struct ui_key *k)
{
	int changed, flags = listbar_search_key(r->search, r->search_y, k, &r->is_searching, &changed);

	r->base.is_typing = r->is_searching;
	if (changed)
		requery(r);
	return flags;
}

static int list_key(struct roster *r, const struct ui_key *k)
{
	int t;

	if (ui_key_is(k, '/')) {
		set_searching(r, 1);
		return UI_HANDLED;
	}
	if (ui_key_is(k, 'a')) {
		subscriber_form_open(0, KIND_PERSON, r->unit_id);
		return UI_HANDLED;
	}
	if (ui_key_is(k, 'd')) {
		if (selected(r))
			subscriber_depart_open(selected(r)->id);
		return UI_HANDLED;
	}
	if (ui_key_is_esc(k) && *line_editor_text(r->search)) {
		clear_search(r);
		return UI_HANDLED;
	}
	t = table_key(r->table, k);
	if (t & TABLE_OPEN)
		return open_selected(r);
	return t ? UI_HANDLED : UI_IGNORED;
}

static int roster_key(struct screen *s, const struct ui_key *k)
{
	struct roster *r = (struct roster *)s;

	if (r->is_searching && search_key(r, k))
		return UI_HANDLED;
	if (common_key(r, k))
		return UI_HANDLED;
	/* While searching, only what the field left for the list: moves, pages, clicks. */
	if (r->is_searching && k->code == 0)
		return UI_IGNORED;
	return list_key(r, k);
}

/* Back on top: a subscriber may have been added, changed or departed. */
static void roster_activate(struct screen *s)
{
	struct roster *r = (struct roster *)s;

	load_unit_name(r);
	table_refresh(r->table);
	recount(r);
}

static int roster_tick(struct screen *s)
{
	struct roster *r = (struct roster *)s;
	long n;
	int got = roster_count_take(r->counter, &n);

	if (got == 0)
		return 0;
	if (got < 0) {
		r->count_failed = 1;
		return 1;
	}
	r->total = n;
	table_set_total(r->table, n);
	return 1;
}

static void roster_free(struct screen *s)
{
	struct roster *r = (struct roster *)s;

	roster_count_free(r->counter);
	table_free(r->table);
	db_close(r->db);
	line_editor_free(r->search);
	free(r);
}

/*
 * The roster reads through a connection of its own.  A search walks up to a hundred
 * thousand rows a keystroke at a million subscribers; through the memory map the shared
 * connection uses, every page it passes would stay counted in the process (hundreds of
 * megabytes after a few searches).  Read into a bounded page cache instead, they cost
 * at most ROSTER_CACHE_KB.  WAL lets it read while the other screens write; it sees
 * their changes once committed, as activate rereads the page.
 */
#define ROSTER_CACHE_KB 8192

static int open_connection(struct roster *r)
{
	struct kyso_err err = { 0 };
	struct db_long_pass kept;	/* the connection is the roster's: never given back */

	if (db_open(ui_db()->path, &r->db, &err)) {
		ui_error("%s", err.msg);
		return -1;
	}
	db_long_pass_begin(r->db, &kept, ROSTER_CACHE_KB, 0);
	return 0;
}

int roster_open(const struct roster_filter *filter)
{
	struct roster *r = calloc(1, sizeof(*r));
	enum status_filter sf;

	if (!r) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	r->base.title = N_("Roster");
	r->base.keys = roster_keys;
	r->base.draw = roster_draw;
	r->base.key = roster_key;
	r->base.activate = roster_activate;
	r->base.tick = roster_tick;
	r->base.free = roster_free;
	r->kind = -1;
	if (filter) {
		r->unit_id = filter->unit_id;
		r->kind = filter->kind >= 0 && filter->kind <= KIND_DEVICE ? filter->kind : -1;
		if (status_filter_parse(filter->status, &sf) == 0)
			r->status = (int)sf;
	}
	r->search = line_editor_new(filter ? filter->search : NULL);
	r->table = table_new(columns, NCOLUMNS, &source, r);
	r->counter = roster_count_new(ui_db()->path);
	if (!r->search || !r->table || !r->counter) {
		roster_free(&r->base);
		ui_error("%s", _("out of memory"));
		return -1;
	}
	if (open_connection(r)) {
		roster_free(&r->base);
		return -1;
	}
	line_editor_set_max(r->search, 100);
	/* Opened to search (/ on the dashboard): the typing goes to the search field. */
	if (filter && filter->search)
		set_searching(r, 1);
	load_unit_name(r);
	ui_push(&r->base);
	requery(r);
	return 0;
}
