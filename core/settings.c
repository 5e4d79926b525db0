/*
 * settings.c - the settings a person may change, as a table (see kyso/settings.h).  Every
 * value is checked before it is stored; what is read back is checked again, so that a
 * value written past kyso (the sqlite3 shell) never reaches a rule unchecked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kyso/cert.h"
#include "kyso/event.h"
#include "kyso/check.h"
#include "kyso/i18n.h"
#include "kyso/report.h"
#include "kyso/settings.h"
#include "kyso/text.h"
#include "kyso/token.h"

/* "MM-DD", a day of any year (29 February too), or "off": a report's deadline. */
static const char *check_deadline(const char *value)
{
	char probe[32], iso[11];
	int month, day, n = 0;

	if (!strcmp(value, "off"))
		return NULL;
	if (sscanf(value, "%2d-%2d%n", &month, &day, &n) != 2 || value[n] || n != 5 ||
	    snprintf(probe, sizeof(probe), "2024-%02d-%02d", month, day) != 10 ||
	    date_parse(probe, iso))
		return N_("is not a day of the year written MM-DD (11-20), nor off");
	return NULL;
}

/* A folder: any text without control characters. */
static const char *check_folder(const char *value)
{
	const unsigned char *c;

	if (!*value)
		return N_("is empty");
	for (c = (const unsigned char *)value; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return N_("holds a control character");
	return text_is_utf8(value) ? NULL : N_("is not valid UTF-8 text");
}

/* Add a row to add a setting. */
static const struct settings_key keys[] = {
	{ SETTING_PIN_INTERVAL_MONTHS, N_("PIN change interval (months)"), "6", NULL, 1, 12,
	  N_("Art. 13.3"), NULL },
	{ SETTING_PIN_WARN_DAYS, N_("PIN change shown as due (days ahead)"), "30", NULL, 0, 365,
	  N_("Art. 13.3"), NULL },
	{ SETTING_CERT_WARN_DAYS, N_("Certificate shown as expiring (days ahead)"), "60", NULL, 1,
	  365, N_("Art. 5.3.b"), NULL },
	{ SETTING_FORM_SET, N_("Form set of documents"), "nd68",
	  (const char *const[]){ "nd68", "tt185", NULL }, 0, 0, NULL, NULL },
	{ "language", N_("Interface language"), "vi", (const char *const[]){ "vi", "en", NULL }, 0,
	  0, NULL, NULL },
	{ SETTING_REPORT_H1_DEADLINE, N_("First-half report due by (MM-DD, or off)"), "07-15",
	  NULL, 0, 0, N_("Art. 15.3"), check_deadline },
	{ SETTING_REPORT_H2_DEADLINE, N_("Second-half report due by, the next year (MM-DD, or off)"),
	  "01-15", NULL, 0, 0, N_("Art. 15.3"), check_deadline },
	{ SETTING_REPORT_ANNUAL_DEADLINE, N_("Annual report due by (MM-DD, or off)"), "11-20", NULL,
	  0, 0, N_("Art. 9.6"), check_deadline },
	{ SETTING_REPORT_WARN_DAYS, N_("Report shown as coming due (days ahead)"), "30", NULL, 0,
	  180, N_("Art. 15.3"), NULL },
	{ SETTING_DOCUMENTS_DIR, N_("Folder reports and minutes are written to"),
	  "~/kyso-documents", NULL, 0, 0, NULL, check_folder },
};

/* Keys that were renamed: the old name still reads and sets the setting. */
static const struct {
	const char *old, *key;
} renamed[] = {
	{ "document_dir", SETTING_DOCUMENTS_DIR }, /* issue 11: reports go there too */
};

const struct settings_key *settings_keys(size_t *n)
{
	*n = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

const struct settings_key *settings_find(const char *key)
{
	size_t i;

	for (i = 0; key && i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (!strcmp(renamed[i].old, key))
			key = renamed[i].key;
	for (i = 0; key && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].key, key))
			return &keys[i];
	return NULL;
}

static int is_choice(const char *const *choices, const char *value)
{
	for (; *choices; choices++)
		if (!strcmp(*choices, value))
			return 1;
	return 0;
}

/* "nd68, tt185" */
static void choices_text(const char *const *choices, char *out, size_t outsz)
{
	size_t len = 0;

	out[0] = '\0';
	for (; *choices && len < outsz; choices++)
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", *choices);
}

/* The number value holds, or -1 when it is not a whole number in [min, max]. */
static int number_in(const char *value, long min, long max, long *out)
{
	char *end;
	long v;

	if (!value || !*value || *value == '-' || *value == '+')
		return -1;
	v = strtol(value, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int value_ok(const struct settings_key *k, const char *value)
{
	long v;

	if (!value)
		return 0;
	if (k->check)
		return k->check(value) == NULL;
	if (k->choices)
		return is_choice(k->choices, value);
	return number_in(value, k->min, k->max, &v) == 0;
}

int settings_check(const char *key, const char *value, struct kyso_problems *problems)
{
	const struct settings_key *k = settings_find(key);
	size_t before = kyso_problems_found(problems);

	if (!k) {
		kyso_problems_add(problems, 0, key ? key : "",
				  "%s", _("is not a setting (kyso setting list shows them)"));
	} else if (!value_ok(k, value)) {
		char choices[256];

		if (k->check) {
			kyso_problems_add(problems, 0, key, "\"%s\" %s", value ? value : "",
					  _(k->check(value ? value : "")));
		} else if (k->choices) {
			choices_text(k->choices, choices, sizeof(choices));
			kyso_problems_add(problems, 0, key, _("\"%s\" is not one of %s"),
					  value ? value : "", choices);
		}
		else
			kyso_problems_add(problems, 0, key, _("\"%s\" is not a whole number from %ld to %ld"),
					  value ? value : "", k->min, k->max);
	}
	return (int)(kyso_problems_found(problems) - before);
}

int settings_set(struct kyso_db *db, const char *key, const char *value,
		 struct kyso_problems *problems, struct kyso_err *err)
{
	struct event_new ev = { .kind = EVENT_SETTING_CHANGED };
	char *old = NULL;
	json_t *body = NULL;
	int rc;

	if (settings_check(key, value, problems))
		return kyso_fail(err, KYSO_EINVAL, "%s", _("the setting was not changed"));
	key = settings_find(key)->key; /* an old name sets the key it became */
	if ((rc = db_begin(db, err)))
		return rc;
	old = settings_value(db, key);
	body = json_pack("{s:s,s:s?,s:s}", "key", key, "old", old, "value", value);
	if ((rc = setting_set(db, key, value, err)) ||
	    (rc = event_record_audited(db, ev, "setting.set", key, body, err)))
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	json_decref(body);
	free(old);
	return rc;
}

char *settings_value(struct kyso_db *db, const char *key)
{
	const struct settings_key *k = settings_find(key);
	char *v;

	if (!k)
		return NULL;
	v = setting_get(db, k->key);
	if (v && value_ok(k, v))
		return v;
	free(v);
	return strdup(k->fallback);
}

long settings_number(struct kyso_db *db, const char *key)
{
	const struct settings_key *k = settings_find(key);
	char *v;
	long n = 0;

	if (!k || k->choices || k->check)
		return 0;
	v = settings_value(db, key);
	if (!v || number_in(v, k->min, k->max, &n))
		number_in(k->fallback, k->min, k->max, &n);
	free(v);
	return n;
}

int settings_is_default(struct kyso_db *db, const char *key)
{
	const struct settings_key *k = settings_find(key);
	char *v = k ? setting_get(db, k->key) : NULL;
	int is = !v || !k || !value_ok(k, v);

	free(v);
	return is;
}

char *settings_documents_dir(struct kyso_db *db)
{
	char *v = settings_value(db, SETTING_DOCUMENTS_DIR), *out;
	const char *home = getenv("HOME");

	if (!v || v[0] != '~' || (v[1] && v[1] != '/') || !home || !*home)
		return v;
	if (asprintf(&out, "%s%s", home, v + 1) < 0)
		out = NULL;
	free(v);
	return out;
}
