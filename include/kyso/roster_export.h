/*
 * roster_export.h - writes the roster as `subscriber list` shows it, to CSV or XLSX.
 * Files are written through outfile.h: a temporary name beside the target, renamed when
 * complete.
 */
#ifndef KYSO_ROSTER_EXPORT_H
#define KYSO_ROSTER_EXPORT_H

#include "kyso/subscriber.h"

enum roster_format { ROSTER_CSV, ROSTER_XLSX };

/* Writes the rows q selects to path (outfile.h: flags OUTFILE_FORCE to replace an
 * existing file; "-" for standard output); *rows gets how many. */
int roster_export(struct kyso_db *db, const struct subscriber_query *q,
		  enum roster_format format, const char *path, int flags, long *rows,
		  struct kyso_err *err);

#endif
