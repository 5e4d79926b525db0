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

	/* 3: key tokens, their custody steps and the follow-ups those open, certificates
	 * recorded from the department's notices, documents kyso writes (issue 4). */
	"CREATE TABLE token (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  serial TEXT NOT NULL,\n"           /* as written on the device */
	"  serial_key TEXT NOT NULL UNIQUE,\n" /* upper case, no spaces or dashes: one token once */
	"  kind TEXT NOT NULL DEFAULT 'usb'\n"
	"    CHECK (kind = 'usb' OR kind = 'sim' OR kind = 'remote'),\n"
	"  model TEXT,\n"
	"  subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),\n" /* whose certificate */
	"  state TEXT NOT NULL DEFAULT 'in_use',\n" /* token.c's table of states */
	"  state_on TEXT NOT NULL,\n"          /* the day the state began */
	/* The keeper is who answers for the token (the subscriber, the clerk for the
	 * agency's token, a designated successor); the holder has it in hand now, another
	 * person only while lent with written permission (Art. 14.3). */
	"  keeper_name TEXT, keeper_position TEXT,\n"
	"  keeper_subscriber_id INTEGER REFERENCES subscriber(id),\n"
	"  holder_name TEXT, holder_position TEXT,\n"
	"  holder_subscriber_id INTEGER REFERENCES subscriber(id),\n"
	"  loan_ref TEXT, loan_by TEXT, loan_until TEXT,\n"
	"  received_on TEXT NOT NULL,\n"
	"  pin_changed_on TEXT,\n"             /* the last change the officer confirmed */
	"  pin_pending INTEGER NOT NULL DEFAULT 0,\n" /* a new holder has not changed it yet */
	/* The keeper's and the holder's names folded (text_fold), for the holder filter and
	 * search. */
	"  people_fold TEXT,\n"
	/* The first day none of its certificates is valid any more (the latest revocation
	 * date or the day after the latest not_after; cert.c keeps it), NULL while it carries
	 * none: a token whose day has come goes back within 5 working days (Art. 5.3.c). */
	"  cert_end_on TEXT,\n"
	"  note TEXT,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX token_subscriber ON token(subscriber_id);\n"
	"CREATE INDEX token_keeper ON token(keeper_subscriber_id)\n"
	"  WHERE keeper_subscriber_id IS NOT NULL;\n"
	"CREATE INDEX token_state ON token(state, state_on);\n"
	/* Art. 13.3: the day the PIN clock started, for the due and overdue lists. */
	"CREATE INDEX token_pin_clock ON token(coalesce(pin_changed_on, received_on))\n"
	"  WHERE state = 'in_use' OR state = 'locked';\n"
	"CREATE INDEX token_holder ON token(holder_subscriber_id)\n"
	"  WHERE holder_subscriber_id IS NOT NULL;\n"
	/* Art. 5.3.c: tokens still out whose certificates have all ended. */
	"CREATE INDEX token_cert_end ON token(cert_end_on)\n"
	"  WHERE state <> 'returned' AND state <> 'lost';\n"
	"CREATE TABLE document (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  kind TEXT NOT NULL,\n"              /* 'minutes_handover', 'minutes_return', ... */
	"  form_set TEXT NOT NULL,\n"          /* 'nd68' (Decree 68/2024) or 'tt185' */
	"  form TEXT,\n"                       /* the form's number in its set: 'Mẫu 09' */
	"  year INTEGER NOT NULL,\n"
	"  number INTEGER NOT NULL,\n"         /* the agency's sequence, per year */
	"  symbol TEXT NOT NULL,\n"            /* 'BB-SNNMT': the number reads '05/BB-SNNMT' */
	"  doc_date TEXT NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  content TEXT NOT NULL,\n"           /* JSON: all the file is made from, to write it again */
	"  file_name TEXT,\n"
	"  sha256 TEXT NOT NULL,\n"            /* of the file as generated */
	"  actor TEXT NOT NULL, created_at TEXT NOT NULL,\n"
	"  UNIQUE (year, number)\n"
	");\n"
	/* One row per change of a token: its state and custody from on_date on.  The token's
	 * history, and what reports count. */
	"CREATE TABLE token_step (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  token_id INTEGER NOT NULL REFERENCES token(id),\n"
	"  on_date TEXT NOT NULL,\n"
	"  action TEXT NOT NULL,\n"            /* token.c's table of transitions */
	"  from_state TEXT,\n"                 /* NULL for the token's arrival */
	"  to_state TEXT NOT NULL,\n"
	"  keeper_name TEXT, keeper_position TEXT,\n" /* custody after the step */
	"  holder_name TEXT, holder_position TEXT,\n"
	/* The other party: the successor, the borrower, who declared a PIN change, who
	 * received the token at the department, who found it. */
	"  party_name TEXT, party_position TEXT,\n"
	"  party_subscriber_id INTEGER REFERENCES subscriber(id),\n"
	"  ref TEXT,\n"                        /* designation, permission or dispatch reference */
	"  authorised_by TEXT,\n"              /* who designated, permitted or confirmed */
	"  until_on TEXT,\n"                   /* a loan's end */
	"  place TEXT,\n"
	"  circumstances TEXT,\n"              /* a loss: what happened */
	"  discovered TEXT,\n"                 /* a loss: how it was found missing */
	"  reason TEXT,\n"
	"  password_handed INTEGER,\n"         /* 1: the password went with it; never the password */
	"  note TEXT,\n"
	"  document_id INTEGER REFERENCES document(id),\n"
	"  actor TEXT NOT NULL, at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX token_step_token ON token_step(token_id, on_date);\n"
	"CREATE INDEX token_step_action ON token_step(action, on_date);\n"
	"CREATE INDEX token_step_document ON token_step(document_id) WHERE document_id IS NOT NULL;\n"
	/* Steps that still wait for their minutes (the due list's minutes_missing). */
	"CREATE INDEX token_step_no_document ON token_step(action, token_id)\n"
	"  WHERE document_id IS NULL;\n"
	/* What a step leaves to be done: a new holder's PIN change, a revocation request, a
	 * loan's return, a locked token's recovery, a departed keeper's tokens.  Open while
	 * closed_on is NULL; the due list reads the open ones. */
	"CREATE TABLE follow_up (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  kind TEXT NOT NULL,\n"
	"  token_id INTEGER REFERENCES token(id),\n"
	"  subscriber_id INTEGER REFERENCES subscriber(id),\n"
	"  step_id INTEGER REFERENCES token_step(id),\n" /* the step that opened it */
	"  opened_on TEXT NOT NULL,\n"
	"  due_on TEXT,\n"
	"  closed_on TEXT,\n"
	"  closed_by_step INTEGER REFERENCES token_step(id),\n"
	"  detail TEXT\n"
	");\n"
	"CREATE INDEX follow_up_open ON follow_up(kind, due_on) WHERE closed_on IS NULL;\n"
	"CREATE INDEX follow_up_token ON follow_up(token_id);\n"
	/* A departed subscriber's tokens still unaccounted for (token_unaccounted). */
	"CREATE INDEX follow_up_subscriber ON follow_up(subscriber_id, kind)\n"
	"  WHERE closed_on IS NULL;\n"
	"CREATE TABLE certificate (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  subscriber_id INTEGER NOT NULL REFERENCES subscriber(id),\n"
	"  token_id INTEGER REFERENCES token(id),\n"
	"  serial TEXT NOT NULL UNIQUE,\n"     /* hex, upper case, no separators */
	"  issuance TEXT NOT NULL DEFAULT 'new'\n" /* why it was issued */
	"    CHECK (issuance = 'new' OR issuance = 'renew' OR issuance = 'change'),\n"
	"  subject TEXT, issuer TEXT,\n"
	"  not_before TEXT NOT NULL,\n"
	"  not_after TEXT NOT NULL,\n"
	"  status TEXT NOT NULL DEFAULT 'valid'\n" /* expiry is read from not_after */
	"    CHECK (status = 'valid' OR status = 'revoked'),\n"
	"  revoked_on TEXT, revocation_reason TEXT,\n"
	"  notice_on TEXT,\n"                  /* the day the revocation notice came */
	"  sha256 TEXT, der BLOB,\n"           /* when read from a file (a later issue) */
	"  source TEXT NOT NULL DEFAULT 'manual',\n"
	"  note TEXT,\n"
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX certificate_token ON certificate(token_id) WHERE token_id IS NOT NULL;\n"
	"CREATE INDEX certificate_subscriber ON certificate(subscriber_id);\n"
	"CREATE INDEX certificate_not_after ON certificate(not_after);\n"
	"CREATE INDEX certificate_not_before ON certificate(not_before);\n"
	"CREATE INDEX certificate_revoked ON certificate(revoked_on) WHERE revoked_on IS NOT NULL;\n"
	/* The name order's index holds the numbers too, so that a search for the first
	 * digits of a citizen ID or a phone walks the index without reading rows; id is
	 * named before them so that the index still gives the whole order (sort_key,
	 * name_fold, id) that pages are keyed on. */
	"DROP INDEX subscriber_sort;\n"
	"CREATE INDEX subscriber_sort ON subscriber(sort_key, name_fold, id, id_number, phone);\n"
	"CREATE INDEX event_token ON event(token_id) WHERE token_id IS NOT NULL;\n"
	"CREATE INDEX event_kind ON event(kind, on_date);\n"
	"CREATE VIEW v_tokens AS\n"
	"  SELECT t.id, t.serial, t.kind, t.model, s.name AS subscriber, u.name AS unit,\n"
	"         t.state, t.state_on, t.keeper_name, t.holder_name, t.loan_until,\n"
	"         t.received_on, t.pin_changed_on, t.pin_pending, t.version\n"
	"  FROM token t JOIN subscriber s ON s.id = t.subscriber_id\n"
	"  LEFT JOIN unit u ON u.id = s.unit_id\n"
	"  ORDER BY t.serial_key;\n"
	"CREATE VIEW v_token_steps AS\n"
	"  SELECT st.id, t.serial, st.on_date, st.action, st.from_state, st.to_state,\n"
	"         st.keeper_name, st.holder_name, st.party_name, st.ref, st.authorised_by,\n"
	"         printf('%02d/%s', d.number, d.symbol) AS document, st.actor\n"
	"  FROM token_step st JOIN token t ON t.id = st.token_id\n"
	"  LEFT JOIN document d ON d.id = st.document_id\n"
	"  ORDER BY st.id;\n"
	"CREATE VIEW v_certificates AS\n"
	"  SELECT c.id, c.serial, s.name AS subscriber, t.serial AS token, c.issuance,\n"
	"         c.not_before, c.not_after, c.status, c.revoked_on, c.revocation_reason\n"
	"  FROM certificate c JOIN subscriber s ON s.id = c.subscriber_id\n"
	"  LEFT JOIN token t ON t.id = c.token_id\n"
	"  ORDER BY c.not_after;\n",

	/* 4: the semiannual and annual reports to the department (issue 5, Art. 9.6, 15.3):
	 * what each generated report said, so that a sent report can be written again with
	 * the same numbers; and the indexes its counts read the history through. */
	"CREATE TABLE report (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  period TEXT NOT NULL,\n"            /* as asked: '2026-H1', '2026', 'FROM..TO' */
	"  period_kind TEXT NOT NULL\n"
	"    CHECK (period_kind = 'h1' OR period_kind = 'h2' OR period_kind = 'year'\n"
	"           OR period_kind = 'range'),\n"
	"  from_on TEXT NOT NULL,\n"
	"  to_on TEXT NOT NULL,\n"             /* the last day counted: the period's end, or the
					     * day it was generated when that came first */
	"  generated_at TEXT NOT NULL,\n"
	"  generated_on TEXT NOT NULL,\n"      /* the report's date, as its title block says */
	"  actor TEXT NOT NULL,\n"
	"  totals TEXT NOT NULL,\n"            /* JSON: the numbers (report.h's keys) */
	"  by_unit TEXT NOT NULL,\n"           /* JSON: unit name -> the same numbers */
	"  by_kind TEXT NOT NULL,\n"           /* JSON: person/org/device -> the same numbers */
	"  content TEXT NOT NULL,\n"           /* JSON: the rest of the summary sheet (agency
					     * block, units' ids, the settings counted with) */
	"  file_name TEXT NOT NULL,\n"
	"  sha256 TEXT NOT NULL,\n"            /* of the file as generated */
	"  sent_on TEXT,\n"
	"  dispatch TEXT,\n"                   /* the dispatch number it went out under */
	"  version INTEGER NOT NULL DEFAULT 1,\n"
	"  updated_at TEXT NOT NULL\n"
	");\n"
	/* The due list asks which report of a period was sent. */
	"CREATE INDEX report_period ON report(from_on, to_on);\n"
	/* The events of a period in date order (the report's detail sheet), without a sort. */
	"CREATE INDEX event_on_date ON event(on_date);\n"
	/* The tokens that changed after a period's end: only their state at the end has to
	 * be read from their history, the others' is their state now. */
	"CREATE INDEX token_step_on_date ON token_step(on_date);\n"
	"CREATE VIEW v_reports AS\n"
	"  SELECT id, period, from_on, to_on, generated_on, actor, file_name, sha256, sent_on,\n"
	"         dispatch, version\n"
	"  FROM report ORDER BY id;\n",

	/* 5: a new subscriber is counted in subscriber_tally by subscriber_insert_tx, not by
	 * a trigger.  An AFTER INSERT trigger makes every insert a statement that writes two
	 * tables, so SQLite keeps a statement journal: a copy of each page the insert touches
	 * (the row, its six indexes, the tally), taken again for every row.  That doubled
	 * the time of an import (106 s at a million rows, 40 s without).  Edits, departures
	 * and deletions stay with their triggers: they come one at a time. */
	"DROP TRIGGER subscriber_tally_insert;\n",

	/* 6: when a subscriber's and a token's history starts, for the reports of periods
	 * before kyso was set up (issue 11.6).  since_on: the certificate first issued or in
	 * service since, NULL when not known (counted from the day it was recorded).
	 * received_given: 1 when the day a token came was given, 0 when it is the day it
	 * was recorded, NULL for tokens recorded before this migration. */
	"ALTER TABLE subscriber ADD COLUMN since_on TEXT;\n"
	"CREATE INDEX subscriber_since ON subscriber(since_on) WHERE since_on IS NOT NULL;\n"
	"ALTER TABLE token ADD COLUMN received_given INTEGER;\n",
	/* 7 (issue 11.2): the folder the interface wrote minutes to, "document_dir", is now
	 * the folder of reports and minutes both, "documents.dir"; a store keeps the folder
	 * its officer chose.  (`kyso setting` still takes the old name.) */
	"UPDATE setting SET key = 'documents.dir' WHERE key = 'document_dir';\n",
};

#endif
