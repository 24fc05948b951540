from kaifaqu.core.registry import Menu, ModuleConfig


class WhistleConfig(ModuleConfig):
    name = "kaifaqu.whistle"
    label = "whistle"
    verbose_name = "吹哨报到"

    permissions = {
        "whistle.view_all": "查看本开发区全部吹哨",
        "whistle.blow": "吹哨",
        "whistle.dispatch": "吹哨调度（批准或不予延期、改派、回访、评价）",
        "whistle.act": "承办吹哨（报到、解决、提交方案、退回、申请延期）",
        "whistle.policy": "设置吹哨时限规则与考核权重",
    }
    default_grants = {
        "zone_leader": {"whistle.view_all", "whistle.blow", "whistle.dispatch", "whistle.policy", "whistle.act"},
        "zone_staff": {"whistle.view_all", "whistle.blow", "whistle.dispatch", "whistle.act"},
        "city_leader": {"whistle.view_all"},
        "city_dept_staff": {"whistle.act"},
        "street_staff": {"whistle.act"},
        "stationed_staff": {"whistle.act"},
        "platform_staff": {"whistle.act"},
    }
    api_routes = ("kaifaqu.whistle.api",)
    pages = (("whistle", "kaifaqu.whistle.urls"),)
    menu = (
        Menu("whistle", "吹哨报到", 30, (
            ("我的待办", "whistle:inbox", "whistle.act", "inbox", 10),
            ("吹哨台账", "whistle:whistle-list", "whistle.view_all", "megaphone", 20),
            ("吹哨", "whistle:whistle-create", "whistle.blow", "plus-circle", 30),
            ("单位考核", "whistle:metrics", "whistle.view_all", "bar-chart", 40),
            ("时限规则", "whistle:policy", "whistle.view_all", "sliders", 50),
        )),
    )
    attachables = (("whistle.whistle", "whistle.blow"), ("whistle.assignment", "whistle.act"))
    workbench = ("kaifaqu.whistle.workbench.inbox", "kaifaqu.whistle.workbench.zone_tasks")
    labels = ("kaifaqu.whistle.labels",)
    demo = ("kaifaqu.whistle.demo",)

    def ready(self):
        super().ready()
        from .services import register_clocks

        register_clocks()
