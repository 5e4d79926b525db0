/*
 * draft.h - forms an interrupted interface left behind (SIGHUP when an SSH session drops,
 * SIGTERM): every field exactly as typed, the form, the subscriber and the version the
 * form was opened on, kept in the draft table until the officer restores or discards
 * them at the next start.
 *
 * A draft is typed work, not roster data: it writes no event and no audit row, and its
 * text is kept byte for byte (not normalised), so that what comes back is what was typed.
 */
#ifndef KYSO_DRAFT_H
#define KYSO_DRAFT_H

#include <stddef.h>

#include "kyso/db.h"

/* Forms that keep drafts. */
#define DRAFT_SUBSCRIBER "subscriber" /* add (subscriber_id 0) or edit a subscriber */
#define DRAFT_DEPART "depart"	      /* a subscriber's departure */
#define DRAFT_SETUP "setup"	      /* the agency profile of the first run */
/* The token screens' forms (tui/screens/token_flow.c): the token's id and version, and those of
 * every token a form changes, are kept among the fields ("tokens": "ID:VERSION,..."). */
#define DRAFT_TOKEN_ADD "token_add"	      /* a new token */
#define DRAFT_TOKEN_ACT "token_act"	      /* a change of one token (the field "action") */
#define DRAFT_TOKEN_CERT "token_cert"	      /* a certificate recorded on a token */
#define DRAFT_TOKEN_PIN "token_pin"	      /* PIN changes of several tokens */
#define DRAFT_TOKEN_RETURN "token_return"     /* several tokens handed back in one minutes */
#define DRAFT_TOKEN_HANDOVER "token_handover" /* a departed subscriber's tokens (Art. 14.4) */

struct draft_field {
	char *name;
	char *value;
};

/* Strings are owned by the struct (draft_free). */
struct draft {
	long long id;
	char *form;		 /* one of DRAFT_* */
	long long subscriber_id; /* 0: none (a new subscriber, the set-up) */
	long base_version;	 /* version of the row the form was opened on; 0: none */
	struct draft_field *fields; /* in the order they were set */
	size_t nfields;
	char *saved_at;		 /* YYYY-MM-DDTHH:MM:SSZ, set by draft_save */
	char *actor;		 /* who was typing, set by draft_save */
};

void draft_init(struct draft *d);
void draft_free(struct draft *d); /* frees the strings and fields, keeps d */

/* Sets field name to value (copied; NULL is kept as ""), replacing an earlier value.
 * 0, or KYSO_ENOMEM with d unchanged. */
int draft_set(struct draft *d, const char *name, const char *value);

/* The value of field name, or NULL when the draft has none.  Owned by d. */
const char *draft_get(const struct draft *d, const char *name);

/* Stores d (form, subscriber_id, base_version, fields) as a new draft in one transaction
 * and sets d->id, d->saved_at and d->actor.  KYSO_EINVAL when a value is not valid UTF-8
 * (nothing stored). */
int draft_save(struct kyso_db *db, struct draft *d, struct kyso_err *err);

/* Calls fn for every draft, oldest first; fn returns non-zero to stop.  The draft passed
 * is valid during the call only. */
int draft_list(struct kyso_db *db, int (*fn)(const struct draft *d, void *ctx), void *ctx,
	       struct kyso_err *err);

/* Reads draft id into out (initialised here; free with draft_free).  KYSO_ENOTFOUND when
 * there is none. */
int draft_load(struct kyso_db *db, long long id, struct draft *out, struct kyso_err *err);

/* Deletes draft id.  KYSO_ENOTFOUND when it is already gone (another kyso took it), so
 * that a draft is restored once only. */
int draft_delete(struct kyso_db *db, long long id, struct kyso_err *err);

#endif
