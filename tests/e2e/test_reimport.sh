#!/bin/sh
# Re-importing a roster over the officer's work (issue 11.5): a value edited in kyso after
# the import that last wrote it is kept unless --overwrite-edits; the dry run and --json
# say, field by field, what changes (old -> new) and what is kept; the kept edit stays
# kept at the next import, until the officer lets the file overwrite it.
. "$(dirname "$0")/lib.sh"

setup_agency

roster() { # roster PHONE POSITION ADDRESS: the personnel office's file, one person changing
	cat <<EOF
Họ và tên,Số CCCD,Email,Điện thoại,Chức vụ,Đơn vị,Địa chỉ
Nguyễn Văn An,079123456789,an.nv@$DOMAIN,$1,$2,Phòng Kế hoạch,$3
Trần Thị Bình,079123456790,binh.tt@$DOMAIN,0912000002,Chuyên viên,Phòng Kế hoạch,
EOF
}

roster 0912000001 "Chuyên viên" "" >"$TMP/v1.csv"
run k import "$TMP/v1.csv" --json
check_rc 0 "the first import"
check_json "a first import changes no stored field" 'd["changes"] == [] and d["added"] == 2'
an=$(sql "select id from subscriber where email = 'an.nv@$DOMAIN'")

# The officer corrects An's phone and position by hand.
must k subscriber edit "$an" --phone 0987654321 --position "Trưởng phòng" >/dev/null

# The personnel office sends its file again: old phone and position, a new address.
roster 0912000001 "Phó phòng" "12 Lê Lợi" >"$TMP/v2.csv"
before=$(table_sum subscriber event)
run k import "$TMP/v2.csv" --dry-run --json
check_rc 0 "a dry run of the re-import"
check_json "--json lists every field that would change, with old, new and edited_here" '
	sorted((c["field"], c["old"], c["new"], c["edited_here"], c["applied"]) for c in d["changes"])
	== [("address", None, "12 Lê Lợi", False, True),
	    ("phone", "0987654321", "0912000001", True, False),
	    ("position", "Trưởng phòng", "Phó phòng", True, False)]'
check_json "each change names the row and the subscriber" \
	"all(c['row'] == 2 and c['id'] == $an for c in d['changes'])"
check_json "the dry run counts the edits kept" 'd["edits_kept"] == 2 and d["updated"] == 1'
check_eq "the dry run writes nothing" "$(table_sum subscriber event)" "$before"

run ken import "$TMP/v2.csv" --dry-run
check_has "the dry run shows old -> new per field" "$OUT" "Address: (blank) → 12 Lê Lợi"
check_has "the dry run marks an edit kept" "$OUT" \
	"Phone: 0987654321 → 0912000001  (edited in kyso: kept; --overwrite-edits replaces it)"

run ken import "$TMP/v2.csv"
check_rc 0 "the re-import"
check_has "the re-import says edits were kept" "$OUT" "Kept 2 value(s) edited in kyso"
check_has "and which" "$OUT" "Position: Trưởng phòng → Phó phòng  (edited in kyso: kept"
check_eq "the officer's phone is kept" \
	"$(sql "select phone || '|' || position || '|' || address from subscriber where id = $an")" \
	"0987654321|Trưởng phòng|12 Lê Lợi"

# An import that wrote other fields does not make the edit the file's.
run k import "$TMP/v2.csv" --json
check_json "the next import keeps the edits again" \
	'd["edits_kept"] == 2 and d["unchanged"] == 2 and d["updated"] == 0'

run k import "$TMP/v2.csv" --overwrite-edits --json
check_rc 0 "re-import with --overwrite-edits"
check_json "--overwrite-edits writes the file's values over the edits" '
	sorted((c["field"], c["edited_here"], c["applied"]) for c in d["changes"])
	== [("phone", True, True), ("position", True, True)] and d["edits_kept"] == 0'
check_eq "the file's phone and position are stored" \
	"$(sql "select phone || '|' || position from subscriber where id = $an")" \
	"0912000001|Phó phòng"
check_eq "the earlier values stay in the history" \
	"$(sql "select count(*) from event where subscriber_id = $an and kind = 'subscriber.import_updated' and detail like '%0987654321%'")" 1

run k import "$TMP/v2.csv" --json
check_json "once the file wrote them, the fields are the file's again" \
	'd["changes"] == [] and d["edits_kept"] == 0 and d["unchanged"] == 2'

# An edit the file agrees with is no change at all.
must k subscriber edit "$an" --phone 0911111111 >/dev/null
roster 0911111111 "Phó phòng" "12 Lê Lợi" >"$TMP/v3.csv"
run k import "$TMP/v3.csv" --json
check_json "a file that agrees with the edit changes nothing" \
	'd["changes"] == [] and d["unchanged"] == 2'

finish
