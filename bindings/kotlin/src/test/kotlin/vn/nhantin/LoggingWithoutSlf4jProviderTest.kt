package vn.nhantin

import java.util.ServiceLoader
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.Timeout
import kotlin.test.assertEquals

/**
 * Run by its own Surefire execution (pom.xml `logging-without-slf4j-provider`) with slf4j-api
 * but no provider on the classpath: SLF4J would drop every record (its no-op fallback), so
 * [NhantinLogging] picks `java.util.logging` instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoggingWithoutSlf4jProviderTest {
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
    fun `slf4j-api without a provider counts as no SLF4J`() {
        val providers = ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider::class.java).toList()
        assertEquals(emptyList(), providers.map { it.javaClass.name }, "this execution must run without an SLF4J provider")
        assertRouteDelivers(NhantinLogging.Route.JUL, emulator, "kt-log-no-provider")
    }
}
