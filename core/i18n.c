/*
 * i18n.c - message catalogues.  The catalogue folder is $KYSO_LOCALEDIR when the
 * environment names one; else, for the kyso that `make install` builds, the folder
 * KYSO_LOCALEDIR_NEAR_EXE (../share/locale) beside the running binary when it holds
 * kyso's catalogue, so that a kyso staged under DESTDIR or moved with its share/ folder
 * still finds it; else the compiled-in KYSO_LOCALEDIR (the build's build/locale, or
 * PREFIX/share/locale when installed).
 *
 * gettext translates nothing while LC_MESSAGES is "C", which is what a bare CI machine or
 * cron job has; kyso then takes C.UTF-8, which glibc always has, and chooses the language
 * through LANGUAGE.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kyso/i18n.h"

#ifndef KYSO_LOCALEDIR
#define KYSO_LOCALEDIR "/usr/share/locale"
#endif
/* Relative to the binary's folder; empty: not looked for (the in-tree ./kyso). */
#ifndef KYSO_LOCALEDIR_NEAR_EXE
#define KYSO_LOCALEDIR_NEAR_EXE ""
#endif

/* The catalogue folder beside the running binary, in dir, when it holds the Vietnamese
 * catalogue (the only one kyso has); NULL otherwise. */
static const char *locale_dir_near_exe(char *dir, size_t size)
{
	char exe[PATH_MAX], mo[PATH_MAX + 32];
	ssize_t n;
	char *slash;
	int len;

	if (!*KYSO_LOCALEDIR_NEAR_EXE)
		return NULL;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	len = snprintf(dir, size, "%s/%s", exe, KYSO_LOCALEDIR_NEAR_EXE);
	if (len < 0 || (size_t)len >= size)
		return NULL;
	snprintf(mo, sizeof(mo), "%s/vi/LC_MESSAGES/kyso.mo", dir);
	return access(mo, R_OK) ? NULL : dir;
}

void kyso_i18n_init(const char *lang)
{
	const char *dir = getenv("KYSO_LOCALEDIR");
	const char *cur = setlocale(LC_ALL, "");
	char near_exe[PATH_MAX];

	if (!cur || !strcmp(cur, "C") || !strcmp(cur, "POSIX"))
		setlocale(LC_ALL, "C.UTF-8");
	/* Numbers are read and written the C way whatever the user's locale says. */
	setlocale(LC_NUMERIC, "C");
	if (!lang || !*lang)
		lang = "vi";
	setenv("LANGUAGE", strcmp(lang, "en") ? "vi" : "en", 1);
	if (!dir || !*dir)
		dir = locale_dir_near_exe(near_exe, sizeof(near_exe));
	bindtextdomain("kyso", dir ? dir : KYSO_LOCALEDIR);
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
