/*
 * xlsx_report.c - the report to the department as a workbook (issue 5): the summary
 * sheet laid out as a Vietnamese administrative report (DOMAIN.md §6: the parent body
 * and the agency in upper case over the national motto, the place and date, the title
 * and period, the numbers by unit and by kind with totals that are Excel formulas, the
 * signature block), then the detail sheets (xlsx_report_detail.c).  Its wording is
 * Vietnamese whatever the interface language: it goes to the department.
 *
 * libxlsxwriter in constant-memory mode: each sheet is written row by row, in order, and
 * nothing grows with the number of rows.  The file is written under a temporary name
 * beside the target and put in place only when complete (outfile.h: never over a file
 * without the caller's word, never over a sent report's or numbered minutes').  Given the same record and
 * history, the file comes out the same byte for byte (its creation time is the record's),
 * so that a report written again can be compared with the one sent by its SHA-256.
 * Never includes curses.h; never prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kyso/check.h"
#include "kyso/hash.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/text.h"
#include "kyso/xlsx_report.h"
#include "doc_words.h"
#include "xlsx_book.h"

/* --- the summary sheet -------------------------------------------------------------------- */

/* Columns: STT, the unit (or kind), then the numbers in report.h's order. */
#define COL_NO 0
#define COL_NAME 1
#define COL_FIRST_NUMBER 2
#define NCOLS (COL_FIRST_NUMBER + REPORT_NUMBERS)
#define COL_LAST (NCOLS - 1)
/* The title block's halves: the agency on the left, the motto on the right. */
#define LEFT_LAST 6
#define RIGHT_FIRST 11

/* The numbers' headers (the department reads these). */
static const char *const number_header[REPORT_NUMBERS] = {
	[RN_SUBSCRIBERS_ACTIVE] = "Thuê bao đang hoạt động",
	[RN_TOKENS_IN_USE] = "Token đang sử dụng",
	[RN_CERTS_VALID] = "Chứng thư số còn hiệu lực",
	[RN_CERTS_EXPIRING] = "Chứng thư số sắp hết hạn (trong kỳ sau)",
	[RN_CERTS_EXPIRED] = "Chứng thư số đã hết hạn",
	[RN_CERTS_REVOKED] = "Chứng thư số đã thu hồi",
	[RN_ISSUED] = "Cấp mới chứng thư số",
	[RN_RENEWED] = "Gia hạn chứng thư số",
	[RN_CHANGED] = "Thay đổi thông tin chứng thư số",
	[RN_REVOKED] = "Thu hồi chứng thư số",
	[RN_RECOVERED] = "Khôi phục token",
	[RN_LOST] = "Token bị mất",
	[RN_HANDED_OVER] = "Bàn giao token",
	[RN_HANDED_BACK] = "Nộp lại token",
	[RN_PIN_CHANGES_DONE] = "Đã đổi",
	[RN_PIN_DUE] = "Đến hạn đổi",
	[RN_PIN_OVERDUE] = "Quá hạn đổi",
};

/* The groups over the numbers' headers. */
static const struct {
	enum report_number first, last;
	const char *title;
} number_groups[] = {
	{ RN_SUBSCRIBERS_ACTIVE, RN_CERTS_REVOKED, "Tại thời điểm cuối kỳ" },
	{ RN_ISSUED, RN_HANDED_BACK, "Phát sinh trong kỳ" },
	{ RN_PIN_CHANGES_DONE, RN_PIN_OVERDUE, "Mật khẩu token (PIN)" },
};

/* The rows of the summary sheet, written in order. */
struct summary_out {
	struct xlsx_book *b;
	lxw_worksheet *ws;
	lxw_row_t row;
	const struct report_summary *s;
};

static void merged(struct summary_out *o, lxw_col_t first, lxw_col_t last, const char *text,
		   lxw_format *f)
{
	book_merge(o->b, o->ws, o->row, first, last, text ? text : "", f);
}

/* Whole-width line. */
static void line(struct summary_out *o, const char *text, lxw_format *f)
{
	merged(o, 0, COL_LAST, text, f);
	o->row++;
}

/* "Vĩnh Long, ngày 05 tháng 02 năm 2026". */
static void place_date(const char *place, const char *iso, char *out, size_t outsz)
{
	char words[40];

	snprintf(out, outsz, "%s%s%s", place ? place : "", place && *place ? ", " : "",
		 doc_date_words(iso, words));
}

/* The period in words: "6 tháng đầu năm 2026 (từ ngày 01/01/2026 đến ngày 30/06/2026)". */
static void period_text(const struct report_period *p, char *out, size_t outsz)
{
	char a[11], b[11], name[64] = "";

	switch (p->kind) {
	case REPORT_H1:
		snprintf(name, sizeof(name), "6 tháng đầu năm %d ", p->year);
		break;
	case REPORT_H2:
		snprintf(name, sizeof(name), "6 tháng cuối năm %d ", p->year);
		break;
	case REPORT_YEAR:
		snprintf(name, sizeof(name), "Năm %d ", p->year);
		break;
	case REPORT_RANGE:
		break;
	}
	snprintf(out, outsz, "%s%sừ ngày %s đến ngày %s%s", name, *name ? "(số liệu t" : "T",
		 date_display(p->from, a), date_display(p->end, b), *name ? ")" : "");
}

static void title_block(struct summary_out *o)
{
	const struct agency *a = &o->s->agency;
	char *parent = text_upper(a->parent_body), *agency = text_upper(a->name), text[256];

	merged(o, 0, LEFT_LAST, parent, o->b->f.parent);
	merged(o, RIGHT_FIRST, COL_LAST, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", o->b->f.motto);
	o->row++;
	merged(o, 0, LEFT_LAST, agency, o->b->f.agency);
	merged(o, RIGHT_FIRST, COL_LAST, "Độc lập - Tự do - Hạnh phúc", o->b->f.motto_line);
	o->row++;
	snprintf(text, sizeof(text), "Số:        /BC-%s", a->code ? a->code : "");
	merged(o, 0, LEFT_LAST, text, o->b->f.centre);
	place_date(a->place, o->s->generated_on, text, sizeof(text));
	merged(o, RIGHT_FIRST, COL_LAST, text, o->b->f.place_date);
	o->row += 2;
	line(o, "BÁO CÁO", o->b->f.title);
	line(o, "Tình hình sử dụng, cấp mới và thu hồi chứng thư số, thiết bị lưu khóa bí mật "
		"(token)", o->b->f.subtitle);
	period_text(&o->s->period, text, sizeof(text));
	line(o, text, o->b->f.period);
	if (a->recipient && *a->recipient) {
		snprintf(text, sizeof(text), "Kính gửi: %s", a->recipient);
		line(o, text, o->b->f.centre);
	}
	o->row++;
	free(parent);
	free(agency);
}

/* The two header rows over a table of numbers; name_header heads the second column. */
static void table_header(struct summary_out *o, const char *name_header)
{
	size_t g;
	int i;

	merged(o, COL_NO, COL_NAME, "", o->b->f.header);
	for (g = 0; g < sizeof(number_groups) / sizeof(number_groups[0]); g++)
		merged(o, COL_FIRST_NUMBER + number_groups[g].first,
		       COL_FIRST_NUMBER + number_groups[g].last, number_groups[g].title,
		       o->b->f.header);
	o->row++;
	book_row_height(o->b, o->ws, o->row, 78);
	book_text(o->b, o->ws, o->row, COL_NO, "STT", o->b->f.header);
	book_text(o->b, o->ws, o->row, COL_NAME, name_header, o->b->f.header);
	for (i = 0; i < REPORT_NUMBERS; i++)
		book_text(o->b, o->ws, o->row, COL_FIRST_NUMBER + i, number_header[i], o->b->f.header);
	o->row++;
}

static void numbers_row(struct summary_out *o, long no, const char *name,
			const struct report_numbers *n)
{
	int i;

	book_number(o->b, o->ws, o->row, COL_NO, (double)no, o->b->f.centre_cell);
	book_text(o->b, o->ws, o->row, COL_NAME, name, o->b->f.text);
	for (i = 0; i < REPORT_NUMBERS; i++)
		book_number(o->b, o->ws, o->row, COL_FIRST_NUMBER + i, (double)n->n[i], o->b->f.number);
	o->row++;
}

/* "Tổng cộng": a SUM over the rows first..last of each column, whose cached value is
 * kyso's own total. */
static void total_row(struct summary_out *o, lxw_row_t first, lxw_row_t last,
		      const struct report_numbers *total)
{
	char range[32], formula[48];
	int i;

	merged(o, COL_NO, COL_NAME, "Tổng cộng", o->b->f.total_label);
	for (i = 0; i < REPORT_NUMBERS; i++) {
		lxw_rowcol_to_range(range, first, COL_FIRST_NUMBER + i, last, COL_FIRST_NUMBER + i);
		snprintf(formula, sizeof(formula), "=SUM(%s)", range);
		book_formula(o->b, o->ws, o->row, COL_FIRST_NUMBER + i, formula,
			     (double)total->n[i], o->b->f.total_number);
	}
	o->row++;
}

static void unit_table(struct summary_out *o, lxw_row_t *header_row)
{
	lxw_row_t first;
	size_t i;

	book_text(o->b, o->ws, o->row++, 0, "I. SỐ LIỆU THEO ĐƠN VỊ", o->b->f.section);
	*header_row = o->row + 1;
	table_header(o, "Đơn vị");
	first = o->row;
	for (i = 0; i < o->s->nunits; i++) {
		const struct report_unit *u = &o->s->units[i];

		numbers_row(o, (long)i + 1, u->name ? u->name : "(Chưa xếp vào đơn vị nào)", &u->num);
	}
	/* The filter leaves the total row out.  Constant-memory mode takes it only while its
	 * last row is the one being written. */
	book_check(o->b, worksheet_autofilter(o->ws, *header_row, 0, o->row - 1, COL_LAST));
	total_row(o, first, o->row - 1, &o->s->total);
	o->row++;
}

static void kind_table(struct summary_out *o)
{
	lxw_row_t first;
	int k;

	book_text(o->b, o->ws, o->row++, 0, "II. SỐ LIỆU THEO LOẠI THUÊ BAO", o->b->f.section);
	table_header(o, "Loại thuê bao");
	first = o->row;
	for (k = 0; k < REPORT_KINDS; k++)
		numbers_row(o, k + 1, doc_kind_words(k), &o->s->by_kind[k]);
	total_row(o, first, o->row - 1, &o->s->total);
	o->row++;
}

/* "ngày 01/12/2026" or "từ ngày 01/12/2026 đến ngày 05/12/2026". */
static void days_words(const char *from, const char *to, char *out, size_t outsz)
{
	char a[11], b[11];

	if (!strcmp(from, to))
		snprintf(out, outsz, "ngày %s", date_display(from, a));
	else
		snprintf(out, outsz, "từ ngày %s đến ngày %s", date_display(from, a),
			 date_display(to, b));
}

/* What the numbers had to assume (issue 11.6): rows with no date of their own are
 * counted from the day they were recorded, after this period. */
static void assumed_notes(struct summary_out *o)
{
	const struct report_assumed *a = &o->s->assumed;
	char text[512], days[96];

	if (a->subscribers > 0) {
		days_words(a->subscribers_from, a->subscribers_to, days, sizeof(days));
		snprintf(text, sizeof(text), "- %ld thuê bao chưa có ngày bắt đầu sử dụng (ngày cấp "
			 "chứng thư chữ ký số lần đầu) được tính từ ngày nhập vào kyso (%s), sau kỳ "
			 "báo cáo, nên không được tính trong kỳ này.", a->subscribers, days);
		line(o, text, o->b->f.note);
	}
	if (a->tokens > 0) {
		days_words(a->tokens_from, a->tokens_to, days, sizeof(days));
		snprintf(text, sizeof(text), "- %ld thiết bị lưu khóa bí mật (token) chưa có ngày "
			 "nhận được tính từ ngày nhập vào kyso (%s), sau kỳ báo cáo, nên không được "
			 "tính trong kỳ này.", a->tokens, days);
		line(o, text, o->b->f.note);
	}
}

/* What the numbers mean, in a few lines under the tables. */
static void notes(struct summary_out *o)
{
	const struct report_summary *s = o->s;
	char text[512], a[11], b[11];

	book_text(o->b, o->ws, o->row++, 0, "Ghi chú:", o->b->f.note_title);
	snprintf(text, sizeof(text), "- Số liệu tại thời điểm cuối kỳ tính đến hết ngày %s; số "
		 "phát sinh trong kỳ tính từ ngày %s; số liệu của mỗi thuê bao tính cho đơn vị "
		 "của thuê bao tại thời điểm cuối kỳ.", date_display(s->period.end, a),
		 date_display(s->period.from, b));
	line(o, text, o->b->f.note);
	snprintf(text, sizeof(text), "- Chứng thư số sắp hết hạn: còn hiệu lực tại thời điểm "
		 "cuối kỳ và hết hạn đến ngày %s.", date_display(s->expiring_until, a));
	line(o, text, o->b->f.note);
	snprintf(text, sizeof(text), "- Mật khẩu token được đổi ít nhất %d tháng một lần "
		 "(Điều 13.3); đến hạn đổi: đến hạn trong %d ngày sau thời điểm cuối kỳ; quá "
		 "hạn: đã quá hạn tại thời điểm cuối kỳ.", s->pin_interval_months, s->pin_warn_days);
	line(o, text, o->b->f.note);
	assumed_notes(o);
	o->row++;
}

/* The preparer (the focal-point officer) on the left, the head of agency on the right,
 * room to sign between their titles and names; the recipients under the preparer. */
static void signature_block(struct summary_out *o)
{
	const struct agency *a = &o->s->agency;
	char *head = text_upper(a->head_position && *a->head_position ? a->head_position
								   : "Thủ trưởng cơ quan");

	merged(o, 0, LEFT_LAST, "NGƯỜI LẬP BIỂU", o->b->f.sign_title);
	merged(o, RIGHT_FIRST, COL_LAST, head, o->b->f.sign_title);
	o->row++;
	merged(o, 0, LEFT_LAST, "(Ký, ghi rõ họ tên)", o->b->f.sign_note);
	merged(o, RIGHT_FIRST, COL_LAST, "(Ký tên, đóng dấu)", o->b->f.sign_note);
	o->row += 5;
	merged(o, 0, LEFT_LAST, a->focal_name, o->b->f.sign_name);
	merged(o, RIGHT_FIRST, COL_LAST, a->head_name, o->b->f.sign_name);
	o->row += 2;
	book_text(o->b, o->ws, o->row++, 0, "Nơi nhận:", o->b->f.recipients_title);
	book_text(o->b, o->ws, o->row++, 0, "- Như trên;", o->b->f.recipients);
	book_text(o->b, o->ws, o->row++, 0, "- Lưu: VT.", o->b->f.recipients);
	free(head);
}

static void summary_columns(struct summary_out *o)
{
	int i;

	book_column(o->b, o->ws, COL_NO, COL_NO, 5);
	book_column(o->b, o->ws, COL_NAME, COL_NAME, 32);
	for (i = 0; i < REPORT_NUMBERS; i++)
		book_column(o->b, o->ws, COL_FIRST_NUMBER + i, COL_FIRST_NUMBER + i, 10.5);
}

static void summary_sheet(struct xlsx_book *b, const struct report_summary *s)
{
	struct summary_out o = { b, book_sheet(b, "Tổng hợp"), 0, s };
	lxw_row_t header_row = 0;

	if (!o.ws)
		return;
	summary_columns(&o);
	title_block(&o);
	unit_table(&o, &header_row);
	kind_table(&o);
	notes(&o);
	signature_block(&o);
	/* The unit table's headers stay on screen and on every printed page. */
	book_page_setup(b, o.ws, header_row - 1, header_row);
	worksheet_freeze_panes(o.ws, header_row + 1, COL_FIRST_NUMBER);
}

/* --- the workbook --------------------------------------------------------------------------- */

/* The record's time as the workbook's creation time, so that the same report written
 * again is the same file. */
static time_t generated_time(const char *at)
{
	struct tm tm = { 0 };

	if (!strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 1;
	return timegm(&tm);
}

static lxw_error set_properties(lxw_workbook *wb, const struct report_summary *s)
{
	char title[128];
	lxw_doc_properties props = { 0 };

	snprintf(title, sizeof(title), "Báo cáo chứng thư số và token %s", s->period.label);
	props.title = title;
	props.author = s->agency.name;
	props.company = s->agency.parent_body;
	props.created = generated_time(s->generated_at);
	return workbook_set_properties(wb, &props);
}

struct book_parts {
	struct report_reader *r;
	const struct report_summary *s;
};

/* The summary sheet, then the detail sheets. */
static int fill_book(struct xlsx_book *b, void *ctx, struct kyso_err *err)
{
	const struct book_parts *parts = ctx;

	book_check(b, set_properties(b->wb, parts->s));
	summary_sheet(b, parts->s);
	return b->failed ? 0 : detail_sheets(b, parts->r, parts->s, err);
}

static int write_book(struct report_reader *r, const struct report_summary *s,
		      struct outfile *o, xlsx_report_progress progress, void *ctx,
		      struct kyso_err *err)
{
	struct book_parts parts = { r, s };

	return book_write_file(o, fill_book, &parts, progress, ctx, err);
}

void xlsx_report_file_stem(const struct report_period *p, char *out, size_t outsz)
{
	char label[sizeof p->label], *dots;

	snprintf(label, sizeof label, "%s", p->label);
	if ((dots = strstr(label, ".."))) {
		*dots = '_';
		memmove(dots + 1, dots + 2, strlen(dots + 2) + 1);
	}
	snprintf(out, outsz, "bao-cao-%s", label);
}

int xlsx_report_generate(struct kyso_db *db, const struct report_period *p, const char *path,
			 int flags, xlsx_report_progress progress, void *ctx,
			 struct report_summary *out, struct kyso_err *err)
{
	struct report_reader *r;
	struct outfile o;
	char sha[65], *file = NULL;
	int rc;

	report_summary_init(out);
	if ((rc = outfile_open(&o, db, path, flags, err)))
		return rc;
	if ((rc = report_reader_open(db, p, &r, err)))
		return outfile_discard(&o, rc);
	if (!(rc = report_reader_summary(r, out, err)))
		rc = write_book(r, out, &o, progress, ctx, err);
	report_reader_close(r);
	if (!rc)
		rc = sha256_file(o.tmp, sha, err);
	if (!rc && !(file = strdup(outfile_recorded_name(&o))))
		rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (rc) {
		free(file);
		return outfile_discard(&o, rc);
	}
	if ((rc = outfile_commit(&o, err))) {
		free(file);
		return rc;
	}
	/* A report file always has its record: one that cannot be recorded goes again. */
	if ((rc = report_record(db, out, file, sha, err)) && strcmp(file, "-"))
		unlink(file);
	if (!rc && !(out->sha256 = strdup(sha)))
		rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (!rc)
		out->file_name = file;
	else
		free(file);
	return rc;
}

int xlsx_report_again(struct kyso_db *db, long long id, const char *path, int flags,
		      xlsx_report_progress progress, void *ctx, int *identical,
		      struct kyso_err *err)
{
	struct report_summary s;
	struct report_reader *r;
	struct outfile o;
	char sha[65];
	int rc;

	if (identical)
		*identical = 0;
	if ((rc = report_load(db, id, &s, err)))
		return rc;
	if ((rc = outfile_open(&o, db, path, flags, err))) {
		report_summary_free(&s);
		return rc;
	}
	if (!(rc = report_reader_open(db, &s.period, &r, err))) {
		rc = write_book(r, &s, &o, progress, ctx, err);
		report_reader_close(r);
	}
	if (!rc)
		rc = sha256_file(o.tmp, sha, err);
	rc = rc ? outfile_discard(&o, rc) : outfile_commit(&o, err);
	if (!rc && identical)
		*identical = s.sha256 && !strcmp(sha, s.sha256);
	report_summary_free(&s);
	return rc;
}
