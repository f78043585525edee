import Foundation
import SwapLabKernel
import SwapLabREPL

// `swaplab __hog …` is the memory hog's child process (see MemoryHog); it never reaches the shell.
if let status = HogChild.runIfRequested(CommandLine.arguments) { exit(status) }
SwapLabMain.main()
