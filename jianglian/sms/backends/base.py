"""The interface every SMS backend implements (as django.core.mail.backends.base.BaseEmailBackend)."""


class BaseSmsBackend:
    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send(self, message) -> str:
        """Send one SmsMessage; return the provider's id or ""; raise TransientSmsError / PermanentSmsError."""
        raise NotImplementedError
