/*
 * docx.c - the WordprocessingML writer (docx.h): blocks are turned into the XML of
 * word/document.xml as they come, and docx_render zips the parts with libzip in memory.
 *
 * Determinism is the point of several choices here, so that a recorded document written
 * again gives the same SHA-256: the parts go in one fixed order, each with the same
 * compression and the same DOS time stamp (a constant, set as DOS fields so that the
 * time zone cannot move it), and the only date in the package is the document's own.
 * Nothing here reads the clock, the store or the terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "kyso/docx.h"
#include "kyso/i18n.h"
#include "kyso/outfile.h"
#include "kyso/text.h"

/* Decree 30/2020, Appendix I: A4 portrait; top and bottom 20 mm, left 30 mm, right 15 mm;
 * the page number sits in the top margin, so the header starts 10 mm from the edge. */
#define PAGE_W DOCX_MM(210)
#define PAGE_H DOCX_MM(297)
#define MARGIN_TOP DOCX_MM(20)
#define MARGIN_BOTTOM DOCX_MM(20)
#define MARGIN_LEFT DOCX_MM(30)
#define MARGIN_RIGHT DOCX_MM(15)
#define HEADER_DIST DOCX_MM(10)

/* The header block's columns: the agency's side and the motto's side, which must hold
 * "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in 12 pt bold on one line. */
#define HEAD_LEFT 3780
#define HEAD_RIGHT (DOCX_TEXT_WIDTH - HEAD_LEFT)
/* The rule under the motto is as long as the motto in 13 pt bold (about 62 mm); the one
 * under the agency a third of its column, centred (Decree 30's "đường kẻ ngang"). */
#define MOTTO_WIDTH DOCX_MM(62)

/* A constant time stamp for every part: 1980-01-01 00:00, the first a ZIP can hold. */
#define ZIP_DOS_DATE ((0 << 9) | (1 << 5) | 1)
#define ZIP_DOS_TIME 0

#define MAX_COLS 16

struct buf {
	char *s;
	size_t len, cap;
};

struct docx {
	struct buf body;
	char *title, *created;
	int font_size;
	struct kyso_err err;	/* the first error, kept until rendering (err.code 0: none) */
	/* where the builder is inside a table */
	int in_table, in_row, in_cell, cell_paras;
	int widths[MAX_COLS];
	size_t ncols, col;
	int after_table;	/* the last block was a table */
};

/* Building ---------------------------------------------------------------------------- */

static void fail(struct docx *d, int code, const char *msg)
{
	if (!d->err.code)
		kyso_fail(&d->err, code, "%s", msg);
}

static void put_len(struct docx *d, const char *s, size_t n)
{
	struct buf *b = &d->body;

	if (d->err.code)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->s, cap))) {
			fail(d, KYSO_ENOMEM, _("out of memory"));
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void put(struct docx *d, const char *s)
{
	put_len(d, s, strlen(s));
}

static void putf(struct docx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct docx *d, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		fail(d, KYSO_EIO, "docx: markup too long");
	else
		put_len(d, tmp, (size_t)n);
}

/* XML text: the five markup characters escaped, control characters XML 1.0 cannot hold
 * dropped.  Line breaks and tabs are made runs' elements by put_run_text. */
static void put_escaped(struct docx *d, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default:
			if (c < 0x20)
				rep = "";
		}
		if (rep) {
			put_len(d, s + start, i - start);
			put(d, rep);
			start = i + 1;
		}
	}
	put_len(d, s + start, n - start);
}

static int check_text(struct docx *d, const char *s)
{
	if (s && !text_is_utf8(s)) {
		fail(d, KYSO_EINVAL, _("the document's text is not valid UTF-8"));
		return -1;
	}
	return 0;
}

static void put_run_text(struct docx *d, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n\t");

		if (n) {
			put(d, "<w:t xml:space=\"preserve\">");
			put_escaped(d, s, n);
			put(d, "</w:t>");
		}
		s += n;
		if (*s == '\n')
			put(d, "<w:br/>");
		else if (*s == '\t')
			put(d, "<w:tab/>");
		if (*s)
			s++;
	}
}

static void put_rpr(struct docx *d, unsigned flags, int size)
{
	if (!flags && !size)
		return;
	put(d, "<w:rPr>");
	if (flags & DOCX_BOLD)
		put(d, "<w:b/><w:bCs/>");
	if (flags & DOCX_ITALIC)
		put(d, "<w:i/><w:iCs/>");
	if (size)
		putf(d, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", size, size);
	if (flags & DOCX_UNDERLINE)
		put(d, "<w:u w:val=\"single\"/>");
	put(d, "</w:rPr>");
}

static const char *align_name(enum docx_align a)
{
	switch (a) {
	case DOCX_CENTER: return "center";
	case DOCX_RIGHT: return "right";
	case DOCX_BOTH: return "both";
	default: return "left";
	}
}

/* The paragraph's properties; border_top draws a rule above it (the header block's). */
static void put_ppr(struct docx *d, const struct docx_para *p, int border_top)
{
	put(d, "<w:pPr>");
	if (p->keep_next)
		put(d, "<w:keepNext/>");
	if (border_top)
		put(d, "<w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" "
		       "w:color=\"000000\"/></w:pBdr>");
	if (p->before || p->after || p->line)
		putf(d, "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"%d\" w:lineRule=\"auto\"/>",
		     p->before, p->after, p->line ? p->line : 240);
	if (p->left || p->right || p->first_line)
		putf(d, "<w:ind w:left=\"%d\" w:right=\"%d\" w:firstLine=\"%d\"/>", p->left,
		     p->right, p->first_line);
	putf(d, "<w:jc w:val=\"%s\"/>", align_name(p->align));
	put_rpr(d, p->flags, p->size);
	put(d, "</w:pPr>");
}

static int para_allowed(struct docx *d)
{
	if (d->in_table && !d->in_cell) {
		fail(d, KYSO_EIO, "docx: a paragraph inside a table but outside a cell");
		return 0;
	}
	if (d->in_cell)
		d->cell_paras++;
	else
		d->after_table = 0;
	return 1;
}

static void para_bordered(struct docx *d, const struct docx_para *p,
			  const struct docx_run *runs, size_t n, int border_top)
{
	size_t i;

	if (!para_allowed(d))
		return;
	put(d, "<w:p>");
	put_ppr(d, p, border_top);
	for (i = 0; i < n; i++) {
		if (!runs[i].text || check_text(d, runs[i].text))
			continue;
		put(d, "<w:r>");
		put_rpr(d, p->flags | runs[i].flags, runs[i].size ? runs[i].size : p->size);
		put_run_text(d, runs[i].text);
		put(d, "</w:r>");
	}
	put(d, "</w:p>");
}

void docx_para(struct docx *d, const struct docx_para *p, const struct docx_run *runs,
	       size_t n)
{
	para_bordered(d, p, runs, n, 0);
}

void docx_text(struct docx *d, const struct docx_para *p, const char *text)
{
	struct docx_run r = { .text = text };

	para_bordered(d, p, &r, text ? 1 : 0, 0);
}

/* Tables ------------------------------------------------------------------------------ */

static void put_borders(struct docx *d, int on)
{
	static const char *const sides[] = { "top", "left", "bottom", "right", "insideH",
					     "insideV" };
	size_t i;

	put(d, "<w:tblBorders>");
	for (i = 0; i < sizeof sides / sizeof sides[0]; i++)
		if (on)
			putf(d, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
			     sides[i]);
		else
			putf(d, "<w:%s w:val=\"nil\"/>", sides[i]);
	put(d, "</w:tblBorders>");
}

void docx_table_begin(struct docx *d, const struct docx_table *t)
{
	int total = 0, margin = t->cell_margin ? t->cell_margin : 108;
	size_t i;

	if (d->in_table || t->ncols == 0 || t->ncols > MAX_COLS) {
		fail(d, KYSO_EIO, "docx: tables cannot nest and have 1 to 16 columns");
		return;
	}
	/* Word joins two tables that touch into one: a small paragraph keeps them apart. */
	if (d->after_table)
		put(d, "<w:p><w:pPr><w:rPr><w:sz w:val=\"8\"/></w:rPr></w:pPr></w:p>");
	d->in_table = 1;
	d->ncols = t->ncols;
	for (i = 0; i < t->ncols; i++) {
		d->widths[i] = t->widths[i];
		total += t->widths[i];
	}
	putf(d, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>",
	     total);
	put_borders(d, t->borders);
	putf(d, "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"%d\" w:type=\"dxa\"/>"
		"<w:right w:w=\"%d\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
	     margin, margin);
	for (i = 0; i < t->ncols; i++)
		putf(d, "<w:gridCol w:w=\"%d\"/>", t->widths[i]);
	put(d, "</w:tblGrid>");
}

void docx_row_begin(struct docx *d, int is_header)
{
	if (!d->in_table || d->in_row) {
		fail(d, KYSO_EIO, "docx: a row outside a table");
		return;
	}
	d->in_row = 1;
	d->col = 0;
	/* A row never splits across pages: a token's line stays whole. */
	put(d, is_header ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
			 : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
}

void docx_cell_begin(struct docx *d, int span, enum docx_valign valign)
{
	static const char *const valigns[] = { "top", "center", "bottom" };
	int width = 0, i;

	if (span < 1)
		span = 1;
	if (!d->in_row || d->in_cell || d->col + (size_t)span > d->ncols) {
		fail(d, KYSO_EIO, "docx: a cell outside a row, or past its last column");
		return;
	}
	for (i = 0; i < span; i++)
		width += d->widths[d->col + (size_t)i];
	d->col += (size_t)span;
	d->in_cell = 1;
	d->cell_paras = 0;
	putf(d, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
	if (span > 1)
		putf(d, "<w:gridSpan w:val=\"%d\"/>", span);
	putf(d, "<w:vAlign w:val=\"%s\"/></w:tcPr>", valigns[valign]);
}

void docx_cell_end(struct docx *d)
{
	if (!d->in_cell) {
		fail(d, KYSO_EIO, "docx: the end of a cell that was not begun");
		return;
	}
	/* A cell without a paragraph is invalid WordprocessingML. */
	if (!d->cell_paras)
		put(d, "<w:p/>");
	put(d, "</w:tc>");
	d->in_cell = 0;
}

void docx_row_end(struct docx *d)
{
	if (!d->in_row || d->in_cell || d->col != d->ncols) {
		fail(d, KYSO_EIO, "docx: a row ended before its cells fill it");
		return;
	}
	put(d, "</w:tr>");
	d->in_row = 0;
}

void docx_table_end(struct docx *d)
{
	if (!d->in_table || d->in_row) {
		fail(d, KYSO_EIO, "docx: the end of a table that was not begun");
		return;
	}
	put(d, "</w:tbl>");
	d->in_table = 0;
	d->after_table = 1;
}

/* The blocks of a Vietnamese administrative document --------------------------------- */

static void centred(struct docx *d, const char *text, unsigned flags, int size, int before)
{
	struct docx_para p = { .align = DOCX_CENTER, .flags = flags, .size = size,
			       .before = before };

	docx_text(d, &p, text);
}

/* A rule of the header block: an empty two-point paragraph with a line above it. */
static void rule(struct docx *d, int column, int length)
{
	int indent = (column - length) / 2;
	struct docx_para p = { .align = DOCX_CENTER, .size = 4, .left = indent, .right = indent,
			       .line = 240 };

	para_bordered(d, &p, NULL, 0, 1);
}

void docx_header_block(struct docx *d, const struct docx_header_block *h)
{
	static const int widths[] = { HEAD_LEFT, HEAD_RIGHT };
	struct docx_table t = { .widths = widths, .ncols = 2, .cell_margin = 57 };

	docx_table_begin(d, &t);
	docx_row_begin(d, 0);
	docx_cell_begin(d, 1, DOCX_TOP);
	if (h->parent && *h->parent)
		centred(d, h->parent, 0, DOCX_PT(13), 0);
	centred(d, h->agency, DOCX_BOLD, DOCX_PT(13), 0);
	rule(d, HEAD_LEFT, HEAD_LEFT / 3);
	centred(d, h->number, 0, DOCX_PT(13), 60);
	docx_cell_end(d);
	docx_cell_begin(d, 1, DOCX_TOP);
	centred(d, h->nation, DOCX_BOLD, DOCX_PT(12), 0);
	centred(d, h->motto, DOCX_BOLD, DOCX_PT(13), 0);
	rule(d, HEAD_RIGHT, MOTTO_WIDTH);
	centred(d, h->place_date, DOCX_ITALIC, DOCX_PT(13), 60);
	docx_cell_end(d);
	docx_row_end(d);
	docx_table_end(d);
}

/* One signature block inside the current cell. */
static void signature(struct docx *d, const struct docx_signature *s)
{
	int i;

	/* Decree 30: the authority and title upper case, bold, 13 to 14 pt. */
	centred(d, s->title, DOCX_BOLD, DOCX_PT(13), 0);
	if (s->note)
		centred(d, s->note, DOCX_ITALIC, DOCX_PT(13), 0);
	/* Room to sign and seal. */
	for (i = 0; i < 4; i++)
		centred(d, "", 0, 0, 0);
	centred(d, s->name, DOCX_BOLD, 0, 0);
}

void docx_signatures(struct docx *d, const struct docx_signature *s, size_t n)
{
	int widths[MAX_COLS];
	struct docx_table t = { .widths = widths, .ncols = n };
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n && i < MAX_COLS; i++)
		widths[i] = DOCX_TEXT_WIDTH / (int)n;
	docx_table_begin(d, &t);
	docx_row_begin(d, 0);
	for (i = 0; i < n; i++) {
		docx_cell_begin(d, 1, DOCX_TOP);
		signature(d, &s[i]);
		docx_cell_end(d);
	}
	docx_row_end(d);
	docx_table_end(d);
}

void docx_closing(struct docx *d, const char *const *recipients, size_t nrecipients,
		  const struct docx_signature *sig)
{
	static const int widths[] = { DOCX_TEXT_WIDTH * 38 / 100,
				      DOCX_TEXT_WIDTH - DOCX_TEXT_WIDTH * 38 / 100 };
	struct docx_table t = { .widths = widths, .ncols = 2, .cell_margin = 57 };
	struct docx_para label = { .flags = DOCX_BOLD | DOCX_ITALIC, .size = DOCX_PT(12) };
	struct docx_para entry = { .size = DOCX_PT(11) };
	size_t i;

	docx_table_begin(d, &t);
	docx_row_begin(d, 0);
	docx_cell_begin(d, 1, DOCX_TOP);
	if (nrecipients) {
		docx_text(d, &label, "Nơi nhận:");
		for (i = 0; i < nrecipients; i++)
			docx_text(d, &entry, recipients[i]);
	}
	docx_cell_end(d);
	docx_cell_begin(d, 1, DOCX_TOP);
	if (sig)
		signature(d, sig);
	docx_cell_end(d);
	docx_row_end(d);
	docx_table_end(d);
}

/* The package ----------------------------------------------------------------------------- */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

static const char content_types[] =
	XML_DECL
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" "
	"ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML "document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML "styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML "settings+xml\"/>"
	"<Override PartName=\"/word/header1.xml\" ContentType=\"" CT_WML "header+xml\"/>"
	"<Override PartName=\"/word/header2.xml\" ContentType=\"" CT_WML "header+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" "
	"ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char package_rels[] =
	XML_DECL
	"<Relationships xmlns=\"" NS_PKG_REL "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" "
	"Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" NS_PKG_REL "/metadata/core-properties\" "
	"Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" NS_R "/extended-properties\" "
	"Target=\"docProps/app.xml\"/>"
	"</Relationships>";

static const char document_rels[] =
	XML_DECL
	"<Relationships xmlns=\"" NS_PKG_REL "\">"
	"<Relationship Id=\"rId1\" Type=\"" NS_R "/styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" NS_R "/settings\" Target=\"settings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" NS_R "/header\" Target=\"header1.xml\"/>"
	"<Relationship Id=\"rId4\" Type=\"" NS_R "/header\" Target=\"header2.xml\"/>"
	"</Relationships>";

static const char app_xml[] =
	XML_DECL
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>kyso</Application></Properties>";

static const char settings_xml[] =
	XML_DECL
	"<w:settings xmlns:w=\"" NS_W "\">"
	"<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
	"<w:characterSpacingControl w:val=\"doNotCompress\"/>"
	"<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
	"w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"</w:settings>";

/* Page numbers: centred in the top margin (Decree 30); the first page has its own, empty
 * header (titlePg), so numbering shows from page 2. */
static const char header_page[] =
	XML_DECL
	"<w:hdr xmlns:w=\"" NS_W "\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
	"<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
	"<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
	"<w:r><w:t>2</w:t></w:r>"
	"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>";

static const char header_first[] =
	XML_DECL "<w:hdr xmlns:w=\"" NS_W "\"><w:p/></w:hdr>";

/* Times New Roman everywhere (TCVN 6909:2001 Unicode), Vietnamese, black, single spacing. */
static char *styles_xml(int size)
{
	static const char fmt[] =
		XML_DECL
		"<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
		"<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
		"w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
		"<w:color w:val=\"000000\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
		"<w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>"
		"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
		"<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
		"</w:pPr></w:pPrDefault></w:docDefaults>"
		"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
		"<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
		"<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
		"<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>"
		"<w:semiHidden/><w:unhideWhenUsed/></w:style>"
		"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
		"<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
		"<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
		"<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
		"<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
		"</w:tblCellMar></w:tblPr></w:style>"
		"</w:styles>";
	char *s = NULL;

	if (asprintf(&s, fmt, size, size) < 0)
		return NULL;
	return s;
}

static char *core_xml(struct docx *d)
{
	struct docx tmp = { 0 };
	char *s;

	put(&tmp, XML_DECL "<cp:coreProperties "
		  "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
		  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		  "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	put_escaped(&tmp, d->title, strlen(d->title));
	put(&tmp, "</dc:title><dc:creator>kyso</dc:creator><dc:language>vi-VN</dc:language>");
	if (*d->created) {
		put(&tmp, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
		put_escaped(&tmp, d->created, strlen(d->created));
		put(&tmp, "T00:00:00Z</dcterms:created>");
	}
	put(&tmp, "</cp:coreProperties>");
	s = tmp.body.s;
	if (tmp.err.code) {
		free(s);
		return NULL;
	}
	return s;
}

static char *document_xml(struct docx *d)
{
	struct docx tmp = { 0 };

	put(&tmp, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
	put_len(&tmp, d->body.s ? d->body.s : "", d->body.len);
	/* The body ends with a paragraph, as Word writes it. */
	if (d->after_table)
		put(&tmp, "<w:p/>");
	putf(&tmp, "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId3\"/>"
		   "<w:headerReference w:type=\"first\" r:id=\"rId4\"/>"
		   "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>", PAGE_W, PAGE_H);
	putf(&tmp, "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" "
		   "w:header=\"%d\" w:footer=\"%d\" w:gutter=\"0\"/>",
	     MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT, HEADER_DIST, HEADER_DIST);
	put(&tmp, "<w:titlePg/></w:sectPr></w:body></w:document>");
	if (tmp.err.code) {
		free(tmp.body.s);
		return NULL;
	}
	return tmp.body.s;
}

/* Adds one part; takes data (a malloc'd string, or a constant when owned is 0). */
static int add_part(zip_t *za, const char *name, char *data, int owned)
{
	zip_source_t *src;
	zip_int64_t idx;

	if (!data)
		return -1;
	src = zip_source_buffer(za, data, strlen(data), owned);
	if (!src) {
		if (owned)
			free(data);
		return -1;
	}
	idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return -1;
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) != 0 ||
	    zip_file_set_dostime(za, (zip_uint64_t)idx, ZIP_DOS_TIME, ZIP_DOS_DATE, 0) != 0)
		return -1;
	return 0;
}

static int add_parts(zip_t *za, struct docx *d)
{
	/* The order is fixed: the same document gives the same bytes. */
	if (add_part(za, "[Content_Types].xml", (char *)content_types, 0) ||
	    add_part(za, "_rels/.rels", (char *)package_rels, 0) ||
	    add_part(za, "docProps/app.xml", (char *)app_xml, 0) ||
	    add_part(za, "docProps/core.xml", core_xml(d), 1) ||
	    add_part(za, "word/_rels/document.xml.rels", (char *)document_rels, 0) ||
	    add_part(za, "word/document.xml", document_xml(d), 1) ||
	    add_part(za, "word/styles.xml", styles_xml(d->font_size), 1) ||
	    add_part(za, "word/settings.xml", (char *)settings_xml, 0) ||
	    add_part(za, "word/header1.xml", (char *)header_page, 0) ||
	    add_part(za, "word/header2.xml", (char *)header_first, 0))
		return -1;
	return 0;
}

/* The bytes an in-memory source holds after the archive was closed on it. */
static int source_bytes(zip_source_t *src, unsigned char **bytes, size_t *len)
{
	zip_int64_t n;

	if (zip_source_open(src) < 0)
		return -1;
	if (zip_source_seek(src, 0, SEEK_END) < 0 || (n = zip_source_tell(src)) < 0 ||
	    zip_source_seek(src, 0, SEEK_SET) < 0)
		goto fail;
	*bytes = malloc(n ? (size_t)n : 1);
	if (!*bytes)
		goto fail;
	if (zip_source_read(src, *bytes, (zip_uint64_t)n) != n) {
		free(*bytes);
		*bytes = NULL;
		goto fail;
	}
	*len = (size_t)n;
	zip_source_close(src);
	return 0;
fail:
	zip_source_close(src);
	return -1;
}

/* Why libzip failed, in the interface's language (its own words are English).  The
 * archive is made in memory: it fails for want of memory, else on an error of ours. */
static const char *zip_reason(zip_error_t *ze)
{
	if (zip_error_code_zip(ze) == ZIP_ER_MEMORY)
		return _("out of memory");
	if (zip_error_system_type(ze) == ZIP_ET_SYS)
		return kyso_strerror(zip_error_code_system(ze));
	return _("the archive library refused the content");
}

int docx_render(struct docx *d, unsigned char **bytes, size_t *len, struct kyso_err *err)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	int rc = 0;

	*bytes = NULL;
	*len = 0;
	if (d->err.code)
		return kyso_fail(err, d->err.code, "%s", d->err.msg);
	if (d->in_table)
		return kyso_fail(err, KYSO_EIO, "%s", _("making the DOCX file: a table was not ended"));
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze))) {
		rc = kyso_fail(err, KYSO_EIO, _("making the DOCX file: %s"), zip_reason(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	zip_source_keep(src); /* the archive's close must not free what it wrote */
	if (!(za = zip_open_from_source(src, ZIP_TRUNCATE, &ze))) {
		rc = kyso_fail(err, KYSO_EIO, _("making the DOCX file: %s"), zip_reason(&ze));
		goto out;
	}
	if (add_parts(za, d) != 0) {
		rc = kyso_fail(err, KYSO_EIO, _("making the DOCX file: %s"),
			       zip_reason(zip_get_error(za)));
		zip_discard(za);
		goto out;
	}
	if (zip_close(za) != 0) {
		rc = kyso_fail(err, KYSO_EIO, _("making the DOCX file: %s"),
			       zip_reason(zip_get_error(za)));
		zip_discard(za);
		goto out;
	}
	if (source_bytes(src, bytes, len) != 0)
		rc = kyso_fail(err, KYSO_EIO, _("making the DOCX file: %s"),
			       zip_reason(zip_source_error(src)));
out:
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

/* Files ----------------------------------------------------------------------------- */

int docx_save(struct docx *d, const char *path, struct kyso_err *err)
{
	struct outfile o;
	unsigned char *bytes;
	size_t len;
	int rc;

	if ((rc = docx_render(d, &bytes, &len, err)) != 0)
		return rc;
	if ((rc = outfile_open(&o, NULL, path, 0, err)) == 0) {
		rc = outfile_write(&o, bytes, len, err);
		rc = rc ? outfile_discard(&o, rc) : outfile_commit(&o, err);
	}
	free(bytes);
	return rc;
}

/* Life ---------------------------------------------------------------------------- */

struct docx *docx_new(const struct docx_meta *meta)
{
	struct docx *d = calloc(1, sizeof *d);

	if (!d)
		return NULL;
	d->title = strdup(meta && meta->title ? meta->title : "");
	d->created = strdup(meta && meta->created ? meta->created : "");
	d->font_size = meta && meta->font_size ? meta->font_size : DOCX_PT(14);
	if (!d->title || !d->created) {
		docx_free(d);
		return NULL;
	}
	check_text(d, d->title);
	return d;
}

void docx_free(struct docx *d)
{
	if (!d)
		return;
	free(d->body.s);
	free(d->title);
	free(d->created);
	free(d);
}
