/*
 * ui.c - the screen loop and what every screen shares: reading keys (UTF-8 text, Alt,
 * function keys, the mouse, resizes), the title row, the status line, the key bar made
 * from the screen's key table, colours by meaning, and the signals that must never lose
 * typed work (SIGHUP when an SSH session drops, SIGTERM).
 *
 * This is the only mutable global state of the interface: the stack of screens and the
 * terminal it is drawn on.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kyso/agency.h"
#include "kyso/check.h"
#include "kyso/settings.h"
#include "kyso/text.h"
#include "widgets/ui.h"

#define TICK_MS 50
#define BAR_SLOTS 16

static struct {
	struct kyso_db *db;
	struct screen *top;
	char agency[256];
	char message[512];
	int message_is_error;
	const char *hint;
	int cursor_y, cursor_x;
	int has_colour;
	attr_t styles[UI_STYLE_COUNT];
	char lang[3];
	struct { int x0, x1, code; wint_t ch; } bar[BAR_SLOTS];
	int nbar;
	int started;
	FILE *trace;	      /* KYSO_TRACE: timings for `make bench` */
	double start_ms;
	long long mark;	      /* db_change_mark when the top screen last read the store */
	int ticks;
} ui;

static volatile sig_atomic_t got_signal;
static double process_start_ms;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The benchmark's view of the loop: KYSO_TRACE=FILE gets one line per repaint -
 * "first <ms since start>", then "key <ms from the key's arrival to the screen sent>" or
 * "tick <ms>" for a repaint that background work asked for. */
static void trace_paint(const char *what, double since)
{
	if (ui.trace) {
		fprintf(ui.trace, "%s %.3f\n", what, now_ms() - since);
		fflush(ui.trace);
	}
}

static void on_signal(int sig)
{
	got_signal = sig;
}

void ui_mark_start(void)
{
	process_start_ms = now_ms();
}

int ui_signalled(void)
{
	return got_signal != 0;
}

struct kyso_db *ui_db(void)
{
	return ui.db;
}

/* --- styles ------------------------------------------------------------------------------ */

static void styles_init(void)
{
	const char *no_colour = getenv("NO_COLOR");
	static const attr_t plain[UI_STYLE_COUNT] = {
		[UI_NORMAL] = A_NORMAL,
		[UI_TITLE] = A_REVERSE | A_BOLD,
		[UI_BAR_KEY] = A_BOLD,
		[UI_BAR_LABEL] = A_REVERSE,
		[UI_HEADER] = A_BOLD | A_UNDERLINE,
		[UI_SELECTED] = A_REVERSE,
		[UI_DEPARTED] = A_DIM,
		[UI_PROBLEM] = A_BOLD,
		[UI_GOOD] = A_NORMAL,
		[UI_FIELD] = A_UNDERLINE,
		[UI_FOCUS] = A_REVERSE,
		/* inside the reversed field: the selected letters plain, bold and underlined */
		[UI_SELECTION] = A_BOLD | A_UNDERLINE,
		[UI_REFUSED] = A_BOLD | A_REVERSE | A_BLINK,
		[UI_DIALOG] = A_NORMAL,
		[UI_STATUS_ERROR] = A_BOLD | A_REVERSE,
	};
	int i;

	memcpy(ui.styles, plain, sizeof(plain));
	/* no-color.org: set and not empty turns colour off. */
	ui.has_colour = has_colors() && !(no_colour && *no_colour);
	if (!ui.has_colour)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);	  /* title, bar labels, selection */
	init_pair(2, COLOR_YELLOW, -1);		  /* headers */
	init_pair(3, COLOR_RED, -1);		  /* problems */
	init_pair(4, COLOR_GREEN, -1);		  /* nothing to do */
	init_pair(5, COLOR_BLACK, COLOR_WHITE);	  /* dialogs, fields */
	init_pair(6, COLOR_WHITE, COLOR_RED);	  /* error messages */
	init_pair(7, COLOR_BLACK, COLOR_YELLOW);  /* the field being typed in */
	init_pair(8, COLORS >= 16 ? 8 : COLOR_WHITE, -1); /* departed: grey */
	ui.styles[UI_TITLE] = COLOR_PAIR(1) | A_BOLD;
	ui.styles[UI_BAR_LABEL] = COLOR_PAIR(1);
	ui.styles[UI_HEADER] = COLOR_PAIR(2) | A_BOLD;
	ui.styles[UI_SELECTED] = COLOR_PAIR(1);
	ui.styles[UI_DEPARTED] = COLOR_PAIR(8) | (COLORS >= 16 ? 0 : A_DIM);
	ui.styles[UI_PROBLEM] = COLOR_PAIR(3) | A_BOLD;
	ui.styles[UI_GOOD] = COLOR_PAIR(4);
	ui.styles[UI_FIELD] = COLOR_PAIR(5);
	ui.styles[UI_FOCUS] = COLOR_PAIR(7);
	ui.styles[UI_SELECTION] = COLOR_PAIR(1) | A_BOLD;
	ui.styles[UI_REFUSED] = COLOR_PAIR(6) | A_BOLD;
	ui.styles[UI_DIALOG] = COLOR_PAIR(5);
	ui.styles[UI_STATUS_ERROR] = COLOR_PAIR(6) | A_BOLD;
	for (i = 0; i < UI_STYLE_COUNT; i++)
		if (!ui.styles[i])
			ui.styles[i] = plain[i];
}

attr_t ui_style(enum ui_style st)
{
	return st >= 0 && st < UI_STYLE_COUNT ? ui.styles[st] : A_NORMAL;
}

/* --- drawing ----------------------------------------------------------------------------- */

int ui_body_top(void)
{
	return 1;
}

int ui_body_bottom(void)
{
	return LINES - 3;
}

int ui_body_rows(void)
{
	return LINES - 3 > 0 ? LINES - 3 : 0;
}

int ui_cols(void)
{
	return COLS;
}

int ui_text(int y, int x, int width, const char *utf8, attr_t attr)
{
	char buf[4096];

	if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	if (width > 1000)
		width = 1000;
	text_fit(utf8 ? utf8 : "", width, buf, sizeof(buf));
	attrset(attr);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	return width;
}

int ui_text_raw(int y, int x, int width, const char *utf8, attr_t attr)
{
	int w = text_width(utf8 ? utf8 : "");

	if (w > width)
		w = width;
	return ui_text(y, x, w, utf8, attr);
}

void ui_clear_span(int y, int x, int width, attr_t attr)
{
	if (y < 0 || y >= LINES || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	attrset(attr);
	mvhline(y, x, ' ', width);
	attrset(A_NORMAL);
}

void ui_restyle(int y, int x, int width, attr_t attr)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	mvchgat(y, x, width, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
}

void ui_box(int y, int x, int h, int w, const char *title, attr_t attr)
{
	int i;

	if (h < 2 || w < 2)
		return;
	for (i = 0; i < h; i++)
		ui_clear_span(y + i, x, w, attr);
	attrset(attr);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	if (title && *title) {
		int tw = text_width(title) + 2;

		if (tw > w - 4)
			tw = w - 4;
		ui_text(y, x + (w - tw) / 2, 1, " ", attr | A_BOLD);
		ui_text(y, x + (w - tw) / 2 + 1, tw - 2, title, attr | A_BOLD);
		ui_text(y, x + (w - tw) / 2 + tw - 1, 1, " ", attr | A_BOLD);
	}
}

void ui_cursor(int y, int x)
{
	ui.cursor_y = y;
	ui.cursor_x = x;
}

char *ui_number(long n, char *buf)
{
	char digits[32];
	char sep = strcmp(ui.lang, "en") ? '.' : ',';
	int len, i, o = 0;
	unsigned long v = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;

	len = snprintf(digits, sizeof(digits), "%lu", v);
	if (n < 0)
		buf[o++] = '-';
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = sep;
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

char *ui_date(const char *iso, char *buf)
{
	buf[0] = '\0';
	if (iso && *iso)
		date_display(iso, buf);
	return buf;
}

/* --- status line and messages ------------------------------------------------------------ */

static void set_message(int is_error, const char *fmt, va_list ap)
{
	vsnprintf(ui.message, sizeof(ui.message), fmt, ap);
	ui.message_is_error = is_error;
}

void ui_status(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(0, fmt, ap);
	va_end(ap);
}

void ui_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(1, fmt, ap);
	va_end(ap);
	if (ui.started)
		beep();
}

void ui_hint(const char *hint)
{
	ui.hint = hint;
}

/* --- the frame ----------------------------------------------------------------------------- */

static void load_agency(void)
{
	struct agency a = { 0 };
	struct kyso_err err;

	ui.agency[0] = '\0';
	if (agency_get(ui.db, &a, &err) == 0 && a.name)
		snprintf(ui.agency, sizeof(ui.agency), "%s", a.name);
	agency_free(&a);
}

static void draw_title(const struct screen *s)
{
	char line[1024];
	const char *title = s && s->title ? _(s->title) : "";

	snprintf(line, sizeof(line), " kyso │ %s%s%s%s%s", ui.agency, *ui.agency ? " │ " : "",
		 title, s && s->detail[0] ? ": " : "", s ? s->detail : "");
	ui_text(0, 0, COLS, line, ui_style(UI_TITLE));
}

static void draw_status(void)
{
	int y = LINES - 2;

	if (ui.message[0])
		ui_text(y, 0, COLS, ui.message,
			ui.message_is_error ? ui_style(UI_STATUS_ERROR) : A_BOLD);
	else
		ui_text(y, 0, COLS, ui.hint ? ui.hint : "", A_NORMAL);
}

/* mc's bar: the key, then its label on a coloured field; a click on either sends it.
 * When the labels are wider than the screen (a translation is longer than the English),
 * the longest labels give up columns first, so that no key falls off the bar. */
static void draw_bar(const struct screen *s)
{
	const struct ui_keyhelp *k, *shown[BAR_SLOTS];
	int lws[BAR_SLOTS], n = 0, i, total = 0, y = LINES - 1, x = 0;

	ui.nbar = 0;
	ui_clear_span(y, 0, COLS, A_NORMAL);
	for (k = s ? s->keys : NULL; k && k->key && n < BAR_SLOTS; k++) {
		if (!k->in_bar)
			continue;
		shown[n] = k;
		lws[n] = text_width(_(k->label));
		total += text_width(k->key) + lws[n] + 2; /* a space after each, the last too */
		n++;
	}
	while (total > COLS) {
		int widest = 0;

		for (i = 1; i < n; i++)
			if (lws[i] >= lws[widest])
				widest = i;
		if (lws[widest] <= 3)
			break;
		lws[widest]--;
		total--;
	}
	for (i = 0; i < n; i++) {
		int kw = text_width(shown[i]->key), lw = lws[i];

		if (x + kw + 3 > COLS)
			break;
		if (x + kw + lw + 2 > COLS)
			lw = COLS - x - kw - 2;
		ui_text(y, x, kw + 1, shown[i]->key, ui_style(UI_BAR_KEY));
		ui_text(y, x + kw + 1, lw, _(shown[i]->label), ui_style(UI_BAR_LABEL));
		kw++;
		ui.bar[ui.nbar].x0 = x;
		ui.bar[ui.nbar].x1 = x + kw + lw;
		ui.bar[ui.nbar].code = shown[i]->code;
		ui.bar[ui.nbar].ch = shown[i]->ch;
		ui.nbar++;
		x += kw + lw + 1;
	}
}

void ui_paint(void)
{
	struct screen *s, *base;
	struct screen *order[32];
	int n = 0;

	ui.cursor_y = ui.cursor_x = -1;
	erase();
	if (!ui.top)
		return;
	/* Overlays show what is below them: paint from the first full screen up. */
	for (base = ui.top; base->is_overlay && base->below; base = base->below)
		;
	for (s = ui.top; s && n < 32; s = s->below) {
		order[n++] = s;
		if (s == base)
			break;
	}
	while (n-- > 0) {
		ui.cursor_y = ui.cursor_x = -1;
		order[n]->draw(order[n]);
	}
	draw_title(ui.top->is_overlay && base ? base : ui.top);
	draw_status();
	draw_bar(ui.top);
}

void ui_flush(void)
{
	if (ui.cursor_y >= 0) {
		curs_set(1);
		move(ui.cursor_y, ui.cursor_x);
	} else {
		curs_set(0);
	}
	refresh();
}

/* --- the stack ----------------------------------------------------------------------------- */

void ui_push(struct screen *s)
{
	s->below = ui.top;
	ui.top = s;
	ui.hint = NULL;
	load_agency(); /* setup may just have recorded it */
	ui.mark = db_change_mark(ui.db);
}

struct screen *ui_top(void)
{
	return ui.top;
}

void ui_pop(void)
{
	struct screen *s = ui.top;

	if (!s)
		return;
	ui.top = s->below;
	s->free(s);
	ui.hint = NULL;
	load_agency();
	if (ui.top && ui.top->activate)
		ui.top->activate(ui.top);
	ui.mark = db_change_mark(ui.db);
}

/* --- keys ---------------------------------------------------------------------------------- */

int ui_key_is(const struct ui_key *k, wint_t ch)
{
	return k->code == 0 && !k->alt && k->ch == ch;
}

int ui_key_is_enter(const struct ui_key *k)
{
	return (k->code == 0 && !k->alt && (k->ch == '\n' || k->ch == '\r')) ||
	       k->code == KEY_ENTER;
}

int ui_key_is_esc(const struct ui_key *k)
{
	return k->code == 0 && k->ch == UI_KEY_ESC;
}

int ui_key_is_backspace(const struct ui_key *k)
{
	return k->code == KEY_BACKSPACE ||
	       (k->code == 0 && !k->alt && (k->ch == 127 || k->ch == UI_CTRL('H')));
}

int ui_key_click(const struct ui_key *k, int *y, int *x)
{
	if (k->code != KEY_MOUSE ||
	    !(k->mouse.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED |
				 BUTTON1_DOUBLE_CLICKED)))
		return 0;
	*y = k->mouse.y;
	*x = k->mouse.x;
	return 1;
}

int ui_key_wheel(const struct ui_key *k)
{
	if (k->code != KEY_MOUSE)
		return 0;
	if (k->mouse.bstate & BUTTON4_PRESSED)
		return -1;
#ifdef BUTTON5_PRESSED
	if (k->mouse.bstate & BUTTON5_PRESSED)
		return 1;
#endif
	return 0;
}

int ui_read_key(struct ui_key *k, int timeout_ms)
{
	wint_t ch;
	int r;

	memset(k, 0, sizeof(*k));
	if (got_signal)
		return -1;
	timeout(timeout_ms);
	r = get_wch(&ch);
	if (got_signal)
		return -1;
	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES) {
		k->code = (int)ch;
		if (k->code == KEY_MOUSE && getmouse(&k->mouse) != OK)
			return 0;
		return 1;
	}
	if (ch == UI_KEY_ESC) {
		/* Alt+key arrives as Esc then the key; Esc alone has nothing after it. */
		wint_t next;

		timeout(0);
		r = get_wch(&next);
		if (r == OK && next != UI_KEY_ESC) {
			k->alt = 1;
			ch = next;
		} else if (r == KEY_CODE_YES) {
			k->code = (int)next;
			k->alt = 1;
			return 1;
		}
	}
	k->ch = ch;
	if (ch >= 32 && ch != 127) {
		mbstate_t st;

		memset(&st, 0, sizeof(st));
		size_t n = wcrtomb(k->text, (wchar_t)ch, &st);

		k->text[n == (size_t)-1 ? 0 : n] = '\0';
	}
	return 1;
}

/* A click on the key bar becomes the key it names. */
static void bar_click(struct ui_key *k)
{
	int y, x, i;

	if (!ui_key_click(k, &y, &x) || y != LINES - 1)
		return;
	for (i = 0; i < ui.nbar; i++)
		if (x >= ui.bar[i].x0 && x < ui.bar[i].x1) {
			memset(k, 0, sizeof(*k));
			k->code = ui.bar[i].code;
			k->ch = ui.bar[i].ch;
			return;
		}
}

/* --- language ------------------------------------------------------------------------------ */

const char *ui_language(void)
{
	return ui.lang;
}

int ui_set_language(const char *lang)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err;
	int rc;

	if (strcmp(lang, "vi") && strcmp(lang, "en"))
		return -1;
	/* As `kyso setting set language` does: checked, recorded and audited. */
	rc = settings_set(ui.db, "language", lang, &problems, &err);
	kyso_problems_free(&problems);
	if (rc) {
		ui_error("%s", err.msg);
		return -1;
	}
	kyso_i18n_switch(lang);
	snprintf(ui.lang, sizeof(ui.lang), "%s", lang);
	return 0;
}

/* --- the loop ------------------------------------------------------------------------------ */

int ui_init(struct kyso_db *db)
{
	struct sigaction sa;
	const char *lang = getenv("LANGUAGE");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s", _("kyso: the interface needs a terminal; for scripts, give a command (kyso --help)\n"));
		return -1;
	}
	memset(&ui, 0, sizeof(ui));
	ui.start_ms = process_start_ms ? process_start_ms : now_ms();
	if (getenv("KYSO_TRACE") && *getenv("KYSO_TRACE"))
		ui.trace = fopen(getenv("KYSO_TRACE"), "a");
	ui.db = db;
	snprintf(ui.lang, sizeof(ui.lang), "%s", lang && !strncmp(lang, "en", 2) ? "en" : "vi");
	ui.cursor_y = ui.cursor_x = -1;

	/* Our handlers are in place before initscr, so curses leaves them alone; no
	 * SA_RESTART, so that a read waiting for a key returns at once. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* Esc alone must not wait a second: sequences from a terminal arrive together. */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!initscr()) {
		fprintf(stderr, "%s", _("kyso: cannot start the terminal interface\n"));
		return -1;
	}
	raw(); /* Ctrl-C, Ctrl-S and Ctrl-Z are keys here: nothing typed is lost to them */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
			  BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(0);
	styles_init();
	load_agency();
	ui.started = 1;
	return 0;
}

/* Asks every screen holding typed work, top first; 1 when all may go. */
static int may_quit(void)
{
	struct screen *s;

	for (s = ui.top; s; s = s->below)
		if (s->can_leave && !s->can_leave(s))
			return 0;
	return 1;
}

static void save_drafts(void)
{
	struct screen *s;

	for (s = ui.top; s; s = s->below)
		if (s->save_draft)
			s->save_draft(s);
}

/* The store changed since the top screen read it (a write of this kyso, or another's on
 * the same file): the screen reads it again, so that what it shows is true now.  1 when
 * it did. */
static int follow_changes(void)
{
	long long mark = db_change_mark(ui.db);

	if (mark < 0 || mark == ui.mark)
		return 0;
	if (ui.top && ui.top->activate)
		ui.top->activate(ui.top);
	/* What reading wrote (temporary tables) is not a change to follow. */
	ui.mark = db_change_mark(ui.db);
	return 1;
}

/* Keys every screen shares, when the screen did not take them.  1 to quit. */
static int frame_key(const struct ui_key *k)
{
	struct screen *s = ui.top;

	if (k->code == KEY_F(1)) {
		ui_help(s);
	} else if (k->code == KEY_F(10) || (!s->below && !s->is_typing && ui_key_is(k, 'q'))) {
		return may_quit();
	} else if (k->code == KEY_F(5)) {
		/* A form has nothing to read again: what is typed is the officer's. */
		if (!s->activate) {
			ui_status("%s", _("Nothing to reload here: what you typed is kept."));
			return 0;
		}
		s->activate(s);
		ui.mark = db_change_mark(ui.db);
		ui_status("%s", _("Reloaded."));
	} else if (!s->is_typing && ui_key_is(k, 'q')) {
		/* q closes a list and goes back, as Esc does; only the first screen quits. */
		if (!s->can_leave || s->can_leave(s))
			ui_pop();
	} else if (ui_key_is(k, UI_CTRL('C'))) {
		ui_status("%s", _("Press F10 (or q) to quit"));
	} else if (ui_key_is(k, UI_CTRL('L'))) {
		clearok(curscr, TRUE);
	} else if (ui_key_is_esc(k)) {
		if (!s->below)
			ui_status("%s", _("This is the first screen; F10 quits kyso"));
		else if (!s->can_leave || s->can_leave(s))
			ui_pop();
	}
	return 0;
}

int ui_run(void)
{
	struct ui_key k;
	int dirty = 1, quit = 0, status = 0;
	const char *why = "first";
	double since = ui.start_ms;

	ui.mark = db_change_mark(ui.db);
	while (ui.top && !quit) {
		struct screen *s = ui.top;
		int r, flags;

		if (dirty) {
			ui_paint();
			ui_flush();
			trace_paint(why, since);
			dirty = 0;
		}
		r = ui_read_key(&k, TICK_MS);
		if (r < 0)
			break;
		since = now_ms();
		if (r == 0) {
			why = "tick";
			if (s->tick && s->tick(s))
				dirty = 1;
			/* Another kyso's writes, looked for twice a second. */
			if (++ui.ticks % 10 == 0 && follow_changes())
				dirty = 1;
			continue;
		}
		why = "key";
		dirty = 1;
		ui.message[0] = '\0';
		if (k.code == KEY_RESIZE)
			continue;
		bar_click(&k);
		flags = s->key(s, &k);
		if (ui_signalled())
			break;
		if (flags & UI_LEAVE && ui.top == s)
			ui_pop();
		if (flags & UI_QUIT)
			quit = may_quit();
		else if (flags == UI_IGNORED)
			quit = frame_key(&k);
		if (!quit)
			follow_changes();
	}
	if (got_signal) {
		save_drafts();
		status = 128 + (int)got_signal;
	}
	while (ui.top) {
		struct screen *s = ui.top;

		ui.top = s->below;
		s->free(s);
	}
	endwin();
	ui.started = 0;
	if (ui.trace)
		fclose(ui.trace);
	ui.trace = NULL;
	return status;
}
