/*
 * import.c - the agency's roster from a CSV or XLSX file (see kyso/import.h).
 *
 * One transaction for the whole file.  Rows are streamed: memory does not grow with the
 * number of rows.  A row is matched to an active subscriber by citizen ID or e-mail; a row
 * that names one subscriber by ID and another by e-mail, that repeats an earlier row of
 * the same file, or that names a departed subscriber is rejected with the reason.  A dry
 * run does all the work and rolls it back, so its report is exactly what a real import
 * would do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/agency.h"
#include "kyso/audit.h"
#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/hash.h"
#include "kyso/import.h"
#include "kyso/sheet.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"

#define KIND_COLUMN (-2) /* a column that holds the kind of subscriber */
#define IGNORE_COLUMN (-1)
#define MAX_COLUMNS 256

/* Header names officers write, folded (no diacritics, lower case), and the field each
 * fills.  "-" marks columns that are read past on purpose (row numbers). */
static const struct {
	const char *header;
	const char *field;
} headers[] = {
	{ "stt", "-" }, { "tt", "-" }, { "so tt", "-" }, { "no", "-" }, { "no.", "-" },
	{ "ho va ten", "name" }, { "ho ten", "name" }, { "ten", "name" },
	{ "ho va ten thue bao", "name" }, { "ten thue bao", "name" }, { "full name", "name" },
	{ "name", "name" }, { "ten co quan, to chuc", "name" }, { "ten to chuc", "name" },
	{ "ten co quan", "name" }, { "ten thiet bi, dich vu, phan mem", "name" },
	{ "ten thiet bi", "name" }, { "ten dich vu", "name" },
	{ "so cccd", "id_number" }, { "cccd", "id_number" }, { "so cmnd", "id_number" },
	{ "cmnd", "id_number" }, { "so cccd/cmnd", "id_number" }, { "cccd/cmnd", "id_number" },
	{ "so can cuoc", "id_number" }, { "so can cuoc cong dan", "id_number" },
	{ "can cuoc cong dan", "id_number" }, { "so dinh danh", "id_number" },
	{ "so dinh danh ca nhan", "id_number" }, { "citizen id", "id_number" },
	{ "id number", "id_number" },
	{ "ngay cap", "id_issued_on" }, { "ngay cap cccd", "id_issued_on" },
	{ "issued on", "id_issued_on" }, { "id issued on", "id_issued_on" },
	{ "noi cap", "id_issued_by" }, { "issued by", "id_issued_by" },
	{ "id issued by", "id_issued_by" },
	{ "ngay sinh", "birth_date" }, { "ngay, thang, nam sinh", "birth_date" },
	{ "ngay thang nam sinh", "birth_date" }, { "date of birth", "birth_date" },
	{ "birth date", "birth_date" },
	{ "chuc vu", "position" }, { "chuc danh", "position" }, { "position", "position" },
	{ "title", "position" },
	{ "don vi", "unit" }, { "don vi cong tac", "unit" }, { "phong ban", "unit" },
	{ "phong, ban", "unit" }, { "co quan cong tac", "unit" }, { "unit", "unit" },
	{ "department", "unit" },
	{ "email", "email" }, { "e-mail", "email" }, { "thu dien tu", "email" },
	{ "dia chi thu dien tu", "email" }, { "email cong vu", "email" },
	{ "thu cong vu", "email" }, { "dia chi email", "email" }, { "mail", "email" },
	{ "dien thoai", "phone" }, { "so dien thoai", "phone" }, { "sdt", "phone" },
	{ "so dt", "phone" }, { "dien thoai di dong", "phone" }, { "so di dong", "phone" },
	{ "di dong", "phone" }, { "phone", "phone" }, { "mobile", "phone" },
	{ "dia chi", "address" }, { "address", "address" },
	{ "ma so thue", "tax_code" }, { "mst", "tax_code" }, { "tax code", "tax_code" },
	{ "ma quan he ngan sach", "budget_code" }, { "ma qhns", "budget_code" },
	{ "ma so quan he ngan sach", "budget_code" }, { "budget code", "budget_code" },
	{ "ten mien", "identifier" }, { "ten mien/dinh danh", "identifier" },
	{ "dinh danh", "identifier" }, { "identifier", "identifier" }, { "domain", "identifier" },
	{ "muc dich", "purpose" }, { "muc dich su dung", "purpose" }, { "purpose", "purpose" },
	{ "co quan chu quan", "owner" }, { "don vi chu quan", "owner" }, { "owner", "owner" },
	{ "owning body", "owner" },
	{ "ghi chu", "note" }, { "note", "note" }, { "notes", "note" },
	/* When the subscriber's history starts (issue 11.6): reports of periods before kyso
	 * was set up count it from then. */
	{ "ngay cap chung thu", "since" }, { "ngay cap chung thu so", "since" },
	{ "ngay cap chung thu chu ky so", "since" }, { "tu ngay", "since" },
	{ "ngay bat dau", "since" }, { "ngay bat dau su dung", "since" },
	{ "su dung tu ngay", "since" }, { "since", "since" }, { "in service since", "since" },
	{ "loai", "kind" }, { "loai thue bao", "kind" }, { "doi tuong", "kind" },
	{ "kind", "kind" }, { "type", "kind" },
};

/* Folded header with decorations dropped: "Số CCCD (*):" -> "so cccd". */
static char *header_key(const char *header)
{
	char *fold = text_fold(header), *clean, *p, *end;

	if (!fold)
		return NULL;
	if ((p = strchr(fold, '(')) && p > fold)
		*p = '\0';
	for (p = fold; *p; p++)
		if (*p == '_' || *p == '\n' || *p == '\r')
			*p = ' ';
	clean = text_clean(fold);
	free(fold);
	if (!clean)
		return NULL;
	end = clean + strlen(clean);
	while (end > clean && strchr(":*. ", end[-1]))
		*--end = '\0';
	return clean;
}

const char *import_header_field(const char *header)
{
	char *key = header_key(header);
	const char *field = NULL;
	size_t i;

	if (!key)
		return NULL;
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (!strcmp(key, headers[i].header)) {
			field = headers[i].field;
			break;
		}
	if (!field && subscriber_field_from_name(key) >= 0)
		field = subscriber_field_name((enum subscriber_field)subscriber_field_from_name(key));
	free(key);
	return field;
}

void import_result_free(struct import_result *res)
{
	kyso_problems_free(&res->problems);
}

/* Column -> field (or KIND_COLUMN / IGNORE_COLUMN), from the header row and --map. */
struct layout {
	int field[MAX_COLUMNS];
	char *header[MAX_COLUMNS];
	size_t ncols;
};

static void layout_free(struct layout *l)
{
	size_t i;

	for (i = 0; i < l->ncols; i++)
		free(l->header[i]);
}

static int map_field(const char *field)
{
	if (!strcmp(field, "-"))
		return IGNORE_COLUMN;
	if (!strcmp(field, "kind"))
		return KIND_COLUMN;
	return subscriber_field_from_name(field);
}

static int read_layout(char **cells, size_t n, const struct import_options *opt,
		       struct layout *l, struct import_result *res)
{
	size_t i, j, used = 0;
	int seen[SF_COUNT] = { 0 }, bad = 0;

	memset(l, 0, sizeof(*l));
	if (n > MAX_COLUMNS)
		n = MAX_COLUMNS;
	l->ncols = n;
	for (i = 0; i < n; i++) {
		const char *field = NULL;
		char *clean = text_clean(cells[i]);

		l->header[i] = clean ? clean : strdup(cells[i]);
		l->field[i] = IGNORE_COLUMN;
		for (j = 0; j < opt->nmaps; j++) {
			char *a = header_key(opt->maps[j].column), *b = header_key(cells[i]);
			int hit = a && b && !strcmp(a, b);

			free(a);
			free(b);
			if (hit) {
				field = opt->maps[j].field;
				break;
			}
		}
		if (!field)
			field = import_header_field(cells[i]);
		if (field) {
			int f = map_field(field);

			if (f == IGNORE_COLUMN && strcmp(field, "-")) {
				kyso_problems_add(&res->problems, 1, l->header[i],
						  _("--map names an unknown field \"%s\""), field);
				bad = 1;
				continue;
			}
			if (f >= 0 && seen[f]) {
				kyso_problems_add(&res->problems, 1, l->header[i],
						  _("a second column for \"%s\"; use --map \"%s=-\" to leave one out"),
						  subscriber_field_label((enum subscriber_field)f),
						  l->header[i]);
				bad = 1;
				continue;
			}
			if (f >= 0)
				seen[f] = 1;
			l->field[i] = f;
			if (f != IGNORE_COLUMN)
				used++;
			else
				continue;
		} else if (*l->header[i]) {
			size_t len = strlen(res->ignored);

			snprintf(res->ignored + len, sizeof(res->ignored) - len, "%s\"%s\"",
				 len ? ", " : "", l->header[i]);
		}
	}
	for (j = 0; j < opt->nmaps; j++) {
		int found = 0;

		for (i = 0; i < n && !found; i++) {
			char *a = header_key(opt->maps[j].column), *b = header_key(cells[i]);

			found = a && b && !strcmp(a, b);
			free(a);
			free(b);
		}
		if (!found) {
			kyso_problems_add(&res->problems, 1, opt->maps[j].column, "%s",
					  _("--map names a column the file does not have"));
			bad = 1;
		}
	}
	if (!seen[SF_NAME]) {
		kyso_problems_add(&res->problems, 1, "",
				  _("no column for the name (\"Họ và tên\"); name it with --map \"COLUMN=name\""));
		bad = 1;
	}
	(void)used;
	return bad ? KYSO_EINVAL : 0;
}

/* Units named in the file, as met: few per agency, so a short list is enough. */
#define UNIT_CACHE 256

struct unit_seen {
	char *name;
	long long id;
};

struct importer {
	struct unit_seen units[UNIT_CACHE];
	size_t nunits;
	struct kyso_db *db;
	const struct import_options *opt;
	struct import_result *res;
	struct layout layout;
	char *domain;
	char today[11];
	long long batch;
	import_row_fn fn;
	void *ctx;
};

/* Fills s from a row.  Returns 0 when the row has nothing in the columns read. */
static int row_to_subscriber(struct importer *im, char **cells, size_t n, long line,
			     struct subscriber *s, struct kyso_problems *p)
{
	size_t i;
	int any = 0;

	subscriber_init(s);
	for (i = 0; i < n && i < im->layout.ncols; i++) {
		int f = im->layout.field[i];
		const char *v = cells[i];

		if (f == IGNORE_COLUMN || !v || !*v)
			continue;
		if (f == KIND_COLUMN) {
			enum subscriber_kind k;

			any = 1;
			if (subscriber_kind_parse(v, &k))
				kyso_problems_add(p, line, im->layout.header[i],
						  _("\"%s\" is not a kind of subscriber (Cá nhân, Tổ chức, Thiết bị)"),
						  v);
			else
				s->kind = k;
			continue;
		}
		char **slot = subscriber_field_slot(s, (enum subscriber_field)f);
		if (!slot)
			continue;
		/* An apostrophe before = + - @ is how a spreadsheet (and kyso's export) keeps
		 * such a cell from running as a formula: it is not part of the text. */
		if (v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]))
			v++;
		*slot = strdup(v);
		any = 1;
	}
	if (!any)
		return 0;
	subscriber_normalise(s);
	return 1;
}

/* Replaces in old the fields the row gives (a blank cell leaves the stored value). */
static void merge(struct subscriber *old, struct subscriber *row, int kind_given)
{
	size_t i;

	if (kind_given)
		old->kind = row->kind;
	for (i = 0; i < SF_COUNT; i++) {
		char **from = subscriber_field_slot(row, (enum subscriber_field)i);
		char **to = subscriber_field_slot(old, (enum subscriber_field)i);

		if (!from || !*from || !**from)
			continue;
		free(*to);
		*to = *from;
		*from = NULL;
	}
}

static int has_kind_column(const struct layout *l)
{
	size_t i;

	for (i = 0; i < l->ncols; i++)
		if (l->field[i] == KIND_COLUMN)
			return 1;
	return 0;
}

/* Has an earlier row of this file already matched subscriber id?  Sets *row. */
static int seen_before(struct importer *im, const struct subscriber_hit *hit, long *row,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (hit->import_id == im->batch) {
		*row = hit->import_row;
		return 1;
	}
	if (db_cached(im->db, "SELECT row FROM temp.import_seen WHERE id = ?", &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, hit->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*row = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW;
}

static int remember(struct importer *im, long long id, long line, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_cached(im->db, "INSERT OR IGNORE INTO temp.import_seen(id, row) VALUES (?, ?)", &st,
		      err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, line);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(im->db, err, _("import"));
}

static char *import_detail(long long batch, long line, const char *changes)
{
	char *text = NULL;

	/* Built by hand: it runs once per row of a large file. */
	if (asprintf(&text, "{\"import\":%lld,\"row\":%ld%s%s}", batch, line,
		     changes ? ",\"changes\":" : "", changes ? changes : "") < 0)
		return NULL;
	return text;
}

/* Sets s->unit_id from the unit named in the row, adding the unit when it is new.
 * Returns 1 when the name was refused (a problem was added). */
static int find_unit(struct importer *im, struct subscriber *s, long line,
		     struct kyso_problems *p, struct kyso_err *err)
{
	size_t i;
	int rc, added;

	for (i = 0; i < im->nunits; i++)
		if (!strcmp(im->units[i].name, s->unit)) {
			s->unit_id = im->units[i].id;
			return 0;
		}
	if ((rc = unit_ensure_tx(im->db, s->unit, &s->unit_id, &added, err))) {
		if (rc != KYSO_EINVAL)
			return rc;
		kyso_problems_add(p, line, subscriber_field_label(SF_UNIT), "%s", err->msg);
		return 1;
	}
	im->res->units_added += added;
	if (im->nunits < UNIT_CACHE && (im->units[im->nunits].name = strdup(s->unit)))
		im->units[im->nunits++].id = s->unit_id;
	return 0;
}

#define FIELD_BIT(f) (1u << (f))

/* The fields of subscriber id changed in kyso since an import last wrote them, as
 * FIELD_BITs: a hand edit marks a field, an import that writes it clears the mark. */
static int edited_fields(struct importer *im, long long id, unsigned *mask,
			 struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*mask = 0;
	if (db_cached(im->db,
		      "SELECT e.kind = 'subscriber.edited', j.key FROM event e,"
		      " json_each(e.detail, CASE e.kind WHEN 'subscriber.import_updated'"
		      "  THEN '$.changes' ELSE '$' END) j"
		      " WHERE e.subscriber_id = ?1 AND json_valid(e.detail)"
		      "  AND e.kind IN ('subscriber.edited', 'subscriber.import_updated')"
		      "  AND e.id > coalesce((SELECT max(id) FROM event WHERE subscriber_id = ?1"
		      "   AND kind = 'subscriber.imported'), 0)"
		      " ORDER BY e.id",
		      &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 1);
		int f = key ? subscriber_field_from_name(key) : -1;

		if (f < 0)
			continue;
		if (sqlite3_column_int(st, 0))
			*mask |= FIELD_BIT(f);
		else
			*mask &= ~FIELD_BIT(f);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(im->db, err, _("import"));
}

/* The file's values that were not written over an officer's edit. */
struct kept {
	unsigned fields;	  /* FIELD_BITs */
	long count;
	char *value[SF_COUNT];	  /* the file's value of each kept field */
	enum subscriber_kind kind;
};

static void kept_free(struct kept *k)
{
	for (int f = 0; f < SF_COUNT; f++)
		free(k->value[f]);
}

static const char *field_text(const struct subscriber *s, int f)
{
	char **slot = subscriber_field_slot((struct subscriber *)s, (enum subscriber_field)f);

	if (f == SF_KIND)
		return subscriber_kind_name(s->kind);
	return slot && !text_is_blank(*slot) ? *slot : NULL;
}

static int differs(const char *a, const char *b)
{
	return (a || b) && (!a || !b || strcmp(a, b));
}

static int is_picked(const struct import_options *opt, long long id, int f)
{
	for (size_t i = 0; i < opt->npicks; i++)
		if (opt->picks[i].id == id && opt->picks[i].field == f)
			return 1;
	return opt->overwrite_edits;
}

/* Puts back in merged the stored value of each field edited in kyso that the row would
 * change, unless the officer lets the file overwrite it; the file's value goes to k. */
static void keep_edits(struct importer *im, const struct subscriber *old,
		       struct subscriber *merged, unsigned edited, struct kept *k)
{
	for (int f = 0; f < SF_COUNT; f++) {
		char **slot;

		if (!(edited & FIELD_BIT(f)) || !differs(field_text(old, f), field_text(merged, f)) ||
		    is_picked(im->opt, old->id, f))
			continue;
		k->fields |= FIELD_BIT(f);
		k->count++;
		if (f == SF_KIND) {
			k->kind = merged->kind;
			merged->kind = old->kind;
			continue;
		}
		slot = subscriber_field_slot(merged, (enum subscriber_field)f);
		k->value[f] = *slot;
		*slot = field_text(old, f) ? strdup(field_text(old, f)) : NULL;
		if (f == SF_UNIT)
			merged->unit_id = old->unit_id;
	}
}

/* Tells opt->on_change, in field order, what the row changes and what it keeps. */
static int report_changes(struct importer *im, long line, const struct subscriber *old,
			  const struct subscriber *merged, unsigned edited, const struct kept *k,
			  struct kyso_err *err)
{
	if (!im->opt->on_change)
		return 0;
	for (int f = 0; f < SF_COUNT; f++) {
		int kept = (k->fields & FIELD_BIT(f)) != 0;
		struct import_change c = { .row = line, .id = old->id, .field = f,
					   .old_value = field_text(old, f),
					   .new_value = field_text(merged, f),
					   .edited_here = (edited & FIELD_BIT(f)) != 0,
					   .applied = !kept };

		if (kept)
			c.new_value = f == SF_KIND ? subscriber_kind_name(k->kind) : k->value[f];
		else if (f == SF_UNIT ? old->unit_id == merged->unit_id
				      : !differs(c.old_value, c.new_value))
			continue;
		if (im->opt->on_change(&c, im->ctx))
			return kyso_fail(err, KYSO_EIO, _("import stopped"));
	}
	return 0;
}

/* Decides what one row does and does it.  Problems go to p; *action says the outcome. */
static int import_row(struct importer *im, struct subscriber *s, long line,
		      struct kyso_problems *p, enum import_action *action, long long *id,
		      struct kyso_err *err)
{
	struct subscriber_hit by_id, by_email;
	const struct subscriber_hit *hit = NULL;
	char shown[11], *detail = NULL, *changes = NULL;
	struct subscriber old;
	unsigned edited = 0;
	long earlier = 0;
	int rc;

	*action = IMPORT_REJECTED;
	*id = 0;
	subscriber_init(&old);
	if ((rc = subscriber_find_by(im->db, 0, s->id_number, &by_id, err)) ||
	    (rc = subscriber_find_by(im->db, 1, s->email, &by_email, err)))
		return rc;
	if (by_id.id && by_email.id && by_id.id != by_email.id) {
		kyso_problems_add(p, line, subscriber_field_label(SF_EMAIL),
				  _("the citizen ID is subscriber #%lld's but the e-mail is #%lld's"),
				  by_id.id, by_email.id);
		return 0;
	}
	hit = by_id.id ? &by_id : by_email.id ? &by_email : NULL;
	if (!hit && (by_id.departed_id || by_email.departed_id)) {
		const struct subscriber_hit *d = by_id.departed_id ? &by_id : &by_email;

		kyso_problems_add(p, line, subscriber_field_label(d == &by_id ? SF_ID_NUMBER : SF_EMAIL),
				  _("belongs to subscriber #%lld, who departed on %s; not added again"),
				  d->departed_id, date_display(d->departed_on, shown));
		return 0;
	}
	if (hit) {
		int seen = seen_before(im, hit, &earlier, err);

		if (seen < 0)
			return KYSO_EIO;
		if (seen) {
			kyso_problems_add(p, line, subscriber_field_label(hit == &by_id ? SF_ID_NUMBER
										     : SF_EMAIL),
					  _("repeats row %ld of this file"), earlier);
			return 0;
		}
	}
	if (!hit) {
		/* Fields first: a refused row must not leave a new unit behind. */
		if (subscriber_check_fields(s, im->domain, im->today, line, p))
			return 0;
		if (s->unit && *s->unit && (rc = find_unit(im, s, line, p, err)))
			return rc > 0 ? 0 : rc;
		s->import_id = im->batch;
		s->import_row = line;
		detail = import_detail(im->batch, line, NULL);
		rc = subscriber_insert_tx(im->db, s, EVENT_SUBSCRIBER_IMPORTED, detail, err);
		free(detail);
		if (rc)
			return rc;
		*action = IMPORT_ADDED;
		*id = s->id;
		return 0;
	}
	if ((rc = subscriber_get(im->db, hit->id, &old, err)) ||
	    (rc = edited_fields(im, hit->id, &edited, err)))
		goto out;
	{
		struct subscriber merged;
		struct kept kept = { 0 };
		int unit_given = s->unit && *s->unit;

		subscriber_init(&merged);
		if ((rc = subscriber_get(im->db, hit->id, &merged, err)))
			goto out;
		merge(&merged, s, has_kind_column(&im->layout));
		keep_edits(im, &old, &merged, edited, &kept);
		if (subscriber_check_fields(&merged, im->domain, im->today, line, p))
			goto done;
		/* The row's unit name is now merged's: its id follows, the unit made if new. */
		if (unit_given && !(kept.fields & FIELD_BIT(SF_UNIT)) &&
		    (rc = find_unit(im, &merged, line, p, err))) {
			rc = rc > 0 ? 0 : rc;
			goto done;
		}
		*id = hit->id;
		if ((rc = report_changes(im, line, &old, &merged, edited, &kept, err)))
			goto done;
		im->res->edits_kept += kept.count;
		changes = subscriber_changes(&old, &merged);
		if (!changes) {
			*action = IMPORT_UNCHANGED;
			rc = remember(im, hit->id, line, err);
			goto done;
		}
		merged.import_id = im->batch;
		merged.import_row = line;
		detail = import_detail(im->batch, line, changes);
		rc = subscriber_update_tx(im->db, &merged, EVENT_SUBSCRIBER_UPDATED_BY_IMPORT, detail,
					  err);
		if (!rc)
			*action = IMPORT_UPDATED;
done:
		subscriber_free(&merged);
		kept_free(&kept);
	}
out:
	free(detail);
	free(changes);
	subscriber_free(&old);
	return rc;
}

static int begin_batch(struct importer *im, const char *path, const char *sha,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc;

	if (sqlite3_exec(im->db->sql, "CREATE TEMP TABLE IF NOT EXISTS import_seen ("
					 "id INTEGER PRIMARY KEY, row INTEGER)", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(im->db, err, _("import"));
	if (db_prepare(im->db, "INSERT INTO import_batch(at, actor, file_name, file_sha256) "
			       "VALUES (?,?,?,?)", &st, err))
		return KYSO_EIO;
	db_now(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, im->db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(im->db, err, _("import"));
	im->batch = sqlite3_last_insert_rowid(im->db->sql);
	return 0;
}

static int end_batch(struct importer *im, const char *path, const char *sha,
		     struct kyso_err *err)
{
	struct import_result *r = im->res;
	sqlite3_stmt *st;
	json_t *o;
	char *payload;
	int rc;

	if (db_prepare(im->db, "UPDATE import_batch SET added=?, updated=?, unchanged=?, "
			       "rejected=? WHERE id=?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, r->added);
	sqlite3_bind_int64(st, 2, r->updated);
	sqlite3_bind_int64(st, 3, r->unchanged);
	sqlite3_bind_int64(st, 4, r->rejected);
	sqlite3_bind_int64(st, 5, im->batch);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(im->db, err, _("import"));
	o = json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "import", (json_int_t)im->batch, "file",
		      path, "sha256", sha, "added", (json_int_t)r->added, "updated",
		      (json_int_t)r->updated, "unchanged", (json_int_t)r->unchanged, "rejected",
		      (json_int_t)r->rejected, "units_added", (json_int_t)r->units_added);
	payload = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	rc = audit_append(im->db, "import", path, payload, err);
	free(payload);
	return rc;
}

static int run_rows(struct importer *im, struct sheet *sh, struct kyso_err *err)
{
	struct kyso_problems rowp = { 0 };
	char **cells;
	size_t n, i;
	long line;
	int rc;

	while ((rc = sheet_next(sh, &cells, &n, &line, err)) == 1) {
		struct subscriber s;
		enum import_action action = IMPORT_REJECTED;
		long long id = 0;

		char *name;

		kyso_problems_clear(&rowp);
		if (!row_to_subscriber(im, cells, n, line, &s, &rowp)) {
			subscriber_free(&s);
			continue;
		}
		/* The row's fields move into the stored record when it is matched. */
		name = s.name ? strdup(s.name) : NULL;
		if (!kyso_problems_found(&rowp) &&
		    (rc = import_row(im, &s, line, &rowp, &action, &id, err))) {
			subscriber_free(&s);
			free(name);
			break;
		}
		if (kyso_problems_found(&rowp)) {
			action = IMPORT_REJECTED;
			id = 0;
			im->res->problems_not_kept += (long)rowp.lost;
			for (i = 0; i < rowp.count; i++) {
				if (im->res->problems.count >= IMPORT_MAX_PROBLEMS) {
					im->res->problems_not_kept++;
					continue;
				}
				kyso_problems_add(&im->res->problems, rowp.items[i].row,
						  rowp.items[i].column, "%s", rowp.items[i].message);
			}
		}
		switch (action) {
		case IMPORT_ADDED: im->res->added++; break;
		case IMPORT_UPDATED: im->res->updated++; break;
		case IMPORT_UNCHANGED: im->res->unchanged++; break;
		case IMPORT_REJECTED: im->res->rejected++; break;
		}
		if (im->fn && im->fn(line, action, name ? name : "", id, im->ctx)) {
			free(name);
			subscriber_free(&s);
			rc = kyso_fail(err, KYSO_EIO, _("import stopped"));
			break;
		}
		free(name);
		subscriber_free(&s);
	}
	kyso_problems_free(&rowp);
	return rc < 0 ? rc : 0;
}

int roster_import(struct kyso_db *db, const char *path, const struct import_options *opt,
		  import_row_fn fn, void *ctx, struct import_result *res, struct kyso_err *err)
{
	struct importer im = { .db = db, .opt = opt, .res = res, .fn = fn, .ctx = ctx };
	struct sheet *sh = NULL;
	struct db_long_pass pass;
	char **cells, sha[65] = "";
	size_t n;
	long line;
	int rc, began = 0, passing = 0;

	memset(res, 0, sizeof(*res));
	if ((rc = agency_email_domain(db, &im.domain, err)))
		return rc;
	db_today(im.today);
	if ((rc = sheet_open(path, &sh, err)))
		goto out;
	rc = sheet_next(sh, &cells, &n, &line, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = kyso_fail(err, KYSO_EINVAL, _("%s is empty"), path);
		goto out;
	}
	if ((rc = read_layout(cells, n, opt, &im.layout, res))) {
		rc = kyso_fail(err, KYSO_EINVAL, _("the columns of %s were not understood"), path);
		goto out;
	}
	if ((rc = sha256_file(path, sha, err)))
		goto out;
	/* The import's memory must not grow with the file. */
	db_long_pass_begin(db, &pass, 0, 0);
	passing = 1;
	if ((rc = db_begin(db, err)))
		goto out;
	began = 1;
	if ((rc = subscriber_batch_begin(db, err)) || (rc = begin_batch(&im, path, sha, err)) ||
	    (rc = run_rows(&im, sh, err)))
		goto out;
	if (res->rejected && !opt->skip_invalid) {
		rc = kyso_fail(err, KYSO_EINVAL,
			       _("%ld row(s) rejected: nothing was imported (--skip-invalid imports the others)"),
			       res->rejected);
		goto out;
	}
	if (opt->dry_run)
		goto out;
	if ((rc = subscriber_batch_end(db, 1, err)) || (rc = end_batch(&im, path, sha, err)) ||
	    (rc = db_commit(db, err)))
		goto out;
	began = 0;
	res->committed = 1;
	res->batch = im.batch;
out:
	subscriber_batch_end(db, 0, NULL); /* dropped: written above when committed */
	if (began)
		db_rollback(db);
	sqlite3_exec(db->sql, "DROP TABLE IF EXISTS temp.import_seen", NULL, NULL, NULL);
	if (passing)
		db_long_pass_end(db, &pass);
	sheet_close(sh);
	layout_free(&im.layout);
	free(im.domain);
	for (size_t i = 0; i < im.nunits; i++)
		free(im.units[i].name);
	return rc;
}
