/*
 * event.h - the timeline: what happened to which subscriber (later token, certificate),
 * when, by whom.  Reports count events; a subscriber's history is its events.
 */
#ifndef KYSO_EVENT_H
#define KYSO_EVENT_H

#include <jansson.h>

#include "kyso/db.h"

/* Event kinds of this store. */
#define EVENT_SUBSCRIBER_ADDED "subscriber.added"
#define EVENT_SUBSCRIBER_EDITED "subscriber.edited"
#define EVENT_SUBSCRIBER_DEPARTED "subscriber.departed"
#define EVENT_SUBSCRIBER_IMPORTED "subscriber.imported"
#define EVENT_SUBSCRIBER_UPDATED_BY_IMPORT "subscriber.import_updated"
/* A token's step: "token." then the action (token.h's TOKEN_ACT_*), e.g. "token.lose". */
#define EVENT_TOKEN_PREFIX "token."
#define EVENT_CERT_ISSUED "cert.issued"   /* a new certificate */
#define EVENT_CERT_RENEWED "cert.renewed"
#define EVENT_CERT_CHANGED "cert.changed" /* issued again with changed information */
#define EVENT_CERT_REVOKED "cert.revoked"
#define EVENT_DOCUMENT_WRITTEN "document.written"

/* Appends an event.  on_date is the day it happened (YYYY-MM-DD; NULL = today), detail is
 * JSON text or NULL.  Must run inside a transaction. */
int event_add(struct kyso_db *db, const char *kind, long long subscriber_id,
	      const char *on_date, const char *detail, struct kyso_err *err);

/* An event about a token, certificate or document as well: ids 0 for none. */
struct event_new {
	const char *kind;
	long long subscriber_id, token_id, certificate_id, document_id;
	const char *on_date; /* NULL: today */
	const char *detail;  /* JSON text or NULL */
};

/* Appends ev; *id (may be NULL) gets its id.  Must run inside a transaction. */
int event_record(struct kyso_db *db, const struct event_new *ev, long long *id,
		 struct kyso_err *err);

/* What a change of a token, certificate, report or setting records: ev with body as its
 * detail (compact JSON, keys in the order they were set) and, unless action is NULL,
 * the audit row action on subject ("token:12") holding the same text.  body is the
 * caller's (NULL: out of memory).  Must run inside a transaction. */
int event_record_audited(struct kyso_db *db, struct event_new ev, const char *action,
			 const char *subject, const json_t *body, struct kyso_err *err);

struct event_row {
	long long id;
	const char *at, *on_date, *actor, *kind, *detail;
	long long token_id, certificate_id, document_id; /* 0: none */
};

/* Calls fn for the subscriber's events, oldest first. */
int event_list_subscriber(struct kyso_db *db, long long subscriber_id,
			  int (*fn)(const struct event_row *ev, void *ctx), void *ctx,
			  struct kyso_err *err);

/* A person's words for an event kind ("Added", "Departed", ...). */
const char *event_kind_label(const char *kind);

/* The event's detail in a person's words, one line each through line (which returns
 * non-zero to stop): each changed field "Label: old → new", each written field "Label:
 * value", a token's serial, state change and parties, a certificate's dates, a
 * correction's earlier and new value; dates dd/mm/yyyy (ISO is for JSON only).  The
 * history of the command line and of the screens both read it. */
int event_describe(const struct event_row *ev, int (*line)(const char *text, void *ctx),
		   void *ctx);
/* The words for a field a correction names ("departed_on" -> "Departure date"). */
const char *event_field_label(const char *field);

#endif
