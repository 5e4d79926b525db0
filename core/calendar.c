/*
 * calendar.c - date arithmetic on YYYY-MM-DD text (see kyso/calendar.h).  Day numbers
 * come from the proleptic Gregorian calendar (Howard Hinnant's days_from_civil), so no
 * time zone or mktime() is involved.  Never reads the clock.
 */
#include <stdio.h>
#include <string.h>

#include "kyso/calendar.h"
#include "kyso/check.h"

/* Reads a date already checked by date_parse. */
static int split(const char *iso, long *y, int *m, int *d)
{
	char norm[11];

	if (!iso || strlen(iso) != 10 || date_parse(iso, norm))
		return -1;
	*y = (norm[0] - '0') * 1000 + (norm[1] - '0') * 100 + (norm[2] - '0') * 10 + (norm[3] - '0');
	*m = (norm[5] - '0') * 10 + (norm[6] - '0');
	*d = (norm[8] - '0') * 10 + (norm[9] - '0');
	return 0;
}

static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y += *m <= 2;
}

static void write_date(long y, int m, int d, char out[11])
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%04ld-%02d-%02d", y % 10000, m % 100, d % 100);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

long calendar_day_number(const char *iso, int *bad)
{
	long y;
	int m, d;

	if (split(iso, &y, &m, &d)) {
		if (bad)
			*bad = 1;
		return 0;
	}
	if (bad)
		*bad = 0;
	return days_from_civil(y, m, d);
}

void calendar_from_day_number(long day, char out[11])
{
	long y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	write_date(y, m, d, out);
}

int calendar_add_days(const char *iso, long n, char out[11])
{
	int bad;
	long day = calendar_day_number(iso, &bad);

	if (bad)
		return -1;
	calendar_from_day_number(day + n, out);
	return 0;
}

/* (y, m) moved by n months. */
static void shift_month(long *y, int *m, int n)
{
	long total = *y * 12 + (*m - 1) + n;

	*y = total / 12;
	*m = (int)(total % 12) + 1;
}

int calendar_add_months(const char *iso, int n, char out[11])
{
	long y;
	int m, d;

	if (split(iso, &y, &m, &d))
		return -1;
	shift_month(&y, &m, n);
	if (d > date_month_days((int)y, m))
		d = date_month_days((int)y, m);
	write_date(y, m, d, out);
	return 0;
}

int calendar_months_before(const char *iso, int n, char out[11])
{
	long y;
	int m, d;

	if (split(iso, &y, &m, &d))
		return -1;
	shift_month(&y, &m, -n);
	/* Every day of a month shorter than d reaches, n months on, a day before d: the
	 * first day that reaches iso is the first of the next month. */
	if (d > date_month_days((int)y, m)) {
		shift_month(&y, &m, 1);
		d = 1;
	}
	write_date(y, m, d, out);
	return 0;
}

/* 0 Monday ... 6 Sunday of a day number: 1970-01-01 was a Thursday (3). */
static int weekday_of(long day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

int calendar_weekday(const char *iso)
{
	int bad;
	long day = calendar_day_number(iso, &bad);

	return bad ? -1 : weekday_of(day);
}

int calendar_add_working_days(const char *iso, int n, char out[11])
{
	int bad;
	long day = calendar_day_number(iso, &bad);

	if (bad)
		return -1;
	while (n > 0) {
		day++;
		if (weekday_of(day) < 5)
			n--;
	}
	calendar_from_day_number(day, out);
	return 0;
}

long calendar_working_days_between(const char *from, const char *to)
{
	int bad1, bad2;
	long a = calendar_day_number(from, &bad1), b = calendar_day_number(to, &bad2), n = 0;

	if (bad1 || bad2)
		return 0;
	for (a++; a <= b; a++)
		if (weekday_of(a) < 5)
			n++;
	return n;
}

long calendar_days_between(const char *from, const char *to)
{
	int bad1, bad2;
	long a = calendar_day_number(from, &bad1), b = calendar_day_number(to, &bad2);

	return bad1 || bad2 ? 0 : b - a;
}
