from kaifaqu.core.registry import Menu, ModuleConfig


class MeetingsConfig(ModuleConfig):
    name = "kaifaqu.meetings"
    label = "meetings"
    verbose_name = "联席会议"

    permissions = {
        "meetings.view_all": "查看本开发区联席会议与议定事项",
        "meetings.manage": "组织会议（召集、出席、议题、议定事项、纪要、验收）",
        "meetings.act": "办理本单位的议定事项（报办结）",
        "meetings.body": "设置联席会议制度（召集人、成员单位）",
    }
    default_grants = {
        "zone_leader": {"meetings.view_all", "meetings.manage", "meetings.body", "meetings.act"},
        "zone_staff": {"meetings.view_all", "meetings.manage", "meetings.act"},
        "city_leader": {"meetings.view_all"},
        "city_dept_staff": {"meetings.act"},
        "street_staff": {"meetings.act"},
        "stationed_staff": {"meetings.act"},
        "platform_staff": {"meetings.act"},
    }
    api_routes = ("kaifaqu.meetings.api",)
    pages = (("meetings", "kaifaqu.meetings.urls"),)
    menu = (
        Menu("meetings", "联席会议", 35, (
            ("会议", "meetings:meeting-list", "meetings.view_all", "people", 10),
            ("待办议定事项", "meetings:decision-open", "meetings.act", "list-check", 20),
            ("议定事项督办", "meetings:decision-open-zone", "meetings.view_all", "alarm", 30),
            ("议定事项台账", "meetings:decision-list", "meetings.view_all", "journal-text", 40),
            ("联席会议制度", "meetings:body", "meetings.view_all", "diagram-3", 50),
        )),
    )
    attachables = (("meetings.meeting", "meetings.manage"),)
    workbench = ("kaifaqu.meetings.workbench.inbox", "kaifaqu.meetings.workbench.zone_tasks")
    labels = ("kaifaqu.meetings.labels",)
    demo = ("kaifaqu.meetings.demo",)
    cli_help = ()

    def ready(self):
        super().ready()
        from .services import register_clocks

        register_clocks()
