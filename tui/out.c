/*
 * out.c - what the command line prints: errors with every problem, aligned cells.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kyso/i18n.h"
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
	return kyso_exit_status(code);
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

void out_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(v);
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
