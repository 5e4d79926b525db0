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

/* The statuses a subscriber can have (subscriber.h): active, then the departures. */
enum tally_status { TALLY_ACTIVE, TALLY_LEFT, TALLY_TRANSFERRED, TALLY_RETIRED, TALLY_STATUSES };

struct tally {
	long n[3][TALLY_STATUSES]; /* [enum subscriber_kind][enum tally_status] */
};

/* The counts of every subscriber. */
int tally_read(struct kyso_db *db, struct tally *t, struct kyso_err *err);

/* How many subscribers of kind (-1: any) have status, written as struct subscriber_query
 * takes it: NULL or "all", "active", "departed" (any departure) or one departure reason.
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
