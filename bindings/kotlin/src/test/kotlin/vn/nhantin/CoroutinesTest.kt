package vn.nhantin

import java.util.concurrent.TimeUnit
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The suspend functions (`Client.sendAsync`, …) with kotlinx-coroutines, against the emulator:
 * many calls in flight from one thread, nhantin's bound of 16 workers, cancellation (the await
 * ends at once; a started send goes on and the safe resend reports it, a queued one is dropped),
 * typed errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CoroutinesTest {
    private lateinit var emulator: Emulator

    /** eSMS remembers a request id for 24 h; nhantin keeps a 10 min margin (see ClientTest). */
    private val esmsWindowMs = (24L * 3600 - 600) * 1000

    @BeforeAll
    fun start() {
        uniffiEnsureInitialized()
        emulator = Emulator()
    }

    @AfterAll
    fun stop() {
        if (::emulator.isInitialized) emulator.close()
    }

    @BeforeEach
    fun reset() = emulator.reset()

    private fun phone(i: Int) = "09%08d".format(30_000_000 + i)

    @Test
    fun `200 concurrent sendAsync calls from one thread are each accepted exactly once`() {
        val ids = List(200) { "kt-async-$it" }
        val results = Client(emulator.esms(), insecure).use { client ->
            // runBlocking's one thread: every call suspends while nhantin works, none blocks it.
            runBlocking {
                ids.mapIndexed { i, id -> async { client.sendAsync(otpMessage(id, phone = phone(i))) } }.awaitAll()
            }
        }
        assertEquals(ids, results.map { it.requestId }, "each result is its own call's")
        assertTrue(results.all { it.status == SendStatus.ACCEPTED && it.attempts == 1u }, "all accepted at the first attempt")
        val records = emulator.accepted()
        assertEquals(200, records.size, "no message lost, none accepted twice")
        assertEquals(ids.toSet(), records.map { it["request_id"].asString }.toSet())
        assertEquals(List(200) { phone(it) }.toSet(), records.map { it["recipients"].asJsonArray.single().asString }.toSet())
    }

    @Test
    fun `at most 16 sends run at once, the rest wait their turn`() {
        // 17 sends that each take 1 s at the emulator: 16 run together, the 17th after one of
        // them, so at least 2 s; one at a time would take 17 s.
        emulator.fault("""{"fault":"delay","millis":1000,"times":17,"path":"SendMultipleMessage_V4_post_json"}""")
        val started = System.nanoTime()
        val results = Client(emulator.esms(), insecure).use { client ->
            runBlocking { List(17) { i -> async { client.sendAsync(otpMessage("kt-pool-$i", phone = phone(i))) } }.awaitAll() }
        }
        val elapsedMs = (System.nanoTime() - started) / 1_000_000
        assertTrue(results.all { it.status == SendStatus.ACCEPTED })
        assertEquals(17, emulator.accepted().size)
        assertTrue(elapsedMs >= 2000, "17 one-second sends took $elapsedMs ms: more than 16 ran at once")
        assertTrue(elapsedMs < 12_000, "17 one-second sends took $elapsedMs ms: they did not run concurrently")
    }

    /**
     * A send the emulator holds for 3 s, whose await is cancelled by [cancel] after it started.
     * The await ends at once, the send goes on and is accepted, and the resend of the same message
     * with the same request id is told "already submitted": the emulator holds exactly one.
     */
    private fun cancelledSendIsDeliveredOnce(requestId: String, cancel: suspend (Client, Message) -> Unit) {
        emulator.fault("""{"fault":"delay","millis":3000,"times":1,"path":"SendMultipleMessage_V4_post_json"}""")
        val message = otpMessage(requestId) // the id is fixed before the call: it is what makes a resend safe
        Client(emulator.esms(), insecure).use { client ->
            val firstSentAt = System.currentTimeMillis()
            val started = System.nanoTime()
            runBlocking { cancel(client, message) }
            val awaitedMs = (System.nanoTime() - started) / 1_000_000
            assertTrue(awaitedMs < 2500, "the cancelled await took $awaitedMs ms: it waited for the send")
            assertEquals(emptyList(), emulator.accepted(), "not accepted yet: the emulator is still holding it")

            // The send was not stopped: it arrives when the emulator lets it through.
            assertEquals(listOf(requestId), emulator.awaitAccepted(1).map { it["request_id"].asString }, "the cancelled send was delivered")

            val again = client.resend(message, SafeResend(requestId = requestId, firstSentAtMs = firstSentAt, untilMs = firstSentAt + esmsWindowMs))
            assertEquals(SendStatus.ALREADY_SUBMITTED, again.status, "eSMS knew the id: not sent twice")
            assertEquals(requestId, again.requestId)
            // A plain send of the same id is not sent twice either, but it says so as a refusal.
            val plain = assertFailsWith<NhantinException.Rejected> { client.send(message) }
            assertEquals(Rejection.DUPLICATE_REQUEST_ID, plain.reason)
        }
        Thread.sleep(200)
        assertEquals(listOf(requestId), emulator.acceptedIds(), "the emulator holds exactly one")
    }

    @Test
    fun `a send cancelled by withTimeout is still delivered, and its resend is already submitted`() {
        cancelledSendIsDeliveredOnce("kt-cancel-timeout") { client, message ->
            assertFailsWith<TimeoutCancellationException> { withTimeout(500) { client.sendAsync(message) } }
        }
    }

    @Test
    fun `a send whose job is cancelled is still delivered, and its resend is already submitted`() {
        cancelledSendIsDeliveredOnce("kt-cancel-job") { client, message ->
            coroutineJob(client, message)
        }
    }

    @Test
    fun `a send cancelled while it waits for a worker is never made`() {
        // 16 sends the emulator holds for 1 s fill the pool; a 17th waits in the queue and is
        // cancelled there. Regression: it used to be sent once a worker freed up.
        emulator.fault("""{"fault":"delay","millis":1000,"times":16,"path":"SendMultipleMessage_V4_post_json"}""")
        Client(emulator.esms(), insecure).use { client ->
            runBlocking {
                val busy = List(16) { i -> async { client.sendAsync(otpMessage("kt-busy-$i", phone = phone(i))) } }
                delay(300)
                val queued = launch { client.sendAsync(otpMessage("kt-queued", phone = phone(16))) }
                delay(100)
                queued.cancelAndJoin()
                assertEquals(emptyList(), emulator.accepted(), "the busy sends are still held")
                busy.awaitAll()
                // Queued after the cancelled one, so a worker takes it later: by the time it is
                // answered, the cancelled call has been taken out of the queue and dropped.
                client.sendAsync(otpMessage("kt-after", phone = phone(17)))
            }
        }
        Thread.sleep(500)
        assertEquals(
            (List(16) { "kt-busy-$it" } + "kt-after").sorted(),
            emulator.acceptedIds().map { it.orEmpty() }.sorted(),
            "the cancelled send was not made",
        )
    }

    private suspend fun coroutineJob(client: Client, message: Message) = kotlinx.coroutines.coroutineScope {
        val job = launch {
            client.sendAsync(message)
            fail("the send returned before its cancellation")
        }
        delay(500)
        job.cancelAndJoin()
        assertTrue(job.isCancelled)
    }

    @Test
    fun `the other suspend functions answer, and errors arrive typed`() {
        Client(emulator.esms(), insecure).use { client ->
            runBlocking {
                // Bulk: 5001 recipients in two batches.
                val list = List(5001) { phone(it) }
                val batches = client.sendBulkAsync(Message(list, sms(SmsPurpose.ADVERTISING, "Sale", sender = "NHANTIN"), requestId = "kt-async-bulk"))
                assertEquals(listOf(SendClass.ACCEPTED, SendClass.ACCEPTED), batches.map { it.sendClass })
                assertEquals(listOf(0uL, 2501uL), batches.map { it.firstRecipient })

                val oas = client.esmsLookupAsync(EsmsLookup.ZaloOas)
                assertTrue(oas is EsmsLookupAnswer.ZaloOas && oas.oas.any { it.id == "1234567890123456789" }, "$oas")

                // A code eSMS generates and sends; the emulator shows it; it is good once.
                val otp = Message(
                    recipients = listOf("0912345678"),
                    content = Content.GeneratedOtp(GeneratedOtp(channel = OtpChannel.Sms(OtpSms(sender = "NHANTIN", template = "{OTP} la ma xac thuc cua ban", digitsOnly = true)), timeAliveMinutes = 5u)),
                )
                assertEquals(SendStatus.ACCEPTED, client.sendAsync(otp).status)
                val code = emulator.accepted().last()["generated_code"].asJsonObject["code"].asString
                assertEquals(CodeCheck.VALID, client.checkGeneratedOtpAsync("0912345678", code))
                assertEquals(CodeCheck.INVALID, client.checkGeneratedOtpAsync("0912345678", code), "a code is good once")

                val bad = assertFailsWith<NhantinException.InvalidInput> { client.sendAsync(otpMessage("kt-async-bad", phone = "12345")) }
                assertEquals("recipients[0]", bad.field)
            }
        }
        Client(emulator.esms(apiKey = "WRONG", secretKey = "WRONG"), insecure).use { client ->
            val e = assertFailsWith<NhantinException.Rejected> { runBlocking { client.sendAsync(otpMessage("kt-async-wrong")) } }
            assertEquals(Rejection.UNAUTHORIZED, e.reason)
        }
    }
}
