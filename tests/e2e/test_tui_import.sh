#!/bin/sh
# Importing a roster file from the interface (i on the dashboard), in tmux at 80x24 and
# 120x40: a path that cannot be read is said and the typed path kept; a file with invalid
# rows gets a dry-run report listing each bad row with its row number and column, the
# database stays as it was, and cancelling writes nothing; the same file can be imported
# skipping its invalid rows (the CLI's --skip-invalid); a good file is imported once the
# officer confirms, and the dashboard counts the new subscribers.  ~ is the home folder.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

subscribers() { rows subscriber; }

setup_agency
add_person "Đặng Văn Đức" 086090001001 "ducdv@$DOMAIN" >/dev/null

# The files, in a home folder of the test's own: 30 rows of which 2 are invalid, and 40
# good rows.
HOME_DIR=$TMP/home
mkdir -p "$HOME_DIR"
"$PY" "$GEN_ROSTER" 30 --bad 2 --seed 7 >"$HOME_DIR/bad.csv" 2>"$TMP/bad-rows"
"$PY" "$GEN_ROSTER" 40 --seed 11 >"$HOME_DIR/good.csv"
check_eq "(gen-roster made two bad rows)" "$(wc -l <"$TMP/bad-rows" | tr -d ' ')" 2

# What the dry run of the command line finds in the bad file: the interface must show the
# same problems, each with its row and column.
run ken import "$HOME_DIR/bad.csv" --dry-run --json
check_json "(the CLI's dry run rejects the rows gen-roster made bad)" \
	"sorted(e['row'] for e in d['errors']) == sorted([$(cut -f1 "$TMP/bad-rows" | paste -sd, -)])"
problems=$(json_get "'\n'.join('row %d, column \"%s\":' % (e['row'], e['column']) for e in d['errors'])")

# --- a path that cannot be read ---------------------------------------------------------------

before=$(data_sum)
count0=$(subscribers)
tui_start 80 24 HOME="$HOME_DIR" -- --lang en
tui_wait "To do" || fail "the dashboard shows"
tui_keys i
tui_expect "i asks for the file" "Import a roster file"
tui_type "~/nope.csv"
tui_keys Enter
tui_expect "a file that does not exist is said, with the path ~ stood for" \
	"$HOME_DIR/nope.csv: there is no such file or folder"
tui_expect "the prompt stays, with the path as typed" "~/nope.csv"

# --- a file whose columns are not understood ------------------------------------------------------

printf 'foo,bar\n1,2\n' >"$HOME_DIR/odd.csv"
tui_keys C-u
tui_type "~/odd.csv"
tui_keys Enter
tui_expect "a file with no known column cannot be imported, and the report says why" \
	"The file cannot be imported"
tui_expect "it names what is missing" "no column for the name"
tui_expect "and the columns it did not read" "Columns not read: \"foo\", \"bar\""
tui_keys Escape
tui_expect "closing the report asks for a file again, with the path as typed" "~/odd.csv"
check_eq "nothing was written" "$(data_sum)" "$before"

# --- invalid rows: the report, nothing written, cancel -------------------------------------------

tui_keys C-u
tui_type "~/bad.csv"
tui_keys Enter
tui_expect "the dry run's report shows" "Dry run: what the import would do"
tui_expect "it names the whole path" "File: $HOME_DIR/bad.csv"
tui_expect_line "it counts the rows to add" "Rows to add:" " *│ *Rows to add: +28 *│"
tui_expect_line "and the rejected rows" "Rows rejected:" " *│ *Rows rejected: +2 *│"
tui_expect "it counts the problems" "Problems (2):"
printf '%s\n' "$problems" | while IFS= read -r p; do
	tui_expect "the report lists: $p" "$p"
done
check_eq "the dry run wrote nothing" "$(data_sum)" "$before"
tui_keys Escape
tui_expect "closing the report asks what to do with the invalid rows" "2 row(s) have problems"
tui_expect "cancelling is the first choice" "Cancel: import nothing"
tui_expect "importing the valid rows the other" "Import the valid rows, skip the 2 invalid one(s)"
check_eq "nothing is written while the question is open" "$(data_sum)" "$before"
tui_keys Enter
tui_expect "cancel says nothing was written" "Import cancelled: nothing was written."
check_eq "and nothing was" "$(data_sum)" "$before"
check_eq "(no import recorded)" "$(rows import_batch)" 0

# --- the same file, skipping the invalid rows ------------------------------------------------------

tui_keys i
tui_expect "i asks again" "Import a roster file"
# Tab completes the path: several names are listed, one is completed.
tui_type "~/"
tui_keys Tab
tui_expect "Tab with several names that match lists them" "3 names match: bad.csv  good.csv  odd.csv"
tui_type "b"
tui_keys Tab
tui_expect "Tab completes the only name that matches" "~/bad.csv"
tui_keys Enter
tui_expect "(the report)" "Dry run: what the import would do"
tui_keys Escape
tui_expect "(the question)" "2 row(s) have problems"
tui_keys Down Enter
tui_expect "importing the valid rows reports what was done" \
	"Imported: 28 added, 0 updated, 0 unchanged, 2 skipped"
check_eq "28 subscribers were added" "$(subscribers)" $((count0 + 28))
check_eq "the import is recorded with its rejected rows" \
	"$(sql "select added, rejected from import_batch")" "28|2"
bad_names=$(sql "select count(*) from subscriber where email = 'nhuu.phuc@gmail.com'")
check_eq "the row with an address outside the domain is not in the roster" "$bad_names" 0
tui_expect_line "the dashboard counts them" "All subscribers" \
	" *All subscribers +$((count0 + 28)) +0 +$((count0 + 28))"
tui_quit "q quits" q
tui_stop

# --- a good file at 120x40: confirm ------------------------------------------------------------------

# Some of its people may already be in the roster (gen-roster builds addresses from
# names): what a dry run of the command line expects is what the interface must say.
count1=$(subscribers)
run ken import "$HOME_DIR/good.csv" --dry-run --json
added=$(json_get "d['added']")
updated=$(json_get "d['updated']")
check_eq "(the CLI's dry run finds every row of the good file valid)" \
	"$((added + updated)) $(json_get "d['rejected']")" "40 0"
tui_start 120 40 -- --lang en
tui_wait "To do" || fail "the dashboard shows"
tui_keys i
tui_expect "(120x40) i asks for the file" "Import a roster file"
tui_type "$HOME_DIR/good.csv"
tui_keys Enter
tui_expect "the report shows" "Dry run: what the import would do"
tui_expect_line "the rows to add" "Rows to add:" " *│ *Rows to add: +$added *│"
tui_expect_line "and to update (matched by citizen ID or e-mail)" "Rows to update:" \
	" *│ *Rows to update: +$updated *│"
tui_expect "with no problem" "No problems found."
before=$(data_sum)
tui_keys Escape
tui_expect "closing it asks to confirm" \
	"Import the file now? $added subscriber(s) to add, $updated to update."
check_eq "nothing is written before the answer" "$(data_sum)" "$before"
tui_keys Enter
tui_expect "yes imports" "Imported: $added added, $updated updated, 0 unchanged, 0 skipped"
check_eq "the new rows are in the database" "$(subscribers)" $((count1 + added))
check_eq "every row of the file is written by this import" \
	"$(sql "select count(*) from subscriber where import_id = (select max(id) from import_batch)")" 40
tui_expect_line "the dashboard counts them at once" "All subscribers" \
	" *All subscribers +$((count1 + added)) +0 +$((count1 + added))"

# The same file again changes nothing, and says so.
tui_keys i
tui_type "$HOME_DIR/good.csv"
tui_keys Enter
tui_expect_line "the second dry run finds every row unchanged" "Rows unchanged:" \
	" *│ *Rows unchanged: +40 *│"
tui_keys Escape
tui_expect "and there is nothing to import" \
	"Nothing to import: the roster already holds every row of this file."
tui_keys Enter
check_eq "(still one import of the good file)" "$(rows import_batch)" 2
tui_quit "q quits" q
tui_stop

# --- a re-import over the officer's work (issue 11.5) ------------------------------------------------

# The officer corrects two phones by hand; the personnel office's next file still has the
# old ones, and changes a third person's position.
emails=$("$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print(" ".join(r["Email"] for r in rows[:3]))' "$HOME_DIR/good.csv")
set -- $emails
e1=$1 e2=$2 e3=$3
id1=$(sql "select id from subscriber where email = '$e1'")
id2=$(sql "select id from subscriber where email = '$e2'")
must k subscriber edit "$id1" --phone 0911000001 >/dev/null
must k subscriber edit "$id2" --phone 0911000002 >/dev/null
"$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
rows[0]["Điện thoại"] = "0922000001"
rows[1]["Điện thoại"] = "0922000002"
rows[2]["Chức vụ"] = "Phó Chánh Văn phòng"
w = csv.DictWriter(open(sys.argv[2], "w", encoding="utf-8", newline=""), fieldnames=rows[0].keys())
w.writeheader()
w.writerows(rows)' "$HOME_DIR/good.csv" "$HOME_DIR/again.csv"
tui_start 120 30 -- --lang en
tui_wait "To do" || fail "the dashboard shows"
tui_keys i
tui_type "$HOME_DIR/again.csv"
tui_keys Enter
tui_expect "the dry run lists the changes per subscriber" "Changes to subscribers already in kyso (3):"
tui_expect "old -> new, with the edit marked kept" "Phone: 0911000001 → 0922000001   [edited in kyso: kept]"
tui_expect "a change the file makes to an unedited field" "Position:"
before=$(data_sum)
tui_keys Escape
tui_expect "the edits are offered to overwrite" "Values edited in kyso"
tui_expect "each with its subscriber, old and new" "[ ] "
tui_expect "none ticked at first" "0911000002 → 0922000002"
tui_keys Space
tui_expect "Space ticks the first" "[x] "
tui_keys Enter
tui_expect "the question counts the updates with the ticked value" \
	"Import the file now? 0 subscriber(s) to add, 2 to update."
check_eq "nothing is written before the answer" "$(data_sum)" "$before"
tui_keys Enter
tui_expect "the import says one edit was kept" "1 value(s) edited in kyso kept."
check_eq "the ticked edit took the file's value" "$(sql "select phone from subscriber where id = $id1")" 0922000001
check_eq "the unticked edit was kept" "$(sql "select phone from subscriber where id = $id2")" 0911000002
check_eq "the unedited field took the file's value" \
	"$(sql "select position from subscriber where email = '$e3'")" "Phó Chánh Văn phòng"
tui_quit "q quits" q
tui_stop

finish
