"""Error pages in the user's language; 500 renders without context processors or queries."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


def permission_denied(request, exception=None):
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return HttpResponseServerError(get_template("500.html").render())
