"""`{% kesegaran periode instansi %}`: when a page's figures were computed, and whether they are recomputing."""

from django import template

from assessment import selectors

register = template.Library()


@register.inclusion_tag("assessment/_kesegaran.html", takes_context=True)
def kesegaran(context, periode, instansi=None):
    if periode is None:
        return {"state": None}
    return {"state": selectors.freshness(user=context["request"].user, periode=periode, instansi=instansi)}
