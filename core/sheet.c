/*
 * sheet.c - reads the officer's spreadsheet one row at a time: chooses the format (CSV,
 * or the first worksheet of an XLSX file) and hands rows out.  The readers are
 * sheet_csv.c (libcsv) and sheet_xlsx.c (libzip and expat).
 *
 * Both readers stream: memory does not grow with the number of rows.  Cells come back as
 * the file has them: checking them, UTF-8 included, is the caller's job.  Nothing here
 * prints or exits.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kyso/i18n.h"
#include "sheet_impl.h"

/* Growable storage ------------------------------------------------------------------ */

/* Makes room for need items of size bytes in the array whose pointer is at pp.
 * Returns 0, or -1 (the array untouched) when memory runs out. */
int sheet_grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void *p, *q;
	size_t n;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -1;
		n *= 2;
	}
	memcpy(&p, pp, sizeof p);
	q = realloc(p, n * size);
	if (!q)
		return -1;
	memcpy(pp, &q, sizeof q);
	*cap = n;
	return 0;
}


int sheet_text_put(struct text *t, const char *s, size_t n)
{
	if (n > SIZE_MAX - t->len - 1 || sheet_grow(&t->s, &t->cap, t->len + n + 1, 1))
		return -1;
	if (n)
		memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

void sheet_text_clear(struct text *t)
{
	t->len = 0;
	if (t->s)
		t->s[0] = '\0';
}


int sheet_row_add(struct row *r, const char *s, size_t n)
{
	if (sheet_grow(&r->starts, &r->starts_cap, r->count + 1, sizeof *r->starts))
		return -1;
	r->starts[r->count] = r->bytes.len;
	if (sheet_text_put(&r->bytes, s, n))
		return -1;
	r->bytes.len++; /* keep the NUL */
	r->count++;
	return 0;
}

void sheet_row_reset(struct row *r)
{
	r->bytes.len = 0;
	r->count = 0;
}

int sheet_row_is_blank(const struct row *r)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->bytes.s[r->starts[i]] != '\0')
			return 0;
	return 1;
}

void sheet_row_free(struct row *r)
{
	free(r->bytes.s);
	free(r->starts);
}

int sheet_no_memory(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

int sheet_emit(struct sheet *sh, const struct row *r, char ***cells, size_t *ncells,
		      long *line, struct kyso_err *err)
{
	size_t n = r->count;

	while (n > 0 && r->bytes.s[r->starts[n - 1]] == '\0')
		n--;
	if (sheet_grow(&sh->cells, &sh->cells_cap, n + 1, sizeof *sh->cells))
		return sheet_no_memory(err);
	for (size_t i = 0; i < n; i++)
		sh->cells[i] = r->bytes.s + r->starts[i];
	sh->cells[n] = NULL;
	*cells = sh->cells;
	*ncells = n;
	*line = r->line;
	return 1;
}

/* Choosing the format ---------------------------------------------------------------- */

static const char *extension_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');

	return dot ? dot + 1 : "";
}

/* Old binary Excel files (and .xls renamed .csv) start with the OLE2 signature. */
static int is_ole2(const unsigned char *head, size_t n)
{
	return n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

static int fail_xls(const char *path, struct kyso_err *err)
{
	return kyso_fail(err, KYSO_EINVAL,
			 _("%s: this is an old Excel file (.xls); open it in Excel or LibreOffice and save it as .xlsx or .csv"),
			 path);
}

/* Decides the format from the extension, else the first bytes, and opens the reader. */
static int sheet_start_reading(struct sheet *sh, struct kyso_err *err)
{
	const char *ext = extension_of(sh->path);
	unsigned char head[8];
	size_t n;
	FILE *f;

	if (strcasecmp(ext, "xls") == 0)
		return fail_xls(sh->path, err);
	if (strcasecmp(ext, "ods") == 0)
		return kyso_fail(err, KYSO_EINVAL,
				 _("%s: OpenDocument spreadsheets (.ods) cannot be read; save it as .xlsx or .csv"),
				 sh->path);
	f = fopen(sh->path, "rb");
	if (!f)
		return kyso_fail(err, KYSO_EIO, _("%s: cannot open (%s)"), sh->path,
				 kyso_strerror(errno));
	n = fread(head, 1, sizeof head, f);
	if (ferror(f) || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return kyso_fail(err, KYSO_EIO, _("%s: cannot read the file"), sh->path);
	}
	if (is_ole2(head, n)) {
		fclose(f);
		return fail_xls(sh->path, err);
	}
	if (strcasecmp(ext, "xlsx") == 0 || strcasecmp(ext, "xlsm") == 0 ||
	    (strcasecmp(ext, "csv") != 0 && strcasecmp(ext, "txt") != 0 &&
	     strcasecmp(ext, "tsv") != 0 && n >= 4 && memcmp(head, "PK\3\4", 4) == 0)) {
		fclose(f);
		sh->format = SHEET_XLSX;
		return sheet_xlsx_open(sh, err);
	}
	sh->format = SHEET_CSV;
	return sheet_csv_open(sh, f, err);
}

/* Public ----------------------------------------------------------------------------- */

int sheet_open(const char *path, struct sheet **out, struct kyso_err *err)
{
	struct sheet *sh;
	int rc;

	*out = NULL;
	sh = calloc(1, sizeof *sh);
	if (!sh)
		return sheet_no_memory(err);
	sh->path = strdup(path);
	if (!sh->path) {
		free(sh);
		return sheet_no_memory(err);
	}
	rc = sheet_start_reading(sh, err);
	if (rc < 0) {
		sheet_close(sh);
		return rc;
	}
	*out = sh;
	return 0;
}

int sheet_next(struct sheet *sh, char ***cells, size_t *ncells, long *line,
	       struct kyso_err *err)
{
	int rc;

	*cells = NULL;
	*ncells = 0;
	*line = 0;
	if (sh->failed)
		return kyso_fail(err, sh->failed, _("%s: reading stopped at an earlier error"),
				 sh->path);
	if (sh->format == SHEET_CSV)
		rc = sheet_csv_next(sh, cells, ncells, line, err);
	else
		rc = sheet_xlsx_next(sh, cells, ncells, line, err);
	if (rc < 0)
		sh->failed = rc;
	return rc;
}

void sheet_close(struct sheet *sh)
{
	if (!sh)
		return;
	if (sh->format == SHEET_CSV)
		sheet_csv_close(&sh->csv);
	else
		sheet_xlsx_close(&sh->x);
	free(sh->cells);
	free(sh->path);
	free(sh);
}
