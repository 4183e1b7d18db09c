//! `cargo run --bin uniffi-bindgen -- generate --library …`: UniFFI's own CLI, built from the same
//! UniFFI version as the library so the metadata formats match.
//!
//! One addition: after generating Python it applies nhantin's patch of UniFFI's runtime helpers
//! (`tools/gen/src/python_patch.rs`, shared source), so `cargo gen` and maturin, which both run
//! this binary, produce the same patched module. With another UniFFI version than the patch was
//! written for it refuses to generate Python at all. `NHANTIN_PYTHON_PATCH=off` skips the patch
//! (and that check): UniFFI's own output, for measuring it (`scripts/bench`) or for checking
//! whether an upgraded UniFFI still needs the patch.

use std::path::PathBuf;
use std::process::exit;

#[path = "../../../tools/gen/src/python_patch.rs"]
mod python_patch;

/// The `--out-dir` of a `generate` that includes Python, if this is one.
fn python_out_dir(args: &[String]) -> Option<PathBuf> {
    if args.first().map(String::as_str) != Some("generate") {
        return None;
    }
    let (mut python, mut out) = (false, None);
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned());
        match key {
            "--language" | "-l" => python |= value().is_some_and(|v| v == "python"),
            "--out-dir" | "-o" => out = value().map(PathBuf::from),
            _ => {}
        }
    }
    if python {
        out
    } else {
        None
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let python = python_out_dir(&args)
        .filter(|_| std::env::var("NHANTIN_PYTHON_PATCH").as_deref() != Ok("off"));
    if python.is_some() && !uniffi::check_compatible_version(python_patch::UNIFFI_VERSION) {
        eprintln!(
            "uniffi-bindgen: nhantin's Python patch was written for UniFFI {}, and this is another \
             version. Regenerate without it (NHANTIN_PYTHON_PATCH=off), measure, then delete or \
             re-anchor tools/gen/src/python_patch.rs (its module doc says how).",
            python_patch::UNIFFI_VERSION
        );
        exit(1);
    }
    uniffi::uniffi_bindgen_main();
    if let Some(dir) = python {
        let path = dir.join("nhantin.py");
        let patched = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|s| python_patch::apply(&s))
            .and_then(|s| std::fs::write(&path, s).map_err(|e| format!("{}: {e}", path.display())));
        if let Err(e) = patched {
            eprintln!("uniffi-bindgen: {e}");
            exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::python_out_dir;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn python_generations_are_recognised_in_every_spelling() {
        let want = Some("out".into());
        assert_eq!(
            python_out_dir(&args(
                "generate --library x.so --language python --out-dir out"
            )),
            want
        );
        assert_eq!(
            python_out_dir(&args("generate -l kotlin -l python -o out x.so")),
            want
        );
        assert_eq!(
            python_out_dir(&args("generate --language=python --out-dir=out")),
            want
        );
        // maturin's own call
        assert_eq!(
            python_out_dir(&args(
                "generate --no-format --language python --out-dir out --library x.so"
            )),
            want
        );
        assert_eq!(
            python_out_dir(&args("generate --language kotlin --out-dir out")),
            None
        );
        assert_eq!(python_out_dir(&args("print-repr x.so")), None);
    }
}
