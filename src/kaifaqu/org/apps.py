from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "kaifaqu.org"
    label = "org"
    verbose_name = "机构与编制"

    def ready(self):
        from kaifaqu.core import files
        from kaifaqu.core.web import menu

        from . import (
            importers,
            labels,  # noqa: F401 (registers the Chinese labels of its codes)
        )

        importers.register_all()

        files.register_attachable("org.org", "org.change")
        files.register_attachable("org.staff", "staff.change")
        files.register_attachable("org.reorgevent", "org.change")

        menu.register(
            "org", "机构与编制", 10,
            menu.MenuItem("开发区", "org:zone-list", "org.view", "diagram-3", 10),
            menu.MenuItem("园区", "org:park-list", "org.view", "signpost-split", 15),
            menu.MenuItem("机构", "org:org-list", "org.view", "building", 20),
            menu.MenuItem("人员", "org:staff-list", "staff.view_own", "person-badge", 30),
            menu.MenuItem("挂职", "org:secondment-list", "staff.view_own", "arrow-left-right", 40),
            menu.MenuItem("机构沿革", "org:reorg-list", "org.view", "clock-history", 50),
        )
