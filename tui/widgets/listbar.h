/*
 * listbar.h - the two lines above a list screen's table (the roster, the tokens): the
 * search field with the selected row's place in the list ("1.234/56.789"), and the
 * filters, each "Label: value" a place to click, a filter that narrows the list
 * underlined (never marked by colour alone).  Also the unit tree as a list to pick from,
 * which both lists filter by.
 */
#ifndef KYSO_TUI_LISTBAR_H
#define KYSO_TUI_LISTBAR_H

#include <stddef.h>

#include "widgets/table.h"

struct line_editor;

/* "Search: [field]   1.234/56.789" on row y; placeholder shows in the empty field while
 * it does not have the keys. */
void listbar_search(int y, struct line_editor *search, int is_searching,
		    const char *placeholder, const char *position);

/* The keys of the search field while it has them: Enter, ↓ or Tab give the keys to the
 * list, Esc empties the field and gives them too, a click elsewhere lets the list take
 * it; any other key edits the text.  *is_searching is cleared when the field lets go,
 * *changed set when the text changed (the list is to be read again).  UI_* flags;
 * UI_IGNORED for a key the list should have. */
int listbar_search_key(struct line_editor *search, int search_y, const struct ui_key *k,
		       int *is_searching, int *changed);

/* "1.234/56.789": the selected row's place among total rows ("…" while not known, "?"
 * when counting failed). */
void listbar_position(const struct table *t, long total, int count_failed, char *out,
		      size_t size);

struct listbar_zone {
	const char *label, *value; /* translated */
	int narrows;		   /* the filter narrows the list: underlined */
	int x0, x1;		   /* where it was drawn, for clicks */
};

/* The filters on row y, separated by "·"; zone elastic's value takes the room the
 * others leave (the unit's name). */
void listbar_filters(int y, struct listbar_zone *z, int n, int elastic);
/* The zone a click at column x fell in, or -1. */
int listbar_zone_at(const struct listbar_zone *z, int n, int x);

/* Picks a unit from the tree, "All units" (id 0) first.  1 with *id and its name when
 * one was picked, 0 for Esc, -1 after an error (shown). */
int unit_pick(const char *title, long long current, long long *id, char *name, size_t namesz);
/* The name of unit id into name ("" when it is gone or id is 0). */
void unit_pick_name(long long id, char *name, size_t namesz);

#endif
