/*
 * token.h - key tokens (DOMAIN.md §4): the registry, who keeps and who holds each one,
 * its life as a state machine, the PIN clock (Art. 13.3), and the follow-ups each change
 * leaves on the due list.  Only core/token.c writes the token tables (token, token_step,
 * follow_up).
 *
 * The states and the allowed transitions are data: a table (token_transitions) that
 * says, for each action, the states it may start from, the state it leads to, the
 * document that records it, the follow-up it opens and the follow-ups it closes.  An
 * action the table does not allow from the token's state is refused with the reason.
 * Every change is a token_step (the history) and an event (the subscriber's timeline).
 *
 * Custody: the keeper answers for the token (the subscriber; the clerk for the agency's
 * token; the successor the head of agency designated); the holder has it in hand, and
 * differs from the keeper only while it is lent with written permission (Art. 14.3).
 * Passwords are never taken, stored or written: a handover records that the password
 * was handed over, and free text that looks like it holds one is refused.
 */
#ifndef KYSO_TOKEN_H
#define KYSO_TOKEN_H

#include <stddef.h>

#include "kyso/db.h"

/* States (token.state). */
#define TOKEN_IN_USE "in_use"     /* with its keeper (or lent) */
#define TOKEN_LOCKED "locked"     /* wrong PIN too often: awaiting recovery (Art. 6) */
#define TOKEN_LOST "lost"         /* Art. 13.5 */
#define TOKEN_FOUND "found"       /* found again after a loss */
#define TOKEN_DAMAGED "damaged"
#define TOKEN_RETURNED "returned" /* handed back to the department (Mẫu 08 / 14) */

/* Actions (token_step.action), each a row or rows of the transition table. */
#define TOKEN_ACT_RECEIVE "receive"     /* the token arrives in the registry (token_add) */
#define TOKEN_ACT_ASSIGN "assign"       /* a keeper is named (first custody, a new clerk) */
#define TOKEN_ACT_HANDOVER "handover"   /* Art. 14.4: to the designated successor */
#define TOKEN_ACT_LEND "lend"           /* Art. 14.3: to another person, with permission */
#define TOKEN_ACT_LOAN_END "loan_end"   /* back with the keeper */
#define TOKEN_ACT_LOCK "lock"
#define TOKEN_ACT_RECOVER "recover"     /* unlocked (Art. 6) */
#define TOKEN_ACT_LOSE "lose"           /* Art. 13.5 */
#define TOKEN_ACT_FIND "find"
#define TOKEN_ACT_REUSE "reuse"         /* a found token back in use, before revocation */
#define TOKEN_ACT_DAMAGE "damage"
#define TOKEN_ACT_RETURN "return"       /* handed back to the department */
#define TOKEN_ACT_PIN "pin"             /* a PIN change, confirmed (no change of state) */
#define TOKEN_ACT_REVOCATION_ASKED "revocation_asked" /* the revocation request was sent */

/* Follow-ups (follow_up.kind). */
#define FOLLOW_NEW_HOLDER_PIN "new_holder_pin" /* Art. 14.4: the new holder changes the PIN */
#define FOLLOW_REVOCATION "revocation_request" /* Art. 13.5: a lost token's revocation */
#define FOLLOW_LOAN "loan_return"              /* Art. 14.3: due back on the loan's end */
#define FOLLOW_RECOVERY "recovery"             /* Art. 6: a locked token's recovery */
#define FOLLOW_DEPARTURE "departure"           /* Art. 14.4: a departed keeper's token */

/* Minutes kinds (document.kind) a transition may require. */
#define DOC_MINUTES_HANDOVER "minutes_handover"
#define DOC_MINUTES_RETURN "minutes_return"
#define DOC_MINUTES_LOST "minutes_lost"

enum token_kind { TOKEN_KIND_USB, TOKEN_KIND_SIM, TOKEN_KIND_REMOTE };

/* One row of the transition table.  Strings are static. */
struct token_transition {
	const char *action;	/* TOKEN_ACT_* */
	const char *from;	/* a state; NULL for TOKEN_ACT_RECEIVE */
	const char *to;		/* the state after; the same as from for custody changes */
	const char *document;	/* DOC_* the step is recorded by, or NULL */
	const char *opens;	/* FOLLOW_* it opens, or NULL */
	const char *closes;	/* FOLLOW_* kinds it closes, comma-separated, or NULL */
	const char *rule;	/* "Art. 14.4" */
};

/* The whole table, in the order `kyso token states` prints it. */
const struct token_transition *token_transitions(size_t *n);

/* A person's words for a state, an action, a follow-up, a kind (interface language). */
const char *token_state_label(const char *state);

/* 1 when state is one of a token's six (TOKEN_IN_USE ... TOKEN_RETURNED). */
int token_state_known(const char *state);
const char *token_action_label(const char *action);
const char *token_follow_up_label(const char *kind);
const char *token_kind_name(enum token_kind k);	 /* "usb", "sim", "remote" */
const char *token_kind_label(enum token_kind k); /* "USB token", ... */
int token_kind_parse(const char *text, enum token_kind *k);

/* A token as read.  Strings owned by the struct (token_free). */
struct token {
	long long id;
	char *serial;
	enum token_kind kind;
	char *model;
	long long subscriber_id;
	char *subscriber_name;	/* the subscriber's name and unit, as read */
	char *unit;
	char *state;
	char *state_on;
	char *keeper_name, *keeper_position;
	long long keeper_subscriber_id; /* 0: not on the roster */
	char *holder_name, *holder_position;
	long long holder_subscriber_id;
	char *loan_ref, *loan_by, *loan_until; /* NULL unless lent */
	char *received_on;
	char *pin_changed_on;	/* NULL: never confirmed (the clock runs from received_on) */
	int pin_pending;	/* a new holder has not changed the PIN yet */
	char *pin_due_on;	/* when the next change is due (the interval is a setting) */
	char *note;
	long version;
	char *created_at, *updated_at;
};

void token_init(struct token *t);
void token_free(struct token *t);

/* A new token.  NULL strings are "not given". */
struct token_new {
	const char *serial;		/* required, unique (compared without case, spaces, dashes) */
	enum token_kind kind;
	const char *model;
	long long subscriber_id;	/* required: whose certificate it carries */
	/* The keeper: defaults to the subscriber for a person; an organisation's or a
	 * device's token needs one named (the clerk, the system's administrator). */
	const char *keeper_name;
	const char *keeper_position;
	long long keeper_subscriber_id;
	const char *received_on;	/* default today */
	const char *pin_changed_on;	/* a change declared before kyso knew the token */
	const char *note;
};

/* Adds a token (a TOKEN_ACT_RECEIVE step, state in use) in one transaction; *id set.
 * KYSO_EINVAL with every problem in problems. */
int token_add(struct kyso_db *db, const struct token_new *t, long long *id,
	      struct kyso_problems *problems, struct kyso_err *err);

/* Reads token id (strings owned by out: token_free). */
int token_get(struct kyso_db *db, long long id, struct token *out, struct kyso_err *err);

/* The id of the token with this serial (compared as token_add compares), or
 * KYSO_ENOTFOUND with a message naming the serial. */
int token_find(struct kyso_db *db, const char *serial, long long *id, struct kyso_err *err);

/* What to list.  Everything is "any" when zero/NULL. */
struct token_query {
	const char *state;	    /* one state, or "active" (in use, locked, found, damaged) */
	long long subscriber_id;    /* belongs to */
	long long keeper_id;	    /* kept or held by this subscriber */
	const char *holder;	    /* words of the keeper's or holder's name, folded */
	long long unit_id;	    /* the subscriber's unit */
	const char *search;	    /* words of the serial, the subscriber's name, the keeper */
	long limit, offset;
};

/* One row as lists show it.  Pointers valid during the callback only. */
struct token_row {
	long long id;
	const char *serial, *model, *state, *state_on;
	enum token_kind kind;
	long long subscriber_id;
	const char *subscriber_name, *unit, *keeper_name, *holder_name;
	const char *loan_until, *pin_changed_on, *pin_due_on;
	const char *loan_ref;	/* the written permission of a loan (Art. 14.3) */
	int pin_pending;
	long version;
};

/* Calls fn for each token q selects, by serial; fn returns non-zero to stop. */
int token_list(struct kyso_db *db, const struct token_query *q,
	       int (*fn)(const struct token_row *row, void *ctx), void *ctx,
	       struct kyso_err *err);
int token_count(struct kyso_db *db, const struct token_query *q, long *count,
		struct kyso_err *err);

/* The fields of a struct token_act an action takes, and those it cannot do without
 * (token_act_fields); every action takes its date and a note besides. */
enum token_act_field {
	TOKEN_FIELD_PARTY = 1 << 0,	/* party_name, party_position, party_subscriber_id */
	TOKEN_FIELD_POSITION = 1 << 1,	/* party_position (in needs: required too) */
	TOKEN_FIELD_REF = 1 << 2,
	TOKEN_FIELD_AUTH = 1 << 3,	/* authorised_by */
	TOKEN_FIELD_UNTIL = 1 << 4,
	TOKEN_FIELD_PLACE = 1 << 5,
	TOKEN_FIELD_CIRC = 1 << 6,	/* circumstances */
	TOKEN_FIELD_DISC = 1 << 7,	/* discovered */
	TOKEN_FIELD_REASON = 1 << 8,
	TOKEN_FIELD_PASSWORD = 1 << 9,	/* password_handed (never the password) */
};

struct token_act_fields {
	const char *action;
	unsigned takes, needs;		/* enum token_act_field bits */
	const char *party, *ref, *auth;	/* what the action calls them (msgids), or NULL */
};

/* The fields action takes and needs; an action that takes none but its date and note
 * gets a row of zeros. */
const struct token_act_fields *token_act_fields(const char *action);

/* The states action may start from, in a person's words: "In use or Locked" ("" for an
 * action no state allows). */
void token_states_needed(const char *action, char *out, size_t outsz);

/* Why a token goes back to the department (token_act.reason for a return): the names
 * ("expired", "revoked", "departure", "damaged", "other") and a person's words (N_). */
#define TOKEN_RETURN_REASONS 5
extern const char *const token_return_reasons[TOKEN_RETURN_REASONS];
extern const char *const token_return_reason_labels[TOKEN_RETURN_REASONS];

/* A change to apply.  Which fields an action takes and needs:
 *   assign     party_* (the new keeper)
 *   handover   party_* (the successor: name and position required), ref (the head of
 *              agency's designation: required), authorised_by (who designated: default
 *              the head of agency), password_handed (must be 1: the officer
 *              confirms the password went with the token), reason
 *   lend       party_* (the borrower), ref (the written permission: required),
 *              authorised_by (who gave it: required), until_on (required, not before date)
 *   loan_end, lock, recover, damage, find, reuse: note; reuse: party_* when another
 *              person takes it back
 *   lose       circumstances (required), place, discovered (how it was found missing),
 *              authorised_by (who confirms), ref (the report to the department, if any)
 *   return     party_* (who received it at the department), reason ("expired",
 *              "revoked", "departure", "damaged", ...), ref (the revocation notice)
 *   revocation_asked   ref (the request's dispatch number)
 * date is YYYY-MM-DD or dd/mm/yyyy (default today), never in the future nor before the
 * token's current state began. */
struct token_act {
	const char *action;
	const char *date;
	const char *party_name, *party_position;
	long long party_subscriber_id;
	const char *ref;
	const char *authorised_by;
	const char *until_on;
	const char *place;
	const char *circumstances;
	const char *discovered;
	const char *reason;
	int password_handed;
	const char *note;
	long expect_version;	/* > 0: refuse with KYSO_ECONFLICT when the token moved on */
	int require_date;	/* 1: a missing date is a problem, not today (the CLI's --date) */
};

/* Applies a to token id in one transaction: checks the action is allowed from the
 * token's state (else KYSO_EINVAL, the problem saying which states it needs), checks the
 * fields, writes the step, the event and the audit row, opens and closes follow-ups.
 * *step_id (may be NULL) gets the step, which the minutes of the change will name. */
int token_apply(struct kyso_db *db, long long id, const struct token_act *a,
		long long *step_id, struct kyso_problems *problems, struct kyso_err *err);

/* The same inside a transaction the caller holds (several tokens in one change). */
int token_apply_tx(struct kyso_db *db, long long id, const struct token_act *a,
		   long long *step_id, struct kyso_problems *problems, struct kyso_err *err);

/* The same change to n tokens in one transaction, all or none (a return of several
 * tokens under one minutes).  Every token's problems are listed, each named by its
 * serial when n > 1; a token named twice is a problem.  step_ids (may be NULL) gets the
 * n steps.  expect_version is honoured only when n is 1. */
int token_apply_many(struct kyso_db *db, const long long *ids, size_t n,
		     const struct token_act *a, long long *step_ids,
		     struct kyso_problems *problems, struct kyso_err *err);

/* Art. 13.3: PIN changes the holders declared, confirmed by the officer, for n tokens at
 * once, in one transaction (all or none).  declared_by NULL: the keeper.  Closes the
 * new holder's follow-up and restarts the clock on date. */
int token_pin_confirm(struct kyso_db *db, const long long *ids, size_t n, const char *date,
		      const char *declared_by, struct kyso_problems *problems,
		      struct kyso_err *err);

/* A step of a token's history.  Pointers valid during the callback only. */
struct token_step {
	long long id, token_id;
	const char *on_date, *action, *from_state, *to_state;
	const char *keeper_name, *keeper_position, *holder_name, *holder_position;
	const char *party_name, *party_position;
	long long party_subscriber_id;
	const char *ref, *authorised_by, *until_on, *place, *circumstances, *discovered;
	const char *reason, *note;
	int password_handed;	/* -1: not said */
	long long document_id;	/* 0: none yet */
	const char *document_number; /* "05/BB-SNNMT", or NULL */
	const char *actor, *at;
};

/* A correction of the day a step was recorded with (issue 11.1): step is its place in
 * the history (1 for the day the token came), date its new day (between the steps
 * around it, not in the future), until a loan's new end (a lend step only); NULL leaves
 * either as it is.  In one transaction, audited as "token.corrected" with the earlier
 * values; the token's received_on, pin_changed_on, state_on and loan follow, and so do
 * the follow-ups and the event of the step.  KYSO_EINVAL with the problems when
 * refused, KYSO_ECONFLICT when the token is not at expect_version (> 0). */
struct token_correction {
	long long token_id;
	int step;
	const char *date, *until;
	long expect_version;
};
#define EVENT_TOKEN_CORRECTED "token.corrected"
int token_correct(struct kyso_db *db, const struct token_correction *c,
		  struct kyso_problems *problems, struct kyso_err *err);

/* Calls fn for the token's steps, oldest first. */
int token_steps(struct kyso_db *db, long long token_id,
		int (*fn)(const struct token_step *s, void *ctx), void *ctx, struct kyso_err *err);

/* Reads one step (the callback's pointers are valid during the call only). */
int token_step_get(struct kyso_db *db, long long step_id,
		   int (*fn)(const struct token_step *s, void *ctx), void *ctx,
		   struct kyso_err *err);

/* The token's last step of this action (0 in *step_id when there is none). */
int token_last_step(struct kyso_db *db, long long token_id, const char *action,
		    long long *step_id, struct kyso_err *err);

/* Links steps to the document that records them (inside the caller's transaction:
 * document.c calls it when it records minutes). */
int token_steps_set_document_tx(struct kyso_db *db, const long long *step_ids, size_t n,
				long long document_id, struct kyso_err *err);

/* An open follow-up.  Pointers valid during the callback only. */
struct follow_up_row {
	long long id;
	const char *kind;
	long long token_id, subscriber_id, step_id;
	const char *serial, *opened_on, *due_on, *detail;
};

/* Calls fn for the open follow-ups of token_id (0: of every token), oldest first. */
int token_follow_ups(struct kyso_db *db, long long token_id,
		     int (*fn)(const struct follow_up_row *f, void *ctx), void *ctx,
		     struct kyso_err *err);

/* Calls fn for the open departure follow-ups of subscriber_id (Art. 14.4: each token
 * their departure left to hand over or return), oldest first. */
int token_departure_follow_ups(struct kyso_db *db, long long subscriber_id,
			       int (*fn)(const struct follow_up_row *f, void *ctx), void *ctx,
			       struct kyso_err *err);

/* Art. 14.4, inside subscriber_depart's transaction: opens a departure follow-up for
 * every token the departing subscriber keeps or whose certificate is theirs and that is
 * not returned or lost.  *n (may be NULL) gets how many. */
/* Inside the caller's transaction, after subscriber_id was saved: the tokens it keeps or
 * holds take its name and position as they are now (the copies the search and v_tokens
 * read; lists read the roster itself).  A step recorded earlier keeps the name of its
 * day. */
int token_people_renamed_tx(struct kyso_db *db, long long subscriber_id, struct kyso_err *err);

int token_departure_tx(struct kyso_db *db, long long subscriber_id, const char *date,
		       long *n, struct kyso_err *err);

/* How many of the subscriber's tokens are unaccounted for since their departure (open
 * departure follow-ups): the departure is complete at 0. */
int token_unaccounted(struct kyso_db *db, long long subscriber_id, long *n,
		      struct kyso_err *err);

/* For cert.c, inside its transaction: the token's certificates changed (the day the last
 * of them ends is kept on the token for the due list, Art. 5.3.c). */
int token_certs_changed_tx(struct kyso_db *db, long long token_id, struct kyso_err *err);

/* For cert.c, inside its transaction: a certificate on the token was revoked on date, so
 * a loss's revocation follow-up is closed (Art. 13.5), and as token_certs_changed_tx. */
int token_cert_revoked_tx(struct kyso_db *db, long long token_id, const char *date,
			  struct kyso_err *err);

/* The longest serial a token takes, in characters (the devices print 8 to 20). */
#define TOKEN_SERIAL_MAX 64

/* Settings the token rules read (setting table), with their defaults. */
#define SETTING_PIN_INTERVAL_MONTHS "pin_interval_months" /* 6 (Art. 13.3) */
#define SETTING_PIN_WARN_DAYS "pin_warn_days"		  /* 30: "due" this many days ahead */
#define SETTING_FORM_SET "form_set"			  /* "nd68" or "tt185" */
int token_pin_interval_months(struct kyso_db *db);
int token_pin_warn_days(struct kyso_db *db);

/* The day the PIN of a token in state must next be changed: months after the last
 * confirmed change, else after the day it was received; "" when the state keeps no clock
 * (lost, found, damaged, returned). */
void token_pin_due(const char *state, const char *pin_changed_on, const char *received_on,
		   int months, char out[11]);

/* 1 when a PIN change due on pin_due_on (token_pin_due's day; NULL or "": none is due)
 * is overdue on day today, as the due list's pin_overdue counts it: the day has passed. */
int token_pin_overdue(const char *pin_due_on, const char *today);

#endif
