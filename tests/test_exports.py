import json
import re

import pytest
from django.urls import reverse

from drafts import speech_json
from drafts.assembly import assemble, plain_text
from drafts.demo import demo_speech
from drafts.models import Speech
from tests.factories import make_speech

# The demo speech as it must read, paragraph by paragraph: written out by hand here so
# that the text export is checked against the format, not against itself.
DEMO_FIRST_LINES = [
    "在市统计局“数据质量提升年”活动",
    "总结大会上的讲话",
    "局长 王XX",
    "（2026年12月18日）",
    "同志们：",
]


@pytest.mark.django_db
def test_text_download_of_the_demo_speech_gives_its_paragraphs(drafter_client, drafter):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    response = drafter_client.get(reverse("drafts:speech-export-txt", args=[speech.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    lines = response.content.decode("utf-8").splitlines()
    assert lines[:5] == DEMO_FIRST_LINES
    assert lines[6] == "一、回顾全年工作，数据质量提升活动取得明显成效"
    assert lines[8].startswith("（一）在夯实基层基础上用力，源头数据更加规范。全面梳理全市X家")
    assert lines[12] == (
        "回顾一年来的工作，我们有几点体会：一是数据质量是统计工作的生命线，任何时候都不能打折扣。"
        "二是抓基层、打基础是提升质量的根本途径，必须久久为功。"
        "三是制度和技术两手都要硬，才能把质量控制落到每个环节。"
    )
    assert lines[13] == "二、正视差距不足，推动数据质量再上新台阶"
    assert lines[14] == (
        "在肯定成绩的同时，也要清醒看到存在的不足，主要是：一是部分基层单位统计力量薄弱，人员流动频繁；"
        "二是数据校验规则还不够完善，对新兴行业的覆盖不足；三是统计数据的开发应用深度不够，服务基层的产品偏少。"
        "对这些问题，我们要高度重视，在今后的工作中认真加以解决。"
    )
    assert lines[15].startswith("一是要在队伍建设上持续加力。推动区县")
    assert lines[17].startswith("三是要在数据服务上持续创新。面向")
    assert lines[18].startswith("同志们，数据质量没有终点")
    assert len(lines) == 19


@pytest.mark.django_db
def test_stored_speech_gives_back_what_was_stored(drafter):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    stored = Speech.objects.prefetch_related("parts__items").get(pk=speech.pk).as_structure()
    assert speech_json.to_document(stored) == speech_json.to_document(demo_speech())
    assert plain_text(assemble(stored)) == plain_text(assemble(demo_speech()))


@pytest.mark.django_db
def test_json_download_is_the_documented_format(drafter_client, drafter):
    speech = make_speech(owner=drafter, achievements=2)
    response = drafter_client.get(reverse("drafts:speech-export-json", args=[speech.pk]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert document["format"] == "speechdraft/1"
    assert len(document["part_one"]["achievements"]) == 2
    assert document["title"] == "在测试局年度工作\n总结会议上的讲话"


# A text of several paragraphs ("\n" between them, as models.plain() stores a line break)
# reads as that many paragraphs in the text export and the preview, as in Word.


def several_paragraphs(drafter):
    speech = make_speech(owner=drafter)
    speech.opening = "开场第一段，交代背景。\r\n开场第二段，说明目的。"
    speech.title = "凝心聚力抓落实\n——在测试局年度工作会议上的讲话"
    speech.save(update_fields=["opening", "title"])
    return speech


@pytest.mark.django_db
def test_text_download_gives_each_paragraph_of_a_text_its_own_line(drafter_client, drafter):
    speech = several_paragraphs(drafter)
    response = drafter_client.get(reverse("drafts:speech-export-txt", args=[speech.pk]))
    lines = response.content.decode("utf-8").splitlines()
    assert lines[:2] == ["凝心聚力抓落实", "——在测试局年度工作会议上的讲话"]
    start = lines.index("开场第一段，交代背景。")
    assert lines[start + 1] == "开场第二段，说明目的。"


@pytest.mark.django_db
def test_preview_shows_each_paragraph_of_a_text_as_a_paragraph_with_an_id_of_its_own(
    drafter_client, drafter
):
    speech = several_paragraphs(drafter)
    html = drafter_client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    first = html.index('id="p-opening"')
    second = html.index('id="p-opening-2"')
    assert first < html.index("开场第一段") < second < html.index("开场第二段")
    assert "开场第一段，交代背景。<br" not in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert '<p class="sp sp-subtitle" id="p-title-2">' in html
