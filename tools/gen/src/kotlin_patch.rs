//! The patch nhantin carries over the Kotlin module UniFFI generates.
//!
//! # Why
//!
//! With UniFFI 0.32.2 a Kotlin object checks that it is alive (its call counter) when one of its
//! own methods is called, but not when it is *passed* to another call: lowering it runs
//! `uniffiCloneHandle()`, which clones the handle unchecked. After `account.destroy()` (an
//! `Account` holds `Secret`s and is `Disposable`), `Client(account, options)` cloned a freed
//! handle: the JVM died with SIGSEGV, or a `Secret` read freed memory as its key. And a destroyed
//! `Secret`'s `toString()` threw, so logging an account could break the code that logs it.
//!
//! # What
//!
//! - `clone`: every object's `uniffiCloneHandle()` takes the call counter as its methods do: a
//!   destroyed object throws `IllegalStateException` ("… has already been destroyed"), and one
//!   being destroyed on another thread is not freed until the clone is made.
//! - `secret_to_string`: a destroyed `Secret` prints `***`, as a live one does.
//! - `masked_phones`: the records that carry a phone a provider reported back
//!   ([`MASKED_PHONES`]) print it masked (`091****678`), as nhantin's logs and errors do; the field
//!   itself holds the whole number. Their data-class `toString()` is replaced by one that lists
//!   the same fields in the same form.
//!
//! # Lifetime
//!
//! As for `python_patch`: written against [`crate::python_patch::UNIFFI_VERSION`]; [`apply`]
//! fails, naming the hunk, when the generated text it anchors on is missing. Re-check on every
//! UniFFI upgrade (upstream may add the check itself) and delete what upstream fixed.

/// The line the patched module carries right after its `package` line.
pub const MARKER: &str =
    "// nhantin: uniffiCloneHandle and Secret.toString patched by tools/gen/src/kotlin_patch.rs (UniFFI 0.32.2)";

/// The records, and their field, that carry a phone a provider reported back (also
/// `bindings/python/src/nhantin/_repr.py`'s `SPECIAL`).
const MASKED_PHONES: &[(&str, &str)] = &[
    ("DeliveryReport", "phone"),
    ("ReceiverStatus", "phone"),
    ("SentRow", "phone"),
    ("InterItsCallback", "msisdn"),
];

/// The masking the records' `toString()` calls: the library's own `maskPhones`, so the rule is
/// written once (core's `wire::mask_phones`).
const MASK_FUNCTION: &str = "
/** nhantin patch: a phone as nhantin shows it, `091****678` (tools/gen/src/kotlin_patch.rs). */
internal fun nhantinMaskedPhone(value: String?): String? = value?.let { maskPhones(it) }
";

/// Replaces the data-class `toString()` of `class`: the same `Name(field=value, …)` form, with
/// `field` masked.
fn mask_record(source: &str, class: &str, field: &str) -> Result<String, String> {
    let head = format!("\ndata class {class} (\n");
    let start = match source.matches(&head).count() {
        1 => source.find(&head).expect("counted"),
        n => {
            return Err(format!(
                "kotlin patch: hunk `masked_phones`: `data class {class}` occurs {n} times"
            ))
        }
    };
    let params_end = source[start..]
        .find("\n){\n")
        .map(|e| start + e)
        .ok_or_else(|| format!("kotlin patch: hunk `masked_phones`: {class} has no body"))?;
    let fields: Vec<&str> = source[start..params_end]
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("var `")
                .or_else(|| l.trim().strip_prefix("val `"))
        })
        .filter_map(|l| l.split('`').next())
        .collect();
    if !fields.contains(&field) {
        return Err(format!(
            "kotlin patch: hunk `masked_phones`: {class} has no field {field}"
        ));
    }
    let shown: Vec<String> = fields
        .iter()
        .map(|f| {
            if *f == field {
                format!("\"{f}=${{nhantinMaskedPhone(`{f}`)}}\"")
            } else {
                format!("\"{f}=${{`{f}`}}\"")
            }
        })
        .collect();
    let body_at = params_end + "\n){\n".len();
    let method = format!(
        "    // nhantin patch: the phone a provider reported back prints masked; the field holds it whole.
    override fun toString(): String = \"{class}(\" + listOf(
        {}
    ).joinToString(\", \") + \")\"
",
        shown.join(",\n        ")
    );
    let mut out = source.to_owned();
    out.insert_str(body_at, &method);
    Ok(out)
}

/// What every object's `uniffiCloneHandle()` starts with, up to its clone call.
const CLONE_HEAD: &str = "    fun uniffiCloneHandle(): Long {
        if (handle == 0.toLong()) {
            throw InternalException(\"uniffiCloneHandle() called on NoHandle object\");
        }
        return uniffiRustCall() { status ->
";

/// The end of that clone call and of the function.
const CLONE_TAIL: &str = "        }
    }
";

const SECRET_TO_STRING: &str = "    override fun toString(): String {
        return FfiConverterString.lift(
    callWithHandle {
    uniffiRustCall() { _status ->
    UniffiLib.uniffi_nhantin_fn_method_secret_uniffi_trait_display(";

/// Applies the patch to a module generated by UniFFI 0.32.2. A module that already carries
/// [`MARKER`] is returned unchanged.
pub fn apply(source: &str) -> Result<String, String> {
    if source.contains(MARKER) {
        return Ok(source.to_owned());
    }
    let fail = |hunk: &str, what: &str| {
        format!(
            "kotlin patch: hunk `{hunk}`: {what}; the UniFFI template changed. Re-anchor or delete \
             tools/gen/src/kotlin_patch.rs (see its module doc)"
        )
    };
    let mut out = String::with_capacity(source.len() + 4096);
    let mut rest = source;
    let mut objects = 0;
    while let Some(at) = rest.find(CLONE_HEAD) {
        out.push_str(&rest[..at]);
        let body = &rest[at + CLONE_HEAD.len()..];
        let end = body
            .find(CLONE_TAIL)
            .ok_or_else(|| fail("clone", "a clone call without its end"))?;
        let call = &body[..end]; // `            UniffiLib.uniffi_nhantin_fn_clone_x(handle, status)\n`
        out.push_str(&format!(
            "    fun uniffiCloneHandle(): Long {{
        if (handle == 0.toLong()) {{
            throw InternalException(\"uniffiCloneHandle() called on NoHandle object\");
        }}
        // nhantin patch: an object passed to a call is checked as its own methods check it.
        do {{
            val c = this.callCounter.get()
            if (c == 0L) {{
                throw IllegalStateException(\"${{this.javaClass.simpleName}} object has already been destroyed\")
            }}
            if (c == Long.MAX_VALUE) {{
                throw IllegalStateException(\"${{this.javaClass.simpleName}} call counter would overflow\")
            }}
        }} while (! this.callCounter.compareAndSet(c, c + 1L))
        try {{
            return uniffiRustCall() {{ status ->
    {call}            }}
        }} finally {{
            if (this.callCounter.decrementAndGet() == 0L) {{
                cleanable?.clean()
            }}
        }}
    }}
"
        ));
        rest = &body[end + CLONE_TAIL.len()..];
        objects += 1;
    }
    out.push_str(rest);
    if objects == 0 {
        return Err(fail("clone", "no object's uniffiCloneHandle() found"));
    }
    match out.matches(SECRET_TO_STRING).count() {
        1 => {
            out = out.replacen(
                SECRET_TO_STRING,
                &format!(
                    "    override fun toString(): String {{
        // nhantin patch: a destroyed Secret prints as a live one does, instead of throwing.
        if (uniffiIsDestroyed) return \"***\"
{}",
                    &SECRET_TO_STRING["    override fun toString(): String {\n".len()..]
                ),
                1,
            )
        }
        n => {
            return Err(fail(
                "secret_to_string",
                &format!("its anchor occurs {n} times"),
            ))
        }
    }
    for (class, field) in MASKED_PHONES {
        out = mask_record(&out, class, field)?;
    }
    let package_line = out
        .find("\npackage ")
        .and_then(|at| out[at + 1..].find('\n').map(|n| at + 1 + n + 1))
        .ok_or_else(|| fail("marker", "no package line"))?;
    out.insert_str(package_line, &format!("{MARKER}\n"));
    // After the imports: a top-level function may not come before them.
    out.push_str(MASK_FUNCTION);
    Ok(out)
}
