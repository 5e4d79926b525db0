/*
 * xlsx_report_detail.c - the report's detail sheets (issue 5): the roster at the end of
 * the period, the events of the period, the handovers (Art. 14.4) and the lost tokens
 * (Art. 13.5), each a table with a title row and a header row that stay on screen and
 * print on every page, under a filter.  A thread reads the rows from the history
 * (report_read.c) and words them while this one writes those already read to
 * libxlsxwriter's constant-memory sheets (row_pipe.h: a few batches between the two, so
 * the two cores of an officer's machine share the work and memory stays bounded); a
 * table longer than a sheet holds goes on in "NAME (2)".  Wording is Vietnamese.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pthread.h>

#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/token.h"
#include "row_pipe.h"
#include "doc_words.h"
#include "xlsx_book.h"

/* --- a table over one or more sheets ------------------------------------------------------- */

struct table_def {
	const char *sheet;
	int ncols;
	const char *const *headers;
	const double *widths;
	unsigned dates;		/* the date columns: bit n for column n */
};

struct table {
	struct xlsx_book *b;
	const struct table_def *def;
	const char *title;
	lxw_worksheet *ws;
	int part;
	lxw_row_t row;	/* the next row */
	long no;	/* STT of the last row */
};

#define TITLE_ROW 0
#define HEADER_ROW 1

/* Closes the sheet: its filter covers the rows written. */
static void table_close(struct table *t)
{
	if (!t->ws || t->b->failed)
		return;
	book_check(t->b, worksheet_autofilter(t->ws, HEADER_ROW, 0,
					      t->row > HEADER_ROW + 1 ? t->row - 1 : HEADER_ROW,
					      (lxw_col_t)(t->def->ncols - 1)));
	t->ws = NULL;
}

static void table_open(struct table *t)
{
	char name[64];
	int c;

	t->part++;
	if (t->part == 1)
		snprintf(name, sizeof(name), "%s", t->def->sheet);
	else
		snprintf(name, sizeof(name), "%s (%d)", t->def->sheet, t->part);
	if (!(t->ws = book_sheet(t->b, name)))
		return;
	for (c = 0; c < t->def->ncols; c++)
		book_column(t->b, t->ws, (lxw_col_t)c, (lxw_col_t)c, t->def->widths[c]);
	book_row_height(t->b, t->ws, TITLE_ROW, 24);
	book_merge(t->b, t->ws, TITLE_ROW, 0, (lxw_col_t)(t->def->ncols - 1), t->title,
		   t->b->f.sheet_title);
	book_row_height(t->b, t->ws, HEADER_ROW, 32);
	for (c = 0; c < t->def->ncols; c++)
		book_text(t->b, t->ws, HEADER_ROW, (lxw_col_t)c, t->def->headers[c], t->b->f.header);
	book_page_setup(t->b, t->ws, TITLE_ROW, HEADER_ROW);
	worksheet_freeze_panes(t->ws, HEADER_ROW + 1, 0);
	t->row = HEADER_ROW + 1;
}

/* The row the next record goes to, its STT written; a full sheet goes on in the next. */
static lxw_row_t table_next(struct table *t)
{
	if (t->row == LXW_ROW_MAX) {
		table_close(t);
		table_open(t);
	}
	t->no++;
	book_number(t->b, t->ws, t->row, 0, (double)t->no, t->b->f.centre_cell);
	book_progress(t->b, 1);
	return t->row++;
}

#define NCOLS(a) ((int)(sizeof(a) / sizeof(a[0])))

/* Writes a record's texts from column 1 on, after its STT. */
static void table_put(struct table *t, const char *const *texts, int n)
{
	lxw_row_t row = table_next(t);
	int c;

	for (c = 0; c < n && c + 1 < t->def->ncols; c++) {
		if (t->def->dates & (1u << (c + 1)))
			book_date(t->b, t->ws, row, (lxw_col_t)(c + 1), texts[c],
				  texts[c] ? t->b->f.date : t->b->f.text);
		else
			book_text(t->b, t->ws, row, (lxw_col_t)(c + 1), texts[c], t->b->f.text);
	}
}

#define COLUMN(n) (1u << (n))

/* --- words ---------------------------------------------------------------------------------- */


/* Values the history holds as codes, in the department's words. */
static const struct {
	const char *code, *words;
} value_words[] = {
	{ "person", "cá nhân" }, { "org", "tổ chức" }, { "device", "thiết bị, dịch vụ, phần mềm" },
	{ "left", "nghỉ việc" }, { "transferred", "chuyển công tác" }, { "retired", "nghỉ hưu" },
	{ TOKEN_IN_USE, "đang sử dụng" }, { TOKEN_LOCKED, "bị khóa" }, { TOKEN_LOST, "bị mất" },
	{ TOKEN_FOUND, "đã tìm thấy" }, { TOKEN_DAMAGED, "bị hỏng" },
	{ TOKEN_RETURNED, "đã nộp lại" }, { "usb", "USB token" }, { "sim", "SIM PKI" },
	{ "remote", "ký số tập trung" }, { "new", "cấp mới" }, { "renew", "gia hạn" },
	{ "change", "thay đổi thông tin" }, { "expired", "hết hạn" }, { "revoked", "bị thu hồi" },
	{ "departure", "nghỉ việc, chuyển công tác" }, { "damaged", "bị hỏng" },
};

static const char *words_of(const char *code)
{
	size_t i;

	for (i = 0; code && i < sizeof(value_words) / sizeof(value_words[0]); i++)
		if (!strcmp(code, value_words[i].code))
			return value_words[i].words;
	return code;
}

static const struct {
	const char *kind, *words;
} event_words[] = {
	{ EVENT_SUBSCRIBER_ADDED, "Thêm thuê bao" },
	{ EVENT_SUBSCRIBER_IMPORTED, "Thêm thuê bao (nhập từ tệp)" },
	{ EVENT_SUBSCRIBER_EDITED, "Sửa thông tin thuê bao" },
	{ EVENT_SUBSCRIBER_UPDATED_BY_IMPORT, "Cập nhật thông tin (nhập từ tệp)" },
	{ EVENT_SUBSCRIBER_DEPARTED, "Thuê bao nghỉ việc, chuyển công tác" },
	{ "token." TOKEN_ACT_RECEIVE, "Nhận token" },
	{ "token." TOKEN_ACT_ASSIGN, "Giao token cho người quản lý" },
	{ "token." TOKEN_ACT_HANDOVER, "Bàn giao token" },
	{ "token." TOKEN_ACT_LEND, "Cho mượn token (có văn bản cho phép)" },
	{ "token." TOKEN_ACT_LOAN_END, "Nhận lại token cho mượn" },
	{ "token." TOKEN_ACT_LOCK, "Token bị khóa" },
	{ "token." TOKEN_ACT_RECOVER, "Khôi phục (mở khóa) token" },
	{ "token." TOKEN_ACT_LOSE, "Token bị mất" },
	{ "token." TOKEN_ACT_FIND, "Tìm thấy token" },
	{ "token." TOKEN_ACT_REUSE, "Sử dụng lại token" },
	{ "token." TOKEN_ACT_DAMAGE, "Token bị hỏng" },
	{ "token." TOKEN_ACT_RETURN, "Nộp lại token" },
	{ "token." TOKEN_ACT_PIN, "Đổi mật khẩu (PIN) token" },
	{ "token." TOKEN_ACT_REVOCATION_ASKED, "Đề nghị thu hồi chứng thư số" },
	{ EVENT_CERT_ISSUED, "Cấp mới chứng thư số" },
	{ EVENT_CERT_RENEWED, "Gia hạn chứng thư số" },
	{ EVENT_CERT_CHANGED, "Thay đổi thông tin chứng thư số" },
	{ EVENT_CERT_REVOKED, "Thu hồi chứng thư số" },
};

static const char *event_label(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(event_words) / sizeof(event_words[0]); i++)
		if (!strcmp(kind, event_words[i].kind))
			return event_words[i].words;
	return kind;
}

/* The fields an event's detail names, in the department's words; a key not here is
 * left out of the sheet (ids, the date and serials the other columns show, states the
 * event's name says). */
static const struct {
	const char *key, *words;
} field_words[] = {
	/* a subscriber's fields (subscriber.c), changed as [old, new] */
	{ "name", "Họ và tên" }, { "kind", "Loại" }, { "unit", "Đơn vị" },
	{ "position", "Chức vụ" }, { "id_number", "Số CCCD" }, { "id_issued_on", "Ngày cấp" },
	{ "id_issued_by", "Nơi cấp" }, { "birth_date", "Ngày sinh" }, { "email", "Email" },
	{ "phone", "Điện thoại" }, { "address", "Địa chỉ" }, { "tax_code", "Mã số thuế" },
	{ "budget_code", "Mã quan hệ ngân sách" }, { "identifier", "Định danh" },
	{ "purpose", "Mục đích" }, { "owner", "Cơ quan quản lý" }, { "note", "Ghi chú" },
	{ "reason", "Lý do" }, { "import", "Lô nhập" }, { "row", "Dòng" },
	/* a token's step (token_step_json) */
	{ "model", "Thiết bị" }, { "keeper", "Người quản lý" }, { "party", "Người nhận" },
	{ "party_position", "Chức vụ người nhận" }, { "ref", "Văn bản" },
	{ "authorised_by", "Người chỉ định, cho phép" }, { "until", "Đến ngày" },
	{ "place", "Nơi xảy ra" }, { "circumstances", "Hoàn cảnh" },
	{ "discovered", "Cách phát hiện" }, { "password_handed", "Bàn giao mật khẩu" },
	{ "pin_changed_on", "Đổi mật khẩu gần nhất" },
	/* a certificate (cert.c) */
	{ "not_before", "Hiệu lực từ" }, { "not_after", "Hiệu lực đến" },
	{ "revoked_on", "Ngày thu hồi" }, { "notice_on", "Ngày thông báo" },
};

static const char *field_label(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(field_words) / sizeof(field_words[0]); i++)
		if (!strcmp(key, field_words[i].key))
			return field_words[i].words;
	return NULL;
}

/* A growing line of text. */
struct line {
	char *s;
	size_t len, cap;
	int failed;
};

static void line_add(struct line *l, const char *text)
{
	size_t n = strlen(text);

	if (l->failed)
		return;
	if (l->len + n + 1 > l->cap) {
		size_t cap = (l->len + n + 1) * 2;
		char *s = realloc(l->s, cap);

		if (!s) {
			l->failed = 1;
			return;
		}
		l->s = s;
		l->cap = cap;
	}
	memcpy(l->s + l->len, text, n + 1);
	l->len += n;
}

/* One value in words: a date as dd/mm/yyyy, a code in words, null as "(trống)". */
static void value_add(struct line *l, json_t *v)
{
	char buf[32], shown[11], iso[11];

	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		if (strlen(s) == 10 && !date_parse(s, iso))
			line_add(l, date_display(iso, shown));
		else
			line_add(l, words_of(s));
	} else if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		line_add(l, buf);
	} else if (json_is_true(v)) {
		line_add(l, "có");
	} else if (json_is_false(v)) {
		line_add(l, "không");
	} else {
		line_add(l, "(trống)");
	}
}

/* "Đơn vị: A → B; Chức vụ: X" for the fields of o (a change is [old, new]). */
static void fields_add(struct line *l, json_t *o)
{
	const char *key, *label;
	json_t *v;

	json_object_foreach(o, key, v) {
		if (!strcmp(key, "changes") && json_is_object(v)) {
			fields_add(l, v);
			continue;
		}
		if (!(label = field_label(key)) || json_is_object(v))
			continue;
		if (l->len)
			line_add(l, "; ");
		line_add(l, label);
		line_add(l, ": ");
		if (json_is_array(v) && json_array_size(v) == 2) {
			value_add(l, json_array_get(v, 0));
			line_add(l, " → ");
			value_add(l, json_array_get(v, 1));
		} else {
			value_add(l, v);
		}
	}
}

/* What an event's detail says, in words (empty for a new subscriber: the roster shows
 * it).  Caller frees; NULL when there is nothing to say. */
static char *event_content(const char *kind, const char *detail)
{
	struct line l = { 0 };
	json_t *o;

	/* A new subscriber's fields are the roster's; a PIN change says all in its name
	 * (and is most of a year's events: their details are not read). */
	if (!detail || !strcmp(kind, EVENT_SUBSCRIBER_ADDED) ||
	    !strcmp(kind, EVENT_TOKEN_PREFIX TOKEN_ACT_PIN))
		return NULL;
	if (!(o = json_loads(detail, 0, NULL)))
		return NULL;
	if (json_is_object(o))
		fields_add(&l, o);
	json_decref(o);
	if (l.failed || !l.len) {
		free(l.s);
		return NULL;
	}
	return l.s;
}

/* --- the sheets ------------------------------------------------------------------------------ */

/* The tables in the order of their sheets; the rows go through the pipe as TABLE_*. */
enum { TABLE_ROSTER, TABLE_EVENTS, TABLE_HANDOVERS, TABLE_LOSSES, TABLES };

static const char *const roster_headers[] = {
	"STT", "Họ và tên", "Loại thuê bao", "Đơn vị", "Chức vụ", "Số CCCD", "Email",
	"Điện thoại",
};
static const double roster_widths[] = { 7, 28, 14, 34, 26, 15, 32, 13 };

static const char *const event_headers[] = {
	"STT", "Ngày", "Sự kiện", "Thuê bao", "Đơn vị", "Số hiệu token", "Số hiệu chứng thư số",
	"Nội dung",
};
static const double event_widths[] = { 7, 12, 30, 28, 28, 16, 22, 60 };

static const char *const handover_headers[] = {
	"STT", "Ngày bàn giao", "Số hiệu token", "Thuê bao", "Đơn vị", "Người bàn giao",
	"Chức vụ", "Người nhận", "Chức vụ", "Văn bản chỉ định", "Người chỉ định",
	"Đã bàn giao mật khẩu", "Biên bản số",
};
static const double handover_widths[] = { 7, 13, 16, 26, 26, 24, 18, 24, 18, 20, 22, 12, 14 };

static const char *const loss_headers[] = {
	"STT", "Ngày mất", "Số hiệu token", "Thuê bao", "Đơn vị", "Người giữ", "Nơi xảy ra",
	"Hoàn cảnh", "Cách phát hiện", "Biên bản số", "Ngày đề nghị thu hồi",
	"Tình trạng cuối kỳ",
};
static const double loss_widths[] = { 7, 12, 16, 26, 26, 24, 20, 40, 24, 14, 14, 16 };

static const struct table_def table_defs[TABLES] = {
	[TABLE_ROSTER] = { "Danh sách thuê bao", NCOLS(roster_headers), roster_headers,
			   roster_widths, 0 },
	[TABLE_EVENTS] = { "Sự kiện trong kỳ", NCOLS(event_headers), event_headers,
			   event_widths, COLUMN(1) },
	[TABLE_HANDOVERS] = { "Bàn giao token", NCOLS(handover_headers), handover_headers,
			      handover_widths, COLUMN(1) },
	[TABLE_LOSSES] = { "Token bị mất", NCOLS(loss_headers), loss_headers, loss_widths,
			   COLUMN(1) | COLUMN(10) },
};

/* The reading thread: the history's rows turned into the sheets' texts, into the pipe. */
struct producer {
	struct report_reader *r;
	struct row_pipe *pipe;
	int put_rc;		/* row_pipe_put's first failure */
	int rc;
	struct kyso_err err;
};

static int put(struct producer *pr, int table, const char *const *texts, int n)
{
	return pr->put_rc = row_pipe_put(pr->pipe, table, texts, n);
}

static int roster_row(const struct report_roster_row *row, void *ctx)
{
	const char *texts[] = {
		row->name, doc_kind_words(row->kind), row->unit,
		row->position, row->id_number, row->email, row->phone,
	};

	return put(ctx, TABLE_ROSTER, texts, NCOLS(texts));
}

static int event_row(const struct report_event_row *row, void *ctx)
{
	char *content = event_content(row->kind, row->detail);
	const char *texts[] = {
		row->on_date, event_label(row->kind), row->subscriber, row->unit, row->token_serial,
		row->cert_serial, content,
	};
	int rc = put(ctx, TABLE_EVENTS, texts, NCOLS(texts));

	free(content);
	return rc;
}

static int handover_row(const struct report_handover_row *row, void *ctx)
{
	const char *texts[] = {
		row->on_date, row->serial, row->subscriber, row->unit, row->from_name,
		row->from_position, row->to_name, row->to_position, row->ref, row->authorised_by,
		row->password_handed < 0 ? NULL : row->password_handed ? "Có" : "Không",
		row->document,
	};

	return put(ctx, TABLE_HANDOVERS, texts, NCOLS(texts));
}

static int loss_row(const struct report_loss_row *row, void *ctx)
{
	const char *texts[] = {
		row->on_date, row->serial, row->subscriber, row->unit, row->keeper_name, row->place,
		row->circumstances, row->discovered, row->document, row->revocation_asked_on,
		words_of(row->state_at_end),
	};

	return put(ctx, TABLE_LOSSES, texts, NCOLS(texts));
}

/* Reads the four tables in order, each followed by its end mark, until one fails or the
 * writer cancels. */
static void *produce(void *arg)
{
	struct producer *pr = arg;
	int table;

	for (table = 0; table < TABLES && !pr->rc && !pr->put_rc; table++) {
		switch (table) {
		case TABLE_ROSTER:
			pr->rc = report_reader_roster(pr->r, roster_row, pr, &pr->err);
			break;
		case TABLE_EVENTS:
			pr->rc = report_reader_events(pr->r, event_row, pr, &pr->err);
			break;
		case TABLE_HANDOVERS:
			pr->rc = report_reader_handovers(pr->r, handover_row, pr, &pr->err);
			break;
		default:
			pr->rc = report_reader_losses(pr->r, loss_row, pr, &pr->err);
			break;
		}
		if (!pr->rc && !pr->put_rc)
			pr->put_rc = row_pipe_end_table(pr->pipe, table);
	}
	if (!pr->rc && pr->put_rc < 0)
		pr->rc = kyso_fail(&pr->err, KYSO_ENOMEM, "%s", _("out of memory"));
	row_pipe_close(pr->pipe);
	return NULL;
}

/* The writing side: each table's sheet, its rows as they come.  Returns when the four
 * are written, the producer stopped early, or a write failed (then it cancels). */
static void consume(struct xlsx_book *b, struct row_pipe *pipe, char titles[TABLES][160])
{
	const char *texts[ROW_PIPE_MAX_TEXTS];
	int table, got, n = 0;

	for (table = 0; table < TABLES; table++) {
		struct table t = { .b = b, .def = &table_defs[table], .title = titles[table] };

		table_open(&t);
		while (!b->failed && (n = row_pipe_get(pipe, &got, texts)) > 0)
			table_put(&t, texts, n);
		table_close(&t);
		if (b->failed || n < 0) {
			row_pipe_cancel(pipe);
			return;
		}
	}
}

int detail_sheets(struct xlsx_book *b, struct report_reader *r, const struct report_summary *s,
		  struct kyso_err *err)
{
	struct report_sizes sz;
	struct producer pr = { .r = r };
	char titles[TABLES][160], from[11], end[11];
	pthread_t thread;
	int rc;

	if ((rc = report_reader_sizes(r, &sz, err)))
		return rc;
	b->total = sz.roster + sz.events + sz.handovers + sz.losses;
	date_display(s->period.from, from);
	date_display(s->period.end, end);
	snprintf(titles[TABLE_ROSTER], sizeof(titles[0]), "DANH SÁCH THUÊ BAO ĐẾN NGÀY %s", end);
	snprintf(titles[TABLE_EVENTS], sizeof(titles[0]), "CÁC SỰ KIỆN TỪ NGÀY %s ĐẾN NGÀY %s",
		 from, end);
	snprintf(titles[TABLE_HANDOVERS], sizeof(titles[0]),
		 "BÀN GIAO TOKEN TỪ NGÀY %s ĐẾN NGÀY %s", from, end);
	snprintf(titles[TABLE_LOSSES], sizeof(titles[0]), "TOKEN BỊ MẤT TỪ NGÀY %s ĐẾN NGÀY %s",
		 from, end);
	/* The reader's connection is the producer's until it is joined. */
	if (!(pr.pipe = row_pipe_new()))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if ((rc = pthread_create(&thread, NULL, produce, &pr))) {
		row_pipe_free(pr.pipe);
		return kyso_fail(err, KYSO_ENOMEM, _("cannot start a thread (%s)"), strerror(rc));
	}
	consume(b, pr.pipe, titles);
	pthread_join(thread, NULL);
	row_pipe_free(pr.pipe);
	if (pr.rc) {
		if (err)
			*err = pr.err;
		return pr.rc;
	}
	if (!b->failed && b->progress)
		b->progress(b->total, b->total, b->ctx);
	return 0;
}
