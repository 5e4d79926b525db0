/*
 * token_correct.c - correcting the day a token's step was recorded with (issue 11.1): a
 * date typed wrong, or a token registered without the day it came.  The step keeps its
 * place in the history (the new day lies between the steps before and after it), what the
 * token holds from its steps follows (the day it came, the last PIN change, the day its
 * state began, a loan's end), and so do the follow-ups the step opened or closed and its
 * event.  A "token.corrected" event and an audit row keep the earlier value.  Never
 * changes a state: a step that should not have been recorded is not undone here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/check.h"
#include "kyso/event.h"
#include "kyso/i18n.h"
#include "kyso/token.h"
#include "token_impl.h"

/* The step being corrected and its neighbours in the history's order. */
struct around {
	int want, seen;
	long long id, document_id;
	char action[32], on_date[11], until_on[11], prev[11], next[11];
	char document[96];
};

static int find_step(const struct token_step *s, void *ctx)
{
	struct around *a = ctx;

	a->seen++;
	if (a->seen == a->want - 1)
		snprintf(a->prev, sizeof(a->prev), "%s", s->on_date);
	if (a->seen == a->want + 1) {
		snprintf(a->next, sizeof(a->next), "%s", s->on_date);
		return 1;
	}
	if (a->seen == a->want) {
		a->id = s->id;
		a->document_id = s->document_id;
		snprintf(a->action, sizeof(a->action), "%s", s->action);
		snprintf(a->on_date, sizeof(a->on_date), "%s", s->on_date);
		snprintf(a->until_on, sizeof(a->until_on), "%s", s->until_on ? s->until_on : "");
		snprintf(a->document, sizeof(a->document), "%s",
			 s->document_number ? s->document_number : "");
	}
	return 0;
}

/* The new day: real, not in the future, and between the steps around it. */
static int check_day(const struct around *a, const char *typed, char iso[11],
		     struct kyso_problems *p)
{
	char today[11], shown[11], other[11];

	db_today(today);
	if (date_parse(typed, iso)) {
		kyso_problems_add(p, 0, _("Date"), _("\"%s\" is not a real date (write dd/mm/yyyy)"),
				  typed);
		return -1;
	}
	if (strcmp(iso, today) > 0) {
		kyso_problems_add(p, 0, _("Date"), _("%s is in the future"), date_display(iso, shown));
		return -1;
	}
	if (a->prev[0] && strcmp(iso, a->prev) < 0) {
		kyso_problems_add(p, 0, _("Date"), _("%s is before the step before it (%s)"),
				  date_display(iso, shown), date_display(a->prev, other));
		return -1;
	}
	if (a->next[0] && strcmp(iso, a->next) > 0) {
		kyso_problems_add(p, 0, _("Date"), _("%s is after the step after it (%s)"),
				  date_display(iso, shown), date_display(a->next, other));
		return -1;
	}
	return 0;
}

/* Runs each statement with ?1 the token, ?2 the step, ?3 the new day, ?4 the old day,
 * ?5 the loan's end, ?6 the time. */
static int run_all(struct kyso_db *db, const char *const *sql, size_t n, long long token_id,
		   long long step_id, const char *day, const char *old_day, const char *until,
		   struct kyso_err *err)
{
	char now[21];
	size_t i;

	db_now(now);
	for (i = 0; i < n; i++) {
		sqlite3_stmt *st;
		int rc;

		if (db_prepare(db, sql[i], &st, err))
			return KYSO_EIO;
		sqlite3_bind_int64(st, 1, token_id);
		sqlite3_bind_int64(st, 2, step_id);
		sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, old_day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, until && *until ? until : NULL, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, _("correcting a token's history"));
	}
	return 0;
}

/* The step's new day, and what follows from it. */
static const char *const sql_moves[] = {
	/* the step's event: the latest of its kind on its day */
	"UPDATE event SET on_date = ?3 WHERE id = (SELECT max(e.id) FROM event e, token_step st"
	" WHERE st.id = ?2 AND e.token_id = ?1 AND e.kind = 'token.' || st.action"
	"   AND e.on_date = ?4)",
	"UPDATE token_step SET on_date = ?3 WHERE id = ?2",
	"UPDATE follow_up SET opened_on = ?3,"
	" due_on = CASE kind WHEN '" FOLLOW_LOAN "' THEN due_on ELSE ?3 END WHERE step_id = ?2",
	"UPDATE follow_up SET closed_on = ?3 WHERE closed_by_step = ?2",
	"UPDATE token SET received_on = ?3, received_given = 1"
	" WHERE id = ?1 AND (SELECT action FROM token_step WHERE id = ?2) = 'receive'",
};

/* A loan's new end: on the step, on the token while the loan runs, on its follow-up. */
static const char *const sql_until[] = {
	"UPDATE token_step SET until_on = ?5 WHERE id = ?2",
	"UPDATE follow_up SET due_on = ?5 WHERE step_id = ?2 AND kind = '" FOLLOW_LOAN "'",
	"UPDATE token SET loan_until = ?5 WHERE id = ?1 AND loan_until IS NOT NULL"
	" AND ?2 = (SELECT max(id) FROM token_step WHERE token_id = ?1 AND action = 'lend')",
};

/* What the token holds from its steps, read from them again. */
static const char *const sql_token[] = {
	"UPDATE token SET"
	" pin_changed_on = coalesce((SELECT max(on_date) FROM token_step WHERE token_id = ?1"
	"   AND action = 'pin'), CASE WHEN (SELECT action FROM token_step WHERE id = ?2) = 'pin'"
	"   THEN NULL ELSE pin_changed_on END),"
	" state_on = (SELECT on_date FROM token_step WHERE token_id = ?1"
	"   AND (from_state IS NULL OR from_state <> to_state) ORDER BY on_date DESC, id DESC"
	"   LIMIT 1),"
	" updated_at = ?6, version = version + 1 WHERE id = ?1",
};

int token_correct(struct kyso_db *db, const struct token_correction *c,
		  struct kyso_problems *problems, struct kyso_err *err)
{
	struct kyso_problems local = { 0 };
	struct around a = { 0 };
	struct token t;
	char day[11] = "", until[11] = "", subject[32];
	json_t *body = NULL;
	size_t before;
	int rc;

	if (!problems)
		problems = &local;
	before = kyso_problems_found(problems);
	if (!c->date && !c->until) {
		kyso_problems_add(problems, 0, _("Date"), "%s",
				  _("give the step's new date (or a loan's new end)"));
		kyso_problems_free(&local);
		return kyso_fail(err, KYSO_EINVAL, _("nothing was corrected"));
	}
	if ((rc = db_begin(db, err)))
		return rc;
	if ((rc = token_get(db, c->token_id, &t, err)))
		goto fail;
	if (c->expect_version > 0 && c->expect_version != t.version) {
		rc = kyso_fail(err, KYSO_ECONFLICT,
			       _("token %s was changed by someone else since you read it (version %ld, yours %ld); nothing was saved"),
			       t.serial, t.version, c->expect_version);
		goto fail;
	}
	a.want = c->step;
	if ((rc = token_steps(db, t.id, find_step, &a, err)))
		goto fail;
	if (c->step < 1 || !a.id) {
		kyso_problems_add(problems, 0, _("Step"),
				  _("token %s has no step %d (its history has %d)"), t.serial,
				  c->step, a.seen);
		goto refused;
	}
	if (c->date)
		check_day(&a, c->date, day, problems);
	else
		snprintf(day, sizeof(day), "%s", a.on_date);
	if (c->until) {
		char shown[11];

		if (strcmp(a.action, TOKEN_ACT_LEND))
			kyso_problems_add(problems, 0, _("Until"), "%s",
					  _("only a loan has an end to correct"));
		else if (date_parse(c->until, until))
			kyso_problems_add(problems, 0, _("Until"),
					  _("\"%s\" is not a real date (write dd/mm/yyyy)"), c->until);
		else if (day[0] && strcmp(until, day) < 0)
			kyso_problems_add(problems, 0, _("Until"), _("%s is before the loan began"),
					  date_display(until, shown));
	}
	if (kyso_problems_found(problems) > before)
		goto refused;
	if ((c->date && strcmp(day, a.on_date) &&
	     (rc = run_all(db, sql_moves, sizeof(sql_moves) / sizeof(sql_moves[0]), t.id, a.id,
			   day, a.on_date, NULL, err))) ||
	    (c->until && (rc = run_all(db, sql_until, sizeof(sql_until) / sizeof(sql_until[0]),
				       t.id, a.id, day, a.on_date, until, err))) ||
	    (rc = run_all(db, sql_token, 1, t.id, a.id, day, a.on_date, NULL, err)))
		goto fail;
	body = json_pack("{s:I,s:s,s:i,s:s}", "token_id", (json_int_t)t.id, "serial", t.serial,
			 "step", c->step, "step_action", a.action);
	if (c->date)
		json_object_set_new(body, "date", json_pack("[ss]", a.on_date, day));
	if (c->until)
		json_object_set_new(body, "until", json_pack("[s?s]", a.until_on[0] ? a.until_on : NULL,
							     until));
	if (a.document[0])
		json_object_set_new(body, "minutes", json_string(a.document));
	snprintf(subject, sizeof(subject), "token:%lld", t.id);
	if ((rc = event_record_audited(db, (struct event_new){ .kind = EVENT_TOKEN_CORRECTED,
							       .subscriber_id = t.subscriber_id,
							       .token_id = t.id },
				       "token.correct", subject, body, err)) ||
	    (rc = db_commit(db, err)))
		goto out;
	goto out;
refused:
	rc = kyso_fail(err, KYSO_EINVAL, _("nothing was corrected"));
fail:
	db_rollback(db);
out:
	json_decref(body);
	token_free(&t);
	kyso_problems_free(&local);
	return rc;
}
