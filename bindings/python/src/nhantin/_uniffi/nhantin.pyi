# The type stub of nhantin.py, the module UniFFI generates; written by bindings/python/gen_stub.py
# from bindings/python/generated/nhantin.py. Do not edit: run `python3 bindings/python/gen_stub.py` after `cargo gen`.
# It declares what the module is at run time: error variants with typed fields, enum variants
# as subclasses of their enum.

import asyncio
import datetime
import enum
import typing

__all__ = [
    "InternalError",
    "SendClass",
    "SendStatus",
    "Provider",
    "Rejection",
    "RecipientResult",
    "NhantinError",
    "Carrier",
    "MultiChannelLeg",
    "DeliveryVerdict",
    "EsmsFormat",
    "EsmsZnsVersion",
    "OtpChannel",
    "ZnsDeliveryStatus",
    "LogLevel",
    "SmsPurpose",
    "UnicodePolicy",
    "Content",
    "ProviderOptions",
    "Verdict",
    "Encoding",
    "ZaloDelivery",
    "ZnsState",
    "PhoneFormat",
    "Account",
    "CodeCheck",
    "ZnsTemplateKind",
    "EsmsLookup",
    "EsmsLookupAnswer",
    "SendStep",
    "Balance",
    "RecipientReceipt",
    "Receipt",
    "SendResult",
    "SafeResend",
    "UnknownSend",
    "BatchResult",
    "Brandname",
    "CareSoftOptions",
    "ClientOptions",
    "ZaloError",
    "Parameter",
    "DeliveryReport",
    "EsmsOptions",
    "OtpMultiChannel",
    "OtpSms",
    "GeneratedOtp",
    "HttpHeader",
    "HttpRequest",
    "HttpResponse",
    "InterItsCallback",
    "InterItsOptions",
    "InterItsZnsMessage",
    "LogRecord",
    "Sms",
    "ViberButton",
    "Viber",
    "ZnsParam",
    "Zns",
    "ZnsBulk",
    "ZaloThenSms",
    "Message",
    "PhoneInfo",
    "ReceiverStatus",
    "RecipientVerdict",
    "SendPolicy",
    "SendStatusReport",
    "SentRow",
    "SentDataPage",
    "SentDataWindow",
    "TextAnalysis",
    "ZaloMessageStatus",
    "ZaloOa",
    "ZnsQuota",
    "ZnsStatus",
    "ZnsTemplateParam",
    "ZnsTemplate",
    "ZnsTemplateButton",
    "ZnsTemplateInfoParam",
    "ZnsTemplateInfo",
    "analyze_text",
    "check_zns_params",
    "decode_balance",
    "decode_check_code",
    "decode_esms_lookup",
    "decode_interits_zns_message",
    "decode_receiver_status",
    "decode_send",
    "decode_send_status",
    "decode_sent_data",
    "decode_zns_templates",
    "encode_balance",
    "encode_check_code",
    "encode_esms_lookup",
    "encode_interits_zns_message",
    "encode_receiver_status",
    "encode_send",
    "encode_send_status",
    "encode_sent_data",
    "encode_zns_templates",
    "generate_request_id",
    "mask_phones",
    "normalize_phone",
    "parse_delivery_report",
    "parse_interits_callback",
    "set_logger",
    "strip_diacritics",
    "version",
    "Secret",
    "SecretProtocol",
    "AccountState",
    "AccountStateProtocol",
    "Client",
    "ClientProtocol",
    "LoggerImpl",
    "Logger",
    "SendMachine",
    "SendMachineProtocol",
]


class InternalError(Exception):
    ...


def uniffi_set_event_loop(eventloop: asyncio.BaseEventLoop) -> None: ...


class Balance:
    """An eSMS account balance."""
    balance: float
    user_id: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, balance: float, user_id: typing.Optional[int]) -> None: ...


class SendClass(enum.Enum):
    """How a send ended, in core's one classification (batch results carry it)."""
    ACCEPTED = 0
    ALREADY_SUBMITTED = 1
    INVALID_INPUT = 2
    REJECTED = 3
    RATE_LIMITED = 4
    NOT_SENT = 5
    OUTCOME_UNKNOWN = 6


class SendStatus(enum.Enum):
    """How a send ended with the provider's answer in hand."""
    ACCEPTED = 0
    ALREADY_SUBMITTED = 1


class Provider(enum.Enum):
    """The providers nhantin speaks to."""
    ESMS = 0
    CARE_SOFT = 1
    INTER_ITS = 2


class Rejection(enum.Enum):
    """Why a provider refused a request."""
    UNAUTHORIZED = 0
    INVALID_REQUEST = 1
    DUPLICATE_REQUEST_ID = 2
    PHONE_BLOCKED = 3
    NO_PRICE_LIST = 4
    INSUFFICIENT_BALANCE = 5
    UNKNOWN_BRANDNAME = 6
    NOT_FOUND = 7
    RECORDING_NOT_FOUND = 8
    TOO_FEW_RECIPIENTS = 9
    INVALID_PHONE = 10
    INVALID_DATA = 11
    INVALID_HASHED_PHONE = 12
    UNSUPPORTED_MESSAGE_TYPE = 13
    TOO_MANY_RECIPIENTS = 14
    IP_NOT_WHITELISTED = 15
    TEMPLATE_MISMATCH = 16
    INVALID_CODE = 17
    NETWORK_NOT_REGISTERED = 18
    ALREADY_PROCESSING = 19
    UNKNOWN_OAID = 20
    INVALID_PAYLOAD = 21
    MISSING_MESSAGE_TYPE = 22
    UNSUPPORTED_SERVICE = 23
    ACCOUNT_LOCKED = 24
    BLOCKED_KEYWORD = 25
    TEMPLATE_NOT_CONFIGURED = 26
    MISSING_OA_OR_TEMPLATE = 27
    OA_NOT_ACTIVE = 28
    QUOTA_MODE_SCHEDULED = 29
    QUOTA_MODE_NOT_ALLOWED = 30
    MISSING_MESSAGE_ID = 31
    UNKNOWN_ACCOUNT = 32
    OTHER = 33


class RecipientResult:
    """The provider's verdict for one recipient."""
    class ACCEPTED(RecipientResult):
        """Accepted under its own message id (not delivered yet)."""
        sms_id: str
        __match_args__ = ()
        def __init__(self, sms_id: str) -> None: ...
    class REFUSED(RecipientResult):
        """Refused: not sent; resending it unchanged fails again."""
        reason: Rejection
        code: typing.Optional[str]
        message: str
        __match_args__ = ()
        def __init__(self, reason: Rejection, code: typing.Optional[str], message: str) -> None: ...
    class ALREADY_SUBMITTED(RecipientResult):
        """**Not a success.** A resend found its request id already used: an earlier attempt
        reached the provider for it and it was not sent again; whether it was accepted is unknown.
        """
        __match_args__ = ()
        def __init__(self) -> None: ...
    class THROTTLED(RecipientResult):
        """The provider was too fast for it and did not send it; resend it with the same id later."""
        message: str
        __match_args__ = ()
        def __init__(self, message: str) -> None: ...
    class UNKNOWN(RecipientResult):
        """The answer does not say: it may have been sent. Settle it by its request id; resend only
        with that same id.
        """
        why: str
        __match_args__ = ()
        def __init__(self, why: str) -> None: ...
    def is_ACCEPTED(self) -> bool: ...
    def is_accepted(self) -> bool: ...
    def is_REFUSED(self) -> bool: ...
    def is_refused(self) -> bool: ...
    def is_ALREADY_SUBMITTED(self) -> bool: ...
    def is_already_submitted(self) -> bool: ...
    def is_THROTTLED(self) -> bool: ...
    def is_throttled(self) -> bool: ...
    def is_UNKNOWN(self) -> bool: ...
    def is_unknown(self) -> bool: ...


class RecipientReceipt:
    """What became of one recipient of a bulk request."""
    index: int
    request_id: typing.Optional[str]
    result: RecipientResult
    __match_args__ = ()
    def __init__(self, *, index: int, request_id: typing.Optional[str], result: RecipientResult) -> None: ...


class Receipt:
    """Proof that a provider accepted a send (not delivered yet)."""
    provider: Provider
    reference: typing.Optional[str]
    ticket_id: typing.Optional[int]
    ticket_no: typing.Optional[int]
    requester_id: typing.Optional[int]
    assignee_id: typing.Optional[int]
    token: typing.Optional[str]
    recipients: typing.List[RecipientReceipt]
    __match_args__ = ()
    def __init__(self, *, provider: Provider, reference: typing.Optional[str], ticket_id: typing.Optional[int], ticket_no: typing.Optional[int], requester_id: typing.Optional[int], assignee_id: typing.Optional[int], token: typing.Optional[str], recipients: typing.List[RecipientReceipt]) -> None: ...


class SendResult:
    """The result of a send."""
    status: SendStatus
    request_id: typing.Optional[str]
    attempts: int
    receipt: typing.Optional[Receipt]
    __match_args__ = ()
    def __init__(self, *, status: SendStatus, request_id: typing.Optional[str], attempts: int, receipt: typing.Optional[Receipt]) -> None: ...


class SafeResend:
    """The one resend of an unknown outcome that cannot deliver the message twice: pass it to
    `Client.resend` with the same message.
    """
    request_id: str
    first_sent_at_ms: int
    until_ms: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, request_id: str, first_sent_at_ms: int, until_ms: typing.Optional[int]) -> None: ...


class UnknownSend:
    """What is known of a send whose outcome is unknown: enough to ask the provider about it
    (`Client.reconcile`).
    """
    provider: Provider
    request_id: typing.Optional[str]
    attempts: int
    first_sent_at_ms: int
    last_sent_at_ms: int
    __match_args__ = ()
    def __init__(self, *, provider: Provider, request_id: typing.Optional[str], attempts: int, first_sent_at_ms: int, last_sent_at_ms: int) -> None: ...


class NhantinError(Exception):
    """Everything that can go wrong; there is no catch-all variant."""
    class InvalidInput(NhantinError):
        """A value is invalid; nothing was sent. Fix the input."""
        field: str
        reason: str
        def __init__(self, field: str, reason: str) -> None: ...
    class Rejected(NhantinError):
        """The provider refused the request; resending it unchanged fails again."""
        provider: Provider
        reason: Rejection
        code: typing.Optional[str]
        provider_message: str
        def __init__(self, provider: Provider, reason: Rejection, code: typing.Optional[str], provider_message: str) -> None: ...
    class RateLimited(NhantinError):
        """The provider is throttling and did nothing; wait and resend. A lock-out means stop
        sending to this account until it ends.
        """
        provider: Provider
        retry_after_secs: typing.Optional[int]
        lockout: bool
        provider_message: str
        def __init__(self, provider: Provider, retry_after_secs: typing.Optional[int], lockout: bool, provider_message: str) -> None: ...
    class ProviderUnavailable(NhantinError):
        """The provider failed (HTTP 5xx) and may have acted."""
        provider: Provider
        status: int
        snippet: str
        retry_safe: bool
        def __init__(self, provider: Provider, status: int, snippet: str, retry_safe: bool) -> None: ...
    class UnexpectedResponse(NhantinError):
        """An answer without a documented shape; the outcome is unknown."""
        provider: Provider
        status: int
        snippet: str
        retry_safe: bool
        def __init__(self, provider: Provider, status: int, snippet: str, retry_safe: bool) -> None: ...
    class Transport(NhantinError):
        """No connection could be made (or a read-only query got no answer); nothing reached the
        provider. Safe to resend.
        """
        detail: str
        def __init__(self, detail: str) -> None: ...
    class OutcomeUnknown(NhantinError):
        """The message may have reached the provider and no conclusive answer came back. When
        `resend` is present, pass it to `Client.resend` with the same message: it carries
        `request_id`, the provider de-duplicates by it, and an "already submitted" answer then
        means the first attempt got through. When absent (CareSoft, InterITS without confirmed
        de-duplication, eSMS's generated-code calls) do not resend blindly: `detail` says how to
        settle it first.
        """
        provider: Provider
        detail: str
        retry_safe: bool
        request_id: typing.Optional[str]
        resend: typing.Optional[SafeResend]
        unknown: UnknownSend
        def __init__(self, provider: Provider, detail: str, retry_safe: bool, request_id: typing.Optional[str], resend: typing.Optional[SafeResend], unknown: UnknownSend) -> None: ...
    class LockedOut(NhantinError):
        """The client refused to send during a provider lock-out; nothing was sent."""
        provider: Provider
        remaining_secs: int
        def __init__(self, provider: Provider, remaining_secs: int) -> None: ...
    class Config(NhantinError):
        """The client is misconfigured (plain http without permission, a bad proxy)."""
        detail: str
        def __init__(self, detail: str) -> None: ...
    class WrongState(NhantinError):
        """A `SendMachine` call that does not fit its state: a poll while the last transmit has not
        been reported, or a report without a transmit. A bug in the caller's loop; the call
        changed nothing.
        """
        detail: str
        def __init__(self, detail: str) -> None: ...


class BatchResult:
    """One request of a bulk send."""
    first_recipient: int
    recipients: int
    request_id: typing.Optional[str]
    send_class: SendClass
    result: typing.Optional[SendResult]
    error: typing.Optional[NhantinError]
    __match_args__ = ()
    def __init__(self, *, first_recipient: int, recipients: int, request_id: typing.Optional[str], send_class: SendClass, result: typing.Optional[SendResult], error: typing.Optional[NhantinError]) -> None: ...


class Brandname:
    """A registered brandname."""
    name: str
    sms_type: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, name: str, sms_type: typing.Optional[int]) -> None: ...


class CareSoftOptions:
    """CareSoft options."""
    ticket_id: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, ticket_id: typing.Optional[int] = ...) -> None: ...


class SecretProtocol(typing.Protocol):
    """A credential: an API key, a secret key or a token. It holds the value for the library and
    has no way to give it back; printed, it shows `***` (Python `repr`/`str`, Kotlin
    `toString`, Swift `description`, Rust `Debug`), so an `Account` can be logged whole.
    """


class Secret(SecretProtocol):
    """A credential: an API key, a secret key or a token. It holds the value for the library and
    has no way to give it back; printed, it shows `***` (Python `repr`/`str`, Kotlin
    `toString`, Swift `description`, Rust `Debug`), so an `Account` can be logged whole.
    """
    def __init__(self, value: str) -> None:
        """Holds `value` (read it from the environment or a vault, not from source code)."""
        ...
    def __del__(self) -> None: ...
    def __repr__(self) -> str: ...
    def __str__(self) -> str: ...
    def __copy__(self) -> Secret: ...
    def __deepcopy__(self, memo: typing.Any) -> Secret: ...


class ClientOptions:
    """Client settings; every field has a safe default."""
    connect_timeout_ms: int
    request_timeout_ms: int
    max_attempts: int
    total_deadline_ms: int
    allow_insecure_http: bool
    proxy: typing.Optional[Secret]
    __match_args__ = ()
    def __init__(self, *, connect_timeout_ms: int = ..., request_timeout_ms: int = ..., max_attempts: int = ..., total_deadline_ms: int = ..., allow_insecure_http: bool = ..., proxy: typing.Optional[Secret] = ...) -> None: ...


class Carrier(enum.Enum):
    """The network that issued a number's prefix."""
    VIETTEL = 0
    MOBIFONE = 1
    VINAPHONE = 2
    VIETNAMOBILE = 3
    GMOBILE = 4
    ITEL = 5
    REDDI = 6
    UNKNOWN = 7


class ZaloError:
    """What Zalo said about a ZNS, from a report's `error_info`, in whichever encoding eSMS used;
    `raw` always holds the value as it came.
    """
    code: typing.Optional[int]
    message: typing.Optional[str]
    message_id: typing.Optional[str]
    user_id: typing.Optional[str]
    status: typing.Optional[int]
    delivery_time_ms: typing.Optional[int]
    logged_at: typing.Optional[str]
    trailing: typing.Optional[str]
    raw: str
    __match_args__ = ()
    def __init__(self, *, code: typing.Optional[int], message: typing.Optional[str], message_id: typing.Optional[str], user_id: typing.Optional[str], status: typing.Optional[int], delivery_time_ms: typing.Optional[int], logged_at: typing.Optional[str], trailing: typing.Optional[str], raw: str) -> None: ...


class MultiChannelLeg(enum.Enum):
    """The leg of an eSMS multi-channel send a delivery report is about."""
    ZNS = 0
    SMS = 1


class DeliveryVerdict(enum.Enum):
    """What a delivery report says happened."""
    DELIVERED = 0
    FAILED = 1
    PARTIAL = 2
    PENDING = 3
    REJECTED = 4
    AMBIGUOUS = 5


class Parameter:
    """A key/value pair kept from a callback."""
    name: str
    value: str
    __match_args__ = ()
    def __init__(self, *, name: str, value: str) -> None: ...


class DeliveryReport:
    """An eSMS delivery report. Numbers are eSMS's: `send_status` (1, 2, 4, 5, 7), `sms_type`
    (1, 2, 8, 23, 24, 25, 26), `telco_id` (1 Viettel … 7 Reddi).
    """
    sms_id: typing.Optional[str]
    request_id: typing.Optional[str]
    send_status: typing.Optional[int]
    sms_type: typing.Optional[int]
    telco: typing.Optional[Carrier]
    phone: typing.Optional[str]
    send_success: typing.Optional[int]
    send_failed: typing.Optional[int]
    total_receivers: typing.Optional[int]
    total_sent: typing.Optional[int]
    total_price: typing.Optional[float]
    partner_ids: typing.Optional[str]
    error_info: typing.Optional[ZaloError]
    oaid: typing.Optional[str]
    template_id: typing.Optional[str]
    switch_sms_id: typing.Optional[str]
    leg: typing.Optional[MultiChannelLeg]
    verdict: DeliveryVerdict
    extra: typing.List[Parameter]
    __match_args__ = ()
    def __init__(self, *, sms_id: typing.Optional[str], request_id: typing.Optional[str], send_status: typing.Optional[int], sms_type: typing.Optional[int], telco: typing.Optional[Carrier], phone: typing.Optional[str], send_success: typing.Optional[int], send_failed: typing.Optional[int], total_receivers: typing.Optional[int], total_sent: typing.Optional[int], total_price: typing.Optional[float], partner_ids: typing.Optional[str], error_info: typing.Optional[ZaloError], oaid: typing.Optional[str], template_id: typing.Optional[str], switch_sms_id: typing.Optional[str], leg: typing.Optional[MultiChannelLeg], verdict: DeliveryVerdict, extra: typing.List[Parameter]) -> None: ...


class EsmsFormat(enum.Enum):
    """eSMS body style."""
    JSON = 0
    XML = 1
    GET = 2


class EsmsZnsVersion(enum.Enum):
    """Which eSMS endpoint a ZNS to a phone goes to."""
    V4 = 0
    V5 = 1
    V6 = 2


class EsmsOptions:
    """eSMS options."""
    format: typing.Optional[EsmsFormat]
    campaign_id: typing.Optional[str]
    zns_version: typing.Optional[EsmsZnsVersion]
    __match_args__ = ()
    def __init__(self, *, format: typing.Optional[EsmsFormat] = ..., campaign_id: typing.Optional[str] = ..., zns_version: typing.Optional[EsmsZnsVersion] = ...) -> None: ...


class OtpMultiChannel:
    """The multi-channel template of a generated code."""
    template_id: str
    __match_args__ = ()
    def __init__(self, *, template_id: str) -> None: ...


class OtpSms:
    """The SMS of a generated code."""
    sender: str
    template: str
    code_length: typing.Optional[int]
    digits_only: typing.Optional[bool]
    __match_args__ = ()
    def __init__(self, *, sender: str, template: str, code_length: typing.Optional[int] = ..., digits_only: typing.Optional[bool] = ...) -> None: ...


class OtpChannel:
    """How a generated code travels."""
    class ZALO_THEN_SMS(OtpChannel):
        """ZNS, then SMS with the same code, by the account's multi-channel template."""
        zalo_then_sms: OtpMultiChannel
        __match_args__ = ()
        def __init__(self, zalo_then_sms: OtpMultiChannel) -> None: ...
    class SMS(OtpChannel):
        """SMS."""
        sms: OtpSms
        __match_args__ = ()
        def __init__(self, sms: OtpSms) -> None: ...
    def is_ZALO_THEN_SMS(self) -> bool: ...
    def is_zalo_then_sms(self) -> bool: ...
    def is_SMS(self) -> bool: ...
    def is_sms(self) -> bool: ...


class GeneratedOtp:
    """A code eSMS generates and sends."""
    channel: OtpChannel
    time_alive_minutes: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, channel: OtpChannel, time_alive_minutes: typing.Optional[int] = ...) -> None: ...


class HttpHeader:
    """One HTTP header."""
    name: str
    value: str
    __match_args__ = ()
    def __init__(self, *, name: str, value: str) -> None: ...


class HttpRequest:
    """A request to send exactly as it is (sans-IO encoding)."""
    method: str
    url: str
    headers: typing.List[HttpHeader]
    body: bytes
    idempotency_key: typing.Optional[str]
    idempotent: bool
    redacted_url: str
    __match_args__ = ()
    def __init__(self, *, method: str, url: str, headers: typing.List[HttpHeader], body: bytes, idempotency_key: typing.Optional[str], idempotent: bool, redacted_url: str) -> None: ...


class HttpResponse:
    """A provider's answer, for decoding."""
    status: int
    headers: typing.List[HttpHeader]
    body: bytes
    __match_args__ = ()
    def __init__(self, *, status: int, headers: typing.List[HttpHeader] = ..., body: bytes) -> None: ...


class InterItsCallback:
    """InterITS's callback body."""
    msisdn: typing.Optional[str]
    request_id: typing.Optional[str]
    send_time: typing.Optional[str]
    response_time_telco: typing.Optional[str]
    status: typing.Optional[int]
    referent_id: typing.Optional[str]
    retry_count: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, msisdn: typing.Optional[str], request_id: typing.Optional[str], send_time: typing.Optional[str], response_time_telco: typing.Optional[str], status: typing.Optional[int], referent_id: typing.Optional[str], retry_count: typing.Optional[int]) -> None: ...


class InterItsOptions:
    """InterITS options."""
    server_side_conversion: bool
    ext: typing.Optional[str]
    __match_args__ = ()
    def __init__(self, *, server_side_conversion: bool = ..., ext: typing.Optional[str] = ...) -> None: ...


class ZnsDeliveryStatus(enum.Enum):
    """Whether an InterITS ZNS reached its reader."""
    UNKNOWN = 0
    RECEIVED = 1
    SEEN = 2
    UNDOCUMENTED = 3


class InterItsZnsMessage:
    """What InterITS knows of one ZNS (`message-detail`)."""
    msg_id: typing.Optional[str]
    id: typing.Optional[str]
    tracking_id: typing.Optional[str]
    delivery: ZnsDeliveryStatus
    delivery_status_raw: typing.Optional[str]
    delivery_time: typing.Optional[str]
    sent_time: typing.Optional[str]
    error_code: typing.Optional[str]
    error_message: typing.Optional[str]
    is_charged: typing.Optional[bool]
    template_id: typing.Optional[str]
    kind: typing.Optional[str]
    verdict: DeliveryVerdict
    __match_args__ = ()
    def __init__(self, *, msg_id: typing.Optional[str], id: typing.Optional[str], tracking_id: typing.Optional[str], delivery: ZnsDeliveryStatus, delivery_status_raw: typing.Optional[str], delivery_time: typing.Optional[str], sent_time: typing.Optional[str], error_code: typing.Optional[str], error_message: typing.Optional[str], is_charged: typing.Optional[bool], template_id: typing.Optional[str], kind: typing.Optional[str], verdict: DeliveryVerdict) -> None: ...


class LogLevel(enum.Enum):
    """How severe a record is."""
    ERROR = 0
    WARN = 1
    INFO = 2
    DEBUG = 3
    TRACE = 4


class LogRecord:
    """One record: never a secret, a message text or a full phone number."""
    level: LogLevel
    target: str
    message: str
    __match_args__ = ()
    def __init__(self, *, level: LogLevel, target: str, message: str) -> None: ...


class SmsPurpose(enum.Enum):
    """What an SMS is for; it picks the endpoint and the provider's type code."""
    OTP = 0
    CUSTOMER_CARE = 1
    ADVERTISING = 2
    FIXED_NUMBER = 3


class UnicodePolicy(enum.Enum):
    """What to do with text outside GSM-7."""
    AUTO = 0
    FORCE = 1
    STRIP = 2
    REJECT = 3


class Sms:
    """An SMS."""
    purpose: SmsPurpose
    text: str
    sender: typing.Optional[str]
    unicode: typing.Optional[UnicodePolicy]
    __match_args__ = ()
    def __init__(self, *, purpose: SmsPurpose, text: str, sender: typing.Optional[str] = ..., unicode: typing.Optional[UnicodePolicy] = ...) -> None: ...


class ViberButton:
    """A Viber call-to-action button."""
    label: str
    url: str
    __match_args__ = ()
    def __init__(self, *, label: str, url: str) -> None: ...


class Viber:
    """A Viber message: text, image and button in one of the allowed layouts (text; text+button;
    text+image+button; image).
    """
    text: str
    image_url: typing.Optional[str]
    button: typing.Optional[ViberButton]
    sender: typing.Optional[str]
    unicode: typing.Optional[UnicodePolicy]
    __match_args__ = ()
    def __init__(self, *, text: str = ..., image_url: typing.Optional[str] = ..., button: typing.Optional[ViberButton] = ..., sender: typing.Optional[str] = ..., unicode: typing.Optional[UnicodePolicy] = ...) -> None: ...


class ZnsParam:
    """One ZNS template parameter."""
    name: str
    value: str
    __match_args__ = ()
    def __init__(self, *, name: str, value: str) -> None: ...


class Zns:
    """A Zalo ZNS: a registered template and its parameter values."""
    oa_id: typing.Optional[str]
    template_id: str
    params: typing.List[ZnsParam]
    zalo_user_id: typing.Optional[str]
    hash_phone: bool
    journey_order_id: typing.Optional[str]
    exceed_quota: bool
    __match_args__ = ()
    def __init__(self, *, oa_id: typing.Optional[str] = ..., template_id: str, params: typing.List[ZnsParam] = ..., zalo_user_id: typing.Optional[str] = ..., hash_phone: bool = ..., journey_order_id: typing.Optional[str] = ..., exceed_quota: bool = ...) -> None: ...


class ZnsBulk:
    """eSMS bulk ZNS: one template, one parameter list per recipient (in the message's order)."""
    oa_id: typing.Optional[str]
    template_id: str
    params: typing.List[typing.List[ZnsParam]]
    exceed_quota: bool
    __match_args__ = ()
    def __init__(self, *, oa_id: typing.Optional[str] = ..., template_id: str, params: typing.List[typing.List[ZnsParam]], exceed_quota: bool = ...) -> None: ...


class ZaloThenSms:
    """The two legs of a multi-channel send."""
    zns: Zns
    sms: Sms
    __match_args__ = ()
    def __init__(self, *, zns: Zns, sms: Sms) -> None: ...


class Content:
    """What a message says."""
    class SMS(Content):
        """An SMS."""
        sms: Sms
        __match_args__ = ()
        def __init__(self, sms: Sms) -> None: ...
    class VIBER(Content):
        """A Viber message (eSMS)."""
        viber: Viber
        __match_args__ = ()
        def __init__(self, viber: Viber) -> None: ...
    class ZNS(Content):
        """A Zalo ZNS template message."""
        zns: Zns
        __match_args__ = ()
        def __init__(self, zns: Zns) -> None: ...
    class ZNS_BULK(Content):
        """eSMS: one ZNS template to every recipient, each with its own values (up to 500 per
        request; longer lists are split). The receipt says what became of each recipient.
        """
        zns_bulk: ZnsBulk
        __match_args__ = ()
        def __init__(self, zns_bulk: ZnsBulk) -> None: ...
    class ZALO_THEN_SMS(Content):
        """eSMS: a ZNS, then an SMS when Zalo cannot deliver it (one send; eSMS falls back)."""
        zalo_then_sms: ZaloThenSms
        __match_args__ = ()
        def __init__(self, zalo_then_sms: ZaloThenSms) -> None: ...
    class GENERATED_OTP(Content):
        """eSMS: a one-time code eSMS generates, sends and later checks."""
        generated_otp: GeneratedOtp
        __match_args__ = ()
        def __init__(self, generated_otp: GeneratedOtp) -> None: ...
    def is_SMS(self) -> bool: ...
    def is_sms(self) -> bool: ...
    def is_VIBER(self) -> bool: ...
    def is_viber(self) -> bool: ...
    def is_ZNS(self) -> bool: ...
    def is_zns(self) -> bool: ...
    def is_ZNS_BULK(self) -> bool: ...
    def is_zns_bulk(self) -> bool: ...
    def is_ZALO_THEN_SMS(self) -> bool: ...
    def is_zalo_then_sms(self) -> bool: ...
    def is_GENERATED_OTP(self) -> bool: ...
    def is_generated_otp(self) -> bool: ...


class ProviderOptions:
    """Options only one provider has."""
    class ESMS(ProviderOptions):
        """eSMS."""
        esms: EsmsOptions
        __match_args__ = ()
        def __init__(self, esms: EsmsOptions) -> None: ...
    class CARE_SOFT(ProviderOptions):
        """CareSoft."""
        caresoft: CareSoftOptions
        __match_args__ = ()
        def __init__(self, caresoft: CareSoftOptions) -> None: ...
    class INTER_ITS(ProviderOptions):
        """InterITS."""
        interits: InterItsOptions
        __match_args__ = ()
        def __init__(self, interits: InterItsOptions) -> None: ...
    def is_ESMS(self) -> bool: ...
    def is_esms(self) -> bool: ...
    def is_CARE_SOFT(self) -> bool: ...
    def is_care_soft(self) -> bool: ...
    def is_INTER_ITS(self) -> bool: ...
    def is_inter_its(self) -> bool: ...


class Message:
    """One message to one or more recipients: the JSON form of `tests/vectors/README.md`, field for
    field. `validate` happens when it is sent or encoded; a bad value is `InvalidInput` naming
    the field.
    """
    recipients: typing.List[str]
    content: Content
    schedule: typing.Optional[str]
    request_id: typing.Optional[str]
    callback_url: typing.Optional[str]
    sandbox: bool
    options: typing.Optional[ProviderOptions]
    __match_args__ = ()
    def __init__(self, *, recipients: typing.List[str], content: Content, schedule: typing.Optional[str] = ..., request_id: typing.Optional[str] = ..., callback_url: typing.Optional[str] = ..., sandbox: bool = ..., options: typing.Optional[ProviderOptions] = ...) -> None: ...


class PhoneInfo:
    """A normalised phone number."""
    national: str
    international: str
    e164: str
    masked: str
    carrier: Carrier
    __match_args__ = ()
    def __init__(self, *, national: str, international: str, e164: str, masked: str, carrier: Carrier) -> None: ...


class ReceiverStatus:
    """One recipient's result."""
    phone: str
    is_sent: typing.Optional[bool]
    sent_result: typing.Optional[bool]
    retry: typing.Optional[int]
    network_name: typing.Optional[str]
    __match_args__ = ()
    def __init__(self, *, phone: str, is_sent: typing.Optional[bool], sent_result: typing.Optional[bool], retry: typing.Optional[int], network_name: typing.Optional[str]) -> None: ...


class Verdict(enum.Enum):
    """What eSMS's records say about one recipient of an unknown-outcome send."""
    SENT = 0
    NOT_FOUND = 1
    AMBIGUOUS = 2


class RecipientVerdict:
    """One recipient's reconciliation."""
    recipient: int
    verdict: Verdict
    sms_id: typing.Optional[str]
    status: typing.Optional[str]
    result: typing.Optional[str]
    candidates: typing.List[str]
    __match_args__ = ()
    def __init__(self, *, recipient: int, verdict: Verdict, sms_id: typing.Optional[str], status: typing.Optional[str], result: typing.Optional[str], candidates: typing.List[str]) -> None: ...


class SendPolicy:
    """The retry policy of a `SendMachine`; every field has `Client.send`'s default."""
    max_attempts: int
    total_deadline_ms: int
    initial_backoff_ms: int
    max_backoff_ms: int
    max_retry_after_ms: int
    pace_caresoft: bool
    __match_args__ = ()
    def __init__(self, *, max_attempts: int = ..., total_deadline_ms: int = ..., initial_backoff_ms: int = ..., max_backoff_ms: int = ..., max_retry_after_ms: int = ..., pace_caresoft: bool = ...) -> None: ...


class SendStatusReport:
    """`GetSendStatus`'s answer. `status` is eSMS's number: 1 pending approval, 2 waiting, 4
    rejected, 5 finished, 7 sent to the telco.
    """
    sms_id: typing.Optional[str]
    status: typing.Optional[int]
    send_success: typing.Optional[int]
    send_failed: typing.Optional[int]
    total_receivers: typing.Optional[int]
    total_sent: typing.Optional[int]
    total_price: typing.Optional[float]
    __match_args__ = ()
    def __init__(self, *, sms_id: typing.Optional[str], status: typing.Optional[int], send_success: typing.Optional[int], send_failed: typing.Optional[int], total_receivers: typing.Optional[int], total_sent: typing.Optional[int], total_price: typing.Optional[float]) -> None: ...


class SentRow:
    """One row of `GetSmsSentData_V2`: one recipient of one message eSMS filed. Rows of one send
    share `reference_id`; a row is identified by `(reference_id, phone)`.
    """
    reference_id: str
    phone: str
    content: typing.Optional[str]
    campaign: typing.Optional[str]
    sell_price: typing.Optional[float]
    result: typing.Optional[str]
    status: typing.Optional[str]
    sent_time_ms: typing.Optional[int]
    portal_sms_id: typing.Optional[str]
    sms_type: typing.Optional[str]
    __match_args__ = ()
    def __init__(self, *, reference_id: str, phone: str, content: typing.Optional[str], campaign: typing.Optional[str], sell_price: typing.Optional[float], result: typing.Optional[str], status: typing.Optional[str], sent_time_ms: typing.Optional[int], portal_sms_id: typing.Optional[str], sms_type: typing.Optional[str]) -> None: ...


class SentDataPage:
    """One page of `GetSmsSentData_V2`."""
    count_total: typing.Optional[int]
    rows: typing.List[SentRow]
    __match_args__ = ()
    def __init__(self, *, count_total: typing.Optional[int], rows: typing.List[SentRow]) -> None: ...


class SentDataWindow:
    """The window of a `GetSmsSentData_V2` query."""
    sms_type: int
    from_ms: int
    to_ms: int
    page: int
    page_size: int
    __match_args__ = ()
    def __init__(self, *, sms_type: int, from_ms: int, to_ms: int, page: int, page_size: int) -> None: ...


class Encoding(enum.Enum):
    """How a text travels over the air."""
    GSM7 = 0
    UCS2 = 1


class TextAnalysis:
    """Encoding and size of a text."""
    encoding: Encoding
    characters: int
    units: int
    segments: int
    __match_args__ = ()
    def __init__(self, *, encoding: Encoding, characters: int, units: int, segments: int) -> None: ...


class ZaloDelivery(enum.Enum):
    """Whether a ZNS reached the handset."""
    NOT_FOUND = 0
    PUSHED = 1
    DELIVERED = 2
    UNDOCUMENTED = 3


class ZaloMessageStatus:
    """`GetZaloMessageStatus`'s answer."""
    delivery: ZaloDelivery
    status: typing.Optional[int]
    message: typing.Optional[str]
    delivery_time_ms: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, delivery: ZaloDelivery, status: typing.Optional[int], message: typing.Optional[str], delivery_time_ms: typing.Optional[int]) -> None: ...


class ZaloOa:
    """A Zalo OA of the account."""
    id: str
    name: typing.Optional[str]
    __match_args__ = ()
    def __init__(self, *, id: str, name: typing.Optional[str]) -> None: ...


class ZnsQuota:
    """An OA's daily ZNS quota."""
    daily: typing.Optional[int]
    remaining: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, daily: typing.Optional[int], remaining: typing.Optional[int]) -> None: ...


class ZnsState(enum.Enum):
    """Where a ZNS is (`QueryZnsStatus`)."""
    PENDING = 0
    SENT = 1
    FAILED = 2


class ZnsStatus:
    """`QueryZnsStatus`'s answer."""
    sms_id: typing.Optional[str]
    state: ZnsState
    zalo_error: typing.Optional[str]
    is_final: typing.Optional[bool]
    zalo_message_id: typing.Optional[str]
    send_status: typing.Optional[int]
    send_success: typing.Optional[int]
    send_failed: typing.Optional[int]
    total_price: typing.Optional[float]
    __match_args__ = ()
    def __init__(self, *, sms_id: typing.Optional[str], state: ZnsState, zalo_error: typing.Optional[str], is_final: typing.Optional[bool], zalo_message_id: typing.Optional[str], send_status: typing.Optional[int], send_success: typing.Optional[int], send_failed: typing.Optional[int], total_price: typing.Optional[float]) -> None: ...


class ZnsTemplateParam:
    """One parameter a ZNS template declares."""
    name: str
    position: typing.Optional[int]
    max_length: typing.Optional[int]
    kind: typing.Optional[str]
    __match_args__ = ()
    def __init__(self, *, name: str, position: typing.Optional[int], max_length: typing.Optional[int], kind: typing.Optional[str]) -> None: ...


class ZnsTemplate:
    """A ZNS template of an OA, with the parameters it declares."""
    id: str
    name: typing.Optional[str]
    content: typing.Optional[str]
    params: typing.List[ZnsTemplateParam]
    __match_args__ = ()
    def __init__(self, *, id: str, name: typing.Optional[str], content: typing.Optional[str], params: typing.List[ZnsTemplateParam]) -> None: ...


class ZnsTemplateButton:
    """A button of a template's details."""
    title: typing.Optional[str]
    content: typing.Optional[str]
    kind: typing.Optional[int]
    __match_args__ = ()
    def __init__(self, *, title: typing.Optional[str], content: typing.Optional[str], kind: typing.Optional[int]) -> None: ...


class ZnsTemplateInfoParam:
    """A parameter of a template's details."""
    name: str
    kind: typing.Optional[str]
    max_length: typing.Optional[int]
    min_length: typing.Optional[int]
    required: typing.Optional[bool]
    accepts_null: typing.Optional[bool]
    __match_args__ = ()
    def __init__(self, *, name: str, kind: typing.Optional[str], max_length: typing.Optional[int], min_length: typing.Optional[int], required: typing.Optional[bool], accepts_null: typing.Optional[bool]) -> None: ...


class ZnsTemplateInfo:
    """One template's details (`GetZnsTemplateInfo`); status, tag and quality as eSMS writes them."""
    id: str
    name: typing.Optional[str]
    status: typing.Optional[str]
    reason: typing.Optional[str]
    tag: typing.Optional[str]
    quality: typing.Optional[str]
    timeout: typing.Optional[int]
    preview_url: typing.Optional[str]
    applies_template_quota: typing.Optional[bool]
    daily_quota: typing.Optional[int]
    remaining_quota: typing.Optional[int]
    params: typing.List[ZnsTemplateInfoParam]
    buttons: typing.List[ZnsTemplateButton]
    __match_args__ = ()
    def __init__(self, *, id: str, name: typing.Optional[str], status: typing.Optional[str], reason: typing.Optional[str], tag: typing.Optional[str], quality: typing.Optional[str], timeout: typing.Optional[int], preview_url: typing.Optional[str], applies_template_quota: typing.Optional[bool], daily_quota: typing.Optional[int], remaining_quota: typing.Optional[int], params: typing.List[ZnsTemplateInfoParam], buttons: typing.List[ZnsTemplateButton]) -> None: ...


class PhoneFormat(enum.Enum):
    """How a phone number is written."""
    NATIONAL = 0
    INTERNATIONAL = 1
    E164 = 2


class Account:
    """A provider account. Its keys and token are [`Secret`]s: printing an account shows `***`
    in their place.
    """
    class ESMS(Account):
        """eSMS: the key pair every request carries."""
        api_key: Secret
        secret_key: Secret
        base_url: typing.Optional[str]
        __match_args__ = ()
        def __init__(self, api_key: Secret, secret_key: Secret, base_url: typing.Optional[str] = ...) -> None: ...
    class CARE_SOFT(Account):
        """CareSoft: tenant, token and SMS service."""
        domain: str
        api_token: Secret
        service_id: int
        base_url: typing.Optional[str]
        __match_args__ = ()
        def __init__(self, domain: str, api_token: Secret, service_id: int, base_url: typing.Optional[str] = ...) -> None: ...
    class INTER_ITS(Account):
        """InterITS: the API key."""
        api_key: Secret
        phone_format: typing.Optional[PhoneFormat]
        base_url: typing.Optional[str]
        dedup_confirmed: bool
        __match_args__ = ()
        def __init__(self, api_key: Secret, phone_format: typing.Optional[PhoneFormat] = ..., base_url: typing.Optional[str] = ..., dedup_confirmed: bool = ...) -> None: ...
    def is_ESMS(self) -> bool: ...
    def is_esms(self) -> bool: ...
    def is_CARE_SOFT(self) -> bool: ...
    def is_care_soft(self) -> bool: ...
    def is_INTER_ITS(self) -> bool: ...
    def is_inter_its(self) -> bool: ...


class CodeCheck(enum.Enum):
    """The verdict of an eSMS code check."""
    VALID = 0
    INVALID = 1


class ZnsTemplateKind(enum.Enum):
    """Which ZNS templates to list."""
    PRIORITY = 0
    NORMAL = 1


class EsmsLookup:
    """An eSMS lookup around ZNS (read-only)."""
    class ZNS_TEMPLATES(EsmsLookup):
        """The ZNS templates of an OA, with their parameters in order."""
        oa_id: str
        kind: ZnsTemplateKind
        __match_args__ = ()
        def __init__(self, oa_id: str, kind: ZnsTemplateKind) -> None: ...
    class ZNS_TEMPLATE_INFO(EsmsLookup):
        """One template's details."""
        oa_id: str
        template_id: str
        __match_args__ = ()
        def __init__(self, oa_id: str, template_id: str) -> None: ...
    class ZALO_OAS(EsmsLookup):
        """The OAs of the account."""
        __match_args__ = ()
        def __init__(self) -> None: ...
    class ZNS_QUOTA(EsmsLookup):
        """An OA's daily quota."""
        oa_id: str
        __match_args__ = ()
        def __init__(self, oa_id: str) -> None: ...
    class ZNS_STATUS(EsmsLookup):
        """Zalo's status of a ZNS by its SMSID."""
        sms_id: str
        kind: ZnsTemplateKind
        __match_args__ = ()
        def __init__(self, sms_id: str, kind: ZnsTemplateKind) -> None: ...
    class ZALO_MESSAGE_STATUS(EsmsLookup):
        """Handset delivery by Zalo's message id."""
        oa_id: str
        message_id: str
        __match_args__ = ()
        def __init__(self, oa_id: str, message_id: str) -> None: ...
    class BRANDNAMES(EsmsLookup):
        """The registered brandnames."""
        __match_args__ = ()
        def __init__(self) -> None: ...
    def is_ZNS_TEMPLATES(self) -> bool: ...
    def is_zns_templates(self) -> bool: ...
    def is_ZNS_TEMPLATE_INFO(self) -> bool: ...
    def is_zns_template_info(self) -> bool: ...
    def is_ZALO_OAS(self) -> bool: ...
    def is_zalo_oas(self) -> bool: ...
    def is_ZNS_QUOTA(self) -> bool: ...
    def is_zns_quota(self) -> bool: ...
    def is_ZNS_STATUS(self) -> bool: ...
    def is_zns_status(self) -> bool: ...
    def is_ZALO_MESSAGE_STATUS(self) -> bool: ...
    def is_zalo_message_status(self) -> bool: ...
    def is_BRANDNAMES(self) -> bool: ...
    def is_brandnames(self) -> bool: ...


class EsmsLookupAnswer:
    """What an eSMS lookup found."""
    class ZNS_TEMPLATES(EsmsLookupAnswer):
        """Templates."""
        templates: typing.List[ZnsTemplate]
        __match_args__ = ()
        def __init__(self, templates: typing.List[ZnsTemplate]) -> None: ...
    class ZNS_TEMPLATE_INFO(EsmsLookupAnswer):
        """One template's details."""
        info: ZnsTemplateInfo
        __match_args__ = ()
        def __init__(self, info: ZnsTemplateInfo) -> None: ...
    class ZALO_OAS(EsmsLookupAnswer):
        """OAs."""
        oas: typing.List[ZaloOa]
        __match_args__ = ()
        def __init__(self, oas: typing.List[ZaloOa]) -> None: ...
    class ZNS_QUOTA(EsmsLookupAnswer):
        """A quota."""
        quota: ZnsQuota
        __match_args__ = ()
        def __init__(self, quota: ZnsQuota) -> None: ...
    class ZNS_STATUS(EsmsLookupAnswer):
        """A ZNS's status."""
        status: ZnsStatus
        __match_args__ = ()
        def __init__(self, status: ZnsStatus) -> None: ...
    class ZALO_MESSAGE_STATUS(EsmsLookupAnswer):
        """Handset delivery."""
        status: ZaloMessageStatus
        __match_args__ = ()
        def __init__(self, status: ZaloMessageStatus) -> None: ...
    class BRANDNAMES(EsmsLookupAnswer):
        """Brandnames."""
        brandnames: typing.List[Brandname]
        __match_args__ = ()
        def __init__(self, brandnames: typing.List[Brandname]) -> None: ...
    def is_ZNS_TEMPLATES(self) -> bool: ...
    def is_zns_templates(self) -> bool: ...
    def is_ZNS_TEMPLATE_INFO(self) -> bool: ...
    def is_zns_template_info(self) -> bool: ...
    def is_ZALO_OAS(self) -> bool: ...
    def is_zalo_oas(self) -> bool: ...
    def is_ZNS_QUOTA(self) -> bool: ...
    def is_zns_quota(self) -> bool: ...
    def is_ZNS_STATUS(self) -> bool: ...
    def is_zns_status(self) -> bool: ...
    def is_ZALO_MESSAGE_STATUS(self) -> bool: ...
    def is_zalo_message_status(self) -> bool: ...
    def is_BRANDNAMES(self) -> bool: ...
    def is_brandnames(self) -> bool: ...


class SendStep:
    """What to do next in a send."""
    class TRANSMIT(SendStep):
        """Send exactly this request (every attempt is the same bytes; it holds the real keys: log
        only `redacted_url`), then report with `on_response` or `on_failure` before polling again.
        """
        request: HttpRequest
        attempt: int
        __match_args__ = ()
        def __init__(self, request: HttpRequest, attempt: int) -> None: ...
    class WAIT(SendStep):
        """Poll again at this instant (ms since the Unix epoch): backoff, `Retry-After`, pacing."""
        until_ms: int
        __match_args__ = ()
        def __init__(self, until_ms: int) -> None: ...
    class DONE(SendStep):
        """The provider answered and the send is over: `result.status` is `Accepted` (with the
        receipt) or `AlreadySubmitted` (not a success: see `SendStatus`). Polling again repeats
        it. A send that failed raises its `NhantinError` from `poll` instead, as `Client.send` does.
        """
        result: SendResult
        __match_args__ = ()
        def __init__(self, result: SendResult) -> None: ...
    def is_TRANSMIT(self) -> bool: ...
    def is_transmit(self) -> bool: ...
    def is_WAIT(self) -> bool: ...
    def is_wait(self) -> bool: ...
    def is_DONE(self) -> bool: ...
    def is_done(self) -> bool: ...


class AccountStateProtocol(typing.Protocol):
    """What one provider account remembers between sends: CareSoft's pacing window and its
    lock-out. Keep one per account, for as long as you send to it, and give it to every
    `SendMachine` call of that account. Safe to share between threads (calls lock it).
    """
    def locked_until_ms(self, now_ms: int) -> typing.Optional[int]:
        """When the current lock-out ends (ms since the Unix epoch), if one is in force at `now_ms`."""
        ...


class AccountState(AccountStateProtocol):
    """What one provider account remembers between sends: CareSoft's pacing window and its
    lock-out. Keep one per account, for as long as you send to it, and give it to every
    `SendMachine` call of that account. Safe to share between threads (calls lock it).
    """
    def __init__(self) -> None:
        """A fresh state: nothing sent, not locked out."""
        ...
    def __del__(self) -> None: ...
    def locked_until_ms(self, now_ms: int) -> typing.Optional[int]:
        """When the current lock-out ends (ms since the Unix epoch), if one is in force at `now_ms`."""
        ...
    def __copy__(self) -> typing.NoReturn: ...
    def __deepcopy__(self, memo: typing.Any) -> typing.NoReturn: ...


class ClientProtocol(typing.Protocol):
    """Sends messages for one provider account. Safe to share between threads; create one per
    account and keep it (it holds the connection pool).
    """
    def balance(self) -> Balance:
        """The eSMS account balance."""
        ...
    def check_generated_otp(self, phone: str, code: str) -> CodeCheck:
        """Whether `code` is the one eSMS generated and sent to `phone` (after a `GeneratedOtp`
        send). Checking may use the code up: an attempt that may have arrived is not repeated,
        and that is `OutcomeUnknown`.
        """
        ...
    async def check_generated_otp_async(self, phone: str, code: str) -> CodeCheck:
        """`check_generated_otp`, awaited."""
        ...
    def esms_lookup(self, lookup: EsmsLookup) -> EsmsLookupAnswer:
        """An eSMS lookup around ZNS: templates, a template's details, OAs, quota, a ZNS's Zalo
        status, brandnames. Read-only, so resent freely.
        """
        ...
    async def esms_lookup_async(self, lookup: EsmsLookup) -> EsmsLookupAnswer:
        """`esms_lookup`, awaited."""
        ...
    def interits_zns_message(self, oa_id: str, msg_id: str) -> InterItsZnsMessage:
        """InterITS: what it knows of a ZNS sent through `oa_id`, by the reference its send
        returned (InterITS pushes no ZNS delivery report: poll this). Read-only.
        """
        ...
    def receiver_status(self, sms_id: str) -> typing.List[ReceiverStatus]:
        """Per-recipient results of an eSMS message (last 7 days)."""
        ...
    def reconcile(self, message: Message, unknown: UnknownSend, margin_ms: typing.Optional[int]) -> typing.List[RecipientVerdict]:
        """Asks eSMS whether a send that ended in `OutcomeUnknown` got through: `unknown` is that
        error's `unknown`, `message` the same message. Reads eSMS's records of the window around
        the attempts and answers per recipient, in the message's order. Waits until `margin_ms`
        (default 5 minutes) after the last attempt, so that a late filing is not missed.
        """
        ...
    def resend(self, message: Message, resend: SafeResend) -> SendResult:
        """Resends a message whose send failed with `OutcomeUnknown`, with the `resend` that error
        carried: the same request id, so the provider de-duplicates and the message cannot arrive
        twice. Refused (nothing sent) once the window has closed or when the message names
        another id.
        """
        ...
    def send(self, message: Message) -> SendResult:
        """Sends one message; retries only where a resend cannot duplicate it."""
        ...
    async def send_async(self, message: Message) -> SendResult:
        """`send`, awaited."""
        ...
    def send_bulk(self, message: Message) -> typing.List[BatchResult]:
        """Sends an advertising message to any number of recipients in batches of at most 5000
        whose ids name their recipients; every batch is reported with its class, and a failed
        batch does not stop the others. A rerun of the same message reproduces every batch id.
        """
        ...
    async def send_bulk_async(self, message: Message) -> typing.List[BatchResult]:
        """`send_bulk`, awaited."""
        ...
    def send_status(self, sms_id: str) -> SendStatusReport:
        """The status of an eSMS message (last 7 days)."""
        ...


class Client(ClientProtocol):
    """Sends messages for one provider account. Safe to share between threads; create one per
    account and keep it (it holds the connection pool).
    """
    def __init__(self, account: Account, options: ClientOptions) -> None:
        """Validates the account and builds the client. Plain-http base URLs are refused unless
        `options.allow_insecure_http` is set.
        """
        ...
    def __del__(self) -> None: ...
    def balance(self) -> Balance:
        """The eSMS account balance."""
        ...
    def check_generated_otp(self, phone: str, code: str) -> CodeCheck:
        """Whether `code` is the one eSMS generated and sent to `phone` (after a `GeneratedOtp`
        send). Checking may use the code up: an attempt that may have arrived is not repeated,
        and that is `OutcomeUnknown`.
        """
        ...
    async def check_generated_otp_async(self, phone: str, code: str) -> CodeCheck:
        """`check_generated_otp`, awaited."""
        ...
    def esms_lookup(self, lookup: EsmsLookup) -> EsmsLookupAnswer:
        """An eSMS lookup around ZNS: templates, a template's details, OAs, quota, a ZNS's Zalo
        status, brandnames. Read-only, so resent freely.
        """
        ...
    async def esms_lookup_async(self, lookup: EsmsLookup) -> EsmsLookupAnswer:
        """`esms_lookup`, awaited."""
        ...
    def interits_zns_message(self, oa_id: str, msg_id: str) -> InterItsZnsMessage:
        """InterITS: what it knows of a ZNS sent through `oa_id`, by the reference its send
        returned (InterITS pushes no ZNS delivery report: poll this). Read-only.
        """
        ...
    def receiver_status(self, sms_id: str) -> typing.List[ReceiverStatus]:
        """Per-recipient results of an eSMS message (last 7 days)."""
        ...
    def reconcile(self, message: Message, unknown: UnknownSend, margin_ms: typing.Optional[int]) -> typing.List[RecipientVerdict]:
        """Asks eSMS whether a send that ended in `OutcomeUnknown` got through: `unknown` is that
        error's `unknown`, `message` the same message. Reads eSMS's records of the window around
        the attempts and answers per recipient, in the message's order. Waits until `margin_ms`
        (default 5 minutes) after the last attempt, so that a late filing is not missed.
        """
        ...
    def resend(self, message: Message, resend: SafeResend) -> SendResult:
        """Resends a message whose send failed with `OutcomeUnknown`, with the `resend` that error
        carried: the same request id, so the provider de-duplicates and the message cannot arrive
        twice. Refused (nothing sent) once the window has closed or when the message names
        another id.
        """
        ...
    def send(self, message: Message) -> SendResult:
        """Sends one message; retries only where a resend cannot duplicate it."""
        ...
    async def send_async(self, message: Message) -> SendResult:
        """`send`, awaited."""
        ...
    def send_bulk(self, message: Message) -> typing.List[BatchResult]:
        """Sends an advertising message to any number of recipients in batches of at most 5000
        whose ids name their recipients; every batch is reported with its class, and a failed
        batch does not stop the others. A rerun of the same message reproduces every batch id.
        """
        ...
    async def send_bulk_async(self, message: Message) -> typing.List[BatchResult]:
        """`send_bulk`, awaited."""
        ...
    def send_status(self, sms_id: str) -> SendStatusReport:
        """The status of an eSMS message (last 7 days)."""
        ...
    def __copy__(self) -> Client: ...
    def __deepcopy__(self, memo: typing.Any) -> Client: ...


class Logger:
    """Receives nhantin's log records. Called on whichever thread logged, possibly several at
    once; keep it quick. A record logged while it runs on the same thread is dropped.
    """
    def log(self, record: LogRecord) -> None:
        """One record."""
        ...


class LoggerImpl(Logger):
    """Receives nhantin's log records. Called on whichever thread logged, possibly several at
    once; keep it quick. A record logged while it runs on the same thread is dropped.
    """
    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None: ...
    def __del__(self) -> None: ...
    def log(self, record: LogRecord) -> None:
        """One record."""
        ...
    def __copy__(self) -> typing.NoReturn: ...
    def __deepcopy__(self, memo: typing.Any) -> typing.NoReturn: ...


class SendMachineProtocol(typing.Protocol):
    """One send of one message, from its first attempt to its typed end, without any I/O: the
    protocol of `Client.send`, driven by your HTTP client and your clock (`now_ms`: milliseconds
    since the Unix epoch, wall clock).

    Drive it in a loop. `step = machine.poll(state, now_ms)` raises the send's `NhantinError`
    when it failed, exactly as `Client.send` would. On `Transmit`, send `step.request` and report
    `machine.on_response(state, now_ms, response)`, or with no HTTP answer
    `machine.on_failure(state, now_ms, maybe_sent, cause)`. On `Wait`, sleep until
    `step.until_ms`. `Done` carries the `SendResult`.

    Calls on one machine are serialized; drive each machine from one loop.
    """
    def attempts(self) -> int:
        """Attempts handed out so far."""
        ...
    def on_failure(self, state: AccountState, now_ms: int, maybe_sent: bool, cause: str) -> None:
        """Reports that the last transmit got no HTTP answer. `maybe_sent` is false only when no
        connection was made (refused, DNS, TLS handshake, connect timeout); anything later (a
        read timeout, a reset, a broken-off answer) may have reached the provider. `cause` says
        what happened in a few words; keep the URL out of it (it carries phone numbers and keys;
        what of the request it quotes anyway is masked in the error).
        Raises `WrongState` (and changes nothing) when no transmit is outstanding.
        """
        ...
    def on_response(self, state: AccountState, now_ms: int, response: HttpResponse) -> None:
        """Reports the HTTP answer to the last transmit. Cap what you read (`Client` stops at
        1 MiB); an answer that broke off or was too large is a failure with `maybe_sent` true.
        Raises `WrongState` (and changes nothing) when no transmit is outstanding.
        """
        ...
    def poll(self, state: AccountState, now_ms: int) -> SendStep:
        """What to do next at `now_ms`. Raises the send's `NhantinError` when it ended without the
        provider's answer in hand (`OutcomeUnknown` with its `resend`, `Transport`, `Rejected`,
        …), exactly as `Client.send` would have; `WrongState` when the last transmit has not
        been reported.
        """
        ...
    def request_id(self) -> typing.Optional[str]:
        """The request id every attempt carries (store it with the message before the first
        transmit: an unknown outcome is reconciled and resent by it); absent for CareSoft.
        """
        ...


class SendMachine(SendMachineProtocol):
    """One send of one message, from its first attempt to its typed end, without any I/O: the
    protocol of `Client.send`, driven by your HTTP client and your clock (`now_ms`: milliseconds
    since the Unix epoch, wall clock).

    Drive it in a loop. `step = machine.poll(state, now_ms)` raises the send's `NhantinError`
    when it failed, exactly as `Client.send` would. On `Transmit`, send `step.request` and report
    `machine.on_response(state, now_ms, response)`, or with no HTTP answer
    `machine.on_failure(state, now_ms, maybe_sent, cause)`. On `Wait`, sleep until
    `step.until_ms`. `Done` carries the `SendResult`.

    Calls on one machine are serialized; drive each machine from one loop.
    """
    def __init__(self, account: Account, message: Message, now_ms: int, fresh_request_id: typing.Optional[str] = ..., policy: typing.Optional[SendPolicy] = ...) -> None:
        """Validates and encodes `message` for `account` and starts its send; nothing is sent.
        `fresh_request_id` is the idempotency key used when the message has no `request_id` and
        the provider takes one (eSMS, InterITS); one is generated (`nt-…`) when absent. `policy`
        defaults to `Client.send`'s. Invalid input raises here, before anything could be sent.
        """
        ...
    @classmethod
    def resend(cls, account: Account, message: Message, resend: SafeResend, now_ms: int, policy: typing.Optional[SendPolicy] = ...) -> SendMachine:
        """The one resend of an unknown outcome that cannot deliver the message twice: `resend` is
        the `OutcomeUnknown` error's, `message` the same message (its `request_id` absent or the
        same). Raises `InvalidInput` (nothing can be sent) once `now_ms` is past the window
        (`resend.until_ms`) or when the message names another id. An "already used" answer then
        ends as `AlreadySubmitted`: the first send got through.
        """
        ...
    def __del__(self) -> None: ...
    def attempts(self) -> int:
        """Attempts handed out so far."""
        ...
    def on_failure(self, state: AccountState, now_ms: int, maybe_sent: bool, cause: str) -> None:
        """Reports that the last transmit got no HTTP answer. `maybe_sent` is false only when no
        connection was made (refused, DNS, TLS handshake, connect timeout); anything later (a
        read timeout, a reset, a broken-off answer) may have reached the provider. `cause` says
        what happened in a few words; keep the URL out of it (it carries phone numbers and keys;
        what of the request it quotes anyway is masked in the error).
        Raises `WrongState` (and changes nothing) when no transmit is outstanding.
        """
        ...
    def on_response(self, state: AccountState, now_ms: int, response: HttpResponse) -> None:
        """Reports the HTTP answer to the last transmit. Cap what you read (`Client` stops at
        1 MiB); an answer that broke off or was too large is a failure with `maybe_sent` true.
        Raises `WrongState` (and changes nothing) when no transmit is outstanding.
        """
        ...
    def poll(self, state: AccountState, now_ms: int) -> SendStep:
        """What to do next at `now_ms`. Raises the send's `NhantinError` when it ended without the
        provider's answer in hand (`OutcomeUnknown` with its `resend`, `Transport`, `Rejected`,
        …), exactly as `Client.send` would have; `WrongState` when the last transmit has not
        been reported.
        """
        ...
    def request_id(self) -> typing.Optional[str]:
        """The request id every attempt carries (store it with the message before the first
        transmit: an unknown outcome is reconciled and resent by it); absent for CareSoft.
        """
        ...
    def __copy__(self) -> typing.NoReturn: ...
    def __deepcopy__(self, memo: typing.Any) -> typing.NoReturn: ...


def analyze_text(text: str) -> TextAnalysis:
    """Encoding, length and segment count of a text."""
    ...


def check_zns_params(template: ZnsTemplate, message: Message) -> typing.List[ZnsParam]:
    """Checks a ZNS message's parameters against a fetched template (names, count, lengths,
    number and date types), as eSMS would before answering 790; gives them in the template's
    order. The message must be a ZNS.
    """
    ...


def decode_balance(response: HttpResponse) -> Balance:
    """Decodes `GetBalance_json`."""
    ...


def decode_check_code(response: HttpResponse) -> CodeCheck:
    """Decodes `CheckCodeGen_V4_get`: `Valid`, or `Invalid` (used, expired or not this phone's)."""
    ...


def decode_esms_lookup(lookup: EsmsLookup, response: HttpResponse) -> EsmsLookupAnswer:
    """Decodes the answer to an eSMS lookup."""
    ...


def decode_interits_zns_message(response: HttpResponse) -> InterItsZnsMessage:
    """Decodes InterITS `message-detail`."""
    ...


def decode_receiver_status(response: HttpResponse) -> typing.List[ReceiverStatus]:
    """Decodes `GetSmsReceiverStatus_get`."""
    ...


def decode_send(provider: Provider, response: HttpResponse) -> Receipt:
    """Decodes the answer to a send."""
    ...


def decode_send_status(response: HttpResponse) -> SendStatusReport:
    """Decodes `GetSendStatus`."""
    ...


def decode_sent_data(response: HttpResponse) -> SentDataPage:
    """Decodes `GetSmsSentData_V2`."""
    ...


def decode_zns_templates(response: HttpResponse) -> typing.List[ZnsTemplate]:
    """Decodes `GetTemplate/`."""
    ...


def encode_balance(account: Account) -> HttpRequest:
    """The eSMS `GetBalance_json` request."""
    ...


def encode_check_code(account: Account, phone: str, code: str) -> HttpRequest:
    """The eSMS `CheckCodeGen_V4_get` request: is `code` the one eSMS generated and sent to
    `phone`? Checking may use the code up: never resend it by yourself once it may have arrived.
    """
    ...


def encode_esms_lookup(account: Account, lookup: EsmsLookup) -> HttpRequest:
    """The request of an eSMS lookup (templates, a template's details, OAs, quota, Zalo status,
    brandnames). Read-only.
    """
    ...


def encode_interits_zns_message(account: Account, oa_id: str, msg_id: str) -> HttpRequest:
    """The InterITS `message-detail` request: what InterITS knows of a ZNS sent through `oa_id`,
    by the reference its send returned. Read-only.
    """
    ...


def encode_receiver_status(account: Account, sms_id: str) -> HttpRequest:
    """The eSMS `GetSmsReceiverStatus_get` request."""
    ...


def encode_send(account: Account, message: Message, now: str) -> HttpRequest:
    """The exact request a send would make, validated against `now` (RFC 3339). eSMS and InterITS
    need `message.request_id`: it is the idempotency key.
    """
    ...


def encode_send_status(account: Account, sms_id: str) -> HttpRequest:
    """The eSMS `GetSendStatus` request."""
    ...


def encode_sent_data(account: Account, window: SentDataWindow) -> HttpRequest:
    """The eSMS `GetSmsSentData_V2` request (what eSMS sent in a window, for reconciliation)."""
    ...


def encode_zns_templates(account: Account, oa_id: str, kind: ZnsTemplateKind) -> HttpRequest:
    """The eSMS `GetTemplate/` request for an OA's ZNS templates."""
    ...


def generate_request_id() -> str:
    """A fresh request id (`nt-` and 32 hex digits of a random UUID), the form `Client.send`
    generates: store it with the message before sending, so an unknown outcome can always be
    reconciled.
    """
    ...


def mask_phones(text: str) -> str:
    """`text` with what looks like a phone number masked as nhantin masks it in its logs and errors:
    in every run of seven or more digits, all but the first three and the last three become `*`
    (`0912345678` → `091****678`). The bindings' printing of records uses it, so the rule is one.
    """
    ...


def normalize_phone(input: str) -> PhoneInfo:
    """Normalises a Vietnamese mobile number; legacy 11-digit numbers are refused with the new one."""
    ...


def parse_delivery_report(query: str) -> DeliveryReport:
    """Decodes an eSMS delivery report from its callback URL or query string. Never fails: unknown
    or unreadable parameters are kept in `extra`.
    """
    ...


def parse_interits_callback(body: bytes) -> InterItsCallback:
    """Decodes an InterITS callback body."""
    ...


def set_logger(logger: typing.Optional[Logger], level: LogLevel) -> None:
    """Sends nhantin's records at `level` and above to `logger`; `None` turns logging off (the
    default: then it costs nothing). Replaces any logger set before.
    """
    ...


def strip_diacritics(text: str) -> str:
    """Removes Vietnamese diacritics (every tone mark, đ/Đ)."""
    ...


def version() -> str:
    """The library version (`0.1.0`)."""
    ...
