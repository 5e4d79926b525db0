/*
 * minutes.c - minutes of tokens' changes (minutes.h): gathers what the steps, the
 * certificates and the agency's profile say, fills the kind's definition
 * (minutes_forms.c) into the document's full content, draws it (minutes_render.c),
 * numbers and records it (document.h) and writes the file.
 *
 * One transaction holds everything: the number is taken, the file is written under a
 * temporary name and flushed, the record and the links from the steps are written, and
 * only after the commit is the file renamed into place; a failed transaction removes
 * the temporary file.  The content recorded holds every resolved text, so the document
 * can be written again, byte for byte, without the definitions or the data it came from.
 *
 * Never a password: the steps carry only whether it was handed over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>

#include "kyso/agency.h"
#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "kyso/token.h"
#include "minutes_impl.h"

static const struct {
	const char *name, *doc_kind, *action;
	const char *no_step;	/* the refusal when a token has no such step */
} kinds[] = {
	[MINUTES_HANDOVER] = { "handover", DOC_MINUTES_HANDOVER, TOKEN_ACT_HANDOVER,
			       N_("token %s has no handover to record in minutes") },
	[MINUTES_RETURN] = { "return", DOC_MINUTES_RETURN, TOKEN_ACT_RETURN,
			     N_("token %s was not handed back: there is no return to record in minutes") },
	[MINUTES_LOST] = { "lost", DOC_MINUTES_LOST, TOKEN_ACT_LOSE,
			   N_("token %s has no loss to record in minutes") },
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *minutes_kind_name(enum minutes_kind k)
{
	return (size_t)k < NKINDS ? kinds[k].name : "?";
}

int minutes_kind_parse(const char *name, enum minutes_kind *k)
{
	size_t i;

	for (i = 0; name && i < NKINDS; i++)
		if (!strcmp(name, kinds[i].name)) {
			*k = (enum minutes_kind)i;
			return 0;
		}
	return -1;
}

const char *minutes_doc_kind(enum minutes_kind k)
{
	return (size_t)k < NKINDS ? kinds[k].doc_kind : NULL;
}

/* Text helpers ------------------------------------------------------------------------ */

/* Upper case, as Decree 30 writes the agency and the authorities (utf8proc). */
static char *upper(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	size_t n = 0;
	char *out, *nfc;

	if (!s)
		return NULL;
	if (!(out = malloc(4 * strlen(s) + 1)))
		return NULL;
	while (*p) {
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);

		if (k <= 0)
			break;
		n += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out + n);
		p += k;
	}
	out[n] = '\0';
	nfc = text_nfc(out);
	free(out);
	return nfc;
}

/* Decree 30: "ngày 05 tháng 02 năm 2026"; a day below 10 and the months 1 and 2 with a
 * leading zero ("ngày 15 tháng 3 năm 2026"). */
static char *date_long(const char *iso, char out[40])
{
	int y, m, d;

	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		out[0] = '\0';
		return out;
	}
	snprintf(out, 40, m <= 2 ? "ngày %02d tháng %02d năm %d" : "ngày %02d tháng %d năm %d", d,
		 m, y);
	return out;
}

static int same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

char *minutes_fill(const char *tmpl, json_t *vars, const char *role, const char *blank,
		   int *keep, char unknown[64])
{
	char *text = NULL, key[64];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *p = tmpl;
	int ok = f != NULL;

	if (keep)
		*keep = 1;
	while (ok && *p) {
		const char *close, *name, *v;
		json_t *value = NULL;
		int cond;

		if (*p != '{' || !(close = strchr(p, '}'))) {
			ok = fputc(*p++, f) != EOF;
			continue;
		}
		cond = p[1] == '?';
		name = p + 1 + cond;
		if ((size_t)(close - name) >= sizeof key - 16) {
			ok = 0;
			break;
		}
		if (role) {
			snprintf(key, sizeof key, "%s_%.*s", role, (int)(close - name), name);
			value = json_object_get(vars, key);
		}
		if (!value) {
			snprintf(key, sizeof key, "%.*s", (int)(close - name), name);
			value = json_object_get(vars, key);
		}
		if (!value) {
			if (unknown)
				snprintf(unknown, 64, "%s", key);
			ok = 0;
			break;
		}
		v = json_string_value(value);
		if (cond) {
			if ((!v || !*v) && keep)
				*keep = 0;
		} else {
			ok = fputs(v && *v ? v : blank, f) != EOF;
		}
		p = close + 1;
	}
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok) {
		free(text);
		return NULL;
	}
	return text;
}

/* What is gathered ------------------------------------------------------------------- */

/* The texts of a step kept past the callback that read it. */
#define STEP_TEXTS(X)                                                                     \
	X(on_date) X(action) X(keeper_name) X(keeper_position) X(holder_name)             \
	X(holder_position) X(party_name) X(party_position) X(ref) X(authorised_by) X(place) \
	X(circumstances) X(discovered) X(reason) X(note)

struct step_copy {
#define STEP_DECL(f) char *f;
	STEP_TEXTS(STEP_DECL)
#undef STEP_DECL
	long long id, token_id, party_subscriber_id, document_id;
	int password_handed;
	int oom;
};

static void step_copy_free(struct step_copy *c)
{
#define STEP_FREE(f) free(c->f);
	STEP_TEXTS(STEP_FREE)
#undef STEP_FREE
	memset(c, 0, sizeof *c);
}

static int step_copy_take(const struct token_step *s, void *ctx)
{
	struct step_copy *c = ctx;

	step_copy_free(c);
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

/* A person as the minutes name them. */
struct person {
	char *name, *position, *unit;
};

static void person_free(struct person *p)
{
	free(p->name);
	free(p->position);
	free(p->unit);
	memset(p, 0, sizeof *p);
}

static int person_set(struct person *p, const char *name, const char *position,
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

/* One token of the document and what the minutes say of it. */
struct item {
	struct token t;
	struct step_copy step;	/* the step the minutes record */
	struct step_copy prev;	/* the step before it: custody before the change */
	char *cert_serial, *cert_not_after, *cert_revoked_on, *cert_state;
	struct person first, second; /* the parties, in the definition's order */
};

static void item_free(struct item *it)
{
	token_free(&it->t);
	step_copy_free(&it->step);
	step_copy_free(&it->prev);
	free(it->cert_serial);
	free(it->cert_not_after);
	free(it->cert_revoked_on);
	free(it->cert_state);
	person_free(&it->first);
	person_free(&it->second);
}

struct gather {
	struct kyso_db *db;
	enum minutes_kind kind;
	struct agency agency;
	struct item *items;
	size_t n;
	char date[11];		/* the document's date */
	char latest[11];	/* the latest step's date */
};

/* The step with this id, when it comes later in the history than *best (by date, then
 * by id, as the history is ordered). */
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
		const char *action = i < n ? tr[i].action : kinds[kind].action;

		if (i < n && (!tr[i].document || strcmp(tr[i].document, kinds[kind].doc_kind)))
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
	struct step_copy *out;
};

static int prev_take(const struct token_step *s, void *ctx)
{
	struct prev_ctx *p = ctx;

	if (s->id == p->target)
		return 1;
	step_copy_take(s, p->out);
	return 0;
}

static int cert_take(const struct cert_row *r, void *ctx)
{
	struct item *it = ctx;

	it->cert_serial = strdup(r->serial);
	it->cert_not_after = r->not_after ? strdup(r->not_after) : NULL;
	it->cert_revoked_on = r->revoked_on ? strdup(r->revoked_on) : NULL;
	it->cert_state = r->state ? strdup(r->state) : NULL;
	return 1; /* the latest certificate is the one the token carries */
}

static int oom(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

/* The document that records a step already, by its number. */
static int refuse_recorded(struct kyso_db *db, const struct item *it, struct kyso_err *err)
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
static int gather_item(struct gather *g, long long id, struct item *it, struct kyso_err *err)
{
	struct prev_ctx pc = { 0, &it->prev };
	long long step_id;
	int rc;

	if ((rc = token_get(g->db, id, &it->t, err)) ||
	    (rc = last_step(g->db, g->kind, id, &step_id, err)))
		return rc;
	if (!step_id)
		return kyso_fail(err, KYSO_EINVAL, _(kinds[g->kind].no_step), it->t.serial);
	if ((rc = token_step_get(g->db, step_id, step_copy_take, &it->step, err)))
		return rc;
	if (it->step.oom)
		return oom(err);
	if (it->step.document_id)
		return refuse_recorded(g->db, it, err);
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
static int unit_of(struct gather *g, const struct item *it, const char *name,
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
static int parties_of(struct gather *g, struct item *it, struct kyso_err *err)
{
	const struct agency *a = &g->agency;
	const struct step_copy *s = &it->step, *p = &it->prev;
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
static int check_parties(struct gather *g, struct kyso_err *err)
{
	const struct item *a = &g->items[0];
	size_t i;

	for (i = 1; i < g->n; i++) {
		const struct item *b = &g->items[i];

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
static int resolve_date(struct gather *g, const char *asked, struct kyso_err *err)
{
	char today[11];

	db_today(today);
	if (!asked || !*asked) {
		snprintf(g->date, sizeof g->date, "%s", g->latest);
		return 0;
	}
	if (date_parse(asked, g->date) != 0)
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a date (YYYY-MM-DD)"), asked);
	if (strcmp(g->date, g->latest) < 0)
		return kyso_fail(err, KYSO_EINVAL,
				 _("the minutes cannot be dated %s, before the change they record (%s)"),
				 asked, g->latest);
	if (strcmp(g->date, today) > 0)
		return kyso_fail(err, KYSO_EINVAL, _("the minutes cannot be dated in the future (%s)"),
				 asked);
	return 0;
}

static int gather(struct gather *g, const struct minutes_request *r, struct kyso_err *err)
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

		if ((rc = cert_list(g->db, &q, cert_take, &g->items[i], err)) ||
		    (rc = parties_of(g, &g->items[i], err)))
			return rc;
	}
	return check_parties(g, err);
}

/* The content ------------------------------------------------------------------------ */

static int setv(json_t *vars, const char *key, const char *value)
{
	return json_object_set_new(vars, key,
				   value && *value ? json_string(value) : json_null());
}

static int set_person(json_t *vars, const char *role, const struct person *p)
{
	char key[64];
	int rc = 0;

	snprintf(key, sizeof key, "%s_name", role);
	rc |= setv(vars, key, p->name);
	snprintf(key, sizeof key, "%s_position", role);
	rc |= setv(vars, key, p->position);
	snprintf(key, sizeof key, "%s_unit", role);
	rc |= setv(vars, key, p->unit);
	return rc;
}

/* The variables of the document (minutes_forms.c names them). */
static json_t *document_vars(const struct gather *g, const struct minutes_form *f,
			     const char *number)
{
	const struct agency *a = &g->agency;
	const struct item *it = &g->items[0];
	const struct step_copy *s = &it->step;
	json_t *v = json_object();
	char dl[40], lost[40], shown[11], count[24], *head = upper(a->head_position);
	int rc = !v, handed = 1;
	size_t i;

	for (i = 0; i < g->n; i++)
		handed &= g->items[i].step.password_handed == 1;
	snprintf(count, sizeof count, "%02zu", g->n);
	rc = rc || setv(v, "number", number) || setv(v, "date_long", date_long(g->date, dl)) ||
	     setv(v, "date", date_display(g->date, shown)) || setv(v, "count", count) ||
	     setv(v, "agency", a->name) || setv(v, "recipient", a->recipient) ||
	     setv(v, "head_name", a->head_name) || setv(v, "head_title", head) ||
	     setv(v, "designation_ref", s->ref) ||
	     setv(v, "designated_by", s->authorised_by ? s->authorised_by : a->head_name) ||
	     setv(v, "notice_ref", g->kind == MINUTES_RETURN ? s->ref : NULL) ||
	     setv(v, "lost_date_long", date_long(s->on_date, lost)) ||
	     setv(v, "lost_place", s->place) || setv(v, "circumstances", s->circumstances) ||
	     setv(v, "discovered", s->discovered) ||
	     setv(v, "password_handed", handed ? "1" : NULL) ||
	     setv(v, "password_not_handed", handed ? NULL : "1") ||
	     set_person(v, f->parties[0].role, &it->first) ||
	     set_person(v, f->parties[1].role, &it->second);
	free(head);
	if (rc) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* Fills tmpl and appends it to arr as a paragraph of style (or a bare string when style
 * is NULL); skipped when a "{?var}" had no value.  -1 on a failure (err filled). */
static int add_text(json_t *arr, const char *style, const char *tmpl, json_t *vars,
		    const char *role, struct kyso_err *err)
{
	char unknown[64] = "", *text;
	int keep, rc;

	if (!tmpl)
		return 0;
	if (!(text = minutes_fill(tmpl, vars, role, MINUTES_BLANK, &keep, unknown)))
		return *unknown ? kyso_fail(err, KYSO_EIO, "minutes: \"{%s}\" is not a variable",
					    unknown)
				: oom(err);
	if (!keep)
		rc = 0;
	else if (style)
		rc = json_array_append_new(arr, json_pack("{s:s,s:s}", "style", style, "text", text));
	else
		rc = json_array_append_new(arr, json_string(text));
	free(text);
	return rc ? oom(err) : 0;
}

static int add_lines(json_t *arr, const char *style, const char *const *lines, json_t *vars,
		     struct kyso_err *err)
{
	int rc;

	for (; lines && *lines; lines++)
		if ((rc = add_text(arr, style, *lines, vars, NULL, err)))
			return rc;
	return 0;
}

/* A row's variables: the document's and the token's. */
static json_t *row_vars(const struct gather *g, const struct minutes_form *f, json_t *doc,
			size_t i, struct kyso_err *err)
{
	const struct item *it = &g->items[i];
	const struct minutes_terms *t = f->terms;
	json_t *v = json_deep_copy(doc);
	char no[24], na[11], ro[11], *state = NULL, *cond = NULL, *note = NULL;
	const char *state_tmpl = NULL;
	int rc;

	snprintf(no, sizeof no, "%zu", i + 1);
	rc = !v || setv(v, "no", no) || setv(v, "subscriber", it->t.subscriber_name) ||
	     setv(v, "token_serial", it->t.serial) || setv(v, "cert_serial", it->cert_serial) ||
	     setv(v, "cert_not_after", it->cert_not_after ? date_display(it->cert_not_after, na)
							 : NULL) ||
	     setv(v, "cert_revoked_on", it->cert_revoked_on
						? date_display(it->cert_revoked_on, ro)
						: NULL) ||
	     setv(v, "reason", minutes_reason_text(f->form_set, it->step.reason)) ||
	     setv(v, "step_note", it->step.note);
	if (!rc && it->cert_state) {
		if (!strcmp(it->cert_state, "revoked"))
			state_tmpl = t->cert_revoked;
		else if (!strcmp(it->cert_state, "expired"))
			state_tmpl = t->cert_expired;
		else
			state_tmpl = t->cert_valid;
		rc = !(state = minutes_fill(state_tmpl, v, NULL, "", NULL, NULL));
	}
	rc = rc || setv(v, "cert_state", state) ||
	     !(cond = minutes_fill(f->condition, v, NULL, "", NULL, NULL)) ||
	     setv(v, "condition", cond);
	/* The note: the certificate's state, then what the step noted. */
	if (!rc && it->step.note && *it->step.note &&
	    asprintf(&note, "%s%s%s", state ? state : "", state ? "; " : "", it->step.note) < 0)
		note = NULL, rc = 1;
	rc = rc || setv(v, "note", note ? note : state);
	free(state);
	free(cond);
	free(note);
	if (rc) {
		json_decref(v);
		oom(err);
		return NULL;
	}
	return v;
}

static int add_table(json_t *blocks, const struct gather *g, const struct minutes_form *f,
		     json_t *doc, struct kyso_err *err)
{
	static const char *const aligns[] = { "left", "center", "right", "left" };
	const struct minutes_terms *t = f->terms;
	json_t *widths = json_array(), *align = json_array(), *head = json_array();
	json_t *rows = json_array(), *table;
	size_t i, c;
	int rc = 0;

	for (c = 0; c < t->ncolumns; c++)
		rc |= json_array_append_new(widths, json_integer(t->columns[c].width)) |
		      json_array_append_new(align, json_string(aligns[t->columns[c].align])) |
		      json_array_append_new(head, json_string(t->columns[c].header));
	for (i = 0; !rc && i < g->n; i++) {
		json_t *v = row_vars(g, f, doc, i, err), *row = json_array();

		if (!v) {
			json_decref(row);
			rc = -1;
			break;
		}
		for (c = 0; !rc && c < t->ncolumns; c++) {
			char *cell = minutes_fill(t->columns[c].cell, v, NULL, "", NULL, NULL);

			rc = !cell || json_array_append_new(row, json_string(cell));
			free(cell);
		}
		json_decref(v);
		rc = rc || json_array_append_new(rows, row);
	}
	table = json_pack("{s:{s:o,s:o,s:o,s:o}}", "table", "widths", widths, "align", align,
			  "head", head, "rows", rows);
	if (rc || !table) {
		json_decref(table);
		return err->code ? err->code : oom(err);
	}
	return json_array_append_new(blocks, table) ? oom(err) : 0;
}

static json_t *sign_json(const struct minutes_sign *s, json_t *vars)
{
	char *title = minutes_fill(s->title, vars, NULL, MINUTES_BLANK, NULL, NULL);
	char *note = s->note ? minutes_fill(s->note, vars, NULL, "", NULL, NULL) : NULL;
	char *name = minutes_fill(s->name, vars, NULL, "", NULL, NULL);
	json_t *o = title && name ? json_pack("{s:s,s:s?,s:s}", "title", title, "note", note,
					      "name", name)
				  : NULL;

	free(title);
	free(note);
	free(name);
	return o;
}

static int add_parties(json_t *blocks, const struct minutes_form *f, json_t *vars,
		       struct kyso_err *err)
{
	const struct minutes_party *p;
	int rc;

	for (p = f->parties; p->role; p++) {
		const char *const *line;

		if ((rc = add_text(blocks, "party", p->label, vars, NULL, err)))
			return rc;
		for (line = f->terms->party_lines; *line; line++)
			if ((rc = add_text(blocks, "party_line", *line, vars, p->role, err)))
				return rc;
	}
	return 0;
}

static int add_body(json_t *c, const struct gather *g, const struct minutes_form *f,
		    json_t *vars, struct kyso_err *err)
{
	json_t *blocks = json_array(), *label = json_array();
	int rc;

	if (!blocks || json_object_set_new(c, "blocks", blocks) || !label ||
	    json_object_set_new(c, "label", label))
		return oom(err);
	if ((rc = add_lines(label, NULL, f->label, vars, err)) ||
	    (rc = add_text(blocks, "title", f->title, vars, NULL, err)) ||
	    (rc = add_text(blocks, "summary", f->summary, vars, NULL, err)) ||
	    (rc = add_lines(blocks, "basis", f->basis, vars, err)) ||
	    (rc = add_text(blocks, "body", f->opening, vars, NULL, err)) ||
	    (rc = add_parties(blocks, f, vars, err)) ||
	    (rc = add_lines(blocks, "body", f->body, vars, err)) ||
	    (rc = add_table(blocks, g, f, vars, err)) ||
	    (rc = add_lines(blocks, "body", f->closing, vars, err)))
		return rc;
	return 0;
}

static int add_foot(json_t *c, const struct minutes_form *f, json_t *vars,
		    struct kyso_err *err)
{
	json_t *signs = json_array(), *recips = json_array(), *confirm;
	const struct minutes_sign *s;
	int rc = !signs || json_object_set_new(c, "signatures", signs) || !recips ||
		 json_object_set_new(c, "recipients", recips);

	for (s = f->signs; !rc && s->title; s++)
		rc = json_array_append_new(signs, sign_json(s, vars));
	confirm = rc ? NULL : sign_json(&f->confirm, vars);
	if (rc || !confirm || json_object_set_new(c, "confirm", confirm))
		return oom(err);
	return add_lines(recips, NULL, f->recipients, vars, err);
}

static json_t *header_json(const struct gather *g, const char *number)
{
	const struct agency *a = &g->agency;
	char *parent = upper(a->parent_body), *agency = upper(a->name), *num = NULL;
	char *place_date = NULL, dl[40];
	json_t *h = NULL;

	if (asprintf(&num, "Số: %s", number) >= 0 &&
	    asprintf(&place_date, "%s, %s", a->place && *a->place ? a->place : MINUTES_BLANK,
		     date_long(g->date, dl)) >= 0)
		h = json_pack("{s:s?,s:s?,s:s,s:s,s:s,s:s}", "parent", parent, "agency", agency,
			      "number", num, "nation", DOCX_NATION, "motto", DOCX_MOTTO,
			      "place_date", place_date);
	free(parent);
	free(agency);
	free(num);
	free(place_date);
	return h;
}

/* The whole content of the document, every text resolved. */
static json_t *content_of(const struct gather *g, const struct minutes_form *f,
			  const char *number, const char *place, struct kyso_err *err)
{
	json_t *c = json_object(), *vars = document_vars(g, f, number), *serials = json_array();
	const struct agency *a = &g->agency;
	size_t i;
	int rc;

	rc = !c || !vars || !serials ||
	     setv(vars, "place", place && *place ? place : a->address ? a->address : a->name) ||
	     json_object_set_new(c, "format", json_integer(MINUTES_CONTENT_FORMAT)) ||
	     json_object_set_new(c, "kind", json_string(kinds[g->kind].doc_kind)) ||
	     json_object_set_new(c, "form_set", json_string(f->form_set)) ||
	     json_object_set_new(c, "form", f->form ? json_string(f->form) : json_null()) ||
	     json_object_set_new(c, "title", json_string(f->name)) ||
	     json_object_set_new(c, "date", json_string(g->date)) ||
	     json_object_set_new(c, "header", header_json(g, number));
	for (i = 0; !rc && i < g->n; i++)
		rc = json_array_append_new(serials, json_string(g->items[i].t.serial));
	rc = rc || json_object_set(c, "tokens", serials);
	if (rc)
		rc = oom(err);
	if (!rc)
		rc = add_body(c, g, f, vars, err);
	if (!rc)
		rc = add_foot(c, f, vars, err);
	json_decref(vars);
	json_decref(serials);
	if (rc) {
		json_decref(c);
		return NULL;
	}
	return c;
}

/* Writing ------------------------------------------------------------------------- */

struct written {
	unsigned char *bytes;
	size_t len;
	char sha256[65];
	char *content;		/* the JSON recorded */
	char number[96];
};

static int draw(const struct gather *g, const struct minutes_form *f, const char *place,
		long number, struct written *w, struct kyso_err *err)
{
	char symbol[80];
	json_t *c;
	int rc;

	snprintf(symbol, sizeof symbol, "%s-%s", f->symbol, g->agency.code ? g->agency.code : "");
	document_number_text(number, symbol, w->number, sizeof w->number);
	if (!(c = content_of(g, f, w->number, place, err)))
		return err->code ? err->code : oom(err);
	rc = minutes_render(c, &w->bytes, &w->len, err);
	if (rc == 0 && !(w->content = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		rc = oom(err);
	json_decref(c);
	if (rc == 0 && document_sha256(w->bytes, w->len, w->sha256) != 0)
		rc = kyso_fail(err, KYSO_EIO, "%s", _("computing a SHA-256 failed"));
	return rc;
}

static int record(struct gather *g, const struct minutes_form *f, long number,
		  const struct written *w, const char *path, long long *id, struct kyso_err *err)
{
	char symbol[80];
	struct document d = {
		.kind = (char *)kinds[g->kind].doc_kind, .form_set = (char *)f->form_set,
		.form = (char *)f->form, .year = atoi(g->date), .number = number,
		.symbol = symbol, .doc_date = g->date, .title = (char *)f->name,
		.content = w->content, .file_name = (char *)path, .sha256 = (char *)w->sha256,
	};
	long long *steps = calloc(g->n, sizeof *steps);
	size_t i;
	int rc;

	if (!steps)
		return oom(err);
	snprintf(symbol, sizeof symbol, "%s-%s", f->symbol, g->agency.code ? g->agency.code : "");
	for (i = 0; i < g->n; i++)
		steps[i] = g->items[i].step.id;
	rc = document_record_tx(g->db, &d, steps, g->n, err);
	*id = d.id;
	free(steps);
	return rc;
}

static void gather_free(struct gather *g)
{
	size_t i;

	for (i = 0; g->items && i < g->n; i++)
		item_free(&g->items[i]);
	free(g->items);
	agency_free(&g->agency);
}

static int check_request(const struct minutes_request *r, const char **form_set, char buf[16],
			 struct kyso_db *db, struct kyso_err *err)
{
	if ((size_t)r->kind >= NKINDS)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("unknown kind of minutes"));
	if (!r->ntokens || !r->token_ids)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("the minutes need at least one token"));
	if (!r->path || !*r->path)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("the minutes need a file to write"));
	*form_set = r->form_set ? r->form_set : document_default_form_set(db, buf);
	if (document_form_set_check(*form_set) != 0)
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a form set (nd68 or tt185)"),
				 *form_set);
	return 0;
}

int minutes_write(struct kyso_db *db, const struct minutes_request *r, long long *document_id,
		  struct kyso_err *err)
{
	struct gather g = { .db = db, .kind = r->kind, .n = r->ntokens };
	struct written w = { 0 };
	const struct minutes_form *f;
	const char *form_set = NULL;
	char buf[16], *tmp = NULL;
	long number = 0;
	long long id = 0;
	int rc;

	if ((rc = check_request(r, &form_set, buf, db, err)))
		return rc;
	if (!(f = minutes_form_find(r->kind, form_set)))
		return kyso_fail(err, KYSO_EINVAL, "%s", _("no definition of these minutes"));
	if (!(g.items = calloc(r->ntokens, sizeof *g.items)))
		return oom(err);
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = gather(&g, r, err)) ||
	    (rc = document_next_number_tx(db, atoi(g.date), &number, err)) ||
	    (rc = draw(&g, f, r->place, number, &w, err)) ||
	    (rc = docx_stage(w.bytes, w.len, r->path, &tmp, err)) ||
	    (rc = record(&g, f, number, &w, r->path, &id, err)) || (rc = db_commit(db, err))) {
		db_rollback(db);
		if (tmp)
			outfile_discard(tmp, rc);
		goto out;
	}
	/* Recorded: the file goes in place.  Should that fail, the record stands and the
	 * file can be written again from it. */
	if ((rc = outfile_commit(tmp, r->path, err)) == 0 && document_id)
		*document_id = id;
	else if (rc) {
		char why[sizeof err->msg];

		snprintf(why, sizeof why, "%s", err->msg);
		kyso_fail(err, rc, _("minutes %s are recorded, but %s"), w.number, why);
	}
out:
	gather_free(&g);
	free(w.bytes);
	free(w.content);
	return rc;
}

int minutes_rewrite(struct kyso_db *db, long long document_id, const char *path,
		    int *identical, struct kyso_err *err)
{
	struct document d;
	json_error_t je;
	json_t *c = NULL;
	unsigned char *bytes = NULL;
	size_t len = 0;
	char *tmp, sha[65];
	int rc;

	if (identical)
		*identical = 0;
	if ((rc = document_get(db, document_id, &d, err)))
		return rc;
	if (strncmp(d.kind, "minutes_", 8) != 0) {
		rc = kyso_fail(err, KYSO_EINVAL, _("document #%lld is not minutes"), document_id);
		goto out;
	}
	if (!(c = json_loads(d.content, 0, &je))) {
		rc = kyso_fail(err, KYSO_EIO, "%s",
			       _("the recorded content of these minutes cannot be read"));
		goto out;
	}
	if ((rc = minutes_render(c, &bytes, &len, err)) ||
	    (rc = docx_stage(bytes, len, path, &tmp, err)) ||
	    (rc = outfile_commit(tmp, path, err)) ||
	    (rc = document_file_sha256(path, sha, err)))
		goto out;
	if (identical)
		*identical = !strcmp(sha, d.sha256);
out:
	json_decref(c);
	free(bytes);
	document_free(&d);
	return rc;
}
