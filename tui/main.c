/*
 * main.c - kyso's entry: global options, then either a command (the CLI, for scripts and
 * cron) or, with no command, the interface.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "kyso/i18n.h"
#include "kyso/subscriber.h"
#include "kyso/text.h"
#include "widgets/ui.h"

/* The release; a build may name another (-DKYSO_VERSION='"..."'). */
#ifndef KYSO_VERSION
#define KYSO_VERSION "0.11"
#endif

struct kyso_db *cli_db(struct cli *c)
{
	struct kyso_err err = { 0 };
	char *path = NULL;
	const char *p = c->db_path;

	if (c->db)
		return c->db;
	if (!p || !*p)
		p = getenv("KYSO_DB");
	if (!p || !*p)
		p = path = db_default_path();
	if (!c->may_create && p && access(p, F_OK) != 0) {
		fprintf(stderr, _("kyso: there is no database at %s; set the agency up first with `kyso init` (or name another with --db)\n"),
			p);
		free(path);
		return NULL;
	}
	if (db_open(p, &c->db, &err)) {
		cli_report(err.code ? err.code : KYSO_EIO, &err, NULL);
		c->db = NULL;
	}
	free(path);
	return c->db;
}

void cli_usage(FILE *out)
{
	fprintf(out, "%s", _("Usage: kyso [--db PATH] [--lang vi|en] [COMMAND ...]\n"
			     "       kyso --version | --help\n"
			     "\n"
			     "With no command, kyso opens its full-screen interface (on a terminal).\n"
			     "\n"
			     "Commands:\n"
			     "  init --agency NAME --code CODE --email-domain DOMAIN [...]\n"
			     "  agency show|edit ...\n"
			     "  unit add|list|edit ...\n"
			     "  subscriber add|list|show|edit|depart ...\n"
			     "  import FILE.csv|FILE.xlsx [--dry-run] [--skip-invalid] [--map COLUMN=FIELD] [--json]\n"
			     "  export roster --format csv|xlsx -o FILE|DIR|- [--force]\n"
			     "  audit verify|list\n"
			     "  due [--at YYYY-MM-DD] [--json]\n"
			     "  token add|list|show|states|assign|handover|lend|loan-end|lock|recover|\n"
			     "        damage|find|reuse|lost|revocation-asked|return|pin-changed ...\n"
			     "  cert add|revoke|list ...\n"
			     "  setting list|get KEY|set KEY VALUE\n"
			     "  minutes handover|return|lost --serial S [--serial S ...] [-o FILE.docx|DIR|-] [--force]\n"
			     "  minutes list [--json] | reprint NUMBER [-o FILE.docx|DIR|-] [--force]\n"
			     "  report --period 2026-H1|2026-H2|2026|FROM..TO [-o FILE.xlsx|DIR|-] [--force] [--json]\n"
			     "  report list|sent|again ...\n"
			     "\n"
			     "The database is --db PATH, else $KYSO_DB, else ~/.local/share/kyso/kyso.db.\n"
			     "-o takes a file, a folder (a name is made there) or - (standard output); minutes\n"
			     "and reports written again without -o go to the folder of the setting documents.dir.\n"
			     "No file is replaced without --force; a sent report's or numbered minutes' never.\n"
			     "Exit codes: 0 ok, 1 error, 2 usage, 3 input rejected, 4 conflict.\n"
			     "README.md describes every option.\n"));
}

static const struct {
	const char *name;
	int (*run)(struct cli *c, int argc, char **argv);
} commands[] = {
	{ "init", cli_init },	  { "agency", cli_agency }, { "unit", cli_unit },
	{ "subscriber", cli_subscriber }, { "import", cli_import }, { "export", cli_export },
	{ "audit", cli_audit },	  { "due", cli_due },
	{ "token", cli_token },	  { "cert", cli_cert },	    { "setting", cli_setting },
	{ "minutes", cli_minutes },
	{ "report", cli_reports },
};

/* kyso --version: the release and the store's schema it makes. */
static int print_version(void)
{
	printf(_("kyso %s (store schema %d)\n"), KYSO_VERSION, db_schema_version());
	return 0;
}

/* What every command printed reached its reader: a full disk, a closed pipe or /dev/full
 * is an error (exit 1), said on stderr, even when the command itself did not look. */
static int output_written(int rc)
{
	int failed = fflush(stdout) != 0, why = errno;

	if (!failed && ferror(stdout)) {
		failed = 1;
		why = EIO;
	}
	if (!failed && fclose(stdout) != 0) {
		failed = 1;
		why = errno;
	}
	if (!failed)
		return rc;
	fprintf(stderr, _("kyso: the output could not be written (%s)\n"),
		kyso_strerror(why ? why : EIO));
	return rc ? rc : 1;
}

/* kyso with no command and no terminal (a pipe, cron) prints the roster, or the help
 * while there is none. */
static int show_roster(struct cli *c)
{
	char *argv[] = { "subscriber", "list", NULL };
	struct kyso_db *db = cli_db(c);
	struct kyso_err err;
	long n = 0;
	struct subscriber_query q = { .kind = -1 };

	if (!db)
		return 1;
	if (subscriber_count(db, &q, &n, &err) == 0 && n == 0) {
		cli_usage(stdout);
		return 0;
	}
	optind = 0; /* glibc: 0 re-initialises getopt for the command's own options */
	return cli_subscriber(c, 2, argv);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	struct cli c = { 0 };
	const char *lang = getenv("KYSO_LANG");
	int opt, rc = 2;
	size_t i;

	ui_mark_start();
	/* The language is known before any message is printed. */
	for (i = 1; i + 1 < (size_t)argc; i++)
		if (!strcmp(argv[i], "--lang"))
			lang = argv[i + 1];
		else if (!strncmp(argv[i], "--lang=", 7))
			lang = argv[i] + 7;
	if (lang && strcmp(lang, "vi") && strcmp(lang, "en")) {
		kyso_i18n_init("vi");
		return cli_usage_error(_("--lang takes vi or en"));
	}
	kyso_i18n_init(lang);
	c.lang = lang;

	while ((opt = cli_getopt(argc, argv, "+h", opts)) != -1) {
		switch (opt) {
		case 'd':
			c.db_path = optarg;
			break;
		case 'l':
			break;
		case 'h':
			cli_usage(stdout);
			return output_written(0);
		case 'V':
			return output_written(print_version());
		default:
			return cli_usage_error(_("unknown option"));
		}
	}
	if (optind >= argc) {
		c.may_create = 1;
		rc = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) ? tui_main(&c) : show_roster(&c);
		goto out;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		rc = cli_usage_error(_("unknown command \"%s\""), argv[optind]);
		goto out;
	}
	c.may_create = !strcmp(argv[optind], "init");
	/* Each command parses its own options from its name on. */
	optind++;
	{
		int sub_argc = argc - optind + 1;
		char **sub_argv = argv + optind - 1;

		optind = 0; /* glibc: 0 re-initialises getopt */
		rc = commands[i].run(&c, sub_argc, sub_argv);
	}
out:
	db_close(c.db);
	text_shutdown();
	return output_written(rc);
}
