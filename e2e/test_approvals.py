"""The main story of 一站式审批: qiye applies for a project's item without a material that may follow later, the
window officer accepts conditionally and asks for a supplement, qiye supplies, the case is approved and the
project's timeline shows it; an anonymous visitor checks the progress with the case number and query code."""

import os
import re

from e2e.conftest import login, shot

PASSWORD = os.environ.get("KAIFAQU_DEMO_PASSWORD", "Kfq@2026demo")
PDF = {"name": "材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


def act(page, label, fields=None):
    """Open an action's box (if it has one), fill its fields and confirm."""
    form = page.locator("form[data-action]").filter(has_text=label).first
    summary = form.locator("summary")
    if summary.count():
        summary.click()
        for name, value in (fields or {}).items():
            form.locator(f"[name={name}]").fill(value)
        form.get_by_role("button", name=f"确认{label}").click()
    else:
        form.get_by_role("button", name=label).click()
    page.wait_for_load_state("networkidle")


def test_conditional_acceptance_supplement_and_approval(demo_site, page_factory):
    from kaifaqu.approvals.models import Case, Project, ServiceItem

    base = demo_site.url
    item = ServiceItem.objects.get(zone__code="demo", code="KFQ-P09")
    project = Project.objects.get(zone__code="demo", code="2026-330100-12")
    page = page_factory(width=390, height=844)
    login(page, base, "qiye", PASSWORD)
    page.goto(f"{base}/approvals/apply/?item={item.pk}")
    page.fill("#id_title", "研发中心供水供电燃气接入")
    page.select_option("#id_project", str(project.pk))
    materials = list(item.materials.all())
    for m in materials:
        if m.required and not m.may_follow:
            page.set_input_files(f"#id_m_{m.pk}", PDF)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".alert").filter(has_text="查询码").inner_text()
    number, code = re.search(r"办件编号 (\S+)，查询码 (\d{6})", message).groups()
    assert page.get_by_test_id("case-state").inner_text() == "待受理"
    shot(page, "approvals-applied")

    officer = page_factory()
    login(officer, base, "chuangkou", PASSWORD)
    case = Case.objects.get(number=number)
    officer.goto(f"{base}{case.get_absolute_url()}")
    act(officer, "容缺受理", {"note": "承诺 5 个工作日内补交国有建设用地使用权出让合同", "days": "5"})
    assert "审查中" in officer.get_by_test_id("case-state").inner_text()
    act(officer, "一次性告知补正", {"note": "接入点位图需标注燃气调压站位置"})
    assert officer.get_by_test_id("case-state").inner_text() == "补正中"

    page.goto(f"{base}{case.get_absolute_url()}")
    follow = next(m for m in materials if m.may_follow)
    form = page.get_by_test_id("material-upload")
    form.locator("select[name=material]").select_option(str(follow.pk))
    form.locator("input[name=file]").set_input_files(PDF)
    form.get_by_role("button", name="提交材料").click()
    page.wait_for_load_state("networkidle")
    act(page, "补正完成")
    assert page.get_by_test_id("case-state").inner_text() == "审查中"
    act(page, "容缺材料已补齐")

    officer.goto(f"{base}{case.get_absolute_url()}")
    officer.locator("form[enctype] input[name=file]").last.set_input_files(PDF)
    officer.get_by_role("button", name="上传").click()
    officer.wait_for_load_state("networkidle")
    act(officer, "准予许可", {"decision_no": "经开审〔2026〕99号"})
    assert officer.get_by_test_id("case-state").inner_text() == "准予许可"

    page.goto(f"{base}{project.get_absolute_url()}")
    permit = page.get_by_test_id("stage-permit")
    row = permit.locator("tr").filter(has_text=number)  # the demo's agent applied for this item too
    assert item.name in row.inner_text() and "准予许可" in row.inner_text()
    assert page.locator("#project-timeline canvas").count() >= 1
    shot(page, "approvals-project-timeline")

    anonymous = page_factory(width=390, height=844)
    anonymous.goto(f"{base}/approvals/public/progress/")
    anonymous.fill("#id_number", number)
    anonymous.fill("#id_code", "000000" if code != "000000" else "111111")
    anonymous.get_by_role("button", name="查询").click()
    assert "不正确" in anonymous.get_by_test_id("progress-error").inner_text()
    anonymous.fill("#id_number", number)
    anonymous.fill("#id_code", code)
    anonymous.get_by_role("button", name="查询").click()
    result = anonymous.get_by_test_id("progress-result").inner_text()
    assert "准予许可" in result and "罗子轩" not in result
    shot(anonymous, "approvals-public-progress")
