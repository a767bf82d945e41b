"""Form widgets for the busiest pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class FilterSelect(forms.Select):
    """A single `<select>` rendered in Python, option by option, with the same HTML as Django's.

    Django renders every option through its own template; on the filter forms of the pegawai
    list and the nine-box map (up to 210 unit kerja for a province-wide user) that was half of the
    page's server time. Single choices, no option groups: what the filter forms use.
    """

    allow_multiple_selected = False

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text in selected else ""
            value_html, label_html = conditional_escape(text), conditional_escape(label)
            options.append(f'\n  <option value="{value_html}"{mark}>{label_html}</option>\n')
        final_attrs = self.build_attrs(self.attrs, attrs)
        body = "".join(options)
        return mark_safe(f'<select name="{conditional_escape(name)}"{flatatt(final_attrs)}>{body}\n</select>')


def use_filter_selects(form: forms.Form) -> None:
    """Swap every plain single select of a form for `FilterSelect`, keeping its attributes and choices."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            fast = FilterSelect(attrs=widget.attrs)
            fast.choices = widget.choices
            fast.is_required = widget.is_required
            field.widget = fast
