/*
 * db.c - the store: opening, migrations, transactions, settings, clock.
 *
 * One SQLite file, created 0600 in a 0700 folder, in WAL mode with foreign keys on.  The
 * schema is brought up to date in one transaction per migration (PRAGMA user_version).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kyso/db.h"
#include "kyso/i18n.h"
#include "schema.h"

#define N_MIGRATIONS ((int)(sizeof(schema_migrations) / sizeof(schema_migrations[0])))

int db_schema_version(void)
{
	return N_MIGRATIONS;
}

char *db_default_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;

	if (xdg && *xdg) {
		if (asprintf(&path, "%s/kyso/kyso.db", xdg) < 0)
			return NULL;
	} else {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : "/tmp";
		}
		if (asprintf(&path, "%s/.local/share/kyso/kyso.db", home) < 0)
			return NULL;
	}
	return path;
}

/* mkdir -p of the folder that holds path; folders made here are 0700. */
static int make_parent(const char *path, struct kyso_err *err)
{
	char *dir = strdup(path), *p;

	if (!dir)
		return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
	p = strrchr(dir, '/');
	if (!p || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		goto fail;
	free(dir);
	return 0;
fail:
	kyso_fail(err, KYSO_EIO, _("cannot create folder %s: %s"), dir, kyso_strerror(errno));
	free(dir);
	return KYSO_EIO;
}

/* The file is made 0600 before SQLite opens it; its -wal and -shm files copy the mode. */
static int create_private(const char *path, struct kyso_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return kyso_fail(err, KYSO_EIO, _("cannot create database %s: %s"), path,
				 kyso_strerror(errno));
	}
	close(fd);
	return 0;
}

/* A pragma's number (0 when it cannot be read). */
static long long pragma_value(struct kyso_db *db, const char *pragma)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (sqlite3_prepare_v2(db->sql, pragma, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Sets a numeric pragma (a pragma takes no bound parameter; the value is a number). */
static void pragma_set(struct kyso_db *db, const char *name, long long value)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA %s=%lld", name, value);
	sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
}

void db_long_pass_begin(struct kyso_db *db, struct db_long_pass *saved, long cache_kb,
			long temp_cache_kb)
{
	saved->mmap = pragma_value(db, "PRAGMA mmap_size");
	saved->cache = pragma_value(db, "PRAGMA cache_size");
	saved->temp_cache = pragma_value(db, "PRAGMA temp.cache_size");
	pragma_set(db, "mmap_size", 0);
	if (cache_kb)
		pragma_set(db, "cache_size", -cache_kb);
	if (temp_cache_kb)
		pragma_set(db, "temp.cache_size", -temp_cache_kb);
}

void db_long_pass_end(struct kyso_db *db, const struct db_long_pass *saved)
{
	pragma_set(db, "mmap_size", saved->mmap);
	pragma_set(db, "cache_size", saved->cache);
	pragma_set(db, "temp.cache_size", saved->temp_cache);
}

/* SQLite's error in the interface language: its own messages are English ("unable to
 * open database file") and would sit inside a Vietnamese one. */
static const char *sqlite_words(sqlite3 *sql)
{
	switch (sql ? sqlite3_errcode(sql) : SQLITE_CANTOPEN) {
	case SQLITE_CANTOPEN:
		return _("the database file cannot be opened (its folder is missing or cannot be written)");
	case SQLITE_READONLY:
		return _("the database cannot be written (no permission to write the file or its folder)");
	case SQLITE_FULL:
		return _("the disk is full");
	case SQLITE_IOERR:
		return _("the disk could not be read or written");
	case SQLITE_CORRUPT:
		return _("the database file is damaged");
	case SQLITE_NOTADB:
		return _("the file is not a kyso database");
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return _("permission denied");
	case SQLITE_NOMEM:
		return _("out of memory");
	case SQLITE_TOOBIG:
		return _("a value is too large for the database");
	case SQLITE_CONSTRAINT:
		return _("the database refused the change (a rule of its tables)");
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return _("the database is busy (another kyso is writing); try again");
	default:
		return sqlite3_errmsg(sql);
	}
}

int db_fail(struct kyso_db *db, struct kyso_err *err, const char *what)
{
	return kyso_fail(err, KYSO_EIO, _("%s: %s"), what, sqlite_words(db->sql));
}

char *db_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? strdup((const char *)t) : NULL;
}

int db_prepare(struct kyso_db *db, const char *sql, sqlite3_stmt **st, struct kyso_err *err)
{
	if (sqlite3_prepare_v2(db->sql, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(db, err, _("database"));
	return 0;
}

int db_cached(struct kyso_db *db, const char *sql, sqlite3_stmt **st, struct kyso_err *err)
{
	int i;

	for (i = 0; i < db->ncache; i++) {
		if (db->cache[i].sql == sql) {
			*st = db->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return 0;
		}
	}
	if (db->ncache == db->cache_cap) {
		int cap = db->cache_cap ? db->cache_cap * 2 : 32;
		struct db_cached_stmt *more = realloc(db->cache, (size_t)cap * sizeof(*more));

		if (!more)
			return kyso_fail(err, KYSO_ENOMEM, "%s", _("out of memory"));
		db->cache = more;
		db->cache_cap = cap;
	}
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return db_fail(db, err, _("database"));
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].st = *st;
	db->ncache++;
	return 0;
}

static int exec(struct kyso_db *db, const char *sql, struct kyso_err *err)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, _("database"));
	return 0;
}

int db_begin(struct kyso_db *db, struct kyso_err *err)
{
	return exec(db, "BEGIN IMMEDIATE", err);
}

int db_commit(struct kyso_db *db, struct kyso_err *err)
{
	if (exec(db, "COMMIT", err)) {
		db_rollback(db);
		return KYSO_EIO;
	}
	return 0;
}

void db_rollback(struct kyso_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(struct kyso_db *db, int *v, struct kyso_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(db, "PRAGMA user_version", &st, err))
		return KYSO_EIO;
	*v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static int migrate(struct kyso_db *db, struct kyso_err *err)
{
	char pragma[64];
	int v;

	if (user_version(db, &v, err))
		return KYSO_EIO;
	if (v > N_MIGRATIONS)
		return kyso_fail(err, KYSO_EIO,
				 _("%s was written by a newer kyso (schema %d, this one knows %d)"),
				 db->path, v, N_MIGRATIONS);
	for (; v < N_MIGRATIONS; v++) {
		if (db_begin(db, err))
			return KYSO_EIO;
		/* Another kyso may have migrated while we waited for the lock. */
		int now;
		if (user_version(db, &now, err)) {
			db_rollback(db);
			return KYSO_EIO;
		}
		if (now > v) {
			db_rollback(db);
			v = now - 1;
			continue;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (exec(db, schema_migrations[v], err) || exec(db, pragma, err)) {
			db_rollback(db);
			return KYSO_EIO;
		}
		if (db_commit(db, err))
			return KYSO_EIO;
	}
	return 0;
}

static void set_actor(struct kyso_db *db)
{
	const char *who = getenv("KYSO_ACTOR");
	struct passwd *pw;

	if (!who || !*who) {
		pw = getpwuid(getuid());
		who = pw ? pw->pw_name : getenv("USER");
	}
	snprintf(db->actor, sizeof(db->actor), "%s", who && *who ? who : "?");
}

int db_open(const char *path, struct kyso_db **out, struct kyso_err *err)
{
	struct kyso_db *db;

	*out = NULL;
	if (!path || !*path)
		return kyso_fail(err, KYSO_EUSAGE, _("no database path"));
	if (make_parent(path, err) || create_private(path, err))
		return KYSO_EIO;
	db = calloc(1, sizeof(*db));
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return kyso_fail(err, KYSO_ENOMEM, _("out of memory"));
	}
	set_actor(db);
	if (sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		kyso_fail(err, KYSO_EIO, _("cannot open database %s: %s"), path,
			  sqlite_words(db->sql));
		db_close(db);
		return KYSO_EIO;
	}
	sqlite3_busy_timeout(db->sql, 10000);
	sqlite3_extended_result_codes(db->sql, 1);
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
		     "PRAGMA synchronous=NORMAL; PRAGMA temp_store=FILE; "
		     "PRAGMA cache_size=-32768; PRAGMA mmap_size=" DB_MMAP_BYTES ";", err) ||
	    migrate(db, err)) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
		db_close(db);
		if (err && !strstr(msg, path))
			kyso_fail(err, KYSO_EIO, "%s: %s", path, msg);
		return KYSO_EIO;
	}
	*out = db;
	return 0;
}

void db_close(struct kyso_db *db)
{
	int i;

	if (!db)
		return;
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	free(db->cache);
	if (db->sql)
		sqlite3_close(db->sql);
	free(db->path);
	free(db);
}

char *setting_get(struct kyso_db *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (db_prepare(db, "SELECT value FROM setting WHERE key = ?", &st, NULL))
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int setting_set(struct kyso_db *db, const char *key, const char *value, struct kyso_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, "INSERT INTO setting(key, value) VALUES (?, ?) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st, err))
		return KYSO_EIO;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, _("saving a setting"));
	return 0;
}

/* The clock is read for every row a bulk import writes; the text of the current second
 * is kept, since localtime_r reads the time zone each time. */
void db_now(char out[21])
{
	static time_t last = -1;
	static char text[21];
	time_t t = time(NULL);
	struct tm tm;

	if (t != last) {
		gmtime_r(&t, &tm);
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	memcpy(out, text, 21);
}

void db_today(char out[11])
{
	static time_t last = -1;
	static char text[11];
	const char *fixed = getenv("KYSO_TODAY");
	time_t t;
	struct tm tm;

	if (fixed && strlen(fixed) == 10) {
		memcpy(out, fixed, 11);
		return;
	}
	t = time(NULL);
	if (t != last) {
		localtime_r(&t, &tm);
		strftime(text, sizeof(text), "%Y-%m-%d", &tm);
		last = t;
	}
	memcpy(out, text, 11);
}

/* PRAGMA data_version moves when another connection commits (another kyso, a screen's
 * own connection); sqlite3_total_changes when this one writes.  Both only grow, so their
 * sum moves whenever either does. */
long long db_change_mark(struct kyso_db *db)
{
	sqlite3_stmt *st;
	long long mark = -1;

	if (sqlite3_prepare_v2(db->sql, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		mark = sqlite3_column_int64(st, 0) + sqlite3_total_changes64(db->sql);
	sqlite3_finalize(st);
	return mark;
}
