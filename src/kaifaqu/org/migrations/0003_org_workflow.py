"""Workflow state for organisations (active/abolished) and secondments (running/ended early), their process-event
tables, and a version on secondments. Existing rows get their state from ``is_active`` and ``ended_early_on``."""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def states_from_columns(apps, schema_editor):
    apps.get_model("org", "Org").objects.filter(is_active=False).update(state="abolished")
    apps.get_model("org", "Secondment").objects.filter(ended_early_on__isnull=False).update(state="ended_early")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_city_government_kind'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='org',
            name='state',
            field=models.CharField(choices=[('active', '存续'), ('abolished', '已撤销')], default='active', max_length=16, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='secondment',
            name='state',
            field=models.CharField(choices=[('running', '挂职中'), ('ended_early', '已提前结束')], default='running', max_length=16, verbose_name='状态'),
        ),
        migrations.AddField(
            model_name='secondment',
            name='version',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.CreateModel(
            name='OrgEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_id', models.BigIntegerField(blank=True, null=True, verbose_name='所属开发区')),
                ('created_at', models.DateTimeField(verbose_name='时间')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='办理人姓名')),
                ('actor_org_id', models.BigIntegerField(blank=True, null=True, verbose_name='办理人单位ID')),
                ('action', models.CharField(max_length=64, verbose_name='操作')),
                ('from_state', models.CharField(max_length=32, verbose_name='原状态')),
                ('to_state', models.CharField(max_length=32, verbose_name='新状态')),
                ('note', models.TextField(blank=True, verbose_name='原因/说明')),
                ('payload', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='办理数据')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办理人')),
                ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='org.org', verbose_name='机构')),
            ],
            options={
                'verbose_name': '机构办理记录',
                'verbose_name_plural': '机构办理记录',
                'ordering': ['created_at', 'id'],
                'abstract': False,
                'indexes': [models.Index(fields=['zone_id', 'org', 'created_at'], name='org_orgevent_zone_own')],
            },
        ),
        migrations.CreateModel(
            name='SecondmentEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('zone_id', models.BigIntegerField(blank=True, null=True, verbose_name='所属开发区')),
                ('created_at', models.DateTimeField(verbose_name='时间')),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='办理人姓名')),
                ('actor_org_id', models.BigIntegerField(blank=True, null=True, verbose_name='办理人单位ID')),
                ('action', models.CharField(max_length=64, verbose_name='操作')),
                ('from_state', models.CharField(max_length=32, verbose_name='原状态')),
                ('to_state', models.CharField(max_length=32, verbose_name='新状态')),
                ('note', models.TextField(blank=True, verbose_name='原因/说明')),
                ('payload', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='办理数据')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办理人')),
                ('secondment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='org.secondment', verbose_name='挂职')),
            ],
            options={
                'verbose_name': '挂职办理记录',
                'verbose_name_plural': '挂职办理记录',
                'ordering': ['created_at', 'id'],
                'abstract': False,
                'indexes': [models.Index(fields=['zone_id', 'secondment', 'created_at'], name='org_secondmentevent_zone_own')],
            },
        ),
        migrations.RunPython(states_from_columns, migrations.RunPython.noop),
    ]
