#!/bin/sh
# Tokens through the command line on a real database: add and list; the transition table;
# a departure with two tokens end to end (depart -> due lists both -> one handed over, one
# returned -> due clear); the new holder's PIN change stays due until confirmed; a loss
# until the revocation is asked; a loan past its end; several tokens at once, all or none;
# every refused input exits 3 and leaves the database as it was (sqlite3 dumps compared);
# a stale --if-version exits 4; a password typed into any text field (each option of the
# token and cert commands, several spellings) is refused by name and never reaches the
# database's bytes, its WAL, or the output.
. "$(dirname "$0")/lib.sh"

setup_agency
must k agency edit --head "Phạm Văn Giám" --focal "Lê Văn Bình" >/dev/null
must k unit add "Văn phòng Sở" >/dev/null
van=$(add_person "Lê Thị Văn" 086190001234 "vanlt@$DOMAIN" --unit "Văn phòng Sở" --position "Văn thư")
an=$(add_person "Nguyễn Văn An" 086090001235 "annv@$DOMAIN")
org=$(must k subscriber add --kind org --name "Sở Nông nghiệp và Môi trường" --email "snnmt@$DOMAIN")

# --- adding tokens ------------------------------------------------------------------------

run k token add --serial TK-0001 --subscriber "$van" --model "ePass2003" --received 2026-01-10
check_added "token add for a person (the keeper is the person)"
own=$OUT
run k token add --serial AG-01 --subscriber "$org" --keeper-subscriber "$van" --received 2026-01-10
check_added "token add for the agency, kept by the clerk"
kept=$OUT
run k token add --serial SIM-77 --subscriber "$an" --kind sim --received 2026-05-20 --pin-changed 2026-06-01
check_added "token add of a SIM PKI card with a PIN change declared before"
check_eq "the keeper of a person's token is the person" \
	"$(sql "select keeper_name || '|' || keeper_subscriber_id from token where id = $own")" "Lê Thị Văn|$van"
check_eq "the agency token's keeper is the clerk, named from the roster" \
	"$(sql "select keeper_name || '|' || keeper_position from token where id = $kept")" "Lê Thị Văn|Văn thư"

refused_unchanged "an organisation's token without a keeper" ken token add --serial AG-02 --subscriber "$org"
check_has "the problem names the keeper" "$ERR" "Keeper: an organisation's or a device's token needs its keeper named"
refused_unchanged "a serial recorded already (written another way)" ken token add --serial "tk 0001" --subscriber "$an"
check_has "the problem says so" "$ERR" "is recorded already"
refused_unchanged "a token of nobody, received in the future, with a PIN in its note" \
	ken token add --serial X-1 --subscriber 999 --received 2027-01-01 --note "PIN: 24681357"
check_has "the subscriber is named" "$ERR" "there is no subscriber #999"
check_has "the date is named" "$ERR" "Received on: 01/01/2027 is in the future"
check_has "the note is refused" "$ERR" "Note: looks like it holds a password or PIN"
check_lacks "the PIN is not repeated" "$ERR" "24681357"
run ken token add --serial X-1 --subscriber "$an" --kind floppy
check_rc 2 "an unknown --kind is a usage error"
run ken token add --subscriber "$an"
check_rc 2 "token add without --serial is a usage error"

run ken token list
check_rc 0 "token list exits 0"
check_has "token list shows the clerk's token" "$OUT" "TK-0001"
check_has "and counts them" "$OUT" "3 token(s)"
run k token list --json --search "le thi van"
check_json "token list --search finds by the keeper's name without marks" \
	"sorted(t['serial'] for t in d) == ['AG-01', 'TK-0001']"
run k token list --json --subscriber "$org"
check_json "token list --subscriber: the organisation's token" "[t['serial'] for t in d] == ['AG-01']"
run k token list --json --unit "van phong so"
check_json "token list --unit: the tokens of the unit's subscribers" "[t['serial'] for t in d] == ['TK-0001']"
run k token list --json
check_json "token list --json has what a script needs" \
	"all({'id', 'serial', 'kind', 'state', 'subscriber_id', 'subscriber', 'keeper', 'holder',
	      'pin_due_on', 'pin_pending', 'version'} <= set(t) for t in d)
	 and [t['kind'] for t in d if t['serial'] == 'SIM-77'] == ['sim']
	 and [t['pin_due_on'] for t in d if t['serial'] == 'SIM-77'] == ['2026-12-01']"
run ken token list --state bogus
check_rc 2 "token list --state with an unknown state is a usage error"

# --- the transition table --------------------------------------------------------------

run ken token states
check_rc 0 "token states exits 0"
check_match "token states shows the handover row: the command, the states, its minutes, the rule" \
	"$(printf '%s\n' "$OUT" | grep '^token handover  *In use')" \
	"token handover +In use +In use +handover +Art\. 14\.4"
check_match "and what the handover opens and closes, in words" \
	"$(printf '%s\n' "$OUT" | grep -A2 '^token handover  *In use' | tr '\n' ' ')" \
	".* opens: New holder to change the PIN .*closes: Departed keeper's token to hand over or return; New holder to change the PIN; Loan to end *"
run k token states --json
check_json "token states --json: every row with its document, follow-ups and rule" \
	"len(d) >= 20 and all({'action', 'from', 'to', 'document', 'opens', 'closes', 'rule'} <= set(r) for r in d)
	 and {r['to'] for r in d if r['action'] == 'lose'} == {'lost'}
	 and sorted(r['from'] for r in d if r['action'] == 'return') == ['damaged', 'found', 'in_use', 'locked']"

# --- a departure with two tokens (Art. 14.4) ------------------------------------------------

check_eq "(before the departure nothing is unaccounted)" "$(due_count departed_unaccounted)" 0
run ken subscriber depart "$van" --date 2026-11-02 --reason transferred
check_rc 0 "the clerk departs"
check_has "the departure names the tokens to hand over or return" "$OUT" "TK-0001: kyso token handover"
check_has "both of them" "$OUT" "AG-01: kyso token handover"
check_eq "due lists both tokens as unaccounted" "$(due_count departed_unaccounted)" 2
details=$(due_details departed_unaccounted)
check_has "the item names the departure and the token" "$details" \
	"departed on 02/11/2026; token AG-01 of Sở Nông nghiệp và Môi trường (In use) is neither handed over nor returned"
run ken subscriber show "$van"
check_has "subscriber show says the departure is incomplete" "$OUT" \
	"Departure incomplete: 2 token(s) unaccounted"
check_has "and lists the tokens" "$OUT" "AG-01"
run k subscriber show "$van" --json
check_json "subscriber show --json: tokens and unaccounted_tokens" \
	"d['unaccounted_tokens'] == 2 and sorted(t['serial'] for t in d['tokens']) == ['AG-01', 'TK-0001']"

refused_unchanged "a handover without successor, position or designation" \
	ken token handover --serial AG-01 --date 2026-11-03
check_has "every missing field is listed" "$ERR" "Successor: is required"
check_has "(position)" "$ERR" "Position: is required"
check_has "(designation)" "$ERR" "Designation: is required"
refused_unchanged "a handover dated before the token's last change" \
	ken token handover --serial AG-01 --to-name "Trần Văn Cường" --to-position "Văn thư" \
	--designation "45/QĐ-SNNMT" --date 2025-12-31
run ken token handover --serial AG-01 --to-name "Trần Văn Cường" --to-position "Văn thư" \
	--designation "45/QĐ-SNNMT" --date 2026-11-03 --note "Bàn giao token và mật khẩu"
check_rc 0 "the agency token is handed over to the designated successor"
check_has "the command says what to do next" "$OUT" "kyso minutes handover --serial AG-01"
check_eq "the step records that the password was handed over, and who designated" \
	"$(sql "select password_handed || '|' || authorised_by || '|' || ref from token_step where token_id = $kept and action = 'handover'")" \
	"1|Phạm Văn Giám|45/QĐ-SNNMT"
check_eq "one token is still unaccounted" "$(due_count departed_unaccounted)" 1
run k token return --serial TK-0001 --date 2026-11-04 --reason departure --received-by "Sở KH&CN"
check_rc 0 "the clerk's own token is returned"
check_eq "the departure is complete: nothing unaccounted" "$(due_count departed_unaccounted)" 0
run ken subscriber show "$van"
check_lacks "subscriber show no longer says incomplete" "$OUT" "Departure incomplete"

# --- the new holder's PIN (Art. 14.4, 13.3) ------------------------------------------------------

check_eq "the new holder's PIN change is due" "$(due_count new_holder_pin)" 1
check_has "and says who and since when" "$(due_details new_holder_pin)" \
	"token AG-01 was handed over to Trần Văn Cường on 03/11/2026; the new holder has not changed the PIN yet"
check_eq "the handover did not restart the PIN clock" \
	"$(sql "select coalesce(pin_changed_on, 'none') || '|' || pin_pending from token where id = $kept")" "none|1"
check_eq "it is still due on a later day" "$(due_count new_holder_pin --at 2026-11-20)" 1
run ken token pin-changed --serial AG-01 --date 2026-11-02
check_rc 3 "a PIN change dated before the handover is refused"
check_has "and says why" "$ERR" "is before the handover to the new holder (03/11/2026)"
run k token pin-changed --serial AG-01 --date 2026-11-05 --declared-by "Trần Văn Cường"
check_rc 0 "the new holder's PIN change is confirmed"
check_eq "the item is gone" "$(due_count new_holder_pin)" 0
check_eq "the clock restarted" "$(sql "select pin_changed_on || '|' || pin_pending from token where id = $kept")" \
	"2026-11-05|0"

# --- several tokens at once, all or none -------------------------------------------------------------

p1=$(must k token add --serial PIN-1 --subscriber "$an" --received 2026-01-15)
p2=$(must k token add --serial PIN-2 --subscriber "$an" --received 2026-06-01)
check_eq "(the PIN of PIN-1 is overdue, 6 months after it came)" "$(due_count pin_overdue)" 1
refused_unchanged "a PIN change for two tokens, one received after the date" \
	ken token pin-changed --serial PIN-1 --serial PIN-2 --date 2026-05-01
check_has "the problem names the token" "$ERR" "PIN-2: Date"
run ken token pin-changed --serial PIN-1 --serial PIN-2 --date 2026-11-20
check_rc 0 "both PIN changes confirmed at once"
check_eq "both clocks restarted" "$(sql "select count(*) from token where pin_changed_on = '2026-11-20'")" 2
refused_unchanged "a PIN change without --date" ken token pin-changed --serial PIN-1
check_has "the date is required" "$ERR" "Date: is required"

# --- a loss (Art. 13.5) ----------------------------------------------------------------------------

refused_unchanged "a loss without circumstances" ken token lost --serial PIN-1 --date 2026-11-21
check_has "the circumstances are required" "$ERR" "Circumstances: is required"
run ken token lost --serial PIN-1 --date 2026-11-21 --circumstances "Để quên trên xe khách" \
	--place "Bến xe Vĩnh Long" --discovered "Khi cần ký văn bản" --confirmed-by "Lê Văn Bình"
check_rc 0 "a loss is recorded"
check_has "the command says to ask for the revocation" "$OUT" "kyso token revocation-asked"
check_eq "due lists it without revocation request" "$(due_count lost_without_revocation)" 1
check_has "and says what is missing" "$(due_details lost_without_revocation)" \
	"token PIN-1 lost on 21/11/2026: no revocation request sent and no lost-token minutes"
refused_unchanged "a lost token cannot be handed over" ken token handover --serial PIN-1 --to-name "A B" \
	--to-position P --designation R --date 2026-11-22
check_has "the reason names the states" "$ERR" \
	"a token in state Lost cannot be handed over; handover needs In use or Locked"
run k token revocation-asked --serial PIN-1 --ref "123/SNNMT-VP" --date 2026-11-22
check_rc 0 "the revocation request is recorded"
check_has "then only the minutes are missing" "$(due_details lost_without_revocation)" \
	"token PIN-1 lost on 21/11/2026: no lost-token minutes"

# --- a loan (Art. 14.3) ---------------------------------------------------------------------------------

refused_unchanged "lending the token to its keeper" ken token lend --serial AG-01 --to-name "Trần Văn Cường" \
	--permission 7/GP --permitted-by "Phạm Văn Giám" --until 2026-11-15 --date 2026-11-10
check_has "a loan is to someone else" "$ERR" "keeps the token: a loan is to someone else"
refused_unchanged "a loan without written permission" ken token lend --serial AG-01 --to-name "Võ Văn Mượn" \
	--until 2026-11-15 --date 2026-11-10
check_has "the permission is required" "$ERR" "Permission: is required"
check_has "and who gave it" "$ERR" "Permitted by: is required"
run k token lend --serial AG-01 --to-name "Võ Văn Mượn" --permission 7/GP --permitted-by "Phạm Văn Giám" \
	--until 2026-11-15 --date 2026-11-10
check_rc 0 "the agency token is lent with permission"
check_eq "the holder is the borrower, the keeper stays" \
	"$(sql "select keeper_name || '|' || holder_name || '|' || loan_until from token where id = $kept")" \
	"Trần Văn Cường|Võ Văn Mượn|2026-11-15"
check_eq "on its last day the loan is not late" "$(due_count loan_expired --at 2026-11-15)" 0
check_eq "after it, due lists the loan" "$(due_count loan_expired)" 1
check_has "with the borrower, the end and the permission" "$(due_details loan_expired)" \
	"token AG-01 lent to Võ Văn Mượn until 15/11/2026 (permission 7/GP): 10 day(s) past its end"
refused_unchanged "lending a lent token" ken token lend --serial AG-01 --to-name "Đỗ Thị Khác" \
	--permission 8/GP --permitted-by "Phạm Văn Giám" --until 2026-11-30 --date 2026-11-24
run k token loan-end --serial AG-01 --date 2026-11-24
check_rc 0 "the loan ends"
check_eq "the loan is off the due list" "$(due_count loan_expired)" 0

# --- versions ------------------------------------------------------------------------------------------------

v=$(sql "select version from token where id = $kept")
before=$(db_dump)
run ken token lock --serial AG-01 --date 2026-11-25 --if-version $((v - 1))
check_rc 4 "a stale --if-version is a conflict (exit 4)"
check_eq "and changes nothing" "$(db_dump)" "$before"
run ken token lock --serial AG-01 --date 2026-11-25 --if-version "$v"
check_rc 0 "the current --if-version is accepted"
check_eq "a locked token is on the due list" "$(due_count token_locked)" 1
run ken token lock --serial AG-01 --serial PIN-2
check_rc 2 "lock takes one --serial"
run ken token frobnicate --serial AG-01
check_rc 2 "an unknown token command is a usage error"
run ken token lock --serial NOPE-9
check_rc 1 "an unknown serial exits 1"
check_has "and names it" "$ERR" "NOPE-9"
run ken token show NOPE-9
check_rc 1 "token show of an unknown serial exits 1"
check_has "and names it" "$ERR" 'no token has the serial "NOPE-9"'
run ken token list --limit abc
check_rc 2 "token list --limit that is no number is a usage error"
check_has "and says what --limit takes" "$ERR" "--limit takes a number"
run ken token pin-changed --date 2026-11-01
check_rc 2 "pin-changed without --serial is a usage error"

# --- show --------------------------------------------------------------------------------------------------------

run ken token show AG-01
check_rc 0 "token show exits 0"
check_has "show gives the state" "$OUT" "Locked since 25/11/2026"
check_has "the PIN due date" "$OUT" "05/05/2027"
check_has "what is still to do" "$OUT" "Recovery to request"
check_has "the history with the handover and its password" "$OUT" "password handed over"
check_has "the loan in the history" "$OUT" "Võ Văn Mượn"
run k token show "$kept" --json
check_json "token show by id --json: fields, history, follow-ups" \
	"d['serial'] == 'AG-01' and d['state'] == 'locked' and d['pin_due_on'] == '2027-05-05'
	 and [s['action'] for s in d['history']] == ['receive', 'handover', 'pin', 'lend', 'loan_end', 'lock']
	 and [f['kind'] for f in d['follow_ups']] == ['recovery'] and d['certificates'] == []"

run k token list --json --state lost
check_json "token list --state lost: the lost token only" "[t['serial'] for t in d] == ['PIN-1']"
run k token list --json --state active
check_json "token list --state active: in use and locked, not lost or returned" \
	"sorted(t['serial'] for t in d) == ['AG-01', 'PIN-2', 'SIM-77']"
run k token list --json --holder "tran van cuong"
check_json "token list --holder finds the new holder without marks" "[t['serial'] for t in d] == ['AG-01']"

# --- returning several tokens in one transaction --------------------------------------------------------------

refused_unchanged "a return of two tokens, one of them returned already" \
	ken token return --serial PIN-2 --serial TK-0001 --date 2026-11-25
check_has "the refused one is named" "$ERR" "TK-0001: State"
run ken token return --serial PIN-2 --serial AG-01 --date 2026-11-25 --reason expired
check_rc 0 "two tokens are returned at once"
check_has "the minutes can take both" "$OUT" "kyso minutes return --serial PIN-2 --serial AG-01"
check_eq "both are returned" "$(sql "select count(*) from token where state = 'returned'")" 3
check_eq "a returned token's follow-ups are closed" \
	"$(sql "select count(*) from follow_up where token_id = $kept and closed_on is null")" 0
refused_unchanged "a return with an unknown reason" ken token return --serial SIM-77 --date 2026-11-25 --reason bored
check_eq "the audit chain is intact" "$(k audit verify >/dev/null 2>&1; echo $?)" 0

# --- the minutes due --------------------------------------------------------------------------------------

check_eq "handovers and returns without minutes are listed" "$(due_count minutes_missing)" 4
run k due --json
check_json "each names the minutes command that writes them, with -o the documents folder" \
	"all(i['command'] == 'kyso minutes %s --serial %s -o $HOME/kyso-documents'
	     % (('handover' if i['detail'].startswith('Bàn giao') else 'return'),
	        __import__('re').search(r'token ([^ ,)]+)', i['detail']).group(1))
	     for c in d if c['check'] == 'minutes_missing' for i in c['items'])"

# --- dates that are not, or not yet; unknown serials; a stale version -------------------------

refused_unchanged "a token received on a day that does not exist" \
	ken token add --serial X-2 --subscriber "$an" --received 2026-02-30
check_has "the field and the date are named" "$ERR" 'Received on: "2026-02-30" is not a real date'
refused_unchanged "the same day written dd/mm/yyyy" \
	ken token add --serial X-2 --subscriber "$an" --received 30/02/2026
check_has "the field and the date are named as typed" "$ERR" 'Received on: "30/02/2026" is not a real date'
refused_unchanged "a PIN change in the future" ken token pin-changed --serial SIM-77 --date 2026-12-01
check_has "the date is said to be in the future" "$ERR" "Date: 01/12/2026 is in the future"
refused_unchanged "a PIN change on a day that does not exist" \
	ken token pin-changed --serial SIM-77 --date 2026-13-01
check_has "the date is named" "$ERR" 'Date: "2026-13-01" is not a real date'
refused_unchanged "a loss in the future" ken token lost --serial SIM-77 --date 2027-01-01 \
	--circumstances "Rơi mất khi đi công tác"
check_has "the loss's date is said to be in the future" "$ERR" "Date: 01/01/2027 is in the future"
refused_unchanged "a loan that ends before it begins" ken token lend --serial SIM-77 \
	--to-name "Võ Văn Mượn" --permission 9/GP --permitted-by "Phạm Văn Giám" \
	--until 2026-11-01 --date 2026-11-10
check_has "the end is named" "$ERR" "Until: 01/11/2026 is before the loan begins"
refused_unchanged "a revocation request for a token in use" \
	ken token revocation-asked --serial SIM-77 --ref 1/SNNMT --date 2026-11-22
check_has "the states that allow it are named" "$ERR" "a revocation request needs Lost or Found"
refused_unchanged "an assignment to nobody" ken token assign --serial SIM-77 --date 2026-11-20
check_has "the new keeper is required" "$ERR" "Keeper: is required"
refused_unchanged "an assignment to a subscriber who does not exist" \
	ken token assign --serial SIM-77 --to-name "Hồ Văn Mới" --to-subscriber 999 --date 2026-11-20
check_has "the subscriber is named" "$ERR" "Keeper: there is no subscriber #999"
refused_unchanged "recovering a token that is not locked" ken token recover --serial SIM-77
check_has "the states are named" "$ERR" "a token in state In use cannot be recovered; recovery needs Locked"
refused_unchanged "a token found that was never lost" ken token find --serial SIM-77
check_has "the reason is given" "$ERR" "State: a token in state In use cannot"
refused_unchanged "a token damaged in the future" ken token damage --serial SIM-77 --date 2027-01-01
check_has "the date is said to be in the future" "$ERR" "Date: 01/01/2027 is in the future"
before=$(db_dump)
run ken token handover --serial NOPE-9 --to-name "Hồ Văn Mới" --to-position "Chuyên viên" \
	--designation 9/QĐ --date 2026-11-25
check_rc 1 "a handover of an unknown serial exits 1"
check_has "and names the serial" "$ERR" 'no token has the serial "NOPE-9"'
check_eq "and changes nothing" "$(db_dump)" "$before"
v=$(sql "select version from token where serial = 'SIM-77'")
run ken token handover --serial SIM-77 --to-name "Hồ Văn Mới" --to-position "Chuyên viên" \
	--designation 9/QĐ --date 2026-11-25 --if-version $((v + 1))
check_rc 4 "a handover with a stale --if-version is a conflict (exit 4)"
check_has "and says the token changed" "$ERR" "token SIM-77 was changed by someone else since you read it"
check_eq "and changes nothing" "$(db_dump)" "$before"

# --- no password reaches the database -----------------------------------------------------------------------

# A reader holds the database open, so that what kyso writes stays in the WAL file (the
# last connection to close would fold it into the database and remove it).
mkfifo "$TMP/hold"
sqlite3 -batch "$DB" <"$TMP/hold" >/dev/null 2>&1 &
holder=$!
exec 4>"$TMP/hold"
echo "BEGIN; SELECT count(*) FROM token;" >&4
secret=86421357
refused_unchanged "a note with a password (Vietnamese)" ken token lock --serial SIM-77 --date 2026-11-25 \
	--note "mật khẩu: $secret"
check_lacks "the refusal does not repeat the password" "$ERR$OUT" "$secret"
refused_unchanged "circumstances with a PIN" ken token lost --serial SIM-77 --date 2026-11-25 \
	--circumstances "Mất cùng tờ giấy ghi mã PIN là $secret"
refused_unchanged "a successor's note with the password" ken token handover --serial SIM-77 \
	--to-name "Hồ Văn Mới" --to-position "Chuyên viên" --designation 9/QĐ --date 2026-11-25 \
	--note "Mat khau $secret"
# secret_in LABEL CMD...: CMD, with the secret in the field LABEL, is refused, says which
# field, does not repeat the secret and changes nothing.
secret_in() {
	_label=$1
	shift
	refused_unchanged "$_label holding a password or PIN" "$@"
	check_has "$_label: the field is named" "$ERR" "$_label: looks like it holds a password or PIN"
	check_lacks "$_label: the secret is not repeated" "$ERR$OUT" "$secret"
}
d="--date 2026-11-25"
secret_in "Model" ken token add --serial X-3 --subscriber "$an" --model "password=$secret"
secret_in "Keeper" ken token add --serial X-3 --subscriber "$org" --keeper "PIN $secret"
secret_in "Successor" ken token handover --serial SIM-77 --to-name "mã PIN là $secret" \
	--to-position P --designation R $d
secret_in "Position" ken token handover --serial SIM-77 --to-name "Hồ Văn Mới" \
	--to-position "Mat khau $secret" --designation R $d
secret_in "Designation" ken token handover --serial SIM-77 --to-name "Hồ Văn Mới" \
	--to-position P --designation "mật khẩu: $secret" $d
secret_in "Designated by" ken token handover --serial SIM-77 --to-name "Hồ Văn Mới" \
	--to-position P --designation R --designated-by "mật khẩu $secret" $d
secret_in "Permission" ken token lend --serial SIM-77 --to-name "Võ Văn Mượn" \
	--permission "PIN: $secret" --permitted-by "Phạm Văn Giám" --until 2026-11-30 $d
secret_in "Permitted by" ken token lend --serial SIM-77 --to-name "Võ Văn Mượn" \
	--permission 9/GP --permitted-by "password: $secret" --until 2026-11-30 $d
secret_in "Place" ken token lost --serial SIM-77 --circumstances "Rơi mất" \
	--place "mật khẩu: $secret" $d
secret_in "How it was found missing" ken token lost --serial SIM-77 --circumstances "Rơi mất" \
	--discovered "mã PIN là $secret" $d
secret_in "Confirmed by" ken token lost --serial SIM-77 --circumstances "Rơi mất" \
	--confirmed-by "PIN $secret" $d
secret_in "Report to the department" ken token lost --serial SIM-77 --circumstances "Rơi mất" \
	--report-ref "mật khẩu: $secret" $d
secret_in "Received by" ken token return --serial SIM-77 --received-by "PIN $secret" $d
secret_in "Revocation notice" ken token return --serial SIM-77 --notice "password=$secret" $d
secret_in "Declared by" ken token pin-changed --serial SIM-77 --declared-by "mã PIN là $secret" $d
secret_in "Keeper" ken token assign --serial SIM-77 --to-name "mật khẩu: $secret" $d
secret_in "Subject" ken cert add --serial 5B --token SIM-77 --from 2026-06-01 --to 2027-05-31 \
	--subject "PIN $secret"
secret_in "Issuer" ken cert add --serial 5B --token SIM-77 --from 2026-06-01 --to 2027-05-31 \
	--issuer "mật khẩu: $secret"
run ken token lock --serial SIM-77 --date 2026-11-25 --note "Nhập sai mã PIN quá số lần"
check_rc 0 "(a change with a harmless note is written, to the WAL)"
check_ne "(the WAL holds what was written)" "$([ -s "$DB-wal" ] && grep -c -a "quá số lần" "$DB-wal")" 0
found=0
for f in "$DB" "$DB-wal"; do
	n=$(grep -c -a "$secret" "$f")
	found=$((found + n))
done
check_eq "the password typed into notes is in neither the database nor its WAL" "$found" 0
exec 4>&-
wait "$holder"

# A found token goes back in use with whoever takes it (issue 11.10): token reuse names
# the keeper, from the roster or by name.
must k token add --serial TK-RE1 --subscriber "$an" --received 2025-01-10 >/dev/null
must k token lost --serial TK-RE1 --date 2026-11-20 --circumstances "Để quên trên xe" >/dev/null
must k token find --serial TK-RE1 --date 2026-11-21 >/dev/null
run k token reuse --serial TK-RE1 --date 2026-11-22 --to-subscriber "$van"
check_rc 0 "token reuse --to-subscriber names the keeper who takes the found token"
run k token show TK-RE1 --json
check_json "the keeper is taken from the roster, name and position" \
	'd["keeper"] == "Lê Thị Văn" and d["keeper_position"] == "Văn thư" and d["state"] == "in_use"
	 and d["history"][-1]["keeper"] == "Lê Thị Văn"'
must k token add --serial TK-RE2 --subscriber "$an" --received 2025-01-10 >/dev/null
must k token lost --serial TK-RE2 --date 2026-11-20 --circumstances "Để quên trên xe" >/dev/null
must k token find --serial TK-RE2 --date 2026-11-21 >/dev/null
run k token reuse --serial TK-RE2 --date 2026-11-22 --to-name "Võ Văn Tâm" --to-position "Chuyên viên"
check_rc 0 "token reuse --to-name names a keeper who is not on the roster"
run k token show TK-RE2 --json
check_json "by the name given" 'd["keeper"] == "Võ Văn Tâm" and d["keeper_position"] == "Chuyên viên"'

finish
