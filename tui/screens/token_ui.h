/*
 * token_ui.h - what the token screens share (screen_tokens.c, screen_token.c,
 * screen_handover.c) and the modules that serve them (token_flow.c: the flow and its
 * drafts; token_act.c: the fields of an action and the applying; token_minutes.c: the
 * minutes and the roster picker):
 *
 *   - the flow: a screen (or a box over one) around a form that records a change of one
 *     or several tokens, with the habits of every form here - problems next to their
 *     fields, Esc asks before dropping typed work, F2 records, a stale token refused with
 *     the text kept, a draft saved when kyso is stopped;
 *   - the fields each token action takes (token.h's struct token_act), built from a
 *     table, so that a single change, a return of several tokens and a departure's
 *     handover ask the same things the same way;
 *   - the roster picker, the minutes offered after a step that needs them, and the
 *     drafts the token forms leave.
 *
 * Core decides what is allowed and valid (token_apply, token_transitions); nothing here
 * does more than ask, show and call.
 */
#ifndef KYSO_TUI_TOKEN_UI_H
#define KYSO_TUI_TOKEN_UI_H

#include <stddef.h>

#include "widgets/form.h"
#include "kyso/draft.h"
#include "kyso/token.h"
#include "widgets/lines.h"

/* Field ids of the token forms; their names (token_field_name) are what drafts keep. */
enum token_field {
	/* the fields of a token action (struct token_act) */
	TF_DATE = 1,
	TF_PARTY_NAME,
	TF_PARTY_POSITION,
	TF_REF,
	TF_AUTHORISED_BY,
	TF_UNTIL,
	TF_PLACE,
	TF_DISCOVERED,
	TF_CIRCUMSTANCES,
	TF_REASON,
	TF_PASSWORD,
	TF_NOTE,
	TF_ACT_END,
	/* a new token */
	TF_SERIAL = 32,
	TF_KIND,
	TF_MODEL,
	TF_SUBSCRIBER,
	TF_KEEPER_NAME,
	TF_KEEPER_POSITION,
	TF_RECEIVED,
	TF_PIN_CHANGED,
	/* PIN changes */
	TF_DECLARED_BY,
	/* a certificate */
	TF_CERT_SERIAL,
	TF_CERT_ISSUANCE,
	TF_CERT_FROM,
	TF_CERT_TO,
	TF_CERT_STATUS,
	TF_CERT_REVOKED_ON,
	TF_CERT_REASON,
	TF_CERT_NOTICE_ON,
	TF_FIELD_END,
	TF_SAVE = 900,	  /* buttons */
	TF_CANCEL,
	TF_RETURN = 1000, /* + an action field: the second block of a form (a departure's
			   * returns beside its handovers) */
	TF_TOKEN = 2000	  /* + i: the choice made for the flow's i-th token */
};

/* The name field id's value is kept under in a draft ("party_name", "return.ref",
 * "token.12" for TF_TOKEN + i with the flow's i-th token's id 12). */
void token_field_name(int id, long long token_id, char *out, size_t outsz);

/* --- the flow ----------------------------------------------------------------------------- */

struct flow_token {
	long long id;
	long version; /* the version the change is asked of (expect_version) */
	char *serial;
	char *state;
	char *label;  /* how the flow lists it (may be NULL) */
	long long subscriber_id, keeper_subscriber_id;
};

/* Fields a roster pick fills, and the ids they keep (0: typed, not picked). */
enum { PICK_SUBSCRIBER, PICK_KEEPER, PICK_PARTY, PICK_RETURN_PARTY, NPICKS };

struct flow {
	struct screen base;
	struct form *form;
	const char *draft_form;	  /* DRAFT_TOKEN_* */
	char action[32];	  /* the action asked (DRAFT_TOKEN_ACT) */
	long long subscriber_id;  /* whose tokens (a departure), for the draft */
	struct flow_token *tokens;
	size_t ntokens;
	long long picks[NPICKS];
	char **texts;		  /* what flow_text handed out, freed with the flow */
	size_t ntexts;
	int is_dialog;		  /* a box over the screen below */
	const char *hint;	  /* msgid for the status line */
	/* F2 or [Save]: records, and returns UI_* flags. */
	int (*save)(struct flow *fl);
	/* Optional: a field's text or choice changed (show or hide what it governs). */
	void (*changed)(struct flow *fl);
};

/* A new flow (not on the stack yet) with an empty form; keys NULL: the flows' own.
 * NULL when out of memory (err filled). */
struct flow *flow_new(const char *title, const char *draft_form, struct kyso_err *err);
/* Adds the token the flow changes, at its current version; 0 or KYSO_ENOMEM. */
int flow_add_token(struct flow *fl, const struct token *t, const char *label);
/* Reads token id and adds it. */
int flow_add_token_id(struct flow *fl, long long id, struct kyso_err *err);
/* Frees a flow that was never pushed. */
void flow_free(struct flow *fl);

/* The NFC text of field id, or NULL when it holds nothing but spaces; flow_date the
 * same, cleaned, for a date field.  The strings are the flow's (freed when it goes, or
 * when the next save begins). */
const char *flow_text(struct flow *fl, int id);
const char *flow_date(struct flow *fl, int id);

/* Another kyso changed a token since the flow read it: nothing was written.  Asks
 * whether to record on the tokens as they are now (read again here); 1 when the officer
 * chose to.  The form keeps what was typed either way. */
int flow_conflict(struct flow *fl, const struct kyso_err *err);
/* Every problem next to its field (field_of NULL: by label) and the count in the status. */
void flow_problems(struct flow *fl, const struct kyso_problems *problems,
		   int (*field_of)(const char *column, void *ctx), void *ctx);
/* The end of building a flow: when bad (something could not be added) it is freed and
 * NULL returned with err saying so; else the keys go to the first empty field, the
 * fields are shown or hidden as changed() says, and the flow is pushed and returned. */
struct flow *flow_push_built(struct flow *fl, int bad, struct kyso_err *err);
/* Puts the keys on the first text field still empty (the date is filled in already). */
void flow_focus_empty(struct flow *fl);
/* After a successful save: the form is done with, and nothing asks before it goes. */
void flow_done(struct flow *fl);

/* Sets the fields from a draft (text as typed, choices, roster picks, the versions the
 * form was opened on); the form then counts as changed. */
void flow_restore(struct flow *fl, const struct draft *d);

/* The draft forms token_flow.c restores (for drafts_offer in screen_subscriber.c). */
int token_draft_is(const char *form);
void token_draft_describe(const struct draft *d, char *out, size_t outsz);
int token_draft_restore(const struct draft *d, struct kyso_err *err);

/* --- the fields of an action ------------------------------------------------------------- */

/* The transition of action from state in core's table, or NULL when it is not allowed. */
const struct token_transition *token_transition_of(const char *action, const char *state);
/* The minutes (DOC_MINUTES_*, core's string) that action recorded on the flow's tokens
 * ids needs, as core's table says from the state the flow read each in (the first of ids
 * that needs any); NULL when none does.  That token's serial goes into serial. */
const char *flow_minutes_doc(const struct flow *fl, const char *action, const long long *ids,
			     size_t n, char *serial, size_t serialsz);
/* Why action cannot start from state, in words ("... needs a token that is in use or
 * locked"), into out. */
void token_refusal(const char *action, const char *state, char *out, size_t outsz);

/* Adds the fields action takes, ids base + TF_*, to fl's form (without the date and the
 * note when is_block: a block of a form that has its own).  t (may be NULL) gives the
 * defaults. */
int act_fields_add(struct flow *fl, const char *action, int base, int is_block);
/* The label of an action's field (TF_PARTY_NAME: "Successor" for a handover), translated;
 * "" for an action the forms do not know. */
const char *act_label(const char *action, int field);
/* 1 when field (without its base) is one action takes. */
int act_has_field(const char *action, int field);

/* Chooses reason (token_act.reason: "departure", ...) in the reason field of the block at
 * base, without counting as typed. */
void act_set_reason(struct flow *fl, int base, const char *reason);

/* What the fields hold, as token_apply takes it (the strings are the flow's, flow_text). */
void act_fields_read(struct flow *fl, const char *action, int base, struct token_act *a);

/* form_show_problems' way from core's column to the field of an action's block.  ctx: a
 * struct act_map. */
struct act_map {
	struct form *form;
	const char *action;
	int base;
};
int act_field_of(const char *column, void *ctx);

/* Applies a to the flow's i-th token inside the caller's transaction (token_apply_tx, on
 * the version the flow read); its problems gathered into problems, one per field (those of
 * the token itself named by its serial when the flow has several). */
int act_apply_tx(struct flow *fl, size_t i, const struct token_act *a, const struct act_map *map,
		 long long *step_id, struct kyso_problems *problems, struct kyso_err *err);

/* What a flow does to its i-th token: act (NULL: nothing) with the block its fields are in. */
struct flow_act {
	const struct token_act *act;
	struct act_map map;
};
typedef void (*flow_pick_fn)(struct flow *fl, size_t i, struct flow_act *out, void *ctx);

/* Applies to every token of the flow what pick says, all in one transaction or none; on
 * a stale token asks the officer (flow_conflict) and tries once more; every problem shown
 * next to its field (field_of, field_ctx), other failures in the status line.  0 when
 * recorded; step_ids (may be NULL) gets each token's step. */
int flow_apply(struct flow *fl, flow_pick_fn pick, void *ctx, long long *step_ids,
	       int (*field_of)(const char *column, void *ctx), void *field_ctx);
/* The same action, read from the form's fields (base 0), for every token; the date typed
 * into date (may be NULL). */
int flow_apply_one(struct flow *fl, const char *action, long long *step_ids, char *date,
		   size_t datesz);

/* --- pickers, minutes ------------------------------------------------------------------- */

/* Looks words up in the roster and lets the officer pick one (at once when only one
 * matches).  1 with *id and the name and position (new strings) when one was picked. */
int roster_pick(const char *words, long long *id, char **name, char **position);

/* The minutes a step recorded on date by document kind doc_kind (DOC_MINUTES_*) needs,
 * for the tokens ids: asks whether to write them now, where (the folder of the setting
 * documents.dir, default ~/kyso-documents, where the minutes' number names the file, or a
 * file the officer types), writes them (minutes_write) and shows their number and file.
 * A failure is shown; the steps stay recorded and the due list keeps "minutes missing". */
void minutes_offer(const char *doc_kind, const long long *ids, size_t n, const char *date);

/* The token screens' openers that drafts and other screens call: each builds its flow
 * and pushes it; NULL (err filled) when it could not. */
struct flow *token_add_flow(struct kyso_err *err);
struct flow *token_pin_flow(const long long *ids, size_t n, struct kyso_err *err);
struct flow *token_return_flow(const long long *ids, size_t n, struct kyso_err *err);
struct flow *token_act_flow(long long id, const char *action, struct kyso_err *err);
struct flow *token_cert_flow(long long id, struct kyso_err *err);
struct flow *handover_flow(long long subscriber_id, struct kyso_err *err);

/* The subscriber screen's part about tokens: the tokens that are theirs or that they
 * keep (links that open the token) and, once departed, how many are unaccounted for. */
int subscriber_token_lines(struct lines *l, long long subscriber_id, int is_departed,
			   struct kyso_err *err);

#endif
