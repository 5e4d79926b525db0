/*
 * draft.c - typed work an interrupted interface left, in the draft table (migration 2).
 *
 * The fields are one JSON object, name -> text, in the order the form set them.  Text is
 * stored as it was typed, decomposed letters and all: normalising is the job of the
 * save that the officer makes later, and a draft must give back exactly what was on the
 * screen.  Owns the draft table; never touches the roster.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/draft.h"
#include "kyso/i18n.h"

void draft_init(struct draft *d)
{
	memset(d, 0, sizeof(*d));
}

void draft_free(struct draft *d)
{
	size_t i;

	for (i = 0; i < d->nfields; i++) {
		free(d->fields[i].name);
		free(d->fields[i].value);
	}
	free(d->fields);
	free(d->form);
	free(d->saved_at);
	free(d->actor);
	draft_init(d);
}

int draft_set(struct draft *d, const char *name, const char *value)
{
	char *v = strdup(value ? value : ""), *n;
	struct draft_field *fields;
	size_t i;

	if (!v)
		return KYSO_ENOMEM;
	for (i = 0; i < d->nfields; i++)
		if (!strcmp(d->fields[i].name, name)) {
			free(d->fields[i].value);
			d->fields[i].value = v;
			return 0;
		}
	n = strdup(name);
	fields = n ? realloc(d->fields, (d->nfields + 1) * sizeof(*fields)) : NULL;
	if (!fields) {
		free(n);
		free(v);
		return KYSO_ENOMEM;
	}
	d->fields = fields;
	d->fields[d->nfields].name = n;
	d->fields[d->nfields++].value = v;
	return 0;
}

const char *draft_get(const struct draft *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nfields; i++)
		if (!strcmp(d->fields[i].name, name))
			return d->fields[i].value;
	return NULL;
}

/* The fields as JSON text (caller frees), or NULL with err set. */
static char *fields_json(const struct draft *d, struct kyso_err *err)
{
	json_t *o = json_object();
	char *text = NULL;
	size_t i;

	if (!o) {
		kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
		return NULL;
	}
	for (i = 0; i < d->nfields; i++) {
		json_t *v = json_string(d->fields[i].value);

		/* json_string refuses invalid UTF-8; the line editor never makes any. */
		if (!v || json_object_set_new(o, d->fields[i].name, v)) {
			kyso_fail(err, KYSO_EINVAL, _("the draft's field \"%s\" is not valid UTF-8 text"),
				  d->fields[i].name);
			goto out;
		}
	}
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
out:
	json_decref(o);
	return text;
}

/* Reads the fields' JSON text into d. */
static int fields_read(struct draft *d, const char *text, struct kyso_err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text ? text : "{}", 0, &jerr), *v;
	const char *name;
	int rc = 0;

	if (!json_is_object(o)) {
		json_decref(o);
		return kyso_fail(err, KYSO_EIO, _("draft #%lld is damaged: %s"), d->id, jerr.text);
	}
	json_object_foreach(o, name, v) {
		if (!json_is_string(v))
			continue;
		if ((rc = draft_set(d, name, json_string_value(v)))) {
			kyso_fail(err, rc, _("out of memory"));
			break;
		}
	}
	json_decref(o);
	return rc;
}

int draft_save(struct kyso_db *db, struct draft *d, struct kyso_err *err)
{
	sqlite3_stmt *st = NULL;
	char now[21], *fields = fields_json(d, err);
	int rc;

	if (!fields)
		return err ? err->code : KYSO_EINVAL;
	db_now(now);
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = db_prepare(db, "INSERT INTO draft(form, subscriber_id, base_version, fields, "
				 "saved_at, actor) VALUES (?, ?, ?, ?, ?, ?)", &st, err)))
		goto fail;
	sqlite3_bind_text(st, 1, d->form ? d->form : "", -1, SQLITE_STATIC);
	if (d->subscriber_id > 0)
		sqlite3_bind_int64(st, 2, d->subscriber_id);
	if (d->base_version > 0)
		sqlite3_bind_int64(st, 3, d->base_version);
	sqlite3_bind_text(st, 4, fields, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, db->actor, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(db, err, _("saving a draft"));
		goto fail;
	}
	if ((rc = db_commit(db, err)))
		goto out;
	d->id = sqlite3_last_insert_rowid(db->sql);
	free(d->saved_at);
	free(d->actor);
	d->saved_at = strdup(now);
	d->actor = strdup(db->actor);
	goto out;
fail:
	db_rollback(db);
out:
	sqlite3_finalize(st);
	free(fields);
	return rc;
}

#define DRAFT_COLUMNS "id, form, coalesce(subscriber_id, 0), coalesce(base_version, 0), " \
		      "fields, saved_at, actor"

/* One row of DRAFT_COLUMNS into out (initialised here). */
static int draft_row(sqlite3_stmt *st, struct draft *out, struct kyso_err *err)
{
	draft_init(out);
	out->id = sqlite3_column_int64(st, 0);
	out->form = db_column_dup(st, 1);
	out->subscriber_id = sqlite3_column_int64(st, 2);
	out->base_version = (long)sqlite3_column_int64(st, 3);
	out->saved_at = db_column_dup(st, 5);
	out->actor = db_column_dup(st, 6);
	if (!out->form || !out->saved_at || !out->actor) {
		draft_free(out);
		return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
	}
	if (fields_read(out, (const char *)sqlite3_column_text(st, 4), err)) {
		int rc = err ? err->code : KYSO_EIO;

		draft_free(out);
		return rc;
	}
	return 0;
}

int draft_list(struct kyso_db *db, int (*fn)(const struct draft *d, void *ctx), void *ctx,
	       struct kyso_err *err)
{
	sqlite3_stmt *st;
	struct draft d;
	int rc, status = 0;

	if (db_prepare(db, "SELECT " DRAFT_COLUMNS " FROM draft ORDER BY id", &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int stop;

		if ((status = draft_row(st, &d, err)))
			break;
		stop = fn(&d, ctx);
		draft_free(&d);
		if (stop)
			break;
	}
	sqlite3_finalize(st);
	if (status)
		return status;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the drafts"));
	return 0;
}

int draft_load(struct kyso_db *db, long long id, struct draft *out, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	draft_init(out);
	if (db_prepare(db, "SELECT " DRAFT_COLUMNS " FROM draft WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = draft_row(st, out, err);
	else if (rc == SQLITE_DONE)
		rc = kyso_fail(err, KYSO_ENOTFOUND, _("no draft #%lld"), id);
	else
		rc = db_fail(db, err, _("reading a draft"));
	sqlite3_finalize(st);
	return rc;
}

int draft_delete(struct kyso_db *db, long long id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "DELETE FROM draft WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("deleting a draft"));
	if (sqlite3_changes(db->sql) == 0)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no draft #%lld"), id);
	return 0;
}
