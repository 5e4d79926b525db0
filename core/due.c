/*
 * due.c - the due list (DOMAIN.md §8): each check is a function that counts the cases it
 * finds and keeps the first DUE_ITEMS_MAX of them in name order.  Reads only; never
 * writes the store.
 *
 * The checks of tokens and certificates are in due_token.c; those of reports come with
 * the reports (never a count of 0 that is a guess).  A roster may hold a million subscribers: counts come from the tallies the store keeps
 * (subscriber_tally) wherever they can, the cases themselves through indexes, and the
 * first few are kept in a bounded heap, so nothing reads every row, sorts or holds every
 * match.  The checks read one snapshot of the store, so that counts and items agree while
 * another kyso writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/check.h"
#include "kyso/due.h"
#include "kyso/i18n.h"
#include "kyso/report.h"
#include "kyso/settings.h"
#include "due_impl.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int due_found_add(struct due_found *f, long long subscriber_id, long long token_id,
		  const char *name, const char *unit, const char *detail, const char *command,
		  struct kyso_err *err)
{
	char **s;

	if (f->n == DUE_ITEMS_MAX)
		return 0;
	s = f->strings[f->n];
	s[0] = dup_or_null(name);
	s[1] = dup_or_null(unit);
	s[2] = strdup(detail);
	s[3] = dup_or_null(command);
	if ((name && !s[0]) || (unit && !s[1]) || !s[2] || (command && !s[3])) {
		for (int i = 0; i < 4; i++)
			free(s[i]);
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	}
	f->items[f->n] = (struct due_item){ subscriber_id, token_id, s[0], s[1], s[2], s[3] };
	f->n++;
	return 0;
}

static void found_clear(struct due_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->strings[i][0]);
		free(f->strings[i][1]);
		free(f->strings[i][2]);
		free(f->strings[i][3]);
	}
	memset(f, 0, sizeof(*f));
}

/* The first rows in name order -------------------------------------------------------- */

/* A check that may match many rows keeps the first DUE_ITEMS_MAX of them in name order
 * (sort_key, then id) in a max-heap as it meets them, in whatever order an index gives. */

static int first_cmp(const struct first_row *a, const struct first_row *b)
{
	int c = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int first_qsort_cmp(const void *a, const void *b)
{
	return first_cmp(a, b);
}

static void first_swap(struct first_rows *h, size_t i, size_t j)
{
	struct first_row t = h->rows[i];

	h->rows[i] = h->rows[j];
	h->rows[j] = t;
}

/* Restores the heap (largest at the root) after a row was placed last, at i. */
static void first_sift_up(struct first_rows *h, size_t i)
{
	while (i > 0 && first_cmp(&h->rows[(i - 1) / 2], &h->rows[i]) < 0) {
		first_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void first_sift_down(struct first_rows *h, size_t i)
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;

		if (l < h->n && first_cmp(&h->rows[l], &h->rows[big]) > 0)
			big = l;
		if (r < h->n && first_cmp(&h->rows[r], &h->rows[big]) > 0)
			big = r;
		if (big == i)
			return;
		first_swap(h, i, big);
		i = big;
	}
}

/* Offers a row; kept when it is among the first DUE_ITEMS_MAX so far.  -1 on no memory. */
int due_first_offer(struct first_rows *h, long long id, const void *key, size_t len)
{
	struct first_row cand = { id, (unsigned char *)key, len }, *slot;
	unsigned char *copy;

	if (h->n == DUE_ITEMS_MAX && first_cmp(&cand, &h->rows[0]) >= 0)
		return 0;
	slot = h->n < DUE_ITEMS_MAX ? &h->rows[h->n] : &h->rows[0];
	copy = realloc(h->n < DUE_ITEMS_MAX ? NULL : slot->key, len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, key, len);
	*slot = (struct first_row){ id, copy, len };
	if (h->n < DUE_ITEMS_MAX)
		first_sift_up(h, h->n++);
	else
		first_sift_down(h, 0);
	return 0;
}

/* The kept rows in name order (the heap is spent). */
void due_first_sort(struct first_rows *h)
{
	qsort(h->rows, h->n, sizeof(h->rows[0]), first_qsort_cmp);
}

void due_first_free(struct first_rows *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->rows[i].key);
	h->n = 0;
}

/* Art. 5.1.b ------------------------------------------------------------------------ */

/* A million subscribers are almost all in the domain, and the check must not read each
 * of them.  The tally (subscriber_tally) counts active subscribers by the host after the
 * first '@' of their address, so the count comes from its few groups: every subscriber of
 * a host outside the domain, plus the addresses with no '@' at all, which the tally files
 * under the whole address - outside whatever it reads, and found through the e-mail index
 * for the few hosts in the domain.  The first items in name order come from the rows of
 * the outside hosts through the index on the host or, when those rows are many (a new
 * domain puts every subscriber outside), from a walk of the name order that stops at the
 * DUE_ITEMS_MAX-th case. */

/* The host of an address is the domain or one of its sub-domains: the domain part of
 * check_email, on characters (a '_' or '%' in the domain is no wildcard).  A sub-domain
 * has a label before ".domain". */
static int host_in_domain(const char *host, const char *domain)
{
	size_t hl = strlen(host), dl = strlen(domain);

	return !strcmp(host, domain) ||
	       (hl > dl + 1 && host[hl - dl - 1] == '.' && !strcmp(host + hl - dl, domain));
}

/* No address, no '@', or a host outside the domain. */
static int email_outside(const char *email, const char *domain)
{
	const char *at = email ? strchr(email, '@') : NULL;

	return !at || !host_in_domain(at + 1, domain);
}

/* The hosts of active subscribers' addresses as the tally groups them. */
struct email_hosts {
	char **outside;	/* outside the domain ('' for no address, or nothing after '@') */
	size_t noutside;
	char **inside;	/* in the domain and holding no '@': an address equal to one has no
			 * '@' either, and is outside although the tally files it here */
	size_t ninside;
	long active;	/* every active subscriber */
	long outside_n; /* the subscribers of the outside hosts */
};

static void hosts_free(struct email_hosts *hs)
{
	size_t i;

	for (i = 0; i < hs->noutside; i++)
		free(hs->outside[i]);
	for (i = 0; i < hs->ninside; i++)
		free(hs->inside[i]);
	free(hs->outside);
	free(hs->inside);
	memset(hs, 0, sizeof(*hs));
}

static int hosts_push(char ***list, size_t *n, const char *host)
{
	char **grown, *copy = strdup(host);

	if (!copy || !(grown = realloc(*list, (*n + 1) * sizeof(**list)))) {
		free(copy);
		return -1;
	}
	*list = grown;
	(*list)[(*n)++] = copy;
	return 0;
}

static int read_hosts(struct kyso_db *db, const char *domain, struct email_hosts *hs,
		      struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "SELECT email_host, sum(n) FROM subscriber_tally "
			   "WHERE status = 'active' GROUP BY email_host HAVING sum(n) > 0", &st, err))
		return KYSO_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *host = (const char *)sqlite3_column_text(st, 0);
		long n = (long)sqlite3_column_int64(st, 1);
		int bad = 0;

		hs->active += n;
		if (!host_in_domain(host, domain)) {
			hs->outside_n += n;
			bad = hosts_push(&hs->outside, &hs->noutside, host);
		} else if (!strchr(host, '@')) {
			bad = hosts_push(&hs->inside, &hs->ninside, host);
		}
		if (bad) {
			sqlite3_finalize(st);
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading e-mail addresses"));
}

int due_offer_rows(struct kyso_db *db, sqlite3_stmt *st, struct first_rows *h, long *n,
		   const char *what, struct kyso_err *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*n)++;
		if (due_first_offer(h, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
				(size_t)sqlite3_column_bytes(st, 1)))
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	}
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, what);
}

/* Runs sql once for each of hosts (bound to ?1), or once when there are none (hosts
 * NULL), offering what it finds to h. */
static int offer_hosts(struct kyso_db *db, const char *sql, char *const *hosts, size_t n,
		       struct first_rows *h, long *found, struct kyso_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (db_prepare(db, sql, &st, err))
		return KYSO_EIO;
	if (!hosts)
		rc = due_offer_rows(db, st, h, found, _("reading e-mail addresses"), err);
	for (i = 0; hosts && i < n && !rc; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, hosts[i], -1, SQLITE_STATIC);
		rc = due_offer_rows(db, st, h, found, _("reading e-mail addresses"), err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Addresses with no '@' that the tally files under a host of the domain. */
#define SQL_EMAIL_IS "SELECT id, sort_key FROM subscriber WHERE email = ?1 AND status = 'active'"
/* The subscribers of one host, through the index on the host: the expression must be
 * written as the index writes it, and "email IS NOT NULL" as its WHERE says. */
#define SQL_EMAIL_HOST_IS                                                               \
	"SELECT id, sort_key FROM subscriber WHERE substr(email, instr(email, '@') + 1) = ?1" \
	" AND email IS NOT NULL AND status = 'active'"

/* The first cases in name order, walking the name index until it met DUE_ITEMS_MAX of
 * them or all count.  1 when it did within budget rows, 0 when the budget ran out. */
static int walk_outside(struct kyso_db *db, const char *domain, long count, long budget,
			struct first_rows *h, struct kyso_err *err)
{
	sqlite3_stmt *st;
	long seen = 0, read = 0;
	int rc;

	if (db_prepare(db, "SELECT id, sort_key, email FROM subscriber WHERE status = 'active' "
			   "ORDER BY sort_key, id", &st, err))
		return KYSO_EIO;
	while (h->n < DUE_ITEMS_MAX && seen < count) {
		if (read++ == budget) {
			sqlite3_finalize(st);
			return 0;
		}
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return rc == SQLITE_DONE ? 1 : db_fail(db, err, _("reading e-mail addresses"));
		}
		if (!email_outside((const char *)sqlite3_column_text(st, 2), domain))
			continue;
		seen++;
		if (due_first_offer(h, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
				(size_t)sqlite3_column_bytes(st, 1))) {
			sqlite3_finalize(st);
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	return 1;
}

/* Counts the addresses outside domain into f->count; the first ones go to h. */
static int find_outside_domain(struct kyso_db *db, const char *domain, struct due_found *f,
			       struct first_rows *h, struct kyso_err *err)
{
	struct email_hosts hs = { 0 };
	struct first_rows *walked = NULL;
	long no_at = 0, found = 0;
	int rc;

	if ((rc = read_hosts(db, domain, &hs, err)) ||
	    (rc = offer_hosts(db, SQL_EMAIL_IS, hs.inside, hs.ninside, h, &no_at, err)))
		goto out;
	f->count = hs.outside_n + no_at;
	if (!f->count)
		goto out;
	/* The host index reads every case; a walk of the name order reads about
	 * DUE_ITEMS_MAX * active / count rows while the cases are spread over the order.
	 * The walk goes first when it looks cheaper, and gives up at a few times that, when
	 * the cases gather late in the order. */
	if ((double)f->count * f->count > (double)DUE_ITEMS_MAX * hs.active) {
		long budget = 4 * (long)((double)DUE_ITEMS_MAX * hs.active / f->count);

		if (!(walked = calloc(1, sizeof(*walked)))) {
			rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
			goto out;
		}
		rc = walk_outside(db, domain, f->count, budget, walked, err);
		if (rc < 0)
			goto out;
		if (rc == 1) {
			due_first_free(h);
			*h = *walked;
			walked->n = 0;
			rc = 0;
			goto out;
		}
	}
	rc = offer_hosts(db, SQL_EMAIL_HOST_IS, hs.outside, hs.noutside, h, &found, err);
	/* Subscribers with no address at all are in no index: they were written past
	 * validation (every kind needs an address), so they are few, and one scan finds them. */
	if (!rc && found + no_at < f->count)
		rc = offer_hosts(db, "SELECT id, sort_key FROM subscriber WHERE email IS NULL "
				 "AND status = 'active'", NULL, 0, h, &found, err);
out:
	if (walked)
		due_first_free(walked);
	free(walked);
	hosts_free(&hs);
	return rc;
}

/* Why email is not acceptable, as a line for a person. */
static void email_detail(const char *email, const char *domain, char *out, size_t outsz)
{
	char why[256];

	if (!email || !*email) {
		snprintf(out, outsz, "%s", _("no e-mail address"));
		return;
	}
	if (!check_email(email, domain, why, sizeof(why)))
		snprintf(why, sizeof(why), _("is not in the domain %s"), domain);
	snprintf(out, outsz, "\"%s\" %s", email, why);
}

/* The items for the rows kept in h, in name order. */
static int outside_items(struct kyso_db *db, const char *domain, struct first_rows *h,
			 struct due_found *f, struct kyso_err *err)
{
	sqlite3_stmt *st;
	char detail[512], command[512];
	size_t i;
	int rc = 0;

	if (db_prepare(db, "SELECT s.name, u.name, s.email FROM subscriber s "
			   "LEFT JOIN unit u ON u.id = s.unit_id WHERE s.id = ?", &st, err))
		return KYSO_EIO;
	due_first_sort(h);
	for (i = 0; i < h->n && !rc; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, h->rows[i].id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) { /* deleted meanwhile by another kyso */
			rc = 0;
			continue;
		}
		if (rc != SQLITE_ROW) {
			rc = db_fail(db, err, _("reading e-mail addresses"));
			break;
		}
		email_detail((const char *)sqlite3_column_text(st, 2), domain, detail,
			     sizeof(detail));
		snprintf(command, sizeof(command), "kyso subscriber edit %lld --email NAME@%s",
			 h->rows[i].id, domain);
		rc = due_found_add(f, h->rows[i].id, 0, (const char *)sqlite3_column_text(st, 0),
			       (const char *)sqlite3_column_text(st, 1), detail, command, err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int check_email_domain(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	const char *domain = r->agency.email_domain;
	struct first_rows *h;
	int rc;

	/* Before `kyso init` there is no domain, and no subscriber can have been added. */
	if (!r->has_agency || !domain || !*domain)
		return 0;
	if (!(h = calloc(1, sizeof(*h))))
		return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
	rc = find_outside_domain(r->db, domain, f, h, err);
	if (!rc)
		rc = outside_items(r->db, domain, h, f, err);
	due_first_free(h);
	free(h);
	return rc;
}

/* Art. 9.4 -------------------------------------------------------------------------- */

static int check_focal_point(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	if (r->has_agency && r->agency.focal_name && *r->agency.focal_name)
		return 0;
	f->count = 1;
	if (!r->has_agency)
		return due_found_add(f, 0, 0, NULL, NULL, _("the agency is not set up yet"),
				     "kyso init --agency NAME --code CODE --email-domain DOMAIN --focal NAME",
				     err);
	return due_found_add(f, 0, 0, r->agency.name, NULL,
			     _("the agency profile names no focal-point officer"),
			     "kyso agency edit --focal NAME", err);
}

/* Art. 9.6, 15.3: the reports (report.c decides which are due and which are late). */
struct due_report {
	struct due_found *f;
	const char *agency, *docs;
	struct kyso_err *err;
};

static int take_report(const struct report_due *d, void *ctx)
{
	struct due_report *dr = ctx;
	char command[1200];

	snprintf(command, sizeof(command), "kyso report --period %s -o %s", d->period.label,
		 dr->docs);
	return due_found_add(dr->f, 0, 0, dr->agency, NULL, d->detail, command, dr->err);
}

static int check_reports(struct due_run *r, struct due_found *f, int late, struct kyso_err *err)
{
	struct due_report dr = { f, r->has_agency ? r->agency.name : NULL, r->docs, err };

	return report_due_list(r->db, r->at, late, take_report, &dr, &f->count, err);
}

static int check_report_due(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return check_reports(r, f, 0, err);
}

static int check_report_late(struct due_run *r, struct due_found *f, struct kyso_err *err)
{
	return check_reports(r, f, 1, err);
}

/* The checks, in the order the list shows them (DESIGN.md §5 names them). */
static const struct {
	const char *id;
	const char *rule;
	const char *title;
	int (*run)(struct due_run *r, struct due_found *f, struct kyso_err *err);
	int is_report;
} checks[] = {
	{ "cert_expiring", N_("Art. 5.3.b"), N_("Certificate expiring, no renewal recorded"),
	  due_cert_expiring, 0 },
	{ "pin_due", N_("Art. 13.3"), N_("PIN change due soon"), due_pin_due, 0 },
	{ "pin_overdue", N_("Art. 13.3"), N_("PIN change overdue"), due_pin_overdue, 0 },
	{ "new_holder_pin", N_("Art. 14.4"), N_("New holder has not changed the PIN"),
	  due_new_holder_pin, 0 },
	{ "departed_unaccounted", N_("Art. 14.4"),
	  N_("Departed subscriber's token not handed over or returned"), due_departed_unaccounted, 0 },
	{ "token_not_returned", N_("Art. 5.3.c"),
	  N_("Certificate expired or revoked, token not handed back"), due_token_not_returned, 0 },
	{ "lost_without_revocation", N_("Art. 13.5"),
	  N_("Lost token without revocation request or minutes"), due_lost_without_revocation, 0 },
	{ "loan_expired", N_("Art. 14.3"), N_("Lent token past the end of its loan"),
	  due_loan_expired, 0 },
	{ "token_locked", N_("Art. 6"), N_("Locked token awaiting recovery"), due_token_locked, 0 },
	{ "minutes_missing", N_("Art. 14.4"), N_("Token change without its minutes"),
	  due_minutes_missing, 0 },
	{ "email_outside_domain", N_("Art. 5.1.b"), N_("E-mail outside the province's domain"),
	  check_email_domain, 0 },
	{ "report_due", N_("Art. 9.6, 15.3"), N_("Report to the department coming due"),
	  check_report_due, 1 },
	{ "report_late", N_("Art. 9.6, 15.3"), N_("Report to the department late"),
	  check_report_late, 1 },
	{ "no_focal_point", N_("Art. 9.4"), N_("No focal-point officer recorded"),
	  check_focal_point, 0 },
};

#define DUE_CACHE_KB 8192

int due_list(struct kyso_db *db, const char *at_date,
	     int (*fn)(const struct due_check *c, void *ctx), void *ctx, struct kyso_err *err)
{
	struct due_run r = { .db = db };
	struct db_long_pass saved;
	struct due_found *f;
	size_t i;
	int rc;

	if (!at_date)
		db_today(r.at);
	else if (date_parse(at_date, r.at))
		return kyso_fail(err, KYSO_EINVAL, _("\"%s\" is not a real date (write YYYY-MM-DD)"),
				 at_date);
	/* The checks count through indexes over the whole store (hundreds of thousands of
	 * PIN cases at a million tokens): through the memory map every page they pass would
	 * stay counted as kyso's memory, so they read into a bounded cache. */
	db_long_pass_begin(db, &saved, DUE_CACHE_KB, 0);
	/* One read transaction: the snapshot every check reads (released, never written). */
	if (sqlite3_exec(db->sql, "SAVEPOINT due_list", NULL, NULL, NULL) != SQLITE_OK) {
		db_long_pass_end(db, &saved);
		return db_fail(db, err, _("reading the store"));
	}
	rc = agency_get(db, &r.agency, err);
	if (rc && rc != KYSO_ENOTFOUND)
		goto out;
	r.has_agency = rc == 0;
	date_display(r.at, r.at_shown);
	if (!(r.docs = settings_documents_dir(db))) {
		rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		goto out;
	}
	if ((rc = due_token_bounds(&r, err)))
		goto out;
	if (!(f = calloc(1, sizeof(*f)))) {
		rc = kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		goto out;
	}
	rc = 0;
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]) && !rc; i++) {
		struct due_check c = { checks[i].id, checks[i].rule, _(checks[i].title),
				       checks[i].is_report, 0, NULL, 0 };

		if (!(rc = checks[i].run(&r, f, err))) {
			c.count = f->count;
			c.items = f->items;
			c.nitems = f->n;
			rc = fn(&c, ctx) ? 1 : 0;
		}
		found_clear(f);
	}
	free(f);
out:
	agency_free(&r.agency);
	free(r.docs);
	sqlite3_exec(db->sql, "RELEASE due_list", NULL, NULL, NULL);
	db_long_pass_end(db, &saved);
	return rc > 0 ? 0 : rc;
}
