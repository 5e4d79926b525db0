/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Each change appends one row whose hash is SHA-256 over the previous row's hash and this
 * row's fields, so that editing or deleting a row breaks the chain from there on.
 */
#ifndef KYSO_AUDIT_H
#define KYSO_AUDIT_H

#include "kyso/db.h"

/* Appends a row; payload is JSON text (may be NULL).  Must run inside a transaction. */
int audit_append(struct kyso_db *db, const char *action, const char *subject,
		 const char *payload, struct kyso_err *err);

struct audit_report {
	long rows;      /* rows checked */
	long bad_seq;   /* first row that does not match, 0 when the chain is intact */
	char reason[256];
};

/* Walks the chain.  Returns 0 and fills report (bad_seq 0 when intact), or an error. */
int audit_verify(struct kyso_db *db, struct audit_report *report, struct kyso_err *err);

struct audit_row {
	long seq;
	const char *at, *actor, *action, *subject, *payload, *hash;
};

/* Calls fn for the last `limit` rows (all when limit <= 0), oldest first. */
int audit_list(struct kyso_db *db, long limit,
	       int (*fn)(const struct audit_row *row, void *ctx), void *ctx,
	       struct kyso_err *err);

#endif
