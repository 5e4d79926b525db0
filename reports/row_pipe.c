/*
 * row_pipe.c - rows of texts from a reading thread to a writing one (see row_pipe.h).
 *
 * A ring of BATCHES batches.  The producer fills batch w and hands it over full; the
 * consumer reads batch r and hands it back empty; both go round in the same order, so a
 * batch is never written and read at once.  Only the hand-overs take the lock.  In a
 * batch a row is 'R', its table, its number of texts, then each text as 1 + its bytes +
 * NUL, or 0 for NULL; a table's end is 'E' and the table.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "row_pipe.h"

#define BATCHES 4
#define BATCH_BYTES (64 * 1024)

struct batch {
	char *buf;
	size_t len, cap;
	int full;	/* handed to the consumer, not yet given back */
};

struct row_pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch batch[BATCHES];
	int closed, cancelled;	/* under the lock */
	/* the producer's */
	int w, writing;	/* writing: batch w is the producer's to fill */
	int stopped;	/* cancelled, as the producer saw it at its last hand-over */
	/* the consumer's */
	int r, reading;	/* reading: batch r is the consumer's to read, from pos */
	size_t pos;
	int gave_up;	/* the consumer cancelled */
};

struct row_pipe *row_pipe_new(void)
{
	struct row_pipe *p = calloc(1, sizeof(*p));
	int i;

	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	for (i = 0; i < BATCHES; i++) {
		if (!(p->batch[i].buf = malloc(BATCH_BYTES))) {
			row_pipe_free(p);
			return NULL;
		}
		p->batch[i].cap = BATCH_BYTES;
	}
	return p;
}

void row_pipe_free(struct row_pipe *p)
{
	int i;

	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	for (i = 0; i < BATCHES; i++)
		free(p->batch[i].buf);
	free(p);
}

/* --- the producer ----------------------------------------------------------------------- */

/* Hands batch w to the consumer. */
static void hand_over(struct row_pipe *p)
{
	pthread_mutex_lock(&p->lock);
	p->batch[p->w].full = 1;
	p->stopped = p->cancelled;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	p->w = (p->w + 1) % BATCHES;
	p->writing = 0;
}

/* Room for need more bytes in the producer's batch: 0, 1 cancelled, -1 no memory. */
static int room(struct row_pipe *p, size_t need)
{
	struct batch *b;

	if (p->writing && p->batch[p->w].len + need > p->batch[p->w].cap &&
	    p->batch[p->w].len)
		hand_over(p);
	if (!p->writing) {
		pthread_mutex_lock(&p->lock);
		while (p->batch[p->w].full && !p->cancelled)
			pthread_cond_wait(&p->changed, &p->lock);
		p->stopped = p->cancelled;
		pthread_mutex_unlock(&p->lock);
		p->writing = 1;
	}
	if (p->stopped)		/* seen at a hand-over: a batch more is read at worst */
		return 1;
	b = &p->batch[p->w];
	if (b->len + need > b->cap) {	/* a row longer than a batch, alone in it */
		char *buf = realloc(b->buf, b->len + need);

		if (!buf)
			return -1;
		b->buf = buf;
		b->cap = b->len + need;
	}
	return 0;
}

int row_pipe_put(struct row_pipe *p, int table, const char *const *texts, int n)
{
	size_t need = 3, k;
	struct batch *b;
	char *at;
	int i, rc;

	if (n > ROW_PIPE_MAX_TEXTS)
		n = ROW_PIPE_MAX_TEXTS;
	for (i = 0; i < n; i++)
		need += texts[i] ? strlen(texts[i]) + 2 : 1;
	if ((rc = room(p, need)))
		return rc;
	b = &p->batch[p->w];
	at = b->buf + b->len;
	*at++ = 'R';
	*at++ = (char)table;
	*at++ = (char)n;
	for (i = 0; i < n; i++) {
		if (!texts[i]) {
			*at++ = 0;
			continue;
		}
		*at++ = 1;
		k = strlen(texts[i]) + 1;
		memcpy(at, texts[i], k);
		at += k;
	}
	b->len = (size_t)(at - b->buf);
	return 0;
}

int row_pipe_end_table(struct row_pipe *p, int table)
{
	struct batch *b;
	int rc;

	if ((rc = room(p, 2)))
		return rc;
	b = &p->batch[p->w];
	b->buf[b->len++] = 'E';
	b->buf[b->len++] = (char)table;
	return 0;
}

void row_pipe_close(struct row_pipe *p)
{
	if (p->writing && p->batch[p->w].len)
		hand_over(p);
	pthread_mutex_lock(&p->lock);
	p->closed = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

/* --- the consumer ----------------------------------------------------------------------- */

int row_pipe_get(struct row_pipe *p, int *table, const char **texts)
{
	struct batch *b = &p->batch[p->r];
	const char *at;
	int i, n;

	if (p->gave_up)
		return -1;
	if (p->reading && p->pos == b->len) {	/* read through: give it back */
		pthread_mutex_lock(&p->lock);
		b->len = 0;
		b->full = 0;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		p->r = (p->r + 1) % BATCHES;
		p->reading = 0;
		b = &p->batch[p->r];
	}
	if (!p->reading) {
		pthread_mutex_lock(&p->lock);
		while (!b->full && !p->closed && !p->cancelled)
			pthread_cond_wait(&p->changed, &p->lock);
		/* Closed with this batch not full: the producer handed over all it had. */
		p->reading = b->full && !p->cancelled;
		pthread_mutex_unlock(&p->lock);
		if (!p->reading)
			return -1;
		p->pos = 0;
	}
	at = b->buf + p->pos;
	if (*at == 'E') {
		*table = (unsigned char)at[1];
		p->pos += 2;
		return 0;
	}
	*table = (unsigned char)at[1];
	n = (unsigned char)at[2];
	at += 3;
	for (i = 0; i < n; i++) {
		if (!*at++) {
			texts[i] = NULL;
			continue;
		}
		texts[i] = at;
		at += strlen(at) + 1;
	}
	p->pos = (size_t)(at - b->buf);
	return n;
}

void row_pipe_cancel(struct row_pipe *p)
{
	p->gave_up = 1;
	pthread_mutex_lock(&p->lock);
	p->cancelled = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}
