from kaifaqu.core.registry import Menu, ModuleConfig


class InvestConfig(ModuleConfig):
    name = "kaifaqu.invest"
    label = "invest"
    verbose_name = "招商引资"
    default_auto_field = "django.db.models.BigAutoField"

    permissions = {
        "invest.view": "查看招商项目与招商统计",
        "invest.change": "登记与推进招商项目、登记项目服务",
        "invest.settings": "设置签约档次标准与停滞天数",
    }
    default_grants = {
        "zone_leader": {"invest.view", "invest.change", "invest.settings"},
        "zone_staff": {"invest.view", "invest.change"},
        "city_leader": {"invest.view"},
    }
    api_routes = ("kaifaqu.invest.api",)
    pages = (("invest", "kaifaqu.invest.urls"),)
    menu = (
        Menu("invest", "招商引资", 40, (
            ("招商项目", "invest:project-list", "invest.view", "briefcase", 10),
            ("招商统计", "invest:figures", "invest.view", "bar-chart", 20),
            ("服务记录", "invest:log-list", "invest.view", "journal-text", 30),
        )),
    )
    labels = ("kaifaqu.invest.labels",)
    demo = ("kaifaqu.invest.demo",)
