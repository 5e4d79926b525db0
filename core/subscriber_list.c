/*
 * subscriber_list.c - the roster as lists show it: filters, orders, pages and search.
 * Reads only; the tables are subscriber.c's (subscriber, subscriber_fts, name_word,
 * subscriber_tally).
 *
 * A screen asks for one page at a time, anywhere in a million rows, and must have it at
 * once: pages are found by key (the row before or after them), never by counting rows
 * from the top.  Every order is name order within groups (units, statuses), so a page
 * walks the name index through one group after another (the segments below) and reads
 * about as many rows as it shows; only the search's index matches are sorted whole.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"

/* Listing ------------------------------------------------------------------------- */

#define ROW_COLUMNS                                                                       \
	"s.id, s.kind, s.name, u.name, s.position, s.id_number, s.email, s.phone, s.status, " \
	"s.departed_on, s.version, s.sort_key, s.unit_id"

#define MAX_BINDS 16

struct sql {
	char text[2048];
	size_t len;
	const char *binds_text[MAX_BINDS];
	long long binds_int[MAX_BINDS];
	int bind_is_int[MAX_BINDS]; /* 0 text, 1 integer, 2 bound by the caller, 3 blob */
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

/* The rows of status (a word of enum status_filter), column the status's column; a word
 * that is no filter leaves no row. */
static void add_status_filter(struct sql *q, const char *column, const char *status)
{
	enum status_filter f;

	if (!status_filter_parse(status, &f) && f == FILTER_ALL)
		return;
	sql_add(q, " AND ");
	sql_add(q, column);
	if (f == FILTER_DEPARTED) {
		sql_add(q, " <> ?");
		sql_bind_text(q, subscriber_status_name(STATUS_ACTIVE));
	} else {
		sql_add(q, " = ?");
		sql_bind_text(q, status);
	}
}

/* The filters of f: unit, kind and status (not its search, not its keyset). */
static void add_filters(struct sql *q, const struct subscriber_query *f)
{
	if (f->unit_id > 0) {
		sql_add(q, " AND s.unit_id IN " UNIT_SUBTREE_SQL);
		sql_bind_int(q, f->unit_id);
	}
	if (f->kind >= 0 && f->kind <= KIND_DEVICE) {
		sql_add(q, " AND s.kind = ?");
		sql_bind_text(q, subscriber_kind_name((enum subscriber_kind)f->kind));
	}
	add_status_filter(q, "s.status", f->status);
}

static const char *key_status(const struct subscriber_query *f)
{
	return f->after_status && *f->after_status ? f->after_status
						    : subscriber_status_name(STATUS_ACTIVE);
}

/* The rows after (backward: before) f's key row in f's order, the whole order compared
 * as one row value.  Needs the unit joined as u. */
static void add_keyset(struct sql *q, const struct subscriber_query *f, int backward)
{
	if (!f->after_key)
		return;
	switch (f->order) {
	case ORDER_UNIT:
		sql_add(q, " AND (u.sort_key IS NULL, coalesce(u.sort_key, x''), s.sort_key, s.id)");
		sql_add(q, backward ? " < " : " > ");
		sql_add(q, "(?, coalesce((SELECT sort_key FROM unit WHERE id = ?), x''), ?, ?)");
		sql_bind_int(q, f->after_unit_id <= 0);
		sql_bind_int(q, f->after_unit_id);
		break;
	case ORDER_STATUS:
		sql_add(q, " AND (s.status <> 'active', s.status, s.sort_key, s.id)");
		sql_add(q, backward ? " < (?, ?, ?, ?)" : " > (?, ?, ?, ?)");
		sql_bind_int(q, subscriber_departed(key_status(f)));
		sql_bind_text(q, key_status(f));
		break;
	default:
		sql_add(q, " AND (s.sort_key, s.id)");
		sql_add(q, backward ? " < (?, ?)" : " > (?, ?)");
	}
	sql_bind_blob(q, f->after_key, f->after_key_len);
	sql_bind_int(q, f->after_id);
}

/* Name order after (backward: before) a key: the keyset within one segment. */
static void add_name_key(struct sql *q, const void *key, int len, long long id, int backward)
{
	sql_add(q, " AND (s.sort_key, s.id)");
	sql_add(q, backward ? " < (?, ?)" : " > (?, ?)");
	sql_bind_blob(q, key, len);
	sql_bind_int(q, id);
}

static void add_order(struct sql *q, enum subscriber_order order, int backward)
{
	static const char *const unit_terms[] = { "u.sort_key IS NULL", "u.sort_key", "s.sort_key",
						  "s.id", NULL };
	static const char *const status_terms[] = { "s.status <> 'active'", "s.status",
						    "s.sort_key", "s.id", NULL };
	/* name_fold follows from sort_key; naming it lets the name index give the order as it
	 * stands, with no sorting of ties. */
	static const char *const name_terms[] = { "s.sort_key", "s.name_fold", "s.id", NULL };
	const char *const *t = order == ORDER_UNIT ? unit_terms
			       : order == ORDER_STATUS ? status_terms : name_terms;
	int i;

	sql_add(q, " ORDER BY ");
	for (i = 0; t[i]; i++) {
		sql_add(q, i ? ", " : "");
		sql_add(q, t[i]);
		sql_add(q, backward ? " DESC" : "");
	}
}

static int sql_prepare(struct kyso_db *db, struct sql *q, sqlite3_stmt **st,
		       struct kyso_err *err)
{
	int i;

	if (q->len >= sizeof(q->text) - 1)
		return kyso_fail(err, KYSO_EIO, "%s", _("the search is too long"));
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
	r->unit_id = sqlite3_column_int64(st, 12);
}
/*
 * Search.  The query's words, folded, must each be a word of the folded name, the citizen
 * ID or the phone; the last word may be the beginning of one, since it is often still
 * being typed ("nguyen th").  A query with "@" in it finds the e-mail addresses that begin
 * with it.  name_word says how many names hold each word, so the number of matches can be
 * guessed before any row is read, and the cheaper of two ways is taken (COST_*):
 *  - walk the name index (sort_key, name_fold, id_number, phone) in order, from where
 *    the first name holding every word can sort (name_word.first_key), testing names
 *    with kyso_match(), until the page is full.  The walk reads the index only, not the rows; it gives up
 *    after a budget of names (matches can cluster late in the order);
 *  - or, when that looks dearer or the walk gave up: the FTS5 index gives the rows
 *    holding the rarest words (a word in one name of five is not worth its long list), a
 *    typed beginning being asked as the whole words it stands for; kyso_match() tests
 *    the rest and the rows are sorted.  Numbers (citizen ID, phone) go to the index,
 *    except the first digits of one, typed: "08" begins most citizen IDs and phones, and
 *    sorting those would read the whole index; the index's own list of words says how
 *    many begin so (kyso_terms, counted up to a bound that grows with the page and the
 *    roster), and when many do the walk tests the numbers the name index holds instead.
 */
#define MAX_WORDS 8
#define MAX_EXPANSION 24        /* words a typed beginning may stand for in the index */
#define FEW_ROWS 3000           /* index words enough once they narrow the rows to this */
#define SCAN_BUDGET_NAMES 50000 /* names the walk may test at least */
#define SCAN_BUDGET_MAX 100000  /* and at most */
/* Numbers beginning alike worth a walk rather than a sort: the walk reads about
 * page * total / m entries of the name index (which holds the numbers, so no row is read)
 * at COST_WALK_NUMBER each, the sort m rows at COST_ROW_NUMBER; they cost the same at
 * m = sqrt(page * total * COST_WALK_NUMBER / COST_ROW_NUMBER), where either takes about
 * 7 ms for a page of 34 rows at a million (measured with the roster's 8 MB page cache and
 * no memory map: a row the sort reads is a read from the file). */
#define DIGITS_MANY_MIN 50
#define COST_WALK_NUMBER 0.32
#define COST_ROW_NUMBER 5.5
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
	int digits_common; /* one number that many begin with: walk the rows, test them */
	int none;       /* a word no name holds: nothing matches */
	double guess;   /* matches expected */
	double candidates; /* rows the FTS5 query is expected to give */
	double fts_rows;   /* entries the FTS5 query reads in its lists */
	double total;      /* subscribers (largest id) */
	unsigned char *start_key; /* no match sorts before this (NULL: from the start) */
	size_t start_len;
	long page;      /* rows the caller wants (0: all) */
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

/* Whether so many numbers in the index begin with the search's one word that walking
 * the name order finds a page sooner than sorting them (kyso_terms lists the index's
 * words; a bounded count costs a millisecond).  Without the list the index answers, as
 * it always did: nothing to report.  A whole list (no page) is always sorted. */
static void number_is_common(struct kyso_db *db, struct search *s)
{
	struct kyso_err err;
	sqlite3_stmt *st;
	char upper[170];
	double many = sqrt((double)s->page * s->total * COST_WALK_NUMBER / COST_ROW_NUMBER);
	int digits_many = many < DIGITS_MANY_MIN ? DIGITS_MANY_MIN : (int)many;

	if (s->page <= 0 || s->lens[0] + 5 > sizeof(upper) ||
	    db_cached(db, "SELECT count(*) FROM (SELECT 1 FROM temp.kyso_terms WHERE term >= ?"
			  " AND term < ? LIMIT ?)", &st, &err))
		return;
	snprintf(upper, sizeof(upper), "%.*s\xf4\x8f\xbf\xbf", (int)s->lens[0], s->words[0]);
	sqlite3_bind_text(st, 1, s->words[0], (int)s->lens[0], SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, digits_many);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= digits_many) {
		s->digits_common = 1;
		s->budget_walk = SCAN_BUDGET_NAMES;
	}
	sqlite3_reset(st);
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
	s->total = total;
	if (s->has_digits && s->n == 1)
		number_is_common(db, s);
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
	/* The index's words and how many rows hold each, for this connection only (temp: the
	 * file is not changed).  Without it, numbers go to the index as they are. */
	sqlite3_exec(db->sql, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.kyso_terms USING "
			      "fts5vocab(main, subscriber_fts, row)", NULL, NULL, NULL);
	db->has_match_fn = 1;
	return 0;
}

#define MATCH_CALL " kyso_match(s.name_fold, s.id_number, s.phone, s.email, ?)"
/* Numbers: the citizen ID and the phone (and the name, for a mixed search). */
#define MATCH_NUMBER_CALL " kyso_match(s.name_fold, s.id_number, s.phone, NULL, ?)"
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

/* Parses and plans the query's search. */
static int search_start(struct kyso_db *db, const struct subscriber_query *f, struct search *s,
			struct kyso_err *err)
{
	if (search_parse(f->search, s))
		return kyso_fail(err, KYSO_EINVAL, _("the search text is not valid UTF-8"));
	s->page = f->limit > 0 ? f->limit : 0;
	if (!s->n && !s->email)
		return 0;
	if (register_match(db, err))
		return KYSO_EIO;
	return s->n ? search_plan(db, s, err) : 0;
}

/* Pages ------------------------------------------------------------------------------ */

/* One call of subscriber_list in progress. */
struct listing {
	struct kyso_db *db;
	const struct subscriber_query *f;
	struct search s;
	long want;   /* rows still to hand out (LONG_MAX: all) */
	long offset; /* rows still to skip */
	int (*fn)(const struct subscriber_row *row, void *ctx);
	void *ctx;
	int stopped; /* fn asked to stop */
	long walked; /* names the walks tested, against the search's budget */
	/* The last row handed out: where the index goes on when a walk gives up. */
	unsigned char *last_key;
	size_t last_len, last_cap;
	long long last_id, last_unit_id;
	char last_status[16];
	int has_last;
	struct kyso_err *err;
};

/* Hands r to the caller; 1 when the listing is over (page full, or fn said stop). */
static int hand_out(struct listing *l, const struct subscriber_row *r)
{
	size_t n = r->sort_key_len > 0 ? (size_t)r->sort_key_len : 0;

	if (n > l->last_cap) {
		unsigned char *nk = realloc(l->last_key, n);

		if (!nk)
			return l->stopped = 1;
		l->last_key = nk;
		l->last_cap = n;
	}
	if (n)
		memcpy(l->last_key, r->sort_key, n);
	l->last_len = n;
	l->last_id = r->id;
	l->last_unit_id = r->unit_id;
	snprintf(l->last_status, sizeof(l->last_status), "%s",
		 r->status ? r->status : subscriber_status_name(STATUS_ACTIVE));
	l->has_last = 1;
	l->want--;
	if (l->fn(r, l->ctx))
		l->stopped = 1;
	return l->stopped || l->want <= 0;
}

/* Hands out the rows of ids, in that order. */
static int emit_ids(struct listing *l, const long long *ids, long n)
{
	sqlite3_stmt *one;
	long i;

	if (n && db_cached(l->db, "SELECT " ROW_COLUMNS " FROM subscriber s LEFT JOIN unit u"
			   " ON u.id = s.unit_id WHERE s.id = ?", &one, l->err))
		return KYSO_EIO;
	for (i = 0; i < n; i++) {
		struct subscriber_row r;
		int over = 0;

		sqlite3_bind_int64(one, 1, ids[i]);
		if (sqlite3_step(one) == SQLITE_ROW) {
			read_row(one, &r);
			over = hand_out(l, &r);
		}
		sqlite3_reset(one);
		if (over)
			break;
	}
	return 0;
}

/* Runs q (which selects s.id, with LIMIT and OFFSET still to add) and hands out those
 * rows.  budget > 0: a walk that gives up after testing so many names; then it returns 1
 * before handing out anything, so that nothing comes out twice. */
static int page_of_ids(struct listing *l, struct sql *q, long budget)
{
	struct search *s = &l->s;
	sqlite3_stmt *st;
	long long *ids = malloc(sizeof(*ids) * (size_t)l->want);
	long n = 0;
	int rc;

	if (!ids)
		return kyso_fail(l->err, KYSO_ENOMEM, _("out of memory"));
	sql_add(q, " LIMIT ? OFFSET ?");
	sql_bind_int(q, l->want);
	sql_bind_int(q, l->offset);
	s->budget = budget;
	s->tested = 0;
	s->over_budget = 0;
	if ((rc = search_prepare(l->db, q, s, &st, l->err)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < l->want)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	s->budget = 0;
	l->walked += s->tested;
	if (s->over_budget) {
		rc = 1;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = db_fail(l->db, l->err, _("listing subscribers"));
	} else {
		l->offset = 0;
		rc = emit_ids(l, ids, n);
	}
out:
	free(ids);
	return rc;
}

/* Runs q (which selects ROW_COLUMNS, with LIMIT still to add) and hands out its rows. */
static int page_of_rows(struct listing *l, struct sql *q)
{
	sqlite3_stmt *st;
	int rc;

	if (l->want != LONG_MAX || l->offset > 0) {
		sql_add(q, " LIMIT ? OFFSET ?");
		sql_bind_int(q, l->want != LONG_MAX ? l->want : -1);
		sql_bind_int(q, l->offset);
	}
	if ((rc = search_prepare(l->db, q, &l->s, &st, l->err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct subscriber_row r;

		read_row(st, &r);
		if (hand_out(l, &r))
			break;
	}
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0
	     : db_fail(l->db, l->err, _("listing subscribers"));
	sqlite3_finalize(st);
	l->offset = 0;
	return rc;
}

/* Every row the filters and the search's index allow, sorted whole in f's order: lists
 * without a limit, searches the index answers, and what a walk gave up on.  A page of a
 * search sorts ids and keys alone and reads its rows afterwards. */
static int list_sorted(struct listing *l, const struct subscriber_query *f)
{
	struct sql q = { 0 };

	if (l->s.n && l->want != LONG_MAX) {
		base_select(&q, &l->s, "s.id");
		add_filters(&q, f);
		add_keyset(&q, f, f->backward);
		add_order(&q, f->order, f->backward);
		return page_of_ids(l, &q, 0);
	}
	base_select(&q, &l->s, ROW_COLUMNS);
	add_filters(&q, f);
	add_keyset(&q, f, f->backward);
	add_order(&q, f->order, f->backward);
	return page_of_rows(l, &q);
}

/*
 * Segments.  Each order is name order within groups: one group for ORDER_NAME, each unit
 * then no unit for ORDER_UNIT, each status for ORDER_STATUS.  A page walks the name index
 * within one group after another, from the group of its key; the store's counts
 * (subscriber_tally) say which groups are empty, so that they cost nothing.  A group of a
 * share p of the rows costs about page / p rows read: unit and status are not in an index.
 */
struct segment {
	int is_unit, is_status;
	long long unit_id;  /* 0: the subscribers of no unit */
	const char *status;
};

/* The statuses in ORDER_STATUS's order: the active, then the departures by name. */
static const enum subscriber_status segment_statuses[] = { STATUS_ACTIVE, STATUS_LEFT,
							   STATUS_RETIRED, STATUS_TRANSFERRED };

static int status_allowed(const char *filter, enum subscriber_status st)
{
	enum status_filter f;

	return !status_filter_parse(filter, &f) && status_filter_takes(f, st);
}

/* The groups of f's order that its filters leave, in order, into *segs (caller frees). */
static int segments_of(struct kyso_db *db, const struct subscriber_query *f,
		       struct segment **segs, int *n, struct kyso_err *err)
{
	sqlite3_stmt *st;
	struct segment *v;
	int cap = 8, rc;
	size_t i;

	*n = 0;
	if (!(v = calloc((size_t)cap, sizeof(*v))))
		return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
	*segs = v;
	if (f->order == ORDER_STATUS) {
		for (i = 0; i < sizeof(segment_statuses) / sizeof(segment_statuses[0]); i++)
			if (status_allowed(f->status, segment_statuses[i])) {
				v[*n].is_status = 1;
				v[(*n)++].status = subscriber_status_name(segment_statuses[i]);
			}
		return 0;
	}
	if (f->order != ORDER_UNIT) {
		*n = 1;
		return 0;
	}
	/* the unit filtered by and the units under it, or every unit */
	if (f->unit_id > 0) {
		if (db_cached(db, "SELECT id FROM unit WHERE id IN " UNIT_SUBTREE_SQL
				  " ORDER BY sort_key, id", &st, err))
			return KYSO_EIO;
		sqlite3_bind_int64(st, 1, f->unit_id);
	} else if (db_cached(db, "SELECT id FROM unit ORDER BY sort_key, id", &st, err)) {
		return KYSO_EIO;
	}
	for (;;) {
		rc = sqlite3_step(st);
		if (*n + 1 >= cap) {
			struct segment *nv = realloc(v, sizeof(*v) * (size_t)cap * 2);

			if (!nv) {
				sqlite3_reset(st);
				return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
			}
			memset(nv + cap, 0, sizeof(*v) * (size_t)cap);
			*segs = v = nv;
			cap *= 2;
		}
		if (rc != SQLITE_ROW)
			break;
		v[*n].is_unit = 1;
		v[(*n)++].unit_id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("listing units"));
	if (f->unit_id > 0)
		return 0;
	v[*n].is_unit = 1; /* no unit: last, as NULL sorts in ORDER_UNIT */
	v[(*n)++].unit_id = 0;
	return 0;
}

static void add_segment(struct sql *q, const struct segment *g)
{
	if (g->is_unit && g->unit_id > 0) {
		sql_add(q, " AND s.unit_id = ?");
		sql_bind_int(q, g->unit_id);
	} else if (g->is_unit) {
		sql_add(q, " AND s.unit_id IS NULL");
	} else if (g->is_status) {
		sql_add(q, " AND s.status = ?");
		sql_bind_text(q, g->status);
	}
}

/* How many rows f's filters allow within g (NULL: anywhere), from the store's counts:
 * a search can find no more. */
static int tally_rows(struct kyso_db *db, const struct subscriber_query *f,
		      const struct segment *g, long *count, struct kyso_err *err)
{
	struct sql q = { 0 };
	sqlite3_stmt *st;
	int rc;

	sql_add(&q, "SELECT coalesce(sum(n), 0) FROM subscriber_tally WHERE 1");
	if (f->unit_id > 0) {
		sql_add(&q, " AND unit_id IN " UNIT_SUBTREE_SQL);
		sql_bind_int(&q, f->unit_id);
	}
	if (f->kind >= 0 && f->kind <= KIND_DEVICE) {
		sql_add(&q, " AND kind = ?");
		sql_bind_text(&q, subscriber_kind_name((enum subscriber_kind)f->kind));
	}
	add_status_filter(&q, "status", f->status);
	if (g && g->is_unit) {
		sql_add(&q, " AND unit_id = ?");
		sql_bind_int(&q, g->unit_id);
	} else if (g && g->is_status) {
		sql_add(&q, " AND status = ?");
		sql_bind_text(&q, g->status);
	}
	if ((rc = sql_prepare(db, &q, &st, err)))
		return rc;
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, err, _("counting subscribers"));
}

/* The page within group g, in name order from the key when has_key.  Without a search the
 * rows come straight from the name index; with one, the walk tests the names the index
 * holds (never reading a row that does not match) and gives up over the budget (1). */
static int segment_page(struct listing *l, const struct segment *g, int has_key)
{
	const struct subscriber_query *f = l->f;
	struct sql q = { 0 };
	long budget;

	if (!l->s.n) {
		sql_add(&q, "SELECT " ROW_COLUMNS " FROM subscriber s LEFT JOIN unit u"
			    " ON u.id = s.unit_id WHERE 1");
		add_filters(&q, f);
		add_segment(&q, g);
		if (has_key)
			add_name_key(&q, f->after_key, f->after_key_len, f->after_id, f->backward);
		add_order(&q, ORDER_NAME, f->backward);
		return page_of_rows(l, &q);
	}
	budget = l->s.budget_walk - l->walked;
	if (budget <= 0)
		return 1;
	/* The name index holds the names and the numbers (citizen ID, phone): the walk
	 * reads no row. */
	sql_add(&q, l->s.digits_common ? "SELECT s.id FROM subscriber s WHERE" MATCH_NUMBER_CALL
				       : "SELECT s.id FROM subscriber s WHERE" MATCH_NAME_CALL);
	q.bind_is_int[q.nbind++] = 2;
	if (l->s.start_key) {
		/* no match sorts earlier: the walk starts (or, backward, ends) there */
		sql_add(&q, " AND s.sort_key >= ?");
		sql_bind_blob(&q, l->s.start_key, (int)l->s.start_len);
	}
	add_filters(&q, f);
	add_segment(&q, g);
	if (has_key)
		add_name_key(&q, f->after_key, f->after_key_len, f->after_id, f->backward);
	add_order(&q, ORDER_NAME, f->backward);
	return page_of_ids(l, &q, budget);
}

/* Where the key row's group is among segs; -1 when the filters leave it out. */
static int key_segment(const struct subscriber_query *f, const struct segment *segs, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (segs[i].is_unit && segs[i].unit_id == (f->after_unit_id > 0 ? f->after_unit_id : 0))
			return i;
		if (segs[i].is_status && !strcmp(segs[i].status, key_status(f)))
			return i;
		if (!segs[i].is_unit && !segs[i].is_status)
			return i;
	}
	return -1;
}

static int takes_every_status(const char *status)
{
	enum status_filter sf;

	return !status_filter_parse(status, &sf) && sf == FILTER_ALL;
}

/* 1 when f's filters leave every row (the store's counts need not be asked). */
static int is_unfiltered(const struct subscriber_query *f, const struct segment *g)
{
	return f->unit_id <= 0 && (f->kind < 0 || f->kind > KIND_DEVICE) &&
	       takes_every_status(f->status) && !g->is_unit &&
	       !g->is_status;
}

/* The page walked group by group from segs[first].  1 when a walk gave up (nothing of
 * its group handed out). */
static int list_segments(struct listing *l, const struct segment *segs, int n, int first)
{
	const struct subscriber_query *f = l->f;
	int i, step = f->backward ? -1 : 1, rc = 0;

	for (i = first; i >= 0 && i < n && l->want > 0 && !l->stopped; i += step) {
		long rows = 1;

		if (!is_unfiltered(f, &segs[i]) &&
		    (rc = tally_rows(l->db, f, &segs[i], &rows, l->err)))
			return rc;
		if (rows == 0)
			continue;
		if ((rc = segment_page(l, &segs[i], f->after_key && i == first)))
			return rc;
	}
	return 0;
}

/* A walk gave up: the index's matches, sorted, from the last row handed out. */
static int list_after_walk(struct listing *l)
{
	struct subscriber_query g = *l->f;

	if (l->has_last) {
		g.after_key = l->last_key;
		g.after_key_len = (int)l->last_len;
		g.after_id = l->last_id;
		g.after_unit_id = l->last_unit_id;
		g.after_status = l->last_status;
	}
	return list_sorted(l, &g);
}

/* The share of all rows that the first group the page walks holds (within the filters):
 * the walk meets a match of the search among them only. */
static int first_share(struct listing *l, const struct segment *segs, int n, int first,
		       double *share)
{
	struct subscriber_query everything = { .kind = -1 };
	long all, rows = 0;
	int i, rc;

	*share = 1;
	if (is_unfiltered(l->f, &segs[first]))
		return 0;
	if ((rc = tally_rows(l->db, &everything, NULL, &all, l->err)))
		return rc;
	for (i = first; i >= 0 && i < n && rows == 0; i += l->f->backward ? -1 : 1)
		if ((rc = tally_rows(l->db, l->f, &segs[i], &rows, l->err)))
			return rc;
	if (all > 0)
		*share = rows > 0 ? (double)rows / (double)all : 1.0 / (double)all;
	return 0;
}

/* 1 when the search's index matches, sorted, cost less than walking the name order
 * through the first group (share: its part of all rows); sets the walk's budget.  In
 * other orders than name order the walk must be clearly cheaper: it may go on through
 * more groups. */
static int prefers_index(struct listing *l, double share)
{
	struct search *s = &l->s;
	double page = (double)(l->offset + l->want);
	double walk = s->guess > 0 ? page * s->total / (s->guess * share) : s->total;
	double by_index = s->fts_rows * COST_LIST + s->candidates * COST_ROW;

	s->budget_walk = (long)(walk * 2 < SCAN_BUDGET_NAMES ? SCAN_BUDGET_NAMES
				: walk * 2 > SCAN_BUDGET_MAX ? SCAN_BUDGET_MAX : walk * 2);
	if (!s->fts)
		return 0;
	if (l->f->order == ORDER_NAME)
		return walk * COST_WALK >= by_index;
	return 2 * walk * COST_WALK >= by_index;
}

int subscriber_list(struct kyso_db *db, const struct subscriber_query *f,
		    int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
		    struct kyso_err *err)
{
	struct listing l = { .db = db, .f = f, .fn = fn, .ctx = ctx, .err = err };
	struct segment *segs = NULL;
	int rc, n, first;
	double share;

	l.want = f->limit > 0 ? f->limit : LONG_MAX;
	l.offset = f->backward || f->offset < 0 ? 0 : f->offset;
	if ((rc = search_start(db, f, &l.s, err)) || l.s.none)
		goto out;
	/* The walk reads names in order, so it pages; the numbers (citizen ID, phone) and
	 * e-mails are rare by nature and the index answers them. */
	if (f->limit <= 0 || (l.offset > 0 && f->order != ORDER_NAME) || l.s.email ||
	    (l.s.has_digits && !l.s.digits_common)) {
		rc = list_sorted(&l, f);
		goto out;
	}
	if ((rc = segments_of(db, f, &segs, &n, err)))
		goto out;
	first = f->after_key ? key_segment(f, segs, n) : f->backward ? n - 1 : 0;
	if (first < 0) {
		/* the key's group is one the filters leave out: compare whole row values */
		rc = list_sorted(&l, f);
		goto out;
	}
	if (l.s.n && !l.s.digits_common) {
		if ((rc = first_share(&l, segs, n, first, &share)))
			goto out;
		if (prefers_index(&l, share)) {
			rc = list_sorted(&l, f);
			goto out;
		}
	}
	rc = list_segments(&l, segs, n, first);
	if (rc == 1)
		rc = list_after_walk(&l);
out:
	free(segs);
	free(l.last_key);
	search_free(&l.s);
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
	if (!s.n && !s.email) {
		rc = tally_rows(db, f, NULL, count, err);
		goto out;
	}
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
