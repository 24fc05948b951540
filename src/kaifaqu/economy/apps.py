from kaifaqu.core.registry import Menu, ModuleConfig


class EconomyConfig(ModuleConfig):
    name = "kaifaqu.economy"
    label = "economy"
    verbose_name = "企业库与经济运行"
    default_auto_field = "django.db.models.BigAutoField"

    permissions = {
        "economy.view": "查看企业库与经济指标",
        "economy.change": "维护企业库",
        "economy.manage": "维护经济指标、外部排名，下达报送任务",
        "economy.submit": "按报送任务上传本单位的指标数据",
        "economy.view_contacts": "查看与维护企业联系人",
    }
    default_grants = {
        "zone_leader": {"economy.view", "economy.change", "economy.manage", "economy.submit", "economy.view_contacts"},
        "zone_staff": {"economy.view", "economy.change", "economy.manage", "economy.submit",
                       "economy.view_contacts"},
        "city_leader": {"economy.view"},
        "city_dept_staff": {"economy.view", "economy.submit"},
        "stationed_staff": {"economy.view", "economy.submit"},
    }
    api_routes = ("kaifaqu.economy.api",)
    pages = (("economy", "kaifaqu.economy.urls"),)
    menu = (
        Menu("economy", "企业库与经济运行", 45, (
            ("企业库", "economy:enterprise-list", "economy.view", "buildings", 10),
            ("经济指标", "economy:indicator-list", "economy.view", "graph-up", 20),
            ("报送任务", "economy:task-list", "economy.submit", "inbox", 30),
        )),
    )
    importers = ("kaifaqu.economy.importers.VALUE_IMPORTER",)
    labels = ("kaifaqu.economy.labels",)
    demo = ("kaifaqu.economy.demo",)

    def ready(self):
        super().ready()
        from kaifaqu.core import clock, notify

        from . import services

        clock.register_kind(services.CLOCK_KIND, "数据报送时限")
        notify.register_kind(services.URGE_KIND, "数据报送催办")
        clock.register_handlers(services.CLOCK_KIND, recipients=services.clock_recipients)
        clock.register_ladder(services.CLOCK_KIND, [
            clock.Step("remind", before=1, do=services.remind),
            clock.Step("urge", after=1, do=services.remind),
        ])
