/*
 * text.c - Vietnamese text: NFC, folding for search, collation, display width.
 *
 * utf8proc does normalisation and folding; ICU's "vi" collator does ordering.  No table of
 * accented letters lives here.  One mapping is ours: đ (and ð, which some keyboards send
 * for it) has no decomposition in Unicode, so stripping marks leaves it; search must find
 * "Đặng" from "dang", so it is mapped to d after folding.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <utf8proc.h>

#include "kyso/text.h"

static UCollator *collator; /* opened on first use, closed by text_shutdown */

int text_is_blank(const char *s)
{
	return !s || !*s;
}

int text_is_utf8(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	while (*p) {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0)
			return 0;
		p += n;
	}
	return 1;
}

/* ICU's quick check: most text arrives NFC already, and checking is far cheaper than
 * normalising.  Returns 1 when s is certainly NFC. */
static int is_nfc(const char *s)
{
	UChar stack[512];
	int32_t ulen = 0;
	UErrorCode status = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);

	if (U_FAILURE(status))
		return 0;
	u_strFromUTF8(stack, 512, &ulen, s, -1, &status);
	if (U_FAILURE(status)) /* too long for the buffer, or not UTF-8: the slow way */
		return 0;
	return unorm2_quickCheck(nfc, stack, ulen, &status) == UNORM_YES && U_SUCCESS(status);
}

char *text_nfc(const char *s)
{
	const unsigned char *p;

	if (!s)
		return NULL;
	/* ASCII is already NFC; most cells (e-mail, numbers, dates) are ASCII. */
	for (p = (const unsigned char *)s; *p && *p < 0x80; p++)
		;
	if (!*p || is_nfc(s))
		return text_is_utf8(s) ? strdup(s) : NULL;
	return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

/* White space as officers' spreadsheets have it: ASCII, tab, no-break space (U+00A0). */
static size_t space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
		return 1;
	if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	return 0;
}

char *text_clean(const char *s)
{
	char *nfc = text_nfc(s), *out, *w;
	const char *r;
	size_t n;
	int pending = 0;

	if (!nfc)
		return NULL;
	out = w = nfc;
	for (r = nfc; *r;) {
		n = space_len(r);
		if (n) {
			pending = w != out;
			r += n;
			continue;
		}
		if (pending)
			*w++ = ' ';
		pending = 0;
		*w++ = *r++;
	}
	*w = '\0';
	return out;
}

char *text_upper(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t n = 0;
	char *out, *nfc;

	/* Case folding is not upper case: each code point through utf8proc_toupper. */
	if (!s || !(out = malloc(4 * strlen(s) + 1)))
		return NULL;
	while ((k = utf8proc_iterate(p, -1, &cp)) > 0 && cp) {
		n += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out + n);
		p += k;
	}
	out[n] = '\0';
	nfc = text_nfc(out);
	free(out);
	return nfc;
}

char *text_title_case(const char *s)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *in = NULL, *out = NULL;
	int32_t n, m;
	char *utf8 = NULL, *nfc = NULL;

	if (!s)
		return NULL;
	u_strFromUTF8(NULL, 0, &n, s, -1, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return NULL;
	st = U_ZERO_ERROR;
	/* A title-cased letter may take more code units than it had: room for twice. */
	if (!(in = malloc(((size_t)n + 1) * sizeof(*in))) ||
	    !(out = malloc((2 * (size_t)n + 1) * sizeof(*out))))
		goto out;
	u_strFromUTF8(in, n + 1, NULL, s, -1, &st);
	m = u_strToTitle(out, 2 * n + 1, in, n, NULL, "vi", &st);
	if (U_FAILURE(st))
		goto out;
	u_strToUTF8(NULL, 0, &n, out, m, &st);
	st = U_ZERO_ERROR;
	if (!(utf8 = malloc((size_t)n + 1)))
		goto out;
	u_strToUTF8(utf8, n + 1, NULL, out, m, &st);
	if (U_SUCCESS(st))
		nfc = text_nfc(utf8);
out:
	free(in);
	free(out);
	free(utf8);
	return nfc;
}

int text_has_upper(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	while (p && (k = utf8proc_iterate(p, -1, &cp)) > 0 && cp) {
		if (utf8proc_isupper(cp))
			return 1;
		p += k;
	}
	return 0;
}

char *text_fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;
	unsigned char *r, *w;

	if (!s)
		return NULL;
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
			 UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	if (n < 0)
		return NULL;
	/* đ U+0111 (C4 91) and ð U+00F0 (C3 B0) -> d; the result only gets shorter. */
	for (r = w = out; *r;) {
		if ((r[0] == 0xC4 && r[1] == 0x91) || (r[0] == 0xC3 && r[1] == 0xB0)) {
			*w++ = 'd';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (char *)out;
}

static UCollator *get_collator(void)
{
	UErrorCode status = U_ZERO_ERROR;

	if (collator)
		return collator;
	collator = ucol_open("vi", &status);
	if (U_FAILURE(status)) {
		collator = NULL;
		return NULL;
	}
	return collator;
}

/* Appends the collation key of utf8[0..len) to *buf (which grows), without its final 0
 * byte when keep_zero is 0. */
static int append_key(const char *utf8, int32_t len, unsigned char **buf, size_t *used,
		      size_t *cap)
{
	UChar stack[256], *u = stack;
	int32_t ulen = 0, klen;
	UErrorCode status = U_ZERO_ERROR;
	UCollator *coll = get_collator();
	int rc = -1;

	if (!coll)
		return -1;
	u_strFromUTF8(u, 256, &ulen, utf8, len, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR) {
		u = malloc(sizeof(UChar) * (ulen + 1));
		if (!u)
			return -1;
		status = U_ZERO_ERROR;
		u_strFromUTF8(u, ulen + 1, &ulen, utf8, len, &status);
	}
	if (U_FAILURE(status))
		goto out;
	for (;;) {
		klen = ucol_getSortKey(coll, u, ulen, *buf + *used, (int32_t)(*cap - *used));
		if (klen <= 0)
			goto out;
		if ((size_t)klen <= *cap - *used)
			break;
		unsigned char *nb = realloc(*buf, *used + klen + 64);
		if (!nb)
			goto out;
		*buf = nb;
		*cap = *used + klen + 64;
	}
	*used += klen; /* includes ICU's terminating 0, which separates the parts */
	rc = 0;
out:
	if (u != stack)
		free(u);
	return rc;
}

/*
 * A person is ordered by given name, then family name, then middle names, each compared
 * whole (tones included) before the next: the key is the three parts' ICU keys one after
 * the other.  An ICU key has no 0 byte but its last, so a shorter part that is a prefix of
 * a longer one sorts first and the next part only counts when the parts are equal.
 */
unsigned char *text_sort_key(const char *name, int is_person, size_t *len)
{
	size_t cap = 128, used = 0;
	unsigned char *buf = malloc(cap);
	const char *first_end, *last_start;
	size_t n = name ? strlen(name) : 0;

	if (!buf)
		return NULL;
	if (!name)
		name = "";
	first_end = strchr(name, ' ');
	last_start = strrchr(name, ' ');
	if (!is_person || !first_end) {
		if (append_key(name, (int32_t)n, &buf, &used, &cap))
			goto fail;
	} else {
		const char *middle = first_end + 1;

		if (append_key(last_start + 1, (int32_t)(name + n - last_start - 1), &buf, &used,
			       &cap) ||
		    append_key(name, (int32_t)(first_end - name), &buf, &used, &cap) ||
		    append_key(middle, (int32_t)(last_start > first_end ? last_start - middle : 0),
			       &buf, &used, &cap))
			goto fail;
	}
	*len = used;
	return buf;
fail:
	free(buf);
	return NULL;
}

static int is_word_cp(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

int text_next_word(const char *s, size_t *pos, size_t *start, size_t *len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t i = *pos;
	int in_word = 0;

	if (!s)
		return 0;
	while (p[i]) {
		n = utf8proc_iterate(p + i, -1, &cp);
		if (n <= 0) {
			n = 1;
			cp = -1;
		}
		if (cp >= 0 && is_word_cp(cp)) {
			if (!in_word) {
				*start = i;
				in_word = 1;
			}
		} else if (in_word) {
			break;
		}
		i += (size_t)n;
	}
	*pos = i;
	if (!in_word)
		return 0;
	*len = i - *start;
	return 1;
}

static int char_width(utf8proc_int32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w < 0)
		w = utf8proc_charwidth(cp);
	return w < 0 ? 0 : w;
}

int text_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	int w = 0;

	if (!s)
		return 0;
	while (*p) {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			p++;
			w++;
			continue;
		}
		w += char_width(cp);
		p += n;
	}
	return w;
}

char *text_fit(const char *s, int width, char *out, size_t outsz)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t o = 0;
	int w = 0, cw, total = text_width(s);
	int room = total > width ? width - 1 : width; /* keep a column for "…" when cut */

	if (outsz == 0)
		return out;
	while (*p) {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0)
			break;
		cw = char_width(cp);
		if (w + cw > room || o + (size_t)n + 4 >= outsz)
			break;
		memcpy(out + o, p, (size_t)n);
		o += (size_t)n;
		w += cw;
		p += n;
	}
	if (total > width && width > 0 && o + 4 < outsz) {
		memcpy(out + o, "\xE2\x80\xA6", 3);
		o += 3;
		w++;
	}
	while (w < width && o + 1 < outsz) {
		out[o++] = ' ';
		w++;
	}
	out[o] = '\0';
	return out;
}

void text_shutdown(void)
{
	if (collator)
		ucol_close(collator);
	collator = NULL;
}
