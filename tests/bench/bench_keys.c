/*
 * bench_keys.c - the least a keystroke in the roster's search can cost: the page query
 * alone, no terminal.  The baseline tests/bench/run sets beside what the real interface
 * takes from the same keystrokes to the repainted screen.
 *
 * Usage: bench_keys DB ROWS KEYS [PACE_MS]
 *
 * KEYS holds one keystroke a line, as tests/bench/run sends them to kyso in tmux: a
 * character (a space is a line holding one space) or "BSpace".  Each is applied to the
 * search text (ASCII, as typed there) and the first page of ROWS subscribers in name order
 * matching it is read with subscriber_list, timed with CLOCK_MONOTONIC: one pass, from a
 * fresh connection set up as the roster sets up its own (no memory map, an 8 MB page
 * cache: tui/screens/screen_roster.c), as kyso meets them, PACE_MS apart (default 40, the pace
 * the keys are typed into kyso at: a machine idle between keystrokes answers more slowly
 * than one in a tight loop).  Printed, one line each:
 *   keys N
 *   p50 MS
 *   p99 MS
 *   max MS
 * Exits 0 unless the database cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kyso/db.h"
#include "kyso/subscriber.h"

enum { MAX_KEYS = 4096 };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int count_row(const struct subscriber_row *row, void *ctx)
{
	(void)row;
	(*(long *)ctx)++;
	return 0;
}

/* Nearest rank. */
static double percentile(const double *sorted, int n, double p)
{
	int i = (int)(p * n + 0.999999) - 1;

	return sorted[i < 0 ? 0 : i >= n ? n - 1 : i];
}

int main(int argc, char **argv)
{
	static char keys[MAX_KEYS][64];
	static double t[MAX_KEYS];
	struct kyso_db *db = NULL;
	struct kyso_err err = { 0 };
	char line[64], search[256];
	size_t len = 0;
	int nkeys = 0, i, rows, pace_ms;
	FILE *f;

	if (argc < 4 || argc > 5 || (rows = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: %s DB ROWS KEYS [PACE_MS]\n", argv[0]);
		return 2;
	}
	pace_ms = argc == 5 ? atoi(argv[4]) : 40;
	if (!(f = fopen(argv[3], "r"))) {
		perror(argv[3]);
		return 1;
	}
	while (nkeys < MAX_KEYS && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			snprintf(keys[nkeys++], sizeof keys[0], "%s", line);
	}
	fclose(f);
	if (db_open(argv[1], &db, &err)) {
		fprintf(stderr, "bench_keys: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	if (sqlite3_exec(db->sql, "PRAGMA mmap_size=0; PRAGMA cache_size=-8192;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_keys: %s\n", sqlite3_errmsg(db->sql));
		db_close(db);
		return 1;
	}
	search[0] = '\0';
	for (i = 0; i < nkeys; i++) {
		struct subscriber_query q = { .search = search, .kind = -1, .order = ORDER_NAME,
					      .limit = rows };
		long got = 0;
		double t0;

		if (!strcmp(keys[i], "BSpace")) {
			if (len > 0)
				search[--len] = '\0';
		} else if (len + 1 < sizeof search) {
			search[len++] = keys[i][0];
			search[len] = '\0';
		}
		t0 = now_ms();
		if (subscriber_list(db, &q, count_row, &got, &err)) {
			fprintf(stderr, "bench_keys: \"%s\": %s\n", search, err.msg);
			db_close(db);
			return 1;
		}
		t[i] = now_ms() - t0;
		nanosleep(&(struct timespec){ pace_ms / 1000, (pace_ms % 1000) * 1000000L }, NULL);
	}
	db_close(db);
	qsort(t, (size_t)nkeys, sizeof t[0], cmp_double);
	printf("keys %d\np50 %.3f\np99 %.3f\nmax %.3f\n", nkeys, percentile(t, nkeys, 0.50),
	       percentile(t, nkeys, 0.99), nkeys ? t[nkeys - 1] : 0.0);
	return 0;
}
