package vn.nhantin

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JHttpRequest
import java.net.http.HttpResponse as JHttpResponse
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The leak canary for Kotlin, like the Rust ones (transport/tests/canary.rs, cli/tests/canary.rs):
 * recognisable keys, a phone number and a message text go through every send, encode-error and
 * fault path, and no exception (`toString()`, `message`, stack trace), `toString()` of an
 * account, result or error, or `redactedUrl` may show them (phones only masked, the text not at
 * all).
 *
 * Not checked, by decision: the `toString()` of the caller's own [Message] (a data class: it shows
 * its `recipients` and its content's `text`; it is checked for the keys only), and `step.request` /
 * [encodeSend]'s [HttpRequest] (the exact request to transmit, keys included by design;
 * `redactedUrl` is the form to log, and it is checked).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CanaryTest {
    private val key = "DEMO_ESMS_API_KEY"
    private val secret = "DEMO_ESMS_SECRET_KEY"
    private val phone = "0912345678"
    private val otp = "SECRET-OTP-778899"
    private val proxyPassword = "Pr0xyPassLEAK"
    private val canaries = listOf(
        key to "API key", secret to "secret key", proxyPassword to "proxy password",
        phone to "phone (national)", "84912345678" to "phone (international)", "912345678" to "phone digits",
        "778899" to "message text (the OTP)",
    )
    private val faults = listOf(
        null,
        """{"fault":"reset_before_read"}""",
        """{"fault":"reset_after_accept"}""",
        """{"fault":"status","status":503}""",
        """{"fault":"html_page"}""",
        """{"fault":"malformed_json"}""",
    )
    private val oneAttempt = ClientOptions(allowInsecureHttp = true, maxAttempts = 1u, requestTimeoutMs = 2000uL)

    private lateinit var emulator: Process
    private lateinit var urls: JsonObject
    private val http: HttpClient = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build()
    private var checked = 0

    // ---- what is looked at ----

    private fun clean(what: String, text: String) {
        checked++
        for ((canary, name) in canaries) {
            assertFalse(text.contains(canary), "$what shows the $name: $text")
        }
    }

    private fun shown(what: String, value: Any?) = clean("$what toString", value.toString())

    private fun error(what: String, e: Throwable) {
        shown(what, e)
        clean("$what message", e.message ?: "")
        clean("$what stack trace", e.stackTraceToString())
    }

    /** The caller's own message: its text and recipients are its fields; no key may be there. */
    private fun keysOnly(what: String, m: Message) {
        for ((canary, name) in canaries.take(3)) assertFalse(m.toString().contains(canary), "$what shows the $name: $m")
    }

    // ---- the emulator ----

    @BeforeAll
    fun startEmulator() {
        val bin = Settings.emulatorBinary
        assertTrue(bin.canExecute(), "$bin is not an executable; build it with `cargo build -p nhantin-cli` or set NHANTIN_BIN")
        emulator = ProcessBuilder(bin.path, "emulator", "--port", "0", "--stop-on-stdin-eof")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val stdout = emulator.inputStream.bufferedReader()
        val reader = Executors.newSingleThreadExecutor { r -> Thread(r, "canary-emulator-stdout").apply { isDaemon = true } }
        val line = try {
            reader.submit(Callable { stdout.readLine() }).get(30, TimeUnit.SECONDS)
        } catch (e: Exception) {
            emulator.destroyForcibly()
            fail("the emulator printed no address line within 30 s", e)
        } ?: fail("the emulator exited before printing its address")
        urls = JsonParser.parseString(line).asJsonObject
        reader.submit { stdout.lineSequence().forEach { _ -> } }
        reader.shutdown()
    }

    @AfterAll
    fun stopEmulator() {
        if (!::emulator.isInitialized) return
        emulator.outputStream.close()
        if (!emulator.waitFor(15, TimeUnit.SECONDS)) emulator.destroyForcibly()
    }

    private fun control(path: String, body: String) {
        val request = JHttpRequest.newBuilder(URI.create("${urls["base_url"].asString}/_emulator/$path"))
            .timeout(Duration.ofSeconds(10))
            .POST(JHttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build()
        val response = http.send(request, JHttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), "POST /_emulator/$path: ${response.body()}")
    }

    /** Resets the emulator, then queues [fault] (a JSON spec) [times] times. */
    private fun inject(fault: String?, times: Int = 1) {
        control("reset", "")
        if (fault != null) control("faults", fault.dropLast(1) + ""","times":$times}""")
    }

    private fun esms(baseUrl: String = urls["esms"].asString, apiKey: String = key, secretKey: String = secret) =
        Account.Esms(apiKey = Secret(apiKey), secretKey = Secret(secretKey), baseUrl = baseUrl)

    private fun messages() = listOf(
        "otp-json" to Message(listOf(phone), sms(SmsPurpose.OTP, otp, sender = "NHANTIN")),
        "fixed-get" to Message(listOf(phone), sms(SmsPurpose.FIXED_NUMBER, otp), options = esmsFormat(EsmsFormat.GET)),
        "care-xml" to Message(listOf(phone, "0987654321"), sms(SmsPurpose.CUSTOMER_CARE, otp, sender = "NHANTIN"), options = esmsFormat(EsmsFormat.XML)),
    )

    // ---- the client ----

    @Test
    fun `the client shows no key, phone or text under any fault`() {
        val account = esms()
        shown("account", account)
        val outcomes = mutableSetOf<String>()
        Client(account, oneAttempt).use { client ->
            shown("client", client)
            for ((name, message) in messages()) {
                keysOnly("$name message", message)
                for (fault in faults) {
                    val what = "$name under $fault"
                    inject(fault)
                    try {
                        val result = client.send(message)
                        shown("$what: result", result)
                        outcomes += result.status.name
                    } catch (e: NhantinException) {
                        error("$what: error", e)
                        outcomes += e.javaClass.simpleName
                        val resend = (e as? NhantinException.OutcomeUnknown)?.resend ?: continue
                        try {
                            val again = client.resend(message, resend)
                            shown("$what: resend result", again)
                            outcomes += again.status.name
                        } catch (e2: NhantinException) {
                            error("$what: resend error", e2)
                        }
                    }
                }
            }
            // Bulk: one batch fails under the fault, every batch is shown.
            val bulk = Message(listOf(phone) + (0 until 5001).map { "09%08d".format(10_000_000 + it) }, sms(SmsPurpose.ADVERTISING, otp, sender = "NHANTIN"),
                requestId = "kt-canary-bulk")
            for (fault in listOf("""{"fault":"status","status":503}""", """{"fault":"html_page"}""")) {
                inject(fault)
                val batches = client.sendBulk(bulk)
                assertEquals(2, batches.size)
                batches.forEach { b -> shown("bulk under $fault: batch", b); b.error?.let { error("bulk under $fault: batch error", it) } }
                assertTrue(batches.any { it.error != null }, "the fault failed one batch")
            }
        }
        assertTrue(outcomes.containsAll(listOf("ACCEPTED", "ALREADY_SUBMITTED", "OutcomeUnknown")), "$outcomes")
        assertTrue(checked > 150, "$checked surfaces")
    }

    // ---- refusals before anything is sent ----

    @Test
    fun `input errors show no key, phone or text`() {
        val account = esms()
        val refused = listOf(
            Message(listOf("0912345678x"), sms(SmsPurpose.OTP, otp, sender = "NHANTIN")),
            Message(listOf("01912345678"), sms(SmsPurpose.OTP, otp, sender = "NHANTIN")),
            Message(listOf("+84 912 345 678", "0912.345.678"), sms(SmsPurpose.OTP, otp, sender = "NHANTIN"), requestId = "kt-dup-1"),
            Message(listOf(phone, "+84912345678"), sms(SmsPurpose.OTP, otp, sender = "NHANTIN"), requestId = "kt-dup-2"),
            Message(listOf(phone), sms(SmsPurpose.OTP, otp, sender = "NHANTIN"), options = esmsFormat(EsmsFormat.GET)),
            Message(listOf(phone), sms(SmsPurpose.CUSTOMER_CARE, "$otp đồng", sender = "NHANTIN"), options = esmsFormat(EsmsFormat.XML), requestId = "kt-xml"),
            Message(listOf(phone), sms(SmsPurpose.OTP, otp, sender = "NHANTIN"), options = ProviderOptions.InterIts(InterItsOptions(ext = "[778899]"))),
            Message(listOf(phone), Content.Viber(Viber(text = otp, imageUrl = "http://cdn.example.vn/a.png", sender = "NHANTIN"))),
        )
        Client(account, oneAttempt).use { client ->
            for (m in refused) error("Client.send of a bad message", assertFailsWith<NhantinException> { client.send(m) })
        }
        var errors = 0
        val others = refused + listOf(
            Message(listOf("912345678"), sms(SmsPurpose.OTP, otp, sender = "NHANTIN")),
            Message(listOf(phone), sms(SmsPurpose.OTP, otp.repeat(40), sender = "NHANTIN"), requestId = "kt-long"),
            Message(listOf(phone), sms(SmsPurpose.ADVERTISING, "$otp đồng", sender = "NHANTIN")),
        )
        for (m in others) {
            for ((name, call) in listOf<Pair<String, () -> Any>>(
                "encodeSend" to { encodeSend(account, m, "2026-11-24T02:00:00Z") },
                "SendMachine" to { SendMachine(account, m, 1_780_000_000_000L) },
            )) {
                try {
                    call()
                } catch (e: NhantinException) {
                    error("$name of a bad message", e)
                    errors++
                }
            }
        }
        assertTrue(errors >= 2 * refused.size, "only $errors refusals")
        for (input in listOf("${phone}x", "01912345678", "0912345", otp)) {
            error("normalizePhone($input)", assertFailsWith<NhantinException> { normalizePhone(input) })
        }
        for (bad in listOf(esms(apiKey = "$key\n"), esms(apiKey = "", secretKey = "$secret \u0000"), esms(baseUrl = "ftp://esms.example.vn/"))) {
            shown("refused account", bad)
            try {
                Client(bad, oneAttempt).close()
            } catch (e: NhantinException) {
                error("refused account: error", e)
            }
        }
        for (proxy in listOf("http://erp:$proxyPassword@proxy.example.vn:3128", "http://erp:$proxyPassword@[::1")) {
            shown("options with a proxy", ClientOptions(allowInsecureHttp = true, proxy = Secret(proxy)))
            try {
                Client(account, ClientOptions(allowInsecureHttp = true, proxy = Secret(proxy))).use { shown("client with a proxy", it) }
            } catch (e: NhantinException) {
                error("proxy refused", e)
            }
        }
    }

    // ---- the send machine, with java.net.http ----

    /** Runs [machine] to its end; [careless] reports the exception with the URL as the cause. */
    private fun drive(machine: SendMachine, state: AccountState, careless: Boolean, what: String) {
        while (true) {
            val step = try {
                machine.poll(state, System.currentTimeMillis())
            } catch (e: NhantinException) {
                error("$what: error", e)
                return
            }
            when (step) {
                is SendStep.Transmit -> {
                    val r = step.request
                    clean("$what: redactedUrl", r.redactedUrl)
                    val builder = JHttpRequest.newBuilder(URI.create(r.url)).timeout(Duration.ofSeconds(2))
                    r.headers.forEach { builder.header(it.name, it.value) }
                    builder.method(r.method, if (r.body.isEmpty()) JHttpRequest.BodyPublishers.noBody() else JHttpRequest.BodyPublishers.ofByteArray(r.body))
                    try {
                        val answer = http.send(builder.build(), JHttpResponse.BodyHandlers.ofByteArray())
                        val headers = answer.headers().map().flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
                        machine.onResponse(state, System.currentTimeMillis(), HttpResponse(answer.statusCode().toUShort(), headers, answer.body()))
                    } catch (e: java.io.IOException) {
                        val neverConnected = e is java.net.ConnectException || e is java.net.http.HttpConnectTimeoutException
                        val cause = if (careless) "$e for ${r.method} ${r.url}" else e.javaClass.simpleName
                        machine.onFailure(state, System.currentTimeMillis(), !neverConnected, cause)
                    }
                }
                is SendStep.Wait -> Thread.sleep(maxOf(0L, step.untilMs - System.currentTimeMillis()))
                is SendStep.Done -> {
                    shown("$what: done", step)
                    return
                }
            }
        }
    }

    @Test
    fun `the send machine shows no key, phone or text under any fault`() {
        val account = esms()
        val policy = SendPolicy(maxAttempts = 1u)
        AccountState().use { state ->
            for ((name, message) in messages()) {
                for (fault in faults) {
                    for (careless in listOf(false, true)) {
                        inject(fault)
                        SendMachine(account, message, System.currentTimeMillis(), policy = policy).use { m ->
                            drive(m, state, careless, "machine $name (careless $careless) under $fault")
                        }
                    }
                }
            }
            // A closed port, and a cause that names the whole GET URL.
            val get = messages()[1].second
            SendMachine(esms(baseUrl = "http://127.0.0.1:9/esms/"), get, System.currentTimeMillis(), policy = SendPolicy(maxAttempts = 2u, initialBackoffMs = 10uL)).use { m ->
                drive(m, state, true, "machine to a closed port")
                assertEquals(2u, m.attempts())
            }
        }
        // A proxy's error page that echoes the whole request URL.
        AccountState().use { state ->
            SendMachine(account, messages()[1].second, 1_780_000_000_000L, policy = policy).use { m ->
                val step = m.poll(state, 1_780_000_000_000L) as SendStep.Transmit
                assertTrue(step.request.url.contains(key) && step.request.url.contains(phone), "the GET URL carries them")
                val echo = "<html>502 Bad Gateway for ${step.request.url}</html>".toByteArray()
                m.onResponse(state, 1_780_000_000_001L, HttpResponse(502u, emptyList(), echo))
                error("echoed proxy page", assertFailsWith<NhantinException> { m.poll(state, 1_780_000_000_002L) })
            }
        }
        assertTrue(checked > 100, "$checked surfaces")
    }

    @Test
    fun `an account prints no credential`() {
        val accounts = listOf(
            Account.Esms(apiKey = Secret("K3yLEAK"), secretKey = Secret("S3cretLEAK")),
            Account.CareSoft(domain = "demo", apiToken = Secret("T0kenLEAK"), serviceId = 12uL),
            Account.InterIts(apiKey = Secret("K3yLEAK")),
        )
        for (a in accounts) {
            for (value in listOf("K3yLEAK", "S3cretLEAK", "T0kenLEAK")) assertFalse(a.toString().contains(value), a.toString())
        }
        assertEquals("Esms(apiKey=***, secretKey=***, baseUrl=null)", accounts[0].toString())
        assertEquals("***", Secret("x").toString())
        val getters = Secret::class.java.methods.filter { it.returnType == String::class.java && it.parameterCount == 0 && it.name != "toString" }
        assertEquals(emptyList(), getters.map { it.name }, "a Secret gives nothing back")
    }
}
