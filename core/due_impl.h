/*
 * due_impl.h - what the due list's files share (due.c runs the checks in order and holds
 * the e-mail and focal-point checks; due_token.c the checks of tokens and certificates).
 * Internal to core/.
 */
#ifndef KYSO_CORE_DUE_IMPL_H
#define KYSO_CORE_DUE_IMPL_H

#include "kyso/agency.h"
#include "kyso/due.h"

/* What one check found.  items[i] points into strings[i]. */
struct due_found {
	long count;
	size_t n;
	struct due_item items[DUE_ITEMS_MAX];
	char *strings[DUE_ITEMS_MAX][4];
};

/* What every check may read, fetched once. */
struct due_run {
	struct kyso_db *db;
	char at[11];          /* the day the list is for */
	int has_agency;       /* 0 before `kyso init` */
	struct agency agency;
	/* Art. 13.3: a PIN clock that started before pin_lo has run out by at; one that
	 * started before pin_hi runs out within the warning days. */
	char pin_lo[11], pin_hi[11];
	char at_shown[11];    /* at, dd/mm/yyyy: the day commands are offered with */
	char *docs;           /* the documents folder (documents.dir): commands' -o */
	int pin_months;       /* the PIN interval (setting) */
	char cert_warn_end[11]; /* Art. 5.3.b: expiring up to this day */
	long subscribers;     /* the roster's size (the tally), -1 until read */
};

/* Keeps an item (while fewer than DUE_ITEMS_MAX are kept). */
int due_found_add(struct due_found *f, long long subscriber_id, long long token_id,
		  const char *name, const char *unit, const char *detail, const char *command,
		  struct kyso_err *err);

/* The first DUE_ITEMS_MAX cases in name order (the subscriber's sort_key, then the case's
 * id), kept in a bounded heap whatever order they come in. */
struct first_row {
	long long id;
	unsigned char *key;
	size_t len;
};

struct first_rows {
	struct first_row rows[DUE_ITEMS_MAX];
	size_t n;
};

/* Offers a case; -1 when out of memory. */
int due_first_offer(struct first_rows *h, long long id, const void *key, size_t len);
/* The kept cases in name order (the heap is spent). */
void due_first_sort(struct first_rows *h);
void due_first_free(struct first_rows *h);
/* Offers each row st gives (case id, sort_key); *n counts them.  what names the reading
 * in an error. */
int due_offer_rows(struct kyso_db *db, sqlite3_stmt *st, struct first_rows *h, long *n,
		   const char *what, struct kyso_err *err);

/* The checks of due_token.c, in the order the list shows them. */
int due_cert_expiring(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_pin_due(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_pin_overdue(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_new_holder_pin(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_departed_unaccounted(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_token_not_returned(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_lost_without_revocation(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_loan_expired(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_token_locked(struct due_run *r, struct due_found *f, struct kyso_err *err);
int due_minutes_missing(struct due_run *r, struct due_found *f, struct kyso_err *err);

/* Fills the day-dependent bounds of r from r->at and the settings. */
int due_token_bounds(struct due_run *r, struct kyso_err *err);

#endif
