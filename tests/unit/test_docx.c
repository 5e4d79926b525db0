/*
 * test_docx.c - the DOCX engine (reports/docx.c) without a store: the same document gives
 * the same bytes whatever the clock and the time zone say; text is escaped for XML and
 * text that is not UTF-8 is refused; the package has its parts in a fixed order with the
 * Decree 30 page set-up; blocks out of order are reported when rendering; a failed write
 * leaves no file, neither under the real name nor a temporary one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "kyso/docx.h"
#include "kyso/i18n.h"

/* A document with every kind of block. */
static struct docx *sample(const char *title, const char *body_text)
{
	struct docx_meta meta = { .title = title, .created = "2026-02-05" };
	struct docx *d = docx_new(&meta);
	struct docx_header_block h = {
		.parent = "UBND TỈNH VĨNH LONG", .agency = "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
		.number = "Số: 05/BB-SNNMT", .nation = DOCX_NATION, .motto = DOCX_MOTTO,
		.place_date = "Vĩnh Long, ngày 05 tháng 02 năm 2026",
	};
	struct docx_para title_p = { .align = DOCX_CENTER, .flags = DOCX_BOLD, .before = 240 };
	struct docx_para body = { .align = DOCX_BOTH, .first_line = DOCX_MM(10), .after = 60 };
	struct docx_run runs[] = { { "Bên giao: ", 0, 0 }, { "Đặng Văn Đức", DOCX_BOLD, 0 } };
	static const int widths[] = { 700, 2800, 2800, 3054 };
	struct docx_table t = { .widths = widths, .ncols = 4, .borders = 1 };
	struct docx_signature sig[] = {
		{ "BÊN GIAO", "(Ký, ghi rõ họ tên)", "Đặng Văn Đức" },
		{ "BÊN NHẬN", "(Ký, ghi rõ họ tên)", "Nguyễn Thị Ánh" },
	};
	struct docx_signature head = { "THỦ TRƯỞNG CƠ QUAN", NULL, "Lê Văn Bình" };
	const char *recipients[] = { "- Như trên;", "- Lưu: VT." };
	int r, c;

	assert_non_null(d);
	docx_header_block(d, &h);
	docx_text(d, &title_p, "BIÊN BẢN");
	docx_text(d, &body, body_text);
	docx_para(d, &body, runs, 2);
	docx_table_begin(d, &t);
	for (r = 0; r < 3; r++) {
		docx_row_begin(d, r == 0);
		for (c = 0; c < 4; c++) {
			docx_cell_begin(d, 1, DOCX_MIDDLE);
			if (r)
				docx_text(d, &(struct docx_para){ .align = DOCX_CENTER }, "TK-0001");
			docx_cell_end(d);
		}
		docx_row_end(d);
	}
	docx_table_end(d);
	docx_signatures(d, sig, 2);
	docx_closing(d, recipients, 2, &head);
	return d;
}

static void render_ok(struct docx *d, unsigned char **bytes, size_t *len)
{
	struct kyso_err err = { 0 };

	if (docx_render(d, bytes, len, &err) != 0)
		fail_msg("docx_render: %s", err.msg);
	assert_true(*len > 0);
}

/* The text of one part of the package in bytes (caller frees). */
static char *part(const unsigned char *bytes, size_t len, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_file_t *f;
	zip_stat_t st;
	char *text;

	zip_error_init(&ze);
	src = zip_source_buffer_create(bytes, len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	text = calloc(1, st.size + 1);
	f = zip_fopen(za, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(za);
	zip_error_fini(&ze);
	return text;
}

static void test_same_document_gives_same_bytes(void **state)
{
	unsigned char *a, *b, *c;
	size_t alen, blen, clen;
	struct docx *d;

	(void)state;
	d = sample("Biên bản", "Hôm nay, ngày 05 tháng 02 năm 2026, chúng tôi gồm:");
	render_ok(d, &a, &alen);
	docx_free(d);
	/* Another time zone and a later second change nothing. */
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	sleep(1);
	d = sample("Biên bản", "Hôm nay, ngày 05 tháng 02 năm 2026, chúng tôi gồm:");
	render_ok(d, &b, &blen);
	/* Rendering the same builder twice, too. */
	render_ok(d, &c, &clen);
	docx_free(d);
	unsetenv("TZ");
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_int_equal(alen, clen);
	assert_memory_equal(a, c, alen);
	free(b);
	free(c);

	d = sample("Biên bản", "Hôm nay, ngày 06 tháng 02 năm 2026, chúng tôi gồm:");
	render_ok(d, &b, &blen);
	docx_free(d);
	assert_true(alen != blen || memcmp(a, b, alen) != 0);
	free(a);
	free(b);
}

static void test_text_is_escaped(void **state)
{
	unsigned char *bytes;
	size_t len;
	struct docx *d;
	char *xml, *core;

	(void)state;
	d = sample("A & <B>", "Hợp đồng \"A\" & <b>B</b>\x01 'x'\nline\ttab");
	render_ok(d, &bytes, &len);
	docx_free(d);
	xml = part(bytes, len, "word/document.xml");
	assert_non_null(strstr(xml, "Hợp đồng &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt; 'x'"));
	assert_null(strstr(xml, "<b>"));
	assert_null(strstr(xml, "\x01"));
	assert_non_null(strstr(xml, "'x'</w:t><w:br/><w:t xml:space=\"preserve\">line</w:t>"
				    "<w:tab/><w:t xml:space=\"preserve\">tab</w:t>"));
	core = part(bytes, len, "docProps/core.xml");
	assert_non_null(strstr(core, "<dc:title>A &amp; &lt;B&gt;</dc:title>"));
	assert_non_null(strstr(core, "2026-02-05T00:00:00Z"));
	free(core);
	free(xml);
	free(bytes);
}

static void test_text_not_utf8_is_refused(void **state)
{
	struct kyso_err err = { 0 };
	unsigned char *bytes;
	size_t len;
	struct docx *d;

	(void)state;
	d = sample("Biên bản", "Nguy\xe1\xbb\x85n \xff");
	assert_int_equal(docx_render(d, &bytes, &len, &err), KYSO_EINVAL);
	assert_null(bytes);
	assert_non_null(strstr(err.msg, "UTF-8"));
	docx_free(d);
}

static void test_package_parts_and_page(void **state)
{
	static const char *const names[] = {
		"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
		"word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml",
		"word/settings.xml", "word/header1.xml", "word/header2.xml",
	};
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	unsigned char *bytes;
	size_t len, i;
	struct docx *d;
	char *xml, *styles, *header;

	(void)state;
	d = sample("Biên bản", "x");
	render_ok(d, &bytes, &len);
	docx_free(d);
	zip_error_init(&ze);
	src = zip_source_buffer_create(bytes, len, 0, &ze);
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 10);
	for (i = 0; i < 10; i++) {
		zip_stat_t st;

		assert_string_equal(zip_get_name(za, i, 0), names[i]);
		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
	}
	zip_discard(za);
	zip_error_fini(&ze);

	xml = part(bytes, len, "word/document.xml");
	/* A4 portrait, top 20 mm, right 15 mm, bottom 20 mm, left 30 mm; page numbers from
	 * page 2 (titlePg: the first page has its own, empty header). */
	assert_non_null(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
	assert_non_null(strstr(xml, "w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""));
	assert_non_null(strstr(xml, "<w:titlePg/>"));
	assert_non_null(strstr(xml, "<w:headerReference w:type=\"first\" r:id=\"rId4\"/>"));
	/* The header row repeats; the token rows never split. */
	assert_non_null(strstr(xml, "<w:tblHeader/>"));
	/* The body ends with a paragraph after the last table. */
	assert_non_null(strstr(xml, "</w:tbl><w:p/><w:sectPr>"));
	header = part(bytes, len, "word/header1.xml");
	assert_non_null(strstr(header, " PAGE "));
	assert_non_null(strstr(header, "<w:jc w:val=\"center\"/>"));
	styles = part(bytes, len, "word/styles.xml");
	assert_non_null(strstr(styles, "w:ascii=\"Times New Roman\""));
	assert_non_null(strstr(styles, "<w:sz w:val=\"28\"/>"));
	free(styles);
	free(header);
	free(xml);
	free(bytes);
}

static void test_blocks_out_of_order_are_reported(void **state)
{
	struct kyso_err err = { 0 };
	struct docx_meta meta = { .title = "x" };
	static const int widths[] = { 1000, 1000 };
	struct docx_table t = { .widths = widths, .ncols = 2 };
	unsigned char *bytes;
	size_t len;
	struct docx *d;

	(void)state;
	/* A row with one cell of a two-column table. */
	d = docx_new(&meta);
	docx_table_begin(d, &t);
	docx_row_begin(d, 0);
	docx_cell_begin(d, 1, DOCX_TOP);
	docx_cell_end(d);
	docx_row_end(d);
	docx_table_end(d);
	assert_int_equal(docx_render(d, &bytes, &len, &err), KYSO_EIO);
	assert_null(bytes);
	docx_free(d);

	/* A table never ended. */
	d = docx_new(&meta);
	docx_table_begin(d, &t);
	assert_int_equal(docx_render(d, &bytes, &len, &err), KYSO_EIO);
	docx_free(d);

	/* A span past the last column. */
	d = docx_new(&meta);
	docx_table_begin(d, &t);
	docx_row_begin(d, 0);
	docx_cell_begin(d, 3, DOCX_TOP);
	assert_int_equal(docx_render(d, &bytes, &len, &err), KYSO_EIO);
	docx_free(d);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* How many entries dir holds. */
static int entries(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dh);
	return n;
}

static void test_failed_write_leaves_no_file(void **state)
{
	struct kyso_err err = { 0 };
	char dir[] = "/tmp/kyso-docx-XXXXXX", path[256];
	struct docx *d;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	d = sample("Biên bản", "x");

	/* The target is a folder: the rename fails, the temporary file goes. */
	snprintf(path, sizeof path, "%s/out.docx", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(docx_save(d, path, &err), KYSO_EIO);
	assert_non_null(strstr(err.msg, "out.docx"));
	assert_int_equal(entries(dir), 1);
	assert_int_equal(rmdir(path), 0);

	/* A folder that does not exist: nothing is made. */
	snprintf(path, sizeof path, "%s/missing/out.docx", dir);
	assert_int_equal(docx_save(d, path, &err), KYSO_EIO);
	assert_int_equal(entries(dir), 0);

	/* And a write that works leaves the file alone, under its name. */
	snprintf(path, sizeof path, "%s/out.docx", dir);
	assert_int_equal(docx_save(d, path, &err), 0);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode) && st.st_size > 0);

	docx_free(d);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_document_gives_same_bytes),
		cmocka_unit_test(test_text_is_escaped),
		cmocka_unit_test(test_text_not_utf8_is_refused),
		cmocka_unit_test(test_package_parts_and_page),
		cmocka_unit_test(test_blocks_out_of_order_are_reported),
		cmocka_unit_test(test_failed_write_leaves_no_file),
	};

	kyso_i18n_init("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
