from kaifaqu.core.registry import Menu, ModuleConfig


class CockpitConfig(ModuleConfig):
    name = "kaifaqu.cockpit"
    label = "cockpit"
    verbose_name = "领导驾驶舱"

    permissions = {"cockpit.view": "查看领导驾驶舱"}
    default_grants = {"zone_leader": {"cockpit.view"}, "city_leader": {"cockpit.view"}}
    pages = (("cockpit", "kaifaqu.cockpit.urls"),)
    menu = (Menu("cockpit", "领导驾驶舱", 5, (("领导驾驶舱", "cockpit:home", "cockpit.view", "speedometer2", 10),)),)
