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
#include "kyso/outfile.h"
#include "kyso/settings.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "screens/token_ui.h"


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
		     subscriber_departed(r->status) ? _(" (departed)") : "") < 0)
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

static const char *kind_words(enum minutes_kind k)
{
	switch (k) {
	case MINUTES_HANDOVER: return _("staff handover minutes (Art. 14.4)");
	case MINUTES_RETURN: return _("return minutes (Mẫu 08 / Mẫu 14)");
	case MINUTES_LOST: return _("lost-token minutes (Mẫu 09 / Mẫu 15)");
	}
	return "";
}

/* Writes the minutes to the path the officer confirms, asking again after a failure.  1
 * with *doc_id when written, 0 when the officer gave up. */
static int write_where_asked(const struct minutes_request *r0, const char *initial,
			     long long *doc_id, char *written, size_t writtensz)
{
	struct minutes_request r = *r0;
	struct kyso_err err;
	char *path = strdup(initial), *typed, msg[2048];

	while (path && ui_prompt_path(_("Write the minutes"), _("File, or folder (documents.dir):"), path, &typed)) {
		free(path);
		path = ui_expand_path(typed);
		free(typed);
		if (!path)
			break;
		r.flags = 0;
		if (!outfile_is_dir(path) && !access(path, F_OK)) {
			if (!ui_confirm(_("Replace the file?"), _("A file of that name is there already. Write over it?"), 0))
				continue;
			r.flags = OUTFILE_FORCE;
		}
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

void minutes_offer(const char *doc_kind, const long long *ids, size_t n, const char *date)
{
	struct minutes_request r = { 0 };
	struct document d;
	struct kyso_err err = { 0 };
	enum minutes_kind k;
	char question[4400], *dir = NULL, path[4096], written[4096], iso[11], number[96] = "";
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
	/* The documents' folder (documents.dir): there the minutes' number names the file. */
	if (outfile_documents_dir(ui_db(), &dir, &err)) {
		ui_message(_("The minutes were not written"), err.msg);
		dir = strdup(getenv("HOME") ? getenv("HOME") : ".");
	}
	snprintf(path, sizeof(path), "%s/", dir ? dir : ".");
	free(dir);
	r.kind = k;
	r.date = date && !date_parse(date, iso) ? iso : NULL; /* the step's day */
	r.token_ids = ids;
	r.ntokens = n;
	if (!write_where_asked(&r, path, &doc_id, written, sizeof(written))) {
		ui_status("%s", _("The minutes are still to be written: m on the token writes them."));
		return;
	}
	document_init(&d);
	if (document_get(ui_db(), doc_id, &d, &err) == 0) {
		document_number_text(d.number, d.symbol, number, sizeof(number));
		if (d.file_name && *d.file_name) /* the name kyso gave it in a folder */
			snprintf(written, sizeof(written), "%s", d.file_name);
	}
	document_free(&d);
	snprintf(question, sizeof(question), _("Minutes No. %s written:\n%s"), number, written);
	ui_message(_("Minutes written"), question);
	ui_status(_("Minutes No. %s written: %s"), number, written);
}
