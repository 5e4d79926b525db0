/*
 * calendar.h - arithmetic on dates written YYYY-MM-DD: days and months later, working
 * days (Monday to Friday), the day of the week.  Pure functions; no store, no clock.
 * The PIN clock (Art. 13.3), loans (Art. 14.3) and the 5-working-day limit for handing a
 * token back (Art. 5.3.c) count with these.
 */
#ifndef KYSO_CALENDAR_H
#define KYSO_CALENDAR_H

/* Days from 1970-01-01 to iso (negative before).  *bad (may be NULL) is set to 1 when iso
 * is not a YYYY-MM-DD date, else 0. */
long calendar_day_number(const char *iso, int *bad);

/* The YYYY-MM-DD of a day number. */
void calendar_from_day_number(long day, char out[11]);

/* iso + n days (n may be negative).  Returns 0, or -1 when iso is not a date. */
int calendar_add_days(const char *iso, long n, char out[11]);

/* iso + n months (n may be negative), the day kept or, when the month is shorter, its
 * last day: 31/08/2026 + 6 months = 28/02/2027.  Returns 0, or -1. */
int calendar_add_months(const char *iso, int n, char out[11]);

/* The first day d such that calendar_add_months(d, n) >= iso: every earlier day, n months
 * on, is before iso.  What a clock of n months is compared with through an index. */
int calendar_months_before(const char *iso, int n, char out[11]);

/* The n-th working day (Monday to Friday) after iso.  Public holidays are not known and
 * count as working days.  Returns 0, or -1. */
int calendar_add_working_days(const char *iso, int n, char out[11]);

/* Working days after from up to and including to (0 when to is not after from). */
long calendar_working_days_between(const char *from, const char *to);

/* 0 Monday ... 6 Sunday; -1 when iso is not a date. */
int calendar_weekday(const char *iso);

/* Days from from to to (negative when to is earlier); 0 when either is not a date. */
long calendar_days_between(const char *from, const char *to);

#endif
