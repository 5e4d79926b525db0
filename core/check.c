/*
 * check.c - rules for dates, e-mail, phone numbers and citizen IDs, and for the free text
 * officers type: valid UTF-8, not too long, and never a password or PIN.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/text.h"

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
		/* YYYY-MM-DD, or YYYY-M-D as people type it (2026-3-5) */
		p++;
		if (!digits(&p, 2, &m) || *p++ != '-' || !digits(&p, 2, &d) || *p)
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

char *time_display(const char *utc, char *out, size_t outsz)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!utc || !strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		snprintf(out, outsz, "%s", utc ? utc : "");
		return out;
	}
	t = timegm(&tm);
	localtime_r(&t, &tm);
	strftime(out, outsz, "%d/%m/%Y %H:%M", &tm);
	return out;
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

/* Passwords and PINs ---------------------------------------------------------------------- */

/* Words that name a secret, folded (text_fold: lower case, no marks, đ -> d). */
static const char *const secret_words[] = {
	"mat khau", "matkhau", "mk", "password", "passwd", "passcode", "pass", "pin",
	"ma pin", "ma bi mat", "pwd",
};

/* Words that may stand between the name of a secret and the secret: "mật khẩu mới là". */
static const char *const secret_fillers[] = {
	"moi", "cu", "mac dinh", "ban dau", "cua", "token", "thiet bi", "new", "old", "default",
	"initial", "of", "the", "cho", "la", "is", "was",
};

static int word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* p starts with word w followed by a word boundary: the end past it, else NULL. */
static const char *starts_word(const char *p, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(p, w, n) || word_char((unsigned char)p[n]))
		return NULL;
	return p + n;
}

/* The word at p looks like a secret: digits (at least four), or letters and digits mixed
 * ("Abc@1234"), but not a date. */
static int looks_secret_word(const char *p)
{
	char word[64], iso[11];
	size_t n = 0, digits = 0;

	while (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != '\n' && p[n] != ',' && p[n] != ';' &&
	       n + 1 < sizeof(word)) {
		word[n] = p[n];
		digits += isdigit((unsigned char)p[n]) != 0;
		n++;
	}
	word[n] = '\0';
	if (n && (word[n - 1] == '.' || word[n - 1] == ')'))
		word[--n] = '\0';
	if (!date_parse(word, iso))
		return 0;
	return digits >= 4 || (digits && n >= 6);
}

/* What follows the name of a secret, at p, gives the secret away. */
static int gives_secret(const char *p)
{
	int fillers = 0, said = 0;
	size_t i;

	for (;;) {
		const char *next = NULL;

		p = skip_spaces(p);
		if (*p == ':' || *p == '=')
			return *skip_spaces(p + 1) != '\0';
		if (*p == '"' || *p == '\'')
			return 1;
		for (i = 0; i < sizeof(secret_fillers) / sizeof(secret_fillers[0]) && !next; i++)
			next = starts_word(p, secret_fillers[i]);
		if (!next || ++fillers > 4)
			break;
		/* "là" says what follows is the secret; "is" may be "is changed" */
		said |= next == p + 2 && !strncmp(p, "la", 2);
		p = next;
	}
	/* "mật khẩu là X": whatever X is; otherwise the next word must look like one. */
	if (said && *p && word_char((unsigned char)*p))
		return 1;
	return *p && looks_secret_word(p);
}

int text_has_secret(const char *text)
{
	char *fold;
	const char *p;
	size_t i;
	int found = 0;

	/* Every name of a secret begins with m or p, letters that carry no mark: text with
	 * no word beginning so (most positions, addresses, names) is not folded at all. */
	for (p = text; p && *p; p++)
		if ((*p == 'm' || *p == 'M' || *p == 'p' || *p == 'P') &&
		    (p == text || !word_char((unsigned char)p[-1])))
			break;
	if (!p || !*p || !(fold = text_fold(text)))
		return 0;
	for (p = fold; *p && !found; p++) {
		if (p > fold && word_char((unsigned char)p[-1]))
			continue;
		for (i = 0; i < sizeof(secret_words) / sizeof(secret_words[0]) && !found; i++) {
			const char *after = strncmp(p, secret_words[i], strlen(secret_words[i]))
						    ? NULL
						    : p + strlen(secret_words[i]);

			/* "pin1234": the name and the secret run together */
			if (after && isdigit((unsigned char)*after))
				found = looks_secret_word(after);
			else if (after && !word_char((unsigned char)*after))
				found = gives_secret(after);
		}
	}
	free(fold);
	return found;
}

int check_text_err(struct kyso_err *err, const char *column, const char *value,
		   size_t max_chars)
{
	struct kyso_problems problems = { 0 };
	int rc = 0;

	if (check_text(&problems, 0, column, value, max_chars))
		rc = kyso_fail(err, KYSO_EINVAL, "%s: %s", problems.items[0].column,
			       problems.items[0].message);
	kyso_problems_free(&problems);
	return rc;
}

int check_text(struct kyso_problems *p, long row, const char *column, const char *value,
	       size_t max_chars)
{
	const unsigned char *c;
	size_t chars = 0;

	if (text_is_blank(value))
		return 0;
	if (!text_is_utf8(value)) {
		kyso_problems_add(p, row, column, "%s", _("is not valid UTF-8 text"));
		return 1;
	}
	for (c = (const unsigned char *)value; *c; c++)
		chars += (*c & 0xC0) != 0x80;
	if (chars > max_chars) {
		kyso_problems_add(p, row, column, _("is longer than %zu characters"), max_chars);
		return 1;
	}
	if (text_has_secret(value)) {
		kyso_problems_add(p, row, column, "%s",
				  _("looks like it holds a password or PIN; kyso never stores one: write that it was handed over or changed, not what it is"));
		return 1;
	}
	return 0;
}
