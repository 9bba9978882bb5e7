"""Stored state: a speech, its parts and their ordered items.

Numbering is never stored: an item has a position, and its label is generated
(``numbering.py``): it counts the items with text up to it, as Word does. Every editable
unit carries a ``version`` that each save raises, so a save made against an older version
can be told apart from a fresh one.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from . import (
    comparison,
    merging,
    passages,
    proofreading,
    speech_json,
    structure,
    suggestions,
    wording_csv,
    workflow,
)
from .budgets import Budgets, configured
from .numbering import heading_label, list_labels

# The largest id a row can have (every id column is a bigint, settings.DEFAULT_AUTO_FIELD):
# an id past it in a URL or a query string names nothing, and is refused before a query.
LARGEST_ID = 2**63 - 1


class Agency(models.Model):
    """An organisation (机构: a bureau, an office): its users see and touch only its own
    speeches. (Not a "unit": in this code a unit is one editable piece of a speech.)"""

    name = models.CharField("名称", max_length=100, unique=True)
    # Suggestions (修改建议) are the reviewers'; an office may let its drafters make them
    # too, on each other's parts.
    drafters_suggest = models.BooleanField(
        "起草人员可提修改建议",
        default=False,
        help_text="勾选后，起草人员也可以在建议模式下对讲话稿提出修改建议。",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "机构"
        verbose_name_plural = "机构"

    def __str__(self):
        return self.name


class Membership(models.Model):
    """Which agency a user belongs to; a user without one sees no speech."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", verbose_name="机构"
    )

    class Meta:
        verbose_name = "机构成员"
        verbose_name_plural = "机构成员"

    def __str__(self):
        return f"{self.user} · {self.agency}"


class EditableUnit(models.Model):
    """What every unit edited on its own carries: the version each save raises (so a
    stale save is told apart, see ``Speech.save_unit``) and who saved it last, when."""

    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="最后修改人",
    )
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    class Meta:
        abstract = True


class SpeechQuerySet(models.QuerySet):
    def alive(self):
        """The speeches not in the trash (回收站): what every page but the trash shows."""
        return self.filter(deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def get_stamped(self, pk: int):
        """The speech ``pk`` (or None) with only the columns that say who may read it
        and whether its pages changed: its version, status and time of change, and
        ``deleted_at`` (a speech in the trash is read by nobody), and
        ``change_stamp``: the latest change to its parts and items, their number, its
        comments, their latest change and resolving, its transitions, its suggestions, its
        ignored proofreading findings and the house wording list. These also catch
        changes that bypassed the views (the admin, a script).

        In SQL because the preview asks on every request: the ORM's query (the speech
        with seven Subquery annotations) cost 1.5 to 2 ms of CPU and, on PostgreSQL,
        2.6 ms in all; this one 0.7 ms in all.
        """
        table = {
            model: connection.ops.quote_name(model._meta.db_table)
            for model in (
                self.model,
                Part,
                Item,
                Comment,
                Transition,
                Suggestion,
                IgnoredFinding,
                WordingRule,
            )
        }
        speech_id = f"{table[self.model]}.id"

        def text(value: str) -> str:
            # NULL (no rows) as '', and text in both SQLite and PostgreSQL.
            return f"COALESCE(CAST({value} AS TEXT), '')"

        def figures(*values: str) -> str:
            return " || '|' || ".join(map(text, values))

        # One subquery a table: PostgreSQL plans each one anew on every request.
        per_table = [
            (table[Part], "speech_id", ["MAX(updated_at)"]),
            (
                f"{table[Item]} i JOIN {table[Part]} p ON p.id = i.part_id",
                "p.speech_id",
                ["MAX(i.updated_at)", "COUNT(*)"],
            ),
            (
                table[Comment],
                "speech_id",
                ["COUNT(*)", "COUNT(resolved_at)", "MAX(edited_at)", "MAX(resolved_at)"],
            ),
            (table[Transition], "speech_id", ["COUNT(*)"]),
            (table[Suggestion], "speech_id", ["COUNT(*)", "MAX(updated_at)"]),
            # 忽略 of a proofreading finding (its marks and counts on every page).
            (table[IgnoredFinding], "speech_id", ["COUNT(*)", "MAX(created_at)"]),
        ]
        stamp = " || '|' || ".join(
            f"(SELECT {figures(*values)} FROM {rows} WHERE {column} = {speech_id})"
            for rows, column, values in per_table
        )
        # The house wording list is every speech's: a rule changed in the admin changes
        # the findings the pages mark.
        wording = figures("COUNT(*)", "MAX(updated_at)")
        stamp += f" || '|' || (SELECT {wording} FROM {table[WordingRule]})"
        sql = (
            "SELECT id, agency_id, status, version, opening_version, closing_version,"
            " updated_at, deleted_at,"
            f" {stamp} AS change_stamp"
            f" FROM {table[self.model]} WHERE id = %s"
        )
        return next(iter(self.raw(sql, [pk])), None)

    def with_structure(self):
        """Prefetch what ``Speech.as_structure`` reads, in a fixed number of queries."""
        return self.prefetch_related(
            models.Prefetch("parts", queryset=Part.objects.order_by("position")),
            models.Prefetch("parts__items", queryset=Item.objects.order_by("kind", "position")),
        )


class Speech(EditableUnit):
    class Status(models.TextChoices):
        DRAFT = "draft", "起草中"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已审定"

    title = models.TextField("标题", blank=True, help_text="可分两行（回行），按回车换行。")
    occasion = models.CharField("会议名称", max_length=200, blank=True)
    organization = models.CharField("单位", max_length=100, blank=True)
    speaker = models.CharField("讲话人", max_length=100, blank=True)
    date = models.DateField("讲话日期", null=True, blank=True)
    salutation = models.CharField("称谓", max_length=50, blank=True, default="同志们：")
    opening = models.TextField("开场白", blank=True)
    closing = models.TextField("结束语", blank=True)
    pace = models.PositiveSmallIntegerField(
        "语速（字/分钟）",
        default=180,
        validators=[MinValueValidator(60), MaxValueValidator(400)],
    )
    # The meeting slot the speech must fit; the sidebar shows over or under at ``pace``.
    target_minutes = models.PositiveSmallIntegerField(
        "时长目标（分钟）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="会议安排的讲话时间，留空则不比较。",
    )
    status = models.CharField("状态", max_length=20, choices=Status, default=Status.DRAFT)

    # Three units are edited apart: the header (``version``, from EditableUnit), the
    # opening and the closing, so two drafters on the opening and the closing never collide.
    opening_version = models.PositiveIntegerField(default=1)
    closing_version = models.PositiveIntegerField(default=1)

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="speeches", verbose_name="机构"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Deleting a speech moves it to the trash (回收站): a soft delete, because a speech
    # holds many rows (parts, items, comments, revisions, its review) that must all come
    # back with it. Every page but the trash leaves it out (``alive``, access.py);
    # ``purge_trash`` deletes it for good after settings.TRASH_DAYS.
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="删除人",
    )

    objects = SpeechQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "讲话稿"
        verbose_name_plural = "讲话稿"

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        # The title's lines join without a space: Chinese needs none.
        return "".join(line.strip() for line in self.title.splitlines()) or "（未命名讲话稿）"

    # The speech's own texts edited one at a time, each with its version column.
    TEXT_VERSIONS = {"opening": "opening_version", "closing": "closing_version"}

    @staticmethod
    def touch(pk: int, user) -> None:
        """Record that ``user`` just changed something of the speech (a part, an item):
        the list's "last edit, who" covers the whole speech, not only its header."""
        Speech.objects.filter(pk=pk).update(updated_at=timezone.now(), updated_by=user)

    @property
    def page_stamp(self) -> tuple:
        """What says a page of the speech changed (a speech from ``get_stamped``): every
        version column too, for a text written by a script without ``updated_at``."""
        versions = (self.version, self.opening_version, self.closing_version)
        return (*versions, self.updated_at, self.status, self.change_stamp)

    @property
    def is_editable(self) -> bool:
        return workflow.is_editable(self.status)

    def edit_refusal(self) -> str | None:
        """Why nobody may change the text now (submitted, approved), or None."""
        if self.is_editable:
            return None
        return f"讲话稿当前为“{self.get_status_display()}”，不能修改。" + (
            "如需修改，请审核领导重新打开。" if self.status == self.Status.APPROVED else ""
        )

    def move_to_trash(self, user) -> None:
        """Put the speech in the trash, deleted by ``user``; nothing it holds is touched."""
        now = timezone.now()
        Speech.objects.filter(pk=self.pk, deleted_at__isnull=True).update(
            deleted_at=now, deleted_by=user
        )
        self.deleted_at, self.deleted_by = now, user

    def restore_from_trash(self) -> bool:
        """Take the speech out of the trash, as it was; False if it was not in it."""
        restored = Speech.objects.filter(pk=self.pk, deleted_at__isnull=False).update(
            deleted_at=None, deleted_by=None
        )
        self.deleted_at, self.deleted_by = None, None
        return bool(restored)

    @property
    def kept_until(self) -> datetime | None:
        return trash_kept_until(self.deleted_at) if self.deleted_at else None

    @transaction.atomic
    def take_action(
        self, name: str, user, roles: set[str], note: str, *, confirmed: bool = False
    ) -> "Transition":
        """Move the speech through the review cycle, recording who, when and why.

        Raises ``workflow.TransitionRefused`` when the action is not allowed, and for an
        approval while suggestions are open unless ``confirmed`` (the reviewer ticked
        that they approve without them: they stay open, for a later round). A
        submission, a return and an approval also snapshot the whole speech: the text
        returned is the one the reviewer's suggestions and comments were made on.
        """
        locked = Speech.objects.select_for_update().get(pk=self.pk)
        target = workflow.check_transition(name, locked.status, roles, note)
        if name == "approve" and not confirmed:
            waiting = Suggestion.objects.open().filter(speech=self).count()
            if waiting:
                raise workflow.TransitionRefused(
                    f"还有 {waiting} 条修改建议未处理。如确认不采纳这些建议直接审定，"
                    "请勾选“确认不处理未决建议”后再审定通过。"
                )
        transition = Transition.objects.create(
            speech=self,
            action=name,
            from_status=locked.status,
            to_status=target,
            actor=user,
            note=note.strip(),
        )
        Speech.objects.filter(pk=self.pk).update(status=target)
        self.status = target
        if name in ("submit", "return", "approve"):
            Snapshot.take(self, transition)
        return transition

    def unit_for(self, anchor: str):
        """The stored row behind a unit's stable address, with its version column and
        the fields the unit holds; None when the unit is gone (a deleted item)."""
        if anchor == "header":
            return self, "version", list(HEADER_FIELDS)
        if anchor in self.TEXT_VERSIONS:
            return self, self.TEXT_VERSIONS[anchor], [anchor]
        if anchor.startswith("item:"):
            try:
                item_id = uuid.UUID(anchor.removeprefix("item:"))
            except ValueError:
                return None
            item = Item.objects.filter(pk=item_id, part__speech=self).first()
            if item is None:
                return None
            return item, "version", item.text_fields()
        section, _, name = anchor.partition(".")
        kind = PART_SECTIONS.get(section)
        part = self.parts.filter(kind=kind).first() if kind else None
        if part is None or name not in part.text_fields():
            return None
        return part, "version", [name]

    @classmethod
    @transaction.atomic
    def save_unit(
        cls,
        pk: int,
        anchor: str,
        *,
        texts: dict,
        bases: dict,
        version: int | None,
        user,
        label: str,
        ip: str | None = None,
        action: str = "edit",
        budgets: Budgets | None = None,
        suggestion: "Suggestion | None" = None,
    ) -> "SaveResult":
        """The one way a unit's text is written: the editor, restoring a revision and
        (later) accepting a suggestion all come here.

        ``texts`` are the values to store (column → value); ``bases`` the values they
        were typed on, as the user's page had them. Each field is decided on its own
        (``merging.merge_field``): written, merged with a colleague's change to another
        passage, left as it is, or a conflict, which writes nothing for that field. A
        field without a base counts as typed on ``version``: unchanged since then when
        the unit still has that version, else unknown (a conflict if it differs).

        In one transaction, with the speech row locked (every write to a speech's text
        takes that lock first, so saves, list changes and review steps never interleave):
        the status check, the write with its version raised, the revision, the speech's
        "last edit" and the audit entry. Raises ``PermissionDenied`` when the speech may
        not be changed now, ``UnitGone`` when the unit was deleted, ``ValidationError``
        (in Chinese, with the figure) when a text would be longer than its column holds
        or the whole speech longer than ``budgets.speech_chars``: then nothing is written.

        ``suggestion``: the suggestion whose accepting this save is; the revision names
        it, as whose the text it writes is (``Revision.suggestion``).
        """
        speech = cls.objects.select_for_update().get(pk=pk)
        refusal = speech.edit_refusal()
        if refusal:
            raise PermissionDenied(refusal)
        located = speech.unit_for(anchor)
        if located is None:
            raise UnitGone(anchor)
        instance, version_field, names = located
        stored_version = getattr(instance, version_field)
        theirs_by, theirs_at = instance.updated_by, instance.updated_at
        budgets = budgets or configured()
        # The merges of this save share one deadline: the speech is locked meanwhile.
        until = merging.deadline(budgets)
        outcomes = {}
        for name, mine in texts.items():
            if name not in names:
                raise ValueError(f"{name} is not a field of {anchor}")
            theirs = getattr(instance, name)
            if name in bases:
                outcomes[name] = _merge_value(bases[name], theirs, mine, until)
            elif version == stored_version:
                outcomes[name] = _merge_value(theirs, theirs, mine, until)
            else:
                outcomes[name] = _unknown_base(theirs, mine)
        changes = {
            name: outcome.text
            for name, outcome in outcomes.items()
            if outcome.outcome in (merging.Outcome.WRITTEN, merging.Outcome.MERGED)
        }
        written = {name: value for name, value in changes.items() if isinstance(value, str)}
        _check_lengths(type(instance), written, budgets)
        growth = sum(len(value) - len(getattr(instance, name)) for name, value in written.items())
        if growth > 0:
            _check_speech_growth(pk, growth, budgets)
        now = timezone.now()
        if changes:
            type(instance).objects.filter(pk=instance.pk).update(
                **changes, **{version_field: F(version_field) + 1}, updated_by=user, updated_at=now
            )
            cls.objects.filter(pk=pk).update(updated_at=now, updated_by=user)
            before = {name: getattr(instance, name) for name in written}
            for name, value in changes.items():
                setattr(instance, name, value)
            # Passage comments keep pointing at their words (issue 14), within a merge's time.
            Comment.follow_edits(pk, anchor, before, written, merging.deadline(budgets))
            if isinstance(instance, Item):
                # Named as it is now: text written into an empty item gives it its number.
                label = instance.name
            Revision.objects.create(
                speech=speech,
                anchor=anchor,
                label=label,
                fields={name: getattr(instance, name) for name in names},
                author=user,
                suggestion=suggestion,
            )
            AuditEvent.write(action, user=user, ip=ip, speech_id=pk, detail=label)
        return SaveResult(
            fields={name: getattr(instance, name) for name in names},
            outcomes=outcomes,
            version=stored_version + (1 if changes else 0),
            saved_at=now if changes else None,
            theirs_by=theirs_by,
            theirs_at=theirs_at,
        )

    def unit_versions(self) -> dict[str, int]:
        """Every unit's current version by its stable address. Prefetch ``parts__items``."""
        versions = {"header": self.version, "opening": self.opening_version}
        versions["closing"] = self.closing_version
        for part in self.parts.all():
            versions.update({part.anchor(name): part.version for name in part.text_fields()})
            versions.update({item.anchor: item.version for item in part.items.all()})
        return versions

    def part(self, kind: str) -> "Part":
        """The part of this kind, from the prefetched parts when there are any."""
        return next(part for part in self.parts.all() if part.kind == kind)

    def as_structure(self) -> structure.Speech:
        """The speech as plain data. Prefetch ``parts__items`` to keep it to two queries."""
        one = self.part(Part.Kind.ACHIEVEMENTS)
        two = self.part(Part.Kind.SHORTCOMINGS)
        return structure.Speech(
            title=self.title,
            occasion=self.occasion,
            organization=self.organization,
            speaker=self.speaker,
            date=self.date,
            salutation=self.salutation,
            opening=self.opening,
            part_one=structure.PartOne(
                heading=one.heading,
                intro=one.intro,
                achievements=[i.as_lead_item() for i in one.items_of(Item.Kind.ACHIEVEMENT)],
                lessons_intro=one.lessons_intro,
                lessons=[i.as_inline_item() for i in one.items_of(Item.Kind.LESSON)],
            ),
            part_two=structure.PartTwo(
                heading=two.heading,
                shortcomings_intro=two.shortcomings_intro,
                shortcomings=[i.as_inline_item() for i in two.items_of(Item.Kind.SHORTCOMING)],
                transition=two.transition,
                measures=[i.as_lead_item() for i in two.items_of(Item.Kind.MEASURE)],
            ),
            closing=self.closing,
        )

    def item_names(self) -> dict[str, str]:
        """What every item of the speech is called now (成绩（二）, 措施一是, an empty one
        成绩（未填写，不编号）), by its unit key on the editing page, ``item-<uuid>``.

        A save that gives an empty item text (or empties one) renumbers its list, so the
        answer to a save carries these for the page to update. Prefetch with
        ``Speech.objects.with_structure()`` to keep it to the two queries of
        ``as_structure``.
        """
        names = structure.item_names_by_id(self.as_structure())
        return {f"item-{item_id}": name for item_id, name in names.items()}

    @classmethod
    @transaction.atomic
    def create_from_structure(
        cls,
        data: structure.Speech,
        owner,
        *,
        agency: Agency | None = None,
        keep_ids: bool = False,
    ) -> "Speech":
        """Store plain speech data as a new speech owned by ``owner``, in ``agency`` (by
        default the owner's). ``keep_ids`` keeps the items' stable ids, as a restore from
        a backup must (a copy must not: the ids are the original's).

        The data is stored as it is: a caller that takes it from a user (a copy, an
        import) checks it with ``importing.speech_errors`` first; a restore from a backup
        gives back what was stored, even from before the budgets."""
        agency = agency or Agency.objects.filter(members__user=owner).first()
        if agency is None:
            raise PermissionDenied("您的账号尚未分配机构，不能新建讲话稿。请联系管理员。")
        speech = cls.objects.create(
            agency=agency,
            title=data.title,
            occasion=data.occasion,
            organization=data.organization,
            speaker=data.speaker,
            date=data.date,
            salutation=data.salutation,
            opening=data.opening,
            closing=data.closing,
            owner=owner,
            updated_by=owner,
        )
        one, two = data.part_one, data.part_two
        part_one = Part.objects.create(
            speech=speech,
            position=1,
            kind=Part.Kind.ACHIEVEMENTS,
            heading=one.heading,
            intro=one.intro,
            lessons_intro=one.lessons_intro,
        )
        part_two = Part.objects.create(
            speech=speech,
            position=2,
            kind=Part.Kind.SHORTCOMINGS,
            heading=two.heading,
            shortcomings_intro=two.shortcomings_intro,
            transition=two.transition,
        )
        rows = [
            *_item_rows(part_one, Item.Kind.ACHIEVEMENT, one.achievements),
            *_item_rows(part_one, Item.Kind.LESSON, one.lessons),
            *_item_rows(part_two, Item.Kind.SHORTCOMING, two.shortcomings),
            *_item_rows(part_two, Item.Kind.MEASURE, two.measures),
        ]
        for row in rows:
            if not keep_ids or row["id"] is None:
                row["id"] = uuid.uuid4()
        items = [Item(updated_by=owner, **row) for row in rows]
        Item.objects.bulk_create(items)
        return speech


# The fields of the header unit, edited together.
HEADER_FIELDS = (
    "title",
    "occasion",
    "organization",
    "speaker",
    "date",
    "salutation",
    "pace",
    "target_minutes",
)


def text_limit(model: type[models.Model], name: str, budgets: Budgets | None = None) -> int:
    """The most characters the column ``model.name`` holds: its width for a column of
    fixed width (a part heading is varchar(200), which PostgreSQL enforces and SQLite
    does not), else the budget of its kind (settings.BUDGETS): a title, a comment or a
    review note, any other text.

    >>> text_limit(Part, "heading"), text_limit(Item, "body") == configured().field_chars
    (200, True)
    """
    field = model._meta.get_field(name)
    if field.max_length:
        return field.max_length
    budgets = budgets or configured()
    if (model, name) == (Speech, "title"):
        return budgets.title_chars
    if (model, name) in ((Comment, "text"), (Transition, "note")):
        return budgets.comment_chars
    return budgets.field_chars


# The texts of a speech, every one counted in ``speech_chars``.
SPEECH_TEXTS = ("title", "occasion", "organization", "speaker", "salutation", "opening", "closing")


def stored_chars(pk: int) -> int:
    """Characters of every text of the speech ``pk`` as stored now, in one query."""
    from django.db.models.functions import Coalesce, Length

    def total(model, names, speech: str):
        length = sum((Length(name) for name in names[1:]), Length(names[0]))
        rows = model.objects.filter(**{speech: models.OuterRef("pk")}).order_by()
        rows = rows.values(speech).annotate(n=models.Sum(length)).values("n")
        return Coalesce(models.Subquery(rows), 0)

    figures = Speech.objects.filter(pk=pk).values(
        in_speech=total(Speech, SPEECH_TEXTS, "pk"),
        in_parts=total(Part, Part.TEXT_FIELDS, "speech_id"),
        in_items=total(Item, ("lead", "body"), "part__speech_id"),
    )
    return sum(figures.first().values())


def _check_lengths(model, texts: dict[str, str], budgets: Budgets) -> None:
    """ValidationError for the first text longer than its column holds (``text_limit``)."""
    for name, text in texts.items():
        limit = text_limit(model, name, budgets)
        if len(text) > limit:
            label = model._meta.get_field(name).verbose_name
            raise ValidationError(
                f"{label}内容过长：最多 {limit} 字，现有 {len(text)} 字。请删减或分段后再保存。"
            )


def _check_speech_growth(pk: int, growth: int, budgets: Budgets) -> None:
    """ValidationError when ``growth`` more characters take the speech past
    ``speech_chars``. A speech over it already (a lower budget since) may still shrink."""
    after = stored_chars(pk) + growth
    if after > budgets.speech_chars:
        raise ValidationError(
            f"讲话稿全文超过上限：最多 {budgets.speech_chars} 字，保存后将有 {after} 字。"
            "请删减后再保存。"
        )


class UnitGone(Exception):
    """The unit a save was meant for is not there any more (an item deleted meanwhile)."""


@dataclass
class SaveResult:
    """What ``Speech.save_unit`` did: each field's outcome and the stored values after."""

    fields: dict  # every field of the unit as stored now
    outcomes: dict[str, merging.FieldMerge]
    version: int
    saved_at: datetime | None  # None when nothing was written
    theirs_by: object  # who saved the unit before this save, and when
    theirs_at: datetime | None

    def names(self, *outcomes: merging.Outcome) -> list[str]:
        return [name for name, merge in self.outcomes.items() if merge.outcome in outcomes]

    @property
    def conflicts(self) -> list[str]:
        return self.names(merging.Outcome.CONFLICT)

    @property
    def merged(self) -> list[str]:
        return self.names(merging.Outcome.MERGED)


def plain(value) -> str:
    """A stored or typed value as comparable text, line breaks as "\\n" whichever a
    browser sent ("\\r\\n" from a text box)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _unknown_base(theirs, mine) -> merging.FieldMerge:
    """No base, and the unit changed since the version the user loaded: only a value
    equal to the stored one is safe; any other is a conflict."""
    same = plain(mine) == plain(theirs)
    return merging.FieldMerge(
        merging.Outcome.UNCHANGED if same else merging.Outcome.CONFLICT, theirs
    )


def _merge_value(base, theirs, mine, until: float) -> merging.FieldMerge:
    """``merging.merge_field`` for a text; for a date or a number, the whole value."""
    if isinstance(theirs, str) and isinstance(mine, str):
        merge = merging.merge_field(plain(base), plain(theirs), plain(mine), until)
        if merge.outcome is merging.Outcome.UNCHANGED:
            return merging.FieldMerge(merge.outcome, theirs)
        return merge
    base, plain_theirs, plain_mine = plain(base), plain(theirs), plain(mine)
    if plain_mine in (plain_theirs, base):
        return merging.FieldMerge(merging.Outcome.UNCHANGED, theirs)
    if plain_theirs == base:
        return merging.FieldMerge(merging.Outcome.WRITTEN, mine)
    return merging.FieldMerge(merging.Outcome.CONFLICT, theirs)


def _item_rows(part, kind, items):
    """Rows for ``Item``: lessons and shortcomings keep their text in ``body``."""
    return [
        {
            "part": part,
            "kind": kind,
            "position": position,
            "id": item.id,
            "lead": getattr(item, "lead", ""),
            "body": item.body if isinstance(item, structure.LeadItem) else item.text,
        }
        for position, item in enumerate(items, start=1)
    ]


class Part(EditableUnit):
    """A numbered part of the speech (一、二、). Two-part speeches are the common case;
    ``position`` leaves room for a third."""

    class Kind(models.TextChoices):
        ACHIEVEMENTS = "achievements", "成绩与启示"
        SHORTCOMINGS = "shortcomings", "不足与措施"

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("类型", max_length=20, choices=Kind)
    heading = models.CharField("标题", max_length=200, blank=True)
    intro = models.TextField("引言", blank=True)
    lessons_intro = models.TextField("启示引语", blank=True)
    shortcomings_intro = models.TextField("不足引语", blank=True)
    transition = models.TextField("过渡语", blank=True)

    # What each kind of part holds, in reading order: its texts and its item lists.
    LAYOUT = {
        Kind.ACHIEVEMENTS: ("heading", "intro", "achievement", "lessons_intro", "lesson"),
        Kind.SHORTCOMINGS: (
            "heading",
            "shortcomings_intro",
            "shortcoming",
            "transition",
            "measure",
        ),
    }
    TEXT_FIELDS = ("heading", "intro", "lessons_intro", "shortcomings_intro", "transition")

    class Meta:
        ordering = ["speech", "position"]
        constraints = [
            models.UniqueConstraint(fields=["speech", "position"], name="part_position_unique")
        ]
        verbose_name = "部分"
        verbose_name_plural = "部分"

    def __str__(self):
        return f"{self.speech} · {self.get_kind_display()}"

    @property
    def number(self) -> str:
        return heading_label(self.position)

    @property
    def section(self) -> str:
        return SECTION_OF_KIND[self.kind]

    def anchor(self, name: str) -> str:
        """The stable address of one of this part's texts: ``part_one.heading``."""
        return f"{self.section}.{name}"

    def text_fields(self) -> list[str]:
        return [name for name in self.LAYOUT[self.kind] if name in self.TEXT_FIELDS]

    def item_kinds(self) -> list[str]:
        return [name for name in self.LAYOUT[self.kind] if name not in self.TEXT_FIELDS]

    def items_of(self, kind: str) -> list["Item"]:
        """This part's items of one kind, in order, from the prefetched items."""
        return sorted((i for i in self.items.all() if i.kind == kind), key=lambda i: i.position)


# Which part a section of the assembled speech is, and back.
SECTION_OF_KIND = {Part.Kind.ACHIEVEMENTS: "part_one", Part.Kind.SHORTCOMINGS: "part_two"}
PART_SECTIONS = {section: kind for kind, section in SECTION_OF_KIND.items()}


class Item(EditableUnit):
    """An ordered item of a part. Lessons and shortcomings use only ``body``."""

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", "成绩"
        LESSON = "lesson", "启示"
        SHORTCOMING = "shortcoming", "不足"
        MEASURE = "measure", "措施"

    # Kinds whose items open with a bold lead sentence in their own paragraph.
    LEAD_KINDS = (Kind.ACHIEVEMENT, Kind.MEASURE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("类型", max_length=20, choices=Kind)
    position = models.PositiveIntegerField("位置")
    lead = models.TextField("领句", blank=True)
    body = models.TextField("正文", blank=True)

    class Meta:
        ordering = ["part", "kind", "position"]
        indexes = [models.Index(fields=["part", "kind", "position"])]
        verbose_name = "条目"
        verbose_name_plural = "条目"

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}"

    @property
    def has_lead(self) -> bool:
        return self.kind in self.LEAD_KINDS

    def text_fields(self) -> list[str]:
        """The texts of this item a drafter edits: lessons and shortcomings only a body."""
        return ["lead", "body"] if self.has_lead else ["body"]

    @property
    def anchor(self) -> str:
        return f"item:{self.pk}"

    @property
    def has_text(self) -> bool:
        return self.as_item().has_text

    @property
    def label(self) -> str:
        """The generated number: （三） for an achievement, 三是 for the others, counting
        only the stored siblings with text (``numbering.list_numbers``); an empty item is
        （未填写，不编号）. Reads the siblings: prefetched ones when the part's items were
        prefetched, else one query (a page of many items uses :meth:`labels_of`)."""
        items = self.part.items_of(self.kind)
        if all(item.pk != self.pk for item in items):
            items = sorted([*items, self], key=lambda item: item.position)
        return next(
            label
            for item, label in zip(items, self.labels_of(items), strict=True)
            if item.pk == self.pk
        )

    @property
    def name(self) -> str:
        """What the item is called on every page: its kind and its label, 成绩（三）."""
        return structure.KIND_NAMES[self.kind] + self.label

    @staticmethod
    def labels_of(items: list["Item"]) -> list[str]:
        """The labels of one list of items (same part and kind, in order)."""
        kind = items[0].kind if items else Item.Kind.ACHIEVEMENT
        return list_labels(kind, [item.has_text for item in items])

    def as_item(self) -> structure.LeadItem | structure.InlineItem:
        return self.as_lead_item() if self.has_lead else self.as_inline_item()

    def as_lead_item(self) -> structure.LeadItem:
        return structure.LeadItem(lead=self.lead, body=self.body, id=str(self.id))

    def as_inline_item(self) -> structure.InlineItem:
        return structure.InlineItem(text=self.body, id=str(self.id))

    def siblings(self):
        return Item.objects.filter(part_id=self.part_id, kind=self.kind)

    @staticmethod
    def lock_list(part_id: int, kind: str) -> list[tuple[uuid.UUID, int]]:
        """Lock one list of items and read it: (id, position) of each, in order.

        Every change to the order of a list calls this first inside its transaction, so
        changes to one list run one after another, each from the positions the one before
        left (never from an instance loaded before the lock: positions read outside the
        transaction is how ten people at once made [2,3,3,3,4,6,7,8], issue 11). The lock
        is the speech's row, the one ``Speech.save_unit`` and the review steps take first
        too, so list changes, saves and a submission never interleave; held to the end of
        the transaction. SQLite ignores select_for_update, but settings.py opens every
        transaction with BEGIN IMMEDIATE: the database's write lock, taken before the
        first read, which the others wait for (the busy timeout).

        Raises PermissionDenied when the speech may not be changed now (submitted
        meanwhile), Speech.DoesNotExist when the part is gone.
        """
        speech = Speech.objects.select_for_update(of=("self",)).only("status").get(parts=part_id)
        refusal = speech.edit_refusal()
        if refusal:
            raise PermissionDenied(refusal)
        rows = Item.objects.filter(part_id=part_id, kind=kind).order_by("position", "pk")
        return list(rows.values_list("pk", "position"))

    def _index_in(self, rows: list[tuple[uuid.UUID, int]]) -> int:
        """Where this item is in a list read by ``lock_list``: Item.DoesNotExist if gone."""
        for index, (pk, _) in enumerate(rows):
            if pk == self.pk:
                return index
        raise Item.DoesNotExist("The item was deleted meanwhile.")

    @transaction.atomic
    def move(self, offset: int) -> bool:
        """Move one place up (-1) or down (+1). Returns False at either end.

        Raises Item.DoesNotExist when the item was deleted meanwhile.
        """
        rows = Item.lock_list(self.part_id, self.kind)
        index = self._index_in(rows)
        if not 0 <= index + offset < len(rows):
            self.position = index + 1
            return False
        self._reorder(rows, index, index + offset)
        return True

    @transaction.atomic
    def move_to(self, position: int) -> None:
        """Move to ``position`` (1-based, clamped), shifting the items in between.

        Raises Item.DoesNotExist when the item was deleted meanwhile.
        """
        rows = Item.lock_list(self.part_id, self.kind)
        self._reorder(rows, self._index_in(rows), max(0, min(position, len(rows)) - 1))

    def _reorder(self, rows, index: int, target: int) -> None:
        order = [pk for pk, _ in rows]
        order.insert(target, order.pop(index))
        _store_order(rows, order)
        self.position = target + 1

    @transaction.atomic
    def remove(self, user) -> "DeletedItem":
        """Move the item to the trash and close the gap, so the numbering stays
        continuous; ``DeletedItem.keep`` says what is kept and what happens to its
        comments. Returns the trash entry, from which ``restore`` puts it back.
        Raises Item.DoesNotExist when it was deleted meanwhile; then nothing changes."""
        rows = Item.lock_list(self.part_id, self.kind)
        self.position = self._index_in(rows) + 1
        entry = DeletedItem.keep(self, user)
        pk = self.pk
        self.delete()
        _store_order(rows, [other for other, _ in rows if other != pk])
        return entry

    @classmethod
    @transaction.atomic
    def insert(
        cls,
        part: Part,
        kind: str,
        after: "Item | None",
        user,
        *,
        budgets: Budgets | None = None,
        **fields,
    ) -> "Item":
        """A new empty item right after ``after``, or at the end when ``after`` is None;
        ``fields`` (id, lead, body, version) fill it, as a restore from the trash does.

        ``after`` must be an item of the same list (part and kind), else ValidationError;
        ValidationError too when the list holds ``budgets.items_per_list`` items already,
        or the texts of ``fields`` are longer than their columns or than the room left in
        the speech (``speech_chars``): checked under the list's lock, so ten people adding
        at once never take a list past its budget. Item.DoesNotExist when ``after`` was
        deleted meanwhile.
        """
        if after is not None and (after.part_id, after.kind) != (part.pk, kind):
            raise ValidationError("只能在同一列表的条目之后插入，所选条目不在这个列表中。")
        budgets = budgets or configured()
        rows = cls.lock_list(part.pk, kind)
        if len(rows) >= budgets.items_per_list:
            raise ValidationError(list_full(kind, len(rows), budgets))
        texts = {name: fields[name] for name in ("lead", "body") if fields.get(name)}
        _check_lengths(cls, texts, budgets)
        if texts:
            _check_speech_growth(part.speech_id, sum(map(len, texts.values())), budgets)
        index = len(rows) if after is None else after._index_in(rows) + 1
        item = cls.objects.create(
            part=part, kind=kind, position=index + 1, updated_by=user, **fields
        )
        order = [pk for pk, _ in rows]
        order.insert(index, item.pk)
        _store_order([*rows, (item.pk, item.position)], order)
        return item


def list_full(kind: str, count: int, budgets: Budgets) -> str:
    """The refusal of one more item in a list of ``count``.

    >>> list_full("lesson", 50, configured())
    '启示已有 50 条，达到每个列表的上限（最多 50 条），不能再添加。请先删去或合并几条。'
    """
    return (
        f"{Item.Kind(kind).label}已有 {count} 条，达到每个列表的上限"
        f"（最多 {budgets.items_per_list} 条），不能再添加。请先删去或合并几条。"
    )


def _store_order(rows: list[tuple[uuid.UUID, int]], order: list[uuid.UUID]) -> None:
    """Give the items of ``order`` the positions 1..n, in one query; ``rows`` (id and
    stored position, from ``Item.lock_list``) spare writing those already in place."""
    stored = dict(rows)
    moved = [Item(pk=pk, position=n) for n, pk in enumerate(order, start=1) if stored.get(pk) != n]
    Item.objects.bulk_update(moved, ["position"])


def trash_kept_until(deleted_at: datetime) -> datetime:
    """When an entry deleted at ``deleted_at`` may be purged (settings.TRASH_DAYS on)."""
    return deleted_at + timedelta(days=settings.TRASH_DAYS)


class DeletedItem(models.Model):
    """An item in the trash (回收站): what ``restore`` needs to put it back where it was.

    The item row itself is deleted, so no page, export or count has to leave it out; it
    comes back under its own id, and its comments and revisions, anchored to the
    speech by ``item:<uuid>`` rather than tied to the row, are its own again.
    """

    item_id = models.UUIDField("条目编号", unique=True)
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="deleted_items")
    kind = models.CharField("类型", max_length=20, choices=Item.Kind)
    position = models.PositiveIntegerField("原位置")
    # Its name when it was deleted (成绩（二）): by the numbering rule that counts the
    # items with text, which cannot be worked out again once the list has changed.
    name = models.CharField("名称", max_length=100, blank=True)
    lead = models.TextField("领句", blank=True)
    body = models.TextField("正文", blank=True)
    version = models.PositiveIntegerField(default=1)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="删除人"
    )
    deleted_at = models.DateTimeField("删除时间", default=timezone.now, db_index=True)
    # The comments the delete resolved: the restore re-opens exactly these, and not
    # those that were resolved already.
    resolved_comments = models.ManyToManyField(
        "Comment", blank=True, related_name="+", verbose_name="随删除解决的批注"
    )

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = "已删除的条目"
        verbose_name_plural = "回收站中的条目"

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """What the item was called when it was deleted: 成绩（二）; for an entry kept
        before names were, its kind and old place: 成绩（原第2条）."""
        return self.name or f"{self.get_kind_display()}（原第{self.position}条）"

    @property
    def text(self) -> str:
        return "".join(part for part in (self.lead, self.body) if part)

    @property
    def anchor(self) -> str:
        return f"item:{self.item_id}"

    @property
    def kept_until(self) -> datetime:
        return trash_kept_until(self.deleted_at)

    @classmethod
    def keep(cls, item: Item, user) -> "DeletedItem":
        """Keep ``item``, about to be deleted by ``user``, in the trash.

        Its open comments are resolved by ``user``: with the item gone there is nowhere
        to show them or to resolve them later (and a comment asking to cut it is done).
        The entry remembers which, for ``restore``. Raises ``Item.DoesNotExist`` when
        another request deleted the item first (its row is locked until then), so one
        item never has two entries.
        """
        if not Item.objects.select_for_update().filter(pk=item.pk).exists():
            raise Item.DoesNotExist("该条目已被删除。")
        comments = Comment.objects.open().filter(speech_id=item.part.speech_id, anchor=item.anchor)
        resolved = list(comments.values_list("pk", flat=True))
        Comment.objects.filter(pk__in=resolved).update(resolved_at=timezone.now(), resolved_by=user)
        entry = cls.objects.create(
            item_id=item.pk,
            part_id=item.part_id,
            kind=item.kind,
            position=item.position,
            name=item.name,
            lead=item.lead,
            body=item.body,
            version=item.version,
            deleted_by=user,
        )
        entry.resolved_comments.set(resolved)
        return entry

    @transaction.atomic
    def restore(self, user, budgets: Budgets | None = None) -> Item:
        """Put the item back into its list at its old place (the end, if the list is now
        shorter), with its id, text and version, and re-open the comments its delete
        resolved. Raises ``DeletedItem.DoesNotExist`` if another request restored it,
        ``ValidationError`` when its list is full or the speech has no room for its text
        (``Item.insert``); then it stays in the trash."""
        entry = DeletedItem.objects.select_for_update().get(pk=self.pk)
        fields = {"id": entry.item_id, "lead": entry.lead, "body": entry.body}
        item = Item.insert(
            entry.part, entry.kind, None, user, budgets=budgets, version=entry.version, **fields
        )
        item.move_to(entry.position)
        Comment.objects.filter(
            pk__in=entry.resolved_comments.values("pk"), resolved_at__isnull=False
        ).update(resolved_at=None, resolved_by=None)
        entry.delete()
        return item


class Transition(models.Model):
    """One step of the review cycle: who moved the speech from which state, and why."""

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, choices=Speech.Status)
    to_status = models.CharField("新状态", max_length=20, choices=Speech.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"

    def __str__(self):
        return f"{self.speech} · {self.get_to_status_display()}"

    @property
    def label(self) -> str:
        return workflow.ACTIONS[self.action].label


class Snapshot(models.Model):
    """The whole speech as it stood at a submission, a return or an approval.

    ``document`` is the speech in the ``speechdraft/1`` form and ``item_ids`` its items'
    ids (lists by kind, as in a backup), so the version can be compared, previewed and
    exported again. Rows from before documents keep only ``units``, the compare page's
    units, and are read from those (they cannot be exported).
    """

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="snapshots")
    transition = models.OneToOneField(
        Transition, on_delete=models.CASCADE, related_name="snapshot", null=True, blank=True
    )
    document = models.JSONField("讲话稿", null=True, blank=True)
    item_ids = models.JSONField("条目编号", null=True, blank=True)
    units = models.JSONField("内容（旧版本）", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "版本快照"
        verbose_name_plural = "版本快照"

    def __str__(self):
        return f"{self.speech} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def has_document(self) -> bool:
        return self.document is not None

    def as_structure(self) -> structure.Speech:
        """The version as a speech, its items with their ids; only for rows with a document."""
        speech = speech_json.from_document(self.document)
        lists = item_lists(speech)
        for kind, ids in (self.item_ids or {}).items():
            for item, item_id in zip(lists.get(kind, ()), ids, strict=False):
                item.id = item_id
        return speech

    def text_units(self) -> list[comparison.TextUnit]:
        if self.document is None:
            return [comparison.TextUnit(**unit) for unit in self.units or ()]
        return comparison.speech_units(self.as_structure())

    @classmethod
    def take(cls, speech: Speech, transition: Transition | None = None) -> "Snapshot":
        data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
        return cls.objects.create(
            speech=speech,
            transition=transition,
            document=speech_json.to_document(data),
            item_ids={
                kind: [item.id for item in items] for kind, items in item_lists(data).items()
            },
        )


def item_lists(speech: structure.Speech) -> dict[str, list]:
    """The speech's four item lists by name (the keys of a backup's ``item_ids``)."""
    one, two = speech.part_one, speech.part_two
    return {
        "achievements": one.achievements,
        "lessons": one.lessons,
        "shortcomings": two.shortcomings,
        "measures": two.measures,
    }


class Revision(models.Model):
    """One save of one unit: who, when and the texts it saved, and, for a suggestion
    accepted, the suggestion: its author wrote what the save changed (a redline names
    them, not who accepted it, ``review_export.saves_since``)."""

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="revisions")
    anchor = models.CharField("位置", max_length=64, db_index=True)
    label = models.CharField("名称", max_length=100)
    fields = models.JSONField("内容", encoder=DjangoJSONEncoder)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    suggestion = models.ForeignKey(
        "Suggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="采纳的修改建议",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"

    def __str__(self):
        return f"{self.label} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        return "\n".join(str(value) for value in self.fields.values() if value not in (None, ""))


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Suggestion.Status.OPEN)

    def open_threads(self, speech):
        """The speech's open suggestions, oldest first (as a 修订稿 writes them), with
        their authors and replies: three queries."""
        return (
            self.open()
            .filter(speech=speech)
            .select_related("author")
            .prefetch_related("replies__author")
            .order_by("created_at", "pk")
        )


class SuggestionRefused(Exception):
    """A suggestion may not be made, accepted or rejected now; the message is for users."""


class Suggestion(models.Model):
    """A proposed text for one field (修改建议), made by a reviewer in 建议模式 or read from
    a Word file's 修订; the drafter accepts or rejects it.

    It keeps the text its author saw (``base``) next to the one proposed, so it can be
    re-based onto the field as it is now (``suggestions.rebase``): accepting goes
    through ``Speech.save_unit`` with that base, the same three-way merge a save makes,
    and one that touches a passage changed since is 已过期 and writes nothing. Accepted,
    rejected and withdrawn ones stay, as the speech's history.
    """

    class Status(models.TextChoices):
        OPEN = suggestions.OPEN, suggestions.STATE_LABELS[suggestions.OPEN]
        ACCEPTED = suggestions.ACCEPTED, suggestions.STATE_LABELS[suggestions.ACCEPTED]
        REJECTED = suggestions.REJECTED, suggestions.STATE_LABELS[suggestions.REJECTED]
        WITHDRAWN = suggestions.WITHDRAWN, suggestions.STATE_LABELS[suggestions.WITHDRAWN]

    class Source(models.TextChoices):
        BROWSER = "browser", "建议模式"
        WORD = "word", "Word 修订"

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="suggestions")
    # The unit's stable address (as comments and revisions have it) and its column.
    anchor = models.CharField("位置", max_length=64)
    field = models.CharField("字段", max_length=32)
    # Where it is in the speech's words when it was made: 第一部分 成绩（二） 领句.
    label = models.CharField("名称", max_length=100)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="建议人",
    )
    # Who made it as a Word file names them, when no user has that name.
    author_name = models.CharField("建议人（文件中的名字）", max_length=150, blank=True)
    base = models.TextField("原文", blank=True)
    proposed = models.TextField("建议文字", blank=True)
    reason = models.TextField("理由", blank=True)
    source = models.CharField("来源", max_length=10, choices=Source, default=Source.BROWSER)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField("时间", default=timezone.now)
    # Raised by every change to it and to its replies: the preview's cache key reads it.
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["speech", "status"])]
        verbose_name = "修改建议"
        verbose_name_plural = "修改建议"

    def __str__(self):
        return f"{self.label} · {self.author_label}"

    @property
    def author_label(self) -> str:
        if self.author is None:
            return self.author_name or "（未署名）"
        return self.author.get_full_name() or self.author.get_username()

    @property
    def author_key(self) -> str:
        """Whose it is, for 全部接受 by one person: a user, or a name from a Word file."""
        return f"user:{self.author_id}" if self.author_id else f"name:{self.author_name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def rebased(self, current: str) -> suggestions.Rebased:
        return suggestions.rebase(plain(self.base), plain(current), plain(self.proposed))

    @classmethod
    @transaction.atomic
    def propose(
        cls,
        speech_pk: int,
        anchor: str,
        field: str,
        *,
        base: str,
        proposed: str,
        user,
        reason: str = "",
        author_name: str = "",
        source: str = Source.BROWSER,
        ip: str | None = None,
        budgets: Budgets | None = None,
        label: str = "",
    ) -> "Suggestion":
        """Record that ``user`` (or, from a Word file, ``author_name``) proposes
        ``proposed`` for one field, seen as ``base``: the text their page or file had,
        never the one stored now. Their open suggestion on the same field, if any, is
        replaced: one person has one proposal for a field at a time. ``label``: what the
        field is called now, when the caller knows it (an import of many reads the
        speech's labels once; ``field_label`` reads the whole speech).

        Raises ``SuggestionRefused`` when the speech is approved or the proposal says
        nothing new, ``ValidationError`` when a text is too long, ``UnitGone`` when the
        unit was deleted meanwhile.
        """
        speech = Speech.objects.select_for_update().get(pk=speech_pk)
        if speech.status == Speech.Status.APPROVED:
            raise SuggestionRefused(
                "讲话稿已审定，不能再提出修改建议。如需修改，请审核领导重新打开。"
            )
        located = speech.unit_for(anchor)
        if located is None:
            raise UnitGone(anchor)
        instance, _, names = located
        if field not in names or not isinstance(getattr(instance, field), str):
            raise ValueError(f"{field} is not a text of {anchor}")
        budgets = budgets or configured()
        base, proposed, reason = plain(base), plain(proposed), plain(reason).strip()
        limit = text_limit(type(instance), field, budgets)
        error = suggestions.proposal_error(base, proposed, limit)
        if error:
            raise SuggestionRefused(error)
        _check_lengths(Comment, {"text": reason}, budgets)
        label = label[:100] or field_label(speech, anchor, field)
        mine = cls.objects.open().filter(speech=speech, anchor=anchor, field=field)
        mine = (
            mine.filter(author=user)
            if user is not None
            else mine.filter(author=None, author_name=author_name)
        )
        values = {
            "base": base,
            "proposed": proposed,
            "reason": reason,
            "label": label,
            "source": source,
            "created_at": timezone.now(),
        }
        suggestion = mine.first()
        if suggestion is None:
            suggestion = cls.objects.create(
                speech=speech,
                anchor=anchor,
                field=field,
                author=user,
                author_name="" if user is not None else author_name[:150],
                **values,
            )
        else:
            for name, value in values.items():
                setattr(suggestion, name, value)
            suggestion.save()
        AuditEvent.write(
            AuditEvent.Action.SUGGEST, user=user, ip=ip, speech_id=speech_pk, detail=label
        )
        return suggestion

    @transaction.atomic
    def accept(self, user, *, ip: str | None = None, budgets: Budgets | None = None) -> SaveResult:
        """Write the proposal into its field through ``Speech.save_unit``, re-based onto
        the text as it is now, and mark it accepted by ``user``.

        Raises ``SuggestionRefused`` when it was decided meanwhile or is stale (the field
        changed in the passage it touches: nothing is written), and what ``save_unit``
        raises (``PermissionDenied`` while the speech is locked, ``UnitGone``).
        """
        Speech.objects.select_for_update().only("pk").get(pk=self.speech_id)
        locked = self._open_for_decision()
        # The save's revision names the suggestion: what it changes is its author's
        # words. Re-based onto a colleague's change to another passage it still is: the
        # merge adds their edits alone to the text as it is (``merging.three_way``).
        result = Speech.save_unit(
            self.speech_id,
            locked.anchor,
            texts={locked.field: locked.proposed},
            bases={locked.field: locked.base},
            version=None,
            user=user,
            label=locked.label,
            ip=ip,
            action=AuditEvent.Action.SUGGESTION_ACCEPT,
            budgets=budgets,
            suggestion=locked,
        )
        if locked.field in result.conflicts:
            raise SuggestionRefused(
                f"{locked.label}的这条建议已过期：建议所依据的文字已被修改，无法自动合并。"
                "请对照两处文字手动修改后拒绝该建议。"
            )
        locked._decide(self.Status.ACCEPTED, user)
        self.status = locked.status
        return result

    @transaction.atomic
    def reject(self, user, *, ip: str | None = None) -> None:
        """Mark it rejected by ``user``; the text is not touched."""
        Speech.objects.select_for_update().only("pk").get(pk=self.speech_id)
        locked = self._open_for_decision()
        locked._decide(self.Status.REJECTED, user)
        self.status = locked.status
        AuditEvent.write(
            AuditEvent.Action.SUGGESTION_REJECT,
            user=user,
            ip=ip,
            speech_id=self.speech_id,
            detail=self.label,
        )

    @transaction.atomic
    def withdraw(self, user) -> None:
        """Its author takes it back."""
        locked = self._open_for_decision()
        if locked.author_id is None or locked.author_id != user.pk:
            raise SuggestionRefused("只有建议人本人可以撤回这条建议。")
        locked._decide(self.Status.WITHDRAWN, user)
        self.status = locked.status

    @classmethod
    def accept_all(
        cls, speech_pk: int, author_key: str, user, *, ip: str | None = None
    ) -> tuple[list["Suggestion"], list[tuple["Suggestion", str]]]:
        """Accept every open suggestion of one person (``author_key``), oldest first,
        each on its own: a stale one stays open. Returns the accepted ones and the
        others with the reason each was not."""
        accepted, refused = [], []
        for suggestion in cls.objects.open().filter(speech_id=speech_pk).select_related("author"):
            if suggestion.author_key != author_key:
                continue
            try:
                suggestion.accept(user, ip=ip)
            except (SuggestionRefused, UnitGone, ValidationError) as refusal:
                if isinstance(refusal, UnitGone):
                    message = f"{suggestion.label}已被删除。"
                elif isinstance(refusal, ValidationError):
                    message = refusal.messages[0]
                else:
                    message = str(refusal)
                refused.append((suggestion, message))
            else:
                accepted.append(suggestion)
        return accepted, refused

    def _open_for_decision(self) -> "Suggestion":
        locked = Suggestion.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.OPEN:
            raise SuggestionRefused(f"这条建议已{locked.get_status_display().removeprefix('已')}。")
        return locked

    def _decide(self, status: str, user) -> None:
        self.status, self.decided_by, self.decided_at = status, user, timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


class SuggestionReply(models.Model):
    """An answer to a suggestion, as a reply to a comment is."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="回复人"
    )
    text = models.TextField("回复")
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "建议的回复"
        verbose_name_plural = "建议的回复"

    def __str__(self):
        return self.text[:30]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The suggestion's thread changed: its pages too.
        Suggestion.objects.filter(pk=self.suggestion_id).update(updated_at=timezone.now())


def field_label(speech: Speech, anchor: str, field: str) -> str:
    """What a field is called in the speech now (第一部分 成绩（二） 领句, 开场白), from the
    speech's structure; the anchor itself when it names nothing."""
    data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    name = "text" if field == "body" and anchor.startswith("item:") else field
    for text_field in structure.text_fields(data):
        if text_field.anchor == anchor and text_field.name in (field, name):
            return text_field.label[:100]
    return anchor[:100]


class CommentQuerySet(models.QuerySet):
    def threads_by_anchor(self) -> dict[str, list["Comment"]]:
        """Top-level comments grouped by anchor, each with ``thread_replies`` attached;
        two queries whatever the number of comments."""
        comments = list(self.select_related("author", "resolved_by").order_by("created_at", "pk"))
        replies: dict[int, list[Comment]] = {}
        for comment in comments:
            if comment.parent_id:
                replies.setdefault(comment.parent_id, []).append(comment)
        threads: dict[str, list[Comment]] = {}
        for comment in comments:
            if comment.parent_id is None:
                comment.thread_replies = replies.get(comment.pk, [])
                threads.setdefault(comment.anchor, []).append(comment)
        return threads

    def open(self):
        return self.filter(parent__isnull=True, resolved_at__isnull=True)


class Comment(models.Model):
    """A comment (批注) on one unit of the speech, anchored to the unit's stable address,
    and maybe to a passage of one of its fields (批注所选文字, issue 14)."""

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="comments")
    anchor = models.CharField("位置", max_length=64)
    # The passage: ``quote``, the words, start at character ``start`` of the unit's
    # column ``field`` (body, lead, opening, heading…). Every save of the field moves it
    # with its words (``follow_edits``, passages.py); when they are gone the comment
    # stays on the field: ``start`` None, ``passage_lost`` set, ``quote`` the words it
    # pointed at. No field: the whole unit, as every comment before passages.
    field = models.CharField("批注字段", max_length=40, blank=True)
    quote = models.TextField("所选文字", blank=True)
    start = models.PositiveIntegerField("所选文字位置", null=True, blank=True)
    passage_lost = models.BooleanField("所选文字已删改", default=False)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="replies", null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="批注人"
    )
    text = models.TextField("批注")
    created_at = models.DateTimeField("时间", default=timezone.now)
    # Changes when the comment is saved (its text edited in the admin, say): the
    # preview's cache key reads it (SpeechQuerySet.get_stamped).
    edited_at = models.DateTimeField("修改时间", auto_now=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="解决人",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["speech", "anchor"])]
        verbose_name = "批注"
        verbose_name_plural = "批注"

    def __str__(self):
        return self.text[:30]

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None

    @property
    def passage(self) -> tuple[str, int, int] | None:
        """(field, start, end) of the words the comment points at, offsets in the
        field's text as stored (what the Word export puts its comment on); None for a
        comment on the whole unit, or whose words are gone."""
        if not self.field or self.start is None or not self.quote:
            return None
        return self.field, self.start, self.start + len(self.quote)

    @property
    def passage_note(self) -> str:
        """What a comment whose words are gone says in their place, else ""."""
        if not self.passage_lost:
            return ""
        return f"原批注的文字已被删改：「{self.quote}」"

    def find_words_again(self) -> None:
        """A comment on a passage reopened: its words as its field holds them now (the
        edits made while it was resolved did not move it, ``follow_edits`` moves open
        ones), or lost when they are gone. Under the speech's lock, as every text write."""
        if self.passage is None:
            return
        with transaction.atomic():
            speech = Speech.objects.select_for_update().get(pk=self.speech_id)
            located = speech.unit_for(self.anchor)
            text = getattr(located[0], self.field, None) if located else None
            was = passages.Passage(self.start, self.quote)
            found = passages.follow(text, text, was) if isinstance(text, str) else None
            if found == was:
                return
            if found is None:
                self.start, self.passage_lost = None, True
            else:
                self.start, self.quote = found.start, found.quote
            self.save(update_fields=["start", "quote", "passage_lost", "edited_at"])

    @classmethod
    def follow_edits(
        cls, speech_id: int, anchor: str, before: dict, after: dict, until: float
    ) -> int:
        """Move the open passage comments of the unit ``anchor`` with their words, after
        a save changed its fields from ``before`` to ``after`` (column → text), in one
        query and one bulk update, within ``until`` (``time.time()``: a passage that did
        not simply move with the text is lost past it); returns how many changed.
        Called by ``Speech.save_unit`` inside its transaction."""
        changed = [name for name, text in after.items() if before.get(name) != text]
        if not changed:
            return 0
        comments = cls.objects.open().filter(
            speech_id=speech_id, anchor=anchor, field__in=changed, start__isnull=False
        )
        by_field: dict[str, list[Comment]] = {}
        for comment in comments:
            by_field.setdefault(comment.field, []).append(comment)
        now, moved = timezone.now(), []
        for name, group in by_field.items():
            were = [passages.Passage(comment.start, comment.quote) for comment in group]
            followed = passages.follow_all(before[name], after[name], were, until)
            for comment, was, now_at in zip(group, were, followed, strict=True):
                if now_at == was:
                    continue
                if now_at is None:
                    comment.start, comment.passage_lost = None, True
                else:
                    comment.start, comment.quote = now_at.start, now_at.quote
                comment.edited_at = now
                moved.append(comment)
        cls.objects.bulk_update(moved, ["start", "quote", "passage_lost", "edited_at"])
        return len(moved)


class AuditEvent(models.Model):
    """One row of the audit log (等级保护: who did what, when, from where).

    Rows are only ever added: the app never edits or deletes them.
    """

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        CREATE = "create", "新建"
        EDIT = "edit", "修改"
        DELETE = "delete", "删除"
        IMPORT = "import", "导入"
        EXPORT = "export", "导出下载"
        SUBMIT = "submit", "提交审核"
        RETURN = "return", "退回"
        APPROVE = "approve", "审定"
        REOPEN = "reopen", "重新打开"
        WITHDRAW = "withdraw", "撤回提交"
        RESTORE = "restore", "恢复历史版本"
        COMMENT = "comment", "批注"
        TRASH_RESTORE = "trash_restore", "从回收站恢复"
        PURGE = "purge", "清除回收站"
        SUGGEST = "suggest", "提出修改建议"
        SUGGESTION_ACCEPT = "suggestion_accept", "接受修改建议"
        SUGGESTION_REJECT = "suggestion_reject", "拒绝修改建议"

    action = models.CharField("操作", max_length=20, choices=Action, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用户",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    speech_id = models.IntegerField("讲话稿编号", null=True, blank=True, db_index=True)
    detail = models.CharField("详情", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    @classmethod
    def write(
        cls, action: str, *, user, ip: str | None, speech_id=None, detail="", username=""
    ) -> "AuditEvent":
        """Add one row. ``user`` may be anonymous or None; ``username`` then names who
        tried (a failed login)."""
        known = user if user is not None and user.is_authenticated else None
        return cls.objects.create(
            action=action,
            user=known,
            username=known.get_username() if known else username[:150],
            ip=ip,
            speech_id=speech_id,
            detail=detail[:500],
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are never deleted")


class PresenceQuerySet(models.QuerySet):
    def recent(self):
        """Those whose page said it was open within the last ``Presence.FRESH``: a closed
        tab or a sleeping laptop stops beating and drops out by itself."""
        return self.filter(seen_at__gte=timezone.now() - Presence.FRESH)


class Presence(models.Model):
    """Who has the editing page of a speech open, and the unit they are in (issue 11).

    Each open page beats every 20 seconds and when its user moves to another unit;
    rows live in the database because several app servers share nothing else. One row
    per person and speech: the latest beat wins.
    """

    FRESH = timedelta(seconds=60)

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The DOM key of the unit (``item-<uuid>``, ``header``…), empty when in none.
    unit_key = models.CharField("所在位置", max_length=64, blank=True)
    seen_at = models.DateTimeField("最近在线", default=timezone.now)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["speech", "user"], name="presence_one_per_person")
        ]
        verbose_name = "在线编辑"
        verbose_name_plural = "在线编辑"

    def __str__(self):
        return f"{self.user} · {self.speech_id} · {self.unit_key}"

    @classmethod
    def beat(cls, speech: Speech, user, unit_key: str) -> None:
        """Record that ``user`` has ``speech`` open in ``unit_key`` now."""
        values = {"unit_key": unit_key, "seen_at": timezone.now()}
        if cls.objects.filter(speech=speech, user=user).update(**values):
            return
        try:
            with transaction.atomic():
                cls.objects.create(speech=speech, user=user, **values)
        except IntegrityError:
            # The same person's other tab created the row a moment ago.
            cls.objects.filter(speech=speech, user=user).update(**values)


class WordingRuleQuerySet(models.QuerySet):
    def entries(self) -> tuple[proofreading.WordingEntry, ...]:
        """The enabled rules as the checker's plain data (``proofreading.check_speech``)."""
        return tuple(rule.as_entry() for rule in self.filter(enabled=True))


class WordingRule(models.Model):
    """One entry of the house wording list (规范用词, issue 15): ``wrong`` is written
    ``right``. Administrators keep the list in the admin and import or export it as CSV
    (``wording_csv.py``); the checker reads it as plain data (:meth:`as_entry`)."""

    class Condition(models.TextChoices):
        ALWAYS = proofreading.ALWAYS, wording_csv.CONDITION_NAMES[proofreading.ALWAYS]
        BEFORE_DATE = (
            proofreading.BEFORE_DATE,
            wording_csv.CONDITION_NAMES[proofreading.BEFORE_DATE],
        )

    class Severity(models.TextChoices):
        ERROR = "error", proofreading.ERROR
        SUGGESTION = "suggestion", proofreading.SUGGESTION

    wrong = models.CharField("错误写法", max_length=wording_csv.WORD_CHARS, unique=True)
    right = models.CharField("正确写法", max_length=wording_csv.WORD_CHARS)
    condition = models.CharField(
        "条件", max_length=20, choices=Condition.choices, default=Condition.ALWAYS
    )
    exceptions = models.CharField(
        "例外",
        max_length=wording_csv.EXCEPTIONS_CHARS,
        blank=True,
        help_text="含有错误写法、本身却正确的词，用顿号分隔，如“帐篷、蚊帐”。",
    )
    note = models.CharField(
        "说明", max_length=wording_csv.NOTE_CHARS, blank=True, help_text="接在提示之后显示。"
    )
    severity = models.CharField(
        "级别", max_length=10, choices=Severity.choices, default=Severity.ERROR
    )
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = WordingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["wrong"]
        verbose_name = "规范用词"
        verbose_name_plural = "规范用词"

    def __str__(self):
        return f"{self.wrong} → {self.right}"

    def as_entry(self) -> proofreading.WordingEntry:
        return proofreading.WordingEntry(
            wrong=self.wrong,
            right=self.right,
            condition=self.condition,
            exceptions=proofreading.split_exceptions(self.exceptions),
            note=self.note,
            severity=self.Severity(self.severity).label,
        )

    @classmethod
    def severity_of(cls, severity: str) -> str:
        """The stored value of the checker's ``severity`` (错误 → error)."""
        return next(choice.value for choice in cls.Severity if choice.label == severity)

    def clean(self):
        problems = wording_csv.entry_problems(self.as_entry())
        if problems:
            raise ValidationError(problems)

    @classmethod
    @transaction.atomic
    def store_rows(cls, rows: list[wording_csv.Row]) -> tuple[int, int]:
        """Add or update (by ``wrong``) one rule per row; rules not in ``rows`` stay.
        Returns (added, updated)."""
        added = updated = 0
        for row in rows:
            entry = row.entry
            _, created = cls.objects.update_or_create(
                wrong=entry.wrong,
                defaults={
                    "right": entry.right,
                    "condition": entry.condition,
                    "exceptions": "、".join(entry.exceptions),
                    "note": entry.note,
                    "severity": cls.severity_of(entry.severity),
                    "enabled": row.enabled,
                },
            )
            added, updated = (added + 1, updated) if created else (added, updated + 1)
        return added, updated

    def as_row(self) -> wording_csv.Row:
        return wording_csv.Row(self.as_entry(), self.enabled)


class IgnoredFindingQuerySet(models.QuerySet):
    def keys_of(self, speech_id: int) -> set[str]:
        """The keys (``proofreading.Finding.key``) ignored in one speech."""
        return set(self.filter(speech_id=speech_id).values_list("key", flat=True))


class IgnoredFinding(models.Model):
    """A proofreading finding a drafter chose to leave as it is (忽略, issue 15),
    remembered per speech by the finding's ``key``: code, field, flagged text and which
    occurrence, so an edit elsewhere in the speech does not bring it back. The editor,
    the preview, their counts and the submit confirmation leave it out."""

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="ignored_findings")
    key = models.TextField("校对问题")
    # The key's SHA-256: a key holds the flagged text, which may be a long sentence,
    # too long for a unique index on PostgreSQL.
    digest = models.CharField(max_length=64, editable=False)
    ignored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="忽略人",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    objects = IgnoredFindingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["speech", "digest"], name="ignored_finding_unique")
        ]
        verbose_name = "已忽略的校对问题"
        verbose_name_plural = "已忽略的校对问题"

    def __str__(self):
        return self.key

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    @classmethod
    def ignore(cls, speech_id: int, key: str, user) -> None:
        """Remember ``key`` as ignored in the speech (again: nothing changes)."""
        cls.objects.get_or_create(
            speech_id=speech_id,
            digest=cls.digest_of(key),
            defaults={"key": key, "ignored_by": user},
        )

    @classmethod
    def restore(cls, speech_id: int, key: str) -> None:
        """Show ``key`` again (取消忽略)."""
        cls.objects.filter(speech_id=speech_id, digest=cls.digest_of(key)).delete()
