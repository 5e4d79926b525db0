/*
 * cli/token.c - `kyso token ...`: the registry (add, list, show), the transition table
 * (states) and every change the table allows, one subcommand each (assign, handover,
 * lend, loan-end, lock, recover, damage, find, reuse, lost, revocation-asked, return,
 * pin-changed).  The changes share one option table; each subcommand says which options
 * it takes, and the core checks the values (every problem listed, exit 3).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "kyso/agency.h"
#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/minutes.h"
#include "kyso/token.h"

/* The options of every token subcommand. */
enum {
	O_SERIAL, O_SUBSCRIBER, O_MODEL, O_KIND, O_KEEPER, O_KEEPER_POSITION,
	O_KEEPER_SUBSCRIBER, O_RECEIVED, O_PIN_CHANGED, O_NOTE, O_STATE, O_UNIT, O_HOLDER,
	O_SEARCH, O_LIMIT, O_JSON, O_DATE, O_TO_NAME, O_TO_POSITION, O_TO_SUBSCRIBER,
	O_DESIGNATION, O_DESIGNATED_BY, O_PERMISSION, O_PERMITTED_BY, O_UNTIL, O_CIRCUMSTANCES,
	O_PLACE, O_DISCOVERED, O_CONFIRMED_BY, O_REPORT_REF, O_REF, O_REASON, O_RECEIVED_BY,
	O_NOTICE, O_DECLARED_BY, O_IF_VERSION, O_STEP, O_COUNT
};

#define BIT(o) (1ULL << (o))

static const struct option token_options[] = {
	{ "serial", required_argument, NULL, O_SERIAL },
	{ "subscriber", required_argument, NULL, O_SUBSCRIBER },
	{ "model", required_argument, NULL, O_MODEL },
	{ "kind", required_argument, NULL, O_KIND },
	{ "keeper", required_argument, NULL, O_KEEPER },
	{ "keeper-position", required_argument, NULL, O_KEEPER_POSITION },
	{ "keeper-subscriber", required_argument, NULL, O_KEEPER_SUBSCRIBER },
	{ "received", required_argument, NULL, O_RECEIVED },
	{ "pin-changed", required_argument, NULL, O_PIN_CHANGED },
	{ "note", required_argument, NULL, O_NOTE },
	{ "state", required_argument, NULL, O_STATE },
	{ "unit", required_argument, NULL, O_UNIT },
	{ "holder", required_argument, NULL, O_HOLDER },
	{ "search", required_argument, NULL, O_SEARCH },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ "json", no_argument, NULL, O_JSON },
	{ "date", required_argument, NULL, O_DATE },
	{ "to-name", required_argument, NULL, O_TO_NAME },
	{ "to-position", required_argument, NULL, O_TO_POSITION },
	{ "to-subscriber", required_argument, NULL, O_TO_SUBSCRIBER },
	{ "designation", required_argument, NULL, O_DESIGNATION },
	{ "designated-by", required_argument, NULL, O_DESIGNATED_BY },
	{ "permission", required_argument, NULL, O_PERMISSION },
	{ "permitted-by", required_argument, NULL, O_PERMITTED_BY },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "circumstances", required_argument, NULL, O_CIRCUMSTANCES },
	{ "place", required_argument, NULL, O_PLACE },
	{ "discovered", required_argument, NULL, O_DISCOVERED },
	{ "confirmed-by", required_argument, NULL, O_CONFIRMED_BY },
	{ "report-ref", required_argument, NULL, O_REPORT_REF },
	{ "ref", required_argument, NULL, O_REF },
	{ "reason", required_argument, NULL, O_REASON },
	{ "received-by", required_argument, NULL, O_RECEIVED_BY },
	{ "notice", required_argument, NULL, O_NOTICE },
	{ "declared-by", required_argument, NULL, O_DECLARED_BY },
	{ "if-version", required_argument, NULL, O_IF_VERSION },
	{ "step", required_argument, NULL, O_STEP },
	{ 0, 0, 0, 0 },
};

/* At most this many --serial in one command (a return of several tokens). */
#define SERIALS_MAX 256

/* What the command line gave. */
struct given {
	const char *v[O_COUNT];
	const char *serials[SERIALS_MAX];
	size_t nserials;
	int json;
};

/* Reads the options; 0, or the exit status after a usage message.  takes: the options
 * the subcommand has; many: --serial may repeat. */
static int read_options(int argc, char **argv, unsigned long long takes, int many,
			const char *usage, struct given *g)
{
	int opt;

	memset(g, 0, sizeof(*g));
	while ((opt = cli_getopt(argc, argv, "", token_options)) != -1) {
		if (opt < 0 || opt >= O_COUNT || !(takes & BIT(opt)))
			return cli_usage_error("%s", usage);
		if (opt == O_JSON)
			g->json = 1;
		else if (opt == O_SERIAL && g->nserials < SERIALS_MAX && (many || !g->nserials))
			g->serials[g->nserials++] = optarg;
		else if (opt == O_SERIAL)
			return cli_usage_error("%s", usage);
		else
			g->v[opt] = optarg;
	}
	if (optind < argc)
		return cli_usage_error(_("unexpected argument \"%s\""), argv[optind]);
	return 0;
}

/* An id option: 0 when not given, -1 after a usage message. */
static long long id_option(const struct given *g, int o, const char *name)
{
	long long v;

	if (!g->v[o])
		return 0;
	if ((v = cli_number(g->v[o])) <= 0) {
		cli_usage_error(_("%s takes a number"), name);
		return -1;
	}
	return v;
}

/* The tokens the serials name; the first one missing is reported (exit 1). */
static int find_tokens(struct kyso_db *db, const struct given *g, long long *ids)
{
	struct kyso_err err = { 0 };
	size_t i;
	int rc;

	for (i = 0; i < g->nserials; i++)
		if ((rc = token_find(db, g->serials[i], &ids[i], &err)))
			return cli_report(rc, &err, NULL);
	return 0;
}

/* add ------------------------------------------------------------------------------------- */

static int tok_add(struct cli *c, int argc, char **argv)
{
	static const char usage[] =
		N_("usage: kyso token add --serial S --subscriber ID [--model M] [--kind usb|sim|remote] [--keeper NAME] [--keeper-position P] [--keeper-subscriber ID] [--received D] [--pin-changed D] [--note T]");
	struct token_new t = { 0 };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	struct given g;
	long long id;
	int rc;

	if ((rc = read_options(argc, argv,
			       BIT(O_SERIAL) | BIT(O_SUBSCRIBER) | BIT(O_MODEL) | BIT(O_KIND) |
				       BIT(O_KEEPER) | BIT(O_KEEPER_POSITION) |
				       BIT(O_KEEPER_SUBSCRIBER) | BIT(O_RECEIVED) |
				       BIT(O_PIN_CHANGED) | BIT(O_NOTE),
			       0, _(usage), &g)))
		return rc;
	if (!g.nserials || !g.v[O_SUBSCRIBER])
		return cli_usage_error("%s", _(usage));
	if (g.v[O_KIND] && token_kind_parse(g.v[O_KIND], &t.kind))
		return cli_usage_error(_("--kind takes usb, sim or remote"));
	if ((t.subscriber_id = id_option(&g, O_SUBSCRIBER, "--subscriber")) < 0 ||
	    (t.keeper_subscriber_id = id_option(&g, O_KEEPER_SUBSCRIBER, "--keeper-subscriber")) < 0)
		return 2;
	t.serial = g.serials[0];
	t.model = g.v[O_MODEL];
	t.keeper_name = g.v[O_KEEPER];
	t.keeper_position = g.v[O_KEEPER_POSITION];
	t.received_on = g.v[O_RECEIVED];
	t.pin_changed_on = g.v[O_PIN_CHANGED];
	t.note = g.v[O_NOTE];
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = token_add(db, &t, &id, &problems, &err)))
		rc = cli_report(rc, &err, &problems);
	else
		printf("%lld\n", id);
	kyso_problems_free(&problems);
	return rc;
}

/* The kind of minutes document doc_kind is, as `kyso minutes KIND` takes it ("handover");
 * NULL when it is not minutes. */
static const char *minutes_word(const char *doc_kind)
{
	enum minutes_kind k;

	return minutes_kind_of_doc(doc_kind, &k) ? NULL : minutes_kind_name(k);
}

/* list ------------------------------------------------------------------------------------- */

json_t *cli_token_json(const struct token_row *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "serial", json_string(r->serial));
	json_object_set_new(o, "kind", json_string(token_kind_name(r->kind)));
	json_object_set_new(o, "model", r->model ? json_string(r->model) : json_null());
	json_object_set_new(o, "state", json_string(r->state));
	json_object_set_new(o, "state_on", json_string(r->state_on));
	json_object_set_new(o, "subscriber_id", json_integer(r->subscriber_id));
	json_object_set_new(o, "subscriber", json_string(r->subscriber_name));
	json_object_set_new(o, "unit", r->unit ? json_string(r->unit) : json_null());
	json_object_set_new(o, "keeper", r->keeper_name ? json_string(r->keeper_name) : json_null());
	json_object_set_new(o, "holder", r->holder_name ? json_string(r->holder_name) : json_null());
	json_object_set_new(o, "loan_until", r->loan_until ? json_string(r->loan_until) : json_null());
	json_object_set_new(o, "pin_changed_on",
			    r->pin_changed_on ? json_string(r->pin_changed_on) : json_null());
	json_object_set_new(o, "pin_due_on", r->pin_due_on ? json_string(r->pin_due_on) : json_null());
	json_object_set_new(o, "pin_pending", json_boolean(r->pin_pending));
	json_object_set_new(o, "version", json_integer(r->version));
	return o;
}

struct list_out {
	json_t *arr;
	long rows;
	char today[11];
};

/* "Lê Thị Văn → Trần Cường" while lent. */
static void custody_text(const char *keeper, const char *holder, char *out, size_t outsz)
{
	if (holder && keeper && strcmp(holder, keeper))
		snprintf(out, outsz, "%s → %s", keeper, holder);
	else
		snprintf(out, outsz, "%s", keeper ? keeper : holder ? holder : "");
}

static int print_row(const struct token_row *r, void *ctx)
{
	struct list_out *lo = ctx;
	char who[512], pin[64], shown[11];

	lo->rows++;
	if (lo->arr)
		return json_array_append_new(lo->arr, cli_token_json(r)) ? 1 : 0;
	custody_text(r->keeper_name, r->holder_name, who, sizeof(who));
	pin[0] = '\0';
	if (r->pin_due_on)
		snprintf(pin, sizeof(pin), "%s%s%s", date_display(r->pin_due_on, shown),
			 token_pin_overdue(r->pin_due_on, lo->today) ? _(" overdue") : "",
			 r->pin_pending ? " *" : "");
	out_cell(stdout, r->serial, 16);
	out_cell(stdout, token_state_label(r->state), 10);
	out_cell(stdout, r->subscriber_name, 24);
	out_cell(stdout, r->unit, 18);
	out_cell(stdout, who, 26);
	printf("%s\n", pin);
	return ferror(stdout) ? 1 : 0;
}

static int tok_list(struct cli *c, int argc, char **argv)
{
	static const char usage[] =
		N_("usage: kyso token list [--state S|active] [--subscriber ID] [--unit UNIT] [--holder TEXT] [--search TEXT] [--limit N] [--json]");
	struct token_query q = { 0 };
	struct list_out lo = { 0 };
	struct kyso_err err = { 0 };
	struct kyso_db *db;
	struct given g;
	long long limit = 0;
	int rc;

	if ((rc = read_options(argc, argv,
			       BIT(O_STATE) | BIT(O_SUBSCRIBER) | BIT(O_UNIT) | BIT(O_HOLDER) |
				       BIT(O_SEARCH) | BIT(O_LIMIT) | BIT(O_JSON),
			       0, _(usage), &g)))
		return rc;
	if (g.v[O_STATE] && !token_state_known(g.v[O_STATE]) && strcmp(g.v[O_STATE], "active"))
		return cli_usage_error(_("--state takes in_use, locked, lost, found, damaged, returned or active"));
	if ((q.subscriber_id = id_option(&g, O_SUBSCRIBER, "--subscriber")) < 0)
		return 2;
	if (g.v[O_LIMIT] && (limit = cli_number(g.v[O_LIMIT])) < 0)
		return cli_usage_error(_("%s takes a number"), "--limit");
	q.limit = (long)limit;
	q.state = g.v[O_STATE];
	q.holder = g.v[O_HOLDER];
	q.search = g.v[O_SEARCH];
	if (!(db = cli_db(c)))
		return 1;
	if (g.v[O_UNIT] && (rc = unit_find(db, g.v[O_UNIT], &q.unit_id, &err)))
		return cli_report(KYSO_EUSAGE, &err, NULL);
	db_today(lo.today);
	if (g.json)
		lo.arr = json_array();
	else {
		out_cell(stdout, _("Serial"), 16);
		out_cell(stdout, _("State"), 10);
		out_cell(stdout, _("Subscriber"), 24);
		out_cell(stdout, _("Unit"), 18);
		out_cell(stdout, _("Keeper → holder"), 26);
		printf("%s\n", _("PIN due"));
	}
	rc = token_list(db, &q, print_row, &lo, &err);
	if (!rc && !lo.arr)
		printf(_("%ld token(s)\n"), lo.rows);
	return cli_list_end(lo.arr, rc, &err);
}

/* states -------------------------------------------------------------------------------------- */

static const char *command_of(const char *action);

/* The labels of a comma-separated list of follow-up kinds, after "closes: "; 0 when the
 * list is empty. */
static int follow_up_labels(const char *kinds, char *out, size_t size)
{
	char kind[64];
	size_t len = 0;
	const char *p = kinds;

	out[0] = '\0';
	while (*p && len < size) {
		size_t n = strcspn(p, ",");

		snprintf(kind, sizeof(kind), "%.*s", (int)n, p);
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "; " : _("closes: "),
					token_follow_up_label(kind));
		p += n + (p[n] == ',');
	}
	return out[0] != '\0';
}

static int tok_states(struct cli *c, int argc, char **argv)
{
	const struct token_transition *t;
	size_t n, i;
	struct given g;
	int rc;

	(void)c;
	if ((rc = read_options(argc, argv, BIT(O_JSON), 0, _("usage: kyso token states [--json]"),
			       &g)))
		return rc;
	t = token_transitions(&n);
	if (g.json) {
		json_t *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s?,s:s?,s:s,s:s,s:s?,s:s?,s:s?,s:s}",
							     "action", t[i].action, "label",
							     token_action_label(t[i].action), "from",
							     t[i].from, "from_label",
							     t[i].from ? token_state_label(t[i].from) : NULL,
							     "to", t[i].to, "to_label",
							     token_state_label(t[i].to), "document",
							     t[i].document, "opens", t[i].opens, "closes",
							     t[i].closes, "rule", t[i].rule));
		out_json(arr);
		return 0;
	}
	out_cell(stdout, _("Command"), 24);
	out_cell(stdout, _("From"), 10);
	out_cell(stdout, _("To"), 10);
	out_cell(stdout, _("Minutes"), 10);
	printf("%s\n", _("Rule"));
	for (i = 0; i < n; i++) {
		char cmd[64], what[512];

		snprintf(cmd, sizeof(cmd), "token %s", command_of(t[i].action));
		out_cell(stdout, cmd, 24);
		out_cell(stdout, t[i].from ? token_state_label(t[i].from) : "-", 10);
		out_cell(stdout, token_state_label(t[i].to), 10);
		/* the kind as `kyso minutes KIND` takes it */
		out_cell(stdout, t[i].document ? minutes_word(t[i].document) : "-", 10);
		printf("%s\n", _(t[i].rule));
		if (t[i].opens)
			printf("    %s%s\n", _("opens: "), token_follow_up_label(t[i].opens));
		if (t[i].closes && follow_up_labels(t[i].closes, what, sizeof(what)))
			printf("    %s\n", what);
	}
	return 0;
}

/* show ---------------------------------------------------------------------------------------- */

static int add_cert_json(const struct cert_row *r, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s?}", "id",
					     (json_int_t)r->id, "serial", r->serial, "issuance",
					     r->issuance, "not_before", r->not_before, "not_after",
					     r->not_after, "state", r->state, "revoked_on",
					     r->revoked_on));
	return 0;
}

static int add_follow_up_json(const struct follow_up_row *f, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:s,s:s,s:s?}", "id", (json_int_t)f->id,
					     "kind", f->kind, "label", token_follow_up_label(f->kind),
					     "opened_on", f->opened_on, "due_on", f->due_on));
	return 0;
}

static int add_step_json(const struct token_step *s, void *ctx)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "date", json_string(s->on_date));
	json_object_set_new(o, "action", json_string(s->action));
	json_object_set_new(o, "label", json_string(token_action_label(s->action)));
#define SET(name, v) json_object_set_new(o, name, (v) ? json_string(v) : json_null())
	SET("from", s->from_state);
	SET("to", s->to_state);
	SET("keeper", s->keeper_name);
	SET("keeper_position", s->keeper_position);
	SET("holder", s->holder_name);
	SET("party", s->party_name);
	SET("party_position", s->party_position);
	SET("ref", s->ref);
	SET("authorised_by", s->authorised_by);
	SET("until", s->until_on);
	SET("place", s->place);
	SET("circumstances", s->circumstances);
	SET("discovered", s->discovered);
	SET("reason", s->reason);
	SET("note", s->note);
	SET("document", s->document_number);
	SET("actor", s->actor);
#undef SET
	json_object_set_new(o, "password_handed",
			    s->password_handed < 0 ? json_null() : json_boolean(s->password_handed));
	json_array_append_new(ctx, o);
	return 0;
}

static json_t *token_json(const struct token *t)
{
	json_t *o = json_object();

#define SET(name, v) json_object_set_new(o, name, (v) ? json_string(v) : json_null())
	json_object_set_new(o, "id", json_integer(t->id));
	SET("serial", t->serial);
	json_object_set_new(o, "kind", json_string(token_kind_name(t->kind)));
	SET("model", t->model);
	json_object_set_new(o, "subscriber_id", json_integer(t->subscriber_id));
	SET("subscriber", t->subscriber_name);
	SET("unit", t->unit);
	SET("state", t->state);
	SET("state_on", t->state_on);
	SET("keeper", t->keeper_name);
	SET("keeper_position", t->keeper_position);
	json_object_set_new(o, "keeper_subscriber_id", t->keeper_subscriber_id
				       ? json_integer(t->keeper_subscriber_id) : json_null());
	SET("holder", t->holder_name);
	SET("holder_position", t->holder_position);
	SET("loan_ref", t->loan_ref);
	SET("loan_by", t->loan_by);
	SET("loan_until", t->loan_until);
	SET("received_on", t->received_on);
	SET("pin_changed_on", t->pin_changed_on);
	SET("pin_due_on", t->pin_due_on);
	json_object_set_new(o, "pin_pending", json_boolean(t->pin_pending));
	SET("note", t->note);
	json_object_set_new(o, "version", json_integer(t->version));
#undef SET
	return o;
}

/* A line "Label           value" of the human show. */
static void field(const char *label, const char *value)
{
	if (!value || !*value)
		return;
	out_cell(stdout, label, 20);
	printf("%s\n", value);
}

static void print_token(const struct token *t, const char *today)
{
	char buf[1024], d1[11], d2[11];

	field(_("Serial"), t->serial);
	field(_("Kind"), token_kind_label(t->kind));
	field(_("Model"), t->model);
	snprintf(buf, sizeof(buf), "#%lld %s%s%s%s", t->subscriber_id, t->subscriber_name,
		 t->unit ? " (" : "", t->unit ? t->unit : "", t->unit ? ")" : "");
	field(_("Subscriber"), buf);
	snprintf(buf, sizeof(buf), _("%s since %s"), token_state_label(t->state),
		 date_display(t->state_on, d1));
	field(_("State"), buf);
	snprintf(buf, sizeof(buf), "%s%s%s", t->keeper_name ? t->keeper_name : "",
		 t->keeper_position ? ", " : "", t->keeper_position ? t->keeper_position : "");
	field(_("Keeper"), buf);
	if (t->loan_until) {
		snprintf(buf, sizeof(buf), _("%s, lent until %s (permission %s, given by %s)"),
			 t->holder_name, date_display(t->loan_until, d1),
			 t->loan_ref ? t->loan_ref : "?", t->loan_by ? t->loan_by : "?");
		field(_("Holder"), buf);
	}
	field(_("Received on"), date_display(t->received_on, d1));
	field(_("PIN changed on"),
	      t->pin_changed_on ? date_display(t->pin_changed_on, d1) : _("no change recorded"));
	if (t->pin_due_on) {
		snprintf(buf, sizeof(buf), "%s%s%s", date_display(t->pin_due_on, d2),
			 token_pin_overdue(t->pin_due_on, today) ? _(" (overdue)") : "",
			 t->pin_pending ? _("; the new holder has not changed it yet") : "");
		field(_("PIN due on"), buf);
	}
	field(_("Note"), t->note);
	snprintf(buf, sizeof(buf), "%ld", t->version);
	field(_("Version"), buf);
}

/* One line of the history: "05/02/2026  Handed over  In use  to X (Văn thư), ...". */
static void print_step(json_t *s, size_t n)
{
	const char *keys[] = { "party", "party_position", "ref", "authorised_by", "until", "place",
			       "circumstances", "discovered", "reason", "note" };
	const char *labels[] = { _("to/by"), _("position"), _("ref."), _("authorised by"),
				 _("until"), _("place"), _("circumstances"), _("found missing"),
				 _("reason"), _("note") };
	char d[11];
	size_t i;
	int first = 1;

	/* the step's number is what `token correct --step` takes */
	printf("  %2zu. %s  ", n, date_display(json_string_value(json_object_get(s, "date")), d));
	out_cell(stdout, json_string_value(json_object_get(s, "label")), 18);
	out_cell(stdout, token_state_label(json_string_value(json_object_get(s, "to"))), 10);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(s, keys[i]));

		if (v && !strcmp(keys[i], "until"))
			v = date_display(v, d);
		if (v) {
			printf("%s%s: %s", first ? "" : "; ", labels[i], v);
			first = 0;
		}
	}
	if (json_is_true(json_object_get(s, "password_handed"))) {
		printf("%s%s", first ? "" : "; ", _("password handed over"));
		first = 0;
	}
	if (json_string_value(json_object_get(s, "document")))
		printf("%s%s %s", first ? "" : "; ", _("minutes"),
		       json_string_value(json_object_get(s, "document")));
	putchar('\n');
}

static void print_lists(json_t *certs, json_t *follow, json_t *history)
{
	char d1[11], d2[11];
	size_t i;

	printf("\n%s\n", _("Certificates:"));
	for (i = 0; i < json_array_size(certs); i++) {
		json_t *x = json_array_get(certs, i);

		printf("  ");
		out_cell(stdout, json_string_value(json_object_get(x, "serial")), 34);
		printf("%s – %s  %s\n", date_display(json_string_value(json_object_get(x, "not_before")), d1),
		       date_display(json_string_value(json_object_get(x, "not_after")), d2),
		       cert_state_label(json_string_value(json_object_get(x, "state"))));
	}
	if (!json_array_size(certs))
		printf("  %s\n", _("none recorded"));
	printf("\n%s\n", _("Still to do:"));
	for (i = 0; i < json_array_size(follow); i++) {
		json_t *x = json_array_get(follow, i);
		const char *due = json_string_value(json_object_get(x, "due_on"));

		printf("  ");
		out_cell(stdout, json_string_value(json_object_get(x, "label")), 48);
		printf(_("since %s"), date_display(json_string_value(json_object_get(x, "opened_on")), d1));
		if (due)
			printf(_(", due %s"), date_display(due, d2));
		putchar('\n');
	}
	if (!json_array_size(follow))
		printf("  %s\n", _("nothing"));
	printf("\n%s\n", _("History:"));
	for (i = 0; i < json_array_size(history); i++)
		print_step(json_array_get(history, i), i + 1);
}

/* The token a show names: its serial, else "#ID" or ID. */
static int resolve(struct kyso_db *db, const char *arg, long long *id, struct kyso_err *err)
{
	int rc = token_find(db, arg, id, err);
	long long n;
	struct token t;

	if (rc != KYSO_ENOTFOUND || (n = cli_number(arg)) <= 0)
		return rc;
	if (token_get(db, n, &t, NULL))
		return rc;
	token_free(&t);
	*id = n;
	return 0;
}

static int tok_show(struct cli *c, int argc, char **argv)
{
	struct kyso_err err = { 0 };
	struct cert_query cq = { 0 };
	json_t *certs = json_array(), *follow = json_array(), *history = json_array();
	struct kyso_db *db;
	const char *arg = NULL;
	struct token t;
	char today[11];
	long long id;
	int i, json = 0, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!arg)
			arg = argv[i];
		else
			arg = "";
	}
	token_init(&t);
	if (!arg || !*arg) {
		rc = cli_usage_error(_("usage: kyso token show SERIAL|ID [--json]"));
		goto out;
	}
	if (!(db = cli_db(c))) {
		rc = 1;
		goto out;
	}
	cq.token_id = 0;
	if ((rc = resolve(db, arg, &id, &err)) || (rc = token_get(db, id, &t, &err)))
		goto fail;
	cq.token_id = id;
	if ((rc = cert_list(db, &cq, add_cert_json, certs, &err)) ||
	    (rc = token_follow_ups(db, id, add_follow_up_json, follow, &err)) ||
	    (rc = token_steps(db, id, add_step_json, history, &err)))
		goto fail;
	if (json) {
		json_t *o = token_json(&t);

		json_object_set(o, "certificates", certs);
		json_object_set(o, "follow_ups", follow);
		json_object_set(o, "history", history);
		out_json(o);
	} else {
		db_today(today);
		print_token(&t, today);
		print_lists(certs, follow, history);
	}
	goto out;
fail:
	rc = cli_report(rc, &err, NULL);
out:
	token_free(&t);
	json_decref(certs);
	json_decref(follow);
	json_decref(history);
	return rc;
}

/* Changes --------------------------------------------------------------------------------------- */

/* Each change: the options it takes (beyond --serial and --if-version), whether several
 * tokens may go at once and whether --date must be given. */
static const struct act_cmd {
	const char *name, *action;
	unsigned long long takes;
	int many, date_required;
	const char *usage;
} act_cmds[] = {
	{ "assign", TOKEN_ACT_ASSIGN, BIT(O_TO_NAME) | BIT(O_TO_POSITION) | BIT(O_TO_SUBSCRIBER) |
	  BIT(O_DATE) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token assign --serial S --to-name NAME [--to-position P] [--to-subscriber ID] [--date D]") },
	{ "handover", TOKEN_ACT_HANDOVER, BIT(O_TO_NAME) | BIT(O_TO_POSITION) | BIT(O_DESIGNATION) |
	  BIT(O_DATE) | BIT(O_DESIGNATED_BY) | BIT(O_TO_SUBSCRIBER) | BIT(O_NOTE), 0, 1,
	  N_("usage: kyso token handover --serial S --to-name NAME --to-position P --designation REF --date D [--designated-by NAME] [--to-subscriber ID] [--note T]") },
	{ "lend", TOKEN_ACT_LEND, BIT(O_TO_NAME) | BIT(O_TO_POSITION) | BIT(O_PERMISSION) |
	  BIT(O_PERMITTED_BY) | BIT(O_UNTIL) | BIT(O_DATE) | BIT(O_TO_SUBSCRIBER) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token lend --serial S --to-name NAME [--to-position P] --permission REF --permitted-by NAME --until D [--date D]") },
	{ "loan-end", TOKEN_ACT_LOAN_END, BIT(O_DATE) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token loan-end --serial S [--date D]") },
	{ "lock", TOKEN_ACT_LOCK, BIT(O_DATE) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token lock --serial S [--date D] [--note T]") },
	{ "recover", TOKEN_ACT_RECOVER, BIT(O_DATE) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token recover --serial S [--date D] [--note T]") },
	{ "damage", TOKEN_ACT_DAMAGE, BIT(O_DATE) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token damage --serial S [--date D] [--note T]") },
	{ "find", TOKEN_ACT_FIND, BIT(O_DATE) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token find --serial S [--date D] [--note T]") },
	{ "reuse", TOKEN_ACT_REUSE, BIT(O_DATE) | BIT(O_TO_NAME) | BIT(O_TO_POSITION) |
	  BIT(O_TO_SUBSCRIBER) | BIT(O_NOTE), 0, 0,
	  N_("usage: kyso token reuse --serial S [--date D] [--to-name NAME] [--to-position P] [--to-subscriber ID] [--note T]") },
	{ "lost", TOKEN_ACT_LOSE, BIT(O_DATE) | BIT(O_CIRCUMSTANCES) | BIT(O_PLACE) |
	  BIT(O_DISCOVERED) | BIT(O_CONFIRMED_BY) | BIT(O_REPORT_REF) | BIT(O_NOTE), 0, 1,
	  N_("usage: kyso token lost --serial S --date D --circumstances TEXT [--place P] [--discovered TEXT] [--confirmed-by NAME] [--report-ref REF]") },
	{ "revocation-asked", TOKEN_ACT_REVOCATION_ASKED, BIT(O_REF) | BIT(O_DATE) | BIT(O_NOTE), 0,
	  0, N_("usage: kyso token revocation-asked --serial S --ref DISPATCH [--date D]") },
	{ "return", TOKEN_ACT_RETURN, BIT(O_DATE) | BIT(O_REASON) | BIT(O_RECEIVED_BY) |
	  BIT(O_NOTICE) | BIT(O_NOTE), 1, 1,
	  N_("usage: kyso token return --serial S [--serial S ...] --date D [--reason expired|revoked|departure|damaged|other] [--received-by NAME] [--notice REF]") },
	{ "pin-changed", TOKEN_ACT_PIN, BIT(O_DATE) | BIT(O_DECLARED_BY), 1, 1,
	  N_("usage: kyso token pin-changed --serial S [--serial S ...] --date D [--declared-by NAME]") },
};

/* The subcommand that applies action ("add" for a token's arrival). */
static const char *command_of(const char *action)
{
	size_t i;

	if (!strcmp(action, TOKEN_ACT_RECEIVE))
		return "add";
	for (i = 0; i < sizeof(act_cmds) / sizeof(act_cmds[0]); i++)
		if (!strcmp(act_cmds[i].action, action))
			return act_cmds[i].name;
	return action;
}

/* The change the options describe. */
static int act_of(const struct act_cmd *cmd, const struct given *g, struct token_act *a)
{
	long long who = id_option(g, O_TO_SUBSCRIBER, "--to-subscriber");
	long long version = g->v[O_IF_VERSION] ? cli_number(g->v[O_IF_VERSION]) : 0;

	if (who < 0)
		return 2;
	if (version < 0 || (g->v[O_IF_VERSION] && version == 0))
		return cli_usage_error(_("--if-version takes a version number"));
	*a = (struct token_act){
		.action = cmd->action, .date = g->v[O_DATE], .party_subscriber_id = who,
		.party_name = g->v[O_TO_NAME] ? g->v[O_TO_NAME]
			      : g->v[O_RECEIVED_BY] ? g->v[O_RECEIVED_BY] : g->v[O_DECLARED_BY],
		.party_position = g->v[O_TO_POSITION],
		.ref = g->v[O_DESIGNATION] ? g->v[O_DESIGNATION]
		       : g->v[O_PERMISSION] ? g->v[O_PERMISSION]
		       : g->v[O_REPORT_REF] ? g->v[O_REPORT_REF]
		       : g->v[O_NOTICE] ? g->v[O_NOTICE] : g->v[O_REF],
		.authorised_by = g->v[O_DESIGNATED_BY] ? g->v[O_DESIGNATED_BY]
				 : g->v[O_PERMITTED_BY] ? g->v[O_PERMITTED_BY] : g->v[O_CONFIRMED_BY],
		.until_on = g->v[O_UNTIL], .place = g->v[O_PLACE],
		.circumstances = g->v[O_CIRCUMSTANCES], .discovered = g->v[O_DISCOVERED],
		.reason = g->v[O_REASON], .note = g->v[O_NOTE], .expect_version = (long)version,
		.require_date = cmd->date_required,
		/* Art. 14.4: `token handover` records a handover of the token and its
		 * password, as the officer witnessed it; the password is never asked. */
		.password_handed = !strcmp(cmd->action, TOKEN_ACT_HANDOVER),
	};
	return 0;
}

/* The minutes core's table says action is recorded by, as `kyso minutes` names them
 * ("handover"); NULL when none. */
static const char *minutes_of(const char *action)
{
	size_t n, i;
	const struct token_transition *t = token_transitions(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].action, action) && t[i].document)
			return minutes_word(t[i].document);
	return NULL;
}

/* What the officer does next, after a change that leaves paper or a follow-up. */
static void print_next(const char *action, const struct given *g)
{
	const char *minutes = minutes_of(action);
	size_t i;

	if (minutes) {
		printf("  %s: kyso minutes %s", _("Minutes"), minutes);
		for (i = 0; i < g->nserials; i++)
			printf(" --serial %s", g->serials[i]);
		printf(" -o FILE.docx\n");
	}
	if (!strcmp(action, TOKEN_ACT_HANDOVER))
		printf("%s", _("  The new holder must change the PIN; confirm it with kyso token pin-changed.\n"));
	if (!strcmp(action, TOKEN_ACT_LOSE))
		printf("%s", _("  Ask the department to revoke the certificate at once, then record it with kyso token revocation-asked.\n"));
}

static int tok_act(struct cli *c, const struct act_cmd *cmd, int argc, char **argv)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long ids[SERIALS_MAX];
	struct token_act a;
	struct kyso_db *db;
	struct given g;
	size_t i;
	char shown[11], on[11];
	int rc;

	if ((rc = read_options(argc, argv, cmd->takes | BIT(O_SERIAL) | BIT(O_IF_VERSION),
			       cmd->many, _(cmd->usage), &g)))
		return rc;
	if (!g.nserials)
		return cli_usage_error("%s", _(cmd->usage));
	if (g.nserials > 1 && g.v[O_IF_VERSION])
		return cli_usage_error(_("--if-version is for one token"));
	if ((rc = act_of(cmd, &g, &a)))
		return rc;
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = find_tokens(db, &g, ids)))
		return rc;
	rc = token_apply_many(db, ids, g.nserials, &a, NULL, &problems, &err);
	if (rc) {
		rc = cli_report(rc, &err, &problems);
		kyso_problems_free(&problems);
		return rc;
	}
	if (!a.date || date_parse(a.date, on))
		db_today(on);
	for (i = 0; i < g.nserials; i++) {
		struct token t;

		if (token_get(db, ids[i], &t, &err))
			return cli_report(err.code, &err, NULL);
		printf(_("%s: %s on %s; now %s (version %ld).\n"), t.serial,
		       token_action_label(cmd->action),
		       date_display(on, shown),
		       token_state_label(t.state), t.version);
		token_free(&t);
	}
	print_next(cmd->action, &g);
	return 0;
}

/* correct: the day a step was recorded with (issue 11.1) ------------------------------------- */

static int tok_correct(struct cli *c, int argc, char **argv)
{
	const char *usage = _("usage: kyso token correct --serial S --step N [--date D] [--until D] [--if-version N]");
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct token_correction tc = { 0 };
	struct kyso_db *db;
	struct given g;
	long long id, step, version = 0;
	int rc;

	if ((rc = read_options(argc, argv, BIT(O_SERIAL) | BIT(O_STEP) | BIT(O_DATE) |
			       BIT(O_UNTIL) | BIT(O_IF_VERSION), 0, usage, &g)))
		return rc;
	if (!g.nserials || !g.v[O_STEP] || (!g.v[O_DATE] && !g.v[O_UNTIL]))
		return cli_usage_error("%s", usage);
	if ((step = cli_number(g.v[O_STEP])) <= 0 || step > 1000000)
		return cli_usage_error(_("--step takes the step's number in the token's history (token show)"));
	if (g.v[O_IF_VERSION] && (version = cli_number(g.v[O_IF_VERSION])) <= 0)
		return cli_usage_error(_("--if-version takes a version number"));
	if (!(db = cli_db(c)))
		return 1;
	if ((rc = find_tokens(db, &g, &id)))
		return rc;
	tc = (struct token_correction){ .token_id = id, .step = (int)step, .date = g.v[O_DATE],
					.until = g.v[O_UNTIL], .expect_version = (long)version };
	if ((rc = token_correct(db, &tc, &problems, &err))) {
		rc = cli_report(rc, &err, &problems);
		kyso_problems_free(&problems);
		return rc;
	}
	printf(_("%s: step %lld corrected; the earlier value is kept in its history.\n"),
	       g.serials[0], step);
	return 0;
}

int cli_token(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	size_t i;

	if (!strcmp(sub, "add"))
		return tok_add(c, argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return tok_list(c, argc - 1, argv + 1);
	if (!strcmp(sub, "show"))
		return tok_show(c, argc - 1, argv + 1);
	if (!strcmp(sub, "states"))
		return tok_states(c, argc - 1, argv + 1);
	if (!strcmp(sub, "correct"))
		return tok_correct(c, argc - 1, argv + 1);
	for (i = 0; i < sizeof(act_cmds) / sizeof(act_cmds[0]); i++)
		if (!strcmp(sub, act_cmds[i].name))
			return tok_act(c, &act_cmds[i], argc - 1, argv + 1);
	return cli_usage_error(_("usage: kyso token add|list|show|states|assign|handover|lend|loan-end|lock|recover|damage|find|reuse|lost|revocation-asked|return|pin-changed|correct ..."));
}
