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

static int status_index(const char *status)
{
	enum subscriber_status st;

	return status && !subscriber_status_parse(status, &st) ? (int)st : -1;
}

/* Adds a row (kind, status, n) of a query to t; a kind or status the schema does not
 * allow cannot be there, and is skipped rather than counted somewhere wrong. */
static void tally_add(struct tally *t, sqlite3_stmt *st, int col)
{
	int k = subscriber_kind_of_name((const char *)sqlite3_column_text(st, col));
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
	enum status_filter f;
	int k, s;
	long n = 0;

	if (status_filter_parse(status, &f))
		return 0;
	for (k = KIND_PERSON; k <= KIND_DEVICE; k++) {
		if (kind >= 0 && kind != k)
			continue;
		for (s = 0; s < SUBSCRIBER_STATUSES; s++)
			if (status_filter_takes(f, (enum subscriber_status)s))
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

/* A unit of the tree as read, with its counts and those of the units under it. */
struct tree_node {
	struct unit u;
	struct tally t;
	size_t parent; /* index of the parent; (size_t)-1 at the top */
};

static void tree_free(struct tree_node *v, size_t n)
{
	while (n-- > 0) {
		free((char *)v[n].u.name);
		free((char *)v[n].u.code);
	}
	free(v);
}

static void tally_sum(struct tally *to, const struct tally *from)
{
	int k, s;

	for (k = 0; k < SUBSCRIBER_KINDS; k++)
		for (s = 0; s < SUBSCRIBER_STATUSES; s++)
			to->n[k][s] += from->n[k][s];
}

/* The whole tree, depth-first, each unit with its own counts; *n nodes into *out. */
static int read_tree(struct kyso_db *db, const struct unit_tally *counts, size_t ncounts,
		     struct tree_node **out, size_t *n, struct kyso_err *err)
{
	struct tree_node *v = NULL;
	size_t cap = 0, i;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
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
		       &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct tree_node *node;
		struct unit_tally key, *found;
		const char *name = (const char *)sqlite3_column_text(st, 2);
		const char *code = (const char *)sqlite3_column_text(st, 3);

		if (*n == cap) {
			struct tree_node *more = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!more) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = more;
		}
		node = &v[*n];
		memset(node, 0, sizeof(*node));
		node->u.id = sqlite3_column_int64(st, 0);
		node->u.parent_id = sqlite3_column_int64(st, 1);
		node->u.version = (long)sqlite3_column_int64(st, 4);
		node->u.depth = sqlite3_column_int(st, 5);
		node->u.name = name ? strdup(name) : NULL;
		node->u.code = code ? strdup(code) : NULL;
		node->parent = (size_t)-1;
		/* the parent came before, at the depth above */
		for (i = *n; i-- > 0;)
			if (v[i].u.id == node->u.parent_id) {
				node->parent = i;
				break;
			}
		key.unit_id = node->u.id;
		found = ncounts ? bsearch(&key, counts, ncounts, sizeof(*counts), unit_tally_cmp)
				: NULL;
		if (found)
			node->t = found->t;
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = v;
	if (rc == SQLITE_NOMEM)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading units"));
}

int tally_units(struct kyso_db *db,
		int (*fn)(const struct unit *u, const struct tally *t, void *ctx), void *ctx,
		struct kyso_err *err)
{
	struct unit_tally *counts;
	struct tree_node *v;
	size_t ncounts, n, i;
	int rc;

	if ((rc = read_unit_tallies(db, &counts, &ncounts, err)))
		return rc;
	rc = read_tree(db, counts, ncounts, &v, &n, err);
	free(counts);
	if (rc) {
		tree_free(v, n);
		return rc;
	}
	/* Children come after their parent: from the end, each adds itself (with what is
	 * under it already) to its parent. */
	for (i = n; i-- > 0;)
		if (v[i].parent != (size_t)-1)
			tally_sum(&v[v[i].parent].t, &v[i].t);
	for (i = 0; i < n; i++) {
		v[i].u.subscribers = tally_count(&v[i].t, -1, status_filter_name(FILTER_ACTIVE));
		if (fn(&v[i].u, &v[i].t, ctx))
			break;
	}
	tree_free(v, n);
	return 0;
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
