/*
 * roster_export.h - writes the roster as `subscriber list` shows it, to CSV or XLSX.
 * Files are written to a temporary name beside the target and renamed when complete.
 */
#ifndef KYSO_ROSTER_EXPORT_H
#define KYSO_ROSTER_EXPORT_H

#include "kyso/subscriber.h"

enum roster_format { ROSTER_CSV, ROSTER_XLSX };

/* Writes the rows q selects to path; *rows gets how many. */
int roster_export(struct kyso_db *db, const struct subscriber_query *q,
		  enum roster_format format, const char *path, long *rows,
		  struct kyso_err *err);

#endif
