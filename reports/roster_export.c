/*
 * roster_export.c - the roster as a file: CSV for other programs, XLSX laid out to print
 * on A4.  Rows are the ones subscriber_list gives for the caller's query, in its order.
 *
 * The file is written beside the target under a temporary name and renamed over it only
 * when complete: a full disk or a crash never leaves half a roster under the real name.
 * The roster holds citizen IDs, so the file keeps mkstemp's owner-only mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "kyso/i18n.h"
#include "kyso/check.h"
#include "kyso/outfile.h"
#include "kyso/roster_export.h"

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

static int export_csv(struct kyso_db *db, const struct subscriber_query *q, const char *path,
		      long *rows, struct kyso_err *err)
{
	struct csv_out out = {0};
	char *tmp;
	int fd, rc;

	rc = outfile_create(path, &tmp, &fd, err);
	if (rc != 0)
		return rc;
	out.f = fdopen(fd, "w");
	if (!out.f) {
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), path, strerror(errno));
		close(fd);
		return outfile_discard(tmp, rc);
	}
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
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write (%s)"), path,
			       strerror(out.write_errno));
	if (rc != 0)
		return outfile_discard(tmp, rc);
	rc = outfile_commit(tmp, path, err);
	if (rc == 0)
		*rows = out.rows;
	return rc;
}

/* XLSX -------------------------------------------------------------------------------- */

struct xlsx_out {
	lxw_worksheet *ws;
	lxw_format *header, *text, *number, *date, *plain;
	long rows;
	lxw_error failed;  /* LXW_NO_ERROR, or the first libxlsxwriter error */
};

/* Every format starts Times New Roman 12 (Vietnamese administrative documents). */
static lxw_format *new_format(lxw_workbook *wb, int has_border)
{
	lxw_format *f = workbook_add_format(wb);

	if (!f)
		return NULL;
	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, 12);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (has_border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

static int xlsx_make_formats(lxw_workbook *wb, struct xlsx_out *o)
{
	o->header = new_format(wb, 1);
	o->text = new_format(wb, 1);
	o->number = new_format(wb, 1);
	o->date = new_format(wb, 1);
	o->plain = new_format(wb, 0);
	if (!o->header || !o->text || !o->number || !o->date || !o->plain)
		return -1;
	format_set_bold(o->header);
	format_set_text_wrap(o->header);
	format_set_align(o->header, LXW_ALIGN_CENTER);
	format_set_bg_color(o->header, 0xD9D9D9);
	format_set_num_format(o->date, "dd/mm/yyyy");
	format_set_align(o->date, LXW_ALIGN_CENTER);
	return 0;
}

/* A date stored as YYYY-MM-DD, or 0 when s is not one. */
static int parse_date(const char *s, lxw_datetime *dt)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0' || n != 10 ||
	    y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	*dt = (lxw_datetime){.year = y, .month = m, .day = d};
	return 1;
}

static lxw_error xlsx_put_cell(struct xlsx_out *o, lxw_row_t row, lxw_col_t col,
			       const char *text)
{
	lxw_datetime dt;

	if (!text)
		return worksheet_write_blank(o->ws, row, col, o->text);
	if (col == COL_DEPARTED_ON && parse_date(text, &dt))
		return worksheet_write_datetime(o->ws, row, col, &dt, o->date);
	return worksheet_write_string(o->ws, row, col, text, o->text);
}

static int xlsx_on_row(const struct subscriber_row *r, void *ctx)
{
	struct xlsx_out *o = ctx;
	lxw_row_t row = (lxw_row_t)(o->rows + 1);
	const char *text[NCOLUMNS];
	lxw_error e = LXW_NO_ERROR;

	row_texts(r, text);
	for (lxw_col_t c = 0; c < NCOLUMNS && e == LXW_NO_ERROR; c++) {
		if (c == COL_NO)
			e = worksheet_write_number(o->ws, row, c, (double)row, o->number);
		else if (c == COL_ID)
			e = worksheet_write_number(o->ws, row, c, (double)r->id, o->number);
		else
			e = xlsx_put_cell(o, row, c, text[c]);
	}
	if (e != LXW_NO_ERROR) {
		o->failed = e;
		return 1;
	}
	o->rows++;
	return 0;
}

/* Page and sheet set-up that does not depend on the rows: A4 landscape, one page wide,
 * the header row frozen on screen and repeated on every printed page. */
static lxw_error xlsx_set_up(struct xlsx_out *o)
{
	lxw_error e = LXW_NO_ERROR;

	for (lxw_col_t c = 0; c < NCOLUMNS && e == LXW_NO_ERROR; c++)
		e = worksheet_set_column(o->ws, c, c, column_width[c], o->plain);
	for (lxw_col_t c = 0; c < NCOLUMNS && e == LXW_NO_ERROR; c++)
		e = worksheet_write_string(o->ws, 0, c, column_header[c], o->header);
	if (e == LXW_NO_ERROR)
		e = worksheet_repeat_rows(o->ws, 0, 0);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_footer(o->ws, "&C&\"Times New Roman,Regular\"&12Trang &P/&N");
	worksheet_freeze_panes(o->ws, 1, 0);
	worksheet_set_paper(o->ws, 9);
	worksheet_set_landscape(o->ws);
	worksheet_fit_to_pages(o->ws, 1, 0);
	return e;
}

/* Writes the workbook to tmp.  Returns LXW_NO_ERROR, or the first error; the workbook is
 * closed (and freed) in every case. */
static lxw_error xlsx_write(struct kyso_db *db, const struct subscriber_query *q,
			    const char *tmp, char *tmpdir, long *rows, struct kyso_err *err,
			    int *list_rc)
{
	lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
	lxw_workbook *wb = workbook_new_opt(tmp, &options);
	struct xlsx_out o = {0};
	lxw_error e, closed;

	*list_rc = 0;
	if (!wb)
		return LXW_ERROR_CREATING_XLSX_FILE;
	o.ws = workbook_add_worksheet(wb, "Danh sách thuê bao");
	if (!o.ws || xlsx_make_formats(wb, &o) != 0) {
		workbook_close(wb);
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	e = xlsx_set_up(&o);
	if (e == LXW_NO_ERROR) {
		*list_rc = subscriber_list(db, q, xlsx_on_row, &o, err);
		e = o.failed;
	}
	/* The filter covers the rows written, so it is set once their number is known. */
	if (e == LXW_NO_ERROR && *list_rc == 0)
		e = worksheet_autofilter(o.ws, 0, 0, (lxw_row_t)o.rows, NCOLUMNS - 1);
	closed = workbook_close(wb);
	*rows = o.rows;
	return e != LXW_NO_ERROR ? e : closed;
}

static int export_xlsx(struct kyso_db *db, const struct subscriber_query *q, const char *path,
		       long *rows, struct kyso_err *err)
{
	char *tmp, *dir_copy, *tmpdir;
	long written = 0;
	int fd, list_rc, rc;
	lxw_error e;

	rc = outfile_create(path, &tmp, &fd, err);
	if (rc != 0)
		return rc;
	close(fd);
	dir_copy = strdup(path);
	if (!dir_copy)
		return outfile_discard(tmp, kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory")));
	tmpdir = dirname(dir_copy);
	e = xlsx_write(db, q, tmp, tmpdir, &written, err, &list_rc);
	free(dir_copy);
	if (list_rc != 0)
		return outfile_discard(tmp, list_rc);
	if (e != LXW_NO_ERROR) {
		rc = kyso_fail(err, KYSO_EIO, _("%s: cannot write the XLSX file (%s)"), path,
			       lxw_strerror(e));
		return outfile_discard(tmp, rc);
	}
	rc = outfile_commit(tmp, path, err);
	if (rc == 0)
		*rows = written;
	return rc;
}

/* Public ------------------------------------------------------------------------------ */

int roster_export(struct kyso_db *db, const struct subscriber_query *q,
		  enum roster_format format, const char *path, long *rows,
		  struct kyso_err *err)
{
	*rows = 0;
	if (format == ROSTER_XLSX)
		return export_xlsx(db, q, path, rows, err);
	return export_csv(db, q, path, rows, err);
}
