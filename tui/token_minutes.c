/*
 * token_minutes.c - the minutes a token's change needs, offered as soon as the change is
 * recorded (and later from the token's screen): the folder they go to (the setting
 * document_dir), a file name from the date, the kind and the serial, the call to
 * reports/ (minutes_write) and what came of it.  Also the roster picker the token forms
 * use to name people.
 *
 * A failure to write never undoes the change: the step stays recorded and the due list
 * keeps saying "minutes missing" until they are written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kyso/check.h"
#include "kyso/document.h"
#include "kyso/minutes.h"
#include "kyso/settings.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "token_ui.h"


/* --- the roster picker ------------------------------------------------------------------------ */

struct picks {
	long long ids[50];
	char *names[50], *positions[50], *items[50];
	int n;
};

static int take_pick(const struct subscriber_row *r, void *ctx)
{
	struct picks *p = ctx;
	int i = p->n;

	p->ids[i] = r->id;
	p->names[i] = strdup(r->name);
	p->positions[i] = r->position ? strdup(r->position) : NULL;
	if (asprintf(&p->items[i], "%s — %s — %s%s", r->name, r->unit ? r->unit : "—",
		     r->position ? r->position : "—",
		     strcmp(r->status, "active") ? _(" (departed)") : "") < 0)
		p->items[i] = NULL;
	p->n++;
	return !p->names[i] || !p->items[i] || p->n == 50;
}

int roster_pick(const char *words, long long *id, char **name, char **position)
{
	struct picks p = { 0 };
	struct kyso_err err;
	char *asked = NULL;
	int i, chosen = -1;

	*name = *position = NULL;
	if (text_is_blank(words) || !words[strspn(words, " ")]) {
		if (!ui_prompt(_("Pick from the roster"), _("Name, citizen ID or phone:"), "", &asked))
			return 0;
		words = asked;
	}
	if (subscriber_list(ui_db(),
			    &(struct subscriber_query){ .search = words, .kind = -1, .limit = 50 },
			    take_pick, &p, &err)) {
		ui_error("%s", err.msg);
		goto out;
	}
	if (p.n == 0)
		ui_error(_("No subscriber matches \"%s\"."), words);
	else if (p.n == 1)
		chosen = 0;
	else
		chosen = ui_choose(_("Pick from the roster"), (const char *const *)p.items, p.n, 0);
	if (chosen >= 0 && p.names[chosen]) {
		*id = p.ids[chosen];
		*name = p.names[chosen];
		*position = p.positions[chosen];
		p.names[chosen] = p.positions[chosen] = NULL;
		ui_status(_("From the roster: %s"), *name);
	}
out:
	for (i = 0; i < p.n; i++) {
		free(p.names[i]);
		free(p.positions[i]);
		free(p.items[i]);
	}
	free(asked);
	return *name != NULL;
}

/* --- where minutes go ------------------------------------------------------------------------- */

/* Makes path and the folders above it that are missing, owner-only. */
static int make_dirs(const char *path, struct kyso_err *err)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return kyso_fail(err, KYSO_EIO, _("cannot make the folder %s: %s"), buf,
					 kyso_strerror(errno));
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

/* The folder minutes go to: the setting document_dir (~ for the home folder), made when
 * it is missing. */
static int document_dir(char *out, size_t outsz, struct kyso_err *err)
{
	char *set = settings_value(ui_db(), SETTING_DOCUMENT_DIR);
	char *dir = set ? ui_expand_path(set) : NULL;

	free(set);
	if (!dir)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	snprintf(out, outsz, "%s", dir);
	free(dir);
	return make_dirs(out, err);
}

/* The words of a file name for each kind (Vietnamese, without diacritics). */
static const char *kind_slug(enum minutes_kind k)
{
	switch (k) {
	case MINUTES_HANDOVER: return "bien-ban-ban-giao";
	case MINUTES_RETURN: return "bien-ban-hoan-tra";
	case MINUTES_LOST: return "bien-ban-that-lac";
	}
	return "bien-ban";
}

static const char *kind_words(enum minutes_kind k)
{
	switch (k) {
	case MINUTES_HANDOVER: return _("staff handover minutes (Art. 14.4)");
	case MINUTES_RETURN: return _("return minutes (Mẫu 08 / Mẫu 14)");
	case MINUTES_LOST: return _("lost-token minutes (Mẫu 09 / Mẫu 15)");
	}
	return "";
}

/* "DIR/2026-11-30_bien-ban-that-lac_SERIAL.docx" ("_+N" for N more tokens), with "-2",
 * "-3" ... when a file of that name is there already. */
static void default_path(const char *dir, const char *iso, enum minutes_kind k,
			 const char *serial, size_t n, char *out, size_t outsz)
{
	char safe[96], more[32] = "", again[16] = "";
	size_t i;
	int tries;

	snprintf(safe, sizeof(safe), "%s", serial && *serial ? serial : "token");
	for (i = 0; safe[i]; i++)
		if (!((safe[i] >= '0' && safe[i] <= '9') || (safe[i] >= 'A' && safe[i] <= 'Z') ||
		      (safe[i] >= 'a' && safe[i] <= 'z') || safe[i] == '-' || safe[i] == '_'))
			safe[i] = '-';
	if (n > 1)
		snprintf(more, sizeof(more), "_+%zu", n - 1);
	for (tries = 1; tries < 100; tries++) {
		if (tries > 1)
			snprintf(again, sizeof(again), "-%d", tries);
		snprintf(out, outsz, "%s/%s_%s_%s%s%s.docx", dir, iso, kind_slug(k), safe, more, again);
		if (access(out, F_OK))
			return;
	}
}

/* Writes the minutes to the path the officer confirms, asking again after a failure.  1
 * with *doc_id when written, 0 when the officer gave up. */
static int write_where_asked(const struct minutes_request *r0, const char *initial,
			     long long *doc_id, char *written, size_t writtensz)
{
	struct minutes_request r = *r0;
	struct kyso_err err;
	char *path = strdup(initial), *typed, msg[2048];

	while (path && ui_prompt(_("Write the minutes"), _("File:"), path, &typed)) {
		free(path);
		path = ui_expand_path(typed);
		free(typed);
		if (!path)
			break;
		if (!access(path, F_OK) &&
		    !ui_confirm(_("Replace the file?"), _("A file of that name is there already. Write over it?"), 0))
			continue;
		r.path = path;
		memset(&err, 0, sizeof(err));
		if (!minutes_write(ui_db(), &r, doc_id, &err)) {
			snprintf(written, writtensz, "%s", path);
			free(path);
			return 1;
		}
		snprintf(msg, sizeof(msg), "%s\n\n%s", err.msg,
			 _("The change is recorded. Choose another file, or Esc to write the minutes later (m on the token); until then the due list says they are missing."));
		ui_message(_("The minutes were not written"), msg);
	}
	free(path);
	return 0;
}

void minutes_offer(const char *doc_kind, const long long *ids, size_t n, const char *serial,
		   const char *date)
{
	struct minutes_request r = { 0 };
	struct document d;
	struct kyso_err err = { 0 };
	enum minutes_kind k;
	char question[4400], dir[2048], path[4096], written[4096], iso[11], number[96] = "";
	long long doc_id = 0;

	if (!n || minutes_kind_of_doc(doc_kind, &k))
		return;
	snprintf(question, sizeof(question),
		 _("This change is recorded by the %s. Write them now? Until they are written the due list says they are missing."),
		 kind_words(k));
	if (!ui_confirm(_("Minutes"), question, 1)) {
		ui_status("%s", _("The minutes are still to be written: m on the token writes them."));
		return;
	}
	if (!date || date_parse(date, iso))
		db_today(iso);
	if (document_dir(dir, sizeof(dir), &err)) {
		ui_message(_("The minutes were not written"), err.msg);
		snprintf(dir, sizeof(dir), "%s", getenv("HOME") ? getenv("HOME") : ".");
	}
	default_path(dir, iso, k, serial, n, path, sizeof(path));
	r.kind = k;
	r.token_ids = ids;
	r.ntokens = n;
	if (!write_where_asked(&r, path, &doc_id, written, sizeof(written))) {
		ui_status("%s", _("The minutes are still to be written: m on the token writes them."));
		return;
	}
	document_init(&d);
	if (document_get(ui_db(), doc_id, &d, &err) == 0)
		document_number_text(d.number, d.symbol, number, sizeof(number));
	document_free(&d);
	snprintf(question, sizeof(question), _("Minutes No. %s written:\n%s"), number, written);
	ui_message(_("Minutes written"), question);
	ui_status(_("Minutes No. %s written: %s"), number, written);
}
