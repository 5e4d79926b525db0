/*
 * row_pipe.h - rows of texts handed from one thread to another (internal to reports/).
 *
 * The report's detail sheets read a million rows of history and write a million rows of
 * XML; on two cores the reading goes on in its own thread while the writing thread
 * writes the rows already read.  The producer puts rows (a table's number and its texts,
 * any of them NULL) and an end mark after each table; the consumer gets them in the same
 * order.  The rows travel in a few batches of packed text, so the memory held is bounded
 * (a few hundred KB) whatever the number of rows; a row longer than a batch gets a batch
 * of its own size.  Either side may stop the other: the producer by closing early, the
 * consumer by cancelling.
 */
#ifndef KYSO_REPORTS_ROW_PIPE_H
#define KYSO_REPORTS_ROW_PIPE_H

/* The most texts in a row. */
#define ROW_PIPE_MAX_TEXTS 32

struct row_pipe;

/* NULL when out of memory. */
struct row_pipe *row_pipe_new(void);
/* After both sides are done with it. */
void row_pipe_free(struct row_pipe *p);

/* Producer.  Each returns 0; 1 when the consumer cancelled, -1 when memory ran out: the
 * producer then stops and closes. */
int row_pipe_put(struct row_pipe *p, int table, const char *const *texts, int n);
int row_pipe_end_table(struct row_pipe *p, int table);
/* No more rows (sends what is batched). */
void row_pipe_close(struct row_pipe *p);

/* Consumer.  Fills texts (room for ROW_PIPE_MAX_TEXTS) and *table with the next row and
 * returns its number of texts; returns 0 with *table set at a table's end mark, and -1
 * when the producer closed.  The texts stay valid until the next call. */
int row_pipe_get(struct row_pipe *p, int *table, const char **texts);
/* The consumer gives up: the producer's next put fails, nothing more is delivered. */
void row_pipe_cancel(struct row_pipe *p);

#endif
