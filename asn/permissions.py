"""The roles, and what each may do: every "who may do this" rule of Talenta, written once.

Which *rows* a user reads is the tenancy gate (`ScopedQuerySet.for_user` in asn.models); what a
user may *do* with them is decided here. Each rule is a function of the user; `User` exposes each
as a property (or a method, when the rule needs an instansi or an account) of the same name, and
views, services, API permission classes and templates use those: `user.may_write_instansi(pk)`,
`{% if user.can_write_data %}`. The module imports no model, so asn.models can build on it.
"""

from django.db import models


class Role(models.TextChoices):
    OPERATOR = "operator", "Operator BKD/BKPSDM"
    PPK = "ppk", "PPK"
    TIM_TALENTA = "tim_talenta", "Tim Talenta"
    BKN = "bkn", "Monitor BKN"
    ADMIN = "admin", "Admin"
    # An operator of one or more unit kerja (OPD) of an instansi: only their units' people.
    OPERATOR_OPD = "operator_opd", "Operator OPD"
    # ASN self-service: the account of one pegawai, who sees only their own data.
    PEGAWAI = "pegawai", "Pegawai (ASN)"


# Roles that enter and change an instansi's data.
DATA_WRITER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
# Roles that enter and change pegawai and their SKP, asesmen and disiplin records: the data
# writers, and an Operator OPD for the pegawai of its own units only.
RECORD_WRITER_ROLES = DATA_WRITER_ROLES | {Role.OPERATOR_OPD}
# Roles that review and calibrate the talent map in talent-review meetings.
TALENT_REVIEW_ROLES = frozenset({Role.PPK, Role.TIM_TALENTA, Role.ADMIN})
# Roles that belong to exactly one instansi.
INSTANSI_ROLES = (Role.OPERATOR, Role.PPK, Role.TIM_TALENTA, Role.OPERATOR_OPD, Role.PEGAWAI)
# The accounts a BKD/BKPSDM operator opens for its own instansi: the talent-review roles and the
# ASN's own accounts (opened in bulk from the pegawai records, never typed in one by one).
OPERATOR_MANAGED_ROLES = frozenset({Role.PPK, Role.TIM_TALENTA, Role.OPERATOR_OPD, Role.PEGAWAI})
# Kode Kemendagri of the Province of Kalimantan Barat: its own staff also see the provincial roll-up.
PROVINCE_KODE = "61"


# --- scope ------------------------------------------------------------------------------------------


def sees_all_instansi(user) -> bool:
    """BKN monitors, province-wide admins (no instansi) and superusers act for all 15 instansi."""
    return user.is_superuser or user.role == Role.BKN or (user.role == Role.ADMIN and user.instansi_id is None)


def scope_instansi_id(user) -> int | None:
    """The one instansi a user acts for, or None when they act for all of them."""
    return None if sees_all_instansi(user) else user.instansi_id


def scope_instansi(user):
    """`scope_instansi_id` as the Instansi itself."""
    return None if scope_instansi_id(user) is None else user.instansi


def _in_scope(user, instansi_id: int | None) -> bool:
    return sees_all_instansi(user) or (instansi_id is not None and user.instansi_id == instansi_id)


# --- data -------------------------------------------------------------------------------------------


def can_write_data(user) -> bool:
    return user.is_superuser or user.role in DATA_WRITER_ROLES


def may_write_instansi(user, instansi_id: int) -> bool:
    return can_write_data(user) and _in_scope(user, instansi_id)


def can_write_records(user) -> bool:
    """Pegawai and their records (forms and the pegawai, kinerja, asesmen and disiplin imports)."""
    return user.is_superuser or user.role in RECORD_WRITER_ROLES


def may_write_records_in(user, instansi_id: int, unit_kerja_id: int | None = None) -> bool:
    """Records of a pegawai of this instansi (and, for an Operator OPD, of this unit kerja)."""
    if not (can_write_records(user) and _in_scope(user, instansi_id)):
        return False
    return user.role != Role.OPERATOR_OPD or unit_kerja_id in user.unit_kerja_ids


def can_manage_periods(user) -> bool:
    """Periods are the province's: only province-wide data writers open them and change their status."""
    return sees_all_instansi(user) and can_write_data(user)


# --- talent review and succession -------------------------------------------------------------------


def can_review_talent(user) -> bool:
    return user.is_superuser or user.role in TALENT_REVIEW_ROLES


def may_review_instansi(user, instansi_id: int) -> bool:
    return can_review_talent(user) and _in_scope(user, instansi_id)


def is_ppk_of(user, instansi_id: int) -> bool:
    """The PPK of that instansi: the pages offer them the approve and reject buttons of its nominations."""
    return user.role == Role.PPK and user.instansi_id == instansi_id


def may_decide_nominations(user, instansi_id: int) -> bool:
    """Only the PPK of a nomination's instansi approves or rejects it (superusers too)."""
    return user.is_superuser or is_ppk_of(user, instansi_id)


def may_draft_succession_decree(user, instansi_id: int) -> bool:
    """The draft SK PPK on the succession groups: for the PPK who signs it, and the operator and
    admin who prepare it (superusers too)."""
    return (user.is_superuser or user.role in (Role.PPK, Role.OPERATOR, Role.ADMIN)) and _in_scope(user, instansi_id)


# --- objections (keberatan) of ASN ------------------------------------------------------------------


def can_file_objection(user) -> bool:
    """Only the ASN themselves object to their own result, from their own account."""
    return is_asn_account(user)


def can_see_objections(user) -> bool:
    """The staff list of objections: every account but an ASN's (rows are scoped by for_user)."""
    return user.is_authenticated and not is_asn_account(user)


def may_manage_objection_window(user, instansi_id: int) -> bool:
    """The instansi's operator (or an admin of its scope) opens and closes its objection window."""
    return may_write_instansi(user, instansi_id)


def may_review_objection(user, instansi_id: int) -> bool:
    """The operator who keeps the data checks an objection against the records first."""
    return may_write_instansi(user, instansi_id)


def may_decide_objection(user, instansi_id: int) -> bool:
    """Only the Tim Talenta of the objection's instansi accepts or rejects it (superusers too):
    the team that maps the talent answers for its map, not the operator who keeps the records."""
    return user.is_superuser or (user.role == Role.TIM_TALENTA and user.instansi_id == instansi_id)


def sees_objection_deadlines(user) -> bool:
    """The operator and the PPK of an instansi are shown its objections undecided for too long."""
    return user.role in (Role.OPERATOR, Role.PPK) and user.instansi_id is not None


# --- portfolio proposals (usulan portofolio) of ASN --------------------------------------------------


def can_propose_portfolio(user) -> bool:
    """An ASN proposes additions to their own portfolio, from their own account."""
    return is_asn_account(user)


def can_see_portfolio_proposals(user) -> bool:
    """The staff list of proposals: every account but an ASN's (rows are scoped by for_user)."""
    return user.is_authenticated and not is_asn_account(user)


def may_verify_portfolio(user, instansi_id: int, unit_kerja_id: int | None) -> bool:
    """Whoever keeps a pegawai's records checks their proposals against the evidence: the
    instansi's operator, and an Operator OPD for the pegawai of its own units."""
    return may_write_records_in(user, instansi_id, unit_kerja_id)


# --- the province's view ----------------------------------------------------------------------------


def can_see_province_dashboard(user) -> bool:
    """BKN monitors and admins; and the province's own operators, PPK and talent team (the roll-up)."""
    if sees_all_instansi(user):
        return True
    return user.instansi_id is not None and user.instansi.kode == PROVINCE_KODE


def can_set_stage(user) -> bool:
    """BKN monitors (and province-wide admins) move an instansi along the follow-through pipeline."""
    return sees_all_instansi(user)


def can_verify_decisions(user) -> bool:
    """The decision log of every instansi is checked by those who watch the whole province."""
    return sees_all_instansi(user)


# --- accounts and tokens ----------------------------------------------------------------------------


def is_talenta_admin(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def may_manage_scheme(user, instansi_id: int) -> bool:
    """Scheme versions of an instansi are simulated and adopted by its admin or a province admin."""
    return is_talenta_admin(user) and may_write_instansi(user, instansi_id)


def is_asn_account(user) -> bool:
    """The account of one pegawai (role Pegawai), the only kind that has "own data"."""
    return user.role == Role.PEGAWAI and user.pegawai_id is not None


def manageable_roles(user) -> frozenset:
    """The roles of the accounts a user opens and manages: any for a province-wide admin,
    otherwise only in their own instansi (an instansi's admin: its staff; an operator: PPK and Tim)."""
    if user.is_superuser or (user.role == Role.ADMIN and user.instansi_id is None):
        return frozenset(Role)
    if user.role == Role.ADMIN:
        return frozenset(INSTANSI_ROLES)
    if user.role == Role.OPERATOR:
        return OPERATOR_MANAGED_ROLES
    return frozenset()


def can_manage_users(user) -> bool:
    return bool(manageable_roles(user))


def may_assign(user, *, role: str, instansi_id: int | None) -> bool:
    """Whether a user may give an account this role in this instansi."""
    return role in manageable_roles(user) and _in_scope(user, instansi_id)


def may_manage_account(user, account) -> bool:
    """Whether a user may change `account` as it is now (its role and instansi)."""
    return may_assign(user, role=account.role, instansi_id=account.instansi_id) and (
        user.is_superuser or not account.is_superuser
    )


def may_manage_tokens(user, owner) -> bool:
    """A user manages their own API tokens; an admin those of the users of their scope. An ASN
    account has no API: its data is its portal (asn.middleware)."""
    if is_asn_account(owner):
        return False
    if user.pk == owner.pk:
        return True
    return is_talenta_admin(user) and _in_scope(user, owner.instansi_id)
