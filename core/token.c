/*
 * token.c - key tokens (DOMAIN.md §4): the transition table, the words for states and
 * actions, the registry (add, get, find), the PIN clock's settings, and the check that
 * keeps passwords and PINs out of every text kyso stores.  token_state.c applies the
 * table's changes; token_list.c reads lists and histories.  Only these three files write
 * the token, token_step and follow_up tables.
 *
 * Never stores, logs or echoes a password or PIN: a text that looks like it holds one is
 * refused, and the message does not repeat it.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/calendar.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/settings.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "token_impl.h"

/* The transition table ------------------------------------------------------------------ */

/* Each row: an action, the state it may start from, the state after, the minutes that
 * record it, the follow-up it opens and those it closes, and the rule (N_: shown in the
 * interface's language; the JSON keeps it as written).  An action allowed from several
 * states has one row per state.  `kyso token states` prints it as it is. */
#define CLOSE_ON_LEAVING FOLLOW_DEPARTURE "," FOLLOW_LOAN "," FOLLOW_RECOVERY "," FOLLOW_NEW_HOLDER_PIN
static const struct token_transition transitions[] = {
	{ TOKEN_ACT_RECEIVE, NULL, TOKEN_IN_USE, NULL, NULL, NULL, N_("Art. 13") },
	{ TOKEN_ACT_ASSIGN, TOKEN_IN_USE, TOKEN_IN_USE, NULL, NULL, NULL, N_("Art. 14.4") },
	/* Art. 14.4: the token and its password go to the successor the head of agency
	 * designated; the new holder then changes the PIN. */
	{ TOKEN_ACT_HANDOVER, TOKEN_IN_USE, TOKEN_IN_USE, DOC_MINUTES_HANDOVER,
	  FOLLOW_NEW_HOLDER_PIN, FOLLOW_DEPARTURE "," FOLLOW_NEW_HOLDER_PIN "," FOLLOW_LOAN,
	  N_("Art. 14.4") },
	{ TOKEN_ACT_HANDOVER, TOKEN_LOCKED, TOKEN_LOCKED, DOC_MINUTES_HANDOVER,
	  FOLLOW_NEW_HOLDER_PIN, FOLLOW_DEPARTURE "," FOLLOW_NEW_HOLDER_PIN "," FOLLOW_LOAN,
	  N_("Art. 14.4") },
	/* Art. 14.3: lent only with written permission, until a day. */
	{ TOKEN_ACT_LEND, TOKEN_IN_USE, TOKEN_IN_USE, NULL, FOLLOW_LOAN, NULL, N_("Art. 14.3") },
	{ TOKEN_ACT_LOAN_END, TOKEN_IN_USE, TOKEN_IN_USE, NULL, NULL, FOLLOW_LOAN, N_("Art. 14.3") },
	/* Art. 6: a token locked by wrong PINs waits for the department's recovery. */
	{ TOKEN_ACT_LOCK, TOKEN_IN_USE, TOKEN_LOCKED, NULL, FOLLOW_RECOVERY, NULL, N_("Art. 6") },
	{ TOKEN_ACT_RECOVER, TOKEN_LOCKED, TOKEN_IN_USE, NULL, NULL, FOLLOW_RECOVERY, N_("Art. 6") },
	/* Art. 13.5: a loss is reported at once, with its minutes and a revocation request. */
	{ TOKEN_ACT_LOSE, TOKEN_IN_USE, TOKEN_LOST, DOC_MINUTES_LOST, FOLLOW_REVOCATION,
	  CLOSE_ON_LEAVING, N_("Art. 13.5") },
	{ TOKEN_ACT_LOSE, TOKEN_LOCKED, TOKEN_LOST, DOC_MINUTES_LOST, FOLLOW_REVOCATION,
	  CLOSE_ON_LEAVING, N_("Art. 13.5") },
	{ TOKEN_ACT_LOSE, TOKEN_DAMAGED, TOKEN_LOST, DOC_MINUTES_LOST, FOLLOW_REVOCATION,
	  CLOSE_ON_LEAVING, N_("Art. 13.5") },
	{ TOKEN_ACT_FIND, TOKEN_LOST, TOKEN_FOUND, NULL, NULL, NULL, N_("Art. 13.5") },
	/* Found before revocation: back in use, with minutes (refused after a revocation). */
	{ TOKEN_ACT_REUSE, TOKEN_FOUND, TOKEN_IN_USE, DOC_MINUTES_HANDOVER, NULL, FOLLOW_REVOCATION,
	  N_("Art. 13.5") },
	{ TOKEN_ACT_REVOCATION_ASKED, TOKEN_LOST, TOKEN_LOST, NULL, NULL, FOLLOW_REVOCATION,
	  N_("Art. 13.5") },
	{ TOKEN_ACT_REVOCATION_ASKED, TOKEN_FOUND, TOKEN_FOUND, NULL, NULL, FOLLOW_REVOCATION,
	  N_("Art. 13.5") },
	{ TOKEN_ACT_DAMAGE, TOKEN_IN_USE, TOKEN_DAMAGED, NULL, NULL, FOLLOW_RECOVERY, N_("Art. 13") },
	{ TOKEN_ACT_DAMAGE, TOKEN_LOCKED, TOKEN_DAMAGED, NULL, NULL, FOLLOW_RECOVERY, N_("Art. 13") },
	/* Art. 5.3.c: handed back to the department (Mẫu 08 / Mẫu 14). */
	{ TOKEN_ACT_RETURN, TOKEN_IN_USE, TOKEN_RETURNED, DOC_MINUTES_RETURN, NULL,
	  CLOSE_ON_LEAVING "," FOLLOW_REVOCATION, N_("Art. 5.3.c") },
	{ TOKEN_ACT_RETURN, TOKEN_LOCKED, TOKEN_RETURNED, DOC_MINUTES_RETURN, NULL,
	  CLOSE_ON_LEAVING "," FOLLOW_REVOCATION, N_("Art. 5.3.c") },
	{ TOKEN_ACT_RETURN, TOKEN_DAMAGED, TOKEN_RETURNED, DOC_MINUTES_RETURN, NULL,
	  CLOSE_ON_LEAVING "," FOLLOW_REVOCATION, N_("Art. 5.3.c") },
	{ TOKEN_ACT_RETURN, TOKEN_FOUND, TOKEN_RETURNED, DOC_MINUTES_RETURN, NULL,
	  CLOSE_ON_LEAVING "," FOLLOW_REVOCATION, N_("Art. 5.3.c") },
	/* Art. 13.3: the PIN changed; the clock starts again. */
	{ TOKEN_ACT_PIN, TOKEN_IN_USE, TOKEN_IN_USE, NULL, NULL, FOLLOW_NEW_HOLDER_PIN, N_("Art. 13.3") },
	{ TOKEN_ACT_PIN, TOKEN_LOCKED, TOKEN_LOCKED, NULL, NULL, FOLLOW_NEW_HOLDER_PIN, N_("Art. 13.3") },
};

const struct token_transition *token_transitions(size_t *n)
{
	*n = sizeof(transitions) / sizeof(transitions[0]);
	return transitions;
}

int token_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == n && !strncmp(p, word, n))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* Words ---------------------------------------------------------------------------------- */

static const struct {
	const char *state, *label;
} states[] = {
	{ TOKEN_IN_USE, N_("In use") },	  { TOKEN_LOCKED, N_("Locked") },
	{ TOKEN_LOST, N_("Lost") },	  { TOKEN_FOUND, N_("Found") },
	{ TOKEN_DAMAGED, N_("Damaged") }, { TOKEN_RETURNED, N_("Returned") },
};

const char *token_state_label(const char *state)
{
	size_t i;

	for (i = 0; state && i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(states[i].state, state))
			return _(states[i].label);
	return state ? state : "";
}

int token_state_known(const char *state)
{
	size_t i;

	for (i = 0; state && i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(states[i].state, state))
			return 1;
	return 0;
}

/* Each action's label (the history's words), the words of "cannot be ...", and its name
 * in "... needs In use". */
static const struct {
	const char *action, *label, *passive, *noun;
} actions[] = {
	{ TOKEN_ACT_RECEIVE, N_("Received"), N_("received"), N_("receipt") },
	{ TOKEN_ACT_ASSIGN, N_("Keeper named"), N_("given a keeper"), N_("naming a keeper") },
	{ TOKEN_ACT_HANDOVER, N_("Handed over"), N_("handed over"), N_("handover") },
	{ TOKEN_ACT_LEND, N_("Lent"), N_("lent"), N_("a loan") },
	{ TOKEN_ACT_LOAN_END, N_("Loan ended"), N_("taken back from a loan"), N_("ending a loan") },
	{ TOKEN_ACT_LOCK, N_("Locked"), N_("locked"), N_("locking") },
	{ TOKEN_ACT_RECOVER, N_("Recovered"), N_("recovered"), N_("recovery") },
	{ TOKEN_ACT_LOSE, N_("Lost"), N_("lost"), N_("a loss") },
	{ TOKEN_ACT_FIND, N_("Found"), N_("found"), N_("finding") },
	{ TOKEN_ACT_REUSE, N_("Back in use"), N_("put back in use"), N_("reuse") },
	{ TOKEN_ACT_DAMAGE, N_("Damaged"), N_("recorded as damaged"), N_("damage") },
	{ TOKEN_ACT_RETURN, N_("Returned"), N_("returned"), N_("a return") },
	{ TOKEN_ACT_PIN, N_("PIN changed"), N_("given a PIN change"), N_("a PIN change") },
	{ TOKEN_ACT_REVOCATION_ASKED, N_("Revocation asked"), N_("asked to be revoked"),
	  N_("a revocation request") },
};

static int action_index(const char *action)
{
	size_t i;

	for (i = 0; action && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].action, action))
			return (int)i;
	return -1;
}

const char *token_action_label(const char *action)
{
	int i = action_index(action);

	return i >= 0 ? _(actions[i].label) : action ? action : "";
}

const char *token_action_passive(const char *action)
{
	int i = action_index(action);

	return i >= 0 ? _(actions[i].passive) : action ? action : "";
}

const char *token_action_noun(const char *action)
{
	int i = action_index(action);

	return i >= 0 ? _(actions[i].noun) : action ? action : "";
}

const char *token_follow_up_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} kinds[] = {
		{ FOLLOW_NEW_HOLDER_PIN, N_("New holder to change the PIN") },
		{ FOLLOW_REVOCATION, N_("Revocation to request") },
		{ FOLLOW_LOAN, N_("Loan to end") },
		{ FOLLOW_RECOVERY, N_("Recovery to request") },
		{ FOLLOW_DEPARTURE, N_("Departed keeper's token to hand over or return") },
	};
	size_t i;

	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, kind))
			return _(kinds[i].label);
	return kind ? kind : "";
}

static const char *const kind_names[] = { "usb", "sim", "remote" };
static const char *const kind_labels[] = { N_("USB token"), N_("SIM PKI"),
					    N_("Centralised signing") };

const char *token_kind_name(enum token_kind k)
{
	return k <= TOKEN_KIND_REMOTE ? kind_names[k] : "?";
}

const char *token_kind_label(enum token_kind k)
{
	return k <= TOKEN_KIND_REMOTE ? _(kind_labels[k]) : "?";
}

int token_kind_parse(const char *text, enum token_kind *k)
{
	size_t i;

	for (i = 0; text && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcasecmp(text, kind_names[i])) {
			*k = (enum token_kind)i;
			return 0;
		}
	return -1;
}

/* Settings ------------------------------------------------------------------------------- */

int token_pin_interval_months(struct kyso_db *db)
{
	return (int)settings_number(db, SETTING_PIN_INTERVAL_MONTHS);
}

int token_pin_warn_days(struct kyso_db *db)
{
	return (int)settings_number(db, SETTING_PIN_WARN_DAYS);
}

void token_pin_due(const char *state, const char *pin_changed_on, const char *received_on,
		   int months, char out[11])
{
	const char *start = pin_changed_on ? pin_changed_on : received_on;

	out[0] = '\0';
	/* Art. 13.3 binds a token someone can sign with: in use, or locked until recovered. */
	if (!state || (strcmp(state, TOKEN_IN_USE) && strcmp(state, TOKEN_LOCKED)) || !start ||
	    calendar_add_months(start, months, out))
		out[0] = '\0';
}

int token_pin_overdue(const char *pin_due_on, const char *today)
{
	return pin_due_on && *pin_due_on && today && strcmp(pin_due_on, today) < 0;
}

/* Reading --------------------------------------------------------------------------------- */

void token_init(struct token *t)
{
	memset(t, 0, sizeof(*t));
}

void token_free(struct token *t)
{
	char **strings[] = {
		&t->serial, &t->model, &t->subscriber_name, &t->unit, &t->state, &t->state_on,
		&t->keeper_name, &t->keeper_position, &t->holder_name, &t->holder_position,
		&t->loan_ref, &t->loan_by, &t->loan_until, &t->received_on, &t->pin_changed_on,
		&t->pin_due_on, &t->note, &t->created_at, &t->updated_at,
	};
	size_t i;

	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		free(*strings[i]);
		*strings[i] = NULL;
	}
}

static void read_token_row(sqlite3_stmt *st, struct token *t, int months)
{
	enum token_kind k = TOKEN_KIND_USB;
	char due[11];
	int c = 0;

	t->id = sqlite3_column_int64(st, c++);
	t->serial = db_column_dup(st, c++);
	token_kind_parse((const char *)sqlite3_column_text(st, c++), &k);
	t->kind = k;
	t->model = db_column_dup(st, c++);
	t->subscriber_id = sqlite3_column_int64(st, c++);
	t->subscriber_name = db_column_dup(st, c++);
	t->unit = db_column_dup(st, c++);
	t->state = db_column_dup(st, c++);
	t->state_on = db_column_dup(st, c++);
	t->keeper_name = db_column_dup(st, c++);
	t->keeper_position = db_column_dup(st, c++);
	t->keeper_subscriber_id = sqlite3_column_int64(st, c++);
	t->holder_name = db_column_dup(st, c++);
	t->holder_position = db_column_dup(st, c++);
	t->holder_subscriber_id = sqlite3_column_int64(st, c++);
	t->loan_ref = db_column_dup(st, c++);
	t->loan_by = db_column_dup(st, c++);
	t->loan_until = db_column_dup(st, c++);
	t->received_on = db_column_dup(st, c++);
	t->pin_changed_on = db_column_dup(st, c++);
	t->pin_pending = sqlite3_column_int(st, c++);
	t->note = db_column_dup(st, c++);
	t->version = (long)sqlite3_column_int64(st, c++);
	t->created_at = db_column_dup(st, c++);
	t->updated_at = db_column_dup(st, c++);
	token_pin_due(t->state, t->pin_changed_on, t->received_on, months, due);
	t->pin_due_on = due[0] ? strdup(due) : NULL;
}

int token_get(struct kyso_db *db, long long id, struct token *out, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	token_init(out);
	if (db_cached(db, "SELECT " TOKEN_COLUMNS TOKEN_FROM " WHERE t.id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_token_row(st, out, token_pin_interval_months(db));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no token #%lld"), id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading a token"));
	return 0;
}

char *token_serial_key(const char *serial)
{
	char *key, *w;
	const char *p;

	if (!serial || !(key = malloc(strlen(serial) + 1)))
		return NULL;
	for (p = serial, w = key; *p; p++)
		if (*p != ' ' && *p != '-' && *p != '\t')
			*w++ = (char)toupper((unsigned char)*p);
	*w = '\0';
	if (!*key) {
		free(key);
		return NULL;
	}
	return key;
}

/* The token whose serial has key; *id 0 when there is none. */
static int find_by_key(struct kyso_db *db, const char *key, long long *id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (db_cached(db, "SELECT id FROM token WHERE serial_key = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("finding a token"));
}

int token_find(struct kyso_db *db, const char *serial, long long *id, struct kyso_err *err)
{
	char *clean = text_clean(serial ? serial : ""), *key = token_serial_key(clean);
	int rc;

	*id = 0;
	if (!key) {
		rc = kyso_fail(err, KYSO_ENOTFOUND, _("no token has the serial \"%s\""),
			       clean ? clean : "");
		goto out;
	}
	if ((rc = find_by_key(db, key, id, err)))
		goto out;
	if (!*id)
		rc = kyso_fail(err, KYSO_ENOTFOUND, _("no token has the serial \"%s\""), clean);
out:
	free(clean);
	free(key);
	return rc;
}

/* Recording ------------------------------------------------------------------------------- */

void token_json_set(json_t *o, ...)
{
	const char *name, *value;
	va_list ap;

	va_start(ap, o);
	while ((name = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		if (value)
			json_object_set_new(o, name, json_string(value));
	}
	va_end(ap);
}

int token_record_tx(struct kyso_db *db, const char *action, long long token_id,
		    long long subscriber_id, const char *on_date, json_t *body,
		    struct kyso_err *err)
{
	char kind[64], subject[32];
	struct event_new ev = { .kind = kind, .subscriber_id = subscriber_id,
				.token_id = token_id, .on_date = on_date };

	snprintf(kind, sizeof(kind), EVENT_TOKEN_PREFIX "%s", action);
	snprintf(subject, sizeof(subject), "token:%lld", token_id);
	return event_record_audited(db, ev, kind, subject, body, err);
}

/* Adding ------------------------------------------------------------------------------------ */

/* A subscriber as a token needs it. */
struct owner {
	int found;
	char kind[16], status[16];
	char *name, *position;
};

static void owner_free(struct owner *o)
{
	free(o->name);
	free(o->position);
	memset(o, 0, sizeof(*o));
}

static int owner_read(struct kyso_db *db, long long id, struct owner *o, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(o, 0, sizeof(*o));
	if (id <= 0)
		return 0;
	if (db_cached(db, "SELECT kind, status, name, position FROM subscriber WHERE id = ?", &st,
		      err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->found = 1;
		snprintf(o->kind, sizeof(o->kind), "%s", sqlite3_column_text(st, 0));
		snprintf(o->status, sizeof(o->status), "%s", sqlite3_column_text(st, 1));
		o->name = db_column_dup(st, 2);
		o->position = db_column_dup(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading a subscriber"));
}

/* Checks that subscriber id is on the roster and active; the problem under column. */
static int check_owner(struct kyso_db *db, long long id, const char *column, struct owner *o,
		       struct kyso_problems *p, struct kyso_err *err)
{
	int rc = owner_read(db, id, o, err);

	if (rc)
		return rc;
	if (!o->found)
		kyso_problems_add(p, 0, column, _("there is no subscriber #%lld"), id);
	else if (subscriber_departed(o->status))
		kyso_problems_add(p, 0, column, _("subscriber #%lld (%s) has departed"), id, o->name);
	return 0;
}

int token_check_date(const char *column, const char *value, const char *fallback,
		     char iso[11], struct kyso_problems *p)
{
	char today[11], shown[11];

	db_today(today);
	if (text_is_blank(value)) {
		snprintf(iso, 11, "%s", fallback ? fallback : "");
		if (!fallback)
			kyso_problems_add(p, 0, column, "%s", _("is required"));
		return fallback ? 0 : -1;
	}
	if (date_parse(value, iso)) {
		kyso_problems_add(p, 0, column, _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				  value);
		iso[0] = '\0';
		return -1;
	}
	if (strcmp(iso, today) > 0) {
		kyso_problems_add(p, 0, column, _("%s is in the future"), date_display(iso, shown));
		return -1;
	}
	return 0;
}

/* The fields of a new token, cleaned (NFC, white space); NULL when blank. */
struct added {
	char *serial, *key, *model, *keeper_name, *keeper_position, *note;
	char received_on[11], pin_changed_on[11];
	long long keeper_subscriber_id;
};

static void added_free(struct added *a)
{
	free(a->serial);
	free(a->key);
	free(a->model);
	free(a->keeper_name);
	free(a->keeper_position);
	free(a->note);
}

char *token_clean(const char *s)
{
	char *c;

	if (text_is_blank(s))
		return NULL;
	c = text_clean(s);
	if (!c)
		return strdup(s); /* invalid UTF-8: check_text says so */
	if (!*c) {
		free(c);
		return NULL;
	}
	return c;
}

/* The keeper of a new token: the one named, else the subscriber itself for a person. */
static int choose_keeper(struct kyso_db *db, const struct token_new *t, const struct owner *sub,
			 struct added *a, struct kyso_problems *p, struct kyso_err *err)
{
	struct owner keeper;
	int rc;

	a->keeper_subscriber_id = t->keeper_subscriber_id;
	if (t->keeper_subscriber_id > 0) {
		if ((rc = check_owner(db, t->keeper_subscriber_id, _("Keeper"), &keeper, p, err)))
			return rc;
		if (!a->keeper_name && keeper.name)
			a->keeper_name = strdup(keeper.name);
		if (!a->keeper_position && keeper.position)
			a->keeper_position = strdup(keeper.position);
		owner_free(&keeper);
	} else if (!a->keeper_name && sub->found &&
		   subscriber_kind_of_name(sub->kind) == KIND_PERSON) {
		a->keeper_subscriber_id = t->subscriber_id;
		a->keeper_name = sub->name ? strdup(sub->name) : NULL;
		a->keeper_position = sub->position ? strdup(sub->position) : NULL;
	} else if (!a->keeper_name && sub->found) {
		kyso_problems_add(p, 0, _("Keeper"), "%s",
				  _("an organisation's or a device's token needs its keeper named (the clerk, or who runs the system)"));
	}
	return 0;
}

static int check_new(struct kyso_db *db, const struct token_new *t, struct added *a,
		     struct kyso_problems *p, struct kyso_err *err)
{
	struct owner sub = { 0 };
	long long other;
	char today[11];
	int rc;

	db_today(today);
	a->serial = token_clean(t->serial);
	a->model = token_clean(t->model);
	a->keeper_name = token_clean(t->keeper_name);
	a->keeper_position = token_clean(t->keeper_position);
	a->note = token_clean(t->note);
	if (!a->serial || !(a->key = token_serial_key(a->serial)))
		kyso_problems_add(p, 0, _("Serial"), "%s", _("is required"));
	else if (check_text(p, 0, _("Serial"), a->serial, TOKEN_SERIAL_MAX))
		;
	else if ((rc = find_by_key(db, a->key, &other, err)))
		return rc;
	else if (other)
		kyso_problems_add(p, 0, _("Serial"), _("\"%s\" is recorded already (token #%lld)"),
				  a->serial, other);
	if ((unsigned)t->kind > TOKEN_KIND_REMOTE)
		kyso_problems_add(p, 0, _("Kind"), "%s", _("must be usb, sim or remote"));
	if (t->subscriber_id <= 0)
		kyso_problems_add(p, 0, _("Subscriber"), "%s", _("is required"));
	else if ((rc = check_owner(db, t->subscriber_id, _("Subscriber"), &sub, p, err)) ||
		 (rc = choose_keeper(db, t, &sub, a, p, err))) {
		owner_free(&sub);
		return rc;
	}
	owner_free(&sub);
	check_text(p, 0, _("Model"), a->model, CHECK_TEXT_MAX);
	check_text(p, 0, _("Keeper"), a->keeper_name, CHECK_TEXT_MAX);
	check_text(p, 0, _("Keeper's position"), a->keeper_position, CHECK_TEXT_MAX);
	check_text(p, 0, _("Note"), a->note, CHECK_TEXT_MAX);
	token_check_date(_("Received on"), t->received_on, today, a->received_on, p);
	token_check_date(_("PIN changed on"), t->pin_changed_on, "", a->pin_changed_on, p);
	return 0;
}

char *token_people_fold(const char *keeper, const char *holder)
{
	char both[1024];

	if (!keeper && !holder)
		return NULL;
	snprintf(both, sizeof(both), "%s %s", keeper ? keeper : "",
		 holder && (!keeper || strcmp(holder, keeper)) ? holder : "");
	return text_fold(both);
}

static int insert_token(struct kyso_db *db, const struct token_new *t, const struct added *a,
			long long *id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21], *people = token_people_fold(a->keeper_name, NULL);
	int rc;

	if (db_cached(db, "INSERT INTO token(serial, serial_key, kind, model, subscriber_id, "
			  "state, state_on, keeper_name, keeper_position, keeper_subscriber_id, "
			  "holder_name, holder_position, holder_subscriber_id, received_on, "
			  "pin_changed_on, people_fold, note, created_at, updated_at, "
			  "received_given) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, 'in_use', ?6, ?7, ?8, ?9, ?7, ?8, ?9, ?6, "
			  "?10, ?11, ?12, ?13, ?13, ?14)", &st, err)) {
		free(people);
		return KYSO_EIO;
	}
	db_now(now);
	sqlite3_bind_text(st, 1, a->serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, token_kind_name(t->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->model, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, t->subscriber_id);
	sqlite3_bind_text(st, 6, a->received_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, a->keeper_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, a->keeper_position, -1, SQLITE_STATIC);
	if (a->keeper_subscriber_id > 0)
		sqlite3_bind_int64(st, 9, a->keeper_subscriber_id);
	sqlite3_bind_text(st, 10, a->pin_changed_on[0] ? a->pin_changed_on : NULL, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 11, people, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, a->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
	/* The reports of periods before kyso was set up say how many tokens they counted
	 * from the day they were recorded (issue 11.6). */
	sqlite3_bind_int(st, 14, !text_is_blank(t->received_on));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	free(people);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("adding a token"));
	*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

int token_add(struct kyso_db *db, const struct token_new *t, long long *id,
	      struct kyso_problems *problems, struct kyso_err *err)
{
	struct added a = { 0 };
	struct token_step step = { 0 };
	long long new_id = 0, step_id;
	size_t before = kyso_problems_found(problems);
	json_t *body = NULL;
	int rc;

	if (id)
		*id = 0;
	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = check_new(db, t, &a, problems, err)))
		goto fail;
	if (kyso_problems_found(problems) > before) {
		rc = kyso_fail(err, KYSO_EINVAL, "%s", _("the token was not added"));
		goto fail;
	}
	if ((rc = insert_token(db, t, &a, &new_id, err)))
		goto fail;
	step = (struct token_step){ .token_id = new_id, .on_date = a.received_on,
				    .action = TOKEN_ACT_RECEIVE, .to_state = TOKEN_IN_USE,
				    .keeper_name = a.keeper_name,
				    .keeper_position = a.keeper_position,
				    .holder_name = a.keeper_name,
				    .holder_position = a.keeper_position,
				    .password_handed = -1, .note = a.note };
	if ((rc = token_step_insert_tx(db, &step, &step_id, err)))
		goto fail;
	body = token_step_json(&step, a.serial);
	json_object_set_new(body, "kind", json_string(token_kind_name(t->kind)));
	json_object_set_new(body, "subscriber_id", json_integer(t->subscriber_id));
	token_json_set(body, "model", a.model, "pin_changed_on",
		       a.pin_changed_on[0] ? a.pin_changed_on : NULL, NULL);
	if ((rc = token_record_tx(db, TOKEN_ACT_RECEIVE, new_id, t->subscriber_id, a.received_on,
				  body, err)))
		goto fail;
	if ((rc = db_commit(db, err)))
		goto out;
	if (id)
		*id = new_id;
	goto out;
fail:
	db_rollback(db);
out:
	json_decref(body);
	added_free(&a);
	return rc;
}

int token_people_renamed_tx(struct kyso_db *db, long long subscriber_id, struct kyso_err *err)
{
	sqlite3_stmt *sel, *upd;
	int rc;

	if (db_cached(db, "SELECT t.id, " TOKEN_KEEPER_NAME ", " TOKEN_KEEPER_POSITION ", "
			  TOKEN_HOLDER_NAME ", " TOKEN_HOLDER_POSITION " FROM token t"
			  TOKEN_PEOPLE_JOIN " WHERE t.keeper_subscriber_id = ?1"
			  " UNION SELECT t.id, " TOKEN_KEEPER_NAME ", " TOKEN_KEEPER_POSITION ", "
			  TOKEN_HOLDER_NAME ", " TOKEN_HOLDER_POSITION " FROM token t"
			  TOKEN_PEOPLE_JOIN " WHERE t.holder_subscriber_id = ?1", &sel, err))
		return KYSO_EIO;
	if (db_cached(db, "UPDATE token SET keeper_name = ?2, keeper_position = ?3, "
			  "holder_name = ?4, holder_position = ?5, people_fold = ?6 WHERE id = ?1",
			  &upd, err)) {
		sqlite3_reset(sel);
		return KYSO_EIO;
	}
	sqlite3_bind_int64(sel, 1, subscriber_id);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *keeper = (const char *)sqlite3_column_text(sel, 1);
		const char *holder = (const char *)sqlite3_column_text(sel, 3);
		char *people = token_people_fold(keeper, holder);
		int i;

		sqlite3_reset(upd);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		for (i = 1; i <= 4; i++)
			sqlite3_bind_text(upd, i + 1, (const char *)sqlite3_column_text(sel, i), -1,
					  SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 6, people, -1, SQLITE_TRANSIENT);
		free(people);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_reset(sel);
	sqlite3_reset(upd);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("saving a subscriber"));
}
