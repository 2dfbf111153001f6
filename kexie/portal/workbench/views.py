from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kexie.portal.workbench import registry


@never_cache
@login_required
@require_safe
def home(request):
    """The staff home: what waits for this user today."""
    if not registry.may_use(request.user):
        raise PermissionDenied
    blocks = registry.collect(request)
    # A manager nobody has yet given an organisation sees why the page is empty.
    unassigned = not request.user.is_association_staff and not request.user.managed_orgs.exists()
    return render(request, "workbench/home.html", {"blocks": blocks, "unassigned": unassigned})
