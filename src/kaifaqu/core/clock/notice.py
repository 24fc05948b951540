"""The written notice (暂停计时告知书) issued when a clock is paused."""

import logging

from django.utils import timezone

from kaifaqu.core.clock.models import PauseReason

from .compute import LEGAL_BASIS

log = logging.getLogger(__name__)


def pause_notice(owner_label: str, clock, pause_row, *, issuer: str = "") -> bytes:
    """The written notice to the applicant that the time limit is suspended (行政许可法 §45), as .docx."""
    from kaifaqu.core.documents import OfficialDocument, render

    reason = PauseReason(pause_row.reason).label + (f"（{pause_row.reason_text}）" if pause_row.reason_text else "")
    started = timezone.localtime(pause_row.started_at)
    body = [
        f"你方办理的“{owner_label}”事项，因{reason}，自{started:%Y年%m月%d日%H时%M分}起暂停计算办理时限。"
        + (f"预计于{pause_row.expected_end:%Y年%m月%d日}恢复计时。" if pause_row.expected_end else "")
        + "暂停期间不计入法定及承诺办理时限，恢复后继续计时。",
    ]
    if LEGAL_BASIS.get(pause_row.reason):
        body.append(f"依据：{LEGAL_BASIS[pause_row.reason]}")
    body.append("特此告知。")
    return render(OfficialDocument(title="暂停计时告知书", body=body, signature=issuer or "经办单位",
                                   date=started.date()))
