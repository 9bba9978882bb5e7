"""The examples in the domain modules' docstrings run as tests, so they stay true."""

import doctest
import importlib

import pytest

# The plain modules: no database, no request (house-style "Domain modules").
DOMAIN_MODULES = [
    "drafts.numbering",
    "drafts.structure",
    "drafts.assembly",
    "drafts.placeholders",
    "drafts.parsing",
    "drafts.comparison",
    "drafts.lengths",
    "drafts.workflow",
    "drafts.reading",
    "drafts.speech_json",
    "drafts.docx_export",
    "drafts.downloads",
    "drafts.backup",
    "drafts.budgets",
    "drafts.word_lists",
    "drafts.docx_changes",
    "drafts.word_review",
    "drafts.export_origin",
    "drafts.passages",
    "drafts.proofreading",
    "drafts.proofreading_places",
    "drafts.proofreading_report",
    "drafts.wording_csv",
    "drafts.suggestions",
    "drafts.marking",
]
# Modules of the web layer, or on the database, whose helpers carry examples too.
WEB_MODULES = ["drafts.audit", "drafts.lockout", "drafts.review_import"]


@pytest.mark.parametrize("name", DOMAIN_MODULES + WEB_MODULES)
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
