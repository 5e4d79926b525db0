/*
 * report_read.c - a period's numbers and detail rows, read from the history (issue 5):
 * the state of every subscriber, token and certificate at the end of the period, and
 * what happened during it.  Reads only, in one snapshot.
 *
 * A million subscribers with a year of events must be counted in a few passes over the
 * tables, never a query per subscriber.  What changed after the end of the period is
 * few rows next to what did not, so the reader first gathers the exceptions into
 * temporary tables, through the date indexes:
 *   rp_late  the subscribers added after the end (they did not exist then);
 *   rp_sub   the subscribers edited after the end, with every field as it was at the
 *            end (the first later edit of a field holds its old value);
 *   rp_unit  the unit names those old values give, matched to today's units;
 *   rp_tok   the tokens with a step after the end: their state and last PIN change
 *            at the end, from their steps.
 * Everything else is read as it is now.  One pass over the subscribers then fills an
 * array by subscriber id, 4 bytes each: the number of its unit, its kind and whether it
 * was active, at the end.  The tokens, the certificates and the period's events are each
 * read once, in their own order, and find their subscriber there rather than in the
 * subscriber table's pages at random (or in a temporary table: a b-tree lookup a row,
 * and a cache that grew with the roster).  The counts are added up here by unit number
 * and kind, in memory that grows with the number of units.  Apart from the array (4 MB
 * at a million subscribers), the reader's memory is the same at any size of store:
 * SQLite's caches are capped, and the temporary tables hold only the exceptions.  They
 * live in a savepoint that close rolls back: nothing is left behind, whatever happened.
 *
 * Why not without the array: a merge of the subscribers with the tokens, certificates
 * and events in subscriber order needs them sorted (SQLite's sorter through temporary
 * files: about 2 s more at a million) or three covering indexes by subscriber (about
 * 220 MB more in a store of a million, more work in every write, and the events' index
 * read over the whole history instead of the period).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/calendar.h"
#include "kyso/event.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/report.h"
#include "kyso/token.h"

/* The PIN thresholds of the period's end (Art. 13.3). */
struct pin_clock {
	char overdue_before[11];	/* a clock that started before this day is overdue */
	char due_before[11];		/* ... before this one, due within the warning days */
};

/* The units the subscribers belonged to at the end, numbered from 0 as they are met:
 * their keys (unit ids, 0 for none, below 0 for names only the history has) found
 * through a small open-addressing table of their numbers. */
struct unit_keys {
	long long *key;		/* by number */
	uint32_t *slot;		/* a key's number + 1; 0 is an empty slot */
	size_t n, cap;		/* numbers given; slots (a power of two) */
};

/* A subscriber at the end in 32 bits: its unit's number above the flags and its kind
 * (enum subscriber_kind's order). */
#define AT_END_KIND 0x3u
#define AT_END_ACTIVE 0x4u	/* added by the end and not departed by then */
#define AT_END_KNOWN 0x8u	/* a subscriber has this id */
#define AT_END_UNIT_SHIFT 4
#define UNIT_NUMBERS (UINT32_MAX >> AT_END_UNIT_SHIFT)

struct report_reader {
	struct kyso_db *db;
	struct report_period p;
	char expiring_until[11];
	struct pin_clock pin;
	struct db_long_pass saved;	/* the connection's settings, given back */
	uint32_t *at_end;	/* every subscriber at the end, by id - first_id */
	size_t nat_end;
	long long first_id;
	long active;		/* the subscribers active at the end */
	struct unit_keys units;
};

/* A report reads the whole store once: mapping it would put every page read into the
 * process's resident memory, and a large page cache does not help a single pass.  The
 * temporary tables hold only what changed after the end, read in their key's order:
 * past a small cache they are read back from their file. */
#define READER_CACHE_KB 8192
#define READER_TEMP_CACHE_KB 2048

/* --- the exceptions ------------------------------------------------------------------- */

/* The changed fields of subscribers edited after the end: the old value of each field's
 * first change after it.  import_updated keeps its changes under "changes". */
static const char *const sql_then[] = {
	"CREATE TEMP TABLE rp_then (id INTEGER, field TEXT, value TEXT, first INTEGER)",
	"INSERT INTO rp_then\n"
	"  SELECT e.subscriber_id, j.key, json_extract(j.value, '$[0]'), min(e.id)\n"
	"  FROM event e, json_each(CASE e.kind WHEN 'subscriber.import_updated'\n"
	"                          THEN json_extract(e.detail, '$.changes') ELSE e.detail END) j\n"
	"  WHERE e.kind IN ('subscriber.edited', 'subscriber.import_updated')\n"
	"    AND e.on_date > ?1 AND e.subscriber_id IS NOT NULL AND json_valid(e.detail)\n"
	"  GROUP BY e.subscriber_id, j.key",
	"CREATE TEMP TABLE rp_unit (name TEXT PRIMARY KEY, ukey INTEGER NOT NULL)",
	/* Not there at the end: recorded after it, unless their history starts earlier (a
	 * "since" date, issue 11.6), or starting after it. */
	"CREATE TEMP TABLE rp_late (id INTEGER PRIMARY KEY)",
	"INSERT OR IGNORE INTO rp_late\n"
	"  SELECT e.subscriber_id FROM event e JOIN subscriber s ON s.id = e.subscriber_id\n"
	"  WHERE e.kind IN ('subscriber.added', 'subscriber.imported') AND e.on_date > ?1\n"
	"    AND (s.since_on IS NULL OR s.since_on > ?1)",
	"INSERT OR IGNORE INTO rp_late SELECT id FROM subscriber WHERE since_on > ?1",
	"CREATE TEMP TABLE rp_tok (id INTEGER PRIMARY KEY, state TEXT, pin_on TEXT)",
	"INSERT INTO rp_tok\n"
	"  SELECT x.token_id,\n"
	"    (SELECT p.to_state FROM token_step p WHERE p.token_id = x.token_id\n"
	"       AND p.on_date <= ?1 ORDER BY p.on_date DESC, p.id DESC LIMIT 1),\n"
	/* the last change confirmed by the end, else the one declared when it came */
	"    coalesce((SELECT max(p.on_date) FROM token_step p WHERE p.token_id = x.token_id\n"
	"                AND +p.action = 'pin' AND p.on_date <= ?1),\n"
	"             (SELECT json_extract(e.detail, '$.pin_changed_on') FROM event e\n"
	"                WHERE e.token_id = x.token_id AND e.kind = 'token.receive'\n"
	"                  AND json_valid(e.detail)\n"
	"                  AND json_extract(e.detail, '$.pin_changed_on') <= ?1))\n"
	"  FROM (SELECT DISTINCT token_id FROM token_step WHERE on_date > ?1) x",
};

/* The fields a roster row shows, as at the end: one row per subscriber edited since. */
static const char sql_sub[] =
	"CREATE TEMP TABLE rp_sub AS\n"
	"  SELECT s.id AS id,\n"
	"    CASE WHEN p.has_name THEN p.name ELSE s.name END AS name,\n"
	"    CASE WHEN p.has_kind THEN p.kind ELSE s.kind END AS kind,\n"
	"    CASE WHEN p.has_unit THEN coalesce((SELECT ukey FROM rp_unit r WHERE r.name = p.unit), 0)\n"
	"         ELSE coalesce(s.unit_id, 0) END AS ukey,\n"
	"    CASE WHEN p.has_unit THEN p.unit END AS unit,\n"
	"    CASE WHEN p.has_position THEN p.position ELSE s.position END AS position,\n"
	"    CASE WHEN p.has_id_number THEN p.id_number ELSE s.id_number END AS id_number,\n"
	"    CASE WHEN p.has_email THEN p.email ELSE s.email END AS email,\n"
	"    CASE WHEN p.has_phone THEN p.phone ELSE s.phone END AS phone\n"
	"  FROM (SELECT id,\n"
	"          max(field = 'name') AS has_name, max(CASE field WHEN 'name' THEN value END) AS name,\n"
	"          max(field = 'kind') AS has_kind, max(CASE field WHEN 'kind' THEN value END) AS kind,\n"
	"          max(field = 'unit') AS has_unit, max(CASE field WHEN 'unit' THEN value END) AS unit,\n"
	"          max(field = 'position') AS has_position,\n"
	"          max(CASE field WHEN 'position' THEN value END) AS position,\n"
	"          max(field = 'id_number') AS has_id_number,\n"
	"          max(CASE field WHEN 'id_number' THEN value END) AS id_number,\n"
	"          max(field = 'email') AS has_email, max(CASE field WHEN 'email' THEN value END) AS email,\n"
	"          max(field = 'phone') AS has_phone, max(CASE field WHEN 'phone' THEN value END) AS phone\n"
	"        FROM rp_then GROUP BY id) p\n"
	"  JOIN subscriber s ON s.id = p.id";

/* In the queries below, s is a subscriber and t its row of rp_sub (NULL when it was not
 * edited after the end): these give its fields, unit key and kind at the end. */
#define AT_END(col) "CASE WHEN t.id IS NULL THEN s." col " ELSE t." col " END"
#define UKEY_AT_END "CASE WHEN t.id IS NULL THEN coalesce(s.unit_id, 0) ELSE t.ukey END"
#define JOIN_AT_END                                                             \
	" LEFT JOIN rp_sub t ON t.id = s.id"                                    \
	" LEFT JOIN unit u ON u.id = (" UKEY_AT_END ")"
#define UNIT_AT_END "coalesce(u.name, t.unit)"
/* And tk a token, x its row of rp_tok: its state at the end (NULL: not there yet). */
#define TOKEN_STATE_AT_END "CASE WHEN x.id IS NULL THEN tk.state ELSE x.state END"
#define IN_USE(state) "(" state ") IN ('in_use', 'locked')"
/* Active at the end: added by then, not departed by then. */
#define ACTIVE_AT_END                                                           \
	"(s.departed_on IS NULL OR s.departed_on > ?1)"                         \
	" AND NOT EXISTS (SELECT 1 FROM rp_late l WHERE l.id = s.id)"

/* Every subscriber's unit key, kind and whether it was active, at the end: one pass
 * over the subscribers, in their order. */
static const char sql_at_end[] =
	"SELECT s.id, " UKEY_AT_END ", " AT_END("kind") ", " ACTIVE_AT_END
	" FROM subscriber s LEFT JOIN rp_sub t ON t.id = s.id";

/* ?1 is the period's end, ?2 (when the statement has it) its start. */
static void bind_period(sqlite3_stmt *st, const struct report_reader *r)
{
	int n = sqlite3_bind_parameter_count(st);

	if (n >= 1)
		sqlite3_bind_text(st, 1, r->p.end, -1, SQLITE_STATIC);
	if (n >= 2)
		sqlite3_bind_text(st, 2, r->p.from, -1, SQLITE_STATIC);
}

static int exec_bound(struct kyso_db *db, const char *sql, const char *end,
		      struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, sql, &st, err))
		return KYSO_EIO;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_text(st, 1, end, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading the history"));
}

/* Matches the unit names the edits' old values give to today's units (as unit_find
 * compares them); a name no unit has today gets a key of its own below 0. */
static int match_units(struct kyso_db *db, struct kyso_err *err)
{
	sqlite3_stmt *names, *ins;
	long long next_old = -1;
	int rc;

	if (db_prepare(db, "SELECT DISTINCT value FROM rp_then WHERE field = 'unit' "
			   "AND value IS NOT NULL ORDER BY value", &names, err))
		return KYSO_EIO;
	if (db_prepare(db, "INSERT INTO rp_unit(name, ukey) VALUES (?, ?)", &ins, err)) {
		sqlite3_finalize(names);
		return KYSO_EIO;
	}
	while ((rc = sqlite3_step(names)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(names, 0);
		struct kyso_err ignored;
		long long id = 0;

		if (unit_find(db, name, &id, &ignored) || id <= 0)
			id = next_old--;
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, id);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(names);
	sqlite3_finalize(ins);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading the history"));
}

/* --- the subscribers at the end ------------------------------------------------------ */

static size_t slot_of(long long ukey, size_t cap)
{
	unsigned long long h = (unsigned long long)ukey * 0x9E3779B97F4A7C15ULL;

	return (size_t)(h >> 32) & (cap - 1);
}

static int unit_keys_grow(struct unit_keys *u)
{
	size_t cap = u->cap ? u->cap * 2 : 64, i;
	uint32_t *slot = calloc(cap, sizeof(*slot));
	long long *key = slot ? realloc(u->key, cap / 2 * sizeof(*key)) : NULL;

	if (!key) {
		free(slot);
		return -1;
	}
	u->key = key;
	for (i = 0; i < u->n; i++) {
		size_t s;

		for (s = slot_of(key[i], cap); slot[s]; s = (s + 1) & (cap - 1))
			;
		slot[s] = (uint32_t)i + 1;
	}
	free(u->slot);
	u->slot = slot;
	u->cap = cap;
	return 0;
}

/* The unit's number, a new one when add; -1 when it has none (or out of memory). */
static long unit_number(struct unit_keys *u, long long ukey, int add)
{
	size_t s;

	if (add && (u->n + 1) * 2 > u->cap && unit_keys_grow(u))
		return -1;
	if (!u->cap)
		return -1;
	for (s = slot_of(ukey, u->cap); u->slot[s]; s = (s + 1) & (u->cap - 1))
		if (u->key[u->slot[s] - 1] == ukey)
			return (long)u->slot[s] - 1;
	if (!add || u->n >= UNIT_NUMBERS)
		return -1;
	u->key[u->n] = ukey;
	u->slot[s] = (uint32_t)++u->n;
	return (long)u->n - 1;
}

/* A stored kind's index in enum subscriber_kind (a person when unknown). */
static int kind_index(const unsigned char *kind)
{
	int k = subscriber_kind_of_name((const char *)kind);

	return k < 0 ? KIND_PERSON : k;
}

static int count_one(struct report_reader *r, const char *sql, long *n, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(r->db, sql, &st, err))
		return KYSO_EIO;
	bind_period(st, r);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(r->db, err, _("reading the history"));
}

/* Every subscriber's unit, kind and activity at the end, in an array by id: ids are given
 * in order and subscribers never deleted, so it has no holes, and at 4 bytes a
 * subscriber it is the reader's only memory that grows with the store (4 MB at a
 * million).  The passes over tokens, certificates and events then find their subscriber
 * there, in their own order, instead of in the subscriber table's pages at random. */
static int read_subscribers_at_end(struct report_reader *r, struct kyso_err *err)
{
	long first, last;
	sqlite3_stmt *st;
	int rc;

	if ((rc = count_one(r, "SELECT coalesce(min(id), 1) FROM subscriber", &first, err)) ||
	    (rc = count_one(r, "SELECT coalesce(max(id), 0) FROM subscriber", &last, err)))
		return rc;
	r->first_id = first;
	r->nat_end = last >= first ? (size_t)(last - first) + 1 : 0;
	if (r->nat_end && !(r->at_end = calloc(r->nat_end, sizeof(*r->at_end))))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (db_prepare(r->db, sql_at_end, &st, err))
		return KYSO_EIO;
	bind_period(st, r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long i = sqlite3_column_int64(st, 0) - r->first_id;
		long unit = unit_number(&r->units, sqlite3_column_int64(st, 1), 1);
		int active = sqlite3_column_int(st, 3) != 0;

		if (unit < 0) {
			sqlite3_finalize(st);
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		}
		if (i < 0 || (unsigned long long)i >= r->nat_end)
			continue;	/* not in one snapshot */
		r->at_end[i] = (uint32_t)unit << AT_END_UNIT_SHIFT | AT_END_KNOWN |
			       (active ? AT_END_ACTIVE : 0) |
			       (uint32_t)kind_index(sqlite3_column_text(st, 2));
		r->active += active;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(r->db, err, _("reading the history"));
}

/* The entry of the subscriber whose id is column col of st; 0 when no subscriber has
 * that id. */
static uint32_t at_end_of(const struct report_reader *r, sqlite3_stmt *st, int col)
{
	long long i = sqlite3_column_int64(st, col) - r->first_id;

	if (sqlite3_column_type(st, col) == SQLITE_NULL || i < 0 ||
	    (unsigned long long)i >= r->nat_end)
		return 0;
	return r->at_end[i];
}

static int gather_exceptions(struct report_reader *r, struct kyso_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(sql_then) / sizeof(sql_then[0]) && !rc; i++)
		rc = exec_bound(r->db, sql_then[i], r->p.end, err);
	if (!rc)
		rc = match_units(r->db, err);
	if (!rc)
		rc = exec_bound(r->db, sql_sub, r->p.end, err);
	if (!rc)
		rc = exec_bound(r->db, "CREATE UNIQUE INDEX temp.rp_sub_id ON rp_sub(id)", NULL, err);
	if (!rc)
		rc = read_subscribers_at_end(r, err);
	return rc;
}

/* Certificates valid at the end and ending by this day are "expiring": within the next
 * period (the other half, the next year, or as long again as a range). */
static void expiring_horizon(const struct report_period *p, char out[11])
{
	unsigned y = (unsigned)p->year % 9999u;

	switch (p->kind) {
	case REPORT_H1:
		snprintf(out, 11, "%04u-12-31", y);
		break;
	case REPORT_H2:
		snprintf(out, 11, "%04u-06-30", y + 1);
		break;
	case REPORT_YEAR:
		snprintf(out, 11, "%04u-12-31", y + 1);
		break;
	case REPORT_RANGE:
		calendar_add_days(p->end, calendar_days_between(p->from, p->to) + 1, out);
		break;
	}
}

int report_reader_open(struct kyso_db *db, const struct report_period *p,
		       struct report_reader **out, struct kyso_err *err)
{
	struct report_reader *r;
	int rc;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	r->db = db;
	r->p = *p;
	expiring_horizon(p, r->expiring_until);
	db_long_pass_begin(db, &r->saved, READER_CACHE_KB, READER_TEMP_CACHE_KB);
	/* One read transaction for everything the reader gives; the temporary tables are
	 * written inside it and rolled back with it. */
	if (sqlite3_exec(db->sql, "SAVEPOINT report_read", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_fail(db, err, _("reading the history"));
		free(r);
		return rc;
	}
	if ((rc = gather_exceptions(r, err))) {
		report_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

void report_reader_close(struct report_reader *r)
{
	if (!r)
		return;
	sqlite3_exec(r->db->sql, "ROLLBACK TO report_read; RELEASE report_read", NULL, NULL, NULL);
	db_long_pass_end(r->db, &r->saved);
	free(r->at_end);
	free(r->units.key);
	free(r->units.slot);
	free(r);
}

/* --- counting ---------------------------------------------------------------------------- */

/* The numbers of each unit (by its number) and kind of subscriber. */
typedef struct report_numbers unit_numbers[REPORT_KINDS];

/* The rows of st begin with a subscriber's id; count adds each row to the numbers of
 * the subscriber's unit and kind at the end. */
typedef void (*count_fn)(sqlite3_stmt *st, const struct report_reader *r, long *n);

static int count_rows(struct report_reader *r, const char *sql, count_fn count,
		      unit_numbers *num, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(r->db, sql, &st, err))
		return KYSO_EIO;
	bind_period(st, r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t e = at_end_of(r, st, 0);

		if (e & AT_END_KNOWN)
			count(st, r, num[e >> AT_END_UNIT_SHIFT][e & AT_END_KIND].n);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(r->db, err, _("reading the history"));
}

static void count_subscribers(const struct report_reader *r, unit_numbers *num)
{
	size_t i;

	for (i = 0; i < r->nat_end; i++) {
		uint32_t e = r->at_end[i];

		if (e & AT_END_ACTIVE)
			num[e >> AT_END_UNIT_SHIFT][e & AT_END_KIND].n[RN_SUBSCRIBERS_ACTIVE]++;
	}
}

/* Each pass below reads one table in its own order. */

/* Tokens in use at the end, with the day their PIN clock started then (Art. 13.3): the
 * last change confirmed by the end, else the one declared when it came, else the day it
 * came. */
static const char sql_count_tokens[] =
	"SELECT tk.subscriber_id,"
	"  CASE WHEN x.id IS NULL THEN coalesce(tk.pin_changed_on, tk.received_on)"
	"       ELSE coalesce(x.pin_on, tk.received_on) END"
	" FROM token tk LEFT JOIN rp_tok x ON x.id = tk.id"
	" WHERE " IN_USE(TOKEN_STATE_AT_END);

static void count_token(sqlite3_stmt *st, const struct report_reader *r, long *n)
{
	const char *clock = (const char *)sqlite3_column_text(st, 1);

	n[RN_TOKENS_IN_USE]++;
	if (!clock)
		return;
	if (strcmp(clock, r->pin.overdue_before) < 0)
		n[RN_PIN_OVERDUE]++;
	else if (strcmp(clock, r->pin.due_before) < 0)
		n[RN_PIN_DUE]++;
}

/* Certificates issued by the end, in their state at the end.  The whole table is read
 * in its order ("+" keeps the date index out: nearly every row is wanted). */
static const char sql_count_certs[] =
	"SELECT c.subscriber_id, c.not_after, c.revoked_on FROM certificate c"
	" WHERE +c.not_before <= ?1";

static void count_cert(sqlite3_stmt *st, const struct report_reader *r, long *n)
{
	const char *not_after = (const char *)sqlite3_column_text(st, 1);
	const char *revoked_on = (const char *)sqlite3_column_text(st, 2);

	if (revoked_on && strcmp(revoked_on, r->p.end) <= 0)
		n[RN_CERTS_REVOKED]++;
	else if (strcmp(not_after, r->p.end) < 0)
		n[RN_CERTS_EXPIRED]++;
	else if (n[RN_CERTS_VALID]++, strcmp(not_after, r->expiring_until) <= 0)
		n[RN_CERTS_EXPIRING]++;
}

/* What happened during the period, from its events (dated as it happened: a token's
 * step, a certificate's notice), through the index on kind and date. */
static const struct {
	const char *kind;
	enum report_number number;
} period_events[] = {
	{ EVENT_CERT_ISSUED, RN_ISSUED }, { EVENT_CERT_RENEWED, RN_RENEWED },
	{ EVENT_CERT_CHANGED, RN_CHANGED }, { EVENT_CERT_REVOKED, RN_REVOKED },
	{ EVENT_TOKEN_PREFIX TOKEN_ACT_RECOVER, RN_RECOVERED },
	{ EVENT_TOKEN_PREFIX TOKEN_ACT_LOSE, RN_LOST },
	{ EVENT_TOKEN_PREFIX TOKEN_ACT_HANDOVER, RN_HANDED_OVER },
	{ EVENT_TOKEN_PREFIX TOKEN_ACT_RETURN, RN_HANDED_BACK },
	{ EVENT_TOKEN_PREFIX TOKEN_ACT_PIN, RN_PIN_CHANGES_DONE },
};

static const char sql_count_events[] =
	"SELECT e.subscriber_id, e.kind FROM event e"
	" WHERE e.kind IN ('cert.issued', 'cert.renewed', 'cert.changed', 'cert.revoked',"
	"   'token.recover', 'token.lose', 'token.handover', 'token.return', 'token.pin')"
	"   AND e.on_date BETWEEN ?2 AND ?1";

static void count_event(sqlite3_stmt *st, const struct report_reader *r, long *n)
{
	const char *kind = (const char *)sqlite3_column_text(st, 1);
	size_t i;

	(void)r;
	for (i = 0; i < sizeof(period_events) / sizeof(period_events[0]); i++)
		if (!strcmp(kind, period_events[i].kind)) {
			n[period_events[i].number]++;
			return;
		}
}

/* Art. 13.3: at the end, a PIN whose next change was due before the end is overdue;
 * one due within the warning days after it (the end included) is due. */
static int pin_thresholds(struct report_reader *r, int months, int warn_days,
			  struct pin_clock *pc)
{
	char later[11];

	if (calendar_months_before(r->p.end, months, pc->overdue_before) ||
	    calendar_add_days(r->p.end, warn_days + 1, later) ||
	    calendar_months_before(later, months, pc->due_before))
		return -1;
	return 0;
}

static void add_numbers(struct report_numbers *to, const struct report_numbers *from)
{
	int i;

	for (i = 0; i < REPORT_NUMBERS; i++)
		to->n[i] += from->n[i];
}

/* The summary's unit rows: today's units in their tree order, then the names only the
 * history has, then no unit; units today always, the others when they count. */
struct unit_rows {
	struct report_summary *s;
	struct report_reader *r;
	unit_numbers *num;
	int failed;
};

/* The numbers of the unit whose key is ukey; NULL when no subscriber had it. */
static const struct report_numbers *numbers_of(struct unit_rows *ur, long long ukey)
{
	long unit = unit_number(&ur->r->units, ukey, 0);

	return unit < 0 ? NULL : ur->num[unit];
}

static int unit_row_add(struct unit_rows *ur, long long id, const char *name,
			const struct report_numbers *by_kind)
{
	struct report_summary *s = ur->s;
	struct report_unit *grown, *u;
	int k;

	if (!(grown = realloc(s->units, (s->nunits + 1) * sizeof(*grown))))
		return -1;
	s->units = grown;
	u = &s->units[s->nunits];
	memset(u, 0, sizeof(*u));
	u->id = id;
	if (name && !(u->name = strdup(name)))
		return -1;
	s->nunits++;
	for (k = 0; by_kind && k < REPORT_KINDS; k++) {
		add_numbers(&u->num, &by_kind[k]);
		add_numbers(&s->by_kind[k], &by_kind[k]);
		add_numbers(&s->total, &by_kind[k]);
	}
	return 0;
}

static int take_unit(const struct unit *unit, void *ctx)
{
	struct unit_rows *ur = ctx;

	if (unit_row_add(ur, unit->id, unit->name, numbers_of(ur, unit->id))) {
		ur->failed = 1;
		return 1;
	}
	return 0;
}

static int has_numbers(const struct report_numbers *by_kind)
{
	int k, i;

	for (k = 0; by_kind && k < REPORT_KINDS; k++)
		for (i = 0; i < REPORT_NUMBERS; i++)
			if (by_kind[k].n[i])
				return 1;
	return 0;
}

static int unit_rows_build(struct report_reader *r, struct report_summary *s, unit_numbers *num,
			   struct kyso_err *err)
{
	struct unit_rows ur = { s, r, num, 0 };
	const struct report_numbers *none;
	sqlite3_stmt *st;
	int rc;

	if ((rc = unit_list(r->db, take_unit, &ur, err)))
		return rc;
	if (ur.failed)
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (db_prepare(r->db, "SELECT name, ukey FROM rp_unit WHERE ukey < 0 ORDER BY ukey DESC",
		       &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct report_numbers *by_kind = numbers_of(&ur, sqlite3_column_int64(st, 1));

		if (has_numbers(by_kind) &&
		    unit_row_add(&ur, -1, (const char *)sqlite3_column_text(st, 0), by_kind)) {
			sqlite3_finalize(st);
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(r->db, err, _("reading the history"));
	/* Without any unit, the table still has its one row. */
	none = numbers_of(&ur, 0);
	if ((has_numbers(none) || !s->nunits) && unit_row_add(&ur, 0, NULL, none))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	return 0;
}

/* What the numbers assumed: the subscribers recorded after the end without a "since"
 * date, and the tokens recorded after it without the day they came, are not counted;
 * the report says how many and when they were recorded.  Through the event and token
 * date indexes: only rows recorded after the end are read. */
static int read_assumed(struct report_reader *r, struct report_assumed *a,
			struct kyso_err *err)
{
	static const char *const sql[] = {
		"SELECT count(*), min(e.on_date), max(e.on_date) FROM event e"
		" JOIN subscriber s ON s.id = e.subscriber_id"
		" WHERE e.kind IN ('subscriber.added', 'subscriber.imported') AND e.on_date > ?1"
		"   AND s.since_on IS NULL",
		"SELECT count(*), min(on_date), max(on_date) FROM token_step st"
		" JOIN token tk ON tk.id = st.token_id"
		" WHERE st.action = 'receive' AND st.on_date > ?1 AND tk.received_given = 0",
	};
	long *count[] = { &a->subscribers, &a->tokens };
	char *from[] = { a->subscribers_from, a->tokens_from };
	char *to[] = { a->subscribers_to, a->tokens_to };
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st;
		int rc;

		if (db_prepare(r->db, sql[i], &st, err))
			return KYSO_EIO;
		bind_period(st, r);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*count[i] = (long)sqlite3_column_int64(st, 0);
			snprintf(from[i], 11, "%s", sqlite3_column_text(st, 1)
						    ? (const char *)sqlite3_column_text(st, 1) : "");
			snprintf(to[i], 11, "%s", sqlite3_column_text(st, 2)
						  ? (const char *)sqlite3_column_text(st, 2) : "");
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return db_fail(r->db, err, _("reading the history"));
	}
	return 0;
}

int report_reader_summary(struct report_reader *r, struct report_summary *out,
			  struct kyso_err *err)
{
	static const struct {
		const char *sql;
		count_fn count;
	} passes[] = {
		{ sql_count_tokens, count_token },
		{ sql_count_certs, count_cert },
		{ sql_count_events, count_event },
	};
	unit_numbers *num;
	size_t i;
	int rc;

	report_summary_init(out);
	out->period = r->p;
	memcpy(out->expiring_until, r->expiring_until, sizeof(out->expiring_until));
	out->pin_interval_months = token_pin_interval_months(r->db);
	out->pin_warn_days = token_pin_warn_days(r->db);
	db_now(out->generated_at);
	db_today(out->generated_on);
	if ((rc = agency_get(r->db, &out->agency, err)) ||
	    (rc = read_assumed(r, &out->assumed, err)))
		return rc;
	if (pin_thresholds(r, out->pin_interval_months, out->pin_warn_days, &r->pin))
		return kyso_fail(err, KYSO_EINVAL, _("the period's end %s is not a date"), r->p.end);
	if (!(num = calloc(r->units.n ? r->units.n : 1, sizeof(*num))))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	count_subscribers(r, num);
	for (i = 0; i < sizeof(passes) / sizeof(passes[0]) && !rc; i++)
		rc = count_rows(r, passes[i].sql, passes[i].count, num, err);
	if (!rc)
		rc = unit_rows_build(r, out, num, err);
	free(num);
	return rc;
}

int report_compute(struct kyso_db *db, const struct report_period *p, struct report_summary *out,
		   struct kyso_err *err)
{
	struct report_reader *r;
	int rc;

	report_summary_init(out);
	if ((rc = report_reader_open(db, p, &r, err)))
		return rc;
	rc = report_reader_summary(r, out, err);
	report_reader_close(r);
	return rc;
}

/* --- the detail rows ---------------------------------------------------------------------- */

/* The events a report lists: what happened to subscribers, tokens and certificates. */
#define EVENTS_OF_PERIOD                                                        \
	" WHERE e.on_date BETWEEN ?2 AND ?1 AND (e.kind LIKE 'subscriber.%'"     \
	" OR e.kind LIKE 'token.%' OR e.kind LIKE 'cert.%')"

int report_reader_sizes(struct report_reader *r, struct report_sizes *out, struct kyso_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->roster = r->active;
	if ((rc = count_one(r, "SELECT count(*) FROM event e" EVENTS_OF_PERIOD, &out->events, err)) ||
	    (rc = count_one(r, "SELECT count(*) FROM token_step WHERE action = 'handover' "
			    "AND on_date BETWEEN ?2 AND ?1", &out->handovers, err)))
		return rc;
	return count_one(r, "SELECT count(*) FROM token_step WHERE action = 'lose' "
			 "AND on_date BETWEEN ?2 AND ?1", &out->losses, err);
}

/* Runs sql with ?1 the end and ?2 the start (when it has one), calling row(st, call) for
 * each row until it returns non-zero. */
static int each_row(struct report_reader *r, const char *sql,
		    int (*row)(sqlite3_stmt *st, void *call), void *call, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(r->db, sql, &st, err))
		return KYSO_EIO;
	bind_period(st, r);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (row(st, call))
			break;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(r->db, err, _("reading the history"));
}

/* The caller's callback of each kind of row, with its context. */
#define ROW_CALL(type)                                                          \
	struct type##_call {                                                    \
		int (*fn)(const struct report_##type##_row *row, void *ctx);     \
		void *ctx;                                                      \
	}
ROW_CALL(roster);
ROW_CALL(event);
ROW_CALL(handover);
ROW_CALL(loss);

#define TEXT(st, i) ((const char *)sqlite3_column_text((st), (i)))

static const char sql_roster[] =
	"SELECT s.id, " AT_END("kind") ", " AT_END("name") ", " UNIT_AT_END ","
	"  " AT_END("position") ", " AT_END("id_number") ", " AT_END("email") ","
	"  " AT_END("phone")
	" FROM subscriber s" JOIN_AT_END
	" WHERE " ACTIVE_AT_END
	" ORDER BY s.sort_key, s.name_fold, s.id";

static int roster_row(sqlite3_stmt *st, void *call)
{
	struct roster_call *c = call;
	struct report_roster_row row = {
		.id = sqlite3_column_int64(st, 0),
		.kind = kind_index(sqlite3_column_text(st, 1)),
		.name = TEXT(st, 2), .unit = TEXT(st, 3), .position = TEXT(st, 4),
		.id_number = TEXT(st, 5), .email = TEXT(st, 6), .phone = TEXT(st, 7),
	};

	return c->fn(&row, c->ctx);
}

int report_reader_roster(struct report_reader *r,
			 int (*fn)(const struct report_roster_row *row, void *ctx), void *ctx,
			 struct kyso_err *err)
{
	struct roster_call c = { fn, ctx };

	return each_row(r, sql_roster, roster_row, &c, err);
}

/* The serials come from the events' details (a token's step names its token, a
 * certificate's event its certificate), so that no row is looked up but the
 * subscriber's. */
#define DETAIL(path) "CASE WHEN json_valid(e.detail) THEN json_extract(e.detail, '" path "') END"
static const char sql_events[] =
	"SELECT e.id, e.on_date, e.kind, " AT_END("name") ", " UNIT_AT_END ","
	"  CASE WHEN e.kind LIKE 'token.%' THEN " DETAIL("$.serial")
	"       WHEN e.kind LIKE 'cert.%' AND e.token_id IS NOT NULL"
	"       THEN (SELECT serial FROM token WHERE id = e.token_id) END,"
	"  CASE WHEN e.kind LIKE 'cert.%' THEN " DETAIL("$.serial") " END, e.detail"
	" FROM event e LEFT JOIN subscriber s ON s.id = e.subscriber_id" JOIN_AT_END
	EVENTS_OF_PERIOD
	" ORDER BY e.on_date, e.id";

static int event_row(sqlite3_stmt *st, void *call)
{
	struct event_call *c = call;
	struct report_event_row row = {
		.id = sqlite3_column_int64(st, 0),
		.on_date = TEXT(st, 1), .kind = TEXT(st, 2), .subscriber = TEXT(st, 3),
		.unit = TEXT(st, 4), .token_serial = TEXT(st, 5), .cert_serial = TEXT(st, 6),
		.detail = TEXT(st, 7),
	};

	return c->fn(&row, c->ctx);
}

int report_reader_events(struct report_reader *r,
			 int (*fn)(const struct report_event_row *row, void *ctx), void *ctx,
			 struct kyso_err *err)
{
	struct event_call c = { fn, ctx };

	return each_row(r, sql_events, event_row, &c, err);
}

/* The steps of one action during the period, with the token, its subscriber as at the
 * end and the minutes that record the step. */
#define STEPS_FROM                                                              \
	" FROM token_step st JOIN token tk ON tk.id = st.token_id"              \
	" JOIN subscriber s ON s.id = tk.subscriber_id" JOIN_AT_END              \
	" LEFT JOIN document d ON d.id = st.document_id"
#define STEPS_OF(action)                                                        \
	" WHERE st.action = '" action "' AND st.on_date BETWEEN ?2 AND ?1"      \
	" ORDER BY st.on_date, st.id"

static const char sql_handovers[] =
	"SELECT st.on_date, tk.serial, " AT_END("name") ", " UNIT_AT_END ","
	"  p.keeper_name, p.keeper_position, st.party_name, st.party_position, st.ref,"
	"  st.authorised_by, " DOCUMENT_NUMBER_SQL ", st.password_handed"
	STEPS_FROM
	/* the keeper before: the custody the previous step left */
	" LEFT JOIN token_step p ON p.id = (SELECT max(q.id) FROM token_step q"
	"   WHERE q.token_id = st.token_id AND q.id < st.id)"
	STEPS_OF("handover");

static int handover_row(sqlite3_stmt *st, void *call)
{
	struct handover_call *c = call;
	struct report_handover_row row = {
		.on_date = TEXT(st, 0), .serial = TEXT(st, 1), .subscriber = TEXT(st, 2),
		.unit = TEXT(st, 3), .from_name = TEXT(st, 4), .from_position = TEXT(st, 5),
		.to_name = TEXT(st, 6), .to_position = TEXT(st, 7), .ref = TEXT(st, 8),
		.authorised_by = TEXT(st, 9), .document = TEXT(st, 10),
		.password_handed = sqlite3_column_type(st, 11) == SQLITE_NULL
					   ? -1 : sqlite3_column_int(st, 11) != 0,
	};

	return c->fn(&row, c->ctx);
}

int report_reader_handovers(struct report_reader *r,
			    int (*fn)(const struct report_handover_row *row, void *ctx),
			    void *ctx, struct kyso_err *err)
{
	struct handover_call c = { fn, ctx };

	return each_row(r, sql_handovers, handover_row, &c, err);
}

static const char sql_losses[] =
	"SELECT st.on_date, tk.serial, " AT_END("name") ", " UNIT_AT_END ","
	"  coalesce(st.holder_name, st.keeper_name), st.place, st.circumstances, st.discovered,"
	"  " DOCUMENT_NUMBER_SQL ","
	"  (SELECT min(q.on_date) FROM token_step q WHERE q.token_id = st.token_id"
	"     AND q.action = 'revocation_asked' AND q.id > st.id AND q.on_date <= ?1),"
	"  (SELECT q.to_state FROM token_step q WHERE q.token_id = st.token_id"
	"     AND q.on_date <= ?1 ORDER BY q.on_date DESC, q.id DESC LIMIT 1)"
	STEPS_FROM STEPS_OF("lose");

static int loss_row(sqlite3_stmt *st, void *call)
{
	struct loss_call *c = call;
	struct report_loss_row row = {
		.on_date = TEXT(st, 0), .serial = TEXT(st, 1), .subscriber = TEXT(st, 2),
		.unit = TEXT(st, 3), .keeper_name = TEXT(st, 4), .place = TEXT(st, 5),
		.circumstances = TEXT(st, 6), .discovered = TEXT(st, 7), .document = TEXT(st, 8),
		.revocation_asked_on = TEXT(st, 9), .state_at_end = TEXT(st, 10),
	};

	return c->fn(&row, c->ctx);
}

int report_reader_losses(struct report_reader *r,
			 int (*fn)(const struct report_loss_row *row, void *ctx), void *ctx,
			 struct kyso_err *err)
{
	struct loss_call c = { fn, ctx };

	return each_row(r, sql_losses, loss_row, &c, err);
}
