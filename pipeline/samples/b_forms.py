"""Family B: citizens' forms and the papers that travel with them (see families.py).

Tờ khai after the Ministry of Justice's hộ tịch forms (Thông tư 04/2020/TT-BTP, 04/2024/TT-BTP), the
identity-card declaration CC01 and the social-insurance declaration TK1-TS; đơn of several kinds
(some carrying a tờ khai's requester block and pledge, as real ones do); giấy ủy quyền in civil,
social-insurance and shareholder forms (some with the tờ khai boilerplate too, and the chứng thực
chữ ký stamp under them); contracts; the one-stop-shop slips of Thông tư 01/2018/TT-VPCP; fee
receipts with a three-column header; identity-card copies; and papers of no class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.samples.b_admin import issuer
from pipeline.samples.b_parts import (
    B,
    citizen_sign,
    company,
    company_header,
    date_runs,
    doc_number,
    form_header,
    motto_lines,
    pair_sign,
    sign,
    signer,
    so_line,
    start,
    state_header,
)
from pipeline.samples.content import (
    PROCEDURES,
    REFORM_DAY,
    Person,
    date_words,
    long_date,
    money,
    nfc,
    number_words,
    person,
    phone,
    short_date,
)
from pipeline.samples.model import QR, Block, Card, Column, ColumnItem, Columns, Doc, Gap, Para, Run, Table
from pipeline.samples.parts import Ctx
from pipeline.vn.text import sentence_case

_TT04 = "(Ban hành kèm theo Thông tư số 04/2020/TT-BTP ngày 28/12/2020 của Bộ trưởng Bộ Tư pháp)"
_TT04_24 = "(Ban hành kèm theo Thông tư số 04/2024/TT-BTP ngày 06/6/2024 của Bộ trưởng Bộ Tư pháp)"
_ISSUED_BY = ["Cục Cảnh sát quản lý hành chính về trật tự xã hội", "Bộ Công an"]


def _id_paper(b: B, p: Person) -> str:
    """The 2024 forms write the identifier inside 'Giấy tờ tùy thân' as running text."""
    issued = p.birth.replace(year=max(p.birth.year + 14, 2021)) if p.birth.year < 2008 else dt.date(2022, 3, 1)
    kind = b.rng.choice(["Căn cước công dân", "Thẻ căn cước", "Căn cước công dân"])
    return f"{kind} số {p.ident} do {b.rng.choice(_ISSUED_BY)} cấp ngày {short_date(min(issued, b.ctx.date))}"


def _kinh_gui(b: B, to: str | None = None) -> Para:
    return Para([Run("Kính gửi:", "B" if b.rng.random() < 0.5 else "R"), *b.val(to or b.unit.short)], size=b.size,
                align="center", space_after=4)


def _requester(b: B, p: Person, label: str = "Họ, chữ đệm, tên người yêu cầu") -> list[Block]:
    return [b.field(label, p.upper if b.rng.random() < 0.6 else p.name, bold_value=True),
            b.fields([("Ngày, tháng, năm sinh", short_date(p.birth))]),
            b.field("Nơi cư trú", p.address),
            b.field("Giấy tờ tùy thân", _id_paper(b, p))]


def _pledge(b: B, what: str = "đề nghị") -> list[Block]:
    return [b.para(f"Tôi cam đoan nội dung {what} trên đây là đúng sự thật, được sự thỏa thuận nhất trí của các bên "
                   "liên quan theo quy định pháp luật."),
            b.para("Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.")]


# --- tờ khai -------------------------------------------------------------------------------------------
def to_khai_hotich(ctx: Ctx) -> Doc:
    b = start(ctx, form=True)
    rng = b.rng
    kind = rng.choice(["khai_sinh", "khai_tu", "nhan_cha_me_con", "cai_chinh", "giam_ho", "trich_luc"])
    title = {"khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH", "khai_tu": "TỜ KHAI ĐĂNG KÝ KHAI TỬ",
             "nhan_cha_me_con": "TỜ KHAI ĐĂNG KÝ NHẬN CHA, MẸ, CON", "giam_ho": "TỜ KHAI ĐĂNG KÝ GIÁM HỘ",
             "cai_chinh": "TỜ KHAI ĐĂNG KÝ THAY ĐỔI, CẢI CHÍNH, BỔ SUNG THÔNG TIN HỘ TỊCH",
             "trich_luc": "TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH"}[kind]
    origin = _TT04_24 if ctx.date >= dt.date(2024, 7, 1) else _TT04
    blocks = form_header(b, code=rng.choice([None, "Mẫu số 01", "Mẫu TK"]),
                         origin=origin if rng.random() < 0.6 else None)
    blocks += [b.centre(title, "B", 14.5, space_after=3), _kinh_gui(b)]
    a = person(rng, born=(1960, 2003))
    blocks += _requester(b, a)
    subject: Person | None = a
    if kind == "khai_sinh":
        father = person(rng, male=True, born=(1982, 2002), address=a.address)
        mother = person(rng, male=False, born=(1985, 2004), address=a.address)
        born = ctx.date - dt.timedelta(days=rng.randint(2, 50))
        child = person(rng, family=father.name.split()[0], child=True, born=(born.year, born.year))
        blocks += [b.field("Quan hệ với người được khai sinh", rng.choice(["Cha", "Mẹ", "Bà nội"])),
                   b.heading("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:"),
                   b.field("Họ, chữ đệm, tên", child.upper, bold_value=True),
                   b.fields([("Ngày, tháng, năm sinh", short_date(born)), ("ghi bằng chữ", date_words(born))]),
                   b.fields([("Giới tính", child.sex), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
                   b.field("Nơi sinh", rng.choice(["Trạm Y tế xã", "Bệnh viện Đa khoa khu vực", "Tại nhà"])),
                   b.field("Quê quán", father.address.split(", ", 1)[1]),
                   b.field("Họ, chữ đệm, tên người mẹ", mother.upper),
                   b.fields([("Năm sinh", str(mother.birth.year)), ("Dân tộc", mother.ethnic),
                             ("Quốc tịch", "Việt Nam")]),
                   b.field("Họ, chữ đệm, tên người cha", father.upper),
                   b.fields([("Năm sinh", str(father.birth.year)), ("Dân tộc", father.ethnic),
                             ("Quốc tịch", "Việt Nam")])]
        subject = None
        b.meta(ho_ten=child.name)
    elif kind == "khai_tu":
        dead = person(rng, born=(1930, 1965))
        died = ctx.date - dt.timedelta(days=rng.randint(1, 20))
        blocks += [b.field("Quan hệ với người đã chết", rng.choice(["Con", "Vợ", "Chồng", "Cháu"])),
                   b.heading("Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:"),
                   b.field("Họ, chữ đệm, tên", dead.upper, bold_value=True),
                   b.fields([("Ngày, tháng, năm sinh", short_date(dead.birth)), ("Giới tính", dead.sex)]),
                   b.field("Nơi cư trú cuối cùng", dead.address),
                   b.field("Giấy tờ tùy thân", _id_paper(b, dead)),
                   b.field("Đã chết vào lúc", f"{rng.randint(0, 23)} giờ {rng.randint(0, 59)} phút, {long_date(died)}"),
                   b.field("Nơi chết", rng.choice(["Tại nhà", "Bệnh viện Đa khoa tỉnh"])),
                   b.field("Nguyên nhân chết", rng.choice(["Bệnh", "Già yếu"])),
                   b.field("Số Giấy báo tử/Giấy tờ thay thế Giấy báo tử", f"{rng.randint(1, 300)}/GBT")]
        subject = dead
    elif kind == "nhan_cha_me_con":
        c = person(rng, born=(2005, 2022))
        blocks += [b.heading("Đề nghị cơ quan công nhận người có tên dưới đây:"),
                   b.field("Họ, chữ đệm, tên", c.upper), b.fields([("Ngày, tháng, năm sinh", short_date(c.birth))]),
                   b.field("Là con của người yêu cầu", "Có")]
    elif kind == "cai_chinh":
        blocks += [b.field("Đề nghị cơ quan đăng ký việc", rng.choice(["cải chính", "bổ sung", "thay đổi"])),
                   b.field("Nội dung", rng.choice(["Ngày sinh ghi nhầm", "Bổ sung quê quán", "Thay đổi chữ đệm"])),
                   b.field("Lý do", rng.choice(["Ghi sai khi đăng ký", "Theo nguyện vọng của người yêu cầu"]))]
    elif kind == "giam_ho":
        w = person(rng, born=(2010, 2020))
        blocks += [b.heading("Đề nghị cơ quan đăng ký giám hộ cho người có tên dưới đây:"),
                   b.field("Họ, chữ đệm, tên người được giám hộ", w.upper),
                   b.fields([("Ngày, tháng, năm sinh", short_date(w.birth)), ("Giới tính", w.sex)])]
    else:
        blocks += [b.field("Đề nghị cấp bản sao trích lục", rng.choice(["khai sinh", "kết hôn", "khai tử"])),
                   b.field("Số lượng", f"{rng.randint(1, 4):02d} bản")]
    blocks += _pledge(b)
    if kind in ("khai_sinh", "cai_chinh") and rng.random() < 0.6:
        blocks.append(Para([Run(f"Đề nghị cấp bản sao: Có {b.box(True)}, Không {b.box(False)}   Số lượng: "),
                            *b.val(f"{rng.randint(1, 3):02d}"), Run("bản")], size=b.size, align="left"))
    blocks.append(citizen_sign(b, "Người yêu cầu", a.name))
    if subject is not None:
        b.meta(ho_ten=subject.name, so_dinh_danh=subject.ident)
    return b.done("to_khai", "Tờ khai", blocks)


def to_khai_ket_hon(ctx: Ctx) -> Doc:
    b = start(ctx, form=True)
    rng = b.rng
    wife, husband = person(rng, male=False, born=(1985, 2004)), person(rng, male=True, born=(1982, 2002))
    blocks = form_header(b, origin=_TT04 if rng.random() < 0.5 else None)
    blocks += [b.centre("TỜ KHAI ĐĂNG KÝ KẾT HÔN", "B", 14.5, space_after=3), _kinh_gui(b)]

    def v(x: str) -> str:
        return "" if b.blank else x

    rows = [["Thông tin", "Bên nữ", "Bên nam"],
            ["Họ, chữ đệm, tên", v(wife.upper), v(husband.upper)],
            ["Ngày, tháng, năm sinh", v(short_date(wife.birth)), v(short_date(husband.birth))],
            ["Dân tộc", v(wife.ethnic), v(husband.ethnic)], ["Quốc tịch", v("Việt Nam"), v("Việt Nam")],
            ["Nơi cư trú", v(wife.address), v(husband.address)],
            ["Giấy tờ tùy thân", v(f"CCCD số {wife.ident}"), v(f"CCCD số {husband.ident}")],
            ["Kết hôn lần thứ mấy", v("Thứ nhất"), v("Thứ nhất")]]
    blocks.append(Table(rows, [42, 62, 62], size=11.5))
    blocks += [b.para("Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự "
                      "nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam."),
               b.para("Chúng tôi chịu trách nhiệm trước pháp luật về cam đoan của mình."),
               Para(date_runs(b, "Làm tại: " + b.unit.place, ctx.date), size=12.5, align="center"),
               pair_sign(b, "Bên nữ", wife.name, "Bên nam", husband.name)]
    b.meta(dia_danh=b.unit.place, ngay_ban_hanh=ctx.date.isoformat())
    return b.done("to_khai", "Tờ khai", blocks)


def to_khai_cc01(ctx: Ctx) -> Doc:
    """The identity-card declaration: numbered lines, boxes for the identifier."""
    b = start(ctx, form=True)
    rng = b.rng
    p = person(rng, born=(1965, 2008))
    father, mother = person(rng, male=True, born=(1940, 1980)), person(rng, male=False, born=(1945, 1985))
    blocks = form_header(b, code="Mẫu CC01", origin=rng.choice([
        "(Ban hành kèm theo Thông tư số 17/2024/TT-BCA ngày 15/5/2024 của Bộ trưởng Bộ Công an)",
        "(ban hành kèm theo Thông tư số 41/2019/TT-BCA ngày 01/10/2019)"]))
    title = rng.choice(["TỜ KHAI CĂN CƯỚC", "TỜ KHAI CĂN CƯỚC CÔNG DÂN"])
    blocks.append(b.centre(title, "B", 14.5, space_after=4))
    ident = " ".join(p.ident) if rng.random() < 0.4 and not b.blank else p.ident
    blocks += [b.field("1. Họ, chữ đệm và tên", p.upper, bold_value=True),
               b.field("2. Họ, chữ đệm và tên gọi khác (nếu có)", "Không"),
               b.fields([("3. Ngày, tháng, năm sinh", short_date(p.birth)), ("4. Giới tính", p.sex)]),
               b.field("5. Số định danh cá nhân", ident),
               b.fields([("6. Dân tộc", p.ethnic), ("7. Tôn giáo", "Không"), ("8. Quốc tịch", "Việt Nam")]),
               b.fields([("9. Tình trạng hôn nhân", rng.choice(["Độc thân", "Đã kết hôn"])), ("10. Nhóm máu", "O")]),
               b.field("11. Nơi đăng ký khai sinh", p.address.split(", ", 1)[1]),
               b.field("12. Quê quán", p.address.split(", ", 1)[1]),
               b.field("13. Nơi thường trú", p.address),
               b.field("14. Nơi ở hiện tại", p.address),
               b.fields([("15. Nghề nghiệp", rng.choice(["Nông dân", "Công nhân", "Học sinh"])),
                         ("16. Trình độ học vấn", "12/12")]),
               b.field("17. Họ, chữ đệm và tên của cha", father.upper),
               b.field("18. Họ, chữ đệm và tên của mẹ", mother.upper),
               b.field("19. Yêu cầu của công dân", rng.choice(["Cấp mới", "Cấp đổi", "Cấp lại"])),
               b.para("Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật./."),
               citizen_sign(b, "NGƯỜI KHAI", p.name, caption="(Ký, ghi rõ họ tên)")]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("to_khai", "Tờ khai", blocks)


def to_khai_bhxh(ctx: Ctx) -> Doc:
    """The social-insurance declaration TK1-TS: a two-column header and bracketed field codes."""
    b = start(ctx, form=True)
    rng = b.rng
    p = person(rng, born=(1965, 2005))
    blocks: list[Block] = [Para([Run("Mẫu TK1-TS", "B")], size=11.5, align="right", space_after=0),
                           Para([Run("(Ban hành kèm theo Quyết định số 490/QĐ-BHXH ngày 28/3/2023 của BHXH Việt Nam)",
                                     "I")], size=10, align="right", space_after=2),
                           Columns([Column(12, 70, [b.centre("BẢO HIỂM XÃ HỘI VIỆT NAM", "B", 12)]),
                                    Column(85, 118, motto_lines(b, 12.5))], space_after=4),
                           b.centre("TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ", "B",
                                    13.5, space_after=3),
                           b.heading("I. Áp dụng đối với người tham gia")]
    blocks += [b.field("[01]. Họ và tên (viết chữ in hoa)", p.upper, bold_value=True),
               b.fields([("[02]. Giới tính", p.sex), ("[03]. Ngày, tháng, năm sinh", short_date(p.birth))]),
               b.fields([("[04]. Quốc tịch", "Việt Nam"), ("[05]. Dân tộc", p.ethnic)]),
               b.field("[06]. Số CCCD/ĐDCN/Hộ chiếu", p.ident),
               b.field("[07]. Điện thoại liên hệ", phone(rng)),
               b.field("[08]. Địa chỉ nhận kết quả", p.address),
               b.field("[09]. Mã số BHXH (nếu có)", str(rng.randint(10**9, 10**10 - 1))),
               b.field("[10]. Nơi đăng ký khám bệnh, chữa bệnh ban đầu", "Trạm Y tế xã"),
               b.para("Tôi cam đoan những nội dung kê khai là đúng và chịu trách nhiệm trước pháp luật về những "
                      "nội dung đã kê khai."),
               pair_sign(b, "XÁC NHẬN CỦA ĐƠN VỊ", "", "Người kê khai", p.name)]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident, nguoi_ky=p.name, chuc_vu_nguoi_ky="Người kê khai")
    return b.done("to_khai", "Tờ khai", blocks)


# --- đơn -------------------------------------------------------------------------------------------
def don_de_nghi(ctx: Ctx) -> Doc:
    b = start(ctx, form=True)
    rng = b.rng
    p = person(rng, born=(1950, 2003))
    title, ask = rng.choice([
        ("ĐƠN ĐỀ NGHỊ", "xác nhận hộ gia đình có hoàn cảnh khó khăn"),
        ("ĐƠN XIN XÁC NHẬN", "xác nhận thời gian cư trú tại địa phương"),
        ("ĐƠN ĐỀ NGHỊ HỖ TRỢ", "hỗ trợ kinh phí khắc phục thiệt hại sau bão"),
        ("ĐƠN XIN CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT", "cho phép chuyển mục đích sử dụng đất vườn sang đất ở"),
        ("ĐƠN ĐỀ NGHỊ ĐĂNG KÝ THƯỜNG TRÚ", "đăng ký thường trú cho các thành viên trong hộ"),
        ("GIẤY ĐỀ NGHỊ", "cấp lại bản sao giấy tờ hộ tịch bị thất lạc"),
    ])
    blocks = form_header(b, place_date=rng.random() < 0.4)
    blocks.append(b.centre(title, "B", 15, space_after=1))
    if rng.random() < 0.4:
        blocks.append(b.centre(f"(V/v: {ask})", "I", 12.5, space_after=2))
    blocks.append(_kinh_gui(b))
    label = rng.choice(["Tôi tên là", "Họ và tên", "Tên tôi là", "Họ, chữ đệm, tên người làm đơn"])
    blocks += [b.field(label, p.name if rng.random() < 0.5 else p.upper, bold_value=True),
               b.fields([("Sinh ngày", short_date(p.birth)), ("Dân tộc", p.ethnic)]),
               b.field(rng.choice(["Số định danh cá nhân", "CMND/CCCD số", "Số CCCD"]), p.ident),
               b.field(rng.choice(["Nơi cư trú", "Thường trú", "Địa chỉ"]), p.address),
               b.field("Số điện thoại", phone(rng)),
               b.para(f"Nay tôi làm đơn này kính đề nghị {b.unit.short} xem xét, {ask}."),
               b.para(rng.choice(["Lý do: gia đình tôi thuộc diện khó khăn, không có nguồn thu nhập ổn định.",
                                  "Lý do: để hoàn thiện hồ sơ theo yêu cầu của cơ quan có thẩm quyền.",
                                  "Lý do: bản chính đã bị thất lạc trong đợt lũ vừa qua."])),
               b.para(rng.choice(["Tôi xin cam đoan những lời khai trên là đúng sự thật, nếu sai tôi xin chịu trách "
                                  "nhiệm trước pháp luật.", "Kính mong cơ quan xem xét, giải quyết."])),
               b.para(rng.choice(["Xin chân thành cảm ơn!", "Tôi xin trân trọng cảm ơn./.", "Trân trọng./."])),
               citizen_sign(b, "Người làm đơn", p.name, caption="(Ký và ghi rõ họ tên)",
                            place_date=len(blocks) > 0 and rng.random() < 0.7)]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("don", "Đơn" if title.startswith("ĐƠN") else "Giấy đề nghị", blocks)


def don_hotich(ctx: Ctx) -> Doc:
    """An application titled ĐƠN that carries a tờ khai's requester block and pledge: the title says
    what it is, the body reads like a tờ khai."""
    b = start(ctx, form=True)
    rng = b.rng
    a = person(rng, born=(1955, 2002))
    title = rng.choice(["ĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH", "ĐƠN XIN CẤP LẠI BẢN SAO GIẤY KHAI SINH",
                        "ĐƠN ĐỀ NGHỊ XÁC NHẬN THÔNG TIN HỘ TỊCH", "ĐƠN ĐỀ NGHỊ ĐĂNG KÝ LẠI KHAI SINH"])
    blocks = form_header(b)
    blocks += [b.centre(title, "B", 14.5, space_after=3), _kinh_gui(b)]
    blocks += _requester(b, a)
    blocks += [b.field("Quan hệ với người được cấp bản sao", rng.choice(["Bản thân", "Cha", "Mẹ", "Con"])),
               b.field("Đề nghị cơ quan cấp", rng.choice(["bản sao trích lục khai sinh", "bản sao giấy khai sinh"])),
               b.field("Số lượng", f"{rng.randint(1, 5):02d} bản"),
               b.field("Lý do", rng.choice(["bổ sung hồ sơ nhập học", "làm thủ tục vay vốn", "bản chính bị mất"]))]
    blocks += _pledge(b)
    blocks.append(citizen_sign(b, rng.choice(["Người yêu cầu", "Người làm đơn"]), a.name))
    b.meta(ho_ten=a.name, so_dinh_danh=a.ident)
    return b.done("don", "Đơn", blocks)


def don_khieu_nai(ctx: Ctx) -> Doc:
    b = start(ctx, form=True)
    rng = b.rng
    p = person(rng, born=(1950, 1998))
    kind = rng.choice(["KHIẾU NẠI", "TỐ CÁO", "KIẾN NGHỊ, PHẢN ÁNH"])
    blocks = form_header(b, place_date=True)
    blocks += [b.centre(f"ĐƠN {kind}", "B", 15, space_after=3),
               _kinh_gui(b, rng.choice([b.unit.short, "Chủ tịch " + b.unit.short, "Thanh tra tỉnh"]))]
    role = {"KHIẾU NẠI": "người khiếu nại", "TỐ CÁO": "người tố cáo", "KIẾN NGHỊ, PHẢN ÁNH": "người kiến nghị"}[kind]
    blocks += [b.field(f"Họ và tên {role}", p.name, bold_value=True),
               b.field("Địa chỉ", p.address),
               b.field("Số CMND/Hộ chiếu/Thẻ căn cước công dân", p.ident),
               b.field("Ngày cấp, nơi cấp", f"{short_date(dt.date(2021, 5, 10))}, {_ISSUED_BY[0]}"),
               b.para(f"Nội dung {kind.lower()}: " + rng.choice([
                   "việc giải quyết bồi thường khi thu hồi đất chưa đúng diện tích thực tế của gia đình tôi.",
                   "hộ liền kề tự ý xây dựng công trình lấn chiếm lối đi chung của xóm.",
                   "việc cấp giấy chứng nhận quyền sử dụng đất chậm so với thời hạn đã hẹn."])),
               b.para("Tài liệu, chứng cứ kèm theo (nếu có): bản sao giấy tờ liên quan."),
               citizen_sign(b, f"NGƯỜI {kind.split(',')[0]}", p.name, caption="(Ký và ghi rõ họ tên hoặc điểm chỉ)",
                            place_date=False)]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("don", "Đơn", blocks)


def don_yeu_cau(ctx: Ctx) -> Doc:
    """A court-style request: a '(V/v: …)' line and the requester's particulars in running text."""
    b = start(ctx, form=True)
    rng = b.rng
    p, q = person(rng, born=(1960, 1998)), person(rng, born=(1960, 1998))
    title, vv = rng.choice([("ĐƠN YÊU CẦU", "Công nhận thuận tình ly hôn"),
                            ("ĐƠN KHỞI KIỆN", "Tranh chấp quyền sử dụng đất"),
                            ("ĐƠN YÊU CẦU GIẢI QUYẾT VIỆC DÂN SỰ", "Tuyên bố một người mất tích")])
    blocks = form_header(b, place_date=rng.random() < 0.5)
    blocks += [b.centre(title, "B", 15, space_after=0), b.centre(f"(V/v: {vv})", "I", 12.5, space_after=3),
               _kinh_gui(b, "Tòa án nhân dân khu vực " + rng.choice(["1", "2", "3"]) + " - " + b.unit.province)]
    blocks += [b.field("Người yêu cầu", p.name, bold_value=True),
               b.fields([("Sinh ngày", short_date(p.birth)), ("CMND/CCCD số", p.ident)]),
               b.field("Thường trú", p.address),
               b.field("Người có quyền lợi, nghĩa vụ liên quan", q.name),
               b.para("Nội dung yêu cầu: đề nghị Tòa án xem xét, giải quyết theo quy định của pháp luật."),
               b.para("Trân trọng./."),
               citizen_sign(b, "Người yêu cầu", p.name, caption="(Ký, ghi rõ họ tên)")]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("don", "Đơn", blocks)


# --- giấy ủy quyền -------------------------------------------------------------------------------------
def _uq(b: B) -> str:
    return "uỷ" if b.rng.random() < 0.3 else "ủy"


def _certify_signature(b: B, principal: Person) -> list[Block]:
    """The chứng thực chữ ký stamp a commune puts under a power of attorney."""
    rng = b.rng
    n = rng.randint(1, 900)
    return [Gap(3), b.centre("LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC", "B", 12.5, space_after=1),
            b.para(f"{long_date(b.ctx.date).capitalize()}, tại {b.unit.short}. Tôi, {signer(rng).name}, "
                   f"{rng.choice(['Phó Chủ tịch', 'Chủ tịch'])} {b.unit.short}"),
            b.centre("Chứng thực", "B", 12.5),
            b.para(f"Ông/bà {principal.name} đã ký trước mặt tôi và chữ ký trong giấy tờ này là chữ ký của ông/bà "
                   f"{principal.name}."),
            b.para(f"Số chứng thực {n}, quyển số {rng.randint(1, 3):02d}/{b.ctx.date.year} - SCT/CK.")]


def gu_civil(ctx: Ctx) -> Doc:
    b = start(ctx, form=True)
    rng = b.rng
    uq = _uq(b)
    a, c = person(rng, born=(1945, 1995)), person(rng, born=(1960, 2004))
    blocks = form_header(b, place_date=rng.random() < 0.5)
    blocks.append(b.centre(f"GIẤY {uq.upper().replace('UỶ', 'UỶ').replace('ỦY', 'ỦY')} QUYỀN", "B", 16, space_after=1))
    blocks.append(b.centre(rng.choice(["(Dành cho cá nhân)", "", ""]), "I", 12, space_after=3))
    blocks.append(b.para("Căn cứ Bộ luật Dân sự năm 2015 và các văn bản pháp luật liên quan.", "I"))
    lab1, lab2 = rng.choice([(f"Bên {uq} quyền", f"Bên được {uq} quyền"),
                             (f"Người {uq} quyền", f"Người được {uq} quyền"),
                             (f"BÊN A (bên {uq} quyền)", f"BÊN B (bên được {uq} quyền)")])
    num = rng.choice([("I. ", "II. ", "III. ", "IV. "), ("1. ", "2. ", "3. ", "4. "), ("", "", "", "")])
    for lab, p, k in ((lab1, a, 0), (lab2, c, 1)):
        blocks += [b.heading(f"{num[k]}{lab}:"),
                   b.field("Họ và tên", p.upper if rng.random() < 0.5 else p.name, bold_value=True),
                   b.fields([("Sinh ngày", short_date(p.birth)), ("Giới tính", p.sex)]),
                   b.field("Số CCCD", p.ident),
                   b.field("Nơi cư trú", p.address)]
    task = rng.choice(["nộp hồ sơ, nhận kết quả đăng ký khai sinh",
                       "nhận lương hưu và trợ cấp bảo hiểm xã hội hằng tháng",
                       "làm thủ tục chuyển nhượng quyền sử dụng đất", "nhận bản sao trích lục hộ tịch"])
    blocks += [b.heading(f"{num[2]}Nội dung {uq} quyền:"),
               b.para(f"{lab2.split(' (')[0].capitalize()} được thay mặt {lab1.split(' (')[0].lower()} {task}."),
               b.heading(f"{num[3]}Thời hạn {uq} quyền:"),
               b.para(f"Từ ngày ký đến ngày {short_date(ctx.date + dt.timedelta(days=rng.choice([90, 180, 365])))}."),
               b.para(f"Chúng tôi cam kết chấp hành đúng nội dung {uq} quyền, chịu trách nhiệm trước pháp luật về mọi "
                      "thông tin đã ghi trong giấy này."),
               pair_sign(b, lab2.split(" (")[0].upper(), c.name, lab1.split(" (")[0].upper(), a.name)]
    if rng.random() < 0.4 and not b.blank:
        blocks += _certify_signature(b, a)
    b.meta(ho_ten=a.name, so_dinh_danh=a.ident, nguoi_ky=a.name, chuc_vu_nguoi_ky=lab1.split(" (")[0].upper())
    return b.done("giay_uy_quyen", f"Giấy {uq} quyền", blocks)


def gu_hotich(ctx: Ctx) -> Doc:
    """A power of attorney for a civil-status procedure, written on the tờ khai's pattern: requester
    block, 'Kính gửi', the pledge. Its title is what it is."""
    b = start(ctx, form=True)
    rng = b.rng
    uq = _uq(b)
    a, c = person(rng, born=(1955, 2000)), person(rng, born=(1960, 2004))
    blocks = form_header(b)
    blocks += [b.centre(f"GIẤY {uq.upper()} QUYỀN", "B", 16, space_after=3), _kinh_gui(b)]
    blocks += _requester(b, a, f"Họ, chữ đệm, tên người {uq} quyền")
    blocks += [b.field(f"Họ, chữ đệm, tên người được {uq} quyền", c.upper, bold_value=True),
               b.field("Giấy tờ tùy thân", _id_paper(b, c)),
               b.field("Quan hệ với người " + uq + " quyền", rng.choice(["Con", "Anh", "Em", "Cháu"])),
               b.para(f"Nội dung {uq} quyền: thay mặt tôi nộp tờ khai, giấy tờ và nhận kết quả "
                      f"{rng.choice(['đăng ký khai sinh', 'đăng ký khai tử', 'cấp bản sao trích lục hộ tịch'])} tại "
                      f"{b.unit.short}.")]
    blocks += _pledge(b, f"{uq} quyền")
    blocks.append(pair_sign(b, f"NGƯỜI ĐƯỢC {uq.upper()} QUYỀN", c.name, f"NGƯỜI {uq.upper()} QUYỀN", a.name,
                            caption="(Ký, ghi rõ họ, chữ đệm, tên)"))
    if rng.random() < 0.5 and not b.blank:
        blocks += _certify_signature(b, a)
    b.meta(ho_ten=a.name, so_dinh_danh=a.ident, nguoi_ky=a.name, chuc_vu_nguoi_ky=f"NGƯỜI {uq.upper()} QUYỀN")
    return b.done("giay_uy_quyen", f"Giấy {uq} quyền", blocks)


def gu_bhxh(ctx: Ctx) -> Doc:
    b = start(ctx, form=True)
    rng = b.rng
    a, c = person(rng, born=(1945, 1965)), person(rng, born=(1970, 2000))
    blocks: list[Block] = [Para([Run("Mẫu số 13-HSB", "B")], size=11.5, align="right", space_after=2)]
    blocks += form_header(b)
    blocks.append(b.centre("GIẤY ỦY QUYỀN", "B", 16, space_after=4))
    for head, p, bhxh in (("I. Người ủy quyền:", a, True), ("II. Người được ủy quyền:", c, False)):
        blocks += [b.heading(head), b.fields([("Họ và tên", p.name), ("sinh ngày", short_date(p.birth))])]
        if bhxh:
            blocks += [b.field("Mã số BHXH", str(rng.randint(10**9, 10**10 - 1))),
                       b.field("Loại chế độ được hưởng", rng.choice(["Lương hưu", "Trợ cấp tuất hằng tháng"]))]
        blocks += [b.field("Số CMND/số căn cước công dân/số hộ chiếu", f"{p.ident}"),
                   b.field("Nơi cư trú", p.address), b.field("Số điện thoại liên hệ", phone(rng))]
    blocks += [b.heading("III. Nội dung ủy quyền:"),
               b.para(rng.choice(["Nhận thay lương hưu, trợ cấp bảo hiểm xã hội hằng tháng.",
                                  "Làm thủ tục và nhận kết quả giải quyết chế độ bảo hiểm xã hội."])),
               b.heading("IV. Thời hạn ủy quyền:"),
               b.para(f"Từ tháng {ctx.date.month}/{ctx.date.year} đến tháng {ctx.date.month}/{ctx.date.year + 1}."),
               b.para("Chúng tôi cam kết chấp hành đúng nội dung ủy quyền như đã nêu ở trên. Nếu vi phạm, chúng tôi "
                      "hoàn toàn chịu trách nhiệm trước pháp luật."),
               Para(date_runs(b, b.unit.place, ctx.date), size=12.5, align="right"),
               pair_sign(b, "NGƯỜI ĐƯỢC ỦY QUYỀN", c.name, "NGƯỜI ỦY QUYỀN", a.name)]
    b.meta(ho_ten=a.name, so_dinh_danh=a.ident, dia_danh=b.unit.place, ngay_ban_hanh=ctx.date.isoformat(),
           nguoi_ky=a.name, chuc_vu_nguoi_ky="NGƯỜI ỦY QUYỀN")
    return b.done("giay_uy_quyen", "Giấy ủy quyền", blocks)


def gu_shareholder(ctx: Ctx) -> Doc:
    b = start(ctx, form=True, corporate=True)
    rng = b.rng
    name, _short, address, tax = rng.choice(company())
    a, c = person(rng, born=(1950, 1990)), person(rng, born=(1960, 1995))
    year = ctx.date.year
    uq = _uq(b)
    blocks = company_header(b, name, address, tax, motto=False)
    blocks += [b.centre(f"GIẤY {uq.upper()} QUYỀN", "B", 15), b.centre(f"THAM DỰ ĐẠI HỘI ĐỒNG CỔ ĐÔNG THƯỜNG NIÊN NĂM "
                                                                      f"{year}", "B", 13.5, space_after=3),
               _kinh_gui(b, name),
               b.para(f"Hôm nay, {long_date(ctx.date)}, tại {b.unit.place}, chúng tôi gồm:"),
               b.heading(f"1. Bên {uq} quyền"),
               b.field("- Tên cổ đông", a.upper, bold_value=True),
               b.field("- Địa chỉ thường trú/Trụ sở chính", a.address),
               b.field("- Số CMND/CCCD/ĐKKD/Hộ chiếu", a.ident),
               b.fields([("- Số cổ phần sở hữu", f"{rng.randint(100, 90000):,}".replace(",", ".")),
                         ("Mã số cổ đông", f"{_short}{rng.randint(100, 999)}")]),
               b.heading(f"2. Bên được {uq} quyền"),
               b.field("- Tên tổ chức/cá nhân", c.upper, bold_value=True),
               b.field("- Số ĐKKD/CMND/CCCD/Hộ chiếu", c.ident),
               b.heading(f"3. Nội dung {uq} quyền:"),
               b.para(f"Bên được {uq} quyền thay mặt bên {uq} quyền tham dự và biểu quyết tất cả các vấn đề tại Đại "
                      "hội."),
               b.heading(f"4. Thời hạn {uq} quyền:"), b.para("Đến khi kết thúc Đại hội."),
               pair_sign(b, f"Bên được {uq} quyền", c.name, f"Bên {uq} quyền", a.name,
                         caption="(ký, ghi rõ họ tên, đóng dấu nếu là tổ chức)")]
    b.meta(ho_ten=a.name, so_dinh_danh=a.ident, co_quan_ban_hanh=name, nguoi_ky=a.name,
           chuc_vu_nguoi_ky=f"Bên {uq} quyền")
    return b.done("giay_uy_quyen", f"Giấy {uq} quyền", blocks)


# --- hợp đồng -------------------------------------------------------------------------------------------
def hop_dong(ctx: Ctx) -> Doc:
    b = start(ctx, form=True, blank_share=0.1)
    rng = b.rng
    kind = rng.choice(["lao_dong", "thue", "chuyen_nhuong", "uy_quyen", "dich_vu"])
    title = {"lao_dong": "HỢP ĐỒNG LAO ĐỘNG", "thue": "HỢP ĐỒNG THUÊ NHÀ Ở",
             "chuyen_nhuong": "HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT", "uy_quyen": "HỢP ĐỒNG ỦY QUYỀN",
             "dich_vu": "HỢP ĐỒNG CUNG CẤP DỊCH VỤ"}[kind]
    a, c = person(rng, born=(1955, 1995)), person(rng, born=(1960, 2002))
    blocks: list[Block]
    if kind in ("lao_dong", "dich_vu"):
        iss = issuer(b)
        n = doc_number(rng, ctx.date)
        blocks = state_header(b, body=iss.body, parent=iss.parent, so=so_line(b, n, f"HĐ-{iss.abbr}"),
                              place=iss.place, date=ctx.date)
        party_a = iss.short
    else:
        blocks = form_header(b, place_date=rng.random() < 0.5)
        party_a = a.name
    blocks.append(b.centre(title, "B", 15, space_after=4))
    blocks += [b.para("Căn cứ Bộ luật Dân sự năm 2015;", "I"),
               b.para(f"Hôm nay, {long_date(ctx.date)}, tại {b.unit.place}, chúng tôi gồm có:"),
               b.heading(rng.choice([f"BÊN A: {party_a}",
                                     f"Bên A ({'bên cho thuê' if kind == 'thue' else 'bên thứ nhất'}): {party_a}"])),
               b.field("Đại diện" if kind in ("lao_dong", "dich_vu") else "Số CCCD",
                       signer(rng).name if kind in ("lao_dong", "dich_vu") else a.ident),
               b.heading(f"BÊN B: {c.name if not b.blank else ''}"),
               b.field("Số CCCD", c.ident), b.field("Địa chỉ", c.address),
               b.para("Hai bên thỏa thuận ký kết hợp đồng với các điều khoản sau:"),
               b.para("Điều 1. Nội dung: " + rng.choice(["Bên B làm việc tại Bên A", "Bên A cho Bên B thuê",
                                                         "Bên A chuyển nhượng cho Bên B"]) + "."),
               b.para(f"Điều 2. Giá trị hợp đồng: {money(rng.randint(5, 900) * 1_000_000)}."),
               b.para("Điều 3. Hợp đồng được lập thành 02 bản có giá trị pháp lý như nhau, mỗi bên giữ 01 bản."),
               pair_sign(b, "BÊN B", c.name, "BÊN A",
                         party_a if kind not in ("lao_dong", "dich_vu") else signer(rng).name,
                         seal_right=kind in ("lao_dong", "dich_vu"))]
    b.meta(trich_yeu=None)
    return b.done("hop_dong", "Hợp đồng", blocks)


# --- one-stop-shop slips ---------------------------------------------------------------------------------
def phieu_mot_cua(ctx: Ctx) -> Doc:
    b = start(ctx, form=True, blank_share=0.2, hand_share=0.1)
    rng = b.rng
    proc = ctx.procedure or rng.choice(sorted(PROCEDURES))
    code = ctx.dossier or f"{b.unit.code}-{ctx.date:%y%m%d}-{rng.randint(1, 999):04d}"
    p = person(rng, born=(1955, 2004))
    desk = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" if ctx.date >= REFORM_DAY else "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    kind = rng.choices(["tiep_nhan", "bo_sung", "tu_choi", "xin_loi", "kiem_soat", "tra_kq", "ban_giao"],
                       [6, 2, 1, 1, 1, 1, 1])[0]
    title = {"tiep_nhan": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
             "bo_sung": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
             "tu_choi": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
             "xin_loi": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
             "kiem_soat": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
             "tra_kq": "GIẤY BIÊN NHẬN TRẢ KẾT QUẢ", "ban_giao": "PHIẾU BÀN GIAO HỒ SƠ"}[kind]
    mau = {"tiep_nhan": "01", "bo_sung": "02", "tu_choi": "03", "xin_loi": "04", "kiem_soat": "05"}.get(kind)
    shown = "" if b.blank else code
    left: list[ColumnItem] = [b.centre(b.unit.body if rng.random() < 0.5 else b.unit.parent or b.unit.body, "R", 12),
                              b.centre(desk, "B", 12), Gap(1),
                              Para([Run("Mã hồ sơ:"), Run(shown, "B")], size=12, align="center", space_after=1)]
    blocks: list[Block] = []
    qr = code if ctx.qr is None else ctx.qr
    if qr and not b.blank:
        blocks.append(QR(qr, rng.choice([18.0, 20.0, 22.0]), ctx.qr_damaged))
    if mau and rng.random() < 0.5:
        blocks.append(Para([Run(f"Mẫu số {mau}", "I")], size=11, align="right", space_after=0))
    blocks.append(Columns([Column(12, 80, left), Column(95, 108, [*motto_lines(b, 12),
                           Para(date_runs(b, b.unit.place, ctx.date), size=12.5, align="center")])], space_after=4))
    blocks.append(b.centre(title, "B", 14, space_after=1))
    if kind == "tiep_nhan":
        blocks.append(b.centre(rng.choice(["(Liên: Giao khách hàng)", "(Liên: Lưu)", ""]), "I", 12, space_after=3))
    channel = rng.choice(["trực tiếp", "trực tuyến", "bưu chính"])
    blocks += [b.field(f"{desk.capitalize()}", b.unit.area),
               Para([Run("Tiếp nhận hồ sơ của Ông (Bà):"), *b.val(p.name, "B"), Run(f"({channel}).")], size=b.size,
                    align="left", space_after=1.2),
               b.field("Số căn cước/Hộ chiếu", p.ident), b.field("Địa chỉ", p.address),
               b.fields([("Số điện thoại", phone(rng)), ("Email", "")]),
               b.field("Nội dung yêu cầu giải quyết", PROCEDURES[proc])]
    if kind == "tiep_nhan":
        rows = [["TT", "Thành phần hồ sơ", "Bản chính", "Bản sao", "Bản photo"]]
        for i, comp in enumerate(["Tờ khai theo mẫu", "Giấy tờ tùy thân", "Giấy tờ chứng minh"][: rng.randint(1, 3)]):
            rows.append([str(i + 1), comp, "1", "0", str(rng.randint(0, 1))])
        due = ctx.date + dt.timedelta(days=rng.randint(1, 5))
        blocks += [b.heading("1. Thành phần hồ sơ, số lượng mỗi loại giấy tờ:"), Table(rows, [12, 78, 25, 25, 25]),
                   b.field("2. Số lượng hồ sơ", "01 bộ"),
                   b.field("3. Thời gian giải quyết hồ sơ theo quy định là",
                           f"{(due - ctx.date).days:02d} ngày làm việc"),
                   b.field("4. Thời gian nhận hồ sơ", f"{rng.randint(7, 16)} giờ {rng.choice(['00', '15', '30'])} "
                                                     "phút, "
                                                     f"ngày {short_date(ctx.date)}"),
                   b.field("5. Thời gian trả kết quả giải quyết hồ sơ", f"ngày {short_date(due)}"),
                   b.field("6. Đăng ký nhận kết quả tại", rng.choice(["Trung tâm", "Dịch vụ bưu chính công ích"]))]
    elif kind == "bo_sung":
        blocks += [b.para("Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:"),
                   Table([["STT", "Thành phần hồ sơ", "Số lượng"], ["1", "Bản sao giấy tờ chứng minh", "01"]],
                         [15, 110, 40]),
                   b.para("Lý do: thành phần hồ sơ chưa đầy đủ theo quy định.")]
    elif kind == "tu_choi":
        blocks.append(b.para(f"Qua xem xét, {desk.capitalize()} thông báo không tiếp nhận, giải quyết hồ sơ này với lý "
                             "do cụ thể như sau: hồ sơ không thuộc thẩm quyền giải quyết."))
    elif kind == "xin_loi":
        blocks.append(b.para("Hồ sơ của Ông/Bà đã quá hạn giải quyết do cần xác minh thêm. Chúng tôi thành thật xin "
                             f"lỗi và hẹn trả kết quả vào ngày {short_date(ctx.date + dt.timedelta(days=5))}."))
    elif kind == "kiem_soat":
        rows = [["Tên cơ quan", "Thời gian giao, nhận hồ sơ", "Kết quả giải quyết", "Ghi chú"],
                ["1. Giao: Bộ phận TN&TKQ", f"{short_date(ctx.date)}", "", ""],
                ["2. Nhận: Phòng chuyên môn", f"{short_date(ctx.date)}", "Đúng hạn", ""]]
        blocks.append(Table(rows, [50, 45, 40, 30], size=11))
    else:
        blocks.append(b.para("Đã trả kết quả giải quyết thủ tục hành chính cho người có tên trên."))
    receiver = person(rng, born=(1985, 2000))
    right = {"tu_choi": "NGƯỜI TỪ CHỐI", "tra_kq": "NGƯỜI TRẢ KẾT QUẢ"}.get(kind, "NGƯỜI TIẾP NHẬN HỒ SƠ")
    blocks.append(pair_sign(b, "NGƯỜI NỘP HỒ SƠ", p.name, right, receiver.name, caption="(Ký và ghi rõ họ tên)"))
    b.meta(ma_ho_so=code, ma_thu_tuc=None, ho_ten=p.name, so_dinh_danh=p.ident, co_quan_ban_hanh=desk,
           dia_danh=b.unit.place, ngay_ban_hanh=ctx.date.isoformat(), nguoi_ky=receiver.name, chuc_vu_nguoi_ky=right)
    return b.done("phieu_mot_cua", title[0] + title[1:].lower(), blocks)


# --- receipts ---------------------------------------------------------------------------------------------
def bien_lai(ctx: Ctx) -> Doc:
    b = start(ctx, form=True, blank_share=0.25, hand_share=0.35)
    rng = b.rng
    p = person(rng, born=(1955, 2004))
    n = rng.randint(1, 99999)
    fee, amount = rng.choice([("Lệ phí đăng ký kết hôn", 0), ("Phí chứng thực bản sao", 2000),
                              ("Lệ phí cấp bản sao trích lục hộ tịch", 8000), ("Phí chứng thực chữ ký", 10000),
                              ("Lệ phí cấp giấy phép xây dựng", 75000)])
    amount = amount * rng.randint(1, 5) or 0
    collector = rng.choice([b.unit.body, f"Bưu điện tỉnh {b.unit.province}", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"])
    title = rng.choice(["BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ", "BIÊN LAI THU PHÍ, LỆ PHÍ",
                        "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ KHÔNG CÓ MỆNH GIÁ"])
    left: list[ColumnItem] = [Para([Run("Đơn vị thu:", "B")], size=11, align="left"),
                              Para([Run(nfc(collector))], size=11, align="left"),
                              Para([Run(f"Mã số thuế: {rng.randint(10**9, 10**10 - 1)}")], size=11, align="left")]
    right: list[ColumnItem] = [Para([Run("Mẫu số: 01BLP0-001")], size=11, align="left"),
                               Para([Run(f"Ký hiệu: {rng.choice(['AA', 'AB', 'BL'])}/{ctx.date:%y}P")], size=11,
                                    align="left"),
                               Para([Run("Số:"), Run(f"{n:07d}", "B")], size=11, align="left")]
    blocks: list[Block] = [Columns([Column(12, 60, left), Column(72, 82, motto_lines(b, 11)), Column(156, 48, right)],
                                   space_after=5),
                           b.centre(title, "B", 15),
                           b.centre(rng.choice(["(Liên 1: Lưu tại cơ quan thu)", "(Liên 2: Giao cho người nộp tiền)"]),
                                    "I", 12, space_after=4),
                           b.field("Tên loại phí, lệ phí", fee),
                           b.field("Tên đơn vị hoặc người nộp tiền", p.name, bold_value=True)]
    if ctx.dossier:
        blocks.append(b.field("Mã hồ sơ", ctx.dossier))
    blocks += [b.field("Địa chỉ", p.address),
               b.field("Số tiền", f"{amount:,} VNĐ".replace(",", ".")),
               b.field("(Viết bằng chữ)", (number_words(amount).capitalize() + " đồng") if amount else "Không đồng"),
               b.field("Hình thức thanh toán", rng.choice(["Tiền mặt", "Chuyển khoản", "Trực tiếp"])),
               Para(date_runs(b, None, ctx.date), size=12, align="right"),
               pair_sign(b, "Người nộp tiền", p.name, "Người thu tiền", (clerk := person(rng, born=(1980, 2000))).name)]
    # the collector signs the receipt, as family A's say; the type name is the title as printed
    b.meta(so=f"{n:07d}", ngay_ban_hanh=ctx.date.isoformat(), co_quan_ban_hanh=collector, ho_ten=p.name,
           ma_ho_so=ctx.dossier, nguoi_ky=clerk.name, chuc_vu_nguoi_ky="Người thu tiền")
    return b.done("bien_lai", sentence_case(title), blocks)


# --- identity card copies ----------------------------------------------------------------------------------
def can_cuoc(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    p = person(rng, born=(1960, 2008))
    new = ctx.date >= dt.date(2024, 7, 1) and rng.random() < 0.6
    expiry = dt.date(min(p.birth.year + rng.choice([25, 40, 60]), 2090), p.birth.month, min(p.birth.day, 28))
    issued = ctx.date - dt.timedelta(days=200 if new else 400)  # the card's own date, printed on its back
    if new:
        front = [b.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 9.5),
                 b.centre("SOCIALIST REPUBLIC OF VIET NAM", "R", 8.5),
                 b.centre("CĂN CƯỚC", "B", 13), b.centre("IDENTITY CARD", "B", 9.5, space_after=2),
                 Para([Run("Số định danh cá nhân / Personal identification number:")], size=8.5, align="left"),
                 Para([Run(p.ident, "B")], size=12, align="left"),
                 Para([Run("Họ, chữ đệm và tên khai sinh / Full name:")], size=8.5, align="left"),
                 Para([Run(p.upper, "B")], size=10.5, align="left"),
                 Para([Run(f"Ngày sinh / Date of birth: {short_date(p.birth)}")], size=8.5, align="left"),
                 Para([Run(f"Giới tính / Sex: {p.sex}   Quốc tịch / Nationality: Việt Nam")], size=8.5, align="left")]
        back = [Para([Run(f"Nơi cư trú / Place of residence: {p.address}")], size=8.5, align="left"),
                Para([Run(f"Nơi đăng ký khai sinh / Place of birth: {p.address.split(', ', 1)[1]}")], size=8.5,
                     align="left"),
                Para([Run(f"Ngày, tháng, năm cấp / Date of issue: {short_date(issued)}")],
                     size=8.5, align="left"),
                Para([Run(f"Ngày, tháng, năm hết hạn / Date of expiry: {short_date(expiry)}")], size=8.5, align="left"),
                b.centre("BỘ CÔNG AN", "B", 9), b.centre("MINISTRY OF PUBLIC SECURITY", "R", 8)]
    else:
        front = [b.centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 9.5),
                 b.centre("Độc lập - Tự do - Hạnh phúc", "B", 8.5),
                 b.centre("CĂN CƯỚC CÔNG DÂN", "B", 12.5), b.centre("Citizen Identity Card", "I", 9, space_after=2),
                 Para([Run(f"Số / No.: {p.ident}", "B")], size=11, align="left"),
                 Para([Run(f"Họ và tên / Full name: {p.upper}")], size=9, align="left"),
                 Para([Run(f"Ngày sinh / Date of birth: {short_date(p.birth)}")], size=9, align="left"),
                 Para([Run(f"Giới tính / Sex: {p.sex}  Quốc tịch / Nationality: Việt Nam")], size=9, align="left"),
                 Para([Run(f"Quê quán / Place of origin: {p.address.split(', ', 1)[1]}")], size=9, align="left"),
                 Para([Run(f"Nơi thường trú / Place of residence: {p.address}")], size=9, align="left"),
                 Para([Run(f"Có giá trị đến / Date of expiry: {short_date(expiry)}")], size=8.5, align="left")]
        back = [Para([Run("Đặc điểm nhân dạng / Personal identification: Nốt ruồi cách 2 cm trên đầu mày trái")],
                     size=8.5, align="left"),
                Para([Run(f"Ngày, tháng, năm / Date, month, year: {short_date(issued)}")],
                     size=8.5, align="left"),
                b.centre("CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", "B", 8)]
    mrz = f"IDVNM{p.ident[3:]}{p.ident[-1]}{p.ident}<<{rng.randint(0, 9)}"
    back.append(Para([Run(mrz[:30], "M")], size=9, align="left", space_after=0))
    blocks: list[Block] = [Card(front, photo=True), Card(back)]
    if rng.random() < 0.3:  # the certified copy stamp belongs to ban_sao_chung_thuc; this is a plain photocopy
        blocks.append(Para([Run("Bản photo", "I")], size=10, align="right"))
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident, ngay_ban_hanh=issued.isoformat())
    return b.done("can_cuoc", "Căn cước" if new else "Căn cước công dân", blocks)


# --- no class -------------------------------------------------------------------------------------------
def khac(ctx: Ctx) -> Doc:
    """Papers of no class, labelled with what they print (their header's body, place and date, their title
    as the type name, their signer), as family A labels its own."""
    kind = ctx.rng.choice(["lylich", "phieu_xu_ly", "quy_che", "danh_sach", "xac_nhan", "bang_ke", "thu_cam_on"])
    b = start(ctx, form=kind in ("lylich", "phieu_xu_ly"), blank_share=0.3)  # the others have nothing to fill in
    rng = b.rng
    blocks: list[Block]
    if kind == "lylich":
        p = person(rng, born=(1965, 2004))
        blocks = form_header(b)
        blocks += [b.centre(rng.choice(["SƠ YẾU LÝ LỊCH", "SƠ YẾU LÝ LỊCH TỰ THUẬT", "MẪU SƠ YẾU LÝ LỊCH"]), "B", 15,
                            space_after=4),
                   b.field("Họ và tên", p.upper, bold_value=True), b.field("Sinh ngày", short_date(p.birth)),
                   b.field("Nơi đăng ký hộ khẩu thường trú", p.address), b.field("Số CMND/CCCD", p.ident),
                   b.heading("QUAN HỆ GIA ĐÌNH"), b.field("Họ và tên cha", person(rng, male=True).name),
                   b.field("Họ và tên mẹ", person(rng, male=False).name),
                   b.para("Tôi xin cam đoan những lời khai trên là đúng sự thật."),
                   citizen_sign(b, "Người khai", p.name, caption="(Ký và ghi rõ họ tên)")]
        b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
        return b.done("khac", "Sơ yếu lý lịch", blocks)
    iss = issuer(b)
    if kind == "phieu_xu_ly":
        blocks = [b.centre(iss.body, "B", 12.5), b.centre("PHIẾU XỬ LÝ VĂN BẢN", "B", 15, space_after=4),
                  b.field("Trích yếu văn bản", "Về việc đôn đốc báo cáo"), b.field("Số đến", str(rng.randint(1, 900))),
                  b.field("Ý kiến của lãnh đạo", "Giao Văn phòng tham mưu"),
                  b.field("Ý kiến của người xử lý", "")]
        b.meta(co_quan_ban_hanh=iss.body)
        return b.done("khac", "Phiếu xử lý văn bản", blocks)
    if kind == "quy_che":
        name = rng.choice(["QUY CHẾ", "QUY ĐỊNH", "NỘI QUY"])
        blocks = state_header(b, body=iss.body, parent=iss.parent, so=None, place=None, date=None)
        blocks += b.title(name, rng.choice(["Làm việc của Ủy ban nhân dân", "Tiếp công dân tại trụ sở",
                                            "Quản lý, sử dụng tài sản công"]))
        blocks.append(Para([Run(nfc(f"(Ban hành kèm theo Quyết định số {rng.randint(1, 300)}/QĐ-UBND ngày "
                                    f"{short_date(ctx.date)} của {iss.short})"), "I")], size=12, align="center"))
        for k in range(1, rng.randint(3, 5)):
            heading = rng.choice(["Phạm vi điều chỉnh.", "Đối tượng áp dụng.", "Nguyên tắc làm việc.",
                                  "Trách nhiệm thi hành."])
            blocks.append(Para([Run(f"Điều {k}.", "B"), Run(heading)],
                               size=b.size, indent=10))
            blocks.append(b.para("Quy định này áp dụng đối với cán bộ, công chức và người lao động của cơ quan."))
        return b.done("khac", name.capitalize(), blocks)
    if kind == "danh_sach":
        rows = [["STT", "Họ và tên", "Năm sinh", "Địa chỉ", "Ghi chú"]]
        for i in range(rng.randint(4, 10)):
            q = person(rng)
            rows.append([str(i + 1), q.name, str(q.birth.year), q.address.split(", ")[0], ""])
        blocks = state_header(b, body=iss.body, parent=iss.parent, so=None, place=iss.place, date=ctx.date)
        name = rng.choice(["DANH SÁCH", "BẢNG TỔNG HỢP", "BẢNG KÊ"])
        blocks += [b.centre(name, "B", 15),
                   b.centre(rng.choice(["Hộ nghèo, hộ cận nghèo năm " + str(ctx.date.year),
                                        "Cán bộ tham gia tập huấn", "Đối tượng được nhận quà Tết"]), "B", 13,
                            space_after=4),
                   Table(rows, [12, 55, 22, 55, 21], size=11.5),
                   sign(b, ["NGƯỜI LẬP BIỂU"], signer(rng).name, seal=False)]
        return b.done("khac", name.capitalize(), blocks)
    if kind == "xac_nhan":
        p = person(rng, born=(1960, 2004))
        blocks = state_header(b, body=iss.body, parent=iss.parent, so=None, place=iss.place, date=ctx.date)
        blocks += [b.centre("GIẤY XÁC NHẬN", "B", 15, space_after=3),
                   b.para(f"{iss.short} xác nhận: ông (bà) {p.name}, sinh ngày {short_date(p.birth)}, hiện cư trú tại "
                          f"{p.address}, là người có hoàn cảnh khó khăn."),
                   b.para("Giấy xác nhận có giá trị trong thời hạn 03 tháng kể từ ngày ký."),
                   sign(b, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signer(rng).name)]
        return b.done("khac", "Giấy xác nhận", blocks)
    if kind == "bang_ke":
        blocks = [b.centre(iss.body, "B", 12.5), b.centre("BẢNG KÊ THANH TOÁN CÔNG TÁC PHÍ", "B", 14, space_after=3),
                  Table([["STT", "Nội dung", "Số tiền"], ["1", "Tiền tàu xe", money(rng.randint(1, 9) * 100_000)],
                         ["2", "Phụ cấp lưu trú", money(rng.randint(1, 9) * 100_000)]], [15, 100, 50])]
        b.meta(co_quan_ban_hanh=iss.body)
        return b.done("khac", "Bảng kê thanh toán công tác phí", blocks)
    blocks = [b.centre("THƯ CẢM ƠN", "B", 15, space_after=3),
              b.para(f"{iss.short} trân trọng cảm ơn các tổ chức, cá nhân đã chung tay hỗ trợ Nhân dân khắc phục hậu "
                     "quả thiên tai."),
              sign(b, [iss.head], signer(rng).name)]
    return b.done("khac", "Thư cảm ơn", blocks)


B_FORMS: dict[str, list[tuple[str, Callable[[Ctx], Doc]]]] = {
    "to_khai": [("B.to_khai.hotich", to_khai_hotich), ("B.to_khai.ket_hon", to_khai_ket_hon),
                ("B.to_khai.cc01", to_khai_cc01), ("B.to_khai.bhxh", to_khai_bhxh)],
    "don": [("B.don.de_nghi", don_de_nghi), ("B.don.hotich", don_hotich), ("B.don.khieu_nai", don_khieu_nai),
            ("B.don.yeu_cau", don_yeu_cau)],
    "giay_uy_quyen": [("B.giay_uy_quyen.civil", gu_civil), ("B.giay_uy_quyen.hotich", gu_hotich),
                      ("B.giay_uy_quyen.bhxh", gu_bhxh), ("B.giay_uy_quyen.shareholder", gu_shareholder)],
    "hop_dong": [("B.hop_dong", hop_dong)],
    "phieu_mot_cua": [("B.phieu_mot_cua", phieu_mot_cua)],
    "bien_lai": [("B.bien_lai", bien_lai)],
    "can_cuoc": [("B.can_cuoc", can_cuoc)],
    "khac": [("B.khac", khac)],
}

__all__ = ["B_FORMS"]
