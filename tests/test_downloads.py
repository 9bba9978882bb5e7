import pytest

from drafts.downloads import content_disposition, speech_filename


@pytest.mark.parametrize(
    ("title", "extension", "suffix", "expected"),
    [
        ("在局机关年度工作\n总结会议上的讲话", "docx", "", "在局机关年度工作总结会议上的讲话.docx"),
        (
            "在“质量年”活动\n总结会上的讲话",
            "docx",
            "（大字版）",
            "在“质量年”活动总结会上的讲话（大字版）.docx",
        ),
        ("  标题  有   空格 ", "txt", "", "标题 有 空格.txt"),
        ('a/b\\c:d*e?f"g<h>i|j', "json", "", "abcdefghij.json"),
        ("控制\x0b字符\x00与——破折号", ".txt", "", "控制字符与——破折号.txt"),
        ("", "docx", "", "讲话稿.docx"),
        ("\n ?? \n", "docx", "", "讲话稿.docx"),
        ("...", "txt", "", "讲话稿.txt"),
    ],
)
def test_speech_filename_keeps_the_title_and_drops_what_file_systems_refuse(
    title, extension, suffix, expected
):
    assert speech_filename(title, extension, suffix) == expected


def test_speech_filename_shortens_a_very_long_title_but_keeps_the_suffix():
    name = speech_filename("长" * 300, "docx", "（大字版）")
    assert name == "长" * 80 + "（大字版）.docx"


def test_chinese_name_goes_in_filename_star_with_an_ascii_fallback_first():
    header = content_disposition("在总结会上的讲话（大字版）.docx")
    assert header == (
        'attachment; filename="speech.docx"; '
        "filename*=UTF-8''%E5%9C%A8%E6%80%BB%E7%BB%93%E4%BC%9A%E4%B8%8A%E7%9A%84"
        "%E8%AE%B2%E8%AF%9D%EF%BC%88%E5%A4%A7%E5%AD%97%E7%89%88%EF%BC%89.docx"
    )


def test_filename_star_escapes_every_character_that_could_end_the_header():
    header = content_disposition("讲话; a=b 'c'.txt")
    value = header.split("filename*=UTF-8''", 1)[1]
    assert all(char not in value for char in " ;'\"")


def test_ascii_name_is_sent_plainly_with_quotes_escaped():
    assert content_disposition("speech.json") == 'attachment; filename="speech.json"'
    assert content_disposition('a"b.txt') == 'attachment; filename="a\\"b.txt"'


def test_name_without_extension_falls_back_to_a_bare_stem():
    assert content_disposition("讲话").startswith('attachment; filename="speech"; ')
