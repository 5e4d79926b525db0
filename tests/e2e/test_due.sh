#!/bin/sh
# The due list: every check is shown, also at 0; a missing focal-point officer (Art. 9.4);
# e-mail addresses outside the agency's domain (Art. 5.1.b) follow `agency edit`, accept
# sub-domains, skip departed subscribers; --json's shape; --at is checked.
. "$(dirname "$0")/lib.sh"

# due_count CHECK: the count --json gives for CHECK (empty when it is missing).  Meant for
# $(...): $OUT of the caller is not changed.
due_count() {
	run k due --json
	json_get "[c['count'] for c in d if c['check'] == '$1'][0]"
}

setup_agency

# --- focal point (Art. 9.4) ------------------------------------------------------------

run k due --json
check_rc 0 "due --json on a fresh agency exits 0"
check_json "a fresh agency has no focal point: no_focal_point count 1" \
	"[c['count'] for c in d if c['check'] == 'no_focal_point'] == [1]"
check_json "the no_focal_point item is about the agency, not a subscriber" \
	"[(i['subscriber_id'], bool(i['detail'])) for c in d if c['check'] == 'no_focal_point'
	  for i in c['items']] == [(None, True)]"

run ken due
check_rc 0 "due exits 0"
check_has "the human list names the focal-point check" "$OUT" "No focal-point officer recorded"
check_has "the human list shows its rule" "$OUT" "Art. 9.4"
check_has "the human list names the e-mail check, even at 0" "$OUT" \
	"E-mail outside the province's domain"
check_has "the human list shows the e-mail check's rule" "$OUT" "Art. 5.1.b"
check_match "the e-mail check's line shows its count 0" \
	"$(printf '%s\n' "$OUT" | grep "E-mail outside")" " *0  Art\. 5\.1\.b  E-mail outside the province's domain"
check_match "the first line is the certificates' check with its count 0" \
	"$(printf '%s\n' "$OUT" | head -1)" " *0  Art\. 5\.3\.b  Certificate expiring, no renewal recorded"

must k agency edit --focal "Lê Văn Bình" >/dev/null
check_eq "after agency edit --focal, no_focal_point is 0" "$(due_count no_focal_point)" 0

# --- e-mail domain (Art. 5.1.b) --------------------------------------------------------

duc=$(add_person "Đặng Văn Đức" 086090001001 ducdv@$DOMAIN)
anh=$(add_person "Nguyễn Thị Ánh" 086190001002 anhnt@stc.$DOMAIN)
bay=$(add_person "Trần Văn Bảy" 086085000103 bay.tv@$DOMAIN)
org=$(must k subscriber add --kind org --name "Trung tâm Dịch vụ nông nghiệp" \
	--tax-code 1500123456 --email ttdvnn@$DOMAIN)
must k subscriber depart "$bay" --date 2026-11-01 --reason left >/dev/null
check_eq "addresses in the domain and a sub-domain: email_outside_domain 0" \
	"$(due_count email_outside_domain)" 0

must k agency edit --email-domain other.gov.vn >/dev/null
active=$(sql "select count(*) from subscriber where status = 'active'")
check_eq "(three subscribers are active, one departed)" "$active" 3
check_eq "after the domain changes, every active subscriber is listed" \
	"$(due_count email_outside_domain)" "$active"
run k due --json
check_json "the departed subscriber is not among the items" \
	"sorted(i['subscriber_id'] for c in d if c['check'] == 'email_outside_domain'
	        for i in c['items']) == sorted([$duc, $anh, $org])"
check_json "the items are in name order (Ánh before Đức)" \
	"[i['name'] for c in d if c['check'] == 'email_outside_domain' for i in c['items']][:2]
	 == ['Nguyễn Thị Ánh', 'Đặng Văn Đức']"

run ken due
check_has "the human list shows a listed address" "$OUT" "ducdv@$DOMAIN"
check_has "and says which domain it is outside of" "$OUT" "is not in the domain other.gov.vn"
check_has "and the subscriber's name" "$OUT" "Đặng Văn Đức"

run k subscriber edit "$duc" --email ducdv@sxd.other.gov.vn
check_rc 0 "(a subscriber moves to a sub-domain of the new domain)"
check_eq "an address in a sub-domain of the new domain is accepted" \
	"$(due_count email_outside_domain)" $((active - 1))

sql "update subscriber set email = 'anhnt@xother.gov.vn' where id = $anh"
check_eq "a domain that only ends with the same letters is outside" \
	"$(due_count email_outside_domain)" $((active - 1))
sql "update subscriber set email = null where id = $anh"
run ken due --json
check_json "a subscriber with no e-mail is listed and the detail says so" \
	"[i['detail'] for c in d if c['check'] == 'email_outside_domain' for i in c['items']
	  if i['subscriber_id'] == $anh] == ['no e-mail address']"

# --- the JSON shape ----------------------------------------------------------------------

run k due --json
check_rc 0 "due --json exits 0"
check_json "due --json is an array of {check, rule, count, items}" \
	"isinstance(d, list) and len(d) >= 2
	 and all(sorted(c) == ['check', 'count', 'items', 'rule'] for c in d)
	 and all(isinstance(c['count'], int) and isinstance(c['items'], list) for c in d)
	 and all(c['rule'].startswith('Art. ') for c in d)"
check_json "each item has subscriber_id, token_id, name, unit, detail and command" \
	"all(sorted(i) == ['command', 'detail', 'name', 'subscriber_id', 'token_id', 'unit']
	     for c in d for i in c['items'])"
check_json "each item names the kyso command that clears it (issue 11.10)" \
	"all(i['command'].startswith('kyso ') for c in d for i in c['items'])"
check_json "an e-mail outside the domain names the edit of that subscriber" \
	"all(i['command'].startswith('kyso subscriber edit %d --email NAME@' % i['subscriber_id'])
	     for c in d if c['check'] == 'email_outside_domain' for i in c['items'])"
check_json "the check ids are the ones DESIGN.md names (and kyso's own), each once" \
	"len({c['check'] for c in d}) == len(d) and {c['check'] for c in d} <= {'cert_expiring',
	 'pin_due', 'pin_overdue', 'new_holder_pin', 'departed_unaccounted', 'token_not_returned',
	 'lost_without_revocation', 'loan_expired', 'token_locked', 'minutes_missing',
	 'email_outside_domain', 'report_due', 'report_late', 'no_focal_point'}
	 and {'email_outside_domain', 'no_focal_point'} <= {c['check'] for c in d}"
check_json "count is never less than the number of items" \
	"all(c['count'] >= len(c['items']) for c in d)"

# --- --at ----------------------------------------------------------------------------------

run k due --at 2027-01-31 --json
check_rc 0 "due --at a real date exits 0"
check_json "due --at gives the same checks" "len(d) >= 2"
before=$(data_sum)
run ken due --at 2026-02-30
check_eq "due --at a date that does not exist exits 3" "$RC" 3
check_has "and says which date" "$ERR" "2026-02-30"
check_eq "and prints no list" "$OUT" ""
run ken due --at
check_eq "due --at without a date is a usage error" "$RC" 2
run ken due extra
check_eq "due with an unexpected argument is a usage error" "$RC" 2
check_eq "due writes nothing" "$(data_sum)" "$before"

run k due
check_rc 0 "due in Vietnamese exits 0"
check_has "the Vietnamese list names the focal-point check" "$OUT" "Chưa có cán bộ đầu mối"

finish
