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
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The loopback emulator as a child process (`nhantin emulator --port 0 --stop-on-stdin-eof`) and
 * its control API, for the test classes added with the async and logging support (ClientTest and
 * CanaryTest keep their own copies). Its record of accepted messages (`GET /_emulator/messages`)
 * is the judge of "sent exactly once".
 */
internal class Emulator : AutoCloseable {
    private val process: Process
    val urls: JsonObject
    private val http: HttpClient = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build()

    init {
        val bin = Settings.emulatorBinary
        assertTrue(bin.canExecute(), "$bin is not an executable; build it with `cargo build -p nhantin-cli` or set NHANTIN_BIN")
        process = ProcessBuilder(bin.path, "emulator", "--port", "0", "--stop-on-stdin-eof")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val stdout = process.inputStream.bufferedReader()
        val reader = Executors.newSingleThreadExecutor { r -> Thread(r, "emulator-stdout").apply { isDaemon = true } }
        val line = try {
            reader.submit(Callable { stdout.readLine() }).get(30, TimeUnit.SECONDS)
        } catch (e: Exception) {
            process.destroyForcibly()
            fail("the emulator printed no address line within 30 s", e)
        } ?: fail("the emulator exited before printing its address (exit ${process.waitFor()})")
        urls = JsonParser.parseString(line).asJsonObject
        // Keep draining its stdout so the pipe can never fill up.
        reader.submit { stdout.lineSequence().forEach { _ -> } }
        reader.shutdown()
    }

    override fun close() {
        process.outputStream.close() // --stop-on-stdin-eof: EOF on stdin stops it
        val exited = process.waitFor(15, TimeUnit.SECONDS)
        if (!exited) process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
        assertTrue(exited, "the emulator did not stop within 15 s of stdin closing")
        assertEquals(0, process.exitValue(), "emulator exit status")
    }

    fun control(method: String, path: String, body: String = ""): String {
        val request = JHttpRequest.newBuilder(URI.create("${urls["base_url"].asString}/_emulator/$path"))
            .timeout(Duration.ofSeconds(10))
            .method(method, if (method == "GET") JHttpRequest.BodyPublishers.noBody() else JHttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build()
        val response = http.send(request, JHttpResponse.BodyHandlers.ofString())
        assertEquals(200, response.statusCode(), "$method /_emulator/$path: ${response.body()}")
        return response.body()
    }

    fun reset() {
        control("POST", "reset")
    }

    fun fault(json: String) = assertEquals("""{"queued":true}""", control("POST", "faults", json))

    fun accepted(): List<JsonObject> = JsonParser.parseString(control("GET", "messages")).asJsonArray.map { it.asJsonObject }

    /** The request ids of the accepted messages, in order. */
    fun acceptedIds(): List<String?> = accepted().map { it.get("request_id")?.takeUnless { v -> v.isJsonNull }?.asString }

    /** Polls until [count] messages are accepted (a send that goes on after its caller gave up). */
    fun awaitAccepted(count: Int, within: Duration = Duration.ofSeconds(20)): List<JsonObject> {
        val deadline = System.nanoTime() + within.toNanos()
        while (true) {
            val now = accepted()
            if (now.size >= count || System.nanoTime() > deadline) return now
            Thread.sleep(50)
        }
    }

    fun esms(apiKey: String = "DEMO_ESMS_API_KEY", secretKey: String = "DEMO_ESMS_SECRET_KEY") =
        Account.Esms(apiKey = Secret(apiKey), secretKey = Secret(secretKey), baseUrl = urls["esms"].asString)
}

/** A one-recipient OTP SMS. */
internal fun otpMessage(requestId: String?, phone: String = "0912345678", text: String = "Mã OTP 123456") =
    Message(recipients = listOf(phone), content = sms(SmsPurpose.OTP, text, sender = "NHANTIN"), requestId = requestId)
