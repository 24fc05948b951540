"""`kaifaqu workflow-diagram APP.MODEL`: print a workflow's state table as a Mermaid stateDiagram-v2."""

from django.core.management.base import BaseCommand, CommandError

from kaifaqu.core import workflow


class Command(BaseCommand):
    help = "打印流程状态图（Mermaid stateDiagram-v2） / print a workflow's state diagram as Mermaid text"

    def add_arguments(self, parser):
        parser.add_argument("model", help="app_label.Model，如 kitapp.Ticket")

    def handle(self, *args, **options):
        try:
            declared = workflow.get(options["model"])
        except LookupError:
            known = "、".join(sorted(workflow.REGISTRY)) or "无"
            raise CommandError(f"未找到 {options['model']} 的流程。已声明的流程：{known}") from None
        self.stdout.write(declared.mermaid(), ending="")
