from kaifaqu.core.registry import Menu, ModuleConfig

_STAFF = {"approvals.view", "approvals.view_all"}


class ApprovalsConfig(ModuleConfig):
    name = "kaifaqu.approvals"
    label = "approvals"
    verbose_name = "一站式审批"

    permissions = {
        "approvals.view": "查看政务服务事项、窗口与本人可见的办件",
        "approvals.view_all": "查看本开发区全部办件与项目",
        "approvals.manage": "维护事项目录、申请材料与服务窗口",
        "approvals.apply": "以企业身份申请办件、提交与补正材料",
        "approvals.handle": "受理、审查办件（窗口或实施部门）",
        "approvals.decide": "作出审批决定（窗口或实施部门）",
        "approvals.approve_extension": "批准办件延期（须与申请人不同）",
        "approvals.agent": "帮办代办：为指派的项目代企业申请、提交与补正材料",
    }
    default_grants = {
        "zone_leader": _STAFF | {"approvals.manage", "approvals.handle", "approvals.decide",
                                 "approvals.approve_extension"},
        "zone_staff": _STAFF | {"approvals.manage", "approvals.handle", "approvals.decide",
                                "approvals.approve_extension", "approvals.agent"},
        "city_leader": _STAFF,
        "city_dept_staff": {"approvals.view", "approvals.handle", "approvals.decide"},
        "stationed_staff": {"approvals.view", "approvals.handle", "approvals.decide"},
        "street_staff": {"approvals.view"},
        "platform_staff": {"approvals.view"},
        "enterprise_user": {"approvals.view", "approvals.apply"},
        "intermediary_user": {"approvals.view"},
    }
    api_routes = ("kaifaqu.approvals.api",)
    pages = (("approvals", "kaifaqu.approvals.urls"),)
    menu = (
        Menu("approvals", "一站式审批", 30, (
            ("事项目录", "approvals:item-list", "approvals.view", "journal-check", 10),
            ("服务窗口", "approvals:window-list", "approvals.view", "window-desktop", 20),
            ("办件", "approvals:case-list", "approvals.view", "inboxes", 30),
            ("申请办件", "approvals:apply", "approvals.apply", "send", 35),
            ("建设项目", "approvals:project-list", "approvals.view", "kanban", 40),
            ("承诺事项核查", "approvals:check-list", "approvals.view", "clipboard-check", 45),
            ("标准地", "approvals:parcel-list", "approvals.view", "map", 48),
            ("审批效能", "approvals:figures", "approvals.view_all", "graph-up", 50),
        )),
    )
    importers = ("kaifaqu.approvals.importers.ITEM_IMPORTER", "kaifaqu.approvals.importers.MATERIAL_IMPORTER")
    attachables = (("approvals.serviceitem", "approvals.manage"), ("approvals.case", "approvals.apply"))
    labels = ("kaifaqu.approvals.labels",)
    demo = ("kaifaqu.approvals.demo",)
    workbench = ("kaifaqu.approvals.workbench.window_cases", "kaifaqu.approvals.workbench.department_checks")

    def ready(self):
        super().ready()
        from kaifaqu.core import clock

        from . import workflow

        clock.register_kind(workflow.CASE_KIND, "审批办件办结时限")
        clock.register_kind(workflow.DEFERRED_KIND, "容缺材料补齐时限")
        clock.register_handlers(workflow.CASE_KIND, recipients=workflow.officers)
        clock.register_handlers(workflow.DEFERRED_KIND, recipients=workflow.officers)
        clock.register_kind(workflow.POSTCHECK_KIND, "告知承诺事项核查时限")
        clock.register_handlers(workflow.POSTCHECK_KIND, recipients=workflow.check_officers)
