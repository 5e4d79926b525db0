/*
 * event.h - the timeline: what happened to which subscriber (later token, certificate),
 * when, by whom.  Reports count events; a subscriber's history is its events.
 */
#ifndef KYSO_EVENT_H
#define KYSO_EVENT_H

#include "kyso/db.h"

/* Event kinds of this store. */
#define EVENT_SUBSCRIBER_ADDED "subscriber.added"
#define EVENT_SUBSCRIBER_EDITED "subscriber.edited"
#define EVENT_SUBSCRIBER_DEPARTED "subscriber.departed"
#define EVENT_SUBSCRIBER_IMPORTED "subscriber.imported"
#define EVENT_SUBSCRIBER_UPDATED_BY_IMPORT "subscriber.import_updated"

/* Appends an event.  on_date is the day it happened (YYYY-MM-DD; NULL = today), detail is
 * JSON text or NULL.  Must run inside a transaction. */
int event_add(struct kyso_db *db, const char *kind, long long subscriber_id,
	      const char *on_date, const char *detail, struct kyso_err *err);

struct event_row {
	long long id;
	const char *at, *on_date, *actor, *kind, *detail;
};

/* Calls fn for the subscriber's events, oldest first. */
int event_list_subscriber(struct kyso_db *db, long long subscriber_id,
			  int (*fn)(const struct event_row *ev, void *ctx), void *ctx,
			  struct kyso_err *err);

/* A person's words for an event kind ("Added", "Departed", ...). */
const char *event_kind_label(const char *kind);

#endif
