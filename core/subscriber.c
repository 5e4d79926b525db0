/*
 * subscriber.c - the roster (DOMAIN.md §2): fields, rules, writes.  Owns the subscriber,
 * subscriber_fts and name_word tables; subscriber_list.c reads them for lists and search.
 *
 * Every stored string is NFC.  name_fold (folded name) and sort_key (ICU "vi" collation,
 * given name first for people) are kept beside the name, and the full-text index over the
 * folded name, citizen ID and phone is kept in step on every write, with name_word (how
 * many names hold each word).  A departure changes the status and keeps everything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/agency.h"
#include "kyso/audit.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "kyso/token.h"

static const struct {
	const char *name;
	const char *label;
} fields[SF_COUNT] = {
	[SF_KIND] = { "kind", N_("Kind") },
	[SF_NAME] = { "name", N_("Full name") },
	[SF_UNIT] = { "unit", N_("Unit") },
	[SF_POSITION] = { "position", N_("Position") },
	[SF_ID_NUMBER] = { "id_number", N_("Citizen ID") },
	[SF_ID_ISSUED_ON] = { "id_issued_on", N_("ID issued on") },
	[SF_ID_ISSUED_BY] = { "id_issued_by", N_("ID issued by") },
	[SF_BIRTH_DATE] = { "birth_date", N_("Date of birth") },
	[SF_EMAIL] = { "email", N_("E-mail") },
	[SF_PHONE] = { "phone", N_("Phone") },
	[SF_ADDRESS] = { "address", N_("Address") },
	[SF_TAX_CODE] = { "tax_code", N_("Tax code") },
	[SF_BUDGET_CODE] = { "budget_code", N_("Budget-relation code") },
	[SF_IDENTIFIER] = { "identifier", N_("Domain or identifier") },
	[SF_PURPOSE] = { "purpose", N_("Purpose") },
	[SF_OWNER] = { "owner", N_("Owning body") },
	[SF_SINCE] = { "since", N_("Since") },
	[SF_NOTE] = { "note", N_("Note") },
};

const char *subscriber_field_name(enum subscriber_field f)
{
	return f < SF_COUNT ? fields[f].name : "";
}

const char *subscriber_field_label(enum subscriber_field f)
{
	return f < SF_COUNT ? _(fields[f].label) : "";
}

const char *subscriber_value_shown(enum subscriber_field f, const char *value, char buf[11])
{
	enum subscriber_kind k;

	if (!value || text_is_blank(value))
		return _("(blank)");
	if (f == SF_KIND && !subscriber_kind_parse(value, &k))
		return subscriber_kind_label(k);
	if (subscriber_field_is_date(f))
		return date_display(value, buf);
	return value;
}

int subscriber_field_from_name(const char *name)
{
	int i;

	for (i = 0; i < SF_COUNT; i++)
		if (!strcmp(fields[i].name, name))
			return i;
	return -1;
}

char **subscriber_field_slot(struct subscriber *s, enum subscriber_field f)
{
	switch (f) {
	case SF_NAME: return &s->name;
	case SF_UNIT: return &s->unit;
	case SF_POSITION: return &s->position;
	case SF_ID_NUMBER: return &s->id_number;
	case SF_ID_ISSUED_ON: return &s->id_issued_on;
	case SF_ID_ISSUED_BY: return &s->id_issued_by;
	case SF_BIRTH_DATE: return &s->birth_date;
	case SF_EMAIL: return &s->email;
	case SF_PHONE: return &s->phone;
	case SF_ADDRESS: return &s->address;
	case SF_TAX_CODE: return &s->tax_code;
	case SF_BUDGET_CODE: return &s->budget_code;
	case SF_IDENTIFIER: return &s->identifier;
	case SF_PURPOSE: return &s->purpose;
	case SF_OWNER: return &s->owner;
	case SF_SINCE: return &s->since_on;
	case SF_NOTE: return &s->note;
	default: return NULL;
	}
}

int subscriber_field_is_date(enum subscriber_field f)
{
	return f == SF_ID_ISSUED_ON || f == SF_BIRTH_DATE || f == SF_SINCE;
}

static const char *cfield(const struct subscriber *s, enum subscriber_field f)
{
	char **slot = subscriber_field_slot((struct subscriber *)s, f);

	return slot ? *slot : NULL;
}

static const char *const kind_names[] = { "person", "org", "device" };
static const char *const kind_labels[] = { N_("Person"), N_("Organisation"),
					    N_("Device/service/software") };

const char *subscriber_kind_name(enum subscriber_kind k)
{
	return k <= KIND_DEVICE ? kind_names[k] : "?";
}

int subscriber_kind_of_name(const char *name)
{
	int k;

	for (k = 0; name && k < SUBSCRIBER_KINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

const char *subscriber_kind_label(enum subscriber_kind k)
{
	return k <= KIND_DEVICE ? _(kind_labels[k]) : "?";
}

int subscriber_kind_parse(const char *text, enum subscriber_kind *k)
{
	/* Folded words officers write in a "Loại" column, and the command line's names. */
	static const struct {
		const char *word;
		enum subscriber_kind kind;
	} words[] = {
		{ "person", KIND_PERSON }, { "ca nhan", KIND_PERSON }, { "individual", KIND_PERSON },
		{ "nguoi", KIND_PERSON }, { "org", KIND_ORG }, { "organisation", KIND_ORG },
		{ "organization", KIND_ORG }, { "to chuc", KIND_ORG }, { "co quan", KIND_ORG },
		{ "co quan, to chuc", KIND_ORG }, { "don vi", KIND_ORG },
		{ "device", KIND_DEVICE }, { "thiet bi", KIND_DEVICE }, { "dich vu", KIND_DEVICE },
		{ "phan mem", KIND_DEVICE }, { "service", KIND_DEVICE }, { "software", KIND_DEVICE },
		{ "thiet bi, dich vu, phan mem", KIND_DEVICE },
		{ "thiet bi/dich vu/phan mem", KIND_DEVICE },
	};
	char *fold, *clean;
	size_t i;
	int rc = -1;

	if (!text)
		return -1;
	fold = text_fold(text);
	clean = fold ? text_clean(fold) : NULL;
	for (i = 0; clean && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(clean, words[i].word)) {
			*k = words[i].kind;
			rc = 0;
			break;
		}
	free(fold);
	free(clean);
	return rc;
}

static const struct {
	const char *name, *label;
} statuses[SUBSCRIBER_STATUSES] = {
	[STATUS_ACTIVE] = { "active", N_("Active") },
	[STATUS_LEFT] = { "left", N_("Left") },
	[STATUS_TRANSFERRED] = { "transferred", N_("Transferred") },
	[STATUS_RETIRED] = { "retired", N_("Retired") },
};

const char *subscriber_status_name(enum subscriber_status st)
{
	return (unsigned)st < SUBSCRIBER_STATUSES ? statuses[st].name : "?";
}

int subscriber_status_parse(const char *name, enum subscriber_status *st)
{
	int i;

	if (!name) {
		*st = STATUS_ACTIVE;
		return 0;
	}
	for (i = 0; i < SUBSCRIBER_STATUSES; i++)
		if (!strcmp(name, statuses[i].name)) {
			*st = (enum subscriber_status)i;
			return 0;
		}
	return -1;
}

const char *subscriber_status_label(const char *status)
{
	enum subscriber_status st;

	return subscriber_status_parse(status, &st) ? status : _(statuses[st].label);
}

int subscriber_departed(const char *status)
{
	enum subscriber_status st;

	return subscriber_status_parse(status, &st) || st != STATUS_ACTIVE;
}

/* The filters after FILTER_DEPARTED are the departures' statuses, in their order. */
#define FILTER_OF_DEPARTURE(st) (FILTER_DEPARTED + (int)(st))

int status_filter_parse(const char *word, enum status_filter *f)
{
	enum subscriber_status st;

	if (!word || !*word || !strcmp(word, "all"))
		*f = FILTER_ALL;
	else if (!strcmp(word, "departed"))
		*f = FILTER_DEPARTED;
	else if (!subscriber_status_parse(word, &st))
		*f = st == STATUS_ACTIVE ? FILTER_ACTIVE : (enum status_filter)FILTER_OF_DEPARTURE(st);
	else
		return -1;
	return 0;
}

const char *status_filter_name(enum status_filter f)
{
	switch (f) {
	case FILTER_ALL: return "all";
	case FILTER_ACTIVE: return subscriber_status_name(STATUS_ACTIVE);
	case FILTER_DEPARTED: return "departed";
	default: return subscriber_status_name((enum subscriber_status)(f - FILTER_DEPARTED));
	}
}

const char *status_filter_label(enum status_filter f)
{
	switch (f) {
	case FILTER_ALL: return _("Any status");
	case FILTER_DEPARTED: return _("Departed");
	default: return subscriber_status_label(status_filter_name(f));
	}
}

int status_filter_takes(enum status_filter f, enum subscriber_status st)
{
	switch (f) {
	case FILTER_ALL: return 1;
	case FILTER_ACTIVE: return st == STATUS_ACTIVE;
	case FILTER_DEPARTED: return st != STATUS_ACTIVE;
	default: return (int)f == FILTER_OF_DEPARTURE(st);
	}
}

void subscriber_init(struct subscriber *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = KIND_PERSON;
}

void subscriber_free(struct subscriber *s)
{
	char **extra[] = { &s->status, &s->departed_on, &s->departure_note, &s->created_at,
			   &s->updated_at };
	size_t i;

	for (i = 0; i < SF_COUNT; i++) {
		char **slot = subscriber_field_slot(s, (enum subscriber_field)i);
		if (slot) {
			free(*slot);
			*slot = NULL;
		}
	}
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		free(*extra[i]);
		*extra[i] = NULL;
	}
}

static void replace(char **slot, char *v)
{
	free(*slot);
	*slot = v;
}

static void lower_ascii(char *p)
{
	for (; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
}

/* Drops spaces and dots written inside a number ("079 123 456 789"); a dash stays, as
 * it separates a branch's tax code (0123456789-001). */
static void squeeze_number(char *p)
{
	char *w = p;

	if (!p)
		return;
	for (; *p; p++)
		if (*p != ' ' && *p != '.')
			*w++ = *p;
	*w = '\0';
}

void subscriber_normalise(struct subscriber *s)
{
	char buf[64];
	size_t i;

	for (i = 0; i < SF_COUNT; i++) {
		char **slot = subscriber_field_slot(s, (enum subscriber_field)i), *c;

		if (!slot || !*slot)
			continue;
		c = text_clean(*slot);
		if (!c)
			continue; /* invalid UTF-8: validation says so */
		if (!*c) {
			free(c);
			c = NULL;
		}
		replace(slot, c);
	}
	if (s->email) {
		if (!strncasecmp(s->email, "mailto:", 7))
			memmove(s->email, s->email + 7, strlen(s->email + 7) + 1);
		lower_ascii(s->email);
	}
	if (s->phone && !phone_normalise(s->phone, buf, sizeof(buf)))
		replace(&s->phone, strdup(buf));
	squeeze_number(s->id_number);
	squeeze_number(s->tax_code);
	squeeze_number(s->budget_code);
	for (i = 0; i < SF_COUNT; i++) {
		char **slot = subscriber_field_slot(s, (enum subscriber_field)i);

		if (subscriber_field_is_date((enum subscriber_field)i) && *slot &&
		    !date_parse(*slot, buf))
			replace(slot, strdup(buf));
	}
	if (s->identifier)
		lower_ascii(s->identifier);
}

int subscriber_has_old_id(const struct subscriber *s)
{
	return s->kind == KIND_PERSON && check_id_number(s->id_number) == 1;
}

static void need(const struct subscriber *s, enum subscriber_field f, long row,
		 struct kyso_problems *p)
{
	if (text_is_blank(cfield(s, f)))
		kyso_problems_add(p, row, subscriber_field_label(f), "%s", _("is required"));
}

static void check_name(const struct subscriber *s, long row, struct kyso_problems *p)
{
	const char *c;

	if (text_is_blank(s->name))
		return;
	if (s->kind != KIND_PERSON)
		return;
	for (c = s->name; *c; c++)
		if ((*c >= '0' && *c <= '9') || strchr("@#$%^*=<>{}[]|\\/", *c)) {
			kyso_problems_add(p, row, subscriber_field_label(SF_NAME),
					  _("\"%s\" is not a person's name (it has '%c')"), s->name, *c);
			return;
		}
	if (!strchr(s->name, ' '))
		kyso_problems_add(p, row, subscriber_field_label(SF_NAME),
				  _("\"%s\": write the full name (family, middle and given names)"),
				  s->name);
}

/* A date a person writes for something that has happened: real and not after today.
 * Fills iso and returns 0, or adds the problem under column and returns -1. */
static int check_past_date(const char *v, const char *column, const char *today, long row,
			   char iso[11], struct kyso_problems *p)
{
	char shown[11];

	if (date_parse(v, iso)) {
		kyso_problems_add(p, row, column, _("\"%s\" is not a real date (write dd/mm/yyyy)"),
				  v);
		return -1;
	}
	if (strcmp(iso, today) > 0) {
		kyso_problems_add(p, row, column, _("%s is in the future"),
				  date_display(iso, shown));
		return -1;
	}
	return 0;
}

static void check_date_field(const struct subscriber *s, enum subscriber_field f,
			     const char *today, long row, struct kyso_problems *p)
{
	const char *v = cfield(s, f);
	char iso[11];

	if (!text_is_blank(v))
		check_past_date(v, subscriber_field_label(f), today, row, iso, p);
}

static void check_id(const struct subscriber *s, long row, struct kyso_problems *p)
{
	const char *id = s->id_number;
	size_t n;

	if (text_is_blank(id))
		return;
	n = strlen(id);
	if (check_id_number(id) >= 0)
		return;
	if (is_digits(id) && n == 11)
		kyso_problems_add(p, row, subscriber_field_label(SF_ID_NUMBER),
				  _("\"%s\" has 11 digits; a citizen ID has 12 (was a leading 0 lost in Excel?)"),
				  id);
	else if (is_digits(id))
		kyso_problems_add(p, row, subscriber_field_label(SF_ID_NUMBER),
				  _("\"%s\" has %zu digits; a citizen ID has 12 (or 9 for an old CMND)"),
				  id, n);
	else
		kyso_problems_add(p, row, subscriber_field_label(SF_ID_NUMBER),
				  _("\"%s\" must be digits only"), id);
}

static void check_codes(const struct subscriber *s, long row, struct kyso_problems *p)
{
	const char *t = s->tax_code, *dash;

	if (!text_is_blank(t)) {
		dash = strchr(t, '-');
		int ok = dash ? (dash - t == 10 && strlen(dash + 1) == 3 && is_digits(dash + 1))
			      : (is_digits(t) && (strlen(t) == 10 || strlen(t) == 13));
		for (const char *c = t; ok && c < (dash ? dash : t + strlen(t)); c++)
			ok = *c >= '0' && *c <= '9';
		if (!ok)
			kyso_problems_add(p, row, subscriber_field_label(SF_TAX_CODE),
					  _("\"%s\" is not a tax code (10 digits, or 10-3 for a branch)"),
					  t);
	}
	if (!text_is_blank(s->budget_code) && !(is_digits(s->budget_code) && strlen(s->budget_code) == 7))
		kyso_problems_add(p, row, subscriber_field_label(SF_BUDGET_CODE),
				  _("\"%s\" is not a budget-relation code (7 digits)"),
				  s->budget_code);
}

int subscriber_check_fields(const struct subscriber *s, const char *domain, const char *today,
			    long row, struct kyso_problems *p)
{
	size_t before = kyso_problems_found(p), i;
	char why[256], phone[32];

	for (i = 0; i < SF_COUNT; i++) {
		const char *v = cfield(s, (enum subscriber_field)i);
		const char *label = subscriber_field_label((enum subscriber_field)i);

		/* Free text: not too long, never a password (check.c).  The other fields have
		 * a form of their own, checked below. */
		if (i == SF_NAME)
			check_text(p, row, label, v, SUBSCRIBER_NAME_MAX);
		else if (i == SF_POSITION || i == SF_ID_ISSUED_BY || i == SF_ADDRESS ||
			 i == SF_IDENTIFIER || i == SF_PURPOSE || i == SF_OWNER || i == SF_NOTE)
			check_text(p, row, label, v, CHECK_TEXT_MAX);
		else if (v && !text_is_utf8(v))
			kyso_problems_add(p, row, label, "%s", _("is not valid UTF-8 text"));
	}
	need(s, SF_NAME, row, p);
	need(s, SF_EMAIL, row, p);
	/* What the roster cannot do without.  The forms need more (an organisation's tax
	 * code, a device's domain) and ask for it when one is written. */
	if (s->kind == KIND_PERSON) {
		need(s, SF_ID_NUMBER, row, p);
		need(s, SF_POSITION, row, p);
	}
	check_name(s, row, p);
	if (!text_is_blank(s->email) && check_email(s->email, domain, why, sizeof(why)))
		kyso_problems_add(p, row, subscriber_field_label(SF_EMAIL), "\"%s\" %s", s->email,
				  why);
	if (!text_is_blank(s->phone) && phone_normalise(s->phone, phone, sizeof(phone)))
		kyso_problems_add(p, row, subscriber_field_label(SF_PHONE),
				  _("\"%s\" is not a phone number (10 or 11 digits, starting with 0 or +84)"),
				  s->phone);
	check_id(s, row, p);
	check_codes(s, row, p);
	check_date_field(s, SF_BIRTH_DATE, today, row, p);
	check_date_field(s, SF_ID_ISSUED_ON, today, row, p);
	check_date_field(s, SF_SINCE, today, row, p);
	if (!text_is_blank(s->birth_date)) {
		static const enum subscriber_field after_birth[] = { SF_ID_ISSUED_ON, SF_SINCE };
		char b[11], d[11];

		for (i = 0; i < sizeof(after_birth) / sizeof(after_birth[0]); i++) {
			const char *v = cfield(s, after_birth[i]);

			if (!text_is_blank(v) && !date_parse(s->birth_date, b) &&
			    !date_parse(v, d) && strcmp(d, b) < 0)
				kyso_problems_add(p, row, subscriber_field_label(after_birth[i]),
						  "%s", _("is before the date of birth"));
		}
	}
	return (int)(kyso_problems_found(p) - before);
}

int subscriber_find_by(struct kyso_db *db, int by_email, const char *value,
		       struct subscriber_hit *hit, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(hit, 0, sizeof(*hit));
	if (text_is_blank(value))
		return 0;
	/* Usually no row or one; no ORDER BY, so no sorter is opened for each lookup. */
	if (db_cached(db, by_email
			       ? "SELECT id, status, departed_on, import_id, import_row FROM subscriber "
				 "WHERE email = ?"
			       : "SELECT id, status, departed_on, import_id, import_row FROM subscriber "
				 "WHERE id_number = ?",
		       &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);

		if (!subscriber_departed((const char *)sqlite3_column_text(st, 1))) {
			hit->id = id;
			hit->import_id = sqlite3_column_int64(st, 3);
			hit->import_row = (long)sqlite3_column_int64(st, 4);
		} else if (id > hit->departed_id) {
			/* the latest departure is the one to name */
			hit->departed_id = id;
			snprintf(hit->departed_on, sizeof(hit->departed_on), "%s",
				 sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2)
							    : "");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("looking up a subscriber"));
	return 0;
}

/* Resolves s->unit to s->unit_id; a missing unit is a problem. */
static int resolve_unit(struct kyso_db *db, struct subscriber *s, long row,
			struct kyso_problems *p, struct kyso_err *err)
{
	struct kyso_err e;
	int rc;

	if (text_is_blank(s->unit)) {
		s->unit_id = 0;
		return 0;
	}
	rc = unit_find(db, s->unit, &s->unit_id, &e);
	if (rc == KYSO_ENOTFOUND || rc == KYSO_EINVAL) {
		kyso_problems_add(p, row, subscriber_field_label(SF_UNIT), "%s", e.msg);
		return 0;
	}
	if (rc && err)
		*err = e;
	return rc;
}

int subscriber_validate(struct kyso_db *db, const struct subscriber *s, long row,
			struct kyso_problems *problems)
{
	size_t before = kyso_problems_found(problems);
	struct subscriber_hit hit;
	char *domain = NULL, today[11];
	struct kyso_err err;

	db_today(today);
	if (agency_email_domain(db, &domain, &err)) {
		kyso_problems_add(problems, row, "", "%s", err.msg);
		return 1;
	}
	subscriber_check_fields(s, domain, today, row, problems);
	free(domain);
	if (!text_is_blank(s->id_number) && !subscriber_find_by(db, 0, s->id_number, &hit, NULL) &&
	    hit.id && hit.id != s->id)
		kyso_problems_add(problems, row, subscriber_field_label(SF_ID_NUMBER),
				  _("\"%s\" already belongs to active subscriber #%lld"),
				  s->id_number, hit.id);
	if (!text_is_blank(s->email) && !subscriber_find_by(db, 1, s->email, &hit, NULL) && hit.id &&
	    hit.id != s->id)
		kyso_problems_add(problems, row, subscriber_field_label(SF_EMAIL),
				  _("\"%s\" already belongs to active subscriber #%lld"), s->email,
				  hit.id);
	return (int)(kyso_problems_found(problems) - before);
}

/* Writing ------------------------------------------------------------------------- */

static int fts_write(struct kyso_db *db, int is_delete, long long id, const char *fold,
		     const char *id_number, const char *phone, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_cached(db, is_delete
			       ? "INSERT INTO subscriber_fts(subscriber_fts, rowid, name_fold, "
				 "id_number, phone) VALUES ('delete', ?, ?, ?, ?)"
			       : "INSERT INTO subscriber_fts(rowid, name_fold, id_number, phone) "
				 "VALUES (?, ?, ?, ?)",
		       &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id_number, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, phone, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("updating the search index"));
	return 0;
}

/* The columns a write sets, in the order bind_fields binds them from ?1. */
#define WRITE_COLUMNS                                                                     \
	"kind, name, name_fold, sort_key, unit_id, position, id_number, id_issued_on, "       \
	"id_issued_by, birth_date, email, phone, address, tax_code, budget_code, identifier, " \
	"purpose, owner, note, since_on, import_id, import_row, updated_at"
#define WRITE_NCOLS 23

static int bind_fields(sqlite3_stmt *st, const struct subscriber *s, const char *fold,
		       const unsigned char *key, size_t keylen, const char *now)
{
	static const enum subscriber_field text_after_unit[] = {
		SF_POSITION, SF_ID_NUMBER, SF_ID_ISSUED_ON, SF_ID_ISSUED_BY, SF_BIRTH_DATE, SF_EMAIL,
		SF_PHONE, SF_ADDRESS, SF_TAX_CODE, SF_BUDGET_CODE, SF_IDENTIFIER, SF_PURPOSE,
		SF_OWNER, SF_NOTE, SF_SINCE,
	};
	int i = 1;
	size_t k;

	sqlite3_bind_text(st, i++, subscriber_kind_name(s->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, fold, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, i++, key, (int)keylen, SQLITE_STATIC);
	if (s->unit_id > 0)
		sqlite3_bind_int64(st, i, s->unit_id);
	i++;
	for (k = 0; k < sizeof(text_after_unit) / sizeof(text_after_unit[0]); k++) {
		const char *v = cfield(s, text_after_unit[k]);

		sqlite3_bind_text(st, i++, text_is_blank(v) ? NULL : v, -1, SQLITE_STATIC);
	}
	if (s->import_id > 0) {
		sqlite3_bind_int64(st, i, s->import_id);
		sqlite3_bind_int64(st, i + 1, s->import_row);
	}
	i += 2;
	sqlite3_bind_text(st, i++, now, -1, SQLITE_STATIC);
	return i;
}

/* A batch of name-word counts: words sorted for bsearch, few (the words of names). */
struct word_counts {
	struct word_count {
		char *word;
		long delta;
		unsigned char *first_key; /* the smallest sort key met, or NULL */
		size_t first_len;
	} *items;
	size_t n, cap;
};

static int word_count_cmp(const void *key, const void *item)
{
	return strcmp(key, ((const struct word_count *)item)->word);
}

static int key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

/* Lowers *first to key when key sorts before it (or when there is none yet). */
static int lower_key(unsigned char **first, size_t *first_len, const unsigned char *key,
		     size_t len)
{
	unsigned char *copy;

	if (*first && key_cmp(key, len, *first, *first_len) >= 0)
		return 0;
	copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, key, len);
	free(*first);
	*first = copy;
	*first_len = len;
	return 0;
}

static int batch_add(struct word_counts *b, const char *word, size_t len, int delta,
		     const unsigned char *key, size_t keylen)
{
	char w[160];
	struct word_count *hit;
	size_t lo = 0, hi = b->n, mid;

	if (len + 1 > sizeof(w))
		return 0;
	memcpy(w, word, len);
	w[len] = '\0';
	hit = b->n ? bsearch(w, b->items, b->n, sizeof(*b->items), word_count_cmp) : NULL;
	if (!hit) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 256;
			struct word_count *items = realloc(b->items, cap * sizeof(*items));

			if (!items)
				return -1;
			b->items = items;
			b->cap = cap;
		}
		while (lo < hi) { /* where the new word goes */
			mid = (lo + hi) / 2;
			if (strcmp(b->items[mid].word, w) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(b->items + lo + 1, b->items + lo, (b->n - lo) * sizeof(*b->items));
		hit = &b->items[lo];
		memset(hit, 0, sizeof(*hit));
		if (!(hit->word = strdup(w))) {
			memmove(b->items + lo, b->items + lo + 1, (b->n - lo) * sizeof(*b->items));
			return -1;
		}
		b->n++;
	}
	hit->delta += delta;
	return key ? lower_key(&hit->first_key, &hit->first_len, key, keylen) : 0;
}

/* key: the sort key of the name that holds the word (NULL when the word is leaving). */
static int write_word(struct kyso_db *db, const char *word, int len, long delta,
		      const unsigned char *key, size_t keylen, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_cached(db, "INSERT INTO name_word(word, rows, first_key) VALUES (?1, ?2, "
			  "coalesce(?3, x'')) ON CONFLICT(word) DO UPDATE SET "
			  "rows = rows + excluded.rows, first_key = CASE WHEN ?3 IS NOT NULL AND "
			  "?3 < first_key THEN ?3 ELSE first_key END", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, word, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, delta);
	if (key)
		sqlite3_bind_blob(st, 3, key, (int)keylen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("updating the search index"));
}

int subscriber_batch_begin(struct kyso_db *db, struct kyso_err *err)
{
	if (db->word_counts)
		return 0;
	db->word_counts = calloc(1, sizeof(*db->word_counts));
	return db->word_counts ? 0 : kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
}

int subscriber_batch_end(struct kyso_db *db, int write, struct kyso_err *err)
{
	struct word_counts *b = db->word_counts;
	size_t i;
	int rc = 0;

	if (!b)
		return 0;
	db->word_counts = NULL;
	for (i = 0; i < b->n; i++) {
		struct word_count *w = &b->items[i];

		if (write && !rc && (w->delta || w->first_key))
			rc = write_word(db, w->word, -1, w->delta, w->first_key, w->first_len, err);
		free(w->word);
		free(w->first_key);
	}
	free(b->items);
	free(b);
	return rc;
}

/* Adds delta to the count of each distinct word of a folded name (see name_word); key is
 * the name's sort key when it joins (NULL when it leaves). */
static int count_words(struct kyso_db *db, const char *fold, int delta,
		       const unsigned char *key, size_t keylen, struct kyso_err *err)
{
	const char *words[16];
	size_t lens[16], pos = 0, start, len;
	int n = 0, i, j, rc;

	while (n < 16 && text_next_word(fold, &pos, &start, &len)) {
		words[n] = fold + start;
		lens[n] = len;
		for (j = 0; j < n; j++)
			if (lens[j] == lens[n] && !memcmp(words[j], words[n], lens[n]))
				break;
		if (j == n)
			n++;
	}
	for (i = 0; i < n; i++) {
		if (db->word_counts)
			rc = batch_add(db->word_counts, words[i], lens[i], delta, key, keylen)
				     ? kyso_fail(err, KYSO_ENOMEM, _("out of memory"))
				     : 0;
		else
			rc = write_word(db, words[i], (int)lens[i], delta, key, keylen, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Counts new subscriber s in subscriber_tally as subscriber_insert_tx stored it (active,
 * the unit or 0, the e-mail's host or '').  The other changes are counted by migration
 * 2's triggers; this one is not since migration 5 (see there why), and its values are
 * bound rather than selected from the row, since an INSERT ... SELECT would take the
 * statement journal again. */
static int tally_count_new(struct kyso_db *db, const struct subscriber *s,
			   struct kyso_err *err)
{
	sqlite3_stmt *st;

	if (db_cached(db, "INSERT INTO subscriber_tally VALUES (?1, 'active', ?2,"
			  " coalesce(substr(?3, instr(?3, '@') + 1), ''), 1)"
			  " ON CONFLICT DO UPDATE SET n = n + 1", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, subscriber_kind_name(s->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->unit_id > 0 ? s->unit_id : 0);
	if (!text_is_blank(s->email))
		sqlite3_bind_text(st, 3, s->email, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(db, err, _("adding a subscriber"));
	sqlite3_reset(st);
	return 0;
}

int subscriber_insert_tx(struct kyso_db *db, struct subscriber *s, const char *event_kind,
			 const char *event_detail, struct kyso_err *err)
{
	sqlite3_stmt *st = NULL;
	char *fold = text_fold(s->name), now[21];
	size_t keylen = 0;
	unsigned char *key = text_sort_key(s->name, s->kind == KIND_PERSON, &keylen);
	int rc;

	if (!fold || !key) {
		rc = kyso_fail(err, KYSO_EIO, _("cannot fold or collate \"%s\""), s->name);
		goto out;
	}
	if ((rc = db_cached(db, "INSERT INTO subscriber(" WRITE_COLUMNS ", created_at) VALUES ("
				 "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
				 "?20,?21,?22,?23,?23)", &st, err)))
		goto out;
	db_now(now);
	bind_fields(st, s, fold, key, keylen, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(db, err, _("adding a subscriber"));
		goto out;
	}
	s->id = sqlite3_last_insert_rowid(db->sql);
	s->version = 1;
	if ((rc = tally_count_new(db, s, err)) ||
	    (rc = fts_write(db, 0, s->id, fold, s->id_number, s->phone, err)) ||
	    (rc = count_words(db, fold, 1, key, keylen, err)))
		goto out;
	rc = event_add(db, event_kind, s->id, NULL, event_detail, err);
out:
	if (st)
		sqlite3_reset(st);
	free(fold);
	free(key);
	return rc;
}

/* A stale edit: the row is at version current, the caller read version yours. */
static int stale(struct kyso_err *err, long long id, long current, long yours)
{
	return kyso_fail(err, KYSO_ECONFLICT,
			 _("subscriber #%lld was changed by someone else since you read it (version %ld, yours %ld); nothing was saved"),
			 id, current, yours);
}

/* Reads the indexed columns of id (for taking its old words out of the index). */
static int read_indexed(struct kyso_db *db, long long id, char *cols[3], long *version,
			struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc, i;

	if (db_prepare(db, "SELECT name_fold, id_number, phone, version FROM subscriber "
			   "WHERE id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		for (i = 0; i < 3; i++)
			cols[i] = sqlite3_column_text(st, i)
					  ? strdup((const char *)sqlite3_column_text(st, i))
					  : NULL;
		*version = (long)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no subscriber #%lld"), id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading a subscriber"));
	return 0;
}

int subscriber_update_tx(struct kyso_db *db, struct subscriber *s, const char *event_kind,
			 const char *event_detail, struct kyso_err *err)
{
	sqlite3_stmt *st = NULL;
	char *old[3] = { 0 }, *fold = text_fold(s->name), now[21];
	unsigned char *key = NULL;
	size_t keylen = 0;
	long current = 0;
	int rc, i;

	key = text_sort_key(s->name, s->kind == KIND_PERSON, &keylen);
	if (!fold || !key) {
		rc = kyso_fail(err, KYSO_EIO, _("cannot fold or collate \"%s\""), s->name);
		goto out;
	}
	if ((rc = read_indexed(db, s->id, old, &current, err)))
		goto out;
	if (current != s->version) {
		rc = stale(err, s->id, current, s->version);
		goto out;
	}
	if ((rc = db_prepare(db, "UPDATE subscriber SET (" WRITE_COLUMNS ") = ("
				 "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
				 "?20,coalesce(?21, import_id), coalesce(?22, import_row), ?23), "
				 "version = version + 1 WHERE id = ?24 AND version = ?25", &st, err)))
		goto out;
	db_now(now);
	bind_fields(st, s, fold, key, keylen, now);
	sqlite3_bind_int64(st, WRITE_NCOLS + 1, s->id);
	sqlite3_bind_int64(st, WRITE_NCOLS + 2, s->version);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(db, err, _("saving a subscriber"));
		goto out;
	}
	s->version++;
	if ((rc = fts_write(db, 1, s->id, old[0], old[1], old[2], err)) ||
	    (rc = fts_write(db, 0, s->id, fold, s->id_number, s->phone, err)))
		goto out;
	/* The words' counts follow the name; their first keys follow the sort key too, which
	 * can move without the folded name changing (Lan -> Lân). */
	if (strcmp(old[0] ? old[0] : "", fold)
		    ? ((rc = count_words(db, old[0], -1, NULL, 0, err)) ||
		       (rc = count_words(db, fold, 1, key, keylen, err)))
		    : (rc = count_words(db, fold, 0, key, keylen, err)))
		goto out;
	/* One person, one name (issue 11.7): the tokens they keep or hold follow. */
	if ((rc = token_people_renamed_tx(db, s->id, err)))
		goto out;
	rc = event_add(db, event_kind, s->id, NULL, event_detail, err);
out:
	for (i = 0; i < 3; i++)
		free(old[i]);
	sqlite3_finalize(st);
	free(fold);
	free(key);
	return rc;
}

static json_t *fields_json(const struct subscriber *s)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "kind", json_string(subscriber_kind_name(s->kind)));
	for (i = SF_NAME; i < SF_COUNT; i++) {
		const char *v = cfield(s, (enum subscriber_field)i);

		if (!text_is_blank(v))
			json_object_set_new(o, fields[i].name, json_string(v));
	}
	return o;
}

static int same(const char *a, const char *b)
{
	if (text_is_blank(a) && text_is_blank(b))
		return 1;
	return !text_is_blank(a) && !text_is_blank(b) && !strcmp(a, b);
}

char *subscriber_changes(const struct subscriber *old, const struct subscriber *new_)
{
	json_t *o = json_object();
	char *text = NULL;
	size_t i;

	if (old->kind != new_->kind)
		json_object_set_new(o, "kind", json_pack("[ss]", subscriber_kind_name(old->kind),
							 subscriber_kind_name(new_->kind)));
	for (i = SF_NAME; i < SF_COUNT; i++) {
		const char *a = cfield(old, (enum subscriber_field)i);
		const char *b = cfield(new_, (enum subscriber_field)i);

		if (i == SF_UNIT) {
			if (old->unit_id == new_->unit_id)
				continue;
		} else if (same(a, b)) {
			continue;
		}
		json_object_set_new(o, fields[i].name,
				    json_pack("[s?s?]", text_is_blank(a) ? NULL : a, text_is_blank(b) ? NULL : b));
	}
	if (json_object_size(o))
		text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

static int audit_subscriber(struct kyso_db *db, const char *action, long long id, json_t *body,
			    struct kyso_err *err)
{
	char subject[32], *text;
	int rc;

	snprintf(subject, sizeof(subject), "subscriber:%lld", id);
	text = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	rc = audit_append(db, action, subject, text, err);
	free(text);
	return rc;
}

int subscriber_add(struct kyso_db *db, struct subscriber *s, struct kyso_problems *problems,
		   struct kyso_err *err)
{
	json_t *body = NULL;
	char *detail = NULL;
	int rc;

	subscriber_normalise(s);
	s->id = 0;
	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = resolve_unit(db, s, 0, problems, err)))
		goto fail;
	if (subscriber_validate(db, s, 0, problems)) {
		rc = kyso_fail(err, KYSO_EINVAL, _("the subscriber was not added"));
		goto fail;
	}
	body = fields_json(s);
	detail = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if ((rc = subscriber_insert_tx(db, s, EVENT_SUBSCRIBER_ADDED, detail, err)) ||
	    (rc = audit_subscriber(db, "subscriber.add", s->id, body, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
	s->id = 0;
out:
	json_decref(body);
	free(detail);
	return rc;
}

int subscriber_get(struct kyso_db *db, long long id, struct subscriber *out,
		   struct kyso_err *err)
{
	static const enum subscriber_field text_cols[] = {
		SF_NAME, SF_UNIT, SF_POSITION, SF_ID_NUMBER, SF_ID_ISSUED_ON, SF_ID_ISSUED_BY,
		SF_BIRTH_DATE, SF_EMAIL, SF_PHONE, SF_ADDRESS, SF_TAX_CODE, SF_BUDGET_CODE,
		SF_IDENTIFIER, SF_PURPOSE, SF_OWNER, SF_NOTE, SF_SINCE,
	};
	sqlite3_stmt *st;
	enum subscriber_kind k = KIND_PERSON;
	size_t i;
	int rc, c;

	subscriber_init(out);
	if (db_prepare(db, "SELECT s.kind, s.name, u.name, s.position, s.id_number, "
			   "s.id_issued_on, s.id_issued_by, s.birth_date, s.email, s.phone, "
			   "s.address, s.tax_code, s.budget_code, s.identifier, s.purpose, s.owner, "
			   "s.note, s.since_on, s.status, s.departed_on, s.departure_note, s.created_at, "
			   "s.updated_at, s.version, coalesce(s.unit_id, 0) "
			   "FROM subscriber s LEFT JOIN unit u ON u.id = s.unit_id WHERE s.id = ?",
		       &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = id;
		subscriber_kind_parse((const char *)sqlite3_column_text(st, 0), &k);
		out->kind = k;
		for (i = 0, c = 1; i < sizeof(text_cols) / sizeof(text_cols[0]); i++, c++)
			*subscriber_field_slot(out, text_cols[i]) = db_column_dup(st, c);
		out->status = db_column_dup(st, c++);
		out->departed_on = db_column_dup(st, c++);
		out->departure_note = db_column_dup(st, c++);
		out->created_at = db_column_dup(st, c++);
		out->updated_at = db_column_dup(st, c++);
		out->version = (long)sqlite3_column_int64(st, c++);
		out->unit_id = sqlite3_column_int64(st, c++);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no subscriber #%lld"), id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading a subscriber"));
	return 0;
}

/* Inside the caller's transaction: validates s against the store and writes what differs
 * from old.  Nothing to change is not an error. */
static int update_locked(struct kyso_db *db, const struct subscriber *old, struct subscriber *s,
			 struct kyso_problems *problems, struct kyso_err *err)
{
	json_t *body = NULL;
	char *changes = NULL;
	int rc;

	if ((rc = resolve_unit(db, s, 0, problems, err)))
		return rc;
	if (subscriber_validate(db, s, 0, problems))
		return kyso_fail(err, KYSO_EINVAL, _("nothing was saved"));
	changes = subscriber_changes(old, s);
	if (!changes)
		return 0;
	body = json_pack("{s:I,s:o?}", "id", (json_int_t)s->id, "changes",
			 json_loads(changes, 0, NULL));
	if (!(rc = subscriber_update_tx(db, s, EVENT_SUBSCRIBER_EDITED, changes, err)))
		rc = audit_subscriber(db, "subscriber.edit", s->id, body, err);
	json_decref(body);
	free(changes);
	return rc;
}

int subscriber_update(struct kyso_db *db, struct subscriber *s, struct kyso_problems *problems,
		      struct kyso_err *err)
{
	struct subscriber old;
	int rc;

	subscriber_init(&old);
	subscriber_normalise(s);
	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = subscriber_get(db, s->id, &old, err)))
		goto fail;
	if (old.version != s->version) {
		rc = stale(err, s->id, old.version, s->version);
		goto fail;
	}
	if ((rc = update_locked(db, &old, s, problems, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	subscriber_free(&old);
	return rc;
}

static int apply_change(struct subscriber *s, const struct subscriber_change *c,
			struct kyso_problems *problems)
{
	char **slot;

	if (c->field == SF_KIND) {
		enum subscriber_kind k;

		if (subscriber_kind_parse(c->value, &k)) {
			kyso_problems_add(problems, 0, subscriber_field_label(SF_KIND),
					  _("\"%s\" is not a kind of subscriber (person, org, device)"),
					  c->value);
			return -1;
		}
		s->kind = k;
		return 0;
	}
	if (c->field < 0 || c->field >= SF_COUNT ||
	    !(slot = subscriber_field_slot(s, (enum subscriber_field)c->field)))
		return -1;
	free(*slot);
	*slot = c->value && *c->value ? strdup(c->value) : NULL;
	if (c->field == SF_UNIT && !*slot)
		s->unit_id = 0;
	return 0;
}

/* Inside the caller's transaction: the departure of s (as read) took place on date
 * instead (issue 11.1).  The departure's event and the follow-ups it opened move with
 * it; a correction event and an audit row keep the earlier date. */
static int correct_departure(struct kyso_db *db, const struct subscriber *s, const char *date,
			     struct kyso_problems *problems, struct kyso_err *err)
{
	static const char *const moves[] = {
		"UPDATE subscriber SET departed_on = ?2, updated_at = ?4, version = version + 1 "
		"WHERE id = ?1",
		"UPDATE event SET on_date = ?2 WHERE id = (SELECT max(id) FROM event WHERE "
		"subscriber_id = ?1 AND kind = 'subscriber.departed' AND on_date = ?3)",
		"UPDATE follow_up SET opened_on = ?2, due_on = ?2 WHERE subscriber_id = ?1 AND "
		"kind = 'departure' AND step_id IS NULL AND opened_on = ?3",
	};
	char iso[11], today[11], now[21], shown[11], subject[32];
	json_t *body;
	size_t i;
	int rc;

	db_today(today);
	if (!subscriber_departed(s->status)) {
		kyso_problems_add(problems, 0, _("Departure date"), "%s",
				  _("the subscriber has not departed: record the departure instead"));
		return kyso_fail(err, KYSO_EINVAL, _("nothing was saved"));
	}
	if (text_is_blank(date)) {
		kyso_problems_add(problems, 0, _("Departure date"), "%s",
				  _("a departure keeps its date; give the date it took place"));
		return kyso_fail(err, KYSO_EINVAL, _("nothing was saved"));
	}
	if (check_past_date(date, _("Departure date"), today, 0, iso, problems))
		return kyso_fail(err, KYSO_EINVAL, _("nothing was saved"));
	if ((!text_is_blank(s->birth_date) && strcmp(iso, s->birth_date) < 0) ||
	    (!text_is_blank(s->since_on) && strcmp(iso, s->since_on) < 0)) {
		kyso_problems_add(problems, 0, _("Departure date"),
				  _("%s is before the subscriber's date of birth or 'since' date"),
				  date_display(iso, shown));
		return kyso_fail(err, KYSO_EINVAL, _("nothing was saved"));
	}
	if (s->departed_on && !strcmp(s->departed_on, iso))
		return 0;
	db_now(now);
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		sqlite3_stmt *st;

		if (db_prepare(db, moves[i], &st, err))
			return KYSO_EIO;
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_text(st, 2, iso, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_text(st, 3, s->departed_on, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 4)
			sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, _("correcting a departure"));
	}
	body = json_pack("{s:I,s:s,s:s?,s:s}", "id", (json_int_t)s->id, "field", "departed_on",
			 "old", s->departed_on, "new", iso);
	snprintf(subject, sizeof(subject), "subscriber:%lld", s->id);
	rc = event_record_audited(db, (struct event_new){ .kind = EVENT_SUBSCRIBER_CORRECTED,
							  .subscriber_id = s->id },
				  "subscriber.correct", subject, body, err);
	json_decref(body);
	return rc;
}

int subscriber_edit(struct kyso_db *db, long long id, const struct subscriber_change *changes,
		    size_t n, long expect_version, struct kyso_problems *problems,
		    struct kyso_err *err)
{
	struct subscriber old, s;
	const char *departed_on = NULL;
	size_t i;
	int rc;

	subscriber_init(&old);
	subscriber_init(&s);
	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = subscriber_get(db, id, &old, err)) || (rc = subscriber_get(db, id, &s, err)))
		goto fail;
	if (expect_version > 0 && expect_version != old.version) {
		rc = stale(err, id, old.version, expect_version);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (changes[i].field == SUBSCRIBER_DEPARTED_ON) {
			departed_on = changes[i].value ? changes[i].value : "";
			continue;
		}
		if (apply_change(&s, &changes[i], problems)) {
			rc = kyso_fail(err, KYSO_EINVAL, _("nothing was saved"));
			goto fail;
		}
	}
	subscriber_normalise(&s);
	if ((rc = update_locked(db, &old, &s, problems, err)) ||
	    (departed_on && (rc = correct_departure(db, &old, departed_on, problems, err))))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	subscriber_free(&old);
	subscriber_free(&s);
	return rc;
}

int subscriber_depart(struct kyso_db *db, long long id, const char *date, const char *reason,
		      const char *note, long expect_version, struct kyso_problems *problems,
		      struct kyso_err *err)
{
	struct subscriber s;
	sqlite3_stmt *st = NULL;
	char iso[11] = "", today[11], now[21], *detail = NULL, shown[11];
	enum subscriber_status reason_status;
	json_t *body = NULL;
	int rc;

	subscriber_init(&s);
	db_today(today);
	if (text_is_blank(reason) || subscriber_status_parse(reason, &reason_status) ||
	    reason_status == STATUS_ACTIVE)
		kyso_problems_add(problems, 0, _("Reason"), "%s",
				  _("must be left, transferred or retired"));
	if (text_is_blank(date))
		kyso_problems_add(problems, 0, _("Date"), "%s", _("is required"));
	else
		check_past_date(date, _("Date"), today, 0, iso, problems);
	if (kyso_problems_found(problems))
		return kyso_fail(err, KYSO_EINVAL, _("the departure was not recorded"));
	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = subscriber_get(db, id, &s, err)))
		goto fail;
	if (expect_version > 0 && expect_version != s.version) {
		rc = stale(err, id, s.version, expect_version);
		goto fail;
	}
	if (subscriber_departed(s.status)) {
		kyso_problems_add(problems, 0, _("Status"), _("already departed on %s (%s)"),
				  date_display(s.departed_on, shown), subscriber_status_label(s.status));
		rc = kyso_fail(err, KYSO_EINVAL, _("the departure was not recorded"));
		goto fail;
	}
	if (!text_is_blank(s.birth_date) && strcmp(iso, s.birth_date) < 0) {
		kyso_problems_add(problems, 0, _("Date"), "%s", _("is before the date of birth"));
		rc = kyso_fail(err, KYSO_EINVAL, _("the departure was not recorded"));
		goto fail;
	}
	if ((rc = db_prepare(db, "UPDATE subscriber SET status = ?1, departed_on = ?2, "
				 "departure_note = ?3, updated_at = ?4, version = version + 1 "
				 "WHERE id = ?5 AND version = ?6", &st, err)))
		goto fail;
	db_now(now);
	sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, iso, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, text_is_blank(note) ? NULL : note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, id);
	sqlite3_bind_int64(st, 6, s.version);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(db, err, _("recording a departure"));
		goto fail;
	}
	body = json_pack("{s:I,s:s,s:s,s:s?}", "id", (json_int_t)id, "reason", reason, "date", iso,
			 "note", text_is_blank(note) ? NULL : note);
	detail = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	/* Art. 14.4: each token the subscriber keeps or owns must be handed over or returned;
	 * the departure stays incomplete on the due list until it is. */
	if ((rc = event_add(db, EVENT_SUBSCRIBER_DEPARTED, id, iso, detail, err)) ||
	    (rc = audit_subscriber(db, "subscriber.depart", id, body, err)) ||
	    (rc = token_departure_tx(db, id, iso, NULL, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	sqlite3_finalize(st);
	subscriber_free(&s);
	json_decref(body);
	free(detail);
	return rc;
}

int subscriber_name_on(struct kyso_db *db, long long id, const char *date, char **name,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*name = NULL;
	if (db_cached(db, "SELECT coalesce((SELECT json_extract(CASE e.kind WHEN"
			  "  'subscriber.import_updated' THEN json_extract(e.detail, '$.changes')"
			  "  ELSE e.detail END, '$.name[0]') AS old FROM event e"
			  "  WHERE e.subscriber_id = s.id AND e.on_date > ?2"
			  "   AND e.kind IN ('subscriber.edited', 'subscriber.import_updated')"
			  "   AND json_valid(e.detail) AND old IS NOT NULL"
			  "  ORDER BY e.on_date, e.id LIMIT 1), s.name)"
			  " FROM subscriber s WHERE s.id = ?1", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, date ? date : "9999-12-31", -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		*name = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no subscriber #%lld"), id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading a subscriber"));
	return *name ? 0 : kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}
