/*
 * subscriber.h - the roster: people, organisations and devices/services/software that hold
 * certificates (DOMAIN.md §2).  Departing keeps the record and its history.
 */
#ifndef KYSO_SUBSCRIBER_H
#define KYSO_SUBSCRIBER_H

#include "kyso/db.h"

/* What a subscriber is (DOMAIN.md §2).  The store, the command line and JSON know each by
 * its name (subscriber_kind_name), officers by its label. */
enum subscriber_kind { KIND_PERSON, KIND_ORG, KIND_DEVICE };
#define SUBSCRIBER_KINDS 3

/* Where a subscriber stands: active, or departed for one of three reasons.  The store keeps
 * the name ("active", "left", "transferred", "retired"); these words are written only in
 * subscriber.c's table. */
enum subscriber_status { STATUS_ACTIVE, STATUS_LEFT, STATUS_TRANSFERRED, STATUS_RETIRED };
#define SUBSCRIBER_STATUSES 4

/* Which statuses a list asks for: every one ("all", or no word), the active, any
 * departure ("departed"), or one status by its name.  The command line's --status words;
 * a subscriber_query's and tally_count's status is one of these words. */
enum status_filter {
	FILTER_ALL, FILTER_ACTIVE, FILTER_DEPARTED, FILTER_LEFT, FILTER_TRANSFERRED,
	FILTER_RETIRED
};
#define STATUS_FILTERS 6

/* Fields of a subscriber.  NULL or "" means "not given".  Dates are YYYY-MM-DD. */
struct subscriber {
	long long id;
	enum subscriber_kind kind;
	char *name;
	char *unit;          /* unit name (as shown); resolved by name when saving */
	long long unit_id;
	char *position;      /* chức vụ (person) */
	char *id_number;     /* CCCD 12 digits, or old CMND 9 digits (person) */
	char *id_issued_on;
	char *id_issued_by;
	char *birth_date;
	char *email;
	char *phone;
	char *address;
	char *tax_code;      /* mã số thuế (organisation, device's owner) */
	char *budget_code;   /* mã quan hệ ngân sách (organisation) */
	char *identifier;    /* domain name or identifier (device/service/software) */
	char *purpose;       /* what the device/service/software signs (device) */
	char *owner;         /* owning body (device) */
	char *note;
	char *since_on;      /* certificate first issued, or in service since; NULL: not known
			      * (counted from the day it was recorded) */
	char *status;        /* active, left, transferred, retired */
	char *departed_on;
	char *departure_note;
	char *created_at;
	char *updated_at;
	long version;
	long long import_id;  /* set by import: the batch and row that last wrote it */
	long import_row;
};

/* Field names as the command line, import maps and JSON know them, in form order. */
enum subscriber_field {
	SF_KIND, SF_NAME, SF_UNIT, SF_POSITION, SF_ID_NUMBER, SF_ID_ISSUED_ON, SF_ID_ISSUED_BY,
	SF_BIRTH_DATE, SF_EMAIL, SF_PHONE, SF_ADDRESS, SF_TAX_CODE, SF_BUDGET_CODE,
	SF_IDENTIFIER, SF_PURPOSE, SF_OWNER, SF_SINCE, SF_NOTE, SF_COUNT
};
const char *subscriber_field_name(enum subscriber_field f);       /* "id_number" */
const char *subscriber_field_label(enum subscriber_field f);      /* "Số CCCD" / "Citizen ID" */
int subscriber_field_from_name(const char *name);                 /* -1 if unknown */
char **subscriber_field_slot(struct subscriber *s, enum subscriber_field f); /* NULL for kind */
int subscriber_field_is_date(enum subscriber_field f);           /* YYYY-MM-DD, shown dd/mm/yyyy */
/* A stored value as an officer reads it: "(blank)", a date dd/mm/yyyy (in buf), a kind by
 * its label. */
const char *subscriber_value_shown(enum subscriber_field f, const char *value, char buf[11]);

const char *subscriber_kind_name(enum subscriber_kind k);  /* "person", "org", "device" */
const char *subscriber_kind_label(enum subscriber_kind k); /* "Cá nhân", ... */
int subscriber_kind_parse(const char *text, enum subscriber_kind *k); /* names and labels */
int subscriber_kind_of_name(const char *name); /* a stored name's kind; -1 for none */
const char *subscriber_status_name(enum subscriber_status st); /* "active", "left", ... */
/* The status of a stored name; -1 for a name that is none.  NULL is active (no departure). */
int subscriber_status_parse(const char *name, enum subscriber_status *st);
const char *subscriber_status_label(const char *status); /* "Active", "Left", ... */
/* 1 when status (a stored name; NULL: active) is a departure. */
int subscriber_departed(const char *status);

/* The filter a word names (NULL and "" are FILTER_ALL); -1 for a word that is none. */
int status_filter_parse(const char *word, enum status_filter *f);
const char *status_filter_name(enum status_filter f); /* "all", "active", "departed", ... */
const char *status_filter_label(enum status_filter f); /* "Any status", "Active", ... */
/* 1 when a subscriber of status st is in what f asks for. */
int status_filter_takes(enum status_filter f, enum subscriber_status st);

void subscriber_init(struct subscriber *s);   /* zero, kind person */
void subscriber_free(struct subscriber *s);   /* frees the strings, keeps s */

/* Normalises the fields in place: NFC, white space, e-mail lower case, phone digits
 * (+84 -> 0), dates dd/mm/yyyy -> YYYY-MM-DD.  Invalid UTF-8 is left for validation. */
void subscriber_normalise(struct subscriber *s);

/* Checks s against the rules (required fields per kind, e-mail domain, citizen ID, phone,
 * dates, duplicates among active subscribers other than s->id).  Every problem goes to
 * problems, tagged with row.  Returns the number of problems added. */
int subscriber_validate(struct kyso_db *db, const struct subscriber *s, long row,
			struct kyso_problems *problems);

/* 1 when s->id_number is an old 9-digit CMND (accepted, but flagged). */
int subscriber_has_old_id(const struct subscriber *s);

/* Adds s (normalised and validated; units must exist) in one transaction; s->id set.
 * KYSO_EINVAL with problems filled when validation fails. */
int subscriber_add(struct kyso_db *db, struct subscriber *s, struct kyso_problems *problems,
		   struct kyso_err *err);

/* Reads subscriber id into out (strings owned by out). */
int subscriber_get(struct kyso_db *db, long long id, struct subscriber *out,
		   struct kyso_err *err);

/* The name subscriber id had at the end of date (YYYY-MM-DD), read back from the
 * history: the earlier value of the first rename recorded after that day, else the name
 * now.  *name is new (caller frees).  Papers written later about an event name people
 * as they were then (issue 11.7). */
int subscriber_name_on(struct kyso_db *db, long long id, const char *date, char **name,
		       struct kyso_err *err);

/* Writes s over subscriber s->id.  s->version must be the version read, else
 * KYSO_ECONFLICT and nothing changes. */
int subscriber_update(struct kyso_db *db, struct subscriber *s, struct kyso_problems *problems,
		      struct kyso_err *err);

/* One field to change: field is an enum subscriber_field (SF_KIND takes a kind's name or
 * label); value "" clears the field.  SUBSCRIBER_DEPARTED_ON corrects a departed
 * subscriber's departure date: an audited correction ("subscriber.corrected", with the
 * earlier date) that also moves the departure's event and its open follow-ups. */
struct subscriber_change {
	int field;
	const char *value;
};
#define SUBSCRIBER_DEPARTED_ON (SF_COUNT + 1)
#define EVENT_SUBSCRIBER_CORRECTED "subscriber.corrected"

/* Changes the given fields of subscriber id as it is when the transaction starts, so a
 * change another officer made meanwhile to other fields is kept.  expect_version > 0
 * refuses with KYSO_ECONFLICT when the row is no longer at that version. */
int subscriber_edit(struct kyso_db *db, long long id, const struct subscriber_change *changes,
		    size_t n, long expect_version, struct kyso_problems *problems,
		    struct kyso_err *err);

/* Records a departure (reason: left, transferred, retired) on date.  The record and its
 * history stay.  expect_version > 0 refuses a stale departure. */
int subscriber_depart(struct kyso_db *db, long long id, const char *date, const char *reason,
		      const char *note, long expect_version, struct kyso_problems *problems,
		      struct kyso_err *err);

/* Helpers used inside a transaction that the caller holds (import). */
int subscriber_insert_tx(struct kyso_db *db, struct subscriber *s, const char *event_kind,
			 const char *event_detail, struct kyso_err *err);
int subscriber_update_tx(struct kyso_db *db, struct subscriber *s, const char *event_kind,
			 const char *event_detail, struct kyso_err *err);
/* Bulk writing (import): how many names hold each word is kept in memory while rows are
 * written and stored when the batch ends, inside the caller's transaction (write 0: the
 * counts are dropped, as when the transaction is rolled back). */
int subscriber_batch_begin(struct kyso_db *db, struct kyso_err *err);
int subscriber_batch_end(struct kyso_db *db, int write, struct kyso_err *err);

/* What a lookup by citizen ID or e-mail found: an active subscriber (id, 0 when none) and
 * else a departed one (departed_id, departed_on). */
struct subscriber_hit {
	long long id;
	long long import_id;   /* the import that last wrote it, and its row there */
	long import_row;
	long long departed_id;
	char departed_on[11];
};
int subscriber_find_by(struct kyso_db *db, int by_email, const char *value,
		       struct subscriber_hit *hit, struct kyso_err *err);

/* The longest name kyso takes, in characters. */
#define SUBSCRIBER_NAME_MAX 200

/* Checks the fields only (no store): what subscriber_validate does minus duplicates and
 * units.  Free text is held to check_text's rules (never a password).  today is
 * YYYY-MM-DD; domain the agency's e-mail domain. */
int subscriber_check_fields(const struct subscriber *s, const char *domain, const char *today,
			    long row, struct kyso_problems *problems);

/* JSON object of the fields that differ between old and new ({"field": [old, new], ...}),
 * or NULL when nothing differs.  Caller frees. */
char *subscriber_changes(const struct subscriber *old, const struct subscriber *new_);


/* Listing ------------------------------------------------------------------------- */

/* Name: Vietnamese order (given name first).  Unit: unit by unit in the units' order, the
 * subscribers of no unit last, each unit in name order.  Status: the active, then the
 * departed by reason (left, retired, transferred), each in name order. */
enum subscriber_order { ORDER_NAME, ORDER_UNIT, ORDER_STATUS };

struct subscriber_query {
	const char *search;      /* words of the name, citizen ID or phone, folded (the last
				  * may be a beginning); with "@": the start of an e-mail */
	long long unit_id;       /* 0: any */
	int kind;                /* -1: any, else enum subscriber_kind */
	const char *status;      /* NULL or "all": any; "active"; "departed" (any departure);
				  * or one departure reason */
	enum subscriber_order order;
	long limit;              /* 0: no limit */
	long offset;             /* reads and drops rows: for short lists, never for paging */
	/* Keyset paging, in any order: the rows after the one that had this sort key and id
	 * (the sort_key and id of the last row of the previous page) and, in ORDER_UNIT, this
	 * unit_id, in ORDER_STATUS this status.  A screen pages a million rows this way, each
	 * page costing the same wherever it is.  To start at a row rather than after it, give
	 * its id minus one. */
	const void *after_key;
	int after_key_len;
	long long after_id;
	long long after_unit_id; /* ORDER_UNIT: the row's unit_id, 0 for none */
	const char *after_status; /* ORDER_STATUS: the row's status */
	/* 1: the rows before the key instead (with no key: the last rows of the list), handed
	 * out nearest first, that is in reverse order; limit counts them, offset is not
	 * taken.  How a screen pages up, and shows the end of a million rows at once. */
	int backward;
};

/* One row as lists show it.  Pointers are valid during the callback only. */
struct subscriber_row {
	long long id;
	enum subscriber_kind kind;
	const char *name, *unit, *position, *id_number, *email, *phone, *status, *departed_on;
	long version;
	const void *sort_key; /* for keyset paging (subscriber_query.after_key) */
	int sort_key_len;
	long long unit_id;    /* 0: none (subscriber_query.after_unit_id) */
};

/* Calls fn for each matching row in the query's order (reversed when q->backward).  fn
 * returns non-zero to stop.  A page (limit > 0, no offset) reads about as many rows as it
 * hands out, in whichever order and however deep. */
int subscriber_list(struct kyso_db *db, const struct subscriber_query *q,
		    int (*fn)(const struct subscriber_row *row, void *ctx), void *ctx,
		    struct kyso_err *err);

/* Number of rows matching q (ignores limit, offset and the keyset).  Without a search it
 * comes from the counts the store keeps (subscriber_tally) at once; a search at a
 * million rows may take a good part of a second: ask from a thread with its own
 * connection when a screen must not wait. */
int subscriber_count(struct kyso_db *db, const struct subscriber_query *q, long *count,
		     struct kyso_err *err);

#endif
