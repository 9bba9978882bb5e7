"""Plain helpers that build speeches and suggestions for tests; our own text, never the
seed's."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from drafts.models import Agency, Membership, Speech, Suggestion
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo
from drafts.structure import Speech as SpeechData

# The body the ``measure`` fixture gives its item: three sentences, so that a suggestion
# can change one passage and leave the others to another.
MEASURE_BODY = "第一句讲学习。第二句讲落实。第三句讲成效。"


def sample_structure(
    achievements: int = 3, lessons: int = 3, shortcomings: int = 3, measures: int = 3, **overrides
) -> SpeechData:
    """A complete speech with as many items of each kind as asked, each text distinct."""
    fields = {
        "title": "在测试局年度工作\n总结会议上的讲话",
        "occasion": "测试局年度工作总结会议",
        "organization": "测试局",
        "speaker": "",
        "date": None,
        "salutation": "同志们：",
        "opening": "今天召开会议，回顾一年的工作。下面，我讲两个方面的意见。",
        "part_one": PartOne(
            heading="回顾一年工作，各项任务完成良好",
            intro="一年来，局班子带领全体干部扎实工作，完成了X项重点任务。",
            achievements=[
                LeadItem(f"第{n}方面工作有新进展。", f"这是第{n}项成绩的正文，共办理XX事项X件。")
                for n in range(1, achievements + 1)
            ],
            lessons_intro="一年的实践给我们带来启示：",
            lessons=[InlineItem(f"必须坚持第{n}条经验") for n in range(1, lessons + 1)],
        ),
        "part_two": PartTwo(
            heading="正视问题不足，扎实做好下一步工作",
            shortcomings_intro="工作中还存在一些不足，主要表现在：",
            shortcomings=[InlineItem(f"第{n}个问题还没有解决") for n in range(1, shortcomings + 1)],
            transition="下一步，我们要着力抓好以下工作。",
            measures=[
                LeadItem(f"第{n}项措施要落实。", f"这是第{n}项措施的正文。")
                for n in range(1, measures + 1)
            ],
        ),
        "closing": "同志们，让我们共同努力，完成好全年任务。",
    }
    fields.update(overrides)
    return SpeechData(**fields)


def make_user(
    username: str = "someone", role: str | None = None, agency: str | None = "测试局", **extra
):
    """A user; ``role`` is the name of a role group (起草人员 or 审核领导), ``agency`` the
    name of the agency (机构) they belong to (None: none)."""
    user = get_user_model().objects.create_user(username, password="pw-someone-123", **extra)
    if role:
        # get_or_create: a live-server test flushes the tables, the migration's groups too.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if agency:
        Membership.objects.create(user=user, agency=Agency.objects.get_or_create(name=agency)[0])
    return user


def make_speech(owner=None, data: SpeechData | None = None, **overrides) -> Speech:
    """A stored speech from :func:`sample_structure`; overrides go to the structure."""
    owner = owner or make_user()
    return Speech.create_from_structure(data or sample_structure(**overrides), owner)


def propose(speech, item, user, proposed, base=MEASURE_BODY, field="body", **extra) -> Suggestion:
    """``user``'s suggestion to make ``item``'s ``field`` read ``proposed``, made on ``base``."""
    return Suggestion.propose(
        speech.pk, item.anchor, field, base=base, proposed=proposed, user=user, **extra
    )


def body_of(item) -> str:
    """The body of ``item`` as it is stored now."""
    item.refresh_from_db()
    return item.body


def type_on(measure, user, body: str) -> None:
    """``user`` saves ``body`` into ``measure`` from a page that loaded it with
    ``MEASURE_BODY`` at version 1, as the editor does."""
    Speech.save_unit(
        measure.part.speech_id,
        measure.anchor,
        texts={"body": body},
        bases={"body": MEASURE_BODY},
        version=1,
        user=user,
        label="措施一是",
    )
