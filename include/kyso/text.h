/*
 * text.h - Vietnamese text: normalisation, folding for search, collation, display width.
 *
 * Everything stored is NFC UTF-8.  Folding (lower case, no diacritics, đ -> d) is what
 * search compares.  Sort keys follow the Vietnamese alphabet (ICU's "vi" collation) and
 * order people by given name, then family name, then middle names.
 */
#ifndef KYSO_TEXT_H
#define KYSO_TEXT_H

#include <stddef.h>

/* Returns a new NFC string of s, or NULL when s is not valid UTF-8.  Caller frees. */
char *text_nfc(const char *s);

/* NFC, with leading/trailing white space removed and inner runs of white space reduced to
 * one space.  NULL when s is not valid UTF-8.  Caller frees. */
char *text_clean(const char *s);

/* Folded form for search: lower case, marks stripped, đ/Đ -> d.  Caller frees. */
char *text_fold(const char *s);

/* s in upper case, NFC, Vietnamese letters included ("Sở Nông nghiệp" -> "SỞ NÔNG
 * NGHIỆP", as Decree 30 writes an agency's name); NULL for NULL or out of memory.
 * Caller frees. */
char *text_upper(const char *s);

/* s with each word's first letter upper case and the rest lower case, the Vietnamese
 * way (ICU, locale vi): "nguyễn văn đức" -> "Nguyễn Văn Đức".  NFC; NULL for NULL or
 * out of memory.  Caller frees. */
char *text_title_case(const char *s);

/* 1 when s holds an upper-case letter (a name typed all in lower case holds none). */
int text_has_upper(const char *s);

/* Sort key of a name: a byte string that memcmp() orders the Vietnamese way.  For a person
 * (is_person) the given name comes first, then the family name, then the middle names;
 * other names sort as written.  *len receives its length.  Caller frees. */
unsigned char *text_sort_key(const char *name, int is_person, size_t *len);

/* Columns s takes on a terminal (wcwidth of each character). */
int text_width(const char *s);

/* Writes into out (size outsz) s truncated to at most width columns ("…" when cut) and
 * padded with spaces to exactly width columns.  Returns out. */
char *text_fit(const char *s, int width, char *out, size_t outsz);

/* The next word of s at or after *pos: a run of letters, digits and marks (Unicode
 * categories L, N, M), split the way the search index splits text, so that apostrophes,
 * dashes and no-break spaces separate words.  Returns 1 with *start and *len (bytes) set
 * and *pos after the word, 0 at the end. */
int text_next_word(const char *s, size_t *pos, size_t *start, size_t *len);

/* 1 when s is NULL or "". */
int text_is_blank(const char *s);

/* 1 when s is valid UTF-8. */
int text_is_utf8(const char *s);

/* Releases the collator; for leak checkers at exit. */
void text_shutdown(void);

#endif
