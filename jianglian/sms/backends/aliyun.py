"""Alibaba Cloud SMS (阿里云短信服务), API `SendSms` version 2017-05-25, over its documented HTTP API.

Settings: SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET, SMS_ALIYUN_SIGN_NAME (the approved 签名, e.g.
匠联), SMS_ALIYUN_TEMPLATE_CODE (an approved 通知 template holding one variable, e.g. `${content}`),
SMS_ALIYUN_TEMPLATE_PARAM (that variable's name, default `content`), SMS_ALIYUN_ENDPOINT (default
https://dysmsapi.aliyuncs.com/), SMS_TIMEOUT (seconds, default 10).

Signing — the RPC signature V1 (Alibaba Cloud, "Signature mechanism"):
1. every parameter but `Signature` (the common ones: AccessKeyId, Action, Format, RegionId, SignatureMethod
   HMAC-SHA1, SignatureNonce, SignatureVersion 1.0, Timestamp as ISO 8601 UTC `YYYY-MM-DDThh:mm:ssZ`, Version;
   and SendSms's: PhoneNumbers, SignName, TemplateCode, TemplateParam) sorted by name;
2. name and value percent-encoded in UTF-8 per RFC 3986 (unreserved A–Z a–z 0–9 - _ . ~ kept, space as %20,
   `*` as %2A), joined `name=value` with `&`: the canonicalized query string;
3. StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" + percentEncode(canonicalized query string);
4. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)), sent as the `Signature` parameter.

Answers: JSON `{"Code": "OK", "Message", "BizId", "RequestId"}`; any other Code is an error. Throttling
(`isv.BUSINESS_LIMIT_CONTROL`, `isv.BUSINESS_LIMIT_*`, `Throttling.*`), the provider's own failures (`isp.*`),
HTTP 429/5xx and network failures are transient (retried with backoff); everything else — `isv.MOBILE_NUMBER_ILLEGAL`
(a bad number), a refused signature or template, a wrong key — is permanent.
"""
import base64
import hashlib
import hmac
import json
import logging
import re
import uuid
from datetime import datetime, timezone
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .. import PermanentSmsError, TransientSmsError
from .base import BaseSmsBackend

logger = logging.getLogger(__name__)

API_VERSION = "2017-05-25"
DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
TRANSIENT_CODES = ("isv.BUSINESS_LIMIT_CONTROL", "isv.BUSINESS_LIMIT_", "BUSINESS_LIMIT_CONTROL", "Throttling",
                   "isp.", "ServiceUnavailable", "InternalError")


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding of UTF-8, as the signature needs (only A–Z a–z 0–9 - _ . ~ left as they are)."""
    return quote(str(value), safe="~")


def canonicalized_query(params: dict) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(method: str, params: dict) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"


def sign(method: str, params: dict, secret: str) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_transient(code: str) -> bool:
    return any(code.startswith(prefix) for prefix in TRANSIENT_CODES)


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, endpoint=None, access_key_id=None, access_key_secret=None, sign_name=None,
                 template_code=None, template_param=None, timeout=None, clock=None, nonce=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.endpoint = endpoint or getattr(settings, "SMS_ALIYUN_ENDPOINT", "") or DEFAULT_ENDPOINT
        self.access_key_id = access_key_id or getattr(settings, "SMS_ALIYUN_ACCESS_KEY_ID", "")
        self.access_key_secret = access_key_secret or getattr(settings, "SMS_ALIYUN_ACCESS_KEY_SECRET", "")
        self.sign_name = sign_name or getattr(settings, "SMS_ALIYUN_SIGN_NAME", "")
        self.template_code = template_code or getattr(settings, "SMS_ALIYUN_TEMPLATE_CODE", "")
        self.template_param = template_param or getattr(settings, "SMS_ALIYUN_TEMPLATE_PARAM", "") or "content"
        self.timeout = timeout or getattr(settings, "SMS_TIMEOUT", 10)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.nonce = nonce or (lambda: uuid.uuid4().hex)
        missing = [name for name, value in (
            ("SMS_ALIYUN_ACCESS_KEY_ID", self.access_key_id), ("SMS_ALIYUN_ACCESS_KEY_SECRET", self.access_key_secret),
            ("SMS_ALIYUN_SIGN_NAME", self.sign_name), ("SMS_ALIYUN_TEMPLATE_CODE", self.template_code),
        ) if not value]
        if missing:
            raise ImproperlyConfigured(f"the Aliyun SMS backend needs {', '.join(missing)}")

    def params(self, message) -> dict:
        """The request's parameters, signed. The provider writes the signature 【签名】 itself: ours is cut off."""
        text = re.sub(r"^【[^】]*】", "", message.text)
        params = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": self.nonce(), "SignatureVersion": "1.0",
            "Timestamp": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": API_VERSION,
            "PhoneNumbers": message.to, "SignName": self.sign_name, "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({self.template_param: text}, ensure_ascii=False),
        }
        params["Signature"] = sign("POST", params, self.access_key_secret)
        return params

    def send(self, message) -> str:
        body = urlencode(self.params(message)).encode()
        req = urlrequest.Request(self.endpoint, data=body, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        try:
            with urlrequest.urlopen(req, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urlerror.HTTPError as exc:  # the provider answers errors with 4xx/5xx and a JSON body too
            status, raw = exc.code, exc.read()
        except (urlerror.URLError, OSError) as exc:
            raise TransientSmsError(f"aliyun: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        code = str(answer.get("Code") or "")
        if code == "OK":
            return str(answer.get("BizId") or "")
        detail = f"aliyun {status} {code or 'no code'}: {answer.get('Message', '')}".strip()
        if status == 429 or status >= 500 or is_transient(code):
            raise TransientSmsError(detail)
        raise PermanentSmsError(detail)
