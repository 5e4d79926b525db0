/*
 * i18n.h - gettext for every string a person reads.  Messages are written in English in
 * the source and translated by the catalogues under tui/po/; Vietnamese is the default.
 */
#ifndef KYSO_I18N_H
#define KYSO_I18N_H

#include <libintl.h>

#define _(s) dgettext("kyso", s)
#define N_(s) (s)

/* A message whose words mean something else elsewhere ("Back": a key's label, and the
 * tokens handed back): NC_ marks it with a context, as xgettext's msgctxt, and CTX_
 * translates what NC_ marked. */
#define NC_(ctx, s) (ctx "\004" s)
const char *kyso_ctx_gettext(const char *ctx_and_msgid);
#define CTX_(s) kyso_ctx_gettext(s)

/* Chooses the language of messages: "vi" or "en".  Call once at start, after setlocale. */
void kyso_i18n_init(const char *lang);

/* Switches the language of messages while running (the interface's language setting). */
void kyso_i18n_switch(const char *lang);

#endif
