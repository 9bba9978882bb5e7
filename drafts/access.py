"""Who may read and who may change a speech.

Every view fetches its speech, part, item or comment through these helpers, so the
rules live in one place: a speech the user may not see is a 404 (never a 403 that would
confirm it exists); a speech they may see but not change is a 403 with the reason.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.shortcuts import get_object_or_404

from . import workflow
from .models import Agency, Comment, DeletedItem, Item, Membership, Part, Speech, Suggestion

DRAFTER_GROUP = "起草人员"
REVIEWER_GROUP = "审核领导"
GROUP_ROLES = {DRAFTER_GROUP: workflow.DRAFTER, REVIEWER_GROUP: workflow.REVIEWER}


class UserWithRolesBackend(ModelBackend):
    """Django's own backend, except that the user of every request comes with their
    agency and roles, which every page asks for, in the query that fetches the user.

    Written in SQL because it runs on every request: built with the ORM (select_related
    and two Exists annotations) the same query took 2.1 ms to compile and run, against
    0.2 ms as written here (SQLite, this project's benchmark machine).
    """

    def get_user(self, user_id):
        User = get_user_model()
        memberships = User.groups.through
        role_columns = ", ".join(
            f"EXISTS (SELECT 1 FROM {table(memberships)} ug JOIN {table(Group)} g"
            f" ON g.id = ug.group_id WHERE ug.user_id = u.id AND g.name = %s) AS in_{role}"
            for role in GROUP_ROLES.values()
        )
        quote = connection.ops.quote_name
        columns = ", ".join(f"u.{quote(field.column)}" for field in User._meta.concrete_fields)
        sql = (
            f"SELECT {columns}, m.agency_id AS membership_agency_id, {role_columns}"
            f" FROM {table(User)} u LEFT JOIN {table(Membership)} m ON m.user_id = u.id"
            " WHERE u.id = %s"
        )
        found = list(User._default_manager.raw(sql, [*GROUP_ROLES, user_id]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        user._speech_agency_id = user.membership_agency_id
        user._speech_roles = (
            set(GROUP_ROLES.values())
            if user.is_superuser
            else {role for role in GROUP_ROLES.values() if getattr(user, f"in_{role}")}
        )
        return user


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def roles_of(user) -> set[str]:
    """The review roles of ``user``: superusers have both. Cached on the user object."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_speech_roles"):
        if user.is_superuser:
            user._speech_roles = {workflow.DRAFTER, workflow.REVIEWER}
        else:
            names = user.groups.filter(name__in=GROUP_ROLES).values_list("name", flat=True)
            user._speech_roles = {GROUP_ROLES[name] for name in names}
    return user._speech_roles


def user_name(user) -> str:
    """How pages name ``user``: the full name, or the user name if none was given."""
    return user.get_full_name() or user.get_username()


def agency_id_of(user) -> int | None:
    """The id of the agency (机构) ``user`` belongs to, or None."""
    if hasattr(user, "_speech_agency_id"):
        return user._speech_agency_id
    try:
        return user.membership.agency_id
    except Membership.DoesNotExist:
        return None


def _agency_speeches(user):
    """The speeches of the agencies ``user`` sees, in the trash or not: their own agency's,
    if they have a role; every agency's for superusers; none without a role or an agency."""
    if not roles_of(user):
        return Speech.objects.none()
    if user.is_superuser:
        return Speech.objects.all()
    agency_id = agency_id_of(user)
    return Speech.objects.filter(agency_id=agency_id) if agency_id else Speech.objects.none()


def readable_speeches(user):
    """The speeches ``user`` may see: those of their agency not in the trash (回收站).

    :func:`may_read` is the same rule for one speech already fetched.
    """
    return _agency_speeches(user).alive()


def trashed_speeches(user):
    """The speeches in the trash that ``user`` sees there (the same agency rule)."""
    return _agency_speeches(user).in_trash()


def may_read(user, speech: Speech) -> bool:
    """Whether ``speech`` is among :func:`readable_speeches` of ``user``."""
    if not roles_of(user) or speech.deleted_at is not None:
        return False
    if user.is_superuser:
        return True
    agency_id = agency_id_of(user)
    return agency_id is not None and agency_id == speech.agency_id


def get_speech_for_reader(request, pk: int, *, structure: bool = False) -> Speech:
    queryset = readable_speeches(request.user)
    if structure:
        queryset = queryset.with_structure()
    return get_object_or_404(queryset, pk=pk)


def check_can_edit(user, speech: Speech) -> None:
    """403 with the reason unless ``user`` may change the text of ``speech`` now."""
    refusal = speech.edit_refusal()
    if refusal:
        raise PermissionDenied(refusal)
    if workflow.DRAFTER not in roles_of(user):
        raise PermissionDenied("只有起草人员可以修改讲话稿。")


def can_edit(user, speech: Speech) -> bool:
    try:
        check_can_edit(user, speech)
    except PermissionDenied:
        return False
    return True


def get_speech_for_editor(request, pk: int, *, structure: bool = False) -> Speech:
    speech = get_speech_for_reader(request, pk, structure=structure)
    check_can_edit(request.user, speech)
    return speech


def get_part_for_editor(request, pk: int) -> Part:
    part = get_object_or_404(
        Part.objects.select_related("speech").filter(speech__in=readable_speeches(request.user)),
        pk=pk,
    )
    check_can_edit(request.user, part.speech)
    return part


def get_item_for_editor(request, pk) -> Item:
    item = get_object_or_404(
        Item.objects.select_related("part__speech").filter(
            part__speech__in=readable_speeches(request.user)
        ),
        pk=pk,
    )
    check_can_edit(request.user, item.part.speech)
    return item


def check_can_comment(user, speech: Speech) -> None:
    """Everyone with a role comments, until the speech is approved (then it is read-only)."""
    if speech.status == Speech.Status.APPROVED:
        raise PermissionDenied("讲话稿已审定，不能再添加或处理批注。")


def get_comment_for_commenter(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("speech").filter(speech__in=readable_speeches(request.user)),
        pk=pk,
    )
    check_can_comment(request.user, comment.speech)
    return comment


def restore_refusal(user, speech: Speech, deleted_by_id: int) -> str:
    """Why ``user`` may not take something deleted by ``deleted_by_id`` (the speech, or
    one of its items) out of the trash; "" when they may: the drafter who deleted it,
    the speech's owner, or an administrator."""
    if workflow.DRAFTER not in roles_of(user):
        return "只有起草人员可以从回收站恢复。"
    if not (user.is_superuser or user.pk in (speech.owner_id, deleted_by_id)):
        return "只有删除人、讲话稿创建人或管理员可以恢复。"
    return ""


def get_trashed_speech_for_restorer(request, pk: int) -> Speech:
    speech = get_object_or_404(trashed_speeches(request.user), pk=pk)
    refusal = restore_refusal(request.user, speech, speech.deleted_by_id)
    if refusal:
        raise PermissionDenied(refusal)
    return speech


def get_deleted_item_for_restorer(request, item_id) -> DeletedItem:
    """The trash entry of item ``item_id`` (its id, not the entry's): it goes back only
    into a speech that may be edited now (a draft, or returned)."""
    entry = get_object_or_404(
        DeletedItem.objects.select_related("part__speech").filter(
            part__speech__in=readable_speeches(request.user)
        ),
        item_id=item_id,
    )
    refusal = item_restore_refusal(request.user, entry)
    if refusal:
        raise PermissionDenied(refusal)
    return entry


def item_restore_refusal(user, entry: DeletedItem) -> str:
    """Why ``user`` may not put ``entry`` back now ("" if they may)."""
    try:
        check_can_edit(user, entry.part.speech)
    except PermissionDenied as refusal:
        return str(refusal)
    return restore_refusal(user, entry.part.speech, entry.deleted_by_id)


# --- Suggestions (修改建议): who proposes, who decides


def suggest_refusal(user, speech: Speech) -> str:
    """Why ``user`` may not propose a change to ``speech`` now ("" if they may).

    Reviewers suggest, and drafters too where their agency lets them
    (``Agency.drafters_suggest``); nobody on an approved speech (the model refuses
    that as well). A submitted speech takes suggestions: that is when leaders read it.
    """
    if speech.status == Speech.Status.APPROVED:
        return "讲话稿已审定，不能再提出修改建议。如需修改，请审核领导重新打开。"
    roles = roles_of(user)
    if workflow.REVIEWER in roles:
        return ""
    if workflow.DRAFTER in roles:
        if Agency.objects.filter(pk=speech.agency_id, drafters_suggest=True).exists():
            return ""
        return "本单位未允许起草人员提出修改建议，请直接修改，或用批注提出意见。"
    return "只有审核领导可以提出修改建议。"


def decide_refusal(user, speech: Speech, *, accepting: bool) -> str:
    """Why ``user`` may not accept (``accepting``) or reject a suggestion on ``speech``
    now ("" if they may): the drafters decide; accepting writes the text, so the speech
    must be editable (``Speech.save_unit`` checks that again, under its lock)."""
    if workflow.DRAFTER not in roles_of(user):
        return "只有起草人员可以接受或拒绝修改建议。"
    if accepting:
        refusal = speech.edit_refusal()
        if refusal:
            return refusal.removesuffix("。") + "，退回或撤回提交后才能接受建议。"
    elif speech.status == Speech.Status.APPROVED:
        return "讲话稿已审定，不能再处理修改建议。"
    return ""


def step_refusal(user, suggestion: Suggestion, step: str) -> str:
    """Why ``user`` may not take ``step`` ("accept", "reject" or "withdraw") on
    ``suggestion`` now ("" if they may): the drafters decide (:func:`decide_refusal`);
    only its author withdraws it (``Suggestion.withdraw`` checks that again)."""
    if step != "withdraw":
        return decide_refusal(user, suggestion.speech, accepting=step == "accept")
    if suggestion.author_id is None or suggestion.author_id != user.pk:
        return "只有建议人本人可以撤回这条建议。"
    return ""


@dataclass(frozen=True)
class SuggestionRights:
    """What one user may do with the suggestions of one speech, as the pages show it.

    ``viewer`` is the user's id where the page shows their own suggestions' 撤回 (only
    for those who may suggest: the pages of the others are shared in the page cache).
    """

    suggest: bool
    accept: bool
    reject: bool
    reply: bool
    viewer: int | None

    @property
    def key(self) -> tuple:
        return (self.suggest, self.accept, self.reject, self.reply, self.viewer)


def suggestion_rights(user, speech: Speech) -> SuggestionRights:
    suggest = not suggest_refusal(user, speech)
    return SuggestionRights(
        suggest=suggest,
        accept=not decide_refusal(user, speech, accepting=True),
        reject=not decide_refusal(user, speech, accepting=False),
        reply=speech.status != Speech.Status.APPROVED,
        viewer=user.pk if suggest else None,
    )


def get_suggestion_for_reader(request, pk: int) -> Suggestion:
    """A suggestion of a speech ``request.user`` may read (404 otherwise)."""
    return get_object_or_404(
        Suggestion.objects.select_related("speech", "author").filter(
            speech__in=readable_speeches(request.user)
        ),
        pk=pk,
    )
