/*
 * xlsx_book.h - what the report's sheets share (internal to reports/): the workbook, its
 * formats (Times New Roman throughout, DOMAIN.md §6), cell writers that remember the
 * first libxlsxwriter error instead of stopping at each call, A4 landscape page set-up,
 * and the progress count.  xlsx_report.c writes the summary, xlsx_report_detail.c the
 * detail sheets.
 */
#ifndef KYSO_REPORTS_XLSX_BOOK_H
#define KYSO_REPORTS_XLSX_BOOK_H

#include <xlsxwriter.h>

#include "kyso/outfile.h"
#include "kyso/xlsx_report.h"

struct xlsx_formats {
	lxw_format *parent, *agency, *motto, *motto_line, *place_date, *centre;
	lxw_format *title, *subtitle, *period, *section, *sheet_title;
	lxw_format *header, *text, *centre_cell, *number, *date, *total_label, *total_number;
	lxw_format *note_title, *note, *sign_title, *sign_note, *sign_name;
	lxw_format *recipients_title, *recipients;
};

struct xlsx_book {
	lxw_workbook *wb;
	struct xlsx_formats f;
	lxw_error failed;	/* the first error; later writes are skipped */
	xlsx_report_progress progress;
	void *ctx;
	long done, total;	/* rows written, of about total */
};

/* Makes every format; -1 when out of memory. */
int book_formats(struct xlsx_book *b);

/* Writes the workbook fill makes to o's temporary file (libxlsxwriter's constant-memory
 * mode keeps its row files in the same folder), with every format made; the caller
 * commits or discards o.  fill returns 0 or a KYSO_E* code with err set; the first
 * libxlsxwriter error is b->failed.  progress (may be NULL) is told as fill's rows go. */
int book_write_file(struct outfile *o, int (*fill)(struct xlsx_book *b, void *ctx,
						   struct kyso_err *err),
		    void *ctx, xlsx_report_progress progress, void *progress_ctx,
		    struct kyso_err *err);

/* Keeps e when it is the first error. */
void book_check(struct xlsx_book *b, lxw_error e);

/* A new sheet named name (NULL after an error). */
lxw_worksheet *book_sheet(struct xlsx_book *b, const char *name);

/* Cells.  Text NULL or "" is a blank cell in the format (its borders show); a date that
 * is not YYYY-MM-DD is written as text. */
void book_text(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
	       const char *text, lxw_format *f);
void book_number(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		 double n, lxw_format *f);
void book_date(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
	       const char *iso, lxw_format *f);
void book_formula(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		  const char *formula, double value, lxw_format *f);
/* Columns first..last of row as one cell (a single column is just written). */
void book_merge(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t first,
		lxw_col_t last, const char *text, lxw_format *f);
/* Before the row is written (constant-memory mode sets rows as they come). */
void book_row_height(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, double height);
void book_column(struct xlsx_book *b, lxw_worksheet *ws, lxw_col_t first, lxw_col_t last,
		 double width);

/* A4 landscape, one page wide, margins of an administrative document, page numbers in
 * the footer, rows repeat_first..repeat_last printed on every page. */
void book_page_setup(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t repeat_first,
		     lxw_row_t repeat_last);

/* n more rows written: tells the caller's progress now and then. */
void book_progress(struct xlsx_book *b, long n);

/* The detail sheets (xlsx_report_detail.c): the roster at the end of the period, its
 * events, handovers and lost tokens, read through r.  Sets b->total first. */
int detail_sheets(struct xlsx_book *b, struct report_reader *r, const struct report_summary *s,
		  struct kyso_err *err);

#endif
