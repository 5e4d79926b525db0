/*
 * i18n.c - message catalogues.  The catalogue folder is KYSO_LOCALEDIR (the build's
 * build/locale) unless the environment names another.
 *
 * gettext translates nothing while LC_MESSAGES is "C", which is what a bare CI machine or
 * cron job has; kyso then takes C.UTF-8, which glibc always has, and chooses the language
 * through LANGUAGE.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/i18n.h"

#ifndef KYSO_LOCALEDIR
#define KYSO_LOCALEDIR "/usr/share/locale"
#endif

void kyso_i18n_init(const char *lang)
{
	const char *dir = getenv("KYSO_LOCALEDIR");
	const char *cur = setlocale(LC_ALL, "");

	if (!cur || !strcmp(cur, "C") || !strcmp(cur, "POSIX"))
		setlocale(LC_ALL, "C.UTF-8");
	/* Numbers are read and written the C way whatever the user's locale says. */
	setlocale(LC_NUMERIC, "C");
	if (!lang || !*lang)
		lang = "vi";
	setenv("LANGUAGE", strcmp(lang, "en") ? "vi" : "en", 1);
	bindtextdomain("kyso", dir && *dir ? dir : KYSO_LOCALEDIR);
	bind_textdomain_codeset("kyso", "UTF-8");
	textdomain("kyso");
}

/* GNU gettext caches translations; this counter tells it that the catalogue to use has
 * changed (the gettext manual, "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

void kyso_i18n_switch(const char *lang)
{
	setenv("LANGUAGE", lang && !strcmp(lang, "en") ? "en" : "vi", 1);
	++_nl_msg_cat_cntr;
}

const char *kyso_ctx_gettext(const char *ctx_and_msgid)
{
	const char *t = dgettext("kyso", ctx_and_msgid);
	const char *sep;

	if (t != ctx_and_msgid)
		return t;
	sep = strchr(ctx_and_msgid, '\004');
	return sep ? sep + 1 : ctx_and_msgid;
}
