/*
 * cli/minutes.c - `kyso minutes handover|return|lost|list|reprint`: minutes of tokens'
 * changes written as DOCX, numbered in the agency's register, and written again from
 * their record (reports/minutes.c does the work; this file reads options and prints).
 * -o takes a file, a folder (the minutes' number names the file there) or "-"; without
 * it they go to the documents' folder.  No file is replaced without --force, and the
 * file of recorded minutes or of a sent report never (outfile.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/check.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/minutes.h"
#include "kyso/outfile.h"
#include "kyso/token.h"

#define MAX_SERIALS 64

/* -o DIR names a folder that must be there (the documents' folder is made, not one
 * typed). */
static int folder_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

enum {
	OPT_SERIAL = 256, OPT_OUTPUT, OPT_FORM_SET, OPT_DATE, OPT_PLACE, OPT_JSON, OPT_YEAR,
	OPT_FORCE
};

static const char *kind_label(const char *doc_kind)
{
	enum minutes_kind k;

	return minutes_kind_of_doc(doc_kind, &k) ? doc_kind : minutes_kind_label(k);
}

/* What the register says of document id, for the output of write and reprint; path is
 * the file written (NULL: the one recorded). */
static json_t *record_json(struct kyso_db *db, long long id, const char *path,
			   struct kyso_err *err)
{
	struct document d;
	char number[96];
	json_t *o;

	if (document_get(db, id, &d, err))
		return NULL;
	o = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "number",
		      document_number_text(d.number, d.symbol, number, sizeof number), "file",
		      path ? path : d.file_name ? d.file_name : "", "sha256", d.sha256);
	document_free(&d);
	return o;
}

/* How a message names the file written. */
static const char *file_words(const char *path)
{
	return outfile_is_stdout(path) ? _("standard output") : path;
}

/* kyso minutes handover|return|lost ------------------------------------------------ */

static int usage_write(const char *kind)
{
	return cli_usage_error(_("usage: kyso minutes %s --serial S [--serial S ...] "
				 "[-o FILE.docx|DIR|-] [--force] [--form-set nd68|tt185] "
				 "[--date YYYY-MM-DD] [--place P] [--json]"),
			       kind);
}

/* path: as the officer named it, or NULL for the name kyso chose (the record's). */
static int print_written(struct kyso_db *db, long long id, const char *path, int json)
{
	struct kyso_err err = { 0 };
	json_t *o = record_json(db, id, path, &err);
	FILE *say = cli_say(path);

	if (!o)
		return cli_report(err.code ? err.code : KYSO_ENOMEM, &err, NULL);
	if (json) {
		out_json_to(say, o);
	} else {
		fprintf(say, _("Minutes %s written to %s\n"),
			json_string_value(json_object_get(o, "number")),
			file_words(json_string_value(json_object_get(o, "file"))));
		json_decref(o);
	}
	return fflush(say) || ferror(say) ? 1 : 0;
}

static int write_minutes(struct cli *c, enum minutes_kind kind, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "serial", required_argument, NULL, OPT_SERIAL },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "form-set", required_argument, NULL, OPT_FORM_SET },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "place", required_argument, NULL, OPT_PLACE },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0, 0, 0, 0 },
	};
	const char *serials[MAX_SERIALS];
	long long ids[MAX_SERIALS], id = 0;
	struct minutes_request r = { .kind = kind, .token_ids = ids };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	size_t n = 0, i;
	int opt, json = 0, rc;

	while ((opt = cli_getopt(argc, argv, "o:", opts)) != -1) {
		switch (opt) {
		case OPT_SERIAL:
			if (n == MAX_SERIALS)
				return cli_usage_error(_("at most %d tokens go in one minutes"),
						       MAX_SERIALS);
			serials[n++] = optarg;
			break;
		case 'o':
		case OPT_OUTPUT: r.path = optarg; break;
		case OPT_FORM_SET: r.form_set = optarg; break;
		case OPT_DATE: r.date = optarg; break;
		case OPT_PLACE: r.place = optarg; break;
		case OPT_FORCE: r.flags |= OUTFILE_FORCE; break;
		case OPT_JSON: json = 1; break;
		default: return usage_write(minutes_kind_name(kind));
		}
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if (!n || (r.path && !*r.path))
		return usage_write(minutes_kind_name(kind));
	if (r.path && outfile_is_dir(r.path) && !folder_exists(r.path))
		return cli_report(kyso_fail(&err, KYSO_EIO, _("%s: there is no such folder"), r.path),
				  &err, NULL);
	if (r.form_set && document_form_set_check(r.form_set) != 0)
		return cli_usage_error(
			_("--form-set takes nd68 (Decree 68/2024) or tt185 (Circular 185/2019)"));
	if (!(db = cli_db(c)))
		return 1;
	for (i = 0; i < n; i++)
		if ((rc = token_find(db, serials[i], &ids[i], &err)))
			return cli_report(rc, &err, NULL);
	r.ntokens = n;
	if ((rc = minutes_write(db, &r, &id, &err)))
		return cli_report(rc, &err, NULL);
	return print_written(db, id, r.path && !outfile_is_dir(r.path) ? r.path : NULL, json);
}

/* kyso minutes list ------------------------------------------------------------------ */

static json_t *row_json(const struct document_row *r)
{
	char number[96];
	json_t *tokens = json_array(), *o;
	const char *p = r->serials;

	while (p && *p) {
		size_t k = strcspn(p, ",");

		json_array_append_new(tokens, json_stringn(p, k));
		p += k + (p[k] == ',');
	}
	o = json_pack("{s:I,s:s,s:i,s:i,s:s,s:s,s:s?,s:s,s:s,s:s?,s:s,s:o}", "id",
		      (json_int_t)r->id, "number",
		      document_number_text(r->number, r->symbol, number, sizeof number), "year",
		      r->year, "sequence", (int)r->number, "kind", r->kind, "form_set", r->form_set,
		      "form", r->form, "date", r->doc_date, "title", r->title, "file",
		      r->file_name, "sha256", r->sha256, "tokens", tokens);
	return o;
}

static int print_row(const struct document_row *r, void *ctx)
{
	char number[96], shown[11];

	if (ctx) {
		json_array_append_new(ctx, row_json(r));
		return 0;
	}
	out_cell(stdout, document_number_text(r->number, r->symbol, number, sizeof number), 14);
	out_cell(stdout, date_display(r->doc_date, shown), 10);
	out_cell(stdout, kind_label(r->kind), 22);
	out_cell(stdout, r->form ? r->form : "", 7);
	out_cell(stdout, r->serials ? r->serials : "", 24);
	printf("%s\n", r->file_name ? r->file_name : "");
	return ferror(stdout) ? 1 : 0;
}

static int list_minutes(struct cli *c, int argc, char **argv)
{
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	json_t *arr;
	int rc;

	if ((rc = cli_json_options(argc, argv, _("usage: kyso minutes list [--json]"), &arr)))
		return rc;
	if (!(db = cli_db(c))) {
		json_decref(arr);
		return 1;
	}
	if (!arr) {
		out_cell(stdout, _("Number"), 14);
		out_cell(stdout, _("Date"), 10);
		out_cell(stdout, _("Minutes"), 22);
		out_cell(stdout, _("Form"), 7);
		out_cell(stdout, _("Tokens"), 24);
		printf("%s\n", _("File"));
	}
	rc = document_list(db, NULL, 0, print_row, arr, &err);
	return cli_list_end(arr, rc, &err);
}

/* kyso minutes reprint --------------------------------------------------------------- */

static int print_reprint(struct kyso_db *db, long long id, const char *path, int identical,
			 int json)
{
	struct kyso_err err = { 0 };
	json_t *o = record_json(db, id, path, &err);
	FILE *say = cli_say(path);
	const char *number;

	if (!o)
		return cli_report(err.code ? err.code : KYSO_ENOMEM, &err, NULL);
	if (json) {
		json_object_set_new(o, "identical", json_boolean(identical));
		out_json_to(say, o);
	} else {
		number = json_string_value(json_object_get(o, "number"));
		if (identical)
			fprintf(say, _("Minutes %s written again to %s: the same as recorded (SHA-256 %s)\n"),
				number, file_words(path), json_string_value(json_object_get(o, "sha256")));
		else
			fprintf(say, _("Minutes %s written again to %s, but the file differs from the "
				       "record: its SHA-256 is not %s\n"),
				number, file_words(path), json_string_value(json_object_get(o, "sha256")));
		json_decref(o);
	}
	if (fflush(say) || ferror(say))
		return 1;
	return identical ? 0 : 1;
}

static int usage_reprint(void)
{
	return cli_usage_error(_("usage: kyso minutes reprint NUMBER [-o FILE.docx|DIR|-] "
				 "[--force] [--year YYYY] [--json]"));
}

static int reprint_minutes(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0, 0, 0, 0 },
	};
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	const char *path = NULL;
	char *written = NULL;
	long long id, year = 0;
	int opt, json = 0, flags = 0, identical = 0, rc;

	while ((opt = cli_getopt(argc, argv, "o:", opts)) != -1) {
		switch (opt) {
		case 'o':
		case OPT_OUTPUT: path = optarg; break;
		case OPT_JSON: json = 1; break;
		case OPT_FORCE: flags |= OUTFILE_FORCE; break;
		case OPT_YEAR:
			if ((year = cli_number(optarg)) < 1900 || year > 9999)
				return cli_usage_error(_("--year takes a year (2026)"));
			break;
		default:
			return usage_reprint();
		}
	}
	if (optind + 1 != argc || (path && !*path))
		return usage_reprint();
	if (path && outfile_is_dir(path) && !folder_exists(path))
		return cli_report(kyso_fail(&err, KYSO_EIO, _("%s: there is no such folder"), path),
				  &err, NULL);
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = document_find(db, argv[optind], (int)year, &id, &err)) ||
	    (rc = minutes_rewrite(db, id, path, flags, &identical, &written, &err)))
		return cli_report(rc, &err, NULL);
	rc = print_reprint(db, id, path && !outfile_is_dir(path) ? path : written, identical, json);
	free(written);
	return rc;
}

int cli_minutes(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	enum minutes_kind kind;

	if (minutes_kind_parse(sub, &kind) == 0)
		return write_minutes(c, kind, argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return list_minutes(c, argc - 1, argv + 1);
	if (!strcmp(sub, "reprint"))
		return reprint_minutes(c, argc - 1, argv + 1);
	return cli_usage_error(_("usage: kyso minutes handover|return|lost|list|reprint ..."));
}
