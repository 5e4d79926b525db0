/*
 * outfile.c - the temporary file every written file goes through, and the rules of what
 * may be replaced (outfile.h).
 *
 * A protected file is recognised by its name as recorded (an absolute, canonical path
 * since issue 11) or, when it exists, by being the same file (device and inode) as the
 * one a record names: that catches the relative paths that earlier records hold, links
 * and other spellings of the same path.  Only records whose last name is the target's
 * are looked at that closely.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kyso/check.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/report.h"
#include "kyso/settings.h"

static int oom(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

int outfile_is_stdout(const char *path)
{
	return path && (!strcmp(path, "-") || !strcmp(path, "/dev/stdout") ||
			!strcmp(path, "/dev/fd/1"));
}

int outfile_is_dir(const char *path)
{
	struct stat st;
	size_t n = path ? strlen(path) : 0;

	if (!n || outfile_is_stdout(path))
		return 0;
	return path[n - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* "DIR/NAME" (DIR "/" gives "/NAME"); NULL when out of memory. */
static char *join(const char *dir, const char *name)
{
	char *out;
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (asprintf(&out, "%.*s%s%s", (int)n, dir, n == 1 && dir[0] == '/' ? "" : "/", name) < 0)
		return NULL;
	return out;
}

/* The folder part of path ("." for a bare name) and its last name. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static const char *last_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The file path names in the end: each symbolic link followed (a relative link read from
 * its own folder), then the folder made canonical and the last name kept.  The target need
 * not exist; its folder must. */
static int resolve(const char *path, char **target, struct kyso_err *err)
{
	char *p = strdup(path), *dir = NULL, *real = NULL, link[PATH_MAX];
	struct stat st;
	int hops, rc = 0;
	ssize_t n;

	for (hops = 0; p && lstat(p, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		char *next;

		if (hops == 40 || (n = readlink(p, link, sizeof link - 1)) < 0) {
			rc = kyso_fail(err, KYSO_EIO, _("%s: cannot follow the link (%s)"), path,
				       kyso_strerror(hops == 40 ? ELOOP : errno));
			goto out;
		}
		link[n] = '\0';
		if (link[0] == '/') {
			next = strdup(link);
		} else {
			char *d = folder_of(p);

			next = d ? join(d, link) : NULL;
			free(d);
		}
		free(p);
		p = next;
	}
	if (!p || !(dir = folder_of(p))) {
		rc = oom(err);
		goto out;
	}
	if (!(real = realpath(dir, NULL))) {
		rc = kyso_fail(err, KYSO_EIO, _("%s: there is no folder %s (%s)"), path, dir,
			       kyso_strerror(errno));
		goto out;
	}
	if (!(*target = join(real, last_name(p))))
		rc = oom(err);
out:
	free(p);
	free(dir);
	free(real);
	return rc;
}

/* --- what is never replaced -------------------------------------------------------------- */

struct guard {
	const char *target;
	const struct stat *st;	/* the target's, NULL when it does not exist */
	const char *path;	/* for the message */
	struct kyso_err *err;
	int found;
};

/* 1 when the recorded name is the target's file. */
static int is_target(const struct guard *g, const char *recorded)
{
	struct stat rs;

	if (!recorded || !*recorded)
		return 0;
	if (!strcmp(recorded, g->target))
		return 1;
	if (!g->st || strcmp(last_name(recorded), last_name(g->target)))
		return 0;
	return stat(recorded, &rs) == 0 && rs.st_dev == g->st->st_dev && rs.st_ino == g->st->st_ino;
}

static int sent_report(const struct report_row *r, void *ctx)
{
	struct guard *g = ctx;
	char shown[11];

	if (!r->sent_on || !is_target(g, r->file_name))
		return 0;
	g->found = 1;
	kyso_fail(g->err, KYSO_ECONFLICT,
		  _("%s is the file of report #%lld, sent on %s: the file of a sent report is never replaced, not even with --force; write to another file"),
		  g->path, r->id, date_display(r->sent_on, shown));
	return 1;
}

static int recorded_minutes(const struct document_row *d, void *ctx)
{
	struct guard *g = ctx;
	char number[96];

	if (!is_target(g, d->file_name))
		return 0;
	g->found = 1;
	kyso_fail(g->err, KYSO_ECONFLICT,
		  _("%s is the file of minutes %s: the file of numbered minutes is never replaced, not even with --force; write to another file"),
		  g->path, document_number_text(d->number, d->symbol, number, sizeof number));
	return 1;
}

static int check_protected(struct kyso_db *db, const char *path, const char *target,
			   const struct stat *st, struct kyso_err *err)
{
	struct guard g = { target, st, path, err, 0 };
	int rc;

	if ((rc = report_list(db, sent_report, &g, err)) ||
	    (!g.found && (rc = document_list(db, NULL, 0, recorded_minutes, &g, err))))
		return rc;
	return g.found ? KYSO_ECONFLICT : 0;
}

/* --- the temporary file ---------------------------------------------------------------------- */

static void clear(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->stream > STDOUT_FILENO)
		close(o->stream);
	free(o->target);
	free(o->tmp);
	free(o->dir);
	o->target = o->tmp = o->dir = NULL;
	o->fd = o->stream = -1;
}

/* Where the temporary file of a stream goes. */
static const char *tmp_folder(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

static int make_tmp(struct outfile *o, const char *beside, struct kyso_err *err)
{
	if (asprintf(&o->tmp, "%s.tmp-XXXXXX", beside) < 0) {
		o->tmp = NULL;
		return oom(err);
	}
	if (!(o->dir = folder_of(o->tmp)))
		return oom(err);
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		int rc = kyso_fail(err, KYSO_EIO, _("%s: cannot create the file (%s)"), o->path,
				   kyso_strerror(errno));

		free(o->tmp);
		o->tmp = NULL;
		return rc;
	}
	return 0;
}

/* An existing target: what may be done with it. */
static int check_existing(struct outfile *o, struct kyso_db *db, const struct stat *st,
			  struct kyso_err *err)
{
	int rc;

	if (S_ISDIR(st->st_mode))
		return kyso_fail(err, KYSO_EIO, _("%s is a folder, not a file"), o->path);
	if (!S_ISREG(st->st_mode)) {
		/* A device or a FIFO: written through, never renamed over. */
		if ((o->stream = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
			return kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path,
					 kyso_strerror(errno));
		return 0;
	}
	if (db && (rc = check_protected(db, o->path, o->target, st, err)))
		return rc;
	if (!o->force)
		return kyso_fail(err, KYSO_ECONFLICT,
				 _("%s exists already and was not replaced (--force replaces it)"),
				 o->path);
	return 0;
}

int outfile_open(struct outfile *o, struct kyso_db *db, const char *path, int flags,
		 struct kyso_err *err)
{
	struct stat st;
	char *base = NULL;
	int rc;

	memset(o, 0, sizeof *o);
	o->fd = o->stream = -1;
	o->path = path ? path : "";
	o->force = (flags & OUTFILE_FORCE) != 0;
	if (!path || !*path)
		return kyso_fail(err, KYSO_EUSAGE, "%s", _("no file named to write"));
	if (outfile_is_stdout(path)) {
		o->stream = STDOUT_FILENO;
		if (!(base = join(tmp_folder(), "kyso-out")))
			return oom(err);
		rc = make_tmp(o, base, err);
		free(base);
		if (rc)
			clear(o);
		return rc;
	}
	if (path[strlen(path) - 1] == '/')
		return kyso_fail(err, KYSO_EIO, _("%s is a folder, not a file"), path);
	if ((rc = resolve(path, &o->target, err)))
		return rc;
	if (stat(o->target, &st) == 0)
		rc = check_existing(o, db, &st, err);
	else if (db)
		rc = check_protected(db, path, o->target, NULL, err);
	if (!rc && o->stream >= 0) {
		if ((base = join(tmp_folder(), "kyso-out")))
			rc = make_tmp(o, base, err);
		else
			rc = oom(err);
		free(base);
	} else if (!rc) {
		rc = make_tmp(o, o->target, err);
	}
	if (rc)
		clear(o);
	return rc;
}

int outfile_write(struct outfile *o, const void *bytes, size_t len, struct kyso_err *err)
{
	const unsigned char *p = bytes;
	size_t done = 0;
	int rc = 0;

	while (done < len) {
		ssize_t n = write(o->fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path,
				       kyso_strerror(n < 0 ? errno : EIO));
			break;
		}
		done += (size_t)n;
	}
	if (close(o->fd) != 0 && !rc)
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path, kyso_strerror(errno));
	o->fd = -1;
	return rc;
}

/* Copies the finished file to the stream; every write checked. */
static int copy_to_stream(struct outfile *o, int in, struct kyso_err *err)
{
	char buf[65536];
	ssize_t n;

	fflush(stdout); /* nothing printed before may come after the file */
	while ((n = read(in, buf, sizeof buf)) != 0) {
		ssize_t done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path,
					 kyso_strerror(errno));
		while (done < n) {
			ssize_t w = write(o->stream, buf + done, (size_t)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path,
						 kyso_strerror(w < 0 ? errno : EIO));
			done += w;
		}
	}
	return 0;
}

/* Renames tmp to the target; without force, never over a file that is there. */
static int put_in_place(struct outfile *o, struct kyso_err *err)
{
	if (o->force) {
		if (rename(o->tmp, o->target) == 0)
			return 0;
	} else {
		if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->target, RENAME_NOREPLACE) == 0)
			return 0;
		/* A file system without renameat2's flags: a hard link refuses the same. */
		if ((errno == EINVAL || errno == ENOSYS) && link(o->tmp, o->target) == 0) {
			unlink(o->tmp);
			return 0;
		}
		if (errno == EEXIST)
			return kyso_fail(err, KYSO_ECONFLICT,
					 _("%s exists already and was not replaced (--force replaces it)"),
					 o->path);
	}
	return kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path, kyso_strerror(errno));
}

int outfile_commit(struct outfile *o, struct kyso_err *err)
{
	int in, rc = 0;

	if (o->fd >= 0) {
		close(o->fd);
		o->fd = -1;
	}
	if ((in = open(o->tmp, O_RDONLY | O_CLOEXEC)) < 0)
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path, kyso_strerror(errno));
	else if (o->stream >= 0)
		rc = copy_to_stream(o, in, err);
	else if (fsync(in) != 0)
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path, kyso_strerror(errno));
	if (in >= 0)
		close(in);
	if (!rc && o->stream < 0)
		rc = put_in_place(o, err);
	if (rc || o->stream >= 0)
		unlink(o->tmp);
	clear(o);
	return rc;
}

int outfile_discard(struct outfile *o, int rc)
{
	if (o->tmp)
		unlink(o->tmp);
	clear(o);
	return rc;
}

const char *outfile_recorded_name(const struct outfile *o)
{
	return o->target && o->stream < 0 ? o->target : "-";
}

/* --- names and the documents' folder --------------------------------------------------------- */

int outfile_free_name(const char *dir, const char *stem, const char *ext, char **out,
		      struct kyso_err *err)
{
	struct stat st;
	char name[512];
	int i;

	*out = NULL;
	for (i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(name, sizeof name, "%s%s", stem, ext);
		else
			snprintf(name, sizeof name, "%s-%d%s", stem, i, ext);
		if (!(*out = join(dir, name)))
			return oom(err);
		if (lstat(*out, &st) != 0 && errno == ENOENT)
			return 0;
		free(*out);
		*out = NULL;
	}
	return kyso_fail(err, KYSO_EIO, _("%s: every name %s-N%s is taken"), dir, stem, ext);
}

/* Makes path and the folders above it that are missing, owner-only. */
static int make_dirs(const char *path, struct kyso_err *err)
{
	char *buf = strdup(path), *p;
	int rc = 0;

	if (!buf)
		return oom(err);
	for (p = buf + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST) {
			rc = kyso_fail(err, KYSO_EIO, _("cannot make the folder %s: %s"), buf,
				       kyso_strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(buf);
	return rc;
}

int outfile_documents_dir(struct kyso_db *db, char **out, struct kyso_err *err)
{
	int rc;

	if (!(*out = settings_documents_dir(db)))
		return oom(err);
	if ((rc = make_dirs(*out, err))) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
