/*
 * out.c - what the command line prints: errors with every problem, aligned cells.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "cli/cli.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/text.h"

int cli_report(int code, const struct kyso_err *err, const struct kyso_problems *problems)
{
	size_t i;

	if (code == 0)
		return 0;
	fprintf(stderr, "kyso: %s\n", err && err->msg[0] ? err->msg : _("failed"));
	for (i = 0; problems && i < problems->count; i++) {
		const struct kyso_problem *p = &problems->items[i];

		if (p->row > 0 && p->column[0])
			fprintf(stderr, _("  row %ld, column \"%s\": %s\n"), p->row, p->column,
				p->message);
		else if (p->row > 0)
			fprintf(stderr, _("  row %ld: %s\n"), p->row, p->message);
		else if (p->column[0])
			fprintf(stderr, "  %s: %s\n", p->column, p->message);
		else
			fprintf(stderr, "  %s\n", p->message);
	}
	if (problems && problems->lost)
		fprintf(stderr, _("  ... and %zu more problem(s) that could not be kept (out of memory)\n"),
			problems->lost);
	return kyso_exit_status(code);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char spec[64];
	int o, lead = shortopts[0] == '+' || shortopts[0] == '-';

	/* getopt's own messages would be in the C library's language, named after the
	 * subcommand ("list: ..."): kyso says it in the interface's. */
	opterr = 0;
	snprintf(spec, sizeof(spec), "%.*s:%s", lead, shortopts, shortopts + lead);
	o = getopt_long(argc, argv, spec, longopts, NULL);
	if (o == '?' || o == ':') {
		const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
		char shown[8];

		if (optopt && optopt < 128 && strncmp(arg, "--", 2)) {
			snprintf(shown, sizeof(shown), "-%c", optopt);
			arg = shown;
		}
		if (o == ':')
			fprintf(stderr, _("kyso: the option \"%s\" needs a value\n"), arg);
		else
			fprintf(stderr, _("kyso: \"%s\" is not an option of this command\n"), arg);
		o = '?';
	}
	return o;
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kyso: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", _("(kyso --help lists the commands)"));
	return 2;
}

void out_cell(FILE *f, const char *s, int width)
{
	char buf[1024];

	fputs(text_fit(s ? s : "", width, buf, sizeof(buf)), f);
	fputs("  ", f);
}

void out_cell_right(FILE *f, const char *s, int width)
{
	char buf[1024];
	int w;

	text_fit(s ? s : "", width, buf, sizeof(buf));
	w = text_width(s ? s : "");
	if (w < width) {
		fprintf(f, "%*s%s  ", width - w, "", s);
		return;
	}
	fputs(buf, f);
	fputs("  ", f);
}

int cli_json_options(int argc, char **argv, const char *usage, json_t **arr)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ 0, 0, 0, 0 },
	};
	int opt;

	*arr = NULL;
	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		if (opt != 'j') {
			json_decref(*arr);
			*arr = NULL;
			return cli_usage_error("%s", usage);
		}
		if (!*arr && !(*arr = json_array()))
			return 1;
	}
	if (optind < argc) {
		json_decref(*arr);
		*arr = NULL;
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	}
	return 0;
}

int cli_list_end(json_t *arr, int rc, const struct kyso_err *err)
{
	if (arr && !rc)
		out_json(arr);
	else
		json_decref(arr);
	if (rc)
		return cli_report(rc, err, NULL);
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

void out_json_to(FILE *f, json_t *v)
{
	json_dumpf(v, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(v);
}

void out_json(json_t *v)
{
	out_json_to(stdout, v);
}

FILE *cli_say(const char *out)
{
	return outfile_is_stdout(out) ? stderr : stdout;
}

int cli_output_path(struct kyso_db *db, const char *out, const char *stem, const char *ext,
		    char **path, struct kyso_err *err)
{
	char *dir = NULL;
	int rc;

	*path = NULL;
	if (out && !outfile_is_dir(out))
		return (*path = strdup(out)) ? 0 : kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (out) {
		struct stat st;

		if (stat(out, &st) != 0 || !S_ISDIR(st.st_mode))
			return kyso_fail(err, KYSO_EIO, _("%s: there is no such folder"), out);
		dir = strdup(out);
	} else if ((rc = outfile_documents_dir(db, &dir, err))) {
		return rc;
	}
	if (!dir)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	rc = outfile_free_name(dir, stem, ext, path, err);
	free(dir);
	return rc;
}

long long cli_number(const char *s)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	if (*s == '#')
		s++;
	v = strtoll(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}
