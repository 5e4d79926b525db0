/*
 * agency.c - the agency's profile (one row) and its units (a tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/audit.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/text.h"

#include <jansson.h>

/* The profile's text fields, in the order of the agency table's columns. */
#define PROFILE_FIELDS 13

static void profile_slots(struct agency *a, char **slots[PROFILE_FIELDS])
{
	char **all[PROFILE_FIELDS] = { &a->name, &a->code, &a->parent_body, &a->email_domain,
				       &a->head_name, &a->head_position, &a->focal_name,
				       &a->focal_position, &a->focal_phone, &a->focal_email,
				       &a->recipient, &a->place, &a->address };

	memcpy(slots, all, sizeof(all));
}

void agency_free(struct agency *a)
{
	char **f[PROFILE_FIELDS];
	size_t i;

	profile_slots(a, f);
	for (i = 0; i < PROFILE_FIELDS; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
}

void agency_validate(const struct agency *a, struct kyso_problems *problems)
{
	char why[256], phone[32];
	const char *p;

	if (text_is_blank(a->name))
		kyso_problems_add(problems, 0, _("Agency"), "%s", _("is required"));
	if (text_is_blank(a->code))
		kyso_problems_add(problems, 0, _("Code"), "%s", _("is required"));
	else
		for (p = a->code; *p; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')) {
				kyso_problems_add(problems, 0, _("Code"), "%s",
						  _("only letters without diacritics, digits, '-' and '.' (e.g. SNNMT)"));
				break;
			}
	if (text_is_blank(a->email_domain))
		kyso_problems_add(problems, 0, _("E-mail domain"), "%s", _("is required"));
	else if (check_domain(a->email_domain))
		kyso_problems_add(problems, 0, _("E-mail domain"),
				  _("\"%s\" is not a domain name (e.g. vinhlong.gov.vn)"),
				  a->email_domain);
	if (!text_is_blank(a->focal_email) && !text_is_blank(a->email_domain) &&
	    check_email(a->focal_email, a->email_domain, why, sizeof(why)))
		kyso_problems_add(problems, 0, _("Focal-point e-mail"), "\"%s\" %s",
				  a->focal_email, why);
	check_text(problems, 0, _("Agency"), a->name, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Parent body"), a->parent_body, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Head of agency"), a->head_name, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Head's position"), a->head_position, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Focal-point officer"), a->focal_name, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Focal-point position"), a->focal_position, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Recipient department"), a->recipient, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Place name"), a->place, CHECK_TEXT_MAX);
	check_text(problems, 0, _("Address"), a->address, CHECK_TEXT_MAX);
	if (!text_is_blank(a->focal_phone) && phone_normalise(a->focal_phone, phone, sizeof(phone)))
		kyso_problems_add(problems, 0, _("Focal-point phone"),
				  _("\"%s\" is not a phone number (10 or 11 digits)"),
				  a->focal_phone);
}

/* Cleans every string of a (NFC, spaces) into a copy; returns -1 on invalid UTF-8. */
static int clean_copy(const struct agency *in, struct agency *out,
		      struct kyso_problems *problems)
{
	char **src[PROFILE_FIELDS], **dst[PROFILE_FIELDS];
	size_t i;
	char *p;
	int bad = 0;

	memset(out, 0, sizeof(*out));
	out->version = in->version;
	profile_slots((struct agency *)in, src); /* read only */
	profile_slots(out, dst);
	for (i = 0; i < PROFILE_FIELDS; i++) {
		if (text_is_blank(*src[i]))
			continue;
		*dst[i] = text_clean(*src[i]);
		if (!*dst[i]) {
			kyso_problems_add(problems, 0, "", "%s", _("text is not valid UTF-8"));
			bad = -1;
			continue;
		}
		if (!**dst[i]) {
			free(*dst[i]);
			*dst[i] = NULL;
		}
	}
	for (p = out->email_domain; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	for (p = out->focal_email; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return bad;
}

static char *agency_json(const struct agency *a)
{
	json_t *o = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "name", a->name, "code",
			      a->code, "parent_body", a->parent_body, "email_domain",
			      a->email_domain, "head_name", a->head_name, "focal_name",
			      a->focal_name, "recipient", a->recipient);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return s;
}

static void bind_profile(sqlite3_stmt *st, const struct agency *a)
{
	char **v[PROFILE_FIELDS], now[21];
	int i;

	profile_slots((struct agency *)a, v); /* read only */
	for (i = 0; i < PROFILE_FIELDS; i++)
		sqlite3_bind_text(st, i + 1, *v[i], -1, SQLITE_TRANSIENT);
	db_now(now);
	sqlite3_bind_text(st, PROFILE_FIELDS + 1, now, -1, SQLITE_TRANSIENT);
}

static int save_profile(struct kyso_db *db, const struct agency *in, int is_init,
			struct kyso_problems *problems, struct kyso_err *err)
{
	struct agency a;
	sqlite3_stmt *st = NULL;
	char *payload = NULL;
	int rc;

	if (clean_copy(in, &a, problems)) {
		agency_free(&a);
		return kyso_fail(err, KYSO_EINVAL, _("the agency profile was not saved"));
	}
	if (a.focal_phone) {
		char phone[32];

		if (!phone_normalise(a.focal_phone, phone, sizeof(phone))) {
			free(a.focal_phone);
			a.focal_phone = strdup(phone);
		}
	}
	agency_validate(&a, problems);
	if (kyso_problems_found(problems)) {
		agency_free(&a);
		return kyso_fail(err, KYSO_EINVAL, _("the agency profile was not saved"));
	}
	if ((rc = db_begin(db, err)))
		goto out;
	if (is_init)
		rc = db_prepare(db, "INSERT INTO agency(id, name, code, parent_body, email_domain, "
				"head_name, head_position, focal_name, focal_position, focal_phone, "
				"focal_email, recipient, place, address, created_at, updated_at) "
				"VALUES (1,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14) "
				"ON CONFLICT(id) DO NOTHING", &st, err);
	else
		rc = db_prepare(db, "UPDATE agency SET name=?1, code=?2, parent_body=?3, "
				"email_domain=?4, head_name=?5, head_position=?6, focal_name=?7, "
				"focal_position=?8, focal_phone=?9, focal_email=?10, recipient=?11, "
				"place=?12, address=?13, updated_at=?14, version=version+1 "
				"WHERE id=1 AND version=?15", &st, err);
	if (rc)
		goto fail;
	bind_profile(st, &a);
	if (!is_init)
		sqlite3_bind_int64(st, 15, a.version);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(db, err, _("saving the agency profile"));
		goto fail;
	}
	if (sqlite3_changes(db->sql) == 0) {
		rc = is_init ? kyso_fail(err, KYSO_ECONFLICT,
					 _("the agency is already set up; use `kyso agency edit`"))
			     : kyso_fail(err, KYSO_ECONFLICT,
					 _("the agency profile was changed by someone else since it was read; nothing was saved"));
		goto fail;
	}
	payload = agency_json(&a);
	if ((rc = audit_append(db, is_init ? "agency.init" : "agency.edit", "agency", payload,
			       err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	sqlite3_finalize(st);
	free(payload);
	agency_free(&a);
	return rc;
}

int agency_init(struct kyso_db *db, const struct agency *a, struct kyso_problems *problems,
		struct kyso_err *err)
{
	return save_profile(db, a, 1, problems, err);
}

int agency_update(struct kyso_db *db, const struct agency *a, struct kyso_problems *problems,
		  struct kyso_err *err)
{
	return save_profile(db, a, 0, problems, err);
}

int agency_get(struct kyso_db *db, struct agency *out, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_prepare(db, "SELECT name, code, parent_body, email_domain, head_name, "
			   "head_position, focal_name, focal_position, focal_phone, focal_email, "
			   "recipient, place, address, version FROM agency WHERE id = 1", &st, err))
		return KYSO_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char **f[PROFILE_FIELDS];
		int i;

		profile_slots(out, f);
		for (i = 0; i < PROFILE_FIELDS; i++)
			*f[i] = db_column_dup(st, i);
		out->version = sqlite3_column_int64(st, PROFILE_FIELDS);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND,
				 _("the agency is not set up yet: run `kyso init --agency NAME --code CODE --email-domain DOMAIN`"));
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("reading the agency profile"));
	return 0;
}

int agency_email_domain(struct kyso_db *db, char **domain, struct kyso_err *err)
{
	struct agency a;
	int rc = agency_get(db, &a, err);

	*domain = NULL;
	if (rc)
		return rc;
	*domain = a.email_domain;
	a.email_domain = NULL;
	agency_free(&a);
	return 0;
}

/* Units ----------------------------------------------------------------------------- */

/* Folded, cleaned name: the unit's identity. */
static char *unit_fold(const char *name)
{
	char *clean = text_clean(name), *fold;

	if (!clean)
		return NULL;
	fold = text_fold(clean);
	free(clean);
	return fold;
}

int unit_find(struct kyso_db *db, const char *name_or_id, long long *id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	const char *p = name_or_id;
	char *fold;
	int rc;

	*id = 0;
	if (!p || !*p)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no unit named"));
	if (*p == '#')
		p++;
	if (is_digits(p)) {
		if (db_prepare(db, "SELECT id FROM unit WHERE id = ?", &st, err))
			return KYSO_EIO;
		sqlite3_bind_int64(st, 1, atoll(p));
	} else {
		fold = unit_fold(name_or_id);
		if (!fold)
			return kyso_fail(err, KYSO_EINVAL, _("unit name is not valid UTF-8"));
		if (db_prepare(db, "SELECT id FROM unit WHERE name_fold = ?", &st, err)) {
			free(fold);
			return KYSO_EIO;
		}
		sqlite3_bind_text(st, 1, fold, -1, SQLITE_TRANSIENT);
		free(fold);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return kyso_fail(err, KYSO_ENOTFOUND, _("no unit \"%s\" (see `kyso unit list`)"),
				 name_or_id);
	if (rc != SQLITE_ROW)
		return db_fail(db, err, _("finding a unit"));
	return 0;
}

/* Inside a transaction: is `ancestor` unit_id or one of its ancestors? */
static int is_ancestor_or_self(struct kyso_db *db, long long ancestor, long long unit_id)
{
	sqlite3_stmt *st;
	int found = 0;

	if (db_prepare(db, "WITH RECURSIVE up(id, parent_id) AS ("
			   " SELECT id, parent_id FROM unit WHERE id = ?1"
			   " UNION SELECT u.id, u.parent_id FROM unit u JOIN up ON u.id = up.parent_id)"
			   " SELECT 1 FROM up WHERE id = ?2", &st, NULL))
		return 1;
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_int64(st, 2, ancestor);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Inserts a unit inside the caller's transaction; KYSO_EINVAL when the name is taken. */
static int unit_insert_tx(struct kyso_db *db, const char *clean, long long parent_id,
			  const char *code, long long *id, struct kyso_err *err)
{
	sqlite3_stmt *st = NULL;
	char *fold = unit_fold(clean), now[21];
	size_t keylen = 0;
	unsigned char *key = text_sort_key(clean, 0, &keylen);
	int rc = 0;

	if (!fold || !key) {
		rc = kyso_fail(err, KYSO_EINVAL, _("unit name is not valid UTF-8"));
		goto out;
	}
	if ((rc = check_text_err(err, _("Unit"), clean, UNIT_NAME_MAX)) ||
	    (rc = check_text_err(err, _("Unit code"), code, UNIT_NAME_MAX)))
		goto out;
	if ((rc = db_prepare(db, "INSERT INTO unit(parent_id, name, name_fold, code, created_at, "
				 "updated_at, sort_key) VALUES (?,?,?,?,?,?5,?6) "
				 "ON CONFLICT(name_fold) DO NOTHING", &st, err)))
		goto out;
	db_now(now);
	if (parent_id)
		sqlite3_bind_int64(st, 1, parent_id);
	sqlite3_bind_text(st, 2, clean, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, fold, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, code && *code ? code : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 6, key, (int)keylen, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_fail(db, err, _("adding a unit"));
		goto out;
	}
	if (sqlite3_changes(db->sql) == 0) {
		rc = kyso_fail(err, KYSO_EINVAL, _("a unit named \"%s\" already exists"), clean);
		goto out;
	}
	*id = sqlite3_last_insert_rowid(db->sql);
out:
	sqlite3_finalize(st);
	free(fold);
	free(key);
	return rc;
}

static char *unit_payload(long long id, const char *name, long long parent_id, const char *code)
{
	json_t *o = json_pack("{s:I,s:s?,s:I,s:s?}", "id", (json_int_t)id, "name", name,
			      "parent_id", (json_int_t)parent_id, "code", code);
	char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return payload;
}

int unit_ensure_tx(struct kyso_db *db, const char *name, long long *id, int *added,
		   struct kyso_err *err)
{
	char *clean = text_clean(name), *payload = NULL;
	int rc;

	*added = 0;
	if (!clean || !*clean) {
		free(clean);
		return kyso_fail(err, KYSO_EINVAL, _("a unit needs a name"));
	}
	rc = unit_find(db, clean, id, err);
	if (rc == KYSO_ENOTFOUND) {
		rc = unit_insert_tx(db, clean, 0, NULL, id, err);
		if (!rc) {
			*added = 1;
			payload = unit_payload(*id, clean, 0, NULL);
			rc = audit_append(db, "unit.add", "unit", payload, err);
		}
	}
	free(clean);
	free(payload);
	return rc;
}

int unit_add(struct kyso_db *db, const char *name, const char *parent, const char *code,
	     long long *id, struct kyso_err *err)
{
	char *clean = name ? text_clean(name) : NULL, *payload = NULL;
	long long parent_id = 0;
	int rc;

	if (!clean || !*clean) {
		rc = kyso_fail(err, KYSO_EINVAL, clean ? _("a unit needs a name")
						       : _("unit name is not valid UTF-8"));
		goto out;
	}
	if ((rc = db_begin(db, err)))
		goto out;
	if ((parent && *parent && (rc = unit_find(db, parent, &parent_id, err))) ||
	    (rc = unit_insert_tx(db, clean, parent_id, code, id, err)))
		goto fail;
	payload = unit_payload(*id, clean, parent_id, code);
	if ((rc = audit_append(db, "unit.add", "unit", payload, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	free(clean);
	free(payload);
	return rc;
}

int unit_edit(struct kyso_db *db, long long id, const char *name, const char *parent,
	      const char *code, long expect_version, struct kyso_err *err)
{
	char *clean = NULL, *fold = NULL, now[21], *payload = NULL;
	unsigned char *key = NULL;
	size_t keylen = 0;
	long long parent_id = -1; /* -1: unchanged */
	sqlite3_stmt *st = NULL;
	long version = 0;
	int rc;

	if (name) {
		clean = text_clean(name);
		if (!clean || !*clean) {
			rc = kyso_fail(err, KYSO_EINVAL, _("a unit needs a name"));
			goto out;
		}
		fold = text_fold(clean);
	}
	if ((rc = check_text_err(err, _("Unit"), clean, UNIT_NAME_MAX)) ||
	    (rc = check_text_err(err, _("Unit code"), code, UNIT_NAME_MAX)))
		goto out;
	if ((rc = db_begin(db, err)))
		goto out;
	if ((rc = db_prepare(db, "SELECT version FROM unit WHERE id = ?", &st, err)))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = kyso_fail(err, KYSO_ENOTFOUND, _("no unit #%lld"), id);
		goto fail;
	}
	version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (expect_version > 0 && expect_version != version) {
		rc = kyso_fail(err, KYSO_ECONFLICT,
			       _("unit #%lld was changed by someone else (version %ld, you had %ld); nothing was saved"),
			       id, version, expect_version);
		goto fail;
	}
	if (parent) {
		parent_id = 0;
		if (*parent && (rc = unit_find(db, parent, &parent_id, err)))
			goto fail;
		if (parent_id && is_ancestor_or_self(db, id, parent_id)) {
			rc = kyso_fail(err, KYSO_EINVAL,
				       _("a unit cannot be placed under itself or one of its own sub-units"));
			goto fail;
		}
	}
	if ((rc = db_prepare(db, "UPDATE unit SET name = coalesce(?1, name), "
				 "name_fold = coalesce(?2, name_fold), "
				 "sort_key = coalesce(?8, sort_key), "
				 "parent_id = CASE WHEN ?3 < 0 THEN parent_id WHEN ?3 = 0 THEN NULL ELSE ?3 END, "
				 "code = CASE WHEN ?4 IS NULL THEN code WHEN ?4 = '' THEN NULL ELSE ?4 END, "
				 "updated_at = ?5, version = version + 1 WHERE id = ?6 AND version = ?7",
			     &st, err)))
		goto fail;
	db_now(now);
	sqlite3_bind_text(st, 1, clean, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fold, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, parent_id);
	sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, id);
	sqlite3_bind_int64(st, 7, version);
	if (clean) {
		key = text_sort_key(clean, 0, &keylen);
		if (key)
			sqlite3_bind_blob(st, 8, key, (int)keylen, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT || sqlite3_extended_errcode(db->sql) == SQLITE_CONSTRAINT_UNIQUE) {
		rc = kyso_fail(err, KYSO_EINVAL, _("a unit named \"%s\" already exists"), clean);
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("editing a unit"));
		goto fail;
	}
	payload = unit_payload(id, clean, parent_id, code);
	if ((rc = audit_append(db, "unit.edit", "unit", payload, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	sqlite3_finalize(st);
	free(clean);
	free(fold);
	free(key);
	free(payload);
	return rc;
}

struct unit_node {
	struct unit u;
	char *name, *code;
	unsigned char *key;
	size_t keylen;
};

static int node_cmp(const void *a, const void *b)
{
	const struct unit_node *x = a, *y = b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

static int walk(struct unit_node *nodes, size_t n, long long parent, int depth,
		int (*fn)(const struct unit *u, void *ctx), void *ctx)
{
	size_t i;
	int rc;

	if (depth > 64)
		return 0; /* a cycle cannot be made through unit_edit; stop all the same */
	for (i = 0; i < n; i++) {
		if (nodes[i].u.parent_id != parent)
			continue;
		nodes[i].u.depth = depth;
		if ((rc = fn(&nodes[i].u, ctx)))
			return rc;
		if ((rc = walk(nodes, n, nodes[i].u.id, depth + 1, fn, ctx)))
			return rc;
	}
	return 0;
}

int unit_list(struct kyso_db *db, int (*fn)(const struct unit *u, void *ctx), void *ctx,
	      struct kyso_err *err)
{
	sqlite3_stmt *st;
	struct unit_node *nodes = NULL, *nn;
	size_t n = 0, cap = 0, i;
	int rc;

	if (db_prepare(db, "SELECT u.id, coalesce(u.parent_id, 0), u.name, u.code, u.version, "
			   /* active, in the unit and the units under it (as its roster) */
			   "(SELECT coalesce(sum(t.n), 0) FROM subscriber_tally t "
			   "WHERE t.status = 'active' AND t.unit_id IN (WITH RECURSIVE "
			   "subtree(id) AS (SELECT u.id UNION SELECT c.id FROM unit c JOIN subtree "
			   "ON c.parent_id = subtree.id) SELECT id FROM subtree)) FROM unit u", &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			nn = realloc(nodes, cap * sizeof(*nodes));
			if (!nn) {
				rc = SQLITE_NOMEM;
				break;
			}
			nodes = nn;
		}
		nn = &nodes[n++];
		memset(nn, 0, sizeof(*nn));
		nn->u.id = sqlite3_column_int64(st, 0);
		nn->u.parent_id = sqlite3_column_int64(st, 1);
		nn->name = strdup((const char *)sqlite3_column_text(st, 2));
		nn->code = sqlite3_column_text(st, 3) ? strdup((const char *)sqlite3_column_text(st, 3))
						      : NULL;
		nn->u.version = sqlite3_column_int64(st, 4);
		nn->u.subscribers = sqlite3_column_int64(st, 5);
		nn->key = text_sort_key(nn->name, 0, &nn->keylen);
		if (!nn->key)
			nn->key = (unsigned char *)strdup(""), nn->keylen = 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = db_fail(db, err, _("reading units"));
		goto out;
	}
	for (i = 0; i < n; i++) {
		nodes[i].u.name = nodes[i].name;
		nodes[i].u.code = nodes[i].code;
	}
	if (n > 1)
		qsort(nodes, n, sizeof(*nodes), node_cmp);
	for (i = 0; i < n; i++) {
		nodes[i].u.name = nodes[i].name;
		nodes[i].u.code = nodes[i].code;
	}
	rc = walk(nodes, n, 0, 0, fn, ctx);
	rc = rc > 0 ? 0 : rc;
out:
	for (i = 0; i < n; i++) {
		free(nodes[i].name);
		free(nodes[i].code);
		free(nodes[i].key);
	}
	free(nodes);
	return rc;
}
