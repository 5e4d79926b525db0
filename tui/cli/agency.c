/*
 * cli/agency.c - `kyso init`, `kyso agency show|edit`, `kyso unit add|list|edit`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/agency.h"
#include "kyso/i18n.h"
#include "kyso/text.h"

enum {
	OPT_AGENCY = 256, OPT_CODE, OPT_PARENT, OPT_DOMAIN, OPT_HEAD, OPT_HEAD_POSITION,
	OPT_FOCAL, OPT_FOCAL_POSITION, OPT_FOCAL_PHONE, OPT_FOCAL_EMAIL, OPT_RECIPIENT,
	OPT_PLACE, OPT_ADDRESS, OPT_IF_VERSION, OPT_JSON, OPT_NAME,
};

static const struct option profile_opts[] = {
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "code", required_argument, NULL, OPT_CODE },
	{ "parent", required_argument, NULL, OPT_PARENT },
	{ "email-domain", required_argument, NULL, OPT_DOMAIN },
	{ "head", required_argument, NULL, OPT_HEAD },
	{ "head-position", required_argument, NULL, OPT_HEAD_POSITION },
	{ "focal", required_argument, NULL, OPT_FOCAL },
	{ "focal-position", required_argument, NULL, OPT_FOCAL_POSITION },
	{ "focal-phone", required_argument, NULL, OPT_FOCAL_PHONE },
	{ "focal-email", required_argument, NULL, OPT_FOCAL_EMAIL },
	{ "recipient", required_argument, NULL, OPT_RECIPIENT },
	{ "place", required_argument, NULL, OPT_PLACE },
	{ "address", required_argument, NULL, OPT_ADDRESS },
	{ "if-version", required_argument, NULL, OPT_IF_VERSION },
	{ 0, 0, 0, 0 },
};

static char **profile_slot(struct agency *a, int opt)
{
	switch (opt) {
	case OPT_AGENCY: return &a->name;
	case OPT_CODE: return &a->code;
	case OPT_PARENT: return &a->parent_body;
	case OPT_DOMAIN: return &a->email_domain;
	case OPT_HEAD: return &a->head_name;
	case OPT_HEAD_POSITION: return &a->head_position;
	case OPT_FOCAL: return &a->focal_name;
	case OPT_FOCAL_POSITION: return &a->focal_position;
	case OPT_FOCAL_PHONE: return &a->focal_phone;
	case OPT_FOCAL_EMAIL: return &a->focal_email;
	case OPT_RECIPIENT: return &a->recipient;
	case OPT_PLACE: return &a->place;
	case OPT_ADDRESS: return &a->address;
	default: return NULL;
	}
}

/* Reads the profile options into a (strings copied); version from --if-version. */
static int read_profile(int argc, char **argv, struct agency *a, long *if_version)
{
	int opt;
	char **slot;

	while ((opt = cli_getopt(argc, argv, "", profile_opts)) != -1) {
		if (opt == OPT_IF_VERSION) {
			*if_version = (long)cli_number(optarg);
			if (*if_version <= 0)
				return cli_usage_error(_("--if-version takes a version number"));
			continue;
		}
		slot = profile_slot(a, opt);
		if (!slot)
			return cli_usage_error(_("the command line was not understood"));
		free(*slot);
		*slot = strdup(optarg);
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	return 0;
}

int cli_init(struct cli *c, int argc, char **argv)
{
	struct agency a = { 0 };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	long ignored = 0;
	int rc;

	if ((rc = read_profile(argc, argv, &a, &ignored)))
		goto out;
	if (!(db = cli_db(c))) {
		rc = 1;
		goto out;
	}
	rc = agency_init(db, &a, &problems, &err);
	if (rc) {
		rc = cli_report(rc, &err, &problems);
		goto out;
	}
	printf(_("Agency set up: %s (%s), e-mail domain %s\n"), a.name, a.code, a.email_domain);
out:
	agency_free(&a);
	kyso_problems_free(&problems);
	return rc;
}

static int agency_show(struct kyso_db *db, int json)
{
	struct agency a;
	struct kyso_err err;
	const struct {
		const char *label;
		char **value;
	} rows[] = {
		{ N_("Agency"), &a.name }, { N_("Code"), &a.code }, { N_("Parent body"), &a.parent_body },
		{ N_("E-mail domain"), &a.email_domain }, { N_("Head of agency"), &a.head_name },
		{ N_("Head's position"), &a.head_position }, { N_("Focal-point officer"), &a.focal_name },
		{ N_("Focal-point position"), &a.focal_position },
		{ N_("Focal-point phone"), &a.focal_phone },
		{ N_("Focal-point e-mail"), &a.focal_email },
		{ N_("Recipient department"), &a.recipient }, { N_("Place name"), &a.place },
		{ N_("Address"), &a.address },
	};
	size_t i;
	int rc = agency_get(db, &a, &err);

	if (rc)
		return cli_report(rc, &err, NULL);
	if (json) {
		json_t *o = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,"
				      "s:s?,s:I}",
				      "name", a.name, "code", a.code, "parent_body", a.parent_body,
				      "email_domain", a.email_domain, "head_name", a.head_name,
				      "head_position", a.head_position, "focal_name", a.focal_name,
				      "focal_position", a.focal_position, "focal_phone", a.focal_phone,
				      "focal_email", a.focal_email, "recipient", a.recipient, "place",
				      a.place, "address", a.address, "version", (json_int_t)a.version);
		out_json(o);
	} else {
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			out_cell(stdout, _(rows[i].label), 24);
			printf("%s\n", *rows[i].value ? *rows[i].value : "—");
		}
		out_cell(stdout, _("Version"), 24);
		printf("%ld\n", a.version);
	}
	agency_free(&a);
	return 0;
}

int cli_agency(struct cli *c, int argc, char **argv)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	struct agency cur, a = { 0 };
	long if_version = 0;
	int rc;

	if (argc < 2)
		return cli_usage_error(_("usage: kyso agency show|edit ..."));
	if (!strcmp(argv[1], "show")) {
		int json = argc > 2 && !strcmp(argv[2], "--json");

		if (argc > 2 + json)
			return cli_usage_error(_("unexpected argument \"%s\""), argv[2 + json]);
		return (db = cli_db(c)) ? agency_show(db, json) : 1;
	}
	if (strcmp(argv[1], "edit"))
		return cli_usage_error(_("usage: kyso agency show|edit ..."));
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = agency_get(db, &cur, &err)))
		return cli_report(rc, &err, NULL);
	/* Fields not given keep their values. */
	a = cur;
	memset(&cur, 0, sizeof(cur));
	if ((rc = read_profile(argc - 1, argv + 1, &a, &if_version)))
		goto out;
	if (if_version > 0)
		a.version = if_version;
	rc = agency_update(db, &a, &problems, &err);
	if (rc)
		rc = cli_report(rc, &err, &problems);
	else
		printf("%s\n", _("Agency profile saved."));
out:
	agency_free(&a);
	kyso_problems_free(&problems);
	return rc;
}

/* Units ----------------------------------------------------------------------------- */

static int print_unit(const struct unit *u, void *ctx)
{
	json_t *arr = ctx;
	char indent[130];
	int d = u->depth > 60 ? 60 : u->depth;

	if (arr) {
		json_array_append_new(arr, json_pack("{s:I,s:s,s:o?,s:s?,s:i,s:I,s:I}", "id",
						     (json_int_t)u->id, "name", u->name, "parent_id",
						     u->parent_id ? json_integer(u->parent_id) : NULL,
						     "code", u->code, "depth", u->depth,
						     "subscribers", (json_int_t)u->subscribers, "version",
						     (json_int_t)u->version));
		return 0;
	}
	memset(indent, ' ', (size_t)d * 2);
	indent[d * 2] = '\0';
	printf("%6lld  %s%s", u->id, indent, u->name);
	if (u->code)
		printf(" [%s]", u->code);
	printf(_("  (%ld active)\n"), u->subscribers);
	return 0;
}

static int unit_list_cmd(struct kyso_db *db, int json)
{
	struct kyso_err err;
	json_t *arr = json ? json_array() : NULL;
	int rc = unit_list(db, print_unit, arr, &err);

	if (rc) {
		json_decref(arr);
		return cli_report(rc, &err, NULL);
	}
	if (arr) {
		out_json(arr);
	}
	return 0;
}

int cli_unit(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "parent", required_argument, NULL, OPT_PARENT },
		{ "code", required_argument, NULL, OPT_CODE },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "if-version", required_argument, NULL, OPT_IF_VERSION },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0, 0, 0, 0 },
	};
	const char *parent = NULL, *code = NULL, *name = NULL, *sub;
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	long long id;
	long if_version = 0;
	int opt, json = 0, rc;

	if (argc < 2)
		return cli_usage_error(_("usage: kyso unit add|list|edit ..."));
	sub = argv[1];
	argc--;
	argv++;
	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_PARENT: parent = optarg; break;
		case OPT_CODE: code = optarg; break;
		case OPT_NAME: name = optarg; break;
		case OPT_JSON: json = 1; break;
		case OPT_IF_VERSION:
			if_version = (long)cli_number(optarg);
			if (if_version <= 0)
				return cli_usage_error(_("--if-version takes a version number"));
			break;
		default:
			return cli_usage_error(_("the command line was not understood"));
		}
	}
	if (!strcmp(sub, "list")) {
		if (optind < argc)
			return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
		return (db = cli_db(c)) ? unit_list_cmd(db, json) : 1;
	}
	if (optind + 1 != argc)
		return cli_usage_error(_("usage: kyso unit add NAME | kyso unit edit UNIT ..."));
	if (!(db = cli_db(c)))
		return 1;
	if (!strcmp(sub, "add")) {
		rc = unit_add(db, argv[optind], parent, code, &id, &err);
		if (rc)
			return cli_report(rc, &err, NULL);
		printf("%lld\n", id);
		return 0;
	}
	if (!strcmp(sub, "edit")) {
		if ((rc = unit_find(db, argv[optind], &id, &err)))
			return cli_report(rc, &err, NULL);
		rc = unit_edit(db, id, name, parent, code, if_version, &err);
		if (rc)
			return cli_report(rc, &err, NULL);
		printf(_("Unit #%lld saved.\n"), id);
		return 0;
	}
	return cli_usage_error(_("usage: kyso unit add|list|edit ..."));
}
