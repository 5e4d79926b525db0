/*
 * cli/audit.c - `kyso audit verify|list`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/audit.h"
#include "kyso/check.h"
#include "kyso/i18n.h"

static int print_audit(const struct audit_row *r, void *ctx)
{
	json_t *arr = ctx;
	char at[32];

	if (arr) {
		json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:o?,s:s}", "seq",
						     (json_int_t)r->seq, "at", r->at, "actor", r->actor,
						     "action", r->action, "subject", r->subject,
						     "payload",
						     r->payload ? json_loads(r->payload, 0, NULL) : NULL,
						     "hash", r->hash));
		return 0;
	}
	printf("%6ld  %s  %-10s %-20s %s %s\n", r->seq, time_display(r->at, at, sizeof(at)),
	       r->actor, r->action, r->subject ? r->subject : "", r->payload ? r->payload : "");
	return 0;
}

int cli_audit(struct cli *c, int argc, char **argv)
{
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	int json = 0, i, rc;
	long limit = 0;
	const char *sub = argc > 1 ? argv[1] : "";

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--limit") && i + 1 < argc &&
			 (limit = (long)cli_number(argv[i + 1])) >= 0)
			i++;
		else
			return cli_usage_error(_("unexpected argument \"%s\""), argv[i]);
	}
	if (strcmp(sub, "verify") && strcmp(sub, "list"))
		return cli_usage_error(_("usage: kyso audit verify|list [--json]"));
	if (!(db = cli_db(c)))
		return 1;
	if (!strcmp(sub, "verify")) {
		struct audit_report r;

		if ((rc = audit_verify(db, &r, &err)))
			return cli_report(rc, &err, NULL);
		if (json) {
			json_t *o = json_pack("{s:b,s:I,s:o?,s:s?}", "ok", r.bad_seq == 0, "rows",
					      (json_int_t)r.rows, "bad_row",
					      r.bad_seq ? json_integer(r.bad_seq) : NULL, "reason",
					      r.bad_seq ? r.reason : NULL);
			out_json(o);
		} else if (r.bad_seq) {
			printf(_("BROKEN: the audit log fails at row %ld: %s\n"), r.bad_seq, r.reason);
		} else {
			printf(_("OK: the audit log is intact (%ld rows).\n"), r.rows);
		}
		return r.bad_seq ? 1 : 0;
	}
	{
		json_t *arr = json ? json_array() : NULL;

		rc = audit_list(db, limit, print_audit, arr, &err);
		if (arr) {
			if (!rc)
				out_json(arr);
			else
				json_decref(arr);
		}
		return rc ? cli_report(rc, &err, NULL) : 0;
	}
}
