"""The pegawai name search as people type names: titles, any word order, small typos (PostgreSQL)."""

import pytest
from django.db import connection
from django.urls import reverse

from asn.selectors import name_search_words, pegawai_search
from tests.factories import JabatanFactory, PegawaiFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(sambas, bengkayang):
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    return {
        "agnes_daeng": PegawaiFactory(nama="Agnes Daeng", gelar_belakang="M.M.", jabatan=jabatan),
        "agnes_wijaya": PegawaiFactory(nama="Agnes Wijaya", gelar_depan="Dr.", jabatan=jabatan),
        "budi": PegawaiFactory(nama="Budi Santoso", jabatan=jabatan),
        "daeng": PegawaiFactory(nama="Muhammad Daeng Pasolong", jabatan=jabatan),
        "outside": PegawaiFactory(nama="Agnes Daeng", jabatan__unit_kerja__instansi=bengkayang),
    }


def _names(client, query):
    response = client.get(reverse("asn:pegawai-list"), {"q": query})
    assert response.status_code == 200
    return [p.nama for p in response.context["page"].object_list]


def test_titles_and_punctuation_are_not_part_of_the_words():
    assert name_search_words("Agnes Daeng, M.M.") == ["Agnes", "Daeng"]
    assert name_search_words("Dr. Agnes Daeng S.Kom") == ["Agnes", "Daeng"]
    assert name_search_words("Drs. H. Budi Santoso, S.H., M.Si.") == ["Budi", "Santoso"]
    assert name_search_words("Ma'ruf Amin") == ["Ma'ruf", "Amin"]
    assert name_search_words("M.M.") == []


def test_name_typed_with_titles_finds_the_person(operator_client, people):
    assert _names(operator_client, "Agnes Daeng, M.M.") == ["Agnes Daeng"]
    assert _names(operator_client, "Dr. Agnes Wijaya") == ["Agnes Wijaya"]


def test_words_match_in_any_order(operator_client, people):
    assert _names(operator_client, "daeng agnes") == ["Agnes Daeng"]
    assert _names(operator_client, "Daeng") == ["Agnes Daeng", "Muhammad Daeng Pasolong"]
    assert _names(operator_client, "pasolong muhammad") == ["Muhammad Daeng Pasolong"]


def test_small_typos_match_on_postgresql(operator_client, people):
    assert connection.vendor == "postgresql"
    assert _names(operator_client, "Budi Santosa") == ["Budi Santoso"]
    assert _names(operator_client, "agnes wijaja") == ["Agnes Wijaya"]
    assert _names(operator_client, "Pasolang") == ["Muhammad Daeng Pasolong"]
    # A different name is not a typo of one on the list.
    assert _names(operator_client, "Budi Hartono") == []


def test_search_stays_inside_the_instansi(outsider_client, ppk_client, people):
    outsider_page = outsider_client.get(reverse("asn:pegawai-list"), {"q": "Agnes Daeng"})
    assert list(outsider_page.context["page"].object_list) == [people["outside"]]
    ppk_page = ppk_client.get(reverse("asn:pegawai-list"), {"q": "Agnes Daeng"})
    assert list(ppk_page.context["page"].object_list) == [people["agnes_daeng"]]


def test_the_name_match_can_use_the_trigram_index(bkn, people):
    # Five rows are read fastest in name order; with plain and ordered scans off, the planner shows
    # that both halves of the match (contains and word similarity) are served by the trigram index.
    sql, params = pegawai_search(user=bkn, query="Santosa").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "Bitmap Index Scan on pegawai_nama_trgm" in plan
    assert "Bitmap Heap Scan on asn_pegawai" in plan
