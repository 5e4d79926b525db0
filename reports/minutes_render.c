/*
 * minutes_render.c - draws minutes from their resolved content (the JSON recorded in
 * document.content) with the DOCX engine.  The content holds every text; this file holds
 * only how each kind of paragraph is set.  Writing a document again from its record runs
 * this same code on the same JSON, so it must read nothing else: no store, no clock.
 *
 * Content, format 1:
 *   {"format": 1, "title": "...", "date": "YYYY-MM-DD",
 *    "label": ["Mẫu số 08", ...],
 *    "header": {"parent", "agency", "number", "nation", "motto", "place_date"},
 *    "blocks": [{"style": "title", "text": "..."},
 *               {"style": "party", "runs": [["Ông (bà): ", 0], ["Tên", 1]]},
 *               {"table": {"widths": [...], "align": [...], "head": [...], "rows": [[...]]}}],
 *    "signatures": [{"title", "note", "name"}], "recipients": ["- ..."],
 *    "confirm": {"title", "note", "name"}}
 */
#include <string.h>

#include "kyso/i18n.h"
#include "minutes_impl.h"

#define INDENT DOCX_MM(10) /* Decree 30: first-line indent 1 to 1.27 cm */
#define TABLE_SIZE DOCX_PT(12)

static const struct {
	const char *name;
	struct docx_para para;
} styles[] = {
	{ "label", { .align = DOCX_RIGHT, .flags = DOCX_BOLD, .size = DOCX_PT(13) } },
	{ "label_note", { .align = DOCX_RIGHT, .flags = DOCX_ITALIC, .size = DOCX_PT(12) } },
	/* Decree 30: the kind of document upper case and bold, its summary bold, centred. */
	{ "title", { .align = DOCX_CENTER, .flags = DOCX_BOLD, .before = 360, .keep_next = 1 } },
	{ "summary", { .align = DOCX_CENTER, .flags = DOCX_BOLD, .after = 240, .keep_next = 1 } },
	{ "basis", { .align = DOCX_BOTH, .flags = DOCX_ITALIC, .first_line = INDENT, .after = 60 } },
	{ "body", { .align = DOCX_BOTH, .first_line = INDENT, .before = 60, .after = 60 } },
	{ "party", { .align = DOCX_BOTH, .first_line = INDENT, .flags = DOCX_BOLD, .before = 60,
		     .keep_next = 1 } },
	{ "party_line", { .align = DOCX_LEFT, .left = 2 * INDENT, .keep_next = 1 } },
};

static const struct docx_para *style_of(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof styles / sizeof styles[0]; i++)
		if (!strcmp(styles[i].name, name))
			return &styles[i].para;
	return name && strcmp(name, "body") ? style_of("body") : &styles[0].para;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static void draw_paragraph(struct docx *d, json_t *block)
{
	const struct docx_para *p = style_of(json_string_value(json_object_get(block, "style")));
	json_t *runs = json_object_get(block, "runs");
	struct docx_run r[8];
	size_t i, n = 0;

	if (!json_is_array(runs)) {
		docx_text(d, p, str(block, "text"));
		return;
	}
	for (i = 0; i < json_array_size(runs) && n < 8; i++) {
		json_t *run = json_array_get(runs, i);

		r[n].text = json_string_value(json_array_get(run, 0));
		r[n].flags = (unsigned)json_integer_value(json_array_get(run, 1));
		r[n].size = 0;
		if (r[n].text)
			n++;
	}
	docx_para(d, p, r, n);
}

static enum docx_align align_of(const char *name)
{
	if (name && !strcmp(name, "center"))
		return DOCX_CENTER;
	if (name && !strcmp(name, "right"))
		return DOCX_RIGHT;
	return DOCX_LEFT;
}

static void draw_row(struct docx *d, json_t *cells, json_t *aligns, int is_header)
{
	size_t i;

	docx_row_begin(d, is_header);
	for (i = 0; i < json_array_size(cells); i++) {
		struct docx_para p = {
			.align = is_header ? DOCX_CENTER
					   : align_of(json_string_value(json_array_get(aligns, i))),
			.flags = is_header ? DOCX_BOLD : 0,
			.size = TABLE_SIZE,
			.before = 40,
			.after = 40,
		};

		docx_cell_begin(d, 1, DOCX_MIDDLE);
		docx_text(d, &p, json_string_value(json_array_get(cells, i)));
		docx_cell_end(d);
	}
	docx_row_end(d);
}

static void draw_table(struct docx *d, json_t *table)
{
	json_t *widths = json_object_get(table, "widths");
	json_t *aligns = json_object_get(table, "align");
	json_t *rows = json_object_get(table, "rows");
	int w[16];
	struct docx_table t = { .widths = w, .borders = 1 };
	size_t i;

	for (i = 0; i < json_array_size(widths) && i < 16; i++)
		w[i] = (int)json_integer_value(json_array_get(widths, i));
	t.ncols = i;
	docx_table_begin(d, &t);
	draw_row(d, json_object_get(table, "head"), aligns, 1);
	for (i = 0; i < json_array_size(rows); i++)
		draw_row(d, json_array_get(rows, i), aligns, 0);
	docx_table_end(d);
}

static void signature_of(json_t *o, struct docx_signature *s)
{
	s->title = json_string_value(json_object_get(o, "title"));
	s->note = json_string_value(json_object_get(o, "note"));
	s->name = json_string_value(json_object_get(o, "name"));
}

static void draw_foot(struct docx *d, json_t *c)
{
	json_t *signs = json_object_get(c, "signatures");
	json_t *recips = json_object_get(c, "recipients");
	struct docx_signature s[4], head;
	const char *r[16];
	size_t i, n;

	for (n = 0; n < json_array_size(signs) && n < 4; n++)
		signature_of(json_array_get(signs, n), &s[n]);
	/* Room between the last paragraph and the signatures. */
	docx_text(d, &(struct docx_para){ .after = 120 }, "");
	docx_signatures(d, s, n);
	docx_text(d, &(struct docx_para){ .before = 240 }, "");
	for (n = 0, i = 0; i < json_array_size(recips) && n < 16; i++)
		if ((r[n] = json_string_value(json_array_get(recips, i))))
			n++;
	signature_of(json_object_get(c, "confirm"), &head);
	docx_closing(d, r, n, head.title ? &head : NULL);
}

int minutes_render(json_t *c, unsigned char **bytes, size_t *len, struct kyso_err *err)
{
	json_t *h = json_object_get(c, "header"), *label = json_object_get(c, "label");
	json_t *blocks = json_object_get(c, "blocks");
	struct docx_meta meta = { .title = str(c, "title"), .created = str(c, "date") };
	struct docx_header_block hb = {
		.parent = str(h, "parent"), .agency = str(h, "agency"), .number = str(h, "number"),
		.nation = str(h, "nation"), .motto = str(h, "motto"),
		.place_date = str(h, "place_date"),
	};
	struct docx *d;
	size_t i;
	int rc;

	if (json_integer_value(json_object_get(c, "format")) != MINUTES_CONTENT_FORMAT ||
	    !json_is_object(h) || !json_is_array(blocks))
		return kyso_fail(err, KYSO_EIO, "%s",
				 _("the recorded content of these minutes cannot be read"));
	if (!(d = docx_new(&meta)))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	for (i = 0; i < json_array_size(label); i++)
		docx_text(d, style_of(i ? "label_note" : "label"),
			  json_string_value(json_array_get(label, i)));
	docx_header_block(d, &hb);
	for (i = 0; i < json_array_size(blocks); i++) {
		json_t *b = json_array_get(blocks, i), *table = json_object_get(b, "table");

		if (table)
			draw_table(d, table);
		else
			draw_paragraph(d, b);
	}
	draw_foot(d, c);
	rc = docx_render(d, bytes, len, err);
	docx_free(d);
	return rc;
}
