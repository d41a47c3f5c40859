"""Masking of personal fields by role: one decision for every view and export of a person.

``visible_classes(principal, facts)`` says which classes of personal information
(``privacy.classification.PersonalClass``) a viewer may see of one person's record;
``mask_person`` applies it to the fields a view shows. The rules (PIPL art. 6, least
necessary; see docs/security.md section 2):

- the owner (the student whose record it is) and the platform admin see everything;
- the profile's college admin sees name, contact, student number and free text;
  its teachers see name, student number and free text, not contact (a teacher needs to
  know who the student is, not how to reach them outside the college's systems);
- a recruiter sees the name and free text of a candidate they may see at all (consent
  to be shown to employers, or an application to their organization), and the contact
  data and student number ONLY while the candidate has applied to one of their
  organization's postings or accepted their invitation (an application not withdrawn by
  the student): consent makes a candidate findable, not reachable;
- analysts (association, authority) see aggregates only: never a name or contact data.
  Any field that reaches them anyway is masked.

Masked forms: phone ``138****5678``, e-mail ``z***@example.com``, name ``张*`` (the
family name kept), student number ``2023****01``.
"""

from __future__ import annotations

from dataclasses import dataclass

from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.privacy.classification import PersonalClass

ALL_CLASSES = frozenset(PersonalClass)
_STAFF = frozenset({PersonalClass.NAME, PersonalClass.IDENTIFIER, PersonalClass.FREE_TEXT})


@dataclass(frozen=True)
class ViewerFacts:
    """What is known about the viewer and this one record.

    ``is_owner``: the record is the viewer's own; ``same_college``: the viewer belongs
    to the record's college; ``reachable``: the person has an application (not withdrawn
    by them) to a posting of the viewer's organization, which includes an accepted
    invitation."""

    is_owner: bool = False
    same_college: bool = False
    reachable: bool = False


def facts_for(
    principal: Principal,
    *,
    profile_org_id: int | None,
    profile_user_id: int | None,
    reachable: bool = False,
) -> ViewerFacts:
    return ViewerFacts(
        is_owner=profile_user_id is not None and profile_user_id == principal.user_id,
        same_college=principal.organization_id is not None
        and principal.organization_id == profile_org_id,
        reachable=reachable,
    )


def visible_classes(principal: Principal, facts: ViewerFacts) -> frozenset[PersonalClass]:
    """The classes of a person's record the viewer may see unmasked (module docstring)."""
    role = principal.role
    if facts.is_owner or role is Role.PLATFORM_ADMIN:
        return ALL_CLASSES
    if role is Role.COLLEGE_ADMIN and facts.same_college:
        return _STAFF | {PersonalClass.CONTACT}
    if role is Role.TEACHER and facts.same_college:
        return _STAFF
    if role is Role.RECRUITER:
        if facts.reachable:
            return frozenset({PersonalClass.NAME, PersonalClass.FREE_TEXT,
                              PersonalClass.CONTACT, PersonalClass.IDENTIFIER})  # fmt: skip
        return frozenset({PersonalClass.NAME, PersonalClass.FREE_TEXT})
    return frozenset()  # analysts, and anyone of another organization


def may_see(principal: Principal, facts: ViewerFacts, personal_class: PersonalClass) -> bool:
    return personal_class in visible_classes(principal, facts)


# --- masked forms -----------------------------------------------------------------------


def mask_phone(phone: str | None) -> str | None:
    """``13812345678`` -> ``138****5678``; short numbers keep only their last two digits."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) >= 8:
        return digits[:3] + "****" + digits[-4:]
    return "*" * max(len(digits) - 2, 1) + digits[-2:]


def mask_email(email: str | None) -> str | None:
    """``zhang.wei@example.com`` -> ``z***@example.com``."""
    if not email:
        return email
    local, at, domain = email.strip().partition("@")
    if not at:
        return (local[:1] or "*") + "***"
    return f"{local[:1]}***@{domain}"


def mask_name(name: str | None) -> str | None:
    """``张伟`` -> ``张*``, ``欧阳明`` -> ``欧**``, ``Li Wei`` -> ``L*****``."""
    if not name:
        return name
    text = name.strip()
    return text[:1] + "*" * max(len(text) - 1, 1)


def mask_identifier(value: str | None) -> str | None:
    """``2023010001`` -> ``2023****01``."""
    if not value:
        return value
    if len(value) <= 4:
        return "*" * len(value)
    return value[:4] + "****" + value[-2:]


@dataclass(frozen=True)
class MaskedPerson:
    """A person's identifying fields as the viewer may see them."""

    name: str | None
    phone: str | None
    email: str | None
    student_no: str | None
    contact_hidden: bool
    name_hidden: bool


def mask_person(
    principal: Principal,
    facts: ViewerFacts,
    *,
    name: str | None,
    phone: str | None = None,
    email: str | None = None,
    student_no: str | None = None,
) -> MaskedPerson:
    """The fields with every class the viewer may not see masked."""
    classes = visible_classes(principal, facts)
    contact = PersonalClass.CONTACT in classes
    named = PersonalClass.NAME in classes
    return MaskedPerson(
        name=name if named else mask_name(name),
        phone=phone if contact else mask_phone(phone),
        email=email if contact else mask_email(email),
        student_no=student_no
        if PersonalClass.IDENTIFIER in classes
        else mask_identifier(student_no),
        contact_hidden=not contact,
        name_hidden=not named,
    )
