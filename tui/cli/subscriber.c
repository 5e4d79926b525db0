/*
 * cli/subscriber.c - `kyso subscriber add|list|show|edit|depart`.
 *
 * The options for fields are made from the subscriber's field names (id_number ->
 * --id-number), so the command line, import maps and JSON use one set of names.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/agency.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "kyso/token.h"

enum {
	OPT_FIELD = 256, /* OPT_FIELD + enum subscriber_field */
	OPT_JSON = OPT_FIELD + 64, OPT_IF_VERSION, OPT_SEARCH, OPT_STATUS, OPT_SORT, OPT_LIMIT,
	OPT_DATE, OPT_REASON, OPT_OFFSET, OPT_DEPARTED_ON,
};

static char option_names[SF_COUNT][32];

/* Field options (--name, --id-number, ...) followed by extra. */
static struct option *field_options(const struct option *extra)
{
	size_t n = 0, i, k;
	struct option *o;

	while (extra[n].name)
		n++;
	o = calloc(SF_COUNT + n + 1, sizeof(*o));
	if (!o)
		return NULL;
	for (i = 0, k = 0; i < SF_COUNT; i++) {
		char *p;

		snprintf(option_names[i], sizeof(option_names[i]), "%s",
			 subscriber_field_name((enum subscriber_field)i));
		for (p = option_names[i]; *p; p++)
			if (*p == '_')
				*p = '-';
		o[k++] = (struct option){ option_names[i], required_argument, NULL, OPT_FIELD + (int)i };
	}
	for (i = 0; i < n; i++)
		o[k++] = extra[i];
	return o;
}

/* Sets a field from an option; "" clears it.  Returns 0, or 2 after a usage message. */
static int set_field(struct subscriber *s, int f, const char *value)
{
	char **slot;

	if (f == SF_KIND) {
		enum subscriber_kind k;

		if (subscriber_kind_parse(value, &k))
			return cli_usage_error(_("--kind takes person, org or device"));
		s->kind = k;
		return 0;
	}
	slot = subscriber_field_slot(s, (enum subscriber_field)f);
	free(*slot);
	*slot = *value ? strdup(value) : NULL;
	if (f == SF_UNIT && !*value)
		s->unit_id = 0;
	return 0;
}

static int sub_add(struct cli *c, int argc, char **argv)
{
	static const struct option extra[] = { { 0, 0, 0, 0 } };
	struct option *opts = field_options(extra);
	struct subscriber s;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	int opt, rc = 0, kind_given = 0;

	subscriber_init(&s);
	while (opts && (opt = cli_getopt(argc, argv, "", opts)) != -1) {
		if (opt < OPT_FIELD || opt >= OPT_FIELD + SF_COUNT) {
			rc = cli_usage_error(_("the command line was not understood"));
			goto out;
		}
		kind_given |= opt == OPT_FIELD + SF_KIND;
		if ((rc = set_field(&s, opt - OPT_FIELD, optarg)))
			goto out;
	}
	if (optind < argc) {
		rc = cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
		goto out;
	}
	if (!kind_given) {
		rc = cli_usage_error(_("--kind person|org|device is required"));
		goto out;
	}
	if (!(db = cli_db(c))) {
		rc = 1;
		goto out;
	}
	rc = subscriber_add(db, &s, &problems, &err);
	if (rc) {
		rc = cli_report(rc, &err, &problems);
		goto out;
	}
	printf("%lld\n", s.id);
	if (subscriber_has_old_id(&s))
		fprintf(stderr, _("kyso: note: %s is an old 9-digit CMND; ask for the 12-digit citizen ID\n"),
			s.id_number);
out:
	free(opts);
	subscriber_free(&s);
	kyso_problems_free(&problems);
	return rc;
}

/* Listing ------------------------------------------------------------------------- */

struct list_out {
	int json;
	long rows;
};

static json_t *row_json(const struct subscriber_row *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "kind", json_string(subscriber_kind_name(r->kind)));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "unit", r->unit ? json_string(r->unit) : json_null());
	json_object_set_new(o, "position", r->position ? json_string(r->position) : json_null());
	json_object_set_new(o, "id_number", r->id_number ? json_string(r->id_number) : json_null());
	json_object_set_new(o, "id_is_old_cmnd",
			    json_boolean(r->kind == KIND_PERSON && r->id_number &&
					 strlen(r->id_number) == 9));
	json_object_set_new(o, "email", r->email ? json_string(r->email) : json_null());
	json_object_set_new(o, "phone", r->phone ? json_string(r->phone) : json_null());
	json_object_set_new(o, "status", json_string(r->status));
	json_object_set_new(o, "departed_on", r->departed_on ? json_string(r->departed_on)
							     : json_null());
	json_object_set_new(o, "version", json_integer(r->version));
	return o;
}

static void list_header(void)
{
	out_cell(stdout, "ID", 7);
	out_cell(stdout, _("Full name"), 26);
	out_cell(stdout, _("Unit"), 24);
	out_cell(stdout, _("Position"), 18);
	out_cell(stdout, _("Citizen ID"), 17);
	out_cell(stdout, _("E-mail"), 30);
	printf("%s\n", _("Status"));
}

static int print_row(const struct subscriber_row *r, void *ctx)
{
	struct list_out *lo = ctx;
	char id[24], idn[40];

	if (lo->json) {
		json_t *o = row_json(r);

		fputs(lo->rows ? ",\n  " : "\n  ", stdout);
		json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	} else {
		snprintf(id, sizeof(id), "%lld", r->id);
		snprintf(idn, sizeof(idn), "%s%s", r->id_number ? r->id_number : "",
			 r->kind == KIND_PERSON && r->id_number && strlen(r->id_number) == 9
				 ? " (CMND)"
				 : "");
		out_cell(stdout, id, 7);
		out_cell(stdout, r->name, 26);
		out_cell(stdout, r->unit, 24);
		out_cell(stdout, r->position, 18);
		out_cell(stdout, idn, 17);
		out_cell(stdout, r->email, 30);
		if (subscriber_departed(r->status)) {
			char shown[11];

			printf("%s %s\n", subscriber_status_label(r->status),
			       date_display(r->departed_on, shown));
		} else {
			printf("%s\n", subscriber_status_label(r->status));
		}
	}
	lo->rows++;
	return ferror(stdout) ? 1 : 0;
}

int cli_list_option(struct cli *c, int opt, const char *arg, struct subscriber_query *q,
		    long long *unit_id)
{
	struct kyso_err err;
	enum subscriber_kind k;
	struct kyso_db *db;

	switch (opt) {
	case OPT_SEARCH:
		q->search = arg;
		return 0;
	case OPT_FIELD + SF_UNIT:
		if (!(db = cli_db(c)))
			return -1;
		if (unit_find(db, arg, unit_id, &err)) {
			cli_report(KYSO_EUSAGE, &err, NULL);
			return -2;
		}
		q->unit_id = *unit_id;
		return 0;
	case OPT_FIELD + SF_KIND:
		if (subscriber_kind_parse(arg, &k)) {
			cli_usage_error(_("--kind takes person, org or device"));
			return -2;
		}
		q->kind = k;
		return 0;
	case OPT_STATUS:
		if (!*arg || status_filter_parse(arg, &(enum status_filter){ 0 })) {
			cli_usage_error(_("--status takes all, active, departed, left, transferred or retired"));
			return -2;
		}
		q->status = arg;
		return 0;
	case OPT_SORT:
		if (!strcmp(arg, "name"))
			q->order = ORDER_NAME;
		else if (!strcmp(arg, "unit"))
			q->order = ORDER_UNIT;
		else if (!strcmp(arg, "status"))
			q->order = ORDER_STATUS;
		else {
			cli_usage_error(_("--sort takes name, unit or status"));
			return -2;
		}
		return 0;
	case OPT_LIMIT:
	case OPT_OFFSET: {
		long long v = cli_number(arg);

		if (v < 0) {
			cli_usage_error(_("%s takes a number"), opt == OPT_LIMIT ? "--limit" : "--offset");
			return -2;
		}
		if (opt == OPT_LIMIT)
			q->limit = (long)v;
		else
			q->offset = (long)v;
		return 0;
	}
	default:
		return opt;
	}
}

const struct option cli_list_options[] = {
	{ "search", required_argument, NULL, OPT_SEARCH },
	{ "unit", required_argument, NULL, OPT_FIELD + SF_UNIT },
	{ "kind", required_argument, NULL, OPT_FIELD + SF_KIND },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "json", no_argument, NULL, OPT_JSON },
};
const size_t cli_list_noptions = sizeof(cli_list_options) / sizeof(cli_list_options[0]);
const int cli_opt_json = OPT_JSON;

static int sub_list(struct cli *c, int argc, char **argv)
{
	struct option opts[sizeof(cli_list_options) / sizeof(cli_list_options[0]) + 1];
	struct subscriber_query q = { .kind = -1, .order = ORDER_NAME };
	struct list_out lo = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	long long unit_id = 0;
	int opt, rc;

	memcpy(opts, cli_list_options, sizeof(cli_list_options));
	memset(&opts[cli_list_noptions], 0, sizeof(opts[0]));
	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		if (opt == OPT_JSON) {
			lo.json = 1;
			continue;
		}
		rc = cli_list_option(c, opt, optarg, &q, &unit_id);
		if (rc == -1)
			return 1;
		if (rc == -2)
			return 2;
		if (rc)
			return cli_usage_error(_("the command line was not understood"));
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if (!(db = cli_db(c)))
		return 1;
	if (lo.json)
		putchar('[');
	else
		list_header();
	rc = subscriber_list(db, &q, print_row, &lo, &err);
	if (lo.json)
		fputs(lo.rows ? "\n]\n" : "]\n", stdout);
	else if (!rc)
		printf(_("%ld subscriber(s)\n"), lo.rows);
	if (rc)
		return cli_report(rc, &err, NULL);
	return 0;
}

/* show ----------------------------------------------------------------------------- */

static int add_event(const struct event_row *ev, void *ctx)
{
	json_t *arr = ctx;

	json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o?}", "id",
					     (json_int_t)ev->id, "on_date", ev->on_date, "at", ev->at,
					     "actor", ev->actor, "kind", ev->kind, "label",
					     event_kind_label(ev->kind), "detail",
					     ev->detail ? json_loads(ev->detail, 0, NULL) : NULL));
	return 0;
}

/* One line of an event's detail, under the event. */
static int print_detail_line(const char *text, void *ctx)
{
	(void)ctx;
	printf("%14s%s\n", "", text);
	return ferror(stdout) ? 1 : 0;
}

/* The tokens the subscriber owns or keeps, as `token list --json` prints them. */
struct token_collect {
	json_t *arr;
	long long subscriber_id;
};

static int add_token(const struct token_row *r, void *ctx)
{
	struct token_collect *tc = ctx;

	/* a token it owns and keeps is listed once, with those it owns */
	if (tc->subscriber_id && r->subscriber_id == tc->subscriber_id)
		return 0;
	json_array_append_new(tc->arr, cli_token_json(r));
	return 0;
}

static int subscriber_tokens(struct kyso_db *db, long long id, json_t *arr,
			     struct kyso_err *err)
{
	struct token_query owned = { .subscriber_id = id }, kept = { .keeper_id = id };
	struct token_collect tc = { arr, 0 };
	int rc = token_list(db, &owned, add_token, &tc, err);

	tc.subscriber_id = id;
	return rc ? rc : token_list(db, &kept, add_token, &tc, err);
}

static void print_tokens(json_t *tokens)
{
	char shown[11];
	size_t i;

	printf("\n%s\n", _("Tokens:"));
	for (i = 0; i < json_array_size(tokens); i++) {
		json_t *t = json_array_get(tokens, i);
		const char *keeper = json_string_value(json_object_get(t, "keeper"));

		printf("  ");
		out_cell(stdout, json_string_value(json_object_get(t, "serial")), 16);
		out_cell(stdout, token_state_label(json_string_value(json_object_get(t, "state"))), 10);
		printf(_("since %s"), date_display(json_string_value(json_object_get(t, "state_on")),
						   shown));
		if (keeper)
			printf(_("; kept by %s"), keeper);
		printf("; %s\n", json_string_value(json_object_get(t, "subscriber")));
	}
	if (!json_array_size(tokens))
		printf("  %s\n", _("none"));
}

static int sub_show(struct cli *c, int argc, char **argv)
{
	struct subscriber s;
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	json_t *history, *tokens;
	long unaccounted = 0;
	long long id;
	int json = 0, i, rc;
	size_t f, k;
	const char *idarg = NULL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!idarg)
			idarg = argv[i];
		else
			return cli_usage_error(_("unexpected argument \"%s\""), argv[i]);
	}
	if (!idarg || (id = cli_number(idarg)) <= 0)
		return cli_usage_error(_("usage: kyso subscriber show ID [--json]"));
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = subscriber_get(db, id, &s, &err)))
		return cli_report(rc, &err, NULL);
	history = json_array();
	tokens = json_array();
	if ((rc = event_list_subscriber(db, id, add_event, history, &err)) ||
	    (rc = subscriber_tokens(db, id, tokens, &err)) ||
	    (rc = token_unaccounted(db, id, &unaccounted, &err))) {
		json_decref(history);
		json_decref(tokens);
		subscriber_free(&s);
		return cli_report(rc, &err, NULL);
	}
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(s.id));
		json_object_set_new(o, "kind", json_string(subscriber_kind_name(s.kind)));
		for (f = SF_NAME; f < SF_COUNT; f++) {
			char **slot = subscriber_field_slot(&s, (enum subscriber_field)f);

			json_object_set_new(o, subscriber_field_name((enum subscriber_field)f),
					    *slot ? json_string(*slot) : json_null());
		}
		json_object_set_new(o, "id_is_old_cmnd", json_boolean(subscriber_has_old_id(&s)));
		json_object_set_new(o, "status", json_string(s.status));
		json_object_set_new(o, "departed_on", s.departed_on ? json_string(s.departed_on)
								    : json_null());
		json_object_set_new(o, "departure_note", s.departure_note ? json_string(s.departure_note)
									  : json_null());
		json_object_set_new(o, "created_at", json_string(s.created_at));
		json_object_set_new(o, "updated_at", json_string(s.updated_at));
		json_object_set_new(o, "version", json_integer(s.version));
		json_object_set_new(o, "tokens", tokens);
		json_object_set_new(o, "unaccounted_tokens", json_integer(unaccounted));
		json_object_set_new(o, "history", history);
		out_json(o);
	} else {
		char shown[11];

		out_cell(stdout, "ID", 22);
		printf("%lld\n", s.id);
		out_cell(stdout, _("Kind"), 22);
		printf("%s\n", subscriber_kind_label(s.kind));
		for (f = SF_NAME; f < SF_COUNT; f++) {
			char **slot = subscriber_field_slot(&s, (enum subscriber_field)f);
			const char *v = *slot;

			if (!v)
				continue;
			out_cell(stdout, subscriber_field_label((enum subscriber_field)f), 22);
			if (subscriber_field_is_date((enum subscriber_field)f))
				v = date_display(v, shown);
			printf("%s%s\n", v,
			       f == SF_ID_NUMBER && subscriber_has_old_id(&s) ? _(" (old CMND)") : "");
		}
		out_cell(stdout, _("Status"), 22);
		printf("%s", subscriber_status_label(s.status));
		if (s.departed_on)
			printf(" %s", date_display(s.departed_on, shown));
		if (s.departure_note)
			printf(" — %s", s.departure_note);
		printf("\n");
		out_cell(stdout, _("Version"), 22);
		printf("%ld\n", s.version);
		/* Art. 14.4: a departure is complete when every token is accounted for. */
		if (unaccounted)
			printf(_("Departure incomplete: %ld token(s) unaccounted\n"), unaccounted);
		print_tokens(tokens);
		json_decref(tokens);
		printf("\n%s\n", _("History:"));
		for (k = 0; k < json_array_size(history); k++) {
			json_t *ev = json_array_get(history, k);
			char *detail = json_object_get(ev, "detail")
					       ? json_dumps(json_object_get(ev, "detail"),
							    JSON_COMPACT | JSON_PRESERVE_ORDER)
					       : NULL;
			struct event_row row = {
				.kind = json_string_value(json_object_get(ev, "kind")),
				.detail = detail,
			};

			printf("  %s  ", date_display(json_string_value(json_object_get(ev, "on_date")),
						      shown));
			out_cell(stdout, json_string_value(json_object_get(ev, "label")), 22);
			printf("%s\n", json_string_value(json_object_get(ev, "actor")));
			if (row.kind)
				event_describe(&row, print_detail_line, NULL);
			free(detail);
		}
		json_decref(history);
	}
	subscriber_free(&s);
	return 0;
}

/* edit / depart ---------------------------------------------------------------------- */

static int sub_edit(struct cli *c, int argc, char **argv)
{
	static const struct option extra[] = {
		{ "if-version", required_argument, NULL, OPT_IF_VERSION },
		{ "departed-on", required_argument, NULL, OPT_DEPARTED_ON },
		{ 0, 0, 0, 0 },
	};
	struct option *opts = field_options(extra);
	struct subscriber s;
	struct subscriber_change changes[64];
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	size_t nchanges = 0;
	int opt, rc = 0;
	long if_version = 0;
	long long id;

	subscriber_init(&s);
	while (opts && (opt = cli_getopt(argc, argv, "", opts)) != -1) {
		if (opt == OPT_IF_VERSION) {
			if_version = (long)cli_number(optarg);
			if (if_version <= 0) {
				rc = cli_usage_error(_("--if-version takes a version number"));
				goto out;
			}
		} else if (opt >= OPT_FIELD && opt < OPT_FIELD + SF_COUNT && nchanges < 64) {
			changes[nchanges].field = opt - OPT_FIELD;
			changes[nchanges++].value = optarg;
		} else if (opt == OPT_DEPARTED_ON && nchanges < 64) {
			changes[nchanges].field = SUBSCRIBER_DEPARTED_ON;
			changes[nchanges++].value = optarg;
		} else {
			rc = cli_usage_error(_("the command line was not understood"));
			goto out;
		}
	}
	if (optind + 1 != argc || (id = cli_number(argv[optind])) <= 0) {
		rc = cli_usage_error(_("usage: kyso subscriber edit ID [--FIELD VALUE ...] [--departed-on D] [--if-version N]"));
		goto out;
	}
	if (!(db = cli_db(c))) {
		rc = 1;
		goto out;
	}
	rc = subscriber_edit(db, id, changes, nchanges, if_version, &problems, &err);
	if (rc) {
		rc = cli_report(rc, &err, &problems);
		goto out;
	}
	if ((rc = subscriber_get(db, id, &s, &err))) {
		rc = cli_report(rc, &err, NULL);
		goto out;
	}
	printf(_("Subscriber #%lld saved (version %ld).\n"), id, s.version);
out:
	free(opts);
	subscriber_free(&s);
	kyso_problems_free(&problems);
	return rc;
}

struct departure_tokens {
	long long subscriber_id;
	long n;
};

static int print_departure_token(const struct follow_up_row *f, void *ctx)
{
	struct departure_tokens *d = ctx;

	if (!d->n++)
		printf("%s\n", _("Art. 14.4: hand each token (and its password) to the successor the head of agency designated, or return it:"));
	printf(_("  %s: kyso token handover --serial %s --to-name NAME --to-position P --designation REF --date D\n"
		 "      or kyso token return --serial %s --date D\n"),
	       f->serial, f->serial, f->serial);
	return 0;
}

/* The tokens a departure leaves to account for, and how. */
static int print_departure_tokens(struct kyso_db *db, long long id)
{
	struct departure_tokens d = { id, 0 };
	struct kyso_err err = { 0 };
	int rc = token_departure_follow_ups(db, id, print_departure_token, &d, &err);

	if (rc)
		return cli_report(rc, &err, NULL);
	if (!d.n)
		printf("%s\n", _("No token to hand over or return."));
	return 0;
}

static int sub_depart(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "note", required_argument, NULL, OPT_FIELD + SF_NOTE },
		{ "if-version", required_argument, NULL, OPT_IF_VERSION },
		{ 0, 0, 0, 0 },
	};
	const char *date = NULL, *reason = NULL, *note = NULL;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	long if_version = 0;
	long long id;
	int opt, rc;

	while ((opt = cli_getopt(argc, argv, "", opts)) != -1) {
		switch (opt) {
		case OPT_DATE: date = optarg; break;
		case OPT_REASON: reason = optarg; break;
		case OPT_FIELD + SF_NOTE: note = optarg; break;
		case OPT_IF_VERSION:
			if_version = (long)cli_number(optarg);
			if (if_version <= 0)
				return cli_usage_error(_("--if-version takes a version number"));
			break;
		default:
			return cli_usage_error(_("the command line was not understood"));
		}
	}
	if (optind + 1 != argc || (id = cli_number(argv[optind])) <= 0)
		return cli_usage_error(_("usage: kyso subscriber depart ID --date D --reason left|transferred|retired"));
	if (!(db = cli_db(c)))
		return 1;
	rc = subscriber_depart(db, id, date, reason, note, if_version, &problems, &err);
	if (rc)
		rc = cli_report(rc, &err, &problems);
	else {
		printf(_("Subscriber #%lld departed (%s).\n"), id, subscriber_status_label(reason));
		rc = print_departure_tokens(db, id);
	}
	kyso_problems_free(&problems);
	return rc;
}

int cli_subscriber(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (!strcmp(sub, "add"))
		return sub_add(c, argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return sub_list(c, argc - 1, argv + 1);
	if (!strcmp(sub, "show"))
		return sub_show(c, argc - 1, argv + 1);
	if (!strcmp(sub, "edit"))
		return sub_edit(c, argc - 1, argv + 1);
	if (!strcmp(sub, "depart"))
		return sub_depart(c, argc - 1, argv + 1);
	return cli_usage_error(_("usage: kyso subscriber add|list|show|edit|depart ..."));
}
