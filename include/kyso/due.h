/*
 * due.h - the due list (DOMAIN.md §8): what needs doing now, check by check, each with
 * the article of the regulation it serves.  `kyso due` and the dashboard show it.
 */
#ifndef KYSO_DUE_H
#define KYSO_DUE_H

#include <stddef.h>

#include "kyso/db.h"

/* At most this many items are given per check; count is always the full number. */
#define DUE_ITEMS_MAX 100

/* One case found by a check.  Pointers are valid during the callback only. */
struct due_item {
	long long subscriber_id; /* 0 when the case is not about a subscriber */
	long long token_id;      /* the token the case is about, or 0 */
	const char *name;        /* the subscriber's name (or the agency's); may be NULL */
	const char *unit;        /* may be NULL */
	const char *detail;      /* what is wrong, for a person */
	const char *command;     /* the command that clears it, with what the officer fills
				  * in capitals ("kyso token pin-changed --serial S --date D") */
};

/* One check and what it found.  Pointers are valid during the callback only. */
struct due_check {
	const char *id;    /* stable, for scripts: "email_outside_domain" (DESIGN.md §5) */
	const char *rule;  /* "Art. 5.1.b" */
	const char *title; /* for a person, in the interface language */
	int is_report;     /* a report to send: cleared by sending it, not case by case */
	long count;        /* every case found */
	const struct due_item *items; /* the first DUE_ITEMS_MAX of them, in name order */
	size_t nitems;
};

/* Runs every check as of at_date (YYYY-MM-DD or dd/mm/yyyy; NULL = today) and calls fn
 * for each, in a fixed order, also when it found nothing.  fn returns non-zero to stop.
 * KYSO_EINVAL when at_date is not a date. */
int due_list(struct kyso_db *db, const char *at_date,
	     int (*fn)(const struct due_check *c, void *ctx), void *ctx, struct kyso_err *err);

#endif
