/*
 * token_fixture.h - what the unit tests of tokens, certificates and the due list share:
 * subscribers and tokens added through the real API, failing the test when refused.
 * Include after cmocka.h and store_fixture.h.
 */
#ifndef KYSO_TESTS_TOKEN_FIXTURE_H
#define KYSO_TESTS_TOKEN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kyso/subscriber.h"
#include "kyso/token.h"

/* Adds a subscriber of kind (a person gets a position and a citizen ID of its own);
 * returns the id. */
static inline long long fixture_subscriber(struct kyso_db *db, enum subscriber_kind kind,
					   const char *name, const char *email)
{
	static int serial;
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct subscriber s;
	char id_number[24];

	subscriber_init(&s);
	s.kind = kind;
	s.name = strdup(name);
	s.email = strdup(email);
	if (kind == KIND_PERSON) {
		snprintf(id_number, sizeof id_number, "0869900%05d", ++serial);
		s.position = strdup("Chuyên viên");
		s.id_number = strdup(id_number);
	}
	if (subscriber_add(db, &s, &problems, &err))
		fail_msg("subscriber_add(%s): %s (%s)", name, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	subscriber_free(&s);
	return s.id;
}

/* Adds a token of subscriber received on received_on (NULL: today); returns the id. */
static inline long long fixture_token(struct kyso_db *db, const char *serial,
				      long long subscriber, const char *received_on)
{
	struct token_new t = { .serial = serial, .subscriber_id = subscriber,
			       .received_on = received_on };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long id = 0;

	if (token_add(db, &t, &id, &problems, &err))
		fail_msg("token_add(%s): %s (%s)", serial, err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	return id;
}

#endif
