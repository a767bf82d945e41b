"""Every rule of asn.permissions across the roles, read through the User properties the code uses."""

import pytest

from asn.models import Instansi, Role
from asn.permissions import INSTANSI_ROLES, OPERATOR_MANAGED_ROLES

from ..factories import PegawaiFactory, UserFactory

PERSONAS = [
    "operator",
    "ppk",
    "tim",
    "opd",
    "asn",
    "outsider",
    "province_operator",
    "instansi_admin",
    "province_admin",
    "bkn",
    "superuser",
]


@pytest.fixture
def people(operator, ppk, outsider, bkn, province_admin, sambas, bengkayang):
    province = Instansi.objects.get(kode="61")
    return {
        "operator": operator,
        "ppk": ppk,
        "tim": UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas),
        "opd": UserFactory(username="opd-sambas", role=Role.OPERATOR_OPD, instansi=sambas),
        "asn": UserFactory(
            username="asn-sambas", role=Role.PEGAWAI, instansi=sambas, pegawai=PegawaiFactory(instansi=sambas)
        ),
        "outsider": outsider,
        "province_operator": UserFactory(username="operator-provinsi", role=Role.OPERATOR, instansi=province),
        "instansi_admin": UserFactory(username="admin-sambas", role=Role.ADMIN, instansi=sambas),
        "province_admin": province_admin,
        "bkn": bkn,
        # A superuser's role does not limit them: here an operator of another instansi.
        "superuser": UserFactory(username="root", role=Role.OPERATOR, instansi=bengkayang, is_superuser=True),
    }


def _holders(people, rule) -> set[str]:
    return {name for name in PERSONAS if rule(people[name])}


# rule (as the code reads it, about Sambas where it takes an instansi) -> the personas for whom it holds
TRUTH = {
    "sees_all_instansi": ({"province_admin", "bkn", "superuser"}, lambda u, s: u.sees_all_instansi),
    "can_write_data": (
        {"operator", "outsider", "province_operator", "instansi_admin", "province_admin", "superuser"},
        lambda u, s: u.can_write_data,
    ),
    "may_write_instansi": (
        {"operator", "instansi_admin", "province_admin", "superuser"},
        lambda u, s: u.may_write_instansi(s.pk),
    ),
    "can_manage_periods": ({"province_admin", "superuser"}, lambda u, s: u.can_manage_periods),
    "can_review_talent": (
        {"ppk", "tim", "instansi_admin", "province_admin", "superuser"},
        lambda u, s: u.can_review_talent,
    ),
    "may_review_instansi": (
        {"ppk", "tim", "instansi_admin", "province_admin", "superuser"},
        lambda u, s: u.may_review_instansi(s.pk),
    ),
    "is_ppk_of": ({"ppk"}, lambda u, s: u.is_ppk_of(s.pk)),
    "may_decide_nominations": ({"ppk", "superuser"}, lambda u, s: u.may_decide_nominations(s.pk)),
    "can_see_province_dashboard": (
        {"province_operator", "province_admin", "bkn", "superuser"},
        lambda u, s: u.can_see_province_dashboard,
    ),
    "can_set_stage": ({"province_admin", "bkn", "superuser"}, lambda u, s: u.can_set_stage),
    "can_verify_decisions": ({"province_admin", "bkn", "superuser"}, lambda u, s: u.can_verify_decisions),
    "is_talenta_admin": ({"instansi_admin", "province_admin", "superuser"}, lambda u, s: u.is_talenta_admin),
    "is_asn_account": ({"asn"}, lambda u, s: u.is_asn_account),
    "can_manage_users": (
        {"operator", "outsider", "province_operator", "instansi_admin", "province_admin", "superuser"},
        lambda u, s: u.can_manage_users,
    ),
    "may_assign": (
        {"operator", "instansi_admin", "province_admin", "superuser"},
        lambda u, s: u.may_assign(role=Role.PPK, instansi_id=s.pk),
    ),
}


@pytest.mark.parametrize("name", list(TRUTH))
def test_rule_holds_for_exactly_these_roles(people, sambas, name):
    expected, rule = TRUTH[name]
    assert _holders(people, lambda user: rule(user, sambas)) == expected


def test_manageable_roles_per_role(people):
    roles = {name: people[name].manageable_roles for name in PERSONAS}
    assert roles == {
        "operator": OPERATOR_MANAGED_ROLES,
        "ppk": frozenset(),
        "tim": frozenset(),
        "opd": frozenset(),
        "asn": frozenset(),
        "outsider": OPERATOR_MANAGED_ROLES,
        "province_operator": OPERATOR_MANAGED_ROLES,
        "instansi_admin": frozenset(INSTANSI_ROLES),
        "province_admin": frozenset(Role),
        "bkn": frozenset(),
        "superuser": frozenset(Role),
    }


def test_province_wide_roles_may_not_be_assigned_by_an_instansi_admin(people, sambas):
    admin = people["instansi_admin"]
    assert not admin.may_assign(role=Role.BKN, instansi_id=None)
    assert not admin.may_assign(role=Role.OPERATOR, instansi_id=None)
    assert admin.may_assign(role=Role.OPERATOR, instansi_id=sambas.pk)


def test_only_a_superuser_manages_a_superuser_account(people):
    root = people["superuser"]
    assert _holders(people, lambda user: user.may_manage_account(root)) == {"superuser"}
    assert _holders(people, lambda user: user.may_manage_account(people["ppk"])) == {
        "operator",
        "instansi_admin",
        "province_admin",
        "superuser",
    }


def test_tokens_are_managed_by_their_owner_and_the_admins_of_their_scope(people):
    assert _holders(people, lambda user: user.may_manage_tokens(people["ppk"])) == {
        "ppk",
        "instansi_admin",
        "province_admin",
        "superuser",
    }


def test_scope_instansi_is_the_own_instansi_or_none_for_province_wide_users(people, sambas):
    scopes = {name: people[name].scope_instansi for name in ("operator", "instansi_admin", "province_admin", "bkn")}
    assert scopes == {"operator": sambas, "instansi_admin": sambas, "province_admin": None, "bkn": None}
    ids = {name: people[name].scope_instansi_id for name in ("operator", "instansi_admin", "province_admin", "bkn")}
    assert ids == {"operator": sambas.pk, "instansi_admin": sambas.pk, "province_admin": None, "bkn": None}
