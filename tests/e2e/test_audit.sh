#!/bin/sh
# The hash-chained audit log: every change appends to it, `audit verify` finds an edited,
# a missing and a cut-off row.
. "$(dirname "$0")/lib.sh"

# appended DESC ACTION CMD...: CMD succeeds and appends audit rows, the last one ACTION.
appended() {
	_desc=$1 _action=$2
	shift 2
	_before=0
	[ -f "$DB" ] && _before=$(rows audit)
	run "$@"
	check_rc 0 "$_desc"
	check_eq "$_desc appends to the audit log (last action $_action)" \
		"$([ "$(rows audit)" -gt "$_before" ] && sql 'select action from audit order by seq desc limit 1')" \
		"$_action"
}

appended "init" agency.init k init --agency "Sở Thử" --code THU --email-domain $DOMAIN
appended "agency edit" agency.edit k agency edit --head "Nguyễn Văn Hùng"
appended "unit add" unit.add k unit add "Văn phòng Sở"
appended "unit edit" unit.edit k unit edit "van phong so" --code VP
appended "subscriber add" subscriber.add k subscriber add --kind person --name "Đặng Văn Đức" \
	--id-number 086090001001 --position "Chuyên viên" --email ducdv@$DOMAIN
duc=$OUT
appended "a second subscriber add" subscriber.add k subscriber add --kind person \
	--name "Nguyễn Thị Ánh" --id-number 086190001002 --position "Kế toán" --email anhnt@$DOMAIN
appended "subscriber edit" subscriber.edit k subscriber edit "$duc" --phone 0912345678
appended "subscriber depart" subscriber.depart k subscriber depart "$duc" --date 2026-11-01 \
	--reason left
printf 'Họ và tên,Số CCCD,Chức vụ,Đơn vị,Email\nTrần Văn Bảy,086085000101,Chuyên viên,Phòng Tài chính,bay.tv@%s\n' \
	"$DOMAIN" >"$TMP/roster.csv"
appended "import" import k import "$TMP/roster.csv"
check_has "the import's audit rows include the unit it created" \
	"$(sql "select payload from audit where action = 'unit.add'")" "Phòng Tài chính"

total=$(rows audit)
run k subscriber add --kind person --name "Lê Văn Sai" --email sai@gmail.com
check_eq "a refused change appends nothing" "$(rows audit)" "$total"
run k import "$TMP/roster.csv" --dry-run
check_eq "a dry run appends nothing" "$(rows audit)" "$total"
run k subscriber list
run k audit list
check_eq "reading appends nothing" "$(rows audit)" "$total"
check_eq "the audit rows are numbered 1 to $total with no gap" \
	"$(sql 'select min(seq) || "-" || max(seq) || "-" || count(*) from audit')" "1-$total-$total"

run k audit list --json
check_rc 0 "audit list --json"
check_json "audit list --json gives every row with seq, action and hash" \
	"[r['seq'] for r in d] == list(range(1, $total + 1))
	 and all(r['action'] and len(r['hash']) == 64 for r in d)"

# --- verify ------------------------------------------------------------------------------

run k audit verify
check_rc 0 "audit verify on an intact log exits 0"
run k audit verify --json
check_rc 0 "audit verify --json exits 0"
check_json "audit verify --json says ok" "d.get('ok') is True and d.get('rows') == $total"

sqlite3 "$DB" ".backup '$TMP/intact.db'"
restore() { rm -f "$DB-wal" "$DB-shm" && cp "$TMP/intact.db" "$DB"; }

middle=$((total / 2))
sql "update audit set payload = replace(payload, 'Văn phòng', 'Van phong') where seq = 3"
check_eq "(the test edited row 3's payload)" \
	"$(sql "select payload like '%Van phong%' from audit where seq = 3")" 1
run ken audit verify
check_rc 1 "an edited payload: audit verify exits 1"
check_has "verify names the edited row" "$OUT$ERR" "row 3"
run k audit verify --json
check_rc 1 "audit verify --json exits 1 too"
check_json "audit verify --json names the edited row" "d.get('ok') is False and d.get('bad_row') == 3"

restore
run k audit verify
check_rc 0 "restored from the backup: verify exits 0 again"

sql "update audit set at = '2026-01-01T00:00:00Z' where seq = $middle"
run ken audit verify
check_rc 1 "an edited time: audit verify exits 1"
check_has "verify names that row" "$OUT$ERR" "row $middle"

restore
sql "delete from audit where seq = $middle"
run ken audit verify
check_rc 1 "a deleted middle row: audit verify exits 1"
check_has "verify names the gap" "$OUT$ERR" "row $middle"

restore
sql "delete from audit where seq = $total"
run ken audit verify
check_rc 1 "the last row deleted: audit verify exits 1"
check_has "verify names the missing end" "$OUT$ERR" "row $total"

restore
sql "delete from audit where seq = 1"
run ken audit verify
check_rc 1 "the first row deleted: audit verify exits 1"

restore
sql "delete from audit"
run ken audit verify
check_rc 1 "every row deleted: audit verify exits 1"

restore
run k unit add "Phòng Tổ chức"
check_rc 0 "a change after the restore"
run k audit verify
check_rc 0 "after a restore, new changes keep the chain intact"

finish
