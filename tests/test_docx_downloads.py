"""Word downloads: the management command and the export page and download views."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx.shared import Pt

from drafts.assembly import assemble, plain_text
from drafts.demo import demo_speech
from drafts.downloads import content_disposition
from drafts.models import AuditEvent, Item, Part, Speech
from drafts.placeholders import find_in_speech
from drafts.views.speeches import DOCX_TYPE
from tests.factories import make_speech


def paragraph_lines(document) -> str:
    return "".join(p.text + "\n" for p in document.paragraphs)


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "body_size"), [([], 16), (["--large-print"], 22)])
def test_export_command_writes_the_word_file(tmp_path, drafter, extra, body_size):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    target = tmp_path / "speech.docx"
    call_command("export_speech", str(speech.pk), "--format", "docx", "-o", str(target), *extra)
    document = docx.Document(io.BytesIO(target.read_bytes()))
    assert paragraph_lines(document) == plain_text(assemble(demo_speech()))
    assert document.styles["Normal"].font.size == Pt(body_size)
    assert document.sections[0].first_page_header.paragraphs[0].text == "讨论稿"
    assert document.core_properties.author == "市统计局"
    assert document.core_properties.content_status == "起草中"


@pytest.mark.django_db
def test_export_command_will_not_write_a_word_file_to_the_terminal(drafter):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    with pytest.raises(CommandError, match="-o"):
        call_command("export_speech", str(speech.pk), "--format", "docx")


# The views


def docx_url(speech, query=""):
    return reverse("drafts:speech-export-docx", args=[speech.pk]) + query


@pytest.fixture
def demo(drafter):
    return Speech.create_from_structure(demo_speech(), drafter)


def opened(response):
    return docx.Document(io.BytesIO(response.content))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["drafts:speech-export", "drafts:speech-export-docx"])
def test_anonymous_users_are_sent_to_login_and_outsiders_see_nothing(client, outsider, demo, name):
    url = reverse(name, args=[demo.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_reviewers_may_download_too(leader_client, demo):
    assert leader_client.get(docx_url(demo)).status_code == 200


@pytest.mark.django_db
def test_word_download_is_named_after_the_title_and_reads_as_the_text_export(drafter_client, demo):
    response = drafter_client.get(docx_url(demo))
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == content_disposition(
        "在市统计局“数据质量提升年”活动总结大会上的讲话.docx"
    )
    document = opened(response)
    assert paragraph_lines(document) == plain_text(assemble(demo_speech()))
    assert document.sections[0].first_page_header.paragraphs[0].text == "讨论稿"
    assert any(r.font.highlight_color for p in document.paragraphs for r in p.runs)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.speech_id, event.detail) == (demo.pk, "Word")


@pytest.mark.django_db
def test_large_print_download_has_its_own_size_and_name(drafter_client, demo):
    response = drafter_client.get(docx_url(demo, "?large=1"))
    assert "%EF%BC%88%E5%A4%A7%E5%AD%97%E7%89%88%EF%BC%89.docx" in response["Content-Disposition"]
    assert opened(response).styles["Normal"].font.size == Pt(22)
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).detail == "Word 大字版"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "marked", "highlighted"),
    [
        ("?mark=0", False, True),
        ("?highlight=0", True, False),
        # The export form sends a hidden 0 before each ticked box's 1; the last wins.
        ("?mark=0&mark=1&highlight=0&highlight=1", True, True),
        ("?mark=0&highlight=0", False, False),
    ],
)
def test_switches_leave_out_the_mark_and_the_highlight(
    drafter_client, demo, query, marked, highlighted
):
    document = opened(drafter_client.get(docx_url(demo, query)))
    assert document.sections[0].different_first_page_header_footer is marked
    runs = [r for p in document.paragraphs for r in p.runs]
    assert any(r.font.highlight_color for r in runs) is highlighted


@pytest.mark.django_db
def test_an_approved_speech_downloads_without_the_draft_mark(drafter_client, demo):
    Speech.objects.filter(pk=demo.pk).update(status=Speech.Status.APPROVED)
    document = opened(drafter_client.get(docx_url(demo, "?mark=1")))
    assert document.sections[0].different_first_page_header_footer is False
    assert document.core_properties.content_status == "已审定"


@pytest.mark.django_db
def test_export_page_counts_the_placeholders_left_and_offers_the_switches(drafter_client, demo):
    count = len(find_in_speech(demo_speech()))
    response = drafter_client.get(reverse("drafts:speech-export", args=[demo.pk]))
    page = response.content.decode()
    assert f"还有 <strong>{count}</strong> 处占位符" in page
    assert f'action="{docx_url(demo)}"' in page
    for name in ('name="large"', 'name="mark"', 'name="highlight"'):
        assert name in page
    assert "国家标准对此没有规定" in page


@pytest.mark.django_db
def test_export_page_of_a_finished_approved_speech(drafter_client, drafter):
    speech = make_speech(owner=drafter, achievements=1)
    finished = speech.as_structure()
    assert find_in_speech(finished)  # the factory's text has placeholders: fill them
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.APPROVED)
    Item.objects.filter(part__speech=speech).update(body="正文已填写。")
    Part.objects.filter(speech=speech).update(intro="引言已填写。")
    page = drafter_client.get(reverse("drafts:speech-export", args=[speech.pk])).content.decode()
    assert "没有剩余的占位符" in page
    assert 'name="mark"' not in page
    assert "已审定的讲话稿不加“讨论稿”标记" in page


@pytest.mark.django_db
def test_word_download_runs_a_constant_number_of_queries(
    drafter_client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert drafter_client.get(docx_url(demo)).status_code == 200
