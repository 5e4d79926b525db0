/*
 * test_row_pipe.c - the pipe between the report's reading thread and its writing one
 * (reports/row_pipe.c): every row arrives once, whole and in order, with its NULL and
 * empty texts told apart, across many batches and with a row longer than a batch; the
 * end marks arrive between the tables; a producer that closes early ends the consumer;
 * a consumer that cancels stops a producer that is waiting for room, and nobody hangs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../reports/row_pipe.h"

#define ROWS 20000
#define BIG (300 * 1024)	/* longer than a batch (64 KB) and than all four together */

/* Row i of a table: its texts, made again by the consumer to compare.  Text 1 is NULL
 * every 7th row and empty every 11th; row 5000 of table 1 carries BIG bytes. */
struct row_texts {
	char a[32], b[64];
	char *big;
	const char *texts[4];
	int n;
};

static void row_make(struct row_texts *t, int table, int i)
{
	snprintf(t->a, sizeof(t->a), "%d:%d", table, i);
	snprintf(t->b, sizeof(t->b), "Nguyễn Thị Ánh %d", i * 7919 % 1000);
	t->big = NULL;
	t->texts[0] = t->a;
	t->texts[1] = i % 7 == 0 ? NULL : i % 11 == 0 ? "" : t->b;
	t->texts[2] = "Đặng";
	t->n = 3 + i % 2;
	t->texts[3] = NULL;
	if (table == 1 && i == 5000) {
		t->big = malloc(BIG + 1);
		memset(t->big, 'x', BIG);
		t->big[BIG] = '\0';
		t->texts[2] = t->big;
	}
}

struct producer {
	struct row_pipe *p;
	int tables, rows;	/* rows per table */
	int end_marks;		/* 0: close without them (as on a reading error) */
	int last_rc;		/* what the last put returned */
	long put;		/* rows put */
};

static void *produce(void *arg)
{
	struct producer *pr = arg;
	struct row_texts t;
	int table, i;

	for (table = 0; table < pr->tables; table++) {
		for (i = 0; i < pr->rows; i++) {
			row_make(&t, table, i);
			pr->last_rc = row_pipe_put(pr->p, table, t.texts, t.n);
			free(t.big);
			if (pr->last_rc)
				goto done;
			pr->put++;
		}
		if (pr->end_marks && (pr->last_rc = row_pipe_end_table(pr->p, table)))
			goto done;
	}
done:
	row_pipe_close(pr->p);
	return NULL;
}

static void test_every_row_arrives_whole_and_in_order(void **state)
{
	struct producer pr = { .tables = 3, .rows = ROWS, .end_marks = 1 };
	const char *got[ROW_PIPE_MAX_TEXTS];
	struct row_texts want;
	pthread_t th;
	int table, i, n, c, got_table;

	(void)state;
	assert_non_null(pr.p = row_pipe_new());
	assert_int_equal(pthread_create(&th, NULL, produce, &pr), 0);
	for (table = 0; table < 3; table++) {
		for (i = 0; i < ROWS; i++) {
			n = row_pipe_get(pr.p, &got_table, got);
			row_make(&want, table, i);
			assert_int_equal(n, want.n);
			assert_int_equal(got_table, table);
			for (c = 0; c < n; c++) {
				if (!want.texts[c])
					assert_null(got[c]);
				else
					assert_string_equal(got[c], want.texts[c]);
			}
			free(want.big);
		}
		/* The table's end mark, then the next table. */
		assert_int_equal(row_pipe_get(pr.p, &got_table, got), 0);
		assert_int_equal(got_table, table);
	}
	assert_int_equal(row_pipe_get(pr.p, &got_table, got), -1);
	assert_int_equal(row_pipe_get(pr.p, &got_table, got), -1);
	pthread_join(th, NULL);
	assert_int_equal(pr.last_rc, 0);
	assert_int_equal(pr.put, 3L * ROWS);
	row_pipe_free(pr.p);
}

static void test_early_close_ends_the_consumer(void **state)
{
	struct producer pr = { .tables = 1, .rows = 10, .end_marks = 0 };
	const char *got[ROW_PIPE_MAX_TEXTS];
	pthread_t th;
	int table, rows = 0, n;

	(void)state;
	assert_non_null(pr.p = row_pipe_new());
	assert_int_equal(pthread_create(&th, NULL, produce, &pr), 0);
	while ((n = row_pipe_get(pr.p, &table, got)) > 0)
		rows++;
	/* No end mark came: -1 at once after the ten rows. */
	assert_int_equal(n, -1);
	assert_int_equal(rows, 10);
	pthread_join(th, NULL);
	row_pipe_free(pr.p);
}

static void test_cancel_stops_a_waiting_producer(void **state)
{
	/* Far more rows than the batches hold: the producer waits for room until the
	 * consumer, after a few rows, cancels. */
	struct producer pr = { .tables = 1, .rows = 1000000, .end_marks = 1 };
	const char *got[ROW_PIPE_MAX_TEXTS];
	pthread_t th;
	int table, i;

	(void)state;
	assert_non_null(pr.p = row_pipe_new());
	assert_int_equal(pthread_create(&th, NULL, produce, &pr), 0);
	for (i = 0; i < 100; i++)
		assert_true(row_pipe_get(pr.p, &table, got) > 0);
	row_pipe_cancel(pr.p);
	/* Nothing more is delivered, and the producer ends. */
	assert_int_equal(row_pipe_get(pr.p, &table, got), -1);
	pthread_join(th, NULL);
	assert_int_equal(pr.last_rc, 1);
	assert_true(pr.put < pr.rows);
	row_pipe_free(pr.p);
}

static void test_nothing_put(void **state)
{
	struct row_pipe *p = row_pipe_new();
	const char *got[ROW_PIPE_MAX_TEXTS];
	int table;

	(void)state;
	assert_non_null(p);
	row_pipe_close(p);
	assert_int_equal(row_pipe_get(p, &table, got), -1);
	row_pipe_free(p);
	row_pipe_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_arrives_whole_and_in_order),
		cmocka_unit_test(test_early_close_ends_the_consumer),
		cmocka_unit_test(test_cancel_stops_a_waiting_producer),
		cmocka_unit_test(test_nothing_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
