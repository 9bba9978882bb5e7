"""Word out with the review in it (issue 14): open suggestions as tracked changes by
their authors, open comments as Word comments by theirs (drafts/review_export.py).

Every file is read with our own OOXML reader (tests/tracked_views.py): rejecting all
must give the present text (or the stored version's) and accepting all exactly what
the app gives when each open suggestion is accepted in turn (``Suggestion.accept``).
"""

import contextlib
import datetime
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from drafts.access import user_name
from drafts.assembly import assemble
from drafts.docx_changes import CommentReply, word_date
from drafts.models import Comment, Item, Snapshot, Speech, Suggestion, SuggestionRefused
from drafts.review_export import MOST_TURNS, Remark, Save, plan, versions_between
from drafts.structure import InlineItem, PartOne
from drafts.structure import Speech as SpeechData
from drafts.suggestions import Proposal
from tests.factories import make_user
from tests.tracked_views import W, accepted, document_root, rejected

WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def texts_of(speech: Speech) -> list[str]:
    data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    return [paragraph.text.replace("\n", "") for paragraph in assemble(data)]


def flat(paragraphs: list[str]) -> list[str]:
    return [text.replace("\n", "") for text in paragraphs]


def comments_of(docx: bytes) -> list[tuple[str, str]]:
    """(author, text) of every Word comment, in the file's order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        if "word/comments.xml" not in archive.namelist():
            return []
        root = etree.fromstring(archive.read("word/comments.xml"))
    return [(c.get(W + "author"), "".join(c.itertext())) for c in root.iter(W + "comment")]


def change_authors(docx: bytes) -> dict[str, set[str]]:
    """Who inserted what: author → the texts of their insertions (not deleted again)."""
    found: dict[str, set[str]] = {}
    for ins in document_root(docx).iter(W + "ins"):
        text = "".join(t.text for t in ins.iter(W + "t"))
        if text:
            found.setdefault(ins.get(W + "author"), set()).add(text)
    return found


def accept_in_the_app(speech: Speech, user) -> None:
    """What the drafter gets accepting every open suggestion, oldest first."""
    for suggestion in Suggestion.objects.open().filter(speech=speech).order_by("created_at", "pk"):
        with contextlib.suppress(SuggestionRefused):  # stale: it stays open
            suggestion.accept(user)


def edit(speech, anchor, name, old, new, user):
    Speech.save_unit(
        speech.pk, anchor, texts={name: new}, bases={name: old}, version=None,
        user=user, label=name,
    )  # fmt: skip


@pytest.fixture
def reviewed(speech, drafter, leader, second_leader):
    """Two leaders' suggestions on three fields, two of them on the opening (both
    apply, the second re-based on the first), one stale, one on a field not printed;
    an open comment with a reply, and a resolved one."""
    opening, closing = speech.opening, speech.closing
    measure = Item.objects.get(part__speech=speech, kind="measure", position=1)

    def propose(user, anchor, field, base, proposed, reason=""):
        return Suggestion.propose(
            speech.pk, anchor, field, base=base, proposed=proposed, user=user, reason=reason
        )

    propose(leader, "opening", "opening", opening, opening.replace("回顾", "认真回顾"), "更有力")
    propose(leader, measure.anchor, "body", measure.body, measure.body + "要按月调度。")
    propose(second_leader, "opening", "opening", opening, opening.replace("两个", "三个"))
    propose(second_leader, "closing", "closing", closing, closing.replace("共同努力", "团结一心"))
    propose(second_leader, "header", "occasion", speech.occasion, "测试局年终总结会议")
    # The drafter rewrote the passage the closing's suggestion touches: it is stale.
    edit(speech, "closing", "closing", closing, closing.replace("共同努力", "一起奋斗"), drafter)
    thread = Comment.objects.create(
        speech=speech, anchor="opening", author=leader, text="开头再短些"
    )
    Comment.objects.create(
        speech=speech, anchor="opening", author=drafter, text="好的", parent=thread
    )
    Comment.objects.create(
        speech=speech,
        anchor="closing",
        author=leader,
        text="已改好",
        resolved_at=WHEN,
        resolved_by=drafter,
    )
    return speech


def download(client, speech, **query) -> bytes:
    response = client.get(reverse("drafts:speech-export-docx", args=[speech.pk]), query)
    assert response.status_code == 200
    return response.content


@pytest.mark.django_db
def test_reject_all_gives_the_text_and_accept_all_every_suggestion_accepted(
    drafter_client, drafter, reviewed
):
    before = texts_of(reviewed)
    docx = download(drafter_client, reviewed, review="1")
    accept_in_the_app(reviewed, drafter)
    after = texts_of(reviewed)
    assert after != before
    assert flat(rejected(docx)) == before
    assert flat(accepted(docx)) == after


@pytest.mark.django_db
def test_each_suggestion_is_written_by_its_author(drafter_client, leader, second_leader, reviewed):
    docx = download(drafter_client, reviewed, review="1")
    authors = change_authors(docx)
    assert authors[user_name(leader)] == {"认真", "要按月调度。"}
    assert authors[user_name(second_leader)] == {"三"}
    assert set(authors) == {user_name(leader), user_name(second_leader)}


@pytest.mark.django_db
def test_the_stale_one_and_the_one_on_a_field_not_printed_are_comments(
    drafter_client, second_leader, reviewed
):
    docx = download(drafter_client, reviewed, review="1")
    by_author = [text for author, text in comments_of(docx) if author == user_name(second_leader)]
    assert (
        "修改建议已过期（结束语）：建议改为“同志们，让我们团结一心，完成好全年任务。”" in by_author
    )
    assert "修改建议（会议名称）：建议改为“测试局年终总结会议”" in by_author
    assert "团结一心" not in "".join(accepted(docx))


@pytest.mark.django_db
def test_open_comments_and_their_replies_are_word_comments_resolved_ones_are_not(
    drafter_client, drafter, leader, reviewed
):
    docx = download(drafter_client, reviewed, review="1")
    comments = comments_of(docx)
    assert (user_name(leader), "开头再短些") in comments
    assert (user_name(drafter), "好的") in comments
    assert (user_name(leader), "理由：更有力") in comments  # the suggestion's reason
    assert not any("已改好" in text for _, text in comments)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert "word/commentsExtended.xml" in archive.namelist()


@pytest.mark.django_db
def test_the_comment_sits_on_its_units_paragraph(drafter_client, reviewed):
    docx = download(drafter_client, reviewed, review="1")
    root = document_root(docx)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
    (made,) = [c for c in comments.iter(W + "comment") if "".join(c.itertext()) == "开头再短些"]
    start = next(
        e for e in root.iter(W + "commentRangeStart") if e.get(W + "id") == made.get(W + "id")
    )
    paragraph = start.getparent()
    assert "".join(t.text for t in paragraph.iter(W + "t")).startswith("今天召开会议")


@pytest.mark.django_db
def test_without_review_the_download_is_the_plain_text(drafter_client, reviewed):
    docx = download(drafter_client, reviewed)
    assert list(document_root(docx).iter(W + "ins")) == []
    assert comments_of(docx) == []


@pytest.mark.django_db
def test_the_export_page_offers_it_with_the_counts(drafter_client, reviewed):
    page = drafter_client.get(reverse("drafts:speech-export", args=[reviewed.pk]))
    html = page.content.decode()
    assert 'name="review"' in html
    assert "未处理的修改建议 5 条、未解决的批注 1 条" in html


@pytest.mark.django_db
def test_the_review_download_keeps_the_permission_ladder(client, outsider, leader, reviewed):
    url = reverse("drafts:speech-export-docx", args=[reviewed.pk])
    assert client.get(url, {"review": "1"}).status_code == 302
    client.force_login(outsider)
    assert client.get(url, {"review": "1"}).status_code == 404
    client.force_login(leader)
    assert client.get(url, {"review": "1"}).status_code == 200


@pytest.mark.django_db
def test_the_review_download_reads_a_bounded_number_of_queries(
    drafter_client, drafter, leader, reviewed, django_assert_max_num_queries
):
    # However many threads and replies: four queries read them all.
    for number in range(5):
        thread = Comment.objects.create(
            speech=reviewed, anchor="part_one.intro", author=leader, text=f"意见{number}"
        )
        Comment.objects.create(
            speech=reviewed, anchor="part_one.intro", author=drafter, text="收到", parent=thread
        )
    # Session and user (2), the speech (3), suggestions and comments with replies and
    # their authors (5), the audit row, the session's save and its savepoint (4).
    with django_assert_max_num_queries(14):
        download(drafter_client, reviewed, review="1")


# --- The redline from a stored version, with the suggestions on top


@pytest.fixture
def submitted_then_edited(client, speech, drafter, leader):
    """Submitted, returned, edited by the drafter, then suggested on by the leader."""
    client.force_login(drafter)
    # The sample speech's placeholders are proofreading errors: submitting confirms them.
    confirmed = {"submit-note": "请审", "submit-proof_confirmed": "on"}
    client.post(reverse("drafts:speech-action", args=[speech.pk, "submit"]), confirmed)
    client.force_login(leader)
    client.post(
        reverse("drafts:speech-action", args=[speech.pk, "return"]), {"return-note": "再改"}
    )
    client.logout()
    assert Speech.objects.get(pk=speech.pk).status == Speech.Status.RETURNED
    submitted = texts_of(speech)
    intro = speech.part("achievements").intro
    edit(speech, "part_one.intro", "intro", intro, intro.replace("扎实工作", "真抓实干"), drafter)
    Suggestion.propose(
        speech.pk,
        "opening",
        "opening",
        base=speech.opening,
        proposed=speech.opening.replace("一年", "全年"),
        user=leader,
    )
    return speech, submitted


@pytest.mark.django_db
def test_the_compare_pages_redline_carries_the_suggestions(
    client, drafter, leader, submitted_then_edited
):
    speech, submitted = submitted_then_edited
    snapshot = Snapshot.objects.filter(speech=speech).latest("created_at")
    client.force_login(drafter)
    response = client.get(
        reverse("drafts:speech-compare-redline", args=[speech.pk]),
        {"old": snapshot.pk, "new": "current"},
    )
    docx = response.content
    assert flat(rejected(docx)) == submitted
    accept_in_the_app(speech, drafter)
    assert flat(accepted(docx)) == texts_of(speech)
    authors = change_authors(docx)
    assert authors[user_name(drafter)] == {"真抓实干"}
    assert authors[user_name(leader)] == {"全"}


@pytest.mark.django_db
def test_a_redline_between_two_stored_versions_has_no_suggestions(
    client, drafter, leader, submitted_then_edited
):
    speech, _ = submitted_then_edited
    snapshot = Snapshot.objects.filter(speech=speech).latest("created_at")
    client.force_login(drafter)
    response = client.get(
        reverse("drafts:speech-compare-redline", args=[speech.pk]),
        {"old": snapshot.pk, "new": snapshot.pk},
    )
    assert list(document_root(response.content).iter(W + "ins")) == []


@pytest.mark.django_db
def test_the_command_writes_them_and_says_what_it_left_out(tmp_path, drafter, reviewed):
    target = tmp_path / "out.docx"
    errors = StringIO()
    before = texts_of(reviewed)
    call_command(
        "export_speech", str(reviewed.pk), "--format", "docx", "--review", "-o", str(target),
        stdout=StringIO(), stderr=errors,
    )  # fmt: skip
    docx = target.read_bytes()
    assert flat(rejected(docx)) == before
    assert "结束语：副局长的修改建议已过期，未写入修订。" in errors.getvalue()
    accept_in_the_app(reviewed, drafter)
    assert flat(accepted(docx)) == texts_of(reviewed)


@pytest.mark.django_db
def test_the_command_from_a_stored_version(tmp_path, drafter, submitted_then_edited):
    speech, submitted = submitted_then_edited
    target = tmp_path / "out.docx"
    call_command(
        "export_speech", str(speech.pk), "--format", "docx", "--changes-from", "submitted",
        "-o", str(target), stdout=StringIO(),
    )  # fmt: skip
    docx = target.read_bytes()
    assert flat(rejected(docx)) == submitted
    accept_in_the_app(speech, drafter)
    assert flat(accepted(docx)) == texts_of(speech)


# --- The plan, without the database


def proposal(base, proposed, author="甲", anchor="opening", field="opening", label="开场白"):
    return Proposal(anchor, field, label, base, proposed, author, WHEN)


def test_a_second_suggestion_on_one_field_builds_on_the_first():
    current = SpeechData(opening="一。二。三。")
    made = plan(
        current,
        [
            proposal("一。二。三。", "一好。二。三。"),
            proposal("一。二。三。", "一。二。三妙。", "乙"),
        ],
    )
    assert [v.speech.opening for v in made.versions] == ["一好。二。三。", "一好。二。三妙。"]
    assert [v.author for v in made.versions] == ["甲", "乙"]
    assert made.left_out == [] and made.comments == []


def test_a_suggestion_on_an_item_since_deleted_is_listed():
    current = SpeechData(opening="一。")
    made = plan(current, [proposal("甲", "乙", anchor="item:x", field="body", label="启示一是")])
    assert made.versions == []
    assert made.left_out == ["启示一是：甲的修改建议所在条目已删除，未写入修订。"]


def test_a_comment_on_a_lesson_goes_on_the_lessons_paragraph():
    current = SpeechData(
        part_one=PartOne(lessons_intro="体会：", lessons=[InlineItem("坚持学习", id="L1")])
    )
    made = plan(current, [], [Remark("item:L1", "再具体些", "王局长", WHEN)])
    (comment,) = made.comments
    assert assemble(current)[comment.paragraph].text == "体会：一是坚持学习。"
    assert comment.text == "再具体些"


def test_a_comment_on_what_is_not_printed_names_it_on_the_title():
    current = SpeechData(title="标题", occasion="会议")
    made = plan(current, [], [Remark("header", "名称不对", "王局长", WHEN, field="occasion")])
    (comment,) = made.comments
    assert comment.paragraph == 0 and comment.text == "（会议名称）名称不对"


def test_replies_to_a_suggestion_make_its_thread():
    current = SpeechData(opening="一。")
    reply = CommentReply("同意", "乙", WHEN)
    made = plan(current, [proposal("一。", "一好。")], replies=[(reply,)])
    (version,) = made.versions
    assert version.note == "修改建议（开场白）" and version.replies == (reply,)


@pytest.mark.django_db
def test_each_save_since_the_stored_version_is_its_authors_change(
    client, drafter, leader, submitted_then_edited
):
    speech, submitted = submitted_then_edited
    colleague = make_user("drafter2", role="起草人员")
    closing = Speech.objects.get(pk=speech.pk).closing
    edit(speech, "closing", "closing", closing, closing.replace("共同努力", "携手奋进"), colleague)
    snapshot = Snapshot.objects.filter(speech=speech).latest("created_at")
    client.force_login(drafter)
    docx = client.get(
        reverse("drafts:speech-compare-redline", args=[speech.pk]),
        {"old": snapshot.pk, "new": "current"},
    ).content
    authors = change_authors(docx)
    # The drafter's save and the colleague's, though the colleague saved last.
    assert authors[user_name(drafter)] == {"真抓实干"}
    assert authors[user_name(colleague)] == {"携手奋进"}
    assert flat(rejected(docx)) == submitted
    accept_in_the_app(speech, drafter)
    assert flat(accepted(docx)) == texts_of(speech)


def insertions(docx: bytes) -> dict[str, tuple[str, str]]:
    """Each inserted text (not deleted again) → its author and date."""
    return {
        "".join(t.text for t in ins.iter(W + "t")): (ins.get(W + "author"), ins.get(W + "date"))
        for ins in document_root(docx).iter(W + "ins")
        if any(t.text for t in ins.iter(W + "t"))
    }


def propose_on_the_closing(speech, leader):
    """The leader's 着力 in the closing: the closing as it stands, and the suggestion."""
    closing = Speech.objects.get(pk=speech.pk).closing
    suggestion = Suggestion.propose(
        speech.pk, "closing", "closing", base=closing,
        proposed=closing.replace("完成好", "着力完成好"), user=leader,
    )  # fmt: skip
    return closing, suggestion


@pytest.mark.django_db
def test_an_accepted_suggestions_words_are_its_authors_dated_when_proposed(
    client, drafter, leader, submitted_then_edited
):
    speech, submitted = submitted_then_edited
    closing, suggestion = propose_on_the_closing(speech, leader)
    # Proposed in the morning, accepted now: the change is dated when it was written.
    proposed_at = timezone.now() - datetime.timedelta(hours=3)
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=proposed_at)
    Suggestion.objects.get(pk=suggestion.pk).accept(drafter)
    snapshot = Snapshot.objects.filter(speech=speech).latest("created_at")
    client.force_login(drafter)
    docx = client.get(
        reverse("drafts:speech-compare-redline", args=[speech.pk]),
        {"old": snapshot.pk, "new": "current"},
    ).content
    inserted = insertions(docx)
    assert inserted["着力"] == (user_name(leader), word_date(proposed_at))
    assert inserted["真抓实干"][0] == user_name(drafter)
    assert inserted["全"][0] == user_name(leader)  # the open one, on top
    assert flat(rejected(docx)) == submitted
    accept_in_the_app(speech, drafter)
    assert flat(accepted(docx)) == texts_of(speech)


@pytest.mark.django_db
def test_a_rebased_suggestion_is_its_authors_the_edit_it_stands_on_the_drafters(
    tmp_path, drafter, leader, submitted_then_edited
):
    speech, submitted = submitted_then_edited
    closing, suggestion = propose_on_the_closing(speech, leader)
    # The drafter rewrote another passage of the closing after the leader's page loaded.
    edit(speech, "closing", "closing", closing, closing.replace("共同努力", "携手奋进"), drafter)
    suggestion.accept(drafter)
    assert "携手奋进，着力完成好" in Speech.objects.get(pk=speech.pk).closing
    target = tmp_path / "out.docx"
    call_command(
        "export_speech", str(speech.pk), "--format", "docx", "--changes-from", "submitted",
        "-o", str(target), stdout=StringIO(),
    )  # fmt: skip
    docx = target.read_bytes()
    inserted = insertions(docx)
    assert inserted["着力"][0] == user_name(leader)
    assert inserted["携手奋进"][0] == inserted["真抓实干"][0] == user_name(drafter)
    assert flat(rejected(docx)) == submitted
    accept_in_the_app(speech, drafter)
    assert flat(accepted(docx)) == texts_of(speech)


def test_a_save_joins_its_authors_turn_unless_another_saved_its_unit_since():
    saves = [
        Save("opening", {"opening": "甲一"}, "甲", WHEN),
        Save("closing", {"closing": "乙一"}, "乙", WHEN),
        Save("closing", {"closing": "甲二"}, "甲", WHEN),
    ]
    versions = versions_between(SpeechData(opening="原", closing="原"), saves)
    assert [(v.author, v.speech.opening, v.speech.closing) for v in versions] == [
        ("甲", "甲一", "原"),
        ("乙", "甲一", "乙一"),
        ("甲", "甲一", "甲二"),
    ]


def test_past_the_turns_an_accepted_suggestion_goes_to_who_accepted_it():
    # The drafter and a colleague take turns on the opening: too many turns to keep.
    saves = [
        Save("opening", {"opening": f"第{n}稿"}, "甲" if n % 2 else "乙", WHEN)
        for n in range(MOST_TURNS + 1)
    ]
    saves.append(Save("opening", {"opening": "第12稿着力"}, "王局长", WHEN, saved_by="甲"))
    few = versions_between(SpeechData(opening="原"), saves[-3:])
    assert [v.author for v in few] == ["甲", "乙", "王局长"]
    many = versions_between(SpeechData(opening="原"), saves)
    assert [v.author for v in many] == ["乙", "甲"]
    assert many[-1].speech.opening == "第12稿着力"


@pytest.mark.django_db
def test_the_file_imported_back_unchanged_records_nothing_new(
    client, drafter, leader, submitted_then_edited
):
    from drafts.export_origin import read_origin
    from drafts.review_import import import_review

    speech, _ = submitted_then_edited
    colleague = make_user("drafter2", role="起草人员")
    closing = Speech.objects.get(pk=speech.pk).closing
    edit(speech, "closing", "closing", closing, closing.replace("共同努力", "携手奋进"), colleague)
    thread = comment(speech, leader, "开头再短些")
    comment(speech, drafter, "好的", parent=thread)
    snapshot = Snapshot.objects.filter(speech=speech).latest("created_at")
    client.force_login(drafter)
    docx = client.get(
        reverse("drafts:speech-compare-redline", args=[speech.pk]),
        {"old": snapshot.pk, "new": "current"},
    ).content

    def state():
        suggestions = Suggestion.objects.open().filter(speech=speech)
        return (
            sorted(suggestions.values_list("author__username", "field", "proposed")),
            Comment.objects.filter(speech=speech).count(),
        )

    # The file names every step to the present text as its own: each save's author.
    origin = read_origin(docx)
    assert user_name(colleague) in {author for author, _ in origin.more_changes}
    before = state()
    report = import_review(Speech.objects.get(pk=speech.pk), docx, drafter)
    # The saves since the stored version are the file's own changes, not a reviewer's;
    # the suggestion comes back as the same proposal; the comments as the same ones.
    assert state() == before
    assert report.not_placed == []


def comment(speech, user, text, parent=None):
    return Comment.objects.create(
        speech=speech, anchor="opening", author=user, text=text, parent=parent
    )
