/*
 * cli/cert.c - `kyso cert add|revoke|list`: certificates recorded by hand from the
 * department's issue and revocation notices.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/token.h"

enum {
	C_SERIAL = 1, C_TOKEN, C_SUBSCRIBER, C_FROM, C_TO, C_ISSUANCE, C_SUBJECT, C_ISSUER,
	C_STATUS, C_REVOKED_ON, C_REASON, C_NOTE, C_DATE, C_NOTICE_DATE, C_IF_VERSION, C_STATE,
	C_AT, C_JSON, C_LIMIT, C_COUNT
};

/* The token a --token names (exit status after a message, 0 when found). */
static int token_of(struct kyso_db *db, const char *serial, long long *id)
{
	struct kyso_err err = { 0 };
	int rc;

	*id = 0;
	if (!serial)
		return 0;
	rc = token_find(db, serial, id, &err);
	return rc ? cli_report(rc, &err, NULL) : 0;
}

static int subscriber_of(const char *arg, long long *id)
{
	*id = 0;
	if (arg && (*id = cli_number(arg)) <= 0)
		return cli_usage_error(_("%s takes a number"), "--subscriber");
	return 0;
}

/* Reads the options opts allows into v (v[C_JSON] is "" when given). */
static int read_opts(int argc, char **argv, const struct option *opts, const char *usage,
		     const char *v[C_COUNT])
{
	int opt;

	memset(v, 0, sizeof(*v) * C_COUNT);
	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		if (opt <= 0 || opt >= C_COUNT)
			return cli_usage_error("%s", usage);
		v[opt] = optarg ? optarg : "";
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	return 0;
}

static int cert_add_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "serial", required_argument, NULL, C_SERIAL },
		{ "token", required_argument, NULL, C_TOKEN },
		{ "subscriber", required_argument, NULL, C_SUBSCRIBER },
		{ "from", required_argument, NULL, C_FROM },
		{ "to", required_argument, NULL, C_TO },
		{ "issuance", required_argument, NULL, C_ISSUANCE },
		{ "subject", required_argument, NULL, C_SUBJECT },
		{ "issuer", required_argument, NULL, C_ISSUER },
		{ "status", required_argument, NULL, C_STATUS },
		{ "revoked-on", required_argument, NULL, C_REVOKED_ON },
		{ "reason", required_argument, NULL, C_REASON },
		{ "note", required_argument, NULL, C_NOTE },
		{ 0, 0, 0, 0 },
	};
	const char *usage = _("usage: kyso cert add --serial CS (--token S | --subscriber ID) --from D --to D [--issuance new|renew|change] [--subject T] [--issuer T] [--status valid|revoked] [--revoked-on D] [--reason R] [--note T]");
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct cert_new n = { 0 };
	const char *v[C_COUNT];
	struct kyso_db *db;
	long long id;
	int rc;

	if ((rc = read_opts(argc, argv, opts, usage, v)))
		return rc;
	if (!v[C_SERIAL] || (!v[C_TOKEN] && !v[C_SUBSCRIBER]))
		return cli_usage_error("%s", usage);
	if ((rc = subscriber_of(v[C_SUBSCRIBER], &n.subscriber_id)))
		return rc;
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = token_of(db, v[C_TOKEN], &n.token_id)))
		return rc;
	n.serial = v[C_SERIAL];
	n.not_before = v[C_FROM];
	n.not_after = v[C_TO];
	n.issuance = v[C_ISSUANCE];
	n.subject = v[C_SUBJECT];
	n.issuer = v[C_ISSUER];
	n.status = v[C_STATUS];
	n.revoked_on = v[C_REVOKED_ON];
	n.revocation_reason = v[C_REASON];
	n.note = v[C_NOTE];
	if ((rc = cert_add(db, &n, &id, &problems, &err)))
		rc = cli_report(rc, &err, &problems);
	else
		printf("%lld\n", id);
	kyso_problems_free(&problems);
	return rc;
}

static int cert_correct_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "serial", required_argument, NULL, C_SERIAL },
		{ "from", required_argument, NULL, C_FROM },
		{ "to", required_argument, NULL, C_TO },
		{ "revoked-on", required_argument, NULL, C_REVOKED_ON },
		{ "notice-date", required_argument, NULL, C_NOTICE_DATE },
		{ "if-version", required_argument, NULL, C_IF_VERSION },
		{ 0, 0, 0, 0 },
	};
	const char *usage = _("usage: kyso cert correct --serial CS [--from D] [--to D] [--revoked-on D] [--notice-date D] [--if-version N]");
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct cert_correction cc = { 0 };
	const char *v[C_COUNT];
	struct kyso_db *db;
	long long id, version = 0;
	int rc;

	if ((rc = read_opts(argc, argv, opts, usage, v)))
		return rc;
	if (!v[C_SERIAL] || (!v[C_FROM] && !v[C_TO] && !v[C_REVOKED_ON] && !v[C_NOTICE_DATE]))
		return cli_usage_error("%s", usage);
	if (v[C_IF_VERSION] && (version = cli_number(v[C_IF_VERSION])) <= 0)
		return cli_usage_error(_("--if-version takes a version number"));
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = cert_find(db, v[C_SERIAL], &id, &err)))
		return cli_report(rc, &err, NULL);
	cc = (struct cert_correction){ .id = id, .not_before = v[C_FROM], .not_after = v[C_TO],
				       .revoked_on = v[C_REVOKED_ON], .notice_on = v[C_NOTICE_DATE],
				       .expect_version = (long)version };
	if ((rc = cert_correct(db, &cc, &problems, &err)))
		rc = cli_report(rc, &err, &problems);
	else
		printf(_("Certificate %s: dates corrected; the earlier ones are kept in its history.\n"),
		       v[C_SERIAL]);
	kyso_problems_free(&problems);
	return rc;
}

static int cert_revoke_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "serial", required_argument, NULL, C_SERIAL },
		{ "date", required_argument, NULL, C_DATE },
		{ "reason", required_argument, NULL, C_REASON },
		{ "notice-date", required_argument, NULL, C_NOTICE_DATE },
		{ "if-version", required_argument, NULL, C_IF_VERSION },
		{ 0, 0, 0, 0 },
	};
	const char *usage = _("usage: kyso cert revoke --serial CS --date D [--reason R] [--notice-date D] [--if-version N]");
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	const char *v[C_COUNT];
	struct kyso_db *db;
	long long id, version = 0;
	struct cert got;
	char shown[11];
	int rc;

	if ((rc = read_opts(argc, argv, opts, usage, v)))
		return rc;
	if (!v[C_SERIAL])
		return cli_usage_error("%s", usage);
	if (v[C_IF_VERSION] && (version = cli_number(v[C_IF_VERSION])) <= 0)
		return cli_usage_error(_("--if-version takes a version number"));
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = cert_find(db, v[C_SERIAL], &id, &err)))
		return cli_report(rc, &err, NULL);
	rc = cert_revoke(db, id, v[C_DATE], v[C_REASON], v[C_NOTICE_DATE], (long)version, &problems,
			 &err);
	if (!rc && !(rc = cert_get(db, id, &got, &err))) {
		printf(_("Certificate %s revoked on %s (version %ld).\n"), got.serial,
		       date_display(got.revoked_on, shown), got.version);
		if (got.token_serial)
			printf(_("  Token %s goes back to the department within 5 working days: kyso token return --serial %s --date D\n"),
			       got.token_serial, got.token_serial);
		cert_free(&got);
	}
	if (rc)
		rc = cli_report(rc, &err, &problems);
	kyso_problems_free(&problems);
	return rc;
}

struct list_out {
	json_t *arr;
	long rows;
	int headed;	/* the human table's header is out */
};

/* The human table's header, once, when the list has been accepted: a refused query
 * (a date that is not one) prints nothing on stdout. */
static void cert_header(struct list_out *lo)
{
	if (lo->arr || lo->headed)
		return;
	lo->headed = 1;
	out_cell(stdout, _("Serial"), 34);
	out_cell(stdout, _("Subscriber"), 24);
	out_cell(stdout, _("Token"), 14);
	out_cell(stdout, _("Valid from – to"), 23);
	printf("%s\n", _("State"));
}

static int print_cert(const struct cert_row *r, void *ctx)
{
	struct list_out *lo = ctx;
	char d1[11], d2[11];

	lo->rows++;
	if (lo->arr) {
		json_array_append_new(lo->arr,
				      json_pack("{s:I,s:s,s:I,s:s,s:o,s:s?,s:s,s:s,s:s,s:s,s:s?,s:s?,s:I}",
						"id", (json_int_t)r->id, "serial", r->serial,
						"subscriber_id", (json_int_t)r->subscriber_id,
						"subscriber", r->subscriber_name, "token_id",
						r->token_id ? json_integer(r->token_id) : json_null(),
						"token", r->token_serial, "issuance", r->issuance,
						"not_before", r->not_before, "not_after", r->not_after,
						"state", r->state, "revoked_on", r->revoked_on,
						"revocation_reason", r->revocation_reason, "version",
						(json_int_t)r->version));
		return 0;
	}
	cert_header(lo);
	out_cell(stdout, r->serial, 34);
	out_cell(stdout, r->subscriber_name, 24);
	out_cell(stdout, r->token_serial, 14);
	printf("%s – %s  ", date_display(r->not_before, d1), date_display(r->not_after, d2));
	out_cell(stdout, cert_state_label(r->state), 14);
	if (r->revoked_on)
		printf(_("revoked on %s"), date_display(r->revoked_on, d1));
	putchar('\n');
	return ferror(stdout) ? 1 : 0;
}

static int cert_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "token", required_argument, NULL, C_TOKEN },
		{ "subscriber", required_argument, NULL, C_SUBSCRIBER },
		{ "state", required_argument, NULL, C_STATE },
		{ "at", required_argument, NULL, C_AT },
		{ "limit", required_argument, NULL, C_LIMIT },
		{ "json", no_argument, NULL, C_JSON },
		{ 0, 0, 0, 0 },
	};
	const char *usage = _("usage: kyso cert list [--token S] [--subscriber ID] [--state valid|expiring|expired|revoked|not_yet] [--at D] [--limit N] [--json]");
	struct cert_query q = { 0 };
	struct list_out lo = { 0 };
	struct kyso_err err = { 0 };
	const char *v[C_COUNT];
	struct kyso_db *db;
	int rc;

	if ((rc = read_opts(argc, argv, opts, usage, v)))
		return rc;
	if (v[C_STATE] && !cert_state_known(v[C_STATE]))
		return cli_usage_error(_("--state takes valid, expiring, expired, revoked or not_yet"));
	if (v[C_LIMIT] && (q.limit = (long)cli_number(v[C_LIMIT])) < 0)
		return cli_usage_error(_("%s takes a number"), "--limit");
	if ((rc = subscriber_of(v[C_SUBSCRIBER], &q.subscriber_id)))
		return rc;
	q.state = v[C_STATE];
	q.at = v[C_AT];
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = token_of(db, v[C_TOKEN], &q.token_id)))
		return rc;
	if (v[C_JSON])
		lo.arr = json_array();
	rc = cert_list(db, &q, print_cert, &lo, &err);
	if (!rc && !lo.arr) {
		cert_header(&lo);
		printf(_("%ld certificate(s)\n"), lo.rows);
	}
	return cli_list_end(lo.arr, rc, &err);
}

int cli_cert(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (!strcmp(sub, "add"))
		return cert_add_cmd(c, argc - 1, argv + 1);
	if (!strcmp(sub, "revoke"))
		return cert_revoke_cmd(c, argc - 1, argv + 1);
	if (!strcmp(sub, "correct"))
		return cert_correct_cmd(c, argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return cert_list_cmd(c, argc - 1, argv + 1);
	return cli_usage_error(_("usage: kyso cert add|revoke|correct|list ..."));
}
