package vn.nhantin

import com.google.gson.JsonArray
import com.google.gson.JsonElement
import com.google.gson.JsonNull
import com.google.gson.JsonObject
import com.google.gson.JsonPrimitive
import java.io.File
import kotlin.test.fail

/** Paths the build passes in (pom.xml, Surefire `systemPropertyVariables`). */
internal object Settings {
    private fun property(name: String): String =
        System.getProperty(name) ?: error("system property $name is not set; run through Maven (bindings/kotlin/run-tests.sh)")

    val vectorsDir: File get() = File(property("nhantin.vectors.dir")).canonicalFile
    val emulatorBinary: File get() = File(property("nhantin.bin")).canonicalFile
    val expectedVersion: String get() = property("nhantin.expected.version")
}

/**
 * The text fields of the error variants, in one place. None is called `message`: that would
 * clash with `Throwable.message` in the generated Kotlin (uniffi-rs#1434), so the library names
 * them `providerMessage` and `detail` in every language.
 */
internal val NhantinException.Rejected.providerText: String get() = providerMessage
internal val NhantinException.RateLimited.providerText: String get() = providerMessage
internal val NhantinException.Config.detailText: String get() = detail
internal val NhantinException.Transport.detailText: String get() = detail
internal val NhantinException.OutcomeUnknown.detailText: String get() = detail

/** A vector field that the typed UniFFI records cannot carry: the test is skipped, with this reason. */
internal class Inexpressible(reason: String) : Exception(reason)

/**
 * A JSON object read strictly: every member must be read, so a vector member this test does not
 * understand is never ignored. For an expectation ([input] false) a missing or unread member fails
 * the test; for an input ([input] true) it throws [Inexpressible]: the typed records have no place
 * for it, so the vector cannot be replayed through them.
 */
internal class Obj(private val json: JsonObject, private val where: String, private val input: Boolean) {
    private val read = mutableSetOf<String>()

    fun has(key: String): Boolean = json.has(key)

    private fun problem(what: String): Nothing = if (input) throw Inexpressible(what) else fail(what)

    private fun member(key: String): JsonElement? {
        read += key
        val v = json.get(key)
        return if (v == null || v is JsonNull) null else v
    }

    private fun <T> typed(key: String, kind: String, conv: (JsonPrimitive) -> T?): T? {
        val v = member(key) ?: return null
        val p = v as? JsonPrimitive ?: problem("$where.$key is not a $kind: $v")
        return conv(p) ?: problem("$where.$key is not a $kind: $p")
    }

    fun string(key: String): String = stringOrNull(key) ?: problem("$where.$key is missing")
    fun stringOrNull(key: String): String? = typed(key, "string") { if (it.isString) it.asString else null }
    fun long(key: String): Long = longOrNull(key) ?: problem("$where.$key is missing")
    fun longOrNull(key: String): Long? =
        typed(key, "integer") { p -> p.takeIf { it.isNumber }?.asBigDecimal?.takeIf { it.stripTrailingZeros().scale() <= 0 }?.longValueExact() }
    fun double(key: String): Double = doubleOrNull(key) ?: problem("$where.$key is missing")
    fun doubleOrNull(key: String): Double? = typed(key, "number") { if (it.isNumber) it.asDouble else null }
    fun boolOrNull(key: String): Boolean? = typed(key, "boolean") { if (it.isBoolean) it.asBoolean else null }
    fun element(key: String): JsonElement? = member(key)
    fun obj(key: String): Obj = objOrNull(key) ?: problem("$where.$key is missing")
    /** A member that is an input (an account, a message): what it holds must fit the typed records. */
    fun inputObj(key: String): Obj {
        val v = member(key) ?: problem("$where.$key is missing")
        return Obj(v as? JsonObject ?: problem("$where.$key is not an object: $v"), "$where.$key", input = true)
    }
    fun objOrNull(key: String): Obj? = member(key)?.let {
        Obj(it as? JsonObject ?: problem("$where.$key is not an object: $it"), "$where.$key", input)
    }
    fun array(key: String): JsonArray = member(key)?.let { it as? JsonArray ?: problem("$where.$key is not an array: $it") }
        ?: problem("$where.$key is missing")
    fun strings(key: String): List<String> = array(key).mapIndexed { i, e ->
        (e as? JsonPrimitive)?.takeIf { it.isString }?.asString ?: problem("$where.$key[$i] is not a string: $e")
    }
    /** `[[a, b], …]`, as vectors write headers and `extra`. */
    fun pairs(key: String): List<Pair<String, String>> = array(key).mapIndexed { i, e ->
        val pair = (e as? JsonArray)?.takeIf { it.size() == 2 && it.all { x -> x is JsonPrimitive && x.isString } }
            ?: problem("$where.$key[$i] is not a [string, string] pair: $e")
        pair[0].asString to pair[1].asString
    }

    /** Every member must have been read: a vector member nobody looks at is a test that passes silently. */
    fun done() {
        val left = json.keySet() - read
        if (left.isEmpty()) return
        if (input) {
            throw Inexpressible("$where has ${left.joinToString { "\"$it\"" }}, which no field of the typed UniFFI record carries " +
                "(the JSON form refuses unknown members; the typed API cannot express them at all)")
        }
        fail("$where has members this test does not compare: $left")
    }
}

// ---- Vector names ↔ Kotlin enums, written out so that a renamed variant fails to compile ----
// (The message's enums are read by name, as the whole message is: VectorsTest.fromJsonForm.)

internal val PROVIDERS = mapOf("esms" to Provider.ESMS, "caresoft" to Provider.CARE_SOFT, "interits" to Provider.INTER_ITS)

internal val CARRIERS = mapOf(
    "viettel" to Carrier.VIETTEL, "mobifone" to Carrier.MOBIFONE, "vinaphone" to Carrier.VINAPHONE,
    "vietnamobile" to Carrier.VIETNAMOBILE, "gmobile" to Carrier.GMOBILE, "itel" to Carrier.ITEL,
    "reddi" to Carrier.REDDI, "unknown" to Carrier.UNKNOWN,
)

internal val ENCODINGS = mapOf("gsm7" to Encoding.GSM7, "ucs2" to Encoding.UCS2)

internal val PHONE_FORMATS = mapOf("national" to PhoneFormat.NATIONAL, "international" to PhoneFormat.INTERNATIONAL, "e164" to PhoneFormat.E164)

internal val REJECTIONS = mapOf(
    "unauthorized" to Rejection.UNAUTHORIZED,
    "invalid_request" to Rejection.INVALID_REQUEST,
    "duplicate_request_id" to Rejection.DUPLICATE_REQUEST_ID,
    "phone_blocked" to Rejection.PHONE_BLOCKED,
    "no_price_list" to Rejection.NO_PRICE_LIST,
    "insufficient_balance" to Rejection.INSUFFICIENT_BALANCE,
    "unknown_brandname" to Rejection.UNKNOWN_BRANDNAME,
    "not_found" to Rejection.NOT_FOUND,
    "recording_not_found" to Rejection.RECORDING_NOT_FOUND,
    "too_few_recipients" to Rejection.TOO_FEW_RECIPIENTS,
    "invalid_phone" to Rejection.INVALID_PHONE,
    "invalid_data" to Rejection.INVALID_DATA,
    "invalid_hashed_phone" to Rejection.INVALID_HASHED_PHONE,
    "unsupported_message_type" to Rejection.UNSUPPORTED_MESSAGE_TYPE,
    "too_many_recipients" to Rejection.TOO_MANY_RECIPIENTS,
    "ip_not_whitelisted" to Rejection.IP_NOT_WHITELISTED,
    "template_mismatch" to Rejection.TEMPLATE_MISMATCH,
    "invalid_code" to Rejection.INVALID_CODE,
    "network_not_registered" to Rejection.NETWORK_NOT_REGISTERED,
    "already_processing" to Rejection.ALREADY_PROCESSING,
    "unknown_oaid" to Rejection.UNKNOWN_OAID,
    "invalid_payload" to Rejection.INVALID_PAYLOAD,
    "missing_message_type" to Rejection.MISSING_MESSAGE_TYPE,
    "unsupported_service" to Rejection.UNSUPPORTED_SERVICE,
    "account_locked" to Rejection.ACCOUNT_LOCKED,
    "blocked_keyword" to Rejection.BLOCKED_KEYWORD,
    "template_not_configured" to Rejection.TEMPLATE_NOT_CONFIGURED,
    "missing_oa_or_template" to Rejection.MISSING_OA_OR_TEMPLATE,
    "oa_not_active" to Rejection.OA_NOT_ACTIVE,
    "quota_mode_scheduled" to Rejection.QUOTA_MODE_SCHEDULED,
    "quota_mode_not_allowed" to Rejection.QUOTA_MODE_NOT_ALLOWED,
    "missing_message_id" to Rejection.MISSING_MESSAGE_ID,
    "unknown_account" to Rejection.UNKNOWN_ACCOUNT,
    "other" to Rejection.OTHER,
)

/** eSMS `SendStatus` names (vectors) → eSMS numbers (UniFFI records); see `SendStatusReport` in ffi/src/api/types.rs. */
internal val ESMS_SEND_STATUS = mapOf("pending_approval" to 1L, "waiting" to 2L, "rejected" to 4L, "finished" to 5L, "sent_to_telco" to 7L)

/** eSMS `TypeId` names (vectors) → eSMS numbers (UniFFI records); see `DeliveryReport` in ffi/src/api/types.rs. */
internal val ESMS_SMS_TYPE = mapOf(
    "advertising" to 1L, "customer_care" to 2L, "fixed_number" to 8L, "viber" to 23L,
    "zns_priority" to 24L, "zns_normal" to 25L, "zalo_follower" to 26L, "zns_journey" to 27L,
)

internal fun <T> lookup(table: Map<String, T>, name: String, what: String): T =
    table[name] ?: fail("unknown $what \"$name\" in a vector; known: ${table.keys}")

// ---- Messages, as the tests write them ----

/** SMS content: [purpose] and [text] are required, the rest take the record's defaults. */
internal fun sms(purpose: SmsPurpose, text: String, sender: String? = null, unicode: UnicodePolicy? = null): Content =
    Content.Sms(sms = Sms(purpose = purpose, text = text, sender = sender, unicode = unicode))

/** eSMS options with only the body [format] set. */
internal fun esmsFormat(format: EsmsFormat): ProviderOptions = ProviderOptions.Esms(esms = EsmsOptions(format = format))
