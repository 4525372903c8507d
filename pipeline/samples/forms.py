"""Forms and civil-status papers: tờ khai, đơn, giấy khai sinh, phiếu một cửa, ID card copies, receipts…"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.samples.content import (
    PROCEDURES,
    REFORM_DAY,
    Person,
    date_words,
    home_address,
    long_date,
    money,
    nfc,
    number_words,
    person,
    phone,
    place_date,
    short_date,
)
from pipeline.samples.model import (
    QR,
    Block,
    Card,
    Column,
    ColumnItem,
    Columns,
    Doc,
    Gap,
    Para,
    Run,
    Sign,
    Table,
    centre,
)
from pipeline.samples.parts import (
    Ctx,
    body,
    body_lines,
    field_line,
    fields_row,
    header,
    motto_block,
    motto_centre,
    number,
    official,
    signature,
    signer_lines,
    two_signatures,
)
from schemas.document import Party


def _done(ctx: Ctx, doc_type: str, ten_loai: str, blocks: list[Block], parties: list[Party] | None = None) -> Doc:
    ctx.meta["ten_loai"] = ten_loai
    return Doc(doc_type, blocks, dict(ctx.meta), list(parties or []))


def _party(role: str, p: Person, ident: bool = True) -> Party:
    """A person of the paper besides its citizen, as the extractor should list them."""
    return Party(role=role, ho_ten=p.name, so_dinh_danh=p.ident if ident else None)


def _citizen_sign(ctx: Ctx, who: str, name: str, place: bool = True) -> Columns:
    """The applicant's signature, bottom right, under 'Làm tại …, ngày …'."""
    items: list[ColumnItem] = []
    if place:
        items.append(centre(nfc(f"Làm tại: {place_date(ctx.unit.place, ctx.date)}"), "I", 13, space_after=2))
        ctx.meta.update(dia_danh=ctx.unit.place, ngay_ban_hanh=ctx.date.isoformat())
    items += [centre(who, "B", 13), centre("(Ký, ghi rõ họ, chữ đệm, tên)", "I", 12), Sign(20),
              centre(name, "B", 13)]
    ctx.meta.update(nguoi_ky=name, chuc_vu_nguoi_ky=who)  # the caption the citizen signs under
    return Columns([Column(95, 105, items)], space_after=2)


def _kinh_gui(ctx: Ctx) -> Para:
    return Para([Run("Kính gửi:"), Run(ctx.unit.short)], size=13, align="center", space_after=5)


def _person_fields(p: Person, prefix: str = "") -> list[Para]:
    return [
        field_line(f"Họ, chữ đệm, tên{prefix}", p.upper, value_font="B"),
        fields_row([("Ngày, tháng, năm sinh", short_date(p.birth)), ("Giới tính", p.sex), ("Dân tộc", p.ethnic),
                    ("Quốc tịch", "Việt Nam")]),
        field_line("Số định danh cá nhân", p.ident),
        field_line("Nơi cư trú", p.address),
    ]


# --- tờ khai ---------------------------------------------------------------------------------------
def to_khai(ctx: Ctx) -> Doc:
    rng = ctx.rng
    kind = rng.choice(["khai_sinh", "khai_sinh", "ket_hon", "khai_tu", "tthn", "trich_luc"])
    applicant = person(rng, born=(1960, 2002))
    blocks: list[Block] = [motto_centre()]
    titles = {"khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH", "ket_hon": "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
              "khai_tu": "TỜ KHAI ĐĂNG KÝ KHAI TỬ", "tthn": "TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
              "trich_luc": "TỜ KHAI ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH"}
    blocks += [centre(titles[kind], "B", 14, space_after=4), _kinh_gui(ctx)]
    if kind == "ket_hon":
        wife = person(rng, male=False, born=(1985, 2004))
        husband = person(rng, male=True, born=(1982, 2002))
        rows = [["Thông tin", "Bên nữ", "Bên nam"],
                ["Họ, chữ đệm, tên", wife.upper, husband.upper],
                ["Ngày, tháng, năm sinh", short_date(wife.birth), short_date(husband.birth)],
                ["Dân tộc", wife.ethnic, husband.ethnic], ["Quốc tịch", "Việt Nam", "Việt Nam"],
                ["Nơi cư trú", wife.address, husband.address],
                ["Số định danh cá nhân", wife.ident, husband.ident],
                ["Kết hôn lần thứ mấy", "Lần đầu", "Lần đầu"]]
        blocks.append(Table(rows, [45, 60, 60], size=11.5))
        blocks.append(body("Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi "
                           "là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam."))
        blocks.append(body("Chúng tôi chịu hoàn toàn trách nhiệm trước pháp luật về lời cam đoan của mình."))
        blocks.append(Columns([Column(25, 85, [centre(nfc(f"Làm tại: {place_date(ctx.unit.place, ctx.date)}"), "I",
                                                       12.5, space_after=3)])], space_after=1))
        blocks.append(two_signatures("Bên nữ", wife.name, "Bên nam", husband.name))
        ctx.meta.update(dia_danh=ctx.unit.place, ngay_ban_hanh=ctx.date.isoformat())
        # two people on equal footing: no citizen, both are parties
        return _done(ctx, "to_khai", "Tờ khai", blocks, [_party("Bên nữ", wife), _party("Bên nam", husband)])

    blocks += [
        field_line("Họ, chữ đệm, tên người yêu cầu", applicant.upper, value_font="B"),
        fields_row([("Ngày, tháng, năm sinh", short_date(applicant.birth)), ("Giới tính", applicant.sex)]),
        field_line("Nơi cư trú", applicant.address),
        field_line("Giấy tờ tùy thân", f"Căn cước công dân số {applicant.ident}"),
        field_line("Số định danh cá nhân", applicant.ident),
        field_line("Số điện thoại", phone(rng)),
    ]
    # The citizen a tờ khai is about: the child it registers (who has no identifier yet), the
    # deceased, or, for a request about oneself, the applicant.
    subject: Person | None = applicant
    parties: list[Party] = []
    if kind == "khai_sinh":
        mother = person(rng, male=False, born=(1988, 2004), address=applicant.address)
        father = person(rng, male=True, born=(1985, 2002), address=applicant.address)
        child_born = ctx.date - dt.timedelta(days=rng.randint(3, 55))
        child_male = rng.random() < 0.51
        child = person(rng, male=child_male, family=father.name.split()[0], child=True,
                       born=(child_born.year, child_born.year))
        blocks.append(field_line("Quan hệ với người được khai sinh", rng.choice(["Cha", "Mẹ", "Ông nội", "Bà ngoại"])))
        blocks.append(Para([Run("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", "B")], align="left",
                           space_after=2))
        blocks += [
            field_line("Họ, chữ đệm, tên", child.upper, value_font="B"),
            field_line("Ngày, tháng, năm sinh", short_date(child_born)),
            field_line("ghi bằng chữ", date_words(child_born)),
            fields_row([("Giới tính", child.sex), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
            field_line("Nơi sinh", rng.choice(_HOSPITALS)),
            field_line("Quê quán", home_address(rng).split(", ", 1)[1]),
            field_line("Họ, chữ đệm, tên người mẹ", mother.upper),
            fields_row([("Năm sinh", str(mother.birth.year)), ("Dân tộc", mother.ethnic), ("Quốc tịch", "Việt Nam")]),
            field_line("Nơi cư trú", mother.address),
            field_line("Họ, chữ đệm, tên người cha", father.upper),
            fields_row([("Năm sinh", str(father.birth.year)), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
            field_line("Nơi cư trú", father.address),
        ]
        subject = None
        ctx.meta["ho_ten"] = child.name
        parties = [_party("Người yêu cầu", applicant), _party("Người mẹ", mother, ident=False),
                   _party("Người cha", father, ident=False)]
    elif kind == "khai_tu":
        dead = person(rng, born=(1930, 1965))
        died = ctx.date - dt.timedelta(days=rng.randint(1, 14))
        blocks += [
            field_line("Quan hệ với người đã chết", rng.choice(["Con", "Vợ", "Chồng", "Cháu"])),
            Para([Run("Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:", "B")], align="left", space_after=2),
            field_line("Họ, chữ đệm, tên", dead.upper, value_font="B"),
            fields_row([("Ngày, tháng, năm sinh", short_date(dead.birth)), ("Giới tính", dead.sex)]),
            field_line("Số định danh cá nhân", dead.ident),
            field_line("Nơi cư trú cuối cùng", dead.address),
            field_line("Đã chết vào lúc", f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, "
                                          f"{long_date(died)}"),
            field_line("Nơi chết", rng.choice(["tại nhà", *_HOSPITALS])),
            field_line("Nguyên nhân chết", rng.choice(["Bệnh", "Già yếu", "Tai nạn giao thông"])),
        ]
        subject = dead
        parties = [_party("Người yêu cầu", applicant)]
    elif kind == "tthn":
        blocks += [
            field_line("Tình trạng hôn nhân", rng.choice(["Chưa đăng ký kết hôn với ai", "Đã ly hôn",
                                                          "Có vợ là bà " + person(rng, male=False).name])),
            field_line("Mục đích sử dụng giấy xác nhận", rng.choice(["Làm thủ tục đăng ký kết hôn",
                                                                     "Bổ sung hồ sơ vay vốn ngân hàng",
                                                                     "Làm thủ tục mua bán nhà đất"])),
        ]
    else:
        blocks += [
            field_line("Đề nghị cấp bản sao", rng.choice(["Trích lục khai sinh", "Trích lục kết hôn",
                                                          "Trích lục khai tử"])),
            field_line("Số lượng bản sao", f"{rng.randint(1, 5):02d} bản"),
        ]
    blocks.append(body("Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật, được sự thỏa thuận nhất trí của "
                       "các bên liên quan theo quy định pháp luật."))
    blocks.append(body("Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình."))
    blocks.append(_citizen_sign(ctx, "Người yêu cầu", applicant.name))
    if subject is not None:
        ctx.meta.update(ho_ten=subject.name, so_dinh_danh=subject.ident)
    return _done(ctx, "to_khai", "Tờ khai", blocks, parties)


_HOSPITALS = ["Bệnh viện Hữu nghị Việt Nam - Cu Ba Đồng Hới", "Bệnh viện Đa khoa tỉnh Quảng Trị",
              "Bệnh viện Trung ương Huế", "Bệnh viện Đa khoa tỉnh Hà Tĩnh", "Trung tâm Y tế khu vực Lệ Thủy",
              "Trạm Y tế xã Thanh Thạch"]


# --- đơn -------------------------------------------------------------------------------------------
def don(ctx: Ctx) -> Doc:
    rng = ctx.rng
    p = person(rng, born=(1950, 2002))
    title, asks = rng.choice([
        ("ĐƠN ĐỀ NGHỊ", "xác nhận nơi cư trú để bổ sung hồ sơ xin việc làm"),
        ("ĐƠN ĐỀ NGHỊ HỖ TRỢ", "xem xét hỗ trợ kinh phí sửa chữa nhà ở bị hư hỏng do bão"),
        ("ĐƠN XIN XÁC NHẬN", "xác nhận gia đình tôi thuộc hộ có hoàn cảnh khó khăn để con tôi được miễn học phí"),
        ("ĐƠN KIẾN NGHỊ", "kiểm tra, giải quyết việc hộ liền kề xây dựng lấn sang phần đất của gia đình tôi"),
        ("ĐƠN ĐỀ NGHỊ CẤP LẠI", "cấp lại bản sao Giấy khai sinh do bản chính bị thất lạc"),
    ])
    blocks: list[Block] = [motto_centre(), centre(title, "B", 15, space_after=6), _kinh_gui(ctx)]
    blocks += [
        field_line("Tôi tên là", p.upper, value_font="B"),
        fields_row([("Sinh ngày", short_date(p.birth)), ("Giới tính", p.sex)]),
        field_line("Số định danh cá nhân", p.ident),
        field_line("Nơi cư trú", p.address),
        field_line("Số điện thoại", phone(rng)),
        body(f"Nay tôi làm đơn này kính đề nghị {ctx.unit.short} {asks}."),
        body(rng.choice([
            "Lý do: gia đình tôi hiện gặp nhiều khó khăn, thu nhập không ổn định, có người thân đang đau ốm dài ngày.",
            "Lý do: sự việc đã kéo dài, hai bên đã tự hòa giải tại thôn nhưng không thành.",
            "Lý do: để hoàn thiện hồ sơ theo yêu cầu của cơ quan có thẩm quyền."])),
        body("Tôi xin cam đoan những nội dung trình bày trên là đúng sự thật và chịu trách nhiệm trước pháp luật "
             "về lời khai của mình. Kính mong được xem xét, giải quyết."),
        body("Tôi xin trân trọng cảm ơn!"),
        _citizen_sign(ctx, "Người làm đơn", p.name),
    ]
    ctx.meta.update(ho_ten=p.name, so_dinh_danh=p.ident)
    return _done(ctx, "don", "Đơn", blocks)


# --- giấy khai sinh --------------------------------------------------------------------------------
def giay_khai_sinh(ctx: Ctx) -> Doc:
    rng = ctx.rng
    father = person(rng, male=True, born=(1985, 2002))
    mother = person(rng, male=False, born=(1988, 2004), address=father.address)
    born = ctx.date - dt.timedelta(days=rng.randint(3, 55))
    child = person(rng, male=rng.random() < 0.51, family=father.name.split()[0], child=True,
                   born=(born.year, born.year))
    child_id = child.ident[:6] + child.ident[6:]
    so = number(rng, ctx.date)
    left = [*body_lines(ctx.unit.body, 80, 12), Gap(1.5), centre(f"Số: {so}", "R", 12),
            centre(f"Quyển số: 01/{ctx.date.year}", "R", 12)]
    blocks: list[Block] = [Columns([Column(15, 80, left), Column(97, 106, motto_block())], space_after=8),
                           centre("GIẤY KHAI SINH", "B", 18, space_after=8)]
    blocks += [
        field_line("Họ, chữ đệm, tên", child.upper, value_font="B"),
        field_line("Ngày, tháng, năm sinh", short_date(born)),
        field_line("ghi bằng chữ", date_words(born)),
        fields_row([("Giới tính", child.sex), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
        field_line("Nơi sinh", rng.choice(_HOSPITALS)),
        field_line("Quê quán", father.address.split(", ", 1)[1]),
        field_line("Số định danh cá nhân", child_id, value_font="B"),
        Gap(2),
        field_line("Họ, chữ đệm, tên người mẹ", mother.upper),
        fields_row([("Năm sinh", str(mother.birth.year)), ("Dân tộc", mother.ethnic), ("Quốc tịch", "Việt Nam")]),
        field_line("Nơi cư trú", mother.address),
        Gap(2),
        field_line("Họ, chữ đệm, tên người cha", father.upper),
        fields_row([("Năm sinh", str(father.birth.year)), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
        field_line("Nơi cư trú", father.address),
        Gap(2),
        field_line("Nơi đăng ký khai sinh", f"{ctx.unit.short}, {_province_of(ctx)}"),
        field_line("Ngày, tháng, năm đăng ký", short_date(ctx.date)),
        Gap(3),
    ]
    signer = official(rng)
    lines = signer_lines(rng, collective=False)
    blocks.append(signature(ctx, ["NGƯỜI KÝ GIẤY KHAI SINH", *lines[-1:]], signer.name))
    ctx.meta["chuc_vu_nguoi_ky"] = lines[-1]
    ctx.meta.update(so=str(so), ngay_ban_hanh=ctx.date.isoformat(), co_quan_ban_hanh=ctx.unit.body,
                    ho_ten=child.name, so_dinh_danh=child_id)
    return _done(ctx, "giay_khai_sinh", "Giấy khai sinh", blocks,
                 [_party("Người mẹ", mother, ident=False), _party("Người cha", father, ident=False)])


def _province_of(ctx: Ctx) -> str:
    from pipeline.samples.content import province_label

    return province_label(ctx.unit.province)


# --- trích lục, giấy xác nhận, kết hôn ---------------------------------------------------------------
def trich_luc_ho_tich(ctx: Ctx) -> Doc:
    rng = ctx.rng
    kind = rng.choice(["KHAI TỬ", "KẾT HÔN", "KHAI SINH"])
    abbr = {"KHAI TỬ": "TLKT", "KẾT HÔN": "TLKH", "KHAI SINH": "TLKS"}[kind]
    copy = rng.random() < 0.6
    n = number(rng, ctx.date)
    ky_hieu = f"{abbr}-BS" if copy else abbr
    ctx.meta.update(so=str(n), ky_hieu=ky_hieu, so_ky_hieu=f"{n}/{ky_hieu}")
    title = f"TRÍCH LỤC {kind}" + (" (BẢN SAO)" if copy else "")
    blocks: list[Block] = [header(ctx, so=f"{n}/{ky_hieu}"), centre(title, "B", 15, space_after=6)]
    reg_year = rng.randint(2016, ctx.date.year)
    p = person(rng, born=(1935, 1965) if kind == "KHAI TỬ" else (1975, 2004))
    parties: list[Party] = []
    if kind == "KẾT HÔN":
        q = person(rng, male=not p.male, born=(1975, 2004))
        blocks += [*_person_fields(p, " chồng" if p.male else " vợ"), Gap(2),
                   *_person_fields(q, " chồng" if q.male else " vợ")]
        parties = [_party("Chồng" if x.male else "Vợ", x) for x in (p, q)]
    else:
        blocks += _person_fields(p)
        if kind == "KHAI TỬ":
            died = dt.date(reg_year, rng.randint(1, 12), rng.randint(1, 28))
            blocks += [field_line("Đã chết vào lúc", f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, "
                                                     f"{long_date(min(died, ctx.date))}"),
                       field_line("Nơi chết", rng.choice(["tại nhà", *_HOSPITALS]))]
        ctx.meta.update(ho_ten=p.name, so_dinh_danh=p.ident)
    blocks += [
        field_line("Nơi đăng ký", f"{ctx.unit.short}, {_province_of(ctx)}"),
        field_line("Sổ hộ tịch", f"Sổ đăng ký {kind.lower()}, Quyển số: {rng.randint(1, 3):02d}/{reg_year}, "
                                 f"số: {rng.randint(1, 300)}"),
        Gap(3),
    ]
    signer = official(rng)
    role = rng.choice([["NGƯỜI KÝ TRÍCH LỤC"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["CÔNG CHỨC TƯ PHÁP - HỘ TỊCH"]])
    blocks.append(signature(ctx, role, signer.name))
    return _done(ctx, "trich_luc_ho_tich", "Trích lục", blocks, parties)


def gcn_ket_hon(ctx: Ctx) -> Doc:
    rng = ctx.rng
    husband = person(rng, male=True, born=(1982, 2002))
    wife = person(rng, male=False, born=(1985, 2004))
    n = number(rng, ctx.date)
    left = [*body_lines(ctx.unit.body, 80, 12), Gap(1.5), centre(f"Số: {n}", "R", 12),
            centre(f"Quyển số: 01/{ctx.date.year}", "R", 12)]
    blocks: list[Block] = [Columns([Column(15, 80, left), Column(97, 106, motto_block())], space_after=8),
                           centre("GIẤY CHỨNG NHẬN KẾT HÔN", "B", 17, space_after=8)]
    rows = [["", "Thông tin người chồng", "Thông tin người vợ"],
            ["Họ, chữ đệm, tên", husband.upper, wife.upper],
            ["Ngày, tháng, năm sinh", short_date(husband.birth), short_date(wife.birth)],
            ["Dân tộc", husband.ethnic, wife.ethnic], ["Quốc tịch", "Việt Nam", "Việt Nam"],
            ["Nơi cư trú", husband.address, wife.address],
            ["Số định danh cá nhân", husband.ident, wife.ident]]
    blocks += [Table(rows, [42, 62, 62], size=11.5),
               field_line("Nơi đăng ký", f"{ctx.unit.short}, {_province_of(ctx)}"),
               field_line("Ngày, tháng, năm đăng ký", short_date(ctx.date)), Gap(2)]
    signer = official(rng)
    officer = Columns([Column(30, 50, [centre("Chồng", "B", 13), centre(husband.name, "R", 12, space_after=14)]),
                       Column(80, 40, [centre("Vợ", "B", 13), centre(wife.name, "R", 12, space_after=14)])],
                      space_after=0)
    blocks.append(officer)
    blocks.append(signature(ctx, signer_lines(rng, collective=False), signer.name))
    ctx.meta.update(so=str(n), ngay_ban_hanh=ctx.date.isoformat(), co_quan_ban_hanh=ctx.unit.body)
    return _done(ctx, "gcn_ket_hon", "Giấy chứng nhận kết hôn", blocks,
                 [_party("Bên nam", husband), _party("Bên nữ", wife)])


def xac_nhan_tthn(ctx: Ctx) -> Doc:
    rng = ctx.rng
    p = person(rng, born=(1975, 2004))
    n = number(rng, ctx.date)
    ctx.meta.update(so=str(n), ky_hieu="XNTTHN", so_ky_hieu=f"{n}/XNTTHN")
    since = dt.date(max(p.birth.year + 16, 2010), 1, 1)
    blocks: list[Block] = [header(ctx, so=f"{n}/XNTTHN"),
                           centre("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "B", 15, space_after=6)]
    blocks += [
        body(f"Xét đề nghị của {p.title.lower()} {p.name} về việc cấp Giấy xác nhận tình trạng hôn nhân,"),
        centre(ctx.unit.body, "B", 13, space_after=2),
        centre("XÁC NHẬN:", "B", 13, space_after=4),
        *_person_fields(p),
        field_line("Trong thời gian cư trú tại", f"{ctx.unit.area}, từ ngày {short_date(since)} đến ngày "
                                                 f"{short_date(ctx.date)}"),
        field_line("Tình trạng hôn nhân", rng.choice(["Chưa đăng ký kết hôn với ai", "Đã ly hôn, chưa kết hôn lại"])),
        field_line("Giấy này được cấp để", rng.choice(["làm thủ tục đăng ký kết hôn", "bổ sung hồ sơ vay vốn",
                                                       "làm thủ tục chuyển nhượng quyền sử dụng đất"])),
        body("Giấy này có giá trị sử dụng trong thời hạn 6 tháng, kể từ ngày cấp."),
    ]
    signer = official(rng)
    blocks.append(signature(ctx, signer_lines(rng, collective=False), signer.name))
    ctx.meta.update(ho_ten=p.name, so_dinh_danh=p.ident)
    return _done(ctx, "xac_nhan_tthn", "Giấy xác nhận tình trạng hôn nhân", blocks)


# --- health papers ---------------------------------------------------------------------------------
def _hospital_header(ctx: Ctx, so: str) -> tuple[Columns, str]:
    hosp = ctx.rng.choice(["BỆNH VIỆN ĐA KHOA TỈNH QUẢNG TRỊ", "BỆNH VIỆN HỮU NGHỊ VIỆT NAM - CU BA ĐỒNG HỚI",
                           "TRUNG TÂM Y TẾ KHU VỰC LỆ THỦY"])
    parent = "SỞ Y TẾ TỈNH QUẢNG TRỊ"
    return header(ctx, so=so, issuer=hosp, parent=parent,
                  place="Đồng Hới" if "ĐỒNG HỚI" in hosp else ctx.unit.place), hosp


def giay_chung_sinh(ctx: Ctx) -> Doc:
    rng = ctx.rng
    mother = person(rng, male=False, born=(1988, 2005))
    n = number(rng, ctx.date)
    ctx.meta.update(so=str(n), ky_hieu="GCS", so_ky_hieu=f"{n}/GCS")
    hdr, hosp = _hospital_header(ctx, f"{n}/GCS")
    born = ctx.date - dt.timedelta(days=rng.randint(0, 3))
    blocks: list[Block] = [hdr, centre("GIẤY CHỨNG SINH", "B", 16, space_after=6)]
    blocks += [
        field_line("Họ và tên mẹ", mother.upper, value_font="B"),
        fields_row([("Năm sinh", str(mother.birth.year)), ("Dân tộc", mother.ethnic)]),
        field_line("Số định danh cá nhân", mother.ident),
        field_line("Nơi đăng ký thường trú", mother.address),
        field_line("Đã sinh con vào lúc", f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, "
                                          f"ngày {short_date(born)}"),
        field_line("Tại", hosp.capitalize()),
        fields_row([("Số con trong lần sinh", "01"), ("Giới tính của con", rng.choice(["Nam", "Nữ"]))]),
        field_line("Cân nặng", f"{rng.randint(26, 40) * 100} gram"),
        field_line("Dự định đặt tên con", person(rng, child=True).name),
    ]
    midwife = person(rng, male=False, born=(1970, 1998))
    signer = official(rng)
    blocks.append(two_signatures("NGƯỜI ĐỠ ĐẺ", midwife.name, "THỦ TRƯỞNG CƠ SỞ", signer.name, seal_right=True))
    ctx.meta.update(ho_ten=mother.name, so_dinh_danh=mother.ident, nguoi_ky=signer.name,
                    chuc_vu_nguoi_ky="THỦ TRƯỞNG CƠ SỞ")
    return _done(ctx, "giay_chung_sinh", "Giấy chứng sinh", blocks)


def giay_bao_tu(ctx: Ctx) -> Doc:
    rng = ctx.rng
    dead = person(rng, born=(1930, 1965))
    n = number(rng, ctx.date)
    ctx.meta.update(so=str(n), ky_hieu="GBT", so_ky_hieu=f"{n}/GBT")
    if rng.random() < 0.5:
        hdr, _ = _hospital_header(ctx, f"{n}/GBT")
    else:
        hdr = header(ctx, so=f"{n}/GBT")
    died = ctx.date - dt.timedelta(days=rng.randint(0, 3))
    blocks: list[Block] = [hdr, centre("GIẤY BÁO TỬ", "B", 16, space_after=6)]
    blocks += [
        field_line("Họ, chữ đệm, tên người chết", dead.upper, value_font="B"),
        fields_row([("Ngày, tháng, năm sinh", short_date(dead.birth)), ("Giới tính", dead.sex)]),
        field_line("Số định danh cá nhân", dead.ident),
        field_line("Nơi cư trú cuối cùng", dead.address),
        field_line("Đã chết vào lúc", f"{rng.randint(0, 23):02d} giờ {rng.randint(0, 59):02d} phút, "
                                      f"{long_date(died)}"),
        field_line("Nơi chết", rng.choice(["tại nhà", *_HOSPITALS])),
        field_line("Nguyên nhân chết", rng.choice(["Bệnh", "Già yếu"])),
    ]
    signer = official(rng)
    blocks.append(signature(ctx, rng.choice([["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], ["CHỦ TỊCH"]]),
                            signer.name))
    ctx.meta.update(ho_ten=dead.name, so_dinh_danh=dead.ident)
    return _done(ctx, "giay_bao_tu", "Giấy báo tử", blocks)


# --- certified copy, land certificate, household business ------------------------------------------
def ban_sao_chung_thuc(ctx: Ctx) -> Doc:
    rng = ctx.rng
    # The copy is of an older paper; its own values are not the copy's metadata.
    inner_ctx = Ctx(rng, ctx.unit, ctx.date - dt.timedelta(days=rng.randint(200, 1500)))
    inner = giay_khai_sinh(inner_ctx) if rng.random() < 0.6 else xac_nhan_tthn(inner_ctx)
    blocks = list(inner.blocks[:-1])  # its signature is replaced by the certification stamp
    n = rng.randint(1, 2500)
    book = f"{rng.randint(1, 5):02d}/{ctx.date.year}-SCT/BS"
    signer = official(rng)
    title = signer_lines(rng, collective=False)[-1]
    stamp: list[ColumnItem] = [centre("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", "B", 11.5),
             centre(f"Số chứng thực: {n} Quyển số: {book}", "R", 11),
             centre(nfc(f"{ctx.unit.place}, {long_date(ctx.date)}"), "I", 11),
             centre(title, "B", 11.5)]
    stamp += [Sign(18, seal=True), centre(signer.name, "B", 11.5)]
    blocks.append(Columns([Column(90, 110, stamp)], space_after=0))
    ctx.meta.update(so=str(n), ky_hieu="SCT/BS", ngay_ban_hanh=ctx.date.isoformat(), dia_danh=ctx.unit.place,
                    nguoi_ky=signer.name, chuc_vu_nguoi_ky=title)
    for k in ("ho_ten", "so_dinh_danh"):
        if k in inner.metadata:
            ctx.meta[k] = inner.metadata[k]
    return _done(ctx, "ban_sao_chung_thuc", "Bản sao", blocks, inner.parties)


def gcn_qsdd(ctx: Ctx) -> Doc:
    rng = ctx.rng
    owner = person(rng, born=(1950, 1995))
    serial = f"{rng.choice(['AB', 'BX', 'CS', 'DE', 'AP'])} {rng.randint(100000, 999999)}"
    new_law = ctx.date >= dt.date(2024, 8, 1)
    title = ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT" if new_law else
             "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT")
    blocks: list[Block] = [motto_centre(), Para([Run(title, "B")], size=15, align="center", space_after=4),
                           centre(serial, "B", 14, space_after=6)]
    area = round(rng.uniform(90, 600), 1)
    blocks += [
        Para([Run("I. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất", "B")], align="left", space_after=2),
        body(f"{owner.title}: {owner.upper}, năm sinh: {owner.birth.year}, Số định danh cá nhân: {owner.ident}; "
             f"địa chỉ thường trú: {owner.address}."),
        Para([Run("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", "B")], align="left", space_after=2),
        field_line("a) Thửa đất số", f"{rng.randint(10, 999)}; tờ bản đồ số: {rng.randint(1, 80)}"),
        field_line("b) Địa chỉ", home_address(rng, ctx.unit.commune)),
        field_line("c) Diện tích", f"{str(area).replace('.', ',')} m² (bằng chữ: {number_words(int(area))} mét vuông)"),
        field_line("d) Hình thức sử dụng", "Sử dụng riêng"),
        field_line("đ) Mục đích sử dụng", rng.choice(["Đất ở tại nông thôn", "Đất ở tại đô thị",
                                                      "Đất trồng cây lâu năm"])),
        field_line("e) Thời hạn sử dụng", "Lâu dài"),
        field_line("g) Nguồn gốc sử dụng", rng.choice(["Nhà nước giao đất có thu tiền sử dụng đất",
                                                       "Công nhận quyền sử dụng đất như giao đất có thu tiền",
                                                       "Nhận thừa kế quyền sử dụng đất"])),
        Gap(2),
    ]
    signer = official(rng)
    blocks.append(Columns([Column(105, 92, [centre(place_date(ctx.unit.place, ctx.date), "I", 13)])], space_after=1))
    blocks.append(signature(ctx, signer_lines(rng), signer.name))
    blocks.append(field_line("Số vào sổ cấp Giấy chứng nhận", f"CS {rng.randint(1, 9999):05d}", size=12))
    ctx.meta.update(so=serial, ngay_ban_hanh=ctx.date.isoformat(), dia_danh=ctx.unit.place, ho_ten=owner.name,
                    so_dinh_danh=owner.ident)
    return _done(ctx, "gcn_qsdd", "Giấy chứng nhận quyền sử dụng đất", blocks)


def gcn_ho_kinh_doanh(ctx: Ctx) -> Doc:
    rng = ctx.rng
    owner = person(rng, born=(1960, 2000))
    code = f"{rng.choice(['29', '31', '45', '46'])}{rng.choice('ABCDE')}{rng.randint(8000000, 8999999)}"
    dept = "PHÒNG KINH TẾ" if ctx.date >= REFORM_DAY else "PHÒNG TÀI CHÍNH - KẾ HOẠCH"
    blocks: list[Block] = [header(ctx, so=None, issuer=dept, parent=ctx.unit.body),
                           Para([Run("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "B")], size=15, align="center",
                                space_after=4)]
    shop = rng.choice(["TẠP HÓA", "CƠM BÌNH DÂN", "SỬA CHỮA XE MÁY", "CÀ PHÊ", "VẬT LIỆU XÂY DỰNG"])
    blocks += [
        centre(f"Mã số hộ kinh doanh: {code}", "B", 13, space_after=2),
        centre(f"Đăng ký lần đầu: {long_date(ctx.date)}", "I", 13, space_after=6),
        field_line("1. Tên hộ kinh doanh", f"HỘ KINH DOANH {shop} {owner.name.split()[-1].upper()}", value_font="B"),
        field_line("2. Địa chỉ trụ sở", home_address(rng, ctx.unit.commune)),
        field_line("Điện thoại", phone(rng)),
        field_line("3. Ngành, nghề kinh doanh", rng.choice(["Bán lẻ lương thực, thực phẩm", "Dịch vụ ăn uống",
                                                            "Sửa chữa mô tô, xe máy", "Bán buôn vật liệu xây dựng"])),
        field_line("4. Vốn kinh doanh", money(rng.randint(2, 50) * 10_000_000)),
        Para([Run("5. Chủ hộ kinh doanh", "B")], align="left", space_after=2),
        *_person_fields(owner),
        Gap(2),
    ]
    signer = official(rng)
    blocks.append(signature(ctx, ["TRƯỞNG PHÒNG"], signer.name))
    ctx.meta.update(ho_ten=owner.name, so_dinh_danh=owner.ident)
    return _done(ctx, "gcn_ho_kinh_doanh", "Giấy chứng nhận đăng ký hộ kinh doanh", blocks)


# --- identity card copy ----------------------------------------------------------------------------
def _mrz_check(s: str) -> str:
    vals = {**{str(i): i for i in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return str(sum(vals[c] * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


def _ascii(name: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c)).upper()


def can_cuoc(ctx: Ctx) -> Doc:
    rng = ctx.rng
    p = person(rng, born=(1955, 2006))
    issued = ctx.date - dt.timedelta(days=rng.randint(30, 1800))
    issued = max(issued, dt.date(2021, 1, 1))
    new_card = issued >= dt.date(2024, 7, 1)
    title = "CĂN CƯỚC" if new_card else "CĂN CƯỚC CÔNG DÂN"
    front = [centre("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 10),
             centre("SOCIALIST REPUBLIC OF VIET NAM", "R", 8.5), centre(title, "B", 13, space_after=2),
             Para([Run("Số định danh cá nhân / Personal identification number:"), Run(p.ident, "B")], size=10,
                  align="left", space_after=1),
             Para([Run("Họ, chữ đệm và tên / Full name:"), Run(p.upper, "B")], size=10, align="left", space_after=1),
             Para([Run(f"Ngày sinh / Date of birth: {short_date(p.birth)}")], size=10, align="left", space_after=1),
             Para([Run(f"Giới tính / Sex: {p.sex}   Quốc tịch / Nationality: Việt Nam")], size=10, align="left",
                  space_after=1),
             Para([Run(f"Nơi thường trú / Place of residence: {p.address}")], size=10, align="left")]
    doc9 = p.ident[3:]
    l1 = f"IDVNM{doc9}{_mrz_check(doc9)}{p.ident}<<"
    l1 = (l1 + "<" * 30)[:29]
    l1 += _mrz_check(l1[5:])
    expiry = p.birth.replace(year=p.birth.year + (25 if p.birth.year >= 2000 else 60), day=min(p.birth.day, 28))
    dob, exp = p.birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    l2 = f"{dob}{_mrz_check(dob)}{'M' if p.male else 'F'}{exp}{_mrz_check(exp)}VNM"
    l2 = (l2 + "<" * 30)[:29]
    l2 += _mrz_check(l1[5:30] + l2[:7] + l2[8:15] + l2[18:29])
    parts = _ascii(p.name).split()
    l3 = (parts[0] + "<<" + "<".join(parts[1:]) + "<" * 30)[:30]
    signer = person(rng, male=True, born=(1965, 1975))
    back = [Para([Run(f"Ngày, tháng, năm cấp / Date of issue: {short_date(issued)}")], size=10, align="left",
                 space_after=1),
            Para([Run("CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", "B")], size=9.5,
                 align="left", space_after=1),
            Para([Run(signer.name, "B")], size=10, align="left", space_after=5)]
    back += [Para([Run(line, "M")], size=12, align="left", space_after=0, leading=1.1) for line in (l1, l2, l3)]
    blocks: list[Block] = [Gap(10), Card(front, photo=True), Card(back)]
    if rng.random() < 0.5:
        blocks.append(Para([Run("BẢN SAO Y BẢN CHÍNH", "B")], size=12, align="center"))
    ctx.meta.update(ho_ten=p.name, so_dinh_danh=p.ident, ngay_ban_hanh=issued.isoformat())
    return _done(ctx, "can_cuoc", "Căn cước" if new_card else "Căn cước công dân", blocks)


# --- one-stop-shop slips ---------------------------------------------------------------------------
_COMPONENTS = {
    "1.001193": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Căn cước công dân của người đi đăng ký"],
    "1.000894": ["Tờ khai đăng ký kết hôn", "Căn cước công dân của hai bên nam, nữ"],
    "1.000656": ["Tờ khai đăng ký khai tử", "Giấy báo tử"],
    "1.004873": ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "Căn cước công dân"],
    "2.000635": ["Tờ khai đề nghị cấp bản sao trích lục hộ tịch", "Căn cước công dân"],
    "2.000815": ["Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực"],
    "2.000884": ["Giấy tờ, văn bản cần chứng thực chữ ký", "Căn cước công dân"],
}
_DAYS = {"1.001193": 1, "1.000894": 5, "1.000656": 1, "1.004873": 3, "2.000635": 1, "2.000815": 1, "2.000884": 1}


_DEFECTS = ["bản chụp không rõ nét", "thiếu chữ ký", "thông tin không thống nhất với dữ liệu dân cư"]


def phieu_mot_cua(ctx: Ctx) -> Doc:
    rng = ctx.rng
    proc = ctx.procedure or rng.choice(list(PROCEDURES))
    code = ctx.dossier or f"{ctx.unit.code}-{ctx.date:%y%m%d}-{rng.randint(1, 999):04d}"
    p = person(rng, born=(1955, 2004))
    desk = ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" if ctx.date >= REFORM_DAY
            else "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")
    kind = rng.choices(["tiep_nhan", "bo_sung", "tu_choi", "xin_loi"], [7, 1, 1, 1])[0]
    title = {"tiep_nhan": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
             "bo_sung": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
             "tu_choi": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
             "xin_loi": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"}[kind]
    qr = code if ctx.qr is None else ctx.qr
    blocks: list[Block] = [QR(qr, 20, ctx.qr_damaged)] if qr else []
    blocks += [header(ctx, so=None, issuer=desk, parent=ctx.unit.body),
               Para([Run(title, "B")], size=14, align="center", space_after=2),
               centre(f"Mã hồ sơ: {code}", "B", 13, space_after=1)]
    if kind == "tiep_nhan":
        blocks.append(centre("(Liên: Giao cho người nộp hồ sơ)", "I", 12, space_after=5))
    else:
        blocks.append(Gap(4))
    procedure_name = PROCEDURES[proc]
    received = dt.datetime.combine(ctx.date, dt.time(rng.choice([7, 8, 9, 10, 13, 14, 15]),
                                                     rng.choice([0, 15, 30, 45])))
    due = ctx.date + dt.timedelta(days=_DAYS[proc])
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    blocks += [
        field_line("Tiếp nhận tại", f"{desk[0] + desk[1:].lower()} {ctx.unit.area}"),
        field_line("Tiếp nhận hồ sơ của", p.name, value_font="B"),
        field_line("Số định danh cá nhân", p.ident),
        field_line("Địa chỉ", p.address),
        fields_row([("Số điện thoại", phone(rng)), ("Email", "")]) if rng.random() < 0.3 else
        field_line("Số điện thoại", phone(rng)),
        field_line("Nội dung yêu cầu giải quyết", f"{procedure_name} (mã thủ tục {proc})"),
    ]
    if kind == "tiep_nhan":
        rows = [["STT", "Tên giấy tờ", "Bản chính", "Bản sao"]]
        for i, comp in enumerate(_COMPONENTS[proc]):
            rows.append([str(i + 1), comp, "1", str(rng.randint(0, 1))])
        blocks += [Para([Run("1. Thành phần hồ sơ nộp gồm:")], align="left", space_after=2),
                   Table(rows, [14, 101, 25, 25], size=12),
                   field_line("2. Số lượng hồ sơ", "01 (bộ)"),
                   field_line("3. Thời gian giải quyết hồ sơ theo quy định là",
                              f"{_DAYS[proc]:02d} ngày làm việc"),
                   field_line("4. Thời gian nhận hồ sơ", f"{received:%H} giờ {received:%M} phút, ngày "
                                                        f"{short_date(ctx.date)}"),
                   field_line("5. Thời gian trả kết quả giải quyết hồ sơ", f"{received:%H} giờ {received:%M} "
                                                                          f"phút, ngày {short_date(due)}"),
                   field_line("6. Đăng ký nhận kết quả tại", rng.choice(["Trung tâm Phục vụ hành chính công",
                                                                         "Nhận qua dịch vụ bưu chính công ích",
                                                                         "Nhận bản điện tử trên Cổng Dịch vụ công"])),
                   field_line("Vào Sổ theo dõi hồ sơ, Quyển số", f"{rng.randint(1, 3):02d}, Số thứ tự: "
                                                                 f"{code.rsplit('-', 1)[1].lstrip('0') or '0'}")]
    elif kind == "bo_sung":
        blocks += [body("Sau khi xem xét thành phần hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những "
                        "nội dung sau:"),
                   body(f"1. {rng.choice(_COMPONENTS[proc])}: {rng.choice(_DEFECTS)}."),
                   body("Lý do: hồ sơ chưa đầy đủ theo quy định.")]
    elif kind == "tu_choi":
        blocks += [body("Qua xem xét, Trung tâm Phục vụ hành chính công từ chối tiếp nhận hồ sơ với lý do sau:"),
                   body(rng.choice(["Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan.",
                                    "Người yêu cầu không đủ điều kiện theo quy định."])),
                   body("Xin thông báo để Ông/Bà biết và thực hiện.")]
    else:
        late = due + dt.timedelta(days=rng.randint(2, 7))
        blocks += [body(f"Hồ sơ của Ông/Bà đã được tiếp nhận ngày {short_date(ctx.date)}, hẹn trả kết quả ngày "
                        f"{short_date(due)}. Tuy nhiên đến nay chưa giải quyết xong do cần xác minh thêm thông tin."),
                   body(f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà; chúng tôi thành thật xin lỗi và hẹn trả "
                        f"kết quả vào ngày {short_date(late)}.")]
    clerk = person(rng, born=(1985, 2000))
    blocks.append(two_signatures("NGƯỜI NỘP HỒ SƠ", p.name, "NGƯỜI TIẾP NHẬN HỒ SƠ", clerk.name,
                                 note="(Ký và ghi rõ họ tên)"))
    ctx.meta.update(ma_ho_so=code, ma_thu_tuc=proc, ho_ten=p.name, so_dinh_danh=p.ident,
                    co_quan_ban_hanh=desk, nguoi_ky=clerk.name, chuc_vu_nguoi_ky="NGƯỜI TIẾP NHẬN HỒ SƠ")
    return _done(ctx, "phieu_mot_cua", title[0] + title[1:].lower(), blocks)


def bien_lai(ctx: Ctx) -> Doc:
    rng = ctx.rng
    p = person(rng, born=(1955, 2004))
    n = rng.randint(1, 99999)
    items = rng.sample([("Lệ phí cấp bản sao trích lục hộ tịch", 8000), ("Phí chứng thực bản sao", 2000),
                        ("Phí chứng thực chữ ký", 10000), ("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 75000),
                        ("Lệ phí đăng ký hộ kinh doanh", 100000)], rng.randint(1, 2))
    qty = [rng.randint(1, 6) for _ in items]
    total = sum(a * q for (_, a), q in zip(items, qty, strict=True))
    left = [*body_lines(ctx.unit.body, 85, 12), Gap(1)]
    right = [centre("Mẫu số: 01BLP2-001", "R", 12), centre(f"Ký hiệu: {ctx.date:%y}AA-{ctx.date.year}", "R", 12),
             centre(f"Số: {n:07d}", "B", 12)]
    blocks: list[Block] = [Columns([Column(15, 85, left), Column(110, 90, right)], space_after=6),
                           centre("BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ", "B", 16, space_after=2),
                           centre("(Liên 2: Giao cho người nộp tiền)", "I", 12, space_after=6)]
    if ctx.dossier:
        blocks.append(field_line("Mã hồ sơ", ctx.dossier))
    rows = [["STT", "Nội dung thu", "Số lượng", "Thành tiền (đồng)"]]
    rows += [[str(i + 1), name, str(q), f"{a * q:,}".replace(",", ".")] for i, ((name, a), q)
             in enumerate(zip(items, qty, strict=True))]
    rows.append(["", "Tổng cộng", "", f"{total:,}".replace(",", ".")])
    words = number_words(total)
    blocks += [field_line("Tên người nộp tiền", p.name, value_font="B"), field_line("Địa chỉ", p.address),
               field_line("Hình thức thanh toán", rng.choice(["Tiền mặt", "Chuyển khoản"])),
               Table(rows, [14, 91, 25, 35], size=12),
               field_line("Số tiền viết bằng chữ", f"{words[0].upper()}{words[1:]} đồng."),
               Columns([Column(105, 92, [centre(f"Ngày {ctx.date.day:02d} tháng {ctx.date.month:02d} năm "
                                                f"{ctx.date.year}", "I", 13)])], space_after=1)]
    collector = person(rng, born=(1980, 2000))
    blocks.append(two_signatures("NGƯỜI NỘP TIỀN", p.name, "NGƯỜI THU TIỀN", collector.name))
    ctx.meta.update(so=f"{n:07d}", ngay_ban_hanh=ctx.date.isoformat(), co_quan_ban_hanh=ctx.unit.body, ho_ten=p.name,
                    nguoi_ky=collector.name, chuc_vu_nguoi_ky="NGƯỜI THU TIỀN")
    if ctx.dossier:
        ctx.meta["ma_ho_so"] = ctx.dossier
    return _done(ctx, "bien_lai", "Biên lai thu tiền phí, lệ phí", blocks)


# --- two-party papers and the rest -----------------------------------------------------------------
def giay_uy_quyen(ctx: Ctx) -> Doc:
    rng = ctx.rng
    a, b = person(rng, born=(1950, 1990)), person(rng, born=(1970, 2004))
    task = rng.choice(["nộp hồ sơ và nhận kết quả đăng ký khai sinh cho con tôi",
                       "nhận bản sao trích lục hộ tịch", "làm thủ tục chứng thực bản sao giấy tờ"])
    blocks: list[Block] = [motto_centre(), centre("GIẤY ỦY QUYỀN", "B", 16, space_after=6),
                           body("Căn cứ Bộ luật Dân sự năm 2015 và các văn bản pháp luật có liên quan."),
                           Para([Run("Bên ủy quyền:", "B")], align="left", space_after=2), *_person_fields(a),
                           Para([Run("Bên được ủy quyền:", "B")], align="left", space_after=2), *_person_fields(b),
                           body(f"Nội dung ủy quyền: bên được ủy quyền được thay mặt bên ủy quyền {task} tại "
                                f"{ctx.unit.short}."),
                           body("Thời hạn ủy quyền: kể từ ngày ký đến ngày "
                                f"{short_date(ctx.date + dt.timedelta(days=90))}."),
                           body("Hai bên cam kết chịu trách nhiệm trước pháp luật về nội dung ủy quyền."),
                           Columns([Column(105, 92, [centre(place_date(ctx.unit.place, ctx.date), "I", 13)])],
                                   space_after=1),
                           two_signatures("BÊN ĐƯỢC ỦY QUYỀN", b.name, "BÊN ỦY QUYỀN", a.name)]
    # the principal signs at the right, where Decree 30 puts the signature that issues the paper; the
    # procedure is carried out for the principal, who is the citizen (extract/people.py)
    ctx.meta.update(ngay_ban_hanh=ctx.date.isoformat(), dia_danh=ctx.unit.place, nguoi_ky=a.name,
                    chuc_vu_nguoi_ky="BÊN ỦY QUYỀN", ho_ten=a.name, so_dinh_danh=a.ident)
    return _done(ctx, "giay_uy_quyen", "Giấy ủy quyền", blocks, [_party("Bên được ủy quyền", b)])


def hop_dong(ctx: Ctx) -> Doc:
    rng = ctx.rng
    b = person(rng, born=(1970, 2000))
    n = number(rng, ctx.date)
    ky_hieu = f"HĐ-{ctx.unit.abbr}"
    ctx.meta.update(so=str(n), ky_hieu=ky_hieu, so_ky_hieu=f"{n}/{ky_hieu}")
    service = rng.choice(["số hóa tài liệu lưu trữ", "bảo trì máy quét, máy tính", "vệ sinh trụ sở làm việc"])
    value = rng.randint(20, 400) * 1_000_000
    signer = official(rng)
    blocks: list[Block] = [header(ctx, so=f"{n}/{ky_hieu}"), centre("HỢP ĐỒNG", "B", 15),
                           centre(f"Về việc cung cấp dịch vụ {service}", "B", 14, space_after=6),
                           body("Căn cứ Bộ luật Dân sự năm 2015; căn cứ nhu cầu và khả năng của hai bên."),
                           body(f"Hôm nay, {long_date(ctx.date)}, tại {ctx.unit.short}, chúng tôi gồm:"),
                           Para([Run(f"Bên A: {ctx.unit.short}", "B")], align="left", space_after=2),
                           body(f"Đại diện: {signer.title} {signer.name}, chức vụ: Phó Chủ tịch."),
                           Para([Run(f"Bên B: {b.title} {b.name}", "B")], align="left", space_after=2),
                           body(f"Số định danh cá nhân: {b.ident}; địa chỉ: {b.address}."),
                           body(f"Điều 1. Bên B cung cấp cho Bên A dịch vụ {service} theo yêu cầu của Bên A."),
                           body(f"Điều 2. Giá trị hợp đồng: {money(value)} (đã bao gồm thuế giá trị gia tăng)."),
                           body("Điều 3. Hợp đồng có hiệu lực kể từ ngày ký và được lập thành 04 bản có giá trị "
                                "pháp lý như nhau, mỗi bên giữ 02 bản."),
                           two_signatures("ĐẠI DIỆN BÊN B", b.name, "ĐẠI DIỆN BÊN A", signer.name, note="",
                                          seal_right=True)]
    trich = f"Về việc cung cấp dịch vụ {service}"
    ctx.meta.update(trich_yeu=trich, nguoi_ky=signer.name, chuc_vu_nguoi_ky="ĐẠI DIỆN BÊN A")
    return _done(ctx, "hop_dong", "Hợp đồng", blocks, [_party("Bên B", b)])


def khac(ctx: Ctx) -> Doc:
    rng = ctx.rng
    if rng.random() < 0.5:
        p = person(rng, born=(1965, 2004))
        blocks: list[Block] = [motto_centre(), centre("SƠ YẾU LÝ LỊCH", "B", 16, space_after=6),
                               *_person_fields(p),
                               field_line("Trình độ học vấn", rng.choice(["12/12", "Đại học", "Cao đẳng"])),
                               field_line("Nghề nghiệp", rng.choice(["Nông dân", "Giáo viên", "Kinh doanh tự do"])),
                               Para([Run("QUAN HỆ GIA ĐÌNH", "B")], align="center", space_after=2),
                               field_line("Họ và tên cha", (dad := person(rng, male=True, born=(1940, 1975))).name),
                               field_line("Họ và tên mẹ", (mum := person(rng, male=False, born=(1945, 1978))).name),
                               body("Tôi xin cam đoan những lời khai trên là đúng sự thật."),
                               _citizen_sign(ctx, "Người khai", p.name)]
        ctx.meta.update(ho_ten=p.name, so_dinh_danh=p.ident)
        return _done(ctx, "khac", "Sơ yếu lý lịch", blocks,
                     [_party("Cha", dad, ident=False), _party("Mẹ", mum, ident=False)])
    rows = [["STT", "Họ và tên", "Năm sinh", "Địa chỉ"]]
    for i in range(rng.randint(4, 12)):
        q = person(rng)
        rows.append([str(i + 1), q.name, str(q.birth.year), q.address.split(", ")[0]])
    blocks = [header(ctx, so=None), centre("DANH SÁCH", "B", 15),
              centre(rng.choice(["Hộ gia đình đề nghị hỗ trợ khắc phục hậu quả thiên tai",
                                 "Người cao tuổi được chúc thọ, mừng thọ năm " + str(ctx.date.year)]), "B", 13,
                     space_after=6),
              Table(rows, [14, 60, 25, 66], size=12)]
    signer = official(rng)
    blocks.append(signature(ctx, ["NGƯỜI LẬP BIỂU"], signer.name, seal=False))
    return _done(ctx, "khac", "Danh sách", blocks)


FORMS: dict[str, Callable[[Ctx], Doc]] = {
    "to_khai": to_khai, "don": don, "giay_khai_sinh": giay_khai_sinh, "trich_luc_ho_tich": trich_luc_ho_tich,
    "gcn_ket_hon": gcn_ket_hon, "xac_nhan_tthn": xac_nhan_tthn, "giay_chung_sinh": giay_chung_sinh,
    "giay_bao_tu": giay_bao_tu, "ban_sao_chung_thuc": ban_sao_chung_thuc, "gcn_qsdd": gcn_qsdd,
    "gcn_ho_kinh_doanh": gcn_ho_kinh_doanh, "can_cuoc": can_cuoc, "phieu_mot_cua": phieu_mot_cua,
    "bien_lai": bien_lai, "giay_uy_quyen": giay_uy_quyen, "hop_dong": hop_dong, "khac": khac,
}
