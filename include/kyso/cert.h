/*
 * cert.h - certificates (DOMAIN.md §5), recorded by hand from the issue and revocation
 * notices the department sends; importing certificate files comes later and fills the
 * same table.  Only core/cert.c writes the certificate table.
 *
 * A certificate is valid on a day when the day is inside [not_before, not_after] and it
 * was not revoked on or before that day.  Its expiry is read from not_after; only a
 * revocation changes its status.  Issue, renewal, change and revocation are events
 * (EVENT_CERT_*) dated as the notice says, which reports count.
 */
#ifndef KYSO_CERT_H
#define KYSO_CERT_H

#include <stddef.h>

#include "kyso/db.h"

/* Why a certificate was issued (certificate.issuance). */
#define CERT_NEW "new"
#define CERT_RENEW "renew"
#define CERT_CHANGE "change"

/* Art. 5.3 / Decree 68: a new certificate is valid at most 5 years, a renewal at most 3. */
#define CERT_NEW_MAX_YEARS 5
#define CERT_RENEW_MAX_YEARS 3

/* Settings. */
#define SETTING_CERT_WARN_DAYS "cert_warn_days" /* 60: "expiring" this many days ahead */
int cert_warn_days(struct kyso_db *db);

struct cert {
	long long id;
	long long subscriber_id;
	char *subscriber_name;	/* as read */
	long long token_id;	/* 0: not on a token (centralised signing without one) */
	char *token_serial;	/* as read */
	char *serial;		/* hex, upper case, no separators (normalised on add) */
	char *issuance;		/* CERT_NEW, CERT_RENEW, CERT_CHANGE */
	char *subject, *issuer;
	char *not_before, *not_after; /* YYYY-MM-DD */
	char *status;		/* "valid" or "revoked" */
	char *revoked_on, *revocation_reason, *notice_on;
	char *source;		/* "manual" */
	char *note;
	long version;
};

void cert_init(struct cert *c);
void cert_free(struct cert *c);

/* What cert_add takes.  NULL is "not given". */
struct cert_new {
	const char *serial;		/* required; hex, with or without ':' or spaces */
	long long token_id;		/* the token it is on; its subscriber unless given */
	long long subscriber_id;	/* required when token_id is 0 */
	const char *issuance;		/* default CERT_NEW */
	const char *subject, *issuer;
	const char *not_before;		/* required */
	const char *not_after;		/* required, after not_before, within the limits */
	const char *status;		/* default "valid"; "revoked" needs revoked_on */
	const char *revoked_on, *revocation_reason, *notice_on;
	const char *note;
};

/* Records a certificate in one transaction; *id set (may be NULL).  KYSO_EINVAL with
 * every problem listed: a serial that is not hex or is recorded already, dates that are
 * not dates or out of order, a validity past the limits, a token of another subscriber. */
int cert_add(struct kyso_db *db, const struct cert_new *c, long long *id,
	     struct kyso_problems *problems, struct kyso_err *err);

/* Records the revocation of certificate id on date (the notice's date in notice_on,
 * default date).  Closes a lost token's revocation follow-up (through token.c).
 * expect_version > 0 refuses a stale change. */
int cert_revoke(struct kyso_db *db, long long id, const char *date, const char *reason,
		const char *notice_on, long expect_version, struct kyso_problems *problems,
		struct kyso_err *err);

/* The id of the certificate with this serial (normalised as cert_add does). */
/* A correction of a recorded certificate's dates (issue 11.1: a date typed wrong from the
 * notice): NULL leaves a date as it is; revoked_on and notice_on only for a revoked one.
 * Checked as cert_add checks them (the validity's limits, the order of the dates); the
 * certificate's events move with them and a "cert.corrected" event with an audit row
 * keeps the earlier dates.  KYSO_ECONFLICT when not at expect_version (> 0). */
struct cert_correction {
	long long id;
	const char *not_before, *not_after, *revoked_on, *notice_on;
	long expect_version;
};
#define EVENT_CERT_CORRECTED "cert.corrected"
int cert_correct(struct kyso_db *db, const struct cert_correction *c,
		 struct kyso_problems *problems, struct kyso_err *err);

int cert_find(struct kyso_db *db, const char *serial, long long *id, struct kyso_err *err);

int cert_get(struct kyso_db *db, long long id, struct cert *out, struct kyso_err *err);

struct cert_query {
	long long token_id;	/* 0: any */
	long long subscriber_id;
	const char *state;	/* NULL: any; "valid", "expired", "revoked", "expiring" */
	const char *at;		/* the day state is judged on (default today) */
	long limit;
};

/* One row.  Pointers valid during the callback only. */
struct cert_row {
	long long id, subscriber_id, token_id;
	const char *serial, *subscriber_name, *token_serial, *issuance;
	const char *not_before, *not_after, *status, *revoked_on, *revocation_reason;
	const char *state;	/* as of q->at: "valid", "expiring", "expired", "revoked",
				 * "not_yet" (before not_before) */
	long version;
};

/* Calls fn for each certificate q selects, latest expiry first. */
int cert_list(struct kyso_db *db, const struct cert_query *q,
	      int (*fn)(const struct cert_row *row, void *ctx), void *ctx, struct kyso_err *err);

/* A person's words for a certificate state or issuance, and for the events cert.* of
 * event.h (the history's words). */
const char *cert_state_label(const char *state);

/* 1 when state is one a certificate can be in on a day (what cert_query.state takes):
 * valid, expiring, expired, revoked, not_yet. */
int cert_state_known(const char *state);
const char *cert_issuance_label(const char *issuance);
const char *cert_event_label(const char *kind);

#endif
