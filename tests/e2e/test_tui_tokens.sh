#!/bin/sh
# Tokens in the full-screen interface (issue 4), in tmux at 80x24 and 120x40: tokens added
# through the form (the subscriber picked from the roster); the list's search and
# filters; PIN changes of two marked tokens confirmed with one date; a loss through the
# guided form with its minutes; an action the token's state forbids neither offered nor
# accepted, with the reason; a departure whose two tokens are handed over (with the
# designation) and returned, each with its minutes (these three files read back by
# LibreOffice); a return of two tokens in one minutes; SIGHUP with a handover form open,
# then the draft restored, its minutes written later with m, a certificate recorded with
# c and a loan with n; two kyso changing one token (the stale change refused, the typed
# text kept); the dashboard's token cases opening the right token; a resize; bad input in
# the new token, certificate, handover, loss, PIN, return and loan forms (a date in the
# future or that does not exist, a serial that is not hex, required fields, a password or
# PIN in the text) refused next to its field with nothing written.  Each step checks the
# screen and the database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

setup_agency
must k agency edit --head "Trần Văn Thủ" >/dev/null
must k unit add "Văn phòng Sở" >/dev/null
AGENCY="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long"
an=$(add_person "Nguyễn Văn An" 086090001001 "an@$DOMAIN" --unit "Văn phòng Sở" --position "Văn thư")
binh=$(add_person "Lê Thị Bình" 086090001002 "binh@$DOMAIN" --position "Chuyên viên")
cuong=$(add_person "Trần Văn Cường" 086090001003 "cuong@$DOMAIN" --position "Kế toán")
org=$(must k subscriber add --kind org --name "Sở Nông nghiệp và Môi trường" --tax-code 1500123456 \
	--email "so@$DOMAIN")
DOCS=$TMP/kyso-documents

# --- helpers ---------------------------------------------------------------------------------

# start COLS ROWS: kyso in English, its documents under $TMP, at its first screen.
start() {
	tui_start "$1" "$2" HOME="$TMP" -- --lang en
	tui_wait "$AGENCY" || fail "kyso shows its first screen"
}

# line LABEL: the screen's row for a form's LABEL; below LABEL: the row under it.
line() { tui_screen | grep -m1 "^ $1" || true; }
below() { tui_screen | grep -m1 -A1 "^ $1" | tail -1; }

# add_token SERIAL SUBSCRIBER-WORDS RECEIVED [KEEPER-WORDS]: through the list's form (a),
# the subscriber and the keeper picked from the roster; back on the list after.
add_token() {
	tui_keys a
	tui_wait "New token" 5
	tui_type "$1"
	tui_keys Tab Tab Tab
	tui_type "$2"
	tui_keys Enter
	if [ -n "${4:-}" ]; then
		tui_type "$4"
		# F3 goes on to the first empty field (the last PIN change): back one
		tui_keys F3 BTab
	else
		tui_keys Tab Tab
	fi
	tui_keys C-u
	tui_type "$3"
	tui_keys F2
	tui_wait "Token: $1" 5 || fail "the token $1 is added"
	tui_keys Escape
	tui_wait "Tokens" 5
}

# open_token SERIAL: from the list, the search, the token opened.
open_token() {
	tui_keys /
	tui_type "$1"
	tui_keys Enter Enter
	tui_wait "Token: $1" 5 || fail "the list opens $1"
}

# clear_search: the list's search emptied (from the list).
clear_search() { tui_keys / C-u Enter; }

tok() { sql "select id from token where serial = '$1'"; }
doc_files() { sql "select count(*) from document where kind = '$1'"; }

# answer_minutes: Yes to the offer, the file name as offered; the number shown.
answer_minutes() {
	tui_expect_text "$1: the minutes are offered at once" "Write them now?"
	tui_keys y
	tui_wait "Write the minutes" 5
	tui_keys Enter
	tui_expect_text "$1: the minutes' number and file are shown" "written: $DOCS/"
	tui_keys Enter
}

# --- adding tokens, 80x24 ------------------------------------------------------------------------

start 80 24
tui_keys t
tui_expect "t opens the token list" "No tokens yet: a (or F7) adds one."
tui_keys a
tui_expect "a opens the form" "New token"
tui_keys F2
tui_expect "an empty form is refused" "Not recorded:"
check_has "the serial's problem is under it" "$(below 'Serial')" "is required"
check_has "the subscriber's too" "$(below 'Subscriber')" "is required"
check_eq "nothing is written" "$(rows token)" 0
tui_type "TK-0001"
tui_keys Tab Tab
tui_type "ePass2003"
tui_keys Tab
tui_type "nguyen van an"
tui_keys Enter
tui_expect "Enter on the subscriber picks from the roster" "From the roster: Nguyễn Văn An"
check_has "the subscriber's name fills the field" "$(line 'Subscriber')" "Nguyễn Văn An"
tui_keys Tab Tab C-u
tui_type "01/06/2026"
tui_keys F2
tui_expect "the token is added and opened" "Token: TK-0001"
tui_expect "its history starts with its receipt" "Received, by"
check_eq "the token is in the database, kept by its subscriber" \
	"$(sql "select subscriber_id, model, keeper_subscriber_id, state, received_on from token where serial = 'TK-0001'")" \
	"$an|ePass2003|$an|in_use|2026-06-01"
tui_keys Escape
add_token TK-0002 "so nong nghiep" 01/06/2026 "nguyen van an"
check_eq "the agency's token is kept by the clerk picked with F3" \
	"$(sql "select subscriber_id, keeper_subscriber_id, keeper_name, keeper_position from token where serial = 'TK-0002'")" \
	"$org|$an|Nguyễn Văn An|Văn thư"
add_token TK-0003 "tran van cuong" 01/06/2026
add_token TK-0004 "le thi binh" 01/06/2026
add_token TK-0005 "tran van cuong" 01/06/2026
# this one's PIN is overdue (Art. 13.3: six months from 01/03/2026)
add_token TK-0006 "tran van cuong" 01/03/2026
check_eq "six tokens" "$(rows token)" 6

# --- the list: search and filters ------------------------------------------------------------------

tui_expect_line "the list shows the serial, subscriber, keeper, state and PIN due" "TK-0002" \
	" +TK-0002 +Sở Nông nghiệp và… +Nguyễn Văn An +In use +01/12/2026"
tui_expect_line "an overdue PIN is marked \"!\"" "TK-0006" " +TK-0006 .* In use +! 01/09/2026"
tui_expect "the counts by state head the list" "In use 6 · Locked 0 · Lost 0"
tui_keys /
tui_type "cuong"
tui_expect "the search narrows as typed: 3 of Cường's" "1/3"
tui_expect_not "and no other" "TK-0001"
tui_keys Escape
tui_expect "Esc clears it" "1/6"
tui_keys F6
tui_type "nguyen van an"
tui_keys Enter
tui_expect "F6 filters by keeper" "Keeper: nguyen van an"
tui_expect "the clerk keeps two" "1/2"
tui_expect_not "Bình's is not listed" "TK-0004"
tui_keys F6 C-u Enter
tui_expect "(the filter is cleared)" "1/6"

# --- PIN changes of two marked tokens (Art. 13.3) ----------------------------------------------

tui_keys Home Space Down Space
tui_expect "Space marks tokens" "2 marked"
tui_keys p
tui_expect "p asks for the date once" "PIN changed"
tui_keys C-u
tui_type "20/11/2026"
tui_keys F2
tui_expect "both are confirmed" "PIN change confirmed for 2 token(s) on 20/11/2026"
check_eq "both have the date, the others none" \
	"$(sql "select group_concat(serial || '=' || coalesce(pin_changed_on, '-'), ' ') from (select * from token order by serial)")" \
	"TK-0001=2026-11-20 TK-0002=- TK-0003=2026-11-20 TK-0004=- TK-0005=- TK-0006=-"
tui_expect_line "the list shows the new due date" "TK-0003" " +TK-0003 +.*20/05/2027"

# --- a loss, guided (Art. 13.5), with its minutes --------------------------------------------------

open_token TK-0003
tui_keys l
tui_expect "l opens the loss" "a lost token is reported to the department at once"
tui_keys F2
tui_expect "what happened is asked for" "Not recorded: 1 problem(s)"
check_has "next to its field" "$(below 'Circumstances')" "is required"
tui_keys Up Up C-u
tui_type "Hội trường tầng 2"
tui_keys Tab
tui_type "Không tìm thấy khi cần ký văn bản"
tui_keys Tab
tui_type "Để quên sau cuộc họp"
tui_keys Tab
tui_type "Trần Văn Thủ"
tui_keys F2
answer_minutes "the loss"
tui_expect "the token is lost" "Lost since 25/11/2026"
tui_expect "the history names the minutes" "Minutes No. 01/"
check_eq "the loss is recorded with where, how and who" \
	"$(sql "select to_state, place, discovered, circumstances, authorised_by from token_step where token_id = $(tok TK-0003) and action = 'lose'")" \
	"lost|Hội trường tầng 2|Không tìm thấy khi cần ký văn bản|Để quên sau cuộc họp|Trần Văn Thủ"
check_eq "its minutes are in the register, linked to the step" \
	"$(sql "select d.kind, d.number from document d join token_step s on s.document_id = d.id where s.token_id = $(tok TK-0003)")" \
	"minutes_lost|1"
file=$(sql "select file_name from document where kind = 'minutes_lost'")
if [ -s "$DOCS/$(basename "$file")" ]; then pass "the minutes' file exists"; else fail "the minutes' file exists ($file)"; fi
check_eq "the documents folder is private" "$(stat -c %a "$DOCS")" 700
check_eq "a revocation request is left to do" \
	"$(sql "select count(*) from follow_up where token_id = $(tok TK-0003) and kind = 'revocation_request' and closed_on is null")" 1

# --- a forbidden action: not offered, and refused with the reason -------------------------------

before=$(table_sum token token_step)
tui_keys h
tui_expect_text "h on a lost token is refused, saying why" \
	"Handed over is not possible for a token that is Lost"
tui_keys a
tui_expect "the actions offered are those of a lost token" "Found (Art. 13.5)"
tui_expect_not "a handover is not offered" "Handed over (Art. 14.4)"
tui_keys Escape
check_eq "nothing was written" "$(table_sum token token_step)" "$before"
tui_keys Escape

# --- a departure with two tokens: one handed over with its designation, one returned ----------

clear_search
tui_keys Escape Escape
tui_wait "To do" 5
tui_keys r /
tui_type "nguyen van an"
tui_keys Enter Enter
tui_expect "the subscriber shows the tokens they keep" "TK-0002"
tui_keys d F2
tui_expect "the departure continues into the handover of the tokens" "Handover of tokens"
tui_expect_text "their own token goes back by default" "TK-0001 Return to the department"
tui_expect_text "the agency's token goes to the successor by default" "Hand over, with its password"
tui_keys Tab Tab Tab
tui_type "le thi binh"
tui_keys F3
tui_type "20/QĐ-SNNMT"
tui_keys F2
tui_expect "the password's handover must be confirmed" "confirm that the password was handed over"
check_eq "nothing of it was written" \
	"$(sql "select count(*) from token_step where action in ('handover', 'return')")" 0
tui_keys Enter
tui_wait "Filter:" 5
tui_type "yes"
tui_keys Enter
tui_type "Phạm Văn Dũng"
tui_keys F2
answer_minutes "the handover"
answer_minutes "the return"
tui_expect "back on the subscriber, their departure is complete" "Departed: Left on 25/11/2026"
tui_expect_not "nothing is unaccounted" "Departure incomplete"
check_eq "TK-0002 went to the successor, with the designation and the password" \
	"$(sql "select s.party_name, s.party_position, s.ref, s.authorised_by, s.password_handed, t.keeper_name, t.pin_pending from token_step s join token t on t.id = s.token_id where t.serial = 'TK-0002' and s.action = 'handover'")" \
	"Lê Thị Bình|Chuyên viên|20/QĐ-SNNMT|Trần Văn Thủ|1|Lê Thị Bình|1"
check_eq "TK-0001 went back to the department" \
	"$(sql "select t.state, s.party_name, s.reason from token_step s join token t on t.id = s.token_id where t.serial = 'TK-0001' and s.action = 'return'")" \
	"returned|Phạm Văn Dũng|departure"
check_eq "one handover and one return minutes, each linked to its step" \
	"$(sql "select group_concat(d.kind || ':' || t.serial, ' ') from token_step s join document d on d.id = s.document_id join token t on t.id = s.token_id where s.action in ('handover', 'return') order by d.id")" \
	"minutes_handover:TK-0002 minutes_return:TK-0001"
check_eq "the departure's follow-ups are closed" \
	"$(sql "select count(*) from follow_up where kind = 'departure' and closed_on is null")" 0
# Each file is named by the minutes' number: 01 the loss, 02 the handover, 03 the return.
check_eq "the files are there, named by their numbers" "$(ls "$DOCS" | grep -c 'bien-ban-2026-0[23]-BB-SNNMT\.docx')" 2
# The three minutes the interface wrote, read back by LibreOffice as an officer opens them.
mkdir -p "$TMP/home" "$TMP/txt"
HOME=$TMP/home soffice --headless --convert-to txt:Text --outdir "$TMP/txt" "$DOCS"/*.docx \
	>"$TMP/soffice.log" 2>&1
judge "LibreOffice reads the three minutes the interface wrote" $? "exit 0" "$(cat "$TMP/soffice.log")"
txt=$(cat "$TMP"/txt/bien-ban-2026-01-BB-SNNMT.txt 2>/dev/null)
for t in "Số: 01/BB-SNNMT" "ngày 25 tháng 11 năm 2026" "TK-0003" "Trần Văn Cường" \
	"Nơi thất lạc: Hội trường tầng 2." "Hoàn cảnh thất lạc: Để quên sau cuộc họp."; do
	check_has "the lost-token minutes say \"$t\"" "$txt" "$t"
done
txt=$(cat "$TMP"/txt/bien-ban-2026-02-BB-SNNMT.txt 2>/dev/null)
for t in "Số: 02/BB-SNNMT" "TK-0002" "Ông (bà): Nguyễn Văn An" "Ông (bà): Lê Thị Bình" \
	"20/QĐ-SNNMT" "cùng mật khẩu truy cập"; do
	check_has "the handover minutes say \"$t\"" "$txt" "$t"
done
txt=$(cat "$TMP"/txt/bien-ban-2026-03-BB-SNNMT.txt 2>/dev/null)
for t in "Số: 03/BB-SNNMT" "TK-0001" "Ông (bà): Phạm Văn Dũng"; do
	check_has "the return minutes say \"$t\"" "$txt" "$t"
done
tui_keys F10
check_eq "F10 quits" "$(tui_wait_exit)" 0
tui_stop

# --- 120x40: a return of two tokens in one minutes, a resize ------------------------------------

start 120 40
tui_keys t
tui_expect "at 120 columns the unit and kind show too" "Kind"
tui_expect_line "(the org's token, with its unit column)" "TK-0002" " +TK-0002 .*In use .*USB token.*"
tui_keys /
tui_type "le thi binh"
tui_keys Enter
tui_expect "(Bình keeps two now)" "1/2"
tui_keys Space Space
tui_keys R
tui_expect "R returns the marked tokens" "Return to the department"
tui_expect_text "both are named" "TK-0002, TK-0004"
tui_type "Phạm Văn Dũng"
tui_keys Tab Tab Enter
tui_wait "Filter:" 5
tui_type "expired"
tui_keys Enter
tui_resize 80 24
tui_expect "a resize keeps the form and what was typed" "Phạm Văn Dũng"
tui_keys F2
answer_minutes "the return of two"
check_eq "both are returned" \
	"$(sql "select group_concat(state, ' ') from token where serial in ('TK-0002', 'TK-0004')")" "returned returned"
check_eq "in one minutes for both" \
	"$(sql "select count(distinct document_id) || ':' || count(*) from token_step where action = 'return' and token_id in ($(tok TK-0002), $(tok TK-0004))")" \
	"1:2"
tui_keys F10
check_eq "(quit)" "$(tui_wait_exit)" 0
tui_stop

# --- SIGHUP with a handover form open; the draft restored -----------------------------------------

start 80 24
tui_keys t
open_token TK-0006
tui_keys h
tui_expect "h opens the handover" "Art. 14.4"
tui_type "le thi binh"
tui_keys F3
tui_type "31/QĐ-SNNMT"
tui_signal HUP
check_eq "SIGHUP ends kyso with 129" "$(tui_wait_exit)" 129
check_eq "the handover is kept as a draft, as typed" \
	"$(sql "select form, json_extract(fields, '\$.action'), json_extract(fields, '\$.party_name'), json_extract(fields, '\$.ref') from draft")" \
	"token_act|handover|Lê Thị Bình|31/QĐ-SNNMT"
tui_stop
start 80 24
tui_expect_text "the next start offers it" "a change of token TK-0006 (Handed over). Restore what was typed?"
tui_keys Enter
tui_expect "the form comes back with the text" "31/QĐ-SNNMT"
check_has "every field" "$(line 'Successor')" "Lê Thị Bình"
check_eq "the draft is deleted" "$(rows draft)" 0
tui_keys Escape
tui_expect "Esc on the restored form asks first" "Discard changes?"
tui_keys n F2
tui_expect "the restored form is checked as any" "confirm that the password was handed over"
tui_keys Enter
tui_wait "Filter:" 5
tui_type "yes"
tui_keys Enter F2
tui_expect_text "the restored handover is recorded" "Write them now?"
tui_keys n
check_eq "it is in the database" \
	"$(sql "select keeper_name from token where serial = 'TK-0006'")" "Lê Thị Bình"
check_eq "and its minutes are missing" \
	"$(sql "select count(*) from token_step where action = 'handover' and document_id is null")" 1
tui_keys End
tui_expect "the token says so" "Minutes missing: m writes them"
tui_keys m
answer_minutes "m on the handover without minutes"
check_eq "m wrote the handover's minutes, linked to its step" \
	"$(sql "select d.kind || ':' || d.number from token_step s join document d on d.id = s.document_id where s.token_id = $(tok TK-0006) and s.action = 'handover'")" \
	"minutes_handover:5"
tui_expect "the history names them instead" "Minutes No. 05/BB-SNNMT"
tui_expect_not "and no longer says they are missing" "Minutes missing"
tui_keys c
tui_wait "Certificate: TK-0006" 5
tui_type "54:03:ab:99"
tui_keys Tab Tab
tui_type "01/06/2026"
tui_keys Tab
tui_type "31/05/2028"
tui_keys F2
tui_expect "c records the certificate, shown on the token" "5403AB99"
check_eq "the certificate is on the token, its subscriber's, hex in upper case" \
	"$(sql "select serial, not_before, not_after, status, subscriber_id from certificate where token_id = $(tok TK-0006)")" \
	"5403AB99|2026-06-01|2028-05-31|valid|$cuong"
tui_keys n
tui_wait "Art. 14.3" 5
check_has "80x24: the loan dialog's buttons are on one line" "$(tui_line "[ Record ]")" "[ Cancel ]"
tui_type "Võ Văn Mượn"
tui_keys Tab Tab
tui_type "Trần Văn Thủ"
tui_keys Tab
tui_type "7/GP-SNNMT"
tui_keys Tab
tui_type "30/11/2026"
tui_keys F2
tui_expect "n lends the token with the written permission" "Lent recorded for token TK-0006"
check_eq "the borrower holds it until the day, the keeper stays" \
	"$(sql "select keeper_name || '|' || holder_name || '|' || loan_until from token where serial = 'TK-0006'")" \
	"Lê Thị Bình|Võ Văn Mượn|2026-11-30"
check_eq "the step records the permission and who gave it" \
	"$(sql "select ref || '|' || authorised_by from token_step where token_id = $(tok TK-0006) and action = 'lend'")" \
	"7/GP-SNNMT|Trần Văn Thủ"
tui_keys F10
check_eq "(quit)" "$(tui_wait_exit)" 0
tui_stop

# --- two kyso on one token: the stale change refused, the text kept ------------------------------

start 80 24
one=$TUI_SESSION
tui_keys t
open_token TK-0005
tui_keys l
tui_wait "Art. 13.5" 5
tui_type "Nhà xe"
tui_keys Tab Tab
tui_type "Mất cùng túi xách"
start 80 24
two=$TUI_SESSION
tui_keys t
open_token TK-0005
tui_keys a
tui_wait "What happened to the token?" 5
tui_type "locked"
tui_keys Enter
tui_wait "Art. 6" 5
tui_keys F2
tui_expect "the second kyso locks the token" "Locked recorded for token TK-0005"
tui_use "$one"
tui_keys F2
tui_expect_text "the first kyso's loss is refused as stale" "was changed by someone else"
tui_keys n
tui_wait_gone "Changed by someone else" 5
tui_expect "what was typed is still there" "Mất cùng túi xách"
check_eq "the database has the lock only" \
	"$(sql "select state || ':' || (select count(*) from token_step where token_id = t.id and action = 'lose') from token t where serial = 'TK-0005'")" \
	"locked:0"
tui_keys F2
tui_expect_text "saving again offers to record on the token as it is now" "Record it on the token as it is now?"
tui_keys y
tui_expect_text "the loss of a locked token is recorded" "Write them now?"
tui_keys n
check_eq "lost from locked, with what was typed" \
	"$(sql "select s.from_state, s.to_state, s.place, s.circumstances from token_step s join token t on t.id = s.token_id where t.serial = 'TK-0005' and s.action = 'lose'")" \
	"locked|lost|Nhà xe|Mất cùng túi xách"
tui_stop

# --- a departure left for later, through SIGTERM and a restored draft -------------------------

start 80 24
tui_keys r /
tui_type "tran van cuong"
tui_keys Enter Enter
tui_wait "Subscriber: Trần Văn Cường" 5
tui_keys d F2
tui_expect "Cường's departure walks the token he still has" "Handover of tokens"
tui_expect "(his token in use, not the lost ones)" "TK-0006"
tui_expect_not "(a lost token is not asked about)" "TK-0003"
# his own token goes back by default: who receives it at the department
tui_keys Tab Tab
tui_type "Đỗ Văn Em"
tui_signal TERM
check_eq "SIGTERM ends kyso with 143" "$(tui_wait_exit)" 143
check_eq "the departure's handover is kept as a draft" \
	"$(sql "select form, subscriber_id, json_extract(fields, '\$.\"return.party_name\"') from draft")" \
	"token_handover|$cuong|Đỗ Văn Em"
tui_stop
start 80 24
tui_expect_text "the next start offers it" "the handover of the tokens of Trần Văn Cường (#$cuong)"
tui_keys Enter
tui_expect "the handover comes back with what was typed" "Đỗ Văn Em"
tui_keys Home Enter
tui_wait "Filter:" 5
tui_type "later"
tui_keys Enter F2
tui_expect "left for later, nothing is recorded for it" "0 token(s) handed over, 0 returned, 1 left for later"
tui_expect "the subscriber's screen says the departure is incomplete" \
	"Departure incomplete: 1 token(s) unaccounted"
check_eq "the token stays unaccounted for" \
	"$(sql "select count(*) from follow_up where kind = 'departure' and subscriber_id = $cuong and closed_on is null")" 1
tui_keys F10
check_eq "(quit)" "$(tui_wait_exit)" 0
tui_stop

# --- the dashboard's token cases open the token -------------------------------------------------

# open_check TITLE: a click on the due list's line with TITLE, and a second to open it.
open_check() {
	_y=$(($(tui_screen | grep -n -F -- "$1" | head -1 | cut -d: -f1) - 1))
	tui_click 5 "$_y"
	tui_click 5 "$_y"
	tui_wait "Cases" 5 || fail "the check \"$1\" opens its cases"
}

# case_serial: the serial the selected case names (its full text under the list).
case_serial() { tui_screen | tail -5 | grep -o 'TK-[0-9]*' | head -1; }

start 120 40
tui_expect_line "the due list counts the tokens whose new holder has not changed the PIN" \
	"New holder has not changed" " ! New holder has not changed the PIN +1 +Art\. 14\.4"
tui_expect_line "and the lost tokens without a revocation request" "Lost token without" \
	" ! Lost token without revocation request or minutes +2 +Art\. 13\.5"
tui_expect_line "and the departed subscriber's token" "Departed subscriber's token" \
	" ! Departed subscriber's token not handed over or returned +1 +Art\. 14\.4"
open_check "New holder has not changed the PIN"
tui_expect "the case names the token" "TK-0006"
tui_keys Enter
tui_expect "Enter on it opens that token" "Token: TK-0006"
tui_keys Escape Escape
tui_wait "To do" 5
open_check "Lost token without revocation"
serial=$(case_serial)
check_match "the first case names a lost token" "$serial" "TK-000[35]"
tui_keys Enter
tui_expect "Enter opens the token of that case" "Token: $serial"
tui_expect "the token's screen says it is lost" "Lost since"
tui_keys Escape Down
serial2=$(case_serial)
check_ne "the second case is the other lost token" "$serial2" "$serial"
tui_keys Enter
tui_expect "and Enter opens it" "Token: $serial2"
tui_keys Escape Escape
tui_wait "To do" 5
tui_keys t
tui_expect "t opens the token list from the dashboard" "In use 1 · Locked 0 · Lost 2"
tui_keys F3
tui_wait "Show the tokens that are" 5
tui_type "lost"
tui_keys Enter
tui_expect "F3 filters by state" "State: Lost"
tui_expect "the two lost tokens" "1/2"
tui_expect_line "(Cường's lost token is listed)" "TK-0005" " +TK-0005 .*Lost.*"
tui_expect_not "the token in use is not" "TK-0006"
tui_keys F3
tui_wait "Show the tokens that are" 5
tui_type "any"
tui_keys Enter
tui_expect "(the state filter is cleared)" "1/6"
tui_keys F4
tui_wait "Show the tokens of the subscriber" 5
tui_type "van phong"
tui_keys Enter
tui_expect "F4 filters by the subscriber's unit" "Unit: Văn phòng Sở"
tui_expect "only An's token is of that unit" "1/1"
tui_expect_line "(An's returned token)" "TK-0001" " +TK-0001 .*Returned.*"
tui_keys q
tui_expect "q closes the token list" "To do"
tui_quit "(quit)" q
tui_stop

# --- bad input in the token forms: each problem next to its field, nothing written ----------

# refused DESC LABEL TEXT: F2 on the open form (or dialog) is refused with TEXT under the
# field LABEL.
refused() {
	tui_keys F2
	tui_expect "$1: refused" "Not recorded:"
	check_has "$1: the problem is next to its field" "$(tui_screen | grep -m1 -A3 -E "^ $2|│ $2" | tr -s ' ')" "$3"
}

before=$(db_dump)
start 80 24
tui_keys t a
tui_wait "New token" 5
tui_type "TK-0099"
tui_keys Tab Tab Tab
tui_type "le thi binh"
tui_keys Enter Tab Tab C-u
tui_type "01/01/2027"
tui_keys Tab Tab
tui_type "mật khẩu: 24681357"
refused "a new token received in the future" "Received on" "! 01/01/2027 is in the future"
refused "a new token's note holding a password" "Note" "! looks like it holds a password or PIN"
tui_keys Escape
tui_expect "Esc on the refused form asks first" "Discard changes?"
tui_keys y
tui_wait "Tokens" 5
open_token TK-0006
tui_keys c
tui_wait "Certificate: TK-0006" 5
tui_type "XYZ"
tui_keys Tab Tab
tui_type "30/02/2026"
refused "a certificate whose serial is not hex" "Serial" '! "XYZ" is not a certificate serial'
refused "a certificate valid from a day that does not exist" "Valid from" \
	'! "30/02/2026" is not a real date'
tui_keys Escape
tui_wait "Discard changes?" 5 && tui_keys y
tui_wait "Token: TK-0006" 5
tui_keys h
tui_wait "Art. 14.4" 5
refused "an empty handover: the successor" "Successor" "! is required"
refused "an empty handover: the position" "Position" "! is required"
refused "an empty handover: the designation" "Designation" "! is required"
refused "an empty handover: the password's handover" "Password handed over" \
	"! confirm that the password was handed over"
tui_keys Escape
tui_wait "Discard changes?" 1 && tui_keys y
tui_wait "Token: TK-0006" 5
tui_keys l
tui_wait "Art. 13.5" 5
tui_keys Up C-u
tui_type "01/12/2026"
tui_keys Tab Tab Tab
tui_type "Mất cùng tờ giấy ghi mã PIN là 86421357"
refused "a loss in the future" "Date" "! 01/12/2026 is in the future"
refused "circumstances holding the PIN" "Circumstances" "! looks like it holds a password or PIN"
tui_keys Escape
tui_wait "Discard changes?" 5 && tui_keys y
tui_wait "Token: TK-0006" 5
tui_keys p C-u
tui_type "01/12/2026"
refused "a PIN change in the future" "Date" "! 01/12/2026 is in the future"
tui_keys Escape
tui_wait "Discard changes?" 1 && tui_keys y
tui_wait_gone "PIN changed" 5
tui_keys r
tui_wait "Handed back to the department" 5
tui_keys Up C-u
tui_type "01/12/2026"
refused "a return in the future" "Date" "! 01/12/2026 is in the future"
tui_keys Escape
tui_wait "Discard changes?" 5 && tui_keys y
tui_wait "Token: TK-0006" 5
tui_keys n
tui_wait "Art. 14.3" 5
refused "an empty loan: the borrower" "Borrower" "! is required"
refused "an empty loan: who permitted it" "Permitted by" "! is required"
refused "an empty loan: the permission" "Permission" "! is required"
refused "an empty loan: until when" "Until" "! is required"
tui_keys Escape
tui_wait "Discard changes?" 1 && tui_keys y
tui_quit "(quit)"
tui_stop
check_eq "none of the refused forms wrote anything" "$(db_dump)" "$before"
check_eq "the password and the PIN typed are not in the database's bytes" \
	"$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c -a -e 24681357 -e 86421357)" 0

# --- a lent token says to whom, until when and by what permission (issue 11.8) -------------

vy=$(add_person "Hồ Thị Vy" 086190009999 "vyht@$DOMAIN")
must k token add --serial TK-0100 --subscriber "$vy" --received 2026-11-01 >/dev/null
must k token lend --serial TK-0100 --to-name "Võ Văn Mượn" --permission 7/GP \
	--permitted-by "Phạm Văn Giám" --until 2026-12-15 --date 2026-11-20 >/dev/null
must k cert add --serial AB12 --token TK-0100 --from 2026-11-01 --to 2029-10-31 >/dev/null
start 120 40
tui_keys t
tui_wait "TK-0100" 5
tui_keys End
tui_expect "the list says the token is lent, to whom, until when, by what permission" \
	"TK-0100: lent to Võ Văn Mượn until 15/12/2026, permission 7/GP"
tui_keys Enter
tui_expect "the token's screen says the same" \
	"lent to Võ Văn Mượn until 15/12/2026, permission 7/GP (given by Phạm Văn Giám)"

# A date recorded wrong is corrected where it shows (issue 11.1): the loan's day and end.
tui_keys e
tui_expect "e offers the dates to correct" "Correct which date?"
tui_expect "the loan is among them, with its end" "20/11/2026  Lent, until 15/12/2026"
tui_expect "and the certificate" "Certificate AB12: valid 01/11/2026 – 31/10/2029"
tui_keys Enter
tui_expect "the day recorded is offered" "Recorded on (dd/mm/yyyy): 20/11/2026"
tui_type "19/11/2026"
tui_keys Enter
tui_expect "then the loan's end" "Lent until (dd/mm/yyyy): 15/12/2026"
tui_type "20/12/2026"
tui_keys Enter
tui_expect "the correction is said" "Date corrected; the earlier one is kept in the history."
check_eq "the step's day and the loan's end are corrected" \
	"$(sql "select s.on_date || '|' || t.loan_until from token_step s join token t on t.id = s.token_id where t.serial = 'TK-0100' and s.action = 'lend'")" \
	"2026-11-19|2026-12-20"
tui_expect "the screen shows the corrected end" "until 20/12/2026"
tui_keys e
tui_wait "Correct which date?" 5
tui_type "certificate"
tui_keys Enter
tui_expect "a certificate's validity is offered" "Valid from (dd/mm/yyyy): 01/11/2026"
tui_keys Enter
tui_type "31/10/2028"
tui_keys Enter
tui_expect "(corrected)" "Date corrected"
check_eq "the certificate's end is corrected" \
	"$(sql "select not_before || '|' || not_after from certificate where serial = 'AB12'")" "2026-11-01|2028-10-31"
check_eq "both corrections are audited" \
	"$(sql "select count(*) from audit where action in ('token.correct', 'cert.correct')")" 2
tui_quit "(quit)"
tui_stop

finish
