/*
 * check.h - the small rules input is held to: dates, e-mail addresses and domains, phone
 * numbers, citizen IDs.  Pure functions; no store.
 */
#ifndef KYSO_CHECK_H
#define KYSO_CHECK_H

#include <stddef.h>

#include "kyso/err.h"

/* Reads a date written YYYY-MM-DD, dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or dd.mm.yyyy into
 * out as YYYY-MM-DD.  Returns 0, or -1 when it is not a real calendar date. */
int date_parse(const char *in, char out[11]);

/* The days of month m (1-12) of year y, 29 in a leap February. */
int date_month_days(int y, int m);

/* YYYY-MM-DD -> dd/mm/yyyy (as given when it is not ISO). */
char *date_display(const char *iso, char out[11]);

/* A stored time YYYY-MM-DDTHH:MM:SSZ (UTC) -> "dd/mm/yyyy HH:MM" in local time, as a
 * person reads it (as given when it is not such a time).  Returns out. */
char *time_display(const char *utc, char *out, size_t outsz);

/* 0 when domain looks like a mail domain ("vinhlong.gov.vn"). */
int check_domain(const char *domain);

/* 0 when email is a well-formed address in domain or one of its sub-domains; else -1 and
 * why (a short reason for a person) is filled.  domain NULL: syntax only. */
int check_email(const char *email, const char *domain, char *why, size_t whysz);

/* Digits of a phone number: separators dropped, +84/84 country code -> 0.  Returns 0 when
 * what remains is 10 or 11 digits starting with 0, else -1 (out holds what was read). */
int phone_normalise(const char *in, char *out, size_t outsz);

/* 12 digits: 0 (CCCD); 9 digits: 1 (old CMND); anything else: -1. */
int check_id_number(const char *id);

/* 1 when every character of s is an ASCII digit (and s is not empty). */
int is_digits(const char *s);

/* 1 when text looks like it holds a password or PIN ("mật khẩu: ...", "PIN=1234",
 * "password ...", with or without marks): kyso never stores one. */
int text_has_secret(const char *text);

/* The longest free text a field takes, in characters: a note, circumstances, an address. */
#define CHECK_TEXT_MAX 1000

/* Free text an officer typed into field column (row: an import's row, or 0): adds a
 * problem when it is not valid UTF-8, longer than max_chars characters, or looks like it
 * holds a password or PIN (the problem does not repeat it).  Blank text is fine here
 * (whether it is required is the caller's rule).  Returns 1 when a problem was added. */
int check_text(struct kyso_problems *p, long row, const char *column, const char *value,
	       size_t max_chars);

/* The same for a single value: 0, or KYSO_EINVAL with "column: what is wrong" in err. */
int check_text_err(struct kyso_err *err, const char *column, const char *value,
		   size_t max_chars);

#endif
