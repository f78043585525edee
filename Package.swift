// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swaplab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "swaplab", targets: ["swaplab"]),
        .library(name: "SwapLabCore", targets: ["SwapLabCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // Model, Simulator, Kernel, Explainer, Chart, Course: folders by concern (DESIGN.md).
        // The lessons are built into the library (BuiltInLessons.swift, generated from Lessons/ by the
        // EmbedLessons plugin), so one copied binary carries the whole course.
        .target(
            name: "SwapLabCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            plugins: ["EmbedLessons"]
        ),
        .executableTarget(name: "EmbedLessonsTool"),
        .plugin(name: "EmbedLessons", capability: .buildTool(), dependencies: ["EmbedLessonsTool"]),
        // libedit as a system library; shim.h wraps the variadic calls Swift cannot make.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "SwapLabREPL",
            dependencies: [
                "SwapLabCore", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "swaplab",
            dependencies: [
                "SwapLabREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "SwapLabTestSupport", dependencies: ["SwapLabCore"]),
        // Benchmarks print timings side by side with their references; run with `swift run -c release swaplab-bench`.
        .executableTarget(
            name: "swaplab-bench",
            dependencies: ["SwapLabCore", "SwapLabTestSupport"],
            path: "Benchmarks",
            // C programs the benchmarks compile at run time as references (cc -O2), not part of the target.
            exclude: ["reference"]
        ),
        .testTarget(
            name: "SwapLabCoreTests",
            dependencies: ["SwapLabCore", "SwapLabTestSupport"],
            // Snapshot files the tests read by path (RECORD_SNAPSHOTS=1 rewrites them), not resources.
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "SwapLabREPLTests",
            dependencies: ["SwapLabREPL", "SwapLabCore", "SwapLabTestSupport", "swaplab"],
            exclude: ["Snapshots"]
        ),
    ]
)
