/*
 * screen_setup.c - the first run, on a store without an agency: the agency profile (what
 * `kyso init` takes), then the first units (a unit may sit under another), then the offer
 * to import an existing roster; the dashboard takes the setup screen's place at the end.
 *
 * agency_init and unit_add check and write, exactly as for the command line; this screen
 * puts every problem they report next to its field.  What was typed in the profile is
 * kept as a draft when kyso is stopped before it was saved.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/form.h"
#include "kyso/agency.h"
#include "kyso/draft.h"
#include "kyso/text.h"
#include "screens/screens.h"
#include "widgets/ui.h"

enum { BUTTON_SAVE = 100, BUTTON_ADD, BUTTON_CONTINUE };
enum { UNIT_NAME = 200, UNIT_PARENT, UNIT_CODE };

/* The profile's fields: their labels are the columns agency_validate names in its
 * problems (and `kyso agency show` prints), key their name in a draft. */
static const struct {
	const char *label;
	size_t offset;
	int is_required;
	const char *key;
} profile[] = {
	{ N_("Agency"), offsetof(struct agency, name), 1, "name" },
	{ N_("Code"), offsetof(struct agency, code), 1, "code" },
	{ N_("Parent body"), offsetof(struct agency, parent_body), 0, "parent_body" },
	{ N_("E-mail domain"), offsetof(struct agency, email_domain), 1, "email_domain" },
	{ N_("Head of agency"), offsetof(struct agency, head_name), 0, "head_name" },
	{ N_("Head's position"), offsetof(struct agency, head_position), 0, "head_position" },
	{ N_("Focal-point officer"), offsetof(struct agency, focal_name), 0, "focal_name" },
	{ N_("Focal-point position"), offsetof(struct agency, focal_position), 0, "focal_position" },
	{ N_("Focal-point phone"), offsetof(struct agency, focal_phone), 0, "focal_phone" },
	{ N_("Focal-point e-mail"), offsetof(struct agency, focal_email), 0, "focal_email" },
	{ N_("Recipient department"), offsetof(struct agency, recipient), 0, "recipient" },
	{ N_("Place name"), offsetof(struct agency, place), 0, "place" },
	{ N_("Address"), offsetof(struct agency, address), 0, "address" },
};
#define PROFILE_N ((int)(sizeof(profile) / sizeof(profile[0])))

struct setup {
	struct screen base;
	struct form *form;
	int step;		/* 0: the profile; 1: the units */
	long long *unit_ids;	/* the "Under" choice: 0 for the top, then each unit */
	int nunits;
	long long parent_id;	/* the parent chosen last, kept for the next unit */
};

static char **slot(struct agency *a, int i)
{
	return (char **)((char *)a + profile[i].offset);
}

static int profile_field_of(const char *column)
{
	int i;

	for (i = 0; i < PROFILE_N; i++)
		if (!strcmp(column, _(profile[i].label)))
			return i;
	return -1;
}

/* --- step 1: the profile --------------------------------------------------------------- */

static int profile_form(struct setup *st)
{
	int i, bad = 0;

	bad |= form_add_note(st->form, N_("Welcome to kyso. First, this agency's profile, as on its documents; fields marked * are required."), 1, 0) < 0;
	for (i = 0; i < PROFILE_N; i++)
		bad |= form_add_text(st->form, i, profile[i].label, NULL, 0,
				     profile[i].is_required) < 0;
	bad |= form_add_button(st->form, BUTTON_SAVE, N_("Save and continue")) < 0;
	form_focus(st->form, 0);
	return bad ? -1 : 0;
}

static int units_form(struct setup *st);

static int profile_save(struct setup *st)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct agency a = { 0 };
	int i, rc;

	for (i = 0; i < PROFILE_N; i++)
		*slot(&a, i) = form_take_nfc(st->form, i);
	rc = agency_init(ui_db(), &a, &problems, &err);
	form_clear_problems(st->form);
	if (rc == KYSO_EINVAL) {
		size_t k;

		for (k = 0; k < problems.count; k++) {
			const struct kyso_problem *p = &problems.items[k];

			form_add_problem(st->form, profile_field_of(p->column), p->message);
		}
		form_focus_problem(st->form);
		ui_error(_("Not saved: %zu problem(s), marked next to the fields."), kyso_problems_found(&problems));
	} else if (rc) {
		ui_error("%s", err.msg);
	}
	agency_free(&a);
	kyso_problems_free(&problems);
	if (rc)
		return UI_HANDLED;
	st->step = 1;
	if (units_form(st)) {
		ui_error("%s", _("out of memory"));
		return UI_HANDLED;
	}
	ui_status("%s", _("The agency is set up."));
	return UI_HANDLED;
}

/* --- step 2: the units ------------------------------------------------------------------- */

struct unit_rows {
	struct setup *st;
	struct form *form;
	char **names;	/* the "Under" choice */
	int bad;
};

static int add_unit_row(const struct unit *u, void *ctx)
{
	struct unit_rows *ur = ctx;
	struct setup *st = ur->st;
	int depth = u->depth > 8 ? 8 : u->depth;
	long long *ids = realloc(st->unit_ids, (size_t)(st->nunits + 1) * sizeof(*ids));
	char **names = ids ? realloc(ur->names, (size_t)(st->nunits + 1) * sizeof(*names)) : NULL;
	char line[512];

	if (ids)
		st->unit_ids = ids;
	if (!names) {
		ur->bad = 1;
		return 1;
	}
	ur->names = names;
	snprintf(line, sizeof(line), "%*s%s", depth * 2, "", u->name);
	st->unit_ids[st->nunits] = u->id;
	if (!(ur->names[st->nunits] = strdup(line))) {
		ur->bad = 1;
		return 1;
	}
	st->nunits++;
	snprintf(line, sizeof(line), "• %s%s%s%s", u->name, u->code ? " [" : "",
		 u->code ? u->code : "", u->code ? "]" : "");
	ur->bad |= form_add_note(ur->form, line, 0, 2 + depth * 2) < 0;
	return 0;
}

/* The units step, made again after each unit added (the list above the fields grows). */
static int units_form(struct setup *st)
{
	struct unit_rows ur = { st, form_new(), NULL, 0 };
	struct kyso_err err;
	int i, current = 0, rc;

	if (!ur.form)
		return -1;
	free(st->unit_ids);
	st->unit_ids = calloc(1, sizeof(*st->unit_ids));
	ur.names = calloc(1, sizeof(*ur.names));
	st->nunits = 0;
	if (!st->unit_ids || !ur.names || !(ur.names[0] = strdup(_("(top level)")))) {
		ur.bad = 1;
		goto out;
	}
	st->nunits = 1;
	ur.bad |= form_add_note(ur.form, N_("Now the agency's units (đơn vị trực thuộc): add as many as you like, a unit may sit under another. Units can also be added later."), 1, 0) < 0;
	ur.bad |= form_add_note(ur.form, "", 0, 0) < 0;
	rc = unit_list(ui_db(), add_unit_row, &ur, &err);
	if (rc)
		ui_error("%s", err.msg);
	if (st->nunits == 1)
		ur.bad |= form_add_note(ur.form, N_("(no units yet)"), 1, 2) < 0;
	ur.bad |= form_add_note(ur.form, "", 0, 0) < 0;
	for (i = 1; i < st->nunits; i++)
		if (st->unit_ids[i] == st->parent_id)
			current = i;
	ur.bad |= form_add_text(ur.form, UNIT_NAME, N_("Unit name"), NULL, 0, 1) < 0;
	ur.bad |= form_add_choice(ur.form, UNIT_PARENT, N_("Under"), (const char *const *)ur.names,
				  st->nunits, current, 0) < 0;
	ur.bad |= form_add_text(ur.form, UNIT_CODE, N_("Unit code"), NULL, 0, 0) < 0;
	ur.bad |= form_add_button(ur.form, BUTTON_ADD, N_("Add unit")) < 0;
	ur.bad |= form_add_button(ur.form, BUTTON_CONTINUE, N_("Continue")) < 0;
	form_focus(ur.form, UNIT_NAME);
out:
	for (i = 0; ur.names && i < st->nunits; i++)
		free(ur.names[i]);
	free(ur.names);
	if (ur.bad) {
		form_free(ur.form);
		return -1;
	}
	form_free(st->form);
	st->form = ur.form;
	return 0;
}

static int unit_add_typed(struct setup *st)
{
	struct kyso_err err = { 0 };
	char *name = form_take_nfc(st->form, UNIT_NAME), *code = form_take_nfc(st->form, UNIT_CODE);
	char parent[32] = "";
	int p = form_choice(st->form, UNIT_PARENT), rc;
	long long id = 0;

	if (p > 0 && p < st->nunits)
		snprintf(parent, sizeof(parent), "#%lld", st->unit_ids[p]);
	rc = unit_add(ui_db(), name ? name : "", parent, code, &id, &err);
	if (rc) {
		form_clear_problems(st->form);
		form_add_problem(st->form, UNIT_NAME, err.msg);
		form_focus(st->form, UNIT_NAME);
		ui_error("%s", err.msg);
	} else {
		st->parent_id = p > 0 && p < st->nunits ? st->unit_ids[p] : 0;
		if (units_form(st))
			ui_error("%s", _("out of memory"));
		else
			ui_status(_("Unit added: %s"), name);
	}
	free(name);
	free(code);
	return UI_HANDLED;
}

/* The end of the first run: the dashboard in place of this screen, and the import if the
 * officer wants one now.  The setup screen is freed here: nothing of it is used after. */
static int setup_finish(struct setup *st)
{
	int wants_import;

	if (!text_is_blank(form_text(st->form, UNIT_NAME))) {
		unit_add_typed(st);
		if (!text_is_blank(form_text(st->form, UNIT_NAME)))
			return UI_HANDLED; /* it was refused: the problem is shown */
	}
	wants_import = ui_confirm(_("Import a roster"),
				  _("Import an existing roster file (CSV or XLSX) now? Its check is shown before anything is written. It can also be done later."),
				  1);
	if (ui_signalled())
		return UI_HANDLED;
	ui_pop();
	if (dashboard_open())
		return UI_HANDLED;
	if (wants_import)
		import_open();
	return UI_HANDLED;
}

/* --- the screen ---------------------------------------------------------------------------- */

static const struct ui_keyhelp profile_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "F2", N_("Save"), KEY_F(2), 0, 1 },
	{ "Tab", N_("Next field"), 0, UI_KEY_TAB, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "Shift-Tab ↑ ↓", N_("Previous or next field"), 0, 0, 0 },
	{ "Enter", N_("Next field; on the button, save"), 0, 0, 0 },
	{ "← → Home End", N_("Move in the text (Ctrl-A, Ctrl-E too)"), 0, 0, 0 },
	{ "Ctrl-U Ctrl-K", N_("Delete to the start, to the end of the text"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static const struct ui_keyhelp units_keys[] = {
	{ "F1", N_("Help"), KEY_F(1), 0, 1 },
	{ "Enter", N_("Add unit"), 0, UI_KEY_ENTER, 1 },
	{ "Tab", N_("Next field"), 0, UI_KEY_TAB, 1 },
	{ "F2", N_("Continue"), KEY_F(2), 0, 1 },
	{ "F10", N_("Quit"), KEY_F(10), 0, 1 },
	{ "Shift-Tab ↑ ↓", N_("Previous or next field"), 0, 0, 0 },
	{ "Enter, Space", N_("On \"Under\": choose the unit above this one"), 0, 0, 0 },
	UI_KEYHELP_END,
};

static int setup_key(struct screen *s, const struct ui_key *k)
{
	struct setup *st = (struct setup *)s;
	int flags;

	if (st->step == 0 && k->code == KEY_F(2))
		return profile_save(st);
	if (st->step == 1 && k->code == KEY_F(2))
		return setup_finish(st);
	/* Typing several units: Enter in a text field adds the one typed. */
	if (st->step == 1 && ui_key_is_enter(k) && form_is_typing(st->form))
		return unit_add_typed(st);
	flags = form_key(st->form, k);
	if (flags & FORM_PRESSED) {
		switch (form_pressed(st->form)) {
		case BUTTON_SAVE:
			return profile_save(st);
		case BUTTON_ADD:
			return unit_add_typed(st);
		case BUTTON_CONTINUE:
			return setup_finish(st);
		}
	}
	return flags ? UI_HANDLED : UI_IGNORED;
}

static void setup_draw(struct screen *s)
{
	struct setup *st = (struct setup *)s;

	s->keys = st->step == 0 ? profile_keys : units_keys;
	ui_hint(st->step == 0 ? _("Tab: next field   F2: save the profile   F10: quit")
			      : _("Enter: add the unit typed   Tab: next field   F2: continue"));
	form_draw(st->form, ui_body_top(), 0, ui_body_rows(), ui_cols(), A_NORMAL);
	s->is_typing = form_is_typing(st->form);
}

static int setup_can_leave(struct screen *s)
{
	struct setup *st = (struct setup *)s;

	if (!form_is_changed(st->form))
		return 1;
	return ui_confirm(_("Discard changes?"),
			  st->step == 0 ? _("The agency profile you typed is not saved. Quit anyway?")
					: _("The unit you typed is not added. Quit anyway?"),
			  0);
}

static void setup_save_draft(struct screen *s)
{
	struct setup *st = (struct setup *)s;
	struct kyso_err err;
	struct draft d;
	int i, rc = 0;

	if (st->step != 0 || !form_is_changed(st->form))
		return;
	draft_init(&d);
	d.form = strdup(DRAFT_SETUP);
	for (i = 0; i < PROFILE_N; i++)
		rc |= draft_set(&d, profile[i].key, form_text(st->form, i));
	if (!d.form || rc || draft_save(ui_db(), &d, &err))
		fprintf(stderr, "kyso: %s\n", rc || !d.form ? _("out of memory") : err.msg);
	draft_free(&d);
}

static void setup_free(struct screen *s)
{
	struct setup *st = (struct setup *)s;

	form_free(st->form);
	free(st->unit_ids);
	free(st);
}

static int last_setup_draft(const struct draft *d, void *ctx)
{
	if (!strcmp(d->form, DRAFT_SETUP))
		*(long long *)ctx = d->id;
	return 0;
}

/* A profile typed before kyso was stopped: offered back, or deleted when the officer
 * says so. */
static void offer_draft(struct setup *st)
{
	struct kyso_err err;
	struct draft d;
	long long id = 0;
	int i;

	if (draft_list(ui_db(), last_setup_draft, &id, &err) || !id ||
	    draft_load(ui_db(), id, &d, &err))
		return;
	if (ui_confirm(_("A draft was kept"),
		       _("kyso was stopped while the agency profile was being typed. Restore what was typed?"),
		       1)) {
		for (i = 0; i < PROFILE_N; i++)
			if (draft_get(&d, profile[i].key))
				form_set_text(st->form, i, draft_get(&d, profile[i].key), 1);
		st->form->is_forced_changed = 1;
		draft_delete(ui_db(), id, &err);
		ui_status("%s", _("Restored what was typed; save it with F2."));
	} else if (!ui_signalled() &&
		   ui_confirm(_("Delete the draft?"),
			      _("Delete what was typed for good? Answer no to keep the draft for the next start."),
			      0)) {
		draft_delete(ui_db(), id, &err);
	}
	draft_free(&d);
}

int setup_open(void)
{
	struct setup *st = calloc(1, sizeof(*st));

	if (!st || !(st->form = form_new()) || profile_form(st)) {
		if (st)
			form_free(st->form);
		free(st);
		ui_error("%s", _("out of memory"));
		return -1;
	}
	st->base.title = N_("First run: set up the agency");
	st->base.keys = profile_keys;
	st->base.draw = setup_draw;
	st->base.key = setup_key;
	st->base.can_leave = setup_can_leave;
	st->base.save_draft = setup_save_draft;
	st->base.free = setup_free;
	ui_push(&st->base);
	offer_draft(st);
	return 0;
}
