"""Who else has the editing page of a speech open, and in which unit (issue 11, Presence).

editor.js beats every 20 seconds while the page is visible and when its user moves to
another unit; the answer names the others, so colleagues see each other before a
conflict happens. ``leave`` (sent as the page closes) takes the user off at once.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from ..access import get_speech_for_editor, user_name
from ..models import Presence

# The keys of save-protocol.md: header, text-opening, part-<id>-<name>, item-<uuid>.
UNIT_KEY = re.compile(r"[a-z0-9-]{1,64}")


@login_required
@require_POST
def speech_presence(request, pk):
    speech = get_speech_for_editor(request, pk)
    unit_key = request.POST.get("unit", "")
    if not UNIT_KEY.fullmatch(unit_key):
        unit_key = ""  # not a unit of ours: the page is open, in no unit in particular
    if request.POST.get("leave"):
        Presence.objects.filter(speech=speech, user=request.user).delete()
        return JsonResponse({"others": []})
    Presence.beat(speech, request.user, unit_key)
    others = (
        Presence.objects.recent()
        .filter(speech=speech)
        .exclude(user=request.user)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return JsonResponse(
        {"others": [{"user": user_name(row.user), "unit": row.unit_key} for row in others]}
    )
