"""Hooks by which pages of other apps show portal figures without importing portal."""

from django import template

from portal import selectors

register = template.Library()


@register.inclusion_tag("portal/_provinsi_asn.html", takes_context=True)
def portal_asn_accounts(context):
    return {"rows": selectors.asn_accounts_activated(user=context["request"].user)}


@register.inclusion_tag("portal/_work_queue.html", takes_context=True)
def work_queue(context):
    """The home page's work queue of the signed-in role (asn's home cannot read the apps above it)."""
    return {"sections": selectors.work_queue(user=context["request"].user)}
