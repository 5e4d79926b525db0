/*
 * outfile.h - every file kyso writes goes through here (issue 11): it is made under a
 * temporary name beside the file it becomes ("<target>.tmp-XXXXXX", owner-only, as
 * mkstemp makes it) and renamed into place only when complete and on disk, so that a full
 * disk or a crash never leaves half a file under the real name.  And no file the agency
 * needs is replaced in silence:
 *
 *  - a file that exists is not replaced unless the caller says so (OUTFILE_FORCE: the
 *    command line's --force, the interface's "Replace?"); the rename itself refuses to
 *    replace one that appeared meanwhile;
 *  - the file of a report marked sent, or of minutes in the register, is never replaced,
 *    forced or not (the store is asked when a db is given);
 *  - a symbolic link is never replaced: the file it points to is written (the temporary
 *    file beside that one);
 *  - "-" and "/dev/stdout" are standard output, and a device or a FIFO gets the bytes
 *    as they are: the file is made in $TMPDIR first and copied there once complete.
 */
#ifndef KYSO_OUTFILE_H
#define KYSO_OUTFILE_H

#include <stddef.h>

#include "kyso/db.h"
#include "kyso/err.h"

/* outfile_open's flags. */
#define OUTFILE_FORCE 1 /* an existing file (not a protected one) may be replaced */

struct outfile {
	const char *path;  /* as the caller named it: messages say it (not owned) */
	char *target;	   /* the file it becomes, absolute and canonical (links followed);
			    * NULL for standard output or a device */
	char *tmp;	   /* the temporary file */
	char *dir;	   /* the folder tmp is in (a library's own temporary files go there) */
	int fd;		   /* open on tmp for writing; the caller may close it (set -1) */
	int stream;	   /* -1, or where the bytes go at commit: 1 or a device's descriptor */
	int force;
};

/* 1 when path names standard output: "-", "/dev/stdout", "/dev/fd/1". */
int outfile_is_stdout(const char *path);

/* Opens the temporary file for path.  Refused, with path named: a folder (KYSO_EIO, as
 * for a folder that does not exist), an existing file without OUTFILE_FORCE
 * (KYSO_ECONFLICT), and whatever flags say, the file of a sent report or of recorded
 * minutes when db is given (KYSO_ECONFLICT).  Every failure leaves nothing behind. */
int outfile_open(struct outfile *o, struct kyso_db *db, const char *path, int flags,
		 struct kyso_err *err);

/* Writes len bytes to o->fd and closes it. */
int outfile_write(struct outfile *o, const void *bytes, size_t len, struct kyso_err *err);

/* Flushes the finished temporary file to disk and puts it in place (renamed over the
 * target, or copied to the stream); the temporary file is gone afterwards, whatever
 * happens, and o is freed.  KYSO_ECONFLICT when a file took the name meanwhile (not
 * forced). */
int outfile_commit(struct outfile *o, struct kyso_err *err);

/* Removes the temporary file and frees o; returns rc (for "return outfile_discard(...)"). */
int outfile_discard(struct outfile *o, int rc);

/* What a record says of the file written: the target, or "-" for a stream.  Not owned. */
const char *outfile_recorded_name(const struct outfile *o);

/* 1 when path names a folder: one that exists, or a name ending in "/" (the command
 * line's "-o DIR/" asks for a default name in DIR). */
int outfile_is_dir(const char *path);

/* "DIR/STEM.EXT", else "DIR/STEM-2.EXT", "DIR/STEM-3.EXT" ...: the first name no file
 * (nor link) has, in *out (caller frees). */
int outfile_free_name(const char *dir, const char *stem, const char *ext, char **out,
		      struct kyso_err *err);

/* The folder of the setting documents.dir ("~" for the home folder), made owner-only
 * with the folders above it when missing; *out (caller frees). */
int outfile_documents_dir(struct kyso_db *db, char **out, struct kyso_err *err);

#endif
