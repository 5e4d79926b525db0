#!/bin/sh
# Units (đơn vị trực thuộc): add, the tree, names compared without diacritics, edit and move.
. "$(dirname "$0")/lib.sh"

setup_agency

# --- add -------------------------------------------------------------------------------

run k unit add "Văn phòng Sở"
check_added "unit add"
office=$OUT

run k unit add "Phòng Kế hoạch - Tài chính" --parent "van phong so" --code KHTC
check_added "unit add --parent names the parent without diacritics or case"
plan=$OUT
run k unit add "Tổ Tổng hợp" --parent "$plan"
check_added "unit add --parent names the parent by id"
team=$OUT
run k unit add "Chi cục Kiểm lâm"
forest=$OUT
check_eq "the parents are recorded" \
	"$(sql "select coalesce(parent_id, '-') from unit where id in ($office, $plan, $team) order by id" | tr '\n' ' ')" \
	"- $office $plan "

before=$(data_sum)
run ken unit add "VAN PHONG SO"
check_rc 3 "a unit named like another without diacritics and case is refused (exit 3)"
check_has "the refusal names the clash" "$ERR" "already exists"
run k unit add "$(nfd "văn phòng sở")"
check_rc 3 "the same name typed decomposed (NFD) and in lower case is refused too"
run k unit add "Tổ Văn thư" --parent "Phòng không có"
check_ne "a parent that does not exist is refused" "$RC" 0
check_eq "refused unit adds change nothing" "$(data_sum)" "$before"

# --- the tree --------------------------------------------------------------------------

run k unit list
check_rc 0 "unit list"
# Each line: the id, then the name indented two spaces a level.  Print "ID DEPTH".
tree=$(printf '%s\n' "$OUT" | awk 'match($0, /^ *[0-9]+  /) {
	rest = substr($0, RLENGTH + 1); match(rest, /^ */); print $1, RLENGTH / 2 }')
check_eq "unit list shows the tree: each sub-unit under its parent, indented a level" \
	"$(printf '%s\n' "$tree" | tr '\n' ' ')" \
	"$forest 0 $office 0 $plan 1 $team 2 "
check_has "unit list shows a unit's code" "$OUT" "Phòng Kế hoạch - Tài chính [KHTC]"

run k unit list --json
check_rc 0 "unit list --json"
check_json "unit list --json has every unit" 'len(d) == 4'
check_json "unit list --json gives each unit's depth and parent_id" \
	"{u['id']: (u.get('depth'), u.get('parent_id')) for u in d} ==
	 {$forest: (0, None), $office: (0, None), $plan: (1, $office), $team: (2, $plan)}"

# --- edit and move ---------------------------------------------------------------------

run k unit edit "to tong hop" --name "Tổ Hành chính - Tổng hợp"
check_rc 0 "unit edit --name renames a unit named without diacritics"
check_eq "the new name is stored" "$(sql "select name from unit where id = $team")" \
	"Tổ Hành chính - Tổng hợp"

run k unit edit "$team" --parent "$office"
check_rc 0 "unit edit --parent moves a unit"
check_eq "the moved unit has its new parent" "$(sql "select parent_id from unit where id = $team")" \
	"$office"
run k unit edit "$team" --parent ""
check_rc 0 'unit edit --parent "" makes it a top-level unit'
check_eq "the top-level unit has no parent" \
	"$(sql "select coalesce(parent_id, 'none') from unit where id = $team")" none

before=$(data_sum)
run ken unit edit "$office" --parent "$plan"
check_rc 3 "moving a unit under its own sub-unit is refused (exit 3)"
check_has "the refusal says why" "$ERR" "sub-unit"
run k unit edit "$office" --parent "$office"
check_rc 3 "moving a unit under itself is refused"
run k unit edit "$plan" --name "VĂN PHÒNG SỞ"
check_rc 3 "renaming a unit to another's name (without diacritics and case) is refused"
run k unit edit "$plan" --code KH
check_rc 0 "unit edit --code"
check_eq "the edit bumped the unit's version" "$(sql "select version from unit where id = $plan")" 2
before=$(data_sum)
run k unit edit "$plan" --code KHTC --if-version 1
check_rc 4 "unit edit --if-version with a stale version exits 4"
check_eq "a conflicting unit edit changes nothing" "$(data_sum)" "$before"
run k unit edit "$plan" --code KHTC --if-version 2
check_rc 0 "unit edit --if-version with the current version"
check_eq "the code is saved" "$(sql "select code || ' v' || version from unit where id = $plan")" \
	"KHTC v3"

# A parent unit's filter takes in its sub-units (issue 11.10): Văn phòng Sở holds Tổ Văn
# thư, three levels down to Nhóm Lưu trữ.
vp=$(must k unit add "Văn phòng Sở C")
vt=$(must k unit add "Tổ Văn thư C" --parent "Văn phòng Sở C")
lt=$(must k unit add "Nhóm Lưu trữ C" --parent "Tổ Văn thư C")
kt=$(must k unit add "Phòng Kỹ thuật C")
a=$(add_person "Nguyễn Văn An" 086090009001 an.c@$DOMAIN --unit "Văn phòng Sở C")
b=$(add_person "Lê Thị Ba" 086190009002 ba.c@$DOMAIN --unit "Tổ Văn thư C")
c=$(add_person "Trần Văn Cường" 086090009003 cuong.c@$DOMAIN --unit "Nhóm Lưu trữ C")
d=$(add_person "Phạm Thị Dung" 086190009004 dung.c@$DOMAIN --unit "Phòng Kỹ thuật C")
for order in name unit status; do
	run k subscriber list --unit "Văn phòng Sở C" --sort $order --json
	check_json "the parent's filter lists its own people and its sub-units' ($order order)" \
		"sorted(s['id'] for s in d) == sorted([$a, $b, $c])"
done
run k subscriber list --unit "Văn phòng Sở C"
check_has "and counts them" "$OUT" "3 "
run k subscriber list --unit "Tổ Văn thư C" --json
check_json "a sub-unit's filter lists it and the units under it only" \
	"sorted(s['id'] for s in d) == sorted([$b, $c])"
run k subscriber list --unit "Nhóm Lưu trữ C" --json
check_json "a unit with none under it lists its own" "[s['id'] for s in d] == [$c]"
run k subscriber list --unit "Văn phòng Sở C" --search "cuong" --json
check_json "a search within the parent finds the sub-unit's people" "[s['id'] for s in d] == [$c]"
must k token add --serial TK-C1 --subscriber "$c" >/dev/null
must k token add --serial TK-D1 --subscriber "$d" >/dev/null
run k token list --unit "Văn phòng Sở C" --json
check_json "the token list's unit filter takes in the sub-units too" \
	"[t['serial'] for t in d] == ['TK-C1']"
run k export roster --format csv -o "$TMP/vp.csv" --unit "Văn phòng Sở C"
check_rc 0 "the export of a parent unit"
check_eq "holds the sub-units' people" "$(grep -c 'C@\|c@' "$TMP/vp.csv")" 3

finish
