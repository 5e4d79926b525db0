/*
 * err.c - error values and problem lists (see kyso/err.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/err.h"
#include "kyso/i18n.h"

int kyso_fail(struct kyso_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *kyso_strerror(int errnum)
{
	static const struct {
		int errnum;
		const char *words;
	} known[] = {
		{ ENOENT, N_("there is no such file or folder") },
		{ EACCES, N_("permission denied") },
		{ EPERM, N_("the operation is not permitted") },
		{ ENOSPC, N_("the disk is full") },
		{ EDQUOT, N_("the disk quota is used up") },
		{ EROFS, N_("the disk is read-only") },
		{ EEXIST, N_("it exists already") },
		{ ENOTDIR, N_("a part of the path is not a folder") },
		{ EISDIR, N_("it is a folder") },
		{ ENAMETOOLONG, N_("the name is too long") },
		{ ELOOP, N_("too many symbolic links") },
		{ EIO, N_("the disk could not be read or written") },
		{ ENOMEM, N_("out of memory") },
		{ EMFILE, N_("too many files are open") },
		{ ENFILE, N_("too many files are open") },
		{ EBUSY, N_("it is in use") },
		{ EXDEV, N_("it is on another disk") },
		{ EFBIG, N_("the file is too large") },
		{ ETXTBSY, N_("it is in use") },
		{ EINVAL, N_("an argument is not valid") },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].errnum == errnum)
			return _(known[i].words);
	return strerror(errnum);
}

int kyso_exit_status(int code)
{
	switch (code) {
	case KYSO_OK:
		return 0;
	case KYSO_EUSAGE:
		return 2;
	case KYSO_EINVAL:
		return 3;
	case KYSO_ECONFLICT:
		return 4;
	default:
		return 1;
	}
}

void kyso_problems_add(struct kyso_problems *p, long row, const char *column,
		       const char *fmt, ...)
{
	struct kyso_problem *it;
	va_list ap;

	if (!p)
		return;
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct kyso_problem *items = realloc(p->items, cap * sizeof(*items));

		if (!items) {
			/* Not kept, but counted: whoever checks for problems refuses all the
			 * same. */
			p->lost++;
			return;
		}
		p->items = items;
		p->cap = cap;
	}
	it = &p->items[p->count++];
	it->row = row;
	snprintf(it->column, sizeof(it->column), "%s", column ? column : "");
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof(it->message), fmt, ap);
	va_end(ap);
}

void kyso_problems_clear(struct kyso_problems *p)
{
	if (p)
		p->count = p->lost = 0;
}

size_t kyso_problems_found(const struct kyso_problems *p)
{
	return p ? p->count + p->lost : 0;
}

void kyso_problems_free(struct kyso_problems *p)
{
	if (!p)
		return;
	free(p->items);
	p->items = NULL;
	p->count = p->cap = p->lost = 0;
}
