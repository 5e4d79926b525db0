/*
 * report.c - reports to the department (issue 5, Art. 9.6, 15.3): periods, the numbers'
 * names and JSON, the record of each generated report (so that a sent report can be
 * written again with the numbers it had), marking one sent, the history, and the due
 * list's report checks.  The numbers themselves are counted by report_read.c.
 *
 * Only this file writes the report table; every write is one transaction with an event
 * and an audit row.  Nothing here prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/calendar.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/report.h"
#include "kyso/settings.h"
#include "kyso/text.h"

/* --- the numbers ------------------------------------------------------------------------- */

static const struct {
	const char *key;
	const char *label;
} numbers[REPORT_NUMBERS] = {
	[RN_SUBSCRIBERS_ACTIVE] = { "subscribers_active", N_("Active subscribers") },
	[RN_TOKENS_IN_USE] = { "tokens_in_use", N_("Tokens in use") },
	[RN_CERTS_VALID] = { "certs_valid", N_("Certificates valid") },
	[RN_CERTS_EXPIRING] = { "certs_expiring", N_("Certificates expiring in the next period") },
	[RN_CERTS_EXPIRED] = { "certs_expired", N_("Certificates expired") },
	[RN_CERTS_REVOKED] = { "certs_revoked", N_("Certificates revoked") },
	[RN_ISSUED] = { "issued", N_("Certificates issued") },
	[RN_RENEWED] = { "renewed", N_("Certificates renewed") },
	[RN_CHANGED] = { "changed", N_("Certificates changed") },
	[RN_REVOKED] = { "revoked", N_("Certificates revoked in the period") },
	[RN_RECOVERED] = { "recovered", N_("Tokens recovered") },
	[RN_LOST] = { "lost", N_("Tokens lost") },
	[RN_HANDED_OVER] = { "handed_over", N_("Tokens handed over") },
	[RN_HANDED_BACK] = { "handed_back", N_("Tokens handed back") },
	[RN_PIN_CHANGES_DONE] = { "pin_changes_done", N_("PIN changes done") },
	[RN_PIN_DUE] = { "pin_due", N_("PIN changes due") },
	[RN_PIN_OVERDUE] = { "pin_overdue", N_("PIN changes overdue") },
};

const char *report_number_key(enum report_number n)
{
	return n >= 0 && n < REPORT_NUMBERS ? numbers[n].key : "";
}

const char *report_number_label(enum report_number n)
{
	return n >= 0 && n < REPORT_NUMBERS ? _(numbers[n].label) : "";
}

json_t *report_numbers_json(const struct report_numbers *n)
{
	json_t *o = json_object();
	int i;

	for (i = 0; o && i < REPORT_NUMBERS; i++)
		json_object_set_new(o, numbers[i].key, json_integer(n->n[i]));
	return o;
}

/* Reads the 17 keys of o into n; -1 when one is missing. */
static int numbers_from_json(json_t *o, struct report_numbers *n)
{
	int i;

	memset(n, 0, sizeof(*n));
	for (i = 0; i < REPORT_NUMBERS; i++) {
		json_t *v = json_object_get(o, numbers[i].key);

		if (!json_is_integer(v))
			return -1;
		n->n[i] = (long)json_integer_value(v);
	}
	return 0;
}

/* --- periods ------------------------------------------------------------------------------ */

static const char *const kind_names[] = { "h1", "h2", "year", "range" };

const char *report_period_kind_name(enum report_period_kind kind)
{
	return kind_names[kind];
}

int report_period_kind_parse(const char *name)
{
	int i;

	for (i = 0; name && i < 4; i++)
		if (!strcmp(name, kind_names[i]))
			return i;
	return -1;
}

/* Fills the end and the label once from and to are set. */
static void period_finish(struct report_period *p, const char *today)
{
	memcpy(p->end, strcmp(p->to, today) > 0 ? today : p->to, 11);
	p->year = atoi(p->from);
	switch (p->kind) {
	case REPORT_H1:
	case REPORT_H2:
		snprintf(p->label, sizeof(p->label), "%04d-H%d", p->year, p->kind == REPORT_H1 ? 1 : 2);
		break;
	case REPORT_YEAR:
		snprintf(p->label, sizeof(p->label), "%04d", p->year);
		break;
	case REPORT_RANGE:
		snprintf(p->label, sizeof(p->label), "%s..%s", p->from, p->to);
		break;
	}
}

void report_period_of(enum report_period_kind kind, int year, const char *today,
		      struct report_period *p)
{
	char t[11];

	if (!today) {
		db_today(t);
		today = t;
	}
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	snprintf(p->from, sizeof(p->from), "%04d-%s", year, kind == REPORT_H2 ? "07-01" : "01-01");
	snprintf(p->to, sizeof(p->to), "%04d-%s", year, kind == REPORT_H1 ? "06-30" : "12-31");
	period_finish(p, today);
}

/* "2026", "2026-H1", "2026-h2": the year and the kind; -1 when text is not one. */
static int parse_named(const char *text, int *year, enum report_period_kind *kind)
{
	int n = 0, half = 0, i;
	char h = 0;

	for (i = 0; i < 4; i++)
		if (text[i] < '0' || text[i] > '9')
			return -1;
	*year = atoi(text);
	if (!text[4]) {
		*kind = REPORT_YEAR;
		return 0;
	}
	if (sscanf(text + 4, "-%c%1d%n", &h, &half, &n) != 2 || text[4 + n] ||
	    (h != 'H' && h != 'h') || (half != 1 && half != 2))
		return -1;
	*kind = half == 1 ? REPORT_H1 : REPORT_H2;
	return 0;
}

#define PERIOD_FORMS "2026-H1, 2026-H2, 2026 or FROM..TO (2026-01-01..2026-11-15)"

static int parse_range(const char *text, struct report_period *p, struct kyso_err *err)
{
	const char *dots = strstr(text, "..");
	char from[64], shown[2][11];

	if (!dots || dots == text || (size_t)(dots - text) >= sizeof(from))
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a period: write %s"), text,
				 PERIOD_FORMS);
	memcpy(from, text, (size_t)(dots - text));
	from[dots - text] = '\0';
	if (date_parse(from, p->from))
		return kyso_fail(err, KYSO_EINVAL, _("the period's start \"%s\" is not a real date (write YYYY-MM-DD)"),
				 from);
	if (date_parse(dots + 2, p->to))
		return kyso_fail(err, KYSO_EINVAL, _("the period's end \"%s\" is not a real date (write YYYY-MM-DD)"),
				 dots + 2);
	if (strcmp(p->to, p->from) < 0)
		return kyso_fail(err, KYSO_EINVAL, _("the period ends on %s, before it begins (%s)"),
				 date_display(p->to, shown[0]), date_display(p->from, shown[1]));
	p->kind = REPORT_RANGE;
	return 0;
}

int report_period_parse(const char *text, const char *today, struct report_period *p,
			struct kyso_err *err)
{
	char t[11], shown[11];
	enum report_period_kind kind;
	int year, rc;

	memset(p, 0, sizeof(*p));
	if (!today) {
		db_today(t);
		today = t;
	}
	if (text_is_blank(text))
		return kyso_fail(err, KYSO_EINVAL, _("no period given: write %s"), PERIOD_FORMS);
	if (!parse_named(text, &year, &kind)) {
		if (year < 1990 || year > 2199)
			return kyso_fail(err, KYSO_EINVAL, _("%d is not a year kyso reports on"), year);
		report_period_of(kind, year, today, p);
	} else if ((rc = parse_range(text, p, err))) {
		return rc;
	} else {
		period_finish(p, today);
	}
	if (strcmp(p->from, today) > 0)
		return kyso_fail(err, KYSO_EINVAL, _("the period %s begins after today (%s)"), p->label,
				 date_display(today, shown));
	return 0;
}

/* --- the summary -------------------------------------------------------------------------- */

void report_summary_init(struct report_summary *s)
{
	memset(s, 0, sizeof(*s));
}

void report_summary_free(struct report_summary *s)
{
	size_t i;

	for (i = 0; i < s->nunits; i++)
		free(s->units[i].name);
	free(s->units);
	agency_free(&s->agency);
	free(s->sent_on);
	free(s->dispatch);
	free(s->file_name);
	free(s->sha256);
	free(s->actor);
	memset(s, 0, sizeof(*s));
}

static json_t *by_unit_json(const struct report_summary *s)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < s->nunits; i++)
		json_object_set_new(o, s->units[i].name ? s->units[i].name : "",
				    report_numbers_json(&s->units[i].num));
	return o;
}

char *report_assumed_text(const struct report_assumed *a, int which, char *out, size_t outsz)
{
	char from[11], to[11];
	long n = which ? a->tokens : a->subscribers;

	out[0] = '\0';
	if (n <= 0)
		return out;
	date_display(which ? a->tokens_from : a->subscribers_from, from);
	date_display(which ? a->tokens_to : a->subscribers_to, to);
	if (which)
		snprintf(out, outsz, _("%ld token(s) without the day they came are counted from the day they were recorded in kyso (%s to %s), after this period: they are not counted in it (give the day: kyso token correct --serial S --step 1 --date D)."),
			 n, from, to);
	else
		snprintf(out, outsz, _("%ld subscriber(s) without a \"since\" date are counted from the day they were recorded in kyso (%s to %s), after this period: they are not counted in it (subscriber edit ID --since D, or an import column \"Từ ngày\")."),
			 n, from, to);
	return out;
}

static json_t *assumed_json(const struct report_assumed *a)
{
	return json_pack("{s:i,s:s?,s:s?,s:i,s:s?,s:s?}", "subscribers", (int)a->subscribers,
			 "subscribers_from", a->subscribers_from[0] ? a->subscribers_from : NULL,
			 "subscribers_to", a->subscribers_to[0] ? a->subscribers_to : NULL,
			 "tokens", (int)a->tokens,
			 "tokens_from", a->tokens_from[0] ? a->tokens_from : NULL,
			 "tokens_to", a->tokens_to[0] ? a->tokens_to : NULL);
}

static void copy_date(char out[11], json_t *o, const char *key, const char *fallback);

static void assumed_from_json(struct report_assumed *a, json_t *o)
{
	memset(a, 0, sizeof(*a));
	if (!json_is_object(o))
		return;
	a->subscribers = (long)json_integer_value(json_object_get(o, "subscribers"));
	a->tokens = (long)json_integer_value(json_object_get(o, "tokens"));
	copy_date(a->subscribers_from, o, "subscribers_from", "");
	copy_date(a->subscribers_to, o, "subscribers_to", "");
	copy_date(a->tokens_from, o, "tokens_from", "");
	copy_date(a->tokens_to, o, "tokens_to", "");
}

json_t *report_summary_json(const struct report_summary *s)
{
	json_t *o = report_numbers_json(&s->total);

	if (o)
		json_object_set_new(o, "by_unit", by_unit_json(s));
	return o;
}

/* --- the record --------------------------------------------------------------------------- */

static json_t *by_kind_json(const struct report_summary *s)
{
	json_t *o = json_object();
	int k;

	for (k = 0; o && k < REPORT_KINDS; k++)
		json_object_set_new(o, subscriber_kind_name((enum subscriber_kind)k), report_numbers_json(&s->by_kind[k]));
	return o;
}

/* What the summary sheet shows besides the numbers: the agency's blocks, the units'
 * ids, the settings the numbers were counted with, the period as asked. */
static json_t *content_json(const struct report_summary *s)
{
	const struct agency *a = &s->agency;
	json_t *units = json_array();
	size_t i;

	for (i = 0; units && i < s->nunits; i++)
		json_array_append_new(units, json_pack("{s:I,s:s?}", "id", (json_int_t)s->units[i].id,
						       "name", s->units[i].name));
	return json_pack("{s:s,s:s,s:s,s:i,s:i,s:o,s:o,s:{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}}",
			 "to", s->period.to, "end", s->period.end, "expiring_until",
			 s->expiring_until, "pin_interval_months", s->pin_interval_months,
			 "pin_warn_days", s->pin_warn_days, "units", units, "assumed",
			 assumed_json(&s->assumed), "agency",
			 "name", a->name, "code", a->code, "parent_body", a->parent_body,
			 "head_name", a->head_name, "head_position", a->head_position,
			 "focal_name", a->focal_name, "focal_position", a->focal_position,
			 "place", a->place, "recipient", a->recipient);
}

static char *dump(json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(v);
	return text;
}

/* The event and the audit row of report id; takes body. */
static int record_event(struct kyso_db *db, const char *kind, const char *action, long long id,
			json_t *body, struct kyso_err *err)
{
	struct event_new ev = { .kind = kind };
	char subject[32];
	int rc;

	snprintf(subject, sizeof(subject), "report:%lld", id);
	rc = event_record_audited(db, ev, action, subject, body, err);
	json_decref(body);
	return rc;
}

static int insert_record(struct kyso_db *db, struct report_summary *s, const char *file_name,
			 const char *sha256, char *const texts[4], struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc, i;

	if (db_prepare(db, "INSERT INTO report(period, period_kind, from_on, to_on, generated_at, "
			   "generated_on, actor, totals, by_unit, by_kind, content, file_name, sha256, "
			   "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?5)", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, s->period.label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, report_period_kind_name(s->period.kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->period.from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->period.end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, s->generated_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, s->generated_on, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, db->actor, -1, SQLITE_STATIC);
	for (i = 0; i < 4; i++)
		sqlite3_bind_text(st, 8 + i, texts[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, file_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, sha256, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("recording the report"));
	s->id = sqlite3_last_insert_rowid(db->sql);
	s->version = 1;
	return 0;
}

int report_record(struct kyso_db *db, struct report_summary *s, const char *file_name,
		  const char *sha256, struct kyso_err *err)
{
	char *texts[4] = { dump(report_numbers_json(&s->total)), dump(by_unit_json(s)),
			   dump(by_kind_json(s)), dump(content_json(s)) };
	int rc, i;

	for (i = 0; i < 4; i++)
		if (!texts[i]) {
			rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
			goto out;
		}
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = insert_record(db, s, file_name, sha256, texts, err)) ||
	    (rc = record_event(db, EVENT_REPORT_GENERATED, "report.generate", s->id,
			       json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)s->id,
					 "period", s->period.label, "from", s->period.from, "to",
					 s->period.end, "file", file_name, "sha256", sha256),
			       err))) {
		db_rollback(db);
		s->id = 0;
		goto out;
	}
	rc = db_commit(db, err);
	if (rc)
		s->id = 0;
out:
	for (i = 0; i < 4; i++)
		free(texts[i]);
	return rc;
}

static char *json_dup(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? strdup(v) : NULL;
}

static void copy_date(char out[11], json_t *o, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(o, key));

	snprintf(out, 11, "%s", v ? v : fallback);
}

static void agency_from_json(struct agency *a, json_t *o)
{
	a->name = json_dup(o, "name");
	a->code = json_dup(o, "code");
	a->parent_body = json_dup(o, "parent_body");
	a->head_name = json_dup(o, "head_name");
	a->head_position = json_dup(o, "head_position");
	a->focal_name = json_dup(o, "focal_name");
	a->focal_position = json_dup(o, "focal_position");
	a->place = json_dup(o, "place");
	a->recipient = json_dup(o, "recipient");
}

/* The unit rows from the record: names and numbers from by_unit, ids from content. */
static int units_from_json(struct report_summary *s, json_t *by_unit, json_t *units)
{
	size_t i, n = json_array_size(units);

	if (!n)
		return 0;
	if (!(s->units = calloc(n, sizeof(*s->units))))
		return -1;
	for (i = 0; i < n; i++) {
		json_t *u = json_array_get(units, i);
		const char *name = json_string_value(json_object_get(u, "name"));
		struct report_unit *row = &s->units[s->nunits];

		row->id = (long long)json_integer_value(json_object_get(u, "id"));
		if (name && !(row->name = strdup(name)))
			return -1;
		s->nunits++;
		if (numbers_from_json(json_object_get(by_unit, name ? name : ""), &row->num))
			return -1;
	}
	return 0;
}

/* The record's JSON columns (totals, by_unit, by_kind, content) into s. */
static int summary_from_json(struct report_summary *s, const char *const texts[4])
{
	json_t *v[4];
	int i, rc = 0;

	for (i = 0; i < 4; i++)
		v[i] = json_loads(texts[i] ? texts[i] : "", 0, NULL);
	if (!v[0] || !v[1] || !v[2] || !v[3] || numbers_from_json(v[0], &s->total))
		rc = -1;
	for (i = 0; !rc && i < REPORT_KINDS; i++)
		rc = numbers_from_json(json_object_get(v[2], subscriber_kind_name((enum subscriber_kind)i)), &s->by_kind[i]);
	if (!rc) {
		copy_date(s->period.to, v[3], "to", s->period.end);
		copy_date(s->expiring_until, v[3], "expiring_until", "");
		s->pin_interval_months = (int)json_integer_value(json_object_get(v[3], "pin_interval_months"));
		s->pin_warn_days = (int)json_integer_value(json_object_get(v[3], "pin_warn_days"));
		agency_from_json(&s->agency, json_object_get(v[3], "agency"));
		assumed_from_json(&s->assumed, json_object_get(v[3], "assumed"));
		rc = units_from_json(s, v[1], json_object_get(v[3], "units"));
	}
	for (i = 0; i < 4; i++)
		json_decref(v[i]);
	return rc;
}

#define TEXT(st, i) ((const char *)sqlite3_column_text((st), (i)))

static int summary_from_row(struct report_summary *s, sqlite3_stmt *st)
{
	const char *texts[4] = { TEXT(st, 8), TEXT(st, 9), TEXT(st, 10), TEXT(st, 11) };
	int kind = report_period_kind_parse(TEXT(st, 1));

	s->id = sqlite3_column_int64(st, 0);
	s->period.kind = kind < 0 ? REPORT_RANGE : (enum report_period_kind)kind;
	snprintf(s->period.label, sizeof(s->period.label), "%s", TEXT(st, 2));
	snprintf(s->period.from, sizeof(s->period.from), "%s", TEXT(st, 3));
	snprintf(s->period.end, sizeof(s->period.end), "%s", TEXT(st, 4));
	s->period.year = atoi(s->period.from);
	snprintf(s->generated_at, sizeof(s->generated_at), "%s", TEXT(st, 5));
	snprintf(s->generated_on, sizeof(s->generated_on), "%s", TEXT(st, 6));
	s->actor = db_column_dup(st, 7);
	s->file_name = db_column_dup(st, 12);
	s->sha256 = db_column_dup(st, 13);
	s->sent_on = db_column_dup(st, 14);
	s->dispatch = db_column_dup(st, 15);
	s->version = (long)sqlite3_column_int64(st, 16);
	return summary_from_json(s, texts);
}

int report_load(struct kyso_db *db, long long id, struct report_summary *out,
		struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	report_summary_init(out);
	if (db_prepare(db, "SELECT id, period_kind, period, from_on, to_on, generated_at, "
			   "generated_on, actor, totals, by_unit, by_kind, content, file_name, sha256, "
			   "sent_on, dispatch, version FROM report WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && summary_from_row(out, st))
		rc = kyso_fail(err, KYSO_EIO, _("report #%lld: its record cannot be read"), id);
	else if (rc == SQLITE_ROW)
		rc = 0;
	else if (rc == SQLITE_DONE)
		rc = kyso_fail(err, KYSO_ENOTFOUND, _("no report #%lld"), id);
	else
		rc = db_fail(db, err, _("reading a report"));
	sqlite3_finalize(st);
	if (rc)
		report_summary_free(out);
	return rc;
}

/* --- sent ---------------------------------------------------------------------------------- */

static void check_sent(const char *date, const char *dispatch, const char *generated_on,
		       char iso[11], struct kyso_problems *problems)
{
	char today[11], shown[11];

	db_today(today);
	if (text_is_blank(date))
		kyso_problems_add(problems, 0, _("Date"), "%s", _("is required"));
	else if (date_parse(date, iso))
		kyso_problems_add(problems, 0, _("Date"), _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				  date);
	else if (strcmp(iso, today) > 0)
		kyso_problems_add(problems, 0, _("Date"), _("is after today (%s)"),
				  date_display(today, shown));
	else if (generated_on && strcmp(iso, generated_on) < 0)
		kyso_problems_add(problems, 0, _("Date"), _("is before the report was made (%s)"),
				  date_display(generated_on, shown));
	if (text_is_blank(dispatch))
		kyso_problems_add(problems, 0, _("Dispatch number"), "%s", _("is required"));
	else
		check_text(problems, 0, _("Dispatch number"), dispatch, 100);
}

static int update_sent(struct kyso_db *db, const struct report_summary *old, const char *iso,
		       const char *dispatch, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc;

	db_now(now);
	if (db_prepare(db, "UPDATE report SET sent_on = ?, dispatch = ?, version = version + 1, "
			   "updated_at = ? WHERE id = ? AND version = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, iso, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dispatch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, old->id);
	sqlite3_bind_int64(st, 5, old->version);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("recording the report"));
	return record_event(db, EVENT_REPORT_SENT, "report.sent", old->id,
			    json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?}", "id", (json_int_t)old->id,
				      "period", old->period.label, "sent_on", iso, "dispatch",
				      dispatch, "was_sent_on", old->sent_on, "was_dispatch",
				      old->dispatch),
			    err);
}

int report_mark_sent(struct kyso_db *db, long long id, const char *date, const char *dispatch,
		     long expect_version, struct kyso_problems *problems, struct kyso_err *err)
{
	struct report_summary old;
	char iso[11] = "", *number = dispatch ? text_clean(dispatch) : NULL;
	int rc;

	report_summary_init(&old);
	if (dispatch && !number)
		return kyso_fail(err, KYSO_EINVAL, "%s", _("the dispatch number is not valid UTF-8"));
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = report_load(db, id, &old, err)))
		goto fail;
	if (expect_version > 0 && expect_version != old.version) {
		rc = kyso_fail(err, KYSO_ECONFLICT,
			       _("report #%lld changed since it was read (version %ld, not %ld); read it again"),
			       id, old.version, expect_version);
		goto fail;
	}
	check_sent(date, number, old.generated_on, iso, problems);
	if (kyso_problems_found(problems)) {
		rc = kyso_fail(err, KYSO_EINVAL, _("report #%lld was not marked sent"), id);
		goto fail;
	}
	if ((rc = update_sent(db, &old, iso, number, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	report_summary_free(&old);
	free(number);
	return rc;
}

/* --- the history ---------------------------------------------------------------------------- */

int report_list(struct kyso_db *db, int (*fn)(const struct report_row *row, void *ctx),
		void *ctx, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "SELECT id, period, period_kind, from_on, to_on, generated_at, "
			   "generated_on, actor, file_name, sha256, sent_on, dispatch, version, totals "
			   "FROM report ORDER BY id DESC", &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct report_numbers total;
		json_t *t = json_loads(TEXT(st, 13), 0, NULL);
		struct report_row row = {
			.id = sqlite3_column_int64(st, 0),
			.period = TEXT(st, 1), .period_kind = TEXT(st, 2), .from_on = TEXT(st, 3),
			.to_on = TEXT(st, 4), .generated_at = TEXT(st, 5),
			.generated_on = TEXT(st, 6), .actor = TEXT(st, 7), .file_name = TEXT(st, 8),
			.sha256 = TEXT(st, 9), .sent_on = TEXT(st, 10), .dispatch = TEXT(st, 11),
			.version = (long)sqlite3_column_int64(st, 12), .total = &total,
		};
		numbers_from_json(t, &total);
		json_decref(t);
		if (fn(&row, ctx))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading the reports"));
}

/* --- deadlines ------------------------------------------------------------------------------- */

static const struct {
	enum report_period_kind kind;
	const char *setting;	/* its default, the rule's day, is settings.c's */
} deadlines[] = {
	{ REPORT_H1, SETTING_REPORT_H1_DEADLINE },
	{ REPORT_H2, SETTING_REPORT_H2_DEADLINE },
	{ REPORT_YEAR, SETTING_REPORT_ANNUAL_DEADLINE },
};

/* The deadline setting of a kind as month and day; 0 when that report is not asked for.
 * settings_value gives a checked MM-DD or "off" (the default for a stored value that is
 * neither). */
static int deadline_day(struct kyso_db *db, size_t i, int *month, int *day)
{
	char *v = settings_value(db, deadlines[i].setting);
	int asked = v && strcmp(v, "off") && sscanf(v, "%2d-%2d", month, day) == 2;

	free(v);
	return asked;
}

static int warn_days(struct kyso_db *db)
{
	return (int)settings_number(db, SETTING_REPORT_WARN_DAYS);
}

/* The first day month-day after the period begins. */
static void deadline_of(const struct report_period *p, int month, int day, char out[11])
{
	unsigned y = (unsigned)p->year % 9999u, m = (unsigned)month % 100u, d = (unsigned)day % 100u;

	snprintf(out, 11, "%04u-%02u-%02u", y, m, d);
	if (strcmp(out, p->from) <= 0)
		snprintf(out, 11, "%04u-%02u-%02u", y + 1, m, d);
}

/* A sent report covers the period when it begins on the period's first day and counts
 * up to its end, or at least up to warning days before the deadline (a report made before
 * the end, as the annual one is, covers the year), but not past its end: the annual
 * report is not the first half's.  1 when covered, with *id the sent report and sent_on
 * its day; 0 when not, with *id the latest report made for it and not sent (or 0). */
static int is_covered(struct kyso_db *db, const struct report_period *p, const char *deadline,
		      int warn, long long *id, char sent_on[11], struct kyso_err *err)
{
	sqlite3_stmt *st;
	char upto[11];
	int rc, covered = 0;

	calendar_add_days(deadline, -warn, upto);
	if (strcmp(p->to, upto) < 0)
		memcpy(upto, p->to, 11);
	*id = 0;
	sent_on[0] = '\0';
	if (db_prepare(db, "SELECT id, sent_on FROM report WHERE from_on = ?1 "
			   "AND to_on >= ?2 AND to_on <= ?3 "
			   "ORDER BY sent_on IS NOT NULL DESC, id DESC", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, p->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upto, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->to, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		covered = sqlite3_column_type(st, 1) != SQLITE_NULL;
		if (covered)
			snprintf(sent_on, 11, "%s", TEXT(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the reports"));
	return covered;
}

/* The day kyso began keeping the roster: the first subscriber recorded ("" when none).
 * Certificates recorded then may have been issued years before; the reports due before
 * that day were made without kyso. */
static int first_history_day(struct kyso_db *db, char out[11], struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	out[0] = '\0';
	if (db_prepare(db, "SELECT min(d) FROM ("
			   "SELECT min(on_date) AS d FROM event WHERE kind = 'subscriber.added' "
			   "UNION ALL "
			   "SELECT min(on_date) FROM event WHERE kind = 'subscriber.imported')",
		       &st, err))
		return KYSO_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, 11, "%s", TEXT(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, _("reading the history"));
}

/* A person's words for a period: "the first half of 2026". */
static void period_words(const struct report_period *p, char *out, size_t outsz)
{
	char a[11], b[11];

	switch (p->kind) {
	case REPORT_H1:
		snprintf(out, outsz, _("the report on the first half of %d"), p->year);
		break;
	case REPORT_H2:
		snprintf(out, outsz, _("the report on the second half of %d"), p->year);
		break;
	case REPORT_YEAR:
		snprintf(out, outsz, _("the annual report on %d"), p->year);
		break;
	case REPORT_RANGE:
		snprintf(out, outsz, _("the report from %s to %s"), date_display(p->from, a),
			 date_display(p->to, b));
		break;
	}
}

struct due_scan {
	struct kyso_db *db;
	const char *at;
	int late, warn;
	char first_day[11];
	int (*fn)(const struct report_due *d, void *ctx);
	void *ctx;
	long count;
};

/* The period of kind deadlines[i] the check asks about, if any: for "due", the one whose
 * deadline is within the warning days; for "late", the latest whose deadline passed. */
static int period_asked(struct due_scan *sc, size_t i, int month, int day,
			struct report_period *p, char deadline[11])
{
	int y0 = atoi(sc->at), y;
	char warned[11];

	for (y = y0 + 1; y >= y0 - 2; y--) {
		report_period_of(deadlines[i].kind, y, sc->at, p);
		deadline_of(p, month, day, deadline);
		calendar_add_days(deadline, -sc->warn, warned);
		if (sc->late ? strcmp(deadline, sc->at) < 0
			     : strcmp(warned, sc->at) <= 0 && strcmp(sc->at, deadline) <= 0)
			break;
	}
	if (y < y0 - 2 || strcmp(p->from, sc->at) > 0)
		return 0;
	/* A report whose deadline passed before kyso kept the roster is not asked for: it
	 * was made without kyso (and a new kyso does not start with a late report). */
	return sc->first_day[0] && strcmp(sc->first_day, deadline) <= 0;
}

static int report_one(struct due_scan *sc, const struct report_period *p, const char *deadline,
		      long long unsent_id)
{
	char words[160], detail[512], shown[11], extra[160] = "";
	long days = calendar_days_between(deadline, sc->at);
	struct report_due d = { *p, deadline, detail };

	period_words(p, words, sizeof(words));
	if (unsent_id)
		snprintf(extra, sizeof(extra), _("; report #%lld was made but is not marked sent"),
			 unsent_id);
	if (sc->late)
		snprintf(detail, sizeof(detail), _("%s was due by %s (%ld days ago)%s"), words,
			 date_display(deadline, shown), days, extra);
	else
		snprintf(detail, sizeof(detail), _("%s is due by %s (in %ld days)%s"), words,
			 date_display(deadline, shown), -days, extra);
	sc->count++;
	return sc->fn ? sc->fn(&d, sc->ctx) : 0;
}

int report_due_list(struct kyso_db *db, const char *at, int late,
		    int (*fn)(const struct report_due *d, void *ctx), void *ctx, long *count,
		    struct kyso_err *err)
{
	struct due_scan sc = { .db = db, .at = at, .late = late, .fn = fn, .ctx = ctx };
	size_t i;
	int rc = 0;

	sc.warn = warn_days(db);
	if ((rc = first_history_day(db, sc.first_day, err)))
		return rc;
	for (i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]) && !rc; i++) {
		struct report_period p;
		char deadline[11], sent_on[11];
		long long unsent = 0;
		int month, day, covered;

		if (!deadline_day(db, i, &month, &day) ||
		    !period_asked(&sc, i, month, day, &p, deadline))
			continue;
		if ((covered = is_covered(db, &p, deadline, sc.warn, &unsent, sent_on, err)) < 0)
			return covered;
		if (!covered)
			rc = report_one(&sc, &p, deadline, unsent);
	}
	if (count)
		*count = sc.count;
	return rc < 0 ? rc : 0;
}

/* --- where each period's report stands (the reports screen) ------------------------------ */

/* The deadline table's row of a kind; -1 for a range. */
static int deadline_index(enum report_period_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++)
		if (deadlines[i].kind == kind)
			return (int)i;
	return -1;
}

/* Where period p's report stands as of sc->at. */
static int status_of(struct due_scan *sc, const struct report_period *p, struct report_status *out,
		     struct kyso_err *err)
{
	int i = deadline_index(p->kind), month, day, covered;
	struct report_period latest;
	char latest_deadline[11];

	memset(out, 0, sizeof *out);
	out->period = *p;
	if (i < 0 || !deadline_day(sc->db, (size_t)i, &month, &day))
		return 0;
	deadline_of(p, month, day, out->deadline);
	if ((covered = is_covered(sc->db, p, out->deadline, sc->warn, &out->report_id,
				  out->sent_on, err)) < 0)
		return covered;
	if (covered)
		out->standing = REPORT_SENT;
	else if (strcmp(out->deadline, sc->at) >= 0)
		out->standing = REPORT_DUE;
	else if (period_asked(sc, (size_t)i, month, day, &latest, latest_deadline) &&
		 !strcmp(latest.from, p->from))
		out->standing = REPORT_LATE; /* as the due list's report_late says */
	return 0;
}

/* The one offered first: the report due whose deadline comes first; else the late one
 * whose deadline came last; else (nothing asked) the half-year that ended last. */
static size_t offered(const struct report_status *st, size_t n)
{
	size_t i, best = n;

	for (i = 0; i < n; i++)
		if (st[i].standing == REPORT_DUE &&
		    (best == n || strcmp(st[i].deadline, st[best].deadline) < 0))
			best = i;
	if (best < n)
		return best;
	for (i = 0; i < n; i++)
		if (st[i].standing == REPORT_LATE &&
		    (best == n || strcmp(st[i].deadline, st[best].deadline) > 0))
			best = i;
	return best;
}

int report_statuses(struct kyso_db *db, const char *at, struct report_status *out,
		    size_t *n, struct kyso_err *err)
{
	struct due_scan sc = { .db = db, .at = at, .late = 1 };
	struct report_period p[REPORT_STATUSES];
	size_t i, k = 0, first;
	int year = atoi(at), rc;

	sc.warn = warn_days(db);
	if ((rc = first_history_day(db, sc.first_day, err)))
		return rc;
	report_period_of(REPORT_YEAR, year, at, &p[k++]);
	if (strcmp(at + 5, "07-01") >= 0)
		report_period_of(REPORT_H2, year, at, &p[k++]);
	report_period_of(REPORT_H1, year, at, &p[k++]);
	report_period_of(REPORT_YEAR, year - 1, at, &p[k++]);
	report_period_of(REPORT_H2, year - 1, at, &p[k++]);
	report_period_of(REPORT_H1, year - 1, at, &p[k++]);
	for (i = 0; i < k; i++)
		if ((rc = status_of(&sc, &p[i], &out[i], err)))
			return rc;
	first = offered(out, k);
	if (first == k) {
		/* The half-year that ended last. */
		for (first = 0; first < k; first++)
			if (out[first].period.kind != REPORT_YEAR &&
			    strcmp(out[first].period.to, at) < 0)
				break;
	}
	if (first > 0 && first < k) {
		struct report_status chosen = out[first];

		memmove(&out[1], &out[0], first * sizeof *out);
		out[0] = chosen;
	}
	*n = k;
	return 0;
}

void report_next_period(struct kyso_db *db, const char *at, struct report_period *p)
{
	struct report_status st[REPORT_STATUSES];
	struct kyso_err err;
	size_t n = 0;

	if (report_statuses(db, at, st, &n, &err) == 0 && n > 0) {
		*p = st[0].period;
		return;
	}
	if (strcmp(at + 5, "07-01") >= 0)
		report_period_of(REPORT_H1, atoi(at), at, p);
	else
		report_period_of(REPORT_H2, atoi(at) - 1, at, p);
}
