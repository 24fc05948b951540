from django import template

from kaifaqu.invest import money

register = template.Library()


@register.filter
def yuan(amount):
    """An amount in 元 shown in 万元 or 亿元."""
    return money.show(amount)


@register.filter
def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"
