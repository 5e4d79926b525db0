#!/bin/sh
# The database file: where it is, who may read it, how SQLite is set up, the agency profile.
. "$(dirname "$0")/lib.sh"

# init_by CMD...: CMD (kyso with what goes before the command) init, a minimal agency.
init_by() { "$@" init --agency "Sở Thử" --code THU --email-domain "$DOMAIN"; }

# --- where the database is and who may read it ---------------------------------------

# Even with a permissive umask the folder is 0700 and the file 0600.
nested=$TMP/new/kyso/roster.db
mask=$(umask)
umask 000
run init_by kyso --db "$nested"
umask "$mask"
check_rc 0 "init creates the database in a folder that did not exist"
check_eq "the database file is created with mode 0600" "$(stat -c %a "$nested" 2>&1)" 600
check_eq "the missing folder is created with mode 0700" "$(stat -c %a "$TMP/new/kyso" 2>&1)" 700

run init_by kyso_env KYSO_DB="$TMP/env.db"
check_rc 0 "init with \$KYSO_DB and no --db"
check_eq "KYSO_DB names the database" "$([ -f "$TMP/env.db" ] && echo yes)" yes

run init_by kyso_env KYSO_DB="$TMP/env2.db" --db "$TMP/flag.db"
check_rc 0 "init with both --db and \$KYSO_DB"
check_eq "--db wins over KYSO_DB" \
	"$([ -f "$TMP/flag.db" ] && echo flag) $([ -f "$TMP/env2.db" ] && echo env)" "flag "

run init_by kyso_env XDG_DATA_HOME="$TMP/xdg"
check_rc 0 "init with neither --db nor \$KYSO_DB"
check_eq "the default database is \$XDG_DATA_HOME/kyso/kyso.db, mode 0600" \
	"$(stat -c %a "$TMP/xdg/kyso/kyso.db" 2>&1)" 600
check_eq "the default folder \$XDG_DATA_HOME/kyso is 0700" "$(stat -c %a "$TMP/xdg/kyso" 2>&1)" 700

run init_by kyso_env -u XDG_DATA_HOME HOME="$TMP/home"
check_rc 0 "init without XDG_DATA_HOME"
check_eq "without XDG_DATA_HOME the database is ~/.local/share/kyso/kyso.db" \
	"$(stat -c %a "$TMP/home/.local/share/kyso/kyso.db" 2>&1)" 600

# --- how SQLite is set up --------------------------------------------------------------

setup_agency
check_eq "the database is in WAL mode" "$(sql 'pragma journal_mode')" wal
uv=$(sql 'pragma user_version')
check_match "PRAGMA user_version records the schema's migrations (> 0)" "$uv" '[1-9][0-9]*'
check_has "the view v_roster gives the sqlite3 shell a readable roster" \
	"$(sql "select name from sqlite_master where type = 'view'")" v_roster

# kyso's own connection, seen from inside it: a trigger records its settings.
sql "create table probe(fk, busy, jm);
     create trigger probe_unit after insert on unit begin
       insert into probe select (select * from pragma_foreign_keys),
         (select * from pragma_busy_timeout), (select * from pragma_journal_mode);
     end;"
run k unit add "Phòng Thử nghiệm"
check_rc 0 "unit add with a probe trigger in the schema"
check_eq "kyso's connection has foreign_keys on" "$(sql 'select fk from probe')" 1
check_eq "kyso's connection uses WAL" "$(sql 'select jm from probe')" wal
busy=$(sql 'select busy from probe')
check_eq "kyso's connection waits at least 5 s for a lock (busy_timeout ${busy:-?} ms)" \
	"$([ "${busy:-0}" -ge 5000 ] && echo yes)" yes
sql "drop trigger probe_unit; drop table probe"

# --- init once -------------------------------------------------------------------------

before=$(data_sum)
run ken init --agency "Another agency" --code OTHER --email-domain example.gov.vn
check_ne "a second init is refused" "$RC" 0
check_has "a second init says the agency is already set up" "$ERR" "already set up"
check_eq "a second init changes nothing in the database" "$(data_sum)" "$before"
check_eq "the user version is unchanged by a second init" "$(sql 'pragma user_version')" "$uv"

# --- the agency profile ----------------------------------------------------------------

full=$TMP/full.db
run kyso --db "$full" init --agency "Sở Nông nghiệp và Môi trường" --code SNNMT \
	--email-domain "$DOMAIN" --parent "Ủy ban nhân dân tỉnh Vĩnh Long" \
	--head "Nguyễn Văn Hùng" --head-position "Giám đốc" --focal "Trần Thị Ngọc Ánh" \
	--focal-position "Chuyên viên Văn phòng Sở" --focal-phone 0270382211 \
	--focal-email anhttn@$DOMAIN --recipient "Sở Khoa học và Công nghệ" \
	--place "Vĩnh Long" --address "Số 1, đường 2/9, phường 1"
check_rc 0 "init with every option of the agency profile"
run kyso --db "$full" agency show --json
check_rc 0 "agency show --json"
check_json "agency show --json has every field of the profile" \
	'set(d) >= {"name","code","parent_body","email_domain","head_name","head_position",
	  "focal_name","focal_position","focal_phone","focal_email","recipient","place",
	  "address","version"}'
check_json "agency show --json gives back what init was told" \
	'(d["name"], d["code"], d["parent_body"], d["email_domain"], d["head_name"],
	  d["head_position"], d["focal_name"], d["focal_position"], d["focal_phone"],
	  d["focal_email"], d["recipient"], d["place"], d["address"]) ==
	 ("Sở Nông nghiệp và Môi trường", "SNNMT", "Ủy ban nhân dân tỉnh Vĩnh Long",
	  "vinhlong.gov.vn", "Nguyễn Văn Hùng", "Giám đốc", "Trần Thị Ngọc Ánh",
	  "Chuyên viên Văn phòng Sở", "0270382211", "anhttn@vinhlong.gov.vn",
	  "Sở Khoa học và Công nghệ", "Vĩnh Long", "Số 1, đường 2/9, phường 1")'
check_json "a new agency profile is at version 1" 'd["version"] == 1'

run k agency show --json
check_json "fields init was not given are null" 'd["head_name"] is None and d["address"] is None'

run k agency edit --head "Lê Minh Tâm" --if-version 1
check_rc 0 "agency edit --if-version with the current version"
run k agency show --json
check_json "agency edit saved the head and bumped the version to 2" \
	'd["head_name"] == "Lê Minh Tâm" and d["version"] == 2'

before=$(data_sum)
run k agency edit --head "Phạm Văn Cũ" --if-version 1
check_rc 4 "agency edit --if-version with a stale version exits 4 (conflict)"
check_eq "a conflicting agency edit changes nothing" "$(data_sum)" "$before"

run k agency edit --email-domain "not a domain"
check_rc 3 "agency edit with a malformed e-mail domain exits 3"
check_eq "a refused agency edit changes nothing" "$(data_sum)" "$before"

finish
