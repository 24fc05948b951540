from kaifaqu.core.registry import Menu, ModuleConfig


class PowersConfig(ModuleConfig):
    name = "kaifaqu.powers"
    label = "powers"
    verbose_name = "权责清单"

    permissions = {
        "powers.view": "查看权责清单、责任清单与两张目录",
        "powers.change": "编制权责清单草稿、认领标准事项、维护赋权批次与责任清单",
        "powers.review": "审核、退回与发布权责清单",
        "powers.catalogue": "导入省级标准事项目录（系统管理员）",
        "powers.handover": "确认承接剥离的职能或提出异议（承接单位）",
        "powers.head_request": "提出派驻机构负责人任免、征求开发区意见（派出部门）",
        "powers.consent": "对派驻机构负责人任免提出同意或不同意的意见（开发区）",
    }
    duties = {"powers.catalogue": "system"}
    default_grants = {
        "zone_leader": {"powers.view", "powers.change", "powers.review", "powers.consent"},
        "zone_staff": {"powers.view", "powers.change", "powers.handover"},
        "city_leader": {"powers.view"},
        "city_dept_staff": {"powers.view", "powers.handover", "powers.head_request"},
        "street_staff": {"powers.view", "powers.handover"},
        "stationed_staff": {"powers.view", "powers.handover"},
        "sys_admin": {"powers.catalogue"},
    }
    api_routes = ("kaifaqu.powers.api",)
    api_views = (
        ("responsibility/lookup", "kaifaqu.powers.api.LookupView", "api-responsibility-lookup"),
        ("responsibility/report", "kaifaqu.powers.api.ReportView", "api-responsibility-report"),
    )
    pages = (("powers", "kaifaqu.powers.urls"),)
    menu = (
        Menu("powers", "权责清单", 20, (
            ("权责清单", "powers:current", "powers.view", "list-check", 5),
            ("全部事项", "powers:item-list", "powers.view", "list-ul", 10),
            ("清单版本", "powers:version-list", "powers.view", "layers", 20),
            ("赋权批次", "powers:batch-list", "powers.view", "collection", 30),
            ("两张目录", "powers:function-summary", "powers.view", "journal-text", 33),
            ("我单位承接的职能", "powers:function-received", "powers.handover", "arrow-left-right", 34),
            ("责任清单", "powers:matrix", "powers.view", "grid-3x3", 35),
            ("派驻机构任免", "powers:headchange-list", "powers.view", "person-check", 36),
            ("派驻机构任免", "powers:headchange-list", "org.change", "person-check", 37),
            ("派驻机构考核权", "powers:assessment-list", "powers.view", "clipboard-check", 38),
            ("标准事项目录", "powers:standard-list", "powers.view", "journal-bookmark", 40),
            ("标准事项目录", "powers:standard-list", "powers.catalogue", "journal-arrow-up", 41),
        )),
    )
    importers = ("kaifaqu.powers.importers.STANDARD_IMPORTER", "kaifaqu.powers.importers.ITEM_IMPORTER")
    workbench = ("kaifaqu.powers.workbench.versions_to_review", "kaifaqu.powers.workbench.handovers_to_confirm",
                 "kaifaqu.powers.workbench.head_changes_to_answer", "kaifaqu.powers.workbench.head_changes_to_record")
    labels = ("kaifaqu.powers.labels",)
    demo = ("kaifaqu.powers.demo",)
    cli_help = ()

    def ready(self):
        super().ready()
        from .services import register_clocks

        register_clocks()
