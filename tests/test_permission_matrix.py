"""Every URL of the app × every kind of user × GET and POST, built from the URLconf.

A URL added without a row here fails ``test_every_url_has_a_row``, so a new page
cannot be forgotten. Statuses: 302 to login for anonymous users, 404 for a speech of
another unit (its existence is not confirmed), 403 for the wrong role, 405 for the
wrong method, 422 for a POST with no data where the view validates a form; 401 where
a URL is only ever asked by the page's script (the session's state).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse

from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Comment, Item, Part, Revision, Snapshot, Suggestion
from tests.factories import make_speech, make_user

PERSONAS = ["anonymous", "drafter_a", "drafter_b", "reviewer_a", "superuser"]


def row(get_a, post_a, get_b=404, post_b=404, reviewer=None, superuser=None, anonymous=None):
    """Expected (GET, POST) per persona. ``reviewer``/``superuser`` default to drafter A's."""
    return {
        "anonymous": anonymous or (302, 302),
        "drafter_a": (get_a, post_a),
        "drafter_b": (get_b, post_b),
        "reviewer_a": reviewer or (get_a, post_a),
        "superuser": superuser or (get_a, post_a),
    }


# url name → (kwargs from the fixtures, expected statuses)
MATRIX = {
    "drafts:home": (lambda f: {}, row(200, 405, 200, 405)),
    "drafts:speech-list": (lambda f: {}, row(200, 405, 200, 405)),
    "drafts:speech-create": (
        lambda f: {},
        row(200, 422, 200, 422, reviewer=(403, 403)),
    ),
    "drafts:speech-import": (lambda f: {}, row(200, 422, 200, 422, reviewer=(403, 403))),
    "drafts:speech-import-create": (lambda f: {}, row(405, 422, 405, 422, reviewer=(405, 403))),
    # Reviewers see the editor read-only, to suggest in 建议模式 (issue 14).
    "drafts:speech-edit": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-delete": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:speech-preview": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-header-edit": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:speech-text-edit": (
        lambda f: {"pk": f["speech"].pk, "name": "opening"},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:part-text-edit": (
        lambda f: {"pk": f["part"].pk, "name": "heading"},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:item-add": (
        lambda f: {"pk": f["part"].pk, "kind": "achievement"},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:item-edit": (
        lambda f: {"pk": f["item"].pk},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:item-move": (
        lambda f: {"pk": f["item"].pk},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:item-delete": (
        lambda f: {"pk": f["item"].pk},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:speech-action": (
        lambda f: {"pk": f["speech"].pk, "name": "submit"},
        row(405, 422, 405, 404),
    ),
    "drafts:comment-add": (lambda f: {"pk": f["speech"].pk}, row(405, 422, 405, 404)),
    "drafts:comment-resolve": (lambda f: {"pk": f["comment"].pk}, row(405, 302, 405, 404)),
    # A reviewed Word copy: everyone who may comment on the speech imports it
    "drafts:speech-review-import": (lambda f: {"pk": f["speech"].pk}, row(200, 422, 404, 404)),
    "drafts:speech-history": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-compare": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    # Suggestions: reviewers propose (a drafter only where the agency lets them), the
    # drafters accept and reject, the author withdraws, every reader replies.
    "drafts:suggestion-add": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 403, 405, 404, reviewer=(405, 422), superuser=(405, 422)),
    ),
    "drafts:suggestion-accept-all": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:suggestion-accept": (
        lambda f: {"pk": f["suggestion"].pk},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:suggestion-reject": (
        lambda f: {"pk": f["suggestion"].pk},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:suggestion-withdraw": (
        lambda f: {"pk": f["suggestion"].pk},
        row(405, 403, 405, 404, reviewer=(405, 302)),
    ),
    "drafts:suggestion-reply": (lambda f: {"pk": f["suggestion"].pk}, row(405, 422, 405, 404)),
    "drafts:revision-restore": (
        lambda f: {"pk": f["revision"].pk},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:speech-export-txt": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-export-json": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-export": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-export-docx": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-compare-redline": (lambda f: {"pk": f["speech"].pk}, row(200, 405, 404, 405)),
    "drafts:speech-proofreading-report": (
        lambda f: {"pk": f["speech"].pk},
        row(200, 405, 404, 405),
    ),
    "drafts:version-preview": (
        lambda f: {"pk": f["speech"].pk, "snapshot_pk": f["snapshot"].pk},
        row(200, 405, 404, 405),
    ),
    "drafts:version-export-txt": (
        lambda f: {"pk": f["speech"].pk, "snapshot_pk": f["snapshot"].pk},
        row(200, 405, 404, 405),
    ),
    "drafts:version-export-json": (
        lambda f: {"pk": f["speech"].pk, "snapshot_pk": f["snapshot"].pk},
        row(200, 405, 404, 405),
    ),
    "drafts:version-export-docx": (
        lambda f: {"pk": f["speech"].pk, "snapshot_pk": f["snapshot"].pk},
        row(200, 405, 404, 405),
    ),
    # The trash: everyone reads their unit's; only a drafter who may restore restores.
    "drafts:trash": (lambda f: {}, row(200, 405, 200, 405)),
    "drafts:speech-restore": (
        lambda f: {"pk": f["trashed"].pk},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:item-restore": (
        lambda f: {"pk": f["deleted"].item_id},
        row(405, 302, 405, 404, reviewer=(405, 403)),
    ),
    # Presence: the editing page's heartbeat, for those who may edit the speech
    "drafts:speech-presence": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 200, 405, 404, reviewer=(405, 403)),
    ),
    # 校对 in the editing page: for those who may edit the speech; an empty POST is a 422
    "drafts:speech-proof-check": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    "drafts:speech-proof-ignore": (
        lambda f: {"pk": f["speech"].pk},
        row(405, 422, 405, 404, reviewer=(405, 403)),
    ),
    # The session as the page's script sees it: the ended session is a 401, not a redirect
    "drafts:session-status": (lambda f: {}, row(200, 405, 200, 405, anonymous=(401, 405))),
    "drafts:session-done": (lambda f: {}, row(200, 405, 200, 405)),
}


def app_url_names() -> set[str]:
    resolver = get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace == "drafts":
            names |= {f"drafts:{p.name}" for p in pattern.url_patterns if p.name}
    return names


def test_every_url_has_a_row():
    assert app_url_names() == set(MATRIX)


@pytest.fixture
def world(db):
    drafter_a = make_user("drafter_a", role=DRAFTER_GROUP, agency="甲局")
    speech = make_speech(owner=drafter_a)
    part = Part.objects.get(speech=speech, kind="achievements")
    item = Item.objects.filter(part=part, kind="achievement").first()
    comment = Comment.objects.create(speech=speech, anchor="opening", author=drafter_a, text="批注")
    revision = Revision.objects.create(
        speech=speech,
        anchor=item.anchor,
        label="成绩（一）",
        fields={"lead": "旧。", "body": "旧"},
        author=drafter_a,
    )
    snapshot = Snapshot.take(speech)
    trashed = make_speech(owner=drafter_a, title="已删除的讲话稿")
    trashed.move_to_trash(drafter_a)
    deleted = Item.objects.filter(part=part, kind="achievement").last().remove(drafter_a)
    users = {
        "anonymous": None,
        "drafter_a": drafter_a,
        "drafter_b": make_user("drafter_b", role=DRAFTER_GROUP, agency="乙局"),
        "reviewer_a": make_user("reviewer_a", role=REVIEWER_GROUP, agency="甲局"),
        "superuser": get_user_model().objects.create_superuser("root", password="pw-root-12345"),
    }
    suggestion = Suggestion.propose(
        speech.pk,
        "opening",
        "opening",
        base=speech.opening,
        proposed=speech.opening + "补一句。",
        user=users["reviewer_a"],
    )
    return {
        "speech": speech,
        "part": part,
        "item": item,
        "comment": comment,
        "revision": revision,
        "snapshot": snapshot,
        "trashed": trashed,
        "deleted": deleted,
        "suggestion": suggestion,
        "users": users,
    }


CASES = [
    (name, persona, method)
    for name in sorted(MATRIX)
    for persona in PERSONAS
    for method in ("GET", "POST")
]


@pytest.mark.parametrize(("name", "persona", "method"), CASES)
def test_permission_matrix(client, world, name, persona, method):
    kwargs_of, expected = MATRIX[name]
    user = world["users"][persona]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=kwargs_of(world))
    response = client.get(url) if method == "GET" else client.post(url, {})
    want = expected[persona][0 if method == "GET" else 1]
    assert response.status_code == want, f"{method} {url} as {persona}"
    if persona == "anonymous" and want == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_drafter_of_another_unit_does_not_see_the_speech_in_lists(client, world):
    client.force_login(world["users"]["drafter_b"])
    title = world["speech"].display_title
    assert title not in client.get(reverse("drafts:speech-list")).content.decode()
    assert title not in client.get(reverse("drafts:home")).content.decode()
    trash = client.get(reverse("drafts:trash")).content.decode()
    assert "已删除的讲话稿" not in trash and title not in trash
    client.force_login(world["users"]["superuser"])
    assert title in client.get(reverse("drafts:speech-list")).content.decode()
    assert "已删除的讲话稿" in client.get(reverse("drafts:trash")).content.decode()
