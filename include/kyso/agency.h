/*
 * agency.h - this agency's profile and its units (a tree).
 */
#ifndef KYSO_AGENCY_H
#define KYSO_AGENCY_H

#include "kyso/db.h"

/* The profile recorded by `kyso init`.  Strings are owned by the struct after
 * agency_get (free with agency_free); the caller's own when passed to agency_init. */
struct agency {
	char *name;           /* issuing agency, e.g. "Sở Nông nghiệp và Môi trường" */
	char *code;           /* document symbol, e.g. "SNNMT" */
	char *parent_body;    /* e.g. "UBND tỉnh Vĩnh Long" */
	char *email_domain;   /* official mail domain, e.g. "vinhlong.gov.vn" */
	char *head_name;      /* Thủ trưởng cơ quan */
	char *head_position;
	char *focal_name;     /* cán bộ đầu mối */
	char *focal_position;
	char *focal_phone;
	char *focal_email;
	char *recipient;      /* the department that receives requests and reports */
	char *place;          /* place name on documents: "Vĩnh Long" */
	char *address;
	long version;
};

void agency_free(struct agency *a);

/* Records the profile once.  Every problem goes to problems (returns KYSO_EINVAL). */
int agency_init(struct kyso_db *db, const struct agency *a, struct kyso_problems *problems,
		struct kyso_err *err);

/* Replaces the profile; refused with KYSO_ECONFLICT unless a->version is current. */
int agency_update(struct kyso_db *db, const struct agency *a, struct kyso_problems *problems,
		  struct kyso_err *err);

/* Reads the profile.  KYSO_ENOTFOUND before `kyso init`. */
int agency_get(struct kyso_db *db, struct agency *out, struct kyso_err *err);

/* The agency's e-mail domain (a new string in *domain).  KYSO_ENOTFOUND before init. */
int agency_email_domain(struct kyso_db *db, char **domain, struct kyso_err *err);

/* Checks a profile without writing (the same rules init applies). */
void agency_validate(const struct agency *a, struct kyso_problems *problems);

struct unit {
	long long id;
	long long parent_id; /* 0 at the top */
	const char *name;
	const char *code;
	int depth;           /* in unit_list: 0 at the top */
	long version;
	long subscribers;    /* in unit_list: active subscribers in the unit and under it */
};

/* The longest unit name or code, in characters. */
#define UNIT_NAME_MAX 200

/* Adds a unit under parent (NULL or "" for the top); prints nothing.  *id gets its id.
 * Its name and code are free text (check_text: never a password). */
int unit_add(struct kyso_db *db, const char *name, const char *parent, const char *code,
	     long long *id, struct kyso_err *err);

/* Inside a transaction the caller holds: the unit named name (compared folded), added at
 * the top when there is none (*added set to 1).  For import. */
int unit_ensure_tx(struct kyso_db *db, const char *name, long long *id, int *added,
		   struct kyso_err *err);

/* Renames and/or moves a unit; NULL leaves a field as it is, parent "" moves it to the top.
 * expect_version > 0 refuses a stale edit with KYSO_ECONFLICT. */
int unit_edit(struct kyso_db *db, long long id, const char *name, const char *parent,
	      const char *code, long expect_version, struct kyso_err *err);

/* SQL for the ids of a unit and of every unit under it, for "... unit_id IN "
 * UNIT_SUBTREE_SQL with the unit's id bound to its one parameter: a filter by a unit
 * takes in its sub-units (issue 11.10). */
#define UNIT_SUBTREE_SQL                                                                   \
	"(WITH RECURSIVE subtree(id) AS (SELECT ? UNION SELECT c.id FROM unit c"           \
	" JOIN subtree ON c.parent_id = subtree.id) SELECT id FROM subtree)"

/* Finds a unit by name (compared folded) or by "#ID"/"ID".  KYSO_ENOTFOUND if none. */
int unit_find(struct kyso_db *db, const char *name_or_id, long long *id, struct kyso_err *err);

/* Calls fn for every unit, depth-first, children sorted the Vietnamese way. */
int unit_list(struct kyso_db *db, int (*fn)(const struct unit *u, void *ctx), void *ctx,
	      struct kyso_err *err);

#endif
