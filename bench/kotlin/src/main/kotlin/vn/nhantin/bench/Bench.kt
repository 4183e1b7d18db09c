// The Kotlin peer of scripts/bench (JNA through the generated bindings).
//
//   send  CASES THREADS SECONDS   Client.send from THREADS threads: one JSON line (sends/s, p50, p99)
//   codec CASES [micro]           encodeSend + decodeSend for the eSMS JSON SMS vector, per call;
//                                 with `micro`, also version(), normalizePhone, stripDiacritics
//   rss   CASES SENDS             resident memory after a warm-up and after SENDS sends
package vn.nhantin.bench

import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import kotlin.concurrent.thread
import vn.nhantin.*

fun cases(path: String): JsonObject = JsonParser.parseString(File(path).readText()).asJsonObject

fun account(c: JsonObject): Account {
    val a = c.getAsJsonObject("account")
    return Account.Esms(
        apiKey = Secret(a["api_key"].asString),
        secretKey = Secret(a["secret_key"].asString),
        baseUrl = a["base_url"]?.asString,
    )
}

/** The send loop's message (cases.message: one SMS OTP, no request id). */
fun message(c: JsonObject): Message {
    val sms = c.getAsJsonObject("message").getAsJsonObject("content").getAsJsonObject("sms")
    val recipients = c.getAsJsonObject("message").getAsJsonArray("recipients").map { it.asString }
    return Message(
        recipients = recipients,
        content = Content.Sms(Sms(purpose = SmsPurpose.OTP, text = sms["text"].asString, sender = sms["sender"].asString)),
    )
}

fun rssKib(): Pair<Long, Long> {
    var peak = 0L
    var now = 0L
    File("/proc/self/status").forEachLine {
        if (it.startsWith("VmHWM:")) peak = it.split(Regex("\\s+"))[1].toLong()
        if (it.startsWith("VmRSS:")) now = it.split(Regex("\\s+"))[1].toLong()
    }
    return peak to now
}

/** Batches of about 20 ms, seven of them, the median batch's time per call (as in Rust, C, Python). */
fun perCallNs(f: () -> Unit): Double {
    // The JIT first: three seconds of calls before anything is timed.
    val warm = System.nanoTime()
    while (System.nanoTime() - warm < 3_000_000_000L) f()
    var k = 1L
    while (true) {
        val t = System.nanoTime()
        for (i in 0 until k) f()
        if (System.nanoTime() - t >= 20_000_000L) break
        k *= 2
    }
    val batches = (0 until 7).map {
        val t = System.nanoTime()
        for (i in 0 until k) f()
        (System.nanoTime() - t).toDouble() / k
    }.sorted()
    return batches[3]
}

fun main(args: Array<String>) {
    val c = cases(args[1])
    when (args[0]) {
        "send" -> {
            val threads = args[2].toInt()
            val window = args[3].toDouble()
            val client = Client(account(c), ClientOptions(allowInsecureHttp = true))
            val msg = message(c)
            // Warm-up: 2 s, so the JIT has compiled the binding's converters before the window.
            val warmEnd = System.nanoTime() + 2_000_000_000L
            while (System.nanoTime() < warmEnd) client.send(msg)
            val lat = Array(threads) { LongArray(0) }
            val counts = IntArray(threads)
            val end = System.nanoTime() + (window * 1e9).toLong()
            val ts = (0 until threads).map { i ->
                thread {
                    var buf = LongArray(1 shl 16)
                    var n = 0
                    while (true) {
                        val t = System.nanoTime()
                        if (t >= end) break
                        client.send(msg)
                        if (n == buf.size) buf = buf.copyOf(n * 2)
                        buf[n++] = System.nanoTime() - t
                    }
                    lat[i] = buf
                    counts[i] = n
                }
            }
            ts.forEach { it.join() }
            val all = (0 until threads).flatMap { lat[it].take(counts[it]) }.sorted()
            val n = all.size
            fun pct(p: Double) = if (n == 0) 0.0 else all[minOf((n * p).toInt(), n - 1)] / 1000.0
            println("""{"peer":"kotlin-nhantin","threads":$threads,"sends":$n,"errors":0,"seconds":$window,"sends_per_s":${n / window},"p50_us":${pct(0.5)},"p99_us":${pct(0.99)}}""")
            client.close()
        }
        "codec" -> {
            // The eSMS JSON SMS vector (tests/vectors/esms/send_json_otp_digest_example.json).
            val case = c.getAsJsonArray("codec").map { it.asJsonObject }.first { it["name"].asString == "esms_sms_json" }
            val a = case.getAsJsonObject("account")
            val acct = Account.Esms(apiKey = Secret(a["api_key"].asString), secretKey = Secret(a["secret_key"].asString))
            val m = case.getAsJsonObject("message")
            val sms = m.getAsJsonObject("content").getAsJsonObject("sms")
            val msg = Message(
                recipients = m.getAsJsonArray("recipients").map { it.asString },
                content = Content.Sms(Sms(purpose = SmsPurpose.OTP, text = sms["text"].asString, sender = sms["sender"].asString)),
                requestId = m["request_id"].asString,
            )
            val now = case["now"].asString
            val r = case.getAsJsonObject("response")
            val resp = HttpResponse(status = r["status"].asInt.toUShort(), body = r["body"].asString.toByteArray())
            val req = encodeSend(acct, msg, now)
            check(String(req.body) == case.getAsJsonObject("expect")["body"].asString) { "encodes the vector's body" }
            decodeSend(Provider.ESMS, resp)
            val e = perCallNs { encodeSend(acct, msg, now) }
            val d = perCallNs { decodeSend(Provider.ESMS, resp) }
            println("""{"lang":"kotlin","endpoint":"esms_sms_json","encode_ns":$e,"decode_ns":$d}""")
            if (args.size > 2 && args[2] == "micro") {
                // Where a call's time goes: a string result, a small record result, the Account alone.
                val v = perCallNs { version() }
                val p = perCallNs { normalizePhone("0912345678") }
                val s = perCallNs { stripDiacritics("Mã OTP") }
                println("""{"kotlin_micro":{"version_ns":$v,"normalize_phone_ns":$p,"strip_diacritics_ns":$s}}""")
            }
        }
        "rss" -> {
            val sends = args[2].toInt()
            val client = Client(account(c), ClientOptions(allowInsecureHttp = true))
            val msg = message(c)
            // Long enough for the JIT to compile the send path: its code cache is not a leak.
            repeat(10_000) { client.send(msg) }
            val before = rssKib()
            repeat(sends) { client.send(msg) }
            val after = rssKib()
            println("""{"peer":"kotlin-nhantin (fixed 128 MiB heap)","sends":$sends,"peak_before_kib":${before.first},"peak_after_kib":${after.first},"rss_before_kib":${before.second},"rss_after_kib":${after.second}}""")
            client.close()
        }
        else -> error("unknown mode ${args[0]}")
    }
}
