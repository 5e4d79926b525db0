/*
 * listbar.c - the search and filter lines of the list screens and the unit picker they
 * share (listbar.h).  Drawing only, and reading the unit tree through core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"
#include "widgets/listbar.h"

void listbar_search(int y, struct line_editor *search, int is_searching,
		    const char *placeholder, const char *position)
{
	const char *label = _("Search:");
	int lw = text_width(label), pw = text_width(position), x, w;

	ui_text(y, 1, lw, label, A_BOLD);
	x = lw + 2;
	w = ui_cols() - x - pw - 3;
	if (w < 8)
		w = 8;
	ui_edit_draw(search, y, x, w, is_searching);
	if (!is_searching && !*line_editor_text(search))
		ui_text(y, x + 1, w - 1, placeholder, ui_style(UI_FIELD) | A_DIM);
	ui_text_raw(y, ui_cols() - pw - 1, pw, position, A_BOLD);
}

int listbar_search_key(struct line_editor *search, int search_y, const struct ui_key *k,
		       int *is_searching, int *changed)
{
	int le, y, x;

	*changed = 0;
	if (ui_key_is_enter(k) || k->code == KEY_DOWN || ui_key_is(k, UI_KEY_TAB)) {
		*is_searching = 0;
		return UI_HANDLED;
	}
	if (ui_key_is_esc(k)) {
		*changed = *line_editor_text(search) != '\0';
		line_editor_set_text(search, "");
		*is_searching = 0;
		return UI_HANDLED;
	}
	if (ui_key_click(k, &y, &x) && y != search_y) {
		*is_searching = 0;
		return UI_IGNORED;
	}
	le = ui_edit_key(search, k);
	*changed = (le & LE_CHANGED) != 0; /* search as you type: every keystroke */
	if (le & LE_FULL)
		ui_error("%s", _("The search is as long as it can be"));
	return le ? UI_HANDLED : UI_IGNORED;
}

void listbar_position(const struct table *t, long total, int count_failed, char *out,
		      size_t size)
{
	long pos = table_position(t);
	char a[32], b[32];

	if (!table_rows(t)) {
		snprintf(out, size, "0/%s", total >= 0 ? ui_number(total, b) : "…");
		return;
	}
	snprintf(out, size, "%s/%s", pos >= 0 ? ui_number(pos + 1, a) : "…",
		 total >= 0 ? ui_number(total, b) : count_failed ? "?" : "…");
}

void listbar_filters(int y, struct listbar_zone *z, int n, int elastic)
{
	int i, x = 1, fixed = 0, room;

	for (i = 0; i < n; i++)
		if (i != elastic)
			fixed += text_width(z[i].label) + 1 + text_width(z[i].value) + 3;
	room = ui_cols() - 2 - fixed - (elastic >= 0 ? text_width(z[elastic].label) + 1 : 0);
	for (i = 0; i < n; i++) {
		int w = text_width(z[i].value), lw = text_width(z[i].label);

		if (i == elastic && w > room)
			w = room > 4 ? room : 4;
		z[i].x0 = x;
		x += ui_text_raw(y, x, lw, z[i].label, A_NORMAL) + 1;
		x += ui_text(y, x, w, z[i].value, A_BOLD | (z[i].narrows ? A_UNDERLINE : 0));
		z[i].x1 = x;
		if (i + 1 < n)
			x += ui_text_raw(y, x + 1, 1, "·", A_NORMAL) + 2;
	}
}

int listbar_zone_at(const struct listbar_zone *z, int n, int x)
{
	int i;

	for (i = 0; i < n; i++)
		if (x >= z[i].x0 && x < z[i].x1)
			return i;
	return -1;
}

/* --- the unit picker ------------------------------------------------------------------- */

struct unit_list {
	long long *ids;
	char **items, **names;
	int n, cap;
};

static int add_unit(const struct unit *u, void *ctx)
{
	struct unit_list *l = ctx;
	char buf[600];

	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		long long *ids = realloc(l->ids, sizeof(*ids) * (size_t)cap);
		char **items, **names;

		if (!ids)
			return 1;
		l->ids = ids;
		if (!(items = realloc(l->items, sizeof(*items) * (size_t)cap)))
			return 1;
		l->items = items;
		if (!(names = realloc(l->names, sizeof(*names) * (size_t)cap)))
			return 1;
		l->names = names;
		l->cap = cap;
	}
	/* indented under its parent, as the tree goes */
	snprintf(buf, sizeof(buf), "%*s%s", u->depth * 2, "", u->name);
	if (!(l->items[l->n] = strdup(buf)))
		return 1;
	if (!(l->names[l->n] = strdup(u->name))) {
		free(l->items[l->n]);
		return 1;
	}
	l->ids[l->n++] = u->id;
	return 0;
}

static void unit_list_free(struct unit_list *l)
{
	while (l->n > 0) {
		l->n--;
		free(l->items[l->n]);
		free(l->names[l->n]);
	}
	free(l->items);
	free(l->names);
	free(l->ids);
}

int unit_pick(const char *title, long long current, long long *id, char *name, size_t namesz)
{
	struct unit_list l = { 0 };
	struct kyso_err err = { 0 };
	int i, at = 0, picked = -1;

	if (add_unit(&(struct unit){ .id = 0, .name = _("All units") }, &l) ||
	    unit_list(ui_db(), add_unit, &l, &err)) {
		ui_error("%s", err.msg[0] ? err.msg : _("out of memory"));
		unit_list_free(&l);
		return -1;
	}
	for (i = 0; i < l.n; i++)
		if (l.ids[i] == current)
			at = i;
	picked = ui_choose(title, (const char *const *)l.items, l.n, at);
	if (picked >= 0) {
		*id = l.ids[picked];
		snprintf(name, namesz, "%s", picked ? l.names[picked] : "");
	}
	unit_list_free(&l);
	return picked >= 0;
}

struct name_of {
	long long id;
	char *name;
	size_t size;
};

static int find_name(const struct unit *u, void *ctx)
{
	struct name_of *n = ctx;

	if (u->id != n->id)
		return 0;
	snprintf(n->name, n->size, "%s", u->name);
	return 1;
}

void unit_pick_name(long long id, char *name, size_t namesz)
{
	struct name_of n = { id, name, namesz };
	struct kyso_err err;

	name[0] = '\0';
	if (id > 0)
		unit_list(ui_db(), find_name, &n, &err);
}
