/*
 * table.h - a table over more rows than a program may hold (a million subscribers).
 *
 * The table keeps only the rows on screen.  When the selection leaves them it asks its
 * source for the rows next to the first or the last one (keyset paging: the source finds
 * them from that row, never by counting from the top), so that a move costs the same on
 * the first page and deep in the list.  It knows the selected row's position while it
 * can: counted from the top after Home, from the end after End once the total is known.
 *
 * Columns are laid out by display width: those marked essential always show, the others
 * join by priority as the terminal widens, and spare columns go to those that grow.
 * Drawing and keys follow ui.h (htop's Panel: table_key returns flags, never draws).
 */
#ifndef KYSO_TUI_TABLE_H
#define KYSO_TUI_TABLE_H

#include "widgets/ui.h"

struct table_column {
	const char *title; /* N_("Unit"): translated when drawn */
	int min_width;	   /* the narrowest it is shown */
	int width;	   /* what it takes before spare columns are shared out */
	int grow;	   /* its share of spare columns (0: stays at width) */
	int priority;	   /* 0: always shown; then 1, 2, ...: the first to join when room */
};

/* Where rows come from.  Rows are the source's own: the table holds them and gives them
 * back to free_row. */
struct table_source {
	/* Up to n rows next to `from`, nearest first, into rows: after it (dir > 0), before it
	 * (dir < 0), or from it onwards, itself included as it is now (dir == 0).  With from
	 * NULL: the first rows (dir >= 0) or the last rows (dir < 0).  Returns how many (fewer
	 * than n at an end of the list), or -1 after showing why (ui_error). */
	int (*fetch)(void *ctx, const void *from, int dir, int n, void **rows);
	void (*free_row)(void *ctx, void *row);
	long long (*row_id)(const void *row);
	/* The text of column col of row; buf (size bytes) may hold it. */
	const char *(*cell)(void *ctx, const void *row, int col, int width, char *buf,
			    size_t size);
	/* How the row is drawn when not selected: UI_NORMAL, UI_DEPARTED, ... */
	enum ui_style (*style)(void *ctx, const void *row);
};

/* Flags table_key returns. */
enum {
	TABLE_IGNORED = 0,
	TABLE_MOVED = 1 << 0, /* the selection or the rows changed: repaint */
	TABLE_OPEN = 1 << 1   /* Enter, or a click on the selected row: open it */
};

struct table;

/* A table of n columns over src (ctx is passed to it).  Empty until table_top().  NULL
 * when out of memory.  columns must outlive the table. */
struct table *table_new(const struct table_column *columns, int n,
			const struct table_source *src, void *ctx);
void table_free(struct table *t);

/* The first rows of the list, the first selected (after the list changed). */
int table_top(struct table *t);
/* The last rows, the last selected. */
int table_end(struct table *t);
/* Rereads the rows on screen (one may have changed or gone), keeping the selected row
 * when it is still there. */
int table_refresh(struct table *t);

/* The number of rows in the list, once known (-1: not known); positions follow from it. */
void table_set_total(struct table *t, long total);
/* The selected row's position in the list from 0; -1 while not known. */
long table_position(const struct table *t);
/* The selected row, or NULL when the list is empty.  Owned by the table. */
const void *table_selected(const struct table *t);
int table_rows(const struct table *t); /* rows on screen */

/* Draws the header at row y and the rows under it, h rows in all, w columns from x.  A
 * change of h (the terminal was resized) fetches or drops rows first. */
void table_draw(struct table *t, int y, int x, int h, int w);
/* Moves: arrows, j/k, PgUp/PgDn, Home/End, Enter, a click on a row, the wheel. */
int table_key(struct table *t, const struct ui_key *k);

/* --- for sources ------------------------------------------------------------------------- */

/* A row in one allocation (free() frees it): a struct of size bytes (up to its flexible
 * array member: offsetof), extra bytes after it for the caller (a sort key), then copies
 * of the n texts, each pointed to by the struct's const char * field at offsets[i]
 * (offsetof); a NULL text stays NULL.  Other fields are zero.  NULL when out of memory. */
void *table_row_pack(size_t size, size_t extra, const char *const *texts,
		     const size_t *offsets, int n);

/* The rows a fetch collects from a list's callback. */
struct table_page {
	void **rows;
	int n, max, failed;
};
/* Adds row (NULL: it could not be made) to p; non-zero when the list should stop (p is
 * full, or a row failed), as list callbacks return. */
int table_page_add(struct table_page *p, void *row);
/* After the list (rc its result, err its error): how many rows p holds, or -1 after
 * showing why (its rows freed). */
int table_page_end(struct table_page *p, int rc, const struct kyso_err *err);

#endif
