/*
 * cert.c - certificates recorded by hand from the department's notices (DOMAIN.md §5):
 * their serial, validity, token and subscriber, and their revocation.  Only this file
 * writes the certificate table.  Issue, renewal, change and revocation are events dated
 * as the notice says (reports count them); every change has its audit row.  What a token
 * must know of its certificates (the day the last of them ends, a loss's revocation done)
 * goes through token.c.
 *
 * A certificate's expiry is read from not_after; only a revocation changes its status.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/calendar.h"
#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/settings.h"
#include "kyso/text.h"
#include "kyso/token.h"
#include "token_impl.h"

/* A serial longer than this is no X.509 serial (RFC 5280: at most 20 octets). */
#define SERIAL_HEX_MAX 64

int cert_warn_days(struct kyso_db *db)
{
	return (int)settings_number(db, SETTING_CERT_WARN_DAYS);
}

/* The states a certificate is in on a day (CERT_STATE), with a person's words. */
static const struct {
	const char *state, *label;
} cert_states[] = {
	{ "valid", N_("Valid") },	{ "expiring", N_("Expiring") },
	{ "expired", N_("Expired") },	{ "revoked", N_("Revoked") },
	{ "not_yet", N_("Not yet valid") },
};

const char *cert_state_label(const char *state)
{
	size_t i;

	for (i = 0; state && i < sizeof(cert_states) / sizeof(cert_states[0]); i++)
		if (!strcmp(cert_states[i].state, state))
			return _(cert_states[i].label);
	return state ? state : "";
}

int cert_state_known(const char *state)
{
	size_t i;

	for (i = 0; state && i < sizeof(cert_states) / sizeof(cert_states[0]); i++)
		if (!strcmp(cert_states[i].state, state))
			return 1;
	return 0;
}

const char *cert_issuance_label(const char *issuance)
{
	if (issuance && !strcmp(issuance, CERT_RENEW))
		return _("Renewal");
	if (issuance && !strcmp(issuance, CERT_CHANGE))
		return _("Change of information");
	return _("New");
}

/* The words of the history for the certificate's events. */
const char *cert_event_label(const char *kind)
{
	if (!strcmp(kind, EVENT_CERT_ISSUED))
		return _("Certificate issued");
	if (!strcmp(kind, EVENT_CERT_RENEWED))
		return _("Certificate renewed");
	if (!strcmp(kind, EVENT_CERT_CHANGED))
		return _("Certificate changed");
	if (!strcmp(kind, EVENT_CERT_REVOKED))
		return _("Certificate revoked");
	if (!strcmp(kind, EVENT_CERT_CORRECTED))
		return _("Certificate corrected");
	return kind;
}

void cert_init(struct cert *c)
{
	memset(c, 0, sizeof(*c));
}

void cert_free(struct cert *c)
{
	char **s[] = { &c->subscriber_name, &c->token_serial, &c->serial, &c->issuance,
		       &c->subject, &c->issuer, &c->not_before, &c->not_after, &c->status,
		       &c->revoked_on, &c->revocation_reason, &c->notice_on, &c->source, &c->note };
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		free(*s[i]);
		*s[i] = NULL;
	}
}

/* The serial as stored: hex digits in upper case, separators (':', spaces, '-') dropped.
 * NULL when something else is in it or nothing is left.  Caller frees. */
static char *serial_normal(const char *in)
{
	char *out, *w;
	const char *p;

	if (!in || !(out = malloc(strlen(in) + 1)))
		return NULL;
	for (p = in, w = out; *p; p++) {
		if (*p == ':' || *p == ' ' || *p == '-' || *p == '\t')
			continue;
		if (!isxdigit((unsigned char)*p)) {
			free(out);
			return NULL;
		}
		*w++ = (char)toupper((unsigned char)*p);
	}
	*w = '\0';
	if (!*out || strlen(out) > SERIAL_HEX_MAX) {
		free(out);
		return NULL;
	}
	return out;
}

static int id_by_serial(struct kyso_db *db, const char *serial, long long *id,
			struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (db_cached(db, "SELECT id FROM certificate WHERE serial = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("finding a certificate"));
}

int cert_find(struct kyso_db *db, const char *serial, long long *id, struct kyso_err *err)
{
	char *key = serial_normal(serial);
	int rc;

	*id = 0;
	if (!key)
		return kyso_fail(err, KYSO_ENOTFOUND, _("\"%s\" is not a certificate serial (hex digits)"),
				 serial ? serial : "");
	rc = id_by_serial(db, key, id, err);
	if (!rc && !*id)
		rc = kyso_fail(err, KYSO_ENOTFOUND, _("no certificate has the serial %s"), key);
	free(key);
	return rc;
}

#define CERT_SELECT                                                                        \
	"SELECT c.id, c.subscriber_id, s.name, coalesce(c.token_id, 0), t.serial, c.serial, " \
	"c.issuance, c.subject, c.issuer, c.not_before, c.not_after, c.status, c.revoked_on, " \
	"c.revocation_reason, c.notice_on, c.source, c.note, c.version "                   \
	"FROM certificate c JOIN subscriber s ON s.id = c.subscriber_id "                   \
	"LEFT JOIN token t ON t.id = c.token_id "

int cert_get(struct kyso_db *db, long long id, struct cert *out, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc, c = 0;

	cert_init(out);
	if (db_cached(db, CERT_SELECT "WHERE c.id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, c++);
		out->subscriber_id = sqlite3_column_int64(st, c++);
		out->subscriber_name = db_column_dup(st, c++);
		out->token_id = sqlite3_column_int64(st, c++);
		out->token_serial = db_column_dup(st, c++);
		out->serial = db_column_dup(st, c++);
		out->issuance = db_column_dup(st, c++);
		out->subject = db_column_dup(st, c++);
		out->issuer = db_column_dup(st, c++);
		out->not_before = db_column_dup(st, c++);
		out->not_after = db_column_dup(st, c++);
		out->status = db_column_dup(st, c++);
		out->revoked_on = db_column_dup(st, c++);
		out->revocation_reason = db_column_dup(st, c++);
		out->notice_on = db_column_dup(st, c++);
		out->source = db_column_dup(st, c++);
		out->note = db_column_dup(st, c++);
		out->version = (long)sqlite3_column_int64(st, c++);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no certificate #%lld"), id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading a certificate"));
	return 0;
}

/* Recording --------------------------------------------------------------------------------- */

/* The event and the audit row of a certificate's change. */
static int record(struct kyso_db *db, const char *kind, const char *audit_action,
		  long long cert_id, long long subscriber_id, long long token_id,
		  const char *on_date, json_t *body, struct kyso_err *err)
{
	struct event_new ev = { .kind = kind, .subscriber_id = subscriber_id,
				.token_id = token_id, .certificate_id = cert_id,
				.on_date = on_date };
	char subject[32];

	snprintf(subject, sizeof(subject), "certificate:%lld", cert_id);
	return event_record_audited(db, ev, audit_action, subject, body, err);
}

/* The fields of a new certificate, cleaned. */
struct fields {
	char *serial, *subject, *issuer, *reason, *note;
	const char *issuance, *status;
	long long subscriber_id, token_id;
	char not_before[11], not_after[11], revoked_on[11], notice_on[11];
};

static void fields_free(struct fields *f)
{
	free(f->serial);
	free(f->subject);
	free(f->issuer);
	free(f->reason);
	free(f->note);
}

/* The token's subscriber, as the certificate must name it. */
static int check_token(struct kyso_db *db, const struct cert_new *c, struct fields *f,
		       struct kyso_problems *p, struct kyso_err *err)
{
	struct token t;
	int rc;

	f->subscriber_id = c->subscriber_id;
	f->token_id = c->token_id;
	if (c->token_id <= 0) {
		if (c->subscriber_id <= 0)
			kyso_problems_add(p, 0, _("Subscriber"), "%s",
					  _("is required (or the token it is on)"));
		return 0;
	}
	rc = token_get(db, c->token_id, &t, err);
	if (rc == KYSO_ENOTFOUND) {
		kyso_problems_add(p, 0, _("Token"), _("there is no token #%lld"), c->token_id);
		return 0;
	}
	if (rc)
		return rc;
	if (c->subscriber_id > 0 && c->subscriber_id != t.subscriber_id)
		kyso_problems_add(p, 0, _("Token"),
				  _("token %s belongs to subscriber #%lld (%s), not #%lld"), t.serial,
				  t.subscriber_id, t.subscriber_name, c->subscriber_id);
	f->subscriber_id = t.subscriber_id;
	token_free(&t);
	return 0;
}

static int subscriber_exists(struct kyso_db *db, long long id, int *exists,
			     struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*exists = 0;
	if (db_cached(db, "SELECT 1 FROM subscriber WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	*exists = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading a subscriber"));
}

/* Art. 5.3: a new certificate is valid at most 5 years, a renewal at most 3. */
static void check_validity(struct fields *f, struct kyso_problems *p)
{
	int years = !strcmp(f->issuance, CERT_RENEW) ? CERT_RENEW_MAX_YEARS : CERT_NEW_MAX_YEARS;
	char limit[11], shown[11];

	if (!f->not_before[0] || !f->not_after[0])
		return;
	if (strcmp(f->not_after, f->not_before) <= 0) {
		kyso_problems_add(p, 0, _("Valid to"), _("%s is not after the start of validity"),
				  date_display(f->not_after, shown));
		return;
	}
	if (!calendar_add_months(f->not_before, 12 * years, limit) && strcmp(f->not_after, limit) > 0)
		kyso_problems_add(p, 0, _("Valid to"),
				  _("%s is more than %d years after the start (%s at most for %s)"),
				  date_display(f->not_after, shown), years,
				  date_display(limit, (char[11]){ 0 }),
				  cert_issuance_label(f->issuance));
}

/* A date that may not be in the future nor before floor (its label floor_what). */
static void check_after(const char *column, const char *value, const char *fallback,
			const char *floor, char iso[11], struct kyso_problems *p)
{
	char shown[11];

	if (token_check_date(column, value, fallback, iso, p) || !iso[0] || !floor || !floor[0])
		return;
	if (strcmp(iso, floor) < 0)
		kyso_problems_add(p, 0, column, _("is before %s"), date_display(floor, shown));
}

static int check_new(struct kyso_db *db, const struct cert_new *c, struct fields *f,
		     struct kyso_problems *p, struct kyso_err *err)
{
	long long other;
	int rc, exists;

	f->serial = serial_normal(c->serial);
	if (text_is_blank(c->serial))
		kyso_problems_add(p, 0, _("Serial"), "%s", _("is required"));
	else if (!f->serial)
		kyso_problems_add(p, 0, _("Serial"),
				  _("\"%s\" is not a certificate serial (hex digits, ':' between pairs allowed)"),
				  c->serial);
	else if ((rc = id_by_serial(db, f->serial, &other, err)))
		return rc;
	else if (other)
		kyso_problems_add(p, 0, _("Serial"), _("%s is recorded already (certificate #%lld)"),
				  f->serial, other);
	if ((rc = check_token(db, c, f, p, err)))
		return rc;
	if (c->token_id <= 0 && c->subscriber_id > 0) {
		if ((rc = subscriber_exists(db, c->subscriber_id, &exists, err)))
			return rc;
		if (!exists)
			kyso_problems_add(p, 0, _("Subscriber"), _("there is no subscriber #%lld"),
					  c->subscriber_id);
	}
	f->issuance = text_is_blank(c->issuance) ? CERT_NEW : c->issuance;
	if (strcmp(f->issuance, CERT_NEW) && strcmp(f->issuance, CERT_RENEW) &&
	    strcmp(f->issuance, CERT_CHANGE))
		kyso_problems_add(p, 0, _("Issuance"), "%s", _("must be new, renew or change"));
	f->status = text_is_blank(c->status) ? "valid" : c->status;
	if (strcmp(f->status, "valid") && strcmp(f->status, "revoked"))
		kyso_problems_add(p, 0, _("Status"), "%s", _("must be valid or revoked"));
	token_check_date(_("Valid from"), c->not_before, NULL, f->not_before, p);
	if (text_is_blank(c->not_after))
		kyso_problems_add(p, 0, _("Valid to"), "%s", _("is required"));
	else if (date_parse(c->not_after, f->not_after))
		kyso_problems_add(p, 0, _("Valid to"), _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				  c->not_after);
	check_validity(f, p);
	if (!strcmp(f->status, "revoked")) {
		check_after(_("Revoked on"), c->revoked_on, NULL, f->not_before, f->revoked_on, p);
		check_after(_("Notice date"), c->notice_on, f->revoked_on, f->revoked_on, f->notice_on, p);
	} else if (!text_is_blank(c->revoked_on) || !text_is_blank(c->notice_on)) {
		kyso_problems_add(p, 0, _("Revoked on"), "%s",
				  _("is given, but the status is valid (write --status revoked)"));
	}
	f->subject = token_clean(c->subject);
	f->issuer = token_clean(c->issuer);
	f->reason = token_clean(c->revocation_reason);
	f->note = token_clean(c->note);
	check_text(p, 0, _("Subject"), f->subject, CHECK_TEXT_MAX);
	check_text(p, 0, _("Issuer"), f->issuer, CHECK_TEXT_MAX);
	check_text(p, 0, _("Reason"), f->reason, CHECK_TEXT_MAX);
	check_text(p, 0, _("Note"), f->note, CHECK_TEXT_MAX);
	return 0;
}

static int insert_cert(struct kyso_db *db, const struct fields *f, long long *id,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc, revoked = !strcmp(f->status, "revoked");

	if (db_cached(db, "INSERT INTO certificate(subscriber_id, token_id, serial, issuance, "
			  "subject, issuer, not_before, not_after, status, revoked_on, "
			  "revocation_reason, notice_on, note, created_at, updated_at) "
			  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err))
		return KYSO_EIO;
	db_now(now);
	sqlite3_bind_int64(st, 1, f->subscriber_id);
	if (f->token_id > 0)
		sqlite3_bind_int64(st, 2, f->token_id);
	sqlite3_bind_text(st, 3, f->serial, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->issuance, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->issuer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, f->not_before, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, f->not_after, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, f->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, revoked ? f->revoked_on : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, revoked ? f->reason : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, revoked ? f->notice_on : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, f->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("recording a certificate"));
	*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

static const char *issue_event(const char *issuance)
{
	if (!strcmp(issuance, CERT_RENEW))
		return EVENT_CERT_RENEWED;
	if (!strcmp(issuance, CERT_CHANGE))
		return EVENT_CERT_CHANGED;
	return EVENT_CERT_ISSUED;
}

static json_t *cert_json(long long id, const struct fields *f)
{
	json_t *o = json_pack("{s:I,s:s,s:I}", "id", (json_int_t)id, "serial", f->serial,
			      "subscriber_id", (json_int_t)f->subscriber_id);

	if (!o)
		return NULL;
	if (f->token_id > 0)
		json_object_set_new(o, "token_id", json_integer(f->token_id));
	token_json_set(o, "issuance", f->issuance, "not_before", f->not_before, "not_after",
		       f->not_after, "subject", f->subject, "issuer", f->issuer, "status",
		       f->status, NULL);
	if (!strcmp(f->status, "revoked"))
		token_json_set(o, "revoked_on", f->revoked_on, "reason", f->reason, "notice_on",
			       f->notice_on, NULL);
	return o;
}

/* Events (issued/renewed/changed on not_before, revoked on its day), audit, the token. */
static int record_new(struct kyso_db *db, long long id, const struct fields *f,
		      struct kyso_err *err)
{
	json_t *body = cert_json(id, f);
	int rc, revoked = !strcmp(f->status, "revoked");

	if (!body)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	rc = record(db, issue_event(f->issuance), "cert.add", id, f->subscriber_id, f->token_id,
		    f->not_before, body, err);
	if (!rc && revoked)
		rc = record(db, EVENT_CERT_REVOKED, NULL, id, f->subscriber_id, f->token_id,
			    f->revoked_on, body, err);
	json_decref(body);
	if (rc || f->token_id <= 0)
		return rc;
	return revoked ? token_cert_revoked_tx(db, f->token_id, f->revoked_on, err)
		       : token_certs_changed_tx(db, f->token_id, err);
}

int cert_add(struct kyso_db *db, const struct cert_new *c, long long *id,
	     struct kyso_problems *problems, struct kyso_err *err)
{
	struct kyso_problems local = { 0 };
	struct kyso_problems *p = problems ? problems : &local;
	struct fields f = { 0 };
	size_t before = kyso_problems_found(p);
	long long new_id = 0;
	int rc;

	if (id)
		*id = 0;
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = check_new(db, c, &f, p, err)))
		goto fail;
	if (kyso_problems_found(p) > before) {
		rc = kyso_fail(err, KYSO_EINVAL, "%s", _("the certificate was not recorded"));
		goto fail;
	}
	if ((rc = insert_cert(db, &f, &new_id, err)) || (rc = record_new(db, new_id, &f, err)))
		goto fail;
	if (!(rc = db_commit(db, err)) && id)
		*id = new_id;
	goto out;
fail:
	db_rollback(db);
out:
	fields_free(&f);
	kyso_problems_free(&local);
	return rc;
}

/* Revoking ------------------------------------------------------------------------------------ */

static void check_revoke(const struct cert *c, const char *date, const char *reason,
			const char *notice_on, char on[11], char notice[11],
			struct kyso_problems *p)
{
	char shown[11];

	if (strcmp(c->status, "valid")) {
		kyso_problems_add(p, 0, _("Status"), _("certificate %s was revoked already, on %s"),
				  c->serial, date_display(c->revoked_on, shown));
		return;
	}
	check_after(_("Revoked on"), date, NULL, c->not_before, on, p);
	check_after(_("Notice date"), notice_on, on, on, notice, p);
	check_text(p, 0, _("Reason"), reason, CHECK_TEXT_MAX);
}

static int write_revocation(struct kyso_db *db, const struct cert *c, const char *on,
			    const char *reason, const char *notice, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc;

	if (db_cached(db, "UPDATE certificate SET status = 'revoked', revoked_on = ?1, "
			  "revocation_reason = ?2, notice_on = ?3, updated_at = ?4, "
			  "version = version + 1 WHERE id = ?5 AND version = ?6", &st, err))
		return KYSO_EIO;
	db_now(now);
	sqlite3_bind_text(st, 1, on, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, notice, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, c->id);
	sqlite3_bind_int64(st, 6, c->version);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("recording a revocation"));
	return sqlite3_changes(db->sql) == 1 ? 0
		: kyso_fail(err, KYSO_ECONFLICT,
			    _("certificate %s was changed by someone else meanwhile; nothing was saved"),
			    c->serial);
}

int cert_revoke(struct kyso_db *db, long long id, const char *date, const char *reason,
		const char *notice_on, long expect_version, struct kyso_problems *problems,
		struct kyso_err *err)
{
	struct kyso_problems local = { 0 };
	struct kyso_problems *p = problems ? problems : &local;
	char on[11] = "", notice[11] = "", *why = token_clean(reason);
	size_t before = kyso_problems_found(p);
	json_t *body = NULL;
	struct cert c;
	int rc;

	cert_init(&c);
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = cert_get(db, id, &c, err)))
		goto fail;
	if (expect_version > 0 && expect_version != c.version) {
		rc = kyso_fail(err, KYSO_ECONFLICT,
			       _("certificate %s was changed by someone else since you read it (version %ld, yours %ld); nothing was saved"),
			       c.serial, c.version, expect_version);
		goto fail;
	}
	check_revoke(&c, date, why, notice_on, on, notice, p);
	if (kyso_problems_found(p) > before) {
		rc = kyso_fail(err, KYSO_EINVAL, "%s", _("the revocation was not recorded"));
		goto fail;
	}
	body = json_pack("{s:I,s:s,s:s,s:s?,s:s}", "id", (json_int_t)id, "serial", c.serial,
			 "revoked_on", on, "reason", why, "notice_on", notice);
	if (!body) {
		rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		goto fail;
	}
	if ((rc = write_revocation(db, &c, on, why, notice, err)) ||
	    (rc = record(db, EVENT_CERT_REVOKED, "cert.revoke", id, c.subscriber_id, c.token_id, on,
			 body, err)) ||
	    (c.token_id > 0 && (rc = token_cert_revoked_tx(db, c.token_id, on, err))))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	json_decref(body);
	cert_free(&c);
	free(why);
	kyso_problems_free(&local);
	return rc;
}

/* Correcting ------------------------------------------------------------------------------------ */

/* A date of the correction: the one given (real, not in the future), else the one
 * recorded.  -1 with the problem. */
static int corrected_day(const char *column, const char *given, const char *recorded,
			 char iso[11], struct kyso_problems *p)
{
	if (!given) {
		snprintf(iso, 11, "%s", recorded ? recorded : "");
		return 0;
	}
	return token_check_date(column, given, NULL, iso, p);
}

/* Moves the latest event of kind on old_day of certificate id to new_day. */
static int move_event(struct kyso_db *db, long long id, const char *kind, const char *old_day,
		      const char *new_day, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!old_day || !strcmp(old_day, new_day))
		return 0;
	if (db_prepare(db, "UPDATE event SET on_date = ?4 WHERE id = (SELECT max(id) FROM event "
			   "WHERE certificate_id = ?1 AND kind = ?2 AND on_date = ?3)", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, old_day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, new_day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("correcting a certificate"));
}

static int write_dates(struct kyso_db *db, const struct cert *c, const struct fields *f,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc, revoked = !strcmp(c->status, "revoked");

	if (db_prepare(db, "UPDATE certificate SET not_before = ?1, not_after = ?2, "
			   "revoked_on = ?3, notice_on = ?4, updated_at = ?5, version = version + 1 "
			   "WHERE id = ?6 AND version = ?7", &st, err))
		return KYSO_EIO;
	db_now(now);
	sqlite3_bind_text(st, 1, f->not_before, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->not_after, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, revoked ? f->revoked_on : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, revoked && f->notice_on[0] ? f->notice_on : NULL, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, c->id);
	sqlite3_bind_int64(st, 7, c->version);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("correcting a certificate"));
	return sqlite3_changes(db->sql) == 1 ? 0
		: kyso_fail(err, KYSO_ECONFLICT,
			    _("certificate %s was changed by someone else meanwhile; nothing was saved"),
			    c->serial);
}

/* "field": [old, new] for each date that changed. */
static void add_change(json_t *o, const char *key, const char *old, const char *new_)
{
	if (strcmp(old ? old : "", new_ ? new_ : ""))
		json_object_set_new(o, key, json_pack("[s?s?]", old, new_ && *new_ ? new_ : NULL));
}

int cert_correct(struct kyso_db *db, const struct cert_correction *cc,
		 struct kyso_problems *problems, struct kyso_err *err)
{
	struct kyso_problems local = { 0 };
	struct kyso_problems *p = problems ? problems : &local;
	struct fields f = { 0 };
	size_t before = kyso_problems_found(p);
	json_t *body = NULL;
	struct cert c;
	int rc, revoked;

	cert_init(&c);
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = cert_get(db, cc->id, &c, err)))
		goto fail;
	if (cc->expect_version > 0 && cc->expect_version != c.version) {
		rc = kyso_fail(err, KYSO_ECONFLICT,
			       _("certificate %s was changed by someone else since you read it (version %ld, yours %ld); nothing was saved"),
			       c.serial, c.version, cc->expect_version);
		goto fail;
	}
	revoked = !strcmp(c.status, "revoked");
	if (!revoked && (cc->revoked_on || cc->notice_on))
		kyso_problems_add(p, 0, _("Revoked on"), _("certificate %s is not revoked"), c.serial);
	f.issuance = c.issuance;
	corrected_day(_("Valid from"), cc->not_before, c.not_before, f.not_before, p);
	if (cc->not_after && date_parse(cc->not_after, f.not_after))
		kyso_problems_add(p, 0, _("Valid to"), _("\"%s\" is not a real date (write dd/mm/yyyy)"),
				  cc->not_after);
	else if (!cc->not_after)
		snprintf(f.not_after, sizeof(f.not_after), "%s", c.not_after);
	check_validity(&f, p);
	if (revoked) {
		if (cc->revoked_on)
			check_after(_("Revoked on"), cc->revoked_on, NULL, f.not_before, f.revoked_on, p);
		else
			snprintf(f.revoked_on, sizeof(f.revoked_on), "%s", c.revoked_on ? c.revoked_on : "");
		if (cc->notice_on)
			check_after(_("Notice date"), cc->notice_on, NULL, f.revoked_on, f.notice_on, p);
		else
			snprintf(f.notice_on, sizeof(f.notice_on), "%s", c.notice_on ? c.notice_on : "");
	}
	if (kyso_problems_found(p) > before) {
		rc = kyso_fail(err, KYSO_EINVAL, "%s", _("nothing was corrected"));
		goto fail;
	}
	body = json_pack("{s:I,s:s}", "id", (json_int_t)c.id, "serial", c.serial);
	add_change(body, "not_before", c.not_before, f.not_before);
	add_change(body, "not_after", c.not_after, f.not_after);
	if (revoked) {
		add_change(body, "revoked_on", c.revoked_on, f.revoked_on);
		add_change(body, "notice_on", c.notice_on, f.notice_on);
	}
	if (json_object_size(body) == 2) { /* nothing differs */
		rc = db_commit(db, err);
		goto out;
	}
	if ((rc = write_dates(db, &c, &f, err)) ||
	    (rc = move_event(db, c.id, issue_event(c.issuance), c.not_before, f.not_before, err)) ||
	    (revoked && (rc = move_event(db, c.id, EVENT_CERT_REVOKED, c.revoked_on, f.revoked_on,
					 err))) ||
	    (rc = record(db, EVENT_CERT_CORRECTED, "cert.correct", c.id, c.subscriber_id,
			 c.token_id, NULL, body, err)) ||
	    (c.token_id > 0 && (rc = token_certs_changed_tx(db, c.token_id, err))))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	json_decref(body);
	cert_free(&c);
	kyso_problems_free(&local);
	return rc;
}

/* Listing ---------------------------------------------------------------------------------------- */

/* A certificate's state on ?1 (the day), "expiring" up to ?2 (the day + warning days). */
#define CERT_STATE                                                                         \
	"CASE WHEN c.status = 'revoked' AND c.revoked_on <= ?1 THEN 'revoked' "            \
	"WHEN ?1 < c.not_before THEN 'not_yet' WHEN c.not_after < ?1 THEN 'expired' "      \
	"WHEN c.not_after <= ?2 THEN 'expiring' ELSE 'valid' END"

int cert_list(struct kyso_db *db, const struct cert_query *q,
	      int (*fn)(const struct cert_row *row, void *ctx), void *ctx, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char at[11], warn_end[11];
	int rc;

	if (!q->at)
		db_today(at);
	else if (date_parse(q->at, at))
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				 q->at);
	calendar_add_days(at, cert_warn_days(db), warn_end);
	if (db_prepare(db, "SELECT * FROM (SELECT c.id, c.subscriber_id, coalesce(c.token_id, 0), "
			   "c.serial, s.name, t.serial, c.issuance, c.not_before, c.not_after, "
			   "c.status, c.revoked_on, c.revocation_reason, " CERT_STATE " AS state, "
			   "c.version FROM certificate c JOIN subscriber s ON s.id = c.subscriber_id "
			   "LEFT JOIN token t ON t.id = c.token_id "
			   "WHERE (?3 = 0 OR c.token_id = ?3) AND (?4 = 0 OR c.subscriber_id = ?4)) "
			   "WHERE ?5 IS NULL OR state = ?5 ORDER BY not_after DESC, id DESC LIMIT ?6",
		       &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, warn_end, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, q->token_id);
	sqlite3_bind_int64(st, 4, q->subscriber_id);
	sqlite3_bind_text(st, 5, q->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, q->limit > 0 ? q->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cert_row r = {
			.id = sqlite3_column_int64(st, 0),
			.subscriber_id = sqlite3_column_int64(st, 1),
			.token_id = sqlite3_column_int64(st, 2),
			.serial = (const char *)sqlite3_column_text(st, 3),
			.subscriber_name = (const char *)sqlite3_column_text(st, 4),
			.token_serial = (const char *)sqlite3_column_text(st, 5),
			.issuance = (const char *)sqlite3_column_text(st, 6),
			.not_before = (const char *)sqlite3_column_text(st, 7),
			.not_after = (const char *)sqlite3_column_text(st, 8),
			.status = (const char *)sqlite3_column_text(st, 9),
			.revoked_on = (const char *)sqlite3_column_text(st, 10),
			.revocation_reason = (const char *)sqlite3_column_text(st, 11),
			.state = (const char *)sqlite3_column_text(st, 12),
			.version = (long)sqlite3_column_int64(st, 13),
		};
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("listing certificates"));
	return 0;
}
