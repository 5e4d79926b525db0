/*
 * minutes.c - minutes of tokens' changes (minutes.h): gathers what the steps, the
 * certificates and the agency's profile say (minutes_gather.c), fills the kind's
 * definition (minutes_forms.c) into the document's full content (minutes_content.c),
 * draws it (minutes_render.c), numbers and records it (document.h), writes the file.
 *
 * One transaction holds everything: the number is taken, the file is written under a
 * temporary name and flushed, the record and the links from the steps are written, and
 * only after the commit is the file renamed into place; a failed transaction removes
 * the temporary file.  Without a file named (or with a folder), the minutes get their
 * number's name ("bien-ban-2026-03-BB-SNNMT.docx") in that folder or the documents'.  The content recorded holds every resolved text, so the document
 * can be written again, byte for byte, without the definitions or the data it came from.
 *
 * Never a password: the steps carry only whether it was handed over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/check.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/token.h"
#include "kyso/hash.h"
#include "minutes_impl.h"

static const struct {
	const char *name, *doc_kind, *action;
	const char *no_step;	/* the refusal when a token has no such step */
	const char *label;	/* a person's words for the kind */
} kinds[] = {
	[MINUTES_HANDOVER] = { "handover", DOC_MINUTES_HANDOVER, TOKEN_ACT_HANDOVER,
			       N_("token %s has no handover to record in minutes"),
			       N_("Handover minutes") },
	[MINUTES_RETURN] = { "return", DOC_MINUTES_RETURN, TOKEN_ACT_RETURN,
			     N_("token %s was not handed back: no return to record in minutes"),
			     N_("Return minutes") },
	[MINUTES_LOST] = { "lost", DOC_MINUTES_LOST, TOKEN_ACT_LOSE,
			   N_("token %s has no loss to record in minutes"), N_("Lost-token minutes") },
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

int minutes_kind_of_doc(const char *doc_kind, enum minutes_kind *k)
{
	size_t i;

	for (i = 0; doc_kind && i < NKINDS; i++)
		if (!strcmp(doc_kind, kinds[i].doc_kind)) {
			*k = (enum minutes_kind)i;
			return 0;
		}
	return -1;
}

const char *minutes_kind_label(enum minutes_kind k)
{
	return (size_t)k < NKINDS ? _(kinds[k].label) : "?";
}

const char *minutes_kind_action(enum minutes_kind k)
{
	return (size_t)k < NKINDS ? kinds[k].action : NULL;
}

const char *minutes_kind_no_step(enum minutes_kind k)
{
	return (size_t)k < NKINDS ? kinds[k].no_step : "%s";
}

static int oom(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

/* "BB-SNNMT": the form's symbol and the agency's code (Decree 30). */
static char *symbol_of(const struct minutes_gather *g, const struct minutes_form *f,
		       char out[80])
{
	snprintf(out, 80, "%s-%s", f->symbol, g->agency.code ? g->agency.code : "");
	return out;
}

struct written {
	unsigned char *bytes;
	size_t len;
	char sha256[65];
	char *content;		/* the JSON recorded */
	char number[96];
};

static int draw(const struct minutes_gather *g, const struct minutes_form *f, const char *place,
		long number, struct written *w, struct kyso_err *err)
{
	char symbol[80];
	json_t *c;
	int rc;

	document_number_text(number, symbol_of(g, f, symbol), w->number, sizeof w->number);
	if (!(c = minutes_content(g, f, w->number, place, err)))
		return err->code ? err->code : oom(err);
	rc = minutes_render(c, &w->bytes, &w->len, err);
	if (rc == 0 && !(w->content = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER)))
		rc = oom(err);
	json_decref(c);
	if (rc == 0 && sha256_bytes(w->bytes, w->len, w->sha256) != 0)
		rc = kyso_fail(err, KYSO_EIO, "%s", _("computing a SHA-256 failed"));
	return rc;
}

static int record(struct minutes_gather *g, const struct minutes_form *f, long number,
		  const struct written *w, const char *path, long long *id, struct kyso_err *err)
{
	char symbol[80];
	struct document d = {
		.kind = (char *)kinds[g->kind].doc_kind, .form_set = (char *)f->form_set,
		.form = (char *)f->form, .year = atoi(g->date), .number = number,
		.symbol = symbol_of(g, f, symbol), .doc_date = g->date, .title = (char *)f->name,
		.content = w->content, .file_name = (char *)path, .sha256 = (char *)w->sha256,
	};
	long long *steps = calloc(g->n, sizeof *steps);
	size_t i;
	int rc;

	if (!steps)
		return oom(err);
	for (i = 0; i < g->n; i++)
		steps[i] = g->items[i].step.id;
	rc = document_record_tx(g->db, &d, steps, g->n, err);
	*id = d.id;
	free(steps);
	return rc;
}

static int check_request(const struct minutes_request *r, const char **form_set, char buf[16],
			 struct kyso_db *db, struct kyso_err *err)
{
	if ((size_t)r->kind >= NKINDS)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("unknown kind of minutes"));
	if (!r->ntokens || !r->token_ids)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("the minutes need at least one token"));
	if (r->path && !*r->path)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("the minutes need a file to write"));
	if (check_text_err(err, _("Place"), r->place, CHECK_TEXT_MAX))
		return KYSO_EINVAL;
	*form_set = r->form_set ? r->form_set : document_default_form_set(db, buf);
	if (document_form_set_check(*form_set) != 0)
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a form set (nd68 or tt185)"),
				 *form_set);
	return 0;
}

/* "bien-ban-2026-03-BB-SNNMT": the year, then the number as written with "/" made "-"
 * and anything but letters, digits and "-" too. */
static void file_stem(int year, const char *number, char *out, size_t outsz)
{
	size_t i, n = (size_t)snprintf(out, outsz, "bien-ban-%04d-", year % 10000);

	snprintf(out + n, outsz - n, "%s", number);
	for (i = n; out[i]; i++)
		if (!((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'A' && out[i] <= 'Z') ||
		      (out[i] >= 'a' && out[i] <= 'z') || out[i] == '-'))
			out[i] = '-';
}

/* The file to write: path as given, or for none (or a folder) the default name of the
 * minutes numbered number in that folder (else the documents' folder), *chosen freed by
 * the caller. */
static int file_of(struct kyso_db *db, const char *path, int year, const char *number,
		   char **chosen, struct kyso_err *err)
{
	char stem[160], *dir = NULL;
	int rc;

	*chosen = NULL;
	if (path && !outfile_is_dir(path))
		return 0;
	if (path)
		dir = strdup(path);
	else if ((rc = outfile_documents_dir(db, &dir, err)))
		return rc;
	if (!dir)
		return oom(err);
	file_stem(year, number, stem, sizeof stem);
	rc = outfile_free_name(dir, stem, ".docx", chosen, err);
	free(dir);
	return rc;
}

/* Opens the file of the minutes numbered w->number of year. */
static int open_file(struct kyso_db *db, const char *path, int flags, int year,
		     const char *number, struct outfile *o, char **chosen, struct kyso_err *err)
{
	int rc;

	if ((rc = file_of(db, path, year, number, chosen, err)))
		return rc;
	return outfile_open(o, db, *chosen ? *chosen : path, flags, err);
}

int minutes_write(struct kyso_db *db, const struct minutes_request *r, long long *document_id,
		  struct kyso_err *err)
{
	struct minutes_gather g = { .db = db, .kind = r->kind, .n = r->ntokens };
	struct written w = { 0 };
	const struct minutes_form *f;
	const char *form_set = NULL;
	struct outfile o;
	char buf[16], *chosen = NULL;
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
	if ((rc = minutes_gather(&g, r, err)) ||
	    (rc = document_next_number_tx(db, atoi(g.date), &number, err)) ||
	    (rc = draw(&g, f, r->place, number, &w, err)) ||
	    (rc = open_file(db, r->path, r->flags, atoi(g.date), w.number, &o, &chosen, err))) {
		db_rollback(db);
		goto out;
	}
	if ((rc = outfile_write(&o, w.bytes, w.len, err)) ||
	    (rc = record(&g, f, number, &w, outfile_recorded_name(&o), &id, err)) ||
	    (rc = db_commit(db, err))) {
		db_rollback(db);
		outfile_discard(&o, rc);
		goto out;
	}
	/* Recorded: the file goes in place.  Should that fail, the record stands and the
	 * file can be written again from it. */
	if (document_id)
		*document_id = id;
	if ((rc = outfile_commit(&o, err)) != 0) {
		char why[sizeof err->msg];

		snprintf(why, sizeof why, "%s", err->msg);
		kyso_fail(err, rc, _("minutes %s are recorded, but %s"), w.number, why);
	}
out:
	free(chosen);
	minutes_gather_free(&g);
	free(w.bytes);
	free(w.content);
	return rc;
}

int minutes_rewrite(struct kyso_db *db, long long document_id, const char *path, int flags,
		    int *identical, char **written, struct kyso_err *err)
{
	struct document d;
	struct outfile o;
	json_error_t je;
	json_t *c = NULL;
	unsigned char *bytes = NULL;
	size_t len = 0;
	char sha[65], number[96], *chosen = NULL;
	int rc;

	if (identical)
		*identical = 0;
	if (written)
		*written = NULL;
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
	document_number_text(d.number, d.symbol, number, sizeof number);
	if ((rc = minutes_render(c, &bytes, &len, err)))
		goto out;
	if (sha256_bytes(bytes, len, sha) != 0) {
		rc = kyso_fail(err, KYSO_EIO, "%s", _("computing a SHA-256 failed"));
		goto out;
	}
	if ((rc = open_file(db, path, flags, d.year, number, &o, &chosen, err)))
		goto out;
	if (written && !(*written = strdup(outfile_recorded_name(&o)))) {
		rc = outfile_discard(&o, oom(err));
		goto out;
	}
	if ((rc = outfile_write(&o, bytes, len, err)))
		outfile_discard(&o, rc);
	else
		rc = outfile_commit(&o, err);
	if (!rc && identical)
		*identical = !strcmp(sha, d.sha256);
	if (rc && written) {
		free(*written);
		*written = NULL;
	}
out:
	free(chosen);
	json_decref(c);
	free(bytes);
	document_free(&d);
	return rc;
}
