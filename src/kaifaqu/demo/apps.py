from kaifaqu.core.registry import ModuleConfig


class DemoConfig(ModuleConfig):
    name = "kaifaqu.demo"
    label = "demo"
    verbose_name = "演示数据"

    cli_help = (
        ("demo [--reset] [--no-serve] [--host H] [--port P]",
         "加载演示开发区并启动服务（仅演示模式） / load the demo zone and serve it (demo mode only)"),
        ("seed-scale [--zones N] [--orgs-per-zone N] [--enterprises N] [--staff N] [--seed N]",
         "生成大规模基准数据（确定性，仅非生产模式） / insert a large deterministic province (not in production)"),
    )
