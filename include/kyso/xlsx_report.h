/*
 * xlsx_report.h - the report to the department as an XLSX workbook (issue 5; DOMAIN.md
 * §6, §7): a summary sheet (title block, the numbers by unit with a total row, by kind
 * of subscriber, the signature block) and detail sheets (the roster at the end of the
 * period, the events of the period, handovers, lost tokens).  Vietnamese whatever the
 * interface language: the workbook goes to the department.
 *
 * Written with libxlsxwriter in constant-memory mode, row by row as the history is read,
 * through outfile.h (a temporary name beside the target, renamed when complete).
 */
#ifndef KYSO_XLSX_REPORT_H
#define KYSO_XLSX_REPORT_H

#include "kyso/report.h"

/* Told how far the writing is: rows written of about total; may be NULL.  It is called
 * while another thread reads the store through the same connection (the detail rows),
 * so it must not use the database: it draws, and nothing else. */
typedef void (*xlsx_report_progress)(long done, long total, void *ctx);

/* "bao-cao-2026-H2", "bao-cao-2026", "bao-cao-2026-01-01_2026-03-31": the name a report's
 * file is given by default (before ".xlsx", and "-2", "-3" ... when it is taken). */
void xlsx_report_file_stem(const struct report_period *p, char *out, size_t outsz);

/* Counts period p, writes its workbook to path (outfile.h: flags OUTFILE_FORCE to replace
 * an existing file that is not a sent report's or minutes'; "-" for standard output) and
 * records the report (its numbers, the file's canonical name, "-" for a stream, and its
 * SHA-256); out gets the summary with its record's id and file.  The file is removed
 * again when it cannot be recorded. */
int xlsx_report_generate(struct kyso_db *db, const struct report_period *p, const char *path,
			 int flags, xlsx_report_progress progress, void *ctx,
			 struct report_summary *out, struct kyso_err *err);

/* Writes recorded report id again to path (flags as above): the summary sheet from the
 * record (the numbers, the agency's blocks and the date as they were), the detail sheets
 * from the history of its period.  *identical (may be NULL) is 1 when the file's SHA-256
 * equals the recorded one: nothing of the period's history was recorded since. */
int xlsx_report_again(struct kyso_db *db, long long id, const char *path, int flags,
		      xlsx_report_progress progress, void *ctx, int *identical,
		      struct kyso_err *err);

#endif
