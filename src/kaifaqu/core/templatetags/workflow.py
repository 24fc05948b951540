"""`{% load workflow %}`: the actions a user may perform on a case (page buttons) and the case's timeline.

``{% workflow_actions object as actions %}`` then ``{% for choice in actions %}{% include "core/_action_button.html"
%}{% endfor %}``; ``{% timeline object %}`` renders ``core/_timeline.html`` (events, clocks, attachments, audit link).
"""

from django import template

from kaifaqu.core.workflow.views import choices_for, timeline_context

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_actions(context, obj):
    return choices_for(context["request"].user, obj)


@register.inclusion_tag("core/_timeline.html", takes_context=True)
def timeline(context, obj):
    return timeline_context(context["request"].user, obj)
