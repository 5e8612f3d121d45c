"""Writes each text message to stdout (the default: `./dev serve` shows what would be texted)."""
import sys
import threading

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send(self, message) -> str:
        with self._lock:
            self.stream.write(f"SMS to {message.to} ({message.segments} segment(s)):\n{message.text}\n{'-' * 40}\n")
            self.stream.flush()
        return ""
