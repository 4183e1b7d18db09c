package vn.nhantin

import com.google.gson.Gson
import com.google.gson.JsonElement
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import com.google.gson.JsonPrimitive
import com.google.gson.JsonArray
import java.io.File
import java.math.BigInteger
import kotlin.reflect.KClass
import kotlin.reflect.KParameter
import kotlin.reflect.KType
import kotlin.reflect.full.memberProperties
import kotlin.reflect.full.primaryConstructor
import kotlin.reflect.typeOf
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * Replays every shared wire vector (`tests/vectors/<folder>/<case>.json`, format in its README)
 * through the UniFFI functions, one dynamic test per file. The vector's JSON account and message
 * are turned into the typed Kotlin records here — that conversion is part of what is tested — and
 * the typed results are compared with the expected JSON field by field, with every enum and eSMS
 * code mapped through the explicit tables in Support.kt. The message is built by the generated
 * classes' own shape ([fromJsonForm]), so it follows the JSON form's nesting member for member.
 *
 * A vector the typed records cannot express passes only when the JSON form refuses it as a
 * malformed document (`invalid_input` on `message`): both readings then refuse it, which is what
 * the vector asserts. Every document the JSON form accepts must be expressible, so any other
 * such vector fails.
 */
class VectorsTest {
    private fun vectorFiles(): List<File> =
        Settings.vectorsDir.listFiles { f -> f.isDirectory }.orEmpty()
            .flatMap { dir -> dir.listFiles { f -> f.isFile && f.name.endsWith(".json") }.orEmpty().toList() }
            .sortedBy { it.path }

    @TestFactory
    fun `every shared vector replays through the UniFFI functions`(): List<DynamicTest> {
        val files = vectorFiles()
        // Counted a second way, so a folder the listing above misses cannot shrink the suite.
        val onDisk = Settings.vectorsDir.walk().maxDepth(2).count { it.isFile && it.extension == "json" && it.parentFile != Settings.vectorsDir }
        assertEquals(onDisk, files.size, "every vector file under ${Settings.vectorsDir} is replayed")
        assertTrue(files.size >= 170, "only ${files.size} vectors found under ${Settings.vectorsDir}")
        val tests = files.map { file ->
            val name = "${file.parentFile.name}/${file.nameWithoutExtension}"
            dynamicTest(name, file.toURI()) {
                val json = JsonParser.parseString(file.readText()).asJsonObject
                val v = Obj(json, name, input = false)
                try {
                    replay(v)
                } catch (e: Inexpressible) {
                    if (!refusedAsDocument(json)) {
                        fail("$name cannot be expressed through the typed records, yet the JSON form accepts it as a document: ${e.message}", e)
                    }
                    // The JSON form refuses it as field `message` and the typed records cannot
                    // even hold it: both refuse, which is what the vector asserts.
                } catch (e: AssertionError) {
                    // Surefire's closing list names only the factory method: put the vector in the message.
                    throw AssertionError("$name: ${e.message}", e)
                }
            }
        }
        assertEquals(files.size, tests.size, "one dynamic test per vector file")
        return tests
    }

    /** The vector expects the JSON form to refuse its input as a document: `invalid_input` on `message`. */
    private fun refusedAsDocument(vector: JsonObject): Boolean {
        val error = (vector["expect"] as? JsonObject)?.get("error") as? JsonObject ?: return false
        return error["kind"]?.takeIf { it.isJsonPrimitive }?.asString == "invalid_input" &&
            error["field"]?.takeIf { it.isJsonPrimitive }?.asString == "message"
    }

    private fun replay(v: Obj) {
        v.string("description")
        v.string("source")
        val operation = v.string("operation")
        val expect = v.obj("expect")
        when (operation) {
            "send" -> {
                val account = account(v.inputObj("account"))
                val message = fromJsonForm<Message>(v.element("message"), "message")
                val now = v.string("now")
                check(expect, "request", { encodeSend(account, message, now) }, ::compareRequest)
            }
            "balance" -> {
                val account = account(v.inputObj("account"))
                check(expect, "request", { encodeBalance(account) }, ::compareRequest)
            }
            "send_status" -> {
                val account = account(v.inputObj("account"))
                val smsId = v.string("sms_id")
                check(expect, "request", { encodeSendStatus(account, smsId) }, ::compareRequest)
            }
            "receiver_status" -> {
                val account = account(v.inputObj("account"))
                val smsId = v.string("sms_id")
                check(expect, "request", { encodeReceiverStatus(account, smsId) }, ::compareRequest)
            }
            "decode_send" -> {
                val provider = lookup(PROVIDERS, v.string("provider"), "provider")
                val response = response(v.obj("response"))
                check(expect, "receipt", { decodeSend(provider, response) }, ::compareReceipt)
            }
            "check_code" -> {
                val account = account(v.inputObj("account"))
                val phone = v.string("phone")
                val code = v.string("code")
                check(expect, "request", { encodeCheckCode(account, phone, code) }, ::compareRequest)
            }
            "interits_zns_message" -> {
                val account = account(v.inputObj("account"))
                val oaId = v.string("oa_id")
                val msgId = v.string("msg_id")
                check(expect, "request", { encodeInteritsZnsMessage(account, oaId, msgId) }, ::compareRequest)
            }
            "decode_zns_message" -> {
                assertEquals("interits", v.string("provider"))
                val response = response(v.obj("response"))
                check(expect, "zns_message", { decodeInteritsZnsMessage(response) }) { actual, want ->
                    assertEquals(want, plainJson(actual))
                }
            }
            "decode_check_code" -> {
                assertEquals("esms", v.string("provider"))
                val response = response(v.obj("response"))
                check(expect, "check_code", { decodeCheckCode(response) }) { actual, want ->
                    assertEquals(want.asString, actual.name.lowercase())
                }
            }
            "lookup" -> {
                val account = account(v.inputObj("account"))
                val lookupJson = v.element("lookup")
                val query = try {
                    esmsLookup(lookupJson)
                } catch (e: Inexpressible) {
                    // A member the lookup does not take: the JSON form refuses it as field
                    // `lookup`; the typed records cannot even be built. Asserted, not skipped.
                    val error = expect.obj("error")
                    assertEquals("invalid_input", error.string("kind"), "only a refused lookup may be inexpressible: ${e.message}")
                    assertEquals("lookup", error.string("field"), "only a refused lookup may be inexpressible: ${e.message}")
                    error.done()
                    null
                }
                if (query != null) check(expect, "request", { encodeEsmsLookup(account, query) }, ::compareRequest)
            }
            "decode_lookup" -> {
                val query = esmsLookup(v.element("lookup"))
                val response = response(v.obj("response"))
                check(expect, "answer", { decodeEsmsLookup(query, response) }) { actual, want ->
                    // One key, the lookup's name, holding the variant's one field.
                    val held = actual::class.primaryConstructor!!.parameters.single().name!!
                    val answer = JsonObject()
                    answer.add(variantName(actual), plainJson(propertyOf(actual, held)))
                    assertEquals(want, answer)
                }
            }
            "decode_zns_bulk" -> {
                val account = account(v.inputObj("account"))
                val message = fromJsonForm<Message>(v.element("message"), "message")
                val now = java.time.Instant.parse(v.string("now")).toEpochMilli()
                val response = response(v.obj("response"))
                val send = { sendAgainstRequest(account, message, now, response) }
                if (expect.has("error") && expect.obj("error").string("kind") == "unexpected_response") {
                    // The machine does not end a send on an answer it cannot read: the message may
                    // have gone out, so (out of attempts) it ends as OutcomeUnknown, retry-safe
                    // under its request id, with the decoder's error as its cause. Asserted exactly.
                    val w = expect.obj("error")
                    w.string("kind")
                    val e = assertIs<NhantinException.OutcomeUnknown>(assertThrowsNhantin(send), "an unreadable answer ends the send unknown")
                    assertEquals(lookup(PROVIDERS, w.string("provider"), "provider"), e.provider, "provider")
                    w.boolOrNull("retry_safe")?.let { assertEquals(it, e.retrySafe, "retry_safe") }
                    val cause = "unexpected answer from ${w.string("provider")} (HTTP ${w.long("status")})"
                    assertTrue(e.detailText.contains(cause), "\"${e.detailText}\" lacks \"$cause\"")
                    w.done()
                } else {
                    check(expect, "receipt", send, ::compareReceipt)
                }
            }
            "decode_balance" -> {
                v.string("provider")
                val response = response(v.obj("response"))
                check(expect, "balance", { decodeBalance(response) }) { actual, want ->
                    val w = want.asObj()
                    assertEquals(Balance(balance = w.double("balance"), userId = w.longOrNull("user_id")), actual)
                    w.done()
                }
            }
            "decode_send_status" -> {
                v.string("provider")
                val response = response(v.obj("response"))
                check(expect, "send_status", { decodeSendStatus(response) }) { actual, want ->
                    val w = want.asObj()
                    val expected = SendStatusReport(
                        smsId = w.stringOrNull("sms_id"),
                        status = esmsCode(w.element("status"), ESMS_SEND_STATUS, "SendStatus"),
                        sendSuccess = w.longOrNull("send_success"),
                        sendFailed = w.longOrNull("send_failed"),
                        totalReceivers = w.longOrNull("total_receivers"),
                        totalSent = w.longOrNull("total_sent"),
                        totalPrice = w.doubleOrNull("total_price"),
                    )
                    w.done()
                    assertEquals(expected, actual)
                }
            }
            "sent_data" -> {
                val account = account(v.inputObj("account"))
                val w = v.obj("window")
                val window = SentDataWindow(
                    smsType = w.long("sms_type"),
                    fromMs = java.time.Instant.parse(w.string("from")).toEpochMilli(),
                    toMs = java.time.Instant.parse(w.string("to")).toEpochMilli(),
                    page = w.long("page").toUInt(),
                    pageSize = w.long("page_size").toUInt(),
                )
                w.done()
                check(expect, "request", { encodeSentData(account, window) }, ::compareRequest)
            }
            "decode_sent_data" -> {
                v.string("provider")
                val response = response(v.obj("response"))
                check(expect, "sent_data", { decodeSentData(response) }) { actual, want ->
                    assertEquals(want, sentDataJson(actual))
                }
            }
            "decode_receiver_status" -> {
                v.string("provider")
                val response = response(v.obj("response"))
                check(expect, "receivers", { decodeReceiverStatus(response) }) { actual, want ->
                    val expected = want.asJsonArray.mapIndexed { i, row ->
                        val r = Obj(row.asJsonObject, "receivers[$i]", input = false)
                        ReceiverStatus(
                            phone = r.string("phone"),
                            isSent = r.boolOrNull("is_sent"),
                            sentResult = r.boolOrNull("sent_result"),
                            retry = r.longOrNull("retry"),
                            networkName = r.stringOrNull("network_name"),
                        ).also { r.done() }
                    }
                    assertEquals(expected, actual)
                }
            }
            "delivery_report" -> {
                val report = parseDeliveryReport(v.string("query"))
                compareReport(report, expect.obj("report"))
            }
            "interits_callback" -> {
                val body = v.string("body").toByteArray(Charsets.UTF_8)
                check(expect, "callback", { parseInteritsCallback(body) }) { actual, want ->
                    val w = want.asObj()
                    val expected = InterItsCallback(
                        msisdn = w.stringOrNull("msisdn"),
                        requestId = w.stringOrNull("request_id"),
                        sendTime = w.stringOrNull("send_time"),
                        responseTimeTelco = w.stringOrNull("response_time_telco"),
                        status = w.longOrNull("status"),
                        referentId = w.stringOrNull("referent_id"),
                        retryCount = w.longOrNull("retry_count"),
                    )
                    w.done()
                    assertEquals(expected, actual)
                }
            }
            "phone" -> {
                val input = v.string("input")
                if (expect.has("error")) {
                    val e = assertThrowsNhantin { normalizePhone(input) }
                    compareError(e, expect.obj("error"))
                } else {
                    val p = normalizePhone(input)
                    assertEquals(expect.string("national"), p.national, "national")
                    assertEquals(expect.string("international"), p.international, "international")
                    assertEquals(expect.string("e164"), p.e164, "e164")
                    assertEquals(lookup(CARRIERS, expect.string("carrier"), "carrier"), p.carrier, "carrier")
                }
            }
            "text" -> {
                val input = v.string("input")
                val a = analyzeText(input)
                // Only the keys given are checked (vectors README).
                if (expect.has("encoding")) assertEquals(lookup(ENCODINGS, expect.string("encoding"), "encoding"), a.encoding, "encoding")
                if (expect.has("characters")) assertEquals(expect.long("characters").toULong(), a.characters, "characters")
                if (expect.has("units")) assertEquals(expect.long("units").toULong(), a.units, "units")
                if (expect.has("segments")) assertEquals(expect.long("segments").toULong(), a.segments, "segments")
                if (expect.has("stripped")) assertEquals(expect.string("stripped"), stripDiacritics(input), "stripped")
            }
            else -> fail("unknown operation \"$operation\"")
        }
        expect.done()
        v.done()
    }

    // ---- inputs: the vector's JSON form → the typed records ----

    private fun account(a: Obj): Account {
        val account = when (val provider = a.string("provider")) {
            "esms" -> Account.Esms(apiKey = Secret(a.string("api_key")), secretKey = Secret(a.string("secret_key")), baseUrl = a.stringOrNull("base_url"))
            "caresoft" -> Account.CareSoft(
                domain = a.string("domain"),
                apiToken = Secret(a.string("api_token")),
                serviceId = a.long("service_id").also { if (it < 0) throw Inexpressible("account.service_id $it is negative; the record's field is a u64") }.toULong(),
                baseUrl = a.stringOrNull("base_url"),
            )
            "interits" -> Account.InterIts(
                apiKey = Secret(a.string("api_key")),
                phoneFormat = a.stringOrNull("phone_format")?.let { PHONE_FORMATS[it] ?: throw Inexpressible("account.phone_format \"$it\" has no PhoneFormat") },
                baseUrl = a.stringOrNull("base_url"),
            )
            else -> throw Inexpressible("account.provider \"$provider\" has no Account variant")
        }
        a.done()
        return account
    }

    // ---- the message: the JSON form, read by the shape of the generated classes ----
    //
    // The vectors' message (tests/vectors/README.md) is the serde form of the very records UniFFI
    // generates, so one reading covers it: an object is a data class (each member the
    // constructor parameter of the same name in snake_case; an absent member takes the
    // parameter's default; an array is a List of the parameter's element type), an object with
    // one key is the sealed class's variant whose single field has that name (`{"zns": {…}}` is
    // `Content.Zns(zns = Zns(…))`, `{"caresoft": {…}}` is `ProviderOptions.CareSoft(caresoft = …)`),
    // a snake_case string is the enum member of that name. What the records cannot hold throws
    // [Inexpressible].

    /** Record fields that hold a JSON document as its text: there the vector's JSON is re-serialised. */
    private val jsonTextFields: Set<Pair<KClass<*>, String>> = setOf(InterItsOptions::class to InterItsOptions::ext.name)

    private inline fun <reified T : Any> fromJsonForm(json: JsonElement?, where: String): T =
        fromJsonForm(json, typeOf<T>(), where, jsonText = false) as T

    private fun fromJsonForm(json: JsonElement?, type: KType, where: String, jsonText: Boolean): Any? {
        if (json == null || json.isJsonNull) {
            if (type.isMarkedNullable) return null
            throw Inexpressible("$where is null; the record's field is not optional")
        }
        val cls = type.classifier as? KClass<*> ?: throw Inexpressible("$where: no conversion to $type")
        fun primitive(kind: String, accept: (JsonPrimitive) -> Boolean): JsonPrimitive =
            (json as? JsonPrimitive)?.takeIf(accept) ?: throw Inexpressible("$where is not a $kind: $json")
        fun integer(range: ClosedRange<BigInteger>): BigInteger {
            val n = primitive("number") { it.isNumber }.asBigDecimal
            val exact = n.takeIf { it.stripTrailingZeros().scale() <= 0 }?.toBigIntegerExact()
                ?: throw Inexpressible("$where is not an integer: $json")
            if (exact !in range) throw Inexpressible("$where $exact does not fit the record's ${cls.simpleName}")
            return exact
        }
        return when {
            // Gson keeps object members in file order; the request body shows them in that order.
            cls == String::class && jsonText -> if (json is JsonPrimitive && json.isString) json.asString else Gson().toJson(json)
            cls == String::class -> primitive("string") { it.isString }.asString
            cls == Boolean::class -> primitive("boolean") { it.isBoolean }.asBoolean
            cls == Double::class -> primitive("number") { it.isNumber }.asDouble
            cls == Long::class -> integer(BigInteger.valueOf(Long.MIN_VALUE)..BigInteger.valueOf(Long.MAX_VALUE)).toLong()
            cls == Int::class -> integer(BigInteger.valueOf(Int.MIN_VALUE.toLong())..BigInteger.valueOf(Int.MAX_VALUE.toLong())).toInt()
            cls == ULong::class -> integer(BigInteger.ZERO..BigInteger(ULong.MAX_VALUE.toString())).toLong().toULong()
            cls == UInt::class -> integer(BigInteger.ZERO..BigInteger.valueOf(UInt.MAX_VALUE.toLong())).toLong().toUInt()
            cls == UShort::class -> integer(BigInteger.ZERO..BigInteger.valueOf(UShort.MAX_VALUE.toLong())).toInt().toUShort()
            cls == List::class -> {
                val items = json as? JsonArray ?: throw Inexpressible("$where is not an array: $json")
                val item = type.arguments.single().type ?: throw Inexpressible("$where: a list of $type")
                items.mapIndexed { i, e -> fromJsonForm(e, item, "$where[$i]", jsonText = false) }
            }
            cls.java.isEnum -> {
                val name = primitive("string") { it.isString }.asString
                // UniFFI writes serde's snake_case variant names in upper case: "customer_care" is CUSTOMER_CARE.
                cls.java.enumConstants.map { it as Enum<*> }.singleOrNull { it.name.lowercase() == name }
                    ?: throw Inexpressible("$where \"$name\" is no ${cls.simpleName}; the members are ${cls.java.enumConstants.map { (it as Enum<*>).name.lowercase() }}")
            }
            cls.isSealed -> {
                val tagged = json as? JsonObject ?: throw Inexpressible("$where is not an object: $json")
                val key = tagged.keySet().singleOrNull()
                    ?: throw Inexpressible("$where must have exactly one member, the ${cls.simpleName} variant; it has ${tagged.keySet()}")
                // Each variant has one field, named after its tag: {"sms": …} is Content.Sms(sms = …).
                val variants = cls.sealedSubclasses.map { variant ->
                    val constructor = variant.primaryConstructor
                    val field = constructor?.parameters?.singleOrNull()
                        ?: fail("${cls.simpleName}.${variant.simpleName} does not have exactly one field; this reading expects one, named after the JSON tag")
                    Triple(field.name?.let(::snakeCase), constructor, field)
                }
                val (_, constructor, field) = variants.singleOrNull { it.first == key }
                    ?: throw Inexpressible("$where.$key is no ${cls.simpleName} variant; they are ${variants.map { it.first }}")
                constructor.callBy(mapOf(field to fromJsonForm(tagged[key], field.type, "$where.$key", jsonText = false)))
            }
            cls.isData -> record(cls, json, where)
            else -> throw Inexpressible("$where: no conversion to ${cls.qualifiedName}")
        }
    }

    /** `{"zns_quota": {"oa_id": …}}` is `EsmsLookup.ZnsQuota(oaId = …)`, `{"zalo_oas": null}` the object `EsmsLookup.ZaloOas`:
     * unlike Content, a variant's fields are the inner object's. */
    private fun esmsLookup(json: JsonElement?): EsmsLookup {
        val tagged = json as? JsonObject ?: throw Inexpressible("lookup is not an object: $json")
        val key = tagged.keySet().singleOrNull() ?: throw Inexpressible("lookup must have exactly one member; it has ${tagged.keySet()}")
        val variant = EsmsLookup::class.sealedSubclasses.singleOrNull { variantName(it) == key }
            ?: throw Inexpressible("lookup.$key is no EsmsLookup variant")
        val fields = tagged[key]
        variant.objectInstance?.let {
            if (fields != null && !fields.isJsonNull && !(fields is JsonObject && fields.size() == 0)) {
                throw Inexpressible("lookup.$key takes no fields: $fields")
            }
            return it
        }
        return record(variant, fields, "lookup.$key") as EsmsLookup
    }

    /** The snake_case name of a sealed class's variant: `ZnsTemplateInfo` is `zns_template_info`. */
    private fun variantName(variant: KClass<*>): String = snakeCase(variant.simpleName!!).removePrefix("_")
    private fun variantName(value: Any): String = variantName(value::class)

    private fun propertyOf(value: Any, name: String): Any? =
        value::class.memberProperties.single { it.name == name }.getter.call(value)

    /**
     * A generated value in core's JSON form: a record's fields in snake_case, an enum member by its
     * name in lower case (`ZnsState.PENDING` is `"pending"`), lists item by item, a variant of
     * RecipientResult as `{"status": its name, …its fields}`.
     */
    private fun plainJson(value: Any?): JsonElement = when (value) {
        null -> com.google.gson.JsonNull.INSTANCE
        is String -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Number -> JsonPrimitive(value)
        is UInt -> JsonPrimitive(value.toLong())
        is ULong -> JsonPrimitive(BigInteger(value.toString()))
        is UShort -> JsonPrimitive(value.toInt())
        is Enum<*> -> JsonPrimitive(value.name.lowercase())
        is List<*> -> JsonArray().also { a -> value.forEach { a.add(plainJson(it)) } }
        else -> JsonObject().also { o ->
            if (value is RecipientResult) o.addProperty("status", variantName(value))
            if (value::class.objectInstance == null) {
                val parameters = value::class.primaryConstructor?.parameters ?: fail("${value::class.simpleName} has no constructor")
                for (p in parameters) o.add(snakeCase(p.name!!), plainJson(propertyOf(value, p.name!!)))
            }
        }
    }

    /** The one way the bindings decode an answer against its request: the send machine (one
     * attempt) encodes the message at `now`, is told the response and ends with the receipt, or throws. */
    private fun sendAgainstRequest(account: Account, message: Message, now: Long, response: HttpResponse): Receipt =
        AccountState().use { state ->
            SendMachine(account, message, now, policy = SendPolicy(maxAttempts = 1u)).use { machine ->
                assertIs<SendStep.Transmit>(machine.poll(state, now), "the first poll transmits")
                machine.onResponse(state, now, response)
                val done = assertIs<SendStep.Done>(machine.poll(state, now), "the second poll is done")
                done.result.receipt ?: fail("the send ended without a receipt: ${done.result}")
            }
        }

    private fun snakeCase(name: String): String = name.replace(Regex("[A-Z]")) { "_" + it.value.lowercase() }

    private fun record(cls: KClass<*>, json: JsonElement?, where: String): Any {
        val obj = json as? JsonObject ?: throw Inexpressible("$where is not an object: $json")
        val constructor = cls.primaryConstructor ?: throw Inexpressible("$where: ${cls.simpleName} has no constructor")
        val parameters = constructor.parameters.associateBy { snakeCase(it.name ?: throw Inexpressible("$where: ${cls.simpleName} has an unnamed parameter")) }
        val unknown = obj.keySet() - parameters.keys
        if (unknown.isNotEmpty()) {
            throw Inexpressible("$where has ${unknown.joinToString { "\"$it\"" }}, which no field of the typed UniFFI record ${cls.simpleName} carries " +
                "(the JSON form refuses unknown members; the typed API cannot express them at all)")
        }
        val args = mutableMapOf<KParameter, Any?>()
        for ((key, p) in parameters) {
            when {
                obj.has(key) -> args[p] = fromJsonForm(obj[key], p.type, "$where.$key", jsonText = (cls to p.name) in jsonTextFields)
                p.isOptional -> {}
                p.type.isMarkedNullable -> args[p] = null
                else -> throw Inexpressible("$where.$key is missing, and ${cls.simpleName}.${p.name} is required")
            }
        }
        return constructor.callBy(args) ?: throw Inexpressible("$where: ${cls.simpleName} built nothing")
    }

    private fun response(r: Obj): HttpResponse {
        val status = r.long("status")
        assertTrue(status in 0..65535, "response.status $status")
        return HttpResponse(
            status = status.toInt().toUShort(),
            headers = r.pairs("headers").map { (name, value) -> HttpHeader(name, value) },
            body = r.string("body").toByteArray(Charsets.UTF_8),
        ).also { r.done() }
    }

    // ---- outcomes ----

    /** Runs [call]; the expectation holds either [okKey] (compared by [compare]) or `error`. */
    private fun <T> check(expect: Obj, okKey: String, call: () -> T, compare: (T, JsonElement) -> Unit) {
        when {
            expect.has(okKey) && !expect.has("error") -> {
                val actual = try {
                    call()
                } catch (e: NhantinException) {
                    fail("expected $okKey, got ${e::class.simpleName}: ${e.message}", e)
                }
                compare(actual, expect.element(okKey) ?: fail("expect.$okKey is null"))
            }
            expect.has("error") && !expect.has(okKey) -> compareError(assertThrowsNhantin { call() }, expect.obj("error"))
            else -> fail("expect must hold exactly one of \"$okKey\" and \"error\"")
        }
    }

    private fun assertThrowsNhantin(call: () -> Any?): NhantinException {
        val result = try {
            call()
        } catch (e: NhantinException) {
            return e
        }
        fail("expected an NhantinException, got $result")
    }

    private fun compareRequest(actual: HttpRequest, want: JsonElement) {
        val w = want.asObj()
        assertEquals(w.string("method"), actual.method, "method")
        assertEquals(w.string("url"), actual.url, "url")
        assertEquals(w.pairs("headers"), actual.headers.map { it.name to it.value }, "headers, in order")
        val body = w.string("body")
        // The string comparison gives a readable diff; the byte comparison is the contract.
        assertEquals(body, actual.body.toString(Charsets.UTF_8), "body")
        assertArrayEquals(body.toByteArray(Charsets.UTF_8), actual.body, "body bytes")
        w.done()
    }

    private fun compareReceipt(actual: Receipt, want: JsonElement) {
        val w = want.asObj()
        val ticket = w.objOrNull("ticket")
        val expected = Receipt(
            provider = lookup(PROVIDERS, w.string("provider"), "provider"),
            reference = w.stringOrNull("reference"),
            ticketId = ticket?.longOrNull("ticket_id"),
            ticketNo = ticket?.longOrNull("ticket_no"),
            requesterId = ticket?.longOrNull("requester_id"),
            assigneeId = ticket?.longOrNull("assignee_id"),
            token = w.stringOrNull("token"),
            // Compared below, through their JSON form.
            recipients = actual.recipients,
        )
        ticket?.done()
        assertEquals(w.element("recipients"), plainJson(actual.recipients), "recipients")
        w.done()
        assertEquals(expected, actual)
    }

    private fun compareReport(actual: DeliveryReport, w: Obj) {
        val errorInfo = w.objOrNull("error_info")
        val expected = DeliveryReport(
            smsId = w.stringOrNull("sms_id"),
            requestId = w.stringOrNull("request_id"),
            sendStatus = esmsCode(w.element("send_status"), ESMS_SEND_STATUS, "SendStatus"),
            smsType = esmsCode(w.element("sms_type"), ESMS_SMS_TYPE, "TypeId"),
            telco = w.stringOrNull("telco")?.let { lookup(CARRIERS, it, "carrier") },
            phone = w.stringOrNull("phone"),
            sendSuccess = w.longOrNull("send_success"),
            sendFailed = w.longOrNull("send_failed"),
            totalReceivers = w.longOrNull("total_receivers"),
            totalSent = w.longOrNull("total_sent"),
            totalPrice = w.doubleOrNull("total_price"),
            partnerIds = w.stringOrNull("partner_ids"),
            errorInfo = errorInfo?.let {
                ZaloError(
                    code = it.longOrNull("code"),
                    message = it.stringOrNull("message"),
                    messageId = it.stringOrNull("message_id"),
                    userId = it.stringOrNull("user_id"),
                    status = it.longOrNull("status"),
                    deliveryTimeMs = it.longOrNull("delivery_time_ms"),
                    loggedAt = it.stringOrNull("logged_at"),
                    trailing = it.stringOrNull("trailing"),
                    raw = it.string("raw"),
                )
            },
            oaid = w.stringOrNull("oaid"),
            templateId = w.stringOrNull("template_id"),
            switchSmsId = w.stringOrNull("switch_sms_id"),
            leg = w.stringOrNull("leg")?.let { MultiChannelLeg.valueOf(it.uppercase()) },
            verdict = DeliveryVerdict.valueOf(w.string("verdict").uppercase()),
            extra = w.pairs("extra").map { (name, value) -> Parameter(name, value) },
        )
        errorInfo?.done()
        w.done()
        assertEquals(expected, actual)
    }

    /** A named eSMS code (`"finished"`), `{"other": n}` for a number nhantin has no name for, or null. */
    private fun esmsCode(value: JsonElement?, names: Map<String, Long>, what: String): Long? = when {
        value == null -> null
        value is JsonPrimitive && value.isString -> lookup(names, value.asString, what)
        value is JsonObject && value.keySet() == setOf("other") -> value["other"].asLong
        else -> fail("$what $value is neither a name nor {\"other\": n}")
    }

    /**
     * Compares only the keys the vector gives. `retry_safe` of the variants that carry no such
     * field is their documented contract: Rejected and InvalidInput fail again when resent,
     * RateLimited did nothing and may be resent after the wait.
     */
    private fun compareError(e: NhantinException, w: Obj) {
        val kind = w.string("kind")
        val expectedClass = when (kind) {
            "invalid_input" -> NhantinException.InvalidInput::class
            "rejected" -> NhantinException.Rejected::class
            "rate_limited" -> NhantinException.RateLimited::class
            "provider_unavailable" -> NhantinException.ProviderUnavailable::class
            "unexpected_response" -> NhantinException.UnexpectedResponse::class
            else -> fail("unknown error kind \"$kind\"")
        }
        assertEquals(expectedClass, e::class, "error kind; the error was ${e.message}")
        fun <T> given(key: String, read: (Obj) -> T, actual: () -> Any?) {
            if (w.has(key)) assertEquals(read(w), actual(), "$key of ${e::class.simpleName}(${e.message})")
        }
        fun none(key: String): Nothing = fail("the vector gives $key, which ${e::class.simpleName} does not carry")
        given("field", { it.string("field") }) { (e as? NhantinException.InvalidInput)?.field ?: none("field") }
        if (w.has("reason_contains")) {
            val part = w.string("reason_contains")
            val reason = (e as? NhantinException.InvalidInput)?.reason ?: none("reason_contains")
            assertTrue(reason.contains(part), "reason \"$reason\" lacks \"$part\"")
        }
        given("provider", { lookup(PROVIDERS, it.string("provider"), "provider") }) {
            when (e) {
                is NhantinException.Rejected -> e.provider
                is NhantinException.RateLimited -> e.provider
                is NhantinException.ProviderUnavailable -> e.provider
                is NhantinException.UnexpectedResponse -> e.provider
                else -> none("provider")
            }
        }
        given("reason", { lookup(REJECTIONS, it.string("reason"), "rejection") }) { (e as? NhantinException.Rejected)?.reason ?: none("reason") }
        given("code", { it.stringOrNull("code") }) { (e as? NhantinException.Rejected ?: none("code")).code }
        given("message", { it.string("message") }) {
            when (e) {
                is NhantinException.Rejected -> e.providerText
                is NhantinException.RateLimited -> e.providerText
                else -> none("message")
            }
        }
        given("retry_after_secs", { it.longOrNull("retry_after_secs")?.toULong() }) { (e as? NhantinException.RateLimited ?: none("retry_after_secs")).retryAfterSecs }
        given("lockout", { it.boolOrNull("lockout") }) { (e as? NhantinException.RateLimited ?: none("lockout")).lockout }
        given("status", { it.long("status").toInt().toUShort() }) {
            when (e) {
                is NhantinException.ProviderUnavailable -> e.status
                is NhantinException.UnexpectedResponse -> e.status
                else -> none("status")
            }
        }
        given("snippet", { it.string("snippet") }) {
            when (e) {
                is NhantinException.ProviderUnavailable -> e.snippet
                is NhantinException.UnexpectedResponse -> e.snippet
                else -> none("snippet")
            }
        }
        given("retry_safe", { it.boolOrNull("retry_safe") }) {
            when (e) {
                is NhantinException.ProviderUnavailable -> e.retrySafe
                is NhantinException.UnexpectedResponse -> e.retrySafe
                is NhantinException.Rejected, is NhantinException.InvalidInput -> false
                is NhantinException.RateLimited -> true
                else -> none("retry_safe")
            }
        }
        w.done()
    }

    private fun JsonElement.asObj(): Obj = Obj(assertIs<JsonObject>(this, "an object"), "expected", input = false)

    /** The vectors' JSON form of a sent-data page; open enums cross as their JSON names. */
    private fun sentDataJson(p: SentDataPage): JsonElement {
        fun name(text: String?): JsonElement = when {
            text == null -> com.google.gson.JsonNull.INSTANCE
            text.startsWith("{") -> JsonParser.parseString(text)
            else -> JsonPrimitive(text)
        }
        fun str(text: String?): JsonElement = text?.let { JsonPrimitive(it) } ?: com.google.gson.JsonNull.INSTANCE
        val page = JsonObject()
        page.add("count_total", p.countTotal?.let { JsonPrimitive(it.toLong()) } ?: com.google.gson.JsonNull.INSTANCE)
        val rows = com.google.gson.JsonArray()
        for (r in p.rows) {
            val o = JsonObject()
            o.add("reference_id", JsonPrimitive(r.referenceId))
            o.add("phone", JsonPrimitive(r.phone))
            o.add("content", str(r.content))
            o.add("campaign", str(r.campaign))
            o.add("sell_price", r.sellPrice?.let { JsonPrimitive(it) } ?: com.google.gson.JsonNull.INSTANCE)
            o.add("result", name(r.result))
            o.add("status", name(r.status))
            o.add("sent_time", r.sentTimeMs?.let { JsonPrimitive(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(it))) } ?: com.google.gson.JsonNull.INSTANCE)
            o.add("portal_sms_id", str(r.portalSmsId))
            o.add("sms_type", name(r.smsType))
            rows.add(o)
        }
        page.add("rows", rows)
        return page
    }
}
