"""Demo staff: for each landlord an administrator and an agency agent, two-step ready."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator

from accounts.models import User
from core.allauth_bridge import TOTP, generate_totp_secret
from landlords.models import Landlord
from staff.models import StaffMember
from staff.roles import Role


@dataclass
class DemoStaff:
    landlord: Landlord
    role: str
    email: str
    totp_secret: str


def demo_staff(landlord: Landlord, password: str) -> list[DemoStaff]:
    """Created once (then read back): the landlord's administrator and an agent of its
    first agency, each with a verified email and an authenticator app (TOTP) set up."""
    first_agency = landlord.agencies.order_by("code").first()
    people = [
        (Role.ADMINISTRATOR, f"administrateur.{landlord.slug}@exemple.fr", "Alex", "ADMIN"),
        (Role.AGENT, f"agent.{landlord.slug}@exemple.fr", "Camille", "AGENT"),
    ]
    staff = []
    for role, email, first_name, last_name in people:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, password, first_name=first_name, last_name=last_name
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            member = StaffMember.objects.create(user=user, landlord=landlord, role=role)
            if role == Role.AGENT and first_agency:
                member.agencies.add(first_agency)
            TOTP.activate(user, generate_totp_secret())
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        secret = get_adapter().decrypt(totp.data["secret"])
        staff.append(DemoStaff(landlord, role, email, secret))
    return staff
