/*
 * token_flow.c - the flow (token_ui.h): the screen every token form is, and the drafts it
 * leaves.  A flow keeps the tokens it changes at the version it
 * read them, so that a change another kyso made meanwhile is refused by core
 * (KYSO_ECONFLICT) and the officer decides, with the typed text still there; when kyso
 * is stopped it leaves a draft with every field as typed, which the next start restores.
 *
 * It asks and shows; core checks and writes (token_apply, token_apply_tx).  It never
 * takes a password: a handover records only that one was handed over (Art. 14.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/check.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"
#include "screens/screens.h"
#include "screens/token_ui.h"

/* --- field names ------------------------------------------------------------------------- */

static const char *const field_names[TF_FIELD_END] = {
	[TF_DATE] = "date", [TF_PARTY_NAME] = "party_name",
	[TF_PARTY_POSITION] = "party_position", [TF_REF] = "ref",
	[TF_AUTHORISED_BY] = "authorised_by", [TF_UNTIL] = "until_on", [TF_PLACE] = "place",
	[TF_DISCOVERED] = "discovered", [TF_CIRCUMSTANCES] = "circumstances",
	[TF_REASON] = "reason", [TF_PASSWORD] = "password_handed", [TF_NOTE] = "note",
	[TF_SERIAL] = "serial", [TF_KIND] = "kind", [TF_MODEL] = "model",
	[TF_SUBSCRIBER] = "subscriber", [TF_KEEPER_NAME] = "keeper_name",
	[TF_KEEPER_POSITION] = "keeper_position", [TF_RECEIVED] = "received_on",
	[TF_PIN_CHANGED] = "pin_changed_on", [TF_DECLARED_BY] = "declared_by",
	[TF_CERT_SERIAL] = "cert_serial", [TF_CERT_ISSUANCE] = "issuance",
	[TF_CERT_FROM] = "not_before", [TF_CERT_TO] = "not_after", [TF_CERT_STATUS] = "status",
	[TF_CERT_REVOKED_ON] = "revoked_on", [TF_CERT_REASON] = "revocation_reason",
	[TF_CERT_NOTICE_ON] = "notice_on",
};

void token_field_name(int id, long long token_id, char *out, size_t outsz)
{
	if (id >= TF_TOKEN)
		snprintf(out, outsz, "token.%lld", token_id);
	else if (id >= TF_RETURN && id - TF_RETURN < TF_FIELD_END && field_names[id - TF_RETURN])
		snprintf(out, outsz, "return.%s", field_names[id - TF_RETURN]);
	else if (id > 0 && id < TF_FIELD_END && field_names[id])
		snprintf(out, outsz, "%s", field_names[id]);
	else
		snprintf(out, outsz, "field.%d", id);
}

/* The pick a name field fills (-1: none). */
static int pick_slot(int field)
{
	switch (field) {
	case TF_SUBSCRIBER: return PICK_SUBSCRIBER;
	case TF_KEEPER_NAME: return PICK_KEEPER;
	case TF_PARTY_NAME: return PICK_PARTY;
	case TF_RETURN + TF_PARTY_NAME: return PICK_RETURN_PARTY;
	}
	return -1;
}

/* --- what the fields hold ----------------------------------------------------------------- */

static const char *keep_text(struct flow *fl, char *text)
{
	char **more;

	if (!text)
		return NULL;
	if (!(more = realloc(fl->texts, (fl->ntexts + 1) * sizeof(*more)))) {
		free(text);
		return NULL;
	}
	fl->texts = more;
	fl->texts[fl->ntexts++] = text;
	return text;
}

const char *flow_text(struct flow *fl, int id)
{
	return keep_text(fl, form_take_nfc(fl->form, id));
}

const char *flow_date(struct flow *fl, int id)
{
	char *s = text_clean(form_text(fl->form, id));

	if (s && !*s) {
		free(s);
		return NULL;
	}
	return keep_text(fl, s);
}

static void texts_free(struct flow *fl)
{
	while (fl->ntexts > 0)
		free(fl->texts[--fl->ntexts]);
	free(fl->texts);
	fl->texts = NULL;
}

/* F2 or [Save]: what an earlier try read is dropped first. */
static int flow_save(struct flow *fl)
{
	texts_free(fl);
	return fl->save(fl);
}

/* --- the screen ---------------------------------------------------------------------------- */

static const struct ui_keyhelp flow_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "F2", N_("Record"), KEY_F(2), 0, 1 },
	{ "Tab", N_("Next field"), 0, UI_KEY_TAB, 1 },
	{ "Enter", N_("Next, choose"), 0, UI_KEY_ENTER, 1 },
	{ "F3", N_("Roster"), KEY_F(3), 0, 1 },
	{ "Esc", N_("Cancel"), 0, UI_KEY_ESC, 1 },
	{ "F3", N_("On a name: pick the person from the roster (fills the position too)"), 0, 0, 0 },
	{ "Shift-Tab ↑ ↓", N_("Previous or next field"), 0, 0, 0 },
	{ "Enter, Space", N_("Open the list of a choice; press a button"), 0, 0, 0 },
	{ "← → Home End", N_("Move in the text (Ctrl-A, Ctrl-E too)"), 0, 0, 0 },
	{ "Ctrl-U Ctrl-K", N_("Delete to the start, to the end of the text"), 0, 0, 0 },
	{ "Ctrl-W", N_("Delete the word before the cursor"), 0, 0, 0 },
	{ "dd/mm/yyyy", N_("How dates are typed"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static void flow_draw(struct screen *s)
{
	struct flow *fl = (struct flow *)s;

	ui_hint(fl->hint ? _(fl->hint)
			 : _("Tab: next field   Enter: next, or open a list   F2: record   Esc: cancel"));
	if (fl->is_dialog) {
		int w = ui_cols() - 4 > 76 ? 76 : ui_cols() - 4;
		int h = form_height(fl->form, w - 2) + 2, y, x;

		if (h > ui_body_rows())
			h = ui_body_rows();
		y = ui_body_top() + (ui_body_rows() - h) / 2;
		x = (ui_cols() - w) / 2;
		ui_box(y, x, h, w, _(s->title), ui_style(UI_DIALOG));
		form_draw(fl->form, y + 1, x + 1, h - 2, w - 2, ui_style(UI_DIALOG));
	} else {
		form_draw(fl->form, ui_body_top(), 0, ui_body_rows(), ui_cols(), A_NORMAL);
	}
	s->is_typing = form_is_typing(fl->form);
}

static int flow_can_leave(struct screen *s)
{
	struct flow *fl = (struct flow *)s;

	if (!form_is_changed(fl->form))
		return 1;
	return ui_confirm(_("Discard changes?"),
			  _("What you typed in this form is not recorded. Discard it?"), 0);
}

/* Puts the keys on the first empty text field after field id (else the one after it). */
static void focus_empty_after(struct flow *fl, int id)
{
	int i, after = 0;

	for (i = 0; i < fl->form->n; i++) {
		const struct form_field *ff = &fl->form->fields[i];

		if (after && ff->ed && !ff->is_hidden && !*form_text(fl->form, ff->id)) {
			form_focus(fl->form, ff->id);
			return;
		}
		after |= ff->id == id;
	}
	form_focus(fl->form, id);
	form_key(fl->form, &(struct ui_key){ .ch = UI_KEY_TAB });
}

/* F3 on a name: the person picked from the roster fills the name and the position. */
static int pick_person(struct flow *fl)
{
	int field = form_focused(fl->form), slot = pick_slot(field), base, pos;
	char *name = NULL, *position = NULL;
	long long id;

	if (slot < 0 || slot == PICK_SUBSCRIBER) {
		ui_status("%s", _("F3 picks a person from the roster on a name field."));
		return UI_HANDLED;
	}
	base = field - (slot == PICK_KEEPER ? TF_KEEPER_NAME : TF_PARTY_NAME);
	if (!roster_pick(form_text(fl->form, field), &id, &name, &position))
		return UI_HANDLED;
	pos = slot == PICK_KEEPER ? TF_KEEPER_POSITION : base + TF_PARTY_POSITION;
	form_set_text(fl->form, field, name, 1);
	form_set_text(fl->form, pos, position ? position : "", 1);
	fl->picks[slot] = id;
	free(name);
	free(position);
	/* on to what the roster cannot say */
	focus_empty_after(fl, pos);
	return UI_HANDLED;
}

/* Enter on the subscriber: the roster is searched for what was typed. */
static int pick_subscriber(struct flow *fl)
{
	char *name = NULL, *position = NULL;
	long long id;

	if (!roster_pick(form_text(fl->form, TF_SUBSCRIBER), &id, &name, &position))
		return UI_HANDLED;
	form_set_text(fl->form, TF_SUBSCRIBER, name, 1);
	fl->picks[PICK_SUBSCRIBER] = id;
	free(name);
	free(position);
	form_key(fl->form, &(struct ui_key){ .ch = UI_KEY_TAB });
	return UI_HANDLED;
}

static int flow_key(struct screen *s, const struct ui_key *k)
{
	struct flow *fl = (struct flow *)s;
	int flags, focused = form_focused(fl->form);

	if (k->code == KEY_F(2))
		return flow_save(fl);
	if (k->code == KEY_F(3))
		return pick_person(fl);
	if (ui_key_is_enter(k) && focused == TF_SUBSCRIBER && !fl->picks[PICK_SUBSCRIBER])
		return pick_subscriber(fl);
	flags = form_key(fl->form, k);
	s->is_typing = form_is_typing(fl->form);
	if (flags & FORM_CHANGED) {
		/* a name typed over a pick is a name typed */
		if (pick_slot(focused) >= 0)
			fl->picks[pick_slot(focused)] = 0;
		if (fl->changed)
			fl->changed(fl);
	}
	if (flags & FORM_PRESSED) {
		if (form_pressed(fl->form) == TF_SAVE)
			return flow_save(fl);
		if (form_pressed(fl->form) == TF_CANCEL)
			return flow_can_leave(s) ? UI_LEAVE : UI_HANDLED;
	}
	return flags ? UI_HANDLED : UI_IGNORED;
}

/* The name a field is kept under in a draft, into name; NULL for one that is not kept
 * (buttons, notes). */
static const char *draft_name(const struct flow *fl, const struct form_field *ff, char *name,
			      size_t size)
{
	size_t i = ff->id >= TF_TOKEN ? (size_t)(ff->id - TF_TOKEN) : 0;

	if (ff->id <= 0 || ff->type == FORM_BUTTON || ff->type == FORM_NOTE)
		return NULL;
	token_field_name(ff->id, ff->id >= TF_TOKEN && i < fl->ntokens ? fl->tokens[i].id : 0,
			 name, size);
	return name;
}

/* Every field as typed, the tokens at the versions read, the picks. */
static void flow_save_draft(struct screen *s)
{
	struct flow *fl = (struct flow *)s;
	struct kyso_err err;
	struct draft d;
	char name[64], value[64], *tokens = NULL;
	size_t i, len = 0;
	int rc = 0, f;

	if (!form_is_changed(fl->form))
		return;
	draft_init(&d);
	d.form = strdup(fl->draft_form);
	d.subscriber_id = fl->subscriber_id;
	d.base_version = fl->ntokens ? fl->tokens[0].version : 0;
	if (!(tokens = calloc(fl->ntokens * 48 + 1, 1)))
		rc = -1;
	for (i = 0; tokens && i < fl->ntokens; i++)
		len += (size_t)sprintf(tokens + len, "%s%lld:%ld", i ? "," : "", fl->tokens[i].id,
				       fl->tokens[i].version);
	rc |= draft_set(&d, "tokens", tokens);
	rc |= draft_set(&d, "action", fl->action);
	for (i = 0; i < NPICKS; i++) {
		snprintf(name, sizeof(name), "pick.%zu", i);
		snprintf(value, sizeof(value), "%lld", fl->picks[i]);
		if (fl->picks[i])
			rc |= draft_set(&d, name, value);
	}
	for (f = 0; f < fl->form->n; f++) {
		const struct form_field *ff = &fl->form->fields[f];

		if (!draft_name(fl, ff, name, sizeof(name)))
			continue;
		if (ff->type == FORM_CHOICE) {
			snprintf(value, sizeof(value), "%d", ff->choice);
			rc |= draft_set(&d, name, value);
		} else {
			rc |= draft_set(&d, name, form_text(fl->form, ff->id));
		}
	}
	/* Nobody is left to tell: kyso is stopping.  stderr is the terminal that went. */
	if (!d.form || rc || draft_save(ui_db(), &d, &err))
		fprintf(stderr, "kyso: %s\n", rc || !d.form ? _("out of memory") : err.msg);
	free(tokens);
	draft_free(&d);
}

static void flow_tokens_free(struct flow *fl)
{
	size_t i;

	for (i = 0; i < fl->ntokens; i++) {
		free(fl->tokens[i].serial);
		free(fl->tokens[i].state);
		free(fl->tokens[i].label);
	}
	free(fl->tokens);
}

static void flow_free_cb(struct screen *s)
{
	struct flow *fl = (struct flow *)s;

	form_free(fl->form);
	flow_tokens_free(fl);
	texts_free(fl);
	free(fl);
}

void flow_free(struct flow *fl)
{
	if (fl)
		flow_free_cb(&fl->base);
}

struct flow *flow_new(const char *title, const char *draft_form, struct kyso_err *err)
{
	struct flow *fl = calloc(1, sizeof(*fl));

	if (!fl || !(fl->form = form_new())) {
		free(fl);
		kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		return NULL;
	}
	fl->base.title = title;
	fl->base.keys = flow_keys;
	fl->base.draw = flow_draw;
	fl->base.key = flow_key;
	fl->base.can_leave = flow_can_leave;
	fl->base.save_draft = flow_save_draft;
	fl->base.free = flow_free_cb;
	fl->draft_form = draft_form;
	return fl;
}

int flow_add_token(struct flow *fl, const struct token *t, const char *label)
{
	struct flow_token *v = realloc(fl->tokens, (fl->ntokens + 1) * sizeof(*v));
	struct flow_token *ft;

	if (!v)
		return KYSO_ENOMEM;
	fl->tokens = v;
	ft = &fl->tokens[fl->ntokens];
	memset(ft, 0, sizeof(*ft));
	ft->id = t->id;
	ft->version = t->version;
	ft->subscriber_id = t->subscriber_id;
	ft->keeper_subscriber_id = t->keeper_subscriber_id;
	ft->serial = strdup(t->serial ? t->serial : "");
	ft->state = strdup(t->state ? t->state : "");
	ft->label = label ? strdup(label) : NULL;
	fl->ntokens++;
	if (!ft->serial || !ft->state || (label && !ft->label))
		return KYSO_ENOMEM;
	return 0;
}

int flow_add_token_id(struct flow *fl, long long id, struct kyso_err *err)
{
	struct token t;
	int rc;

	token_init(&t);
	if (!(rc = token_get(ui_db(), id, &t, err)) && (rc = flow_add_token(fl, &t, NULL)))
		kyso_fail(err, rc, "%s", _("out of memory"));
	token_free(&t);
	return rc;
}

int flow_conflict(struct flow *fl, const struct kyso_err *err)
{
	struct kyso_err e;
	char question[2048];
	size_t i;

	snprintf(question, sizeof(question), "%s\n\n%s", err->msg,
		 _("What you typed is still in the form. Record it on the token as it is now?"));
	if (!ui_confirm(_("Changed by someone else"), question, 0)) {
		ui_error("%s", err->msg);
		return 0;
	}
	for (i = 0; i < fl->ntokens; i++) {
		struct token t;
		char *state;

		token_init(&t);
		if (token_get(ui_db(), fl->tokens[i].id, &t, &e)) {
			ui_error("%s", e.msg);
			token_free(&t);
			return 0;
		}
		fl->tokens[i].version = t.version;
		if ((state = strdup(t.state))) {
			free(fl->tokens[i].state);
			fl->tokens[i].state = state;
		}
		token_free(&t);
	}
	return 1;
}

void flow_problems(struct flow *fl, const struct kyso_problems *problems,
		   int (*field_of)(const char *column, void *ctx), void *ctx)
{
	form_show_problems(fl->form, problems, field_of, ctx);
	ui_error(_("Not recorded: %zu problem(s), marked next to the fields."), kyso_problems_found(problems));
}

struct flow *flow_push_built(struct flow *fl, int bad, struct kyso_err *err)
{
	if (bad) {
		flow_free(fl);
		kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		return NULL;
	}
	flow_focus_empty(fl);
	if (fl->changed)
		fl->changed(fl);
	ui_push(&fl->base);
	return fl;
}

void flow_focus_empty(struct flow *fl)
{
	int i;

	for (i = 0; i < fl->form->n; i++) {
		const struct form_field *ff = &fl->form->fields[i];

		if (ff->ed && !ff->is_hidden && !*form_text(fl->form, ff->id)) {
			form_focus(fl->form, ff->id);
			return;
		}
	}
}

void flow_done(struct flow *fl)
{
	form_clear_problems(fl->form);
	form_set_unchanged(fl->form);
}

/* The tokens a draft's "tokens" field lists ("12:3,15:1", flow_save_draft: each id and
 * the version the form was opened on, 0 when not said), at most max; how many. */
static size_t draft_tokens(const struct draft *d, long long *ids, long *versions, size_t max)
{
	const char *p = draft_get(d, "tokens");
	char *end;
	size_t n = 0;

	while (p && *p && n < max) {
		ids[n] = strtoll(p, &end, 10);
		versions[n] = *end == ':' ? strtol(end + 1, &end, 10) : 0;
		n++;
		if ((p = strchr(end, ',')))
			p++;
	}
	return n;
}

void flow_restore(struct flow *fl, const struct draft *d)
{
	long long ids[256];
	long versions[256];
	size_t n = draft_tokens(d, ids, versions, 256), i, k;
	const char *v;
	char name[64];
	int f;

	/* the versions the form was opened on: a change made since is then refused */
	for (k = 0; k < n; k++)
		for (i = 0; i < fl->ntokens; i++)
			if (fl->tokens[i].id == ids[k] && versions[k] > 0)
				fl->tokens[i].version = versions[k];
	for (i = 0; i < NPICKS; i++) {
		snprintf(name, sizeof(name), "pick.%zu", i);
		if ((v = draft_get(d, name)))
			fl->picks[i] = strtoll(v, NULL, 10);
	}
	for (f = 0; f < fl->form->n; f++) {
		const struct form_field *ff = &fl->form->fields[f];

		if (!draft_name(fl, ff, name, sizeof(name)) || !(v = draft_get(d, name)))
			continue;
		if (ff->type == FORM_CHOICE)
			form_set_choice(fl->form, ff->id, atoi(v), 1);
		else
			form_set_text(fl->form, ff->id, v, 1);
	}
	if (fl->changed)
		fl->changed(fl);
	fl->form->is_forced_changed = 1;
}

/* --- drafts ---------------------------------------------------------------------------------- */

static const char *const draft_forms[] = { DRAFT_TOKEN_ADD, DRAFT_TOKEN_ACT, DRAFT_TOKEN_CERT,
					   DRAFT_TOKEN_PIN, DRAFT_TOKEN_RETURN, DRAFT_TOKEN_HANDOVER };

int token_draft_is(const char *form)
{
	size_t i;

	for (i = 0; form && i < sizeof(draft_forms) / sizeof(draft_forms[0]); i++)
		if (!strcmp(form, draft_forms[i]))
			return 1;
	return 0;
}

static void serial_of(long long id, char *out, size_t outsz)
{
	struct token t;
	struct kyso_err err;

	token_init(&t);
	if (token_get(ui_db(), id, &t, &err) == 0)
		snprintf(out, outsz, "%s", t.serial);
	else
		snprintf(out, outsz, "#%lld", id);
	token_free(&t);
}

void token_draft_describe(const struct draft *d, char *out, size_t outsz)
{
	long long ids[64];
	long versions[64];
	size_t n = draft_tokens(d, ids, versions, 64);
	char serial[128] = "", *typed;

	if (n)
		serial_of(ids[0], serial, sizeof(serial));
	if (!strcmp(d->form, DRAFT_TOKEN_ADD)) {
		typed = text_clean(draft_get(d, "serial"));
		snprintf(out, outsz, _("a new token, %s"), typed && *typed ? typed : _("(no serial typed)"));
		free(typed);
	} else if (!strcmp(d->form, DRAFT_TOKEN_ACT)) {
		snprintf(out, outsz, _("a change of token %s (%s)"), serial,
			 token_action_label(draft_get(d, "action")));
	} else if (!strcmp(d->form, DRAFT_TOKEN_CERT)) {
		snprintf(out, outsz, _("a certificate on token %s"), serial);
	} else if (!strcmp(d->form, DRAFT_TOKEN_PIN)) {
		snprintf(out, outsz, _("PIN changes of %zu token(s) (%s ...)"), n, serial);
	} else if (!strcmp(d->form, DRAFT_TOKEN_RETURN)) {
		snprintf(out, outsz, _("the return of %zu token(s) (%s ...)"), n, serial);
	} else {
		struct subscriber s;
		struct kyso_err err;

		subscriber_init(&s);
		snprintf(out, outsz, _("the handover of the tokens of %s (#%lld)"),
			 subscriber_get(ui_db(), d->subscriber_id, &s, &err) == 0 ? s.name : "?",
			 d->subscriber_id);
		subscriber_free(&s);
	}
}

int token_draft_restore(const struct draft *d, struct kyso_err *err)
{
	long long ids[256];
	long versions[256];
	size_t n = draft_tokens(d, ids, versions, 256);
	struct flow *fl = NULL;

	if (!strcmp(d->form, DRAFT_TOKEN_ADD)) {
		if (!tokens_open(NULL))
			fl = token_add_flow(err);
	} else if (!strcmp(d->form, DRAFT_TOKEN_HANDOVER)) {
		if (!subscriber_view_open(d->subscriber_id))
			fl = handover_flow(d->subscriber_id, err);
	} else if (n == 0) {
		return kyso_fail(err, KYSO_EINVAL, "%s", _("the draft names no token"));
	} else if (!strcmp(d->form, DRAFT_TOKEN_PIN) || !strcmp(d->form, DRAFT_TOKEN_RETURN)) {
		if (!tokens_open(NULL))
			fl = !strcmp(d->form, DRAFT_TOKEN_PIN) ? token_pin_flow(ids, n, err)
							       : token_return_flow(ids, n, err);
	} else if (!token_view_open(ids[0])) {
		fl = !strcmp(d->form, DRAFT_TOKEN_CERT) ? token_cert_flow(ids[0], err)
							: token_act_flow(ids[0], draft_get(d, "action"), err);
	}
	if (!fl)
		return err->code ? err->code : kyso_fail(err, KYSO_ENOTFOUND, "%s", _("the token is gone"));
	flow_restore(fl, d);
	return 0;
}
