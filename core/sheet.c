/*
 * sheet.c - reads the officer's spreadsheet one row at a time: CSV through libcsv, the
 * first worksheet of an XLSX file through libzip and expat.
 *
 * Both readers stream.  CSV is handed to libcsv a line at a time and the records it
 * completes wait in a short queue; the worksheet XML is parsed in chunks and the parser is
 * suspended at the end of each row.  Only what XLSX keeps outside the worksheet (shared
 * strings, cell styles) is held whole.  Cells come back as the file has them: checking
 * them, UTF-8 included, is the caller's job.  Nothing here prints or exits.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>
#include <expat.h>
#include <zip.h>

#include "kyso/i18n.h"
#include "kyso/sheet.h"

#define CHUNK (64 * 1024)
/* A CSV record this long means a quote was opened and never closed. */
#define MAX_RECORD ((size_t)16 * 1024 * 1024)
/* Excel's last column is XFD. */
#define MAX_COLUMNS 16384
/* Excel's last date, 9999-12-31, as a serial number. */
#define MAX_SERIAL 2958465L

/* Growable storage ------------------------------------------------------------------ */

/* Makes room for need items of size bytes in the array whose pointer is at pp.
 * Returns 0, or -1 (the array untouched) when memory runs out. */
static int grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void *p, *q;
	size_t n;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -1;
		n *= 2;
	}
	memcpy(&p, pp, sizeof p);
	q = realloc(p, n * size);
	if (!q)
		return -1;
	memcpy(pp, &q, sizeof q);
	*cap = n;
	return 0;
}

/* Bytes kept NUL-terminated. */
struct text {
	char *s;
	size_t len, cap;
};

static int text_put(struct text *t, const char *s, size_t n)
{
	if (n > SIZE_MAX - t->len - 1 || grow(&t->s, &t->cap, t->len + n + 1, 1))
		return -1;
	if (n)
		memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

static void text_clear(struct text *t)
{
	t->len = 0;
	if (t->s)
		t->s[0] = '\0';
}

/* One row: its cells back to back, each NUL-terminated. */
struct row {
	struct text bytes;
	size_t *starts;
	size_t count, starts_cap;
	long line;
};

static int row_add(struct row *r, const char *s, size_t n)
{
	if (grow(&r->starts, &r->starts_cap, r->count + 1, sizeof *r->starts))
		return -1;
	r->starts[r->count] = r->bytes.len;
	if (text_put(&r->bytes, s, n))
		return -1;
	r->bytes.len++; /* keep the NUL */
	r->count++;
	return 0;
}

static void row_reset(struct row *r)
{
	r->bytes.len = 0;
	r->count = 0;
}

static int row_is_blank(const struct row *r)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->bytes.s[r->starts[i]] != '\0')
			return 0;
	return 1;
}

static void row_free(struct row *r)
{
	free(r->bytes.s);
	free(r->starts);
}

/* The reader ------------------------------------------------------------------------ */

struct csv_reader {
	FILE *file;
	struct csv_parser parser;
	int has_parser;
	unsigned char buf[CHUNK];
	size_t pos, len;
	int at_eof, finished;
	/* queue[head..tail) are complete records; queue[tail] is the one being built. */
	struct row *queue;
	size_t queue_cap, head, tail;
	long next_line;        /* physical line where the next record starts */
	long record_newlines;  /* line breaks inside the record being built */
	int after_cr;          /* the last record ended with CR: an empty LF record follows */
	int out_of_memory;
};

enum cell_type { CELL_NUMBER, CELL_SHARED, CELL_INLINE, CELL_STRING, CELL_BOOL, CELL_ERROR,
		 CELL_DATE };

struct xlsx_reader {
	zip_t *zip;
	XML_Parser xml;            /* the parser running now, for handlers to stop */
	struct kyso_err cb_err;    /* what a handler found wrong; code 0 when nothing */
	/* workbook.xml and its relationships */
	int seen_sheet;
	char *sheet_rid;
	char *sheet_target;
	int date1904;
	/* styles.xml: each cell format's number format, and the custom formats that are dates */
	int in_numfmts, in_cellxfs;
	int *xf_numfmt;
	size_t nxf, xf_cap;
	int *custom_ids;
	unsigned char *custom_is_date;
	size_t ncustom, custom_cap, custom_flags_cap;
	unsigned char *xf_is_date;
	/* sharedStrings.xml */
	struct text strings;
	size_t *string_at;
	size_t nstrings, string_cap;
	/* inside <si>, <t>, <rPh> (phonetic runs, not part of the text) */
	int in_si, in_t, in_rph;
	struct text scratch;
	/* the worksheet */
	zip_file_t *part;
	XML_Parser sheet_xml;
	int suspended, final_fed, finished, row_ready;
	struct row row;
	long row_number;
	int in_cell, in_v, in_is;
	size_t cell_col;
	enum cell_type cell_type;
	long cell_style;
	struct text value;         /* <v> */
	struct text inline_text;   /* <is><t> */
};

enum sheet_format { SHEET_CSV, SHEET_XLSX };

struct sheet {
	enum sheet_format format;
	char *path;
	int failed;                /* once reading failed, every later call says so */
	char **cells;
	size_t cells_cap;
	struct csv_reader csv;
	struct xlsx_reader x;
};

static int no_memory(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

/* Hands r out through sheet_next's arguments, trailing empty cells dropped. */
static int sheet_emit(struct sheet *sh, const struct row *r, char ***cells, size_t *ncells,
		      long *line, struct kyso_err *err)
{
	size_t n = r->count;

	while (n > 0 && r->bytes.s[r->starts[n - 1]] == '\0')
		n--;
	if (grow(&sh->cells, &sh->cells_cap, n + 1, sizeof *sh->cells))
		return no_memory(err);
	for (size_t i = 0; i < n; i++)
		sh->cells[i] = r->bytes.s + r->starts[i];
	sh->cells[n] = NULL;
	*cells = sh->cells;
	*ncells = n;
	*line = r->line;
	return 1;
}

/* CSV ------------------------------------------------------------------------------- */

/* The separator is the one the header line uses most, outside quotes: Excel in a
 * Vietnamese locale saves CSV with ';', most other tools with ','. */
static unsigned char csv_guess_separator(const unsigned char *s, size_t n)
{
	size_t comma = 0, semicolon = 0, tab = 0, i = 0;
	int quoted = 0;

	while (i < n && (s[i] == '\r' || s[i] == '\n'))
		i++; /* blank lines before the header */
	for (; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == '\n' || s[i] == '\r')
			break;
		else if (s[i] == ',')
			comma++;
		else if (s[i] == ';')
			semicolon++;
		else if (s[i] == '\t')
			tab++;
	}
	if (tab > comma && tab > semicolon)
		return '\t';
	return semicolon > comma ? ';' : ',';
}

static struct row *csv_building(struct csv_reader *c)
{
	return &c->queue[c->tail];
}

static void csv_on_field(void *data, size_t len, void *ctx)
{
	struct csv_reader *c = ctx;
	const char *s = data ? data : "";

	if (c->out_of_memory)
		return;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			c->record_newlines++;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (row_add(csv_building(c), s, len))
		c->out_of_memory = 1;
}

/* Ends a record.  term is the character that ended it (CR, LF) or -1 at end of file.
 * Line breaks are counted here so that *line is the physical line where a record starts,
 * whatever mix of CRLF, LF and CR the file uses. */
static void csv_on_record(int term, void *ctx)
{
	struct csv_reader *c = ctx;
	struct row *r = csv_building(c);
	long start = c->next_line;
	size_t old_cap;

	if (c->out_of_memory)
		return;
	if (term == '\n' && c->after_cr && r->count == 0) {
		c->after_cr = 0; /* the LF of a CRLF */
		return;
	}
	c->next_line += c->record_newlines + (term == '\n' || term == '\r');
	c->after_cr = term == '\r';
	c->record_newlines = 0;
	if (row_is_blank(r)) {
		row_reset(r);
		return;
	}
	r->line = start;
	old_cap = c->queue_cap;
	if (grow(&c->queue, &c->queue_cap, c->tail + 2, sizeof *c->queue)) {
		c->out_of_memory = 1;
		return;
	}
	memset(c->queue + old_cap, 0, (c->queue_cap - old_cap) * sizeof *c->queue);
	c->tail++;
	row_reset(csv_building(c));
}

static int csv_read_chunk(struct sheet *sh, struct kyso_err *err)
{
	struct csv_reader *c = &sh->csv;
	size_t n = fread(c->buf, 1, sizeof c->buf, c->file);

	if (n == 0) {
		if (ferror(c->file))
			return kyso_fail(err, KYSO_EIO, _("%s: cannot read the file"), sh->path);
		c->at_eof = 1;
	}
	c->pos = 0;
	c->len = n;
	return 0;
}

static int csv_open(struct sheet *sh, FILE *f, struct kyso_err *err)
{
	struct csv_reader *c = &sh->csv;
	int rc;

	c->file = f;
	c->next_line = 1;
	if (csv_init(&c->parser, CSV_REPALL_NL) != 0)
		return no_memory(err);
	c->has_parser = 1;
	c->queue = calloc(2, sizeof *c->queue);
	if (!c->queue)
		return no_memory(err);
	c->queue_cap = 2;
	rc = csv_read_chunk(sh, err);
	if (rc)
		return rc;
	/* Excel's "Unicode Text" is UTF-16: say so rather than let the caller report bad
	 * UTF-8 on every row. */
	if (c->len >= 2 && (memcmp(c->buf, "\xFF\xFE", 2) == 0 ||
			    memcmp(c->buf, "\xFE\xFF", 2) == 0))
		return kyso_fail(err, KYSO_EINVAL,
				 _("%s: the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" or as .xlsx"),
				 sh->path);
	if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
	csv_set_delim(&c->parser, csv_guess_separator(c->buf + c->pos, c->len - c->pos));
	return 0;
}

/* At end of file: libcsv is lenient on purpose while reading (officers' files are
 * messy), but a quote still open at the end has swallowed the rest of the file. */
static int csv_finish(struct sheet *sh, struct kyso_err *err)
{
	struct csv_reader *c = &sh->csv;

	c->finished = 1;
	csv_set_opts(&c->parser, (unsigned char)(csv_get_opts(&c->parser) | CSV_STRICT |
						  CSV_STRICT_FINI));
	if (csv_fini(&c->parser, csv_on_field, csv_on_record, c) != 0)
		return kyso_fail(err, KYSO_EINVAL,
				 _("%s, line %ld: a quoted cell is never closed (a \" is missing)"),
				 sh->path, c->next_line);
	if (c->out_of_memory)
		return no_memory(err);
	return 0;
}

/* Feeds libcsv until a record is complete or the file ends. */
static int csv_fill(struct sheet *sh, struct kyso_err *err)
{
	struct csv_reader *c = &sh->csv;
	int rc;

	if (c->head == c->tail && c->tail > 0) {
		struct row building = c->queue[c->tail];

		c->queue[c->tail] = c->queue[0];
		c->queue[0] = building;
		c->head = c->tail = 0;
	}
	while (c->head == c->tail && !c->finished) {
		const unsigned char *start, *nl;
		size_t n;

		if (c->pos == c->len) {
			rc = c->at_eof ? csv_finish(sh, err) : csv_read_chunk(sh, err);
			if (rc)
				return rc;
			continue;
		}
		start = c->buf + c->pos;
		nl = memchr(start, '\n', c->len - c->pos);
		n = nl ? (size_t)(nl - start) + 1 : c->len - c->pos;
		if (csv_parse(&c->parser, start, n, csv_on_field, csv_on_record, c) != n)
			return kyso_fail(err, KYSO_EIO, _("%s: cannot read the file (%s)"),
					 sh->path, csv_strerror(csv_error(&c->parser)));
		c->pos += n;
		if (c->out_of_memory)
			return no_memory(err);
		if (csv_get_buffer_size(&c->parser) > MAX_RECORD)
			return kyso_fail(err, KYSO_EINVAL,
					 _("%s, line %ld: a cell longer than 16 MB; is a quote (\") never closed?"),
					 sh->path, c->next_line);
	}
	return 0;
}

static int csv_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
		    struct kyso_err *err)
{
	struct csv_reader *c = &sh->csv;
	int rc = csv_fill(sh, err);

	if (rc)
		return rc;
	if (c->head == c->tail)
		return 0;
	return sheet_emit(sh, &c->queue[c->head++], cells, ncells, line, err);
}

static void csv_close(struct csv_reader *c)
{
	if (c->has_parser)
		csv_free(&c->parser);
	if (c->file)
		fclose(c->file);
	for (size_t i = 0; i < c->queue_cap; i++)
		row_free(&c->queue[i]);
	free(c->queue);
}

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
		return no_memory(err);
	}
	for (;;) {
		void *buf = XML_GetBuffer(p, CHUNK);
		zip_int64_t n;

		if (!buf) {
			rc = no_memory(err);
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
	if (grow(&x->custom_ids, &x->custom_cap, x->ncustom + 1, sizeof *x->custom_ids) ||
	    grow(&x->custom_is_date, &x->custom_flags_cap, x->ncustom + 1, 1)) {
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
		if (grow(&x->xf_numfmt, &x->xf_cap, x->nxf + 1, sizeof *x->xf_numfmt)) {
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
		return no_memory(err);
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
		text_clear(&sh->x.scratch);
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
		if (grow(&x->string_at, &x->string_cap, x->nstrings + 1, sizeof *x->string_at)) {
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
			return;
		}
		x->string_at[x->nstrings] = x->strings.len;
		if (text_put(&x->strings, x->scratch.s ? x->scratch.s : "", x->scratch.len)) {
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
	if (text_put(&sh->x.scratch, s, (size_t)len))
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
	text_clear(&x->value);
	text_clear(&x->inline_text);
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
		row_reset(&x->row);
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
		if (row_add(&x->row, "", 0)) {
			xlsx_abort(sh, KYSO_ENOMEM, NULL);
			return;
		}
	if (row_add(&x->row, text, strlen(text)))
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
		if (!row_is_blank(&x->row)) {
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
	if (into && text_put(into, s, (size_t)len))
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

static int xlsx_open(struct sheet *sh, struct kyso_err *err)
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
		return no_memory(err);
	return 0;
}

/* Parses until a row with something in it ends (the handler suspends the parser there)
 * or the worksheet ends. */
static int xlsx_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
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
				return no_memory(err);
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

static void xlsx_close(struct xlsx_reader *x)
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
	row_free(&x->row);
	free(x->value.s);
	free(x->inline_text.s);
}

/* Choosing the format ---------------------------------------------------------------- */

static const char *extension_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');

	return dot ? dot + 1 : "";
}

/* Old binary Excel files (and .xls renamed .csv) start with the OLE2 signature. */
static int is_ole2(const unsigned char *head, size_t n)
{
	return n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

static int fail_xls(const char *path, struct kyso_err *err)
{
	return kyso_fail(err, KYSO_EINVAL,
			 _("%s: this is an old Excel file (.xls); open it in Excel or LibreOffice and save it as .xlsx or .csv"),
			 path);
}

/* Decides the format from the extension, else the first bytes, and opens the reader. */
static int sheet_start_reading(struct sheet *sh, struct kyso_err *err)
{
	const char *ext = extension_of(sh->path);
	unsigned char head[8];
	size_t n;
	FILE *f;

	if (strcasecmp(ext, "xls") == 0)
		return fail_xls(sh->path, err);
	if (strcasecmp(ext, "ods") == 0)
		return kyso_fail(err, KYSO_EINVAL,
				 _("%s: OpenDocument spreadsheets (.ods) cannot be read; save it as .xlsx or .csv"),
				 sh->path);
	f = fopen(sh->path, "rb");
	if (!f)
		return kyso_fail(err, KYSO_EIO, _("%s: cannot open (%s)"), sh->path,
				 strerror(errno));
	n = fread(head, 1, sizeof head, f);
	if (ferror(f) || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return kyso_fail(err, KYSO_EIO, _("%s: cannot read the file"), sh->path);
	}
	if (is_ole2(head, n)) {
		fclose(f);
		return fail_xls(sh->path, err);
	}
	if (strcasecmp(ext, "xlsx") == 0 || strcasecmp(ext, "xlsm") == 0 ||
	    (strcasecmp(ext, "csv") != 0 && strcasecmp(ext, "txt") != 0 &&
	     strcasecmp(ext, "tsv") != 0 && n >= 4 && memcmp(head, "PK\3\4", 4) == 0)) {
		fclose(f);
		sh->format = SHEET_XLSX;
		return xlsx_open(sh, err);
	}
	sh->format = SHEET_CSV;
	return csv_open(sh, f, err);
}

/* Public ----------------------------------------------------------------------------- */

int sheet_open(const char *path, struct sheet **out, struct kyso_err *err)
{
	struct sheet *sh;
	int rc;

	*out = NULL;
	sh = calloc(1, sizeof *sh);
	if (!sh)
		return no_memory(err);
	sh->path = strdup(path);
	if (!sh->path) {
		free(sh);
		return no_memory(err);
	}
	rc = sheet_start_reading(sh, err);
	if (rc < 0) {
		sheet_close(sh);
		return rc;
	}
	*out = sh;
	return 0;
}

int sheet_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
	       struct kyso_err *err)
{
	int rc;

	*cells = NULL;
	*ncells = 0;
	*line = 0;
	if (sh->failed)
		return kyso_fail(err, sh->failed, _("%s: reading stopped at an earlier error"),
				 sh->path);
	if (sh->format == SHEET_CSV)
		rc = csv_next(sh, cells, ncells, line, err);
	else
		rc = xlsx_next(sh, cells, ncells, line, err);
	if (rc < 0)
		sh->failed = rc;
	return rc;
}

void sheet_close(struct sheet *sh)
{
	if (!sh)
		return;
	if (sh->format == SHEET_CSV)
		csv_close(&sh->csv);
	else
		xlsx_close(&sh->x);
	free(sh->cells);
	free(sh->path);
	free(sh);
}
