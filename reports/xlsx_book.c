/*
 * xlsx_book.c - the workbooks' file, formats and cell writers (xlsx_book.h), for the
 * report and the roster export.  Every format is Times New Roman (Decree 30/2020,
 * Appendix I); dates are real Excel dates shown dd/mm/yyyy, numbers real numbers.  A
 * failed write is remembered, not ignored: the writer reports the first error when the
 * workbook closes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "xlsx_book.h"

/* Each format: Times New Roman at a size, bold and italic or not, centred, or a table's
 * cell (thin borders, 11 points). */
enum format_kind { PLAIN, CENTRED, CELL };

static const struct {
	size_t slot;		/* offsetof(struct xlsx_formats, ...) */
	enum format_kind kind;
	double size;
	int bold, italic;
	uint8_t align;		/* a cell's, or 0 */
} format_specs[] = {
#define F(name) offsetof(struct xlsx_formats, name)
	{ F(parent), CENTRED, 12, 0, 0, 0 },	   { F(agency), CENTRED, 12, 1, 0, 0 },
	{ F(motto), CENTRED, 12, 1, 0, 0 },	   { F(motto_line), CENTRED, 13, 1, 0, 0 },
	{ F(place_date), CENTRED, 13, 0, 1, 0 },   { F(centre), CENTRED, 13, 0, 0, 0 },
	{ F(title), CENTRED, 14, 1, 0, 0 },	   { F(subtitle), CENTRED, 13, 1, 0, 0 },
	{ F(period), CENTRED, 13, 0, 1, 0 },	   { F(section), PLAIN, 12, 1, 0, 0 },
	{ F(sheet_title), CENTRED, 13, 1, 0, 0 },
	{ F(header), CELL, 11, 1, 0, LXW_ALIGN_CENTER },
	{ F(text), CELL, 11, 0, 0, 0 },
	{ F(centre_cell), CELL, 11, 0, 0, LXW_ALIGN_CENTER },
	{ F(number), CELL, 11, 0, 0, 0 },
	{ F(date), CELL, 11, 0, 0, LXW_ALIGN_CENTER },
	{ F(total_label), CELL, 11, 1, 0, LXW_ALIGN_CENTER },
	{ F(total_number), CELL, 11, 1, 0, 0 },
	{ F(note_title), PLAIN, 12, 1, 1, 0 },	   { F(note), PLAIN, 12, 0, 1, 0 },
	{ F(sign_title), CENTRED, 13, 1, 0, 0 },   { F(sign_note), CENTRED, 13, 0, 1, 0 },
	{ F(sign_name), CENTRED, 13, 1, 0, 0 },	   { F(recipients_title), PLAIN, 12, 1, 1, 0 },
	{ F(recipients), PLAIN, 11, 0, 0, 0 },
#undef F
};

int book_formats(struct xlsx_book *b)
{
	struct xlsx_formats *f = &b->f;
	size_t i;

	for (i = 0; i < sizeof(format_specs) / sizeof(format_specs[0]); i++) {
		lxw_format *fmt = workbook_add_format(b->wb);

		if (!fmt)
			return -1;
		format_set_font_name(fmt, "Times New Roman");
		format_set_font_size(fmt, format_specs[i].size);
		format_set_align(fmt, LXW_ALIGN_VERTICAL_CENTER);
		if (format_specs[i].bold)
			format_set_bold(fmt);
		if (format_specs[i].italic)
			format_set_italic(fmt);
		if (format_specs[i].kind == CENTRED)
			format_set_align(fmt, LXW_ALIGN_CENTER);
		if (format_specs[i].kind == CELL)
			format_set_border(fmt, LXW_BORDER_THIN);
		if (format_specs[i].align)
			format_set_align(fmt, format_specs[i].align);
		*(lxw_format **)((char *)f + format_specs[i].slot) = fmt;
	}
	/* The motto's second line is underlined its whole length (Appendix I). */
	format_set_underline(f->motto_line, LXW_UNDERLINE_SINGLE);
	format_set_text_wrap(f->header);
	format_set_bg_color(f->header, 0xD9D9D9);
	format_set_text_wrap(f->title);
	format_set_text_wrap(f->note);
	format_set_num_format(f->number, "#,##0");
	format_set_num_format(f->total_number, "#,##0");
	format_set_num_format(f->date, "dd/mm/yyyy");
	format_set_bg_color(f->total_label, 0xF2F2F2);
	format_set_bg_color(f->total_number, 0xF2F2F2);
	return 0;
}

void book_check(struct xlsx_book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->failed == LXW_NO_ERROR)
		b->failed = e;
}

lxw_worksheet *book_sheet(struct xlsx_book *b, const char *name)
{
	lxw_worksheet *ws;

	if (b->failed)
		return NULL;
	if (!(ws = workbook_add_worksheet(b->wb, name)))
		book_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return ws;
}

/* Why libxlsxwriter failed, in the interface's language (its own words are English). */
static const char *book_reason(lxw_error e)
{
	switch (e) {
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return _("out of memory");
	case LXW_ERROR_CREATING_XLSX_FILE:
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_READING_TMPFILE:
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_FILE_ADD:
	case LXW_ERROR_ZIP_CLOSE:
		return kyso_strerror(errno ? errno : EIO);
	default:
		return _("the workbook library refused the content");
	}
}

int book_write_file(struct outfile *o, int (*fill)(struct xlsx_book *b, void *ctx,
						   struct kyso_err *err),
		    void *ctx, xlsx_report_progress progress, void *progress_ctx,
		    struct kyso_err *err)
{
	lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = o->dir };
	struct xlsx_book b = { .progress = progress, .ctx = progress_ctx };
	lxw_error closed;
	int rc = 0;

	/* libxlsxwriter opens the file by its name. */
	close(o->fd);
	o->fd = -1;
	if (!(b.wb = workbook_new_opt(o->tmp, &options)))
		return kyso_fail(err, KYSO_EIO, _("%s: cannot write the XLSX file (%s)"), o->path,
				 kyso_strerror(errno ? errno : EIO));
	if (book_formats(&b))
		b.failed = LXW_ERROR_MEMORY_MALLOC_FAILED;
	if (!b.failed)
		rc = fill(&b, ctx, err);
	closed = workbook_close(b.wb);
	if (!rc && (b.failed || closed))
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write the XLSX file (%s)"), o->path,
			       book_reason(b.failed ? b.failed : closed));
	return rc;
}

/* Excel holds at most this many characters in a cell; longer text is cut at a whole
 * UTF-8 character. */
#define CELL_TEXT_MAX 32767

void book_text(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
	       const char *text, lxw_format *f)
{
	size_t len;

	if (b->failed)
		return;
	if (!text || !*text) {
		book_check(b, worksheet_write_blank(ws, row, col, f));
		return;
	}
	len = strlen(text);
	if (len > CELL_TEXT_MAX) {
		char *cut = malloc(CELL_TEXT_MAX + 1);

		if (!cut) {
			book_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		len = CELL_TEXT_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
		memcpy(cut, text, len);
		cut[len] = '\0';
		book_check(b, worksheet_write_string(ws, row, col, cut, f));
		free(cut);
		return;
	}
	book_check(b, worksheet_write_string(ws, row, col, text, f));
}

void book_number(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		 double n, lxw_format *f)
{
	if (!b->failed)
		book_check(b, worksheet_write_number(ws, row, col, n, f));
}

void book_date(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
	       const char *iso, lxw_format *f)
{
	lxw_datetime dt = { 0 };
	int n = 0;

	if (b->failed)
		return;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%n", &dt.year, &dt.month, &dt.day, &n) != 3 ||
	    iso[n] || dt.year < 1900 || dt.month < 1 || dt.month > 12 || dt.day < 1 || dt.day > 31) {
		book_text(b, ws, row, col, iso, f);
		return;
	}
	book_check(b, worksheet_write_datetime(ws, row, col, &dt, f));
}

void book_formula(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		  const char *formula, double value, lxw_format *f)
{
	if (!b->failed)
		book_check(b, worksheet_write_formula_num(ws, row, col, formula, f, value));
}

void book_merge(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t first,
		lxw_col_t last, const char *text, lxw_format *f)
{
	if (b->failed)
		return;
	if (first == last)
		book_text(b, ws, row, first, text, f);
	else
		book_check(b, worksheet_merge_range(ws, row, first, row, last, text ? text : "", f));
}

void book_row_height(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, double height)
{
	if (!b->failed)
		book_check(b, worksheet_set_row(ws, row, height, NULL));
}

void book_column(struct xlsx_book *b, lxw_worksheet *ws, lxw_col_t first, lxw_col_t last,
		 double width)
{
	if (!b->failed)
		book_check(b, worksheet_set_column(ws, first, last, width, NULL));
}

void book_page_setup(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t repeat_first,
		     lxw_row_t repeat_last)
{
	if (b->failed)
		return;
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_center_horizontally(ws);
	/* Left 30 mm, right 15 mm, top and bottom 20 mm (Appendix I), in inches. */
	worksheet_set_margins(ws, 1.18, 0.59, 0.79, 0.79);
	book_check(b, worksheet_set_footer(ws, "&C&\"Times New Roman,Regular\"&11Trang &P/&N"));
	book_check(b, worksheet_repeat_rows(ws, repeat_first, repeat_last));
}

void book_progress(struct xlsx_book *b, long n)
{
	long before = b->done;

	b->done += n;
	/* About every 4096 rows, and at the end. */
	if (b->progress && (before >> 12 != b->done >> 12 || b->done >= b->total))
		b->progress(b->done, b->total, b->ctx);
}

