#!/usr/bin/env python3
"""Writes tests/vectors/<provider>/<case>.json from the case list below.

The expected requests are built here with Python's own JSON, XML and percent-encoding, written
from the provider pages -- not with nhantin's encoders -- so a replay compares two independent
readings of the wire format. Decode expectations are written out by hand.

    python3 tests/vectors/generate.py          # rewrite the files
    python3 tests/vectors/generate.py --check  # fail if a committed file differs
"""
import datetime as dt
import json
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent
NOW = "2026-11-24T02:00:00Z"
LATER = "2026-11-24T03:30:00Z"          # 10:30:00 in Vietnam
VN = dt.timezone(dt.timedelta(hours=7))

ESMS = {"provider": "esms", "api_key": "K", "secret_key": "S"}
ESMS_REAL = {"provider": "esms", "api_key": "A1B2C3D4E5", "secret_key": "s3cr3t+&=/key"}
CARESOFT = {"provider": "caresoft", "domain": "khachhang01", "api_token": "tok-123", "service_id": 12}
INTERITS = {"provider": "interits", "api_key": "key-abc"}
ESMS_BASE = "https://rest.esms.vn/MainService.svc/json/"
HOSTILE = "A&B <tag> \"q\" 'a' #1 +84 100% x=y\nline2\r\nline3 Tiếng Việt có dấu 😀"

CASES = []


def case(folder, name, **fields):
    CASES.append((folder, name, fields))


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def xesc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
             .replace('"', "&quot;").replace("'", "&apos;").replace("\r", "&#13;"))


def q(s):
    return quote(s, safe="-._~")


def vn_local(rfc3339):
    t = dt.datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))
    return t.astimezone(VN).strftime("%Y-%m-%d %H:%M:%S")


def utc_ms(rfc3339):
    t = dt.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).astimezone(dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def phones(n, start=900000000):
    return [f"0{start + i}" for i in range(n)]


def req(method, url, headers, body=""):
    return {"method": method, "url": url, "headers": headers, "body": body}


def json_req(url, body):
    return req("POST", url, [["Content-Type", "application/json"]], jdump(body))


def err(kind, **more):
    out = {"kind": kind}
    out.update(more)
    return out


def resp(status, body, headers=None):
    return {"status": status, "headers": headers or [], "body": body}


# --------------------------------------------------------------------------------------------
# eSMS: JSON customer care / OTP / fixed number (SendMultipleMessage_V4_post_json/)
# --------------------------------------------------------------------------------------------

def esms_json(acct, msg, **extra):
    body = {"ApiKey": acct["api_key"], "SecretKey": acct["secret_key"], "Phone": extra["phone"],
            "Content": extra.get("content", msg["text"])}
    if "sender" in msg:
        body["Brandname"] = msg["sender"]
    body["SmsType"] = extra["sms_type"]
    body["IsUnicode"] = extra.get("unicode", "0")
    body["Sandbox"] = "1" if msg.get("sandbox") else "0"
    body["RequestId"] = msg["request_id"]
    if "schedule" in msg:
        body["SendDate"] = vn_local(msg["schedule"])
    if "campaign_id" in msg.get("esms", {}):
        body["campaignid"] = msg["esms"]["campaign_id"]
    if "callback_url" in msg:
        body["CallbackUrl"] = msg["callback_url"]
    return json_req(ESMS_BASE + "SendMultipleMessage_V4_post_json/", body)


m = {"kind": "otp", "recipients": ["0901234567"], "text": "Ma xac thuc: 123456", "sender": "MYBRAND", "request_id": "otp-9f1c"}
case("esms", "send_json_otp_digest_example", source="PROVIDERS.md 2.1 example", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": req("POST", ESMS_BASE + "SendMultipleMessage_V4_post_json/", [["Content-Type", "application/json"]],
             '{"ApiKey":"K","SecretKey":"S","Phone":"0901234567","Content":"Ma xac thuc: 123456","Brandname":"MYBRAND","SmsType":"2","IsUnicode":"0","Sandbox":"0","RequestId":"otp-9f1c"}')})

m = {"kind": "customer_care", "recipients": ["+84 98 765 4321"], "text": "Đơn hàng #123 đã giao. Cảm ơn quý khách!",
     "sender": "Baotrixemay", "request_id": "order-123-shipped", "schedule": LATER, "callback_url": "https://erp.example.vn/dlr?src=esms&k=a+b",
     "sandbox": True, "esms": {"campaign_id": "Giao hàng tháng 11"}}
case("esms", "send_json_every_option", source="2.1 fields; D-C7 SendDate in UTC+7; D-C9 Sandbox", operation="send", account=ESMS_REAL, now=NOW, message=m,
     expect={"request": esms_json(ESMS_REAL, m, phone="0987654321", sms_type="2", unicode="1")})

m = {"kind": "fixed_number", "recipients": ["0912345678"], "text": "Ma OTP 123456", "request_id": "fixed-1"}
case("esms", "send_json_fixed_number", source="2.1: SmsType 8 on the JSON endpoint, no Brandname", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": esms_json(ESMS, m, phone="0912345678", sms_type="8")})

m = {"kind": "otp", "recipients": ["0912345678"], "text": HOSTILE, "sender": "NHANTIN", "request_id": "hostile-json"}
case("esms", "send_json_hostile_content", source="hostile content: JSON escaping of quotes, newlines, CR, emoji", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": esms_json(ESMS, m, phone="0912345678", sms_type="2", unicode="1")})

m = {"kind": "otp", "recipients": ["0912345678"], "text": "Mã OTP của bạn là 123456", "sender": "NHANTIN", "request_id": "strip-1", "unicode": "strip"}
case("esms", "send_json_strip_diacritics", source="unicode policy strip: khong dau, IsUnicode 0", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": esms_json(ESMS, m, phone="0912345678", sms_type="2", content="Ma OTP cua ban la 123456")})

m = {"kind": "otp", "recipients": ["0912345678"], "text": "Ma OTP 123456", "sender": "NHANTIN", "request_id": "force-1", "unicode": "force"}
case("esms", "send_json_force_unicode", source="unicode policy force: IsUnicode 1 for GSM text", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": esms_json(ESMS, m, phone="0912345678", sms_type="2", unicode="1")})

base_otp = {"kind": "otp", "recipients": ["0912345678"], "text": "Ma OTP 123456", "sender": "NHANTIN", "request_id": "e-1"}
def variant(**changes):
    out = dict(base_otp)
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out

for name, msg, e, src in [
    ("send_error_legacy_phone", variant(recipients=["01662345678"]), err("invalid_input", field="recipients[0]", reason_contains="036****678"), "6.3: legacy 11-digit numbers refused with the new number"),
    ("send_error_landline", variant(recipients=["024 3825 1234"]), err("invalid_input", field="recipients[0]"), "6.2: not a mobile"),
    ("send_error_two_phones_on_json", variant(recipients=["0912345678", "0987654321"]), err("invalid_input", field="recipients"), "2.1: one request = one phone"),
    ("send_error_duplicate_recipient", variant(recipients=["0912345678", "+84912345678"], esms={"format": "xml"}), err("invalid_input", field="recipients[1]"), "a duplicate would be sent twice"),
    ("send_error_no_recipient", variant(recipients=[]), err("invalid_input", field="recipients"), "empty list"),
    ("send_error_missing_request_id", variant(request_id=None), err("invalid_input", field="request_id"), "D-C6: always send a RequestId"),
    ("send_error_request_id_too_long", variant(request_id="r" * 51), err("invalid_input", field="request_id"), "D-C6: at most 50"),
    ("send_error_request_id_not_ascii", variant(request_id="mã-1"), err("invalid_input", field="request_id"), "D-B10: ASCII"),
    ("send_error_brandname_too_long", variant(sender="TwelveLetter"), err("invalid_input", field="sender"), "7: 11-character brandname"),
    ("send_error_missing_brandname", variant(sender=None), err("invalid_input", field="sender"), "SmsType 2 needs a brandname"),
    ("send_error_past_schedule", variant(schedule="2026-11-24T01:59:59Z"), err("invalid_input", field="schedule"), "D-C7: refuse schedules in the past"),
    ("send_error_schedule_equals_now", variant(schedule=NOW), err("invalid_input", field="schedule"), "D-C7: now is not the future"),
    ("send_error_bad_schedule_text", variant(schedule="2026-11-24 10:30:00"), err("invalid_input", field="schedule"), "schedule is an RFC 3339 instant"),
    ("send_error_empty_text", variant(text=""), err("invalid_input", field="text"), "empty content"),
    ("send_error_control_character", variant(text="OTP\u0000123"), err("invalid_input", field="text"), "NUL is never displayable"),
    ("send_error_reject_policy", variant(text="Mã OTP", unicode="reject"), err("invalid_input", field="text"), "unicode policy reject"),
    ("send_error_strip_leaves_emoji", variant(text="Mã OTP 😀", unicode="strip"), err("invalid_input", field="text"), "strip cannot make an emoji GSM-7"),
    ("send_error_customer_care_get", variant(esms={"format": "get"}), err("invalid_input", field="esms.format"), "GET is fixed-number only here"),
    ("send_error_fixed_number_with_sender", {"kind": "fixed_number", "recipients": ["0912345678"], "text": "x", "sender": "NHANTIN", "request_id": "f-2"}, err("invalid_input", field="sender"), "D-E3: fixed number has no brandname"),
    ("send_error_caresoft_option_on_esms", variant(caresoft={"ticket_id": 5}), err("invalid_input", field="caresoft.ticket_id"), "a field the endpoint cannot carry is refused"),
    ("send_error_callback_not_url", variant(callback_url="erp.example.vn/dlr"), err("invalid_input", field="callback_url"), "absolute http(s) URL"),
    ("send_error_campaign_on_xml", variant(esms={"format": "xml", "campaign_id": "c"}), err("invalid_input", field="esms.campaign_id"), "only V4_post_json has campaignid"),
    ("send_error_unknown_field", dict(base_otp, brandname="NHANTIN"), err("invalid_input", field="message"), "misspelt fields are refused, not ignored"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=msg, expect={"error": e})

case("esms", "account_error_secret_whitespace", source="a pasted key with a trailing newline fails here, not as code 101", operation="send",
     account={"provider": "esms", "api_key": "K\n", "secret_key": "S"}, now=NOW, message=base_otp, expect={"error": err("invalid_input", field="api_key")})

# --------------------------------------------------------------------------------------------
# eSMS: XML (SendMultipleMessage_V4/, SendMultipleSMSBrandname)
# --------------------------------------------------------------------------------------------

def esms_xml(acct, msg, path, sms_type, content=None):
    x = "<RQST>"
    x += f"<APIKEY>{xesc(acct['api_key'])}</APIKEY><SECRETKEY>{xesc(acct['secret_key'])}</SECRETKEY>"
    x += f"<CONTENT>{xesc(content if content is not None else msg['text'])}</CONTENT><SMSTYPE>{sms_type}</SMSTYPE>"
    x += f"<BRANDNAME>{xesc(msg['sender'])}</BRANDNAME><REQUESTID>{xesc(msg['request_id'])}</REQUESTID>"
    if "schedule" in msg:
        x += f"<SENDDATE>{vn_local(msg['schedule'])}</SENDDATE>"
    if "callback_url" in msg:
        x += f"<CALLBACKURL>{xesc(msg['callback_url'])}</CALLBACKURL>"
    x += "<CONTACTS>" + "".join(f"<CUSTOMER><PHONE>{p}</PHONE></CUSTOMER>" for p in msg["_phones"]) + "</CONTACTS></RQST>"
    return req("POST", ESMS_BASE + path, [["Content-Type", "text/plain"]], x)


m = {"kind": "customer_care", "recipients": ["0901234567"], "text": "Cam on quy khach", "sender": "MYBRAND", "request_id": "inv-42",
     "callback_url": "https://example.vn/esms/dlr?a=1&b=2", "esms": {"format": "xml"}}
case("esms", "send_xml_digest_example", source="PROVIDERS.md 1.3 example (page 002, malformed sample fixed per D-D4)", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": req("POST", ESMS_BASE + "SendMultipleMessage_V4/", [["Content-Type", "text/plain"]],
             "<RQST><APIKEY>K</APIKEY><SECRETKEY>S</SECRETKEY><CONTENT>Cam on quy khach</CONTENT><SMSTYPE>2</SMSTYPE><BRANDNAME>MYBRAND</BRANDNAME><REQUESTID>inv-42</REQUESTID><CALLBACKURL>https://example.vn/esms/dlr?a=1&amp;b=2</CALLBACKURL><CONTACTS><CUSTOMER><PHONE>0901234567</PHONE></CUSTOMER></CONTACTS></RQST>")})

m = {"kind": "customer_care", "recipients": ["0901234567", "0987654321", "0362345678"], "text": HOSTILE.replace("Tiếng Việt có dấu 😀", "Tieng Viet"),
     "sender": "MYBRAND", "request_id": "xml-hostile", "schedule": LATER, "esms": {"format": "xml"}}
m2 = dict(m, _phones=m["recipients"])
case("esms", "send_xml_hostile_content_three_phones", source="D-D4: every value escaped; CR kept as &#13;", operation="send", account=ESMS_REAL, now=NOW, message=m,
     expect={"request": esms_xml(ESMS_REAL, m2, "SendMultipleMessage_V4/", "2")})

for n in (30, 5000):
    ps = phones(n)
    m = {"kind": "advertising", "recipients": ps, "text": "Khuyen mai 50% cuoi tuan tai cua hang!", "sender": "MYBRAND", "request_id": f"adv-xml-{n}", "esms": {"format": "xml"}}
    case("esms", f"send_xml_advertising_{n}_recipients", source="2.3: SmsType 1 XML, 30..=5000", operation="send", account=ESMS, now=NOW, message=m,
         expect={"request": esms_xml(ESMS, dict(m, _phones=ps), "SendMultipleSMSBrandname", "1")})

m = {"kind": "customer_care", "recipients": ["0901234567"], "text": "Tiếng Việt", "sender": "MYBRAND", "request_id": "xml-u", "esms": {"format": "xml"}}
case("esms", "send_error_xml_needs_unicode", source="XML has no IsUnicode element: refused instead of silently sent as non-Unicode", operation="send", account=ESMS, now=NOW,
     message=m, expect={"error": err("invalid_input", field="unicode")})
case("esms", "send_error_xml_sandbox", source="XML has no sandbox element", operation="send", account=ESMS, now=NOW,
     message=dict(m, text="x", sandbox=True), expect={"error": err("invalid_input", field="sandbox")})

# --------------------------------------------------------------------------------------------
# eSMS: advertising JSON (SendMultipleSMSBrandname_json/)
# --------------------------------------------------------------------------------------------

for n in (30, 5000):
    ps = phones(n, 350000000)
    m = {"kind": "advertising", "recipients": ps, "text": "Sale 11.11: giam 30% - https://shop.vn/s?id=1&c=2", "sender": "MYBRAND", "request_id": f"adv-json-{n}", "callback_url": "https://erp.example.vn/dlr"}
    body = {"ApiKey": "K", "SecretKey": "S", "Brandname": "MYBRAND", "Content": m["text"], "Phones": ps, "SmsType": "1", "Sandbox": "0", "RequestId": m["request_id"], "CallbackUrl": m["callback_url"]}
    case("esms", f"send_advertising_json_{n}_recipients", source="2.2: advertising JSON", operation="send", account=ESMS, now=NOW, message=m,
         expect={"request": json_req(ESMS_BASE + "SendMultipleSMSBrandname_json/", body)})
case("esms", "send_error_advertising_29_recipients", source="code 107: at least 30", operation="send", account=ESMS, now=NOW,
     message={"kind": "advertising", "recipients": phones(29), "text": "x", "sender": "MYBRAND", "request_id": "a29"}, expect={"error": err("invalid_input", field="recipients")})
case("esms", "send_error_advertising_5001_recipients", source="at most 5000 per request; the transport splits", operation="send", account=ESMS, now=NOW,
     message={"kind": "advertising", "recipients": phones(5001), "text": "x", "sender": "MYBRAND", "request_id": "a5001"}, expect={"error": err("invalid_input", field="recipients")})
case("esms", "send_error_advertising_needs_unicode", source="advertising JSON documents no IsUnicode", operation="send", account=ESMS, now=NOW,
     message={"kind": "advertising", "recipients": phones(30), "text": "Khuyến mãi", "sender": "MYBRAND", "request_id": "au"}, expect={"error": err("invalid_input", field="unicode")})

# --------------------------------------------------------------------------------------------
# eSMS: fixed number GET (SendMultipleMessage_V4_get)
# --------------------------------------------------------------------------------------------

def esms_get(acct, msg, phone, unicode="0", content=None):
    pairs = [("Phone", phone), ("Content", content if content is not None else msg["text"]), ("ApiKey", acct["api_key"]),
             ("SecretKey", acct["secret_key"]), ("IsUnicode", unicode), ("SmsType", "8")]
    if "callback_url" in msg:
        pairs.append(("CallbackUrl", msg["callback_url"]))
    pairs.append(("RequestId", msg["request_id"]))
    if "schedule" in msg:
        pairs.append(("SendDate", vn_local(msg["schedule"])))
    if msg.get("sandbox"):
        pairs.append(("Sandbox", "1"))
    return req("GET", ESMS_BASE + "SendMultipleMessage_V4_get?" + "&".join(f"{q(k)}={q(v)}" for k, v in pairs), [])


m = {"kind": "fixed_number", "recipients": ["0901234567"], "text": "Ma OTP 123456", "request_id": "otp-77", "esms": {"format": "get"}}
case("esms", "send_get_fixed_number_digest_example", source="PROVIDERS.md 1.4 example (page 003)", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": req("GET", ESMS_BASE + "SendMultipleMessage_V4_get?Phone=0901234567&Content=Ma%20OTP%20123456&ApiKey=K&SecretKey=S&IsUnicode=0&SmsType=8&RequestId=otp-77", [])})

m = {"kind": "fixed_number", "recipients": ["0084 (90) 123-4567"], "text": HOSTILE, "request_id": "get-hostile~1.2_3", "schedule": LATER,
     "callback_url": "https://erp.example.vn/cb?x=1&y=a b".replace(" ", "%20"), "sandbox": True, "esms": {"format": "get"}}
case("esms", "send_get_hostile_content", source="D-E5: strict RFC 3986 encoding of & # + % = space, Vietnamese, emoji; SendDate %20 and %3A", operation="send",
     account=ESMS_REAL, now=NOW, message=m, expect={"request": esms_get(ESMS_REAL, m, "0901234567", unicode="1")})
case("esms", "send_error_get_two_phones", source="GET carries one Phone", operation="send", account=ESMS, now=NOW,
     message=dict(m, recipients=["0901234567", "0912345678"], text="x"), expect={"error": err("invalid_input", field="recipients")})

# --------------------------------------------------------------------------------------------
# eSMS: Viber (Send_Multiple_Sms_OTT/)
# --------------------------------------------------------------------------------------------

def viber(acct, msg, ps):
    body = {"ApiKey": acct["api_key"], "SecretKey": acct["secret_key"], "Brandname": msg["sender"], "SmsType": "23", "Phones": ps}
    v = msg.get("viber", {})
    if msg.get("text"):
        body["Content"] = msg["text"]
    if "image_url" in v:
        body["OttImgUrl"] = v["image_url"]
    if "button_url" in v:
        body["OttUrl"] = v["button_url"]
        body["OttLabel"] = v["button_label"]
    body["IsSandBox"] = "1" if msg.get("sandbox") else "0"
    body["RequestId"] = msg["request_id"]
    if "callback_url" in msg:
        body["CallbackUrl"] = msg["callback_url"]
    return json_req(ESMS_BASE + "Send_Multiple_Sms_OTT/", body)


m = {"kind": "viber", "recipients": ["0901234567"], "text": "Don hang da giao", "sender": "MYBRAND", "request_id": "viber-1",
     "viber": {"button_url": "https://example.vn/o/1", "button_label": "Xem don"}}
case("esms", "send_viber_digest_example_text_button", source="PROVIDERS.md 1.5 example (page 004; D-F1 path, D-F2 Ott spelling)", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": req("POST", ESMS_BASE + "Send_Multiple_Sms_OTT/", [["Content-Type", "application/json"]],
             '{"ApiKey":"K","SecretKey":"S","Brandname":"MYBRAND","SmsType":"23","Phones":["0901234567"],"Content":"Don hang da giao","OttUrl":"https://example.vn/o/1","OttLabel":"Xem don","IsSandBox":"0","RequestId":"viber-1"}')})
for name, msg in [
    ("send_viber_text_only", {"kind": "viber", "recipients": ["0901234567", "0987654321"], "text": "Chúc mừng năm mới 🎉", "sender": "MYBRAND", "request_id": "vb-t", "sandbox": True}),
    ("send_viber_text_image_button", {"kind": "viber", "recipients": ["0901234567"], "text": "Ưu đãi \"đặc biệt\" & quà", "sender": "MYBRAND", "request_id": "vb-tib",
                                      "callback_url": "https://erp.example.vn/dlr?t=viber", "viber": {"image_url": "https://cdn.example.vn/a.png?w=400&h=400", "button_url": "https://example.vn/o/1?a=1&b=2", "button_label": "Mua ngay"}}),
    ("send_viber_image_only", {"kind": "viber", "recipients": ["0901234567"], "text": "", "sender": "MYBRAND", "request_id": "vb-i", "viber": {"image_url": "https://cdn.example.vn/a.png"}}),
]:
    case("esms", name, source="page 004: the four allowed content shapes", operation="send", account=ESMS, now=NOW, message=msg,
         expect={"request": viber(ESMS, msg, [p for p in msg["recipients"]])})
vbase = {"kind": "viber", "recipients": ["0901234567"], "text": "x", "sender": "MYBRAND", "request_id": "vb-e"}
for name, v, text, field, src in [
    ("send_error_viber_text_image_no_button", {"image_url": "https://cdn.example.vn/a.png"}, "x", "viber", "D-F3: text+image needs a button"),
    ("send_error_viber_button_without_text", {"button_url": "https://e.vn", "button_label": "Go"}, "", "viber", "D-F3: a button needs text"),
    ("send_error_viber_image_http", {"image_url": "http://cdn.example.vn/a.png"}, "", "viber.image_url", "image URL must be https"),
    ("send_error_viber_button_without_url", {"button_label": "Go"}, "x", "viber.button_url", "a button needs both parts"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=dict(vbase, viber=v, text=text), expect={"error": err("invalid_input", field=field)})
case("esms", "send_error_viber_parts_on_sms", source="image and button belong to Viber", operation="send", account=ESMS, now=NOW,
     message=dict(base_otp, viber={"image_url": "https://cdn.example.vn/a.png"}), expect={"error": err("invalid_input", field="viber")})

# --------------------------------------------------------------------------------------------
# eSMS: decoding send answers
# --------------------------------------------------------------------------------------------

def esms_reject(code, reason, message, **more):
    return err("rejected", provider="esms", reason=reason, code=code, message=message, retry_safe=False, **more)


for name, body, expect, src in [
    ("decode_send_100_page_002", '{\n    "CodeResult": "100",\n    "CountRegenerate": 0,\n    "SMSID": "d533459ee42b2b9525ba9eabf6a8156"\n}', {"receipt": {"provider": "esms", "reference": "d533459ee42b2b9525ba9eabf6a8156", "ticket": None, "token": None}}, "page 002"),
    ("decode_send_100_page_003", '{\n    "CodeResult": "100",\n    "CountRegenerate": 0,\n    "SMSID": "d8e0f1f0702544b2acb456ca9ccfd111250"\n}', {"receipt": {"provider": "esms", "reference": "d8e0f1f0702544b2acb456ca9ccfd111250", "ticket": None, "token": None}}, "page 003"),
    ("decode_send_100_page_004", '{\n    "CodeResult": "100",\n    "CountRegenerate": 0,\n    "SMSID": "f3c18a391c6e4cab832216825048b8f9"\n}', {"receipt": {"provider": "esms", "reference": "f3c18a391c6e4cab832216825048b8f9", "ticket": None, "token": None}}, "page 004"),
    ("decode_send_100_numeric_code", '{"CodeResult":100,"SMSID":"abc-123-9","Unknown":[1,2]}', {"receipt": {"provider": "esms", "reference": "abc-123-9", "ticket": None, "token": None}}, "D-C1: string-or-number; unknown fields ignored"),
    ("decode_send_100_bom_and_whitespace", '\ufeff \r\n{"CodeResult":"100","CountRegenerate":0,"SMSID":"bom-7"}\r\n', {"receipt": {"provider": "esms", "reference": "bom-7", "ticket": None, "token": None}}, "issue 8: .NET services (eSMS runs WCF) may start JSON with a byte-order mark"),
    ("decode_send_101", '{"CodeResult":"101","CountRegenerate":0,"ErrorMessage":"Authorize Failed"}', {"error": esms_reject("101", "unauthorized", "Authorize Failed")}, "page 002/003"),
    ("decode_send_104", '{"CodeResult":"104","CountRegenerate":0,"ErrorMessage":"Brand name code is not exist"}', {"error": esms_reject("104", "unknown_brandname", "Brand name code is not exist")}, "page 002"),
    ("decode_send_107", '{"CodeResult":"107","CountRegenerate":0,"ErrorMessage":"Each request has at least 30 numbers to be approved"}', {"error": esms_reject("107", "too_few_recipients", "Each request has at least 30 numbers to be approved")}, "page 002"),
    ("decode_send_124", '{"CodeResult":"124","CountRegenerate":0,"ErrorMessage":"Request exist 1"}', {"error": esms_reject("124", "duplicate_request_id", "Request exist 1")}, "page 002; D-C6"),
    ("decode_send_invalid_request", '{\n  "error": "Invalid request"\n}', {"error": err("rejected", provider="esms", reason="invalid_request", code=None, message="Invalid request", retry_safe=False)}, "page 003 tab 99; D-E4: not code 99"),
    ("decode_send_99_phone_blocked", '{"CodeResult":"99","ErrorMessage":""}', {"error": esms_reject("99", "phone_blocked", "phone number blocked")}, "5.1: code 99 is a blocked phone; empty message gets the table's"),
    ("decode_send_unknown_code", '{"CodeResult":"999","ErrorMessage":"Something new"}', {"error": esms_reject("999", "other", "Something new")}, "5.1: unknown codes kept"),
    ("decode_send_100_without_smsid", '{"CodeResult":"100","CountRegenerate":0}', {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "an accepted send without an id cannot be tracked"),
    ("decode_send_html_200", '<html><body><h1>Runtime Error</h1></body></html>', {"error": err("unexpected_response", provider="esms", status=200, snippet="<html><body><h1>Runtime Error</h1></body></html>", retry_safe=True)}, "HTML page"),
    ("decode_send_empty_200", '', {"error": err("unexpected_response", provider="esms", status=200, snippet="(empty body)", retry_safe=True)}, "empty body"),
    ("decode_send_truncated_json", '{"CodeResult":"100","SMSID":"d533', {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "malformed JSON"),
    ("decode_send_json_array", '[{"CodeResult":"100"}]', {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "JSON that is not an object"),
]:
    case("esms", name, source=src, operation="decode_send", provider="esms", response=resp(200, body), expect=expect)

case("esms", "decode_send_500_html", source="5xx: provider unavailable; a keyed eSMS send may be resent", operation="decode_send", provider="esms",
     response=resp(500, "<html><title>500 - Internal server error.</title></html>"), expect={"error": err("provider_unavailable", provider="esms", status=500, retry_safe=True)})
case("esms", "decode_send_503_empty", source="5xx", operation="decode_send", provider="esms", response=resp(503, ""),
     expect={"error": err("provider_unavailable", provider="esms", status=503, snippet="(empty body)", retry_safe=True)})
case("esms", "decode_send_429_retry_after", source="rate limiting with Retry-After", operation="decode_send", provider="esms",
     response=resp(429, "Too Many Requests", [["Retry-After", "7"]]), expect={"error": err("rate_limited", provider="esms", retry_after_secs=7, lockout=False, retry_safe=True)})

descriptions = {"102": "no_price_list", "103": "insufficient_balance", "105": "not_found", "106": "recording_not_found", "108": "invalid_phone",
                "110": "invalid_data", "115": "invalid_hashed_phone", "118": "unsupported_message_type", "120": "too_many_recipients",
                "140": "ip_not_whitelisted", "146": "template_mismatch", "171": "invalid_code", "177": "network_not_registered",
                "199": "already_processing", "204": "unknown_oaid", "210": "invalid_payload", "300": "missing_message_type", "301": "unsupported_service"}
for code, reason in descriptions.items():
    case("esms", f"decode_send_code_{code}", source="5.1 error table", operation="decode_send", provider="esms",
         response=resp(200, jdump({"CodeResult": code, "CountRegenerate": 0, "ErrorMessage": f"message {code}"})),
         expect={"error": esms_reject(code, reason, f"message {code}")})

# --------------------------------------------------------------------------------------------
# eSMS: queries
# --------------------------------------------------------------------------------------------

case("esms", "balance_request", source="2.5", operation="balance", account=ESMS_REAL,
     expect={"request": json_req(ESMS_BASE + "GetBalance_json", {"ApiKey": ESMS_REAL["api_key"], "SecretKey": ESMS_REAL["secret_key"]})})
case("esms", "decode_balance_100", source="2.5 (numbers where the table says string)", operation="decode_balance", provider="esms",
     response=resp(200, '{"Balance":36693,"CodeResponse":"100","UserID":9999}'), expect={"balance": {"balance": 36693.0, "user_id": 9999}})
case("esms", "decode_balance_101", source="2.5", operation="decode_balance", provider="esms",
     response=resp(200, '{"Balance":0,"CodeResponse":"101","ErrorMessage":"Authorize Failed"}'), expect={"error": esms_reject("101", "unauthorized", "Authorize Failed")})
case("esms", "send_status_request", source="2.6", operation="send_status", account=ESMS_REAL, sms_id="434a5c1b-79b2-4e29-9bd1-d2e2c8e8d210100",
     expect={"request": req("GET", ESMS_BASE + "GetSendStatus?RefId=434a5c1b-79b2-4e29-9bd1-d2e2c8e8d210100&ApiKey=" + q(ESMS_REAL["api_key"]) + "&SecretKey=" + q(ESMS_REAL["secret_key"]), [])})
case("esms", "decode_send_status_100", source="2.6", operation="decode_send_status", provider="esms",
     response=resp(200, '{"CodeResponse":"100","SMSID":"434a210100","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":850.0000,"TotalReceiver":1,"TotalSent":1}'),
     expect={"send_status": {"sms_id": "434a210100", "status": "finished", "send_success": 1, "send_failed": 0, "total_receivers": 1, "total_sent": 1, "total_price": 850.0}})
case("esms", "decode_send_status_101_without_message", source="2.6: 101 has no ErrorMessage", operation="decode_send_status", provider="esms",
     response=resp(200, '{"CodeResponse":"101","SMSID":"x"}'), expect={"error": esms_reject("101", "unauthorized", "wrong ApiKey or SecretKey")})
case("esms", "decode_send_status_105", source="2.6: unknown id", operation="decode_send_status", provider="esms",
     response=resp(200, '{"CodeResponse":"105","ErrorMessage":"Not found"}'), expect={"error": esms_reject("105", "not_found", "Not found")})
case("esms", "receiver_status_request", source="2.7", operation="receiver_status", account=ESMS, sms_id="abc123",
     expect={"request": req("GET", ESMS_BASE + "GetSmsReceiverStatus_get?ApiKey=K&SecretKey=S&RefId=abc123", [])})
case("esms", "decode_receiver_status_100", source="2.7 (real booleans)", operation="decode_receiver_status", provider="esms",
     response=resp(200, '{"CodeResult":"100","ReceiverList":[{"IsSent":true,"NetworkName":"Viettel","Phone":"0901888484","Retry":0,"SentResult":true},{"IsSent":"false","Phone":"0912345678","Retry":"2","SentResult":false}]}'),
     expect={"receivers": [{"phone": "0901888484", "is_sent": True, "sent_result": True, "retry": 0, "network_name": "Viettel"},
                           {"phone": "0912345678", "is_sent": False, "sent_result": False, "retry": 2, "network_name": None}]})
case("esms", "decode_receiver_status_101", source="2.7", operation="decode_receiver_status", provider="esms",
     response=resp(200, '{"CodeResult":"101","ErrorMessage":"Authorize Failed"}'), expect={"error": esms_reject("101", "unauthorized", "Authorize Failed")})

# --------------------------------------------------------------------------------------------
# eSMS: messages created in a time window (GetSmsSentData_V2), read to reconcile unknown outcomes
# --------------------------------------------------------------------------------------------

def sent_data_req(acct, window):
    # Member order of both pages' curl; SmsType a string as in the samples (D-C1), Page and
    # PageSize bare numbers as the Vietnamese sample and the English curl send them; From/To in
    # Vietnam time to the second (D-Z37).
    body = {"ApiKey": acct["api_key"], "SecretKey": acct["secret_key"], "SmsType": str(window["sms_type"]),
            "From": vn_local(window["from"]), "To": vn_local(window["to"]),
            "Page": window["page"], "PageSize": window["page_size"]}
    return json_req(ESMS_BASE + "GetSmsSentData_V2", body)


w = {"sms_type": 2, "from": "2026-11-24T01:55:00.250Z", "to": "2026-11-24T02:05:00.999Z", "page": 1, "page_size": 500}
case("esms", "sent_data_request", source="ZALO.md 3.7; D-Z37 From/To in UTC+7, fractions dropped; D-C1", operation="sent_data", account=ESMS_REAL,
     window=w, expect={"request": sent_data_req(ESMS_REAL, w)})
w = {"sms_type": 23, "from": "2026-12-31T16:59:59Z", "to": "2026-12-31T17:00:00Z", "page": 7, "page_size": 1}
case("esms", "sent_data_request_viber_across_new_year", source="ZALO.md 3.7: Viber is 23; the local date turns over at 17:00 UTC", operation="sent_data", account=ESMS,
     window=w, expect={"request": sent_data_req(ESMS, w)})
w_ok = {"sms_type": 2, "from": "2026-11-24T01:55:00Z", "to": "2026-11-24T02:05:00Z", "page": 1, "page_size": 500}
for name, patch, field, src in [
    ("sent_data_error_page_0", {"page": 0}, "page", "3.7: Page starts at 1"),
    ("sent_data_error_page_size_0", {"page_size": 0}, "page_size", "3.7: PageSize 1..=500"),
    ("sent_data_error_page_size_501", {"page_size": 501}, "page_size", "3.7: PageSize at most 500"),
    ("sent_data_error_from_after_to", {"from": "2026-11-24T02:05:01Z"}, "from", "a window ends after it starts"),
    ("sent_data_error_sms_type_3", {"sms_type": 3}, "sms_type", "3.7: the types the query lists"),
]:
    case("esms", name, source=src, operation="sent_data", account=ESMS, window=dict(w_ok, **patch), expect={"error": err("invalid_input", field=field)})


SAMPLE_TEXT = "Cam on quy khach da su dung dich vu cua chung toi. Chuc quy khach mot ngay tot lanh!"
SAMPLE_CAMPAIGN = "Chiến dịch 02/10/2023"


def sent_row(reference_id, phone, content, campaign, sell_price, result, status, sent_time, portal_sms_id, sms_type):
    return {"reference_id": reference_id, "phone": phone, "content": content, "campaign": campaign, "sell_price": sell_price,
            "result": result, "status": status, "sent_time": sent_time, "portal_sms_id": portal_sms_id, "sms_type": sms_type}


# The page's sample repaired by hand (D-Z36: the comma after CountTotal, the unclosed "SendStatus, the
# final brace); the first row's date with WCF's escaped slashes, the second without.
sample = ('{"CodeResult":"100","CountTotal":2,"SentData":['
          '{"Campaign":"Chiến dịch 02/10/2023","Content":"' + SAMPLE_TEXT + '","Phone":"0901888484","ReferenceId":"35781d6c25524e40a035c26663189549",'
          '"SellPrice":345.0,"SendResult":0,"SendStatus":5,"SentTime":"\\/Date(1705484048995+0700)\\/","SmsId":29028845,"SmsType":2},'
          '{"Campaign":"Chiến dịch 02/10/2023","Content":"' + SAMPLE_TEXT + '","Phone":"0901888484","ReferenceId":"0aac72e0-ba9b-4348-8530-d18d105778db18",'
          '"SellPrice":790.0000,"SendResult":1,"SendStatus":5,"SentTime":"/Date(1705484048995+0700)/","SmsId":29028845,"SmsType":2}]}')
sample_page = {"count_total": 2, "rows": [
    sent_row("35781d6c25524e40a035c26663189549", "0901888484", SAMPLE_TEXT, SAMPLE_CAMPAIGN, 345.0, "failed", "finished", "2024-01-17T09:34:08.995Z", "29028845", "customer_care"),
    sent_row("0aac72e0-ba9b-4348-8530-d18d105778db18", "0901888484", SAMPLE_TEXT, SAMPLE_CAMPAIGN, 790.0, "succeeded", "finished", "2024-01-17T09:34:08.995Z", "29028845", "customer_care"),
]}
for name, body, expect, src in [
    ("decode_sent_data_100_page_sample_repaired", sample, {"sent_data": sample_page}, "ZALO.md 3.7 sample, repaired; D-Z36 /Date(ms+0700)/ is UTC ms"),
    ("decode_sent_data_100_bom", "\ufeff" + sample, {"sent_data": sample_page}, "D-Z36: a leading UTF-8 byte-order mark is allowed"),
    ("decode_sent_data_100_older_shape", '{"CodeResult":"100","CountTotal":518,"SentData":[{"Campaign":null,"Content":"x","Phone":"84901888484","ReferenceId":"02e2152","SellPrice":790.000,"SendStatus":7,"SentResult":true,"SentTime":"23/11/2023 17:06:37","SmsId":860903326,"SmsType":2}]}',
     {"sent_data": {"count_total": 518, "rows": [sent_row("02e2152", "84901888484", "x", None, 790.0, "succeeded", "sent_to_telco", "2023-11-23T10:06:37.000Z", "860903326", "customer_care")]}},
     "PROVIDERS.md 2.8; D-Z36: SentResult, dd/MM/yyyy HH:mm:ss in UTC+7"),
    ("decode_sent_data_100_strings_and_undetermined", '{"CodeResult":"100","CountTotal":"1","SentData":[{"Phone":"0912345678","ReferenceId":"r-1","SendResult":"2","SendStatus":"0","SentTime":"\\\\/Date(-1000)\\\\/","SmsType":"23"}]}',
     {"sent_data": {"count_total": 1, "rows": [sent_row("r-1", "0912345678", None, None, None, "undetermined", {"other": 0}, "1969-12-31T23:59:59.000Z", None, "viber")]}},
     "numbers as strings (D-C1); 2 undetermined, 0 drafting; the date's slashes still escaped after decoding"),
    ("decode_sent_data_100_empty_window", '{"CodeResult":"100","CountTotal":0,"SentData":[]}', {"sent_data": {"count_total": 0, "rows": []}}, "an empty window"),
    ("decode_sent_data_101", '{"CodeResult":"101","ErrorMessage":"Authorize Failed."}', {"error": esms_reject("101", "unauthorized", "Authorize Failed.")}, "3.7 tab 101"),
    ("decode_sent_data_page_sample_as_printed", '{\n    "CodeResult": "100",\n    "CountTotal": 2\n    "SentData": []\n}',
     {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "D-Z36: strict JSON; the printed sample is not JSON"),
    ("decode_sent_data_row_without_reference_id", '{"CodeResult":"100","CountTotal":1,"SentData":[{"Phone":"0912345678","Content":"x"}]}',
     {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "a row that cannot be identified is not skipped: reconciliation must not miss it"),
    ("decode_sent_data_rows_missing", '{"CodeResult":"100","CountTotal":3}',
     {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "rows counted but not listed"),
]:
    case("esms", name, source=src, operation="decode_sent_data", provider="esms", response=resp(200, body), expect=expect)

# --------------------------------------------------------------------------------------------
# eSMS: delivery reports (GET callback)
# --------------------------------------------------------------------------------------------

def report(**fields):
    base = {"sms_id": None, "request_id": None, "send_status": None, "sms_type": None, "telco": None, "phone": None, "send_success": None,
            "send_failed": None, "total_receivers": None, "total_sent": None, "total_price": None, "partner_ids": None, "error_info": None,
            "oaid": None, "template_id": None, "switch_sms_id": None, "extra": []}
    base.update(fields)
    return base


for name, query, expect, src in [
    ("delivery_report_customer_care", "SMSID=dc71a1b2c3d4e5f60718293a4b5c6d87&SendFailed=2&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=2&TotalSent=2&RequestId=&TypeId=2&telcoid=1&phonenumber=0901888484&switchsmsid=",
     report(sms_id="dc71a1b2c3d4e5f60718293a4b5c6d87", send_status="finished", sms_type="customer_care", telco="viettel", phone="0901888484", send_success=0, send_failed=2, total_receivers=2, total_sent=2, total_price=0.0), "4.1 CSKH sample"),
    ("delivery_report_advertising", "?SMSID=ab12&SendFailed=0&SendStatus=5&SendSuccess=0&TotalPrice=696987.0000&TotalReceiver=169&TotalSent=169&RequestId=&TypeId=1",
     report(sms_id="ab12", send_status="finished", sms_type="advertising", send_success=0, send_failed=0, total_receivers=169, total_sent=169, total_price=696987.0), "4.1 advertising sample (aggregate, no phone)"),
    ("delivery_report_viber_whole_url", "https://erp.example.vn/esms/dlr?secret=abc&SMSID=f3c1&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=470.0000&TotalReceiver=1&TotalSent=1&RequestId=viber-1&TypeId=23&telcoid=2&phonenumber=0901888484",
     report(sms_id="f3c1", request_id="viber-1", send_status="finished", sms_type="viber", telco="mobifone", phone="0901888484", send_success=1, send_failed=0, total_receivers=1, total_sent=1, total_price=470.0, extra=[["secret", "abc"]]), "4.1 Viber sample; the receiver's own parameters are kept"),
    ("delivery_report_zalo_error_info", "SMSID=z1&SendStatus=4&TypeId=24&phonenumber=0901888484&partnerids=m123&oaid=4321&tempid=2001&error_info=" + q(json.dumps(json.dumps({"error": -114, "message": "User is inactive, or out of quota"}))),
     report(sms_id="z1", send_status="rejected", sms_type="zns_priority", phone="0901888484", partner_ids="m123", oaid="4321", template_id="2001", error_info={"code": -114, "message": "User is inactive, or out of quota"}), "4.1: error_info is JSON inside a JSON string"),
    ("delivery_report_lenient", "smsid=L1&Totalprice=12.5&SendStatus=9&TypeId=26&telcoid=42&SendSuccess=abc&phonenumber=312158068343230&NewParam=x+y&TotalSent=%31",
     report(sms_id="L1", total_price=12.5, send_status={"other": 9}, sms_type="zalo_follower", phone="312158068343230", total_sent=1, extra=[["telcoid", "42"], ["SendSuccess", "abc"], ["NewParam", "x y"]]), "4.1 decoder rules: case-insensitive, lenient, unknown kept"),
    ("delivery_report_empty", "", report(), "an empty query is a report with nothing in it, not an error"),
]:
    case("esms", name, source=src, operation="delivery_report", query=query, expect={"report": expect})

# --------------------------------------------------------------------------------------------
# CareSoft
# --------------------------------------------------------------------------------------------

CS_URL = "https://api.caresoft.vn/khachhang01/api/v1/sms"
CS_HEADERS = [["Authorization", "Bearer tok-123"], ["Content-Type", "application/json"]]
m = {"kind": "customer_care", "recipients": ["0980000000"], "text": "Chúc mừng sinh nhật quý khách hàng."}
case("caresoft", "send_page_example", source="page 000 curl (D-A2 service_id as a string)", operation="send", account=CARESOFT, now=NOW, message=m,
     expect={"request": req("POST", CS_URL, CS_HEADERS, '{"sms":{"service_id":"12","content":"Chúc mừng sinh nhật quý khách hàng.","phone":"0980000000"}}')})
m = {"kind": "otp", "recipients": ["+84 98 000 0000"], "text": HOSTILE, "caresoft": {"ticket_id": 291437}}
case("caresoft", "send_hostile_with_ticket", source="ticket_id as a string like service_id; JSON escaping", operation="send", account=dict(CARESOFT, base_url="https://api2.caresoft.vn/"), now=NOW, message=m,
     expect={"request": req("POST", "https://api2.caresoft.vn/khachhang01/api/v1/sms", CS_HEADERS, jdump({"sms": {"service_id": "12", "content": HOSTILE, "phone": "0980000000", "ticket_id": "291437"}}))})
m = {"kind": "customer_care", "recipients": ["0980000000"], "text": "ệ" * 1000}
case("caresoft", "send_1000_characters", source="STRING(1000) counted in characters (D-A5)", operation="send", account=CARESOFT, now=NOW, message=m,
     expect={"request": req("POST", CS_URL, CS_HEADERS, jdump({"sms": {"service_id": "12", "content": m["text"], "phone": "0980000000"}}))})
cs_base = {"kind": "customer_care", "recipients": ["0980000000"], "text": "x"}
for name, msg, field, src in [
    ("send_error_1001_characters", dict(cs_base, text="a" * 1001), "text", "D-A5"),
    ("send_error_schedule", dict(cs_base, schedule=LATER), "schedule", "CareSoft cannot schedule"),
    ("send_error_callback", dict(cs_base, callback_url="https://e.vn/cb"), "callback_url", "no delivery reports"),
    ("send_error_request_id", dict(cs_base, request_id="r1"), "request_id", "no idempotency key"),
    ("send_error_sender", dict(cs_base, sender="NHANTIN"), "sender", "brandname comes from the service"),
    ("send_error_two_phones", dict(cs_base, recipients=["0980000000", "0912345678"]), "recipients", "one phone per request"),
    ("send_error_advertising", dict(cs_base, kind="advertising"), "kind", "only the brandname service"),
    ("send_error_sandbox", dict(cs_base, sandbox=True), "sandbox", "no test mode"),
    ("send_error_esms_option", dict(cs_base, esms={"format": "xml"}), "options", "eSMS option on CareSoft"),
]:
    case("caresoft", name, source=src, operation="send", account=CARESOFT, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})
case("caresoft", "account_error_domain_with_slash", source="D-A1: the domain is one path segment", operation="send", account=dict(CARESOFT, domain="evil/../x"),
     now=NOW, message=cs_base, expect={"error": err("invalid_input", field="domain")})

for name, status, body, headers, expect, src in [
    ("decode_ok_page_example", 200, '{\n  "code": "ok",\n  "ticket": {\n    "ticket_id": 291437,\n    "ticket_no": 205025,\n    "requester_id": 63203810,\n    "assignee_id": 1\n  }\n}', [],
     {"receipt": {"provider": "caresoft", "reference": "291437", "ticket": {"ticket_id": 291437, "ticket_no": 205025, "requester_id": 63203810, "assignee_id": 1}, "token": None}}, "page 000"),
    ("decode_429_doc_sample_not_json", 429, '{code:"errors",message:"Too Many Attempts."}', [], {"error": err("rate_limited", provider="caresoft", retry_after_secs=None, lockout=False, retry_safe=True)}, "5.2: the documented 429 body is not even JSON"),
    ("decode_429_json_retry_after", 429, '{"code":"errors","message":"Too Many Attempts."}', [["Retry-After", "1"]], {"error": err("rate_limited", provider="caresoft", retry_after_secs=1, lockout=False, message="Too Many Attempts.", retry_safe=True)}, "5.2"),
    ("decode_404_lockout", 404, '{"code":"errors","message":"Domain incorrect too many times , retry after 15 minutes "}', [], {"error": err("rate_limited", provider="caresoft", retry_after_secs=900, lockout=True, retry_safe=True)}, "D-A7: the lock-out is not 'not found'"),
    ("decode_404_unknown_domain", 404, '{"code":"errors","message":"Domain not found"}', [], {"error": err("rejected", provider="caresoft", reason="unknown_account", code="404", message="Domain not found", retry_safe=False)}, "wrong tenant"),
    ("decode_401", 401, '{"code":"errors","message":"Unauthenticated."}', [], {"error": err("rejected", provider="caresoft", reason="unauthorized", code="401", message="Unauthenticated.", retry_safe=False)}, "wrong token"),
    ("decode_400", 400, '{"code":"errors","message":"The sms.phone field is required."}', [], {"error": err("rejected", provider="caresoft", reason="invalid_request", code="errors", message="The sms.phone field is required.", retry_safe=False)}, "400 body undocumented; kept"),
    ("decode_500_empty", 500, '', [], {"error": err("provider_unavailable", provider="caresoft", status=500, retry_safe=False)}, "a CareSoft send has no idempotency key: never resent after a 5xx"),
    ("decode_200_code_errors", 200, '{"code":"errors","message":"Service not found"}', [], {"error": err("rejected", provider="caresoft", reason="other", code="errors", message="Service not found", retry_safe=False)}, "D-A6: 2xx is not enough"),
    ("decode_200_html", 200, '<!DOCTYPE html><html><body>Login</body></html>', [], {"error": err("unexpected_response", provider="caresoft", status=200, retry_safe=False)}, "HTML instead of JSON: outcome unknown, not resent"),
]:
    case("caresoft", name, source=src, operation="decode_send", provider="caresoft", response=resp(status, body, headers), expect=expect)

# --------------------------------------------------------------------------------------------
# InterITS
# --------------------------------------------------------------------------------------------

IT_URL = "https://cpaas.interits.com/api/vendor/v1/sms/send-message"
IT_HEADERS = [["accept", "*/*"], ["API-KEY", "key-abc"], ["Content-Type", "application/json"]]


def interits(msg, dests, use_unicode, kind, text=None):
    body = {"destinations": dests, "from": msg["sender"], "text": text if text is not None else msg["text"]}
    if "schedule" in msg:
        body["scheduled"] = utc_ms(msg["schedule"])
    body["requestId"] = msg["request_id"]
    body["useUnicode"] = use_unicode
    body["type"] = kind
    if "ext" in msg.get("interits", {}):
        body["ext"] = msg["interits"]["ext"]
    return req("POST", IT_URL, IT_HEADERS, jdump(body))


m = {"kind": "otp", "recipients": ["0901234567"], "text": "Ma OTP: 123456", "sender": "MYBRAND", "request_id": "ord-123-otp-1"}
case("interits", "send_digest_example", source="PROVIDERS.md 1.2 example (numbers for useUnicode/type, D-B4)", operation="send", account=INTERITS, now=NOW, message=m,
     expect={"request": req("POST", IT_URL, IT_HEADERS, '{"destinations":["0901234567"],"from":"MYBRAND","text":"Ma OTP: 123456","requestId":"ord-123-otp-1","useUnicode":0,"type":2}')})
m = {"kind": "customer_care", "recipients": ["0901234567", "0362345678"], "text": HOSTILE, "sender": "NHANTIN", "request_id": "it-2",
     "schedule": "2026-11-24T10:33:44.757+07:00", "interits": {"ext": {"campaign": "t11", "n": 1}}}
case("interits", "send_unicode_scheduled_ext", source="D-B5 useUnicode 1; D-B6 scheduled in UTC with ms; ext verbatim", operation="send", account=INTERITS, now=NOW, message=m,
     expect={"request": interits(m, ["0901234567", "0362345678"], 1, 0)})
m = {"kind": "advertising", "recipients": ["0901234567"], "text": "Khuyến mãi", "sender": "NHANTIN", "request_id": "it-3", "interits": {"server_side_conversion": True}}
case("interits", "send_server_side_conversion_international", source="D-B5 useUnicode 2; D-B7 phone format setting", operation="send",
     account=dict(INTERITS, phone_format="international"), now=NOW, message=m, expect={"request": interits(m, ["84901234567"], 2, 1)})
it_base = {"kind": "otp", "recipients": ["0901234567"], "text": "x", "sender": "NHANTIN", "request_id": "it-e"}
for name, msg, field, src in [
    ("send_error_fixed_number", dict(it_base, kind="fixed_number"), "kind", "type is 0, 1 or 2"),
    ("send_error_viber", dict(it_base, kind="viber"), "kind", "no Viber"),
    ("send_error_callback", dict(it_base, callback_url="https://e.vn/cb"), "callback_url", "no per-message callback"),
    ("send_error_missing_sender", {k: v for k, v in it_base.items() if k != "sender"}, "sender", "from is required"),
    ("send_error_missing_request_id", {k: v for k, v in it_base.items() if k != "request_id"}, "request_id", "D-B10"),
    ("send_error_sandbox", dict(it_base, sandbox=True), "sandbox", "no test mode"),
    ("send_error_conversion_with_strip", dict(it_base, unicode="strip", interits={"server_side_conversion": True}), "interits.server_side_conversion", "two conversions conflict"),
]:
    case("interits", name, source=src, operation="send", account=INTERITS, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})

for name, status, body, expect, src in [
    ("decode_200_code_0", 200, '{"code":0,"data":{"token":"tk-1"},"message":"success","referentId":"ref-9"}', {"receipt": {"provider": "interits", "reference": "ref-9", "ticket": None, "token": "tk-1"}}, "D-B8"),
    ("decode_200_code_string_0_envelope", 200, '{"code":"0","data":{"token":"tk-2"},"message":"ok","referentId":"ref-10","errors":{},"total_record":0,"current_page":0}', {"receipt": {"provider": "interits", "reference": "ref-10", "ticket": None, "token": "tk-2"}}, "D-B8: string 0 and the envelope's extra fields"),
    ("decode_200_no_code", 200, '{"referentId":"ref-11"}', {"receipt": {"provider": "interits", "reference": "ref-11", "ticket": None, "token": None}}, "D-B8: code absent"),
    ("decode_201_created", 201, '{"code":0,"referentId":"ref-12"}', {"receipt": {"provider": "interits", "reference": "ref-12", "ticket": None, "token": None}}, "201 is 2xx"),
    ("decode_204_empty", 204, '', {"receipt": {"provider": "interits", "reference": None, "ticket": None, "token": None}}, "D-B8: 204 No Content"),
    ("decode_200_page_placeholder", 200, '{\n  "code": "number",\n  "data": {\n    "token": "string"\n  },\n  "message": "string",\n  "referentId": "string"\n}', {"error": err("rejected", provider="interits", reason="other", code="number", message="string", retry_safe=False)}, "page 001's placeholder: code is not 0"),
    ("decode_200_code_nonzero", 200, '{"code":1001,"message":"Brandname not active"}', {"error": err("rejected", provider="interits", reason="other", code="1001", message="Brandname not active", retry_safe=False)}, "a business error in a 200"),
    ("decode_200_empty", 200, '', {"error": err("unexpected_response", provider="interits", status=200, retry_safe=False)}, "empty 200 is not 204; D-B10: no documented de-duplication, so not resendable"),
    ("decode_401", 401, '{"code":401,"message":"Unauthorized"}', {"error": err("rejected", provider="interits", reason="unauthorized", code="401", message="Unauthorized", retry_safe=False)}, "5.3"),
    ("decode_403_html", 403, '<html>Forbidden</html>', {"error": err("rejected", provider="interits", reason="unauthorized", code="403", message="<html>Forbidden</html>", retry_safe=False)}, "5.3"),
    ("decode_400_envelope", 400, '{"code":400,"message":"destinations must not be empty","errors":{"destinations":["required"]}}', {"error": err("rejected", provider="interits", reason="invalid_request", code="400", message="destinations must not be empty", retry_safe=False)}, "5.3"),
    ("decode_429", 429, '', {"error": err("rate_limited", provider="interits", retry_after_secs=None, lockout=False, retry_safe=True)}, "D-B12"),
    ("decode_502", 502, '<html>Bad Gateway</html>', {"error": err("provider_unavailable", provider="interits", status=502, retry_safe=False)}, "D-B10: de-duplication by requestId is undocumented, so a 5xx send is not resent"),
]:
    case("interits", name, source=src, operation="decode_send", provider="interits", response=resp(status, body), expect=expect)

for name, body, expect, src in [
    ("callback_bare", '{"msisdn":"84901234567","requestId":"ord-1","sendTime":"2024-12-20 10:33:44","responseTimeTelco":"2024-12-20 10:33:46","status":1,"referentId":"ref-9","retryCount":0}',
     {"msisdn": "84901234567", "request_id": "ord-1", "send_time": "2024-12-20 10:33:44", "response_time_telco": "2024-12-20 10:33:46", "status": 1, "referent_id": "ref-9", "retry_count": 0}, "2.12 body"),
    ("callback_envelope_strings", '{"code":0,"data":{"msisdn":"0901234567","requestId":"ord-2","sendTime":"t","status":"2","referentId":"ref-10","retryCount":"1"},"message":"ok"}',
     {"msisdn": "0901234567", "request_id": "ord-2", "send_time": "t", "response_time_telco": None, "status": 2, "referent_id": "ref-10", "retry_count": 1}, "2.12 envelope; string-or-number"),
]:
    case("interits", name, source=src, operation="interits_callback", body=body, expect={"callback": expect})
case("interits", "callback_not_json", source="a broken body is an input error", operation="interits_callback", body="status=1", expect={"error": err("invalid_input", field="callback")})

# --------------------------------------------------------------------------------------------
# Phone numbers and text (helpers every binding exposes)
# --------------------------------------------------------------------------------------------

for name, given, expect, src in [
    ("phone_national", "0912345678", {"national": "0912345678", "international": "84912345678", "e164": "+84912345678", "carrier": "vinaphone"}, "6.3"),
    ("phone_e164_spaces", "+84 98 765 4321", {"national": "0987654321", "international": "84987654321", "e164": "+84987654321", "carrier": "viettel"}, "6.3"),
    ("phone_0084_brackets", "0084 (70) 123-4567", {"national": "0701234567", "international": "84701234567", "e164": "+84701234567", "carrier": "mobifone"}, "6.3"),
    ("phone_bracketed_plus", "(+84) 91 234 5678", {"national": "0912345678", "international": "84912345678", "e164": "+84912345678", "carrier": "vinaphone"}, "bug found by proptest: '+' inside a bracket was refused"),
    ("phone_84_dots", "84.56.123.4567", {"national": "0561234567", "international": "84561234567", "e164": "+84561234567", "carrier": "vietnamobile"}, "6.3"),
    ("phone_vinaphone_084", "0841234567", {"national": "0841234567", "international": "84841234567", "e164": "+84841234567", "carrier": "vinaphone"}, "084 is a national prefix, not a country code"),
    ("phone_itel", "0871234567", {"national": "0871234567", "international": "84871234567", "e164": "+84871234567", "carrier": "itel"}, "6.2"),
    ("phone_gmobile", "0993123456", {"national": "0993123456", "international": "84993123456", "e164": "+84993123456", "carrier": "gmobile"}, "6.2"),
    ("phone_unknown_prefix", "0512345678", {"national": "0512345678", "international": "84512345678", "e164": "+84512345678", "carrier": "unknown"}, "6.2: valid but unknown prefix"),
    ("phone_error_legacy_viettel", "0166 234 5678", {"error": err("invalid_input", field="phone", reason_contains="036****678")}, "6.1 conversion table"),
    ("phone_error_legacy_mobifone", "+84 120 234 5678", {"error": err("invalid_input", field="phone", reason_contains="070****678")}, "6.1 conversion table"),
    ("phone_error_landline", "02438251234", {"error": err("invalid_input", field="phone")}, "landline"),
    ("phone_error_short", "091234567", {"error": err("invalid_input", field="phone")}, "too short"),
    ("phone_error_letters", "09l2345678", {"error": err("invalid_input", field="phone")}, "a letter l"),
    ("phone_error_foreign", "+1 415 555 0100", {"error": err("invalid_input", field="phone")}, "not +84"),
]:
    case("common", name, source=src, operation="phone", input=given, expect=expect)

for name, text, expect, src in [
    ("text_gsm_160", "a" * 160, {"encoding": "gsm7", "characters": 160, "units": 160, "segments": 1}, "7: 160 in one"),
    ("text_gsm_161", "a" * 161, {"encoding": "gsm7", "characters": 161, "units": 161, "segments": 2}, "7: 153 per part"),
    ("text_gsm_extension", "{}[]~^|\\€" * 10, {"encoding": "gsm7", "characters": 90, "units": 180, "segments": 2}, "7: extension characters count two"),
    ("text_ucs2_70", "ệ" * 70, {"encoding": "ucs2", "characters": 70, "units": 70, "segments": 1}, "7: 70 in one"),
    ("text_ucs2_71", "ệ" * 71, {"encoding": "ucs2", "characters": 71, "units": 71, "segments": 2}, "7: 67 per part"),
    ("text_emoji_pairs", "😀" * 35, {"encoding": "ucs2", "characters": 35, "units": 70, "segments": 1}, "surrogate pairs count two"),
    ("text_vietnamese", "Mã OTP của bạn là 123456", {"encoding": "ucs2", "characters": 24, "units": 24, "segments": 1, "stripped": "Ma OTP cua ban la 123456"}, "7: diacritics force UCS-2"),
    ("text_strip_every_tone", "Đà Nẵng, Huế, Hội An, Thừa Thiên, Quảng Ngãi, Bạc Liêu, Cà Mau, Kỳ Sơn, Ỷ Lan, Ỹ, Ỵ", {"encoding": "ucs2", "stripped": "Da Nang, Hue, Hoi An, Thua Thien, Quang Ngai, Bac Lieu, Ca Mau, Ky Son, Y Lan, Y, Y"}, "every tone mark, đ/Đ"),
    ("text_strip_decomposed", "Vie\u0302\u0301t Nam", {"encoding": "ucs2", "stripped": "Viet Nam"}, "combining marks (NFD input)"),
    ("text_empty", "", {"encoding": "gsm7", "characters": 0, "units": 0, "segments": 0}, "empty"),
]:
    case("common", name, source=src, operation="text", input=text, expect=expect)


def main():
    check = "--check" in sys.argv
    expected = {}
    for folder, name, fields in CASES:
        doc = {"description": name.replace("_", " "), **fields}
        msg = doc.get("message")
        if isinstance(msg, dict):
            msg.pop("_phones", None)
        expected[ROOT / folder / f"{name}.json"] = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    names = [p for p in expected]
    assert len(names) == len(set(names)), "duplicate case names"
    stale = [p for p in ROOT.glob("*/*.json") if p not in expected]
    if check:
        bad = [p for p, text in expected.items() if not p.exists() or p.read_text(encoding="utf-8") != text] + stale
        for p in bad:
            print(f"drift: {p.relative_to(ROOT)}")
        if bad:
            print("run: python3 tests/vectors/generate.py")
            return 1
        print(f"{len(expected)} vectors up to date")
        return 0
    for p in stale:
        p.unlink()
    for p, text in expected.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"wrote {len(expected)} vectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
