/*
 * event.c - the timeline of what happened.  Only appended to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/audit.h"
#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
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
			   "WHERE subscriber_id = ? ORDER BY on_date, id", &st, err))
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
		{ EVENT_SUBSCRIBER_CORRECTED, N_("Corrected") },
		{ EVENT_DOCUMENT_WRITTEN, N_("Document written") },
	};
	size_t i;

	if (!strcmp(kind, EVENT_TOKEN_CORRECTED))
		return _("Corrected");
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

/* --- an event's detail in words ---------------------------------------------------------- */

/* The keys of token steps, certificates and corrections that a person reads, with their
 * words; the subscriber's fields have theirs in subscriber.c.  Keys not named here
 * (ids, versions, the action and states, which the event's label and the state line
 * say) are not shown. */
static const struct {
	const char *key, *label;
} detail_keys[] = {
	{ "keeper", N_("Keeper") },
	{ "keeper_position", N_("Keeper's position") },
	{ "holder", N_("Holder") },
	{ "party", N_("Other party") },
	{ "party_position", N_("Other party's position") },
	{ "ref", N_("Reference") },
	{ "authorised_by", N_("Authorised by") },
	{ "until", N_("Until") },
	{ "place", N_("Place") },
	{ "circumstances", N_("Circumstances") },
	{ "discovered", N_("How it was found missing") },
	{ "password_handed", N_("Password handed over") },
	{ "model", N_("Model") },
	{ "pin_changed_on", N_("PIN changed on") },
	{ "issuance", N_("Issued as") },
	{ "not_before", N_("Valid from") },
	{ "not_after", N_("Valid to") },
	{ "revoked_on", N_("Revoked on") },
	{ "notice_on", N_("Notice date") },
	{ "file", N_("File") },
	{ "minutes", N_("Minutes") },
	{ "number", N_("Number") },
};

/* A value as a person reads it: dates dd/mm/yyyy, yes/no, numbers; "—" for none. */
static void value_words(const json_t *v, char *out, size_t outsz)
{
	const char *s = json_string_value(v);
	char shown[11];

	if (!v || json_is_null(v))
		snprintf(out, outsz, "—");
	else if (json_is_boolean(v))
		snprintf(out, outsz, "%s", json_is_true(v) ? _("yes") : _("no"));
	else if (json_is_integer(v))
		snprintf(out, outsz, "%lld", (long long)json_integer_value(v));
	else if (s && strlen(s) == 10 && !date_parse(s, shown) && !strcmp(s, shown))
		snprintf(out, outsz, "%s", date_display(s, shown));
	else
		snprintf(out, outsz, "%s", s ? s : "");
}

/* "Label: value", or "Label: old → new" for a pair [old, new]. */
static int say_value(const char *label, const json_t *v,
		     int (*line)(const char *text, void *ctx), void *ctx)
{
	char text[2200], a[1024], b[1024];

	if (json_is_array(v) && json_array_size(v) == 2) {
		value_words(json_array_get(v, 0), a, sizeof(a));
		value_words(json_array_get(v, 1), b, sizeof(b));
		snprintf(text, sizeof(text), "%s: %s \xE2\x86\x92 %s", label, a, b);
	} else {
		if (!v || json_is_null(v))
			return 0; /* nothing was given */
		value_words(v, a, sizeof(a));
		snprintf(text, sizeof(text), "%s: %s", label, a);
	}
	return line(text, ctx);
}

/* A subscriber's field: the kind in words, the rest as values. */
static int say_field(enum subscriber_field f, const json_t *v,
		     int (*line)(const char *text, void *ctx), void *ctx)
{
	enum subscriber_kind k;
	json_t *shown;
	int rc;

	if (f != SF_KIND)
		return say_value(subscriber_field_label(f), v, line, ctx);
	if (json_is_array(v)) {
		const char *a = json_string_value(json_array_get(v, 0));
		const char *b = json_string_value(json_array_get(v, 1));
		enum subscriber_kind ka = KIND_PERSON, kb = KIND_PERSON;

		if (a)
			subscriber_kind_parse(a, &ka);
		if (b)
			subscriber_kind_parse(b, &kb);
		shown = json_pack("[s?s?]", a ? subscriber_kind_label(ka) : NULL,
				  b ? subscriber_kind_label(kb) : NULL);
	} else {
		const char *a = json_string_value(v);

		k = KIND_PERSON;
		if (a)
			subscriber_kind_parse(a, &k);
		shown = json_string(a ? subscriber_kind_label(k) : "");
	}
	rc = say_value(subscriber_field_label(f), shown, line, ctx);
	json_decref(shown);
	return rc;
}

static int describe_object(const char *kind, const json_t *o,
			   int (*line)(const char *text, void *ctx), void *ctx)
{
	const int is_token = !strncmp(kind, EVENT_TOKEN_PREFIX, strlen(EVENT_TOKEN_PREFIX));
	const json_t *v;
	char text[1024];
	size_t i;
	int f, rc = 0;

	if (!json_is_object(o))
		return 0;
	if ((v = json_object_get(o, "serial")) && json_is_string(v)) {
		snprintf(text, sizeof(text), "%s: %s",
			 is_token ? _("Token") : _("Certificate"), json_string_value(v));
		if ((rc = line(text, ctx)))
			return rc;
	}
	if (json_is_integer(json_object_get(o, "import"))) {
		snprintf(text, sizeof(text), _("Import #%lld, row %lld"),
			 (long long)json_integer_value(json_object_get(o, "import")),
			 (long long)json_integer_value(json_object_get(o, "row")));
		if ((rc = line(text, ctx)))
			return rc;
	}
	if (is_token && json_is_string(json_object_get(o, "to")) &&
	    json_is_string(json_object_get(o, "from")) &&
	    strcmp(json_string_value(json_object_get(o, "from")),
		   json_string_value(json_object_get(o, "to")))) {
		snprintf(text, sizeof(text), "%s: %s \xE2\x86\x92 %s", _("State"),
			 token_state_label(json_string_value(json_object_get(o, "from"))),
			 token_state_label(json_string_value(json_object_get(o, "to"))));
		if ((rc = line(text, ctx)))
			return rc;
	}
	if ((v = json_object_get(o, "reason")) && json_is_string(v)) {
		const char *r = json_string_value(v);

		snprintf(text, sizeof(text), "%s: %s", _("Reason"),
			 !strcmp(kind, EVENT_SUBSCRIBER_DEPARTED) ? subscriber_status_label(r) : r);
		if ((rc = line(text, ctx)))
			return rc;
	}
	/* A token's step corrected: which step, its day before and now. */
	if (json_is_integer(json_object_get(o, "step")) &&
	    json_is_string(json_object_get(o, "step_action"))) {
		snprintf(text, sizeof(text), _("Step %lld: %s"),
			 (long long)json_integer_value(json_object_get(o, "step")),
			 token_action_label(json_string_value(json_object_get(o, "step_action"))));
		if ((rc = line(text, ctx)) ||
		    (json_is_array(json_object_get(o, "date")) &&
		     (rc = say_value(_("Date"), json_object_get(o, "date"), line, ctx))))
			return rc;
	}
	/* A correction: which field, its earlier value and the one now. */
	if ((v = json_object_get(o, "field")) && json_is_string(v) &&
	    json_object_get(o, "old") && json_object_get(o, "new")) {
		json_t *pair = json_pack("[OO]", json_object_get(o, "old"), json_object_get(o, "new"));
		const char *field = json_string_value(v);
		int sf = subscriber_field_from_name(field);
		const char *label = sf >= 0 ? subscriber_field_label((enum subscriber_field)sf)
					    : event_field_label(field);

		rc = say_value(label, pair, line, ctx);
		json_decref(pair);
		if (rc)
			return rc;
	}
	for (f = 0; f < SF_COUNT; f++) {
		/* A token's step names its keeper, not a subscriber's field. */
		if (is_token && f != SF_NOTE)
			continue;
		if ((v = json_object_get(o, subscriber_field_name((enum subscriber_field)f))) &&
		    (rc = say_field((enum subscriber_field)f, v, line, ctx)))
			return rc;
	}
	for (i = 0; i < sizeof(detail_keys) / sizeof(detail_keys[0]); i++)
		if ((v = json_object_get(o, detail_keys[i].key)) &&
		    (rc = say_value(_(detail_keys[i].label), v, line, ctx)))
			return rc;
	return describe_object(kind, json_object_get(o, "changes"), line, ctx);
}

const char *event_field_label(const char *field)
{
	size_t i;

	if (!strcmp(field, "departed_on"))
		return _("Departure date");
	if (!strcmp(field, "on_date") || !strcmp(field, "date"))
		return _("Date");
	if (!strcmp(field, "sent_on"))
		return _("Sent on");
	if (!strcmp(field, "dispatch"))
		return _("Dispatch number");
	for (i = 0; i < sizeof(detail_keys) / sizeof(detail_keys[0]); i++)
		if (!strcmp(detail_keys[i].key, field))
			return _(detail_keys[i].label);
	return field;
}

int event_describe(const struct event_row *ev, int (*line)(const char *text, void *ctx),
		   void *ctx)
{
	json_t *o;
	int rc;

	if (!ev->detail || !*ev->detail)
		return 0;
	if (!(o = json_loads(ev->detail, 0, NULL)))
		return line(ev->detail, ctx);
	rc = describe_object(ev->kind, o, line, ctx);
	json_decref(o);
	return rc;
}
