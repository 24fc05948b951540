"""Valid credit codes built by the standard's algorithm (GB 32100-2015), and small economy fixtures."""

import datetime
from decimal import Decimal

from kaifaqu.core import uscc
from kaifaqu.core.access import SYSTEM
from kaifaqu.economy import services
from kaifaqu.economy.models import Enterprise, Indicator

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_char(first17: str) -> str:
    """The check character computed here from the standard's definition (weights 3^i mod 31), independently of
    core.uscc: C18 = 31 − (Σ Ci·Wi mod 31), 31 written as 0."""
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


def code(n: int) -> str:
    body = f"91330100{n:09d}"
    return body + check_char(body)


def corrupt(valid: str) -> str:
    """The same code with a wrong check character."""
    wrong = ALPHABET[(ALPHABET.index(valid[-1]) + 1) % 31]
    return valid[:-1] + wrong


def enterprise(zone, n=1, **kw) -> Enterprise:
    found = Enterprise.objects.filter(zone=zone, uscc=code(n)).first()
    return found or services.do_create_enterprise(SYSTEM, zone, name=kw.pop("name", f"企业{n}"), uscc=code(n),
                                                  industry_code=kw.pop("industry_code", "3990"), **kw)


def indicator(zone, code_="tax", **kw) -> Indicator:
    found = Indicator.objects.filter(zone=zone, code=code_).first()
    return found or services.do_create_indicator(SYSTEM, zone, code=code_, name=kw.pop("name", "税收"),
                                                 unit=kw.pop("unit", "万元"), **kw)


def task(ind, org, period=10, year=2026, issued_on=datetime.date(2026, 11, 2), workdays=5):
    from kaifaqu.economy.models import SubmissionTask

    found = SubmissionTask.objects.filter(indicator=ind, org=org, year=year, period=period).first()
    return found or services.do_issue_task(SYSTEM, ind, org=org, year=year, period=period, workdays=workdays,
                                           issued_on=issued_on)


D = Decimal
assert uscc.check_char("91330100000000001"[:17]) == check_char("91330100000000001"[:17])
