#!/usr/bin/env python3
"""Writes tests/vectors/<provider>/<case>.json from the case list below.

The expected requests are built here with Python's own JSON, XML and percent-encoding, written
from the provider pages -- not with nhantin's encoders -- so a replay compares two independent
readings of the wire format. Decode expectations are written out by hand.

    python3 tests/vectors/generate.py          # rewrite the files
    python3 tests/vectors/generate.py --check  # fail if a committed file differs
"""
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote, unquote_plus

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


def message_json(m):
    """The message's JSON form from the compact flat form the cases below are written in:
    `kind` (otp, customer_care, advertising, fixed_number, viber), `text`, `sender`, `unicode` and
    `viber` {image_url, button_label, button_url} become the typed `content`; `esms`, `caresoft`,
    `interits` become the tagged `options`. Any other key stays where it is, so a misspelt field
    still reaches the parser. Viber parts on an SMS land inside the SMS, where they are unknown.
    `kind` `zns` keeps `oa_id`, `template_id`, `params` ((name, value) pairs), `zalo_user_id`,
    `hash_phone`, `journey_order_id` and `exceed_quota` under `content.zns` (a `text` too, to
    show it is refused there)."""
    m = dict(m)
    kind = m.pop("kind", None)
    if kind == "zns_bulk":
        # `params` as one list of (name, value) pairs per recipient.
        bulk = {k: m.pop(k) for k in ("oa_id", "template_id", "params", "exceed_quota") if k in m}
        bulk["params"] = [[{"name": n, "value": v} for n, v in one] for one in bulk.get("params", [])]
        out = {"recipients": m.pop("recipients")} if "recipients" in m else {}
        out["content"] = {"zns_bulk": bulk}
        options = {k: m.pop(k) for k in ("esms", "caresoft", "interits") if k in m}
        out.update(m)
        if options:
            out["options"] = options
        return out
    if kind in ("zalo_then_sms", "generated_otp"):
        # Written in their JSON shape already: {"zns", "sms"} or {"channel", "time_alive_minutes"}.
        keys = ("zns", "sms") if kind == "zalo_then_sms" else ("channel", "time_alive_minutes")
        out = {"recipients": m.pop("recipients")} if "recipients" in m else {}
        out["content"] = {kind: {k: m.pop(k) for k in keys if k in m}}
        options = {k: m.pop(k) for k in ("esms", "caresoft", "interits") if k in m}
        out.update(m)
        if options:
            out["options"] = options
        return out
    if kind == "zns":
        # `params` as (name, value) pairs; the other ZNS keys as they are.
        zns = {k: m.pop(k) for k in ("oa_id", "template_id", "params", "zalo_user_id", "hash_phone", "journey_order_id", "exceed_quota") if k in m}
        zns["params"] = [{"name": n, "value": v} for n, v in zns.get("params", [])]
        out = {"recipients": m.pop("recipients")} if "recipients" in m else {}
        out["content"] = {"zns": dict(zns, **{k: m.pop(k) for k in ("text",) if k in m})}
        options = {k: m.pop(k) for k in ("esms", "caresoft", "interits") if k in m}
        out.update(m)
        if options:
            out["options"] = options
        return out
    body = {}
    for key in ("text", "sender", "unicode"):
        if key in m:
            body[key] = m.pop(key)
    parts = m.pop("viber", {})
    if kind == "viber":
        if "image_url" in parts:
            body["image_url"] = parts["image_url"]
        if "button_label" in parts or "button_url" in parts:
            body["button"] = {k: parts[f"button_{k}"] for k in ("label", "url") if f"button_{k}" in parts}
        content = {"viber": body}
    else:
        body = dict({"purpose": kind} if kind else {}, **body, **parts)
        content = {"sms": body}
    out = {"recipients": m.pop("recipients")} if "recipients" in m else {}
    out["content"] = content
    options = {k: m.pop(k) for k in ("esms", "caresoft", "interits") if k in m}
    out.update(m)
    if options:
        out["options"] = options
    return out


def case(folder, name, **fields):
    if "message" in fields:
        fields["message"] = message_json(fields["message"])
    # Only a request answered per recipient (bulk ZNS) fills a receipt's `recipients`.
    if "receipt" in fields.get("expect", {}):
        fields["expect"]["receipt"].setdefault("recipients", [])
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
    ("send_error_brandname_too_long", variant(sender="TwelveLetter"), err("invalid_input", field="sms.sender"), "7: 11-character brandname"),
    ("send_error_missing_brandname", variant(sender=None), err("invalid_input", field="sms.sender"), "SmsType 2 needs a brandname"),
    ("send_error_past_schedule", variant(schedule="2026-11-24T01:59:59Z"), err("invalid_input", field="schedule"), "D-C7: refuse schedules in the past"),
    ("send_error_schedule_equals_now", variant(schedule=NOW), err("invalid_input", field="schedule"), "D-C7: now is not the future"),
    ("send_error_bad_schedule_text", variant(schedule="2026-11-24 10:30:00"), err("invalid_input", field="schedule"), "schedule is an RFC 3339 instant"),
    ("send_error_empty_text", variant(text=""), err("invalid_input", field="sms.text"), "empty content"),
    ("send_error_control_character", variant(text="OTP\u0000123"), err("invalid_input", field="sms.text"), "NUL is never displayable"),
    ("send_error_reject_policy", variant(text="Mã OTP", unicode="reject"), err("invalid_input", field="sms.text"), "unicode policy reject"),
    ("send_error_strip_leaves_emoji", variant(text="Mã OTP 😀", unicode="strip"), err("invalid_input", field="sms.text"), "strip cannot make an emoji GSM-7"),
    ("send_error_customer_care_get", variant(esms={"format": "get"}), err("invalid_input", field="options.esms.format"), "GET is fixed-number only here"),
    ("send_error_fixed_number_with_sender", {"kind": "fixed_number", "recipients": ["0912345678"], "text": "x", "sender": "NHANTIN", "request_id": "f-2"}, err("invalid_input", field="sms.sender"), "D-E3: fixed number has no brandname"),
    ("send_error_caresoft_option_on_esms", variant(caresoft={"ticket_id": 5}), err("invalid_input", field="options.caresoft"), "another provider's options are refused in one place"),
    ("send_error_callback_not_url", variant(callback_url="erp.example.vn/dlr"), err("invalid_input", field="callback_url"), "absolute http(s) URL"),
    ("send_error_campaign_on_xml", variant(esms={"format": "xml", "campaign_id": "c"}), err("invalid_input", field="options.esms.campaign_id"), "only V4_post_json has campaignid"),
    ("send_error_unknown_field", dict(base_otp, brandname="NHANTIN"), err("invalid_input", field="message"), "misspelt fields are refused, not ignored"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=msg, expect={"error": e})

case("esms", "account_error_base_url_with_credentials", source="a password in base_url would be printed with the account; no provider authenticates that way", operation="send",
     account={"provider": "esms", "api_key": "K", "secret_key": "S", "base_url": "https://apiuser:BASEPASS@esms.example/"}, now=NOW, message=base_otp, expect={"error": err("invalid_input", field="base_url")})
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
     message=m, expect={"error": err("invalid_input", field="sms.unicode")})
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
     message={"kind": "advertising", "recipients": phones(30), "text": "Khuyến mãi", "sender": "MYBRAND", "request_id": "au"}, expect={"error": err("invalid_input", field="sms.unicode")})

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
    ("send_error_viber_button_without_url", {"button_label": "Go"}, "x", "message", "a button needs both parts (a missing url is a parse error)"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=dict(vbase, viber=v, text=text), expect={"error": err("invalid_input", field=field)})
case("esms", "send_error_viber_parts_on_sms", source="image and button belong to Viber", operation="send", account=ESMS, now=NOW,
     message=dict(base_otp, viber={"image_url": "https://cdn.example.vn/a.png"}), expect={"error": err("invalid_input", field="message", reason_contains="image_url")})
case("esms", "send_error_viber_schedule", source="Send_Multiple_Sms_OTT has no SendDate: a schedule was once dropped silently, now it is refused", operation="send",
     account=ESMS, now=NOW, message=dict(vbase, schedule=LATER), expect={"error": err("invalid_input", field="schedule")})
case("esms", "send_error_interits_option_on_esms", source="another provider's options are refused in one place", operation="send", account=ESMS, now=NOW,
     message=variant(interits={"server_side_conversion": True}), expect={"error": err("invalid_input", field="options.interits")})

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

def verdict(r):
    """D-Z41, written out here: counts and Zalo's code together; SendStatus 1/2/7 pending, 4 rejected."""
    if r["send_status"] in ("pending_approval", "waiting", "sent_to_telco"):
        return "pending"
    if r["send_status"] == "rejected":
        return "rejected"
    e = r["error_info"]
    zalo_failed = e is not None and e["code"] not in (None, 0)
    unreadable = e is not None and e["code"] is None
    ok, failed = r["send_success"], r["send_failed"]
    if ok is not None and ok >= 1 and failed == 0 and not zalo_failed and not unreadable:
        return "delivered"
    if ok == 0 and failed is not None and failed >= 1:
        return "failed"
    if ok is not None and failed is not None and ok >= 1 and failed >= 1 and e is None:
        return "partial"
    if ok in (None, 0) and failed in (None, 0) and zalo_failed:
        return "failed"
    return "ambiguous"


def report(**fields):
    base = {"sms_id": None, "request_id": None, "send_status": None, "sms_type": None, "telco": None, "phone": None, "send_success": None,
            "send_failed": None, "total_receivers": None, "total_sent": None, "total_price": None, "partner_ids": None, "error_info": None,
            "oaid": None, "template_id": None, "switch_sms_id": None, "leg": None, "verdict": None, "extra": []}
    base.update(fields)
    base["verdict"] = verdict(base)
    return base


def zalo_error(raw_query_value, **fields):
    """The decoded error_info; `raw` is the value after one query decoding."""
    base = {"code": None, "message": None, "message_id": None, "user_id": None, "status": None, "delivery_time_ms": None, "logged_at": None,
            "trailing": None, "raw": unquote_plus(raw_query_value)}
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
     report(sms_id="z1", send_status="rejected", sms_type="zns_priority", phone="0901888484", partner_ids="m123", oaid="4321", template_id="2001",
            error_info=zalo_error(q(json.dumps(json.dumps({"error": -114, "message": "User is inactive, or out of quota"}))), code=-114, message="User is inactive, or out of quota")), "4.1: error_info is JSON inside a JSON string"),
    ("delivery_report_lenient", "smsid=L1&Totalprice=12.5&SendStatus=9&TypeId=26&telcoid=42&SendSuccess=abc&phonenumber=312158068343230&NewParam=x+y&TotalSent=%31",
     report(sms_id="L1", total_price=12.5, send_status={"other": 9}, sms_type="zalo_follower", phone="312158068343230", total_sent=1, extra=[["telcoid", "42"], ["SendSuccess", "abc"], ["NewParam", "x y"]]), "4.1 decoder rules: case-insensitive, lenient, unknown kept"),
    ("delivery_report_empty", "", report(), "an empty query is a report with nothing in it, not an error"),
]:
    case("esms", name, source=src, operation="delivery_report", query=query, expect={"report": expect})

# Zalo reports (ZALO.md 4.5: every error_info form exactly as sent; D-Z40 tolerant decoding, D-Z41 verdict).
ZF1 = "%22{%5C%22error%5C%22%3A-114%2C%5C%22message%5C%22%3A%5C%22User%20is%20inactive%2C%20or%20reject%20the%20message%2C%20or%20using%20an%20outdated%20Zalo%20version%2C%20or%20other%20internal%20errors%5C%22}%22"
ZF2 = "%257B%2522data%2522%3A%257B%2522message_id%2522%3A%2522e1a60e8890be9de4c4ab%2522%2C%2522user_id%2522%3A%252231215806834323092%2522%257D%2C%2522error%2522%3A0%2C%2522message%2522%3A%2522Success%2522%257D____24%2F04%2F2024%252016%3A58%3A01"
ZF3 = "{%22error%22%3A0%2C%22message%22%3A%22Success%22%2C%22data%22%3A{%22delivery_time%22%3Anull%2C%22message%22%3A%22The%20message%20was%20delivered%20to%20the%20user%27s%20phone%22%2C%22status%22%3A1}}"
ZQ = "%22{%5C%22error%5C%22%3A-115%2C%5C%22message%5C%22%3A%5C%22Out%20of%20quota%5C%22}%22"
ZF4 = q('{"error":-124,"message":"Access token is invalid"}Object reference not set to an instance of an object.')
for name, query, expect, src in [
    ("delivery_report_zns_failed_form1", "SMSID=a1b2c3&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0901888484&partnerids=&error_info=" + ZF1 + "&oaid=1397492183140006179&tempid=2056446",
     report(sms_id="a1b2c3", send_status="finished", sms_type="zns_normal", telco="mobifone", phone="0901888484", send_success=0, send_failed=1, total_receivers=1, total_sent=0, total_price=0.0,
            error_info=zalo_error(ZF1, code=-114, message="User is inactive, or reject the message, or using an outdated Zalo version, or other internal errors"), oaid="1397492183140006179", template_id="2056446"),
     "4.5 form 1: a quoted, escaped JSON string; 4.4 SendStatus 5 is not success"),
    ("delivery_report_zns_out_of_quota", "SMSID=q2&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=3&phonenumber=0912345678&partnerids=&error_info=" + ZQ + "&oaid=1234567890123456789&tempid=301122",
     report(sms_id="q2", send_status="finished", sms_type="zns_normal", telco="vinaphone", phone="0912345678", send_success=0, send_failed=1, total_receivers=1, total_sent=0, total_price=0.0,
            error_info=zalo_error(ZQ, code=-115, message="Out of quota"), oaid="1234567890123456789", template_id="301122"),
     "D-Z58: a ZNS beyond the OA's daily quota is accepted, then reported failed with Zalo's Out of quota (-115), in form 1"),
    ("delivery_report_zns_journey_form2", "SMSID=j7&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=220.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=27&phonenumber=312158068343230&partnerids=e1a60e8890be9derir3gfbff&error_info=" + ZF2 + "&oaid=1397492183140006179",
     report(sms_id="j7", send_status="finished", sms_type="zns_journey", phone="312158068343230", send_success=1, send_failed=0, total_receivers=1, total_sent=1, total_price=220.0,
            partner_ids="e1a60e8890be9derir3gfbff", oaid="1397492183140006179",
            error_info=zalo_error(ZF2, code=0, message="Success", message_id="e1a60e8890be9de4c4ab", user_id="31215806834323092", logged_at="2024-04-24T09:58:01.000Z")),
     "4.5 form 2: encoded twice, a ____dd/MM/yyyy HH:mm:ss suffix (Vietnam time); D-Z42 TypeId 27; D-Z45 partnerids kept as given"),
    ("delivery_report_zns_uid_form3", "SMSID=u9&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=60.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=25&telcoid=9&phonenumber=5308693166941955879&tempid=523194&partnerids=6dc7499c9ef6baaee3e1&error_info=" + ZF3 + "&oaid=745830328927467685",
     report(sms_id="u9", send_status="finished", sms_type="zns_normal", phone="5308693166941955879", send_success=1, send_failed=0, total_receivers=1, total_sent=1, total_price=60.0,
            template_id="523194", partner_ids="6dc7499c9ef6baaee3e1", oaid="745830328927467685", extra=[["telcoid", "9"]],
            error_info=zalo_error(ZF3, code=0, message="Success", status=1)),
     "4.5 form 3: plain object with raw braces; D-Z43 telcoid 9 is no carrier and is kept; D-Z44 phonenumber is a Zalo user id"),
    ("delivery_report_zns_trailing_junk_form4", "SMSID=t4&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0&TotalReceiver=1&TotalSent=1&TypeId=25&error_info=" + ZF4,
     report(sms_id="t4", send_status="finished", sms_type="zns_normal", send_success=0, send_failed=1, total_receivers=1, total_sent=1, total_price=0.0,
            error_info=zalo_error(ZF4, code=-124, message="Access token is invalid", trailing="Object reference not set to an instance of an object.")),
     "4.5 form 4 (GetCallback's ErrorInfo): JSON then a .NET exception text"),
    ("delivery_report_zns_unknown_form_kept_raw", "SMSID=x1&SendFailed=0&SendStatus=5&SendSuccess=1&TypeId=24&error_info=%25%25not-json%25%25",
     report(sms_id="x1", send_status="finished", sms_type="zns_priority", send_success=1, send_failed=0, error_info=zalo_error("%25%25not-json%25%25")),
     "D-Z40: an unreadable error_info is kept raw, never an error; D-Z41 it cannot confirm success: ambiguous"),
    ("delivery_report_zns_success_but_zalo_error", "SMSID=c2&SendFailed=0&SendStatus=5&SendSuccess=1&TypeId=25&error_info=" + q('{"error":-118,"message":"Zalo account not existed"}'),
     report(sms_id="c2", send_status="finished", sms_type="zns_normal", send_success=1, send_failed=0, error_info=zalo_error(q('{"error":-118,"message":"Zalo account not existed"}'), code=-118, message="Zalo account not existed")),
     "D-Z41: counts and Zalo's code contradict each other: ambiguous"),
    ("delivery_report_multichannel_zns_leg_failed", "k=t0k&leg=zns&SMSID=m1&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0.0000&TotalReceiver=1&TotalSent=0&RequestId=&TypeId=25&telcoid=2&phonenumber=0909000118&partnerids=&error_info=" + q('"{\\"error\\":-118,\\"message\\":\\"Zalo account not existed\\"}"') + "&oaid=1234567890123456789&tempid=205644&switchsmsid=m2",
     report(sms_id="m1", send_status="finished", sms_type="zns_normal", telco="mobifone", phone="0909000118", send_success=0, send_failed=1, total_receivers=1, total_sent=0, total_price=0.0,
            error_info=zalo_error(q('"{\\"error\\":-118,\\"message\\":\\"Zalo account not existed\\"}"'), code=-118, message="Zalo account not existed"), oaid="1234567890123456789", template_id="205644",
            switch_sms_id="m2", leg="zns", extra=[["k", "t0k"]]),
     "D-Z21: the ZNS leg's report, told by the leg=zns mark nhantin put on its callback URL (the caller's own parameters kept); D-Z46 switchsmsid links to the SMS leg"),
    ("delivery_report_multichannel_sms_leg_delivered", "leg=sms&SMSID=m2&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=750.0000&TotalReceiver=1&TotalSent=1&RequestId=&TypeId=2&telcoid=2&phonenumber=0909000118&switchsmsid=m1",
     report(sms_id="m2", send_status="finished", sms_type="customer_care", telco="mobifone", phone="0909000118", send_success=1, send_failed=0, total_receivers=1, total_sent=1, total_price=750.0,
            switch_sms_id="m1", leg="sms"),
     "D-Z21: the SMS leg's report, by its leg=sms mark"),
    ("delivery_report_repeated_parameters_kept", "SMSID=abc&SMSID=def&SendStatus=5&SendSuccess=1&SendFailed=0&SendStatus=2&TypeId=2",
     report(sms_id="abc", send_status="finished", sms_type="customer_care", send_success=1, send_failed=0, extra=[["SMSID", "def"], ["SendStatus", "2"]]),
     "a parameter given twice keeps its first value and shows the other in extra (it was silently overwritten)"),
    ("delivery_report_overflowing_numbers_unreadable", "SMSID=o1&SendStatus=5&SendSuccess=99999999999999999999999&SendFailed=0&TotalPrice=NaN&TypeId=2",
     report(sms_id="o1", send_status="finished", sms_type="customer_care", send_failed=0, extra=[["SendSuccess", "99999999999999999999999"], ["TotalPrice", "NaN"]]),
     "a count beyond 2^53 is unreadable, not i64::MAX read as delivered; a price must be finite"),
    ("delivery_report_unknown_leg_mark_kept", "leg=voice&SMSID=m3&SendFailed=0&SendStatus=5&SendSuccess=1&TypeId=2",
     report(sms_id="m3", send_status="finished", sms_type="customer_care", send_success=1, send_failed=0, extra=[["leg", "voice"]]),
     "a leg mark nhantin does not write is no leg: kept in extra, never an error"),
    ("delivery_report_sms_partial", "SMSID=p3&SendFailed=1&SendStatus=5&SendSuccess=2&TotalReceiver=3&TypeId=2",
     report(sms_id="p3", send_status="finished", sms_type="customer_care", send_success=2, send_failed=1, total_receivers=3), "a multi-recipient report with both counts: partial"),
    ("delivery_report_pending", "SMSID=w1&SendStatus=7&SendSuccess=0&SendFailed=0&TypeId=2",
     report(sms_id="w1", send_status="sent_to_telco", sms_type="customer_care", send_success=0, send_failed=0), "SendStatus 7: sent, waiting for the report"),
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
    ("send_error_1001_characters", dict(cs_base, text="a" * 1001), "sms.text", "D-A5"),
    ("send_error_schedule", dict(cs_base, schedule=LATER), "schedule", "CareSoft cannot schedule"),
    ("send_error_callback", dict(cs_base, callback_url="https://e.vn/cb"), "callback_url", "no delivery reports"),
    ("send_error_request_id", dict(cs_base, request_id="r1"), "request_id", "no idempotency key"),
    ("send_error_sender", dict(cs_base, sender="NHANTIN"), "sms.sender", "brandname comes from the service"),
    ("send_error_two_phones", dict(cs_base, recipients=["0980000000", "0912345678"]), "recipients", "one phone per request"),
    ("send_error_advertising", dict(cs_base, kind="advertising"), "sms.purpose", "only the brandname service"),
    ("send_error_sandbox", dict(cs_base, sandbox=True), "sandbox", "no test mode"),
    ("send_error_esms_option", dict(cs_base, esms={"format": "xml"}), "options.esms", "eSMS option on CareSoft"),
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
    ("send_error_fixed_number", dict(it_base, kind="fixed_number"), "sms.purpose", "type is 0, 1 or 2"),
    ("send_error_viber", dict(it_base, kind="viber"), "content", "no Viber"),
    ("send_error_callback", dict(it_base, callback_url="https://e.vn/cb"), "callback_url", "no per-message callback"),
    ("send_error_missing_sender", {k: v for k, v in it_base.items() if k != "sender"}, "sms.sender", "from is required"),
    ("send_error_missing_request_id", {k: v for k, v in it_base.items() if k != "request_id"}, "request_id", "D-B10"),
    ("send_error_sandbox", dict(it_base, sandbox=True), "sandbox", "no test mode"),
    ("send_error_conversion_with_strip", dict(it_base, unicode="strip", interits={"server_side_conversion": True}), "options.interits.server_side_conversion", "two conversions conflict"),
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


# --------------------------------------------------------------------------------------------
# Zalo ZNS (ZALO.md; pages-extra)
# --------------------------------------------------------------------------------------------

OA = "1234567890123456789"


def zns_msg(params, **more):
    """A ZNS in the flat case form: `params` is a list of (name, value)."""
    m = {"kind": "zns", "recipients": ["0912345678"], "template_id": "301122", "oa_id": OA, "params": [list(p) for p in params]}
    m.update(more)
    return {k: v for k, v in m.items() if v is not None}


def hash84(national):
    return hashlib.sha256(("84" + national[1:]).encode("ascii")).hexdigest()


ZNS_TWO = [("customer_name", "Tran Thi Binh"), ("order_code", "DH20931")]

# V6 (the default): TempData object, ZALO.md 2.3 example.
m = zns_msg(ZNS_TWO, request_id="zns-dh20931", callback_url="https://example.vn/esms/dlr")
case("esms", "send_zns_v6_digest_example", source="ZALO.md 2.3 example; D-Z1 V6 by default; D-Z2 TempData object of strings", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V6/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "Phone": "0912345678",
             "TempData": {"customer_name": "Tran Thi Binh", "order_code": "DH20931"}, "TempID": "301122", "RequestId": "zns-dh20931", "CallbackUrl": "https://example.vn/esms/dlr"})})
# V5: TempData as key/value pairs, ZALO.md 2.2 example.
m = zns_msg([("otp", "482913")], recipients=["+84 912 345 678"], request_id="otp-7781", esms={"zns_version": "v5"})
case("esms", "send_zns_v5_digest_example", source="ZALO.md 2.2 example; D-Z2 lower-case key/value", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V5_post/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "Phone": "0912345678",
             "TempData": [{"key": "otp", "value": "482913"}], "TempID": "301122", "RequestId": "otp-7781"})})
# V4: positional Params, ZALO.md 2.1 example.
m = zns_msg(ZNS_TWO, request_id="zns-dh20931", callback_url="https://example.vn/esms/dlr?k=t0k", esms={"zns_version": "v4"})
case("esms", "send_zns_v4_digest_example", source="ZALO.md 2.1 example; D-Z3 Params array in the caller's order", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V4_post_json/", {"ApiKey": "K", "SecretKey": "S", "Phone": "0912345678", "Params": ["Tran Thi Binh", "DH20931"],
             "TempID": "301122", "OAID": OA, "RequestId": "zns-dh20931", "CallbackUrl": "https://example.vn/esms/dlr?k=t0k"})})
# Journey: V4 + IsJourney (a JSON boolean) + OrderId, ZALO.md 2.7 example.
m = zns_msg([("order", "DH20931"), ("eta", "14:30 12/05")], template_id="301199", request_id="jr-20931-2", journey_order_id="JR-20931")
case("esms", "send_zns_journey_digest_example", source="ZALO.md 2.7 example; D-Z16 IsJourney true, OrderId", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V4_post_json/", {"ApiKey": "K", "SecretKey": "S", "Phone": "0912345678", "Params": ["DH20931", "14:30 12/05"],
             "IsJourney": True, "OrderId": "JR-20931", "TempID": "301199", "OAID": OA, "RequestId": "jr-20931-2"})})
# By Zalo user id: no phone, ZALO.md 2.4.
m = zns_msg([("customer_name", "Tran Thi Binh")], recipients=[], zalo_user_id="7391046628150023344", request_id="uid-5531")
case("esms", "send_zns_zalo_uid", source="ZALO.md 2.4; D-Z10 the id is opaque digits, not a phone", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V6/zalo_uid/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "ZaloUid": "7391046628150023344",
             "TempData": {"customer_name": "Tran Thi Binh"}, "TempID": "301122", "RequestId": "uid-5531"})})
# By hashed phone: SHA-256 of the 84 form, computed here with hashlib.
m = zns_msg([("otp", "482913")], recipients=["0912 345 678"], hash_phone=True, request_id="hp-0192")
assert hash84("0912345678") == "25cc2f7574420a2d46c9f2d6cf94cdbb242ef7d479afe92ed6e8eb33a7493093"  # ZALO.md 2.5 [CHK]
case("esms", "send_zns_hash_phone", source="ZALO.md 2.5; D-Z11 lowercase hex SHA-256 of 84 + 9 digits", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V6/hash_phone/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "HashPhone": hash84("0912345678"),
             "TempData": {"otp": "482913"}, "TempID": "301122", "RequestId": "hp-0192"})})
# Every optional field: schedule (UTC+7), campaign, sandbox.
m = zns_msg(ZNS_TWO, request_id="zns-all", callback_url="https://erp.example.vn/dlr?src=zns&k=a+b", schedule=LATER, sandbox=True, esms={"campaign_id": "Đơn hàng tháng 11 " + "x" * 200})
case("esms", "send_zns_every_option", source="ZALO.md 2.0 SendDate; D-Z13 campaignid up to 254; D-Z31 Sandbox \"1\" where listed", operation="send", account=ESMS_REAL, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V6/", {"ApiKey": "A1B2C3D4E5", "SecretKey": "s3cr3t+&=/key", "OAID": OA, "Phone": "0912345678",
             "TempData": dict(ZNS_TWO), "TempID": "301122", "RequestId": "zns-all", "CallbackUrl": "https://erp.example.vn/dlr?src=zns&k=a+b",
             "SendDate": vn_local(LATER), "campaignid": m["esms"]["campaign_id"], "Sandbox": "1"})})
m = zns_msg(ZNS_TWO, request_id="zns-q3", exceed_quota=True)
case("esms", "send_zns_exceed_quota", source="D-Z8: SendingMode \"3\" only when asked; omitted means 1", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V6/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "Phone": "0912345678",
             "TempData": dict(ZNS_TWO), "TempID": "301122", "RequestId": "zns-q3", "SendingMode": "3"})})
# Hostile parameter values: Vietnamese, emoji, quotes, backslashes, 5000 characters; a name given twice with the same value is sent once (D-Z4).
HOSTILE_PARAMS = [("ten", "Nguyễn Thị Ánh 😀"), ("ghi_chu", HOSTILE.replace("\r\n", " ").replace("\n", " ")), ("q", "\"quoted\" \\ back\\slash </script>"), ("dai", "ệ" * 5000), ("ten", "Nguyễn Thị Ánh 😀")]
m = zns_msg(HOSTILE_PARAMS, request_id="zns-hostile")
case("esms", "send_zns_hostile_params", source="hostile params: JSON escaping of every value; a repeated name with the same value collapses (D-Z4)", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V6/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "Phone": "0912345678",
             "TempData": dict(HOSTILE_PARAMS[:4]), "TempID": "301122", "RequestId": "zns-hostile"})})
m = zns_msg(HOSTILE_PARAMS, request_id="zns-hostile-v4", esms={"zns_version": "v4"})
case("esms", "send_zns_hostile_params_v4", source="positional Params keep the caller's order; the repeat is dropped (D-Z4)", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendZaloMessage_V4_post_json/", {"ApiKey": "K", "SecretKey": "S", "Phone": "0912345678", "Params": [v for _, v in HOSTILE_PARAMS[:4]],
             "TempID": "301122", "OAID": OA, "RequestId": "zns-hostile-v4"})})
zb = zns_msg(ZNS_TWO, request_id="zns-e")
for name, msg, field, src in [
    ("send_error_zns_no_oa", dict(zb, oa_id=None), "zns.oa_id", "eSMS needs the OAID"),
    ("send_error_zns_oa_not_digits", dict(zb, oa_id="12345abc"), "zns.oa_id", "D-Z9: OA ids are decimal digits"),
    ("send_error_zns_template_not_digits", dict(zb, template_id="tpl-1"), "zns.template_id", "D-Z9: template ids are decimal digits"),
    ("send_error_zns_two_phones", dict(zb, recipients=["0912345678", "0987654321"]), "recipients", "one ZNS, one phone"),
    ("send_error_zns_uid_with_phone", dict(zb, zalo_user_id="7391046628150023344"), "recipients", "a ZNS to a user id has no phone"),
    ("send_error_zns_uid_not_digits", dict(zb, recipients=[], zalo_user_id="u-7391"), "zns.zalo_user_id", "D-Z10"),
    ("send_error_zns_uid_and_hash", dict(zb, recipients=[], zalo_user_id="7391046628150023344", hash_phone=True), "zns.hash_phone", "one address"),
    ("send_error_zns_hash_on_v5", dict(zb, hash_phone=True, esms={"zns_version": "v5"}), "options.esms.zns_version", "hash_phone is a V6 endpoint"),
    ("send_error_zns_journey_on_v6", dict(zb, journey_order_id="JR-1", esms={"zns_version": "v6"}), "options.esms.zns_version", "journey is V4 + IsJourney"),
    ("send_error_zns_journey_scheduled", dict(zb, journey_order_id="JR-1", schedule=LATER), "schedule", "D-Z16: no SendDate on journey"),
    ("send_error_zns_journey_exceed_quota", dict(zb, journey_order_id="JR-1", exceed_quota=True), "zns.exceed_quota", "D-Z16: no SendingMode on journey"),
    ("send_error_zns_journey_hash_phone", dict(zb, journey_order_id="JR-1", hash_phone=True), "zns.hash_phone", "D-Z16: the journey body has a Phone only (was sent with \"Phone\":null)"),
    ("send_error_zns_journey_zalo_user", dict(zb, journey_order_id="JR-1", zalo_user_id="7391046628150023344", recipients=[]), "zns.zalo_user_id", "D-Z16: the journey body has a Phone only (was sent with \"Phone\":null)"),
    ("send_error_zns_uid_exceed_quota", dict(zb, recipients=[], zalo_user_id="7391046628150023344", exceed_quota=True), "zns.exceed_quota", "D-Z8: no SendingMode on the UID page"),
    ("send_error_zns_exceed_quota_scheduled", dict(zb, exceed_quota=True, schedule=LATER), "zns.exceed_quota", "eSMS 801, refused before sending"),
    ("send_error_zns_param_name", dict(zb, params=[["tên khách", "x"]]), "zns.params[0]", "names are template variable names"),
    ("send_error_zns_param_twice_different", dict(zb, params=[["otp", "1"], ["otp", "2"]]), "zns.params[1]", "D-Z4: two values for one name"),
    ("send_error_zns_param_control", dict(zb, params=[["otp", "12\u000034"]]), "zns.params[0]", "NUL is never displayable"),
    ("send_error_zns_xml_format", dict(zb, esms={"format": "xml"}), "options.esms.format", "ZNS endpoints are JSON"),
    ("send_error_zns_missing_request_id", dict(zb, request_id=None), "request_id", "D-Z29: RequestId on every eSMS ZNS"),
    ("send_error_zns_campaign_too_long", dict(zb, esms={"campaign_id": "c" * 255}), "options.esms.campaign_id", "D-Z13"),
    ("send_error_zns_unknown_field", dict(zb, text="x"), "message", "a ZNS has no text: misplaced fields are refused"),
    ("send_error_zns_journey_order_too_long", dict(zb, journey_order_id="o" * 51), "zns.journey_order_id", "D-Z16"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})

IT_ZNS_URL = "https://cpaas.interits.com/api/vendor/v1/zalo/send-zns"
m = zns_msg([("otp", "482913")], request_id="otp-7781")
case("interits", "send_zns_digest_example", source="ZALO.md 6.2 example; D-Z48 every field; template_id a number; D-Z49 tracking_id", operation="send", account=INTERITS, now=NOW, message=m,
     expect={"request": req("POST", IT_ZNS_URL, IT_HEADERS, '{"oa_id":"1234567890123456789","phone":"0912345678","template_data":{"otp":"482913"},"template_id":301122,"tracking_id":"otp-7781"}')})
m = zns_msg(HOSTILE_PARAMS, request_id="it-zns-h")
case("interits", "send_zns_hostile_international", source="D-Z48: phone per the account's phone_format; values JSON-escaped", operation="send",
     account=dict(INTERITS, phone_format="international"), now=NOW, message=m,
     expect={"request": req("POST", IT_ZNS_URL, IT_HEADERS, jdump({"oa_id": OA, "phone": "84912345678", "template_data": dict(HOSTILE_PARAMS[:4]), "template_id": 301122, "tracking_id": "it-zns-h"}))})
itz = zns_msg([("otp", "1")], request_id="it-zns-e")
for name, msg, field, src in [
    ("send_error_zns_no_oa", dict(itz, oa_id=None), "zns.oa_id", "oa_id names the OA"),
    ("send_error_zns_uid", dict(itz, recipients=[], zalo_user_id="7391046628150023344"), "zns", "send-zns takes a phone"),
    ("send_error_zns_hash", dict(itz, hash_phone=True), "zns", "send-zns takes a phone"),
    ("send_error_zns_callback", dict(itz, callback_url="https://e.vn/cb"), "callback_url", "no per-message callback"),
    ("send_error_zns_schedule", dict(itz, schedule=LATER), "schedule", "send-zns has no schedule"),
    ("send_error_zns_template_too_large", dict(itz, template_id="99999999999999999999"), "zns.template_id", "a JSON number must fit"),
    ("send_error_zns_missing_request_id", dict(itz, request_id=None), "request_id", "tracking_id is always sent"),
]:
    case("interits", name, source=src, operation="send", account=INTERITS, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})

CS_ZNS_URL = "https://api.caresoft.vn/khachhang01/api/v1/zalo/zns"
m = zns_msg([("requester", "Tran Thi Binh"), ("masoDatve", "DH20931")], template_id="366", oa_id=None)
case("caresoft", "send_zns_digest_example", source="ZALO.md 7 example; D-Z55 template_id a JSON number", operation="send", account=CARESOFT, now=NOW, message=m,
     expect={"request": req("POST", CS_ZNS_URL, CS_HEADERS, '{"zns":{"phone":"0912345678","template_id":366,"params":{"requester":"Tran Thi Binh","masoDatve":"DH20931"}}}')})
m = zns_msg([], template_id="366", oa_id=None, caresoft={"ticket_id": 291437})
case("caresoft", "send_zns_ticket_without_params", source="D-Z55 ticket_id a number; D-Z56 no params key when none", operation="send", account=CARESOFT, now=NOW, message=m,
     expect={"request": req("POST", CS_ZNS_URL, CS_HEADERS, '{"zns":{"phone":"0912345678","template_id":366,"ticket_id":291437}}')})
csz = zns_msg([("a", "b")], template_id="366", oa_id=None)
for name, msg, field, src in [
    ("send_error_zns_oa", dict(csz, oa_id=OA), "zns.oa_id", "the CareSoft script binds the OA"),
    ("send_error_zns_request_id", dict(csz, request_id="r1"), "request_id", "no idempotency key"),
    ("send_error_zns_schedule", dict(csz, schedule=LATER), "schedule", "no schedule"),
    ("send_error_zns_journey", dict(csz, journey_order_id="JR-1"), "zns", "journey is eSMS's"),
]:
    case("caresoft", name, source=src, operation="send", account=CARESOFT, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})

# Decoding: the ZNS codes of the eSMS table (ZALO.md 5), on a send answer.
for code, reason, msg in [
    ("789", "template_not_configured", "TemplateId is not config"),
    ("790", "template_mismatch", "Template is wrong"),
    ("791", "missing_oa_or_template", "OAID or TemplateID is empty"),
    ("799", "oa_not_active", "OAID is not active"),
    ("801", "quota_mode_scheduled", "SendingMode 3 cannot schedule"),
    ("802", "quota_mode_not_allowed", "OA is not allowed SendingMode 3"),
    ("143", "account_locked", "Account is locked"),
    ("201", "blocked_keyword", "Content contains blocked keyword"),
    ("687", "too_many_recipients", "Over 500"),
    ("163", "too_many_recipients", "Only 1 phone per request"),
    ("851", "missing_message_id", "MessageId is empty"),
    ("854", "not_found", "No data"),
    # The page's message echoes the phone and the code: passed on masked (the phone as a snippet
    # is, the echoed Content parameter's value hidden).
    ("117", "invalid_code", ("0901888484, Content: 1NTTJ6 Code Invalid", "090****484, Content: ***")),
]:
    sent, shown = msg if isinstance(msg, tuple) else (msg, msg)
    case("esms", f"decode_send_code_{code}", source="ZALO.md 5 (eSMS error table, EN and VI)", operation="decode_send", provider="esms",
         response=resp(200, jdump({"CodeResult": code, "CountRegenerate": 0, "ErrorMessage": sent})), expect={"error": esms_reject(code, reason, shown)})
case("esms", "decode_send_message_echoing_a_phone_masked", source="a provider message that names the recipient is passed on masked, as a snippet is", operation="decode_send", provider="esms",
     response=resp(200, '{"CodeResult":"99","ErrorMessage":"Phone 0912345678 blocked"}'), expect={"error": esms_reject("99", "phone_blocked", "Phone 091****678 blocked")})
case("interits", "decode_send_message_echoing_a_phone_masked", source="a provider message that names the recipient is passed on masked, as a snippet is", operation="decode_send", provider="interits",
     response=resp(400, '{"code":400,"message":"msisdn 84912345678 is invalid"}'), expect={"error": err("rejected", provider="interits", reason="invalid_request", code="400", message="msisdn 849*****678 is invalid", retry_safe=False)})
case("esms", "decode_send_code_160_rate_limited", source="ZALO.md 5: 160 = TPS exceeded; D-Z59 rate limited", operation="decode_send", provider="esms",
     response=resp(200, '{"CodeResult":"160","ErrorMessage":"Exceed TPS"}'), expect={"error": err("rate_limited", provider="esms", retry_after_secs=None, lockout=False, retry_safe=True)})
case("interits", "decode_zns_accepted", source="ZALO.md 6.2 (sample repaired, D-Z50): the Zalo msg_id is the reference", operation="decode_send", provider="interits",
     response=resp(200, '{"code":0,"data":{"id":"5021","msg_id":"e1a60e8890be9de4c4ab","tracking_id":"otp-7781","delivery_status":"unknown","template_id":301122},"message":"success","referentId":"rf-77"}'),
     expect={"receipt": {"provider": "interits", "reference": "e1a60e8890be9de4c4ab", "ticket": None, "token": None}})


# --------------------------------------------------------------------------------------------
# eSMS multi-channel (Zalo then SMS) and eSMS-generated codes (ZALO.md 2.8-2.11)
# --------------------------------------------------------------------------------------------


def zalo_then_sms(params, text, **more):
    m = {"kind": "zalo_then_sms", "recipients": ["0912345678"], "zns": {"oa_id": OA, "template_id": "301122", "params": [{"name": n, "value": v} for n, v in params]},
         "sms": {"purpose": "otp", "text": text, "sender": "MYBRAND"}}
    m.update(more)
    return {k: v for k, v in m.items() if v is not None}


m = zalo_then_sms([("otp", "482913")], "482913 la ma xac thuc cua ban", request_id="otp-55", callback_url="https://example.vn/dlr?k=t0k")
case("esms", "send_zalo_then_sms_digest_example", source="ZALO.md 2.8 example; D-Z17 Channels fixed; D-Z21 a leg marker on each callback; D-Z22 <id>.z / <id>.s; D-Z24 one Sandbox",
     operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "MultiChannelMessage/", {"ApiKey": "K", "SecretKey": "S", "Phone": "0912345678", "Channels": ["zalo", "sms"], "Data": [
         {"TempID": "301122", "Params": ["482913"], "OAID": OA, "CallbackUrl": "https://example.vn/dlr?k=t0k&leg=zns", "RequestId": "otp-55.z", "Sandbox": "0"},
         {"Content": "482913 la ma xac thuc cua ban", "IsUnicode": "0", "SmsType": "2", "Brandname": "MYBRAND", "CallbackUrl": "https://example.vn/dlr?k=t0k&leg=sms", "RequestId": "otp-55.s", "Sandbox": "0"}]})})
m = zalo_then_sms(ZNS_TWO, "Đơn hàng DH20931 đã giao", request_id="mc-2", callback_url="https://example.vn/dlr", sandbox=True, esms={"campaign_id": "Tháng 11"})
m["zns"]["exceed_quota"] = True
case("esms", "send_zalo_then_sms_unicode_sandbox_campaign", source="D-Z18 IsUnicode per the SMS text; D-Z24 Sandbox 1 on both legs; D-Z8 SendingMode 3 on the ZNS leg; D-Z13 campaignid",
     operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "MultiChannelMessage/", {"ApiKey": "K", "SecretKey": "S", "Phone": "0912345678", "Channels": ["zalo", "sms"], "Data": [
         {"TempID": "301122", "Params": ["Tran Thi Binh", "DH20931"], "OAID": OA, "campaignid": "Tháng 11", "CallbackUrl": "https://example.vn/dlr?leg=zns", "RequestId": "mc-2.z", "Sandbox": "1", "SendingMode": "3"},
         {"Content": "Đơn hàng DH20931 đã giao", "IsUnicode": "1", "SmsType": "2", "Brandname": "MYBRAND", "CallbackUrl": "https://example.vn/dlr?leg=sms", "RequestId": "mc-2.s", "Sandbox": "1"}]})})
mcb = zalo_then_sms([("otp", "1")], "1 la ma", request_id="mc-e")
for name, msg, field, src in [
    ("send_error_zalo_then_sms_request_id_49", dict(mcb, request_id="r" * 49), "request_id", "D-Z22: legs add two characters; eSMS takes 50"),
    ("send_error_zalo_then_sms_scheduled", dict(mcb, schedule=LATER), "schedule", "D-Z19: no SendDate"),
    ("send_error_zalo_then_sms_two_phones", dict(mcb, recipients=["0912345678", "0987654321"]), "recipients", "one phone"),
    ("send_error_zalo_then_sms_advertising", dict(mcb, sms={"purpose": "advertising", "text": "x", "sender": "MYBRAND"}), "zalo_then_sms.sms.purpose", "D-Z18: SmsType 2 only"),
    ("send_error_zalo_then_sms_no_sender", dict(mcb, sms={"purpose": "otp", "text": "x"}), "zalo_then_sms.sms.sender", "D-Z18: Brandname required"),
    ("send_error_zalo_then_sms_sender_too_long", dict(mcb, sms={"purpose": "otp", "text": "x", "sender": "TwelveLetter"}), "zalo_then_sms.sms.sender", "the SMS leg is validated as an SMS"),
    ("send_error_zalo_then_sms_no_oa", dict(mcb, zns={"template_id": "301122", "params": []}), "zalo_then_sms.zns.oa_id", "OAID required"),
    ("send_error_zalo_then_sms_zns_param_twice", dict(mcb, zns={"oa_id": OA, "template_id": "301122", "params": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}), "zalo_then_sms.zns.params[1]", "the ZNS leg is validated as a ZNS"),
    ("send_error_zalo_then_sms_uid", dict(mcb, zns={"oa_id": OA, "template_id": "301122", "zalo_user_id": "7391046628150023344"}), "zalo_then_sms.zns", "both legs go to the phone"),
    ("send_error_zalo_then_sms_zns_version", dict(mcb, esms={"zns_version": "v6"}), "options.esms", "one JSON shape"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})
case("caresoft", "send_error_zalo_then_sms", source="multi-channel is eSMS's", operation="send", account=CARESOFT, now=NOW, message=zalo_then_sms([("a", "b")], "x"), expect={"error": err("invalid_input", field="content")})
case("interits", "send_error_zalo_then_sms", source="multi-channel is eSMS's (D-Z53: no InterITS fallback)", operation="send", account=INTERITS, now=NOW,
     message=zalo_then_sms([("a", "b")], "x", request_id="it-mc"), expect={"error": err("invalid_input", field="content")})


def generated_otp(channel, **more):
    m = {"kind": "generated_otp", "recipients": ["0912345678"], "channel": channel}
    m.update(more)
    return {k: v for k, v in m.items() if v is not None}


m = generated_otp({"zalo_then_sms": {"template_id": "40017"}}, time_alive_minutes=5)
case("esms", "send_generated_otp_zalo_then_sms_digest_example", source="ZALO.md 2.9 example; D-Z25 TypeId 2, no RequestId (not idempotent)", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": json_req(ESMS_BASE + "SendMessageAutoGenCode_V5", {"ApiKey": "K", "SecretKey": "S", "Phone": "0912345678", "MultiChannelTempId": "40017", "TypeId": "2", "TimeAlive": "5"})})
m = generated_otp({"sms": {"sender": "MYBRAND", "template": "{OTP} la ma xac thuc cua ban", "digits_only": True}})
case("esms", "send_generated_otp_sms_digest_example", source="ZALO.md 2.10 example; D-Z27 braces percent-encoded", operation="send", account=ESMS_REAL, now=NOW, message=m,
     expect={"request": req("GET", ESMS_BASE + "SendMessageAutoGenCode_V4_get?" + "&".join(f"{k}={q(v)}" for k, v in [
         ("Phone", "0912345678"), ("ApiKey", "A1B2C3D4E5"), ("SecretKey", "s3cr3t+&=/key"), ("Brandname", "MYBRAND"), ("Type", "2"), ("message", "{OTP} la ma xac thuc cua ban"), ("IsNumber", "1")]), [])})
m = generated_otp({"sms": {"sender": "MYBRAND", "template": "Mã {OTP} & 100% #1", "code_length": 8, "digits_only": False}}, time_alive_minutes=10)
case("esms", "send_generated_otp_sms_every_option", source="ZALO.md 2.10; D-Z26 TimeAlive 2..=10, NumCharOfCode", operation="send", account=ESMS, now=NOW, message=m,
     expect={"request": req("GET", ESMS_BASE + "SendMessageAutoGenCode_V4_get?" + "&".join(f"{k}={q(v)}" for k, v in [
         ("Phone", "0912345678"), ("ApiKey", "K"), ("SecretKey", "S"), ("TimeAlive", "10"), ("NumCharOfCode", "8"), ("Brandname", "MYBRAND"), ("Type", "2"), ("message", "Mã {OTP} & 100% #1"), ("IsNumber", "0")]), [])})
gob = generated_otp({"sms": {"sender": "MYBRAND", "template": "{OTP} la ma"}})
for name, msg, field, src in [
    ("send_error_generated_otp_no_placeholder", generated_otp({"sms": {"sender": "MYBRAND", "template": "la ma"}}), "generated_otp.channel.sms.template", "D-Z27: {OTP} exactly once"),
    ("send_error_generated_otp_two_placeholders", generated_otp({"sms": {"sender": "MYBRAND", "template": "{OTP} {OTP}"}}), "generated_otp.channel.sms.template", "D-Z27"),
    ("send_error_generated_otp_time_alive_11", dict(gob, time_alive_minutes=11), "generated_otp.time_alive_minutes", "D-Z26: 2..=10"),
    ("send_error_generated_otp_time_alive_1", dict(gob, time_alive_minutes=1), "generated_otp.time_alive_minutes", "D-Z26"),
    ("send_error_generated_otp_code_length", generated_otp({"sms": {"sender": "MYBRAND", "template": "{OTP}", "code_length": 3}}), "generated_otp.channel.sms.code_length", "D-Z26: 4..=10"),
    ("send_error_generated_otp_request_id", dict(gob, request_id="g-1"), "request_id", "D-Z25: no RequestId; one would promise a safe resend"),
    ("send_error_generated_otp_sandbox", dict(gob, sandbox=True), "sandbox", "D-Z31: no sandbox"),
    ("send_error_generated_otp_callback", dict(gob, callback_url="https://e.vn/cb"), "callback_url", "no CallbackUrl"),
    ("send_error_generated_otp_template_id", generated_otp({"zalo_then_sms": {"template_id": "t-1"}}), "generated_otp.channel.zalo_then_sms.template_id", "digits"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})


# --------------------------------------------------------------------------------------------
# eSMS personalised bulk ZNS (ZALO.md 2.6; D-Z14, D-Z15)
# --------------------------------------------------------------------------------------------


def bulk_id(base, national):
    """`<base>-<16 hex of SHA-256 over the E.164 number>`: the person, not the position."""
    return base + "-" + hashlib.sha256(("+84" + national[1:]).encode("ascii")).hexdigest()[:16]


BULK_PHONES = ["0912345678", "0987654321", "0765418062"]
BULK_PARAMS = [[("customer_name", "Trần Thị Bình"), ("order_code", "DH20931")],
               [("customer_name", "An \"Út\" 😀"), ("order_code", "DH20932")],
               [("customer_name", "ệ" * 5000), ("order_code", "DH20933")]]


def zns_bulk(n=3, **more):
    m = {"kind": "zns_bulk", "recipients": BULK_PHONES[:n], "oa_id": OA, "template_id": "301122", "params": BULK_PARAMS[:n]}
    m.update(more)
    return {k: v for k, v in m.items() if v is not None}


def bulk_body(acct, m, base, **top):
    body = {"ApiKey": acct["api_key"], "SecretKey": acct["secret_key"]}
    if "campaign_id" in m.get("esms", {}):
        body["campaignid"] = m["esms"]["campaign_id"]
    body.update({"OAID": OA, "TempID": m["template_id"]})
    if m.get("sandbox"):
        body["Sandbox"] = "1"
    if "callback_url" in m:
        body["CallbackUrl"] = m["callback_url"]
    if "schedule" in m:
        body["SendDate"] = vn_local(m["schedule"])
    if m.get("exceed_quota"):
        body["SendingMode"] = "3"
    body["Data"] = [{"Phone": p, "RequestId": bulk_id(base, p), "Params": [v for _, v in params]} for p, params in zip(m["recipients"], m["params"])]
    return json_req(ESMS_BASE + "Send_zns_bulk_v4_post_json/", body)


m = zns_bulk(request_id="b77", callback_url="https://example.vn/esms/dlr")
case("esms", "send_zns_bulk_digest_example", source="ZALO.md 2.6 example; D-Z14 a RequestId per recipient; hostile values (Vietnamese, quotes, emoji, 5000 characters)",
     operation="send", account=ESMS, now=NOW, message=m, expect={"request": bulk_body(ESMS, m, "b77")})
m = zns_bulk(2, recipients=["+84 912 345 678", "0987.654.321"], request_id="b-all", callback_url="https://erp.example.vn/dlr?src=zns&k=a+b", schedule=LATER, sandbox=True,
             esms={"campaign_id": "Chiến dịch 1"})
m2 = dict(m, recipients=BULK_PHONES[:2])
case("esms", "send_zns_bulk_every_option", source="ZALO.md 2.6 VI curl order: campaignid, OAID, TempID, Sandbox, CallbackUrl; SendDate in UTC+7; ids from the normalised phone",
     operation="send", account=ESMS_REAL, now=NOW, message=m, expect={"request": bulk_body(ESMS_REAL, m2, "b-all")})
m = zns_bulk(1, request_id="b-q", exceed_quota=True)
case("esms", "send_zns_bulk_exceed_quota", source="D-Z8 SendingMode 3 when asked", operation="send", account=ESMS, now=NOW, message=m, expect={"request": bulk_body(ESMS, m, "b-q")})
m = zns_bulk(2, request_id="r" * 33)
case("esms", "send_zns_bulk_request_id_33", source="D-Z29: <base>-<16 hex> is 50 characters at most", operation="send", account=ESMS, now=NOW, message=m, expect={"request": bulk_body(ESMS, m, "r" * 33)})
many = [f"09{10000000 + i:08d}" for i in range(501)]
for name, msg, field, src in [
    ("send_error_zns_bulk_501", zns_bulk(recipients=many, params=[BULK_PARAMS[0]] * 501, request_id="b-501"), "recipients", "D-Z14: at most 500 per request (687); plan_batches splits"),
    ("send_error_zns_bulk_params_count", zns_bulk(params=BULK_PARAMS[:2], request_id="b-e"), "zns_bulk.params", "one list per recipient"),
    ("send_error_zns_bulk_names_differ", zns_bulk(2, params=[BULK_PARAMS[0], [("order_code", "X"), ("customer_name", "Y")]], request_id="b-e"), "zns_bulk.params[1]", "positional: one order for everyone"),
    ("send_error_zns_bulk_param_twice", zns_bulk(1, params=[[("a", "1"), ("a", "2")]], request_id="b-e"), "zns_bulk.params[0][1]", "a name twice with two values"),
    ("send_error_zns_bulk_no_oa", zns_bulk(oa_id=None, request_id="b-e"), "zns_bulk.oa_id", "OAID required"),
    ("send_error_zns_bulk_oa_not_digits", zns_bulk(oa_id="12ab", request_id="b-e"), "zns_bulk.oa_id", "D-Z9"),
    ("send_error_zns_bulk_request_id_34", zns_bulk(request_id="r" * 34), "request_id", "D-Z29: room for -<16 hex>"),
    ("send_error_zns_bulk_same_phone_twice", zns_bulk(2, recipients=["0912345678", "+84912345678"], request_id="b-e"), "recipients[1]", "one person, two ids"),
    ("send_error_zns_bulk_xml", zns_bulk(request_id="b-e", esms={"format": "xml"}), "options.esms.format", "JSON only"),
    ("send_error_zns_bulk_zns_version", zns_bulk(request_id="b-e", esms={"zns_version": "v6"}), "options.esms.zns_version", "one endpoint"),
    ("send_error_zns_bulk_quota_scheduled", zns_bulk(request_id="b-e", exceed_quota=True, schedule=LATER), "zns_bulk.exceed_quota", "801: SendingMode 3 cannot be scheduled"),
]:
    case("esms", name, source=src, operation="send", account=ESMS, now=NOW, message=msg, expect={"error": err("invalid_input", field=field)})
case("caresoft", "send_error_zns_bulk", source="bulk ZNS is eSMS's", operation="send", account=CARESOFT, now=NOW, message=zns_bulk(), expect={"error": err("invalid_input", field="content")})
case("interits", "send_error_zns_bulk", source="bulk ZNS is eSMS's", operation="send", account=INTERITS, now=NOW, message=zns_bulk(request_id="it-b"), expect={"error": err("invalid_input", field="content")})


def bulk_receipt(*results):
    return {"receipt": {"provider": "esms", "reference": None, "ticket": None, "token": None,
                        "recipients": [{"index": i, "request_id": bulk_id("b77", BULK_PHONES[i]), "result": r} for i, r in enumerate(results)]}}


def accepted(sms_id):
    return {"status": "accepted", "sms_id": sms_id}


def refused(code, reason, message):
    return {"status": "refused", "reason": reason, "code": code, "message": message}


def unknown(results, recipients):
    return {"status": "unknown", "why": f"the answer has {results} results for {recipients} recipients and none that is this recipient's"}


BULK_MSG = zns_bulk(request_id="b77")
for name, body, expect, src in [
    ("decode_zns_bulk_all_accepted", '{"CodeResult":"100","Message":"Sucess","TotalFail":0,"TotalSuccess":3,"detail":[{"CodeResult":"100","Phone":"{Phone}","SMSID":"a037b928-1"},{"CodeResult":"100","Phone":"{Phone}","SMSID":"a037b928-2"},{"CodeResult":"100","Phone":"{Phone}","SMSID":"a037b928-3"}]}',
     bulk_receipt(accepted("a037b928-1"), accepted("a037b928-2"), accepted("a037b928-3")), "ZALO.md 2.6 VI sample; D-Z15 by position, the {Phone} placeholder is no phone"),
    ("decode_zns_bulk_partial_108", '{"CodeResult":"100","Message":"Sucess","TotalFail":1,"TotalSuccess":2,"detail":[{"CodeResult":"100","Phone":"{Phone}","SMSID":"s-1"},{"CodeResult":"100","Phone":"{Phone}","SMSID":"s-2"},{"CodeResult":"108","Phone":"{Phone}","ErrorMessage":"The phone number 0765418062 is not valid."}]}',
     bulk_receipt(accepted("s-1"), accepted("s-2"), refused("108", "invalid_phone", "The phone number 076****062 is not valid.")), "ZALO.md 2.6 VI sample: per-item 108; the echoed phone is masked"),
    ("decode_zns_bulk_fewer_results", '{"CodeResult":"100","Message":"Sucess","TotalSuccess":2,"detail":[{"CodeResult":"100","Phone":"{Phone}","SMSID":"s-1"},{"CodeResult":"100","Phone":"{Phone}","SMSID":"s-2"}]}',
     bulk_receipt(unknown(2, 3), unknown(2, 3), unknown(2, 3)), "ZALO.md 2.6 EN sample: 2 results for 3 items; D-Z15 never assume which"),
    ("decode_zns_bulk_fewer_results_with_phones", '{"CodeResult":"100","detail":[{"CodeResult":"100","Phone":"0765418062","SMSID":"s-3"},{"CodeResult":"100","Phone":"84912345678","SMSID":"s-1"}]}',
     bulk_receipt(accepted("s-1"), unknown(2, 3), accepted("s-3")), "D-Z15: matched by phone when results name real phones"),
    ("decode_zns_bulk_phone_disagrees", '{"CodeResult":"100","detail":[{"CodeResult":"100","Phone":"0987654321","SMSID":"s-2"},{"CodeResult":"100","Phone":"0912345678","SMSID":"s-1"},{"CodeResult":"100","Phone":"{Phone}","SMSID":"s-x"}]}',
     bulk_receipt(accepted("s-1"), accepted("s-2"), unknown(3, 3)), "D-Z15: positions disagree with phones, so phones decide"),
    ("decode_zns_bulk_item_codes", '{"CodeResult":"100","detail":[{"CodeResult":"124","ErrorMessage":"Request exist"},{"CodeResult":"160","ErrorMessage":"Exceed TPS"},{"CodeResult":"100","SMSID":""}]}',
     bulk_receipt({"status": "already_submitted"}, {"status": "throttled", "message": "Exceed TPS"}, {"status": "unknown", "why": "its result has no code or no SMSID"}),
     "per-item 124 is already_submitted, on a first attempt too: each recipient's id names the person and the bulk, so a request with it reached eSMS before (a rerun), never a refusal read as 'not sent'; 160 throttled; 100 without SMSID unknown"),
    ("decode_zns_bulk_no_detail", '{"CodeResult":"100","Message":"Sucess","TotalSuccess":3}',
     {"error": err("unexpected_response", provider="esms", status=200, retry_safe=True)}, "a 100 naming no recipient leaves all unknown: not a success"),
    ("decode_zns_bulk_101", '{"CodeResult":"101","ErrorMessage":"Authorize Failed"}', {"error": esms_reject("101", "unauthorized", "Authorize Failed")}, "request-level errors keep the single-send shape"),
    ("decode_zns_bulk_687", '{"CodeResult":"687","ErrorMessage":"Max 500"}', {"error": esms_reject("687", "too_many_recipients", "Max 500")}, "D-Z14: 687 above 500"),
    ("decode_zns_bulk_789", '{"CodeResult":"789","CountRegenerate":0,"ErrorMessage":"Template not found"}', {"error": esms_reject("789", "template_not_configured", "Template not found")}, "ZALO.md 2.6: 789 with CountRegenerate"),
]:
    case("esms", name, source=src, operation="decode_zns_bulk", account=ESMS_REAL, now=NOW, message=BULK_MSG, response=resp(200, body), expect=expect)


# --------------------------------------------------------------------------------------------
# eSMS lookups around ZNS (ZALO.md 3.1-3.8; D-Z32-D-Z39): one tagged `lookup`, read-only
# --------------------------------------------------------------------------------------------

def lookup_case(name, lookup, request, src, account=ESMS):
    case("esms", name, source=src, operation="lookup", account=account, lookup=lookup, expect={"request": request})


def answer_case(name, lookup, body, expect, src, status=200):
    case("esms", name, source=src, operation="decode_lookup", lookup=lookup, response=resp(status, body), expect=expect)


lookup_case("lookup_zns_templates", {"zns_templates": {"oa_id": OA, "kind": "normal"}},
            json_req(ESMS_BASE + "GetTemplate/", {"ApiKey": "K", "SecretKey": "S", "OAId": OA, "SmsType": "25"}), "ZALO.md 3.1 example; D-Z6 OAId casing")
lookup_case("lookup_zns_templates_priority", {"zns_templates": {"oa_id": OA, "kind": "priority"}},
            json_req(ESMS_BASE + "GetTemplate/", {"ApiKey": "K", "SecretKey": "S", "OAId": OA, "SmsType": "24"}), "ZALO.md 3.1: 24 priority")
lookup_case("lookup_zns_template_info", {"zns_template_info": {"oa_id": OA, "template_id": "205644"}},
            req("GET", ESMS_BASE + "GetZnsTemplateInfo?" + "&".join(f"{k}={q(v)}" for k, v in [("TemplateId", "205644"), ("ApiKey", "A1B2C3D4E5"), ("SecretKey", "s3cr3t+&=/key"), ("OAId", OA)]), []),
            "ZALO.md 3.2: GET with the keys percent-encoded in the query", account=ESMS_REAL)
lookup_case("lookup_zalo_oas", {"zalo_oas": None}, json_req(ESMS_BASE + "ZNS/GetListZOA/", {"ApiKey": "K", "SecretKey": "S"}), "ZALO.md 3.3")
lookup_case("lookup_zns_quota", {"zns_quota": {"oa_id": OA}}, json_req(ESMS_BASE + "ZNS/GetQuota/", {"ApiKey": "K", "SecretKey": "S", "OAID": OA}), "ZALO.md 3.4")
lookup_case("lookup_zns_status", {"zns_status": {"sms_id": "5f0c2a9e81d44b7c9e6a0b2d4c1e7f3a264", "kind": "normal"}},
            json_req(ESMS_BASE + "QueryZnsStatus/", {"ApiKey": "K", "SecretKey": "S", "SmsId": "5f0c2a9e81d44b7c9e6a0b2d4c1e7f3a264", "SmsType": "25"}), "ZALO.md 3.5 example")
lookup_case("lookup_zalo_message_status", {"zalo_message_status": {"oa_id": OA, "message_id": "7984e9b198c40e9957d6"}},
            json_req(ESMS_BASE + "GetZaloMessageStatus", {"ApiKey": "K", "SecretKey": "S", "OAID": OA, "MessageId": "7984e9b198c40e9957d6"}), "ZALO.md 3.6; D-Z33 https like every path")
lookup_case("lookup_brandnames", {"brandnames": None}, req("GET", ESMS_BASE + "GetListBrandname/" + q("A1B2C3D4E5") + "/" + q("s3cr3t+&=/key"), []),
            "ZALO.md 3.8; D-Z39 each key one percent-encoded path segment", account=ESMS_REAL)
for name, lookup, field, src in [
    ("lookup_error_oa_not_digits", {"zns_quota": {"oa_id": "12ab"}}, "oa_id", "D-Z9: OA ids are digits"),
    ("lookup_error_template_not_digits", {"zns_template_info": {"oa_id": OA, "template_id": "t-1"}}, "template_id", "D-Z9"),
    ("lookup_error_sms_id_empty", {"zns_status": {"sms_id": "", "kind": "normal"}}, "sms_id", "851: the SMSID is required"),
    ("lookup_error_message_id_hostile", {"zalo_message_status": {"oa_id": OA, "message_id": "ab\"},{\"x"}}, "message_id", "Zalo's ids are letters and digits"),
]:
    case("esms", name, source=src, operation="lookup", account=ESMS, lookup=lookup, expect={"error": err("invalid_input", field=field)})
case("esms", "lookup_error_unknown_field", source="a lookup with a field it does not take is refused", operation="lookup", account=ESMS,
     lookup={"zns_quota": {"oa_id": OA, "sms_id": "x"}}, expect={"error": err("invalid_input", field="lookup")})

TPL = {"zns_templates": {"oa_id": OA, "kind": "normal"}}
answer_case("decode_lookup_zns_templates", TPL,
            '{"CodeResult":"100","ErrorMessage":"success","ZNSTemplates":[{"TempContent":"<div>Mã OTP của bạn là {{otp}}</div>","TempId":205644,"TempName":"OTP","ZNSTempDetail":[{"Limit":10,"Param":"otp","ParamLevel":1,"RequireType":"type_text"}]},'
            '{"TempContent":"<p>{{order_code}} {{customer_name}}</p>","TempId":"301122","TempName":"Đơn hàng","ZNSTempDetail":[{"Limit":"20","Param":"order_code","ParamLevel":"2","RequireType":"type_text"},{"Limit":30,"Param":"customer_name","ParamLevel":1,"RequireType":"type_text"}]}]}',
            {"answer": {"zns_templates": [
                {"id": "205644", "name": "OTP", "content": "<div>Mã OTP của bạn là {{otp}}</div>", "params": [{"name": "otp", "position": 1, "max_length": 10, "kind": "type_text"}]},
                {"id": "301122", "name": "Đơn hàng", "content": "<p>{{order_code}} {{customer_name}}</p>", "params": [
                    {"name": "customer_name", "position": 1, "max_length": 30, "kind": "type_text"}, {"name": "order_code", "position": 2, "max_length": 20, "kind": "type_text"}]}]}},
            "ZALO.md 3.1 sample; D-Z38 numbers or strings; ParamLevel gives the order")
answer_case("decode_lookup_zns_templates_101", TPL, '{"CodeResult":"101","ErrorMessage":"Authorize Failed"}', {"error": esms_reject("101", "unauthorized", "Authorize Failed")}, "ZALO.md 3.1: 101")
INFO = {"zns_template_info": {"oa_id": OA, "template_id": "205644"}}
answer_case("decode_lookup_zns_template_info", INFO,
            '{"Data":{"TemplateId":205644,"TemplateName":"OTP xác thực","Status":"ENABLE","Reason":"","TemplateTag":"OTP","TemplateQuality":"null","Timeout":15000,"PreviewUrl":"https://account.zalo.cloud/znspreview/abc==",'
            '"ApplyTemplateQuota":false,"TemplateDailyQuota":null,"TemplateRemainingQuota":null,"ListParams":[{"Name":"otp","Type":"STRING","MaxLength":10,"MinLength":1,"Require":true,"AcceptNull":false}],'
            '"ListButtons":[{"Content":"https://oa.zalo.me/1234567890123456789","Title":"Quan tâm OA","Type":2}]},"Error":0,"Message":"Success"}',
            {"answer": {"zns_template_info": {"id": "205644", "name": "OTP xác thực", "status": "ENABLE", "reason": None, "tag": "OTP", "quality": None, "timeout": 15000,
                                              "preview_url": "https://account.zalo.cloud/znspreview/abc==", "applies_template_quota": False, "daily_quota": None, "remaining_quota": None,
                                              "params": [{"name": "otp", "kind": "STRING", "max_length": 10, "min_length": 1, "required": True, "accepts_null": False}],
                                              "buttons": [{"title": "Quan tâm OA", "content": "https://oa.zalo.me/1234567890123456789", "kind": 2}]}}},
            "ZALO.md 3.2 VI sample: its own envelope; D-Z38 the string \"null\" is no quality")
answer_case("decode_lookup_zns_template_info_error", INFO, '{"Data":null,"Error":-1124,"Message":"Template not found"}',
            {"error": esms_reject("-1124", "other", "Template not found")}, "ZALO.md 3.2: no error sample; a non-zero Error is a refusal, its codes undocumented")
answer_case("decode_lookup_zns_template_info_101", INFO, '{"CodeResult":"101","ErrorMessage":"Authorize Failed"}', {"error": esms_reject("101", "unauthorized", "Authorize Failed")},
            "a key failure may come in the common envelope")
answer_case("decode_lookup_zalo_oas", {"zalo_oas": None}, '{"CodeResult":"100","ErrorMessage":"success","ZOAList":[{"OAID":"745830328927467685","OAName":"Cửa hàng Bình An"},{"OAID":1234567890123456789,"OAName":null}]}',
            {"answer": {"zalo_oas": [{"id": "745830328927467685", "name": "Cửa hàng Bình An"}, {"id": "1234567890123456789", "name": None}]}}, "ZALO.md 3.3 sample")
answer_case("decode_lookup_zalo_oas_101", {"zalo_oas": None}, '{"CodeResult":"101","ErrorMessage":"Authorize Failed."}', {"error": esms_reject("101", "unauthorized", "Authorize Failed.")}, "ZALO.md 3.3: trailing period kept")
answer_case("decode_lookup_zns_quota", {"zns_quota": {"oa_id": OA}}, '{"CodeResult":"100","ErrorMessage":"success","DailyQuota":500,"RemainingQuota":"498"}',
            {"answer": {"zns_quota": {"daily": 500, "remaining": 498}}}, "ZALO.md 3.4 sample; numbers or strings")
ST = {"zns_status": {"sms_id": "59e0", "kind": "normal"}}
answer_case("decode_lookup_zns_status_sent", ST, '{"CodeResult":"100","Data":{"ErrorInfo":"0","FinalStatus":"1","SMSID":"59e0d5b5c3a64b1c8d3a4a1f6c7fb221","SendFailed":0,"SendStatus":5,"SendSuccess":1,"TotalPrice":330.0,"TotalReceiver":1,"TotalSent":1,"ZaloMsgId":"6dc7499c9ef6baaee3e1"}}',
            {"answer": {"zns_status": {"sms_id": "59e0d5b5c3a64b1c8d3a4a1f6c7fb221", "state": "sent", "zalo_error": None, "is_final": True, "zalo_message_id": "6dc7499c9ef6baaee3e1",
                                       "send_status": 5, "send_success": 1, "send_failed": 0, "total_price": 330.0}}}, "ZALO.md 3.5 sample; D-Z34 \"0\" sent")
answer_case("decode_lookup_zns_status_timeout", ST, '{"CodeResult":"100","Data":{"ErrorInfo":"1001","FinalStatus":"1","SMSID":"59e0","SendFailed":1,"SendStatus":5,"SendSuccess":0,"TotalPrice":0,"ZaloMsgId":""}}',
            {"answer": {"zns_status": {"sms_id": "59e0", "state": "failed", "zalo_error": "1001", "is_final": True, "zalo_message_id": None,
                                       "send_status": 5, "send_success": 0, "send_failed": 1, "total_price": 0.0}}}, "D-Z34: 1001 = not online within the allowed time")
answer_case("decode_lookup_zns_status_pending", ST, '{"CodeResult":"100","Data":{"ErrorInfo":null,"FinalStatus":"0","SMSID":"59e0","SendStatus":2}}',
            {"answer": {"zns_status": {"sms_id": "59e0", "state": "pending", "zalo_error": None, "is_final": False, "zalo_message_id": None,
                                       "send_status": 2, "send_success": None, "send_failed": None, "total_price": None}}}, "D-Z34: null = not sent yet")
answer_case("decode_lookup_zns_status_854", ST, '{"CodeResult":"854","ErrorMessage":"No data"}', {"error": err("rejected", provider="esms", code="854", message="No data", retry_safe=False)}, "ZALO.md 3.5: 854 no data")
answer_case("decode_lookup_zns_status_no_data", ST, '{"CodeResult":"100"}', {"error": err("unexpected_response", provider="esms", status=200)}, "a 100 without Data")
MS = {"zalo_message_status": {"oa_id": OA, "message_id": "7984e9b198c40e9957d6"}}
answer_case("decode_lookup_zalo_message_status", MS, '{"CodeResult":"100","Data":{"delivery_time":"1767678030984","message":"The message was delivered to the user\'s phone","status":1},"ErrorMessage":"success. "}',
            {"answer": {"zalo_message_status": {"delivery": "delivered", "status": 1, "message": "The message was delivered to the user's phone", "delivery_time_ms": 1767678030984}}},
            "ZALO.md 3.6 sample; D-Z33 the -1/0/1 values are status's")
answer_case("decode_lookup_zalo_message_status_pushed", MS, '{"CodeResult":100,"Data":{"delivery_time":null,"message":"pushed","status":0}}',
            {"answer": {"zalo_message_status": {"delivery": "pushed", "status": 0, "message": "pushed", "delivery_time_ms": None}}}, "D-Z33: 0 pushed, not on the phone")
answer_case("decode_lookup_zalo_message_status_not_found", MS, '{"CodeResult":"100","Data":{"message":"not exist","status":-1}}',
            {"answer": {"zalo_message_status": {"delivery": "not_found", "status": -1, "message": "not exist", "delivery_time_ms": None}}}, "D-Z33: -1 no such message")
answer_case("decode_lookup_zalo_message_status_undocumented", MS, '{"CodeResult":"100","Data":{"status":7}}',
            {"answer": {"zalo_message_status": {"delivery": "undocumented", "status": 7, "message": None, "delivery_time_ms": None}}}, "an unlisted status is kept, not guessed")
answer_case("decode_lookup_zalo_message_status_160", MS, '{"CodeResult":"160","ErrorMessage":"Exceed TPS"}', {"error": err("rate_limited", provider="esms", retry_safe=True)}, "ZALO.md 3.6: 30 req/s, 160")
answer_case("decode_lookup_brandnames", {"brandnames": None}, '{"CodeResponse":"100","ListBrandName":[{"Brandname":"Baotrixemay","Type":2},{"Brandname":"BAT DONG SAN GIA TOT","Type":"1"},{"Brandname":"MYBRAND","Type":23}]}',
            {"answer": {"brandnames": [{"name": "Baotrixemay", "sms_type": 2}, {"name": "BAT DONG SAN GIA TOT", "sms_type": 1}, {"name": "MYBRAND", "sms_type": 23}]}}, "ZALO.md 3.8 sample; D-Z39 CodeResponse")
answer_case("decode_lookup_brandnames_101", {"brandnames": None}, '{"CodeResult":"101","ErrorMessage":"Authorize Failed"}', {"error": esms_reject("101", "unauthorized", "Authorize Failed")}, "D-Z39: the 101 uses CodeResult")


# --------------------------------------------------------------------------------------------
# eSMS: checking a generated code (ZALO.md 2.11; D-Z28)
# --------------------------------------------------------------------------------------------

case("esms", "check_code_digest_example", source="ZALO.md 2.11: GET with the keys, the phone and the code in the query", operation="check_code", account=ESMS_REAL,
     phone="+84 912 345 678", code="482913",
     expect={"request": req("GET", ESMS_BASE + "CheckCodeGen_V4_get?" + "&".join(f"{k}={q(v)}" for k, v in [
         ("ApiKey", "A1B2C3D4E5"), ("SecretKey", "s3cr3t+&=/key"), ("Phone", "0912345678"), ("Code", "482913")]), [])})
for name, code, src in [("check_code_error_empty", "", "a code is 1 to 20 letters or digits"),
                        ("check_code_error_hostile", "48&Code=1", "nothing that could add a query parameter"),
                        ("check_code_error_too_long", "1" * 21, "at most 20")]:
    case("esms", name, source=src, operation="check_code", account=ESMS, phone="0912345678", code=code, expect={"error": err("invalid_input", field="code")})
for name, body, expect, src in [
    ("decode_check_code_valid", '{"CodeResult":"100","CountRegenerate":0,"ErrorMessage":"0901888484, Content: Success!"}', {"check_code": "valid"}, "ZALO.md 2.11: 100, the verdict in ErrorMessage"),
    ("decode_check_code_117", '{"CodeResult":"117","CountRegenerate":0,"ErrorMessage":"0901888484, Content: 1NTTJ6 Code Invalid"}', {"check_code": "invalid"}, "D-Z28: 117 (the tabs) is a verdict, not an error"),
    ("decode_check_code_171", '{"CodeResult":"171","ErrorMessage":"Code is expired or used"}', {"check_code": "invalid"}, "D-Z28: 171 (the tables) is a verdict"),
    ("decode_check_code_101", '{"CodeResult":"101","ErrorMessage":"Authorize Failed"}', {"error": esms_reject("101", "unauthorized", "Authorize Failed")}, "other codes through the table"),
    ("decode_check_code_html", '<html>busy</html>', {"error": err("unexpected_response", provider="esms", status=200, retry_safe=False)}, "D-Z28: a check may use the code up; never resent once it may have arrived"),
]:
    case("esms", name, source=src, operation="decode_check_code", provider="esms", response=resp(200, body), expect=expect)


# --------------------------------------------------------------------------------------------
# InterITS: a ZNS's message detail (ZALO.md 6.4; D-Z50, D-Z51, D-Z53, D-Z54)
# --------------------------------------------------------------------------------------------

IT_DETAIL_URL = "https://cpaas.interits.com/api/vendor/v1/zalo/message-detail"
case("interits", "zns_message_digest_example", source="ZALO.md 6.4: msg_id sent as a string (D-Z53), oa_id", operation="interits_zns_message", account=INTERITS,
     oa_id=OA, msg_id="e1a60e8890be9de4c4ab", expect={"request": req("POST", IT_DETAIL_URL, IT_HEADERS, jdump({"msg_id": "e1a60e8890be9de4c4ab", "oa_id": OA}))})
for name, oa, msg_id, field, src in [("zns_message_error_oa", "12ab", "e1a6", "oa_id", "D-Z9: digits"),
                                      ("zns_message_error_msg_id", OA, "e1\"}", "msg_id", "the reference a send returned: letters and digits"),
                                      ("zns_message_error_empty", OA, "", "msg_id", "required")]:
    case("interits", name, source=src, operation="interits_zns_message", account=INTERITS, oa_id=oa, msg_id=msg_id, expect={"error": err("invalid_input", field=field)})
case("esms", "zns_message_error_not_interits", source="an InterITS API: an eSMS account is refused", operation="interits_zns_message", account=ESMS,
     oa_id=OA, msg_id="e1a6", expect={"error": err("invalid_input", field="account")})


def zns_message_verdict(m):
    """Core's verdict of a message detail: delivery_status and Zalo's code together (D-Z41)."""
    failed = m["error_code"] is not None and m["error_code"].lstrip("-").isdigit() and int(m["error_code"]) != 0
    if m["delivery"] in ("received", "seen"):
        return "ambiguous" if failed else "delivered"
    if m["delivery"] == "unknown":
        return "failed" if failed else "pending"
    return "ambiguous"


def zns_message(**more):
    out = {"msg_id": "e1a60e8890be9de4c4ab", "id": "5021", "tracking_id": "otp-7781", "delivery": "unknown", "delivery_status_raw": None, "delivery_time": None,
           "sent_time": None, "error_code": None, "error_message": None, "is_charged": None, "template_id": "301122", "kind": "template"}
    out.update(more)
    out["verdict"] = zns_message_verdict(out)
    return {"zns_message": out}


DETAIL = '{"code":0,"data":{"charged":true,"delivery_status":"%s","delivery_time":"2026-11-24T02:00:05Z","error_code":0,"error_message":"","id":"5021","is_charged":true,"msg_id":"e1a60e8890be9de4c4ab","oa_id":"1234567890123456789","phone":"0912345678","sent_time":"2026-11-24T02:00:01Z","status":"Z","template_id":301122,"tracking_id":"otp-7781","type":"template"},"message":"success","referentId":"rf-1"}'
for name, status, delivery, src in [("decode_zns_message_received", "received", "received", "D-Z51: received"),
                                     ("decode_zns_message_seen_upper", "SEEN", "seen", "D-Z51: any case"),
                                     ("decode_zns_message_unkown", "Unkown", "unknown", "D-Z51: the page's spelling is unknown"),
                                     ("decode_zns_message_undocumented", "bounced", "undocumented", "an unlisted state is kept raw, not guessed")]:
    case("interits", name, source=src, operation="decode_zns_message", provider="interits", response=resp(200, DETAIL % status),
         expect=zns_message(delivery=delivery, delivery_status_raw=status, delivery_time="2026-11-24T02:00:05Z", sent_time="2026-11-24T02:00:01Z", error_code="0", is_charged=True))
case("interits", "decode_zns_message_failed", source="a Zalo failure: error_code and error_message kept; delivery stays unknown, so the verdict is what says failed (a poller on delivery never stopped)", operation="decode_zns_message", provider="interits",
     response=resp(200, '{"code":0,"data":{"delivery_status":"unknown","error_code":-118,"error_message":"User is not exist","id":"77","msg_id":"9a","template_id":"301122","tracking_id":null,"type":"template"}}'),
     expect={"zns_message": {"msg_id": "9a", "id": "77", "tracking_id": None, "delivery": "unknown", "delivery_status_raw": "unknown", "delivery_time": None, "sent_time": None,
                             "error_code": "-118", "error_message": "User is not exist", "is_charged": None, "template_id": "301122", "kind": "template",
                             "verdict": "failed"}})
case("interits", "decode_zns_message_404", source="D-B12: HTTP statuses", operation="decode_zns_message", provider="interits",
     response=resp(404, '{"code":404,"message":"Not found"}'), expect={"error": err("rejected", provider="interits", reason="not_found", code="404", message="Not found", retry_safe=False)})
case("interits", "decode_zns_message_placeholder", source="D-Z50: the page's own sample is no answer (doubled brace)", operation="decode_zns_message", provider="interits",
     response=resp(200, '{ {"code":"number","data":{}}'), expect={"error": err("unexpected_response", provider="interits", status=200, retry_safe=True)})


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
