/*
 * subscriber_list.c - the roster as lists show it: filters, orders, pages and search.
 * Reads only; the tables are subscriber.c's (subscriber, subscriber_fts, name_word).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"

/* Listing ------------------------------------------------------------------------- */

#define ROW_COLUMNS                                                                       \
	"s.id, s.kind, s.name, u.name, s.position, s.id_number, s.email, s.phone, s.status, " \
	"s.departed_on, s.version, s.sort_key"

struct sql {
	char text[2048];
	size_t len;
	const char *binds_text[12];
	long long binds_int[12];
	int bind_is_int[12]; /* 0 text, 1 integer, 2 bound by the caller, 3 blob */
	int nbind;
};

static void sql_add(struct sql *q, const char *frag)
{
	q->len += (size_t)snprintf(q->text + q->len, sizeof(q->text) - q->len, "%s", frag);
}

static void sql_bind_text(struct sql *q, const char *v)
{
	q->binds_text[q->nbind] = v;
	q->bind_is_int[q->nbind++] = 0;
}

static void sql_bind_int(struct sql *q, long long v)
{
	q->binds_int[q->nbind] = v;
	q->bind_is_int[q->nbind++] = 1;
}

static void sql_bind_blob(struct sql *q, const void *v, int len)
{
	q->binds_text[q->nbind] = v;
	q->binds_int[q->nbind] = len;
	q->bind_is_int[q->nbind++] = 3;
}

static void add_filters(struct sql *q, const struct subscriber_query *f)
{
	if (f->after_key && f->order == ORDER_NAME) {
		sql_add(q, " AND (s.sort_key, s.id) > (?, ?)");
		sql_bind_blob(q, f->after_key, f->after_key_len);
		sql_bind_int(q, f->after_id);
	}
	if (f->unit_id > 0) {
		sql_add(q, " AND s.unit_id = ?");
		sql_bind_int(q, f->unit_id);
	}
	if (f->kind >= 0 && f->kind <= KIND_DEVICE) {
		sql_add(q, " AND s.kind = ?");
		sql_bind_text(q, subscriber_kind_name((enum subscriber_kind)f->kind));
	}
	if (f->status && *f->status && strcmp(f->status, "all")) {
		if (!strcmp(f->status, "departed")) {
			sql_add(q, " AND s.status <> 'active'");
		} else {
			sql_add(q, " AND s.status = ?");
			sql_bind_text(q, f->status);
		}
	}
}

static void add_order(struct sql *q, enum subscriber_order order)
{
	switch (order) {
	case ORDER_UNIT:
		sql_add(q, " ORDER BY u.sort_key IS NULL, u.sort_key, s.sort_key, s.id");
		break;
	case ORDER_STATUS:
		sql_add(q, " ORDER BY s.status <> 'active', s.status, s.sort_key, s.id");
		break;
	default:
		/* name_fold follows from sort_key; naming it lets the name index give the
		 * order as it stands, with no sorting of ties. */
		sql_add(q, " ORDER BY s.sort_key, s.name_fold, s.id");
	}
}

static int sql_prepare(struct kyso_db *db, struct sql *q, sqlite3_stmt **st,
		       struct kyso_err *err)
{
	int i;

	if (q->len >= sizeof(q->text) - 1)
		return kyso_fail(err, KYSO_EIO, "query too long");
	if (db_prepare(db, q->text, st, err))
		return KYSO_EIO;
	for (i = 0; i < q->nbind; i++) {
		if (q->bind_is_int[i] == 2)
			continue;
		if (q->bind_is_int[i] == 3) {
			sqlite3_bind_blob(*st, i + 1, q->binds_text[i], (int)q->binds_int[i],
					  SQLITE_STATIC);
			continue;
		}
		if (q->bind_is_int[i])
			sqlite3_bind_int64(*st, i + 1, q->binds_int[i]);
		else
			sqlite3_bind_text(*st, i + 1, q->binds_text[i], -1, SQLITE_STATIC);
	}
	return 0;
}

static void read_row(sqlite3_stmt *st, struct subscriber_row *r)
{
	enum subscriber_kind k = KIND_PERSON;

	r->id = sqlite3_column_int64(st, 0);
	subscriber_kind_parse((const char *)sqlite3_column_text(st, 1), &k);
	r->kind = k;
	r->name = (const char *)sqlite3_column_text(st, 2);
	r->unit = (const char *)sqlite3_column_text(st, 3);
	r->position = (const char *)sqlite3_column_text(st, 4);
	r->id_number = (const char *)sqlite3_column_text(st, 5);
	r->email = (const char *)sqlite3_column_text(st, 6);
	r->phone = (const char *)sqlite3_column_text(st, 7);
	r->status = (const char *)sqlite3_column_text(st, 8);
	r->departed_on = (const char *)sqlite3_column_text(st, 9);
	r->version = (long)sqlite3_column_int64(st, 10);
	r->sort_key = sqlite3_column_blob(st, 11);
	r->sort_key_len = sqlite3_column_bytes(st, 11);
}
/*
 * Search.  The query's words, folded, must each be a word of the folded name, the citizen
 * ID or the phone; the last word may be the beginning of one, since it is often still
 * being typed ("nguyen th").  A query with "@" in it finds the e-mail addresses that begin
 * with it.  name_word says how many names hold each word, so the number of matches can be
 * guessed before any row is read, and the cheaper of two ways is taken (COST_*):
 *  - walk the name index (sort_key, name_fold) in order, from where the first name
 *    holding every word can sort (name_word.first_key), testing names with kyso_match(),
 *    until the page is full.  The walk reads the index only, not the rows; it gives up
 *    after a budget of names (matches can cluster late in the order);
 *  - or, when that looks dearer or the walk gave up: the FTS5 index gives the rows
 *    holding the rarest words (a word in one name of five is not worth its long list), a
 *    typed beginning being asked as the whole words it stands for; kyso_match() tests
 *    the rest and the rows are sorted.  Numbers (citizen ID, phone) are rare by nature
 *    and go to the index at once.
 */
#define MAX_WORDS 8
#define MAX_EXPANSION 24        /* words a typed beginning may stand for in the index */
#define FEW_ROWS 3000           /* index words enough once they narrow the rows to this */
#define SCAN_BUDGET_NAMES 50000 /* names the walk may test at least */
#define SCAN_BUDGET_MAX 100000  /* and at most */
/* Costs in microseconds, measured at a million subscribers: a name tested in the walk,
 * an entry of an index list read, a row the index hands over to sort. */
#define COST_WALK 0.1
#define COST_LIST 0.03
#define COST_ROW 1.0

struct search {
	char *folded;
	const char *words[MAX_WORDS];
	size_t lens[MAX_WORDS];
	int n;
	char *email;    /* e-mail prefix when the query has "@" */
	char *fts;      /* FTS5 query, or NULL when the index is not asked */
	int has_digits; /* a word with a digit: the citizen ID and phone take part */
	int none;       /* a word no name holds: nothing matches */
	double guess;   /* matches expected */
	double candidates; /* rows the FTS5 query is expected to give */
	double fts_rows;   /* entries the FTS5 query reads in its lists */
	double total;      /* subscribers (largest id) */
	unsigned char *start_key; /* no match sorts before this (NULL: from the start) */
	size_t start_len;
	long budget;    /* rows kyso_match() may look at (0: no limit) */
	long budget_walk; /* the walk's budget */
	long tested;
	int over_budget;
};

static void search_free(struct search *s)
{
	free(s->folded);
	free(s->fts);
	free(s->email);
	free(s->start_key);
	memset(s, 0, sizeof(*s));
}

static int search_parse(const char *text, struct search *s)
{
	size_t pos = 0, start, len;
	char *copy;

	memset(s, 0, sizeof(*s));
	if (text_is_blank(text))
		return 0;
	s->folded = text_fold(text);
	if (!s->folded)
		return -1;
	if (strchr(s->folded, '@')) {
		s->email = text_clean(s->folded);
		return s->email ? 0 : -1;
	}
	/* Words point into a copy, each ended by a NUL of its own. */
	copy = malloc(strlen(s->folded) * 2 + 2);
	if (!copy)
		return -1;
	{
		size_t o = 0;

		while (s->n < MAX_WORDS && text_next_word(s->folded, &pos, &start, &len)) {
			memcpy(copy + o, s->folded + start, len);
			copy[o + len] = '\0';
			s->words[s->n] = copy + o;
			s->lens[s->n] = len;
			for (size_t c = 0; c < len; c++)
				if (copy[o + c] >= '0' && copy[o + c] <= '9')
					s->has_digits = 1;
			s->n++;
			o += len + 1;
		}
	}
	free(s->folded);
	s->folded = copy;
	return 0;
}

/* Is w (n bytes) a word of field, or the beginning of one when prefix? */
static int field_has_word(const char *field, const char *w, size_t n, int prefix)
{
	size_t pos = 0, start, len;

	while (text_next_word(field, &pos, &start, &len))
		if (len >= n && !memcmp(field + start, w, n) && (prefix || len == n))
			return 1;
	return 0;
}

/* Every word of the query is a word of the name, citizen ID or phone (the last may be the
 * beginning of one). */
static int row_matches(const struct search *s, const char *cols[3])
{
	int i, c;

	for (i = 0; i < s->n; i++) {
		for (c = 0; c < 3; c++)
			if (field_has_word(cols[c], s->words[i], s->lens[i], i == s->n - 1))
				break;
		if (c == 3)
			return 0;
	}
	return 1;
}

/* Appends to buf (growing it) at *len. */
static int append(char **buf, size_t *len, size_t *cap, const char *text)
{
	size_t n = strlen(text);

	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return -1;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, text, n + 1);
	*len += n;
	return 0;
}

/* Keeps in (*key, *len) the larger (raise) or smaller (!raise) of itself and the blob
 * in column col of st. */
static int keep_key(sqlite3_stmt *st, int col, int raise, unsigned char **key, size_t *len)
{
	const unsigned char *k = sqlite3_column_blob(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	int c;
	unsigned char *copy;

	if (*key) {
		c = memcmp(k ? k : (const unsigned char *)"", *key, n < *len ? n : *len);
		if (!c)
			c = (n > *len) - (n < *len);
		if (raise ? c <= 0 : c >= 0)
			return 0;
	}
	copy = malloc(n ? n : 1);
	if (!copy)
		return -1;
	if (n)
		memcpy(copy, k, n);
	free(*key);
	*key = copy;
	*len = n;
	return 0;
}

/* Rows whose name holds the word (exact), or for the last word the words that begin with
 * it, as an FTS5 term or group in *term (caller frees); and the first sort key any of
 * them can have, in (*key, *keylen) (caller frees). */
static int word_rows(struct kyso_db *db, const char *w, size_t n, int prefix, double *rows,
		     char **term, unsigned char **key, size_t *keylen, struct kyso_err *err)
{
	sqlite3_stmt *st;
	size_t len = 0, cap = 0;
	int alts = 0, bad = 0;
	char word[160], upper[170];

	*rows = 0;
	*term = NULL;
	*key = NULL;
	*keylen = 0;
	if (n + 1 > sizeof(word))
		return 0;
	memcpy(word, w, n);
	word[n] = '\0';
	if (!prefix) {
		if (db_cached(db, "SELECT rows, first_key FROM name_word WHERE word = ? AND rows > 0",
			      &st, err))
			return KYSO_EIO;
		sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*rows = (double)sqlite3_column_int64(st, 0);
			bad |= keep_key(st, 1, 0, key, keylen);
		}
		sqlite3_reset(st);
		if (*rows > 0 && (append(term, &len, &cap, "\"") || append(term, &len, &cap, word) ||
				  append(term, &len, &cap, "\"")))
			bad = 1;
		return bad ? kyso_fail(err, KYSO_ENOMEM, _("out of memory")) : 0;
	}
	if (db_cached(db, "SELECT word, rows, first_key FROM name_word WHERE word >= ? "
			  "AND word < ? AND rows > 0", &st, err))
		return KYSO_EIO;
	snprintf(upper, sizeof(upper), "%s\xf4\x8f\xbf\xbf", word);
	sqlite3_bind_text(st, 1, word, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	append(term, &len, &cap, "(");
	while (sqlite3_step(st) == SQLITE_ROW) {
		*rows += (double)sqlite3_column_int64(st, 1);
		bad |= keep_key(st, 2, 0, key, keylen);
		if (++alts <= MAX_EXPANSION) {
			append(term, &len, &cap, alts > 1 ? " OR \"" : "\"");
			append(term, &len, &cap, (const char *)sqlite3_column_text(st, 0));
			append(term, &len, &cap, "\"");
		}
	}
	sqlite3_reset(st);
	if (!*term || bad)
		return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
	if (alts == 0) {
		free(*term);
		*term = NULL;
	} else if (alts > MAX_EXPANSION) {
		/* too many to name: the index joins up the prefix itself */
		len = 0;
		(*term)[0] = '\0';
		append(term, &len, &cap, "\"");
		append(term, &len, &cap, word);
		append(term, &len, &cap, "\"*");
	} else {
		append(term, &len, &cap, ")");
	}
	return 0;
}

/*
 * Plans a search of names: guesses the matches from name_word (words taken as
 * independent) and builds the FTS5 query from the rarest words.  Numbers: every word is
 * asked of the index as it is.
 */
static int search_plan(struct kyso_db *db, struct search *s, struct kyso_err *err)
{
	double total = 1, rows[MAX_WORDS], part;
	char *terms[MAX_WORDS] = { 0 };
	unsigned char *key;
	size_t keylen;
	int order[MAX_WORDS], i, j, k, rc = 0, asked = 0;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;

	if (db_cached(db, "SELECT max(id) FROM subscriber", &st, err))
		return KYSO_EIO;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0)
		total = (double)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s->has_digits) {
		for (i = 0; i < s->n && !rc; i++) {
			char term[170];

			snprintf(term, sizeof(term), "%s\"%.*s\"%s", i ? " AND " : "",
				 (int)s->lens[i], s->words[i], i == s->n - 1 ? "*" : "");
			rc = append(&s->fts, &len, &cap, term);
		}
		s->guess = 1;
		return rc ? kyso_fail(err, KYSO_ENOMEM, _("out of memory")) : 0;
	}
	s->guess = total;
	for (i = 0; i < s->n; i++) {
		if ((rc = word_rows(db, s->words[i], s->lens[i], i == s->n - 1, &rows[i], &terms[i],
				    &key, &keylen, err)))
			goto out;
		/* A match holds every word: it sorts after the latest of their first keys. */
		if (key && (!s->start_key ||
			    memcmp(key, s->start_key, keylen < s->start_len ? keylen : s->start_len) > 0 ||
			    (!memcmp(key, s->start_key, keylen < s->start_len ? keylen : s->start_len) &&
			     keylen > s->start_len))) {
			free(s->start_key);
			s->start_key = key;
			s->start_len = keylen;
		} else {
			free(key);
		}
		if (!terms[i]) {
			s->none = 1;
			goto out;
		}
		if (rows[i] > total)
			rows[i] = total;
		s->guess *= rows[i] / total;
		order[i] = i;
	}
	for (i = 1; i < s->n; i++) /* rarest first */
		for (j = i; j > 0 && rows[order[j]] < rows[order[j - 1]]; j--) {
			k = order[j];
			order[j] = order[j - 1];
			order[j - 1] = k;
		}
	part = total;
	for (i = 0; i < s->n; i++) {
		double f = rows[order[i]] / total;

		if (i > 0 && (f >= 0.2 || (i >= 2 && part <= FEW_ROWS)))
			break;
		if (append(&s->fts, &len, &cap, asked++ ? " AND " : "") ||
		    append(&s->fts, &len, &cap, terms[order[i]])) {
			rc = kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
			goto out;
		}
		part *= f;
		s->fts_rows += rows[order[i]];
	}
	s->candidates = part;
	s->total = total;
out:
	for (i = 0; i < s->n; i++)
		free(terms[i]);
	return rc;
}

/* kyso_match(name_fold, id_number, phone, email, search): 1 when the row matches. */
static void match_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct search *s = sqlite3_value_pointer(argv[4], "kyso_search");
	const char *cols[3];
	int i;

	(void)argc;
	if (!s) {
		sqlite3_result_error(ctx, "kyso_match: no search", -1);
		return;
	}
	if (s->budget && ++s->tested > s->budget) {
		s->over_budget = 1;
		sqlite3_result_error(ctx, "kyso_match: over budget", -1);
		return;
	}
	if (s->email) {
		const char *e = (const char *)sqlite3_value_text(argv[3]);

		sqlite3_result_int(ctx, e && !strncmp(e, s->email, strlen(s->email)));
		return;
	}
	for (i = 0; i < 3; i++)
		cols[i] = (const char *)sqlite3_value_text(argv[i]);
	sqlite3_result_int(ctx, row_matches(s, cols));
}

static int register_match(struct kyso_db *db, struct kyso_err *err)
{
	if (db->has_match_fn)
		return 0;
	if (sqlite3_create_function(db->sql, "kyso_match", 5, SQLITE_UTF8 | SQLITE_DIRECTONLY,
				    NULL, match_fn, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "kyso_match");
	db->has_match_fn = 1;
	return 0;
}

#define MATCH_CALL " kyso_match(s.name_fold, s.id_number, s.phone, s.email, ?)"
/* Names only: the name index holds name_fold, so rows that do not match are never read. */
#define MATCH_NAME_CALL " kyso_match(s.name_fold, NULL, NULL, NULL, ?)"

/* SELECT what FROM the rows the search can match: the index's matches when it can be
 * asked, the e-mail index's range for an e-mail, else every row; kyso_match() decides. */
static void base_select(struct sql *q, const struct search *s, const char *what)
{
	sql_add(q, "SELECT ");
	sql_add(q, what);
	if (s->fts) {
		/* CROSS JOIN keeps the index's matches as the outer loop. */
		sql_add(q, " FROM (SELECT rowid AS rid FROM subscriber_fts WHERE subscriber_fts"
			   " MATCH ?) m CROSS JOIN subscriber s ON s.id = m.rid"
			   " LEFT JOIN unit u ON u.id = s.unit_id WHERE 1");
		sql_bind_text(q, s->fts);
	} else if (s->email) {
		sql_add(q, " FROM subscriber s LEFT JOIN unit u ON u.id = s.unit_id"
			   " WHERE s.email >= ? AND s.email < ? || x'f48fbfbf'");
		sql_bind_text(q, s->email);
		sql_bind_text(q, s->email);
	} else {
		sql_add(q, " FROM subscriber s LEFT JOIN unit u ON u.id = s.unit_id WHERE 1");
	}
	if (s->n || s->email) {
		sql_add(q, " AND" MATCH_CALL);
		q->bind_is_int[q->nbind++] = 2;
	}
}

/* Prepares q and binds the search (the pointer kyso_match() takes). */
static int search_prepare(struct kyso_db *db, struct sql *q, struct search *s,
			  sqlite3_stmt **st, struct kyso_err *err)
{
	int i, rc;

	if ((rc = sql_prepare(db, q, st, err)))
		return rc;
	for (i = 0; i < q->nbind; i++)
		if (q->bind_is_int[i] == 2)
			sqlite3_bind_pointer(*st, i + 1, s, "kyso_search", NULL);
	return 0;
}

/* Hands out the rows of ids, in that order. */
static int emit_ids(struct kyso_db *db, const long long *ids, long n,
		    int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
		    struct kyso_err *err)
{
	sqlite3_stmt *one;
	long i;

	if (n && db_cached(db, "SELECT " ROW_COLUMNS " FROM subscriber s LEFT JOIN unit u"
			   " ON u.id = s.unit_id WHERE s.id = ?", &one, err))
		return KYSO_EIO;
	for (i = 0; i < n; i++) {
		struct subscriber_row r;
		int stop = 0;

		sqlite3_bind_int64(one, 1, ids[i]);
		if (sqlite3_step(one) == SQLITE_ROW) {
			read_row(one, &r);
			stop = fn(&r, ctx);
		}
		sqlite3_reset(one);
		if (stop)
			break;
	}
	return 0;
}

/* Runs q (which selects s.id, with LIMIT and OFFSET still to add) for the page f asks for
 * and hands out those rows.  budget > 0: a walk that gives up after so many rows; then it
 * returns 1 before handing out anything. */
static int page_of_ids(struct kyso_db *db, struct sql *q, const struct subscriber_query *f,
		       struct search *s, long budget,
		       int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	long long *ids = malloc(sizeof(*ids) * (size_t)f->limit);
	long n = 0;
	int rc;

	if (!ids)
		return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
	sql_add(q, " LIMIT ? OFFSET ?");
	sql_bind_int(q, f->limit);
	sql_bind_int(q, f->offset);
	s->budget = budget;
	s->tested = 0;
	s->over_budget = 0;
	if ((rc = search_prepare(db, q, s, &st, err)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < f->limit)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	s->budget = 0;
	if (s->over_budget)
		rc = 1;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rc = db_fail(db, err, _("listing subscribers"));
	else
		rc = emit_ids(db, ids, n, fn, ctx, err);
out:
	free(ids);
	return rc;
}

/* Walks the name order testing names with kyso_match(): the walk reads the name index
 * (sort_key, name_fold) only, never the rows it passes over.  Returns 1 when it gave up
 * over the budget (the caller sorts the index's matches instead), 0 when done. */
static int list_by_scan(struct kyso_db *db, const struct subscriber_query *f,
			struct search *s,
			int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
			struct kyso_err *err)
{
	struct sql q = { 0 };

	sql_add(&q, "SELECT s.id FROM subscriber s WHERE" MATCH_NAME_CALL);
	q.bind_is_int[q.nbind++] = 2;
	if (s->start_key) {
		/* no match sorts earlier: the walk starts there */
		sql_add(&q, " AND s.sort_key >= ?");
		sql_bind_blob(&q, s->start_key, (int)s->start_len);
	}
	add_filters(&q, f);
	add_order(&q, ORDER_NAME);
	return page_of_ids(db, &q, f, s, s->budget_walk, fn, ctx, err);
}

/* The page f asks for among the rows the search can match, sorted with only their keys
 * and ids in hand; the page's rows are read afterwards. */
static int list_page_by_ids(struct kyso_db *db, const struct subscriber_query *f,
			    struct search *s,
			    int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
			    struct kyso_err *err)
{
	struct sql q = { 0 };

	base_select(&q, s, "s.id");
	add_filters(&q, f);
	add_order(&q, f->order);
	return page_of_ids(db, &q, f, s, 0, fn, ctx, err);
}

/* Parses and plans the query's search. */
static int search_start(struct kyso_db *db, const struct subscriber_query *f, struct search *s,
			struct kyso_err *err)
{
	if (search_parse(f->search, s))
		return kyso_fail(err, KYSO_EINVAL, _("the search text is not valid UTF-8"));
	if (!s->n && !s->email)
		return 0;
	if (register_match(db, err))
		return KYSO_EIO;
	return s->n ? search_plan(db, s, err) : 0;
}

int subscriber_list(struct kyso_db *db, const struct subscriber_query *f,
		    int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
		    struct kyso_err *err)
{
	struct search s;
	struct sql q = { 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = search_start(db, f, &s, err)) || s.none)
		goto out;
	/* Walk the name order when that looks cheaper than the index: the walk meets a page
	 * of matches after about page / (share of names that match) names; the index reads
	 * its lists and hands over its rows to sort. */
	if (s.n && !s.has_digits && f->order == ORDER_NAME && f->limit > 0) {
		double page = (double)(f->offset + f->limit);
		double walk = s.guess > 0 ? page * s.total / s.guess : s.total;
		double by_index = s.fts_rows * COST_LIST + s.candidates * COST_ROW;

		s.budget_walk = (long)(walk * 2 < SCAN_BUDGET_NAMES ? SCAN_BUDGET_NAMES
				       : walk * 2 > SCAN_BUDGET_MAX ? SCAN_BUDGET_MAX : walk * 2);
		if (!s.fts || walk * COST_WALK < by_index) {
			rc = list_by_scan(db, f, &s, fn, ctx, err);
			if (rc <= 0)
				goto out;
		}
	}
	if (s.n && f->limit > 0) {
		/* A page of the index's matches: sort the ids alone, then read the page. */
		rc = list_page_by_ids(db, f, &s, fn, ctx, err);
		goto out;
	}
	base_select(&q, &s, ROW_COLUMNS);
	add_filters(&q, f);
	add_order(&q, f->order);
	if (f->limit > 0 || f->offset > 0) {
		sql_add(&q, " LIMIT ? OFFSET ?");
		sql_bind_int(&q, f->limit > 0 ? f->limit : -1);
		sql_bind_int(&q, f->offset);
	}
	if ((rc = search_prepare(db, &q, &s, &st, err)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct subscriber_row r;

		read_row(st, &r);
		if (fn(&r, ctx))
			break;
	}
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_fail(db, err, _("listing subscribers"));
out:
	sqlite3_finalize(st);
	search_free(&s);
	return rc;
}

int subscriber_count(struct kyso_db *db, const struct subscriber_query *f, long *count,
		     struct kyso_err *err)
{
	struct search s;
	struct sql q = { 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	*count = 0;
	if ((rc = search_start(db, f, &s, err)) || s.none)
		goto out;
	base_select(&q, &s, "count(*)");
	add_filters(&q, f);
	if ((rc = search_prepare(db, &q, &s, &st, err)))
		goto out;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW ? 0 : db_fail(db, err, _("counting subscribers"));
out:
	sqlite3_finalize(st);
	search_free(&s);
	return rc;
}
