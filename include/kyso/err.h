/*
 * err.h - how core/ and reports/ tell their caller what went wrong.
 *
 * Every function below tui/ returns 0 on success or a negative KYSO_E* code and fills a
 * struct kyso_err with a message for a person, in the interface language.  Validation
 * collects every problem it finds in a struct kyso_problems, so that the officer sees all
 * of them at once (row, column, message).  Nothing below tui/ prints or exits.
 */
#ifndef KYSO_ERR_H
#define KYSO_ERR_H

#include <stddef.h>

enum {
	KYSO_OK = 0,
	KYSO_EIO = -1,       /* store, file or library failure: exit 1 */
	KYSO_EUSAGE = -2,    /* wrong arguments: exit 2 */
	KYSO_EINVAL = -3,    /* input rejected by validation: exit 3 */
	KYSO_ECONFLICT = -4, /* the row changed since it was read: exit 4 */
	KYSO_ENOTFOUND = -5, /* no such row: exit 1 */
	KYSO_ENOMEM = -6,    /* out of memory: exit 1 */
};

struct kyso_err {
	int code;
	char msg[1024];
};

/* Sets err (if not NULL) and returns code, so that callers can write
 * "return kyso_fail(err, KYSO_EINVAL, ...)".  The format is printf's. */
int kyso_fail(struct kyso_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What the system's error errnum means, in the interface language (glibc's own words
 * are English unless its catalogues are installed, and would sit inside a Vietnamese
 * message).  Not to be freed. */
const char *kyso_strerror(int errnum);

/* Exit status of the command line for a KYSO_E* code (DESIGN.md §5). */
int kyso_exit_status(int code);

/* One problem found in input: row is the 1-based line in a file (0 when the input is not
 * a file), column the field's name as the officer knows it. */
struct kyso_problem {
	long row;
	char column[64];
	char message[512];
};

struct kyso_problems {
	struct kyso_problem *items;
	size_t count;	/* items kept */
	size_t cap;
	size_t lost;	/* found but not kept (out of memory): still problems */
};

void kyso_problems_add(struct kyso_problems *p, long row, const char *column,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void kyso_problems_clear(struct kyso_problems *p);
/* Every problem found, kept or not: what decides whether input is refused.  A problem
 * that could not be kept still counts, so invalid input is never written for want of
 * memory (issue 12.6). */
size_t kyso_problems_found(const struct kyso_problems *p);
void kyso_problems_free(struct kyso_problems *p);

#endif
