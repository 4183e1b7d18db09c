package vn.nhantin

import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.logging.Handler
import java.util.logging.Level as JulLevel
import java.util.logging.LogRecord as JulRecord
import java.util.logging.Logger as JulLogger
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * nhantin's log records in the JVM: [NhantinLogging]'s two routes (SLF4J is on this classpath,
 * with slf4j-jdk14 as its provider; LoggingWithoutSlf4j*Test run without it), the level cut-off,
 * the leak canary over every record, and loggers that fail. Logging is process-wide, so every
 * test turns it off again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoggingTest {
    private lateinit var emulator: Emulator

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

    @AfterEach
    fun off() = NhantinLogging.uninstall()

    @Test
    fun `records take the SLF4J route when a provider is on the classpath`() {
        assertRouteDelivers(NhantinLogging.Route.SLF4J, emulator, "kt-log-slf4j")
    }

    @Test
    fun `records go to java util logging when told to, and stop on uninstall`() {
        assertRouteDelivers(NhantinLogging.Route.JUL, emulator, "kt-log-jul", force = true)
        JulCapture().use { capture ->
            Client(emulator.esms(), insecure).use { it.send(otpMessage("kt-log-off")) }
            assertEquals(emptyList(), capture.records.map { it.message }, "uninstalled: nothing is logged")
        }
    }

    @Test
    fun `the level given to install is the cut-off`() {
        JulCapture().use { capture ->
            NhantinLogging.install(LogLevel.WARN, NhantinLogging.Route.JUL)
            // Reset before the request is read: certainly not sent, so resent; attempt 1 is a WARN.
            emulator.fault("""{"fault":"reset_before_read","times":1}""")
            Client(emulator.esms(), insecure).use { client ->
                val result = client.send(otpMessage("kt-log-level"))
                assertEquals(SendStatus.ACCEPTED, result.status)
                assertEquals(2u, result.attempts)
            }
            val records = capture.records
            assertEquals(listOf(JulLevel.WARNING), records.map { it.level }.distinct(), "only WARN and above: ${records.map { "${it.level} ${it.message}" }}")
            assertTrue(records.single().message.startsWith("attempt 1 got no answer"), records.single().message)
        }
    }

    @Test
    fun `no record shows a key, a phone number or a message text`() {
        val key = "DEMO_ESMS_API_KEY"
        val secret = "DEMO_ESMS_SECRET_KEY"
        val wrongKey = "WRONG-KEY-CANARY-4455"
        val canaries = listOf(
            key to "API key", secret to "secret key", wrongKey to "a wrong API key",
            "0912345678" to "phone (national)", "84912345678" to "phone (international)", "912345678" to "phone digits",
            "778899" to "message text (the OTP)",
        )
        val message = { id: String -> otpMessage(id, phone = "0912345678", text = "SECRET-OTP-778899") }
        val seen = ConcurrentLinkedQueue<LogRecord>()
        val collector = object : Logger {
            override fun log(record: LogRecord) {
                seen += record
            }
        }
        setLogger(collector, LogLevel.TRACE)
        Client(emulator.esms(), ClientOptions(allowInsecureHttp = true, maxAttempts = 2u)).use { client ->
            client.send(message("kt-can-json"))
            // GET puts the key and the phone in the URL's query.
            client.send(Message(listOf("0912345678"), sms(SmsPurpose.FIXED_NUMBER, "SECRET-OTP-778899"), requestId = "kt-can-get", options = esmsFormat(EsmsFormat.GET)))
            client.send(message("kt-can-xml").copy(options = esmsFormat(EsmsFormat.XML)))
            val faults = listOf(
                """{"fault":"reset_before_read"}""",
                """{"fault":"reset_after_accept"}""",
                """{"fault":"status","status":503}""",
                """{"fault":"html_page"}""",
                """{"fault":"malformed_json"}""",
            )
            for ((i, f) in faults.withIndex()) {
                emulator.fault(f.replace("}", ""","times":2}"""))
                runCatching { client.send(message("kt-can-fault-$i")) }
                emulator.reset()
            }
            runBlocking { client.sendAsync(message("kt-can-async")) }
            client.sendBulk(Message(List(30) { if (it == 0) "0912345678" else "09%08d".format(20_000_000 + it) }, sms(SmsPurpose.ADVERTISING, "KM 778899", sender = "NHANTIN"), requestId = "kt-can-bulk"))
        }
        Client(emulator.esms(apiKey = wrongKey, secretKey = wrongKey), insecure).use { client ->
            assertFailsWith<NhantinException.Rejected> { client.send(message("kt-can-wrong")) }
        }
        setLogger(null, LogLevel.ERROR)
        val records = seen.toList()
        assertTrue(records.size >= 20, "too few records to judge: ${records.size}")
        assertTrue(records.any { it.level == LogLevel.WARN }, "the fault paths logged their warnings")
        for (r in records) {
            for ((canary, name) in canaries) {
                assertFalse(r.message.contains(canary) || r.target.contains(canary), "a ${r.level} record of ${r.target} shows the $name: ${r.message}")
            }
        }
    }

    @Test
    fun `a logger that throws does not fail a send`() {
        val calls = AtomicInteger()
        setLogger(object : Logger {
            override fun log(record: LogRecord) {
                calls.incrementAndGet()
                throw IllegalStateException("the host's logger is broken")
            }
            // INFO: the records of each send itself, logged inside the library's calls.
        }, LogLevel.INFO)
        Client(emulator.esms(), insecure).use { client ->
            assertEquals(SendStatus.ACCEPTED, client.send(otpMessage("kt-log-throw-1")).status)
            assertEquals(SendStatus.ACCEPTED, runBlocking { client.sendAsync(otpMessage("kt-log-throw-2")) }.status)
        }
        assertTrue(calls.get() >= 4, "the logger was called (${calls.get()} times)")
        assertEquals(listOf("kt-log-throw-1", "kt-log-throw-2"), emulator.acceptedIds())
    }

    @Test
    fun `a host handler that throws does not fail a send`() {
        val root = JulLogger.getLogger("nhantin")
        val calls = AtomicInteger()
        val broken = object : Handler() {
            override fun publish(record: JulRecord) {
                calls.incrementAndGet()
                throw IllegalStateException("the host's handler is broken")
            }

            override fun flush() {}
            override fun close() {}
        }
        val oldLevel = root.level
        root.level = JulLevel.ALL
        root.addHandler(broken)
        try {
            NhantinLogging.install(LogLevel.DEBUG, NhantinLogging.Route.JUL)
            Client(emulator.esms(), insecure).use { client ->
                assertEquals(SendStatus.ACCEPTED, client.send(otpMessage("kt-log-handler")).status)
            }
        } finally {
            root.removeHandler(broken)
            root.level = oldLevel
        }
        assertTrue(calls.get() >= 2, "the handler was called (${calls.get()} times)")
        assertEquals(listOf("kt-log-handler"), emulator.acceptedIds())
    }

    @Test
    fun `records arrive on the thread that logged`() {
        val threads = ConcurrentLinkedQueue<Pair<String, Thread>>()
        setLogger(object : Logger {
            override fun log(record: LogRecord) {
                threads += record.message to Thread.currentThread()
            }
        }, LogLevel.INFO)
        val caller = Thread.currentThread()
        Client(emulator.esms(), insecure).use { client ->
            client.send(otpMessage("kt-log-thread-1"))
            val blocking = threads.toList()
            assertTrue(blocking.isNotEmpty() && blocking.all { it.second === caller }, "a blocking send logs on its caller's thread")
            threads.clear()
            runBlocking { client.sendAsync(otpMessage("kt-log-thread-2")) }
            val async = threads.toList()
            assertTrue(async.isNotEmpty() && async.none { it.second === caller }, "an async send logs on nhantin's worker: ${async.map { it.second.name }}")
        }
    }

    @Test
    fun `logger names and levels`() {
        assertEquals("nhantin.nhantin_transport.client", NhantinLogging.loggerName("nhantin_transport::client"))
        assertEquals("nhantin", NhantinLogging.loggerName(""))
        assertEquals(
            listOf(JulLevel.SEVERE, JulLevel.WARNING, JulLevel.INFO, JulLevel.FINE, JulLevel.FINEST),
            LogLevel.values().map { NhantinLogging.julLevel(it) },
        )
        assertNull(NhantinLogging.route, "off until installed")
    }
}
