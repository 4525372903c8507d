"""Administrative documents in the Decree 30/2020 layout: quyết định, công văn and their kin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.samples.content import (
    REFORM_DAY,
    Person,
    home_address,
    long_date,
    money,
    nfc,
    person,
    short_date,
)
from pipeline.samples.model import Block, Doc, Para, Run, centre, para
from pipeline.samples.parts import (
    Ctx,
    article,
    body,
    header,
    item,
    number,
    official,
    signature,
    signer_lines,
    title_block,
    two_signatures,
)

# Legal bases: (text, in force from, in force until, topic). A document cites only what was in force.
_D = dt.date
LAWS: list[tuple[str, dt.date, dt.date, str]] = [
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số "
     "điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
     _D(2020, 1, 1), _D(2025, 6, 30), "chung"),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", REFORM_DAY, _D(2100, 1, 1), "chung"),
    ("Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;", _D(2016, 1, 1), _D(2100, 1, 1), "hotich"),
    ("Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết một số "
     "điều và biện pháp thi hành Luật Hộ tịch;", _D(2016, 1, 1), _D(2100, 1, 1), "hotich"),
    ("Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, "
     "một cửa liên thông trong giải quyết thủ tục hành chính;", _D(2018, 6, 21), _D(2100, 1, 1), "motcua"),
    ("Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ sửa đổi, bổ sung một số "
     "điều của Nghị định số 61/2018/NĐ-CP;", _D(2021, 12, 6), _D(2100, 1, 1), "motcua"),
    ("Căn cứ Quyết định số 766/QĐ-TTg ngày 23 tháng 6 năm 2022 của Thủ tướng Chính phủ phê duyệt Bộ chỉ số "
     "chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục "
     "hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử;", _D(2022, 6, 23), _D(2100, 1, 1),
     "motcua"),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
     _D(2020, 3, 5), _D(2100, 1, 1), "motcua"),
    ("Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;", _D(2014, 7, 1), _D(2024, 7, 31), "datdai"),
    ("Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;", _D(2024, 8, 1), _D(2100, 1, 1), "datdai"),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", _D(2024, 1, 1), _D(2100, 1, 1), "khenthuong"),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của "
     "Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013;", _D(2014, 6, 1), _D(2023, 12, 31), "khenthuong"),
    ("Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ quy định chính sách trợ giúp "
     "xã hội đối với đối tượng bảo trợ xã hội;", _D(2021, 7, 1), _D(2100, 1, 1), "baotro"),
    ("Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014; Luật sửa đổi, bổ sung một số điều của Luật Xây dựng "
     "ngày 17 tháng 6 năm 2020;", _D(2021, 1, 1), _D(2100, 1, 1), "xaydung"),
    ("Căn cứ Nghị định số 15/2021/NĐ-CP ngày 03 tháng 3 năm 2021 của Chính phủ quy định chi tiết một số nội "
     "dung về quản lý dự án đầu tư xây dựng;", _D(2021, 3, 3), _D(2100, 1, 1), "xaydung"),
]


def bases(d: dt.date, *topics: str) -> list[Para]:
    texts = [t for t, lo, hi, topic in LAWS if lo <= d <= hi and topic in ("chung", *topics)]
    return [Para([Run(t, "I")], indent=10, space_after=2) for t in texts]


def proposer(ctx: Ctx) -> str:
    if ctx.unit.commune is None:
        return ctx.rng.choice(["Giám đốc Sở Tư pháp", "Chánh Văn phòng Ủy ban nhân dân tỉnh",
                               "Giám đốc Sở Nội vụ"])
    if ctx.date >= REFORM_DAY:
        return ctx.rng.choice(["Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Trưởng phòng Văn hóa - Xã hội",
                               "Trưởng phòng Kinh tế"])
    return ctx.rng.choice(["Công chức Tư pháp - Hộ tịch", "Công chức Văn phòng - Thống kê",
                           "Công chức Địa chính - Xây dựng"])


def staff_title(ctx: Ctx) -> str:
    if ctx.date >= REFORM_DAY and ctx.unit.commune:
        return ctx.rng.choice(["Chuyên viên Văn phòng HĐND và UBND", "Chuyên viên Phòng Văn hóa - Xã hội",
                               "Chuyên viên Phòng Kinh tế", "Viên chức Trung tâm Phục vụ hành chính công"])
    return ctx.rng.choice(["Công chức Tư pháp - Hộ tịch", "Công chức Văn phòng - Thống kê",
                           "Công chức Địa chính - Xây dựng", "Công chức Văn hóa - Xã hội"])


def symbol(ctx: Ctx, type_abbr: str | None, issuer_abbr: str | None = None, dept: str | None = None) -> str:
    n = number(ctx.rng, ctx.date)
    iss = issuer_abbr or ctx.unit.abbr
    ky_hieu = f"{type_abbr}-{iss}" if type_abbr else f"{iss}-{dept or ctx.rng.choice(['VP', 'TP', 'VHXH', 'KT'])}"
    ctx.meta.update(so=str(n), ky_hieu=ky_hieu, so_ky_hieu=f"{n}/{ky_hieu}")
    return f"{n}/{ky_hieu}"


def noi_nhan(ctx: Ctx, first: str) -> list[str]:
    org = "UBND" + (" xã" if ctx.unit.commune and ctx.unit.commune[0].startswith("xã") else
                    " phường" if ctx.unit.commune else " tỉnh")
    pool = [f"- TT Đảng ủy, HĐND {org[5:]};", f"- Chủ tịch, các PCT {org};", "- Lưu: VT."]
    extra = ctx.rng.sample(["- Cổng thông tin điện tử;", "- Sở Tư pháp;", "- Như trên;", "- Công an xã;"], 1)
    return [first, *pool[: ctx.rng.randint(1, 2)], *extra, pool[-1]]


def _finish(ctx: Ctx, doc_type: str, ten_loai: str | None, trich_yeu: str | None, blocks: list[Block]) -> Doc:
    if ten_loai:  # a công văn prints no type name: its label has none (DOMAIN.md, ten_loai "as printed")
        ctx.meta["ten_loai"] = ten_loai
    if trich_yeu:
        ctx.meta["trich_yeu"] = nfc(trich_yeu)
    return Doc(doc_type, blocks, dict(ctx.meta))


# --- quyết định ------------------------------------------------------------------------------------
def _qd_team(ctx: Ctx) -> tuple[str, list[str], list[Block], Person | None]:
    rng = ctx.rng
    members = [person(rng, born=(1970, 1998)) for _ in range(rng.randint(3, 6 if ctx.long else 4))]
    roles = ["Tổ trưởng", "Tổ phó", *["Thành viên"] * 6]
    arts: list[Block] = [article(1, "Thành lập Tổ công tác số hóa hồ sơ, kết quả giải quyết thủ tục hành chính "
                                    f"của {ctx.unit.short}, gồm các ông (bà) có tên sau:")]
    for i, m in enumerate(members):
        arts.append(item(f"{i + 1}. {m.title} {m.name} - {staff_title(ctx)}, {roles[i]};"))
    tasks = [
        "Tổ chức số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đã tiếp nhận tại Bộ phận Một cửa theo "
        "đúng quy định tại Nghị định số 45/2020/NĐ-CP và Thông tư số 01/2023/TT-VPCP;",
        "Kiểm tra, đối chiếu bản điện tử với bản giấy trước khi cập nhật lên Hệ thống thông tin giải quyết "
        "thủ tục hành chính của tỉnh;",
        "Tái sử dụng dữ liệu đã số hóa, không yêu cầu tổ chức, cá nhân cung cấp lại giấy tờ đã được số hóa;",
        "Định kỳ hằng tháng báo cáo kết quả số hóa, tỷ lệ hồ sơ có kết quả điện tử về Văn phòng;",
        "Phối hợp với Công an xã khai thác, sử dụng dữ liệu dân cư phục vụ giải quyết thủ tục hành chính;",
        "Bảo đảm an toàn thông tin, bảo vệ dữ liệu cá nhân trong quá trình số hóa, lưu trữ hồ sơ.",
    ]
    arts.append(article(2, "Nhiệm vụ của Tổ công tác:"))
    for t in rng.sample(tasks, len(tasks) if ctx.long else 3):
        arts.append(item(f"- {t}"))
    arts.append(article(3, "Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ. Quyết định này có hiệu lực "
                           "kể từ ngày ký."))
    arts.append(article(4, "Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan và các ông (bà) có tên tại "
                           "Điều 1 chịu trách nhiệm thi hành Quyết định này./."))
    return ("Về việc thành lập Tổ công tác số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            ["motcua"], arts, None)


def _qd_welfare(ctx: Ctx) -> tuple[str, list[str], list[Block], Person | None]:
    rng = ctx.rng
    p = person(rng, born=(1935, 1960) if rng.random() < 0.6 else (2008, 2018))
    start = ctx.date.replace(day=1) + dt.timedelta(days=32)
    amount = rng.choice([500_000, 750_000, 1_000_000, 1_500_000])
    reason = rng.choice(["người cao tuổi từ đủ 80 tuổi trở lên không có lương hưu", "người khuyết tật nặng",
                         "trẻ em mồ côi cả cha và mẹ", "người đơn thân nghèo đang nuôi con"])
    arts: list[Block] = [
        article(1, f"Trợ cấp xã hội hằng tháng đối với {p.title.lower()} {p.name}, sinh ngày {short_date(p.birth)}, "
                   f"Số định danh cá nhân: {p.ident}; nơi cư trú: {p.address}."),
        item(f"Đối tượng: {reason}."),
        item(f"Mức trợ cấp: {money(amount)}/tháng ({number_words_cap(amount)} đồng/tháng)."),
        item(f"Thời điểm hưởng: kể từ tháng {start.month} năm {start.year}."),
        article(2, "Quyết định này có hiệu lực kể từ ngày ký."),
        article(3, f"Chánh Văn phòng, {proposer(ctx)}, Trưởng các đơn vị có liên quan và {p.title.lower()} "
                   f"{p.name} chịu trách nhiệm thi hành Quyết định này./."),
    ]
    return "Về việc trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", ["baotro"], arts, p


def _qd_land(ctx: Ctx) -> tuple[str, list[str], list[Block], Person | None]:
    rng = ctx.rng
    p = person(rng, born=(1960, 1998))
    area = round(rng.uniform(100, 400), 1)
    arts: list[Block] = [
        article(1, f"Giao {round(area)} m² đất ở tại nông thôn cho hộ {p.title.lower()} {p.name}, Số định danh "
                   f"cá nhân: {p.ident}, thường trú tại {p.address}."),
        item(f"- Vị trí thửa đất: thửa đất số {rng.randint(10, 999)}, tờ bản đồ số {rng.randint(1, 60)}, "
             f"tại {home_address(rng, ctx.unit.commune)};"),
        item("- Hình thức giao đất: giao đất có thu tiền sử dụng đất; thời hạn sử dụng: lâu dài;"),
        item(f"- Tiền sử dụng đất phải nộp: {money(int(area) * rng.choice([800_000, 1_200_000, 2_500_000]))}."),
        article(2, "Giao Phòng Kinh tế tổ chức bàn giao đất trên thực địa, chỉnh lý hồ sơ địa chính theo quy định."),
        article(3, "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Trưởng phòng Kinh tế và hộ "
                   f"{p.title.lower()} {p.name} chịu trách nhiệm thi hành Quyết định này./."),
    ]
    return "Về việc giao đất ở cho hộ gia đình, cá nhân", ["datdai"], arts, p


def _qd_award(ctx: Ctx) -> tuple[str, list[str], list[Block], Person | None]:
    rng = ctx.rng
    year = ctx.date.year - (1 if ctx.date.month < 4 else 0)
    movement = rng.choice(["phong trào thi đua cải cách hành chính", "công tác chuyển đổi số",
                           "phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa", "công tác phòng, chống thiên tai"])
    people = [person(rng, born=(1965, 2000)) for _ in range(rng.randint(2, 7 if ctx.long else 3))]
    arts: list[Block] = [article(1, f"Tặng Giấy khen cho các tập thể, cá nhân đã có thành tích xuất sắc trong "
                                    f"{movement} năm {year}, gồm:")]
    for i, p in enumerate(people):
        arts.append(item(f"{i + 1}. {p.title} {p.name}, {staff_title(ctx)};"))
    arts.append(article(2, f"Mỗi cá nhân được khen thưởng kèm theo tiền thưởng {money(rng.choice([300_000, 500_000]))} "
                           "từ nguồn quỹ thi đua, khen thưởng năm " + str(ctx.date.year) + "."))
    arts.append(article(3, "Chánh Văn phòng, Trưởng các đơn vị có liên quan và các cá nhân có tên tại Điều 1 "
                           "chịu trách nhiệm thi hành Quyết định này./."))
    return (f"Về việc khen thưởng các cá nhân có thành tích xuất sắc trong {movement} năm {year}", ["khenthuong"],
            arts, None)


def _qd_rules(ctx: Ctx) -> tuple[str, list[str], list[Block], Person | None]:
    arts: list[Block] = [
        article(1, "Ban hành kèm theo Quyết định này Quy chế tiếp nhận, giải quyết thủ tục hành chính theo cơ chế "
                   f"một cửa, một cửa liên thông tại {ctx.unit.short}."),
        article(2, "Quyết định này có hiệu lực kể từ ngày ký và thay thế các quy định trước đây trái với Quy chế "
                   "ban hành kèm theo Quyết định này."),
        article(3, "Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và cá nhân có liên quan chịu trách nhiệm "
                   "thi hành Quyết định này./."),
    ]
    if ctx.long:
        clauses = [
            "Hồ sơ được tiếp nhận trực tiếp, qua dịch vụ bưu chính công ích hoặc trực tuyến trên Cổng Dịch vụ "
            "công quốc gia; mọi hồ sơ đều được cấp mã hồ sơ và cập nhật vào Hệ thống thông tin giải quyết thủ "
            "tục hành chính.",
            "Thành phần hồ sơ, kết quả giải quyết được số hóa ngay khi tiếp nhận và khi trả kết quả; bản điện "
            "tử có giá trị sử dụng thay bản giấy trong các lần giải quyết tiếp theo.",
            "Trường hợp hồ sơ giải quyết quá hạn, cơ quan có trách nhiệm gửi Phiếu xin lỗi và hẹn lại ngày "
            "trả kết quả, nêu rõ lý do quá hạn.",
            "Cán bộ, công chức tiếp nhận hồ sơ không được yêu cầu tổ chức, cá nhân nộp thêm giấy tờ ngoài "
            "thành phần hồ sơ đã được công bố.",
        ]
        for c in clauses:
            arts.insert(1, item(f"- {c}"))
    return ("Về việc ban hành Quy chế tiếp nhận, giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa "
            "liên thông", ["motcua"], arts, None)


def number_words_cap(n: int) -> str:
    from pipeline.samples.content import number_words

    w = number_words(n)
    return w[0].upper() + w[1:]


def quyet_dinh(ctx: Ctx) -> Doc:
    rng = ctx.rng
    topic = rng.choice([_qd_team, _qd_welfare, _qd_land, _qd_award, _qd_rules])
    trich_yeu, topics, arts, subject = topic(ctx)
    by_chair = rng.random() < 0.6
    so = symbol(ctx, "QĐ")
    blocks: list[Block] = [header(ctx, so=so), *title_block("QUYẾT ĐỊNH", trich_yeu)]
    if by_chair:
        blocks.append(centre(ctx.unit.chair_title, "B", 14, space_after=6))
    else:
        blocks.append(centre(ctx.unit.body, "B", 14, space_after=6))
    blocks += bases(ctx.date, *topics)
    blocks.append(Para([Run(f"Theo đề nghị của {proposer(ctx)}.", "I")], indent=10, space_after=4))
    blocks.append(centre("QUYẾT ĐỊNH:", "B", 14, space_after=6))
    blocks += arts
    if ctx.long:
        # Long decisions carry implementing provisions; they push the signature onto page 2.
        blocks[-1:-1] = [item(f"- {c}") for c in rng.sample(_EXTRA_CLAUSES, 8)]
    signer = official(rng)
    blocks.append(signature(ctx, signer_lines(rng, collective=not by_chair), signer.name,
                            noi_nhan(ctx, "- Như Điều 3;" if len(arts) < 8 else "- Như Điều 4;")))
    if subject:
        ctx.meta.update(ho_ten=subject.name, so_dinh_danh=subject.ident)
    return _finish(ctx, "quyet_dinh", "Quyết định", trich_yeu, blocks)


# --- công văn --------------------------------------------------------------------------------------
_CV_TOPICS: list[tuple[str, list[str], list[str]]] = [
    ("V/v đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
     ["Các cơ quan, đơn vị trực thuộc", "Trung tâm Phục vụ hành chính công"],
     ["Thực hiện chỉ đạo của cấp trên về việc nâng cao tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành "
      "chính theo Bộ chỉ số ban hành kèm theo Quyết định số 766/QĐ-TTg, {org} đề nghị các cơ quan, đơn vị "
      "triển khai thực hiện một số nội dung sau:",
      "1. Thực hiện số hóa 100% hồ sơ tiếp nhận và kết quả giải quyết thủ tục hành chính ngay trong ngày "
      "làm việc; bản scan bảo đảm độ phân giải tối thiểu 200 dpi, đúng tên tệp theo mã hồ sơ.",
      "2. Khai thác, tái sử dụng dữ liệu đã được số hóa; không yêu cầu người dân nộp lại giấy tờ đã có trong "
      "kho dữ liệu điện tử của tổ chức, cá nhân.",
      "3. Định kỳ trước ngày 20 hằng tháng, báo cáo kết quả thực hiện về Văn phòng để tổng hợp."]),
    ("V/v rà soát, cập nhật dữ liệu hộ tịch vào Cơ sở dữ liệu hộ tịch điện tử",
     ["Công chức làm công tác hộ tịch", "Trung tâm Phục vụ hành chính công"],
     ["Để bảo đảm dữ liệu hộ tịch được cập nhật đầy đủ, chính xác phục vụ kết nối với Cơ sở dữ liệu quốc "
      "gia về dân cư, {org} đề nghị:",
      "1. Rà soát toàn bộ Sổ đăng ký khai sinh, kết hôn, khai tử từ năm 2016 đến nay; đối chiếu với dữ liệu "
      "trên Hệ thống thông tin đăng ký và quản lý hộ tịch.",
      "2. Số hóa các sổ hộ tịch còn lưu trữ bằng giấy, ưu tiên các sổ có tần suất khai thác cao.",
      "3. Hoàn thành trước ngày {deadline}; kết quả gửi về Văn phòng để tổng hợp, báo cáo."]),
    ("V/v triển khai dịch vụ công trực tuyến toàn trình",
     ["Các thôn, tổ dân phố", "Các cơ quan, đơn vị liên quan"],
     ["Nhằm tạo thuận lợi cho người dân khi thực hiện thủ tục hành chính, {org} đề nghị các đơn vị tăng "
      "cường tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến qua Cổng Dịch vụ công quốc gia.",
      "Đối với các thủ tục đăng ký khai sinh, đăng ký khai tử, đăng ký thường trú, người dân sử dụng tài "
      "khoản định danh điện tử mức độ 2 để nộp hồ sơ và nhận kết quả bản điện tử.",
      "Quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị phản ánh về Văn phòng để được hướng dẫn."]),
    ("V/v đề nghị xác minh thông tin cư trú",
     ["Công an {area}"],
     ["{org} nhận được hồ sơ đề nghị cấp Giấy xác nhận tình trạng hôn nhân của {citizen}, sinh ngày "
      "{birth}, Số định danh cá nhân: {ident}.",
      "Để có cơ sở giải quyết hồ sơ theo quy định, {org} đề nghị Công an {area} xác minh, cung cấp thông "
      "tin về nơi cư trú của công dân nêu trên trong thời gian từ năm {since} đến nay.",
      "Văn bản trả lời xin gửi về {org} trước ngày {deadline}."]),
    ("V/v chuẩn bị phương án phòng, chống thiên tai năm {year}",
     ["Các thôn, tổ dân phố", "Ban Chỉ huy Phòng thủ dân sự"],
     ["Theo dự báo của cơ quan khí tượng thủy văn, mùa mưa bão năm {year} có diễn biến phức tạp. Để chủ "
      "động ứng phó, {org} yêu cầu:",
      "1. Các thôn, tổ dân phố rà soát các hộ gia đình sống ở vùng thấp trũng, ven sông, có nguy cơ sạt lở "
      "để có phương án di dời khi cần thiết.",
      "2. Chuẩn bị lực lượng, phương tiện, vật tư theo phương châm bốn tại chỗ.",
      "3. Tổ chức trực ban nghiêm túc 24/24 giờ trong thời gian có thiên tai."]),
]


def cong_van(ctx: Ctx) -> Doc:
    rng = ctx.rng
    vv, recipients, paras = rng.choice(_CV_TOPICS)
    citizen = person(rng, born=(1970, 2002))
    fmt = {"org": ctx.unit.short, "area": ctx.unit.area, "year": ctx.date.year, "citizen": citizen.name,
           "birth": short_date(citizen.birth), "ident": citizen.ident, "since": max(2016, ctx.date.year - 6),
           "deadline": short_date(ctx.date + dt.timedelta(days=rng.randint(7, 30)))}
    vv = nfc(vv.format(**fmt))
    so = symbol(ctx, None)
    blocks: list[Block] = [header(ctx, so=so, vv=vv)]
    recips = [nfc(r.format(**fmt)) for r in recipients]
    if len(recips) == 1:
        blocks.append(Para([Run("Kính gửi:"), Run(recips[0])], size=14, align="center", space_after=6))
    else:
        blocks.append(Para([Run("Kính gửi:")], size=14, align="center", space_after=0))
        blocks += [Para([Run(f"- {r};" if i < len(recips) - 1 else f"- {r}.")], size=14, align="left", left=55,
                        space_after=0) for i, r in enumerate(recips)]
        blocks.append(para("", space_after=4))
    for p in paras:
        blocks.append(body(p.format(**fmt)))
    if ctx.long:
        blocks += [body(s.format(**fmt)) for s in rng.sample(_EXTRA_CLAUSES, 9)]
    blocks.append(body(rng.choice(["Đề nghị các đơn vị nghiêm túc triển khai thực hiện./.",
                                   "Rất mong nhận được sự phối hợp của Quý cơ quan./.",
                                   "Trân trọng./."])))
    signer = official(rng)
    blocks.append(signature(ctx, signer_lines(rng), signer.name, ["- Như trên;", "- Lưu: VT."]))
    return _finish(ctx, "cong_van", None, vv, blocks)


_EXTRA_CLAUSES = [
    "Giao Văn phòng theo dõi, đôn đốc việc triển khai thực hiện; tổng hợp những khó khăn, vướng mắc, "
    "kịp thời báo cáo lãnh đạo xem xét, chỉ đạo giải quyết.",
    "Người đứng đầu các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân nếu để xảy ra "
    "chậm trễ, ảnh hưởng đến kết quả chung của địa phương.",
    "Kết quả thực hiện là một trong những tiêu chí đánh giá, xếp loại thi đua cuối năm của cơ quan, đơn vị "
    "và cá nhân người đứng đầu.",
    "Trong quá trình thực hiện, các đơn vị chủ động phối hợp với Công an xã, Hội Liên hiệp Phụ nữ, Đoàn "
    "Thanh niên để tuyên truyền, hướng dẫn người dân.",
    "Việc báo cáo thực hiện bằng văn bản điện tử qua Hệ thống quản lý văn bản và điều hành, đồng thời gửi "
    "bản mềm qua thư điện tử công vụ.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách địa phương trong dự toán được giao hằng năm và các "
    "nguồn kinh phí hợp pháp khác theo quy định của pháp luật về ngân sách nhà nước.",
    "Công chức, viên chức được giao nhiệm vụ có trách nhiệm hướng dẫn tận tình, không gây phiền hà, sách "
    "nhiễu; công khai số điện thoại đường dây nóng để người dân phản ánh, kiến nghị.",
    "Văn phòng chủ trì, phối hợp với Trung tâm Phục vụ hành chính công kiểm tra định kỳ, đột xuất việc thực "
    "hiện; kịp thời chấn chỉnh các trường hợp vi phạm, đề xuất xử lý trách nhiệm theo quy định.",
    "Dữ liệu hồ sơ điện tử được sao lưu định kỳ, bảo đảm toàn vẹn, không bị sửa đổi, mất mát; việc khai "
    "thác dữ liệu cá nhân tuân thủ quy định về bảo vệ dữ liệu cá nhân.",
    "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc hoặc cần sửa đổi, bổ sung cho phù hợp "
    "với tình hình thực tế, các cơ quan, đơn vị kịp thời báo cáo bằng văn bản để xem xét, quyết định.",
]


# --- the other Decree 30 kinds, from pools of titles and clauses ----------------------------------
# code: (title, type abbreviation, ten_loai, abstracts, body clauses)
_GENERIC: dict[str, tuple[str, str, str, list[str], list[str]]] = {
    "chi_thi": ("CHỈ THỊ", "CT", "Chỉ thị",
                ["Về tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính",
                 "Về đẩy mạnh chuyển đổi số, số hóa hồ sơ thủ tục hành chính năm {year}",
                 "Về tăng cường công tác phòng cháy, chữa cháy trên địa bàn"],
                ["Thời gian qua, công tác cải cách hành chính trên địa bàn {area} đã đạt được những kết quả "
                 "tích cực; tuy nhiên, tỷ lệ hồ sơ được số hóa và tái sử dụng dữ liệu còn thấp.",
                 "Để khắc phục những hạn chế nêu trên, Chủ tịch Ủy ban nhân dân yêu cầu Thủ trưởng các cơ quan, "
                 "đơn vị quán triệt và thực hiện nghiêm các nội dung sau:",
                 "1. Không để xảy ra tình trạng hồ sơ trễ hạn mà không có văn bản xin lỗi gửi người dân.",
                 "2. Công khai đầy đủ thủ tục hành chính tại Trung tâm Phục vụ hành chính công và trên Cổng "
                 "thông tin điện tử.",
                 "3. Người đứng đầu chịu trách nhiệm trực tiếp về kết quả thực hiện tại cơ quan, đơn vị mình.",
                 "Chỉ thị này có hiệu lực kể từ ngày ký. Yêu cầu các cơ quan, đơn vị nghiêm túc thực hiện./."]),
    "huong_dan": ("HƯỚNG DẪN", "HD", "Hướng dẫn",
                  ["Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                   "Thực hiện quy trình tiếp nhận hồ sơ trực tuyến toàn trình",
                   "Lưu trữ hồ sơ điện tử tại Trung tâm Phục vụ hành chính công"],
                  ["I. MỤC ĐÍCH, YÊU CẦU",
                   "Thống nhất cách thức số hóa, đặt tên tệp, lưu trữ hồ sơ điện tử giữa các bộ phận; bảo đảm "
                   "dữ liệu sau số hóa được tái sử dụng cho các lần giải quyết sau.",
                   "II. NỘI DUNG THỰC HIỆN",
                   "1. Tài liệu được quét ở chế độ màu, độ phân giải tối thiểu 200 dpi, định dạng PDF; tệp đặt "
                   "tên theo mã hồ sơ và số thứ tự thành phần.",
                   "2. Kết quả giải quyết được số hóa trước khi trả cho tổ chức, cá nhân và ký số bởi người có "
                   "thẩm quyền.",
                   "3. Dữ liệu số hóa được kết nối, chia sẻ với kho quản lý dữ liệu điện tử của tổ chức, cá nhân.",
                   "III. TỔ CHỨC THỰC HIỆN",
                   "Các cơ quan, đơn vị triển khai thực hiện Hướng dẫn này; trong quá trình thực hiện nếu có vướng "
                   "mắc, phản ánh về Văn phòng để tổng hợp./."]),
    "thong_bao": ("THÔNG BÁO", "TB", "Thông báo",
                  ["Về việc tạm dừng tiếp nhận hồ sơ trực tiếp do nâng cấp hệ thống",
                   "Kết luận của Chủ tịch Ủy ban nhân dân tại cuộc họp giao ban tháng {month}",
                   "Về lịch tiếp công dân định kỳ năm {year}"],
                  ["{org} thông báo đến các tổ chức, cá nhân trên địa bàn nội dung như sau:",
                   "Từ ngày {d1} đến hết ngày {d2}, Trung tâm Phục vụ hành chính công tạm dừng tiếp nhận hồ sơ "
                   "trực tiếp để nâng cấp hệ thống thông tin; hồ sơ trực tuyến vẫn được tiếp nhận bình thường.",
                   "Lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân vào ngày 15 hằng tháng tại trụ sở; "
                   "trường hợp trùng ngày nghỉ thì chuyển sang ngày làm việc liền kề.",
                   "Mọi thắc mắc xin liên hệ Văn phòng, số điện thoại {phone} để được hướng dẫn.",
                   "{org} thông báo để các tổ chức, cá nhân biết, thực hiện./."]),
    "to_trinh": ("TỜ TRÌNH", "TTr", "Tờ trình",
                 ["Về việc đề nghị phê duyệt kinh phí số hóa tài liệu lưu trữ năm {year}",
                  "Về việc đề nghị công nhận thôn đạt chuẩn nông thôn mới",
                  "Đề nghị phê duyệt kế hoạch cải cách hành chính năm {year}"],
                 ["Căn cứ nhiệm vụ được giao và tình hình thực tế tại địa phương, {org} kính trình xem xét, phê "
                  "duyệt nội dung sau:",
                  "1. Sự cần thiết: khối lượng hồ sơ, sổ sách hộ tịch lưu trữ bằng giấy từ năm 1990 đến nay còn "
                  "lớn, nhiều tài liệu đã xuống cấp, cần được số hóa để bảo quản và khai thác.",
                  "2. Khối lượng dự kiến: khoảng {pages} trang tài liệu khổ A4 và A3.",
                  "3. Kinh phí dự kiến: {money}, từ nguồn ngân sách địa phương năm {year}.",
                  "Kính trình xem xét, quyết định./."]),
    "bao_cao": ("BÁO CÁO", "BC", "Báo cáo",
                ["Kết quả thực hiện công tác cải cách hành chính quý {q} năm {year}",
                 "Kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {year}",
                 "Tình hình thực hiện Đề án 06 trên địa bàn {area}"],
                ["I. KẾT QUẢ THỰC HIỆN",
                 "Trong kỳ báo cáo, Trung tâm Phục vụ hành chính công đã tiếp nhận {n1} hồ sơ, trong đó {n2} hồ "
                 "sơ trực tuyến; đã giải quyết {n3} hồ sơ, đúng hạn đạt {pct}%.",
                 "Tỷ lệ hồ sơ được số hóa thành phần và kết quả đạt {pct2}%; số hồ sơ tái sử dụng dữ liệu đã số "
                 "hóa là {n4} hồ sơ.",
                 "II. TỒN TẠI, HẠN CHẾ",
                 "Trang thiết bị phục vụ số hóa còn thiếu; một số công chức chưa thành thạo việc ký số, cập nhật "
                 "hồ sơ trên hệ thống.",
                 "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
                 "Tiếp tục đẩy mạnh số hóa, phấn đấu 100% hồ sơ được số hóa khi tiếp nhận và trả kết quả./."]),
    "ke_hoach": ("KẾ HOẠCH", "KH", "Kế hoạch",
                 ["Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {year}",
                  "Tuyên truyền cải cách hành chính năm {year}",
                  "Kiểm tra công tác văn thư, lưu trữ năm {year}"],
                 ["I. MỤC ĐÍCH, YÊU CẦU",
                  "Nâng cao tỷ lệ hồ sơ được số hóa, bảo đảm đạt các chỉ tiêu theo Bộ chỉ số phục vụ người dân, "
                  "doanh nghiệp; gắn trách nhiệm người đứng đầu với kết quả thực hiện.",
                  "II. NỘI DUNG VÀ THỜI GIAN THỰC HIỆN",
                  "1. Quý I: rà soát trang thiết bị, bố trí máy quét tại Trung tâm Phục vụ hành chính công.",
                  "2. Quý II, III: số hóa hồ sơ tiếp nhận mới và kết quả giải quyết; số hóa sổ hộ tịch tồn đọng.",
                  "3. Quý IV: sơ kết, đánh giá, đề xuất khen thưởng tập thể, cá nhân có thành tích.",
                  "III. KINH PHÍ",
                  "Kinh phí thực hiện từ nguồn ngân sách địa phương được giao trong dự toán năm {year}.",
                  "IV. TỔ CHỨC THỰC HIỆN",
                  "Giao Văn phòng chủ trì, phối hợp với các đơn vị liên quan triển khai thực hiện Kế hoạch này./."]),
}


def _fmt(ctx: Ctx) -> dict[str, object]:
    rng = ctx.rng
    n1 = rng.randint(150, 2500)
    d1 = ctx.date + dt.timedelta(days=rng.randint(3, 10))
    return {"org": ctx.unit.short, "area": ctx.unit.area, "year": ctx.date.year, "month": ctx.date.month,
            "q": (ctx.date.month - 1) // 3 + 1, "n1": n1, "n2": n1 * rng.randint(30, 70) // 100,
            "n3": n1 * rng.randint(85, 99) // 100, "n4": n1 * rng.randint(5, 30) // 100,
            "pct": rng.randint(92, 100), "pct2": rng.randint(55, 98), "pages": f"{rng.randint(20, 300)}.000",
            "money": money(rng.randint(50, 900) * 1_000_000), "phone": f"0233.{rng.randint(3800000, 3899999)}",
            "d1": short_date(d1), "d2": short_date(d1 + dt.timedelta(days=rng.randint(1, 4)))}


def generic(code: str) -> Callable[[Ctx], Doc]:
    title, abbr, ten_loai, abstracts, clauses = _GENERIC[code]

    def build(ctx: Ctx) -> Doc:
        rng = ctx.rng
        fmt = _fmt(ctx)
        abstract = nfc(rng.choice(abstracts).format(**fmt))
        so = symbol(ctx, abbr)
        blocks: list[Block] = [header(ctx, so=so), *title_block(title, abstract)]
        if code == "to_trinh":
            superior = ctx.unit.parent.title() if ctx.unit.parent else "Thường trực Hội đồng nhân dân tỉnh"
            blocks.append(Para([Run("Kính gửi:"), Run(nfc(superior.replace("Dân", "dân").replace("Nhân", "nhân")
                                                           .replace("Ban", "ban")))],
                               size=14, align="center", space_after=6))
        for c in clauses:
            text = nfc(c.format(**fmt))
            heading = text.split(".")[0] in ("I", "II", "III", "IV")
            blocks.append(Para([Run(text, "B" if heading else "R")], indent=10, space_after=3))
        if ctx.long:
            blocks += [body(s) for s in rng.sample(_EXTRA_CLAUSES, 9)]
        signer = official(rng)
        blocks.append(signature(ctx, signer_lines(rng), signer.name, noi_nhan(ctx, "- Như trên;")))
        return _finish(ctx, code, ten_loai, abstract, blocks)

    return build


def nghi_quyet(ctx: Ctx) -> Doc:
    rng = ctx.rng
    u = ctx.unit
    term = "KHÓA XIII" if ctx.date < _D(2026, 3, 15) else "KHÓA XIV"
    session = rng.randint(2, 25)
    abstract = nfc(rng.choice([f"Về dự toán ngân sách địa phương năm {ctx.date.year + 1}",
                               f"Về kế hoạch đầu tư công năm {ctx.date.year + 1}",
                               "Về việc thông qua chương trình giám sát của Hội đồng nhân dân năm "
                               f"{ctx.date.year + 1}"]))
    so = symbol(ctx, "NQ", "HĐND")
    blocks: list[Block] = [header(ctx, so=so, issuer=u.council, parent=False), *title_block("NGHỊ QUYẾT", abstract)]
    blocks.append(centre(u.council, "B", 14))
    blocks.append(centre(f"{term}, KỲ HỌP THỨ {session}", "B", 14, space_after=6))
    blocks += bases(ctx.date)[:1]
    blocks.append(Para([Run(f"Xét Tờ trình của {u.short}; Báo cáo thẩm tra của các Ban Hội đồng nhân dân và ý "
                            "kiến thảo luận của đại biểu Hội đồng nhân dân tại kỳ họp.", "I")], indent=10))
    blocks.append(centre("QUYẾT NGHỊ:", "B", 14, space_after=6))
    blocks.append(article(1, f"Thông qua {abstract[4].lower() + abstract[5:]} với các nội dung chủ yếu như Tờ "
                             "trình của Ủy ban nhân dân."))
    blocks.append(article(2, "Giao Ủy ban nhân dân tổ chức triển khai thực hiện Nghị quyết; Thường trực Hội đồng "
                             "nhân dân, các Ban và đại biểu Hội đồng nhân dân giám sát việc thực hiện."))
    blocks.append(body(f"Nghị quyết này đã được Hội đồng nhân dân {term.lower()}, kỳ họp thứ {session} thông qua "
                       f"{long_date(ctx.date)} và có hiệu lực kể từ ngày thông qua./."))
    signer = official(rng)
    blocks.append(signature(ctx, ["TM. HỘI ĐỒNG NHÂN DÂN", rng.choice(["CHỦ TỊCH", "PHÓ CHỦ TỊCH"])], signer.name,
                            ["- TT HĐND, UBND;", "- Các đại biểu HĐND;", "- Lưu: VT."]))
    return _finish(ctx, "nghi_quyet", "Nghị quyết", abstract, blocks)


def giay_moi(ctx: Ctx) -> Doc:
    rng = ctx.rng
    when = ctx.date + dt.timedelta(days=rng.randint(1, 6))
    guest = person(rng, born=(1965, 1995))
    subject = rng.choice(["Hội nghị sơ kết công tác cải cách hành chính 6 tháng đầu năm",
                          "Hội nghị triển khai số hóa hồ sơ thủ tục hành chính",
                          "Buổi làm việc về tình hình thực hiện Đề án 06"])
    so = symbol(ctx, "GM")
    blocks: list[Block] = [header(ctx, so=so), *title_block("GIẤY MỜI", None)]
    blocks += [
        body(f"{ctx.unit.short} trân trọng kính mời: {guest.title} {guest.name}, {staff_title(ctx)}."),
        body(f"Tới dự: {subject}."),
        body(f"Thời gian: {rng.choice(['07 giờ 30 phút', '08 giờ 00 phút', '14 giờ 00 phút'])}, "
             f"{long_date(when)}."),
        body(f"Địa điểm: Hội trường {ctx.unit.short}."),
        body(f"Rất mong {guest.title.lower()} {guest.name} đến dự đúng thời gian./."),
    ]
    signer = official(rng)
    blocks.append(signature(ctx, signer_lines(rng), signer.name, ["- Như trên;", "- Lưu: VT."]))
    return _finish(ctx, "giay_moi", "Giấy mời", None, blocks)


def bien_ban(ctx: Ctx) -> Doc:
    rng = ctx.rng
    chair, secretary = official(rng), person(rng, born=(1985, 2000))
    abstract = rng.choice(["Họp xét duyệt hồ sơ đề nghị trợ cấp xã hội", "Kiểm tra hiện trạng công trình xây dựng",
                           "Xác minh tình trạng hôn nhân của công dân", "Bàn giao hồ sơ lưu trữ"])
    so = symbol(ctx, "BB")
    blocks: list[Block] = [header(ctx, so=so), *title_block("BIÊN BẢN", abstract)]
    start = rng.choice(["08 giờ 00 phút", "09 giờ 30 phút", "14 giờ 00 phút"])
    others = [person(rng, born=(1970, 1998)) for _ in range(rng.randint(2, 4))]
    blocks += [
        body(f"Thời gian bắt đầu: {start}, {long_date(ctx.date)}."),
        body(f"Địa điểm: trụ sở {ctx.unit.short}."),
        body("Thành phần tham dự:"),
        item(f"- {chair.title} {chair.name}, Phó Chủ tịch Ủy ban nhân dân, chủ trì;"),
        *[item(f"- {p.title} {p.name}, {staff_title(ctx)};") for p in others],
        item(f"- {secretary.title} {secretary.name}, thư ký."),
        body("Nội dung:"),
        body(rng.choice([
            "Sau khi nghe báo cáo, các thành viên thống nhất đề nghị Chủ tịch Ủy ban nhân dân xem xét, "
            "quyết định đối với các trường hợp đủ điều kiện theo quy định.",
            "Qua kiểm tra thực tế, công trình được xây dựng đúng vị trí, đúng quy mô theo giấy phép đã cấp; "
            "không lấn chiếm hành lang an toàn giao thông.",
            "Hồ sơ, tài liệu được bàn giao đầy đủ theo danh mục kèm theo; hai bên đã kiểm đếm và thống nhất."])),
        body(f"Biên bản kết thúc vào lúc {rng.choice(['10 giờ 30 phút', '11 giờ 00 phút', '16 giờ 15 phút'])} cùng "
             "ngày, đã được đọc lại cho các thành viên cùng nghe và thống nhất ký tên./."),
        two_signatures("THƯ KÝ", secretary.name, "CHỦ TRÌ", chair.name, note="", seal_right=False),
    ]
    ctx.meta.update(nguoi_ky=chair.name, chuc_vu_nguoi_ky="CHỦ TRÌ")
    return _finish(ctx, "bien_ban", "Biên bản", abstract, blocks)


_DESIGNERS = ["Công ty TNHH Tư vấn thiết kế Minh Phát", "Công ty CP Kiến trúc Sông Hương",
              "hộ gia đình tự thiết kế"]


def giay_phep_xay_dung(ctx: Ctx) -> Doc:
    rng = ctx.rng
    owner = person(rng, born=(1960, 1995))
    n = number(rng, ctx.date)
    ctx.meta.update(so=str(n), ky_hieu="GPXD", so_ky_hieu=f"{n}/GPXD")
    floors = rng.randint(1, 4)
    area = round(rng.uniform(60, 180), 1)
    blocks: list[Block] = [header(ctx, so=f"{n}/GPXD"), *title_block("GIẤY PHÉP XÂY DỰNG", None)]
    blocks.append(centre("(Sử dụng cho nhà ở riêng lẻ)", "I", 13, space_after=6))
    blocks += [
        body(f"1. Cấp cho: {owner.title} {owner.name}; Số định danh cá nhân: {owner.ident}."),
        body(f"Địa chỉ: {owner.address}."),
        body(f"2. Được phép xây dựng công trình: Nhà ở riêng lẻ {floors} tầng."),
        item(f"- Theo thiết kế do {rng.choice(_DESIGNERS)} lập;"),
        item(f"- Vị trí xây dựng: thửa đất số {rng.randint(10, 900)}, tờ bản đồ số {rng.randint(1, 60)}, tại "
             f"{home_address(rng, ctx.unit.commune)};"),
        item(f"- Cốt nền xây dựng công trình: +{rng.choice(['0,45', '0,60', '0,75'])} m;"),
        item(f"- Mật độ xây dựng: {rng.randint(60, 90)}%; diện tích xây dựng tầng 1: "
             f"{str(area).replace('.', ',')} m²;"),
        item(f"- Tổng diện tích sàn: {str(round(area * floors, 1)).replace('.', ',')} m²; chiều cao công trình: "
             f"{str(round(3.6 * floors + 1.2, 1)).replace('.', ',')} m; số tầng: {floors}."),
        body("3. Giấy tờ về quyền sử dụng đất: Giấy chứng nhận quyền sử dụng đất số "
             f"{rng.choice(['AB', 'BX', 'CH', 'DE'])} {rng.randint(100000, 999999)}."),
        body("4. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; quá thời "
             "hạn trên thì phải đề nghị gia hạn giấy phép xây dựng."),
    ]
    signer = official(rng)
    blocks.append(signature(ctx, signer_lines(rng), signer.name, ["- Chủ đầu tư;", "- Lưu: VT, KT."]))
    ctx.meta.update(ho_ten=owner.name, so_dinh_danh=owner.ident)
    return _finish(ctx, "giay_phep_xay_dung", "Giấy phép xây dựng", None, blocks)


ADMIN: dict[str, Callable[[Ctx], Doc]] = {
    "quyet_dinh": quyet_dinh,
    "cong_van": cong_van,
    "nghi_quyet": nghi_quyet,
    "giay_moi": giay_moi,
    "bien_ban": bien_ban,
    "giay_phep_xay_dung": giay_phep_xay_dung,
    **{code: generic(code) for code in _GENERIC},
}
