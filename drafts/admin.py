from django.contrib import admin

from .models import Item, Part, Speech


class PartInline(admin.StackedInline):
    model = Part
    extra = 0
    fields = [
        "position",
        "kind",
        "heading",
        "intro",
        "lessons_intro",
        "shortcomings_intro",
        "transition",
    ]


@admin.register(Speech)
class SpeechAdmin(admin.ModelAdmin):
    list_display = ["display_title", "status", "organization", "owner", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "occasion", "organization", "speaker"]
    readonly_fields = ["version", "opening_version", "closing_version", "created_at", "updated_at"]
    inlines = [PartInline]


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = ["__str__", "position", "kind", "heading"]
    list_select_related = ["speech"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "part", "kind", "position", "lead", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["part__speech"]
    search_fields = ["lead", "body"]
    readonly_fields = ["id", "version", "updated_at"]
