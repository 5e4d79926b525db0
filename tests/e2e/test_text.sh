#!/bin/sh
# Vietnamese text: stored NFC whatever the input, searched without diacritics or case,
# sorted in Vietnamese alphabet order, listed in columns aligned by display width.
. "$(dirname "$0")/lib.sh"

setup_agency

# ids SEARCH...: the ids `subscriber list --json` gives for those options, space-separated.
ids() {
	run k subscriber list --json "$@"
	json_get '" ".join(str(s["id"]) for s in d)'
}

# --- stored NFC --------------------------------------------------------------------------

# Every vowel of the alphabet with every tone, and đ, in both cases (146 letters).
all_letters=$("$PY" -c '
import unicodedata
letters = ["đ"] + [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy"
                   for t in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")]
print(" ".join(letters + [l.upper() for l in letters]))')
check_eq "the test's alphabet has 146 letters" "$(printf '%s' "$all_letters" | wc -w)" 146

n=0
for name in "Đặng Thị Ngọc Ánh" "Nguyễn Hữu Phước" "Trương Thị Mỹ Hằng" "Võ Thị Thủy Tiên" \
	"Hồ Thị Ỷ Lan"; do
	n=$((n + 1))
	decomposed=$(nfd "$name")
	check_ne "the test types \"$name\" decomposed" "$(hex "$decomposed")" "$(hex "$name")"
	run k subscriber add --kind person --name "$decomposed" --id-number 08609000100$n \
		--position "$(nfd "Chuyên viên")" --email nfd$n@$DOMAIN --note "$(nfd "$all_letters")"
	check_rc 0 "add \"$name\" typed in NFD"
	id=$OUT
	check_eq "\"$name\" is stored NFC" "$(sql "select hex(name) from subscriber where id = ${id:-0}")" \
		"$(hex "$name")"
done
check_eq "a note with every Vietnamese letter typed in NFD is stored NFC" \
	"$(sql "select hex(note) from subscriber where id = ${id:-0}")" "$(hex "$all_letters")"
check_eq "the position typed in NFD is stored NFC" \
	"$(sql "select hex(position) from subscriber where id = ${id:-0}")" "$(hex "Chuyên viên")"

# --- search ------------------------------------------------------------------------------

DB=$TMP/search.db
setup_agency
duc=$(add_person "Đặng Văn Đức" 086090002001 ducdv@$DOMAIN --phone 0912345678)
anh_nfc=$(add_person "Nguyễn Thị Ánh" 086190002002 anhnt@$DOMAIN)
binh_nfd=$(add_person "$(nfd "Nguyễn Thị Bình")" 086190002003 binhnt@$DOMAIN)
tuan=$(add_person "Nguyễn Văn Tuấn" 086090002004 tuannv@$DOMAIN)
dong=$(add_person "Trần Ðông" 086090002005 dongt@$DOMAIN) # Ð: U+00D0, as old converters write it

check_eq 'search "dang van duc" finds "Đặng Văn Đức"' "$(ids --search "dang van duc")" "$duc"
check_eq 'search "nguyen thi" finds the NFC-typed and the NFD-typed "Nguyễn Thị"' \
	"$(ids --search "nguyen thi")" "$anh_nfc $binh_nfd"
check_eq 'search "NGUYỄN THỊ" (capitals, diacritics) finds the same' \
	"$(ids --search "NGUYỄN THỊ")" "$anh_nfc $binh_nfd"
check_eq 'search typed in NFD finds the same' "$(ids --search "$(nfd "Nguyễn Thị")")" \
	"$anh_nfc $binh_nfd"
check_eq 'search "nGuYeN" is case-insensitive' "$(ids --search "nGuYeN")" \
	"$anh_nfc $binh_nfd $tuan"
check_eq 'search "duc" finds "Đức" (đ folds to d)' "$(ids --search "duc")" "$duc"
check_eq 'search "thi anh" matches words anywhere in the name' "$(ids --search "thi anh")" "$anh_nfc"
check_eq 'search matches the beginning of words only ("guyen" finds nothing)' \
	"$(ids --search "guyen")" ""
check_eq 'search "dong" finds "Ðông" written with U+00D0' "$(ids --search "dong")" "$dong"
check_eq 'search by the beginning of a citizen ID' "$(ids --search "086190002")" "$anh_nfc $binh_nfd"
check_eq 'search by e-mail' "$(ids --search "tuannv@$DOMAIN")" "$tuan"
check_eq 'search by the beginning of a phone number' "$(ids --search "0912345")" "$duc"

# --- Vietnamese alphabet order -------------------------------------------------------------

DB=$TMP/order.db
setup_agency
# The expected order.  Given names first (a < ă < â, d < đ, o < ô < ơ, u < ư, no tone before
# a tone), then family name, then middle name.  A plain sort of the folded names would put
# Ân before Anh, Đạt before Dũng, Hợi before Hồng and Tư before Tùng.
expected="Lê Văn An
Trần Thị An
Nguyễn Thị Anh
Đỗ Thị Ánh
Nguyễn Thị Ân
Nguyễn Thị Danh
Phạm Đức Dũng
Phạm Văn Đạt
Huỳnh Văn Hoàng
Nguyễn Thị Hồng
Nguyễn Văn Hồng
Lê Thị Hợi
Võ Thị Lan
Trần Thị Lâm
Trần Văn Tùng
Nguyễn Văn Tư"
# Added in a shuffled order.
n=10
for name in "Phạm Văn Đạt" "Nguyễn Văn Tư" "Trần Thị Lâm" "Lê Thị Hợi" "Nguyễn Văn Hồng" \
	"Phạm Đức Dũng" "Trần Văn Tùng" "Võ Thị Lan" "Nguyễn Thị Ân" "Trần Thị An" "Nguyễn Thị Hồng" \
	"Lê Văn An" "Nguyễn Thị Anh" "Huỳnh Văn Hoàng" "Đỗ Thị Ánh" "Nguyễn Thị Danh"; do
	n=$((n + 1))
	add_person "$name" 0860900030$n sx$n@$DOMAIN >/dev/null
done
run k subscriber list --json
check_eq "list sorts by given name in Vietnamese alphabet order, then family, then middle name" \
	"$(json_get '"\n".join(s["name"] for s in d)')" "$expected"
run k subscriber list
check_eq "the text list has the same order" \
	"$(printf '%s\n' "$OUT" | sed -n '2,17p' | sed 's/^[0-9]* *//; s/  .*//')" "$expected"

# --- columns aligned by display width ----------------------------------------------------

must k unit add "Trung tâm Công nghệ thông tin và Truyền thông tỉnh Vĩnh Long" >/dev/null
add_person "$(nfd "Tôn Nữ Thị Hoàng Ngọc Bảo Trâm Anh Thư Diễm Kiều")" 086190003100 \
	thu.tnthnbt@$DOMAIN --unit 1 --position "$(nfd "Phó Giám đốc Trung tâm Công nghệ thông tin")" \
	>/dev/null
add_person "Ưng Thị Ửng" 086190003101 ung@$DOMAIN --unit 1 >/dev/null
run ken subscriber list
check_rc 0 "subscriber list (text)"
# The display column where "E-mail" starts in the header, and where each row's e-mail
# starts (combining marks are 0 wide, East Asian wide and full-width letters 2).
columns=$(printf '%s\n' "$OUT" | "$PY" -c '
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.stdin.read().split("\n")
cols = {width(lines[0][:lines[0].index("E-mail")])}
for line in lines[1:]:
    m = re.search(r"\S+@\S+", line)
    if m:
        cols.add(width(line[:m.start()]))
print(" ".join(str(c) for c in sorted(cols)))')
check_match "every row's e-mail starts at the header's E-mail column (display width)" \
	"$columns" '[0-9]+'
check_has "a long name is cut with an ellipsis" "$OUT" "Tôn Nữ Thị Hoàng Ngọc Bảo…"
check_lacks "the list prints names NFC (no combining marks)" "$OUT" "$(nfd "ô")"

finish
