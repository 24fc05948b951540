from django.apps import AppConfig


class KitAppConfig(AppConfig):
    name = "tests.kitapp"
    label = "kitapp"
    verbose_name = "测试工单"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kaifaqu.core import clock, files

        from . import workflow

        clock.register_handlers(workflow.CLOCK_KIND)
        files.register_attachable("kitapp.ticket", "kitapp.close")
