// Hand-written (not generated): routes nhantin's log records to the JVM's logging.
package vn.nhantin

import java.util.concurrent.ConcurrentHashMap
import java.util.logging.Level as JulLevel
import java.util.logging.Logger as JulLogger

/**
 * Sends nhantin's log records to the application's logging: to SLF4J when an SLF4J provider
 * (Logback, Log4j 2's `log4j-slf4j2-impl`, `slf4j-simple`, …) is on the classpath, otherwise to
 * `java.util.logging`. Nothing is logged until [install] is called.
 *
 * ```kotlin
 * NhantinLogging.install(LogLevel.INFO)   // once, at start-up
 * ```
 *
 * Logger names are `nhantin.` followed by the record's Rust target with `::` written `.`, e.g.
 * `nhantin.nhantin_transport.client`, so configuring the logger `nhantin` covers them all.
 * Levels map as SLF4J's own JUL bridge does: ERROR → `SEVERE`, WARN → `WARNING`, INFO → `INFO`,
 * DEBUG → `FINE`, TRACE → `FINEST`.
 *
 * The `level` given to [install] is the cut-off in Rust: records below it are dropped there
 * before they are formatted, so `DEBUG` costs work even where the host's configuration then
 * drops those records. Records never hold a key, a message text or a full phone number (the
 * library masks phones once more before handing a record over).
 *
 * Records arrive on whichever thread logged: the caller's for blocking calls, one of nhantin's
 * async workers for `…Async` calls. An exception from the host's logging is swallowed here; it
 * can never fail a send.
 *
 * SLF4J is an optional dependency of this jar: it is looked for by reflection, so the jar works
 * without it. Only SLF4J 1.7-compatible calls are made, so an application on SLF4J 1.7 or 2.x
 * both work. An `slf4j-api` without a provider (SLF4J's no-op fallback) counts as no SLF4J.
 */
object NhantinLogging {
    /** Where records go. */
    enum class Route {
        /** `org.slf4j.LoggerFactory.getLogger(name)`. */
        SLF4J,

        /** `java.util.logging.Logger.getLogger(name)`. */
        JUL,
    }

    /** The route [install] chose, or `null` while nhantin's logging is off. */
    @Volatile
    var route: Route? = null
        private set

    /**
     * SLF4J when a real provider is present, otherwise JUL. With `slf4j-api` but no provider,
     * asking SLF4J prints its own "No SLF4J providers were found" warning once.
     */
    fun detect(): Route {
        val factory = try {
            Class.forName("org.slf4j.LoggerFactory", true, NhantinLogging::class.java.classLoader)
                .getMethod("getILoggerFactory")
                .invoke(null)
        } catch (e: ReflectiveOperationException) {
            return Route.JUL // ClassNotFoundException: no slf4j-api at all
        } catch (e: LinkageError) {
            return Route.JUL
        }
        // SLF4J's fallback when no provider is bound (1.7 and 2.x): records would be lost.
        val name = factory?.javaClass?.name ?: return Route.JUL
        return if (name == "org.slf4j.helpers.NOPLoggerFactory") Route.JUL else Route.SLF4J
    }

    /**
     * Starts sending nhantin's records at [level] and above to [route] (by default the one
     * [detect] finds). Replaces any logger set before, including one given to [setLogger]
     * directly. Throws [NhantinException.InvalidInput] (field `logger`) in the rare process whose
     * Rust code already installed another Rust `log` logger.
     */
    @JvmStatic
    @JvmOverloads
    fun install(level: LogLevel = LogLevel.INFO, route: Route = detect()) {
        val sink = when (route) {
            Route.SLF4J -> Slf4jSink()
            Route.JUL -> JulSink()
        }
        setLogger(sink, level)
        this.route = route
    }

    /** Stops sending records (the library's default: then logging costs nothing). */
    @JvmStatic
    fun uninstall() {
        setLogger(null, LogLevel.ERROR)
        route = null
    }

    /** The host logger name of a record's Rust [target]. */
    @JvmStatic
    fun loggerName(target: String): String =
        if (target.isEmpty()) "nhantin" else "nhantin." + target.replace("::", ".")

    /** The `java.util.logging` level of a [LogLevel]. */
    @JvmStatic
    fun julLevel(level: LogLevel): JulLevel = when (level) {
        LogLevel.ERROR -> JulLevel.SEVERE
        LogLevel.WARN -> JulLevel.WARNING
        LogLevel.INFO -> JulLevel.INFO
        LogLevel.DEBUG -> JulLevel.FINE
        LogLevel.TRACE -> JulLevel.FINEST
    }

    private class JulSink : Logger {
        private val loggers = ConcurrentHashMap<String, JulLogger>()

        override fun log(record: LogRecord) {
            try {
                val logger = loggers.computeIfAbsent(record.target) { JulLogger.getLogger(loggerName(it)) }
                val level = julLevel(record.level)
                // The source is the Rust target, not this class; no parameters, so a formatter
                // prints the message as it is (a `{0}` in it is not a placeholder).
                if (logger.isLoggable(level)) logger.logp(level, record.target, null, record.message)
            } catch (_: Throwable) {
                // The host's logging failed; the send that logged must not.
            }
        }
    }

    /** Only loaded when [detect] found SLF4J: this is the one class that names it. */
    private class Slf4jSink : Logger {
        private val loggers = ConcurrentHashMap<String, org.slf4j.Logger>()

        override fun log(record: LogRecord) {
            try {
                val logger = loggers.computeIfAbsent(record.target) { org.slf4j.LoggerFactory.getLogger(loggerName(it)) }
                // One String argument: SLF4J does not read `{}` in it.
                when (record.level) {
                    LogLevel.ERROR -> if (logger.isErrorEnabled) logger.error(record.message)
                    LogLevel.WARN -> if (logger.isWarnEnabled) logger.warn(record.message)
                    LogLevel.INFO -> if (logger.isInfoEnabled) logger.info(record.message)
                    LogLevel.DEBUG -> if (logger.isDebugEnabled) logger.debug(record.message)
                    LogLevel.TRACE -> if (logger.isTraceEnabled) logger.trace(record.message)
                }
            } catch (_: Throwable) {
                // The host's logging failed; the send that logged must not.
            }
        }
    }
}
