/*
 * sheet_impl.h - what the spreadsheet readers share inside core/ (sheet.c chooses the
 * format and hands rows out; sheet_csv.c and sheet_xlsx.c read).  Not part of the API:
 * include/kyso/sheet.h is.
 */
#ifndef KYSO_CORE_SHEET_IMPL_H
#define KYSO_CORE_SHEET_IMPL_H

#include <stdio.h>

#include <csv.h>
#include <expat.h>
#include <zip.h>

#include "kyso/err.h"
#include "kyso/sheet.h"

#define CHUNK (64 * 1024)
/* A CSV record this long means a quote was opened and never closed. */
#define MAX_RECORD ((size_t)16 * 1024 * 1024)
/* Excel's last column is XFD. */
#define MAX_COLUMNS 16384
/* Excel's last date, 9999-12-31, as a serial number. */
#define MAX_SERIAL 2958465L

/* Bytes kept NUL-terminated. */
struct text {
	char *s;
	size_t len, cap;
};

/* One row: its cells back to back, each NUL-terminated. */
struct row {
	struct text bytes;
	size_t *starts;
	size_t count, starts_cap;
	long line;
};

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

/* Growable storage (sheet.c) */
int sheet_grow(void *pp, size_t *cap, size_t need, size_t size);
int sheet_text_put(struct text *t, const char *s, size_t n);
void sheet_text_clear(struct text *t);
int sheet_row_add(struct row *r, const char *s, size_t n);
void sheet_row_reset(struct row *r);
int sheet_row_is_blank(const struct row *r);
void sheet_row_free(struct row *r);
int sheet_no_memory(struct kyso_err *err);
/* Hands r out through sheet_next's arguments, trailing empty cells dropped. */
int sheet_emit(struct sheet *sh, const struct row *r, char ***cells, size_t *ncells,
	       long *line, struct kyso_err *err);

/* The readers (sheet_csv.c, sheet_xlsx.c): open takes the file, next returns 1 with a
 * row, 0 at the end or a negative KYSO_E* code, close frees. */
int sheet_csv_open(struct sheet *sh, FILE *f, struct kyso_err *err);
int sheet_csv_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
		   struct kyso_err *err);
void sheet_csv_close(struct csv_reader *c);
int sheet_xlsx_open(struct sheet *sh, struct kyso_err *err);
int sheet_xlsx_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
		    struct kyso_err *err);
void sheet_xlsx_close(struct xlsx_reader *x);

#endif
