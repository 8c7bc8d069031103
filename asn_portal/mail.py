"""E-mails are subject/text/html template triplets rendered by this one helper."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    *, template: str, to: list[str], context: dict, language: str = "id"
) -> None:
    """Render ``templates/email/<template>_{subject.txt,body.txt,body.html}`` and send it."""
    with translation.override(language):
        subject = render_to_string(f"email/{template}_subject.txt", context).strip()
        text = render_to_string(f"email/{template}_body.txt", context)
        html = render_to_string(f"email/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(html, "text/html")
    message.send()
