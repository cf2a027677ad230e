"""The type of a request on a landlord's host, for the type checker."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

from landlords.models import Landlord

if TYPE_CHECKING:
    from accounts.models import User


class LandlordRequest(HttpRequest):
    """A request LandlordMiddleware resolved to a landlord (`request.landlord`)."""

    landlord: Landlord


class SignedInRequest(LandlordRequest):
    """The same, past login_required: `request.user` is a tenant's login."""

    user: "User"
