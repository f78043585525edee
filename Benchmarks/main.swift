// swaplab benchmarks: each prints its measurement side by side with its reference and the ratio.
// Run: swift run -c release swaplab-bench [name…]
print("swaplab-bench: no benchmarks yet")
