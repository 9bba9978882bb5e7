from django.urls import path, register_converter

from .models import LARGEST_ID
from .views import (
    editing,
    imports,
    presence,
    proofreading,
    review,
    session,
    speeches,
    suggestions,
    trash,
    versions,
)


class IdConverter:
    """A row id, as every id column stores it (a bigint): larger ones match no URL, so
    a 30-digit id is a 404 rather than an OverflowError (SQLite) or a DataError
    (PostgreSQL) from the query (issue 13, case 6)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("id out of range")  # Django: no match, so 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")

app_name = "drafts"

urlpatterns = [
    # My to-do list
    path("", review.home, name="home"),
    # Speeches
    path("speeches/", speeches.speech_list, name="speech-list"),
    path("speeches/new/", speeches.speech_create, name="speech-create"),
    path("speeches/<id:pk>/", editing.speech_edit, name="speech-edit"),
    path("speeches/<id:pk>/delete/", speeches.speech_delete, name="speech-delete"),
    path("speeches/<id:pk>/preview/", speeches.speech_preview, name="speech-preview"),
    # Editing units of a speech
    path("speeches/<id:pk>/header/", editing.speech_header_edit, name="speech-header-edit"),
    path("speeches/<id:pk>/text/<str:name>/", editing.speech_text_edit, name="speech-text-edit"),
    path("parts/<id:pk>/text/<str:name>/", editing.part_text_edit, name="part-text-edit"),
    # Items
    path("parts/<id:pk>/items/<str:kind>/add/", editing.item_add, name="item-add"),
    path("items/<uuid:pk>/", editing.item_edit, name="item-edit"),
    path("items/<uuid:pk>/move/", editing.item_move, name="item-move"),
    path("items/<uuid:pk>/delete/", editing.item_delete, name="item-delete"),
    # The trash (回收站): deleted speeches and items, and restoring them
    path("trash/", trash.trash, name="trash"),
    path("trash/speeches/<id:pk>/restore/", trash.speech_restore, name="speech-restore"),
    path("trash/items/<uuid:pk>/restore/", trash.item_restore, name="item-restore"),
    # 校对 in the editing page (issue 15): a field checked as typed, 忽略 per speech
    path(
        "speeches/<id:pk>/proofreading/check/",
        proofreading.proof_check,
        name="speech-proof-check",
    ),
    path(
        "speeches/<id:pk>/proofreading/ignore/",
        proofreading.proof_ignore,
        name="speech-proof-ignore",
    ),
    # Who else is editing (issue 11): the editing page's heartbeat
    path("speeches/<id:pk>/presence/", presence.speech_presence, name="speech-presence"),
    # The session as the editing page's script sees it (save-protocol.md)
    path("session/", session.session_status, name="session-status"),
    path("session/done/", session.session_done, name="session-done"),
    # Review: actions, comments, history, comparing, restoring
    path("speeches/<id:pk>/actions/<str:name>/", review.speech_action, name="speech-action"),
    path("speeches/<id:pk>/comments/", review.comment_add, name="comment-add"),
    path("comments/<id:pk>/resolve/", review.comment_resolve, name="comment-resolve"),
    # A reviewed Word copy (issue 14): its 修订 and 批注 as suggestions and comments
    path(
        "speeches/<id:pk>/review-import/",
        imports.speech_review_import,
        name="speech-review-import",
    ),
    path("speeches/<id:pk>/history/", review.speech_history, name="speech-history"),
    path("speeches/<id:pk>/compare/", review.speech_compare, name="speech-compare"),
    path(
        "speeches/<id:pk>/compare/changes.docx",
        versions.compare_redline_docx,
        name="speech-compare-redline",
    ),
    # Stored versions (issue 14): preview and downloads of any snapshot
    path(
        "speeches/<id:pk>/versions/<id:snapshot_pk>/preview/",
        versions.version_preview,
        name="version-preview",
    ),
    path(
        "speeches/<id:pk>/versions/<id:snapshot_pk>/export.txt",
        versions.version_export_txt,
        name="version-export-txt",
    ),
    path(
        "speeches/<id:pk>/versions/<id:snapshot_pk>/export.json",
        versions.version_export_json,
        name="version-export-json",
    ),
    path(
        "speeches/<id:pk>/versions/<id:snapshot_pk>/export.docx",
        versions.version_export_docx,
        name="version-export-docx",
    ),
    path("revisions/<id:pk>/restore/", review.revision_restore, name="revision-restore"),
    # Suggestions (修改建议, issue 14): proposed in 建议模式, decided by the drafters
    path("speeches/<id:pk>/suggestions/", suggestions.suggestion_add, name="suggestion-add"),
    path(
        "speeches/<id:pk>/suggestions/accept-all/",
        suggestions.suggestion_accept_all,
        name="suggestion-accept-all",
    ),
    path(
        "suggestions/<id:pk>/accept/",
        suggestions.suggestion_decide,
        {"step": "accept"},
        name="suggestion-accept",
    ),
    path(
        "suggestions/<id:pk>/reject/",
        suggestions.suggestion_decide,
        {"step": "reject"},
        name="suggestion-reject",
    ),
    path(
        "suggestions/<id:pk>/withdraw/",
        suggestions.suggestion_decide,
        {"step": "withdraw"},
        name="suggestion-withdraw",
    ),
    path("suggestions/<id:pk>/replies/", suggestions.suggestion_reply, name="suggestion-reply"),
    # Downloads
    path("speeches/<id:pk>/export.txt", speeches.speech_export_txt, name="speech-export-txt"),
    path("speeches/<id:pk>/export.json", speeches.speech_export_json, name="speech-export-json"),
    # Word export (issue 3): the page with the switches, and the file
    path("speeches/<id:pk>/export/", speeches.speech_export, name="speech-export"),
    path("speeches/<id:pk>/export.docx", speeches.speech_export_docx, name="speech-export-docx"),
    # Proofreading (issue 15): the report of every finding, for the archive
    path(
        "speeches/<id:pk>/proofreading/report.docx",
        proofreading.proofreading_report_docx,
        name="speech-proofreading-report",
    ),
    # Importing last year's speech (issue 4): preview, then create
    path("speeches/import/", imports.speech_import, name="speech-import"),
    path("speeches/import/create/", imports.speech_import_create, name="speech-import-create"),
]
