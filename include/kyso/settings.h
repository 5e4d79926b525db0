/*
 * settings.h - the settings a person may change (`kyso setting`), each with its rule:
 * the PIN interval and the warning days of the due list, the form set, the language, the
 * reports' deadlines, the folder reports and minutes are written to.
 * One table (core/settings.c) lists them; a module that needs a new setting adds a row
 * there and reads it with settings_number() or settings_value().  The store's own keys
 * (the audit chain's head) are not in the table and cannot be changed this way.
 */
#ifndef KYSO_SETTINGS_H
#define KYSO_SETTINGS_H

#include <stddef.h>

#include "kyso/db.h"

#define EVENT_SETTING_CHANGED "setting.changed"

struct settings_key {
	const char *key;
	const char *label;	/* for a person (N_(): translate with _()) */
	const char *fallback;	/* the value while none is set */
	const char *const *choices; /* one of these (NULL-terminated); NULL for a number */
	long min, max;		/* a whole number in [min, max] when choices is NULL */
	const char *rule;	/* the article it serves, or NULL */
	/* Another rule than a choice or a number (a day of the year, a folder): NULL when
	 * value passes, else why not, for a person (N_()). */
	const char *(*check)(const char *value);
};

/* Settings of other modules than token.c and cert.c. */
#define SETTING_DOCUMENTS_DIR "documents.dir" /* where reports and minutes go by default */

/* The table, in the order `kyso setting list` prints it. */
const struct settings_key *settings_keys(size_t *n);

/* The key's row, or NULL when it is not a setting a person may change.  A key's old
 * name ("document_dir") finds the row of the key it became. */
const struct settings_key *settings_find(const char *key);

/* Checks value for key; every problem goes to problems.  Returns the number added. */
int settings_check(const char *key, const char *value, struct kyso_problems *problems);

/* Checks and stores value in one transaction, with an event and an audit row.
 * KYSO_EINVAL (problems filled) for an unknown key or a bad value. */
int settings_set(struct kyso_db *db, const char *key, const char *value,
		 struct kyso_problems *problems, struct kyso_err *err);

/* The value stored, else the key's fallback (a new string; NULL for an unknown key or no
 * memory).  A stored value that no longer passes the check gives the fallback. */
char *settings_value(struct kyso_db *db, const char *key);

/* The value of a number setting, else its fallback (0 for an unknown key). */
long settings_number(struct kyso_db *db, const char *key);

/* 1 when the value stored for key is the fallback (nothing stored). */
int settings_is_default(struct kyso_db *db, const char *key);

/* The folder of documents.dir with "~" made the home folder (a new string; NULL when out
 * of memory).  Nothing is made: outfile_documents_dir makes it. */
char *settings_documents_dir(struct kyso_db *db);

#endif
