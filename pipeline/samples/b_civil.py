"""Family B: certificates a commune, a hospital or a land office issues (see families.py).

Giấy khai sinh, trích lục, giấy chứng nhận kết hôn and giấy xác nhận tình trạng hôn nhân after the
Ministry of Justice's forms (signature captions "NGƯỜI KÝ GIẤY KHAI SINH", "NGƯỜI KÝ TRÍCH LỤC" …),
giấy chứng sinh and giấy báo tử of a health facility, certified copies (a copy of some paper with the
chứng thực stamp of Nghị định 23/2015/NĐ-CP on its last page), land-use certificates in their 2009 and
2024 wording, building permits and household-business certificates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.samples.b_admin import issuer
from pipeline.samples.b_parts import (
    B,
    date_runs,
    doc_number,
    form_header,
    issuer_lines,
    motto_lines,
    pair_sign,
    position,
    sign,
    signer,
    so_line,
    start,
    state_header,
)
from pipeline.samples.content import (
    Person,
    date_words,
    long_date,
    money,
    number_words,
    person,
    province_label,
    short_date,
)
from pipeline.samples.model import Block, Column, ColumnItem, Columns, Doc, Gap, Para, Run, Table
from pipeline.samples.parts import Ctx

_HEALTH = ["TRẠM Y TẾ XÃ", "BỆNH VIỆN ĐA KHOA KHU VỰC", "TRUNG TÂM Y TẾ", "BỆNH VIỆN SẢN - NHI TỈNH"]


def _commune_header(b: B, so: Para | None, *, book: bool = True) -> list[Block]:
    """Civil-status certificates: the issuing committee and the number at the left (or centred over
    the motto), the motto at the right."""
    rng = b.rng
    left = issuer_lines(b, b.unit.body, None)
    if so is not None:
        left.append(so)
    if book:
        left.append(Para([Run(f"Quyển số: {rng.randint(1, 3):02d}/{b.ctx.date.year}")], size=12, align="center"))
    b.meta(co_quan_ban_hanh=b.unit.body)
    if rng.random() < 0.3:
        return [Columns([Column(30, 165, [*left, Gap(2), *motto_lines(b, 12.5)])], space_after=5)]
    return [Columns([Column(12, 78, left), Column(92, 112, motto_lines(b, 12.5))], space_after=6)]


def _register(b: B, what: str) -> list[Block]:
    d = b.ctx.date
    return [b.field(f"Nơi đăng ký {what}", f"{b.unit.short}, {province_label(b.unit.province)}"),
            b.field("Ngày, tháng, năm đăng ký", short_date(d))]


def _officer_sign(b: B, caption_role: str) -> Columns:
    """The officer's signature under the place and date of issue."""
    rng = b.rng
    lines = [caption_role] if rng.random() < 0.5 else position(rng)
    block = sign(b, lines, signer(rng).name, caption="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)")
    place = Para(date_runs(b, b.unit.place, b.ctx.date), size=12.5, align="center", space_after=1)
    b.meta(dia_danh=b.unit.place, ngay_ban_hanh=b.ctx.date.isoformat())
    right = block.columns[1]
    right.items = [place, *right.items]
    return block


def _person_lines(b: B, p: Person, suffix: str = "") -> list[Block]:
    return [b.field(f"Họ, chữ đệm, tên{suffix}", p.upper, bold_value=True),
            b.fields([("Ngày, tháng, năm sinh", short_date(p.birth)), ("Giới tính", p.sex)]),
            b.fields([("Dân tộc", p.ethnic), ("Quốc tịch", "Việt Nam")]),
            b.field("Số định danh cá nhân", p.ident),
            b.field("Nơi cư trú", p.address)]


# --- hộ tịch results -------------------------------------------------------------------------------
def giay_khai_sinh(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    father = person(rng, male=True, born=(1982, 2002))
    mother = person(rng, male=False, born=(1985, 2004), address=father.address)
    born = ctx.date - dt.timedelta(days=rng.randint(2, 55))
    child = person(rng, family=father.name.split()[0], child=True, born=(born.year, born.year))
    n = doc_number(rng, ctx.date)
    blocks = _commune_header(b, Para([Run(f"Số: {n}")], size=12, align="center"))
    b.meta(so=str(n))
    copy = rng.random() < 0.3
    blocks += [b.centre("GIẤY KHAI SINH", "B", 18, space_after=0),
               b.centre("(BẢN SAO)" if copy else "(Bản chính)", "I", 12, space_after=5)]
    declarant = rng.choice([father, mother])
    blocks += [b.field("Họ, chữ đệm, tên", child.upper, bold_value=True),
               b.fields([("Ngày, tháng, năm sinh", short_date(born)), ("ghi bằng chữ", date_words(born))]),
               b.fields([("Giới tính", child.sex), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
               b.field("Nơi sinh", rng.choice(["Trạm Y tế xã", "Bệnh viện Đa khoa tỉnh", "Trung tâm Y tế khu vực"])
                       + ", " + province_label(b.unit.province)),
               b.field("Quê quán", father.address.split(", ", 1)[1]),
               b.field("Số định danh cá nhân", child.ident, bold_value=True), Gap(1.5),
               b.field("Họ, chữ đệm, tên người mẹ", mother.upper),
               b.fields([("Năm sinh", str(mother.birth.year)), ("Dân tộc", mother.ethnic), ("Quốc tịch", "Việt Nam")]),
               b.field("Nơi cư trú", mother.address),
               b.field("Họ, chữ đệm, tên người cha", father.upper),
               b.fields([("Năm sinh", str(father.birth.year)), ("Dân tộc", father.ethnic), ("Quốc tịch", "Việt Nam")]),
               b.field("Nơi cư trú", father.address),
               b.field("Họ, chữ đệm, tên người đi khai sinh", declarant.name),
               b.field("Giấy tờ tùy thân", f"CCCD số {declarant.ident}"),
               *_register(b, "khai sinh"), Gap(2),
               _officer_sign(b, "NGƯỜI KÝ GIẤY KHAI SINH")]
    b.meta(ho_ten=child.name, so_dinh_danh=child.ident)
    return b.done("giay_khai_sinh", "Giấy khai sinh", blocks)


def trich_luc(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    kind = rng.choice(["KHAI SINH", "KẾT HÔN", "KHAI TỬ", "GHI VÀO SỔ HỘ TỊCH VIỆC KHAI SINH",
                       "THAY ĐỔI, CẢI CHÍNH HỘ TỊCH"])
    abbr = {"KHAI SINH": "TLKS", "KẾT HÔN": "TLKH", "KHAI TỬ": "TLKT", "GHI VÀO SỔ HỘ TỊCH VIỆC KHAI SINH": "TLGCKS",
            "THAY ĐỔI, CẢI CHÍNH HỘ TỊCH": "TLTĐCC"}[kind]
    copy = rng.random() < 0.6
    ky = f"{abbr}-BS" if copy else abbr
    n = doc_number(rng, ctx.date)
    blocks = _commune_header(b, so_line(b, n, ky, size=12), book=False)
    blocks += [b.centre(f"TRÍCH LỤC {kind}", "B", 15, space_after=0),
               b.centre("(BẢN SAO)" if copy else "(Bản chính)", "I", 12, space_after=4)]
    reg = ctx.date.replace(year=rng.randint(max(2000, ctx.date.year - 20), ctx.date.year))
    p = person(rng, born=(1935, 1965) if kind == "KHAI TỬ" else (1975, 2004))
    if kind == "KẾT HÔN":
        q = person(rng, male=not p.male, born=(1975, 2004))
        blocks += [*_person_lines(b, p, " chồng" if p.male else " vợ"),
                   *_person_lines(b, q, " chồng" if q.male else " vợ")]
    else:
        blocks += _person_lines(b, p)
        if kind == "KHAI TỬ":
            blocks += [b.field("Đã chết vào lúc", f"{rng.randint(0, 23)} giờ, {long_date(min(reg, ctx.date))}"),
                       b.field("Nơi chết", rng.choice(["Tại nhà", "Bệnh viện Đa khoa tỉnh"]))]
        b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    blocks += [b.field(f"Đã đăng ký {kind.lower().split(' việc ')[-1]} tại", b.unit.short),
               b.fields([("ngày", short_date(reg)), ("số", str(rng.randint(1, 400))),
                         ("Quyển số", f"{rng.randint(1, 3):02d}/{reg.year}")]),
               b.field("Sổ hộ tịch", f"Sổ đăng ký {kind.lower()}"), Gap(2),
               _officer_sign(b, "NGƯỜI KÝ TRÍCH LỤC")]
    return b.done("trich_luc_ho_tich", "Trích lục", blocks)


def gcn_ket_hon(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    h, w = person(rng, male=True, born=(1982, 2002)), person(rng, male=False, born=(1985, 2004))
    n = doc_number(rng, ctx.date)
    blocks = _commune_header(b, Para([Run(f"Số: {n}")], size=12, align="center"))
    b.meta(so=str(n))
    blocks.append(b.centre("GIẤY CHỨNG NHẬN KẾT HÔN", "B", 17, space_after=5))
    if rng.random() < 0.5:
        rows = [["", "Vợ", "Chồng"], ["Họ, chữ đệm, tên", w.upper, h.upper],
                ["Ngày, tháng, năm sinh", short_date(w.birth), short_date(h.birth)],
                ["Dân tộc", w.ethnic, h.ethnic], ["Quốc tịch", "Việt Nam", "Việt Nam"],
                ["Nơi cư trú", w.address, h.address], ["Giấy tờ tùy thân", f"CCCD {w.ident}", f"CCCD {h.ident}"]]
        blocks.append(Table(rows, [40, 63, 63], size=11.5))
    else:
        blocks += [*_person_lines(b, w, " vợ"), Gap(1.5), *_person_lines(b, h, " chồng")]
    blocks += _register(b, "kết hôn")
    blocks.append(pair_sign(b, "Chữ ký của vợ", w.name, "Chữ ký của chồng", h.name, caption=""))
    blocks.append(_officer_sign(b, "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN"))
    return b.done("gcn_ket_hon", "Giấy chứng nhận kết hôn", blocks)


def xac_nhan_tthn(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    p = person(rng, born=(1975, 2004))
    n = doc_number(rng, ctx.date)
    ky = rng.choice(["UBND-XNTTHN", "XNTTHN"])
    blocks = state_header(b, body=b.unit.body, parent=None, so=so_line(b, n, ky), place=b.unit.place, date=ctx.date)
    blocks.append(b.centre("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "B", 15, space_after=4))
    since = dt.date(max(p.birth.year + 16, 2008), 1, 1)
    blocks += [b.centre(b.unit.body, "B", b.size),
               b.field("Xét đề nghị của ông/bà", p.name),
               b.heading("XÁC NHẬN:"),
               *_person_lines(b, p),
               b.field("Trong thời gian cư trú tại",
                       f"{b.unit.area} từ ngày {short_date(since)} đến ngày {short_date(ctx.date)}"),
               b.field("Tình trạng hôn nhân", rng.choice(["Chưa đăng ký kết hôn với ai",
                                                          "Đã ly hôn, chưa đăng ký kết hôn "
                                                          "mới", "Có vợ/chồng đã chết"])),
               b.field("Giấy này được cấp để", rng.choice(["làm thủ tục đăng ký kết hôn", "bổ sung hồ sơ vay vốn",
                                                           "làm thủ tục nhận con nuôi"])),
               b.para("Giấy này có giá trị sử dụng trong thời hạn 6 tháng, kể từ ngày cấp."),
               sign(b, rng.choice([["NGƯỜI KÝ GIẤY XÁC NHẬN"], position(rng)]), signer(rng).name,
                    caption="(Ký, ghi rõ họ, chữ đệm, tên, chức vụ và đóng dấu)")]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("xac_nhan_tthn", "Giấy xác nhận tình trạng hôn nhân", blocks)


# --- health papers -------------------------------------------------------------------------------------
def _health_header(b: B) -> tuple[list[Block], str]:
    rng = b.rng
    place = b.unit.commune[0].split(" ", 1)[1] if b.unit.commune else b.unit.province
    body = f"{rng.choice(_HEALTH)} {place.upper()}"
    parent = f"SỞ Y TẾ {province_label(b.unit.province).upper()}"
    n = doc_number(rng, b.ctx.date)
    so = Para([Run(f"Số: {n}"), Run(f"Quyển số: {rng.randint(1, 9):02d}", gap=6)], size=12, align="center")
    b.meta(so=str(n))
    return state_header(b, body=body, parent=parent, so=so, place=b.unit.place, date=b.ctx.date), body


def giay_chung_sinh(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    mother = person(rng, male=False, born=(1986, 2006))
    hdr, body = _health_header(b)
    born = ctx.date - dt.timedelta(days=rng.randint(0, 3))
    blocks: list[Block] = [Para([Run("Mẫu số 01", "I")], size=11, align="right"), *hdr,
                           b.centre("GIẤY CHỨNG SINH", "B", 16, space_after=4)]
    blocks += [b.field("Họ và tên mẹ/Người nuôi dưỡng", mother.upper, bold_value=True),
               b.fields([("Năm sinh", str(mother.birth.year)), ("Dân tộc", mother.ethnic)]),
               b.field("Số CMND/Hộ chiếu/Số định danh cá nhân", mother.ident),
               b.field("Nơi đăng ký thường trú", mother.address),
               b.field("Đã sinh con vào lúc", f"{rng.randint(0, 23)} giờ {rng.randint(0, 59)} phút, {long_date(born)}"),
               b.field("Tại", body.capitalize()),
               b.fields([("Số con trong lần sinh", "01"), ("Giới tính của con", rng.choice(["Nam", "Nữ"]))]),
               b.field("Cân nặng", f"{rng.randint(25, 42) * 100} gam"),
               b.field("Hiện trạng sức khỏe của con", "Bình thường"),
               b.field("Dự định đặt tên con là", person(rng, child=True).name),
               pair_sign(b, "Người đỡ đẻ", person(rng, male=False, born=(1970, 1998)).name,
                         "THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH", (head := signer(rng)).name, seal_right=True,
                         caption="(Ký, ghi rõ họ tên, chức danh)")]
    b.meta(ho_ten=mother.name, so_dinh_danh=mother.ident, nguoi_ky=head.name,
           chuc_vu_nguoi_ky="THỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH")
    return b.done("giay_chung_sinh", "Giấy chứng sinh", blocks)


def giay_bao_tu(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    dead = person(rng, born=(1928, 1968))
    if rng.random() < 0.5:
        hdr, _body = _health_header(b)
    else:
        n = doc_number(rng, ctx.date)
        hdr = state_header(b, body=f"CÔNG AN {(b.unit.area or '').upper()}",
                           parent=f"CÔNG AN {province_label(b.unit.province).upper()}",
                           so=so_line(b, n, "GBT"), place=b.unit.place, date=ctx.date)
    died = ctx.date - dt.timedelta(days=rng.randint(0, 5))
    blocks: list[Block] = [*hdr, b.centre("GIẤY BÁO TỬ", "B", 16, space_after=4)]
    blocks += [b.field("Họ và tên người chết", dead.upper, bold_value=True),
               b.fields([("Giới tính", dead.sex), ("Ngày, tháng, năm sinh", short_date(dead.birth))]),
               b.fields([("Dân tộc", dead.ethnic), ("Quốc tịch", "Việt Nam")]),
               b.field("Nơi thường trú/tạm trú cuối cùng", dead.address),
               b.field("Số CMND/Hộ chiếu/CCCD", dead.ident),
               b.field("Đã chết vào lúc", f"{rng.randint(0, 23)} giờ {rng.randint(0, 59)} phút, {long_date(died)}"),
               b.field("Nơi chết", rng.choice(["Tại nhà", "Khoa Hồi sức cấp cứu"])),
               b.field("Nguyên nhân chết", rng.choice(["Bệnh lý", "Tuổi cao, sức yếu", "Tai nạn"])),
               b.field("Người đi khai báo", person(rng).name),
               sign(b, rng.choice([["THỦ TRƯỞNG ĐƠN VỊ"], ["GIÁM ĐỐC"], ["TRƯỞNG CÔNG AN"]]), signer(rng).name,
                    caption="(Ký, ghi rõ họ tên, đóng dấu)")]
    b.meta(ho_ten=dead.name, so_dinh_danh=dead.ident)
    return b.done("giay_bao_tu", "Giấy báo tử", blocks)


# --- certified copies ----------------------------------------------------------------------------------
def ban_sao_chung_thuc(ctx: Ctx) -> Doc:
    """A photocopy of some paper, then the commune's certification stamp on its last page."""
    b = start(ctx)
    rng = b.rng
    p = person(rng, born=(1960, 2006))
    original = rng.choice(["bang", "hokhau", "qd", "gks"])
    blocks: list[Block]
    if original == "bang":
        blocks = [*form_header(b), b.centre("BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG", "B", 15, space_after=3),
                  b.field("Cho", p.name), b.field("Ngày sinh", short_date(p.birth)),
                  b.field("Xếp loại tốt nghiệp", rng.choice(["Khá", "Giỏi", "Trung bình"])),
                  b.field("Số hiệu", f"{rng.randint(1, 99):02d}{rng.randint(100000, 999999)}")]
    elif original == "hokhau":
        blocks = [b.centre("SỔ HỘ KHẨU", "B", 15, space_after=3), b.field("Họ và tên chủ hộ", p.name),
                  b.field("Số nhà, đường phố, thôn", p.address), b.field("Số", str(rng.randint(10000, 99999)))]
    elif original == "qd":
        iss = issuer(b, departments=False)
        blocks = [*state_header(b, body=iss.body, parent=None, so=Para([Run(f"Số: {rng.randint(1, 900)}/QĐ-UBND")],
                                                                       size=13, align="center"),
                                place=iss.place, date=ctx.date - dt.timedelta(days=rng.randint(30, 900)), record=False),
                  b.centre("QUYẾT ĐỊNH", "B", 15), b.centre("Về việc giao đất ở", "B", 13),
                  b.para(f"Điều 1. Giao đất ở cho hộ {p.title.lower()} {p.name}.")]
    else:
        blocks = [b.centre("GIẤY KHAI SINH", "B", 16, space_after=3), b.field("Họ, chữ đệm, tên", p.upper),
                  b.field("Ngày, tháng, năm sinh", short_date(p.birth)), b.field("Nơi sinh", "Trạm Y tế xã")]
    n = rng.randint(1, 2000)
    stamp: list[ColumnItem] = [
        b.centre(rng.choice(["CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", "Chứng thực bản sao đúng với bản chính."]), "B",
                 12),
        b.centre(f"Số chứng thực: {n} Quyển số: {rng.randint(1, 5):02d}/{ctx.date.year}-SCT/BS", "R", 11.5),
        Para(date_runs(b, None, ctx.date), size=11.5, align="center"),
        b.centre("NGƯỜI THỰC HIỆN CHỨNG THỰC", "B", 11.5),
        b.centre("(Ký, ghi rõ họ tên và đóng dấu)", "I", 10.5), Gap(12)]
    certifier = signer(rng)
    stamp.append(b.centre(certifier.name, "B", 12))
    blocks += [Gap(rng.uniform(10, 40)), Columns([Column(rng.choice([20.0, 95.0]), 95, stamp)], space_after=2)]
    # the stamp's own number and book ("Số chứng thực: 468 Quyển số: 02/2025-SCT/BS") are the copy's, as in family A
    b.meta(so=str(n), ky_hieu="SCT/BS", ngay_ban_hanh=ctx.date.isoformat(), nguoi_ky=certifier.name,
           chuc_vu_nguoi_ky="NGƯỜI THỰC HIỆN CHỨNG THỰC", ho_ten=p.name)
    return b.done("ban_sao_chung_thuc", "Bản sao", blocks)


# --- land, building, business -------------------------------------------------------------------------------
def gcn_qsdd(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    p = person(rng, born=(1950, 1995))
    new = ctx.date >= dt.date(2024, 8, 1) and rng.random() < 0.6
    title = ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT" if new else
             "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT")
    blocks: list[Block] = [*form_header(b), b.centre(title, "B", 14, space_after=4)]
    area = round(rng.uniform(80, 900), 1)
    blocks += [b.heading("I. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất" if new else
                         "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất"),
               b.para(f"{p.title} {p.name}, năm sinh {p.birth.year}, CCCD số {p.ident}; địa chỉ thường trú: "
                      f"{p.address}."),
               b.heading("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất"),
               b.para(f"a) Thửa đất số: {rng.randint(1, 999)}, tờ bản đồ số: {rng.randint(1, 80)};"),
               b.para(f"b) Địa chỉ: {p.address};"),
               b.para(f"c) Diện tích: {area} m² (bằng chữ: {number_words(int(area))} mét vuông);".replace(".", ",", 1)),
               b.para("d) Hình thức sử dụng: Sử dụng riêng;"),
               b.para("đ) Mục đích sử dụng: Đất ở tại nông thôn;"),
               b.para("e) Thời hạn sử dụng: Lâu dài;"),
               b.para("g) Nguồn gốc sử dụng: " + rng.choice([
                   "Nhà nước giao đất có thu tiền sử dụng đất",
                   "Công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất"]) + "."),
               b.field("Số vào sổ cấp Giấy chứng nhận", f"CH{rng.randint(1000, 99999):05d}"),
               sign(b, position(rng, org=f"ỦY BAN NHÂN DÂN {b.unit.area.upper()}" if b.unit.commune else
                                "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"), signer(rng).name)]
    # the page prints no issuing body over the motto and no place-date line: none is recorded
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("gcn_qsdd", "Giấy chứng nhận quyền sử dụng đất", blocks)


def giay_phep_xay_dung(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    p = person(rng, born=(1955, 1995))
    n = doc_number(rng, ctx.date)
    blocks = state_header(b, body=b.unit.body, parent=b.unit.parent, so=so_line(b, n, "GPXD"), place=b.unit.place,
                          date=ctx.date)
    blocks += [b.centre("GIẤY PHÉP XÂY DỰNG", "B", 16),
               b.centre("(Sử dụng cho nhà ở riêng lẻ)", "I", 12.5, space_after=4),
               b.field("1. Cấp cho", f"{p.title} {p.name}"), b.field("Địa chỉ", p.address),
               b.field("2. Được phép xây dựng công trình", "Nhà ở riêng lẻ"),
               b.para(f"- Vị trí xây dựng: thửa đất số {rng.randint(1, 999)}, tờ bản đồ số {rng.randint(1, 80)};"),
               b.para(f"- Cốt nền xây dựng công trình: +{rng.choice(['0,45', '0,60', '0,30'])} m;"),
               b.para(f"- Mật độ xây dựng: {rng.randint(50, 90)}%; hệ số sử dụng đất: "
                      f"{rng.uniform(1, 3):.1f};".replace(".", ",")),
               b.para(f"- Chỉ giới đường đỏ, chỉ giới xây dựng: cách tim đường {rng.randint(6, 15)} m;"),
               b.para(f"- Diện tích xây dựng tầng 1 (tầng trệt): {rng.randint(60, 180)} m²; số tầng: "
                      f"{rng.randint(1, 4)}."),
               b.field("3. Giấy tờ về quyền sử dụng đất", f"Giấy chứng nhận số CH{rng.randint(1000, 99999):05d}"),
               b.para("4. Giấy phép có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; quá thời "
                      "hạn trên thì phải đề nghị gia hạn giấy phép xây dựng."),
               sign(b, position(rng), signer(rng).name)]
    b.meta(ho_ten=p.name)
    return b.done("giay_phep_xay_dung", "Giấy phép xây dựng", blocks)


def gcn_ho_kinh_doanh(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    p = person(rng, born=(1960, 2000))
    dept = rng.choice(["PHÒNG KINH TẾ", "PHÒNG TÀI CHÍNH - KẾ HOẠCH"])
    code = f"{rng.choice(['32', '33'])}{rng.choice(['A', 'B', 'K'])}8{rng.randint(0, 999999):06d}"
    blocks = state_header(b, body=dept, parent=b.unit.body, so=None, place=b.unit.place, date=ctx.date)
    blocks += [b.centre("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "B", 15, space_after=1),
               b.centre(f"Mã số hộ kinh doanh: {code}", "B", 13, space_after=1),
               b.centre(f"Đăng ký lần đầu: {long_date(ctx.date - dt.timedelta(days=rng.randint(0, 900)))}", "I", 12,
                        space_after=4),
               b.field("1. Tên hộ kinh doanh (ghi bằng chữ in hoa)", f"HỘ KINH DOANH {p.upper}"),
               b.field("2. Địa chỉ trụ sở hộ kinh doanh", p.address),
               b.field("3. Ngành, nghề kinh doanh", rng.choice(["Bán lẻ lương thực, thực phẩm", "Dịch vụ ăn uống",
                                                                 "Sửa chữa xe có động cơ"])),
               b.field("4. Vốn kinh doanh", money(rng.randint(20, 900) * 1_000_000)),
               b.field("5. Chủ hộ kinh doanh", p.name), b.field("Số định danh cá nhân", p.ident),
               sign(b, ["TRƯỞNG PHÒNG"], signer(rng).name)]
    b.meta(ho_ten=p.name, so_dinh_danh=p.ident)
    return b.done("gcn_ho_kinh_doanh", "Giấy chứng nhận đăng ký hộ kinh doanh", blocks)


B_CIVIL: dict[str, list[tuple[str, Callable[[Ctx], Doc]]]] = {
    "giay_khai_sinh": [("B.giay_khai_sinh", giay_khai_sinh)],
    "trich_luc_ho_tich": [("B.trich_luc_ho_tich", trich_luc)],
    "gcn_ket_hon": [("B.gcn_ket_hon", gcn_ket_hon)],
    "xac_nhan_tthn": [("B.xac_nhan_tthn", xac_nhan_tthn)],
    "giay_chung_sinh": [("B.giay_chung_sinh", giay_chung_sinh)],
    "giay_bao_tu": [("B.giay_bao_tu", giay_bao_tu)],
    "ban_sao_chung_thuc": [("B.ban_sao_chung_thuc", ban_sao_chung_thuc)],
    "gcn_qsdd": [("B.gcn_qsdd", gcn_qsdd)],
    "giay_phep_xay_dung": [("B.giay_phep_xay_dung", giay_phep_xay_dung)],
    "gcn_ho_kinh_doanh": [("B.gcn_ho_kinh_doanh", gcn_ho_kinh_doanh)],
}

__all__ = ["B_CIVIL"]
