/*
 * cli.h - the command line (DESIGN.md §5): one function per command, each given the open
 * store and its own arguments, returning the exit status.  Shared output helpers.
 */
#ifndef KYSO_TUI_CLI_H
#define KYSO_TUI_CLI_H

#include <stdio.h>
#include <getopt.h>

#include <jansson.h>

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
int cli_token(struct cli *c, int argc, char **argv);
int cli_cert(struct cli *c, int argc, char **argv);
int cli_setting(struct cli *c, int argc, char **argv);
int cli_minutes(struct cli *c, int argc, char **argv);
/* `kyso report ...` (cli_report.c; cli_report below prints errors). */
int cli_reports(struct cli *c, int argc, char **argv);
void cli_usage(FILE *out);

/* kyso with no command on a terminal: the full-screen interface (app.c). */
int tui_main(struct cli *c);

/* Prints "kyso: msg" and, indented below, every problem; returns the exit status. */
int cli_report(int code, const struct kyso_err *err, const struct kyso_problems *problems);

/* "kyso: usage: ..." on stderr; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* getopt_long, with kyso's own message for an unknown option or a missing value (in the
 * interface's language, naming the option); returns '?' for either. */
struct option;
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* The options of a list that takes only --json: *arr is a new JSON array when it was
 * given, else NULL.  0, or the exit status of a usage error (printed with usage). */
int cli_json_options(int argc, char **argv, const char *usage, json_t **arr);
/* The end of a list printed row by row (rc and err the list's result): prints arr (the
 * rows collected for --json, may be NULL) when it succeeded, else drops it and reports
 * the error; takes arr.  The exit status, 1 when stdout could not be written. */
int cli_list_end(json_t *arr, int rc, const struct kyso_err *err);

/* Writes s into f padded or cut to width display columns, then a separator. */
void out_cell(FILE *f, const char *s, int width);
/* The same, aligned right (a number's header). */
void out_cell_right(FILE *f, const char *s, int width);

/* Prints v on stdout (f) as indented JSON (keys in the order set) and a newline; takes v. */
void out_json(json_t *v);
void out_json_to(FILE *f, json_t *v);

/* Where a command that writes the file out says what it did: stderr when the file goes
 * to standard output ("-o -"), else stdout. */
FILE *cli_say(const char *out);

/* The file a command writes for -o out (issue 11): out itself; for a folder ("-o DIR",
 * "-o DIR/") the default name STEM.EXT in it, "-2", "-3" ... when taken; for no -o (out
 * NULL) the same in the documents' folder (documents.dir, made when missing).  *path is
 * new (caller frees). */
int cli_output_path(struct kyso_db *db, const char *out, const char *stem, const char *ext,
		    char **path, struct kyso_err *err);

/* The filters `subscriber list` and `export roster` share (cli_subscriber.c):
 * cli_list_options are their getopt entries, cli_opt_json the value of --json.
 * cli_list_option reads one: 0 when taken, the option back when it is not one of them,
 * -1 when the store could not be opened, -2 after a usage message. */
struct subscriber_query;
extern const struct option cli_list_options[];
extern const size_t cli_list_noptions;
extern const int cli_opt_json;
int cli_list_option(struct cli *c, int opt, const char *arg, struct subscriber_query *q,
		    long long *unit_id);

/* A row of token_list as `token list --json` prints it (cli_token.c); `subscriber show
 * --json` lists a subscriber's tokens the same way.  A new object. */
struct token_row;
json_t *cli_token_json(const struct token_row *r);

/* Reads an integer argument; -1 when it is not one. */
long long cli_number(const char *s);

#endif
