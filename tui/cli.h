/*
 * cli.h - the command line (DESIGN.md §5): one function per command, each given the open
 * store and its own arguments, returning the exit status.  Shared output helpers.
 */
#ifndef KYSO_TUI_CLI_H
#define KYSO_TUI_CLI_H

#include <stdio.h>

#include "kyso/db.h"
#include "kyso/err.h"

struct cli {
	const char *db_path;
	const char *lang;
	struct kyso_db *db; /* opened on demand by cli_db() */
	int may_create;     /* init and the interface make the database; others need it */
};

/* Opens the store (once); prints the error and returns NULL on failure. */
struct kyso_db *cli_db(struct cli *c);

int cli_init(struct cli *c, int argc, char **argv);
int cli_agency(struct cli *c, int argc, char **argv);
int cli_unit(struct cli *c, int argc, char **argv);
int cli_subscriber(struct cli *c, int argc, char **argv);
int cli_import(struct cli *c, int argc, char **argv);
int cli_export(struct cli *c, int argc, char **argv);
int cli_audit(struct cli *c, int argc, char **argv);
int cli_due(struct cli *c, int argc, char **argv);
void cli_usage(FILE *out);

/* Prints "kyso: msg" and, indented below, every problem; returns the exit status. */
int cli_report(int code, const struct kyso_err *err, const struct kyso_problems *problems);

/* "kyso: usage: ..." on stderr; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes s into f padded or cut to width display columns, then a separator. */
void out_cell(FILE *f, const char *s, int width);

/* Reads an integer argument; -1 when it is not one. */
long long cli_number(const char *s);

#endif
