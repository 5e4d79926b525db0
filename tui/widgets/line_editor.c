/*
 * line_editor.c - the one-line text field: a growable UTF-8 buffer edited letter by letter.
 *
 * A "letter" is a grapheme cluster as utf8proc finds it (utf8proc_grapheme_break_stateful),
 * so Vietnamese typed decomposed (e + U+0302 + U+0303) moves and deletes as one piece, just
 * as precomposed U+1EC5 does.  The text is kept as typed and normalised to NFC only when
 * taken out for storing.  Widths come from text_width(), the measure the rest of kyso uses.
 *
 * This module must never touch the terminal (no curses, no output): the screen code draws
 * what line_editor_view() returns.  A failed allocation leaves the text as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kyso/text.h"
#include "widgets/line_editor.h"

#define FIRST_CAP 64

/* Clusters ------------------------------------------------------------------------------ */

/* A walk over the clusters of a text, always from its start: the break rules carry state
 * (pairs of regional indicators, emoji sequences), so a walk cannot begin midway. */
struct cluster_walk {
	const char *s;
	size_t len;
	size_t start; /* first byte of the current cluster */
	size_t end;   /* byte after it */
	utf8proc_int32_t prev, state;
};

/* One code point; an invalid byte reads as U+FFFD, one byte long. */
static size_t decode(const char *s, size_t len, utf8proc_int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)len, cp);

	if (n <= 0) {
		*cp = 0xFFFD;
		n = 1;
	}
	return (size_t)n;
}

static void walk_init(struct cluster_walk *w, const char *s, size_t len)
{
	w->s = s;
	w->len = len;
	w->start = 0;
	w->end = 0;
	w->prev = 0;
	w->state = 0;
}

/* Steps to the next cluster; 0 at the end of the text. */
static int walk_next(struct cluster_walk *w)
{
	utf8proc_int32_t cp;
	size_t pos = w->end, n;

	if (pos >= w->len)
		return 0;
	w->start = pos;
	pos += decode(w->s + pos, w->len - pos, &w->prev);
	while (pos < w->len) {
		n = decode(w->s + pos, w->len - pos, &cp);
		if (utf8proc_grapheme_break_stateful(w->prev, cp, &w->state))
			break;
		w->prev = cp;
		pos += n;
	}
	w->end = pos;
	return 1;
}

/* The last cluster boundary before pos; 0 when there is none. */
static size_t boundary_before(const struct line_editor *ed, size_t pos)
{
	struct cluster_walk w;
	size_t b = 0;

	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w) && w.end < pos)
		b = w.end;
	return b;
}

/* The first cluster boundary after pos; the end of the text when there is none. */
static size_t boundary_after(const struct line_editor *ed, size_t pos)
{
	struct cluster_walk w;

	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w))
		if (w.end > pos)
			return w.end;
	return ed->len;
}

/* pos itself when it is a boundary, else the one before or after it. */
static size_t boundary_at_or_before(const struct line_editor *ed, size_t pos)
{
	return boundary_before(ed, pos + 1);
}

static size_t boundary_at_or_after(const struct line_editor *ed, size_t pos)
{
	return pos == 0 ? 0 : boundary_after(ed, pos - 1);
}

/* Columns a cluster takes on screen; TAB is shown as one space.  text_width() wants a
 * string, so the byte after the cluster is lent for a NUL and given back. */
static int cluster_width(struct line_editor *ed, size_t from, size_t to)
{
	char saved = ed->buf[to];
	int w;

	if (to - from == 1 && ed->buf[from] == '\t')
		return 1;
	ed->buf[to] = '\0';
	w = text_width(ed->buf + from);
	ed->buf[to] = saved;
	return w;
}

/* Words --------------------------------------------------------------------------------- */

/* Start of the word the cursor is in or after, as text_next_word() splits words. */
static size_t word_start_before(const struct line_editor *ed)
{
	size_t pos = 0, start, len, found = 0;

	while (text_next_word(ed->buf, &pos, &start, &len) && start < ed->cursor)
		found = start;
	return boundary_at_or_before(ed, found);
}

/* End of the word the cursor is in or before. */
static size_t word_end_after(const struct line_editor *ed)
{
	size_t pos = 0, start, len;

	while (text_next_word(ed->buf, &pos, &start, &len))
		if (start + len > ed->cursor)
			return boundary_at_or_after(ed, start + len);
	return ed->len;
}

/* Buffer -------------------------------------------------------------------------------- */

/* Room for need bytes of text and its NUL.  Shrinking never fails. */
static int reserve(struct line_editor *ed, size_t need)
{
	size_t cap = ed->cap ? ed->cap : FIRST_CAP;
	char *p;

	if (need < ed->cap)
		return 0;
	if (need >= SIZE_MAX / 2)
		return -1;
	while (cap <= need)
		cap *= 2;
	p = realloc(ed->buf, cap);
	if (!p)
		return -1;
	ed->buf = p;
	ed->cap = cap;
	return 0;
}

/* Replaces bytes [from, to) with the n bytes of ins. */
static int splice(struct line_editor *ed, size_t from, size_t to, const char *ins, size_t n)
{
	if (reserve(ed, ed->len - (to - from) + n) != 0)
		return -1;
	memmove(ed->buf + from + n, ed->buf + to, ed->len - to + 1);
	memcpy(ed->buf + from, ins, n);
	ed->len = ed->len - (to - from) + n;
	return 0;
}

/* What the field keeps of a typed or pasted code point; -1 to drop it. */
static utf8proc_int32_t clean_code_point(utf8proc_int32_t cp)
{
	if (cp == '\t')
		return cp;
	if (cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
		return ' ';
	if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
		return -1;
	return cp;
}

/* A cleaned copy of in (see line_editor_insert()), *len its length.  Caller frees. */
static char *clean_input(const char *in, size_t *len)
{
	size_t n = strlen(in), i = 0, o = 0;
	utf8proc_int32_t cp;
	char *out;

	if (n > (SIZE_MAX - 1) / 3) /* each invalid byte grows into a 3-byte U+FFFD */
		return NULL;
	out = malloc(3 * n + 1);
	if (!out)
		return NULL;
	while (i < n) {
		i += decode(in + i, n - i, &cp);
		if (cp == '\r' && in[i] == '\n')
			continue; /* CR LF is one line break, so one space */
		cp = clean_code_point(cp);
		if (cp >= 0)
			o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* Editing ------------------------------------------------------------------------------- */

static int move_to(struct line_editor *ed, size_t pos)
{
	ed->cursor = pos;
	return LE_HANDLED;
}

/* Removing a cluster can join its neighbours (an emoji sequence), hence the snap. */
static int delete_range(struct line_editor *ed, size_t from, size_t to)
{
	if (from >= to)
		return LE_HANDLED;
	splice(ed, from, to, "", 0);
	ed->cursor = boundary_at_or_before(ed, from);
	ed->is_changed = 1;
	return LE_HANDLED | LE_CHANGED;
}

/* Cuts the n bytes just inserted at `at` so that the text has at most max_chars clusters;
 * returns how many bytes stay.  A cluster counts as new when it starts inside the
 * insertion, so a combining mark that joins the letter before it is always let in. */
static size_t fit_to_max(struct line_editor *ed, size_t at, size_t n)
{
	struct cluster_walk w;
	size_t old = 0, fresh = 0, allowed;

	if (ed->max_chars == 0)
		return n;
	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w))
		old += w.start < at || w.start >= at + n;
	allowed = old < ed->max_chars ? ed->max_chars - old : 0;
	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w)) {
		if (w.start < at || w.start >= at + n)
			continue;
		if (fresh++ == allowed) {
			splice(ed, w.start, at + n, "", 0);
			return w.start - at;
		}
	}
	return n;
}

int line_editor_insert(struct line_editor *ed, const char *utf8)
{
	size_t n, at = ed->cursor, kept;
	char *clean;
	int flags = LE_HANDLED;

	if (!utf8 || !*utf8)
		return flags;
	clean = clean_input(utf8, &n);
	if (!clean)
		return flags | LE_ERROR;
	/* Over a selection the new text replaces the old; nothing typable (a control
	 * character alone) leaves it as it was. */
	if (ed->is_selected && n > 0) {
		if (splice(ed, 0, ed->len, "", 0) != 0) {
			free(clean);
			return flags | LE_ERROR;
		}
		at = ed->cursor = 0;
		ed->is_selected = 0;
		ed->is_changed = 1;
		flags |= LE_CHANGED;
	}
	if (splice(ed, at, at, clean, n) != 0) {
		free(clean);
		return flags | LE_ERROR;
	}
	free(clean);
	kept = fit_to_max(ed, at, n);
	if (kept < n)
		flags |= LE_FULL;
	if (kept == 0)
		return flags;
	ed->cursor = boundary_at_or_after(ed, at + kept);
	ed->is_changed = 1;
	return flags | LE_CHANGED;
}

/* A key over a selection: a deletion clears the text, a move drops the selection from
 * its edge (Left from the start, Right from the end) or goes where it goes.  1 when the
 * key was used up here. */
static int key_on_selection(struct line_editor *ed, enum le_key key, int *flags)
{
	ed->is_selected = 0;
	switch (key) {
	case LE_KEY_BACKSPACE:
	case LE_KEY_DELETE:
	case LE_KEY_CTRL_U:
	case LE_KEY_CTRL_K:
	case LE_KEY_CTRL_W:
		*flags = delete_range(ed, 0, ed->len);
		return 1;
	case LE_KEY_LEFT:
		*flags = move_to(ed, 0);
		return 1;
	case LE_KEY_RIGHT:
		*flags = move_to(ed, ed->len);
		return 1;
	default:
		return 0;
	}
}

int line_editor_key(struct line_editor *ed, enum le_key key)
{
	int flags;

	if (ed->is_selected && key_on_selection(ed, key, &flags))
		return flags;
	switch (key) {
	case LE_KEY_LEFT:
		return move_to(ed, boundary_before(ed, ed->cursor));
	case LE_KEY_RIGHT:
		return move_to(ed, boundary_after(ed, ed->cursor));
	case LE_KEY_HOME:
		return move_to(ed, 0);
	case LE_KEY_END:
		return move_to(ed, ed->len);
	case LE_KEY_BACKSPACE:
		return delete_range(ed, boundary_before(ed, ed->cursor), ed->cursor);
	case LE_KEY_DELETE:
		return delete_range(ed, ed->cursor, boundary_after(ed, ed->cursor));
	case LE_KEY_CTRL_U:
		return delete_range(ed, 0, ed->cursor);
	case LE_KEY_CTRL_K:
		return delete_range(ed, ed->cursor, ed->len);
	case LE_KEY_CTRL_W:
		return delete_range(ed, word_start_before(ed), ed->cursor);
	case LE_KEY_WORD_LEFT:
		return move_to(ed, word_start_before(ed));
	case LE_KEY_WORD_RIGHT:
		return move_to(ed, word_end_after(ed));
	}
	return LE_IGNORED;
}

/* Display ------------------------------------------------------------------------------- */

/* Where the cursor falls, in columns from the start of the text. */
struct field_layout {
	int cursor_col;	  /* columns before the cursor */
	int cursor_width; /* columns of the cluster under the cursor, at least 1 */
	int total;	  /* columns of the whole text */
};

static void lay_out(struct line_editor *ed, struct field_layout *lay)
{
	struct cluster_walk w;
	int col = 0, cw;

	lay->cursor_col = 0;
	lay->cursor_width = 1;
	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w)) {
		cw = cluster_width(ed, w.start, w.end);
		if (w.start == ed->cursor) {
			lay->cursor_col = col;
			lay->cursor_width = cw > 0 ? cw : 1;
		}
		col += cw;
	}
	if (ed->cursor == ed->len)
		lay->cursor_col = col;
	lay->total = col;
}

/* The column of the first cluster starting at or after col, so that the field never
 * begins with half of a wide character. */
static int cluster_column_from(struct line_editor *ed, int col)
{
	struct cluster_walk w;
	int c = 0;

	walk_init(&w, ed->buf, ed->len);
	while (c < col && walk_next(&w))
		c += cluster_width(ed, w.start, w.end);
	return c;
}

/* Scrolls so that the cursor and the letter under it are in view, without leaving room
 * at the right while text is hidden at the left.  Returns the cursor's field column. */
static int scroll_to_cursor(struct line_editor *ed, int width)
{
	struct field_layout lay;
	int want = ed->scroll;

	lay_out(ed, &lay);
	if (want > lay.total + 1 - width)
		want = lay.total + 1 - width;
	if (lay.cursor_col + lay.cursor_width > want + width)
		want = lay.cursor_col + lay.cursor_width - width;
	if (want > lay.cursor_col)
		want = lay.cursor_col;
	if (want < 0)
		want = 0;
	ed->scroll = cluster_column_from(ed, want);
	return lay.cursor_col - ed->scroll;
}

/* Copies the clusters from the scroll column on that fit in width columns and outsz. */
static void render(struct line_editor *ed, int width, char *out, size_t outsz)
{
	struct cluster_walk w;
	int col = 0, used = 0, cw;
	size_t o = 0, n;

	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w)) {
		cw = cluster_width(ed, w.start, w.end);
		n = w.end - w.start;
		col += cw;
		if (col - cw < ed->scroll)
			continue;
		if (used + cw > width || o + n >= outsz)
			break;
		if (ed->buf[w.start] == '\t')
			out[o] = ' ';
		else
			memcpy(out + o, ed->buf + w.start, n);
		o += n;
		used += cw;
	}
	while (used < width && o + 1 < outsz) {
		out[o++] = ' ';
		used++;
	}
	out[o] = '\0';
}

int line_editor_view(struct line_editor *ed, int width, char *out, size_t outsz,
		     int *cursor_col)
{
	int col = 0;

	if (width > 0)
		col = scroll_to_cursor(ed, width);
	if (width > 0 && outsz > 0)
		render(ed, width, out, outsz);
	else if (outsz > 0)
		out[0] = '\0';
	if (cursor_col)
		*cursor_col = col;
	return col;
}

int line_editor_click(struct line_editor *ed, int width, int col)
{
	struct cluster_walk w;
	int target, c = 0, cw;

	ed->is_selected = 0;
	if (width <= 0)
		return LE_HANDLED;
	scroll_to_cursor(ed, width);
	target = ed->scroll + (col < 0 ? 0 : col < width ? col : width - 1);
	walk_init(&w, ed->buf, ed->len);
	while (walk_next(&w)) {
		cw = cluster_width(ed, w.start, w.end);
		if (target < c + cw)
			return move_to(ed, w.start);
		c += cw;
	}
	return move_to(ed, ed->len);
}

/* Life and text ------------------------------------------------------------------------- */

struct line_editor *line_editor_new(const char *initial)
{
	struct line_editor *ed = calloc(1, sizeof *ed);

	if (!ed)
		return NULL;
	if (line_editor_set_text(ed, initial) != 0) {
		line_editor_free(ed);
		return NULL;
	}
	return ed;
}

void line_editor_free(struct line_editor *ed)
{
	if (!ed)
		return;
	free(ed->buf);
	free(ed);
}

const char *line_editor_text(const struct line_editor *ed)
{
	return ed->buf;
}

int line_editor_set_text(struct line_editor *ed, const char *text)
{
	size_t n;
	char *clean = clean_input(text ? text : "", &n);

	if (!clean)
		return -1;
	if (reserve(ed, n) != 0) {
		free(clean);
		return -1;
	}
	memcpy(ed->buf, clean, n + 1);
	free(clean);
	ed->len = n;
	ed->cursor = n;
	ed->scroll = 0;
	ed->is_changed = 0;
	ed->is_selected = 0;
	return 0;
}

void line_editor_select_all(struct line_editor *ed)
{
	ed->is_selected = ed->len > 0;
	ed->cursor = ed->len;
}

void line_editor_select_none(struct line_editor *ed)
{
	ed->is_selected = 0;
}

int line_editor_selection_cols(struct line_editor *ed, int width, int *from, int *to)
{
	struct field_layout lay;

	if (!ed->is_selected || width <= 0)
		return 0;
	lay_out(ed, &lay);
	*from = 0;
	*to = lay.total - ed->scroll < width ? lay.total - ed->scroll : width;
	return *to > 0;
}

void line_editor_set_max(struct line_editor *ed, size_t max_chars)
{
	ed->max_chars = max_chars;
}

char *line_editor_take_nfc(const struct line_editor *ed)
{
	return text_nfc(ed->buf);
}
