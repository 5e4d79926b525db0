/*
 * audit.c - the hash-chained audit log.
 *
 * hash(n) = SHA-256 over hash(n-1) and row n's fields, each written as "<length>:<bytes>"
 * so that no two different rows hash the same text.  The head of the chain (last seq and
 * hash) is also kept in the setting table, so that cutting rows off the end shows too.
 * Rows are only ever appended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "kyso/audit.h"
#include "kyso/i18n.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define HEAD_KEY "audit.head"

static void feed(EVP_MD_CTX *md, const char *s)
{
	char len[24];
	size_t n = s ? strlen(s) : 0;

	snprintf(len, sizeof(len), "%zu:", n);
	EVP_DigestUpdate(md, len, strlen(len));
	if (n)
		EVP_DigestUpdate(md, s, n);
}

static int row_hash(const char *prev, long seq, const char *at, const char *actor,
		    const char *action, const char *subject, const char *payload, char out[65])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char bin[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char seqs[24];
	int ok;

	if (!md)
		return -1;
	snprintf(seqs, sizeof(seqs), "%ld", seq);
	ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
	if (ok) {
		feed(md, prev);
		feed(md, seqs);
		feed(md, at);
		feed(md, actor);
		feed(md, action);
		feed(md, subject);
		feed(md, payload);
		ok = EVP_DigestFinal_ex(md, bin, &n) == 1;
	}
	EVP_MD_CTX_free(md);
	if (!ok)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", bin[i]);
	return 0;
}

int audit_append(struct kyso_db *db, const char *action, const char *subject,
		 const char *payload, struct kyso_err *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65] = GENESIS, hash[65], at[21], head[96];
	long seq = 1;
	int rc;

	if (db_prepare(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, err))
		return KYSO_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the audit log"));

	db_now(at);
	if (row_hash(prev, seq, at, db->actor, action, subject, payload, hash))
		return kyso_fail(err, KYSO_EIO, _("SHA-256 failed"));
	if (db_prepare(db, "INSERT INTO audit(seq, at, actor, action, subject, payload, "
			   "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, payload, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("writing the audit log"));
	snprintf(head, sizeof(head), "%ld:%s", seq, hash);
	return setting_set(db, HEAD_KEY, head, err);
}

static void bad(struct audit_report *r, long seq, const char *reason)
{
	r->bad_seq = seq;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
}

int audit_verify(struct kyso_db *db, struct audit_report *report, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char prev[65] = GENESIS, hash[65], *head;
	long expect = 1, seq = 0;
	int rc;

	memset(report, 0, sizeof(*report));
	if (db_prepare(db, "SELECT seq, at, actor, action, subject, payload, prev_hash, hash "
			   "FROM audit ORDER BY seq", &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *f[8];
		int i;

		seq = sqlite3_column_int64(st, 0);
		for (i = 1; i < 8; i++)
			f[i] = (const char *)sqlite3_column_text(st, i);
		report->rows++;
		if (seq != expect) {
			bad(report, expect, _("row missing (deleted)"));
			break;
		}
		if (!f[6] || strcmp(f[6], prev)) {
			bad(report, seq, _("does not follow the previous row"));
			break;
		}
		if (row_hash(prev, seq, f[1], f[2], f[3], f[4], f[5], hash)) {
			sqlite3_finalize(st);
			return kyso_fail(err, KYSO_EIO, _("SHA-256 failed"));
		}
		if (!f[7] || strcmp(f[7], hash)) {
			bad(report, seq, _("content does not match its hash (edited)"));
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		expect++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the audit log"));
	if (report->bad_seq)
		return 0;

	/* The last rows deleted leave an intact but shorter chain: compare with the head. */
	head = setting_get(db, HEAD_KEY);
	if (head) {
		long head_seq = atol(head);
		const char *h = strchr(head, ':');

		if (head_seq != seq || !h || strcmp(h + 1, prev))
			bad(report, head_seq > seq ? seq + 1 : head_seq,
			    _("the chain ends before its recorded head (rows removed at the end)"));
		free(head);
	} else if (seq > 0) {
		bad(report, seq, _("the chain's head is missing"));
	}
	return 0;
}

int audit_list(struct kyso_db *db, long limit,
	       int (*fn)(const struct audit_row *row, void *ctx), void *ctx,
	       struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "SELECT seq, at, actor, action, subject, payload, hash FROM audit "
			   "WHERE seq > (SELECT coalesce(max(seq), 0) FROM audit) - ? "
			   "ORDER BY seq", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : (sqlite3_int64)1 << 62);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_row r = {
			.seq = sqlite3_column_int64(st, 0),
			.at = (const char *)sqlite3_column_text(st, 1),
			.actor = (const char *)sqlite3_column_text(st, 2),
			.action = (const char *)sqlite3_column_text(st, 3),
			.subject = (const char *)sqlite3_column_text(st, 4),
			.payload = (const char *)sqlite3_column_text(st, 5),
			.hash = (const char *)sqlite3_column_text(st, 6),
		};
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading the audit log"));
	return 0;
}
