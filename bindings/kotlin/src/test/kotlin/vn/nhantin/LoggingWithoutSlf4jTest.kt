package vn.nhantin

import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import kotlin.test.assertFailsWith

/**
 * Run by its own Surefire execution (pom.xml `logging-without-slf4j`) with neither slf4j-api nor
 * slf4j-jdk14 on the classpath, as in an application without SLF4J: the jar still loads
 * [NhantinLogging] and its records go to `java.util.logging`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoggingWithoutSlf4jTest {
    private lateinit var emulator: Emulator

    @BeforeAll
    fun start() {
        emulator = Emulator()
    }

    @AfterAll
    fun stop() {
        NhantinLogging.uninstall()
        if (::emulator.isInitialized) emulator.close()
    }

    @Test
    fun `without SLF4J records go to java util logging`() {
        assertFailsWith<ClassNotFoundException>("this execution must run without slf4j-api") { Class.forName("org.slf4j.LoggerFactory") }
        assertRouteDelivers(NhantinLogging.Route.JUL, emulator, "kt-log-no-slf4j")
    }
}
