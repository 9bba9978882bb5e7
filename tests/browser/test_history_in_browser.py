"""The history page in a real browser: restoring never undoes a save the user has not seen.

Issue 11, case 7: a restore used to ignore the result of its version check, so after a
colleague's later save it still recorded a revision and said "已恢复".
"""

import pytest
from django.urls import reverse

from drafts.access import DRAFTER_GROUP
from drafts.models import Revision, Speech
from tests.factories import make_speech

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restore_after_a_colleagues_save_is_refused_and_then_made_over_the_new_text(
    new_page, log_in, live_server, make_person, screenshot
):
    drafter = make_person("drafter1", DRAFTER_GROUP, first_name="小起草")
    colleague = make_person("drafter2", DRAFTER_GROUP, first_name="老同事")
    speech = make_speech(owner=drafter)
    for text in ("第一稿开场白。", "第二稿开场白。"):
        speech.refresh_from_db()
        Speech.save_unit(
            speech.pk,
            "opening",
            texts={"opening": text},
            bases={"opening": speech.opening},
            version=None,
            user=drafter,
            label="开场白",
        )
    page = new_page()
    log_in(page, "drafter1")
    history = live_server.url + reverse("drafts:speech-history", args=[speech.pk])
    page.goto(history)
    first = page.locator("tr", has_text="第一稿开场白。")

    # While the page is open, a colleague saves the opening again.
    speech.refresh_from_db()
    Speech.save_unit(
        speech.pk,
        "opening",
        texts={"opening": "同事的第三稿开场白。"},
        bases={"opening": speech.opening},
        version=None,
        user=colleague,
        label="开场白",
    )
    revisions = Revision.objects.count()
    first.get_by_role("button", name="恢复此版本").click()
    page.get_by_text("未恢复").wait_for()
    screenshot(page, "restore-refused")
    speech.refresh_from_db()
    assert speech.opening == "同事的第三稿开场白。"
    assert Revision.objects.count() == revisions

    # The page now shows the colleague's save; restoring from it is deliberate and works.
    assert page.locator("tr", has_text="同事的第三稿开场白。").count() == 1
    page.locator("tr", has_text="第一稿开场白。").get_by_role("button", name="恢复此版本").click()
    page.get_by_text("已将“开场白”恢复到").wait_for()
    speech.refresh_from_db()
    assert speech.opening == "第一稿开场白。"
    assert Revision.objects.count() == revisions + 1
