"""Who and where: Vietnamese names, places, units, identifiers, dates and number words.

Everything is drawn from a `random.Random` handed in, so one seed always gives the same people.
Places follow the two-level government in force since 1 July 2025 (province and commune).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

TODAY = dt.date(2026, 11, 28)  # no generated date may lie after this
FIRST_DAY = dt.date(2020, 1, 1)
REFORM_DAY = dt.date(2025, 7, 1)  # the two-level local government starts


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# --- people ------------------------------------------------------------------------------------
# Family names weighted roughly by their share of the population (Nguyễn alone is about 38 %).
FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 2), ("Phan", 4),
          ("Vũ", 3), ("Võ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 3), ("Ngô", 1), ("Dương", 1),
          ("Lý", 1), ("Trương", 1), ("Đinh", 1), ("Lương", 1), ("Mai", 1), ("Cao", 1), ("Thái", 1)]
MIDDLE_M = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Đình", "Ngọc",
            "Trọng", "Anh", "Gia", "Quốc", "Bá", "Tiến"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hoài", "Thùy", "Phương",
            "Bảo", "Khánh", "Diệu", "Mỹ"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Long",
           "Minh", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Trung", "Tuấn",
           "Việt", "Vinh", "Khoa", "Lộc", "Nghĩa", "Quý", "Đạt", "Toàn", "Thịnh", "Hưng", "Lâm"]
GIVEN_F = ["Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng", "Hương", "Lan",
           "Liên", "Linh", "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo",
           "Thu", "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Nhi", "Hiền", "Duyên", "Trâm"]
# Children born in the 2020s often carry a four-syllable name.
CHILD_MIDDLE_M = ["Gia", "Minh", "Bảo", "Đăng", "Hoàng", "Anh", "Quang", "Đức"]
CHILD_MIDDLE_F = ["Ngọc", "Bảo", "Khánh", "Minh", "Gia", "Thảo", "Diệp", "Tuệ"]
ETHNIC = ["Kinh"] * 18 + ["Vân Kiều", "Pa Cô", "Chứt", "Tày"]


@dataclass(frozen=True)
class Person:
    name: str
    male: bool
    birth: dt.date
    province_code: str  # of birth, the first three digits of the identifier
    ident: str
    ethnic: str
    address: str

    @property
    def upper(self) -> str:
        return self.name.upper()

    @property
    def title(self) -> str:
        return "Ông" if self.male else "Bà"

    @property
    def sex(self) -> str:
        return "Nam" if self.male else "Nữ"


def family_name(rng: random.Random) -> str:
    names, weights = zip(*FAMILY, strict=True)
    return rng.choices(names, weights)[0]


def person_name(rng: random.Random, male: bool, family: str | None = None, child: bool = False) -> str:
    fam = family or family_name(rng)
    if child and rng.random() < 0.45:
        mid = rng.choice(CHILD_MIDDLE_M if male else CHILD_MIDDLE_F)
        return nfc(f"{fam} {mid} {rng.choice(GIVEN_M if male else GIVEN_F)}")
    mid = rng.choice(MIDDLE_M if male else MIDDLE_F)
    if rng.random() < 0.15:
        second = rng.choice([m for m in (MIDDLE_M[3:] if male else MIDDLE_F[4:]) if m != mid])
        mid = f"{mid} {second}"
    return nfc(f"{fam} {mid} {rng.choice(GIVEN_M if male else GIVEN_F)}")


# Province codes of the identifier (Circular 59/2021/TT-BCA), for provinces the samples use.
PROVINCE_CODES = {"Hà Nội": "001", "Thanh Hóa": "038", "Nghệ An": "040", "Hà Tĩnh": "042",
                  "Quảng Bình": "044", "Quảng Trị": "045", "Thừa Thiên Huế": "046", "Đà Nẵng": "048",
                  "Hồ Chí Minh": "079"}


def century_digit(birth_year: int, male: bool) -> int:
    """The fourth digit: 0/1 for men/women born 1900-1999, 2/3 for 2000-2099."""
    base = {19: 0, 20: 2, 21: 4}[birth_year // 100]
    return base + (0 if male else 1)


def identifier(rng: random.Random, province_code: str, birth_year: int, male: bool) -> str:
    return f"{province_code}{century_digit(birth_year, male)}{birth_year % 100:02d}{rng.randint(0, 999999):06d}"


def person(rng: random.Random, *, male: bool | None = None, born: tuple[int, int] = (1950, 2004),
           family: str | None = None, child: bool = False, address: str | None = None) -> Person:
    male = rng.random() < 0.5 if male is None else male
    y = rng.randint(*born)
    birth = random_date(rng, dt.date(y, 1, 1), min(dt.date(y, 12, 31), TODAY))
    # Most people were born in the province they live in; the old provinces still name the codes.
    prov = rng.choice(["Quảng Bình", "Quảng Trị", "Quảng Trị", "Thừa Thiên Huế", "Hà Tĩnh", "Nghệ An",
                       "Đà Nẵng", "Hà Nội", "Thanh Hóa"])
    code = PROVINCE_CODES[prov]
    return Person(name=person_name(rng, male, family, child), male=male, birth=birth, province_code=code,
                  ident=identifier(rng, code, birth.year, male), ethnic=rng.choice(ETHNIC),
                  address=address or home_address(rng))


# --- places and units --------------------------------------------------------------------------
# Communes and wards that exist after the 2025 reform, with their province.
COMMUNES: list[tuple[str, str]] = [
    ("xã Thanh Thạch", "Quảng Trị"), ("phường Đồng Hới", "Quảng Trị"), ("xã Tuyên Hóa", "Quảng Trị"),
    ("xã Bố Trạch", "Quảng Trị"), ("xã Lệ Thủy", "Quảng Trị"), ("phường Đông Hà", "Quảng Trị"),
    ("xã Vĩnh Linh", "Quảng Trị"), ("xã Gio Linh", "Quảng Trị"), ("phường Ba Đồn", "Quảng Trị"),
    ("xã Cam Lộ", "Quảng Trị"), ("phường Thuận Hóa", "Huế"), ("phường Phú Xuân", "Huế"),
    ("phường Hương Thủy", "Huế"), ("xã Phú Vang", "Huế"), ("xã Quảng Điền", "Huế"),
    ("phường Thành Sen", "Hà Tĩnh"), ("phường Trần Phú", "Hà Tĩnh"), ("xã Can Lộc", "Hà Tĩnh"),
    ("xã Đức Thọ", "Hà Tĩnh"), ("xã Hương Khê", "Hà Tĩnh"), ("phường Hải Châu", "Đà Nẵng"),
    ("phường Ba Đình", "Hà Nội"), ("phường Cầu Giấy", "Hà Nội"),
]
STREETS = ["Lý Thường Kiệt", "Trần Hưng Đạo", "Quang Trung", "Hùng Vương", "Lê Lợi", "Nguyễn Huệ",
           "Hai Bà Trưng", "Võ Nguyên Giáp", "Phan Bội Châu", "Lê Duẩn", "Nguyễn Trãi", "Hàm Nghi"]


def province_label(prov: str) -> str:
    return "thành phố Huế" if prov == "Huế" else ("thành phố " + prov if prov in ("Hà Nội", "Đà Nẵng")
                                                   else "tỉnh " + prov)


def home_address(rng: random.Random, commune: tuple[str, str] | None = None) -> str:
    com, prov = commune or rng.choice(COMMUNES)
    if com.startswith("phường"):
        head = rng.choice([f"số {rng.randint(1, 250)} đường {rng.choice(STREETS)}",
                           f"tổ dân phố {rng.randint(1, 15)}", f"tổ dân phố {rng.choice(['Bắc', 'Nam', 'Đông'])}"])
    else:
        head = rng.choice([f"thôn {rng.randint(1, 12)}", f"thôn {rng.choice(['Đông', 'Tây', 'Trung', 'Thượng'])}",
                           f"thôn {rng.choice(['Phú Lộc', 'Tân Sơn', 'Hòa Bình', 'An Xá', 'Thanh Tân'])}"])
    return nfc(f"{head}, {com}, {province_label(prov)}")


@dataclass(frozen=True)
class Unit:
    code: str
    parent: str | None  # the superior body printed above the issuing body, if any
    body: str  # the issuing body, bold, upper case
    abbr: str  # issuer abbreviation in the symbol
    place: str  # the place name before the date (dia_danh)
    commune: tuple[str, str] | None  # the commune it governs, None for a province
    province: str
    council: str  # the people's council of the same level
    chair_title: str  # how the chairperson's authority line reads

    @property
    def short(self) -> str:
        """The body in running text: 'Ủy ban nhân dân xã Thanh Thạch'."""
        if self.commune:
            return nfc(f"Ủy ban nhân dân {self.commune[0]}")
        return nfc(f"Ủy ban nhân dân {province_label(self.province)}")

    @property
    def area(self) -> str:
        return self.commune[0] if self.commune else province_label(self.province)


UNITS: dict[str, Unit] = {
    "H50": Unit("H50", None, "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "UBND", "Quảng Trị", None, "Quảng Trị",
                "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG TRỊ", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ"),
    "H50.12": Unit("H50.12", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "ỦY BAN NHÂN DÂN XÃ THANH THẠCH", "UBND",
                   "Thanh Thạch", ("xã Thanh Thạch", "Quảng Trị"), "Quảng Trị",
                   "HỘI ĐỒNG NHÂN DÂN XÃ THANH THẠCH", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THANH THẠCH"),
    "H50.7": Unit("H50.7", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ", "ỦY BAN NHÂN DÂN PHƯỜNG ĐỒNG HỚI", "UBND",
                  "Đồng Hới", ("phường Đồng Hới", "Quảng Trị"), "Quảng Trị",
                  "HỘI ĐỒNG NHÂN DÂN PHƯỜNG ĐỒNG HỚI", "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG ĐỒNG HỚI"),
    "000.00.24.H46": Unit("000.00.24.H46", "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "ỦY BAN NHÂN DÂN PHƯỜNG THUẬN HÓA",
                          "UBND", "Thuận Hóa", ("phường Thuận Hóa", "Huế"), "Huế",
                          "HỘI ĐỒNG NHÂN DÂN PHƯỜNG THUẬN HÓA", "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG THUẬN HÓA"),
}


def parent_line(rng: random.Random, unit: Unit) -> str | None:
    """Decree 30 allows the superior body in short form; both forms are common."""
    if unit.parent is None:
        return None
    if rng.random() < 0.3:
        return unit.parent.replace("ỦY BAN NHÂN DÂN", "UBND")
    return unit.parent


# --- procedures --------------------------------------------------------------------------------
PROCEDURES: dict[str, str] = {
    "1.001193": "Đăng ký khai sinh",
    "1.000894": "Đăng ký kết hôn",
    "1.000656": "Đăng ký khai tử",
    "1.004873": "Cấp Giấy xác nhận tình trạng hôn nhân",
    "2.000635": "Cấp bản sao Trích lục hộ tịch",
    "2.000815": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "2.000884": "Chứng thực chữ ký trong các giấy tờ, văn bản",
}


# --- dates -------------------------------------------------------------------------------------
def random_date(rng: random.Random, lo: dt.date = FIRST_DAY, hi: dt.date = TODAY) -> dt.date:
    hi = min(hi, TODAY)
    lo = min(lo, hi)
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def workday(d: dt.date) -> dt.date:
    """Offices issue on working days: push a weekend date back to the Friday."""
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def long_date(d: dt.date) -> str:
    """Decree 30: day below 10 and months 1-2 get a leading zero ('ngày 07 tháng 02 năm 2023')."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date(place: str, d: dt.date) -> str:
    return nfc(f"{place}, {long_date(d)}")


def short_date(d: dt.date, rng: random.Random | None = None) -> str:
    if rng is not None and rng.random() < 0.5:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day:02d}/{d.month}/{d.year}" if d.month >= 3 else f"{d.day:02d}/{d.month:02d}/{d.year}"


# --- numbers in words (dates of birth on civil-status papers, amounts on receipts) -------------
_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _two(n: int, full: bool) -> str:
    tens, unit = divmod(n, 10)
    if tens == 0:
        return ("linh " + _DIGITS[unit]) if full and unit else _DIGITS[unit]
    head = "mười" if tens == 1 else _DIGITS[tens] + " mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens > 1:
        tail = "mốt"
    elif unit == 4 and tens > 1:
        tail = "tư"
    else:
        tail = _DIGITS[unit]
    return f"{head} {tail}"


def _three(n: int, full: bool) -> str:
    h, rest = divmod(n, 100)
    if h == 0 and not full:
        return _two(rest, False)
    if rest == 0:
        return f"{_DIGITS[h]} trăm"
    return f"{_DIGITS[h]} trăm {_two(rest, True)}"


def number_words(n: int) -> str:
    """0 <= n < 10^12, as written on receipts: 1_250_000 -> 'một triệu hai trăm năm mươi nghìn'."""
    if n == 0:
        return "không"
    groups = []
    for name in ("", " nghìn", " triệu", " tỷ"):
        n, g = divmod(n, 1000)
        groups.append((g, name))
        if n == 0:
            break
    parts = []
    for i, (g, name) in enumerate(reversed(groups)):
        if g == 0:
            continue
        parts.append(_three(g, full=i > 0) + name)
    return " ".join(parts)


def date_words(d: dt.date) -> str:
    months = ["một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai"]
    day = _two(d.day, False) if d.day > 10 else ("mồng " + _DIGITS[d.day] if d.day < 10 else "mồng mười")
    return nfc(f"Ngày {day}, tháng {months[d.month - 1]}, năm {number_words(d.year)}")


def money(n: int) -> str:
    return f"{n:,}".replace(",", ".") + " đồng"


def phone(rng: random.Random) -> str:
    return f"0{rng.choice(['91', '94', '98', '97', '86', '35', '39', '77', '83'])}{rng.randint(0, 9999999):07d}"
