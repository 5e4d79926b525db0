/*
 * minutes.h - minutes (biên bản) of a token's changes, written as DOCX (DOMAIN.md §3,
 * §6): the staff handover (Art. 14.4), the return to the department (Mẫu 08 of Decree
 * 68/2024 / Mẫu 14 of Circular 185/2019) and the lost token (Mẫu 09 / Mẫu 15).
 *
 * The minutes of a kind record the last step of that kind of each token named (a
 * handover or a found token's return to use; a return; a loss); several tokens can go in
 * one document when the parties are the same.  The document gets the agency's next
 * number, is recorded in the document register with the SHA-256 of the file, and the
 * steps are linked to it.  The layout and wording of each kind, in each form set, are
 * data (reports/minutes_forms.c); the engine (reports/docx.c) knows nothing of tokens.
 * Files are written through outfile.h: a temporary name beside the target, renamed when
 * complete, never over a file without the caller's word nor over recorded minutes.
 */
#ifndef KYSO_MINUTES_H
#define KYSO_MINUTES_H

#include <stddef.h>

#include "kyso/db.h"

enum minutes_kind { MINUTES_HANDOVER, MINUTES_RETURN, MINUTES_LOST };

/* "handover", "return", "lost" (the command line's words) and back. */
const char *minutes_kind_name(enum minutes_kind k);
int minutes_kind_parse(const char *name, enum minutes_kind *k);
/* The document.kind it is recorded as (token.h's DOC_MINUTES_*), and back: -1 when
 * doc_kind is not minutes. */
const char *minutes_doc_kind(enum minutes_kind k);
int minutes_kind_of_doc(const char *doc_kind, enum minutes_kind *k);
/* A person's words: "Handover minutes", "Return minutes", "Lost-token minutes". */
const char *minutes_kind_label(enum minutes_kind k);

struct minutes_request {
	enum minutes_kind kind;
	const char *form_set;		/* FORM_SET_*; NULL: the setting, else Decree 68 */
	const long long *token_ids;	/* at least one */
	size_t ntokens;
	const char *date;		/* the document's date; NULL: the latest step's date */
	const char *place;		/* where it is drawn up; NULL: the agency's address */
	/* The .docx to write ("-": standard output); a folder, or NULL for the documents'
	 * folder (documents.dir): there, under the number's name with "-2" ... when taken
	 * ("bien-ban-2026-03-BB-SNNMT.docx").  The record holds the file's canonical name. */
	const char *path;
	int flags;			/* outfile.h: OUTFILE_FORCE replaces a file that is not
					 * a sent report's nor minutes' */
};

/* Writes the minutes and records them.  *document_id (may be NULL) gets the record.
 * KYSO_EINVAL when a token has no step of the kind to record, when a step has minutes
 * already (write those again with minutes_rewrite), or when the tokens' parties differ
 * (one document per party). */
int minutes_write(struct kyso_db *db, const struct minutes_request *r, long long *document_id,
		  struct kyso_err *err);

/* Writes recorded document id again to path (a file, "-", a folder or NULL as for
 * minutes_write; flags the same) from its record, byte for byte as it was generated;
 * *identical (may be NULL) is 1 when the file's SHA-256 equals the recorded one (it is,
 * unless the record was edited by hand); *written (may be NULL) gets the file written
 * ("-" for a stream; caller frees).  The recorded file itself is never written over. */
int minutes_rewrite(struct kyso_db *db, long long document_id, const char *path, int flags,
		    int *identical, char **written, struct kyso_err *err);

#endif
