#!/bin/sh
# No file the agency needs is replaced in silence, and a failed write is a failure (issue
# 11.2, 11.3): report, report again, minutes and export refuse an existing file (exit 4,
# the path named) unless --force; the file of a sent report or of numbered minutes is
# never replaced, forced or not; default names carry the period or the number, with "-2"
# when taken, in the folder of the setting documents.dir; "-o -" and "-o /dev/stdout"
# write to standard output; "-o LINK" writes the file the link points to and keeps the
# link.  Every command that prints exits 1 with a message when its output cannot be
# written (/dev/full).
. "$(dirname "$0")/lib.sh"

setup_agency
must ken agency edit --head "Lê Văn Bình" --head-position "Giám đốc" --focal "Phạm Thị Hoa" \
	--focal-position "Chuyên viên" --recipient "Sở Khoa học và Công nghệ" >/dev/null
must k unit add "Văn phòng Sở" >/dev/null
duc=$(add_person "Đặng Văn Đức" 086090001001 ducdv@$DOMAIN --unit "Văn phòng Sở")
add_person "Trần Văn Cường" 086090001002 cuongtv@$DOMAIN >/dev/null
for t in TK-0001 TK-0002; do
	must k token add --serial $t --subscriber "$duc" --received 2025-01-10 >/dev/null
done
must k subscriber depart "$duc" --date 2026-02-05 --reason left >/dev/null
for t in TK-0001 TK-0002; do
	must k token handover --serial $t --to-name "Trần Văn Cường" --to-position "Văn thư" \
		--designation "12/QĐ-SNNMT" --date 2026-02-05 >/dev/null
done
DOCS=$HOME/kyso-documents

# --- reports: refused over a file, forced, protected once sent -------------------------------

echo "the officer's own file" >"$TMP/h1.xlsx"
before=$(db_dump)
run ken report --period 2026-H1 -o "$TMP/h1.xlsx"
check_rc 4 "a report over an existing file is refused (exit 4)"
check_has "the refusal names the path and --force" "$ERR" \
	"$TMP/h1.xlsx exists already and was not replaced (--force replaces it)"
check_eq "the file is as it was" "$(cat "$TMP/h1.xlsx")" "the officer's own file"
check_eq "and nothing is recorded" "$(db_dump)" "$before"
run ken report --period 2026-H1 -o "$TMP/h1.xlsx" --force
check_rc 0 "with --force it is replaced"
check_eq "by a workbook" "$(head -c2 "$TMP/h1.xlsx")" "PK"
run ken report --period 2026-H1 --force
check_rc 2 "--force without -o is a usage error"
must ken report sent 1 --date 2026-11-25 --dispatch "15/SNNMT-VP" >/dev/null
sum=$(sha256sum <"$TMP/h1.xlsx")
run ken report --period 2026-H1 -o "$TMP/h1.xlsx" --force
check_rc 4 "the file of a sent report is not replaced, even with --force"
check_has "the refusal says whose file it is" "$ERR" "is the file of report #1, sent on 25/11/2026"
check_eq "the sent report's file is untouched" "$(sha256sum <"$TMP/h1.xlsx")" "$sum"
run ken report again 1 -o "$TMP/h1.xlsx" --force
check_rc 4 "report again is refused over it too"
check_eq "still untouched" "$(sha256sum <"$TMP/h1.xlsx")" "$sum"

# --- default names: the period, "-2" when taken, in documents.dir -----------------------------

run ken report again 1
check_rc 0 "report again without -o writes to the documents' folder"
check_eq "named after the period" "$(ls "$DOCS")" "bao-cao-2026-H1.xlsx"
check_has "the output names the file" "$OUT" "$DOCS/bao-cao-2026-H1.xlsx"
run ken report again 1
check_eq "again: the name taken gets -2" "$(ls "$DOCS" | tr '\n' ' ')" \
	"bao-cao-2026-H1-2.xlsx bao-cao-2026-H1.xlsx "
mkdir "$TMP/out"
run ken report --period 2026-H2 -o "$TMP/out"
check_rc 0 "-o DIR writes into the folder"
check_eq "under the period's name" "$(ls "$TMP/out")" "bao-cao-2026-H2.xlsx"
run ken report --period 2026 -o "$TMP/out/"
check_eq "the annual report is named after its year" "$(ls "$TMP/out" | tr '\n' ' ')" \
	"bao-cao-2026-H2.xlsx bao-cao-2026.xlsx "
run ken report --period 2026-H2 -o "$TMP/nowhere/"
check_ne "a folder that does not exist is refused" "$RC" 0
check_eq "and is not made" "$([ -e "$TMP/nowhere" ] && echo made)" ""

must ken setting set documents.dir "~/giay-to" >/dev/null
check_eq "setting get names the folder" "$(ken setting get documents.dir)" "~/giay-to"
run ken setting get document_dir
check_eq "the old name of the setting still answers" "$OUT" "~/giay-to"

# --- minutes: numbered names, never replaced once numbered ---------------------------------

run ken minutes handover --serial TK-0001
check_rc 0 "minutes without -o go to the documents' folder"
check_eq "made when missing, named by the number" "$(ls "$HOME/giay-to")" "bien-ban-2026-01-BB-SNNMT.docx"
check_eq "the folder is the officer's only" "$(stat -c %a "$HOME/giay-to")" 700
mfile=$HOME/giay-to/bien-ban-2026-01-BB-SNNMT.docx
msum=$(sha256sum <"$mfile")
run ken minutes reprint 01/BB-SNNMT -o "$mfile" --force
check_rc 4 "the file of numbered minutes is not replaced, even with --force"
check_has "the refusal names the minutes" "$ERR" "is the file of minutes 01/BB-SNNMT"
check_eq "the minutes' file is untouched" "$(sha256sum <"$mfile")" "$msum"
run ken minutes handover --serial TK-0002 -o "$mfile" --force
check_rc 4 "new minutes are not written over numbered ones either"
check_eq "still untouched" "$(sha256sum <"$mfile")" "$msum"
echo "a letter" >"$TMP/letter.docx"
run ken minutes reprint 01/BB-SNNMT -o "$TMP/letter.docx"
check_rc 4 "a reprint over another file is refused without --force"
check_eq "the other file is kept" "$(cat "$TMP/letter.docx")" "a letter"
run ken minutes reprint 01/BB-SNNMT -o "$TMP/letter.docx" --force
check_rc 0 "and replaced with it"

# --- standard output ---------------------------------------------------------------------

run ken report again 1 -o -
check_rc 0 "-o - writes the workbook to standard output"
check_eq "the bytes on stdout are a workbook" "$(head -c2 "$TMP/.out")" "PK"
check_has "what was done is said on stderr" "$ERR" "standard output"
ken report again 1 -o /dev/stdout >"$TMP/via-stdout.xlsx" 2>/dev/null
check_eq "-o /dev/stdout too, even redirected to a file" "$(head -c2 "$TMP/via-stdout.xlsx")" "PK"
check_eq "and the workbook is whole" \
	"$("$PY" -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).testzip())' "$TMP/via-stdout.xlsx")" None
ken minutes reprint 01/BB-SNNMT -o - >"$TMP/stdout.docx" 2>/dev/null
check_eq "minutes to standard output" "$(head -c2 "$TMP/stdout.docx")" "PK"
ken export roster --format csv -o - >"$TMP/stdout.csv" 2>/dev/null
check_has "the roster to standard output" "$(cat "$TMP/stdout.csv")" "Trần Văn Cường"

# --- a link: the file it points to is written, the link stays ---------------------------------

mkdir "$TMP/real"
echo old >"$TMP/real/roster.csv"
ln -s "$TMP/real/roster.csv" "$TMP/link.csv"
run ken export roster --format csv -o "$TMP/link.csv" --force
check_rc 0 "export through a link"
check_eq "the link is still a link" "$([ -L "$TMP/link.csv" ] && echo link)" link
check_has "the file it points to holds the roster" "$(cat "$TMP/real/roster.csv")" "Trần Văn Cường"
check_eq "no temporary file is left beside it" "$(ls -A "$TMP/real")" roster.csv
ln -s "$TMP/real/new.xlsx" "$TMP/dangling.xlsx"
run ken report --period 2026-H2 -o "$TMP/dangling.xlsx"
check_rc 0 "a link to a file not yet there is written through"
check_eq "the target is made" "$(head -c2 "$TMP/real/new.xlsx")" "PK"
check_eq "the link stays" "$([ -L "$TMP/dangling.xlsx" ] && echo link)" link

# --- a failed write is a failure --------------------------------------------------------------

for cmd in "subscriber list" "subscriber list --json" "token list" "due" "report list" \
	"audit list" "setting list" "minutes list" "unit list" "--version" "--help"; do
	# shellcheck disable=SC2086 # the command is words
	ken $cmd >/dev/full 2>"$TMP/full.err"
	rc=$?
	check_eq "kyso $cmd >/dev/full exits 1" "$rc" 1
	check_has "kyso $cmd >/dev/full says so" "$(cat "$TMP/full.err")" "the output could not be written"
done
run ken --version
check_rc 0 "kyso --version"
check_match "names the release and the store's schema" "$OUT" '^kyso [0-9.]+ \(store schema [0-9]+\)$'

run ken audit verify
check_rc 0 "the audit chain is intact"


# --- why a file could not be written, in the interface's language (issue 11.10) ------------

run k export roster --format csv -o /proc/kyso-x.csv
check_rc 1 "a file that cannot be made is a failure"
check_has "the reason is the system's, in Vietnamese" "$ERR" "không có tệp hoặc thư mục này"
check_lacks "no English is left inside the Vietnamese message" "$ERR" "No such file"

finish
