from django.core.management.base import BaseCommand

from kaifaqu.core.web.serving import add_serve_arguments, serve


class Command(BaseCommand):
    help = "启动网站 / serve the site (gunicorn + whitenoise; --dev for runserver)"

    def add_arguments(self, parser):
        add_serve_arguments(parser)

    def handle(self, *args, host, port, workers, dev, no_tick, **options):
        serve(self.stdout, host, port, workers, dev, no_tick)
