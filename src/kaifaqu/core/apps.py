from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kaifaqu.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self):
        from . import menu

        menu.register("audit", "安全审计", 950,
                      menu.MenuItem("审计日志", "core:audit-list", "audit.view", "journal-text", 10))
