from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kaifaqu.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self):
        # Importing them registers their tick jobs and home-page widgets.
        from kaifaqu.core import clock, imports, webhooks  # noqa: F401
        from kaifaqu.core.audit import anchor  # noqa: F401
        from kaifaqu.core.calendar import importers as calendar_importers
        from kaifaqu.core.calendar import widgets  # noqa: F401
        from kaifaqu.core.web import menu

        calendar_importers.register_all()

        menu.register("integration", "接口与通知", 800,
                      menu.MenuItem("通知", "core:notification-list", "", "bell", 10),
                      menu.MenuItem("导入记录", "core:import-list", "", "upload", 15),
                      menu.MenuItem("Webhook 接口", "core:webhook-list", "org.view", "plug", 20))
        menu.register("calendar", "日历", 700,
                      menu.MenuItem("节假日月历", "core:calendar-month", "", "calendar-week", 10))
        menu.register("system", "系统管理", 900,
                      menu.MenuItem("工作日历", "core:override-list", "calendar.manage", "calendar3", 40))
        menu.register("audit", "安全审计", 950,
                      menu.MenuItem("审计日志", "core:audit-list", "audit.view", "journal-text", 10))
