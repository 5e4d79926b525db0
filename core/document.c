/*
 * document.c - the register of documents kyso writes (document.h): numbers in the
 * agency's sequence for each year (Decree 30: "Số: 05/BB-SNNMT"), what each file was
 * made from, and the SHA-256 of the file as generated.
 *
 * Numbers are taken inside the caller's transaction (BEGIN IMMEDIATE), so two officers
 * writing minutes at once never get the same number; UNIQUE (year, number) is the last
 * guard.  This module never writes files: reports/ does, and gives it the hash.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/audit.h"
#include "kyso/document.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/settings.h"
#include "kyso/token.h"

const char *document_default_form_set(struct kyso_db *db, char buf[16])
{
	char *v = settings_value(db, SETTING_FORM_SET); /* checked against its choices */

	snprintf(buf, 16, "%s", v && !strcmp(v, FORM_SET_TT185) ? FORM_SET_TT185 : FORM_SET_ND68);
	free(v);
	return buf;
}

int document_form_set_check(const char *form_set)
{
	return form_set && (!strcmp(form_set, FORM_SET_ND68) || !strcmp(form_set, FORM_SET_TT185))
		       ? 0
		       : -1;
}

char *document_number_text(long number, const char *symbol, char *out, size_t outsz)
{
	/* Decree 30: a leading zero below 10, then "/" and the symbol, no spaces. */
	snprintf(out, outsz, "%02ld/%s", number, symbol ? symbol : "");
	return out;
}

void document_init(struct document *d)
{
	memset(d, 0, sizeof *d);
}

void document_free(struct document *d)
{
	free(d->kind);
	free(d->form_set);
	free(d->form);
	free(d->symbol);
	free(d->doc_date);
	free(d->title);
	free(d->content);
	free(d->file_name);
	free(d->sha256);
	free(d->actor);
	free(d->created_at);
	document_init(d);
}

int document_next_number_tx(struct kyso_db *db, int year, long *number, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_cached(db, "SELECT coalesce(max(number), 0) + 1 FROM document WHERE year = ?", &st,
		      err))
		return KYSO_EIO;
	sqlite3_bind_int(st, 1, year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*number = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("numbering a document"));
	return 0;
}

/* Recording --------------------------------------------------------------------------- */

static int insert(struct kyso_db *db, struct document *d, struct kyso_err *err)
{
	char now[21], number[96];
	sqlite3_stmt *st;
	int rc;

	db_now(now);
	if (db_cached(db, "INSERT INTO document(kind, form_set, form, year, number, symbol, "
			  "doc_date, title, content, file_name, sha256, actor, created_at) "
			  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, d->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->form_set, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->form, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, d->year);
	sqlite3_bind_int64(st, 5, d->number);
	sqlite3_bind_text(st, 6, d->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, d->doc_date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, d->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, d->content, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, d->file_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, d->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return kyso_fail(err, KYSO_ECONFLICT, _("number %s of %d is taken already"),
				 document_number_text(d->number, d->symbol, number, sizeof number),
				 d->year);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("recording a document"));
	d->id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

static int step_token(const struct token_step *s, void *ctx)
{
	*(long long *)ctx = s->token_id;
	return 0;
}

/* The timeline of each token the document records says it was written. */
static int record_events(struct kyso_db *db, const struct document *d, const long long *step_ids,
			 size_t nsteps, const char *detail, struct kyso_err *err)
{
	struct event_new ev = { .kind = EVENT_DOCUMENT_WRITTEN, .document_id = d->id,
				.on_date = d->doc_date, .detail = detail };
	size_t i;
	int rc;

	if (nsteps == 0)
		return event_record(db, &ev, NULL, err);
	for (i = 0; i < nsteps; i++) {
		long long token_id = 0;
		struct token t;

		if ((rc = token_step_get(db, step_ids[i], step_token, &token_id, err)))
			return rc;
		/* Two steps of one token (rare) make one event. */
		if (i > 0 && token_id == ev.token_id)
			continue;
		token_init(&t);
		rc = token_get(db, token_id, &t, err);
		ev.token_id = token_id;
		ev.subscriber_id = t.subscriber_id;
		token_free(&t);
		if (rc || (rc = event_record(db, &ev, NULL, err)))
			return rc;
	}
	return 0;
}

static json_t *record_json(const struct document *d, const long long *step_ids, size_t nsteps)
{
	char number[96];
	json_t *o, *steps = json_array();
	size_t i;

	for (i = 0; i < nsteps; i++)
		json_array_append_new(steps, json_integer(step_ids[i]));
	o = json_pack("{s:I,s:s,s:s,s:s,s:s?,s:i,s:s,s:s,s:s?,s:s,s:o}", "id", (json_int_t)d->id,
		      "kind", d->kind, "number",
		      document_number_text(d->number, d->symbol, number, sizeof number), "form_set",
		      d->form_set, "form", d->form, "year", d->year, "date", d->doc_date, "title",
		      d->title, "file", d->file_name, "sha256", d->sha256, "steps", steps);
	return o;
}

static int check_record(const struct document *d, struct kyso_err *err)
{
	const char *required[] = { d->kind, d->form_set, d->symbol, d->doc_date, d->title,
				   d->content, d->sha256 };
	size_t i;

	for (i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!required[i] || !*required[i])
			return kyso_fail(err, KYSO_EINVAL, "%s",
					 _("a document needs its kind, form set, symbol, date, "
					   "title, content and SHA-256"));
	if (d->number <= 0 || d->year < 1900 || strlen(d->sha256) != 64)
		return kyso_fail(err, KYSO_EINVAL, "%s",
				 _("a document needs a number, a year and a SHA-256 of 64 digits"));
	return 0;
}

int document_record_tx(struct kyso_db *db, struct document *d, const long long *step_ids,
		       size_t nsteps, struct kyso_err *err)
{
	char subject[40], *payload = NULL, *detail = NULL;
	json_t *o = NULL;
	int rc;

	if ((rc = check_record(d, err)) || (rc = insert(db, d, err)))
		return rc;
	if (nsteps && (rc = token_steps_set_document_tx(db, step_ids, nsteps, d->id, err)))
		return rc;
	o = record_json(d, step_ids, nsteps);
	payload = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (o) {
		json_object_del(o, "steps");
		json_object_del(o, "title");
		detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	}
	json_decref(o);
	if (!payload || !detail) {
		rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		goto out;
	}
	if ((rc = record_events(db, d, step_ids, nsteps, detail, err)))
		goto out;
	snprintf(subject, sizeof subject, "document:%lld", d->id);
	rc = audit_append(db, "document.record", subject, payload, err);
out:
	free(payload);
	free(detail);
	return rc;
}

/* Reading ----------------------------------------------------------------------------- */

int document_get(struct kyso_db *db, long long id, struct document *out, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	document_init(out);
	if (db_prepare(db, "SELECT id, kind, form_set, form, year, number, symbol, doc_date, "
			   "title, content, file_name, sha256, actor, created_at "
			   "FROM document WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->kind = db_column_dup(st, 1);
		out->form_set = db_column_dup(st, 2);
		out->form = db_column_dup(st, 3);
		out->year = sqlite3_column_int(st, 4);
		out->number = (long)sqlite3_column_int64(st, 5);
		out->symbol = db_column_dup(st, 6);
		out->doc_date = db_column_dup(st, 7);
		out->title = db_column_dup(st, 8);
		out->content = db_column_dup(st, 9);
		out->file_name = db_column_dup(st, 10);
		out->sha256 = db_column_dup(st, 11);
		out->actor = db_column_dup(st, 12);
		out->created_at = db_column_dup(st, 13);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("there is no document #%lld"), id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading a document"));
	if (!out->kind || !out->content || !out->sha256) {
		document_free(out);
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	}
	return 0;
}

/* "05/BB-SNNMT" -> 5 and "BB-SNNMT"; "5" -> 5 and no symbol.  -1 when it is neither. */
static int parse_number(const char *text, long *number, const char **symbol)
{
	char *end;

	errno = 0;
	*number = strtol(text, &end, 10);
	if (end == text || errno || *number <= 0 || *text == '-' || *text == '+')
		return -1;
	if (*end == '\0') {
		*symbol = NULL;
		return 0;
	}
	if (*end != '/' || end[1] == '\0')
		return -1;
	*symbol = end + 1;
	return 0;
}

int document_find(struct kyso_db *db, const char *number, int year, long long *id,
		  struct kyso_err *err)
{
	const char *symbol;
	sqlite3_stmt *st;
	long n;
	int rc;

	if (!number || parse_number(number, &n, &symbol) != 0)
		return kyso_fail(err, KYSO_EINVAL,
				 _("\"%s\" is not a document number (such as 05/BB-SNNMT)"),
				 number ? number : "");
	/* The latest year holding the number, unless a year is named. */
	if (db_prepare(db, "SELECT id FROM document WHERE number = ?1 "
			   "AND (?2 IS NULL OR symbol = ?2 COLLATE NOCASE) "
			   "AND (?3 = 0 OR year = ?3) ORDER BY year DESC LIMIT 1", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, symbol, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return year ? kyso_fail(err, KYSO_ENOTFOUND, _("there is no document %s in %d"),
					number, year)
			    : kyso_fail(err, KYSO_ENOTFOUND, _("there is no document %s"), number);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("finding a document"));
	return 0;
}

int document_list(struct kyso_db *db, const char *kind, long limit,
		  int (*fn)(const struct document_row *row, void *ctx), void *ctx,
		  struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "SELECT d.id, d.kind, d.form_set, d.form, d.symbol, d.doc_date, "
			   "d.title, d.file_name, d.sha256, d.year, d.number, "
			   "(SELECT group_concat(serial, ',') FROM (SELECT DISTINCT t.serial "
			   "   FROM token_step s JOIN token t ON t.id = s.token_id "
			   "   WHERE s.document_id = d.id ORDER BY t.serial_key)) "
			   "FROM document d WHERE ?1 IS NULL OR d.kind = ?1 "
			   "ORDER BY d.year DESC, d.number DESC LIMIT ?2", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct document_row r = {
			.id = sqlite3_column_int64(st, 0),
			.kind = (const char *)sqlite3_column_text(st, 1),
			.form_set = (const char *)sqlite3_column_text(st, 2),
			.form = (const char *)sqlite3_column_text(st, 3),
			.symbol = (const char *)sqlite3_column_text(st, 4),
			.doc_date = (const char *)sqlite3_column_text(st, 5),
			.title = (const char *)sqlite3_column_text(st, 6),
			.file_name = (const char *)sqlite3_column_text(st, 7),
			.sha256 = (const char *)sqlite3_column_text(st, 8),
			.year = sqlite3_column_int(st, 9),
			.number = (long)sqlite3_column_int64(st, 10),
			.serials = (const char *)sqlite3_column_text(st, 11),
		};
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the documents"));
	return 0;
}

/* SHA-256 ---------------------------------------------------------------------------- */

