"""Place data of the demo city, 攀枝花市 (Panzhihua, GB/T 2260 510400).

The Panzhihua city bureau's report (``seeds/``) speaks of 26 urban police stations
and 81 primary and secondary schools and kindergartens; the demo city has exactly
that. District names and division codes are real; station and school names are
real-looking (after the city's streets and towns), not a register of real units.
Coordinates are WGS-84 approximations of each station's area along the Jinsha
river valley; the generator scatters schools around their station inside the
district's box.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_NAME = "攀枝花市"
CITY_DIVISION = "510400"


@dataclass(frozen=True)
class District:
    key: str  # DQ / XQ / RH, used in codes
    name: str
    division_code: str
    # Rough WGS-84 extent of the district's built-up valley: (south, west, north, east).
    bbox: tuple[float, float, float, float]
    sub_bureau: str
    sub_bureau_short: str
    sub_bureau_doc_prefix: str
    education_bureau: str
    education_bureau_short: str
    education_doc_prefix: str


DISTRICTS: tuple[District, ...] = (
    District(
        "DQ",
        "东区",
        "510402",
        (26.535, 101.640, 26.665, 101.865),
        "攀枝花市公安局东区分局",
        "东区分局",
        "攀东公",
        "攀枝花市东区教育和体育局",
        "东区教体局",
        "东教体",
    ),
    District(
        "XQ",
        "西区",
        "510403",
        (26.560, 101.470, 26.700, 101.660),
        "攀枝花市公安局西区分局",
        "西区分局",
        "攀西公",
        "攀枝花市西区教育和体育局",
        "西区教体局",
        "西教体",
    ),
    District(
        "RH",
        "仁和区",
        "510411",
        (26.080, 101.480, 26.620, 101.960),
        "攀枝花市公安局仁和区分局",
        "仁和区分局",
        "攀仁公",
        "攀枝花市仁和区教育和体育局",
        "仁和区教体局",
        "仁教体",
    ),
)
DISTRICT_BY_KEY = {d.key: d for d in DISTRICTS}

# School levels (学段). The organisation record has no level field yet; the schools
# module takes the level from here (``SchoolPlace.level``).
SCHOOL_LEVELS: dict[str, str] = {
    "kindergarten": "幼儿园",
    "primary": "小学",
    "junior": "初级中学",
    "senior": "高级中学",
    "nine_year": "九年一贯制学校",
    "complete": "完全中学",
    "vocational": "中等职业学校",
    "special": "特殊教育学校",
    "teaching_point": "教学点",
}


@dataclass(frozen=True)
class SchoolPlace:
    name: str
    level: str  # a key of SCHOOL_LEVELS


@dataclass(frozen=True)
class StationPlace:
    name: str
    district: str  # a key of DISTRICT_BY_KEY
    latitude: float
    longitude: float
    streets: tuple[str, ...]
    schools: tuple[SchoolPlace, ...]


def _s(*pairs: tuple[str, str]) -> tuple[SchoolPlace, ...]:
    return tuple(SchoolPlace(name, level) for name, level in pairs)


# Numbered in this order: PZH-PS-01 … PZH-PS-26; schools SCH-01 … SCH-81 follow the
# stations, so SCH-01 … SCH-06 lie under station 01 (officer01's station; school 05's
# one-key alarm in SPEC 4 rings on that station's console).
STATIONS: tuple[StationPlace, ...] = (
    # --- 东区 ---------------------------------------------------------------------------
    StationPlace(
        "炳草岗派出所",
        "DQ",
        26.5851,
        101.7183,
        ("炳草岗大街", "攀枝花大道东段"),
        _s(
            ("攀枝花市炳草岗小学", "primary"),
            ("攀枝花市第三高级中学", "senior"),
            ("攀枝花市东区机关幼儿园", "kindergarten"),
            ("攀枝花市第二初级中学", "junior"),
            ("攀枝花市东区人民街小学", "primary"),
            ("攀枝花市花城外国语学校", "nine_year"),
        ),
    ),
    StationPlace(
        "大渡口派出所",
        "DQ",
        26.5792,
        101.7336,
        ("大渡口街", "临江路"),
        _s(
            ("攀枝花市大渡口小学", "primary"),
            ("攀枝花市第十二中学校", "complete"),
            ("攀枝花市东区大渡口幼儿园", "kindergarten"),
            ("攀枝花市第二十五中小学校", "nine_year"),
            ("攀枝花市经贸旅游学校", "vocational"),
        ),
    ),
    StationPlace(
        "弄弄坪派出所",
        "DQ",
        26.5713,
        101.6935,
        ("弄弄坪路", "钒钛大道"),
        _s(
            ("攀枝花市弄弄坪小学", "primary"),
            ("攀枝花市第十五中学校", "complete"),
            ("攀枝花市东区弄弄坪幼儿园", "kindergarten"),
            ("攀枝花市钒钛职业技术学校", "vocational"),
        ),
    ),
    StationPlace(
        "东华派出所",
        "DQ",
        26.5902,
        101.7052,
        ("东华街", "人民街"),
        _s(
            ("攀枝花市东华小学", "primary"),
            ("攀枝花市第七高级中学", "senior"),
            ("攀枝花市东区东华幼儿园", "kindergarten"),
            ("攀枝花市实验学校", "nine_year"),
        ),
    ),
    StationPlace(
        "南山派出所",
        "DQ",
        26.5698,
        101.7291,
        ("南山路", "学府路"),
        _s(
            ("攀枝花市南山实验小学", "primary"),
            ("攀枝花市南山初级中学", "junior"),
            ("攀枝花市东区南山幼儿园", "kindergarten"),
        ),
    ),
    StationPlace(
        "瓜子坪派出所",
        "DQ",
        26.5781,
        101.7502,
        ("瓜子坪街", "新宏路"),
        _s(
            ("攀枝花市瓜子坪小学", "primary"),
            ("攀枝花市第十中学校", "junior"),
            ("攀枝花市东区瓜子坪幼儿园", "kindergarten"),
            ("攀枝花市特殊教育学校", "special"),
        ),
    ),
    StationPlace(
        "向阳村派出所",
        "DQ",
        26.5652,
        101.6803,
        ("向阳村路", "江南三路"),
        _s(
            ("攀枝花市向阳村小学", "primary"),
            ("攀枝花市第十一初级中学", "junior"),
        ),
    ),
    StationPlace(
        "银江派出所",
        "DQ",
        26.5779,
        101.8002,
        ("银江路", "沙坝路"),
        _s(
            ("攀枝花市东区银江小学", "primary"),
            ("攀枝花市银江中学", "junior"),
            ("攀枝花市东区银江镇中心幼儿园", "kindergarten"),
        ),
    ),
    StationPlace(
        "密地派出所",
        "DQ",
        26.5961,
        101.6852,
        ("密地大道", "三线大道"),
        _s(
            ("攀枝花市密地小学", "primary"),
            ("攀枝花市第四初级中学", "junior"),
        ),
    ),
    StationPlace(
        "机场路派出所",
        "DQ",
        26.5562,
        101.7901,
        ("机场路", "保安营路"),
        _s(
            ("攀枝花市东区机场路小学", "primary"),
            ("攀枝花市东区保安营幼儿园", "kindergarten"),
        ),
    ),
    # --- 西区 ---------------------------------------------------------------------------
    StationPlace(
        "清香坪派出所",
        "XQ",
        26.6048,
        101.6051,
        ("清香坪街", "苏铁西路"),
        _s(
            ("攀枝花市西区清香坪小学", "primary"),
            ("攀枝花市第二高级中学", "senior"),
            ("攀枝花市西区清香坪幼儿园", "kindergarten"),
            ("攀枝花市第十八中小学校", "nine_year"),
            ("攀枝花市建筑工程学校", "vocational"),
        ),
    ),
    StationPlace(
        "玉泉派出所",
        "XQ",
        26.5983,
        101.6198,
        ("玉泉路", "攀枝花大道西段"),
        _s(
            ("攀枝花市西区玉泉小学", "primary"),
            ("攀枝花市第十七中学校", "complete"),
            ("攀枝花市西区机关幼儿园", "kindergarten"),
            ("攀枝花市西区苏铁中路小学", "primary"),
        ),
    ),
    StationPlace(
        "河门口派出所",
        "XQ",
        26.6121,
        101.5562,
        ("河门口街", "金沙江大道"),
        _s(
            ("攀枝花市西区河门口小学", "primary"),
            ("攀枝花市第十九中学校", "junior"),
            ("攀枝花市西区河门口幼儿园", "kindergarten"),
        ),
    ),
    StationPlace(
        "陶家渡派出所",
        "XQ",
        26.6149,
        101.5928,
        ("陶家渡路", "蓝湾路"),
        _s(
            ("攀枝花市西区陶家渡小学", "primary"),
            ("攀枝花市第二十中学校", "junior"),
        ),
    ),
    StationPlace(
        "大宝鼎派出所",
        "XQ",
        26.6497,
        101.5748,
        ("大宝鼎路", "宝鼎大道"),
        _s(
            ("攀枝花市西区大宝鼎小学", "primary"),
            ("攀枝花市西区宝鼎中学", "junior"),
        ),
    ),
    StationPlace(
        "格里坪派出所",
        "XQ",
        26.6302,
        101.5203,
        ("格里坪大街", "巴关河路"),
        _s(
            ("攀枝花市西区格里坪小学", "primary"),
            ("攀枝花市西区格里坪中学", "junior"),
        ),
    ),
    StationPlace(
        "摩梭河派出所",
        "XQ",
        26.6298,
        101.6149,
        ("摩梭河路", "新街"),
        _s(
            ("攀枝花市西区摩梭河小学", "primary"),
            ("攀枝花市西区新街幼儿园", "kindergarten"),
        ),
    ),
    # --- 仁和区 -------------------------------------------------------------------------
    StationPlace(
        "仁和派出所",
        "RH",
        26.4992,
        101.7381,
        ("仁和中路", "迤资路"),
        _s(
            ("攀枝花市仁和区仁和小学", "primary"),
            ("攀枝花市仁和区第一初级中学", "junior"),
            ("攀枝花市仁和区机关幼儿园", "kindergarten"),
            ("攀枝花市第八高级中学", "senior"),
            ("攀枝花市仁和区职业技术学校", "vocational"),
        ),
    ),
    StationPlace(
        "大河中路派出所",
        "RH",
        26.5098,
        101.7452,
        ("大河中路", "宝兴路"),
        _s(
            ("攀枝花市大河中学", "complete"),
            ("攀枝花市仁和区大河小学", "primary"),
            ("攀枝花市仁和区大河幼儿园", "kindergarten"),
            ("攀枝花市仁和区外国语学校", "nine_year"),
        ),
    ),
    StationPlace(
        "前进派出所",
        "RH",
        26.5318,
        101.7597,
        ("前进路", "攀枝花大道南段"),
        _s(
            ("攀枝花市仁和区前进小学", "primary"),
            ("攀枝花市仁和区前进中学", "junior"),
            ("攀枝花市仁和区前进幼儿园", "kindergarten"),
        ),
    ),
    StationPlace(
        "金江派出所",
        "RH",
        26.5552,
        101.8548,
        ("金江大道", "渡口路"),
        _s(
            ("攀枝花市仁和区金江小学", "primary"),
            ("攀枝花市仁和区金江中学", "junior"),
            ("攀枝花市仁和区金江镇中心幼儿园", "kindergarten"),
        ),
    ),
    StationPlace(
        "同德派出所",
        "RH",
        26.3801,
        101.7702,
        ("同德街", "昔格达路"),
        _s(
            ("攀枝花市仁和区同德小学", "primary"),
            ("攀枝花市仁和区同德九年制学校", "nine_year"),
        ),
    ),
    StationPlace(
        "福田派出所",
        "RH",
        26.4203,
        101.6198,
        ("福田街", "平江路"),
        _s(
            ("攀枝花市仁和区福田小学", "primary"),
            ("攀枝花市仁和区福田中学", "junior"),
        ),
    ),
    StationPlace(
        "布德派出所",
        "RH",
        26.4452,
        101.8351,
        ("布德街", "中坝路"),
        _s(
            ("攀枝花市仁和区布德小学", "primary"),
            ("攀枝花市仁和区布德中学", "junior"),
            ("攀枝花市仁和区布德镇中坝教学点", "teaching_point"),
        ),
    ),
    StationPlace(
        "平地派出所",
        "RH",
        26.2049,
        101.8552,
        ("平地街", "辣子哨路"),
        _s(
            ("攀枝花市仁和区平地镇中心学校", "nine_year"),
            ("攀枝花市仁和区平地镇辣子哨教学点", "teaching_point"),
        ),
    ),
    StationPlace(
        "大田派出所",
        "RH",
        26.2951,
        101.7103,
        ("大田街", "务本路"),
        _s(
            ("攀枝花市仁和区大田小学", "primary"),
            ("攀枝花市仁和区大田中学", "junior"),
        ),
    ),
)


@dataclass(frozen=True)
class OrgPlace:
    code: str
    name: str
    short_name: str
    doc_prefix: str = ""


CITY_BUREAU = OrgPlace("PZH-PSB", "攀枝花市公安局", "市公安局", "攀公")
POLICE_UNITS: tuple[OrgPlace, ...] = (
    OrgPlace("PZH-PU-ZA", "攀枝花市公安局治安管理支队", "治安支队", "攀公治"),
    OrgPlace("PZH-PU-XT", "攀枝花市公安局巡逻警察特警支队", "巡特警支队", "攀公巡"),
    OrgPlace("PZH-PU-JJ", "攀枝花市公安局交通警察支队", "交警支队", "攀公交"),
)
CITY_EDUCATION_BUREAU = OrgPlace("PZH-EDU", "攀枝花市教育和体育局", "市教体局", "攀教体")
COORDINATION_OFFICE = OrgPlace(
    "PZH-ZFW", "中共攀枝花市委政法委员会（市综治办）", "市委政法委", "攀委政法"
)
SECURITY_COMPANY = OrgPlace("PZH-SEC-01", "攀枝花市金盾保安服务有限公司", "金盾保安")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a role code of huxiao.core.roles.DEFAULT_ROLES
    org_code: str
    full_name: str


# The demo logins the README lists. edu01 works at the district bureau of school 01.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "sysadmin", "PZH-PSB", "李志强"),
    DemoLogin("commander", "commander", "PZH-PSB", "陈卫东"),
    DemoLogin("officer01", "officer", "PZH-PS-01", "张伟"),
    DemoLogin("officer02", "officer", "PZH-PS-02", "刘洋"),
    DemoLogin("edu01", "education_officer", "PZH-EDU-DQ", "杨晓梅"),
    DemoLogin("school01", "school_security_chief", "SCH-01", "赵建华"),
    DemoLogin("guard01", "gate_guard", "SCH-01", "周明"),
    DemoLogin("volunteer01", "volunteer", "PZH-PS-01", "吴秀英"),
    DemoLogin("auditor", "auditor", "PZH-PSB", "孙丽"),
    # 三权分立: roles and role grants (a second one would approve police roles: create it).
    DemoLogin("secadmin", "secadmin", "PZH-PSB", "王静"),
)
