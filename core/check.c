/*
 * check.c - rules for dates, e-mail, phone numbers and citizen IDs.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "kyso/check.h"
#include "kyso/i18n.h"

int date_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int real_date(int y, int m, int d)
{
	return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= date_month_days(y, m);
}

/* Reads 1 to max digits at *p into *v; returns how many were read. */
static int digits(const char **p, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

int date_parse(const char *in, char out[11])
{
	const char *p = in;
	int y, m, d;
	char sep;

	if (!in)
		return -1;
	if (digits(&p, 4, &y) == 4 && *p == '-') {
		/* YYYY-MM-DD */
		p++;
		if (digits(&p, 2, &m) != 2 || *p++ != '-' || digits(&p, 2, &d) != 2 || *p)
			return -1;
	} else {
		/* d/m/yyyy, with / - or . between the parts */
		p = in;
		if (!digits(&p, 2, &d) || !strchr("/-.", *p) || !*p)
			return -1;
		sep = *p++;
		if (!digits(&p, 2, &m) || *p++ != sep || digits(&p, 4, &y) != 4 || *p)
			return -1;
	}
	if (!real_date(y, m, d))
		return -1;
	/* By hand: import reads several dates a row. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

char *date_display(const char *iso, char out[11])
{
	if (iso && strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
		snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 11, "%s", iso ? iso : "");
	return out;
}

static int domain_label_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

int check_domain(const char *domain)
{
	const char *p, *dot;
	int labels = 0;

	if (!domain || !*domain || strlen(domain) > 253)
		return -1;
	for (p = domain;; p = dot + 1) {
		dot = strchr(p, '.');
		if (!domain_label_ok(p, dot ? (size_t)(dot - p) : strlen(p)))
			return -1;
		labels++;
		if (!dot)
			break;
	}
	return labels >= 2 ? 0 : -1;
}

int check_email(const char *email, const char *domain, char *why, size_t whysz)
{
	const char *at = email ? strchr(email, '@') : NULL, *host, *p;
	size_t hl, dl;

	if (!at || at == email || strchr(at + 1, '@')) {
		snprintf(why, whysz, "%s", _("is not an e-mail address"));
		return -1;
	}
	for (p = email; p < at; p++)
		if (!(isalnum((unsigned char)*p) || strchr("._%+-", *p))) {
			snprintf(why, whysz, "%s", _("is not an e-mail address"));
			return -1;
		}
	if (email[0] == '.' || at[-1] == '.' || strstr(email, "..")) {
		snprintf(why, whysz, "%s", _("is not an e-mail address"));
		return -1;
	}
	host = at + 1;
	if (check_domain(host)) {
		snprintf(why, whysz, "%s", _("is not an e-mail address"));
		return -1;
	}
	if (!domain || !*domain)
		return 0;
	hl = strlen(host);
	dl = strlen(domain);
	if (!strcmp(host, domain) || (hl > dl && host[hl - dl - 1] == '.' &&
				       !strcmp(host + hl - dl, domain)))
		return 0;
	snprintf(why, whysz, _("is not in the domain %s"), domain);
	return -1;
}

int phone_normalise(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	const char *p;
	int bad = 0, plus = 0;

	if (!in || outsz < 2)
		return -1;
	/* Separators people write: spaces, dots, dashes, brackets; "+" only before the
	 * country code. */
	for (p = in; *p && o + 1 < outsz; p++) {
		if (isdigit((unsigned char)*p))
			out[o++] = *p;
		else if (*p == '+' && o == 0 && !plus)
			plus = 1;
		else if (!strchr(" .-()", *p))
			bad = 1;
	}
	out[o] = '\0';
	if (bad)
		return -1;
	/* +84 or 84 (the country code) stands for the trunk 0, which some write as well:
	 * "+84 913...", "84913...", "+84 0913..." are all 0913... */
	if ((plus || (o == 11 && out[2] != '0') || (o == 12 && out[2] == '0')) && o > 2 &&
	    out[0] == '8' && out[1] == '4') {
		size_t skip = out[2] == '0' ? 3 : 2;

		memmove(out + 1, out + skip, o - skip + 1);
		out[0] = '0';
		o = o - skip + 1;
	} else if (plus) {
		return -1; /* another country */
	}
	return (o == 10 || o == 11) && out[0] == '0' ? 0 : -1;
}

int is_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int check_id_number(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (!is_digits(id))
		return -1;
	if (n == 12)
		return 0;
	if (n == 9)
		return 1;
	return -1;
}
