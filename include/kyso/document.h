/*
 * document.h - the register of documents kyso writes (minutes now, request forms
 * later): each gets a number in the agency's sequence for its year ("05/BB-SNNMT"), and
 * its record keeps what the file was made from (content, JSON) and the SHA-256 of the
 * file as generated, so that it can be written again identically and checked.  Only
 * core/document.c writes the document table.
 */
#ifndef KYSO_DOCUMENT_H
#define KYSO_DOCUMENT_H

#include <stddef.h>

#include "kyso/db.h"

/* Form sets (document.form_set; the setting "form_set" chooses the default). */
#define FORM_SET_ND68 "nd68"   /* Decree 68/2024/NĐ-CP (the default) */
#define FORM_SET_TT185 "tt185" /* Circular 185/2019/TT-BQP */

/* The form set to use when none is asked: the setting, else Decree 68/2024. */
const char *document_default_form_set(struct kyso_db *db, char buf[16]);

/* 0 when form_set is FORM_SET_ND68 or FORM_SET_TT185, else -1. */
int document_form_set_check(const char *form_set);

/* "05/BB-SNNMT": the number with a leading zero below 10, "/", the symbol (Decree 30).
 * Returns out. */
char *document_number_text(long number, const char *symbol, char *out, size_t outsz);

/* The same in SQL, for a query that joins the document as d (NULL without one). */
#define DOCUMENT_NUMBER_SQL \
	"CASE WHEN d.id IS NOT NULL THEN printf('%02d/%s', d.number, d.symbol) END"

/* A document as recorded.  Strings owned by the struct (document_free). */
struct document {
	long long id;
	char *kind, *form_set, *form;
	int year;
	long number;
	char *symbol;
	char *doc_date;
	char *title;
	char *content;		/* JSON */
	char *file_name;
	char *sha256;		/* 64 hex digits */
	char *actor, *created_at;
};

void document_init(struct document *d);
void document_free(struct document *d);

/* Inside the caller's transaction: the next number of year (1 for the first). */
int document_next_number_tx(struct kyso_db *db, int year, long *number, struct kyso_err *err);

/* Inside the caller's transaction: records d (kind, form_set, form, year, number,
 * symbol, doc_date, title, content, file_name, sha256 as given), links the token steps
 * it records (token_steps_set_document_tx), writes an EVENT_DOCUMENT_WRITTEN event for
 * each step's token and the audit row; d->id set. */
int document_record_tx(struct kyso_db *db, struct document *d, const long long *step_ids,
		       size_t nsteps, struct kyso_err *err);

int document_get(struct kyso_db *db, long long id, struct document *out, struct kyso_err *err);

/* The document numbered "N/SYMBOL" (or "N" in year; year 0: the latest year holding N). */
int document_find(struct kyso_db *db, const char *number, int year, long long *id,
		  struct kyso_err *err);

/* One row of the register.  Pointers valid during the callback only. */
struct document_row {
	long long id;
	const char *kind, *form_set, *form, *symbol, *doc_date, *title, *file_name, *sha256;
	int year;
	long number;
	const char *serials;	/* the tokens' serials, comma-separated, or NULL */
};

/* Calls fn for each document (kind NULL: any), newest first. */
int document_list(struct kyso_db *db, const char *kind, long limit,
		  int (*fn)(const struct document_row *row, void *ctx), void *ctx,
		  struct kyso_err *err);



#endif
