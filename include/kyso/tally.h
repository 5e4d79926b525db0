/*
 * tally.h - how many subscribers the roster holds, by kind, status and unit.  Read from the
 * counts the store keeps as rows change (the table subscriber_tally, kept by triggers), so
 * that a count takes as long over a million subscribers as over ten: the dashboard shows
 * them on the first screen.
 */
#ifndef KYSO_TALLY_H
#define KYSO_TALLY_H

#include "kyso/agency.h"
#include "kyso/db.h"
#include "kyso/subscriber.h"

struct tally {
	long n[SUBSCRIBER_KINDS][SUBSCRIBER_STATUSES]; /* [enum subscriber_kind][enum subscriber_status] */
};

/* The counts of every subscriber. */
int tally_read(struct kyso_db *db, struct tally *t, struct kyso_err *err);

/* How many subscribers of kind (-1: any) have status, written as struct subscriber_query
 * takes it: a word of enum status_filter (NULL or "all", "active", "departed", a status).
 * A count and the roster filtered the same way agree. */
long tally_count(const struct tally *t, int kind, const char *status);

/* Every unit in the order unit_list gives (depth-first, children in Vietnamese order),
 * with u->subscribers (active) and t (every count) of the unit and the units under it,
 * as the roster filtered by that unit lists them (issue 11.10), from the tally.
 * Pointers are valid during the callback only; fn returns non-zero to stop. */
int tally_units(struct kyso_db *db,
		int (*fn)(const struct unit *u, const struct tally *t, void *ctx), void *ctx,
		struct kyso_err *err);

/* The number of units. */
int tally_unit_count(struct kyso_db *db, long *count, struct kyso_err *err);

#endif
