/*
 * screens.h - how one screen opens another.  Each function pushes a new screen on the
 * stack (ui.h) and returns 0, or -1 after showing why it could not (ui_error).
 *
 *   screen_setup.c       first run: the agency profile, the first units, an import
 *   screen_dashboard.c   "Việc cần làm": the due list, counts, the way to everything else
 *   screen_import.c      import a roster file: dry run, its report, then the real import
 *   screen_roster.c      the roster table: paging, search as you type, filters, sort
 *   screen_subscriber.c  one subscriber: details and history; the add/edit form; depart;
 *                        drafts kept when kyso is stopped with a form open
 *   screen_tokens.c      the token list: paging, search, filters; adding a token; PIN
 *                        changes and returns of several marked tokens
 *   screen_token.c       one token: details, certificates, follow-ups, custody history,
 *                        the changes its state allows, a certificate recorded by hand
 *   screen_handover.c    Art. 14.4: a departed subscriber's tokens handed over or returned
 *   screen_reports.c     the reports to the department: period, numbers, the workbook,
 *                        the reports made and whether they were sent
 */
#ifndef KYSO_TUI_SCREENS_H
#define KYSO_TUI_SCREENS_H

#include "kyso/subscriber.h"

int setup_open(void);
int dashboard_open(void);

/* Asks for a CSV or XLSX file, shows what a dry run of its import found (a scrollable
 * report) and imports it when the officer confirms. */
int import_open(void);

/* What the roster shows when it opens: a filter (kind -1 and unit 0 for any; status as
 * in struct subscriber_query) and the search text to start with (may be NULL). */
struct roster_filter {
	long long unit_id;
	int kind;
	const char *status;
	const char *search;
};
int roster_open(const struct roster_filter *filter);

int subscriber_view_open(long long id);
/* id 0: a new subscriber (of kind, in unit_id when not 0). */
int subscriber_form_open(long long id, int kind, long long unit_id);
int subscriber_depart_open(long long id);

/* What the token list shows when it opens (zero/NULL: any). */
struct tokens_filter {
	const char *state;	/* one state, or "active" */
	long long unit_id;
	const char *search;
};
int tokens_open(const struct tokens_filter *filter);
int token_view_open(long long id);

/* Art. 14.4: the handover or return of the tokens a departed subscriber leaves
 * unaccounted for.  departure_flow_offer opens it only when there are some (after a
 * departure was recorded); departure_flow_open says so when there are none. */
int departure_flow_open(long long subscriber_id);
int departure_flow_offer(long long subscriber_id);
/* The reports to the department, the next one due chosen. */
int reports_open(void);

/* At start: when drafts were saved by an earlier kyso that was stopped (SIGHUP,
 * SIGTERM), offers to restore them.  0 whatever the officer chose. */
int drafts_offer(void);

#endif
