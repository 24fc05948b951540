from django.apps import AppConfig


class KitAppConfig(AppConfig):
    name = "tests.kitapp"
    label = "kitapp"
    verbose_name = "测试工单"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kaifaqu.core import clock, files, notify

        from . import workflow

        clock.register_kind(workflow.CLOCK_KIND, "测试工单办理时限")
        clock.register_handlers(workflow.CLOCK_KIND)
        notify.register_kind(workflow.CLOSED_KIND, "测试工单办结")
        files.register_attachable("kitapp.ticket", "kitapp.close")
