/*
 * cli/setting.c - `kyso setting list|get KEY|set KEY VALUE`: the settings a person may
 * change (kyso/settings.h), each checked before it is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/i18n.h"
#include "kyso/settings.h"

#define USAGE_SETTING N_("usage: kyso setting list [--json] | get KEY | set KEY VALUE")

static int setting_list(struct cli *c, int argc, char **argv)
{
	const struct settings_key *k;
	struct kyso_db *db;
	json_t *arr;
	size_t n, i;
	int rc;

	if ((rc = cli_json_options(argc, argv, _(USAGE_SETTING), &arr)))
		return rc;
	if (!(db = cli_db(c))) {
		json_decref(arr);
		return 1;
	}
	k = settings_keys(&n);
	for (i = 0; i < n; i++) {
		char *v = settings_value(db, k[i].key);
		int is_default = settings_is_default(db, k[i].key);

		if (arr) {
			json_array_append_new(arr, json_pack("{s:s,s:s?,s:s,s:b,s:s,s:s?}", "key",
							     k[i].key, "value", v, "default",
							     k[i].fallback, "is_default", is_default,
							     "label", _(k[i].label), "rule",
							     k[i].rule ? _(k[i].rule) : NULL));
		} else {
			out_cell(stdout, k[i].key, 22);
			out_cell(stdout, v, 16);
			out_cell(stdout, is_default ? _("(default)") : "", 10);
			printf("%s%s%s%s\n", _(k[i].label), k[i].rule ? " (" : "",
			       k[i].rule ? _(k[i].rule) : "", k[i].rule ? ")" : "");
		}
		free(v);
	}
	return cli_list_end(arr, 0, NULL);
}

int cli_setting(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	char *v;
	int rc;

	if (!strcmp(sub, "list"))
		return setting_list(c, argc - 1, argv + 1);
	if (!strcmp(sub, "get") && argc == 3) {
		if (!settings_find(argv[2])) {
			kyso_problems_add(&problems, 0, argv[2], "%s",
					  _("is not a setting (kyso setting list shows them)"));
			kyso_fail(&err, KYSO_EINVAL, "%s", _("no such setting"));
			rc = cli_report(KYSO_EINVAL, &err, &problems);
			kyso_problems_free(&problems);
			return rc;
		}
		if (!(db = cli_db(c)))
			return 1;
		v = settings_value(db, argv[2]);
		printf("%s\n", v ? v : "");
		free(v);
		return 0;
	}
	if (!strcmp(sub, "set") && argc == 4) {
		if (!(db = cli_db(c)))
			return 1;
		if ((rc = settings_set(db, argv[2], argv[3], &problems, &err)))
			rc = cli_report(rc, &err, &problems);
		else
			printf(_("%s = %s\n"), argv[2], argv[3]);
		kyso_problems_free(&problems);
		return rc;
	}
	return cli_usage_error("%s", _(USAGE_SETTING));
}
