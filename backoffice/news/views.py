"""Actualités: write, schedule, publish and withdraw the landlord's news.

Who: agent d'agence (their agencies and residences only), relation clientèle and
administrateur ("news.publish"). Another landlord's actualité answers 404, and so does,
for an agent, one of another agency.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

from backoffice.decorators import staff_required
from backoffice.news.forms import NewsForm
from backoffice.news.tables import NewsTable
from news import services
from news.models import NewsItem


@require_safe
@staff_required("news.publish")
def news_list(request):
    table = NewsTable(services.for_staff(request.staff_member))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "backoffice/news/list.html", {"table": table})


def _item_or_404(request, news_id) -> NewsItem:
    return get_object_or_404(services.for_staff(request.staff_member), pk=news_id)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required("news.publish")
def news_edit(request, news_id=None):
    member = request.staff_member
    item = _item_or_404(request, news_id) if news_id else None
    created = item is None
    if created:
        item = NewsItem(landlord=member.landlord, author=request.user)
    form = NewsForm(request.POST or None, instance=item, member=member)
    if request.method == "POST" and form.is_valid():
        item = services.save(form.save(commit=False), request=request, created=created)
        if request.POST.get("action") == "publish":
            services.publish(item, request=request, at=form.cleaned_data.get("publish_at"))
            if item.is_scheduled():
                messages.success(request, f"Actualité {item.status_label()}.")
            else:
                messages.success(request, "Actualité publiée : les locataires la voient.")
        else:
            messages.success(request, "Actualité enregistrée.")
        return redirect("backoffice:news_edit", item.pk)
    return render(
        request,
        "backoffice/news/edit.html",
        {"form": form, "item": None if created else item, "now": timezone.now()},
    )


@require_POST
@staff_required("news.publish")
def news_unpublish(request, news_id):
    item = _item_or_404(request, news_id)
    services.unpublish(item, request=request)
    messages.success(request, "Actualité retirée : les locataires ne la voient plus.")
    return redirect("backoffice:news_edit", item.pk)
