/*
 * tally.c - counts of subscribers by kind, status and unit, read from subscriber_tally:
 * one row per (kind, status, unit, e-mail host) holding how many subscribers share them,
 * kept in the same transaction as the rows themselves: a new subscriber by
 * subscriber_insert_tx, every other change by the triggers of migration 2.  A count here
 * reads as many rows as there are groups, never one per subscriber.  Reads only.
 */
#include <stdlib.h>
#include <string.h>

#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/tally.h"

static const char *const status_names[TALLY_STATUSES] = { "active", "left", "transferred",
							   "retired" };

static int status_index(const char *status)
{
	int i;

	for (i = 0; i < TALLY_STATUSES; i++)
		if (status && !strcmp(status, status_names[i]))
			return i;
	return -1;
}

static int kind_index(const char *kind)
{
	int k;

	for (k = KIND_PERSON; k <= KIND_DEVICE; k++)
		if (kind && !strcmp(kind, subscriber_kind_name((enum subscriber_kind)k)))
			return k;
	return -1;
}

/* Adds a row (kind, status, n) of a query to t; a kind or status the schema does not
 * allow cannot be there, and is skipped rather than counted somewhere wrong. */
static void tally_add(struct tally *t, sqlite3_stmt *st, int col)
{
	int k = kind_index((const char *)sqlite3_column_text(st, col));
	int s = status_index((const char *)sqlite3_column_text(st, col + 1));

	if (k >= 0 && s >= 0)
		t->n[k][s] += (long)sqlite3_column_int64(st, col + 2);
}

int tally_read(struct kyso_db *db, struct tally *t, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(t, 0, sizeof(*t));
	/* The primary key starts with (kind, status): grouped without sorting. */
	if (db_prepare(db, "SELECT kind, status, sum(n) FROM subscriber_tally "
			   "GROUP BY kind, status", &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		tally_add(t, st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("counting subscribers"));
}

long tally_count(const struct tally *t, int kind, const char *status)
{
	int all = !status || !strcmp(status, "all"), departed = status && !strcmp(status, "departed");
	int only = status_index(status), k, s;
	long n = 0;

	if (!all && !departed && only < 0)
		return 0;
	for (k = KIND_PERSON; k <= KIND_DEVICE; k++) {
		if (kind >= 0 && kind != k)
			continue;
		for (s = 0; s < TALLY_STATUSES; s++)
			if (all || (departed && s != TALLY_ACTIVE) || s == only)
				n += t->n[k][s];
	}
	return n;
}

/* The counts of each unit, in unit id order. */
struct unit_tally {
	long long unit_id;
	struct tally t;
};

static int unit_tally_cmp(const void *a, const void *b)
{
	const struct unit_tally *x = a, *y = b;

	return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

static int read_unit_tallies(struct kyso_db *db, struct unit_tally **out, size_t *n,
			     struct kyso_err *err)
{
	struct unit_tally *all = NULL, *grown;
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT unit_id, kind, status, sum(n) FROM subscriber_tally "
			   "WHERE unit_id > 0 GROUP BY unit_id, kind, status ORDER BY unit_id", &st,
		       err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long unit_id = sqlite3_column_int64(st, 0);

		if (!*n || all[*n - 1].unit_id != unit_id) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				if (!(grown = realloc(all, cap * sizeof(*all)))) {
					rc = SQLITE_NOMEM;
					break;
				}
				all = grown;
			}
			memset(&all[*n], 0, sizeof(all[*n]));
			all[(*n)++].unit_id = unit_id;
		}
		tally_add(&all[*n - 1].t, st, 1);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM) {
		free(all);
		*n = 0;
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	}
	if (rc != SQLITE_DONE) {
		free(all);
		*n = 0;
		return db_fail(db, err, _("counting subscribers"));
	}
	*out = all;
	return 0;
}

int tally_units(struct kyso_db *db,
		int (*fn)(const struct unit *u, const struct tally *t, void *ctx), void *ctx,
		struct kyso_err *err)
{
	static const struct tally none;
	struct unit_tally *counts, key, *found;
	size_t ncounts;
	sqlite3_stmt *st;
	int rc;

	if ((rc = read_unit_tallies(db, &counts, &ncounts, err)))
		return rc;
	/* Depth-first: the queue hands out the deepest unit first, and among those the first
	 * in Vietnamese order, so every unit comes right after its parent and before the
	 * parent's next sibling (SQLite's WITH RECURSIVE, "ORDER BY depth DESC").  A parent
	 * cycle cannot be made through unit_edit; the depth bound stops one all the same. */
	if (db_prepare(db,
		       "WITH RECURSIVE tree(id, parent_id, name, code, version, depth, key) AS ("
		       " SELECT id, 0, name, code, version, 0, sort_key FROM unit"
		       "  WHERE parent_id IS NULL"
		       " UNION ALL"
		       " SELECT u.id, u.parent_id, u.name, u.code, u.version, t.depth + 1, u.sort_key"
		       "  FROM unit u JOIN tree t ON u.parent_id = t.id WHERE t.depth < 64"
		       " ORDER BY 6 DESC, 7, 1)"
		       " SELECT id, parent_id, name, code, version, depth FROM tree",
		       &st, err)) {
		free(counts);
		return KYSO_EIO;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct unit u = {
			.id = sqlite3_column_int64(st, 0),
			.parent_id = sqlite3_column_int64(st, 1),
			.name = (const char *)sqlite3_column_text(st, 2),
			.code = (const char *)sqlite3_column_text(st, 3),
			.version = (long)sqlite3_column_int64(st, 4),
			.depth = sqlite3_column_int(st, 5),
		};
		const struct tally *t = &none;

		key.unit_id = u.id;
		found = ncounts ? bsearch(&key, counts, ncounts, sizeof(*counts), unit_tally_cmp)
				: NULL;
		if (found)
			t = &found->t;
		u.subscribers = tally_count(t, -1, "active");
		if (fn(&u, t, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	free(counts);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading units"));
}

int tally_unit_count(struct kyso_db *db, long *count, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	if (db_prepare(db, "SELECT count(*) FROM unit", &st, err))
		return KYSO_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, _("counting units"));
}
