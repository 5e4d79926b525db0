/*
 * sheet_xlsx.c - the first worksheet of an XLSX file, through libzip and expat.  The
 * worksheet XML is parsed in chunks and the parser is suspended at the end of each row;
 * only what XLSX keeps outside the worksheet (shared strings, cell styles) is held
 * whole.  Numbers come back as written (no exponent, no locale); cells formatted as
 * dates come back YYYY-MM-DD.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kyso/i18n.h"
#include "sheet_impl.h"

/* XLSX: numbers and dates ----------------------------------------------------------- */

/* A number as written in the XML ("-1.23E+11"): value = 0.digits x 10^point. */
struct decimal {
	int negative;
	char digits[32];
	int ndigits;
	int point;
};

/* Reads the number without strtod, whose decimal point follows the locale (',' in
 * Vietnamese), and without rounding through a double.  0 when s is not a number or has
 * more significant digits than Excel ever writes. */
static int decimal_parse(const char *s, struct decimal *d)
{
	int seen = 0, in_fraction = 0, exponent = 0, exponent_negative = 0;

	memset(d, 0, sizeof *d);
	if (*s == '-' || *s == '+')
		d->negative = *s++ == '-';
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			seen = 1;
			if (d->ndigits == 0 && *s == '0') {
				if (in_fraction)
					d->point--;
				continue;
			}
			if (d->ndigits >= (int)sizeof d->digits - 1)
				return 0;
			d->digits[d->ndigits++] = *s;
			if (!in_fraction)
				d->point++;
		} else if (*s == '.' && !in_fraction) {
			in_fraction = 1;
		} else {
			break;
		}
	}
	if (!seen)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			exponent_negative = *s++ == '-';
		if (*s < '0' || *s > '9')
			return 0;
		for (; *s >= '0' && *s <= '9'; s++) {
			exponent = exponent * 10 + (*s - '0');
			if (exponent > 400)
				return 0;
		}
	}
	if (*s)
		return 0;
	d->point += exponent_negative ? -exponent : exponent;
	while (d->ndigits > 0 && d->digits[d->ndigits - 1] == '0')
		d->ndigits--;
	if (d->ndigits == 0)
		d->negative = d->point = 0;
	return 1;
}

/* Writes d in plain decimal: whole numbers with neither exponent nor ".0", so that a
 * citizen ID Excel stored as 7.9123456789E+10 reads back as its digits. */
static int decimal_format(const struct decimal *d, char *out, size_t outsz)
{
	size_t n = 0, need;
	int zeros_before = d->point < 0 ? -d->point : 0;
	int zeros_after = d->point > d->ndigits ? d->point - d->ndigits : 0;

	need = 4 + (size_t)d->ndigits + (size_t)zeros_before + (size_t)zeros_after;
	if (need > outsz || need > 48)
		return 0;
	if (d->negative)
		out[n++] = '-';
	if (d->ndigits == 0) {
		out[n++] = '0';
	} else if (d->point <= 0) {
		out[n++] = '0';
		out[n++] = '.';
		memset(out + n, '0', (size_t)zeros_before);
		n += (size_t)zeros_before;
		memcpy(out + n, d->digits, (size_t)d->ndigits);
		n += (size_t)d->ndigits;
	} else if (d->point >= d->ndigits) {
		memcpy(out + n, d->digits, (size_t)d->ndigits);
		n += (size_t)d->ndigits;
		memset(out + n, '0', (size_t)zeros_after);
		n += (size_t)zeros_after;
	} else {
		memcpy(out + n, d->digits, (size_t)d->point);
		n += (size_t)d->point;
		out[n++] = '.';
		memcpy(out + n, d->digits + d->point, (size_t)(d->ndigits - d->point));
		n += (size_t)(d->ndigits - d->point);
	}
	out[n] = '\0';
	return 1;
}

/* Whole days of a non-negative d, or -1 when there are too many to be a date. */
static long decimal_whole_days(const struct decimal *d)
{
	long days = 0;

	if (d->negative || d->point > 7)
		return -1;
	for (int i = 0; i < d->point; i++)
		days = days * 10 + (i < d->ndigits ? d->digits[i] - '0' : 0);
	return days;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil_from_days(long z, long *year, unsigned *month, unsigned *day)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = (long)yoe + era * 400 + (*month <= 2);
}

/* An Excel serial day as YYYY-MM-DD.  In the 1900 system Excel counts a 29 February 1900
 * that never was (serial 60), so serials after it are one day ahead; 1899-12-30 is the
 * epoch that makes them right.  The time of day, if any, is dropped. */
static int serial_to_date(long serial, int date1904, char *out, size_t outsz)
{
	long unix_days, year;
	unsigned month, day;

	if (serial < 1 || serial > MAX_SERIAL)
		return 0;
	if (date1904)
		unix_days = serial - 24107;
	else if (serial == 60)
		return snprintf(out, outsz, "1900-02-29") > 0;
	else
		unix_days = serial - (serial > 60 ? 25569 : 25568);
	civil_from_days(unix_days, &year, &month, &day);
	return snprintf(out, outsz, "%04ld-%02u-%02u", year, month, day) > 0;
}

/* Built-in number formats that show a date or time (ECMA-376 18.8.30). */
static int builtin_format_is_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

/* A custom format code shows a date when it has day, month or year letters outside
 * quoted text, [colour]/[$-locale] brackets and escapes, and no digit placeholders.
 * An "m" alone is taken for minutes when hours or seconds are also there. */
static int custom_format_is_date(const char *code)
{
	int has_dy = 0, has_m = 0, has_hs = 0;

	for (const char *p = code; *p && *p != ';'; p++) {
		switch (*p) {
		case '"':
			p = strchr(p + 1, '"');
			if (!p)
				return 0;
			break;
		case '[':
			p = strchr(p + 1, ']');
			if (!p)
				return 0;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			break;
		case '0':
		case '#':
		case '?':
			return 0;
		case 'd': case 'D': case 'y': case 'Y':
			has_dy = 1;
			break;
		case 'm': case 'M':
			has_m = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			has_hs = 1;
			break;
		default:
			break;
		}
	}
	return has_dy || (has_m && !has_hs);
}

/* XLSX: reading parts --------------------------------------------------------------- */

static const char *local_name(const char *name)
{
	const char *colon = strrchr(name, ':');

	return colon ? colon + 1 : name;
}

static const char *xml_attr(const XML_Char **atts, const char *local)
{
	for (; atts[0]; atts += 2)
		if (strcmp(local_name(atts[0]), local) == 0)
			return atts[1];
	return NULL;
}

/* A non-negative integer attribute, or fallback when absent or not one. */
static long xml_attr_long(const XML_Char **atts, const char *local, long fallback)
{
	const char *s = xml_attr(atts, local);
	char *end;
	long v;

	if (!s || *s < '0' || *s > '9')
		return fallback;
	v = strtol(s, &end, 10);
	return *end || v < 0 ? fallback : v;
}

/* Handlers stop the parse this way; the caller finds the reason in cb_err. */
static void xlsx_abort(struct sheet *sh, int code, const char *what)
{
	if (code == KYSO_ENOMEM)
		kyso_fail(&sh->x.cb_err, code, "%s", _("out of memory"));
	else
		kyso_fail(&sh->x.cb_err, code, _("%s: damaged XLSX file (%s)"), sh->path, what);
	XML_StopParser(sh->x.xml, XML_FALSE);
}

static int xlsx_aborted(const struct sheet *sh)
{
	return sh->x.cb_err.code != 0;
}

static int xlsx_fail_zip(struct sheet *sh, const char *why, struct kyso_err *err)
{
	return kyso_fail(err, KYSO_EIO, _("%s: not a readable XLSX file (%s)"), sh->path, why);
}

static int xlsx_fail_xml(struct sheet *sh, XML_Parser p, const char *part,
			 struct kyso_err *err)
{
	if (xlsx_aborted(sh)) {
		if (err)
			*err = sh->x.cb_err;
		return sh->x.cb_err.code;
	}
	return kyso_fail(err, KYSO_EIO, _("%s: damaged XLSX file (%s, line %lu: %s)"),
			 sh->path, part, (unsigned long)XML_GetCurrentLineNumber(p),
			 XML_ErrorString(XML_GetErrorCode(p)));
}

static XML_Parser xlsx_new_parser(struct sheet *sh, XML_StartElementHandler start,
				  XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreate(NULL);

	if (!p)
		return NULL;
	XML_SetUserData(p, sh);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	sh->x.xml = p;
	return p;
}

static zip_file_t *xlsx_open_part(struct sheet *sh, const char *name)
{
	zip_int64_t index = zip_name_locate(sh->x.zip, name, ZIP_FL_NOCASE);

	if (index < 0)
		return NULL;
	return zip_fopen_index(sh->x.zip, (zip_uint64_t)index, 0);
}

static int xlsx_has_part(struct sheet *sh, const char *name)
{
	return zip_name_locate(sh->x.zip, name, ZIP_FL_NOCASE) >= 0;
}

/* Parses the whole of part name.  Returns 1, 0 when the file has no such part, or a
 * negative code. */
static int xlsx_parse_part(struct sheet *sh, const char *name, XML_StartElementHandler start,
			   XML_EndElementHandler end, XML_CharacterDataHandler text,
			   struct kyso_err *err)
{
	zip_file_t *f;
	XML_Parser p;
	int rc = 1;

	if (!xlsx_has_part(sh, name))
		return 0;
	f = xlsx_open_part(sh, name);
	if (!f)
		return xlsx_fail_zip(sh, zip_strerror(sh->x.zip), err);
	p = xlsx_new_parser(sh, start, end, text);
	if (!p) {
		zip_fclose(f);
		return sheet_no_memory(err);
	}
	for (;;) {
		void *buf = XML_GetBuffer(p, CHUNK);
		zip_int64_t n;

		if (!buf) {
			rc = sheet_no_memory(err);
			break;
		}
		n = zip_fread(f, buf, CHUNK);
		if (n < 0) {
			rc = xlsx_fail_zip(sh, zip_file_strerror(f), err);
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			rc = xlsx_fail_xml(sh, p, name, err);
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	sh->x.xml = NULL;
	if (zip_fclose(f) != 0 && rc == 1)
		rc = xlsx_fail_zip(sh, name, err);
	return rc;
}

static void xml_ignore_text(void *ctx, const XML_Char *s, int len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

static void xml_ignore_end(void *ctx, const XML_Char *name)
{
	(void)ctx;
	(void)name;
}

/* xl/workbook.xml: the first sheet's relationship id, and the date system. */
static void workbook_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = ctx;
	const char *local = local_name(name);
	const char *v;

	if (xlsx_aborted(sh))
		return;
	if (strcmp(local, "sheet") == 0 && !sh->x.seen_sheet) {
		sh->x.seen_sheet = 1;
		v = xml_attr(atts, "id");
		if (v && !(sh->x.sheet_rid = strdup(v)))
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
	} else if (strcmp(local, "workbookPr") == 0) {
		v = xml_attr(atts, "date1904");
		sh->x.date1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
	}
}

/* xl/_rels/workbook.xml.rels: where that sheet is. */
static void rels_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = ctx;
	const char *id, *target;

	if (xlsx_aborted(sh) || sh->x.sheet_target ||
	    strcmp(local_name(name), "Relationship") != 0)
		return;
	id = xml_attr(atts, "Id");
	target = xml_attr(atts, "Target");
	if (!id || !target || strcmp(id, sh->x.sheet_rid) != 0)
		return;
	/* Targets are relative to xl/, or absolute from the package root. */
	if (target[0] == '/') {
		sh->x.sheet_target = strdup(target + 1);
	} else {
		if (strncmp(target, "./", 2) == 0)
			target += 2;
		sh->x.sheet_target = malloc(strlen(target) + 4);
		if (sh->x.sheet_target)
			sprintf(sh->x.sheet_target, "xl/%s", target);
	}
	if (!sh->x.sheet_target)
		xlsx_abort(sh, KYSO_ENOMEM, NULL);
}

static void styles_add_custom(struct sheet *sh, const XML_Char **atts)
{
	struct xlsx_reader *x = &sh->x;
	long id = xml_attr_long(atts, "numFmtId", -1);
	const char *code = xml_attr(atts, "formatCode");

	if (id < 0 || id > 65535 || !code)
		return;
	if (sheet_grow(&x->custom_ids, &x->custom_cap, x->ncustom + 1, sizeof *x->custom_ids) ||
	    sheet_grow(&x->custom_is_date, &x->custom_flags_cap, x->ncustom + 1, 1)) {
		xlsx_abort(sh, KYSO_ENOMEM, NULL);
		return;
	}
	x->custom_ids[x->ncustom] = (int)id;
	x->custom_is_date[x->ncustom] = (unsigned char)custom_format_is_date(code);
	x->ncustom++;
}

/* xl/styles.xml: <numFmts> holds custom formats; <cellXfs> the formats cells refer to by
 * their s attribute.  <dxfs> and <cellStyleXfs> also hold numFmt and xf: not these. */
static void styles_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = ctx;
	struct xlsx_reader *x = &sh->x;
	const char *local = local_name(name);

	if (xlsx_aborted(sh))
		return;
	if (strcmp(local, "numFmts") == 0) {
		x->in_numfmts = 1;
	} else if (strcmp(local, "cellXfs") == 0) {
		x->in_cellxfs = 1;
	} else if (strcmp(local, "numFmt") == 0 && x->in_numfmts) {
		styles_add_custom(sh, atts);
	} else if (strcmp(local, "xf") == 0 && x->in_cellxfs) {
		if (sheet_grow(&x->xf_numfmt, &x->xf_cap, x->nxf + 1, sizeof *x->xf_numfmt)) {
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
			return;
		}
		x->xf_numfmt[x->nxf++] = (int)xml_attr_long(atts, "numFmtId", 0);
	}
}

static void styles_end(void *ctx, const XML_Char *name)
{
	struct sheet *sh = ctx;
	const char *local = local_name(name);

	if (strcmp(local, "numFmts") == 0)
		sh->x.in_numfmts = 0;
	else if (strcmp(local, "cellXfs") == 0)
		sh->x.in_cellxfs = 0;
}

/* Which cell formats show dates, once styles.xml is read. */
static int styles_resolve(struct sheet *sh, struct kyso_err *err)
{
	struct xlsx_reader *x = &sh->x;

	if (x->nxf == 0)
		return 0;
	x->xf_is_date = calloc(x->nxf, 1);
	if (!x->xf_is_date)
		return sheet_no_memory(err);
	for (size_t i = 0; i < x->nxf; i++) {
		int id = x->xf_numfmt[i];
		int is_date = builtin_format_is_date(id);

		for (size_t j = 0; j < x->ncustom; j++)
			if (x->custom_ids[j] == id)
				is_date = x->custom_is_date[j];
		x->xf_is_date[i] = (unsigned char)is_date;
	}
	return 0;
}

/* xl/sharedStrings.xml: each <si> is one string, plain (<t>) or rich (<r><t>...). */
static void strings_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = ctx;
	const char *local = local_name(name);

	(void)atts;
	if (xlsx_aborted(sh))
		return;
	if (strcmp(local, "si") == 0) {
		sh->x.in_si = 1;
		sheet_text_clear(&sh->x.scratch);
	} else if (strcmp(local, "rPh") == 0) {
		sh->x.in_rph++;
	} else if (strcmp(local, "t") == 0) {
		sh->x.in_t = 1;
	}
}

static void strings_end(void *ctx, const XML_Char *name)
{
	struct sheet *sh = ctx;
	struct xlsx_reader *x = &sh->x;
	const char *local = local_name(name);

	if (xlsx_aborted(sh))
		return;
	if (strcmp(local, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(local, "rPh") == 0) {
		x->in_rph--;
	} else if (strcmp(local, "si") == 0) {
		x->in_si = 0;
		if (sheet_grow(&x->string_at, &x->string_cap, x->nstrings + 1, sizeof *x->string_at)) {
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
			return;
		}
		x->string_at[x->nstrings] = x->strings.len;
		if (sheet_text_put(&x->strings, x->scratch.s ? x->scratch.s : "", x->scratch.len)) {
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
			return;
		}
		x->strings.len++; /* keep the NUL */
		x->nstrings++;
	}
}

static void strings_text(void *ctx, const XML_Char *s, int len)
{
	struct sheet *sh = ctx;

	if (xlsx_aborted(sh) || !sh->x.in_si || !sh->x.in_t || sh->x.in_rph > 0)
		return;
	if (sheet_text_put(&sh->x.scratch, s, (size_t)len))
		xlsx_abort(sh, KYSO_ENOMEM, NULL);
}

/* XLSX: the worksheet --------------------------------------------------------------- */

/* Column index (0-based) of a reference such as "C7"; fallback when it has no column
 * letters; -1 past Excel's last column. */
static long column_of(const char *ref, long fallback)
{
	long col = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
		col = col * 26 + (*ref - 'A' + 1);
		if (col > MAX_COLUMNS)
			return -1;
	}
	return col > 0 ? col - 1 : fallback;
}

static enum cell_type cell_type_of(const char *t)
{
	if (!t || strcmp(t, "n") == 0)
		return CELL_NUMBER;
	if (strcmp(t, "s") == 0)
		return CELL_SHARED;
	if (strcmp(t, "inlineStr") == 0)
		return CELL_INLINE;
	if (strcmp(t, "b") == 0)
		return CELL_BOOL;
	if (strcmp(t, "e") == 0)
		return CELL_ERROR;
	if (strcmp(t, "d") == 0)
		return CELL_DATE;
	return CELL_STRING;
}

static void cell_start(struct sheet *sh, const XML_Char **atts)
{
	struct xlsx_reader *x = &sh->x;
	const char *ref = xml_attr(atts, "r");
	long col = column_of(ref ? ref : "", (long)x->row.count);

	if (col < 0) {
		xlsx_abort(sh, KYSO_EIO, ref);
		return;
	}
	/* Cells come left to right; one out of order is put after the others. */
	x->cell_col = (size_t)col < x->row.count ? x->row.count : (size_t)col;
	x->cell_type = cell_type_of(xml_attr(atts, "t"));
	x->cell_style = xml_attr_long(atts, "s", 0);
	sheet_text_clear(&x->value);
	sheet_text_clear(&x->inline_text);
	x->in_cell = 1;
}

static void sheet_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = ctx;
	struct xlsx_reader *x = &sh->x;
	const char *local = local_name(name);

	if (xlsx_aborted(sh))
		return;
	if (strcmp(local, "row") == 0) {
		sheet_row_reset(&x->row);
		x->row_number = xml_attr_long(atts, "r", x->row_number + 1);
		x->row.line = x->row_number;
	} else if (strcmp(local, "c") == 0) {
		cell_start(sh, atts);
	} else if (!x->in_cell) {
		return;
	} else if (strcmp(local, "v") == 0) {
		x->in_v = 1;
	} else if (strcmp(local, "is") == 0) {
		x->in_is = 1;
	} else if (strcmp(local, "rPh") == 0) {
		x->in_rph++;
	} else if (strcmp(local, "t") == 0) {
		x->in_t = 1;
	}
}

static const char *trimmed(struct text *t)
{
	char *s = t->s ? t->s : "";
	size_t n = t->len;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
			 s[n - 1] == '\r'))
		s[--n] = '\0';
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static int cell_is_date(const struct xlsx_reader *x)
{
	return x->cell_style >= 0 && (size_t)x->cell_style < x->nxf &&
	       x->xf_is_date[x->cell_style];
}

/* The text of the cell just ended; out is scratch room for numbers and dates. */
static const char *cell_text(struct sheet *sh, char *out, size_t outsz)
{
	struct xlsx_reader *x = &sh->x;
	const char *v = x->value.s ? x->value.s : "";
	struct decimal d;
	long index;
	char *end;

	switch (x->cell_type) {
	case CELL_INLINE:
		return x->inline_text.s ? x->inline_text.s : "";
	case CELL_STRING:
	case CELL_ERROR:
		return v;
	case CELL_BOOL:
		v = trimmed(&x->value);
		return *v == '\0' ? "" : strcmp(v, "0") == 0 ? "FALSE" : "TRUE";
	case CELL_DATE:
		v = trimmed(&x->value);
		if (strlen(v) >= 10 && v[4] == '-' && v[7] == '-') {
			snprintf(out, outsz, "%.10s", v);
			return out;
		}
		return v;
	case CELL_SHARED:
		v = trimmed(&x->value);
		index = strtol(v, &end, 10);
		if (end == v || *end || index < 0 || (size_t)index >= x->nstrings) {
			xlsx_abort(sh, KYSO_EIO, _("a shared string is missing"));
			return NULL;
		}
		return x->strings.s + x->string_at[index];
	case CELL_NUMBER:
		break;
	}
	v = trimmed(&x->value);
	if (!decimal_parse(v, &d))
		return v;
	if (cell_is_date(x) && serial_to_date(decimal_whole_days(&d), x->date1904, out, outsz))
		return out;
	return decimal_format(&d, out, outsz) ? out : v;
}

static void cell_end(struct sheet *sh)
{
	struct xlsx_reader *x = &sh->x;
	char out[64];
	const char *text;

	x->in_cell = x->in_v = x->in_is = x->in_t = 0;
	x->in_rph = 0;
	text = cell_text(sh, out, sizeof out);
	if (!text)
		return;
	while (x->row.count < x->cell_col)
		if (sheet_row_add(&x->row, "", 0)) {
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
			return;
		}
	if (sheet_row_add(&x->row, text, strlen(text)))
		xlsx_abort(sh, KYSO_ENOMEM, NULL);
}

static void sheet_end(void *ctx, const XML_Char *name)
{
	struct sheet *sh = ctx;
	struct xlsx_reader *x = &sh->x;
	const char *local = local_name(name);

	if (xlsx_aborted(sh))
		return;
	if (strcmp(local, "c") == 0) {
		cell_end(sh);
	} else if (strcmp(local, "row") == 0) {
		if (!sheet_row_is_blank(&x->row)) {
			x->row_ready = 1;
			XML_StopParser(x->sheet_xml, XML_TRUE);
		}
	} else if (strcmp(local, "v") == 0) {
		x->in_v = 0;
	} else if (strcmp(local, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(local, "rPh") == 0) {
		x->in_rph--;
	} else if (strcmp(local, "t") == 0) {
		x->in_t = 0;
	}
}

static void sheet_text(void *ctx, const XML_Char *s, int len)
{
	struct sheet *sh = ctx;
	struct xlsx_reader *x = &sh->x;
	struct text *into = NULL;

	if (xlsx_aborted(sh) || !x->in_cell)
		return;
	if (x->in_v)
		into = &x->value;
	else if (x->in_is && x->in_t && x->in_rph == 0)
		into = &x->inline_text;
	if (into && sheet_text_put(into, s, (size_t)len))
		xlsx_abort(sh, KYSO_ENOMEM, NULL);
}

/* Finds the first worksheet's part: workbook.xml names it, its relationships say where it
 * is.  Files that lack either still usually have xl/worksheets/sheet1.xml. */
static int xlsx_find_sheet(struct sheet *sh, const char **part, struct kyso_err *err)
{
	int rc;

	rc = xlsx_parse_part(sh, "xl/workbook.xml", workbook_start, xml_ignore_end,
			     xml_ignore_text, err);
	if (rc < 0)
		return rc;
	if (sh->x.sheet_rid) {
		rc = xlsx_parse_part(sh, "xl/_rels/workbook.xml.rels", rels_start,
				     xml_ignore_end, xml_ignore_text, err);
		if (rc < 0)
			return rc;
	}
	if (sh->x.sheet_target && xlsx_has_part(sh, sh->x.sheet_target))
		*part = sh->x.sheet_target;
	else if (xlsx_has_part(sh, "xl/worksheets/sheet1.xml"))
		*part = "xl/worksheets/sheet1.xml";
	else
		return xlsx_fail_zip(sh, _("it has no worksheet"), err);
	return 0;
}

int sheet_xlsx_open(struct sheet *sh, struct kyso_err *err)
{
	struct xlsx_reader *x = &sh->x;
	const char *part = NULL;
	int zip_code, rc;

	x->zip = zip_open(sh->path, ZIP_RDONLY, &zip_code);
	if (!x->zip) {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zip_code);
		rc = xlsx_fail_zip(sh, zip_error_strerror(&ze), err);
		zip_error_fini(&ze);
		return rc;
	}
	rc = xlsx_find_sheet(sh, &part, err);
	if (rc < 0)
		return rc;
	rc = xlsx_parse_part(sh, "xl/styles.xml", styles_start, styles_end, xml_ignore_text,
			     err);
	if (rc < 0 || (rc = styles_resolve(sh, err)) < 0)
		return rc;
	rc = xlsx_parse_part(sh, "xl/sharedStrings.xml", strings_start, strings_end,
			     strings_text, err);
	if (rc < 0)
		return rc;
	x->in_t = x->in_rph = 0;
	x->part = xlsx_open_part(sh, part);
	if (!x->part)
		return xlsx_fail_zip(sh, zip_strerror(x->zip), err);
	x->sheet_xml = xlsx_new_parser(sh, sheet_start, sheet_end, sheet_text);
	if (!x->sheet_xml)
		return sheet_no_memory(err);
	return 0;
}

/* Parses until a row with something in it ends (the handler suspends the parser there)
 * or the worksheet ends. */
int sheet_xlsx_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
		     struct kyso_err *err)
{
	struct xlsx_reader *x = &sh->x;

	x->row_ready = 0;
	while (!x->finished) {
		enum XML_Status st;

		x->xml = x->sheet_xml;
		if (x->suspended) {
			st = XML_ResumeParser(x->sheet_xml);
		} else {
			void *buf = XML_GetBuffer(x->sheet_xml, CHUNK);
			zip_int64_t n;

			if (!buf)
				return sheet_no_memory(err);
			n = zip_fread(x->part, buf, CHUNK);
			if (n < 0)
				return xlsx_fail_zip(sh, zip_file_strerror(x->part), err);
			x->final_fed = n == 0;
			st = XML_ParseBuffer(x->sheet_xml, (int)n, x->final_fed);
		}
		if (st == XML_STATUS_ERROR)
			return xlsx_fail_xml(sh, x->sheet_xml, "worksheet", err);
		x->suspended = st == XML_STATUS_SUSPENDED;
		if (!x->suspended && x->final_fed)
			x->finished = 1;
		if (x->row_ready)
			return sheet_emit(sh, &x->row, cells, ncells, line, err);
	}
	return 0;
}

void sheet_xlsx_close(struct xlsx_reader *x)
{
	if (x->sheet_xml)
		XML_ParserFree(x->sheet_xml);
	if (x->part)
		zip_fclose(x->part);
	if (x->zip)
		zip_discard(x->zip);
	free(x->sheet_rid);
	free(x->sheet_target);
	free(x->xf_numfmt);
	free(x->custom_ids);
	free(x->custom_is_date);
	free(x->xf_is_date);
	free(x->strings.s);
	free(x->string_at);
	free(x->scratch.s);
	sheet_row_free(&x->row);
	free(x->value.s);
	free(x->inline_text.s);
}
