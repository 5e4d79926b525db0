/*
 * bench_report_base.c - the baseline of the report benchmark (tests/bench/run): the
 * workbook `kyso report` writes, with libxlsxwriter alone.  The same sheets, rows,
 * columns and formats in constant-memory mode (Times New Roman, borders, dates shown
 * dd/mm/yyyy, the summary's merged title block, SUM totals, page set-up, filters, frozen
 * headers), its text made up here with lengths like the real one's, and nothing else: no
 * store, no history, no counting.  What kyso takes beyond this is what reading the
 * history and shaping its rows cost.
 *
 *   bench_report_base OUT.xlsx ROSTER EVENTS HANDOVERS LOSSES UNITS
 *
 * The row counts are the ones kyso's workbook has (the runner reads them from it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

/* Text like the real workbook's, made from parts picked at random (a fixed seed): as
 * varied as real names and addresses, so that it compresses as they do. */
static const char *const family[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Vũ", "Đặng", "Bùi",
	"Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Lương", "Đào", "Đoàn", "Đinh", "Lâm",
};
static const char *const middle[] = {
	"Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Thu", "Kim", "Thị Thu",
	"Hoàng Minh", "Thị Ngọc", "Xuân", "Công", "Mỹ",
};
static const char *const given[] = {
	"An", "Anh", "Ánh", "Bình", "Bảo", "Cường", "Dũng", "Duyên", "Đạt", "Đức", "Giang",
	"Hà", "Hải", "Hạnh", "Hằng", "Hiền", "Hiếu", "Hoa", "Hùng", "Huyền", "Khoa", "Lan",
	"Linh", "Long", "Mai", "Minh", "Nam", "Ngọc", "Nhung", "Phong", "Phúc", "Quân", "Quyên",
	"Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Tiến", "Trang", "Trung", "Tuấn", "Vân", "Yến",
};
static const char *const units[] = {
	"Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch - Tài chính", "Phòng Tổ chức cán bộ",
	"Phòng Quản lý xây dựng công trình", "Phòng Pháp chế", "Chi cục Thủy lợi",
	"Chi cục Kiểm lâm", "Chi cục Trồng trọt và Bảo vệ thực vật",
	"Chi cục Chăn nuôi, Thú y và Thủy sản", "Chi cục Phát triển nông thôn",
	"Trung tâm Khuyến nông", "Trung tâm Giống nông nghiệp", "Ban Quản lý cảng cá",
	"Trung tâm Nước sạch và Vệ sinh môi trường nông thôn", "Hạt Kiểm lâm liên huyện",
};
static const char *const positions[] = {
	"Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Kỹ sư",
	"Văn thư", "Kế toán", "Nhân viên", "Thanh tra viên", "Cán sự", "Phó Giám đốc",
};
/* Events in the shares of a year's: PIN changes most, then certificates. */
static const char *const events[] = {
	"Đổi mật khẩu (PIN) token", "Đổi mật khẩu (PIN) token", "Đổi mật khẩu (PIN) token",
	"Đổi mật khẩu (PIN) token", "Đổi mật khẩu (PIN) token", "Đổi mật khẩu (PIN) token",
	"Cấp mới chứng thư số", "Gia hạn chứng thư số", "Nhận token", "Thêm thuê bao",
};

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned long rnd(unsigned long n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)(rng_state % n);
}

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

static void person(char *out, size_t outsz)
{
	snprintf(out, outsz, "%s %s %s", PICK(family), PICK(middle), PICK(given));
}

static lxw_error failed;

static void check(lxw_error e)
{
	if (e && !failed)
		failed = e;
}

static lxw_format *fmt(lxw_workbook *wb, double size, int bold, int border, const char *num)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, size);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (bold)
		format_set_bold(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	if (num)
		format_set_num_format(f, num);
	return f;
}

struct formats {
	lxw_format *title, *header, *text, *number, *date;
};

static void page(lxw_worksheet *ws, lxw_row_t first, lxw_row_t last)
{
	worksheet_set_paper(ws, 9);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_center_horizontally(ws);
	worksheet_set_margins(ws, 1.18, 0.59, 0.79, 0.79);
	check(worksheet_set_footer(ws, "&C&\"Times New Roman,Regular\"&11Trang &P/&N"));
	check(worksheet_repeat_rows(ws, first, last));
}

static void date(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, long i, lxw_format *f)
{
	lxw_datetime dt = { 2026, 1 + (int)(i % 12), 1 + (int)(i % 28), 0, 0, 0 };

	check(worksheet_write_datetime(ws, r, c, &dt, f));
}

/* A detail sheet: its title and header rows, page set-up, frozen header. */
static lxw_worksheet *table_sheet(lxw_workbook *wb, const struct formats *f, const char *name,
				  int part, int ncols)
{
	lxw_worksheet *ws;
	char sheet[64];
	int c;

	if (part > 1)
		snprintf(sheet, sizeof(sheet), "%s (%d)", name, part);
	else
		snprintf(sheet, sizeof(sheet), "%s", name);
	ws = workbook_add_worksheet(wb, sheet);
	for (c = 0; c < ncols; c++)
		check(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL));
	check(worksheet_set_row(ws, 0, 24, NULL));
	check(worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1),
				    "DANH SÁCH ĐẾN NGÀY 31/12/2026", f->title));
	check(worksheet_set_row(ws, 1, 32, NULL));
	for (c = 0; c < ncols; c++)
		check(worksheet_write_string(ws, 1, (lxw_col_t)c, "Tiêu đề cột", f->header));
	page(ws, 0, 1);
	worksheet_freeze_panes(ws, 2, 0);
	return ws;
}

static void table_end(lxw_worksheet *ws, lxw_row_t r, int ncols)
{
	check(worksheet_autofilter(ws, 1, 0, r > 2 ? r - 1 : 1, (lxw_col_t)(ncols - 1)));
}

/* A detail table of rows rows over as many sheets as it takes; row_fn writes a row. */
static void table(lxw_workbook *wb, const struct formats *f, const char *name, int ncols,
		  long rows, void (*row_fn)(lxw_worksheet *, lxw_row_t, long, const struct formats *))
{
	int part = 1;
	lxw_worksheet *ws = table_sheet(wb, f, name, part, ncols);
	lxw_row_t r = 2;
	long i;

	for (i = 0; i < rows; i++, r++) {
		if (r == LXW_ROW_MAX) {
			table_end(ws, r, ncols);
			ws = table_sheet(wb, f, name, ++part, ncols);
			r = 2;
		}
		check(worksheet_write_number(ws, r, 0, (double)(i + 1), f->number));
		row_fn(ws, r, i, f);
	}
	table_end(ws, r, ncols);
}

static void roster_row(lxw_worksheet *ws, lxw_row_t r, long i, const struct formats *f)
{
	char name[96], id[16], mail[48], phone[16];

	person(name, sizeof(name));
	snprintf(id, sizeof(id), "086%09lu", rnd(1000000000UL));
	snprintf(mail, sizeof(mail), "%c%c%lu%s@vinhlong.gov.vn", 'a' + (int)rnd(26),
		 'a' + (int)rnd(26), (unsigned long)i, rnd(2) ? ".nv" : "");
	snprintf(phone, sizeof(phone), "09%08lu", rnd(100000000UL));
	check(worksheet_write_string(ws, r, 1, name, f->text));
	check(worksheet_write_string(ws, r, 2, "Cá nhân", f->text));
	check(worksheet_write_string(ws, r, 3, PICK(units), f->text));
	check(worksheet_write_string(ws, r, 4, PICK(positions), f->text));
	check(worksheet_write_string(ws, r, 5, id, f->text));
	check(worksheet_write_string(ws, r, 6, mail, f->text));
	check(worksheet_write_string(ws, r, 7, phone, f->text));
}

static void event_row(lxw_worksheet *ws, lxw_row_t r, long i, const struct formats *f)
{
	const char *event = PICK(events);
	char name[96], token[16], cert[20], content[128] = "";

	person(name, sizeof(name));
	snprintf(token, sizeof(token), "VT%08lu", rnd(100000000UL));
	snprintf(cert, sizeof(cert), "54%014llX", (unsigned long long)rnd(1UL << 56));
	if (strstr(event, "chứng thư"))
		snprintf(content, sizeof(content), "Hiệu lực từ: %02lu/%02lu/2026; Hiệu lực đến: "
			 "%02lu/%02lu/2029", 1 + rnd(28), 1 + rnd(12), 1 + rnd(28), 1 + rnd(12));
	else if (!strstr(event, "PIN"))
		snprintf(content, sizeof(content), "Người quản lý: %s", name);
	date(ws, r, 1, i, f->date);
	check(worksheet_write_string(ws, r, 2, event, f->text));
	check(worksheet_write_string(ws, r, 3, name, f->text));
	check(worksheet_write_string(ws, r, 4, PICK(units), f->text));
	check(worksheet_write_string(ws, r, 5, token, f->text));
	if (strstr(event, "chứng thư"))
		check(worksheet_write_string(ws, r, 6, cert, f->text));
	else
		check(worksheet_write_blank(ws, r, 6, f->text));
	if (content[0])
		check(worksheet_write_string(ws, r, 7, content, f->text));
	else
		check(worksheet_write_blank(ws, r, 7, f->text));
}

/* Names in columns first..last of row r. */
static void names(lxw_worksheet *ws, lxw_row_t r, int first, int last, const struct formats *f)
{
	char name[96];
	int c;

	for (c = first; c <= last; c++) {
		person(name, sizeof(name));
		check(worksheet_write_string(ws, r, (lxw_col_t)c, name, f->text));
	}
}

static void handover_row(lxw_worksheet *ws, lxw_row_t r, long i, const struct formats *f)
{
	date(ws, r, 1, i, f->date);
	names(ws, r, 2, 12, f);
}

static void loss_row(lxw_worksheet *ws, lxw_row_t r, long i, const struct formats *f)
{
	date(ws, r, 1, i, f->date);
	names(ws, r, 2, 9, f);
	date(ws, r, 10, i, f->date);
	check(worksheet_write_string(ws, r, 11, "bị mất", f->text));
}

/* The summary: the title block, units and a total of SUM formulas, kinds, the notes and
 * the signature block, as kyso lays them out (19 columns). */
static void summary(lxw_workbook *wb, const struct formats *f, long nunits)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Tổng hợp");
	lxw_format *plain = fmt(wb, 13, 0, 0, NULL);
	char range[32], formula[48];
	lxw_row_t r = 0, first;
	long i;
	int c, t;

	check(worksheet_set_column(ws, 0, 0, 5, NULL));
	check(worksheet_set_column(ws, 1, 1, 32, NULL));
	check(worksheet_set_column(ws, 2, 18, 10.5, NULL));
	for (; r < 3; r++) {
		check(worksheet_merge_range(ws, r, 0, r, 6, "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", plain));
		check(worksheet_merge_range(ws, r, 11, r, 18, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", plain));
	}
	for (r = 4; r < 8; r++)
		check(worksheet_merge_range(ws, r, 0, r, 18, "BÁO CÁO", f->title));
	for (t = 0; t < 2; t++) {
		r++;
		check(worksheet_write_string(ws, r++, 0, "I. SỐ LIỆU", plain));
		check(worksheet_merge_range(ws, r, 0, r, 1, "", f->header));
		check(worksheet_merge_range(ws, r, 2, r, 7, "Tại thời điểm cuối kỳ", f->header));
		check(worksheet_merge_range(ws, r, 8, r, 15, "Phát sinh trong kỳ", f->header));
		check(worksheet_merge_range(ws, r, 16, r, 18, "Mật khẩu token (PIN)", f->header));
		r++;
		check(worksheet_set_row(ws, r, 78, NULL));
		for (c = 0; c < 19; c++)
			check(worksheet_write_string(ws, r, (lxw_col_t)c, "Thuê bao đang hoạt động", f->header));
		first = ++r;
		for (i = 0; i < (t ? 3 : nunits); i++, r++) {
			check(worksheet_write_number(ws, r, 0, (double)(i + 1), f->number));
			check(worksheet_write_string(ws, r, 1, units[i % 16], f->text));
			for (c = 2; c < 19; c++)
				check(worksheet_write_number(ws, r, (lxw_col_t)c, (double)(i * c), f->number));
		}
		if (!t)
			check(worksheet_autofilter(ws, first - 1, 0, r - 1, 18));
		check(worksheet_merge_range(ws, r, 0, r, 1, "Tổng cộng", f->header));
		for (c = 2; c < 19; c++) {
			lxw_rowcol_to_range(range, first, (lxw_col_t)c, r - 1, (lxw_col_t)c);
			snprintf(formula, sizeof(formula), "=SUM(%s)", range);
			check(worksheet_write_formula_num(ws, r, (lxw_col_t)c, formula, f->number, 1));
		}
		r++;
	}
	for (i = 0; i < 4; i++, r++)
		check(worksheet_merge_range(ws, r + 1, 0, r + 1, 18, "- Số liệu tại thời điểm cuối kỳ",
					    plain));
	for (i = 0; i < 3; i++, r += 2) {
		check(worksheet_merge_range(ws, r, 0, r, 6, "NGƯỜI LẬP BIỂU", plain));
		check(worksheet_merge_range(ws, r, 11, r, 18, "GIÁM ĐỐC", plain));
	}
	page(ws, 10, 11);
	worksheet_freeze_panes(ws, 12, 2);
}

int main(int argc, char **argv)
{
	lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	struct formats f;
	lxw_workbook *wb;

	if (argc != 7) {
		fprintf(stderr, "usage: %s OUT.xlsx ROSTER EVENTS HANDOVERS LOSSES UNITS\n", argv[0]);
		return 2;
	}
	if (!(wb = workbook_new_opt(argv[1], &options)))
		return 1;
	f.title = fmt(wb, 13, 1, 0, NULL);
	f.header = fmt(wb, 11, 1, 1, NULL);
	format_set_text_wrap(f.header);
	f.text = fmt(wb, 11, 0, 1, NULL);
	f.number = fmt(wb, 11, 0, 1, "#,##0");
	f.date = fmt(wb, 11, 0, 1, "dd/mm/yyyy");
	summary(wb, &f, atol(argv[6]));
	table(wb, &f, "Danh sách thuê bao", 8, atol(argv[2]), roster_row);
	table(wb, &f, "Sự kiện trong kỳ", 8, atol(argv[3]), event_row);
	table(wb, &f, "Bàn giao token", 13, atol(argv[4]), handover_row);
	table(wb, &f, "Token bị mất", 12, atol(argv[5]), loss_row);
	check(workbook_close(wb));
	if (failed) {
		fprintf(stderr, "bench_report_base: %s\n", lxw_strerror(failed));
		return 1;
	}
	return 0;
}
