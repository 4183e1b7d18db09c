// swift-tools-version:5.9
// Generated sources (Sources/) come from `cargo gen`; this manifest is written by hand.
// NOT compiled or tested in nhantin's CI: the build machines have no Swift toolchain.
// An app links the Rust library itself (an XCFramework of libnhantin.a built per target with
// `cargo build --release -p nhantin --target aarch64-apple-ios` and friends).
import PackageDescription

let package = Package(
    name: "NhanTin",
    platforms: [.iOS(.v13), .macOS(.v11)],
    products: [
        .library(name: "NhanTin", targets: ["NhanTin"]),
    ],
    targets: [
        // The C declarations of UniFFI's scaffolding (NhanTinFFI.h + module.modulemap).
        .systemLibrary(name: "NhanTinFFI", path: "Sources/NhanTinFFI"),
        .target(
            name: "NhanTin",
            dependencies: ["NhanTinFFI"],
            path: "Sources/NhanTin",
            linkerSettings: [.linkedLibrary("nhantin")]
        ),
    ]
)
