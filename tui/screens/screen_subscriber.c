/*
 * screen_subscriber.c - one subscriber: the detail screen (every field, the status and
 * the history timeline), the add/edit form, the departure, and the drafts a form leaves
 * when kyso is stopped while it is open (SIGHUP when an SSH session drops, SIGTERM).
 *
 * Core does every check and every write (subscriber_add, subscriber_edit,
 * subscriber_depart, draft_*); these screens read keys, show fields and put each problem
 * core reports next to the field it names.  Typed work is never dropped: leaving a
 * changed form asks, a stale save is refused with the text kept, a signal saves a draft.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "widgets/form.h"
#include "kyso/agency.h"
#include "kyso/check.h"
#include "kyso/draft.h"
#include "kyso/event.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "widgets/line_editor.h"
#include "widgets/lines.h"
#include "screens/screens.h"
#include "screens/token_ui.h"
#include "widgets/ui.h"

#define BUTTON_SAVE 100
#define BUTTON_CANCEL 101

/* The fields each kind of subscriber uses (DOMAIN.md §3: the columns of Mẫu 01, 02, 03).
 * A field another kind uses stays on the form while it holds text, so nothing is hidden
 * that would still be saved. */
static int kind_uses(enum subscriber_kind kind, enum subscriber_field f)
{
	switch (f) {
	case SF_KIND: case SF_NAME: case SF_UNIT: case SF_EMAIL: case SF_PHONE: case SF_NOTE:
	case SF_SINCE:
		return 1;
	case SF_POSITION: case SF_ID_NUMBER: case SF_ID_ISSUED_ON: case SF_ID_ISSUED_BY:
	case SF_BIRTH_DATE:
		return kind == KIND_PERSON;
	case SF_ADDRESS:
		return kind != KIND_DEVICE;
	case SF_TAX_CODE:
		return kind != KIND_PERSON;
	case SF_BUDGET_CODE:
		return kind == KIND_ORG;
	case SF_IDENTIFIER: case SF_PURPOSE: case SF_OWNER:
		return kind == KIND_DEVICE;
	default:
		return 0;
	}
}

/* What subscriber_check_fields requires, marked '*' on the form. */
static int kind_requires(enum subscriber_kind kind, enum subscriber_field f)
{
	return f == SF_NAME || f == SF_EMAIL ||
	       (kind == KIND_PERSON && (f == SF_ID_NUMBER || f == SF_POSITION));
}

static int is_date_field(int f)
{
	return subscriber_field_is_date((enum subscriber_field)f);
}

static const char *const kind_items[] = { N_("Person"), N_("Organisation"),
					  N_("Device/service/software") };

/* A field's label is the column core names in its problems (form_show_problems). */
static int field_of_column(const char *column, void *ctx)
{
	int f;

	(void)ctx;
	for (f = 0; f < SF_COUNT; f++)
		if (!strcmp(column, subscriber_field_label((enum subscriber_field)f)))
			return f;
	return -1;
}

static const char *field_label(int id)
{
	return subscriber_field_label((enum subscriber_field)id);
}

/* The units as a choice: "(no unit)" first, then the tree, indented. */
struct unit_choice {
	long long *ids;
	char **names;  /* as the choice shows them (indented) */
	char **plain;  /* as unit_find reads them */
	int n;
};

static int add_unit_choice(const struct unit *u, void *ctx)
{
	struct unit_choice *uc = ctx;
	long long *ids = realloc(uc->ids, (size_t)(uc->n + 1) * sizeof(*ids));
	char **names = ids ? realloc(uc->names, (size_t)(uc->n + 1) * sizeof(*names)) : NULL;
	char **plain = names ? realloc(uc->plain, (size_t)(uc->n + 1) * sizeof(*plain)) : NULL;
	int depth = u->depth > 8 ? 8 : u->depth;

	if (ids)
		uc->ids = ids;
	if (names)
		uc->names = names;
	if (!plain)
		return 1;
	uc->plain = plain;
	uc->ids[uc->n] = u->id;
	if (asprintf(&uc->names[uc->n], "%*s%s", depth * 2, "", u->name) < 0)
		return 1;
	/* A name of digits only would read as an id: name such a unit by its id. */
	if (is_digits(u->name) ? asprintf(&uc->plain[uc->n], "#%lld", u->id) < 0
			       : !(uc->plain[uc->n] = strdup(u->name))) {
		free(uc->names[uc->n]);
		return 1;
	}
	uc->n++;
	return 0;
}

static void unit_choice_free(struct unit_choice *uc)
{
	int i;

	for (i = 0; i < uc->n; i++) {
		free(uc->names[i]);
		free(uc->plain[i]);
	}
	free(uc->ids);
	free(uc->names);
	free(uc->plain);
	memset(uc, 0, sizeof(*uc));
}

static int unit_choice_load(struct unit_choice *uc, struct kyso_err *err)
{
	struct unit none = { .name = _("(no unit)") };

	memset(uc, 0, sizeof(*uc));
	if (add_unit_choice(&none, uc)) {
		unit_choice_free(uc);
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	}
	free(uc->plain[0]);
	uc->plain[0] = strdup("");
	return unit_list(ui_db(), add_unit_choice, uc, err);
}

static int unit_choice_index(const struct unit_choice *uc, long long id)
{
	int i;

	for (i = 1; i < uc->n; i++)
		if (uc->ids[i] == id)
			return i;
	return 0;
}

/* --- the detail screen ----------------------------------------------------------------- */

struct subscriber_view {
	struct screen base;
	long long id;
	struct subscriber s;
	struct lines *lines;
};

/* A line of an event's detail, as core words it for the history everywhere. */
static int add_change_line(const char *text, void *ctx)
{
	struct subscriber_view *v = ctx;

	lines_add(v->lines, LINES_CHANGE, NULL, text, UI_NORMAL);
	return 0;
}

static int add_event_lines(const struct event_row *ev, void *ctx)
{
	struct subscriber_view *v = ctx;
	char date[11], line[512];

	snprintf(line, sizeof(line), _("%s, by %s"), event_kind_label(ev->kind), ev->actor);
	lines_add(v->lines, LINES_EVENT, ui_date(ev->on_date, date), line,
		 !strcmp(ev->kind, EVENT_SUBSCRIBER_DEPARTED) ? UI_DEPARTED : UI_NORMAL);
	return event_describe(ev, add_change_line, v);
}

/* Reads the subscriber and its history again (after an edit, a departure, a resize of
 * what another officer did). */
static int view_load(struct subscriber_view *v, struct kyso_err *err)
{
	struct subscriber *s = &v->s;
	char shown[11], line[1024];
	int f, rc;

	subscriber_free(s);
	lines_clear(v->lines);
	if ((rc = subscriber_get(ui_db(), v->id, s, err)))
		return rc;
	snprintf(v->base.detail, sizeof(v->base.detail), "%s", s->name ? s->name : "");
	lines_add(v->lines, LINES_FIELD, subscriber_field_label(SF_KIND), subscriber_kind_label(s->kind),
		 UI_NORMAL);
	for (f = SF_NAME; f < SF_COUNT; f++) {
		const char *value = *subscriber_field_slot(s, (enum subscriber_field)f);

		if (text_is_blank(value) && !kind_uses(s->kind, (enum subscriber_field)f))
			continue;
		if (is_date_field(f) && value)
			value = date_display(value, shown);
		if (f == SF_ID_NUMBER && subscriber_has_old_id(s)) {
			snprintf(line, sizeof(line), "%s%s", value, _(" (old CMND)"));
			value = line;
		}
		lines_add(v->lines, LINES_FIELD, subscriber_field_label((enum subscriber_field)f),
			 text_is_blank(value) ? "—" : value, UI_NORMAL);
	}
	if (subscriber_departed(s->status)) {
		snprintf(line, sizeof(line), _("Departed: %s on %s%s%s"),
			 subscriber_status_label(s->status), ui_date(s->departed_on, shown),
			 s->departure_note ? " — " : "", s->departure_note ? s->departure_note : "");
		lines_add(v->lines, LINES_FIELD, _("Status"), line, UI_DEPARTED);
	} else {
		lines_add(v->lines, LINES_FIELD, _("Status"), subscriber_status_label(s->status), UI_GOOD);
	}
	{
		char day[11];

		/* updated_at is a timestamp; its day is what a person asks about */
		snprintf(day, sizeof(day), "%.10s", s->updated_at ? s->updated_at : "");
		snprintf(line, sizeof(line), _("%ld (updated %s)"), s->version,
			 ui_date(day, shown));
	}
	lines_add(v->lines, LINES_FIELD, _("Version"), line, UI_NORMAL);
	lines_add(v->lines, LINES_BLANK, NULL, NULL, UI_NORMAL);
	/* Art. 14.4: the tokens they keep, and what their departure still leaves open. */
	if ((rc = subscriber_token_lines(v->lines, v->id, subscriber_departed(s->status) != 0, err)))
		return rc;
	lines_add(v->lines, LINES_HEADING, NULL, _("History"), UI_HEADER);
	return event_list_subscriber(ui_db(), v->id, add_event_lines, v, err);
}

static void view_draw(struct screen *s)
{
	struct subscriber_view *v = (struct subscriber_view *)s;

	ui_hint(lines_link(v->lines)
			? _("Enter: open the token   Tab: next token   e: edit   d: depart   Esc: back")
			: _("e or F4: edit   d: depart   ↑ ↓ PgUp PgDn: scroll   Esc: back"));
	lines_draw(v->lines);
}

static int view_key(struct screen *s, const struct ui_key *k)
{
	struct subscriber_view *v = (struct subscriber_view *)s;
	int flags = lines_key(v->lines, k);

	if (flags & LINES_OPEN)
		token_view_open(lines_link(v->lines));
	else if (flags)
		return UI_HANDLED;
	else if (ui_key_is(k, 'e') || k->code == KEY_F(4))
		subscriber_form_open(v->id, v->s.kind, 0);
	else if (ui_key_is(k, 'd'))
		subscriber_depart_open(v->id);
	else if (ui_key_is(k, 'h'))
		departure_flow_open(v->id);
	else
		return UI_IGNORED;
	return UI_HANDLED;
}

static void view_activate(struct screen *s)
{
	struct subscriber_view *v = (struct subscriber_view *)s;
	struct kyso_err err;

	if (view_load(v, &err))
		ui_error("%s", err.msg);
}

static void view_free(struct screen *s)
{
	struct subscriber_view *v = (struct subscriber_view *)s;

	lines_free(v->lines);
	subscriber_free(&v->s);
	free(v);
}

static const struct ui_keyhelp view_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "e F4", N_("Edit"), 0, 'e', 1 },
	{ "d", N_("Depart"), 0, 'd', 1 },
	{ "Esc", N_("Back"), 0, UI_KEY_ESC, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "Tab Shift-Tab", N_("Choose one of the subscriber's tokens"), 0, 0, 0 },
	{ "Enter", N_("Open the chosen token (or click it)"), 0, 0, 0 },
	{ "h", N_("Hand over or return the tokens of a departed subscriber (Art. 14.4)"), 0, 'h', 0 },
	{ "d", N_("Record the departure; on a departed subscriber, correct the date recorded (the earlier one stays in the history)"), 0, 0, 0 },
	{ "j k ↑ ↓", N_("Scroll"), 0, 0, 0 },
	{ "PgUp PgDn", N_("Scroll a page"), 0, 0, 0 },
	{ "Home End", N_("Top, bottom"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static struct subscriber_view *view_new(long long id)
{
	struct subscriber_view *v = calloc(1, sizeof(*v));
	struct kyso_err err;

	if (!v) {
		ui_error("%s", _("out of memory"));
		return NULL;
	}
	v->id = id;
	subscriber_init(&v->s);
	if (!(v->lines = lines_new())) {
		ui_error("%s", _("out of memory"));
		free(v);
		return NULL;
	}
	v->base.title = N_("Subscriber");
	v->base.keys = view_keys;
	v->base.draw = view_draw;
	v->base.key = view_key;
	v->base.activate = view_activate;
	v->base.free = view_free;
	if (view_load(v, &err)) {
		ui_error("%s", err.msg);
		view_free(&v->base);
		return NULL;
	}
	return v;
}

int subscriber_view_open(long long id)
{
	struct subscriber_view *v = view_new(id);

	if (!v)
		return -1;
	ui_push(&v->base);
	return 0;
}

/* The detail screen of id, if it is the screen s. */
static int is_view_of(const struct screen *s, long long id)
{
	return s && s->draw == view_draw && ((const struct subscriber_view *)s)->id == id;
}

/* --- the add/edit form ------------------------------------------------------------------ */

struct subscriber_form {
	struct screen base;
	struct form *form;
	long long id;		 /* 0: a new subscriber */
	long version;		 /* the version the form was opened on */
	enum subscriber_kind kind;   /* as opened (the choice says what it is now) */
	long long unit_id;	 /* as opened */
	char *opened[SF_COUNT];	 /* each field's text as opened, to know what was changed */
	struct unit_choice units;
};

static enum subscriber_kind form_kind(struct subscriber_form *sf)
{
	int k = form_choice(sf->form, SF_KIND);

	return k >= 0 && k <= KIND_DEVICE ? (enum subscriber_kind)k : KIND_PERSON;
}

/* Shows the fields the chosen kind uses (and any other that holds text). */
static void form_show_kind(struct subscriber_form *sf)
{
	enum subscriber_kind kind = form_kind(sf);
	int f;

	for (f = SF_NAME; f < SF_COUNT; f++) {
		struct form_field *fl = form_field(sf->form, f);

		if (!fl)
			continue;
		fl->is_required = kind_requires(kind, (enum subscriber_field)f);
		form_set_hidden(sf->form, f,
				!kind_uses(kind, (enum subscriber_field)f) &&
					(!fl->ed || text_is_blank(line_editor_text(fl->ed))));
	}
}

static const char *unit_value(struct subscriber_form *sf)
{
	int u = form_choice(sf->form, SF_UNIT);

	return u > 0 && u < sf->units.n ? sf->units.plain[u] : "";
}

/* Fills s with what the form holds (a new subscriber). */
static void form_fill(struct subscriber_form *sf, struct subscriber *s)
{
	int f;

	s->kind = form_kind(sf);
	for (f = SF_NAME; f < SF_COUNT; f++) {
		char **slot = subscriber_field_slot(s, (enum subscriber_field)f);

		if (f == SF_UNIT)
			*slot = *unit_value(sf) ? strdup(unit_value(sf)) : NULL;
		else
			*slot = form_take_nfc(sf->form, f);
	}
}

/* The fields the officer changed, as subscriber_edit takes them; values in vals (NFC
 * copies the caller frees).  Only these are written, so what another officer changed
 * in other fields meanwhile is kept. */
static size_t form_changes(struct subscriber_form *sf, struct subscriber_change *ch,
			   char **vals)
{
	size_t n = 0;
	int f;

	if (form_kind(sf) != sf->kind) {
		ch[n].field = SF_KIND;
		ch[n++].value = subscriber_kind_name(form_kind(sf));
	}
	if (sf->units.ids[form_choice(sf->form, SF_UNIT)] != sf->unit_id) {
		ch[n].field = SF_UNIT;
		ch[n++].value = unit_value(sf);
	}
	for (f = SF_NAME; f < SF_COUNT; f++) {
		const char *text = form_text(sf->form, f);

		if (f == SF_UNIT || !strcmp(text, sf->opened[f] ? sf->opened[f] : ""))
			continue;
		vals[n] = form_take_nfc(sf->form, f);
		ch[n].field = f;
		ch[n].value = vals[n] ? vals[n] : "";
		n++;
	}
	return n;
}

/* Saves an edit on the version the form was opened on (or the one the officer chose to
 * save over). */
static int form_save_edit(struct subscriber_form *sf, struct kyso_problems *problems,
			  struct kyso_err *err)
{
	struct subscriber_change ch[SF_COUNT + 1];
	char *vals[SF_COUNT + 1] = { 0 };
	size_t n = form_changes(sf, ch, vals), i;
	int rc = subscriber_edit(ui_db(), sf->id, ch, n, sf->version, problems, err);

	for (i = 0; i < n; i++)
		free(vals[i]);
	return rc;
}

/* Another officer saved this subscriber since the form was opened: nothing was written.
 * The officer may write their changes over the new version; the form keeps its text
 * either way.  1 when they chose to (and the version was read again). */
static int form_conflict(struct subscriber_form *sf, const struct kyso_err *err)
{
	struct subscriber now;
	struct kyso_err e;
	char question[2048];

	snprintf(question, sizeof(question), "%s\n\n%s", err->msg,
		 _("What you typed is still in the form. Save your changes over the other "
		   "version? Only the fields you changed are written; the other changes are kept."));
	if (!ui_confirm(_("Changed by someone else"), question, 0)) {
		ui_error("%s", err->msg);
		return 0;
	}
	if (subscriber_get(ui_db(), sf->id, &now, &e)) {
		ui_error("%s", e.msg);
		return 0;
	}
	sf->version = now.version;
	subscriber_free(&now);
	return 1;
}

/* Leaves the form for the detail screen of id: back to it when it is below, else in
 * place of the form.  The form is freed: touch nothing of it afterwards. */
static int form_leave_to_view(struct screen *s, long long id)
{
	if (is_view_of(s->below, id))
		return UI_LEAVE;
	ui_pop();
	subscriber_view_open(id);
	return UI_HANDLED;
}

/* A person's name typed all in lower case ("nguyễn văn an") is offered as names are
 * written ("Nguyễn Văn An") before it is saved (issue 11.10). */
static void offer_title_case(struct subscriber_form *sf)
{
	const char *typed = form_text(sf->form, SF_NAME);
	char *titled, question[512];

	if (form_choice(sf->form, SF_KIND) != KIND_PERSON || text_is_blank(typed) ||
	    text_has_upper(typed) || !(titled = text_title_case(typed)))
		return;
	if (strcmp(titled, typed)) {
		snprintf(question, sizeof(question), _("Write the name as \"%s\"?"), titled);
		if (ui_confirm(_("Full name"), question, 1))
			form_set_text(sf->form, SF_NAME, titled, 1);
	}
	free(titled);
}

static int form_save(struct subscriber_form *sf)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;
	char name[160];
	long long id = sf->id;
	int rc, tries = 0;

	subscriber_init(&s);
	offer_title_case(sf);
	do {
		kyso_problems_clear(&problems);
		if (sf->id == 0) {
			form_fill(sf, &s);
			rc = subscriber_add(ui_db(), &s, &problems, &err);
			id = s.id;
		} else {
			rc = form_save_edit(sf, &problems, &err);
		}
	} while (rc == KYSO_ECONFLICT && tries++ == 0 && form_conflict(sf, &err));
	snprintf(name, sizeof(name), "%s", s.name ? s.name : form_text(sf->form, SF_NAME));
	if (rc == 0 && sf->id == 0 && subscriber_has_old_id(&s))
		ui_status(_("Added %s (#%lld). Note: %s is an old 9-digit CMND; ask for the 12-digit citizen ID."),
			  name, id, s.id_number);
	else if (rc == 0)
		ui_status(sf->id ? _("Saved %s (#%lld).") : _("Added %s (#%lld)."), name, id);
	subscriber_free(&s);
	if (rc == KYSO_EINVAL) {
		form_show_problems(sf->form, &problems, field_of_column, NULL);
		ui_error(_("Not saved: %zu problem(s), marked next to the fields."), kyso_problems_found(&problems));
	} else if (rc && rc != KYSO_ECONFLICT) {
		ui_error("%s", err.msg);
	}
	kyso_problems_free(&problems);
	if (rc)
		return UI_HANDLED;
	form_clear_problems(sf->form);
	form_set_unchanged(sf->form);
	return form_leave_to_view(&sf->base, id);
}

static int form_key_cb(struct screen *s, const struct ui_key *k)
{
	struct subscriber_form *sf = (struct subscriber_form *)s;
	int flags;

	if (k->code == KEY_F(2))
		return form_save(sf);
	flags = form_key(sf->form, k);
	if ((flags & FORM_CHANGED) && form_focused(sf->form) == SF_KIND)
		form_show_kind(sf);
	if ((flags & FORM_PRESSED) && form_pressed(sf->form) == BUTTON_SAVE)
		return form_save(sf);
	s->is_typing = form_is_typing(sf->form);
	return flags ? UI_HANDLED : UI_IGNORED;
}

static void form_draw_cb(struct screen *s)
{
	struct subscriber_form *sf = (struct subscriber_form *)s;

	ui_hint(_("Tab: next field   Enter: next, or open a list   F2: save   Esc: back"));
	form_draw(sf->form, ui_body_top(), 0, ui_body_rows(), ui_cols(), A_NORMAL);
	s->is_typing = form_is_typing(sf->form);
}

static int form_can_leave(struct screen *s)
{
	struct subscriber_form *sf = (struct subscriber_form *)s;

	if (!form_is_changed(sf->form))
		return 1;
	return ui_confirm(_("Discard changes?"),
			  _("What you typed in this form is not saved. Discard it?"), 0);
}

/* Every field as typed, the kind and the unit, for the next start to offer back. */
static void form_save_draft(struct screen *s)
{
	struct subscriber_form *sf = (struct subscriber_form *)s;
	struct kyso_err err;
	struct draft d;
	int f, rc = 0;

	if (!form_is_changed(sf->form))
		return;
	draft_init(&d);
	d.form = strdup(DRAFT_SUBSCRIBER);
	d.subscriber_id = sf->id;
	d.base_version = sf->id ? sf->version : 0;
	rc |= draft_set(&d, subscriber_field_name(SF_KIND), subscriber_kind_name(form_kind(sf)));
	for (f = SF_NAME; f < SF_COUNT; f++) {
		char unit[32] = "";

		if (f == SF_UNIT) {
			int u = form_choice(sf->form, SF_UNIT);

			if (u > 0)
				snprintf(unit, sizeof(unit), "#%lld", sf->units.ids[u]);
			rc |= draft_set(&d, subscriber_field_name(SF_UNIT), unit);
			continue;
		}
		rc |= draft_set(&d, subscriber_field_name((enum subscriber_field)f),
				form_text(sf->form, f));
	}
	/* Nobody is left to tell: kyso is stopping.  stderr is the terminal that went. */
	if (!d.form || rc || draft_save(ui_db(), &d, &err))
		fprintf(stderr, "kyso: %s\n", rc || !d.form ? _("out of memory") : err.msg);
	draft_free(&d);
}

static void form_free_cb(struct screen *s)
{
	struct subscriber_form *sf = (struct subscriber_form *)s;
	int f;

	form_free(sf->form);
	for (f = 0; f < SF_COUNT; f++)
		free(sf->opened[f]);
	unit_choice_free(&sf->units);
	free(sf);
}

static const struct ui_keyhelp form_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "F2", N_("Save"), KEY_F(2), 0, 1 },
	{ "Tab", N_("Next field"), 0, UI_KEY_TAB, 1 },
	{ "Enter", N_("Next, choose"), 0, UI_KEY_ENTER, 1 },
	{ "Esc", N_("Back"), 0, UI_KEY_ESC, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "Shift-Tab ↑ ↓", N_("Previous or next field"), 0, 0, 0 },
	{ "Enter, Space", N_("Open the list of a choice; press a button"), 0, 0, 0 },
	{ "← → Home End", N_("Move in the text (Ctrl-A, Ctrl-E too)"), 0, 0, 0 },
	{ "Ctrl-U Ctrl-K", N_("Delete to the start, to the end of the text"), 0, 0, 0 },
	{ "Ctrl-W", N_("Delete the word before the cursor"), 0, 0, 0 },
	{ "dd/mm/yyyy", N_("How dates are typed"), 0, 0, 0 },
	UI_KEYHELP_END,
};

/* A new form: subscriber id as stored (id 0: a new one of kind in unit_id). */
static struct subscriber_form *form_screen_new(long long id, int kind, long long unit_id,
					       struct kyso_err *err)
{
	struct subscriber_form *sf = calloc(1, sizeof(*sf));
	struct subscriber s;
	int f, bad = 0;

	subscriber_init(&s);
	if (!sf || !(sf->form = form_new())) {
		free(sf);
		kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		return NULL;
	}
	if (unit_choice_load(&sf->units, err) || (id && subscriber_get(ui_db(), id, &s, err)))
		goto fail;
	sf->id = id;
	sf->version = s.version;
	sf->kind = id ? s.kind
		     : kind >= 0 && kind <= (int)KIND_DEVICE ? (enum subscriber_kind)kind : KIND_PERSON;
	sf->unit_id = id ? s.unit_id : unit_id;
	if (!id && unit_choice_index(&sf->units, unit_id) == 0)
		sf->unit_id = 0;
	sf->form->label_fn = field_label;
	bad |= form_add_choice(sf->form, SF_KIND, NULL, kind_items, 3, (int)sf->kind, 1) < 0;
	for (f = SF_NAME; f < SF_COUNT; f++) {
		char shown[11];
		const char *value = *subscriber_field_slot(&s, (enum subscriber_field)f);

		if (f == SF_UNIT) {
			bad |= form_add_choice(sf->form, SF_UNIT, NULL,
					       (const char *const *)sf->units.names, sf->units.n,
					       unit_choice_index(&sf->units, sf->unit_id), 0) < 0;
			continue;
		}
		if (is_date_field(f) && value)
			value = date_display(value, shown);
		sf->opened[f] = strdup(value ? value : "");
		bad |= !sf->opened[f];
		if (is_date_field(f))
			bad |= form_add_date(sf->form, f, NULL, value, 0) < 0;
		else
			bad |= form_add_text(sf->form, f, NULL, value, 0, 0) < 0;
	}
	bad |= form_add_button(sf->form, BUTTON_SAVE, N_("Save")) < 0;
	if (bad) {
		kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		goto fail;
	}
	subscriber_free(&s);
	sf->base.title = id ? N_("Edit subscriber") : N_("New subscriber");
	if (id)
		snprintf(sf->base.detail, sizeof(sf->base.detail), "%s",
			 form_text(sf->form, SF_NAME));
	sf->base.keys = form_keys;
	sf->base.draw = form_draw_cb;
	sf->base.key = form_key_cb;
	sf->base.can_leave = form_can_leave;
	sf->base.save_draft = form_save_draft;
	sf->base.free = form_free_cb;
	form_show_kind(sf);
	form_focus(sf->form, SF_NAME);
	sf->base.is_typing = form_is_typing(sf->form);
	return sf;
fail:
	subscriber_free(&s);
	form_free_cb(&sf->base);
	return NULL;
}

int subscriber_form_open(long long id, int kind, long long unit_id)
{
	struct kyso_err err = { 0 };
	struct subscriber_form *sf = form_screen_new(id, kind, unit_id, &err);

	if (!sf) {
		ui_error("%s", err.msg);
		return -1;
	}
	ui_push(&sf->base);
	return 0;
}

/* --- departure -------------------------------------------------------------------------- */

enum { DEPART_NAME = 1, DEPART_REASON, DEPART_DATE, DEPART_NOTE };

/* subscriber_depart's reasons: the statuses after STATUS_ACTIVE, choice r being status
 * STATUS_LEFT + r. */
#define NREASONS (SUBSCRIBER_STATUSES - 1)

static const char *reason_name(int r)
{
	return subscriber_status_name((enum subscriber_status)(STATUS_LEFT + r));
}

struct depart_screen {
	struct screen base;
	struct form *form;
	long long id;
	long version; /* the version the departure was opened on */
	char name[160];
};

static int depart_field_of(const char *column, void *ctx)
{
	(void)ctx;
	if (!strcmp(column, _("Reason")))
		return DEPART_REASON;
	if (!strcmp(column, _("Date")))
		return DEPART_DATE;
	if (!strcmp(column, _("Note")))
		return DEPART_NOTE;
	return -1;
}

static int depart_reason(struct depart_screen *ds)
{
	int r = form_choice(ds->form, DEPART_REASON);

	return r >= 0 && r < NREASONS ? r : 0;
}

/* A stale departure: another officer saved the subscriber since this was opened.  1 when
 * the officer chose to record it on the new version (read again here). */
static int depart_conflict(struct depart_screen *ds, const struct kyso_err *err)
{
	struct subscriber now;
	struct kyso_err e;
	char question[2048];

	snprintf(question, sizeof(question), "%s\n\n%s", err->msg,
		 _("What you typed is still in the form. Record the departure on the new version?"));
	if (!ui_confirm(_("Changed by someone else"), question, 0)) {
		ui_error("%s", err->msg);
		return 0;
	}
	if (subscriber_get(ui_db(), ds->id, &now, &e)) {
		ui_error("%s", e.msg);
		return 0;
	}
	ds->version = now.version;
	subscriber_free(&now);
	return 1;
}

static int depart_save(struct depart_screen *ds)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	char *date = text_clean(form_text(ds->form, DEPART_DATE));
	char *note = form_take_nfc(ds->form, DEPART_NOTE), shown[11], iso[11];
	int reason = depart_reason(ds), rc, tries = 0;
	long long id;

	do {
		kyso_problems_clear(&problems);
		rc = subscriber_depart(ui_db(), ds->id, date, reason_name(reason), note,
				       ds->version, &problems, &err);
	} while (rc == KYSO_ECONFLICT && tries++ == 0 && depart_conflict(ds, &err));
	if (rc == 0)
		ui_status(_("Departure recorded: %s, %s on %s."), ds->name, subscriber_status_label(reason_name(reason)),
			  date && !date_parse(date, iso) ? date_display(iso, shown) : "");
	else if (rc == KYSO_EINVAL) {
		form_show_problems(ds->form, &problems, depart_field_of, NULL);
		ui_error(_("Not recorded: %zu problem(s), marked next to the fields."),
			 kyso_problems_found(&problems));
	} else if (rc != KYSO_ECONFLICT) {
		ui_error("%s", err.msg);
	}
	free(date);
	free(note);
	kyso_problems_free(&problems);
	if (rc)
		return UI_HANDLED;
	/* Back to where it was asked for (the detail screen, the roster): both read again.
	 * Art. 14.4: the tokens they keep are handed over or returned next. */
	form_set_unchanged(ds->form);
	id = ds->id;
	ui_pop();
	departure_flow_offer(id);
	return UI_HANDLED;
}

static int depart_can_leave(struct screen *s)
{
	struct depart_screen *ds = (struct depart_screen *)s;

	if (!form_is_changed(ds->form))
		return 1;
	return ui_confirm(_("Discard changes?"),
			  _("The departure you typed is not recorded. Discard it?"), 0);
}

static int depart_key(struct screen *s, const struct ui_key *k)
{
	struct depart_screen *ds = (struct depart_screen *)s;
	int flags;

	if (k->code == KEY_F(2))
		return depart_save(ds);
	flags = form_key(ds->form, k);
	s->is_typing = form_is_typing(ds->form);
	if (flags & FORM_PRESSED) {
		if (form_pressed(ds->form) == BUTTON_SAVE)
			return depart_save(ds);
		return depart_can_leave(s) ? UI_LEAVE : UI_HANDLED;
	}
	return flags ? UI_HANDLED : UI_IGNORED;
}

/* A dialog over the detail screen, as tall as the room allows. */
static void depart_draw(struct screen *s)
{
	struct depart_screen *ds = (struct depart_screen *)s;
	int w = ui_cols() - 4 > 72 ? 72 : ui_cols() - 4;
	int h = form_height(ds->form, w - 2) + 2, y, x;

	if (h > ui_body_rows())
		h = ui_body_rows();
	y = ui_body_top() + (ui_body_rows() - h) / 2;
	x = (ui_cols() - w) / 2;
	ui_hint(_("Enter on the reason: the list   F2: record   Esc: cancel"));
	ui_box(y, x, h, w, _("Departure"), ui_style(UI_DIALOG));
	form_draw(ds->form, y + 1, x + 1, h - 2, w - 2, ui_style(UI_DIALOG));
	s->is_typing = form_is_typing(ds->form);
}

static void depart_save_draft(struct screen *s)
{
	struct depart_screen *ds = (struct depart_screen *)s;
	struct kyso_err err;
	struct draft d;
	int rc = 0;

	if (!form_is_changed(ds->form))
		return;
	draft_init(&d);
	d.form = strdup(DRAFT_DEPART);
	d.subscriber_id = ds->id;
	d.base_version = ds->version;
	rc |= draft_set(&d, "reason", reason_name(depart_reason(ds)));
	rc |= draft_set(&d, "date", form_text(ds->form, DEPART_DATE));
	rc |= draft_set(&d, "note", form_text(ds->form, DEPART_NOTE));
	if (!d.form || rc || draft_save(ui_db(), &d, &err))
		fprintf(stderr, "kyso: %s\n", rc || !d.form ? _("out of memory") : err.msg);
	draft_free(&d);
}

static void depart_free(struct screen *s)
{
	struct depart_screen *ds = (struct depart_screen *)s;

	form_free(ds->form);
	free(ds);
}

static const struct ui_keyhelp depart_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "F2", N_("Record"), KEY_F(2), 0, 1 },
	{ "Tab", N_("Next field"), 0, UI_KEY_TAB, 1 },
	{ "Enter", N_("Next, choose"), 0, UI_KEY_ENTER, 1 },
	{ "Esc", N_("Cancel"), 0, UI_KEY_ESC, 1 },
	{ "Shift-Tab ↑ ↓", N_("Previous or next field"), 0, 0, 0 },
	{ "Enter, Space", N_("Open the list of reasons; press a button"), 0, 0, 0 },
	{ "dd/mm/yyyy", N_("How dates are typed"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static struct depart_screen *depart_new(long long id, struct kyso_err *err)
{
	struct depart_screen *ds = calloc(1, sizeof(*ds));
	struct subscriber s;
	char today[11], shown[11], intro[256];
	const char *reasons[NREASONS];
	int bad = 0, r;

	subscriber_init(&s);
	if (!ds || !(ds->form = form_new())) {
		free(ds);
		kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		return NULL;
	}
	if (subscriber_get(ui_db(), id, &s, err))
		goto fail;
	if (subscriber_departed(s.status)) {
		kyso_fail(err, KYSO_EINVAL, _("%s already departed on %s (%s)"), s.name,
			  ui_date(s.departed_on, shown), subscriber_status_label(s.status));
		goto fail;
	}
	ds->id = id;
	ds->version = s.version;
	snprintf(ds->name, sizeof(ds->name), "%s", s.name);
	db_today(today);
	snprintf(intro, sizeof(intro), "%s (#%lld)", s.name, id);
	bad |= form_add_note(ds->form, intro, 0, 0) < 0;
	for (r = 0; r < NREASONS; r++)
		reasons[r] = subscriber_status_label(reason_name(r));
	bad |= form_add_choice(ds->form, DEPART_REASON, N_("Reason"), reasons, NREASONS, 0, 0) < 0;
	bad |= form_add_date(ds->form, DEPART_DATE, N_("Date"), date_display(today, shown), 1) < 0;
	bad |= form_add_text(ds->form, DEPART_NOTE, N_("Note"), NULL, 0, 0) < 0;
	bad |= form_add_button(ds->form, BUTTON_SAVE, N_("Record departure")) < 0;
	bad |= form_add_button(ds->form, BUTTON_CANCEL, N_("Cancel")) < 0;
	if (bad) {
		kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		goto fail;
	}
	subscriber_free(&s);
	ds->base.title = N_("Departure");
	snprintf(ds->base.detail, sizeof(ds->base.detail), "%s", ds->name);
	ds->base.is_overlay = 1;
	ds->base.keys = depart_keys;
	ds->base.draw = depart_draw;
	ds->base.key = depart_key;
	ds->base.can_leave = depart_can_leave;
	ds->base.save_draft = depart_save_draft;
	ds->base.free = depart_free;
	return ds;
fail:
	subscriber_free(&s);
	depart_free(&ds->base);
	return NULL;
}

/* d on a departed subscriber: the date recorded is corrected (issue 11.1), an audited
 * correction that keeps the earlier date in the history. */
static int correct_departure(const struct subscriber *s)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	char title[512], shown[11], *typed = NULL;
	int rc = 0;

	snprintf(title, sizeof(title), _("%s already departed on %s (%s)"), s->name,
		 ui_date(s->departed_on, shown), subscriber_status_label(s->status));
	if (!ui_prompt(title, _("Correct the date to (dd/mm/yyyy):"), shown, &typed))
		goto out;
	rc = subscriber_edit(ui_db(), s->id,
			     &(struct subscriber_change){ SUBSCRIBER_DEPARTED_ON, typed }, 1,
			     s->version, &problems, &err);
	if (rc)
		ui_refused(_("The departure date was not corrected"), &err, &problems);
	else
		ui_status(_("Departure date corrected to %s; the earlier date is kept in the history."),
			  typed);
out:
	free(typed);
	kyso_problems_free(&problems);
	return rc;
}

int subscriber_depart_open(long long id)
{
	struct kyso_err err = { 0 };
	struct depart_screen *ds;
	struct subscriber s;

	subscriber_init(&s);
	if (!subscriber_get(ui_db(), id, &s, &err) && s.status && subscriber_departed(s.status)) {
		correct_departure(&s);
		subscriber_free(&s);
		return 0;
	}
	subscriber_free(&s);
	ds = depart_new(id, &err);

	if (!ds) {
		ui_error("%s", err.msg);
		return -1;
	}
	ui_push(&ds->base);
	return 0;
}

/* --- drafts ------------------------------------------------------------------------------ */

/* Opens the add/edit form with what the draft kept, over the detail screen for an edit.
 * The form counts as changed, so that leaving it asks. */
static int restore_subscriber(const struct draft *d, struct kyso_err *err)
{
	struct subscriber_form *sf;
	enum subscriber_kind kind = KIND_PERSON;
	const char *unit = draft_get(d, subscriber_field_name(SF_UNIT));
	int f;

	subscriber_kind_parse(draft_get(d, subscriber_field_name(SF_KIND)), &kind);
	if (d->subscriber_id && subscriber_view_open(d->subscriber_id))
		return kyso_fail(err, KYSO_ENOTFOUND, _("no subscriber #%lld"), d->subscriber_id);
	if (!(sf = form_screen_new(d->subscriber_id, (int)kind, 0, err)))
		return err->code ? err->code : KYSO_EIO;
	if (d->base_version > 0)
		sf->version = d->base_version;
	form_set_choice(sf->form, SF_KIND, (int)kind, 1);
	if (unit && *unit == '#')
		form_set_choice(sf->form, SF_UNIT,
				unit_choice_index(&sf->units, strtoll(unit + 1, NULL, 10)), 1);
	else if (unit)
		form_set_choice(sf->form, SF_UNIT, 0, 1);
	for (f = SF_NAME; f < SF_COUNT; f++) {
		const char *v = draft_get(d, subscriber_field_name((enum subscriber_field)f));

		if (f != SF_UNIT && v)
			form_set_text(sf->form, f, v, 1);
	}
	form_show_kind(sf);
	form_focus(sf->form, SF_NAME);
	sf->form->is_forced_changed = 1;
	ui_push(&sf->base);
	return 0;
}

static int restore_depart(const struct draft *d, struct kyso_err *err)
{
	struct depart_screen *ds;
	const char *reason = draft_get(d, "reason");
	int r;

	if (subscriber_view_open(d->subscriber_id))
		return kyso_fail(err, KYSO_ENOTFOUND, _("no subscriber #%lld"), d->subscriber_id);
	if (!(ds = depart_new(d->subscriber_id, err)))
		return err->code ? err->code : KYSO_EIO;
	if (d->base_version > 0)
		ds->version = d->base_version;
	for (r = 0; reason && r < NREASONS; r++)
		if (!strcmp(reason, reason_name(r)))
			form_set_choice(ds->form, DEPART_REASON, r, 1);
	if (draft_get(d, "date"))
		form_set_text(ds->form, DEPART_DATE, draft_get(d, "date"), 1);
	if (draft_get(d, "note"))
		form_set_text(ds->form, DEPART_NOTE, draft_get(d, "note"), 1);
	ds->form->is_forced_changed = 1;
	ui_push(&ds->base);
	return 0;
}

/* What the draft holds, in words: which form, whose. */
static void describe(const struct draft *d, char *out, size_t outsz)
{
	struct subscriber s;
	struct kyso_err err;
	char *typed;
	const char *name;

	if (token_draft_is(d->form)) {
		token_draft_describe(d, out, outsz);
		return;
	}
	typed = text_clean(draft_get(d, subscriber_field_name(SF_NAME)));
	name = typed && *typed ? typed : _("(no name typed)");
	subscriber_init(&s);
	if (d->subscriber_id && !subscriber_get(ui_db(), d->subscriber_id, &s, &err))
		name = s.name;
	if (!strcmp(d->form, DRAFT_DEPART))
		snprintf(out, outsz, _("the departure of %s (#%lld)"), name, d->subscriber_id);
	else if (!strcmp(d->form, DRAFT_SETUP))
		snprintf(out, outsz, "%s", _("the agency profile of the first run"));
	else if (d->subscriber_id)
		snprintf(out, outsz, _("an edit of %s (#%lld)"), name, d->subscriber_id);
	else
		snprintf(out, outsz, _("a new subscriber, %s"), name);
	subscriber_free(&s);
	free(typed);
}

/* Offers one draft: restore it, delete it, or keep it for the next start. */
static void offer(const struct draft *d)
{
	struct screen *before = ui_top();
	struct kyso_err err = { 0 };
	char what[512], when[64], question[1024];
	int rc;

	describe(d, what, sizeof(what));
	time_display(d->saved_at, when, sizeof(when));
	if (!strcmp(d->form, DRAFT_SETUP)) {
		/* The agency was set up another way since: the profile typed then is moot. */
		snprintf(question, sizeof(question),
			 _("kyso was stopped on %s (%s) while %s was being typed, but the agency is set up now. Delete that draft?"),
			 when, d->actor, what);
		if (ui_confirm(_("A draft was kept"), question, 0) && draft_delete(ui_db(), d->id, &err) == KYSO_EIO)
			ui_error("%s", err.msg);
		return;
	}
	snprintf(question, sizeof(question),
		 _("kyso was stopped on %s (%s) while a form was open: %s. Restore what was typed?"),
		 when, d->actor, what);
	if (ui_confirm(_("A draft was kept"), question, 1)) {
		rc = token_draft_is(d->form)	    ? token_draft_restore(d, &err)
		     : !strcmp(d->form, DRAFT_DEPART) ? restore_depart(d, &err)
						      : restore_subscriber(d, &err);
		if (rc) {
			while (ui_top() != before)
				ui_pop();
			ui_error(_("The draft could not be restored (it is kept): %s"), err.msg);
			return;
		}
		rc = draft_delete(ui_db(), d->id, &err);
		if (rc == KYSO_ENOTFOUND) {
			/* another kyso restored it first: it has the text, one copy is enough */
			while (ui_top() != before)
				ui_pop();
			ui_status("%s", _("Another kyso restored that draft already."));
		} else if (rc) {
			ui_error("%s", err.msg);
		} else {
			ui_status("%s", _("Restored what was typed; save it with F2."));
		}
		return;
	}
	if (!ui_signalled() &&
	    ui_confirm(_("Delete the draft?"),
		       _("Delete what was typed for good? Answer no to keep the draft for the next start."),
		       0) &&
	    draft_delete(ui_db(), d->id, &err) == KYSO_EIO)
		ui_error("%s", err.msg);
}

struct draft_ids {
	long long *ids;
	int n;
};

static int collect_draft(const struct draft *d, void *ctx)
{
	struct draft_ids *ids = ctx;
	long long *more = realloc(ids->ids, (size_t)(ids->n + 1) * sizeof(*more));

	if (!more)
		return 1;
	ids->ids = more;
	ids->ids[ids->n++] = d->id;
	return 0;
}

int drafts_offer(void)
{
	struct draft_ids ids = { 0 };
	struct kyso_err err;
	int i;

	if (draft_list(ui_db(), collect_draft, &ids, &err)) {
		ui_error("%s", err.msg);
		free(ids.ids);
		return 0;
	}
	for (i = 0; i < ids.n && !ui_signalled(); i++) {
		struct draft d;

		if (draft_load(ui_db(), ids.ids[i], &d, &err))
			continue; /* taken by another kyso meanwhile */
		offer(&d);
		draft_free(&d);
	}
	free(ids.ids);
	return 0;
}
