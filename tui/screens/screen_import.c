/*
 * screen_import.c - importing a roster file from the interface.  The officer names a CSV
 * or XLSX file; a dry run shows what importing it would do, as a scrollable report
 * (totals, units to create, columns not read, every problem with its row and column);
 * and only when the officer confirms is it imported: all of it, or, when some rows are
 * invalid and the officer chooses so, the valid rows only (the CLI's --skip-invalid).
 *
 * It runs in dialogs over the screen that called it (the dashboard, the end of the first
 * setup) and returns when it is done.  Reading, checking and writing are roster_import's;
 * nothing is written before the officer says yes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "widgets/form.h"
#include "kyso/import.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "screens/screens.h"
#include "widgets/ui.h"

/* Columns the report's labels take, so that the numbers line up. */
#define LABEL_W 24

/* One stored field the file changes, or would change but keeps (edited in kyso). */
struct change_line {
	long row;
	long long id;
	int field;
	char *name, *old_value, *new_value;
	int edited_here, applied;
};

/* The changes a dry run found: shown in the report, the kept ones offered to overwrite.
 * Only the first CHANGES_KEPT are kept in detail, as problems are. */
#define CHANGES_KEPT 5000

struct changes {
	struct change_line *v;
	size_t n, cap, named;
	long not_kept, kept_edits;
};

/* How far an import is, on the status line, while a large file is read. */
struct progress {
	const char *doing; /* "Checking", "Importing": already translated */
	long rows;
	double shown_ms;
	struct changes *changes; /* NULL: not wanted */
};

static void changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].old_value);
		free(c->v[i].new_value);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int on_change(const struct import_change *c, void *ctx)
{
	struct changes *all = ((struct progress *)ctx)->changes;
	struct change_line *l;

	if (!all)
		return 0;
	all->kept_edits += !c->applied;
	if (all->n >= CHANGES_KEPT) {
		all->not_kept++;
		return 0;
	}
	if (all->n == all->cap) {
		size_t cap = all->cap ? all->cap * 2 : 64;
		struct change_line *grown = realloc(all->v, cap * sizeof(*grown));

		if (!grown) {
			all->not_kept++;
			return 0;
		}
		all->v = grown;
		all->cap = cap;
	}
	l = &all->v[all->n++];
	*l = (struct change_line){ c->row, c->id, c->field, NULL, dup_or_null(c->old_value),
				   dup_or_null(c->new_value), c->edited_here, c->applied };
	return 0;
}

/* The row's name, for the changes it made (its row is reported after them). */
static void name_changes(struct changes *all, const char *name)
{
	for (; all && all->named < all->n; all->named++)
		all->v[all->named].name = strdup(name);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int on_row(long line, enum import_action action, const char *name, long long id,
		  void *ctx)
{
	struct progress *p = ctx;
	char num[32];
	double now;

	(void)line;
	(void)action;
	(void)id;
	name_changes(p->changes, name);
	/* Stopping makes roster_import roll back: kyso was asked to end (SIGHUP, SIGTERM). */
	if (ui_signalled())
		return 1;
	if (++p->rows % 500)
		return 0;
	now = now_ms();
	if (now - p->shown_ms < 100)
		return 0;
	p->shown_ms = now;
	ui_status(_("%s: %s rows read..."), p->doing, ui_number(p->rows, num));
	ui_paint();
	ui_flush();
	return 0;
}

static int run_import(const char *path, struct import_options *opt, const char *doing,
		      struct changes *changes, struct import_result *res, struct kyso_err *err)
{
	struct progress p = { doing, 0, now_ms(), changes };

	ui_status("%s: %s", doing, path);
	ui_paint();
	ui_flush();
	opt->on_change = on_change;
	return roster_import(ui_db(), path, opt, on_row, &p, res, err);
}

/* "Nguyễn Văn An — Phone: 0912000001 → 0987654321" */
static char *change_text(const struct change_line *c, int with_name)
{
	char a[11], b[11], *text;

	if (asprintf(&text, "%s%s%s: %s → %s", with_name && c->name ? c->name : "",
		     with_name && c->name ? " — " : "",
		     subscriber_field_label((enum subscriber_field)c->field),
		     subscriber_value_shown((enum subscriber_field)c->field, c->old_value, a),
		     subscriber_value_shown((enum subscriber_field)c->field, c->new_value, b)) < 0)
		return NULL;
	return text;
}

/* --- the path ---------------------------------------------------------------------------- */

/* 0 when path names a file kyso can read; else the reason is shown. */
static int check_file(const char *path)
{
	struct stat st;
	FILE *f;

	if (stat(path, &st)) {
		ui_error(_("%s: %s"), path, kyso_strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		ui_error(_("%s is a folder: name a CSV or XLSX file in it"), path);
		return -1;
	}
	if (!(f = fopen(path, "rb"))) {
		ui_error(_("%s: %s"), path, kyso_strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

/* --- the report ---------------------------------------------------------------------------- */

struct report {
	char **lines;
	size_t n, cap;
	int is_short; /* out of memory: some lines are missing */
};

static void report_add(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report_add(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char *line;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		char **grown = realloc(r->lines, cap * sizeof(*grown));

		if (!grown) {
			r->is_short = 1;
			return;
		}
		r->lines = grown;
		r->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		r->is_short = 1;
	else
		r->lines[r->n++] = line;
	va_end(ap);
}

/* text as lines of the pager's width, the first after "  ", the others after "    ", so
 * that a long message is read whole rather than cut. */
static void report_wrapped(struct report *r, const char *text)
{
	char **lines;
	int n, i;

	n = form_wrap(text, ui_cols() - 2 - 4, &lines);
	for (i = 0; i < n; i++)
		report_add(r, "%s%s", i ? "    " : "  ", lines[i]);
	form_wrap_free(lines, n);
}

/* "  Rows to add:            12" */
static void report_count(struct report *r, const char *label, long n)
{
	char fitted[256], num[32];

	text_fit(label, LABEL_W, fitted, sizeof(fitted));
	report_add(r, "  %s %10s", fitted, ui_number(n, num));
}

static void report_problems(struct report *r, const struct import_result *res)
{
	char num[32];
	size_t i;

	if (!kyso_problems_found(&res->problems)) {
		report_add(r, "%s", _("No problems found."));
		return;
	}
	report_add(r, _("Problems (%s):"),
		   ui_number((long)res->problems.count + res->problems_not_kept, num));
	for (i = 0; i < res->problems.count; i++) {
		const struct kyso_problem *p = &res->problems.items[i];
		char *line;
		int len;

		if (p->row > 0)
			len = asprintf(&line, _("row %ld, column \"%s\": %s"), p->row, p->column,
				       p->message);
		else if (p->column[0])
			len = asprintf(&line, "%s: %s", p->column, p->message);
		else
			len = asprintf(&line, "%s", p->message);
		if (len < 0) {
			r->is_short = 1;
			continue;
		}
		report_wrapped(r, line);
		free(line);
	}
	if (res->problems_not_kept)
		report_add(r, _("  … and %s more problem(s) not shown"),
			   ui_number(res->problems_not_kept, num));
}

/* Per subscriber already in kyso, each field the file changes (old -> new); the values
 * edited in kyso since the last import are marked, kept or overwritten. */
static void report_changes(struct report *r, const struct changes *all)
{
	char num[32];
	size_t i;

	if (!all || !all->n)
		return;
	report_add(r, _("Changes to subscribers already in kyso (%s):"),
		   ui_number((long)all->n + all->not_kept, num));
	for (i = 0; i < all->n; i++) {
		const struct change_line *c = &all->v[i];
		char *text, *line;

		if (!i || c->row != all->v[i - 1].row)
			report_add(r, _("  row %ld: %s (#%lld)"), c->row, c->name ? c->name : "",
				   c->id);
		if (!(text = change_text(c, 0)))
			continue;
		if (asprintf(&line, "  %s%s%s", text, c->edited_here ? "   " : "",
			     !c->edited_here ? ""
			     : c->applied ? _("[edited in kyso: the file's value replaces it]")
					  : _("[edited in kyso: kept]")) >= 0) {
			report_wrapped(r, line);
			free(line);
		}
		free(text);
	}
	if (all->not_kept)
		report_add(r, _("  … and %s more change(s) not shown"),
			   ui_number(all->not_kept, num));
	if (all->kept_edits)
		report_wrapped(r, _("Values edited in kyso since the last import are kept: the next step lets you tick those the file should overwrite."));
	report_add(r, "%s", "");
}

static void report_build(struct report *r, const char *path, const struct import_result *res,
			 const struct changes *changes)
{
	report_add(r, _("File: %s"), path);
	report_add(r, "%s", _("Nothing has been written yet: this is what importing it would do."));
	report_add(r, "%s", "");
	report_count(r, _("Rows to add:"), res->added);
	report_count(r, _("Rows to update:"), res->updated);
	report_count(r, _("Rows unchanged:"), res->unchanged);
	report_count(r, _("Rows rejected:"), res->rejected);
	report_count(r, _("Units to create:"), res->units_added);
	if (res->ignored[0]) {
		char *line;

		if (asprintf(&line, "%s %s", _("Columns not read:"), res->ignored) >= 0) {
			report_wrapped(r, line);
			free(line);
		}
	}
	report_add(r, "%s", "");
	report_changes(r, changes);
	report_problems(r, res);
	if (r->is_short)
		report_add(r, "%s", _("(out of memory: the report is not complete)"));
}

static void report_free(struct report *r)
{
	while (r->n > 0)
		free(r->lines[--r->n]);
	free(r->lines);
}

static void show_report(const char *title, const char *path, const struct import_result *res,
			const struct changes *changes, const char *error)
{
	struct report r = { 0 };

	if (error) {
		report_add(&r, "%s", error);
		report_add(&r, "%s", "");
	}
	report_build(&r, path, res, changes);
	ui_pager(title, (const char *const *)r.lines, r.n);
	report_free(&r);
}

/* --- asking and importing ------------------------------------------------------------------ */

/* After the dry run: 1 to import (with *skip_invalid set when rows are to be skipped). */
static int officer_confirms(const struct import_result *res, int *skip_invalid)
{
	char question[512], a[32], u[32], bad[32], *items[2];
	int choice;

	*skip_invalid = 0;
	if (res->added + res->updated == 0) {
		ui_message(_("Import"), res->rejected
			   ? _("No row can be imported: every row that would change the roster has a problem.")
			   : res->edits_kept
			   ? _("Nothing to import: the file differs from the roster only in values edited in kyso, which are kept.")
			   : _("Nothing to import: the roster already holds every row of this file."));
		return 0;
	}
	ui_number(res->added, a);
	ui_number(res->updated, u);
	if (!res->rejected) {
		snprintf(question, sizeof(question),
			 _("Import the file now? %s subscriber(s) to add, %s to update."), a, u);
		return ui_confirm(_("Import"), question, 1);
	}
	/* The same choice as the command line's: all or nothing, or --skip-invalid. */
	ui_number(res->rejected, bad);
	snprintf(question, sizeof(question), _("%s row(s) have problems"), bad);
	if (asprintf(&items[1], _("Import the valid rows, skip the %s invalid one(s)"), bad) < 0)
		return 0;
	items[0] = _("Cancel: import nothing");
	choice = ui_choose(question, (const char *const *)items, 2, 0);
	free(items[1]);
	*skip_invalid = choice == 1;
	return choice == 1;
}

/* The values edited in kyso that the file would change: the officer ticks those the file
 * overwrites.  Sets *picks (caller frees); -1 when the officer cancels the import. */
static int pick_overwrites(const struct changes *all, struct import_pick **picks,
			   size_t *npicks)
{
	char **items = calloc(all->n ? all->n : 1, sizeof(*items));
	size_t *at = calloc(all->n ? all->n : 1, sizeof(*at));
	int *ticked = calloc(all->n ? all->n : 1, sizeof(*ticked));
	char note[512], num[32];
	int n = 0, rc = 0, i;

	*picks = NULL;
	*npicks = 0;
	if (!items || !at || !ticked || !(*picks = calloc(all->n ? all->n : 1, sizeof(**picks)))) {
		ui_error("%s", _("out of memory"));
		rc = -1;
		goto out;
	}
	for (size_t j = 0; j < all->n; j++)
		if (!all->v[j].applied && (items[n] = change_text(&all->v[j], 1)))
			at[n++] = j;
	snprintf(note, sizeof(note),
		 _("%s value(s) were changed in kyso after the last import, and the file has others. They are kept. Tick those the file should overwrite, then press Enter."),
		 ui_number(all->kept_edits, num));
	if (!ui_checklist(_("Values edited in kyso"), note, (const char *const *)items, n,
			  ticked)) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++)
		if (ticked[i])
			(*picks)[(*npicks)++] = (struct import_pick){ all->v[at[i]].id,
								       all->v[at[i]].field };
out:
	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(at);
	free(ticked);
	return rc;
}

static void import_for_real(const char *path, int skip_invalid,
			    const struct import_pick *picks, size_t npicks)
{
	struct import_options opt = { .skip_invalid = skip_invalid, .picks = picks,
				      .npicks = npicks };
	struct import_result res;
	struct kyso_err err;
	char a[32], u[32], same[32], skipped[32], units[32], kept[32];

	if (run_import(path, &opt, _("Importing"), NULL, &res, &err)) {
		ui_error(_("Nothing was imported: %s"), err.msg);
		import_result_free(&res);
		return;
	}
	ui_number(res.added, a);
	ui_number(res.updated, u);
	ui_number(res.unchanged, same);
	ui_number(res.rejected, skipped);
	ui_number(res.units_added, units);
	if (res.edits_kept)
		ui_status(_("Imported: %s added, %s updated, %s unchanged, %s skipped; %s new unit(s); %s value(s) edited in kyso kept."),
			  a, u, same, skipped, units, ui_number(res.edits_kept, kept));
	else
		ui_status(_("Imported: %s added, %s updated, %s unchanged, %s skipped; %s new unit(s)."),
			  a, u, same, skipped, units);
	import_result_free(&res);
}

/* One file: the dry run, its report, the edits to keep, the question and the import.  1
 * when the officer should be asked for another path (this one could not be read), else 0. */
static int import_file(const char *path)
{
	struct import_options opt = { .dry_run = 1, .skip_invalid = 1 };
	struct changes changes = { 0 };
	struct import_pick *picks = NULL;
	struct import_result res;
	struct kyso_err err;
	size_t npicks = 0;
	int rc, skip_invalid, again = 0;

	rc = run_import(path, &opt, _("Checking"), &changes, &res, &err);
	if (ui_signalled())
		goto out;
	if (rc) {
		/* The file could not be read, or its columns were not understood. */
		if (kyso_problems_found(&res.problems))
			show_report(_("The file cannot be imported"), path, &res, NULL, err.msg);
		else
			ui_error("%s", err.msg);
		again = 1;
		goto out;
	}
	ui_status("%s", _("Checked: nothing is written until you confirm."));
	show_report(_("Dry run: what the import would do"), path, &res, &changes, NULL);
	if (ui_signalled())
		goto cancelled;
	if (changes.kept_edits && pick_overwrites(&changes, &picks, &npicks))
		goto cancelled;
	if (npicks) {
		/* The counts with the ticked values overwritten, for the question. */
		import_result_free(&res);
		opt.picks = picks;
		opt.npicks = npicks;
		if (run_import(path, &opt, _("Checking"), NULL, &res, &err)) {
			ui_error(_("Nothing was imported: %s"), err.msg);
			goto out;
		}
	}
	if (ui_signalled() || !officer_confirms(&res, &skip_invalid))
		goto cancelled;
	import_for_real(path, skip_invalid, picks, npicks);
	goto out;
cancelled:
	ui_status("%s", _("Import cancelled: nothing was written."));
out:
	import_result_free(&res);
	changes_free(&changes);
	free(picks);
	return again;
}

int import_open(void)
{
	char *typed = NULL, *answer, *path, *full;
	int again = 1;

	while (again) {
		if (!ui_prompt_path(_("Import a roster file"), _("CSV or XLSX file:"), typed ? typed : "",
			       &answer))
			break;
		free(typed);
		typed = answer;
		if (!(path = ui_expand_path(typed))) {
			ui_error("%s", _("out of memory"));
			break;
		}
		if (!*path)
			ui_error("%s", _("Type the path of the file to import."));
		else if (!check_file(path)) {
			/* The whole path, for the report and for the import's record. */
			full = realpath(path, NULL);
			again = import_file(full ? full : path);
			free(full);
		}
		free(path);
	}
	free(typed);
	return 0;
}
