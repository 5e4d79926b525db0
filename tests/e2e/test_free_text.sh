#!/bin/sh
# Free text, wherever kyso takes it (core/check.c check_text): text that looks like it
# holds a password or PIN is refused in every field that records text - the subscriber's,
# the agency's, a unit's, a token's serial, the place of minutes, a report's dispatch
# number, an imported row - with the field named, the secret not repeated, nothing
# written; and text longer than its field takes is refused the same way.
. "$(dirname "$0")/lib.sh"

export KYSO_TODAY=2026-11-25
SECRET=86421357

setup_agency
an=$(add_person "Nguyễn Văn An" 086090001001 "an@$DOMAIN")
must k token add --serial TK-0001 --subscriber "$an" --received 2026-01-01 >/dev/null

# secret_refused DESC FIELD CMD...: CMD exits 3 naming FIELD, does not repeat $SECRET,
# and the database (and its files) stay as they were.
secret_refused() {
	_desc=$1 _field=$2
	shift 2
	refused_unchanged "$_desc" "$@"
	check_has "$_desc: the field is named" "$ERR" "$_field"
	check_has "$_desc: the reason is given" "$ERR" "looks like it holds a password or PIN"
	check_lacks "$_desc: the secret is not repeated" "$ERR$OUT" "$SECRET"
}

# --- subscribers, the agency, units ----------------------------------------------------

secret_refused "a subscriber's note" "Note" \
	ken subscriber add --kind person --name "Trần Thị Bình" --id-number 086090001002 \
	--position "Chuyên viên" --email "binh@$DOMAIN" --note "mật khẩu: $SECRET"
secret_refused "a subscriber's address, edited" "Address" \
	ken subscriber edit "$an" --address "mã PIN là $SECRET"
secret_refused "the agency's address" "Address" ken agency edit --address "password=$SECRET"
secret_refused "a unit's name" "Unit" ken unit add "Phòng mật khẩu $SECRET"

cat >"$TMP/secret.csv" <<EOF
Họ và tên,Số CCCD,Chức vụ,Email,Ghi chú
Lê Văn Cường,086090001003,Chuyên viên,cuong@$DOMAIN,
Phạm Thị Dung,086090001004,Chuyên viên,dung@$DOMAIN,mat khau: $SECRET
EOF
secret_refused "an imported row's note" 'row 3, column "Note"' ken import "$TMP/secret.csv"
run ken subscriber list
check_lacks "no row of the refused file was imported" "$OUT" "Lê Văn Cường"

# --- tokens, minutes, reports ----------------------------------------------------------

secret_refused "a token's serial" "Serial" ken token add --serial "PIN $SECRET" --subscriber "$an"

must k token handover --serial TK-0001 --to-name "Trần Văn Cường" --to-position "Văn thư" \
	--designation 12/QĐ-SNNMT --date 2026-11-20 >/dev/null
secret_refused "the place of the minutes" "Place" \
	ken minutes handover --serial TK-0001 -o "$TMP/bb.docx" --place "mật khẩu là $SECRET"
check_eq "no minutes file is written" "$([ -e "$TMP/bb.docx" ] && echo written)" ""

must k report --period 2026-H1 -o "$TMP/r.xlsx" >/dev/null
secret_refused "a report's dispatch number" "Dispatch number" \
	ken report sent 1 --date 2026-11-25 --dispatch "mật khẩu: $SECRET"
check_eq "the secret is nowhere in the database's files" \
	"$(cat "$DB"* | grep -c -a "$SECRET")" 0

# --- lengths ---------------------------------------------------------------------------

long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }

refused_unchanged "a serial of 65 characters" \
	ken token add --serial "$(long 65 A)" --subscriber "$an"
check_has "the serial's limit is given" "$ERR" "Serial: is longer than 64 characters"
run ken token add --serial "$(long 64 B)" --subscriber "$an"
check_rc 0 "a serial of 64 characters is taken"

refused_unchanged "a token note of 1,001 characters" \
	ken token add --serial TK-0003 --subscriber "$an" --note "$(long 1001)"
check_has "the note's limit is given" "$ERR" "Note: is longer than 1000 characters"
refused_unchanged "a name of 201 characters" \
	ken subscriber add --kind person --name "$(long 201)" --id-number 086090001005 \
	--position "Chuyên viên" --email "e@$DOMAIN"
check_has "the name's limit is given" "$ERR" "is longer than 200 characters"
# Characters, not bytes: 1,000 Vietnamese letters of 2 to 3 bytes each are one note.
run ken token add --serial TK-0004 --subscriber "$an" --note "$(long 1000 x | sed 's/x/ễ/g')"
check_rc 0 "a note of 1,000 Vietnamese characters (3,000 bytes) is taken"

finish
