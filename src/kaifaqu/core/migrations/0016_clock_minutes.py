# Clocks may count wall-clock minutes (an emergency whistle: report in within 30 minutes).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0015_import_heartbeat'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deadlineclock',
            name='unit',
            field=models.CharField(choices=[('workdays', '工作日'), ('days', '自然日'), ('workhours', '工作小时'), ('hours', '自然小时'), ('minutes', '分钟')], max_length=16, verbose_name='单位'),
        ),
    ]
