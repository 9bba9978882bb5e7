from django.urls import path

from . import views

app_name = "drafts"

urlpatterns = [
    # Speeches
    path("", views.speech_list, name="speech-list"),
    path("speeches/new/", views.speech_create, name="speech-create"),
    path("speeches/<int:pk>/", views.speech_edit, name="speech-edit"),
    path("speeches/<int:pk>/delete/", views.speech_delete, name="speech-delete"),
    path("speeches/<int:pk>/preview/", views.speech_preview, name="speech-preview"),
    # Editing units of a speech
    path("speeches/<int:pk>/header/", views.speech_header_edit, name="speech-header-edit"),
    path("speeches/<int:pk>/text/<str:name>/", views.speech_text_edit, name="speech-text-edit"),
    path("parts/<int:pk>/text/<str:name>/", views.part_text_edit, name="part-text-edit"),
    # Items
    path("parts/<int:pk>/items/<str:kind>/add/", views.item_add, name="item-add"),
    path("items/<uuid:pk>/", views.item_edit, name="item-edit"),
    path("items/<uuid:pk>/move/", views.item_move, name="item-move"),
    path("items/<uuid:pk>/delete/", views.item_delete, name="item-delete"),
    # Downloads
    path("speeches/<int:pk>/export.txt", views.speech_export_txt, name="speech-export-txt"),
    path("speeches/<int:pk>/export.json", views.speech_export_json, name="speech-export-json"),
]
