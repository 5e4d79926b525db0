/*
 * minutes_impl.h - what the three parts of the minutes share, inside reports/ only:
 * the definitions (minutes_forms.c: layout and wording as data, one per kind and form
 * set), the filling of their templates, and the drawing of a resolved document
 * (minutes_render.c: content JSON -> DOCX).
 *
 * Templates name variables in braces: "{date_long}", "{giver_name}".  In a party's lines
 * "{name}" is the party's own ("{giver_name}" for the giver).  "{?var}" writes nothing
 * and keeps the paragraph only when var has a value: "{?designation_ref}Căn cứ ...".
 * A variable without a value is written as a dotted line, to be filled in by hand.
 */
#ifndef KYSO_REPORTS_MINUTES_IMPL_H
#define KYSO_REPORTS_MINUTES_IMPL_H

#include <jansson.h>

#include "kyso/agency.h"
#include "kyso/docx.h"
#include "kyso/minutes.h"
#include "kyso/token.h"

/* What a value nobody recorded is printed as in running text. */
#define MINUTES_BLANK "………………"

/* Version of the content JSON a document is recorded with (document.content). */
#define MINUTES_CONTENT_FORMAT 1

/* A party: its role names its variables ("giver" -> {giver_name}, {giver_position},
 * {giver_unit}); label is a template ("Bên giao:"). */
struct minutes_party {
	const char *role;
	const char *label;
};

/* A column of the tokens' table: cell is a template of the row's variables ({no},
 * {subscriber}, {cert_serial}, {token_serial}, {reason}, {cert_state}, {step_note}). */
struct minutes_column {
	const char *header;
	int width;		/* twips; the widths add up to DOCX_TEXT_WIDTH */
	enum docx_align align;
	const char *cell;
};

struct minutes_sign {
	const char *title, *note, *name;	/* templates */
};

/* The words of a form set the definitions share. */
struct minutes_terms {
	const char *const *party_lines;	/* under each party's label: "Ông (bà): {name}" */
	const struct minutes_column *columns;
	size_t ncolumns;
	/* A certificate's state in the table: {cert_not_after}, {cert_revoked_on}. */
	const char *cert_valid, *cert_expired, *cert_revoked;
};

/* One kind of minutes in one form set.  String lists end with NULL. */
struct minutes_form {
	enum minutes_kind kind;
	const char *form_set;
	const char *form;		/* document.form: "Mẫu 08"; NULL: not a numbered form */
	const char *const *label;	/* top right: "Mẫu số 08", "(Kèm theo ...)" */
	const char *symbol;		/* "BB": the number reads "05/BB-<agency code>" */
	const char *name;		/* document.title: "Biên bản bàn giao ..." */
	const char *title, *summary;	/* "BIÊN BẢN", "Bàn giao ..." */
	const char *const *basis;	/* "Căn cứ ..." */
	const char *opening;		/* "Hôm nay, {date_long}, tại {place}, chúng tôi gồm:" */
	const struct minutes_party *parties; /* ends with a NULL role */
	const char *const *body;	/* before the table */
	const char *condition;		/* the table's "Tình trạng" */
	const char *const *closing;	/* after the table */
	const struct minutes_sign *signs; /* one per party, side by side; ends with NULL title */
	struct minutes_sign confirm;	/* the head of agency's, at the foot */
	const char *const *recipients;	/* "Nơi nhận" */
	const struct minutes_terms *terms;
};

/* The definition of kind in form_set, or NULL. */
const struct minutes_form *minutes_form_find(enum minutes_kind kind, const char *form_set);

/* All definitions (for tests that check every template). */
const struct minutes_form *minutes_forms(size_t *n);

/* The words for a return's reason ("expired" -> "Chứng thư ... hết hạn"); the reason as
 * given when it is not a known one. */
const char *minutes_reason_text(const char *form_set, const char *reason);

/* Fills tmpl from vars (role: the party whose {name} is meant, or NULL).  Missing values
 * are written as blank.  *keep (may be NULL) is 0 when a "{?var}" had no value.  Returns
 * a new string, or NULL when out of memory or when tmpl names an unknown variable (a
 * definition's mistake: *unknown, when not NULL, gets its name). */
char *minutes_fill(const char *tmpl, json_t *vars, const char *role, const char *blank,
		   int *keep, char unknown[64]);

/* The token action a kind records above all (minutes.c), and its refusal when a token
 * has no such step (a format with one %s, the serial; N_() text). */
const char *minutes_kind_action(enum minutes_kind k);
const char *minutes_kind_no_step(enum minutes_kind k);

/* What is gathered (minutes_gather.c) ----------------------------------------------- */

/* The texts of a step kept past the callback that read it. */
#define STEP_TEXTS(X)                                                                     \
	X(on_date) X(action) X(keeper_name) X(keeper_position) X(holder_name)             \
	X(holder_position) X(party_name) X(party_position) X(ref) X(authorised_by) X(place) \
	X(circumstances) X(discovered) X(reason) X(note)

struct minutes_step {
#define STEP_DECL(f) char *f;
	STEP_TEXTS(STEP_DECL)
#undef STEP_DECL
	long long id, token_id, party_subscriber_id, document_id;
	int password_handed;
	int oom;
};

/* A person as the minutes name them. */
struct minutes_person {
	char *name, *position, *unit;
};

/* One token of the document and what the minutes say of it. */
struct minutes_item {
	struct token t;
	struct minutes_step step;	/* the step the minutes record */
	struct minutes_step prev;	/* the step before it: custody before the change */
	char *cert_serial, *cert_not_after, *cert_revoked_on, *cert_state;
	struct minutes_person first, second; /* the parties, in the definition's order */
};

/* What minutes_gather reads for a document. */
struct minutes_gather {
	struct kyso_db *db;
	enum minutes_kind kind;
	struct agency agency;
	struct minutes_item *items;
	size_t n;
	char date[11];		/* the document's date */
	char latest[11];	/* the latest step's date */
};


/* Inside the caller's transaction: reads everything the minutes of request r say into
 * g (db, kind and n set, items allocated zeroed), and refuses what cannot be recorded
 * (KYSO_EINVAL, the message naming the token). */
int minutes_gather(struct minutes_gather *g, const struct minutes_request *r,
		   struct kyso_err *err);
void minutes_gather_free(struct minutes_gather *g);

/* The content (minutes_content.c) -------------------------------------------------- */

/* The document's full content for number ("05/BB-SNNMT"), every text resolved. */
json_t *minutes_content(const struct minutes_gather *g, const struct minutes_form *f,
			const char *number, const char *place, struct kyso_err *err);

/* Draws the resolved content (MINUTES_CONTENT_FORMAT) as a DOCX. */
int minutes_render(json_t *content, unsigned char **bytes, size_t *len, struct kyso_err *err);

#endif
