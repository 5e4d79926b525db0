/*
 * cli/report.c - `kyso report`: the semiannual and annual reports to the department
 * (issue 5).
 *
 *   kyso report --period P -o FILE.xlsx [--json]   writes the workbook and records it
 *   kyso report --period P [--json]                counts and prints; records nothing
 *   kyso report list [--json]                      the reports made, newest first
 *   kyso report sent ID --date D --dispatch NUMBER [--if-version N]
 *   kyso report again ID [-o FILE.xlsx] [--json]   the workbook again, from the record
 *
 * -o takes a file, a folder (the default name "bao-cao-2026-H2.xlsx" in it, "-2" ... when
 * taken) or "-" (standard output; what the command says then goes to stderr); an
 * existing file is replaced only with --force, a sent report's or minutes' never
 * (outfile.h).  `again` without -o writes to the documents' folder.
 *
 * --json prints the totals with exactly the keys of report.h and "by_unit" (scripts
 * outside the project read them).  Progress goes to stderr when a terminal watches.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/report.h"
#include "kyso/xlsx_report.h"

enum { OPT_PERIOD = 1, OPT_OUT, OPT_JSON, OPT_DATE, OPT_DISPATCH, OPT_IF_VERSION, OPT_FORCE };

#define USAGE_REPORT                                                                       \
	N_("usage: kyso report --period 2026-H1|2026-H2|2026|FROM..TO [-o FILE.xlsx|DIR|-] [--force] [--json]\n" \
	   "       kyso report list [--json]\n"                                                \
	   "       kyso report sent ID --date D --dispatch NUMBER [--if-version N]\n"         \
	   "       kyso report again ID [-o FILE.xlsx|DIR|-] [--force] [--json]")

/* "\r 42%" on stderr while the workbook is written, when a terminal watches. */
static void show_progress(long done, long total, void *ctx)
{
	(void)ctx;
	fputc('\r', stderr);
	fprintf(stderr, _("Writing the workbook... %3ld%%"), total > 0 ? done * 100 / total : 100);
	fflush(stderr);
}

static xlsx_report_progress progress_if_watched(void)
{
	return isatty(STDERR_FILENO) ? show_progress : NULL;
}

static void progress_done(xlsx_report_progress p)
{
	if (p)
		fputc('\n', stderr);
}

/* --- printing the numbers ------------------------------------------------------------------ */

static void print_period(FILE *f, const struct report_summary *s)
{
	char from[11], end[11];

	fprintf(f, _("Period %s: %s to %s\n"), s->period.label, date_display(s->period.from, from),
		date_display(s->period.end, end));
}

/* One line per number: its total, then by kind of subscriber. */
static void print_numbers(FILE *f, const struct report_summary *s)
{
	int i;

	out_cell(f, "", 42);
	out_cell_right(f, _("Total"), 9);
	out_cell_right(f, _("Persons"), 9);
	out_cell_right(f, _("Orgs"), 9);
	out_cell_right(f, _("Devices"), 9);
	fprintf(f, "\n");
	for (i = 0; i < REPORT_NUMBERS; i++) {
		out_cell(f, report_number_label((enum report_number)i), 42);
		fprintf(f, "%9ld  %9ld  %9ld  %9ld\n", s->total.n[i], s->by_kind[0].n[i],
			s->by_kind[1].n[i], s->by_kind[2].n[i]);
	}
}

/* The units with the numbers at the end of the period; the file and --json give all. */
static void print_units(FILE *f, const struct report_summary *s)
{
	static const enum report_number shown[] = { RN_SUBSCRIBERS_ACTIVE, RN_TOKENS_IN_USE,
						    RN_CERTS_VALID, RN_ISSUED, RN_REVOKED };
	static const char *const header[] = { N_("Subscr."), N_("Tokens"), N_("Valid"),
					      N_("Issued"), N_("Revoked") };
	size_t i, k;

	fprintf(f, "\n");
	out_cell(f, _("Unit"), 30);
	for (k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
		out_cell_right(f, _(header[k]), 14);
	fprintf(f, "\n");
	for (i = 0; i < s->nunits; i++) {
		out_cell(f, s->units[i].name ? s->units[i].name : _("(no unit)"), 30);
		for (k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
			fprintf(f, "%14ld  ", s->units[i].num.n[shown[k]]);
		fprintf(f, "\n");
	}
}

/* What the numbers assumed (rows with no date of their own), said after them on f; with
 * --json on stderr as a note, since the JSON's keys are fixed. */
static void print_assumed(FILE *f, const struct report_summary *s, int json)
{
	char text[1024];
	int which;

	for (which = 0; which < 2; which++) {
		if (!*report_assumed_text(&s->assumed, which, text, sizeof(text)))
			continue;
		if (json)
			fprintf(stderr, _("kyso: note: %s\n"), text);
		else
			fprintf(f, "\n%s\n", text);
	}
}

/* The numbers on f: stderr when the workbook itself went to standard output. */
static int print_summary(FILE *f, const struct report_summary *s, int json)
{
	if (json) {
		out_json_to(f, report_summary_json(s));
	} else {
		print_period(f, s);
		print_numbers(f, s);
		print_units(f, s);
	}
	print_assumed(f, s, json);
	return fflush(f) || ferror(f) ? 1 : 0;
}

/* How a message names the file written. */
static const char *file_words(const char *path)
{
	return outfile_is_stdout(path) ? _("standard output") : path;
}

/* --- the commands --------------------------------------------------------------------------- */

static int make_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "period", required_argument, NULL, OPT_PERIOD },
		{ "output", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0, 0, 0, 0 },
	};
	const char *period = NULL, *out = NULL;
	struct kyso_err err = { 0 };
	struct report_summary s;
	struct report_period p;
	struct kyso_db *db;
	char stem[64], *path = NULL;
	int opt, json = 0, flags = 0, rc;
	FILE *say = stdout;

	while ((opt = cli_getopt(argc, argv, "o:", opts)) != -1) {
		switch (opt) {
		case OPT_PERIOD: period = optarg; break;
		case 'o':
		case OPT_OUT: out = optarg; break;
		case OPT_FORCE: flags |= OUTFILE_FORCE; break;
		case OPT_JSON: json = 1; break;
		default: return cli_usage_error("%s", _(USAGE_REPORT));
		}
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if (!period || (out && !*out))
		return cli_usage_error("%s", _(USAGE_REPORT));
	if (flags && !out)
		return cli_usage_error("%s", _("--force goes with -o: it lets the file named be replaced"));
	if ((rc = report_period_parse(period, NULL, &p, &err)))
		return cli_report(rc, &err, NULL);
	if (!(db = cli_db(c)))
		return 1;
	if (!out) {
		rc = report_compute(db, &p, &s, &err);
	} else {
		xlsx_report_progress progress = progress_if_watched();

		say = cli_say(out);
		xlsx_report_file_stem(&p, stem, sizeof stem);
		if ((rc = cli_output_path(db, out, stem, ".xlsx", &path, &err)))
			return cli_report(rc, &err, NULL);
		rc = xlsx_report_generate(db, &p, path, flags, progress, NULL, &s, &err);
		progress_done(progress);
		if (!rc && !json)
			fprintf(say, _("Report #%lld written to %s\nSHA-256 %s\n\n"), s.id,
				file_words(path), s.sha256);
	}
	if (!rc)
		rc = print_summary(say, &s, json);
	else
		rc = cli_report(rc, &err, NULL);
	report_summary_free(&s);
	free(path);
	return rc;
}

static json_t *row_json(const struct report_row *r)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s?,s:s?,s:I}", "id",
			 (json_int_t)r->id, "period", r->period, "from", r->from_on, "to", r->to_on,
			 "generated_at", r->generated_at, "generated_on", r->generated_on, "actor",
			 r->actor, "totals", report_numbers_json(r->total), "file", r->file_name,
			 "sha256", r->sha256, "sent_on", r->sent_on, "dispatch", r->dispatch,
			 "version", (json_int_t)r->version);
}

static int print_row(const struct report_row *r, void *ctx)
{
	json_t *arr = ctx;
	char id[24], made[11], sent[11], status[160];

	if (arr)
		return json_array_append_new(arr, row_json(r)) ? 1 : 0;
	snprintf(id, sizeof(id), "#%lld", r->id);
	if (r->sent_on)
		snprintf(status, sizeof(status), _("sent %s, %s"), date_display(r->sent_on, sent),
			 r->dispatch ? r->dispatch : "");
	else
		snprintf(status, sizeof(status), "%s", _("not sent"));
	out_cell(stdout, id, 5);
	out_cell(stdout, r->period, 22);
	out_cell(stdout, date_display(r->generated_on, made), 10);
	printf("%9ld  %9ld  %9ld  ", r->total->n[RN_SUBSCRIBERS_ACTIVE],
	       r->total->n[RN_CERTS_VALID], r->total->n[RN_ISSUED]);
	out_cell(stdout, status, 30);
	printf("%s\n         sha256 %.16s…\n", r->file_name, r->sha256);
	return ferror(stdout) ? 1 : 0;
}

static int list_reports(struct cli *c, int argc, char **argv)
{
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	json_t *arr;
	int rc;

	if ((rc = cli_json_options(argc, argv, _("usage: kyso report list [--json]"), &arr)))
		return rc;
	if (!(db = cli_db(c))) {
		json_decref(arr);
		return 1;
	}
	if (!arr) {
		out_cell(stdout, "", 5);
		out_cell(stdout, _("Period"), 22);
		out_cell(stdout, _("Made"), 10);
		out_cell_right(stdout, _("Subscr."), 9);
		out_cell_right(stdout, _("Valid"), 9);
		out_cell_right(stdout, _("Issued"), 9);
		out_cell(stdout, _("Status"), 30);
		printf("%s\n", _("File"));
	}
	rc = report_list(db, print_row, arr, &err);
	return cli_list_end(arr, rc, &err);
}

/* The report's id from the first argument left; -1 when there is none. */
static long long report_id(int argc, char **argv)
{
	return optind + 1 == argc ? cli_number(argv[optind]) : -1;
}

static int mark_sent(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "dispatch", required_argument, NULL, OPT_DISPATCH },
		{ "if-version", required_argument, NULL, OPT_IF_VERSION },
		{ 0, 0, 0, 0 },
	};
	const char *date = NULL, *dispatch = NULL, *usage =
		_("usage: kyso report sent ID --date D --dispatch NUMBER [--if-version N]");
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	long if_version = 0;
	long long id;
	int opt, rc;

	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_DATE: date = optarg; break;
		case OPT_DISPATCH: dispatch = optarg; break;
		case OPT_IF_VERSION:
			if ((if_version = (long)cli_number(optarg)) <= 0)
				return cli_usage_error(_("--if-version takes a version number"));
			break;
		default: return cli_usage_error("%s", usage);
		}
	}
	if ((id = report_id(argc, argv)) <= 0)
		return cli_usage_error("%s", usage);
	if (!(db = cli_db(c)))
		return 1;
	rc = report_mark_sent(db, id, date, dispatch, if_version, &problems, &err);
	if (rc)
		rc = cli_report(rc, &err, &problems);
	else
		printf(_("Report #%lld marked sent.\n"), id);
	kyso_problems_free(&problems);
	return rc;
}

static int write_again(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0, 0, 0, 0 },
	};
	const char *out = NULL,
		   *usage = _("usage: kyso report again ID [-o FILE.xlsx|DIR|-] [--force] [--json]");
	struct kyso_err err = { 0 };
	struct report_summary s;
	xlsx_report_progress progress;
	struct kyso_db *db;
	char stem[64], *path = NULL;
	long long id;
	int opt, json = 0, flags = 0, identical = 0, rc;
	FILE *say;

	while ((opt = cli_getopt(argc, argv, "o:", opts)) != -1) {
		switch (opt) {
		case 'o':
		case OPT_OUT: out = optarg; break;
		case OPT_FORCE: flags |= OUTFILE_FORCE; break;
		case OPT_JSON: json = 1; break;
		default: return cli_usage_error("%s", usage);
		}
	}
	if ((id = report_id(argc, argv)) <= 0 || (out && !*out))
		return cli_usage_error("%s", usage);
	if (!(db = cli_db(c)))
		return 1;
	say = cli_say(out);
	if ((rc = report_load(db, id, &s, &err)))
		return cli_report(rc, &err, NULL);
	xlsx_report_file_stem(&s.period, stem, sizeof stem);
	if ((rc = cli_output_path(db, out, stem, ".xlsx", &path, &err))) {
		report_summary_free(&s);
		return cli_report(rc, &err, NULL);
	}
	progress = progress_if_watched();
	rc = xlsx_report_again(db, id, path, flags, progress, NULL, &identical, &err);
	progress_done(progress);
	if (rc) {
		rc = cli_report(rc, &err, NULL);
	} else {
		if (!json)
			fprintf(say, identical ? _("Report #%lld written again to %s: the same file as recorded (SHA-256 %s).\n\n")
					       : _("Report #%lld written again to %s with its recorded numbers; the detail sheets differ from the recorded file (SHA-256 %s): history of the period was recorded since.\n\n"),
				id, file_words(path), s.sha256);
		rc = print_summary(say, &s, json);
	}
	report_summary_free(&s);
	free(path);
	return rc;
}

int cli_reports(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (!strcmp(sub, "list"))
		return list_reports(c, argc - 1, argv + 1);
	if (!strcmp(sub, "sent"))
		return mark_sent(c, argc - 1, argv + 1);
	if (!strcmp(sub, "again"))
		return write_again(c, argc - 1, argv + 1);
	return make_report(c, argc, argv);
}
