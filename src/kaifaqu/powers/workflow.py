"""The power list's versions on core.workflow (docs/modules/powers.md has the diagram):

草稿 → 提交审核 (frozen) → 审核通过 / 退回 (with reasons, back to 草稿) → 发布 (number and date; never changes again).
Four eyes: whoever submitted a version (its author) may neither approve, return nor publish it.
"""

from django import forms
from rest_framework import serializers

from kaifaqu.core.errors import RuleViolation
from kaifaqu.core.workflow import Action, Workflow

from .models import (
    FunctionItem,
    FunctionItemEvent,
    HandoverState,
    HeadChange,
    HeadChangeEvent,
    HeadChangeState,
    ListState,
    ListVersion,
    ListVersionEvent,
)

FOUR_EYES = "四眼原则：提交人不能审核或发布自己提交的版本。"


def _user_of(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def not_author(actor, version):
    return FOUR_EYES if version.author_id is not None and version.author_id == getattr(actor, "pk", None) else True


def submit(actor, version, payload):
    if not version.items.exists():
        raise RuleViolation(f"{version} 没有任何事项，不能提交审核。")
    version.author = _user_of(actor)
    version.reviewer = None


def approve(actor, version, payload):
    version.reviewer = _user_of(actor)


def publication_problems(version) -> dict[str, list[str]]:
    """What stops ``version`` from being published: items without a type, a legal basis or an implementing body, and
    the responsibility matrix's gaps and conflicts. Keys are the Chinese headings, values the items named."""
    from . import queries

    problems = {}
    missing = {"kind": "缺少事项类型", "basis": "缺少设定依据", "implementing_body": "缺少实施主体"}
    for item in version.items.only("code", "name", "kind", "basis", "legal_bases", "implementing_body"):
        if not item.kind:
            problems.setdefault(missing["kind"], []).append(f"{item.code} {item.name}")
        if not item.basis.strip() and not item.legal_bases:
            problems.setdefault(missing["basis"], []).append(f"{item.code} {item.name}")
        if not item.implementing_body.strip():
            problems.setdefault(missing["implementing_body"], []).append(f"{item.code} {item.name}")
    report = queries.matrix_report(version.zone_id)
    if report["gaps"]:
        problems["责任清单缺少主责单位"] = [f"{g['matter']} × {g['area']}" for g in report["gaps"]]
    if report["conflicts"]:
        problems["责任清单主责单位冲突"] = [f"{c['matter']} × {c['area']}：{'、'.join(c['leads'])}"
                                    for c in report["conflicts"]]
    return problems


def publish(actor, version, payload):
    problems = publication_problems(version)
    if problems:
        detail = "；".join(f"{k}：{'、'.join(v[:10])}{' 等' if len(v) > 10 else ''}（{len(v)} 项）"
                          for k, v in problems.items())
        raise RuleViolation(f"{version} 暂不能发布。{detail}", fields=problems, code="not_publishable")
    version.publish_no = payload["publish_no"]
    version.published_on = payload["date"]
    if version.reviewer_id is None:
        version.reviewer = _user_of(actor)


class PublishPayload(serializers.Serializer):
    publish_no = serializers.CharField(label="发布文号", max_length=100,
                                       error_messages={"required": "请填写发布文号。", "blank": "请填写发布文号。"})
    date = serializers.DateField(label="发布日期", error_messages={"required": "请填写发布日期。", "null": "请填写发布日期。"})


class PublishPayloadForm(forms.Form):
    publish_no = forms.CharField(label="发布文号", max_length=100)
    date = forms.DateField(label="发布日期", widget=forms.DateInput)


LIST = Workflow(
    model=ListVersion,
    events=ListVersionEvent,
    table={
        ListState.DRAFT: {"submit": ListState.SUBMITTED},
        ListState.SUBMITTED: {"approve": ListState.APPROVED, "send_back": ListState.DRAFT},
        ListState.APPROVED: {"publish": ListState.PUBLISHED, "send_back": ListState.DRAFT},
        ListState.PUBLISHED: {},
    },
    actions={
        "submit": Action("提交审核", perm="powers.change", apply=submit, summary="提交清单版本审核"),
        "approve": Action("审核通过", perm="powers.review", rule=not_author, apply=approve, summary="审核通过清单版本"),
        "send_back": Action("退回修改", perm="powers.review", rule=not_author, reason_required=True,
                         reason_label="退回原因", style="danger", summary="退回清单版本"),
        "publish": Action("发布", perm="powers.review", rule=not_author, serializer=PublishPayload,
                          form=PublishPayloadForm, apply=publish, summary="发布清单版本（编号与日期）"),
    },
    audit_prefix="powerlist",
)


# POWER-2: the hand-over of a stripped function ---------------------------------------------------------------

def receiver_only(actor, item):
    org_id = getattr(getattr(actor, "scope", None), "org_id", None)
    return True if org_id is not None and org_id == item.receiver_id else "只有承接单位可以确认或提出异议。"


class ResolvePayload(serializers.Serializer):
    receiver = serializers.IntegerField(label="改由承接单位（机构 id）", required=False, allow_null=True, min_value=1,
                                        max_value=2147483647)


class ResolvePayloadForm(forms.Form):
    receiver = forms.IntegerField(label="改由承接单位（机构 id，不改则留空）", required=False, min_value=1)


def resolve(actor, item, payload):
    from kaifaqu.org.models import Org

    receiver = payload.get("receiver")
    if receiver:
        org = Org.objects.filter(pk=receiver, zone_id=item.zone_id, is_active=True).first()
        if org is None:
            raise RuleViolation("改由承接的单位不属于本开发区或已撤销。", fields={"receiver": ["单位无效。"]})
        item.receiver = org


HANDOVER = Workflow(
    model=FunctionItem,
    events=FunctionItemEvent,
    table={
        HandoverState.PENDING: {"confirm": HandoverState.CONFIRMED, "dispute": HandoverState.DISPUTED},
        HandoverState.DISPUTED: {"resolve": HandoverState.PENDING},
        HandoverState.CONFIRMED: {},
        HandoverState.RETAINED: {},
    },
    initial=HandoverState.PENDING,
    actions={
        "confirm": Action("确认接收", perm="powers.handover", rule=receiver_only, summary="承接单位确认交接"),
        "dispute": Action("提出异议", perm="powers.handover", rule=receiver_only, reason_required=True,
                          reason_label="异议理由", style="danger", summary="承接单位对交接提出异议"),
        "resolve": Action("处理异议", perm="powers.change", reason_required=True, reason_label="处理意见",
                          serializer=ResolvePayload, form=ResolvePayloadForm, apply=resolve,
                          summary="开发区处理异议（可改由其他单位承接），重新待确认"),
    },
    audit_prefix="powerfn",
)


# POWER-5: a head change of a stationed agency needs the zone's consent ----------------------------------------

KIND_CONSENT = "powers.head_consent"
CLOCK_KINDS = {KIND_CONSENT: "派驻机构负责人任免征求意见时限"}
NOTIFY_KINDS = {"powers.head_request": "派驻机构负责人任免征求意见", "powers.head_decided": "开发区对负责人任免的意见",
                "powers.head_urge": "负责人任免意见催办"}


def _open_clock(change):
    from django.contrib.contenttypes.models import ContentType

    from kaifaqu.core.clock.models import OPEN_STATES, DeadlineClock

    return (DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(change),
                                         object_id=str(change.pk), kind=KIND_CONSENT, state__in=OPEN_STATES)
            .order_by("-id").first())


def decide(actor, change, payload):
    from django.utils import timezone

    change.decided_by = _user_of(actor)
    change.decided_at = timezone.now()


def record_opinion(actor, change, event, payload):
    """The reasons given with the answer are the zone's opinion (also the event's note and the audit reason); the
    consent clock stops; the parent department is told."""
    from kaifaqu.core import clock, notify

    type(change)._base_manager.filter(pk=change.pk).update(opinion=event.note)
    change.opinion = event.note
    c = _open_clock(change)
    if c is not None:
        clock.finish(actor, c)
    answer = "同意" if change.state == HeadChangeState.CONSENTED else "不同意"
    notify.send("powers.head_decided", f"开发区{answer}：{change}", orgs=[change.department], body=event.note,
                url=change.get_absolute_url(), obj=change)


def take_effect(actor, change, payload):
    change.effective_on = payload["date"]


def set_head(actor, change, event, payload):
    """Only here does a head change reach the organisation record, through org's own service."""
    from kaifaqu.org import services as org_services
    from kaifaqu.org.models import Org

    agency = Org.objects.get(pk=change.agency_id)
    if change.kind == "appoint":
        org_services.do_set_head(actor, agency, change.nominee)
    elif change.nominee_id is None or agency.head_id == change.nominee_id:
        org_services.do_set_head(actor, agency, None)
    else:
        raise RuleViolation(f"{agency} 的负责人已不是拟免职人员，不能执行该免职。")


class EffectPayload(serializers.Serializer):
    date = serializers.DateField(label="生效日期", error_messages={"required": "请填写生效日期。", "null": "请填写生效日期。"})


class EffectPayloadForm(forms.Form):
    date = forms.DateField(label="生效日期", widget=forms.DateInput)


HEAD_CHANGE = Workflow(
    model=HeadChange,
    events=HeadChangeEvent,
    table={
        HeadChangeState.REQUESTED: {"consent": HeadChangeState.CONSENTED, "refuse": HeadChangeState.REFUSED},
        HeadChangeState.CONSENTED: {"take_effect": HeadChangeState.EFFECTIVE},
        HeadChangeState.REFUSED: {},
        HeadChangeState.EFFECTIVE: {},
    },
    actions={
        "consent": Action("同意", perm="powers.consent", reason_required=True, reason_label="开发区意见",
                          apply=decide, hooks=[record_opinion], summary="开发区同意该任免（须写明意见）"),
        "refuse": Action("不同意", perm="powers.consent", reason_required=True, reason_label="不同意的理由",
                         apply=decide, hooks=[record_opinion], style="danger", summary="开发区不同意该任免（须写明理由）"),
        "take_effect": Action("记入机构信息", perm="org.change", serializer=EffectPayload, form=EffectPayloadForm,
                              apply=take_effect, hooks=[set_head],
                              summary="组织人事将开发区同意的任免记入机构负责人（只有同意的任免可以生效）"),
    },
    audit_prefix="headchange",
)
