"""A contact page built with a form, as docs/forms.md shows it."""

from __future__ import annotations

import logging

from djanco import forms
from djanco.http import HttpRequest, HttpResponse, HttpResponseRedirect
from djanco.shortcuts import render
from djanco.urls import path

logger = logging.getLogger(__name__)


class ContactForm(forms.Form):
    subject = forms.CharField(max_length=100)
    message = forms.CharField(widget=forms.Textarea)
    sender = forms.EmailField(help_text="We reply to this address.")
    cc_myself = forms.BooleanField(required=False)


async def contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactForm(await request.form())
        if await form.ais_valid():
            subject: str = form.subject.cleaned_value  # typed: str
            logger.info("Message from %s: %s", form.sender.cleaned_value, subject)
            return HttpResponseRedirect("/thanks/")
    else:
        form = ContactForm()
    return render(request, "contact.html", {"form": form})


urlpatterns = [path("contact/", contact, name="contact")]
