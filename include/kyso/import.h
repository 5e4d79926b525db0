/*
 * import.h - bringing an agency's existing roster in from CSV or XLSX.
 *
 * The first row names the columns (Vietnamese or English; --map for others).  A real
 * import is all or nothing unless skip_invalid; a dry run does the same work and rolls it
 * back, so it reports exactly what a real import would do.  Rows are matched to active
 * subscribers by citizen ID or e-mail, so importing the same file twice changes nothing.
 */
#ifndef KYSO_IMPORT_H
#define KYSO_IMPORT_H

#include "kyso/db.h"

struct import_map {
	const char *column;  /* header as written in the file */
	const char *field;   /* subscriber field name, or "-" to ignore the column */
};

/* A value the officer changed in kyso that the file may overwrite (ticked on the preview):
 * subscriber id and an enum subscriber_field. */
struct import_pick {
	long long id;
	int field;
};

/* One field a row changes, or would change but does not: a value edited in kyso after the
 * import that last wrote that field is kept (applied 0) unless overwrite_edits, or the
 * officer picked it.  Values as stored (dates YYYY-MM-DD, kind by name); NULL is blank. */
struct import_change {
	long row;
	long long id;
	int field;		/* enum subscriber_field */
	const char *old_value, *new_value;
	int edited_here;	/* changed in kyso since the import last wrote this field */
	int applied;		/* written (in a dry run: would be) */
};

typedef int (*import_change_fn)(const struct import_change *c, void *ctx);

struct import_options {
	int dry_run;
	int skip_invalid;
	const struct import_map *maps;
	size_t nmaps;
	int overwrite_edits;		  /* the file's values replace edits made in kyso */
	const struct import_pick *picks;  /* ... or only these */
	size_t npicks;
	import_change_fn on_change;	  /* each field changed or kept, in field order; called
					   * with roster_import's ctx */
};

enum import_action { IMPORT_ADDED, IMPORT_UPDATED, IMPORT_UNCHANGED, IMPORT_REJECTED };

struct import_result {
	long added, updated, unchanged, rejected;
	long units_added;
	long edits_kept;               /* fields edited in kyso that the file did not overwrite */
	long long batch;               /* import_batch id (0 when nothing was written) */
	int committed;                 /* 1 when the changes were written */
	char ignored[512];             /* headers of columns that were not read, ", "-joined */
	struct kyso_problems problems; /* one entry per problem, row = line in the file: the
					* first IMPORT_MAX_PROBLEMS of them */
	long problems_not_kept;        /* problems beyond those (counted, not kept) */
};

/* Problems kept in detail: a wrong file can reject every one of a million rows, and the
 * report must not grow with it. */
#define IMPORT_MAX_PROBLEMS 1000

/* Called for each data row with what happened to it (for the row-by-row report).  name is
 * the row's name as read; id the subscriber's id (0 for rejected rows). */
typedef int (*import_row_fn)(long line, enum import_action action, const char *name,
			     long long id, void *ctx);

int roster_import(struct kyso_db *db, const char *path, const struct import_options *opt,
		  import_row_fn fn, void *ctx, struct import_result *res, struct kyso_err *err);

void import_result_free(struct import_result *res);

/* Maps a header as officers write it ("Họ và tên", "Số CCCD", "Email", ...) to a field
 * name, or NULL when unknown. */
const char *import_header_field(const char *header);

#endif
