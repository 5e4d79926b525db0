/*
 * db.h - the store: one SQLite file, its schema migrations, transactions and settings.
 */
#ifndef KYSO_DB_H
#define KYSO_DB_H

#include <sqlite3.h>
#include "kyso/err.h"

/* Bytes of the store read through a memory map (PRAGMA mmap_size). */
#define DB_MMAP_BYTES "1073741824"

struct word_counts;

struct kyso_db {
	sqlite3 *sql;
	char *path;
	char actor[64]; /* who makes changes: the login name */
	/* db_cached's statements: one per literal that asks, so the array grows to the
	 * number of such places in the code (a few dozen) and never refuses one. */
	struct db_cached_stmt {
		const char *sql; /* the literal whose address is the key */
		sqlite3_stmt *st;
	} *cache;
	int ncache, cache_cap;
	int has_match_fn; /* subscriber search's SQL function is registered */
	struct word_counts *word_counts; /* subscriber.c's batch of name-word counts */
};

/* Path used when neither --db nor KYSO_DB is given: $XDG_DATA_HOME/kyso/kyso.db, else
 * ~/.local/share/kyso/kyso.db.  Caller frees. */
char *db_default_path(void);

/* Opens (creating with mode 0600, folder 0700) and migrates the store at path. */
int db_open(const char *path, struct kyso_db **out, struct kyso_err *err);
void db_close(struct kyso_db *db);

/* Schema version the binary expects (the number of migrations). */
int db_schema_version(void);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int db_begin(struct kyso_db *db, struct kyso_err *err);
int db_commit(struct kyso_db *db, struct kyso_err *err);
void db_rollback(struct kyso_db *db);

/* Prepares sql or fills err with SQLite's message. */
int db_prepare(struct kyso_db *db, const char *sql, sqlite3_stmt **st, struct kyso_err *err);

/* A prepared statement kept for the life of the connection, for statements that bulk work
 * runs once per row.  sql must be a string literal: its address is the key.  The statement
 * comes reset with its bindings cleared; the caller resets it after use, never finalizes. */
int db_cached(struct kyso_db *db, const char *sql, sqlite3_stmt **st, struct kyso_err *err);

/* A new copy of column col's text, or NULL when it is NULL. */
char *db_column_dup(sqlite3_stmt *st, int col);

/* A pass over much of the store whose memory must not grow with it (an import, a report):
 * without the memory map (every page read would count as the process's memory) and,
 * when cache_kb / temp_cache_kb are not 0, with page caches of that size, since a large
 * cache does not help a single pass.  db_long_pass_end gives the connection back the
 * settings db_long_pass_begin saved. */
struct db_long_pass {
	long long mmap, cache, temp_cache;
};
void db_long_pass_begin(struct kyso_db *db, struct db_long_pass *saved, long cache_kb,
			long temp_cache_kb);
void db_long_pass_end(struct kyso_db *db, const struct db_long_pass *saved);

/* Fills err from the connection's last SQLite error, prefixed with what was being done. */
int db_fail(struct kyso_db *db, struct kyso_err *err, const char *what);

/* Settings (key/value).  setting_get returns a new string or NULL when unset. */
char *setting_get(struct kyso_db *db, const char *key);
int setting_set(struct kyso_db *db, const char *key, const char *value, struct kyso_err *err);

/* Current time as YYYY-MM-DDTHH:MM:SSZ and today's date as YYYY-MM-DD (KYSO_TODAY in the
 * environment overrides today, for tests). */
void db_now(char out[21]);
void db_today(char out[11]);

/* A mark of what the store holds as this connection sees it: it moves whenever a change
 * is committed, by this connection or another (another kyso on the same file), so that
 * a screen knows to read again when the mark it last saw has moved.  -1 when it cannot
 * be read. */
long long db_change_mark(struct kyso_db *db);

#endif
