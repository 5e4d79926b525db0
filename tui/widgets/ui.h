/*
 * ui.h - the frame of the full-screen interface (DESIGN.md §4): a stack of screens driven
 * by one loop, and what every screen shares - the title row, the status line, the key bar,
 * the F1 help, dialogs, colours and the terminal's keys and mouse.
 *
 * Layout, whatever the terminal's size (80x24 at least):
 *   row 0               title: the agency, then the screen's title
 *   rows 1 .. LINES-3   the screen's body (ui_body_top() .. ui_body_bottom())
 *   row LINES-2         status line: the last message, or the screen's own hint
 *   row LINES-1         key bar, built from the screen's key table (mc style)
 *
 * A screen is a struct whose first member is struct screen; its key handler returns
 * flags (htop's Panel style) and never repaints by itself: the loop repaints what is on
 * top after every key.  Dialogs are modal and return their answer (ui_confirm, ...).
 *
 * Only tui/ includes this file; nothing here reaches the store except through core/.
 */
#ifndef KYSO_TUI_UI_H
#define KYSO_TUI_UI_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>
#include <wchar.h>

#include "kyso/db.h"
#include "kyso/i18n.h"

/* One key press, a pasted character or a mouse event. */
struct ui_key {
	int code;	/* curses KEY_* (KEY_F(1), KEY_UP, KEY_MOUSE, KEY_RESIZE, ...), or 0 */
	wint_t ch;	/* when code is 0: the character; Ctrl-X arrives as 'X' - 64 */
	char text[8];	/* ch as UTF-8 (empty for control characters) */
	int alt;	/* Esc came just before (Alt+key) */
	MEVENT mouse;	/* when code is KEY_MOUSE */
};

/* Helpers to read keys: ui_key_is(k, 'q') for a character, k->code == KEY_F(2) for keys. */
#define UI_KEY_ESC 27
#define UI_KEY_ENTER 10
#define UI_KEY_TAB 9
#define UI_CTRL(c) ((c) & 0x1f)
int ui_key_is(const struct ui_key *k, wint_t ch); /* plain character ch, no Alt */
int ui_key_is_enter(const struct ui_key *k);	   /* Enter, Return or KEY_ENTER */
int ui_key_is_esc(const struct ui_key *k);	   /* Esc alone */
int ui_key_is_backspace(const struct ui_key *k);  /* KEY_BACKSPACE, DEL or Ctrl-H */
/* A left click (press or click) at *y, *x; 1 when k is one. */
int ui_key_click(const struct ui_key *k, int *y, int *x);
/* A mouse wheel turn: -1 up, 1 down, 0 when k is not one. */
int ui_key_wheel(const struct ui_key *k);

/* One entry of a screen's key table: the F1 help lists every entry, the bar shows those
 * with in_bar, and a click on a bar label sends code (or ch when code is 0). */
struct ui_keyhelp {
	const char *key;   /* as the officer reads it: "F2", "Enter", "/", "j k ↑ ↓" */
	const char *label; /* N_("Save"): translated when shown */
	int code;	   /* what a click on its bar label sends */
	wint_t ch;
	int in_bar;	   /* 1: shown in the bottom bar (keep the bar short: 80 columns) */
};
#define UI_KEYHELP_END { NULL, NULL, 0, 0, 0 }

/* Flags a screen's key handler returns. */
enum {
	UI_IGNORED = 0,	    /* not for this screen: the loop tries its own keys (F1, F10, q, Esc) */
	UI_HANDLED = 1 << 0, /* used: repaint */
	UI_LEAVE = 1 << 1,   /* pop this screen (its free is called) without asking: the
			      * screen has decided, and asked the officer if it had to */
	UI_QUIT = 1 << 2     /* quit kyso (after asking the screens that hold typed work) */
};

struct screen {
	const char *title;		 /* N_("Roster"): translated when drawn, so that a
					  * change of language shows at once */
	char detail[160];		 /* shown after the title as it is (a name); "" for none */
	const struct ui_keyhelp *keys;	 /* ends with UI_KEYHELP_END */
	int is_typing;			 /* a text field has the keys: q and j/k are text */
	int is_overlay;			 /* drawn over the screen below (dialogs) */
	/* Draws the body (rows ui_body_top()..ui_body_bottom(), the whole width).  To show
	 * the terminal cursor, call ui_cursor(y, x) from here. */
	void (*draw)(struct screen *s);
	int (*key)(struct screen *s, const struct ui_key *k);
	/* Optional.  Called when the screen comes back on top (after the one above left):
	 * reread what may have changed. */
	void (*activate)(struct screen *s);
	/* Optional.  Called about every 50 ms while no key comes: take results of work done
	 * in the background; return 1 to repaint. */
	int (*tick)(struct screen *s);
	/* Optional.  1 when the screen may go (typed work saved, or discarding confirmed by
	 * the officer); 0 keeps it.  Asked before Esc pops it and before quitting. */
	int (*can_leave)(struct screen *s);
	/* Optional.  SIGHUP or SIGTERM arrived: keep typed work as a draft, now, without
	 * asking.  Called top to bottom before kyso exits. */
	void (*save_draft)(struct screen *s);
	void (*free)(struct screen *s); /* frees the screen itself */
	struct screen *below;		/* set by ui_push */
};

/* Called first thing in main(): the benchmark's "first screen" time counts from here. */
void ui_mark_start(void);

/* Starts curses on the open store (the caller keeps db).  0, or -1 when there is no
 * terminal (the message is printed). */
int ui_init(struct kyso_db *db);
/* Runs the loop until quit or the stack is empty; returns the exit status (0, or 129 /
 * 143 after SIGHUP / SIGTERM).  Frees every screen and ends curses. */
int ui_run(void);

struct kyso_db *ui_db(void);

/* The stack.  ui_push takes s (freed when popped).  ui_pop frees the top screen without
 * asking it (use UI_LEAVE from a key handler to go through can_leave). */
void ui_push(struct screen *s);
void ui_pop(void);
struct screen *ui_top(void);

/* Body rows and columns. */
int ui_body_top(void);	  /* 1 */
int ui_body_bottom(void); /* LINES - 3 */
int ui_body_rows(void);
int ui_cols(void);

/* The status line: a message until the next key (info or error; printf format).  The
 * hint is cleared whenever a screen is pushed or popped: set it from draw. */
void ui_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ui_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The hint shown when there is no message (NULL: none).  Not copied. */
void ui_hint(const char *hint);

/* Colours and attributes by meaning.  Without colour (NO_COLOR, or a terminal without
 * colours) each falls back to bold, reverse, dim or underline, so state never rests on
 * colour alone; screens add a text mark too (departed rows say so in a column). */
enum ui_style {
	UI_NORMAL,
	UI_TITLE,     /* title row */
	UI_BAR_KEY,   /* "F1" in the key bar */
	UI_BAR_LABEL, /* "Help" in the key bar */
	UI_HEADER,    /* a table's header row, a section heading */
	UI_SELECTED,  /* the selected row */
	UI_DEPARTED,  /* a departed subscriber: greyed */
	UI_PROBLEM,   /* a validation problem, an overdue item */
	UI_GOOD,      /* nothing to do */
	UI_FIELD,     /* an input field */
	UI_FOCUS,     /* the input field with the keys */
	UI_SELECTION, /* text selected in that field (typing replaces it) */
	UI_REFUSED,   /* a field that just refused a key: it flashes until the next one */
	UI_DIALOG,    /* dialog background */
	UI_STATUS_ERROR,
	UI_STYLE_COUNT
};
attr_t ui_style(enum ui_style st);

/* Draws utf8 at y, x cut ("…") or padded with spaces to exactly width columns, measured
 * by display width.  Returns width. */
int ui_text(int y, int x, int width, const char *utf8, attr_t attr);
/* Draws utf8 as it is (no padding), at most width columns; returns the columns used. */
int ui_text_raw(int y, int x, int width, const char *utf8, attr_t attr);
/* Fills columns x .. x+width-1 of row y with spaces. */
void ui_clear_span(int y, int x, int width, attr_t attr);
/* Gives the width cells from y, x the attributes attr (the text stays). */
void ui_restyle(int y, int x, int width, attr_t attr);
/* Draws a box (lines) with a title on top. */
void ui_box(int y, int x, int h, int w, const char *title, attr_t attr);
/* Where the terminal cursor should show after this paint (from a draw callback). */
void ui_cursor(int y, int x);

/* n with thousands grouped the way the interface language writes them: 56.789 in
 * Vietnamese, 56,789 in English.  Returns buf (at least 32 bytes). */
char *ui_number(long n, char *buf);
/* A date YYYY-MM-DD as dd/mm/yyyy into buf (11 bytes); "" for NULL.  Returns buf. */
char *ui_date(const char *iso, char *buf);

/* The interface language, "vi" or "en".  ui_set_language switches the catalogue, stores
 * the choice in the setting "language" and repaints.  0, or -1 with the error shown. */
const char *ui_language(void);
int ui_set_language(const char *lang);

/* 1 once SIGHUP or SIGTERM arrived: loops of modal dialogs return "cancel" at once. */
int ui_signalled(void);

/* Reads one key, waiting at most timeout_ms (-1: until one comes).  1 with *k filled, 0
 * on timeout, -1 when a signal asks kyso to stop.  Resizes come as KEY_RESIZE.  For
 * modal loops; ui_run reads its own. */
int ui_read_key(struct ui_key *k, int timeout_ms);

/* Paints the whole stack into the curses buffer (the top screen and, under an overlay,
 * what is below) without showing it; ui_flush shows it, with the cursor where the last
 * ui_cursor put it (hidden when none did since ui_paint). */
void ui_paint(void);
void ui_flush(void);

/* --- dialogs (dialog.c): modal, drawn over the current screen -------------------------- */

/* Yes / no.  1 for yes, 0 for no, Esc or a signal.  default_yes chooses the button Enter
 * takes first. */
int ui_confirm(const char *title, const char *question, int default_yes);
/* A message with an OK button; the text may hold several lines ('\n'). */
void ui_message(const char *title, const char *text);
/* What core refused and why, each problem on a line ("Date: is in the future"). */
void ui_refused(const char *title, const struct kyso_err *err,
		const struct kyso_problems *problems);
/* Picks one of n items (scrollable; typing filters them, without diacritics).  The index
 * chosen, or -1 for Esc. */
int ui_choose(const char *title, const char *const *items, int n, int current);
/* Scrollable read-only lines (the import's dry-run report, long messages).  Esc or Enter
 * close it. */
/* A list to tick, under a note: Space ticks or unticks the row under the cursor and moves
 * on, a ticks all (or none), a click ticks.  ticked[] is read and set.  1 when the officer
 * goes on (Enter), 0 when cancelled (Esc). */
int ui_checklist(const char *title, const char *note, const char *const *items, int n,
		 int *ticked);
void ui_pager(const char *title, const char *const *lines, size_t n);
/* Asks for one line of text.  A new NFC string in *out (caller frees) and 1, or 0 for
 * Esc. */
int ui_prompt(const char *title, const char *label, const char *initial, char **out);
/* The same for a file or folder: Tab completes the path typed (~ is the home folder). */
int ui_prompt_path(const char *title, const char *label, const char *initial, char **out);
/* The file a person typed into a prompt: white space around it and a pair of quotes a
 * file manager adds when pasting are dropped, and a leading ~ is the home folder.  A
 * relative path is relative to the folder kyso was started in.  A new string, or NULL
 * without memory. */
char *ui_expand_path(const char *typed);
/* The F1 help of a screen: its key table, scrollable. */
void ui_help(const struct screen *s);

/* --- text fields ------------------------------------------------------------------------ */

struct line_editor;
/* Gives a key to a text field: arrows, Home/End (also Ctrl-A/E), Backspace, Delete,
 * Ctrl-U/K/W, Alt-b/f by word, and typed or pasted text.  The line editor's LE_* flags;
 * LE_IGNORED for a key that is not for the field (Tab, Enter, Esc, F-keys). */
int ui_edit_key(struct line_editor *ed, const struct ui_key *k);
/* Draws the field at y, x, width columns; with focus, the cursor goes into it and a
 * selection shows in its own style (UI_SELECTION). */
void ui_edit_draw(struct line_editor *ed, int y, int x, int width, int has_focus);

#endif
