"""Word's automatic list numbering and outline levels, read as Word and WPS show them.

No database: the parts are written here as Word 16 and WPS 12 write them (the
``tests/word_files.py`` builder writes whole files from the same pieces).
"""

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafts.word_lists import ShownParagraph, WordLists, format_number, shown_paragraphs
from tests import word_files
from tests.word_files import (
    abstract_num,
    body_xml,
    level,
    num,
    numbering_xml,
    paragraph,
    paragraph_element,
    style,
    styles_xml,
)


def labels(body_paragraphs, numbering=None, styles=None):
    shown = shown_paragraphs(body_xml(body_paragraphs), numbering, styles)
    return [item.label for item in shown]


# -- number formats (ECMA-376 §17.18.59; MS-DOCX §2.4 for the Chinese counting forms) ---


@pytest.mark.parametrize(
    ("fmt", "value", "expected"),
    [
        ("decimal", 1, "1"),
        ("decimal", 32767, "32767"),
        ("decimalZero", 3, "03"),
        ("decimalZero", 12, "12"),
        # chineseCounting: 十 for the tens up to 99, digit by digit from 100 (MS-DOCX §2.4
        # gives 一, 十, 一○○ for 1, 10, 100).
        ("chineseCounting", 1, "一"),
        ("chineseCounting", 10, "十"),
        ("chineseCounting", 11, "十一"),
        ("chineseCounting", 20, "二十"),
        ("chineseCounting", 99, "九十九"),
        ("chineseCounting", 100, "一○○"),
        ("chineseCounting", 105, "一○五"),
        # chineseCountingThousand: 一, 十, 一百 (MS-DOCX §2.4), 零 for a gap
        ("chineseCountingThousand", 10, "十"),
        ("chineseCountingThousand", 11, "十一"),
        ("chineseCountingThousand", 100, "一百"),
        ("chineseCountingThousand", 101, "一百零一"),
        ("chineseCountingThousand", 110, "一百一十"),
        ("chineseLegalSimplified", 3, "叁"),
        ("ideographTraditional", 1, "甲"),
        ("ideographTraditional", 3, "丙"),
        ("ideographTraditional", 10, "癸"),
        ("ideographTraditional", 11, "11"),
        ("ideographZodiac", 12, "亥"),
        ("ideographDigital", 105, "一〇五"),
        ("decimalEnclosedCircle", 1, "①"),
        ("decimalEnclosedCircle", 20, "⑳"),
        ("decimalEnclosedCircle", 21, "21"),
        ("decimalEnclosedCircleChinese", 2, "②"),
        ("decimalEnclosedParen", 1, "⑴"),
        ("decimalEnclosedFullstop", 1, "⒈"),
        ("ideographEnclosedCircle", 1, "㈠"),
        ("decimalFullWidth", 12, "１２"),
        ("lowerLetter", 1, "a"),
        ("lowerLetter", 26, "z"),
        ("lowerLetter", 27, "aa"),
        ("upperLetter", 28, "BB"),
        ("lowerRoman", 4, "iv"),
        ("upperRoman", 1994, "MCMXCIV"),
        ("japaneseCounting", 10, "十"),
        ("japaneseCounting", 101, "百一"),
        ("japaneseCounting", 2020, "二千二十"),
        ("none", 5, ""),
    ],
)
def test_each_number_format_renders_as_word_shows_it(fmt, value, expected):
    assert format_number(value, fmt) == expected


def test_an_unknown_format_falls_back_to_decimal():
    assert format_number(7, "hebrew1") is None
    numbering = numbering_xml([abstract_num(0, [level(0, "hebrew1", "%1.")])], [num(1, 0)])
    lists = WordLists(numbering)
    shown = [lists.shown(paragraph_element("甲", num_id=1)) for _ in range(2)]
    assert [item.label for item in shown] == ["1.", "2."]
    assert len(lists.findings) == 1
    assert "hebrew1" in lists.findings[0]


# -- the Chinese headings of a speech -----------------------------------------------------


WORD_SPEECH_NUMBERING = numbering_xml(
    [
        abstract_num(
            0,
            [
                level(0, "chineseCounting", "%1、", suffix="nothing", style="1"),
                level(1, "chineseCounting", "（%2）", suffix="nothing", style="2"),
                level(2, "decimal", "%3.", suffix="space"),
            ],
        )
    ],
    [num(1, 0)],
)


def test_chinese_headings_and_items_count_per_level_and_restart_under_a_new_heading():
    body = [
        paragraph("回顾", num_id=1, ilvl=0),
        paragraph("在学习上", num_id=1, ilvl=1),
        paragraph("在落实上", num_id=1, ilvl=1),
        paragraph("展望", num_id=1, ilvl=0),
        paragraph("第一项", num_id=1, ilvl=1),
        paragraph("细目", num_id=1, ilvl=2),
    ]
    assert labels(body, WORD_SPEECH_NUMBERING) == [
        "一、",
        "（一）",
        "（二）",
        "二、",
        "（一）",
        "1.",
    ]


def test_ilvl_defaults_to_the_first_level():
    assert labels([paragraph("回顾", num_id=1)], WORD_SPEECH_NUMBERING) == ["一、"]


def test_the_label_and_its_separator_as_the_user_reads_them():
    shown = shown_paragraphs(
        body_xml([paragraph("回顾", num_id=1), paragraph("细", num_id=1, ilvl=2)]),
        WORD_SPEECH_NUMBERING,
    )
    # 一、 is followed by nothing (suff nothing, and a Chinese label needs no space)
    assert shown[0].prefix == "一、"
    assert shown[1].prefix == "1. "


@pytest.mark.parametrize(
    ("suffix", "prefix"),
    [("tab", "1.\t"), ("space", "1. "), ("nothing", "1."), (None, "1.\t")],
)
def test_the_suffix_follows_a_latin_label(suffix, prefix):
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "%1.", suffix=suffix)])], [num(1, 0)]
    )
    assert shown_paragraphs(body_xml([paragraph("甲", num_id=1)]), numbering)[0].prefix == prefix


def test_a_chinese_label_takes_no_separator_even_with_a_tab():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "chineseCounting", "%1、", suffix="tab")])], [num(1, 0)]
    )
    assert shown_paragraphs(body_xml([paragraph("甲", num_id=1)]), numbering)[0].prefix == "一、"


def test_multi_level_text_shows_every_level():
    numbering = numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "decimal", "%1."),
                    level(1, "decimal", "%1.%2"),
                    level(2, "lowerRoman", "%1.%2.%3"),
                ],
            )
        ],
        [num(1, 0)],
    )
    body = [
        paragraph("a", num_id=1),
        paragraph("b", num_id=1, ilvl=1),
        paragraph("c", num_id=1, ilvl=1),
        paragraph("d", num_id=1, ilvl=2),
        paragraph("e", num_id=1),
        paragraph("f", num_id=1, ilvl=1),
    ]
    assert labels(body, numbering) == ["1.", "1.1", "1.2", "1.2.i", "2.", "2.1"]


def test_a_level_not_yet_used_shows_its_start():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "%1.", start=3), level(1, "decimal", "%1.%2")])],
        [num(1, 0)],
    )
    assert labels([paragraph("b", num_id=1, ilvl=1)], numbering) == ["3.1"]


def test_legal_numbering_shows_the_higher_levels_in_arabic_numerals():
    numbering = numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "upperRoman", "%1."),
                    level(1, "lowerLetter", "%1.%2", legal=True),
                ],
            )
        ],
        [num(1, 0)],
    )
    body = [paragraph("a", num_id=1), paragraph("b", num_id=1), paragraph("c", num_id=1, ilvl=1)]
    # isLgl turns the inherited numbers to Arabic; the level's own keeps its format
    # (MS-DOC LVLF fLegal: "overrides the nfc of all inherited level numbers")
    assert labels(body, numbering) == ["I.", "II.", "2.a"]


def test_a_level_text_naming_a_deeper_level_shows_nothing():
    # MS-OI29500 §2.1.283 c: Word ignores the whole lvlText then.
    numbering = numbering_xml([abstract_num(0, [level(0, "decimal", "%1.%2")])], [num(1, 0)])
    assert labels([paragraph("a", num_id=1)], numbering) == [""]


def test_start_values():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "chineseCounting", "%1、", start=3)])], [num(1, 0)]
    )
    assert labels([paragraph("a", num_id=1), paragraph("b", num_id=1)], numbering) == [
        "三、",
        "四、",
    ]


def test_start_defaults_to_zero_when_omitted():
    # ECMA-376 §17.9.25: an omitted w:start is 0.
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "%1.", start=None)])], [num(1, 0)]
    )
    assert labels([paragraph("a", num_id=1)], numbering) == ["0."]


# -- restarts and overrides ---------------------------------------------------------------


def test_lvl_restart_keeps_a_level_counting_across_higher_levels():
    numbering = numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "chineseCounting", "%1、"),
                    level(1, "chineseCounting", "（%2）"),
                    level(2, "decimal", "%3.", restart=1),
                    level(3, "decimal", "%4)", restart=0),
                ],
            )
        ],
        [num(1, 0)],
    )
    body = [
        paragraph("a", num_id=1),
        paragraph("b", num_id=1, ilvl=1),
        paragraph("c", num_id=1, ilvl=2),
        paragraph("d", num_id=1, ilvl=3),
        paragraph("e", num_id=1, ilvl=1),  # level 3 restarts only after level 1: keeps counting
        paragraph("f", num_id=1, ilvl=2),
        paragraph("g", num_id=1, ilvl=3),
        paragraph("h", num_id=1),  # level 3 restarts; level 4 never does
        paragraph("i", num_id=1, ilvl=2),
        paragraph("j", num_id=1, ilvl=3),
    ]
    assert labels(body, numbering) == [
        "一、",
        "（一）",
        "1.",
        "1)",
        "（二）",
        "2.",
        "2)",
        "二、",
        "1.",
        "3)",
    ]


def test_two_nums_of_one_abstract_num_share_their_counters():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "chineseCounting", "%1、")])], [num(1, 0), num(2, 0)]
    )
    body = [paragraph("a", num_id=1), paragraph("b", num_id=2), paragraph("c", num_id=1)]
    assert labels(body, numbering) == ["一、", "二、", "三、"]


def test_a_start_override_restarts_the_list_where_its_num_is_first_used():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "chineseCounting", "%1、")])],
        [num(1, 0), num(2, 0, overrides={0: {"start": 1}})],
    )
    body = [
        paragraph("a", num_id=1),
        paragraph("b", num_id=1),
        paragraph("c", num_id=2),
        paragraph("d", num_id=2),
    ]
    assert labels(body, numbering) == ["一、", "二、", "一、", "二、"]


def test_a_start_override_also_sets_where_the_level_restarts():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "%1."), level(1, "decimal", "(%2)")])],
        [num(1, 0, overrides={1: {"start": 5}})],
    )
    body = [
        paragraph("a", num_id=1),
        paragraph("b", num_id=1, ilvl=1),
        paragraph("c", num_id=1),
        paragraph("d", num_id=1, ilvl=1),
    ]
    assert labels(body, numbering) == ["1.", "(5)", "2.", "(5)"]


def test_a_level_override_carrying_a_whole_level_replaces_its_format():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "%1.")])],
        [
            num(1, 0),
            num(
                2, 0, overrides={0: {"start": 1, "level": level(0, "ideographTraditional", "%1、")}}
            ),
        ],
    )
    body = [paragraph("a", num_id=1), paragraph("b", num_id=2), paragraph("c", num_id=2)]
    assert labels(body, numbering) == ["1.", "甲、", "乙、"]


# -- numbering carried by styles ----------------------------------------------------------


def test_numbering_comes_from_the_paragraph_style_and_its_based_on_chain():
    styles = styles_xml(
        [
            style("1", "heading 1", num_id=1, ilvl=0, outline=0),
            style("2", "heading 2", num_id=1, ilvl=1, outline=1),
            style("a1", "我的标题", based_on="2"),
        ]
    )
    body = [
        paragraph("回顾", style="1"),
        paragraph("在学习上", style="2"),
        paragraph("在落实上", style="a1"),
        paragraph("正文"),
    ]
    assert labels(body, WORD_SPEECH_NUMBERING, styles) == ["一、", "（一）", "（二）", ""]


def test_num_id_zero_on_the_paragraph_removes_the_style_numbering():
    styles = styles_xml([style("1", "heading 1", num_id=1, ilvl=0)])
    body = [
        paragraph("甲", style="1"),
        paragraph("不编号", style="1", num_id=0),
        paragraph("乙", style="1"),
    ]
    assert labels(body, WORD_SPEECH_NUMBERING, styles) == ["一、", "", "二、"]


def test_num_id_zero_on_a_style_removes_the_numbering_it_is_based_on():
    styles = styles_xml(
        [
            style("1", "heading 1", num_id=1, ilvl=0),
            style("plain", "无编号标题", based_on="1", num_id=0),
        ]
    )
    assert labels([paragraph("甲", style="plain")], WORD_SPEECH_NUMBERING, styles) == [""]


def test_a_style_without_ilvl_takes_the_level_linked_to_it():
    # Word's multilevel list linked to headings: the lvl names the style (w:pStyle), the
    # style names only the numId.
    styles = styles_xml([style("1", "heading 1", num_id=1), style("2", "heading 2", num_id=1)])
    body = [paragraph("回顾", style="1"), paragraph("在学习上", style="2")]
    assert labels(body, WORD_SPEECH_NUMBERING, styles) == ["一、", "（一）"]


def test_the_default_paragraph_style_applies_without_a_style():
    styles = styles_xml([style("Normal", "Normal", num_id=1, default=True)])
    assert labels([paragraph("甲")], WORD_SPEECH_NUMBERING, styles) == ["一、"]


def test_num_style_link_leads_to_the_numbering_style_definition():
    numbering = numbering_xml(
        [
            abstract_num(0, [level(0, "chineseCounting", "%1、")], style_link="公文编号"),
            abstract_num(1, [], num_style_link="公文编号"),
        ],
        [num(1, 0), num(2, 1)],
    )
    styles = styles_xml([style("公文编号", "公文编号", num_id=1, kind="numbering")])
    body = [paragraph("a", num_id=2), paragraph("b", num_id=2)]
    assert labels(body, numbering, styles) == ["一、", "二、"]


def test_bullets_have_no_number():
    numbering = numbering_xml([abstract_num(0, [level(0, "bullet", "\uf06c")])], [num(1, 0)])
    assert labels([paragraph("甲", num_id=1)], numbering) == [""]


def test_a_missing_num_means_no_numbering():
    assert labels([paragraph("甲", num_id=9)], WORD_SPEECH_NUMBERING) == [""]


def test_custom_zero_padded_format_of_word_2010():
    # Word writes "001, 002, 003, ..." in an mc:AlternateContent choice (MS-DOCX §2.4).
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "custom:001, 002, 003, ...", "%1.")])], [num(1, 0)]
    )
    assert labels([paragraph("a", num_id=1)], numbering) == ["001."]


# -- outline levels -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("styles", "paragraph_style", "own_outline", "expected"),
    [
        ([style("Heading1", "heading 1")], "Heading1", None, 1),  # Word 16, English
        ([style("1", "heading 1")], "1", None, 1),  # Word 16 Chinese, WPS 12
        ([style("2", "heading 2")], "2", None, 2),
        ([style("3", "标题 2")], "3", None, 2),  # a name as some WPS versions write it
        ([style("标题1", "custom")], "标题1", None, 1),
        ([style("h2", "heading 2,H2,二级标题")], "h2", None, 2),  # aliases in the name
        ([style("a3", "公文一级", outline=0)], "a3", None, 1),  # custom style, w:outlineLvl
        ([style("a3", "公文一级", outline=0), style("a4", "x", based_on="a3")], "a4", None, 1),
        ([style("a3", "正文", outline=9)], "a3", None, None),  # 9 is body text
        ([style("Heading1", "heading 1", outline=9)], "Heading1", None, None),
        ([style("Normal", "Normal")], "Normal", 1, 2),  # the paragraph's own w:outlineLvl
        ([style("Heading1", "heading 1")], "Heading1", 9, None),
        ([], None, None, None),
        ([style("Title", "Title")], "Title", None, None),
    ],
)
def test_outline_level_from_the_paragraph_its_style_and_built_in_headings(
    styles, paragraph_style, own_outline, expected
):
    shown = shown_paragraphs(
        body_xml([paragraph("甲", style=paragraph_style, outline=own_outline)]),
        None,
        styles_xml(styles),
    )
    assert shown[0].outline_level == expected


def test_a_paragraph_without_numbering_or_style_is_plain():
    assert shown_paragraphs(body_xml([paragraph("甲")])) == [ShownParagraph()]


def test_paragraphs_in_tables_and_content_controls_are_read_in_order():
    body = body_xml(
        [
            paragraph("a", num_id=1),
            "<w:tbl><w:tr><w:tc>" + paragraph("b", num_id=1) + "</w:tc></w:tr></w:tbl>",
            "<w:sdt><w:sdtContent>" + paragraph("c", num_id=1) + "</w:sdtContent></w:sdt>",
        ]
    )
    assert [s.label for s in shown_paragraphs(body, WORD_SPEECH_NUMBERING)] == [
        "一、",
        "二、",
        "三、",
    ]


# -- hostile numbering ----------------------------------------------------------------------


def test_a_huge_start_value_is_capped_at_words_own_limit():
    # MS-DOC LVLF iStartAt: at most 0x7FFF.
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "lowerLetter", "%1", start=10**12)])], [num(1, 0)]
    )
    lists = WordLists(numbering)
    label = lists.shown(paragraph_element("a", num_id=1)).label
    # 32767 in letters is "g" 1261 times; Word shows at most 31 characters.
    assert label == "g" * 31
    assert lists.findings


def test_cycles_of_based_on_and_style_links_end():
    styles = styles_xml(
        [
            style("a", "a", based_on="b"),
            style("b", "b", based_on="c"),
            style("c", "c", based_on="a", num_id=1),
            style("公文编号", "公文编号", num_id=2, kind="numbering"),
        ]
    )
    numbering = numbering_xml(
        [
            abstract_num(0, [level(0, "decimal", "%1.")]),
            abstract_num(1, [], num_style_link="公文编号"),
        ],
        [num(1, 0), num(2, 1)],
    )
    body = [paragraph("x", style="a"), paragraph("y", num_id=2)]
    assert labels(body, numbering, styles) == ["1.", ""]


def test_a_long_based_on_chain_is_resolved_once_per_style():
    chain = [style(f"s{n}", f"s{n}", based_on=f"s{n + 1}") for n in range(3000)]
    chain.append(style("s3000", "heading 1", num_id=1, ilvl=0))
    styles = styles_xml(chain)
    body = [paragraph("x", style="s0") for _ in range(2000)]
    shown = shown_paragraphs(body_xml(body), WORD_SPEECH_NUMBERING, styles)
    assert shown[-1].label == "二○○○、"
    assert shown[0].outline_level == 1


def test_a_huge_level_text_gives_a_label_of_at_most_31_characters():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "第" * 100_000 + "%1")])], [num(1, 0)]
    )
    assert labels([paragraph("a", num_id=1)], numbering) == ["第" * 31]


def test_unreadable_parts_mean_no_numbering_and_a_finding():
    lists = WordLists(b"<not xml", b"\x00")
    assert lists.shown(paragraph_element("a")) == ShownParagraph()
    assert len(lists.findings) == 2


def test_a_style_based_on_a_linked_heading_takes_the_linked_level():
    styles = styles_xml(
        [
            style("1", "heading 1", num_id=1),
            style("2", "heading 2", num_id=1),
            style("a1", "公文二级", based_on="2"),
        ]
    )
    body = [paragraph("回顾", style="1"), paragraph("在学习上", style="a1")]
    assert labels(body, WORD_SPEECH_NUMBERING, styles) == ["一、", "（一）"]


# -- whole files as Word 16, WPS 12 and LibreOffice write them ----------------------------

RESOURCES = Path(__file__).parent / "resources"


def shown_in(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        part = lambda name: archive.read(name) if name in names else None  # noqa: E731
        return shown_paragraphs(
            part("word/document.xml"), part("word/numbering.xml"), part("word/styles.xml")
        )


@pytest.mark.parametrize(
    "data",
    [
        word_files.word16_speech(),
        word_files.wps12_speech(),
        (RESOURCES / "speech_outline_libreoffice.docx").read_bytes(),
    ],
    ids=["word16", "wps12", "libreoffice"],
)
def test_the_speech_shows_its_numbers_and_heading_levels(data):
    shown = shown_in(data)
    assert [(s.label, s.outline_level) for s in shown if s.label or s.outline_level] == [
        ("一、", 1),
        ("（一）", 2),
        ("（二）", 2),
        ("（三）", 2),
        ("二、", 1),
    ]
    texts = [s.prefix + text for s, text in zip(shown, word_files.SPEECH_TEXTS, strict=True)]
    assert texts == word_files.SEEN


def test_the_libreoffice_file_is_the_committed_source_converted():
    # Regenerate with: libreoffice --headless --convert-to docx speech_outline_libreoffice.fodt
    assert (RESOURCES / "speech_outline_libreoffice.fodt").read_text(encoding="utf-8") == (
        word_files.libreoffice_fodt()
    )


def test_a_hidden_number_is_not_shown_but_still_counts():
    numbering = numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "chineseCounting", "%1、", hidden=True),
                    level(1, "chineseCounting", "（%2）"),
                ],
            )
        ],
        [num(1, 0)],
    )
    body = [paragraph("a", num_id=1), paragraph("b", num_id=1, ilvl=1), paragraph("c", num_id=1)]
    assert labels(body, numbering) == ["", "（一）", ""]


def test_a_level_override_without_a_start_override_restarts_at_its_own_start():
    numbering = numbering_xml(
        [abstract_num(0, [level(0, "decimal", "%1.")])],
        [
            num(1, 0),
            num(2, 0, overrides={0: {"level": level(0, "chineseCounting", "%1、", start=1)}}),
        ],
    )
    body = [paragraph("a", num_id=1), paragraph("b", num_id=1), paragraph("c", num_id=2)]
    assert labels(body, numbering) == ["1.", "2.", "一、"]


@pytest.mark.parametrize(
    "fmt", ["zeroPadded99999999999", "custom:" + "0" * 100_000 + "1, 002, ..."]
)
def test_formats_that_would_pad_without_end_are_bounded(fmt):
    numbering = numbering_xml([abstract_num(0, [level(0, fmt, "%1")])], [num(1, 0)])
    (label,) = labels([paragraph("a", num_id=1)], numbering)
    assert label.endswith("1") and len(label) <= 31


VALUES = st.one_of(
    st.integers(min_value=-3, max_value=12).map(str),
    st.sampled_from(["", "x", "1e9", "99999999999999999999", "-0", " 2", "0x10"]),
)


@settings(max_examples=150, deadline=None)
@given(
    levels=st.lists(
        st.tuples(
            VALUES,
            st.sampled_from(
                [
                    "decimal",
                    "chineseCounting",
                    "lowerLetter",
                    "upperRoman",
                    "bullet",
                    "none",
                    "hebrew1",
                    "",
                    "custom:01, 02, 03, ...",
                ]
            ),
            st.sampled_from(["%1、", "（%2）", "%1.%2.%3", "%9", "%", "%%1", "", "第%1章"]),
            VALUES,
            st.sampled_from([None, "0", "1", "2", "x"]),
        ),
        max_size=6,
    ),
    paragraphs=st.lists(
        st.tuples(VALUES, VALUES, st.sampled_from([None, "s1", "s2", "missing"])), max_size=12
    ),
)
def test_any_numbering_gives_labels_a_label_long_never_an_error(levels, paragraphs):
    level_xml = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else "")
        + f'<w:lvlText w:val="{text}"/></w:lvl>'
        for ilvl, fmt, text, start, restart in levels
    )
    numbering = numbering_xml(
        [
            f'<w:abstractNum w:abstractNumId="0">{level_xml}</w:abstractNum>',
            abstract_num(1, [], num_style_link="s2"),
        ],
        [num(1, 0), num(2, 0, overrides={0: {"start": 7}}), num(3, 1)],
    )
    styles = styles_xml(
        [
            style("s1", "heading 1", num_id=1, based_on="s2"),
            style("s2", "s2", based_on="s1", kind="numbering", num_id=3),
        ]
    )
    body = "".join(
        f"<w:p><w:pPr>{f'<w:pStyle w:val={chr(34)}{name}{chr(34)}/>' if name else ''}"
        f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:p>'
        for ilvl, num_id, name in paragraphs
    )
    shown = shown_paragraphs(body_xml([body]), numbering, styles)
    assert len(shown) == len(paragraphs)
    assert all(len(item.label) <= 31 for item in shown)
