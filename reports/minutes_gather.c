/*
 * minutes_gather.c - what minutes say, read from the store: for each token named, the
 * last step of the kind (the transition table says which actions each kind of minutes
 * records), the custody before it, the certificate it carries, the parties; the
 * agency's profile; the document's date.  Refuses what cannot be recorded: a token
 * without such a step, a step already in minutes, tokens of other parties, a date before
 * the change or in the future.  Runs inside minutes_write's transaction; writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "minutes_impl.h"

static int same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static void step_free(struct minutes_step *c)
{
#define STEP_FREE(f) free(c->f);
	STEP_TEXTS(STEP_FREE)
#undef STEP_FREE
	memset(c, 0, sizeof *c);
}

static int step_take(const struct token_step *s, void *ctx)
{
	struct minutes_step *c = ctx;

	step_free(c);
#define STEP_DUP(f) if (s->f && !(c->f = strdup(s->f))) c->oom = 1;
	STEP_TEXTS(STEP_DUP)
#undef STEP_DUP
	c->id = s->id;
	c->token_id = s->token_id;
	c->party_subscriber_id = s->party_subscriber_id;
	c->document_id = s->document_id;
	c->password_handed = s->password_handed;
	return 0;
}

static void person_free(struct minutes_person *p)
{
	free(p->name);
	free(p->position);
	free(p->unit);
	memset(p, 0, sizeof *p);
}

static int person_set(struct minutes_person *p, const char *name, const char *position,
		      const char *unit)
{
	person_free(p);
	p->name = name && *name ? strdup(name) : NULL;
	p->position = position && *position ? strdup(position) : NULL;
	p->unit = unit && *unit ? strdup(unit) : NULL;
	return (name && *name && !p->name) || (position && *position && !p->position) ||
		       (unit && *unit && !p->unit)
		       ? -1
		       : 0;
}

static void item_free(struct minutes_item *it)
{
	token_free(&it->t);
	step_free(&it->step);
	step_free(&it->prev);
	free(it->cert_serial);
	free(it->cert_not_after);
	free(it->cert_revoked_on);
	free(it->cert_state);
	person_free(&it->first);
	person_free(&it->second);
}

/* The latest step seen, by date and then by id, as the history is ordered. */
struct latest {
	long long id;
	char on_date[11];
};

static int latest_take(const struct token_step *s, void *ctx)
{
	struct latest *l = ctx;
	int c = strcmp(s->on_date, l->on_date);

	if (c > 0 || (c == 0 && s->id > l->id)) {
		l->id = s->id;
		snprintf(l->on_date, sizeof l->on_date, "%s", s->on_date);
	}
	return 0;
}

/* The last step the minutes of this kind record: the latest of the kind's own action
 * and of every action the transition table says these minutes record (a found token's
 * return to use is recorded by handover minutes). */
static int last_step(struct kyso_db *db, enum minutes_kind kind, long long token_id,
		     long long *step_id, struct kyso_err *err)
{
	const struct token_transition *tr;
	struct latest best = { 0, "" };
	size_t n, i;
	long long id;
	int rc;

	tr = token_transitions(&n);
	for (i = 0; i <= n; i++) {
		const char *action = i < n ? tr[i].action : minutes_kind_action(kind);

		if (i < n && (!tr[i].document || strcmp(tr[i].document, minutes_doc_kind(kind))))
			continue;
		if ((rc = token_last_step(db, token_id, action, &id, err)))
			return rc;
		if (id && (rc = token_step_get(db, id, latest_take, &best, err)))
			return rc;
	}
	*step_id = best.id;
	return 0;
}

/* Copies every step before the target into out: what is left is the one just before. */
struct prev_ctx {
	long long target;
	struct minutes_step *out;
};

static int prev_take(const struct token_step *s, void *ctx)
{
	struct prev_ctx *p = ctx;

	if (s->id == p->target)
		return 1;
	step_take(s, p->out);
	return 0;
}

/* The latest certificate (cert_list's first) is the one the token carries. */
static int cert_take(const struct cert_row *r, void *ctx)
{
	struct minutes_item *it = ctx;

	if (!(it->cert_serial = strdup(r->serial)) ||
	    (r->not_after && !(it->cert_not_after = strdup(r->not_after))) ||
	    (r->revoked_on && !(it->cert_revoked_on = strdup(r->revoked_on))) ||
	    (r->state && !(it->cert_state = strdup(r->state))))
		it->step.oom = 1;
	return 1;
}

static int oom(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

/* The document that records a step already, by its number. */
static int refuse_recorded(struct kyso_db *db, const struct minutes_item *it,
			   struct kyso_err *err)
{
	struct document d;
	char number[96] = "?", shown[11];

	if (document_get(db, it->step.document_id, &d, NULL) == 0)
		document_number_text(d.number, d.symbol, number, sizeof number);
	document_free(&d);
	return kyso_fail(err, KYSO_EINVAL,
			 _("the change of token %s on %s is recorded in minutes %s already; write "
			   "those again (reprint) instead"),
			 it->t.serial, date_display(it->step.on_date, shown), number);
}

/* Reads token id, the step to record, the custody before it and its certificate. */
static int gather_item(struct minutes_gather *g, long long id, struct minutes_item *it,
		       struct kyso_err *err)
{
	struct prev_ctx pc = { 0, &it->prev };
	long long step_id;
	int rc;

	if ((rc = token_get(g->db, id, &it->t, err)) ||
	    (rc = last_step(g->db, g->kind, id, &step_id, err)))
		return rc;
	if (!step_id)
		return kyso_fail(err, KYSO_EINVAL, _(minutes_kind_no_step(g->kind)), it->t.serial);
	if ((rc = token_step_get(g->db, step_id, step_take, &it->step, err)))
		return rc;
	if (it->step.oom)
		return oom(err);
	if (it->step.document_id)
		return refuse_recorded(g->db, it, err);
	/* The minutes name the subscriber as it was called on the day of the step, even
	 * when written after a rename (issue 11.7). */
	{
		char *then = NULL;

		if ((rc = subscriber_name_on(g->db, it->t.subscriber_id, it->step.on_date, &then,
					     err)))
			return rc;
		free(it->t.subscriber_name);
		it->t.subscriber_name = then;
	}
	pc.target = step_id;
	if ((rc = token_steps(g->db, id, prev_take, &pc, err)))
		return rc;
	if (it->prev.oom)
		return oom(err);
	if (it->step.on_date && strcmp(it->step.on_date, g->latest) > 0)
		snprintf(g->latest, sizeof g->latest, "%s", it->step.on_date);
	return 0;
}

/* The unit a person of the minutes belongs to: the subscriber's own, else the token's
 * subscriber's when it is them, else the agency. */
static int unit_of(struct minutes_gather *g, const struct minutes_item *it, const char *name,
		   long long subscriber_id, char **unit, struct kyso_err *err)
{
	struct subscriber s;
	int rc = 0;

	*unit = NULL;
	if (subscriber_id > 0) {
		subscriber_init(&s);
		if ((rc = subscriber_get(g->db, subscriber_id, &s, err)) == 0 && s.unit)
			*unit = strdup(s.unit);
		subscriber_free(&s);
		if (rc || *unit)
			return rc;
	} else if (same(name, it->t.subscriber_name) && it->t.unit) {
		*unit = strdup(it->t.unit);
		return *unit ? 0 : oom(err);
	}
	*unit = g->agency.name ? strdup(g->agency.name) : NULL;
	return 0;
}

/* The parties of one token, by kind (DOMAIN.md §3, §4):
 *   handover  the keeper before the step gives; the keeper after it (the designated
 *             successor, or whoever takes a found token back) receives; a found token
 *             comes back from the focal-point officer
 *   return    the focal-point officer gives for the agency; the department's officer
 *             receives
 *   lost      who had it in hand loses; who the step names confirms (the head of agency
 *             unless another) */
static int parties_of(struct minutes_gather *g, struct minutes_item *it, struct kyso_err *err)
{
	const struct agency *a = &g->agency;
	const struct minutes_step *s = &it->step, *p = &it->prev;
	const char *name, *pos, *by;
	char *unit = NULL;
	int rc = 0;

	switch (g->kind) {
	case MINUTES_HANDOVER:
		if (!strcmp(s->action, TOKEN_ACT_HANDOVER)) {
			rc = unit_of(g, it, p->keeper_name, 0, &unit, err);
			if (!rc && person_set(&it->first, p->keeper_name, p->keeper_position, unit))
				rc = oom(err);
		} else if (person_set(&it->first, a->focal_name, a->focal_position, a->name)) {
			rc = oom(err);
		}
		free(unit);
		unit = NULL;
		name = s->keeper_name ? s->keeper_name : s->party_name;
		pos = s->keeper_name ? s->keeper_position : s->party_position;
		if (!rc)
			rc = unit_of(g, it, name, s->party_subscriber_id, &unit, err);
		if (!rc && person_set(&it->second, name, pos, unit))
			rc = oom(err);
		break;
	case MINUTES_RETURN:
		name = a->focal_name ? a->focal_name : p->keeper_name;
		pos = a->focal_name ? a->focal_position : p->keeper_position;
		if (person_set(&it->first, name, pos, a->name) ||
		    person_set(&it->second, s->party_name, s->party_position, a->recipient))
			rc = oom(err);
		break;
	case MINUTES_LOST:
		name = p->holder_name ? p->holder_name : p->keeper_name;
		pos = p->holder_name ? p->holder_position : p->keeper_position;
		by = s->authorised_by ? s->authorised_by : a->head_name;
		rc = unit_of(g, it, name, 0, &unit, err);
		if (!rc && (person_set(&it->first, name, pos, unit) ||
			    person_set(&it->second, by,
				       same(by, a->head_name) ? a->head_position : NULL, a->name)))
			rc = oom(err);
		break;
	}
	free(unit);
	return rc;
}

/* One document per pair of parties: the tokens of a handover or a loss must share them,
 * the tokens handed back the department's officer who received them. */
static int check_parties(struct minutes_gather *g, struct kyso_err *err)
{
	const struct minutes_item *a = &g->items[0];
	size_t i;

	for (i = 1; i < g->n; i++) {
		const struct minutes_item *b = &g->items[i];

		if ((g->kind == MINUTES_RETURN || same(a->first.name, b->first.name)) &&
		    same(a->second.name, b->second.name))
			continue;
		return kyso_fail(err, KYSO_EINVAL,
				 _("tokens %s and %s were not handed between the same people "
				   "(%s, %s / %s, %s): write one minutes for each"),
				 a->t.serial, b->t.serial, a->first.name ? a->first.name : "-",
				 a->second.name ? a->second.name : "-",
				 b->first.name ? b->first.name : "-",
				 b->second.name ? b->second.name : "-");
	}
	return 0;
}

/* The document's date: as asked, else the latest step's; never before the change it
 * records nor in the future. */
static int resolve_date(struct minutes_gather *g, const char *asked, struct kyso_err *err)
{
	char today[11], shown[11], asked_shown[11];

	db_today(today);
	if (!asked || !*asked) {
		snprintf(g->date, sizeof g->date, "%s", g->latest);
		return 0;
	}
	if (date_parse(asked, g->date) != 0)
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				 asked);
	if (strcmp(g->date, g->latest) < 0)
		return kyso_fail(err, KYSO_EINVAL,
				 _("the minutes cannot be dated %s, before the change they record (%s)"),
				 date_display(g->date, asked_shown), date_display(g->latest, shown));
	if (strcmp(g->date, today) > 0)
		return kyso_fail(err, KYSO_EINVAL, _("the minutes cannot be dated in the future (%s)"),
				 date_display(g->date, asked_shown));
	return 0;
}

int minutes_gather(struct minutes_gather *g, const struct minutes_request *r, struct kyso_err *err)
{
	size_t i, j;
	int rc;

	for (i = 0; i < r->ntokens; i++)
		for (j = 0; j < i; j++)
			if (r->token_ids[i] == r->token_ids[j])
				return kyso_fail(err, KYSO_EINVAL, "%s",
						 _("a token is named twice"));
	if ((rc = agency_get(g->db, &g->agency, err)))
		return rc;
	for (i = 0; i < g->n; i++) {
		token_init(&g->items[i].t);
		if ((rc = gather_item(g, r->token_ids[i], &g->items[i], err)))
			return rc;
	}
	if ((rc = resolve_date(g, r->date, err)))
		return rc;
	for (i = 0; i < g->n; i++) {
		/* The certificate's state as on the document's day. */
		struct cert_query q = { .token_id = g->items[i].t.id, .at = g->date, .limit = 1 };

		if ((rc = cert_list(g->db, &q, cert_take, &g->items[i], err)))
			return rc;
		if (g->items[i].step.oom)
			return oom(err);
		if ((rc = parties_of(g, &g->items[i], err)))
			return rc;
	}
	return check_parties(g, err);
}

void minutes_gather_free(struct minutes_gather *g)
{
	size_t i;

	for (i = 0; g->items && i < g->n; i++)
		item_free(&g->items[i]);
	free(g->items);
	agency_free(&g->agency);
}
