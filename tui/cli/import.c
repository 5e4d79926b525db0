/*
 * cli/import.c - `kyso import` and `kyso export roster`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/i18n.h"
#include "kyso/import.h"
#include "kyso/outfile.h"
#include "kyso/roster_export.h"
#include "kyso/subscriber.h"


enum {
	OPT_DRY_RUN = 1000, OPT_SKIP, OPT_MAP, OPT_JSON, OPT_VERBOSE, OPT_FORMAT, OPT_OUT,
	OPT_OVERWRITE
};

struct import_out {
	int json, rows_wanted;
	int show_progress; /* a terminal is watching: say how far the import is */
	long seen;
	json_t *rows;
	json_t *changes;
	char *pending;	  /* text mode: the row's changes, printed after its line */
	size_t npending;
	FILE *pend;
};

static const char *action_label(enum import_action a)
{
	switch (a) {
	case IMPORT_ADDED: return _("add");
	case IMPORT_UPDATED: return _("update");
	case IMPORT_UNCHANGED: return _("unchanged");
	default: return _("reject");
	}
}

static const char *action_name(enum import_action a)
{
	static const char *const names[] = { "added", "updated", "unchanged", "rejected" };

	return names[a];
}

static int on_change(const struct import_change *c, void *ctx)
{
	struct import_out *o = ctx;
	char a[11], b[11];

	if (o->json) {
		json_array_append_new(o->changes,
				      json_pack("{s:I,s:I,s:s,s:s?,s:s?,s:b,s:b}", "row",
						(json_int_t)c->row, "id", (json_int_t)c->id, "field",
						subscriber_field_name((enum subscriber_field)c->field),
						"old", c->old_value, "new", c->new_value, "edited_here",
						c->edited_here, "applied", c->applied));
		return 0;
	}
	/* Without the rows, only what was kept is said: the rest is the file's to say. */
	if (!o->rows_wanted && c->applied)
		return 0;
	if (!o->pend && !(o->pend = open_memstream(&o->pending, &o->npending)))
		return 1;
	if (o->rows_wanted)
		fputs("    ", o->pend);
	else
		fprintf(o->pend, _("row %ld: "), c->row);
	fprintf(o->pend, "#%lld %s: %s → %s", c->id,
		subscriber_field_label((enum subscriber_field)c->field),
		subscriber_value_shown((enum subscriber_field)c->field, c->old_value, a),
		subscriber_value_shown((enum subscriber_field)c->field, c->new_value, b));
	if (c->edited_here)
		fprintf(o->pend, "  %s", c->applied ? _("(edited in kyso: overwritten)")
					 : _("(edited in kyso: kept; --overwrite-edits replaces it)"));
	fputc('\n', o->pend);
	return 0;
}

/* The changes of the row just reported. */
static void print_pending(struct import_out *o)
{
	if (!o->pend)
		return;
	fclose(o->pend);
	o->pend = NULL;
	fwrite(o->pending, 1, o->npending, stdout);
	free(o->pending);
	o->pending = NULL;
	o->npending = 0;
}

static int on_row(long line, enum import_action action, const char *name, long long id,
		  void *ctx)
{
	struct import_out *o = ctx;

	/* A large file takes a while: the line reached, on stderr, every 10,000 rows. */
	if (o->show_progress && ++o->seen % 10000 == 0) {
		fputc('\r', stderr);
		fprintf(stderr, _("%ld rows read..."), o->seen);
		fflush(stderr);
	}
	if (!o->rows_wanted) {
		print_pending(o);
		return 0;
	}
	if (o->json) {
		json_array_append_new(o->rows, json_pack("{s:I,s:s,s:s,s:o?}", "row", (json_int_t)line,
							 "action", action_name(action), "name", name,
							 "id", id ? json_integer(id) : NULL));
		return 0;
	}
	printf(_("row %ld: "), line);
	out_cell(stdout, action_label(action), 10);
	if (id)
		printf("%s (#%lld)\n", name, id);
	else
		printf("%s\n", name);
	print_pending(o);
	return 0;
}

static void print_json(const struct import_result *r, const struct import_options *opt,
		       json_t *rows, json_t *changes, const char *message)
{
	json_t *o = json_object(), *errors = json_array();
	size_t i;

	json_object_set_new(o, "added", json_integer(r->added));
	json_object_set_new(o, "updated", json_integer(r->updated));
	json_object_set_new(o, "unchanged", json_integer(r->unchanged));
	json_object_set_new(o, "rejected", json_integer(r->rejected));
	json_object_set_new(o, "units_added", json_integer(r->units_added));
	json_object_set_new(o, "edits_kept", json_integer(r->edits_kept));
	json_object_set_new(o, "dry_run", json_boolean(opt->dry_run));
	json_object_set_new(o, "committed", json_boolean(r->committed));
	for (i = 0; i < r->problems.count; i++)
		json_array_append_new(errors, json_pack("{s:I,s:s,s:s}", "row",
							(json_int_t)r->problems.items[i].row, "column",
							r->problems.items[i].column, "message",
							r->problems.items[i].message));
	json_object_set_new(o, "errors", errors);
	if (r->problems_not_kept)
		json_object_set_new(o, "errors_not_shown", json_integer(r->problems_not_kept));
	if (r->ignored[0])
		json_object_set_new(o, "ignored_columns", json_string(r->ignored));
	if (message)
		json_object_set_new(o, "message", json_string(message));
	if (rows)
		json_object_set(o, "rows", rows);
	json_object_set(o, "changes", changes);
	out_json(o);
}

int cli_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "skip-invalid", no_argument, NULL, OPT_SKIP },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "overwrite-edits", no_argument, NULL, OPT_OVERWRITE },
		{ 0, 0, 0, 0 },
	};
	struct import_map maps[64];
	char *map_text[64];
	struct import_options opt = { .maps = maps };
	struct import_out out = { 0 };
	struct import_result res;
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	int o, rc = 0, verbose = 0;
	size_t i;

	while ((o = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (o) {
		case OPT_DRY_RUN: opt.dry_run = 1; break;
		case OPT_SKIP: opt.skip_invalid = 1; break;
		case OPT_JSON: out.json = 1; break;
		case OPT_VERBOSE: verbose = 1; break;
		case OPT_OVERWRITE: opt.overwrite_edits = 1; break;
		case OPT_MAP: {
			char *eq = strrchr(optarg, '=');

			if (!eq || eq == optarg || !eq[1] || opt.nmaps == 64) {
				rc = cli_usage_error(_("--map takes \"COLUMN=FIELD\" (FIELD: name, id_number, email, ... or - to leave the column out)"));
				goto out;
			}
			map_text[opt.nmaps] = strndup(optarg, (size_t)(eq - optarg));
			maps[opt.nmaps].column = map_text[opt.nmaps];
			maps[opt.nmaps].field = eq + 1;
			opt.nmaps++;
			break;
		}
		default:
			rc = cli_usage_error(_("the command line was not understood"));
			goto out;
		}
	}
	if (optind + 1 != argc) {
		rc = cli_usage_error(_("usage: kyso import FILE.csv|FILE.xlsx [--dry-run] [--skip-invalid] [--map COLUMN=FIELD] [--overwrite-edits] [--json]"));
		goto out;
	}
	if (!(db = cli_db(c))) {
		rc = 1;
		goto out;
	}
	/* Row by row for a dry run (that is its point) or when asked. */
	out.rows_wanted = opt.dry_run || verbose;
	if (out.json && out.rows_wanted)
		out.rows = json_array();
	if (out.json)
		out.changes = json_array();
	opt.on_change = on_change;
	out.show_progress = !out.rows_wanted && isatty(STDERR_FILENO);
	rc = roster_import(db, argv[optind], &opt, on_row, &out, &res, &err);
	if (out.show_progress && out.seen >= 10000)
		fputc('\n', stderr);
	if (out.json) {
		print_json(&res, &opt, out.rows, out.changes, rc ? err.msg : NULL);
		rc = kyso_exit_status(rc);
	} else {
		if (res.ignored[0])
			printf(_("Columns not read: %s\n"), res.ignored);
		printf(_("Added %ld, updated %ld, unchanged %ld, rejected %ld; units added %ld.\n"),
		       res.added, res.updated, res.unchanged, res.rejected, res.units_added);
		if (res.edits_kept)
			printf(_("Kept %ld value(s) edited in kyso since the last import; --overwrite-edits replaces them with the file's.\n"),
			       res.edits_kept);
		if (rc)
			rc = cli_report(rc, &err, &res.problems);
		else if (opt.dry_run)
			printf("%s\n", _("Dry run: nothing was written."));
		else if (kyso_problems_found(&res.problems)) {
			struct kyso_err skipped;

			kyso_fail(&skipped, KYSO_EINVAL, _("%ld row(s) skipped:"), res.rejected);
			cli_report(KYSO_EINVAL, &skipped, &res.problems);
		}
		if (res.problems_not_kept)
			fprintf(stderr, _("  ... and %ld more problem(s) not shown\n"),
				res.problems_not_kept);
	}
	import_result_free(&res);
out:
	json_decref(out.rows);
	json_decref(out.changes);
	if (out.pend)
		fclose(out.pend);
	free(out.pending);
	for (i = 0; i < opt.nmaps; i++)
		free(map_text[i]);
	return rc;
}

int cli_export(struct cli *c, int argc, char **argv)
{
	enum { OPT_FORCE_EXPORT = 2000 };
	struct option opts[32];
	struct subscriber_query q = { .kind = -1, .order = ORDER_NAME };
	enum roster_format format = ROSTER_CSV;
	const char *out = NULL, *fmt = NULL;
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	long long unit_id = 0;
	long rows = 0;
	char today[11], stem[64], *path = NULL;
	int o, rc, flags = 0;
	size_t n = 0;

	if (argc < 2 || strcmp(argv[1], "roster"))
		return cli_usage_error(
			_("usage: kyso export roster --format csv|xlsx -o FILE|DIR|- [--force]"));
	for (n = 0; n < cli_list_noptions; n++)
		opts[n] = cli_list_options[n];
	opts[n++] = (struct option){ "format", required_argument, NULL, OPT_FORMAT };
	opts[n++] = (struct option){ "output", required_argument, NULL, OPT_OUT };
	opts[n++] = (struct option){ "force", no_argument, NULL, OPT_FORCE_EXPORT };
	opts[n] = (struct option){ 0, 0, 0, 0 };
	argc--;
	argv++;
	while ((o = cli_getopt(argc, argv, "o:", opts)) != -1) {
		if (o == 'o' || o == OPT_OUT) {
			out = optarg;
			continue;
		}
		if (o == OPT_FORMAT) {
			fmt = optarg;
			continue;
		}
		if (o == OPT_FORCE_EXPORT) {
			flags |= OUTFILE_FORCE;
			continue;
		}
		if (o == cli_opt_json)
			return cli_usage_error(_("the command line was not understood"));
		rc = cli_list_option(c, o, optarg, &q, &unit_id);
		if (rc == -1)
			return 1;
		if (rc == -2)
			return 2;
		if (rc)
			return cli_usage_error(_("the command line was not understood"));
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if (!out || !*out)
		return cli_usage_error(_("-o FILE is required"));
	if (!fmt) {
		const char *dot = strrchr(out, '.');

		fmt = dot && !strcasecmp(dot, ".xlsx") ? "xlsx" : "csv";
	}
	if (!strcmp(fmt, "xlsx"))
		format = ROSTER_XLSX;
	else if (strcmp(fmt, "csv"))
		return cli_usage_error(_("--format takes csv or xlsx"));
	if (!(db = cli_db(c)))
		return 1;
	/* -o DIR: "danh-sach-thue-bao-2026-11-25.csv" there. */
	db_today(today);
	snprintf(stem, sizeof stem, "danh-sach-thue-bao-%s", today);
	if ((rc = cli_output_path(db, out, stem, format == ROSTER_XLSX ? ".xlsx" : ".csv", &path,
				  &err)))
		return cli_report(rc, &err, NULL);
	rc = roster_export(db, &q, format, path, flags, &rows, &err);
	if (!rc)
		fprintf(cli_say(out), _("%ld subscriber(s) written to %s\n"), rows,
			outfile_is_stdout(path) ? _("standard output") : path);
	else
		rc = cli_report(rc, &err, NULL);
	free(path);
	return rc;
}
