"""Random Unicode into every form: never a 500, text stored exactly or refused with a
message, HTML escaped on every page, and the Word export still valid afterwards."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafts.forms import NUL_MESSAGE
from drafts.models import Comment, Item, Part, Speech
from tests.factories import make_speech
from tests.test_docx_schema import XSD_DIR, order_errors, parts, schema, without_extensions

PROBE = "<script>alert('x')</script>"
NASTY = [
    PROBE,
    "'; DROP TABLE drafts_speech; --",
    "\u202e倒序文字\u202c",
    "\x0b\x0c\x1b控制字符",
    "😀𠀀𪚥“”——",
    "a" * 20_001,
    "<img src=x onerror=alert(1)>",
    "\r\n\r\n 多行\r\n文字 \u3000",
]
# Anything a browser can send: every code point but surrogates (not encodable) and NUL,
# which Django refuses on its own (tested below).
TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=300),
    st.sampled_from(NASTY),
    st.builds(lambda t: t + PROBE, st.text(max_size=40)),
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def stripped(text):
    # Stored with line breaks as "\n", whichever a browser sent (Speech.save_unit).
    return text.strip().replace("\r\n", "\n").replace("\r", "\n")


def title_lines(text):
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def header_post(speech, text):
    return {
        "title": text,
        "occasion": "会议",
        "organization": "单位",
        "speaker": "",
        "date": "",
        "salutation": "同志们：",
        "pace": 180,
        "version": speech.version,
    }


# case → (url, POST data, stored value, what the form makes of the text)
CASES = {
    "header-title": (
        lambda w: reverse("drafts:speech-header-edit", args=[w["speech"].pk]),
        lambda w, t: header_post(Speech.objects.get(pk=w["speech"].pk), t),
        lambda w: Speech.objects.get(pk=w["speech"].pk).title,
        title_lines,
    ),
    "opening": (
        lambda w: reverse("drafts:speech-text-edit", args=[w["speech"].pk, "opening"]),
        lambda w, t: {"text": t, "version": Speech.objects.get(pk=w["speech"].pk).opening_version},
        lambda w: Speech.objects.get(pk=w["speech"].pk).opening,
        stripped,
    ),
    "part-transition": (
        lambda w: reverse("drafts:part-text-edit", args=[w["part"].pk, "transition"]),
        lambda w, t: {"text": t, "version": Part.objects.get(pk=w["part"].pk).version},
        lambda w: Part.objects.get(pk=w["part"].pk).transition,
        stripped,
    ),
    "measure-body": (
        lambda w: reverse("drafts:item-edit", args=[w["item"].pk]),
        lambda w, t: {
            "lead": "要落实。",
            "body": t,
            "version": Item.objects.get(pk=w["item"].pk).version,
        },
        lambda w: Item.objects.get(pk=w["item"].pk).body,
        stripped,
    ),
    "comment": (
        lambda w: reverse("drafts:comment-add", args=[w["speech"].pk]),
        lambda w, t: {"anchor": "opening", "text": t},
        lambda w: Comment.objects.order_by("-pk").values_list("text", flat=True).first() or "",
        stripped,
    ),
}


ACCEPT = {case: {"HTTP_ACCEPT": "application/json"} for case in CASES if case != "comment"}
ACCEPT["comment"] = {}


@pytest.fixture
def world(drafter):
    speech = make_speech(owner=drafter)
    return {
        "speech": speech,
        "part": Part.objects.get(speech=speech, kind="shortcomings"),
        "item": Item.objects.get(part__speech=speech, kind="measure", position=1),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_random_text_is_stored_exactly_or_refused_and_always_escaped(drafter_client, world, case):
    url_of, data_of, stored_of, expected_of = CASES[case]

    @SETTINGS
    @given(text=TEXTS)
    def post(text):
        before = stored_of(world)
        # As the pages send them: htmx for a comment, the editor's JSON saves for a unit.
        response = drafter_client.post(
            url_of(world), data_of(world, text), HTTP_HX_REQUEST="true", **ACCEPT[case]
        )
        assert response.status_code in (200, 302, 422), response.status_code
        stored = stored_of(world)
        if response.status_code == 422:
            assert stored == before  # refused: nothing changed, and the page says why
            if case == "comment":
                html = response.content.decode()
                assert "invalid-feedback" in html or "alert" in html
            else:
                assert any(response.json()["errors"].values())
        else:
            assert stored == expected_of(text)
        for page in ("drafts:speech-edit", "drafts:speech-preview"):
            html = drafter_client.get(reverse(page, args=[world["speech"].pk])).content.decode()
            assert PROBE not in html and "<img src=x" not in html

    post()
    docx = drafter_client.get(reverse("drafts:speech-export-docx", args=[world["speech"].pk]))
    assert docx.status_code == 200
    if XSD_DIR.exists():
        for name, xml in parts(docx.content).items():
            if name.startswith("word/") and name.endswith(".xml") and "theme" not in name:
                root = without_extensions(xml)
                assert schema("wml.xsd").validate(root), name
                assert order_errors(root) == []


@pytest.mark.django_db
def test_a_nul_character_is_refused_with_a_message(drafter_client, world):
    url = reverse("drafts:speech-text-edit", args=[world["speech"].pk, "opening"])
    response = drafter_client.post(
        url, {"text": "前\x00后", "version": 1}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"]["text"] == [NUL_MESSAGE]
