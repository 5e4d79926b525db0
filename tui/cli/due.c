/*
 * cli/due.c - `kyso due [--at D] [--json]`: what needs doing now, one line per check
 * (also the checks that found nothing, so that cron mail shows they ran).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/due.h"
#include "kyso/i18n.h"

/* Items shown under a check in the human output; --json gives up to DUE_ITEMS_MAX. */
#define DUE_SHOWN 10

static json_t *check_json(const struct due_check *c)
{
	json_t *items = json_array();
	size_t i;

	for (i = 0; i < c->nitems; i++) {
		const struct due_item *it = &c->items[i];

		json_array_append_new(items, json_pack("{s:o,s:o,s:s?,s:s?,s:s,s:s?}", "subscriber_id",
						       it->subscriber_id
							       ? json_integer(it->subscriber_id)
							       : json_null(),
						       "token_id",
						       it->token_id ? json_integer(it->token_id)
								    : json_null(),
						       "name", it->name, "unit", it->unit, "detail",
						       it->detail, "command", it->command));
	}
	return json_pack("{s:s,s:s,s:I,s:o}", "check", c->id, "rule", c->rule, "count",
			 (json_int_t)c->count, "items", items);
}

static void print_check(const struct due_check *c)
{
	size_t i;

	printf("%7ld  ", c->count);
	out_cell(stdout, _(c->rule), 10);
	printf("%s\n", c->title);
	for (i = 0; i < c->nitems && i < DUE_SHOWN; i++) {
		const struct due_item *it = &c->items[i];
		char id[24] = "";

		if (it->subscriber_id)
			snprintf(id, sizeof(id), "#%lld", it->subscriber_id);
		fputs("         ", stdout);
		out_cell(stdout, id, 8);
		out_cell(stdout, it->name, 30);
		out_cell(stdout, it->unit, 22);
		printf("%s\n", it->detail);
		if (it->command)
			printf("%49s→ %s\n", "", it->command);
	}
	if (c->count > (long)i) {
		fputs("         ", stdout);
		printf(_("... and %ld more\n"), c->count - (long)i);
	}
}

static int print_due(const struct due_check *c, void *ctx)
{
	json_t *arr = ctx;

	if (arr)
		json_array_append_new(arr, check_json(c));
	else
		print_check(c);
	return ferror(stdout) ? 1 : 0;
}

int cli_due(struct cli *c, int argc, char **argv)
{
	enum { OPT_AT = 1, OPT_JSON };
	static const struct option opts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0, 0, 0, 0 },
	};
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	const char *at = NULL;
	json_t *arr = NULL;
	int opt, json = 0, rc;

	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_AT: at = optarg; break;
		case OPT_JSON: json = 1; break;
		default: return cli_usage_error(_("usage: kyso due [--at YYYY-MM-DD] [--json]"));
		}
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if (!(db = cli_db(c)))
		return 1;
	if (json && !(arr = json_array()))
		return 1;
	rc = due_list(db, at, print_due, arr, &err);
	return cli_list_end(arr, rc, &err);
}
