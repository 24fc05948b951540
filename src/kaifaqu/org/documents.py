"""Word documents of the org module: an organisation's profile sheet (机构概况表)."""

from django.utils import timezone

from kaifaqu.core.documents import Heading, OfficialDocument, Table, render

from . import queries
from .models import Org, StaffStatus


def profile_sheet(org: Org, *, include_staff: bool) -> bytes:
    """The profile of one organisation: basic facts, plaques, establishment against people in post, subordinate
    bodies and (for readers who may see people) the staff list."""
    headcount = queries.headcount([org.pk])[org.pk]
    body = [
        Heading("一、基本情况"),
        Table(["项目", "内容"], [
            ["机构名称", org.name],
            ["机构类型", org.get_kind_display()],
            ["所属开发区", org.zone.name],
            ["上级机构", org.parent.name if org.parent_id else "—"],
            ["派出部门", org.home_department.name if org.home_department_id else "—"],
            ["所在园区", org.park.name if org.park_id else "—"],
            ["机构规格", org.rank or "—"],
            ["综合性内设机构", "是" if org.comprehensive else "否"],
            ["状态", "存续" if org.is_active else f"已撤销（{org.abolished_on or ''}）"],
        ]),
    ]
    if org.functions:
        body += [Heading("二、主要职责"), org.functions]
    plaques = list(org.plaques.filter(is_active=True))
    body += [Heading("三、牌子"), "、".join(f"{p.name}（{p.get_kind_display()}）" for p in plaques) or "无加挂牌子。"]
    rows = [[r.label, r.approved, r.actual, r.approved - r.actual] for r in headcount]
    body += [Heading("四、编制与实有人数"),
             Table(["编制类型", "核定数", "实有人数", "空编"], rows or [["—", 0, 0, 0]]),
             f"员额上限：{org.headcount_cap if org.headcount_cap is not None else '未设'}。"]
    children = list(org.children.filter(is_active=True).order_by("sort", "id"))
    body += [Heading("五、下级机构"),
             "、".join(c.name for c in children) or "无。"]
    if include_staff:
        people = org.staff.exclude(status=StaffStatus.LEFT).order_by("staff_no")
        body += [Heading("六、人员"),
                 Table(["工号", "姓名", "编制类型", "档案职级", "聘任岗位"],
                       [[s.staff_no, s.name, s.get_post_kind_display(), s.grade_on_file, s.appointed_post]
                        for s in people] or [["—", "", "", "", ""]])]
    return render(OfficialDocument(
        title=f"{org.name}概况", body=body, signature=org.zone.name, date=timezone.localdate(),
    ))
