// A user's application in miniature: sends one message through the loopback emulator with the
// installed nhantin jar, and checks what a user relies on without configuring anything.
package vn.nhantin.consumer

import com.sun.jna.Library
import com.sun.jna.NativeLibrary
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.MessageDigest
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord as JulRecord
import java.util.logging.Logger as JulLogger
import kotlin.system.exitProcess
import kotlinx.coroutines.runBlocking
import vn.nhantin.Account
import vn.nhantin.Client
import vn.nhantin.ClientOptions
import vn.nhantin.Content
import vn.nhantin.LogLevel
import vn.nhantin.Message
import vn.nhantin.NhantinLogging
import vn.nhantin.Secret
import vn.nhantin.SendStatus
import vn.nhantin.Sms
import vn.nhantin.SmsPurpose
import vn.nhantin.uniffiEnsureInitialized

private class Failed(message: String) : Exception(message)

private fun check(ok: Boolean, what: () -> String) {
    if (!ok) throw Failed(what())
}

fun main(args: Array<String>) {
    if (args.size != 2) {
        println("consumer: FAIL usage: Main <path of the nhantin binary> <SHA-256 of the nhantin jar, or any>")
        exitProcess(2)
    }
    val (bin, jarSha256) = args
    val emulator = ProcessBuilder(bin, "emulator", "--port", "0", "--stop-on-stdin-eof")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start()
    val code = try {
        println("consumer: PASS " + run(emulator, jarSha256))
        0
    } catch (e: Throwable) {
        println("consumer: FAIL ${e.javaClass.simpleName}: ${e.message}")
        e.printStackTrace()
        1
    } finally {
        emulator.outputStream.close()
        if (!emulator.waitFor(15, TimeUnit.SECONDS)) emulator.destroyForcibly()
    }
    exitProcess(code)
}

private fun sha256(f: File): String = MessageDigest.getInstance("SHA-256").digest(f.readBytes()).joinToString("") { "%02x".format(it) }

private fun run(emulator: Process, jarSha256: String): String {
    check(System.getProperty("jna.library.path") == null) { "jna.library.path is set" }
    val jar = File(Client::class.java.protectionDomain.codeSource.location.toURI())
    check(jar.isFile && jar.name == "nhantin-0.1.0.jar" && jar.path.contains("/.m2/")) { "nhantin is not the installed jar: $jar" }
    check(jarSha256 == "any" || sha256(jar) == jarSha256) { "$jar is not the jar just built" }

    // No SLF4J on this classpath: records go to java.util.logging, under `nhantin.`.
    val records = ConcurrentLinkedQueue<JulRecord>()
    val root = JulLogger.getLogger("nhantin").apply {
        useParentHandlers = false
        addHandler(object : Handler() {
            override fun publish(record: JulRecord) {
                records += record
            }
            override fun flush() {}
            override fun close() {}
        })
    }
    NhantinLogging.install(LogLevel.INFO)
    check(NhantinLogging.route == NhantinLogging.Route.JUL) { "route ${NhantinLogging.route} without SLF4J" }

    uniffiEnsureInitialized() // checks the bundled library against the bindings
    val loaded = NativeLibrary.getInstance("nhantin", mapOf(Library.OPTION_CLASSLOADER to Client::class.java.classLoader)).file
    // JNA extracts a jar resource to a temporary jna<digits>.tmp (in ~/.cache/JNA/temp or the
    // temp folder; deleted once loaded, on Linux); a library found on a path keeps its name.
    check(Regex("jna[0-9]+\\.tmp").matches(loaded.name)) { "the library was not extracted from the jar: $loaded" }
    val mapped = File("/proc/self/maps").readLines().any { it.contains(loaded.path) }
    check(mapped) { "$loaded is not mapped into this process" }

    val first = emulator.inputStream.bufferedReader().readLine() ?: throw Failed("the emulator printed no address")
    val esms = Regex("\"esms\"\\s*:\\s*\"([^\"]+)\"").find(first)?.groupValues?.get(1) ?: throw Failed("no eSMS URL in $first")
    val base = Regex("\"base_url\"\\s*:\\s*\"([^\"]+)\"").find(first)?.groupValues?.get(1) ?: throw Failed("no base URL in $first")

    val account = Account.Esms(apiKey = Secret("DEMO_ESMS_API_KEY"), secretKey = Secret("DEMO_ESMS_SECRET_KEY"), baseUrl = esms)
    val requestId = "consumer-" + System.nanoTime()
    val result = Client(account, ClientOptions(allowInsecureHttp = true)).use { client ->
        val message = Message(
            recipients = listOf("0912345678"),
            content = Content.Sms(sms = Sms(purpose = SmsPurpose.OTP, text = "Ma OTP 123456", sender = "NHANTIN")),
            requestId = requestId,
        )
        runBlocking { client.sendAsync(message) } // kotlinx-coroutines came with nhantin
    }
    NhantinLogging.uninstall()
    check(result.status == SendStatus.ACCEPTED && result.requestId == requestId) { "send: $result" }

    val http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
    val messages = http.send(
        HttpRequest.newBuilder(URI.create("$base/_emulator/messages")).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString(),
    ).body()
    val copies = Regex("\"request_id\"\\s*:\\s*\"${Regex.escape(requestId)}\"").findAll(messages).count()
    check(copies == 1) { "the emulator holds $copies copies of $requestId" }

    val logged = records.filter { it.level == Level.INFO && it.loggerName.startsWith("nhantin.") }
    check(logged.any { it.message.startsWith("sending an OTP SMS") }) { "no INFO record of the send in JUL: ${records.map { it.message }}" }
    root.handlers.forEach(root::removeHandler)

    return "sent $requestId once with ${jar.name} from the local repository, library extracted to $loaded, ${logged.size} INFO records in java.util.logging"
}
