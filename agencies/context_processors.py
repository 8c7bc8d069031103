from django.utils.functional import SimpleLazyObject

from .access import scope_for


def roles(request):
    """``scope`` in every template, computed only when a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"scope": None}
    return {"scope": SimpleLazyObject(lambda: scope_for(user))}
