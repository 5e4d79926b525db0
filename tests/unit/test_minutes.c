/*
 * test_minutes.c - minutes written from a real store: a departure's two tokens handed to
 * the designated successor in one document, numbered and recorded with the file's
 * SHA-256, the steps linked; the document names the parties, serials and dates the
 * Vietnamese way; written again from its record it is byte-identical, and an edited
 * record is told apart; every kind in both form sets fills its definition; refusals
 * (no such step, minutes already written, other parties, dates out of range, a file that
 * cannot be written) change nothing and leave no file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zip.h>

#include "kyso/cert.h"
#include "kyso/document.h"
#include "kyso/minutes.h"
#include "kyso/subscriber.h"
#include "kyso/token.h"
#include "kyso/hash.h"

#include "store_fixture.h"
#include "minutes_fixture.h"

static const struct agency full_agency = {
	.name = "Sở Nông nghiệp và Môi trường",
	.code = "SNNMT",
	.parent_body = "UBND tỉnh Vĩnh Long",
	.email_domain = DOMAIN,
	.head_name = "Lê Văn Bình",
	.head_position = "Giám đốc",
	.focal_name = "Phạm Thị Hoa",
	.focal_position = "Chuyên viên CNTT",
	.recipient = "Sở Khoa học và Công nghệ",
	.place = "Vĩnh Long",
	.address = "trụ sở Sở Nông nghiệp và Môi trường",
};

/* The store of every test: the agency, two people, three tokens of Đức with a
 * certificate each. */
struct world {
	long long duc, cuong, tok[3];
};

static long long add_token(struct kyso_db *db, const char *serial, long long owner,
			   const char *cert_serial)
{
	struct token_new tn = { .serial = serial, .subscriber_id = owner,
				.received_on = "2025-01-10" };
	struct cert_new cn = { .serial = cert_serial, .not_before = "2025-01-10",
			       .not_after = "2027-01-10" };
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	long long id = 0;

	if (token_add(db, &tn, &id, &problems, &err))
		fail_msg("token_add: %s", err.msg);
	cn.token_id = id;
	if (cert_add(db, &cn, NULL, &problems, &err))
		fail_msg("cert_add: %s (%s)", err.msg,
			 problems.count ? problems.items[0].message : "");
	kyso_problems_free(&problems);
	return id;
}

static struct world *world_of(void **state)
{
	return (struct world *)((char *)*state + sizeof(struct fixture));
}

static int setup_world(void **state)
{
	struct kyso_problems problems = { 0 };
	struct kyso_err err = { 0 };
	struct fixture *fx;
	struct world *w;
	long long unit;

	if (setup_db(state))
		return -1;
	/* The fixture and the world in one block, freed by teardown. */
	fx = realloc(*state, sizeof *fx + sizeof *w);
	if (!fx)
		return -1;
	*state = fx;
	w = world_of(state);
	memset(w, 0, sizeof *w);
	if (agency_init(fx->db, &full_agency, &problems, &err) ||
	    unit_add(fx->db, "Văn phòng Sở", NULL, NULL, &unit, &err))
		return -1;
	kyso_problems_free(&problems);
	w->duc = fx_add_person(fx->db, "Đặng Văn Đức", "ducdv@" DOMAIN, "086090001001",
			       "Văn phòng Sở");
	w->cuong = fx_add_person(fx->db, "Trần Văn Cường", "cuongtv@" DOMAIN, "086090001002",
				 "Văn phòng Sở");
	w->tok[0] = add_token(fx->db, "TK-0001", w->duc, "5403AB01");
	w->tok[1] = add_token(fx->db, "TK-0002", w->duc, "5403AB02");
	w->tok[2] = add_token(fx->db, "TK-0003", w->duc, "5403AB03");
	return 0;
}

static void hand_to_cuong(void **state, long long token)
{
	struct world *w = world_of(state);

	fx_apply(db_of(state), token,
	      (struct token_act){ .action = TOKEN_ACT_HANDOVER, .date = "2026-02-05",
				  .party_name = "Trần Văn Cường", .party_position = "Văn thư",
				  .party_subscriber_id = w->cuong, .ref = "12/QĐ-SNNMT",
				  .password_handed = 1 });
}

static char *path_in(void **state, const char *name)
{
	static char path[2][400];
	static int k;
	struct fixture *fx = *state;

	k = !k;
	snprintf(path[k], sizeof path[k], "%s/%s", fx->dir, name);
	return path[k];
}

static int write_minutes(void **state, enum minutes_kind kind, const long long *ids, size_t n,
			 const char *form_set, const char *date, const char *file,
			 long long *doc, struct kyso_err *err)
{
	struct minutes_request r = { .kind = kind, .form_set = form_set, .token_ids = ids,
				     .ntokens = n, .date = date, .path = path_in(state, file) };

	return minutes_write(db_of(state), &r, doc, err);
}

/* word/document.xml of a written file (caller frees). */
static char *document_xml(const char *path)
{
	zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
	zip_stat_t st;
	zip_file_t *f;
	char *text;

	assert_non_null(za);
	assert_int_equal(zip_stat(za, "word/document.xml", 0, &st), 0);
	text = calloc(1, st.size + 1);
	f = zip_fopen(za, "word/document.xml", 0);
	assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(za);
	return text;
}

static void assert_has(const char *xml, const char *needle)
{
	if (!strstr(xml, needle))
		fail_msg("the document lacks \"%s\"", needle);
}

/* How many entries the test's folder holds besides the database's files. */
static int files(void **state)
{
	struct fixture *fx = *state;
	DIR *dh = opendir(fx->dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)))
		if (e->d_name[0] != '.' && strncmp(e->d_name, "kyso.db", 7))
			n++;
	closedir(dh);
	return n;
}

static void test_handover_of_two_tokens(void **state)
{
	struct world *w = world_of(state);
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long doc = 0, ids[2] = { w->tok[0], w->tok[1] };
	char sha[65], *xml;
	struct document d;

	hand_to_cuong(state, w->tok[0]);
	hand_to_cuong(state, w->tok[1]);
	if (write_minutes(state, MINUTES_HANDOVER, ids, 2, NULL, NULL, "bg.docx", &doc, &err))
		fail_msg("minutes_write: %s", err.msg);

	assert_int_equal(document_get(db, doc, &d, &err), 0);
	assert_string_equal(d.kind, DOC_MINUTES_HANDOVER);
	assert_string_equal(d.form_set, FORM_SET_ND68);
	assert_null(d.form);
	assert_int_equal(d.number, 1);
	assert_int_equal(d.year, 2026);
	assert_string_equal(d.symbol, "BB-SNNMT");
	assert_string_equal(d.doc_date, "2026-02-05");
	assert_int_equal(sha256_file(path_in(state, "bg.docx"), sha, &err), 0);
	assert_string_equal(d.sha256, sha);
	document_free(&d);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM token_step WHERE document_id IS NOT NULL"),
			 2);

	xml = document_xml(path_in(state, "bg.docx"));
	assert_has(xml, "UBND TỈNH VĨNH LONG");
	assert_has(xml, "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG");
	assert_has(xml, "Số: 01/BB-SNNMT");
	assert_has(xml, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_has(xml, "Độc lập - Tự do - Hạnh phúc");
	assert_has(xml, "Vĩnh Long, ngày 05 tháng 02 năm 2026");
	assert_has(xml, "Hôm nay, ngày 05 tháng 02 năm 2026, tại trụ sở Sở Nông nghiệp");
	/* The giver is the keeper before, with the subscriber's unit; the receiver the
	 * designated successor. */
	assert_has(xml, "Ông (bà): Đặng Văn Đức");
	assert_has(xml, "Đơn vị: Văn phòng Sở");
	assert_has(xml, "Ông (bà): Trần Văn Cường");
	assert_has(xml, "Chức vụ: Văn thư");
	assert_has(xml, "Căn cứ văn bản số 12/QĐ-SNNMT của Lê Văn Bình");
	assert_has(xml, "bàn giao 02 thiết bị");
	assert_has(xml, "TK-0001");
	assert_has(xml, "TK-0002");
	assert_has(xml, "5403AB01");
	assert_has(xml, "Hiệu lực đến 10/01/2027");
	assert_has(xml, "cùng mật khẩu truy cập. Mật khẩu được giao trực tiếp");
	assert_has(xml, "GIÁM ĐỐC");
	assert_has(xml, "Nơi nhận:");
	assert_null(strstr(xml, "TK-0003"));
	free(xml);
}

static void test_rewrite_gives_same_bytes(void **state)
{
	struct world *w = world_of(state);
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long doc = 0;
	char a[65], b[65];
	int identical = 0;

	hand_to_cuong(state, w->tok[0]);
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, &w->tok[0], 1, NULL, NULL,
				       "a.docx", &doc, &err), 0);
	/* Another day, another clock: the same bytes. */
	setenv("KYSO_TODAY", "2026-11-30", 1);
	if (minutes_rewrite(db, doc, path_in(state, "b.docx"), 0, &identical, NULL, &err))
		fail_msg("minutes_rewrite: %s", err.msg);
	setenv("KYSO_TODAY", TODAY, 1);
	assert_int_equal(identical, 1);
	assert_int_equal(sha256_file(path_in(state, "a.docx"), a, &err), 0);
	assert_int_equal(sha256_file(path_in(state, "b.docx"), b, &err), 0);
	assert_string_equal(a, b);

	/* A record edited by hand no longer matches what it makes. */
	assert_int_equal(sqlite3_exec(db->sql, "UPDATE document SET content = "
				      "replace(content, 'Trần Văn Cường', 'Trần Văn Cương')",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(minutes_rewrite(db, doc, path_in(state, "c.docx"), 0, &identical, NULL, &err), 0);
	assert_int_equal(identical, 0);
}

/* Every kind in both form sets: the form's label, its words, a number each. */
static void test_every_kind_in_both_form_sets(void **state)
{
	static const struct {
		const char *form_set, *lost_label, *return_label, *cert_words;
	} sets[] = {
		{ FORM_SET_ND68, "Mẫu số 09", "Mẫu số 08", "chứng thư chữ ký số" },
		{ FORM_SET_TT185, "Mẫu số 15", "Mẫu số 14", "chứng thư số" },
	};
	struct world *w = world_of(state);
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long doc;
	size_t i;
	char *xml, name[32];

	hand_to_cuong(state, w->tok[0]);
	fx_apply(db, w->tok[1], (struct token_act){ .action = TOKEN_ACT_LOSE, .date = "2026-03-02",
						 .circumstances = "Để quên trên xe buýt",
						 .place = "Bến xe Vĩnh Long",
						 .discovered = "Khi cần ký văn bản" });
	fx_apply(db, w->tok[2], (struct token_act){ .action = TOKEN_ACT_RETURN, .date = "2026-03-03",
						 .party_name = "Võ Minh Tâm",
						 .party_position = "Chuyên viên", .reason = "revoked",
						 .ref = "45/TB-SKHCN" });
	for (i = 0; i < 2; i++) {
		/* Each set writes its minutes for new steps: drop the links first. */
		sqlite3_exec(db->sql, "UPDATE token_step SET document_id = NULL", NULL, NULL, NULL);
		snprintf(name, sizeof name, "lost-%s.docx", sets[i].form_set);
		if (write_minutes(state, MINUTES_LOST, &w->tok[1], 1, sets[i].form_set,
				  "2026-03-05", name, &doc, &err))
			fail_msg("lost minutes (%s): %s", sets[i].form_set, err.msg);
		xml = document_xml(path_in(state, name));
		assert_has(xml, sets[i].lost_label);
		assert_has(xml, "ngày 05 tháng 3 năm 2026"); /* no leading zero from March */
		assert_has(xml, "Thời gian phát hiện thất lạc: ngày 02 tháng 3 năm 2026.");
		assert_has(xml, "Nơi thất lạc: Bến xe Vĩnh Long.");
		assert_has(xml, "Hoàn cảnh thất lạc: Để quên trên xe buýt.");
		assert_has(xml, "Người xác nhận:");
		assert_has(xml, "Ông (bà): Lê Văn Bình");
		assert_has(xml, "Đề nghị Sở Khoa học và Công nghệ thu hồi ");
		assert_has(xml, sets[i].cert_words);
		free(xml);

		snprintf(name, sizeof name, "return-%s.docx", sets[i].form_set);
		if (write_minutes(state, MINUTES_RETURN, &w->tok[2], 1, sets[i].form_set, NULL,
				  name, &doc, &err))
			fail_msg("return minutes (%s): %s", sets[i].form_set, err.msg);
		xml = document_xml(path_in(state, name));
		assert_has(xml, sets[i].return_label);
		assert_has(xml, "Bên giao (Sở Nông nghiệp và Môi trường):");
		assert_has(xml, "Ông (bà): Phạm Thị Hoa");
		assert_has(xml, "Bên nhận (Sở Khoa học và Công nghệ):");
		assert_has(xml, "Ông (bà): Võ Minh Tâm");
		assert_has(xml, "45/TB-SKHCN");
		assert_has(xml, "bị thu hồi");
		free(xml);

		snprintf(name, sizeof name, "handover-%s.docx", sets[i].form_set);
		if (write_minutes(state, MINUTES_HANDOVER, &w->tok[0], 1, sets[i].form_set, NULL,
				  name, &doc, &err))
			fail_msg("handover minutes (%s): %s", sets[i].form_set, err.msg);
	}
	/* Six documents, numbered 1 to 6 in 2026. */
	assert_int_equal(fx_count(db, "SELECT count(*) FROM document WHERE year = 2026"), 6);
	assert_int_equal(fx_count(db, "SELECT max(number) FROM document"), 6);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM document WHERE form = 'Mẫu 15'"), 1);
}

static void test_refusals_change_nothing(void **state)
{
	struct world *w = world_of(state);
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long doc, two[2] = { w->tok[0], w->tok[1] };

	/* No handover to record. */
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, &w->tok[0], 1, NULL, NULL,
				       "x.docx", &doc, &err), KYSO_EINVAL);
	assert_non_null(strstr(err.msg, "TK-0001"));

	hand_to_cuong(state, w->tok[0]);
	fx_apply(db, w->tok[1], (struct token_act){ .action = TOKEN_ACT_HANDOVER, .password_handed = 1, .date = "2026-02-05",
						 .party_name = "Ngô Thị Lan", .party_position = "Văn thư",
						 .ref = "13/QĐ-SNNMT" });
	/* Other parties. */
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 2, NULL, NULL, "x.docx",
				       &doc, &err), KYSO_EINVAL);
	assert_non_null(strstr(err.msg, "Ngô Thị Lan"));
	/* Dated before the change or in the future; not a date; not a form set. */
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, NULL, "2026-02-04",
				       "x.docx", &doc, &err), KYSO_EINVAL);
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, NULL, "2026-11-26",
				       "x.docx", &doc, &err), KYSO_EINVAL);
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, NULL, "31/02/2026",
				       "x.docx", &doc, &err), KYSO_EINVAL);
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, "nd99", NULL, "x.docx",
				       &doc, &err), KYSO_EINVAL);
	/* A file that cannot be written: nothing recorded, no number used. */
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, NULL, NULL,
				       "missing/x.docx", &doc, &err), KYSO_EIO);
	assert_int_equal(files(state), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM document"), 0);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM token_step WHERE document_id IS NOT NULL"),
			 0);

	/* Written once; then refused, naming the minutes. */
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, NULL, NULL, "x.docx",
				       &doc, &err), 0);
	assert_int_equal(write_minutes(state, MINUTES_HANDOVER, two, 1, NULL, NULL, "y.docx",
				       &doc, &err), KYSO_EINVAL);
	assert_non_null(strstr(err.msg, "01/BB-SNNMT"));
	assert_int_equal(files(state), 1);
	assert_int_equal(fx_count(db, "SELECT count(*) FROM document"), 1);
}

static void test_form_set_setting_is_the_default(void **state)
{
	struct world *w = world_of(state);
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	struct document d;
	long long doc;

	assert_int_equal(setting_set(db, SETTING_FORM_SET, FORM_SET_TT185, &err), 0);
	fx_apply(db, w->tok[2], (struct token_act){ .action = TOKEN_ACT_RETURN, .date = "2026-03-03",
						 .party_name = "Võ Minh Tâm", .reason = "expired" });
	assert_int_equal(write_minutes(state, MINUTES_RETURN, &w->tok[2], 1, NULL, NULL,
				       "r.docx", &doc, &err), 0);
	assert_int_equal(document_get(db, doc, &d, &err), 0);
	assert_string_equal(d.form_set, FORM_SET_TT185);
	assert_string_equal(d.form, "Mẫu 14");
	document_free(&d);
}

/* A found token back in use is recorded by handover minutes: the focal-point officer
 * gives it back; no password changes hands. */
static void test_found_token_back_in_use(void **state)
{
	struct world *w = world_of(state);
	struct kyso_db *db = db_of(state);
	struct kyso_err err = { 0 };
	long long doc;
	char *xml;

	fx_apply(db, w->tok[0], (struct token_act){ .action = TOKEN_ACT_LOSE, .date = "2026-03-02",
						    .circumstances = "Rơi ở phòng họp" });
	fx_apply(db, w->tok[0], (struct token_act){ .action = TOKEN_ACT_FIND, .date = "2026-03-03" });
	fx_apply(db, w->tok[0], (struct token_act){ .action = TOKEN_ACT_REUSE, .date = "2026-03-04" });
	if (write_minutes(state, MINUTES_HANDOVER, &w->tok[0], 1, NULL, NULL, "reuse.docx", &doc,
			  &err))
		fail_msg("minutes_write: %s", err.msg);
	xml = document_xml(path_in(state, "reuse.docx"));
	assert_has(xml, "Ông (bà): Phạm Thị Hoa");
	assert_has(xml, "Ông (bà): Đặng Văn Đức");
	assert_has(xml, "bàn giao 01 thiết bị lưu khóa bí mật, cụ thể như sau:");
	assert_null(strstr(xml, "mật khẩu truy cập"));
	free(xml);
	/* The loss before it has its own minutes still to write. */
	assert_int_equal(write_minutes(state, MINUTES_LOST, &w->tok[0], 1, NULL, NULL, "l.docx",
				       &doc, &err), 0);
}

static void test_kind_names(void **state)
{
	enum minutes_kind k;

	(void)state;
	assert_int_equal(minutes_kind_parse("lost", &k), 0);
	assert_int_equal(k, MINUTES_LOST);
	assert_string_equal(minutes_kind_name(MINUTES_RETURN), "return");
	assert_string_equal(minutes_doc_kind(MINUTES_HANDOVER), DOC_MINUTES_HANDOVER);
	assert_int_equal(minutes_kind_parse("departure", &k), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handover_of_two_tokens, setup_world, teardown),
		cmocka_unit_test_setup_teardown(test_rewrite_gives_same_bytes, setup_world, teardown),
		cmocka_unit_test_setup_teardown(test_every_kind_in_both_form_sets, setup_world,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup_world, teardown),
		cmocka_unit_test_setup_teardown(test_form_set_setting_is_the_default, setup_world,
						teardown),
		cmocka_unit_test_setup_teardown(test_found_token_back_in_use, setup_world, teardown),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
