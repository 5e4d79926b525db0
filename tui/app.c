/*
 * app.c - kyso with no command on a terminal: opens the store, chooses the language
 * (--lang, then KYSO_LANG, then the setting "language", then Vietnamese), and starts on
 * the setup screen when the agency is not set up yet, else on the dashboard, offering the
 * drafts an earlier kyso left when it was stopped with a form open.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "kyso/agency.h"
#include "kyso/i18n.h"
#include "screens/screens.h"
#include "widgets/ui.h"

int tui_main(struct cli *c)
{
	struct kyso_db *db = cli_db(c);
	struct agency a = { 0 };
	struct kyso_err err;
	int has_agency, rc;

	if (!db)
		return 1;
	if (!c->lang) {
		char *lang = setting_get(db, "language");

		if (lang && (!strcmp(lang, "vi") || !strcmp(lang, "en")))
			kyso_i18n_switch(lang);
		free(lang);
	}
	has_agency = agency_get(db, &a, &err) == 0;
	agency_free(&a);
	if (ui_init(db))
		return 1;
	rc = has_agency ? dashboard_open() : setup_open();
	if (rc == 0 && has_agency)
		drafts_offer();
	return ui_run();
}
