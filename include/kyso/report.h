/*
 * report.h - the semiannual and annual reports to the department (DOMAIN.md §7,
 * Art. 9.6, 15.3): periods; the numbers a report gives, by unit, by kind of subscriber
 * and in total, counted from the history so that a past period gives the numbers as they
 * were then; the record of each generated report (its numbers, the SHA-256 of its file,
 * when and under which dispatch number it was sent); the due list's report checks.
 * Only core/report.c writes the report table; reports/xlsx_report.c writes the workbook.
 *
 * Every number is counted for the subscriber it is about (a token's and a certificate's
 * subscriber), in the unit and kind that subscriber had at the end of the period: the
 * subscriber's edits after the end are read back from their history (subscriber.edited
 * and subscriber.import_updated events hold every changed field's old value).  README.md
 * "### Reports" defines each number.
 */
#ifndef KYSO_REPORT_H
#define KYSO_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "kyso/agency.h"
#include "kyso/db.h"
#include "kyso/subscriber.h"

/* The numbers, in the order of the JSON keys and of the workbook's columns.  The first
 * six are as of the end of the period, the next eight count what happened during it,
 * the last three are the PIN clock (Art. 13.3). */
enum report_number {
	RN_SUBSCRIBERS_ACTIVE,
	RN_TOKENS_IN_USE,
	RN_CERTS_VALID,
	RN_CERTS_EXPIRING,
	RN_CERTS_EXPIRED,
	RN_CERTS_REVOKED,
	RN_ISSUED,
	RN_RENEWED,
	RN_CHANGED,
	RN_REVOKED,
	RN_RECOVERED,
	RN_LOST,
	RN_HANDED_OVER,
	RN_HANDED_BACK,
	RN_PIN_CHANGES_DONE,
	RN_PIN_DUE,
	RN_PIN_OVERDUE,
	REPORT_NUMBERS
};

/* The JSON key ("subscribers_active"), fixed: scripts use them. */
const char *report_number_key(enum report_number n);
/* A person's words for it, in the interface language. */
const char *report_number_label(enum report_number n);

struct report_numbers {
	long n[REPORT_NUMBERS];
};

/* Kinds of subscriber, in enum subscriber_kind's order (person, org, device). */
#define REPORT_KINDS SUBSCRIBER_KINDS

/* --- periods ------------------------------------------------------------------------- */

enum report_period_kind { REPORT_H1, REPORT_H2, REPORT_YEAR, REPORT_RANGE };

struct report_period {
	enum report_period_kind kind;
	int year;		/* of from */
	char from[11], to[11];	/* YYYY-MM-DD, the bounds asked */
	/* The last day counted: to, or the day the report is made when the period has not
	 * ended yet (an annual report is due before 20 November). */
	char end[11];
	char label[32];		/* "2026-H1", "2026-H2", "2026", "2026-01-01..2026-11-15" */
};

/* Reads "2026-H1", "2026-H2", "2026" or "FROM..TO" (dates YYYY-MM-DD or dd/mm/yyyy) as of
 * today (YYYY-MM-DD; NULL: db_today).  KYSO_EINVAL with a message saying what is wrong
 * and what is accepted: not a period, not a real date, the end before the start, a
 * period that begins after today. */
int report_period_parse(const char *text, const char *today, struct report_period *p,
			struct kyso_err *err);

/* The period of kind (not REPORT_RANGE) in year, as of today. */
void report_period_of(enum report_period_kind kind, int year, const char *today,
		      struct report_period *p);

/* "h1", "h2", "year", "range" (report.period_kind) and back (-1 when unknown). */
const char *report_period_kind_name(enum report_period_kind kind);
int report_period_kind_parse(const char *name);

/* --- the numbers of a period ---------------------------------------------------------- */

/* One unit's row of the summary. */
struct report_unit {
	long long id;	/* the unit; 0 for subscribers without a unit; -1 for a unit name the
			 * history gives that no unit has today (renamed since) */
	char *name;	/* NULL for no unit */
	struct report_numbers num;
};

/* What a report says: the period, its numbers, and what its title and signature blocks
 * show.  Strings owned by the struct (report_summary_free). */
struct report_summary {
	long long id;			/* the record; 0 when not recorded */
	struct report_period period;
	struct report_numbers total;
	struct report_numbers by_kind[REPORT_KINDS];
	struct report_unit *units;	/* the units today in their tree order, then names
					 * only the history has, then no unit (when it counts) */
	size_t nunits;
	char expiring_until[11];	/* certs_expiring: valid at the end, ending by this day */
	int pin_interval_months, pin_warn_days;
	char generated_at[21];		/* YYYY-MM-DDTHH:MM:SSZ */
	char generated_on[11];		/* the report's date */
	struct agency agency;		/* the profile as it was when generated */
	/* What the numbers assumed (issue 11.6): subscribers recorded after the period's
	 * end with no "since" date, and tokens with no day of receipt, are counted from the
	 * day they were recorded - that is, not at all in this period.  How many, and the
	 * first and last of those days ("" when none). */
	struct report_assumed {
		long subscribers, tokens;
		char subscribers_from[11], subscribers_to[11];
		char tokens_from[11], tokens_to[11];
	} assumed;
	long version;
	char *sent_on, *dispatch, *file_name, *sha256, *actor;
};

/* What the numbers assumed, in the interface language ("12 subscribers without a
 * 'since' date ..."), one sentence for subscribers (which 0) and one for tokens (which
 * 1); "" when nothing was assumed.  Returns out. */
char *report_assumed_text(const struct report_assumed *a, int which, char *out, size_t outsz);

void report_summary_init(struct report_summary *s);
void report_summary_free(struct report_summary *s);

/* A reader of one period's history: one snapshot of the store for the numbers and the
 * detail rows, so that they agree while another kyso writes.  Reads only. */
struct report_reader;

int report_reader_open(struct kyso_db *db, const struct report_period *p,
		       struct report_reader **out, struct kyso_err *err);
void report_reader_close(struct report_reader *r);

/* Counts every number of the period into out (which it initialises), with the agency's
 * profile, the settings and today's date. */
int report_reader_summary(struct report_reader *r, struct report_summary *out,
			  struct kyso_err *err);

/* How many rows the detail sheets will have (for a progress bar). */
struct report_sizes {
	long roster, events, handovers, losses;
};
int report_reader_sizes(struct report_reader *r, struct report_sizes *out, struct kyso_err *err);

/* The roster at the end of the period: the subscribers active then, with the fields
 * they had then, in today's name order (their tokens and certificates are counted in
 * the summary: looking each one's up in name order would read the store at random).
 * Pointers valid during the callback only. */
struct report_roster_row {
	long long id;
	int kind;			/* enum subscriber_kind */
	const char *name, *unit, *position, *id_number, *email, *phone;
};

/* An event of the period (subscriber, token and certificate events), by date. */
struct report_event_row {
	long long id;
	const char *on_date, *kind;	/* event.h's kinds */
	const char *subscriber, *unit;	/* the unit at the end of the period */
	const char *token_serial, *cert_serial;
	const char *detail;		/* the event's JSON, or NULL */
};

/* A handover of the period (Art. 14.4), by date. */
struct report_handover_row {
	const char *on_date, *serial, *subscriber, *unit;
	const char *from_name, *from_position;	/* the keeper before */
	const char *to_name, *to_position;	/* the designated successor */
	const char *ref, *authorised_by, *document;
	int password_handed;			/* 1 yes, 0 no, -1 not said */
};

/* A token lost during the period (Art. 13.5), by date. */
struct report_loss_row {
	const char *on_date, *serial, *subscriber, *unit, *keeper_name;
	const char *place, *circumstances, *discovered, *document;
	const char *revocation_asked_on;	/* by the end of the period, or NULL */
	const char *state_at_end;		/* token.h's state */
};

/* Each calls fn for its rows in order; fn returns non-zero to stop. */
int report_reader_roster(struct report_reader *r,
			 int (*fn)(const struct report_roster_row *row, void *ctx), void *ctx,
			 struct kyso_err *err);
int report_reader_events(struct report_reader *r,
			 int (*fn)(const struct report_event_row *row, void *ctx), void *ctx,
			 struct kyso_err *err);
int report_reader_handovers(struct report_reader *r,
			    int (*fn)(const struct report_handover_row *row, void *ctx),
			    void *ctx, struct kyso_err *err);
int report_reader_losses(struct report_reader *r,
			 int (*fn)(const struct report_loss_row *row, void *ctx), void *ctx,
			 struct kyso_err *err);

/* Opens a reader, counts, closes: the numbers of period p (nothing recorded). */
int report_compute(struct kyso_db *db, const struct report_period *p, struct report_summary *out,
		   struct kyso_err *err);

/* The numbers as JSON: the 17 keys in order. */
json_t *report_numbers_json(const struct report_numbers *n);
/* The 17 keys of the totals, then "by_unit": an object from the unit's name ("" for
 * subscribers without a unit) to the same 17 keys, in the summary's unit order. */
json_t *report_summary_json(const struct report_summary *s);

/* --- the record ----------------------------------------------------------------------- */

/* Records a generated report (its period, numbers, blocks, file name and SHA-256) in one
 * transaction with an event and an audit row; s->id and s->version set. */
int report_record(struct kyso_db *db, struct report_summary *s, const char *file_name,
		  const char *sha256, struct kyso_err *err);

/* Reads recorded report id back: the numbers and blocks as recorded. */
int report_load(struct kyso_db *db, long long id, struct report_summary *out,
		struct kyso_err *err);

/* Records that report id was sent on date (YYYY-MM-DD or dd/mm/yyyy, not in the future
 * nor before the report was made) under dispatch number dispatch.  KYSO_EINVAL with
 * every problem; KYSO_ECONFLICT when expect_version > 0 and the record moved on;
 * KYSO_ENOTFOUND for no such report. */
int report_mark_sent(struct kyso_db *db, long long id, const char *date, const char *dispatch,
		     long expect_version, struct kyso_problems *problems, struct kyso_err *err);

/* One recorded report.  Pointers valid during the callback only. */
struct report_row {
	long long id;
	const char *period, *period_kind, *from_on, *to_on, *generated_at, *generated_on;
	const char *actor, *file_name, *sha256, *sent_on, *dispatch;
	const struct report_numbers *total;
	long version;
};

/* Calls fn for each recorded report, newest first; fn returns non-zero to stop. */
int report_list(struct kyso_db *db, int (*fn)(const struct report_row *row, void *ctx),
		void *ctx, struct kyso_err *err);

/* --- deadlines and the due list -------------------------------------------------------- */

/* Settings: each deadline is a day of the year, MM-DD: the report of a period is due by
 * the first such day after the period begins (the H2 report by 15/01 of the next year).
 * An empty value or "off" asks for no report of that kind. */
#define SETTING_REPORT_H1_DEADLINE "report_h1_deadline"		/* "07-15" */
#define SETTING_REPORT_H2_DEADLINE "report_h2_deadline"		/* "01-15" */
#define SETTING_REPORT_ANNUAL_DEADLINE "report_annual_deadline" /* "11-20" (Art. 9.6) */
#define SETTING_REPORT_WARN_DAYS "report_warn_days"		/* 30: "due" this many days ahead */

/* A report the due list asks for.  Pointers valid during the callback only. */
struct report_due {
	struct report_period period;
	const char *deadline;	/* YYYY-MM-DD */
	const char *detail;	/* for a person: which report, by when, what was done */
};

/* Calls fn for the reports due (late 0: the deadline is within the warning days) or late
 * (late 1: the deadline has passed) as of at (YYYY-MM-DD), that no sent report covers.
 * A report is asked for only when its deadline is not before the first subscriber was
 * recorded (kyso began keeping the roster); a late report is the latest period of its
 * kind whose deadline has passed.  *count (may be NULL) gets how many. */
int report_due_list(struct kyso_db *db, const char *at, int late,
		    int (*fn)(const struct report_due *d, void *ctx), void *ctx, long *count,
		    struct kyso_err *err);

/* Where the report of a period stands as of a day (the reports screen says it). */
enum report_standing {
	REPORT_NOT_ASKED,	/* its kind is off, or an older period no check asks for */
	REPORT_DUE,		/* not sent, its deadline still ahead: the next one to make */
	REPORT_LATE,		/* what the due list's report_late names: the latest period of
				 * its kind whose deadline passed, and no sent report covers it */
	REPORT_SENT,		/* a sent report covers it */
};

struct report_status {
	struct report_period period;
	enum report_standing standing;
	char deadline[11];	/* YYYY-MM-DD; "" when its kind is off */
	long long report_id;	/* the sent report covering it, else the latest made for it
				 * (not sent), else 0 */
	char sent_on[11];	/* the sent report's day, else "" */
};

/* At most this many periods in report_statuses' list. */
#define REPORT_STATUSES 6

/* The periods the reports screen offers as of at (YYYY-MM-DD): this year and last year,
 * each half and the year (the second half of this year once it began), each with where
 * its report stands; the one offered first leads: the report due whose deadline comes
 * first (on 07/12/2026 the second half of 2026, due by 15/01/2027), else the late one
 * whose deadline came last, else the half-year that ended last.  out holds
 * REPORT_STATUSES; *n gets how many. */
int report_statuses(struct kyso_db *db, const char *at, struct report_status *out,
		    size_t *n, struct kyso_err *err);

/* The period report_statuses offers first. */
void report_next_period(struct kyso_db *db, const char *at, struct report_period *p);

/* Event kinds of reports (no subscriber). */
#define EVENT_REPORT_GENERATED "report.generated"
#define EVENT_REPORT_SENT "report.sent"

#endif
