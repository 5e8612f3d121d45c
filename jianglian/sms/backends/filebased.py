"""One file per text message under settings.SMS_FILE_PATH (as Django's file e-mail backend)."""
import datetime
import os
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = file_path or getattr(settings, "SMS_FILE_PATH", None)
        if not self.file_path:
            raise ImproperlyConfigured("SMS_FILE_PATH is needed by the file SMS backend")
        os.makedirs(self.file_path, exist_ok=True)

    def send(self, message) -> str:
        message_id = uuid.uuid4().hex
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = os.path.join(self.file_path, f"{stamp}-{message_id}.sms")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"To: {message.to}\n\n{message.text}\n")
        return message_id
