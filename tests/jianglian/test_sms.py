"""Text messages: SMS_BACKEND as Django's e-mail backends (console, file, locmem, dummy), the one-segment text with
its short link, and the Alibaba Cloud SMS adapter against a local HTTP server that checks its signed request the
way the provider documents it (RPC signature V1, HMAC-SHA1) and answers its error codes."""
import base64
import hashlib
import hmac
import io
import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

import pytest
from django.core.exceptions import ImproperlyConfigured

from jianglian import sms
from jianglian.sms.backends import aliyun, console, filebased

SECRET = "testsecret"
FIXED_TIME = datetime(2026, 12, 3, 8, 30, 0, tzinfo=timezone.utc)
FIXED_NONCE = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"


# --- the backends ---------------------------------------------------------------------------------


def test_the_test_settings_keep_messages_in_the_locmem_outbox():
    assert sms.send_sms("13800138000", "【匠联】您好") == "locmem-1"
    [message] = sms.outbox
    assert (message.to, message.text, message.segments) == ("13800138000", "【匠联】您好", 1)


def test_the_console_backend_prints_the_message():
    stream = io.StringIO()
    sms.send_sms("13800138000", "【匠联】测试", connection=console.SmsBackend(stream=stream))
    assert "SMS to 13800138000" in stream.getvalue() and "【匠联】测试" in stream.getvalue()


def test_the_file_backend_writes_one_file_per_message(tmp_path):
    backend = filebased.SmsBackend(file_path=str(tmp_path))
    sms.send_sms("13800138000", "【匠联】一", connection=backend)
    sms.send_sms("13900139000", "【匠联】二", connection=backend)
    texts = sorted(path.read_text(encoding="utf-8") for path in tmp_path.iterdir())
    assert texts == ["To: 13800138000\n\n【匠联】一\n", "To: 13900139000\n\n【匠联】二\n"]


def test_the_dummy_backend_sends_nothing():
    assert sms.send_sms("13800138000", "x", connection=sms.get_connection("jianglian.sms.backends.dummy.SmsBackend")) == ""
    assert sms.outbox == []


@pytest.mark.parametrize("text", ["短", "劳模工匠" * 30])
def test_a_text_with_its_link_fits_one_segment(text):
    link = "https://jianglian.test/s/AbCdEf12/"
    fitted = sms.fit(f"【匠联】{text}", link)
    assert len(fitted) <= sms.SEGMENT_LENGTH and fitted.endswith(" " + link) and fitted.startswith("【匠联】")
    assert sms.SmsMessage("1", fitted).segments == 1


# --- Alibaba Cloud SMS: the documented algorithm, recomputed here independently ------------------------


def rfc3986(value: str) -> str:
    """Percent-encoding as the documentation states it: URL-encode UTF-8, then '+' → %20, '*' → %2A, %7E → '~'."""
    from urllib.parse import quote_plus

    return quote_plus(value.encode("utf-8")).replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def documented_signature(method: str, params: dict, secret: str) -> str:
    canonical = "&".join(f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(params.items()) if k != "Signature")
    string_to_sign = f"{method}&{rfc3986('/')}&{rfc3986(canonical)}"
    return base64.b64encode(hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


@pytest.mark.parametrize("timestamp_name, signature", [
    # Alibaba Cloud's worked example of the RPC signature V1 (DescribeRegions, AccessKey testid / testsecret),
    # whose request spells the parameter "TimeStamp": its documented StringToSign gives CT9X0VtwR86fNWSnsc6v8YGOjuE=
    ("TimeStamp", "CT9X0VtwR86fNWSnsc6v8YGOjuE="),
    # the same request with the parameter as the current documentation spells it
    ("Timestamp", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
])
def test_the_signature_matches_the_documented_example(timestamp_name, signature):
    params = {
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
        timestamp_name: "2016-02-23T12:46:24Z", "Version": "2014-05-26",
    }
    assert aliyun.sign("GET", params, "testsecret") == signature == documented_signature("GET", params, "testsecret")
    assert aliyun.string_to_sign("GET", params).startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")


class FakeAliyun(BaseHTTPRequestHandler):
    """Dysmsapi as documented: checks the signature, answers JSON with a Code; the number picks the answer."""

    requests: list = []

    def do_POST(self):  # noqa: N802 — http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        params = dict(parse_qsl(body, keep_blank_values=True))
        type(self).requests.append(params)
        if params.get("Signature") != documented_signature("POST", params, SECRET):
            return self.answer(400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"})
        number = params.get("PhoneNumbers", "")
        if number == "13000000429":
            return self.answer(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"})
        if number == "13000000503":
            return self.answer(503, {"Code": "ServiceUnavailable", "Message": "The request has failed"})
        if not (number.isdigit() and len(number) == 11):
            return self.answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
        return self.answer(200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"})

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    FakeAliyun.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAliyun)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def backend(endpoint, **overrides):
    options = dict(endpoint=endpoint, access_key_id="LTAI-test", access_key_secret=SECRET, sign_name="匠联",
                   template_code="SMS_123456789", clock=lambda: FIXED_TIME, nonce=lambda: FIXED_NONCE, timeout=5)
    options.update(overrides)
    return aliyun.SmsBackend(**options)


def test_a_message_goes_out_as_a_signed_sendsms_request(provider):
    text = "【匠联】泸天化 邀请您结对：精馏塔蒸汽单耗偏高 https://jianglian.test/s/AbC/"
    assert sms.send_sms("13800138000", text, connection=backend(provider)) == "900619746936498440^0"
    [params] = FakeAliyun.requests
    assert params["Signature"] == documented_signature("POST", params, SECRET)
    assert {k: v for k, v in params.items() if k != "Signature"} == {
        "AccessKeyId": "LTAI-test", "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1", "SignatureNonce": FIXED_NONCE, "SignatureVersion": "1.0",
        "Timestamp": "2026-12-03T08:30:00Z", "Version": "2017-05-25", "PhoneNumbers": "13800138000",
        "SignName": "匠联", "TemplateCode": "SMS_123456789",
        # the provider writes 【匠联】 from SignName: the text goes without it
        "TemplateParam": json.dumps({"content": "泸天化 邀请您结对：精馏塔蒸汽单耗偏高 https://jianglian.test/s/AbC/"},
                                    ensure_ascii=False),
    }


def test_a_wrong_secret_is_refused_by_the_provider_and_is_permanent(provider):
    with pytest.raises(sms.PermanentSmsError, match="SignatureDoesNotMatch"):
        sms.send_sms("13800138000", "【匠联】x", connection=backend(provider, access_key_secret="wrong"))


def test_throttling_is_transient(provider):
    with pytest.raises(sms.TransientSmsError, match="isv.BUSINESS_LIMIT_CONTROL"):
        sms.send_sms("13000000429", "【匠联】x", connection=backend(provider))


def test_a_provider_outage_is_transient(provider):
    with pytest.raises(sms.TransientSmsError, match="503"):
        sms.send_sms("13000000503", "【匠联】x", connection=backend(provider))


def test_a_bad_number_is_permanent(provider):
    with pytest.raises(sms.PermanentSmsError, match="isv.MOBILE_NUMBER_ILLEGAL"):
        sms.send_sms("12345", "【匠联】x", connection=backend(provider))


def test_an_unreachable_provider_is_transient():
    with pytest.raises(sms.TransientSmsError):
        sms.send_sms("13800138000", "【匠联】x", connection=backend("http://127.0.0.1:9/", timeout=1))


def test_the_adapter_refuses_to_start_without_its_settings():
    with pytest.raises(ImproperlyConfigured, match="SMS_ALIYUN_ACCESS_KEY_ID"):
        aliyun.SmsBackend(access_key_id="", access_key_secret="", sign_name="", template_code="")


def test_percent_encoding_is_rfc3986():
    assert aliyun.percent_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9" == rfc3986("a b*c~d/é")
    assert quote("~") == "~"
