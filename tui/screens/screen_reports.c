/*
 * screen_reports.c - the reports to the department (issue 5): choose a period (the next
 * one due comes first), see its numbers by unit with the totals and by kind, write the
 * workbook with a progress bar, see the reports made and whether they were sent, mark
 * one sent, write a recorded one again.
 *
 * Counting and writing are core's and reports/' (report_compute, xlsx_report_*); this
 * screen only asks and shows.  The numbers are counted when the period is chosen, not
 * on every key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kyso/check.h"
#include "kyso/outfile.h"
#include "kyso/report.h"
#include "kyso/text.h"
#include "kyso/xlsx_report.h"
#include "screens/screens.h"
#include "widgets/ui.h"

/* The preview's pages of numbers: at the end of the period, during it, the PIN clock. */
static const struct {
	const char *title;
	enum report_number first, last;
} pages[] = {
	{ N_("At the end of the period"), RN_SUBSCRIBERS_ACTIVE, RN_CERTS_REVOKED },
	{ N_("During the period"), RN_ISSUED, RN_HANDED_BACK },
	{ N_("PIN changes (Art. 13.3)"), RN_PIN_CHANGES_DONE, RN_PIN_OVERDUE },
};
#define NPAGES (int)(sizeof(pages) / sizeof(pages[0]))

/* Column headers short enough for 80 columns ("Back" as a key's label is another
 * message: hence the context). */
static const char *const short_label[REPORT_NUMBERS] = {
	[RN_SUBSCRIBERS_ACTIVE] = NC_("report column", "Subscr."),
	[RN_TOKENS_IN_USE] = NC_("report column", "Tokens"),
	[RN_CERTS_VALID] = NC_("report column", "Valid"),
	[RN_CERTS_EXPIRING] = NC_("report column", "Expiring"),
	[RN_CERTS_EXPIRED] = NC_("report column", "Expired"),
	[RN_CERTS_REVOKED] = NC_("report column", "Revoked"),
	[RN_ISSUED] = NC_("report column", "Issued"),
	[RN_RENEWED] = NC_("report column", "Renewed"),
	[RN_CHANGED] = NC_("report column", "Changed"),
	[RN_REVOKED] = NC_("report column", "Revoked"),
	[RN_RECOVERED] = NC_("report column", "Recov."),
	[RN_LOST] = NC_("report column", "Lost"),
	[RN_HANDED_OVER] = NC_("report column", "Handed"),
	[RN_HANDED_BACK] = NC_("report column", "Back"),
	[RN_PIN_CHANGES_DONE] = NC_("report column", "Done"),
	[RN_PIN_DUE] = NC_("report column", "Due"),
	[RN_PIN_OVERDUE] = NC_("report column", "Overdue"),
};

static const char *const kind_names[REPORT_KINDS] = { N_("Persons"), N_("Organisations"),
						       N_("Devices, services") };

/* A recorded report as the history shows it. */
struct past {
	long long id;
	long version;
	char period[32], made[11], sent_on[11], dispatch[64];
	long subscribers;
};

struct reports {
	struct screen base;
	struct report_period period;
	struct report_summary summary;
	int has_summary;
	int page;		/* of numbers */
	int top;		/* first unit row shown */
	int is_history;		/* the list of reports made has the keys */
	struct past *past;
	size_t npast;
	int sel, past_top;
	char standing[128];	/* where the period's report stands: due, late, sent */
};

static void find_standing(struct reports *r);

static const struct ui_keyhelp reports_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "p", N_("Period"), 0, 'p', 1 },
	{ "w", N_("Write"), 0, 'w', 1 },
	{ "Tab", N_("Past reports"), 0, '\t', 1 },
	{ "s", N_("Sent"), 0, 's', 1 },
	{ "Esc", N_("Back"), 0, UI_KEY_ESC, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "F2", N_("Write"), KEY_F(2), 0, 0 },
	{ "Shift-Tab", N_("Past reports"), KEY_BTAB, 0, 0 },
	{ "← → h l", N_("Numbers at the end, during the period, PIN changes"), 0, 0, 0 },
	{ "j k ↑ ↓", N_("Scroll the units; in the reports made, move"), 0, 0, 0 },
	{ "PgUp PgDn", N_("Scroll a page"), 0, 0, 0 },
	{ "Home End", N_("Top, bottom"), 0, 0, 0 },
	{ "Enter", N_("In the reports made: write the chosen one again"), 0, 0, 0 },
	{ "s", N_("In the reports made: mark the chosen one sent; on one already sent, correct its date and number"), 0, 0, 0 },
	{ "F5 g", N_("Count again"), KEY_F(5), 0, 0 },
	UI_KEYHELP_END,
};

/* --- loading -------------------------------------------------------------------------------- */

static void count_period(struct reports *r)
{
	struct kyso_err err;

	if (r->has_summary)
		report_summary_free(&r->summary);
	r->has_summary = 0;
	ui_status("%s", _("Counting..."));
	ui_paint();
	ui_flush();
	if (report_compute(ui_db(), &r->period, &r->summary, &err)) {
		ui_error("%s", err.msg);
		return;
	}
	r->has_summary = 1;
	r->top = 0;
	find_standing(r);
	ui_status("%s", "");
}

static int take_past(const struct report_row *row, void *ctx)
{
	struct reports *r = ctx;
	struct past *grown = realloc(r->past, (r->npast + 1) * sizeof(*grown)), *p;

	if (!grown)
		return 1;
	r->past = grown;
	p = &r->past[r->npast++];
	memset(p, 0, sizeof(*p));
	p->id = row->id;
	p->version = row->version;
	snprintf(p->period, sizeof(p->period), "%s", row->period);
	snprintf(p->made, sizeof(p->made), "%s", row->generated_on);
	snprintf(p->sent_on, sizeof(p->sent_on), "%s", row->sent_on ? row->sent_on : "");
	snprintf(p->dispatch, sizeof(p->dispatch), "%s", row->dispatch ? row->dispatch : "");
	p->subscribers = row->total->n[RN_SUBSCRIBERS_ACTIVE];
	return 0;
}

static void load_past(struct reports *r)
{
	struct kyso_err err;

	free(r->past);
	r->past = NULL;
	r->npast = 0;
	if (report_list(ui_db(), take_past, r, &err))
		ui_error("%s", err.msg);
	if (r->sel >= (int)r->npast)
		r->sel = r->npast ? (int)r->npast - 1 : 0;
	find_standing(r); /* a report marked sent changes it */
}

/* What the label of a period says of its report: "due by 15/01/2027", "late: it was due
 * by 20/11/2026", "sent on 10/07/2026"; "" for one no check asks for. */
static void standing_words(const struct report_status *st, char *out, size_t outsz)
{
	char day[11];

	switch (st->standing) {
	case REPORT_DUE:
		snprintf(out, outsz, _("due by %s"), ui_date(st->deadline, day));
		break;
	case REPORT_LATE:
		snprintf(out, outsz, _("late: it was due by %s"), ui_date(st->deadline, day));
		break;
	case REPORT_SENT:
		snprintf(out, outsz, _("sent on %s"), ui_date(st->sent_on, day));
		break;
	default:
		*out = '\0';
	}
}

/* r->standing for r->period, from core's view of the periods as of today. */
static void find_standing(struct reports *r)
{
	struct report_status st[REPORT_STATUSES];
	struct kyso_err err;
	char today[11];
	size_t n = 0, i;

	r->standing[0] = '\0';
	db_today(today);
	if (report_statuses(ui_db(), today, st, &n, &err))
		return;
	for (i = 0; i < n; i++)
		if (!strcmp(st[i].period.from, r->period.from) && !strcmp(st[i].period.to, r->period.to))
			standing_words(&st[i], r->standing, sizeof(r->standing));
}

/* --- drawing ---------------------------------------------------------------------------------- */

static void draw_period_line(struct reports *r, int y)
{
	char from[11], end[11], line[256];

	snprintf(line, sizeof(line), _("Period %s: %s to %s"), r->period.label,
		 ui_date(r->period.from, from), ui_date(r->period.end, end));
	if (r->standing[0])
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " — %s", r->standing);
	ui_text(y, 0, ui_cols(), "", A_NORMAL);
	ui_text_raw(y, 1, ui_cols() - 2, line, A_BOLD);
}

/* Widths of the unit column and of each number on the current page. */
static void page_widths(const struct reports *r, int *name_w, int *num_w, int *n)
{
	*n = (int)pages[r->page].last - (int)pages[r->page].first + 1;
	*num_w = 9;
	*name_w = ui_cols() - 2 - *n * *num_w;
	if (*name_w < 14) {
		*name_w = 14;
		*num_w = (ui_cols() - 2 - *name_w) / *n;
	}
	if (*name_w > 40)
		*name_w = 40;
}

static void draw_numbers_row(struct reports *r, int y, const char *name,
			     const struct report_numbers *num, attr_t attr)
{
	int name_w, num_w, n, i;
	char buf[32];

	page_widths(r, &name_w, &num_w, &n);
	ui_text(y, 0, ui_cols(), "", attr);
	ui_text(y, 1, name_w, name, attr);
	for (i = 0; i < n; i++) {
		const char *text = num ? ui_number(num->n[pages[r->page].first + i], buf)
				       : CTX_(short_label[pages[r->page].first + i]);
		int w = text_width(text) < num_w - 1 ? text_width(text) : num_w - 1;

		ui_text(y, 1 + name_w + i * num_w + (num_w - 1 - w), w, text, attr);
	}
}

/* Rows of units shown between the header and the totals and kinds below. */
static int unit_rows(void)
{
	return ui_body_rows() - 4 - 1 - 1 - REPORT_KINDS;
}

static void draw_preview(struct reports *r)
{
	int y = ui_body_top() + 1, rows = unit_rows(), i, k;
	char title[160];
	size_t u;

	snprintf(title, sizeof(title), "%s  (%d/%d, ← →)", _(pages[r->page].title), r->page + 1,
		 NPAGES);
	ui_text(y++, 1, ui_cols() - 2, title, ui_style(UI_HEADER));
	draw_numbers_row(r, y++, _("Unit"), NULL, ui_style(UI_HEADER));
	if (!r->has_summary) {
		ui_text(y, 1, ui_cols() - 2, _("No numbers: choose a period with p."), A_NORMAL);
		return;
	}
	if (r->top > (int)r->summary.nunits - rows)
		r->top = (int)r->summary.nunits - rows;
	if (r->top < 0)
		r->top = 0;
	for (i = 0, u = (size_t)r->top; i < rows && u < r->summary.nunits; i++, u++) {
		const struct report_unit *unit = &r->summary.units[u];

		draw_numbers_row(r, y + i, unit->name ? unit->name : _("(no unit)"), &unit->num,
				 A_NORMAL);
	}
	y += rows;
	if ((size_t)r->top + (size_t)rows < r->summary.nunits) {
		char more[64];

		snprintf(more, sizeof(more), _("… %zu more units (↓)"),
			 r->summary.nunits - (size_t)r->top - (size_t)rows);
		ui_text(y - 1, 1, ui_cols() - 2, more, A_DIM);
	}
	draw_numbers_row(r, y++, _("Total"), &r->summary.total, A_BOLD);
	for (k = 0; k < REPORT_KINDS; k++)
		draw_numbers_row(r, ++y, _(kind_names[k]), &r->summary.by_kind[k], A_NORMAL);
}

static void past_status(const struct past *p, char *out, size_t outsz)
{
	char sent[11];

	if (p->sent_on[0])
		snprintf(out, outsz, _("sent %s, No. %s"), ui_date(p->sent_on, sent), p->dispatch);
	else
		snprintf(out, outsz, "%s", _("not sent"));
}

/* The history's columns: the period as wide as the longest label; the number of
 * subscribers only where the status still fits whole. */
static void history_layout(const struct reports *r, int *period_w, int *with_count)
{
	size_t i;

	*period_w = 7;
	for (i = 0; i < r->npast; i++)
		if ((int)strlen(r->past[i].period) > *period_w)
			*period_w = (int)strlen(r->past[i].period);
	*with_count = ui_cols() >= 1 + 6 + *period_w + 1 + 11 + 10 + 40;
}

static void history_line(const struct reports *r, const char *id, const char *period,
			 const char *made, const char *count, const char *status, char *out,
			 size_t outsz)
{
	int period_w, with_count;

	history_layout(r, &period_w, &with_count);
	if (with_count)
		snprintf(out, outsz, "%-5s %-*s %-10s %8s  %s", id, period_w, period, made, count,
			 status);
	else
		snprintf(out, outsz, "%-5s %-*s %-10s  %s", id, period_w, period, made, status);
}

static void draw_history(struct reports *r)
{
	int y = ui_body_top() + 1, rows = ui_body_rows() - 3, i, w = ui_cols();
	char line[512], made[11], status[128], num[32], id[24];

	ui_text(y, 0, w, "", ui_style(UI_HEADER));
	history_line(r, "#", _("Period"), _("Made"), _("Subscr."), _("Status"), line, sizeof(line));
	ui_text(y++, 1, w - 2, line, ui_style(UI_HEADER));
	if (!r->npast) {
		ui_text(y, 1, w - 2, _("No report has been made yet: w writes one."), A_NORMAL);
		return;
	}
	if (r->sel < r->past_top)
		r->past_top = r->sel;
	if (r->sel >= r->past_top + rows)
		r->past_top = r->sel - rows + 1;
	for (i = 0; i < rows && r->past_top + i < (int)r->npast; i++) {
		const struct past *p = &r->past[r->past_top + i];
		attr_t attr = r->past_top + i == r->sel ? ui_style(UI_SELECTED) : A_NORMAL;

		past_status(p, status, sizeof(status));
		snprintf(id, sizeof(id), "#%lld", p->id);
		history_line(r, id, p->period, ui_date(p->made, made), ui_number(p->subscribers, num),
			     status, line, sizeof(line));
		ui_text(y + i, 0, w, "", attr);
		ui_text(y + i, 1, w - 2, line, attr | (p->sent_on[0] ? 0 : A_BOLD));
	}
}

static void reports_draw(struct screen *s)
{
	struct reports *r = (struct reports *)s;

	draw_period_line(r, ui_body_top());
	if (r->is_history) {
		ui_hint(_("The reports made: s marks the chosen one sent, Enter writes it again, Tab: the numbers"));
		draw_history(r);
	} else {
		ui_hint(_("p: another period  w: write the workbook  ← →: more numbers  Tab: the reports made"));
		draw_preview(r);
	}
}

/* --- writing ---------------------------------------------------------------------------------- */

struct progress {
	double shown_ms;
	const char *title;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A box with a bar over the screen, redrawn at most ten times a second. */
static void show_progress(long done, long total, void *ctx)
{
	struct progress *p = ctx;
	int w = ui_cols() < 64 ? ui_cols() - 4 : 60, h = 5, y = (LINES - h) / 2,
	    x = (ui_cols() - w) / 2, bar = w - 10, filled, pct;
	char line[512];
	double now = now_ms();

	if (done < total && now - p->shown_ms < 100)
		return;
	p->shown_ms = now;
	pct = total > 0 ? (int)(done * 100 / total) : 100;
	if (pct > 100)
		pct = 100;
	filled = bar * pct / 100;
	ui_paint();
	ui_box(y, x, h, w, p->title, ui_style(UI_DIALOG));
	ui_text(y + 1, x + 2, w - 4, _("Writing the workbook..."), ui_style(UI_DIALOG));
	snprintf(line, sizeof(line), "%3d%% ", pct);
	ui_text(y + 2, x + 2, 5, line, ui_style(UI_DIALOG));
	ui_text(y + 2, x + 7, filled, "", ui_style(UI_SELECTED));
	ui_text(y + 2, x + 7 + filled, bar - filled, "", ui_style(UI_FIELD));
	ui_flush();
}

/* The file the officer typed (ui_expand_path), offered first in the documents' folder
 * (documents.dir) under the period's name, "-2" ... when taken.  NULL for Esc. */
static char *ask_path(const char *title, const struct report_period *period)
{
	struct kyso_err err = { 0 };
	char stem[64], *dir = NULL, *suggested = NULL, *typed = NULL, *path;

	xlsx_report_file_stem(period, stem, sizeof(stem));
	if (outfile_documents_dir(ui_db(), &dir, &err) ||
	    outfile_free_name(dir, stem, ".xlsx", &suggested, &err))
		ui_error("%s", err.msg);
	free(dir);
	if (!ui_prompt_path(title, _("Write to the file (.xlsx):"), suggested ? suggested : "", &typed)) {
		free(suggested);
		return NULL;
	}
	free(suggested);
	path = ui_expand_path(typed);
	free(typed);
	return path;
}

/* Writes through write (the report, or one written again) to the file the officer names,
 * asking before it replaces one; a refused file (a sent report's, minutes') is said and
 * the officer asked again.  The path written (caller frees), or NULL. */
static char *write_asked(const char *title, const struct report_period *period,
			 int (*write)(const char *path, int flags, void *ctx, struct kyso_err *err),
			 void *ctx)
{
	struct kyso_err err;
	char *path;

	while ((path = ask_path(title, period))) {
		int flags = 0;

		if (!access(path, F_OK)) {
			if (!ui_confirm(_("Replace the file?"), _("A file of that name is there already. Write over it?"), 0)) {
				free(path);
				continue;
			}
			flags = OUTFILE_FORCE;
		}
		memset(&err, 0, sizeof(err));
		if (!write(path, flags, ctx, &err))
			return path;
		ui_message(_("The report was not written"), err.msg);
		free(path);
	}
	return NULL;
}

struct generate {
	struct progress p;
	const struct report_period *period;
	struct report_summary s;
};

static int generate(const char *path, int flags, void *ctx, struct kyso_err *err)
{
	struct generate *g = ctx;

	return xlsx_report_generate(ui_db(), g->period, path, flags, show_progress, &g->p, &g->s, err);
}

static void write_report(struct reports *r)
{
	struct generate g = { { 0, _("Report to the department") }, &r->period, { 0 } };
	char *path, done[1024];

	if (!(path = write_asked(_("Write the report"), &r->period, generate, &g)))
		return;
	snprintf(done, sizeof(done), _("Report #%lld written to %s.\nSHA-256 %s"), g.s.id,
		 g.s.file_name, g.s.sha256);
	ui_message(_("Report written"), done);
	report_summary_free(&g.s);
	free(path);
	load_past(r);
}

struct again {
	struct progress p;
	long long id;
	int identical;
};

static int again(const char *path, int flags, void *ctx, struct kyso_err *err)
{
	struct again *a = ctx;

	return xlsx_report_again(ui_db(), a->id, path, flags, show_progress, &a->p, &a->identical, err);
}

static void write_again(struct reports *r)
{
	struct again a = { { 0, _("Report to the department") }, 0, 0 };
	struct report_period period;
	const struct past *past;
	struct kyso_err err = { 0 };
	char *path, done[1024];

	if (!r->npast)
		return;
	past = &r->past[r->sel];
	a.id = past->id;
	if (report_period_parse(past->period, NULL, &period, &err))
		period = r->period;
	if (!(path = write_asked(_("Write a recorded report again"), &period, again, &a)))
		return;
	snprintf(done, sizeof(done), "%s\n%s", path,
		 a.identical ? _("The same file as the one recorded.")
			     : _("The same numbers as recorded; the detail sheets hold history recorded since."));
	ui_message(_("Report written again"), done);
	free(path);
}

/* --- marking sent --------------------------------------------------------------------------- */

static void mark_sent(struct reports *r)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err;
	const struct past *past;
	char today[11], shown[11], *date = NULL, *dispatch = NULL, title[96];

	if (!r->npast) {
		ui_status("%s", _("No report has been made yet: w writes one."));
		return;
	}
	past = &r->past[r->sel];
	snprintf(title, sizeof(title), _("Report #%lld (%s) sent"), past->id, past->period);
	db_today(today);
	if (!ui_prompt(title, _("Sent on (dd/mm/yyyy):"),
		       past->sent_on[0] ? ui_date(past->sent_on, shown) : ui_date(today, shown), &date) ||
	    !ui_prompt(title, _("Dispatch number:"), past->dispatch, &dispatch))
		goto out;
	if (report_mark_sent(ui_db(), past->id, date, dispatch, past->version, &problems, &err))
		ui_refused(_("Not marked sent"), &err, &problems);
	else if (past->sent_on[0])
		/* A report marked sent again: the correction of its date or number. */
		ui_status(_("Report #%lld: sent date and number corrected; the earlier ones are kept in its history."),
			  past->id);
	else
		ui_status(_("Report #%lld marked sent."), past->id);
	load_past(r);
out:
	free(date);
	free(dispatch);
	kyso_problems_free(&problems);
}

/* --- choosing the period ---------------------------------------------------------------------- */

static void choose_period(struct reports *r)
{
	struct report_status st[REPORT_STATUSES];
	struct report_period options[REPORT_STATUSES];
	char labels[REPORT_STATUSES + 1][192], today[11], words[128];
	const char *items[REPORT_STATUSES + 1];
	int n = 0, i, pick, current = -1;
	size_t count = 0;
	struct kyso_err err;

	db_today(today);
	if (report_statuses(ui_db(), today, st, &count, &err)) {
		ui_error("%s", err.msg);
		count = 0;
	}
	for (i = 0; i < (int)count; i++) {
		char from[11], end[11];

		options[n] = st[i].period;
		standing_words(&st[i], words, sizeof(words));
		snprintf(labels[n], sizeof(labels[n]), "%s  (%s - %s)%s%s", options[n].label,
			 ui_date(options[n].from, from), ui_date(options[n].end, end),
			 words[0] ? "  " : "", words);
		items[n] = labels[n];
		if (current < 0 && !strcmp(options[n].label, r->period.label))
			current = n;
		n++;
	}
	snprintf(labels[n], sizeof(labels[n]), "%s", _("Another range of dates..."));
	items[n] = labels[n];
	if ((pick = ui_choose(_("Period of the report"), items, n + 1, current < 0 ? 0 : current)) < 0)
		return;
	if (pick < n) {
		r->period = options[pick];
	} else {
		char *typed = NULL;
		struct report_period p;

		if (!ui_prompt(_("Period of the report"), _("From..to (dd/mm/yyyy..dd/mm/yyyy):"),
			       "", &typed))
			return;
		if (report_period_parse(typed, NULL, &p, &err)) {
			ui_message(_("Not a period"), err.msg);
			free(typed);
			return;
		}
		free(typed);
		r->period = p;
	}
	count_period(r);
}

/* --- keys --------------------------------------------------------------------------------------- */

static int history_key(struct reports *r, const struct ui_key *k)
{
	if (k->code == KEY_UP || ui_key_is(k, 'k'))
		r->sel = r->sel > 0 ? r->sel - 1 : 0;
	else if (k->code == KEY_DOWN || ui_key_is(k, 'j'))
		r->sel = r->sel + 1 < (int)r->npast ? r->sel + 1 : r->sel;
	else if (k->code == KEY_HOME)
		r->sel = 0;
	else if (k->code == KEY_END)
		r->sel = r->npast ? (int)r->npast - 1 : 0;
	else if (ui_key_is_enter(k))
		write_again(r);
	else
		return UI_IGNORED;
	return UI_HANDLED;
}

static int preview_key(struct reports *r, const struct ui_key *k)
{
	if (k->code == KEY_LEFT || ui_key_is(k, 'h'))
		r->page = (r->page + NPAGES - 1) % NPAGES;
	else if (k->code == KEY_RIGHT || ui_key_is(k, 'l'))
		r->page = (r->page + 1) % NPAGES;
	else if (k->code == KEY_UP || ui_key_is(k, 'k'))
		r->top = r->top > 0 ? r->top - 1 : 0;
	else if (k->code == KEY_DOWN || ui_key_is(k, 'j'))
		r->top++;
	else if (k->code == KEY_NPAGE)
		r->top += unit_rows();
	else if (k->code == KEY_PPAGE)
		r->top = r->top > unit_rows() ? r->top - unit_rows() : 0;
	else
		return UI_IGNORED;
	return UI_HANDLED;
}

static int reports_key(struct screen *s, const struct ui_key *k)
{
	struct reports *r = (struct reports *)s;
	int handled = r->is_history ? history_key(r, k) : preview_key(r, k);

	if (handled)
		return handled;
	if (ui_key_is(k, '\t') || k->code == KEY_BTAB) {
		r->is_history = !r->is_history;
		if (r->is_history)
			load_past(r);
	} else if (ui_key_is(k, 'p')) {
		choose_period(r);
	} else if (ui_key_is(k, 'w') || k->code == KEY_F(2)) {
		write_report(r);
	} else if (ui_key_is(k, 's')) {
		if (!r->is_history) {
			r->is_history = 1;
			load_past(r);
		}
		mark_sent(r);
	} else if (k->code == KEY_F(5) || ui_key_is(k, 'g')) {
		count_period(r);
		load_past(r);
	} else {
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

static void reports_activate(struct screen *s)
{
	load_past((struct reports *)s);
}

static void reports_free(struct screen *s)
{
	struct reports *r = (struct reports *)s;

	if (r->has_summary)
		report_summary_free(&r->summary);
	free(r->past);
	ui_hint(NULL);
	free(r);
}

int reports_open(void)
{
	struct reports *r = calloc(1, sizeof(*r));
	char today[11];

	if (!r) {
		ui_error("%s", _("out of memory"));
		return -1;
	}
	r->base.title = N_("Reports to the department");
	r->base.keys = reports_keys;
	r->base.draw = reports_draw;
	r->base.key = reports_key;
	r->base.activate = reports_activate;
	r->base.free = reports_free;
	db_today(today);
	report_next_period(ui_db(), today, &r->period);
	ui_push(&r->base);
	count_period(r);
	load_past(r);
	return 0;
}
