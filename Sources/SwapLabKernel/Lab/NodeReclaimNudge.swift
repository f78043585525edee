import Foundation
import SwapLabModel

/// Clears `node_unreclaimable` (live-lab.md §7.1): while it is set, `wakeup_kswapd()` skips the node
/// (`kswapd_failures >= MAX_RECLAIM_RETRIES`) and later pressure goes straight to direct reclaim. `shrink_node()` in
/// mm/vmscan.c resets `kswapd_failures` after any pass that reclaims pages, so a private memory cgroup writes 64 MiB of
/// page cache and forces its own reclaim (cgroup v2 `memory.reclaim`, v1 `memory.force_empty`). The cgroup and the
/// scratch file are journaled before they are made and removed after.
public enum NodeReclaimNudge {
    /// Runs the nudge; true when no node is left unreclaimable afterwards.
    public static func clear(journal: RestoreJournal, root: SystemRoot = SystemRoot(), say: (String) -> Void) -> Bool {
        let survey = MachineSurvey.read(root: root)
        guard survey.cgroupMemory != .none, let mount = survey.cgroupMemoryMountPoint else {
            say(
                "  no memory cgroup controller is mounted; node_unreclaimable clears at the next reclaim that makes progress"
            )
            return false
        }
        let dir = "\(mount)/swaplab-nudge-\(Syscall.processID)"
        let base = (try? Syscall.linkStatus(Swapfile.directory)) != nil ? Swapfile.directory : "/var/tmp"
        let file = "\(base)/nudge-\(Syscall.processID)"
        var made: [JournaledChange] = []
        defer {
            for c in made.reversed() {
                if let o = journal.undo(c), o.result == .left { say("  \(o.description)") }
            }
        }
        do {
            try journal.record(.cgroup(path: dir)) { () throws -> Void in try Syscall.makeDirectory(dir, mode: 0o755) }
            made.append(.cgroup(path: dir))
            try journal.record(.scratchFile(path: file)) { () throws -> Void in
                let fd = try Syscall.open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
                Syscall.close(fd)
            }
            made.append(.scratchFile(path: file))
        } catch {
            say("  cannot set up the cgroup: \(error)")
            return false
        }
        // A shell that joins the cgroup, then writes and syncs 64 MiB (clean page cache charged to the cgroup).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [
            "-c",
            "echo $$ > \"$1/cgroup.procs\" && exec dd if=/dev/zero of=\"$2\" bs=1M count=64 conv=fsync status=none",
            "sh", dir, file,
        ]
        do {
            try p.run()
            p.waitUntilExit()
        } catch {
            say("  cannot run /bin/sh: \(error)")
            return false
        }
        let force = survey.cgroupMemory == .v2 ? ("memory.reclaim", "64M") : ("memory.force_empty", "0")
        do {
            try Syscall.writeText("\(dir)/\(force.0)", force.1)
        } catch {
            // memory.reclaim answers EAGAIN when it reclaimed less than asked; the pass still counted.
            say("  \(force.0): \(error)")
        }
        let still = ((try? ZoneinfoParser.read(root: root))?.nodes ?? []).filter { $0.unreclaimable == true }
        say(
            still.isEmpty
                ? "  node_unreclaimable cleared"
                : "  node_unreclaimable is still set; it clears at the next reclaim with progress")
        return still.isEmpty
    }
}
