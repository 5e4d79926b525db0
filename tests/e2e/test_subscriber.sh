#!/bin/sh
# Subscribers: add each kind with what it needs, validation that lists every problem and
# changes nothing, show, edit with versions, departure, and nothing ever deleted.
. "$(dirname "$0")/lib.sh"

setup_agency
must k unit add "Văn phòng Sở" >/dev/null

# refused DESC CMD...: CMD exits 3 and leaves the database as it was.
refused() {
	_desc=$1
	shift
	_before=$(data_sum)
	run "$@"
	check_rc 3 "$_desc: exit 3"
	check_eq "$_desc: nothing is written" "$(data_sum)" "$_before"
}

# --- each kind with the fields it needs ------------------------------------------------

run k subscriber add --kind person --name "Đặng Văn Đức" --id-number 086090001234 \
	--position "Chuyên viên" --email ducdv@$DOMAIN --unit "van phong so" \
	--birth-date 15/03/1990 --id-issued-on 2021-06-01 --id-issued-by "Cục Cảnh sát QLHC về TTXH" \
	--phone "0912 345 678" --address "Phường 1, Vĩnh Long" --note "Văn thư"
check_added "add a person with name, citizen ID, position and e-mail"
duc=$OUT

run k subscriber add --kind org --name "Trung tâm Dịch vụ nông nghiệp" --tax-code 1500123456 \
	--email ttdvnn@$DOMAIN
check_added "add an organisation with name, e-mail and tax code"
run k subscriber add --kind org --name "Ban Quản lý dự án Nông nghiệp" --budget-code 1234567 \
	--email bqlda@$DOMAIN
check_added "add an organisation with a budget-relation code instead of a tax code"
run k subscriber add --kind device --name "Cổng thông tin điện tử Sở" --identifier snnmt.$DOMAIN \
	--email congttdt@$DOMAIN --purpose "SSL" --owner "Văn phòng Sở"
check_added "add a device/service with name, identifier and e-mail"
device=$OUT

run k subscriber add --kind person --name "Lê Thị Ánh" --id-number 086190001235 \
	--position "Kế toán" --email anh.lt@stp.$DOMAIN
check_added "an e-mail in a sub-domain of the agency's domain is accepted"
anh=$OUT

# --- validation: every problem at once, exit 3, nothing written ------------------------

refused "a person with only a name" ken subscriber add --kind person --name "Nguyễn Văn Bình"
for field in "E-mail" "Citizen ID" "Position"; do
	check_has "a person without $field: the problem is listed" "$ERR" "$field: is required"
done
refused "an organisation with only a name" ken subscriber add --kind org --name "Hội Nông dân"
check_has "an organisation without e-mail: listed" "$ERR" "E-mail: is required"
refused "a device with only a name" ken subscriber add --kind device --name "Máy chủ thư"
check_has "a device without e-mail: listed" "$ERR" "E-mail: is required"
# The roster takes an organisation or a device with name and e-mail; the forms ask for a
# tax code or a domain when one is written.
run kyso --db "$TMP/kinds.db" init --agency "Sở Thử" --code THU --email-domain $DOMAIN
run kyso --db "$TMP/kinds.db" subscriber add --kind org --name "Hội Nông dân tỉnh" \
	--email hnd@$DOMAIN
check_added "an organisation with name and e-mail is added"
run kyso --db "$TMP/kinds.db" subscriber add --kind device --name "Máy chủ thư công vụ" \
	--email mail.server@$DOMAIN
check_added "a device with name and e-mail is added"

refused "four bad fields in one person" ken subscriber add --kind person \
	--name "Trần Văn Cường" --id-number 86090001236 --position "Chuyên viên" \
	--email cuongtv@gmail.com --phone 09l2345678 --birth-date 31/02/1990
check_has "an e-mail outside the agency's domain is listed" "$ERR" "cuongtv@gmail.com"
check_has "an 11-digit citizen ID is listed" "$ERR" "86090001236"
check_has "the 11-digit citizen ID message mentions a lost leading 0" "$ERR" "leading 0"
check_has "a phone with a letter is listed" "$ERR" "09l2345678"
check_has "an impossible date 31/02/1990 is listed" "$ERR" "31/02/1990"
check_eq "all four problems are listed, one a line" \
	"$(printf '%s\n' "$ERR" | grep -c -e "E-mail:" -e "Citizen ID:" -e "Phone:" -e "birth:")" 4

refused "look-alike domains" ken subscriber add --kind person --name "Trần Văn Cường" \
	--id-number 086090001236 --position "Chuyên viên" --email cuong@evil$DOMAIN
check_has "an e-mail in a domain that only ends like the agency's is refused" "$ERR" "evil$DOMAIN"
refused "the agency's domain inside another" ken subscriber add --kind person \
	--name "Trần Văn Cường" --id-number 086090001236 --position "Chuyên viên" \
	--email cuong@$DOMAIN.evil.com
refused "a birth date in the future" ken subscriber add --kind person --name "Trần Văn Cường" \
	--id-number 086090001236 --position "Chuyên viên" --email cuongtv@$DOMAIN \
	--birth-date 2027-01-01
check_has "the future birth date is named" "$ERR" "future"

refused "a citizen ID and e-mail already held" ken subscriber add --kind person \
	--name "Đặng Văn Đức" --id-number 086090001234 --position "Chuyên viên" --email ducdv@$DOMAIN
check_has "the duplicate citizen ID names the active holder" "$ERR" "086090001234\" already belongs to active subscriber #$duc"
check_has "the duplicate e-mail names the active holder" "$ERR" "ducdv@$DOMAIN\" already belongs to active subscriber #$duc"
refused "the same e-mail in capitals" ken subscriber add --kind person --name "Đỗ Văn Đức" \
	--id-number 086090001299 --position "Chuyên viên" --email DUCDV@VINHLONG.GOV.VN

run ken subscriber add --kind person --name "Phan Thị Cũ" --id-number 123456789 \
	--position "Chuyên viên" --email cu.pt@$DOMAIN
check_rc 0 "an old 9-digit CMND is accepted"
old_cmnd=$OUT
check_has "the old CMND is flagged when added" "$ERR" "CMND"
run k subscriber show "$old_cmnd" --json
check_json "show --json flags the old CMND (id_is_old_cmnd true)" 'd["id_is_old_cmnd"] is True'
run k subscriber show "$duc" --json
check_json "a 12-digit citizen ID is not flagged" 'd["id_is_old_cmnd"] is False'

# --- show ------------------------------------------------------------------------------

run k subscriber show "$duc" --json
check_rc 0 "subscriber show --json"
check_json "show --json has every field" \
	'set(d) >= {"id","kind","name","unit","position","id_number","id_issued_on",
	  "id_issued_by","birth_date","email","phone","address","tax_code","budget_code",
	  "identifier","purpose","owner","note","status","departed_on","version","history"}'
check_json "show --json gives back what was added (dates ISO, phone digits only)" \
	'(d["kind"], d["name"], d["unit"], d["position"], d["id_number"], d["birth_date"],
	  d["id_issued_on"], d["id_issued_by"], d["email"], d["phone"], d["address"],
	  d["note"], d["status"], d["version"]) ==
	 ("person", "Đặng Văn Đức", "Văn phòng Sở", "Chuyên viên", "086090001234",
	  "1990-03-15", "2021-06-01", "Cục Cảnh sát QLHC về TTXH", "ducdv@vinhlong.gov.vn",
	  "0912345678", "Phường 1, Vĩnh Long", "Văn thư", "active", 1)'
check_json "the history starts with the addition" \
	'[h["kind"] for h in d["history"]] == ["subscriber.added"]'
run k subscriber show "$device" --json
check_json "a device keeps its identifier, purpose and owner" \
	'(d["kind"], d["identifier"], d["purpose"], d["owner"]) ==
	 ("device", "snnmt.vinhlong.gov.vn", "SSL", "Văn phòng Sở")'
run ken subscriber show "$duc"
check_rc 0 "subscriber show (text)"
check_has "show shows dates as dd/mm/yyyy" "$OUT" "15/03/1990"
run k subscriber show 9999
check_rc 1 "show of a subscriber that does not exist exits 1"

# --- list filters ----------------------------------------------------------------------

run k subscriber list --kind org --json
check_json "list --kind org gives the organisations" \
	'sorted(s["name"] for s in d) == ["Ban Quản lý dự án Nông nghiệp", "Trung tâm Dịch vụ nông nghiệp"]'
run k subscriber list --kind device --json
check_json "list --kind device gives the device" '[s["id"] for s in d] == ['"$device"']'
run k subscriber list --unit "VĂN PHÒNG SỞ" --json
check_json "list --unit (named in capitals) gives the unit's subscribers" \
	'[s["id"] for s in d] == ['"$duc"']'
run k subscriber list --limit 2 --json
check_json "list --limit 2 gives 2" 'len(d) == 2'

# --- edit ------------------------------------------------------------------------------

run k subscriber edit "$duc" --position "Phó Chánh Văn phòng"
check_rc 0 "subscriber edit changes a field"
check_eq "the edit is stored and the version bumped" \
	"$(sql "select position || ' v' || version from subscriber where id = $duc")" \
	"Phó Chánh Văn phòng v2"
run k subscriber show "$duc" --json
check_json "the history records the edit with the old and new value" \
	'[h["kind"] for h in d["history"]] == ["subscriber.added", "subscriber.edited"]
	 and "Phó Chánh Văn phòng" in json.dumps(d["history"][-1], ensure_ascii=False)
	 and "Chuyên viên" in json.dumps(d["history"][-1], ensure_ascii=False)'

before=$(data_sum)
run k subscriber edit "$duc" --phone 0987654321 --if-version 1
check_rc 4 "edit --if-version with the version read before another edit exits 4"
check_eq "the conflicting edit changes nothing" "$(data_sum)" "$before"
check_eq "the row still has its phone" "$(sql "select phone from subscriber where id = $duc")" \
	0912345678
refused "an edit with a bad value" k subscriber edit "$duc" --email duc@gmail.com
run k subscriber edit "$duc" --phone 0987654321 --if-version 2
check_rc 0 "edit --if-version with the current version"
check_eq "and the edit is written" "$(sql "select phone || ' ' || version from subscriber where id = $duc")" \
	"0987654321 3"

# --- departure -------------------------------------------------------------------------

count=$(rows subscriber)
refused "a departure dated in the future" k subscriber depart "$duc" --date 2026-11-26 --reason left
refused "a departure with an unknown reason" k subscriber depart "$duc" --date 2026-11-20 --reason fired
run k subscriber depart "$duc" --date 20/11/2026 --reason transferred --note "Sở Tài chính"
check_rc 0 "subscriber depart --date dd/mm/yyyy --reason transferred"
check_eq "the departed subscriber keeps its row" "$(rows subscriber)" "$count"
check_eq "the row records status and departure date" \
	"$(sql "select status || ' ' || departed_on from subscriber where id = $duc")" \
	"transferred 2026-11-20"
run k subscriber show "$duc" --json
check_json "show --json has the departure in the history" \
	'd["status"] == "transferred" and d["departed_on"] == "2026-11-20"
	 and [e["on_date"] for e in d["history"] if e["kind"] == "subscriber.departed"] == ["2026-11-20"]
	 and [e["on_date"] for e in d["history"]] == sorted(e["on_date"] for e in d["history"])'
refused "a second departure" k subscriber depart "$duc" --date 2026-11-21 --reason retired
run k subscriber list --status active --json
check_json "list --status active leaves the departed out" "$duc not in [s['id'] for s in d]"
run k subscriber list --status departed --json
check_json "list --status departed has only the departed" "[s['id'] for s in d] == [$duc]"
run k subscriber list --status transferred --json
check_json "list --status REASON selects by departure reason" "[s['id'] for s in d] == [$duc]"

run k subscriber add --kind person --name "Đặng Văn Đức" --id-number 086090001234 \
	--position "Chuyên viên" --email ducdv@$DOMAIN
check_rc 0 "after the holder departs, the citizen ID and e-mail may be used again"
run k subscriber depart "$anh" --date 2026-11-25 --reason retired
check_rc 0 "a departure dated today is accepted"
check_eq "nothing is ever deleted: every subscriber added is still there" \
	"$(rows subscriber)" 7
check_eq "two departed, five active" \
	"$(sql "select count(*) from subscriber where status = 'active'") $(sql "select count(*) from subscriber where departed_on is not null")" \
	"5 2"

finish
