"""Who may read and who may change a speech.

Every view fetches its speech, part or item through these helpers, so the rule lives in
one place: a speech the user may not see is a 404, never a 403 that would confirm it
exists.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Item, Part, Speech


def readable_speeches(user):
    """The speeches ``user`` may see."""
    return Speech.objects.all() if user.is_authenticated else Speech.objects.none()


def with_structure(queryset):
    """Prefetch what ``Speech.as_structure`` reads, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("parts", queryset=Part.objects.order_by("position")),
        Prefetch("parts__items", queryset=Item.objects.order_by("kind", "position")),
    )


def get_speech_for_reader(request, pk: int, *, structure: bool = False) -> Speech:
    queryset = readable_speeches(request.user)
    if structure:
        queryset = with_structure(queryset)
    return get_object_or_404(queryset, pk=pk)


def get_speech_for_editor(request, pk: int, *, structure: bool = False) -> Speech:
    return get_speech_for_reader(request, pk, structure=structure)


def get_part_for_editor(request, pk: int) -> Part:
    part = get_object_or_404(Part.objects.select_related("speech"), pk=pk)
    get_speech_for_editor(request, part.speech_id)
    return part


def get_item_for_editor(request, pk) -> Item:
    item = get_object_or_404(Item.objects.select_related("part__speech"), pk=pk)
    get_speech_for_editor(request, item.part.speech_id)
    return item
