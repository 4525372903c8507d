"""Family B: Decree 30/2020 documents as offices really lay them out (see families.py).

Each class has several templates; each draws its own issuer (a commune or provincial people's
committee, a department, a people's council, a company for the corporate papers), its own topics and
wording, and the layout variants of b_parts (number row, hand-written numbers, drafts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.samples.b_parts import (
    B,
    company,
    company_header,
    date_runs,
    doc_number,
    pair_sign,
    position,
    sign,
    signer,
    so_line,
    start,
    state_header,
    where,
)
from pipeline.samples.content import REFORM_DAY, long_date, money, nfc, person, short_date
from pipeline.samples.model import Block, Columns, Doc, Gap, Para, Run, Table
from pipeline.samples.parts import Ctx


@dataclass(frozen=True)
class Issuer:
    body: str
    parent: str | None
    abbr: str  # in the symbol
    place: str
    short: str  # in running text
    head: str  # the head's title in the signature
    deputy: str
    org: str  # after "TM."


def issuer(b: B, *, departments: bool = True) -> Issuer:
    """The people's committee of the document's unit, or a provincial department."""
    u = b.unit
    province = u.province if u.province != "Huế" else "Huế"
    prov_body = "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ" if province == "Huế" else f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}"
    prov_short = "UBND THÀNH PHỐ HUẾ" if province == "Huế" else f"UBND TỈNH {province.upper()}"
    capital = {"Quảng Trị": "Đông Hà", "Huế": "Huế"}.get(province, province)
    if departments and b.rng.random() < 0.35:
        body, abbr, short, head = b.rng.choice([
            ("SỞ TƯ PHÁP", "STP", "Sở Tư pháp", "GIÁM ĐỐC"), ("SỞ NỘI VỤ", "SNV", "Sở Nội vụ", "GIÁM ĐỐC"),
            ("SỞ TÀI CHÍNH", "STC", "Sở Tài chính", "GIÁM ĐỐC"),
            ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH", "VP", "Văn phòng Ủy ban nhân dân tỉnh", "CHÁNH VĂN PHÒNG"),
            ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "TTPVHCC", "Trung tâm Phục vụ hành chính công", "GIÁM ĐỐC"),
        ])
        deputy = "PHÓ " + head
        return Issuer(body, b.rng.choice([prov_short, prov_body]), abbr, capital, short, head, deputy, body)
    # the older spelling "UỶ", still printed
    body = "UỶ" + u.body[2:] if b.rng.random() < 0.1 and u.body.startswith("ỦY BAN") else u.body
    return Issuer(body, u.parent if b.rng.random() < 0.5 else None, u.abbr, u.place, u.short, "CHỦ TỊCH",
                  "PHÓ CHỦ TỊCH", "ỦY BAN NHÂN DÂN")


def _finish(b: B, doc_type: str, ten_loai: str | None, trich_yeu: str | None, blocks: list[Block]) -> Doc:
    if trich_yeu:
        b.meta(trich_yeu=trich_yeu)
    return b.done(doc_type, ten_loai, blocks)


def _header(b: B, iss: Issuer, type_abbr: str | None, *, normative: bool = False, draft: bool = False,
            vv: list[str] | None = None, dept: str | None = None) -> list[Block]:
    d = b.ctx.date
    if type_abbr:
        ky = f"{d.year}/{type_abbr}-{iss.abbr}" if normative else f"{type_abbr}-{iss.abbr}"
    else:
        ky = f"{iss.abbr}-{dept or b.rng.choice(['VP', 'KT', 'VHXH', 'TH', 'NC', 'KSTTHC'])}"
    n = None if draft else doc_number(b.rng, d)
    so = so_line(b, n, ky)
    return state_header(b, body=iss.body, parent=iss.parent, so=so, place=iss.place, date=None if draft else d,
                        vv=vv)


def _sign(b: B, iss: Issuer, *, noi_nhan: list[str] | None = None, collective: bool = True) -> Columns:
    rng = b.rng
    if collective and iss.head == "CHỦ TỊCH":
        lines = position(rng, org=iss.org, head=iss.head, deputy=iss.deputy)
    else:  # a body led by one head (a department, an office) signs for its head, never "TM."
        lines = rng.choice([[iss.head], [f"KT. {iss.head}", iss.deputy], [f"K/T {iss.head}", iss.deputy]]
                           if rng.random() < 0.1 else [[iss.head], [f"KT. {iss.head}", iss.deputy]])
    seal = rng.random() < 0.9
    return sign(b, lines, signer(rng).name, seal=seal, noi_nhan=noi_nhan or _noi_nhan(b),
                signed_note=rng.random() < 0.15)


def _noi_nhan(b: B, first: str | None = None) -> list[str]:
    pool = ["- Thường trực Đảng ủy;", "- Thường trực HĐND;", "- CT, các PCT UBND;", "- Các phòng, ban, đơn vị;",
            "- Cổng Thông tin điện tử;", "- Báo, Đài địa phương;", "- Các thôn, tổ dân phố;"]
    out = [first] if first else []
    out += b.rng.sample(pool, b.rng.randint(1, 3))
    initials = b.rng.choice(["", "", "KT", "VX", "NC", "TH"])
    out.append(f"- Lưu: VT{', ' + initials if initials else ''}.")
    return out


def _bases(b: B, *extra: str) -> list[Para]:
    d = b.ctx.date
    law = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" if d >= REFORM_DAY else
           "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015, sửa đổi, bổ sung năm 2019;")
    lines = [law, *extra]
    return [Para([Run(nfc(t), "I")], size=b.size, indent=10, space_after=1.5) for t in lines]


def _undated(b: B) -> None:
    """A draft prints neither its number nor its date: its truth has none either."""
    for k in ("so", "so_ky_hieu", "ngay_ban_hanh"):
        b.ctx.meta.pop(k, None)


def _art(b: B, n: int, text: str) -> Para:
    return Para([Run(f"Điều {n}.", "B"), Run(nfc(text))], size=b.size, indent=10, space_after=2)


def _p(b: B, text: str) -> Para:
    return b.para(text, indent=10)


# --- quyết định --------------------------------------------------------------------------------------
_QD_TOPICS = [
    ("Về việc phê duyệt danh sách hộ gia đình được hỗ trợ sửa chữa nhà ở sau thiên tai",
     "Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ quy định chính sách trợ giúp xã "
     "hội đối với đối tượng bảo trợ xã hội;",
     ["Phê duyệt danh sách {k} hộ gia đình được hỗ trợ sửa chữa nhà ở bị hư hỏng do thiên tai (có danh sách kèm "
      "theo).", "Mức hỗ trợ: {m}/hộ, từ nguồn kinh phí phòng, chống thiên tai năm {y}."]),
    ("Về việc công nhận kết quả kiểm tra, đánh giá chất lượng số hóa hồ sơ thủ tục hành chính",
     "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ tục hành chính "
     "trên môi trường điện tử;",
     ["Công nhận kết quả kiểm tra, đánh giá chất lượng số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {y} "
      "của {k} bộ phận, đơn vị.", "Giao Văn phòng theo dõi, tổng hợp và báo cáo kết quả trước ngày 15 hằng tháng."]),
    ("Về việc thu hồi đất để thực hiện dự án mở rộng đường giao thông liên thôn",
     "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
     ["Thu hồi {k} m² đất trồng cây hằng năm của các hộ gia đình, cá nhân để thực hiện dự án mở rộng đường giao "
      "thông liên thôn.", "Thời gian bàn giao mặt bằng: trong vòng 30 ngày kể từ ngày nhận tiền bồi thường."]),
    ("Về việc bổ nhiệm lại công chức giữ chức vụ lãnh đạo",
     "Căn cứ Luật Cán bộ, công chức ngày 24 tháng 6 năm 2025;",
     ["Bổ nhiệm lại {t} {name} giữ chức vụ Phó Trưởng phòng, thời hạn giữ chức vụ là 05 năm kể từ ngày ký.",
      "{t} {name} được hưởng phụ cấp chức vụ theo quy định hiện hành."]),
    ("Về việc xử phạt vi phạm hành chính trong lĩnh vực trật tự xây dựng",
     "Căn cứ Luật Xử lý vi phạm hành chính ngày 20 tháng 6 năm 2012, sửa đổi, bổ sung năm 2020;",
     ["Xử phạt vi phạm hành chính đối với {t} {name} về hành vi xây dựng công trình không có giấy phép, mức phạt "
      "{m}.", "Buộc tháo dỡ phần công trình vi phạm trong thời hạn 15 ngày kể từ ngày nhận Quyết định này."]),
]


def qd_individual(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b, departments=False)
    abstract, basis, arts = rng.choice(_QD_TOPICS)
    p = person(rng, born=(1960, 1995))
    fill = {"k": str(rng.randint(5, 480)), "m": money(rng.choice([5, 10, 15, 20, 40]) * 1_000_000),
            "y": str(ctx.date.year), "t": p.title.lower(), "name": p.name}
    personal = iss.head if rng.random() < 0.5 else None
    blocks = _header(b, iss, "QĐ")
    blocks += b.title("QUYẾT ĐỊNH", abstract)
    authority = f"CHỦ TỊCH {iss.body}" if personal else iss.body
    blocks.append(b.centre(authority, "B", b.size, space_after=3))
    blocks += _bases(b, basis)
    proposer = rng.choice(["Trưởng phòng Kinh tế", "Chánh Văn phòng", "Trưởng Công an xã",
                           "Trưởng phòng Văn hóa - Xã hội"])
    blocks.append(Para([Run(nfc(f"Xét đề nghị của {proposer}."), "I")],
                       size=b.size, indent=10, space_after=3))
    blocks.append(b.centre("QUYẾT ĐỊNH:", "B", b.size + 0.5, space_after=3))
    for i, a in enumerate(arts, 1):
        blocks.append(_art(b, i, a.format(**fill)))
    k = len(arts) + 1
    blocks.append(_art(b, k, "Quyết định này có hiệu lực kể từ ngày ký."))
    blocks.append(_art(b, k + 1, "Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan và các cá nhân có tên tại "
                                 "Điều 1 chịu trách nhiệm thi hành Quyết định này./."))
    blocks.append(_sign(b, iss, noi_nhan=_noi_nhan(b, f"- Như Điều {k + 1};"), collective=personal is None))
    return _finish(b, "quyet_dinh", "Quyết định", abstract, blocks)


def qd_normative(ctx: Ctx) -> Doc:
    """A decision issuing rules: the year in the symbol, an annexed regulation, sometimes a draft."""
    b = start(ctx)
    rng = b.rng
    iss = issuer(b, departments=False)
    subject = rng.choice(["Quy chế tiếp nhận, giải quyết thủ tục hành chính theo cơ chế một cửa",
                          "Quy định quản lý, sử dụng chữ ký số trong cơ quan hành chính",
                          "Quy chế phối hợp số hóa hồ sơ hộ tịch", "Quy định mức hỗ trợ đối với thôn, tổ dân phố"])
    draft = rng.random() < 0.15
    abstract = f"Ban hành {subject}"
    blocks: list[Block] = []
    if draft:
        blocks.append(Para([Run("DỰ THẢO", "B")], size=12, align="right", space_after=1))
    blocks += _header(b, iss, "QĐ", normative=True, draft=draft)
    blocks += b.title("QUYẾT ĐỊNH", abstract)
    blocks.append(b.centre(iss.body, "B", b.size, space_after=3))
    blocks += _bases(b, "Căn cứ Luật Ban hành văn bản quy phạm pháp luật năm 2025;")
    blocks.append(Para([Run("Theo đề nghị của Giám đốc Sở Tư pháp.", "I")], size=b.size, indent=10, space_after=3))
    blocks.append(b.centre("QUYẾT ĐỊNH:", "B", b.size + 0.5, space_after=3))
    blocks.append(_art(b, 1, f"Ban hành kèm theo Quyết định này {subject}."))
    in_force = short_date(ctx.date + dt.timedelta(days=10))
    blocks.append(_art(b, 2, f"Quyết định này có hiệu lực thi hành kể từ ngày {in_force}."))
    blocks.append(_art(b, 3, "Chánh Văn phòng, Giám đốc các sở, ngành và Chủ tịch Ủy ban nhân dân các xã, phường "
                             "chịu trách nhiệm thi hành Quyết định này./."))
    blocks.append(_sign(b, iss, noi_nhan=_noi_nhan(b, "- Như Điều 3;")))
    if draft:
        _undated(b)
    return _finish(b, "quyet_dinh", "Quyết định", abstract, blocks)


# --- chỉ thị, hướng dẫn -----------------------------------------------------------------------------------
def chi_thi(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b, departments=False)
    topic = rng.choice(["Về việc tăng cường công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
                        "Về việc chấn chỉnh kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính",
                        "Về tăng cường quản lý, bảo vệ rừng trong mùa khô",
                        "Về việc đẩy mạnh thanh toán không dùng tiền mặt trong thu phí, lệ phí"])
    blocks = _header(b, iss, "CT", normative=rng.random() < 0.2)
    blocks += b.title("CHỈ THỊ", topic)
    blocks.append(_p(b, f"Thời gian qua, công tác này trên địa bàn {where(b.unit)} đã đạt được một số kết quả nhất "
                        "định. Tuy nhiên, vẫn còn tình trạng chậm trễ, chưa quyết liệt ở một số cơ quan, đơn vị."))
    blocks.append(_p(b, f"Để khắc phục tình trạng trên, Chủ tịch {iss.short} yêu cầu:"))
    asks = ["Thủ trưởng các cơ quan, đơn vị quán triệt, tổ chức thực hiện nghiêm các nội dung của Chỉ thị này.",
            "Công an xã chủ trì, phối hợp kiểm tra, xử lý nghiêm các trường hợp vi phạm.",
            "Văn phòng theo dõi, đôn đốc việc thực hiện, định kỳ báo cáo kết quả trước ngày 20 hằng tháng.",
            "Các thôn, tổ dân phố tuyên truyền để Nhân dân biết, chủ động thực hiện."]
    for i, t in enumerate(rng.sample(asks, rng.randint(2, 4)), 1):
        blocks.append(_p(b, f"{i}. {t}"))
    blocks.append(_p(b, "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện Chỉ thị này./."))
    blocks.append(_sign(b, iss, collective=False))
    return _finish(b, "chi_thi", "Chỉ thị", topic, blocks)


def huong_dan(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    topic = rng.choice(["Thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                        "Quy trình tiếp nhận và trả kết quả qua dịch vụ bưu chính công ích",
                        "Về việc lập hồ sơ đề nghị công nhận danh hiệu thôn văn hóa",
                        "Nghiệp vụ đăng ký và quản lý hộ tịch trên phần mềm dùng chung"])
    blocks = _header(b, iss, "HD")
    blocks += b.title("HƯỚNG DẪN", topic)
    blocks.append(_p(b, f"Thực hiện chỉ đạo của cấp trên, {iss.short} hướng dẫn một số nội dung như sau:"))
    for head, text in rng.sample([
        ("I. PHẠM VI, ĐỐI TƯỢNG ÁP DỤNG", "Hướng dẫn này áp dụng đối với các cơ quan, đơn vị và công chức được giao "
                                          "nhiệm vụ tiếp nhận, giải quyết hồ sơ."),
        ("II. NỘI DUNG HƯỚNG DẪN", "Hồ sơ được kiểm tra tính đầy đủ, hợp lệ trước khi tiếp nhận; bản điện tử được "
                                   "ký số và lưu trữ trên hệ thống."),
        ("III. TỔ CHỨC THỰC HIỆN", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các đơn vị phản ánh "
                                   "kịp thời để được hướng dẫn."),
    ], 3):
        blocks += [b.heading(head), _p(b, text)]
    blocks.append(_sign(b, iss))
    return _finish(b, "huong_dan", "Hướng dẫn", topic, blocks)


# --- công văn -------------------------------------------------------------------------------------------
_CV = [
    ("đôn đốc hoàn thành chỉ tiêu số hóa hồ sơ quý {q} năm {y}",
     "Qua theo dõi trên Hệ thống thông tin giải quyết thủ tục hành chính, tỷ lệ hồ sơ được số hóa của một số đơn vị "
     "còn thấp. Đề nghị các đơn vị khẩn trương rà soát, hoàn thành trước ngày {d}."),
    ("tham gia ý kiến dự thảo Quy chế phối hợp",
     "Để hoàn thiện dự thảo Quy chế phối hợp, đề nghị Quý cơ quan nghiên cứu, tham gia ý kiến bằng văn bản và gửi về "
     "trước ngày {d}. Quá thời hạn trên, được hiểu là thống nhất với dự thảo."),
    ("cung cấp thông tin phục vụ công tác thanh tra",
     "Đề nghị Quý cơ quan cung cấp hồ sơ, tài liệu liên quan đến việc quản lý, sử dụng kinh phí năm {y} để phục vụ "
     "công tác thanh tra theo kế hoạch."),
    ("chuyển đơn của công dân",
     "Ngày {d}, cơ quan nhận được đơn của công dân phản ánh về việc cấp giấy chứng nhận quyền sử dụng đất. Căn cứ quy "
     "định, chuyển đơn đến Quý cơ quan để xem xét, giải quyết theo thẩm quyền."),
    ("báo cáo tình hình thực hiện nhiệm vụ tháng {q}",
     "Để tổng hợp báo cáo cấp trên, đề nghị các đơn vị báo cáo kết quả thực hiện nhiệm vụ tháng {q}, phương hướng "
     "tháng tiếp theo, gửi về Văn phòng trước ngày {d}."),
]


def cong_van(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    subj, text = rng.choice(_CV)
    fill = {"q": str(rng.randint(1, 4)), "y": str(ctx.date.year),
            "d": short_date(ctx.date + dt.timedelta(days=rng.randint(5, 20)))}
    subj = subj.format(**fill)
    lead = rng.choice(["V/v", "V/v", "V/v.", "Về việc"])
    vv_text = f"{lead} {subj}"
    # The abstract under the number, broken over two or three short lines.
    words = vv_text.split()
    k = max(3, len(words) // rng.choice([2, 3]))
    vv = [" ".join(words[:k]), " ".join(words[k:])] if len(words) > 6 else [vv_text]
    blocks: list[Block] = []
    if rng.random() < 0.12:
        blocks.append(Para([Run(rng.choice(["HỎA TỐC", "KHẨN"]), "B")], size=14, align="left", space_after=1))
    blocks += _header(b, iss, None, vv=vv)
    recipients = rng.sample(["Các phòng, ban chuyên môn;", "Ủy ban nhân dân các xã, phường;", "Sở Nội vụ;",
                             "Công an tỉnh;", "Bảo hiểm xã hội tỉnh;", "Trung tâm Phục vụ hành chính công tỉnh."],
                            rng.randint(1, 3))
    if len(recipients) == 1:
        blocks.append(Para([Run("Kính gửi:", "I"), Run(recipients[0].rstrip(";."))], size=b.size, align="center",
                           space_after=4))
    else:
        blocks.append(Para([Run("Kính gửi:", "I")], size=b.size, align="left", left=35, space_after=0))
        for r in recipients:
            blocks.append(Para([Run(f"- {r}")], size=b.size, align="left", left=55, space_after=0))
        blocks.append(Gap(3))
    blocks.append(_p(b, text.format(**fill)))
    blocks.append(_p(b, rng.choice(["Đề nghị các đơn vị quan tâm, phối hợp thực hiện./.", "Trân trọng./.",
                                    "Rất mong nhận được sự phối hợp của Quý cơ quan./."])))
    blocks.append(_sign(b, iss, noi_nhan=_noi_nhan(b, "- Như trên;")))
    return _finish(b, "cong_van", None, f"{lead} {subj}", blocks)


# --- thông báo, tờ trình, báo cáo, kế hoạch ----------------------------------------------------------------
def thong_bao(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    head = signer(rng)
    kind = rng.choice(["ketluan", "thuly", "lich", "tuyen"])
    topic = {"ketluan": f"Kết luận của Chủ tịch {iss.short} tại cuộc họp nghe báo cáo tiến độ giải phóng mặt bằng",
             "thuly": "Về việc thụ lý giải quyết khiếu nại",
             "lich": f"Lịch tiếp công dân định kỳ tháng {ctx.date.month} năm {ctx.date.year}",
             "tuyen": "Về việc tuyển dụng viên chức năm " + str(ctx.date.year)}[kind]
    blocks = _header(b, iss, "TB")
    blocks += b.title("THÔNG BÁO", topic)
    if kind == "ketluan":
        blocks.append(_p(b, f"Ngày {short_date(ctx.date - dt.timedelta(days=3))}, đồng chí {head.name}, Chủ tịch "
                            f"{iss.short} chủ trì cuộc họp. Sau khi nghe báo cáo và ý kiến của các đại biểu, đồng chí "
                            "Chủ tịch kết luận như sau:"))
        blocks += [_p(b, "1. Cơ bản thống nhất với báo cáo của đơn vị chủ đầu tư."),
                   _p(b, "2. Giao các đơn vị liên quan hoàn thành công tác bồi thường trong tháng tới.")]
    elif kind == "thuly":
        p = person(rng, born=(1950, 1990))
        blocks.append(_p(b, f"Ngày {short_date(ctx.date - dt.timedelta(days=7))}, {iss.short} nhận được đơn khiếu nại "
                            f"của {p.title.lower()} {p.name}, địa chỉ: {p.address}."))
        blocks.append(_p(b, "Sau khi xem xét, đơn khiếu nại đủ điều kiện thụ lý theo quy định của Luật Khiếu nại. "
                            "Thông báo để người khiếu nại và các cơ quan, đơn vị có liên quan biết."))
    elif kind == "lich":
        rows = [["Ngày", "Người tiếp", "Địa điểm"]]
        for k in range(rng.randint(2, 4)):
            rows.append([short_date(ctx.date + dt.timedelta(days=7 * (k + 1))), signer(rng).name,
                         "Trụ sở tiếp công dân"])
        blocks += [_p(b, f"{iss.short} thông báo lịch tiếp công dân định kỳ như sau:"), Table(rows, [40, 70, 55])]
    else:
        blocks.append(_p(b, f"{iss.short} thông báo tuyển dụng viên chức năm {ctx.date.year}: chỉ tiêu "
                            f"{rng.randint(2, 20)} người; hồ sơ nộp trực tiếp hoặc qua dịch vụ bưu chính."))
    blocks.append(_sign(b, iss))
    return _finish(b, "thong_bao", "Thông báo", topic, blocks)


def to_trinh(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    topic = rng.choice(["Về việc đề nghị phê duyệt dự toán kinh phí số hóa hồ sơ hộ tịch",
                        "Về việc đề nghị ban hành Nghị quyết quy định mức chi hỗ trợ",
                        "Về việc đề nghị điều chỉnh chỉ tiêu biên chế năm " + str(ctx.date.year + 1),
                        "Về việc miễn nhiệm chức danh Ủy viên Ủy ban nhân dân"])
    to = rng.choice([f"Hội đồng nhân dân {where(b.unit)}", "Thường trực Hội đồng nhân dân",
                     "Ủy ban nhân dân tỉnh"])
    blocks = _header(b, iss, "TTr")
    blocks += b.title("TỜ TRÌNH", topic)
    blocks.append(Para([Run("Kính gửi:"), Run(nfc(to))], size=b.size, align="center", space_after=4))
    blocks.append(_p(b, "Căn cứ các quy định hiện hành và tình hình thực tế của địa phương, đơn vị xây dựng nội "
                        "dung đề nghị như sau:"))
    blocks += [b.heading("1. Sự cần thiết"), _p(b, "Việc ban hành là cần thiết nhằm bảo đảm kinh phí và tổ chức "
                                                  "thực hiện nhiệm vụ được giao."),
               b.heading("2. Nội dung đề nghị"),
               _p(b, f"Tổng kinh phí đề nghị: {money(rng.randint(50, 900) * 1_000_000)}.")]
    blocks.append(_p(b, f"{iss.short} kính trình {to} xem xét, quyết định./."))
    blocks.append(_sign(b, iss))
    return _finish(b, "to_trinh", "Tờ trình", topic, blocks)


def bao_cao(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    m = rng.randint(1, 12)
    topic = rng.choice([f"Tình hình, kết quả thực hiện công tác cải cách hành chính tháng {m:02d}/{ctx.date.year}",
                        "Kết quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo quý " + str((m - 1) // 3 + 1),
                        f"Về việc rà soát, đánh giá tình hình thu ngân sách năm {ctx.date.year}",
                        "Sơ kết 6 tháng đầu năm thực hiện Đề án 06"])
    blocks = _header(b, iss, "BC")
    blocks += b.title("BÁO CÁO", topic)
    secs = [("I. TÌNH HÌNH CHUNG", "Trong kỳ, đơn vị tiếp nhận {a} hồ sơ, đã giải quyết {c} hồ sơ, đúng hạn đạt {p}%."),
            ("II. KẾT QUẢ ĐẠT ĐƯỢC",
             "Tỷ lệ hồ sơ được số hóa đạt {p}%; không có hồ sơ quá hạn chưa có văn bản xin lỗi."),
            ("III. KHÓ KHĂN, VƯỚNG MẮC", "Một số phần mềm chưa kết nối liên thông; trang thiết bị còn thiếu."),
            ("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "Tiếp tục đẩy mạnh số hóa, nâng cao chất lượng phục vụ người dân.")]
    a = rng.randint(80, 2400)
    fill = {"a": str(a), "c": str(a - rng.randint(0, 40)), "p": f"{rng.uniform(80, 99.9):.1f}".replace(".", ",")}
    for head, text in secs[: rng.randint(3, 4)]:
        blocks += [b.heading(head), _p(b, text.format(**fill))]
    blocks.append(_p(b, f"Trên đây là báo cáo của {iss.short}./."))
    blocks.append(_sign(b, iss))
    return _finish(b, "bao_cao", "Báo cáo", topic, blocks)


def ke_hoach(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    topic = rng.choice(["Tổ chức các hoạt động hưởng ứng Ngày Pháp luật Việt Nam",
                        "Triển khai thực hiện chuyển đổi số năm " + str(ctx.date.year + (ctx.date.month > 10)),
                        "Kiểm tra công tác văn thư, lưu trữ năm " + str(ctx.date.year),
                        "Về việc tổ chức tập huấn nghiệp vụ hộ tịch"])
    blocks = _header(b, iss, "KH")
    blocks += b.title("KẾ HOẠCH", topic)
    first = rng.choice(["I. MỤC ĐÍCH, YÊU CẦU", "I. MỤC TIÊU", "I. MỤC ĐÍCH"])
    blocks += [b.heading(first), _p(b, "Bảo đảm triển khai đồng bộ, đúng tiến độ; phân công rõ trách nhiệm của từng "
                                       "cơ quan, đơn vị.")]
    blocks.append(b.heading("II. NỘI DUNG VÀ THỜI GIAN THỰC HIỆN"))
    rows = [["TT", "Nội dung", "Đơn vị chủ trì", "Thời gian"]]
    for k in range(rng.randint(2, 4)):
        rows.append([str(k + 1), rng.choice(["Xây dựng kế hoạch chi tiết", "Tổ chức tập huấn", "Kiểm tra, đôn đốc",
                                             "Sơ kết, đánh giá"]),
                     rng.choice(["Văn phòng", "Phòng Văn hóa - Xã hội", "Phòng Kinh tế"]),
                     f"Tháng {rng.randint(1, 12)}/{ctx.date.year}"])
    blocks.append(Table(rows, [12, 70, 48, 35], size=11.5))
    blocks += [b.heading("III. KINH PHÍ THỰC HIỆN"), _p(b, "Từ nguồn ngân sách được giao trong dự toán năm."),
               b.heading("IV. TỔ CHỨC THỰC HIỆN"), _p(b, "Các đơn vị căn cứ nhiệm vụ được giao triển khai thực hiện.")]
    blocks.append(_sign(b, iss))
    return _finish(b, "ke_hoach", "Kế hoạch", topic, blocks)


# --- biên bản, giấy mời ---------------------------------------------------------------------------------
def bien_ban(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    kind = rng.choice(["hop", "kiemtra", "bangiao"])
    topic = {"hop": "Cuộc họp xét duyệt hồ sơ đề nghị hỗ trợ", "kiemtra": "Kiểm tra hiện trạng sử dụng đất",
             "bangiao": "Bàn giao hồ sơ lưu trữ"}[kind]
    title = "BIÊN BẢN" if rng.random() < 0.6 else {"hop": "BIÊN BẢN HỌP", "kiemtra": "BIÊN BẢN KIỂM TRA",
                                                   "bangiao": "BIÊN BẢN BÀN GIAO"}[kind]
    blocks = _header(b, iss, "BB")
    blocks += b.title(title, topic)
    chair, clerk = signer(rng), person(rng, born=(1985, 2000))
    hh = rng.choice([7, 8, 9, 14])
    blocks.append(_p(b, f"Hôm nay, vào lúc {hh} giờ {rng.choice(['00', '30'])} phút, {long_date(ctx.date)}, tại "
                        f"{rng.choice(['hội trường', 'phòng họp', 'thực địa'])}, chúng tôi gồm:"))
    blocks.append(b.heading(rng.choice(["I. THÀNH PHẦN THAM DỰ", "Thành phần tham dự:"])))
    blocks += [_p(b, f"1. Ông (bà) {chair.name} - chủ trì;"), _p(b, f"2. Ông (bà) {clerk.name} - thư ký;"),
               _p(b, f"3. Đại diện các đơn vị có liên quan: {rng.randint(3, 9)} người.")]
    blocks += [b.heading("II. NỘI DUNG"), _p(b, "Các thành viên đã thống nhất nội dung như sau: hồ sơ đầy đủ, đúng "
                                                "quy định; đề nghị cấp có thẩm quyền xem xét.")]
    blocks.append(_p(b, f"Biên bản kết thúc vào lúc {hh + 2} giờ cùng ngày, đã đọc lại cho các thành viên cùng nghe và "
                        "thống nhất ký tên."))
    blocks.append(pair_sign(b, "THƯ KÝ", clerk.name, "CHỦ TRÌ", chair.name))
    b.meta(nguoi_ky=chair.name, chuc_vu_nguoi_ky="CHỦ TRÌ")
    return _finish(b, "bien_ban", "Biên bản", topic, blocks)


def giay_moi(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    iss = issuer(b)
    intro = rng.random() < 0.35
    if intro:
        p = person(rng, born=(1975, 1998))
        blocks = _header(b, iss, "GGT")
        blocks += b.title("GIẤY GIỚI THIỆU")
        blocks += [b.field("Trân trọng giới thiệu", f"{p.title} {p.name}"),
                   b.field("Chức vụ", rng.choice(["Chuyên viên", "Công chức Tư pháp - Hộ tịch",
                                                   "Phó Chánh Văn phòng"])),
                   b.field("Được cử đến", rng.choice(["Sở Tư pháp", "Bảo hiểm xã hội tỉnh",
                                                       "Ngân hàng Chính sách xã hội"])),
                   b.field("Về việc", rng.choice(["liên hệ công tác", "nhận tài liệu tập huấn", "đối chiếu số liệu"])),
                   _p(b, "Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên trên hoàn thành nhiệm vụ."),
                   _p(b, f"Giấy này có giá trị đến hết ngày {short_date(ctx.date + dt.timedelta(days=30))}./.")]
        blocks.append(_sign(b, iss))
        return _finish(b, "giay_moi", "Giấy giới thiệu", None, blocks)
    event = rng.choice(["Hội nghị tổng kết công tác năm", "cuộc họp triển khai nhiệm vụ số hóa",
                        "Lễ công bố quyết định", "buổi đối thoại với Nhân dân"])
    guest = rng.choice(["Ông (bà) Trưởng thôn", "Đại diện lãnh đạo các phòng, ban", "Ông (bà) Bí thư Chi bộ"])
    blocks = _header(b, iss, "GM")
    title = rng.choice(["GIẤY MỜI", "GIẤY MỜI", "GIẤY MỜI HỌP"])
    blocks += b.title(title)
    when = ctx.date + dt.timedelta(days=rng.randint(2, 10))
    blocks += [Para([Run(nfc(f"{iss.short} trân trọng kính mời:"))], size=b.size, align="left", indent=10),
               b.centre(guest, "B", b.size, space_after=2),
               b.field("Tới dự", event),
               b.field("Thời gian", f"{rng.choice([7, 8, 14])} giờ {rng.choice(['00', '30'])} phút, {long_date(when)}"),
               b.field("Địa điểm", rng.choice(["Hội trường", "Phòng họp tầng 2", "Nhà văn hóa thôn"])),
               _p(b, "Rất mong quý vị đại biểu tham dự đúng thời gian./.")]
    blocks.append(_sign(b, iss))
    return _finish(b, "giay_moi", "Giấy mời", None, blocks)


# --- nghị quyết ------------------------------------------------------------------------------------------
def nghi_quyet_hdnd(ctx: Ctx) -> Doc:
    b = start(ctx)
    rng = b.rng
    u = b.unit
    council = u.council
    iss = Issuer(council, None, "HĐND", u.place, council.capitalize(), "CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                 "HỘI ĐỒNG NHÂN DÂN")
    topic = rng.choice(["Về việc thông qua kế hoạch đầu tư công trung hạn", "Quy định mức chi bảo đảm hoạt động của "
                        "Hội đồng nhân dân", "Về việc giao dự toán thu, chi ngân sách năm " + str(ctx.date.year + 1),
                        "Bãi bỏ một số nghị quyết của Hội đồng nhân dân"])
    draft = rng.random() < 0.15
    blocks: list[Block] = []
    if draft:
        blocks.append(Para([Run("DỰ THẢO", "B")], size=12, align="right", space_after=1))
    blocks += _header(b, iss, "NQ", normative=rng.random() < 0.5, draft=draft)
    blocks += b.title("NGHỊ QUYẾT", topic)
    blocks.append(b.centre(council, "B", b.size))
    blocks.append(b.centre(f"KHÓA {rng.choice(['XII', 'XIII', 'VIII'])}, KỲ HỌP THỨ {rng.randint(2, 30)}", "B", b.size,
                           space_after=3))
    blocks += _bases(b, "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;")
    blocks.append(Para([Run(nfc(f"Xét Tờ trình số {rng.randint(10, 300)}/TTr-UBND của Ủy ban nhân dân; Báo cáo thẩm "
                                "tra của Ban Kinh tế - Ngân sách; ý kiến thảo luận của đại biểu tại kỳ họp."), "I")],
                       size=b.size, indent=10, space_after=3))
    blocks.append(b.centre("QUYẾT NGHỊ:", "B", b.size + 0.5, space_after=3))
    blocks += [_art(b, 1, "Thông qua nội dung theo Tờ trình của Ủy ban nhân dân."),
               _art(b, 2, "Giao Ủy ban nhân dân tổ chức thực hiện Nghị quyết này."),
               _p(b, f"Nghị quyết này đã được {council.capitalize()} thông qua ngày {short_date(ctx.date)}.")]
    blocks.append(sign(b, ["CHỦ TỊCH"], signer(rng).name, noi_nhan=_noi_nhan(b), signed_note=rng.random() < 0.2))
    if draft:
        _undated(b)
    return _finish(b, "nghi_quyet", "Nghị quyết", topic, blocks)


def nghi_quyet_dhdcd(ctx: Ctx) -> Doc:
    """A shareholders' meeting resolution on a company letterhead."""
    b = start(ctx, corporate=True)
    rng = b.rng
    name, _short, address, tax = rng.choice(company())
    year = ctx.date.year
    blocks = company_header(b, name, address, tax, motto=True)
    n = rng.randint(1, 5)
    blocks.append(so_line(b, n, f"{year}/NQ-ĐHĐCĐ"))
    blocks.append(Para(date_runs(b, b.unit.place, ctx.date), size=12.5, align="right", space_after=2))
    b.meta(co_quan_ban_hanh=name, dia_danh=b.unit.place, ngay_ban_hanh=ctx.date.isoformat())
    topic = f"ĐẠI HỘI ĐỒNG CỔ ĐÔNG THƯỜNG NIÊN NĂM {year}"
    blocks += b.title("NGHỊ QUYẾT", topic, rule=False)
    blocks.append(b.centre(f"ĐẠI HỘI ĐỒNG CỔ ĐÔNG {name}", "B", 12.5, space_after=3))
    blocks += [Para([Run("Căn cứ Luật Doanh nghiệp năm 2020; Điều lệ tổ chức và hoạt động của Công ty;", "I")],
                    size=b.size, indent=10),
               Para([Run(f"Căn cứ Biên bản họp Đại hội đồng cổ đông thường niên năm {year}.", "I")], size=b.size,
                    indent=10, space_after=3),
               b.centre("QUYẾT NGHỊ:", "B", b.size, space_after=3),
               _art(b, 1, f"Thông qua Báo cáo kết quả sản xuất kinh doanh năm {year - 1} và kế hoạch năm {year}."),
               _art(b, 2, f"Thông qua phương án phân phối lợi nhuận, chia cổ tức {rng.randint(5, 20)}%."),
               _art(b, 3, "Nghị quyết có hiệu lực kể từ ngày ký. Hội đồng quản trị tổ chức thực hiện.")]
    blocks.append(sign(b, ["TM. ĐẠI HỘI ĐỒNG CỔ ĐÔNG", "CHỦ TỌA"], signer(rng).name))
    # "NGHỊ QUYẾT" / "ĐẠI HỘI ĐỒNG CỔ ĐÔNG THƯỜNG NIÊN NĂM …" is the title, not an abstract (as in the real set's rs073)
    return _finish(b, "nghi_quyet", "Nghị quyết", None, blocks)


def company_notice(ctx: Ctx) -> Doc:
    return _company_meeting(ctx, minutes=False)


def company_minutes(ctx: Ctx) -> Doc:
    return _company_meeting(ctx, minutes=True)


def _company_meeting(ctx: Ctx, *, minutes: bool) -> Doc:
    """A company's notice of its shareholders' meeting, or the minutes of it, on its letterhead."""
    b = start(ctx, corporate=True)
    rng = b.rng
    name, short, address, tax = rng.choice(company())
    year = ctx.date.year
    blocks = company_header(b, name, address, tax, motto=rng.random() < 0.6)
    n = rng.randint(1, 40)
    blocks.append(so_line(b, n, f"{year}/{'BB' if minutes else 'TB'}-{short}"))
    blocks.append(Para(date_runs(b, b.unit.place, ctx.date), size=12.5, align="right", space_after=2))
    b.meta(co_quan_ban_hanh=name, dia_danh=b.unit.place, ngay_ban_hanh=ctx.date.isoformat())
    meeting = f"ĐẠI HỘI ĐỒNG CỔ ĐÔNG THƯỜNG NIÊN NĂM {year}"
    chair, clerk = signer(rng), person(rng, born=(1980, 1998))
    if minutes:
        blocks += b.title("BIÊN BẢN", f"HỌP {meeting}", rule=False)
        blocks += [_p(b, f"Hôm nay, vào lúc 08 giờ 30 phút, {long_date(ctx.date)}, tại hội trường Công ty, "
                         f"{name} tổ chức {meeting.lower().capitalize()}."),
                   b.heading("I. THÀNH PHẦN THAM DỰ"),
                   _p(b, f"Số cổ đông tham dự: {rng.randint(20, 300)} cổ đông, đại diện cho {rng.randint(51, 95)}% "
                         "tổng số cổ phần có quyền biểu quyết."),
                   b.heading("II. NỘI DUNG ĐẠI HỘI"),
                   _p(b, "Đại hội đã nghe các báo cáo và biểu quyết thông qua các nội dung theo chương trình."),
                   _p(b, "Biên bản được lập xong vào lúc 11 giờ cùng ngày và được đọc lại trước Đại hội."),
                   pair_sign(b, "THƯ KÝ ĐẠI HỘI", clerk.name, "CHỦ TỌA", chair.name)]
        b.meta(nguoi_ky=chair.name, chuc_vu_nguoi_ky="CHỦ TỌA")
        return _finish(b, "bien_ban", "Biên bản", None, blocks)  # the capital line is the title's: see below
    blocks += b.title("THÔNG BÁO", f"MỜI HỌP {meeting}", rule=False)
    blocks += [_p(b, f"Hội đồng quản trị {name} trân trọng thông báo và kính mời Quý cổ đông tham dự "
                     f"{meeting.lower()}."),
               b.field("Thời gian", f"08 giờ 00 phút, {long_date(ctx.date + dt.timedelta(days=20))}"),
               b.field("Địa điểm", address),
               _p(b, "Cổ đông không thể tham dự có thể ủy quyền cho người khác theo mẫu Giấy ủy quyền gửi kèm."),
               sign(b, ["TM. HỘI ĐỒNG QUẢN TRỊ", "CHỦ TỊCH"], chair.name)]
    # "THÔNG BÁO" / "MỜI HỌP ĐẠI HỘI ĐỒNG CỔ ĐÔNG …" in capitals is one title, as the real set labels the same
    # company papers (bench/realset/labels.jsonl rs072-rs074): no abstract is printed
    return _finish(b, "thong_bao", "Thông báo", None, blocks)


B_ADMIN: dict[str, list[tuple[str, Callable[[Ctx], Doc]]]] = {
    "quyet_dinh": [("B.quyet_dinh.individual", qd_individual), ("B.quyet_dinh.normative", qd_normative)],
    "chi_thi": [("B.chi_thi", chi_thi)],
    "nghi_quyet": [("B.nghi_quyet.hdnd", nghi_quyet_hdnd), ("B.nghi_quyet.dhdcd", nghi_quyet_dhdcd)],
    "huong_dan": [("B.huong_dan", huong_dan)],
    "cong_van": [("B.cong_van", cong_van)],
    "thong_bao": [("B.thong_bao", thong_bao), ("B.thong_bao.company", company_notice)],
    "to_trinh": [("B.to_trinh", to_trinh)],
    "bao_cao": [("B.bao_cao", bao_cao)],
    "ke_hoach": [("B.ke_hoach", ke_hoach)],
    "bien_ban": [("B.bien_ban", bien_ban), ("B.bien_ban.company", company_minutes)],
    "giay_moi": [("B.giay_moi", giay_moi)],
}

__all__ = ["B_ADMIN", "Issuer", "issuer"]
