#!/bin/sh
# A long session keeps working (issue 11.9, 11.8): one kyso in tmux at 80x24 takes 300 and
# more commands - every screen visited again and again (dashboard, cases, units, roster,
# a search, a subscriber, its form, the tokens, a token, its actions and date
# corrections, the reports, help, F5), while another kyso writes to the same file.  The
# process never fails ("the store's statement cache is full" or any error), the
# dashboard follows the other kyso's writes without a key, and the store is whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

setup_agency
must k unit add "Văn phòng Sở" >/dev/null
an=$(add_person "Nguyễn Văn An" 086090001001 "an@$DOMAIN" --unit "Văn phòng Sở")
binh=$(add_person "Lê Thị Bình" 086090001002 "binh@$DOMAIN")
must k token add --serial TK-0001 --subscriber "$an" --received 2026-06-01 >/dev/null
must k token add --serial TK-0002 --subscriber "$binh" --received 2026-06-01 >/dev/null

commands=0
# do KEYS... then wait for TEXT: one command of the session.
step() {
	_want=$1
	shift
	tui_keys "$@"
	commands=$((commands + 1))
	if ! tui_wait "$_want" 10; then
		fail "command $commands ($*): \"$_want\" shows"
		tui_screen | quote_all
		return 1
	fi
}

tui_start 80 24 HOME="$TMP" -- --lang en
tui_wait "To do" || fail "kyso shows its first screen"
round=0
failed=0
while [ "$round" -lt 12 ] && [ "$failed" -eq 0 ]; do
	round=$((round + 1))
	{
		step "Văn phòng Sở" u &&
		step "To do" Escape &&
		step "Search:" r &&
		step "Search:" F5 &&
		step "2/2" End &&
		step "1/2" Home &&
		step "Subscriber: Nguyễn Văn An" Enter &&
		step "Keys:" F1 &&
		step "Subscriber: Nguyễn Văn An" Escape &&
		step "Edit subscriber" e &&
		step "Subscriber: Nguyễn Văn An" Escape &&
		step "Search:" Escape &&
		step "To do" q &&
		step "Search:" / &&
		tui_type "le thi binh" &&
		step "Lê Thị Bình" Enter &&
		step "Subscriber: Lê Thị Bình" Enter &&
		step "To do" Escape Escape Escape &&
		step "TK-0002" t &&
		step "Token: TK-0001" Enter &&
		step "What happened to the token?" a &&
		step "Token: TK-0001" Escape &&
		step "Correct which date?" e &&
		step "Token: TK-0001" Escape &&
		step "Keys:" F1 &&
		step "Token: TK-0001" Escape &&
		step "Locked 0" Escape &&
		step "To do" q &&
		step "Reports to the department" b &&
		step "To do" Escape &&
		step "Cases" Home Down Enter &&
		step "To do" Escape &&
		step "Refreshed." F5
	} || failed=1
	# Meanwhile another kyso writes: the dashboard follows without a key.
	must k subscriber edit "$an" --note "lần $round" >/dev/null
done
check_eq "the session took 300 commands and more, each showing what it should" \
	"$([ "$commands" -ge 300 ] && echo yes || echo "$commands")" yes
tui_expect_not "no error was ever shown" "statement cache"
must k subscriber add --kind person --name "Trần Văn Cường" --id-number 086090001003 \
	--position "Chuyên viên" --email "cuong@$DOMAIN" >/dev/null
tui_expect_line "the dashboard counts another kyso's new subscriber without a key" \
	"All subscribers" " *All subscribers +3 +0 +3"
tui_quit "after it all, kyso quits normally" q
tui_stop
check_eq "the store is whole" "$(sql 'pragma integrity_check')" ok
check_eq "the audit chain is intact" "$(k audit verify >/dev/null 2>&1; echo $?)" 0

finish
