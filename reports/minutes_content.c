/*
 * minutes_content.c - fills a kind's definition (minutes_forms.c) with what was gathered
 * into the document's full content: the JSON that minutes_render.c draws and the
 * register keeps, with every text resolved (upper case where Decree 30 wants it, dates
 * "ngày 05 tháng 02 năm 2026" in the text and dd/mm/yyyy in the table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/text.h"
#include "doc_words.h"
#include "minutes_impl.h"

static int oom(struct kyso_err *err)
{
	return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
}

char *minutes_fill(const char *tmpl, json_t *vars, const char *role, const char *blank,
		   int *keep, char unknown[64])
{
	char *text = NULL, key[64];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *p = tmpl;
	int ok = f != NULL;

	if (keep)
		*keep = 1;
	while (ok && *p) {
		const char *close, *name, *v;
		json_t *value = NULL;
		int cond;

		if (*p != '{' || !(close = strchr(p, '}'))) {
			ok = fputc(*p++, f) != EOF;
			continue;
		}
		cond = p[1] == '?';
		name = p + 1 + cond;
		if ((size_t)(close - name) >= sizeof key - 16) {
			ok = 0;
			break;
		}
		if (role) {
			snprintf(key, sizeof key, "%s_%.*s", role, (int)(close - name), name);
			value = json_object_get(vars, key);
		}
		if (!value) {
			snprintf(key, sizeof key, "%.*s", (int)(close - name), name);
			value = json_object_get(vars, key);
		}
		if (!value) {
			if (unknown)
				snprintf(unknown, 64, "%s", key);
			ok = 0;
			break;
		}
		v = json_string_value(value);
		if (cond) {
			if ((!v || !*v) && keep)
				*keep = 0;
		} else {
			ok = fputs(v && *v ? v : blank, f) != EOF;
		}
		p = close + 1;
	}
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok) {
		free(text);
		return NULL;
	}
	return text;
}

static int setv(json_t *vars, const char *key, const char *value)
{
	return json_object_set_new(vars, key,
				   value && *value ? json_string(value) : json_null());
}

static int set_person(json_t *vars, const char *role, const struct minutes_person *p)
{
	char key[64];
	int rc = 0;

	snprintf(key, sizeof key, "%s_name", role);
	rc |= setv(vars, key, p->name);
	snprintf(key, sizeof key, "%s_position", role);
	rc |= setv(vars, key, p->position);
	snprintf(key, sizeof key, "%s_unit", role);
	rc |= setv(vars, key, p->unit);
	return rc;
}

/* The variables of the document (minutes_forms.c names them). */
static json_t *document_vars(const struct minutes_gather *g, const struct minutes_form *f,
			     const char *number)
{
	const struct agency *a = &g->agency;
	const struct minutes_item *it = &g->items[0];
	const struct minutes_step *s = &it->step;
	json_t *v = json_object();
	char dl[40], lost[40], shown[11], count[24], *head = text_upper(a->head_position);
	int rc = !v, handed = 1;
	size_t i;

	for (i = 0; i < g->n; i++)
		handed &= g->items[i].step.password_handed == 1;
	snprintf(count, sizeof count, "%02zu", g->n);
	rc = rc || setv(v, "number", number) || setv(v, "date_long", doc_date_words(g->date, dl)) ||
	     setv(v, "date", date_display(g->date, shown)) || setv(v, "count", count) ||
	     setv(v, "agency", a->name) || setv(v, "recipient", a->recipient) ||
	     setv(v, "head_name", a->head_name) || setv(v, "head_title", head) ||
	     setv(v, "designation_ref", s->ref) ||
	     setv(v, "designated_by", s->authorised_by ? s->authorised_by : a->head_name) ||
	     setv(v, "notice_ref", g->kind == MINUTES_RETURN ? s->ref : NULL) ||
	     setv(v, "lost_date_long", doc_date_words(s->on_date, lost)) ||
	     setv(v, "lost_place", s->place) || setv(v, "circumstances", s->circumstances) ||
	     setv(v, "discovered", s->discovered) ||
	     setv(v, "password_handed", handed ? "1" : NULL) ||
	     setv(v, "password_not_handed", handed ? NULL : "1") ||
	     set_person(v, f->parties[0].role, &it->first) ||
	     set_person(v, f->parties[1].role, &it->second);
	free(head);
	if (rc) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* Fills tmpl and appends it to arr as a paragraph of style (or a bare string when style
 * is NULL); skipped when a "{?var}" had no value.  -1 on a failure (err filled). */
static int add_text(json_t *arr, const char *style, const char *tmpl, json_t *vars,
		    const char *role, struct kyso_err *err)
{
	char unknown[64] = "", *text;
	int keep, rc;

	if (!tmpl)
		return 0;
	if (!(text = minutes_fill(tmpl, vars, role, MINUTES_BLANK, &keep, unknown)))
		return *unknown ? kyso_fail(err, KYSO_EIO, "minutes: \"{%s}\" is not a variable",
					    unknown)
				: oom(err);
	if (!keep)
		rc = 0;
	else if (style)
		rc = json_array_append_new(arr, json_pack("{s:s,s:s}", "style", style, "text", text));
	else
		rc = json_array_append_new(arr, json_string(text));
	free(text);
	return rc ? oom(err) : 0;
}

static int add_lines(json_t *arr, const char *style, const char *const *lines, json_t *vars,
		     struct kyso_err *err)
{
	int rc;

	for (; lines && *lines; lines++)
		if ((rc = add_text(arr, style, *lines, vars, NULL, err)))
			return rc;
	return 0;
}

/* A row's variables: the document's and the token's. */
static json_t *row_vars(const struct minutes_gather *g, const struct minutes_form *f, json_t *doc,
			size_t i, struct kyso_err *err)
{
	const struct minutes_item *it = &g->items[i];
	const struct minutes_terms *t = f->terms;
	json_t *v = json_deep_copy(doc);
	char no[24], na[11], ro[11], *state = NULL, *cond = NULL, *note = NULL;
	const char *state_tmpl = NULL;
	int rc;

	snprintf(no, sizeof no, "%zu", i + 1);
	rc = !v || setv(v, "no", no) || setv(v, "subscriber", it->t.subscriber_name) ||
	     setv(v, "token_serial", it->t.serial) || setv(v, "cert_serial", it->cert_serial) ||
	     setv(v, "cert_not_after", it->cert_not_after ? date_display(it->cert_not_after, na)
							 : NULL) ||
	     setv(v, "cert_revoked_on", it->cert_revoked_on
						? date_display(it->cert_revoked_on, ro)
						: NULL) ||
	     setv(v, "reason", minutes_reason_text(f->form_set, it->step.reason)) ||
	     setv(v, "step_note", it->step.note);
	if (!rc && it->cert_state) {
		if (!strcmp(it->cert_state, "revoked"))
			state_tmpl = t->cert_revoked;
		else if (!strcmp(it->cert_state, "expired"))
			state_tmpl = t->cert_expired;
		else
			state_tmpl = t->cert_valid;
		rc = !(state = minutes_fill(state_tmpl, v, NULL, "", NULL, NULL));
	}
	rc = rc || setv(v, "cert_state", state) ||
	     !(cond = minutes_fill(f->condition, v, NULL, "", NULL, NULL)) ||
	     setv(v, "condition", cond);
	/* The note: the certificate's state, then what the step noted. */
	if (!rc && it->step.note && *it->step.note &&
	    asprintf(&note, "%s%s%s", state ? state : "", state ? "; " : "", it->step.note) < 0)
		note = NULL, rc = 1;
	rc = rc || setv(v, "note", note ? note : state);
	free(state);
	free(cond);
	free(note);
	if (rc) {
		json_decref(v);
		oom(err);
		return NULL;
	}
	return v;
}

static int add_table(json_t *blocks, const struct minutes_gather *g, const struct minutes_form *f,
		     json_t *doc, struct kyso_err *err)
{
	static const char *const aligns[] = { "left", "center", "right", "left" };
	const struct minutes_terms *t = f->terms;
	json_t *widths = json_array(), *align = json_array(), *head = json_array();
	json_t *rows = json_array(), *table;
	size_t i, c;
	int rc = 0;

	for (c = 0; c < t->ncolumns; c++)
		rc |= json_array_append_new(widths, json_integer(t->columns[c].width)) |
		      json_array_append_new(align, json_string(aligns[t->columns[c].align])) |
		      json_array_append_new(head, json_string(t->columns[c].header));
	for (i = 0; !rc && i < g->n; i++) {
		json_t *v = row_vars(g, f, doc, i, err), *row = json_array();

		if (!v) {
			json_decref(row);
			rc = -1;
			break;
		}
		for (c = 0; !rc && c < t->ncolumns; c++) {
			char *cell = minutes_fill(t->columns[c].cell, v, NULL, "", NULL, NULL);

			rc = !cell || json_array_append_new(row, json_string(cell));
			free(cell);
		}
		json_decref(v);
		rc = rc || json_array_append_new(rows, row);
	}
	table = json_pack("{s:{s:o,s:o,s:o,s:o}}", "table", "widths", widths, "align", align,
			  "head", head, "rows", rows);
	if (rc || !table) {
		json_decref(table);
		return err->code ? err->code : oom(err);
	}
	return json_array_append_new(blocks, table) ? oom(err) : 0;
}

static json_t *sign_json(const struct minutes_sign *s, json_t *vars)
{
	char *title = minutes_fill(s->title, vars, NULL, MINUTES_BLANK, NULL, NULL);
	char *note = s->note ? minutes_fill(s->note, vars, NULL, "", NULL, NULL) : NULL;
	char *name = minutes_fill(s->name, vars, NULL, "", NULL, NULL);
	json_t *o = title && name ? json_pack("{s:s,s:s?,s:s}", "title", title, "note", note,
					      "name", name)
				  : NULL;

	free(title);
	free(note);
	free(name);
	return o;
}

static int add_parties(json_t *blocks, const struct minutes_form *f, json_t *vars,
		       struct kyso_err *err)
{
	const struct minutes_party *p;
	int rc;

	for (p = f->parties; p->role; p++) {
		const char *const *line;

		if ((rc = add_text(blocks, "party", p->label, vars, NULL, err)))
			return rc;
		for (line = f->terms->party_lines; *line; line++)
			if ((rc = add_text(blocks, "party_line", *line, vars, p->role, err)))
				return rc;
	}
	return 0;
}

static int add_body(json_t *c, const struct minutes_gather *g, const struct minutes_form *f,
		    json_t *vars, struct kyso_err *err)
{
	json_t *blocks = json_array(), *label = json_array();
	int rc;

	if (!blocks || json_object_set_new(c, "blocks", blocks) || !label ||
	    json_object_set_new(c, "label", label))
		return oom(err);
	if ((rc = add_lines(label, NULL, f->label, vars, err)) ||
	    (rc = add_text(blocks, "title", f->title, vars, NULL, err)) ||
	    (rc = add_text(blocks, "summary", f->summary, vars, NULL, err)) ||
	    (rc = add_lines(blocks, "basis", f->basis, vars, err)) ||
	    (rc = add_text(blocks, "body", f->opening, vars, NULL, err)) ||
	    (rc = add_parties(blocks, f, vars, err)) ||
	    (rc = add_lines(blocks, "body", f->body, vars, err)) ||
	    (rc = add_table(blocks, g, f, vars, err)) ||
	    (rc = add_lines(blocks, "body", f->closing, vars, err)))
		return rc;
	return 0;
}

static int add_foot(json_t *c, const struct minutes_form *f, json_t *vars,
		    struct kyso_err *err)
{
	json_t *signs = json_array(), *recips = json_array(), *confirm;
	const struct minutes_sign *s;
	int rc = !signs || json_object_set_new(c, "signatures", signs) || !recips ||
		 json_object_set_new(c, "recipients", recips);

	for (s = f->signs; !rc && s->title; s++)
		rc = json_array_append_new(signs, sign_json(s, vars));
	confirm = rc ? NULL : sign_json(&f->confirm, vars);
	if (rc || !confirm || json_object_set_new(c, "confirm", confirm))
		return oom(err);
	return add_lines(recips, NULL, f->recipients, vars, err);
}

static json_t *header_json(const struct minutes_gather *g, const char *number)
{
	const struct agency *a = &g->agency;
	char *parent = text_upper(a->parent_body), *agency = text_upper(a->name), *num = NULL;
	char *place_date = NULL, dl[40];
	json_t *h = NULL;

	if (asprintf(&num, "Số: %s", number) >= 0 &&
	    asprintf(&place_date, "%s, %s", a->place && *a->place ? a->place : MINUTES_BLANK,
		     doc_date_words(g->date, dl)) >= 0)
		h = json_pack("{s:s?,s:s?,s:s,s:s,s:s,s:s}", "parent", parent, "agency", agency,
			      "number", num, "nation", DOCX_NATION, "motto", DOCX_MOTTO,
			      "place_date", place_date);
	free(parent);
	free(agency);
	free(num);
	free(place_date);
	return h;
}

/* The whole content of the document, every text resolved. */
json_t *minutes_content(const struct minutes_gather *g, const struct minutes_form *f,
			const char *number, const char *place, struct kyso_err *err)
{
	json_t *c = json_object(), *vars = document_vars(g, f, number), *serials = json_array();
	const struct agency *a = &g->agency;
	size_t i;
	int rc;

	rc = !c || !vars || !serials ||
	     setv(vars, "place", place && *place ? place : a->address ? a->address : a->name) ||
	     json_object_set_new(c, "format", json_integer(MINUTES_CONTENT_FORMAT)) ||
	     json_object_set_new(c, "kind", json_string(minutes_doc_kind(g->kind))) ||
	     json_object_set_new(c, "form_set", json_string(f->form_set)) ||
	     json_object_set_new(c, "form", f->form ? json_string(f->form) : json_null()) ||
	     json_object_set_new(c, "title", json_string(f->name)) ||
	     json_object_set_new(c, "date", json_string(g->date)) ||
	     json_object_set_new(c, "header", header_json(g, number));
	for (i = 0; !rc && i < g->n; i++)
		rc = json_array_append_new(serials, json_string(g->items[i].t.serial));
	rc = rc || json_object_set(c, "tokens", serials);
	if (rc)
		rc = oom(err);
	if (!rc)
		rc = add_body(c, g, f, vars, err);
	if (!rc)
		rc = add_foot(c, f, vars, err);
	json_decref(vars);
	json_decref(serials);
	if (rc) {
		json_decref(c);
		return NULL;
	}
	return c;
}
