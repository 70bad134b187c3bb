"""The demo logins (one per role, with a second factor for staff), the officers enrolled in the
demo runs, and the officers generated for the cascade; each with a trainee profile."""

from __future__ import annotations

from demo.dataset import SUPERUSER, TRAINEE
from network import services
from network.models import Country, User

from .base import Loader


def load_logins(loader: Loader) -> None:
    from allauth.account.models import EmailAddress

    for data in loader.data.logins:
        email, password = data["email"], data["password"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            create = (
                User.objects.create_superuser
                if data["role"] == SUPERUSER
                else User.objects.create_user
            )
            user = create(
                email=email,
                password=password,
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            loader.created["user"] += 1
        else:
            loader.existing["user"] += 1
            if not user.check_password(password) or not user.is_active:
                # The documented logins must always work: put the password back, loudly.
                user.set_password(password)
                user.is_active = True
                user.save(update_fields=["password", "is_active"])
                loader.warn(f"{email}: password reset to the documented demo password.")
            if data["role"] == SUPERUSER and not user.is_superuser:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])

        # allauth asks for a verified address before it lets anyone log in.
        address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        elif not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])

        if data["role"] != TRAINEE:
            # Staff sign in with a second factor; demo staff share one documented secret.
            from allauth.mfa.totp.internal.auth import TOTP
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(user):
                TOTP.activate(user, loader.data.totp_secret)

        if data["role"] not in (TRAINEE, SUPERUSER):
            country = None
            if data.get("country"):
                country = Country.objects.get(code=data["country"])
            services.membership_grant(
                user=user,
                role=data["role"],
                institution=loader.institutions[data["institution"]]
                if data.get("institution")
                else None,
                country=country,
            )

        if data.get("profile"):
            loader.profile(user, data["profile"])


def load_officers(loader: Loader) -> None:
    from allauth.account.models import EmailAddress

    for data in loader.data.officers:
        values = dict(data)
        email = values.pop("email")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=loader.data.officer_password,
                first_name=values["given_name_latin"],
                last_name=values["family_name_latin"],
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            loader.created["user"] += 1
        else:
            loader.existing["user"] += 1
        values.setdefault("institution_other", "National police")
        values.setdefault("rank_or_position", "Inspector")
        values.setdefault("preferred_language", "en")
        loader.profile(user, values)


def cascade_person(loader: Loader, code: str, number: int) -> User:
    """The `number`th generated officer of country `code` (alternately a woman and a man),
    with a complete profile in the country's script."""
    from allauth.account.models import EmailAddress

    email = f"cascade.{code.lower()}.{number}@example.org"
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    pool = loader.data.cascade["names"][code]
    woman = (number + ord(code[0])) % 2 == 0  # mixed from the first person on
    given = (pool["women"] if woman else pool["men"])[(number // 2) % 3]
    family = pool["family"][(number // 6) % 3]
    family = family.get("woman", family["man"]) if woman else family["man"]
    user = User.objects.create_user(
        email=email,
        password=loader.data.officer_password,
        first_name=given[1],
        last_name=family[1],
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    loader.created["user"] += 1
    loader.profile(
        user,
        {
            "given_name": given[0],
            "family_name": family[0],
            "given_name_latin": given[1],
            "family_name_latin": family[1],
            "gender": "woman" if woman else "man",
            "country_code": code,
            "institution_other": "National police",
            "rank_or_position": "Inspector",
            "preferred_language": "ru" if code in ("KZ", "AM", "GE") else "en",
        },
    )
    return user
