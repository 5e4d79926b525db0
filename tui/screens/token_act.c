/*
 * token_act.c - the fields of each token action as a table (what token_act takes, in
 * core's words, in the order a person tells it), how the forms ask for them and read
 * them back, and the applying of a flow's changes: one transaction for every token it
 * changes, a stale token asked about, every problem shown next to its field.
 *
 * What an action needs and whether the token's state allows it is core's to say
 * (token_transitions, token_apply_tx): this file only mirrors core's field labels, so that
 * each problem finds its field.  It never takes a password: a handover records only that
 * one was handed over (Art. 14.4), which the officer confirms here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/check.h"
#include "screens/token_ui.h"

/* --- the transition table ------------------------------------------------------------------ */

const struct token_transition *token_transition_of(const char *action, const char *state)
{
	size_t n, i;
	const struct token_transition *t = token_transitions(&n);

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].action, action) && t[i].from && state && !strcmp(t[i].from, state))
			return &t[i];
	return NULL;
}

const char *flow_minutes_doc(const struct flow *fl, const char *action, const long long *ids,
			     size_t n, char *serial, size_t serialsz)
{
	const struct token_transition *tr;
	size_t i, k;

	for (k = 0; k < n; k++)
		for (i = 0; i < fl->ntokens; i++) {
			if (fl->tokens[i].id != ids[k])
				continue;
			tr = token_transition_of(action, fl->tokens[i].state);
			if (tr && tr->document) {
				snprintf(serial, serialsz, "%s", fl->tokens[i].serial);
				return tr->document;
			}
		}
	return NULL;
}

void token_refusal(const char *action, const char *state, char *out, size_t outsz)
{
	char states[512];

	token_states_needed(action, states, sizeof(states));
	snprintf(out, outsz, _("%s is not possible for a token that is %s: it needs a token that is %s."),
		 token_action_label(action), token_state_label(state), *states ? states : "—");
}

/* --- the fields of an action ----------------------------------------------------------------- */

#define F(x) (1u << (x))

/* The rule said once on top of each action's form: the actions the forms take. */
static const struct {
	const char *action, *intro;	/* intro: msgid, or NULL */
} intros[] = {
	{ TOKEN_ACT_ASSIGN,
	  N_("The person who answers for the token from now on (the clerk for the agency's token).") },
	{ TOKEN_ACT_HANDOVER,
	  N_("Art. 14.4: the token and its password go to the person the head of agency designated (the designation's reference). kyso records that the password was handed over, never the password; the new holder then changes the PIN.") },
	{ TOKEN_ACT_LEND,
	  N_("Art. 14.3: the agency's token goes to another person only with written permission: its reference, who gave it, and until when.") },
	{ TOKEN_ACT_LOAN_END, N_("The token is back with its keeper.") },
	{ TOKEN_ACT_LOCK, N_("Locked after too many wrong PINs: it waits for recovery (Art. 6).") },
	{ TOKEN_ACT_RECOVER, NULL },
	{ TOKEN_ACT_LOSE,
	  N_("Art. 13.5: a lost token is reported to the department at once. Say when and where it was lost, how it was found missing, what happened and who confirms it; the lost-token minutes go with the revocation request.") },
	{ TOKEN_ACT_FIND, N_("Found again: before its revocation it can return to use, with its minutes.") },
	{ TOKEN_ACT_REUSE, NULL },
	{ TOKEN_ACT_DAMAGE, NULL },
	{ TOKEN_ACT_RETURN,
	  N_("Handed back to the department, within 5 working days of a revocation notice, with its handover minutes (Mẫu 08 / Mẫu 14).") },
	{ TOKEN_ACT_REVOCATION_ASKED,
	  N_("Art. 13.5: the revocation request was sent to the department (its dispatch number).") },
};

/* Core's fields of an action (token_act_fields) as the form's: each with the field it
 * becomes, and the one that becomes required when core needs it. */
static const struct {
	unsigned core, form, required;
} field_map[] = {
	{ TOKEN_FIELD_PARTY, F(TF_PARTY_NAME) | F(TF_PARTY_POSITION), F(TF_PARTY_NAME) },
	{ TOKEN_FIELD_POSITION, 0, F(TF_PARTY_POSITION) },
	{ TOKEN_FIELD_REF, F(TF_REF), F(TF_REF) },
	{ TOKEN_FIELD_AUTH, F(TF_AUTHORISED_BY), F(TF_AUTHORISED_BY) },
	{ TOKEN_FIELD_UNTIL, F(TF_UNTIL), F(TF_UNTIL) },
	{ TOKEN_FIELD_PLACE, F(TF_PLACE), F(TF_PLACE) },
	{ TOKEN_FIELD_CIRC, F(TF_CIRCUMSTANCES), F(TF_CIRCUMSTANCES) },
	{ TOKEN_FIELD_DISC, F(TF_DISCOVERED), F(TF_DISCOVERED) },
	{ TOKEN_FIELD_REASON, F(TF_REASON), F(TF_REASON) },
	{ TOKEN_FIELD_PASSWORD, F(TF_PASSWORD), F(TF_PASSWORD) },
};

/* What the form of an action asks, and the words for the party it names. */
struct act_spec {
	unsigned fields, required;
	const char *party;	/* msgid: the party's label (core's word for it) */
	const char *ref;	/* msgid: the reference's label */
	const char *authorised; /* msgid: who authorised it */
	const char *intro;	/* msgid: the rule, said once on top */
};

/* Fills sp for action from core's table; -1 when the forms do not take the action. */
static int spec_of(const char *action, struct act_spec *sp)
{
	const struct token_act_fields *f;
	size_t i;

	for (i = 0; action && i < sizeof(intros) / sizeof(intros[0]); i++)
		if (!strcmp(intros[i].action, action))
			break;
	if (!action || i == sizeof(intros) / sizeof(intros[0]))
		return -1;
	f = token_act_fields(action);
	*sp = (struct act_spec){ F(TF_DATE) | F(TF_NOTE), 0, f->party, f->ref, f->auth,
				 intros[i].intro };
	for (i = 0; i < sizeof(field_map) / sizeof(field_map[0]); i++) {
		if (f->takes & field_map[i].core)
			sp->fields |= field_map[i].form;
		if (f->needs & field_map[i].core)
			sp->required |= field_map[i].required;
	}
	return 0;
}

int act_has_field(const char *action, int field)
{
	struct act_spec sp;

	return !spec_of(action, &sp) && field > 0 && field < TF_ACT_END && (sp.fields & F(field));
}

/* Why a token goes back: core's reasons (token_act.reason) and their words. */
#define NREASONS TOKEN_RETURN_REASONS

void act_set_reason(struct flow *fl, int base, const char *reason)
{
	int i;

	for (i = 0; i < NREASONS; i++)
		if (!strcmp(token_return_reasons[i], reason))
			form_set_choice(fl->form, base + TF_REASON, i, 0);
}

static const char *const password_items[] = {
	N_("Not yet"), N_("Yes, the password was handed over with the token"),
};

static const char *label_of(const struct act_spec *sp, int f)
{
	switch (f) {
	case TF_DATE: return N_("Date");
	case TF_PARTY_NAME: return sp->party ? sp->party : N_("Name");
	case TF_PARTY_POSITION: return N_("Position");
	case TF_REF: return sp->ref ? sp->ref : N_("Reference");
	case TF_AUTHORISED_BY: return sp->authorised ? sp->authorised : N_("Authorised by");
	case TF_UNTIL: return N_("Until");
	case TF_PLACE: return N_("Place");
	case TF_DISCOVERED: return N_("How it was found missing");
	case TF_CIRCUMSTANCES: return N_("Circumstances");
	case TF_REASON: return N_("Reason");
	case TF_PASSWORD: return N_("Password handed over");
	case TF_NOTE: return N_("Note");
	}
	return "";
}

const char *act_label(const char *action, int field)
{
	struct act_spec sp;

	return spec_of(action, &sp) ? "" : _(label_of(&sp, field));
}

/* The order the fields are asked in: the people first, then what happened, who
 * authorised it and under which reference (a loss: when, where, how it was found missing,
 * what happened, who confirms). */
static const int field_order[] = { TF_DATE, TF_PARTY_NAME, TF_PARTY_POSITION, TF_PLACE,
				   TF_DISCOVERED, TF_CIRCUMSTANCES, TF_REASON, TF_AUTHORISED_BY,
				   TF_REF, TF_UNTIL, TF_PASSWORD, TF_NOTE };

/* The head of agency, who designates a departing holder's successor (Art. 14.4). */
static char *head_of_agency(void)
{
	struct agency a = { 0 };
	struct kyso_err err;
	char *head = NULL;

	if (agency_get(ui_db(), &a, &err) == 0 && a.head_name)
		head = strdup(a.head_name);
	agency_free(&a);
	return head;
}

int act_fields_add(struct flow *fl, const char *action, int base, int is_block)
{
	struct act_spec spec, *sp = &spec;
	char today[11], shown[11], *head = NULL;
	size_t k;
	int bad = 0;

	if (spec_of(action, sp))
		return KYSO_EINVAL;
	db_today(today);
	if (sp->intro && !is_block)
		bad |= form_add_note(fl->form, sp->intro, 1, 0) < 0;
	for (k = 0; k < sizeof(field_order) / sizeof(field_order[0]); k++) {
		int f = field_order[k], id = base + f, req = (sp->required & F(f)) != 0;

		if (!(sp->fields & F(f)) || (is_block && (f == TF_DATE || f == TF_NOTE)))
			continue;
		if (f == TF_DATE)
			bad |= form_add_date(fl->form, id, label_of(sp, f), date_display(today, shown), 1) < 0;
		else if (f == TF_UNTIL)
			bad |= form_add_date(fl->form, id, label_of(sp, f), NULL, req) < 0;
		else if (f == TF_REASON)
			bad |= form_add_choice(fl->form, id, label_of(sp, f), token_return_reason_labels, NREASONS,
					       0, 1) < 0;
		else if (f == TF_PASSWORD && form_add_choice(fl->form, id, label_of(sp, f), password_items,
							     2, 0, 1) >= 0)
			form_field(fl->form, id)->is_required = req;
		else if (f == TF_PASSWORD)
			bad = 1;
		else if (f == TF_AUTHORISED_BY && !strcmp(action, TOKEN_ACT_HANDOVER))
			/* Art. 14.4: the head of agency designates, unless the officer says who */
			bad |= form_add_text(fl->form, id, label_of(sp, f), (head = head_of_agency()), 0,
					     req) < 0;
		else
			bad |= form_add_text(fl->form, id, label_of(sp, f), NULL, 0, req) < 0;
	}
	free(head);
	return bad ? KYSO_ENOMEM : 0;
}

void act_fields_read(struct flow *fl, const char *action, int base, struct token_act *a)
{
	const char **slots[TF_ACT_END] = {
		[TF_DATE] = &a->date, [TF_PARTY_NAME] = &a->party_name,
		[TF_PARTY_POSITION] = &a->party_position, [TF_REF] = &a->ref,
		[TF_AUTHORISED_BY] = &a->authorised_by, [TF_UNTIL] = &a->until_on,
		[TF_PLACE] = &a->place, [TF_DISCOVERED] = &a->discovered,
		[TF_CIRCUMSTANCES] = &a->circumstances, [TF_NOTE] = &a->note,
	};
	int f;

	a->action = action;
	for (f = TF_DATE; f < TF_ACT_END; f++) {
		/* a block shares the form's date and note */
		int id = (base && (f == TF_DATE || f == TF_NOTE)) ? f : base + f;

		if (!act_has_field(action, f))
			continue;
		if (f == TF_REASON) {
			int r = form_choice(fl->form, id);

			a->reason = r >= 0 && r < NREASONS ? token_return_reasons[r] : NULL;
		} else if (f == TF_PASSWORD) {
			a->password_handed = form_choice(fl->form, id) == 1;
		} else if (slots[f]) {
			*slots[f] = f == TF_DATE || f == TF_UNTIL ? flow_date(fl, id) : flow_text(fl, id);
		}
	}
	if (act_has_field(action, TF_PARTY_NAME))
		a->party_subscriber_id = fl->picks[base ? PICK_RETURN_PARTY : PICK_PARTY];
}

/* Core names a problem by the field's label as people read it, which is the form's. */
int act_field_of(const char *column, void *ctx)
{
	const struct act_map *m = ctx;
	struct act_spec spec, *sp = spec_of(m->action, &spec) ? NULL : &spec;
	int f;

	for (f = TF_DATE; sp && f < TF_ACT_END; f++) {
		int id = m->base && (f == TF_DATE || f == TF_NOTE) ? f : m->base + f;

		if ((sp->fields & F(f)) && !strcmp(column, _(label_of(sp, f))) &&
		    form_field(m->form, id))
			return id;
	}
	return -1;
}

/* Adds p to all unless the same problem is there already (one per field, not per token). */
static void gather(struct kyso_problems *all, const char *column, const char *message)
{
	size_t i;

	for (i = 0; i < all->count; i++)
		if (!strcmp(all->items[i].column, column) && !strcmp(all->items[i].message, message))
			return;
	kyso_problems_add(all, 0, column, "%s", message);
}

int act_apply_tx(struct flow *fl, size_t i, const struct token_act *a, const struct act_map *map,
		 long long *step_id, struct kyso_problems *problems, struct kyso_err *err)
{
	struct kyso_problems mine = { 0 };
	struct token_act act = *a;
	size_t j;
	int rc;

	act.expect_version = fl->tokens[i].version;
	/* Art. 14.4: a handover the officer did not confirm went with its password is
	 * refused by core, its problem under the field "Password handed over". */
	rc = token_apply_tx(ui_db(), fl->tokens[i].id, &act, step_id, &mine, err);
	for (j = 0; j < mine.count; j++) {
		const struct kyso_problem *p = &mine.items[j];
		char what[640];

		if (act_field_of(p->column, (void *)map) >= 0) {
			gather(problems, p->column, p->message);
			continue;
		}
		/* a problem of the token itself (its state): named by its serial */
		snprintf(what, sizeof(what), "%s%s%s", p->column, *p->column ? ": " : "", p->message);
		gather(problems, fl->ntokens > 1 ? fl->tokens[i].serial : "", what);
	}
	kyso_problems_free(&mine);
	return rc;
}

/* Applies to each token what pick says, inside one transaction; *rc_all the first
 * failure (a refusal only when nothing worse happened). */
static int apply_each(struct flow *fl, flow_pick_fn pick, void *ctx, long long *step_ids,
		      struct kyso_problems *problems, struct kyso_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < fl->ntokens; i++) {
		struct flow_act fa = { 0 };
		int r;

		pick(fl, i, &fa, ctx);
		if (!fa.act)
			continue;
		r = act_apply_tx(fl, i, fa.act, &fa.map, step_ids ? &step_ids[i] : NULL, problems,
				 err);
		if (r && (!rc || rc == KYSO_EINVAL))
			rc = r;
		if (r && r != KYSO_EINVAL)
			break; /* a conflict or a failure: no use going on */
	}
	return rc;
}

int flow_apply(struct flow *fl, flow_pick_fn pick, void *ctx, long long *step_ids,
	       int (*field_of)(const char *column, void *ctx), void *field_ctx)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	int rc, tries = 0;

	do {
		kyso_problems_clear(&problems);
		if ((rc = db_begin(ui_db(), &err)))
			break;
		rc = apply_each(fl, pick, ctx, step_ids, &problems, &err);
		if (rc || (rc = db_commit(ui_db(), &err)))
			db_rollback(ui_db());
	} while (rc == KYSO_ECONFLICT && tries++ == 0 && flow_conflict(fl, &err));
	if (rc == KYSO_EINVAL)
		flow_problems(fl, &problems, field_of, field_ctx);
	else if (rc && rc != KYSO_ECONFLICT)
		ui_error("%s", err.msg);
	kyso_problems_free(&problems);
	return rc;
}

/* The same act for every token. */
static void pick_same(struct flow *fl, size_t i, struct flow_act *out, void *ctx)
{
	const struct flow_act *same = ctx;

	(void)fl;
	(void)i;
	*out = *same;
}

int flow_apply_one(struct flow *fl, const char *action, long long *step_ids, char *date,
		   size_t datesz)
{
	struct token_act a = { 0 };
	struct flow_act same = { &a, { fl->form, action, 0 } };
	int rc;

	act_fields_read(fl, action, 0, &a);
	rc = flow_apply(fl, pick_same, &same, step_ids, act_field_of, &same.map);
	if (date)
		snprintf(date, datesz, "%s", a.date ? a.date : "");
	return rc;
}

