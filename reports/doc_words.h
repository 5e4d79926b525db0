/*
 * doc_words.h - words the agency's papers share (internal to reports/): the minutes
 * (DOCX) and the reports (XLSX) go to the department and are in Vietnamese whatever the
 * interface's language, so these are data, not gettext.
 */
#ifndef KYSO_REPORTS_DOC_WORDS_H
#define KYSO_REPORTS_DOC_WORDS_H

/* A date as an administrative document writes it (Decree 30/2020, Appendix I): "ngày 05
 * tháng 02 năm 2026", the day below 10 and the months 1 and 2 with a leading zero ("ngày
 * 15 tháng 3 năm 2026").  "" when iso is not YYYY-MM-DD.  Returns out. */
char *doc_date_words(const char *iso, char out[40]);

/* "Cá nhân", "Tổ chức", "Thiết bị, dịch vụ, phần mềm" for subscriber.h's kinds (a kind
 * out of range reads as a person's). */
const char *doc_kind_words(int kind);

#endif
