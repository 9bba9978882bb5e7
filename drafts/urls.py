from django.urls import path

from .views import editing, imports, presence, review, session, speeches, trash

app_name = "drafts"

urlpatterns = [
    # My to-do list
    path("", review.home, name="home"),
    # Speeches
    path("speeches/", speeches.speech_list, name="speech-list"),
    path("speeches/new/", speeches.speech_create, name="speech-create"),
    path("speeches/<int:pk>/", editing.speech_edit, name="speech-edit"),
    path("speeches/<int:pk>/delete/", speeches.speech_delete, name="speech-delete"),
    path("speeches/<int:pk>/preview/", speeches.speech_preview, name="speech-preview"),
    # Editing units of a speech
    path("speeches/<int:pk>/header/", editing.speech_header_edit, name="speech-header-edit"),
    path("speeches/<int:pk>/text/<str:name>/", editing.speech_text_edit, name="speech-text-edit"),
    path("parts/<int:pk>/text/<str:name>/", editing.part_text_edit, name="part-text-edit"),
    # Items
    path("parts/<int:pk>/items/<str:kind>/add/", editing.item_add, name="item-add"),
    path("items/<uuid:pk>/", editing.item_edit, name="item-edit"),
    path("items/<uuid:pk>/move/", editing.item_move, name="item-move"),
    path("items/<uuid:pk>/delete/", editing.item_delete, name="item-delete"),
    # The trash (回收站): deleted speeches and items, and restoring them
    path("trash/", trash.trash, name="trash"),
    path("trash/speeches/<int:pk>/restore/", trash.speech_restore, name="speech-restore"),
    path("trash/items/<uuid:pk>/restore/", trash.item_restore, name="item-restore"),
    # Who else is editing (issue 11): the editing page's heartbeat
    path("speeches/<int:pk>/presence/", presence.speech_presence, name="speech-presence"),
    # The session as the editing page's script sees it (save-protocol.md)
    path("session/", session.session_status, name="session-status"),
    path("session/done/", session.session_done, name="session-done"),
    # Review: actions, comments, history, comparing, restoring
    path("speeches/<int:pk>/actions/<str:name>/", review.speech_action, name="speech-action"),
    path("speeches/<int:pk>/comments/", review.comment_add, name="comment-add"),
    path("comments/<int:pk>/resolve/", review.comment_resolve, name="comment-resolve"),
    path("speeches/<int:pk>/history/", review.speech_history, name="speech-history"),
    path("speeches/<int:pk>/compare/", review.speech_compare, name="speech-compare"),
    path("revisions/<int:pk>/restore/", review.revision_restore, name="revision-restore"),
    # Downloads
    path("speeches/<int:pk>/export.txt", speeches.speech_export_txt, name="speech-export-txt"),
    path("speeches/<int:pk>/export.json", speeches.speech_export_json, name="speech-export-json"),
    # Word export (issue 3): the page with the switches, and the file
    path("speeches/<int:pk>/export/", speeches.speech_export, name="speech-export"),
    path("speeches/<int:pk>/export.docx", speeches.speech_export_docx, name="speech-export-docx"),
    # Importing last year's speech (issue 4): preview, then create
    path("speeches/import/", imports.speech_import, name="speech-import"),
    path("speeches/import/create/", imports.speech_import_create, name="speech-import-create"),
]
