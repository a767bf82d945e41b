"""Hooks by which pages of other apps show portal figures without importing portal."""

from django import template

from portal import selectors

register = template.Library()


@register.inclusion_tag("portal/_provinsi_asn.html", takes_context=True)
def portal_asn_accounts(context):
    return {"rows": selectors.asn_accounts_activated(user=context["request"].user)}
