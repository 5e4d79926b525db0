/*
 * token_list.c - reading tokens: lists with filters and search, counts, a token's
 * history (its steps, with the minutes that record them) and its open follow-ups; and
 * the writing of steps, which token.c and token_state.c share.  Lists walk the serial
 * order (the unique index on serial_key) and stop at the limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/agency.h"
#include "kyso/document.h"
#include "kyso/i18n.h"
#include "kyso/text.h"
#include "token_impl.h"

/* Words of a search, at most this many. */
#define WORDS_MAX 8

/* A query being built: its WHERE and the values bound to it, in order. */
struct where {
	char sql[2048];
	size_t len;
	struct {
		int is_int;
		long long n;
		char *text; /* owned */
	} binds[4 * WORDS_MAX + 8];
	int nbind;
};

static void where_add(struct where *w, const char *sql)
{
	w->len += (size_t)snprintf(w->sql + w->len, sizeof(w->sql) - w->len, "%s", sql);
	if (w->len >= sizeof(w->sql))
		w->len = sizeof(w->sql) - 1;
}

static void bind_int(struct where *w, long long n)
{
	w->binds[w->nbind].is_int = 1;
	w->binds[w->nbind++].n = n;
}

static void bind_text(struct where *w, char *owned)
{
	w->binds[w->nbind].is_int = 0;
	w->binds[w->nbind++].text = owned;
}

static void where_free(struct where *w)
{
	int i;

	for (i = 0; i < w->nbind; i++)
		if (!w->binds[i].is_int)
			free(w->binds[i].text);
	w->nbind = 0;
}

/* " word": names match where one of their words begins so ("van" finds "Văn", not
 * "Vân"'s neighbours inside other words). */
static char *word_start(const char *word)
{
	char *out = malloc(strlen(word) + 2);

	if (out)
		sprintf(out, " %s", word);
	return out;
}

/* Each word of text (folded) must begin a word of the keeper's or holder's name, or with
 * with_serial, of the subscriber's name, or be part of the serial. */
static void add_words(struct where *w, const char *text, int with_serial)
{
	char *fold = text_fold(text), *save = NULL, *word;
	int n = 0;

	for (word = fold ? strtok_r(fold, " \t", &save) : NULL; word && n < WORDS_MAX;
	     word = strtok_r(NULL, " \t", &save), n++) {
		char *key = token_serial_key(word);

		if (!with_serial) {
			where_add(w, " AND instr(' ' || coalesce(t.people_fold, ''), ?) > 0");
			bind_text(w, word_start(word));
			free(key);
			continue;
		}
		where_add(w, " AND (instr(' ' || coalesce(t.people_fold, ''), ?) > 0"
			     " OR instr(' ' || s.name_fold, ?) > 0 OR instr(t.serial_key, ?) > 0)");
		bind_text(w, word_start(word));
		bind_text(w, word_start(word));
		bind_text(w, key ? key : strdup(word));
	}
	free(fold);
}

static void build_where(const struct token_query *q, struct where *w)
{
	memset(w, 0, sizeof(*w));
	where_add(w, " WHERE 1");
	if (q->state && !strcmp(q->state, "active")) {
		/* most tokens: walk the serial order rather than the index of states */
		where_add(w, " AND t.state NOT IN ('lost', 'returned')");
	} else if (q->state && *q->state) {
		where_add(w, " AND t.state = ?");
		bind_text(w, strdup(q->state));
	}
	if (q->subscriber_id > 0) {
		where_add(w, " AND t.subscriber_id = ?");
		bind_int(w, q->subscriber_id);
	}
	if (q->keeper_id > 0) {
		where_add(w, " AND (t.keeper_subscriber_id = ? OR t.holder_subscriber_id = ?)");
		bind_int(w, q->keeper_id);
		bind_int(w, q->keeper_id);
	}
	if (q->unit_id > 0) {
		where_add(w, " AND s.unit_id IN " UNIT_SUBTREE_SQL);
		bind_int(w, q->unit_id);
	}
	if (!text_is_blank(q->holder))
		add_words(w, q->holder, 0);
	if (!text_is_blank(q->search))
		add_words(w, q->search, 1);
}

static int prepare_where(struct kyso_db *db, const char *head, struct where *w,
			 const char *tail, sqlite3_stmt **st, struct kyso_err *err)
{
	char sql[4096];
	int i;

	snprintf(sql, sizeof(sql), "%s%s%s", head, w->sql, tail);
	if (db_prepare(db, sql, st, err))
		return KYSO_EIO;
	for (i = 0; i < w->nbind; i++) {
		if (w->binds[i].is_int)
			sqlite3_bind_int64(*st, i + 1, w->binds[i].n);
		else
			sqlite3_bind_text(*st, i + 1, w->binds[i].text, -1, SQLITE_STATIC);
	}
	return 0;
}

int token_list(struct kyso_db *db, const struct token_query *q,
	       int (*fn)(const struct token_row *row, void *ctx), void *ctx,
	       struct kyso_err *err)
{
	struct where w;
	sqlite3_stmt *st;
	int months = token_pin_interval_months(db), rc;

	build_where(q, &w);
	rc = prepare_where(db, "SELECT t.id, t.serial, t.model, t.state, t.state_on, t.kind, "
			       "t.subscriber_id, s.name, u.name, " TOKEN_KEEPER_NAME ", "
			       TOKEN_HOLDER_NAME ", "
			       "t.loan_until, t.pin_changed_on, t.received_on, t.pin_pending, "
			       "t.version, t.loan_ref" TOKEN_FROM,
			   &w, " ORDER BY t.serial_key LIMIT ? OFFSET ?", &st, err);
	if (rc) {
		where_free(&w);
		return rc;
	}
	sqlite3_bind_int64(st, w.nbind + 1, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(st, w.nbind + 2, q->offset > 0 ? q->offset : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum token_kind k = TOKEN_KIND_USB;
		char due[11];
		struct token_row r = {
			.id = sqlite3_column_int64(st, 0),
			.serial = (const char *)sqlite3_column_text(st, 1),
			.model = (const char *)sqlite3_column_text(st, 2),
			.state = (const char *)sqlite3_column_text(st, 3),
			.state_on = (const char *)sqlite3_column_text(st, 4),
			.subscriber_id = sqlite3_column_int64(st, 6),
			.subscriber_name = (const char *)sqlite3_column_text(st, 7),
			.unit = (const char *)sqlite3_column_text(st, 8),
			.keeper_name = (const char *)sqlite3_column_text(st, 9),
			.holder_name = (const char *)sqlite3_column_text(st, 10),
			.loan_until = (const char *)sqlite3_column_text(st, 11),
			.pin_changed_on = (const char *)sqlite3_column_text(st, 12),
			.pin_pending = sqlite3_column_int(st, 14),
			.version = (long)sqlite3_column_int64(st, 15),
			.loan_ref = (const char *)sqlite3_column_text(st, 16),
		};

		token_kind_parse((const char *)sqlite3_column_text(st, 5), &k);
		r.kind = k;
		token_pin_due(r.state, r.pin_changed_on, (const char *)sqlite3_column_text(st, 13),
			      months, due);
		r.pin_due_on = due[0] ? due : NULL;
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(st);
	where_free(&w);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("listing tokens"));
	return 0;
}

int token_count(struct kyso_db *db, const struct token_query *q, long *count,
		struct kyso_err *err)
{
	struct where w;
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	build_where(q, &w);
	rc = prepare_where(db, "SELECT count(*)" TOKEN_FROM, &w, "", &st, err);
	if (!rc) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*count = (long)sqlite3_column_int64(st, 0);
		rc = rc == SQLITE_ROW ? 0 : db_fail(db, err, _("counting tokens"));
		sqlite3_finalize(st);
	}
	where_free(&w);
	return rc;
}

/* Steps ----------------------------------------------------------------------------------- */

int token_step_insert_tx(struct kyso_db *db, const struct token_step *s, long long *id,
			 struct kyso_err *err)
{
	const char *texts[] = { s->on_date, s->action, s->from_state, s->to_state,
				s->keeper_name, s->keeper_position, s->holder_name,
				s->holder_position, s->party_name, s->party_position, s->ref,
				s->authorised_by, s->until_on, s->place, s->circumstances,
				s->discovered, s->reason, s->note };
	sqlite3_stmt *st;
	char now[21];
	int rc, i;

	if (db_cached(db, "INSERT INTO token_step(on_date, action, from_state, to_state, "
			  "keeper_name, keeper_position, holder_name, holder_position, party_name, "
			  "party_position, ref, authorised_by, until_on, place, circumstances, "
			  "discovered, reason, note, token_id, party_subscriber_id, password_handed, "
			  "actor, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err))
		return KYSO_EIO;
	for (i = 0; i < (int)(sizeof(texts) / sizeof(texts[0])); i++)
		sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, ++i, s->token_id);
	if (s->party_subscriber_id > 0)
		sqlite3_bind_int64(st, i + 1, s->party_subscriber_id);
	i++;
	if (s->password_handed >= 0)
		sqlite3_bind_int(st, i + 1, s->password_handed);
	i++;
	db_now(now);
	sqlite3_bind_text(st, ++i, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, ++i, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("recording a token's change"));
	*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

json_t *token_step_json(const struct token_step *s, const char *serial)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "token_id", json_integer(s->token_id));
	token_json_set(o, "serial", serial, "action", s->action, "date", s->on_date, "from",
		       s->from_state, "to", s->to_state, "keeper", s->keeper_name,
		       "keeper_position", s->keeper_position, "holder", s->holder_name,
		       "party", s->party_name, "party_position", s->party_position, "ref", s->ref,
		       "authorised_by", s->authorised_by, "until", s->until_on, "place", s->place,
		       "circumstances", s->circumstances, "discovered", s->discovered, "reason",
		       s->reason, "note", s->note, NULL);
	if (s->party_subscriber_id > 0)
		json_object_set_new(o, "party_subscriber_id", json_integer(s->party_subscriber_id));
	if (s->password_handed >= 0)
		json_object_set_new(o, "password_handed", json_boolean(s->password_handed));
	return o;
}

#define STEP_SELECT                                                                        \
	"SELECT st.id, st.token_id, st.on_date, st.action, st.from_state, st.to_state, "    \
	"st.keeper_name, st.keeper_position, st.holder_name, st.holder_position, "         \
	"st.party_name, st.party_position, coalesce(st.party_subscriber_id, 0), st.ref, "  \
	"st.authorised_by, st.until_on, st.place, st.circumstances, st.discovered, "       \
	"st.reason, st.note, coalesce(st.password_handed, -1), coalesce(st.document_id, 0), " \
	DOCUMENT_NUMBER_SQL ", "                                                           \
	"st.actor, st.at FROM token_step st LEFT JOIN document d ON d.id = st.document_id "

static void read_step(sqlite3_stmt *st, struct token_step *s)
{
	const char **texts[] = { &s->on_date, &s->action, &s->from_state, &s->to_state,
				 &s->keeper_name, &s->keeper_position, &s->holder_name,
				 &s->holder_position, &s->party_name, &s->party_position };
	const char **more[] = { &s->ref, &s->authorised_by, &s->until_on, &s->place,
				&s->circumstances, &s->discovered, &s->reason, &s->note };
	int c = 2;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	s->token_id = sqlite3_column_int64(st, 1);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		*texts[i] = (const char *)sqlite3_column_text(st, c++);
	s->party_subscriber_id = sqlite3_column_int64(st, c++);
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		*more[i] = (const char *)sqlite3_column_text(st, c++);
	s->password_handed = sqlite3_column_int(st, c++);
	s->document_id = sqlite3_column_int64(st, c++);
	s->document_number = (const char *)sqlite3_column_text(st, c++);
	s->actor = (const char *)sqlite3_column_text(st, c++);
	s->at = (const char *)sqlite3_column_text(st, c++);
}

/* Calls fn for each step st finds. */
static int each_step(struct kyso_db *db, sqlite3_stmt *st,
		     int (*fn)(const struct token_step *s, void *ctx), void *ctx,
		     struct kyso_err *err)
{
	struct token_step s;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_step(st, &s);
		if (fn(&s, ctx))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading a token's history"));
	return 0;
}

int token_steps(struct kyso_db *db, long long token_id,
		int (*fn)(const struct token_step *s, void *ctx), void *ctx, struct kyso_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(db, STEP_SELECT "WHERE st.token_id = ? ORDER BY st.on_date, st.id", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, token_id);
	return each_step(db, st, fn, ctx, err);
}

static int found_step(const struct token_step *s, void *ctx)
{
	(void)s;
	*(int *)ctx = 1;
	return 0;
}

struct step_call {
	int (*fn)(const struct token_step *s, void *ctx);
	void *ctx;
	int found;
};

static int call_step(const struct token_step *s, void *ctx)
{
	struct step_call *c = ctx;

	c->found = 1;
	return c->fn(s, c->ctx);
}

int token_step_get(struct kyso_db *db, long long step_id,
		   int (*fn)(const struct token_step *s, void *ctx), void *ctx,
		   struct kyso_err *err)
{
	struct step_call call = { fn ? fn : found_step, ctx, 0 };
	sqlite3_stmt *st;
	int rc;

	if (!fn)
		call.ctx = &call.found;
	if (db_prepare(db, STEP_SELECT "WHERE st.id = ?", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, step_id);
	if ((rc = each_step(db, st, call_step, &call, err)))
		return rc;
	return call.found ? 0 : kyso_fail(err, KYSO_ENOTFOUND, _("no token step #%lld"), step_id);
}

int token_last_step(struct kyso_db *db, long long token_id, const char *action,
		    long long *step_id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*step_id = 0;
	if (db_cached(db, "SELECT id FROM token_step WHERE token_id = ? AND action = ? "
			  "ORDER BY on_date DESC, id DESC LIMIT 1", &st, err))
		return KYSO_EIO;
	sqlite3_bind_int64(st, 1, token_id);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*step_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, err, _("reading a token's history"));
}

int token_steps_set_document_tx(struct kyso_db *db, const long long *step_ids, size_t n,
				long long document_id, struct kyso_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (db_cached(db, "UPDATE token_step SET document_id = ? WHERE id = ?", &st, err))
		return KYSO_EIO;
	for (i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, document_id);
		sqlite3_bind_int64(st, 2, step_ids[i]);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			sqlite3_reset(st);
			return db_fail(db, err, _("linking a token's change to its minutes"));
		}
		if (sqlite3_changes(db->sql) != 1) {
			sqlite3_reset(st);
			return kyso_fail(err, KYSO_ENOTFOUND, _("no token step #%lld"), step_ids[i]);
		}
	}
	sqlite3_reset(st);
	return 0;
}

/* Follow-ups --------------------------------------------------------------------------------- */

#define FOLLOW_UP_SELECT                                                                 \
	"SELECT f.id, f.kind, f.token_id, coalesce(f.subscriber_id, 0), "                \
	"coalesce(f.step_id, 0), t.serial, f.opened_on, f.due_on, f.detail "             \
	"FROM follow_up f JOIN token t ON t.id = f.token_id "

/* Calls fn for each open follow-up sql selects with ?1 bound to id (when not 0). */
static int follow_ups(struct kyso_db *db, const char *sql, long long id,
		      int (*fn)(const struct follow_up_row *f, void *ctx), void *ctx,
		      struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, sql, &st, err))
		return KYSO_EIO;
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct follow_up_row f = {
			.id = sqlite3_column_int64(st, 0),
			.kind = (const char *)sqlite3_column_text(st, 1),
			.token_id = sqlite3_column_int64(st, 2),
			.subscriber_id = sqlite3_column_int64(st, 3),
			.step_id = sqlite3_column_int64(st, 4),
			.serial = (const char *)sqlite3_column_text(st, 5),
			.opened_on = (const char *)sqlite3_column_text(st, 6),
			.due_on = (const char *)sqlite3_column_text(st, 7),
			.detail = (const char *)sqlite3_column_text(st, 8),
		};
		if (fn(&f, ctx))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, err, _("reading what is left to do"));
	return 0;
}

int token_follow_ups(struct kyso_db *db, long long token_id,
		     int (*fn)(const struct follow_up_row *f, void *ctx), void *ctx,
		     struct kyso_err *err)
{
	return follow_ups(db, token_id > 0
				      ? FOLLOW_UP_SELECT "WHERE f.token_id = ?1 AND f.closed_on IS NULL "
							 "ORDER BY f.id"
				      : FOLLOW_UP_SELECT "WHERE f.closed_on IS NULL ORDER BY f.id",
			  token_id, fn, ctx, err);
}

int token_departure_follow_ups(struct kyso_db *db, long long subscriber_id,
			       int (*fn)(const struct follow_up_row *f, void *ctx), void *ctx,
			       struct kyso_err *err)
{
	/* follow_up_subscriber (subscriber_id, kind) reads only this departure's rows. */
	return follow_ups(db, FOLLOW_UP_SELECT "WHERE f.subscriber_id = ?1 AND f.kind = '"
			  FOLLOW_DEPARTURE "' AND f.closed_on IS NULL ORDER BY f.id",
			  subscriber_id > 0 ? subscriber_id : -1, fn, ctx, err);
}
