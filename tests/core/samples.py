"""Sample rows of the core's own tables for the scoping walk (see tests/samples.py), written through core's
services where it has them."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kaifaqu.core import audit, files, imports, notify
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.calendar.models import WorkdayOverride, WorkingPeriod
from kaifaqu.core.calendar.services import do_set_override, do_set_working_hours
from kaifaqu.core.files.models import Attachment
from kaifaqu.core.imports.models import ImportJob
from kaifaqu.core.notify.models import Notification
from kaifaqu.core.webhooks.models import Webhook
from kaifaqu.core.webhooks.services import do_create_webhook
from tests.samples import sample

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@sample(AuditEvent)
def audit_events(world):
    return [audit.record(SYSTEM, "sample.event", obj) for obj in (world.department, world.other_org)]


@sample(Notification)
def notifications(world):
    return [*notify.send("system.message", "演示通知", users=[world.leader, world.clerk, world.street],
                         zone_id=world.zone.pk),
            *notify.send("system.message", "邻区通知", users=[world.outsider], zone_id=world.other_zone.pk)]


@sample(Attachment)
def attachments(world):
    return [files.attach(SYSTEM, owner, SimpleUploadedFile(name, PDF))
            for owner, name in ((world.department, "三定方案.pdf"), (world.other_org, "邻区三定方案.pdf"))]


def staff_workbook():
    """A staff sheet with one good and one bad row: the job fails validation and has an error workbook."""
    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "性别", "所在单位", "编制类型", "档案工资（元/月）", "到岗日期", "状态"])
    ws.append(["I001", "导入甲", "男", "不存在的单位", "行政编制", 5000, datetime.date(2026, 1, 5), "在岗"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@sample(ImportJob)
def import_jobs(world):
    return [imports.upload(user, "staff", SimpleUploadedFile("人员.xlsx", staff_workbook()))
            for user in (world.hr, world.outsider)]


@sample(WorkdayOverride)
def workday_overrides(world):
    return [do_set_override(SYSTEM, date=datetime.date(2026, 3, 5), is_workday=False, reason="本区防汛停工",
                            zone=zone) for zone in (world.zone, world.other_zone)]


@sample(WorkingPeriod)
def working_periods(world):
    return [row for zone in (world.zone, world.other_zone)
            for row in do_set_working_hours(SYSTEM, periods=[(datetime.time(9), datetime.time(12)),
                                                             (datetime.time(14), datetime.time(18))], zone=zone)]


@sample(Webhook)
def webhooks(world):
    """The street's own, another unit's, and the other zone's."""
    return [do_create_webhook(SYSTEM, org, url=f"https://hooks.example/{org.code}")[0]
            for org in (world.street_org, world.department, world.other_org)]
