from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """No public sign-up: HR creates accounts and the portal invites people to set a password."""

    def is_open_for_signup(self, request) -> bool:
        return False
