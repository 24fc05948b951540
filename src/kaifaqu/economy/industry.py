"""国民经济行业分类 (GB/T 4754-2017), read from the data file shipped with the module (``data/gbt4754_2017.txt``).

Codes as the standard writes them: a section is one capital letter (门类), a division two digits (大类), a group
three (中类) and a class four (小类). Every section and division is in the file; groups and classes where the
platform's zones use them. Pure data, no tables: investment projects and enterprises both validate against it.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gbt4754_2017.txt"
LEVELS = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}
UNKNOWN = "行业代码不在国民经济行业分类（GB/T 4754-2017）中。"


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    section: str

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]

    @property
    def division(self) -> str:
        return self.code[:2] if len(self.code) >= 2 else ""

    def __str__(self):
        return f"{self.code} {self.name}"


@cache
def table() -> dict[str, Industry]:
    found, section = {}, ""
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name = line.split("\t")
        if code.isalpha():
            section = code
        found[code] = Industry(code, name, section)
    return found


def normalise(code) -> str:
    """The code as written (the API states the exact codes; a page or workbook cell may carry blanks around it)."""
    return str(code or "").strip()


def get(code) -> Industry | None:
    return table().get(normalise(code))


def error(code) -> str:
    return "" if get(code) else UNKNOWN


def label(code) -> str:
    found = get(code)
    return f"{found.code} {found.name}" if found else (code or "")


def division_label(code) -> str:
    found = get(code)
    if found is None:
        return code or ""
    if len(found.code) == 1:
        return f"{found.code} {found.name}"
    division = table()[found.code[:2]]
    return f"{division.code} {division.name}"


def choices(levels=(2, 3, 4)) -> list[tuple[str, str]]:
    return [(c, f"{c} {i.name}") for c, i in table().items() if len(c) in levels]


def pattern() -> str:
    """A regular expression matching exactly the codes of the table (the API schema states it)."""
    return "^(" + "|".join(sorted(table(), key=lambda c: (len(c), c))) + ")$"
