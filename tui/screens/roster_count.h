/*
 * roster_count.h - how many subscribers a roster query matches, counted by a thread of
 * its own, so that the screen never waits for it: a common search counts a good part of
 * a million rows (about 300 ms).
 *
 * The thread has its own SQLite connection to the same file (WAL lets it read while the
 * screen reads and writes), opened with a small page cache and no memory map, so that
 * counting a million rows does not grow the process.  A new question stops the one being
 * counted; only the answer to the latest question is ever given.
 */
#ifndef KYSO_TUI_ROSTER_COUNT_H
#define KYSO_TUI_ROSTER_COUNT_H

#include "kyso/subscriber.h"

struct roster_count;

/* A counter for the store at db_path (copied); the thread and its connection start with
 * the first question.  NULL when out of memory. */
struct roster_count *roster_count_new(const char *db_path);
/* Stops the count under way and the thread, and frees c. */
void roster_count_free(struct roster_count *c);

/* Asks for the number of rows q matches (its search and filters; the rest is ignored).
 * Any earlier question is dropped, and stopped if it is being counted. */
void roster_count_ask(struct roster_count *c, const struct subscriber_query *q);

/* Drops the question being counted, if any (the screen counted by itself). */
void roster_count_drop(struct roster_count *c);

/* 1 with *count set once the latest question is answered (then 0 until the next one);
 * -1 when it could not be counted (the connection failed). */
int roster_count_take(struct roster_count *c, long *count);

#endif
