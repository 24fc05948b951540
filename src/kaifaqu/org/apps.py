from kaifaqu.core.registry import Menu, ModuleConfig


class OrgConfig(ModuleConfig):
    name = "kaifaqu.org"
    label = "org"
    verbose_name = "机构与编制"

    permissions = {
        "org.view": "查看机构、园区与编制",
        "org.change": "维护机构、园区、牌子、编制与机构沿革",
        "staff.view_all": "查看本开发区全部人员",
        "staff.view_own": "查看本单位人员",
        "staff.change": "维护人员与挂职",
        "zone.manage": "新建开发区（系统管理员）",
        "staff.view_pay": "查看与维护人员工资薪酬（档案工资、实际薪酬）",
        "staff.view_phone": "查看人员个人手机号码",
    }
    duties = {"zone.manage": "system"}
    # The system administrator sees the organisation tree (to place users) but no business data.
    shared_permissions = frozenset({"org.view"})
    default_grants = {
        "zone_leader": {"org.view", "org.change", "staff.view_all", "staff.view_own", "staff.change", "staff.view_pay",
                        "staff.view_phone"},
        "zone_staff": {"org.view", "org.change", "staff.view_all", "staff.view_own", "staff.change"},
        "city_leader": {"org.view", "staff.view_all", "staff.view_own"},
        "city_dept_staff": {"org.view", "staff.view_own"},
        "street_staff": {"org.view", "staff.view_own"},
        "stationed_staff": {"org.view", "staff.view_own"},
        "platform_staff": {"org.view", "staff.view_own"},
        "enterprise_user": {"org.view"},
        "intermediary_user": {"org.view"},
        "sys_admin": {"org.view", "zone.manage"},
    }
    api_routes = ("kaifaqu.org.api",)
    pages = (("org", "kaifaqu.org.urls"),)
    menu = (
        Menu("org", "机构与编制", 10, (
            ("开发区", "org:zone-list", "org.view", "diagram-3", 10),
            ("园区", "org:park-list", "org.view", "signpost-split", 15),
            ("机构", "org:org-list", "org.view", "building", 20),
            ("人员", "org:staff-list", "staff.view_own", "person-badge", 30),
            ("挂职", "org:secondment-list", "staff.view_own", "arrow-left-right", 40),
            ("机构沿革", "org:reorg-list", "org.view", "clock-history", 50),
        )),
    )
    importers = ("kaifaqu.org.importers.STAFF_IMPORTER", "kaifaqu.org.importers.ORG_IMPORTER")
    attachables = (("org.org", "org.change"), ("org.staff", "staff.change"), ("org.reorgevent", "org.change"))
    workbench = ("kaifaqu.org.workbench.secondments_ending",)
    labels = ("kaifaqu.org.labels",)
    # Pay and personal phone numbers: only with their own permission (masked, left out of exports, refused on write).
    sensitive_fields = {"org.staff": {"archive_salary": "staff.view_pay", "actual_pay": "staff.view_pay",
                                      "phone": "staff.view_phone"}}
