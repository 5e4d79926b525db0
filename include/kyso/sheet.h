/*
 * sheet.h - reads a spreadsheet the way officers keep one: CSV (UTF-8 with or without BOM,
 * comma or semicolon separated, RFC 4180 quoting) or the first worksheet of an XLSX file.
 * Rows are streamed one at a time; memory does not grow with the number of rows.
 */
#ifndef KYSO_SHEET_H
#define KYSO_SHEET_H

#include <stddef.h>
#include "kyso/err.h"

struct sheet;

/* Opens path; the format is chosen by its extension (.csv, .xlsx), else by content. */
int sheet_open(const char *path, struct sheet **out, struct kyso_err *err);

/* Reads the next row.  Returns 1 with *cells and *ncells set (valid until the next call; cells
 * are NUL-terminated UTF-8 as found in the file, "" for empty cells, trailing empty cells
 * dropped), 0 at the end, or a negative KYSO_E* code.  *line is the 1-based row number as
 * the officer sees it (the CSV line where the record starts, or the XLSX row number). */
int sheet_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
	       struct kyso_err *err);

void sheet_close(struct sheet *sh);

#endif
