#!/bin/sh
# The command-line paths under valgrind: every command a script would run, on a real
# database file; any leak or memory error fails.
set -eu
kyso=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/v.db"
vg() {
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 "$kyso" --db "$db" "$@" >/dev/null 2>"$dir/err" || {
		rc=$?
		if [ "$rc" -eq 99 ] || grep -q "==[0-9]*==" "$dir/err"; then
			echo "valgrind: kyso $*" >&2
			cat "$dir/err" >&2
			exit 1
		fi
	}
}
vg init --agency "Sở Nông nghiệp và Môi trường" --code SNNMT --email-domain vinhlong.gov.vn
vg unit add "Văn phòng Sở"
vg unit list
vg unit list --json
vg subscriber add --kind person --name "Đặng Văn Đức" --unit "Văn phòng Sở" --position "Chuyên viên" \
	--id-number 086090001234 --email duc.dv@vinhlong.gov.vn --phone 0913456789
vg subscriber add --kind person --name "X" --email bad@gmail.com
vg subscriber list
vg subscriber list --search "dang van duc" --json
vg subscriber show 1
vg subscriber show 1 --json
vg subscriber edit 1 --position "Chánh Văn phòng"
vg subscriber edit 1 --position "Y" --if-version 1
"$(dirname "$0")/gen-roster" 50 --bad 2 > "$dir/r.csv" 2>/dev/null
vg import "$dir/r.csv" --dry-run --json
vg import "$dir/r.csv"
vg import "$dir/r.csv" --skip-invalid
vg export roster --format csv -o "$dir/out.csv"
vg export roster --format xlsx -o "$dir/out.xlsx"
vg token add --serial TK-1 --subscriber 1 --model ePass2003 --received 2025-06-01
vg token add --serial TK-2 --subscriber 1 --received 2025-06-01 --note "mật khẩu: 12345678"
vg token list
vg token list --json --search "dang"
vg token states
vg token states --json
vg cert add --serial 0a:1b:2c --token TK-1 --from 2025-06-01 --to 2026-02-10
vg cert list --json
vg token handover --serial TK-1 --to-name "Trần Văn Cường" --to-position "Văn thư" --designation 1/QĐ --date 2025-07-01
vg token pin-changed --serial TK-1 --date 2025-07-02
vg token lend --serial TK-1 --to-name "Võ Văn Mượn" --permission 2/GP --permitted-by "Lê Văn Bình" --until 2025-08-01 --date 2025-07-03
vg token loan-end --serial TK-1 --date 2025-07-04
vg token lost --serial TK-1 --date 2025-07-05 --circumstances "Rơi mất"
vg token handover --serial TK-1 --to-name X --date 2025-07-06
vg cert revoke --serial 0A1B2C --date 2025-07-06 --reason "Mất"
vg token show TK-1
vg token show TK-1 --json
vg setting list --json
vg setting set pin_interval_months 3
vg setting set pin_interval_months 30
vg due
vg due --json
vg report --period 2025 --json
vg report --period 2026-H1 -o "$dir/h1.xlsx" --json
vg report --period 2026-01-01..2026-06-30 -o "$dir/range.xlsx"
vg report --period 2026-H3
vg report list
vg report list --json
vg report sent 1 --date 2099-01-01 --dispatch ""
vg report sent 1 --date "$(date +%F)" --dispatch "125/SNNMT-VP" --if-version 1
vg report again 1 -o "$dir/h1-again.xlsx"
vg report again 1 -o "$dir/h1-again.xlsx" --json
vg subscriber depart 1 --date 2026-01-15 --reason left
vg subscriber show 1
vg minutes handover --serial TK-1 -o "$dir/bb.docx" --json
vg minutes handover --serial TK-1 -o "$dir/refused.docx"
vg minutes lost --serial TK-1 -o "$dir/lost.docx" --form-set tt185
vg minutes list
vg minutes list --json
vg minutes reprint 01/BB-SNNMT -o "$dir/again.docx"
vg audit verify
vg audit list --json
vg agency show --json
echo "valgrind: clean"
