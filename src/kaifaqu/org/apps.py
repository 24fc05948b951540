from kaifaqu.core.registry import Menu, ModuleConfig


class OrgConfig(ModuleConfig):
    name = "kaifaqu.org"
    label = "org"
    verbose_name = "机构与编制"

    permissions = {
        "org.view": "查看机构、园区与编制",
        "org.view_own": "查看本单位（企业、中介机构：不含开发区内部机构与编制）",
        "org.change": "维护机构、园区、牌子与机构沿革",
        "establishment.change": "调整核定编制（须编办批文号）",
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
    # Least privilege: the zone's 组织人事 function (org_hr) alone maintains organisations, establishment and staff
    # and sees pay and personal phones; other departments see their own unit's staff; a unit's head sees their own
    # unit's pay and phones (Org.head, see services.may_see_sensitive).
    default_grants = {
        "org_hr": {"org.view", "org.change", "establishment.change", "staff.view_all", "staff.view_own",
                   "staff.change", "staff.view_pay", "staff.view_phone"},
        "zone_leader": {"org.view", "staff.view_all", "staff.view_own"},
        "zone_staff": {"org.view", "staff.view_own"},
        "city_leader": {"org.view", "staff.view_all", "staff.view_own"},
        "city_dept_staff": {"org.view", "staff.view_own"},
        "street_staff": {"org.view", "staff.view_own"},
        "stationed_staff": {"org.view", "staff.view_own"},
        "platform_staff": {"org.view", "staff.view_own"},
        "enterprise_user": {"org.view_own"},
        "intermediary_user": {"org.view_own"},
        "sys_admin": {"org.view", "zone.manage"},
    }
    api_routes = ("kaifaqu.org.api",)
    pages = (("org", "kaifaqu.org.urls"),)
    menu = (
        Menu("org", "机构与编制", 10, (
            ("开发区", "org:zone-list", "org.view", "diagram-3", 10),
            ("园区", "org:park-list", "org.view", "signpost-split", 15),
            ("机构", "org:org-list", "org.any", "building", 20),
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

    def ready(self):
        super().ready()
        from kaifaqu.core import sensitive
        from kaifaqu.core.web import menu

        from .queries import heads_a_unit, heads_staff_unit

        sensitive.register_holder("org.staff", heads_staff_unit, heads_a_unit)
        menu.register_check("org.any", lambda scope: scope.has("org.view") or scope.has("org.view_own"))
