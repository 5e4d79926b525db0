#!/bin/sh
# Every recorded date can be corrected afterwards (issue 11.1), on the command line, as
# an audited correction that keeps the earlier value in the history: a departure's date
# (subscriber edit --departed-on), a token's steps (token correct --step N: the day it
# came, a PIN change, a handover, a loan's end), a certificate's dates (cert correct).
# What follows from the date follows it: the report's numbers, the PIN's due day, the due
# list.  Bad corrections are refused with what is wrong, and change nothing.
. "$(dirname "$0")/lib.sh"

on() {
	_day=$1
	shift
	KYSO_TODAY=$_day kyso --db "$DB" --lang en "$@"
}

KYSO_TODAY=2026-12-07
setup_agency
must k agency edit --head "Lê Văn Bình" --head-position "Giám đốc" >/dev/null
an=$(add_person "Nguyễn Văn An" 086090001001 annv@$DOMAIN --birth-date 1990-04-01 --since 2024-01-01)
binh=$(add_person "Trần Thị Bình" 086190001002 binhtt@$DOMAIN --since 2024-01-01)

# --- a departure typed with the wrong day ---------------------------------------------------

must on 2026-12-07 token add --serial TK-AN --subscriber "$an" --received 2025-01-10 >/dev/null
must on 2026-12-07 subscriber depart "$an" --date 2026-12-07 --reason left >/dev/null
run on 2026-12-07 report --period 2026-H1 --json
check_json "departed on 07/12 (as typed by mistake), An is counted at the end of H1" \
	'd["subscribers_active"] == 2'
run on 2026-12-07 subscriber edit "$an" --departed-on 05/06/2026
check_rc 0 "subscriber edit --departed-on corrects the departure's day"
check_eq "the row has the corrected day" "$(sql "select departed_on from subscriber where id = $an")" \
	"2026-06-05"
check_eq "the departure's event moved with it" \
	"$(sql "select on_date from event where subscriber_id = $an and kind = 'subscriber.departed'")" \
	"2026-06-05"
check_eq "and the follow-up it opened for the token" \
	"$(sql "select opened_on from follow_up where subscriber_id = $an and kind = 'departure'")" \
	"2026-06-05"
run on 2026-12-07 subscriber show "$an" --json
check_json "the history keeps the earlier day" \
	'[(e["detail"]["old"], e["detail"]["new"]) for e in d["history"]
	  if e["kind"] == "subscriber.corrected"] == [("2026-12-07", "2026-06-05")]'
run on 2026-12-07 subscriber show "$an"
check_has "and shows it as a person reads it" "$OUT" "Departure date: 07/12/2026 → 05/06/2026"
run on 2026-12-07 report --period 2026-H1 --json
check_json "the report of H1 now leaves An out" 'd["subscribers_active"] == 1'
run on 2026-12-07 audit list --json
check_json "the correction is in the audit chain" \
	'any(r["action"] == "subscriber.correct" for r in d)'
run on 2026-12-07 audit verify
check_rc 0 "and the chain holds"

before=$(db_dump)
run on 2026-12-07 subscriber edit "$an" --departed-on 2027-01-01
check_rc 3 "a departure in the future is refused"
check_has "saying so" "$ERR" "Departure date: 01/01/2027 is in the future"
run on 2026-12-07 subscriber edit "$an" --departed-on 1989-01-01
check_rc 3 "a departure before the date of birth is refused"
check_has "saying so" "$ERR" "01/01/1989 is before the subscriber's date of birth"
run on 2026-12-07 subscriber edit "$an" --departed-on 30/02/2026
check_rc 3 "a date that is not one is refused"
run on 2026-12-07 subscriber edit "$binh" --departed-on 2026-06-01
check_rc 3 "an active subscriber has no departure to correct"
check_has "saying what to do instead" "$ERR" "the subscriber has not departed"
run on 2026-12-07 subscriber edit "$an" --position "Trưởng phòng" --departed-on 2027-01-01
check_rc 3 "a refused correction takes the other changes of the command with it"
check_eq "nothing was written by the refused corrections" "$(db_dump)" "$before"

# --- a token's steps --------------------------------------------------------------------------

must on 2026-12-07 token add --serial TK-B --subscriber "$binh" >/dev/null
must on 2026-12-07 token pin-changed --serial TK-B --date 2026-12-07 >/dev/null
run on 2026-12-07 token correct --serial TK-B --step 1 --date 2025-03-01
check_rc 0 "the day a token came is corrected (step 1)"
run on 2026-12-07 token correct --serial TK-B --step 2 --date 2026-05-02
check_rc 0 "a PIN change typed with the wrong day is corrected (step 2)"
run on 2026-12-07 token show TK-B --json
check_json "the token holds the corrected days" \
	'd["received_on"] == "2025-03-01" and d["pin_changed_on"] == "2026-05-02"
	 and d["pin_due_on"] == "2026-11-02" and [s["date"] for s in d["history"]] == ["2025-03-01", "2026-05-02"]'
check_eq "it no longer counts as recorded without its day" \
	"$(sql "select received_given from token where serial = 'TK-B'")" 1
run on 2026-12-07 due --json
check_json "the due list reads the corrected PIN day: overdue since 02/11/2026" \
	'any(i["token_id"] and "TK-B" in i["detail"] for c in d if c["check"] == "pin_overdue" for i in c["items"])'
run on 2026-12-07 token show TK-B
check_has "token show numbers the steps (what --step takes)" "$OUT" " 2. 02/05/2026  PIN changed"
run on 2026-12-07 subscriber show "$binh"
check_has "the subscriber's history keeps the earlier day of the PIN change" "$OUT" \
	"Date: 07/12/2026 → 02/05/2026"

before=$(db_dump)
run on 2026-12-07 token correct --serial TK-B --step 2 --date 2025-01-01
check_rc 3 "a step cannot move before the step before it"
check_has "saying which" "$ERR" "01/01/2025 is before the step before it (01/03/2025)"
run on 2026-12-07 token correct --serial TK-B --step 1 --date 2026-06-01
check_rc 3 "nor after the step after it"
check_has "saying which" "$ERR" "01/06/2026 is after the step after it (02/05/2026)"
run on 2026-12-07 token correct --serial TK-B --step 3 --date 2026-06-01
check_rc 3 "a step the token does not have is refused"
check_has "saying how many it has" "$ERR" "token TK-B has no step 3 (its history has 2)"
run on 2026-12-07 token correct --serial TK-B --step 2 --until 2027-01-01
check_rc 3 "only a loan has an end to correct"
run on 2026-12-07 token correct --serial TK-B --step 2 --date 2026-05-03 --if-version 1
check_rc 4 "a correction of a token changed since is a conflict"
run on 2026-12-07 token correct --serial TK-B --step 2
check_rc 2 "a correction needs a new date"
check_eq "nothing was written by the refused corrections" "$(db_dump)" "$before"

# A loan's end (Art. 14.3).
must on 2026-12-07 token lend --serial TK-B --to-name "Lê Văn Cường" --permission "05/GP" \
	--permitted-by "Lê Văn Bình" --until 2026-12-10 --date 2026-12-07 >/dev/null
run on 2026-12-07 token correct --serial TK-B --step 3 --until 2026-12-20
check_rc 0 "a loan's end is corrected"
run on 2026-12-07 token show TK-B --json
check_json "the token is lent until the corrected day" 'd["loan_until"] == "2026-12-20"'
run on 2026-12-21 due --json
check_json "the loan shows as ended on the corrected day" \
	'any(c["check"] == "loan_expired" and c["count"] == 1 for c in d)'
run on 2026-12-15 due --json
check_json "and not before it" 'any(c["check"] == "loan_expired" and c["count"] == 0 for c in d)'

# --- a certificate's dates ------------------------------------------------------------------

must on 2026-12-07 cert add --token TK-B --serial AB01 --from 2025-03-01 --to 2027-03-01 >/dev/null
run on 2026-12-07 cert correct --serial AB01 --from 2025-03-05 --to 2028-03-05
check_rc 0 "a certificate's validity is corrected"
run on 2026-12-07 cert list --json
check_json "it holds the corrected dates" \
	'd[0]["not_before"] == "2025-03-05" and d[0]["not_after"] == "2028-03-05"'
check_eq "the issue event moved with its first day" \
	"$(sql "select on_date from event where kind = 'cert.issued'")" "2025-03-05"
before=$(db_dump)
run on 2026-12-07 cert correct --serial AB01 --to 2031-03-06
check_rc 3 "a validity over the 5 years' limit is refused"
check_has "saying the limit" "$ERR" "more than 5 years after the start"
run on 2026-12-07 cert correct --serial AB01 --revoked-on 2026-01-01
check_rc 3 "a valid certificate has no revocation to correct"
check_eq "nothing was written by the refused corrections" "$(db_dump)" "$before"
must on 2026-12-07 cert revoke --serial AB01 --date 2026-12-01 >/dev/null
run on 2026-12-07 cert correct --serial AB01 --revoked-on 2026-11-20
check_rc 0 "a revocation's day is corrected"
check_eq "the token's last valid day follows (it goes back within 5 working days)" \
	"$(sql "select cert_end_on from token where serial = 'TK-B'")" "2026-11-20"
run on 2026-12-07 subscriber show "$binh"
check_has "the history shows the earlier day" "$OUT" "Revoked on: 01/12/2026 → 20/11/2026"
run on 2026-12-07 audit verify
check_rc 0 "the audit chain holds after every correction"

finish
