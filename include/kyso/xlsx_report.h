/*
 * xlsx_report.h - the report to the department as an XLSX workbook (issue 5; DOMAIN.md
 * §6, §7): a summary sheet (title block, the numbers by unit with a total row, by kind
 * of subscriber, the signature block) and detail sheets (the roster at the end of the
 * period, the events of the period, handovers, lost tokens).  Vietnamese whatever the
 * interface language: the workbook goes to the department.
 *
 * Written with libxlsxwriter in constant-memory mode, row by row as the history is read,
 * under a temporary name beside the target and renamed when complete.
 */
#ifndef KYSO_XLSX_REPORT_H
#define KYSO_XLSX_REPORT_H

#include "kyso/report.h"

/* Told how far the writing is: rows written of about total; may be NULL.  It is called
 * while another thread reads the store through the same connection (the detail rows),
 * so it must not use the database: it draws, and nothing else. */
typedef void (*xlsx_report_progress)(long done, long total, void *ctx);

/* Writes the workbook of summary s with the detail rows r reads to path. */
int xlsx_report_write(struct report_reader *r, const struct report_summary *s, const char *path,
		      xlsx_report_progress progress, void *ctx, struct kyso_err *err);

/* Counts period p, writes its workbook to path and records the report (its numbers and
 * the file's SHA-256); out gets the summary with its record's id.  The file is removed
 * again when it cannot be recorded. */
int xlsx_report_generate(struct kyso_db *db, const struct report_period *p, const char *path,
			 xlsx_report_progress progress, void *ctx, struct report_summary *out,
			 struct kyso_err *err);

/* Writes recorded report id again to path: the summary sheet from the record (the
 * numbers, the agency's blocks and the date as they were), the detail sheets from the
 * history of its period.  *identical (may be NULL) is 1 when the file's SHA-256 equals
 * the recorded one: nothing of the period's history was recorded since. */
int xlsx_report_again(struct kyso_db *db, long long id, const char *path,
		      xlsx_report_progress progress, void *ctx, int *identical,
		      struct kyso_err *err);


#endif
