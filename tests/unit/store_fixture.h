/*
 * store_fixture.h - what the store's unit tests share: a fresh folder with a real SQLite
 * file for each test, the agency set up or not, and the group set-up (English messages,
 * a fixed today).  Included by the tests that need it; static so each test binary has its
 * own copy, and unused parts cost nothing.
 */
#ifndef KYSO_TESTS_STORE_FIXTURE_H
#define KYSO_TESTS_STORE_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kyso/agency.h"
#include "kyso/db.h"
#include "kyso/i18n.h"
#include "kyso/text.h"

#define TODAY "2026-11-25"
#define DOMAIN "vinhlong.gov.vn"

struct fixture {
	char dir[256];
	char path[320];
	struct kyso_db *db;
};

static inline int group_setup(void **state)
{
	(void)state;
	kyso_i18n_init("en");
	setenv("KYSO_TODAY", TODAY, 1);
	setenv("KYSO_ACTOR", "test", 1);
	return 0;
}

static inline int group_teardown(void **state)
{
	(void)state;
	text_shutdown();
	return 0;
}

/* A fresh folder, no database yet. */
static inline int setup_dir(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	const char *tmp = getenv("TMPDIR");

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof fx->dir, "%s/kyso-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof fx->path, "%s/kyso.db", fx->dir);
	*state = fx;
	return 0;
}

/* A fresh, migrated database with no agency. */
static inline int setup_db(void **state)
{
	struct kyso_err err = { 0 };
	struct fixture *fx;

	if (setup_dir(state))
		return -1;
	fx = *state;
	if (db_open(fx->path, &fx->db, &err)) {
		fprintf(stderr, "db_open: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static const struct agency sample_agency = {
	.name = "Sở Nông nghiệp và Môi trường",
	.code = "SNNMT",
	.parent_body = "UBND tỉnh Vĩnh Long",
	.email_domain = DOMAIN,
	.place = "Vĩnh Long",
};

/* A fresh database with the agency set up (one audit row), no focal-point officer. */
static inline int setup_agency(void **state)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	int rc;

	if (setup_db(state))
		return -1;
	rc = agency_init(((struct fixture *)*state)->db, &sample_agency, &problems, &err);
	kyso_problems_free(&problems);
	if (rc)
		fprintf(stderr, "agency_init: %s\n", err.msg);
	return rc ? -1 : 0;
}

static inline int remove_entry(const char *path, const struct stat *st, int flag,
			       struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int teardown(void **state)
{
	struct fixture *fx = *state;

	db_close(fx->db);
	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static inline struct kyso_db *db_of(void **state)
{
	return ((struct fixture *)*state)->db;
}

#endif
