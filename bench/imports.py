"""Import of a large staff workbook: rows/s, and the ratio to merely reading the same file with python-calamine."""

import datetime
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from kaifaqu.accounts.models import User
from kaifaqu.accounts.roles import Role
from kaifaqu.org.models import Org, OrgKind, Zone

STAFF_HEADERS = ["工号", "姓名", "性别", "所在单位", "编制类型", "档案职级（原职务）", "档案工资（元/月）", "聘任岗位",
                 "实际薪酬（元/年）", "到岗日期", "状态", "手机"]
GRADES = ["一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "科员"]
POSTS = ["项目经理", "招商专员", "综合岗", "财务岗", "规划岗"]


def seed_zone(orgs=50):
    zone = Zone.objects.create(code="import-bench", name="导入基准开发区")
    committee = Org.objects.create(zone=zone, kind=OrgKind.COMMITTEE, code="committee", name="管委会")
    Org.objects.bulk_create([Org(zone=zone, kind=OrgKind.DEPARTMENT, code=f"d{i}", name=f"部门{i}", parent=committee)
                             for i in range(orgs)])
    user = User.objects.create(username="import_bench", role=Role.ZONE_LEADER, org=committee)
    return user, zone


def write_workbook(path: Path, rows: int, orgs=50, name_prefix="员工") -> None:
    rng = random.Random(2026)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(STAFF_HEADERS)
    start = datetime.date(2010, 1, 1)
    for i in range(rows):
        ws.append([f"B{i:07d}", f"{name_prefix}{i}", rng.choice(("男", "女")), f"部门{rng.randrange(orgs)}",
                   rng.choice(("行政编制", "事业编制", "编外", "聘任")), rng.choice(GRADES),
                   rng.randrange(3000, 12000), rng.choice(POSTS), rng.randrange(60000, 300000),
                   start + datetime.timedelta(days=rng.randrange(5000)), "在岗", f"138{i:08d}"])
    wb.save(path)


def bench_import(rows: int, repeat: int = 3):
    """Best of ``repeat`` for both figures, measured alternately so they share the machine's conditions. Each full
    import runs in a transaction rolled back afterwards (the same inserts every time), then the last one is kept
    and the file imported again (all rows unchanged, nothing written)."""
    from django.db import transaction

    from kaifaqu.core.imports.engine import get_importer, import_file, read_rows

    user, zone = seed_zone()
    importer = get_importer("staff")
    reads, imports_ = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.xlsx"
        write_workbook(path, rows)
        for attempt in range(repeat):
            t0 = time.perf_counter()
            read = read_rows(path, "xlsx")
            reads.append(time.perf_counter() - t0)
            assert len(read) == rows + 1
            del read
            with transaction.atomic():
                t0 = time.perf_counter()
                plan = import_file(importer, user, zone.pk, path, "xlsx")
                imports_.append(time.perf_counter() - t0)
                assert plan.error_count == 0 and len(plan.new) == rows, plan.errors[:3]
                if attempt < repeat - 1:
                    transaction.set_rollback(True)
        t0 = time.perf_counter()
        again = import_file(importer, user, zone.pk, path, "xlsx")
        again_s = time.perf_counter() - t0
        assert again.unchanged == rows and not again.new and not again.changed
        changed_path = Path(tmp) / "renamed.xlsx"
        write_workbook(changed_path, rows, name_prefix="职工")
        t0 = time.perf_counter()
        changed = import_file(importer, user, zone.pk, changed_path, "xlsx")
        changed_s = time.perf_counter() - t0
        assert len(changed.changed) == rows, changed.counts
    return {"rows": rows, "read_s": min(reads), "import_s": min(imports_), "again_s": again_s, "changed_s": changed_s}
