/*
 * line_editor.h - the one-line text field of the full-screen interface, as pure logic.
 *
 * The editor holds a growable UTF-8 buffer and a cursor that only ever sits between
 * grapheme clusters (what a reader calls one letter: "ễ" is one whether it arrived as
 * U+1EC5 or as e + U+0302 + U+0303), so every move and every deletion takes whole letters.
 * The screen code turns terminal keys into enum le_key, draws what line_editor_view()
 * returns and puts the terminal cursor at the column it reports.
 *
 * It must never touch the terminal or know about curses: it is tested without one.
 */
#ifndef KYSO_TUI_LINE_EDITOR_H
#define KYSO_TUI_LINE_EDITOR_H

#include <stddef.h>

/* Flags returned by line_editor_key(), line_editor_insert() and line_editor_click(),
 * in the manner of htop's Panel handlers: the caller's loop decides what to repaint. */
enum {
	LE_IGNORED = 0,
	LE_HANDLED = 1 << 0, /* the key or text was for the field: redraw it */
	LE_CHANGED = 1 << 1, /* the text is different from before */
	LE_FULL    = 1 << 2, /* part of an insertion was refused by the length limit */
	LE_ERROR   = 1 << 3  /* out of memory: the text is as it was */
};

/* Keys the field understands.  Alt-Backspace maps to LE_KEY_CTRL_W, Ctrl-Left and
 * Ctrl-Right to LE_KEY_WORD_LEFT and LE_KEY_WORD_RIGHT. */
enum le_key {
	LE_KEY_LEFT,
	LE_KEY_RIGHT,
	LE_KEY_HOME,
	LE_KEY_END,
	LE_KEY_BACKSPACE,
	LE_KEY_DELETE,
	LE_KEY_CTRL_U,	   /* delete from the start of the text to the cursor */
	LE_KEY_CTRL_K,	   /* delete from the cursor to the end */
	LE_KEY_CTRL_W,	   /* delete the word before the cursor */
	LE_KEY_WORD_LEFT,  /* to the start of this or the previous word */
	LE_KEY_WORD_RIGHT  /* to the end of this or the next word */
};

/* Read the fields freely; change them only through the functions below. */
struct line_editor {
	char *buf;	  /* valid UTF-8, NUL-terminated, as typed (not normalised) */
	size_t len;	  /* bytes in buf, without the NUL */
	size_t cap;	  /* bytes allocated for buf */
	size_t cursor;	  /* byte offset, always on a grapheme-cluster boundary */
	int scroll;	  /* display column shown at the left edge of the field */
	size_t max_chars; /* limit in grapheme clusters for typing and pasting; 0 = none */
	int is_changed;	  /* the text was edited since line_editor_new() or _set_text() */
	int is_selected;  /* the whole text is selected: what is typed next replaces it */
};

/* A new editor holding initial (NULL for empty), cursor at the end.  NULL when out of
 * memory.  The text is cleaned as line_editor_insert() cleans it. */
struct line_editor *line_editor_new(const char *initial);
void line_editor_free(struct line_editor *ed);

/* The text, NUL-terminated.  Owned by the editor: valid until its next change. */
const char *line_editor_text(const struct line_editor *ed);

/* Replaces the text (cleaned, not cut to max_chars: loading is not typing), puts the
 * cursor at the end, scrolls to the start and clears is_changed.  0, or -1 when out of
 * memory with the text unchanged. */
int line_editor_set_text(struct line_editor *ed, const char *text);

/* Selects the whole text (nothing when it is empty), cursor at the end, as a desktop
 * field does when it gets the keys: the next text typed or pasted replaces it, Backspace,
 * Delete and the Ctrl deletions clear it, and a movement drops the selection (Left to the
 * start, Right to the end, the others where they go).  Setting the text or a click drops
 * it too. */
void line_editor_select_all(struct line_editor *ed);
/* Drops the selection, leaving text and cursor as they are. */
void line_editor_select_none(struct line_editor *ed);
/* Where the selection shows in a field width columns wide, as last laid out by
 * line_editor_view(): columns [*from, *to) of the field.  0 when nothing is selected. */
int line_editor_selection_cols(struct line_editor *ed, int width, int *from, int *to);

/* Sets the limit, in grapheme clusters, that typing and pasting may reach; 0 for none.
 * Text already longer is kept. */
void line_editor_set_max(struct line_editor *ed, size_t max_chars);

/* A new NFC copy of the text, for storing.  Caller frees; NULL when out of memory. */
char *line_editor_take_nfc(const struct line_editor *ed);

/* Inserts typed or pasted UTF-8 at the cursor and moves the cursor after it; over a
 * selection, the text is replaced.  Control characters are dropped except TAB, line
 * breaks become spaces and invalid bytes become U+FFFD.  Combining marks join the letter before the cursor.  Returns LE_HANDLED, with
 * LE_CHANGED when something went in, LE_FULL when the limit cut it, or LE_ERROR. */
int line_editor_insert(struct line_editor *ed, const char *utf8);

/* Applies a key; LE_HANDLED (with LE_CHANGED when the text changed), LE_IGNORED for an
 * unknown key. */
int line_editor_key(struct line_editor *ed, enum le_key key);

/* Fills out (size outsz) with the part of the text seen in a field width columns wide,
 * padded with spaces to exactly width columns (TAB is shown as one space), after
 * scrolling so that the cursor is in view.  Returns the cursor's column in the field,
 * also stored in *cursor_col when not NULL.  out needs about 4 bytes per column; a
 * shorter out ends the slice early. */
int line_editor_view(struct line_editor *ed, int width, char *out, size_t outsz,
		     int *cursor_col);

/* Puts the cursor on the letter drawn at column col of the field, as last laid out by
 * line_editor_view() with the same width; past the end means the end.  LE_HANDLED. */
int line_editor_click(struct line_editor *ed, int width, int col);

#endif
