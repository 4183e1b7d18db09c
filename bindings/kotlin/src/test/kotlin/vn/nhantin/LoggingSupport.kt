package vn.nhantin

import java.util.concurrent.ConcurrentLinkedQueue
import java.util.logging.Handler
import java.util.logging.Level as JulLevel
import java.util.logging.LogRecord as JulRecord
import java.util.logging.Logger as JulLogger
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Catches every `java.util.logging` record of the `nhantin` logger tree, at every level, while
 * open; the tree's level and console output are restored on close. Records that took the SLF4J
 * route land here too, through slf4j-jdk14 (test scope).
 */
internal class JulCapture : AutoCloseable {
    /** Held: JUL keeps loggers only weakly, and a collected one would lose the level set here. */
    private val root: JulLogger = JulLogger.getLogger("nhantin")
    private val oldLevel = root.level
    private val oldUseParent = root.useParentHandlers
    private val queue = ConcurrentLinkedQueue<JulRecord>()
    private val handler = object : Handler() {
        override fun publish(record: JulRecord) {
            queue += record
        }

        override fun flush() {}
        override fun close() {}
    }

    init {
        handler.level = JulLevel.ALL
        root.level = JulLevel.ALL
        root.useParentHandlers = false
        root.addHandler(handler)
    }

    val records: List<JulRecord> get() = queue.toList()

    fun clear() = queue.clear()

    override fun close() {
        root.removeHandler(handler)
        root.level = oldLevel
        root.useParentHandlers = oldUseParent
    }
}

internal val insecure = ClientOptions(allowInsecureHttp = true)

/**
 * [NhantinLogging.install] picks [expected] by itself (or is told to, with [force]), and a send
 * through [emulator] logs records
 * that arrive in JUL under `nhantin.<target>` with their levels mapped, by that route: JUL
 * records written by NhantinLogging name the Rust target as their source class, while SLF4J's
 * JUL provider names the class that called SLF4J.
 */
internal fun assertRouteDelivers(expected: NhantinLogging.Route, emulator: Emulator, requestId: String, force: Boolean = false) {
    if (!force) assertEquals(expected, NhantinLogging.detect(), "the route found on this classpath")
    JulCapture().use { capture ->
        if (force) NhantinLogging.install(LogLevel.DEBUG, expected) else NhantinLogging.install(LogLevel.DEBUG)
        try {
            assertEquals(expected, NhantinLogging.route)
            Client(emulator.esms(), insecure).use { client ->
                assertEquals(SendStatus.ACCEPTED, client.send(otpMessage(requestId)).status)
            }
        } finally {
            NhantinLogging.uninstall()
        }
        assertEquals(null, NhantinLogging.route, "uninstalled")
        val records = capture.records
        assertTrue(records.isNotEmpty(), "a send logged nothing")
        for (r in records) {
            assertTrue(r.loggerName.startsWith("nhantin."), "logger name ${r.loggerName}")
            assertTrue(r.level in setOf(JulLevel.SEVERE, JulLevel.WARNING, JulLevel.INFO, JulLevel.FINE), "level ${r.level} at DEBUG")
            when (expected) {
                NhantinLogging.Route.JUL ->
                    assertEquals(r.loggerName, NhantinLogging.loggerName(r.sourceClassName), "JUL route: the source is the Rust target")
                NhantinLogging.Route.SLF4J ->
                    assertTrue(r.sourceClassName.startsWith("vn.nhantin.NhantinLogging"), "SLF4J route: SLF4J's caller is the sink, not ${r.sourceClassName}")
            }
        }
        val transport = records.filter { it.loggerName == "nhantin.nhantin_transport.client" }
        assertTrue(transport.any { it.level == JulLevel.INFO && it.message.startsWith("sending an OTP SMS via ") && requestId in it.message }, "the send: ${transport.map { it.message }}")
        assertTrue(transport.any { it.level == JulLevel.FINE && it.message.startsWith("attempt 1") }, "the attempt at DEBUG → FINE: ${transport.map { it.message }}")
        assertEquals(listOf(requestId), emulator.acceptedIds())
    }
}
