"""The filter forms' fast select renders exactly what Django's own Select renders."""

import pytest
from django import forms

from asn.forms import PegawaiFilterForm
from assessment.forms import TalentMapFilterForm
from talenta.widgets import FilterSelect
from tests.factories import UnitKerjaFactory

pytestmark = pytest.mark.django_db


def _as_django_would(bound_field) -> str:
    widget = bound_field.field.widget
    plain = forms.Select(attrs=widget.attrs, choices=widget.choices)
    plain.is_required = widget.is_required
    return bound_field.as_widget(widget=plain)


def test_pegawai_filters_render_as_django_does(bkn, sambas):
    unit = UnitKerjaFactory(instansi=sambas, nama='Dinas "Uji" & <Kesehatan>')
    form = PegawaiFilterForm({"unit_kerja": str(unit.pk), "jenis_asn": "PPPK"}, user=bkn)
    for name in ("instansi", "unit_kerja", "jenjang", "golongan", "jenis_asn"):
        assert isinstance(form.fields[name].widget, FilterSelect)
        assert str(form[name]) == _as_django_would(form[name]), name
    html = str(form["unit_kerja"])
    label = "Dinas &quot;Uji&quot; &amp; &lt;Kesehatan&gt; — Kabupaten Sambas"
    assert f'<option value="{unit.pk}" selected>{label}</option>' in html
    assert '<option value="PPPK" selected>PPPK</option>' in str(form["jenis_asn"])


def test_map_filters_render_as_django_does(operator, sambas):
    UnitKerjaFactory(instansi=sambas)
    form = TalentMapFilterForm(user=operator, instansi=sambas, initial={"instansi": sambas})
    for name in ("unit_kerja", "jenjang", "kelompok", "golongan", "jenis_asn", "jenis_kelamin", "usia", "jpm"):
        assert str(form[name]) == _as_django_would(form[name]), name
