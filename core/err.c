/*
 * err.c - error values and problem lists (see kyso/err.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/err.h"

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

		if (!items)
			return; /* the problem is lost, but the caller still sees the others */
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
		p->count = 0;
}

void kyso_problems_free(struct kyso_problems *p)
{
	if (!p)
		return;
	free(p->items);
	p->items = NULL;
	p->count = p->cap = 0;
}
