/*
 * event.c - the timeline of what happened.  Only appended to.
 */
#include <string.h>

#include <stdlib.h>

#include "kyso/audit.h"
#include "kyso/cert.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/token.h"

int event_record(struct kyso_db *db, const struct event_new *ev, long long *id,
		 struct kyso_err *err)
{
	sqlite3_stmt *st;
	char at[21], today[11];
	const char *on_date = ev->on_date;
	int rc;

	db_now(at);
	if (!on_date || !*on_date) {
		db_today(today);
		on_date = today;
	}
	if (db_cached(db, "INSERT INTO event(at, on_date, actor, kind, subscriber_id, token_id, "
			  "certificate_id, document_id, detail) VALUES (?,?,?,?,?,?,?,?,?)", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, on_date, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, ev->kind, -1, SQLITE_STATIC);
	if (ev->subscriber_id > 0)
		sqlite3_bind_int64(st, 5, ev->subscriber_id);
	if (ev->token_id > 0)
		sqlite3_bind_int64(st, 6, ev->token_id);
	if (ev->certificate_id > 0)
		sqlite3_bind_int64(st, 7, ev->certificate_id);
	if (ev->document_id > 0)
		sqlite3_bind_int64(st, 8, ev->document_id);
	sqlite3_bind_text(st, 9, ev->detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("writing the history"));
	if (id)
		*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

int event_record_audited(struct kyso_db *db, struct event_new ev, const char *action,
			 const char *subject, const json_t *body, struct kyso_err *err)
{
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	int rc;

	if (!text)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	ev.detail = text;
	if (!(rc = event_record(db, &ev, NULL, err)) && action)
		rc = audit_append(db, action, subject, text, err);
	free(text);
	return rc;
}

int event_add(struct kyso_db *db, const char *kind, long long subscriber_id,
	      const char *on_date, const char *detail, struct kyso_err *err)
{
	struct event_new ev = { .kind = kind, .subscriber_id = subscriber_id,
				.on_date = on_date, .detail = detail };

	return event_record(db, &ev, NULL, err);
}

int event_list_subscriber(struct kyso_db *db, long long subscriber_id,
			  int (*fn)(const struct event_row *ev, void *ctx), void *ctx,
			  struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "SELECT id, at, on_date, actor, kind, detail, token_id, "
			   "certificate_id, document_id FROM event "
			   "WHERE subscriber_id = ? ORDER BY id", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, subscriber_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct event_row ev = {
			.id = sqlite3_column_int64(st, 0),
			.at = (const char *)sqlite3_column_text(st, 1),
			.on_date = (const char *)sqlite3_column_text(st, 2),
			.actor = (const char *)sqlite3_column_text(st, 3),
			.kind = (const char *)sqlite3_column_text(st, 4),
			.detail = (const char *)sqlite3_column_text(st, 5),
			.token_id = sqlite3_column_int64(st, 6),
			.certificate_id = sqlite3_column_int64(st, 7),
			.document_id = sqlite3_column_int64(st, 8),
		};
		if (fn(&ev, ctx))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the history"));
	return 0;
}

const char *event_kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{ EVENT_SUBSCRIBER_ADDED, N_("Added") },
		{ EVENT_SUBSCRIBER_EDITED, N_("Edited") },
		{ EVENT_SUBSCRIBER_DEPARTED, N_("Departed") },
		{ EVENT_SUBSCRIBER_IMPORTED, N_("Added by import") },
		{ EVENT_SUBSCRIBER_UPDATED_BY_IMPORT, N_("Updated by import") },
		{ EVENT_DOCUMENT_WRITTEN, N_("Document written") },
	};
	size_t i;

	/* A token's steps and a certificate's events have their modules' words. */
	if (!strncmp(kind, EVENT_TOKEN_PREFIX, strlen(EVENT_TOKEN_PREFIX)))
		return token_action_label(kind + strlen(EVENT_TOKEN_PREFIX));
	if (!strncmp(kind, "cert.", 5))
		return cert_event_label(kind);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].kind, kind))
			return _(labels[i].label);
	return kind;
}
