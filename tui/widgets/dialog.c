/*
 * dialog.c - modal dialogs drawn over the current screen: yes/no, a message, a list to
 * choose from, a scrollable pager, a one-line prompt, and the F1 help.  Each runs its own
 * small loop and returns the answer; a signal (SIGHUP, SIGTERM) ends it as "cancel" so
 * that the screen loop can save drafts.  Also the bridge from keys to the line editor,
 * which every text field uses.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/text.h"
#include "widgets/form.h"
#include "widgets/line_editor.h"
#include "widgets/ui.h"

/* --- text fields ------------------------------------------------------------------------ */

int ui_edit_key(struct line_editor *ed, const struct ui_key *k)
{
	static const struct {
		int code;
		enum le_key key;
	} keys[] = {
		{ KEY_LEFT, LE_KEY_LEFT },   { KEY_RIGHT, LE_KEY_RIGHT },
		{ KEY_HOME, LE_KEY_HOME },   { KEY_END, LE_KEY_END },
		{ KEY_DC, LE_KEY_DELETE },   { KEY_BACKSPACE, LE_KEY_BACKSPACE },
	};
	size_t i;

	if (k->code && !k->alt) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (k->code == keys[i].code)
				return line_editor_key(ed, keys[i].key);
		return LE_IGNORED;
	}
	if (k->code)
		return LE_IGNORED;
	if (k->alt) {
		if (k->ch == 'b')
			return line_editor_key(ed, LE_KEY_WORD_LEFT);
		if (k->ch == 'f')
			return line_editor_key(ed, LE_KEY_WORD_RIGHT);
		if (k->ch == 127 || k->ch == UI_CTRL('H'))
			return line_editor_key(ed, LE_KEY_CTRL_W);
		return LE_IGNORED;
	}
	switch (k->ch) {
	case 127:
	case UI_CTRL('H'):
		return line_editor_key(ed, LE_KEY_BACKSPACE);
	case UI_CTRL('A'):
		return line_editor_key(ed, LE_KEY_HOME);
	case UI_CTRL('E'):
		return line_editor_key(ed, LE_KEY_END);
	case UI_CTRL('B'):
		return line_editor_key(ed, LE_KEY_LEFT);
	case UI_CTRL('F'):
		return line_editor_key(ed, LE_KEY_RIGHT);
	case UI_CTRL('D'):
		return line_editor_key(ed, LE_KEY_DELETE);
	case UI_CTRL('U'):
		return line_editor_key(ed, LE_KEY_CTRL_U);
	case UI_CTRL('K'):
		return line_editor_key(ed, LE_KEY_CTRL_K);
	case UI_CTRL('W'):
		return line_editor_key(ed, LE_KEY_CTRL_W);
	}
	if (k->text[0])
		return line_editor_insert(ed, k->text);
	return LE_IGNORED;
}

void ui_edit_draw(struct line_editor *ed, int y, int x, int width, int has_focus)
{
	char buf[4096];
	int col;

	if (width <= 0)
		return;
	if (width > 1000)
		width = 1000;
	col = line_editor_view(ed, width, buf, sizeof(buf), NULL);
	attrset(ui_style(has_focus ? UI_FOCUS : UI_FIELD));
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	if (has_focus) {
		int from, to;

		if (line_editor_selection_cols(ed, width, &from, &to))
			ui_restyle(y, x + from, to - from, ui_style(UI_SELECTION));
		ui_cursor(y, x + col);
	}
}

/* --- helpers ---------------------------------------------------------------------------- */

/* Reads the next key for a dialog; 0 when a signal asks kyso to stop. */
static int dialog_key(struct ui_key *k)
{
	int r;

	ui_flush();
	while ((r = ui_read_key(k, 100)) == 0)
		;
	return r > 0;
}

/* Splits text into lines of at most width columns, at spaces and at '\n'.  *n gets the
 * number of lines; the caller frees each line and the array. */
static char **wrap(const char *text, int width, int *n)
{
	char **lines = NULL;
	int count = 0, cap = 0;
	const char *p = text ? text : "";

	if (width < 8)
		width = 8;
	while (*p || count == 0) {
		const char *end = p, *cut = NULL;
		char *line;
		int w = 0;

		while (*end && *end != '\n') {
			char ch[8];
			int len = 1;

			while ((end[len] & 0xC0) == 0x80)
				len++;
			memcpy(ch, end, (size_t)len);
			ch[len] = '\0';
			if (w + text_width(ch) > width)
				break;
			w += text_width(ch);
			if (*end == ' ')
				cut = end;
			end += len;
		}
		if (*end && *end != '\n' && cut)
			end = cut;
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			lines = realloc(lines, (size_t)cap * sizeof(*lines));
			if (!lines)
				abort();
		}
		line = strndup(p, (size_t)(end - p));
		if (!line)
			abort();
		lines[count++] = line;
		p = end;
		if (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
	}
	*n = count;
	return lines;
}

static void free_lines(char **lines, int n)
{
	while (n-- > 0)
		free(lines[n]);
	free(lines);
}

static int dialog_width(int want)
{
	int max = COLS - 4;

	if (want > max)
		want = max;
	return want < 20 ? (COLS < 20 ? COLS : 20) : want;
}

/* --- yes / no and messages -------------------------------------------------------------- */

static void draw_buttons(int y, int x, int w, const char *const *labels, int n, int sel)
{
	int total = 0, i, bx;
	char buf[128];

	for (i = 0; i < n; i++)
		total += text_width(labels[i]) + 4 + (i ? 2 : 0);
	bx = x + (w - total) / 2;
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "[ %s ]", labels[i]);
		bx += ui_text_raw(y, bx, w, buf,
				  i == sel ? ui_style(UI_SELECTED) | A_BOLD : ui_style(UI_DIALOG));
		bx += 2;
	}
}

int ui_confirm(const char *title, const char *question, int default_yes)
{
	const char *labels[2] = { _("Yes"), _("No") };
	int sel = default_yes ? 0 : 1, answer = -1;
	struct ui_key k;

	while (answer < 0) {
		int n, i, w = dialog_width(text_width(question) + 6), h, y, x;
		char **lines = wrap(question, w - 4, &n);

		h = n + 4;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		ui_paint();
		ui_box(y, x, h, w, title, ui_style(UI_DIALOG));
		for (i = 0; i < n; i++)
			ui_text(y + 1 + i, x + 2, w - 4, lines[i], ui_style(UI_DIALOG));
		draw_buttons(y + h - 2, x, w, labels, 2, sel);
		free_lines(lines, n);
		if (!dialog_key(&k))
			return 0;
		if (ui_key_is_enter(&k))
			answer = sel == 0;
		else if (ui_key_is_esc(&k) || ui_key_is(&k, 'n') || ui_key_is(&k, 'k'))
			answer = 0;
		else if (ui_key_is(&k, 'y') || ui_key_is(&k, 'c'))
			answer = 1;
		else if (k.code == KEY_LEFT || k.code == KEY_RIGHT || ui_key_is(&k, UI_KEY_TAB) ||
			 k.code == KEY_BTAB)
			sel = !sel;
		else {
			int cy, cx;

			if (ui_key_click(&k, &cy, &cx) && cy == y + h - 2)
				answer = cx < x + w / 2;
		}
	}
	return answer;
}

void ui_refused(const char *title, const struct kyso_err *err,
		const struct kyso_problems *problems)
{
	char text[2048];
	size_t i, len;

	len = (size_t)snprintf(text, sizeof(text), "%s", err->msg);
	for (i = 0; problems && i < problems->count && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "\n%s%s%s",
					problems->items[i].column,
					problems->items[i].column[0] ? ": " : "",
					problems->items[i].message);
	ui_message(title, text);
}

void ui_message(const char *title, const char *text)
{
	const char *labels[1] = { _("OK") };
	struct ui_key k;

	for (;;) {
		int n, i, w = dialog_width(text_width(text) + 6), h, y, x;
		char **lines = wrap(text, w - 4, &n);

		if (n > LINES - 6)
			n = LINES - 6 > 1 ? LINES - 6 : 1;
		h = n + 4;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		ui_paint();
		ui_box(y, x, h, w, title, ui_style(UI_DIALOG));
		for (i = 0; i < n; i++)
			ui_text(y + 1 + i, x + 2, w - 4, lines[i], ui_style(UI_DIALOG));
		draw_buttons(y + h - 2, x, w, labels, 1, 0);
		free_lines(lines, n);
		if (!dialog_key(&k))
			return;
		if (ui_key_is_enter(&k) || ui_key_is_esc(&k) || ui_key_is(&k, ' ') ||
		    ui_key_is(&k, 'q') || (k.code == KEY_MOUSE && ui_key_wheel(&k) == 0))
			return;
	}
}

/* --- lists ------------------------------------------------------------------------------ */

/* Keeps sel and top of a list of n rows shown rows at a time consistent after a move. */
static void list_move(int *sel, int *top, int n, int rows, int delta)
{
	if (n <= 0) {
		*sel = *top = 0;
		return;
	}
	*sel += delta;
	if (*sel < 0)
		*sel = 0;
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < *top)
		*top = *sel;
	if (*sel >= *top + rows)
		*top = *sel - rows + 1;
	if (*top < 0)
		*top = 0;
}

/* The delta a navigation key asks for in a list of rows rows; 0 when it is not one. */
static int nav_delta(const struct ui_key *k, int rows, int n, int with_letters)
{
	int wheel = ui_key_wheel(k);

	if (wheel)
		return wheel * 3;
	switch (k->code) {
	case KEY_UP:
		return -1;
	case KEY_DOWN:
		return 1;
	case KEY_PPAGE:
		return -rows;
	case KEY_NPAGE:
		return rows;
	case KEY_HOME:
		return -n;
	case KEY_END:
		return n;
	}
	if (with_letters && ui_key_is(k, 'k'))
		return -1;
	if (with_letters && ui_key_is(k, 'j'))
		return 1;
	return 0;
}

int ui_choose(const char *title, const char *const *items, int n, int current)
{
	char **folded = calloc((size_t)(n > 0 ? n : 1), sizeof(*folded));
	int *shown = calloc((size_t)(n > 0 ? n : 1), sizeof(*shown));
	struct line_editor *filter = line_editor_new(NULL);
	int nshown = 0, sel = 0, top = 0, result = -1, done = 0, i, last_filter = -1;
	struct ui_key k;

	if (!folded || !shown || !filter)
		goto out;
	for (i = 0; i < n; i++)
		folded[i] = text_fold(items[i]);
	while (!done) {
		int w = 0, h, y, x, rows, delta, cy, cx;
		char *f = text_fold(line_editor_text(filter));
		int flen = f ? (int)strlen(f) : 0;

		if (last_filter != flen || filter->is_changed) {
			int keep = nshown > 0 ? shown[sel] : current;

			nshown = 0;
			sel = 0;
			for (i = 0; i < n; i++)
				if (!flen || (folded[i] && strstr(folded[i], f))) {
					if (i == keep)
						sel = nshown;
					shown[nshown++] = i;
				}
			top = 0;
			last_filter = flen;
			filter->is_changed = 0;
		}
		free(f);
		for (i = 0; i < n; i++)
			if (text_width(items[i]) > w)
				w = text_width(items[i]);
		w = dialog_width(w + 6 > 40 ? w + 6 : 40);
		rows = nshown < LINES - 8 ? nshown : LINES - 8;
		if (rows < 1)
			rows = 1;
		h = rows + 4;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		list_move(&sel, &top, nshown, rows, 0);
		ui_paint();
		ui_box(y, x, h, w, title, ui_style(UI_DIALOG));
		for (i = 0; i < rows && top + i < nshown; i++)
			ui_text(y + 1 + i, x + 2, w - 4, items[shown[top + i]],
				top + i == sel ? ui_style(UI_SELECTED) : ui_style(UI_DIALOG));
		if (!nshown)
			ui_text(y + 1, x + 2, w - 4, _("(nothing matches)"), ui_style(UI_DIALOG));
		ui_text(y + h - 2, x + 2, 8, _("Filter:"), ui_style(UI_DIALOG));
		ui_edit_draw(filter, y + h - 2, x + 11, w - 13, 1);
		if (!dialog_key(&k))
			break;
		delta = nav_delta(&k, rows, nshown, 0);
		if (delta) {
			list_move(&sel, &top, nshown, rows, delta);
		} else if (ui_key_is_enter(&k)) {
			if (nshown) {
				result = shown[sel];
				done = 1;
			}
		} else if (ui_key_is_esc(&k)) {
			done = 1;
		} else if (ui_key_click(&k, &cy, &cx)) {
			if (cy > y && cy <= y + rows && top + cy - y - 1 < nshown) {
				result = shown[top + cy - y - 1];
				done = 1;
			}
		} else {
			ui_edit_key(filter, &k);
		}
	}
out:
	for (i = 0; folded && i < n; i++)
		free(folded[i]);
	free(folded);
	free(shown);
	line_editor_free(filter);
	return result;
}

int ui_checklist(const char *title, const char *note, const char *const *items, int n,
		 int *ticked)
{
	const char *keys = _("Space: tick or untick   a: all   Enter: go on   Esc: cancel");
	int sel = 0, top = 0, answer = -1, i;
	struct ui_key k;

	while (answer < 0) {
		int w = 0, h, y, x, rows, nnote, delta, cy, cx;
		char **lines;

		for (i = 0; i < n; i++)
			if (text_width(items[i]) + 4 > w)
				w = text_width(items[i]) + 4;
		if (text_width(keys) > w)
			w = text_width(keys);
		w = dialog_width((w > 56 ? w : 56) + 4); /* the note wraps */
		lines = wrap(note, w - 4, &nnote);
		rows = n < LINES - 8 - nnote ? n : LINES - 8 - nnote;
		if (rows < 1)
			rows = 1;
		h = nnote + rows + 5;
		y = (LINES - h) / 2;
		x = (COLS - w) / 2;
		list_move(&sel, &top, n, rows, 0);
		ui_paint();
		ui_box(y, x, h, w, title, ui_style(UI_DIALOG));
		for (i = 0; i < nnote; i++)
			ui_text(y + 1 + i, x + 2, w - 4, lines[i], ui_style(UI_DIALOG));
		free_lines(lines, nnote);
		for (i = 0; i < rows && top + i < n; i++) {
			attr_t a = top + i == sel ? ui_style(UI_SELECTED) : ui_style(UI_DIALOG);

			ui_text_raw(y + 2 + nnote + i, x + 2, 4, ticked[top + i] ? "[x] " : "[ ] ", a);
			ui_text(y + 2 + nnote + i, x + 6, w - 8, items[top + i], a);
		}
		ui_text(y + h - 2, x + 2, w - 4, keys, ui_style(UI_DIALOG) | A_BOLD);
		if (!dialog_key(&k))
			return 0;
		delta = nav_delta(&k, rows, n, 0);
		if (delta) {
			list_move(&sel, &top, n, rows, delta);
		} else if (ui_key_is(&k, ' ') && n) {
			/* As on the lists: Space marks the row and moves to the next. */
			ticked[sel] = !ticked[sel];
			list_move(&sel, &top, n, rows, 1);
		} else if (ui_key_is(&k, 'a')) {
			int all = 1;

			for (i = 0; i < n; i++)
				all &= ticked[i] != 0;
			for (i = 0; i < n; i++)
				ticked[i] = !all;
		} else if (ui_key_is_enter(&k)) {
			answer = 1;
		} else if (ui_key_is_esc(&k)) {
			answer = 0;
		} else if (ui_key_click(&k, &cy, &cx)) {
			if (cy >= y + 2 + nnote && cy < y + 2 + nnote + rows &&
				 top + cy - y - 2 - nnote < n) {
				sel = top + cy - y - 2 - nnote;
				ticked[sel] = !ticked[sel];
			}
		}
	}
	return answer;
}

void ui_pager(const char *title, const char *const *lines, size_t n)
{
	int top = 0;
	struct ui_key k;

	for (;;) {
		int h = LINES - 2, w = COLS, rows = h - 2, i, delta, max;

		if (rows < 1)
			rows = 1;
		max = (int)n - rows > 0 ? (int)n - rows : 0;
		if (top > max)
			top = max;
		if (top < 0)
			top = 0;
		ui_paint();
		ui_box(0, 0, h, w, title, ui_style(UI_DIALOG));
		for (i = 0; i < rows && (size_t)(top + i) < n; i++)
			ui_text(1 + i, 1, w - 2, lines[top + i], ui_style(UI_DIALOG));
		{
			char pos[96], a[32], b[32];

			snprintf(pos, sizeof(pos), " %s-%s/%s ", ui_number(n ? top + 1 : 0, a),
				 ui_number(top + i, b), ui_number((long)n, (char[32]){ 0 }));
			ui_text_raw(h - 1, w - text_width(pos) - 2, w / 2, pos, ui_style(UI_DIALOG));
		}
		ui_clear_span(LINES - 2, 0, COLS, A_NORMAL);
		ui_text(LINES - 2, 0, COLS, _("↑↓ PgUp PgDn Home End: scroll   Esc, Enter or q: close"),
			A_NORMAL);
		if (!dialog_key(&k))
			return;
		delta = nav_delta(&k, rows, (int)n, 1);
		if (delta) {
			top += delta;
		} else if (ui_key_is_enter(&k) || ui_key_is_esc(&k) || ui_key_is(&k, 'q') ||
			   k.code == KEY_F(1) || k.code == KEY_F(10)) {
			return;
		} else if (ui_key_is(&k, ' ')) {
			top += rows;
		}
	}
}

/* Tab in a file prompt: what was typed is completed as far as the files and folders
 * that start with it agree (a folder gets its "/"); when several remain, the status line
 * names them. */
static void complete_path(struct line_editor *ed)
{
	const char *typed = line_editor_text(ed);
	char *path = ui_expand_path(typed), *pattern, *p, *done;
	size_t i, common, have;
	glob_t g;
	int rc;

	if (!path || !(pattern = malloc(2 * strlen(path) + 2))) {
		free(path);
		return;
	}
	for (p = pattern, i = 0; path[i]; i++) { /* the typed text is not a pattern */
		if (strchr("*?[\\", path[i]))
			*p++ = '\\';
		*p++ = path[i];
	}
	strcpy(p, "*");
	rc = glob(pattern, GLOB_MARK, NULL, &g);
	free(pattern);
	if (rc || !g.gl_pathc) {
		ui_error(_("No file or folder starts with \"%s\""), typed);
		free(path);
		if (!rc)
			globfree(&g);
		return;
	}
	have = strlen(path);
	common = strlen(g.gl_pathv[0]);
	for (i = 1; i < g.gl_pathc; i++) {
		size_t j = 0;

		while (j < common && g.gl_pathv[i][j] == g.gl_pathv[0][j])
			j++;
		common = j;
	}
	/* Not inside a letter: the common part ends where a UTF-8 sequence starts. */
	while (common > have && (g.gl_pathv[0][common] & 0xC0) == 0x80)
		common--;
	if (common > have &&
	    asprintf(&done, "%s%.*s", typed, (int)(common - have), g.gl_pathv[0] + have) >= 0) {
		line_editor_set_text(ed, done);
		free(done);
	}
	if (g.gl_pathc > 1) {
		char names[512] = "";
		size_t len = 0;

		for (i = 0; i < g.gl_pathc && len + 4 < sizeof(names); i++) {
			const char *name = g.gl_pathv[i] + strlen(g.gl_pathv[i]);

			/* the last part of the path, its folder's "/" kept */
			if (name > g.gl_pathv[i] && name[-1] == '/')
				name--;
			while (name > g.gl_pathv[i] && name[-1] != '/')
				name--;
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						i ? "  " : "", name);
		}
		ui_status(_("%zu names match: %s"), (size_t)g.gl_pathc, names);
	}
	globfree(&g);
	free(path);
}

static int prompt(const char *title, const char *label, const char *initial, int is_path,
		  char **out)
{
	struct line_editor *ed = line_editor_new(initial);
	struct ui_key k;
	int answer = -1;

	*out = NULL;
	if (!ed)
		return 0;
	line_editor_select_all(ed); /* what is typed replaces what the prompt offers */
	while (answer < 0) {
		int lw = text_width(label) + 1, w = dialog_width(COLS - 10), h = 5;
		int y = (LINES - h) / 2, x = (COLS - w) / 2;

		ui_paint();
		ui_box(y, x, h, w, title, ui_style(UI_DIALOG));
		ui_text(y + 2, x + 2, lw, label, ui_style(UI_DIALOG));
		ui_edit_draw(ed, y + 2, x + 2 + lw, w - 4 - lw, 1);
		if (is_path)
			ui_text(y + h - 1, x + 2, w - 4, _(" Tab: complete the name "),
				ui_style(UI_DIALOG));
		if (!dialog_key(&k))
			break;
		if (ui_key_is_enter(&k)) {
			*out = line_editor_take_nfc(ed);
			answer = *out != NULL;
		} else if (ui_key_is_esc(&k)) {
			answer = 0;
		} else if (is_path && ui_key_is(&k, UI_KEY_TAB)) {
			line_editor_select_none(ed);
			complete_path(ed);
		} else {
			ui_edit_key(ed, &k);
		}
	}
	line_editor_free(ed);
	return answer > 0;
}

int ui_prompt(const char *title, const char *label, const char *initial, char **out)
{
	return prompt(title, label, initial, 0, out);
}

int ui_prompt_path(const char *title, const char *label, const char *initial, char **out)
{
	return prompt(title, label, initial, 1, out);
}

char *ui_expand_path(const char *typed)
{
	const char *home = getenv("HOME"), *s = typed;
	size_t len;
	char *path = NULL;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= 2 && (s[0] == '\'' || s[0] == '"') && s[len - 1] == s[0]) {
		s++;
		len -= 2;
	}
	if (len && s[0] == '~' && (len == 1 || s[1] == '/') && home && *home) {
		if (asprintf(&path, "%s%.*s", home, (int)len - 1, s + 1) < 0)
			path = NULL;
		return path;
	}
	return strndup(s, len);
}

/* --- help ------------------------------------------------------------------------------- */

void ui_help(const struct screen *s)
{
	static const struct ui_keyhelp frame[] = {
		{ "F1", N_("This help"), 0, 0, 0 },
		{ "Esc, q", N_("Back to the previous screen (asks first when typed work would be lost); q only where no text is being typed"), 0, 0, 0 },
		{ "F5", N_("Reload what the screen shows (it also follows every change by itself)"), 0, 0, 0 },
		{ "F10", N_("Quit kyso (asks first when typed work would be lost); q too, on the first screen"), 0, 0, 0 },
		{ "Ctrl-L", N_("Redraw the screen"), 0, 0, 0 },
		UI_KEYHELP_END,
	};
	const struct ui_keyhelp *tables[2] = { s ? s->keys : NULL, frame };
	char **lines = NULL;
	size_t n = 0, cap = 0;
	int t, kw = 0, lw;
	const struct ui_keyhelp *e;

	for (t = 0; t < 2; t++)
		for (e = tables[t]; e && e->key; e++)
			if (text_width(_(e->key)) > kw)
				kw = text_width(_(e->key));
	/* The pager's box leaves COLS - 2 columns; a label longer than what is left after
	 * its key wraps under itself, so that 80 columns show every word. */
	lw = COLS - 2 - (kw + 5) - 1;
	if (lw < 10)
		lw = 10;
	for (t = 0; t < 2; t++) {
		for (e = tables[t]; e && e->key; e++) {
			char key[128], line[1024], **parts;
			int np = form_wrap(_(e->label), lw, &parts), j;

			if (n + (size_t)np + 2 >= cap) {
				cap = (cap ? cap * 2 : 32) + (size_t)np;
				lines = realloc(lines, cap * sizeof(*lines));
				if (!lines)
					abort();
			}
			text_fit(_(e->key), kw, key, sizeof(key));
			for (j = 0; j < np; j++) {
				if (j == 0)
					snprintf(line, sizeof(line), "  %s   %s", key, parts[j]);
				else	/* under the label, past the key's column */
					snprintf(line, sizeof(line), "%*s%s", kw + 5, "", parts[j]);
				lines[n++] = strdup(line);
			}
			form_wrap_free(parts, np);
		}
		if (t == 0 && n > 0)
			lines[n++] = strdup("");
	}
	{
		char title[256];

		snprintf(title, sizeof(title), _("Keys: %s"), s && s->title ? _(s->title) : "kyso");
		ui_pager(title, (const char *const *)lines, n);
	}
	while (n-- > 0)
		free(lines[n]);
	free(lines);
}
