#!/bin/sh
# One person, one name (issue 11.7): a subscriber who keeps tokens is renamed, and every
# place that names the keeper names the same person by the new name - token show and list
# (text and JSON), the list's search and keeper filter, subscriber show, the due list -
# while minutes written after the rename name the people as they were called on the day
# of the step they record (read back by LibreOffice).
. "$(dirname "$0")/lib.sh"

if ! command -v soffice >/dev/null; then
	fail "LibreOffice (soffice) reads the documents: .ci/deps installs libreoffice-writer-nogui"
	finish
fi

on() {
	_day=$1
	shift
	KYSO_TODAY=$_day kyso --db "$DB" --lang en "$@"
}

KYSO_TODAY=2026-11-01
setup_agency
must k agency edit --head "Lê Văn Bình" --head-position "Giám đốc" >/dev/null
lan=$(add_person "Ngô Thị Lan" 086190001003 lannt@$DOMAIN)
hoa=$(add_person "Phạm Thị Hoa" 086190001004 hoapt@$DOMAIN --position "Văn thư")
org=$(must k subscriber add --kind org --name "Sở Nông nghiệp và Môi trường" --email "snnmt@$DOMAIN")
must on 2026-11-01 token add --serial TK-LAN --subscriber "$lan" --received 2025-01-10 >/dev/null
must on 2026-11-01 token add --serial TK-ORG --subscriber "$org" --keeper-subscriber "$hoa" \
	--received 2025-01-10 >/dev/null
must on 2026-11-01 token add --serial TK-HOA --subscriber "$hoa" --received 2025-01-10 >/dev/null

# Lan departs; her token goes to Hoa, named from the roster.
must on 2026-11-05 subscriber depart "$lan" --date 2026-11-05 --reason transferred >/dev/null
must on 2026-11-05 token handover --serial TK-LAN --to-name "Phạm Thị Hoa" --to-position "Văn thư" \
	--to-subscriber "$hoa" --designation "12/QĐ-SNNMT" --date 2026-11-05 >/dev/null

# Hoa marries and the roster takes her new name (and Lan's is corrected too).
run on 2026-11-20 subscriber edit "$hoa" --name "Phạm Thị Hoà Bình"
check_rc 0 "the keeper is renamed"
run on 2026-11-20 subscriber edit "$lan" --name "Ngô Thị Lan Anh"
check_rc 0 "the departed subscriber's name is corrected"

for s in TK-LAN TK-ORG TK-HOA; do
	run on 2026-11-20 token show "$s" --json
	check_json "$s: its keeper is the renamed subscriber" \
		'd["keeper"] == "Phạm Thị Hoà Bình" and d["holder"] == "Phạm Thị Hoà Bình"'
done
run on 2026-11-20 token show TK-ORG
check_has "token show names the keeper by the new name" "$OUT" "Phạm Thị Hoà Bình"
check_lacks "and not by the old one" "$OUT" "Phạm Thị Hoa "
run on 2026-11-20 token list --json
check_json "token list names her keeper of all three" \
	'sorted(t["serial"] for t in d if t["keeper"] == "Phạm Thị Hoà Bình") == ["TK-HOA", "TK-LAN", "TK-ORG"]'
run on 2026-11-20 token list --holder "hoa binh" --json
check_json "the keeper filter finds her by the new name, without marks" 'len(d) == 3'
run on 2026-11-20 token list --search "hoa binh" --json
check_json "and so does the search" 'len(d) == 3'
run on 2026-11-20 subscriber show "$hoa" --json
check_json "subscriber show lists the tokens she keeps under her new name" \
	'sorted(t["serial"] for t in d["tokens"]) == ["TK-HOA", "TK-LAN", "TK-ORG"]
	 and all(t["keeper"] == "Phạm Thị Hoà Bình" for t in d["tokens"])'
run on 2026-11-20 due --json
check_json "the due list names her by her new name only" \
	'not any("Phạm Thị Hoa " in (i["detail"] or "") + " " for c in d for i in c["items"])
	 and any("handed over to Phạm Thị Hoà Bình" in (i["detail"] or "") for c in d for i in c["items"])'

# Minutes written now for the handover of 05/11 name both as they were called then.
run on 2026-11-20 minutes handover --serial TK-LAN -o "$TMP/handover.docx"
check_rc 0 "the handover minutes are written after the renames"
HOME=$TMP/home soffice --headless --convert-to txt:Text --outdir "$TMP/txt" "$TMP/handover.docx" \
	>"$TMP/soffice.log" 2>&1
text=$(cat "$TMP/txt/handover.txt" 2>/dev/null)
check_has "the minutes name the receiver as she was called on 05/11" "$text" "Phạm Thị Hoa"
check_lacks "not by her later name" "$text" "Hoà Bình"
check_has "and the token's subscriber as she was called then" "$text" "Ngô Thị Lan"
check_lacks "not by the corrected name" "$text" "Lan Anh"
run on 2026-11-20 token show TK-LAN --json
check_json "the token's history keeps the names of the day" \
	'[s["keeper"] for s in d["history"]] == ["Ngô Thị Lan", "Phạm Thị Hoa"]'

finish
