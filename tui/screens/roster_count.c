/*
 * roster_count.c - the roster's count, in a thread with its own connection (see
 * roster_count.h).  The thread never touches the terminal or the screen's connection;
 * the screen never waits for the thread, except when the roster closes.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kyso/db.h"
#include "screens/roster_count.h"

/* How many SQLite steps between two looks at whether the question is still wanted. */
#define PROGRESS_STEPS 4000

/* A question is counted once no newer one came for this long: while the officer types,
 * the counts of the words half typed would be dropped anyway, and counting them would
 * take the processor the screen needs to repaint at each key. */
#define SETTLE_MS 150

struct roster_count {
	char *path;
	pthread_t thread;
	int has_thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* Guarded by lock. */
	int has_question;	/* asked and not yet taken up by the thread */
	struct timespec asked_at; /* when (CLOCK_MONOTONIC) */
	char *search, *status;	/* the question's texts (copies) */
	long long unit_id;
	int kind;
	int is_busy;		/* the thread is counting */
	int is_ready;		/* an answer to the latest question waits for the screen */
	int failed;
	long count;
	int quit;
	struct kyso_db *db;	/* the thread's connection, once open */
	/* Read by the thread's progress handler without the lock. */
	atomic_ulong asked;	/* the latest question's number */
	atomic_ulong counting;	/* the number of the question being counted */
	atomic_int stopping;
};

/* SQLite's progress handler: non-zero stops the statement (the question changed). */
static int still_wanted(void *arg)
{
	struct roster_count *c = arg;

	return atomic_load(&c->stopping) || atomic_load(&c->asked) != atomic_load(&c->counting);
}

/* The thread's connection: the same file, a small cache and no memory map, so that the
 * pages a count reads are not kept by the process. */
static struct kyso_db *open_connection(struct roster_count *c)
{
	struct kyso_db *db = NULL;
	struct db_long_pass kept;	/* the thread's own connection: never given back */
	struct kyso_err err;

	if (db_open(c->path, &db, &err))
		return NULL;
	db_long_pass_begin(db, &kept, 512, 0);
	sqlite3_progress_handler(db->sql, PROGRESS_STEPS, still_wanted, c);
	return db;
}

/* Waits, the lock held, until the question has been the latest for SETTLE_MS; 0 when
 * it was replaced or dropped meanwhile, or kyso is quitting. */
static int settled(struct roster_count *c)
{
	struct timespec until = c->asked_at;
	unsigned long number = atomic_load(&c->asked);

	until.tv_nsec += SETTLE_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (!c->quit && c->has_question && atomic_load(&c->asked) == number &&
	       pthread_cond_timedwait(&c->wake, &c->lock, &until) == 0)
		;
	return !c->quit && c->has_question && atomic_load(&c->asked) == number;
}

static void *count_thread(void *arg)
{
	struct roster_count *c = arg;
	struct kyso_db *db = NULL;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct subscriber_query q = { .kind = -1 };
		struct kyso_err err;
		unsigned long number;
		char *search, *status;
		long n = 0;
		int rc;

		while (!c->quit && !c->has_question)
			pthread_cond_wait(&c->wake, &c->lock);
		if (!c->quit && !settled(c))
			continue;
		if (c->quit)
			break;
		search = c->search;
		status = c->status;
		c->search = c->status = NULL;
		q.search = search;
		q.status = status;
		q.unit_id = c->unit_id;
		q.kind = c->kind;
		number = atomic_load(&c->asked);
		atomic_store(&c->counting, number);
		c->has_question = 0;
		c->is_busy = 1;
		pthread_mutex_unlock(&c->lock);

		if (!db && (db = open_connection(c)) != NULL) {
			pthread_mutex_lock(&c->lock);
			c->db = db;
			pthread_mutex_unlock(&c->lock);
		}
		rc = db ? subscriber_count(db, &q, &n, &err) : -1;
		free(search);
		free(status);

		pthread_mutex_lock(&c->lock);
		c->is_busy = 0;
		if (number == atomic_load(&c->asked) && !c->has_question) {
			c->count = n;
			c->failed = rc != 0;
			c->is_ready = 1;
		}
	}
	c->db = NULL;
	pthread_mutex_unlock(&c->lock);
	db_close(db);
	return NULL;
}

struct roster_count *roster_count_new(const char *db_path)
{
	struct roster_count *c = calloc(1, sizeof(*c));
	pthread_condattr_t attr;

	if (!c)
		return NULL;
	if (!(c->path = strdup(db_path ? db_path : ""))) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->wake, &attr);
	pthread_condattr_destroy(&attr);
	atomic_init(&c->asked, 0);
	atomic_init(&c->counting, 0);
	atomic_init(&c->stopping, 0);
	return c;
}

/* The thread takes no signal: SIGHUP, SIGTERM and SIGWINCH must reach the screen loop. */
static int start_thread(struct roster_count *c)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&c->thread, NULL, count_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	c->has_thread = rc == 0;
	return rc == 0 ? 0 : -1;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void roster_count_ask(struct roster_count *c, const struct subscriber_query *q)
{
	if (!c)
		return;
	if (!c->has_thread && start_thread(c))
		return;
	pthread_mutex_lock(&c->lock);
	free(c->search);
	free(c->status);
	c->search = dup_or_null(q->search);
	c->status = dup_or_null(q->status);
	c->unit_id = q->unit_id;
	c->kind = q->kind;
	c->has_question = 1;
	clock_gettime(CLOCK_MONOTONIC, &c->asked_at);
	c->is_ready = 0;
	atomic_fetch_add(&c->asked, 1);
	/* The progress handler stops the count at its next look; an interrupt stops it
	 * sooner where SQLite checks for one. */
	if (c->is_busy && c->db)
		sqlite3_interrupt(c->db->sql);
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

void roster_count_drop(struct roster_count *c)
{
	if (!c || !c->has_thread)
		return;
	pthread_mutex_lock(&c->lock);
	free(c->search);
	free(c->status);
	c->search = c->status = NULL;
	c->has_question = 0;
	c->is_ready = 0;
	atomic_fetch_add(&c->asked, 1);
	if (c->is_busy && c->db)
		sqlite3_interrupt(c->db->sql);
	pthread_mutex_unlock(&c->lock);
}

int roster_count_take(struct roster_count *c, long *count)
{
	int r = 0;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	if (c->is_ready) {
		c->is_ready = 0;
		*count = c->count;
		r = c->failed ? -1 : 1;
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

void roster_count_free(struct roster_count *c)
{
	if (!c)
		return;
	if (c->has_thread) {
		pthread_mutex_lock(&c->lock);
		c->quit = 1;
		atomic_store(&c->stopping, 1);
		if (c->is_busy && c->db)
			sqlite3_interrupt(c->db->sql);
		pthread_cond_signal(&c->wake);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->thread, NULL);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c->search);
	free(c->status);
	free(c->path);
	free(c);
}
