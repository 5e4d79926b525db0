/*
 * screen_handover.c - Art. 14.4, when a subscriber who keeps tokens leaves or transfers:
 * one form walks every token their departure left unaccounted for, and for each the
 * officer chooses to hand it (and its password) to the successor the head of agency
 * designated, to return it to the department for revocation, or to leave it for later
 * (the due list then keeps it as unaccounted).  Everything chosen is recorded in one
 * transaction; then one handover minutes for the tokens that went to the successor and
 * one return minutes for those returned are offered.
 *
 * One successor per pass: a token for another successor is left for later and handed
 * over in a second pass (h on the subscriber's screen).  Core checks and writes
 * (token_apply_tx); the password itself is never asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/check.h"
#include "kyso/subscriber.h"
#include "screens/screens.h"
#include "screens/token_ui.h"

enum choice { CHOOSE_HANDOVER, CHOOSE_RETURN, CHOOSE_LATER };

static const char *const choice_items[] = {
	N_("Hand over, with its password"),
	N_("Return to the department"),
	N_("Later (unaccounted for)"),
};

/* The headings of the two blocks. */
static const char *const heading_successor = N_("The successor the head of agency designated:");
static const char *const heading_return = N_("The return to the department:");

static int chosen(struct flow *fl, size_t i)
{
	int c = form_choice(fl->form, TF_TOKEN + (int)i);

	return c >= 0 && c <= CHOOSE_LATER ? c : CHOOSE_LATER;
}

static int any_chosen(struct flow *fl, enum choice c)
{
	size_t i;

	for (i = 0; i < fl->ntokens; i++)
		if (chosen(fl, i) == (int)c)
			return 1;
	return 0;
}

/* Shows the successor's fields while a token goes to them, the return's while one goes
 * back. */
static void handover_changed(struct flow *fl)
{
	int f, hand = any_chosen(fl, CHOOSE_HANDOVER), back = any_chosen(fl, CHOOSE_RETURN);
	int i;

	for (f = TF_DATE + 1; f < TF_ACT_END; f++) {
		if (f == TF_NOTE)
			continue;
		if (act_has_field(TOKEN_ACT_HANDOVER, f))
			form_set_hidden(fl->form, f, !hand);
		if (act_has_field(TOKEN_ACT_RETURN, f))
			form_set_hidden(fl->form, TF_RETURN + f, !back);
	}
	/* the headings of the blocks are notes: hidden by hand */
	for (i = 0; i < fl->form->n; i++) {
		struct form_field *ff = &fl->form->fields[i];

		if (ff->type != FORM_NOTE || ff->id != -1 || !ff->is_msgid)
			continue;
		if (!strcmp(ff->text, heading_successor))
			ff->is_hidden = !hand;
		else if (!strcmp(ff->text, heading_return))
			ff->is_hidden = !back;
	}
}

/* What the officer chose for the i-th token: the handover or the return, with its block. */
struct choices {
	struct token_act give, ret;
};

static void pick_choice(struct flow *fl, size_t i, struct flow_act *out, void *ctx)
{
	struct choices *c = ctx;

	switch (chosen(fl, i)) {
	case CHOOSE_HANDOVER:
		*out = (struct flow_act){ &c->give, { fl->form, TOKEN_ACT_HANDOVER, 0 } };
		break;
	case CHOOSE_RETURN:
		*out = (struct flow_act){ &c->ret, { fl->form, TOKEN_ACT_RETURN, TF_RETURN } };
		break;
	default:
		out->act = NULL;
	}
}

/* A problem core names by a field of either block goes to that block's field. */
static int either_field(const char *column, void *ctx)
{
	struct flow *fl = ctx;
	struct act_map hmap = { fl->form, TOKEN_ACT_HANDOVER, 0 };
	struct act_map rmap = { fl->form, TOKEN_ACT_RETURN, TF_RETURN };
	int id = any_chosen(fl, CHOOSE_HANDOVER) ? act_field_of(column, &hmap) : -1;

	return id >= 0 ? id : any_chosen(fl, CHOOSE_RETURN) ? act_field_of(column, &rmap) : -1;
}

/* The minutes the steps of one action need (one for all its tokens). */
static void minutes_for(struct flow *fl, const char *action, const long long *ids, size_t n,
			const char *date)
{
	char serial[128];
	const char *doc = flow_minutes_doc(fl, action, ids, n, serial, sizeof(serial));

	if (doc)
		minutes_offer(doc, ids, n, date);
}

/* The ids of the tokens the officer chose c for, into ids; how many. */
static size_t ids_chosen(struct flow *fl, enum choice c, long long *ids)
{
	size_t i, n = 0;

	for (i = 0; i < fl->ntokens; i++)
		if (chosen(fl, i) == (int)c)
			ids[n++] = fl->tokens[i].id;
	return n;
}

static int handover_save(struct flow *fl)
{
	struct choices c = { { 0 }, { 0 } };
	long long *hand = calloc(fl->ntokens + 1, sizeof(*hand)), *back = calloc(fl->ntokens + 1, sizeof(*back));
	size_t nhand, nback;
	char date[11] = "";
	int rc = KYSO_ENOMEM;

	act_fields_read(fl, TOKEN_ACT_HANDOVER, 0, &c.give);
	act_fields_read(fl, TOKEN_ACT_RETURN, TF_RETURN, &c.ret);
	if (c.give.date)
		snprintf(date, sizeof(date), "%s", c.give.date);
	if (!hand || !back)
		ui_error("%s", _("out of memory"));
	else
		rc = flow_apply(fl, pick_choice, &c, NULL, either_field, fl);
	if (!rc) {
		nhand = ids_chosen(fl, CHOOSE_HANDOVER, hand);
		nback = ids_chosen(fl, CHOOSE_RETURN, back);
		ui_status(_("Recorded: %zu token(s) handed over, %zu returned, %zu left for later."),
			  nhand, nback, fl->ntokens - nhand - nback);
		flow_done(fl);
		/* the flow stays under the dialogs until they are done: it knows the serials */
		minutes_for(fl, TOKEN_ACT_HANDOVER, hand, nhand, date);
		minutes_for(fl, TOKEN_ACT_RETURN, back, nback, date);
	}
	free(hand);
	free(back);
	return rc ? UI_HANDLED : UI_LEAVE;
}

struct handover_tokens {
	long long subscriber_id;
	long long ids[256];
	size_t n;
};

/* Art. 14.4: the tokens left open by this subscriber's departure. */
static int take_departure(const struct follow_up_row *f, void *ctx)
{
	struct handover_tokens *ht = ctx;
	size_t i;

	if (!f->token_id)
		return 0;
	for (i = 0; i < ht->n; i++)
		if (ht->ids[i] == f->token_id)
			return 0;
	if (ht->n < 256)
		ht->ids[ht->n++] = f->token_id;
	return 0;
}

static int add_tokens(struct flow *fl, const struct handover_tokens *ht, struct kyso_err *err)
{
	size_t i;

	for (i = 0; i < ht->n; i++) {
		struct token t;
		char label[256];
		int rc, own;

		token_init(&t);
		if ((rc = token_get(ui_db(), ht->ids[i], &t, err))) {
			token_free(&t);
			return rc;
		}
		/* the agency's token they kept goes to a successor; their own goes back */
		own = t.subscriber_id == ht->subscriber_id;
		snprintf(label, sizeof(label), "%s%s%s", t.serial, own ? "" : " — ",
			 own ? "" : t.subscriber_name);
		if ((rc = flow_add_token(fl, &t, label)) ||
		    form_add_choice(fl->form, TF_TOKEN + (int)i, fl->tokens[i].label, choice_items, 3,
				    own ? CHOOSE_RETURN : CHOOSE_HANDOVER, 1) < 0) {
			token_free(&t);
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		}
		token_free(&t);
	}
	return 0;
}

static int build(struct flow *fl, const struct subscriber *s, const struct handover_tokens *ht,
		 struct kyso_err *err)
{
	char intro[1024];
	int bad = 0, rc;

	snprintf(intro, sizeof(intro),
		 _("Art. 14.4: %s has left. For each token they keep, choose: hand it and its password to the successor the head of agency designated, return it to the department for revocation, or leave it for later (the due list keeps it as unaccounted)."),
		 s->name);
	bad |= form_add_note(fl->form, intro, 0, 0) < 0;
	if ((rc = add_tokens(fl, ht, err)))
		return rc;
	bad |= form_add_date(fl->form, TF_DATE, N_("Date"), NULL, 1) < 0;
	bad |= form_add_note(fl->form, heading_successor, 1, 0) < 0;
	bad |= act_fields_add(fl, TOKEN_ACT_HANDOVER, 0, 1) != 0;
	bad |= form_add_note(fl->form, heading_return, 1, 0) < 0;
	bad |= act_fields_add(fl, TOKEN_ACT_RETURN, TF_RETURN, 1) != 0;
	bad |= form_add_text(fl->form, TF_NOTE, N_("Note"), NULL, 0, 0) < 0;
	bad |= form_add_button(fl->form, TF_SAVE, N_("Record")) < 0;
	bad |= form_add_button(fl->form, TF_CANCEL, N_("Cancel")) < 0;
	act_set_reason(fl, TF_RETURN, "departure");
	return bad ? kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory")) : 0;
}

struct flow *handover_flow(long long subscriber_id, struct kyso_err *err)
{
	struct handover_tokens ht = { .subscriber_id = subscriber_id };
	struct subscriber s;
	struct flow *fl = NULL;
	char shown[11];

	subscriber_init(&s);
	if (subscriber_get(ui_db(), subscriber_id, &s, err) ||
	    token_departure_follow_ups(ui_db(), subscriber_id, take_departure, &ht, err))
		goto out;
	if (!ht.n) {
		kyso_fail(err, KYSO_ENOTFOUND, _("Every token of %s is accounted for."), s.name);
		goto out;
	}
	if (!(fl = flow_new(N_("Handover of tokens"), DRAFT_TOKEN_HANDOVER, err)))
		goto out;
	fl->subscriber_id = subscriber_id;
	fl->save = handover_save;
	fl->changed = handover_changed;
	snprintf(fl->base.detail, sizeof(fl->base.detail), "%s", s.name);
	if (build(fl, &s, &ht, err)) {
		flow_free(fl);
		fl = NULL;
		goto out;
	}
	/* the day they left, unless the officer says otherwise */
	if (s.departed_on)
		form_set_text(fl->form, TF_DATE, date_display(s.departed_on, shown), 0);
	handover_changed(fl);
	ui_push(&fl->base);
out:
	subscriber_free(&s);
	return fl;
}

int departure_flow_open(long long subscriber_id)
{
	struct kyso_err err = { 0 };

	if (handover_flow(subscriber_id, &err))
		return 0;
	if (err.code == KYSO_ENOTFOUND)
		ui_status("%s", err.msg);
	else
		ui_error("%s", err.msg);
	return -1;
}

int departure_flow_offer(long long subscriber_id)
{
	struct kyso_err err = { 0 };
	long n = 0;

	if (token_unaccounted(ui_db(), subscriber_id, &n, &err)) {
		ui_error("%s", err.msg);
		return -1;
	}
	return n > 0 ? departure_flow_open(subscriber_id) : 0;
}
