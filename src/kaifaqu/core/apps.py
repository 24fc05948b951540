from kaifaqu.core.registry import Menu, ModuleConfig


class CoreConfig(ModuleConfig):
    name = "kaifaqu.core"
    label = "core"
    verbose_name = "平台核心"

    permissions = {
        "webhooks.manage": "配置本开发区各单位的 Webhook 接口",
        "calendar.manage": "维护工作日历（法定节假日、调休、本区调整）",
        "audit.view": "查阅与导出审计日志（审计管理员）",
    }
    duties = {"calendar.manage": "system", "audit.view": "audit"}
    default_grants = {
        "zone_leader": {"webhooks.manage"},
        "sys_admin": {"calendar.manage"},
        "audit_admin": {"audit.view"},
    }
    api_routes = ("kaifaqu.core.audit.api", "kaifaqu.core.notify.api", "kaifaqu.core.files.api",
                  "kaifaqu.core.imports.api", "kaifaqu.core.calendar.api")
    api_views = (
        ("calendar/add", "kaifaqu.core.calendar.api.CalendarAddView", "api-calendar-add"),
        ("calendar/between", "kaifaqu.core.calendar.api.CalendarBetweenView", "api-calendar-between"),
        ("calendar/deadline", "kaifaqu.core.calendar.api.CalendarDeadlineView", "api-calendar-deadline"),
        ("calendar/day", "kaifaqu.core.calendar.api.CalendarDayView", "api-calendar-day"),
        ("calendar/coverage", "kaifaqu.core.calendar.api.CalendarCoverageView", "api-calendar-coverage"),
        ("calendar/working-hours/", "kaifaqu.core.calendar.api.WorkingHoursView", "api-calendar-working-hours"),
        ("calendar/month", "kaifaqu.core.calendar.month.MonthApiView", "api-calendar-month"),
        ("calendar/years/", "kaifaqu.core.calendar.years.PublishedYearsView", "api-calendar-years"),
        ("workbench/", "kaifaqu.core.workbench.WorkbenchView", "api-workbench"),
    )
    pages = (("core", "kaifaqu.core.urls"),)
    menu = (
        Menu("integration", "接口与通知", 800, (
            ("通知", "core:notification-list", "", "bell", 10),
            ("导入记录", "core:import-list", "imports.any", "upload", 15),
            ("Webhook 接口", "core:webhook-list", "webhooks.manage", "plug", 20),
        )),
        Menu("calendar", "日历", 700, (("节假日月历", "core:calendar-month", "", "calendar-week", 10),)),
        Menu("system", "系统管理", 900, (("工作日历", "core:override-list", "calendar.manage", "calendar3", 40),)),
        Menu("audit", "安全审计", 950, (("审计日志", "core:audit-list", "audit.view", "journal-text", 10),)),
    )
    # "clock_ladder" after "clocks": a notice after expiry follows the overdue claim.
    tick_jobs = (
        ("clocks", "kaifaqu.core.clock.worker.run_due"),
        ("clock_ladder", "kaifaqu.core.clock.ladder.run_ladder"),
        ("imports", "kaifaqu.core.imports.jobs.run_due"),
        ("webhooks", "kaifaqu.core.webhooks.services.deliver_due"),
        ("audit_anchor", "kaifaqu.core.audit.anchor.write_checkpoint"),
    )
    importers = ("kaifaqu.core.calendar.importers.OVERRIDE_IMPORTER",)
    workbench = (
        "kaifaqu.core.imports.workbench.awaiting_confirmation",
        "kaifaqu.core.notify.workbench.unread",
        "kaifaqu.core.calendar.workbench.calendar_expiry",
    )
    cli_help = (
        ("serve [--dev] [--host H] [--port P] [--workers N] [--no-tick]",
         "启动网站（gunicorn；--dev 用开发服务器；每分钟运行定时任务） / serve the site (gunicorn; --dev uses\n"
         "        runserver; runs tick every minute unless --no-tick)"),
        ("tick [--loop SECONDS]", "运行定时任务（幂等） / run the periodic jobs (idempotent, safe on several hosts)"),
        ("audit verify", "校验审计日志哈希链 / verify the audit trail's hash chain (exit 1 names the first broken event)"),
        ("audit export --from DATE --to DATE --out FILE.xlsx", "导出审计日志 / export the audit trail to a spreadsheet"),
        ("deadline START LIMIT {workdays,days,workhours,hours} [--pause FROM/TO]… [--zone CODE]",
         "计算时限到期时间（法定节假日、调休、暂停） / print a limit's due time as the platform computes it"),
        ("workdays add DATE N | between A B | is DATE [--zone CODE]",
         "工作日计算（法定节假日、调休、本区调整） / working-day arithmetic on the official calendar"),
        ("workflow-diagram APP.MODEL",
         "打印流程状态图（Mermaid） / print a workflow's state table as a Mermaid stateDiagram-v2"),
    )
    labels = ("kaifaqu.core.labels",)

    def ready(self):
        super().ready()
        from kaifaqu.core.imports.engine import may_import
        from kaifaqu.core.web import menu

        menu.register_check("imports.any", may_import)
