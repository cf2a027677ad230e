from django import template

from documents.services import of_month

register = template.Library()

register.filter("of_month", of_month)
