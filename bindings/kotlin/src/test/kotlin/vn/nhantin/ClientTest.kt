package vn.nhantin

import com.google.gson.JsonArray
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
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * Sends through every endpoint with [Client] against the loopback emulator, run once as a separate
 * process (`nhantin emulator --port 0 --stop-on-stdin-eof`). The emulator's record of accepted
 * messages (`GET /_emulator/messages`) is the judge of "sent exactly once".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientTest {
    private lateinit var emulator: Process
    private lateinit var urls: JsonObject
    private val http: HttpClient = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build()
    private val options = ClientOptions(allowInsecureHttp = true)

    private val baseUrl get() = urls["base_url"].asString

    @BeforeAll
    fun startEmulator() {
        val bin = Settings.emulatorBinary
        assertTrue(bin.canExecute(), "$bin is not an executable; build it with `cargo build -p nhantin-cli` or set NHANTIN_BIN")
        emulator = ProcessBuilder(bin.path, "emulator", "--port", "0", "--stop-on-stdin-eof")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val stdout = emulator.inputStream.bufferedReader()
        // The first stdout line is the machine-readable address block; do not wait forever for it.
        val reader = Executors.newSingleThreadExecutor { r -> Thread(r, "emulator-stdout").apply { isDaemon = true } }
        val first = reader.submit(Callable { stdout.readLine() })
        val line = try {
            first.get(30, TimeUnit.SECONDS)
        } catch (e: Exception) {
            emulator.destroyForcibly()
            fail("the emulator printed no address line within 30 s", e)
        } ?: fail("the emulator exited before printing its address (exit ${emulator.waitFor()})")
        urls = JsonParser.parseString(line).asJsonObject
        assertEquals(setOf("address", "base_url", "esms", "caresoft", "interits"), urls.keySet())
        // Keep draining its stdout so the pipe can never fill up.
        reader.submit { stdout.lineSequence().forEach { _ -> } }
        reader.shutdown()
    }

    @AfterAll
    fun stopEmulator() {
        if (!::emulator.isInitialized) return
        emulator.outputStream.close() // --stop-on-stdin-eof: EOF on stdin stops it
        val exited = emulator.waitFor(15, TimeUnit.SECONDS)
        if (!exited) emulator.destroy()
        if (!emulator.waitFor(5, TimeUnit.SECONDS)) emulator.destroyForcibly()
        assertTrue(exited, "the emulator did not stop within 15 s of stdin closing")
        assertEquals(0, emulator.exitValue(), "emulator exit status")
    }

    @BeforeEach
    fun resetEmulator() {
        control("POST", "reset", "")
    }

    // ---- the emulator's control API ----

    private fun control(method: String, path: String, body: String): String {
        val request = JHttpRequest.newBuilder(URI.create("$baseUrl/_emulator/$path"))
            .timeout(Duration.ofSeconds(10))
            .method(method, if (method == "GET") JHttpRequest.BodyPublishers.noBody() else JHttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build()
        val response = http.send(request, JHttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), "$method /_emulator/$path: ${response.body()}")
        return response.body()
    }

    private fun fault(json: String) = assertEquals("""{"queued":true}""", control("POST", "faults", json))

    private fun accepted(): List<JsonObject> = JsonParser.parseString(control("GET", "messages", "")).asJsonArray.map { it.asJsonObject }

    private fun JsonObject.str(key: String): String? = get(key)?.takeUnless { it.isJsonNull }?.asString

    // ---- accounts and messages ----

    private fun esms(apiKey: String = "DEMO_ESMS_API_KEY", secretKey: String = "DEMO_ESMS_SECRET_KEY") =
        Account.Esms(apiKey = Secret(apiKey), secretKey = Secret(secretKey), baseUrl = urls["esms"].asString)

    private fun caresoft() = Account.CareSoft(domain = "demo", apiToken = Secret("DEMO_CARESOFT_TOKEN"), serviceId = 12uL, baseUrl = urls["caresoft"].asString)

    private fun interits() = Account.InterIts(apiKey = Secret("DEMO_INTERITS_KEY"), baseUrl = urls["interits"].asString)

    private fun otp(requestId: String?) =
        Message(recipients = listOf("0912345678"), content = sms(SmsPurpose.OTP, "Mã OTP 123456", sender = "NHANTIN"), requestId = requestId)

    private fun phones(n: Int): List<String> = (0 until n).map { "09%08d".format(10_000_000 + it) }

    // ---- tests ----

    @Test
    fun `every send endpoint accepts exactly one message`() {
        val thirty = phones(30)
        Client(esms(), options).use { e ->
            Client(caresoft(), options).use { c ->
                Client(interits(), options).use { i ->
                    val cases: List<Triple<Client, Message, String>> = listOf(
                        Triple(e, otp("ep-json"), "SendMultipleMessage_V4_post_json"),
                        Triple(e, Message(listOf("0912345678"), sms(SmsPurpose.FIXED_NUMBER, "x & y"), requestId = "ep-fixed"), "SendMultipleMessage_V4_post_json"),
                        Triple(e, Message(listOf("0912345678", "0987654321"), sms(SmsPurpose.CUSTOMER_CARE, "a<b>&'\"", sender = "NHANTIN"), requestId = "ep-xml", options = esmsFormat(EsmsFormat.XML)), "SendMultipleMessage_V4"),
                        Triple(e, Message(thirty, sms(SmsPurpose.ADVERTISING, "KM", sender = "NHANTIN"), requestId = "ep-adv-xml", options = esmsFormat(EsmsFormat.XML)), "SendMultipleSMSBrandname"),
                        Triple(e, Message(thirty, sms(SmsPurpose.ADVERTISING, "KM", sender = "NHANTIN"), requestId = "ep-adv-json"), "SendMultipleSMSBrandname_json"),
                        Triple(e, Message(listOf("0912345678"), sms(SmsPurpose.FIXED_NUMBER, "OTP 1+1=2 100% #1"), requestId = "ep-get", options = esmsFormat(EsmsFormat.GET)), "SendMultipleMessage_V4_get"),
                        Triple(e, Message(listOf("0912345678"), Content.Viber(Viber(text = "Xin chào", button = ViberButton(label = "Xem", url = "https://example.vn/o/1"), sender = "NHANTIN")), requestId = "ep-viber"), "Send_Multiple_Sms_OTT"),
                        Triple(c, Message(listOf("0980000000"), sms(SmsPurpose.CUSTOMER_CARE, "Cảm ơn quý khách")), "caresoft_sms"),
                        Triple(i, Message(listOf("0901234567"), sms(SmsPurpose.OTP, "Ma OTP 123456", sender = "NHANTIN"), requestId = "ep-interits"), "interits_send_message"),
                    )
                    for ((client, message, endpoint) in cases) {
                        val result = client.send(message)
                        assertEquals(SendStatus.ACCEPTED, result.status, endpoint)
                        assertEquals(1u, result.attempts, endpoint)
                        assertEquals(message.requestId, result.requestId, endpoint)
                        val receipt = assertNotNull(result.receipt, endpoint)
                        assertNotNull(receipt.reference, "$endpoint: a reference")
                    }
                    val records = accepted()
                    assertEquals(cases.map { it.third }, records.map { it.str("endpoint") }, "each endpoint accepted its message once, in order")
                    assertEquals(cases.map { it.second.requestId }, records.map { it.str("request_id") })
                    assertEquals(listOf("0912345678", "0987654321"), records[2]["recipients"].asJsonArray.map { it.asString })
                    assertEquals("a<b>&'\"", records[2].str("text"), "XML escaping survives the round trip")
                }
            }
        }
    }

    @Test
    fun `balance, send status and receiver status`() {
        Client(esms(), options).use { client ->
            val before = client.balance()
            assertEquals(9999L, before.userId)
            val receipt = assertNotNull(client.send(otp("q-1")).receipt)
            assertEquals(Provider.ESMS, receipt.provider)
            val smsId = assertNotNull(receipt.reference)

            assertEquals(before.balance - 470.0, client.balance().balance, "one recipient at 470 VND was charged")

            val status = client.sendStatus(smsId)
            assertEquals(smsId, status.smsId)
            assertEquals(5L, status.status, "eSMS SendStatus 5 (finished)")
            assertEquals(1L, status.totalReceivers)

            val receivers = client.receiverStatus(smsId)
            assertEquals(listOf("0912345678"), receivers.map { it.phone })
        }
        Client(caresoft(), options).use { client ->
            val e = assertFailsWith<NhantinException.InvalidInput> { client.balance() }
            assertTrue(e.reason.contains("eSMS"), "balance is an eSMS query: ${e.reason}")
        }
    }

    @Test
    fun `errors arrive as typed exceptions`() {
        Client(esms(apiKey = "WRONG", secretKey = "WRONG"), options).use { client ->
            val e = assertFailsWith<NhantinException.Rejected> { client.send(otp("err-1")) }
            assertEquals(Provider.ESMS, e.provider)
            assertEquals(Rejection.UNAUTHORIZED, e.reason)
            assertEquals("101", e.code)
            assertTrue(e.providerText.isNotEmpty(), "the provider's text is kept")
        }
        Client(esms(), options).use { client ->
            val e = assertFailsWith<NhantinException.InvalidInput> {
                client.send(otp("err-2").copy(recipients = listOf("0912345678", "12345")))
            }
            assertEquals("recipients[1]", e.field)
        }
        val e = assertFailsWith<NhantinException.Config> { Client(esms(), ClientOptions()) }
        assertTrue(e.detailText.contains("http"), e.detailText)
        assertEquals(emptyList(), accepted(), "nothing was accepted")
    }

    @Test
    fun `a reset after acceptance is resent once and reported as already submitted`() {
        fault("""{"fault":"reset_after_accept","times":1,"path":"SendMultipleMessage_V4_post_json"}""")
        Client(esms(), options).use { client ->
            val result = client.send(otp("kt-fault-1"))
            assertEquals(SendStatus.ALREADY_SUBMITTED, result.status)
            assertEquals("kt-fault-1", result.requestId)
            assertEquals(2u, result.attempts)
            assertNull(result.receipt)
        }
        val records = accepted()
        assertEquals(listOf("kt-fault-1"), records.map { it.str("request_id") }, "exactly one message was accepted")
    }

    @Test
    fun `a bulk send of 6001 recipients goes out in two batches`() {
        val list = phones(6001)
        val message = Message(list, sms(SmsPurpose.ADVERTISING, "Sale 11.11", sender = "NHANTIN"), requestId = "kt-bulk")
        Client(esms(), options).use { client ->
            val batches = client.sendBulk(message)
            assertEquals(2, batches.size)
            assertEquals(listOf(0uL, 3001uL), batches.map { it.firstRecipient })
            assertEquals(listOf(3001uL, 3000uL), batches.map { it.recipients })
            val ids = batches.map { assertNotNull(it.requestId) }
            assertTrue(ids.all { Regex("kt-bulk-[0-9a-f]{16}").matches(it) }, "ids name their recipients: $ids")
            assertEquals(2, ids.toSet().size)
            for (b in batches) {
                assertNull(b.error, "${b.requestId}: ${b.error}")
                assertEquals(SendClass.ACCEPTED, b.sendClass)
                assertEquals(SendStatus.ACCEPTED, assertNotNull(b.result, b.requestId).status)
            }
            val records = accepted()
            assertEquals(ids, records.map { it.str("request_id") })
            val everyone = records.flatMap { r -> (r["recipients"] as JsonArray).map { it.asString } }
            assertEquals(6001, everyone.size)
            assertEquals(list.toSet(), everyone.toSet(), "every recipient exactly once")

            // A rerun of the same list: the same ids, refused as already used, nothing sent twice.
            val again = client.sendBulk(message)
            assertEquals(ids, again.map { it.requestId })
            assertTrue(again.all { it.sendClass == SendClass.REJECTED }, "eSMS 124 for both")
            assertEquals(2, accepted().size)
        }
    }

    @Test
    fun `a bulk list with one person written two ways is refused before anything is sent`() {
        val list = phones(5001).toMutableList()
        list[0] = "0910000000"
        list[5000] = "+84910000000"
        Client(esms(), options).use { client ->
            val e = assertFailsWith<NhantinException.InvalidInput> {
                client.sendBulk(Message(list, sms(SmsPurpose.ADVERTISING, "Sale", sender = "NHANTIN"), requestId = "kt-dup"))
            }
            assertEquals("recipients[5000]", e.field)
        }
        assertEquals(emptyList(), accepted(), "nothing was sent")
    }

    @Test
    fun `an unknown outcome is resent safely, and never after its window`() {
        fault("""{"fault":"reset_after_accept","times":1,"path":"SendMultipleMessage_V4_post_json"}""")
        val message = otp(null)
        Client(esms(), ClientOptions(allowInsecureHttp = true, maxAttempts = 1u)).use { client ->
            val e = assertFailsWith<NhantinException.OutcomeUnknown> { client.send(message) }
            assertTrue(e.retrySafe)
            val resend = assertNotNull(e.resend, "eSMS de-duplicates: a safe resend is offered")
            assertEquals(e.requestId, resend.requestId)
            assertEquals((24L * 3600 - 600) * 1000, assertNotNull(resend.untilMs) - resend.firstSentAtMs)
            val again = client.resend(message, resend)
            assertEquals(SendStatus.ALREADY_SUBMITTED, again.status, "the first attempt got through")
            assertNull(again.receipt)
            assertEquals(listOf(resend.requestId), accepted().map { it.str("request_id") }, "exactly one message")

            val now = System.currentTimeMillis()
            val late = SafeResend(requestId = "kt-late", firstSentAtMs = now - 25 * 3_600_000L, untilMs = now - 3_600_000L)
            val refused = assertFailsWith<NhantinException.InvalidInput> { client.resend(otp("kt-late"), late) }
            assertEquals("request_id", refused.field)
            assertEquals(1, accepted().size, "the late resend sent nothing")
        }
    }

    @Test
    fun `an unknown outcome is reconciled from eSMS's records`() {
        Client(esms(), ClientOptions(allowInsecureHttp = true, maxAttempts = 1u)).use { client ->
            fault("""{"fault":"reset_after_accept","times":1}""")
            val filed = otp(null)
            val e = assertFailsWith<NhantinException.OutcomeUnknown> { client.send(filed) }
            val verdicts = client.reconcile(filed, e.unknown, 1500L)
            assertEquals(listOf(Verdict.SENT), verdicts.map { it.verdict }, "the lost answer's message was filed")
            assertEquals(accepted().single()["reference"].asJsonObject["sms_id"].asString, verdicts.single().smsId)

            fault("""{"fault":"status","status":503,"times":1}""")
            val lost = Message(recipients = listOf("0912345671"), content = sms(SmsPurpose.OTP, "Ma OTP 515151", sender = "NHANTIN"))
            val e2 = assertFailsWith<NhantinException.OutcomeUnknown> { client.send(lost) }
            assertEquals(listOf(Verdict.NOT_FOUND), client.reconcile(lost, e2.unknown, 1500L).map { it.verdict })
            assertEquals(1, accepted().size, "reconciling sends nothing")
        }
    }

    // ---- the send machine, with java.net.http as the HTTP stack ----

    /** Runs [machine] to its end with [http], exactly as `Client.send` would (it throws the same errors). */
    private fun drive(machine: SendMachine, state: AccountState): SendResult {
        while (true) {
            when (val step = machine.poll(state, System.currentTimeMillis())) {
                is SendStep.Transmit -> {
                    val r = step.request
                    val builder = JHttpRequest.newBuilder(URI.create(r.url)).timeout(Duration.ofSeconds(30))
                    r.headers.forEach { builder.header(it.name, it.value) }
                    builder.method(r.method, if (r.body.isEmpty()) JHttpRequest.BodyPublishers.noBody() else JHttpRequest.BodyPublishers.ofByteArray(r.body))
                    try {
                        val answer = http.send(builder.build(), JHttpResponse.BodyHandlers.ofByteArray())
                        val headers = answer.headers().map().flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
                        machine.onResponse(state, System.currentTimeMillis(), HttpResponse(answer.statusCode().toUShort(), headers, answer.body()))
                    } catch (e: java.io.IOException) {
                        // Only a connection that was never made proves nothing left.
                        val neverConnected = e is java.net.ConnectException || e is java.net.http.HttpConnectTimeoutException
                        machine.onFailure(state, System.currentTimeMillis(), !neverConnected, e.javaClass.simpleName)
                    }
                }
                is SendStep.Wait -> Thread.sleep(maxOf(0L, step.untilMs - System.currentTimeMillis()))
                is SendStep.Done -> return step.result
            }
        }
    }

    @Test
    fun `a send machine over java net http retries, and reports already submitted`() {
        AccountState().use { state ->
            fault("""{"fault":"status","status":503,"times":1,"path":"SendMultipleMessage_V4_post_json"}""")
            SendMachine(esms(), otp("kt-m-1"), System.currentTimeMillis()).use { machine ->
                val result = drive(machine, state)
                assertEquals(SendStatus.ACCEPTED, result.status)
                assertEquals(2u, result.attempts)
            }
            fault("""{"fault":"reset_after_accept","times":1,"path":"SendMultipleMessage_V4_post_json"}""")
            SendMachine(esms(), otp("kt-m-2"), System.currentTimeMillis()).use { machine ->
                val result = drive(machine, state)
                assertEquals(SendStatus.ALREADY_SUBMITTED, result.status)
                assertNull(result.receipt)
            }
            SendMachine(esms(), otp(null), System.currentTimeMillis(), policy = SendPolicy(maxAttempts = 1u)).use { machine ->
                fault("""{"fault":"reset_after_accept","times":1,"path":"SendMultipleMessage_V4_post_json"}""")
                val e = assertFailsWith<NhantinException.OutcomeUnknown> { drive(machine, state) }
                val resend = assertNotNull(e.resend)
                assertEquals(machine.requestId(), resend.requestId)
                SendMachine.resend(esms(), otp(null), resend, System.currentTimeMillis()).use { again ->
                    assertEquals(SendStatus.ALREADY_SUBMITTED, drive(again, state).status)
                }
            }
            assertFailsWith<NhantinException.WrongState> {
                SendMachine(esms(), otp("kt-m-3"), System.currentTimeMillis()).use { machine ->
                    machine.poll(state, System.currentTimeMillis())
                    machine.poll(state, System.currentTimeMillis()) // the transmit was not reported
                }
            }
        }
        val records = accepted().map { it.str("request_id") }
        assertEquals(3, records.size, "each accepted exactly once: $records")
        assertEquals(listOf("kt-m-1", "kt-m-2"), records.take(2))
    }

    @Test
    fun `one client shared by four threads`() {
        val ids = Client(esms(), options).use { client ->
            val pool = Executors.newFixedThreadPool(4)
            try {
                val jobs = (0 until 4).map { t ->
                    pool.submit(Callable {
                        (0 until 25).map { i ->
                            val id = "kt-t$t-m$i"
                            val result = client.send(otp(id))
                            assertEquals(SendStatus.ACCEPTED, result.status, id)
                            assertEquals(id, result.requestId)
                            id
                        }
                    })
                }
                jobs.flatMap { it.get(90, TimeUnit.SECONDS) }
            } finally {
                pool.shutdownNow()
            }
        }
        assertEquals(100, ids.toSet().size)
        val records = accepted()
        assertEquals(100, records.size, "no message lost, none accepted twice")
        assertEquals(ids.toSet(), records.mapNotNull { it.str("request_id") }.toSet())
    }
}
