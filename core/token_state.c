/*
 * token_state.c - a token's changes, as the transition table (token.c) allows them: the
 * checks every change passes, its step, the token's new state and custody, the follow-ups
 * it opens and closes, its event and audit row.  Also the PIN confirmations (Art. 13.3),
 * a departure's follow-ups (Art. 14.4) and what certificates tell a token.
 *
 * A refused change writes nothing; every problem is listed at once.  Passwords are never
 * taken: a handover records that the password went with the token (password_handed = 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/agency.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/text.h"
#include "token_impl.h"

/* The fields of each action and what a person calls them there (token.h). */
static const struct token_act_fields act_fields[] = {
#define PARTY TOKEN_FIELD_PARTY
#define REF TOKEN_FIELD_REF
#define AUTH TOKEN_FIELD_AUTH
	{ TOKEN_ACT_ASSIGN, PARTY, PARTY, N_("Keeper"), NULL, NULL },
	{ TOKEN_ACT_HANDOVER, PARTY | REF | AUTH | TOKEN_FIELD_PASSWORD,
	  PARTY | TOKEN_FIELD_POSITION | REF | TOKEN_FIELD_PASSWORD, N_("Successor"),
	  N_("Designation"), N_("Designated by") },
	{ TOKEN_ACT_LEND, PARTY | REF | AUTH | TOKEN_FIELD_UNTIL,
	  PARTY | REF | AUTH | TOKEN_FIELD_UNTIL, N_("Borrower"), N_("Permission"),
	  N_("Permitted by") },
	{ TOKEN_ACT_LOSE, TOKEN_FIELD_PLACE | TOKEN_FIELD_CIRC | TOKEN_FIELD_DISC | AUTH | REF,
	  TOKEN_FIELD_CIRC, NULL, N_("Report to the department"), N_("Confirmed by") },
	{ TOKEN_ACT_RETURN, PARTY | TOKEN_FIELD_REASON | REF, 0, N_("Received by"),
	  N_("Revocation notice"), NULL },
	{ TOKEN_ACT_REVOCATION_ASKED, REF, REF, NULL, N_("Revocation request"), NULL },
	{ TOKEN_ACT_REUSE, PARTY, 0, N_("Keeper"), NULL, NULL },
	{ TOKEN_ACT_PIN, PARTY, 0, N_("Declared by"), NULL, NULL },
#undef PARTY
#undef REF
#undef AUTH
};

const struct token_act_fields *token_act_fields(const char *action)
{
	static const struct token_act_fields none = { NULL, 0, 0, NULL, NULL, NULL };
	size_t i;

	for (i = 0; action && i < sizeof(act_fields) / sizeof(act_fields[0]); i++)
		if (!strcmp(act_fields[i].action, action))
			return &act_fields[i];
	return &none;
}

/* Return reasons (token_act.reason for a return), and a person's words for them. */
const char *const token_return_reasons[TOKEN_RETURN_REASONS] = {
	"expired", "revoked", "departure", "damaged", "other",
};
const char *const token_return_reason_labels[TOKEN_RETURN_REASONS] = {
	N_("Certificate expired"), N_("Certificate revoked"), N_("The holder departed"),
	N_("Damaged"), N_("Other"),
};

/* The transition ------------------------------------------------------------------------- */

void token_states_needed(const char *action, char *out, size_t outsz)
{
	const struct token_transition *t;
	const char *names[8];
	size_t n, i, k = 0, len = 0;

	t = token_transitions(&n);
	for (i = 0; i < n && k < 8; i++)
		if (!strcmp(t[i].action, action) && t[i].from)
			names[k++] = token_state_label(t[i].from);
	out[0] = '\0';
	for (i = 0; i < k && len < outsz; i++) {
		const char *sep = i == 0 ? "" : i + 1 == k ? _(" or ") : ", ";

		len += (size_t)snprintf(out + len, outsz - len, "%s%s", sep, names[i]);
	}
}

/* The row of action from state, or NULL with the problem saying why not. */
static const struct token_transition *transition_of(const char *action, const char *state,
						    struct kyso_problems *p)
{
	const struct token_transition *t;
	char needs[256];
	size_t n, i;
	int known = 0;

	t = token_transitions(&n);
	for (i = 0; i < n; i++) {
		if (strcmp(t[i].action, action))
			continue;
		known = 1;
		if (t[i].from && !strcmp(t[i].from, state))
			return &t[i];
	}
	if (!known || !strcmp(action, TOKEN_ACT_RECEIVE)) {
		kyso_problems_add(p, 0, _("Action"), _("\"%s\" is not a change kyso can record on a token"),
				  action);
		return NULL;
	}
	token_states_needed(action, needs, sizeof(needs));
	kyso_problems_add(p, 0, _("State"), _("a token in state %s cannot be %s; %s needs %s"),
			  token_state_label(state), token_action_passive(action),
			  token_action_noun(action), needs);
	return NULL;
}

/* The change, cleaned ---------------------------------------------------------------------- */

struct change {
	char *party_name, *party_position, *ref, *authorised_by, *place, *circumstances,
		*discovered, *reason, *note;
	long long party_subscriber_id;
	char date[11], until_on[11];
};

static void change_free(struct change *c)
{
	char **s[] = { &c->party_name, &c->party_position, &c->ref, &c->authorised_by,
		       &c->place, &c->circumstances, &c->discovered, &c->reason, &c->note };
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
}

/* Only what the action takes is kept. */
static void change_read(const struct token_act *a, const struct token_act_fields *f,
			struct change *c)
{
	memset(c, 0, sizeof(*c));
	if (f->takes & TOKEN_FIELD_PARTY) {
		c->party_name = token_clean(a->party_name);
		c->party_position = token_clean(a->party_position);
		c->party_subscriber_id = a->party_subscriber_id;
	}
	if (f->takes & TOKEN_FIELD_REF)
		c->ref = token_clean(a->ref);
	if (f->takes & TOKEN_FIELD_AUTH)
		c->authorised_by = token_clean(a->authorised_by);
	if (f->takes & TOKEN_FIELD_PLACE)
		c->place = token_clean(a->place);
	if (f->takes & TOKEN_FIELD_CIRC)
		c->circumstances = token_clean(a->circumstances);
	if (f->takes & TOKEN_FIELD_DISC)
		c->discovered = token_clean(a->discovered);
	if (f->takes & TOKEN_FIELD_REASON)
		c->reason = token_clean(a->reason);
	c->note = token_clean(a->note);
}

/* Fills the party's name and position from the roster when a subscriber is named. */
static int party_from_roster(struct kyso_db *db, const struct token_act_fields *f, struct change *c,
			     struct kyso_problems *p, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (c->party_subscriber_id <= 0)
		return 0;
	if (db_cached(db, "SELECT name, position FROM subscriber WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, c->party_subscriber_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (!c->party_name)
			c->party_name = db_column_dup(st, 0);
		if (!c->party_position)
			c->party_position = db_column_dup(st, 1);
	} else if (rc == SQLITE_DONE) {
		kyso_problems_add(p, 0, _(f->party), _("there is no subscriber #%lld"),
				  c->party_subscriber_id);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading a subscriber"));
}

/* One text value of the token's store: a query with the token's id as ?1 and maybe a text
 * as ?2.  out "" when there is none. */
static int token_value(struct kyso_db *db, const char *sql, long long id, const char *arg,
		       char *out, size_t outsz, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	out[0] = '\0';
	if (db_cached(db, sql, &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	if (arg)
		sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, outsz, "%s", sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading a token"));
}

#define SQL_LAST_STEP_ON "SELECT max(on_date) FROM token_step WHERE token_id = ?1"
#define SQL_LAST_ACTION_ON \
	"SELECT max(on_date) FROM token_step WHERE token_id = ?1 AND action = ?2"

/* The date: real, not in the future, not before the token's state began nor, for a
 * change of custody, before its last step (the history stays in order).  A PIN change
 * may be declared for a day before steps that did not concern it, but not before the
 * last confirmed change nor, for a new holder, before the handover. */
static int check_when(struct kyso_db *db, const struct token *t, const struct token_act *a,
		      struct change *c, struct kyso_problems *p, struct kyso_err *err)
{
	char today[11], floor[11] = "", shown[11];
	int rc;

	db_today(today);
	if (token_check_date(_("Date"), a->date, a->require_date ? NULL : today, c->date, p))
		return 0;
	if (strcmp(c->date, t->state_on) < 0) {
		kyso_problems_add(p, 0, _("Date"), _("is before the token became %s (%s)"),
				  token_state_label(t->state), date_display(t->state_on, shown));
		return 0;
	}
	if (strcmp(a->action, TOKEN_ACT_PIN)) {
		if ((rc = token_value(db, SQL_LAST_STEP_ON, t->id, NULL, floor, sizeof(floor), err)))
			return rc;
		if (floor[0] && strcmp(c->date, floor) < 0)
			kyso_problems_add(p, 0, _("Date"),
					  _("is before the token's last recorded change (%s)"),
					  date_display(floor, shown));
	} else if (t->pin_changed_on && strcmp(c->date, t->pin_changed_on) < 0) {
		kyso_problems_add(p, 0, _("Date"), _("is before the last PIN change recorded (%s)"),
				  date_display(t->pin_changed_on, shown));
	} else if (t->pin_pending) {
		if ((rc = token_value(db, SQL_LAST_ACTION_ON, t->id, TOKEN_ACT_HANDOVER, floor,
				      sizeof(floor), err)))
			return rc;
		if (floor[0] && strcmp(c->date, floor) < 0)
			kyso_problems_add(p, 0, _("Date"),
					  _("is before the handover to the new holder (%s)"),
					  date_display(floor, shown));
	}
	return 0;
}

static int same_person(const char *name, long long id, const char *other, long long other_id)
{
	char *a, *b;
	int same;

	if (id > 0 && other_id > 0)
		return id == other_id;
	if (!name || !other)
		return 0;
	a = text_fold(name);
	b = text_fold(other);
	same = a && b && !strcmp(a, b);
	free(a);
	free(b);
	return same;
}

/* Art. 13.5: a token found after its certificate was revoked goes back; it is not used. */
static int check_not_revoked(struct kyso_db *db, const struct token *t, struct kyso_problems *p,
			     struct kyso_err *err)
{
	char lost_on[11], revoked[64];
	int rc;

	if ((rc = token_value(db, SQL_LAST_ACTION_ON, t->id, TOKEN_ACT_LOSE, lost_on,
			      sizeof(lost_on), err)))
		return rc;
	if ((rc = token_value(db, "SELECT serial || ' ' || revoked_on FROM certificate "
				  "WHERE token_id = ?1 AND status = 'revoked' AND revoked_on >= ?2 "
				  "ORDER BY revoked_on LIMIT 1", t->id, lost_on, revoked,
			      sizeof(revoked), err)))
		return rc;
	if (revoked[0]) {
		char shown[11], *space = strchr(revoked, ' ');

		*space = '\0';
		kyso_problems_add(p, 0, _("State"),
				  _("found after revocation: hand it back (certificate %s was revoked on %s)"),
				  revoked, date_display(space + 1, shown));
	}
	return 0;
}

static void need(const char *label, const char *value, struct kyso_problems *p)
{
	if (!value)
		kyso_problems_add(p, 0, label, "%s", _("is required"));
}

/* What the action needs and the custody it may change. */
static int check_fields(struct kyso_db *db, const struct token *t, const struct token_act *a,
			const struct token_act_fields *f, struct change *c, struct kyso_problems *p,
			struct kyso_err *err)
{
	char shown[11];
	size_t i;
	int rc, lent = t->loan_until != NULL;

	if ((rc = party_from_roster(db, f, c, p, err)))
		return rc;
	if (f->needs & TOKEN_FIELD_PARTY)
		need(_(f->party), c->party_name, p);
	if (f->needs & TOKEN_FIELD_POSITION)
		need(_("Position"), c->party_position, p);
	if (f->needs & TOKEN_FIELD_REF)
		need(_(f->ref), c->ref, p);
	if (f->needs & TOKEN_FIELD_AUTH)
		need(_(f->auth), c->authorised_by, p);
	if (f->needs & TOKEN_FIELD_CIRC)
		need(_("Circumstances"), c->circumstances, p);
	/* Art. 14.4: the token goes with its password.  Only that it went is recorded. */
	if ((f->needs & TOKEN_FIELD_PASSWORD) && a->password_handed != 1)
		kyso_problems_add(p, 0, _("Password handed over"), "%s",
				  _("confirm that the password was handed over with the token"));
	if (f->needs & TOKEN_FIELD_UNTIL) {
		if (text_is_blank(a->until_on))
			need(_("Until"), NULL, p);
		else if (date_parse(a->until_on, c->until_on))
			kyso_problems_add(p, 0, _("Until"), _("\"%s\" is not a real date (write YYYY-MM-DD)"),
					  a->until_on);
		else if (c->date[0] && strcmp(c->until_on, c->date) < 0)
			kyso_problems_add(p, 0, _("Until"), _("%s is before the loan begins"),
					  date_display(c->until_on, shown));
	}
	if (c->reason && !strcmp(a->action, TOKEN_ACT_RETURN)) {
		for (i = 0; i < TOKEN_RETURN_REASONS; i++)
			if (!strcmp(c->reason, token_return_reasons[i]))
				break;
		if (i == TOKEN_RETURN_REASONS)
			kyso_problems_add(p, 0, _("Reason"), "%s",
					  _("must be expired, revoked, departure, damaged or other"));
	}
	/* Art. 14.3: one loan at a time, to someone other than the keeper. */
	if (!strcmp(a->action, TOKEN_ACT_LEND) && lent)
		kyso_problems_add(p, 0, _("State"), _("the token is lent already, to %s until %s"),
				  t->holder_name ? t->holder_name : "?",
				  date_display(t->loan_until, shown));
	else if (!strcmp(a->action, TOKEN_ACT_LEND) &&
		 same_person(c->party_name, c->party_subscriber_id, t->keeper_name,
			     t->keeper_subscriber_id))
		kyso_problems_add(p, 0, _(f->party), _("%s keeps the token: a loan is to someone else"),
				  c->party_name);
	if (!strcmp(a->action, TOKEN_ACT_LOAN_END) && !lent)
		kyso_problems_add(p, 0, _("State"), "%s", _("the token is not lent"));
	if ((!strcmp(a->action, TOKEN_ACT_HANDOVER) || !strcmp(a->action, TOKEN_ACT_ASSIGN)) &&
	    same_person(c->party_name, c->party_subscriber_id, t->keeper_name,
			t->keeper_subscriber_id))
		kyso_problems_add(p, 0, _(f->party), _("%s keeps the token already"), c->party_name);
	if (!strcmp(a->action, TOKEN_ACT_ASSIGN) && lent)
		kyso_problems_add(p, 0, _("State"), "%s",
				  _("the token is lent: end the loan before naming another keeper"));
	if (!strcmp(a->action, TOKEN_ACT_REUSE) && (rc = check_not_revoked(db, t, p, err)))
		return rc;
	return 0;
}

static void check_texts(const struct token_act_fields *f, const struct change *c,
			struct kyso_problems *p)
{
	check_text(p, 0, f->party ? _(f->party) : _("Name"), c->party_name, CHECK_TEXT_MAX);
	check_text(p, 0, _("Position"), c->party_position, CHECK_TEXT_MAX);
	check_text(p, 0, f->ref ? _(f->ref) : _("Reference"), c->ref, CHECK_TEXT_MAX);
	check_text(p, 0, f->auth ? _(f->auth) : _("Authorised by"), c->authorised_by, CHECK_TEXT_MAX);
	check_text(p, 0, _("Place"), c->place, CHECK_TEXT_MAX);
	check_text(p, 0, _("Circumstances"), c->circumstances, CHECK_TEXT_MAX);
	check_text(p, 0, _("How it was found missing"), c->discovered, CHECK_TEXT_MAX);
	check_text(p, 0, _("Reason"), c->reason, CHECK_TEXT_MAX);
	check_text(p, 0, _("Note"), c->note, CHECK_TEXT_MAX);
}

/* Custody after the change ------------------------------------------------------------------ */

struct custody {
	const char *keeper_name, *keeper_position, *holder_name, *holder_position;
	long long keeper_id, holder_id;
	const char *loan_ref, *loan_by, *loan_until;
	const char *pin_changed_on;
	int pin_pending;
};

static void custody_after(const struct token *t, const struct token_act *a,
			  const struct token_transition *tr, const struct change *c,
			  struct custody *k)
{
	*k = (struct custody){ t->keeper_name, t->keeper_position, t->holder_name,
			       t->holder_position, t->keeper_subscriber_id,
			       t->holder_subscriber_id, t->loan_ref, t->loan_by, t->loan_until,
			       t->pin_changed_on, t->pin_pending };
	/* The loan ends with a change that closes it (its end, a handover, a loss, a return). */
	if (token_list_has(tr->closes, FOLLOW_LOAN)) {
		k->holder_name = k->keeper_name;
		k->holder_position = k->keeper_position;
		k->holder_id = k->keeper_id;
		k->loan_ref = k->loan_by = k->loan_until = NULL;
	}
	if (c->party_name && (!strcmp(a->action, TOKEN_ACT_ASSIGN) ||
			      !strcmp(a->action, TOKEN_ACT_HANDOVER) ||
			      !strcmp(a->action, TOKEN_ACT_REUSE))) {
		k->keeper_name = k->holder_name = c->party_name;
		k->keeper_position = k->holder_position = c->party_position;
		k->keeper_id = k->holder_id = c->party_subscriber_id;
	}
	if (!strcmp(a->action, TOKEN_ACT_LEND)) {
		k->holder_name = c->party_name;
		k->holder_position = c->party_position;
		k->holder_id = c->party_subscriber_id;
		k->loan_ref = c->ref;
		k->loan_by = c->authorised_by;
		k->loan_until = c->until_on;
	}
	/* Art. 14.4: the new holder's PIN change is pending until confirmed; a handover does
	 * not restart the clock, the confirmation does. */
	if (token_list_has(tr->closes, FOLLOW_NEW_HOLDER_PIN))
		k->pin_pending = 0;
	if (tr->opens && !strcmp(tr->opens, FOLLOW_NEW_HOLDER_PIN))
		k->pin_pending = 1;
	if (!strcmp(a->action, TOKEN_ACT_PIN))
		k->pin_changed_on = c->date;
}

static int update_token(struct kyso_db *db, const struct token *t,
			const struct token_transition *tr, const struct change *c,
			const struct custody *k, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21], *people = token_people_fold(k->keeper_name, k->holder_name);
	int rc;

	if (db_cached(db, "UPDATE token SET state = ?1, state_on = ?2, keeper_name = ?3, "
			  "keeper_position = ?4, keeper_subscriber_id = ?5, holder_name = ?6, "
			  "holder_position = ?7, holder_subscriber_id = ?8, loan_ref = ?9, "
			  "loan_by = ?10, loan_until = ?11, pin_changed_on = ?12, pin_pending = ?13, "
			  "people_fold = ?14, updated_at = ?15, version = version + 1 "
			  "WHERE id = ?16 AND version = ?17", &st, err)) {
		free(people);
		return KYSO_EIO;
	}
	db_now(now);
	sqlite3_bind_text(st, 1, tr->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, strcmp(tr->to, t->state) ? c->date : t->state_on, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 3, k->keeper_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, k->keeper_position, -1, SQLITE_STATIC);
	if (k->keeper_id > 0)
		sqlite3_bind_int64(st, 5, k->keeper_id);
	sqlite3_bind_text(st, 6, k->holder_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, k->holder_position, -1, SQLITE_STATIC);
	if (k->holder_id > 0)
		sqlite3_bind_int64(st, 8, k->holder_id);
	sqlite3_bind_text(st, 9, k->loan_ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, k->loan_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, k->loan_until, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, k->pin_changed_on, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 13, k->pin_pending);
	sqlite3_bind_text(st, 14, people, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 16, t->id);
	sqlite3_bind_int64(st, 17, t->version);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	free(people);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving a token"));
	if (sqlite3_changes(db->sql) != 1)
		return kyso_fail(err, KYSO_ECONFLICT,
				 _("token %s was changed by someone else meanwhile; nothing was saved"),
				 t->serial);
	return 0;
}

/* Follow-ups ---------------------------------------------------------------------------------- */

static int open_follow_up(struct kyso_db *db, const char *kind, long long token_id,
			  long long subscriber_id, long long step_id, const char *opened_on,
			  const char *due_on, const char *detail, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_cached(db, "INSERT INTO follow_up(kind, token_id, subscriber_id, step_id, "
			  "opened_on, due_on, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, token_id);
	if (subscriber_id > 0)
		sqlite3_bind_int64(st, 3, subscriber_id);
	if (step_id > 0)
		sqlite3_bind_int64(st, 4, step_id);
	sqlite3_bind_text(st, 5, opened_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, due_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("recording what is left to do"));
}

int token_close_follow_ups_tx(struct kyso_db *db, long long token_id, const char *kinds,
			      const char *date, long long step_id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!kinds)
		return 0;
	/* instr() on ",kinds," finds each kind whole. */
	if (db_cached(db, "UPDATE follow_up SET closed_on = ?1, closed_by_step = ?2 "
			  "WHERE token_id = ?3 AND closed_on IS NULL "
			  "AND instr(',' || ?4 || ',', ',' || kind || ',') > 0", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
	if (step_id > 0)
		sqlite3_bind_int64(st, 2, step_id);
	sqlite3_bind_int64(st, 3, token_id);
	sqlite3_bind_text(st, 4, kinds, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("closing what was left to do"));
}

/* The follow-up a step opens: a loan is due back on its end, the rest at once. */
static int open_after(struct kyso_db *db, const struct token *t,
		      const struct token_transition *tr, const struct change *c,
		      long long step_id, struct kyso_err *err)
{
	if (!tr->opens)
		return 0;
	return open_follow_up(db, tr->opens, t->id, t->subscriber_id, step_id, c->date,
			      !strcmp(tr->opens, FOLLOW_LOAN) ? c->until_on : c->date, NULL, err);
}

/* Applying ------------------------------------------------------------------------------------- */

/* Writes the checked change: the step, the token, the follow-ups, the event and audit. */
static int write_change(struct kyso_db *db, const struct token *t, const struct token_act *a,
			const struct token_transition *tr, const struct change *c,
			long long *step_id, struct kyso_err *err)
{
	struct custody k;
	struct token_step s;
	json_t *body;
	int rc;

	custody_after(t, a, tr, c, &k);
	s = (struct token_step){
		.token_id = t->id, .on_date = c->date, .action = a->action,
		.from_state = t->state, .to_state = tr->to, .keeper_name = k.keeper_name,
		.keeper_position = k.keeper_position, .holder_name = k.holder_name,
		.holder_position = k.holder_position, .party_name = c->party_name,
		.party_position = c->party_position,
		.party_subscriber_id = c->party_subscriber_id, .ref = c->ref,
		.authorised_by = c->authorised_by,
		.until_on = c->until_on[0] ? c->until_on : NULL, .place = c->place,
		.circumstances = c->circumstances, .discovered = c->discovered,
		.reason = c->reason, .note = c->note,
		/* Art. 14.4: that the password went with the token; never the password. */
		.password_handed = (token_act_fields(a->action)->takes & TOKEN_FIELD_PASSWORD) ? 1 : -1,
	};
	if ((rc = token_step_insert_tx(db, &s, step_id, err)) ||
	    (rc = update_token(db, t, tr, c, &k, err)) ||
	    (rc = token_close_follow_ups_tx(db, t->id, tr->closes, c->date, *step_id, err)) ||
	    (rc = open_after(db, t, tr, c, *step_id, err)))
		return rc;
	if (!(body = token_step_json(&s, t->serial)))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	json_object_set_new(body, "version", json_integer(t->version + 1));
	rc = token_record_tx(db, a->action, t->id, t->subscriber_id, c->date, body, err);
	json_decref(body);
	return rc;
}

/* The head of agency designates a departing keeper's successor (Art. 14.4): named when
 * the handover does not say who did. */
static void default_designator(struct kyso_db *db, const char *action, struct change *c)
{
	struct agency ag;

	if (strcmp(action, TOKEN_ACT_HANDOVER) || c->authorised_by || agency_get(db, &ag, NULL))
		return;
	if (ag.head_name && *ag.head_name)
		c->authorised_by = strdup(ag.head_name);
	agency_free(&ag);
}

/* Checks and applies a to token id inside the caller's transaction.  KYSO_EINVAL with
 * the problems when refused (nothing written). */
static int apply_locked(struct kyso_db *db, long long id, const struct token_act *a,
			long long *step_id, struct kyso_problems *p, struct kyso_err *err)
{
	const struct token_transition *tr;
	const struct token_act_fields *f;
	struct kyso_problems local = { 0 };
	struct token t;
	struct change c = { 0 };
	size_t before;
	long long step = 0;
	int rc;

	if (!p)
		p = &local;
	before = kyso_problems_found(p);
	if ((rc = token_get(db, id, &t, err))) {
		kyso_problems_free(&local);
		return rc;
	}
	if (a->expect_version > 0 && a->expect_version != t.version) {
		rc = kyso_fail(err, KYSO_ECONFLICT,
			       _("token %s was changed by someone else since you read it (version %ld, yours %ld); nothing was saved"),
			       t.serial, t.version, a->expect_version);
		goto out;
	}
	if (text_is_blank(a->action)) {
		kyso_problems_add(p, 0, _("Action"), "%s", _("is required"));
		rc = kyso_fail(err, KYSO_EINVAL, "%s", _("the change was not recorded"));
		goto out;
	}
	f = token_act_fields(a->action);
	tr = transition_of(a->action, t.state, p);
	change_read(a, f, &c);
	if ((rc = check_when(db, &t, a, &c, p, err)) ||
	    (tr && (rc = check_fields(db, &t, a, f, &c, p, err))))
		goto out;
	check_texts(f, &c, p);
	if (kyso_problems_found(p) > before || !tr) {
		rc = kyso_fail(err, KYSO_EINVAL, "%s", _("the change was not recorded"));
		goto out;
	}
	default_designator(db, a->action, &c);
	rc = write_change(db, &t, a, tr, &c, &step, err);
	if (!rc && step_id)
		*step_id = step;
out:
	change_free(&c);
	token_free(&t);
	kyso_problems_free(&local);
	return rc;
}

int token_apply_tx(struct kyso_db *db, long long id, const struct token_act *a,
		   long long *step_id, struct kyso_problems *problems, struct kyso_err *err)
{
	return apply_locked(db, id, a, step_id, problems, err);
}

int token_apply(struct kyso_db *db, long long id, const struct token_act *a,
		long long *step_id, struct kyso_problems *problems, struct kyso_err *err)
{
	int rc;

	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = apply_locked(db, id, a, step_id, problems, err))) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* Names the token in the problems added since before ("TK-01: Date"), when several
 * tokens change at once. */
static void name_problems(struct kyso_problems *p, size_t before, const char *serial)
{
	size_t i;

	for (i = before; p && i < p->count; i++) {
		char column[256];

		snprintf(column, sizeof(column), "%s%s%s", serial, p->items[i].column[0] ? ": " : "",
			 p->items[i].column);
		size_t cut = sizeof(p->items[i].column) - 1;

		/* cut on a character's first byte, never inside it */
		if (strlen(column) > cut)
			while (cut > 0 && ((unsigned char)column[cut] & 0xC0) == 0x80)
				cut--;
		column[cut < strlen(column) ? cut : strlen(column)] = '\0';
		memcpy(p->items[i].column, column, strlen(column) + 1);
	}
}

static int serial_of(struct kyso_db *db, long long id, char *out, size_t outsz,
		     struct kyso_err *err)
{
	return token_value(db, "SELECT serial FROM token WHERE id = ?1", id, NULL, out, outsz, err);
}

int token_apply_many(struct kyso_db *db, const long long *ids, size_t n,
		     const struct token_act *a, long long *step_ids,
		     struct kyso_problems *problems, struct kyso_err *err)
{
	struct token_act one = *a;
	size_t i, j, refused = 0;
	char serial[128];
	int rc;

	if (n == 0)
		return kyso_fail(err, KYSO_EINVAL, "%s", _("no token was named"));
	one.expect_version = n == 1 ? a->expect_version : 0;
	if ((rc = db_begin(db, err)))
		return rc;
	for (i = 0; i < n; i++) {
		size_t before = kyso_problems_found(problems);

		if ((rc = serial_of(db, ids[i], serial, sizeof(serial), err)))
			goto fail;
		for (j = 0; j < i && ids[j] != ids[i]; j++)
			;
		if (j < i) {
			kyso_problems_add(problems, 0, serial, "%s", _("is named twice"));
			rc = KYSO_EINVAL;
		} else {
			rc = apply_locked(db, ids[i], &one, step_ids ? &step_ids[i] : NULL, problems,
					  err);
		}
		if (rc && rc != KYSO_EINVAL)
			goto fail;
		if (rc) {
			refused++;
			if (n > 1)
				name_problems(problems, before, serial);
		}
	}
	if (refused) {
		rc = n > 1 ? kyso_fail(err, KYSO_EINVAL,
				       _("%zu of %zu tokens cannot change so; none was changed"),
				       refused, n)
			   : KYSO_EINVAL;
		goto fail;
	}
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

int token_pin_confirm(struct kyso_db *db, const long long *ids, size_t n, const char *date,
		      const char *declared_by, struct kyso_problems *problems,
		      struct kyso_err *err)
{
	struct token_act a = { .action = TOKEN_ACT_PIN, .date = date, .party_name = declared_by,
			       .require_date = 1 };

	return token_apply_many(db, ids, n, &a, NULL, problems, err);
}

/* Departures (Art. 14.4) ------------------------------------------------------------------ */

int token_departure_tx(struct kyso_db *db, long long subscriber_id, const char *date,
		       long *n, struct kyso_err *err)
{
	sqlite3_stmt *st;
	long long ids[64];
	long opened = 0;
	int rc = 0, i, got;

	if (n)
		*n = 0;
	/* Every token the subscriber answers for: its own, and those it keeps (the clerk's
	 * agency token), unless accounted for already. */
	if (db_prepare(db, "SELECT t.id FROM token t WHERE (t.subscriber_id = ?1 "
			   "OR t.keeper_subscriber_id = ?1) AND " TOKEN_SQL_ACTIVE
			   " AND NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.token_id = t.id "
			   "AND f.subscriber_id = ?1 AND f.kind = 'departure' AND f.closed_on IS NULL) "
			   "AND t.id > ?2 ORDER BY t.id LIMIT 64", &st, err))
		return KYSO_EIO;
	/* In batches: the follow-ups are written between the reads. */
	ids[0] = 0;
	do {
		got = 0;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, subscriber_id);
		sqlite3_bind_int64(st, 2, ids[0]);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && got < 64)
			ids[got++] = sqlite3_column_int64(st, 0);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = db_fail(db, err, _("reading a departing subscriber's tokens"));
			break;
		}
		sqlite3_reset(st);
		rc = 0;
		for (i = 0; i < got && !rc; i++, opened++)
			rc = open_follow_up(db, FOLLOW_DEPARTURE, ids[i], subscriber_id, 0, date, date,
					    NULL, err);
		if (got)
			ids[0] = ids[got - 1];
	} while (!rc && got == 64);
	sqlite3_finalize(st);
	if (!rc && n)
		*n = opened;
	return rc;
}

int token_unaccounted(struct kyso_db *db, long long subscriber_id, long *n,
		      struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (db_cached(db, "SELECT count(*) FROM follow_up WHERE subscriber_id = ? "
			  "AND kind = 'departure' AND closed_on IS NULL", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, subscriber_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, _("reading a departure's tokens"));
}

/* What certificates tell a token (cert.c) -------------------------------------------------- */

int token_certs_changed_tx(struct kyso_db *db, long long token_id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	/* The first day none of them is valid: a revocation from its day, an expiry the day
	 * after not_after. */
	if (db_cached(db, "UPDATE token SET cert_end_on = (SELECT max(CASE WHEN status = 'revoked' "
			  "THEN revoked_on ELSE date(not_after, '+1 day') END) FROM certificate "
			  "WHERE token_id = ?1) WHERE id = ?1", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, token_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("saving a token"));
}

int token_cert_revoked_tx(struct kyso_db *db, long long token_id, const char *date,
			  struct kyso_err *err)
{
	int rc = token_certs_changed_tx(db, token_id, err);

	/* Art. 13.5: the revocation a loss asked for is done. */
	return rc ? rc : token_close_follow_ups_tx(db, token_id, FOLLOW_REVOCATION, date, 0, err);
}
