/*
 * doc_words.c - words the agency's papers share (see doc_words.h).
 */
#include <stdio.h>

#include "doc_words.h"

char *doc_date_words(const char *iso, char out[40])
{
	int y, m, d;

	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		out[0] = '\0';
		return out;
	}
	snprintf(out, 40, m <= 2 ? "ngày %02d tháng %02d năm %d" : "ngày %02d tháng %d năm %d", d,
		 m, y);
	return out;
}

const char *doc_kind_words(int kind)
{
	static const char *const words[] = { "Cá nhân", "Tổ chức", "Thiết bị, dịch vụ, phần mềm" };

	return words[kind >= 0 && kind < 3 ? kind : 0];
}
