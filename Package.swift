// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swaplab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "swaplab", targets: ["swaplab"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // One target per layer of docs/DESIGN.md, so the compiler keeps its arrows:
        // Model <- Simulator, Kernel, Analysis; Model + Analysis <- Explain; Model + Analysis + Yams <- Course;
        // all of them <- REPL <- swaplab. Never Simulator <-> Kernel, never an engine from Analysis, Explain or Course.
        .target(name: "SwapLabModel"),
        .target(name: "SwapLabSimulator", dependencies: ["SwapLabModel"]),
        .target(name: "SwapLabKernel", dependencies: ["SwapLabModel"]),
        .target(name: "SwapLabAnalysis", dependencies: ["SwapLabModel"]),
        .target(name: "SwapLabExplain", dependencies: ["SwapLabModel", "SwapLabAnalysis"]),
        // The lessons are built into the course module (BuiltInLessons.swift, generated from Lessons/ by the
        // EmbedLessons plugin), so one copied binary carries the whole course.
        .target(
            name: "SwapLabCourse",
            dependencies: ["SwapLabModel", "SwapLabAnalysis", .product(name: "Yams", package: "Yams")],
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
                "SwapLabModel", "SwapLabSimulator", "SwapLabKernel", "SwapLabAnalysis", "SwapLabExplain",
                "SwapLabCourse", "CEditLine",
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
        // Test support mirrors captured runs in the simulator (MirrorPlan), for the fidelity benchmark and the tests.
        .target(name: "SwapLabTestSupport", dependencies: ["SwapLabModel", "SwapLabKernel", "SwapLabSimulator"]),
        // Benchmarks print timings side by side with their references; run with `swift run -c release swaplab-bench`.
        .executableTarget(
            name: "swaplab-bench",
            dependencies: [
                "SwapLabModel", "SwapLabSimulator", "SwapLabKernel", "SwapLabAnalysis", "SwapLabExplain",
                "SwapLabTestSupport",
            ],
            path: "Benchmarks",
            // C programs the benchmarks compile at run time as references (cc -O2), not part of the target.
            exclude: ["reference"]
        ),
        .testTarget(
            name: "SwapLabCoreTests",
            dependencies: [
                "SwapLabModel", "SwapLabSimulator", "SwapLabKernel", "SwapLabAnalysis", "SwapLabExplain",
                "SwapLabCourse", "SwapLabREPL", "SwapLabTestSupport",
            ],
            // Snapshot files the tests read by path (RECORD_SNAPSHOTS=1 rewrites them), not resources.
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "SwapLabREPLTests",
            dependencies: [
                "SwapLabREPL", "SwapLabModel", "SwapLabSimulator", "SwapLabKernel", "SwapLabAnalysis",
                "SwapLabExplain", "SwapLabCourse", "SwapLabTestSupport", "swaplab", "swaplab-bench",
            ],
            exclude: ["Snapshots"]
        ),
    ]
)
