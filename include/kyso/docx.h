/*
 * docx.h - a small WordprocessingML writer (DOCX, zipped with libzip) for documents laid
 * out as Vietnamese administrative documents (Decree 30/2020/NĐ-CP, Appendix I; DOMAIN.md
 * §6): A4 portrait, margins 20/20/30/15 mm, Times New Roman, page numbers centred in the
 * top margin from page 2, the two-column header block (agency / national motto), tables,
 * signature blocks side by side, "Nơi nhận".
 *
 * It knows nothing of tokens or minutes: a caller builds a document from blocks
 * (paragraphs of runs, tables, the header block, signatures) and renders it.  The output
 * is deterministic: the same blocks give the same bytes (fixed entry order, time stamps
 * and compression; no "now" anywhere), so that a recorded document can be written again
 * and checked by its SHA-256.
 *
 * Building never fails on the spot: the first error (out of memory, text that is not
 * UTF-8, blocks out of order) is kept and reported by docx_render / docx_save.
 */
#ifndef KYSO_DOCX_H
#define KYSO_DOCX_H

#include <stddef.h>

#include "kyso/err.h"

/* Lengths are in twips (1/20 pt); sizes in half-points (Word's units). */
#define DOCX_MM(mm) ((int)((mm) * 1440.0 / 25.4 + 0.5))
#define DOCX_PT(pt) ((int)((pt) * 2))

/* A4 portrait with the Decree 30 margins: what is left for the text. */
#define DOCX_TEXT_WIDTH (DOCX_MM(210) - DOCX_MM(30) - DOCX_MM(15))

/* The national name and motto every administrative document carries (Decree 30). */
#define DOCX_NATION "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define DOCX_MOTTO "Độc lập - Tự do - Hạnh phúc"

enum docx_align { DOCX_LEFT, DOCX_CENTER, DOCX_RIGHT, DOCX_BOTH };

/* Run flags. */
enum { DOCX_BOLD = 1, DOCX_ITALIC = 2, DOCX_UNDERLINE = 4 };

/* How a paragraph is set.  Zero is "the document's default" for every field. */
struct docx_para {
	enum docx_align align;
	int first_line;		/* first-line indent, twips */
	int left, right;	/* indents, twips */
	int before, after;	/* space before and after, twips */
	int line;		/* line spacing in 240ths of a line (240: single) */
	int size;		/* default size of its runs, half-points */
	unsigned flags;		/* default flags of its runs (DOCX_BOLD, ...) */
	int keep_next;		/* keep with the next paragraph on one page */
};

/* A run of text: "\n" breaks the line, "\t" is a tab.  flags and size add to (flags) or
 * replace (size, when non-zero) the paragraph's. */
struct docx_run {
	const char *text;
	unsigned flags;
	int size;
};

/* What the package says about itself (docProps/core.xml).  created is the document's own
 * date (YYYY-MM-DD), never the time it was written, so that writing it again gives the
 * same bytes. */
struct docx_meta {
	const char *title;
	const char *created;
	int font_size;		/* body text, half-points; 0: 14 pt */
};

struct docx;

/* A new, empty document; NULL when out of memory.  meta's strings are copied. */
struct docx *docx_new(const struct docx_meta *meta);
void docx_free(struct docx *d);

/* A paragraph of n runs. */
void docx_para(struct docx *d, const struct docx_para *p, const struct docx_run *runs,
	       size_t n);

/* A paragraph of one run set as the paragraph says. */
void docx_text(struct docx *d, const struct docx_para *p, const char *text);

/* Tables.  A cell holds paragraphs (an empty one when none is given).  widths are the
 * columns' widths in twips; span joins that many columns into one cell. */
struct docx_table {
	const int *widths;
	size_t ncols;
	int borders;		/* 1: single lines around every cell */
	int cell_margin;	/* left and right padding in twips; 0: Word's 108 */
};
enum docx_valign { DOCX_TOP, DOCX_MIDDLE, DOCX_BOTTOM };

void docx_table_begin(struct docx *d, const struct docx_table *t);
/* is_header: the row repeats at the top of every page the table runs onto. */
void docx_row_begin(struct docx *d, int is_header);
void docx_cell_begin(struct docx *d, int span, enum docx_valign valign);
void docx_cell_end(struct docx *d);
void docx_row_end(struct docx *d);
void docx_table_end(struct docx *d);

/* The header block (Decree 30): on the left the parent body (upper case; may be NULL)
 * over the issuing agency (upper case, bold) with a short rule under it, then the number
 * line ("Số: 05/BB-SNNMT"); on the right the national name (bold) over the motto (bold)
 * with a rule as long as it, then the place and date in italic.  Texts are written as
 * given: the caller upper-cases what the decree wants upper case. */
struct docx_header_block {
	const char *parent, *agency, *number;
	const char *nation, *motto, *place_date;
};
void docx_header_block(struct docx *d, const struct docx_header_block *h);

/* A signature block: the role or authority (upper case, bold; "\n" for a second line),
 * the note under it in italic ("(Ký, ghi rõ họ tên)"), room to sign, the full name
 * (bold).  NULL fields are left out (the room to sign stays). */
struct docx_signature {
	const char *title, *note, *name;
};

/* n signature blocks side by side, in equal columns. */
void docx_signatures(struct docx *d, const struct docx_signature *s, size_t n);

/* The foot of a document: "Nơi nhận:" and its entries (bold italic 12 pt over 11 pt) at
 * the bottom left, the signature block at the bottom right.  recipients may be empty. */
void docx_closing(struct docx *d, const char *const *recipients, size_t nrecipients,
		  const struct docx_signature *sig);

/* The DOCX file as bytes (caller frees *bytes).  The same document gives the same bytes. */
int docx_render(struct docx *d, unsigned char **bytes, size_t *len, struct kyso_err *err);

/* Renders d and writes it to path through a temporary file (outfile.h); a file there
 * already is not replaced. */
int docx_save(struct docx *d, const char *path, struct kyso_err *err);

#endif
