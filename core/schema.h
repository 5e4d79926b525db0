/*
 * schema.h - the store's migrations, in order.  Migration N brings the schema from
 * user_version N-1 to N.  A shipped migration is never edited: change the schema by adding
 * one.  Internal to core/.
 */
#ifndef KYSO_CORE_SCHEMA_H
#define KYSO_CORE_SCHEMA_H

static const char *const schema_migrations[] = {
	/* 1: agency, units, subscribers, events, audit, settings, imports */
	"CREATE TABLE setting (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE agency (\n"
	"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  name TEXT NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  parent_body TEXT,\n"
	"  email_domain TEXT NOT NULL,\n"
	"  head_name TEXT, head_position TEXT,\n"
	"  focal_name TEXT, focal_position TEXT, focal_phone TEXT, focal_email TEXT,\n"
	"  recipient TEXT, place TEXT, address TEXT,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE unit (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  parent_id INTEGER REFERENCES unit(id),\n"
	"  name TEXT NOT NULL,\n"
	"  name_fold TEXT NOT NULL UNIQUE,\n"
	"  sort_key BLOB NOT NULL,\n"
	"  code TEXT,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE import_batch (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL, actor TEXT NOT NULL,\n"
	"  file_name TEXT NOT NULL, file_sha256 TEXT,\n"
	"  added INTEGER, updated INTEGER, unchanged INTEGER, rejected INTEGER\n"
	");\n"
	"CREATE TABLE subscriber (\n"
	"  id INTEGER PRIMARY KEY,\n"
	/* OR, not IN: SQLite builds a table for an IN list on every row a CHECK tests. */
	"  kind TEXT NOT NULL CHECK (kind = 'person' OR kind = 'org' OR kind = 'device'),\n"
	"  name TEXT NOT NULL,\n"
	"  name_fold TEXT NOT NULL,\n"
	"  sort_key BLOB NOT NULL,\n"
	"  unit_id INTEGER REFERENCES unit(id),\n"
	"  position TEXT,\n"
	"  id_number TEXT, id_issued_on TEXT, id_issued_by TEXT,\n"
	"  birth_date TEXT,\n"
	"  email TEXT, phone TEXT, address TEXT,\n"
	"  tax_code TEXT, budget_code TEXT,\n"
	"  identifier TEXT, purpose TEXT, owner TEXT,\n"
	"  note TEXT,\n"
	"  status TEXT NOT NULL DEFAULT 'active'\n"
	"    CHECK (status = 'active' OR status = 'left' OR status = 'transferred'\n"
	"           OR status = 'retired'),\n"
	"  departed_on TEXT, departure_note TEXT,\n"
	"  import_id INTEGER REFERENCES import_batch(id), import_row INTEGER,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
	");\n"
	/* Name order; name_fold beside the key lets a search walk the order without reading
	 * the rows it passes over. */
	"CREATE INDEX subscriber_sort ON subscriber(sort_key, name_fold);\n"
	"CREATE INDEX subscriber_id_number ON subscriber(id_number) WHERE id_number IS NOT NULL;\n"
	"CREATE INDEX subscriber_email ON subscriber(email) WHERE email IS NOT NULL;\n"
	/* Words of the folded name, the citizen ID and the phone, for search.  E-mail is left
	 * out: its parts are unique words that would bury the names' prefixes. */
	"CREATE VIRTUAL TABLE subscriber_fts USING fts5(\n"
	"  name_fold, id_number, phone,\n"
	"  content='subscriber', content_rowid='id',\n"
	"  tokenize='unicode61 remove_diacritics 2',\n"
	"  detail=none, columnsize=0\n"
	");\n"
	/* Each word of the folded names, how many subscribers' names hold it and where the
	 * first of them sorts: search plans with it and turns a typed beginning into the
	 * words it stands for. */
	"CREATE TABLE name_word (\n"
	"  word TEXT PRIMARY KEY,\n"
	"  rows INTEGER NOT NULL,\n"
	/* no name holding the word sorts before this (a bound: it is not raised when the
	 * first such name leaves), so a walk of the name order can start there */
	"  first_key BLOB NOT NULL\n"
	") WITHOUT ROWID;\n"
	/* token, certificate and document come with their issues; event names them already. */
	"CREATE TABLE event (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  on_date TEXT NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  subscriber_id INTEGER REFERENCES subscriber(id),\n"
	"  token_id INTEGER,\n"
	"  certificate_id INTEGER,\n"
	"  document_id INTEGER,\n"
	"  detail TEXT\n"
	");\n"
	"CREATE INDEX event_subscriber ON event(subscriber_id) WHERE subscriber_id IS NOT NULL;\n"
	"CREATE TABLE audit (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  action TEXT NOT NULL,\n"
	"  subject TEXT,\n"
	"  payload TEXT,\n"
	"  prev_hash TEXT NOT NULL,\n"
	"  hash TEXT NOT NULL\n"
	");\n"
	"CREATE VIEW v_roster AS\n"
	"  SELECT s.id, s.kind, s.name, u.name AS unit, s.position, s.id_number, s.email,\n"
	"         s.phone, s.status, s.departed_on, s.version\n"
	"  FROM subscriber s LEFT JOIN unit u ON u.id = s.unit_id\n"
	"  ORDER BY s.sort_key;\n"
	"CREATE VIEW v_events AS\n"
	"  SELECT e.id, e.on_date, e.at, e.actor, e.kind, s.name AS subscriber, e.detail\n"
	"  FROM event e LEFT JOIN subscriber s ON s.id = e.subscriber_id\n"
	"  ORDER BY e.id;\n",

	/* 2: what the dashboard counts, kept as rows change, so that it shows at once over a
	 * million subscribers; drafts of forms an interrupted interface left. */
	"CREATE TABLE subscriber_tally (\n"
	"  kind TEXT NOT NULL,\n"
	"  status TEXT NOT NULL,\n"
	"  unit_id INTEGER NOT NULL,\n"     /* 0: no unit */
	"  email_host TEXT NOT NULL,\n"     /* after the '@'; '' when there is no e-mail */
	"  n INTEGER NOT NULL,\n"
	"  PRIMARY KEY (kind, status, unit_id, email_host)\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO subscriber_tally\n"
	"  SELECT kind, status, coalesce(unit_id, 0),\n"
	"         coalesce(substr(email, instr(email, '@') + 1), ''), count(*)\n"
	"  FROM subscriber GROUP BY 1, 2, 3, 4;\n"
	"CREATE TRIGGER subscriber_tally_insert AFTER INSERT ON subscriber BEGIN\n"
	"  INSERT INTO subscriber_tally VALUES (new.kind, new.status, coalesce(new.unit_id, 0),\n"
	"    coalesce(substr(new.email, instr(new.email, '@') + 1), ''), 1)\n"
	"  ON CONFLICT DO UPDATE SET n = n + 1;\n"
	"END;\n"
	"CREATE TRIGGER subscriber_tally_delete AFTER DELETE ON subscriber BEGIN\n"
	"  UPDATE subscriber_tally SET n = n - 1 WHERE kind = old.kind AND status = old.status\n"
	"    AND unit_id = coalesce(old.unit_id, 0)\n"
	"    AND email_host = coalesce(substr(old.email, instr(old.email, '@') + 1), '');\n"
	"END;\n"
	"CREATE TRIGGER subscriber_tally_update AFTER UPDATE OF kind, status, unit_id, email\n"
	"  ON subscriber BEGIN\n"
	"  UPDATE subscriber_tally SET n = n - 1 WHERE kind = old.kind AND status = old.status\n"
	"    AND unit_id = coalesce(old.unit_id, 0)\n"
	"    AND email_host = coalesce(substr(old.email, instr(old.email, '@') + 1), '');\n"
	"  INSERT INTO subscriber_tally VALUES (new.kind, new.status, coalesce(new.unit_id, 0),\n"
	"    coalesce(substr(new.email, instr(new.email, '@') + 1), ''), 1)\n"
	"  ON CONFLICT DO UPDATE SET n = n + 1;\n"
	"END;\n"
	/* The subscribers of one e-mail host (the due list's check of the agency's domain
	 * reads only the hosts that are wrong). */
	"CREATE INDEX subscriber_email_host ON subscriber(substr(email, instr(email, '@') + 1))\n"
	"  WHERE email IS NOT NULL;\n"
	"CREATE TABLE draft (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  form TEXT NOT NULL,\n"           /* which form: 'subscriber' (add/edit), 'depart' */
	"  subscriber_id INTEGER,\n"        /* the row being edited; NULL for a new one */
	"  base_version INTEGER,\n"         /* the version the form was opened on */
	"  fields TEXT NOT NULL,\n"         /* JSON: field name -> text as typed */
	"  saved_at TEXT NOT NULL,\n"
	"  actor TEXT NOT NULL\n"
	");\n",
};

#endif
