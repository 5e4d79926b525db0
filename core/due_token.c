/*
 * due_token.c - the due list's checks of tokens and certificates (DOMAIN.md §8): renewals
 * (Art. 5.3.b), PIN changes (Art. 13.3), handovers and departures (Art. 14.4), tokens to
 * hand back (Art. 5.3.c), losses (Art. 13.5), loans (Art. 14.3), locked tokens (Art. 6)
 * and minutes not written.  Reads only.
 *
 * Each check is data: the cases (a token, a certificate, a follow-up or a step) as a FROM
 * ... WHERE that an index answers, whose subscriber orders them, and the query that reads
 * one case for its item.  The count is one indexed count; the first DUE_ITEMS_MAX in name
 * order come from the cases through the bounded heap (due.c) or, when the cases are many
 * against the roster (every PIN overdue after an import), from a walk of the name order
 * that stops once it has them - as the e-mail check does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/calendar.h"
#include "kyso/cert.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/token.h"
#include "due_impl.h"
#include "token_impl.h"

/* Art. 5.3.c: a token goes back within this many working days. */
#define RETURN_WORKING_DAYS 5

/* A check over cases the store indexes. */
struct case_check {
	const char *cases;	/* the case's id: "t.id" */
	const char *subscriber; /* whose name orders the case: "t.subscriber_id" */
	const char *from;	/* " FROM ... WHERE ..." with :at, :pin_lo, :pin_hi, :cert_warn_end */
	int walk;		/* the cases may be most of the roster: walk the name order */
	const char *walk_from;	/* the same for one subscriber's cases, when from names an index
				 * that does not serve them (NULL: from) */
	/* One case (:id): subscriber id, name, unit, token id, then what detail reads. */
	const char *item;
	void (*detail)(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz);
	/* The command that clears the case: {serial} the token's serial, {date} the day
	 * (dd/mm/yyyy), {docs} the documents folder (-o); {kind} the minutes' kind. */
	const char *command;
};

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* dd/mm/yyyy of column i (a buffer of its own per call site). */
#define SHOWN(st, i, buf) date_display(col(st, i), buf)

static void bind_named(const struct due_run *r, sqlite3_stmt *st, long long id)
{
	const struct {
		const char *name, *value;
	} texts[] = {
		{ ":at", r->at },
		{ ":pin_lo", r->pin_lo },
		{ ":pin_hi", r->pin_hi },
		{ ":cert_warn_end", r->cert_warn_end },
	};
	size_t i;
	int k;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if ((k = sqlite3_bind_parameter_index(st, texts[i].name)) > 0)
			sqlite3_bind_text(st, k, texts[i].value, -1, SQLITE_STATIC);
	if ((k = sqlite3_bind_parameter_index(st, ":id")) > 0)
		sqlite3_bind_int64(st, k, id);
	if ((k = sqlite3_bind_parameter_index(st, ":sub")) > 0)
		sqlite3_bind_int64(st, k, id);
}

static int prepare(const struct due_run *r, const char *a, const char *b, const char *c,
		   sqlite3_stmt **st, struct kyso_err *err)
{
	char sql[4096];

	snprintf(sql, sizeof(sql), "%s%s%s", a, b, c ? c : "");
	if (db_prepare(r->db, sql, st, err))
		return KYSO_EIO;
	bind_named(r, *st, 0);
	return 0;
}

static int count_cases(struct due_run *r, const struct case_check *k, long *count,
		       struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(r, "SELECT count(*)", k->from, NULL, &st, err))
		return KYSO_EIO;
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(r->db, err, _("reading the due list"));
}

static int roster_size(struct due_run *r, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (r->subscribers >= 0)
		return 0;
	if (db_prepare(r->db, "SELECT coalesce(sum(n), 0) FROM subscriber_tally", &st, err))
		return KYSO_EIO;
	rc = sqlite3_step(st);
	r->subscribers = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(r->db, err, _("reading the due list"));
}

/* Walks the roster in name order, offering each subscriber's cases, until h holds
 * DUE_ITEMS_MAX (those are the first: every later subscriber sorts after) or every case
 * was met.  1 when done within budget subscribers, 0 when the budget ran out. */
static int walk_cases(struct due_run *r, const struct case_check *k, long count, long budget,
		      struct first_rows *h, struct kyso_err *err)
{
	sqlite3_stmt *people = NULL, *cases = NULL;
	char sql[4096];
	long seen = 0, read = 0;
	int rc = 1, step;

	snprintf(sql, sizeof(sql), "SELECT %s%s AND %s = :sub", k->cases,
		 k->walk_from ? k->walk_from : k->from, k->subscriber);
	if (db_prepare(r->db, "SELECT id, sort_key FROM subscriber ORDER BY sort_key, id", &people,
		       err) ||
	    db_prepare(r->db, sql, &cases, err)) {
		rc = KYSO_EIO;
		goto out;
	}
	while (h->n < DUE_ITEMS_MAX && seen < count) {
		if (read++ == budget) {
			rc = 0;
			break;
		}
		if ((step = sqlite3_step(people)) != SQLITE_ROW) {
			rc = step == SQLITE_DONE ? 1 : db_fail(r->db, err, _("reading the due list"));
			break;
		}
		sqlite3_reset(cases);
		bind_named(r, cases, sqlite3_column_int64(people, 0));
		while ((step = sqlite3_step(cases)) == SQLITE_ROW) {
			seen++;
			if (due_first_offer(h, sqlite3_column_int64(cases, 0),
					    sqlite3_column_blob(people, 1),
					    (size_t)sqlite3_column_bytes(people, 1))) {
				rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
				goto out;
			}
		}
		if (step != SQLITE_DONE) {
			rc = db_fail(r->db, err, _("reading the due list"));
			break;
		}
	}
out:
	sqlite3_finalize(people);
	sqlite3_finalize(cases);
	return rc;
}

/* The first cases in name order, into h. */
static int first_cases(struct due_run *r, const struct case_check *k, long count,
		       struct first_rows *h, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char head[256];
	long n = 0;
	int rc;

	/* As the e-mail check: the walk reads about DUE_ITEMS_MAX * roster / count subscribers
	 * while the cases spread over the order; it goes first when that is cheaper than
	 * reading every case, and gives up at a few times that. */
	if (k->walk && (rc = roster_size(r, err)))
		return rc;
	if (k->walk && (double)count * count > (double)DUE_ITEMS_MAX * r->subscribers) {
		long budget = 4 * (long)((double)DUE_ITEMS_MAX * r->subscribers / count) + 1;

		rc = walk_cases(r, k, count, budget, h, err);
		if (rc)
			return rc < 0 ? rc : 0;
		due_first_free(h);
	}
	snprintf(head, sizeof(head), "SELECT %s, (SELECT sort_key FROM subscriber WHERE id = %s)",
		 k->cases, k->subscriber);
	if (prepare(r, head, k->from, NULL, &st, err))
		return KYSO_EIO;
	rc = due_offer_rows(r->db, st, h, &n, _("reading the due list"), err);
	sqlite3_finalize(st);
	return rc;
}

/* The items of the cases kept in h, in name order. */
static const char *minutes_kind(const char *action);

/* The check's command for the case, its {names} filled in (every item's column 4 is a
 * token's serial). */
static void case_command(const struct due_run *r, const struct case_check *k, sqlite3_stmt *st,
			 char *out, size_t outsz)
{
	const char *p = k->command;
	size_t len = 0;

	out[0] = '\0';
	while (*p && len + 1 < outsz) {
		const char *with = NULL, *end;

		if (*p == '{' && (end = strchr(p, '}'))) {
			size_t n = (size_t)(end - p + 1);

			with = !strncmp(p, "{serial}", n) ? col(st, 4)
			       : !strncmp(p, "{date}", n) ? r->at_shown
			       : !strncmp(p, "{docs}", n) ? r->docs
			       : !strncmp(p, "{kind}", n) ? minutes_kind(col(st, 6)) : NULL;
			if (with) {
				len += (size_t)snprintf(out + len, outsz - len, "%s", with);
				if (len >= outsz)
					len = outsz - 1;
				p = end + 1;
				continue;
			}
		}
		out[len++] = *p++;
		out[len] = '\0';
	}
}

static int case_items(struct due_run *r, const struct case_check *k, struct first_rows *h,
		      struct due_found *f, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char detail[1024], command[1200];
	size_t i;
	int rc = 0;

	if (db_prepare(r->db, k->item, &st, err))
		return KYSO_EIO;
	due_first_sort(h);
	for (i = 0; i < h->n && !rc; i++) {
		sqlite3_reset(st);
		bind_named(r, st, h->rows[i].id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			rc = 0;
			continue;
		}
		if (rc != SQLITE_ROW) {
			rc = db_fail(r->db, err, _("reading the due list"));
			break;
		}
		k->detail(r, st, detail, sizeof(detail));
		case_command(r, k, st, command, sizeof(command));
		rc = due_found_add(f, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 3),
				   col(st, 1), col(st, 2), detail, command, err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int run_check(struct due_run *r, const struct case_check *k, struct due_found *f,
		     struct kyso_err *err)
{
	struct first_rows *h;
	int rc;

	if ((rc = count_cases(r, k, &f->count, err)) || !f->count)
		return rc;
	if (!(h = calloc(1, sizeof(*h))))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	if (!(rc = first_cases(r, k, f->count, h, err)))
		rc = case_items(r, k, h, f, err);
	due_first_free(h);
	free(h);
	return rc;
}

int due_token_bounds(struct due_run *r, struct kyso_err *err)
{
	int months = token_pin_interval_months(r->db);
	char after_warn[11];

	r->subscribers = -1;
	r->pin_months = months;
	if (calendar_months_before(r->at, months, r->pin_lo) ||
	    calendar_add_days(r->at, token_pin_warn_days(r->db) + 1, after_warn) ||
	    calendar_months_before(after_warn, months, r->pin_hi) ||
	    calendar_add_days(r->at, cert_warn_days(r->db), r->cert_warn_end))
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				 r->at);
	return 0;
}

/* The item of a token case: its subscriber, the token, then the columns named. */
#define TOKEN_ITEM(cols, where)                                                            \
	"SELECT t.subscriber_id, s.name, u.name, t.id, t.serial, " TOKEN_KEEPER_NAME cols   \
	" FROM token t JOIN subscriber s ON s.id = t.subscriber_id"                         \
	" LEFT JOIN unit u ON u.id = s.unit_id" TOKEN_PEOPLE_JOIN " " where

/* " (kept by X)" when the keeper is not the subscriber itself. */
static const char *kept_by(sqlite3_stmt *st, char *buf, size_t sz)
{
	const char *keeper = col(st, 5), *name = col(st, 1);

	buf[0] = '\0';
	if (keeper && name && strcmp(keeper, name))
		snprintf(buf, sz, _(" (kept by %s)"), keeper);
	return buf;
}

/* Art. 5.3.b ------------------------------------------------------------------------------ */

static void cert_expiring_detail(const struct due_run *r, sqlite3_stmt *st, char *out,
				 size_t outsz)
{
	char d[11];
	long days = calendar_days_between(r->at, col(st, 5));

	if (col(st, 6))
		snprintf(out, outsz,
			 _("certificate %s on token %s expires on %s, in %ld day(s); no renewal recorded"),
			 col(st, 4), col(st, 6), SHOWN(st, 5, d), days);
	else
		snprintf(out, outsz, _("certificate %s expires on %s, in %ld day(s); no renewal recorded"),
			 col(st, 4), SHOWN(st, 5, d), days);
}

/* Valid on the day, ending within the warning days, of an active subscriber, and no
 * certificate of the same subscriber (on the same token, or on none) lasts longer. */
static const struct case_check cert_expiring = {
	"c.id", "c.subscriber_id",
	" FROM certificate c JOIN subscriber s ON s.id = c.subscriber_id"
	" WHERE c.not_after >= :at AND c.not_after <= :cert_warn_end AND c.not_before <= :at"
	" AND (c.status = 'valid' OR c.revoked_on > :at) AND s.status = 'active'"
	" AND NOT EXISTS (SELECT 1 FROM certificate n WHERE n.subscriber_id = c.subscriber_id"
	" AND n.not_after > c.not_after AND (n.status = 'valid' OR n.revoked_on > :at)"
	" AND (n.token_id IS NULL OR c.token_id IS NULL OR n.token_id = c.token_id))",
	1, NULL,
	"SELECT c.subscriber_id, s.name, u.name, coalesce(c.token_id, 0), c.serial, c.not_after,"
	" t.serial FROM certificate c JOIN subscriber s ON s.id = c.subscriber_id"
	" LEFT JOIN unit u ON u.id = s.unit_id LEFT JOIN token t ON t.id = c.token_id"
	" WHERE c.id = :id",
	cert_expiring_detail,
	"kyso cert add --token {serial} --serial SERIAL --from D --to D",
};

int due_cert_expiring(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &cert_expiring, f, err);
}

/* Art. 13.3 --------------------------------------------------------------------------------- */

/* The clock's start: the last confirmed change, else the day the token came. */
#define PIN_START "coalesce(t.pin_changed_on, t.received_on)"
/* Written as the index token_pin_clock writes it, and named: the index on the state
 * would read every token in use.  One subscriber's tokens come through theirs. */
#define PIN_CLOCKED " FROM token t INDEXED BY token_pin_clock WHERE (t.state = 'in_use' OR t.state = 'locked')"
#define PIN_CLOCKED_WALK " FROM token t WHERE (t.state = 'in_use' OR t.state = 'locked')"

static void pin_detail(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz)
{
	char due[11], since[11], shown[11], kept[256];
	const char *changed = col(st, 6), *start = changed ? changed : col(st, 7);
	long late;

	token_pin_due(col(st, 8), changed, col(st, 7), r->pin_months, due);
	late = calendar_days_between(due, r->at);
	date_display(start, since);
	kept_by(st, kept, sizeof(kept));
	if (late > 0 && changed)
		snprintf(out, outsz, _("token %s%s: PIN last changed on %s; it was due on %s, %ld day(s) ago"),
			 col(st, 4), kept, since, date_display(due, shown), late);
	else if (late > 0)
		snprintf(out, outsz, _("token %s%s: no PIN change recorded since it came on %s; it was due on %s, %ld day(s) ago"),
			 col(st, 4), kept, since, date_display(due, shown), late);
	else if (changed)
		snprintf(out, outsz, _("token %s%s: PIN last changed on %s; change it by %s"),
			 col(st, 4), kept, since, date_display(due, shown));
	else
		snprintf(out, outsz, _("token %s%s: no PIN change recorded since it came on %s; change it by %s"),
			 col(st, 4), kept, since, date_display(due, shown));
}

#define PIN_ITEM TOKEN_ITEM(", t.pin_changed_on, t.received_on, t.state", "WHERE t.id = :id")

#define PIN_DUE " AND " PIN_START " >= :pin_lo AND " PIN_START " < :pin_hi"
#define PIN_OVERDUE " AND " PIN_START " < :pin_lo"

static const struct case_check pin_due = {
	"t.id", "t.subscriber_id", PIN_CLOCKED PIN_DUE, 1, PIN_CLOCKED_WALK PIN_DUE, PIN_ITEM,
	pin_detail,
	"kyso token pin-changed --serial {serial} --date {date}",
};

static const struct case_check pin_overdue = {
	"t.id", "t.subscriber_id", PIN_CLOCKED PIN_OVERDUE, 1, PIN_CLOCKED_WALK PIN_OVERDUE,
	PIN_ITEM, pin_detail,
	"kyso token pin-changed --serial {serial} --date {date}",
};

int due_pin_due(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &pin_due, f, err);
}

int due_pin_overdue(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &pin_overdue, f, err);
}

/* Art. 14.4 --------------------------------------------------------------------------------- */

static void new_holder_detail(const struct due_run *r, sqlite3_stmt *st, char *out,
			      size_t outsz)
{
	char d[11];

	(void)r;
	snprintf(out, outsz, _("token %s was handed over to %s on %s; the new holder has not changed the PIN yet"),
		 col(st, 4), col(st, 6) ? col(st, 6) : col(st, 5), SHOWN(st, 7, d));
}

/* Open follow-ups of one kind, through the index on the open ones. */
#define OPEN_FOLLOW_UPS(kind)                                                              \
	" FROM follow_up f JOIN token t ON t.id = f.token_id WHERE f.kind = '" kind "'"    \
	" AND f.closed_on IS NULL"

static const struct case_check new_holder_pin = {
	"f.id", "t.subscriber_id", OPEN_FOLLOW_UPS("new_holder_pin"), 0, NULL,
	/* the new holder as the roster calls them now (a step keeps the name of its day) */
	TOKEN_ITEM(", coalesce((SELECT name FROM subscriber WHERE id = st.party_subscriber_id),"
		   " st.party_name), st.on_date",
		   "JOIN follow_up f ON f.token_id = t.id LEFT JOIN token_step st ON st.id = f.step_id"
		   " WHERE f.id = :id"),
	new_holder_detail,
	"kyso token pin-changed --serial {serial} --date {date}",
};

int due_new_holder_pin(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &new_holder_pin, f, err);
}

static void departed_detail(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz)
{
	char d[11], owner[256] = "";

	(void)r;
	if (col(st, 7) && strcmp(col(st, 7), col(st, 1)))
		snprintf(owner, sizeof(owner), _(" of %s"), col(st, 7));
	snprintf(out, outsz, _("departed on %s; token %s%s (%s) is neither handed over nor returned"),
		 SHOWN(st, 4, d), col(st, 5), owner, token_state_label(col(st, 6)));
}

/* The item names the departed subscriber, who must account for the token. */
static const struct case_check departed_unaccounted = {
	"f.id", "f.subscriber_id", OPEN_FOLLOW_UPS("departure"), 0, NULL,
	"SELECT f.subscriber_id, s.name, u.name, t.id, s.departed_on, t.serial, t.state, o.name"
	" FROM follow_up f JOIN token t ON t.id = f.token_id"
	" JOIN subscriber s ON s.id = f.subscriber_id LEFT JOIN unit u ON u.id = s.unit_id"
	" JOIN subscriber o ON o.id = t.subscriber_id WHERE f.id = :id",
	departed_detail,
	"kyso token return --serial {serial} --date {date} --reason departure",
};

int due_departed_unaccounted(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &departed_unaccounted, f, err);
}

/* Art. 5.3.c -------------------------------------------------------------------------------- */

static void not_returned_detail(const struct due_run *r, sqlite3_stmt *st, char *out,
				size_t outsz)
{
	char why[512], by[11], d1[11], d2[11];
	const char *base;
	long late;

	/* The certificate that ended last: from its revocation notice, or its expiry. */
	if (col(st, 7) && !strcmp(col(st, 7), "revoked")) {
		base = col(st, 9) ? col(st, 9) : col(st, 8);
		snprintf(why, sizeof(why), _("certificate %s revoked on %s (notice of %s)"),
			 col(st, 6), SHOWN(st, 8, d1), date_display(base, d2));
	} else {
		base = col(st, 10);
		snprintf(why, sizeof(why), _("certificate %s expired on %s"), col(st, 6),
			 SHOWN(st, 10, d1));
	}
	if (!base || calendar_add_working_days(base, RETURN_WORKING_DAYS, by)) {
		snprintf(out, outsz, "%s", why);
		return;
	}
	late = calendar_working_days_between(by, r->at);
	if (late > 0)
		snprintf(out, outsz, _("%s; token %s was due back by %s: %ld working day(s) late"),
			 why, col(st, 4), date_display(by, d1), late);
	else
		snprintf(out, outsz, _("%s; hand token %s back by %s"), why, col(st, 4),
			 date_display(by, d1));
}

/* Written as the index token_cert_end writes its WHERE. */
static const struct case_check token_not_returned = {
	"t.id", "t.subscriber_id",
	" FROM token t WHERE t.state <> 'returned' AND t.state <> 'lost' AND t.cert_end_on <= :at",
	1, NULL,
	TOKEN_ITEM(", c.serial, c.status, c.revoked_on, c.notice_on, c.not_after",
		   "JOIN certificate c ON c.id = (SELECT l.id FROM certificate l WHERE l.token_id = t.id"
		   " ORDER BY CASE WHEN l.status = 'revoked' THEN l.revoked_on"
		   " ELSE date(l.not_after, '+1 day') END DESC, l.id DESC LIMIT 1)"
		   " WHERE t.id = :id"),
	not_returned_detail,
	"kyso token return --serial {serial} --date {date}",
};

int due_token_not_returned(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &token_not_returned, f, err);
}

/* Art. 13.5 --------------------------------------------------------------------------------- */

static void lost_detail(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz)
{
	int no_request = sqlite3_column_int(st, 8), no_minutes = sqlite3_column_int(st, 9);
	const char *missing = no_request && no_minutes
				      ? _("no revocation request sent and no lost-token minutes")
			      : no_request ? _("no revocation request sent")
					   : _("no lost-token minutes");
	char d[11];

	(void)r;
	if (!strcmp(col(st, 6), TOKEN_FOUND))
		snprintf(out, outsz, _("token %s lost on %s and found since: %s"), col(st, 4),
			 SHOWN(st, 7, d), missing);
	else
		snprintf(out, outsz, _("token %s lost on %s: %s"), col(st, 4), SHOWN(st, 7, d),
			 missing);
}

#define REVOCATION_OPEN                                                                    \
	"EXISTS (SELECT 1 FROM follow_up r WHERE r.token_id = t.id"                        \
	" AND r.kind = 'revocation_request' AND r.closed_on IS NULL)"
#define LOSS_WITHOUT_MINUTES                                                               \
	"(SELECT l.document_id IS NULL FROM token_step l WHERE l.token_id = t.id"          \
	" AND l.action = 'lose' ORDER BY l.on_date DESC, l.id DESC LIMIT 1)"

static const struct case_check lost_without_revocation = {
	"t.id", "t.subscriber_id",
	" FROM token t WHERE t.state IN ('lost', 'found') AND (" REVOCATION_OPEN
	" OR " LOSS_WITHOUT_MINUTES ")",
	0, NULL,
	TOKEN_ITEM(", t.state, (SELECT max(l.on_date) FROM token_step l WHERE l.token_id = t.id"
		   " AND l.action = 'lose'), " REVOCATION_OPEN ", coalesce(" LOSS_WITHOUT_MINUTES
		   ", 0)",
		   "WHERE t.id = :id"),
	lost_detail,
	"kyso token revocation-asked --serial {serial} --ref DISPATCH; kyso minutes lost --serial {serial} -o {docs}",
};

int due_lost_without_revocation(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &lost_without_revocation, f, err);
}

/* Art. 14.3 --------------------------------------------------------------------------------- */

static void loan_detail(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz)
{
	char d[11];

	snprintf(out, outsz, _("token %s lent to %s until %s (permission %s): %ld day(s) past its end"),
		 col(st, 4), col(st, 6) ? col(st, 6) : "?", SHOWN(st, 7, d),
		 col(st, 8) ? col(st, 8) : "?", calendar_days_between(col(st, 9), r->at));
}

static const struct case_check loan_expired = {
	"f.id", "t.subscriber_id", OPEN_FOLLOW_UPS("loan_return") " AND f.due_on < :at", 0, NULL,
	TOKEN_ITEM(", " TOKEN_HOLDER_NAME ", coalesce(t.loan_until, f.due_on), t.loan_ref, f.due_on",
		   "JOIN follow_up f ON f.token_id = t.id WHERE f.id = :id"),
	loan_detail,
	"kyso token loan-end --serial {serial} --date {date}",
};

int due_loan_expired(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &loan_expired, f, err);
}

/* Art. 6 ------------------------------------------------------------------------------------ */

static void locked_detail(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz)
{
	char d[11];

	snprintf(out, outsz, _("token %s locked since %s (%ld day(s)): ask the department to recover it"),
		 col(st, 4), SHOWN(st, 6, d), calendar_days_between(col(st, 6), r->at));
}

static const struct case_check token_locked = {
	"t.id", "t.subscriber_id", " FROM token t WHERE t.state = 'locked'", 0, NULL,
	TOKEN_ITEM(", t.state_on", "WHERE t.id = :id"), locked_detail,
	"kyso token recover --serial {serial} --date {date}",
};

int due_token_locked(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &token_locked, f, err);
}

/* Minutes ----------------------------------------------------------------------------------- */

/* The `kyso minutes` kind that writes a step's minutes. */
static const char *minutes_kind(const char *action)
{
	return !action ? "handover" : !strcmp(action, TOKEN_ACT_RETURN) ? "return"
	       : !strcmp(action, TOKEN_ACT_LOSE) ? "lost" : "handover";
}

static void minutes_detail(const struct due_run *r, sqlite3_stmt *st, char *out, size_t outsz)
{
	char d[11];

	(void)r;
	snprintf(out, outsz, _("%s of token %s on %s has no minutes yet"),
		 token_action_label(col(st, 6)), col(st, 4), SHOWN(st, 7, d));
}

/* Steps the table records with minutes (handover, return, reuse; a loss while the token
 * is lost or found is lost_without_revocation's), through the index of steps without. */
static const struct case_check minutes_missing = {
	"st.id", "t.subscriber_id",
	" FROM token_step st JOIN token t ON t.id = st.token_id WHERE st.document_id IS NULL"
	" AND st.action IN ('handover', 'return', 'reuse', 'lose')"
	" AND (st.action <> 'lose' OR (t.state <> 'lost' AND t.state <> 'found'))",
	0, NULL,
	TOKEN_ITEM(", st.action, st.on_date", "JOIN token_step st ON st.token_id = t.id WHERE st.id = :id"),
	minutes_detail,
	"kyso minutes {kind} --serial {serial} -o {docs}",
};

int due_minutes_missing(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return run_check(r, &minutes_missing, f, err);
}
