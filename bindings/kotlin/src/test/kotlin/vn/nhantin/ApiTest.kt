package vn.nhantin

import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The library loads with matching checksums, and the helpers, records and objects behave as documented. */
class ApiTest {
    @Test
    fun `the loaded library matches these bindings`() {
        // UniFFI 0.32's Kotlin checks the contract version and the API checksums only here
        // (TOOLCHAIN pitfall 3): a stale libnhantin.so throws instead of misbehaving later.
        uniffiEnsureInitialized()
    }

    @Test
    fun `version is the package version`() {
        assertEquals(Settings.expectedVersion, version())
        assertEquals("0.1.0", version())
    }

    @Test
    fun `phone numbers are normalised`() {
        assertEquals(
            PhoneInfo(national = "0912345678", international = "84912345678", e164 = "+84912345678", masked = "091****678", carrier = Carrier.VINAPHONE),
            normalizePhone("(+84) 91 234 5678"),
        )
        val legacy = assertFailsWith<NhantinException.InvalidInput> { normalizePhone("0166 234 5678") }
        assertEquals("phone", legacy.field)
        assertTrue(legacy.reason.contains("036****678"), "the new number is named: ${legacy.reason}")
        assertIs<Exception>(legacy, "an ordinary exception for callers")
    }

    @Test
    fun `text is analysed and stripped`() {
        assertEquals(TextAnalysis(encoding = Encoding.UCS2, characters = 24uL, units = 24uL, segments = 1uL), analyzeText("Mã OTP của bạn là 123456"))
        assertEquals(TextAnalysis(encoding = Encoding.GSM7, characters = 161uL, units = 161uL, segments = 2uL), analyzeText("a".repeat(161)))
        assertEquals("Da Nang, Hue", stripDiacritics("Đà Nẵng, Huế"))
    }

    @Test
    fun `callbacks are parsed`() {
        val report = parseDeliveryReport("SMSID=ab12&SendStatus=5&TypeId=2&telcoid=1&phonenumber=0901888484&NewParam=x%20y")
        assertEquals("ab12", report.smsId)
        assertEquals(5L, report.sendStatus)
        assertEquals(2L, report.smsType)
        assertEquals(Carrier.VIETTEL, report.telco)
        assertEquals(listOf(Parameter("NewParam", "x y")), report.extra)
        // Never fails: what cannot be read is kept.
        assertNull(parseDeliveryReport("&&=%zz").smsId)

        val callback = parseInteritsCallback("""{"msisdn":"84901234567","requestId":"ord-1","status":1}""".toByteArray())
        assertEquals("ord-1", callback.requestId)
        assertEquals(1L, callback.status)
        assertFailsWith<NhantinException.InvalidInput> { parseInteritsCallback("not json".toByteArray()) }
    }

    @Test
    fun `requests carry their idempotency and a redacted url`() {
        val esms = Account.Esms(apiKey = Secret("KEY123"), secretKey = Secret("SECRET456"))
        val now = "2026-11-24T02:00:00Z"
        val get = encodeSend(esms, Message(listOf("0912345678"), sms(SmsPurpose.FIXED_NUMBER, "x"), requestId = "r-1", options = esmsFormat(EsmsFormat.GET)), now)
        assertEquals("GET", get.method)
        assertTrue(get.url.contains("SECRET456"), "the GET form carries the keys in the URL")
        assertFalse(get.redactedUrl.contains("SECRET456"), get.redactedUrl)
        assertFalse(get.redactedUrl.contains("KEY123"), get.redactedUrl)
        assertEquals("r-1", get.idempotencyKey)
        assertTrue(get.idempotent)

        val caresoft = Account.CareSoft(domain = "khachhang01", apiToken = Secret("tok"), serviceId = 12uL)
        // Only the recipients and the content (an SMS: its purpose and text) are required; the
        // rest take their UniFFI defaults.
        val post = encodeSend(caresoft, Message(listOf("0980000000"), Content.Sms(Sms(SmsPurpose.CUSTOMER_CARE, "x"))), now)
        assertEquals("POST", post.method)
        assertNull(post.idempotencyKey)
        assertFalse(post.idempotent, "a CareSoft send must never be resent once it may have arrived")

        val notEsms = assertFailsWith<NhantinException.InvalidInput> { encodeBalance(caresoft) }
        assertEquals("account", notEsms.field)
    }

    @Test
    fun `invalid input names the field`() {
        val interits = Account.InterIts(apiKey = Secret("k"))
        val message = Message(listOf("0901234567"), sms(SmsPurpose.OTP, "x", sender = "NHANTIN"), requestId = "i-1")
        val ext = assertFailsWith<NhantinException.InvalidInput> {
            encodeSend(interits, message.copy(options = ProviderOptions.InterIts(InterItsOptions(ext = "[1, 2]"))), "2026-11-24T02:00:00Z")
        }
        assertEquals("options.interits.ext", ext.field)
        val now = assertFailsWith<NhantinException.InvalidInput> { encodeSend(interits, message, "yesterday") }
        assertEquals("now", now.field)
        val phone = assertFailsWith<NhantinException.InvalidInput> {
            encodeSend(interits, message.copy(recipients = listOf("0901234567", "12")), "2026-11-24T02:00:00Z")
        }
        assertEquals("recipients[1]", phone.field)
    }

    @Test
    fun `what the account's provider cannot carry is refused by its field`() {
        val now = "2026-11-24T02:00:00Z"
        val interits = Account.InterIts(apiKey = Secret("k"))
        val esms = Account.Esms(apiKey = Secret("k"), secretKey = Secret("s"))
        val otp = Message(listOf("0901234567"), sms(SmsPurpose.OTP, "x", sender = "NHANTIN"), requestId = "i-1")
        // The options of another provider.
        val foreign = assertFailsWith<NhantinException.InvalidInput> { encodeSend(interits, otp.copy(options = esmsFormat(EsmsFormat.XML)), now) }
        assertEquals("options.esms", foreign.field)
        val caresoftOnEsms = assertFailsWith<NhantinException.InvalidInput> {
            encodeSend(esms, otp.copy(options = ProviderOptions.CareSoft(CareSoftOptions(ticketId = 5uL))), now)
        }
        assertEquals("options.caresoft", caresoftOnEsms.field)
        // A channel the provider does not have: Viber is eSMS's only.
        val viber = otp.copy(content = Content.Viber(Viber(text = "x", sender = "NHANTIN")))
        assertEquals("content", assertFailsWith<NhantinException.InvalidInput> { encodeSend(interits, viber, now) }.field)
        assertTrue(encodeSend(esms, viber, now).url.endsWith("/Send_Multiple_Sms_OTT/"), "eSMS sends it as Viber")
        // A Viber image can no longer be put on an SMS: Sms has no such field. The layouts a
        // Viber record can hold but eSMS does not allow are refused by the provider.
        val imageNoButton = Content.Viber(Viber(text = "x", imageUrl = "https://cdn.example.vn/a.png", sender = "NHANTIN"))
        assertEquals("viber", assertFailsWith<NhantinException.InvalidInput> { encodeSend(esms, otp.copy(content = imageNoButton), now) }.field)
        val empty = assertFailsWith<NhantinException.InvalidInput> { encodeSend(esms, otp.copy(content = Content.Viber(Viber(sender = "NHANTIN"))), now) }
        assertEquals("viber.text", empty.field)
    }

    @Test
    fun `a ZNS is built with named fields and eSMS picks its endpoint by znsVersion`() {
        val now = "2026-11-24T02:00:00Z"
        val esms = Account.Esms(apiKey = Secret("K"), secretKey = Secret("S"))
        // Each Content and ProviderOptions variant has one field, named after its JSON tag.
        val otp = Zns(oaId = "1234567890123456789", templateId = "301122", params = listOf(ZnsParam(name = "otp", value = "482913")))
        val zns = Message(recipients = listOf("0912345678"), content = Content.Zns(zns = otp), requestId = "otp-7781")
        fun version(v: EsmsZnsVersion) = zns.copy(options = ProviderOptions.Esms(esms = EsmsOptions(znsVersion = v)))
        assertTrue(encodeSend(esms, zns, now).url.endsWith("/SendZaloMessage_V6/"), "V6 when absent")
        assertTrue(encodeSend(esms, version(EsmsZnsVersion.V6), now).url.endsWith("/SendZaloMessage_V6/"))
        val v5 = encodeSend(esms, version(EsmsZnsVersion.V5), now)
        assertTrue(v5.url.endsWith("/SendZaloMessage_V5_post/"), v5.url)
        assertTrue(v5.body.toString(Charsets.UTF_8).contains("\"TempData\":[{\"key\":\"otp\",\"value\":\"482913\"}]"), v5.body.toString(Charsets.UTF_8))
        val v4 = encodeSend(esms, version(EsmsZnsVersion.V4), now)
        assertTrue(v4.url.endsWith("/SendZaloMessage_V4_post_json/"), v4.url)
        assertTrue(v4.body.toString(Charsets.UTF_8).contains("\"Params\":[\"482913\"]"), v4.body.toString(Charsets.UTF_8))
        // What the provider cannot carry is refused by its field, before anything is sent.
        val noOa = assertFailsWith<NhantinException.InvalidInput> {
            encodeSend(esms, zns.copy(content = Content.Zns(zns = otp.copy(oaId = null))), now)
        }
        assertEquals("zns.oa_id", noOa.field)
        val interits = Account.InterIts(apiKey = Secret("k"))
        val hashed = zns.copy(content = Content.Zns(zns = otp.copy(hashPhone = true)))
        assertEquals("zns", assertFailsWith<NhantinException.InvalidInput> { encodeSend(interits, hashed, now) }.field)
    }

    @Test
    fun `the vectors' rejection names cover every Rejection`() {
        // A Rejection added in Rust without a name here would fail only once a vector used it.
        assertEquals(Rejection.values().toSet(), REJECTIONS.values.toSet())
        assertEquals(REJECTIONS.size, REJECTIONS.values.toSet().size, "one name per Rejection")
    }

    @Test
    fun `client options default to the documented values`() {
        assertEquals(
            ClientOptions(connectTimeoutMs = 10_000uL, requestTimeoutMs = 30_000uL, maxAttempts = 4u, totalDeadlineMs = 60_000uL, allowInsecureHttp = false, proxy = null),
            ClientOptions(),
        )
    }

    @Test
    fun `use closes the client`() {
        // Building a client opens no connection; the production https URL is fine here.
        val client = Client(Account.Esms(apiKey = Secret("k"), secretKey = Secret("s")), ClientOptions())
        client.use { assertFalse(it.uniffiIsDestroyed) }
        assertTrue(client.uniffiIsDestroyed)
        assertFailsWith<IllegalStateException> { client.balance() }
    }

    /**
     * A destroyed object passed to a call used to have its freed handle cloned: `Client` from a
     * destroyed `Account` killed the JVM (SIGSEGV), a closed `Secret` was read as garbage, and
     * `toString()` of an account whose secret was closed threw (tools/gen/src/kotlin_patch.rs).
     */
    @Test
    fun `a destroyed object passed to a call throws instead of touching freed memory`() {
        val account = Account.Esms(apiKey = Secret("TEST-API-KEY-0001"), secretKey = Secret("TEST-SECRET-0001"))
        Client(account, ClientOptions()).use { }
        account.destroy()
        repeat(3) {
            val e = assertFailsWith<IllegalStateException> { Client(account, ClientOptions()) }
            assertEquals("Secret object has already been destroyed", e.message)
        }
        val key = Secret("TEST-API-KEY-0002")
        key.close()
        assertFailsWith<IllegalStateException> { Client(Account.Esms(apiKey = key, secretKey = Secret("S-0002")), ClientOptions()) }
        assertEquals("***", key.toString())
        assertEquals("Esms(apiKey=***, secretKey=***, baseUrl=null)", Account.Esms(apiKey = key, secretKey = key).toString())
    }

    /** A delivery report logged with `println(report)` used to show the recipient's whole number. */
    @Test
    fun `a phone a provider reports back prints masked`() {
        val report = parseDeliveryReport("SMSID=a1&SendStatus=5&SendSuccess=1&SendFailed=0&TypeId=2&phonenumber=0912345678&leg=sms")
        assertEquals("0912345678", report.phone)
        val text = report.toString()
        assertTrue(text.startsWith("DeliveryReport(smsId=a1, ") && text.contains("phone=091****678") && text.contains("leg=SMS"), text)
        assertFalse(text.contains("0912345678"), text)
        val callback = parseInteritsCallback("""{"requestId":"r1","msisdn":"84912345678","status":1}""".toByteArray())
        assertEquals("84912345678", callback.msisdn)
        assertTrue(callback.toString().contains("msisdn=849*****678"), callback.toString())
        assertEquals(report, report.copy(), "equality is still the data class's")
    }
}
