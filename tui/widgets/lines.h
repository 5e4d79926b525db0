/*
 * lines.h - a read-only page of the body: labelled fields, headings, dated entries of a
 * history with their details, and lines that open something (a subscriber's tokens, a
 * token's subscriber).  The detail screens of a subscriber and of a token are made of it.
 *
 * Lines wrap to the width of each draw, so that a resize needs nothing but the next draw;
 * the page scrolls by row.  The lines that open something (links) are chosen with Tab and
 * Shift-Tab, or a click, and lines_key says when Enter (or a click on the chosen one) asks
 * to open it.  Like the other widgets, lines_key returns flags and never draws.
 */
#ifndef KYSO_TUI_LINES_H
#define KYSO_TUI_LINES_H

#include "widgets/ui.h"

enum lines_kind {
	LINES_FIELD,   /* label in a column, then the text */
	LINES_HEADING, /* a section's title */
	LINES_EVENT,   /* a date (the label, 10 columns), then the text in bold */
	LINES_CHANGE,  /* a detail of the event above, indented under its text */
	LINES_TEXT,    /* text indented under a heading */
	LINES_LINK,    /* text that opens something (link != 0) */
	LINES_BLANK
};

/* Flags lines_key returns. */
enum {
	LINES_IGNORED = 0,
	LINES_MOVED = 1 << 0, /* scrolled or another link chosen: repaint */
	LINES_OPEN = 1 << 1   /* open the chosen link (lines_link) */
};

struct lines;

struct lines *lines_new(void);
void lines_free(struct lines *l);
/* Drops every line (before reading them again); the scroll and the chosen link's id stay. */
void lines_clear(struct lines *l);

/* Adds a line; label and text are copied (NULL as "").  style is an enum ui_style. */
void lines_add(struct lines *l, enum lines_kind kind, const char *label, const char *text,
	       int style);
/* Adds a line that opens link (an id the owner knows); the first one added is chosen
 * unless the one chosen before lines_clear is there again. */
void lines_add_link(struct lines *l, long long link, const char *text, int style);

/* The id of the chosen link, 0 when there is none. */
long long lines_link(const struct lines *l);

/* Draws the lines in the body (ui_body_top() .. ui_body_bottom(), the whole width). */
void lines_draw(struct lines *l);
/* Scrolling (arrows, j/k, PgUp/PgDn, Space, Home/End, the wheel), Tab/Shift-Tab between
 * links, Enter and clicks on links. */
int lines_key(struct lines *l, const struct ui_key *k);

#endif
