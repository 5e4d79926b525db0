/*
 * test_sheet.c - the spreadsheet reader against the files officers actually have: CSV from
 * Excel (BOM, ';', CRLF), from other tools (',', TAB, quoted line breaks), and XLSX from
 * libxlsxwriter and hand-built like LibreOffice's.  Every test writes its own file in a
 * fresh folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "kyso/sheet.h"

struct fixture {
	char dir[256];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	const char *tmp = getenv("TMPDIR");

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/kyso-test-sheet-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	DIR *d = opendir(fx->dir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", fx->dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static const char *path_in(void **state, const char *name)
{
	static char path[512];
	struct fixture *fx = *state;

	snprintf(path, sizeof path, "%s/%s", fx->dir, name);
	return path;
}

static const char *write_file(void **state, const char *name, const char *bytes, size_t n)
{
	const char *path = path_in(state, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static const char *write_text(void **state, const char *name, const char *text)
{
	return write_file(state, name, text, strlen(text));
}

static struct sheet *open_ok(const char *path)
{
	struct kyso_err err = {0};
	struct sheet *sh = NULL;

	if (sheet_open(path, &sh, &err) != 0)
		fail_msg("sheet_open(%s): %s", path, err.msg);
	return sh;
}

static struct sheet *open_text(void **state, const char *name, const char *text)
{
	return open_ok(write_text(state, name, text));
}

/* Reads the next row and checks its line and its n cells (given after n). */
static void expect_row(struct sheet *sh, long want_line, size_t n, ...)
{
	struct kyso_err err = {0};
	char **cells;
	size_t ncells;
	long line;
	va_list ap;
	int rc = sheet_next(sh, &cells, &ncells, &line, &err);

	if (rc != 1)
		fail_msg("sheet_next returned %d (%s), expected a row at line %ld", rc, err.msg,
			 want_line);
	assert_int_equal(line, want_line);
	assert_int_equal(ncells, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(cells[i], va_arg(ap, const char *));
	va_end(ap);
}

/* Checks that sh has no more rows (and says so again when asked again), then closes it. */
static void expect_end_and_close(struct sheet *sh)
{
	struct kyso_err err = {0};
	char **cells;
	size_t ncells;
	long line;

	assert_int_equal(sheet_next(sh, &cells, &ncells, &line, &err), 0);
	assert_int_equal(sheet_next(sh, &cells, &ncells, &line, &err), 0);
	sheet_close(sh);
}

static void expect_next_error(struct sheet *sh, int code, const char *in_message)
{
	struct kyso_err err = {0};
	char **cells;
	size_t ncells;
	long line;

	assert_int_equal(sheet_next(sh, &cells, &ncells, &line, &err), code);
	assert_non_null(strstr(err.msg, in_message));
}

static void expect_open_error(const char *path, int code, const char *in_message)
{
	struct kyso_err err = {0};
	struct sheet *sh = NULL;

	assert_int_equal(sheet_open(path, &sh, &err), code);
	assert_null(sh);
	assert_non_null(strstr(err.msg, in_message));
}

/* CSV -------------------------------------------------------------------------------- */

static void test_csv_semicolon_and_bom(void **state)
{
	struct sheet *sh = open_text(state, "excel.csv",
				     "\xEF\xBB\xBF\r\nH\xE1\xBB\x8D v\xC3\xA0 t\xC3\xAAn;Email;Ghi ch\xC3\xBA\n"
				     "Tr\xE1\xBA\xA7n V\xC4\x83n B;b@x.gov.vn;chuy\xC3\xAAn vi\xC3\xAAn, t\xE1\xBB\x95 1\n");

	expect_row(sh, 2, 3, "H\xE1\xBB\x8D v\xC3\xA0 t\xC3\xAAn", "Email", "Ghi ch\xC3\xBA");
	expect_row(sh, 3, 3, "Tr\xE1\xBA\xA7n V\xC4\x83n B", "b@x.gov.vn",
		   "chuy\xC3\xAAn vi\xC3\xAAn, t\xE1\xBB\x95 1");
	expect_end_and_close(sh);
}

static void test_csv_comma_when_header_has_more_commas(void **state)
{
	struct sheet *sh = open_text(state, "plain.csv",
				     "name,\"unit; office\",email\nAn,\"P1; P2\",a@x.vn\n");

	expect_row(sh, 1, 3, "name", "unit; office", "email");
	expect_row(sh, 2, 3, "An", "P1; P2", "a@x.vn");
	expect_end_and_close(sh);
}

static void test_csv_tab_separated(void **state)
{
	struct sheet *sh = open_text(state, "copy.txt",
				     "name\tunit\temail\nAn, B\tP1\ta@x.vn\n");

	expect_row(sh, 1, 3, "name", "unit", "email");
	expect_row(sh, 2, 3, "An, B", "P1", "a@x.vn");
	expect_end_and_close(sh);
}

static void test_csv_quoted_newline_keeps_line_numbers(void **state)
{
	struct sheet *sh = open_text(state, "multi.csv",
				     "name,address\n"
				     "\"L\xC3\xAA, C\",\"s\xE1\xBB\x91 1\nph\xC6\xB0\xE1\xBB\x9Dng 2\n\"\"H\xC3\xA0 N\xE1\xBB\x99i\"\"\"\n"
				     "D,x\n");

	expect_row(sh, 1, 2, "name", "address");
	expect_row(sh, 2, 2, "L\xC3\xAA, C",
		   "s\xE1\xBB\x91 1\nph\xC6\xB0\xE1\xBB\x9Dng 2\n\"H\xC3\xA0 N\xE1\xBB\x99i\"");
	expect_row(sh, 5, 2, "D", "x");
	expect_end_and_close(sh);
}

static void test_csv_crlf_and_blank_lines(void **state)
{
	struct sheet *sh = open_text(state, "crlf.csv",
				     "a,b\r\nc,d\r\n\r\n , \r\n\"e\r\nf\",g\r\nh,i");

	expect_row(sh, 1, 2, "a", "b");
	expect_row(sh, 2, 2, "c", "d");
	expect_row(sh, 5, 2, "e\r\nf", "g");
	expect_row(sh, 7, 2, "h", "i");
	expect_end_and_close(sh);
}

static void test_csv_old_mac_line_ends(void **state)
{
	struct sheet *sh = open_text(state, "mac.csv",
				     "a,b\rc,d\r\re,f\r");

	expect_row(sh, 1, 2, "a", "b");
	expect_row(sh, 2, 2, "c", "d");
	expect_row(sh, 4, 2, "e", "f");
	expect_end_and_close(sh);
}

static void test_csv_empty_cells_kept_inside_dropped_at_end(void **state)
{
	struct sheet *sh = open_text(state, "gaps.csv",
				     "a,,c,,\n,,,\n,x\ny,,\n");

	expect_row(sh, 1, 3, "a", "", "c");
	expect_row(sh, 3, 2, "", "x");
	expect_row(sh, 4, 1, "y");
	expect_end_and_close(sh);
}

static void test_csv_nfd_text_passes_byte_exact(void **state)
{
	/* "Nguyễn" decomposed: e + circumflex (CC 82) + tilde (CC 83). */
	const char nfd[] = "Nguye\xCC\x82\xCC\x83n Tha\xCC\x80nh";
	char text[128];
	struct sheet *sh;

	snprintf(text, sizeof text, "name\n%s\n", nfd);
	sh = open_text(state, "nfd.csv", text);
	expect_row(sh, 1, 1, "name");
	expect_row(sh, 2, 1, nfd);
	expect_end_and_close(sh);
}

static void test_csv_unterminated_quote_is_an_error_with_line(void **state)
{
	struct sheet *sh = open_text(state, "open.csv", "a,b\nc,d\ne,\"never closed\nf,g\n");

	expect_row(sh, 1, 2, "a", "b");
	expect_row(sh, 2, 2, "c", "d");
	expect_next_error(sh, KYSO_EINVAL, "line 3");
	/* and it stays an error */
	expect_next_error(sh, KYSO_EINVAL, "open.csv");
	sheet_close(sh);
}

static void test_csv_empty_file_has_no_rows(void **state)
{
	struct sheet *sh = open_text(state, "empty.csv", "");

	expect_end_and_close(sh);
}

/* Far more rows than one read: line numbers stay right across chunk boundaries. */
static void test_csv_streams_many_rows(void **state)
{
	const char *path = path_in(state, "big.csv");
	FILE *f = fopen(path, "wb");
	struct kyso_err err = {0};
	struct sheet *sh;
	char **cells;
	size_t ncells;
	long line, want_line = 1, rows = 0;
	char want[32];
	int rc;

	assert_non_null(f);
	for (int i = 0; i < 50000; i++) {
		if (i % 1000 == 999)
			fprintf(f, "%d;\"two\r\nlines\"\r\n", i);
		else
			fprintf(f, "%d;Nguy\xE1\xBB\x85n V\xC4\x83n %d\r\n", i, i);
	}
	assert_int_equal(fclose(f), 0);
	sh = open_ok(path);
	while ((rc = sheet_next(sh, &cells, &ncells, &line, &err)) == 1) {
		snprintf(want, sizeof want, "%ld", rows);
		assert_string_equal(cells[0], want);
		assert_int_equal(line, want_line);
		want_line += rows % 1000 == 999 ? 2 : 1;
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, 50000);
	sheet_close(sh);
}

/* XLSX written by libxlsxwriter (shared strings, as Excel writes them) ------------------ */

static void write_roster_xlsx(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_datetime born = {1990, 5, 17, 0, 0, 0};
	lxw_datetime issued = {2021, 12, 31, 0, 0, 0};

	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "Danh s\xC3\xA1" "ch");
	date = workbook_add_format(wb);
	assert_non_null(ws);
	format_set_num_format(date, "dd/mm/yyyy");
	assert_int_equal(worksheet_write_string(ws, 0, 0, "H\xE1\xBB\x8D v\xC3\xA0 t\xC3\xAAn", NULL), 0);
	assert_int_equal(worksheet_write_string(ws, 0, 1, "S\xE1\xBB\x91 CCCD", NULL), 0);
	assert_int_equal(worksheet_write_string(ws, 0, 2, "Ng\xC3\xA0y sinh", NULL), 0);
	assert_int_equal(worksheet_write_string(ws, 0, 3, "S\xE1\xBB\x91 c\xC5\xA9", NULL), 0);
	assert_int_equal(worksheet_write_string(ws, 0, 4, "H\xE1\xBB\x87 s\xE1\xBB\x91", NULL), 0);

	assert_int_equal(worksheet_write_string(ws, 1, 0, "Nguy\xE1\xBB\x85n V\xC4\x83n An", NULL), 0);
	assert_int_equal(worksheet_write_number(ws, 1, 1, 79123456789.0, NULL), 0);
	assert_int_equal(worksheet_write_datetime(ws, 1, 2, &born, date), 0);
	assert_int_equal(worksheet_write_number(ws, 1, 3, 123456789012.0, NULL), 0);
	assert_int_equal(worksheet_write_number(ws, 1, 4, 1.5, NULL), 0);

	/* Row 3 (index 2) is left out; row 4 has a gap in column B and a late date. */
	assert_int_equal(worksheet_write_string(ws, 3, 0, "L\xC3\xAA Th\xE1\xBB\x8B B", NULL), 0);
	assert_int_equal(worksheet_write_datetime(ws, 3, 2, &issued, date), 0);
	assert_int_equal(worksheet_write_boolean(ws, 3, 4, 1, NULL), 0);
	/* Row 5 holds only a formatted blank: nothing for the officer. */
	assert_int_equal(worksheet_write_blank(ws, 4, 1, date), 0);
	/* Row 6: the same string again (one shared entry) and a formula's text result. */
	assert_int_equal(worksheet_write_string(ws, 5, 0, "Nguy\xE1\xBB\x85n V\xC4\x83n An", NULL), 0);
	assert_int_equal(worksheet_write_formula_str(ws, 5, 1, "=\"P\"&\"1\"", NULL, "P1"), 0);
	assert_int_equal(workbook_close(wb), 0);
}

static void test_xlsx_text_numbers_and_dates(void **state)
{
	const char *path = path_in(state, "roster.xlsx");
	struct sheet *sh;

	write_roster_xlsx(path);
	sh = open_ok(path);
	expect_row(sh, 1, 5, "H\xE1\xBB\x8D v\xC3\xA0 t\xC3\xAAn", "S\xE1\xBB\x91 CCCD",
		   "Ng\xC3\xA0y sinh", "S\xE1\xBB\x91 c\xC5\xA9", "H\xE1\xBB\x87 s\xE1\xBB\x91");
	expect_row(sh, 2, 5, "Nguy\xE1\xBB\x85n V\xC4\x83n An", "79123456789", "1990-05-17",
		   "123456789012", "1.5");
	expect_row(sh, 4, 5, "L\xC3\xAA Th\xE1\xBB\x8B B", "", "2021-12-31", "", "TRUE");
	expect_row(sh, 6, 2, "Nguy\xE1\xBB\x85n V\xC4\x83n An", "P1");
	expect_end_and_close(sh);
}

static void test_xlsx_found_by_content_without_extension(void **state)
{
	const char *path = path_in(state, "export-from-portal");
	struct sheet *sh;

	write_roster_xlsx(path);
	sh = open_ok(path);
	expect_row(sh, 1, 5, "H\xE1\xBB\x8D v\xC3\xA0 t\xC3\xAAn", "S\xE1\xBB\x91 CCCD",
		   "Ng\xC3\xA0y sinh", "S\xE1\xBB\x91 c\xC5\xA9", "H\xE1\xBB\x87 s\xE1\xBB\x91");
	sheet_close(sh);
}

/* XLSX built part by part, the way other producers write it ----------------------------- */

static void zip_add_text(zip_t *z, const char *name, const char *xml)
{
	zip_source_t *src = zip_source_buffer(z, xml, strlen(xml), 0);

	assert_non_null(src);
	if (zip_file_add(z, name, src, ZIP_FL_OVERWRITE) < 0) {
		zip_source_free(src);
		fail_msg("zip_file_add %s: %s", name, zip_strerror(z));
	}
}

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* Two sheets; the first is stored under an unusual name so that only workbook.xml and its
 * relationships can find it.  1904 dates, a locale-tagged custom date format, rich text,
 * phonetic runs, inline strings, an exponent-form citizen ID, errors and booleans. */
static void write_handmade_xlsx(const char *path)
{
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);

	assert_non_null(z);
	zip_add_text(z, "[Content_Types].xml", XML_HEAD
		     "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
	zip_add_text(z, "xl/workbook.xml", XML_HEAD
		     "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
		     "<workbookPr date1904=\"true\"/>"
		     "<sheets><sheet name=\"Nh\xC3\xA2n s\xE1\xBB\xB1\" sheetId=\"7\" r:id=\"rId9\"/>"
		     "<sheet name=\"Other\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	zip_add_text(z, "xl/_rels/workbook.xml.rels", XML_HEAD
		     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		     "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		     "<Relationship Id=\"rId9\" Type=\"" NS_REL "/worksheet\" Target=\"/xl/worksheets/staff.xml\"/>"
		     "</Relationships>");
	zip_add_text(z, "xl/styles.xml", XML_HEAD
		     "<styleSheet xmlns=\"" NS_MAIN "\">"
		     "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[$-1010000]d/m/yyyy;@\"/>"
		     "<numFmt numFmtId=\"165\" formatCode=\"#,##0.00&quot; \xC4\x91&quot;\"/></numFmts>"
		     "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
		     "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
		     "<xf numFmtId=\"165\"/><xf numFmtId=\"49\"/></cellXfs>"
		     "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"166\" formatCode=\"yyyy\"/></dxf></dxfs>"
		     "</styleSheet>");
	zip_add_text(z, "xl/sharedStrings.xml", XML_HEAD
		     "<sst xmlns=\"" NS_MAIN "\" count=\"2\" uniqueCount=\"2\">"
		     "<si><t xml:space=\"preserve\"> Ph\xE1\xBA\xA1m &amp; Co </t></si>"
		     "<si><r><rPr><b/></rPr><t>\xC4\x90\xE1\xBB\x97 </t></r><r><t>Th\xE1\xBB\x8B</t></r>"
		     "<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si>"
		     "</sst>");
	zip_add_text(z, "xl/worksheets/sheet1.xml", XML_HEAD
		     "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
		     "<is><t>wrong sheet</t></is></c></row></sheetData></worksheet>");
	zip_add_text(z, "xl/worksheets/staff.xml", XML_HEAD
		     "<worksheet xmlns=\"" NS_MAIN "\">\n<sheetData>\n"
		     "<row r=\"2\" spans=\"1:6\">\n"
		     "  <c r=\"A2\" t=\"s\"><v>0</v></c>\n"
		     "  <c r=\"B2\" t=\"s\"><v>1</v></c>\n"
		     "  <c r=\"D2\" t=\"inlineStr\"><is><r><t>inline </t></r><r><t>rich</t></r></is></c>\n"
		     "</row>\n"
		     "<row r=\"3\"><c r=\"A3\"><v>7.9123456789E+10</v></c>"
		     "<c r=\"B3\" s=\"1\"><v>43831</v></c>"
		     "<c r=\"C3\" s=\"2\"><v>1234.5</v></c>"
		     "<c r=\"D3\" s=\"3\"><v>42</v></c>"
		     "<c r=\"E3\" t=\"e\"><v>#N/A</v></c>"
		     "<c r=\"F3\" t=\"b\"><v>0</v></c></row>\n"
		     "<row r=\"4\"><c r=\"A4\" t=\"str\"><f>A2</f><v> Ph\xE1\xBA\xA1m</v></c>"
		     "<c r=\"B4\" t=\"d\"><v>2024-03-05T00:00:00</v></c>"
		     "<c r=\"C4\"><v>1.5E-3</v></c><c r=\"D4\"><v>-0</v></c>"
		     "<c r=\"E4\" s=\"1\"/></row>\n"
		     "<row r=\"9\"><c r=\"B9\" s=\"1\"/></row>\n"
		     "<row><c><v>10</v></c><c><v>11</v></c></row>\n"
		     "</sheetData></worksheet>");
	if (zip_close(z) != 0)
		fail_msg("zip_close: %s", zip_strerror(z));
}

static void test_xlsx_other_producers_first_sheet_and_cell_kinds(void **state)
{
	const char *path = path_in(state, "libreoffice.xlsx");
	struct sheet *sh;

	write_handmade_xlsx(path);
	sh = open_ok(path);
	expect_row(sh, 2, 4, " Ph\xE1\xBA\xA1m & Co ", "\xC4\x90\xE1\xBB\x97 Th\xE1\xBB\x8B", "",
		   "inline rich");
	/* 43831 in the 1904 system is 2024-01-02. */
	expect_row(sh, 3, 6, "79123456789", "2024-01-02", "1234.5", "42", "#N/A", "FALSE");
	expect_row(sh, 4, 4, " Ph\xE1\xBA\xA1m", "2024-03-05", "0.0015", "0");
	expect_row(sh, 10, 2, "10", "11");
	expect_end_and_close(sh);
}

static void test_xlsx_without_workbook_uses_sheet1(void **state)
{
	const char *path = path_in(state, "bare.xlsx");
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	struct sheet *sh;

	assert_non_null(z);
	zip_add_text(z, "xl/worksheets/sheet1.xml", XML_HEAD
		     "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"1\">"
		     "<x:c r=\"B1\"><x:v>60</x:v></x:c><x:c r=\"C1\"><x:v>61</x:v></x:c>"
		     "</x:row></x:sheetData></x:worksheet>");
	assert_int_equal(zip_close(z), 0);
	sh = open_ok(path);
	expect_row(sh, 1, 3, "", "60", "61");
	expect_end_and_close(sh);
}

static void test_xlsx_damaged_xml_is_an_error(void **state)
{
	const char *path = path_in(state, "broken.xlsx");
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	struct sheet *sh;

	assert_non_null(z);
	zip_add_text(z, "xl/worksheets/sheet1.xml", XML_HEAD
		     "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>ok</t></is></c></row>"
		     "<row r=\"2\"><c t=\"s\"><v>5</v></c></row></sheetData></worksheet>");
	assert_int_equal(zip_close(z), 0);
	sh = open_ok(path);
	expect_row(sh, 1, 1, "ok");
	expect_next_error(sh, KYSO_EIO, "broken.xlsx");
	sheet_close(sh);
}

/* Files that cannot be read ------------------------------------------------------------ */

static void test_xls_file_is_refused_with_advice(void **state)
{
	const char *path = write_file(state, "old.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12);

	expect_open_error(path, KYSO_EINVAL, "save it as .xlsx or .csv");
}

static void test_xls_content_under_csv_name_is_refused(void **state)
{
	const char *path = write_file(state, "renamed.csv", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", 12);

	expect_open_error(path, KYSO_EINVAL, ".xls");
}

static void test_csv_utf16_is_refused_with_advice(void **state)
{
	const char *path = write_file(state, "unicode.txt", "\xFF\xFEn\0a\0m\0e\0\r\0\n\0", 14);

	expect_open_error(path, KYSO_EINVAL, "UTF-16");
}

static void test_text_named_xlsx_is_an_error(void **state)
{
	expect_open_error(write_text(state, "fake.xlsx", "name,email\n"), KYSO_EIO, "fake.xlsx");
}

static void test_missing_file_is_an_error(void **state)
{
	expect_open_error(path_in(state, "nowhere.csv"), KYSO_EIO, "nowhere.csv");
	expect_open_error(path_in(state, "nowhere.xlsx"), KYSO_EIO, "nowhere.xlsx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_semicolon_and_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_comma_when_header_has_more_commas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_tab_separated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoted_newline_keeps_line_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_crlf_and_blank_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_old_mac_line_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_empty_cells_kept_inside_dropped_at_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_nfd_text_passes_byte_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_unterminated_quote_is_an_error_with_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_empty_file_has_no_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_streams_many_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_text_numbers_and_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_found_by_content_without_extension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_other_producers_first_sheet_and_cell_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_without_workbook_uses_sheet1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx_damaged_xml_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xls_file_is_refused_with_advice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xls_content_under_csv_name_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_utf16_is_refused_with_advice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_named_xlsx_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_is_an_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
