"""Confirming a year's State Council notice as published (确认年度节假日安排已发布): the page and the API.

The system administrator first enters the notice's days off and 调休 working days as platform-wide overrides (the
工作日历调整 form or its import), then confirms the year with the notice's 文号; ``do_confirm_year`` makes it official
and recomputes the open clocks it reaches.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core import calendar
from kaifaqu.core.access import require
from kaifaqu.core.calendar import services as calendar_services
from kaifaqu.core.calendar.models import PublishedYear
from kaifaqu.core.web.forms import StyledForm
from kaifaqu.core.web.views import ServiceFormView


class ConfirmYearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    notice_no = forms.CharField(label="国务院办公厅通知文号", max_length=100,
                                help_text="如：国办发明电〔2026〕7号。确认前请先在「工作日历调整」中按通知录入该年度全平台的"
                                          "放假日与调休上班日；确认后该年度不再按法定节假日预估，进行中的时限将重新计算。")


class ConfirmYearView(ServiceFormView):
    model = PublishedYear
    perm = "calendar.manage"
    form_class = ConfirmYearForm
    title = "确认年度节假日安排已发布"
    breadcrumbs = (("工作日历调整", "/core/calendar/"), ("确认年度安排已发布", None))
    success_message = "已确认，该年度按国务院办公厅通知计算；相关时限已重新计算。"

    def get_initial(self):
        year = self.request.GET.get("year", "")
        if year.isascii() and year.isdigit():
            return {"year": int(year)}
        return {"year": calendar.known_until(timezone.localdate()).year + 1}

    def perform(self, form):
        return calendar_services.do_confirm_year(self.request.user, **form.cleaned_data)

    def success_url(self, obj):
        return reverse("core:calendar-month") + f"?year={obj.year}&month=1"


class PublishedYearSerializer(serializers.ModelSerializer):
    confirmed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PublishedYear
        fields = ["year", "notice_no", "confirmed_at", "confirmed_by", "confirmed_by_name"]
        read_only_fields = fields

    def get_confirmed_by_name(self, obj) -> str:
        return obj.confirmed_by.get_full_name() or obj.confirmed_by.get_username() if obj.confirmed_by_id else ""


class PublishedYearsView(APIView):
    """已确认发布的年度节假日安排（国务院办公厅通知）。"""

    @extend_schema(responses=PublishedYearSerializer(many=True), summary="已确认发布的年度", tags=["工作日历"])
    def get(self, request):
        return Response(PublishedYearSerializer(PublishedYear.objects.select_related("confirmed_by"), many=True).data)

    @extend_schema(request=inline_serializer("ConfirmYear", {
                       "year": serializers.IntegerField(min_value=1990, max_value=2100),
                       "notice_no": serializers.CharField(max_length=100)}),
                   responses={201: PublishedYearSerializer}, summary="确认某年度节假日安排已发布（仅系统管理员）",
                   tags=["工作日历"],
                   description="先按通知录入该年度全平台的放假日与调休上班日，再确认。确认后该年度为正式安排，"
                               "进行中的工作日、工作小时时限重新计算（逐条审计），“预估”标记随之清除。")
    def post(self, request):
        require(request.user, "calendar.manage")
        data = request.data if hasattr(request.data, "get") else {}
        form = ConfirmYearForm(data)
        if not form.is_valid():
            from kaifaqu.core.errors import InvalidInput

            fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            raise InvalidInput("年度或文号无效。", fields=fields)
        row = calendar_services.do_confirm_year(request.user, **form.cleaned_data)
        return Response(PublishedYearSerializer(row).data, status=201)
