#!/bin/sh
# Certificates and settings through the command line: cert add on a token or a
# subscriber, serials normalised, validity limits, a revocation from its notice; the due
# list's renewals (Art. 5.3.b) and the 5 working days to hand a token back (Art. 5.3.c);
# a lost token's revocation closed by the certificate's; settings checked before they are
# stored; every refusal exits 3 with the database unchanged.
. "$(dirname "$0")/lib.sh"

setup_agency
an=$(add_person "Nguyễn Văn An" 086090001235 "annv@$DOMAIN")
binh=$(add_person "Đặng Thị Bình" 086190001236 "binhdt@$DOMAIN")
must k token add --serial TK-A --subscriber "$an" --received 2025-01-10 >/dev/null
must k token add --serial TK-B --subscriber "$binh" --received 2025-01-10 >/dev/null

# --- adding ---------------------------------------------------------------------------------

run k cert add --serial "54:03:f1:0a:9b" --token TK-A --from 2025-01-10 --to 2027-01-09 \
	--subject "CN=Nguyễn Văn An" --issuer "CA phục vụ các cơ quan nhà nước"
check_added "cert add on a token"
ca=$OUT
check_eq "the serial is kept as hex, upper case, without separators" \
	"$(sql "select serial || '|' || subscriber_id || '|' || issuance from certificate where id = $ca")" \
	"5403F10A9B|$an|new"
check_eq "the issue is an event dated as the certificate" \
	"$(sql "select on_date from event where kind = 'cert.issued' and certificate_id = $ca")" "2025-01-10"
refused_unchanged "a renewal valid more than 3 years" ken cert add --serial 77AA --subscriber "$binh" \
	--from 2024-03-01 --to 2027-03-02 --issuance renew
check_has "the limit is said" "$ERR" "more than 3 years after the start (01/03/2027 at most for Renewal)"
run k cert add --serial 77AA --token TK-B --from 2024-11-20 --to 2026-11-19
check_added "cert add of a certificate that has expired"
refused_unchanged "a serial recorded already" ken cert add --serial "54 03 F1 0A 9B" --token TK-B \
	--from 2025-01-10 --to 2026-01-09
check_has "the problem says so" "$ERR" "is recorded already"
refused_unchanged "a certificate on another subscriber's token" ken cert add --serial 99 --token TK-A \
	--subscriber "$binh" --from 2025-01-10 --to 2026-01-09
check_has "the problem names the owner" "$ERR" "belongs to subscriber #$an"
refused_unchanged "a serial that is not hex, dates out of order, revoked without a date" \
	ken cert add --serial "XYZ" --subscriber "$an" --from 2026-01-10 --to 2025-01-09 --status revoked
check_has "the serial" "$ERR" "is not a certificate serial"
check_has "the dates" "$ERR" "is not after the start of validity"
check_has "the revocation date" "$ERR" "Revoked on: is required"
run ken cert add --serial 12 --from 2025-01-10 --to 2026-01-09
check_rc 2 "cert add without --token or --subscriber is a usage error"
refused_unchanged "a serial of 65 hex digits" ken cert add --serial "$(printf '%065d' 0)" \
	--subscriber "$an" --from 2025-01-10 --to 2026-01-09
check_has "the serial is refused as no serial" "$ERR" "is not a certificate serial"
refused_unchanged "a start that is no day, a PIN in the note" ken cert add --serial 5A --subscriber "$an" \
	--from 2025-02-30 --to 2026-01-09 --note "mã PIN là 13572468"
check_has "the start is named" "$ERR" 'Valid from: "2025-02-30" is not a real date'
check_has "and the note" "$ERR" "Note: looks like it holds a password or PIN"
check_lacks "the PIN is not repeated" "$ERR$OUT" "13572468"
refused_unchanged "a new certificate valid more than 5 years" ken cert add --serial 5A --subscriber "$an" \
	--from 2025-01-10 --to 2030-01-11
check_has "the limit is said" "$ERR" "more than 5 years after the start (10/01/2030 at most for New)"
refused_unchanged "a certificate revoked in the future" ken cert add --serial 5A --subscriber "$an" \
	--from 2025-01-10 --to 2026-01-09 --status revoked --revoked-on 2026-12-01
check_has "the revocation date is said to be in the future" "$ERR" "Revoked on: 01/12/2026 is in the future"
before=$(db_dump)
run ken cert add --serial 5A --token NOPE-1 --from 2025-01-10 --to 2026-01-09
check_rc 1 "a certificate on an unknown token exits 1"
check_has "and names the token" "$ERR" 'no token has the serial "NOPE-1"'
check_eq "and changes nothing" "$(db_dump)" "$before"

run ken cert list
check_rc 0 "cert list exits 0"
check_has "cert list shows the certificates" "$OUT" "5403F10A9B"
check_has "with their state" "$OUT" "Expired"
run k cert list --json
check_json "cert list --json: latest expiry first, states as of today" \
	"[(c['serial'], c['state']) for c in d] == [('5403F10A9B', 'expiring'), ('77AA', 'expired')]"
run k cert list --json --at 2026-11-01
check_json "cert list --at: expiring within 60 days of that day" \
	"[(c['serial'], c['state']) for c in d] == [('5403F10A9B', 'valid'), ('77AA', 'expiring')]"
run k cert list --json --token TK-B --state expired
check_json "cert list --token --state" "[c['serial'] for c in d] == ['77AA']"
run ken cert list --json --at 2026-02-30
check_rc 3 "cert list --at a day that does not exist exits 3"
check_has "and names it" "$ERR" '"2026-02-30" is not a real date'
check_eq "and prints no list" "$OUT" ""
run ken cert list --at 2026-02-30
check_rc 3 "cert list --at a day that does not exist exits 3 (human output)"
check_eq "and prints no list, not even its header" "$OUT" ""
run ken cert list --state bogus
check_rc 2 "cert list --state with an unknown state is a usage error"
check_has "and says which states there are" "$ERR" "--state takes valid, expiring, expired, revoked or not_yet"

# --- the due list ----------------------------------------------------------------------------

check_eq "a certificate ending in 45 days is expiring" "$(due_count cert_expiring)" 1
check_has "the detail says when" "$(due_details cert_expiring)" \
	"certificate 5403F10A9B on token TK-A expires on 09/01/2027, in 45 day(s); no renewal recorded"
run k cert add --serial 5403F10A9C --token TK-A --from 2026-11-20 --to 2029-11-19 --issuance renew
check_added "the renewal is recorded"
check_eq "the renewed certificate is no longer expiring" "$(due_count cert_expiring)" 0

check_eq "the expired certificate's token is to hand back" "$(due_count token_not_returned)" 1
check_has "by five working days after the expiry (Thu 19/11 -> Thu 26/11)" \
	"$(due_details token_not_returned)" \
	"certificate 77AA expired on 19/11/2026; hand token TK-B back by 26/11/2026"
check_has "and late after it" "$(due_details token_not_returned --at 2026-11-30)" \
	"token TK-B was due back by 26/11/2026: 2 working day(s) late"

# --- revocation ---------------------------------------------------------------------------------

must k token lost --serial TK-A --date 2026-11-23 --circumstances "Rơi mất khi đi công tác" >/dev/null
check_eq "(the loss waits for its revocation)" \
	"$(sql "select count(*) from follow_up where kind = 'revocation_request' and closed_on is null")" 1
refused_unchanged "a revocation before the certificate began" ken cert revoke --serial 5403F10A9C --date 2026-11-01
check_has "says since when it can be" "$ERR" "Revoked on: is before 20/11/2026"
refused_unchanged "a revocation in the future" ken cert revoke --serial 5403F10A9C --date 2026-12-01
check_has "says the date is in the future" "$ERR" "Revoked on: 01/12/2026 is in the future"
refused_unchanged "a notice dated before the revocation" ken cert revoke --serial 5403F10A9C \
	--date 2026-11-24 --notice-date 2026-11-23
check_has "the notice date is named" "$ERR" "Notice date: is before 24/11/2026"
refused_unchanged "a revocation whose reason holds a password" ken cert revoke --serial 5403F10A9C \
	--date 2026-11-24 --reason "mật khẩu: 97531864"
check_has "the reason is refused" "$ERR" "Reason: looks like it holds a password or PIN"
check_lacks "the password is not repeated" "$ERR$OUT" "97531864"
v=$(sql "select version from certificate where serial = '5403F10A9C'")
before=$(db_dump)
run ken cert revoke --serial 5403f10a9c --date 2026-11-24 --if-version $((v + 1))
check_rc 4 "a stale --if-version is a conflict"
check_eq "and changes nothing" "$(db_dump)" "$before"
run ken cert revoke --serial 5403f10a9c --date 2026-11-24 --reason "Mất thiết bị" \
	--notice-date 2026-11-25 --if-version "$v"
check_rc 0 "the revocation is recorded"
check_has "and says what follows" "$OUT" "Token TK-A goes back"
check_eq "the revocation is an event dated as the notice says" \
	"$(sql "select on_date from event where kind = 'cert.revoked'")" "2026-11-24"
check_eq "the lost token's revocation follow-up is closed" \
	"$(sql "select count(*) from follow_up where kind = 'revocation_request' and closed_on is null")" 0
check_has "the loss now misses only its minutes" "$(due_details lost_without_revocation)" \
	"token TK-A lost on 23/11/2026: no lost-token minutes"
refused_unchanged "revoking twice" ken cert revoke --serial 5403F10A9C --date 2026-11-25
check_has "says when it was" "$ERR" "was revoked already, on 24/11/2026"
run ken cert revoke --serial FFFF --date 2026-11-25
check_rc 1 "revoking an unknown certificate exits 1"
run ken token reuse --serial TK-A --date 2026-11-25
check_rc 3 "a token found... not even found: reuse is refused"
must k token find --serial TK-A --date 2026-11-25 >/dev/null
run ken token reuse --serial TK-A --date 2026-11-25
check_rc 3 "a token found after its certificate was revoked cannot be used again"
check_has "and says to hand it back" "$ERR" "found after revocation: hand it back"

# --- settings ---------------------------------------------------------------------------------------

run ken setting list
check_rc 0 "setting list exits 0"
check_has "it lists the PIN interval with its default" "$OUT" "pin_interval_months"
run k setting list --json
check_json "setting list --json: every known key with its value" \
	"{s['key']: s['value'] for s in d} == {'pin_interval_months': '6', 'pin_warn_days': '30',
	  'cert_warn_days': '60', 'form_set': 'nd68', 'language': 'vi',
	  'report_h1_deadline': '07-15', 'report_h2_deadline': '01-15',
	  'report_annual_deadline': '11-20', 'report_warn_days': '30',
	  'documents.dir': '~/kyso-documents'}"
check_json "and says which are defaults" "all(s['is_default'] for s in d)"
refused_unchanged "a PIN interval of 13 months" ken setting set pin_interval_months 13
check_has "the range is said" "$ERR" "from 1 to 12"
refused_unchanged "a deadline that is no day of the year" ken setting set report_annual_deadline 02-30
check_has "what a deadline is, is said" "$ERR" "MM-DD"
run k setting set report_annual_deadline 11-15
check_rc 0 "a deadline of another day is taken"
check_eq "and read back" "$(kyso --db "$DB" setting get report_annual_deadline)" "11-15"
run k setting set report_annual_deadline off
check_rc 0 "off: that report is not asked for"
check_eq "off reads back" "$(k setting get report_annual_deadline)" off
check_lacks "a year on, the due list asks for no annual report" \
	"$(due_details report_late --at 2027-11-25)" "the annual report"
run k setting set report_annual_deadline 11-20
check_has "set again, the annual report is late after 20/11" \
	"$(due_details report_late --at 2027-11-25)" "the annual report on 2027 was due by 20/11/2027"
refused_unchanged "an unknown form set" ken setting set form_set tt999
for bad in "pin_warn_days 366|is not a whole number from 0 to 365" \
	"cert_warn_days 0|is not a whole number from 1 to 365" \
	"report_warn_days 181|is not a whole number from 0 to 180" \
	"pin_interval_months abc|is not a whole number from 1 to 12" \
	"language fr|is not one of vi, en" \
	"report_h1_deadline 7-15|is not a day of the year written MM-DD" \
	"documents.dir |is empty"; do
	key=${bad%% *} rest=${bad#* }
	refused_unchanged "setting $key \"${rest%%|*}\"" ken setting set "$key" "${rest%%|*}"
	check_has "$key: the setting and what it takes are named" "$ERR" \
		"$key: \"${rest%%|*}\" ${rest#*|}"
done
refused_unchanged "an unknown key" ken setting set audit.head 0000
check_has "only settings can be set" "$ERR" "is not a setting"
run ken setting get audit.head
check_rc 3 "the store's own keys cannot be read as settings"
check_has "and says it is not a setting" "$ERR" "audit.head: is not a setting"
run k setting set cert_warn_days 10
check_rc 0 "cert_warn_days is set"
check_eq "it is read back" "$(k setting get cert_warn_days)" 10
check_eq "the change is audited" "$(sql "select count(*) from audit where action = 'setting.set' and subject = 'cert_warn_days'")" 1
run k cert list --json --at 2026-11-01 --state expiring
check_json "the certificates' warning follows the setting" "d == []"
run k setting set pin_interval_months 3
check_rc 0 "pin_interval_months is set"
check_eq "the PIN clock follows it" \
	"$(k token list --json --search TK-B | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["pin_due_on"])')" \
	"2025-04-10"
run ken setting set
check_rc 2 "setting set without a value is a usage error"

check_eq "the audit chain is intact" "$(k audit verify >/dev/null 2>&1; echo $?)" 0

finish
