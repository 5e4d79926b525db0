/*
 * roster_export.c - the roster as a file: CSV for other programs, XLSX laid out to print
 * on A4.  Rows are the ones subscriber_list gives for the caller's query, in its order.
 *
 * The file is written beside the target under a temporary name and put in place only
 * when complete (outfile.h): a full disk or a crash never leaves half a roster under the
 * real name, and no file is replaced without the caller's word.
 * The roster holds citizen IDs, so the file keeps mkstemp's owner-only mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "kyso/i18n.h"
#include "kyso/check.h"
#include "kyso/outfile.h"
#include "kyso/roster_export.h"
#include "xlsx_book.h"

enum roster_column {
	COL_NO, COL_NAME, COL_KIND, COL_UNIT, COL_POSITION, COL_ID_NUMBER, COL_EMAIL,
	COL_PHONE, COL_STATUS, COL_DEPARTED_ON, COL_ID, NCOLUMNS
};

/* Headers are Vietnamese whatever the interface language: the file goes to the agency. */
static const char *const column_header[NCOLUMNS] = {
	"STT", "Họ và tên", "Loại", "Đơn vị", "Chức vụ", "Số CCCD", "Email", "Điện thoại",
	"Trạng thái", "Ngày nghỉ", "ID",
};

/* Widths in characters, wide enough for Vietnamese names and unit titles. */
static const double column_width[NCOLUMNS] = {
	6, 28, 12, 30, 22, 16, 32, 14, 16, 13, 8,
};

/* The text of each column of r; NULL for the numeric columns (STT, ID). */
static void row_texts(const struct subscriber_row *r, const char *text[NCOLUMNS])
{
	text[COL_NO] = NULL;
	text[COL_NAME] = r->name;
	text[COL_KIND] = subscriber_kind_label(r->kind);
	text[COL_UNIT] = r->unit;
	text[COL_POSITION] = r->position;
	text[COL_ID_NUMBER] = r->id_number;
	text[COL_EMAIL] = r->email;
	text[COL_PHONE] = r->phone;
	text[COL_STATUS] = r->status ? subscriber_status_label(r->status) : NULL;
	text[COL_DEPARTED_ON] = r->departed_on;
	text[COL_ID] = NULL;
	for (int c = 0; c < NCOLUMNS; c++)
		if (text[c] && !*text[c])
			text[c] = NULL;
}

/* CSV --------------------------------------------------------------------------------- */

struct csv_out {
	FILE *f;
	long rows;
	int write_errno;  /* 0, or why a write failed */
};

/* One field, RFC 4180 quoted when needed.  A field that starts like a formula gets a
 * leading apostrophe so that a spreadsheet shows it instead of running it. */
static int csv_put_field(FILE *f, const char *s)
{
	int quoted = strpbrk(s, ",\"\r\n") != NULL;
	int guarded = s[0] && strchr("=+-@\t\r", s[0]);

	if (quoted && fputc('"', f) == EOF)
		return -1;
	if (guarded && fputc('\'', f) == EOF)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p == '"' && fputc('"', f) == EOF)
			return -1;
		if (fputc(*p, f) == EOF)
			return -1;
	}
	if (quoted && fputc('"', f) == EOF)
		return -1;
	return 0;
}

static int csv_put_header(FILE *f)
{
	if (fputs("\xEF\xBB\xBF", f) == EOF) /* BOM: Excel then reads UTF-8 */
		return -1;
	for (int c = 0; c < NCOLUMNS; c++)
		if ((c > 0 && fputc(',', f) == EOF) || csv_put_field(f, column_header[c]))
			return -1;
	return fputs("\r\n", f) == EOF ? -1 : 0;
}

static int csv_put_row(FILE *f, long number, const struct subscriber_row *r)
{
	const char *text[NCOLUMNS];
	char shown[11];

	row_texts(r, text);
	/* Dates in a list are written dd/mm/yyyy, as officers read them (DOMAIN.md §6). */
	if (text[COL_DEPARTED_ON])
		text[COL_DEPARTED_ON] = date_display(text[COL_DEPARTED_ON], shown);
	for (int c = 0; c < NCOLUMNS; c++) {
		int rc;

		if (c > 0 && fputc(',', f) == EOF)
			return -1;
		if (c == COL_NO)
			rc = fprintf(f, "%ld", number) < 0 ? -1 : 0;
		else if (c == COL_ID)
			rc = fprintf(f, "%lld", r->id) < 0 ? -1 : 0;
		else
			rc = csv_put_field(f, text[c] ? text[c] : "");
		if (rc)
			return -1;
	}
	return fputs("\r\n", f) == EOF ? -1 : 0;
}

static int csv_on_row(const struct subscriber_row *r, void *ctx)
{
	struct csv_out *out = ctx;

	errno = 0;
	if (csv_put_row(out->f, out->rows + 1, r) != 0) {
		out->write_errno = errno ? errno : EIO;
		return 1;
	}
	out->rows++;
	return 0;
}

static int export_csv(struct kyso_db *db, const struct subscriber_query *q, struct outfile *o,
		      long *rows, struct kyso_err *err)
{
	struct csv_out out = {0};
	int rc;

	out.f = fdopen(o->fd, "w");
	if (!out.f)
		return kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path, kyso_strerror(errno));
	o->fd = -1; /* the stream's now */
	errno = 0;
	if (csv_put_header(out.f) != 0) {
		out.write_errno = errno ? errno : EIO;
		rc = 0;
	} else {
		rc = subscriber_list(db, q, csv_on_row, &out, err);
	}
	/* outfile_commit syncs the file to disk before the rename. */
	if (out.write_errno == 0 && rc == 0 && fflush(out.f) != 0)
		out.write_errno = errno;
	if (fclose(out.f) != 0 && out.write_errno == 0 && rc == 0)
		out.write_errno = errno;
	if (out.write_errno)
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), o->path,
			       kyso_strerror(out.write_errno));
	if (rc == 0)
		*rows = out.rows;
	return rc;
}

/* XLSX -------------------------------------------------------------------------------- */

/* The sheet being written: its rows so far. */
struct xlsx_out {
	struct xlsx_book *b;
	lxw_worksheet *ws;
	long rows;
};

static int xlsx_on_row(const struct subscriber_row *r, void *ctx)
{
	struct xlsx_out *o = ctx;
	struct xlsx_book *b = o->b;
	lxw_row_t row = (lxw_row_t)(o->rows + 1);
	const char *text[NCOLUMNS];

	row_texts(r, text);
	for (lxw_col_t c = 0; c < NCOLUMNS; c++) {
		if (c == COL_NO)
			book_number(b, o->ws, row, c, (double)row, b->f.centre_cell);
		else if (c == COL_ID)
			book_number(b, o->ws, row, c, (double)r->id, b->f.centre_cell);
		else if (c == COL_DEPARTED_ON)
			book_date(b, o->ws, row, c, text[c], text[c] ? b->f.date : b->f.text);
		else
			book_text(b, o->ws, row, c, text[c], b->f.text);
	}
	if (b->failed)
		return 1;
	o->rows++;
	return 0;
}

struct xlsx_query {
	struct kyso_db *db;
	const struct subscriber_query *q;
	long rows;
};

/* One sheet: the header row (frozen, printed on every page), the rows, a filter over
 * them; A4 landscape, one page wide. */
static int xlsx_fill(struct xlsx_book *b, void *ctx, struct kyso_err *err)
{
	struct xlsx_query *xq = ctx;
	struct xlsx_out o = { .b = b };
	int rc;

	if (!(o.ws = book_sheet(b, "Danh sách thuê bao")))
		return 0;
	for (lxw_col_t c = 0; c < NCOLUMNS; c++) {
		book_column(b, o.ws, c, c, column_width[c]);
		book_text(b, o.ws, 0, c, column_header[c], b->f.header);
	}
	book_page_setup(b, o.ws, 0, 0);
	worksheet_freeze_panes(o.ws, 1, 0);
	if (b->failed)
		return 0;
	if ((rc = subscriber_list(xq->db, xq->q, xlsx_on_row, &o, err)))
		return rc;
	/* The filter covers the rows written, so it is set once their number is known. */
	book_check(b, worksheet_autofilter(o.ws, 0, 0, (lxw_row_t)o.rows, NCOLUMNS - 1));
	xq->rows = o.rows;
	return 0;
}

static int export_xlsx(struct kyso_db *db, const struct subscriber_query *q, struct outfile *o,
		       long *rows, struct kyso_err *err)
{
	struct xlsx_query xq = { db, q, 0 };
	int rc = book_write_file(o, xlsx_fill, &xq, NULL, NULL, err);

	if (rc == 0)
		*rows = xq.rows;
	return rc;
}

/* Public ------------------------------------------------------------------------------ */

int roster_export(struct kyso_db *db, const struct subscriber_query *q,
		  enum roster_format format, const char *path, int flags, long *rows,
		  struct kyso_err *err)
{
	struct outfile o;
	int rc;

	*rows = 0;
	if ((rc = outfile_open(&o, db, path, flags, err)))
		return rc;
	if (format == ROSTER_XLSX)
		rc = export_xlsx(db, q, &o, rows, err);
	else
		rc = export_csv(db, q, &o, rows, err);
	if (rc) {
		*rows = 0;
		return outfile_discard(&o, rc);
	}
	if ((rc = outfile_commit(&o, err)))
		*rows = 0;
	return rc;
}
