/*
 * sheet_csv.c - CSV as officers save it: UTF-8 with or without a byte-order mark, comma,
 * semicolon or tab separated, RFC 4180 quoting.  libcsv is fed a chunk at a time and the
 * records it completes wait in a short queue, so memory does not grow with the file.
 * *line is the physical line where a record starts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/i18n.h"
#include "sheet_impl.h"

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
	if (sheet_row_add(csv_building(c), s, len))
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
	if (sheet_row_is_blank(r)) {
		sheet_row_reset(r);
		return;
	}
	r->line = start;
	old_cap = c->queue_cap;
	if (sheet_grow(&c->queue, &c->queue_cap, c->tail + 2, sizeof *c->queue)) {
		c->out_of_memory = 1;
		return;
	}
	memset(c->queue + old_cap, 0, (c->queue_cap - old_cap) * sizeof *c->queue);
	c->tail++;
	sheet_row_reset(csv_building(c));
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

int sheet_csv_open(struct sheet *sh, FILE *f, struct kyso_err *err)
{
	struct csv_reader *c = &sh->csv;
	int rc;

	c->file = f;
	c->next_line = 1;
	if (csv_init(&c->parser, CSV_REPALL_NL) != 0)
		return sheet_no_memory(err);
	c->has_parser = 1;
	c->queue = calloc(2, sizeof *c->queue);
	if (!c->queue)
		return sheet_no_memory(err);
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
		return sheet_no_memory(err);
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
			return sheet_no_memory(err);
		if (csv_get_buffer_size(&c->parser) > MAX_RECORD)
			return kyso_fail(err, KYSO_EINVAL,
					 _("%s, line %ld: a cell longer than 16 MB; is a quote (\") never closed?"),
					 sh->path, c->next_line);
	}
	return 0;
}

int sheet_csv_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
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

void sheet_csv_close(struct csv_reader *c)
{
	if (c->has_parser)
		csv_free(&c->parser);
	if (c->file)
		fclose(c->file);
	for (size_t i = 0; i < c->queue_cap; i++)
		sheet_row_free(&c->queue[i]);
	free(c->queue);
}
