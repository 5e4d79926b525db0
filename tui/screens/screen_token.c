/*
 * screen_token.c - one token: every field, its certificates, the follow-ups still open,
 * and its whole custody history (each step with the minutes that record it, or a mark
 * that they are missing).  From here the officer records what the token's state allows
 * - the actions come from core's transition table (token_transitions), never from a list
 * of our own - and a certificate read from the department's notice.  After a step that
 * needs minutes, they are offered at once (token_minutes.c).
 *
 * Also the subscriber screen's lines about the subscriber's tokens.
 *
 * Core checks and writes (token_apply, token_pin_confirm, cert_add); a change refused
 * shows the reason core gives.  The password of a token never appears here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/text.h"
#include "widgets/lines.h"
#include "screens/screens.h"
#include "screens/token_ui.h"

struct token_view {
	struct screen base;
	long long id;
	struct token t;
	struct lines *lines;
	int nitems;	/* lines a section added (to say "none") */
	/* the latest step whose minutes are missing (m writes them) */
	long long missing_step;
	char missing_doc[32], missing_date[11];
};

/* --- the page ------------------------------------------------------------------------------ */

static void add_field(struct token_view *v, const char *label, const char *text, int style)
{
	lines_add(v->lines, LINES_FIELD, label, text && *text ? text : "—", style);
}

/* "Name, position" of a person, or "—". */
static void person(const char *name, const char *position, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s", name ? name : "—", position && *position ? ", " : "",
		 position && *position ? position : "");
}

static void add_custody(struct token_view *v)
{
	const struct token *t = &v->t;
	char line[1024], date[11];

	person(t->keeper_name, t->keeper_position, line, sizeof(line));
	add_field(v, _("Keeper"), line, UI_NORMAL);
	if (t->loan_until) {
		char who[512];

		person(t->holder_name, t->holder_position, who, sizeof(who));
		/* Art. 14.3: lent only with written permission, and until a day */
		snprintf(line, sizeof(line), _("lent to %s until %s, permission %s (given by %s)"),
			 who, ui_date(t->loan_until, date), t->loan_ref ? t->loan_ref : "—",
			 t->loan_by ? t->loan_by : "—");
		add_field(v, _("Held by"), line, UI_PROBLEM);
	}
}

static void add_pin(struct token_view *v)
{
	const struct token *t = &v->t;
	char line[512], date[11], today[11];

	db_today(today);
	if (t->pin_changed_on)
		add_field(v, _("PIN changed"), ui_date(t->pin_changed_on, date), UI_NORMAL);
	else {
		snprintf(line, sizeof(line), _("never confirmed (the clock runs from %s)"),
			 ui_date(t->received_on, date));
		add_field(v, _("PIN changed"), line, UI_NORMAL);
	}
	/* core leaves pin_due_on NULL for a state the PIN clock does not bind (token_pin_due) */
	if (t->pin_due_on) {
		int overdue = token_pin_overdue(t->pin_due_on, today);

		/* Art. 13.3: at least every 6 months (a setting) */
		snprintf(line, sizeof(line), "%s%s", ui_date(t->pin_due_on, date),
			 overdue ? _(" — overdue (Art. 13.3)") : "");
		add_field(v, _("PIN due"), line, overdue ? UI_PROBLEM : UI_NORMAL);
	}
	if (t->pin_pending)
		add_field(v, _("New holder"), _("has not changed the PIN yet (Art. 14.4): p confirms it"),
			  UI_PROBLEM);
}

static void add_fields(struct token_view *v)
{
	const struct token *t = &v->t;
	char line[1024], date[11];

	add_field(v, _("Serial"), t->serial, UI_NORMAL);
	add_field(v, _("Kind"), token_kind_label(t->kind), UI_NORMAL);
	add_field(v, _("Model"), t->model, UI_NORMAL);
	/* the subscriber is a link (negative: not a token) */
	snprintf(line, sizeof(line), "%s: %s%s%s (#%lld)", _("Subscriber"), t->subscriber_name,
		 t->unit ? " — " : "", t->unit ? t->unit : "", t->subscriber_id);
	lines_add_link(v->lines, -t->subscriber_id, line, UI_NORMAL);
	add_custody(v);
	snprintf(line, sizeof(line), _("%s since %s"), token_state_label(t->state),
		 ui_date(t->state_on, date));
	add_field(v, _("State"), line,
		  !strcmp(t->state, TOKEN_LOST) ? UI_PROBLEM
		  : !strcmp(t->state, TOKEN_RETURNED) ? UI_DEPARTED : UI_GOOD);
	add_field(v, _("Received"), ui_date(t->received_on, date), UI_NORMAL);
	add_pin(v);
	add_field(v, _("Note"), t->note, UI_NORMAL);
	snprintf(line, sizeof(line), "%ld", t->version);
	add_field(v, _("Version"), line, UI_NORMAL);
}

static int add_cert(const struct cert_row *c, void *ctx)
{
	struct token_view *v = ctx;
	char line[1024], a[11], b[11], r[11];

	snprintf(line, sizeof(line), "%s  %s – %s  %s%s%s%s%s", c->serial, ui_date(c->not_before, a),
		 ui_date(c->not_after, b), cert_state_label(c->state),
		 c->revoked_on ? " " : "", c->revoked_on ? ui_date(c->revoked_on, r) : "",
		 c->revocation_reason ? ": " : "", c->revocation_reason ? c->revocation_reason : "");
	v->nitems++;
	lines_add(v->lines, LINES_TEXT, NULL, line,
		  !strcmp(c->state, "valid") ? UI_NORMAL
		  : !strcmp(c->state, "expiring") ? UI_PROBLEM : UI_DEPARTED);
	return 0;
}

static int add_follow_up(const struct follow_up_row *f, void *ctx)
{
	struct token_view *v = ctx;
	char line[1024], a[11], b[11], today[11];

	db_today(today);
	snprintf(line, sizeof(line), _("%s — since %s%s%s%s%s"), token_follow_up_label(f->kind),
		 ui_date(f->opened_on, a), f->due_on ? _(", due ") : "",
		 f->due_on ? ui_date(f->due_on, b) : "", f->detail ? " — " : "",
		 f->detail ? f->detail : "");
	v->nitems++;
	lines_add(v->lines, LINES_TEXT, NULL, line,
		  f->due_on && strcmp(f->due_on, today) < 0 ? UI_PROBLEM : UI_NORMAL);
	return 0;
}

/* One detail line under a step, when it has a value. */
static void step_detail(struct token_view *v, const char *label, const char *value)
{
	char line[1600];

	if (!value || !*value)
		return;
	snprintf(line, sizeof(line), "%s: %s", label, value);
	lines_add(v->lines, LINES_CHANGE, NULL, line, UI_NORMAL);
}

/* The label the action's form gives field, or fallback (a PIN change: who declared it). */
static const char *label_or(const char *action, int field, const char *fallback)
{
	const char *l = act_has_field(action, field) ? act_label(action, field) : "";

	return *l ? l : fallback;
}

static void step_minutes(struct token_view *v, const struct token_step *s)
{
	const struct token_transition *tr =
		s->from_state ? token_transition_of(s->action, s->from_state) : NULL;
	char line[256];

	if (s->document_number) {
		snprintf(line, sizeof(line), _("Minutes No. %s"), s->document_number);
		lines_add(v->lines, LINES_CHANGE, NULL, line, UI_NORMAL);
	} else if (tr && tr->document) {
		lines_add(v->lines, LINES_CHANGE, NULL,
			  _("Minutes missing: m writes them"), UI_PROBLEM);
		v->missing_step = s->id;
		snprintf(v->missing_doc, sizeof(v->missing_doc), "%s", tr->document);
		snprintf(v->missing_date, sizeof(v->missing_date), "%s", s->on_date);
	}
}

static int add_step(const struct token_step *s, void *ctx)
{
	struct token_view *v = ctx;
	char line[1024], date[11], who[512];

	if (s->from_state && s->to_state && strcmp(s->from_state, s->to_state))
		snprintf(line, sizeof(line), _("%s: %s → %s, by %s"), token_action_label(s->action),
			 token_state_label(s->from_state), token_state_label(s->to_state), s->actor);
	else
		snprintf(line, sizeof(line), _("%s, by %s"), token_action_label(s->action), s->actor);
	lines_add(v->lines, LINES_EVENT, ui_date(s->on_date, date), line,
		  !strcmp(s->action, TOKEN_ACT_LOSE) ? UI_PROBLEM : UI_NORMAL);
	/* each detail under the words its form asked it with ("Successor", "Designation") */
	if (s->party_name) {
		person(s->party_name, s->party_position, who, sizeof(who));
		step_detail(v, label_or(s->action, TF_PARTY_NAME, _("Declared by")), who);
	}
	step_detail(v, label_or(s->action, TF_REF, _("Reference")), s->ref);
	step_detail(v, label_or(s->action, TF_AUTHORISED_BY, _("Authorised by")), s->authorised_by);
	step_detail(v, _("Until"), s->until_on ? ui_date(s->until_on, date) : NULL);
	step_detail(v, _("Place"), s->place);
	step_detail(v, _("How it was found missing"), s->discovered);
	step_detail(v, _("Circumstances"), s->circumstances);
	step_detail(v, _("Reason"), s->reason);
	if (s->password_handed >= 0 && !strcmp(s->action, TOKEN_ACT_HANDOVER))
		step_detail(v, _("Password handed over"), s->password_handed ? _("yes") : _("no"));
	step_detail(v, _("Note"), s->note);
	step_minutes(v, s);
	return 0;
}

static int view_load(struct token_view *v, struct kyso_err *err)
{
	struct kyso_db *db = ui_db();
	int rc;

	token_free(&v->t);
	token_init(&v->t);
	lines_clear(v->lines);
	v->missing_step = 0;
	if ((rc = token_get(db, v->id, &v->t, err)))
		return rc;
	snprintf(v->base.detail, sizeof(v->base.detail), "%s", v->t.serial);
	add_fields(v);
	lines_add(v->lines, LINES_BLANK, NULL, NULL, UI_NORMAL);
	lines_add(v->lines, LINES_HEADING, NULL, _("Certificates"), UI_HEADER);
	v->nitems = 0;
	if ((rc = cert_list(db, &(struct cert_query){ .token_id = v->id }, add_cert, v, err)))
		return rc;
	if (!v->nitems)
		lines_add(v->lines, LINES_TEXT, NULL, _("None recorded: c records one from the department's notice."),
			  UI_NORMAL);
	lines_add(v->lines, LINES_BLANK, NULL, NULL, UI_NORMAL);
	lines_add(v->lines, LINES_HEADING, NULL, _("Open follow-ups"), UI_HEADER);
	v->nitems = 0;
	if ((rc = token_follow_ups(db, v->id, add_follow_up, v, err)))
		return rc;
	if (!v->nitems)
		lines_add(v->lines, LINES_TEXT, NULL, _("Nothing left to do."), UI_GOOD);
	lines_add(v->lines, LINES_BLANK, NULL, NULL, UI_NORMAL);
	lines_add(v->lines, LINES_HEADING, NULL, _("History"), UI_HEADER);
	return token_steps(db, v->id, add_step, v, err);
}

/* --- actions ----------------------------------------------------------------------------- */

/* The actions core's table allows from state, in its order; the PIN has its own key. */
static size_t allowed_actions(const char *state, const char **out, size_t max)
{
	size_t n, i, k = 0, j;
	const struct token_transition *t = token_transitions(&n);

	for (i = 0; i < n && k < max; i++) {
		if (!t[i].from || strcmp(t[i].from, state))
			continue;
		for (j = 0; j < k && strcmp(out[j], t[i].action); j++)
			;
		if (j == k)
			out[k++] = t[i].action;
	}
	return k;
}

static void open_action(struct token_view *v, const char *action)
{
	struct kyso_err err = { 0 };

	if (!strcmp(action, TOKEN_ACT_PIN)) {
		if (!token_pin_flow(&v->id, 1, &err))
			ui_error("%s", err.msg);
		return;
	}
	if (!token_act_flow(v->id, action, &err))
		ui_error("%s", err.msg);
}

/* A key for one action: refused with the reason when the state does not allow it. */
static void ask_action(struct token_view *v, const char *action)
{
	char why[512];

	if (token_transition_of(action, v->t.state)) {
		open_action(v, action);
		return;
	}
	token_refusal(action, v->t.state, why, sizeof(why));
	ui_error("%s", why);
}

static void actions_menu(struct token_view *v)
{
	const char *actions[32], *items[33];
	char labels[33][160];
	size_t n = allowed_actions(v->t.state, actions, 31), i; /* the PIN's rows too */
	int picked;

	if (!n) {
		ui_status(_("Nothing can change a token that is %s."), token_state_label(v->t.state));
		return;
	}
	for (i = 0; i < n; i++) {
		const struct token_transition *tr = token_transition_of(actions[i], v->t.state);

		snprintf(labels[i], sizeof(labels[i]), "%s%s%s%s", token_action_label(actions[i]),
			 tr && tr->rule ? " (" : "", tr && tr->rule ? _(tr->rule) : "",
			 tr && tr->rule ? ")" : "");
		items[i] = labels[i];
	}
	picked = ui_choose(_("What happened to the token?"), items, (int)n, 0);
	if (picked >= 0)
		open_action(v, actions[picked]);
}

/* --- correcting a date recorded (issue 11.1) ------------------------------------------------- */

/* A date that can be corrected: a step's (its place in the history) or a certificate's. */
struct dated {
	long long cert_id;	/* 0: a step */
	int step;
	int is_loan;
	long version;
	char on[11], until[11];	/* a step's day and a loan's end; a certificate's from, to */
	char label[256];
};

struct dateds {
	struct dated *v;
	int n, cap, steps;
};

static struct dated *dated_add(struct dateds *d)
{
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 16;
		struct dated *grown = realloc(d->v, (size_t)cap * sizeof(*grown));

		if (!grown)
			return NULL;
		d->v = grown;
		d->cap = cap;
	}
	memset(&d->v[d->n], 0, sizeof(d->v[d->n]));
	return &d->v[d->n++];
}

static int dated_step(const struct token_step *s, void *ctx)
{
	struct dateds *d = ctx;
	struct dated *x;
	char shown[11], end[11];

	d->steps++;
	if (!(x = dated_add(d)))
		return 0;
	x->step = d->steps;
	x->is_loan = !strcmp(s->action, TOKEN_ACT_LEND);
	snprintf(x->on, sizeof(x->on), "%s", s->on_date ? s->on_date : "");
	snprintf(x->until, sizeof(x->until), "%s", s->until_on ? s->until_on : "");
	if (x->is_loan && s->until_on)
		snprintf(x->label, sizeof(x->label), _("%s  %s, until %s"), ui_date(s->on_date, shown),
			 token_action_label(s->action), ui_date(s->until_on, end));
	else
		snprintf(x->label, sizeof(x->label), "%s  %s", ui_date(s->on_date, shown),
			 token_action_label(s->action));
	return 0;
}

static int dated_cert(const struct cert_row *c, void *ctx)
{
	struct dated *x = dated_add(ctx);
	char from[11], to[11];

	if (!x)
		return 0;
	x->cert_id = c->id;
	x->version = c->version;
	snprintf(x->on, sizeof(x->on), "%s", c->not_before ? c->not_before : "");
	snprintf(x->until, sizeof(x->until), "%s", c->not_after ? c->not_after : "");
	snprintf(x->label, sizeof(x->label), _("Certificate %s: valid %s – %s"), c->serial,
		 ui_date(c->not_before, from), ui_date(c->not_after, to));
	return 0;
}

/* Asks for a date, offering the one recorded; NULL when the officer cancels. */
static char *ask_date(const char *title, const char *label, const char *iso)
{
	char shown[11], *typed = NULL;

	if (!ui_prompt(title, label, iso && *iso ? ui_date(iso, shown) : "", &typed))
		return NULL;
	return typed;
}

static void correct_date(struct token_view *v)
{
	struct dateds d = { 0 };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	const char **items = NULL;
	char *on = NULL, *until = NULL;
	struct dated *x;
	int picked, i, rc;

	if (token_steps(ui_db(), v->id, dated_step, &d, &err) ||
	    cert_list(ui_db(), &(struct cert_query){ .token_id = v->id }, dated_cert, &d, &err)) {
		ui_error("%s", err.msg);
		goto out;
	}
	if (!d.n || !(items = calloc((size_t)d.n, sizeof(*items))))
		goto out;
	for (i = 0; i < d.n; i++)
		items[i] = d.v[i].label;
	picked = ui_choose(_("Correct which date?"), items, d.n, d.steps ? d.steps - 1 : 0);
	if (picked < 0)
		goto out;
	x = &d.v[picked];
	if (x->cert_id) {
		if (!(on = ask_date(x->label, _("Valid from (dd/mm/yyyy):"), x->on)) ||
		    !(until = ask_date(x->label, _("Valid to (dd/mm/yyyy):"), x->until)))
			goto out;
		rc = cert_correct(ui_db(), &(struct cert_correction){ .id = x->cert_id,
			.not_before = on, .not_after = until, .expect_version = x->version },
			&problems, &err);
	} else {
		if (!(on = ask_date(x->label, _("Recorded on (dd/mm/yyyy):"), x->on)) ||
		    (x->is_loan && !(until = ask_date(x->label, _("Lent until (dd/mm/yyyy):"),
						      x->until))))
			goto out;
		rc = token_correct(ui_db(), &(struct token_correction){ .token_id = v->id,
			.step = x->step, .date = on, .until = until, .expect_version = v->t.version },
			&problems, &err);
	}
	if (rc)
		ui_refused(_("The date was not corrected"), &err, &problems);
	else
		ui_status("%s", _("Date corrected; the earlier one is kept in the history."));
	if (view_load(v, &err))
		ui_error("%s", err.msg);
out:
	free(on);
	free(until);
	free(items);
	free(d.v);
	kyso_problems_free(&problems);
}

/* --- the screen ----------------------------------------------------------------------------- */

static const struct ui_keyhelp view_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "a", N_("Actions"), 0, 'a', 1 },
	{ "p", N_("PIN"), 0, 'p', 1 },
	{ "c", N_("Certificate"), 0, 'c', 1 },
	{ "m", N_("Minutes"), 0, 'm', 1 },
	{ "Esc", N_("Back"), 0, UI_KEY_ESC, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "a F9", N_("The changes the token's state allows"), KEY_F(9), 0, 0 },
	{ "h", N_("Hand over to a designated successor (Art. 14.4)"), 0, 'h', 0 },
	{ "n", N_("Lend with written permission (Art. 14.3)"), 0, 'n', 0 },
	{ "l", N_("Record the token lost (Art. 13.5)"), 0, 'l', 0 },
	{ "r", N_("Return to the department"), 0, 'r', 0 },
	{ "p", N_("Confirm a PIN change (Art. 13.3)"), 0, 0, 0 },
	{ "c", N_("Record a certificate from the department's notice"), 0, 0, 0 },
	{ "m", N_("Write the minutes a step is missing"), 0, 0, 0 },
	{ "e", N_("Correct a date recorded: a step's day, a loan's end, a certificate's validity (the earlier one stays in the history)"), 0, 'e', 0 },
	{ "Enter", N_("Open the token's subscriber"), 0, 0, 0 },
	{ "j k ↑ ↓ PgUp PgDn Space", N_("Scroll"), 0, 0, 0 },
	{ "Home End", N_("Top, bottom"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static void view_draw(struct screen *s)
{
	struct token_view *v = (struct token_view *)s;

	ui_hint(_("a: actions   p: PIN changed   c: certificate   Enter: the subscriber   Esc: back"));
	lines_draw(v->lines);
}

static void write_missing(struct token_view *v)
{
	struct kyso_err err;

	if (!v->missing_step) {
		ui_status("%s", _("No step of this token is missing its minutes."));
		return;
	}
	minutes_offer(v->missing_doc, &v->id, 1, v->missing_date);
	if (view_load(v, &err))
		ui_error("%s", err.msg);
}

static int view_key(struct screen *s, const struct ui_key *k)
{
	struct token_view *v = (struct token_view *)s;
	struct kyso_err err = { 0 };
	int flags = lines_key(v->lines, k);

	if (flags & LINES_OPEN) {
		if (lines_link(v->lines) < 0)
			subscriber_view_open(-lines_link(v->lines));
	} else if (flags) {
		return UI_HANDLED;
	} else if (ui_key_is(k, 'a') || k->code == KEY_F(9)) {
		actions_menu(v);
	} else if (ui_key_is(k, 'p')) {
		ask_action(v, TOKEN_ACT_PIN);
	} else if (ui_key_is(k, 'h')) {
		ask_action(v, TOKEN_ACT_HANDOVER);
	} else if (ui_key_is(k, 'n')) {
		ask_action(v, TOKEN_ACT_LEND);
	} else if (ui_key_is(k, 'l')) {
		ask_action(v, TOKEN_ACT_LOSE);
	} else if (ui_key_is(k, 'r')) {
		ask_action(v, TOKEN_ACT_RETURN);
	} else if (ui_key_is(k, 'c')) {
		if (!token_cert_flow(v->id, &err))
			ui_error("%s", err.msg);
	} else if (ui_key_is(k, 'm')) {
		write_missing(v);
	} else if (ui_key_is(k, 'e')) {
		correct_date(v);
	} else {
		return UI_IGNORED;
	}
	return UI_HANDLED;
}

static void view_activate(struct screen *s)
{
	struct token_view *v = (struct token_view *)s;
	struct kyso_err err;

	if (view_load(v, &err))
		ui_error("%s", err.msg);
}

static void view_free(struct screen *s)
{
	struct token_view *v = (struct token_view *)s;

	token_free(&v->t);
	lines_free(v->lines);
	free(v);
}

int token_view_open(long long id)
{
	struct token_view *v = calloc(1, sizeof(*v));
	struct kyso_err err;

	if (!v || !(v->lines = lines_new())) {
		free(v);
		ui_error("%s", _("out of memory"));
		return -1;
	}
	v->id = id;
	token_init(&v->t);
	v->base.title = N_("Token");
	v->base.keys = view_keys;
	v->base.draw = view_draw;
	v->base.key = view_key;
	v->base.activate = view_activate;
	v->base.free = view_free;
	if (view_load(v, &err)) {
		ui_error("%s", err.msg);
		view_free(&v->base);
		return -1;
	}
	ui_push(&v->base);
	return 0;
}

/* --- one action: the flow ------------------------------------------------------------------ */

static int act_save(struct flow *fl)
{
	const char *doc;
	char serial[128], date[11] = "";
	long long id = fl->tokens[0].id;

	if (flow_apply_one(fl, fl->action, NULL, date, sizeof(date)))
		return UI_HANDLED;
	/* the minutes of the step, as the table says (read on the state it left) */
	snprintf(serial, sizeof(serial), "%s", fl->tokens[0].serial);
	doc = flow_minutes_doc(fl, fl->action, &id, 1, serial, sizeof(serial));
	ui_status(_("%s recorded for token %s."), token_action_label(fl->action), serial);
	flow_done(fl);
	ui_pop(); /* fl is gone; the token's screen below reads the step */
	if (doc) {
		minutes_offer(doc, &id, 1, date);
		if (ui_top() && ui_top()->activate)
			ui_top()->activate(ui_top());
	}
	return UI_HANDLED;
}

struct flow *token_act_flow(long long id, const char *action, struct kyso_err *err)
{
	struct flow *fl;
	struct token t;
	char intro[1024], since[11], why[512];
	int bad = 0;

	if (!action) {
		kyso_fail(err, KYSO_EINVAL, "%s", _("no action named"));
		return NULL;
	}
	token_init(&t);
	if (token_get(ui_db(), id, &t, err))
		goto fail;
	if (!token_transition_of(action, t.state)) {
		token_refusal(action, t.state, why, sizeof(why));
		kyso_fail(err, KYSO_EINVAL, "%s", why);
		goto fail;
	}
	if (!(fl = flow_new(N_("Token"), DRAFT_TOKEN_ACT, err)))
		goto fail;
	snprintf(fl->action, sizeof(fl->action), "%s", action);
	snprintf(fl->base.detail, sizeof(fl->base.detail), "%s — %s", t.serial,
		 token_action_label(action));
	fl->subscriber_id = t.subscriber_id;
	fl->save = act_save;
	snprintf(intro, sizeof(intro), _("Token %s of %s, %s since %s."), t.serial,
		 t.subscriber_name, token_state_label(t.state), ui_date(t.state_on, since));
	bad |= flow_add_token(fl, &t, NULL) != 0;
	bad |= form_add_note(fl->form, intro, 0, 0) < 0;
	bad |= act_fields_add(fl, action, 0, 0) != 0;
	bad |= form_add_button(fl->form, TF_SAVE, N_("Record")) < 0;
	bad |= form_add_button(fl->form, TF_CANCEL, N_("Cancel")) < 0;
	token_free(&t);
	return flow_push_built(fl, bad, err);
fail:
	token_free(&t);
	return NULL;
}

/* --- a certificate, from the department's notice ------------------------------------------- */

static const char *const issuances[] = { CERT_NEW, CERT_RENEW, CERT_CHANGE };
static const char *const issuance_items[] = { N_("New"), N_("Renewal"), N_("Change of information") };
static const char *const cert_status_items[] = { N_("Valid"), N_("Revoked") };

static void cert_changed(struct flow *fl)
{
	int revoked = form_choice(fl->form, TF_CERT_STATUS) == 1;

	form_set_hidden(fl->form, TF_CERT_REVOKED_ON, !revoked);
	form_set_hidden(fl->form, TF_CERT_REASON, !revoked);
	form_set_hidden(fl->form, TF_CERT_NOTICE_ON, !revoked);
}

static int cert_save(struct flow *fl)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	int issuance = form_choice(fl->form, TF_CERT_ISSUANCE);
	int revoked = form_choice(fl->form, TF_CERT_STATUS) == 1, rc;
	struct cert_new c = {
		.serial = flow_text(fl, TF_CERT_SERIAL), .token_id = fl->tokens[0].id,
		.issuance = issuances[issuance >= 0 && issuance < 3 ? issuance : 0],
		.not_before = flow_date(fl, TF_CERT_FROM), .not_after = flow_date(fl, TF_CERT_TO),
		.status = revoked ? "revoked" : "valid",
		.revoked_on = revoked ? flow_date(fl, TF_CERT_REVOKED_ON) : NULL,
		.revocation_reason = revoked ? flow_text(fl, TF_CERT_REASON) : NULL,
		.notice_on = revoked ? flow_date(fl, TF_CERT_NOTICE_ON) : NULL,
		.note = flow_text(fl, TF_NOTE),
	};

	rc = cert_add(ui_db(), &c, NULL, &problems, &err);
	if (rc == KYSO_EINVAL)
		flow_problems(fl, &problems, NULL, NULL);
	else if (rc)
		ui_error("%s", err.msg);
	else
		ui_status(_("Certificate %s recorded on token %s."), c.serial, fl->tokens[0].serial);
	kyso_problems_free(&problems);
	if (rc)
		return UI_HANDLED;
	flow_done(fl);
	return UI_LEAVE;
}

struct flow *token_cert_flow(long long id, struct kyso_err *err)
{
	struct flow *fl = flow_new(N_("Certificate"), DRAFT_TOKEN_CERT, err);
	int bad = 0;

	if (!fl)
		return NULL;
	if (flow_add_token_id(fl, id, err)) {
		flow_free(fl);
		return NULL;
	}
	snprintf(fl->base.detail, sizeof(fl->base.detail), "%s", fl->tokens[0].serial);
	fl->subscriber_id = fl->tokens[0].subscriber_id;
	fl->save = cert_save;
	fl->changed = cert_changed;
	bad |= form_add_note(fl->form, N_("From the issue or revocation notice the department sent."), 1, 0) < 0;
	bad |= form_add_text(fl->form, TF_CERT_SERIAL, N_("Serial"), NULL, 80, 1) < 0;
	bad |= form_add_choice(fl->form, TF_CERT_ISSUANCE, N_("Issued as"), issuance_items, 3, 0, 1) < 0;
	bad |= form_add_date(fl->form, TF_CERT_FROM, N_("Valid from"), NULL, 1) < 0;
	bad |= form_add_date(fl->form, TF_CERT_TO, N_("Valid to"), NULL, 1) < 0;
	bad |= form_add_choice(fl->form, TF_CERT_STATUS, N_("Status"), cert_status_items, 2, 0, 1) < 0;
	bad |= form_add_date(fl->form, TF_CERT_REVOKED_ON, N_("Revoked on"), NULL, 0) < 0;
	bad |= form_add_text(fl->form, TF_CERT_REASON, N_("Revocation reason"), NULL, 0, 0) < 0;
	bad |= form_add_date(fl->form, TF_CERT_NOTICE_ON, N_("Notice date"), NULL, 0) < 0;
	bad |= form_add_text(fl->form, TF_NOTE, N_("Note"), NULL, 0, 0) < 0;
	bad |= form_add_button(fl->form, TF_SAVE, N_("Record")) < 0;
	bad |= form_add_button(fl->form, TF_CANCEL, N_("Cancel")) < 0;
	return flow_push_built(fl, bad, err);
}

/* --- the subscriber's tokens (screen_subscriber.c) ----------------------------------------- */

struct token_lines {
	struct lines *l;
	long long seen[200];
	int n;
};

static int add_token_line(const struct token_row *r, void *ctx)
{
	struct token_lines *tl = ctx;
	char serial[64], state[64], line[1024];
	int i;

	for (i = 0; i < tl->n; i++)
		if (tl->seen[i] == r->id)
			return 0;
	if (tl->n < 200)
		tl->seen[tl->n++] = r->id;
	text_fit(r->serial, 18, serial, sizeof(serial));
	text_fit(token_state_label(r->state), 16, state, sizeof(state));
	snprintf(line, sizeof(line), "%s %s %s: %s", serial, state, _("keeper"),
		 r->keeper_name ? r->keeper_name : "—");
	lines_add_link(tl->l, r->id, line,
		       !strcmp(r->state, TOKEN_RETURNED) ? UI_DEPARTED
		       : !strcmp(r->state, TOKEN_LOST) ? UI_PROBLEM : UI_NORMAL);
	return 0;
}

int subscriber_token_lines(struct lines *l, long long subscriber_id, int is_departed,
			   struct kyso_err *err)
{
	struct token_lines tl = { .l = l };
	char line[256];
	long n = 0;
	int rc;

	lines_add(l, LINES_HEADING, NULL, _("Tokens"), UI_HEADER);
	if ((rc = token_list(ui_db(), &(struct token_query){ .subscriber_id = subscriber_id, .limit = 100 },
			     add_token_line, &tl, err)) ||
	    (rc = token_list(ui_db(), &(struct token_query){ .keeper_id = subscriber_id, .limit = 100 },
			     add_token_line, &tl, err)))
		return rc;
	if (!tl.n)
		lines_add(l, LINES_TEXT, NULL, _("No token."), UI_NORMAL);
	if (is_departed && (rc = token_unaccounted(ui_db(), subscriber_id, &n, err)))
		return rc;
	if (n > 0) {
		/* Art. 14.4: the departure is complete once every token is accounted for */
		snprintf(line, sizeof(line),
			 _("Departure incomplete: %ld token(s) unaccounted — h hands them over or returns them"),
			 n);
		lines_add(l, LINES_TEXT, NULL, line, UI_PROBLEM);
	}
	lines_add(l, LINES_BLANK, NULL, NULL, UI_NORMAL);
	return 0;
}
