/*
 * outfile.c - the temporary file every written file goes through (outfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kyso/i18n.h"
#include "kyso/outfile.h"

/* Creates "<path>.tmp-XXXXXX" beside path: its descriptor goes to *fd and its name to
 * *name (caller frees). */
int outfile_create(const char *path, char **name, int *fd, struct kyso_err *err)
{
	size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
	int rc;

	*name = malloc(n);
	if (!*name)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	snprintf(*name, n, "%s.tmp-XXXXXX", path);
	*fd = mkstemp(*name);
	if (*fd < 0) {
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot create the file (%s)"), path,
			       strerror(errno));
		free(*name);
		*name = NULL;
		return rc;
	}
	return 0;
}

/* Flushes the finished temporary file to disk and puts it in place of path.  The
 * temporary file is gone afterwards, whatever happens. */
int outfile_commit(char *name, const char *path, struct kyso_err *err)
{
	int fd = open(name, O_RDONLY);
	int rc = 0;

	if (fd < 0 || fsync(fd) != 0)
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), path, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rename(name, path) != 0)
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), path, strerror(errno));
	if (rc != 0)
		unlink(name);
	free(name);
	return rc;
}

int outfile_discard(char *name, int rc)
{
	unlink(name);
	free(name);
	return rc;
}
