/*
 * token_impl.h - what token.c, token_state.c and token_list.c share; internal to core/.
 */
#ifndef KYSO_CORE_TOKEN_IMPL_H
#define KYSO_CORE_TOKEN_IMPL_H

#include <jansson.h>

#include "kyso/token.h"

/* The states a token is "out" in (not returned, not lost): token_query's "active". */
#define TOKEN_SQL_ACTIVE "(t.state = 'in_use' OR t.state = 'locked' OR t.state = 'found' " \
			 "OR t.state = 'damaged')"

/* The keeper and the holder when they are on the roster are that subscriber, read
 * through the reference (kp, hp of TOKEN_FROM): a rename shows at once (issue 11.7).  The
 * names stored on the token are for people who are not on the roster (and kept in step
 * on a rename, for the search and the sqlite3 shell's v_tokens). */
#define TOKEN_KEEPER_NAME "coalesce(kp.name, t.keeper_name)"
#define TOKEN_KEEPER_POSITION "coalesce(kp.position, t.keeper_position)"
#define TOKEN_HOLDER_NAME "coalesce(hp.name, t.holder_name)"
#define TOKEN_HOLDER_POSITION "coalesce(hp.position, t.holder_position)"
#define TOKEN_PEOPLE_JOIN                                                                  \
	" LEFT JOIN subscriber kp ON kp.id = t.keeper_subscriber_id"                       \
	" LEFT JOIN subscriber hp ON hp.id = t.holder_subscriber_id"

/* The columns token_get reads, in the order token_read_row takes them. */
#define TOKEN_COLUMNS                                                                      \
	"t.id, t.serial, t.kind, t.model, t.subscriber_id, s.name, u.name, t.state, "      \
	"t.state_on, " TOKEN_KEEPER_NAME ", " TOKEN_KEEPER_POSITION ", "                    \
	"coalesce(t.keeper_subscriber_id, 0), "                                            \
	TOKEN_HOLDER_NAME ", " TOKEN_HOLDER_POSITION ", coalesce(t.holder_subscriber_id, 0), " \
	"t.loan_ref, t.loan_by, t.loan_until, t.received_on, t.pin_changed_on, "          \
	"t.pin_pending, t.note, t.version, t.created_at, t.updated_at"
#define TOKEN_FROM                                                                         \
	" FROM token t JOIN subscriber s ON s.id = t.subscriber_id"                        \
	" LEFT JOIN unit u ON u.id = s.unit_id" TOKEN_PEOPLE_JOIN

/* The serial as compared: upper case, no spaces or dashes.  NULL when nothing is left
 * or no memory.  Caller frees. */
char *token_serial_key(const char *serial);

/* Writes the event (kind "token.<action>", or as given) and the audit row of a change to
 * token_id, whose subscriber is subscriber_id; body is the JSON both carry. */
int token_record_tx(struct kyso_db *db, const char *action, long long token_id,
		    long long subscriber_id, const char *on_date, json_t *body,
		    struct kyso_err *err);

/* Inside a transaction: closes the token's open follow-ups of the comma-separated kinds
 * on date, by step_id (0: none). */
int token_close_follow_ups_tx(struct kyso_db *db, long long token_id, const char *kinds,
			      const char *date, long long step_id, struct kyso_err *err);

/* NFC with white space tidied; NULL when blank (invalid UTF-8 is kept for the check to
 * refuse).  Caller frees. */
char *token_clean(const char *s);

/* Reads a date of column into iso: real and not in the future.  Blank gives fallback
 * ("" is allowed), or "is required" when fallback is NULL.  0, or -1 with the problem. */
int token_check_date(const char *column, const char *value, const char *fallback,
		     char iso[11], struct kyso_problems *p);

/* Writes a step (s->id, document, actor and at are ignored); *id gets its id. */
int token_step_insert_tx(struct kyso_db *db, const struct token_step *s, long long *id,
			 struct kyso_err *err);

/* The JSON of a step for its event and audit row (what was given, never more). */
json_t *token_step_json(const struct token_step *s, const char *serial);

/* The words of "a token in state Lost cannot be handed over; handover needs ...". */
const char *token_action_passive(const char *action);
const char *token_action_noun(const char *action);

/* The keeper's and the holder's names folded, for the holder filter and search (NULL
 * when neither is known).  Caller frees. */
char *token_people_fold(const char *keeper, const char *holder);

/* 1 when the comma-separated list holds word. */
int token_list_has(const char *list, const char *word);

/* Adds the non-NULL strings to o under their names (a NULL name ends the list). */
void token_json_set(json_t *o, ...);

#endif
