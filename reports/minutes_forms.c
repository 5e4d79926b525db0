/*
 * minutes_forms.c - the minutes' layout and wording, as data (DESIGN.md §6): one
 * definition per kind and form set.  A changed regulation changes a definition here, never
 * the engine (docx.c) nor the gathering (minutes.c).
 *
 *   kind       Decree 68/2024/NĐ-CP (nd68, default)   Circular 185/2019/TT-BQP (tt185)
 *   handover   not a numbered form (Art. 14.4)         not a numbered form (Art. 14.4)
 *   return     Mẫu 08                                  Mẫu 14
 *   lost       Mẫu 09                                  Mẫu 15
 *
 * The official templates give the blocks (DOMAIN.md §3: time and place, the parties, the
 * reason, the tokens' table, for a loss when, where and how and the revocation asked,
 * the signatures and the head of agency's confirmation); the sentences are ours and can
 * be changed here.  Decree 68 speaks of "chứng thư chữ ký số" and "chữ ký số chuyên dùng
 * công vụ", Circular 185 of "chứng thư số" and "chữ ký số chuyên dùng Chính phủ".
 *
 * Texts are official Vietnamese whatever the interface language: no gettext here.
 * Never a password: the handover says the password was handed over, nothing more.
 */
#include <string.h>

#include "kyso/document.h"
#include "minutes_impl.h"

/* What both form sets share ------------------------------------------------------------ */

static const char *const party_lines[] = {
	"Ông (bà): {name}",
	"Chức vụ: {position}",
	"Đơn vị: {unit}",
	NULL,
};

static const char *const opening = "Hôm nay, {date_long}, tại {place}, chúng tôi gồm:";

static const struct minutes_sign confirm = {
	"XÁC NHẬN CỦA THỦ TRƯỞNG CƠ QUAN\n{head_title}", "(Ký, ghi rõ họ tên, đóng dấu)",
	"{head_name}",
};

/* The tokens' table: No. | Subscriber | Certificate serial | Token serial | Condition |
 * Note.  Serials are long hex numbers: the serial columns are the widest. */
#define TOKEN_COLUMNS(cert_header)                                                      \
	{                                                                               \
		{ "STT", 700, DOCX_CENTER, "{no}" },                                    \
		{ "Thuê bao", 1950, DOCX_LEFT, "{subscriber}" },                        \
		{ cert_header, 2150, DOCX_LEFT, "{cert_serial}" },                      \
		{ "Số hiệu thiết bị", 1550, DOCX_LEFT, "{token_serial}" },              \
		{ "Tình trạng", 1400, DOCX_LEFT, "{condition}" },                        \
		{ "Ghi chú", 1604, DOCX_LEFT, "{note}" },                                \
	}

static const struct minutes_column nd68_columns[] = TOKEN_COLUMNS("Số hiệu chứng thư chữ ký số");
static const struct minutes_column tt185_columns[] = TOKEN_COLUMNS("Số hiệu chứng thư số");

static const struct minutes_terms nd68_terms = {
	.party_lines = party_lines,
	.columns = nd68_columns,
	.ncolumns = sizeof nd68_columns / sizeof nd68_columns[0],
	.cert_valid = "Hiệu lực đến {cert_not_after}",
	.cert_expired = "Hết hạn ngày {cert_not_after}",
	.cert_revoked = "Thu hồi ngày {cert_revoked_on}",
};

static const struct minutes_terms tt185_terms = {
	.party_lines = party_lines,
	.columns = tt185_columns,
	.ncolumns = sizeof tt185_columns / sizeof tt185_columns[0],
	.cert_valid = "Hiệu lực đến {cert_not_after}",
	.cert_expired = "Hết hạn ngày {cert_not_after}",
	.cert_revoked = "Thu hồi ngày {cert_revoked_on}",
};

/* Staff handover (Art. 14.4) ------------------------------------------------------------ */

static const struct minutes_party handover_parties[] = {
	{ "giver", "Bên giao:" },
	{ "receiver", "Bên nhận:" },
	{ NULL, NULL },
};

static const struct minutes_sign handover_signs[] = {
	{ "BÊN GIAO", "(Ký, ghi rõ họ tên)", "{giver_name}" },
	{ "BÊN NHẬN", "(Ký, ghi rõ họ tên)", "{receiver_name}" },
	{ NULL, NULL, NULL },
};

static const char *const handover_body[] = {
	"{?password_handed}Hai bên thống nhất bàn giao {count} thiết bị lưu khóa bí mật cùng "
	"mật khẩu truy cập, cụ thể như sau:",
	"{?password_not_handed}Hai bên thống nhất bàn giao {count} thiết bị lưu khóa bí mật, cụ "
	"thể như sau:",
	NULL,
};

/* Art. 14.4: the token and its password go to the designated person; the password is
 * handed over in person and never written down. */
static const char *const handover_closing[] = {
	"{?password_handed}Bên giao đã bàn giao cho Bên nhận các thiết bị lưu khóa bí mật nêu "
	"trên cùng mật khẩu truy cập. Mật khẩu được giao trực tiếp, không ghi vào biên bản này.",
	"{?password_not_handed}Bên giao đã bàn giao cho Bên nhận các thiết bị lưu khóa bí mật "
	"nêu trên.",
	"Bên nhận có trách nhiệm thay đổi mật khẩu ngay sau khi nhận bàn giao, quản lý và sử "
	"dụng thiết bị theo đúng quy định. Kể từ thời điểm bàn giao, Bên giao không còn quản lý, "
	"sử dụng các thiết bị này.",
	"Biên bản được lập thành 03 bản có giá trị như nhau: Bên giao giữ 01 bản, Bên nhận giữ "
	"01 bản, 01 bản lưu tại văn thư cơ quan.",
	NULL,
};

static const char *const handover_recipients[] = {
	"- Bên giao, Bên nhận;",
	"- Lưu: VT.",
	NULL,
};

static const char *const nd68_handover_basis[] = {
	"Căn cứ Nghị định số 68/2024/NĐ-CP của Chính phủ quy định về chữ ký số chuyên dùng "
	"công vụ;",
	"Căn cứ khoản 4 Điều 14 Quy chế quản lý, sử dụng chữ ký số, chứng thư số và dịch vụ "
	"chứng thực chữ ký số chuyên dùng trong cơ quan nhà nước của tỉnh;",
	"{?designation_ref}Căn cứ văn bản số {designation_ref} của {designated_by} về việc chỉ "
	"định người nhận bàn giao,",
	NULL,
};

static const char *const tt185_handover_basis[] = {
	"Căn cứ Thông tư số 185/2019/TT-BQP của Bộ Quốc phòng quy định chi tiết việc cung cấp, "
	"quản lý, sử dụng dịch vụ chứng thực chữ ký số chuyên dùng Chính phủ;",
	"Căn cứ khoản 4 Điều 14 Quy chế quản lý, sử dụng chữ ký số, chứng thư số và dịch vụ "
	"chứng thực chữ ký số chuyên dùng trong cơ quan nhà nước của tỉnh;",
	"{?designation_ref}Căn cứ văn bản số {designation_ref} của {designated_by} về việc chỉ "
	"định người nhận bàn giao,",
	NULL,
};

/* Return to the department (Mẫu 08 / Mẫu 14) --------------------------------------- */

static const struct minutes_party return_parties[] = {
	{ "giver", "Bên giao ({agency}):" },
	{ "receiver", "Bên nhận ({recipient}):" },
	{ NULL, NULL },
};

static const struct minutes_sign return_signs[] = {
	{ "ĐẠI DIỆN BÊN GIAO", "(Ký, ghi rõ họ tên)", "{giver_name}" },
	{ "ĐẠI DIỆN BÊN NHẬN", "(Ký, ghi rõ họ tên)", "{receiver_name}" },
	{ NULL, NULL, NULL },
};

static const char *const return_recipients[] = {
	"- {recipient};",
	"- Lưu: VT.",
	NULL,
};

static const char *const nd68_return_label[] = {
	"Mẫu số 08",
	NULL,
};

static const char *const nd68_return_basis[] = {
	"Căn cứ Nghị định số 68/2024/NĐ-CP của Chính phủ quy định về chữ ký số chuyên dùng "
	"công vụ;",
	"{?notice_ref}Căn cứ văn bản số {notice_ref} về việc thu hồi chứng thư chữ ký số,",
	NULL,
};

static const char *const nd68_return_body[] = {
	"Bên giao bàn giao lại cho Bên nhận {count} thiết bị lưu khóa bí mật có chứng thư chữ "
	"ký số đã hết hạn hoặc đã bị thu hồi, cụ thể như sau:",
	NULL,
};

static const char *const return_closing[] = {
	"Bên nhận đã kiểm tra và nhận đủ các thiết bị nêu trên.",
	"Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản.",
	NULL,
};

static const char *const tt185_return_label[] = {
	"Mẫu số 14",
	NULL,
};

static const char *const tt185_return_basis[] = {
	"Căn cứ Thông tư số 185/2019/TT-BQP của Bộ Quốc phòng quy định chi tiết việc cung cấp, "
	"quản lý, sử dụng dịch vụ chứng thực chữ ký số chuyên dùng Chính phủ;",
	"{?notice_ref}Căn cứ văn bản số {notice_ref} về việc thu hồi chứng thư số,",
	NULL,
};

static const char *const tt185_return_body[] = {
	"Bên giao bàn giao lại cho Bên nhận {count} thiết bị lưu khóa bí mật có chứng thư số đã "
	"hết hạn hoặc đã bị thu hồi, cụ thể như sau:",
	NULL,
};

/* Lost token (Mẫu 09 / Mẫu 15; Art. 13.5) ------------------------------------------- */

static const struct minutes_party lost_parties[] = {
	{ "loser", "Người làm mất thiết bị:" },
	{ "confirmer", "Người xác nhận:" },
	{ NULL, NULL },
};

static const struct minutes_sign lost_signs[] = {
	{ "NGƯỜI LÀM MẤT THIẾT BỊ", "(Ký, ghi rõ họ tên)", "{loser_name}" },
	{ "NGƯỜI XÁC NHẬN", "(Ký, ghi rõ họ tên)", "{confirmer_name}" },
	{ NULL, NULL, NULL },
};

static const char *const lost_body[] = {
	"Cùng xác nhận việc thất lạc thiết bị lưu khóa bí mật như sau:",
	"Thời gian phát hiện thất lạc: {lost_date_long}.",
	"Nơi thất lạc: {lost_place}.",
	"Hoàn cảnh thất lạc: {circumstances}.",
	"Cách phát hiện: {discovered}.",
	"Thiết bị bị thất lạc gồm {count} thiết bị, cụ thể như sau:",
	NULL,
};

static const char *const lost_recipients[] = {
	"- {recipient} (kèm văn bản đề nghị thu hồi);",
	"- Lưu: VT.",
	NULL,
};

static const char *const nd68_lost_label[] = {
	"Mẫu số 09",
	NULL,
};

static const char *const nd68_lost_basis[] = {
	"Căn cứ Nghị định số 68/2024/NĐ-CP của Chính phủ quy định về chữ ký số chuyên dùng "
	"công vụ;",
	"Căn cứ khoản 5 Điều 13 Quy chế quản lý, sử dụng chữ ký số, chứng thư số và dịch vụ "
	"chứng thực chữ ký số chuyên dùng trong cơ quan nhà nước của tỉnh,",
	NULL,
};

/* Art. 13.5: the minutes go with the request to revoke the certificates. */
static const char *const nd68_lost_closing[] = {
	"Người làm mất thiết bị cam kết nội dung trên là đúng sự thật và chịu trách nhiệm trước "
	"pháp luật.",
	"Đề nghị {recipient} thu hồi chứng thư chữ ký số trên các thiết bị nêu trên theo quy "
	"định.",
	"Biên bản được lập thành 03 bản có giá trị như nhau: người làm mất giữ 01 bản, 01 bản "
	"gửi kèm văn bản đề nghị thu hồi, 01 bản lưu tại văn thư cơ quan.",
	NULL,
};

static const char *const tt185_lost_label[] = {
	"Mẫu số 15",
	NULL,
};

static const char *const tt185_lost_basis[] = {
	"Căn cứ Thông tư số 185/2019/TT-BQP của Bộ Quốc phòng quy định chi tiết việc cung cấp, "
	"quản lý, sử dụng dịch vụ chứng thực chữ ký số chuyên dùng Chính phủ;",
	"Căn cứ khoản 5 Điều 13 Quy chế quản lý, sử dụng chữ ký số, chứng thư số và dịch vụ "
	"chứng thực chữ ký số chuyên dùng trong cơ quan nhà nước của tỉnh,",
	NULL,
};

static const char *const tt185_lost_closing[] = {
	"Người làm mất thiết bị cam kết nội dung trên là đúng sự thật và chịu trách nhiệm trước "
	"pháp luật.",
	"Đề nghị {recipient} thu hồi chứng thư số trên các thiết bị nêu trên theo quy định.",
	"Biên bản được lập thành 03 bản có giá trị như nhau: người làm mất giữ 01 bản, 01 bản "
	"gửi kèm văn bản đề nghị thu hồi, 01 bản lưu tại văn thư cơ quan.",
	NULL,
};

/* The definitions ----------------------------------------------------------------- */

static const struct minutes_form forms[] = {
	{
		.kind = MINUTES_HANDOVER, .form_set = FORM_SET_ND68, .form = NULL, .label = NULL,
		.symbol = "BB", 
		.name = "Biên bản bàn giao thiết bị lưu khóa bí mật",
		.title = "BIÊN BẢN",
		.summary = "Bàn giao thiết bị lưu khóa bí mật",
		.basis = nd68_handover_basis, .opening = opening, .parties = handover_parties,
		.body = handover_body, .condition = "Bình thường",
		.closing = handover_closing, .signs = handover_signs, .confirm = confirm,
		.recipients = handover_recipients, .terms = &nd68_terms,
	},
	{
		.kind = MINUTES_HANDOVER, .form_set = FORM_SET_TT185, .form = NULL, .label = NULL,
		.symbol = "BB", 
		.name = "Biên bản bàn giao thiết bị lưu khóa bí mật",
		.title = "BIÊN BẢN",
		.summary = "Bàn giao thiết bị lưu khóa bí mật (token)",
		.basis = tt185_handover_basis, .opening = opening, .parties = handover_parties,
		.body = handover_body, .condition = "Bình thường",
		.closing = handover_closing, .signs = handover_signs, .confirm = confirm,
		.recipients = handover_recipients, .terms = &tt185_terms,
	},
	{
		.kind = MINUTES_RETURN, .form_set = FORM_SET_ND68, .form = "Mẫu 08",
		.label = nd68_return_label, .symbol = "BB",
		.name = "Biên bản bàn giao lại thiết bị lưu khóa bí mật",
		.title = "BIÊN BẢN",
		.summary = "Bàn giao thiết bị lưu khóa bí mật",
		.basis = nd68_return_basis, .opening = opening, .parties = return_parties,
		.body = nd68_return_body, .condition = "{reason}", .closing = return_closing,
		.signs = return_signs, .confirm = confirm, .recipients = return_recipients,
		.terms = &nd68_terms,
	},
	{
		.kind = MINUTES_RETURN, .form_set = FORM_SET_TT185, .form = "Mẫu 14",
		.label = tt185_return_label, .symbol = "BB",
		.name = "Biên bản bàn giao lại thiết bị lưu khóa bí mật",
		.title = "BIÊN BẢN",
		.summary = "Bàn giao thiết bị lưu khóa bí mật (token)",
		.basis = tt185_return_basis, .opening = opening, .parties = return_parties,
		.body = tt185_return_body, .condition = "{reason}", .closing = return_closing,
		.signs = return_signs, .confirm = confirm, .recipients = return_recipients,
		.terms = &tt185_terms,
	},
	{
		.kind = MINUTES_LOST, .form_set = FORM_SET_ND68, .form = "Mẫu 09",
		.label = nd68_lost_label, .symbol = "BB",
		.name = "Biên bản xác nhận thất lạc thiết bị lưu khóa bí mật",
		.title = "BIÊN BẢN",
		.summary = "Xác nhận thất lạc thiết bị lưu khóa bí mật",
		.basis = nd68_lost_basis, .opening = opening, .parties = lost_parties,
		.body = lost_body, .condition = "Thất lạc", .closing = nd68_lost_closing,
		.signs = lost_signs, .confirm = confirm, .recipients = lost_recipients,
		.terms = &nd68_terms,
	},
	{
		.kind = MINUTES_LOST, .form_set = FORM_SET_TT185, .form = "Mẫu 15",
		.label = tt185_lost_label, .symbol = "BB",
		.name = "Biên bản xác nhận thất lạc thiết bị lưu khóa bí mật",
		.title = "BIÊN BẢN",
		.summary = "Xác nhận thất lạc thiết bị lưu khóa bí mật (token)",
		.basis = tt185_lost_basis, .opening = opening, .parties = lost_parties,
		.body = lost_body, .condition = "Thất lạc", .closing = tt185_lost_closing,
		.signs = lost_signs, .confirm = confirm, .recipients = lost_recipients,
		.terms = &tt185_terms,
	},
};

const struct minutes_form *minutes_forms(size_t *n)
{
	*n = sizeof forms / sizeof forms[0];
	return forms;
}

const struct minutes_form *minutes_form_find(enum minutes_kind kind, const char *form_set)
{
	size_t i;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (forms[i].kind == kind && form_set && !strcmp(forms[i].form_set, form_set))
			return &forms[i];
	return NULL;
}

/* Why a token goes back (token_act.reason of a return). */
const char *minutes_reason_text(const char *form_set, const char *reason)
{
	static const struct {
		const char *reason, *nd68, *tt185;
	} reasons[] = {
		{ "expired", "Chứng thư chữ ký số hết hạn", "Chứng thư số hết hạn" },
		{ "revoked", "Chứng thư chữ ký số bị thu hồi", "Chứng thư số bị thu hồi" },
		{ "departure", "Người sử dụng nghỉ việc, chuyển công tác",
		  "Người sử dụng nghỉ việc, chuyển công tác" },
		{ "damaged", "Thiết bị hư hỏng", "Thiết bị hư hỏng" },
	};
	size_t i;

	if (!reason)
		return NULL;
	for (i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (!strcmp(reasons[i].reason, reason))
			return form_set && !strcmp(form_set, FORM_SET_TT185) ? reasons[i].tt185
									    : reasons[i].nd68;
	return reason;
}
