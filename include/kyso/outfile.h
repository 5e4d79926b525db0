/*
 * outfile.h - files kyso writes are made under a temporary name beside the target
 * ("<path>.tmp-XXXXXX", owner-only, as mkstemp makes it) and renamed over it only when
 * complete and on disk: a full disk or a crash never leaves half a file under the real
 * name.
 */
#ifndef KYSO_OUTFILE_H
#define KYSO_OUTFILE_H

#include "kyso/err.h"

/* Creates the temporary file for path: its descriptor goes to *fd and its name to *name
 * (caller frees, through outfile_commit or outfile_discard). */
int outfile_create(const char *path, char **name, int *fd, struct kyso_err *err);

/* Flushes the finished temporary file to disk and renames it to path.  The temporary
 * file is gone afterwards, whatever happens; name is freed. */
int outfile_commit(char *name, const char *path, struct kyso_err *err);

/* Removes the temporary file and frees name; returns rc (for "return outfile_discard(...)"). */
int outfile_discard(char *name, int rc);

#endif
